"""Behaviour cloning and DAgger: the masked cross-entropy on a hand-made batch, demonstrations files, DAgger's
expert labels, the value head fitted to the demonstrations' returns, exact resume, PPO fine-tuning from a BC run
(with its exact resume), and a short training that beats the random masked policy on level 3."""

from __future__ import annotations

import math
import re
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
import torch

from sheetrl.agents import algorithm
from sheetrl.agents import dqn as dqn_module
from sheetrl.agents import ppo as ppo_module
from sheetrl.agents.base import check_same_network
from sheetrl.agents.bc import Config, build, demonstration_arrays, discounted_returns, masked_cross_entropy
from sheetrl.env.actions import MACRO_INDEX
from sheetrl.env.demonstrations import collect, save_demonstrations
from sheetrl.env.planner import expert_action
from sheetrl.env.spreadsheet_env import EnvConfig
from sheetrl.models.policy import to_tensors
from sheetrl.models.precision import Precision
from sheetrl.train.config import ConfigError, TrainConfig
from sheetrl.train.evaluate import AgentPolicy, RandomMaskedPolicy, run_episodes
from sheetrl.train.runner import Runner

from .conftest import vector_env
from .resume import train_straight_and_resumed

TINY = Config(num_envs=2, num_steps=8, hidden_sizes=(32, 32), batch_size=16, updates_per_iteration=4,
              demo_episodes=4)


def make(config: Config, level: int = 2, seed: int = 0):
    pool = vector_env(config.num_envs, EnvConfig(level=level), seed)
    agent = build(config, pool.single_observation_space, pool.single_action_space, "cpu", Precision(), seed)
    return agent, pool


# -------------------------------------------------------------------------------------------- the loss itself
def test_masked_cross_entropy_matches_a_hand_computed_batch():
    # Row 1: logits (1, 2, 3), action 2 masked out, expert took action 0:
    #   -log(e^1 / (e^1 + e^2)) = log(1 + e) = 1.3132616875
    # Row 2: logits (0, 0, 5), all legal, expert took action 2:
    #   -log(e^5 / (2 + e^5)) = log(1 + 2 e^-5) = 0.0133857119
    # mean = 0.6633236997
    logits = torch.tensor([[1.0, 2.0, 3.0], [0.0, 0.0, 5.0]])
    masks = torch.tensor([[True, True, False], [True, True, True]])
    actions = torch.tensor([0, 2])
    loss = masked_cross_entropy(logits, masks, actions)
    assert loss.item() == pytest.approx((math.log(1 + math.e) + math.log(1 + 2 * math.exp(-5))) / 2, abs=1e-6)
    assert loss.item() == pytest.approx(0.6633236997, abs=1e-6)


def test_masked_cross_entropy_ignores_the_logits_of_illegal_actions():
    masks = torch.tensor([[True, True, False]])
    low = masked_cross_entropy(torch.tensor([[1.0, 2.0, -50.0]]), masks, torch.tensor([1]))
    high = masked_cross_entropy(torch.tensor([[1.0, 2.0, 50.0]]), masks, torch.tensor([1]))
    assert low.item() == pytest.approx(high.item()) == pytest.approx(math.log(1 + math.exp(-1)))


def test_discounted_returns_restart_at_each_episode():
    # episode 1: rewards 1, 2, 3 -> G = 1 + 0.5*(2 + 0.5*3) = 2.75, 2 + 0.5*3 = 3.5, 3; episode 2: -1, 4 -> 1, 4
    returns = discounted_returns(np.array([1.0, 2.0, 3.0, -1.0, 4.0]), np.array([0, 3]), 0.5)
    np.testing.assert_allclose(returns, [2.75, 3.5, 3.0, 1.0, 4.0])


