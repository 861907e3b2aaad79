"""benchmarks/avoid_repeats.py: the per-template counts play the same episodes as the figures beside them."""

from __future__ import annotations

from pathlib import Path

import avoid_repeats
import pytest

import sheetrl.train.evaluate as evaluate
from sheetrl.cli import main

QUIET = ["--wandb", "disabled", "--no-tensorboard", "--no-progress"]


def test_the_per_template_counts_use_the_runs_step_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys) -> None:
    run_dir = tmp_path / "run"
    assert main(["train", "--algo", "tabular_q", "--level", "1", "--total-steps", "8", "--max-steps", "3",
                 "--run-dir", str(run_dir), "--eval-episodes", "0", *QUIET]) == 0
    budgets = []
    play = evaluate.run_task_episodes

    def spy(policy, tasks, **options):
        budgets.append(options.get("max_steps"))
        return play(policy, tasks, **options)

    monkeypatch.setattr(evaluate, "run_task_episodes", spy)
    counts = avoid_repeats.solved_by_template(str(run_dir), 1, 2, avoid_repeats=True)
    assert budgets == [3]  # evaluate_run plays the run's episodes with max_steps 3; the counts must too
    assert sum(played for _, played in counts.values()) == 2
