"""Asynchronous DQN actors: the fixed chunk schedule, actor state round trips, and (with a local Ray) runs that keep
the lag bound, repeat bit for bit, resume exactly and survive a killed actor with exact counters."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from sheetrl.agents import dqn
from sheetrl.env.spreadsheet_env import EnvConfig
from sheetrl.train.config import TrainConfig
from sheetrl.train.distributed_dqn import ChunkSchedule, TransitionWorker
from sheetrl.train.runner import Runner
from tests.train.conftest import quick_config, run_killing_an_actor

TINY = {"num_envs": 4, "buffer_size": 1_000, "batch_size": 16, "learning_starts": 32, "train_frequency": 4,
        "target_sync_interval": 64, "exploration_steps": 200, "hidden_sizes": (32, 32)}
CHUNK_STEPS = 4  # 2 environments per actor: 8 transitions, 2 updates per chunk once learning has started
TOTAL_STEPS = 20 * 8
SYNC_EVERY, MAX_LAG = 2, 3  # without the bound a queued chunk would be stored 6 or more updates late


def test_chunks_are_stored_in_actor_order_and_their_updates_are_known_in_advance() -> None:
    schedule = ChunkSchedule(sizes=(3, 2), chunk_steps=4, learning_starts=20, train_frequency=4)
    assert [schedule.actor(chunk) for chunk in range(5)] == [0, 1, 0, 1, 0]
    assert [schedule.chunk_size(chunk) for chunk in range(4)] == [12, 8, 12, 8]
    assert [schedule.steps_before(chunk) for chunk in range(5)] == [0, 12, 20, 32, 40]
    # the agent's own rule: none before learning_starts, one at it, then one per train_frequency steps
    assert [schedule.updates_before(chunk) for chunk in range(5)] == [0, 0, 1, 4, 6]
    config = dqn.Config(learning_starts=20, train_frequency=4)
    assert all(schedule.updates_before(chunk) == dqn.updates_due(schedule.steps_before(chunk), config)
               for chunk in range(50))


def _worker(seed: int, state: dict[str, Any] | None = None) -> TransitionWorker:
    config = dqn.Config(**{**TINY, "num_envs": 2})
    return TransitionWorker("dqn", config, EnvConfig(level=1, observation_keys=("flat", "action_mask")), 2, seed,
                            "fp32", state)


def test_a_worker_started_from_anothers_state_sends_the_same_chunk() -> None:
    """What replacing a killed actor relies on: a new worker built from the last state continues identically."""
    first = _worker(5)
    weights = {name: tensor.clone() for name, tensor in first.agent.q_network.state_dict().items()}
    first.collect(weights, 0, CHUNK_STEPS)
    saved = first.get_state()
    expected = first.collect(weights, 8, CHUNK_STEPS)
    again = _worker(5, state=saved).collect(weights, 8, CHUNK_STEPS)
    for name in ("observations", "actions", "rewards", "next_observations", "next_masks", "terminated"):
        assert np.array_equal(getattr(again["transitions"], name), getattr(expected["transitions"], name)), name
    assert again["episodes"] == expected["episodes"]
    assert expected["transitions"].actions.shape == (CHUNK_STEPS * 2,)


def test_a_chunk_explores_with_the_epsilon_of_the_runs_step() -> None:
    """Epsilon follows the start step the learner gives, not the actor's own count."""
    worker = _worker(5)
    weights = worker.agent.q_network.state_dict()
    late = worker.collect(weights, 10**9, CHUNK_STEPS)  # epsilon_end (0.05) long after the decay
    assert worker.agent.epsilon == pytest.approx(0.05)
    worker.collect(weights, 0, 1)
    assert worker.agent.epsilon == pytest.approx(1.0 - 0.95 * 2 / 200)  # one step of 2 environments after step 0
    assert late["transitions"].actions.shape == (CHUNK_STEPS * 2,)


