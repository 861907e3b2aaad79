"""AlphaZero: the search's maths on hand-computed numbers, search on a tiny task with a known best action, the
training targets, the ranked reward, clones that never leak, warm start and exact resume."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from sheetrl.agents import alphazero
from sheetrl.agents.alphazero import (
    Config,
    Node,
    RankedReward,
    SearchConfig,
    completed_q,
    considered_visit_sequence,
    gumbel_root_action,
    improved_policy,
    rollout_value,
    run_search,
    search_policy,
    sigma,
)
from sheetrl.env.actions import MACRO_INDEX
from sheetrl.env.spreadsheet_env import SpreadsheetEnv
from sheetrl.env.vector import SheetVectorEnv
from sheetrl.models.precision import Precision
from sheetrl.train.evaluate import run_episodes
from tests.agents.resume import train_straight_and_resumed

from .conftest import vector_env


# --------------------------------------------------------------------------------------------- a tiny task
class TrapChain:
    """Two moves of three actions; action 1 is illegal at the start. Playing 0 first pays 0.5 at once and
    nothing after; only the plan 2, 0 pays 1.0 (at its last move). The best first action is 2, though a greedy
    look at the first reward (and a prior that favours 0) says 0."""

    def __init__(self, path: tuple[int, ...] = ()) -> None:
        self.path = path

    def clone(self) -> TrapChain:
        return TrapChain(self.path)

    def action_masks(self) -> np.ndarray:
        return np.array([True, len(self.path) > 0, True])

    def observation(self) -> dict[str, np.ndarray]:
        return {"action_mask": self.action_masks().astype(np.int8)}

    def step(self, action: Any) -> tuple[dict[str, np.ndarray], float, bool, bool, dict[str, Any]]:
        assert self.action_masks()[action], "the search chose an illegal action"
        self.path = (*self.path, int(action))
        reward = 0.0
        if self.path == (0,):
            reward = 0.5
        elif self.path == (2, 0):
            reward = 1.0
        done = len(self.path) == 2
        return self.observation(), reward, done, False, {"is_success": self.path == (2, 0)}


def misleading_prior(observation: dict[str, np.ndarray]) -> tuple[np.ndarray, float]:
    return np.array([1.0, 0.0, 0.0]), 0.0  # prefers action 0, values every state at 0


@pytest.mark.parametrize("method", ["puct", "gumbel"])
def test_search_on_a_tiny_task_finds_the_known_best_action(method: str) -> None:
    env = TrapChain()
    config = SearchConfig(simulations=100, method=method, value_target="return", gamma=1.0)
    result = run_search(env, env.observation(), misleading_prior, config)
    assert result.action == 2
    assert env.path == ()  # the searched moves happened on clones
    assert result.visits[1] == 0  # the illegal action was never tried
    assert result.root.children[2].children[0].reward == 1.0


def test_search_with_one_simulation_and_no_noise_plays_the_prior() -> None:
    env = TrapChain()
    result = run_search(env, env.observation(), misleading_prior, SearchConfig(simulations=1, value_target="return"))
    assert result.action == 0


def test_ranked_search_prefers_the_solving_plan() -> None:
    """With the ranked value target a terminal state is worth its ranked outcome: the solving path (+1 when tied
    with the threshold and solved) beats paths below the threshold (-1)."""
    ranked = RankedReward(10, 75.0)
    for value in (0.5, 0.5, 1.0, 1.0):
        ranked.record(value)
    env = TrapChain()
    config = SearchConfig(simulations=100, method="puct", value_target="ranked")
    result = run_search(env, env.observation(), misleading_prior, config, ranked=ranked)
    assert ranked.threshold() == 1.0
    assert result.action == 2


# ------------------------------------------------------------------------------------- greedy rollouts
def test_a_greedy_rollout_scores_a_state_by_what_the_policy_then_does() -> None:
    """From (2,) the greedy policy (prior favouring 0) plays 0 and is paid 1.0; from (0,) it plays 0 and gets
    nothing more. Both rollouts step clones: the nodes' environments stay where they were."""
    config = SearchConfig(value_target="return", gamma=0.9, rollout_weight=1.0)
    after_two = Node(TrapChain((2,)), TrapChain((2,)).observation(), 0.0, False, False, 0.0)
    after_zero = Node(TrapChain((0,)), TrapChain((0,)).observation(), 0.5, False, False, 0.5)
    assert rollout_value(after_two, misleading_prior, config, None) == 1.0
    assert rollout_value(after_zero, misleading_prior, config, None) == 0.0
    assert after_two.env.path == (2,) and after_zero.env.path == (0,)
    ranked = RankedReward(10, 75.0)
    for value in (0.5, 0.5, 1.0, 1.0):
        ranked.record(value)  # threshold 1.0
    config = SearchConfig(value_target="ranked", rollout_weight=1.0)
    assert rollout_value(after_two, misleading_prior, config, ranked) == 1.0  # return 1.0, on it and solved
    assert rollout_value(after_zero, misleading_prior, config, ranked) == -1.0  # return 0.5, below it


