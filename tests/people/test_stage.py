import subprocess
import sys

from reelsense import Pipeline, Review
from reelsense.kb.base import KnowledgeBase
from reelsense.people.stage import PeopleStage
from reelsense.review import Check, Mention, ReviewedFilm
from reelsense.text.reading import read

from ..conftest import ROOT

MISSPELT = (
    "“Martin Scorcese” is probably “Martin Scorsese” (1 letter off; credited as director on Taxi Driver)"
)


def names(review: Review) -> dict[str, tuple[str | None, str | None]]:
    return {m.name: (m.role, m.link) for m in review.mentions}


def staged(text: str, kb: KnowledgeBase | None = None) -> Review:
    (review,) = PeopleStage(kb).pipe([read(Review(text=text, id="r1"))])
    return review


def test_stage_without_a_knowledge_base_finds_the_film_and_two_spellings() -> None:
    review = staged(
        "Taxi Driver (1976), directed by Martin Scorsese, still shocks. Scorcese never bettered it."
    )
    assert review.film == ReviewedFilm("Taxi Driver", 1976, 0.82)
    assert review.mentions == (
        Mention(0, 11, "Taxi Driver", "film", "Taxi Driver", "reviewed"),
        Mention(32, 47, "Martin Scorsese", "person", "Martin Scorsese", "director"),
        Mention(63, 71, "Scorcese", "person", "Scorcese", "director"),
    )
    assert review.checks == (
        Check(
            "two_spellings",
            "“Martin Scorsese” and “Scorcese” look like one name spelt two ways",
            ((32, 47), (63, 71)),
        ),
    )


def test_stage_links_names_and_the_film_to_the_knowledge_base(kb: KnowledgeBase) -> None:
    review = staged("Cape Fear is loud. Robert De Niro plays Max Cady, as in Raging Bull.", kb)
    assert review.film == ReviewedFilm("Cape Fear", 1991, 0.6, "tt0101540")
    assert review.mentions == (
        Mention(0, 9, "Cape Fear", "film", "Cape Fear", "reviewed", link="tt0101540"),
        Mention(19, 33, "Robert De Niro", "person", "Robert De Niro", "actor", "Max Cady", "nm0000134"),
        Mention(40, 48, "Max Cady", "character", "Max Cady"),
        Mention(56, 67, "Raging Bull", "film", "Raging Bull", "referenced", link="tt0081398"),
    )
    assert review.checks == ()


def test_stage_maps_spans_onto_the_original_text(kb: KnowledgeBase) -> None:
    text = "<p>Taxi Driver (1977) is a landmark.</p> Martin Scorcese made it."
    review = staged(text, kb)
    assert review.checks == (
        Check(
            "misspelling",
            MISSPELT,
            ((41, 56),),
            "Martin Scorsese",
        ),
        Check("wrong_year", "Taxi Driver is from 1976, not 1977", ((3, 14),), "1976"),
    )
    assert [text[a:b] for c in review.checks for a, b in c.spans] == ["Martin Scorcese", "Taxi Driver"]
    # flagged, and linked to the credited person it most likely means
    (misspelt,) = [m for m in review.mentions if m.name == "Martin Scorcese"]
    assert misspelt.link == "nm0000217"


def test_stage_imports_no_database_code() -> None:
    """The people stage loads without SQLAlchemy: the knowledge base is passed in, typed only."""
    # reelsense/__init__.py is not run: it loads the pipeline, which loads the knowledge base itself
    probe = f"""
import importlib.util, sys
spec = importlib.util.spec_from_file_location(
    "reelsense", {str(ROOT / "src" / "reelsense" / "__init__.py")!r},
    submodule_search_locations=[{str(ROOT / "src" / "reelsense")!r}],
)
sys.modules["reelsense"] = importlib.util.module_from_spec(spec)
import reelsense.people.stage
print(sorted(m for m in sys.modules if m.startswith(("sqlalchemy", "reelsense.kb", "reelsense.corpus"))))
"""
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert result.stdout == "['reelsense.kb', 'reelsense.kb.names']\n"


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


def test_kb_credits_tell_characters_from_people(linked: Pipeline) -> None:
    review = linked.analyze("Taxi Driver is bleak. Travis Bickle drives at night and Iris is twelve.")
    kinds = {m.name: (m.kind, m.character) for m in review.mentions}
    assert kinds["Travis Bickle"] == ("character", None)
    assert kinds["Iris"] == ("character", None)


def test_stage_a_title_spelt_two_ways_is_flagged() -> None:
    from reelsense.people.checks import two_spellings

    text = "The Shawshank Redemption is fine; The Shawshank Redmption drags. Heat and Heist differ."
    mentions = [
        Mention(0, 24, "The Shawshank Redemption", "film", "The Shawshank Redemption"),
        Mention(34, 57, "The Shawshank Redmption", "film", "The Shawshank Redmption"),
        Mention(65, 69, "Heat", "film", "Heat"),
        Mention(74, 79, "Heist", "film", "Heist"),  # short titles a letter apart are two films
    ]
    (check,) = two_spellings(mentions)
    assert (
        check.message
        == "“The Shawshank Redemption” and “The Shawshank Redmption” look like one title spelt two ways"
    )
    assert [text[a:b] for a, b in check.spans] == ["The Shawshank Redemption", "The Shawshank Redmption"]
