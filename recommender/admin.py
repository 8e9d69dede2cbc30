"""Training runs and model versions in the Django admin: read-only records, with the live
progress page and rollback one click away. New runs come from "Retrain now" on the
training page (or the schedule), never from an add form."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils.html import format_html

from core.exceptions import ApplicationError
from recommender.models import ModelVersion, ModelVersionActivation, TrainingRun
from recommender.services.activation import model_version_activation_request


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TrainingRun)
class TrainingRunAdmin(ReadOnlyAdmin):
    list_display = ("id", "status", "trigger", "triggered_by", "progress", "rmse", "created_at")
    list_filter = ("status", "trigger")
    list_select_related = ("triggered_by",)
    date_hierarchy = "created_at"

    @admin.display(description="progress")
    def progress(self, run: TrainingRun) -> str:
        url = reverse("training_run", args=[run.pk])
        label = f"epoch {run.epoch}, step {run.step}/{run.steps_per_epoch}"
        return format_html('<a href="{}">{}</a>', url, label)

    @admin.display(description="RMSE")
    def rmse(self, run: TrainingRun) -> str:
        value = run.metrics.get("model_rmse")
        return "–" if value is None else f"{value:.4f}"


@admin.register(ModelVersion)
class ModelVersionAdmin(ReadOnlyAdmin):
    list_display = ("id", "training_run", "gate", "is_active", "rmse", "created_at", "activated_at")
    list_filter = ("gate", "is_active")
    list_select_related = ("training_run",)
    actions = ["activate"]

    @admin.display(description="RMSE")
    def rmse(self, version: ModelVersion) -> str:
        value = version.metrics.get("model_rmse")
        return "–" if value is None else f"{value:.4f}"

    def has_activate_permission(self, request) -> bool:
        return request.user.has_perm("recommender.activate_model")

    @admin.action(description="Activate the selected version (rollback)", permissions=["activate"])
    def activate(self, request, queryset) -> None:
        versions = list(queryset[:2])
        if len(versions) != 1:
            self.message_user(request, "Select exactly one version.", messages.ERROR)
            return
        try:
            activation = model_version_activation_request(
                version_id=versions[0].pk, requested_by=request.user
            )
        except ApplicationError as error:
            self.message_user(request, error.message, messages.ERROR)
        else:
            self.message_user(request, f"Model version {activation.version_id} will serve shortly.")


@admin.register(ModelVersionActivation)
class ModelVersionActivationAdmin(ReadOnlyAdmin):
    list_display = ("id", "version", "status", "requested_by", "requested_at", "error")
    list_filter = ("status",)
    list_select_related = ("version", "requested_by")
