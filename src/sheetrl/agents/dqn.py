"""Double DQN (van Hasselt, Guez & Silver, 2016) with action masks, on the flat observation.

The whole algorithm, top to bottom:

1. **Network** — :class:`~sheetrl.models.mlp.QNetwork`, the seed's MLP 768 -> 512 -> 512 -> N (ReLU, dropout 0.1),
   and a *target* copy of it, synced every ``target_sync_interval`` environment steps.
2. **Acting** — epsilon-greedy over the *legal* actions only: with probability epsilon a uniformly random legal
   action, otherwise the legal action of highest Q. Epsilon decays linearly from ``epsilon_start`` to
   ``epsilon_end`` over ``exploration_steps`` environment steps.
3. **Replay** — every transition (s, a, r, s', mask(s'), terminated) goes into a :class:`ReplayBuffer` of
   ``buffer_size`` rows. When an episode ends the pool resets the environment at once; s' is then the episode's
   *final* observation (``infos["final_obs"][i]``), so a truncated episode bootstraps from where it really stopped.
4. **Learning** — after ``learning_starts`` environment steps, one update per ``train_frequency`` environment
   steps. Each update draws ``batch_size`` transitions per gradient-accumulation micro-batch and minimizes the
   Huber loss between Q(s, a) of the taken action and the Double-DQN target (:func:`double_dqn_targets`)::

       a* = argmax over LEGAL a' of Q_online(s', a')
       y  = r + gamma * (1 - terminated) * Q_target(s', a*)

   Termination does not bootstrap; truncation does (``terminated`` is False there). The online network picks a*,
   the target network evaluates it — that decoupling is what removes DQN's over-estimation. Dropout is active only
   in the forward pass of Q(s, a); acting and target computation use the network in eval mode.
5. **Precision** — forwards run under ``precision.autocast()`` (bf16 / fp16), and ``precision.backward`` /
   ``precision.step`` handle loss scaling, gradient accumulation and gradient-norm clipping.

The loop of one process is :meth:`DQNAgent.train_iteration` = :meth:`~DQNAgent.act_and_step` (act, step the
pool, return the transitions) + :meth:`~DQNAgent.store` (into the buffer) + :meth:`~DQNAgent.learn_due` (the
updates and target syncs due). Asynchronous actors call the first in their own processes and send the transitions
to a learner that calls the other two: the same algorithm, the same replay ratio.

:meth:`DQNAgent.state_dict` holds everything needed to continue bit-exactly on CPU: both networks, the optimizer,
the replay buffer's contents and position, the step counters, and the numpy / torch / python RNG states.
"""

from __future__ import annotations

import copy
import math
import random
from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import torch
import torch.nn.functional as F

from sheetrl.agents.base import (
    POLICY_KINDS,
    Agent,
    check_encoder_parts,
    epsilon_greedy,
    linear_epsilon,
    masked_argmax,
    policy_network,
    policy_observation_keys,
)
from sheetrl.env.vector import SheetVectorEnv
from sheetrl.models.encoders import DEFAULT_ENCODER_PARTS
from sheetrl.models.mlp import QNetwork
from sheetrl.models.precision import Precision, adam, resolve_device


