"""Asking a worker to activate a model version (the web side never writes to Milvus)."""

from django.db import transaction

from core.exceptions import ApplicationError
from recommender.models import ModelVersion


def model_version_activation_request(*, version_id: int) -> ModelVersion:
    from recommender.tasks import model_version_activate_by_id

    version = ModelVersion.objects.filter(pk=version_id).first()
    if version is None:
        raise ApplicationError(
            f"There is no model version {version_id}.", {"version_id": version_id}
        )
    transaction.on_commit(lambda: model_version_activate_by_id.delay(version.pk))
    return version
