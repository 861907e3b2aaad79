"""The metrics logger: metrics.jsonl always, TensorBoard and wandb when installed, one notice when not."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from sheetrl.train import logger as logger_module
from sheetrl.train.logger import MetricsLogger, read_metrics, truncate_metrics, wandb_run_id


def test_metrics_jsonl_holds_one_record_per_call(tmp_path: Path) -> None:
    with MetricsLogger(tmp_path, tensorboard=False, wandb_mode="disabled") as log:
        log.log({"charts/episodic_return": 1.5, "reward/progress": 0.25}, step=10)
        log.log({"losses/td_loss": float("nan")}, step=20)
        log.log({}, step=30)
    lines = (tmp_path / "metrics.jsonl").read_text().splitlines()
    assert len(lines) == 2
    first, second = (json.loads(line) for line in lines)
    assert first["step"] == 10 and first["charts/episodic_return"] == 1.5 and first["reward/progress"] == 0.25
    assert second == {"step": 20, "time": second["time"], "losses/td_loss": None}


def test_tensorboard_event_files_hold_the_same_scalars(tmp_path: Path) -> None:
    pytest.importorskip("tensorboard")
    from tensorboard.backend.event_processing.event_accumulator import EventAccumulator

    with MetricsLogger(tmp_path, tensorboard=True, wandb_mode="disabled") as log:
        for step in (1, 2, 3):
            log.log({"charts/SPS": 100.0 * step, "success/2": 0.5}, step=step)
    events = EventAccumulator(str(tmp_path))
    events.Reload()
    assert {"charts/SPS", "success/2"} <= set(events.Tags()["scalars"])
    assert [(e.step, e.value) for e in events.Scalars("charts/SPS")] == [(1, 100.0), (2, 200.0), (3, 300.0)]


def test_wandb_offline_writes_its_run_inside_the_run_folder(tmp_path: Path) -> None:
    pytest.importorskip("wandb")
    with MetricsLogger(tmp_path, {"algo": "fake"}, tensorboard=False, wandb_mode="offline") as log:
        log.log({"charts/episodic_return": 2.0}, step=5)
    runs = list((tmp_path / "wandb").glob(f"offline-run-*-{wandb_run_id(tmp_path)}"))
    assert len(runs) == 1


def test_missing_packages_are_reported_once_and_logging_goes_on(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "wandb", None)  # makes `import wandb` raise ImportError
    monkeypatch.setitem(sys.modules, "torch.utils.tensorboard", None)
    monkeypatch.setattr(logger_module, "_reported", set())
    notices: list[str] = []
    for run in ("a", "b"):
        with MetricsLogger(tmp_path / run, tensorboard=True, wandb_mode="offline", notice=notices.append) as log:
            assert log.writer is None and log.wandb_run is None
            log.log({"charts/episodic_length": 3}, step=1)
        assert read_metrics(tmp_path / run / "metrics.jsonl")[0]["charts/episodic_length"] == 3.0
    assert len(notices) == 2
    assert notices[0].startswith("tensorboard is not installed")
    assert notices[1].startswith("wandb is not installed")


def test_resuming_drops_records_logged_after_the_checkpoint(tmp_path: Path) -> None:
    path = tmp_path / "metrics.jsonl"
    with MetricsLogger(tmp_path, tensorboard=False, wandb_mode="disabled") as log:
        for step in (10, 20, 30, 40):
            log.log({"charts/SPS": step}, step=step)
    with path.open("a") as stream:
        stream.write('{"step": 50, "charts/SP')  # a line torn by the crash
    with MetricsLogger(tmp_path, tensorboard=False, wandb_mode="disabled", resume_step=20) as log:
        log.log({"charts/SPS": 30}, step=30)
    assert [r["step"] for r in read_metrics(path)] == [10, 20, 30]
    truncate_metrics(tmp_path / "absent.jsonl", 5)  # nothing to do, no error


def test_records_that_are_not_metrics_are_skipped(tmp_path: Path) -> None:
    """A metrics file damaged outside the runner (bytes that are not UTF-8, a step that is not a number) used to
    stop ``sheetrl plot`` and ``train --resume`` with an internal error."""
    path = tmp_path / "metrics.jsonl"
    path.write_bytes(b'{"step": 10, "charts/SPS": 1.0}\n\xff\xfe garbage\n{"step": "x", "charts/SPS": 2.0}\n'
                     b'{"step": true}\n[1, 2]\n{"step": 20, "charts/SPS": 3.0}\n')
    assert [r["step"] for r in read_metrics(path)] == [10, 20]
    truncate_metrics(path, 10)
    assert [r["step"] for r in read_metrics(path)] == [10]
