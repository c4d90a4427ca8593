"""Terminal rendering of results with rich; used by the CLI only."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rich.console import Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from ..corpus.aggregate import FilmReport, FilmSummary
from ..corpus.records import SearchHit, snippet
from ..review import FLAGS, Rejected, Review

__all__ = ["review_report", "summary_table", "sentiment_colour", "films_table", "film_panel", "search_table"]

_VERDICT_STYLE = {"positive": "bold green", "negative": "bold red", "mixed": "bold yellow"}


STANDING_STYLES = {"widely liked": "bold green", "liked": "green", "not liked": "red"}


def counted(n: int, noun: str) -> str:
    """'1 review', '2 reviews', '1,204 reviews'."""
    return f"{n:,} {noun}{'' if n == 1 else 's'}"


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


def _verdict_note(review: Review) -> str:
    """What follows the verdict: P(positive), or nothing for a mixed review whose praise and
    criticism are shown on the next lines instead (a P of 0.94 beside "MIXED" explains nothing)."""
    if review.mixed_reasons() is not None:
        return "   "
    return f"  P(positive) {review.probability:.2f}   "


def _mixed_lines(review: Review) -> list[Text]:
    """A mixed review's strongest praise and strongest criticism, one line each."""
    reasons = review.mixed_reasons()
    if reasons is None:
        return []
    praise, criticism = reasons
    return [
        Text.assemble(("Praise:    ", "bold green"), f"“{_clip(praise.text, 200)}”"),
        Text.assemble(("Criticism: ", "bold red"), f"“{_clip(criticism.text, 200)}”"),
    ]


def review_report(review: Review, title: str | None = None) -> Panel:
    """A readable report of one analysed review."""
    head = Text()
    head.append(
        f" {str(review.verdict).upper()} ",
        style=f"reverse {_VERDICT_STYLE.get(str(review.verdict), '')}",
    )
    head.append(_verdict_note(review))
    head.append(f"rating {review.rating:.1f}/10 ")
    head.append(_bar(review.rating or 0.0, 10), style=sentiment_colour((review.rating or 0) / 10))
    head.append(f"   confidence {review.confidence:.2f}")
    lines: list[Text | Table] = [head, *_mixed_lines(review)]
    if review.grade:
        # The rating above is the stated grade; the model's own reading of the text goes beside it.
        grade = f"Stated grade: “{review.grade.text}” = {review.grade.value:g}/10 (the rating)"
        if review.predicted_rating is not None:
            grade += f"; predicted from the text {review.predicted_rating:.1f}/10"
        lines.append(Text(grade, style="cyan"))
        if "grade_disagrees" in review.flags:
            lines.append(Text(FLAGS["grade_disagrees"].capitalize() + ".", style="bold yellow"))
    if review.flags:
        lines.append(Text("Flags: " + ", ".join(review.flags), style="magenta"))
    arc = Text("Arc:   ")
    for sentence in review.sentences:
        if sentence.kind == "narration":
            arc.append("·", style="grey50")
        else:
            arc.append("■", style=sentiment_colour(sentence.score))
    narration = sum(s.kind == "narration" for s in review.sentences)
    note = f"  ({counted(len(review.sentences), 'sentence')}, first to last"
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
            table.add_row(Text(f"{s.score:.2f}", style=sentiment_colour(s.score)), Text(_clip(s.text, 160)))
        lines.append(table)
    return Panel(Group(*lines), title=Text(title or review.id or "review"), title_align="left")


_POLARITY_STYLE = {"positive": "green", "negative": "red", "mixed": "yellow"}


