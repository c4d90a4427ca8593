import os
from pathlib import Path

import pytest

from reelsense import Pipeline, Review
from reelsense.errors import SourceError
from reelsense.kb.base import KnowledgeBase, import_imdb, name_key, sound_key

from ..conftest import ROOT

FILES = ROOT / "tests" / "data" / "imdb-kb"


@pytest.fixture(scope="module")
def kb_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('kb') / 'kb.sqlite'}"
    import_imdb(FILES, url)
    return url


@pytest.fixture(scope="module")
def linked(kb_url: str, pipeline: Pipeline) -> Pipeline:
    return Pipeline(pipeline.model, kb=kb_url)


def test_kb_import_counts_rows_and_skips_episodes(tmp_path: Path) -> None:
    seen: list[str] = []
    report = import_imdb(
        FILES, f"sqlite:///{tmp_path / 'kb.sqlite'}", lambda name, done, total: seen.append(name)
    )
    assert report.rows == {
        "title.basics": 6,  # the tvEpisode is left out
        "name.basics": 12,
        "title.principals": 13,  # and its credit
        "title.crew": 4,  # credit rows: one director each for four titles
        "title.ratings": 5,
    }
    assert KnowledgeBase(f"sqlite:///{tmp_path / 'kb.sqlite'}").counts() == {
        "kb_titles": 6, "kb_names": 12, "kb_credits": 17, "kb_ratings": 5,
    }  # fmt: skip
    assert set(seen) == set(report.rows)


def test_kb_import_refuses_other_columns(tmp_path: Path) -> None:
    (tmp_path / "title.basics.tsv").write_text("tconst\ttitle\ntt1\tX\n")
    (tmp_path / "name.basics.tsv").write_text((FILES / "name.basics.tsv").read_text())
    with pytest.raises(SourceError, match="title.basics.tsv: expected the columns tconst, titleType"):
        import_imdb(tmp_path, f"sqlite:///{tmp_path / 'kb.sqlite'}")


def test_kb_needs_an_imported_database(tmp_path: Path) -> None:
    with pytest.raises(
        SourceError, match="no knowledge base in sqlite:///.*: load one with `reelsense kb import DIR`"
    ):
        KnowledgeBase(f"sqlite:///{tmp_path / 'empty.sqlite'}")


def test_kb_keys() -> None:
    assert name_key("Le Samouraï") == "le samourai"
    assert name_key("  Robert  De Niro's ") == "robert de niro s"
    assert sound_key("Martin Scorsese") == sound_key("Martin Scorcese") == "m:s622"
    assert sound_key("Martin Scorsese") != sound_key("Bernard Herrmann")


def names(review: Review) -> dict[str, tuple[str | None, str | None]]:
    return {m.name: (m.role, m.link) for m in review.mentions}


def test_kb_links_people_and_the_film(linked: Pipeline) -> None:
    review = linked.analyze(
        "Taxi Driver is Martin Scorsese's masterpiece. Travis (Robert De Niro) drives a cab at night. "
        "De Niro is electric, and the score, by Bernard Herrmann, is haunting."
    )
    assert review.film is not None
    assert (review.film.title, review.film.year, review.film.link) == ("Taxi Driver", 1976, "tt0075314")
    assert names(review)["Robert De Niro"] == ("actor", "nm0000134")
    assert names(review)["Bernard Herrmann"] == ("composer", "nm0002136")
    assert names(review)["Martin Scorsese"] == ("director", "nm0000217")
    assert review.checks == ()


def test_kb_tells_a_remake_by_its_people(linked: Pipeline) -> None:
    old = linked.analyze("Cape Fear is tense. Robert Mitchum is terrifying and Gregory Peck is solid.")
    new = linked.analyze("Cape Fear is loud. Robert De Niro chews the scenery and Nick Nolte sweats.")
    assert old.film is not None and new.film is not None
    assert (old.film.link, old.film.year) == ("tt0055824", 1962)
    assert (new.film.link, new.film.year) == ("tt0101540", 1991)


def test_kb_finds_the_film_from_its_people_alone(linked: Pipeline) -> None:
    review = linked.analyze("Robert Mitchum and Gregory Peck face off in a swamp. Gripping stuff.")
    assert review.film is not None and review.film.link == "tt0055824"


def test_kb_checks_spelling_role_and_year(linked: Pipeline) -> None:
    review = linked.analyze(
        "Taxi Driver (1977) is a landmark. Director Bernard Herrmann keeps the city close. "
        "Martin Scorcese produced it. Robert De Niro is superb."
    )
    found = {c.kind: c for c in review.checks}
    assert set(found) == {"wrong_year", "wrong_role", "misspelling"}
    assert found["wrong_year"].suggestion == "1976"
    assert (
        found["wrong_role"].message
        == "Bernard Herrmann is credited as composer on Taxi Driver, not as director"
    )
    assert found["misspelling"].suggestion == "Martin Scorsese"
    (span,) = found["misspelling"].spans
    assert review.text[span[0] : span[1]] == "Martin Scorcese"


def test_kb_credits_tell_characters_from_people(linked: Pipeline) -> None:
    review = linked.analyze("Taxi Driver is bleak. Travis Bickle drives at night and Iris is twelve.")
    kinds = {m.name: (m.kind, m.character) for m in review.mentions}
    assert kinds["Travis Bickle"] == ("character", None)
    assert kinds["Iris"] == ("character", None)


PG = os.environ.get("REELSENSE_TEST_POSTGRES")


@pytest.mark.skipif(
    not PG, reason="set REELSENSE_TEST_POSTGRES=postgresql+psycopg://… to test PostgreSQL (CI does)"
)
def test_kb_on_postgresql(pipeline: Pipeline) -> None:
    assert PG is not None
    report = import_imdb(FILES, PG)
    assert report.rows["name.basics"] == 12
    review = Pipeline(pipeline.model, kb=PG).analyze("Cape Fear is loud. Robert De Niro chews the scenery.")
    assert review.film is not None and review.film.link == "tt0101540"
