"""Milvus answers a read with an error that is not "unreachable": a server-side failure,
a rejected request, a gRPC status pymilvus does not wrap. Pages and the API give the
popular fallback (similar movies: the genre's popular ones), never a 500."""

import grpc
import pytest
from django.test import Client
from pymilvus import MilvusClient
from pymilvus.exceptions import MilvusException, ParamError

from tests.api.helpers import client_for

pytestmark = [pytest.mark.slow, pytest.mark.django_db]


class _RpcError(grpc.RpcError):
    """What a gRPC stub raises for a failed call: an RpcError that is also a Call."""

    def __init__(self, code: grpc.StatusCode) -> None:
        super().__init__(f"{code.name}: the server failed the call")
        self._code = code

    def code(self) -> grpc.StatusCode:
        return self._code

    def details(self) -> str:
        return str(self)


ERRORS = {
    "server_error": MilvusException(code=65535, message="segcore: internal error"),
    "rejected_request": ParamError(message="invalid search params"),
    "grpc_internal": _RpcError(grpc.StatusCode.INTERNAL),
    "grpc_resource_exhausted": _RpcError(grpc.StatusCode.RESOURCE_EXHAUSTED),
}


@pytest.fixture(params=sorted(ERRORS))
def failing_reads(request, trained, mocker):
    """Every read the serving path makes (search, and get for similar movies) fails."""
    for method in ("search", "get"):
        mocker.patch.object(MilvusClient, method, side_effect=ERRORS[request.param])
    return trained


def test_recommendations_fall_back_when_a_milvus_read_fails(failing_reads, newcomer):
    response = client_for(newcomer).get("/api/v1/recommendations/", {"limit": 5})

    assert response.status_code == 200, response.content[:500]
    assert response.json()["fallback"]
    assert len(response.json()["items"]) == 5


def test_similar_movies_fall_back_when_a_milvus_read_fails(failing_reads, newcomer):
    response = client_for(newcomer).get("/api/v1/movies/1/similar/")

    assert response.status_code == 200, response.content[:500]
    assert response.json()
    assert 1 not in {movie["id"] for movie in response.json()}


def test_pages_answer_when_a_milvus_read_fails(failing_reads, newcomer):
    web = Client()
    web.force_login(newcomer)

    home, movie = web.get("/"), web.get("/movies/1/")

    assert (home.status_code, movie.status_code) == (200, 200)
    assert "popular picks" in home.content.decode()
