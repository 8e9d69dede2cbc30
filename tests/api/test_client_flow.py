"""A mobile client's first session: sign up, rate ten movies, get recommendations that follow."""

from rest_framework.test import APIClient

from tests.ml.synthetic import movie_theme
from tests.people import PASSWORD


def _ids(body) -> list[int]:
    return [item["movie"]["id"] for item in body["items"]]


def test_register_rate_ten_and_recommendations_change(
    trained, refresh_calls, django_capture_on_commit_callbacks
):
    app = APIClient()
    sign_up = {"username": "mia", "password": PASSWORD, "gender": "F", "age": 25, "occupation": 2}
    tokens = app.post("/api/v1/auth/register/", sign_up, format="json").json()["tokens"]
    app.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    before = app.get("/api/v1/recommendations/", {"limit": 10}).json()
    sci_fi = [m for m in range(1, 81) if movie_theme([m])[0] == 0][:5]
    romance = [m for m in range(1, 81) if movie_theme([m])[0] == 1][:5]

    with django_capture_on_commit_callbacks(execute=True):
        for movie_id, stars in [*((m, 5) for m in sci_fi), *((m, 1) for m in romance)]:
            response = app.put(f"/api/v1/ratings/{movie_id}/", {"stars": stars}, format="json")
            assert response.status_code == 201, response.json()
    after = app.get("/api/v1/recommendations/", {"limit": 10}).json()

    assert app.get("/api/v1/ratings/").json()["count"] == 10
    assert (before["fallback"], after["fallback"]) == (False, False)
    assert after["model_version_id"] == trained.pk
    assert _ids(after) != _ids(before)
    assert not set(_ids(after)) & {*sci_fi, *romance}
    themes = movie_theme(_ids(after))
    assert (themes == 0).sum() > (themes == 1).sum()
    assert any(item["because_movie_id"] in sci_fi for item in after["items"])
    # Ten ratings while the first refresh is still pending (no worker here) ride on it.
    assert refresh_calls.call_count == 1
