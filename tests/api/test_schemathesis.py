"""Fuzz every operation of the live schema through the WSGI app (no server): no 5xx, and every
response (status, content type, headers, body) as documented.

Each operation gets a bounded number of generated cases so the run fits CI. Requests carry a
staff token, so every route is reachable; schemathesis also sends some without it and with
a broken one to check that authentication is enforced.
"""

import json
import logging
import os
from collections import Counter

import pytest
import schemathesis
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.api.helpers import client_for

# 25 cases an operation in `make test`, the same ones every run (derandomized: CI must not
# flake); SCHEMATHESIS_EXAMPLES=500 SCHEMATHESIS_RANDOM=1 explores further by hand.
MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", "25"))
DERANDOMIZE = not os.environ.get("SCHEMATHESIS_RANDOM")
# Sign-up's password rules (length, similarity, common and numeric passwords) and username
# rules are the services', not the schema's: a schema-valid sign-up can still be a 400.
EXCLUDED_CHECKS = {"POST /api/v1/auth/register/": [positive_data_acceptance]}
calls: Counter = Counter()


@pytest.fixture
def live_app(synthetic_catalog, throttle_rates):
    """The synthetic catalog, no throttling, and requests that keep the test's transaction."""
    throttle_rates(anon="100000/minute", user="100000/minute", auth="100000/minute")
    # Each request would close the database connection, and with it the test's transaction
    # (Django's test client disconnects these handlers the same way).
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    requests_log = logging.getLogger("django.request")
    level, requests_log.level = requests_log.level, logging.ERROR  # 4xx are expected here
    yield
    requests_log.level = level
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def staff_token(staff) -> str:
    return client_for(staff)._credentials["HTTP_AUTHORIZATION"]


@pytest.fixture(scope="module", autouse=True)
def _report():
    yield
    print(f"\nschemathesis: {len(calls)} operations, {sum(calls.values())} cases")


def _schema_of_the_app():
    """The schema /api/schema/ serves, generated without a request: it is loaded at
    collection (schemathesis.pytest.from_fixture does not work with pytest 9: it sets a node
    attribute pytest no longer has), where a request would meet the throttles' cache and,
    through its keys, the database, which pytest-django keeps closed there."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(generated)))
    loaded.app = WSGIHandler()
    return loaded


schema = _schema_of_the_app()


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
    derandomize=DERANDOMIZE,
)
def test_api_honours_its_schema(case, live_app, staff_token, refresh_calls, mocker):
    mocker.patch("recommender.tasks.training_run_execute_task.delay")
    calls[case.operation.label] += 1
    case.call_and_validate(
        headers={"Authorization": staff_token},
        excluded_checks=EXCLUDED_CHECKS.get(f"{case.method} {case.path}", []),
    )
