// The spreadsheet import wizard: choose a CSV / XLSX, see its first rows, the proposed header
// row, profile and column of each field, change any of them, see the records the first rows
// will make, then keep the mapping as a profile and import the table into a case (an upload
// read with that profile; its progress is followed on the upload page).
"use strict";

const wizard = { file: null, proposal: null, choice: {} };

// Profiles name themselves and their fields in both languages (ingest/profiles/*.toml).
function profileLabels(name) {
  const profile = wizard.proposal?.profiles.find((p) => p.name === name);
  return profile?.labels?.[lang()] || profile?.labels?.es || {};
}

function fieldLabel(name) { return profileLabels(wizard.proposal?.profile)[name] || name; }

function firstRows(proposal) {
  const width = Math.max(...proposal.rows.map(([, cells]) => cells.length), 1);
  return el("table", { class: "raw-rows", id: "import-rows" },
    el("tbody", {}, ...proposal.rows.map(([number, cells]) => el("tr",
      { class: number === proposal.header_row ? "header-row" : "", "data-row": String(number) },
      el("th", {}, String(number)),
      ...Array.from({ length: width }, (_, i) => el("td", {}, cells[i] ?? "")),
    ))));
}

function headerChoice(proposal) {
  const select = el("select", { id: "import-header-row" },
    ...proposal.rows.map(([number, cells]) => el("option", { value: String(number) },
      `${t("row")} ${number}: ${cells.filter(Boolean).slice(0, 4).join(" · ")}`)));
  if (proposal.header_row) select.value = String(proposal.header_row);
  select.addEventListener("change", () => {
    wizard.choice = { profile: wizard.choice.profile, header_row: Number(select.value) };
    refresh();
  });
  return el("label", {}, t("header_row"), " ", select);
}

function profileChoice(proposal) {
  const select = el("select", { id: "import-profile" },
    el("option", { value: "" }, t("choose_profile")),
    ...proposal.profiles.map((p) => el("option", { value: p.name }, profileLabels(p.name).profile || p.description)));
  select.value = proposal.profile || "";
  select.addEventListener("change", () => {
    wizard.choice = { header_row: proposal.header_row, profile: select.value || undefined };
    refresh();
  });
  return el("label", {}, t("import_profile"), " ", select);
}

function columnChoices(proposal) {
  if (!proposal.fields.length) return el("p", { class: "muted" }, t("choose_profile_first"));
  const rows = proposal.fields.map((field) => {
    const select = el("select", { "data-field": field.name, class: "column-choice" },
      el("option", { value: "" }, t("not_mapped")),
      ...proposal.headers.map((header, index) => el("option", { value: String(index) }, header || `(${t("column")} ${index + 1})`)));
    select.value = field.column === null ? "" : String(field.column);
    select.addEventListener("change", () => {
      const columns = {};
      for (const chosen of document.querySelectorAll(".column-choice")) {
        if (chosen.value !== "") columns[chosen.dataset.field] = Number(chosen.value);
      }
      wizard.choice = { profile: proposal.profile, header_row: proposal.header_row, columns };
      refresh();
    });
    return el("tr", {}, el("th", {}, fieldLabel(field.name), field.required ? el("span", { class: "required", title: t("required") }, " *") : ""),
      el("td", {}, select));
  });
  return el("table", { id: "import-columns" }, el("tbody", {}, ...rows));
}

function recordsPreview(proposal) {
  if (proposal.missing.length) {
    return el("p", { class: "error", id: "import-missing" }, `${t("still_missing")}: ${proposal.missing.map(fieldLabel).join(", ")}`);
  }
  const rows = proposal.records.map((record) => el("tr", {},
    el("td", {}, String(record.row)),
    el("td", {}, ...record.mentions.map((m) => el("span", { class: "chip", title: typeName(m.type) }, `${typeName(m.type)}: ${m.text}`))),
    el("td", {}, ...record.relationships.map((r) => el("div", {},
      `${relName(r.type)}: ${r.source} → ${r.target}${r.date ? ` (${formatDate(r.date)})` : ""}`))),
    el("td", { class: "error" }, record.problem)));
  return el("div", {},
    el("p", { id: "import-summary" }, `${proposal.records_total} ${t("records_rows")} · ${proposal.problems_total} ${t("rows_refused")}`),
    el("table", { id: "import-preview" },
      el("thead", {}, el("tr", {}, ...["row", "entities", "relationships", "problem"].map((h) => el("th", {}, t(`preview_${h}`))))),
      el("tbody", {}, ...rows)));
}

