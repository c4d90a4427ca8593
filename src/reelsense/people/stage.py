"""The people stage: mentions with roles, the film the review is about, links to a knowledge base, checks.

Without a knowledge base the stage finds names (`people.mentions`), guesses the reviewed film from
the titles the text gives, and flags a name spelt two ways in the same review. Given one
(`kb.base.KnowledgeBase`, passed in) it also links names and titles to ids, picks the reviewed film by
title plus the people it shares with the review (which tells remakes and same-titled films apart),
and checks spellings, roles and years against it (`people.checks`).
"""

from __future__ import annotations

import dataclasses
import re
from bisect import bisect_right
from collections.abc import Sequence
from typing import TYPE_CHECKING

from ..anatomy.aspects import find_aspect_terms
from ..kb.names import name_key
from ..review import Check, Mention, Review, ReviewedFilm
from ..text.reading import Layout, layout_of
from .checks import kb_checks, two_spellings
from .mentions import NameSpan, find_people, name_runs, strip_possessive

if TYPE_CHECKING:
    from ..kb.base import KnowledgeBase, TitleRecord

__all__ = ["PeopleStage"]

_COMPARISON = re.compile(r"(?:like|than|to|of|as|unlike|remake|sequel|since|after|from)\s*[\"\u201c]?$", re.I)
_THIS_FILM = re.compile(r"(?:this|the)\s+(?:film|movie|picture|flick)\s*,?\s*[\"\u201c]?$", re.I)


class PeopleStage:
    """Finds and links the people and films of batches of reviews."""

    name = "people"
    requires = frozenset({"layout"})
    assigns = frozenset({"mentions", "film", "checks"})
    model = None  # rules and word lists; a knowledge base is data, not a model

    def __init__(self, kb: KnowledgeBase | None = None) -> None:
        self.kb = kb

    def pipe(self, reviews: Sequence[Review]) -> list[Review]:
        return [self._one(review, layout_of(review)) for review in reviews]

    def _one(self, review: Review, layout: Layout) -> Review:
        text = layout.cleaned.text
        found = _actors_by_their_sentences(find_people(text, [a for a, _ in layout.spans]), layout)
        if self.kb is not None:
            found = _titles_from_kb(found, text, self.kb)
        scores = _film_scores(found, text, layout)
        film, film_found = _reviewed_film(found, scores)
        title: TitleRecord | None = None
        links: dict[str, str] = {}
        checks: list[Check] = []
        if self.kb is not None:
            title = self.kb.identify_film(scores, {f.name for f in found if f.kind == "person"})
            if title is not None:
                film = ReviewedFilm(
                    title.title, title.year, max(film.confidence if film else 0.0, 0.6), title.id
                )
                film_found = [
                    f for f in found if f.kind == "film" and name_key(f.name) == name_key(title.title)
                ]
                found = _characters_from_credits(found, self.kb.characters_of(title), text)
            links = _links(found, title, self.kb)
            checks += kb_checks(found, title, self.kb, layout.cleaned.span)
            # a misspelt name links to the credited person it most likely means
            misspelt = {c.spans[0]: c.suggestion for c in checks if c.kind == "misspelling" and c.suggestion}
            for f in found:
                meant = misspelt.get(layout.cleaned.span(f.start, f.end))
                person = self.kb.person_id(meant, title) if meant and f.name not in links else None
                if f.kind == "person" and person is not None:
                    links[f.name] = person
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
        checks = two_spellings(mentions) + checks
        return dataclasses.replace(review, mentions=tuple(mentions), film=film, checks=tuple(checks))


def _links(found: Sequence[NameSpan], film: TitleRecord | None, kb: KnowledgeBase) -> dict[str, str]:
    """The knowledge-base id of each name the review gives (full name -> nm… or tt…)."""
    links: dict[str, str] = {}
    seen: set[str] = set()
    for f in found:
        if f.kind == "film" and f.name not in links:
            options = kb.titles_named(f.name)
            if options:
                links[f.name] = options[0].id
        elif f.kind == "person" and f.name not in seen:
            seen.add(f.name)
            person = kb.person_id(f.name, film)
            if person is not None:
                links[f.name] = person
    return links


