"""Metrics of a run, written to every sink at once: ``metrics.jsonl``, TensorBoard and Weights & Biases.

Names are namespaced and stable (CleanRL's convention plus ours):

- ``charts/episodic_return``, ``charts/episodic_length``: means over the episodes that finished since the
  previous record (the runner logs every ``log_every`` environment steps), ``charts/episodes`` (the count so far);
- ``charts/success_rate`` (rolling, last 100 episodes), ``success/<level>`` (rolling, last 100 episodes of that
  level), ``charts/SPS`` (environment steps per second), ``curriculum/level`` (the highest unlocked level);
- ``reward/<term>``: each reward term's episode sum, averaged like the return;
- whatever the agent reports, averaged over the interval's iterations: ``losses/td_loss``, ``charts/epsilon``, ...;
- ``eval/success_rate``, ``eval/success/<level>``, ``eval/mean_return``, ``eval/mean_length``: the held-out
  evaluation at the end of training.

``metrics.jsonl`` is always written (one JSON object per line: ``{"step": env_steps, "time": seconds, name:
value, ...}``); it is what ``sheetrl plot`` reads and needs no extra package. TensorBoard event files go in the run
folder; wandb logs too (``run_dir/wandb``, offline by default). A missing package is reported once and the run goes
on with the others.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sheetrl.sheet.fileio import loads_json, open_input, write_atomic

METRICS_FILE = "metrics.jsonl"
WANDB_PROJECT = "sheetrl"

_reported: set[str] = set()


def _report_once(key: str, message: str, report: Callable[[str], None]) -> None:
    if key not in _reported:
        _reported.add(key)
        report(message)


class MetricsLogger:
    """Fans metrics out to ``metrics.jsonl``, TensorBoard and wandb.

    :param run_dir: the run folder (everything is written under it).
    :param config: the run's configuration, stored with the wandb run.
    :param tensorboard: write TensorBoard event files.
    :param wandb_mode: ``offline``, ``online`` or ``disabled``.
    :param resume_step: when continuing a run, the environment step of its checkpoint: records logged after it
        (by the interrupted process) are dropped so that every curve continues without duplicates.
    :param time_offset: seconds the run had already trained before this process (the ``time`` column goes on).
    :param notice: how to tell the user about a missing package (one line, once per process).
    """

    def __init__(self, run_dir: str | Path, config: dict[str, Any] | None = None, *, tensorboard: bool = True,
                 wandb_mode: str = "offline", resume_step: int | None = None, time_offset: float = 0.0,
                 notice: Callable[[str], None] = print) -> None:
        self.run_dir = Path(run_dir)
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.path = self.run_dir / METRICS_FILE
        if resume_step is not None:
            truncate_metrics(self.path, resume_step)
        self._file = self.path.open("a", encoding="utf-8")
        self.writer: Any = None
        self.wandb_run: Any = None
        if tensorboard:
            try:
                from torch.utils.tensorboard import SummaryWriter
            except ImportError:
                _report_once("tensorboard", "tensorboard is not installed: logging to metrics.jsonl (and wandb) "
                             "only; `pip install tensorboard` to get event files", notice)
            else:
                self.writer = SummaryWriter(log_dir=str(self.run_dir), purge_step=resume_step)
        if wandb_mode != "disabled":
            try:
                import wandb
            except ImportError:
                _report_once("wandb", "wandb is not installed: logging to metrics.jsonl (and TensorBoard) only; "
                             "`pip install wandb` to get wandb logs", notice)
            else:
                try:
                    self.wandb_run = wandb.init(
                        project=WANDB_PROJECT, dir=str(self.run_dir), name=self.run_dir.name,
                        id=wandb_run_id(self.run_dir), resume="allow",
                        mode="online" if wandb_mode == "online" else "offline", config=config or {},
                        settings=wandb.Settings(silent=True, console="off"), reinit="create_new",
                    )
                except Exception as exc:  # a network or account problem must not stop training
                    _report_once("wandb-init", f"wandb could not start ({type(exc).__name__}: {exc}); "
                                 "logging to metrics.jsonl and TensorBoard only", notice)
                    self.wandb_run = None
        self._start = time.time() - time_offset  # after the sinks start, so `time` counts training only

    def log(self, metrics: dict[str, float], step: int) -> None:
        """Record ``metrics`` at environment step ``step`` in every sink (non-finite values are kept as null)."""
        if not metrics:
            return
        values = {name: float(value) for name, value in metrics.items()}
        record: dict[str, Any] = {"step": int(step), "time": round(time.time() - self._start, 3)}
        record.update({name: (value if math.isfinite(value) else None) for name, value in values.items()})
        self._file.write(json.dumps(record) + "\n")
        if self.writer is not None:
            for name, value in values.items():
                self.writer.add_scalar(name, value, int(step))
        if self.wandb_run is not None:
            self.wandb_run.log(values, step=int(step))

    def flush(self) -> None:
        self._file.flush()
        if self.writer is not None:
            self.writer.flush()

    def close(self) -> None:
        self.flush()
        self._file.close()
        if self.writer is not None:
            self.writer.close()
            self.writer = None
        if self.wandb_run is not None:
            try:
                self.wandb_run.finish()
            except Exception:  # finishing is best effort; the local files are already written
                pass
            self.wandb_run = None

    def __enter__(self) -> MetricsLogger:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def wandb_run_id(run_dir: Path) -> str:
    """A stable wandb run id for a run folder, so a resumed run continues the same wandb run."""
    return hashlib.sha1(Path(run_dir).name.encode()).hexdigest()[:16]


def read_metrics(path: str | Path) -> list[dict[str, Any]]:
    """The records of a ``metrics.jsonl`` file. A line that is not a record with a numeric ``step`` (torn by a
    crash, or damaged outside the runner: bytes that are not UTF-8, other JSON, JSON nested too deeply) is skipped.
    Raises :class:`~sheetrl.sheet.fileio.UnsafeFileError` when the file is not a regular file (a named pipe)."""
    records = []
    with io.TextIOWrapper(open_input(path), encoding="utf-8", errors="replace") as stream:
        for line in stream:
            try:
                record = loads_json(line)
            except json.JSONDecodeError:
                continue
            if isinstance(record, dict) and _is_number(record.get("step")):
                records.append(record)
    return records


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def truncate_metrics(path: Path, last_step: int) -> None:
    """Keep only the records at or before ``last_step`` (rewritten atomically)."""
    if not path.exists():
        return
    kept = [record for record in read_metrics(path) if record["step"] <= last_step]
    text = "".join(json.dumps(record) + "\n" for record in kept)
    write_atomic(path, lambda handle: handle.write(text.encode("utf-8")))
