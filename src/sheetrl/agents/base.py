"""What every agent offers the training stack.

An agent is one readable file per algorithm (CleanRL's rule): the network it uses, how it acts, and its whole
update in plain view. The runner (``train/runner.py``) owns everything else — the environments (an
:class:`~sheetrl.env.vector.SheetVectorEnv`), step counting, logging, checkpoints, evaluation — and drives an agent
through this small interface:

- :meth:`Agent.act` — batched actions for stacked observations and masks (never an illegal action);
- :meth:`Agent.train_iteration` — collect some experience from the pool and learn from it; returns how many
  environment steps it took and its metrics (``losses/...``, ``charts/...``);
- :meth:`Agent.state_dict` / :meth:`Agent.load_state_dict` — *everything* needed to continue exactly:
  weights, optimizer, replay buffer or rollout state, exploration schedule position, RNG states;
- :meth:`Agent.save` / :meth:`Agent.load` — the same, to and from a file (atomically).
"""

from __future__ import annotations

import copy
import hashlib
import math
import os
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import torch

from sheetrl.env.vector import SheetVectorEnv
from sheetrl.sheet.fileio import open_input, write_atomic


class Agent(ABC):
    """Base class of all agents (see the module docstring)."""

    name: ClassVar[str]
    # Environment steps the whole run takes (the runner sets it from its total_steps before training, and again
    # when a resumed run raises it): schedules that span the run, such as PPO's learning-rate annealing, read it,
    # so the run length is declared once, in the run's config.
    run_steps: int | None = None

    @abstractmethod
    def act(self, obs: dict[str, np.ndarray], masks: np.ndarray, deterministic: bool = False) -> np.ndarray:
        """Actions (n,) for stacked observations ``obs[key]`` of shape (n, ...) and bool masks (n, N)."""

    @abstractmethod
    def train_iteration(self, pool: SheetVectorEnv) -> tuple[int, dict[str, float]]:
        """Collect experience from ``pool`` and learn; returns (environment steps taken, metrics)."""

    def check_inputs(self) -> None:
        """Read and check the files a new run of this agent will read (raises ``ValueError`` naming the problem),
        so that a run that cannot start fails before it replaces an earlier run's files; nothing by default."""
        return None

    @abstractmethod
    def state_dict(self) -> dict[str, Any]:
        """Everything needed to continue training exactly (weights, optimizer, buffers, counters, RNG states)."""

    @abstractmethod
    def load_state_dict(self, state: dict[str, Any]) -> None:
        """Restore :meth:`state_dict`."""

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write the agent's state to ``path`` atomically (a crash never leaves a half-written file), with the
        layout of the ``flat`` observation it learnt (:func:`~sheetrl.env.observation.flat_fingerprint`)."""
        from sheetrl.env.observation import flat_fingerprint

        atomic_torch_save({"agent": self.name, "state": self.state_dict(), "flat_layout": flat_fingerprint()}, path)

    def load(self, path: str | os.PathLike[str]) -> None:
        """Restore a state written by :meth:`save` (the agent must have been built with the same config); an agent
        that reads ``flat`` refuses a state that learnt another layout of it (as checkpoints do)."""
        import dataclasses

        from sheetrl.env.observation import LAYOUT_BEFORE_FINGERPRINTS, flat_fingerprint

        payload = torch_load_file(path)
        if not isinstance(payload, dict) or payload.get("agent") != self.name:
            raise ValueError(f"{path} holds a {payload.get('agent')!r} agent, not {self.name!r}")
        saved, current = payload.get("flat_layout", LAYOUT_BEFORE_FINGERPRINTS), flat_fingerprint()
        config = getattr(self, "config", None)
        settings = (dataclasses.asdict(config)
                    if dataclasses.is_dataclass(config) and not isinstance(config, type) else None)
        if saved != current and reads_flat(settings):
            raise ValueError(f"{path} holds an agent that learnt another layout of the flat observation (layout "
                             f"{saved}; this version of sheetrl builds {current})")
        self.load_state_dict(payload["state"])


def load_generator_state(generator: torch.Generator, state: torch.Tensor) -> None:
    """Put a saved torch generator state back into ``generator``.

    A state saved on another kind of device (a CUDA generator's 16 bytes, loaded into an agent built on the CPU,
    whose generator's state is 5,056 bytes) cannot continue the same draws, and neither can the arithmetic of
    another device: the generator is then seeded from the saved state's bytes, so that loading the same
    checkpoint twice still gives the same draws."""
    state = torch.as_tensor(state, dtype=torch.uint8).cpu()
    if state.numel() == generator.get_state().numel():
        generator.set_state(state)
        return
    digest = hashlib.sha256(state.numpy().tobytes()).digest()
    generator.manual_seed(int.from_bytes(digest[:8], "little") & (2**63 - 1))


def non_finite_parameter(agent: Any) -> str | None:
    """The name of the first of ``agent``'s trained parameters (its networks' and its bare ``Parameter`` s) that
    holds a NaN or an infinity, as ``attribute.parameter``; None when every one is finite. A network in that state
    has diverged: every value it computes from then on is NaN."""
    for attribute, value in vars(agent).items():
        if isinstance(value, torch.nn.Parameter):
            named = [(attribute, value)]
        elif isinstance(value, torch.nn.Module):
            named = [(f"{attribute}.{name}", parameter) for name, parameter in value.named_parameters()]
        else:
            continue
        for name, parameter in named:
            if not bool(torch.isfinite(parameter.detach()).all()):
                return name
    return None


def atomic_torch_save(obj: Any, path: str | os.PathLike[str]) -> None:
    """``torch.save`` through :func:`~sheetrl.sheet.fileio.write_atomic` (a hidden temporary file in the same
    folder, fsync, rename; a link or a special file at ``path`` is refused, never written through); the folder is
    created first."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, lambda handle: torch.save(obj, handle))


