import pytest
from django.contrib.auth import get_user_model

from catalog.models import Profile
from tests.api.helpers import error_of
from tests.people import PASSWORD

REGISTER = "/api/v1/auth/register/"
TOKEN = "/api/v1/auth/token/"
REFRESH = "/api/v1/auth/token/refresh/"
LOGOUT = "/api/v1/auth/logout/"
ME = "/api/v1/me/"
SIGN_UP = {
    "username": "dora",
    "password": PASSWORD,
    "gender": "F",
    "age": 18,
    "occupation": 4,
    "zip_code": "02139",
}


@pytest.mark.django_db
def test_register_creates_a_person_with_demographics_and_tokens_that_work(anonymous):
    response = anonymous.post(REGISTER, SIGN_UP, format="json")

    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["user"]["username"] == "dora"
    assert (body["user"]["gender"], body["user"]["age"], body["user"]["occupation"]) == ("F", 18, 4)
    profile = Profile.objects.get(user__username="dora")
    assert profile.zip_code == "02139"
    anonymous.credentials(HTTP_AUTHORIZATION=f"Bearer {body['tokens']['access']}")
    assert anonymous.get(ME).json()["username"] == "dora"


@pytest.mark.django_db
def test_register_without_demographics_or_email_leaves_them_unknown(anonymous):
    body = {"username": "dora", "password": PASSWORD}
    response = anonymous.post(REGISTER, body, format="json")

    assert response.status_code == 201, response.json()
    user = response.json()["user"]
    assert (user["gender"], user["age"], user["occupation"], user["email"]) == (
        None,
        None,
        None,
        "",
    )
    profile = Profile.objects.get(user__username="dora")
    assert (profile.gender, profile.age, profile.occupation) == ("", None, None)


@pytest.mark.django_db
def test_register_takes_null_as_prefer_not_to_say_and_keeps_an_email(anonymous):
    body = {**SIGN_UP, "gender": None, "age": None, "occupation": 0, "email": "dora@example.com"}
    response = anonymous.post(REGISTER, body, format="json")

    assert response.status_code == 201, response.json()
    assert response.json()["user"]["email"] == "dora@example.com"
    profile = Profile.objects.get(user__username="dora")
    assert (profile.gender, profile.age, profile.occupation) == ("", None, 0)
    assert profile.user.email == "dora@example.com"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"username": "movielens-7"}, "username"),
        ({"password": "123"}, "password"),
        ({"gender": "X"}, "gender"),
        ({"gender": ""}, "gender"),
        ({"age": 30}, "age"),
        ({"occupation": 21}, "occupation"),
        ({"zip_code": "x" * 11}, "zip_code"),
        ({"zip_code": "1234"}, "zip_code"),
        ({"email": "dora-at-example"}, "email"),
        ({"email": f"{'d' * 250}@example.com"}, "email"),
    ],
)
@pytest.mark.django_db
def test_register_refuses_what_the_web_sign_up_refuses(anonymous, change, field):
    response = anonymous.post(REGISTER, {**SIGN_UP, **change}, format="json")

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "invalid"
    assert field in error["fields"]
    assert not get_user_model().objects.filter(username=SIGN_UP["username"]).exists()


def test_register_refuses_a_taken_username_whatever_its_case(anonymous, user):
    response = anonymous.post(REGISTER, {**SIGN_UP, "username": "ADA"}, format="json")

    assert response.status_code == 400
    assert error_of(response)["fields"] == {"username": ["That username is taken."]}


def test_register_refuses_another_accounts_email(anonymous, user):
    user.email = "ada@example.com"
    user.save()

    response = anonymous.post(REGISTER, {**SIGN_UP, "email": "ADA@example.com"}, format="json")

    assert response.status_code == 400
    assert error_of(response)["fields"] == {
        "email": ["That email address belongs to another account."]
    }


