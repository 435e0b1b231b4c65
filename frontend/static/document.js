// Document page: the text with its mentions marked (each linked to its entity), page breaks,
// and the original file for download.
"use strict";

function markedText(text, mentions, entities, start, end) {
  const parts = [];
  let cursor = start;
  for (const m of mentions) {
    if (m.start < cursor || m.end > end) continue; // overlapping or on another page
    if (m.start > cursor) parts.push(el("span", { id: `offset-${cursor}` }, text.slice(cursor, m.start)));
    const entity = m.entity_id ? entities[m.entity_id] : null;
    const mark = el("mark", { class: `mention type-${m.entity_type}`, id: `offset-${m.start}`, title: typeName(m.entity_type) }, text.slice(m.start, m.end));
    parts.push(entity ? el("a", { href: `/entity/${encodeURIComponent(entity.id)}` }, mark) : mark);
    cursor = m.end;
  }
  if (cursor < end) parts.push(el("span", { id: `offset-${cursor}` }, text.slice(cursor, end)));
  return parts;
}

whenReady(async () => {
  const main = document.getElementById("main");
  const documentId = decodeURIComponent(location.pathname.replace(/^\/documents\//, ""));
  try {
    const view = await api(`/api/documents/${encodeURIComponent(documentId)}/view`);
    const doc = view.document;
    document.title = `${doc.title} · Telaraña`;
    main.append(el("h1", { id: "document-title" }, doc.title),
      el("p", { class: "muted" }, `${t("sha256")} ${doc.id} · ${t("media_type")} ${doc.media_type} · ${view.mentions.length} ${t("mentions_in_document")}` +
        (view.pages.length ? ` · ${view.pages.length} ${t("pages")}` : "")),
      view.original_available
        ? el("p", {}, el("a", { id: "download", href: `/api/documents/${encodeURIComponent(doc.id)}/original`, download: "" }, t("download_original")))
        : el("p", { class: "muted" }, t("original_missing")));
    const body = el("div", { id: "document-text", class: "document-text" });
    const pages = view.pages.length ? view.pages : [{ page: null, start: 0, end: doc.text.length }];
    for (const page of pages) {
      if (page.page) body.append(el("div", { class: "page-break", id: `page-${page.page}` }, `— ${t("page")} ${page.page} —`));
      body.append(el("div", { class: "page" }, markedText(doc.text, view.mentions, view.entities, page.start, page.end)));
    }
    main.append(body);
    // An evidence link points at an offset; scroll to the piece of text holding it.
    const wanted = Number((location.hash.match(/^#offset-(\d+)$/) || [])[1]);
    if (!Number.isNaN(wanted)) {
      const before = [...body.querySelectorAll("[id^=offset-]")].filter((node) => Number(node.id.slice(7)) <= wanted).pop();
      before?.scrollIntoView();
      before?.classList.add("target");
    }
  } catch (error) { showError(main, error); }
});