def test_a_discounted_rollout_on_hand_computed_numbers() -> None:
    """A three-step chain paying 1, 2 and 4: the rollout's value is 1 + 0.5 * 2 + 0.25 * 4 = 3."""

    class Chain:
        def __init__(self, steps: int = 0) -> None:
            self.steps = steps

        def clone(self) -> Chain:
            return Chain(self.steps)

        def action_masks(self) -> np.ndarray:
            return np.array([True])

        def step(self, action: Any) -> tuple[dict[str, np.ndarray], float, bool, bool, dict[str, Any]]:
            self.steps += 1
            return ({"action_mask": np.array([1], dtype=np.int8)}, float(2 ** (self.steps - 1)), self.steps == 3,
                    False, {})

    node = Node(Chain(), {"action_mask": np.array([1], dtype=np.int8)}, 0.0, False, False, 0.0)
    config = SearchConfig(value_target="return", gamma=0.5, rollout_weight=1.0)
    assert rollout_value(node, lambda observation: (np.zeros(1), 0.0), config, None) == 3.0


def test_a_rollout_that_never_ends_is_refused_not_looped_forever(monkeypatch: pytest.MonkeyPatch) -> None:
    class Endless:
        def clone(self) -> Endless:
            return Endless()

        def action_masks(self) -> np.ndarray:
            return np.array([True])

        def step(self, action: Any) -> tuple[dict[str, np.ndarray], float, bool, bool, dict[str, Any]]:
            return {"action_mask": np.array([1], dtype=np.int8)}, 0.0, False, False, {}

    monkeypatch.setattr(alphazero, "ROLLOUT_STEP_LIMIT", 50)
    node = Node(Endless(), {"action_mask": np.array([1], dtype=np.int8)}, 0.0, False, False, 0.0)
    with pytest.raises(ValueError, match="ran 50 steps and the episode did not end"):
        rollout_value(node, lambda observation: (np.zeros(1), 0.0), SearchConfig(value_target="return"), None)


@pytest.mark.parametrize("weight, expected", [(0.0, 0), (1.0, 2)])
def test_rollouts_find_the_plan_a_blind_value_network_misses(weight: float, expected: int) -> None:
    """Two simulations: each of the two considered root actions is tried once. The network values every state at
    0, so without rollouts the 0.5 paid at once for action 0 wins; a rollout from (2,) sees the 1.0 that follows."""
    env = TrapChain()
    config = SearchConfig(simulations=2, value_target="return", gamma=1.0, rollout_weight=weight)
    result = run_search(env, env.observation(), misleading_prior, config)
    assert result.action == expected
    assert env.path == ()
    assert result.root.children[2].raw_value == weight * 1.0  # (1 - w) * network's 0 + w * the rollout's 1.0


@pytest.mark.parametrize("method", ["puct", "gumbel"])
@pytest.mark.parametrize("weight", [0.0, 0.5, 1.0])
def test_the_root_is_scored_with_a_rollout_as_every_searched_state(method: str, weight: float) -> None:
    """The root's value enters the search (the completed Q of unvisited root actions, the PUCT normalization, the
    reported root value): it mixes in its rollout as every expanded state does. From the root the greedy policy
    plays 0 (0.5) then 0 (nothing), so its rollout is worth 0.5 and the network's blind 0 becomes weight * 0.5; one
    simulation visits action 0 (0.5 on the edge, a state worth 0 either way)."""
    env = TrapChain()
    config = SearchConfig(simulations=1, method=method, value_target="return", gamma=1.0, rollout_weight=weight)
    result = run_search(env, env.observation(), misleading_prior, config)
    assert env.path == ()
    assert result.root.raw_value == weight * 0.5
    assert result.root_value == pytest.approx((weight * 0.5 + 0.5) / 2)
    ranked = RankedReward(10, 75.0)
    for value in (0.5, 0.5, 1.0, 1.0):
        ranked.record(value)  # threshold 1.0: the root's rollout (return 0.5) is below it, -1
    config = SearchConfig(simulations=1, method=method, value_target="ranked", rollout_weight=weight)
    result = run_search(env, env.observation(), misleading_prior, config, ranked=ranked)
    assert result.root.raw_value == weight * -1.0