def test_token_pair_for_good_credentials_and_refresh_gives_a_new_access(anonymous, user):
    tokens = anonymous.post(TOKEN, {"username": "ada", "password": PASSWORD}, format="json")
    assert tokens.status_code == 200
    refreshed = anonymous.post(REFRESH, {"refresh": tokens.json()["refresh"]}, format="json")

    assert refreshed.status_code == 200
    anonymous.credentials(HTTP_AUTHORIZATION=f"Bearer {refreshed.json()['access']}")
    assert anonymous.get(ME).json()["username"] == "ada"


def test_token_refuses_a_wrong_password_with_401(anonymous, user):
    response = anonymous.post(TOKEN, {"username": "ada", "password": "wrong"}, format="json")

    assert response.status_code == 401
    assert error_of(response)["code"] == "no_active_account"


def _token_pair(client) -> dict:
    response = client.post(TOKEN, {"username": "ada", "password": PASSWORD}, format="json")
    assert response.status_code == 200, response.json()
    return response.json()


def _refused(response) -> str:
    assert response.status_code == 401, response.content
    return error_of(response)["code"]


def test_refresh_rotates_and_the_used_refresh_token_is_refused_after(anonymous, user):
    first = _token_pair(anonymous)["refresh"]

    rotated = anonymous.post(REFRESH, {"refresh": first}, format="json")
    replayed = anonymous.post(REFRESH, {"refresh": first}, format="json")

    assert rotated.status_code == 200
    second = rotated.json()["refresh"]
    assert second != first
    assert _refused(replayed) == "token_not_valid"
    assert anonymous.post(REFRESH, {"refresh": second}, format="json").status_code == 200


def test_logout_revokes_the_refresh_token(anonymous, user):
    tokens = _token_pair(anonymous)

    response = anonymous.post(LOGOUT, {"refresh": tokens["refresh"]}, format="json")

    assert response.status_code == 204
    assert _refused(anonymous.post(REFRESH, tokens, format="json")) == "token_not_valid"
    assert _refused(anonymous.post(LOGOUT, tokens, format="json")) == "token_not_valid"


@pytest.mark.django_db
def test_logout_refuses_a_forged_token(anonymous):
    assert _refused(anonymous.post(LOGOUT, {"refresh": "not.a.token"}, format="json")) == (
        "token_not_valid"
    )


def test_logout_refuses_an_access_token_in_place_of_the_refresh_token(anonymous, user):
    tokens = _token_pair(anonymous)

    response = anonymous.post(LOGOUT, {"refresh": tokens["access"]}, format="json")

    assert _refused(response) == "token_not_valid"


def test_tokens_of_a_deleted_person_answer_401_never_500(anonymous, user):
    tokens = _token_pair(anonymous)
    user.delete()

    refreshed = anonymous.post(REFRESH, {"refresh": tokens["refresh"]}, format="json")
    anonymous.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    me = anonymous.get(ME)

    assert _refused(refreshed) == "user_not_found"
    assert _refused(me) == "user_not_found"


def test_a_new_password_revokes_the_access_and_refresh_tokens_given_before(anonymous, user):
    tokens = _token_pair(anonymous)
    user.set_password("a-brand-new-password-31")
    user.save()

    refreshed = anonymous.post(REFRESH, {"refresh": tokens["refresh"]}, format="json")
    anonymous.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    me = anonymous.get(ME)

    assert _refused(refreshed) == "password_changed"
    assert _refused(me) == "password_changed"


@pytest.mark.django_db
def test_refresh_refuses_a_forged_token(anonymous):
    response = anonymous.post(REFRESH, {"refresh": "not.a.token"}, format="json")

    assert response.status_code == 401
    assert error_of(response)["code"] == "token_not_valid"


@pytest.mark.django_db
def test_a_bad_bearer_token_is_a_401_even_on_public_routes(anonymous):
    anonymous.credentials(HTTP_AUTHORIZATION="Bearer nonsense")

    response = anonymous.get("/api/v1/movies/")

    assert response.status_code == 401
    assert error_of(response)["code"] == "token_not_valid"


