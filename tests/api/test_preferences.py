"""/api/v1/me/preferences/ (the saved popularity dial) and recommendations/?popularity=
(a one-off): -2..2 only, per person."""

import pytest

from catalog.models import Profile
from tests.api.helpers import error_of

PREFERENCES = "/api/v1/me/preferences/"
RECOMMENDATIONS = "/api/v1/recommendations/"


@pytest.mark.django_db
def test_preferences_need_authentication(anonymous):
    assert anonymous.get(PREFERENCES).status_code == 401
    assert anonymous.put(PREFERENCES, {"popularity": 1}, format="json").status_code == 401


def test_put_saves_my_dial_and_not_anyone_elses(as_user, as_other, user, other_user, refresh_calls):
    assert as_user.get(PREFERENCES).json() == {"popularity": 0}

    response = as_user.put(PREFERENCES, {"popularity": -2}, format="json")

    assert response.status_code == 200
    assert response.json() == {"popularity": -2}
    assert as_user.get(PREFERENCES).json() == {"popularity": -2}
    assert as_other.get(PREFERENCES).json() == {"popularity": 0}
    assert Profile.objects.get(user=other_user).popularity_dial == 0


@pytest.mark.parametrize("body", [{"popularity": 3}, {"popularity": "1"}, {"popularity": True}, {}])
def test_put_refuses_other_values(as_user, user, body):
    response = as_user.put(PREFERENCES, body, format="json")

    assert response.status_code == 400
    assert "popularity" in error_of(response)["fields"]
    assert Profile.objects.get(user=user).popularity_dial == 0


@pytest.mark.parametrize("value", ["3", "-3", "", "gems"])
def test_recommendations_refuse_a_bad_dial(as_user, value):
    response = as_user.get(RECOMMENDATIONS, {"popularity": value})

    assert response.status_code == 400
    assert "popularity" in error_of(response)["fields"]


def test_a_one_off_dial_ranks_that_answer_and_saves_nothing(trained, as_user, user):
    saved = as_user.get(RECOMMENDATIONS, {"limit": 20}).json()
    gems = as_user.get(RECOMMENDATIONS, {"limit": 20, "popularity": -2}).json()

    assert (saved["popularity"], gems["popularity"]) == (0, -2)
    assert [i["movie"]["id"] for i in gems["items"]] != [i["movie"]["id"] for i in saved["items"]]
    assert as_user.get(RECOMMENDATIONS, {"limit": 20}).json() == saved
    assert Profile.objects.get(user=user).popularity_dial == 0


def test_a_saved_dial_changes_the_next_answer(trained, as_user, refresh_calls):
    before = as_user.get(RECOMMENDATIONS, {"limit": 20}).json()

    as_user.put(PREFERENCES, {"popularity": -2}, format="json")
    after = as_user.get(RECOMMENDATIONS, {"limit": 20}).json()

    assert after["popularity"] == -2
    assert after["items"] != before["items"]
