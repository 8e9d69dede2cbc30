import pytest

from catalog.models import Profile
from movierec_site.api.views import recommendations as recommendations_view
from recommender.models import ModelVersion
from tests.api.helpers import client_for, error_of
from tests.training import model_version_row

RECOMMENDATIONS = "/api/v1/recommendations/"


@pytest.mark.django_db
def test_recommendations_need_authentication(anonymous):
    response = anonymous.get(RECOMMENDATIONS)

    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"limit": 0}, "limit"),
        ({"limit": 101}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"page": 0}, "page"),
        ({"genre": "Jazz"}, "genre"),
    ],
)
def test_recommendations_refuse_bad_parameters(as_user, query, field):
    response = as_user.get(RECOMMENDATIONS, query)

    assert response.status_code == 400
    assert field in error_of(response)["fields"]


def test_without_a_model_the_list_is_the_popular_fallback(synthetic_catalog, as_user):
    body = as_user.get(RECOMMENDATIONS, {"limit": 5}).json()

    assert (body["fallback"], body["model_version_id"]) == (True, None)
    assert len(body["items"]) == 5
    assert all(item["predicted_stars"] is None for item in body["items"])


def test_a_trained_model_ranks_with_stars_reasons_and_its_version(
    trained, synthetic_catalog, django_user_model
):
    known = django_user_model.objects.get(pk=synthetic_catalog[1][1])

    body = client_for(known).get(RECOMMENDATIONS, {"limit": 10}).json()

    assert (body["fallback"], body["model_version_id"]) == (False, trained.pk)
    assert len(body["items"]) == 10
    assert all(1 <= item["predicted_stars"] <= 5 for item in body["items"])
    assert all(item["reason"].startswith("Because you rated") for item in body["items"])
    assert {"id", "title", "genres"} <= set(body["items"][0]["movie"])


def test_pages_and_genre_narrow_the_list(trained, newcomer):
    client = client_for(newcomer)
    first = client.get(RECOMMENDATIONS, {"limit": 5, "page": 1}).json()
    second = client.get(RECOMMENDATIONS, {"limit": 5, "page": 2}).json()
    horror = client.get(RECOMMENDATIONS, {"limit": 5, "genre": "Horror"}).json()

    first_ids = {item["movie"]["id"] for item in first["items"]}
    assert not first_ids & {item["movie"]["id"] for item in second["items"]}
    assert (second["page"], second["limit"], second["total"]) == (2, 5, first["total"])
    assert all("Horror" in item["movie"]["genres"] for item in horror["items"])


@pytest.mark.django_db(transaction=True)
def test_a_rating_shows_in_the_next_answer(trained, newcomer, refresh_calls):
    """Answers are cached per list state: the rating (committed, as in a request) moves it."""
    client = client_for(newcomer)
    first = client.get(RECOMMENDATIONS, {"limit": 10}).json()["items"][0]["movie"]["id"]
    assert client.get(RECOMMENDATIONS, {"limit": 10}).json()["items"][0]["movie"]["id"] == first

    assert client.put(f"/api/v1/ratings/{first}/", {"stars": 2}, format="json").status_code in {
        200,
        201,
    }

    after = client.get(RECOMMENDATIONS, {"limit": 10}).json()["items"]
    assert first not in [item["movie"]["id"] for item in after]


def test_a_profile_change_shows_in_the_next_answer(trained, newcomer, mocker):
    """New demographics make a new person vector, so the answer is computed again."""
    client = client_for(newcomer)
    client.get(RECOMMENDATIONS, {"limit": 10})
    computed = mocker.spy(recommendations_view, "recommendation_list")
    client.get(RECOMMENDATIONS, {"limit": 10})
    assert computed.call_count == 0  # the cached answer

    Profile.objects.filter(user=newcomer).update(gender="M", age=56)
    client.get(RECOMMENDATIONS, {"limit": 10})

    assert computed.call_count == 1


def test_a_model_activation_shows_in_the_next_answer(trained, newcomer):
    client = client_for(newcomer)
    assert client.get(RECOMMENDATIONS).json()["model_version_id"] == trained.pk
    # What activation leaves in PostgreSQL. This version has no artifact to load, so the
    # answer falls back to popular movies, with no version behind it.
    ModelVersion.objects.filter(is_active=True).update(is_active=False)
    model_version_row(is_active=True)

    body = client.get(RECOMMENDATIONS).json()

    assert (body["model_version_id"], body["fallback"]) == (None, True)
