"""Checkpoints: everything a run needs to continue exactly, written so that a crash never loses the last one.

A run folder keeps two files: ``checkpoint.pt`` (the latest) and ``checkpoint.prev.pt`` (the one before).
:func:`save_checkpoint` first renames the latest to the previous name (an atomic rename), then writes the new one
with :func:`~sheetrl.agents.base.atomic_torch_save` (a temporary file in the same folder, fsync, rename). Whenever
the process dies, at least one complete checkpoint is on disk, and :func:`load_latest` falls back to the previous
file when the latest is missing, truncated or corrupt.

The payload is one dict (``torch.save``'d; load it with ``weights_only=False`` — only load run folders you made):

==============  ==================================================================================================
``format``      ``"sheetrl-checkpoint"``; ``version``: :data:`FORMAT_VERSION`
``config``      the :class:`~sheetrl.train.config.TrainConfig` as a dict
``agent``       ``{"name": agent.name, "config": the algorithm Config as a dict, "state": agent.state_dict()}``
``pool``        :meth:`SheetVectorEnv.get_state` (every environment's RNGs, curriculum and current episode)
``counters``    ``{"env_steps", "episodes", "iterations"}``
``runner``      the runner's own bookkeeping (rolling success windows, pending metric sums, training seconds)
``rng``         ``{"python", "numpy", "torch", "cuda"}``: the global generators' states
``flat_layout`` :func:`~sheetrl.env.observation.flat_fingerprint` when saved: a run whose networks learnt another
                layout of the ``flat`` observation is refused on loading (its network would misread every state)
``saved_at``    ISO time of the save
==============  ==================================================================================================
"""

from __future__ import annotations

import random
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import torch

from sheetrl.agents.base import atomic_torch_save, reads_flat, torch_load_file
from sheetrl.env.observation import LAYOUT_BEFORE_FINGERPRINTS, flat_fingerprint
from sheetrl.train.config import TrainError

CHECKPOINT_FILE = "checkpoint.pt"
PREVIOUS_FILE = "checkpoint.prev.pt"
FORMAT = "sheetrl-checkpoint"
FORMAT_VERSION = 1
# The temporary files of a save that never finished: write_atomic's hidden ones, and older versions' names.
STALE_TEMPORARY_PATTERNS = (".checkpoint*.tmp", "checkpoint*.tmp")
REQUIRED_KEYS = ("config", "agent", "pool", "counters", "runner", "rng")


class CheckpointError(TrainError):
    """No usable checkpoint (the message says what was tried and why it failed)."""


def save_checkpoint(run_dir: str | Path, payload: dict[str, Any]) -> Path:
    """Write ``payload`` as the run's latest checkpoint, keeping the current latest as the previous one."""
    run_dir = Path(run_dir)
    run_dir.mkdir(parents=True, exist_ok=True)
    for pattern in STALE_TEMPORARY_PATTERNS:  # left by a process killed mid-save
        for stale in run_dir.glob(pattern):
            stale.unlink(missing_ok=True)
    latest, previous = run_dir / CHECKPOINT_FILE, run_dir / PREVIOUS_FILE
    payload = dict(payload, format=FORMAT, version=FORMAT_VERSION, flat_layout=flat_fingerprint(),
                   saved_at=datetime.now(UTC).isoformat(timespec="seconds"))
    if latest.exists():
        latest.replace(previous)
    atomic_torch_save(payload, latest)
    return latest


