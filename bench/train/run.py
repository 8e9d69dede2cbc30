"""Training benchmark on real MovieLens files: speed and quality, models vs baselines.

Run from the repository root:
  .venv/bin/python -m bench.train.run --data /tmp/ml/ml-1m-u2999 --data /tmp/ml/ml-100k
ml-1m-style directories use the model's own random split (config.test_fraction, seed);
ml-100k uses its official folds u1..u5 (--folds to pick some). The classic peers (EASE,
implicit ALS, biased MF; bench/train/peers.py) run on the same splits unless --no-peers.
Results are printed as a table and written as JSON to --out.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from recommender.model.config import ModelConfig
from recommender.model.cpu import configure_cpu
from recommender.training.data import RatingsData
from recommender.training.pipeline import TrainResult, train_and_evaluate

from .movielens import is_ml1m, is_ml100k, load_ml1m, ml100k_fold
from .peers import PeerResult, model_split, peer_results

METRICS = ("rmse", "mae", "recall@10", "capped_recall@10", "ndcg@10")
BASELINES = ("global_mean", "movie_mean", "popular")


def main() -> None:
    args = _parse_args()
    configure_cpu(args.threads)
    rows = []
    for directory in map(Path, args.data):
        datasets = _datasets(directory, args.folds)
        results = []
        for variant in args.variants:
            config = _config(variant, args.set)
            results = _run_dataset(directory.name, datasets, config, args.artifacts)
            rows.append(_summary(directory.name, variant, config, results))
            print(_format_row(rows[-1]), flush=True)
        if results:
            rows.extend(_baseline_rows(directory.name, results))
        if not args.peers:
            continue
        # The split depends on test_fraction, val_fraction and seed, which every variant
        # shares unless --set changes them (then the peers follow the first variant).
        first = args.variants[0] if args.variants else "multitask"
        for row in _peer_rows(directory.name, datasets, _config(first, args.set)):
            rows.append(row)
            print(_format_row(row), flush=True)
    _print_table(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    out_file = args.out / f"results-{'-'.join(Path(d).name for d in args.data)}.json"
    out_file.write_text(json.dumps(rows, indent=1))
    print(f"written {out_file}")


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", action="append", required=True, help="a MovieLens directory")
    parser.add_argument(
        "--variants", nargs="*", default=["book", "multitask"], help="none: the peers alone"
    )
    parser.add_argument("--folds", nargs="+", type=int, default=[1, 2, 3, 4, 5])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("bench/out/train"))
    parser.add_argument("--artifacts", type=Path, help="keep the trained models here")
    parser.add_argument(
        "--no-peers", dest="peers", action="store_false", help="skip EASE, ALS and biased MF"
    )
    parser.add_argument(
        "--set", action="append", default=[], help="config override KEY=JSON, e.g. epochs=3"
    )
    return parser.parse_args()


# The default model before the neighbourhood stage, the cosine schedule and the refit
# (2026-11), kept so every run shows what they changed: multitask, lr 2e-3 halved on each
# validation plateau, up to 25 epochs, patience 3, dropout 0.2.
PREVIOUS_DEFAULT = {
    "dropout": 0.2,
    "diversity": 0.0,
    "cooccurrence_weights": (0.0,),
    "residual_weights": (0.0,),
    "refit_epochs": 0,
    "learning_rate": 2e-3,
    "lr_schedule": "plateau",
    "epochs": 25,
    "patience": 3,
}
VARIANTS = {
    "book": ModelConfig.book,
    "multitask": ModelConfig,
    "previous": lambda: ModelConfig(**PREVIOUS_DEFAULT),
}


def _config(variant: str, overrides: list[str]) -> ModelConfig:
    if variant not in VARIANTS:
        raise SystemExit(f"unknown variant {variant!r}: pick from {sorted(VARIANTS)}")
    values = VARIANTS[variant]().to_dict()
    for override in overrides:
        key, _, value = override.partition("=")
        if key not in values:
            raise SystemExit(f"unknown config key {key!r}")
        values[key] = json.loads(value)
    return ModelConfig.from_dict(values)


Dataset = tuple[str, RatingsData, np.ndarray | None]  # (fold name, data, held-out mask)


def _datasets(directory: Path, folds: list[int]) -> list[Dataset]:
    """ml-1m: one data set, split at random by the config; ml-100k: its official folds."""
    if is_ml1m(directory):
        return [("", load_ml1m(directory), None)]
    if is_ml100k(directory):
        return [(f"u{fold}", *ml100k_fold(directory, fold)) for fold in folds]
    raise SystemExit(f"{directory} holds neither ml-1m nor ml-100k files")


def _run_dataset(
    name: str, datasets: list[Dataset], config: ModelConfig, keep: Path | None
) -> list[TrainResult]:
    with tempfile.TemporaryDirectory() as scratch:
        artifacts = (keep or Path(scratch)) / f"{name}-{config.variant}"
        return [
            train_and_evaluate(data, config, artifacts / fold, _log_epochs, held_out=held_out)
            for fold, data, held_out in datasets
        ]


def _log_epochs(epoch: int, step: int, steps: int, loss: float) -> None:
    if step == steps:
        print(f"  epoch {epoch}: last batch loss {loss:.4f}", flush=True)


def _summary(dataset: str, variant: str, config: ModelConfig, results: list[TrainResult]):
    """Mean over folds of the model's metrics and timings."""
    return {
        "dataset": dataset,
        "model": variant,
        "s/epoch": _mean(results, lambda r: r.timings["seconds_per_epoch"]),
        "ratings/s": _mean(results, lambda r: r.timings["ratings_per_second"]),
        "epochs": _mean(results, lambda r: len(r.history)),
        "fit s": _mean(results, lambda r: r.timings["training_seconds"]),
        "total s": _mean(results, lambda r: r.timings["total_seconds"]),
        "popularity_weight": _mean(results, lambda r: r.policy.popularity_weight),
        **{m: _mean(results, lambda r, m=m: r.metrics[f"model_{m}"]) for m in METRICS},
        "config": dataclasses.asdict(config),
        "history": [[dataclasses.asdict(epoch) for epoch in r.history] for r in results],
    }


