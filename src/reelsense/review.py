"""The one result type: a review and everything reelsense found in it.

A `Review` is immutable. Each pipeline stage returns a new one with its findings filled in
(`dataclasses.replace`). Every piece of evidence is a character span `[start, end)` into the
user's original `text`, so JSON, the terminal and HTML highlighting share one representation.
`to_dict()` gives the JSON form described by the shipped JSON Schema (`schema_path()`), whose
version is `SCHEMA_VERSION`; later stages add fields, bumping the minor version.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, fields
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, NoReturn

if TYPE_CHECKING:
    from .text.reading import Layout

__all__ = [
    "SCHEMA_VERSION",
    "Verdict",
    "Sentiment",
    "SentenceKind",
    "Sentence",
    "Evidence",
    "Aspect",
    "Excerpt",
    "Mention",
    "ReviewedFilm",
    "Check",
    "Phrase",
    "Grade",
    "Review",
    "Item",
    "Rejected",
    "schema_path",
    "FLAGS",
    "FrozenDict",
]

SCHEMA_VERSION = "1.2"

Verdict = Literal["positive", "negative", "mixed"]
Sentiment = Literal["positive", "negative", "neutral"]
SentenceKind = Literal["opinion", "narration"]
AspectPolarity = Literal["positive", "negative", "mixed"]
MentionKind = Literal["person", "film", "character", "org"]
CheckKind = Literal["misspelling", "two_spellings", "wrong_role", "wrong_year"]

# Every flag a review can carry, with its meaning (the JSON Schema and README list the same).
FLAGS: dict[str, str] = {
    "html_removed": "HTML tags or entities were found and cleaned before analysis",
    "control_characters_removed": "control characters were replaced by spaces",
    "too_short": "fewer than 3 words: the verdict rests on very little evidence",
    "not_english": "the text does not look like English: the verdict is unreliable",
    "few_known_words": "most words are unknown to the model: the verdict is unreliable",
    "grade_disagrees": "the stated grade and the text's reading differ by more than 2.5 points",
}


@dataclass(frozen=True, slots=True)
class Sentence:
    """One sentence: its span in the original text, how positive it reads on its own (P(positive)),
    and, once the anatomy stage ran, its sentiment label and whether it judges or only narrates."""

    start: int
    end: int
    text: str
    score: float
    sentiment: Sentiment | None = None
    kind: SentenceKind | None = None

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return (
            Sentence,
            (self.start, self.end, self.text, self.score, self.sentiment, self.kind),
        )  # plain constructor call: pickles far faster

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "score": self.score,
            "sentiment": self.sentiment,
            "kind": self.kind,
        }


@dataclass(frozen=True, slots=True)
class Evidence:
    """A sentence that judges an aspect: its span, the aspect's word in it, and the signed judgement."""

    start: int
    end: int
    text: str
    term_start: int
    term_end: int
    score: float  # -1 (damning) to 1 (glowing): what this sentence says about the aspect

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return (Evidence, (self.start, self.end, self.text, self.term_start, self.term_end, self.score))

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "term_start": self.term_start,
            "term_end": self.term_end,
            "score": self.score,
        }


@dataclass(frozen=True, slots=True)
class Aspect:
    """What the review says about one film aspect (acting, story, music…), with its evidence."""

    name: str
    polarity: AspectPolarity
    score: float  # -1 to 1, the mean judgement over its mentions
    mentions: int  # sentences judging it
    evidence: tuple[Evidence, ...]  # the strongest first

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return (Aspect, (self.name, self.polarity, self.score, self.mentions, self.evidence))

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "polarity": self.polarity,
            "score": self.score,
            "mentions": self.mentions,
            "evidence": [e.to_dict() for e in self.evidence],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Aspect:
        evidence = tuple(Evidence(**e) for e in data["evidence"])
        return cls(data["name"], data["polarity"], data["score"], data["mentions"], evidence)


@dataclass(frozen=True, slots=True)
class Excerpt:
    """A sentence quoted from the review (the pull quote, a summary sentence): span and text."""

    start: int
    end: int
    text: str

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return (Excerpt, (self.start, self.end, self.text))

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text}


