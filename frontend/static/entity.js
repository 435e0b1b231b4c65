// Entity page: profile, network view with filters and evidence panel, mentions, relationships,
// and the resolution history (undo, split).
"use strict";


function entityIdFromPath() {
  return decodeURIComponent(location.pathname.replace(/^\/entity\//, ""));
}

function filtersForm(onApply) {
  const field = (key, input) => el("label", {}, `${t(key)} `, input);
  const given = new URLSearchParams(location.search); // a view can be linked: /entity/ID?hops=3&limit=2000
  const hops = el("input", { name: "hops", type: "number", min: 0, max: 10, value: given.get("hops") || 2 });
  const limit = el("input", { name: "limit", type: "number", min: 1, max: 5000, value: given.get("limit") || 500 });
  const from = el("input", { name: "date_from", type: "date" });
  const to = el("input", { name: "date_to", type: "date" });
  const confidence = el("input", { name: "min_confidence", type: "number", min: 0, max: 1, step: 0.05, value: 0 });
  const caseId = el("input", { name: "case_id", type: "text", size: 14 });
  const types = entityTypes().map((type) => el("label", { class: "check" },
    el("input", { type: "checkbox", name: "types", value: type, checked: true }), typeName(type)));
  const form = el("form", { id: "filters", class: "filters" },
    field("hops", hops), field("limit", limit), field("date_from", from), field("date_to", to),
    field("min_confidence", confidence), field("case_id", caseId),
    el("fieldset", {}, el("legend", {}, t("types")), ...types),
    el("button", { type: "submit" }, t("apply")));
  const read = () => {
    const checked = [...form.querySelectorAll("input[name=types]:checked")].map((c) => c.value);
    return {
      hops: hops.value, limit: limit.value, date_from: from.value, date_to: to.value, case_id: caseId.value.trim(),
      min_confidence: confidence.value, types: checked.length === entityTypes().length ? [] : checked,
    };
  };
  form.addEventListener("submit", (event) => { event.preventDefault(); onApply(read()); });
  return { form, read };
}

function relationshipItem(rel, entityId, linked) {
  const otherId = rel.source_id === entityId ? rel.target_id : rel.source_id;
  const other = linked[otherId];
  const direction = rel.source_id === entityId ? "→" : "←";
  return el("li", { class: "relationship" },
    el("strong", {}, relName(rel.type)), ` ${direction} `, other ? entityLink(other) : otherId,
    rel.date ? ` · ${rel.date}` : "", ` · ${t("confidence")} ${rel.confidence.toFixed(2)}`,
    evidenceList(rel.evidence));
}

// Mark (or unmark) a person as a victim: reports can then pseudonymise them. Recorded under the analyst's name.
async function victimMarkControl(entityId) {
  const marks = await api(`/api/entities/${encodeURIComponent(entityId)}/marks`);
  const latest = marks.filter((m) => m.mark === "victim").pop();
  const marked = Boolean(latest?.value);
  const note = el("span", { class: "note", role: "status" }, marked ? `${t("marked_victim")} (${latest.by.slice(5)})` : "");
  const button = el("button", { type: "button", id: "victim-mark", onclick: async () => {
    if (!readyToDecide(note)) return;
    try {
      await api(`/api/entities/${encodeURIComponent(entityId)}/marks`, { json: { mark: "victim", value: !marked, user: analystName() } });
      setTimeout(() => location.reload(), 300);
    } catch (error) { note.textContent = `${t("error")}: ${error.message}`; }
  } }, marked ? t("unmark_victim") : t("mark_victim"));
  return el("p", { id: "victim", dataset: { marked: String(marked) } }, button, " ", note);
}

async function renderProfile(main, entityId) {
  const profile = await api(`/api/entities/${encodeURIComponent(entityId)}/profile`);
  const entity = profile.entity;
  document.title = `${entity.label} · Telaraña`;
  main.append(el("h1", { id: "entity-label" }, entity.label), el("p", { class: "muted" }, typeName(entity.type)));
  main.append(el("p", { class: "tools" }, el("a", { href: `/analysis?${query({ entity: entityId })}`, id: "timeline-link" }, t("timeline")), " · ",
    el("span", { id: "export-view" }, exportLinks({ scope: "view", entity_id: entityId, hops: 2 }))));
  if (entity.type === "Person") main.append(await victimMarkControl(entityId));

  const attributes = el("table", { class: "attributes" }, el("caption", {}, t("attributes")));
  if (entity.aliases.length) attributes.append(el("tr", {}, el("th", {}, t("aliases")), el("td", {}, entity.aliases.join(", "))));
  for (const [name, value] of Object.entries(entity.properties)) {
    attributes.append(el("tr", {}, el("th", {}, name), el("td", {}, Array.isArray(value) ? value.join(", ") : String(value))));
  }
  main.append(attributes);

  // Network
  const canvas = el("div", { id: "network", class: "network" });
  const evidence = el("aside", { id: "evidence", class: "evidence-panel" }, el("h3", {}, t("evidence")), el("p", { class: "muted" }, t("evidence_hint")));
  const legend = el("div", { id: "legend", class: "legend" });
  const status = el("p", { id: "network-status", class: "muted" });
  const sizeBy = el("select", { id: "size-by" }, el("option", { value: "degree" }, t("degree")), el("option", { value: "betweenness" }, t("betweenness")));
  let current = {};
  const panel = new NetworkPanel(canvas, evidence, legend, {
    onExpand: (id) => api(`/api/entities/${encodeURIComponent(id)}/network?${query({ ...current, hops: 1 })}`),
  });
  window.telaranaNetwork = panel; // for tests and benchmarks: the drawn network
  sizeBy.addEventListener("change", () => panel.resize(sizeBy.value));
  const load = async (filters) => {
    current = filters;
    status.textContent = t("loading");
    try {
      const view = await api(`/api/entities/${encodeURIComponent(entityId)}/network?${query(filters)}`);
      panel.draw(view);
      status.textContent = `${view.nodes.length} · ${view.edges.length}${view.truncated ? ` · ${t("truncated")}` : ""}`;
    } catch (error) { status.textContent = `${t("error")}: ${error.message}`; }
  };
  const filters = filtersForm(load);
  main.append(el("section", { class: "network-section" }, el("h2", {}, t("network")), filters.form,
    el("label", {}, `${t("size_by")} `, sizeBy), status,
    el("div", { class: "network-row" }, canvas, el("div", { class: "side" }, legend, evidence))));
  load(filters.read());

  // Same person, and the judgements behind it
  if (profile.same_as.length) {
    const reason = el("input", { type: "text", id: "split-reason", size: 30, placeholder: t("reason_placeholder") });
    const note = el("span", { class: "note", role: "status" });
    const splitButton = el("button", { type: "button", id: "split", onclick: async () => {
      if (!readyToDecide(note, reason)) return;
      try {
        await api(`/api/entities/${encodeURIComponent(entityId)}/split`, { json: { user: analystName(), reason: reason.value.trim() } });
        note.textContent = t("split_done");
        setTimeout(() => location.reload(), 600);
      } catch (error) { note.textContent = `${t("error")}: ${error.message}`; }
    } }, t("split"));
    main.append(el("section", { id: "same-as" }, el("h2", {}, t("same_person")),
      el("ul", {}, profile.same_as.map((other) => el("li", {}, entityLink(other)))), reason, " ", splitButton, " ", note));
  }
  const history = el("ol", { id: "history" });
  for (const judgement of profile.resolution_history) {
    const pair = [judgement.left_id, judgement.right_id].map((id) => id === entityId ? entity.label : (profile.linked[id]?.label || profile.same_as.find((e) => e.id === id)?.label || id.slice(0, 16)));
    history.append(el("li", { class: `judgement decision-${judgement.decision}` }, judgementLine(judgement), " · ", pair.join(" ⟷ "),
      judgement.reason ? el("div", { class: "muted" }, judgement.reason) : null,
      judgement.retracts ? el("div", { class: "muted" }, `${t("retracts")} ${judgement.retracts.slice(0, 12)}`) : null,
      judgement.decision === "same" ? undoControl(judgement, () => setTimeout(() => location.reload(), 600)) : null));
  }
  main.append(el("section", {}, el("h2", {}, t("history")), profile.resolution_history.length ? history : el("p", { class: "muted" }, t("none"))));

  main.append(el("section", { id: "mentions" }, el("h2", {}, `${t("mentions")} (${profile.mentions.length})`),
    el("ul", { class: "evidence-list" }, profile.mentions.map((m) => el("li", {},
      highlighted(m.sentence || m.text, m.highlight_start, m.highlight_end), " ",
      el("span", { class: "cite" }, "— ", documentLink(m.document_id, m.document_title, m.start), m.page ? ` (${t("page")} ${m.page})` : ""))))));
  main.append(el("section", { id: "relationships" }, el("h2", {}, `${t("relationships")} (${profile.relationships.length})`),
    el("ul", {}, profile.relationships.map((rel) => relationshipItem(rel, entityId, profile.linked)))));
}

whenReady(() => {
  const main = document.getElementById("main");
  renderProfile(main, entityIdFromPath()).catch((error) => showError(main, error));
});