# ------------------------------------------------------------------------------------------- demonstrations
def test_a_truncated_demonstration_has_no_return_and_bad_episode_starts_are_refused(tmp_path: Path):
    # An episode cut by a time limit did not show what the rest of it would have earned: its states get no return
    # (NaN: left out of the value loss, as DAgger's states are) instead of a sum that stops early.
    trajectories = collect(2, 3)
    cut = trajectories[1]
    for name in ("observations", "actions", "rewards", "reward_terms", "terminated", "truncated", "commands"):
        setattr(cut, name, getattr(cut, name)[:2])
    cut.terminated[-1], cut.truncated[-1] = False, True
    path = save_demonstrations(trajectories, tmp_path / "cut.npz")
    agent, _ = make(TINY)
    _, _, returns = demonstration_arrays(path, agent.keys, agent.observation_space, 0.9)
    data = np.load(path)
    starts = data["episode_starts"]
    assert np.isnan(returns[starts[1]:starts[2]]).all()
    expected = discounted_returns(data["rewards"], starts, 0.9)
    np.testing.assert_allclose(returns[:starts[1]], expected[:starts[1]])
    np.testing.assert_allclose(returns[starts[2]:], expected[starts[2]:])
    arrays = dict(data)
    arrays["episode_starts"] = starts[::-1].copy()
    np.savez(tmp_path / "bad.npz", **arrays)
    with pytest.raises(ValueError, match="episode_starts"):
        demonstration_arrays(tmp_path / "bad.npz", agent.keys, agent.observation_space)


def test_training_reads_a_sheetrl_demos_file(tmp_path: Path):
    path = save_demonstrations(collect(2, 3), tmp_path / "l2.npz")
    agent, pool = make(replace(TINY, demonstrations=str(path)))
    agent.train_iteration(pool)
    data = np.load(path)
    assert agent.dataset.protected == len(data["actions"])
    np.testing.assert_array_equal(agent.dataset.arrays["actions"][:agent.dataset.protected], data["actions"])
    np.testing.assert_array_equal(agent.dataset.arrays["flat"][:agent.dataset.protected], data["obs/flat"])


def test_the_value_head_learns_the_demonstrations_returns_and_dagger_states_have_none(tmp_path: Path):
    path = save_demonstrations(collect(2, 6), tmp_path / "l2.npz")
    config = replace(TINY, demonstrations=str(path), dagger=True, learning_rate=3e-3, updates_per_iteration=16)
    agent, pool = make(config)
    _, first = agent.train_iteration(pool)
    data = np.load(path)
    protected = agent.dataset.protected
    expected = discounted_returns(data["rewards"], data["episode_starts"], config.gamma)
    np.testing.assert_allclose(agent.dataset.arrays["returns"][:protected], expected, rtol=1e-6)
    assert np.isnan(agent.dataset.arrays["returns"][protected:]).all()  # DAgger's labelled states
    for _ in range(15):
        _, last = agent.train_iteration(pool)
    assert math.isfinite(last["losses/value_loss"])
    assert last["losses/value_loss"] < 0.5 * first["losses/value_loss"]
    # the fitted value tells the start of an episode (much left to do) from a state one step from the end
    starts = data["episode_starts"]
    ends = np.r_[starts[1:], len(data["actions"])] - 1
    observations = {key: data[f"obs/{key}"] for key in agent.keys}
    with torch.no_grad():
        _, values = agent.network(to_tensors(observations, agent.keys, "cpu") | {
            "action_mask": torch.as_tensor(data["obs/action_mask"].astype(bool))})
    values = values.reshape(-1).numpy()
    assert np.corrcoef(values, expected)[0, 1] > 0.5
    assert values[ends].mean() > values[starts].mean()


def test_the_value_loss_leaves_the_policy_of_separate_trunks_as_it_would_be_without_it():
    trained = []
    for value_coef in (0.0, 0.5):
        agent, pool = make(replace(TINY, dagger=True, value_coef=value_coef), level=3, seed=5)
        for _ in range(3):
            agent.train_iteration(pool)
        trained.append({n: p for n, p in agent.network.state_dict().items() if "value_" not in n})
    for name, weights in trained[0].items():
        assert torch.equal(weights, trained[1][name]), name


