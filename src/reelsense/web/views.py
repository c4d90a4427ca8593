"""What pages draw: review text marked up by sentence, aspect and name, and small inline SVG charts.

Every piece of user text goes through `markupsafe.escape`; only markup built here is trusted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from markupsafe import Markup, escape

from ..corpus.aggregate import AspectShare, TimePoint
from ..frames import tint
from ..review import Review

__all__ = ["marked_text", "histogram_svg", "aspect_svg", "tint"]

_BREAK = "&lt;br /&gt;"


def _escaped(text: str) -> str:
    return (
        str(escape(text)).replace(_BREAK, "<br>").replace("&lt;br/&gt;", "<br>").replace("&lt;br&gt;", "<br>")
    )


def marked_text(review: Review) -> Markup:
    """The review's original text, each sentence tinted by its score, aspect words and names marked."""
    marks: list[tuple[int, int, str, str]] = []  # (start, end, css class, title)
    for aspect in review.aspects:
        for e in aspect.evidence:
            marks.append(
                (e.term_start, e.term_end, f"aspect {aspect.polarity}", f"{aspect.name}: {aspect.polarity}")
            )
    for m in review.mentions:
        title = m.kind + (f", {m.role}" if m.role else "") + (f" as {m.character}" if m.character else "")
        marks.append((m.start, m.end, f"name {m.kind}", title))
    marks.sort()
    inline: list[tuple[int, int, str, str]] = []
    for mark in marks:  # keep marks that do not overlap one already kept
        if not inline or mark[0] >= inline[-1][1]:
            inline.append(mark)
    text = review.text
    out: list[str] = []
    at = 0
    for sentence in review.sentences:
        out.append(_escaped(text[at : sentence.start]))
        css = "sentence narration" if sentence.kind == "narration" else "sentence"
        label = f"{sentence.sentiment or ''} {sentence.kind or ''} P(+) {sentence.score:.2f}".strip()
        out.append(
            f'<span class="{css}" style="background:{tint(sentence.score)}" title="{escape(label)}">'
            + _inside(text, sentence.start, sentence.end, inline)
            + "</span>"
        )
        at = sentence.end
    out.append(_escaped(text[at:]))
    return Markup("".join(out))


def _inside(text: str, start: int, end: int, marks: Sequence[tuple[int, int, str, str]]) -> str:
    out: list[str] = []
    at = start
    for a, b, css, title in marks:
        if a < start or b > end:
            continue
        out.append(_escaped(text[at:a]))
        out.append(f'<mark class="{escape(css)}" title="{escape(title)}">{_escaped(text[a:b])}</mark>')
        at = b
    out.append(_escaped(text[at:end]))
    return "".join(out)


