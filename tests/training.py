"""Training a model version in-process, for tests that need one serving."""

from recommender.models import ModelVersion, TrainingRun
from recommender.services.training import training_run_execute
from recommender.services.training_runs import training_run_request


def train_now():
    """Train (tiny preset, see the synthetic_catalog fixture), publish and activate."""
    run = training_run_request(dispatch=False)
    run = training_run_execute(run_id=run.pk, worker="test")
    assert run.status == "succeeded", run.error
    return run.model_version


def model_version_row(*, is_active: bool = False) -> ModelVersion:
    """A version row of a succeeded run, with no artifact and nothing indexed: enough for
    what reads rows only (readiness, requests that no worker runs)."""
    run = TrainingRun.objects.create(config={}, status=TrainingRun.Status.SUCCEEDED)
    return ModelVersion.objects.create(
        training_run=run,
        artifact_path="/nonexistent",
        config={},
        data_snapshot={},
        metrics={},
        gate=ModelVersion.Gate.PASSED,
        is_active=is_active,
    )
