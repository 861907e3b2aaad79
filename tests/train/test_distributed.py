"""Ray rollout actors for PPO: the split of environments, actor state round trips, and (with a local Ray) runs that
are reproducible, resume exactly, and finish with exact counters and identical weights after an actor is killed."""

from __future__ import annotations

import itertools
import re
import time
from pathlib import Path
from typing import Any

import pytest
import torch

from sheetrl.agents import ppo
from sheetrl.env.spreadsheet_env import EnvConfig
from sheetrl.train.config import ConfigError, TrainConfig, TrainError
from sheetrl.train.distributed import (
    RolloutWorker,
    actor_precision,
    actor_seeds,
    probe_address,
    split_sizes,
)
from sheetrl.train.runner import Runner
from tests.train.conftest import quick_config, run_killing_an_actor

# Updates long enough next to the actors' start-up latency that the overlap test sees an actor start within one.
TINY = {"num_envs": 4, "num_steps": 16, "num_minibatches": 2, "update_epochs": 8, "hidden_sizes": (32, 32)}
ITERATION = 4 * 16


def test_environments_are_split_as_evenly_as_possible() -> None:
    assert split_sizes(8, 2) == [4, 4]
    assert split_sizes(7, 3) == [3, 2, 2]
    assert split_sizes(3, 3) == [1, 1, 1]
    with pytest.raises(ConfigError, match="between 1 and the algorithm's num_envs \\(2\\), not 3"):
        split_sizes(2, 3)


def test_a_ray_address_nothing_answers_at_is_refused_at_once_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """The review: --ray-address 127.0.0.1:1 never ended (ray.init retries for many minutes)."""
    import socket

    with socket.socket() as listening:  # something that answers
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        probe_address(f"127.0.0.1:{listening.getsockname()[1]}")
    started = time.time()
    with pytest.raises(TrainError, match=r"^no Ray cluster answers at 127\.0\.0\.1:1 \(connection refused\); "):
        probe_address("127.0.0.1:1")
    assert time.time() - started < 5
    for address in ("10.0.0.5", ":6379", "127.0.0.1:99999", "127.0.0.1:port"):
        with pytest.raises(TrainError, match=f"--ray-address {re.escape(address)} must look like HOST:PORT"):
            probe_address(address)
    probe_address("auto")  # (Ray finds that one)

    def no_answer(*args: object, **kwargs: object) -> None:
        raise TimeoutError("timed out")

    monkeypatch.setattr(socket, "create_connection", no_answer)
    with pytest.raises(TrainError, match=r"^no Ray cluster answers at ray://10\.0\.0\.5 \(no answer within 3 s\)"):
        probe_address("ray://10.0.0.5", seconds=3)