def test_word_dropout_hides_only_instruction_words_at_its_rate():
    from sheetrl.env.observation import FLAT_LAYOUT

    agent, _ = make(replace(TINY, word_dropout=0.25))
    flat = torch.ones((4000, 768))
    dropped = agent._drop_words(flat)
    words = FLAT_LAYOUT["words"]
    assert torch.equal(flat, torch.ones((4000, 768)))  # a copy: the dataset is not changed
    outside = torch.ones(768, dtype=torch.bool)
    outside[words] = False
    assert torch.equal(dropped[:, outside], flat[:, outside])
    hidden = 1.0 - dropped[:, words].mean().item()
    assert hidden == pytest.approx(0.25, abs=0.01)
    again, _ = make(replace(TINY, word_dropout=0.25))
    assert torch.equal(again._drop_words(flat), dropped)  # the agent's own generator: deterministic
    with pytest.raises(ValueError, match="word_dropout"):
        replace(TINY, word_dropout=1.0)


def test_factored_actions_need_the_mlp_policy_and_read_the_old_switch():
    assert replace(TINY, factored_actions=True).factored_actions == "parts"  # a run saved when it was a switch
    assert replace(TINY, factored_actions="false").factored_actions == "off"
    assert replace(TINY, factored_actions="Instructed").factored_actions == "instructed"
    with pytest.raises(ValueError, match="factored_actions needs policy mlp"):
        replace(TINY, factored_actions="instructed", policy="transformer")
    with pytest.raises(ValueError, match="factored_actions must be one of off, parts, instructed, not 'typed'"):
        replace(TINY, factored_actions="typed")


@pytest.mark.parametrize(("change", "message"), [
    (lambda a: {**a, "actions": a["actions"] + 1000}, "actions outside 0..68"),
    (lambda a: {**a, "actions": -a["actions"] - 1}, "actions outside 0..68"),
    (lambda a: {**a, "actions": a["actions"] + 0.5}, "actions must be a list of whole numbers"),
    (lambda a: {**a, "obs/flat": a["obs/flat"][:1]}, "actions but 1 flat"),
    (lambda a: {**a, "terminated": a["terminated"][:3]}, "actions but 3 terminated"),
    (lambda a: {key: value[:0] for key, value in a.items()}, "holds no steps"),
])
def test_a_demos_file_with_impossible_actions_or_uneven_arrays_is_refused_with_the_reason(tmp_path: Path, change,
                                                                                           message: str):
    # (these were an IndexError or a bare zip() error: an internal error of `sheetrl train --algo bc --demos`)
    path = save_demonstrations(collect(1, 2), tmp_path / "l1.npz")
    arrays = change(dict(np.load(path)))
    np.savez(tmp_path / "bad.npz", **arrays)
    agent, _ = make(TINY, level=1)
    with pytest.raises(ValueError, match=re.escape(message)):
        demonstration_arrays(tmp_path / "bad.npz", agent.keys, agent.observation_space)


@pytest.mark.parametrize(("change", "message"), [
    ({"actions": np.zeros(1, np.int64)}, "different lengths (flat 3, action_mask 3, actions 1, returns 3)"),
    ({"actions": np.array([0, 1, 500])}, "actions outside 0..68"),
    ({"actions": np.array([0, -1, 2])}, "actions outside 0..68"),
])
def test_a_saved_dataset_that_is_damaged_is_refused_instead_of_trained_on(change, message: str):
    from sheetrl.agents.bc import Dataset

    dataset = Dataset(("flat",), capacity=10)
    dataset.add({"flat": np.zeros((3, 768), np.float32), "action_mask": np.ones((3, 69), bool)}, np.arange(3),
                demonstrations=True)
    state = dataset.state_dict()
    with pytest.raises(ValueError, match=re.escape(message)):
        Dataset(("flat",), capacity=10).load_state_dict({**state, "arrays": {**state["arrays"], **change}})
    with pytest.raises(ValueError, match="protects 4 of its 3 samples"):
        Dataset(("flat",), capacity=10).load_state_dict({**state, "protected": 4})


def test_a_demos_file_from_another_window_size_is_refused_with_the_reason(tmp_path: Path):
    from sheetrl.env.spreadsheet_env import SpreadsheetEnv

    path = save_demonstrations(collect(1, 2), tmp_path / "l1.npz")
    other = SpreadsheetEnv(level=1, grid_rows=10, grid_cols=10)
    with pytest.raises(ValueError, match="shape"):
        demonstration_arrays(path, ("grid",), other.observation_space)
    with pytest.raises(ValueError, match="no demonstrations file"):
        demonstration_arrays(tmp_path / "missing.npz", ("flat",), other.observation_space)


