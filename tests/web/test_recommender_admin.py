import pytest
from django.contrib.auth.models import Permission

from recommender.models import ModelVersion, ModelVersionActivation
from tests.people import person_create

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("model", ["trainingrun", "modelversion"])
def test_staff_see_runs_and_versions_in_the_admin(staff_client, finished_run, model):
    response = staff_client.get(f"/admin/recommender/{model}/")

    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


@pytest.mark.parametrize("model", ["trainingrun", "modelversion"])
def test_others_cannot_reach_them(client, member_client, model):
    assert client.get(f"/admin/recommender/{model}/").status_code == 302
    assert member_client.get(f"/admin/recommender/{model}/").status_code == 302


def test_runs_cannot_be_added_by_hand(staff_client, finished_run):
    assert staff_client.get("/admin/recommender/trainingrun/add/").status_code == 403


def test_a_run_links_to_its_progress_page(staff_client, finished_run):
    html = staff_client.get("/admin/recommender/trainingrun/").content.decode()

    assert f'href="/staff/training/runs/{finished_run.pk}/"' in html


def test_the_activate_action_asks_a_worker(
    staff_client, staff, finished_run, mocker, django_capture_on_commit_callbacks
):
    delay = mocker.patch("recommender.tasks.model_version_activation_execute_task.delay")
    version = ModelVersion.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        staff_client.post(
            "/admin/recommender/modelversion/",
            {"action": "activate", "_selected_action": [version.pk]},
        )

    activation = ModelVersionActivation.objects.get()
    assert (activation.version, activation.requested_by) == (version, staff)
    delay.assert_called_once_with(activation.pk)


def test_activations_are_listed_with_their_outcome(staff_client, finished_run):
    ModelVersionActivation.objects.create(
        version=finished_run.model_version,
        status=ModelVersionActivation.Status.FAILED,
        error="VectorIndexUnavailable: Milvus did not answer",
    )

    response = staff_client.get("/admin/recommender/modelversionactivation/")

    assert response.status_code == 200
    assert "VectorIndexUnavailable: Milvus did not answer" in response.content.decode()


@pytest.mark.parametrize(("granted", "activated"), [(False, False), (True, True)])
def test_the_activate_action_needs_the_activate_permission(
    client, django_user_model, finished_run, activation_calls, granted, activated
):
    operator = person_create(django_user_model, "operator", age=35, is_staff=True)
    codenames = ["view_modelversion"] + (["activate_model"] if granted else [])
    operator.user_permissions.add(*Permission.objects.filter(codename__in=codenames))
    client.force_login(operator)
    version = ModelVersion.objects.get()

    page = client.get("/admin/recommender/modelversion/")
    client.post(
        "/admin/recommender/modelversion/",
        {"action": "activate", "_selected_action": [version.pk]},
    )

    assert page.status_code == 200
    assert ('value="activate"' in page.content.decode()) == activated
    assert ModelVersionActivation.objects.exists() == activated
