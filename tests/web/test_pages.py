"""The HTML pages: the film list, a film, a review, the paste form; hostile text stays inert."""

from fastapi.testclient import TestClient

from ..conftest import ROOT
from .conftest import HOSTILE, post_reviews


def test_pages_render_and_escape_hostile_reviews(site: tuple[TestClient, str, str]) -> None:
    client, token, _ = site
    post_reviews(client, token, {"text": HOSTILE, "film": "Tidewater (2024)"})
    home = client.get("/", params={"min_reviews": 1})
    assert home.status_code == 200 and "Tidewater" in home.text
    film = client.get("/films/tidewater (2024)")
    assert film.status_code == 200 and "<svg" in film.text
    review_id = client.get("/v1/search", params={"q": "cast superb"}).json()["results"][0]["review_id"]
    page = client.get(f"/reviews/{review_id}").text
    assert "<script>" not in page and "onerror=alert" not in page.replace("onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;alert(&#34;owned&#34;)&lt;/script&gt;" in page
    pasted = client.post("/analyze", data={"text": HOSTILE}).text
    assert "<script>alert" not in pasted and "&lt;script&gt;" in pasted and 'id="verdict"' in pasted
    assert client.get("/films/nothing").status_code == 404


def test_pages_film_lists_its_reviews_and_a_review_links_its_film(site: tuple[TestClient, str, str]) -> None:
    client, token, _ = site
    text = "A haunting score and superb acting. I loved it."
    post_reviews(client, token, {"text": text, "film": "Tidewater (2024)"})
    film = client.get("/films/tidewater (2024)").text
    assert '<a href="/reviews/1">#1</a></td><td>Our Desk</td>' in film
    assert '<span class="verdict positive">positive</span>' in film
    review = client.get("/reviews/1").text
    assert '<a href="/films/tidewater%20%282024%29">Tidewater</a>' in review and "by Our Desk" in review
    assert client.get("/analyze").status_code == 200


def test_pages_errors_are_pages(site: tuple[TestClient, str, str]) -> None:
    client, _, _ = site
    missing = client.get("/reviews/99")
    assert missing.status_code == 404 and "<h1>404</h1>" in missing.text
    assert '<p class="lead">no review 99</p>' in missing.text


def test_pages_a_mixed_review_shows_its_praise_and_criticism(site: tuple[TestClient, str, str]) -> None:
    client, _, _ = site
    mixed = (ROOT / "examples" / "mixed-harbour-lights.txt").read_text(encoding="utf-8")
    page = client.post("/analyze", data={"text": mixed}).text
    assert '<span class="verdict mixed" id="verdict">mixed</span>' in page
    assert "P(positive)" not in page
    assert '<dl class="mixed" id="mixed-reasons"><dt>Praise</dt><dd>“The cinematography is stunning,' in page
    assert "<dt>Criticism</dt><dd>“The smuggling story is predictable," in page
    plain = client.post("/analyze", data={"text": "A haunting score and superb acting. I loved it."}).text
    assert "P(positive) " in plain and "mixed-reasons" not in plain


def test_pages_home_ranks_by_the_order_and_minimum_asked(site: tuple[TestClient, str, str]) -> None:
    client, token, _ = site
    reviews = [
        {"text": "A superb, moving film.", "film": "Tidewater (2024)"},
        {"text": "Gorgeous and moving; I loved it.", "film": "Tidewater (2024)"},
        {"text": "A dull, clumsy mess.", "film": "Dry Dock (2023)"},
    ]
    post_reviews(client, token, {"reviews": reviews})
    default = client.get("/").text  # films of one and two reviews: below the default minimum, said so
    assert "Tidewater" not in default and "0 films with at least 3 reviews" in default
    assert "2 more with fewer reviews are left out" in default and "min_reviews=1" in default
    home = client.get("/", params={"min_reviews": 1}).text
    assert "ranked by share positive" in home and '<option value="share" selected>' in home
    assert home.index("Tidewater") < home.index("Dry Dock") and "left out" not in home
    fewer = client.get("/", params={"sort": "title", "min_reviews": 2}).text
    assert "Tidewater" in fewer and "Dry Dock" not in fewer and "with at least 2 reviews" in fewer
    assert "1 more with fewer reviews is left out" in fewer
    assert '<option value="title" selected>' in fewer and 'value="2"' in fewer
    bad = client.get("/", params={"sort": "popularity"})
    assert bad.status_code == 422 and "<h1>422</h1>" in bad.text  # a page, not JSON


def test_pages_show_the_reviewers_own_ratings_beside_the_models(site: tuple[TestClient, str, str]) -> None:
    client, token, _ = site
    post_reviews(client, token, {"text": "A superb, moving film.", "film": "Tidewater (2024)", "rating": 9})
    film = client.get("/films/tidewater (2024)").text
    assert "the reviewers' own ratings: mean <strong>9.0</strong>/10 from 1 review " in film
    assert "<th>Their own</th>" in film and "<td>9.0</td>" in film
    review = client.get("/reviews/1").text
    assert "the reviewer's own rating <strong>9.0/10</strong>" in review
    assert client.get("/v1/films/tidewater (2024)").json()["stated"]["reviews"] == 1


def test_pages_film_lists_each_critic_with_their_own_ratings(site: tuple[TestClient, str, str]) -> None:
    client, token, _ = site
    reviews = [
        {"text": "A superb, moving film.", "film": "Tidewater (2024)", "critic": "Ann Lee", "rating": 9},
        {"text": "Gorgeous and moving.", "film": "Tidewater (2024)", "critic": "Ann Lee", "rating": 8},
        {"text": "A dull, clumsy mess.", "film": "Tidewater (2024)", "critic": "Bo Park", "rating": 3},
    ]
    post_reviews(client, token, {"reviews": reviews})
    film = client.get("/films/tidewater (2024)").text
    critics = film[film.index('<table class="films" id="critics">') :].split("</table>")[0]
    assert critics.index("Ann Lee") < critics.index("Bo Park")  # the most prolific first
    assert "<td>Ann Lee</td><td>2</td>" in critics and "<td>8.5</td>" in critics  # their own mean
    assert "naming no critic" not in film


def test_pages_film_lists_its_reviews_a_page_at_a_time(site: tuple[TestClient, str, str]) -> None:
    client, token, _ = site
    reviews = [{"text": f"Review {i}: a superb, moving film.", "film": "Tidewater (2024)"} for i in range(53)]
    post_reviews(client, token, {"reviews": reviews})
    first = client.get("/films/tidewater (2024)").text
    assert "page 1 of 2" in first and '<a href="?page=2">next →</a>' in first
    assert '<a href="/reviews/50">#50</a>' in first and '<a href="/reviews/51">#51</a>' not in first
    second = client.get("/films/tidewater (2024)", params={"page": 2}).text
    assert "page 2 of 2" in second and '<a href="?page=1">← previous</a>' in second
    assert '<a href="/reviews/51">#51</a>' in second and '<a href="/reviews/50">#50</a>' not in second
    assert client.get("/films/tidewater (2024)", params={"page": 0}).status_code == 422