function render(proposal) {
  const panel = clear(document.getElementById("import-wizard"));
  panel.dataset.renders = String(Number(panel.dataset.renders || 0) + 1);
  panel.append(
    el("h2", {}, `${t("first_rows_of")} ${proposal.name} (${proposal.total_rows} ${t("rows")})`), firstRows(proposal),
    el("div", { class: "import-choices" }, headerChoice(proposal), profileChoice(proposal)),
    el("h2", {}, t("column_mapping")), columnChoices(proposal),
    el("h2", {}, t("records_preview")), recordsPreview(proposal));
  document.getElementById("import-finish").hidden = Boolean(proposal.missing.length) || !proposal.profile;
}

async function refresh() {
  const status = clear(document.getElementById("import-status"));
  if (!wizard.file) return;
  const params = { name: wizard.file.name, profile: wizard.choice.profile, header_row: wizard.choice.header_row,
    columns: wizard.choice.columns ? JSON.stringify(wizard.choice.columns) : undefined };
  try {
    wizard.proposal = await api(`/api/import/preview?${query(params)}`,
      { method: "POST", body: wizard.file, headers: { Accept: "application/json", "Content-Type": "application/octet-stream" } });
    render(wizard.proposal);
  } catch (error) {
    showError(status, error);
  }
}

async function finish(caseSelect, nameInput, me) {
  const status = clear(document.getElementById("import-status"));
  const proposal = wizard.proposal;
  const columns = Object.fromEntries(proposal.fields.filter((f) => f.column !== null).map((f) => [f.name, proposal.headers[f.column]]));
  try {
    await api("/api/import/profiles", { json: { name: nameInput.value.trim(), profile: proposal.profile, columns, user: me.name } });
    const run = await api("/api/uploads", { json: { case_id: caseSelect.value, user: me.name, profile: nameInput.value.trim() } });
    await api(`/api/uploads/${encodeURIComponent(run.id)}/files?${query({ name: wizard.file.name })}`,
      { method: "PUT", body: wizard.file, headers: { Accept: "application/json", "Content-Type": "application/octet-stream" } });
    await api(`/api/uploads/${encodeURIComponent(run.id)}/start`, { method: "POST" });
    location.assign(`/upload?${query({ run: run.id })}`);
  } catch (error) {
    showError(status, error);
  }
}

whenReady(async () => {
  const main = document.getElementById("main");
  main.append(el("h1", {}, t("import_title")), el("p", { class: "muted" }, t("import_hint")));
  let cases, me, saved;
  try {
    [cases, me, saved] = await Promise.all([api("/api/cases"), api("/api/me"), api("/api/import/profiles")]);
  } catch (error) { showError(main, error); return; }
  const caseSelect = el("select", { id: "import-case" }, ...cases.map((c) => el("option", { value: c.id }, c.name)));
  const found = cases.find((c) => c.id === workingCase() || c.name === workingCase());
  if (found) caseSelect.value = found.id;
  const fileInput = el("input", { type: "file", id: "import-file", accept: ".csv,.tsv,.xlsx" });
  const nameInput = el("input", { type: "text", id: "import-profile-name", pattern: "[a-z0-9][a-z0-9_\\-]{0,59}", placeholder: "terminal-pereira-2024" });
  const finishButton = el("button", { type: "button", id: "import-run" }, t("save_and_import"));
  finishButton.addEventListener("click", () => finish(caseSelect, nameInput, me));
  main.append(
    el("label", {}, t("case_id"), " ", caseSelect), " ", el("label", {}, t("table_file"), " ", fileInput),
    saved.length ? el("p", { class: "muted", id: "saved-profiles" }, `${t("saved_profiles")}: ${saved.map((p) => `${p.name} (${p.profile})`).join(", ")}`) : "",
    el("section", { id: "import-wizard" }),
    el("section", { id: "import-finish", hidden: "" }, el("h2", {}, t("keep_and_import")),
      el("label", {}, t("profile_name"), " ", nameInput), " ", finishButton),
    el("div", { id: "import-status", "aria-live": "polite" }));
  fileInput.addEventListener("change", () => {
    wizard.file = fileInput.files[0] || null;
    wizard.choice = {};
    if (wizard.file && !nameInput.value) nameInput.value = wizard.file.name.replace(/\.[^.]+$/, "").toLowerCase().replace(/[^a-z0-9_-]+/g, "-").replace(/^-+/, "").slice(0, 60);
    refresh();
  });
});