def test_dagger_adds_the_experts_labels_for_the_states_the_learner_visits():
    agent, pool = make(replace(TINY, dagger=True, dagger_beta=0.0))
    agent.train_iteration(pool)  # demonstrations first: the expert's own states
    before = len(agent.dataset)
    states = []
    step = pool.step

    def recording_step(actions):
        states.append([expert_action(env) for env in pool.envs])
        return step(actions)

    pool.step = recording_step
    _, metrics = agent.train_iteration(pool)
    labels = [label for row in states for label in row if label is not None]
    assert len(agent.dataset) == before + len(labels)
    assert agent.dataset.arrays["actions"][before:].tolist() == labels
    assert metrics["charts/dagger_labels"] == len(labels)
    masks = agent.dataset.arrays["action_mask"][before:]
    assert masks[np.arange(len(labels)), labels].all()


@pytest.mark.parametrize("avoid", [False, True])
def test_dagger_avoid_repeats_keeps_the_learner_from_taking_an_action_twice_from_one_state(avoid: bool):
    agent, pool = make(replace(TINY, num_steps=24, dagger=True, dagger_beta=0.0, dagger_avoid_repeats=avoid), level=1)
    turn = [0]

    def pendulum(obs, masks, deterministic=False):  # down, up, down, up ...: the first allowed in that order
        wanted = MACRO_INDEX[("move_down", "move_up")[turn[0] % 2]]
        turn[0] += 1
        return np.asarray([wanted if row[wanted] else int(np.flatnonzero(row)[0]) for row in masks])

    agent.act = pendulum
    episode = [0] * pool.num_envs
    taken = []
    step = pool.step

    def recording_step(actions):
        keys = [env.state_key() for env in pool.envs]
        result = step(actions)
        for index, action in enumerate(actions):
            taken.append((index, episode[index], keys[index], int(action)))
            episode[index] += int(result[2][index] or result[3][index])
        return result

    pool.step = recording_step
    agent.rollout(pool)
    assert len(taken) == 24 * pool.num_envs
    if avoid:
        assert len(set(taken)) == len(taken)  # every (state, action) pair of an episode once
    else:
        assert len(set(taken)) <= 4 * sum(count + 1 for count in episode)  # per episode: two states, two actions


def test_dagger_avoid_repeats_needs_dagger():
    with pytest.raises(ValueError, match="dagger_avoid_repeats acts in DAgger's rollouts; add --dagger"):
        replace(TINY, dagger_avoid_repeats=True)


# ----------------------------------------------------------------------------------------------- exact resume
@pytest.mark.parametrize(("dagger", "factored", "avoid"), [(False, "off", False), (True, "off", False),
                                                          (True, "instructed", False), (True, "off", True)])
def test_resumed_bc_continues_exactly(tmp_path: Path, dagger: bool, factored: str, avoid: bool):
    config = replace(TINY, dagger=dagger, factored_actions=factored, dagger_avoid_repeats=avoid)
    straight, straight_pool, resumed, resumed_pool = train_straight_and_resumed(
        lambda seed: make(config, seed=seed), seed=3, other_seed=9, iterations=2, checkpoint=tmp_path / "bc.pt")
    for key, value in straight.network.state_dict().items():
        assert torch.equal(value, resumed.network.state_dict()[key]), key
    for key, value in straight.dataset.arrays.items():
        np.testing.assert_array_equal(value, resumed.dataset.arrays[key])
    for key, value in straight_pool.obs.items():
        np.testing.assert_array_equal(value, resumed_pool.obs[key])
    assert straight.repeats.state_dict() == resumed.repeats.state_dict()


# ------------------------------------------------------------------------------------------- PPO from a BC run
def _quiet(**fields):
    return TrainConfig(wandb="disabled", tensorboard=False, progress=False, eval_episodes=0, **fields)


def _bc_run(tmp_path: Path, **more: object) -> Path:
    overrides = {"num_envs": 2, "num_steps": 8, "hidden_sizes": (32, 32), "batch_size": 16,
                 "updates_per_iteration": 4, "demo_episodes": 3, **more}
    config = _quiet(algo="bc", level=2, total_steps=32, run_dir=str(tmp_path / "bc"), overrides=overrides)
    Runner.start(config).run()
    return tmp_path / "bc"


