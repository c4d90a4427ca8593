"""What pages draw, from hand-built reviews: marked-up text (always escaped) and the inline charts."""

from markupsafe import Markup

from reelsense.corpus.aggregate import AspectShare
from reelsense.review import Aspect, Evidence, Mention, Sentence
from reelsense.web.views import aspect_svg, histogram_svg, marked_text, tint

from ..conftest import make_review


def test_views_tint_leans_with_the_probability() -> None:
    assert [tint(0.9), tint(0.5), tint(0.1, solid=True)] == [
        "rgba(46, 160, 67, 0.34)",
        "rgba(46, 160, 67, 0.08)",
        "rgba(218, 54, 51, 0.85)",
    ]


def test_views_marked_text_escapes_and_marks() -> None:
    text = "<b>Bold</b> acting. De Niro shines."
    review = make_review(
        text=text,
        sentences=(Sentence(0, 19, "<b>Bold</b> acting.", 0.9, "positive", "opinion"),
                   Sentence(20, 35, "De Niro shines.", 0.8, None, "narration")),
        aspects=(Aspect("acting", "positive", 0.8, 1, (Evidence(0, 19, "", 12, 18, 0.8),)),),
        mentions=(Mention(20, 27, "De Niro", "person", "Robert De Niro", "actor"),),
    )  # fmt: skip
    assert marked_text(review) == Markup(
        '<span class="sentence" style="background:rgba(46, 160, 67, 0.34)" '
        'title="positive opinion P(+) 0.90">&lt;b&gt;Bold&lt;/b&gt; '
        '<mark class="aspect positive" title="acting: positive">acting</mark>.</span> '
        '<span class="sentence narration" style="background:rgba(46, 160, 67, 0.27)" '
        'title="narration P(+) 0.80"><mark class="name person" title="person, actor">De Niro</mark>'
        " shines.</span>"
    )


def test_views_histogram_and_aspect_charts() -> None:
    histogram = histogram_svg([0, 0, 0, 1, 0, 0, 0, 0, 2, 0])
    assert histogram.count("<rect") == 10 and "<title>8–9: 2</title>" in histogram
    aspects = aspect_svg({"acting": AspectShare(3, 0.833), "<pacing>": AspectShare(1, 0.0)})
    assert (
        ">&lt;pacing&gt;</text>" in aspects and ">83% · 3</text>" in aspects and ">0% · 1</text>" in aspects
    )


def test_views_aspect_chart_diverges_with_praise_right_and_criticism_left() -> None:
    chart = aspect_svg({"music": AspectShare(4, 0.625, positive=2, negative=1, mixed=1)}, width=360)
    # 210 wide halves of 105 around x=195: criticised 1/4 left of the grey half-quarter, praised 2/4 right
    assert '<rect x="155.6" y="4" width="26.2" height="16"' in chart and "criticised in 1 of 4" in chart
    assert '<rect x="181.9" y="4" width="26.2" height="16"' in chart and "both in 1 of 4" in chart
    assert '<rect x="208.1" y="4" width="52.5" height="16"' in chart and "praised in 2 of 4" in chart
    assert "◀ criticised" in chart and "praised ▶" in chart and ">62% · 4</text>" in chart


def test_views_time_chart_has_a_point_a_period() -> None:
    from reelsense.corpus.aggregate import TimePoint
    from reelsense.web.views import time_svg

    chart = time_svg(
        [TimePoint("2024-01", 3, 8.0, 1.0), TimePoint("2024-02", 1, 3.0, 0.0), TimePoint("<x>", 2, 5, 0.5)]
    )
    assert chart.count("<circle") == 3 and "<title>2024-02: 1 review, mean 3.0, 0% positive</title>" in chart
    assert "&lt;x&gt;" in chart and "<x>" not in chart
