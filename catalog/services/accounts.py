"""Signing people up and keeping their demographics: shared by the web forms and the API."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Value
from django.db.models.functions import Lower

from catalog.choices import AgeBracket, Gender, Occupation
from catalog.models import MOVIELENS_USERNAME_PREFIX, Profile
from core.exceptions import ApplicationError

if TYPE_CHECKING:
    from django.contrib.auth.models import User

USERNAME_MAX_LENGTH = 150
# Django's unique username, and catalog's unique lower(username): either means "taken".
USERNAME_UNIQUE_INDEXES = {"auth_user_username_key", "auth_user_username_lower_uniq"}
# The ml-1m zip codes are US ones: five digits, sometimes ZIP+4 (or none: ""). Anchored with
# \A and \Z so that validators that search (Django's, DRF's) match the whole value.
US_ZIP_CODE = re.compile(r"\A\d{5}(-\d{4})?\Z")
ZIP_CODE_MESSAGE = "A zip code looks like 12345 or 12345-6789 (or leave it empty)."


def user_sign_up(
    *,
    username: str,
    password: str,
    email: str = "",
    gender: str | None = None,
    age: int | None = None,
    occupation: int | None = None,
    zip_code: str = "",
) -> User:
    """A new person with a usable password, an optional email address (for password resets)
    and their ml-1m demographics, each of which they may prefer not to give (None)."""
    User = get_user_model()
    username = username.strip()
    _username_check(username)
    email = _email_check(email, user=None)
    _demographics_check(age=age, gender=gender, occupation=occupation, zip_code=zip_code)
    candidate = User(username=username, email=email)
    try:
        validate_password(password, user=candidate)
    except ValidationError as error:
        raise ApplicationError(" ".join(error.messages), {"field": "password"}) from None
    try:
        with transaction.atomic():
            user = User.objects.create_user(username=username, email=email, password=password)
            Profile.objects.create(
                user=user,
                gender=gender or "",
                age=age,
                occupation=occupation,
                zip_code=zip_code,
            )
    except IntegrityError as error:
        # A concurrent sign-up took the name (in any case) between the check and the insert.
        if _violated_constraint(error) not in USERNAME_UNIQUE_INDEXES:
            raise
        raise ApplicationError("That username is taken.", {"field": "username"}) from None
    return user


def profile_update(
    *,
    user: User,
    gender: str | None,
    age: int | None,
    occupation: int | None,
    zip_code: str = "",
    email: str | None = None,
) -> Profile:
    """Replace a person's demographics (None: prefer not to say); `email` None leaves their
    address as it is, "" removes it."""
    _demographics_check(age=age, gender=gender, occupation=occupation, zip_code=zip_code)
    with transaction.atomic():
        if email is not None:
            user.email = _email_check(email, user=user)
            user.save(update_fields=["email"])
        profile, _ = Profile.objects.update_or_create(
            user=user,
            defaults={
                "gender": gender or "",
                "age": age,
                "occupation": occupation,
                "zip_code": zip_code,
            },
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
    # lower() as in the unique index on lower(username) (catalog migration 0006), which
    # this reads through and which has the last word.
    taken = User.objects.alias(name=Lower("username")).filter(name=Lower(Value(username)))
    if taken.exists():
        raise ApplicationError("That username is taken.", {"field": "username"})


def _violated_constraint(error: IntegrityError) -> str | None:
    diagnostics = getattr(error.__cause__, "diag", None)  # psycopg's, naming the index
    return getattr(diagnostics, "constraint_name", None)


def _email_check(email: str, *, user: User | None) -> str:
    """The address as stored ("" for none); refused if malformed or another account's, since
    a password reset must reach one person."""
    User = get_user_model()
    email = User.objects.normalize_email(email.strip())
    if not email:
        return ""
    longest = User._meta.get_field("email").max_length  # below the validator's 320
    if len(email) > longest:
        raise ApplicationError(
            f"Email addresses have at most {longest} characters.", {"field": "email"}
        )
    try:
        validate_email(email)
    except ValidationError:
        raise ApplicationError("Enter a valid email address.", {"field": "email"}) from None
    others = User.objects.filter(email__iexact=email)
    if user is not None:
        others = others.exclude(pk=user.pk)
    if others.exists():
        raise ApplicationError("That email address belongs to another account.", {"field": "email"})
    return email


def _demographics_check(
    *, gender: str | None, age: int | None, occupation: int | None, zip_code: str
) -> None:
    """Refuse values outside the ml-1m codes; None (or "" for gender) is "prefer not to say"."""
    if gender not in (None, "", *Gender.values):
        raise ApplicationError("Gender must be F or M, or none.", {"field": "gender"})
    if age is not None and age not in AgeBracket.values:
        raise ApplicationError(
            f"Age must be one of the brackets {AgeBracket.values}, or none.", {"field": "age"}
        )
    if occupation is not None and occupation not in Occupation.values:
        raise ApplicationError(
            "Occupation must be a code from 0 to 20, or none.", {"field": "occupation"}
        )
    if zip_code and not US_ZIP_CODE.match(zip_code):
        raise ApplicationError(ZIP_CODE_MESSAGE, {"field": "zip_code"})
