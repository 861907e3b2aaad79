"""Curriculum over the five task levels: advance on a rolling success rate, replay earlier levels.

The manager starts at level 1. After each episode it records success for that episode's level; once the rolling
success rate over the last ``window`` episodes of the current level exceeds ``threshold`` (and at least ``window``
episodes were seen), it unlocks the next level. Each new episode is drawn from the current (highest unlocked)
level, except that with probability ``replay_probability`` an earlier unlocked level is replayed (uniformly), which
guards against forgetting. The whole state is a plain dict (``state_dict``/``load_state_dict``) for checkpoints.
"""

from __future__ import annotations

import random
from collections import deque
from typing import Any

from sheetrl.env.tasks import LEVELS


class CurriculumManager:
    """Tracks per-level rolling success and picks the level of the next episode."""

    def __init__(self, threshold: float = 0.8, window: int = 100, replay_probability: float = 0.2,
                 levels: tuple[int, ...] = LEVELS, seed: int = 0) -> None:
        if not 0.0 < threshold <= 1.0:
            raise ValueError(f"curriculum threshold must be in (0, 1], not {threshold!r}")
        if window < 1:
            raise ValueError(f"curriculum window must be positive, not {window!r}")
        if not 0.0 <= replay_probability <= 1.0:
            raise ValueError(f"replay probability must be in [0, 1], not {replay_probability!r}")
        if not levels or list(levels) != sorted(set(levels)):
            raise ValueError(f"levels must be distinct and increasing, not {levels!r}")
        self.threshold = threshold
        self.window = window
        self.replay_probability = replay_probability
        self.levels = tuple(levels)
        self.unlocked = 1  # how many levels are open
        self.history: dict[int, deque[bool]] = {level: deque(maxlen=window) for level in self.levels}
        self.episodes: dict[int, int] = {level: 0 for level in self.levels}
        self._rng = random.Random(seed)

    def seed(self, seed: int) -> None:
        self._rng = random.Random(seed)

    @property
    def current_level(self) -> int:
        return self.levels[self.unlocked - 1]

    def success_rate(self, level: int) -> float:
        results = self.history[level]
        return sum(results) / len(results) if results else 0.0

    def next_level(self) -> int:
        """Level of the next episode."""
        if self.unlocked > 1 and self._rng.random() < self.replay_probability:
            return self.levels[self._rng.randrange(self.unlocked - 1)]
        return self.current_level

    def record(self, level: int, success: bool) -> bool:
        """Record an episode's outcome; returns True when this unlocked a new level."""
        if level not in self.history:
            raise ValueError(f"unknown level {level!r}")
        self.history[level].append(bool(success))
        self.episodes[level] += 1
        if (
            level == self.current_level
            and self.unlocked < len(self.levels)
            and len(self.history[level]) >= self.window
            and self.success_rate(level) > self.threshold
        ):
            self.unlocked += 1
            return True
        return False

    def state_dict(self) -> dict[str, Any]:
        """Everything needed to continue exactly (for checkpoints)."""
        return {
            "threshold": self.threshold,
            "window": self.window,
            "replay_probability": self.replay_probability,
            "levels": list(self.levels),
            "unlocked": self.unlocked,
            "history": {str(k): list(v) for k, v in self.history.items()},
            "episodes": {str(k): v for k, v in self.episodes.items()},
            "rng": self._rng.getstate(),
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.__init__(state["threshold"], state["window"], state["replay_probability"], tuple(state["levels"]))
        self.unlocked = int(state["unlocked"])
        for key, values in state["history"].items():
            self.history[int(key)].extend(bool(v) for v in values)
        self.episodes = {int(k): int(v) for k, v in state["episodes"].items()}
        rng_state = state["rng"]
        self._rng.setstate((rng_state[0], tuple(rng_state[1]), rng_state[2]))