def load_checkpoint(path: str | Path) -> dict[str, Any]:
    """Read and check one checkpoint file (raises :class:`CheckpointError`)."""
    path = Path(path)
    if not path.exists():
        raise CheckpointError(f"{path} does not exist")
    try:
        payload = torch_load_file(path)
    except OSError as exc:  # a named pipe or a device in the run folder, no permission, ...
        raise CheckpointError(f"{path} is unreadable ({exc.strerror or exc})") from None
    except Exception as exc:  # truncated zip, bad pickle, ...: all mean "this file is unusable"
        raise CheckpointError(f"{path} is unreadable ({type(exc).__name__}: {exc})") from None
    if not isinstance(payload, dict) or payload.get("format") != FORMAT:
        raise CheckpointError(f"{path} is not a sheetrl checkpoint")
    if payload.get("version") != FORMAT_VERSION:
        raise CheckpointError(f"{path} has checkpoint format version {payload.get('version')}; this sheetrl "
                              f"reads version {FORMAT_VERSION}")
    missing = [key for key in REQUIRED_KEYS if key not in payload]
    if missing:
        raise CheckpointError(f"{path} lacks {', '.join(missing)}")
    problem = _damage(payload)
    if problem:
        raise CheckpointError(f"{path} is damaged: {problem}")
    return payload


def _damage(payload: dict[str, Any]) -> str | None:
    """What is wrong with the structure of a checkpoint's payload (None: nothing); what the agent's state holds is
    checked when it is loaded (:func:`~sheetrl.train.runner.load_agent_state`)."""
    for key in ("config", "agent", "pool", "runner", "rng"):
        if not isinstance(payload[key], dict):
            return f"its {key} is a {type(payload[key]).__name__}, not a mapping"
    counters = payload["counters"]
    if not isinstance(counters, dict):
        return f"its counters are a {type(counters).__name__}, not a mapping"
    steps = counters.get("env_steps")  # (the rest of the counters are checked as a run loads them)
    if isinstance(steps, bool) or not isinstance(steps, int) or steps < 0:
        return f"its counter env_steps is {steps!r}, not a whole number"
    return None


def load_latest(run_dir: str | Path) -> tuple[dict[str, Any], Path]:
    """The newest usable checkpoint of a run and its path: ``checkpoint.pt``, else ``checkpoint.prev.pt``."""
    run_dir = Path(run_dir)
    if run_dir.exists() and not run_dir.is_dir():
        raise CheckpointError(f"run folder {run_dir} is a file, not a folder")
    if not run_dir.is_dir():
        raise CheckpointError(f"run folder {run_dir} does not exist")
    problems = []
    for name in (CHECKPOINT_FILE, PREVIOUS_FILE):
        try:
            payload = load_checkpoint(run_dir / name)
        except CheckpointError as exc:
            problems.append(str(exc))
            continue
        check_flat_layout(payload, run_dir)
        return payload, run_dir / name
    raise CheckpointError(f"no usable checkpoint in {run_dir}: " + "; ".join(problems))


def check_flat_layout(payload: dict[str, Any], run_dir: str | Path) -> None:
    """Refuse a checkpoint whose networks learnt another layout of the ``flat`` observation than this version
    builds (a network reads floats by position; it would misread every state)."""
    saved = payload.get("flat_layout", LAYOUT_BEFORE_FINGERPRINTS)
    current = flat_fingerprint()
    agent = payload.get("agent")
    if saved != current and reads_flat(agent.get("config") if isinstance(agent, dict) else None):
        raise CheckpointError(f"the run in {run_dir} learnt another layout of the flat observation (layout {saved}; "
                              f"this version of sheetrl builds {current}): train it again with this version")


def has_checkpoint(run_dir: str | Path) -> bool:
    run_dir = Path(run_dir)
    return (run_dir / CHECKPOINT_FILE).exists() or (run_dir / PREVIOUS_FILE).exists()


def capture_rng_states() -> dict[str, Any]:
    """The global python, numpy and torch (CPU and CUDA) generator states."""
    return {
        "python": random.getstate(),
        "numpy": np.random.get_state(),
        "torch": torch.get_rng_state(),
        "cuda": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None,
    }


def restore_rng_states(states: dict[str, Any]) -> None:
    """Undo :func:`capture_rng_states` (CUDA states only where CUDA is present)."""
    random.setstate(states["python"])
    np.random.set_state(states["numpy"])
    torch.set_rng_state(states["torch"])
    if states.get("cuda") is not None and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(states["cuda"])
