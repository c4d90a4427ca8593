"""Properties that hold for any input text (hypothesis draws them, leaning on what breaks offsets:
characters whose lowercase is longer, ligatures, combining marks, HTML, contractions, grades)."""

from __future__ import annotations

import csv
import gzip
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reelsense import Item, Pipeline, Rejected, Review
from reelsense.inputs import read_source
from reelsense.text.grades import find_grade
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


# -- grades --------------------------------------------------------------------------------------

filler = st.lists(st.sampled_from(["the", "film", "plot", "is", "a", "cast", "dull", "lovely", ",", "."]),
                  max_size=12).map(" ".join)  # fmt: skip


@given(texts)
def test_properties_a_grade_found_is_its_text_and_on_the_scale(text: str) -> None:
    grade = find_grade(text)
    if grade is None:
        return
    assert 0 <= grade.start < grade.end <= len(text)
    assert text[grade.start : grade.end] == grade.text
    assert 0.0 <= grade.value <= 10.0 and grade.scale > 0


@given(filler, st.sampled_from([4, 5, 10, 100]), st.data())
def test_properties_a_stated_grade_is_read_at_its_value(before: str, scale: int, data: st.DataObject) -> None:
    points = data.draw(st.integers(0, scale))
    form = data.draw(st.sampled_from(["{p}/{s}", "{p} out of {s}", "I give it {p}/{s}", "Rating: {p}/{s}"]))
    stated = form.format(p=points, s=scale)
    text = f"{before}. {stated}." if before else f"{stated}."
    grade = find_grade(text)
    assert grade is not None, text
    assert grade.value == round(points / scale * 10, 2) or abs(grade.value - points / scale * 10) < 0.01
    assert text[grade.start : grade.end] == grade.text


# -- readers -------------------------------------------------------------------------------------

any_text = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)  # surrogates too
records = st.lists(
    st.one_of(
        st.fixed_dictionaries(
            {"id": any_text, "text": any_text}, optional={"film": any_text, "n": st.integers()}
        ),
        st.sampled_from(["not json", "[1, 2]", "{", '"a string"', "42", '{"id": "x"}']),  # rejected
    ),
    max_size=20,
)


@given(records, st.booleans(), st.booleans())
def test_properties_jsonl_reads_one_record_per_line_in_order(
    tmp_path_factory: Any, lines: list[Any], ascii_only: bool, compressed: bool
) -> None:
    path = tmp_path_factory.mktemp("jsonl") / ("in.jsonl.gz" if compressed else "in.jsonl")
    body = "".join((line if isinstance(line, str) else json.dumps(line, ensure_ascii=ascii_only)) + "\n"
                   for line in lines).encode("utf-8", "surrogatepass")  # fmt: skip
    path.write_bytes(gzip.compress(body, mtime=0) if compressed else body)
    read = list(read_source(str(path)))
    assert len(read) == len(lines)  # nothing lost, nothing doubled
    for number, (line, got) in enumerate(zip(lines, read, strict=True), start=1):
        if isinstance(line, str):
            assert isinstance(got, Rejected) and got.reason
            assert got.id in (f"{path}:{number}", "x")
        else:  # lone surrogates too: the reader keeps them, the pipeline's check rejects them
            assert isinstance(got, Item)
            assert (got.text, got.id) == (line["text"], line["id"] or f"{path}:{number}")
            assert got.meta == {k: v for k, v in line.items() if k not in ("id", "text")}


csv_text = st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40)


@given(st.lists(st.tuples(csv_text, csv_text, csv_text), max_size=20), st.sampled_from([",", "\t"]))
def test_properties_csv_reads_one_record_per_row_in_order(
    tmp_path_factory: Any, rows: list[tuple[str, str, str]], delimiter: str
) -> None:
    path = tmp_path_factory.mktemp("csv") / ("in.csv" if delimiter == "," else "in.tsv")
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, delimiter=delimiter)
        writer.writerow(["id", "text", "film"])
        writer.writerows(rows)
    read = list(read_source(str(path)))
    assert len(read) == len(rows)
    for number, ((rid, text, film), got) in enumerate(zip(rows, read, strict=True), start=2):
        assert isinstance(got, Item)
        assert (got.text, got.id, got.meta) == (text, rid or f"{path}:{number}", {"film": film})
