"""The runner: run folder layout, metric names, periodic checkpoints and bit-exact resume (with the fake agent)."""

from __future__ import annotations

import io
import json
import random
import re
import signal
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from sheetrl.train import runner as runner_module
from sheetrl.train.checkpoint import CHECKPOINT_FILE, PREVIOUS_FILE, CheckpointError, load_checkpoint, load_latest
from sheetrl.train.config import ConfigError, TrainConfig
from sheetrl.train.logger import read_metrics
from sheetrl.train.runner import Runner, TrainingInterrupted
from tests.train.conftest import quick_config
from tests.train.fake_agent import FakeAgent


def test_a_run_folder_is_named_after_level_algo_seed_and_time(tmp_path: Path, console) -> None:
    config = quick_config(None, total_steps=30, eval_episodes=3, tensorboard=True)
    runner = Runner.start(config, console=console, runs_root=tmp_path / "runs")
    result = runner.run()
    assert re.fullmatch(r"1__fake__3__\d{8}-\d{6}", result.run_dir.name)
    assert result.run_dir.parent == tmp_path / "runs"
    names = {p.name for p in result.run_dir.iterdir()}
    assert {"config.json", "metrics.jsonl", CHECKPOINT_FILE, "eval.json"} <= names
    assert any(name.startswith("events.out.tfevents.") for name in names)
    document = json.loads((result.run_dir / "config.json").read_text())
    assert document["train"]["algo"] == "fake" and document["train"]["total_steps"] == 30
    assert document["train"]["run_dir"] == str(result.run_dir)
    assert document["algorithm"] == {"name": "fake", "config": {"num_envs": 2, "steps_per_iteration": 3,
                                                                "learning_rate": 0.05, "momentum": 0.9,
                                                                "greedy": False}}
    assert document["environment"]["level"] == 1
    output = console.file.getvalue()
    assert "training: fake on level 1, preset quick, seed 3, 30 steps, 2 envs, cpu fp32" in output
    assert "level 1, iid: held-out success" in output and "level 1, ood: held-out success" in output
    assert "finished: 30 steps" in output
    second = Runner.start(config, console=console, runs_root=tmp_path / "runs")
    assert second.run_dir != result.run_dir  # two runs started in the same second never share a folder


def test_metrics_use_the_namespaced_names(tmp_path: Path, console) -> None:
    Runner.start(quick_config(tmp_path, total_steps=120, eval_episodes=4), console=console).run()
    records = read_metrics(tmp_path / "metrics.jsonl")
    names = {name for record in records for name in record}
    expected = {"step", "time", "charts/episodic_return", "charts/episodic_length", "charts/success_rate",
                "charts/SPS", "success/1", "curriculum/level", "losses/fake_loss", "reward/feedback",
                "reward/validity", "reward/progress", "reward/collateral", "reward/complexity", "reward/aesthetic",
                "eval/success_rate", "eval/iid/success/1", "eval/ood/success/1"}
    assert expected <= names
    assert all(re.fullmatch(r"(step|time|(charts|success|reward|losses|curriculum|eval)/[\w/]+)", n) for n in names)
    steps = [record["step"] for record in records]
    assert steps == [30, 60, 90, 120, 120]  # every log_every steps, then the final evaluation
    assert records[-1].keys() == {"step", "time", "eval/success_rate", "eval/mean_return", "eval/mean_length",
                                  "eval/iid/success_rate", "eval/ood/success_rate", "eval/iid/success/1",
                                  "eval/ood/success/1"}
    episodes = [r["charts/episodes"] for r in records[:-1]]
    assert episodes == sorted(episodes) and episodes[-1] == load_latest(tmp_path)[0]["counters"]["episodes"]


