"""Every page, rendered in Chromium in both languages: the Spanish pages show no vocabulary key,
no English word of the vocabulary and no mm/dd/yyyy or ISO date; the English pages show no
vocabulary key. What documents say (quotes, document text, titles, names) is left out of the
check: it is the files' own language. The API reference (/docs, Swagger's page) is English by
nature and not checked."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from backend.domain.vocabulary import ENTITY_KINDS, RELATIONSHIP_KINDS, TERMS
from tests.frontend.test_browser import _api, _wait_until

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Text a page writes itself: everything but what came from the documents and the data's names.
VISIBLE_OWN_TEXT = """() => {
  const skip = "q, blockquote, code, mark, select, option, script, style, .document-text, .snippet, a.document-link, a.entity-link, " +
               "#entity-label, .picks, .candidate h3, .cite .assertion, #history .muted, .history .muted, time";
  const parts = [];
  const walker = document.createTreeWalker(document.getElementById("main"), NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (node.parentElement.closest(skip)) continue;
    if (node.textContent.trim()) parts.push(node.textContent.trim());
  }
  parts.push(document.getElementById("top").innerText);
  return parts.join("\\n");
}"""

SNAKE_KEY = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")  # destination_city, co_mentioned, member_ids
SCREAMING_KEY = re.compile(r"\b[A-Z]+_[A-Z_]+\b")  # USES_PHONE, ASSOCIATED_WITH
CAMEL_TYPE_KEY = re.compile(r"\b(?:" + "|".join(str(t) for t in ENTITY_KINDS if re.search(r"[a-z][A-Z]", str(t))) + r")\b")
US_DATE = re.compile(r"\b(?:0?[1-9]|1[0-2])/(?:1[3-9]|2\d|3[01])/\d{4}\b")  # month first: the day can only be > 12 second
ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")


def _english_words() -> set[str]:
    """The vocabulary's English words that are not also Spanish, as whole words or phrases."""
    spanish = {w.lower() for k in ENTITY_KINDS.values() for w in k.label_es.split()}
    spanish |= {w.lower() for es, _ in TERMS.values() for w in es.split()}
    spanish |= {w.lower() for k in RELATIONSHIP_KINDS.values() for w in k.label_es.split()}
    english = {k.label_en for k in ENTITY_KINDS.values()} | {k.label_en for k in RELATIONSHIP_KINDS.values()}
    english |= {en for es, en in TERMS.values() if es != en}
    english |= {"Search", "Evidence", "Relationships", "Mentions", "Attributes", "History", "Statistics", "Timeline", "confidence",
                "Undo", "Merge", "Reject", "Add a link", "Annotate", "calls", "first", "last", "Loading"}  # fmt: skip
    return {w for w in english if len(w) >= 3 and w.lower() not in spanish and not w.isupper()}


ENGLISH = re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in sorted(_english_words(), key=len, reverse=True)) + r")(?![\w-])")


def _pages(base: str) -> list[tuple[str, str]]:
    """(name, path) of every page, each with data to show."""
    person = next(h for h in _api(base, "/api/search?q=" + quote("wilmer quintero")) if h["type"] == "Person")
    phone = next(h for h in _api(base, "/api/search?q=3004189922") if h["type"] == "Phone")
    leg = next(h for h in _api(base, "/api/search?q=" + quote("bogotá")) if h["type"] == "RouteLeg")
    paisa = next(h for h in _api(base, "/api/search?q=" + quote("jhon fredy cardona")) if h["type"] == "Person")
    document = next(h for h in _api(base, "/api/search?q=" + quote("denuncia")) if h["kind"] == "document")
    return [
        ("search", "/?q=" + quote("wilmer")),
        ("person", f"/entity/{quote(person['id'], safe='')}"),
        ("phone", f"/entity/{quote(phone['id'], safe='')}"),
        ("route-leg", f"/entity/{quote(leg['id'], safe='')}"),
        ("paths", f"/paths?source={quote(paisa['id'], safe='')}&target={quote(person['id'], safe='')}"),
        ("review", "/review"),
        ("analysis", "/analysis"),
        ("timeline", f"/analysis?entity={quote(paisa['id'], safe='')}"),
        ("stats", "/stats"),
        ("document", f"/documents/{document['id']}"),
        ("login", "/login"),
        ("upload", "/upload"),
        ("import", "/import"),
        ("screening", "/screening"),
        ("report", f"/report?ids={quote(paisa['id'], safe='')}&ids={quote(person['id'], safe='')}"),
    ]


def _rendered(browser, base: str, path: str, language: str) -> str:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.add_init_script(f"localStorage.setItem('telarana.lang', '{language}')")
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(base + path)
        _wait_until(page, f"document.documentElement.lang === '{language}' && document.getElementById('main').innerText.trim().length > 0")
        # Every section loads on its own: wait until none says it is loading and the page holds still.
        _wait_until(page, "!document.getElementById('main').innerText.includes('Cargando') && "
                          "!document.getElementById('main').innerText.includes('Loading')", timeout=30)  # fmt: skip
        page.wait_for_timeout(800)
        assert errors == [], errors
        return page.evaluate(VISIBLE_OWN_TEXT)
    finally:
        context.close()


def problems_in(text: str, language: str) -> list[str]:
    found = [f"key {m}" for m in SNAKE_KEY.findall(text)] + [f"key {m}" for m in SCREAMING_KEY.findall(text)]
    found += [f"type key {m}" for m in CAMEL_TYPE_KEY.findall(text)]
    if language == "es":
        found += [f"English {m!r}" for m in ENGLISH.findall(text)]
        found += [f"date {m}" for m in US_DATE.findall(text) + ISO_DATE.findall(text)]
    return sorted(set(found))


def test_the_check_finds_what_it_looks_for():
    assert problems_in("Rutas · USES_PHONE · destination_city · BusTerminal", "en") == [
        "key USES_PHONE", "key destination_city", "type key BusTerminal"]  # fmt: skip
    spanish = problems_in("llamó a · 03/25/2018 · 2018-03-25 · a name dropped · (air) · usa teléfono · 25/03/2018", "es")
    assert spanish == ["English 'a name dropped'", "English 'air'", "date 03/25/2018", "date 2018-03-25"]


@pytest.mark.parametrize("language", ["es", "en"])
def test_every_page_speaks_the_chosen_language(browser, live_server, language):
    base, _ = live_server
    problems = {}
    for name, path in _pages(base):
        found = problems_in(_rendered(browser, base, path, language), language)
        if found:
            problems[name] = found
    assert problems == {}, problems
