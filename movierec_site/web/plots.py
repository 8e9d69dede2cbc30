"""Charts for the staff pages, drawn server-side as PNG."""

import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure


def loss_curve_png(history: list[dict]) -> bytes:
    """Training loss and, where recorded, validation RMSE per epoch."""
    # A bare Figure with the Agg canvas, not pyplot: pyplot keeps global state that
    # concurrent requests in one process would share.
    figure = Figure(figsize=(7, 3.4), dpi=100, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    epochs = [entry["epoch"] for entry in history]
    axes.plot(epochs, [entry["train_loss"] for entry in history], marker="o", label="train loss")
    validated = [entry for entry in history if entry.get("val_rmse") is not None]
    if validated:
        axes.plot(
            [entry["epoch"] for entry in validated],
            [entry["val_rmse"] for entry in validated],
            marker="s",
            label="validation RMSE",
        )
    axes.set_xlabel("epoch")
    axes.set_ylabel("loss / RMSE")
    axes.grid(alpha=0.3)
    axes.legend()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
