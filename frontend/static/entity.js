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

// A relationship of the entity: its type, the other end, its evidence (each piece rejectable),
// calls between two phones as one line with their count, and its own history.
function relationshipItem(rel, entityIds, linked, onChange) {
  const outgoing = entityIds.has(rel.source_id);
  const otherId = outgoing ? rel.target_id : rel.source_id;
  const other = linked[otherId];
  const p = rel.properties || {};
  const facts = [
    rel.properties?.kind && rel.type === "ASSOCIATED_WITH" ? term("association", p.kind) : null,
    p.calls ? `${p.calls} ${t("calls_between")} · ${t("first")} ${formatDate(p.first_date)} · ${t("last")} ${formatDate(p.last_date)} · ${t("total_duration")} ${p.total_duration_s} s`
            : (rel.date ? formatDate(rel.date) : null),
    p.mode ? term("mode", p.mode) : null,
    `${t("confidence")} ${rel.confidence.toFixed(2)}`,
    p.asserted_by ? `${t("asserted")} (${p.asserted_by})` : null,
  ].filter(Boolean);
  const ids = Array.isArray(p.relationship_ids) ? p.relationship_ids : [rel.id];
  const evidence = el("ul", { class: "evidence-list" }, rel.evidence.map((ev) => el("li", { class: "evidence", dataset: { evidence: ev.id } },
    el("q", {}, ev.text), el("div", { class: "cite" }, evidenceSource(ev),
      ev.method === "analyst" ? null : reasonedAction(t("reject_evidence"), "reject-evidence", async (reason) => {
        await api(`/api/evidence/${encodeURIComponent(ev.id)}/reject`, { json: withCase({ relationship_id: ev.relationship_id, user: analystName(), reason }) });
        onChange();
      })))));
  const history = el("div", { class: "link-history" });
  const showHistory = el("button", { type: "button", class: "show-history", onclick: async () => {
    const entries = (await Promise.all(ids.map((id) => api(`/api/history?${query({ subject: id })}`)))).flat();
    clear(history).append(historyList(entries, onChange));
  } }, t("link_history"));
  return el("li", { class: `relationship${p.asserted_by ? " asserted" : ""}`, dataset: { id: rel.id, type: rel.type } },
    el("strong", {}, relName(rel.type)), ` ${outgoing ? "→" : "←"} `, other ? entityLink(other) : otherId,
    facts.length ? ` · ${facts.join(" · ")}` : "",
    reasonedAction(t("reject_link"), "reject-link", async (reason) => {
      for (const id of ids) await api(`/api/relationships/${encodeURIComponent(id)}/reject`, { json: withCase({ user: analystName(), reason }) });
      onChange();
    }), reasonedAction(t("annotate"), "annotate-link", async (note) => {
      await api("/api/annotations", { json: withCase({ subject_id: ids[0], note, user: analystName() }) });
      onChange();
    }, "annotated", "note_placeholder"), " ", showHistory, evidence, history);
}

