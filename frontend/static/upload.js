// Upload documents or a folder (or a zip of one) into a case: the files are sent one by one,
// then the server reads them with the ingest job in the background. The page follows the run:
// files read of the total, the time left, warnings as they come, cancel, and the outcome of
// each file at the end. The run's address (?run=…) can be reopened: the reading goes on
// without the page, and a server restart takes it up again.
"use strict";

const POLL_MS = 700;

function sizeText(bytes) {
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

function etaText(seconds) {
  if (seconds === null || seconds === undefined) return "";
  const whole = Math.max(0, Math.round(seconds));
  return whole >= 60 ? `${Math.floor(whole / 60)} min ${whole % 60} s` : `${whole} s`;
}

function outcomeTable(run) {
  const rows = run.outcomes.map((o) => el("tr", { class: `outcome-${o.status}` },
    el("td", {}, o.path),
    el("td", {}, t(`outcome_${o.status}`)),
    el("td", { class: "number" }, String(o.mentions)),
    el("td", { class: "number" }, String(o.relationships)),
    el("td", {}, o.document_id ? documentLink(o.document_id, t("open_document")) : ""),
    el("td", {}, [o.reason, ...o.warnings].filter(Boolean).join(" · "))));
  return el("table", { class: "outcomes", id: "upload-outcomes" },
    el("thead", {}, el("tr", {}, ...["file", "status", "mentions", "relationships", "document", "warnings"].map((h) => el("th", {}, t(`col_${h}`))))),
    el("tbody", {}, ...rows));
}

function runSummary(run) {
  const count = (status) => run.outcomes.filter((o) => o.status === status).length;
  return `${t(`run_${run.status}`)} · ${t("stored")} ${count("stored") + count("reread")} · ${t("outcome_unchanged")} ${count("unchanged")} · `
    + `${t("failed")} ${count("failed")} · ${t("warnings")} ${run.outcomes.reduce((n, o) => n + o.warnings.length, 0)}`;
}

function followRun(runId, panel) {
  const bar = el("progress", { id: "upload-progress", max: "100", value: "0" });
  const label = el("p", { id: "upload-progress-label", "aria-live": "polite" }, t("run_queued"));
  const warnings = el("ul", { id: "upload-warnings", class: "run-warnings" });
  const cancel = el("button", { type: "button", id: "upload-cancel" }, t("cancel_upload"));
  const result = el("div", { id: "upload-result" });
  clear(panel).append(el("h2", {}, t("upload_progress")), bar, label, cancel, warnings, result);
  history.replaceState(null, "", `/upload?${query({ run: runId })}`);
  const seen = new Set();
  cancel.addEventListener("click", () => {
    cancel.disabled = true;
    api(`/api/uploads/${encodeURIComponent(runId)}/cancel`, { method: "POST" }).catch((error) => showError(result, error));
  });
  const poll = () => api(`/api/uploads/${encodeURIComponent(runId)}`).then((run) => {
    if (run.percent !== null) bar.value = String(run.percent);
    const files = run.files_total ? `${run.files_done} / ${run.files_total} ${t("files")} (${run.percent} %)` : "";
    const eta = run.status === "running" && run.eta_seconds !== null ? ` · ${t("eta")} ${etaText(run.eta_seconds)}` : "";
    label.textContent = `${t(`run_${run.status}`)}${files ? ` · ${files}` : ""}${eta}`;
    for (const o of run.outcomes) {
      for (const message of [...(o.status === "failed" ? [o.reason] : []), ...o.warnings]) {
        const key = `${o.path}\u0000${message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        warnings.append(el("li", { class: o.status === "failed" ? "error" : "" }, `${o.path}: ${message}`));
      }
    }
    const finished = ["done", "failed", "cancelled"].includes(run.status);
    if (!finished) { setTimeout(poll, POLL_MS); return; }
    cancel.remove();
    if (run.status === "done") bar.value = "100";
    clear(result).append(el("p", { class: "run-summary" }, runSummary(run)), outcomeTable(run),
      el("p", {}, el("a", { href: `/analysis?${query({ case_id: run.case_id })}` }, t("open_case"))));
  }).catch((error) => { showError(result, error); });
  poll();
}

async function sendAll(runId, files, label) {
  let sent = 0;
  for (const file of files) {
    const name = file.webkitRelativePath || file.name;
    label.textContent = `${t("sending")} ${sent + 1} / ${files.length}: ${name}`;
    await api(`/api/uploads/${encodeURIComponent(runId)}/files?${query({ name })}`,
      { method: "PUT", body: file, headers: { Accept: "application/json", "Content-Type": "application/octet-stream" } });
    sent += 1;
  }
  label.textContent = `${t("sent")} ${sent} / ${files.length}`;
}

function uploadForm(panel, cases, me) {
  const caseSelect = el("select", { id: "upload-case", required: "" },
    ...cases.map((c) => el("option", { value: c.id }, c.name)));
  if (workingCase() && cases.some((c) => c.id === workingCase() || c.name === workingCase())) {
    caseSelect.value = cases.find((c) => c.id === workingCase() || c.name === workingCase()).id;
  }
  const filesInput = el("input", { type: "file", id: "upload-files", multiple: "" });
  const folderInput = el("input", { type: "file", id: "upload-folder", webkitdirectory: "", multiple: "" });
  const chosen = el("p", { id: "upload-chosen", class: "muted" }, t("nothing_chosen"));
  const send = el("button", { type: "submit", id: "upload-send", disabled: "" }, t("upload_and_read"));
  const status = el("p", { id: "upload-sending", "aria-live": "polite" });
  const picked = () => [...filesInput.files, ...folderInput.files].filter((file) => !file.name.startsWith("."));
  const describe = () => {
    const files = picked();
    const bytes = files.reduce((n, file) => n + file.size, 0);
    chosen.textContent = files.length ? `${files.length} ${t("files")} · ${sizeText(bytes)}` : t("nothing_chosen");
    send.disabled = !files.length;
  };
  filesInput.addEventListener("change", describe);
  folderInput.addEventListener("change", describe);
  const form = el("form", { id: "upload-form" },
    el("label", {}, t("case_id"), " ", caseSelect),
    el("label", {}, t("choose_files"), " ", filesInput),
    el("label", {}, t("choose_folder"), " ", folderInput),
    chosen, el("p", { class: "muted", id: "upload-limits" }), send, status);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    send.disabled = true;
    try {
      const run = await api("/api/uploads", { json: { case_id: caseSelect.value, user: me.name } });
      document.getElementById("upload-limits").textContent =
        `${t("limits")}: ${run.limits.files} ${t("files")} · ${run.limits.megabytes} MB · ${run.limits.file_megabytes} MB ${t("per_file")}`;
      await sendAll(run.id, picked(), status);
      await api(`/api/uploads/${encodeURIComponent(run.id)}/start`, { method: "POST" });
      followRun(run.id, panel);
    } catch (error) {
      showError(status, error);
      send.disabled = false;
    }
  });
  return form;
}

function recentRuns(runs) {
  if (!runs.length) return el("p", { class: "muted" }, t("no_run"));
  return el("ul", { id: "recent-runs" }, ...runs.map((run) => el("li", {},
    run.kind === "upload" ? el("a", { href: `/upload?${query({ run: run.id })}` }, `${run.case_name} · ${formatDate(run.started_at)}`)
      : `${run.case_name} · ${formatDate(run.started_at)}`,
    " ", el("span", { class: "muted" }, `${t(`run_${run.status}`)} · ${t("by")} ${run.by} · ${run.files_done}/${run.files_total ?? "?"} ${t("files")}`))));
}

whenReady(async () => {
  const main = document.getElementById("main");
  const panel = el("section", { id: "upload-panel" });
  main.append(el("h1", {}, t("upload_title")), panel);
  const following = new URLSearchParams(location.search).get("run");
  if (following) { followRun(following, panel); return; }
  try {
    const [cases, me, runs] = await Promise.all([api("/api/cases"), api("/api/me"), api("/api/uploads?limit=10")]);
    if (!cases.length) { panel.append(el("p", {}, t("no_cases_yet"))); return; }
    panel.append(el("p", { class: "muted" }, t("upload_hint")), uploadForm(panel, cases, me));
    main.append(el("section", {}, el("h2", {}, t("recent_runs")), recentRuns(runs)));
  } catch (error) {
    showError(panel, error);
  }
});
