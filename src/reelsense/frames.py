"""Results as tables and as pictures, for notebooks and data tools.

    frame = reelsense.to_frame(reelsense.analyze_many(texts))        # one row per record
    reelsense.aspects_frame(results), reelsense.mentions_frame(results)  # one row per aspect / mention

`to_frame` needs pandas (`pip install 'reelsense[frames]'`), loaded only when called; a record that
was rejected is a row too, with its reason in `rejected` and no findings, so a frame holds every
record it was given. `review_html` is what a notebook shows for a `Review` (`Review._repr_html_`):
the verdict, the text with each sentence tinted by its sentiment (narration in italics on grey) and
the aspects with their evidence, as plain HTML with every piece of text escaped and no script.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from typing import Any

from .review import Rejected, Review

__all__ = ["to_frame", "aspects_frame", "mentions_frame", "review_rows", "review_html", "tint"]

REVIEW_COLUMNS = (
    "id", "verdict", "probability", "rating", "predicted_rating", "confidence", "grade", "film_title",
    "film_year", "sentences", "opinion_sentences", "aspects", "pull_quote", "flags", "model", "text",
    "rejected",
)  # fmt: skip


def review_rows(results: Iterable[Review | Rejected]) -> list[dict[str, Any]]:
    """One flat dict per record (the columns of `to_frame`), rejected records included."""
    rows: list[dict[str, Any]] = []
    for r in results:
        if isinstance(r, Rejected):
            empty: dict[str, Any] = dict.fromkeys(REVIEW_COLUMNS)
            rows.append(empty | {"id": r.id, "rejected": r.reason})
            continue
        rows.append(
            {
                "id": r.id,
                "verdict": r.verdict,
                "probability": r.probability,
                "rating": r.rating,
                "predicted_rating": r.predicted_rating,
                "confidence": r.confidence,
                "grade": r.grade.value if r.grade else None,
                "film_title": r.film.title if r.film else None,
                "film_year": r.film.year if r.film else None,
                "sentences": len(r.sentences),
                "opinion_sentences": sum(s.kind == "opinion" for s in r.sentences),
                "aspects": "; ".join(f"{a.name} {a.polarity}" for a in r.aspects),
                "pull_quote": r.pull_quote.text if r.pull_quote else None,
                "flags": ", ".join(r.flags),
                "model": r.model,
                "text": r.text,
                "rejected": None,
            }
        )
    return rows


def _pandas() -> Any:
    try:
        import pandas
    except ImportError:
        raise ImportError(
            "reelsense.to_frame needs pandas: pip install 'reelsense[frames]' (make test has it)"
        ) from None
    return pandas


def to_frame(results: Iterable[Review | Rejected]) -> Any:
    """A pandas DataFrame, one row per record and flat columns (`REVIEW_COLUMNS`)."""
    return _pandas().DataFrame(review_rows(results), columns=list(REVIEW_COLUMNS))


def aspects_frame(results: Iterable[Review | Rejected]) -> Any:
    """One row per aspect judged in a review: its polarity, score, mentions and best evidence."""
    columns = ["id", "aspect", "polarity", "score", "mentions", "evidence"]
    rows = [
        [r.id, a.name, a.polarity, a.score, a.mentions, a.evidence[0].text if a.evidence else None]
        for r in results
        if isinstance(r, Review)
        for a in r.aspects
    ]
    return _pandas().DataFrame(rows, columns=columns)


def mentions_frame(results: Iterable[Review | Rejected]) -> Any:
    """One row per person, film, character or organisation a review names, with where it does."""
    columns = ["id", "kind", "name", "role", "character", "link", "start", "end", "text"]
    rows = [
        [r.id, m.kind, m.name, m.role, m.character, m.link, m.start, m.end, m.text]
        for r in results
        if isinstance(r, Review)
        for m in r.mentions
    ]
    return _pandas().DataFrame(rows, columns=columns)


def tint(p: float, solid: bool = False) -> str:
    """A red or green for a probability of being positive: a background as pale as the lean is weak,
    or, `solid`, a fill for chart bars (the notebook view and the web pages share it)."""
    rgb = "46, 160, 67" if p >= 0.5 else "218, 54, 51"
    alpha = 0.85 if solid else 0.08 + 0.32 * abs(2 * p - 1)
    return f"rgba({rgb}, {alpha:.2f})"


def review_html(review: Review) -> str:
    """The review as a notebook shows it: verdict, tinted sentences, aspects (escaped, no script)."""
    e = html.escape
    head = f"<strong>{e(str(review.verdict or '—'))}</strong>"
    if review.rating is not None:
        head += f" · rating {review.rating:.1f}/10"
    if review.probability is not None and review.verdict != "mixed":
        head += f" · P(positive) {review.probability:.2f}"
    parts = [f'<div class="reelsense-review" style="font-family:sans-serif;line-height:1.5"><p>{head}</p>']
    if review.pull_quote:
        parts.append(f"<blockquote style='border-left:3px solid #2ea043;margin:0;padding-left:.6em'>"
                     f"“{e(review.pull_quote.text)}”</blockquote>")  # fmt: skip
    text, at, pieces = review.text, 0, []
    for s in review.sentences:
        pieces.append(e(text[at : s.start]))
        style = (
            "background:#eee;font-style:italic" if s.kind == "narration" else f"background:{tint(s.score)}"
        )
        label = f"{s.sentiment or ''} {s.kind or ''} {s.score:.2f}".strip()
        pieces.append(
            f'<span style="{style};border-radius:3px" title="{e(label)}">{e(text[s.start : s.end])}</span>'
        )
        at = s.end
    pieces.append(e(text[at:]))
    parts.append(f"<p style='white-space:pre-wrap'>{''.join(pieces)}</p>")
    if review.aspects:
        parts.append("<table><tr><th>aspect</th><th>polarity</th><th>score</th><th>evidence</th></tr>")
        for a in review.aspects:
            evidence = e(a.evidence[0].text) if a.evidence else ""
            parts.append(
                f"<tr><td>{e(a.name)}</td><td>{e(a.polarity)}</td><td>{a.score:+.2f}</td><td>{evidence}</td></tr>"
            )
        parts.append("</table>")
    parts.append("</div>")
    return "".join(parts)
