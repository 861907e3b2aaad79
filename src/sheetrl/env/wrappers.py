"""Adapters for other RL libraries.

:class:`FlatMaskedEnv` exposes the environment the way Stable-Baselines3 and sb3-contrib's ``MaskablePPO``
expect: a ``Box(768)`` observation (the ``flat`` vector) and an ``action_masks()`` method, which ``MaskablePPO``
finds through its ``ActionMasker``-style lookup (``get_action_masks`` calls ``env_method("action_masks")``)::

    from sb3_contrib import MaskablePPO
    from sheetrl.env.wrappers import FlatMaskedEnv

    model = MaskablePPO("MlpPolicy", FlatMaskedEnv(level=1), seed=0)
    model.learn(50_000)

RLlib and other libraries that accept a Dict observation can use ``SpreadsheetEnv`` directly and read the mask
from ``obs["action_mask"]``.
"""

from __future__ import annotations

from typing import Any

import gymnasium as gym
import numpy as np

from sheetrl.env.spreadsheet_env import SpreadsheetEnv


class FlatMaskedEnv(gym.Wrapper):
    """``flat`` observation only, plus ``action_masks()`` (see the module docstring)."""

    def __init__(self, env: SpreadsheetEnv | None = None, **env_kwargs: Any) -> None:
        env = env if env is not None else SpreadsheetEnv(**env_kwargs)
        if not isinstance(env.unwrapped, SpreadsheetEnv):
            raise TypeError("FlatMaskedEnv wraps a SpreadsheetEnv")
        super().__init__(env)
        self._inner: SpreadsheetEnv = env.unwrapped
        space = self._inner.observation_space
        assert isinstance(space, gym.spaces.Dict)
        if "flat" not in space.spaces:
            raise ValueError(f"FlatMaskedEnv passes on the 'flat' observation, which this environment does not "
                             f"compute (observation_keys={tuple(space.spaces)}); add 'flat' to its observation_keys")
        self.observation_space = space.spaces["flat"]

    def reset(self, **kwargs: Any) -> tuple[np.ndarray, dict]:
        obs, info = self.env.reset(**kwargs)
        return obs["flat"], info

    def step(self, action: Any) -> tuple[np.ndarray, float, bool, bool, dict]:
        obs, reward, terminated, truncated, info = self.env.step(action)
        return obs["flat"], float(reward), terminated, truncated, info

    def action_masks(self) -> np.ndarray:
        """Legal actions now (bool array)."""
        return self._inner.action_masks()
