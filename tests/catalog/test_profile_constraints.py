import pytest
from django.db import IntegrityError, connection

from catalog.models import Profile

pytestmark = pytest.mark.django_db


def _insert(user, *, gender, age, occupation) -> None:
    # Raw SQL, so that only the database constraints stand between the values and the table.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO catalog_profile (user_id, gender, age, occupation, zip_code)"
            " VALUES (%s, %s, %s, %s, '')",
            [user.pk, gender, age, occupation],
        )


def test_prefer_not_to_say_is_stored_as_blank_and_nulls(django_user_model):
    user = django_user_model.objects.create_user("ann")

    _insert(user, gender="", age=None, occupation=None)

    profile = Profile.objects.get(user=user)
    assert (profile.gender, profile.age, profile.occupation) == ("", None, None)


@pytest.mark.parametrize(
    ("values", "constraint"),
    [
        ({"gender": "X", "age": 25, "occupation": 1}, "profile_gender_valid"),
        ({"gender": "F", "age": 30, "occupation": 1}, "profile_age_valid"),
        ({"gender": "F", "age": 25, "occupation": 21}, "profile_occupation_valid"),
    ],
)
def test_the_database_refuses_values_outside_ml_1m(django_user_model, values, constraint):
    user = django_user_model.objects.create_user("ann")

    with pytest.raises(IntegrityError, match=constraint):
        _insert(user, **values)