def _titles_from_kb(found: list[NameSpan], text: str, kb: KnowledgeBase) -> list[NameSpan]:
    """Capitalised runs the database knows as titles and not as names are titles: "Rewatched Taxi
    Driver" holds "Taxi Driver"; "Gravity" alone is a title when nobody is called that."""
    known = [f for f in found if f.kind != "film" or kb.is_title_not_name(f.name)]
    people = {(f.start, f.end): f for f in known if f.kind == "person"}
    others = [(f.start, f.end) for f in known if f.kind != "person"]
    titles: list[NameSpan] = []
    for a, b in name_runs(text):
        words = [(m.start() + a, m.end() + a) for m in re.finditer(r"\S+", text[a:b])]
        for k in range(min(3, len(words))):  # the run, then without its first one or two words
            start = words[k][0]
            name = strip_possessive(text[start:b])
            if any(start < y and x < b for x, y in others) or not kb.is_title_not_name(name):
                continue
            titles.append(NameSpan(start, start + len(name), "film", name))
            break
    overlaps = {key for key in people for t in titles if key[0] < t.end and t.start < key[1]}
    kept = [f for f in known if f.kind != "person" or (f.start, f.end) not in overlaps]
    # a title the text gave that the database does not know, unless a title found here replaces it
    kept += [
        f for f in found if f not in known and not any(t.start < f.end and f.start < t.end for t in titles)
    ]
    return sorted(kept + titles, key=lambda f: f.start)


def _characters_from_credits(found: list[NameSpan], characters: dict[str, str], text: str) -> list[NameSpan]:
    """Names the film's credits give as characters ("Travis Bickle", or "Travis" alone) are characters,
    and the actor credited with one plays it."""
    if not characters:
        return found
    by_first = {c.split()[0]: c for c in characters}
    taken = [(f.start, f.end) for f in found]
    for a, b in name_runs(text):
        run = text[a:b]
        if (run in characters or run in by_first) and all(b <= x or a >= y for x, y in taken):
            found = [*found, NameSpan(a, b, "character", run)]
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


def _actors_by_their_sentences(found: list[NameSpan], layout: Layout) -> list[NameSpan]:
    """A person with no role whose sentence talks about acting ("X is wooden", "X's performance") acted."""
    starts = [a for a, _ in layout.spans]
    acting: set[str] = set()
    for f in found:
        if f.kind == "person" and f.role is None:
            s = bisect_right(starts, f.start) - 1
            if any(m.aspect == "acting" for m in find_aspect_terms(layout.tokens[s])):
                acting.add(f.name)
    if not acting:
        return found
    return [
        dataclasses.replace(f, role="actor") if f.kind == "person" and f.name in acting else f for f in found
    ]


def _film_scores(found: Sequence[NameSpan], text: str, layout: Layout) -> dict[str, tuple[float, int | None]]:
    """Each title the text gives, with how likely it is the reviewed film (where and how often the text
    gives it, a year beside it, "this film" before it, a comparison word before it) and its year."""
    early = layout.spans[min(1, len(layout.spans) - 1)][1]  # the end of the second sentence
    scores: dict[str, tuple[float, int | None]] = {}
    for f in found:
        if f.kind != "film":
            continue
        first = not scores
        before = text[max(0, f.start - 30) : f.start]
        score = (
            1.0
            + first
            + (f.start < early)
            + 0.5 * (f.year is not None)
            + 1.5 * bool(_THIS_FILM.search(before))
        )
        score -= 1.5 * bool(_COMPARISON.search(before))
        held, year = scores.get(f.name, (0.0, None))
        scores[f.name] = (held + score, year or f.year)
    return scores


def _reviewed_film(
    found: Sequence[NameSpan], scores: dict[str, tuple[float, int | None]]
) -> tuple[ReviewedFilm | None, list[NameSpan]]:
    """The title the review is most likely about, by the text alone."""
    if not scores:
        return None, []
    best = max(scores, key=lambda name: scores[name][0])
    if scores[best][0] < 1.5:
        return None, []
    rest = sorted(s for s, _ in scores.values())[-2] if len(scores) > 1 else 0.0
    confidence = round(min(0.95, 0.3 + 0.15 * scores[best][0] - 0.1 * rest), 2)
    chosen = [f for f in found if f.kind == "film" and f.name == best]
    return ReviewedFilm(best, scores[best][1], max(0.1, confidence)), chosen
