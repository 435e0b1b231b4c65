// The case in time and space, on the analysis page: a histogram of its events per day or week
// (calls, journeys, other dated relationships, documents, analysts' judgements) with a brush,
// and a map of its places, terminals, airports and route legs drawn over a basemap served by
// this server (Natural Earth countries and Colombia's departments; Leaflet and TopoJSON from
// npm). Brushing a period announces it ("telarana:period"): the map, the case chart and the
// tables of the page show that period only.
"use strict";

const SVG_NS = "http://www.w3.org/2000/svg";
const EVENT_KINDS = ["call", "journey", "relationship", "document", "judgement"];
const KIND_COLOURS = { call: "#1f77b4", journey: "#2ca02c", relationship: "#9467bd", document: "#7f7f7f", judgement: "#d62728" };
const DAY_MS = 86400000;

function svg(tag, attributes = {}) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, String(value));
  return node;
}

// The period brushed on the page (ISO dates, both ends included), or none.
const casePeriod = { from: null, to: null };

function announcePeriod(from, to) {
  casePeriod.from = from;
  casePeriod.to = to;
  document.dispatchEvent(new CustomEvent("telarana:period", { detail: { from, to } }));
}

function inCasePeriod(at) {
  if (!at || (!casePeriod.from && !casePeriod.to)) return true;
  const day = at.slice(0, 10);
  return (!casePeriod.from || day >= casePeriod.from) && (!casePeriod.to || day <= casePeriod.to);
}

function dayOf(at) { return Date.UTC(+at.slice(0, 4), +at.slice(5, 7) - 1, +at.slice(8, 10)); }
function isoDay(ms) { return new Date(ms).toISOString().slice(0, 10); }

// Analysts' decisions are made long after the events they are about: counted, they would stretch
// the axis to today, so they are shown on request.
const KINDS_SHOWN_FIRST = new Set(["call", "journey", "relationship", "document"]);

class TimelineHistogram {
  constructor(container, events, onPeriod) {
    this.container = container;
    this.onPeriod = onPeriod;
    this.allEvents = events.filter((e) => /^\d{4}-\d{2}-\d{2}/.test(e.at));
    this.kinds = new Set(KINDS_SHOWN_FIRST);
    this.events = this.allEvents.filter((e) => this.kinds.has(e.kind));
    this.width = 1000;
    this.height = 160;
    this.margin = { left: 36, right: 10, top: 8, bottom: 24 };
    this.draw();
  }

  // Days or weeks: weeks once the events span more than four months.
  buckets() {
    const days = this.events.map((e) => dayOf(e.at));
    this.first = Math.min(...days);
    this.last = Math.max(...days);
    this.step = (this.last - this.first) / DAY_MS > 120 ? 7 * DAY_MS : DAY_MS;
    const counts = new Map();
    for (const e of this.events) {
      const bucket = this.first + Math.floor((dayOf(e.at) - this.first) / this.step) * this.step;
      const slot = counts.get(bucket) || Object.fromEntries(EVENT_KINDS.map((k) => [k, 0]));
      slot[e.kind] += 1;
      counts.set(bucket, slot);
    }
    return counts;
  }

  x(ms) {
    const span = Math.max(this.step, this.last + this.step - this.first);
    return this.margin.left + ((ms - this.first) / span) * (this.width - this.margin.left - this.margin.right);
  }

  dateAt(x) {
    const span = Math.max(this.step, this.last + this.step - this.first);
    const ms = this.first + ((x - this.margin.left) / (this.width - this.margin.left - this.margin.right)) * span;
    return isoDay(Math.min(this.last + this.step - DAY_MS, Math.max(this.first, ms)));
  }

  draw() {
    clear(this.container);
    if (!this.events.length) { this.container.append(el("p", { class: "muted" }, t("nothing_found")), this.legend()); return; }
    const counts = this.buckets();
    const most = Math.max(...[...counts.values()].map((slot) => EVENT_KINDS.reduce((n, k) => n + slot[k], 0)));
    const plot = svg("svg", { viewBox: `0 0 ${this.width} ${this.height}`, class: "histogram", id: "timeline-histogram", role: "img",
      "aria-label": t("timeline_histogram") });
    const bottom = this.height - this.margin.bottom;
    const scaleY = (n) => (n / most) * (bottom - this.margin.top);
    const barWidth = Math.max(1, this.x(this.first + this.step) - this.x(this.first) - 1);
    for (const [bucket, slot] of [...counts.entries()].sort((a, b) => a[0] - b[0])) {
      let y = bottom;
      for (const kind of EVENT_KINDS) {
        if (!slot[kind]) continue;
        const h = scaleY(slot[kind]);
        y -= h;
        const bar = svg("rect", { x: this.x(bucket), y, width: barWidth, height: h, fill: KIND_COLOURS[kind], class: `bar bar-${kind}` });
        bar.append(svg("title"));
        bar.firstChild.textContent = `${formatDate(isoDay(bucket))}: ${slot[kind]} ${t(`event_${kind}`)}`;
        plot.append(bar);
      }
    }
    plot.append(svg("line", { x1: this.margin.left, x2: this.width - this.margin.right, y1: bottom, y2: bottom, stroke: "#555" }));
    for (const [ms, anchor] of [[this.first, "start"], [this.last, "end"]]) {
      const label = svg("text", { x: anchor === "start" ? this.margin.left : this.width - this.margin.right, y: this.height - 6, "text-anchor": anchor, class: "axis" });
      label.textContent = formatDate(isoDay(ms));
      plot.append(label);
    }
    const most_label = svg("text", { x: this.margin.left - 4, y: this.margin.top + 10, "text-anchor": "end", class: "axis" });
    most_label.textContent = String(most);
    plot.append(most_label);
    this.selection = svg("rect", { y: this.margin.top, height: bottom - this.margin.top, width: 0, class: "brush", visibility: "hidden" });
    plot.append(this.selection);
    this.plot = plot;
    this.brushing(plot);
    this.container.append(plot, this.legend(),
      el("p", { class: "muted" }, `${this.events.length} ${t("events")} · ${t(this.step === DAY_MS ? "per_day" : "per_week")} · ${t("brush_hint")}`));
  }

