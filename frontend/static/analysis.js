// Case analysis: brokers and communities (drawn, coloured by community), co-travel with the rows
// behind it, call records (common contacts, top contacts, possible burners), cross-border ties,
// the timeline, and exports. `?case_id=` limits everything to one case; `?entity=` opens the
// timeline of one entity.
"use strict";

function table(headers, rows, attributes = {}) {
  return el("table", { class: "results", ...attributes },
    el("thead", {}, el("tr", {}, headers.map((h) => el("th", {}, h)))),
    el("tbody", {}, rows));
}

function section(id, title, ...content) {
  return el("section", { id, class: "analysis-section" }, el("h2", {}, title), ...content);
}

function entityRef(id, label) {
  return el("a", { href: `/entity/${encodeURIComponent(id)}`, class: "entity-link" }, label);
}

async function loading(container, work) {
  clear(container).append(el("p", { class: "muted" }, t("loading")));
  try {
    const nodes = await work();
    clear(container).append(...[nodes].flat());
  } catch (error) { clear(container); showError(container, error); }
}

function brokersSection(scope) {
  const network = el("select", { id: "broker-network" },
    el("option", { value: "persons" }, t("network_persons")), el("option", { value: "all" }, t("network_all")));
  const body = el("div", { id: "brokers" });
  const load = () => loading(body, async () => {
    const result = await api(`/api/analysis/centrality?${query({ ...scope, network: network.value, top: 25 })}`);
    const rows = result.rows.map((r) => el("tr", { dataset: { id: r.id } },
      el("td", {}, entityRef(r.id, r.label)), el("td", {}, typeName(r.type)), el("td", { class: "num" }, r.degree),
      el("td", { class: "num" }, r.betweenness.toFixed(3)),
      el("td", {}, el("span", { class: "swatch", style: `background:${communityColour(r.community)}` }), ` ${r.community}`)));
    return [el("p", { class: "muted" }, `${result.nodes} · ${result.edges} · ${result.communities} ${t("communities")} (${result.community_method})`),
      table([t("entities"), t("type"), t("degree"), t("betweenness"), t("community")], rows, { id: "broker-table" })];
  });
  network.addEventListener("change", load);
  load();
  return section("brokers-section", t("brokers"), el("label", {}, `${t("network")} `, network), body);
}

function communityNetworkSection(scope) {
  const canvas = el("div", { id: "network", class: "network" });
  const evidence = el("aside", { id: "evidence", class: "evidence-panel" }, el("h3", {}, t("evidence")), el("p", { class: "muted" }, t("evidence_hint")));
  const legend = el("div", { id: "legend", class: "legend" });
  const status = el("p", { id: "network-status", class: "muted" }, t("loading"));
  const colourBy = el("select", { id: "colour-by" }, el("option", { value: "community" }, t("community")), el("option", { value: "type" }, t("type")));
  const panel = new NetworkPanel(canvas, evidence, legend, { colourBy: "community" });
  window.telaranaNetwork = panel; // for tests: the drawn network
  colourBy.addEventListener("change", () => panel.recolour(colourBy.value));
  // The chart follows the period brushed on the timeline (timeline_map.js).
  const load = () => api(`/api/analysis/network?${query({ ...scope, date_from: casePeriod.from, date_to: casePeriod.to })}`).then((view) => {
    panel.draw(view);
    canvas.dataset.period = casePeriod.from ? `${casePeriod.from}/${casePeriod.to}` : "";
    status.textContent = `${view.nodes.length} · ${view.edges.length}${view.truncated ? ` · ${t("truncated")}` : ""}`;
  }).catch((error) => { status.textContent = `${t("error")}: ${error.message}`; });
  document.addEventListener("telarana:period", load);
  load();
  return section("community-section", t("network"), el("label", {}, `${t("colour_by")} `, colourBy), status,
    el("div", { class: "network-row" }, canvas, el("div", { class: "side" }, legend, evidence)));
}