def torch_load_file(path: str | os.PathLike[str]) -> Any:
    """``torch.load`` of a regular file onto the CPU (a named pipe or a device raises
    :class:`~sheetrl.sheet.fileio.UnsafeFileError` instead of waiting or reading forever)."""
    with open_input(path) as handle:
        return torch.load(handle, map_location="cpu", weights_only=False)


POLICY_KINDS = ("mlp", "encoder", "transformer")
MLP_OBSERVATION_KEYS = ("flat", "action_mask")  # what an MLP policy and the masks read (the env computes no more)


def policy_observation_keys(policy: str) -> tuple[str, ...] | None:
    """The observation keys a run of the ``policy`` kind reads: :data:`MLP_OBSERVATION_KEYS` for the MLP; every key
    (None) for the encoder and transformer policies, which read the grid, tokens, edges and chain."""
    return MLP_OBSERVATION_KEYS if policy == "mlp" else None


def policy_network(kind: str, observation_space: Any, action_space: Any, *, hidden_sizes: tuple[int, ...],
                   shared_trunk: bool = False, network: str = "actor_critic", dropout: float = 0.1,
                   transformer_preset: str = "quick", factored_actions: str = "off",
                   encoder_parts: tuple[str, ...] | None = None) -> Any:
    """The policy network an agent's config asks for (``--set policy=mlp|encoder|transformer``), through
    :func:`sheetrl.models.policy.build_policy`: ``mlp`` reads the flat vector with the agent's ``hidden_sizes``
    (PPO's actor-critic or DQN's Q-network), ``encoder`` the AdvancedStateEncoder with ``encoder_parts`` (its
    default parts when None; an ablation drops one), ``transformer``
    SpreadsheetGPT's ``transformer_preset``. Call it under the agent's seed: the weights come from torch's RNG."""
    from sheetrl.models.encoders import EncoderConfig
    from sheetrl.models.policy import MLPPolicyConfig, build_policy
    from sheetrl.models.transformer import preset

    if kind not in POLICY_KINDS:
        raise ValueError(f"policy must be one of {', '.join(POLICY_KINDS)}, not {kind!r}")
    config: Any
    if kind == "mlp":
        config = MLPPolicyConfig(network=network, hidden_sizes=hidden_sizes, shared_trunk=shared_trunk,
                                 dropout=dropout, factored_actions=factored_actions)
    elif kind == "encoder":
        config = EncoderConfig() if encoder_parts is None else EncoderConfig.from_parts(encoder_parts)
    else:
        config = preset(transformer_preset)
    return build_policy(kind, observation_space, action_space, config)


