import argparse
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from reelsense.cli.main import commands, main, options_table
from reelsense.settings import SETTINGS

from ..conftest import EXAMPLES, ROOT


def test_cli_analyze_prints_a_report(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(EXAMPLES / "mixed-harbour-lights.txt")]) == 0
    out = capsys.readouterr().out
    assert "MIXED" in out and "Arc:" in out and "Pushed down:" in out
    assert "Pull quote:" in out and "Summary:" in out and "best evidence" in out
    assert re.search(r"acting\s+positive", out) and re.search(r"story\s+negative", out)


def test_cli_analyze_json_carries_the_anatomy(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(EXAMPLES / "mixed-harbour-lights.txt"), "--json"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    result = json.loads(line)
    text = result["text"]
    assert {a["name"] for a in result["aspects"]} >= {"acting", "story", "visuals"}
    for aspect in result["aspects"]:
        for item in aspect["evidence"]:
            assert text[item["start"] : item["end"]].replace("<br />", "\n").strip()
            assert item["start"] <= item["term_start"] < item["term_end"] <= item["end"]
    quote = result["pull_quote"]
    assert text[quote["start"] : quote["end"]] == quote["text"]
    assert {s["kind"] for s in result["sentences"]} <= {"opinion", "narration"}


def test_cli_analyze_without_anatomy(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", str(EXAMPLES / "mixed-harbour-lights.txt"), "--json", "--no-anatomy"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["aspects"] == [] and result["pull_quote"] is None


def test_cli_analyze_json_lines_and_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["analyze", str(EXAMPLES / "short-snippets.jsonl"), "--json"])
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines()]
    assert code == 1  # one record is rejected
    assert [line["id"] for line in lines] == ["s1", "s2", "s3", "s4", "s5", "s6", "s7"]
    assert lines[5] == {
        "id": "s6",
        "rejected": "empty text",
        "meta": {"film": "Tidewater", "critic": "our desk"},
    }
    assert lines[0]["meta"] == {"film": "The Glass Orchard", "critic": "our desk"}
    assert "6 analysed, 1 rejected" in captured.err


def test_cli_analyze_stdin() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "reelsense", "analyze", "-", "--json"],
        input=b"A joyous, beautifully acted film.", capture_output=True, check=True,
    )  # fmt: skip
    assert json.loads(done.stdout)["verdict"] == "positive"


def test_cli_missing_file_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["analyze", "no-such-file.txt"]) == 2
    assert "no-such-file.txt: no such file or folder" in capsys.readouterr().err


