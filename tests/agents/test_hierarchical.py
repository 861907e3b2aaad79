"""The hierarchical agent: action groups, the options' semi-Markov advantages by hand, specialists acting only
within their actions, options returning control, and exact resume."""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import torch

from sheetrl.agents import hierarchical
from sheetrl.agents.hierarchical import (
    SPECIALIST_NAMES,
    SPECIALISTS,
    Config,
    action_groups,
    option_advantages,
)
from sheetrl.agents.ppo import MaskedCategorical
from sheetrl.env.actions import MACRO_INDEX, MACROS
from sheetrl.env.planner import expert_action
from sheetrl.env.spreadsheet_env import EnvConfig
from sheetrl.env.vector import SheetVectorEnv
from sheetrl.models.precision import Precision
from sheetrl.train.config import ConfigError, TrainConfig
from sheetrl.train.runner import Runner
from tests.agents.resume import train_straight_and_resumed

from .conftest import vector_env

# The first design's options (a specialist also walks the shared moves); NAVIGATED below is the default one.
SMALL = Config(num_envs=2, num_steps=16, num_minibatches=2, update_epochs=2, hidden_sizes=(32, 32),
               meta_hidden_sizes=(16, 16), option_max_steps=3, navigator=False)
NAVIGATED = replace(SMALL, navigator=True)


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


# ------------------------------------------------------------------------------------------ warm start
def _quiet(**fields: object) -> TrainConfig:
    return TrainConfig(wandb="disabled", tensorboard=False, progress=False, eval_episodes=0, **fields)  # type: ignore[arg-type]


def _bc_run(folder: Path, **more: object) -> Path:
    overrides = {"num_envs": 2, "num_steps": 8, "hidden_sizes": (32, 32), "batch_size": 16,
                 "updates_per_iteration": 4, "demo_episodes": 3, **more}
    Runner.start(_quiet(algo="bc", level=5, total_steps=32, run_dir=str(folder / "bc"), overrides=overrides)).run()
    return folder / "bc"


WARM = {"num_envs": 2, "num_steps": 16, "num_minibatches": 2, "update_epochs": 2, "hidden_sizes": (32, 32),
        "meta_hidden_sizes": (16, 16), "option_max_steps": 4, "kl_coef": 0.5, "meta_imitation_iterations": 1}


def test_specialists_start_as_the_bc_policy_and_keep_it_as_the_kl_reference(tmp_path: Path) -> None:
    bc_dir = _bc_run(tmp_path)
    bc = torch.load(bc_dir / "checkpoint.pt", weights_only=False)["agent"]["state"]["network"]
    # 32 steps in each of 2 environments: enough for the imitation iteration to meet a state the expert edits in
    runner = Runner.start(_quiet(algo="hierarchical", level=5, total_steps=128, run_dir=str(tmp_path / "h"),
                                 init_from=str(bc_dir), overrides={**WARM, "num_steps": 32}))
    agent = runner.agent
    for key, value in bc.items():
        short = key.removeprefix("network.")
        for name in SPECIALIST_NAMES:
            assert torch.equal(agent.networks[name].state_dict()[short], value), (name, key)
        assert torch.equal(agent.reference.state_dict()[short], value), key
    assert all(not p.requires_grad for p in agent.reference.parameters())
    runner.run()
    lines = [json.loads(line) for line in (tmp_path / "h" / "metrics.jsonl").read_text().splitlines()]
    assert any("losses/specialist_kl_to_init" in line for line in lines), "the KL toward the BC policy is logged"
    assert any("meta/expert_agreement" in line for line in lines), "the imitation iteration logs its agreement"
    for key, value in bc.items():  # the reference stays where it started while the specialists learn
        assert torch.equal(agent.reference.state_dict()[key.removeprefix("network.")], value), key


