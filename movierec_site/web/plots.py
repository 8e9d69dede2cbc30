"""Charts for the staff pages, drawn server-side as PNG."""

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


def loss_curve_png(history: list[dict]) -> bytes:
    """Training loss per epoch and, below it where recorded, validation RMSE.

    Two panels, not one: the multitask training loss and the RMSE are on different scales,
    and on one axis the RMSE curve flattens into a line at the bottom.
    """
    # A bare Figure with the Agg canvas, not pyplot: pyplot keeps global state that
    # concurrent requests in one process would share.
    validated = [entry for entry in history if entry.get("val_rmse") is not None]
    panels = 2 if validated else 1
    figure = Figure(figsize=(7, 2.4 * panels), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.subplots(panels, 1, sharex=True, squeeze=False)[:, 0]
    _panel(axes[0], history, "train_loss", "train loss", "tab:blue")
    if validated:
        _panel(axes[1], validated, "val_rmse", "validation RMSE", "tab:orange")
    axes[-1].set_xlabel("epoch")
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def _panel(axes, entries: list[dict], key: str, label: str, color: str) -> None:
    axes.plot([e["epoch"] for e in entries], [e[key] for e in entries], marker="o", color=color)
    axes.set_ylabel(label)
    axes.grid(alpha=0.3)
