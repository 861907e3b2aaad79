"""The AdvancedStateEncoder on real observations: each part's shape, where its gradient goes, switches, padding."""

from __future__ import annotations

import dataclasses
import re

import pytest
import torch
from gymnasium import spaces

from sheetrl.models.encoders import (
    AdvancedStateEncoder,
    EncoderConfig,
    SequenceEncoder,
    dependency_edges,
    grid_adjacency,
)
from sheetrl.models.spaces import ObservationSizes

PARTS = {"gnn": "use_gnn", "cnn": "use_cnn", "formula": "use_formula_lstm", "instruction": "use_instruction",
         "flat": "use_flat"}
READS = {"gnn": {"cell_tokens", "grid", "edges"}, "cnn": {"grid"}, "formula": {"formula_chain"},
         "instruction": {"instruction"}, "flat": {"flat"}}


def only(part: str, **overrides: object) -> EncoderConfig:
    flags = {flag: name == part for name, flag in PARTS.items()}
    return EncoderConfig(**flags, **overrides)  # type: ignore[arg-type]


def sizes_of(env) -> ObservationSizes:
    return ObservationSizes.from_spaces(env.observation_space, env.action_space)


def weighted_sum(output: torch.Tensor) -> torch.Tensor:
    """A loss whose gradient reaches every output unit (a plain sum can cancel through LayerNorm)."""
    weights = torch.randn(output.shape, generator=torch.Generator().manual_seed(0))
    return (output * weights).sum()


@pytest.mark.parametrize("part", list(PARTS))
def test_each_part_alone_gives_its_features_and_the_state_vector(with_formulas, part):
    env, obs = with_formulas
    torch.manual_seed(0)
    encoder = AdvancedStateEncoder(sizes_of(env), only(part, state_dim=40))
    features = encoder.part_features(obs)
    part_module = getattr(encoder, part)
    assert list(features) == [part]
    assert features[part].shape == (8, part_module.output_dim)
    assert encoder(obs).shape == (8, 40)
    assert set(encoder.observation_keys) == READS[part]
    for other in set(PARTS) - {part}:
        assert getattr(encoder, other) is None  # a part switched off has no parameters at all


@pytest.mark.parametrize("part", list(PARTS))
def test_gradient_reaches_every_parameter_of_the_part_and_only_the_embedding_rows_it_read(with_formulas, part):
    env, obs = with_formulas
    torch.manual_seed(0)
    encoder = AdvancedStateEncoder(sizes_of(env), only(part))
    weighted_sum(encoder(obs)).backward()
    for name, parameter in encoder.named_parameters():
        if isinstance(getattr(encoder, part), torch.nn.Module) and name.endswith("embedding.weight"):
            continue  # checked row by row below
        assert parameter.grad is not None and parameter.grad.abs().sum() > 0, name
    embeddings = {name: module for name, module in encoder.named_modules() if isinstance(module, torch.nn.Embedding)}
    sources = {"gnn.field_embeddings": lambda i: obs["cell_tokens"][..., i], "formula.embedding": "formula_chain",
               "instruction.embedding": "instruction"}
    for name, embedding in embeddings.items():
        if name.endswith("edge_type"):
            continue  # both directions exist whenever an edge does; covered by the parameter check
        prefix, _, index = name.rpartition(".")
        source = sources.get(name) or sources[prefix]
        ids = source(int(index)) if callable(source) else obs[source]
        used = torch.zeros(embedding.num_embeddings, dtype=torch.bool)
        used[ids.flatten()] = True
        if embedding.padding_idx is not None:
            used[embedding.padding_idx] = False  # padding never contributes
        touched = embedding.weight.grad.abs().sum(dim=1) > 0
        assert torch.equal(touched, used), name


@pytest.mark.parametrize("part", list(PARTS))
def test_a_part_ignores_every_observation_key_it_does_not_read(with_formulas, part):
    env, obs = with_formulas
    torch.manual_seed(0)
    encoder = AdvancedStateEncoder(sizes_of(env), only(part)).eval()
    before = encoder(obs)
    changed = dict(obs)
    generator = torch.Generator().manual_seed(1)
    for key in {"cell_tokens", "grid", "edges", "formula_chain", "instruction", "flat"} - READS[part]:
        if key == "edges":
            changed[key] = torch.full_like(obs[key], obs["cell_tokens"].shape[1])  # no edges at all
        elif obs[key].dtype.is_floating_point:
            changed[key] = torch.rand(obs[key].shape, generator=generator)
        else:
            changed[key] = torch.randint(1, 3, obs[key].shape, generator=generator)
    assert torch.equal(encoder(changed), before)
    for key in READS[part]:
        if key == "edges":
            altered = torch.full_like(obs[key], obs["cell_tokens"].shape[1])
        elif obs[key].dtype.is_floating_point:
            altered = obs[key] + 1.0
        else:
            altered = torch.where(obs[key] > 0, obs[key] + 1, obs[key]).clamp(max=2)
        assert not torch.allclose(encoder({**obs, key: altered}), before), key


