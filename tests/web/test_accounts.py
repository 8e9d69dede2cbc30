import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from catalog.models import Profile
from movierec_site.web.forms import PREFER_NOT_TO_SAY
from tests.api.helpers import client_for
from tests.people import PASSWORD

pytestmark = pytest.mark.django_db
SIGN_UP = {
    "username": "newbie",
    "password": "plenty-long-and-unusual-9",
    "email": "",
    "gender": "F",
    "age": "25",
    "occupation": "4",
    "zip_code": "",
}
UNSAID = {"gender": PREFER_NOT_TO_SAY, "age": PREFER_NOT_TO_SAY, "occupation": PREFER_NOT_TO_SAY}
DEMOGRAPHICS = ("gender", "age", "occupation")


def _selected_options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', html, re.DOTALL).group()
    return re.findall(r'<option value="([^"]*)"[^>]*\bselected\b', select)


def test_the_sign_up_form_has_a_label_for_every_field(client):
    html = client.get("/accounts/signup/").content.decode()

    for field in ("username", "password", "email", "gender", "age", "occupation", "zip_code"):
        assert f'<label for="id_{field}"' in html


def test_no_demographic_is_chosen_for_a_newcomer(client):
    html = client.get("/accounts/signup/").content.decode()

    for name in DEMOGRAPHICS:
        assert _selected_options(html, name) == [""]
        assert f'<option value="{PREFER_NOT_TO_SAY}">Prefer not to say</option>' in html


def test_a_demographic_left_on_choose_asks_for_an_answer(client):
    response = client.post("/accounts/signup/", {**SIGN_UP, "age": ""})

    assert response.status_code == 400
    assert response.context["form"].errors["age"] == ["Choose one, or “Prefer not to say”."]
    assert not get_user_model().objects.filter(username="newbie").exists()


def test_prefer_not_to_say_signs_up_with_unknown_demographics(client):
    response = client.post("/accounts/signup/", {**SIGN_UP, **UNSAID})

    assert response.status_code == 302
    profile = Profile.objects.get(user__username="newbie")
    assert (profile.gender, profile.age, profile.occupation) == ("", None, None)


def test_occupation_other_is_an_answer_apart_from_prefer_not_to_say(client):
    client.post("/accounts/signup/", {**SIGN_UP, "occupation": "0"})

    assert Profile.objects.get(user__username="newbie").occupation == 0


def test_the_email_is_optional_and_kept_when_given(client):
    client.post("/accounts/signup/", {**SIGN_UP, "email": "Newbie@Example.COM"})
    Client().post("/accounts/signup/", {**SIGN_UP, "username": "quiet"})

    users = get_user_model().objects
    assert users.get(username="newbie").email == "Newbie@example.com"
    assert users.get(username="quiet").email == ""


@pytest.mark.parametrize(
    ("email", "error"),
    [
        ("not-an-address", "Enter a valid email address."),
        (f"{'a' * 250}@example.com", "Ensure this value has at most 254 characters (it has 262)."),
        ("MEMBER@example.com", "That email address belongs to another account."),
    ],
)
def test_a_bad_or_taken_email_is_an_error_on_that_field(client, django_user_model, email, error):
    django_user_model.objects.create_user("member", email="member@example.com")

    response = client.post("/accounts/signup/", {**SIGN_UP, "email": email})

    assert response.status_code == 400
    assert response.context["form"].errors["email"] == [error]


@pytest.mark.parametrize("zip_code", ["1234", "abcde", "12345-67", "123456", "12345 6789"])
def test_a_zip_code_that_is_not_a_us_one_is_refused(client, zip_code):
    response = client.post("/accounts/signup/", {**SIGN_UP, "zip_code": zip_code})

    assert response.status_code == 400
    assert "zip_code" in response.context["form"].errors
    assert not get_user_model().objects.filter(username="newbie").exists()


@pytest.mark.parametrize("zip_code", ["02139", "98107-2117"])
def test_us_zip_codes_are_kept(client, zip_code):
    client.post("/accounts/signup/", {**SIGN_UP, "zip_code": zip_code})

    assert Profile.objects.get(user__username="newbie").zip_code == zip_code


def test_signing_up_makes_the_person_logs_them_in_and_starts_onboarding(client):
    response = client.post("/accounts/signup/", SIGN_UP, follow=True)

    user = get_user_model().objects.get(username="newbie")
    assert (user.profile.gender, user.profile.age, user.profile.occupation) == ("F", 25, 4)
    assert response.context["user"] == user
    assert response.redirect_chain == [("/", 302)]


def test_a_taken_username_is_an_error_on_that_field(client, member):
    response = client.post("/accounts/signup/", {**SIGN_UP, "username": "MEMBER"})

    assert response.status_code == 400
    assert response.context["form"].errors["username"] == ["That username is taken."]


def test_django_password_validators_apply(client):
    response = client.post("/accounts/signup/", {**SIGN_UP, "password": "12345678"})

    assert response.status_code == 400
    assert "too common" in " ".join(response.context["form"].errors["password"])
    assert not get_user_model().objects.filter(username="newbie").exists()


def test_movielens_usernames_are_reserved(client):
    response = client.post("/accounts/signup/", {**SIGN_UP, "username": "movielens-7"})

    assert "reserved" in response.context["form"].errors["username"][0]


def test_an_unknown_age_bracket_is_refused_by_the_form(client):
    response = client.post("/accounts/signup/", {**SIGN_UP, "age": "30"})

    assert response.status_code == 400
    assert "age" in response.context["form"].errors


