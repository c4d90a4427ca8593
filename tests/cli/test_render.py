import io
from typing import Any

from rich.console import Console, RenderableType

from reelsense import Aspect, Evidence, Excerpt, Grade, Phrase, Rejected, Sentence
from reelsense.cli.render import films_table, review_report, search_table, sentiment_colour, summary_table
from reelsense.corpus.aggregate import FilmSummary
from reelsense.corpus.records import SearchHit

from ..conftest import make_review


def _lines(renderable: RenderableType, width: int = 80) -> list[str]:
    """What a terminal of `width` columns shows, without colour, trailing spaces cut."""
    console = Console(width=width, record=True, file=io.StringIO(), color_system=None)
    console.print(renderable)
    return [line.rstrip() for line in console.export_text().splitlines()]


def test_render_sentiment_colour_runs_red_grey_green() -> None:
    assert [sentiment_colour(p) for p in (0.0, 0.25, 0.5, 0.75, 1.0)] == [
        "rgb(220,40,40)", "rgb(170,80,80)", "rgb(120,120,120)", "rgb(75,160,90)", "rgb(30,200,60)",
    ]  # fmt: skip


def test_render_review_report_of_a_plain_review() -> None:
    assert _lines(review_report(make_review())) == [
        "╭─ r1 ─────────────────────────────────────────────────────────────────────────╮",
        "│  POSITIVE   P(positive) 0.70   rating 6.5/10 ██████░░░░   confidence 0.40    │",
        "│ Arc:   ■■  (2 sentences, first to last)                                      │",
        "│  P(+)  strongest sentences                                                   │",
        "│  0.90  A fine film.                                                          │",
        "│  0.20  A dull end.                                                           │",
        "╰──────────────────────────────────────────────────────────────────────────────╯",
    ]


def test_render_review_report_shows_every_part_it_has() -> None:
    text = "The acting is superb. Then a storm hits the town. 8/10."
    superb = "The acting is superb."
    review = make_review(
        text=text,
        normalized=text,
        sentences=(
            Sentence(0, 21, superb, 0.95, "positive", "opinion"),
            Sentence(22, 50, "Then a storm hits the town.", 0.5, "neutral", "narration"),
            Sentence(51, 56, "8/10.", 0.8, "positive", "opinion"),
        ),
        grade=Grade(51, 55, "8/10", 8.0, 10.0),
        rating=8.0,
        predicted_rating=6.5,
        flags=("short",),
        phrases=(Phrase(14, 20, "superb", 1.25), Phrase(44, 48, "town", -0.1)),
        pull_quote=Excerpt(0, 21, superb),
        summary=(Excerpt(0, 21, superb),),
        aspects=(Aspect("acting", "positive", 0.9, 1, (Evidence(0, 21, superb, 4, 10, 0.9),)),),
    )
    assert _lines(review_report(review, title="one review"), width=90) == [
        "╭─ one review ───────────────────────────────────────────────────────────────────────────╮",
        "│  POSITIVE   P(positive) 0.70   rating 8.0/10 ████████░░   confidence 0.40              │",
        "│ Stated grade: “8/10” = 8/10 (the rating); predicted from the text 6.5/10               │",
        "│ Flags: short                                                                           │",
        "│ Arc:   ■·■  (3 sentences, first to last; · = narration, 1)                             │",
        "│ Pull quote: “The acting is superb.”                                                    │",
        "│ Summary: The acting is superb.                                                         │",
        "│  aspect  polarity  score         n  best evidence                                      │",
        "│  acting  positive  +0.90  ████░  1  The acting is superb.                              │",
        "│ Pushed up:   “superb” +1.25                                                            │",
        "│ Pushed down: “town” -0.10                                                              │",
        "│  P(+)  strongest sentences                                                             │",
        "│  0.95  The acting is superb.                                                           │",
        "│  0.50  Then a storm hits the town.                                                     │",
        "│  0.80  8/10.                                                                           │",
        "╰────────────────────────────────────────────────────────────────────────────────────────╯",
    ]


def test_render_review_report_says_when_the_grade_disagrees() -> None:
    review = make_review(
        grade=Grade(0, 4, "9/10", 9.0, 10.0), rating=9.0, predicted_rating=2.4, flags=("grade_disagrees",)
    )
    assert _lines(review_report(review))[1:5] == [
        "│  POSITIVE   P(positive) 0.70   rating 9.0/10 █████████░   confidence 0.40    │",
        "│ Stated grade: “9/10” = 9/10 (the rating); predicted from the text 2.4/10     │",
        "│ The stated grade and the text's reading differ by more than 2.5 points.      │",
        "│ Flags: grade_disagrees                                                       │",
    ]