def seeded_policy_network(config: Any, observation_space: Any, action_space: Any, seed: int,
                          device: torch.device) -> tuple[Any, tuple[str, ...]]:
    """The network ``config`` asks for (its ``policy``, ``hidden_sizes``, ``shared_trunk``, ``encoder_parts`` and
    ``transformer_preset``), with weights drawn from ``seed`` without touching torch's global RNG, on ``device``;
    and the observation keys it reads that the environment gives (the transformer's optional ones may be absent,
    the action mask is passed apart)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        network = policy_network(config.policy, observation_space, action_space, hidden_sizes=config.hidden_sizes,
                                 shared_trunk=config.shared_trunk, transformer_preset=config.transformer_preset,
                                 factored_actions=getattr(config, "factored_actions", "off"),
                                 encoder_parts=getattr(config, "encoder_parts", None))
    network.to(device)
    keys = tuple(k for k in network.observation_keys if k != "action_mask" and k in observation_space.spaces)
    return network, keys


def check_encoder_parts(algo: str, parts: tuple[str, ...] | list[str] | str, policy: str) -> tuple[str, ...]:
    """``parts`` as a tuple of known encoder part names (``models.encoders.ENCODER_PARTS``) in that tuple's order
    (the same network however they were listed, so a saved one is recognised), or ValueError; parts other than the
    default ones need ``policy == "encoder"`` (no other network would use them)."""
    from sheetrl.models.encoders import DEFAULT_ENCODER_PARTS, ENCODER_PARTS

    if isinstance(parts, str):  # one name, not its letters
        parts = (parts,)
    parts = tuple(str(part) for part in parts)
    unknown = [part for part in parts if part not in ENCODER_PARTS]
    if not parts or unknown or len(set(parts)) != len(parts):
        raise ValueError(f"{algo}: encoder_parts must be distinct names among {', '.join(ENCODER_PARTS)}, not "
                         f"{','.join(parts) or 'nothing'}")
    parts = _in_encoder_order(parts)
    if parts != DEFAULT_ENCODER_PARTS and policy != "encoder":
        raise ValueError(f"{algo}: encoder_parts needs policy encoder, not {policy!r}")
    return parts


def check_signs(algo: str, config: Any, *, positive: tuple[str, ...] = (), non_negative: tuple[str, ...] = (),
                finite: bool = False) -> None:
    """Refuse a config whose ``positive`` fields are not > 0 or whose ``non_negative`` fields are below 0 (NaN fails
    both), with ``finite`` also an infinite one: a gradient clip that is not positive turns every update into ascent
    (torch multiplies by max_grad_norm / norm) or zeroes it, and a negative loss weight maximizes its term."""
    for keys, strict in ((positive, True), (non_negative, False)):
        for key in keys:
            value = getattr(config, key)
            if not (value > 0 if strict else value >= 0) or (finite and not math.isfinite(value)):
                bound = "> 0" if strict else ">= 0"
                wording = f"a finite number {bound}" if finite else ("positive" if strict else bound)
                raise ValueError(f"{algo}: {key} must be {wording}, not {value}")


def check_micro_batches(algo: str, minibatch_size: int, accumulation_steps: int) -> None:
    """Raise ValueError unless a minibatch splits into ``accumulation_steps`` equal micro-batches."""
    if minibatch_size % accumulation_steps:
        raise ValueError(f"{algo}: a minibatch of {minibatch_size} does not split into "
                         f"{accumulation_steps} equal accumulation micro-batches")


NETWORK_FIELDS = ("policy", "hidden_sizes", "shared_trunk", "transformer_preset", "factored_actions", "encoder_parts")
# The fields each policy kind's network is built from (policy_network): the others do not change its weights.
POLICY_NETWORK_FIELDS = {"mlp": ("hidden_sizes", "shared_trunk", "factored_actions"), "encoder": ("encoder_parts",),
                         "transformer": ("transformer_preset",)}


def check_same_network(saved: dict[str, Any], config: Any, algo: str) -> None:
    """Raise ValueError when a saved agent's network fields that ``config`` 's policy kind is built from differ from
    ``config`` 's (the weights would not fit)."""
    from sheetrl.models.encoders import DEFAULT_ENCODER_PARTS
    from sheetrl.models.policy import factoring

    kind = str(getattr(config, "policy", ""))
    for key in NETWORK_FIELDS:
        if key != "policy" and key not in POLICY_NETWORK_FIELDS.get(kind, NETWORK_FIELDS):
            continue  # e.g. hidden_sizes of an encoder policy: unused, so a difference is no reason to refuse
        mine: Any = getattr(config, key, "off" if key == "factored_actions" else None)  # absent: a plain head
        theirs = saved.get(key, {"policy": "mlp", "factored_actions": "off"}.get(key))
        if key == "factored_actions":  # saved before it had three values: a switch
            theirs, mine = factoring(theirs), factoring(mine)
        if key == "hidden_sizes" and theirs is not None and mine is not None:
            theirs, mine = tuple(int(h) for h in theirs), tuple(int(h) for h in mine)
        if key == "encoder_parts":  # saved before the option, or an agent without it: the default parts; in
            # ENCODER_PARTS' order (a run saved before the order was fixed may list them in another)
            theirs = _in_encoder_order(DEFAULT_ENCODER_PARTS if theirs is None else theirs)
            mine = _in_encoder_order(DEFAULT_ENCODER_PARTS if mine is None else mine)
        if mine is not None and theirs is not None and theirs != mine:
            if not hasattr(config, key):  # advice to set an option the agent does not have would be no help
                raise ValueError(f"{algo}: the saved network has {key}={theirs!r} and {algo} has no {key} option "
                                 f"(its network is always {key}={mine!r}), so it cannot start from these weights")
            raise ValueError(f"{algo}: the saved network has {key}={theirs!r}, this agent {mine!r}; build the "
                             f"agent with the same {key}")


