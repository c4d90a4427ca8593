"""The people stage: mentions with roles, the film the review is about, links to a knowledge base, checks.

Without a knowledge base the stage finds names (`people.find_people`), guesses the reviewed film from
the titles the text gives, and flags a name spelt two ways in the same review. With one
(`kb.KnowledgeBase`) it also links names and titles to ids, picks the reviewed film by title plus the
people it shares with the review (which tells remakes and same-titled films apart), and checks
spellings, roles and years against it.
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from collections.abc import Sequence

from .aspects import find_mentions
from .kb import KnowledgeBase, TitleRecord
from .people import Found, edit_distance, find_people, name_runs
from .reading import Layout
from .review import Check, Mention, Review, ReviewedFilm

__all__ = ["PeopleStage"]

# Two spellings of one surname differ by at most this many letters (and the name is this long).
SPELLING_DISTANCE = 2
SPELLING_MIN_LENGTH = 5
_COMPARISON = re.compile(r"(?:like|than|to|of|as|unlike|remake|sequel|since|after|from)\s*[\"\u201c]?$", re.I)
_THIS_FILM = re.compile(r"(?:this|the)\s+(?:film|movie|picture|flick)\s*,?\s*[\"\u201c]?$", re.I)


class PeopleStage:
    """Finds and links the people and films of batches of reviews."""

    def __init__(self, kb: KnowledgeBase | None = None) -> None:
        self.kb = kb

    def pipe(self, batch: Sequence[tuple[Review, Layout]]) -> list[Review]:
        return [self._one(review, layout) for review, layout in batch]

    def _one(self, review: Review, layout: Layout) -> Review:
        text = layout.cleaned.text
        found = _actors_by_their_sentences(find_people(text, [a for a, _ in layout.spans]), layout)
        if self.kb is not None:  # a "person" that the database knows only as a title is a title
            found = [
                dataclasses.replace(f, kind="film", role=None, character=None)
                if f.kind == "person" and self.kb.is_title_not_name(f.name)
                else f
                for f in found
            ]
        film, film_found = _reviewed_film(found, text, layout)
        title: TitleRecord | None = None
        links: dict[str, str] = {}
        checks: list[Check] = []
        if self.kb is not None:
            title = self.kb.identify_film(
                [f.name for f in film_found] or ([film.title] if film else []),
                {f.name for f in found if f.kind == "person"},
                film.year if film else None,
            )
            if title is not None:
                film = ReviewedFilm(
                    title.title, title.year, max(film.confidence if film else 0.0, 0.6), title.id
                )
                found = _characters_from_credits(found, self.kb.characters_of(title), text)
            links, kb_checks = self.kb.link_and_check(found, title, layout)
            checks += kb_checks
        mentions = []
        reviewed = {f.name for f in film_found}
        for f in found:
            start, end = layout.cleaned.span(f.start, f.end)
            role = f.role
            if f.kind == "film":
                role = "reviewed" if f.name in reviewed else "referenced"
            link = (
                links.get(f.name)
                if f.kind != "film" or role == "referenced"
                else (film.link if film else None)
            )
            mentions.append(
                Mention(start, end, text[f.start : f.end], f.kind, f.name, role, f.character, link)
            )
        checks = _two_spellings(mentions) + checks
        return dataclasses.replace(review, mentions=tuple(mentions), film=film, checks=tuple(checks))


def _characters_from_credits(found: list[Found], characters: dict[str, str], text: str) -> list[Found]:
    """Names the film's credits give as characters ("Travis Bickle", or "Travis" alone) are characters,
    and the actor credited with one plays it."""
    if not characters:
        return found
    by_first = {c.split()[0]: c for c in characters}
    taken = [(f.start, f.end) for f in found]
    for a, b in name_runs(text):
        run = text[a:b]
        if (run in characters or run in by_first) and all(b <= x or a >= y for x, y in taken):
            found = [*found, Found(a, b, "character", run)]
    found.sort(key=lambda f: f.start)
    out = []
    played: dict[str, str] = {}
    for f in found:
        full = f.name if f.name in characters else by_first.get(f.name) if len(f.name.split()) == 1 else None
        if f.kind in ("person", "character") and full is not None and f.name not in characters.values():
            out.append(dataclasses.replace(f, kind="character", name=full, role=None, character=None))
            played[characters[full]] = full
        else:
            out.append(f)
    return [
        dataclasses.replace(f, role="actor", character=f.character or played[f.name])
        if f.kind == "person" and f.name in played
        else f
        for f in out
    ]


def _actors_by_their_sentences(found: list[Found], layout: Layout) -> list[Found]:
    """A person with no role whose sentence talks about acting ("X is wooden", "X's performance") acted."""
    starts = [a for a, _ in layout.spans]
    acting: set[str] = set()
    for f in found:
        if f.kind == "person" and f.role is None:
            s = bisect_right(starts, f.start) - 1
            if any(m.aspect == "acting" for m in find_mentions(layout.tokens[s])):
                acting.add(f.name)
    if not acting:
        return found
    return [
        dataclasses.replace(f, role="actor") if f.kind == "person" and f.name in acting else f for f in found
    ]


def _reviewed_film(
    found: Sequence[Found], text: str, layout: Layout
) -> tuple[ReviewedFilm | None, list[Found]]:
    """The title the review is most likely about, from where and how often the text gives it."""
    films = [f for f in found if f.kind == "film"]
    if not films:
        return None, []
    early = layout.spans[min(1, len(layout.spans) - 1)][1]  # the end of the second sentence
    scores: dict[str, float] = {}
    for f in films:
        before = text[max(0, f.start - 30) : f.start]
        score = 1.0 + (f.start < early) + 0.5 * (f.year is not None) + 1.5 * bool(_THIS_FILM.search(before))
        score -= 1.5 * bool(_COMPARISON.search(before))
        scores[f.name] = scores.get(f.name, 0.0) + score
    best = max(scores, key=lambda name: scores[name])
    if scores[best] < 1.5:
        return None, []
    rest = sorted(scores.values())[-2] if len(scores) > 1 else 0.0
    confidence = round(min(0.95, 0.3 + 0.15 * scores[best] - 0.1 * rest), 2)
    chosen = [f for f in films if f.name == best]
    year = next((f.year for f in chosen if f.year), None)
    return ReviewedFilm(best, year, max(0.1, confidence)), chosen


def _two_spellings(mentions: Sequence[Mention]) -> list[Check]:
    """Flag one person (or character) whose name the review spells two ways: "Scorsese" / "Scorcese"."""
    checks = []
    names: dict[str, Mention] = {}
    for m in mentions:
        if m.kind in ("person", "character"):
            names.setdefault(m.name, m)
    seen = list(names.values())
    for i, a in enumerate(seen):
        for b in seen[i + 1 :]:
            if a.kind != b.kind:
                continue
            pa, pb = a.name.split(), b.name.split()
            same_first = len(pa) > 1 and len(pb) > 1 and pa[0] == pb[0]
            sa, sb = pa[-1], pb[-1]
            if (
                (same_first or len(pa) == 1 or len(pb) == 1)
                and sa != sb
                and min(len(sa), len(sb)) >= SPELLING_MIN_LENGTH
            ):
                if edit_distance(sa, sb, SPELLING_DISTANCE) <= SPELLING_DISTANCE:
                    checks.append(
                        Check(
                            "two_spellings",
                            f"“{a.text}” and “{b.text}” look like one name spelt two ways",
                            ((a.start, a.end), (b.start, b.end)),
                            None,
                        )
                    )
    return checks
