// Screening at transit points: the flags raised on ticket lists and manifests (each citing its
// rows, reviewed: confirm, dismiss with a reason, reopen), and the case's watchlist with its alerts.
"use strict";

function rowTable(rows) {
  const head = ["passenger", "id_number", "sex", "age", "departure", "route", "buyer", "booked"];
  return el("table", { class: "flag-rows" }, el("tr", {}, el("th", {}, "#"), ...head.map((h) => el("th", {}, h === "route" ? `${t("origin")} → ${t("destination")}` : t(h)))),
    ...rows.map((r) => el("tr", { dataset: { row: r.row } }, el("td", {}, String(r.row)), el("td", {}, r.passenger), el("td", {}, r.id_number || ""),
      el("td", {}, r.sex || ""), el("td", {}, r.age ?? ""), el("td", {}, formatDate(r.departure)), el("td", {}, `${r.origin} → ${r.destination}`),
      el("td", {}, [r.buyer, r.buyer_phone].filter(Boolean).join(" · ")),
      el("td", {}, [r.booked_at ? formatDate(r.booked_at) : "", r.one_way === true ? t("one_way") : r.one_way === false ? t("round_trip") : ""].filter(Boolean).join(" · ")))));
}

function flagItem(view, onChange) {
  const flag = view.flag;
  const review = async (decision, reason = "") => {
    await api(`/api/screening/flags/${encodeURIComponent(flag.id)}/review`, { json: { decision, user: analystName(), reason } });
    onChange();
  };
  const note = el("span", { class: "note", role: "status" });
  const confirm = el("button", { type: "button", class: "confirm-flag", onclick: async () => {
    if (!readyToDecide(note)) return;
    try { await review("confirmed"); } catch (error) { note.textContent = `${t("error")}: ${error.message}`; }
  } }, t("confirm_flag"));
  const actions = view.status === "open"
    ? [confirm, " ", reasonedAction(t("dismiss_flag"), "dismiss-flag", (reason) => review("dismissed", reason)), note]
    : [reasonedAction(t("reopen_flag"), "reopen-flag", (reason) => review("reopened", reason))];
  return el("li", { class: `flag status-${view.status}`, dataset: { flag: flag.id, indicator: flag.indicator } },
    el("strong", {}, term("indicator", flag.indicator)), ` · ${t("score")} ${flag.score.toFixed(2)} · `, term("review", view.status),
    view.review ? el("span", { class: "muted" }, ` · ${t("reviewed_by")} ${view.review.by.replace(/^user:/, "")} ${formatDate(view.review.at)}${view.review.reason ? ` — ${view.review.reason}` : ""}`) : "",
    el("ul", { class: "flag-reasons" }, (lang() === "en" && flag.reasons_en.length ? flag.reasons_en : flag.reasons).map((r) => el("li", {}, r))),
    el("p", { class: "cite" }, documentLink(flag.document_id, view.document_title), ` · ${t("rows_cited")} ${flag.rows.join(", ")}`),
    rowTable(view.rows), el("p", { class: "flag-actions" }, ...actions));
}

function watchSection(caseId, entries, alerts, onChange) {
  const kind = el("select", { id: "watch-kind" }, ["person", "phone", "id"].map((k) => el("option", { value: k }, term("watch_kind", k))));
  const value = el("input", { type: "text", id: "watch-value", size: 28, placeholder: t("watch_value") });
  const reason = el("input", { type: "text", id: "watch-reason", size: 28, placeholder: t("reason_placeholder") });
  const note = el("span", { class: "note", role: "status" });
  const add = el("button", { type: "button", id: "watch-add", onclick: async () => {
    if (!readyToDecide(note)) return;
    try {
      await api("/api/watchlist", { json: { kind: kind.value, value: value.value.trim(), reason: reason.value.trim(), user: analystName(), ...(caseId ? { case_id: caseId } : {}) } });
      onChange();
    } catch (error) { note.textContent = `${t("error")}: ${error.message}`; }
  } }, t("watch_add"));
  const list = entries.length ? el("ul", { id: "watch-entries" }, entries.map((e) => el("li", { dataset: { entry: e.id } },
    `${term("watch_kind", e.kind)}: `, el("strong", {}, e.value), el("span", { class: "muted" }, ` · ${e.by.replace(/^user:/, "")} · ${formatDate(e.at)}${e.reason ? ` — ${e.reason}` : ""}`),
    reasonedAction(t("watch_lift"), "lift-watch", async (why) => {
      await api(`/api/watchlist/${encodeURIComponent(e.id)}/lift`, { json: { user: analystName(), reason: why } });
      onChange();
    })))) : el("p", { class: "muted" }, t("watch_empty"));
  return el("section", { id: "watchlist" }, el("h2", {}, t("watchlist")), el("p", {}, kind, " ", value, " ", reason, " ", add, " ", note), list,
    el("h3", {}, t("alerts")), alertList(alerts));
}

whenReady(() => {
  const main = document.getElementById("main");
  const params = new URLSearchParams(location.search);
  const caseId = params.get("case_id") || workingCase();
  const status = el("select", { id: "flag-status" }, ["open", "confirmed", "dismissed", "all"].map((s) => el("option", { value: s }, s === "all" ? t("all") : term("review", s))));
  status.value = params.get("status") || "open";
  const flags = el("ol", { id: "flags" });
  const watch = el("div", {});
  const load = async () => {
    try {
      const scope = caseId ? { case_id: caseId } : {};
      const [views, entries, alerts] = await Promise.all([api(`/api/screening/flags?${query({ ...scope, status: status.value })}`),
        api(`/api/watchlist?${query(scope)}`), api(`/api/watchlist/alerts?${query(scope)}`)]);
      clear(flags).append(...(views.length ? views.map((v) => flagItem(v, load)) : [el("p", { class: "muted" }, t("no_flags"))]));
      clear(watch).append(watchSection(caseId, entries, alerts, load));
    } catch (error) { showError(clear(flags), error); }
  };
  status.addEventListener("change", load);
  main.append(el("h1", {}, t("screening_title")), el("p", { class: "muted" }, t("screening_hint")),
    el("section", { id: "flag-section" }, el("h2", {}, t("flags")), el("label", {}, `${t("flag_status")} `, status), flags), watch);
  load();
});
