import os
from pathlib import Path

import pytest

from reelsense import Pipeline
from reelsense.errors import SourceError
from reelsense.kb.base import KnowledgeBase, TitleRecord
from reelsense.kb.imdb import IMDB_FILES, import_imdb

from .conftest import FILES

TAXI_DRIVER = TitleRecord("tt0075314", "Taxi Driver", 1976, "movie")
CAPE_FEAR_1962 = TitleRecord("tt0055824", "Cape Fear", 1962, "movie")
CAPE_FEAR_1991 = TitleRecord("tt0101540", "Cape Fear", 1991, "movie")


def test_base_needs_an_imported_database(tmp_path: Path) -> None:
    with pytest.raises(
        SourceError, match="no knowledge base in sqlite:///.*: load one with `reelsense kb import DIR`"
    ):
        KnowledgeBase(f"sqlite:///{tmp_path / 'empty.sqlite'}")


def test_base_titles_named_match_primary_and_original_titles_by_key(kb: KnowledgeBase) -> None:
    assert kb.titles_named("Cape Fear") == (CAPE_FEAR_1962, CAPE_FEAR_1991)
    assert kb.titles_named("le samourai") == (TitleRecord("tt9999902", "Le Samouraï", 1967, "movie"),)
    assert kb.titles_named("Taxi Driver") == (TAXI_DRIVER,)  # the 2001 tvEpisode was not imported
    assert kb.titles_named("Mean Streets") == ()


def test_base_person_id(kb: KnowledgeBase) -> None:
    assert kb.person_id("Robert De Niro") == "nm0000134"
    assert kb.person_id("robert de niro", TAXI_DRIVER) == "nm0000134"
    assert kb.person_id("Martin Scorcese") is None


def test_base_person_id_prefers_the_namesake_credited_on_the_film(tmp_path: Path) -> None:
    (tmp_path / "title.basics.tsv").write_text((FILES / "title.basics.tsv").read_text())
    (tmp_path / "name.basics.tsv").write_text(
        "\t".join(IMDB_FILES["name.basics"]) + "\n"
        "nm0000001\tJohn Smith\t1900\t\\N\tactor\t\\N\n"
        "nm0000002\tJohn Smith\t1950\t\\N\tactor\t\\N\n"
    )
    (tmp_path / "title.principals.tsv").write_text(
        "\t".join(IMDB_FILES["title.principals"]) + "\ntt0075314\t1\tnm0000002\tactor\t\\N\t\\N\n"
    )
    url = f"sqlite:///{tmp_path / 'kb.sqlite'}"
    import_imdb(tmp_path, url)
    namesakes = KnowledgeBase(url)
    assert namesakes.person_id("John Smith") == "nm0000001"
    assert namesakes.person_id("John Smith", TAXI_DRIVER) == "nm0000002"
    assert namesakes.person_id("John Smith", CAPE_FEAR_1962) == "nm0000001"


def test_base_credited_as(kb: KnowledgeBase) -> None:
    assert kb.credited_as("nm0000134", TAXI_DRIVER) == ("actor",)
    assert kb.credited_as("nm0000217", TAXI_DRIVER) == ("director",)  # from title.crew
    assert kb.credited_as("nm0000020", TAXI_DRIVER) == ("actress",)
    assert kb.credited_as("nm0000053", TAXI_DRIVER) == ()


def test_base_credited_names_come_with_their_keys(kb: KnowledgeBase) -> None:
    assert sorted(kb.credited_names(CAPE_FEAR_1991)) == [
        ("Elmer Bernstein", "elmer bernstein", "e:b652"),
        ("Martin Scorsese", "martin scorsese", "m:s622"),
        ("Nick Nolte", "nick nolte", "n:n43"),
        ("Robert De Niro", "robert de niro", "r:n6"),
    ]


def test_base_characters_of(kb: KnowledgeBase) -> None:
    assert kb.characters_of(TAXI_DRIVER) == {"Travis Bickle": "Robert De Niro", "Iris": "Jodie Foster"}
    assert kb.characters_of(TitleRecord("tt9999902", "Le Samouraï", 1967, "movie")) == {}


def test_base_is_title_not_name(kb: KnowledgeBase) -> None:
    assert [
        kb.is_title_not_name(t) for t in ("Vertigo", "Taxi Driver", "Robert De Niro", "Mean Streets")
    ] == [
        True,
        True,
        False,
        False,
    ]


def test_base_identify_film_by_title_year_and_people(kb: KnowledgeBase) -> None:
    assert kb.identify_film({"Cape Fear": (2.0, None)}, {"Robert Mitchum"}) == CAPE_FEAR_1962
    assert kb.identify_film({"Cape Fear": (2.0, None)}, {"Nick Nolte"}) == CAPE_FEAR_1991
    assert kb.identify_film({"Cape Fear": (2.0, 1962)}, set()) == CAPE_FEAR_1962
    # the best-scored title the database knows wins; an unknown one is passed over
    assert kb.identify_film({"Mean Streets": (5.0, None), "Taxi Driver": (1.0, None)}, set()) == TAXI_DRIVER


def test_base_identify_film_by_its_people_alone(kb: KnowledgeBase) -> None:
    assert kb.identify_film({}, {"Robert Mitchum", "Gregory Peck"}) == CAPE_FEAR_1962
    assert kb.identify_film({}, {"Robert Mitchum"}) is None  # one person is not enough
    assert kb.identify_film({}, {"Robert Mitchum", "Nick Nolte"}) is None  # no title credits both


PG = os.environ.get("REELSENSE_TEST_POSTGRES")


@pytest.mark.skipif(
    not PG, reason="set REELSENSE_TEST_POSTGRES=postgresql+psycopg://… to test PostgreSQL (CI does)"
)
def test_base_on_postgresql(pipeline: Pipeline) -> None:
    assert PG is not None
    report = import_imdb(FILES, PG)
    assert report.rows["name.basics"] == 12
    review = Pipeline(pipeline.model, kb=PG).analyze("Cape Fear is loud. Robert De Niro chews the scenery.")
    assert review.film is not None and review.film.link == "tt0101540"
    assert set(KnowledgeBase(PG).titles_named("Cape Fear")) == {CAPE_FEAR_1962, CAPE_FEAR_1991}
