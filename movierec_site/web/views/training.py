"""Staff pages for training: runs with live progress and metrics, retraining, rollback."""

import math
from functools import wraps

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from core.exceptions import ApplicationError
from movierec_site.web.plots import loss_curve_png
from recommender.model.ranking import dial_prefix
from recommender.models import TrainingRun
from recommender.selectors import (
    model_version_activation_list,
    model_version_get,
    model_version_get_active,
    model_version_list,
    training_run_get,
    training_run_get_in_progress,
    training_run_list,
)
from recommender.services.activation import model_version_activation_request
from recommender.services.training_config import training_config_build
from recommender.services.training_runs import training_run_request

from .home import DIAL_STEPS

RUNS_PER_PAGE = 20
VERSIONS_SHOWN = 20
ACTIVATIONS_SHOWN = 10
# (label, model's key, [(baseline label, baseline key)]); lower is better for the errors.
METRICS = [
    (
        "RMSE",
        "model_rmse",
        [("global mean", "global_mean_rmse"), ("movie mean", "movie_mean_rmse")],
    ),
    ("MAE", "model_mae", [("global mean", "global_mean_mae"), ("movie mean", "movie_mean_mae")]),
    ("Recall@10", "model_recall@10", [("most popular", "popular_recall@10")]),
    ("NDCG@10", "model_ndcg@10", [("most popular", "popular_ndcg@10")]),
]


def staff_required(view):
    """Anonymous visitors go to the login page; signed-in people who are not staff get 403."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_staff:
            raise PermissionDenied("Staff only.")
        return view(request, *args, **kwargs)

    return wrapped


def model_permission_required(permission: str):
    """Staff who hold `permission` (superusers hold every one); other staff get 403. Staff
    status lets one follow training; starting or switching a model takes the permission."""

    def decorate(view):
        @staff_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise PermissionDenied(f"This needs the {permission} permission.")
            return view(request, *args, **kwargs)

        return wrapped

    return decorate


@staff_required
@require_GET
def training_run_list_view(request):
    context = {
        "page": Paginator(training_run_list(), RUNS_PER_PAGE).get_page(request.GET.get("page")),
        "current": training_run_get_in_progress(),
        "versions": model_version_list()[:VERSIONS_SHOWN],
        "activations": model_version_activation_list()[:ACTIVATIONS_SHOWN],
    }
    return render(request, "web/staff/training_runs.html", context)


@staff_required
@require_GET
def training_run_detail_view(request, run_id: int):
    run = _run_or_404(run_id)
    context = {
        "run": run,
        "metric_rows": metric_rows(run.metrics),
        "dial_rows": dial_rows(run.metrics),
    }
    return render(request, "web/staff/training_run.html", context)


@staff_required
@require_GET
def training_run_progress_view(request, run_id: int):
    """The progress panel alone: the page polls it every 2 s while the run is live."""
    return render(request, "web/staff/_run_progress.html", {"run": _run_or_404(run_id)})


@staff_required
@require_GET
def training_run_loss_png_view(request, run_id: int):
    run = _run_or_404(run_id)
    if not run.loss_history:
        raise Http404("This run has no finished epoch yet.")
    response = HttpResponse(loss_curve_png(run.loss_history), content_type="image/png")
    response["Cache-Control"] = "private, no-cache"
    return response


@model_permission_required("recommender.train_model")
@require_http_methods(["GET", "POST"])
def training_retrain_view(request):
    """GET asks first (what a run costs); POST queues the run. The list page's button is a
    link here, so the question works without JavaScript."""
    if request.method == "GET":
        context = {"config": training_config_build(), "current": training_run_get_in_progress()}
        return render(request, "web/staff/retrain_confirm.html", context)
    try:
        run = training_run_request(triggered_by=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        if run.dispatch_error:
            messages.warning(
                request,
                f"Training run {run.pk} is queued, but the task queue did not take it: "
                "it is sent again every minute.",
            )
        else:
            messages.success(request, f"Training run {run.pk} is queued.")
    return redirect("training_runs")


@model_permission_required("recommender.activate_model")
@require_http_methods(["GET", "POST"])
def model_version_activate_view(request, version_id: int):
    """GET asks first (every visitor's lists switch), beside the active version's numbers;
    POST asks a worker to switch."""
    if request.method == "GET":
        version = model_version_get(version_id=version_id)
        if version is None:
            raise Http404("There is no such model version.")
        context = {"version": version, "active": model_version_get_active()}
        return render(request, "web/staff/activate_confirm.html", context)
    try:
        activation = model_version_activation_request(
            version_id=version_id, requested_by=request.user
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        if activation.status == activation.Status.FAILED:
            messages.error(request, f"Model version {version_id}: {activation.error}")
        else:
            messages.success(
                request, f"Model version {version_id} will serve once a worker switches to it."
            )
    return redirect("training_runs")


def metric_rows(metrics: dict) -> list[dict]:
    """The model's held-out metrics, each beside the baselines it should beat."""
    return [
        {
            "label": label,
            "model": metrics[key],
            "baselines": [(name, metrics.get(base)) for name, base in baselines],
        }
        for label, key, baselines in METRICS
        if key in metrics
    ]


def dial_rows(metrics: dict) -> list[dict]:
    """What each popularity dial step trades on the held-out people: Recall@10, catalogue
    coverage and how well known the listed movies are (the ratings of a typical one, from
    the mean log(1 + ratings)). Empty for runs evaluated before the dial was measured."""
    rows = []
    for step, label in DIAL_STEPS:
        prefix = dial_prefix(step)
        if f"{prefix}_coverage" not in metrics:
            return []
        rows.append(
            {
                "label": label,
                "recall": metrics[f"{prefix}_recall@10"],
                "capped_recall": metrics[f"{prefix}_capped_recall@10"],
                "coverage": metrics[f"{prefix}_coverage"],
                "typical_ratings": round(math.expm1(metrics[f"{prefix}_log_popularity"])),
            }
        )
    return rows


def _run_or_404(run_id: int) -> TrainingRun:
    run = training_run_get(run_id=run_id)
    if run is None:
        raise Http404("There is no such training run.")
    return run
