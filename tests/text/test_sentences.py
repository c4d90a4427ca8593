from itertools import pairwise

import pytest

from reelsense.text.sentences import split_sentences

CASES = [
    (
        "Mr. Smith went to Washington. He liked it!",
        ["Mr. Smith went to Washington.", "He liked it!"],
    ),
    ("J.K. Rowling wrote it. Dr. No is a film.", ["J.K. Rowling wrote it.", "Dr. No is a film."]),
    ("J. K. Simmons shines. So does the score.", ["J. K. Simmons shines.", "So does the score."]),
    ("It is Kramer vs. Kramer all over again. Sadly.", ["It is Kramer vs. Kramer all over again.", "Sadly."]),
    ("Wait... what? No.", ["Wait... what?", "No."]),
    ("The answer is no. He left.", ["The answer is no.", "He left."]),
    ("It won No. 5 on the list. Deservedly.", ["It won No. 5 on the list.", "Deservedly."]),
    ('She said "Go." Then left.', ['She said "Go."', "Then left."]),
    (
        'He yells "Run! Now!" and the bridge falls. Great scene.',
        ['He yells "Run! Now!" and the bridge falls.', "Great scene."],
    ),
    (
        "The song \u201cHelp! I Need Somebody.\u201d plays twice. Too often.",
        ["The song \u201cHelp! I Need Somebody.\u201d plays twice.", "Too often."],
    ),
    (
        "The cast (I counted. Twelve!) is huge. It works.",
        ["The cast (I counted. Twelve!) is huge.", "It works."],
    ),
    ("(Spoilers ahead.) The twist is dumb.", ["(Spoilers ahead.)", "The twist is dumb."]),
    ("first paragraph\n\nsecond one", ["first paragraph", "second one"]),
    ("a line that wraps\nin the middle", ["a line that wraps\nin the middle"]),
    ("Great film.\nLoved it", ["Great film.", "Loved it"]),
    (
        "My list:\n1. The acting. Superb.\n2. The score\n- the ending",
        ["My list:", "1. The acting.", "Superb.", "2. The score", "- the ending"],
    ),
    ("i loved it. it was great", ["i loved it.", "it was great"]),
    ("no punctuation at all here", ["no punctuation at all here"]),
    ("It was born in 1950. The film is old.", ["It was born in 1950.", "The film is old."]),
    ("   ", []),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_sentences_split(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in split_sentences(text)] == expected


def test_sentences_run_on_text_is_cut_into_clauses() -> None:
    text = (
        "this movie was a lot of fun to watch with my family on a sunday afternoon "
        "the acting was really good especially the young lead who carried every scene "
        "but the plot made no sense at all and the ending just fell apart completely "
        "i would still watch it again with the kids"
    )
    pieces = [text[a:b] for a, b in split_sentences(text)]
    assert pieces == [
        "this movie was a lot of fun to watch with my family on a sunday afternoon",
        "the acting was really good especially the young lead who carried every scene",
        "but the plot made no sense at all and the ending just fell apart completely",
        "i would still watch it again with the kids",
    ]


def test_sentences_spans_tile_the_words() -> None:
    text = "One. Two!  Three? (Four.) Five\u2026 six\n\nSeven"
    spans = split_sentences(text)
    assert all(a < b for a, b in spans)
    assert all(b1 <= a2 for (_, b1), (a2, _) in pairwise(spans))
    assert "".join(text[a:b] for a, b in spans).replace(" ", "") == text.replace(" ", "").replace("\n", "")


def test_sentences_run_on_text_is_cut_as_counting_words_by_splitting_would() -> None:
    """Clause cuts count words by bisection over the word spans: the same cuts as splitting."""
    import random

    from reelsense.text import sentences

    vocab = "the film is good and but so then because while although which who i think it was bad".split()
    rng = random.Random(7)
    for _ in range(200):
        text = " ".join(rng.choice(vocab + ["  ", "\u00a0x"]) for _ in range(rng.randint(40, 300)))
        spans = sentences.split_sentences(text)
        assert all(0 <= a < b <= len(text) for a, b in spans)
        # the reference: every cut by the rule, its words counted with str.split
        cuts = [0]
        for m in sentences._CLAUSE_START.finditer(text):
            before = len(text[cuts[-1] : m.start()].split())
            after = len(text[m.end() :].split())
            previous = text[max(0, m.start() - 12) : m.start()].split()[-1:]
            joined = bool(previous) and previous[0].lower() in sentences._JOINING
            if before >= sentences._MIN_CLAUSE_WORDS and after >= sentences._MIN_CLAUSE_WORDS and not joined:
                cuts.append(m.end())
        if len(text.split()) >= sentences._RUN_ON_WORDS:
            expected = [
                s
                for a, b in zip(cuts, [*cuts[1:], len(text)], strict=True)
                if (s := sentences._trimmed(text, a, b))
            ]
            assert spans == expected
