"""Shared by the agent tests."""

from __future__ import annotations

import pytest
import torch


@pytest.fixture(autouse=True)
def one_torch_thread():
    """The test networks are tiny: one intra-op thread is faster than two, and immune to a busy machine's OpenMP
    spin-waits."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


def with_time_limit(pool, steps: int):
    """Wrap every environment of a pool in Gymnasium's TimeLimit, so episodes are cut (``truncated``) after
    ``steps`` steps: the environment itself never truncates (its budget is a terminal verdict), but a time limit
    around it does, and agents must bootstrap from the final observation there."""
    import numpy as np
    from gymnasium.wrappers import TimeLimit

    pool.envs = [TimeLimit(env, max_episode_steps=steps) for env in pool.envs]
    first = [env.reset(seed=i)[0] for i, env in enumerate(pool.envs)]
    pool.obs = {key: np.stack([obs[key] for obs in first]) for key in first[0]}
    return pool
