import pytest

from reelsense import InputError, Review
from reelsense.text.reading import READ_ASSIGNS, check_text, layout_of, read


def test_reading_fills_what_it_declares() -> None:
    review = read(Review(text="<b>Great</b> film, 8/10. The end drags."))
    assert review.normalized == "Great film, 8/10. The end drags."
    assert review.flags == ("html_removed",)
    assert [(s.start, s.end, s.text) for s in review.sentences] == [
        (3, 24, "Great film, 8/10."),
        (25, 39, "The end drags."),
    ]
    assert review.grade is not None and review.grade.value == 8.0
    assert review.text[review.grade.start : review.grade.end] == "8/10"
    layout = layout_of(review)
    assert layout.spans == ((0, 17), (18, 32)) and layout.tokens == (
        ["great", "film", "8", "10"],
        ["the", "end", "drags"],
    )
    assert READ_ASSIGNS == {"normalized", "flags", "sentences", "grade", "layout"}


def test_reading_an_unread_review_has_no_layout() -> None:
    with pytest.raises(
        ValueError, match=r"^review 'r9' has not been read: run it through a Pipeline or `read` first$"
    ):
        layout_of(Review(text="x", id="r9"))


def test_reading_markup_with_no_text_is_rejected() -> None:
    with pytest.raises(InputError, match="no words left after removing HTML markup"):
        read(Review(text="<br/><br/>", id="r1"))


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        (b"\xff\xfe", "not valid UTF-8 (byte 0xff at offset 0)"),
        (42, "expected text, got int"),
        ("   ", "empty text"),
        ("!!! ???", "no words to analyse"),
        ("a\x00b", "looks like binary data, not text (1 control characters)"),
    ],
)
def test_reading_check_text_says_what_is_wrong(text: object, reason: str) -> None:
    with pytest.raises(InputError) as caught:
        check_text(text, "r1")
    assert caught.value.reason == reason and caught.value.record == "r1"


def test_reading_check_text_names_the_limit() -> None:
    with pytest.raises(InputError) as caught:
        check_text("word " * 10, None, max_chars=20)
    assert caught.value.reason == (
        "too long: 50 characters, the limit is 20 "
        "(raise it with max_chars / --max-chars if this really is one review)"
    )
    assert check_text(b"caf\xc3\xa9 noir", None) == "café noir"


def test_reading_layout_offsets_are_each_sentences_token_spans() -> None:
    from reelsense.text.tokens import expand_spans

    review = read(Review(text="<i>It isn't</i> bad — really. The cast's fine; the end drags!"))
    layout = layout_of(review)
    for s, (a, b) in enumerate(layout.spans):
        offsets = layout.offsets(s)
        assert offsets == expand_spans(layout.cleaned.text, a, b) and layout.offsets(s) is offsets
        assert len(offsets) == len(layout.tokens[s])