def test_warm_start_refuses_networks_the_specialists_cannot_take(tmp_path: Path) -> None:
    bc_dir = _bc_run(tmp_path)
    with pytest.raises(ConfigError, match=r"hidden_sizes=\(32, 32\).*--set hidden_sizes=32,32"):
        Runner.start(_quiet(algo="hierarchical", level=5, total_steps=32, run_dir=str(tmp_path / "h"),
                            init_from=str(bc_dir), overrides={**WARM, "hidden_sizes": (16, 16)}))
    factored = _bc_run(tmp_path / "factored", factored_actions="instructed")
    with pytest.raises(ConfigError, match="factored_actions='instructed'"):
        Runner.start(_quiet(algo="hierarchical", level=5, total_steps=32, run_dir=str(tmp_path / "h2"),
                            init_from=str(factored), overrides=WARM))
    dqn = tmp_path / "dqn"  # a Q-network of the same widths is not an actor-critic
    Runner.start(_quiet(algo="dqn", level=5, total_steps=32, run_dir=str(dqn),
                        overrides={"num_envs": 2, "hidden_sizes": (32, 32), "learning_starts": 8})).run()
    with pytest.raises(ConfigError, match="start from a bc or ppo run's network, not this dqn run's"):
        Runner.start(_quiet(algo="hierarchical", level=5, total_steps=32, run_dir=str(tmp_path / "h4"),
                            init_from=str(dqn), overrides=WARM))
    agent, _ = make(1)  # weights of another shape: one line, not torch's list of every tensor
    payload = {"name": "ppo", "config": {"policy": "mlp", "hidden_sizes": [32, 32]},
               "state": {"network": {"network.policy_head.weight": torch.zeros(3, 32)}}}
    with pytest.raises(ValueError, match=r"^hierarchical: the ppo run's network does not fit the specialists"):
        agent.initialize_from(payload)
    with pytest.raises(ConfigError, match="kl_coef"):  # nothing to stay near without a run to start from
        Runner.start(_quiet(algo="hierarchical", level=5, total_steps=32, run_dir=str(tmp_path / "h3"),
                            overrides=WARM))


@pytest.mark.parametrize("source", ["alphazero", "tabular_q", "hierarchical"])
def test_warm_start_refuses_runs_other_than_bc_and_ppo(source: str) -> None:
    agent, _ = make(1)  # alphazero's MLP has the very tensors of an actor-critic, but its value is not a return
    weights = {f"network.{key}": value for key, value in agent.networks["formula"].state_dict().items()}
    payload = {"name": source, "config": {"policy": "mlp", "hidden_sizes": [32, 32]}, "state": {"network": weights}}
    with pytest.raises(ValueError, match=rf"^hierarchical: the specialists start from a bc or ppo run's network, "
                                         rf"not this {source} run's$"):
        agent.initialize_from(payload)
    agent.initialize_from({**payload, "name": "bc"})  # the same network from a bc run is taken


@pytest.mark.parametrize("value", [-0.1, float("nan"), float("inf")])
def test_kl_coef_must_be_finite_and_not_negative(value: float) -> None:
    with pytest.raises(ValueError, match="kl_coef"):
        Config(kl_coef=value)
    with pytest.raises(ValueError, match="meta_imitation_iterations"):
        Config(meta_imitation_iterations=-1)


@pytest.mark.parametrize("key", ["learning_rate", "meta_learning_rate"])
@pytest.mark.parametrize("value", [0.0, -1e-3, float("nan"), float("inf")])
def test_step_sizes_must_be_finite_and_positive(key: str, value: float) -> None:
    # an infinite step size turned every weight of the network into NaN at the first update, silently
    with pytest.raises(ValueError, match=rf"^hierarchical: {key} must be a finite number > 0, not {value}"):
        Config(**{key: value})
    assert Config(meta_learning_rate=None).meta_learning_rate is None  # None: the specialists' learning_rate


