"""Movie vector index on Milvus (milvus-lite server in dev/tests, standalone in production).

Workers publish a model version with ``index_publish``; web processes read with
``index_search`` / ``index_similar`` and fall back when ``VectorIndexUnavailable`` is raised.
"""

from recommender.vector_index.client import PUBLISH_TIMEOUT_S, SEARCH_TIMEOUT_S, connect
from recommender.vector_index.collection import LIVE_ALIAS, collection_name_for
from recommender.vector_index.errors import VectorIndexError, VectorIndexUnavailable
from recommender.vector_index.publish import (
    IndexStatus,
    index_activate,
    index_publish,
    index_status,
)
from recommender.vector_index.search import index_search, index_similar
from recommender.vector_index.server import milvus_lite_server

__all__ = [
    "LIVE_ALIAS",
    "PUBLISH_TIMEOUT_S",
    "SEARCH_TIMEOUT_S",
    "IndexStatus",
    "VectorIndexError",
    "VectorIndexUnavailable",
    "collection_name_for",
    "connect",
    "index_activate",
    "index_publish",
    "index_search",
    "index_similar",
    "index_status",
    "milvus_lite_server",
]