def test_the_rollout_weight_must_be_a_share() -> None:
    for bad in (-0.1, 1.5, float("nan"), True, "half"):
        with pytest.raises(ValueError, match="rollout_weight"):
            SearchConfig(rollout_weight=bad)
        with pytest.raises(ValueError, match="rollout_weight"):
            Config(rollout_weight=bad)
    assert Config(rollout_weight=0.5).search_config().rollout_weight == 0.5


def test_search_with_rollouts_on_top_of_a_policy_plays_real_episodes() -> None:
    """Rollouts on the spreadsheet environment: the episodes finish, and an alphazero agent's own search takes
    the weight asked of it."""
    from sheetrl.agents import ppo
    from sheetrl.env.spreadsheet_env import EnvConfig

    pool = vector_env(1, EnvConfig(level=1), 0)
    teacher = ppo.build(ppo.Config(num_envs=1, num_steps=8, num_minibatches=1, hidden_sizes=(32, 32)),
                        pool.single_observation_space, pool.single_action_space, "cpu", Precision("fp32", "cpu"), 5)
    policy = search_policy(teacher, simulations=3, rollout_weight=0.5)
    assert policy.config.rollout_weight == 0.5
    result = run_episodes(policy, 1, 2, split="ood", batch=2, max_steps=6)
    assert result.episodes == 2 and result.mean_length >= 1
    agent, _ = make_agent(small_config(), seed=1)
    assert search_policy(agent, 4, rollout_weight=0.25).config.rollout_weight == 0.25
    assert search_policy(agent, 4).config.rollout_weight == 0.0
    with pytest.raises(ValueError, match="rollout_weight"):
        search_policy(teacher, 4, rollout_weight=2.0)


# ------------------------------------------------------------------------------------- Gumbel, by hand
def hand_node() -> Node:
    """Legal actions 0-2 (3 is illegal); prior softmax([0, ln 2, 0]) = [0.25, 0.5, 0.25]; action 0 visited once
    with value 0.5, action 2 once with -0.5, action 1 never; the network's value 0.2."""
    node = Node(TrapChain(), {"action_mask": np.array([1, 1, 1, 0], dtype=np.int8)}, 0.0, False, False, 0.0)
    node.logits = np.array([0.0, math.log(2.0), 0.0, -1e9])
    node.raw_value = 0.2
    node.child_visits = np.array([1.0, 0.0, 1.0, 0.0])
    node.child_values = np.array([0.5, 0.0, -0.5, 0.0])
    return node


def test_completed_q_uses_the_mixed_value_and_rescales_over_legal_actions() -> None:
    # weighted visited Q = (0.25 * 0.5 + 0.25 * -0.5) / 0.5 = 0; mixed = (0.2 + 2 * 0) / 3 = 0.0667;
    # completed = [0.5, 0.0667, -0.5] rescaled by min -0.5, max 0.5.
    np.testing.assert_allclose(completed_q(hand_node()), [1.0, (0.2 / 3 + 0.5) / 1.0, 0.0, 0.0])


def test_sigma_scales_by_the_visits_and_c_scale() -> None:
    config = SearchConfig(value_scale=0.1, maxvisit_init=50.0)
    # (50 + max visits 1) * 0.1 * completed
    np.testing.assert_allclose(sigma(hand_node(), config), [5.1, 5.1 * (0.2 / 3 + 0.5), 0.0, 0.0])
    expected = np.exp([5.1, math.log(2.0) + 5.1 * (0.2 / 3 + 0.5), 0.0])
    np.testing.assert_allclose(improved_policy(hand_node(), config), [*(expected / expected.sum()), 0.0])


def test_gumbel_root_selection_on_hand_computed_scores() -> None:
    node, config = hand_node(), SearchConfig()
    gumbel = np.array([0.3, 1.0, 6.0, 9.0])
    considered = np.array([True, True, True, False])
    # Among the actions with one visit: 0 scores 0.3 + 0 + 5.1 = 5.4, 2 scores 6.0 + 0 + 0 = 6.0.
    assert gumbel_root_action(node, gumbel, considered, 1, config) == 2
    gumbel[2] = 5.0  # 2 now scores 5.0 < 5.4
    assert gumbel_root_action(node, gumbel, considered, 1, config) == 0
    # Among the unvisited considered actions only 1 remains (3 is illegal and not considered, whatever its noise).
    assert gumbel_root_action(node, gumbel, considered, 0, config) == 1


def test_sequential_halving_schedule() -> None:
    # 4 actions, 8 simulations: log2(4) = 2 phases; phase 1 gives each of 4 actions 8 // (2 * 4) = 1 visit,
    # phase 2 each of the best 2 another 8 // (2 * 2) = 2 visits.
    assert considered_visit_sequence(4, 8) == [0, 0, 0, 0, 1, 1, 2, 2]
    assert considered_visit_sequence(1, 3) == [0, 1, 2]
    assert considered_visit_sequence(16, 4) == [0, 0, 0, 0]


