from django.core.management.base import BaseCommand, CommandError

from recommender.selectors import model_version_get_active
from recommender.services.vector_index import vector_index_rebuild
from recommender.vector_index import VectorIndexError


class Command(BaseCommand):
    help = "Rebuild the Milvus index of the active model version and point the alias at it."

    def handle(self, *args, **options):
        version = model_version_get_active()
        if version is None:
            raise CommandError("No active model version: run `python manage.py train` first.")
        try:
            status = vector_index_rebuild(version=version)
        except VectorIndexError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(
                f"Alias {status.alias} -> {status.collection}: {status.row_count} movies "
                f"(model version {version.pk})."
            )
        )