def test_render_summary_table_has_a_row_per_result() -> None:
    graded = make_review(grade=Grade(0, 4, "4/5", 8.0, 5.0), flags=("short",))
    mixed = make_review(id="r3", verdict="mixed", probability=0.94)
    results = [graded, Rejected("r2", "empty text"), mixed]
    assert _lines(summary_table(results)) == [
        "┏━━━━┳━━━━━━━━━━┳━━━━━━┳━━━━━━━━┳━━━━━━━┳━━━━━━━━━━━━━━━━┓",
        "┃ id ┃ verdict  ┃ P(+) ┃ rating ┃ grade ┃ flags / reason ┃",
        "┡━━━━╇━━━━━━━━━━╇━━━━━━╇━━━━━━━━╇━━━━━━━╇━━━━━━━━━━━━━━━━┩",
        "│ r1 │ positive │ 0.70 │    6.5 │     8 │ short          │",
        "│ r2 │ rejected │      │        │       │ empty text     │",
        "│ r3 │ mixed    │    — │    6.5 │       │                │",
        "└────┴──────────┴──────┴────────┴───────┴────────────────┘",
    ]


def _film(**values: Any) -> FilmSummary:
    film = {"key": "tt1", "title": "Tidewater", "year": 2024, "reviews": 2, "share_positive": 1.0,
            "share_positive_interval": (0.34, 1.0), "score": 80, "mean_rating": 8.0}  # fmt: skip
    return FilmSummary(**{**film, **values})


def test_render_films_table_ranks_and_shades_the_interval() -> None:
    films = [
        _film(standing="liked", score_words="favourable"),
        _film(key="dry dock (2023)", title=None, year=None, reviews=1, share_positive=0.0,
              share_positive_interval=(0.0, 0.79), score=20, mean_rating=2.0),
    ]  # fmt: skip
    assert _lines(films_table(films)) == [
        "┏━━━┳━━━━━━━━━━━━━┳━━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━━━━━━┳━━━━━━━━━━━━━━┳━━━━━━━━━━┓",
        "┃   ┃             ┃         ┃          ┃ 95%         ┃              ┃          ┃",
        "┃ # ┃ film        ┃ reviews ┃ positive ┃ interval    ┃ score        ┃ standing ┃",
        "┡━━━╇━━━━━━━━━━━━━╇━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━━━━━━╇━━━━━━━━━━━━━━╇━━━━━━━━━━┩",
        "│ 1 │ Tidewater   │       2 │     100% │ ░░░░▒▒▒▒▒▒… │ 80           │ liked    │",
        "│   │ (2024)  tt1 │         │          │ 34%–100%    │ favourable   │          │",
        "│ 2 │ dry dock    │       1 │       0% │ █▒▒▒▒▒▒▒▒▒… │ 20           │          │",
        "│   │ (2023)      │         │          │ 0%–79%      │              │          │",
        "└───┴─────────────┴─────────┴──────────┴─────────────┴──────────────┴──────────┘",
    ]


def test_render_search_table_snips_around_the_first_word_found() -> None:
    hits = [
        SearchHit(review_id=1, title="Tidewater", film="tt1", verdict="positive", rating=8.25,
                  text="A haunting score and superb acting.<br />I loved it."),
        SearchHit(review_id=2, title=None, film="dry dock (2023)", verdict="negative", rating=2.0,
                  text="x " * 50 + "the score is haunting, but nothing else is."),
    ]  # fmt: skip
    assert _lines(search_table(hits, "haunting score")) == [
        "┏━━━━━━━━┳━━━━━━━━━━━━━━━━━┳━━━━━━━━━━┳━━━━━━━━┳━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┓",
        "┃ review ┃ film            ┃ verdict  ┃ rating ┃ snippet                       ┃",
        "┡━━━━━━━━╇━━━━━━━━━━━━━━━━━╇━━━━━━━━━━╇━━━━━━━━╇━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━━┩",
        "│ 1      │ Tidewater       │ positive │ 8.2    │ A haunting score and superb   │",
        "│        │                 │          │        │ acting. I loved it.           │",
        "│ 2      │ dry dock (2023) │ negative │ 2.0    │ …x x x x x x x x x x x x x x  │",
        "│        │                 │          │        │ x x x x x x x x x x x x x x   │",
        "│        │                 │          │        │ the score is haunting, but    │",
        "│        │                 │          │        │ nothing else is.              │",
        "└────────┴─────────────────┴──────────┴────────┴───────────────────────────────┘",
    ]
