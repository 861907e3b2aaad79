"""The hierarchical agent: action groups, the options' semi-Markov advantages by hand, specialists acting only
within their actions, options returning control, and exact resume."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from sheetrl.agents import hierarchical
from sheetrl.agents.hierarchical import (
    SPECIALIST_NAMES,
    Config,
    action_groups,
    option_advantages,
)
from sheetrl.env.actions import MACRO_INDEX, MACROS
from sheetrl.env.spreadsheet_env import EnvConfig
from sheetrl.env.vector import SheetVectorEnv
from sheetrl.models.precision import Precision
from tests.agents.resume import train_straight_and_resumed

from .conftest import vector_env

SMALL = Config(num_envs=2, num_steps=16, num_minibatches=2, update_epochs=2, hidden_sizes=(32, 32),
               meta_hidden_sizes=(16, 16), option_max_steps=3)


def make(seed: int, config: Config = SMALL, level: int = 1) -> tuple[hierarchical.HierarchicalAgent, SheetVectorEnv]:
    pool = vector_env(config.num_envs, EnvConfig(level=level), seed)
    agent = hierarchical.build(config, pool.single_observation_space, pool.single_action_space, "cpu",
                               Precision("fp32", "cpu"), seed)
    return agent, pool


def test_every_macro_belongs_to_exactly_one_group() -> None:
    own, allowed = action_groups()
    shared = allowed & ~own
    assert own.sum(0).max() == 1  # no action is two specialists' own
    assert np.all(own.any(0) | shared[0])  # every action is someone's own or shared
    assert own.shape == (3, len(MACROS))
    formula, layout, data = (SPECIALIST_NAMES.index(s) for s in ("formula", "layout", "data"))
    assert own[formula, MACRO_INDEX["sum_above"]] and own[layout, MACRO_INDEX["bold"]]
    assert own[data, MACRO_INDEX["write_instructed_value"]]
    assert all(allowed[s, MACRO_INDEX["done"]] and not own[s, MACRO_INDEX["done"]] for s in range(3))


def test_option_advantages_by_hand() -> None:
    # Two options: the first lasts 2 steps (discounted reward 1.0), the second 1 step (2.0) and ends the episode.
    advantages, returns = option_advantages(np.array([1.0, 2.0]), np.array([2, 1]), np.array([0.5, 1.0]),
                                            np.array([False, True]), last_value=9.0, gamma=0.5, lam=1.0)
    # Second: delta = 2 - 1 = 1 (no bootstrap). First: delta = 1 + 0.5^2 * 1.0 - 0.5 = 0.75; A = 0.75 + 0.25 * 1.
    np.testing.assert_allclose(advantages, [1.0, 1.0])
    np.testing.assert_allclose(returns, [1.5, 2.0])
    # An option cut by the rollout bootstraps from the value of the next choice: 3 + 0.5 * 4 - 1 = 4.
    advantages, _ = option_advantages(np.array([3.0]), np.array([1]), np.array([1.0]), np.array([False]),
                                      last_value=4.0, gamma=0.5, lam=0.9)
    np.testing.assert_allclose(advantages, [4.0])


def test_specialists_act_within_their_actions_and_return_control() -> None:
    agent, pool = make(3, level=5)
    steps, options, metrics = agent.collect(pool)
    allowed = agent.allowed[steps["specialist"]]
    assert torch.all(~steps["mask"] | allowed)  # a specialist's mask never opens another's action
    assert torch.all(steps["mask"].gather(1, steps["action"][:, None]).squeeze(1))  # every action was legal
    lengths = metrics["meta/option_length"]
    assert 1.0 <= lengths <= SMALL.option_max_steps
    assert sum(metrics[f"meta/{s}"] for s in SPECIALIST_NAMES) == pytest.approx(1.0)
    assert len(options["specialist"]) >= SMALL.num_envs * SMALL.num_steps / SMALL.option_max_steps
    # Every option ended by its specialist's own action, its step limit, the episode or the rollout's end.
    own_ends = steps["option_end"] & agent.own[steps["specialist"], steps["action"]]
    assert own_ends.any()


def test_meta_controller_masks_specialists_without_a_legal_action() -> None:
    agent, _ = make(1)
    masks = torch.zeros(2, len(MACROS), dtype=torch.bool)
    masks[0, MACRO_INDEX["bold"]] = True  # only the layout specialist has an own action
    masks[1, MACRO_INDEX["done"]] = True  # nobody has one: everyone may be chosen
    meta = agent.meta_mask(masks)
    assert meta[0].tolist() == [name == "layout" for name in SPECIALIST_NAMES]
    assert meta[1].all()


def test_exact_resume(tmp_path: Path) -> None:
    straight, straight_pool, resumed, resumed_pool = train_straight_and_resumed(
        lambda seed: make(seed), 5, 6, 2, tmp_path / "agent.pt")
    for (key, a), b in zip(straight.networks.state_dict().items(), resumed.networks.state_dict().values()):
        assert torch.equal(a, b), key
    for key in straight_pool.obs:
        np.testing.assert_array_equal(straight_pool.obs[key], resumed_pool.obs[key])
