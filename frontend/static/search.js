// Search page: a box, and results linking to entity profiles and documents.
"use strict";

whenReady(() => {
  const main = document.getElementById("main");
  const params = new URLSearchParams(location.search);
  const input = el("input", { id: "q", type: "search", name: "q", size: 50, autofocus: true,
                              placeholder: t("search_placeholder"), value: params.get("q") || "" });
  const results = el("section", { id: "results", "aria-live": "polite" });
  main.append(el("form", { id: "search", role: "search", action: "/", method: "get" }, input, " ",
    el("button", { type: "submit" }, t("search_button"))), results);
  const q = (params.get("q") || "").trim();
  if (!q) return;
  results.append(el("p", { class: "muted" }, t("loading")));
  api(`/api/search?${query({ q, limit: 50 })}`).then((hits) => {
    clear(results).append(el("h2", {}, t("results")));
    if (!hits.length) { results.append(el("p", {}, t("no_results"))); return; }
    const list = el("ol", { class: "hits" });
    for (const hit of hits) {
      const link = hit.kind === "entity" ? entityLink(hit) : documentLink(hit.id, hit.label);
      const kind = hit.kind === "entity" ? typeName(hit.type) : t("kind_document");
      const members = hit.member_count > 1 ? ` · ${hit.member_count} ${t("members")}` : "";
      list.append(el("li", { class: `hit hit-${hit.kind}` }, link, " ", el("span", { class: "muted" }, `(${kind}${members})`),
        hit.snippet ? el("div", { class: "snippet" }, hit.snippet) : null));
    }
    results.append(list);
  }).catch((error) => showError(clear(results), error));
});
