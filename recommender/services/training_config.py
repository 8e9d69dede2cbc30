"""Which ModelConfig a training run uses: a named preset, optionally with fewer epochs."""

from django.conf import settings

from core.exceptions import ApplicationError
from recommender.model.config import ModelConfig

PRESETS = {"default": ModelConfig, "book": ModelConfig.book, "tiny": ModelConfig.tiny}


def training_config_build(*, preset: str | None = None, epochs: int | None = None) -> ModelConfig:
    name = preset or settings.TRAINING_PRESET
    if name not in PRESETS:
        raise ApplicationError(f"Unknown training preset {name!r}; use one of {sorted(PRESETS)}.")
    config = PRESETS[name]()
    if epochs is None:
        return config
    try:
        return ModelConfig.from_dict({**config.to_dict(), "epochs": epochs})
    except ValueError as error:
        raise ApplicationError(str(error)) from error