  // The kinds of event, each with its colour and count, each shown or not.
  legend() {
    return el("ul", { class: "chips timeline-legend" }, ...EVENT_KINDS.map((kind) => {
      const shown = el("input", { type: "checkbox", "data-kind": kind, checked: this.kinds.has(kind) });
      shown.addEventListener("change", () => {
        if (shown.checked) this.kinds.add(kind); else this.kinds.delete(kind);
        this.events = this.allEvents.filter((e) => this.kinds.has(e.kind));
        this.draw();
        this.onPeriod(null, null);
      });
      const count = this.allEvents.filter((e) => e.kind === kind).length;
      return el("li", {}, el("label", {}, shown, " ", el("span", { class: "swatch", style: `background:${KIND_COLOURS[kind]}` }),
        ` ${t(`event_${kind}`)} (${count})`));
    }));
  }

  svgX(event) {
    const box = this.plot.getBoundingClientRect();
    return ((event.clientX - box.left) / box.width) * this.width;
  }

  brushing(plot) {
    let start = null;
    plot.addEventListener("mousedown", (event) => { start = this.svgX(event); this.show(start, start); event.preventDefault(); });
    plot.addEventListener("mousemove", (event) => { if (start !== null) this.show(start, this.svgX(event)); });
    const end = (event) => {
      if (start === null) return;
      const stop = this.svgX(event);
      const [a, b] = [Math.min(start, stop), Math.max(start, stop)];
      start = null;
      if (b - a < 3) { this.clearBrush(); this.onPeriod(null, null); return; }
      this.onPeriod(this.dateAt(a), this.dateAt(b));
    };
    plot.addEventListener("mouseup", end);
    plot.addEventListener("mouseleave", (event) => { if (start !== null) end(event); });
  }

  show(a, b) {
    this.selection.setAttribute("x", String(Math.min(a, b)));
    this.selection.setAttribute("width", String(Math.abs(b - a)));
    this.selection.setAttribute("visibility", "visible");
  }

  clearBrush() { this.selection?.setAttribute("visibility", "hidden"); }
}

// --------------------------------------------------------------------------------- the map

const BASEMAP = { countries: "/vendor/world-atlas/countries-50m.json", departments: "/vendor/basemap/co-departments.topo.json" };
let basemapLoaded = null;

function loadBasemap() {
  basemapLoaded ??= Promise.all([
    fetch(BASEMAP.countries).then((r) => r.json()),
    fetch(BASEMAP.departments).then((r) => r.json()),
  ]).then(([world, colombia]) => ({
    countries: topojson.feature(world, world.objects.countries),
    departments: topojson.feature(colombia, colombia.objects.departments),
  }));
  return basemapLoaded;
}

function legColour(leg) {
  if (leg.foreign_destination) return "#c0392b";
  if (leg.border_crossing) return "#f0780a";
  return "#2c7fb8";
}

class CaseMapView {
  constructor(container, status) {
    this.container = container;
    this.status = status;
    this.map = L.map(container, { worldCopyJump: true, zoomSnap: 0.25, preferCanvas: false });
    this.map.attributionControl.setPrefix(false);
    this.map.attributionControl.addAttribution("Natural Earth · GeoNames");
    this.map.setView([4.6, -74.1], 5);
    this.layer = L.layerGroup().addTo(this.map);
    loadBasemap().then((basemap) => {
      L.geoJSON(basemap.countries, { style: { color: "#999", weight: 0.6, fillColor: "#f3f1ea", fillOpacity: 1 }, interactive: false }).addTo(this.map).bringToBack();
      L.geoJSON(basemap.departments, {
        style: { color: "#b8b2a0", weight: 0.6, fill: false },
        onEachFeature: (feature, layer) => layer.bindTooltip(feature.properties.name, { sticky: true }),
      }).addTo(this.map);
      this.layer.eachLayer((l) => l.bringToFront?.());
      container.dataset.basemap = "drawn";
    }).catch((error) => { status.textContent = `${t("error")}: ${error.message}`; });
  }