@dataclass
class Config:
    """Double DQN hyper-parameters (defaults: the seed document's sizes)."""

    num_envs: int = 8  # environments stepped together in the pool
    buffer_size: int = 100_000  # transitions kept in the replay buffer
    batch_size: int = 64  # transitions per gradient micro-batch
    gamma: float = 0.99  # discount factor
    learning_rate: float = 1e-4  # Adam step size
    hidden_sizes: tuple[int, ...] = (512, 512)  # widths of the Q-network's hidden layers
    dropout: float = 0.1  # dropout after each hidden layer of the Q-network
    learning_starts: int = 10_000  # environment steps of experience collected before the first update
    train_frequency: int = 4  # environment steps per update
    target_sync_interval: int = 1_000  # environment steps between copies of the online network to the target
    epsilon_start: float = 1.0  # exploration probability at the first step
    epsilon_end: float = 0.05  # exploration probability after the decay
    exploration_steps: int = 100_000  # environment steps over which epsilon decays linearly
    max_grad_norm: float = 10.0  # gradient-norm clipping threshold
    policy: str = "mlp"  # Q-network: mlp (the seed's MLP on the flat vector), encoder or transformer (logits = Q)
    transformer_preset: str = "quick"  # transformer: SpreadsheetGPT's size preset (quick or seed)
    encoder_parts: tuple[str, ...] = DEFAULT_ENCODER_PARTS  # encoder: its parts (models.encoders.ENCODER_PARTS)

    def __post_init__(self) -> None:
        positive = ("num_envs", "buffer_size", "batch_size", "train_frequency", "target_sync_interval",
                    "exploration_steps")
        for name in positive:
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be >= 1, not {getattr(self, name)}")
        if self.learning_starts < 0:
            raise ValueError(f"learning_starts must be >= 0, not {self.learning_starts}")
        if not 0.0 <= self.gamma <= 1.0:
            raise ValueError(f"gamma must be in [0, 1], not {self.gamma}")
        if not math.isfinite(self.learning_rate) or self.learning_rate <= 0.0 or self.max_grad_norm <= 0.0:
            raise ValueError("learning_rate must be a finite positive number and max_grad_norm positive")
        for name in ("epsilon_start", "epsilon_end"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in [0, 1], not {getattr(self, name)}")
        self.hidden_sizes = tuple(int(h) for h in self.hidden_sizes)
        self.encoder_parts = check_encoder_parts("dqn", self.encoder_parts, self.policy)
        if self.policy not in POLICY_KINDS:
            raise ValueError(f"policy must be one of {', '.join(POLICY_KINDS)}, not {self.policy!r}")


def observation_keys(config: Config) -> tuple[str, ...] | None:
    """The observation keys a run with ``config`` reads (:func:`~sheetrl.agents.base.policy_observation_keys`)."""
    return policy_observation_keys(config.policy)


PRESETS = {
    "quick": Config(buffer_size=50_000, learning_starts=1_000, train_frequency=8, target_sync_interval=2_000,
                    exploration_steps=20_000),
    "seed": Config(),
}


# ---------------------------------------------------------------------------------------------------- target
def double_dqn_targets(rewards: torch.Tensor, terminated: torch.Tensor, next_q_online: torch.Tensor,
                       next_q_target: torch.Tensor, next_masks: torch.Tensor, gamma: float) -> torch.Tensor:
    """The Double-DQN regression target ``r + gamma * (1 - terminated) * Q_target(s', argmax_legal Q_online(s'))``.

    :param rewards: (B,) rewards of the transitions.
    :param terminated: (B,) bool, True where s' ended the episode by termination (no bootstrap); truncated
        transitions are False and bootstrap.
    :param next_q_online: (B, N) online-network Q-values of s' (they choose the next action).
    :param next_q_target: (B, N) target-network Q-values of s' (they evaluate it).
    :param next_masks: (B, N) bool legal actions in s'; an illegal action is never chosen, whatever its value.
    :param gamma: discount factor.
    :returns: (B,) float32 targets.
    """
    legal_online = next_q_online.float().masked_fill(~next_masks.bool(), float("-inf"))
    next_actions = legal_online.argmax(dim=1, keepdim=True)  # a row with no legal action picks 0; see below
    next_values = next_q_target.float().gather(1, next_actions).squeeze(1)
    # A state always has a legal action ("done"), but a row without one must not produce NaN/inf: its value is
    # still a finite target-network output.
    not_done = 1.0 - terminated.float()
    return rewards.float() + gamma * not_done * next_values


# ---------------------------------------------------------------------------------------------------- replay
class ReplayBuffer:
    """A ring buffer of transitions in preallocated numpy arrays."""

    def __init__(self, capacity: int, observation_size: int, n_actions: int) -> None:
        self.capacity = capacity
        self.observations = np.zeros((capacity, observation_size), dtype=np.float32)
        self.actions = np.zeros(capacity, dtype=np.int64)
        self.rewards = np.zeros(capacity, dtype=np.float32)
        self.next_observations = np.zeros((capacity, observation_size), dtype=np.float32)
        self.next_masks = np.zeros((capacity, n_actions), dtype=bool)
        self.terminated = np.zeros(capacity, dtype=bool)
        self.position = 0  # where the next transition goes
        self.size = 0  # transitions stored (<= capacity)

    _FIELDS = ("observations", "actions", "rewards", "next_observations", "next_masks", "terminated")

    def add(self, observations: np.ndarray, actions: np.ndarray, rewards: np.ndarray,
            next_observations: np.ndarray, next_masks: np.ndarray, terminated: np.ndarray) -> None:
        """Append a batch of transitions (one per environment), overwriting the oldest when full."""
        rows = (self.position + np.arange(len(actions))) % self.capacity
        self.observations[rows] = observations
        self.actions[rows] = actions
        self.rewards[rows] = rewards
        self.next_observations[rows] = next_observations
        self.next_masks[rows] = next_masks
        self.terminated[rows] = terminated
        self.position = int((self.position + len(actions)) % self.capacity)
        self.size = min(self.capacity, self.size + len(actions))

    def sample(self, batch_size: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
        """``batch_size`` transitions drawn uniformly with replacement."""
        rows = rng.integers(0, self.size, size=batch_size)
        return {name: getattr(self, name)[rows] for name in self._FIELDS}

    def state_dict(self) -> dict[str, Any]:
        """The stored rows (copies) and the write position."""
        state: dict[str, Any] = {name: getattr(self, name)[: self.size].copy() for name in self._FIELDS}
        state.update(position=self.position, size=self.size, capacity=self.capacity)
        return state

    def load_state_dict(self, state: dict[str, Any]) -> None:
        if int(state["capacity"]) != self.capacity:
            raise ValueError(f"the saved replay buffer holds {state['capacity']} rows, this one {self.capacity}; "
                             "build the agent with the same buffer_size")
        size, position = int(state["size"]), int(state["position"])
        if not 0 <= size <= self.capacity or not 0 <= position < self.capacity:
            raise ValueError(f"the saved replay buffer's size {size} and position {position} do not fit its "
                             f"{self.capacity} rows")
        for name in self._FIELDS:
            saved = np.asarray(state[name])
            rows = saved.shape[:1]
            if rows != (size,):  # (one saved row was copied into every row)
                raise ValueError(f"the saved replay buffer holds {size} transitions but "
                                 f"{rows[0] if rows else 'no list of'} {name}")
            getattr(self, name)[:size] = saved
        self.position, self.size = position, size


@dataclass
class Transitions:
    """A batch of transitions (one row each), as the replay buffer stores them."""

    observations: np.ndarray  # (B, D) float32 flat (or packed) observations s
    actions: np.ndarray  # (B,) int64
    rewards: np.ndarray  # (B,) float32
    next_observations: np.ndarray  # (B, D) float32 s' (the final observation where the episode ended)
    next_masks: np.ndarray  # (B, N) bool legal actions in s'
    terminated: np.ndarray  # (B,) bool: no bootstrap from s'

    @staticmethod
    def concatenate(parts: list[Transitions]) -> Transitions:
        """The parts one after the other."""
        return Transitions(*(np.concatenate([getattr(part, name) for part in parts])
                             for name in ReplayBuffer._FIELDS))


def updates_due(env_steps: int, config: Config) -> int:
    """Updates a run should have made after ``env_steps`` environment steps: none before ``learning_starts``,
    then one at ``learning_starts`` and one per ``train_frequency`` steps after it."""
    if env_steps < config.learning_starts:
        return 0
    return (env_steps - config.learning_starts) // config.train_frequency + 1


# --------------------------------------------------------------------------------------- other policy kinds
@dataclass
class ObservationPacking:
    """The observation keys a Q-network reads, packed side by side into one float32 row, so the replay buffer and
    the update stay those of the flat vector whatever the network (integer token ids below 2**24 are exact in
    float32). ``mlp`` reads ``flat`` alone."""

    shapes: dict[str, tuple[int, ...]] = field(default_factory=dict)

    @property
    def size(self) -> int:
        return int(sum(np.prod(shape) for shape in self.shapes.values()))

    def pack(self, obs: dict[str, np.ndarray]) -> np.ndarray:
        if list(self.shapes) == ["flat"]:
            return np.asarray(obs["flat"], dtype=np.float32)
        rows = len(obs["action_mask"])
        return np.concatenate([np.asarray(obs[key], dtype=np.float32).reshape(rows, -1) for key in self.shapes], 1)

    def unpack(self, packed: torch.Tensor) -> dict[str, torch.Tensor]:
        out, start = {}, 0
        for key, shape in self.shapes.items():
            width = int(np.prod(shape))
            out[key] = packed[:, start:start + width].reshape(-1, *shape)
            start += width
        return out


class PolicyQNetwork(torch.nn.Module):
    """A :func:`~sheetrl.agents.base.policy_network` read as a Q-network on packed observations: its logits are
    the Q-values."""

    def __init__(self, policy: torch.nn.Module, packing: ObservationPacking) -> None:
        super().__init__()
        self.policy = policy
        self.packing = packing

    def forward(self, packed: torch.Tensor) -> torch.Tensor:
        observations = self.packing.unpack(packed)
        for key in _INTEGER_KEYS.intersection(observations):
            observations[key] = observations[key].round().long()
        return self.policy(observations)[0]


_INTEGER_KEYS = frozenset(("cell_tokens", "instruction", "edges", "formula_chain", "action_history"))


# ----------------------------------------------------------------------------------------------------- agent
class DQNAgent(Agent):
    """Double DQN with legal-action masking (see the module docstring)."""

    name: ClassVar[str] = "dqn"

    def __init__(self, config: Config, observation_size: int, n_actions: int, device: torch.device,
                 precision: Precision, seed: int, observation_space: Any = None, action_space: Any = None) -> None:
        self.config = config
        self.device = device
        self.precision = precision
        self.n_actions = n_actions
        torch.manual_seed(seed)  # the initial weights (and dropout) follow the seed
        self.packing = ObservationPacking({"flat": (observation_size,)})
        self.q_network: torch.nn.Module
        if config.policy == "mlp":
            self.q_network = QNetwork(n_actions, observation_size, config.hidden_sizes, config.dropout).to(device)
        else:
            policy = policy_network(config.policy, observation_space, action_space, hidden_sizes=config.hidden_sizes,
                                    transformer_preset=config.transformer_preset,
                                    encoder_parts=config.encoder_parts)
            self.packing = ObservationPacking({key: tuple(observation_space[key].shape)
                                               for key in policy.observation_keys
                                               if key != "action_mask" and key in observation_space.spaces})
            self.q_network = PolicyQNetwork(policy, self.packing).to(device)
            observation_size = self.packing.size
        self.target_network = copy.deepcopy(self.q_network).eval()
        for parameter in self.target_network.parameters():
            parameter.requires_grad_(False)
        self.optimizer = adam(self.q_network.parameters(), self.device, lr=config.learning_rate)
        self.buffer = ReplayBuffer(config.buffer_size, observation_size, n_actions)
        self.rng = np.random.default_rng(seed)
        self.env_steps = 0  # environment steps taken (all environments together)
        self.updates = 0  # optimizer steps taken
        self.target_syncs = 0  # copies made to the target network

    # ------------------------------------------------------------------------------------------------- acting
    @property
    def epsilon(self) -> float:
        c = self.config
        return linear_epsilon(c.epsilon_start, c.epsilon_end, c.exploration_steps, self.env_steps)

    def q_values(self, flat: np.ndarray) -> np.ndarray:
        """Online-network Q-values (n, N) for stacked flat (or packed, see :class:`ObservationPacking`)
        observations (eval mode: no dropout)."""
        self.q_network.eval()
        with torch.no_grad(), self.precision.autocast():
            values = self.q_network(torch.as_tensor(flat, dtype=torch.float32, device=self.device))
        return values.float().cpu().numpy()

    def act(self, obs: dict[str, np.ndarray], masks: np.ndarray, deterministic: bool = False) -> np.ndarray:
        masks = np.asarray(masks, dtype=bool)
        greedy = masked_argmax(self.q_values(self.packing.pack(obs)), masks)
        if deterministic:
            return greedy
        return epsilon_greedy(greedy, masks, self.epsilon, self.rng)

    # ----------------------------------------------------------------------------------------------- learning
    def train_iteration(self, pool: SheetVectorEnv) -> tuple[int, dict[str, float]]:
        """One step of every environment in the pool, then the updates and target syncs that fell due."""
        self.store(self.act_and_step(pool))
        return pool.num_envs, self.learn_due()

    def act_and_step(self, pool: SheetVectorEnv) -> Transitions:
        """One epsilon-greedy step of every environment in the pool; returns the transitions, not yet stored
        (an actor that steps environments for a learner elsewhere sends them there)."""
        observations, masks = self.packing.pack(pool.obs), pool.masks
        actions = self.act(pool.obs, masks)
        next_obs, rewards, terminated, truncated, infos = pool.step(actions)
        next_flat = self.packing.pack(next_obs).copy()
        next_masks = next_obs["action_mask"].astype(bool)
        for i in np.flatnonzero(terminated | truncated):  # the pool already reset these: use the final state
            final = {key: value[None] for key, value in infos["final_obs"][i].items()}
            next_flat[i] = self.packing.pack(final)[0]
            next_masks[i] = infos["final_obs"][i]["action_mask"].astype(bool)
        # Copies: a pool built with copy=False overwrites its arrays at the next step.
        return Transitions(np.array(observations, dtype=np.float32), np.array(actions, dtype=np.int64),
                           np.array(rewards, dtype=np.float32), next_flat, next_masks,
                           np.array(terminated, dtype=bool))

    def store(self, transitions: Transitions) -> None:
        """Add transitions to the replay buffer; each counts as one environment step."""
        self.buffer.add(transitions.observations, transitions.actions, transitions.rewards,
                        transitions.next_observations, transitions.next_masks, transitions.terminated)
        self.env_steps += len(transitions.actions)

    def learn_due(self) -> dict[str, float]:
        """The updates (one per ``train_frequency`` environment steps after ``learning_starts``) and target syncs
        (every ``target_sync_interval`` steps) that the steps stored so far call for; returns the metrics."""
        c = self.config
        metrics: dict[str, float] = {"charts/epsilon": self.epsilon}
        losses, q_means = [], []
        while self.updates < updates_due(self.env_steps, c):
            loss, q_mean = self.update()
            losses.append(loss)
            q_means.append(q_mean)
        syncs_due = self.env_steps // c.target_sync_interval
        if syncs_due > self.target_syncs:
            self.target_network.load_state_dict(self.q_network.state_dict())
            self.target_syncs = syncs_due
        if losses:
            metrics["losses/td_loss"] = float(np.mean(losses))
            metrics["losses/q_values"] = float(np.mean(q_means))
        return metrics

    def update(self) -> tuple[float, float]:
        """One optimizer step: ``accumulation_steps`` micro-batches of Huber loss on Double-DQN targets."""
        c = self.config
        total_loss, total_q = 0.0, 0.0
        micro_batches = self.precision.accumulation_steps
        for _ in range(micro_batches):
            batch = self.buffer.sample(c.batch_size, self.rng)
            tensors = {k: torch.as_tensor(v, device=self.device) for k, v in batch.items()}
            self.q_network.eval()
            with torch.no_grad(), self.precision.autocast():
                next_q_online = self.q_network(tensors["next_observations"])
                next_q_target = self.target_network(tensors["next_observations"])
            targets = double_dqn_targets(tensors["rewards"], tensors["terminated"], next_q_online, next_q_target,
                                         tensors["next_masks"], c.gamma)
            self.q_network.train()
            with self.precision.autocast():
                q_taken = self.q_network(tensors["observations"]).gather(1, tensors["actions"][:, None]).squeeze(1)
            loss = F.smooth_l1_loss(q_taken.float(), targets)
            self.precision.backward(loss)
            self.precision.step(self.optimizer, self.q_network.parameters(), c.max_grad_norm)
            total_loss += float(loss.detach())
            total_q += float(q_taken.detach().float().mean())
        self.q_network.eval()
        self.updates += 1
        return total_loss / micro_batches, total_q / micro_batches

    # -------------------------------------------------------------------------------------------- checkpoints
    def state_dict(self) -> dict[str, Any]:
        return {
            "q_network": copy.deepcopy(self.q_network.state_dict()),
            "target_network": copy.deepcopy(self.target_network.state_dict()),
            "optimizer": copy.deepcopy(self.optimizer.state_dict()),
            "precision": self.precision.state_dict(),
            "buffer": self.buffer.state_dict(),
            "env_steps": self.env_steps,
            "updates": self.updates,
            "target_syncs": self.target_syncs,
            "numpy_rng": copy.deepcopy(self.rng.bit_generator.state),
            "torch_rng": torch.get_rng_state(),
            "cuda_rng": torch.cuda.get_rng_state_all() if torch.cuda.is_available() else None,
            "python_rng": random.getstate(),
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.q_network.load_state_dict(state["q_network"])
        self.target_network.load_state_dict(state["target_network"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.precision.load_state_dict(state["precision"])
        self.buffer.load_state_dict(state["buffer"])
        self.env_steps = int(state["env_steps"])
        self.updates = int(state["updates"])
        self.target_syncs = int(state["target_syncs"])
        self.rng.bit_generator.state = state["numpy_rng"]
        torch.set_rng_state(state["torch_rng"])
        if state.get("cuda_rng") is not None and torch.cuda.is_available():
            torch.cuda.set_rng_state_all(state["cuda_rng"])
        random.setstate(state["python_rng"])


def build(config: Config, observation_space: Any, action_space: Any, device: str | torch.device = "cpu",
          precision: Precision | None = None, seed: int = 0) -> DQNAgent:
    """A Double-DQN agent for the environment's spaces; reads the ``flat`` observation."""
    if not isinstance(config, Config):
        raise TypeError(f"dqn.build needs a dqn.Config, not {type(config).__name__}")
    spaces = getattr(observation_space, "spaces", None)
    if spaces is None or "flat" not in spaces or len(spaces["flat"].shape) != 1:
        raise ValueError("DQN needs a Dict observation space with a 1-D 'flat' vector")
    n_actions = int(getattr(action_space, "n", 0))
    if n_actions < 1:
        raise ValueError(f"DQN needs a Discrete action space, not {action_space}")
    device = resolve_device(device) if isinstance(device, str) else torch.device(device)
    precision = precision or Precision("fp32", device)
    return DQNAgent(config, int(spaces["flat"].shape[0]), n_actions, device, precision, seed, observation_space,
                    action_space)