// Merge with any entity found by search, add a link or an entity, annotate: each recorded under the analyst's name.
function correctionsSection(entity, onChange) {
  const note = el("p", { class: "note", role: "status", id: "corrections-status" });
  const done = (message) => { note.textContent = message; setTimeout(onChange, 400); };
  const fail = (error) => { note.textContent = `${t("error")}: ${error.message}`; };

  const mergeChosen = {};
  const mergeInput = el("input", { type: "search", id: "merge-input", size: 28, placeholder: t("choose_entity"), autocomplete: "off" });
  const mergePicks = el("ul", { class: "picks", id: "merge-picks" });
  entityPicker(mergeInput, mergePicks, (hit) => { mergeChosen.id = hit.id; mergeInput.value = hit.label; });
  const mergeReason = el("input", { type: "text", id: "merge-reason", size: 28, placeholder: t("reason_placeholder") });
  const merge = el("button", { type: "button", id: "merge", onclick: async () => {
    if (!readyToDecide(note, mergeReason)) return;
    if (!mergeChosen.id) { note.textContent = t("need_pick"); return; }
    try {
      await api("/api/judgements", { json: withCase({ left_id: entity.id, right_id: mergeChosen.id, decision: "same", user: analystName(), reason: mergeReason.value.trim() }) });
      done(t("merged"));
    } catch (error) { fail(error); }
  } }, t("merge"));

  const linkChosen = {};
  const linkType = el("select", { id: "link-type" }, SCHEMA.relationship_types.map((k) => el("option", { value: k.type }, relName(k.type))));
  linkType.value = "ASSOCIATED_WITH";
  const kinds = Object.keys(SCHEMA.terms || {}).filter((k) => k.startsWith("association:")).map((k) => k.slice(12));
  const linkKind = el("select", { id: "link-kind" }, kinds.map((k) => el("option", { value: k }, term("association", k))));
  const linkInput = el("input", { type: "search", id: "link-input", size: 28, placeholder: t("choose_entity"), autocomplete: "off" });
  const linkPicks = el("ul", { class: "picks", id: "link-picks" });
  entityPicker(linkInput, linkPicks, (hit) => { linkChosen.id = hit.id; linkInput.value = hit.label; });
  const linkDate = el("input", { type: "date", id: "link-date" });
  const linkReason = el("input", { type: "text", id: "link-reason", size: 28, placeholder: t("reason_placeholder") });
  const addLink = el("button", { type: "button", id: "add-link", onclick: async () => {
    if (!readyToDecide(note, linkReason)) return;
    if (!linkChosen.id) { note.textContent = t("need_pick"); return; }
    try {
      await api("/api/relationships", { json: withCase({ relationship_type: linkType.value, source_id: entity.id, target_id: linkChosen.id,
        association: linkType.value === "ASSOCIATED_WITH" ? linkKind.value : null, date: linkDate.value || null,
        user: analystName(), reason: linkReason.value.trim() }) });
      done(t("added"));
    } catch (error) { fail(error); }
  } }, t("add"));

  const noteText = el("textarea", { id: "note-text", rows: 2, cols: 50, placeholder: t("note_placeholder") });
  const annotate = el("button", { type: "button", id: "annotate", onclick: async () => {
    if (!readyToDecide(note)) return;
    if (!noteText.value.trim()) { note.textContent = t("need_note"); return; }
    try {
      await api("/api/annotations", { json: withCase({ subject_id: entity.id, note: noteText.value.trim(), user: analystName() }) });
      done(t("annotated"));
    } catch (error) { fail(error); }
  } }, t("annotate"));

  const newType = el("select", { id: "new-entity-type" }, entityTypes().map((type) => el("option", { value: type }, typeName(type))));
  const newName = el("input", { type: "text", id: "new-entity-name", size: 24 });
  const newReason = el("input", { type: "text", id: "new-entity-reason", size: 28, placeholder: t("reason_placeholder") });
  const addEntity = el("button", { type: "button", id: "add-entity", onclick: async () => {
    if (!readyToDecide(note)) return;
    try {
      const made = await api("/api/entities", { json: withCase({ entity_type: newType.value, label: newName.value.trim(), user: analystName(), reason: newReason.value.trim() }) });
      note.textContent = t("added");
      note.append(" ", el("a", { href: `/entity/${encodeURIComponent(made.subject_id)}`, id: "new-entity-link" }, made.label));
    } catch (error) { fail(error); }
  } }, t("add"));

  const row = (title, ...parts) => el("div", { class: "correction" }, el("h3", {}, title), ...parts);
  return el("section", { id: "corrections" }, el("h2", {}, t("corrections")),
    row(t("merge_with"), el("div", { class: "picker" }, mergeInput, mergePicks), mergeReason, " ", merge),
    row(t("add_link"), el("label", {}, `${t("link_type")} `, linkType), " ", el("label", {}, `${t("association_kind")} `, linkKind), " ",
      el("div", { class: "picker" }, el("label", {}, `${t("other_entity")} `, linkInput), linkPicks), " ", linkDate, " ", linkReason, " ", addLink),
    row(t("annotate"), noteText, " ", annotate),
    row(t("add_entity"), el("label", {}, `${t("entity_type")} `, newType), " ", el("label", {}, `${t("entity_name")} `, newName), " ", newReason, " ", addEntity),
    note);
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
      await api(`/api/entities/${encodeURIComponent(entityId)}/marks`, { json: withCase({ mark: "victim", value: !marked, user: analystName() }) });
      setTimeout(() => location.reload(), 300);
    } catch (error) { note.textContent = `${t("error")}: ${error.message}`; }
  } }, marked ? t("unmark_victim") : t("mark_victim"));
  return el("p", { id: "victim", dataset: { marked: String(marked) } }, button, " ", note);
}

