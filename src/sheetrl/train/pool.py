"""A pool of environments stepped together, with auto-reset and episode bookkeeping.

Agents see stacked observations (``pool.obs[key]`` has shape ``(n, ...)``) and masks (``pool.masks``, bool
``(n, N)``), call :meth:`EnvPool.step` with one action per environment, and get the next observations back; an
environment whose episode ended is reset at once (its *final* observation is kept in ``infos[i]["final_obs"]``
for bootstrapping truncated episodes). Finished episodes are summarized in :attr:`EnvPool.finished`, which the
runner drains for logging. :meth:`get_state`/:meth:`set_state` snapshot every environment exactly (RNG states,
curriculum, and the current episode replayed from its commands), which is what makes checkpoints resume exactly.

Environment ``i`` is seeded from ``np.random.SeedSequence(seed).spawn(n)[i]``, so the task streams of runs with
different seeds are independent (seeding ``seed + i`` would make runs ``--seed 1`` and ``--seed 2`` share all
but one environment's tasks). With ``level="curriculum"`` the environments share one
:class:`~sheetrl.env.curriculum.CurriculumManager`, fed by every environment's episodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from sheetrl.env.curriculum import CurriculumManager
from sheetrl.env.rewards import TERMS
from sheetrl.env.spreadsheet_env import EnvConfig, SpreadsheetEnv


@dataclass
class EpisodeStats:
    """Summary of one finished episode."""

    level: int
    template: str
    task_seed: int
    length: int
    episode_return: float
    success: bool
    reward_terms: dict[str, float] = field(default_factory=dict)


def env_seeds(seed: int, n: int) -> list[int]:
    """Independent seeds for ``n`` environments of a run seeded ``seed`` (NumPy's SeedSequence spawning)."""
    return [int(child.generate_state(1, dtype=np.uint32)[0]) for child in np.random.SeedSequence(seed).spawn(n)]


class EnvPool:
    """``n`` SpreadsheetEnvs with independent seeds (:func:`env_seeds`) and, for the curriculum, one manager."""

    def __init__(self, n: int, config: EnvConfig, seed: int) -> None:
        if n < 1:
            raise ValueError(f"the pool needs at least one environment, not {n}")
        self.curriculum: CurriculumManager | None = None
        if config.level == "curriculum":
            self.curriculum = CurriculumManager(
                threshold=config.curriculum_threshold, window=config.curriculum_window,
                replay_probability=config.curriculum_replay, demotion_threshold=config.curriculum_demotion,
                seed=seed)
        self.envs = [SpreadsheetEnv(config=config, curriculum=self.curriculum) for _ in range(n)]
        self.n = n
        self.finished: list[EpisodeStats] = []
        self._returns = np.zeros(n)
        self._lengths = np.zeros(n, dtype=np.int64)
        self._terms = [dict.fromkeys(TERMS, 0.0) for _ in range(n)]
        first = [env.reset(seed=s)[0] for s, env in zip(env_seeds(seed, n), self.envs)]
        self.obs = _stack(first)

    @property
    def masks(self) -> np.ndarray:
        """Bool (n, N): the legal actions of every environment."""
        return self.obs["action_mask"].astype(bool)

    @property
    def observation_space(self) -> Any:
        return self.envs[0].observation_space

    @property
    def action_space(self) -> Any:
        return self.envs[0].action_space

    def step(self, actions: np.ndarray) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, np.ndarray, list]:
        """Step every environment; returns (next obs, rewards, terminated, truncated, infos), auto-resetting."""
        next_obs, rewards, terminated, truncated, infos = [], [], [], [], []
        for i, (env, action) in enumerate(zip(self.envs, actions)):
            obs, reward, term, trunc, info = env.step(int(action))
            self._returns[i] += reward
            self._lengths[i] += 1
            for name, value in info.get("reward_terms", {}).items():
                self._terms[i][name] = self._terms[i].get(name, 0.0) + value
            if term or trunc:
                self.finished.append(
                    EpisodeStats(info["level"], info["template"], info["task_seed"], int(self._lengths[i]),
                                 float(self._returns[i]), bool(info.get("is_success")), dict(self._terms[i]))
                )
                info = dict(info, final_obs=obs)
                obs, _ = env.reset()
                self._returns[i] = 0.0
                self._lengths[i] = 0
                self._terms[i] = dict.fromkeys(TERMS, 0.0)
            next_obs.append(obs)
            rewards.append(reward)
            terminated.append(term)
            truncated.append(trunc)
            infos.append(info)
        self.obs = _stack(next_obs)
        return (self.obs, np.asarray(rewards, dtype=np.float32), np.asarray(terminated), np.asarray(truncated),
                infos)

    def drain(self) -> list[EpisodeStats]:
        """Finished episodes since the last call."""
        done, self.finished = self.finished, []
        return done

    def get_state(self) -> dict[str, Any]:
        return {
            "envs": [env.get_state() for env in self.envs],
            "curriculum": self.curriculum.state_dict() if self.curriculum is not None else None,
            "returns": self._returns.tolist(),
            "lengths": self._lengths.tolist(),
            "terms": [dict(t) for t in self._terms],
        }

    def set_state(self, state: dict[str, Any]) -> None:
        observations = [env.set_state(s) for env, s in zip(self.envs, state["envs"], strict=True)]
        if any(obs is None for obs in observations):
            raise ValueError("a pool snapshot holds an environment that was never reset")
        if self.curriculum is not None and state.get("curriculum") is not None:
            self.curriculum.load_state_dict(state["curriculum"])
        self.obs = _stack([obs for obs in observations if obs is not None])
        self._returns = np.asarray(state["returns"], dtype=np.float64)
        self._lengths = np.asarray(state["lengths"], dtype=np.int64)
        self._terms = [dict(t) for t in state["terms"]]
        self.finished = []


def _stack(observations: list[dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    return {key: np.stack([o[key] for o in observations]) for key in observations[0]}
