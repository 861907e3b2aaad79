"""PPO: GAE and the clipped losses on hand-computed numbers, masked sampling, exact resume, bf16 with gradient
accumulation, and a short training that beats the random masked policy on level 1."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest
import torch

from sheetrl.agents import algorithm
from sheetrl.agents.ppo import (
    IMPORTANCE_WEIGHT_MAX,
    PRESETS,
    Config,
    MaskedCategorical,
    build,
    clipped_policy_loss,
    compute_gae,
    normalize,
    value_loss,
)
from sheetrl.env.spreadsheet_env import EnvConfig
from sheetrl.models.precision import Precision
from sheetrl.train.evaluate import AgentPolicy, RandomMaskedPolicy, run_episodes

from .conftest import vector_env, with_time_limit
from .resume import train_straight_and_resumed

TINY = Config(num_envs=2, num_steps=16, num_minibatches=2, update_epochs=3, hidden_sizes=(32, 32))


def make(config: Config, level: int = 1, seed: int = 0, precision: Precision | None = None,
         max_steps: int | None = None):
    pool = vector_env(config.num_envs, EnvConfig(level=level, max_steps=max_steps), seed)
    agent = build(config, pool.single_observation_space, pool.single_action_space, "cpu", precision or Precision(),
                  seed)
    return agent, pool


def test_registry_exposes_ppo_with_quick_and_seed_presets():
    module = algorithm("ppo")
    assert module.name == "ppo"
    assert set(module.PRESETS) >= {"quick", "seed"}
    assert module.PRESETS["seed"].hidden_sizes == (512, 512)
    assert module.PRESETS["seed"].clip_coef == 0.2 and module.PRESETS["seed"].gae_lambda == 0.95
    assert module.PRESETS["seed"].update_epochs == 10 and module.PRESETS["seed"].max_grad_norm == 0.5


# ------------------------------------------------------------------------------------------------------- GAE
def test_gae_without_episode_ends_bootstraps_from_the_last_value():
    # gamma = lam = 0.5, so the advantage recursion weight is gamma * lam = 0.25.
    # delta_2 = 3 + 0.5 * 2.0 (last value) - 1.5 = 2.5         A_2 = 2.5
    # delta_1 = 2 + 0.5 * 1.5 - 1.0 = 1.75                      A_1 = 1.75 + 0.25 * 2.5   = 2.375
    # delta_0 = 1 + 0.5 * 1.0 - 0.5 = 1.0                       A_0 = 1.0  + 0.25 * 2.375 = 1.59375
    # returns = A + V = [2.09375, 3.375, 4.0]
    rewards = torch.tensor([[1.0], [2.0], [3.0]])
    values = torch.tensor([[0.5], [1.0], [1.5]])
    no = torch.zeros(3, 1, dtype=torch.bool)
    advantages, returns = compute_gae(rewards, values, no, no, torch.zeros(3, 1), torch.tensor([2.0]), 0.5, 0.5)
    assert torch.allclose(advantages[:, 0], torch.tensor([1.59375, 2.375, 2.5]))
    assert torch.allclose(returns[:, 0], torch.tensor([2.09375, 3.375, 4.0]))


def test_gae_terminated_does_not_bootstrap_and_truncated_bootstraps_from_the_final_observation():
    # Same numbers, gamma = lam = 0.5, two environments.
    # Env 0: terminated at t=1 (t=2 starts a new episode), truncated at t=2 with V(final_obs) = 4.0 (last value 2.0
    # belongs to the *next* episode and must not be used):
    #   delta_2 = 3 + 0.5 * 4.0 - 1.5 = 3.5                     A_2 = 3.5
    #   delta_1 = 2 + 0 - 1.0 = 1.0 (no bootstrap)              A_1 = 1.0 (recursion cut)
    #   delta_0 = 1 + 0.5 * 1.0 - 0.5 = 1.0                     A_0 = 1.0 + 0.25 * 1.0 = 1.25
    #   returns = [1.75, 2.0, 5.0]
    # Env 1: truncated at t=0 with V(final_obs) = 3.0, then runs on to the end of the rollout:
    #   delta_2 = 3 + 0.5 * 2.0 - 1.5 = 2.5                     A_2 = 2.5
    #   delta_1 = 2 + 0.5 * 1.5 - 1.0 = 1.75                    A_1 = 1.75 + 0.25 * 2.5 = 2.375
    #   delta_0 = 1 + 0.5 * 3.0 - 0.5 = 2.0                     A_0 = 2.0 (recursion cut)
    #   returns = [2.5, 3.375, 4.0]
    rewards = torch.tensor([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0]])
    values = torch.tensor([[0.5, 0.5], [1.0, 1.0], [1.5, 1.5]])
    terminated = torch.tensor([[False, False], [True, False], [False, False]])
    truncated = torch.tensor([[False, True], [False, False], [True, False]])
    final_values = torch.tensor([[99.0, 3.0], [99.0, 99.0], [4.0, 99.0]])  # 99: must never be read
    advantages, returns = compute_gae(rewards, values, terminated, truncated, final_values, torch.tensor([2.0, 2.0]),
                                      0.5, 0.5)
    assert torch.allclose(advantages, torch.tensor([[1.25, 2.0], [1.0, 2.375], [3.5, 2.5]]))
    assert torch.allclose(returns, torch.tensor([[1.75, 2.5], [2.0, 3.375], [5.0, 4.0]]))


def test_gae_with_lambda_one_is_the_discounted_return_minus_the_value():
    # lam = 1: A_t = sum_k gamma^k r_{t+k} + gamma^{T-t} V_last - V_t.  With gamma = 0.9, r = 1, V = 0, V_last = 10:
    # A_1 = 1 + 0.9 * 10 = 10.0;  A_0 = 1 + 0.9 * 1 + 0.81 * 10 = 10.0
    rewards, values = torch.ones(2, 1), torch.zeros(2, 1)
    no = torch.zeros(2, 1, dtype=torch.bool)
    advantages, _ = compute_gae(rewards, values, no, no, torch.zeros(2, 1), torch.tensor([10.0]), 0.9, 1.0)
    assert torch.allclose(advantages[:, 0], torch.tensor([10.0, 10.0]))


# ----------------------------------------------------------------------------------------------- the losses
def test_clipped_policy_loss_on_hand_computed_numbers():
    # clip 0.2, so ratios are clipped to [0.8, 1.2]; the loss per sample is max(-A * r, -A * clip(r)).
    #   A=+1, r=1.5: max(-1.5, -1.2) = -1.2  (clipped: no gradient)
    #   A=+1, r=0.5: max(-0.5, -0.8) = -0.5  (unclipped: d/dlogp = -A * r / 4 = -0.125)
    #   A=-1, r=1.5: max( 1.5,  1.2) =  1.5  (unclipped: d/dlogp = -A * r / 4 = +0.375)
    #   A=-2, r=0.5: max( 1.0,  1.6) =  1.6  (clipped: no gradient)
    # mean = (-1.2 - 0.5 + 1.5 + 1.6) / 4 = 0.35
    old = torch.zeros(4)
    new = torch.log(torch.tensor([1.5, 0.5, 1.5, 0.5])).requires_grad_()
    advantages = torch.tensor([1.0, 1.0, -1.0, -2.0])
    loss = clipped_policy_loss(new, old, advantages, 0.2)
    assert loss.item() == pytest.approx(0.35)
    loss.backward()
    assert torch.allclose(new.grad, torch.tensor([0.0, -0.125, 0.375, 0.0]))


def test_weighted_clipped_policy_loss_scales_each_sample_by_its_weight():
    # The samples of the test above with weights [2, 1, 0.5, 1]: (-1.2 * 2 - 0.5 + 1.5 * 0.5 + 1.6) / 4 = -0.1375;
    # gradients are the unweighted ones times the weights: [0, -0.125, 0.1875, 0].
    old = torch.zeros(4)
    new = torch.log(torch.tensor([1.5, 0.5, 1.5, 0.5])).requires_grad_()
    advantages = torch.tensor([1.0, 1.0, -1.0, -2.0])
    loss = clipped_policy_loss(new, old, advantages, 0.2, torch.tensor([2.0, 1.0, 0.5, 1.0]))
    assert loss.item() == pytest.approx(-0.1375)
    loss.backward()
    assert torch.allclose(new.grad, torch.tensor([0.0, -0.125, 0.1875, 0.0]))


ONE_STEP = Config(num_envs=2, num_steps=16, num_minibatches=1, update_epochs=1, hidden_sizes=(32, 32),
                  learning_rate=0.03)


def test_a_stale_update_clips_around_the_proximal_policy_not_the_one_that_acted():
    """Decoupled PPO (Hilton et al. 2021) for a rollout collected by older weights. One epoch of one minibatch is
    evaluated at the weights the update starts from: measured against that proximal policy nothing is clipped
    (ratio exactly 1), where against the behaviour policy, three large updates old, samples are."""
    runs = []
    for stale in (False, True):
        agent, pool = make(ONE_STEP, seed=4)
        rollout, last_value = agent.collect(pool)
        for _ in range(3):  # the weights move on before the first rollout is used
            agent.update(*agent.collect(pool))
        runs.append(agent.update(rollout, last_value, stale=stale))
    on_behaviour, on_proximal = runs
    assert on_behaviour["losses/clipfrac"] > 0.1
    assert on_proximal["losses/clipfrac"] == 0.0
    assert on_proximal["losses/approx_kl"] == pytest.approx(0.0, abs=1e-6)


def test_a_stale_update_weights_each_sample_by_proximal_over_behaviour_capped_at_the_maximum():
    """At its first step a stale update's policy loss is ``mean(-A * w)``: every ratio to the proximal policy is 1,
    so nothing is clipped and each sample counts by ``w = pi_proximal / pi_behaviour``, here computed by hand from a
    forward pass; two samples whose behaviour log-probability is made 10 lower get ``w`` capped at the maximum."""
    config = dataclasses.replace(ONE_STEP, entropy_coef=0.0, value_coef=0.0)
    agent, pool = make(config, seed=4)
    rollout, last_value = agent.collect(pool)
    for _ in range(3):
        agent.update(*agent.collect(pool))
    rollout.log_probs[0, :2] -= 10.0  # actions the behaviour policy (as recorded) hardly ever took
    batch = config.batch_size
    observations = {key: value.reshape(batch, *value.shape[2:]) for key, value in rollout.observations.items()}
    with torch.no_grad():
        logits, _ = agent.network(observations)
    proximal = MaskedCategorical(logits, rollout.masks.reshape(batch, -1)).log_prob(rollout.actions.reshape(batch))
    weights = torch.exp(proximal - rollout.log_probs.reshape(batch)).clamp(max=IMPORTANCE_WEIGHT_MAX)
    advantages, _ = compute_gae(rollout.rewards, rollout.values, rollout.terminated, rollout.truncated,
                                rollout.final_values, last_value, config.gamma, config.gae_lambda)
    expected = (-normalize(advantages.reshape(batch)) * weights).mean().item()  # the order does not change a mean
    metrics = agent.update(rollout, last_value, stale=True)
    assert metrics["losses/policy_loss"] == pytest.approx(expected, rel=1e-5, abs=1e-6)
    assert metrics["losses/importance_weight_max"] == pytest.approx(IMPORTANCE_WEIGHT_MAX)
    assert (weights[:2] == IMPORTANCE_WEIGHT_MAX).all() and (weights[2:] < IMPORTANCE_WEIGHT_MAX).all()


def test_a_stale_update_of_a_fresh_rollout_is_ppos_own():
    """When the rollout was collected by the current weights the weights pi_proximal / pi_behaviour are 1 and the
    proximal policy is the behaviour policy: the same update as without ``stale``."""
    fresh, fresh_pool = make(TINY, seed=6)
    twin, twin_pool = make(TINY, seed=6)
    fresh.update(*fresh.collect(fresh_pool))
    twin.update(*twin.collect(twin_pool), stale=True)
    for a, b in zip(_parameters(fresh), _parameters(twin), strict=True):
        assert torch.allclose(a, b, atol=1e-6)


def test_value_loss_clipped_and_unclipped():
    # new V = [1, 3], rollout V = [0, 0], returns = [2, 2].
    # Unclipped: 0.5 * mean((1-2)^2, (3-2)^2) = 0.5 * 1 = 0.5.
    # Clipped at 0.5: clipped V = [0.5, 0.5], errors (0.5-2)^2 = 2.25 both; max(1, 2.25) = 2.25 -> 0.5 * 2.25 = 1.125
    new, old, returns = torch.tensor([1.0, 3.0]), torch.zeros(2), torch.tensor([2.0, 2.0])
    assert value_loss(new, old, returns, None).item() == pytest.approx(0.5)
    assert value_loss(new, old, returns, 0.5).item() == pytest.approx(1.125)


def test_advantage_normalization_gives_zero_mean_unit_deviation():
    # [1, 2, 3]: mean 2, population std sqrt(2/3) -> [-1.2247, 0, 1.2247]
    assert torch.allclose(normalize(torch.tensor([1.0, 2.0, 3.0])), torch.tensor([-1.224744, 0.0, 1.224744]),
                          atol=1e-5)
    assert normalize(torch.tensor([5.0])).item() == 0.0


# ------------------------------------------------------------------------------------------------- masking
def test_masked_sampling_never_picks_an_illegal_action():
    generator = torch.Generator().manual_seed(0)
    rng = np.random.default_rng(0)
    for _ in range(20):
        masks = rng.random((64, 60)) < rng.uniform(0.02, 0.5)
        masks[np.arange(64), rng.integers(0, 60, 64)] = True  # at least one legal action per row
        # Illegal actions get the *largest* logits, so a leak would show at once.
        logits = torch.randn(64, 60, generator=generator) * 3 + 20.0 * torch.as_tensor(~masks)
        distribution = MaskedCategorical(logits, torch.as_tensor(masks))
        for _ in range(25):
            actions = distribution.sample(generator).numpy()
            assert masks[np.arange(64), actions].all()
        assert masks[np.arange(64), distribution.mode().numpy()].all()


def test_masked_sampling_matches_the_renormalized_probabilities():
    # Logits [0, log 3, 100, 0] with action 2 illegal: probabilities 1/5, 3/5, 0, 1/5.
    logits = torch.tensor([[0.0, math.log(3.0), 100.0, 0.0]]).repeat(20000, 1)
    masks = torch.tensor([[True, True, False, True]]).repeat(20000, 1)
    actions = MaskedCategorical(logits, masks).sample(torch.Generator().manual_seed(1))
    frequencies = torch.bincount(actions, minlength=4).float() / 20000
    assert torch.allclose(frequencies, torch.tensor([0.2, 0.6, 0.0, 0.2]), atol=0.015)


def test_masked_entropy_and_log_probs_are_finite_with_finite_gradients():
    logits = torch.randn(3, 6, dtype=torch.bfloat16).requires_grad_()
    masks = torch.tensor([[True, False, False, False, False, False],  # one legal action: entropy 0
                          [True, True, True, True, False, False],     # four legal actions
                          [False, False, False, False, False, True]])
    distribution = MaskedCategorical(logits, masks)
    log_probs = distribution.log_prob(torch.tensor([0, 2, 5]))
    entropy = distribution.entropy()
    assert torch.isfinite(distribution.log_probs_all).all() and torch.isfinite(entropy).all()
    assert log_probs[0].item() == 0.0 and log_probs[2].item() == 0.0
    assert entropy[0].item() == 0.0 and entropy[2].item() == 0.0
    assert 0.0 < entropy[1].item() <= math.log(4) + 1e-6
    (log_probs.sum() + entropy.sum()).backward()
    assert torch.isfinite(logits.grad).all()
    # Uniform logits over four legal actions: entropy log 4, each log-prob -log 4.
    uniform = MaskedCategorical(torch.zeros(1, 6), masks[1:2])
    assert uniform.entropy().item() == pytest.approx(math.log(4))
    assert uniform.log_prob(torch.tensor([3])).item() == pytest.approx(-math.log(4))


def test_rollout_stores_masks_and_bootstrap_values_of_truncated_episodes():
    # A two-step time limit truncates most episodes; every stored action is legal under its stored mask, the stored
    # log-probabilities are those of the stored masks, and truncated steps hold V(final_obs).
    agent, _ = make(TINY)
    pool = with_time_limit(TINY.num_envs, EnvConfig(level=1), 2)
    finals: dict[tuple[int, int], np.ndarray] = {}
    step, calls = pool.step, [0]

    def recording_step(actions):
        result = step(actions)
        for i in np.flatnonzero(result[4].get("_final_obs", [])):
            finals[(calls[0], int(i))] = result[4]["final_obs"][i]["flat"]
        calls[0] += 1
        return result

    pool.step = recording_step
    rollout, _ = agent.collect(pool)
    assert rollout.truncated.any()
    legal = rollout.masks.gather(-1, rollout.actions.unsqueeze(-1)).squeeze(-1)
    assert legal.all()
    with torch.no_grad():
        flat = rollout.observations["flat"]
        logits, values = agent.network({"flat": flat.reshape(-1, flat.shape[-1])})
        again = MaskedCategorical(logits, rollout.masks.reshape(-1, rollout.masks.shape[-1]))
        log_probs = again.log_prob(rollout.actions.reshape(-1))
    assert torch.allclose(log_probs, rollout.log_probs.reshape(-1), atol=1e-6)
    assert torch.allclose(values, rollout.values.reshape(-1), atol=1e-6)
    for t, i in zip(*torch.nonzero(rollout.truncated, as_tuple=True)):
        with torch.no_grad():
            expected = agent.network({"flat": torch.as_tensor(finals[(int(t), int(i))])[None]})[1][0]
        assert rollout.final_values[t, i].item() == pytest.approx(expected.item(), abs=1e-6)
    assert (rollout.final_values[~rollout.truncated] == 0).all()


def test_act_returns_legal_actions_for_pool_observations():
    agent, pool = make(TINY)
    for _ in range(10):
        for deterministic in (False, True):
            actions = agent.act(pool.obs, pool.masks, deterministic=deterministic)
            assert pool.masks[np.arange(pool.num_envs), actions].all()
        pool.step(agent.act(pool.obs, pool.masks))


# ---------------------------------------------------------------------------------- resume and precision
def _parameters(agent) -> list[torch.Tensor]:
    return [p.detach().clone() for p in agent.network.parameters()]


def test_resume_is_bit_exact_on_cpu(tmp_path):
    straight, straight_pool, resumed, resumed_pool = train_straight_and_resumed(
        lambda seed: make(TINY, seed=seed), seed=3, other_seed=11, iterations=2, checkpoint=tmp_path / "agent.pt")

    for a, b in zip(_parameters(straight), _parameters(resumed), strict=True):
        assert torch.equal(a, b)
    assert resumed.iteration == straight.iteration == 4
    assert np.array_equal(resumed_pool.obs["flat"], straight_pool.obs["flat"])
    assert torch.equal(resumed.generator.get_state(), straight.generator.get_state())


def test_a_state_saved_on_a_gpu_loads_into_an_agent_on_the_cpu():
    # Found on a GPU: the sampling generators of an agent trained on CUDA hold 16-byte states, which a CPU
    # generator refused, so the checkpoint of every PPO run trained on a GPU failed to load on a CPU.
    agent, pool = make(TINY, seed=3)
    agent.train_iteration(pool)
    state = agent.state_dict()
    cuda_state = torch.tensor([3, 0, 0, 0, 0, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0], dtype=torch.uint8)
    state["generator"], state["act_generator"] = cuda_state, cuda_state.clone()
    loaded, _ = make(TINY, seed=4)
    loaded.load_state_dict(state)
    for a, b in zip(_parameters(agent), _parameters(loaded), strict=True):
        assert torch.equal(a, b)
    again, _ = make(TINY, seed=5)
    again.load_state_dict(state)
    assert torch.equal(loaded.generator.get_state(), again.generator.get_state())  # loading it twice: alike


def test_bf16_with_gradient_accumulation_trains_on_cpu():
    agent, pool = make(TINY, precision=Precision("bf16", "cpu", accumulation_steps=2))
    before = _parameters(agent)
    for _ in range(2):
        steps, metrics = agent.train_iteration(pool)
    assert steps == TINY.num_envs * TINY.num_steps
    assert all(math.isfinite(metrics[key]) for key in ("losses/policy_loss", "losses/value_loss", "losses/entropy"))
    after = _parameters(agent)
    assert all(torch.isfinite(p).all() for p in after)
    assert any(not torch.equal(a, b) for a, b in zip(before, after))
    assert agent.precision.state_dict()["pending"] == 0  # every minibatch ended in an optimizer step


def test_gradient_accumulation_matches_whole_minibatches():
    # Two micro-batches of half a minibatch, each loss divided by 2, give the gradient of the whole minibatch.
    config = Config(num_envs=2, num_steps=16, num_minibatches=2, update_epochs=1, hidden_sizes=(32, 32))
    whole, whole_pool = make(config, seed=5)
    split, split_pool = make(config, seed=5, precision=Precision("fp32", "cpu", accumulation_steps=2))
    whole.train_iteration(whole_pool)
    split.train_iteration(split_pool)
    for a, b in zip(_parameters(whole), _parameters(split), strict=True):
        assert torch.allclose(a, b, atol=1e-5)


def test_configuration_errors_are_explicit():
    with pytest.raises(ValueError, match="minibatches"):
        Config(num_envs=3, num_steps=5, num_minibatches=4)
    with pytest.raises(ValueError, match="accumulation"):
        make(Config(num_envs=2, num_steps=3, num_minibatches=2, hidden_sizes=(8,)),
             precision=Precision("fp32", "cpu", accumulation_steps=2))
    agent, _ = make(TINY)
    with pytest.raises(ValueError, match="num_envs"):
        agent.collect(vector_env(3, EnvConfig(level=1), 0))


# ------------------------------------------------------------------------------------------------- learning
def test_short_training_beats_the_random_masked_policy_on_level_1():
    torch.manual_seed(0)
    agent, pool = make(PRESETS["quick"], seed=0)
    for _ in range(12):
        agent.train_iteration(pool)
    random_rate = run_episodes(RandomMaskedPolicy(0), 1, 50).success_rate
    trained_rate = run_episodes(AgentPolicy(agent), 1, 50).success_rate
    assert trained_rate > random_rate + 0.2, (trained_rate, random_rate)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), -0.5])
def test_kl_coef_must_be_a_finite_number_not_below_zero(value: float) -> None:
    with pytest.raises(ValueError, match="kl_coef must be a finite number >= 0"):
        Config(kl_coef=value)


@pytest.mark.parametrize("algo", ["ppo", "bc", "dqn", "alphazero"])
@pytest.mark.parametrize("rate", [float("inf"), float("nan"), 0.0])
def test_every_agent_refuses_a_step_size_that_is_not_finite_and_positive(algo: str, rate: float) -> None:
    from sheetrl.agents import algorithm

    config_class = algorithm(algo).Config
    with pytest.raises(ValueError, match="learning_rate"):
        config_class(learning_rate=rate)


@pytest.mark.parametrize(
    ("key", "value"),
    [("max_grad_norm", -1.0), ("max_grad_norm", 0.0), ("value_clip_coef", 0.0), ("value_coef", -0.5),
     ("entropy_coef", -0.01), ("entropy_coef", float("nan")), ("clip_coef", float("nan"))],
)
def test_a_clip_or_loss_weight_of_the_wrong_sign_is_refused(key: str, value: float) -> None:
    # a negative gradient clip makes every update ascend the loss; a negative weight maximizes its term
    with pytest.raises(ValueError, match=key):
        Config(**{key: value})


@pytest.mark.parametrize("algo", ["ppo", "bc", "dqn", "alphazero", "hierarchical"])
def test_every_agent_refuses_a_gradient_clip_that_is_not_positive(algo: str) -> None:
    from sheetrl.agents import algorithm

    config_class = algorithm(algo).Config
    for value in (-1.0, 0.0):
        with pytest.raises(ValueError, match="max_grad_norm"):
            config_class(max_grad_norm=value)
