"""Results for notebooks and data tools: frames with a row per record, a short repr, safe HTML."""

import sys

import pytest

from reelsense import Pipeline, Rejected, aspects_frame, mentions_frame, to_frame
from reelsense.frames import REVIEW_COLUMNS

TEXTS = [
    "Martin Scorsese directs with real verve. The score is haunting and the cast is superb.",
    "   ",
    'A dull mess. <script>alert("owned")</script> The plot makes no sense.',
]


@pytest.fixture(scope="module")
def results(pipeline: Pipeline) -> list:
    return list(pipeline.analyze_many(TEXTS))


def test_frames_plain_strings_are_numbered_in_order(results: list) -> None:
    assert [r.id for r in results] == ["0", "1", "2"]
    assert isinstance(results[1], Rejected)


def test_frames_one_row_per_record_rejected_included(results: list) -> None:
    frame = to_frame(results)
    assert list(frame.columns) == list(REVIEW_COLUMNS) and len(frame) == 3
    assert frame["verdict"].tolist()[0] == "positive" and frame["verdict"].tolist()[2] == "negative"
    assert frame["rejected"].tolist()[1] and frame["verdict"].isna().tolist()[1]
    assert frame["sentences"].tolist()[0] == 2 and "music positive" in frame["aspects"].tolist()[0]


def test_frames_aspects_and_mentions_a_row_each(results: list) -> None:
    aspects = aspects_frame(results)
    assert {"music", "acting"} <= set(aspects.loc[aspects["id"] == "0", "aspect"])
    assert set(aspects["polarity"]) <= {"positive", "negative", "mixed"}
    mentions = mentions_frame(results)
    found = set(zip(mentions["id"], mentions["kind"], mentions["name"], strict=True))
    assert ("0", "person", "Martin Scorsese") in found


def test_frames_a_review_prints_short_and_renders_safe_html(results: list) -> None:
    shown = repr(results[0])
    assert shown.startswith("Review(id='0', verdict='positive', probability=") and len(shown) < 300
    assert "text='Martin Scorsese directs with real verve. The score is haunt…')" in shown
    page = results[2]._repr_html_()
    assert "<script" not in page and "&lt;script&gt;" in page
    assert page.count("<span ") == len(results[2].sentences) and "negative" in page


def test_frames_without_pandas_say_how_to_get_it(results: list, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r"pip install 'reelsense\[frames\]'"):
        to_frame(results)
