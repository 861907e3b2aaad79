"""Held-out evaluation: Wilson intervals, evaluation seeds, the expert and random baselines, the JSON report."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sheetrl.env.tasks import eval_seed, is_eval_seed
from sheetrl.train.checkpoint import CheckpointError
from sheetrl.train.evaluate import (
    EvalResult,
    ExpertPolicy,
    RandomMaskedPolicy,
    evaluate_run,
    result_fields,
    run_episodes,
    wilson_interval,
)
from sheetrl.train.runner import Runner
from tests.train.conftest import quick_config


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [(8, 10, 0.4902, 0.9433), (50, 100, 0.4038, 0.5962), (1, 10, 0.0179, 0.4042), (0, 10, 0.0, 0.2775),
     (10, 10, 0.7225, 1.0), (475, 500, 0.9272, 0.9659)],
)
def test_wilson_interval_matches_published_values(successes: int, trials: int, low: float, high: float) -> None:
    assert wilson_interval(successes, trials) == pytest.approx((low, high), abs=5e-5)


def test_wilson_interval_edge_cases() -> None:
    assert wilson_interval(0, 0) == (0.0, 1.0)
    assert wilson_interval(0, 7)[0] == 0.0 and wilson_interval(7, 7)[1] == 1.0
    assert wilson_interval(8, 10, confidence=0.99)[0] < wilson_interval(8, 10)[0]
    with pytest.raises(ValueError, match="need 0 <= successes <= trials"):
        wilson_interval(11, 10)


class SeedRecorder(RandomMaskedPolicy):
    def __init__(self) -> None:
        super().__init__(0)
        self.seeds: dict[int, int] = {}

    def start(self, slot, env, episode) -> None:
        super().start(slot, env, episode)
        self.seeds[episode] = env.task.seed


def test_episode_i_plays_the_task_of_evaluation_seed_i() -> None:
    recorder = SeedRecorder()
    run_episodes(recorder, level=2, episodes=7, batch=3)
    assert recorder.seeds == {i: eval_seed(i) for i in range(7)}
    assert all(is_eval_seed(seed) for seed in recorder.seeds.values())


def test_the_expert_solves_every_held_out_task_of_level_1() -> None:
    result = run_episodes(ExpertPolicy(), level=1, episodes=25)
    assert (result.successes, result.success_rate, result.episodes) == (25, 1.0, 25)
    assert result.mean_return > 5 and 1 <= result.mean_length <= 10


def test_random_policy_results_do_not_depend_on_batching() -> None:
    one = run_episodes(RandomMaskedPolicy(seed=4), level=1, episodes=12, batch=1)
    many = run_episodes(RandomMaskedPolicy(seed=4), level=1, episodes=12, batch=5)
    assert one == many
    assert 0.0 <= one.success_rate < 1.0


def test_pooled_results_weigh_levels_by_episodes() -> None:
    pooled = EvalResult.pooled([EvalResult("agent", 1, 10, 8, 2.0, 3.0), EvalResult("agent", 2, 30, 6, 6.0, 7.0)],
                               "1,2")
    assert (pooled.episodes, pooled.successes, pooled.success_rate) == (40, 14, 0.35)
    assert pooled.mean_return == pytest.approx(5.0) and pooled.mean_length == pytest.approx(6.0)
    assert (pooled.ci_low, pooled.ci_high) == wilson_interval(14, 40)


def test_evaluate_run_reports_the_documented_json_schema(tmp_path: Path, console) -> None:
    Runner.start(quick_config(tmp_path, total_steps=30), console=console).run()
    report = evaluate_run(tmp_path, episodes=6, compare=True)
    document = report.to_json()
    assert set(result_fields()) <= set(document)
    assert document["episodes"] == 6 and document["level"] == 1 and document["algo"] == "fake"
    assert document["env_steps"] == 30 and document["checkpoint"] == "checkpoint.pt"
    assert document["ci_low"] <= document["success_rate"] <= document["ci_high"]
    assert set(document["per_level"]) == {"1"}
    assert set(document["compare"]) == {"expert", "random"}
    assert document["compare"]["expert"]["success_rate"] == 1.0
    for baseline in document["compare"].values():
        assert set(result_fields()) <= set(baseline)
    other_level = evaluate_run(tmp_path, episodes=4, level=3).to_json()
    assert other_level["level"] == 3 and "compare" not in other_level
    every_level = evaluate_run(tmp_path, episodes=2, level="curriculum").to_json()
    assert set(every_level["per_level"]) == {"1", "2", "3", "4", "5"} and every_level["episodes"] == 10


def test_the_agent_acts_deterministically_in_evaluation(tmp_path: Path, console) -> None:
    Runner.start(quick_config(tmp_path, total_steps=30), console=console).run()
    first = evaluate_run(tmp_path, episodes=5).summary()
    second = evaluate_run(tmp_path, episodes=5).summary()
    assert first == second


def test_evaluating_a_folder_without_checkpoints_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CheckpointError, match="no usable checkpoint"):
        evaluate_run(tmp_path)


def test_run_episodes_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="level must be one of"):
        run_episodes(ExpertPolicy(), level=9, episodes=1)
    with pytest.raises(ValueError, match="at least one episode"):
        run_episodes(ExpertPolicy(), level=1, episodes=0)
    assert np.isfinite(run_episodes(ExpertPolicy(), level=5, episodes=2).mean_return)
