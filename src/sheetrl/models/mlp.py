"""Multi-layer perceptrons: a generic builder, the seed document's Q-network and PPO's actor-critic.

:func:`mlp` stacks ``Linear`` layers with ReLU (and optional dropout) between them — the building block other
models reuse for their heads. :class:`QNetwork` is the seed's value network: the 768-float ``flat`` observation
through two hidden layers of 512 units (ReLU, dropout 0.1) to one Q-value per macro action. :class:`ActorCritic`
is PPO's network: tanh trunks with orthogonal initialization, a policy head and a value head, and optionally a
factored action head (macros scored by the parts of their names).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import torch
from torch import nn


def mlp(sizes: Sequence[int], dropout: float = 0.0, activation: type[nn.Module] = nn.ReLU) -> nn.Sequential:
    """Linear layers ``sizes[0] -> sizes[1] -> ... -> sizes[-1]``.

    Every layer but the last is followed by ``activation`` and, when ``dropout > 0``, by ``Dropout(dropout)``;
    the output layer is linear (logits, values).

    :param sizes: input size, hidden sizes, output size (at least two numbers, all positive).
    :param dropout: dropout probability after each hidden activation, in [0, 1).
    :param activation: the non-linearity class (instantiated once per hidden layer).
    """
    sizes = [int(s) for s in sizes]
    if len(sizes) < 2:
        raise ValueError(f"an MLP needs at least an input and an output size, not {sizes}")
    if any(s < 1 for s in sizes):
        raise ValueError(f"MLP layer sizes must be positive, not {sizes}")
    if not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must be in [0, 1), not {dropout}")
    layers: list[nn.Module] = []
    for i, (fan_in, fan_out) in enumerate(itertools.pairwise(sizes)):
        layers.append(nn.Linear(fan_in, fan_out))
        if i < len(sizes) - 2:
            layers.append(activation())
            if dropout > 0.0:
                layers.append(nn.Dropout(dropout))
    return nn.Sequential(*layers)


class QNetwork(nn.Module):
    """Q-values of every macro action from the flat observation: 768 -> 512 -> 512 -> N (ReLU, dropout 0.1).

    :param n_actions: N, the number of discrete actions.
    :param observation_size: length of the flat observation (768 in the environment's v0).
    :param hidden_sizes: widths of the hidden layers.
    :param dropout: dropout probability after each hidden layer (active in ``train()`` mode only).
    """

    def __init__(self, n_actions: int, observation_size: int = 768, hidden_sizes: Sequence[int] = (512, 512),
                 dropout: float = 0.1) -> None:
        super().__init__()
        self.observation_size = int(observation_size)
        self.n_actions = int(n_actions)
        self.layers = mlp([self.observation_size, *hidden_sizes, self.n_actions], dropout=dropout)

    def forward(self, observations: torch.Tensor) -> torch.Tensor:
        """(B, observation_size) float -> (B, n_actions) Q-values."""
        if observations.shape[-1] != self.observation_size:
            raise ValueError(f"QNetwork expects observations of size {self.observation_size}, "
                             f"got shape {tuple(observations.shape)}")
        return self.layers(observations)


def orthogonal_linear(inputs: int, outputs: int, gain: float) -> nn.Linear:
    """A linear layer with orthogonal weights of the given gain and zero biases (the usual PPO initialization)."""
    layer = nn.Linear(inputs, outputs)
    nn.init.orthogonal_(layer.weight, gain)
    nn.init.zeros_(layer.bias)
    return layer


def tanh_trunk(inputs: int, hidden_sizes: Sequence[int]) -> nn.Sequential:
    """Orthogonal linear layers (gain sqrt 2), each followed by tanh."""
    layers: list[nn.Module] = []
    for width in hidden_sizes:
        layers += [orthogonal_linear(inputs, width, math.sqrt(2)), nn.Tanh()]
        inputs = width
    return nn.Sequential(*layers)


WORDS_HIDDEN = 64  # hidden width of the factored head's instruction-words scorer


class ActorCritic(nn.Module):
    """PPO's MLP policy and value function on the flat observation.

    With ``shared_trunk`` both heads read one trunk; otherwise the policy and the value have their own trunks (as
    in the PPO paper's continuous-control setup and CleanRL), so value-loss gradients never disturb the policy's
    features. The policy head starts near uniform (gain 0.01), the value head at gain 1. Built in the same order
    as ``agents/ppo.py``'s network, so the same seed gives the same weights.
    """

    computation_parts: torch.Tensor  # buffers of the instructed head (see forward)
    own_logit: torch.Tensor

    def __init__(self, observation_size: int, num_actions: int, hidden_sizes: Sequence[int],
                 shared_trunk: bool, action_parts: torch.Tensor | None = None,
                 computation_parts: torch.Tensor | None = None, instruction_words: slice | None = None) -> None:
        super().__init__()
        hidden_sizes = tuple(hidden_sizes)
        self.policy_trunk = tanh_trunk(observation_size, hidden_sizes)
        self.value_trunk = None if shared_trunk else tanh_trunk(observation_size, hidden_sizes)
        self.policy_head = orthogonal_linear(hidden_sizes[-1], num_actions, 0.01)
        self.value_head = orthogonal_linear(hidden_sizes[-1], 1, 1.0)
        self.parts_head: nn.Linear | None = None
        if action_parts is not None:  # built last: without it the weights are what they always were
            if action_parts.dim() != 2 or action_parts.shape[0] != num_actions:
                raise ValueError(f"action_parts must be (num_actions={num_actions}, parts), not "
                                 f"{tuple(action_parts.shape)}")
            self.register_buffer("action_parts", action_parts.float())
            self.parts_head = orthogonal_linear(hidden_sizes[-1], action_parts.shape[1], 0.01)
        self.words_head: nn.Sequential | None = None
        self.instruction_words = instruction_words
        if (computation_parts is None) != (instruction_words is None) or (
                computation_parts is not None and action_parts is None):
            raise ValueError("computation_parts and instruction_words come together, and need action_parts")
        if computation_parts is not None and instruction_words is not None and action_parts is not None:
            if computation_parts.shape != (action_parts.shape[1],):
                raise ValueError(f"computation_parts must be ({action_parts.shape[1]},), not "
                                 f"{tuple(computation_parts.shape)}")
            start, stop = instruction_words.start, instruction_words.stop
            if start is None or stop is None or instruction_words.step not in (None, 1) or not (
                    0 <= start < stop <= observation_size):  # the scorer's width is stop - start
                raise ValueError(f"instruction_words must be a contiguous slice of the {observation_size} inputs "
                                 f"with both ends, not {instruction_words}")
            self.register_buffer("computation_parts", computation_parts.float())
            # a macro naming a computation is scored by its parts alone: its own logit would only ever have been
            # pushed down while training never asked for it (min_left when no training task wants a row minimum)
            self.register_buffer("own_logit", (action_parts.float() @ computation_parts.float() == 0).float())
            words = instruction_words.stop - instruction_words.start
            self.words_head = nn.Sequential(orthogonal_linear(words, WORDS_HIDDEN, math.sqrt(2)), nn.Tanh(),
                                            orthogonal_linear(WORDS_HIDDEN, action_parts.shape[1], 0.01))

    def forward(self, observations: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(action logits (B, N), state values (B,)) for flat observations (B, D). With ``action_parts`` (an
        (N, P) 0/1 matrix: which parts each action is made of) an action's logit is its own plus the sum of its
        parts' logits, so an action training never took still scores by the parts it shares with others.

        With ``computation_parts`` too (P,: which parts name a computation) those parts are scored from the
        ``instruction_words`` inputs alone and the others from the whole state, and a macro with a computation
        part has no logit of its own: what to compute comes from the instruction, where and how from the sheet.
        """
        policy_features = self.policy_trunk(observations)
        value_features = policy_features if self.value_trunk is None else self.value_trunk(observations)
        logits = self.policy_head(policy_features)
        if self.parts_head is not None:
            part_logits = self.parts_head(policy_features)
            if self.words_head is not None and self.instruction_words is not None:
                words = self.words_head(observations[:, self.instruction_words])
                # select rather than blend with the float buffers: exact, and the logits keep autocast's dtype
                part_logits = torch.where(self.computation_parts.bool(), words, part_logits)
                logits = torch.where(self.own_logit.bool(), logits, torch.zeros_like(logits))
            logits = logits + part_logits @ self.action_parts.T
        return logits, self.value_head(value_features).squeeze(-1)
