"""Curriculum over the five task levels: advance on a rolling success rate, replay earlier levels, optionally step
back.

The manager starts at level 1. After each episode it records success for that episode's level; once the rolling
success rate over the last ``window`` episodes of the current level exceeds ``threshold`` (and at least ``window``
episodes were seen), it unlocks the next level. With a ``demotion_threshold``, a full window of the current level
whose success rate falls below it locks that level again (the histories of both levels are cleared, so the agent
plays a full window before it is judged again). Each new episode is drawn from the current (highest unlocked) level,
except that with probability ``replay_probability`` an earlier unlocked level is replayed (uniformly), which guards
against forgetting.

A training pool shares one manager among all its environments (``SpreadsheetEnv(curriculum=...)``), so promotion
counts the pool's episodes, not one environment's. The whole state is a plain dict (``state_dict``/
``load_state_dict``) for checkpoints.
"""

from __future__ import annotations

import math
import random
from collections import deque
from typing import Any

from sheetrl.env.tasks import LEVELS


class CurriculumManager:
    """Tracks per-level rolling success and picks the level of the next episode."""

    def __init__(self, threshold: float = 0.8, window: int = 100, replay_probability: float = 0.2,
                 levels: tuple[int, ...] = LEVELS, seed: int = 0, demotion_threshold: float | None = None) -> None:
        self.validate(threshold, window, replay_probability, demotion_threshold)
        if not levels or list(levels) != sorted(set(levels)):
            raise ValueError(f"levels must be distinct and increasing, not {levels!r}")
        self.threshold = float(threshold)
        self.window = int(window)
        self.replay_probability = float(replay_probability)
        self.demotion_threshold = None if demotion_threshold is None else float(demotion_threshold)
        self.levels = tuple(levels)
        self.unlocked = 1  # how many levels are open
        self.history: dict[int, deque[bool]] = {level: deque(maxlen=self.window) for level in self.levels}
        self.episodes: dict[int, int] = dict.fromkeys(self.levels, 0)
        self._rng = random.Random(seed)

    @staticmethod
    def validate(threshold: Any, window: Any, replay_probability: Any, demotion_threshold: Any = None) -> None:
        """Raise ValueError naming the problem with a curriculum setting.

        The promotion threshold is a success rate that must be *exceeded*, so it lies in [0, 1) (1.0 could never
        be reached); a demotion threshold lies in [0, threshold)."""
        def number(value: Any) -> bool:
            return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)

        if not number(threshold) or not 0.0 <= threshold < 1.0:
            raise ValueError(f"curriculum threshold is a success rate to exceed, in [0, 1), not {threshold!r}")
        if isinstance(window, bool) or not isinstance(window, int) or window < 1:
            raise ValueError(f"curriculum window must be a positive number of episodes, not {window!r}")
        if not number(replay_probability) or not 0.0 <= replay_probability <= 1.0:
            raise ValueError(f"replay probability must be in [0, 1], not {replay_probability!r}")
        if demotion_threshold is not None and (not number(demotion_threshold)
                                               or not 0.0 <= demotion_threshold < threshold):
            raise ValueError(f"demotion threshold must be in [0, threshold={threshold}), not {demotion_threshold!r}")

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

    def record(self, level: int, success: bool) -> int:
        """Record an episode's outcome; returns +1 when this unlocked a new level, -1 when it locked the current
        one again, 0 otherwise."""
        if level not in self.history:
            raise ValueError(f"unknown level {level!r}")
        self.history[level].append(bool(success))
        self.episodes[level] += 1
        if level != self.current_level or len(self.history[level]) < self.window:
            return 0
        rate = self.success_rate(level)
        if self.unlocked < len(self.levels) and rate > self.threshold:
            self.unlocked += 1
            return 1
        if self.demotion_threshold is not None and self.unlocked > 1 and rate < self.demotion_threshold:
            self.history[level].clear()
            self.unlocked -= 1
            self.history[self.current_level].clear()
            return -1
        return 0

    def state_dict(self) -> dict[str, Any]:
        """Everything needed to continue exactly (for checkpoints)."""
        return {
            "threshold": self.threshold,
            "window": self.window,
            "replay_probability": self.replay_probability,
            "demotion_threshold": self.demotion_threshold,
            "levels": list(self.levels),
            "unlocked": self.unlocked,
            "history": {str(k): list(v) for k, v in self.history.items()},
            "episodes": {str(k): v for k, v in self.episodes.items()},
            "rng": self._rng.getstate(),
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.__init__(state["threshold"], state["window"], state["replay_probability"],  # type: ignore[misc]
                      tuple(state["levels"]), demotion_threshold=state.get("demotion_threshold"))
        self.unlocked = int(state["unlocked"])
        for key, values in state["history"].items():
            self.history[int(key)].extend(bool(v) for v in values)
        self.episodes = {int(k): int(v) for k, v in state["episodes"].items()}
        rng_state = state["rng"]
        self._rng.setstate((rng_state[0], tuple(rng_state[1]), rng_state[2]))