def test_cli_bad_model_exits_3(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "m.zip"
    bad.write_bytes(b"not a zip")
    assert main(["analyze", str(EXAMPLES / "mixed-harbour-lights.txt"), "--model", str(bad)]) == 3
    assert "is damaged or not a reelsense model" in capsys.readouterr().err


def test_cli_evaluate_a_labelled_csv(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "l.csv"
    path.write_text("text,label\nA superb film.,pos\nA dreadful bore.,neg\n", encoding="utf-8")
    assert main(["evaluate", str(path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["reviews"], result["accuracy"]) == (2, 1.0)


def test_cli_evaluate_limit_samples_and_one_kind_is_warned(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from reelsense.cli.main import sample
    from reelsense.review import Item

    items = [Item(f"text {i}", str(i)) for i in range(100)]
    drawn = sample(items, 10)
    assert drawn == sample(items, 10) and len(drawn) == 10  # the same each run
    assert [int(i.id) for i in drawn] == sorted(int(i.id) for i in drawn) != list(range(10))  # not the first
    assert sample(items[:3], 10) == items[:3]
    path = tmp_path / "l.csv"
    path.write_text("text,label\nA superb film.,pos\nA lovely, moving film.,pos\n", encoding="utf-8")
    assert main(["evaluate", str(path), "--json"]) == 0
    assert "every labelled review scored is positive" in capsys.readouterr().err


def _commands() -> dict[str, argparse.ArgumentParser]:
    return commands()


def _options(parser: argparse.ArgumentParser) -> dict[str, argparse.Action]:
    return {a.option_strings[-1]: a for a in parser._actions if a.option_strings and a.dest != "help"}


def test_cli_commands_are_these() -> None:
    assert sorted(_commands()) == [
        "analyze", "completion", "evaluate", "export", "film", "films", "ingest", "kb import",
        "reanalyze", "rejects", "search", "serve", "spark analyze", "spark films", "token create",
        "token list", "token revoke", "train", "train-encoder", "train-opinion", "train-sentences",
    ]  # fmt: skip


def test_cli_every_option_is_a_declared_setting_and_every_setting_an_option() -> None:
    used = {flag for parser in _commands().values() for flag in _options(parser)}
    assert used == {s.flag for s in SETTINGS.values()}


def test_cli_options_take_help_default_and_choices_from_their_declaration() -> None:
    for command, parser in _commands().items():
        for flag, action in _options(parser).items():
            s = SETTINGS[flag[2:]].for_command(command)
            assert (action.help or "").replace("%%", "%") == s.help_text(), (command, flag)
            assert action.default == s.default, (command, flag)
            assert tuple(action.choices or ()) == s.choices, (command, flag)


def test_cli_per_command_help_and_defaults_name_commands_that_take_the_setting() -> None:
    commands = _commands()
    for s in SETTINGS.values():
        for command in (*s.helps, *s.defaults):
            assert s.flag in _options(commands[command]), (s.name, command)


def test_cli_every_command_help_runs_and_says_each_default_once(capsys: pytest.CaptureFixture[str]) -> None:
    for command in _commands():
        with pytest.raises(SystemExit) as exit:
            main([*command.split(), "--help"])
        assert exit.value.code == 0
        help = " ".join(capsys.readouterr().out.split())  # unwrapped
        assert help.startswith(f"usage: reelsense {command} [-h]"), command
        assert "(default: None)" not in help and ") (default:" not in help, command
        assert "ingest:" not in help and "serve:" not in help and "films:" not in help, command


def test_cli_readme_mentions_every_command_and_setting() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert [c for c in _commands() if f"reelsense {c}" not in readme] == []
    documented = {s.name for s in SETTINGS.values() if re.search(rf"{s.flag}(?![\w-])", readme)}
    assert set(SETTINGS) - documented == set()


def test_cli_readme_options_table_is_made_from_the_settings() -> None:
    """The table is `options_table()`'s output: regenerate it when a setting changes."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert options_table() in readme
    assert options_table().count("\n") == len(SETTINGS) + 2


@pytest.mark.parametrize(
    "argv,message",
    [
        (["analyze", "x", "--jobs", "-3"], "argument --jobs: must be at least 0, not -3"),
        (["analyze", "x", "--batch-size", "0"], "argument --batch-size: must be at least 1, not 0"),
        (["evaluate", "x", "--batch-size", "a"], "argument --batch-size: expected a whole number, not 'a'"),
        (["films", "--limit", "0"], "argument --limit: must be at least 1, not 0"),
        (["serve", "--port", "65536"], "argument --port: must be at most 65535, not 65536"),
        (["reanalyze", "--max-chars", "-1"], "argument --max-chars: must be at least 1, not -1"),
    ],
)  # fmt: skip
def test_cli_refuses_numbers_out_of_range(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit:
        main(argv)
    assert exit.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == f"reelsense {argv[0]}: error: {message}"


@pytest.mark.parametrize(
    "argv,flag",
    [(["films", "--sort", "rating"], "--sort"), (["analyze", "x", "--format", "xml"], "--format")],
)
def test_cli_refuses_a_choice_not_declared(
    argv: list[str], flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exit:
        main(argv)
    assert exit.value.code == 2
    assert f"error: argument {flag}: invalid choice: '{argv[-1]}'" in capsys.readouterr().err


def test_cli_readme_quick_start_is_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    quick = readme.split("## Quick start", 1)[1].split("##", 1)[0]
    block = re.search(r"```\n(.*?)```", quick, re.S)
    assert block is not None
    assert [line.split("#")[0].strip() for line in block.group(1).strip().splitlines()] == [
        "make demo",
        "make test",
    ]
    assert "make test" in (ROOT / ".ci" / "run").read_text()


def test_cli_evaluate_an_aclimdb_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for label, name, text in (
        ("pos", "1_9.txt", "A radiant, moving film with superb performances."),
        ("pos", "2_10.txt", "Wonderful from start to finish.<br /><br />A must-see."),
        ("neg", "3_1.txt", "Dull, lifeless and far too long. A waste of time."),
        ("neg", "4_2.txt", "The worst film I have seen this year."),
    ):
        (tmp_path / label).mkdir(exist_ok=True)
        (tmp_path / label / name).write_text(text, encoding="utf-8")
    assert main(["evaluate", str(tmp_path), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert (result["reviews"], result["accuracy"], result["rejected"]) == (4, 1.0, 0)
    assert result["rating_mae"] is not None


def test_cli_suggests_what_was_meant(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        main(["ingset"])
    assert exit.value.code == 2 and "did you mean 'ingest'?" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["films", "--jsno"])
    assert "did you mean '--json'?" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["films", "--zzzzzz"])
    assert "did you mean" not in capsys.readouterr().err  # nothing close: no guess


def test_cli_every_command_shows_examples(capsys: pytest.CaptureFixture[str]) -> None:
    from reelsense.cli.main import EXAMPLES

    assert set(EXAMPLES) == set(_commands())
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    assert "examples:\n  reelsense export reviews --out reviews.parquet" in capsys.readouterr().out


def test_cli_completion_script_completes_commands_and_options(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["completion", "bash"]) == 0
    script = tmp_path / "complete.sh"
    script.write_text(capsys.readouterr().out, encoding="utf-8")
    probe = (
        f"source {script}; "
        "COMP_WORDS=(reelsense exp); COMP_CWORD=1; _reelsense; echo ${COMPREPLY[@]}; "
        "COMP_WORDS=(reelsense films --min); COMP_CWORD=2; _reelsense; echo ${COMPREPLY[@]}; "
        "COMP_WORDS=(reelsense kb i); COMP_CWORD=2; _reelsense; echo ${COMPREPLY[@]}"
    )
    done = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines() == ["export", "--min-reviews", "import"]