def _in_encoder_order(parts: Any) -> tuple[str, ...]:
    """``parts`` in :data:`~sheetrl.models.encoders.ENCODER_PARTS`' order (unknown names last, as given)."""
    from sheetrl.models.encoders import ENCODER_PARTS

    names = [str(part) for part in parts]
    return tuple(sorted(names, key=lambda name: ENCODER_PARTS.index(name) if name in ENCODER_PARTS
                        else len(ENCODER_PARTS)))


def reads_flat(config: dict[str, Any] | None) -> bool:
    """Whether networks built from an agent's config (as a dict) read the ``flat`` observation: all but a
    transformer policy and an encoder without its ``flat`` part (no config, or one without a ``policy`` setting,
    counts as reading it)."""
    if not isinstance(config, dict):
        return True
    policy = config.get("policy", "mlp")
    if policy == "transformer":
        return False
    if policy == "encoder":
        from sheetrl.models.encoders import DEFAULT_ENCODER_PARTS

        parts = config.get("encoder_parts")  # absent in configs saved before it existed: the default parts
        return "flat" in (DEFAULT_ENCODER_PARTS if parts is None else parts)
    return True


def frozen_copy(network: torch.nn.Module, weights: dict[str, Any] | None = None) -> Any:
    """A copy of ``network`` with its current weights (or ``weights``, e.g. a saved reference's), in eval mode, that
    no gradient reaches (the reference policy a KL penalty keeps a fine-tuned policy near)."""
    reference = copy.deepcopy(network)
    if weights is not None:
        reference.load_state_dict(weights)
    reference.requires_grad_(False)
    reference.eval()
    return reference