def test_the_stencil_computes_the_same_messages_as_the_explicit_adjacency_edges(with_formulas):
    env, obs = with_formulas
    torch.manual_seed(0)
    stencil = AdvancedStateEncoder(sizes_of(env), only("gnn"))
    scatter = AdvancedStateEncoder(sizes_of(env), only("gnn", adjacency="scatter"))
    scatter.load_state_dict(stencil.state_dict())
    torch.testing.assert_close(scatter(obs), stencil(obs), atol=1e-5, rtol=1e-5)


def test_grid_adjacency_lists_each_neighbour_with_its_direction():
    edge_index, direction, degree = grid_adjacency(2, 3)  # cells 0 1 2 / 3 4 5
    edges = {(int(s), int(t), int(d)) for s, t, d in zip(edge_index[0], edge_index[1], direction)}
    assert (0, 3, 0) in edges and (3, 0, 1) in edges  # 0 is above 3; 3 is below 0
    assert (0, 1, 2) in edges and (1, 0, 3) in edges  # 0 is left of 1; 1 is right of 0
    assert len(edges) == 2 * (2 * 2 + 1 * 3)
    assert degree.tolist() == [2, 3, 2, 2, 3, 2]
    assert grid_adjacency(2, 3) is grid_adjacency(2, 3)  # cached per shape


def test_dependency_edges_drop_padding_offset_each_graph_and_add_the_reverse():
    cells = 4
    edges = torch.tensor([[[0, 1, 4], [2, 3, 4]],  # graph 0: 0->2, 1->3, padding
                          [[3, 4, 4], [1, 4, 4]]])  # graph 1: 3->1
    edge_index, edge_type = dependency_edges(edges, cells)
    pairs = {(int(s), int(t), int(k)) for s, t, k in zip(edge_index[0], edge_index[1], edge_type)}
    assert pairs == {(0, 2, 0), (1, 3, 0), (7, 5, 0), (2, 0, 1), (3, 1, 1), (5, 7, 1)}
    with pytest.raises(ValueError, match=re.escape("0..4")):
        dependency_edges(torch.tensor([[[5], [0]]]), cells)


def test_dependency_edges_change_what_the_gnn_computes(with_formulas):
    env, obs = with_formulas
    torch.manual_seed(0)
    encoder = AdvancedStateEncoder(sizes_of(env), only("gnn")).eval()
    without = {**obs, "edges": torch.full_like(obs["edges"], obs["cell_tokens"].shape[1])}
    changed = (encoder(obs) - encoder(without)).abs().sum(dim=1) > 0
    assert changed.tolist() == [True] * 4 + [False] * 4  # only the sheets that have dependency edges


@pytest.mark.parametrize("kind", ["lstm", "gru", "mean"])
def test_sequence_padding_does_not_change_the_encoding(kind):
    torch.manual_seed(0)
    encoder = SequenceEncoder(50, 8, 12, kind)
    tokens = torch.tensor([[5, 7, 9, 0, 0, 0], [3, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0]])
    short = encoder(tokens[:, :3])
    torch.testing.assert_close(encoder(tokens), short, atol=0, rtol=0)
    longer = torch.cat([tokens, torch.zeros(3, 10, dtype=torch.long)], dim=1)
    torch.testing.assert_close(encoder(longer), short, atol=0, rtol=0)
    assert torch.equal(short[2], torch.zeros(encoder.output_dim))  # an empty sequence encodes as zeros
    assert not torch.allclose(short[0], short[1])


def test_switches_and_sizes_are_validated(sizes):
    with pytest.raises(ValueError, match="at least one part"):
        EncoderConfig(use_gnn=False, use_cnn=False, use_formula_lstm=False, use_instruction=False)
    with pytest.raises(ValueError, match="adjacency"):
        EncoderConfig(adjacency="dense")
    with pytest.raises(ValueError, match="gnn_heads"):
        EncoderConfig(gnn_dim=30, gnn_heads=4)
    without_edges = spaces.Dict({"grid": spaces.Box(0, 1, (12, 4, 3)), "cell_tokens": spaces.Box(0, 9, (12, 4))})
    reduced = ObservationSizes.from_spaces(without_edges, spaces.Discrete(5))
    with pytest.raises(ValueError, match="no edges"):
        AdvancedStateEncoder(reduced, EncoderConfig())
    assert AdvancedStateEncoder(reduced, only("cnn"))(
        {"grid": torch.zeros(2, 12, 4, 3)}).shape == (2, EncoderConfig().state_dim)


def test_the_encoder_runs_under_bf16_autocast(with_formulas):
    env, obs = with_formulas
    torch.manual_seed(0)
    encoder = AdvancedStateEncoder(sizes_of(env), dataclasses.replace(EncoderConfig(), use_flat=True))
    with torch.autocast("cpu", dtype=torch.bfloat16):
        output = encoder(obs)
    assert output.dtype == torch.bfloat16 and torch.isfinite(output.float()).all()
    torch.testing.assert_close(output.float(), encoder(obs), atol=0.1, rtol=0.1)
