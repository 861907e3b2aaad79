"""Expert demonstrations: run the experts through the environment and save what they saw and did.

File format (``.npz``, numpy's zip of arrays; load with :func:`load_demonstrations` or ``numpy.load``):

=====================  ===========================  ====================================================
array                  shape                        meaning
=====================  ===========================  ====================================================
``obs/<key>``          (T, ...)                     the observation *before* each step, one per obs key
``actions``            (T,) int64                   macro action index taken
``rewards``            (T,) float32                 total reward of the step
``reward_terms``       (T, K) float32               the terms, in ``rewards.TERMS`` order (K = 6 in v1)
``terminated``         (T,) bool                    the step ended the episode (solved, ``done``, budget spent)
``truncated``          (T,) bool                    cut by an outside time limit (never set by the env itself)
``episode_starts``     (E,) int64                   index of each episode's first step
``commands``           (T,) str                     the command each action stood for
``episode_info``       (E,) str                     JSON per episode: level, template, task seed, instruction,
                                                    success, length, return
=====================  ===========================  ====================================================

Masks are ``obs/action_mask``. Everything needed for behaviour cloning (obs → action, with masks) and for
inverse RL (trajectories with per-term rewards) is there.
"""

from __future__ import annotations

import json
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from sheetrl.env.actions import MACRO_INDEX
from sheetrl.env.rewards import TERMS
from sheetrl.env.spreadsheet_env import SpreadsheetEnv
from sheetrl.env.tasks import split_seed
from sheetrl.sheet.fileio import UnsafeFileError, loads_json, open_input, write_atomic


@dataclass
class Trajectory:
    """One episode: observations before each step, actions, rewards and what the actions meant."""

    observations: list[dict[str, np.ndarray]] = field(default_factory=list)
    actions: list[int] = field(default_factory=list)
    rewards: list[float] = field(default_factory=list)
    reward_terms: list[list[float]] = field(default_factory=list)
    terminated: list[bool] = field(default_factory=list)
    truncated: list[bool] = field(default_factory=list)
    commands: list[str] = field(default_factory=list)
    info: dict[str, Any] = field(default_factory=dict)


def expert_episode(env: SpreadsheetEnv, level: int, task_seed: int) -> Trajectory:
    """Run the expert of one task through ``env`` and record the episode."""
    obs, info = env.reset(options={"level": level, "task_seed": task_seed})
    assert env.task is not None
    trajectory = Trajectory()
    success = False
    for name in env.task.expert_actions:
        action = MACRO_INDEX[name]
        command = env.action_to_command(action)
        trajectory.observations.append(obs)
        obs, reward, terminated, truncated, step_info = env.step(action)
        trajectory.actions.append(action)
        trajectory.rewards.append(reward)
        trajectory.reward_terms.append([step_info["reward_terms"].get(t, 0.0) for t in TERMS])
        trajectory.terminated.append(terminated)
        trajectory.truncated.append(truncated)
        trajectory.commands.append(str(command))
        success = bool(step_info.get("is_success"))
        if terminated or truncated:
            break
    trajectory.info = {
        "level": level, "template": info["template"], "task_seed": task_seed, "instruction": info["instruction"],
        "success": success, "length": len(trajectory.actions), "return": float(sum(trajectory.rewards)),
    }
    return trajectory


def collect(level: int, episodes: int, split: str = "train", first_seed: int = 0) -> list[Trajectory]:
    """Expert trajectories for the tasks ``first_seed ..`` of a split ("train", "iid" or "ood"; the evaluation
    splits' seeds are disjoint from training's)."""
    if episodes < 1:
        raise ValueError(f"episodes must be positive, not {episodes}")
    env = SpreadsheetEnv(level=level)
    seeds = [split_seed(split, first_seed + i) for i in range(episodes)]
    return [expert_episode(env, level, seed) for seed in seeds]


def save_demonstrations(trajectories: list[Trajectory], path: str | os.PathLike[str]) -> Path:
    """Write trajectories in the documented format, atomically; returns the path written."""
    path = Path(path)
    if path.suffix != ".npz":
        path = path.with_suffix(path.suffix + ".npz") if path.suffix else path.with_suffix(".npz")
    path.parent.mkdir(parents=True, exist_ok=True)
    steps = [obs for t in trajectories for obs in t.observations]
    if not steps:
        raise ValueError("no steps to save")
    arrays: dict[str, np.ndarray] = {f"obs/{k}": np.stack([o[k] for o in steps]) for k in steps[0]}
    arrays["actions"] = np.array([a for t in trajectories for a in t.actions], dtype=np.int64)
    arrays["rewards"] = np.array([r for t in trajectories for r in t.rewards], dtype=np.float32)
    arrays["reward_terms"] = np.array([r for t in trajectories for r in t.reward_terms], dtype=np.float32)
    arrays["terminated"] = np.array([x for t in trajectories for x in t.terminated], dtype=bool)
    arrays["truncated"] = np.array([x for t in trajectories for x in t.truncated], dtype=bool)
    arrays["commands"] = np.array([c for t in trajectories for c in t.commands], dtype=str)
    starts = np.cumsum([0] + [len(t.actions) for t in trajectories[:-1]])
    arrays["episode_starts"] = starts.astype(np.int64)
    arrays["episode_info"] = np.array([json.dumps(t.info) for t in trajectories], dtype=str)
    write_atomic(path, lambda stream: np.savez_compressed(stream, **arrays))  # type: ignore[arg-type]
    return path


def load_demonstrations(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read a demonstrations file: the arrays, with ``obs`` as a dict and ``episode_info`` decoded. A file that is
    not one ``sheetrl demos`` wrote raises ``ValueError`` naming it and the problem."""
    try:
        with open_input(path) as handle:
            loaded = np.load(handle, allow_pickle=False)
            if not isinstance(loaded, np.lib.npyio.NpzFile):  # a .npy file: one array, nothing to close
                raise ValueError("it holds one array, not the arrays of a demonstrations file")
            with loaded as data:
                out: dict[str, Any] = {"obs": {}}
                for name in data.files:
                    if name.startswith("obs/"):
                        out["obs"][name[4:]] = data[name]
                    else:
                        out[name] = data[name]
        missing = [name for name in ("actions", "rewards", "terminated", "episode_starts", "episode_info")
                   if name not in out]
        if missing or not out["obs"]:
            raise ValueError(f"it has no {', '.join(missing) if missing else 'observations'}")
        out["episode_info"] = [loads_json(s) for s in out["episode_info"]]
    except UnsafeFileError as exc:
        raise ValueError(str(exc)) from None
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as exc:  # (a JSON error is a ValueError)
        reason = " ".join(str(exc).split()) or type(exc).__name__
        raise ValueError(f"{os.fspath(path)} is not a demonstrations file written by `sheetrl demos`: "
                         f"{reason}") from None
    return out
