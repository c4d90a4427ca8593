"""The checks a review's names get: one name spelt two ways (needs nothing else), and, against a
knowledge base, a misspelt name, a wrong role and a wrong year.

The spelling thresholds below are the only ones: the two-spellings check, the mention finder's
misspelt surname and the knowledge base's suggestion all use them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from rapidfuzz.distance import Levenshtein

from ..kb.names import name_key, sound_key
from ..review import Check, Mention

if TYPE_CHECKING:
    from ..kb.base import KnowledgeBase, TitleRecord
    from .mentions import NameSpan

__all__ = [
    "ROLE_CATEGORIES",
    "SOUNDS_ALIKE_DISTANCE",
    "SPELLING_DISTANCE",
    "SPELLING_MIN_LENGTH",
    "kb_checks",
    "suggest",
    "two_spellings",
]

# Two spellings of one name differ by at most this many letters (insertions, deletions, changes)...
SPELLING_DISTANCE = 2
# ...in a surname at least this long (shorter ones are too often two different names).
SPELLING_MIN_LENGTH = 5
# A review naming more people, characters and films than this has only its first ones compared,
# and says at most this many of them twice: a review is not a directory.
SPELLING_NAMES_CHECKED = 2000
SPELLING_CHECKS_SHOWN = 50
# Up to this many names are paired one with another; more, by their shared deletions.
PAIRED_DIRECTLY = 60
# A name that sounds like a credited one (same first initial and surname Soundex) may be this far off.
SOUNDS_ALIKE_DISTANCE = 3
# What a review's role word means in IMDb's credit categories.
ROLE_CATEGORIES = {
    "actor": ("actor", "actress", "self"),
    "director": ("director",),
    "writer": ("writer",),
    "composer": ("composer",),
    "cinematographer": ("cinematographer",),
    "editor": ("editor",),
    "producer": ("producer",),
}


def two_spellings(mentions: Sequence[Mention]) -> list[Check]:
    """Flag a name the review spells two ways: a person ("Scorsese" / "Scorcese"), a character
    ("Sebastien" / "Sebastian") or a film ("The Shawshank Redemption" / "The Shawshank Redmption"),
    each compared with its own kind only (an actor and the character they play may be alike)."""
    checks: list[Check] = []
    names: dict[tuple[str, str], Mention] = {}
    for m in mentions:
        if m.kind in ("person", "character", "film"):
            names.setdefault((m.kind, m.name), m)
    # each film title's compared form once; for a person or character, its surname
    seen = [(kind, name_key(m.name) if kind == "film" else m.name, m) for (kind, _), m in names.items()]
    seen = seen[:SPELLING_NAMES_CHECKED]
    compared = [(kind, name if kind == "film" else name.split()[-1]) for kind, name, _ in seen]
    for i, j in _close_pairs(compared):
        if len(checks) == SPELLING_CHECKS_SHOWN:
            break
        (kind, a_name, a), (other, b_name, b) = seen[i], seen[j]
        if kind == other and (_titles_alike if kind == "film" else _names_alike)(a_name, b_name):
            what = "one title" if kind == "film" else "one name"
            checks.append(
                Check(
                    "two_spellings",
                    f"“{a.text}” and “{b.text}” look like {what} spelt two ways",
                    ((a.start, a.end), (b.start, b.end)),
                    None,
                )
            )
    return checks


def _close_pairs(items: Sequence[tuple[str, str]]) -> list[tuple[int, int]]:
    """The pairs (i < j, in order) of items of one kind whose strings may be at most
    SPELLING_DISTANCE edits apart. A review names a few dozen at most, and those are paired when
    their lengths are that close; past PAIRED_DIRECTLY names, pairs come from the strings left after
    deleting up to that many letters from each (every pair that close shares one), so that a text
    naming thousands stays linear."""
    if len(items) <= PAIRED_DIRECTLY:
        return [
            (i, j)
            for i, (kind, word) in enumerate(items)
            for j in range(i + 1, len(items))
            if items[j][0] == kind and abs(len(items[j][1]) - len(word)) <= SPELLING_DISTANCE
        ]
    by_variant: dict[tuple[str, str], list[int]] = {}
    for index, (kind, word) in enumerate(items):
        for variant in _deletions(word, SPELLING_DISTANCE):
            by_variant.setdefault((kind, variant), []).append(index)
    pairs = {
        (a, b) for group in by_variant.values() for k, a in enumerate(group) for b in group[k + 1 :] if a != b
    }
    return sorted(pairs)


def _deletions(word: str, n: int) -> set[str]:
    """`word` with up to `n` of its letters deleted, in every way."""
    found = {word}
    frontier = {word}
    for _ in range(n):
        frontier = {w[:k] + w[k + 1 :] for w in frontier for k in range(len(w))}
        found |= frontier
    return found


def _names_alike(a: str, b: str) -> bool:
    """Two names whose surnames (last words) are a few letters apart, with the same first name
    where both have one."""
    pa, pb = a.split(), b.split()
    same_first = len(pa) > 1 and len(pb) > 1 and pa[0] == pb[0]
    sa, sb = pa[-1], pb[-1]
    return (
        (same_first or len(pa) == 1 or len(pb) == 1)
        and sa != sb
        and min(len(sa), len(sb)) >= SPELLING_MIN_LENGTH
        and Levenshtein.distance(sa, sb, score_cutoff=SPELLING_DISTANCE) <= SPELLING_DISTANCE
    )


def _titles_alike(ka: str, kb: str) -> bool:
    """Two titles (as `name_key` gives them) a few letters apart, long enough not to be two titles."""
    return (
        ka != kb
        and min(len(ka), len(kb)) >= 2 * SPELLING_MIN_LENGTH
        and Levenshtein.distance(ka, kb, score_cutoff=SPELLING_DISTANCE) <= SPELLING_DISTANCE
    )


def kb_checks(
    found: Sequence[NameSpan],
    film: TitleRecord | None,
    kb: KnowledgeBase,
    span: Callable[[int, int], tuple[int, int]],
) -> list[Check]:
    """The facts of the review the knowledge base contradicts, in the order the review states them.

    A person credited on `film` under another role (wrong_role), a full name nobody in the database
    has but someone credited on `film` probably is (misspelling), and a year beside the film's title
    that is not its year (wrong_year). `span` maps a span of the cleaned text onto the original.
    """
    checks: list[Check] = []
    seen: set[str] = set()
    for f in found:
        if f.kind != "person" or f.name in seen:
            continue
        seen.add(f.name)
        person = kb.person_id(f.name, film)
        if person is not None:
            credited = kb.credited_as(person, film) if film is not None else ()
            wrong = (
                f.role in ROLE_CATEGORIES and credited and not set(ROLE_CATEGORIES[f.role]) & set(credited)
            )
            if film is not None and wrong:
                checks.append(
                    Check(
                        "wrong_role",
                        f"{f.name} is credited as {' and '.join(credited)} on {film.title}, not as {f.role}",
                        (span(f.start, f.end),),
                        credited[0],
                    )
                )
        elif len(f.name.split()) > 1 and film is not None:
            suggestion = suggest(f.name, film, kb)
            if suggestion:
                distance = Levenshtein.distance(name_key(f.name), name_key(suggestion))
                letters = f"{distance} letter{'s' if distance != 1 else ''} off"
                credited = kb.credited_as(kb.person_id(suggestion, film) or "", film)
                roles = f"credited as {' and '.join(credited)}" if credited else "credited"
                on = f"{roles} on {film.title}"
                checks.append(
                    Check(
                        "misspelling",
                        f"“{f.name}” is probably “{suggestion}” ({letters}; {on})",
                        (span(f.start, f.end),),
                        suggestion,
                    )
                )
    if film is not None and film.year is not None:
        for f in found:
            if (
                f.kind == "film"
                and f.year
                and f.year != film.year
                and name_key(f.name) == name_key(film.title)
            ):
                checks.append(
                    Check(
                        "wrong_year",
                        f"{film.title} is from {film.year}, not {f.year}",
                        (span(f.start, f.end),),
                        str(film.year),
                    )
                )
    return checks


def suggest(name: str, film: TitleRecord, kb: KnowledgeBase) -> str | None:
    """Whom a name the knowledge base does not know probably means: someone credited on `film` whose
    name is at most SPELLING_DISTANCE letters off, or sounds the same and is at most
    SOUNDS_ALIKE_DISTANCE off; the nearest, then the first alphabetically."""
    key, sound = name_key(name), sound_key(name)
    scored = [
        (distance, credited)
        for credited, credited_key, credited_sound in kb.credited_names(film)
        if (distance := Levenshtein.distance(key, credited_key, score_cutoff=SOUNDS_ALIKE_DISTANCE))
        <= SPELLING_DISTANCE
        or (distance <= SOUNDS_ALIKE_DISTANCE and sound == credited_sound)
    ]
    return min(scored)[1] if scored else None
