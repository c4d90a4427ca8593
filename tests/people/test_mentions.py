import json
import tomllib
from importlib import resources

import pytest

from reelsense import schema_path
from reelsense.people.mentions import ROLES, NameSpan, find_people
from reelsense.text.sentences import split_sentences


def people(text: str) -> list[tuple[str, str, str, str | None, str | None]]:
    """(as written, kind, full name, role, character) for each mention."""
    found = find_people(text, [a for a, _ in split_sentences(text)])
    return [(text[f.start : f.end], f.kind, f.name, f.role, f.character) for f in found]


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "Writer-director Greta Gerwig keeps it light.",
            [("Greta Gerwig", "person", "Greta Gerwig", "director", None)],
        ),
        (
            "It is Kathryn Bigelow's latest and her best.",
            [("Kathryn Bigelow", "person", "Kathryn Bigelow", "director", None)],
        ),
        (
            "Travis (played by Robert De Niro) drives all night.",
            [
                ("Travis", "character", "Travis", None, None),
                ("Robert De Niro", "person", "Robert De Niro", "actor", "Travis"),
            ],
        ),
        (
            "Travis (Robert De Niro) drives all night.",
            [
                ("Travis", "character", "Travis", None, None),
                ("Robert De Niro", "person", "Robert De Niro", "actor", "Travis"),
            ],
        ),
        (
            "Even the score, by Bernard Herrmann, sweats.",
            [("Bernard Herrmann", "person", "Bernard Herrmann", "composer", None)],
        ),
        (
            "Saoirse Ronan, who plays Jo March, is superb.",
            [
                ("Saoirse Ronan", "person", "Saoirse Ronan", "actor", "Jo March"),
                ("Jo March", "character", "Jo March", None, None),
            ],
        ),
        (
            "Directed by Denis Villeneuve and shot by Roger Deakins.",
            [
                ("Denis Villeneuve", "person", "Denis Villeneuve", "director", None),
                ("Roger Deakins", "person", "Roger Deakins", "cinematographer", None),
            ],
        ),
        (
            "Joe Pesci as Tommy is terrifying. Pesci won an Oscar.",
            [
                ("Joe Pesci", "person", "Joe Pesci", "actor", "Tommy"),
                ("Tommy", "character", "Tommy", None, None),
                ("Pesci", "person", "Joe Pesci", "actor", "Tommy"),
                ("Oscar", "org", "Oscar", None, None),
            ],
        ),
        (
            "I saw it at Cannes. It is a nod to Vertigo (1958) and to \u201cRear Window\u201d.",
            [
                ("Cannes", "org", "Cannes", None, None),
                ("Vertigo", "film", "Vertigo", None, None),
                ("Rear Window", "film", "Rear Window", None, None),
            ],
        ),
        ("The acting is fine. Overall I liked it. March was cold.", []),
        (
            "It beats \"Batman Returns.\" and 'Finding Nemo' alike.",
            [
                ("Batman Returns", "film", "Batman Returns", None, None),
                ("Finding Nemo", "film", "Finding Nemo", None, None),
            ],
        ),
        (
            "Watch Rosemary's Baby, Naked Blood, Society or any Polanski instead.",
            [
                ("Rosemary's Baby", "film", "Rosemary's Baby", None, None),
                ("Naked Blood", "film", "Naked Blood", None, None),
                ("Society", "film", "Society", None, None),
            ],
        ),
        ("It is a ridiculous movie like Hulk, sadly.", [("Hulk", "film", "Hulk", None, None)]),
        ('He said "I loved it." and left.', []),  # a quoted remark is not a title
    ],
)
def test_people_patterns(text: str, expected: list[tuple[str, str, str, str | None, str | None]]) -> None:
    assert people(text) == expected


def test_people_back_references_take_the_full_name_and_role() -> None:
    text = "Martin Scorsese directs. Later Scorsese cuts away; Scorsese's camera never rests."
    found = people(text)
    assert [(surface, name, role) for surface, _, name, role, _ in found] == [
        ("Martin Scorsese", "Martin Scorsese", "director"),
        ("Scorsese", "Martin Scorsese", "director"),
        ("Scorsese", "Martin Scorsese", "director"),
    ]


def test_people_a_surname_named_in_full_only_later_is_that_person() -> None:
    found = people("Mr. Judge's vision is sharp. Mike Judge made this film with care.")
    assert [(surface, name, role) for surface, _, name, role, _ in found] == [
        ("Judge", "Mike Judge", "director"),
        ("Mike Judge", "Mike Judge", "director"),
    ]
    # two people it could be: left as written
    names = [f.name for f in find_people("Nolan directs. Christopher Nolan and Jonathan Nolan wrote it.")]
    assert names == ["Nolan", "Christopher Nolan", "Jonathan Nolan"]


