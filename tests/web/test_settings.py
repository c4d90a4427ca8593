from pathlib import Path

from reelsense.kb.imdb import import_imdb
from reelsense.web.settings import WebSettings

from ..conftest import ROOT


def test_settings_travel_as_json() -> None:
    settings = WebSettings("sqlite:///a.db", private=True, knowledge_base="sqlite:///a.db", model="m.zip")
    assert WebSettings.from_json(settings.to_json()) == settings
    assert WebSettings.from_json('{"database": "sqlite:///b.db"}') == WebSettings(
        "sqlite:///b.db", False, None, None, 256
    )


def test_settings_link_names_only_where_the_database_holds_a_knowledge_base(tmp_path: Path) -> None:
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    assert WebSettings.for_database(empty, private=True) == WebSettings(empty, private=True)
    loaded = f"sqlite:///{tmp_path / 'kb.db'}"
    import_imdb(ROOT / "tests" / "data" / "imdb-kb", loaded)
    assert WebSettings.for_database(loaded).knowledge_base == loaded