# ------------------------------------------------------------------------------------- the ranked reward
def test_ranked_reward_threshold_on_a_hand_made_buffer() -> None:
    ranked = RankedReward(capacity=10, percentile=75.0)
    assert ranked.outcome(3.0, solved=True) == 1.0 and ranked.outcome(3.0, solved=False) == -1.0  # no history yet
    for value in range(1, 11):
        ranked.record(float(value))
    assert ranked.threshold() == pytest.approx(7.75)  # linear interpolation between 7 and 8
    assert ranked.outcome(8.0, solved=False) == 1.0
    assert ranked.outcome(7.0, solved=True) == -1.0
    ranked.record(11.0)  # capacity 10: the 1 drops out
    assert ranked.returns[0] == 2.0
    assert ranked.threshold() == pytest.approx(8.75)

    tied = RankedReward(capacity=4, percentile=75.0)
    for _ in range(4):
        tied.record(5.0)
    assert tied.outcome(5.0, solved=True) == 1.0
    assert tied.outcome(5.0, solved=False) == 0.0  # inside a search: the coin's expectation
    coins = {tied.outcome(5.0, solved=False, rng=np.random.default_rng(seed)) for seed in range(20)}
    assert coins == {-1.0, 1.0}


# ------------------------------------------------------------------------------- on the real environment
def small_config(**changes: Any) -> Config:
    base = Config(num_envs=2, simulations=8, hidden_sizes=(32, 32), batch_size=8, replay_size=200,
                  ranked_buffer=20, updates_per_iteration=1)
    return Config(**{**base.__dict__, **changes})


def make_agent(config: Config, seed: int, level: int = 1) -> tuple[alphazero.AlphaZeroAgent, SheetVectorEnv]:
    from sheetrl.env.spreadsheet_env import EnvConfig

    pool = vector_env(config.num_envs, EnvConfig(level=level), seed)
    agent = alphazero.build(config, pool.single_observation_space, pool.single_action_space, "cpu",
                            Precision("fp32", "cpu"), seed)
    return agent, pool


@pytest.mark.parametrize("method", ["puct", "gumbel"])
def test_policy_targets_sum_to_one_over_legal_actions_only(method: str) -> None:
    agent, _ = make_agent(small_config(search=method), seed=3, level=2)
    env = SpreadsheetEnv(level=2)
    observation, _ = env.reset(seed=5)
    result = run_search(env, observation, agent.evaluator(), small_config(search=method).search_config(16),
                        ranked=agent.ranked, rng=np.random.default_rng(0), explore=True)
    mask = observation["action_mask"].astype(bool)
    assert result.policy.sum() == pytest.approx(1.0)
    assert np.all(result.policy[~mask] == 0.0) and np.all(result.visits[~mask] == 0)
    assert result.visits.sum() == 16
    stack = [result.root]  # every expanded edge of the tree was legal where it was taken
    while stack:
        node = stack.pop()
        assert all(node.mask[action] for action in node.children)
        stack.extend(node.children.values())


def test_search_clones_never_leak_into_the_real_episode() -> None:
    agent, _ = make_agent(small_config(), seed=1, level=5)
    env, reference = SpreadsheetEnv(level=5), SpreadsheetEnv(level=5)
    observation, _ = env.reset(seed=2)
    reference.reset(seed=2)
    assert env.task is not None
    search = small_config(search="puct").search_config(48)
    for name in env.task.expert_actions:
        result = run_search(env, observation, agent.evaluator(), search, ranked=agent.ranked,
                            rng=np.random.default_rng(0), explore=True)
        assert result.max_depth > 1  # the tree went past the root's children
        action = MACRO_INDEX[name]
        observation, reward, terminated, _, info = env.step(action)
        expected, expected_reward, expected_terminated, _, expected_info = reference.step(action)
        for key in expected:
            np.testing.assert_array_equal(observation[key], expected[key], err_msg=key)
        assert (reward, terminated) == (expected_reward, expected_terminated)
        if terminated:
            break
    assert info["is_success"] and expected_info["is_success"]
    assert env.get_state()["history"] == reference.get_state()["history"]


