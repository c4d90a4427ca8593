"""Terminal rendering of results with rich; used by the CLI only."""

from __future__ import annotations

from collections.abc import Iterable

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .pipeline import Rejected
from .review import Review

__all__ = ["review_report", "summary_table", "sentiment_colour"]

_VERDICT_STYLE = {"positive": "bold green", "negative": "bold red", "mixed": "bold yellow"}


def sentiment_colour(p: float) -> str:
    """A red–grey–green colour for a probability of being positive."""
    if p >= 0.5:
        t = (p - 0.5) * 2
        return f"rgb({int(120 - 90 * t)},{int(120 + 80 * t)},{int(120 - 60 * t)})"
    t = (0.5 - p) * 2
    return f"rgb({int(120 + 100 * t)},{int(120 - 80 * t)},{int(120 - 80 * t)})"


def _bar(value: float, scale: float, width: int = 10) -> str:
    filled = round(value / scale * width)
    return "█" * filled + "░" * (width - filled)


def review_report(review: Review, title: str | None = None) -> Panel:
    """A readable report of one analysed review."""
    head = Text()
    head.append(
        f" {str(review.verdict).upper()} ",
        style=f"reverse {_VERDICT_STYLE.get(str(review.verdict), '')}",
    )
    head.append(f"  P(positive) {review.probability:.2f}   ")
    head.append(f"rating {review.rating:.1f}/10 ")
    head.append(_bar(review.rating or 0.0, 10), style=sentiment_colour((review.rating or 0) / 10))
    head.append(f"   confidence {review.confidence:.2f}")
    lines: list[Text | Table] = [head]
    if review.grade:
        lines.append(Text(f"Stated grade: “{review.grade.text}” = {review.grade.value:g}/10", style="cyan"))
    if review.flags:
        lines.append(Text("Flags: " + ", ".join(review.flags), style="magenta"))
    arc = Text("Arc:   ")
    for sentence in review.sentences:
        if sentence.kind == "narration":
            arc.append("·", style="grey50")
        else:
            arc.append("■", style=sentiment_colour(sentence.score))
    narration = sum(s.kind == "narration" for s in review.sentences)
    note = f"  ({len(review.sentences)} sentences, first to last"
    arc.append(note + (f"; · = narration, {narration})" if narration else ")"), style="dim")
    lines.append(arc)
    if review.pull_quote:
        lines.append(Text.assemble(("Pull quote: ", "bold"), (f"“{review.pull_quote.text}”", "italic")))
    if review.summary:
        gist = " ".join(_clip(e.text, 300) for e in review.summary)
        lines.append(Text.assemble(("Summary: ", "bold"), gist))
    if review.aspects:
        lines.append(_aspect_table(review))
    if review.film:
        film = f"{review.film.title}" + (f" ({review.film.year})" if review.film.year else "")
        link = f"  [{review.film.link}]" if review.film.link else ""
        lines.append(Text(f"Film: {film}{link}   confidence {review.film.confidence:.2f}", style="bold cyan"))
    if review.mentions:
        lines.append(_people_table(review))
    for check in review.checks:
        lines.append(Text(f"Check ({check.kind.replace('_', ' ')}): {check.message}", style="bold yellow"))
    up = [p for p in review.phrases if p.weight > 0]
    down = [p for p in review.phrases if p.weight < 0]
    for label, phrases, style in (("Pushed up:   ", up, "green"), ("Pushed down: ", down, "red")):
        if phrases:
            line = Text(label)
            for i, phrase in enumerate(phrases):
                if i:
                    line.append(", ")
                line.append(f"“{phrase.text}”", style=style)
                line.append(f" {phrase.weight:+.2f}", style="dim")
            lines.append(line)
    strongest = sorted(review.sentences, key=lambda s: abs(s.score - 0.5), reverse=True)[:3]
    if strongest:
        table = Table(show_header=True, header_style="bold", box=None, padding=(0, 1))
        table.add_column("P(+)", justify="right")
        table.add_column("strongest sentences")
        for s in sorted(strongest, key=lambda s: s.start):
            table.add_row(Text(f"{s.score:.2f}", style=sentiment_colour(s.score)), _clip(s.text, 160))
        lines.append(table)
    return Panel(Group(*lines), title=title or review.id or "review", title_align="left")


_POLARITY_STYLE = {"positive": "green", "negative": "red", "mixed": "yellow"}


def _aspect_table(review: Review) -> Table:
    """One row per aspect the review judges: polarity, strength bar, mentions, best evidence."""
    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 1))
    for column, justify in (("aspect", "left"), ("polarity", "left"), ("score", "right"),
                            ("", "left"), ("n", "right"), ("best evidence", "left")):  # fmt: skip
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for aspect in review.aspects:
        evidence = aspect.evidence[0]
        term = review.text[evidence.term_start : evidence.term_end]
        quote = Text(_clip(evidence.text, 110))
        at = quote.plain.lower().find(" ".join(term.lower().split()))
        if at >= 0:
            quote.stylize("bold underline", at, at + len(term))
        strength = round(abs(aspect.score) * 5)
        table.add_row(
            aspect.name,
            Text(aspect.polarity, style=_POLARITY_STYLE[aspect.polarity]),
            f"{aspect.score:+.2f}",
            Text("█" * strength + "░" * (5 - strength), style=_POLARITY_STYLE[aspect.polarity]),
            str(aspect.mentions),
            quote,
        )
    return table


def _people_table(review: Review) -> Table:
    """One row per person, film, character or organisation named, with role, character and link."""
    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 1))
    for column in ("named", "kind", "role", "as", "times", "link"):
        table.add_column(column)
    rows: dict[tuple[str, str], list[str]] = {}
    times: dict[tuple[str, str], int] = {}
    for m in review.mentions:
        key = (str(m.kind), m.name)
        times[key] = times.get(key, 0) + 1
        rows.setdefault(key, [m.name, m.kind, m.role or "", m.character or "", "", m.link or ""])
    for key, row in rows.items():
        row[4] = str(times[key])
        table.add_row(*row)
    return table


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def summary_table(results: Iterable[Review | Rejected]) -> Table:
    """One line per result, for batches."""
    table = Table(show_header=True, header_style="bold")
    for column, justify in (("id", "left"), ("verdict", "left"), ("P(+)", "right"),
                            ("rating", "right"), ("grade", "right"), ("flags / reason", "left")):  # fmt: skip
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for r in results:
        if isinstance(r, Rejected):
            table.add_row(str(r.id), Text("rejected", style="bold magenta"), "", "", "", r.reason)
            continue
        table.add_row(
            str(r.id),
            Text(str(r.verdict), style=_VERDICT_STYLE.get(str(r.verdict), "")),
            Text(f"{r.probability:.2f}", style=sentiment_colour(r.probability or 0.5)),
            f"{r.rating:.1f}",
            f"{r.grade.value:g}" if r.grade else "",
            ", ".join(r.flags),
        )
    return table
