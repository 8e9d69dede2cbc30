"""Latency-distribution chart for the load benchmark (also drawn by bench/report.py)."""

from pathlib import Path

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


def latency_png(scenarios: dict[str, dict], path: Path, *, server: str) -> Path:
    """Latency at each percentile, one line per scenario, log scale: the tail shows."""
    figure = Figure(figsize=(8, 4.5), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    for name, row in scenarios.items():
        points = row["latency_ms"]
        labels = list(points)
        axes.plot(range(len(labels)), [points[p] for p in labels], marker="o", label=name)
    axes.set_xticks(range(len(labels)), [f"p{p}" for p in labels])
    axes.set_yscale("log")
    axes.set_ylabel("latency (ms, log scale)")
    axes.set_xlabel("percentile")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize="small")
    axes.set_title(f"Load benchmark: latency distribution per scenario (gunicorn {server}, wrk)")
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    return path
