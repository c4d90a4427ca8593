"""End to end in a real headless browser: Debian's chromium driven by Playwright against `reelsense serve`.

Skips where chromium or Playwright is absent (.ci/run installs chromium, so CI runs it). Screenshots
of every page are kept in tests/artifacts/ (or $REELSENSE_ARTIFACTS).
"""

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from reelsense import Pipeline
from reelsense.corpus.ingest import FieldMap, ingest
from reelsense.corpus.store import Store
from reelsense.review import Item

from ..conftest import ROOT
from .conftest import serving

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
ARTIFACTS = Path(os.environ.get("REELSENSE_ARTIFACTS", ROOT / "tests" / "artifacts"))
REVIEW = (
    "Harbour Lights is two films stitched together. I loved the first hour: the cinematography is stunning "
    "and the cast is wonderful. But the crime plot is predictable and the last act drags badly."
)
HOSTILE = (
    'Lovely. <script>window.owned = true; alert("owned")</script> <img src=x onerror="window.owned=true">'
)

pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="end-to-end web test: Debian's chromium is not installed (apt-get install chromium)",
)


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory, pipeline: Pipeline) -> Iterator[str]:
    url = f"sqlite:///{tmp_path_factory.mktemp('e2e') / 'site.db'}"
    store = Store(url)
    items = [
        Item(
            "A haunting score and superb acting. I loved it.",
            "a",
            {"film": "Tidewater (2024)", "date": "2024-03-02"},
        ),
        Item(
            "Gorgeous and moving; the score is haunting.",
            "b",
            {"film": "Tidewater (2024)", "date": "2024-04-11"},
        ),
        Item(HOSTILE, "c", {"film": "Tidewater (2024)", "date": "2024-06-20"}),
    ]
    ingest(store, pipeline, items, "Our Desk", FieldMap(film_field="film"))
    with serving(url) as base:
        yield base


def test_web_e2e_paste_a_review_and_browse(server: str) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))

        page.goto(server + "/analyze")
        page.fill("#text", REVIEW)
        page.click("#submit")
        page.wait_for_selector("#result")
        assert page.inner_text("#verdict") in ("mixed", "positive", "negative")
        aspects = page.inner_text("#aspects")
        assert "acting" in aspects and "pacing" in aspects
        assert page.inner_text("#pull-quote").startswith("“")
        page.screenshot(path=str(ARTIFACTS / "analyze.png"), full_page=True)

        page.goto(server + "/")
        assert "Tidewater" in page.inner_text("main")
        page.screenshot(path=str(ARTIFACTS / "home.png"), full_page=True)
        # the ranking controls: another order and a minimum the one film does not reach
        page.select_option("select[name=sort]", "title")
        page.fill("input[name=min_reviews]", "4")
        page.click("text=Show")
        page.wait_for_url("**/?*min_reviews=4*")
        assert "0 films" in page.inner_text("main") and "ranked by title" in page.inner_text("main")
        assert "1 more with fewer reviews is left out" in page.inner_text("main")
        page.fill("input[name=min_reviews]", "1")
        page.click("text=Show")
        page.wait_for_url("**/?*min_reviews=1*")
        page.click("text=Tidewater")
        page.wait_for_selector("svg.chart")
        assert "3 reviews" in page.inner_text("main")
        page.screenshot(path=str(ARTIFACTS / "film.png"), full_page=True)

        for link in page.query_selector_all("a[href^='/reviews/']")[:3]:
            href = link.get_attribute("href")
            review = browser.new_page()
            review.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            review.goto(server + str(href))
            review.screenshot(
                path=str(ARTIFACTS / f"review-{str(href).rsplit('/', 1)[1]}.png"), full_page=True
            )
            assert review.evaluate("window.owned === undefined")
            review.close()

        phone = browser.new_page(viewport={"width": 390, "height": 844})
        for name, path in (("film", "/films/tidewater%20(2024)"), ("home", "/"), ("review", "/reviews/1")):
            phone.goto(server + path)
            phone.screenshot(path=str(ARTIFACTS / f"{name}-phone.png"), full_page=True)
            # nothing wider than the phone: no sideways scrolling on any page
            assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1"), name
        browser.close()
    assert dialogs == [], "a hostile review must not run script"
