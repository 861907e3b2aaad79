"""Learning agents, one readable file per algorithm.

Each algorithm module exposes:

- ``Config``: a dataclass of its hyper-parameters, every field with a one-line comment; its defaults are the
  seed document's sizes (the ``seed`` preset) and it has a ``num_envs`` field (environments in the pool);
- ``PRESETS``: ``{"quick": Config(...), "seed": Config(...)}`` — ``quick`` trains in minutes on a CPU;
- ``build(config, observation_space, action_space, device, precision, seed) -> Agent``.
- ``observation_keys(config)`` or ``OBSERVATION_KEYS`` (optional): the observation keys the agent reads; the
  runner's environments compute only those (``EnvConfig.observation_keys``), all of them when both are absent.

:func:`algorithm` returns the module of a name in :data:`ALGORITHMS`.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from sheetrl.agents.base import non_finite_parameter

__all__ = ["ALGORITHMS", "algorithm", "non_finite_parameter"]

ALGORITHMS = {
    "tabular_q": "sheetrl.agents.tabular_q",
    "dqn": "sheetrl.agents.dqn",
    "ppo": "sheetrl.agents.ppo",
    "alphazero": "sheetrl.agents.alphazero",
    "hierarchical": "sheetrl.agents.hierarchical",
    "bc": "sheetrl.agents.bc",
}


def algorithm(name: str) -> ModuleType:
    """The module implementing an algorithm."""
    if name not in ALGORITHMS:
        raise ValueError(f"unknown algorithm {name!r}; choose one of {', '.join(ALGORITHMS)}")
    return importlib.import_module(ALGORITHMS[name])
