import pytest

from catalog.models import Movie
from recommender.services.feedback import rating_submit
from tests.web.helpers import card_movie_ids, section

pytestmark = pytest.mark.django_db


def test_it_shows_genres_year_average_and_count(client, catalog):
    movie = Movie.objects.get(pk=5)

    html = " ".join(client.get("/movies/5/").content.decode().split())

    assert f"<h1>{movie.display_title}</h1>" in html
    assert f"{movie.year} · Sci-Fi" in html
    assert (
        f"Average <strong>{movie.average_stars:.1f}</strong> stars from {movie.rating_count}"
        in html
    )


def test_a_missing_movie_is_404(client, catalog):
    assert client.get("/movies/9999/").status_code == 404


def test_visitors_are_asked_to_log_in_to_rate(client, catalog):
    html = client.get("/movies/5/").content.decode()

    assert "/accounts/login/?next=/movies/5/" in html
    assert "Rate 1 star" not in html


def test_the_widget_shows_my_rating_not_someone_elses(
    client, member, other_member, catalog, refresh_calls
):
    rating_submit(user=other_member, movie_id=5, stars=2)
    client.force_login(member)
    html = client.get("/movies/5/").content.decode()
    assert "Not rated yet." in section(html, "rating-5")

    rating_submit(user=member, movie_id=5, stars=5)
    html = client.get("/movies/5/").content.decode()

    assert "You rated it 5 stars." in html


def test_similar_movies_come_from_the_model(client, trained):
    ids = card_movie_ids(client.get("/movies/5/").content.decode())

    assert len(ids) == 8
    assert 5 not in ids


def test_similar_movies_fall_back_to_the_genre_without_a_model(client, catalog):
    html = client.get("/movies/5/").content.decode()

    similar = card_movie_ids(section(html, "similar-heading"))
    assert similar
    assert all("Sci-Fi" in Movie.objects.get(pk=pk).genres for pk in similar)


def test_a_visitors_cached_page_never_reaches_a_signed_in_person(client, member, trained):
    visitor_html = client.get("/movies/3/").content.decode()
    client.force_login(member)

    html = client.get("/movies/3/").content.decode()

    assert "Rate 1 star" not in visitor_html
    assert "Rate 1 star" in html
    assert "to rate it" not in html
