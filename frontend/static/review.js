// Review queue: pairs the resolver was unsure about, side by side with the features behind the
// score; merge / not the same / not sure; and recent decisions with undo.
"use strict";

function candidateCard(candidate) {
  const entity = candidate.entity;
  const properties = attributeRows(entity.properties, entity.type);
  return el("div", { class: "candidate" },
    el("h3", {}, entityLink(entity)), el("p", { class: "muted" }, `${typeName(entity.type)} · ${candidate.mentions} ${t("mentions_in_document")}`),
    entity.aliases.length ? el("p", {}, `${t("aliases")}: ${entity.aliases.join(", ")}`) : null,
    properties.length ? el("table", { class: "attributes" }, properties) : null,
    candidate.tied_to.length ? el("p", {}, `${t("tied_to")}: ${candidate.tied_to.join(", ")}`) : null,
    candidate.merged_with.length ? el("p", {}, `${t("merged_with")}: ${candidate.merged_with.length}`) : null,
    el("h4", {}, t("seen_in")),
    el("ul", { class: "evidence-list" }, candidate.seen_in.map((s) => el("li", {}, el("q", {}, s.sentence), " — ", documentLink(s.document_id, s.document_title)))));
}

function featureTable(features) {
  return el("table", { class: "features" }, el("caption", {}, t("features")),
    Object.entries(features).map(([name, value]) => el("tr", {}, el("th", {}, term("comparison", name)),
      el("td", {}, typeof value === "string" ? term("level", value) : String(value)))));
}

function decisionButtons(item, note, onDecided) {
  const reason = el("input", { type: "text", class: "reason", size: 30, placeholder: t("reason_placeholder") });
  const decide = (decision) => async () => {
    if (!readyToDecide(note, null)) return;
    try {
      const judgement = await api("/api/judgements", { json: withCase({
        left_id: item.judgement.left_id, right_id: item.judgement.right_id, decision, user: analystName(), reason: reason.value.trim() }) });
      note.textContent = `${t("recorded")} (${decisionName(decision)})`;
      onDecided(judgement);
    } catch (error) { note.textContent = `${t("error")}: ${error.message}`; }
  };
  return el("div", { class: "decide" }, reason, " ",
    el("button", { type: "button", class: "merge", onclick: decide("same") }, t("same")), " ",
    el("button", { type: "button", class: "not-same", onclick: decide("different") }, t("different")), " ",
    el("button", { type: "button", class: "unsure", onclick: decide("unsure") }, t("unsure")));
}

async function renderHistory(section) {
  clear(section).append(el("h2", {}, t("history")));
  const mine = (await api("/api/judgements")).filter((j) => j.by.startsWith("user:")).reverse().slice(0, 20);
  if (!mine.length) { section.append(el("p", { class: "muted" }, t("none"))); return; }
  const entities = {};
  for (const j of mine) for (const id of [j.left_id, j.right_id]) entities[id] = null;
  await Promise.all(Object.keys(entities).map(async (id) => {
    try { entities[id] = (await api(`/api/entities/${encodeURIComponent(id)}`)).entity; } catch (_) { entities[id] = null; }
  }));
  section.append(el("ol", { id: "recent" }, mine.map((j) => el("li", { class: `judgement decision-${j.decision}` },
    judgementLine(j), " · ", entities[j.left_id] ? entityLink(entities[j.left_id]) : j.left_id, " ⟷ ",
    entities[j.right_id] ? entityLink(entities[j.right_id]) : j.right_id,
    judgementReason(j) ? el("div", { class: "muted" }, judgementReason(j)) : null,
    j.retracts ? null : undoControl(j, () => { refresh(); document.getElementById("review-status").textContent = t("undone"); })))));
}

let refresh = () => {};

whenReady(() => {
  const main = document.getElementById("main");
  const queueSection = el("section", { id: "queue" });
  const historySection = el("section", { id: "decisions" });
  main.append(el("h1", {}, t("review_queue")), el("p", { id: "review-status", role: "status" }), queueSection, historySection);
  refresh = async () => {
    try {
      const queue = await api("/api/review-queue?limit=50");
      clear(queueSection).append(el("p", { id: "waiting" }, `${queue.total} ${t("waiting")}`));
      if (!queue.items.length) queueSection.append(el("p", {}, t("review_empty")));
      for (const item of queue.items) {
        const note = el("p", { class: "note", role: "status" });
        const card = el("article", { class: "review-item", dataset: { left: item.judgement.left_id, right: item.judgement.right_id } },
          el("p", { class: "muted" }, `${t("score")} ${(item.judgement.score ?? 0).toFixed(3)} · ${judgementReason(item.judgement)}`),
          el("div", { class: "pair" }, candidateCard(item.left), candidateCard(item.right)),
          featureTable(item.judgement.features));
        card.append(decisionButtons(item, note, () => { card.classList.add("decided"); renderHistory(historySection); }), note);
        queueSection.append(card);
      }
      await renderHistory(historySection);
    } catch (error) { showError(clear(queueSection), error); }
  };
  refresh();
});
