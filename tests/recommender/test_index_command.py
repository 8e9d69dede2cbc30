"""manage.py index: (re)build the active model's index in Milvus."""

from recommender.vector_index import index_status
from tests.commands import command_run
from tests.vector_index.helpers import server_wipe


def test_index_rebuilds_a_lost_index(trained, milvus_server_uri):
    server_wipe(uri=milvus_server_uri)

    out, _ = command_run("index")

    assert f"model version {trained.pk}" in out
    assert index_status(uri=milvus_server_uri).version_id == trained.pk
