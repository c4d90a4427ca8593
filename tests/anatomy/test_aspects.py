from collections import Counter

import pytest

from reelsense.anatomy.aspects import (
    ASPECTS,
    aspect_pieces,
    find_aspect_terms,
    summarise_aspect,
)
from reelsense.anatomy.lexicon import PhraseMatcher, aspect_taxonomy
from reelsense.review import Evidence
from reelsense.text.tokens import tokenize

from ..conftest import ROOT


def test_aspects_taxonomy_covers_what_the_issue_asks() -> None:
    assert list(ASPECTS) == [
        "acting", "direction", "story", "music", "visuals", "pacing", "impact", "humour", "originality",
    ]  # fmt: skip
    for name, spec in aspect_taxonomy().items():
        assert spec["description"] and spec["examples"], name
        assert spec["terms"] and (spec["positive"] or spec["negative"]), name


def test_aspects_no_phrase_belongs_to_two_places() -> None:
    counts = Counter(
        phrase
        for spec in aspect_taxonomy().values()
        for key in ("terms", "positive", "negative")
        for phrase in spec[key]
    )
    assert [p for p, n in counts.items() if n > 1] == []


def test_aspects_readme_and_labelling_guide_list_every_aspect() -> None:
    for doc in ("README.md", "docs/labelling.md"):
        text = (ROOT / doc).read_text()
        assert all(f"| {name} |" in text for name in ASPECTS), doc


def mentions(text: str) -> list[tuple[str, str, int]]:
    tokens = tokenize(text)
    return [(m.aspect, " ".join(tokens[m.start : m.end]), m.cue) for m in find_aspect_terms(tokens)]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("The cast is superb", [("acting", "cast", 0)]),
        (
            "beautifully shot and well-acted",
            [("visuals", "beautifully shot", 1), ("acting", "well acted", 1)],
        ),
        ("hilarious but predictable", [("humour", "hilarious", 1), ("originality", "predictable", -1)]),
        ("never boring", [("impact", "boring", 1)]),  # a negated judging word turns
        ("it is not predictable at all", [("originality", "predictable", 1)]),
        ("worse than the original", []),  # "the original" is the earlier film
        ("the side effects of fame", []),
        ("the special effects", [("visuals", "special effects", 0)]),
        ("he had a heart attack", []),
    ],
)
def test_aspects_find_aspect_terms(text: str, expected: list[tuple[str, str, int]]) -> None:
    assert mentions(text) == expected


def test_aspects_pieces_cut_between_different_aspects() -> None:
    tokens = tokenize("the cinematography is stunning the cast is wonderful and the score is forgettable")
    breaks = [False] * len(tokens)
    breaks[4] = True  # a comma before "the cast"
    found = find_aspect_terms(tokens)
    pieces = aspect_pieces(tokens, found, [], breaks)
    assert [" ".join(tokens[a:b]) for a, b in pieces] == [
        "the cinematography is stunning",
        "the cast is wonderful",
        "and the score is forgettable",
    ]


def test_aspects_pieces_keep_one_aspect_whole() -> None:
    tokens = tokenize("the cast and the lead actress are wonderful")
    assert aspect_pieces(tokens, find_aspect_terms(tokens), [], [False] * len(tokens)) == [(0, len(tokens))]


def evidence(*scores: float) -> list[Evidence]:
    return [
        Evidence(10 * i, 10 * i + 9, f"sentence {i}", 10 * i, 10 * i + 4, s) for i, s in enumerate(scores)
    ]


def test_aspects_summary_polarity_and_evidence_order() -> None:
    positive = summarise_aspect("acting", evidence(0.4, 0.9, -0.1))
    assert (positive.polarity, positive.score, positive.mentions) == ("positive", 0.4, 3)
    assert [e.score for e in positive.evidence] == [0.9, 0.4, -0.1]
    mixed = summarise_aspect("story", evidence(0.8, -0.7))
    assert mixed.polarity == "mixed"
    negative = summarise_aspect("pacing", evidence(-0.9))
    assert (negative.polarity, negative.score) == ("negative", -0.9)
    assert len(summarise_aspect("music", evidence(0.5, 0.6, 0.7, 0.8)).evidence) == 3


def test_lexicon_matcher_prefers_the_longest_phrase() -> None:
    matcher = PhraseMatcher([("slow", "a"), ("slow motion", "b"), ("motion", "c")])
    found = matcher.find(tokenize("slow motion then slow"))
    assert [(m.start, m.end, m.value) for m in found] == [(0, 2, "b"), (3, 4, "a")]
