"""An ensemble plays the mean of its members' policies: the mixture on hand-made members, greedy play, sampling,
search on top, and the members it refuses."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from sheetrl.agents import ppo, tabular_q
from sheetrl.agents.alphazero import search_policy
from sheetrl.agents.ensemble import EnsembleAgent
from sheetrl.env.spreadsheet_env import EnvConfig
from sheetrl.models.precision import Precision
from sheetrl.train.evaluate import run_episodes

from .conftest import vector_env


class FixedPolicy:
    """A member whose prior logits and value are given (its ``search_evaluation``)."""

    name = "fixed"

    def __init__(self, logits: list[float], value: float) -> None:
        self.logits = np.asarray(logits, dtype=np.float64)
        self.value = value

    def search_evaluation(self, observation: dict[str, Any]) -> tuple[np.ndarray, float]:
        return self.logits, self.value


def test_the_mixture_is_the_mean_of_the_members_probabilities_over_the_legal_actions() -> None:
    # member 1: softmax(ln 3, 0, ln 1) over actions 0 and 1 -> (3/4, 1/4); member 2 -> (1/4, 3/4) there;
    # action 2 is illegal and gets 0 whatever the logits say.
    first = FixedPolicy([np.log(3.0), 0.0, 50.0], value=1.0)
    second = FixedPolicy([0.0, np.log(3.0), 50.0], value=3.0)
    ensemble = EnsembleAgent([first, second])
    probabilities, value = ensemble.mixture({"flat": np.zeros(3), "action_mask": np.asarray([True, True, False])})
    np.testing.assert_allclose(probabilities, [0.5, 0.5, 0.0])
    assert value == pytest.approx(2.0)
    logits, value = ensemble.search_evaluation({"flat": np.zeros(3), "action_mask": np.asarray([True, True, False])})
    np.testing.assert_allclose(np.exp(logits[:2]), [0.5, 0.5])
    assert np.isfinite(logits).all()


def test_greedy_play_takes_the_mixtures_best_action_where_no_member_agrees() -> None:
    # Each member prefers its own action (0 or 1) a little, and both give action 2 a large second place: the
    # mixture's best is 2, which neither member plays alone.
    first = FixedPolicy([np.log(0.45), np.log(0.10), np.log(0.40), np.log(0.05)], value=0.0)
    second = FixedPolicy([np.log(0.10), np.log(0.45), np.log(0.40), np.log(0.05)], value=0.0)
    ensemble = EnsembleAgent([first, second])
    assert ensemble.act({"flat": np.zeros((1, 3))}, np.asarray([[True] * 4]), deterministic=True).tolist() == [2]
    # with action 2 illegal each member renormalizes over 0, 1 and 3: (0.75, 0.17, -, 0.08) and (0.17, 0.75, -,
    # 0.08); a third member that prefers 1 tips the mixture there
    third = FixedPolicy([np.log(0.30), np.log(0.60), np.log(0.05), np.log(0.05)], value=0.0)
    legal = np.asarray([[True, True, False, True]])
    assert EnsembleAgent([first, second, third]).act({"flat": np.zeros((1, 3))}, legal, True).tolist() == [1]


def test_sampled_play_draws_from_the_mixture_and_repeats_with_the_seed() -> None:
    first = FixedPolicy([0.0, -50.0, -50.0], value=0.0)  # always action 0
    second = FixedPolicy([-50.0, -50.0, 0.0], value=0.0)  # always action 2
    masks = np.ones((4000, 3), dtype=bool)
    obs = {"flat": np.zeros((4000, 3))}
    draws = EnsembleAgent([first, second], seed=7).act(obs, masks)
    counts = np.bincount(draws, minlength=3) / len(draws)
    np.testing.assert_allclose(counts, [0.5, 0.0, 0.5], atol=0.03)
    assert (EnsembleAgent([first, second], seed=7).act(obs, masks) == draws).all()


def _ppo(seed: int) -> tuple[Any, Any]:
    pool = vector_env(2, EnvConfig(level=1), seed)
    agent = ppo.build(ppo.Config(num_envs=2, num_steps=8, num_minibatches=1, hidden_sizes=(32, 32)),
                      pool.single_observation_space, pool.single_action_space, "cpu", Precision("fp32", "cpu"), seed)
    return agent, pool


def test_trained_members_mix_their_action_probabilities_and_an_ensemble_of_one_agent_is_that_agent() -> None:
    first, pool = _ppo(1)
    second, _ = _ppo(2)
    mixed = EnsembleAgent([first, second]).action_probabilities(pool.obs, pool.masks)
    expected = sum(member.action_probabilities(pool.obs, pool.masks) for member in (first, second)) / 2
    np.testing.assert_allclose(mixed, expected, atol=1e-6)
    twice = EnsembleAgent([first, first])
    assert (twice.act(pool.obs, pool.masks, deterministic=True) == first.act(pool.obs, pool.masks, True)).all()


def test_search_plays_on_top_of_an_ensemble() -> None:
    first, _ = _ppo(3)
    second, _ = _ppo(4)
    policy = search_policy(EnsembleAgent([first, second]), simulations=4)
    result = run_episodes(policy, 1, 2, split="ood", batch=2)
    assert result.episodes == 2 and len(policy.seconds) == round(result.mean_length * 2)


def test_an_ensemble_needs_two_members_with_a_policy_that_discount_alike() -> None:
    from sheetrl.agents import alphazero

    first, pool = _ppo(5)
    with pytest.raises(ValueError, match="at least two agents, not 1"):
        EnsembleAgent([first])
    table = tabular_q.build(tabular_q.Config(num_envs=2), pool.single_observation_space, pool.single_action_space,
                            "cpu", Precision("fp32", "cpu"), 5)
    with pytest.raises(ValueError, match="every run of an ensemble needs a policy network; a tabular_q agent has none"):
        EnsembleAgent([first, table])
    searcher = alphazero.build(alphazero.Config(num_envs=2, simulations=2, hidden_sizes=(32, 32)),
                               pool.single_observation_space, pool.single_action_space, "cpu",
                               Precision("fp32", "cpu"), 5)
    with pytest.raises(ValueError, match="an alphazero run plays with its own search"):
        EnsembleAgent([first, searcher])
    pool2 = vector_env(2, EnvConfig(level=1), 6)
    short = ppo.build(ppo.Config(num_envs=2, num_steps=8, num_minibatches=1, hidden_sizes=(32, 32), gamma=0.5),
                      pool2.single_observation_space, pool2.single_action_space, "cpu", Precision("fp32", "cpu"), 6)
    with pytest.raises(ValueError, match=r"must discount alike .* gamma 0\.5, 0\.99"):
        EnsembleAgent([first, short])
    second = ppo.build(ppo.Config(num_envs=2, num_steps=8, num_minibatches=1, hidden_sizes=(32, 32), gamma=0.5),
                       pool2.single_observation_space, pool2.single_action_space, "cpu", Precision("fp32", "cpu"), 7)
    assert search_policy(EnsembleAgent([short, second]), simulations=2).config.gamma == 0.5  # the members' own


def test_a_hierarchical_member_mixes_its_joint_policy_batched_as_row_by_row() -> None:
    from sheetrl.agents import hierarchical

    config = hierarchical.Config(num_envs=2, num_steps=16, num_minibatches=2, update_epochs=2, hidden_sizes=(32, 32),
                                 meta_hidden_sizes=(16, 16))
    pool = vector_env(2, EnvConfig(level=5), 8)
    tree = hierarchical.build(config, pool.single_observation_space, pool.single_action_space, "cpu",
                              Precision("fp32", "cpu"), 8)
    flat, _ = _ppo(8)
    flat_pool = vector_env(2, EnvConfig(level=5), 8)
    ensemble = EnsembleAgent([tree, flat])
    batched = ensemble.action_probabilities(flat_pool.obs, flat_pool.masks)
    for row in range(2):
        observation = {key: value[row] for key, value in flat_pool.obs.items()}
        np.testing.assert_allclose(batched[row], ensemble.mixture(observation)[0], atol=1e-6)
    assert np.allclose(batched.sum(-1), 1.0) and (batched[~flat_pool.masks] == 0).all()
