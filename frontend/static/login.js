"use strict";
// The sign-in page: name and password to POST /api/login, then back to the page asked for.

function localTarget(next) {
  // Only a path on this server ("/entity/x"), never another host: the browser's own URL parser
  // decides, after it has read "\\", tabs and encodings as it does when it navigates.
  if (!next || !next.startsWith("/")) return "/";
  try {
    const target = new URL(next, location.origin);
    return target.origin === location.origin ? target.pathname + target.search + target.hash : "/";
  } catch (_) { return "/"; }
}

whenReady(() => {
  const main = document.getElementById("main");
  const name = el("input", { id: "login-name", type: "text", autocomplete: "username", required: "" });
  const password = el("input", { id: "login-password", type: "password", autocomplete: "current-password", required: "" });
  const message = el("p", { id: "login-error", class: "error" });
  const form = el("form", { id: "login-form" },
    el("h1", {}, t("login_title")),
    el("label", {}, `${t("user_name")} `, name),
    el("label", {}, `${t("password")} `, password),
    el("button", { type: "submit" }, t("sign_in")),
    message);
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    message.textContent = "";
    try {
      await api("/api/login", { json: { name: name.value.trim(), password: password.value } });
      location.assign(localTarget(new URLSearchParams(location.search).get("next")));
    } catch (error) {
      message.textContent = `${t("login_failed")}: ${error.message}`;
    }
  });
  clear(main).append(form);
  name.focus();
});
