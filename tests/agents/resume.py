"""The exact-resume protocol every agent's test runs: train, save midway, train on; then a fresh agent and pool
built from another seed load the checkpoint and the pool snapshot and train the same number of iterations."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import torch

from sheetrl.env.vector import SheetVectorEnv


def train_straight_and_resumed(make: Callable[[int], tuple[Any, SheetVectorEnv]], seed: int, other_seed: int,
                               iterations: int, checkpoint: Path) -> tuple[Any, SheetVectorEnv, Any, SheetVectorEnv]:
    """``make(seed) -> (agent, pool)``. Returns (straight agent, its pool, resumed agent, its pool) after both
    have taken ``2 * iterations`` training iterations, the resumed one half before and half after the checkpoint."""
    straight, straight_pool = make(seed)
    for _ in range(iterations):
        straight.train_iteration(straight_pool)
    straight.save(checkpoint)
    pool_state = straight_pool.get_state()
    for _ in range(iterations):
        straight.train_iteration(straight_pool)

    resumed, resumed_pool = make(other_seed)  # other weights and RNGs: everything must come from the checkpoint
    torch.rand(100), np.random.rand(100), random.random()  # and the global RNGs are disturbed
    resumed.load(checkpoint)
    resumed_pool.set_state(pool_state)
    for _ in range(iterations):
        resumed.train_iteration(resumed_pool)
    return straight, straight_pool, resumed, resumed_pool