def masked_kl_divergence(log_p: torch.Tensor, log_q: torch.Tensor, masks: torch.Tensor) -> torch.Tensor:
    """``KL(p || q)`` per row from log-probabilities, summed over the legal actions (``masks``) only.

    The illegal entries are replaced by 0 before any arithmetic, so they add exactly 0: a network that masks with
    ``-inf`` gives ``-inf - -inf = nan`` there, and dropping that value afterwards would still leave its gradient
    (``0 * nan``)."""
    masks = masks.bool()
    log_p = torch.where(masks, log_p, torch.zeros_like(log_p))
    log_q = torch.where(masks, log_q, torch.zeros_like(log_q))
    return (log_p.exp() * (log_p - log_q)).sum(-1)  # an illegal entry is exp(0) * (0 - 0) = 0


def masked_argmax(values: np.ndarray, masks: np.ndarray) -> np.ndarray:
    """Row-wise argmax over legal actions only (ties: the lowest index)."""
    scores = np.where(masks, values, -np.inf)
    return scores.argmax(axis=-1)


def linear_epsilon(start: float, end: float, decay_steps: int, step: int) -> float:
    """Exploration probability decayed linearly from ``start`` to ``end`` over ``decay_steps`` steps, then held."""
    fraction = min(1.0, step / decay_steps)
    return start + fraction * (end - start)


def epsilon_greedy(greedy: np.ndarray, masks: np.ndarray, epsilon: float, rng: np.random.Generator) -> np.ndarray:
    """Per row, the greedy action, or with probability ``epsilon`` a uniformly random legal action."""
    explore = rng.random(len(masks)) < epsilon
    random_legal = masked_argmax(rng.random(masks.shape), masks)  # uniform over the legal actions
    return np.where(explore, random_legal, greedy)


class RepeatMemory:
    """Which actions each environment of a batch has taken from each state of its current episode, to keep an agent
    from taking one twice (``SpreadsheetEnv.state_key`` tells the states apart).

    Commands are deterministic, so an action taken again from a state it was taken from leads where it led before,
    and a policy that is a function of the state goes round the same loop until the step budget ends the episode.
    :meth:`allowed` masks out the actions already taken from the state (all of them may stay masked only if every
    legal one was tried: then the mask is left as it is); :meth:`record` notes an action; :meth:`forget` starts an
    environment's next episode.
    """

    def __init__(self, count: int = 0) -> None:
        self._taken: dict[int, dict[Any, set[int]]] = {index: {} for index in range(count)}

    def forget(self, index: int) -> None:
        """Environment ``index`` starts a new episode: nothing taken yet."""
        self._taken[index] = {}

    def allowed(self, index: int, key: Any, mask: np.ndarray) -> np.ndarray:
        """``mask`` (bool) without the actions environment ``index`` already took from the state ``key``."""
        tried = self._taken.setdefault(index, {}).get(key)
        if not tried:
            return mask
        narrowed = np.array(mask, dtype=bool)
        narrowed[list(tried)] = False
        return narrowed if narrowed.any() else mask

    def record(self, index: int, key: Any, action: int) -> None:
        """Environment ``index`` took ``action`` from the state ``key``."""
        self._taken.setdefault(index, {}).setdefault(key, set()).add(int(action))

    def narrow(self, indices: list[int], keys: list[Any], masks: np.ndarray) -> np.ndarray:
        """A batch's masks (a row per environment in ``indices``, in the states ``keys``) through :meth:`allowed`."""
        return np.stack([self.allowed(index, key, mask) for index, key, mask in zip(indices, keys, masks)])

    def record_all(self, indices: list[int], keys: list[Any], actions: Any) -> None:
        """A batch's actions through :meth:`record`."""
        for index, key, action in zip(indices, keys, actions):
            self.record(index, key, int(action))

    def state_dict(self) -> dict[int, list[tuple[Any, list[int]]]]:
        """What was taken where, per environment (for exact resume)."""
        return {index: [(key, sorted(actions)) for key, actions in taken.items()]
                for index, taken in self._taken.items()}

    def load_state_dict(self, state: dict[int, list[tuple[Any, list[int]]]]) -> None:
        self._taken = {int(index): {key: set(actions) for key, actions in entries} for index, entries in state.items()}