def test_exact_resume(tmp_path: Path) -> None:
    config = small_config(simulations=4)

    def make(seed: int) -> tuple[alphazero.AlphaZeroAgent, SheetVectorEnv]:
        return make_agent(config, seed)

    straight, straight_pool, resumed, resumed_pool = train_straight_and_resumed(make, 7, 8, 12,
                                                                               tmp_path / "agent.pt")
    assert len(straight.replay) >= config.batch_size  # updates happened on both sides of the checkpoint
    for (key, a), b in zip(straight.network.state_dict().items(), resumed.network.state_dict().values()):
        assert torch.equal(a, b), key
    for key in straight_pool.obs:
        np.testing.assert_array_equal(straight_pool.obs[key], resumed_pool.obs[key])
    assert list(straight.ranked.returns) == list(resumed.ranked.returns)
    assert straight.rng.bit_generator.state == resumed.rng.bit_generator.state


def test_a_transformer_policy_trains_without_the_observation_keys_the_environment_lacks() -> None:
    """SpreadsheetGPT also reads the optional action_history and cell_mask, which the environment does not
    provide: self-play stored every key the network names and failed with KeyError: 'action_history'."""
    agent, pool = make_agent(small_config(policy="transformer", simulations=2, batch_size=2), seed=1)
    assert "action_history" not in agent.keys
    while not agent.replay:
        agent.train_iteration(pool)
    assert "losses/policy_loss" in agent.train_iteration(pool)[1]


def test_exact_resume_with_gradient_accumulation(tmp_path: Path) -> None:
    """With --accumulation-steps 2 an optimizer step took two update() calls, so a checkpoint after an odd number
    of them lost the half-accumulated gradient (a checkpoint holds no gradients) and the resumed run diverged.
    Each update now takes all its micro-batches and steps."""
    from sheetrl.env.spreadsheet_env import EnvConfig

    config = small_config(simulations=2, updates_per_iteration=1)

    def make(seed: int) -> tuple[alphazero.AlphaZeroAgent, SheetVectorEnv]:
        pool = vector_env(config.num_envs, EnvConfig(level=1), seed)
        agent = alphazero.build(config, pool.single_observation_space, pool.single_action_space, "cpu",
                                Precision("fp32", "cpu", accumulation_steps=2), seed)
        return agent, pool

    straight, straight_pool = make(7)
    while len(straight.replay) < config.batch_size:  # the iteration that fills the replay updates once
        straight.train_iteration(straight_pool)
    straight.save(tmp_path / "agent.pt")
    pool_state = straight_pool.get_state()
    for _ in range(3):
        straight.train_iteration(straight_pool)
    resumed, resumed_pool = make(8)
    resumed.load(tmp_path / "agent.pt")
    resumed_pool.set_state(pool_state)
    for _ in range(3):
        resumed.train_iteration(resumed_pool)
    for (key, a), b in zip(straight.network.state_dict().items(), resumed.network.state_dict().values()):
        assert torch.equal(a, b), key


def test_warm_start_loads_a_ppo_policy_and_rejects_other_sizes() -> None:
    from sheetrl.agents import ppo

    agent, pool = make_agent(small_config(), seed=1)
    teacher = ppo.build(ppo.Config(num_envs=2, num_steps=8, num_minibatches=1, hidden_sizes=(32, 32)),
                        pool.single_observation_space, pool.single_action_space, "cpu", Precision("fp32", "cpu"), 5)
    agent.warm_start({"agent": {"name": "ppo", "state": teacher.state_dict()}})
    observation = {key: pool.obs[key][0] for key in pool.obs}
    logits, value = agent.evaluator()(observation)
    flat = torch.as_tensor(observation["flat"][None])
    with torch.no_grad():
        teacher_logits, teacher_value = teacher.network({"flat": flat})
    mask = observation["action_mask"].astype(bool)
    np.testing.assert_allclose(logits[mask], teacher_logits[0].numpy()[mask], rtol=1e-5)
    assert value == pytest.approx(float(teacher_value[0]), rel=1e-5)

    wide, _ = make_agent(small_config(hidden_sizes=(64, 64)), seed=1)
    with pytest.raises(ValueError, match=r"the saved network has hidden_sizes=\(32, 32\), this agent \(64, 64\)"):
        wide.warm_start({"agent": {"name": "ppo", "state": teacher.state_dict()}})


def test_warm_start_from_a_run_without_a_policy_network_gives_no_advice_about_sizes() -> None:
    """A hierarchical run holds several networks and no single policy: no hidden_sizes makes it fit, so the error
    must not advise changing them (it did: following the advice only led to a second refusal)."""
    from sheetrl.agents import hierarchical

    agent, pool = make_agent(small_config(), seed=1)
    source = hierarchical.build(hierarchical.Config(num_envs=2, num_steps=8, hidden_sizes=(16, 16)),
                                pool.single_observation_space, pool.single_action_space, "cpu",
                                Precision("fp32", "cpu"), 2)
    payload = {"agent": {"name": "hierarchical", "config": source.state_dict()["config"],
                         "state": source.state_dict()}}
    with pytest.raises(ValueError, match="holds no policy network to start from") as refused:
        agent.warm_start(payload)
    assert "hidden_sizes" not in str(refused.value)


