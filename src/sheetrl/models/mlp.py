"""Multi-layer perceptrons: a generic builder and the seed document's Q-network.

:func:`mlp` stacks ``Linear`` layers with ReLU (and optional dropout) between them — the building block other
models reuse for their heads. :class:`QNetwork` is the seed's value network: the 768-float ``flat`` observation
through two hidden layers of 512 units (ReLU, dropout 0.1) to one Q-value per macro action.
"""

from __future__ import annotations

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
    for i, (fan_in, fan_out) in enumerate(zip(sizes[:-1], sizes[1:])):
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
