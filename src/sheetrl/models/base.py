"""The base class of every policy network (see :mod:`sheetrl.models.policy` for the interface)."""

from __future__ import annotations

from collections.abc import Mapping

import torch
from torch import nn


class PolicyNetwork(nn.Module):
    """A network mapping batched observations to ``(logits (B, N), value (B,))``, illegal actions at the most
    negative float; ``observation_keys`` names the observation keys it reads."""

    observation_keys: tuple[str, ...] = ()

    def forward(self, obs: Mapping[str, torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
        raise NotImplementedError