def test_search_on_top_of_a_ppo_policy_plays_episodes() -> None:
    from sheetrl.agents import ppo
    from sheetrl.env.spreadsheet_env import EnvConfig

    pool = vector_env(1, EnvConfig(level=1), 0)
    teacher = ppo.build(ppo.Config(num_envs=1, num_steps=8, num_minibatches=1, hidden_sizes=(32, 32)),
                        pool.single_observation_space, pool.single_action_space, "cpu", Precision("fp32", "cpu"), 5)
    policy = search_policy(teacher, simulations=4)
    result = run_episodes(policy, 1, 2, split="ood", batch=2)
    assert result.episodes == 2 and result.mean_length >= 1
    assert len(policy.seconds) == round(result.mean_length * 2)


def test_config_rejects_bad_settings() -> None:
    with pytest.raises(ValueError, match="search must be one of"):
        Config(search="mcts")
    with pytest.raises(ValueError, match="value_target"):
        Config(value_target="win")
    with pytest.raises(ValueError, match="simulations"):
        Config(simulations=0)


def test_a_replay_smaller_than_a_batch_is_refused() -> None:
    """Updates start once the replay holds batch_size positions; a replay_size below it never does, and the run
    trained nothing without a word."""
    with pytest.raises(ValueError, match=r"batch_size \(64\) is larger than replay_size \(50\)"):
        Config(replay_size=50, batch_size=64)
    assert Config(replay_size=64, batch_size=64).replay_size == 64


def test_a_negative_maxvisit_init_is_refused() -> None:
    """sigma(q) = (maxvisit_init + max N) * value_scale * q: with maxvisit_init = -100 and few visits the scale is
    negative, and the improved policy would move mass towards the actions of lowest value."""
    node, config = hand_node(), SearchConfig(maxvisit_init=-100.0)
    assert sigma(node, config)[0] < sigma(node, config)[2]  # the best action (completed Q 1) would score lowest
    with pytest.raises(ValueError, match="maxvisit_init must be >= 0"):
        Config(maxvisit_init=-100.0)
    assert Config(maxvisit_init=0.0).maxvisit_init == 0.0


@pytest.mark.parametrize("norm", [-1.0, 0.0])
def test_a_gradient_clip_that_is_not_positive_is_refused(norm: float) -> None:
    """torch's clip_grad_norm_ multiplies the gradients by ``max_norm / norm``: a negative max_norm turns every
    update into gradient ascent on the loss, 0 zeroes every gradient."""
    with pytest.raises(ValueError, match="max_grad_norm must be positive"):
        Config(max_grad_norm=norm)


def test_weight_decay_is_decoupled_from_the_adaptive_step() -> None:
    """With decay ``c`` every weight first shrinks by ``lr * c * w`` and then takes the same Adam step as without
    decay. Adam's coupled L2 (``c * w`` added to the gradient, then normalized) instead moves each weight by about
    the learning rate wherever the loss gradient is small, and erodes a warm-started network."""
    player, pool = make_agent(small_config(), seed=4)
    while len(player.replay) < player.config.batch_size:
        player.train_iteration(pool)
    plain, _ = make_agent(small_config(weight_decay=0.0, learning_rate=0.01), seed=4)
    decayed, _ = make_agent(small_config(weight_decay=0.5, learning_rate=0.01), seed=4)
    for agent in (plain, decayed):  # the same weights and minibatch, fresh optimizers
        agent.network.load_state_dict(player.network.state_dict())
        agent.replay = type(player.replay)(player.replay, maxlen=player.replay.maxlen)
    before = {key: value.clone() for key, value in plain.network.state_dict().items()}
    plain.update()
    decayed.update()
    for key, start in before.items():
        expected = plain.network.state_dict()[key] - 0.01 * 0.5 * start
        torch.testing.assert_close(decayed.network.state_dict()[key], expected, rtol=0, atol=1e-6, msg=key)


def test_masked_kl_divergence_on_hand_computed_numbers() -> None:
    from sheetrl.agents.base import masked_kl_divergence

    p = torch.tensor([[0.5, 0.5, 0.0]])
    q = torch.tensor([[0.25, 0.75, 0.0]])
    masks = torch.tensor([[True, True, False]])
    expected = 0.5 * math.log(0.5 / 0.25) + 0.5 * math.log(0.5 / 0.75)  # the illegal third action adds nothing
    kl = masked_kl_divergence(p.log(), q.log(), masks)
    assert float(kl[0]) == pytest.approx(expected, rel=1e-6)


