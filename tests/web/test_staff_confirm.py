"""Staff actions that cost something ask first, on a page of their own (no JavaScript
needed), and the run page explains its numbers."""

import pytest

from recommender.models import ModelVersion, TrainingRun

pytestmark = pytest.mark.django_db


def test_the_list_links_retrain_and_activate_to_their_questions(staff_client, finished_run):
    html = staff_client.get("/staff/training/").content.decode()

    version = finished_run.model_version.pk
    assert 'href="/staff/training/retrain/"' in html
    assert f'href="/staff/training/versions/{version}/activate/"' in html
    assert 'method="post" action="/staff/training/retrain/"' not in html


def test_retrain_asks_first_and_says_what_it_costs(staff_client, train_calls):
    response = staff_client.get("/staff/training/retrain/")

    html = " ".join(response.content.decode().split())
    assert response.status_code == 200
    assert "Retrain the model now?" in html
    assert "several minutes" in html
    assert "training worker's CPU" in html
    assert 'method="post" action="/staff/training/retrain/"' in html
    assert not TrainingRun.objects.exists()
    train_calls.assert_not_called()


def test_retrain_question_warns_when_a_run_is_live(staff_client):
    run = TrainingRun.objects.create(status=TrainingRun.Status.RUNNING, config={})

    html = " ".join(staff_client.get("/staff/training/retrain/").content.decode().split())

    assert f"Run {run.pk} is running already" in html


def test_activate_asks_first_beside_the_active_versions_numbers(
    staff_client, finished_run, activation_calls
):
    version = finished_run.model_version
    active_run = TrainingRun.objects.create(status=TrainingRun.Status.SUCCEEDED, config={})
    active = ModelVersion.objects.create(
        training_run=active_run,
        artifact_path="/nonexistent",
        config={},
        data_snapshot={},
        metrics={"model_rmse": 0.8765},
        gate=ModelVersion.Gate.PASSED,
        is_active=True,
    )

    response = staff_client.get(f"/staff/training/versions/{version.pk}/activate/")

    html = " ".join(response.content.decode().split())
    assert response.status_code == 200
    assert f"Every visitor's lists switch to version {version.pk}" in html
    assert "0.9300" in html  # this version's held-out RMSE
    assert f"Active (version {active.pk})" in html
    assert "0.8765" in html
    activation_calls.assert_not_called()
    assert ModelVersion.objects.get(is_active=True) == active


def test_activating_a_missing_version_asks_nothing(staff_client):
    assert staff_client.get("/staff/training/versions/999/activate/").status_code == 404


def test_the_run_page_explains_the_loss_and_the_metrics(staff_client, finished_run):
    html = " ".join(
        staff_client.get(f"/staff/training/runs/{finished_run.pk}/").content.decode().split()
    )

    assert "The train loss is what training minimises" in html
    for metric in ("RMSE (lower is better)", "Recall@10 (higher is better)", "NDCG@10"):
        assert metric in html


def test_times_on_staff_pages_say_their_time_zone(staff_client, finished_run):
    run_page = staff_client.get(f"/staff/training/runs/{finished_run.pk}/").content.decode()
    list_page = staff_client.get("/staff/training/").content.decode()

    created = finished_run.created_at
    assert created.strftime("<dd>%Y-%m-%d %H:%M:%S UTC</dd>") in run_page
    assert created.strftime("<td>%Y-%m-%d %H:%M UTC</td>") in list_page