def test_people_a_misspelt_surname_is_kept_as_written() -> None:
    found = find_people("Martin Scorsese made it. Scorcese never bettered it.")
    assert [f.name for f in found] == ["Martin Scorsese", "Scorcese"]


def test_people_years_next_to_titles() -> None:
    (film,) = find_people('"Taxi Driver" (1976) still shocks.')
    assert film == NameSpan(1, 12, "film", "Taxi Driver", year=1976)


def test_people_roles_are_the_schemas_and_the_word_lists() -> None:
    schema = json.loads(schema_path().read_text())
    role = schema["properties"]["mentions"]["items"]["properties"]["role"]["enum"]
    assert role == [*ROLES, "reviewed", "referenced", None]
    lists = tomllib.loads((resources.files("reelsense") / "data" / "people.toml").read_text())
    assert set(lists["roles"]) <= set(ROLES) and set(lists["possessive_roles"]) <= set(ROLES)


@pytest.mark.parametrize(
    "text,names",
    [
        ("Martin Scorsese made it. Scorzeze never bettered it.", ["Martin Scorsese", "Scorzeze"]),  # 2 off
        ("Martin Scorsese made it. Scorzezo never bettered it.", ["Martin Scorsese"]),  # 3 off: not him
        ("Martin Scorsese made it. Corsese never bettered it.", ["Martin Scorsese"]),  # not his initial
        ("Joe Pesci is there. Pesky never leaves.", ["Joe Pesci", "Pesky"]),  # 5 letters, 2 off
        ("Joe Pesci is there. Pesk never leaves.", ["Joe Pesci"]),  # too short to call misspelt
    ],
)
def test_people_a_surname_counts_as_misspelt_within_the_spelling_thresholds(
    text: str, names: list[str]
) -> None:
    assert [f.name for f in find_people(text)] == names


def test_people_what_the_review_calls_a_film_is_one() -> None:
    kinds = {f.name: f.kind for f in find_people("Harbour Lights is two films stitched together.")}
    assert kinds == {"Harbour Lights": "film"}
    assert [(f.kind, f.name) for f in find_people("Madame Web is the worst superhero movie in years.")] == [
        ("film", "Madame Web")
    ]
    # a person whom the sentence calls something in film stays a person
    assert [f.kind for f in find_people("Martin Scorsese is a film director of note.")] == ["person"]


def test_people_what_someone_directed_or_starred_in_is_a_film() -> None:
    found = [(f.kind, f.name) for f in find_people("Celine Song wrote and directed Past Lives.")]
    assert found == [("person", "Celine Song"), ("film", "Past Lives")]
    found = [(f.kind, f.name) for f in find_people("Damien Chazelle directed La La Land with verve.")]
    assert found == [("person", "Damien Chazelle"), ("film", "La La Land")]
    assert [f.kind for f in find_people("It was directed by Celine Song.")] == ["person"]


def test_people_title_cue_window_is_searched_only_where_a_cue_can_end() -> None:
    """The cheap test before the title-cue search never turns away a window the search would match."""
    import random

    from reelsense.people.mentions import _TITLE_CUE, _title_cue_before

    cues = ["movies like", "films such as", "remake of", "sequel to", "the likes of", "fans of", "watched",
            "re-watching", "co-directed", "wrote and directed", "starred in", "Saw", "SEEN", "classics like",
            "version of", "starring in", "cowrote", "a nod to", "follow-up to", "followup to", "riff on",
            "spin on", "update of"]  # fmt: skip
    others = ["the", "film", "Mr.", "and", "likes", "often", "seeing", "watcher", ",", "(", "\u00a0", "  "]
    rng = random.Random(7)
    for _ in range(3000):
        words = [rng.choice(cues + others) for _ in range(rng.randint(1, 6))]
        text = " ".join(words) + rng.choice(["", " ", "  ", "\n"]) + "Title"
        at = len(text) - len("Title")
        assert bool(_title_cue_before(text, at)) == bool(_TITLE_CUE.search(text, max(0, at - 30), at)), text


def test_people_films_a_review_refers_to_are_films() -> None:
    def found(text: str) -> list[tuple[str, str, int | None]]:
        return [(f.kind, f.name, f.year) for f in find_people(text)]

    assert found("The diner scene is a nod to Casablanca.") == [("film", "Casablanca", None)]
    assert found("His follow-up to Whiplash is bigger and sadder.") == [("film", "Whiplash", None)]
    assert found("The first musical to win since Gigi in 1958.") == [("film", "Gigi", 1958)]
    # a person after such words stays a person, and a mononym after "homage to" is no film
    assert found("A nod to Steven Spielberg, who produced.") == [("person", "Steven Spielberg", None)]
    assert found("The score pays loud homage to Vangelis.") == []
    # sentence openers are no names: "Like Heat before it" names no person "Like Heat"
    assert found("Like Heat before it, the film loves its thieves.") == []
