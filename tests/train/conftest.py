"""Fixtures for the training-stack tests: a registered fake algorithm and quiet runs."""

from __future__ import annotations

import io
import threading
import time
from typing import Any

import pytest
from rich.console import Console

from sheetrl.agents import ALGORITHMS
from sheetrl.train.config import TrainConfig


@pytest.fixture(autouse=True)
def fake_algorithm(monkeypatch: pytest.MonkeyPatch) -> str:
    """Registers ``tests/train/fake_agent.py`` as the algorithm ``fake`` for the duration of a test."""
    monkeypatch.setitem(ALGORITHMS, "fake", "tests.train.fake_agent")
    monkeypatch.setenv("WANDB_SILENT", "true")
    return "fake"


@pytest.fixture(autouse=True)
def in_a_temporary_folder(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> None:
    """Runs without --run-dir write under ./runs: keep them out of the repository."""
    monkeypatch.chdir(tmp_path_factory.mktemp("cwd"))


@pytest.fixture(scope="module")
def local_ray() -> Any:
    """A local Ray with room for two actors, for the tests of one module (shut down after them)."""
    ray = pytest.importorskip("ray")
    from sheetrl.train.distributed import connect

    connect(actors=2)
    yield ray
    ray.shutdown()


@pytest.fixture
def console() -> Console:
    """A console writing into a buffer (read it with ``console.file.getvalue()``)."""
    return Console(file=io.StringIO(), width=200)


def quick_config(run_dir, **changes) -> TrainConfig:
    """A small, quiet run of the fake agent on level 1."""
    settings = {"algo": "fake", "level": 1, "seed": 3, "total_steps": 120, "checkpoint_every": 5,
                "checkpoint_interval": 0, "eval_episodes": 0, "run_dir": None if run_dir is None else str(run_dir),
                "wandb": "disabled", "tensorboard": False,
                "progress": False, "log_every": 30}
    settings.update(changes)
    return TrainConfig(**settings)


def run_killing_an_actor(runner: Any, after_iterations: int) -> None:
    """Run ``runner`` to its end while another thread kills its pool's actor 1 once ``after_iterations``
    iterations are done (what a lost node does to a Ray run)."""
    ray = pytest.importorskip("ray")

    def kill_an_actor_mid_run() -> None:
        while runner.iterations < after_iterations:
            time.sleep(0.005)
        ray.kill(runner.pool.handles[1])

    killer = threading.Thread(target=kill_an_actor_mid_run, daemon=True)
    killer.start()
    runner.run()
    killer.join(timeout=30)