PPO_OVERRIDES = {"num_envs": 2, "num_steps": 8, "num_minibatches": 2, "update_epochs": 2,
                 "hidden_sizes": (32, 32), "kl_coef": 0.5}


def test_ppo_from_a_bc_run_starts_with_its_policy_and_keeps_the_kl_reference(tmp_path: Path):
    bc_dir = _bc_run(tmp_path)
    bc = torch.load(bc_dir / "checkpoint.pt", weights_only=False)["agent"]["state"]["network"]
    runner = Runner.start(_quiet(algo="ppo", level=2, total_steps=16, run_dir=str(tmp_path / "ppo"),
                                 init_from=str(bc_dir), overrides=PPO_OVERRIDES))
    for key, value in bc.items():
        assert torch.equal(runner.agent.network.state_dict()[key], value), key
        assert torch.equal(runner.agent.reference.state_dict()[key], value), key
    runner.run()
    metrics = [line for line in (tmp_path / "ppo" / "metrics.jsonl").read_text().splitlines() if "kl_to_init" in line]
    assert metrics, "the KL penalty toward the BC policy is logged"


def test_resumed_ppo_from_bc_continues_exactly(tmp_path: Path):
    bc_dir = _bc_run(tmp_path)
    straight = Runner.start(_quiet(algo="ppo", level=2, total_steps=48, run_dir=str(tmp_path / "straight"),
                                   init_from=str(bc_dir), overrides=PPO_OVERRIDES))
    straight.run()
    stopped = Runner.start(_quiet(algo="ppo", level=2, total_steps=48, run_dir=str(tmp_path / "stopped"),
                                  init_from=str(bc_dir), overrides=PPO_OVERRIDES))
    stopped.run(until=16)
    torch.rand(10), np.random.rand(10)
    resumed = Runner.resume(tmp_path / "stopped")
    assert resumed.agent.reference is not None
    resumed.run()
    for key, value in straight.agent.network.state_dict().items():
        assert torch.equal(value, resumed.agent.network.state_dict()[key]), key
    assert straight.env_steps == resumed.env_steps == 48


def test_init_from_refuses_a_run_with_another_network(tmp_path: Path):
    bc_dir = _bc_run(tmp_path)
    overrides = dict(PPO_OVERRIDES, hidden_sizes=(16, 16))
    with pytest.raises(ConfigError, match="hidden_sizes"):
        Runner.start(_quiet(algo="ppo", level=2, total_steps=16, run_dir=str(tmp_path / "ppo"),
                            init_from=str(bc_dir), overrides=overrides))
    factored = _bc_run(tmp_path / "factored", factored_actions="instructed")  # PPO's network has no parts head
    with pytest.raises(ConfigError, match=re.escape(
            "the saved network has factored_actions='instructed' and ppo has no factored_actions option (its "
            "network is always factored_actions='off')")):
        Runner.start(_quiet(algo="ppo", level=2, total_steps=16, run_dir=str(tmp_path / "ppo2"),
                            init_from=str(factored), overrides=PPO_OVERRIDES))


def test_overwrite_deletes_nothing_when_the_init_from_source_is_refused(tmp_path: Path):
    from sheetrl.train.checkpoint import CheckpointError

    bc_dir = _bc_run(tmp_path)
    target = tmp_path / "ppo"
    plain = {key: value for key, value in PPO_OVERRIDES.items() if key != "kl_coef"}
    Runner.start(_quiet(algo="ppo", level=2, total_steps=16, run_dir=str(target), overrides=plain)).run()
    before = sorted(path.name for path in target.iterdir())
    with pytest.raises(CheckpointError, match="does not exist"):
        Runner.start(_quiet(algo="ppo", level=2, total_steps=16, run_dir=str(target),
                            init_from=str(tmp_path / "missing"), overrides=PPO_OVERRIDES), overwrite=True)
    with pytest.raises(ConfigError, match="hidden_sizes"):
        Runner.start(_quiet(algo="ppo", level=2, total_steps=16, run_dir=str(target), init_from=str(bc_dir),
                            overrides=dict(PPO_OVERRIDES, hidden_sizes=(16, 16))), overwrite=True)
    assert sorted(path.name for path in target.iterdir()) == before  # the old run is still there
    # a run may even start over the run it starts from: the source is read before the folder is cleared
    bc = torch.load(bc_dir / "checkpoint.pt", weights_only=False)["agent"]["state"]["network"]
    runner = Runner.start(_quiet(algo="ppo", level=2, total_steps=16, run_dir=str(bc_dir), init_from=str(bc_dir),
                                 overrides=PPO_OVERRIDES), overwrite=True)
    assert all(torch.equal(runner.agent.network.state_dict()[key], value) for key, value in bc.items())
    runner.run()


