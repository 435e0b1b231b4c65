// Draws a NetworkView (positions computed by the server) with vis-network, physics off,
// and fills the evidence panel when a node or a relationship is clicked.
"use strict";

const LABELS_UP_TO = 400; // above this many nodes, labels appear on hover / zoom only

function tooltip(...lines) {
  // vis-network shows an Element title as given; built from text nodes, it runs nothing.
  return el("div", { class: "tip" }, ...lines.map((line) => el("div", {}, line)));
}

function nodeSize(node, sizeBy, maxima) {
  const value = sizeBy === "betweenness" ? node.betweenness / (maxima.betweenness || 1) : node.degree / (maxima.degree || 1);
  return 8 + 24 * Math.sqrt(Math.max(0, value));
}

// Communities get colours that stay apart; past the palette they cycle through hues.
const COMMUNITY_COLOURS = ["#e6194b", "#3cb44b", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6", "#bfef45", "#469990", "#9a6324", "#800000", "#000075"];
function communityColour(number) {
  if (!number) return "#999";
  return COMMUNITY_COLOURS[number - 1] ?? `hsl(${(number * 137) % 360}, 55%, 55%)`;
}

function nodeColour(node, colourBy) {
  return colourBy === "community" ? communityColour(node.community) : (typeColour(node.entity.type));
}

function visNode(node, sizeBy, maxima, showLabels, colourBy = "type") {
  const entity = node.entity;
  const colour = nodeColour(node, colourBy);
  const community = node.community ? `${t("community")} ${node.community}` : null;
  const aliases = entity.aliases?.length ? `${t("aliases")}: ${entity.aliases.join(", ")}` : null;
  return {
    id: entity.id, x: node.x, y: node.y,
    label: showLabels ? entity.label : undefined,
    title: tooltip(entity.label, typeName(entity.type), aliases, `${t("degree")} ${node.degree} · ${t("betweenness")} ${node.betweenness.toFixed(3)}`, community),
    color: { background: colour, border: "#333", highlight: { background: colour, border: "#000" } },
    shape: "dot", size: nodeSize(node, sizeBy, maxima), font: { size: 13 },
    entity, metrics: node,
  };
}

// A relationship in words: its type, an association's kind, how many calls.
function edgeLabel(edge) {
  const p = edge.properties || {};
  if (p.calls) return `${relName(edge.type)} (${p.calls})`;
  if (edge.type === "ASSOCIATED_WITH" && p.kind) return `${relName(edge.type)} (${term("association", p.kind)})`;
  return relName(edge.type);
}

function visEdge(edge, showLabels) {
  return {
    id: edge.id, from: edge.source_id, to: edge.target_id, arrows: "to",
    label: showLabels ? edgeLabel(edge) : undefined,
    title: tooltip(edgeLabel(edge), edge.date ? `${t("date")} ${formatDate(edge.date)}` : null, `${t("confidence")} ${edge.confidence.toFixed(2)}`,
                   edge.properties?.asserted_by ? `${t("asserted")} (${edge.properties.asserted_by})` : null),
    width: 1 + 2 * edge.confidence, color: { color: "#888", highlight: "#222" }, font: { size: 10, align: "middle" },
    dashes: Boolean(edge.properties?.asserted_by),  // an analyst's assertion, not a document's
    row: edge,
  };
}

// Where an expansion's new nodes go: on an arc around their node, facing away from the rest of
// the drawing, as far out as needed for none to land on a node already drawn.
const CLEARANCE = 60;
function placeAround(positions, centre, count) {
  const origin = positions[centre];
  const others = Object.entries(positions).filter(([id]) => id !== centre).map(([, p]) => p);
  const centroid = others.length
    ? { x: others.reduce((s, p) => s + p.x, 0) / others.length, y: others.reduce((s, p) => s + p.y, 0) / others.length }
    : { x: origin.x - 1, y: origin.y };
  const away = Math.atan2(origin.y - centroid.y, origin.x - centroid.x);
  let points = [];
  for (let radius = 120; radius <= 120 + 40 * 60; radius += 40) {
    // The arc widens with the number of nodes, up to a full circle; neighbours stay CLEARANCE apart.
    const arc = Math.min(2 * Math.PI, Math.max(Math.PI / 2, (count * CLEARANCE) / radius));
    const step = count > 1 ? arc / (arc >= 2 * Math.PI ? count : count - 1) : 0;
    points = Array.from({ length: count }, (_, i) => {
      const angle = away - (count > 1 ? arc / 2 : 0) + i * step;
      return { x: origin.x + radius * Math.cos(angle), y: origin.y + radius * Math.sin(angle) };
    });
    if (points.every((p) => others.every((o) => Math.hypot(p.x - o.x, p.y - o.y) >= CLEARANCE))) break;
  }
  return points;
}

class NetworkPanel {
  // container: the drawing area; evidencePanel: where clicked evidence is listed;
  // options.onExpand(entityId) returns a NetworkView to merge in (double-click).
  constructor(container, evidencePanel, legend, options = {}) {
    this.container = container;
    this.evidencePanel = evidencePanel;
    this.legend = legend;
    this.options = options;
    this.sizeBy = options.sizeBy || "degree";
    this.colourBy = options.colourBy || "type"; // or "community" (views that carry one)
    this.nodes = new vis.DataSet();
    this.edges = new vis.DataSet();
    this.network = null;
  }

  draw(view) {
    this.container.dataset.state = "drawing";
    this.focus = view.focus;
    const started = performance.now();
    const showLabels = view.nodes.length <= LABELS_UP_TO;
    this.showLabels = showLabels;
    this.maxima = {
      degree: Math.max(1, ...view.nodes.map((n) => n.degree)),
      betweenness: Math.max(1e-9, ...view.nodes.map((n) => n.betweenness)),
    };
    this.nodes.clear();
    this.edges.clear();
    this.nodes.add(view.nodes.map((n) => visNode(n, this.sizeBy, this.maxima, showLabels, this.colourBy)));
    this.edges.add(view.edges.map((e) => visEdge(e, showLabels && view.edges.length <= LABELS_UP_TO)));
    if (!this.network) {
      this.network = new vis.Network(this.container, { nodes: this.nodes, edges: this.edges }, {
        physics: { enabled: false },
        layout: { improvedLayout: false },
        edges: { smooth: false },
        interaction: { hover: true, tooltipDelay: 150, hideEdgesOnDrag: view.nodes.length > LABELS_UP_TO, multiselect: false },
      });
      this.network.on("click", (event) => this.clicked(event));
      this.network.on("doubleClick", (event) => this.doubleClicked(event));
    }
    this.network.once("afterDrawing", () => {
      this.container.dataset.state = "drawn";
      this.container.dataset.drawMs = String(Math.round(performance.now() - started));
      this.container.dataset.drawnAt = String(Math.round(performance.now())); // ms since the page was opened
    });
    this.network.fit({ animation: false });
    this.renderLegend();
  }

  resize(sizeBy) {
    this.sizeBy = sizeBy;
    this.nodes.update(this.nodes.get().map((n) => ({ id: n.id, size: nodeSize(n.metrics, sizeBy, this.maxima) })));
  }

  recolour(colourBy) {
    this.colourBy = colourBy;
    this.nodes.update(this.nodes.get().map((n) => {
      const colour = nodeColour(n.metrics, colourBy);
      return { id: n.id, color: { background: colour, border: "#333", highlight: { background: colour, border: "#000" } } };
    }));
    this.renderLegend();
  }

  renderLegend() {
    if (!this.legend) return;
    if (this.colourBy === "community") {
      const counts = new Map();
      this.nodes.get().forEach((n) => counts.set(n.metrics.community, (counts.get(n.metrics.community) || 0) + 1));
      const shown = [...counts.keys()].sort((a, b) => a - b).slice(0, 12);
      clear(this.legend).append(el("h3", {}, t("legend")), ...shown.map((c) => el("div", { class: "legend-item" },
        el("span", { class: "swatch", style: `background:${communityColour(c)}` }), `${t("community")} ${c} (${counts.get(c)})`)));
      return;
    }
    const present = [...new Set(this.nodes.get().map((n) => n.entity.type))].sort();
    clear(this.legend).append(el("h3", {}, t("legend")),
      ...present.map((type) => el("div", { class: "legend-item" },
        el("span", { class: "swatch", style: `background:${typeColour(type)}` }), typeName(type))));
  }

  async clicked(event) {
    if (event.nodes.length) return this.showNode(event.nodes[0]);
    if (event.edges.length) return this.showEdge(event.edges[0]);
  }

  async doubleClicked(event) {
    if (!event.nodes.length || !this.options.onExpand) return;
    const centre = event.nodes[0];
    const view = await this.options.onExpand(centre);
    const fresh = view.nodes.filter((n) => !this.nodes.get(n.entity.id));
    placeAround(this.network.getPositions(), centre, fresh.length).forEach((point, i) => { fresh[i].x = point.x; fresh[i].y = point.y; });
    this.nodes.add(fresh.map((n) => visNode(n, this.sizeBy, this.maxima, this.showLabels, this.colourBy)));
    this.edges.add(view.edges.filter((e) => !this.edges.get(e.id)).map((e) => visEdge(e, this.showLabels)));
    this.container.dataset.expanded = String(Number(this.container.dataset.expanded || 0) + 1);
    this.renderLegend();
  }

  async showNode(id) {
    const membersCount = (entity) => (entity.properties?.member_ids || [entity.id]).length;
    const node = this.nodes.get(id);
    const panel = clear(this.evidencePanel);
    const entity = node.entity;
    panel.append(el("h3", {}, entity.label), el("p", { class: "muted" }, typeName(entity.type),
      membersCount(entity) > 1 ? ` · ${membersCount(entity)} ${t("members")}` : ""),
      el("p", {}, el("a", { href: `/entity/${encodeURIComponent(entity.id)}`, class: "open-profile" }, t("open_profile"))));
    const list = el("ul", { class: "evidence-list" });
    panel.append(el("h4", {}, t("mentions")), list);
    {  // the profile of a resolved person gathers every member's mentions
      const profile = await api(`/api/entities/${encodeURIComponent(entity.id)}/profile`);
      for (const m of profile.mentions) {
        list.append(el("li", {}, highlighted(m.sentence || m.text, m.highlight_start, m.highlight_end), " ",
          el("span", { class: "cite" }, "— ", documentLink(m.document_id, m.document_title, m.start), m.page ? ` (${t("page")} ${m.page})` : "")));
      }
    }
  }

  async showEdge(id) {
    const edge = this.edges.get(id);
    const row = edge.row;
    const panel = clear(this.evidencePanel);
    const from = this.nodes.get(row.source_id)?.entity.label ?? row.source_id;
    const to = this.nodes.get(row.target_id)?.entity.label ?? row.target_id;
    const p = row.properties || {};
    const ids = Array.isArray(p.relationship_ids) ? p.relationship_ids : [row.id];
    panel.append(el("h3", {}, `${from} — ${edgeLabel(row)} → ${to}`),
      el("p", { class: "muted" }, [
        p.calls ? `${p.calls} ${t("calls_between")} · ${t("first")} ${formatDate(p.first_date)} · ${t("last")} ${formatDate(p.last_date)} · ${t("total_duration")} ${p.total_duration_s} s` : null,
        !p.calls && row.date ? `${t("date")} ${formatDate(row.date)}` : null, `${t("confidence")} ${row.confidence.toFixed(2)}`,
      ].filter(Boolean).join(" · ")));
    const evidence = await api(`/api/relationships/evidence?${query({ ids })}`);
    panel.append(evidenceList(ids.flatMap((id) => evidence[id] || [])));
  }
}

function evidenceList(items) {
  const list = el("ul", { class: "evidence-list" });
  for (const ev of items) {
    list.append(el("li", { class: `evidence${ev.method === "analyst" ? " assertion" : ""}` }, el("q", {}, ev.text), el("div", { class: "cite" }, evidenceSource(ev))));
  }
  return list;
}

// Keep the drawn chart in its case: every node where it is now (dragged or not), the filters it
// was drawn with, a title and a note. `context()` gives { focus, filters, case_id, replaces }.
function chartSaver(panel, context) {
  const title = el("input", { type: "text", id: "chart-title", size: 28, maxlength: 200, placeholder: t("chart_title") });
  const note = el("input", { type: "text", id: "chart-note", size: 40, maxlength: 5000, placeholder: t("chart_note") });
  const outcome = el("span", { id: "chart-saved", role: "status" });
  const save = el("button", { type: "button", id: "save-chart" }, t("save_chart"));
  save.addEventListener("click", async () => {
    if (!title.value.trim()) { outcome.textContent = t("need_title"); return; }
    const ids = panel.nodes.getIds();
    const positions = panel.network.getPositions(ids);
    const given = context();
    const body = {
      title: title.value.trim(), note: note.value.trim(), user: analystName() || "dev", focus: given.focus || null,
      case_id: given.case_id || workingCase() || null, replaces: given.replaces || null,
      filters: Object.fromEntries(Object.entries(given.filters || {}).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)])),
      nodes: ids.map((id) => ({ id, x: positions[id].x, y: positions[id].y })),
    };
    try {
      const chart = await api("/api/charts", { json: body });
      clear(outcome).append(`${t("chart_saved")} `, el("a", { href: `/charts/${encodeURIComponent(chart.id)}`, id: "saved-chart-link" }, chart.title));
    } catch (error) { outcome.textContent = `${t("error")}: ${error.message}`; }
  });
  return el("p", { class: "chart-saver" }, title, " ", note, " ", save, " ", outcome);
}