def test_ray_records_with_an_exception_reach_the_terminal_as_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ray Tune logs a failed save of its state with the whole stack; a user sees one line."""
    import io
    import logging

    from sheetrl.train.distributed import quiet_ray_logs

    terminal = io.StringIO()
    handler = logging.StreamHandler(terminal)  # stands for the handler Ray puts on its logger
    monkeypatch.setattr(logging.getLogger("ray"), "handlers", [handler])
    quiet_ray_logs()
    quiet_ray_logs()  # (once per handler, however often a run connects)
    assert len(handler.filters) == 1
    try:
        raise OSError("the disk\nis full")
    except OSError:
        logging.getLogger("ray.tune.execution.experiment_state").error("Saving state failed with exception: ",
                                                                         exc_info=True)
    assert terminal.getvalue() == "Saving state failed with exception: the disk is full\n"


def test_actor_seeds_are_distinct_reproducible_and_differ_between_runs() -> None:
    assert actor_seeds(1, 4) == actor_seeds(1, 4)
    assert len(set(actor_seeds(1, 4))) == 4
    assert not set(actor_seeds(1, 4)) & set(actor_seeds(2, 4))


def test_actors_act_in_fp32_when_the_learner_uses_fp16() -> None:
    assert actor_precision("fp16") == "fp32"
    assert actor_precision("bf16") == "bf16"


@pytest.mark.parametrize("changes, message", [
    ({"algo": "fake", "ray_actors": 2}, "ray_actors collects experience for ppo and dqn; fake trains in one process"),
    ({"algo": "ppo", "ray_actors": 9}, "ray_actors \\(9\\) must not exceed the algorithm's num_envs \\(8\\)"),
    ({"algo": "dqn", "ray_actors": 9}, "ray_actors \\(9\\) must not exceed the algorithm's num_envs \\(8\\)"),
    ({"algo": "ppo", "ray_address": "auto"}, "ray_address needs ray_actors"),
    ({"algo": "ppo", "ray_actors": -1}, "ray_actors must be an integer >= 0, not -1"),
    ({"algo": "ppo", "ray_overlap": True}, "ray_overlap .* needs --algo ppo and --ray-actors"),
    ({"algo": "dqn", "ray_actors": 2, "ray_overlap": True}, "ray_overlap .* needs --algo ppo and --ray-actors"),
    ({"algo": "dqn", "ray_chunk_steps": 8}, "ray_chunk_steps sets the asynchronous DQN actors: it needs --algo dqn "
                                            "and --ray-actors"),
    ({"algo": "ppo", "ray_actors": 2, "ray_max_lag": 8}, "ray_max_lag sets the asynchronous DQN actors"),
    ({"algo": "dqn", "ray_actors": 2, "ray_chunk_steps": 0}, "ray_chunk_steps must be an integer >= 1, not 0"),
    ({"algo": "dqn", "ray_actors": 2, "ray_sync_every": 10, "ray_max_lag": 8},
     "ray_max_lag \\(8\\) must be at least ray_sync_every - 1 \\(9\\)"),
])
def test_ray_settings_are_checked_before_a_run_starts(changes: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        quick_config(None, **changes).validate()


def _worker(seed: int, state: dict[str, Any] | None = None) -> RolloutWorker:
    config = ppo.Config(**{**TINY, "num_envs": 2})
    return RolloutWorker("ppo", config, EnvConfig(level=1), 2, seed, "fp32", state)


def test_a_worker_started_from_anothers_state_collects_the_same_rollout() -> None:
    """What replacing a killed actor relies on: a new worker built from the last state continues identically."""
    first = _worker(5)
    weights = {name: tensor.clone() for name, tensor in first.agent.network.state_dict().items()}
    first.collect(weights)
    saved = first.get_state()
    expected = first.collect(weights)
    replacement = _worker(5, state=saved)
    again = replacement.collect(weights)
    assert torch.equal(again["rollout"].actions, expected["rollout"].actions)
    assert torch.equal(again["rollout"].rewards, expected["rollout"].rewards)
    assert torch.equal(again["last_value"], expected["last_value"])
    assert again["episodes"] == expected["episodes"]
    assert expected["rollout"].actions.shape == (16, 2)


# ------------------------------------------------------------------------------------------- with a local Ray
def ray_config(run_dir: Path, **changes: Any) -> TrainConfig:
    settings = {"algo": "ppo", "ray_actors": 2, "total_steps": 6 * ITERATION, "overrides": dict(TINY),
                "checkpoint_every": 10_000}
    settings.update(changes)
    return quick_config(run_dir, **settings)


def _fingerprint(runner: Runner) -> dict[str, Any]:
    return {"weights": {name: tensor.clone() for name, tensor in runner.agent.network.state_dict().items()},
            "counters": (runner.env_steps, runner.episodes, runner.iterations),
            "recent": list(runner.recent)}


def _assert_same(left: dict[str, Any], right: dict[str, Any]) -> None:
    assert left["counters"] == right["counters"]
    assert left["recent"] == right["recent"]
    for name, tensor in left["weights"].items():
        assert torch.equal(tensor, right["weights"][name]), name


def _straight_run(run_dir: Path, **changes: Any) -> dict[str, Any]:
    runner = Runner.start(ray_config(run_dir, **changes))
    result = runner.run()
    assert result.finished and result.env_steps == 6 * ITERATION and result.iterations == 6
    assert runner.pool.replacements == 0
    return {**_fingerprint(runner), "timeline": list(runner.pool.timeline)}


@pytest.fixture(scope="module")
def uninterrupted(local_ray: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _straight_run(tmp_path_factory.mktemp("straight"))


@pytest.fixture(scope="module")
def uninterrupted_overlapped(local_ray: Any, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    return _straight_run(tmp_path_factory.mktemp("overlapped"), ray_overlap=True)


SCHEDULES = [pytest.param(False, id="synchronous"), pytest.param(True, id="overlapped")]


def _reference(request: pytest.FixtureRequest, overlap: bool) -> dict[str, Any]:
    return request.getfixturevalue("uninterrupted_overlapped" if overlap else "uninterrupted")


@pytest.mark.slow
def test_a_ray_run_trains_ppo_with_exact_counters(uninterrupted: dict[str, Any]) -> None:
    env_steps, episodes, iterations = uninterrupted["counters"]
    assert (env_steps, iterations) == (6 * ITERATION, 6) and episodes > 0


@pytest.mark.slow
def test_overlapped_rollouts_are_collected_while_the_learner_updates(
        uninterrupted: dict[str, Any], uninterrupted_overlapped: dict[str, Any]) -> None:
    """Rollout i + 1 is requested before update i starts when overlapped, after it ends otherwise; and the actors'
    own timestamps show it running during the update (in some iteration: on a busy machine an actor may start
    a few milliseconds after a short update)."""
    overlapped, synchronous = uninterrupted_overlapped["timeline"], uninterrupted["timeline"]
    assert [timing.policy_lag for timing in overlapped] == [0, 1, 1, 1, 1, 1]
    assert [timing.policy_lag for timing in synchronous] == [0] * 6
    for before, after in itertools.pairwise(overlapped):
        assert after.requested < before.update_started
        assert max(after.collect_finished) > before.update_started
    assert any(min(after.collect_started) < before.update_finished
               for before, after in itertools.pairwise(overlapped))
    for before, after in itertools.pairwise(synchronous):
        assert after.requested > before.update_finished
        assert min(after.collect_started) > before.update_finished
    # The lag changes the data from the second rollout on, so the schedules train different weights.
    assert any(not torch.equal(tensor, uninterrupted["weights"][name])
               for name, tensor in uninterrupted_overlapped["weights"].items())


@pytest.mark.slow
def test_overlapped_an_actor_that_finishes_first_starts_its_next_rollout_at_once(
        uninterrupted_overlapped: dict[str, Any], tmp_path: Path) -> None:
    """The learner asks each actor for its next rollout as soon as that actor's rollout has arrived, not once the
    slowest actor's has: with actor 1 made 1.6 s slower, actor 0 starts rollout i + 1 before actor 1 finishes
    rollout i (the old schedule never did; one pair in five may miss on a loaded machine); and the run is still
    the one that happened without the delay (the weights decide the data, not the timing)."""
    runner = Runner.start(ray_config(tmp_path, ray_overlap=True))
    slow_seed = runner.pool.seeds[1]

    class SlowSecondActor(RolloutWorker):  # defined here so that Ray ships the class itself to its workers
        def __init__(self, *arguments: Any) -> None:
            super().__init__(*arguments)
            self.slow = arguments[4] == slow_seed

        def collect(self, weights: dict[str, torch.Tensor]) -> dict[str, Any]:
            if self.slow:
                time.sleep(1.6)
            return super().collect(weights)

    runner.pool.worker_class = SlowSecondActor
    runner.run()
    timeline = list(runner.pool.timeline)
    assert len(timeline) == 6
    early = [after.collect_started[0] < before.collect_finished[1] for before, after in itertools.pairwise(timeline)]
    assert sum(early) >= len(early) - 1, early
    _assert_same(_fingerprint(runner), uninterrupted_overlapped)


@pytest.mark.slow
def test_an_actor_error_mid_gather_stops_every_actor_so_none_is_left_on_the_next_rollout(
        local_ray: Any, tmp_path: Path) -> None:
    """Overlapped, actor 0 is asked for its next rollout before actor 1 has answered; when actor 1's rollout fails
    with an error that is not a death, the pool must not keep actor 0's request (made with weights the learner
    never committed to): every actor is stopped and nothing is left pending, so a later iteration starts all of
    them again from the kept states."""
    runner = Runner.start(ray_config(tmp_path, ray_overlap=True))
    failing_seed = runner.pool.seeds[1]

    class FailingSecondActor(RolloutWorker):  # defined here so that Ray ships the class itself to its workers
        def __init__(self, *arguments: Any) -> None:
            super().__init__(*arguments)
            self.failing, self.calls = arguments[4] == failing_seed, 0

        def collect(self, weights: dict[str, torch.Tensor]) -> dict[str, Any]:
            self.calls += 1
            if self.failing and self.calls == 3:
                time.sleep(0.5)  # actor 0 has answered and been asked again by now
                raise RuntimeError("rollout failed")
            return super().collect(weights)

    pool = runner.pool
    pool.worker_class = FailingSecondActor
    pool.train_iteration(runner.agent)  # rollout 0, and each actor asked for rollout 1
    pool.train_iteration(runner.agent)  # rollout 1, and each actor asked for rollout 2 (actor 1's third call)
    with pytest.raises(Exception, match="rollout failed"):
        pool.train_iteration(runner.agent)
    assert pool.pending == {}
    assert pool.handles == []


@pytest.mark.slow
def test_two_overlapped_runs_with_the_same_seed_are_identical(
        uninterrupted_overlapped: dict[str, Any], tmp_path: Path) -> None:
    _assert_same(_straight_run(tmp_path, ray_overlap=True), uninterrupted_overlapped)


@pytest.mark.slow
@pytest.mark.parametrize("overlap", SCHEDULES)
def test_a_killed_actor_is_replaced_and_the_run_ends_as_if_nothing_happened(
        overlap: bool, request: pytest.FixtureRequest, tmp_path: Path) -> None:
    reference = _reference(request, overlap)
    runner = Runner.start(ray_config(tmp_path, ray_overlap=overlap))
    run_killing_an_actor(runner, after_iterations=2)
    assert runner.pool.replacements == 1
    _assert_same(_fingerprint(runner), reference)


@pytest.mark.slow
@pytest.mark.parametrize("overlap", SCHEDULES)
def test_a_ray_run_resumes_exactly_from_its_checkpoint(overlap: bool, request: pytest.FixtureRequest,
                                                       tmp_path: Path) -> None:
    reference = _reference(request, overlap)
    first = Runner.start(ray_config(tmp_path, ray_overlap=overlap))
    stopped = first.run(until=2 * ITERATION)
    assert not stopped.finished and stopped.iterations == 2
    resumed = Runner.resume(tmp_path)
    resumed.run()
    _assert_same(_fingerprint(resumed), reference)
@pytest.mark.slow
def test_more_actors_than_free_cpus_is_a_clear_error_not_a_hang(
        local_ray: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sheetrl.train import distributed

    monkeypatch.setattr(distributed, "CPU_WAIT_SECONDS", 0.5)
    runner = Runner.start(ray_config(tmp_path, ray_actors=3))
    with pytest.raises(TrainError, match="free CPUs but 3 actors need one each; use fewer --ray-actors"):
        runner.run()


def test_local_ray_workers_get_this_sheetrl_first_then_the_users_pythonpath(monkeypatch: pytest.MonkeyPatch) -> None:
    # Found on a GPU machine: packages installed with pip --target were on PYTHONPATH, which connect() replaced
    # by sheetrl's own folder, so every Ray worker failed to import ray.
    import os
    from pathlib import Path

    from sheetrl.train.distributed import search_path

    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(["/opt/site", "", "/home/me/lib"]))
    assert search_path(Path("/src")) == os.pathsep.join(["/src", "/opt/site", "/home/me/lib"])
    monkeypatch.delenv("PYTHONPATH")
    assert search_path(Path("/src")) == "/src"
