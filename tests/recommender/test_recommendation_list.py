import pytest
from django.conf import settings

from catalog.models import Movie, Rating
from recommender.services.feedback import rating_submit
from recommender.serving import POPULAR_REASON, recommendation_list, retrieval
from recommender.vector_index import LIVE_ALIAS, connect, index_activate
from tests.ml.synthetic import movie_theme
from tests.training import train_now


def _ids(page) -> list[int]:
    return [item.movie.pk for item in page.items]


def test_a_known_person_gets_model_picks_with_stars_and_reasons(trained, synthetic_catalog):
    user_pk = synthetic_catalog[1][1]
    page = recommendation_list(user=Rating.objects.filter(user_id=user_pk)[0].user, limit=10)

    assert (page.fallback, page.model_version_id) == (False, trained.pk)
    assert len(page.items) == 10
    assert all(1 <= item.predicted_stars <= 5 for item in page.items)
    assert all(item.reason.startswith("Because you rated ") for item in page.items)
    rated = set(Rating.objects.filter(user_id=user_pk).values_list("movie_id", flat=True))
    assert not rated & set(_ids(page))


def test_rated_movies_never_come_back(
    trained, newcomer, refresh_calls, django_capture_on_commit_callbacks
):
    first = _ids(recommendation_list(user=newcomer, limit=10))
    with django_capture_on_commit_callbacks(execute=True):
        for movie_id in first[:5]:
            rating_submit(user=newcomer, movie_id=movie_id, stars=3)

    after = _ids(recommendation_list(user=newcomer, limit=100))

    assert not set(first[:5]) & set(after)


def test_a_new_persons_list_follows_what_they_rate(
    trained, newcomer, refresh_calls, django_capture_on_commit_callbacks
):
    before = recommendation_list(user=newcomer, limit=10)
    assert all(item.reason == POPULAR_REASON for item in before.items)
    sci_fi = [m for m in range(1, 81) if movie_theme([m])[0] == 0][:6]
    romance = [m for m in range(1, 81) if movie_theme([m])[0] == 1][:6]
    with django_capture_on_commit_callbacks(execute=True):
        for movie_id in sci_fi:
            rating_submit(user=newcomer, movie_id=movie_id, stars=5)
        for movie_id in romance:
            rating_submit(user=newcomer, movie_id=movie_id, stars=1)

    after = recommendation_list(user=newcomer, limit=10)

    assert _ids(after) != _ids(before)
    themes = movie_theme(_ids(after))
    assert (themes == 0).sum() > (themes == 1).sum()
    assert any(item.because_movie_id in sci_fi for item in after.items)


def test_pages_are_stable_and_never_repeat(trained, newcomer):
    pages = [recommendation_list(user=newcomer, limit=10, offset=o) for o in (0, 10, 20)]

    ids = [movie for page in pages for movie in _ids(page)]
    assert len(ids) == len(set(ids)) == 30
    assert _ids(recommendation_list(user=newcomer, limit=10, offset=10)) == _ids(pages[1])


def test_the_genre_filter_is_applied(trained, newcomer):
    page = recommendation_list(user=newcomer, limit=10, genre="Horror")

    assert page.items
    assert all("Horror" in item.movie.genres for item in page.items)


def test_a_rating_invalidates_the_cached_list(
    trained, newcomer, mocker, refresh_calls, django_capture_on_commit_callbacks
):
    search = mocker.spy(retrieval, "index_search")
    recommendation_list(user=newcomer)
    recommendation_list(user=newcomer, offset=10)
    assert search.call_count == 1  # the second page came from the cache
    with django_capture_on_commit_callbacks(execute=True):
        rating_submit(user=newcomer, movie_id=1, stars=5)

    recommendation_list(user=newcomer)

    assert search.call_count == 2
    refresh_calls.assert_called_once_with(newcomer.pk)


def test_milvus_down_gives_the_popular_fallback_then_recovers(trained, newcomer, settings):
    live_uri = settings.MILVUS_URI
    settings.MILVUS_URI = "http://127.0.0.1:9"

    down = recommendation_list(user=newcomer, limit=10)

    assert down.fallback
    assert len(down.items) == 10
    assert all(item.predicted_stars is None for item in down.items)
    settings.MILVUS_URI = live_uri
    assert not recommendation_list(user=newcomer, limit=10).fallback


@pytest.mark.django_db
def test_no_model_yet_gives_the_fallback(synthetic_catalog, newcomer):
    page = recommendation_list(user=newcomer, limit=5)

    assert page.fallback
    assert page.model_version_id is None
    assert len(page.items) == 5


def test_readers_search_the_active_versions_collection_whatever_the_alias_says(
    trained, newcomer, mocker
):
    second = train_now()
    # The alias moved back without PostgreSQL following (an activation cut off half-way):
    # a reader must not match the second model's person vectors against the first's movies.
    index_activate(uri=settings.MILVUS_URI, version_id=trained.pk)
    search = mocker.spy(retrieval, "index_search")

    page = recommendation_list(user=newcomer)

    assert (page.model_version_id, page.fallback) == (second.pk, False)
    assert search.call_args.kwargs["alias"] == f"movies_v{second.pk}"


def test_lists_do_not_depend_on_the_alias(trained, newcomer):
    connect(uri=settings.MILVUS_URI, timeout=5).drop_alias(LIVE_ALIAS, timeout=5)

    page = recommendation_list(user=newcomer)

    assert (page.model_version_id, page.fallback) == (trained.pk, False)


def test_reasons_name_the_watchlist_and_the_picked_groups(trained, newcomer, refresh_calls):
    from recommender.services.feedback import group_picks_submit, watchlist_entry_set
    from recommender.serving.groups import group_seeds_active

    sci_fi = [m for m in range(1, 81) if movie_theme([m])[0] == 0][:3]
    for movie_id in sci_fi:
        watchlist_entry_set(user=newcomer, movie_id=movie_id, listed=True)
    group_picks_submit(user=newcomer, group_ids=[0])
    seeds = set(group_seeds_active()[0].seed_ids)

    page = recommendation_list(user=newcomer, limit=80)

    explained = {item.because_kind for item in page.items}
    assert explained == {"watchlist", "picked"}
    for item in page.items:
        title = Movie.objects.get(pk=item.because_movie_id).display_title
        if item.because_kind == "watchlist":
            assert item.because_movie_id in sci_fi
            assert item.reason == f"Because you want to watch {title}"
        else:
            assert item.because_movie_id in seeds
            assert item.reason == f"Because you picked the group with {title}"


def test_a_rating_explains_before_a_pick_of_the_same_movie(trained, newcomer, refresh_calls):
    from recommender.services.feedback import group_picks_submit
    from recommender.serving.groups import group_seeds_active

    group_picks_submit(user=newcomer, group_ids=[0])
    seeds = sorted(group_seeds_active()[0].seed_ids)
    for movie_id in seeds:
        rating_submit(user=newcomer, movie_id=movie_id, stars=5)

    page = recommendation_list(user=newcomer, limit=20)

    assert {item.because_kind for item in page.items} == {"rated"}
