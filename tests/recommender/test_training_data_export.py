import numpy as np

from recommender.export import training_data_export


def test_it_exports_every_rating_with_features(synthetic_catalog):
    data, pks = synthetic_catalog

    export = training_data_export()

    assert len(export.data) == len(data)
    expected = sorted(
        zip(
            (pks[int(u)] for u in data.user_ids),
            data.movie_ids.tolist(),
            data.stars.tolist(),
            strict=True,
        )
    )
    actual = sorted(
        zip(
            export.data.user_ids.tolist(),
            export.data.movie_ids.tolist(),
            export.data.stars.tolist(),
            strict=True,
        )
    )
    assert actual == expected
    assert set(export.data.timestamps.tolist()) == set(data.timestamps.tolist())
    assert export.snapshot.pop("exported_at") > data.timestamps.max()
    assert export.snapshot == {
        "ratings": len(data),
        "users": len(np.unique(data.user_ids)),
        "movies": len(np.unique(data.movie_ids)),
        "max_rated_at": int(data.timestamps.max()),
        "hidden_marks": 0,
        "wanted_marks": 0,
    }


def test_it_exports_hidden_watchlisted_and_picked_movies_as_marks(
    synthetic_catalog, django_user_model
):
    from django.utils import timezone

    from catalog.models import GroupPick, HiddenMovie, WatchlistEntry

    data, pks = synthetic_catalog
    person, other = pks[int(data.user_ids[0])], pks[int(data.user_ids[-1])]
    staff = django_user_model.objects.create_user("staff")  # no profile: left out
    now = timezone.now()
    for model, user_id, movie_id in [
        (HiddenMovie, person, 1),
        (WatchlistEntry, person, 2),
        (GroupPick, person, 2),  # on the watchlist too: one mark
        (GroupPick, person, 3),
        (WatchlistEntry, other, 1),
        (HiddenMovie, staff.pk, 4),
    ]:
        model.objects.create(user_id=user_id, movie_id=movie_id, created_at=now)

    export = training_data_export()

    marks = export.data.marks
    exported = sorted(
        zip(marks.user_ids.tolist(), marks.movie_ids.tolist(), marks.hidden.tolist(), strict=True)
    )
    assert exported == sorted(
        [(person, 1, True), (person, 2, False), (person, 3, False), (other, 1, False)]
    )
    assert (export.snapshot["hidden_marks"], export.snapshot["wanted_marks"]) == (1, 3)


def test_it_leaves_out_ratings_of_people_without_demographics(synthetic_catalog, django_user_model):
    from django.utils import timezone

    from catalog.models import Rating

    staff = django_user_model.objects.create_user("staff")
    Rating.objects.create(user=staff, movie_id=1, stars=5, rated_at=timezone.now())

    assert staff.pk not in training_data_export().data.user_ids


def test_a_person_who_prefers_not_to_say_exports_as_unknown(django_user_model):
    from django.utils import timezone

    from catalog.models import Movie, Profile, Rating
    from movielens.titles import movie_title_fields
    from recommender.model.vocab import UNKNOWN_CODE

    Movie.objects.create(id=1, **movie_title_fields("Toy Story (1995)"), genres=["Comedy"])
    people = {"quiet": ("", None, None), "open": ("M", 25, 0)}
    for username, (gender, age, occupation) in people.items():
        user = django_user_model.objects.create_user(username)
        Profile.objects.create(user=user, gender=gender, age=age, occupation=occupation)
        Rating.objects.create(user=user, movie_id=1, stars=4, rated_at=timezone.now())

    data = training_data_export().data

    exported = {
        int(user_id): (int(g), int(a), int(o))
        for user_id, g, a, o in zip(
            data.user_table_ids, data.gender, data.age, data.occupation, strict=True
        )
    }
    pks = {u.username: u.pk for u in django_user_model.objects.all()}
    assert exported[pks["quiet"]] == (UNKNOWN_CODE, UNKNOWN_CODE, UNKNOWN_CODE)
    assert exported[pks["open"]] == (1, 25, 0)