def test_a_network_saved_with_the_old_switch_matches_its_factoring():
    saved = {"policy": "mlp", "hidden_sizes": [32, 32], "shared_trunk": False, "factored_actions": True}
    check_same_network(saved, replace(TINY, factored_actions="parts"), "bc")
    check_same_network({**saved, "factored_actions": False}, TINY, "bc")
    with pytest.raises(ValueError, match="factored_actions='parts', this agent 'instructed'"):
        check_same_network(saved, replace(TINY, factored_actions="instructed"), "bc")


def test_bc_only_options_are_refused_for_other_algorithms():
    with pytest.raises(ConfigError, match="--dagger does not apply to ppo"):
        _quiet(algo="ppo", dagger=True).validate()
    with pytest.raises(ConfigError, match="disagree"):
        _quiet(algo="bc", policy="mlp", overrides={"policy": "encoder"}).validate()
    assert _quiet(algo="bc", policy="encoder", dagger=True).agent_config().policy == "encoder"


# ----------------------------------------------------------------------------------------- policy switch
@pytest.mark.parametrize("policy", ["encoder", "transformer"])
def test_bc_ppo_and_dqn_train_with_every_policy_kind(policy: str):
    agent, pool = make(replace(TINY, policy=policy, num_steps=2, updates_per_iteration=1, demo_episodes=1))
    steps, metrics = agent.train_iteration(pool)
    assert steps == 4 and math.isfinite(metrics["losses/bc_loss"])
    ppo_config = ppo_module.Config(num_envs=2, num_steps=4, num_minibatches=2, update_epochs=1, policy=policy)
    ppo_pool = vector_env(2, EnvConfig(level=2), 0)
    ppo = ppo_module.build(ppo_config, ppo_pool.single_observation_space, ppo_pool.single_action_space, "cpu",
                           Precision(), 0)
    steps, metrics = ppo.train_iteration(ppo_pool)
    assert steps == 8 and math.isfinite(metrics["losses/policy_loss"])
    assert set(ppo.keys) <= set(ppo_pool.obs)
    dqn_config = dqn_module.Config(num_envs=2, buffer_size=64, batch_size=4, learning_starts=0, train_frequency=2,
                                   policy=policy)
    dqn = dqn_module.build(dqn_config, ppo_pool.single_observation_space, ppo_pool.single_action_space, "cpu",
                           Precision(), 0)
    for _ in range(3):
        _, metrics = dqn.train_iteration(ppo_pool)
    assert math.isfinite(metrics["losses/td_loss"])
    packed = dqn.buffer.observations[:dqn.buffer.size]
    unpacked = dqn.packing.unpack(torch.as_tensor(packed))
    assert set(unpacked) == set(dqn.packing.shapes) and "flat" not in unpacked


# ------------------------------------------------------------------------------------------------ learning
def test_short_bc_training_beats_the_random_masked_policy_on_level_3():
    module = algorithm("bc")
    config = replace(module.PRESETS["quick"], demo_episodes=60, updates_per_iteration=32)
    agent, pool = make(config, level=3, seed=1)
    for _ in range(8):
        agent.train_iteration(pool)
    trained = run_episodes(AgentPolicy(agent), 3, 20).success_rate
    random_rate = run_episodes(RandomMaskedPolicy(0), 3, 20).success_rate
    assert trained >= random_rate + 0.5, (trained, random_rate)


