"""Training benchmark on real MovieLens files: speed and quality, models vs baselines.

Run from the repository root:
  .venv/bin/python -m bench.train.run --data /tmp/ml/ml-1m-u2999 --data /tmp/ml/ml-100k
ml-1m-style directories use the model's own random split (config.test_fraction, seed);
ml-100k uses its official folds u1..u5 (--folds to pick some). Results are printed as a
table and written as JSON to --out.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import tempfile
from pathlib import Path

import numpy as np

from recommender.model.config import ModelConfig
from recommender.model.cpu import configure_cpu
from recommender.training.pipeline import TrainResult, train_and_evaluate

from .movielens import is_ml1m, is_ml100k, load_ml1m, ml100k_fold

METRICS = ("rmse", "mae", "recall@10", "capped_recall@10", "ndcg@10")
BASELINES = ("global_mean", "movie_mean", "popular")


def main() -> None:
    args = _parse_args()
    configure_cpu(args.threads)
    rows = []
    for directory in map(Path, args.data):
        for variant in args.variants:
            config = _config(variant, args.set)
            results = _run_dataset(directory, config, args.folds, args.artifacts)
            rows.append(_summary(directory.name, variant, config, results))
            print(_format_row(rows[-1]), flush=True)
        rows.extend(_baseline_rows(directory.name, results))
    _print_table(rows)
    args.out.mkdir(parents=True, exist_ok=True)
    out_file = args.out / f"results-{'-'.join(Path(d).name for d in args.data)}.json"
    out_file.write_text(json.dumps(rows, indent=1))
    print(f"written {out_file}")


def _parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", action="append", required=True, help="a MovieLens directory")
    parser.add_argument("--variants", nargs="+", default=["book", "multitask"])
    parser.add_argument("--folds", nargs="+", type=int, default=[1, 2, 3, 4, 5])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=Path, default=Path("bench/out/train"))
    parser.add_argument("--artifacts", type=Path, help="keep the trained models here")
    parser.add_argument(
        "--set", action="append", default=[], help="config override KEY=JSON, e.g. epochs=3"
    )
    return parser.parse_args()


def _config(variant: str, overrides: list[str]) -> ModelConfig:
    base = ModelConfig.book() if variant == "book" else ModelConfig(variant=variant)
    values = base.to_dict()
    for override in overrides:
        key, _, value = override.partition("=")
        if key not in values:
            raise SystemExit(f"unknown config key {key!r}")
        values[key] = json.loads(value)
    return ModelConfig.from_dict(values)


def _run_dataset(
    directory: Path, config: ModelConfig, folds: list[int], keep: Path | None
) -> list[TrainResult]:
    with tempfile.TemporaryDirectory() as scratch:
        artifacts = (keep or Path(scratch)) / f"{directory.name}-{config.variant}"
        if is_ml1m(directory):
            data = load_ml1m(directory)
            return [train_and_evaluate(data, config, artifacts, _log_epochs)]
        if is_ml100k(directory):
            return [_run_fold(directory, config, fold, artifacts) for fold in folds]
    raise SystemExit(f"{directory} holds neither ml-1m nor ml-100k files")


def _run_fold(directory: Path, config: ModelConfig, fold: int, artifacts: Path) -> TrainResult:
    data, held_out = ml100k_fold(directory, fold)
    return train_and_evaluate(data, config, artifacts / f"u{fold}", _log_epochs, held_out=held_out)


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


def _mean(results: list[TrainResult], value) -> float:
    return float(np.mean([value(result) for result in results]))


_COLUMNS = ("dataset", "model", "s/epoch", "ratings/s", "epochs", *METRICS)


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
