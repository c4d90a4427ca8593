"""Split a review into sentences, as character spans of its cleaned text."""

from __future__ import annotations

import re

__all__ = ["split_sentences"]

# Words that end with a full stop without ending a sentence (lowercased, without the stop).
ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof st jr sr vs etc e.g i.e cf fig approx dept est vol no nos pp "
    "gen col lt sgt capt cmdr mt ft inc ltd co corp bros jan feb mar apr jun jul aug sep sept "
    "oct nov dec".split()
)
# A sentence-ending mark, with any closing quotes or brackets that belong to it.
_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s|$)")
_LINE_BREAKS = re.compile(r"\n\s*\n|\n(?=\s*[^\sa-z])")
_SPACE = re.compile(r"\s+")


def _ends_here(text: str, mark_start: int, mark_end: int, lowercase_text: bool) -> bool:
    """Whether the mark at [mark_start, mark_end) ends a sentence."""
    following = _SPACE.match(text, mark_end)
    nxt = text[following.end()] if following and following.end() < len(text) else ""
    if not nxt:
        return True
    mark = text[mark_start:mark_end]
    if nxt.islower() and not lowercase_text:
        return False  # "wait... what", "e.g. this"
    if mark.startswith(".") and not mark.startswith(".."):
        words = text[max(0, mark_start - 40) : mark_start].rsplit(None, 1)
        word = words[-1].lstrip("(\"'\u201c\u2018[").lower() if words else ""
        if word in ABBREVIATIONS or word.rstrip(".") in ABBREVIATIONS:
            return False
        initials = all(len(part) == 1 and part.isalpha() for part in word.split("."))
        if initials and nxt.isupper():
            return False  # an initial: "J. K. Rowling", "J.K. Rowling"
    return True


def _trimmed(text: str, start: int, end: int) -> tuple[int, int] | None:
    piece = text[start:end]
    kept = piece.strip()
    if not kept:
        return None
    start += len(piece) - len(piece.lstrip())
    return start, start + len(kept)


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return the sentences of `text` as (start, end) spans, whitespace trimmed, in order."""
    lowercase_text = text == text.lower()
    spans: list[tuple[int, int]] = []
    block_start = 0
    blocks = [m.start() for m in _LINE_BREAKS.finditer(text)] + [len(text)]
    for block_end in blocks:
        start = block_start
        for m in _END.finditer(text, block_start, block_end):
            if _ends_here(text, m.start(), m.end(), lowercase_text):
                span = _trimmed(text, start, m.end())
                if span:
                    spans.append(span)
                start = m.end()
        span = _trimmed(text, start, block_end)
        if span:
            spans.append(span)
        block_start = block_end
    return spans