def _baseline_rows(dataset: str, results: list[TrainResult]) -> list[dict]:
    rows = []
    for name in BASELINES:
        keys = [m for m in METRICS if f"{name}_{m}" in results[0].metrics]
        metrics = {m: _mean(results, lambda r, k=f"{name}_{m}": r.metrics[k]) for m in keys}
        rows.append({"dataset": dataset, "model": name, **metrics})
    return rows


def _peer_rows(dataset: str, datasets: list[Dataset], config: ModelConfig) -> list[dict]:
    """One row per peer: means over folds of its metrics and fit times, its chosen values."""
    by_fold = [
        peer_results(model_split(data, config, held_out), config.seed)
        for _, data, held_out in datasets
    ]
    return [_peer_row(dataset, list(fits)) for fits in zip(*by_fold, strict=True)]


def _peer_row(dataset: str, fits: list[PeerResult]) -> dict:
    chosen = [
        f"{key}=" + "/".join(f"{value:g}" for value in sorted({fit.params[key] for fit in fits}))
        for key in fits[0].params
    ]  # e.g. "ease l2=250/500": the values the folds chose
    return {
        "dataset": dataset,
        "model": " ".join([fits[0].model, *chosen]),
        "fit s": _mean(fits, lambda fit: fit.fit_seconds),
        "tune s": _mean(fits, lambda fit: fit.tune_seconds),
        **{
            m: _mean(fits, lambda fit, m=m: fit.metrics[m]) for m in METRICS if m in fits[0].metrics
        },
        "params": [fit.params for fit in fits],
        "validation_recall@10": [fit.validation for fit in fits],
    }


def _mean(results: Sequence[Any], value: Callable[..., float]) -> float:
    return float(np.mean([value(result) for result in results]))


_COLUMNS = ("dataset", "model", "s/epoch", "ratings/s", "epochs", "fit s", "total s", *METRICS)


def _format_row(row: dict) -> str:
    cells = []
    for column in _COLUMNS:
        value = row.get(column, "")
        cells.append(f"{value:.4f}" if isinstance(value, float) else str(value))
    return "| " + " | ".join(cells) + " |"


def _print_table(rows: list[dict]) -> None:
    print("| " + " | ".join(_COLUMNS) + " |")
    print("|" + "---|" * len(_COLUMNS))
    for row in rows:
        print(_format_row(row))


if __name__ == "__main__":
    main()
