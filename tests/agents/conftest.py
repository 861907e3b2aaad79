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


def vector_env(n: int, config, seed: int):
    """``n`` environments of ``config`` in a :class:`SheetVectorEnv`, reset with ``seed`` (as the runner does)."""
    from sheetrl.env.vector import SheetVectorEnv

    envs = SheetVectorEnv(config, n)
    envs.reset(seed=seed)
    return envs


def with_time_limit(n: int, config, steps: int):
    """``n`` environments, each in Gymnasium's TimeLimit, so episodes are cut (``truncated``) after ``steps``
    steps: the environment itself never truncates (its budget is a terminal verdict), but a time limit around it
    does, and agents must bootstrap from the final observation there. Environment ``i`` is seeded ``i``."""
    from gymnasium.wrappers import TimeLimit

    from sheetrl.env.spreadsheet_env import SpreadsheetEnv
    from sheetrl.env.vector import SheetVectorEnv

    envs = SheetVectorEnv([lambda: TimeLimit(SpreadsheetEnv(config=config), max_episode_steps=steps)] * n)
    envs.reset(seed=list(range(n)))
    return envs