@pytest.mark.django_db
def test_me_needs_authentication(anonymous):
    response = anonymous.get(ME)

    assert response.status_code == 401
    assert error_of(response)["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_me_shows_my_demographics(as_user, user):
    body = as_user.get(ME).json()

    assert body == {
        "id": user.pk,
        "username": "ada",
        "email": "",
        "is_staff": False,
        "gender": "M",
        "age": 25,
        "occupation": 12,
        "zip_code": "10001",
    }


def test_me_put_replaces_demographics(as_user, user):
    demographics = {"gender": "F", "age": 56, "occupation": 13}
    response = as_user.put(ME, demographics, format="json")

    assert response.status_code == 200
    assert response.json()["age"] == 56
    user.profile.refresh_from_db()
    assert (user.profile.gender, user.profile.age, user.profile.zip_code) == ("F", 56, "")


def test_me_put_takes_what_it_leaves_out_as_prefer_not_to_say_but_keeps_the_email(as_user, user):
    user.email = "ada@example.com"
    user.save()

    response = as_user.put(ME, {"age": 56}, format="json")

    assert response.status_code == 200
    body = response.json()
    assert (body["gender"], body["age"], body["occupation"]) == (None, 56, None)
    assert body["email"] == "ada@example.com"
    user.profile.refresh_from_db()
    assert (user.profile.gender, user.profile.occupation) == ("", None)


def test_me_patch_sets_and_removes_the_email(as_user, user):
    assert as_user.patch(ME, {"email": "ada@example.com"}, format="json").status_code == 200
    user.refresh_from_db()
    assert user.email == "ada@example.com"

    as_user.patch(ME, {"email": ""}, format="json")

    user.refresh_from_db()
    assert user.email == ""


def test_me_patch_null_stops_giving_a_demographic(as_user, user):
    response = as_user.patch(ME, {"gender": None}, format="json")

    assert response.json()["gender"] is None
    user.profile.refresh_from_db()
    assert (user.profile.gender, user.profile.age) == ("", 25)


def test_me_patch_keeps_what_it_does_not_name(as_user, user):
    response = as_user.patch(ME, {"occupation": 20}, format="json")

    assert response.status_code == 200
    user.profile.refresh_from_db()
    assert (user.profile.occupation, user.profile.age, user.profile.zip_code) == (20, 25, "10001")


def test_me_refuses_an_age_outside_the_brackets(as_user):
    response = as_user.patch(ME, {"age": 30}, format="json")

    assert response.status_code == 400
    assert "age" in error_of(response)["fields"]


def test_me_patch_without_a_profile_makes_one_with_the_rest_unknown(django_user_model):
    from tests.api.helpers import client_for

    admin = django_user_model.objects.create_user("root", password=PASSWORD)
    client = client_for(admin)
    assert client.get(ME).json()["gender"] is None

    response = client.patch(ME, {"age": 25}, format="json")

    assert response.status_code == 200
    profile = Profile.objects.get(user=admin)
    assert (profile.gender, profile.age, profile.occupation) == ("", 25, None)


def test_session_login_works_for_the_browsable_api(client, user):
    client.force_login(user)

    assert client.get(ME, HTTP_ACCEPT="application/json").json()["username"] == "ada"


@pytest.mark.parametrize(
    ("path", "body"),
    [
        (TOKEN, {"username": "a\x00", "password": "x"}),
        (REFRESH, {"refresh": 5}),
        (LOGOUT, {"refresh": 5}),
        (LOGOUT, {}),
    ],
)
@pytest.mark.django_db
def test_token_routes_refuse_malformed_input_with_400(anonymous, path, body):
    response = anonymous.post(path, body, format="json")

    assert response.status_code == 400
    assert error_of(response)["code"] == "invalid"