function coTravelSection(scope) {
  const hours = el("input", { id: "co-travel-hours", type: "number", min: 0, max: 720, step: 1, value: 12 });
  const body = el("div", { id: "co-travel" });
  const load = () => loading(body, async () => {
    const found = await api(`/api/analysis/co-travel?${query({ ...scope, hours: hours.value })}`);
    if (!found.length) return el("p", { class: "muted" }, t("nothing_found"));
    return table([t("entities"), t("kind"), t("vehicle"), t("when"), t("evidence")], found.map((c) => el("tr", { class: "co-travel", dataset: { kind: c.kind, at: c.when || "" }, hidden: !inCasePeriod(c.when) },
      el("td", {}, entityRef(c.persons[0], c.labels[0]), " · ", entityRef(c.persons[1], c.labels[1])),
      el("td", {}, t(`kind_${c.kind}`)), el("td", {}, c.mode ? `${c.vehicle} (${term("mode", c.mode)})` : c.vehicle), el("td", {}, formatDate(c.when)),
      el("td", {}, evidenceList(c.evidence)))), { id: "co-travel-table" });
  });
  const form = el("form", { class: "inline" }, el("label", {}, `${t("window_hours")} `, hours), " ", el("button", { type: "submit" }, t("apply")));
  form.addEventListener("submit", (event) => { event.preventDefault(); load(); });
  load();
  return section("co-travel-section", t("co_travel"), form, body);
}

function phoneLine(phone) {
  const users = phone.users.length ? ` (${phone.users.join(", ")})` : "";
  return el("span", {}, entityRef(phone.id, phone.label), phone.country ? ` ${phone.country}` : "", users);
}

function statsLine(stats) {
  return `${stats.calls} ${t("calls_count")} · ${t("first_contact")} ${formatDate(stats.first)} · ` +
    `${t("last_contact")} ${formatDate(stats.last)} · ${t("total_duration")} ${stats.total_duration_s} s`;
}

function callsSection(scope) {
  const chosen = [];
  const chips = el("ul", { id: "call-sides", class: "chips" });
  const input = el("input", { type: "search", id: "call-input", size: 30, placeholder: t("add_phone"), autocomplete: "off" });
  const picks = el("ul", { class: "picks", id: "call-picks" });
  const body = el("div", { id: "calls" });
  entityPicker(input, picks, (hit) => {
    if (!chosen.some((c) => c.id === hit.id)) chosen.push(hit);
    input.value = "";
    clear(chips).append(...chosen.map((c) => el("li", {}, `${c.label} · ${typeName(c.type)}`)));
  });
  const run = () => loading(body, async () => {
    if (chosen.length < 1) return el("p", { class: "muted" }, t("need_two"));
    const out = [];
    const top = await api(`/api/analysis/calls/top?${query({ ...scope, id: chosen[0].id })}`);
    out.push(el("h3", {}, `${t("top_contacts")} ${chosen[0].label}`),
      el("ol", { id: "top-contacts" }, top.map((c) => el("li", {}, phoneLine(c.phone), " — ", statsLine(c.stats)))));
    if (chosen.length >= 2) {
      const common = await api(`/api/analysis/calls/common?${query({ ...scope, ids: chosen.map((c) => c.id) })}`);
      out.push(el("h3", {}, t("common_contacts")), common.contacts.length
        ? el("ul", { id: "common-contacts" }, common.contacts.map((c) => el("li", { class: "common-contact" }, phoneLine(c.phone), ` — ${c.calls} ${t("calls_count")}`)))
        : el("p", { class: "muted", id: "common-contacts" }, t("nothing_found")));
      if (common.direct.length) {
        out.push(el("h3", {}, t("direct_calls")), el("ul", {}, common.direct.map((d) => el("li", {}, `${d.phones.join(" ⟷ ")}: ${statsLine(d)}`))));
      }
    } else out.push(el("p", { class: "muted" }, t("need_two")));
    return out;
  });
  const button = el("button", { type: "button", id: "call-run", onclick: run }, t("apply"));
  return section("calls-section", t("calls"), el("div", { class: "picker" }, input, " ", button, picks), chips, body, burnersPart(scope));
}

function burnersPart(scope) {
  const hours = el("input", { id: "burner-hours", type: "number", min: 1, max: 8760, value: 72 });
  const body = el("div", { id: "burners" });
  const load = () => loading(body, async () => {
    const report = await api(`/api/analysis/calls/burners?${query({ ...scope, window_hours: hours.value })}`);
    const cover = report.records_from ? el("p", { class: "muted" }, `${t("records_cover")} ${formatDate(report.records_from)} – ${formatDate(report.records_to)}`) : null;
    if (!report.candidates.length) return [cover, el("p", { class: "muted" }, t("burner_none"))];
    return [cover, el("ul", {}, report.candidates.map((c) => el("li", { class: "burner" }, phoneLine(c.phone),
      ` — ${c.calls} ${t("calls_count")}, ${c.active_hours} ${t("active_hours")} (${formatDate(c.first)} – ${formatDate(c.last)})`)))];
  });
  const form = el("form", { class: "inline" }, el("label", {}, `${t("window_hours")} `, hours), " ", el("button", { type: "submit" }, t("apply")));
  form.addEventListener("submit", (event) => { event.preventDefault(); load(); });
  load();
  return el("div", {}, el("h3", {}, t("burners")), form, body);
}