def test_encoder_parts_drop_a_part_of_the_network_and_must_match_on_loading(tmp_path: Path) -> None:
    """``--set encoder_parts=cnn,instruction`` builds the encoder without its GNN and formula LSTM (the ablation
    switch); unknown or repeated part names are refused; a saved network with other parts does not load."""
    from sheetrl.agents.base import check_same_network

    config = _quiet(algo="bc", level=2, policy="encoder", overrides={"encoder_parts": "cnn,instruction"})
    agent_config = config.agent_config()
    assert agent_config.encoder_parts == ("cnn", "instruction")
    agent, _ = make(replace(TINY, policy="encoder", encoder_parts=("cnn", "instruction")))
    names = {name.split(".")[1] for name, _ in agent.network.named_parameters() if name.startswith("encoder.")}
    assert names == {"cnn", "instruction", "projection"}
    full, _ = make(replace(TINY, policy="encoder"))
    assert {name.split(".")[1] for name, _ in full.network.named_parameters()} >= {"gnn", "cnn", "formula"}
    for bad in (("gnn", "mlp"), ("cnn", "cnn"), ()):
        with pytest.raises(ValueError, match="encoder_parts must be distinct names"):
            replace(TINY, policy="encoder", encoder_parts=bad)
    with pytest.raises(ValueError, match="encoder_parts needs policy encoder"):
        replace(TINY, encoder_parts=("cnn",))  # an MLP would silently ignore it
    saved = {"policy": "encoder", "encoder_parts": ["gnn", "cnn", "formula_lstm", "instruction"]}
    check_same_network(saved, replace(TINY, policy="encoder"), "bc")
    with pytest.raises(ValueError, match="encoder_parts"):
        check_same_network(saved, replace(TINY, policy="encoder", encoder_parts=("cnn", "instruction")), "bc")


def test_encoder_parts_are_kept_in_one_order_so_a_listing_in_another_still_loads_its_network() -> None:
    """``instruction,cnn`` is the network of ``cnn,instruction``: it is stored in ENCODER_PARTS' order, so a saved
    network is recognised however the parts were listed; the default parts listed in another order are the default
    (an MLP accepts them); a lone name given as a string is one part, not its letters."""
    from sheetrl.agents.base import check_same_network

    assert replace(TINY, policy="encoder", encoder_parts=("instruction", "cnn")).encoder_parts == ("cnn", "instruction")
    assert replace(TINY, encoder_parts=("instruction", "formula_lstm", "cnn", "gnn")).encoder_parts == \
        replace(TINY).encoder_parts
    check_same_network({"policy": "encoder", "encoder_parts": ["cnn", "instruction"]},
                       replace(TINY, policy="encoder", encoder_parts=("instruction", "cnn")), "bc")
    check_same_network({"policy": "encoder", "encoder_parts": ["instruction", "cnn"]},  # saved in another order
                       replace(TINY, policy="encoder", encoder_parts=("cnn", "instruction")), "bc")
    assert replace(TINY, policy="encoder", encoder_parts="flat").encoder_parts == ("flat",)


def test_a_network_saved_before_encoder_parts_existed_has_the_default_parts() -> None:
    from sheetrl.agents.base import check_same_network

    old = {"policy": "encoder", "hidden_sizes": [32, 32]}  # a config saved before the option
    check_same_network(old, replace(TINY, policy="encoder"), "bc")
    with pytest.raises(ValueError, match=r"the saved network has encoder_parts=.*this agent \('cnn', 'instruction'\)"):
        check_same_network(old, replace(TINY, policy="encoder", encoder_parts=("cnn", "instruction")), "bc")


def test_only_the_fields_a_policy_kind_is_built_from_must_match_on_loading() -> None:
    """An encoder policy does not use hidden_sizes, shared_trunk or factored_actions, so a saved encoder network with
    other values of them loads (BC's and PPO's presets have different widths); an MLP still needs the same widths."""
    from sheetrl.agents.base import check_same_network

    saved = {"policy": "encoder", "hidden_sizes": [256, 256], "shared_trunk": True, "transformer_preset": "seed",
             "encoder_parts": ["gnn", "cnn", "formula_lstm", "instruction"]}
    check_same_network(saved, replace(TINY, policy="encoder"), "bc")
    with pytest.raises(ValueError, match="hidden_sizes"):
        check_same_network({**saved, "policy": "mlp"}, TINY, "bc")
    with pytest.raises(ValueError, match="policy"):
        check_same_network(saved, TINY, "bc")