def _fill_replay(agent: alphazero.AlphaZeroAgent, pool: SheetVectorEnv) -> None:
    while len(agent.replay) < agent.config.batch_size:
        agent.train_iteration(pool)


def _teacher_payload(agent: alphazero.AlphaZeroAgent) -> dict[str, Any]:
    return {"agent": {"name": "alphazero", "state": agent.state_dict()}}


def test_kl_to_the_warm_start_keeps_the_policy_near_it() -> None:
    """Warm-started with ``kl_coef``, the initial policy is kept frozen: the penalty is zero before any update,
    positive after, and a large coefficient keeps the policy nearer its start than no penalty does."""
    teacher, pool = make_agent(small_config(updates_per_iteration=0), seed=6)
    _fill_replay(teacher, pool)
    drift = {}
    for kl_coef in (0.0, 50.0):
        agent, _ = make_agent(small_config(kl_coef=kl_coef, learning_rate=0.01, weight_decay=0.0), seed=6)
        agent.warm_start(_teacher_payload(teacher))
        assert (agent.reference is not None) == (kl_coef > 0)
        agent.replay = type(teacher.replay)(teacher.replay, maxlen=teacher.replay.maxlen)
        first = agent.update()
        if kl_coef:
            assert first["losses/kl_to_init"] == pytest.approx(0.0, abs=1e-7)
        for _ in range(30):
            last = agent.update()
        if kl_coef:
            assert last["losses/kl_to_init"] > 0
            for key, value in agent.reference.state_dict().items():  # the reference never moves
                assert torch.equal(value, teacher.network.state_dict()[key]), key
        observation = {key: pool.obs[key][0] for key in pool.obs}
        mask = observation["action_mask"].astype(bool)
        start = alphazero.masked_softmax(teacher.evaluator()(observation)[0], mask)
        now = alphazero.masked_softmax(agent.evaluator()(observation)[0], mask)
        drift[kl_coef] = float(np.abs(now - start).sum())
    assert drift[50.0] < drift[0.0]


def test_policy_coef_zero_trains_the_value_head_only() -> None:
    """Not even the weight decay touches the policy's layers (a zero gradient would still decay them)."""
    agent, pool = make_agent(small_config(policy_coef=0.0, learning_rate=0.01), seed=8)
    assert agent.config.weight_decay > 0
    _fill_replay(agent, pool)
    before = {key: value.clone() for key, value in agent.network.state_dict().items()}
    for _ in range(3):
        agent.update()
    after = agent.network.state_dict()
    moved = {key for key in before if not torch.equal(before[key], after[key])}
    assert moved and all("value" in key for key in moved), sorted(moved)


def test_exact_resume_keeps_the_kl_reference(tmp_path: Path) -> None:
    teacher, _ = make_agent(small_config(), seed=2)
    config = small_config(simulations=4, kl_coef=0.5)

    def make(seed: int) -> tuple[alphazero.AlphaZeroAgent, SheetVectorEnv]:
        agent, pool = make_agent(config, seed)
        agent.warm_start(_teacher_payload(teacher))
        return agent, pool

    straight, _, resumed, _ = train_straight_and_resumed(make, 7, 8, 12, tmp_path / "agent.pt")
    assert resumed.reference is not None
    for (key, a), b in zip(straight.network.state_dict().items(), resumed.network.state_dict().values()):
        assert torch.equal(a, b), key
    for (key, a), b in zip(straight.reference.state_dict().items(), resumed.reference.state_dict().values()):
        assert torch.equal(a, b), key


def test_warm_start_from_an_instructed_bc_policy() -> None:
    """The instructed factored head of a BC run loads into an alphazero agent built with the same
    ``factored_actions``, and gives the same logits; without the option it is refused."""
    from sheetrl.agents import bc

    agent, pool = make_agent(small_config(factored_actions="instructed"), seed=3, level=2)
    teacher = bc.build(bc.Config(num_envs=2, num_steps=8, hidden_sizes=(32, 32), factored_actions="instructed"),
                       pool.single_observation_space, pool.single_action_space, "cpu", Precision("fp32", "cpu"), 9)
    payload = {"agent": {"name": "bc", "state": teacher.state_dict()}}
    agent.warm_start(payload)
    observation = {key: pool.obs[key][0] for key in pool.obs}
    mask = observation["action_mask"].astype(bool)
    logits, _ = agent.evaluator()(observation)
    with torch.no_grad():
        batch = {key: torch.as_tensor(observation[key][None]) for key in ("flat", "action_mask")}
        teacher_logits, _ = teacher.network(batch)
    np.testing.assert_allclose(logits[mask], teacher_logits[0].numpy()[mask], rtol=1e-5, atol=1e-6)
    plain, _ = make_agent(small_config(), seed=3, level=2)
    with pytest.raises(ValueError, match="the saved network has factored_actions='instructed', this agent 'off'"):
        plain.warm_start(payload)
    with pytest.raises(ValueError, match="no policy this network can load"):  # no saved config to compare
        plain.warm_start({"agent": {"name": "bc", "state": {"network": teacher.state_dict()["network"]}}})
    with pytest.raises(ValueError, match="factored_actions needs policy mlp"):
        Config(policy="encoder", factored_actions="parts")
    with pytest.raises(ValueError, match="kl_coef"):
        Config(kl_coef=-1.0)


