"""Who and what a review names: people (with their role), films, characters and organisations.

Works with no knowledge base. Names are runs of capitalised words ("Brian De Palma", "J. K.
Simmons"); titles are quoted, or followed by a year ("Vertigo (1958)"), or open with "The/A/An".
Roles come from the words around a name (`data/people.toml`): "directed by X", "composer X", "the
score, by X", "X's latest", "X, who plays Y", "Y (played by X)", "Y (X)", "X as Y". A surname or
first name alone refers back to the person named in full earlier ("De Niro", "Travis"), so each
person is one name however often and however shortly the review names them.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import cache
from importlib import resources

from rapidfuzz.distance import Levenshtein

from ..review import MentionKind
from .checks import SPELLING_DISTANCE, SPELLING_MIN_LENGTH

__all__ = ["NameSpan", "find_people", "name_runs", "strip_possessive", "ROLES"]

ROLES = ("director", "writer", "actor", "composer", "cinematographer", "editor", "producer", "critic")
_CAP = r"(?:[A-Z][A-Za-z\u00c0-\u024f'\u2019\-]*[A-Za-z\u00c0-\u024f]|[A-Z]\.|[A-Z])"


@dataclass(frozen=True, slots=True)
class NameSpan:
    """A name in the cleaned text, before it is a `Mention`: span, kind, full name, role, character, year."""

    start: int
    end: int
    kind: MentionKind
    name: str
    role: str | None = None
    character: str | None = None
    year: int | None = None  # a film's year where the text gives it next to the title


@dataclass(frozen=True, slots=True)
class _Lists:
    first_names: frozenset[str]
    not_names: frozenset[str]
    orgs: frozenset[str]
    role_before: list[tuple[str, str]]  # (phrase, role), longest first
    role_words: frozenset[str]  # one-word role phrases: "Director Jane Campion" starts at "Jane"
    role_before_pattern: re.Pattern[str]  # any role phrase ending the text before a name
    role_of_phrase: dict[str, str]
    possessive_roles: dict[str, str]  # word after "X's" -> role
    roles_after: dict[str, str]  # word right after a name -> role
    run: re.Pattern[str]


@cache
def _lists() -> _Lists:
    data = tomllib.loads((resources.files("reelsense") / "data" / "people.toml").read_text(encoding="utf-8"))
    particles = "|".join(data["particles"])
    run = re.compile(rf"(?<![\w'\u2019]){_CAP}(?:\s(?:(?:{particles})\s)*{_CAP})*")
    before = [(phrase, role) for role, phrases in data["roles"].items() for phrase in phrases]
    before.sort(key=lambda pr: -len(pr[0]))
    possessive = {word: role for role, words in data["possessive_roles"].items() for word in words}
    return _Lists(
        first_names=frozenset(data["first_names"].split()),
        not_names=frozenset(data["not_names"].split()),
        orgs=frozenset(data["orgs"]),
        role_before=before,
        role_words=frozenset(phrase for phrase, _ in before if " " not in phrase),
        role_before_pattern=re.compile(
            r"(?<![\w])(" + "|".join(re.escape(phrase) for phrase, _ in before) + r")[\s,:;(]*$"
        ),
        role_of_phrase=dict(before),
        possessive_roles=possessive,
        roles_after={word: role for role, words in data["roles_after"].items() for word in words},
        run=run,
    )


_YEAR = re.compile(r"\s?\((?:c\.\s?)?((?:18|19|20)\d\d)\)")
_QUOTED = re.compile(
    r"[\"\u201c]([^\"\u201c\u201d\n]{2,80})[\"\u201d]"  # "Title", “Title”
    r"|(?<![\w'])'([A-Z][^'\n]{1,60}?)'(?![\w])"  # 'Title' (not an apostrophe inside a word)
)
# Words just before a capitalised run that make it a title: "a movie like Hulk", "fans of Monty Python".
_TITLE_CUE = re.compile(
    r"(?:movies?|films?|shows?|series|classics?)\s+(?:like|such\s+as)\s*$|(?:such\s+as|remake\s+of|sequel\s+to|"
    r"version\s+of|fans?\s+of|the\s+likes\s+of|watch|watched|rewatched|saw|seen|re-?watching|watching|"
    r"directed|co-?directed|co-?wrote|wrote\s+and\s+directed|starred\s+in|stars\s+in|starring\s+in|"
    # the films a review refers to: "a nod to Casablanca", "his follow-up to Whiplash" ("homage to",
    # "shades of" and the like as often name a person: "pays homage to Vangelis")
    r"nod\s+to|follow-?up\s+to|riff\s+on|spin\s+on|update\s+of)\s*$",
    re.IGNORECASE,
)
# Every phrase of _TITLE_CUE ends with one of these, so a window that does not is searched no further.
_TITLE_CUE_ENDINGS = ("like", "as", "of", "to", "watch", "watched", "saw", "seen", "watching", "directed",
                      "wrote", "in", "on")  # fmt: skip


def _title_cue_before(text: str, at: int) -> re.Match[str] | None:
    """_TITLE_CUE in the 30 characters before `at`."""
    window = text[max(0, at - 30) : at]
    if not window.rstrip().casefold().endswith(_TITLE_CUE_ENDINGS):
        return None
    return _TITLE_CUE.search(text, max(0, at - 30), at)


# What separates the items of a list of titles: "Scarface, Carlito's Way and Blow Out".
_LIST_GAP = re.compile(
    r"[\"\u201c\u201d']*\s*(?:,|/|\band\b|\bor\b|,\s*and\b|,\s*or\b)\s*[\"\u201c\u201d']*\s*"
)
_TITLE_WORD = re.compile(r"[A-Z0-9][\w'\u2019:\-]*|of|the|a|an|in|on|and|to|for|with|at|from|by|&")
_ARTICLES = ("The", "A", "An")
_SENTENCE_INSIDE = re.compile(r"[.!?]\s|\b(?:I|you|is|was|are|were|it's)\b")  # a quoted remark, not a title
_SEQUEL = re.compile(r"\s(?:\d|[IVX]+\b)|:\s[A-Z]")  # "Blade Runner 2049", "Alien: Covenant"
_NUMBER = re.compile(r"\s\d+\b")
_HONORIFIC = re.compile(r"\b(?:Mr|Mrs|Ms|Miss|Dr)\.?\s+$")
# "X is a quiet film", "X was two movies stitched together": what is said to be a film is one
_FILM_AFTER = re.compile(
    r"(?:'s|’s)?\s+(?:is|was)\s+(?:(?:a|an|the|two|one|another|this|that|such\s+a)\s+)?(?:[\w-]+,?\s+){0,3}?"
    r"(?:films?|movies?|pictures?|documentar(?:y|ies)|thrillers?|comed(?:y|ies)|dramas?|musicals?|westerns?"
    r"|sequels?|remakes?|romcoms?|biopics?|horror\s+films?)\b"
    r"(?!\s*(?:director|maker|critic|star|buff|editor|composer|producer|fan|student|historian|score|career))",
    re.IGNORECASE,
)
_IN_YEAR = re.compile(r"\s+in\s+((?:18|19|20)\d\d)\b")
_PLAYS = re.compile(r",?\s(?:who\s)?(?:plays|played|portrays|portrayed|as)\s(?:the\s)?$")


def find_people(text: str, sentence_starts: Sequence[int] = ()) -> list[NameSpan]:
    """Every person, film, character and organisation named in `text`, in order, back-references resolved."""
    lists = _lists()
    starts = set(sentence_starts) | {0}
    found: list[NameSpan] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    for m in _QUOTED.finditer(text):
        group = 1 if m.group(1) is not None else 2
        title = m.group(group).strip().rstrip(".,!?")  # American style puts the stop inside the quotes
        if title[:1].isupper() and 0 < len(title.split()) <= 8 and not _SENTENCE_INSIDE.search(title):
            a = m.start(group) + (len(m.group(group)) - len(m.group(group).lstrip()))
            found.append(NameSpan(a, a + len(title), "film", title, year=_year_after(text, m.end())))
            taken.append((m.start(), m.end()))
    for y in _YEAR.finditer(text):
        span = _title_before(text, y.start())
        if span and free(*span):
            a, b = span
            found.append(NameSpan(a, b, "film", text[a:b], year=int(y.group(1))))
            taken.append(span)

    people: list[NameSpan] = []
    for m in lists.run.finditer(text):
        a, b = m.span()
        if not free(a, b):
            continue
        a, b = _trim(text, a, b, a in starts or _after_open_quote(text, a, starts), lists)
        if a >= b:
            continue
        surface = text[a:b]
        if surface in lists.orgs or strip_possessive(surface) in lists.orgs:
            name = strip_possessive(surface)
            found.append(NameSpan(a, a + len(name), "org", name))
            continue
        if surface.split()[0] in _ARTICLES or _SEQUEL.match(text, b):
            sequel = _SEQUEL.match(text, b)
            number = _NUMBER.match(text, b)
            if sequel and number:
                b = number.end()  # "Blade Runner 2049"
            elif sequel and (subtitle := lists.run.match(text, sequel.end() - 1)):
                b = subtitle.end()  # "Mad Max: Fury Road"
            if len(surface.split()) > 1 or sequel:
                found.append(NameSpan(a, b, "film", text[a:b]))
            continue
        since = _IN_YEAR.match(text, b) if text[max(0, a - 6) : a].lower() == "since " else None
        cue = since or _title_cue_before(text, a) or _FILM_AFTER.match(text, b)
        if cue and surface.split()[0] not in lists.first_names:
            year = int(since.group(1)) if since else None  # "the first musical since Gigi in 1958"
            found.append(NameSpan(a, b, "film", strip_possessive(surface), year=year))
            continue
        people.append(NameSpan(a, b, "person", strip_possessive(surface)))
    resolved = _resolve(text, people, lists)
    kept = {f.start for f in resolved}
    found += _titles_in_lists(text, found, resolved, [p for p in people if p.start not in kept])
    found.sort(key=lambda f: f.start)
    return found


def _titles_in_lists(
    text: str, titles: list[NameSpan], others: list[NameSpan], leftovers: list[NameSpan]
) -> list[NameSpan]:
    """Names listed beside a title ("Scarface, Blow Out and Body Double") are titles too, even a
    lone capitalised word that was no name (`leftovers`: "Society")."""
    known = [f for f in titles if f.kind == "film"]
    if not known:
        return others
    items = sorted(titles + others + leftovers, key=lambda f: f.start)
    film_at = {f.start for f in known}
    changed = True
    while changed:  # spread along each list, both ways, until nothing changes
        changed = False
        for left, right in zip(items, items[1:], strict=False):
            joined = bool(_LIST_GAP.fullmatch(text[left.end : right.start])) and right.start - left.end <= 8
            if joined and (left.start in film_at) != (right.start in film_at):
                film_at |= {left.start, right.start}
                changed = True
    converted = [
        NameSpan(f.start, f.end, "film", f.name)
        if f.start in film_at and f.kind in ("person", "character")
        else f
        for f in others
    ]
    return converted + [NameSpan(f.start, f.end, "film", f.name) for f in leftovers if f.start in film_at]


def name_runs(text: str) -> list[tuple[int, int]]:
    """Every run of capitalised words in `text` (what names are found among), as spans."""
    return [m.span() for m in _lists().run.finditer(text)]


def _year_after(text: str, at: int) -> int | None:
    m = _YEAR.match(text, at)
    return int(m.group(1)) if m else None


def _title_before(text: str, end: int) -> tuple[int, int] | None:
    """The title words just before a "(1958)": capitalised words and the small words between them."""
    words = [(m.start(), m.end()) for m in _TITLE_WORD.finditer(text, max(0, end - 80), end)]
    chosen: list[tuple[int, int]] = []
    at = end
    for a, b in reversed(words):
        if text[b:at].strip() or len(chosen) >= 8 or text[a:b].endswith(("'s", "\u2019s")):
            break  # not next to the title, too long, or its owner: "Polanski's Chinatown (1974)"
        chosen.append((a, b))
        at = a
    while chosen and not text[chosen[-1][0]].isupper() and not text[chosen[-1][0]].isdigit():
        chosen.pop()  # the title starts with a capital
    if not chosen:
        return None
    return chosen[-1][0], chosen[0][1]


def _after_open_quote(text: str, at: int, starts: set[int]) -> bool:
    return at > 0 and text[at - 1] in "\"'\u201c(" and (at - 1) in starts


def _trim(text: str, a: int, b: int, sentence_start: bool, lists: _Lists) -> tuple[int, int]:
    """Drop leading words that are not names (sentence openers, "Mr"); keep "The" mid-sentence."""
    words = [(m.start() + a, m.end() + a) for m in re.finditer(r"\S+", text[a:b])]
    while words:
        word = text[words[0][0] : words[0][1]].rstrip(".")
        keep_article = word in _ARTICLES and not sentence_start and len(words) > 1
        plain = word not in lists.not_names and strip_possessive(word) not in lists.not_names
        if keep_article or (plain and word.lower() not in lists.role_words):
            break
        words.pop(0)
        sentence_start = False
    while words and text[words[-1][0] : words[-1][1]] in ("I", "I'm", "I've"):
        words.pop()
    return (words[0][0], words[-1][1]) if words else (a, a)


def strip_possessive(name: str) -> str:
    """A name without its possessive ending: "Nolan's" -> "Nolan", "Coen brothers'" -> "Coen brothers"."""
    for ending in ("'s", "\u2019s"):
        if name.endswith(ending):
            return name[: -len(ending)]
    return name.rstrip("'\u2019")


def _role_before(text: str, at: int, lists: _Lists) -> str | None:
    """The role the words just before a name give: "directed by X", "composer X", "the score, by X"."""
    m = lists.role_before_pattern.search(text[max(0, at - 40) : at].lower())
    return lists.role_of_phrase[m.group(1)] if m else None


def _role_after(text: str, end: int, possessive: bool, lists: _Lists) -> str | None:
    """The role the words after a name give: "X's latest", "X's restless camera", "X directs"."""
    words = [w.lower().strip(".,;:!?") for w in text[end : end + 40].split()[:2]]
    if possessive:
        return next((lists.possessive_roles[w] for w in words if w in lists.possessive_roles), None)
    return lists.roles_after.get(words[0]) if words else None


def _resolve(text: str, people: list[NameSpan], lists: _Lists) -> list[NameSpan]:
    """Decide which capitalised runs are people or characters, with roles, and resolve back-references."""
    named = _People()
    full = named.full  # full name -> its first mention with role/character filled in
    characters: set[str] = set()
    out: list[NameSpan] = []
    for i, p in enumerate(people):
        a, b = p.start, p.start + len(p.name)
        tokens = p.name.split()
        role = _role_before(text, a, lists)
        if not role:
            role = _role_after(text, p.end, p.name != text[p.start : p.end], lists)
        character = None
        nxt = people[i + 1] if i + 1 < len(people) else None
        gap = text[b : nxt.start] if nxt else ""
        if (
            nxt
            and re.fullmatch(r"\s?\((?:played by\s)?", gap)
            and text[nxt.start + len(nxt.name) :].startswith(")")
        ):
            # "Travis (Robert De Niro)", "Travis (played by Robert De Niro)": this run is the character
            characters.add(p.name)
            out.append(NameSpan(a, b, "character", p.name))
            continue
        if out and out[-1].kind == "character" and text[out[-1].end : a].strip() in ("(", "(played by"):
            role, character = "actor", out[-1].name
        elif nxt and _PLAYS.search(gap):
            role, character = "actor", nxt.name
            characters.add(nxt.name)
        if p.name in characters or (len(tokens) == 1 and any(p.name == c.split()[0] for c in characters)):
            out.append(NameSpan(a, b, "character", _full_character(p.name, characters)))
            continue
        known = named.known(p.name)
        if known is not None:
            merged = replace(known, role=known.role or role, character=known.character or character)
            full[known.name] = merged
            out.append(NameSpan(a, b, "person", known.name, merged.role, merged.character))
            continue
        person_like = tokens[0] in lists.first_names or len(tokens) >= 2 or role is not None
        if not person_like:
            near = named.near_surname(p.name)
            if near is None:
                continue
            # a surname close to one named earlier: kept under its own spelling, for the spelling check
            role, character = role or near.role, character or near.character
        found = NameSpan(a, b, "person", p.name, role, character)
        named.add(found)
        out.append(found)
    # a surname after a title, named in full only later ("Mr. Judge's vision … Mike Judge"), is that
    # person too (a bare surname is not: the full name it refers back to may have gone unseen)
    titled = {
        f.name for f in out if f.kind == "person" and _HONORIFIC.search(text, max(0, f.start - 6), f.start)
    }
    in_full: dict[str, list[str]] = {}
    for name in full:
        if " " in name:
            for part in {name.split()[-1], name.split()[0]}:
                in_full.setdefault(part, []).append(name)
    renamed: dict[str, str] = {}
    for short in [name for name in full if " " not in name and name in titled]:
        wholes = in_full.get(short, [])
        if len(wholes) == 1:  # one person it can be
            found, later = full.pop(short), full[wholes[0]]
            role, character = later.role or found.role, later.character or found.character
            full[wholes[0]] = replace(later, role=role, character=character)
            renamed[short] = wholes[0]
    if renamed:
        out = [
            replace(f, name=renamed[f.name]) if f.kind == "person" and f.name in renamed else f for f in out
        ]
    # a role or character found at any mention belongs to every mention of that person
    return [
        replace(f, role=full[f.name].role, character=full[f.name].character)
        if f.kind == "person" and (f.role, f.character) != (full[f.name].role, full[f.name].character)
        else f
        for f in out
    ]


class _People:
    """The people a review has named so far (full name -> its first mention, with the role and
    character found since), indexed so that a back-reference or a near surname is looked up, not
    searched for among them all (a review naming thousands would take quadratic time)."""

    def __init__(self) -> None:
        self.full: dict[str, NameSpan] = {}
        self._refers: dict[str, str] = {}  # a surname, first name or name after the first -> the earliest
        self._by_initial: dict[str, list[str]] = {}  # a surname's first letter -> full names, in order

    def add(self, found: NameSpan) -> None:
        self.full[found.name] = found
        parts = found.name.split()
        if len(parts) > 1:
            for key in (parts[-1], " ".join(parts[1:]), parts[0]):
                self._refers.setdefault(key, found.name)
            self._by_initial.setdefault(parts[-1][0], []).append(found.name)

    def known(self, name: str) -> NameSpan | None:
        """The person named earlier that `name` refers back to: the same name, or its surname or
        first name (the earliest such person)."""
        if name in self.full:
            return self.full[name]
        whole = self._refers.get(name)
        return self.full[whole] if whole is not None else None

    def near_surname(self, name: str) -> NameSpan | None:
        """A person named earlier whose surname is `name` misspelt by a letter or two ("Scorcese"):
        a misspelling keeps the first letter."""
        if len(name) < SPELLING_MIN_LENGTH:
            return None
        for whole in self._by_initial.get(name[0], ()):
            surname = whole.split()[-1]
            if abs(len(surname) - len(name)) > SPELLING_DISTANCE:
                continue
            if 0 < Levenshtein.distance(name, surname, score_cutoff=SPELLING_DISTANCE) <= SPELLING_DISTANCE:
                return self.full[whole]
        return None


def _full_character(name: str, characters: set[str]) -> str:
    return next((c for c in characters if c.split()[0] == name.split()[0] and len(c) > len(name)), name)
