import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from recommender.models import ModelVersionActivation, TrainingRun
from tests.people import PASSWORD, person_create

pytestmark = pytest.mark.django_db


def _staff_urls(run) -> list[tuple[str, str]]:
    version = run.model_version.pk
    return [
        ("get", "/staff/training/"),
        ("get", f"/staff/training/runs/{run.pk}/"),
        ("get", f"/staff/training/runs/{run.pk}/progress/"),
        ("get", f"/staff/training/runs/{run.pk}/loss.png"),
        ("get", "/staff/training/retrain/"),
        ("post", "/staff/training/retrain/"),
        ("get", f"/staff/training/versions/{version}/activate/"),
        ("post", f"/staff/training/versions/{version}/activate/"),
    ]


def test_visitors_are_sent_to_log_in(client, finished_run, train_calls):
    for method, url in _staff_urls(finished_run):
        response = getattr(client, method)(url)
        assert response.status_code == 302, url
        assert response.url.startswith("/accounts/login/?next="), url


def test_people_who_are_not_staff_are_refused(
    member_client, finished_run, train_calls, activation_calls
):
    for method, url in _staff_urls(finished_run):
        assert getattr(member_client, method)(url).status_code == 403, url
    assert TrainingRun.objects.count() == 1
    train_calls.assert_not_called()


@pytest.fixture
def operator(django_user_model):
    """Staff, not a superuser, with no model permission yet."""
    return person_create(django_user_model, "operator", age=35, is_staff=True)


@pytest.fixture
def operator_client(operator):
    client = Client()
    client.force_login(operator)
    return client


def _grant(user, codename: str) -> None:
    user.user_permissions.add(Permission.objects.get(codename=codename))


def test_staff_without_the_permissions_follow_training_but_cannot_start_or_switch(
    operator_client, finished_run, train_calls, activation_calls
):
    version = finished_run.model_version.pk
    page = operator_client.get("/staff/training/")
    refused = [
        operator_client.get("/staff/training/retrain/"),
        operator_client.post("/staff/training/retrain/"),
        operator_client.get(f"/staff/training/versions/{version}/activate/"),
        operator_client.post(f"/staff/training/versions/{version}/activate/"),
    ]

    assert page.status_code == 200
    html = page.content.decode()
    assert 'href="/staff/training/retrain/"' not in html
    assert f'href="/staff/training/versions/{version}/activate/"' not in html
    assert [response.status_code for response in refused] == [403] * 4
    assert TrainingRun.objects.count() == 1
    assert not ModelVersionActivation.objects.exists()


def test_the_train_permission_lets_staff_retrain_and_no_more(
    operator, operator_client, finished_run, train_calls
):
    _grant(operator, "train_model")
    version = finished_run.model_version.pk

    response = operator_client.post("/staff/training/retrain/")

    assert response.status_code == 302
    assert TrainingRun.objects.filter(triggered_by=operator).exists()
    activate = operator_client.post(f"/staff/training/versions/{version}/activate/")
    assert activate.status_code == 403


def test_the_activate_permission_lets_staff_activate_and_no_more(
    operator, operator_client, finished_run, activation_calls
):
    _grant(operator, "activate_model")
    version = finished_run.model_version.pk

    response = operator_client.post(f"/staff/training/versions/{version}/activate/")

    assert response.status_code == 302
    assert ModelVersionActivation.objects.get().requested_by == operator
    assert operator_client.post("/staff/training/retrain/").status_code == 403


def test_staff_see_runs_and_versions(staff_client, finished_run):
    html = staff_client.get("/staff/training/").content.decode()

    assert f"Run {finished_run.pk}" in html
    assert "No training is queued or running." in html
    assert 'aria-label="Activate model version' in html


