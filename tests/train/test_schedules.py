"""Schedules that span a run end where the run ends: the run's length is declared once (``total_steps``)."""

from __future__ import annotations

from pathlib import Path

import pytest

from sheetrl.agents import algorithm
from sheetrl.train.config import DEFAULT_TOTAL_STEPS, TrainConfig
from sheetrl.train.precision import Precision
from sheetrl.train.runner import Runner
from tests.train.conftest import quick_config


@pytest.mark.parametrize("preset", ["quick", "seed"])
def test_ppo_learning_rate_annealing_spans_exactly_the_run(preset: str) -> None:
    from sheetrl.env.spreadsheet_env import SpreadsheetEnv

    module = algorithm("ppo")
    config = TrainConfig(algo="ppo", preset=preset, overrides={"anneal_lr": "true"})
    env = SpreadsheetEnv(level=1)
    agent = module.build(config.agent_config(), env.observation_space, env.action_space, "cpu",
                         Precision("fp32", "cpu"), seed=0)
    agent.run_steps = run_steps = 40_000
    start = config.agent_config().learning_rate
    for steps, expected in ((0, start), (run_steps // 2, start / 2), (run_steps, 0.0)):
        agent.env_steps = steps
        assert agent._learning_rate() == pytest.approx(expected)


def test_a_short_ppo_run_with_annealing_ends_at_learning_rate_zero(tmp_path: Path, console) -> None:
    # The schedule used to span a separate total_timesteps (1,000,000): a 50,000-step run annealed to 95% only.
    runner = Runner.start(quick_config(tmp_path, algo="ppo", total_steps=1024, overrides={"anneal_lr": "true"}),
                          console=console)
    runner.run()
    assert runner.agent.env_steps == 1024
    assert runner.agent.optimizer.param_groups[0]["lr"] == 0.0


@pytest.mark.parametrize("name", ["dqn", "tabular_q"])
@pytest.mark.parametrize("preset", ["quick", "seed"])
def test_exploration_decays_within_the_default_run_length(name: str, preset: str) -> None:
    config = TrainConfig(algo=name, preset=preset).agent_config()
    assert config.exploration_steps <= DEFAULT_TOTAL_STEPS[preset]
