"""Cached lists belong to one install: another database's entries, a recreated database's
leftovers and ids this database lacks are never served as someone's picks."""

import logging
from datetime import timedelta

import pytest
from django.core.cache import cache

from core import cache as cache_backend
from recommender.models import ModelVersion
from recommender.serving import POPULAR_REASON, recommendation_list
from recommender.serving import cache_keys as keys

MISSING_MOVIE = 999_999


def _list_key(user, version) -> str:
    generation = keys.generation_of(user_id=user.pk)
    return keys.list_key(user_id=user.pk, version=version, generation=generation, genre=None)


def test_a_list_cached_by_another_install_is_not_served(trained, newcomer, monkeypatch):
    monkeypatch.setattr(cache_backend, "_identity", "another-install")
    cache.set(_list_key(newcomer, trained), [(MISSING_MOVIE, 5.0, None, None)])
    monkeypatch.setattr(cache_backend, "_identity", None)  # this install's, read again

    page = recommendation_list(user=newcomer, limit=10)

    assert not page.fallback
    assert len(page.items) == 10
    assert MISSING_MOVIE not in [item.movie.pk for item in page.items]


def test_ids_the_database_lacks_are_skipped_and_logged(trained, newcomer, caplog):
    cache.set(
        _list_key(newcomer, trained),
        [(MISSING_MOVIE, 5.0, None, None), (3, 4.0, MISSING_MOVIE, "rated")],
    )

    with caplog.at_level(logging.WARNING):
        page = recommendation_list(user=newcomer, limit=10)

    assert [(item.movie.pk, item.reason) for item in page.items] == [(3, POPULAR_REASON)]
    assert f"skip unknown movies {{{MISSING_MOVIE}}}" in caplog.text


@pytest.mark.django_db
def test_a_recreated_version_with_the_same_number_gets_other_keys(trained):
    again = ModelVersion(pk=trained.pk, created_at=trained.created_at + timedelta(seconds=1))
    key = keys.list_key(user_id=1, version=trained, generation="0.0", genre=None)
    assert key != keys.list_key(user_id=1, version=again, generation="0.0", genre=None)


@pytest.mark.django_db
def test_the_install_identity_names_this_database():
    cache_backend._identity = None
    identity = cache_backend.install_identity()
    assert identity == cache_backend.install_identity()
    assert cache.make_key("k") == f"movierec-test:1:{identity}:k"
