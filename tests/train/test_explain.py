"""`sheetrl demo RUN --explain`: the agent's top legal actions with their probabilities, best first."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sheetrl.cli import main
from sheetrl.env.actions import MACROS
from sheetrl.train.config import TrainConfig
from sheetrl.train.explain import top_actions
from sheetrl.train.runner import Runner


def test_top_actions_are_the_best_legal_ones_in_order():
    scores = np.zeros(len(MACROS))
    scores[[3, 5, 7, 9]] = [0.5, 0.9, 0.3, 0.95]
    mask = np.zeros(len(MACROS), dtype=bool)
    mask[[3, 5, 7]] = True  # 9 scores best but is illegal
    best = top_actions(scores, mask, 2)
    assert [a.name for a in best] == [MACROS[5].name, MACROS[3].name]
    assert [a.score for a in best] == [0.9, 0.5]


def test_demo_explains_a_bc_agents_choices(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    overrides = {"num_envs": 2, "num_steps": 8, "hidden_sizes": (32, 32), "batch_size": 16,
                 "updates_per_iteration": 4, "demo_episodes": 3}
    Runner.start(TrainConfig(algo="bc", level=2, total_steps=16, run_dir=str(tmp_path / "bc"), wandb="disabled",
                             tensorboard=False, progress=False, eval_episodes=0, overrides=overrides)).run()
    capsys.readouterr()
    assert main(["demo", str(tmp_path / "bc"), "--seed", "1", "--explain", "--top", "2"]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("top actions (probability): ")]
    assert lines
    for line in lines:
        probabilities = [float(part.rsplit(" ", 1)[1]) for part in line.split(": ", 1)[1].split(", ")]
        assert len(probabilities) <= 2 and probabilities == sorted(probabilities, reverse=True)
        assert all(0.0 <= p <= 1.0 for p in probabilities)
    assert "agent solved the task" in out or "agent did not solve the task" in out


def test_explain_without_a_run_is_a_usage_error(capsys: pytest.CaptureFixture[str]):
    assert main(["demo", "--explain"]) == 2
    assert "pass a run folder" in capsys.readouterr().err
