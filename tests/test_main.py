import subprocess
import sys

import pytest

from reelsense import __version__
from reelsense.cli.main import build_parser, main


def _run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reelsense", *argv], capture_output=True, text=True)


def test_main_python_m_reelsense_help_lists_every_command() -> None:
    done = _run("--help")
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("usage: reelsense [-h] [--version]")
    commands = build_parser()._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    listed = done.stdout.split("positional arguments:", 1)[1]
    assert [name for name in commands if f"\n    {name} " not in listed] == []


def test_main_python_m_reelsense_exits_2_on_bad_usage() -> None:
    done = _run("analyze", "review.txt", "--jobs", "-3")
    assert (done.returncode, done.stdout) == (2, "")
    last = done.stderr.splitlines()[-1]
    assert last == "reelsense analyze: error: argument --jobs: must be at least 0, not -3"


def test_main_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        main(["--version"])
    assert (exit.value.code, capsys.readouterr().out) == (0, f"reelsense {__version__}\n")


def test_main_without_a_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit:
        main([])
    assert exit.value.code == 2
    assert capsys.readouterr().err.splitlines()[-1] == (
        "reelsense: error: the following arguments are required: command"
    )