def test_masked_kl_divergence_matches_the_plain_formula_and_keeps_gradients_finite_under_minus_inf_masks() -> None:
    """On legal actions it is exactly ``sum p * (log p - log q)`` (PPO's KL before it was shared); a network that
    masks with ``-inf`` (``-inf - -inf`` is nan) still gets finite gradients; so does ``finfo.min`` masking, and a
    policy that puts ~0 on a legal action."""
    from sheetrl.agents.base import masked_kl_divergence

    generator = torch.Generator().manual_seed(0)
    for _ in range(20):
        log_p = torch.log_softmax(5 * torch.randn(6, 40, generator=generator), -1)
        log_q = torch.log_softmax(5 * torch.randn(6, 40, generator=generator), -1)
        masks = torch.rand(6, 40, generator=generator) > 0.3
        terms = log_p.exp() * (log_p - log_q)
        assert torch.equal(masked_kl_divergence(log_p, log_q, masks), torch.where(masks, terms, 0.0).sum(-1))
    masks = torch.tensor([[True, True, False, True]])
    for fill in (float("-inf"), torch.finfo(torch.float32).min, torch.finfo(torch.bfloat16).min):
        for raw in ([0.0, 1.0, 3.0, 2.0], [90.0, -90.0, 3.0, 0.0]):
            logits = torch.tensor([raw], requires_grad=True)
            log_p = torch.log_softmax(logits.masked_fill(~masks, fill), -1)
            log_q = torch.log_softmax(torch.zeros(1, 4).masked_fill(~masks, fill), -1)
            kl = masked_kl_divergence(log_p, log_q, masks)
            kl.sum().backward()
            assert torch.isfinite(kl).all() and torch.isfinite(logits.grad).all(), (fill, raw, logits.grad)
            legal = torch.softmax(torch.tensor(raw)[[0, 1, 3]], -1)
            expected = float(torch.special.xlogy(legal, 3 * legal).sum())  # 0 * log 0 = 0
            assert float(kl[0]) == pytest.approx(expected, rel=1e-5)


@pytest.mark.parametrize("key", ["policy_coef", "value_coef", "kl_coef"])
@pytest.mark.parametrize("value", [float("nan"), float("inf"), -1.0])
def test_loss_coefficients_must_be_finite_and_not_negative(key: str, value: float) -> None:
    with pytest.raises(ValueError, match=f"{key} must be a finite number >= 0"):
        Config(**{key: value})


def test_a_config_that_learns_nothing_is_refused() -> None:
    with pytest.raises(ValueError, match="policy_coef and value_coef are both 0"):
        Config(policy_coef=0.0, value_coef=0.0)


def test_a_bf16_update_with_the_kl_to_the_warm_start_runs_and_is_finite() -> None:
    teacher, pool = make_agent(small_config(updates_per_iteration=0), seed=6)
    _fill_replay(teacher, pool)
    agent = alphazero.build(small_config(kl_coef=0.5), pool.single_observation_space, pool.single_action_space,
                            "cpu", Precision("bf16", "cpu"), 6)
    agent.warm_start(_teacher_payload(teacher))
    agent.replay = type(teacher.replay)(teacher.replay, maxlen=teacher.replay.maxlen)
    before = {key: value.clone() for key, value in agent.network.state_dict().items()}
    for _ in range(3):
        metrics = agent.update()
    assert all(math.isfinite(value) for value in metrics.values()) and metrics["losses/kl_to_init"] >= 0
    after = agent.network.state_dict()
    assert any(not torch.equal(before[key], after[key]) for key in before)
    assert all(torch.isfinite(value).all() for value in after.values())


def test_an_mlp_run_has_its_environments_compute_only_what_the_network_reads() -> None:
    from sheetrl.agents import algorithm

    module = algorithm("alphazero")
    assert module.observation_keys(module.Config()) == ("flat", "action_mask")
    assert module.observation_keys(module.Config(policy="encoder")) is None  # (reads the grid, tokens, edges)
    for name in ("ppo", "dqn", "alphazero"):
        assert algorithm(name).observation_keys(algorithm(name).Config(policy="transformer")) is None
