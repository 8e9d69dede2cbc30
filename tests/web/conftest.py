"""People on both sides of every permission, the synthetic catalog made browsable, and a
real browser."""

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

from recommender.models import ModelVersion, TrainingRun
from tests.people import person_create


def _person(django_user_model, username: str, **flags):
    return person_create(django_user_model, username, age=35, **flags)


@pytest.fixture
def member(django_user_model):
    return _person(django_user_model, "member")


@pytest.fixture
def other_member(django_user_model):
    return _person(django_user_model, "other-member")


@pytest.fixture
def staff(django_user_model):
    return _person(django_user_model, "staff", is_staff=True, is_superuser=True)


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def catalog(synthetic_catalog):
    """The synthetic catalog, browsable: years and rating totals as an import leaves them."""
    return synthetic_catalog


@pytest.fixture
def finished_run(db, staff):
    """A succeeded run with metrics and a loss history, and its (inactive) version."""
    run = TrainingRun.objects.create(
        status=TrainingRun.Status.SUCCEEDED,
        triggered_by=staff,
        config={"epochs": 3},
        epoch=3,
        step=10,
        steps_per_epoch=10,
        loss_history=[
            {"epoch": 1, "train_loss": 1.4, "val_rmse": 1.05, "seconds": 1.0},
            {"epoch": 2, "train_loss": 1.0, "val_rmse": 0.97, "seconds": 1.0},
            {"epoch": 3, "train_loss": 0.9, "val_rmse": 0.95, "seconds": 1.0},
        ],
        metrics={
            "model_rmse": 0.93,
            "model_mae": 0.74,
            "global_mean_rmse": 1.12,
            "global_mean_mae": 0.93,
            "movie_mean_rmse": 0.98,
            "movie_mean_mae": 0.78,
            "model_recall@10": 0.061,
            "popular_recall@10": 0.044,
            "model_ndcg@10": 0.09,
            "popular_ndcg@10": 0.07,
        },
    )
    ModelVersion.objects.create(
        training_run=run,
        artifact_path="/nonexistent",
        config={"epochs": 3},
        data_snapshot={},
        metrics=run.metrics,
        gate=ModelVersion.Gate.PASSED,
    )
    return run


CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def browser(monkeypatch):
    """Debian's Chromium, driven by Playwright."""
    if not CHROMIUM.exists():
        pytest.skip("Chromium is not installed (scripts/run-tests installs it)")
    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls
    # are still synchronous and safe.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
