import warnings

from django.apps import AppConfig


class RecommenderConfig(AppConfig):
    name = "recommender"
    verbose_name = "Recommender: model training, vector index and recommendations"

    def ready(self) -> None:
        # Paddle warns on import that it cannot find ccache, a compiler cache for building
        # custom operators; movierec builds none, so the line is only noise in every command.
        warnings.filterwarnings("ignore", message="No ccache found", category=UserWarning)