// The legal elements of trafficking for a person: each element with the sentences behind it (each
// rejectable with a reason), the gaps, the minor rule, and the analyst's own additions.
async function elementsSection(entityId, onChange) {
  const matrix = await api(`/api/analysis/elements?${query({ entity_id: entityId, ...(workingCase() ? { case_id: workingCase() } : {}) })}`);
  const table = el("table", { class: "elements", id: "elements-matrix" });
  for (const group of ["action", "means", "purpose"]) {
    table.append(el("tr", { class: "element-group" }, el("th", { colspan: 2 }, term("element_group", group))));
    for (const cell of matrix.cells.filter((c) => c.group === group)) {
      const sentences = cell.evidence.map((ev) => el("li", { class: "element-evidence", dataset: { tag: ev.tag_id, method: ev.method } },
        highlighted(ev.sentence, ev.cue_start, ev.cue_end), " ",
        el("span", { class: "cite" }, "— ", ev.document_id ? documentLink(ev.document_id, ev.document_title) : "",
          ev.method === "analyst" ? `${ev.document_id ? " · " : ""}${t("asserted")} (${(ev.by || "").replace(/^user:/, "")})`
            : ` · ${t("element_rule")} «${ev.cue}» · ${t("confidence")} ${ev.confidence.toFixed(2)}`),
        ev.method === "analyst" ? null : reasonedAction(t("reject_element"), "reject-element", async (reason) => {
          await api(`/api/entities/${encodeURIComponent(entityId)}/elements/reject`, { json: withCase({ element: cell.element, tag_id: ev.tag_id, user: analystName(), reason }) });
          onChange();
        })));
      table.append(el("tr", { class: `element${cell.evidence.length ? " evidenced" : " missing"}`, dataset: { element: cell.element } },
        el("th", { scope: "row" }, term("element", cell.element)),
        el("td", {}, cell.evidence.length ? el("ul", { class: "evidence-list" }, sentences) : el("span", { class: "muted" }, t("element_none")))));
    }
  }
  const facts = [];
  if (matrix.minor) facts.push(el("p", { id: "element-minor", class: "note" }, `${t("element_minor")}: «${matrix.minor_reason}»`));
  if (matrix.gaps.length) facts.push(el("p", { id: "element-gaps", class: "warning" }, `${t("element_gaps")}: ${matrix.gaps.map((g) => term("element_group", g)).join(", ")}`));
  const choice = el("select", { id: "element-choice" }, matrix.cells.map((c) => el("option", { value: c.element }, term("element", c.element))));
  const quote = el("input", { type: "text", id: "element-quote", size: 40, placeholder: t("element_quote") });
  const adder = reasonedAction(t("add_element"), "add-element", async (reason) => {
    await api(`/api/entities/${encodeURIComponent(entityId)}/elements`, { json: withCase({ element: choice.value, quote: quote.value.trim(), user: analystName(), reason }) });
    onChange();
  }, "element_added");
  const rejected = matrix.rejected.length ? el("details", { id: "elements-rejected" }, el("summary", {}, `${t("element_rejected")} (${matrix.rejected.length})`),
    el("ul", {}, matrix.rejected.map((r) => el("li", {}, `${term("element", r.element)}: `, r.sentence ? el("q", {}, r.sentence) : t("element_sentence_gone"),
      el("div", { class: "muted" }, `${r.by.replace(/^user:/, "")} · ${formatDate(r.at)} · ${r.reason}`))))) : null;
  return el("section", { id: "elements" }, el("h2", {}, t("legal_elements")), el("p", { class: "muted" }, t("element_hint")), ...facts, table,
    el("p", { class: "element-add" }, choice, " ", quote, adder), rejected);
}

