"""`plot_run` draws PNG learning curves from metrics.jsonl."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import numpy as np
import pytest

from sheetrl.train.config import TrainError
from sheetrl.train.logger import MetricsLogger, read_metrics
from sheetrl.train.plot import PLOT_LIMIT, moving_average, plot_run, series

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def test_plots_success_return_reward_terms_and_losses(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    rng = np.random.default_rng(0)
    with MetricsLogger(tmp_path, tensorboard=False, wandb_mode="disabled") as log:
        for interval in range(60):
            log.log({"charts/episodic_return": rng.normal(), "charts/episodic_length": 4.0,
                     "charts/success_rate": interval / 60, "success/1": interval / 50, "success/2": interval / 90,
                     "reward/feedback": 10.0, "reward/progress": rng.random(), "losses/td_loss": rng.random(),
                     "charts/SPS": 500.0}, step=1000 * (interval + 1))
    paths = plot_run(tmp_path)
    assert [p.name for p in paths] == ["success.png", "return.png", "reward_terms.png", "losses.png"]
    for path in paths:
        assert path.parent == tmp_path / "plots"
        assert path.read_bytes().startswith(PNG_SIGNATURE) and path.stat().st_size > 5_000


def test_plot_errors_name_the_problem(tmp_path: Path) -> None:
    with pytest.raises(TrainError, match=r"run folder .* does not exist"):
        plot_run(tmp_path / "missing")
    with pytest.raises(TrainError, match=re.escape("metrics.jsonl does not exist")):
        plot_run(tmp_path)
    (tmp_path / "metrics.jsonl").write_text("")
    with pytest.raises(TrainError, match="holds no metrics yet"):
        plot_run(tmp_path)


def test_moving_average_is_a_trailing_mean() -> None:
    np.testing.assert_allclose(moving_average(np.array([1.0, 3.0, 5.0, 7.0]), window=2), [1.0, 2.0, 4.0, 6.0])


def test_a_value_that_is_not_a_number_is_left_out_of_its_curve(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    with MetricsLogger(tmp_path, tensorboard=False, wandb_mode="disabled") as log:
        for step in (1000, 2000, 3000):
            log.log({"charts/success_rate": 0.5, "charts/episodic_return": 1.0}, step=step)
    with (tmp_path / "metrics.jsonl").open("a") as stream:
        stream.write('{"step": 4000, "charts/success_rate": "high", "charts/episodic_return": [1]}\n')
    assert {p.name for p in plot_run(tmp_path)} >= {"success.png", "return.png"}


def test_huge_and_non_finite_values_are_drawn_within_limits_or_left_out(tmp_path: Path) -> None:
    """Metrics of ±1e308 made matplotlib fail to lay out its axes (an internal error of `sheetrl plot`)."""
    pytest.importorskip("matplotlib")
    lines = [json.dumps({"step": 1000 * i, "charts/success_rate": 0.5, "charts/episodic_return": value,
                         "reward/progress": value, "losses/loss": value})
             for i, value in enumerate([1.0, 1e308, -1e308, 0.5, -1e308])]
    lines += ['{"step": 9000, "charts/episodic_return": Infinity, "losses/loss": NaN}',
              '{"step": 1e308, "losses/loss": 1}', '{"step": ' + "9" * 400 + ', "losses/loss": 1}',
              '{"step": 9500, "losses/loss": ' + "9" * 400 + "}", "[" * 100_000]
    (tmp_path / "metrics.jsonl").write_text("\n".join(lines) + "\n")
    assert [p.name for p in plot_run(tmp_path)] == ["success.png", "return.png", "reward_terms.png", "losses.png"]
    records = read_metrics(tmp_path / "metrics.jsonl")
    steps, values = series(records, "losses/loss")
    assert np.isfinite(values).all() and np.abs(values).max() == PLOT_LIMIT and steps.max() == PLOT_LIMIT
    assert len(values) == 6  # the NaN, the 400-digit step and the 400-digit value are left out
    assert np.isfinite(moving_average(series(records, "charts/episodic_return")[1])).all()


def test_a_named_pipe_is_not_read_and_a_link_is_not_written_through(tmp_path: Path, named_pipe) -> None:
    pytest.importorskip("matplotlib")
    named_pipe(tmp_path / "metrics.jsonl")
    with pytest.raises(TrainError, match=r"metrics.jsonl is not a regular file \(it is a named pipe\)"):
        plot_run(tmp_path)
    os.unlink(tmp_path / "metrics.jsonl")
    (tmp_path / "metrics.jsonl").write_text('{"step": 1, "charts/success_rate": 0.5}\n')
    (tmp_path / "plots").mkdir()
    target = tmp_path / "notes.txt"
    target.write_text("precious")
    (tmp_path / "plots" / "return.png").symlink_to(target)
    with pytest.raises(TrainError, match=re.escape("return.png: it is a symbolic link")):
        plot_run(tmp_path)
    assert target.read_text() == "precious" and (tmp_path / "plots" / "return.png").is_symlink()
    with pytest.raises(TrainError, match=r"notes\.txt as the plots folder: it is a file, not a folder"):
        plot_run(tmp_path, target)
