"""A hostile corpus, made here (nothing of it is committed as data), through the real command line:
every record gives exactly one valid UTF-8 JSON line, nothing ends in a traceback, the exit codes
are the documented ones, and ingesting it again stores nothing new."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

GOOD = "A warm, funny and beautifully acted film. The score is lovely. I adored it."


def hostile_lines() -> list[bytes]:
    """One JSONL line per kind of trouble (each a record the batch must get past)."""
    records: list[str] = [
        "[" * 100_000 + "]" * 100_000,  # nested too deep for the JSON parser
        '{"id": "big", "text": "Fine.", "rating": ' + "9" * 5000 + "}",  # a number of 5,000 digits
        '{"id": "lone-text", "text": "Great \\ud800 film."}',  # a lone surrogate in the text
        '{"id": "lone-meta", "text": "Great film.", "critic": "x\\udcff"}',  # and in the metadata
        '{"id": "nan", "text": "Great film.", "rating": NaN}',
        '{"id": "inf", "text": "Great film.", "rating": Infinity}',
        '{"id": "lone-id-\\udc00", "text": "Great film."}',
        '{"id": "[/]", "text": "A markup id."}',
        '{"id": "[bold red]X[/bold red]", "text": "Great film.[/b] Loved it."}',
        '{"id": "entities", "text": "&nbsp;&nbsp;&amp;"}',
        '{"id": "replacement", "text": "A lovely \\ufffd\\ufffd\\ufffd film, warmly acted."}',
        '{"id": "dotted", "text": "\\u0130stanbul looks lovely but the plot is dull."}',
        '{"id": "empty", "text": ""}',
        '{"id": "number", "text": 42}',
        '{"id": "null", "text": null}',
        '{"id": "no-text", "review": "Great."}',
        "not json at all",
        "[1, 2, 3]",
        '{"id": "dup", "text": "  "}',
        '{"id": "dup", "text": "\\u0000\\u0001\\u0002\\u0003binary"}',
        json.dumps({"id": "good", "text": GOOD, "film": "tt0000001"}),
        json.dumps({"id": "good-again", "text": GOOD, "film": "tt0000002"}),  # the same text, another film
    ]
    return [r.encode("utf-8") + b"\n" for r in records] + [b"\xff\xfe not UTF-8\n"]


def cli(*args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    return subprocess.run(
        [sys.executable, "-m", "reelsense", *args], input=stdin, capture_output=True, env=env, timeout=300
    )


def json_lines(out: bytes) -> list[dict[str, object]]:
    text = out.decode("utf-8")  # strict: the output is valid UTF-8
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "hostile.jsonl"
    path.write_bytes(b"".join(hostile_lines()))
    return path


def test_hostile_analyze_gives_one_json_line_per_record(hostile: Path) -> None:
    done = cli("analyze", str(hostile), "--json")
    assert b"Traceback" not in done.stderr, done.stderr.decode("utf-8", "replace")
    assert done.returncode == 1  # some rejected
    lines = json_lines(done.stdout)
    assert len(lines) == len(hostile_lines())
    for line in lines:
        json.dumps(line, allow_nan=False)  # standard JSON only
    by_id = {str(line.get("id")): line for line in lines}
    assert "rejected" in by_id["lone-text"] and "surrogate" in str(by_id["lone-text"]["rejected"])
    assert "rejected" in by_id["nan"] and "rejected" in by_id["inf"]
    assert by_id["replacement"].get("verdict") == "positive"  # damaged, not binary
    assert "no words" in str(by_id["entities"]["rejected"])
    dotted = by_id["dotted"]
    text = str(dotted["text"])
    for aspect in dotted["aspects"]:  # type: ignore[attr-defined]
        for e in aspect["evidence"]:
            assert text[e["start"] : e["end"]] == e["text"]
            assert text[e["term_start"] : e["term_end"]].strip() in text
    assert {"[/]", "[bold red]X[/bold red]"} <= set(by_id)


@pytest.mark.parametrize("mode", [[], ["--no-anatomy"]])
def test_hostile_analyze_tables_and_reports_never_crash(
    hostile: Path, tmp_path: Path, mode: list[str]
) -> None:
    done = cli("analyze", str(hostile), *mode)
    assert b"Traceback" not in done.stderr and done.returncode == 1, done.stderr.decode("utf-8", "replace")
    one = cli("analyze", "-", *mode, stdin=b"Great film.[/b] Loved it. [bold]x[/bold]")
    assert one.returncode == 0 and b"[/b]" in one.stdout, one.stderr.decode("utf-8", "replace")
    alone = tmp_path / "one.jsonl"  # one record: the full report, its id as the title
    alone.write_text(json.dumps({"id": "[/]", "text": "A lovely film. [red]Sharp[/red] acting."}) + "\n")
    report = cli("analyze", str(alone), *mode)
    assert report.returncode == 0 and b"[/]" in report.stdout, report.stderr.decode("utf-8", "replace")


def test_hostile_ingest_accounts_for_every_record_and_a_rerun_stores_nothing(
    hostile: Path, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'corpus.db'}"
    first = cli("ingest", str(hostile), "--db", url, "--film-field", "film", "--json")
    assert b"Traceback" not in first.stderr, first.stderr.decode("utf-8", "replace")
    summary = json.loads(first.stdout)
    assert summary["read"] == summary["stored"] + summary["already_stored"] + summary["rejected"]
    assert summary["read"] == len(hostile_lines())
    assert summary["stored"] >= 4  # the markup ids, the dotted I, the replacement characters, both films
    again = json.loads(cli("ingest", str(hostile), "--db", url, "--film-field", "film", "--json").stdout)
    assert again["stored"] == 0 and again["already_stored"] == summary["stored"]
    rejects = cli("rejects", "--db", url)
    assert rejects.returncode == 0 and b"Traceback" not in rejects.stderr


def test_hostile_files_that_are_not_what_they_say(tmp_path: Path) -> None:
    records = [json.dumps({"id": f"r{i}", "text": f"{GOOD} Number {i}."}) for i in range(400)]
    whole = gzip.compress(("\n".join(records) + "\n").encode())
    truncated = tmp_path / "cut.jsonl.gz"
    truncated.write_bytes(whole[: len(whole) // 2])
    done = cli("analyze", str(truncated), "--json")
    lines = json_lines(done.stdout)
    assert done.returncode == 1 and b"Traceback" not in done.stderr
    assert len(lines) > 100 and "ends early" in str(lines[-1]["rejected"])  # what could be read was

    fake = tmp_path / "fake.jsonl.gz"
    fake.write_bytes(b'{"id": "a", "text": "Not compressed at all."}\n')
    done = cli("analyze", str(fake), "--json")
    assert done.returncode == 2 and b"Traceback" not in done.stderr and b"gzip" in done.stderr

    utf16 = tmp_path / "wide.jsonl"
    utf16.write_bytes("\n".join(records[:3]).encode("utf-16"))
    lines = json_lines(cli("analyze", str(utf16), "--json").stdout)
    assert [line["id"] for line in lines] == ["r0", "r1", "r2"]

    bom = tmp_path / "bom.csv"
    bom.write_bytes("\ufefftext,id\n".encode() + f'"{GOOD}",c1\n'.encode())
    lines = json_lines(cli("analyze", str(bom), "--json").stdout)
    assert [(line["id"], line["verdict"]) for line in lines] == [("c1", "positive")]
