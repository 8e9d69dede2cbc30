import pytest

from catalog.models import Movie
from recommender.services.feedback import rating_submit
from tests.titled_movies import titled_movies_create
from tests.web.helpers import card_movie_ids

pytestmark = pytest.mark.django_db


def _ids(client, query: str) -> list[int]:
    return card_movie_ids(client.get(f"/movies/?{query}").content.decode())


def test_the_list_is_paged_most_rated_first(client, catalog):
    page = client.get("/movies/").context["page"]

    assert page.paginator.count == 80
    assert len(page) == 24
    counts = [movie.rating_count for movie in page]
    assert counts == sorted(counts, reverse=True)


def test_search_matches_titles(client, catalog):
    ids = _ids(client, "q=robot&page=1")

    assert ids
    assert all("robot" in Movie.objects.get(pk=pk).title for pk in ids)


@pytest.mark.parametrize(
    ("query", "first"),
    [("q=Matrix%2C+The", 2571), ("q=THE+MATRIX", 2571), ("q=amelie", 4973), ("q=matirx", 2571)],
)
def test_search_forgives_the_article_case_accents_and_a_typo(client, query, first):
    titled_movies_create()

    assert _ids(client, query)[0] == first


def test_cards_show_titles_as_people_say_them(client):
    titled_movies_create()

    html = client.get("/movies/?q=matrix").content.decode()

    assert ">The Matrix (1999)</a></h3>" in html
    assert "Matrix, The" not in html


def test_genre_and_year_range_filter(client, catalog):
    response = client.get("/movies/?genre=Horror&year_min=1985&year_max=1990")

    movies = list(response.context["page"])
    assert movies
    assert all("Horror" in m.genres and 1985 <= m.year <= 1990 for m in movies)


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("rating", lambda m: -m.damped_average),
        ("year", lambda m: -m.year),
        ("title", lambda m: m.title),
    ],
)
def test_it_sorts(client, catalog, sort, key):
    movies = list(client.get(f"/movies/?sort={sort}").context["page"])

    assert movies == sorted(movies, key=key)


@pytest.mark.parametrize(("page", "shown"), [("99", 4), ("abc", 1), ("-1", 4), ("0", 4)])
def test_a_bad_page_number_shows_a_real_page(client, catalog, page, shown):
    response = client.get(f"/movies/?page={page}")

    assert response.status_code == 200
    assert response.context["page"].number == shown


def test_bad_filter_values_are_explained_not_an_error(client, catalog):
    response = client.get("/movies/?year_min=abc&sort=nonsense&genre=Polka")

    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"year_min", "sort", "genre"}
    assert response.context["page"].paginator.count == 80


def test_page_links_keep_the_filters(client, catalog):
    html = client.get("/movies/?genre=Comedy&sort=year&page=1").content.decode()

    assert "No movie matches" not in html
    html = client.get("/movies/?sort=title").content.decode()
    assert 'href="?sort=title&amp;page=2"' in html


def test_signed_in_people_see_their_stars_on_the_list(
    member_client, member, catalog, refresh_calls
):
    first = _ids(member_client, "")[0]
    rating_submit(user=member, movie_id=first, stars=4)

    html = member_client.get("/movies/").content.decode()

    widget = html[html.index(f'id="rating-{first}"') :]
    assert 'aria-label="Rate 4 stars"\n              aria-pressed="true"' in widget


def test_visitors_get_no_rating_buttons(client, catalog):
    assert "Rate 1 star" not in client.get("/movies/").content.decode()