async function renderProfile(main, entityId) {
  const profile = await api(`/api/entities/${encodeURIComponent(entityId)}/profile`);
  const entity = profile.entity;
  const memberIds = new Set(entity.properties?.member_ids || [entity.id]);
  document.title = `${entity.label} · Telaraña`;
  main.append(el("h1", { id: "entity-label" }, entity.label),
    el("p", { class: "muted", id: "entity-kind" }, typeName(entity.type), profile.member_count > 1 ? ` · ${profile.member_count} ${t("members")}` : ""));
  main.append(el("p", { class: "tools" }, el("a", { href: `/analysis?${query({ entity: entityId })}`, id: "timeline-link" }, t("timeline")), " · ",
    el("span", { id: "export-view" }, exportLinks({ scope: "view", entity_id: entityId, hops: 2 }))));
  if (entity.type === "Person") main.append(await victimMarkControl(entityId));

  const attributes = el("table", { class: "attributes" }, el("caption", {}, t("attributes")));
  if (entity.aliases.length) attributes.append(el("tr", {}, el("th", {}, t("aliases")), el("td", {}, entity.aliases.join(", "))));
  attributes.append(...attributeRows(entity.properties, entity.type));
  main.append(attributes);
  if (profile.documents.length) {
    main.append(el("section", { id: "documents" }, el("h2", {}, t("documents_seen")),
      el("ul", {}, profile.documents.map((d) => el("li", {}, documentLink(d.id, d.title), ` · ${d.mentions} ${t(d.mentions === 1 ? "mention_one" : "mentions_in_document")}`)))));
  }

  // Network
  const canvas = el("div", { id: "network", class: "network" });
  const evidence = el("aside", { id: "evidence", class: "evidence-panel" }, el("h3", {}, t("evidence")), el("p", { class: "muted" }, t("evidence_hint")));
  const legend = el("div", { id: "legend", class: "legend" });
  const status = el("p", { id: "network-status", class: "muted" });
  const sizeBy = el("select", { id: "size-by" }, el("option", { value: "degree" }, t("degree")), el("option", { value: "betweenness" }, t("betweenness")));
  let current = {};
  const panel = new NetworkPanel(canvas, evidence, legend, {
    onExpand: (id, types) => api(`/api/entities/${encodeURIComponent(id)}/network?${query({ ...current, hops: 1, ...(types ? { types } : {}) })}`),
    drawWhole: new URLSearchParams(location.search).has("whole"),
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
    chartSaver(panel, () => ({ focus: entityId, filters: current, case_id: current.case_id })),
    el("div", { class: "network-row" }, canvas, el("div", { class: "side" }, legend, evidence))));
  load(filters.read());

  // Same person, and the judgements behind it
  if (profile.same_as.length) {
    const reason = el("input", { type: "text", id: "split-reason", size: 30, placeholder: t("reason_placeholder") });
    const note = el("span", { class: "note", role: "status" });
    const splitButton = el("button", { type: "button", id: "split", onclick: async () => {
      if (!readyToDecide(note, reason)) return;
      try {
        await api(`/api/entities/${encodeURIComponent(entityId)}/split`, { json: withCase({ user: analystName(), reason: reason.value.trim() }) });
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
      judgementReason(judgement) ? el("div", { class: "muted" }, judgementReason(judgement)) : null,
      judgement.retracts ? el("div", { class: "muted" }, `${t("retracts")} ${judgement.retracts.slice(0, 12)}`) : null,
      judgement.decision === "same" ? undoControl(judgement, () => setTimeout(() => location.reload(), 600)) : null));
  }
  main.append(el("section", {}, el("h2", {}, t("history")), profile.resolution_history.length ? history : el("p", { class: "muted" }, t("none"))));
  const reload = () => location.reload();
  if (entity.type === "Person") {
    try { main.append(await elementsSection(entityId, reload)); } catch (error) { main.append(el("p", { class: "warning" }, `${t("error")}: ${error.message}`)); }
  }
  main.append(correctionsSection(entity, reload));
  main.append(el("section", { id: "entity-history" }, el("h2", {}, t("history_all")), historyList(profile.history, reload)));

  main.append(el("section", { id: "mentions" }, el("h2", {}, `${t("mentions")} (${profile.mentions.length})`),
    el("ul", { class: "evidence-list" }, profile.mentions.map((m) => el("li", {},
      highlighted(m.sentence || m.text, m.highlight_start, m.highlight_end), " ",
      el("span", { class: "cite" }, "— ", documentLink(m.document_id, m.document_title, m.start), m.page ? ` (${t("page")} ${m.page})` : ""))))));
  main.append(el("section", { id: "relationships" }, el("h2", {}, `${t("relationships")} (${profile.relationships.length})`),
    el("ul", {}, profile.relationships.map((rel) => relationshipItem(rel, memberIds, profile.linked, reload)))));
}

whenReady(() => {
  const main = document.getElementById("main");
  renderProfile(main, entityIdFromPath()).catch((error) => showError(main, error));
});