@pytest.mark.parametrize(("key", "value", "message"), [
    ("max_grad_norm", -0.5, "must be positive"), ("max_grad_norm", 0.0, "must be positive"),
    ("value_clip_coef", -1.0, "must be positive"), ("value_coef", -0.5, "must be >= 0"),
    ("entropy_coef", -0.01, "must be >= 0"), ("meta_entropy_coef", -0.01, "must be >= 0")])
def test_clips_and_loss_weights_of_the_wrong_sign_are_refused(key: str, value: float, message: str) -> None:
    """A negative gradient clip turns every update into gradient ascent (torch multiplies the gradients by
    ``max_norm / norm``); a negative loss weight maximizes that loss. Each was accepted and trained silently."""
    with pytest.raises(ValueError, match=rf"^hierarchical: {key} {message}, not {value}"):
        Config(**{key: value})


def test_meta_losses_are_averaged_over_the_minibatches_that_had_options(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a navigator, a rollout with fewer options than minibatches leaves some minibatches without a
    meta-controller loss; its logged mean is over the minibatches that had one (it was divided by all of them)."""
    config = replace(SMALL, num_envs=1, num_steps=8, num_minibatches=4, update_epochs=1, navigator=False)
    agent, pool = make(3, config)
    steps, options, _ = agent.collect(pool)
    options = {key: value[:1] for key, value in options.items()}  # one option: only the first minibatch has it
    meta_values: list[float] = []
    original = hierarchical.value_loss

    def recording(new_values: torch.Tensor, *rest: Any) -> torch.Tensor:
        loss = original(new_values, *rest)
        if len(new_values) == 1:  # the steps' minibatches hold two rows each
            meta_values.append(float(loss.detach()))
        return loss

    monkeypatch.setattr(hierarchical, "value_loss", recording)
    metrics = agent.update(steps, options)
    assert len(meta_values) == 1
    assert metrics["losses/meta_value"] == pytest.approx(meta_values[0])


def test_expert_choice_is_the_owner_of_the_experts_next_action() -> None:
    agent, pool = make(4, level=5)
    env = pool.envs[0].unwrapped
    seen = set()
    for _ in range(40):  # follow the expert through an episode: every step's label is its action's owner
        action = expert_action(env)
        assert action is not None
        owners = [k for k, name in enumerate(SPECIALIST_NAMES) if MACROS[action].name in SPECIALISTS[name]]
        assert agent.expert_choice(env) == (owners[0] if owners else -1)
        seen.add(agent.expert_choice(env))
        _, _, terminated, _, _ = env.step(action)
        if terminated:
            break
    assert -1 in seen and len(seen) >= 3  # shared moves and at least two specialists on an L5 plan


def _hand_labelled(agent: hierarchical.HierarchicalAgent, flat: torch.Tensor) -> dict[str, torch.Tensor]:
    """Replace the imitation dataset by twelve different visited states labelled by hand with every specialist,
    the first specialist masked out in three of them; returns the dataset."""
    agent.meta_dataset = {}
    masks = torch.ones(12, len(SPECIALIST_NAMES), dtype=torch.bool)
    masks[::4, 0] = False
    agent.remember_labels({"flat": flat[::10][:12], "mask": masks,
                           "label": torch.tensor([1, 0, 2, 1, 2, 0, 1, 2, 2, 0, 0, 1])})
    assert len(set(agent.meta_dataset["flat"].sum(1).tolist())) == 12  # twelve different states
    return agent.meta_dataset


def test_meta_imitation_learns_the_experts_choices() -> None:
    config = replace(SMALL, num_steps=64, option_max_steps=6, update_epochs=1, meta_imitation_iterations=100,
                     meta_learning_rate=3e-3, meta_imitation_batch=64)
    agent, pool = make(5, config, level=5)
    steps, options, _ = agent.collect(pool)
    data = agent.meta_dataset
    # a random start soon spoils the sheet, so few states have an expert's next edit to label
    assert 2 <= len(data["label"]) <= config.num_envs * config.num_steps
    assert torch.all(data["mask"].gather(1, data["label"][:, None]))  # only labels the meta-controller may choose
    # and it learns them: here twelve visited states, labelled by hand with every specialist, one masked out
    data = _hand_labelled(agent, steps["flat"])

    def agreement() -> float:
        with torch.no_grad():
            logits, _ = agent.networks["meta"](data["flat"])
        return float((MaskedCategorical(logits, data["mask"]).mode() == data["label"]).float().mean())

    for _ in range(40):
        losses = agent.update(steps, options)
    assert "losses/meta_imitation" in losses
    assert agreement() == 1.0  # a small set of labelled states is learnt exactly


def test_the_imitation_dataset_keeps_the_newest_states_and_is_dropped_after_imitation() -> None:
    config = replace(SMALL, meta_imitation_iterations=1, meta_imitation_buffer=5)
    agent, pool = make(3, config, level=5)
    rows = {"flat": torch.arange(7.0)[:, None], "mask": torch.ones(7, 3, dtype=torch.bool),
            "label": torch.arange(7) % 3}
    agent.remember_labels(rows)
    assert agent.meta_dataset["flat"][:, 0].tolist() == [2.0, 3.0, 4.0, 5.0, 6.0]
    agent.meta_dataset = {}
    agent.train_iteration(pool)  # the only imitation iteration
    assert agent.iteration == 1 and agent.meta_dataset == {}


def test_the_imitation_dataset_resumes_on_the_agents_device() -> None:
    # checkpoints are read onto the CPU (map_location="cpu"), so an agent resumed on CUDA mid-imitation must move
    # the labelled states to its device (torch.cat with the next rollout's would fail); "meta" stands in for CUDA
    config = replace(SMALL, meta_imitation_iterations=2)
    agent, _ = make(3, config, level=5)
    agent.remember_labels({"flat": torch.ones(4, 768), "mask": torch.ones(4, 3, dtype=torch.bool),
                           "label": torch.arange(4) % 3})
    other, _ = make(9, config, level=5)
    other.device = torch.device("meta")
    other.load_state_dict(agent.state_dict())
    assert {key: value.device.type for key, value in other.meta_dataset.items()} == dict.fromkeys(
        ("flat", "mask", "label"), "meta")


def test_a_checkpoint_with_one_optimizer_group_resumes_as_two() -> None:
    agent, pool = make(4)
    agent.train_iteration(pool)
    state = agent.state_dict()
    merged = dict(state["optimizer"])
    groups = merged["param_groups"]
    merged["param_groups"] = [{**groups[1], "params": groups[0]["params"] + groups[1]["params"]}]
    other, _ = make(9)
    other.load_state_dict({**state, "optimizer": merged})
    assert other.optimizer.state_dict()["param_groups"] == state["optimizer"]["param_groups"]


@pytest.mark.parametrize("navigator", [False, True], ids=["options", "navigator"])
def test_exact_resume_of_a_warm_started_agent_while_it_imitates(navigator: bool, tmp_path: Path) -> None:
    bc_dir = _bc_run(tmp_path)
    payload = torch.load(bc_dir / "checkpoint.pt", weights_only=False)["agent"]
    config = replace(SMALL, hidden_sizes=(32, 32), kl_coef=0.5, meta_imitation_iterations=3, navigator=navigator)

    def warm(seed: int) -> tuple[hierarchical.HierarchicalAgent, SheetVectorEnv]:
        agent, pool = make(seed, config, level=5)
        agent.initialize_from(payload)
        return agent, pool

    straight, straight_pool, resumed, resumed_pool = train_straight_and_resumed(warm, 5, 6, 2,
                                                                                tmp_path / "agent.pt")
    assert resumed.reference is not None and resumed.meta_reference is not None  # imitation ended after the save
    for (key, a), b in zip(straight.meta_reference.state_dict().items(), resumed.meta_reference.state_dict().values()):
        assert torch.equal(a, b), key
    for (key, a), b in zip(straight.networks.state_dict().items(), resumed.networks.state_dict().values()):
        assert torch.equal(a, b), key
    for key in straight_pool.obs:
        np.testing.assert_array_equal(straight_pool.obs[key], resumed_pool.obs[key])


@pytest.mark.parametrize("navigator", [False, True], ids=["options", "navigator"])
def test_after_imitation_the_meta_controller_learns_at_the_common_rate_near_where_imitation_left_it(
        navigator: bool) -> None:
    config = replace(SMALL, learning_rate=1e-4, meta_learning_rate=3e-3, meta_imitation_iterations=2, kl_coef=0.5,
                     navigator=navigator)
    agent, pool = make(6, config, level=5)
    rates = []
    for _ in range(3):
        agent.train_iteration(pool)
        rates.append(agent.optimizer.param_groups[0]["lr"])
        if agent.iteration == 2:
            assert agent.meta_reference is not None and agent.meta_dataset == {}
            for key, value in agent.networks["meta"].state_dict().items():
                assert torch.equal(agent.meta_reference.state_dict()[key], value), key
    assert rates == [3e-3, 3e-3, 1e-4]
    assert agent.optimizer.param_groups[1]["lr"] == 1e-4  # the specialists' rate never changes
    assert all(not p.requires_grad for p in agent.meta_reference.parameters())
    losses = agent.update_navigated(agent.collect_navigated(pool)[0]) if navigator \
        else agent.update(*agent.collect(pool)[:2])
    assert "losses/meta_kl_to_imitation" in losses and "losses/meta_imitation" not in losses


def test_every_step_minibatch_is_used_when_a_rollout_has_fewer_options_than_minibatches() -> None:
    agent, pool = make(7, replace(SMALL, num_minibatches=4))
    steps, options, _ = agent.collect(pool)
    few = {key: value[:2] for key, value in options.items()}  # two options for four minibatches
    before = {key: value.clone() for key, value in agent.networks.state_dict().items()}
    losses = agent.update(steps, few)
    assert all(math.isfinite(value) for value in losses.values())
    calls = []
    original = agent.precision.step
    agent.precision.step = lambda *args, **kwargs: (calls.append(1), original(*args, **kwargs))  # type: ignore[method-assign]
    agent.update(steps, few)
    assert len(calls) == SMALL.update_epochs * 4  # every step minibatch, not only the two with an option
    assert any(not torch.equal(before[key], value) for key, value in agent.networks.state_dict().items())


def test_the_meta_controller_can_start_from_the_source_networks_trunks(tmp_path: Path) -> None:
    bc_dir = _bc_run(tmp_path)
    bc = torch.load(bc_dir / "checkpoint.pt", weights_only=False)["agent"]["state"]["network"]
    runner = Runner.start(_quiet(algo="hierarchical", level=5, total_steps=32, run_dir=str(tmp_path / "h"),
                                 init_from=str(bc_dir), overrides={**WARM, "meta_hidden_sizes": (32, 32),
                                                                   "meta_trunks_from_source": True}))
    meta = runner.agent.networks["meta"].state_dict()
    trunks = [key for key in meta if "_trunk." in key]
    assert trunks and all(torch.equal(meta[key], bc["network." + key]) for key in trunks)
    assert meta["policy_head.weight"].shape[0] == len(SPECIALIST_NAMES)  # its own head, over the specialists
    with pytest.raises(ConfigError, match="meta_trunks_from_source starts the meta-controller's trunks from the "
                                          "--init-from run's network; give --init-from RUN"):
        Runner.start(_quiet(algo="hierarchical", level=5, total_steps=32, run_dir=str(tmp_path / "h3"),
                            overrides={"meta_trunks_from_source": True}))
    with pytest.raises(ConfigError, match=r"meta_trunks_from_source needs meta_hidden_sizes=\(32, 32\)"):
        Runner.start(_quiet(algo="hierarchical", level=5, total_steps=32, run_dir=str(tmp_path / "h2"),
                            init_from=str(bc_dir), overrides={**WARM, "meta_trunks_from_source": True}))


# ------------------------------------------------------------------------------------------- the navigator


def test_the_navigators_edit_event_holds_the_probability_of_every_legal_edit() -> None:
    """Uniform logits over 2 legal shared moves and 3 legal edits: each move keeps 1/5 and *edit now* gets 3/5;
    with no legal edit the event is ruled out and the moves share everything."""
    agent, _ = make(1, NAVIGATED)
    masks = torch.zeros(2, len(MACROS), dtype=torch.bool)
    for name in ("move_down", "done", "bold", "sum_above", "write_instructed_value"):
        masks[0, MACRO_INDEX[name]] = True
    masks[1, MACRO_INDEX["move_down"]] = masks[1, MACRO_INDEX["done"]] = True
    events = agent.navigator_events(torch.zeros(2, len(MACROS)), masks)
    probabilities = events.log_probs_all.exp()
    edit = len(MACROS)
    assert probabilities[0, MACRO_INDEX["move_down"]].item() == pytest.approx(0.2)
    assert probabilities[0, MACRO_INDEX["done"]].item() == pytest.approx(0.2)
    assert probabilities[0, edit].item() == pytest.approx(0.6)
    assert not events.masks[0, MACRO_INDEX["bold"]]  # an edit is never an event of its own
    assert probabilities[1, edit].item() == 0.0 and probabilities[1].sum().item() == pytest.approx(1.0)


def test_with_a_navigator_it_takes_every_shared_move_and_specialists_only_their_own_edits() -> None:
    agent, pool = make(3, NAVIGATED, level=5)
    steps, metrics = agent.collect_navigated(pool)
    edits, moves = steps["edit"], ~steps["edit"]
    assert edits.any() and moves.any()
    chosen_own = agent.own[steps["specialist"][edits], steps["action"][edits]]
    assert chosen_own.all()  # an edit is an own action of the specialist the meta-controller chose
    assert steps["legal"][edits].gather(1, steps["action"][edits][:, None]).all()
    assert not agent.own.any(0)[steps["event"][moves]].any()  # the navigator's own moves are shared actions
    assert metrics["meta/edit_share"] == pytest.approx(float(edits.float().mean()))
    assert sum(metrics[f"meta/{s}"] for s in SPECIALIST_NAMES) == pytest.approx(1.0)


@pytest.mark.parametrize("config", [SMALL, NAVIGATED], ids=["options", "navigator"])
def test_action_probabilities_are_what_act_samples(config: Config) -> None:
    """The marginal over the meta-controller's choice (``sheetrl demo --explain``) sums to 1 over the legal actions,
    and 4,000 samples of :meth:`act` in one state fall on each action at that rate."""
    agent, pool = make(2, config, level=5)
    obs = {key: np.repeat(value[:1], 4000, axis=0) for key, value in pool.obs.items()}
    masks = np.repeat(pool.masks[:1], 4000, axis=0)
    probabilities = agent.action_probabilities({key: value[:1] for key, value in obs.items()}, masks[:1])[0]
    assert probabilities.sum() == pytest.approx(1.0, abs=1e-5)
    assert (probabilities[~masks[0]] == 0).all()
    counts = np.bincount(agent.act(obs, masks), minlength=len(MACROS)) / 4000
    np.testing.assert_allclose(counts, probabilities, atol=0.03)


@pytest.mark.parametrize("config", [SMALL, NAVIGATED], ids=["options", "navigator"])
def test_search_evaluation_is_the_log_of_the_joint_policy_and_the_judges_value(config: Config) -> None:
    """Tree search on the hierarchy reads the log of :meth:`action_probabilities` (floored, so every legal action
    has a finite logit) and the value of the navigator (or without one the meta-controller)."""
    agent, pool = make(3, config, level=5)
    observation = {key: value[0] for key, value in pool.obs.items()}
    logits, value = agent.search_evaluation(observation)
    legal = pool.masks[0]
    probabilities = agent.action_probabilities({key: value[:1] for key, value in pool.obs.items()}, pool.masks[:1])[0]
    np.testing.assert_allclose(np.exp(logits[legal]), probabilities[legal], rtol=1e-5)
    assert np.isfinite(logits).all()
    np.testing.assert_allclose(logits[~legal], np.log(hierarchical.PRIOR_FLOOR), rtol=1e-6)
    judge = agent.networks["navigator" if config.navigator else "meta"]
    with torch.no_grad():
        expected = float(judge(torch.as_tensor(observation["flat"][None], dtype=torch.float32))[1][0])
    assert value == pytest.approx(expected)


def test_search_plays_on_top_of_the_hierarchy() -> None:
    from sheetrl.agents.alphazero import search_policy
    from sheetrl.train.evaluate import run_episodes

    agent, _ = make(4, NAVIGATED)
    policy = search_policy(agent, simulations=4)
    result = run_episodes(policy, 1, 2, split="ood", batch=2)
    assert result.episodes == 2 and len(policy.seconds) == round(result.mean_length * 2)
    assert all(not network.training for network in agent.networks.values())


def test_exact_resume_with_a_navigator(tmp_path: Path) -> None:
    straight, _, resumed, _ = train_straight_and_resumed(
        lambda seed: make(seed, replace(NAVIGATED, meta_imitation_iterations=2)), 5, 4, 2, tmp_path / "agent.pt")
    for (key, a), b in zip(straight.networks.state_dict().items(), resumed.networks.state_dict().values()):
        assert torch.equal(a, b), key


def test_a_checkpoint_is_refused_by_an_agent_with_the_other_kind_of_shared_moves() -> None:
    with_navigator, _ = make(1, NAVIGATED)
    without, _ = make(1)
    with pytest.raises(ValueError, match="navigator=True, this one navigator=False"):
        without.load_state_dict(with_navigator.state_dict())


def test_the_navigator_starts_as_the_bc_policy_too(tmp_path: Path) -> None:
    bc_dir = _bc_run(tmp_path)
    bc = torch.load(bc_dir / "checkpoint.pt", weights_only=False)["agent"]["state"]["network"]
    runner = Runner.start(_quiet(algo="hierarchical", level=5, total_steps=64, run_dir=str(tmp_path / "h"),
                                 init_from=str(bc_dir), overrides={**WARM, "navigator": True}))
    for key, value in bc.items():
        assert torch.equal(runner.agent.networks["navigator"].state_dict()[key.removeprefix("network.")], value)
    runner.run()
    lines = [json.loads(line) for line in (tmp_path / "h" / "metrics.jsonl").read_text().splitlines()]
    assert any("losses/navigator_kl_to_init" in line for line in lines)


@pytest.mark.parametrize("config", [SMALL, NAVIGATED], ids=["options", "navigator"])
def test_explain_choice_names_each_specialist_with_the_meta_controllers_probability(config: Config) -> None:
    agent, pool = make(2, config, level=5)
    obs = {key: value[0] for key, value in pool.obs.items()}
    mask = pool.masks[0].copy()
    mask[MACRO_INDEX["sum_above"]] = mask[MACRO_INDEX["bold"]] = True  # two specialists have an edit to make
    line = agent.explain_choice(obs, mask)
    flat = torch.as_tensor(obs["flat"][None], dtype=torch.float32)
    legal = torch.as_tensor(mask[None])
    with torch.no_grad():
        shares = MaskedCategorical(agent.networks["meta"](flat)[0], agent.meta_mask(legal)).log_probs_all.exp()[0]
    for index, name in enumerate(SPECIALIST_NAMES):
        assert f"{name} {float(shares[index]):.2f}" in line
    assert line.startswith("navigator: edit now ") == config.navigator


def test_a_navigated_update_is_flat_ppos_loss_for_the_factored_policy() -> None:
    """One epoch of one minibatch, so the logged losses are those of the first step, where every ratio is 1: the
    navigator's surrogate is ``-mean(A)`` over every step, and the specialist's and the meta-controller's are
    ``-sum(A over the edits) / steps`` (the share of the minibatch that edited), A normalized over the minibatch."""
    config = replace(NAVIGATED, num_steps=32, num_minibatches=1, update_epochs=1, meta_imitation_iterations=0)
    agent, pool = make(3, config, level=5)
    steps, _ = agent.collect_navigated(pool)
    assert steps["edit"].any() and not steps["edit"].all()
    advantage = (steps["advantage"] - steps["advantage"].mean()) / (steps["advantage"].std(correction=0) + 1e-8)
    calls: list[dict[str, object]] = []
    original = agent.precision.step
    agent.precision.step = lambda *args, **kwargs: (calls.append(kwargs), original(*args, **kwargs))  # type: ignore[method-assign]
    losses = agent.update_navigated(steps)
    batch = len(steps["event"])
    assert losses["losses/navigator_policy"] == pytest.approx(-advantage.mean().item(), abs=1e-5)
    edited = -advantage[steps["edit"]].sum().item() / batch
    assert losses["losses/specialist_policy"] == pytest.approx(edited, abs=1e-5)
    assert losses["losses/meta_policy"] == pytest.approx(edited, abs=1e-5)
    # each network's gradient is clipped by its own norm
    (call,) = calls
    assert [len(group) for group in call["clip_groups"]] == [  # type: ignore[union-attr]
        len(list(network.parameters())) for network in agent.networks.values()]


def test_meta_imitation_with_a_navigator_learns_the_experts_choices() -> None:
    """Labelled states (here twelve visited ones labelled by hand, one specialist masked out in three) are learnt
    exactly by the navigated update while imitating, which then takes no policy gradient for the meta-controller."""
    config = replace(NAVIGATED, num_steps=64, update_epochs=1, meta_imitation_iterations=100,
                     meta_learning_rate=3e-3, meta_imitation_batch=64)
    agent, pool = make(5, config, level=5)
    steps, _ = agent.collect_navigated(pool)
    data = _hand_labelled(agent, steps["flat"])
    for _ in range(40):
        losses = agent.update_navigated(steps)
    assert "losses/meta_imitation" in losses and "losses/meta_policy" not in losses
    with torch.no_grad():
        logits, _ = agent.networks["meta"](data["flat"])
    assert (MaskedCategorical(logits, data["mask"]).mode() == data["label"]).all()


def test_a_checkpoint_from_before_the_navigator_restores_as_the_options_it_was_trained_with(tmp_path: Path) -> None:
    """A checkpoint written before ``navigator`` existed has no such field; today's default (True) would build
    another network, so the runner restores it with ``navigator=False`` (``FIELDS_ADDED_LATER``)."""
    from sheetrl.train.runner import restore_agent

    Runner.start(_quiet(algo="hierarchical", level=1, total_steps=32, run_dir=str(tmp_path / "h"),
                        overrides={**WARM, "navigator": False, "meta_imitation_iterations": 0, "kl_coef": 0.0})).run()
    payload = torch.load(tmp_path / "h" / "checkpoint.pt", weights_only=False)
    del payload["agent"]["config"]["navigator"]
    del payload["agent"]["state"]["config"]["navigator"]
    agent = restore_agent(payload)
    assert agent.config.navigator is False and "navigator" not in agent.networks


def test_explain_choice_says_the_navigator_moves_when_no_edit_is_legal() -> None:
    agent, pool = make(2, NAVIGATED, level=5)
    obs = {key: value[0] for key, value in pool.obs.items()}
    moves_only = np.zeros_like(pool.masks[0])
    moves_only[MACRO_INDEX["move_down"]] = moves_only[MACRO_INDEX["done"]] = True
    assert agent.explain_choice(obs, moves_only) == "navigator: edit now 0.00 (no edit is legal: it moves)"
