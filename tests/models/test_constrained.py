"""constrained_decode: whatever the logits, every command ends in time, decodes and parses."""

from __future__ import annotations

import pytest
import torch
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetrl.env.commands import parse_command
from sheetrl.env.tokens import BOS, EOS, PAD
from sheetrl.models.command_grammar import command_grammar
from sheetrl.models.constrained import constrained_decode, mask_logits

GRAMMAR = command_grammar()


def random_logits(seed: int, scale: float):
    generator = torch.Generator().manual_seed(seed)

    def next_token_logits(prefix: torch.Tensor) -> torch.Tensor:
        assert (prefix[:, 0] == BOS).all()
        return torch.randn(prefix.shape[0], GRAMMAR.size, generator=generator) * scale

    return next_token_logits


@settings(deadline=None, derandomize=True, max_examples=40, suppress_health_check=list(HealthCheck))
@given(st.integers(0, 2**31 - 1), st.integers(2, 70), st.booleans(), st.sampled_from([0.1, 1.0, 10.0]))
def test_random_logits_always_give_commands_that_parse(seed, max_length, greedy, scale):
    decoded = constrained_decode(random_logits(seed, scale), 6, GRAMMAR, max_length, greedy=greedy,
                                 generator=torch.Generator().manual_seed(seed))
    assert decoded.tokens.shape[0] == 6 and decoded.tokens.shape[1] <= max_length
    for command, row in zip(decoded.commands, decoded.tokens.tolist()):
        end = row.index(EOS)
        assert set(row[end + 1:]) <= {PAD}
        assert parse_command(str(command)) == command
    assert torch.isfinite(decoded.log_probs).all() and (decoded.log_probs <= 0).all()


def test_log_probabilities_are_those_of_the_masked_distribution():
    seed = 7
    decoded = constrained_decode(random_logits(seed, 1.0), 3, GRAMMAR, 30, greedy=False,
                                 generator=torch.Generator().manual_seed(1))
    replay = random_logits(seed, 1.0)
    states = [GRAMMAR.start() for _ in range(3)]
    expected = torch.zeros(3)
    prefix = torch.full((3, 1), BOS)
    for step in range(decoded.tokens.shape[1]):
        allowed = torch.stack([torch.as_tensor(s.allowed(30 - step)) for s in states])
        log_probs = torch.log_softmax(mask_logits(replay(prefix), allowed), dim=-1)
        for row, state in enumerate(states):
            token = int(decoded.tokens[row, step])
            if not state.finished:
                expected[row] += log_probs[row, token]
                state.advance(token)
        prefix = torch.cat([prefix, decoded.tokens[:, step:step + 1]], dim=1)
    torch.testing.assert_close(decoded.log_probs, expected)


def test_greedy_decoding_takes_the_best_allowed_token():
    done, goto = GRAMMAR.vocabulary.id("done"), GRAMMAR.vocabulary.id("goto")

    def prefer(prefix: torch.Tensor) -> torch.Tensor:
        logits = torch.zeros(prefix.shape[0], GRAMMAR.size)
        logits[:, PAD] = 100.0  # never allowed while a command is open
        logits[:, goto] = 50.0
        logits[:, done] = 10.0
        return logits

    decoded = constrained_decode(prefer, 2, GRAMMAR, 2)
    assert [str(c) for c in decoded.commands] == ["done", "done"]  # goto needs at least 4 tokens
    assert str(constrained_decode(prefer, 1, GRAMMAR, 8).commands[0]).startswith("goto ")


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="max_length"):
        constrained_decode(random_logits(0, 1.0), 1, GRAMMAR, 1)
    with pytest.raises(ValueError, match="max_length"):
        constrained_decode(random_logits(0, 1.0), 1, GRAMMAR, GRAMMAR.max_command_length + 1)
    with pytest.raises(ValueError, match="returned"):
        constrained_decode(lambda prefix: torch.zeros(1, 3), 1, GRAMMAR, 5)
