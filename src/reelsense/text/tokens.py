"""Word tokens, the same whether text arrives as prose, lowercased, stripped of punctuation or
already tokenised ("do n't"), so every model and word list sees one vocabulary; and their offsets.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from itertools import islice

__all__ = ["TOKEN", "tokenize", "expand_spans", "token_span", "lower"]

# tokenize() splits "n't" off by inserting a space first; expand_spans() gets the same tokens with
# their offsets in the unmodified text by splitting "don" + "'t" afterwards.
TOKEN = re.compile(r"n't|'[^\W_]+|[^\W_]+|[!?]")
# Negated contractions written without an apostrophe, as in text stripped of punctuation.
_EXPANSIONS = {
    f"{verb}nt": (verb, "n't")
    for verb in "do does did is are was were has have had could would should must need ai".split()
} | {"cant": ("ca", "n't"), "wont": ("wo", "n't")}
_BARE_FORM = re.compile(r"\b(?:" + "|".join(sorted(_EXPANSIONS)) + r")\b")
_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u00b4": "'"})


def lower(text: str) -> str:
    """`text` lowercased, one character for one, so offsets in it are offsets in `text`: "İ" (whose
    lowercase is two characters, "i" and a combining dot) becomes "i"."""
    return text.lower() if "\u0130" not in text else text.replace("\u0130", "I").lower()


def tokenize(text: str) -> list[str]:
    """The model's tokens of `text`: lowercased words, negation clitics and ! ?."""
    low = lower(text)
    if not low.isascii():
        low = low.translate(_QUOTES)
    tokens: list[str] = TOKEN.findall(low.replace("n't", " n't"))
    if _EXPANSIONS.keys().isdisjoint(tokens):
        return tokens
    expanded: list[str] = []
    for token in tokens:
        expanded.extend(_EXPANSIONS.get(token, (token,)))
    return expanded


def expand_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Offsets in `text` of each token `tokenize(text[start:end])` returns, in the same order."""
    low = lower(text[start:end])
    if not low.isascii():
        low = low.translate(_QUOTES)
    if "n't" not in low:
        matches = list(TOKEN.finditer(low))
        spans = [(start + m.start(), start + m.end()) for m in matches]
        found = [m.group() for m in matches]
        words = None if _EXPANSIONS.keys().isdisjoint(found) else found
    else:
        # Redo tokenize()'s space insertion, remembering where each inserted space went.
        inserted: list[int] = []  # positions of the inserted spaces in the modified string
        at = low.find("n't")
        while at >= 0:
            inserted.append(at + len(inserted))
            at = low.find("n't", at + 3)
        modified = low.replace("n't", " n't")
        spans = [
            (start + a - bisect_right(inserted, a), start + b - bisect_right(inserted, b - 1))
            for a, b in (m.span() for m in TOKEN.finditer(modified))
        ]
        words = TOKEN.findall(modified)
        if _EXPANSIONS.keys().isdisjoint(words):
            words = None
    if words is None:
        return spans
    out: list[tuple[int, int]] = []
    for word, span in zip(words, spans, strict=True):
        out.extend([span] * len(_EXPANSIONS.get(word, (word,))))
    return out


def token_span(text: str, start: int, end: int, first: int, count: int) -> tuple[int, int]:
    """Offsets in `text` of tokens first … first+count−1 of `tokenize(text[start:end])`."""
    low = lower(text[start:end])
    if "n't" in low or not low.isascii() or _BARE_FORM.search(low):
        spans = expand_spans(text, start, end)
        return spans[first][0], spans[min(first + count, len(spans)) - 1][1]
    matches = list(islice(TOKEN.finditer(low), first, first + count))
    return start + matches[0].start(), start + matches[-1].end()
