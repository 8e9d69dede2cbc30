"""Training a model version in-process, for tests that need one serving."""

from recommender.services.training import training_run_execute
from recommender.services.training_runs import training_run_request


def train_now():
    """Train (tiny preset, see the synthetic_catalog fixture), publish and activate."""
    run = training_run_request(dispatch=False)
    run = training_run_execute(run_id=run.pk, worker="test")
    assert run.status == "succeeded", run.error
    return run.model_version
