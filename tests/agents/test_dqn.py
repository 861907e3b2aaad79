from dataclasses import replace

import numpy as np
import pytest
import torch

from sheetrl.agents import algorithm
from sheetrl.agents.dqn import PRESETS, Config, ReplayBuffer, build, double_dqn_targets
from sheetrl.env.spreadsheet_env import EnvConfig, SpreadsheetEnv
from sheetrl.env.vector import SheetVectorEnv
from sheetrl.models.precision import Precision
from sheetrl.train.evaluate import AgentPolicy, RandomMaskedPolicy, run_episodes

from .conftest import vector_env, with_time_limit
from .resume import train_straight_and_resumed

# A network and schedule small enough for CPU tests (the seed sizes are exercised on a GPU).
TINY = Config(num_envs=2, buffer_size=300, batch_size=16, hidden_sizes=(32, 32), learning_starts=20,
              train_frequency=1, target_sync_interval=16, exploration_steps=200)


def spaces(level: int = 1):
    env = SpreadsheetEnv(level=level)
    return env.observation_space, env.action_space


def make_agent(config: Config = TINY, seed: int = 0, precision: Precision | None = None):
    return build(config, *spaces(), "cpu", precision or Precision("fp32", "cpu"), seed)


def parameters(agent) -> list[torch.Tensor]:
    return [p.detach().clone() for p in [*agent.q_network.parameters(), *agent.target_network.parameters()]]


# ------------------------------------------------------------------------------------------------------ target
def test_double_dqn_target_on_a_hand_computed_batch():
    rewards = torch.tensor([1.0, 2.0, -1.0, 0.5])
    terminated = torch.tensor([False, True, False, False])  # row 2 is a truncated transition: it bootstraps
    next_q_online = torch.tensor([[1.0, 5.0, 3.0], [9.0, 0.0, 0.0], [4.0, 2.0, 0.0], [0.0, 1.0, 2.0]])
    next_q_target = torch.tensor([[10.0, 20.0, 30.0], [7.0, 7.0, 7.0], [7.0, 8.0, 9.0], [-3.0, 6.0, 4.0]])
    next_masks = torch.tensor([[True, False, True], [True, True, True], [True, True, True], [True, True, False]])
    targets = double_dqn_targets(rewards, terminated, next_q_online, next_q_target, next_masks, gamma=0.9)
    # row 0: action 1 has the highest online Q but is illegal -> a* = 2 -> 1 + 0.9 * 30
    # row 1: terminated -> the reward alone
    # row 2: a* = 0 by the online net; the target net evaluates it (7), not its own max (9) -> -1 + 0.9 * 7
    # row 3: action 2 is illegal -> a* = 1 -> 0.5 + 0.9 * 6
    assert torch.allclose(targets, torch.tensor([28.0, 2.0, 5.3, 5.9]))
    assert targets.dtype == torch.float32


def test_double_dqn_target_is_finite_for_a_row_without_legal_actions():
    targets = double_dqn_targets(torch.tensor([1.0]), torch.tensor([True]), torch.tensor([[3.0, 4.0]]),
                                 torch.tensor([[1.0, 2.0]]), torch.tensor([[False, False]]), gamma=0.99)
    assert targets.tolist() == [1.0]


# ------------------------------------------------------------------------------------------------------ replay
def test_replay_buffer_wraps_around_and_round_trips():
    buffer = ReplayBuffer(capacity=5, observation_size=3, n_actions=2)
    for start in (0, 3):
        rows = np.arange(start, start + 3)
        buffer.add(np.repeat(rows[:, None], 3, axis=1).astype(np.float32), rows, rows.astype(np.float32),
                   -np.repeat(rows[:, None], 3, axis=1).astype(np.float32), np.ones((3, 2), bool), rows % 2 == 0)
    assert (buffer.size, buffer.position) == (5, 1)
    assert buffer.actions.tolist() == [5, 1, 2, 3, 4]  # the oldest row was overwritten
    copy = ReplayBuffer(capacity=5, observation_size=3, n_actions=2)
    copy.load_state_dict(buffer.state_dict())
    for name in ReplayBuffer._FIELDS:
        assert np.array_equal(getattr(copy, name), getattr(buffer, name))
    assert (copy.size, copy.position) == (5, 1)
    sample = buffer.sample(64, np.random.default_rng(0))
    assert set(sample["actions"].tolist()) <= {1, 2, 3, 4, 5}
    assert np.array_equal(sample["observations"][:, 0], sample["actions"].astype(np.float32))


