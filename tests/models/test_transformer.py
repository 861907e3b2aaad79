"""SpreadsheetGPT on real observations: heads, padding, attention, causal decoding, presets, precision."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F

from sheetrl.env.commands import parse_command
from sheetrl.env.tokens import BOS, EOS, encode_command
from sheetrl.models.transformer import (
    PRESETS,
    SpreadsheetGPT,
    TransformerConfig,
    command_targets,
    preset,
)


@pytest.fixture(scope="module")
def model(sizes) -> SpreadsheetGPT:
    torch.manual_seed(0)
    return SpreadsheetGPT(sizes, TransformerConfig(d_model=32, heads=4, layers=2, feedforward=64)).eval()


def with_history(obs: dict[str, torch.Tensor], history: list[list[int]]) -> dict[str, torch.Tensor]:
    return {**obs, "action_history": torch.tensor(history)}


def test_heads_give_masked_action_logits_and_values(model, simple_formula):
    _, obs = simple_formula
    logits, values = model(obs)
    assert logits.shape == (6, obs["action_mask"].shape[1]) and values.shape == (6,)
    legal = obs["action_mask"].bool()
    assert (logits[~legal] == torch.finfo(logits.dtype).min).all()
    assert torch.isfinite(logits[legal]).all() and (logits[legal] > -1e4).all()
    assert torch.softmax(logits, dim=-1)[~legal].sum() == 0


def test_instruction_and_history_padding_never_change_an_output(model, simple_formula):
    _, obs = simple_formula
    history = with_history(obs, [[3, 1, -1, -1]] * 6)
    length = int((obs["instruction"] != 0).sum(dim=1).max())
    shorter = {**history, "instruction": obs["instruction"][:, :length],
               "action_history": history["action_history"][:, :2]}
    for full, short in zip(model(history), model(shorter)):
        torch.testing.assert_close(full, short, atol=1e-5, rtol=1e-5)
    assert not torch.allclose(model(history)[0], model(obs)[0])  # the history itself does count


def test_padding_cells_can_hold_anything(model, simple_formula):
    _, obs = simple_formula
    cell_mask = torch.ones(obs["cell_tokens"].shape[:2], dtype=torch.bool)
    cell_mask[:, 200:] = False
    masked = {**obs, "cell_mask": cell_mask}
    scrambled_tokens = obs["cell_tokens"].clone()
    scrambled_tokens[:, 200:] = torch.randint(0, 10, scrambled_tokens[:, 200:].shape)
    scrambled_grid = obs["grid"].clone().flatten(2)
    scrambled_grid[:, :, 200:] = torch.rand(scrambled_grid[:, :, 200:].shape)
    scrambled = {**masked, "cell_tokens": scrambled_tokens, "grid": scrambled_grid.view_as(obs["grid"])}
    for a, b in zip(model(masked), model(scrambled)):
        torch.testing.assert_close(a, b, atol=1e-5, rtol=1e-5)


def test_only_cells_that_differ_from_the_blank_background_become_tokens(model, simple_formula, sizes):
    _, obs = simple_formula
    index, valid = model._select_cells(obs["cell_tokens"], obs["grid"], None)
    for row in range(6):
        kept = set(index[row][valid[row]].tolist())
        channels = obs["grid"][row].flatten(1).t()  # (cells, C)
        blank = (obs["cell_tokens"][row] == 0).all(dim=1)
        background = channels[blank].mode(dim=0).values
        expected = {i for i in range(sizes.cells) if not blank[i] or not torch.equal(channels[i], background)}
        assert kept == expected
        cursor = int(obs["grid"][row, 9].flatten().argmax())  # channel 9 marks the cursor (env/observation.py)
        assert cursor in kept and len(kept) < sizes.cells / 2
    dense = SpreadsheetGPT(sizes, TransformerConfig(d_model=32, heads=4, layers=1, feedforward=64,
                                                    sparse_cells=False))
    assert dense._select_cells(obs["cell_tokens"], obs["grid"], None)[1].all()


def test_chunked_forward_gives_the_outputs_of_one_batch(sizes, simple_formula):
    _, obs = simple_formula
    torch.manual_seed(0)
    chunked = SpreadsheetGPT(sizes, TransformerConfig(d_model=32, heads=4, layers=2, feedforward=64, chunk_size=2))
    whole = SpreadsheetGPT(sizes, TransformerConfig(d_model=32, heads=4, layers=2, feedforward=64, chunk_size=0))
    whole.load_state_dict(chunked.state_dict())
    assert len(chunked._chunks(obs)) == 3
    for a, b in zip(chunked(obs), whole(obs)):
        torch.testing.assert_close(a, b, atol=1e-5, rtol=1e-5)


def test_attention_never_reaches_padding(model, simple_formula):
    _, obs = simple_formula
    context = model.encode(with_history(obs, [[2, -1, -1]] * 6), need_weights=True)
    assert context.attention is not None and len(context.attention) == 2
    padding = ~context.valid  # (B, S)
    for weights in context.attention:  # (B, heads, S, S)
        to_padding = weights.masked_fill(~padding[:, None, None, :], 0.0)
        eye = torch.eye(weights.shape[-1], dtype=torch.bool)
        assert to_padding.masked_fill(eye, 0.0).abs().max() == 0  # only a padding token itself attends to it
        torch.testing.assert_close(weights.sum(-1), torch.ones_like(weights.sum(-1)))
    assert padding.any()


def test_cell_attention_is_a_map_over_the_grid(model, simple_formula, sizes):
    _, obs = simple_formula
    heat = model.cell_attention(obs)
    assert heat.shape == (6, sizes.rows, sizes.cols)
    assert (heat >= 0).all() and (heat.sum(dim=(1, 2)) <= 1 + 1e-5).all()
    first_layer = model.cell_attention(obs, layer=0)
    assert not torch.allclose(first_layer, heat)


def test_command_tokens_are_causal_and_see_the_context(model, simple_formula):
    _, obs = simple_formula
    context = model.encode(obs)
    tokens = torch.tensor([[BOS, *encode_command(parse_command("formula B5 =SUM(B2:B4)")), EOS]] * 6)
    logits = model.command_logits(context, tokens)
    assert logits.shape == (6, tokens.shape[1], len(model.token_vocabulary))
    changed = tokens.clone()
    changed[:, 6:] = 0
    torch.testing.assert_close(model.command_logits(context, changed)[:, :6], logits[:, :6])
    assert not torch.allclose(logits[0], logits[3])  # different sheets, different predictions
    step_by_step = torch.stack([model.command_logits(context, tokens[:, : j + 1])[:, -1] for j in range(8)], dim=1)
    torch.testing.assert_close(step_by_step, logits[:, :8], atol=1e-5, rtol=1e-5)


def test_decoded_commands_always_parse_even_from_an_untrained_model(model, simple_formula):
    _, obs = simple_formula
    decoded = model.decode_commands(obs, max_length=30, greedy=False, generator=torch.Generator().manual_seed(3))
    assert len(decoded.commands) == 6 and decoded.tokens.shape[0] == 6
    for command, row in zip(decoded.commands, decoded.tokens.tolist()):
        assert parse_command(str(command)) == command
        assert EOS in row and len(row) <= 30
    assert (decoded.log_probs < 0).all()
    again = model.decode_commands(obs, max_length=30, greedy=False, generator=torch.Generator().manual_seed(3))
    assert torch.equal(again.tokens, decoded.tokens)


def test_the_token_head_learns_a_command_under_teacher_forcing(sizes, simple_formula):
    _, obs = simple_formula
    torch.manual_seed(0)
    model = SpreadsheetGPT(sizes, TransformerConfig(d_model=32, heads=2, layers=1, feedforward=64))
    target = parse_command("formula C7 =AVERAGE(C2:C6)")
    tokens = torch.tensor([[BOS, *encode_command(target), EOS]] * 6)
    inputs, targets = command_targets(tokens)
    optimizer = torch.optim.Adam(model.parameters(), lr=3e-3)
    for _ in range(60):
        logits = model.command_logits(model.encode(obs), inputs)
        loss = F.cross_entropy(logits.flatten(0, 1), targets.flatten())
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    assert model.decode_commands(obs, max_length=20).commands == [target] * 6


def test_presets_build_and_the_seed_preset_runs(simple_formula, sizes):
    _, obs = simple_formula
    quick = SpreadsheetGPT(sizes, PRESETS["quick"])
    assert (quick.config.d_model, quick.config.heads, quick.config.layers, quick.config.feedforward) == (128, 4, 2, 512)
    seed = SpreadsheetGPT(sizes, preset("seed", dropout=0.0)).eval()
    assert (seed.config.d_model, seed.config.heads, seed.config.layers, seed.config.feedforward) == (768, 12, 6, 3072)
    with torch.no_grad():
        logits, values = seed({key: value[:2] for key, value in obs.items()})
    assert logits.shape == (2, obs["action_mask"].shape[1]) and torch.isfinite(values).all()
    with pytest.raises(ValueError, match="unknown transformer preset"):
        preset("huge")


def test_bf16_autocast_forward_matches_float32(model, simple_formula):
    _, obs = simple_formula
    reference_logits, reference_values = model(obs)
    with torch.autocast("cpu", dtype=torch.bfloat16):
        logits, values = model(obs)
        decoded = model.decode_commands(obs, max_length=12)
    legal = obs["action_mask"].bool()
    torch.testing.assert_close(logits.float()[legal], reference_logits[legal], atol=0.05, rtol=0.05)
    torch.testing.assert_close(values.float(), reference_values, atol=0.05, rtol=0.05)
    assert all(parse_command(str(c)) == c for c in decoded.commands)


def test_gradient_accumulation_equals_one_large_batch(sizes, simple_formula):
    _, obs = simple_formula
    torch.manual_seed(0)
    model = SpreadsheetGPT(sizes, TransformerConfig(d_model=32, heads=2, layers=1, feedforward=64))

    def loss_of(batch: dict[str, torch.Tensor]) -> torch.Tensor:
        logits, values = model(batch)
        return torch.log_softmax(logits, -1).clamp(min=-50).sum() + values.square().sum()

    loss_of(obs).backward()
    trained = [p for p in model.parameters() if p.grad is not None]  # the token head's inputs are not used here
    whole = [p.grad.clone() for p in trained]
    model.zero_grad()
    for half in (slice(0, 3), slice(3, 6)):
        loss_of({key: value[half] for key, value in obs.items()}).backward()
    for parameter, reference in zip(trained, whole):
        torch.testing.assert_close(parameter.grad, reference, atol=1e-5, rtol=1e-4)


def test_inputs_are_checked(model, simple_formula):
    _, obs = simple_formula
    with pytest.raises(ValueError, match="max_history"):
        model(with_history(obs, [[0] * 17] * 6))
    with pytest.raises(ValueError, match="ids >="):
        model(with_history(obs, [[10_000]] * 6))
    with pytest.raises(ValueError, match="heads"):
        TransformerConfig(d_model=30, heads=4)
    with pytest.raises(ValueError, match="<bos>"):
        command_targets(torch.tensor([[5, 6]]))