@pytest.fixture
def saved(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """The episode counter of every checkpoint the runner writes, in order (the saves still happen)."""
    episodes: list[int] = []
    real_save = runner_module.save_checkpoint

    def recording_save(run_dir, payload):
        episodes.append(payload["counters"]["episodes"])
        return real_save(run_dir, payload)

    monkeypatch.setattr(runner_module, "save_checkpoint", recording_save)
    return episodes


def test_checkpoints_are_written_every_n_episodes_and_at_the_end(tmp_path: Path, console, saved) -> None:
    result = Runner.start(quick_config(tmp_path, total_steps=300, checkpoint_every=10), console=console).run()
    assert len(saved) >= 3
    assert [episodes // 10 for episodes in saved[:-1]] == sorted({e // 10 for e in saved[:-1]})
    assert all(episodes % 10 < 3 for episodes in saved[:-1])  # written right after crossing a multiple
    assert saved[-1] == result.episodes
    latest, _ = load_latest(tmp_path)
    assert latest["counters"] == {"env_steps": 300, "episodes": result.episodes, "iterations": 50}
    assert (tmp_path / PREVIOUS_FILE).exists()
    assert set(latest["rng"]) == {"python", "numpy", "torch", "cuda"}
    assert latest["agent"]["name"] == "fake" and set(latest["agent"]["state"]) == {"weights", "gradient", "optimizer",
                                                                                "rng"}
    assert len(latest["pool"]["envs"]) == 2


def test_checkpoint_interval_limits_how_often_checkpoints_are_written(tmp_path: Path, console, saved) -> None:
    config = quick_config(tmp_path, total_steps=300, checkpoint_every=10, checkpoint_interval=3600)
    result = Runner.start(config, console=console).run()
    assert saved == [result.episodes]  # only the final checkpoint: an hour never passed


def final_state(runner: Runner) -> dict:
    """What must match between an uninterrupted and a resumed run, plus the next draws of the global RNGs."""
    agent: FakeAgent = runner.agent
    return {
        "weights": agent.weights.detach().clone(),
        "optimizer": agent.optimizer.state_dict()["state"][0]["momentum_buffer"].clone(),
        "agent_rng": agent.rng.bit_generator.state,
        "pool": runner.pool.get_state(),
        "obs": {key: value.copy() for key, value in runner.pool.obs.items()},
        "counters": (runner.env_steps, runner.episodes, runner.iterations),
        "recent": list(runner.recent),
        "draws": (random.random(), float(np.random.rand()), float(torch.rand(1))),
    }


def metrics_without_timing(run_dir: Path) -> list[dict]:
    return [{k: v for k, v in record.items() if k not in ("time", "charts/SPS")}
            for record in read_metrics(run_dir / "metrics.jsonl")]


def assert_same(first: dict, second: dict) -> None:
    assert torch.equal(first["weights"], second["weights"])
    assert torch.equal(first["optimizer"], second["optimizer"])
    assert first["agent_rng"] == second["agent_rng"]
    assert first["pool"] == second["pool"]
    for key in first["obs"]:
        np.testing.assert_array_equal(first["obs"][key], second["obs"][key])
    assert first["counters"] == second["counters"]
    assert first["recent"] == second["recent"]
    assert first["draws"] == second["draws"]


@pytest.mark.parametrize("precision", ["fp32", "bf16"])
def test_n_steps_then_resume_then_m_steps_equals_n_plus_m_straight(tmp_path: Path, console, precision: str) -> None:
    settings = {"total_steps": 240, "precision": precision, "accumulation_steps": 2}
    straight = Runner.start(quick_config(tmp_path / "straight", **settings), console=console)
    straight.run()
    expected = final_state(straight)

    interrupted = Runner.start(quick_config(tmp_path / "resumed", **settings), console=console)
    stopped = interrupted.run(until=102)
    assert not stopped.finished and stopped.env_steps == 102
    assert interrupted.precision.state_dict()["pending"] == 1  # stopped between two accumulated micro-batches
    random.random(), np.random.rand(), torch.rand(1)  # whatever happens between the processes must not matter
    resumed = Runner.resume(tmp_path / "resumed", console=console)
    assert resumed.env_steps == 102 and resumed.precision.mode == precision
    assert resumed.run().finished
    assert_same(expected, final_state(resumed))
    assert metrics_without_timing(tmp_path / "straight") == metrics_without_timing(tmp_path / "resumed")


def test_a_run_killed_between_checkpoints_resumes_exactly_from_the_last_one(tmp_path: Path, console,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    straight = Runner.start(quick_config(tmp_path / "straight", total_steps=300), console=console)
    straight.run()
    expected = final_state(straight)

    real_iteration = FakeAgent.train_iteration
    calls = {"n": 0}

    def dies_at_iteration_37(self, pool):
        calls["n"] += 1
        if calls["n"] == 37:
            pool.step(self.act(pool.obs, pool.masks))  # half an iteration happens, then the process dies
            raise KeyboardInterrupt
        return real_iteration(self, pool)

    monkeypatch.setattr(FakeAgent, "train_iteration", dies_at_iteration_37)
    with pytest.raises(KeyboardInterrupt, match=r"continue from the last checkpoint .* sheetrl train --resume"):
        Runner.start(quick_config(tmp_path / "crashed", total_steps=300), console=console).run()
    monkeypatch.setattr(FakeAgent, "train_iteration", real_iteration)
    checkpoint, _ = load_latest(tmp_path / "crashed")
    assert 0 < checkpoint["counters"]["iterations"] < 36
    resumed = Runner.resume(tmp_path / "crashed", console=console)
    resumed.run()
    assert_same(expected, final_state(resumed))
    assert metrics_without_timing(tmp_path / "straight") == metrics_without_timing(tmp_path / "crashed")


def test_a_finished_run_can_be_extended(tmp_path: Path, console) -> None:
    straight = Runner.start(quick_config(tmp_path / "straight", total_steps=180), console=console)
    straight.run()
    expected = final_state(straight)
    Runner.start(quick_config(tmp_path / "extended", total_steps=90), console=console).run()
    extended = Runner.resume(tmp_path / "extended", changes={"total_steps": 180}, console=console)
    extended.run()
    assert_same(expected, final_state(extended))
    assert json.loads((tmp_path / "extended" / "config.json").read_text())["train"]["total_steps"] == 180


def test_resume_refuses_changes_that_make_another_experiment(tmp_path: Path, console) -> None:
    Runner.start(quick_config(tmp_path, total_steps=30), console=console).run()
    with pytest.raises(ConfigError, match="seed cannot change when resuming"):
        Runner.resume(tmp_path, changes={"seed": 4}, console=console)
    with pytest.raises(ConfigError, match=f"{tmp_path} already holds a run; continue it with"):
        Runner.start(quick_config(tmp_path), console=console)


def test_the_agent_gets_the_configured_precision_and_accumulation(tmp_path: Path, console) -> None:
    runner = Runner.start(quick_config(tmp_path, precision="bf16", accumulation_steps=3, total_steps=18),
                          console=console)
    assert runner.agent.precision is runner.precision
    assert (runner.precision.mode, runner.precision.accumulation_steps) == ("bf16", 3)
    assert runner.device == torch.device("cpu")
    with pytest.raises(ConfigError, match="fp16 mixed precision needs a CUDA device"):
        Runner.start(quick_config(tmp_path / "x", precision="fp16", device="cpu"), console=console)


def test_a_curriculum_run_logs_its_level_and_evaluates_the_unlocked_levels(tmp_path: Path, console) -> None:
    result = Runner.start(quick_config(tmp_path, level="curriculum", total_steps=60, eval_episodes=3),
                          console=console).run()
    assert result.run_dir.name == tmp_path.name
    records = read_metrics(tmp_path / "metrics.jsonl")
    assert [r["curriculum/level"] for r in records if "curriculum/level" in r][-1] == 1
    assert all(part["per_level"].keys() == {"1"} for part in result.evaluation["per_split"].values())


def test_an_agent_that_takes_no_steps_is_reported(tmp_path: Path, console, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(FakeAgent, "train_iteration", lambda self, pool: (0, {}))
    from sheetrl.train.config import TrainError

    with pytest.raises(TrainError, match="train_iteration must take at least one environment step"):
        Runner.start(quick_config(tmp_path), console=console).run()


def test_train_config_run_dir_is_used_as_given(tmp_path: Path, console) -> None:
    config = TrainConfig(algo="fake", total_steps=12, run_dir=str(tmp_path / "mine"), wandb="disabled",
                         tensorboard=False, progress=False, eval_episodes=0)
    assert Runner.start(config, console=console).run().run_dir == tmp_path / "mine"


def test_a_first_ctrl_c_stops_at_the_iteration_boundary_with_a_checkpoint_and_resumes_exactly(
        tmp_path: Path, console, monkeypatch: pytest.MonkeyPatch) -> None:
    straight = Runner.start(quick_config(tmp_path / "straight", total_steps=300, checkpoint_every=10_000),
                            console=console)
    straight.run()
    expected = final_state(straight)

    real_iteration = FakeAgent.train_iteration
    calls = {"n": 0}

    def ctrl_c_during_iteration_5(self, pool):
        calls["n"] += 1
        if calls["n"] == 5:
            signal.raise_signal(signal.SIGINT)  # the user presses Ctrl-C once, mid-iteration
        return real_iteration(self, pool)

    monkeypatch.setattr(FakeAgent, "train_iteration", ctrl_c_during_iteration_5)
    # No periodic checkpoint would exist yet (checkpoint_every is huge): the interrupt must write one.
    with pytest.raises(TrainingInterrupted, match="checkpoint saved; continue with: sheetrl train --resume"):
        Runner.start(quick_config(tmp_path / "stopped", total_steps=300, checkpoint_every=10_000),
                     console=console).run()
    monkeypatch.setattr(FakeAgent, "train_iteration", real_iteration)
    checkpoint, _ = load_latest(tmp_path / "stopped")
    assert checkpoint["counters"]["iterations"] == 5  # the interrupted iteration was completed, nothing more
    resumed = Runner.resume(tmp_path / "stopped", console=console)
    resumed.run()
    assert_same(expected, final_state(resumed))
    assert metrics_without_timing(tmp_path / "straight") == metrics_without_timing(tmp_path / "stopped")


def test_a_run_stopped_before_its_first_checkpoint_is_not_appended_to(tmp_path: Path, console,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    def dies_at_once(self, pool):
        raise KeyboardInterrupt

    real_iteration = FakeAgent.train_iteration
    monkeypatch.setattr(FakeAgent, "train_iteration", dies_at_once)
    with pytest.raises(TrainingInterrupted, match="before the first checkpoint: nothing to resume; start again "
                                                  "with the same command and --overwrite"):
        Runner.start(quick_config(tmp_path, tensorboard=True), console=console).run()
    monkeypatch.setattr(FakeAgent, "train_iteration", real_iteration)
    assert (tmp_path / "config.json").exists() and not (tmp_path / "checkpoint.pt").exists()
    with pytest.raises(ConfigError, match="stopped before its first checkpoint; start afresh there with --overwrite"):
        Runner.start(quick_config(tmp_path), console=console)
    Runner.start(quick_config(tmp_path, tensorboard=True), console=console, overwrite=True).run()
    steps = [record["step"] for record in read_metrics(tmp_path / "metrics.jsonl")]
    assert steps == sorted(steps) and len(steps) == len(set(steps))
    assert len(list(tmp_path.glob("events.out.tfevents.*"))) == 1


def test_resuming_a_finished_and_evaluated_run_does_nothing_twice(tmp_path: Path, console) -> None:
    Runner.start(quick_config(tmp_path, total_steps=60, eval_episodes=2), console=console).run()
    before = (tmp_path / "metrics.jsonl").read_text()
    result = Runner.resume(tmp_path, console=console).run()
    assert result.finished and result.evaluation is not None and result.evaluation["env_steps"] == 60
    assert "already finished at 60 steps; raise --total-steps" in console.file.getvalue()
    assert (tmp_path / "metrics.jsonl").read_text() == before  # no second evaluation row


def test_resuming_a_finished_run_whose_evaluation_was_interrupted_evaluates_it_once(
        tmp_path: Path, console, monkeypatch: pytest.MonkeyPatch) -> None:
    def ctrl_c_in_evaluation(self, logger):
        raise KeyboardInterrupt

    real_evaluation = Runner._final_evaluation
    monkeypatch.setattr(Runner, "_final_evaluation", ctrl_c_in_evaluation)
    with pytest.raises(TrainingInterrupted, match="during the held-out evaluation; training finished and is saved"):
        Runner.start(quick_config(tmp_path, total_steps=60, eval_episodes=2), console=console).run()
    monkeypatch.setattr(Runner, "_final_evaluation", real_evaluation)
    result = Runner.resume(tmp_path, console=console).run()
    assert result.evaluation is not None and (tmp_path / "eval.json").exists()
    evaluations = [r for r in read_metrics(tmp_path / "metrics.jsonl") if "eval/success_rate" in r]
    assert [r["step"] for r in evaluations] == [60]


def _one_array() -> bytes:
    buffer = io.BytesIO()
    np.save(buffer, np.zeros(3))
    return buffer.getvalue()


@pytest.mark.parametrize("content", [None, b"", b"not an archive", b"PK\x03\x04 truncated", _one_array()],
                         ids=["missing", "empty", "text", "truncated zip", "one array (.npy)"])
def test_an_overwriting_run_whose_demonstrations_cannot_be_read_replaces_nothing(
        tmp_path: Path, content: bytes | None) -> None:
    """A bad demonstrations file is found before --overwrite clears the folder: the earlier run stays whole."""
    run_dir = tmp_path / "run"
    Runner.start(quick_config(run_dir)).run()
    before = sorted(path.name for path in run_dir.iterdir())
    demos = tmp_path / "demos.npz"
    if content is not None:
        demos.write_bytes(content)
    config = quick_config(run_dir, algo="bc", demos=str(demos), total_steps=256)
    with pytest.raises(ConfigError, match="demonstrations file"):
        Runner.start(config, overwrite=True)
    assert sorted(path.name for path in run_dir.iterdir()) == before
    assert load_latest(run_dir)[0]["config"]["algo"] == "fake"


def test_a_run_whose_network_diverges_stops_with_one_line_and_keeps_its_last_finite_checkpoint(
        tmp_path: Path, console, monkeypatch: pytest.MonkeyPatch) -> None:
    from sheetrl.train.config import TrainError

    train_iteration = FakeAgent.train_iteration

    def diverging(self: FakeAgent, pool: Any) -> tuple[int, dict[str, float]]:
        result = train_iteration(self, pool)
        if self.diverge:
            with torch.no_grad():
                self.weights[0] = float("nan")
        return result

    runner = Runner.start(quick_config(tmp_path, total_steps=60), console=console)
    runner.agent.diverge = False
    runner.run()  # a finite run: its checkpoint is written
    good = load_checkpoint(tmp_path / CHECKPOINT_FILE)
    monkeypatch.setattr(FakeAgent, "train_iteration", diverging)
    runner = Runner.resume(tmp_path, changes={"total_steps": 120}, console=console)
    runner.agent.diverge = True
    with pytest.raises(TrainError, match=r"fake: training diverged by step \d+: weights holds NaN or infinite "
                                         r"values; the checkpoint of step 60 is kept"):
        runner.run()
    kept = load_checkpoint(tmp_path / CHECKPOINT_FILE)
    assert kept["counters"] == good["counters"]
    assert torch.isfinite(kept["agent"]["state"]["weights"]).all()


def test_a_checkpoint_holding_nan_weights_is_refused_when_it_is_loaded(tmp_path: Path, console) -> None:
    runner = Runner.start(quick_config(tmp_path, total_steps=30), console=console)
    runner.run()
    payload = load_checkpoint(tmp_path / CHECKPOINT_FILE)
    payload["agent"]["state"]["weights"][1] = float("inf")
    torch.save(payload, tmp_path / CHECKPOINT_FILE)
    with pytest.raises(CheckpointError, match=r"holds a network that diverged: weights has NaN or infinite values"):
        Runner.resume(tmp_path, console=console)
