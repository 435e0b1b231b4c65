// A saved chart reopened: the graph as it stands now, each node where the analyst placed it.
"use strict";

whenReady(async () => {
  const main = document.getElementById("main");
  const chartId = decodeURIComponent(location.pathname.replace(/^\/charts\//, ""));
  let data;
  try { data = await api(`/api/charts/${encodeURIComponent(chartId)}`); } catch (error) { showError(main, error); return; }
  const chart = data.chart;
  document.title = `${chart.title} · Telaraña`;
  const canvas = el("div", { id: "network", class: "network" });
  const evidence = el("aside", { id: "evidence", class: "evidence-panel" }, el("h3", {}, t("evidence")), el("p", { class: "muted" }, t("evidence_hint")));
  const legend = el("div", { id: "legend", class: "legend" });
  const panel = new NetworkPanel(canvas, evidence, legend, {
    onExpand: (id, types) => api(`/api/entities/${encodeURIComponent(id)}/network?${query({ hops: 1, types })}`),
    drawWhole: true,  // the analyst chose these nodes: all are drawn
  });
  window.telaranaNetwork = panel;  // for tests and benchmarks: the drawn network
  main.append(
    el("h1", { id: "chart-heading" }, chart.title),
    el("p", { class: "muted" }, `${t("by")} ${chart.by} · ${formatDate(chart.at)} · ${data.view.nodes.length} ${t("nodes")}`,
      data.left_out ? ` · ${data.left_out} ${t("chart_left_out")}` : ""),
    chart.note ? el("p", { id: "chart-note-text" }, chart.note) : "",
    el("p", { id: "export-chart" }, exportLinks({ scope: "chart", chart_id: chart.id })),
    chartSaver(panel, () => ({ focus: chart.focus, filters: chart.filters, case_id: chart.case_id, replaces: chart.id })),
    el("div", { class: "network-row" }, canvas, el("div", { class: "side" }, legend, evidence)),
  );
  panel.draw(data.view);
  panel.applyMarks(chart.filters);  // hidden, pinned and grouped as they were saved
});
