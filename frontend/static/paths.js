// Path finder: two entities -> the k shortest paths, drawn, each relationship clickable to its evidence.
"use strict";

function pickerField(key, chosen) {
  const input = el("input", { type: "search", id: `${key}-input`, size: 30, placeholder: t("choose_entity"), autocomplete: "off" });
  const list = el("ul", { class: "picks", id: `${key}-picks` });
  const shown = el("span", { class: "chosen", id: `${key}-chosen` });
  entityPicker(input, list, (hit) => { chosen[key] = hit.id; input.value = hit.label; shown.textContent = `✓ ${typeName(hit.type)}`; });
  return el("div", { class: "picker" }, el("label", {}, `${t(key)} `, input), shown, list);
}

whenReady(() => {
  const main = document.getElementById("main");
  const params = new URLSearchParams(location.search);
  const chosen = { source: params.get("source"), target: params.get("target") };
  const k = el("input", { type: "number", id: "k", min: 1, max: 20, value: params.get("k") || 3 });
  const maxHops = el("input", { type: "number", id: "max-hops", min: 1, max: 10, value: params.get("max_hops") || 6 });
  const status = el("p", { id: "paths-status", class: "muted", role: "status" });
  const canvas = el("div", { id: "network", class: "network" });
  const evidence = el("aside", { id: "evidence", class: "evidence-panel" }, el("h3", {}, t("evidence")), el("p", { class: "muted" }, t("evidence_hint")));
  const legend = el("div", { id: "legend", class: "legend" });
  const listing = el("ol", { id: "path-list" });
  const pseudonymise = el("input", { type: "checkbox", id: "pseudonymise" });
  const report = el("p", { id: "report", class: "report" });
  const showReport = () => clear(report).append(`${t("report")}: `, reportLinks([chosen.source, chosen.target], pseudonymise.checked), " ",
    el("label", { class: "check" }, pseudonymise, t("pseudonymise")));
  pseudonymise.addEventListener("change", showReport);
  const panel = new NetworkPanel(canvas, evidence, legend, {});
  window.telaranaNetwork = panel; // for tests and benchmarks: the drawn network
  const form = el("form", { id: "path-form" }, pickerField("source", chosen), pickerField("target", chosen),
    el("label", {}, `${t("alternatives")} `, k), el("label", {}, `${t("max_hops")} `, maxHops),
    el("button", { type: "submit" }, t("find_paths")));
  main.append(el("h1", {}, t("nav_paths")), form, status, report,
    el("div", { class: "network-row" }, canvas, el("div", { class: "side" }, legend, evidence)), listing);

  const find = async () => {
    clear(listing);
    if (!chosen.source || !chosen.target) { status.textContent = t("choose_entity"); return; }
    status.textContent = t("loading");
    try {
      const result = await api(`/api/paths/network?${query({ source: chosen.source, target: chosen.target, k: k.value, max_hops: maxHops.value })}`);
      const paths = result.paths.paths;
      status.textContent = paths.length ? `${paths.length} × ${t("path")}` : t("no_paths");
      showReport();
      panel.draw(result.view);
      paths.forEach((path, index) => {
        // A resolved person is one node for all its records: its relationships name any of them.
        const labels = Object.fromEntries(path.nodes.flatMap((n) => (n.properties?.member_ids || [n.id]).map((m) => [m, n])));
        const steps = el("ol", { class: "steps" });
        for (const step of path.steps) {
          for (const rel of step.relationships) {
            steps.append(el("li", {}, el("button", { type: "button", class: "step", onclick: () => {
              clear(evidence).append(el("h3", {}, `${labels[rel.source_id]?.label} — ${edgeLabel(rel)} → ${labels[rel.target_id]?.label}`), evidenceList(rel.evidence));
              canvas.dataset.selected = rel.id;
            } }, `${labels[rel.source_id]?.label} — ${edgeLabel(rel)} → ${labels[rel.target_id]?.label}`, rel.date ? ` · ${formatDate(rel.date)}` : "")));
          }
        }
        listing.append(el("li", { class: "path" }, el("strong", {}, `${t("path")} ${index + 1}`), ` (${path.steps.length} ${t("steps")}): `,
          path.nodes.map((n) => n.label).join(" → "), steps));
      });
    } catch (error) { status.textContent = `${t("error")}: ${error.message}`; }
  };
  form.addEventListener("submit", (event) => { event.preventDefault(); find(); });
  if (chosen.source && chosen.target) {
    Promise.all([chosen.source, chosen.target].map((id) => api(`/api/entities/${encodeURIComponent(id)}`))).then(([a, b]) => {
      document.getElementById("source-input").value = a.entity.label;
      document.getElementById("target-input").value = b.entity.label;
    }).catch(() => {});
    find();
  }
});
