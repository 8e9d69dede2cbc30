import pytest
from django.contrib.auth.models import Permission

from recommender.models import ModelVersion, ModelVersionActivation, TrainingRun
from tests.api.helpers import client_for, error_of
from tests.people import person_create

RUNS = "/api/v1/training/runs/"
VERSIONS = "/api/v1/model-versions/"


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", RUNS), ("post", RUNS), ("get", f"{RUNS}1/"), ("get", VERSIONS),
     ("post", f"{VERSIONS}1/activate/"), ("get", f"{VERSIONS}activations/")],
)  # fmt: skip
def test_training_routes_are_staff_only(anonymous, as_user, method, path):
    denied = getattr(as_user, method)(path)
    unauthenticated = getattr(anonymous, method)(path)

    assert denied.status_code == 403
    assert error_of(denied)["code"] == "permission_denied"
    assert unauthenticated.status_code == 401
    assert not TrainingRun.objects.exists()


@pytest.fixture
def trainer(django_user_model):
    """Staff with both model permissions (staff alone may only look)."""
    user = person_create(django_user_model, "dana", age=25, is_staff=True)
    codenames = ["train_model", "activate_model"]
    user.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    return user


@pytest.fixture
def as_trainer(trainer):
    return client_for(trainer)


def test_staff_without_the_permissions_may_look_but_not_train_or_activate(
    as_staff, trained, train_calls, activation_calls
):
    looks = [as_staff.get(RUNS), as_staff.get(VERSIONS), as_staff.get(f"{VERSIONS}activations/")]
    train = as_staff.post(RUNS, {}, format="json")
    activate = as_staff.post(f"{VERSIONS}{trained.pk}/activate/")

    assert [response.status_code for response in looks] == [200, 200, 200]
    assert (train.status_code, activate.status_code) == (403, 403)
    assert error_of(train)["code"] == "permission_denied"
    assert TrainingRun.objects.count() == 1
    assert not ModelVersionActivation.objects.exists()


def test_staff_queue_a_run_once_then_get_409_while_it_is_queued(
    as_trainer, trainer, train_calls, django_capture_on_commit_callbacks, settings
):
    settings.TRAINING_PRESET = "tiny"
    with django_capture_on_commit_callbacks(execute=True):
        queued = as_trainer.post(RUNS, {}, format="json")
    refused = as_trainer.post(RUNS, {"epochs": 2}, format="json")

    assert queued.status_code == 202
    run = TrainingRun.objects.get()
    assert (queued.json()["id"], queued.json()["status"], run.triggered_by) == (
        run.pk,
        "queued",
        trainer,
    )
    train_calls.assert_called_once_with(run.pk)
    assert refused.status_code == 409
    error = error_of(refused)
    assert (error["code"], error["extra"]) == ("conflict", {"run_id": run.pk})


def test_staff_choose_a_preset_and_epochs(as_trainer, train_calls):
    response = as_trainer.post(RUNS, {"preset": "tiny", "epochs": 3}, format="json")

    assert response.status_code == 202
    assert response.json()["epochs"] == 3


def test_staff_follow_runs_with_progress_and_metrics(as_staff, trained):
    TrainingRun.objects.create(
        config={"epochs": 4}, status="running", epoch=2, step=5, steps_per_epoch=10
    )

    runs = as_staff.get(RUNS).json()["results"]
    detail = as_staff.get(f"{RUNS}{trained.training_run_id}/").json()

    assert (runs[0]["status"], runs[0]["progress"]) == ("running", 0.375)
    assert (detail["status"], detail["progress"]) == ("succeeded", 1.0)
    assert detail["model_version_id"] == trained.pk
    assert "rmse" in str(detail["metrics"])


def test_a_missing_run_is_a_404(as_staff):
    assert as_staff.get(f"{RUNS}12345/").status_code == 404


def test_staff_list_versions_and_activate_one_through_a_worker(
    as_trainer, trainer, trained, activation_calls, django_capture_on_commit_callbacks
):
    versions = as_trainer.get(VERSIONS).json()["results"]
    with django_capture_on_commit_callbacks(execute=True):
        response = as_trainer.post(f"{VERSIONS}{trained.pk}/activate/")

    assert [(v["id"], v["is_active"]) for v in versions] == [(trained.pk, True)]
    assert response.status_code == 202
    activation = response.json()
    assert (activation["version"], activation["status"]) == (trained.pk, "queued")
    assert activation["requested_by"] == trainer.username
    activation_calls.assert_called_once_with(activation["id"])


def test_staff_see_activations_and_why_one_failed(as_staff, trained):
    failed = ModelVersionActivation.objects.create(
        version=trained,
        status=ModelVersionActivation.Status.FAILED,
        error="VectorIndexUnavailable: Milvus did not answer",
    )

    activations = as_staff.get(f"{VERSIONS}activations/").json()["results"]

    assert [(a["id"], a["version"], a["status"]) for a in activations] == [
        (failed.pk, trained.pk, "failed")
    ]
    assert activations[0]["error"] == failed.error


def test_activating_a_missing_version_is_a_404(as_trainer, activation_calls):
    response = as_trainer.post(f"{VERSIONS}999/activate/")

    assert response.status_code == 404
    assert error_of(response)["extra"] == {"version_id": 999}
    assert not ModelVersion.objects.exists()
    activation_calls.assert_not_called()
