import pytest
from rapidfuzz.distance import Levenshtein

from reelsense import Pipeline
from reelsense.kb.base import KnowledgeBase, TitleRecord
from reelsense.kb.names import name_key
from reelsense.people.checks import kb_checks, suggest, two_spellings
from reelsense.people.mentions import NameSpan
from reelsense.review import Check, Mention

TAXI_DRIVER = TitleRecord("tt0075314", "Taxi Driver", 1976, "movie")


MISSPELT = (
    "“Martin Scorcese” is probably “Martin Scorsese” (1 letter off; credited as director on Taxi Driver)"
)


def same_span(start: int, end: int) -> tuple[int, int]:
    return start, end


def test_checks_edit_distance_is_capped_past_the_cutoff() -> None:
    """What the checks rely on in rapidfuzz: exact distances up to the cutoff, cutoff + 1 beyond it."""
    assert Levenshtein.distance("scorsese", "scorcese") == 1
    assert Levenshtein.distance("herrmann", "hermann") == 1
    assert Levenshtein.distance("a", "abcdefgh", score_cutoff=2) == 3


def test_checks_spelling_role_and_year(linked: Pipeline) -> None:
    review = linked.analyze(
        "Taxi Driver (1977) is a landmark. Director Bernard Herrmann keeps the city close. "
        "Martin Scorcese produced it. Robert De Niro is superb."
    )
    found = {c.kind: c for c in review.checks}
    assert set(found) == {"wrong_year", "wrong_role", "misspelling"}
    assert found["wrong_year"].suggestion == "1976"
    assert found["wrong_year"].message == "Taxi Driver is from 1976, not 1977"
    assert (
        found["wrong_role"].message
        == "Bernard Herrmann is credited as composer on Taxi Driver, not as director"
    )
    assert found["misspelling"].suggestion == "Martin Scorsese"
    assert found["misspelling"].message == MISSPELT
    (span,) = found["misspelling"].spans
    assert review.text[span[0] : span[1]] == "Martin Scorcese"


def person(text: str, name: str, kind: str = "person") -> Mention:
    start = text.index(name)
    return Mention(start, start + len(name), name, kind, name)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "first,second,flagged",
    [
        ("Martin Scorsese", "Martin Scorcese", True),  # 1 letter off
        ("Martin Scorsese", "Scorzeze", True),  # 2 off, a surname alone
        ("Martin Scorsese", "Martin Skorzeze", False),  # 3 off
        ("Martin Scorsese", "Bruno Scorcese", False),  # another first name: another person
        ("Joe Pesci", "Joe Pesky", True),  # the shortest surname compared
        ("Sean Penn", "Sean Pena", False),  # too short to tell a misspelling from another name
    ],
)
def test_checks_two_spellings_thresholds(first: str, second: str, flagged: bool) -> None:
    text = f"{first} stars. {second} too."
    a, b = person(text, first), person(text, second)
    message = f"“{first}” and “{second}” look like one name spelt two ways"
    expected = [Check("two_spellings", message, ((a.start, a.end), (b.start, b.end)))]
    assert two_spellings([a, b]) == (expected if flagged else [])


def test_checks_two_spellings_compares_people_with_people_only() -> None:
    text = "Travis meets Travers."
    assert two_spellings([person(text, "Travis", "character"), person(text, "Travers")]) == []
    assert two_spellings([person(text, "Travis", "character"), person(text, "Travers", "character")]) == [
        Check("two_spellings", "“Travis” and “Travers” look like one name spelt two ways", ((0, 6), (13, 20)))
    ]


def test_checks_suggest_the_nearest_credited_name(kb: KnowledgeBase) -> None:
    assert suggest("Martin Scorcese", TAXI_DRIVER, kb) == "Martin Scorsese"
    assert suggest("Bernard Hermann", TAXI_DRIVER, kb) == "Bernard Herrmann"
    assert suggest("Jody Fostar", TAXI_DRIVER, kb) == "Jodie Foster"  # 3 off, but sounds the same
    assert suggest("Jodie Mustar", TAXI_DRIVER, kb) is None  # 3 off, and sounds otherwise
    assert suggest("Nick Nolty", TAXI_DRIVER, kb) is None  # credited on another film only


