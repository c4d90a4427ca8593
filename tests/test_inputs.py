import gzip
import io
from pathlib import Path

import pytest

from reelsense import Item, Rejected, SourceError
from reelsense.inputs import label_of, read_source


def _items(source: str, **kw: object) -> list[Item | Rejected]:
    return list(read_source(source, **kw))  # type: ignore[arg-type]


def test_inputs_reads_jsonl_keeping_other_fields_as_meta(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl.gz"
    with gzip.open(path, "wb") as f:
        f.write(b'{"id": "a", "film": "tt1", "text": "Great."}\n\n')
        f.write(b'not json\n{"id": "c", "body": "x"}\n[1, 2]\n{"text": "Fine."}\n')
    assert _items(str(path)) == [
        Item("Great.", "a", {"film": "tt1"}),
        Rejected(f"{path}:3", "not valid JSON (Expecting value, column 1)"),
        Rejected("c", "no 'text' field (fields: body, id)"),
        Rejected(f"{path}:5", "expected a JSON object, got list"),
        Item("Fine.", f"{path}:6", {}, own_id=False),
    ]


def test_inputs_reads_csv_with_a_named_text_column(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text('review,label\n"Loved it, truly.",pos\nHated it.,neg\n', encoding="utf-8")
    assert _items(str(path), text_field="review") == [
        Item("Loved it, truly.", f"{path}:2", {"label": "pos"}, own_id=False),
        Item("Hated it.", f"{path}:3", {"label": "neg"}, own_id=False),
    ]
    with pytest.raises(SourceError, match="no 'text' column \\(columns: review, label\\)"):
        _items(str(path))


def test_inputs_reads_aclimdb_folders_with_labels_and_ratings(tmp_path: Path) -> None:
    (tmp_path / "pos").mkdir()
    (tmp_path / "neg").mkdir()
    (tmp_path / "pos" / "3_9.txt").write_bytes(b"Lovely.")
    (tmp_path / "neg" / "4_2.txt").write_bytes(b"Awful.")
    assert _items(str(tmp_path)) == [
        Item(b"Awful.", "neg/4_2.txt", {"label": "neg", "rating": 2}),
        Item(b"Lovely.", "pos/3_9.txt", {"label": "pos", "rating": 9}),
    ]


def test_inputs_reads_stdin_and_text_files(tmp_path: Path) -> None:
    assert _items("-", stdin=io.BytesIO(b"From a pipe.")) == [Item(b"From a pipe.", "stdin", own_id=False)]
    path = tmp_path / "one.txt"
    path.write_bytes(b"\xff bad")
    assert _items(str(path)) == [Item(b"\xff bad", str(path), own_id=False)]


def test_inputs_missing_source_is_a_clear_error() -> None:
    with pytest.raises(SourceError, match="nope.txt: no such file or folder"):
        _items("nope.txt")


@pytest.mark.parametrize(
    "meta,label",
    [({"label": "pos"}, True), ({"label": "negative"}, False), ({"label": 1}, True),
     ({"rating": 8}, True), ({"rating": "3"}, False), ({"rating": 5}, None), ({}, None)],
)  # fmt: skip
def test_inputs_label_of(meta: dict, label: bool | None) -> None:
    assert label_of(meta) is label
