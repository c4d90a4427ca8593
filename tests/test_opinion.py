import pytest

from reelsense.features import tokenize
from reelsense.opinion import (
    CONCESSION,
    MAIN,
    NEGATED,
    NEGATED_EMPHATIC,
    Clause,
    clause_adjustment,
    faint_praise,
    opinion_score,
    split_clauses,
)


def clauses_of(text: str) -> list[tuple[str, float]]:
    """The clauses of a sentence as (words, weight), commas read from the text."""
    tokens: list[str] = []
    commas: list[bool] = []
    for k, piece in enumerate(text.split(",")):
        words = tokenize(piece)
        tokens += words
        commas += [k > 0 and i == 0 for i in range(len(words))]
    parts = split_clauses(tokens, commas)
    return [(" ".join(tokens[c.start : c.end]), round(c.weight, 2)) for c in parts]


def test_opinion_but_makes_the_second_clause_count_most() -> None:
    assert clauses_of("beautiful but hollow") == [("beautiful", CONCESSION), ("but hollow", MAIN)]


def test_opinion_although_opens_a_concession() -> None:
    assert clauses_of("although the plot is thin , the cast is great") == [
        ("although the plot is thin", CONCESSION),
        ("the cast is great", MAIN),
    ]
    assert clauses_of("the cast is great , although the plot is thin") == [
        ("the cast is great", MAIN),
        ("although the plot is thin", CONCESSION),
    ]


def test_opinion_but_that_does_not_contrast_leaves_one_clause() -> None:
    assert clauses_of("it was anything but dull") == [("it was anything but dull", 1.0)]
    assert clauses_of("not only funny but also moving") == [("not only funny but also moving", 1.0)]
    assert clauses_of("but it works") == [("but it works", 1.0)]  # contrasts with the sentence before


def test_opinion_clause_weights_keep_the_sum_of_a_sentence() -> None:
    parts = split_clauses(tokenize("good but bad but fine"), [False] * 5)
    assert sum(c.weight for c in parts) == pytest.approx(len(parts))
    assert all(isinstance(c, Clause) for c in parts)


@pytest.mark.parametrize(
    "text,logit,expected",
    [
        ("not bad", -1.0, NEGATED),  # a negated criticism is praise, whatever the n-grams say
        ("not bad at all", -1.0, NEGATED_EMPHATIC),
        ("never boring", -2.0, NEGATED),
        ("not good", 1.0, -NEGATED),
        ("hardly convincing", 0.5, -NEGATED),
        ("not the best", 1.0, -0.4),
        ("not the worst", 0.3, 0.3),  # faint praise: left to the sentence rule
        ("no doubt it is good", 0.5, 0.9),  # "no doubt" does not negate; "good" nudges up
        ("not only good", 0.0, 0.4),
    ],
)
def test_opinion_negation_turns_the_clause(text: str, logit: float, expected: float) -> None:
    assert clause_adjustment(tokenize(text), logit) == pytest.approx(expected)


def test_opinion_judging_words_nudge_at_most_twice() -> None:
    assert clause_adjustment(tokenize("great superb wonderful brilliant"), 0.0) == pytest.approx(0.8)
    assert clause_adjustment(tokenize("it is a film"), 0.3) == 0.3


@pytest.mark.parametrize(
    "text,faint",
    [
        ("At least the costumes were nice.", True),
        ("It was watchable, I guess.", True),
        ("The only good thing was the music.", True),
        ("I have seen it at least five times.", False),
        ("A wonderful film.", False),
    ],
)
def test_opinion_faint_praise(text: str, faint: bool) -> None:
    assert faint_praise(tokenize(text)) is faint


@pytest.mark.parametrize(
    "text,p,aspects,opinion",
    [
        ("I loved this movie and you will too.", 0.9, 0, True),
        ("The acting is wooden.", 0.2, 1, True),
        ("He finds a bag of money and hides it from his wife.", 0.5, 0, False),
        ("Jack and Maria meet in Paris after the war.", 0.55, 0, False),
    ],
)
def test_opinion_tells_opinion_from_narration(text: str, p: float, aspects: int, opinion: bool) -> None:
    assert (opinion_score(tokenize(text), text, p, aspects) > 0) is opinion
