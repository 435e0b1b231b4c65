// Home page without a search: the user's cases, each a card with what it holds, what waits for
// the analyst (review pairs, corrections) and what was ingested last, with its warnings.
"use strict";

function dashboardCount(label, value, href) {
  const shown = href ? el("a", { href }, String(value)) : String(value);
  return el("li", {}, el("span", { class: "count" }, shown), " ", label);
}

function runLine(run) {
  const done = run.files_total ? `${run.files_done}/${run.files_total}` : String(run.files_done);
  const stored = run.outcomes.filter((o) => o.status === "stored" || o.status === "reread").length;
  const failed = run.outcomes.filter((o) => o.status === "failed").length;
  const warnings = run.outcomes.reduce((sum, o) => sum + o.warnings.length, 0);
  return `${t(`run_${run.status}`)} · ${formatDate(run.started_at)} · ${t("by")} ${run.by} · ${t("files")} ${done} · `
    + `${t("stored")} ${stored} · ${t("failed")} ${failed} · ${t("warnings")} ${warnings}`;
}

function runWarnings(run) {
  const items = run.outcomes.flatMap((o) => [
    ...(o.status === "failed" ? [el("li", { class: "error" }, `${o.path}: ${o.reason}`)] : []),
    ...o.warnings.map((w) => el("li", {}, `${o.path}: ${w}`)),
  ]);
  if (!items.length) return null;
  return el("details", { class: "run-warnings" }, el("summary", {}, `${t("warnings_and_failures")} (${items.length})`),
    el("ul", {}, ...items));
}

function chartList(charts) {
  if (!charts.length) return el("p", { class: "muted" }, t("no_charts"));
  return el("ul", { class: "saved-charts" }, ...charts.slice(0, 5).map((c) => el("li", {},
    el("a", { href: `/charts/${encodeURIComponent(c.id)}` }, c.title), " ",
    el("span", { class: "muted" }, `${c.nodes} ${t("nodes")} · ${formatDate(c.at)} · ${t("by")} ${c.by}`))));
}

function caseCard(summary, charts, screening = { flags: [], alerts: [] }) {
  const id = summary.case.id;
  const inCase = (path) => `${path}?${query({ case_id: id })}`;
  const entities = Object.entries(summary.entities).sort((a, b) => b[1] - a[1])
    .map(([type, n]) => el("li", {}, `${typeName(type)} ${n}`));
  const brokers = el("ol", { class: "brokers" }, el("li", { class: "muted" }, t("loading")));
  const card = el("article", { class: "case-card", "data-case": id },
    el("h2", {}, el("a", { href: inCase("/analysis"), class: "case-name" }, summary.case.name)),
    el("ul", { class: "case-counts" },
      dashboardCount(t("documents"), summary.documents),
      dashboardCount(t("mentions"), summary.mentions),
      dashboardCount(t("relationships"), summary.relationships),
      dashboardCount(t("waiting_review"), summary.open_review_pairs, "/review"),
      dashboardCount(t("corrections_made"), summary.corrections)),
    el("ul", { class: "chips" }, ...entities),
    el("section", {}, el("h3", {}, t("brokers_of_case")), brokers),
    el("section", {}, el("h3", {}, t("latest_documents")),
      summary.latest_documents.length
        ? el("ul", {}, ...summary.latest_documents.map((d) => el("li", {}, documentLink(d.id, d.title))))
        : el("p", { class: "muted" }, t("none"))),
    el("section", {}, el("h3", {}, t("recent_corrections")),
      summary.recent_corrections.length
        ? el("ul", { class: "recent-corrections" }, ...summary.recent_corrections.map((c) =>
            el("li", {}, `${term("correction", c.kind)} · ${formatDate(c.at)} · ${t("by")} ${c.by}${c.reason ? ` — ${c.reason}` : ""}`)))
        : el("p", { class: "muted" }, t("none"))),
    el("section", {}, el("h3", {}, t("saved_charts")), chartList(charts.filter((c) => c.case_id === id))),
    el("section", { class: "case-screening" }, el("h3", {}, t("alerts")),
      alertList(screening.alerts.filter((a) => a.case_id === id).slice(0, 5)),
      el("p", {}, el("a", { href: `/screening?${query({ case_id: id })}`, class: "open-flags" },
        `${screening.flags.filter((v) => v.flag.case_id === id).length} ${t("open_flags")}`))),
    el("section", { class: "last-run" }, el("h3", {}, t("last_ingest")),
      summary.last_run ? el("p", {}, runLine(summary.last_run)) : el("p", { class: "muted" }, t("no_run")),
      summary.last_run ? runWarnings(summary.last_run) : null),
    el("p", {}, el("a", { href: inCase("/analysis") }, t("open_case")), " · ",
      el("a", { href: "/upload", class: "upload-link", "data-case": id }, t("nav_upload"))),
  );
  api(`/api/analysis/centrality?${query({ case_id: id, network: "persons", types: "Person", top: 3 })}`).then((result) => {
    clear(brokers);
    const ranked = result.rows.filter((row) => row.betweenness > 0);
    if (!ranked.length) { brokers.replaceWith(el("p", { class: "muted" }, t("no_brokers"))); return; }
    for (const row of ranked) brokers.append(el("li", {}, entityLink(row), " ", el("span", { class: "muted" },
      `${t("betweenness")} ${row.betweenness.toFixed(3)} · ${t("degree")} ${row.degree}`)));
  }).catch((error) => showError(clear(brokers), error));
  card.querySelector(".upload-link").addEventListener("click", () => localStorage.setItem("telarana.case", id));
  return card;
}

whenReady(() => {
  if (new URLSearchParams(location.search).get("q")) return;  // a search: its results instead
  const board = el("section", { id: "dashboard", "aria-live": "polite" }, el("p", { class: "muted" }, t("loading")));
  document.getElementById("main").append(board);
  Promise.all([api("/api/dashboard"), api("/api/charts"), api("/api/screening/flags?status=open"), api("/api/watchlist/alerts")]).then(([cases, charts, flags, alerts]) => {
    clear(board).append(el("h1", {}, t("my_cases")));
    if (!cases.length) { board.append(el("p", {}, t("no_cases_yet"))); return; }
    board.append(el("div", { class: "case-cards" }, ...cases.map((summary) => caseCard(summary, charts, { flags, alerts }))));
  }).catch((error) => showError(clear(board), error));
});
