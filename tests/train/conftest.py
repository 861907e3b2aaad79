"""Fixtures for the training-stack tests: a registered fake algorithm and quiet runs."""

from __future__ import annotations

import io

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
