"""The first stage: check a record is text worth analysing, clean it and split it into sentences."""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputError
from ..review import Review, Sentence
from .grades import find_grade
from .normalise import Cleaned, clean
from .sentences import split_sentences
from .tokens import expand_spans, tokenize

__all__ = [
    "DEFAULT_MAX_CHARS", "Layout", "read", "check_text", "check_meta", "json_safe", "READ_ASSIGNS",
    "layout_of",
]  # fmt: skip

# What reading fills in a Review, for the stage contract (`reelsense.stage`).
READ_ASSIGNS = frozenset({"normalized", "flags", "sentences", "grade", "layout"})

DEFAULT_MAX_CHARS = 1_000_000  # about 150 times the longest IMDB review
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_BINARY = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_WORD = re.compile(r"[^\W_]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class Layout:
    """How the cleaned text maps onto the original: kept beside a review, never serialised."""

    cleaned: Cleaned
    spans: tuple[tuple[int, int], ...]  # sentence spans in the cleaned text
    tokens: tuple[list[str], ...]  # each sentence's model tokens (`features.tokenize`)
    _offsets: dict[int, list[tuple[int, int]]] = field(default_factory=dict, compare=False, repr=False)

    def offsets(self, s: int) -> list[tuple[int, int]]:
        """Where each of sentence s's tokens lies in the cleaned text (`expand_spans`), worked out
        the first time a stage asks and kept for the next one."""
        found = self._offsets.get(s)
        if found is None:
            found = self._offsets[s] = expand_spans(self.cleaned.text, *self.spans[s])
        return found


def layout_of(review: Review) -> Layout:
    """The review's layout, which every stage after reading relies on."""
    if review.layout is None:
        raise ValueError(f"review {review.id!r} has not been read: run it through a Pipeline or `read` first")
    return review.layout


def check_text(text: object, record: str | None, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """Return `text` as a str fit for analysis, or raise InputError saying what is wrong with it."""
    if isinstance(text, bytes | bytearray):
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(
                record, f"not valid UTF-8 (byte 0x{text[exc.start]:02x} at offset {exc.start})"
            ) from None
    if not isinstance(text, str):
        raise InputError(record, f"expected text, got {type(text).__name__}")
    if len(text) > max_chars:
        raise InputError(
            record,
            f"too long: {len(text):,} characters, the limit is {max_chars:,} "
            "(raise it with max_chars / --max-chars if this really is one review)",
        )
    if not text.strip():
        raise InputError(record, "empty text")
    if (lone := _SURROGATE.search(text)) is not None:
        code = f"U+{ord(lone.group()):04X}"
        raise InputError(
            record, f"holds a lone surrogate ({code}) at character {lone.start()}: no Unicode text"
        )
    controls = len(_BINARY.findall(text))
    damaged = text.count("\ufffd")  # characters a decoder could not read: damage, not binary data
    if "\x00" in text or controls > max(2, len(text) // 100) or damaged > max(8, len(text) // 10):
        also = f", {damaged} undecodable" if damaged else ""
        raise InputError(record, f"looks like binary data, not text ({controls} control characters{also})")
    if not _WORD.search(text):
        raise InputError(record, "no words to analyse")
    return text


def check_meta(meta: Mapping[str, Any], record: str | None) -> None:
    """Raise InputError when a record's id or metadata cannot be stored or written as standard JSON:
    a lone surrogate in a string, or a number that is NaN or infinite."""
    if record is not None and (lone := _SURROGATE.search(record)) is not None:
        raise InputError(record, f"its id holds a lone surrogate (U+{ord(lone.group()):04X})")
    problem = _json_problem(meta)
    if problem is not None:
        raise InputError(record, f"metadata {problem}")


def _json_problem(value: Any, where: str = "") -> str | None:
    if isinstance(value, str):
        lone = _SURROGATE.search(value)
        return (
            None if lone is None else f"{where or 'value'} holds a lone surrogate (U+{ord(lone.group()):04X})"
        )
    if isinstance(value, float) and not math.isfinite(value):
        return f"{where or 'value'} is {value}, which JSON cannot hold"
    if isinstance(value, Mapping):
        for key, item in value.items():
            named = f"field {json_safe(str(key))!r}" if not where else f"{where}.{json_safe(str(key))}"
            problem = _json_problem(key, named) or _json_problem(item, named)
            if problem:
                return problem
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            if problem := _json_problem(item, f"{where or 'value'}[{i}]"):
                return problem
    return None


def json_safe(value: Any) -> Any:
    """`value` fit for standard JSON and any database: lone surrogates become U+FFFD, NaN and the
    infinities None (for a rejected record's id and metadata, which are reported as they came)."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, Mapping):
        return {json_safe(str(k)): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def read(review: Review) -> Review:
    """Clean the review's text, split it into sentences and tokens, find its stated grade, flag markup;
    the cleaned text, spans and tokens ride along as the review's `layout` for the later stages."""
    cleaned = clean(review.text)
    spans = tuple(split_sentences(cleaned.text))
    if not spans or not _WORD.search(cleaned.text):
        raise InputError(review.id, "no words left after removing HTML markup")
    flags = list(review.flags)
    if cleaned.html:
        flags.append("html_removed")
    if _CONTROL.search(review.text):
        flags.append("control_characters_removed")
    sentences = tuple(Sentence(*cleaned.span(a, b), text=cleaned.text[a:b], score=0.5) for a, b in spans)
    grade = find_grade(cleaned.text)  # offsets into the cleaned text, mapped back here
    if grade is not None:
        grade = dataclasses.replace(grade, start=(at := cleaned.span(grade.start, grade.end))[0], end=at[1])
    tokens = tuple(tokenize(cleaned.text[a:b]) for a, b in spans)
    return dataclasses.replace(
        review,
        normalized=cleaned.text,
        flags=tuple(dict.fromkeys(flags)),
        sentences=sentences,
        grade=grade,
        layout=Layout(cleaned, spans, tokens),
    )