def _aspect_table(review: Review) -> Table:
    """One row per aspect the review judges: polarity, strength bar, mentions, best evidence."""
    table = Table(show_header=True, header_style="bold", box=None, padding=(0, 1))
    for column, justify in (
        ("aspect", "left"),
        ("polarity", "left"),
        ("score", "right"),
        ("", "left"),
        ("n", "right"),
        ("best evidence", "left"),
    ):
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
        table.add_row(*map(Text, row))  # names as written: never read as markup
    return table


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def summary_table(results: Iterable[Review | Rejected]) -> Table:
    """One line per result, for batches."""
    table = Table(show_header=True, header_style="bold")
    for column, justify in (
        ("id", "left"),
        ("verdict", "left"),
        ("P(+)", "right"),
        ("rating", "right"),
        ("grade", "right"),
        ("flags / reason", "left"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for r in results:
        if isinstance(r, Rejected):
            table.add_row(Text(str(r.id)), Text("rejected", style="bold magenta"), "", "", "", Text(r.reason))
            continue
        # Beside "mixed" a P(positive) reads as a verdict; the report (`analyze` on one review)
        # shows a mixed review's strongest praise and criticism instead.
        lean = (
            Text("—", style="dim")
            if r.verdict == "mixed"
            else Text(f"{r.probability:.2f}", style=sentiment_colour(r.probability or 0.5))
        )
        table.add_row(
            Text(str(r.id)),
            Text(str(r.verdict), style=_VERDICT_STYLE.get(str(r.verdict), "")),
            lean,
            f"{r.rating:.1f}",
            f"{r.grade.value:g}" if r.grade else "",
            ", ".join(r.flags),
        )
    return table


def _share_bar(share: float, interval: tuple[float, float], width: int = 20) -> Text:
    """A bar of the share positive, its 95% interval shaded around the mark."""
    low, high = (round(x * width) for x in interval)
    mark = min(width - 1, round(share * width))
    bar = Text()
    for i in range(width):
        char = "█" if i == mark else ("▒" if low <= i <= high else "░")
        bar.append(char, style=sentiment_colour(share) if i == mark or low <= i <= high else "grey35")
    return bar


def films_table(films: Sequence[FilmSummary]) -> Table:
    """The ranked film list."""
    table = Table(show_header=True, header_style="bold")
    for column, justify in (
        ("#", "right"),
        ("film", "left"),
        ("reviews", "right"),
        ("positive", "right"),
        ("95% interval", "left"),
        ("score", "left"),  # the mean rating × 10, in words where enough reviews say
        ("standing", "left"),
    ):
        table.add_column(column, justify=justify)  # type: ignore[arg-type]
    for rank, f in enumerate(films, 1):
        name = f.title or f.key
        if f.year:
            name += f" ({f.year})"
        low, high = f.share_positive_interval
        table.add_row(
            str(rank),
            Text(name) if name == f.key else Text.assemble(name, "  ", (f.key, "dim")),
            f"{f.reviews:,}",
            Text(f"{f.share_positive:.0%}", style=sentiment_colour(f.share_positive)),
            Text.assemble(_share_bar(f.share_positive, (low, high), 12), f" {low:.0%}–{high:.0%}"),
            Text.assemble(str(f.score), (f" {f.score_words}" if f.score_words else "", "dim")),
            Text(f.standing or "", style=STANDING_STYLES.get(f.standing or "", "")),
        )
    return table


def film_panel(report: FilmReport) -> Panel:
    """One film's report: score, share positive with its interval, histogram, aspects, consensus, quotes."""
    title = (report.title or report.key) + (f" ({report.year})" if report.year else "")
    low, high = report.share_positive_interval
    named: list[Text | Table] = []
    if report.title_share is not None:
        named.append(
            Text(f"{report.key}: the title {report.title_share:.0%} of its reviews name as their film", "dim")
        )
    lines: list[Text | Table] = [
        *named,
        Text.assemble(
            ("score ", "bold"),
            (f"{report.score}/100", f"bold {sentiment_colour(report.mean_rating / 10)}"),
            (f" {report.score_words}" if report.score_words else "", "bold"),
            f"   mean rating {report.mean_rating:.1f}/10   {counted(report.reviews, 'review')}   ",
            ("polarisation ", "bold"),
            f"{report.polarisation:.2f}",
        ),
        Text.assemble(
            ("positive ", "bold"),
            f"{report.share_positive:.0%} ",
            _share_bar(report.share_positive, (low, high)),
            f"  95% interval {low:.0%}–{high:.0%}",
            (
                "   " + report.standing if report.standing else "",
                STANDING_STYLES.get(report.standing or "", ""),
            ),
        ),
    ]
    if report.stated:
        st = report.stated
        lines.append(
            Text.assemble(
                ("the reviewers' own ratings ", "bold"),
                f"mean {st.mean:.1f}/10 from {counted(st.reviews, 'review')} "
                f"(reelsense's {st.predicted_mean:.1f} on the same, {st.mean_absolute_difference:.1f} apart "
                "on average)",
            )
        )
    top = max(report.rating_histogram) or 1
    histogram = Table(show_header=False, box=None, padding=(0, 1))
    histogram.add_column("band", justify="right")
    histogram.add_column("bar")
    histogram.add_column("n", justify="right")
    for band, count in enumerate(report.rating_histogram):
        histogram.add_row(
            f"{band}–{band + 1}",
            Text("█" * round(count / top * 30), style=sentiment_colour(band / 9)),
            str(count),
        )
    lines += [Text("Ratings", style="bold"), histogram]
    if report.aspects:
        aspects = Table(show_header=True, header_style="bold", box=None, padding=(0, 1))
        for column in ("aspect", "reviews", "positive", ""):
            aspects.add_column(column)
        for name, a in report.aspects.items():
            share = a.share_positive
            aspects.add_row(
                name,
                str(a.reviews),
                f"{share:.0%}",
                Text("█" * round(share * 20), style=sentiment_colour(share)),
            )
        lines += [Text("Aspects", style="bold"), aspects]
    if report.consensus:
        lines.append(Text("Consensus", style="bold"))
        lines += [Text(f"  “{c.text}”  [review {c.review_id}]") for c in report.consensus]
    for label, quote, style in (
        ("Top positive", report.top_positive, "green"),
        ("Top negative", report.top_negative, "red"),
    ):
        if quote:
            lines.append(Text.assemble((f"{label}: ", f"bold {style}"), f"“{_clip(quote.text, 200)}”"))
    if report.sources and (len(report.sources) > 1 or report.uncredited_reviews):
        sources = Table(show_header=True, header_style="bold", box=None, padding=(0, 1))
        stated = any(s.mean_stated_rating is not None for s in report.sources)
        columns = ["critic", "reviews", "mean rating", "agrees with most"] + (["their own"] if stated else [])
        for column in columns:
            sources.add_column(column)
        for s in report.sources[:10]:
            row: list[Text | str] = [Text(s.source), str(s.reviews), f"{s.mean_rating:.1f}"]
            row.append(f"{s.agreement:.0%}")
            if stated:
                row.append("" if s.mean_stated_rating is None else f"{s.mean_stated_rating:.1f}")
            sources.add_row(*row)
        lines += [Text("Critics", style="bold"), sources]
        if report.uncredited_reviews:
            n = report.uncredited_reviews
            lines.append(Text(f"  and {n} review{'s' if n != 1 else ''} naming no critic", style="dim"))
    return Panel(Group(*lines), title=Text(title), title_align="left")


def search_table(hits: Sequence[SearchHit], query: str) -> Table:
    """Search results with the matching words highlighted in a snippet."""
    table = Table(show_header=True, header_style="bold")
    for column in ("review", "film", "verdict", "rating", "snippet"):
        table.add_column(column)
    for hit in hits:
        shown, spans = snippet(hit.text, query)
        marked = Text(shown)
        for a, b in spans:
            marked.stylize("bold yellow", a, b)
        table.add_row(
            str(hit.review_id),
            Text(hit.title or hit.film or ""),
            Text(hit.verdict, style=_VERDICT_STYLE.get(hit.verdict, "")),
            f"{hit.rating:.1f}",
            marked,
        )
    return table
