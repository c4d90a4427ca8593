"""Split a review into sentences, as character spans of its cleaned text.

Rules, not a model: a sentence ends at . ! ? or … followed by space, unless the full stop belongs to
an abbreviation ("Mr.", "vs.", "No. 5"), an initial ("J. K. Rowling") or a list number ("1. The
acting"), or the mark sits inside a quotation or parenthesis that closes later ("he yells "Run!
Now!" and", "(I checked. Twice.)"), or the next word is lowercase ("wait... what"). Blank lines and
lines that start with a capital or a list marker also end sentences. A long run of words with no
punctuation at all is cut where a new clause visibly starts ("... great acting but the plot ...").
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from itertools import pairwise

__all__ = ["split_sentences"]

# Words that end with a full stop without ending a sentence (lowercased, without the stop).
ABBREVIATIONS = frozenset(
    "mr mrs ms messrs mme mlle dr prof st mt jr sr vs v etc e.g i.e cf viz approx dept est al aka a.k.a "
    "gen col lt sgt capt cmdr gov sen rev hon ft inc ltd co corp bros dir ed prod min mins "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
# Abbreviations only when a number follows ("No. 5", "Vol. 2", "pp. 10").
NUMBER_ABBREVIATIONS = frozenset("no nos vol vols pp p fig ep pt op".split())
# A sentence-ending mark, with any closing quotes or brackets that belong to it.
_END = re.compile(r"[.!?\u2026]+[\"'\u201d\u2019)\]]*(?=\s|$)")
_LINE_BREAKS = re.compile(r"\n\s*\n|\n(?=\s*[^\sa-z])")
_SPACE = re.compile(r"\s+")
_LIST_MARKER = re.compile(r"\(?(?:\d{1,2}|[a-zA-Z]|[ivxIVX]{1,4})[.)]?")
# How far ahead a quotation or parenthesis may close for a mark inside it not to end the sentence.
_ENCLOSED_REACH = 300
# Run-on text: a stretch of this many words with no sentence punctuation is cut into clauses,
# before these words, keeping every piece at least `_MIN_CLAUSE_WORDS` long.
_RUN_ON_WORDS = 40
_MIN_CLAUSE_WORDS = 6
_CLAUSE_START = re.compile(
    r"\s(?=(?:but|however|although|though|overall|anyway|also|plus|so|then|and then|i|i'm|i've|"
    r"this (?:movie|film)|the (?:movie|film|acting|plot|story|script|music|ending))\b)",
    re.IGNORECASE,
)
# Words after which a clause cannot start ("... and the ending", "... of the film").
_JOINING = frozenset(
    "and or nor of to in on at by for with from about as than that if a an the but so".split()
)
_PUNCTUATED = re.compile(r"[.!?;\u2026]")
_WORD = re.compile(r"\S+")


def _enclosed(text: str, start: int, mark_end: int, block_end: int) -> bool:
    """Whether [start, mark_end) leaves a quotation or parenthesis open that closes soon after."""
    piece = text[start:mark_end]
    reach = text[mark_end : min(block_end, mark_end + _ENCLOSED_REACH)]
    if piece.count("(") > piece.count(")") and ")" in reach:
        return True
    if piece.count("\u201c") > piece.count("\u201d") and "\u201d" in reach:
        return True
    return piece.count('"') % 2 == 1 and '"' in reach


def _ends_here(text: str, start: int, mark_start: int, mark_end: int, lowercase_text: bool) -> bool:
    """Whether the mark at [mark_start, mark_end) ends the sentence that began at `start`."""
    following = _SPACE.match(text, mark_end)
    nxt = text[following.end()] if following and following.end() < len(text) else ""
    if not nxt:
        return True
    if nxt.islower() and not lowercase_text:
        return False  # "wait... what", "e.g. this"
    mark = text[mark_start:mark_end]
    if mark.startswith(".") and not mark.startswith(".."):
        if _LIST_MARKER.fullmatch(text[start : mark_start + 1].strip()):
            return False  # "1. The acting", "b) the plot"
        words = text[max(start, mark_start - 40) : mark_start].rsplit(None, 1)
        word = words[-1].lstrip("(\"'\u201c\u2018[").lower() if words else ""
        if word in ABBREVIATIONS or word.rstrip(".") in ABBREVIATIONS:
            return False
        if word in NUMBER_ABBREVIATIONS and nxt.isdigit():
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


def _clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A long unpunctuated span cut before words that start a new clause; other spans as they are."""
    piece = text[start:end]
    words = piece.split()
    if len(words) < _RUN_ON_WORDS or _PUNCTUATED.search(piece):
        return [(start, end)]
    # where each word starts and ends, so the words between two places are counted by bisection
    # (counting them by splitting the rest of the span at every clause word was quadratic)
    found = [(w.start(), w.end()) for w in _WORD.finditer(text, start, end)]
    word_starts = [a for a, _ in found]
    word_ends = [b for _, b in found]

    def words_between(a: int, b: int) -> int:  # as len(text[a:b].split())
        return max(0, bisect_left(word_starts, b) - bisect_right(word_ends, a))

    cuts = [start]
    for m in _CLAUSE_START.finditer(text, start, end):
        before = words_between(cuts[-1], m.start())
        after = words_between(m.end(), end)
        previous = text[max(start, m.start() - 12) : m.start()].split()[-1:]
        joined = bool(previous) and previous[0].lower() in _JOINING
        if before >= _MIN_CLAUSE_WORDS and after >= _MIN_CLAUSE_WORDS and not joined:
            cuts.append(m.end())
    bounds = cuts + [end]
    return [span for a, b in pairwise(bounds) if (span := _trimmed(text, a, b))]


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return the sentences of `text` as (start, end) spans, whitespace trimmed, in order."""
    lowercase_text = text == text.lower()
    spans: list[tuple[int, int]] = []
    block_start = 0
    blocks = [m.start() for m in _LINE_BREAKS.finditer(text)] + [len(text)]
    for block_end in blocks:
        start = block_start
        for m in _END.finditer(text, block_start, block_end):
            if m.end() <= start:
                continue
            if _enclosed(text, start, m.end(), block_end):
                continue
            if _ends_here(text, start, m.start(), m.end(), lowercase_text):
                if span := _trimmed(text, start, m.end()):
                    spans.extend(_clauses(text, *span))
                start = m.end()
        if span := _trimmed(text, start, block_end):
            spans.extend(_clauses(text, *span))
        block_start = block_end
    return spans
