"""A live run is never taken for a dead one: each long phase (export, training, evaluation)
beats while it works, so a sweep in the middle of an hour-long phase leaves it running.

Transactional: the heartbeat writes from its own connection, which must see the run.
"""

from datetime import timedelta
from pkgutil import resolve_name

import pytest
from django.utils import timezone

from recommender.models import TrainingRun
from recommender.services.training import training_run_execute
from recommender.services.training_runs import training_run_request, training_runs_sweep
from tests.celery_worker import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

PHASES = {
    "export": "recommender.services.training.training_data_export",
    "training": "recommender.training.pipeline.train_net",
    "evaluation": "recommender.training.pipeline.evaluate",
}


def _beaten_since(run_id: int, moment) -> bool:
    return TrainingRun.objects.get(pk=run_id).heartbeat_at > moment


@pytest.mark.parametrize("phase", PHASES)
def test_a_sweep_in_the_middle_of_a_long_phase_leaves_the_run_alone(
    synthetic_catalog, settings, mocker, phase
):
    settings.TRAINING_HEARTBEAT_SECONDS = 0.05
    settings.TRAINING_STALE_SECONDS = 600
    real = resolve_name(PHASES[phase])
    seen = {}

    def long_phase(*args, **kwargs):
        run = TrainingRun.objects.get(status=TrainingRun.Status.RUNNING)
        # As if the phase had been working for an hour: its last beat before it is that old.
        started = timezone.now()
        TrainingRun.objects.filter(pk=run.pk).update(heartbeat_at=started - timedelta(hours=1))
        wait_for(lambda: _beaten_since(run.pk, started), 30, f"a heartbeat during {phase}")
        training_runs_sweep()
        seen["status"] = TrainingRun.objects.get(pk=run.pk).status
        return real(*args, **kwargs)

    mocker.patch(PHASES[phase], side_effect=long_phase)
    run = training_run_request(dispatch=False)

    finished = training_run_execute(run_id=run.pk, worker="test-worker")

    assert seen["status"] == TrainingRun.Status.RUNNING
    assert finished.status == TrainingRun.Status.SUCCEEDED, finished.error
