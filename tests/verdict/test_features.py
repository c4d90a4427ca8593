import numpy as np

from reelsense.verdict.features import FeatureHasher


def test_features_ngrams_stay_inside_sentences() -> None:
    hasher = FeatureHasher(["a", "b", "c"], bits=10, max_n=2, tail_tokens=-1)
    occ = hasher.occurrences([[hasher.ids(["a", "b"]), hasher.ids(["c"])]])
    # two unigrams + one bigram in the first sentence, one unigram in the second
    assert sorted(zip(occ.sentence.tolist(), occ.length.tolist(), strict=True)) == [
        (0, 1),
        (0, 1),
        (0, 2),
        (1, 1),
    ]
    assert not occ.positional.any()


def test_features_tail_namespace_covers_the_last_tokens() -> None:
    hasher = FeatureHasher(["a", "b"], bits=12, max_n=1, tail_tokens=1)
    occ = hasher.occurrences([[hasher.ids(["a", "b", "a"])]])
    assert occ.positional.sum() == 1
    tail_token = occ.token[occ.positional]
    assert tail_token.tolist() == [2]
    assert len(np.unique(occ.feature)) == 3  # a, b, and the tail copy of the last a


def test_features_negation_scope_marks_the_next_words_of_the_sentence() -> None:
    hasher = FeatureHasher(
        ["not", "bad", "at", "all", "good"], bits=12, max_n=1, tail_tokens=-1, negation_scope=2
    )
    plain = FeatureHasher(["not", "bad", "at", "all", "good"], bits=12, max_n=1, tail_tokens=-1)
    sentences = [hasher.ids(["not", "bad", "at", "all"]), hasher.ids(["good"])]
    negated = hasher.occurrences([sentences])
    base = plain.occurrences([sentences])
    extra = sorted(set(negated.feature.tolist()) - set(base.feature.tolist()))
    assert len(negated.feature) == len(base.feature) + 2  # "bad" and "at"; "good" is past a sentence end
    assert len(extra) == 2
    assert sorted(negated.token[len(base.feature) :].tolist()) == [1, 2]