def test_forms_need_the_csrf_token():
    response = Client(enforce_csrf_checks=True).post("/accounts/signup/", SIGN_UP)

    assert response.status_code == 403


def test_logging_in_goes_home(client, member):
    response = client.post("/accounts/login/", {"username": "member", "password": PASSWORD})

    assert response.status_code == 302
    assert response.url == "/"


def test_a_wrong_password_is_explained_once(client, member):
    response = client.post("/accounts/login/", {"username": "member", "password": "nope"})

    assert response.status_code == 200
    assert response.content.decode().count("enter a correct username and password") == 1


TOO_MANY = "Too many failed attempts: try again in 15 minutes."


def test_the_log_in_page_says_too_many_attempts_after_a_handful_of_failures(client, member):
    wrong = {"username": "member", "password": "nope"}
    failures = [client.post("/accounts/login/", wrong) for _ in range(5)]

    refused = client.post("/accounts/login/", {"username": "member", "password": PASSWORD})

    assert all(TOO_MANY not in response.content.decode() for response in failures)
    assert refused.status_code == 200
    assert refused.context["form"].non_field_errors() == [TOO_MANY]
    assert TOO_MANY in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_lockout_on_the_log_in_page_holds_from_another_address(client, member):
    for i in range(5):
        client.post(
            "/accounts/login/",
            {"username": "member", "password": "nope"},
            REMOTE_ADDR=f"10.3.3.{i}",
        )

    refused = Client().post(
        "/accounts/login/", {"username": "member", "password": PASSWORD}, REMOTE_ADDR="10.3.3.9"
    )

    assert refused.context["form"].non_field_errors() == [TOO_MANY]


def test_the_admin_log_in_is_limited_too(client, staff):
    wrong = {"username": "staff", "password": "nope", "next": "/admin/"}
    for _ in range(5):
        assert client.post("/admin/login/", wrong).status_code == 200

    refused = client.post("/admin/login/", {**wrong, "password": PASSWORD})

    assert refused.status_code == 200
    assert TOO_MANY in refused.content.decode()
    assert "_auth_user_id" not in client.session


def test_web_sign_up_is_limited_per_address(client):
    statuses = [
        Client().post("/accounts/signup/", {**SIGN_UP, "username": f"newbie{i}"}).status_code
        for i in range(11)
    ]

    assert statuses == [302] * 10 + [400]
    refused = client.post("/accounts/signup/", {**SIGN_UP, "username": "late"})
    assert "Too many sign-ups from your address: try again in 60 minutes." in (
        refused.context["form"].non_field_errors()
    )
    assert not get_user_model().objects.filter(username="late").exists()


def test_the_log_in_page_offers_a_password_reset(client):
    html = client.get("/accounts/login/").content.decode()

    assert '<a href="/accounts/password/reset/">Forgot your password?</a>' in html


def test_logging_out_takes_a_post(member_client):
    assert member_client.get("/accounts/logout/").status_code == 405

    member_client.post("/accounts/logout/")

    assert member_client.get("/ratings/").status_code == 302


@pytest.mark.parametrize("url", ["/accounts/profile/", "/accounts/password/"])
def test_account_pages_send_visitors_to_log_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/?next=")


def test_a_person_edits_their_demographics_and_email(member_client, member):
    data = {
        "email": "member@example.com",
        "gender": "F",
        "age": "56",
        "occupation": "13",
        "zip_code": "02139",
    }
    response = member_client.post("/accounts/profile/", data, follow=True)

    profile = Profile.objects.get(user=member)
    assert (profile.gender, profile.age, profile.occupation, profile.zip_code) == (
        "F",
        56,
        13,
        "02139",
    )
    member.refresh_from_db()
    assert member.email == "member@example.com"
    assert "Your profile is saved." in response.content.decode()


def test_the_profile_form_shows_what_is_saved(member_client):
    form = member_client.get("/accounts/profile/").context["form"]

    assert form.initial == {
        "email": "",
        "gender": "M",
        "age": 35,
        "occupation": 12,
        "zip_code": "",
    }


def test_a_person_can_stop_giving_their_demographics(member_client, member):
    member_client.post("/accounts/profile/", {**UNSAID, "zip_code": ""})

    profile = Profile.objects.get(user=member)
    assert (profile.gender, profile.age, profile.occupation) == ("", None, None)
    html = member_client.get("/accounts/profile/").content.decode()
    for name in DEMOGRAPHICS:
        assert _selected_options(html, name) == [PREFER_NOT_TO_SAY]


def test_someone_without_a_profile_gets_nothing_chosen(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("root"))

    html = client.get("/accounts/profile/").content.decode()

    for name in DEMOGRAPHICS:
        assert _selected_options(html, name) == [""]


def test_a_bad_profile_value_is_a_field_error(member_client, member):
    response = member_client.post(
        "/accounts/profile/", {"gender": "X", "age": "35", "occupation": "12"}
    )

    assert response.status_code == 400
    assert "gender" in response.context["form"].errors
    assert Profile.objects.get(user=member).gender == "M"


def test_a_person_changes_their_password(member_client, member):
    new = "another-long-password-77"
    response = member_client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(new)


def test_the_old_password_must_be_right(member_client, member):
    new = "another-long-password-77"
    response = member_client.post(
        "/accounts/password/", {"old_password": "wrong", "new_password1": new, "new_password2": new}
    )

    assert "old_password" in response.context["form"].errors
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_changing_the_password_revokes_the_persons_api_tokens(member_client, member):
    app = client_for(member)
    assert app.get("/api/v1/me/").status_code == 200
    new = "another-long-password-77"

    member_client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )

    assert app.get("/api/v1/me/").status_code == 401
