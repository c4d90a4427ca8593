"""Find the grade a reviewer states ("7/10", "★★★½", "three stars out of four", "B+") and put it on 0–10.

The explicit grade is what an aggregator would record; the model's rating is the fallback and a
consistency check. Reading too much is worse than reading too little, so every form needs either a
known scale or a phrase that marks it as a grade, and look-alikes are refused: fractions of things
("2/3 of the film"), dates ("9/11", "12/25/2019"), and grades used as adjectives ("the 10/10 hype",
"a five-star hotel").

`find_grade` gives a `Grade` whose offsets are into the text it was given (reading maps them back
onto the original).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..review import Grade
from .tokens import lower

__all__ = ["find_grade"]

_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "a": 1, "an": 1, "half": 0.5,
}  # fmt: skip
_SCALES = {4.0, 5.0, 10.0, 20.0, 100.0}
_DEFAULT_STAR_SCALE = 5.0  # "three and a half stars", "★★★½" with no scale stated
# Letter grades on 0–10 as aggregators convert them (../shared/data/grades.md); − is the minus sign.
_LETTERS = {
    "A+": 10.0, "A": 10.0, "A-": 9.1, "B+": 8.3, "B": 7.5, "B-": 6.7, "C+": 5.8, "C": 5.0, "C-": 4.2,
    "D+": 3.3, "D": 2.5, "D-": 1.6, "F": 0.0,
}  # fmt: skip

_NUM = r"(?:\d{1,3}(?:[.,]\d{1,2})?|\d?\s?½)"
_WORD_NUM = r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten)"
_ANY_NUM = rf"(?:{_NUM}|{_WORD_NUM})"
_HALF = r"(?:\s*(?:½|1/2|and\s+a\s+half|\.5))"
# Words after a grade that still leave it a grade; any other word makes it an adjective or count.
_AFTER_OK = (
    r"(?=\s*(?:$|[.,;:!?)\]\"'\u201d\u2019\n—–-]|stars?\b|from\b|for\b|overall\b|and\b|but\b|"
    r"is\b|would\b|because\b|in\b|at\b|on\b|if\b|though\b|rating\b|score\b|points?\b))"
)
# "mark" only as a word ("my mark: 7", not "marketing one").
_GRADE_CUE = r"(?:grade|rating|rated|rate|score|verdict|give|gave|giving|award|awarded|mark(?=s?\b))"

_FRACTION = re.compile(
    rf"(?<![\w/.,])(?P<num>{_NUM})\s*(?:/|out\s+of|outta)\s*(?P<scale>\d{{1,3}})"
    rf"(?:\s+stars?)?(?![\w/%]|\.\d|\s*(?:of|th)\b){_AFTER_OK}",
    re.IGNORECASE,
)
_WORD_FRACTION = re.compile(
    rf"(?<!/)\b(?P<num>{_ANY_NUM})(?P<half>{_HALF})?\s+(?:stars?\s+)?out\s+of\s+(?P<scale>{_ANY_NUM})"
    rf"(?:\s+stars?)?\b",
    re.IGNORECASE,
)
_STARS_WORDS = re.compile(
    rf"(?<![-\w])(?P<num>{_ANY_NUM})(?P<half>{_HALF})?[\s-]+stars?\b(?!-)(?!\s+[a-z]+\s+(?:hotel|cast)){_AFTER_OK}",
    re.IGNORECASE,
)
_STAR_SYMBOLS = re.compile(
    # Full stars and a half, or none at all before empty ones ("☆☆☆☆☆", "½☆☆☆☆").
    r"(?:(?P<full>[★*]{1,5})\s?(?P<half>½|1/2)?|(?P<lead>½)?(?=☆))"
    r"(?P<empty>☆{0,5})(?:\s*(?P<open>\()?(?:out\s+of|/)\s*(?P<of>[★*☆]{3,5}|\d{1,2}\b|(?i:four|five|ten)\b)(?(open)\)))?"
)
_LETTER = re.compile(
    rf"(?:\b{_GRADE_CUE}\w*\s*(?:it|this(?:\s+\w+)?|the\s+film|the\s+movie)?\s*(?:an?\s+)?:?\s*)"
    r"(?P<letter>[A-DF])(?P<mod>[+\-−]?)(?![\w-])",
    re.IGNORECASE,
)
# A letter grade standing on its own after a sentence or on its own line ("It's fine. B+", "B+." at
# the end): a capital, nothing after it on its line but a full stop or "!". Searched only at line ends.
_LETTER_ALONE = re.compile(
    r"(?:^|(?<=[.!?])|(?<=[.!?][\"'\u201d\u2019)]))[ \t]*(?P<letter>[A-DF])(?P<mod>[+\-−]?)[.!]?[ \t]*$",
    re.MULTILINE,
)
_GIVE_NUMBER = re.compile(
    rf"\b{_GRADE_CUE}\w*\s*(?:it|this(?:\s+\w+)?|the\s+film|the\s+movie)?\s*(?:an?\s+)?:?\s*"
    rf"(?P<num>\d{{1,2}}(?:\.\d)?|{_WORD_NUM})(?![\w/%]|\.\d|-\w|\s*(?:out|stars?|/)){_AFTER_OK}",
    re.IGNORECASE,
)
_WINDOW = 60  # characters searched on each side of a needle ("out of", "/", "star")
_CUES = ("grade", "rat", "score", "verdict", "giv", "gave", "award", "mark")
_OWNER_BEFORE = re.compile(r"\b(?:the|its|their|his|her|these|those)\s*$", re.I)
_ADJECTIVE_BEFORE = re.compile(r"\b(?:the|a|an|that|this|those|these|my|his|her|their|its)\s*$", re.I)


def _number(text: str) -> float:
    text = text.strip().lower().replace(",", ".")
    if text.endswith("½"):
        head = text[:-1].strip()
        return (float(head) if head else 0.0) + 0.5
    if text in _NUMBER_WORDS:
        return float(_NUMBER_WORDS[text])
    return float(text)


def _half(text: str | None) -> float:
    return 0.5 if text and text.strip() else 0.0


def _cue_starts(low: str) -> list[int]:
    """Where grade cue words start in the lowercased text (str.find is far faster than a regex)."""
    starts = []
    for cue in _CUES:
        at = low.find(cue)
        while at >= 0:
            if at == 0 or not low[at - 1].isalnum():
                starts.append(at)
            at = low.find(cue, at + 1)
    return sorted(starts)


def _after_cues(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """Matches of a cue-led pattern, tried only where a cue word starts."""
    for at in starts:
        m = pattern.match(text, at)
        if m:
            yield m


def _near(pattern: re.Pattern[str], text: str, low: str, needles: tuple[str, ...]) -> Iterator[re.Match[str]]:
    """Matches of `pattern` around each occurrence of a needle: a window search instead of a
    whole-text scan. The window reaches far enough past any grade for its look-aheads to see."""
    seen: set[tuple[int, int]] = set()
    for needle in needles:
        at = low.find(needle)
        while at >= 0:
            start, end = max(0, at - _WINDOW), min(len(text), at + _WINDOW)
            for m in pattern.finditer(text, start, end):
                if m.span() not in seen and (end == len(text) or m.end() <= end - _WINDOW // 2):
                    seen.add(m.span())
                    yield m
            at = low.find(needle, at + 1)


def _candidates(text: str) -> list[Grade]:
    found: list[Grade] = []
    low = lower(text)  # offsets in it are offsets in text
    # Each form needs a literal that is cheap to look for; most reviews have none of them.
    cues = _cue_starts(low)
    symbols = "★" in text or "*" in text or "☆" in text

    def add(m: re.Match[str], value: float, scale: float) -> None:
        if scale in _SCALES and 0 <= value <= scale:
            found.append(Grade(m.start(), m.end(), m.group().strip(), round(value / scale * 10, 2), scale))

    for m in _near(_FRACTION, text, low, ("/", "out of", "outta")):
        if _ADJECTIVE_BEFORE.search(text, max(0, m.start() - 8), m.start()) and _followed_by_word(
            text, m.end()
        ):
            continue
        add(m, _number(m["num"]), float(m["scale"]))
    for m in _near(_WORD_FRACTION, text, low, ("out of",)):
        add(m, _number(m["num"]) + _half(m["half"]), _number(m["scale"]))
    for m in _near(_STARS_WORDS, text, low, ("star",)):
        if _overlaps(found, m) or m["num"].lower() in {"a", "an"}:
            continue
        if _ADJECTIVE_BEFORE.search(text, max(0, m.start() - 8), m.start()) and "-" in m.group():
            continue
        if _OWNER_BEFORE.search(text, max(0, m.start() - 8), m.start()):
            continue  # "the two stars", "its two stars": actors
        add(m, _number(m["num"]) + _half(m["half"]), _DEFAULT_STAR_SCALE)
    for m in _STAR_SYMBOLS.finditer(text) if symbols else ():
        full = m["full"] or ""
        half = m["half"] or m["lead"]
        if full.startswith("*") and (len(full) < 2 and not half):
            continue  # a lone asterisk is a footnote, not a grade
        if m["of"]:  # "*** out of ****", "***1/2 out of 5", "**** (out of four)"
            scale = float(len(m["of"])) if m["of"][0] in "★*☆" else _number(m["of"])
        else:
            scale = float(len(full) + (1 if half else 0) + len(m["empty"]))
        scale = scale if m["of"] or m["empty"] else _DEFAULT_STAR_SCALE
        if full.startswith("*") and not (m["of"] or _cued(text, m.start()) or _alone_at_end(text, m)):
            continue  # bare asterisks are emphasis unless a scale, a cue or their place says otherwise
        add(m, len(full) + _half(half), max(scale, len(full)))
    for m in _after_cues(_LETTER, text, cues):
        if m["letter"].islower() and not m["mod"]:
            continue  # "give it a go", "rate a film"
        found.append(_letter_grade(m, text))
    for m in _letters_alone(text):
        initial = not m["mod"] and m.group().rstrip().endswith(".") and _line_start(text, m.start("letter"))
        if not (_overlaps(found, m) or initial):  # "F." alone on a line signs a review, it does not grade it
            found.append(_letter_grade(m, text))
    for m in _after_cues(_GIVE_NUMBER, text, cues):
        if not _overlaps(found, m):
            add(m, _number(m["num"]), 10.0)
    return found


def _letter_grade(m: re.Match[str], text: str) -> Grade:
    written = text[m.start("letter") : m.end("mod")]
    key = m["letter"].upper() + m["mod"].replace("−", "-")
    return Grade(m.start("letter"), m.end("mod"), written, _LETTERS.get(key, _LETTERS[key[:1]]), 10.0)


def _letters_alone(text: str) -> Iterator[re.Match[str]]:
    """Letter grades alone at the end of a line, tried only at line ends (most lines end otherwise)."""
    end = len(text)
    while end > 0:
        line_start = text.rfind("\n", 0, end) + 1
        m = _LETTER_ALONE.search(text, max(line_start, end - 8), end)
        if m:
            yield m
        end = line_start - 1


def _line_start(text: str, at: int) -> bool:
    return not text[:at].rstrip(" \t") or text[:at].rstrip(" \t")[-1] == "\n"


def _alone_at_end(text: str, m: re.Match[str]) -> bool:
    """Whether a match ends the text and starts it, a line or a sentence ("Great fun. *****")."""
    before = text[: m.start()].rstrip(" \t")
    return not text[m.end() :].strip(" \t\n.!") and (not before or before[-1] in ".!?\n")


def _followed_by_word(text: str, end: int) -> bool:
    rest = text[end : end + 20].lstrip(" ")
    return bool(rest[:1].isalpha())


def _cued(text: str, start: int) -> bool:
    return bool(re.search(rf"{_GRADE_CUE}\w*\W{{0,12}}$", text[max(0, start - 30) : start], re.I))


def _overlaps(found: list[Grade], m: re.Match[str]) -> bool:
    return any(g.start < m.end() and m.start() < g.end for g in found)


def find_grade(text: str) -> Grade | None:
    """The reviewer's own grade, the last one stated, or None when the text states none."""
    candidates = _candidates(text)
    if not candidates:
        return None
    return max(candidates, key=lambda g: (g.end, g.end - g.start))
