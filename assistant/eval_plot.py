"""A PNG bar chart of an evaluation report (``sourced eval --plot``).

matplotlib is an optional dependency (``pip install 'sourced[plot]'``): only this module needs
it, and only when a chart is asked for.
"""

from __future__ import annotations

from pathlib import Path

from assistant.evaluation import EvalReport
from ingest.errors import SourcedError


def plot_metrics(report: EvalReport, path: Path) -> Path:
    """Draw the report's 0–1 metrics as bars (latency in the title) and save a PNG."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as exc:
        raise SourcedError(
            "--plot needs matplotlib; install it with `pip install 'sourced[plot]'`"
        ) from exc
    if path.suffix.lower() != ".png":
        raise SourcedError(f"--plot {str(path)!r} must name a .png file")
    names = [n for n, v in report.metrics.items() if v is not None and not n.endswith("_ms")]
    values = [float(report.metrics[n] or 0.0) for n in names]
    fig, ax = plt.subplots(figsize=(max(6.0, 1.1 * len(names)), 4.0))
    bars = ax.bar(names, values, color="#3b6ea5")
    ax.bar_label(bars, labels=[f"{v:.3f}" for v in values], padding=2, fontsize=8)
    ax.set_ylim(0, 1.1)
    p50 = report.metrics.get("retrieve_p50_ms")
    latency = f" · retrieval p50 {p50:.0f} ms" if p50 is not None else ""
    questions = report.counts["questions"]
    ax.set_title(f"{report.name} ({report.format}, {questions} questions){latency}")
    ax.tick_params(axis="x", labelrotation=30)
    fig.tight_layout()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fig.savefig(path, format="png", dpi=120)
    except OSError as exc:
        raise SourcedError(f"cannot write the chart to {path} ({exc.strerror})") from exc
    finally:
        plt.close(fig)
    return path
