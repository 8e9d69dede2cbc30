"""Ratings edited in the admin go through the rating services, so every movie's totals
(rating_count, rating_sum: the averages and the "Highest average" order) stay right."""

import pytest

from catalog.models import Movie, Rating
from catalog.services.movie_totals import movie_totals_fold
from catalog.services.ratings import rating_set

pytestmark = pytest.mark.django_db

RATINGS = "/admin/catalog/rating/"


@pytest.fixture
def movie(catalog):
    """A movie whose totals the synthetic catalog set as an import does."""
    return Movie.objects.get(pk=1)


def _totals(movie: Movie) -> tuple[int, int]:
    movie_totals_fold()  # as beat does within seconds (catalog.services.movie_totals)
    movie.refresh_from_db()
    return movie.rating_count, movie.rating_sum


def _true_totals(movie: Movie) -> tuple[int, int]:
    stars = list(Rating.objects.filter(movie=movie).values_list("stars", flat=True))
    return len(stars), sum(stars)


def test_changing_the_stars_keeps_the_totals(staff_client, member, movie):
    rating, _ = rating_set(user=member, movie_id=movie.pk, stars=1)

    response = staff_client.post(f"{RATINGS}{rating.pk}/change/", {"stars": "5"})

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Rating.objects.get(pk=rating.pk).stars == 5
    assert _totals(movie) == _true_totals(movie)


def test_adding_a_rating_keeps_the_totals(staff_client, member, movie):
    response = staff_client.post(
        f"{RATINGS}add/", {"user": member.pk, "movie": movie.pk, "stars": "4"}
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    assert Rating.objects.get(user=member, movie=movie).stars == 4
    assert _totals(movie) == _true_totals(movie)


def test_deleting_a_rating_keeps_the_totals(staff_client, member, movie):
    rating, _ = rating_set(user=member, movie_id=movie.pk, stars=2)

    response = staff_client.post(f"{RATINGS}{rating.pk}/delete/", {"post": "yes"})

    assert response.status_code == 302
    assert not Rating.objects.filter(pk=rating.pk).exists()
    assert _totals(movie) == _true_totals(movie)


def test_deleting_ratings_in_bulk_keeps_the_totals(staff_client, member, other_member, movie):
    chosen = [rating_set(user=p, movie_id=movie.pk, stars=3)[0].pk for p in (member, other_member)]

    response = staff_client.post(
        RATINGS, {"action": "delete_selected", "_selected_action": chosen, "post": "yes"}
    )

    assert response.status_code == 302
    assert not Rating.objects.filter(pk__in=chosen).exists()
    assert _totals(movie) == _true_totals(movie)
