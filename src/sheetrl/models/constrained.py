"""Constrained decoding: write commands token by token, only ever choosing tokens the grammar allows.

:func:`constrained_decode` drives any next-token model (a function from the token prefix to logits) for a batch
of commands. At each step every row's :class:`~sheetrl.models.command_grammar.CommandState` gives the allowed
tokens *within the remaining length budget*; the others get probability 0 (their logits become -inf before the
softmax). So every row ends with ``<eos>`` within ``max_length`` tokens, and every command decodes and parses,
whatever the logits — an untrained model writes valid commands from its first step.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import torch

from sheetrl.env.commands import Command
from sheetrl.env.tokens import BOS, PAD
from sheetrl.models.command_grammar import CommandGrammar


@dataclass
class DecodedCommands:
    """The result of :func:`constrained_decode` for a batch of B commands."""

    tokens: torch.Tensor  # (B, T) int64: each command's tokens, <eos> included, then <pad>
    log_probs: torch.Tensor  # (B,) float32: sum of the chosen tokens' log-probabilities under the masked policy
    commands: list[Command]  # the decoded commands


def mask_logits(logits: torch.Tensor, allowed: torch.Tensor) -> torch.Tensor:
    """Logits with the disallowed entries at -inf, in float32 (their probability is exactly 0)."""
    return logits.float().masked_fill(~allowed, float("-inf"))


def constrained_decode(
    next_token_logits: Callable[[torch.Tensor], torch.Tensor],
    batch_size: int,
    grammar: CommandGrammar,
    max_length: int,
    *,
    greedy: bool = True,
    temperature: float = 1.0,
    generator: torch.Generator | None = None,
    device: torch.device | str = "cpu",
) -> DecodedCommands:
    """Decode ``batch_size`` commands.

    :param next_token_logits: (B, t) int64 prefixes, each starting with ``<bos>`` -> (B, V) logits of the next
        token (V = the grammar's vocabulary size).
    :param grammar: the command grammar over the model's token vocabulary.
    :param max_length: most tokens per command, ``<eos>`` included (at least 2: ``done <eos>``; at most
        :attr:`CommandGrammar.max_command_length`, past which a formula could exceed the engine's length limit).
    :param greedy: take the most probable allowed token (True) or sample one (False).
    :param temperature: divides the logits before sampling (ignored when greedy).
    :param generator: the random stream of sampling, for reproducible decoding.
    """
    if not 2 <= max_length <= grammar.max_command_length:
        raise ValueError(f"max_length must be in 2..{grammar.max_command_length}, not {max_length}")
    if temperature <= 0:
        raise ValueError(f"temperature must be positive, not {temperature}")
    states = [grammar.start() for _ in range(batch_size)]
    prefix = torch.full((batch_size, 1), BOS, dtype=torch.long, device=device)
    log_probs = torch.zeros(batch_size, device=device)
    for step in range(max_length):
        remaining = max_length - step
        allowed = torch.as_tensor(np.stack([state.allowed(remaining) for state in states]), device=device)
        logits = next_token_logits(prefix)
        if logits.shape != (batch_size, grammar.size):
            raise ValueError(f"next_token_logits returned {tuple(logits.shape)}, expected ({batch_size}, "
                             f"{grammar.size})")
        masked = mask_logits(logits, allowed)
        if not greedy:
            masked = masked / temperature
        step_log_probs = torch.log_softmax(masked, dim=-1)
        if greedy:
            choice = masked.argmax(dim=-1)
        else:
            uniform = torch.rand(masked.shape, generator=generator, device=device).clamp_(1e-20, 1.0 - 1e-7)
            choice = (step_log_probs - torch.log(-torch.log(uniform))).argmax(dim=-1)  # Gumbel-max
        active = torch.tensor([not state.finished for state in states], device=device)
        chosen = step_log_probs.gather(1, choice.unsqueeze(1)).squeeze(1)
        log_probs = log_probs + torch.where(active, chosen, torch.zeros_like(chosen))
        choice = torch.where(active, choice, torch.full_like(choice, PAD))
        for state, token, running in zip(states, choice.tolist(), active.tolist()):
            if running:
                state.advance(token)
        prefix = torch.cat([prefix, choice.unsqueeze(1)], dim=1)
        if all(state.finished for state in states):
            break
    tokens = prefix[:, 1:]
    vocabulary = grammar.vocabulary
    commands = [vocabulary.decode_command(row) for row in tokens.tolist()]
    return DecodedCommands(tokens=tokens, log_probs=log_probs, commands=commands)
