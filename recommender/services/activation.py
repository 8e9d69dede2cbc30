"""Asking a worker to activate a model version (the web side never writes to Milvus)."""

from django.db import transaction

from core.exceptions import ApplicationError
from recommender.models import ModelVersion
from recommender.selectors import model_version_get
from recommender.tasks import model_version_activate_task


def model_version_activation_request(*, version_id: int) -> ModelVersion:
    """Queue the switch to `version_id` for a worker (staff pages, the API and the admin)."""
    version = model_version_get(version_id=version_id)
    if version is None:
        raise ApplicationError(
            f"There is no model version {version_id}.", {"version_id": version_id}
        )
    transaction.on_commit(lambda: model_version_activate_task.delay(version.pk))
    return version
