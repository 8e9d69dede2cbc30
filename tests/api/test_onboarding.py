"""/api/v1/onboarding/: the groups to pick from, and my picks of them, per person."""

from catalog.models import Profile
from tests.api.helpers import client_for, error_of

GROUPS, PICKS = "/api/v1/onboarding/groups/", "/api/v1/onboarding/picks/"


def test_both_need_authentication(anonymous):
    assert anonymous.get(GROUPS).status_code == 401
    assert anonymous.put(PICKS, {"groups": [0]}, format="json").status_code == 401


def test_without_a_model_there_are_no_groups(synthetic_catalog, as_user):
    assert as_user.get(GROUPS).json() == {"groups": []}
    assert as_user.put(PICKS, {"groups": [0]}, format="json").status_code == 409


def test_groups_show_titles_genres_and_my_picks_only(
    trained, newcomer, django_user_model, refresh_calls
):
    other = django_user_model.objects.create_user("other", password="pw-for-tests-only")
    Profile.objects.create(user=other, gender="M", age=25, occupation=4)
    mine, theirs = client_for(newcomer), client_for(other)

    put = mine.put(PICKS, {"groups": [1]}, format="json")
    groups = mine.get(GROUPS).json()["groups"]

    assert put.status_code == 200
    assert put.json()["groups"] == groups
    assert [group["picked"] for group in groups][:3] == [False, True, False]
    assert all(group["movies"] and group["genres"] is not None for group in groups)
    assert not any(group["picked"] for group in theirs.get(GROUPS).json()["groups"])


def test_picks_change_my_recommendations(trained, newcomer, refresh_calls):
    client = client_for(newcomer)
    before = client.get("/api/v1/recommendations/").json()

    client.put(PICKS, {"groups": [0]}, format="json")

    assert client.get("/api/v1/recommendations/").json()["items"] != before["items"]


def test_bad_picks_are_refused_clearly(trained, newcomer):
    client = client_for(newcomer)

    unknown = client.put(PICKS, {"groups": [31]}, format="json")
    malformed = client.put(PICKS, {"groups": "all"}, format="json")

    assert unknown.status_code == 409
    assert "no group 31" in error_of(unknown)["message"]
    assert malformed.status_code == 400


def test_the_groups_take_four_queries_once_computed(trained, newcomer, django_assert_num_queries):
    client = client_for(newcomer)
    client.get(GROUPS)  # clusters the version's vectors once, then cached

    # The user, the active version, my picks, the titles shown.
    with django_assert_num_queries(4):
        assert client.get(GROUPS).status_code == 200
