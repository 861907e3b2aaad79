"""One policy interface for every agent: ``build_policy(kind, observation_space, action_space, config)``.

Every policy network is a :class:`~sheetrl.models.base.PolicyNetwork` (an ``nn.Module``) with

- ``forward(obs) -> (logits, value)``: ``obs`` maps observation keys to batched tensors; ``logits`` (B, N) over
  the macro actions, with the illegal ones (``action_mask`` 0, when the key is given) at the most negative
  float, so a softmax gives them probability exactly 0 and an argmax never picks them; ``value`` (B,) the state
  value. DQN reads ``logits`` as Q-values.
- ``observation_keys``: the observation keys it reads (an agent converts only those: :func:`to_tensors`).

Kinds and the keys they read:

============  =================================================================================================
kind          reads
============  =================================================================================================
``mlp``       ``flat``, ``action_mask``. ``network="actor_critic"``: PPO's network (tanh trunks, orthogonal
              init, separate or shared policy and value trunks); ``network="q_network"``: DQN's (ReLU, dropout,
              one Q-value per action; the value is the largest legal Q-value). The same seed and sizes give the
              same weights as the agents' own networks, so switching an agent to this interface changes no result.
``encoder``   the AdvancedStateEncoder's parts (``models/encoders.py``): ``cell_tokens``, ``grid``, ``edges``
              (GNN), ``grid`` (CNN), ``formula_chain`` (LSTM), ``instruction``, ``flat`` (only with
              ``use_flat``), and ``action_mask``; linear policy and value heads on the state vector.
``transformer`` SpreadsheetGPT (``models/transformer.py``): ``grid``, ``cell_tokens``, ``instruction``,
              ``action_mask``, and when present ``action_history`` and ``cell_mask``.
============  =================================================================================================
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch
from torch import nn

from sheetrl.models.base import PolicyNetwork
from sheetrl.models.encoders import AdvancedStateEncoder, EncoderConfig
from sheetrl.models.mlp import ActorCritic, QNetwork, orthogonal_linear
from sheetrl.models.spaces import ObservationSizes
from sheetrl.models.transformer import SpreadsheetGPT, TransformerConfig

POLICY_KINDS = ("mlp", "encoder", "transformer")


@dataclass
class MLPPolicyConfig:
    """The MLP over the flat observation (defaults: PPO's ``seed`` network)."""

    network: str = "actor_critic"  # "actor_critic" (PPO: tanh, orthogonal init, value head) or "q_network" (DQN)
    hidden_sizes: tuple[int, ...] = (512, 512)  # widths of the hidden layers
    shared_trunk: bool = False  # actor_critic: one trunk for policy and value (True) or one each (False)
    dropout: float = 0.1  # q_network: dropout after each hidden layer (training mode only)
    factored_actions: str = "off"  # actor_critic: off, parts (a macro's logit also sums its name's parts' logits)
    # or instructed (parts, the computations among them scored from the instruction's words): see FACTORINGS

    def __post_init__(self) -> None:
        self.hidden_sizes = tuple(int(h) for h in self.hidden_sizes)
        if self.network not in ("actor_critic", "q_network"):
            raise ValueError(f"network must be 'actor_critic' or 'q_network', not {self.network!r}")
        if not self.hidden_sizes or min(self.hidden_sizes) < 1:
            raise ValueError(f"hidden_sizes must be positive widths, not {self.hidden_sizes}")
        self.factored_actions = factoring(self.factored_actions)
        if self.factored_actions != "off" and self.network != "actor_critic":
            raise ValueError("factored_actions needs the actor_critic network")


PolicyConfig = MLPPolicyConfig | EncoderConfig | TransformerConfig
# How the MLP's action head is factored: ``off`` one logit per macro; ``parts`` each macro's logit also sums the
# logits of its name's parts (``max_above``: ``1:max`` + ``2:above``); ``instructed`` as ``parts``, with the parts
# that name a computation (``1:max``) scored from the instruction's computation words alone (``minimum``,
# ``divided``: env.observation.COMPUTATION_WORDS) and the macros that have one scored by their parts alone, so a
# computation the training tasks only ever asked for in columns is found in rows too.
FACTORINGS = ("off", "parts", "instructed")
_FACTORING_WORDS = {"true": "parts", "yes": "parts", "on": "parts", "1": "parts",
                    "false": "off", "no": "off", "0": "off"}


def factoring(value: object) -> str:
    """A ``factored_actions`` setting as one of :data:`FACTORINGS` (``True``/``"true"`` is ``parts``,
    ``False``/``"false"`` is ``off``, as the option was a switch before ``instructed`` existed)."""
    if isinstance(value, bool):
        return "parts" if value else "off"
    text = str(value).strip().lower()
    text = _FACTORING_WORDS.get(text, text)
    if text not in FACTORINGS:
        raise ValueError(f"factored_actions must be one of {', '.join(FACTORINGS)}, not {value!r}")
    return text


def macro_part_matrix(num_actions: int) -> torch.Tensor:
    """(N, P) 0/1: which of :data:`~sheetrl.env.actions.MACRO_PART_NAMES` each macro's name is made of."""
    from sheetrl.env.actions import MACRO_PART_NAMES, MACROS, macro_parts

    if num_actions != len(MACROS):
        raise ValueError(f"factored actions need the environment's {len(MACROS)} macros, not {num_actions} actions")
    index = {part: i for i, part in enumerate(MACRO_PART_NAMES)}
    matrix = torch.zeros((len(MACROS), len(MACRO_PART_NAMES)))
    for row, macro in enumerate(MACROS):
        for part in macro_parts(macro.name):
            matrix[row, index[part]] = 1.0
    return matrix


def computation_part_vector() -> torch.Tensor:
    """(P,) 0/1: which of :data:`~sheetrl.env.actions.MACRO_PART_NAMES` name a computation."""
    from sheetrl.env.actions import MACRO_PART_NAMES, is_computation_part

    return torch.tensor([1.0 if is_computation_part(part) else 0.0 for part in MACRO_PART_NAMES])


def masked_logits(logits: torch.Tensor, action_mask: torch.Tensor | None) -> torch.Tensor:
    """``logits`` with illegal actions (mask 0) at the dtype's most negative finite value."""
    if action_mask is None:
        return logits
    return logits.masked_fill(~action_mask.bool(), torch.finfo(logits.dtype).min)


class MLPPolicy(PolicyNetwork):
    """The agents' MLP (see the module docstring)."""

    def __init__(self, sizes: ObservationSizes, config: MLPPolicyConfig) -> None:
        super().__init__()
        sizes.require("flat")
        self.config = config
        self.observation_keys = ("flat", "action_mask")
        self.network: nn.Module
        if config.network == "actor_critic":
            from sheetrl.env.observation import FLAT_COMPUTATION_WORDS

            parts = macro_part_matrix(sizes.num_actions) if config.factored_actions != "off" else None
            instructed = config.factored_actions == "instructed"
            self.network = ActorCritic(sizes.flat_size, sizes.num_actions, config.hidden_sizes, config.shared_trunk,
                                       parts, computation_part_vector() if instructed else None,
                                       FLAT_COMPUTATION_WORDS if instructed else None)
        else:
            self.network = QNetwork(sizes.num_actions, sizes.flat_size, config.hidden_sizes, config.dropout)

    def forward(self, obs: Mapping[str, torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
        mask = obs.get("action_mask")
        if isinstance(self.network, ActorCritic):
            logits, value = self.network(obs["flat"].float())
            return masked_logits(logits, mask), value
        q_values = masked_logits(self.network(obs["flat"].float()), mask)
        return q_values, q_values.max(dim=-1).values


class EncoderPolicy(PolicyNetwork):
    """AdvancedStateEncoder -> state vector -> policy logits (orthogonal, gain 0.01: near uniform at the start)
    and value (gain 1)."""

    def __init__(self, sizes: ObservationSizes, config: EncoderConfig) -> None:
        super().__init__()
        self.encoder = AdvancedStateEncoder(sizes, config)
        self.policy_head = orthogonal_linear(config.state_dim, sizes.num_actions, 0.01)
        self.value_head = orthogonal_linear(config.state_dim, 1, 1.0)
        self.observation_keys = (*self.encoder.observation_keys, "action_mask")

    def forward(self, obs: Mapping[str, torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
        state = self.encoder(obs)
        return masked_logits(self.policy_head(state), obs.get("action_mask")), self.value_head(state).squeeze(-1)


def build_policy(kind: str, observation_space: Any, action_space: Any, config: PolicyConfig | None = None,
                 token_vocabulary: Any = None) -> PolicyNetwork:
    """A policy network for an environment's spaces.

    :param kind: ``"mlp"``, ``"encoder"`` or ``"transformer"``.
    :param config: :class:`MLPPolicyConfig`, :class:`~sheetrl.models.encoders.EncoderConfig` or
        :class:`~sheetrl.models.transformer.TransformerConfig` to match the kind (None: that kind's defaults).
    :param token_vocabulary: the transformer's command-token vocabulary (default: the environment's).
    """
    if kind not in POLICY_KINDS:
        raise ValueError(f"unknown policy kind {kind!r}; kinds are {', '.join(POLICY_KINDS)}")
    sizes = ObservationSizes.from_spaces(observation_space, action_space)
    expected = {"mlp": MLPPolicyConfig, "encoder": EncoderConfig, "transformer": TransformerConfig}[kind]
    config = config if config is not None else expected()
    if not isinstance(config, expected):
        raise TypeError(f"policy kind {kind!r} takes a {expected.__name__}, not a {type(config).__name__}")
    if kind == "mlp":
        return MLPPolicy(sizes, config)  # type: ignore[arg-type]
    if kind == "encoder":
        return EncoderPolicy(sizes, config)  # type: ignore[arg-type]
    return SpreadsheetGPT(sizes, config, token_vocabulary)  # type: ignore[arg-type]


_INTEGER_KEYS = frozenset(("cell_tokens", "instruction", "edges", "formula_chain", "action_history"))
_BOOL_KEYS = frozenset(("action_mask", "cell_mask"))


def observation_dtype(key: str) -> np.dtype:
    """The NumPy dtype the policies read observation ``key`` as: bool for masks, int64 for token and index keys,
    float32 for the rest (``grid``, ``flat``)."""
    if key in _BOOL_KEYS:
        return np.dtype(bool)
    if key in _INTEGER_KEYS:
        return np.dtype(np.int64)
    return np.dtype(np.float32)


def to_tensors(observations: Mapping[str, Any], keys: Sequence[str], device: torch.device | str = "cpu"
               ) -> dict[str, torch.Tensor]:
    """The batched arrays of ``keys`` (those present) as tensors of :func:`observation_dtype`."""
    return {key: torch.as_tensor(np.asarray(observations[key]).astype(observation_dtype(key), copy=False),
                                 device=device)
            for key in keys if key in observations}