def test_replay_buffer_refuses_a_state_of_another_capacity():
    with pytest.raises(ValueError, match="buffer_size"):
        ReplayBuffer(4, 3, 2).load_state_dict(ReplayBuffer(5, 3, 2).state_dict())



@pytest.mark.parametrize(("change", "message"), [
    ({"observations": np.zeros((1, 3), np.float32)}, "holds 3 transitions but 1 observations"),
    ({"actions": np.zeros(0, np.int64)}, "holds 3 transitions but 0 actions"),
    ({"size": 9}, "size 9 and position 3 do not fit"),
    ({"position": -1}, "size 3 and position -1 do not fit"),
])
def test_replay_buffer_refuses_a_damaged_state_instead_of_copying_one_row_into_many(change, message):
    buffer = ReplayBuffer(capacity=5, observation_size=3, n_actions=2)
    rows = np.arange(3)
    buffer.add(np.zeros((3, 3), np.float32), rows, rows.astype(np.float32), np.zeros((3, 3), np.float32),
               np.ones((3, 2), bool), rows % 2 == 0)
    with pytest.raises(ValueError, match=message):
        ReplayBuffer(5, 3, 2).load_state_dict({**buffer.state_dict(), **change})

# ------------------------------------------------------------------------------------------------------ acting
def test_registry_presets_and_build():
    module = algorithm("dqn")
    assert module.build is build
    assert set(module.PRESETS) == {"quick", "seed"}
    seed = module.PRESETS["seed"]
    assert (seed.buffer_size, seed.batch_size, seed.gamma, seed.hidden_sizes, seed.dropout) == (
        100_000, 64, 0.99, (512, 512), 0.1)
    agent = make_agent()
    assert agent.name == "dqn"
    with pytest.raises(ValueError, match="flat"):
        build(TINY, SpreadsheetEnv(level=1).observation_space["grid"], spaces()[1])


@pytest.mark.parametrize("deterministic, epsilon", [(True, 0.0), (False, 1.0), (False, 0.5), (False, 0.0)])
def test_masked_selection_never_picks_an_illegal_action(deterministic, epsilon):
    agent = make_agent(replace(TINY, epsilon_start=epsilon, epsilon_end=epsilon))
    rng = np.random.default_rng(3)
    n_actions = agent.n_actions
    picked = set()
    for _ in range(200):
        masks = rng.random((32, n_actions)) < 0.1
        masks[np.arange(32), rng.integers(0, n_actions, 32)] = True
        obs = {"flat": rng.normal(size=(32, 768)).astype(np.float32)}
        actions = agent.act(obs, masks, deterministic=deterministic)
        assert actions.shape == (32,)
        assert masks[np.arange(32), actions].all()
        picked.update(actions.tolist())
    if epsilon == 1.0:
        assert len(picked) == n_actions


def test_epsilon_decays_linearly_by_environment_steps():
    agent = make_agent(replace(TINY, epsilon_start=1.0, epsilon_end=0.1, exploration_steps=100))
    assert agent.epsilon == 1.0
    agent.env_steps = 50
    assert agent.epsilon == pytest.approx(0.55)
    agent.env_steps = 1000
    assert agent.epsilon == pytest.approx(0.1)


# ---------------------------------------------------------------------------------------------------- learning
def recording(pool: SheetVectorEnv) -> SheetVectorEnv:
    """Make ``pool`` remember what each step returned (in ``pool.last``)."""
    step = pool.step

    def recording_step(actions):
        pool.last = step(actions)
        return pool.last

    pool.step = recording_step
    return pool


def test_episode_ends_store_the_final_observation_and_only_termination_stops_bootstrapping():
    agent = make_agent(replace(TINY, learning_starts=10**6))
    pool = recording(with_time_limit(2, EnvConfig(level=1), 1))  # every episode ends after one step
    seen_truncated = seen_terminated = False
    for _ in range(20):
        before = agent.buffer.position
        agent.train_iteration(pool)
        next_obs, _, terminated, truncated, infos = pool.last
        for i in range(2):
            row = before + i
            assert terminated[i] or truncated[i]
            final = infos["final_obs"][i]
            assert np.array_equal(agent.buffer.next_observations[row], final["flat"])
            assert not np.array_equal(agent.buffer.next_observations[row], next_obs["flat"][i])  # not the reset
            assert np.array_equal(agent.buffer.next_masks[row], final["action_mask"].astype(bool))
            assert agent.buffer.terminated[row] == terminated[i]
            seen_truncated |= bool(truncated[i])
            seen_terminated |= bool(terminated[i])
    assert seen_truncated and seen_terminated


