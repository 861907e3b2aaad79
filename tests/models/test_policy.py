"""build_policy: one interface over the MLP, encoder and transformer networks; the MLP keeps the agents' numbers."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from sheetrl.agents import dqn, ppo
from sheetrl.models.encoders import AdvancedStateEncoder, EncoderConfig
from sheetrl.models.policy import MLPPolicyConfig, build_policy, to_tensors
from sheetrl.models.precision import Precision
from sheetrl.models.transformer import SpreadsheetGPT, TransformerConfig

SMALL = {
    "mlp": MLPPolicyConfig(hidden_sizes=(32, 32)),
    "encoder": EncoderConfig(state_dim=32, gnn_dim=16, cnn_channels=8, formula_hidden=16, instruction_hidden=16),
    "transformer": TransformerConfig(d_model=32, heads=2, layers=1, feedforward=64),
}


def test_the_mlp_is_ppos_network_with_the_same_weights_and_outputs(simple_formula):
    env, obs = simple_formula
    agent = ppo.build(ppo.PRESETS["quick"], env.observation_space, env.action_space, "cpu", Precision(), seed=11)
    torch.manual_seed(11)
    policy = build_policy("mlp", env.observation_space, env.action_space,
                          MLPPolicyConfig(hidden_sizes=ppo.PRESETS["quick"].hidden_sizes))
    for ours, theirs in zip(policy.parameters(), agent.network.parameters(), strict=True):
        assert torch.equal(ours, theirs)
    # PPO reads this network through build_policy; its own ActorCritic class, built under the same seed, is the
    # network it had before, weight for weight and output for output
    torch.manual_seed(11)
    quick = ppo.PRESETS["quick"]
    reference = ppo.ActorCritic(obs["flat"].shape[-1], env.action_space.n, quick.hidden_sizes, quick.shared_trunk)
    for ours, theirs in zip(policy.parameters(), reference.parameters(), strict=True):
        assert torch.equal(ours, theirs)
    logits, values = policy(to_tensors(obs, policy.observation_keys))
    reference_logits, reference_values = reference(obs["flat"].float())
    legal = obs["action_mask"].bool()
    assert torch.equal(logits[legal], reference_logits[legal]) and torch.equal(values, reference_values)
    assert (logits[~legal] == torch.finfo(torch.float32).min).all()


def test_the_q_network_is_dqns_network_and_its_value_is_the_best_legal_q(simple_formula):
    env, obs = simple_formula
    config = dqn.PRESETS["quick"]
    agent = dqn.build(config, env.observation_space, env.action_space, seed=5)
    torch.manual_seed(5)
    policy = build_policy("mlp", env.observation_space, env.action_space,
                          MLPPolicyConfig(network="q_network", hidden_sizes=config.hidden_sizes,
                                          dropout=config.dropout)).eval()
    for ours, theirs in zip(policy.parameters(), agent.q_network.parameters(), strict=True):
        assert torch.equal(ours, theirs)
    q_values, values = policy(to_tensors(obs, policy.observation_keys))
    legal = obs["action_mask"].bool()
    reference = torch.as_tensor(agent.q_values(obs["flat"].numpy()))
    assert torch.equal(q_values[legal], reference[legal])
    assert torch.equal(values, reference.masked_fill(~legal, -torch.inf).max(dim=1).values)


@pytest.mark.parametrize("kind", ["mlp", "encoder", "transformer"])
def test_every_kind_maps_observations_to_masked_logits_and_values_and_learns(kind, with_formulas):
    env, obs = with_formulas
    torch.manual_seed(0)
    policy = build_policy(kind, env.observation_space, env.action_space, SMALL[kind])
    batch = to_tensors(obs, policy.observation_keys)
    assert set(batch) <= set(policy.observation_keys) and "action_mask" in batch
    logits, values = policy(batch)
    legal = obs["action_mask"].bool()
    assert logits.shape == legal.shape and values.shape == (legal.shape[0],)
    assert (logits[~legal] == torch.finfo(logits.dtype).min).all() and torch.isfinite(values).all()
    loss = -torch.log_softmax(logits, -1)[legal].mean() + values.square().mean()
    loss.backward()
    assert any(p.grad is not None and p.grad.abs().sum() > 0 for p in policy.parameters())


def test_each_kind_reads_the_documented_keys(simple_formula):
    env, _ = simple_formula
    keys = {kind: set(build_policy(kind, env.observation_space, env.action_space, SMALL[kind]).observation_keys)
            for kind in SMALL}
    assert keys["mlp"] == {"flat", "action_mask"}
    assert keys["encoder"] == {"cell_tokens", "grid", "edges", "formula_chain", "instruction", "action_mask"}
    assert keys["transformer"] == {"grid", "cell_tokens", "instruction", "action_mask", "action_history",
                                   "cell_mask"}
    encoder = build_policy("encoder", env.observation_space, env.action_space, EncoderConfig(use_flat=True))
    assert "flat" in encoder.observation_keys
    assert isinstance(encoder.encoder, AdvancedStateEncoder)
    assert isinstance(build_policy("transformer", env.observation_space, env.action_space), SpreadsheetGPT)


def test_to_tensors_converts_only_the_keys_asked_for_with_the_expected_dtypes():
    observations = {"flat": np.zeros((2, 4), np.float64), "action_mask": np.ones((2, 3), np.int8),
                    "instruction": np.ones((2, 5), np.int32), "grid": np.zeros((2, 1, 2, 2), np.float32)}
    tensors = to_tensors(observations, ["flat", "action_mask", "instruction", "action_history"])
    assert set(tensors) == {"flat", "action_mask", "instruction"}
    assert (tensors["flat"].dtype, tensors["action_mask"].dtype, tensors["instruction"].dtype) == (
        torch.float32, torch.bool, torch.int64)


def test_a_wrong_kind_or_config_is_refused(simple_formula):
    env, _ = simple_formula
    with pytest.raises(ValueError, match="unknown policy kind"):
        build_policy("lstm", env.observation_space, env.action_space)
    with pytest.raises(TypeError, match=r"kind .encoder. takes a EncoderConfig, not a MLPPolicyConfig"):
        build_policy("encoder", env.observation_space, env.action_space, MLPPolicyConfig())
    with pytest.raises(ValueError, match="network must be"):
        MLPPolicyConfig(network="cnn")


def test_factored_actions_add_each_macros_parts_to_its_own_logit_and_keep_the_other_weights(simple_formula):
    from sheetrl.env.actions import MACRO_INDEX, MACRO_PART_NAMES, MACROS, macro_parts

    env, obs = simple_formula
    torch.manual_seed(3)
    plain = build_policy("mlp", env.observation_space, env.action_space, MLPPolicyConfig(hidden_sizes=(32, 32)))
    torch.manual_seed(3)
    factored = build_policy("mlp", env.observation_space, env.action_space,
                            MLPPolicyConfig(hidden_sizes=(32, 32), factored_actions=True))
    weights = dict(factored.named_parameters())
    for name, value in plain.named_parameters():  # the parts head is built last: the rest are the same weights
        assert torch.equal(value, weights[name]), name
    network = factored.network
    with torch.no_grad():  # only the parts speak: part j's logit is j + 1
        network.policy_head.weight.zero_()
        network.policy_head.bias.zero_()
        network.parts_head.weight.zero_()
        network.parts_head.bias.copy_(torch.arange(1.0, len(MACRO_PART_NAMES) + 1))
    logits, _ = factored(to_tensors({**obs, "action_mask": np.ones_like(obs["action_mask"])},
                                    factored.observation_keys))
    place = {part: i + 1.0 for i, part in enumerate(MACRO_PART_NAMES)}
    for macro in MACROS:
        assert logits[0, MACRO_INDEX[macro.name]].item() == pytest.approx(
            sum(place[part] for part in macro_parts(macro.name)))
    with pytest.raises(ValueError, match="actor_critic"):
        MLPPolicyConfig(network="q_network", factored_actions=True)


def test_instructed_factoring_scores_computations_from_the_instruction_words_alone(simple_formula):
    from sheetrl.env.actions import MACRO_INDEX, MACRO_PART_NAMES, MACROS, is_computation_part, macro_parts
    from sheetrl.env.observation import COMPUTATION_WORDS, FLAT_COMPUTATION_WORDS, FLAT_LAYOUT, OPERATION_WORDS

    env, obs = simple_formula
    policy = build_policy("mlp", env.observation_space, env.action_space,
                          MLPPolicyConfig(hidden_sizes=(32, 32), factored_actions="instructed"))
    network = policy.network
    with torch.no_grad():  # own logit 100 for every macro, part j's logit j + 1 from the state, 1000 * (j + 1)
        network.policy_head.weight.zero_()  # from the words
        network.policy_head.bias.fill_(100.0)
        network.parts_head.weight.zero_()
        network.parts_head.bias.copy_(torch.arange(1.0, len(MACRO_PART_NAMES) + 1))
        network.words_head[-1].weight.zero_()
        network.words_head[-1].bias.copy_(1000 * torch.arange(1.0, len(MACRO_PART_NAMES) + 1))
    mask = np.ones_like(obs["action_mask"])
    logits, _ = policy(to_tensors({**obs, "action_mask": mask}, policy.observation_keys))
    place = {part: i + 1.0 for i, part in enumerate(MACRO_PART_NAMES)}
    for macro in MACROS:
        parts = macro_parts(macro.name)
        computes = any(is_computation_part(part) for part in parts)
        expected = (0.0 if computes else 100.0) + sum(place[p] * (1000 if is_computation_part(p) else 1) for p in parts)
        assert logits[0, MACRO_INDEX[macro.name]].item() == pytest.approx(expected), macro.name
    assert is_computation_part("1:min") and is_computation_part("2:ratio") and not is_computation_part("2:above")

    # with trained-looking weights, the computation parts move with the words and with nothing else
    torch.manual_seed(0)
    for parameter in network.parameters():
        torch.nn.init.normal_(parameter, std=0.3)
    flat = obs["flat"].float()  # the fixture's batch of observations
    words = FLAT_COMPUTATION_WORDS  # the first words of the bag: only those that name a computation
    assert words.start == FLAT_LAYOUT["words"].start and OPERATION_WORDS[: len(COMPUTATION_WORDS)] == COMPUTATION_WORDS
    assert "fill" not in COMPUTATION_WORDS and {"minimum", "divided", "total"} <= set(COMPUTATION_WORDS)
    other = flat.clone()
    other[:, : words.start] = torch.rand_like(other[:, : words.start])  # the sheet, cursor, level: all changed
    other[:, words.stop :] = torch.rand_like(other[:, words.stop :])
    worded = flat.clone()
    worded[:, words] = 1.0 - worded[:, words]
    with torch.no_grad():
        computation = torch.tensor([is_computation_part(p) for p in MACRO_PART_NAMES])

        def part_scores(x: torch.Tensor) -> torch.Tensor:
            state = network.parts_head(network.policy_trunk(x))
            return torch.where(computation, network.words_head(x[:, words]), state)

        assert torch.equal(part_scores(flat)[:, computation], part_scores(other)[:, computation])
        assert not torch.equal(part_scores(flat)[:, computation], part_scores(worded)[:, computation])
        assert not torch.equal(part_scores(flat)[:, ~computation], part_scores(other)[:, ~computation])
        parts_matrix = network.action_parts
        own = network.policy_head(network.policy_trunk(flat)) * network.own_logit
        assert torch.allclose(network(flat)[0], own + part_scores(flat) @ parts_matrix.T)
    with pytest.raises(ValueError, match="factored_actions must be one of"):
        MLPPolicyConfig(factored_actions="words")


@pytest.mark.parametrize("words", [slice(None, 10), slice(5, 3), slice(0, 20, 2), slice(760, 800)])
def test_an_instructed_head_refuses_instruction_words_that_are_not_a_span_of_its_inputs(words: slice):
    from sheetrl.models.mlp import ActorCritic
    from sheetrl.models.policy import computation_part_vector, macro_part_matrix

    parts = macro_part_matrix(69)
    with pytest.raises(ValueError, match="instruction_words must be a contiguous slice of the 768 inputs"):
        ActorCritic(768, 69, (8,), False, parts, computation_part_vector(), words)
    assert ActorCritic(768, 69, (8,), False, parts, computation_part_vector(), slice(0, 10)).words_head is not None


@pytest.mark.parametrize("factoring", ["off", "parts", "instructed"])
@pytest.mark.parametrize("dtype", [torch.bfloat16, torch.float16])
def test_factored_logits_keep_the_autocast_dtype_and_their_order(simple_formula, factoring: str,
                                                                   dtype: torch.dtype):
    env, obs = simple_formula
    torch.manual_seed(0)
    policy = build_policy("mlp", env.observation_space, env.action_space,
                          MLPPolicyConfig(hidden_sizes=(32, 32), factored_actions=factoring))
    inputs = to_tensors(obs, policy.observation_keys)
    legal = inputs["action_mask"].bool()
    with torch.no_grad():
        full, _ = policy(inputs)
        with torch.autocast("cpu", dtype=dtype):
            low, _ = policy(inputs)
    assert low.dtype == dtype  # as the plain head: no float32 buffer promotes the instructed head's logits
    assert torch.isfinite(low).all() and (low[~legal] == torch.finfo(dtype).min).all()
    assert torch.equal(low.float().masked_fill(~legal, -math.inf).argmax(-1), full.argmax(-1))
    assert torch.allclose(low.float()[legal], full[legal], atol=0.05)


def test_macro_parts_are_distinct_per_macro_and_split_conditional_aggregates():
    from sheetrl.env.actions import MACROS, macro_parts

    assert macro_parts("averageif_left") == ("1:average", "1:if", "2:left")
    assert macro_parts("max_above") == ("1:max", "2:above")
    assert macro_parts("left_sum") != macro_parts("sum_left")
    assert len({frozenset(macro_parts(m.name)) for m in MACROS}) == len(MACROS)
