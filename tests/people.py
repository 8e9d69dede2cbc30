"""Test accounts with a usable password and ml-1m demographics, for the web and API suites."""

from catalog.models import Profile

PASSWORD = "a-long-test-password-42"


def person_create(django_user_model, username: str, *, age: int, zip_code: str = "", **flags):
    user = django_user_model.objects.create_user(username, password=PASSWORD, **flags)
    Profile.objects.create(user=user, gender="M", age=age, occupation=12, zip_code=zip_code)
    return user