def histogram_svg(counts: Sequence[int], width: int = 320, height: int = 120) -> Markup:
    """The rating histogram, bands 0–1 … 9–10, as an inline SVG bar chart."""
    top = max(counts) or 1
    bar = width / len(counts)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height + 18}" role="img" aria-label="rating histogram">'
    ]
    for i, n in enumerate(counts):
        h = (height - 4) * n / top
        colour = tint(i / 9, solid=True)
        parts.append(
            f'<rect x="{i * bar + 2:.1f}" y="{height - h:.1f}" width="{bar - 4:.1f}" height="{h:.1f}" '
            f'fill="{colour}"><title>{i}–{i + 1}: {n}</title></rect>'
            f'<text x="{i * bar + bar / 2:.1f}" y="{height + 14}" text-anchor="middle">{i}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))


def aspect_svg(aspects: Mapping[str, AspectShare], width: int = 360) -> Markup:
    """The aspect profile, diverging from a middle line: the share of reviews that criticise an
    aspect to the left in red, the share that praise it to the right in green (reviews of both
    minds, grey, half each side), with the number of reviews."""
    rows = list(aspects.items())
    height = 22 * len(rows) + 26
    half = (width - 150) / 2
    middle = 90 + half
    red, green, grey = tint(0.0, solid=True), tint(1.0, solid=True), "rgba(140, 140, 140, 0.55)"
    parts = [f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="aspect profile">']
    for i, (name, a) in enumerate(rows):
        y = 22 * i + 4
        n = max(1, a.reviews)
        praised, criticised, both = a.positive / n, a.negative / n, a.mixed / n
        if not (a.positive or a.negative or a.mixed):  # a profile without counts: its share alone
            praised, criticised, both = a.share_positive, 1 - a.share_positive, 0.0
        left = half * (criticised + both / 2)
        parts.append(
            f'<text x="0" y="{y + 13}">{escape(name)}</text>'
            f'<rect x="{middle - left:.1f}" y="{y}" width="{half * criticised:.1f}" height="16" fill="{red}">'
            f"<title>{escape(name)}: criticised in {a.negative} of {a.reviews}</title></rect>"
            f'<rect x="{middle - half * both / 2:.1f}" y="{y}" width="{half * both:.1f}" height="16" '
            f'fill="{grey}"><title>{escape(name)}: both in {a.mixed} of {a.reviews}</title></rect>'
            f'<rect x="{middle + half * both / 2:.1f}" y="{y}" width="{half * praised:.1f}" height="16" '
            f'fill="{green}"><title>{escape(name)}: praised in {a.positive} of {a.reviews}</title></rect>'
            f'<text x="{width - 55}" y="{y + 13}">{a.share_positive:.0%} · {a.reviews}</text>'
        )
    bottom = 22 * len(rows) + 4
    parts.append(
        f'<line x1="{middle:.1f}" y1="0" x2="{middle:.1f}" y2="{bottom}" stroke="#999"></line>'
        f'<text x="90" y="{bottom + 16}" fill="{red}">◀ criticised</text>'
        f'<text x="{middle:.1f}" y="{bottom + 16}" text-anchor="middle" fill="#777">both</text>'
        f'<text x="{90 + 2 * half:.1f}" y="{bottom + 16}" text-anchor="end" fill="{green}">praised ▶</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))


def time_svg(points: Sequence[TimePoint], width: int = 360, height: int = 130) -> Markup:
    """The film's mean rating by month or year as a line over 0–10, each point sized by its
    number of reviews and coloured by its share positive, first and last period named."""
    left, top, bottom = 24, 8, height - 22
    span = max(1, len(points) - 1)
    biggest = max(p.reviews for p in points)

    def x(i: int) -> float:
        return left + (width - left - 12) * i / span

    def y(rating: float) -> float:
        return bottom - (bottom - top) * rating / 10

    line = " ".join(f"{x(i):.1f},{y(p.mean_rating):.1f}" for i, p in enumerate(points))
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="mean rating over time">',
        *(
            f'<line x1="{left}" y1="{y(v):.1f}" x2="{width - 12}" y2="{y(v):.1f}" stroke="#e5e7eb"></line>'
            f'<text x="0" y="{y(v) + 4:.1f}">{v}</text>'
            for v in (0, 5, 10)
        ),
        f'<polyline points="{line}" fill="none" stroke="#6b7280" stroke-width="1.5"></polyline>',
    ]
    for i, p in enumerate(points):
        r = 3 + 5 * (p.reviews / biggest) ** 0.5
        parts.append(
            f'<circle cx="{x(i):.1f}" cy="{y(p.mean_rating):.1f}" r="{r:.1f}" '
            f'fill="{tint(p.share_positive, solid=True)}"><title>{escape(p.period)}: {p.reviews} '
            f"review{'s' if p.reviews != 1 else ''}, mean {p.mean_rating}, {p.share_positive:.0%} positive"
            "</title></circle>"
        )
    parts.append(
        f'<text x="{left}" y="{height - 4}">{escape(points[0].period)}</text>'
        f'<text x="{width - 12}" y="{height - 4}" text-anchor="end">{escape(points[-1].period)}</text>'
    )
    parts.append("</svg>")
    return Markup("".join(parts))