def test_retrain_now_queues_a_run_for_a_worker(
    staff_client, staff, train_calls, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post("/staff/training/retrain/", follow=True)

    run = TrainingRun.objects.get()
    assert (run.status, run.triggered_by) == ("queued", staff)
    train_calls.assert_called_once_with(run.pk)
    html = response.content.decode()
    assert f"Training run {run.pk} is queued." in html
    assert f'hx-get="/staff/training/runs/{run.pk}/progress/" hx-trigger="every 2s"' in html


def test_retrain_while_one_runs_says_why_not(staff_client, train_calls):
    TrainingRun.objects.create(config={}, status=TrainingRun.Status.RUNNING)

    response = staff_client.post("/staff/training/retrain/", follow=True)

    assert "is already running; wait for it to finish." in response.content.decode()
    assert TrainingRun.objects.count() == 1


def test_a_running_run_shows_its_progress_and_keeps_polling(staff_client):
    run = TrainingRun.objects.create(
        config={"epochs": 8}, status="running", epoch=2, step=30, steps_per_epoch=120
    )

    html = " ".join(
        staff_client.get(f"/staff/training/runs/{run.pk}/progress/").content.decode().split()
    )

    assert "epoch 2 of 8, step 30 of 120" in html
    assert '<progress value="30" max="120"' in html
    assert 'hx-trigger="every 2s"' in html


def test_a_finished_run_stops_the_polling(staff_client, finished_run):
    html = staff_client.get(f"/staff/training/runs/{finished_run.pk}/progress/").content.decode()

    assert "succeeded" in html
    assert "hx-trigger" not in html


def test_metrics_stand_beside_their_baselines(staff_client, finished_run):
    response = staff_client.get(f"/staff/training/runs/{finished_run.pk}/")

    rows = {row["label"]: row for row in response.context["metric_rows"]}
    assert rows["RMSE"]["model"] == 0.93
    assert rows["RMSE"]["baselines"] == [("global mean", 1.12), ("movie mean", 0.98)]
    assert rows["Recall@10"]["baselines"] == [("most popular", 0.044)]
    html = response.content.decode()
    assert f'src="/staff/training/runs/{finished_run.pk}/loss.png"' in html


def test_the_page_says_which_model_the_metrics_describe(staff_client, finished_run):
    def page_text() -> str:
        html = staff_client.get(f"/staff/training/runs/{finished_run.pk}/").content.decode()
        return " ".join(html.split())

    assert "The version that serves is the model these figures describe." in page_text()
    TrainingRun.objects.filter(pk=finished_run.pk).update(config={"epochs": 3, "refit_epochs": 1})
    refitted = page_text()
    assert "These figures describe the model trained without those ratings." in refitted
    assert "then trained 1 more epoch on every rating" in refitted


def test_the_loss_curve_is_a_png(staff_client, finished_run):
    response = staff_client.get(f"/staff/training/runs/{finished_run.pk}/loss.png")

    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")


def test_no_curve_before_the_first_epoch(staff_client):
    run = TrainingRun.objects.create(config={})

    assert staff_client.get(f"/staff/training/runs/{run.pk}/loss.png").status_code == 404


def test_a_missing_run_is_404(staff_client):
    assert staff_client.get("/staff/training/runs/999/").status_code == 404


def test_activating_a_version_asks_a_worker(
    staff_client, staff, finished_run, activation_calls, django_capture_on_commit_callbacks
):
    version = finished_run.model_version
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            f"/staff/training/versions/{version.pk}/activate/", follow=True
        )

    activation = ModelVersionActivation.objects.get()
    assert (activation.version, activation.requested_by) == (version, staff)
    activation_calls.assert_called_once_with(activation.pk)
    assert f"Model version {version.pk} will serve" in response.content.decode()


def test_a_failed_activation_is_shown_with_its_reason(staff_client, staff, finished_run):
    ModelVersionActivation.objects.create(
        version=finished_run.model_version,
        requested_by=staff,
        status=ModelVersionActivation.Status.FAILED,
        error="VectorIndexUnavailable: Milvus did not answer",
    )

    html = " ".join(staff_client.get("/staff/training/").content.decode().split())

    assert f"<td>{finished_run.model_version.pk}</td> <td>staff</td>" in html  # who asked
    assert '<span class="status status-failed">failed</span>' in html
    assert "VectorIndexUnavailable: Milvus did not answer" in html


def test_activating_a_missing_version_says_so(staff_client, activation_calls):
    response = staff_client.post("/staff/training/versions/999/activate/", follow=True)

    assert "There is no model version 999." in response.content.decode()
    activation_calls.assert_not_called()


def test_staff_log_in_and_land_on_the_page_they_asked_for(staff, finished_run):
    client = Client()
    response = client.post(
        "/accounts/login/?next=/staff/training/",
        {"username": "staff", "password": PASSWORD, "next": "/staff/training/"},
    )

    assert response.url == "/staff/training/"


def test_the_page_shows_what_each_dial_step_trades(staff_client, finished_run):
    dial = {
        f"dial{step:+d}_{name}": value
        for step, coverage, log_popularity in [
            (-2, 0.75, 4.4),
            (-1, 0.56, 5.8),
            (0, 0.31, 6.37),
            (1, 0.2, 6.57),
            (2, 0.15, 6.69),
        ]
        for name, value in [
            ("recall@10", 0.1 + 0.01 * step),
            ("capped_recall@10", 0.2 + 0.01 * step),
            ("coverage", coverage),
            ("log_popularity", log_popularity),
        ]
    }
    TrainingRun.objects.filter(pk=finished_run.pk).update(metrics=finished_run.metrics | dial)

    response = staff_client.get(f"/staff/training/runs/{finished_run.pk}/")

    rows = response.context["dial_rows"]
    assert [row["label"] for row in rows] == [
        "Hidden gems",
        "Lesser known",
        "Balanced",
        "Better known",
        "Well known",
    ]
    assert rows[0] == {
        "label": "Hidden gems",
        "recall": pytest.approx(0.08),
        "capped_recall": pytest.approx(0.18),
        "coverage": 0.75,
        "typical_ratings": 80,  # e^4.4 - 1
    }
    html = " ".join(response.content.decode().split())
    assert "What the popularity dial trades" in html
    assert '<th scope="row">Hidden gems</th> <td>0.0800</td> <td>0.1800</td> <td>75%</td>' in html


def test_a_run_measured_before_the_dial_shows_no_dial_table(staff_client, finished_run):
    response = staff_client.get(f"/staff/training/runs/{finished_run.pk}/")

    assert response.context["dial_rows"] == []
    assert "What the popularity dial trades" not in response.content.decode()
