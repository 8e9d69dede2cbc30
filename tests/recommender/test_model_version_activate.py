import pytest
from django.conf import settings

from recommender.models import ModelVersion
from recommender.selectors import model_version_get_active
from recommender.services.model_versions import model_version_activate
from recommender.vector_index import VectorIndexUnavailable, index_status
from tests.training import train_now


def _live_version() -> int:
    return index_status(uri=settings.MILVUS_URI).version_id


def test_publishing_swaps_the_alias_and_keeps_the_previous_collection(trained):
    first = trained
    assert _live_version() == first.pk
    assert index_status(uri=settings.MILVUS_URI).row_count == 80

    second = train_now()

    status = index_status(uri=settings.MILVUS_URI)
    assert (status.version_id, model_version_get_active()) == (second.pk, second)
    assert set(status.available_version_ids) == {first.pk, second.pk}


def test_rollback_moves_model_and_alias_together(trained):
    first, second = trained, train_now()

    model_version_activate(version=first)

    assert model_version_get_active() == first
    assert _live_version() == first.pk
    assert ModelVersion.objects.filter(is_active=True).count() == 1
    model_version_activate(version=second)
    assert _live_version() == second.pk


def test_a_third_version_drops_the_oldest_and_rollback_to_it_republishes(trained):
    first, _, third = trained, train_now(), train_now()
    assert first.pk not in index_status(uri=settings.MILVUS_URI).available_version_ids

    model_version_activate(version=first)

    assert _live_version() == first.pk
    assert model_version_get_active() == first
    assert third.pk in index_status(uri=settings.MILVUS_URI).available_version_ids


def test_milvus_down_refuses_activation_and_changes_nothing(trained, settings):
    second = train_now()
    settings.MILVUS_URI = "http://127.0.0.1:9"

    with pytest.raises(VectorIndexUnavailable):
        model_version_activate(version=trained)

    assert model_version_get_active() == second
