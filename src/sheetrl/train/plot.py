"""Learning curves of a run as PNG files, drawn from its ``metrics.jsonl`` (matplotlib, Agg backend: no display).

``plot_run(run_dir)`` writes into ``run_dir/plots/``:

- ``success.png``: rolling training success rate (``charts/success_rate``) and per level (``success/<level>``);
- ``return.png``: mean episodic return of each logging interval, faint, with a moving average on top;
- ``reward_terms.png``: one panel per reward term (``reward/<term>``: episode sums, moving average);
- ``losses.png``: one panel per ``losses/...`` metric the agent reported (only when there are any).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np

from sheetrl.sheet.fileio import UnsafeFileError, write_atomic
from sheetrl.train.config import TrainError
from sheetrl.train.folders import make_folder
from sheetrl.train.logger import METRICS_FILE, read_metrics

PLOTS_FOLDER = "plots"
SMOOTHING = 10  # logging intervals in the moving averages
ROLLING = 100  # episodes in the runner's rolling success rates
PLOT_LIMIT = 1e100  # values are drawn within ±PLOT_LIMIT (matplotlib cannot lay out axes spanning ±1e308)


def series(records: list[dict[str, Any]], name: str) -> tuple[np.ndarray, np.ndarray]:
    """(steps, values) of one metric, skipping records without it, null or non-finite values and steps, and anything
    that is not a number; values (and steps) beyond ±:data:`PLOT_LIMIT` are drawn at that limit (a diverged loss of
    1e308 still shows as a spike, and the axes can be laid out)."""
    points = [(r["step"], r[name]) for r in records if _finite(r.get(name)) and _finite(r.get("step"))]
    if not points:
        return np.zeros(0), np.zeros(0)
    steps, values = zip(*points)
    return (np.clip(np.asarray(steps, dtype=float), -PLOT_LIMIT, PLOT_LIMIT),
            np.clip(np.asarray(values, dtype=float), -PLOT_LIMIT, PLOT_LIMIT))


def _finite(value: Any) -> bool:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False


def moving_average(values: np.ndarray, window: int = SMOOTHING) -> np.ndarray:
    """Trailing mean over up to ``window`` points (the first points average what there is). Each mean sums its own
    window (a running sum would carry one huge value's rounding error into every later mean)."""
    if values.size == 0:
        return values
    sums = np.convolve(values, np.ones(window))[: values.size]
    counts = np.minimum(np.arange(1, values.size + 1), window)
    return sums / counts


def plot_run(run_dir: str | Path, out_dir: str | Path | None = None) -> list[Path]:
    """Draw the run's learning curves; returns the PNG paths (raises :class:`TrainError` without metrics)."""
    try:
        import matplotlib
    except ImportError:
        raise TrainError("plotting needs matplotlib: pip install matplotlib") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    run_dir = Path(run_dir)
    if run_dir.exists() and not run_dir.is_dir():
        raise TrainError(f"run folder {run_dir} is a file, not a folder")
    if not run_dir.is_dir():
        raise TrainError(f"run folder {run_dir} does not exist")
    path = run_dir / METRICS_FILE
    if not path.exists():
        raise TrainError(f"{path} does not exist: is {run_dir} a training run folder?")
    try:
        records = read_metrics(path)
    except OSError as exc:
        raise TrainError(str(exc) if isinstance(exc, UnsafeFileError) else
                         f"cannot read {path}: {(exc.strerror or str(exc)).lower()}") from None
    if not records:
        raise TrainError(f"{path} holds no metrics yet")
    out = make_folder(Path(out_dir) if out_dir is not None else run_dir / PLOTS_FOLDER, "the plots folder")
    names = sorted({name for record in records for name in record} - {"step", "time"})
    title = run_dir.name
    written: list[Path] = []

    def save(figure: Any, filename: str) -> None:
        figure.suptitle(title, fontsize=9)
        figure.tight_layout()
        try:
            write_atomic(out / filename, lambda handle: figure.savefig(handle, format="png", dpi=110))
        except UnsafeFileError as exc:
            raise TrainError(f"cannot write {out / filename}: it {exc.strerror}") from None
        except OSError as exc:
            raise TrainError(f"cannot write {out / filename}: {(exc.strerror or str(exc)).lower()}") from None
        finally:
            plt.close(figure)
        written.append(out / filename)

    figure, axis = plt.subplots(figsize=(7, 4))
    axis.plot(*series(records, "charts/success_rate"), label="all levels", color="black", linewidth=2)
    for name in [n for n in names if n.startswith("success/")]:
        axis.plot(*series(records, name), label=f"level {name.split('/', 1)[1]}", linewidth=1)
    axis.set(xlabel="environment steps", ylabel=f"training success (last {ROLLING} episodes)", ylim=(-0.02, 1.02))
    axis.grid(alpha=0.3)
    axis.legend(loc="lower right", fontsize=8)
    save(figure, "success.png")

    figure, axis = plt.subplots(figsize=(7, 4))
    steps, values = series(records, "charts/episodic_return")
    axis.plot(steps, values, color="tab:blue", alpha=0.3, linewidth=0.8, label="mean per logging interval")
    axis.plot(steps, moving_average(values), color="tab:blue", linewidth=2, label=f"mean of {SMOOTHING} intervals")
    axis.set(xlabel="environment steps", ylabel="episodic return")
    axis.grid(alpha=0.3)
    axis.legend(loc="lower right", fontsize=8)
    save(figure, "return.png")

    terms = [n for n in names if n.startswith("reward/")]
    if terms:
        figure, axes = plt.subplots(len(terms), 1, figsize=(7, 1.8 * len(terms) + 0.6), sharex=True, squeeze=False)
        for axis, name in zip(axes[:, 0], terms):
            steps, values = series(records, name)
            axis.plot(steps, moving_average(values), linewidth=1.5)
            axis.set_ylabel(name.split("/", 1)[1], fontsize=8)
            axis.grid(alpha=0.3)
        axes[-1, 0].set_xlabel(f"environment steps (episode sums; mean of {SMOOTHING} intervals)")
        save(figure, "reward_terms.png")

    losses = [n for n in names if n.startswith("losses/")]
    if losses:
        figure, axes = plt.subplots(len(losses), 1, figsize=(7, 1.8 * len(losses) + 0.6), sharex=True,
                                    squeeze=False)
        for axis, name in zip(axes[:, 0], losses):
            axis.plot(*series(records, name), linewidth=1)
            axis.set_ylabel(name.split("/", 1)[1], fontsize=8)
            axis.grid(alpha=0.3)
        axes[-1, 0].set_xlabel("environment steps")
        save(figure, "losses.png")
    return written
