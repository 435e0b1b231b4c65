// Statistics page: counts by type, the most connected persons, resolution decisions.
"use strict";

function countTable(caption, rows) {
  return el("table", { class: "counts" }, el("caption", {}, caption),
    el("tbody", {}, rows.map(([name, value]) => el("tr", {}, el("th", { scope: "row" }, name), el("td", {}, String(value))))));
}

whenReady(async () => {
  const main = document.getElementById("main");
  main.append(el("h1", {}, t("statistics")));
  try {
    const stats = await api("/api/stats");
    const c = stats.counts;
    main.append(
      countTable(t("counts"), [[t("cases"), c.cases], [t("documents"), c.documents], [t("mentions"), c.mentions], [t("evidence_items"), c.evidence]]),
      countTable(t("entities"), Object.entries(c.entities).map(([type, n]) => [typeName(type), n])),
      countTable(t("relationships"), Object.entries(c.relationships).map(([type, n]) => [relName(type), n])),
      countTable(t("judgements"), [
        ...Object.entries(stats.judgements.by_decision).map(([d, n]) => [decisionName(d), n]),
        ...Object.entries(stats.judgements.by_who).map(([w, n]) => [w === "rule" ? t("rule") : t("analyst_kind"), n]),
        [t("waiting_review"), stats.waiting_for_review]]),
      el("h2", {}, t("most_connected")),
      el("ol", { id: "most-connected" }, stats.most_connected.map((r) => el("li", {}, entityLink(r.entity), ` · ${t("degree")} ${r.degree}`,
        r.member_count > 1 ? ` · ${r.member_count} ${t("members")}` : ""))),
    );
  } catch (error) { showError(main, error); }
});
