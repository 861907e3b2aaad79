"""Real observations from the environment, batched as tensors, shared by the model tests."""

from __future__ import annotations

import gymnasium as gym
import numpy as np
import pytest
import torch

import sheetrl.env  # noqa: F401  (registers the environments)
from sheetrl.models.spaces import ObservationSizes


@pytest.fixture(autouse=True)
def one_torch_thread():
    """One intra-op thread: faster than two for these small batches, and immune to a busy machine's OpenMP
    spin-waits."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def collect(env_id: str, count: int, seed: int = 0) -> tuple[gym.Env, list[dict[str, np.ndarray]]]:
    """``count`` observations of a random legal walk (episodes restart when they end)."""
    env = gym.make(env_id)
    rng = np.random.default_rng(seed)
    observation, _ = env.reset(seed=seed)
    observations = []
    while len(observations) < count:
        observations.append(observation)
        action = int(rng.choice(np.flatnonzero(observation["action_mask"])))
        observation, _, terminated, truncated, _ = env.step(action)
        if terminated or truncated:
            observation, _ = env.reset()
    return env, observations


def stack(observations: list[dict[str, np.ndarray]]) -> dict[str, torch.Tensor]:
    return {key: torch.as_tensor(np.stack([o[key] for o in observations])) for key in observations[0]}


@pytest.fixture(scope="session")
def simple_formula() -> tuple[gym.Env, dict[str, torch.Tensor]]:
    """sheetrl/SimpleFormula-v1 and a batch of 6 of its observations."""
    env, observations = collect("sheetrl/SimpleFormula-v1", 6)
    return env, stack(observations)


@pytest.fixture(scope="session")
def with_formulas() -> tuple[gym.Env, dict[str, torch.Tensor]]:
    """sheetrl/MultiCellFormula-v1 and a batch of 8 observations, 4 of them with dependency edges (formulas
    that read other cells) and 4 without."""
    env, observations = collect("sheetrl/MultiCellFormula-v1", 400, seed=1)
    cells = observations[0]["grid"].shape[1] * observations[0]["grid"].shape[2]
    with_edges = [o for o in observations if (o["edges"][0] < cells).any()]
    without = [o for o in observations if not (o["edges"][0] < cells).any()]
    assert len(with_edges) >= 4 and len(without) >= 4
    return env, stack(with_edges[:4] + without[:4])


@pytest.fixture(scope="session")
def sizes(simple_formula: tuple[gym.Env, dict[str, torch.Tensor]]) -> ObservationSizes:
    env, _ = simple_formula
    return ObservationSizes.from_spaces(env.observation_space, env.action_space)
