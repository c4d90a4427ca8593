import pytest

from reelsense import Pipeline
from reelsense.anatomy.opinion import (
    CONCESSION,
    LEANS,
    MAIN,
    NEGATED,
    NEGATED_EMPHATIC,
    PLACE,
    SIGNS,
    Clause,
    OpinionModel,
    SentenceSigns,
    SignWords,
    clause_adjustment,
    faint_praise,
    lean_features,
    place_features,
    split_clauses,
)
from reelsense.text.tokens import tokenize


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
    "text,kinds",
    [
        ("I loved this movie and you will too.", ["opinion"]),
        ("The acting is wooden.", ["opinion"]),
        ("She despises her father and plots to ruin him.", ["narration"]),
        ("He finds a bag of money and hides it from his wife.", ["narration"]),
        (
            "Jack and Maria meet in Paris after the war. She works in a bakery and he sells stolen "
            "cars. Her brother wants him dead. I found all of it tedious and badly acted.",
            ["narration", "narration", "narration", "opinion"],
        ),
        (
            "I hated this film. The villain is a cruel man who kills for fun. He hunts a family across "
            "Texas. Avoid it.",
            ["opinion", "narration", "narration", "opinion"],
        ),
        ("The evil stepmother hates Cinderella and locks her in the attic.", ["narration"]),
    ],
)
def test_opinion_tells_opinion_from_narration(pipeline: Pipeline, text: str, kinds: list[str]) -> None:
    assert [s.kind for s in pipeline.analyze(text).sentences] == kinds


def test_opinion_narration_carries_no_sentiment_and_no_aspects(pipeline: Pipeline) -> None:
    review = pipeline.analyze("Her cruel husband beats her, and she runs away with the children.")
    assert [(s.kind, s.sentiment) for s in review.sentences] == [("narration", "neutral")]
    assert review.aspects == () and review.pull_quote is None


def test_opinion_place_features_read_the_neighbours_and_the_review() -> None:
    assert place_features([1.0, -1.0, 3.0]) == [
        (1.0, -1.0, 1.0, 0.0, 1.0, 0.0),
        (-1.0, 2.0, 1.0, 0.5, 0.0, 0.0),
        (3.0, -1.0, 1.0, 1.0, 0.0, 1.0),
    ]
    assert place_features([2.0]) == [(2.0, 0.0, 2.0, 0.0, 1.0, 1.0)]


def test_opinion_model_scores_words_signs_and_place() -> None:
    model = OpinionModel(
        bias=-1.0,
        signs=dict.fromkeys(SIGNS, 0.0) | {"reviewer": 2.0},
        words={"kills": -3.0, "boring": 1.0},
        place_bias=0.5,
        place=dict.fromkeys(PLACE, 0.0) | {"own": 1.0, "neighbours": 0.5},
        sentiment_bias={"negative": 0.0, "neutral": 1.0, "positive": 0.0},
        sentiment_weights={
            "negative": dict.fromkeys(LEANS, 0.0) | {"logit": -1.0},
            "neutral": dict.fromkeys(LEANS, 0.0),
            "positive": dict.fromkeys(LEANS, 0.0) | {"logit": 1.0},
        },
        sign_words=SignWords.from_lexicon(),
    )
    kills = SentenceSigns(["he", "kills", "him"], "He kills him.", 0.5, 0)
    bored = SentenceSigns(["i", "was", "boring"], "I was boring.", 0.5, 0)
    assert model.own(kills) == -4.0  # bias and the mean lean of its one known word
    assert model.own(bored) == 2.0  # bias, "reviewer", and "boring" (the other words are unknown)
    assert model.scores([kills, bored]) == [0.5 - 4.0 + 1.0, 0.5 + 2.0 - 2.0]
    # an opinion leans the way its log-odds point once they outweigh neutral's bias; narration never
    assert [model.sentiment(p, 1.0, False) for p in (0.9, 0.6, 0.1)] == ["positive", "neutral", "negative"]
    assert model.sentiment(0.99, -0.1, False) == "neutral"
    assert lean_features(0.5, 2.0, True) == (0.0, 0.0, 2.0, 1.0)


def test_opinion_model_refuses_another_format() -> None:
    with pytest.raises(ValueError, match="opinion model format 9, expected 3"):
        OpinionModel.from_dict({"format": 9})


def test_opinion_shipped_model_knows_its_signs_and_many_words() -> None:
    model = OpinionModel.load()
    assert model.sign_words == SignWords.from_lexicon()  # the file's lists are today's opinion.toml's
    assert set(model.signs) == set(SIGNS) and set(model.place) == set(PLACE)
    assert len(model.words) > 20_000
    assert model.words["recommend"] > 0 > model.words["kills"]
