"""Signing people up and keeping their demographics: shared by the web forms and the API."""

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from catalog.choices import AgeBracket, Gender, Occupation
from catalog.models import MOVIELENS_USERNAME_PREFIX, Profile
from movierec_site.errors import ApplicationError

USERNAME_MAX_LENGTH = 150


def user_sign_up(
    *, username: str, password: str, gender: str, age: int, occupation: int, zip_code: str = ""
):
    """A new person with a usable password and their ml-1m demographics."""
    User = get_user_model()
    username = username.strip()
    _username_check(username)
    _demographics_check(gender=gender, age=age, occupation=occupation, zip_code=zip_code)
    candidate = User(username=username)
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages), {"field": "password"}) from None
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=username, password=password)
            Profile.objects.create(
                user=user, gender=gender, age=age, occupation=occupation, zip_code=zip_code
            )
    except IntegrityError:  # a concurrent sign-up took the name between check and insert
        raise ApplicationError("That username is taken.", {"field": "username"}) from None
    return user


def profile_update(*, user, gender: str, age: int, occupation: int, zip_code: str = "") -> Profile:
    _demographics_check(gender=gender, age=age, occupation=occupation, zip_code=zip_code)
    profile, _ = Profile.objects.update_or_create(
        user=user,
        defaults={"gender": gender, "age": age, "occupation": occupation, "zip_code": zip_code},
    )
    return profile


def _username_check(username: str) -> None:
    User = get_user_model()
    if not username:
        raise ApplicationError("Choose a username.", {"field": "username"})
    if len(username) > USERNAME_MAX_LENGTH:
        raise ApplicationError(
            f"Usernames have at most {USERNAME_MAX_LENGTH} characters.", {"field": "username"}
        )
    try:
        User.username_validator(username)
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages), {"field": "username"}) from None
    if username.lower().startswith(MOVIELENS_USERNAME_PREFIX):
        raise ApplicationError(
            f"Usernames starting with {MOVIELENS_USERNAME_PREFIX!r} are reserved.",
            {"field": "username"},
        )
    if User.objects.filter(username__iexact=username).exists():
        raise ApplicationError("That username is taken.", {"field": "username"})


def _demographics_check(*, gender: str, age: int, occupation: int, zip_code: str) -> None:
    if gender not in Gender.values:
        raise ApplicationError("Gender must be F or M.", {"field": "gender"})
    if age not in AgeBracket.values:
        raise ApplicationError(
            f"Age must be one of the brackets {AgeBracket.values}.", {"field": "age"}
        )
    if occupation not in Occupation.values:
        raise ApplicationError("Occupation must be a code from 0 to 20.", {"field": "occupation"})
    if len(zip_code) > 10:
        raise ApplicationError("Zip codes have at most 10 characters.", {"field": "zip_code"})