# ------------------------------------------------------------------------------------------- with a local Ray
def ray_config(run_dir: Path, **changes: Any) -> TrainConfig:
    settings = {"algo": "dqn", "ray_actors": 2, "total_steps": TOTAL_STEPS, "overrides": dict(TINY),
                "checkpoint_every": 10_000, "ray_chunk_steps": CHUNK_STEPS, "ray_sync_every": SYNC_EVERY,
                "ray_max_lag": MAX_LAG}
    settings.update(changes)
    return quick_config(run_dir, **settings)


def _fingerprint(runner: Runner) -> dict[str, Any]:
    agent = runner.agent
    return {"weights": {name: tensor.clone() for name, tensor in agent.q_network.state_dict().items()},
            "buffer": agent.buffer.state_dict(),
            "counters": (runner.env_steps, runner.episodes, runner.iterations, agent.env_steps, agent.updates,
                         agent.target_syncs),
            "recent": list(runner.recent), "lags": list(runner.pool.lags), "held_back": runner.pool.held_back_total}


def _assert_same(left: dict[str, Any], right: dict[str, Any]) -> None:
    assert left["counters"] == right["counters"]
    assert left["recent"] == right["recent"]
    assert left["lags"][-len(right["lags"]):] == right["lags"][-len(left["lags"]):]
    for name, tensor in left["weights"].items():
        assert torch.equal(tensor, right["weights"][name]), name
    for name, array in left["buffer"].items():
        assert np.array_equal(array, right["buffer"][name]), name


def _straight_run(run_dir: Path) -> dict[str, Any]:
    runner = Runner.start(ray_config(run_dir))
    result = runner.run()
    assert result.finished and runner.pool.replacements == 0
    return _fingerprint(runner)


@pytest.fixture(scope="module")
def uninterrupted(local_ray: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _straight_run(tmp_path_factory.mktemp("dqn-straight"))


@pytest.mark.slow
def test_actors_fill_the_replay_buffer_with_exact_counters_and_a_bounded_lag(uninterrupted: dict[str, Any]) -> None:
    env_steps, episodes, iterations, agent_steps, updates, _ = uninterrupted["counters"]
    assert (env_steps, agent_steps, iterations) == (TOTAL_STEPS, TOTAL_STEPS, 20) and episodes > 0
    assert uninterrupted["buffer"]["size"] == TOTAL_STEPS
    assert updates == (TOTAL_STEPS - 32) // 4 + 1  # the replay ratio of a run in one process
    lags = uninterrupted["lags"]
    assert len(lags) == 20 and max(lags) <= MAX_LAG
    assert lags[:4] == [0, 0, 0, 0]  # nothing is learned before learning_starts (32 steps: 4 chunks)
    assert max(lags) == MAX_LAG
    assert uninterrupted["held_back"] > 0  # the bound, not the queue depth, kept the lag down (6 without it)


@pytest.mark.slow
def test_two_runs_with_the_same_seed_are_identical(uninterrupted: dict[str, Any], tmp_path: Path) -> None:
    _assert_same(_straight_run(tmp_path), uninterrupted)


@pytest.mark.slow
def test_a_killed_actor_is_replaced_without_losing_or_repeating_a_step(
        uninterrupted: dict[str, Any], tmp_path: Path) -> None:
    runner = Runner.start(ray_config(tmp_path))
    run_killing_an_actor(runner, after_iterations=6)
    assert runner.pool.replacements == 1
    _assert_same(_fingerprint(runner), uninterrupted)


@pytest.mark.slow
def test_a_run_with_dqn_actors_resumes_exactly_from_its_checkpoint(
        uninterrupted: dict[str, Any], tmp_path: Path) -> None:
    first = Runner.start(ray_config(tmp_path))
    stopped = first.run(until=7 * 8)
    assert not stopped.finished and stopped.iterations == 7  # stopped with chunks of both actors outstanding
    resumed = Runner.resume(tmp_path)
    resumed.run()
    _assert_same(_fingerprint(resumed), uninterrupted)
