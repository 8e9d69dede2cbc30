"""Publishing, alias swapping, pruning and rollback against a real milvus-lite server."""

import pytest

from recommender.vector_index import (
    VectorIndexError,
    index_activate,
    index_publish,
    index_search,
    index_status,
)
from recommender.vector_index import publish as publish_module
from tests.vector_index.helpers import catalog_make


def test_first_publish_creates_alias(milvus_uri):
    catalog = catalog_make()
    status = index_publish(uri=milvus_uri, version_id=1, **catalog)
    assert status.collection == "movies_v1"
    assert status.version_id == 1
    assert status.row_count == len(catalog["movie_ids"])
    assert index_status(uri=milvus_uri) == status


def test_second_publish_swaps_alias_and_keeps_previous(milvus_uri):
    index_publish(uri=milvus_uri, version_id=1, **catalog_make(seed=1))
    status = index_publish(uri=milvus_uri, version_id=2, **catalog_make(seed=2))
    assert status.version_id == 2
    assert status.available_version_ids == (1, 2)


def test_third_publish_drops_the_oldest(milvus_uri):
    for version_id in (1, 2, 3):
        status = index_publish(uri=milvus_uri, version_id=version_id, **catalog_make())
    assert status.version_id == 3
    assert status.available_version_ids == (2, 3)


def test_activate_rolls_back_to_previous_version(milvus_uri):
    old, new = catalog_make(seed=1), catalog_make(seed=2)
    index_publish(uri=milvus_uri, version_id=1, **old)
    index_publish(uri=milvus_uri, version_id=2, **new)

    status = index_activate(uri=milvus_uri, version_id=1)

    assert status.version_id == 1
    query = old["vectors"][:1]
    assert index_search(uri=milvus_uri, vectors=query, limit=1)[0][0][0] == old["movie_ids"][0]


def test_activate_unknown_version_names_the_available_ones(milvus_uri):
    index_publish(uri=milvus_uri, version_id=1, **catalog_make())
    with pytest.raises(VectorIndexError, match=r"version 7\b.*available versions: \[1\]"):
        index_activate(uri=milvus_uri, version_id=7)
    assert index_status(uri=milvus_uri).version_id == 1


def test_row_count_mismatch_leaves_alias_untouched(milvus_uri, monkeypatch):
    catalog = catalog_make()
    index_publish(uri=milvus_uri, version_id=1, **catalog)
    real_insert = publish_module._rows_insert

    def insert_losing_last_row(*, client, name, rows, timeout):
        real_insert(client=client, name=name, rows=rows[:-1], timeout=timeout)

    monkeypatch.setattr(publish_module, "_rows_insert", insert_losing_last_row)
    with pytest.raises(VectorIndexError, match="holds 399 rows, expected 400"):
        index_publish(uri=milvus_uri, version_id=2, **catalog)
    assert index_status(uri=milvus_uri).version_id == 1

    # The next attempt (e.g. a Celery retry) rebuilds the half-written collection.
    monkeypatch.undo()
    assert index_publish(uri=milvus_uri, version_id=2, **catalog).row_count == 400


def test_publish_is_safe_to_run_twice(milvus_uri):
    catalog = catalog_make()
    first = index_publish(uri=milvus_uri, version_id=5, **catalog)
    second = index_publish(uri=milvus_uri, version_id=5, **catalog)
    assert first == second
    assert second.available_version_ids == (5,)


def test_publish_keeps_collections_served_by_another_alias(milvus_uri):
    index_publish(uri=milvus_uri, version_id=1, alias="movies_staging", **catalog_make())
    index_publish(uri=milvus_uri, version_id=2, **catalog_make())
    status = index_publish(uri=milvus_uri, version_id=3, **catalog_make())
    assert status.available_version_ids == (1, 2, 3)
    assert index_status(uri=milvus_uri, alias="movies_staging").version_id == 1


def test_publish_rejects_inconsistent_input(milvus_uri):
    catalog = catalog_make()
    catalog["years"] = catalog["years"][:-1]
    with pytest.raises(ValueError, match="equally long"):
        index_publish(uri=milvus_uri, version_id=1, **catalog)
    catalog = catalog_make()
    catalog["genres"][0] = ["Sci_Fi"]
    with pytest.raises(ValueError, match="Sci_Fi"):
        index_publish(uri=milvus_uri, version_id=1, **catalog)
    assert index_status(uri=milvus_uri).collection is None
