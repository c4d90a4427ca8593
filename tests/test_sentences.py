import pytest

from reelsense.sentences import split_sentences

CASES = [
    (
        "Mr. Smith went to Washington. He liked it!",
        ["Mr. Smith went to Washington.", "He liked it!"],
    ),
    ("J.K. Rowling wrote it. Dr. No is a film.", ["J.K. Rowling wrote it.", "Dr. No is a film."]),
    ("Wait... what? No.", ["Wait... what?", "No."]),
    ('She said "Go." Then left.', ['She said "Go."', "Then left."]),
    ("first paragraph\n\nsecond one", ["first paragraph", "second one"]),
    ("a line that wraps\nin the middle", ["a line that wraps\nin the middle"]),
    ("i loved it. it was great", ["i loved it.", "it was great"]),
    ("no punctuation at all here", ["no punctuation at all here"]),
    ("   ", []),
]


@pytest.mark.parametrize("text,expected", CASES)
def test_sentences_split(text: str, expected: list[str]) -> None:
    assert [text[a:b] for a, b in split_sentences(text)] == expected
