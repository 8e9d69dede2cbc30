import pytest
from django.utils import timezone

from catalog.models import Movie, Profile, Rating
from catalog.selectors import movie_popular_ids
from movielens.titles import movie_title_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def ratings(django_user_model):
    """Movie 1 is the women's favourite, movie 2 the most rated overall."""
    for movie_id in (1, 2):
        Movie.objects.create(id=movie_id, **movie_title_fields(f"Film {movie_id} (1999)"))
    people = [("F", 25, [1]), ("M", 25, [2]), ("M", 35, [2]), ("", None, [1, 2])]
    for i, (gender, age, movie_ids) in enumerate(people):
        user = django_user_model.objects.create_user(f"p{i}")
        Profile.objects.create(user=user, gender=gender, age=age, occupation=None)
        for movie_id in movie_ids:
            Rating.objects.create(user=user, movie_id=movie_id, stars=4, rated_at=timezone.now())


def test_a_gender_and_age_narrow_the_list(ratings):
    assert movie_popular_ids(gender="F", age=25, limit=2) == [1]


def test_an_unknown_gender_and_age_mean_everyone(ratings):
    everyone = movie_popular_ids(limit=2)

    assert everyone == [2, 1]
    assert movie_popular_ids(gender="", age=None, limit=2) == everyone
