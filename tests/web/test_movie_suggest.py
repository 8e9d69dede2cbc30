import re

import pytest

from catalog.models import Movie
from movielens.titles import movie_title_fields
from tests.titled_movies import titled_movies_create

pytestmark = pytest.mark.django_db
SUGGEST = "/movies/suggest/"
LINK = re.compile(r'<a href="/movies/(\d+)/">([^<]+)</a>')


@pytest.fixture
def titled(db):
    return titled_movies_create()


def _links(response) -> list[tuple[int, str]]:
    assert response.status_code == 200
    return [(int(pk), text) for pk, text in LINK.findall(response.content.decode())]


def test_it_suggests_display_titles_linking_to_their_pages(client, titled):
    links = _links(client.get(SUGGEST, {"q": "Matrix, the"}))

    assert links[0] == (2571, "The Matrix (1999)")


def test_it_forgives_accents_and_a_typo(client, titled):
    assert _links(client.get(SUGGEST, {"q": "amelie"}))[0][0] == 4973
    assert 2571 in dict(_links(client.get(SUGGEST, {"q": "matirx"})))


def test_it_says_how_many_it_suggests_in_the_search_box_live_region(client, titled):
    html = client.get(SUGGEST, {"q": "toy story"}).content.decode()

    assert '<span id="site-search-status" hx-swap-oob="innerHTML">1 title suggested</span>' in html


def test_it_says_when_nothing_matches(client, titled):
    response = client.get(SUGGEST, {"q": "zzzz"})

    assert _links(response) == []
    assert "No title suggested" in response.content.decode()


def test_an_empty_box_clears_the_suggestions(client, titled):
    html = client.get(SUGGEST, {"q": ""}).content.decode()

    assert "<li>" not in html
    assert '<span id="site-search-status" hx-swap-oob="innerHTML"></span>' in html


def test_it_shows_at_most_eight(client, titled):
    Movie.objects.bulk_create(
        Movie(id=10_000 + i, **movie_title_fields(f"Star Trek {i} (1990)")) for i in range(12)
    )

    assert len(_links(client.get(SUGGEST, {"q": "star trek"}))) == 8


def test_it_refuses_other_methods(client, titled):
    assert client.post(SUGGEST, {"q": "matrix"}).status_code == 405


def test_every_page_has_a_labelled_search_box_that_works_without_javascript(client, titled):
    html = client.get("/").content.decode()

    start = html.index('<div class="site-search">')
    box = html[start : html.index("</header>", start)]
    assert '<label for="site-search-q"' in box
    form = box[box.index('<form role="search"') : box.index("</form>")]
    assert 'method="get" action="/movies/"' in form
    assert 'id="site-search-q" name="q"' in form
    assert f'hx-get="{SUGGEST}"' in form
    assert '<span id="site-search-status" class="visually-hidden" aria-live="polite">' in box