function crossBorderSection(scope) {
  const country = el("select", { id: "country" }, el("option", { value: "" }, t("all_countries")));
  const body = el("div", { id: "cross-border" });
  let known = false;
  const load = () => loading(body, async () => {
    const view = await api(`/api/analysis/cross-border?${query({ ...scope, country: country.value })}`);
    if (!known) { view.countries.forEach((c) => country.append(el("option", { value: c }, c))); known = true; }
    if (!view.items.length) return el("p", { class: "muted" }, t("nothing_found"));
    return table([t("kind"), t("entities"), t("country"), t("tied_persons")], view.items.map((item) => el("tr", { class: "border-item", dataset: { kind: item.kind } },
      el("td", {}, t(`border_${item.kind}`)), el("td", {}, entityRef(item.entity_id, item.label)), el("td", {}, item.countries.join(", ")),
      el("td", {}, item.tied_person_ids.flatMap((id, i) => [i ? ", " : "", entityRef(id, item.tied_persons[i])])))), { id: "cross-border-table" });
  });
  country.addEventListener("change", load);
  load();
  return section("cross-border-section", t("cross_border"), el("label", {}, `${t("country")} `, country), body);
}

// An event in the page's language, from what the server gives: the two ends, the relationship's type and kind.
function eventSummary(e) {
  if (e.kind === "call") return `${e.source_label} → ${e.target_label}${e.duration_s !== null && e.duration_s !== undefined ? ` (${e.duration_s} s)` : ""}`;
  if (e.kind === "journey") return `${e.source_label}: ${e.target_label}`;
  if (e.kind === "judgement") return `${e.source_label} / ${e.target_label}: ${decisionName(e.decision)} (${t("by")} ${e.by})`;
  if (e.kind === "relationship") {
    const kind = e.association ? ` (${term("association", e.association)})` : "";
    return `${e.source_label} — ${relName(e.relationship_type)}${kind} — ${e.target_label}`;
  }
  return e.summary;
}

function timelineSection(scope, entityId) {
  const body = el("div", { id: "timeline" });
  loading(body, async () => {
    const result = await api(`/api/analysis/timeline?${query({ ...scope, entity_id: entityId, limit: 500 })}`);
    if (!result.events.length) return el("p", { class: "muted" }, t("nothing_found"));
    return el("ol", { class: "timeline" }, result.events.map((e) => el("li", { class: `event event-${e.kind}`, dataset: { at: e.at }, hidden: !inCasePeriod(e.at) },
      el("time", { datetime: e.at }, formatDate(e.at)), ` · ${t(`event_${e.kind}`)} · `, eventSummary(e),
      e.quote && e.document_id ? el("div", { class: "cite" }, el("q", {}, e.quote), " — ", documentLink(e.document_id, e.document_title)) : null,
      e.kind === "judgement" && e.quote ? el("div", { class: "cite" }, `${t("reason")}: `, el("q", {}, e.quote)) : null)));
  });
  return section("timeline-section", t("timeline"), body);
}

whenReady(() => {
  const main = document.getElementById("main");
  const params = new URLSearchParams(location.search);
  const scope = { case_id: params.get("case_id") || undefined };
  const entityId = params.get("entity") || undefined;
  // A case by its name or its id; the names the user may pick are offered as they type.
  const caseInput = el("input", { type: "text", name: "case_id", size: 24, value: scope.case_id || "", placeholder: t("all_cases"), list: "case-names" });
  const caseNames = el("datalist", { id: "case-names" });
  api("/api/cases").then((cases) => caseNames.append(...cases.map((c) => el("option", { value: c.name })))).catch(() => {});
  const caseForm = el("form", { class: "inline", method: "get", action: "/analysis" }, el("label", {}, `${t("case_id")} `, caseInput), " ",
    el("button", { type: "submit" }, t("load")), caseNames);
  main.append(el("h1", {}, t("analysis")), caseForm, el("p", {}, exportLinks({ scope: "case", case_id: scope.case_id })));
  if (entityId) main.append(timelineSection(scope, entityId));
  main.append(brokersSection(scope), communityNetworkSection(scope), coTravelSection(scope), callsSection(scope), crossBorderSection(scope));
  if (!entityId) main.append(timelineSection(scope));
  if (!entityId) caseForm.after(periodSection(scope));
  // The tables show the period brushed on the timeline.
  document.addEventListener("telarana:period", () => {
    for (const row of document.querySelectorAll("ol.timeline li[data-at], tr.co-travel[data-at]")) row.hidden = !inCasePeriod(row.dataset.at);
  });
});
