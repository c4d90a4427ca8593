"""The corpus commands through the real entry point: kb import, ingest, films, film, search, rejects."""

import json
from pathlib import Path

import pytest

from reelsense.cli.common import EXIT_STORE
from reelsense.cli.main import main

from ..conftest import ROOT


def test_corpus_kb_import_then_analyze_links(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'films.sqlite'}"
    assert main(["kb", "import", str(ROOT / "tests" / "data" / "imdb-kb"), "--db", url]) == 0
    out = capsys.readouterr().out
    assert "title.basics: 6 rows" in out and f"knowledge base written to {url}" in out
    review = tmp_path / "r.txt"
    review.write_text("Cape Fear is loud. Robert De Niro chews the scenery and Nick Nolte sweats.")
    assert main(["analyze", str(review), "--db", url, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["film"] == {"title": "Cape Fear", "year": 1991, "confidence": 0.75, "link": "tt0101540"}
    assert {m["name"]: m["link"] for m in result["mentions"] if m["kind"] == "person"} == {
        "Robert De Niro": "nm0000134",
        "Nick Nolte": "nm0000559",
    }


def test_corpus_kb_import_of_a_folder_without_the_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["kb", "import", str(tmp_path), "--db", f"sqlite:///{tmp_path / 'x.sqlite'}"]) == 2
    assert "needs at least title.basics and name.basics" in capsys.readouterr().err


def test_corpus_commands_ingest_then_read_back(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'corpus.db'}"
    source = tmp_path / "reviews.jsonl"
    rows = [
        {"id": "a", "text": "A haunting score and superb acting. I loved it.", "film": "Tidewater (2024)"},
        {"id": "b", "text": "Gorgeous, moving and funny. The score is haunting.", "film": "Tidewater (2024)"},
        {"id": "c", "text": "A dull, clumsy mess with wooden acting.", "film": "Dry Dock (2023)"},
        {"id": "d", "text": "", "film": "Dry Dock (2023)"},
    ]
    source.write_text("".join(json.dumps(r) + "\n" for r in rows))
    assert (
        main(["ingest", str(source), "--db", url, "--film-field", "film", "--critic", "Our Desk", "--json"])
        == 1
    )
    assert json.loads(capsys.readouterr().out)["stored"] == 3
    assert (
        main(["ingest", str(source), "--db", url, "--film-field", "film", "--critic", "Our Desk", "--json"])
        == 1  # the empty record is still in the file: rejected again (and kept once)
    )
    again = json.loads(capsys.readouterr().out)
    assert (again["already_stored"], again["rejected"]) == (3, 1)

    assert main(["films", "--db", url, "--json"]) == 0  # two films of one and two reviews: left out
    listed = capsys.readouterr()
    assert listed.out == "" and "2 more films with fewer than 3 reviews are left out" in listed.err
    assert main(["films", "--db", url, "--json", "--min-reviews", "1"]) == 0
    films = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(f["key"], f["reviews"], f["share_positive"]) for f in films] == [
        ("tidewater (2024)", 2, 1.0),
        ("dry dock (2023)", 1, 0.0),
    ]
    assert main(["films", "--db", url, "--min-reviews", "2"]) == 0
    shown = capsys.readouterr()
    assert "Tidewater" in shown.out and "1 more film with fewer than 2 reviews is left out" in shown.err

    assert main(["film", "tidewater (2024)", "--db", url, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert (report["reviews"], report["score"] > 50, len(report["consensus"])) == (2, True, 2)
    assert main(["film", "tidewater (2024)", "--db", url]) == 0
    assert "Consensus" in capsys.readouterr().out
    for typed in ("Tidewater (2024)", "TIDEWATER"):  # as `films` shows it, or by its title
        assert main(["film", typed, "--db", url, "--json"]) == 0
        assert json.loads(capsys.readouterr().out)["key"] == "tidewater (2024)"
    assert main(["film", "nothing", "--db", url]) == 2
    assert "no film 'nothing'" in capsys.readouterr().err

    assert main(["search", "haunting score", "--db", url, "--json"]) == 0
    hits = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert sorted(h["film"] for h in hits) == ["tidewater (2024)", "tidewater (2024)"]
    assert main(["search", "acting", "--film", "Tidewater", "--db", url, "--json"]) == 0
    assert [json.loads(line)["film"] for line in capsys.readouterr().out.splitlines()] == ["tidewater (2024)"]

    assert main(["rejects", "--db", url, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "source": "Our Desk", "record_id": "d", "reason": "empty text", "meta": {"film": "Dry Dock (2023)"},
    }  # fmt: skip
    assert main(["reanalyze", "--db", url]) == 0
    assert "0 analyses brought up to date" in capsys.readouterr().out


@pytest.mark.parametrize("command", [["films"], ["film", "tt1"], ["search", "score"], ["rejects"]])
def test_corpus_read_commands_never_make_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    missing = tmp_path / "nothing-here.db"
    assert main([*command, "--db", f"sqlite:///{missing}"]) == EXIT_STORE
    err = capsys.readouterr().err
    assert f"no database at {missing}" in err and not missing.exists()


def test_corpus_tokens_are_listed_and_revoked(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'corpus.db'}"
    assert main(["token", "create", "Our Desk", "--db", url]) == 0
    assert main(["token", "create", "[b]Other[/b]", "--db", url]) == 0
    capsys.readouterr()
    assert main(["token", "list", "--db", url]) == 0
    assert capsys.readouterr().out.splitlines() == ["1  Our Desk", "2  [b]Other[/b]"]
    assert main(["token", "revoke", "1", "--db", url]) == 0
    assert main(["token", "revoke", "1", "--db", url]) == 2
    capsys.readouterr()
    assert main(["token", "list", "--db", url]) == 0
    assert capsys.readouterr().out.splitlines() == ["2  [b]Other[/b]"]
