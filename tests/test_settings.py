import re

import pytest

from reelsense.batching import DEFAULT_BATCH_SIZE
from reelsense.corpus.aggregate import FILM_ORDERS
from reelsense.inputs import FORMATS
from reelsense.settings import DEFAULT_DATA, SETTINGS, Setting
from reelsense.text.reading import DEFAULT_MAX_CHARS


def test_settings_are_keyed_by_their_option_names() -> None:
    assert all(name == s.name and re.fullmatch(r"[a-z]+(-[a-z]+)*", name) for name, s in SETTINGS.items())
    assert SETTINGS["jobs"].flag == "--jobs"


def test_settings_help_says_the_default_once() -> None:
    assert Setting("port", 8000, "the port", int).help_text() == "the port (default: 8000)"
    assert Setting("film", None, "the film").help_text() == "the film"
    assert Setting("private", False, "reads need a token", bool).help_text() == "reads need a token"
    assert SETTINGS["model"].help_text() == "a model file from `reelsense train` (default: the shipped one)"
    for s in SETTINGS.values():
        for command in ("", *s.helps):
            assert s.for_command(command).help_text().count("(default:") <= 1, (s.name, command)


def test_settings_for_command_takes_that_commands_help_and_default() -> None:
    limit = SETTINGS["limit"]
    assert limit.for_command("search") == Setting("limit", 20, "at most this many hits", int, minimum=1)
    assert limit.for_command("train") == Setting(
        "limit", None, "train on N reviews spread over train (quick runs)", int, minimum=1
    )
    assert limit.for_command("no such command") == Setting("limit", None, "at most this many", int, minimum=1)
    assert SETTINGS["out"].for_command("train-opinion").default == "opinion-model.json"


@pytest.mark.parametrize(
    "name,text,message",
    [
        ("jobs", "-3", "must be at least 0, not -3"),
        ("batch-size", "0", "must be at least 1, not 0"),
        ("port", "65536", "must be at most 65535, not 65536"),
        ("limit", "2.5", "expected a whole number, not '2.5'"),
    ],
)
def test_settings_parse_refuses_numbers_out_of_range(name: str, text: str, message: str) -> None:
    with pytest.raises(ValueError) as refused:
        SETTINGS[name].parse(text)
    assert str(refused.value) == message


def test_settings_parse_reads_values_as_their_type() -> None:
    assert SETTINGS["jobs"].parse("0") == 0
    assert SETTINGS["port"].parse("65535") == 65535
    assert SETTINGS["db"].parse("sqlite:///x.db") == "sqlite:///x.db"


def test_settings_defaults_are_of_their_type_and_within_their_limits() -> None:
    for s in SETTINGS.values():
        for default in (s.default, *s.defaults.values()):
            if default is None:
                continue
            assert type(default) is s.type, s.name
            if s.choices:
                assert default in s.choices, s.name
            if s.type is int:
                assert s.parse(str(default)) == default, s.name
        if s.type is bool:
            assert s.default is False and not s.defaults, s.name


def test_settings_take_their_values_from_the_one_declaration() -> None:
    assert SETTINGS["format"].choices == FORMATS
    assert SETTINGS["sort"].choices == tuple(FILM_ORDERS)
    assert SETTINGS["batch-size"].default == DEFAULT_BATCH_SIZE
    assert SETTINGS["max-chars"].default == DEFAULT_MAX_CHARS
    assert SETTINGS["data"].default == DEFAULT_DATA == "../shared/data/imdb"


def test_settings_help_names_no_command() -> None:
    """Help is per command where the meaning differs, so no help says which command it is for."""
    for s in SETTINGS.values():
        for help in (s.help, *s.helps.values()):
            assert not re.match(r"[a-z-]+:", help), (s.name, help)
