"""Properties that hold for any input text (hypothesis draws them, leaning on what breaks offsets:
characters whose lowercase is longer, ligatures, combining marks, HTML, contractions, grades)."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reelsense import Item, Pipeline, Rejected, Review
from reelsense.text.normalise import clean
from reelsense.text.sentences import split_sentences
from reelsense.text.tokens import expand_spans, lower, tokenize

PIECES = [
    "İstanbul", "İ", "ß", "ﬁlm", "e\u0301", "Ångström", "ΣΊΣΥΦΟΣ", "😀", "\u200b", "\ufeff", "\u00a0",
    "don't", "dont", "can't", "isnt", "n't", "Lee's", "“Vertigo” (1958)", "3/4", "★★★★½", "B+",
    "two and a half stars out of four", "&amp;", "&nbsp;", "<br />", "<i>great</i>", "...", "!?", "—",
    "the plot", "superb acting", "the score is lovely", "Martin Scorsese", "boring", "not bad at all",
    ". ", ", ", " ", "\n", "(", ")", "'", '"',
]  # fmt: skip
texts = st.lists(
    st.one_of(st.sampled_from(PIECES), st.text(min_size=1, max_size=6)), min_size=1, max_size=30
).map("".join)
SETTINGS = settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


def spans_of(found: Any, path: str = "") -> list[tuple[str, dict[str, Any]]]:
    """Every object in a result that has a span (start, end, text) or a term span."""
    out: list[tuple[str, dict[str, Any]]] = []
    if isinstance(found, dict):
        if isinstance(found.get("start"), int) and isinstance(found.get("end"), int):
            out.append((path, found))
        for key, value in found.items():
            out += spans_of(value, f"{path}/{key}")
    elif isinstance(found, list):
        for i, value in enumerate(found):
            out += spans_of(value, f"{path}[{i}]")
    return out


@given(texts)
def test_properties_lower_keeps_one_character_for_one(text: str) -> None:
    assert len(lower(text)) == len(text)


@given(texts)
def test_properties_token_offsets_point_at_their_tokens(text: str) -> None:
    spans = expand_spans(text, 0, len(text))
    assert len(spans) == len(tokenize(text))
    assert [a for a, _ in spans] == sorted(a for a, _ in spans)
    for a, b in spans:
        assert 0 <= a < b <= len(text)
        assert tokenize(text[a:b])  # a span holds a token ("dont" holds both "do" and "n't")


@given(texts)
def test_properties_cleaning_and_sentences_map_back_into_the_original(text: str) -> None:
    cleaned = clean(text)
    for a, b in split_sentences(cleaned.text):
        assert 0 <= a < b <= len(cleaned.text)
        start, end = cleaned.span(a, b)
        assert 0 <= start <= end <= len(text)


@SETTINGS
@given(texts)
def test_properties_every_span_of_a_result_is_its_text(pipeline: Pipeline, text: str) -> None:
    (result,) = pipeline.pipe([Item(text)])
    if isinstance(result, Rejected):
        assert result.reason
        return
    assert isinstance(result, Review)
    found = result.to_dict()
    assert 0.0 <= (found["probability"] or 0.0) <= 1.0 and 0.0 <= found["rating"] <= 10.0
    cleaned = {"html_removed", "control_characters_removed"} & set(found["flags"])
    for path, span in spans_of(found):
        assert 0 <= span["start"] <= span["end"] <= len(text), path
        if "text" in span and not cleaned:  # else its text is the slice with the markup cleaned
            assert text[span["start"] : span["end"]] == span["text"], path
        if "term_start" in span:
            assert span["start"] <= span["term_start"] < span["term_end"] <= span["end"], path
    starts = [s["start"] for s in found["sentences"]]
    assert starts == sorted(starts)
    json.dumps(found, allow_nan=False)  # standard JSON: no NaN or Infinity
    assert Review.from_dict(found).to_dict() == found