def test_checks_kb_checks_in_the_order_the_review_states_them(kb: KnowledgeBase) -> None:
    found = [
        NameSpan(0, 11, "film", "Taxi Driver", year=1977),
        NameSpan(20, 36, "person", "Bernard Herrmann", role="director"),
        NameSpan(40, 55, "person", "Martin Scorcese", role="producer"),
        NameSpan(60, 74, "person", "Robert De Niro", role="actor"),
        NameSpan(80, 96, "person", "Bernard Herrmann", role="director"),  # named again: checked once
    ]
    assert kb_checks(found, TAXI_DRIVER, kb, same_span) == [
        Check(
            "wrong_role",
            "Bernard Herrmann is credited as composer on Taxi Driver, not as director",
            ((20, 36),),
            "composer",
        ),
        Check(
            "misspelling",
            MISSPELT,
            ((40, 55),),
            "Martin Scorsese",
        ),
        Check("wrong_year", "Taxi Driver is from 1976, not 1977", ((0, 11),), "1976"),
    ]


def test_checks_kb_checks_only_what_the_credits_say(kb: KnowledgeBase) -> None:
    found = [
        NameSpan(0, 12, "person", "Jodie Foster", role="actor"),  # credited as actress: the same job
        NameSpan(20, 34, "person", "Robert Mitchum", role="director"),  # not credited on the film
        NameSpan(40, 56, "person", "Bernard Herrmann", role="critic"),  # no credit category to compare
        NameSpan(60, 68, "person", "Scorcese"),  # a surname alone is not looked up for a suggestion
        NameSpan(70, 81, "film", "Raging Bull", year=1977),  # another film's year is not checked
    ]
    assert kb_checks(found, TAXI_DRIVER, kb, same_span) == []


def test_checks_kb_checks_need_the_film_and_map_spans(kb: KnowledgeBase) -> None:
    found = [
        NameSpan(0, 16, "person", "Bernard Herrmann", role="director"),
        NameSpan(20, 35, "person", "Martin Scorcese"),
    ]
    assert kb_checks(found, None, kb, same_span) == []
    assert kb_checks(found, TAXI_DRIVER, kb, lambda a, b: (a + 100, b + 100)) == [
        Check(
            "wrong_role",
            "Bernard Herrmann is credited as composer on Taxi Driver, not as director",
            ((100, 116),),
            "composer",
        ),
        Check(
            "misspelling",
            MISSPELT,
            ((120, 135),),
            "Martin Scorsese",
        ),
    ]


@pytest.mark.parametrize("paired_directly", [0, 60])
def test_checks_two_spellings_finds_what_comparing_every_pair_finds(
    paired_directly: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past a few dozen names the close pairs come from an index of deletions, below it from pairs
    of close length: either way, the checks that comparing every pair gives."""
    import random
    import string

    from reelsense.people.checks import _names_alike, _titles_alike

    def every_pair(mentions: list[Mention]) -> list[tuple[int, int]]:
        named: dict[tuple[str, str], Mention] = {}
        for m in mentions:
            named.setdefault((m.kind, m.name), m)
        seen = list(named.items())
        found = []
        for i, ((kind, a_name), a) in enumerate(seen):
            for (other, b_name), b in seen[i + 1 :]:
                alike = (
                    _titles_alike(name_key(a_name), name_key(b_name))
                    if kind == "film"
                    else _names_alike(a_name, b_name)
                )
                if kind == other and alike:
                    found.append((a.start, b.start))
        return found

    monkeypatch.setattr("reelsense.people.checks.PAIRED_DIRECTLY", paired_directly)
    rng = random.Random(3)

    def slip(word: str) -> str:
        letters = list(word)
        for _ in range(rng.randint(0, 3)):
            k = rng.randrange(len(letters))
            letters[k : k + rng.randint(0, 1)] = rng.choice(["", rng.choice(string.ascii_lowercase)])
        return "".join(letters) or word

    for _ in range(300):
        mentions = []
        for n in range(rng.randint(2, 20)):
            kind = rng.choice(["person", "character", "film"])
            if kind == "film":
                name = slip(rng.choice(["The Shawshank Redemption", "Harbour Lights Forever"]))
            else:
                name = (
                    rng.choice(["", "Martin ", "Anna "])
                    + slip(rng.choice(["Scorsese", "Kubrick", "Gerwig"])).capitalize()
                )
            mentions.append(Mention(n * 100, n * 100 + len(name), name, kind, name))
        assert [(c.spans[0][0], c.spans[1][0]) for c in two_spellings(mentions)] == every_pair(mentions)
