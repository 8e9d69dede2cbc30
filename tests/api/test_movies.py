import pytest

from catalog.models import Rating
from recommender.services.feedback import rating_submit
from tests.api.helpers import client_for, error_of
from tests.titled_movies import titled_movies_create

MOVIES = "/api/v1/movies/"


def _ids(response) -> list[int]:
    assert response.status_code == 200, response.json()
    return [movie["id"] for movie in response.json()["results"]]


def test_anyone_can_list_movies_most_rated_first_with_averages(anonymous, movies):
    response = anonymous.get(MOVIES)

    assert _ids(response) == [1, 4, 3, 2, 5]
    first = response.json()["results"][0]
    assert first == {
        "id": 1,
        "title": "Toy Story",
        "year": 1995,
        "genres": ["Animation", "Children's", "Comedy"],
        "rating_count": 10,
        "average_stars": 4.2,
    }
    assert response.json()["count"] == 5


@pytest.mark.parametrize(
    ("query", "ids"),
    [
        ({"search": "ALIEN"}, [4]),
        ({"genre": "Children's"}, [1, 2]),
        ({"year_min": 1970, "year_max": 1980}, [4]),
        ({"year_max": 1950}, [5]),
        ({"ordering": "title"}, [4, 5, 3, 2, 1]),
        ({"ordering": "rating"}, [4, 3, 1, 2, 5]),
        ({"ordering": "year", "genre": "Horror"}, [4]),
    ],
)
def test_movie_list_filters_and_orders(anonymous, movies, query, ids):
    assert _ids(anonymous.get(MOVIES, query)) == ids


def test_titles_read_as_people_say_them_in_lists_and_details(anonymous, db):
    titled_movies_create()

    listed = {movie["id"]: movie["title"] for movie in anonymous.get(MOVIES).json()["results"]}

    assert listed[2571] == "The Matrix (1999)"
    assert listed[29] == "The City of Lost Children (La Cité des enfants perdus) (1995)"
    assert anonymous.get(f"{MOVIES}1273/").json()["title"] == "L'Appartement (1996)"


@pytest.mark.parametrize(
    ("search", "first"),
    [("Matrix, The", 2571), ("the matrix", 2571), ("AMELIE", 4973), ("matirx", 2571)],
)
def test_search_forgives_the_article_case_accents_and_a_typo(anonymous, db, search, first):
    titled_movies_create()

    assert _ids(anonymous.get(MOVIES, {"search": search}))[0] == first


def test_movie_list_pages(anonymous, movies):
    response = anonymous.get(MOVIES, {"page_size": 2, "page": 2})

    assert _ids(response) == [3, 2]
    assert response.json()["next"]
    assert response.json()["previous"]


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"genre": "Jazz"}, "genre"),
        ({"year_min": "1.5"}, "year_min"),
        ({"ordering": "x"}, "ordering"),
    ],
)
def test_movie_list_refuses_bad_filters(anonymous, movies, query, field):
    response = anonymous.get(MOVIES, query)

    assert response.status_code == 400
    assert field in error_of(response)["fields"]


def test_a_page_past_the_end_is_a_404_in_the_error_shape(anonymous, movies):
    response = anonymous.get(MOVIES, {"page": 9})

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_anonymous_movie_detail_has_no_personal_stars(anonymous, movies):
    body = anonymous.get(f"{MOVIES}4/").json()

    assert (body["title"], body["average_stars"]) == ("Alien", 4.5)
    assert (body["my_stars"], body["predicted_stars"]) == (None, None)


def test_movie_detail_shows_my_stars_not_someone_elses(as_user, other_user, movies):
    rating_submit(user=other_user, movie_id=4, stars=2)

    assert as_user.get(f"{MOVIES}4/").json()["my_stars"] is None


def test_movie_detail_shows_my_stars_and_none_predicted_without_a_model(as_user, user, movies):
    rating_submit(user=user, movie_id=4, stars=5)

    body = as_user.get(f"{MOVIES}4/").json()

    assert (body["my_stars"], body["predicted_stars"]) == (5, None)


def test_movie_detail_predicts_my_stars_with_the_active_model(trained, newcomer):
    body = client_for(newcomer).get(f"{MOVIES}3/").json()

    assert 1 <= body["predicted_stars"] <= 5


@pytest.mark.parametrize("movie_id", ["999", "abc", "0", "-1", "99999999999"])
def test_an_unknown_or_malformed_movie_id_is_a_json_404(anonymous, movies, movie_id):
    response = anonymous.get(f"{MOVIES}{movie_id}/")

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_similar_movies_come_from_the_model_index(trained, anonymous):
    response = anonymous.get(f"{MOVIES}1/similar/", {"limit": 5})

    assert response.status_code == 200
    ids = [movie["id"] for movie in response.json()]
    assert len(ids) == 5
    assert 1 not in ids


def test_similar_movies_fall_back_to_popular_in_its_genre_without_an_index(
    anonymous, movies, settings
):
    settings.MILVUS_URI = "http://127.0.0.1:9"  # nothing listens there

    response = anonymous.get(f"{MOVIES}2/similar/")

    assert response.status_code == 200
    assert 2 not in [movie["id"] for movie in response.json()]


def test_similar_refuses_a_limit_out_of_range(anonymous, movies):
    response = anonymous.get(f"{MOVIES}1/similar/", {"limit": 0})

    assert response.status_code == 400
    assert "limit" in error_of(response)["fields"]


def test_similar_of_a_missing_movie_is_a_404(anonymous, movies):
    assert anonymous.get(f"{MOVIES}77/similar/").status_code == 404


def test_writes_to_the_movie_list_are_not_allowed(as_user, movies):
    response = as_user.post(MOVIES, {"title": "Mine"}, format="json")

    assert response.status_code == 405
    assert error_of(response)["code"] == "method_not_allowed"
    assert not Rating.objects.exists()
