from reelsense.anatomy.lexicon import Match, PhraseMatcher, aspect_taxonomy, opinion_lexicon
from reelsense.text.tokens import tokenize


def test_lexicon_matcher_finds_phrases_left_to_right_with_their_values() -> None:
    matcher = PhraseMatcher([("score", "music"), ("well acted", "acting+"), ("plot", "story")])
    tokens = tokenize("The plot drags but it is well acted and the score soars.")
    assert matcher.find(tokens) == [Match(1, 2, "story"), Match(6, 8, "acting+"), Match(10, 11, "music")]
    assert matcher.first_tokens == frozenset({"score", "well", "plot"})


def test_lexicon_matcher_takes_the_longest_phrase_at_each_place() -> None:
    matcher = PhraseMatcher([("cast", 1), ("cast aside", 2), ("supporting cast", 3)])
    assert matcher.find(tokenize("the supporting cast")) == [Match(1, 3, 3)]
    assert matcher.find(tokenize("a cast aside")) == [Match(1, 3, 2)]
    assert matcher.find(tokenize("a cast apart")) == [Match(1, 2, 1)]


def test_lexicon_matcher_does_not_overlap_matches() -> None:
    matcher = PhraseMatcher([("very good", "a"), ("good film", "b")])
    # "good" starts "good film" but is inside "very good", so only the first phrase counts.
    assert matcher.find(["a", "very", "good", "film"]) == [Match(1, 3, "a")]


def test_lexicon_matcher_matches_on_model_tokens() -> None:
    """Phrases are tokenised as reviews are: hyphens split words, "n't" splits off, case is folded."""
    matcher = PhraseMatcher([("Well-Acted", "w"), ("isn't", "n")])
    assert matcher.find(tokenize("Well acted, though it isn't new.")) == [Match(0, 2, "w"), Match(4, 6, "n")]


def test_lexicon_matcher_ignores_empty_phrases_and_a_phrase_cut_off_at_the_end() -> None:
    matcher = PhraseMatcher([("", "empty"), ("...", "punctuation"), ("steals the show", "s")])
    assert matcher.first_tokens == frozenset({"steals"})
    assert matcher.find(["she", "steals", "the"]) == []
    assert matcher.find([]) == []


def test_lexicon_shipped_lists_have_their_documented_shape() -> None:
    taxonomy = aspect_taxonomy()
    assert list(taxonomy) == [
        "acting", "direction", "story", "music", "visuals", "pacing", "impact", "humour", "originality",
    ]  # fmt: skip
    for name, aspect in taxonomy.items():
        assert sorted(aspect) == ["description", "examples", "ignore", "negative", "positive", "terms"], name
        assert all(isinstance(term, str) and term for term in aspect["terms"]), name
    lexicon = opinion_lexicon()
    assert {"positive", "negative", "negators"} <= set(lexicon)
    assert opinion_lexicon() is lexicon  # read once
