"""What every agent offers the training stack.

An agent is one readable file per algorithm (CleanRL's rule): the network it uses, how it acts, and its whole
update in plain view. The runner (``train/runner.py``) owns everything else — the environments (an
:class:`~sheetrl.train.pool.EnvPool`), step counting, logging, checkpoints, evaluation — and drives an agent
through this small interface:

- :meth:`Agent.act` — batched actions for stacked observations and masks (never an illegal action);
- :meth:`Agent.train_iteration` — collect some experience from the pool and learn from it; returns how many
  environment steps it took and its metrics (``losses/...``, ``charts/...``);
- :meth:`Agent.state_dict` / :meth:`Agent.load_state_dict` — *everything* needed to continue exactly:
  weights, optimizer, replay buffer or rollout state, exploration schedule position, RNG states;
- :meth:`Agent.save` / :meth:`Agent.load` — the same, to and from a file (atomically).
"""

from __future__ import annotations

import os
import tempfile
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, ClassVar

import numpy as np

from sheetrl.train.pool import EnvPool


class Agent(ABC):
    """Base class of all agents (see the module docstring)."""

    name: ClassVar[str]
    # Environment steps the whole run takes (the runner sets it from its total_steps before training, and again
    # when a resumed run raises it): schedules that span the run, such as PPO's learning-rate annealing, read it,
    # so the run length is declared once, in the run's config.
    run_steps: int | None = None

    @abstractmethod
    def act(self, obs: dict[str, np.ndarray], masks: np.ndarray, deterministic: bool = False) -> np.ndarray:
        """Actions (n,) for stacked observations ``obs[key]`` of shape (n, ...) and bool masks (n, N)."""

    @abstractmethod
    def train_iteration(self, pool: EnvPool) -> tuple[int, dict[str, float]]:
        """Collect experience from ``pool`` and learn; returns (environment steps taken, metrics)."""

    @abstractmethod
    def state_dict(self) -> dict[str, Any]:
        """Everything needed to continue training exactly (weights, optimizer, buffers, counters, RNG states)."""

    @abstractmethod
    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore :meth:`state_dict`."""

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the agent's state to ``path`` atomically (a crash never leaves a half-written file)."""
        atomic_torch_save({"agent": self.name, "state": self.state_dict()}, path)

    def load(self, path: str | os.PathLike[str]) -> None:
        """Restore a state written by :meth:`save` (the agent must have been built with the same config)."""
        import torch

        payload = torch.load(path, map_location="cpu", weights_only=False)
        if payload.get("agent") != self.name:
            raise ValueError(f"{path} holds a {payload.get('agent')!r} agent, not {self.name!r}")
        self.load_state_dict(payload["state"])


def atomic_torch_save(obj: Any, path: str | os.PathLike[str]) -> None:
    """``torch.save`` to a temporary file in the same directory, fsync, then rename over ``path``."""
    import torch

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            torch.save(obj, stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def masked_argmax(values: np.ndarray, masks: np.ndarray) -> np.ndarray:
    """Row-wise argmax over legal actions only (ties: the lowest index)."""
    scores = np.where(masks, values, -np.inf)
    return scores.argmax(axis=-1)


def linear_epsilon(start: float, end: float, decay_steps: int, step: int) -> float:
    """Exploration probability decayed linearly from ``start`` to ``end`` over ``decay_steps`` steps, then held."""
    fraction = min(1.0, step / decay_steps)
    return start + fraction * (end - start)


def epsilon_greedy(greedy: np.ndarray, masks: np.ndarray, epsilon: float, rng: np.random.Generator) -> np.ndarray:
    """Per row, the greedy action, or with probability ``epsilon`` a uniformly random legal action."""
    explore = rng.random(len(masks)) < epsilon
    random_legal = masked_argmax(rng.random(masks.shape), masks)  # uniform over the legal actions
    return np.where(explore, random_legal, greedy)
