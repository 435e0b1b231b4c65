// Draws a NetworkView (positions computed by the server) with vis-network, physics off,
// and fills the evidence panel when a node or a relationship is clicked.
"use strict";

const LABELS_UP_TO = 400; // above this many nodes, labels appear on hover / zoom only
// Above this many nodes a result is summarised (the most central drawn, the rest grouped by type)
// unless the page asks for it whole (a saved chart, "draw it all").
const SUMMARY_OVER = 500;
const SUMMARY_KEEP = 150;

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
    this.undoStack = [];
    this.groups = new Map(); // cluster id -> { person id, phone ids }
    this.summary = null; // what a large result's summary left out, by type
  }

  draw(view) {
    this.container.dataset.state = "drawing";
    this.lastView = view;
    if (!this.options.drawWhole && view.nodes.length > SUMMARY_OVER) view = this.summarised(view);
    else this.summary = null;
    this.focus = view.focus;
    this.undoStack = [];
    this.groups.clear();
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
      this.network.on("click", (event) => { this.closeMenu(); this.clicked(event); });
      this.network.on("doubleClick", (event) => this.doubleClicked(event));
      this.network.on("oncontext", (event) => this.contextMenu(event));
      this.network.on("dragStart", (event) => {
        this.dragged = event.nodes.length ? this.network.getPositions(event.nodes) : null;
      });
      this.network.on("dragEnd", () => {
        const before = this.dragged;
        this.dragged = null;
        if (before) this.done(t("undo_move"), () => Object.entries(before).forEach(([id, p]) => this.network.moveNode(id, p.x, p.y)));
      });
      (this.container.closest(".network-row") || this.container).before(this.toolbar());
    }
    this.renderToolbar();
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
    if (event.nodes.length && this.network.isCluster(event.nodes[0])) return this.showGroup(event.nodes[0]);
    if (event.nodes.length) return this.showNode(event.nodes[0]);
    if (event.edges.length) return this.showEdge(event.edges[0]);
  }

  async doubleClicked(event) {
    if (!event.nodes.length) return;
    if (this.network.isCluster(event.nodes[0])) { this.ungroup(event.nodes[0]); return; }
    await this.expand(event.nodes[0]);
  }

  // Draw a node's neighbours (of these types only, if given) around it, away from the rest.
  async expand(centre, types) {
    if (!this.options.onExpand || !this.nodes.get(centre) || this.nodes.get(centre).entity.properties?.summary) return;
    const view = await this.options.onExpand(centre, types);
    const fresh = view.nodes.filter((n) => !this.nodes.get(n.entity.id));
    placeAround(this.network.getPositions(), centre, fresh.length).forEach((point, i) => { fresh[i].x = point.x; fresh[i].y = point.y; });
    const freshEdges = view.edges.filter((e) => !this.edges.get(e.id));
    this.nodes.add(fresh.map((n) => visNode(n, this.sizeBy, this.maxima, this.showLabels, this.colourBy)));
    this.edges.add(freshEdges.map((e) => visEdge(e, this.showLabels)));
    this.container.dataset.expanded = String(Number(this.container.dataset.expanded || 0) + 1);
    this.renderLegend();
    this.done(t("undo_expand"), () => {
      this.edges.remove(freshEdges.map((e) => e.id));
      this.nodes.remove(fresh.map((n) => n.entity.id));
      this.renderLegend();
    });
  }

  async showNode(id) {
    const membersCount = (entity) => (entity.properties?.member_ids || [entity.id]).length;
    const node = this.nodes.get(id);
    const panel = clear(this.evidencePanel);
    const entity = node.entity;
    if (entity.properties?.summary) {  // a summary node: what it stands for
      panel.append(el("h3", {}, entity.label), el("p", { class: "muted" }, t("summary_node_hint")));
      return;
    }
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
  // ------------------------------------------------------------------ chart tools
  // Pin, hide, group a person's phones under the person, a right-click menu, undo, PNG / SVG.

  done(label, undo) {
    this.undoStack.push({ label, undo });
    this.renderToolbar();
  }

  undo() {
    const last = this.undoStack.pop();
    if (last) last.undo();
    this.renderToolbar();
  }

  toolbar() {
    this.tools = {
      undo: el("button", { type: "button", id: "chart-undo", onclick: () => this.undo() }, t("undo")),
      hidden: el("button", { type: "button", id: "chart-show-hidden", onclick: () => this.showHidden() }),
      png: el("button", { type: "button", id: "chart-png", onclick: () => this.exportPng() }, "PNG"),
      svg: el("button", { type: "button", id: "chart-svg", onclick: () => this.exportSvg() }, "SVG"),
      summary: el("span", { id: "chart-summary", class: "muted" }),
    };
    document.addEventListener("keydown", (event) => {
      const typing = ["INPUT", "TEXTAREA", "SELECT"].includes(document.activeElement?.tagName);
      if ((event.ctrlKey || event.metaKey) && event.key === "z" && !typing) { event.preventDefault(); this.undo(); }
      if (event.key === "Escape") this.closeMenu();
    });
    document.addEventListener("click", (event) => { if (!this.menu?.contains(event.target)) this.closeMenu(); });
    return el("div", { class: "chart-tools", role: "toolbar" }, this.tools.undo, " ", this.tools.hidden, " ",
      el("span", { class: "muted" }, `${t("export_image")}: `), this.tools.png, " ", this.tools.svg, " ", this.tools.summary);
  }

  renderToolbar() {
    if (!this.tools) return;
    const last = this.undoStack[this.undoStack.length - 1];
    this.tools.undo.disabled = !last;
    this.tools.undo.textContent = last ? `${t("undo")}: ${last.label}` : t("undo");
    const hidden = this.nodes.get({ filter: (n) => n.hidden }).length;
    this.tools.hidden.hidden = !hidden;
    this.tools.hidden.textContent = `${t("show_hidden")} (${hidden})`;
    clear(this.tools.summary);
    if (this.summary) {
      this.tools.summary.append(`${t("summary_drawn")} ${this.summary.kept} / ${this.summary.total} · `,
        el("button", { type: "button", id: "chart-draw-whole", onclick: () => { this.options.drawWhole = true; this.draw(this.lastView); } }, t("draw_whole")));
    }
  }

  // A result too large to read drawn whole: its most central entities, the rest one node per type.
  summarised(view) {
    const score = (n) => n.betweenness * 1000 + n.degree;
    const focus = new Set(view.focus || []);
    const ranked = [...view.nodes].sort((a, b) => (focus.has(b.entity.id) - focus.has(a.entity.id)) || score(b) - score(a));
    const kept = ranked.slice(0, SUMMARY_KEEP);
    const keptIds = new Set(kept.map((n) => n.entity.id));
    const byType = new Map();
    for (const n of ranked.slice(SUMMARY_KEEP)) {
      const group = byType.get(n.entity.type) || { ids: new Set(), x: 0, y: 0 };
      group.ids.add(n.entity.id); group.x += n.x; group.y += n.y;
      byType.set(n.entity.type, group);
    }
    const groupOf = new Map();
    const summaries = [...byType.entries()].map(([type, group]) => {
      const id = `summary:${type}`;
      group.ids.forEach((member) => groupOf.set(member, id));
      return { entity: { id, type, label: `${group.ids.size} × ${typeName(type)}`, aliases: [], properties: { summary: true } },
        x: group.x / group.ids.size, y: group.y / group.ids.size, degree: group.ids.size, betweenness: 0, community: null, summary: true };
    });
    const edges = [];
    const seen = new Map();
    for (const e of view.edges) {
      const from = keptIds.has(e.source_id) ? e.source_id : groupOf.get(e.source_id);
      const to = keptIds.has(e.target_id) ? e.target_id : groupOf.get(e.target_id);
      if (!from || !to || from === to) continue;
      if (keptIds.has(from) && keptIds.has(to)) { edges.push(e); continue; }
      const key = `${from}|${to}`;
      if (seen.has(key)) { seen.get(key).properties.summarised += 1; continue; }
      const merged = { ...e, id: `summary-edge:${key}`, source_id: from, target_id: to, properties: { summarised: 1 }, date: null };
      seen.set(key, merged);
      edges.push(merged);
    }
    this.summary = { kept: kept.length, total: view.nodes.length, types: Object.fromEntries([...byType].map(([k, g]) => [k, g.ids.size])) };
    return { ...view, nodes: [...kept, ...summaries], edges, truncated: true };
  }

  isGroupable(id) {
    const node = this.nodes.get(id);
    return node?.entity.type === "Person" && this.phonesOf(id).length > 0 && !this.network.clustering.findNode(id).slice(0, -1).length;
  }

  phonesOf(personId) {
    const phones = this.edges.get({ filter: (e) => e.row.type === "USES_PHONE" && e.from === personId }).map((e) => e.to);
    return [...new Set(phones)].filter((id) => this.nodes.get(id) && !this.nodes.get(id).hidden);
  }

  group(personId) {
    const person = this.nodes.get(personId);
    const phones = new Set(this.phonesOf(personId));
    const clusterId = `group:${personId}`;
    const positions = this.network.getPositions([personId, ...phones]);
    this.network.cluster({
      joinCondition: (node) => node.id === personId || phones.has(node.id),
      clusterNodeProperties: {
        id: clusterId, label: `${person.entity.label} (+${phones.size} ${t("phones_grouped")})`, shape: "dot", size: person.size + 6,
        color: person.color, borderWidth: 3, font: { size: 13 },
        title: tooltip(person.entity.label, `${phones.size} ${t("phones_grouped")}`, t("group_hint")),
      },
    });
    this.groups.set(clusterId, { person: personId, phones: [...phones], positions });
    this.done(t("undo_group"), () => this.ungroup(clusterId, false));
  }

  ungroup(clusterId, undoable = true) {
    if (!this.network.isCluster(clusterId)) return;
    const members = this.groups.get(clusterId);
    // Each member back where it was, moved with the group if the group was dragged.
    this.network.openCluster(clusterId, {
      releaseFunction: (centre) => {
        const was = members?.positions || {};
        const origin = was[members?.person] || centre;
        const [dx, dy] = [centre.x - origin.x, centre.y - origin.y];
        return Object.fromEntries(Object.entries(was).map(([id, p]) => [id, { x: p.x + dx, y: p.y + dy }]));
      },
    });
    this.groups.delete(clusterId);
    if (undoable && members) this.done(t("undo_ungroup"), () => this.group(members.person));
    else this.renderToolbar();
  }

  showGroup(clusterId) {
    const members = this.groups.get(clusterId);
    const panel = clear(this.evidencePanel);
    const person = this.nodes.get(members.person);
    panel.append(el("h3", {}, person.entity.label), el("p", { class: "muted" }, t("group_hint")),
      el("ul", {}, ...members.phones.map((id) => el("li", {}, entityLink(this.nodes.get(id).entity)))));
  }

  pin(id) {
    const pinned = Boolean(this.nodes.get(id).fixed?.x);
    const set = (on) => this.nodes.update({ id, fixed: { x: on, y: on }, borderWidth: on ? 4 : 1, shapeProperties: { borderDashes: on ? [4, 2] : false } });
    set(!pinned);
    this.done(pinned ? t("undo_unpin") : t("undo_pin"), () => set(pinned));
  }

  hide(ids) {
    this.nodes.update(ids.map((id) => ({ id, hidden: true })));
    this.done(t("undo_hide"), () => this.nodes.update(ids.map((id) => ({ id, hidden: false }))));
  }

  showHidden() {
    const ids = this.nodes.get({ filter: (n) => n.hidden }).map((n) => n.id);
    this.nodes.update(ids.map((id) => ({ id, hidden: false })));
    this.done(t("undo_show_hidden"), () => this.nodes.update(ids.map((id) => ({ id, hidden: true }))));
  }

  // What the analyst did to the drawing, kept with a saved chart and applied when it reopens.
  marks() {
    return {
      hidden: this.nodes.get({ filter: (n) => n.hidden }).map((n) => n.id),
      pinned: this.nodes.get({ filter: (n) => n.fixed?.x }).map((n) => n.id),
      grouped: [...this.groups.values()].map((g) => g.person),
    };
  }

  applyMarks(marks) {
    const listed = (value) => (Array.isArray(value) ? value : value ? [value] : []).filter((id) => this.nodes.get(id));
    this.nodes.update(listed(marks.hidden).map((id) => ({ id, hidden: true })));
    this.nodes.update(listed(marks.pinned).map((id) => ({ id, fixed: { x: true, y: true }, borderWidth: 4, shapeProperties: { borderDashes: [4, 2] } })));
    listed(marks.grouped).forEach((id) => { if (this.isGroupable(id)) this.group(id); });
    this.undoStack = [];
    this.renderToolbar();
  }

  closeMenu() { this.menu?.remove(); this.menu = null; }

  contextMenu(event) {
    event.event.preventDefault();
    this.closeMenu();
    const nodeId = this.network.getNodeAt(event.pointer.DOM);
    const edgeId = nodeId === undefined ? this.network.getEdgeAt(event.pointer.DOM) : undefined;
    const items = nodeId !== undefined ? this.nodeMenu(nodeId) : edgeId !== undefined ? this.edgeMenu(edgeId) : [];
    if (!items.length) return;
    const box = this.container.getBoundingClientRect();
    this.menu = el("ul", { class: "context-menu", id: "chart-menu", role: "menu",
      style: `left:${window.scrollX + box.left + event.pointer.DOM.x}px;top:${window.scrollY + box.top + event.pointer.DOM.y}px` },
    ...items.map(([label, act, name]) => el("li", { role: "menuitem", "data-action": name },
      el("button", { type: "button", onclick: (click) => { click.stopPropagation(); this.closeMenu(); act(); } }, label))));
    document.body.append(this.menu);
  }

  nodeMenu(id) {
    if (this.network.isCluster(id)) return [[t("menu_ungroup"), () => this.ungroup(id), "ungroup"]];
    const node = this.nodes.get(id);
    if (!node || node.entity.properties?.summary) return [];
    const items = [];
    if (this.options.onExpand) {
      items.push([t("menu_expand_all"), () => this.expand(id), "expand"]);
      for (const type of entityTypes()) items.push([`${t("menu_expand_type")} ${typeName(type)}`, () => this.expand(id, [type]), `expand:${type}`]);
    }
    items.push([node.fixed?.x ? t("menu_unpin") : t("menu_pin"), () => this.pin(id), "pin"]);
    items.push([t("menu_hide"), () => this.hide([id]), "hide"]);
    if (this.isGroupable(id)) items.push([t("menu_group_phones"), () => this.group(id), "group"]);
    items.push([t("menu_paths_to"), () => location.assign(`/paths?${query({ source: id })}`), "paths"]);
    items.push([t("menu_open_source"), () => this.openSource(id), "source"]);
    items.push([t("open_profile"), () => location.assign(`/entity/${encodeURIComponent(id)}`), "profile"]);
    return items;
  }

  edgeMenu(id) {
    const edge = this.edges.get(id);
    if (!edge || String(id).startsWith("summary-edge:")) return [];
    return [[t("menu_open_source"), () => this.openEdgeSource(edge.row), "source"],
      [t("menu_hide_edge"), () => { this.edges.update({ id, hidden: true }); this.done(t("undo_hide"), () => this.edges.update({ id, hidden: false })); }, "hide-edge"]];
  }

  async openSource(id) {
    const profile = await api(`/api/entities/${encodeURIComponent(id)}/profile`);
    const first = profile.mentions[0];
    if (first) location.assign(`/documents/${encodeURIComponent(first.document_id)}#at-${first.start}`);
  }

  async openEdgeSource(row) {
    const ids = Array.isArray(row.properties?.relationship_ids) ? row.properties.relationship_ids : [row.id];
    const evidence = await api(`/api/relationships/evidence?${query({ ids })}`);
    const first = ids.flatMap((i) => evidence[i] || [])[0];
    if (first) location.assign(`/documents/${encodeURIComponent(first.document_id)}#at-${first.start ?? 0}`);
  }

  download(name, href) {
    const link = el("a", { href, download: name, hidden: true });
    document.body.append(link);
    link.click();
    link.remove();
  }

  exportPng() {
    const drawn = this.container.querySelector("canvas");
    const copy = document.createElement("canvas");
    copy.width = drawn.width; copy.height = drawn.height;
    const context = copy.getContext("2d");
    context.fillStyle = "#ffffff";
    context.fillRect(0, 0, copy.width, copy.height);
    context.drawImage(drawn, 0, 0);
    this.download("telarana-red.png", copy.toDataURL("image/png"));
  }

  // The drawing as SVG: what is shown (hidden nodes left out, groups as one node), where it is.
  exportSvg() {
    const escape = (text) => String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
    const shown = new Map();
    for (const node of this.nodes.get({ filter: (n) => !n.hidden })) {
      const owner = this.network.clustering.findNode(node.id)[0];
      if (owner !== node.id) continue;
      shown.set(node.id, { label: node.entity.label, colour: node.color.background, size: node.size });
    }
    for (const [clusterId, group] of this.groups) {
      const person = this.nodes.get(group.person);
      shown.set(clusterId, { label: `${person.entity.label} (+${group.phones.length})`, colour: person.color.background, size: person.size + 6 });
    }
    const at = this.network.getPositions([...shown.keys()]);
    const xs = Object.values(at).map((p) => p.x), ys = Object.values(at).map((p) => p.y);
    const [minX, minY] = [Math.min(...xs) - 80, Math.min(...ys) - 60];
    const [width, height] = [Math.max(...xs) - minX + 80, Math.max(...ys) - minY + 60];
    const end = (id) => (shown.has(id) ? id : this.network.clustering.findNode(id)[0]);
    const lines = [];
    for (const edge of this.edges.get({ filter: (e) => !e.hidden })) {
      const [a, b] = [end(edge.from), end(edge.to)];
      if (!shown.has(a) || !shown.has(b) || a === b) continue;
      lines.push(`<line x1="${at[a].x - minX}" y1="${at[a].y - minY}" x2="${at[b].x - minX}" y2="${at[b].y - minY}" stroke="#888" stroke-width="1"><title>${escape(edgeLabel(edge.row))}</title></line>`);
    }
    const circles = [...shown].map(([id, n]) => `<g><circle cx="${at[id].x - minX}" cy="${at[id].y - minY}" r="${n.size}" fill="${escape(n.colour)}" stroke="#333"/>`
      + `<text x="${at[id].x - minX}" y="${at[id].y - minY + n.size + 12}" font-size="12" text-anchor="middle" font-family="sans-serif">${escape(n.label)}</text></g>`);
    const text = `<?xml version="1.0" encoding="UTF-8"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="${Math.round(width)}" height="${Math.round(height)}" viewBox="0 0 ${Math.round(width)} ${Math.round(height)}">`
      + `<rect width="100%" height="100%" fill="#fff"/>${lines.join("")}${circles.join("")}</svg>\n`;
    this.download("telarana-red.svg", URL.createObjectURL(new Blob([text], { type: "image/svg+xml" })));
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
      filters: Object.fromEntries(Object.entries({ ...(given.filters || {}), ...panel.marks() })
        .filter(([, v]) => !(Array.isArray(v) && !v.length)).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)])),
      nodes: ids.map((id) => ({ id, x: positions[id].x, y: positions[id].y })),
    };
    try {
      const chart = await api("/api/charts", { json: body });
      clear(outcome).append(`${t("chart_saved")} `, el("a", { href: `/charts/${encodeURIComponent(chart.id)}`, id: "saved-chart-link" }, chart.title));
    } catch (error) { outcome.textContent = `${t("error")}: ${error.message}`; }
  });
  return el("p", { class: "chart-saver" }, title, " ", note, " ", save, " ", outcome);
}
