"""The Modal app: importable without an account, its training function run locally on a tiny run, checkpoints every
100 episodes, and a call retried after a crash resumes the run instead of starting again."""

from __future__ import annotations

from pathlib import Path

import pytest

modal = pytest.importorskip("modal")

from sheetrl.train import modal_app
from sheetrl.train.checkpoint import load_latest
from sheetrl.train.config import ConfigError


def test_the_app_uses_the_current_modal_api_with_a_gpu_volume_and_retries() -> None:
    assert isinstance(modal_app.app, modal.App)
    assert modal_app.app.name == "sheetrl"
    assert isinstance(modal_app.image, modal.Image)
    assert isinstance(modal_app.train_on_modal, modal.Function)
    requirements = modal_app.runtime_requirements()
    assert requirements[0] == "torch==2.13.0"
    assert any(r.startswith("gymnasium") for r in requirements)
    assert not any(r.startswith(("pytest", "ray", "torch>=")) for r in requirements)


def test_the_gpu_comes_from_the_environment_and_a_bad_name_is_a_clear_error() -> None:
    assert modal_app.selected_gpu({}) == "T4"
    assert modal_app.selected_gpu({"SHEETRL_GPU": "h100"}) == "H100"
    with pytest.raises(ConfigError, match="SHEETRL_GPU must be one of T4, A100, A100-80GB, H100, not 'V100'"):
        modal_app.selected_gpu({"SHEETRL_GPU": "V100"})


def test_wandb_goes_online_only_with_a_key() -> None:
    assert modal_app.wandb_mode({}) == "offline"
    assert modal_app.wandb_mode({"WANDB_API_KEY": "x"}) == "online"


def test_the_modal_function_trains_a_tiny_run_locally(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WANDB_API_KEY", raising=False)
    summary = modal_app.train_on_modal.local(level=1, algo="fake", total_steps=60, run_name="tiny",
                                             eval_episodes=2, runs_root=str(tmp_path))
    assert summary["run_dir"] == str(tmp_path / "tiny")
    assert summary["env_steps"] == 60 and summary["finished"] and summary["device"] == "cpu"
    assert summary["eval_success_rate"] is not None
    payload, _ = load_latest(tmp_path / "tiny")
    assert payload["config"]["checkpoint_every"] == 100 and payload["config"]["checkpoint_interval"] == 0
    assert payload["config"]["wandb"] == "offline"


class Crash(RuntimeError):
    pass


def test_checkpoints_every_100_episodes_and_a_retried_call_resumes(tmp_path: Path) -> None:
    saved_at: list[int] = []

    def crash_after_the_second_checkpoint() -> None:
        saved_at.append(load_latest(tmp_path / "run")[0]["counters"]["episodes"])
        if len(saved_at) == 2:
            raise Crash("preempted")

    arguments = {"level": 1, "algo": "fake", "total_steps": 3000, "run_name": "run", "runs_root": tmp_path,
                 "eval_episodes": 0}
    with pytest.raises(Crash):
        modal_app.train_job(on_checkpoint=crash_after_the_second_checkpoint, **arguments)
    assert len(saved_at) == 2 and 100 <= saved_at[0] < 110 and 200 <= saved_at[1] < 210
    summary = modal_app.train_job(on_checkpoint=crash_after_the_second_checkpoint, **arguments)  # the retry
    assert summary["env_steps"] == 3000 and summary["finished"]
    # The resumed run saves once more at its first iteration (the checkpoint it resumed from recorded the previous
    # save's episode count); after that, one checkpoint per 100 episodes and one at the end.
    distinct = sorted(set(saved_at))
    assert [episodes // 100 for episodes in distinct[:-1]] == list(range(1, len(distinct)))
    assert distinct[-1] == summary["episodes"]
    uninterrupted = modal_app.train_job(**dict(arguments, run_name="straight"))
    assert summary["episodes"] == uninterrupted["episodes"]