@dataclass(frozen=True, slots=True)
class Phrase:
    """A phrase that pushed the verdict: its span and its signed weight (positive pushes up)."""

    start: int
    end: int
    text: str
    weight: float

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return (
            Phrase,
            (self.start, self.end, self.text, self.weight),
        )  # plain constructor call: pickles far faster

    def to_dict(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "text": self.text, "weight": self.weight}


@dataclass(frozen=True, slots=True)
class Grade:
    """A grade the reviewer states ("7/10", "three stars out of four"), normalised to 0–10."""

    start: int
    end: int
    text: str
    value: float
    scale: float

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return (
            Grade,
            (self.start, self.end, self.text, self.value, self.scale),
        )  # plain constructor call: pickles far faster

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "value": self.value,
            "scale": self.scale,
        }


@dataclass(frozen=True, slots=True)
class Mention:
    """A person, film, character or organisation the review names, as it names it.

    `name` is the full name it refers to (the same for "Robert De Niro" and a later "De Niro");
    `role` is a person's job on the reviewed film where the text or knowledge base tells it
    (director, writer, actor, composer, cinematographer, editor, producer, critic), or for a film
    "reviewed" or "referenced"; `character` the character an actor plays; `link` a knowledge-base
    id (nm… for people, tt… for films) once linked.
    """

    start: int
    end: int
    text: str
    kind: MentionKind
    name: str
    role: str | None = None
    character: str | None = None
    link: str | None = None

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return (
            Mention,
            (self.start, self.end, self.text, self.kind, self.name, self.role, self.character, self.link),
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "kind": self.kind,
            "name": self.name,
            "role": self.role,
            "character": self.character,
            "link": self.link,
        }


@dataclass(frozen=True, slots=True)
class ReviewedFilm:
    """The film the review is about, as far as the text (and knowledge base) tell, and how sure."""

    title: str
    year: int | None
    confidence: float
    link: str | None = None

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return (ReviewedFilm, (self.title, self.year, self.confidence, self.link))

    def to_dict(self) -> dict[str, Any]:
        return {"title": self.title, "year": self.year, "confidence": self.confidence, "link": self.link}


@dataclass(frozen=True, slots=True)
class Check:
    """A probable error in the review (a misspelt name, a wrong role or year), with its evidence."""

    kind: CheckKind
    message: str
    spans: tuple[tuple[int, int], ...]  # where the review says it
    suggestion: str | None = None

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return (Check, (self.kind, self.message, self.spans, self.suggestion))

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "message": self.message,
            "spans": [list(span) for span in self.spans],
            "suggestion": self.suggestion,
        }


