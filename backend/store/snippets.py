"""Short excerpts of document text around the words a search matched."""

from __future__ import annotations

from backend.domain.text import fold


def snippet(text: str, terms: list[str], width: int = 80) -> str:
    """About `width` characters around the first matched term, in the document's own spelling.

    Folding keeps one character per character for Spanish text (unidecode maps "É" to "E"),
    so positions found in the folded text point at the same place in the original.
    """
    head = text[:200_000]
    folded = fold(head)
    if len(folded) != len(head):  # a character that folds to several: fall back to the start
        return _trim(head[:width])
    positions = [p for p in (folded.find(t) for t in terms) if p >= 0]
    if not positions:
        return _trim(head[:width])
    at = min(positions)
    start = max(0, at - width // 2)
    end = min(len(head), start + width)
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(text) else ""
    return prefix + _trim(head[start:end]) + suffix


def _trim(text: str) -> str:
    return " ".join(text.split())
