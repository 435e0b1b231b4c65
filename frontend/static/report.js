// The prosecutor's report builder: choose the persons (or phones, IDs…), the rules that leave out
// weak co-mentions and hub places, then the links themselves; the report (HTML or PDF) is made
// from exactly what is ticked, with the elements matrix and the originals annexed.
"use strict";

whenReady(() => {
  const main = document.getElementById("main");
  const params = new URLSearchParams(location.search);
  const chosen = new Map(); // id -> label
  const leftOut = new Set(params.getAll("leave_out"));
  const input = el("input", { type: "search", id: "report-input", size: 30, placeholder: t("choose_entity"), autocomplete: "off" });
  const picks = el("ul", { class: "picks", id: "report-picks" });
  const chips = el("ul", { class: "chips", id: "report-chosen" });
  const showChips = () => clear(chips).append(...[...chosen].map(([id, label]) => el("li", { dataset: { id } }, label, " ",
    el("button", { type: "button", class: "unpick", title: t("remove"), onclick: () => { chosen.delete(id); showChips(); } }, "×"))));
  entityPicker(input, picks, (hit) => { chosen.set(hit.id, hit.label); input.value = ""; showChips(); });
  const check = (id, on) => el("input", { type: "checkbox", id, checked: on });
  const weak = check("report-weak", true), hubs = check("report-hubs", true), elements = check("report-elements", true);
  const pseudonymise = check("report-pseudonymise", false), annex = check("report-annex", true);
  const k = el("input", { type: "number", id: "report-k", min: 1, max: 10, value: 3 });
  const hubDegree = el("input", { type: "number", id: "report-hub-degree", min: 2, max: 10000, value: 12 });
  pseudonymise.addEventListener("change", () => { annex.disabled = pseudonymise.checked; if (pseudonymise.checked) annex.checked = false; });
  const status = el("p", { id: "report-status", class: "muted", role: "status" });
  const preview = el("section", { id: "report-preview" });
  const links = el("p", { id: "report-links", class: "report" });

  const options = () => ({
    ids: [...chosen.keys()], user: analystName() || "anonimo", k: k.value, weak: String(weak.checked), hubs: String(hubs.checked),
    hub_degree: hubDegree.value, elements: String(elements.checked), pseudonymise: String(pseudonymise.checked),
    annex: String(annex.checked && !pseudonymise.checked), leave_out: [...leftOut], ...(workingCase() ? { case_id: workingCase() } : {}),
  });
  const showLinks = (report) => clear(links).append(`${t("data_version")}: `, el("code", {}, report.data_version.slice(0, 16)), " · ",
    el("a", { id: "report-open-html", href: `/api/report?${query(options())}`, target: "_blank", rel: "noopener" }, t("report_html")), " · ",
    el("a", { id: "report-open-pdf", href: `/api/report?${query({ ...options(), format: "pdf" })}` }, t("report_pdf")));

  const prepare = async () => {
    if (chosen.size < 2) { status.textContent = t("need_two"); return; }
    status.textContent = t("loading");
    try {
      const report = await api(`/api/report?${query({ ...options(), format: "json" })}`);
      status.textContent = `${report.pairs.reduce((n, p) => n + p.paths.length, 0)} × ${t("path")} · ${report.annex.length} ${t("annexes")}`;
      clear(preview).append(el("h2", {}, t("report_links")), ...report.pairs.map((pair) => el("section", { class: "report-pair" },
        el("h3", {}, `${pair.source} ↔ ${pair.target}`),
        pair.paths.length ? el("ol", {}, pair.paths.map((path) => el("li", { class: "report-path" }, path.labels.join(" → "),
          el("ul", {}, path.steps.flatMap((step) => step.relationships.map((rel) => el("li", {},
            el("label", { class: "check" }, el("input", { type: "checkbox", class: "report-link", checked: true, dataset: { id: rel.id },
              onchange: (event) => { if (event.target.checked) leftOut.delete(rel.id); else leftOut.add(rel.id); showLinks(report); } }),
            `${rel.source} — ${relName(rel.type)}${rel.kind ? ` (${term("association", rel.kind)})` : ""} — ${rel.target}`,
            el("span", { class: "muted" }, ` · ${rel.citations.length} ${t("citations")}`))))))))) : el("p", { class: "muted" }, t("no_paths")))));
      if (report.left_out.length) {
        preview.append(el("h3", {}, t("left_out")), el("ul", { id: "report-left-out" },
          report.left_out.map((lo) => el("li", {}, `${lo.what}: ${lo.label} — ${lo.why}`))));
      }
      if (report.elements.length) {
        preview.append(el("h3", {}, t("legal_elements")), el("ul", { id: "report-elements" }, report.elements.map((person) => el("li", {},
          el("strong", {}, person.label), `: ${Object.entries(person.cells).filter(([, lines]) => lines.length).map(([key]) => term("element", key)).join(", ") || t("element_none")}`,
          person.gaps.length ? el("span", { class: "warning" }, ` · ${t("element_gaps")}: ${person.gaps.map((g) => term("element_group", g)).join(", ")}`) : ""))));
      }
      preview.append(el("h3", {}, t("annexes_title")), el("ol", { id: "report-annex" }, report.annex.map((doc) => el("li", {},
        documentLink(doc.document_id, doc.title), ` · SHA-256 ${doc.document_id.slice(0, 16)}…${doc.attached ? ` · ${t("attached")}` : ""}`))));
      showLinks(report);
    } catch (error) { status.textContent = `${t("error")}: ${error.message}`; }
  };
  const form = el("form", { id: "report-form" },
    el("div", { class: "picker" }, el("label", {}, `${t("report_entities")} `, input), picks, chips),
    el("fieldset", {}, el("legend", {}, t("report_rules")),
      el("label", { class: "check" }, weak, t("rule_weak")), el("label", { class: "check" }, hubs, t("rule_hubs"), " ", hubDegree),
      el("label", { class: "check" }, elements, t("legal_elements")), el("label", { class: "check" }, pseudonymise, t("pseudonymise")),
      el("label", { class: "check" }, annex, t("annex_originals")), " ", el("label", {}, `${t("alternatives")} `, k)),
    el("button", { type: "submit", id: "report-prepare" }, t("report_prepare")));
  form.addEventListener("submit", (event) => { event.preventDefault(); prepare(); });
  main.append(el("h1", {}, t("report_builder")), el("p", { class: "muted" }, t("report_builder_hint")), form, status, links, preview);
  const given = params.getAll("ids");
  if (given.length) {
    Promise.all(given.map((id) => api(`/api/entities/${encodeURIComponent(id)}`))).then((found) => {
      found.forEach((detail) => chosen.set(detail.entity.id, detail.entity.label));
      showChips();
      prepare();
    }).catch((error) => { status.textContent = `${t("error")}: ${error.message}`; });
  }
});