class FrozenDict(dict[str, Any]):
    """A dict that refuses changes: a Review's metadata, so a frozen Review stays frozen.

    It is still a dict, so it serialises as JSON and compares equal to a plain dict.
    """

    def _refuse(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise TypeError("a review's metadata cannot be changed: make a new Review with dataclasses.replace")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse
    __ior__ = _refuse

    def __reduce__(self) -> tuple[type, tuple[dict[str, Any]]]:
        return (FrozenDict, (dict(self),))


@dataclass(frozen=True, slots=True)
class Review:
    """A review's text and every stage's findings about it.

    `layout` is the reading stage's working state (the cleaned text, sentence spans and tokens) that
    later stages of the same pipeline run read; it is never serialised, compared or returned to
    callers: the pipeline drops it once the last stage has run.
    """

    text: str
    id: str | None = None
    meta: Mapping[str, Any] = field(default_factory=FrozenDict)
    normalized: str | None = None
    flags: tuple[str, ...] = ()
    sentences: tuple[Sentence, ...] = ()
    verdict: Verdict | None = None
    probability: float | None = None
    rating: float | None = None  # the stated grade on 0–10 where there is one, else the model's
    confidence: float | None = None
    phrases: tuple[Phrase, ...] = ()
    grade: Grade | None = None
    model: str | None = None
    aspects: tuple[Aspect, ...] = ()
    pull_quote: Excerpt | None = None
    summary: tuple[Excerpt, ...] = ()
    mentions: tuple[Mention, ...] = ()
    film: ReviewedFilm | None = None
    checks: tuple[Check, ...] = ()
    predicted_rating: float | None = None  # always the model's 0–10 rating, grade or not
    layout: Layout | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if type(self.meta) is not FrozenDict:
            object.__setattr__(self, "meta", FrozenDict(self.meta))

    def __reduce__(self) -> tuple[type, tuple[Any, ...]]:
        return (Review, tuple(getattr(self, f) for f in _REVIEW_FIELDS))

    def __repr__(self) -> str:
        """What it is and what was found, in a line (`to_dict()` has everything)."""
        text = self.text if len(self.text) <= 60 else self.text[:59] + "…"
        signs = {"positive": "+", "negative": "-", "mixed": "±"}
        aspects = ", ".join(f"{a.name}{signs.get(a.polarity, '')}" for a in self.aspects)
        p = "None" if self.probability is None else f"{self.probability:.2f}"
        rating = "None" if self.rating is None else f"{self.rating:.1f}"
        return (
            f"Review(id={self.id!r}, verdict={self.verdict!r}, probability={p}, rating={rating}, "
            f"sentences={len(self.sentences)}, aspects=[{aspects}], text={text!r})"
        )

    def _repr_html_(self) -> str:
        """How a notebook shows it: the tinted text and its aspects (`frames.review_html`)."""
        from .frames import review_html

        return review_html(self)

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form, as described by the shipped JSON Schema."""
        return {
            "schema_version": SCHEMA_VERSION,
            "id": self.id,
            "meta": dict(self.meta),
            "text": self.text,
            "normalized": self.normalized,
            "flags": list(self.flags),
            "verdict": self.verdict,
            "probability": self.probability,
            "rating": self.rating,
            "predicted_rating": self.predicted_rating,
            "confidence": self.confidence,
            "grade": self.grade.to_dict() if self.grade else None,
            "sentences": [s.to_dict() for s in self.sentences],
            "phrases": [p.to_dict() for p in self.phrases],
            "model": self.model,
            "aspects": [a.to_dict() for a in self.aspects],
            "pull_quote": self.pull_quote.to_dict() if self.pull_quote else None,
            "summary": [e.to_dict() for e in self.summary],
            "mentions": [m.to_dict() for m in self.mentions],
            "film": self.film.to_dict() if self.film else None,
            "checks": [c.to_dict() for c in self.checks],
        }

    def to_json(self, **kwargs: Any) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, **kwargs)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Review:
        """Rebuild a review from its `to_dict()` form."""
        grade = data.get("grade")
        quote = data.get("pull_quote")
        film = data.get("film")
        return cls(
            text=data["text"],
            id=data.get("id"),
            meta=dict(data.get("meta") or {}),
            normalized=data.get("normalized"),
            flags=tuple(data.get("flags") or ()),
            sentences=tuple(Sentence(**s) for s in data.get("sentences") or ()),
            verdict=data.get("verdict"),
            probability=data.get("probability"),
            rating=data.get("rating"),
            # Before 1.2 the rating was always the model's.
            predicted_rating=data.get("predicted_rating", data.get("rating")),
            confidence=data.get("confidence"),
            phrases=tuple(Phrase(**p) for p in data.get("phrases") or ()),
            grade=Grade(**grade) if grade else None,
            model=data.get("model"),
            aspects=tuple(Aspect.from_dict(a) for a in data.get("aspects") or ()),
            pull_quote=Excerpt(**quote) if quote else None,
            summary=tuple(Excerpt(**e) for e in data.get("summary") or ()),
            mentions=tuple(Mention(**m) for m in data.get("mentions") or ()),
            film=ReviewedFilm(**film) if film else None,
            checks=tuple(
                Check(c["kind"], c["message"], tuple((a, b) for a, b in c["spans"]), c["suggestion"])
                for c in data.get("checks") or ()
            ),
        )

    def to_stored(self) -> dict[str, Any]:
        """`to_dict()` as the corpus and Spark's Parquet keep it beside the text: without the text,
        and without what the text gives back (`from_stored`): each span's text where it is the
        text's own slice, and the cleaned text where cleaning the text makes it again. On IMDB
        reviews it is about 40% of `to_dict()`'s size, and nothing is lost."""
        data = self.to_dict()
        text = data.pop("text")
        for part in _spans_of(data):
            if part["text"] == text[part["start"] : part["end"]]:
                del part["text"]
        if data["normalized"] is not None and data["normalized"] == _cleaned(text):
            del data["normalized"]
        return data

    @classmethod
    def from_stored(cls, data: dict[str, Any], text: str) -> Review:
        """The review `to_stored()` gave `data` of, with its `text` (a full `to_dict()` form
        without the text reads too)."""
        data = {**data, "text": text}
        data["sentences"] = [_sliced(s, text) for s in data.get("sentences") or ()]
        data["phrases"] = [_sliced(p, text) for p in data.get("phrases") or ()]
        data["summary"] = [_sliced(e, text) for e in data.get("summary") or ()]
        data["mentions"] = [_sliced(m, text) for m in data.get("mentions") or ()]
        data["aspects"] = [
            {**a, "evidence": [_sliced(e, text) for e in a["evidence"]]} for a in data.get("aspects") or ()
        ]
        for single in ("pull_quote", "grade"):
            if data.get(single):
                data[single] = _sliced(data[single], text)
        if "normalized" not in data:
            data["normalized"] = _cleaned(text)
        return cls.from_dict(data)

    def mixed_reasons(self) -> tuple[Sentence, Sentence] | None:
        """Why a mixed review is mixed: its strongest praise and its strongest criticism, each the
        furthest-reaching opinion sentence of its sentiment; None unless mixed with both at hand."""
        if self.verdict != "mixed":
            return None
        opinions = [s for s in self.sentences if s.kind == "opinion"]
        praise = [s for s in opinions if s.sentiment == "positive"]
        criticism = [s for s in opinions if s.sentiment == "negative"]
        if not praise or not criticism:
            return None
        return max(praise, key=lambda s: s.score), min(criticism, key=lambda s: s.score)


_REVIEW_FIELDS = tuple(f.name for f in fields(Review))


def _spans_of(data: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """Every part of a review's `to_dict()` form that quotes a span of its text."""
    for name in ("sentences", "phrases", "summary", "mentions"):
        yield from data[name]
    for aspect in data["aspects"]:
        yield from aspect["evidence"]
    for name in ("pull_quote", "grade"):
        if data[name]:
            yield data[name]


def _sliced(part: dict[str, Any], text: str) -> dict[str, Any]:
    """A span's `to_dict()` form with its text, taken from the review's `text` where it was left out."""
    return part if "text" in part else {**part, "text": text[part["start"] : part["end"]]}


def _cleaned(text: str) -> str:
    from .text.normalise import clean

    return clean(text).text


@dataclass(frozen=True, slots=True)
class Item:
    """One input record: its text (str, or bytes to be decoded as UTF-8), id and metadata.

    `own_id` says whether `id` is the record's own (a field of the record, a file's path inside its
    folder) rather than a name a reader made from where it sits ("reviews.jsonl:12", a file's path):
    only its own id can tell two records apart wherever they come from (`corpus.ingest`)."""

    text: object
    id: str | None = None
    meta: Mapping[str, Any] = field(default_factory=dict)
    own_id: bool = True


@dataclass(frozen=True, slots=True)
class Rejected:
    """A record that could not be analysed, and why."""

    id: str | None
    reason: str
    meta: Mapping[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "rejected": self.reason, "meta": dict(self.meta)}


def schema_path() -> Path:
    """Where the JSON Schema of `Review.to_dict()` lives inside the installed package."""
    return Path(str(resources.files("reelsense") / "data" / "review.schema.json"))
