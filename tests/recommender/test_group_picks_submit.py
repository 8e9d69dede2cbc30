"""group_picks_submit: a newcomer's picked groups seed their list before any rating; the
picks move their list state as a rating does, and outlive a change of model version."""

import pytest

from catalog.models import GroupPick
from core.exceptions import ApplicationError
from recommender.services.feedback import group_picks_submit, rating_submit
from recommender.serving import recommendation_list, recommendation_state
from recommender.serving.groups import group_seeds_active, onboarding_groups


def _ids(user) -> list[int]:
    return [item.movie.pk for item in recommendation_list(user=user, limit=20).items]


def test_picks_change_a_newcomers_list_and_send_a_refresh(
    trained, newcomer, refresh_calls, django_capture_on_commit_callbacks
):
    before, state = _ids(newcomer), recommendation_state(user=newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        assert group_picks_submit(user=newcomer, group_ids=[0]) is True

    assert recommendation_state(user=newcomer) != state
    assert _ids(newcomer) != before
    refresh_calls.assert_called_once_with(newcomer.pk)
    seeds = set(group_seeds_active()[0].seed_ids)
    assert set(GroupPick.objects.filter(user=newcomer).values_list("movie_id", flat=True)) == seeds
    assert [group.picked for group in onboarding_groups(user=newcomer)][:2] == [True, False]


def test_the_same_picks_again_change_nothing(
    trained, newcomer, refresh_calls, django_capture_on_commit_callbacks
):
    group_picks_submit(user=newcomer, group_ids=[1, 0])
    state = recommendation_state(user=newcomer)
    with django_capture_on_commit_callbacks(execute=True):
        assert group_picks_submit(user=newcomer, group_ids=[0, 1, 1]) is False

    assert recommendation_state(user=newcomer) == state
    refresh_calls.assert_not_called()


def test_no_picks_clears_them_and_the_list_is_the_demographic_one_again(
    trained, newcomer, refresh_calls
):
    demographic = _ids(newcomer)
    group_picks_submit(user=newcomer, group_ids=[0, 2])

    assert group_picks_submit(user=newcomer, group_ids=[]) is True

    assert not GroupPick.objects.filter(user=newcomer).exists()
    assert _ids(newcomer) == demographic


def test_ratings_still_refine_the_list(trained, newcomer, refresh_calls):
    group_picks_submit(user=newcomer, group_ids=[0])
    picked = _ids(newcomer)

    rating_submit(user=newcomer, movie_id=picked[0], stars=1)

    assert picked[0] not in _ids(newcomer)


def test_an_unknown_group_is_refused_and_nothing_changes(trained, newcomer, refresh_calls):
    count = len(group_seeds_active())

    with pytest.raises(ApplicationError, match=f"no group {count}"):
        group_picks_submit(user=newcomer, group_ids=[0, count])

    assert not GroupPick.objects.filter(user=newcomer).exists()


def test_without_a_model_there_is_nothing_to_pick(synthetic_catalog, newcomer):
    with pytest.raises(ApplicationError):
        group_picks_submit(user=newcomer, group_ids=[0])