  draw(found) {
    this.layer.clearLayers();
    const bounds = [];
    for (const leg of found.legs) {
      const line = L.polyline([[leg.from_lat, leg.from_lon], [leg.to_lat, leg.to_lon]], {
        color: legColour(leg), weight: 2 + Math.min(8, leg.travellers), opacity: 0.8, dashArray: leg.border_crossing ? "6 5" : null,
        className: `map-leg${leg.border_crossing ? " border-crossing" : ""}${leg.foreign_destination ? " foreign" : ""}`,
      });
      line.bindTooltip(`${leg.label} · ${leg.travellers} ${t("travellers")}`, { sticky: true });
      line.addTo(this.layer);
      bounds.push([leg.from_lat, leg.from_lon], [leg.to_lat, leg.to_lon]);
    }
    for (const point of found.points) {
      const marker = L.circleMarker([point.lat, point.lon], {
        radius: 4 + 2 * Math.sqrt(point.relationships), color: point.foreign ? "#c0392b" : point.kind === "border_crossing" ? "#f0780a" : "#34495e",
        weight: 1.5, fillOpacity: 0.6, className: `map-point map-${point.type}${point.foreign ? " foreign" : ""}`,
      });
      const link = el("div", {}, el("strong", {}, point.label), el("br"), `${typeName(point.type)} · ${point.place}`, el("br"),
        `${point.relationships} ${t("relationships").toLowerCase()} · ${point.legs} ${t("legs")}`, el("br"), entityLink({ id: point.id, label: t("open_profile") }));
      marker.bindTooltip(`${point.label} (${point.relationships})`).bindPopup(link);
      marker.addTo(this.layer);
      bounds.push([point.lat, point.lon]);
    }
    if (bounds.length) this.map.fitBounds(bounds, { padding: [20, 20], maxZoom: 8 });
    this.container.dataset.legs = String(found.legs.length);
    this.container.dataset.points = String(found.points.length);
    this.container.dataset.state = "drawn";
    const crossings = found.legs.filter((l) => l.border_crossing).length;
    const abroad = found.legs.filter((l) => l.foreign_destination).length;
    this.status.textContent = `${found.points.length} ${t("places")} · ${found.legs.length} ${t("legs")} · ${crossings} ${t("border_crossings")} · `
      + `${abroad} ${t("foreign_destinations")}${found.unplaced_total ? ` · ${found.unplaced_total} ${t("unplaced")}: ${found.unplaced.slice(0, 8).join(", ")}` : ""}`;
  }
}

function periodSection(scope) {
  const histogram = el("div", { id: "timeline-chart" }, el("p", { class: "muted" }, t("loading")));
  const periodText = el("span", { id: "period-text" }, t("whole_case"));
  const clearButton = el("button", { type: "button", id: "period-clear", hidden: "" }, t("clear_period"));
  const mapStatus = el("p", { id: "map-status", class: "muted" }, t("loading"));
  const mapBox = el("div", { id: "case-map", class: "case-map" });
  const legend = el("ul", { class: "chips map-legend" },
    el("li", {}, el("span", { class: "swatch", style: "background:#2c7fb8" }), ` ${t("leg_home")}`),
    el("li", {}, el("span", { class: "swatch", style: "background:#f0780a" }), ` ${t("leg_border")}`),
    el("li", {}, el("span", { class: "swatch", style: "background:#c0392b" }), ` ${t("leg_abroad")}`),
    el("li", { class: "muted" }, t("map_placement")));
  const part = section("period-section", t("time_and_place"),
    el("p", {}, `${t("period")}: `, periodText, " ", clearButton), histogram, el("h3", {}, t("map")), mapStatus, mapBox, legend);
  let histogramView = null;
  const setPeriod = (from, to) => {
    periodText.textContent = from ? `${formatDate(from)} – ${formatDate(to)}` : t("whole_case");
    part.dataset.period = from ? `${from}/${to}` : "";
    clearButton.hidden = !from;
    announcePeriod(from, to);
  };
  clearButton.addEventListener("click", () => { histogramView?.clearBrush(); setPeriod(null, null); });
  api(`/api/analysis/timeline?${query({ ...scope, limit: 20000 })}`).then((result) => {
    histogramView = new TimelineHistogram(histogram, result.events, setPeriod);
    window.telaranaTimeline = histogramView; // for tests: where a date is drawn
  }).catch((error) => { clear(histogram); showError(histogram, error); });
  setTimeout(() => {  // Leaflet measures its container: once it is in the page
    if (typeof L === "undefined" || typeof topojson === "undefined") {
      mapStatus.textContent = t("map_libraries_missing");
      return;
    }
    const view = new CaseMapView(mapBox, mapStatus);
    const load = () => {
      mapBox.dataset.state = "loading";
      api(`/api/analysis/map?${query({ ...scope, date_from: casePeriod.from, date_to: casePeriod.to })}`)
        .then((found) => view.draw(found)).catch((error) => { mapStatus.textContent = `${t("error")}: ${error.message}`; });
    };
    document.addEventListener("telarana:period", load);
    load();
  }, 0);
  return part;
}