def test_updates_follow_learning_starts_train_frequency_and_target_sync():
    agent = make_agent(replace(TINY, learning_starts=10, train_frequency=3, target_sync_interval=8))
    pool = vector_env(2, EnvConfig(level=1), seed=0)
    for _ in range(4):  # 8 env steps: no update yet, one target sync at step 8
        agent.train_iteration(pool)
    assert agent.updates == 0 and agent.target_syncs == 1
    for _ in range(6):  # 20 env steps: updates due at 10, 13, 16, 19
        agent.train_iteration(pool)
    assert agent.env_steps == 20 and agent.updates == 4 and agent.target_syncs == 2
    for online, target in zip(agent.q_network.parameters(), agent.target_network.parameters()):
        assert not torch.equal(online, target)  # trained after the last sync at step 16


@pytest.mark.parametrize("mode, accumulation_steps", [("fp32", 1), ("bf16", 1), ("fp32", 2), ("bf16", 2)])
def test_updates_change_the_weights_with_bf16_autocast_and_gradient_accumulation(mode, accumulation_steps):
    precision = Precision(mode, "cpu", accumulation_steps=accumulation_steps)
    agent = make_agent(precision=precision)
    pool = vector_env(2, EnvConfig(level=1), seed=0)
    while agent.env_steps < TINY.learning_starts:
        agent.train_iteration(pool)
    before = [p.detach().clone() for p in agent.q_network.parameters()]
    _, metrics = agent.train_iteration(pool)
    assert agent.updates >= 1 and np.isfinite(metrics["losses/td_loss"])
    assert precision._pending == 0  # every update applies its accumulated micro-batches
    adam_steps = agent.optimizer.state_dict()["state"][0]["step"]
    assert int(adam_steps) == agent.updates  # one optimizer step per update, however many micro-batches
    assert any(not torch.equal(b, p) for b, p in zip(before, agent.q_network.parameters()))


def test_train_save_load_train_equals_training_straight_through(tmp_path):
    config = replace(TINY, dropout=0.1)
    straight, pool, resumed, other_pool = train_straight_and_resumed(
        lambda seed: (make_agent(config, seed=seed), vector_env(2, EnvConfig(level=1), seed=seed)),
        seed=5, other_seed=77, iterations=30, checkpoint=tmp_path / "dqn.pt")
    assert resumed.env_steps == straight.env_steps == 120
    assert resumed.updates == straight.updates > 50
    for a, b in zip(parameters(resumed), parameters(straight), strict=True):
        assert torch.equal(a, b)
    for name in ReplayBuffer._FIELDS:
        assert np.array_equal(getattr(resumed.buffer, name), getattr(straight.buffer, name))
    resumed_adam = resumed.optimizer.state_dict()["state"]
    straight_adam = straight.optimizer.state_dict()["state"]
    assert all(torch.equal(resumed_adam[k]["exp_avg_sq"], straight_adam[k]["exp_avg_sq"]) for k in straight_adam)
    assert np.array_equal(other_pool.obs["flat"], pool.obs["flat"])


def test_load_refuses_another_agents_checkpoint(tmp_path):
    from sheetrl.agents.tabular_q import PRESETS as TABULAR_PRESETS
    from sheetrl.agents.tabular_q import build as build_tabular

    build_tabular(TABULAR_PRESETS["quick"], *spaces()).save(tmp_path / "tabular.pt")
    with pytest.raises(ValueError, match="tabular_q"):
        make_agent().load(tmp_path / "tabular.pt")


def test_short_training_on_level_1_beats_the_random_masked_policy():
    config = replace(PRESETS["quick"], hidden_sizes=(256, 256), learning_starts=500, train_frequency=4,
                     exploration_steps=5_000, buffer_size=10_000)
    agent = make_agent(config, seed=1)
    pool = vector_env(config.num_envs, EnvConfig(level=1), seed=1)
    while agent.env_steps < 8_000:
        agent.train_iteration(pool)
    random_success = run_episodes(RandomMaskedPolicy(0), 1, 50).success_rate
    trained_success = run_episodes(AgentPolicy(agent), 1, 50).success_rate
    assert random_success < 0.2
    assert trained_success > random_success + 0.4
