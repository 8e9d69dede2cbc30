"""A training request while the broker is down, and a run whose message is lost: the
request answers and the run says why it waits; a training worker that starts trains it.

The broker points at a dead port in this process (tests.faults.helpers.broker_at). The tests
are transactional so the on-commit dispatch runs inside the request, as in production.
"""

import uuid
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from recommender.models import TrainingRun
from recommender.services.training_runs import training_run_request
from tests.api.helpers import client_for
from tests.celery_worker import celery_worker, wait_for
from tests.faults.helpers import DEAD_REDIS, broker_at
from tests.people import PASSWORD

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def trainer(django_user_model, settings):
    settings.TRAINING_PRESET = "tiny"
    return django_user_model.objects.create_superuser("trainer", password=PASSWORD)


def test_a_request_with_the_broker_down_records_the_error_on_the_run(trainer):
    with broker_at(DEAD_REDIS):
        run = training_run_request(triggered_by=trainer)

    stored = TrainingRun.objects.get()
    assert stored.status == TrainingRun.Status.QUEUED
    assert "OperationalError" in stored.dispatch_error
    assert run.dispatch_error == stored.dispatch_error
    assert stored.dispatched_at is None


def test_retrain_now_with_the_broker_down_answers_and_says_so(trainer):
    web = Client()
    web.force_login(trainer)

    with broker_at(DEAD_REDIS):
        response = web.post("/staff/training/retrain/", follow=True)

    assert response.status_code == 200
    html = " ".join(response.content.decode().split())
    run = TrainingRun.objects.get()
    assert f"Training run {run.pk} is queued, but the task queue did not take it" in html
    assert "Not sent to a training worker yet" in html
    assert run.dispatch_error in html


def test_the_api_answers_202_with_the_dispatch_error(trainer):
    with broker_at(DEAD_REDIS):
        response = client_for(trainer).post("/api/v1/training/runs/", {}, format="json")

    assert response.status_code == 202
    assert "OperationalError" in response.json()["dispatch_error"]


@pytest.mark.slow
def test_a_run_whose_message_was_lost_trains_when_a_worker_starts(synthetic_catalog, tmp_path):
    # The broker took the message and lost it (e.g. a restart without persistence), or no
    # training worker was running: the run stays queued until a worker starts.
    run = training_run_request(dispatch=False)
    TrainingRun.objects.filter(pk=run.pk).update(dispatched_at=timezone.now())
    log = tmp_path / "worker.log"

    with celery_worker(f"late-{uuid.uuid4().hex[:8]}@%h", log):
        wait_for(
            lambda: TrainingRun.objects.get(pk=run.pk).status == TrainingRun.Status.SUCCEEDED,
            120,
            "the queued run to train",
            log,
        )


def test_the_train_command_with_the_broker_down_says_so(trainer):
    out, err = StringIO(), StringIO()

    with broker_at(DEAD_REDIS):
        call_command("train", stdout=out, stderr=err)

    run = TrainingRun.objects.get()
    assert "a training worker will run it" not in out.getvalue()
    assert f"Queued training run {run.pk}, but the task queue did not take it" in err.getvalue()
