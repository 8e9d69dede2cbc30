"""Request ids: taken from the caller or made, returned, and on every log line; Celery
task ids on the lines a task writes."""

import io
import json
import logging

import pytest
from celery import shared_task

from movierec_site.logs import ContextFilter, JsonFormatter


@pytest.fixture
def json_lines():
    """JSON log lines as production writes them (LOG_FORMAT=json), captured."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    handler.addFilter(ContextFilter())
    root = logging.getLogger()
    root.addHandler(handler)
    level, root.level = root.level, logging.INFO
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    root.removeHandler(handler)
    root.setLevel(level)


def test_a_callers_request_id_comes_back(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID="lb-7f3a.42")

    assert response["X-Request-ID"] == "lb-7f3a.42"


def test_a_request_without_one_gets_a_new_id(client):
    first = client.get("/healthz")["X-Request-ID"]
    second = client.get("/healthz")["X-Request-ID"]

    assert len(first) == 32
    assert first != second


def test_a_request_id_that_could_forge_log_lines_is_replaced(client):
    response = client.get("/healthz", HTTP_X_REQUEST_ID='x"\n{"level": "ERROR"}')

    assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_every_log_line_of_a_request_carries_its_id(client, json_lines):
    client.get("/no-such-page", HTTP_X_REQUEST_ID="req-123")

    lines = json_lines()
    access = [line for line in lines if line["logger"] == "movierec.request"]
    not_found = [line for line in lines if line["logger"] == "django.request"]
    assert access[0]["message"].startswith("GET /no-such-page 404")
    assert access[0]["http_status"] == 404
    assert {line["request_id"] for line in access + not_found} == {"req-123"}


def test_log_lines_outside_a_request_have_no_request_id(json_lines):
    logging.getLogger("movierec.test").info("between requests")

    assert json_lines()[0]["request_id"] is None


@shared_task
def _log_something():
    logging.getLogger("movierec.test").info("inside a task")


def test_a_tasks_log_lines_carry_its_task_id(json_lines):
    result = _log_something.apply()

    line = next(line for line in json_lines() if line["message"] == "inside a task")
    assert line["task_id"] == result.id
