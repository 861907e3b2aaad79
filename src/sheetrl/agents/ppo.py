"""Proximal Policy Optimization with a masked categorical policy (Schulman et al. 2017, arXiv:1707.06347).

The whole algorithm, top to bottom:

1. **Rollout.** Every iteration runs the current policy for ``num_steps`` steps in each of the pool's
   ``num_envs`` environments, storing the flat observation, the action mask, the action, its log-probability,
   the value estimate, the reward, and whether the episode *terminated* (solved, ``done`` or the task's step budget
   spent: nothing follows, so no bootstrap) or was *truncated* (an outside time limit cut it: the future still had
   value, so we bootstrap from ``V(final_obs)``, the observation the episode ended in, which the pool keeps in
   ``infos["final_obs"][i]``).
2. **Advantages.** Generalized Advantage Estimation (Schulman et al. 2016, arXiv:1506.02438), see
   :func:`compute_gae`: ``delta_t = r_t + gamma * V(next) - V(s_t)``, ``A_t = delta_t + gamma * lambda * A_{t+1}``
   with the recursion cut wherever an episode ended; returns are ``A_t + V(s_t)``.
3. **Update.** ``update_epochs`` passes over the rollout in shuffled minibatches. Each minibatch re-evaluates the
   policy *with the stored masks re-applied*, normalizes its advantages, and minimizes
   ``clipped surrogate + value_coef * value loss - entropy_coef * entropy`` (:func:`clipped_policy_loss`,
   :func:`value_loss`). The forward pass runs under ``precision.autocast()`` and every optimizer step goes
   through :class:`~sheetrl.models.precision.Precision` (gradient accumulation over micro-batches, loss scaling,
   gradient-norm clipping at ``max_grad_norm``).

Illegal actions: their logits are replaced by the most negative finite float before the softmax, so their
probability is exactly zero, log-probabilities and entropy stay finite, and sampling (Gumbel-max restricted to
legal actions) can never pick one (:class:`MaskedCategorical`).

Determinism: sampling and minibatch shuffling draw from the agent's own ``torch.Generator``; its state, the
weights, the optimizer, the precision helper and the iteration counter are all in :meth:`PPOAgent.state_dict`.
A rollout is consumed inside one iteration, so together with :meth:`SheetVectorEnv.get_state
<sheetrl.env.vector.SheetVectorEnv.get_state>` that is everything needed to continue bit-exactly on CPU.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, ClassVar

import numpy as np
import torch
from torch import nn

from sheetrl.agents.base import (
    POLICY_KINDS,
    Agent,
    check_encoder_parts,
    check_micro_batches,
    check_same_network,
    check_signs,
    frozen_copy,
    load_generator_state,
    masked_kl_divergence,
    policy_observation_keys,
    seeded_policy_network,
)
from sheetrl.env.vector import SheetVectorEnv
from sheetrl.models.encoders import DEFAULT_ENCODER_PARTS
from sheetrl.models.policy import observation_dtype, to_tensors
from sheetrl.models.precision import Precision, adam

name = "ppo"


# ------------------------------------------------------------------------------------------------------- config
@dataclass
class Config:
    """PPO hyper-parameters; the defaults are the ``seed`` preset (the seed document's network and 8 actors)."""

    num_envs: int = 8  # environments in the pool, stepped together
    num_steps: int = 256  # steps per environment per rollout (rollout size = num_envs * num_steps)
    learning_rate: float = 3e-4  # Adam step size
    anneal_lr: bool = False  # decay the learning rate linearly to 0 at the end of the run (its total_steps)
    gamma: float = 0.99  # discount factor
    gae_lambda: float = 0.95  # GAE lambda: bias (0) vs variance (1) of the advantage estimate
    num_minibatches: int = 4  # minibatches per epoch (rollout size must divide evenly)
    update_epochs: int = 10  # passes over each rollout
    normalize_advantages: bool = True  # standardize advantages within each minibatch
    clip_coef: float = 0.2  # surrogate clipping: the ratio pi/pi_old is kept within [1 - clip, 1 + clip]
    clip_value_loss: bool = True  # also clip the value update around the rollout's value estimates
    value_clip_coef: float = 10.0  # how far (in return units) a value may move from its rollout estimate
    entropy_coef: float = 0.01  # weight of the entropy bonus (exploration)
    value_coef: float = 0.5  # weight of the value loss
    max_grad_norm: float = 0.5  # global gradient-norm clip
    target_kl: float | None = None  # stop the epochs early once the approximate KL exceeds this (None: never)
    hidden_sizes: tuple[int, ...] = (512, 512)  # MLP widths of the policy and value trunks
    shared_trunk: bool = False  # one trunk for both heads (True) or two separate trunks (False)
    adam_eps: float = 1e-5  # Adam epsilon
    policy: str = "mlp"  # policy network: mlp (flat vector), encoder (GNN/CNN/LSTM), transformer (SpreadsheetGPT)
    transformer_preset: str = "quick"  # transformer: SpreadsheetGPT's size preset (quick or seed)
    encoder_parts: tuple[str, ...] = DEFAULT_ENCODER_PARTS  # encoder: its parts (models.encoders.ENCODER_PARTS)
    kl_coef: float = 0.0  # started from another run (--init-from): weight of KL(policy || that initial policy)

    def __post_init__(self) -> None:
        self.hidden_sizes = tuple(int(h) for h in self.hidden_sizes)
        self.encoder_parts = check_encoder_parts("ppo", self.encoder_parts, self.policy)
        positive = ("num_envs", "num_steps", "num_minibatches", "update_epochs")
        for key in positive:
            if getattr(self, key) < 1:
                raise ValueError(f"ppo: {key} must be at least 1, not {getattr(self, key)}")
        if not math.isfinite(self.learning_rate) or self.learning_rate <= 0:  # (NaN passes a plain <= 0 test)
            raise ValueError(f"ppo: learning_rate must be a finite positive number, not {self.learning_rate}")
        if (self.num_envs * self.num_steps) % self.num_minibatches:
            raise ValueError(f"ppo: the rollout ({self.num_envs} envs x {self.num_steps} steps) does not split into "
                             f"{self.num_minibatches} equal minibatches; change num_minibatches")
        if not 0.0 <= self.gamma <= 1.0 or not 0.0 <= self.gae_lambda <= 1.0:
            raise ValueError("ppo: gamma and gae_lambda must lie in [0, 1]")
        if not self.clip_coef > 0:  # (NaN fails every comparison)
            raise ValueError(f"ppo: clip_coef must be positive, not {self.clip_coef}")
        # a value clip that is not positive pins every value
        check_signs("ppo", self, positive=("max_grad_norm", "value_clip_coef"),
                    non_negative=("value_coef", "entropy_coef"), finite=True)
        if not self.hidden_sizes or min(self.hidden_sizes) < 1:
            raise ValueError(f"ppo: hidden_sizes must be positive widths, not {self.hidden_sizes}")
        if self.policy not in POLICY_KINDS:
            raise ValueError(f"ppo: policy must be one of {', '.join(POLICY_KINDS)}, not {self.policy!r}")
        check_signs("ppo", self, non_negative=("kl_coef",), finite=True)

    @property
    def batch_size(self) -> int:
        """Transitions per rollout."""
        return self.num_envs * self.num_steps

    @property
    def minibatch_size(self) -> int:
        return self.batch_size // self.num_minibatches


IMPORTANCE_WEIGHT_MAX = 100.0  # the cap on pi_proximal / pi_behaviour in a stale update (as in ppo-ewma's code)


def observation_keys(config: Config) -> tuple[str, ...] | None:
    """The observation keys a run with ``config`` reads (:func:`~sheetrl.agents.base.policy_observation_keys`)."""
    return policy_observation_keys(config.policy)


PRESETS: dict[str, Config] = {
    # Tuned on a 2-core CPU for levels 1 and 2 (see the module's benchmark numbers in BENCHMARKS.md). Two minibatches
    # of 256 learn level 2 better than four of 128 (3 seeds: 0.985 / 0.640 held-out iid / ood against 0.853 /
    # 0.298) and halve the optimizer steps (BENCHMARKS.md, "PPO's update").
    "quick": Config(num_envs=8, num_steps=64, learning_rate=5e-4, num_minibatches=2, update_epochs=10,
                    entropy_coef=0.01, hidden_sizes=(128, 128)),
    "seed": Config(),
}


# ----------------------------------------------------------------------------------------------------- network
def _layer(inputs: int, outputs: int, gain: float) -> nn.Linear:
    """A linear layer with orthogonal weights and zero biases (the usual PPO initialization)."""
    layer = nn.Linear(inputs, outputs)
    nn.init.orthogonal_(layer.weight, gain)
    nn.init.zeros_(layer.bias)
    return layer


def _trunk(inputs: int, hidden_sizes: tuple[int, ...]) -> nn.Sequential:
    layers: list[nn.Module] = []
    for width in hidden_sizes:
        layers += [_layer(inputs, width, math.sqrt(2)), nn.Tanh()]
        inputs = width
    return nn.Sequential(*layers)


class ActorCritic(nn.Module):
    """MLP policy and value function on the flat observation.

    With ``shared_trunk`` both heads read one trunk; otherwise the policy and the value have their own trunks (as
    in the PPO paper's continuous-control setup and CleanRL), so value-loss gradients never disturb the policy's
    features. The policy head starts near uniform (gain 0.01), the value head at gain 1.
    """

    def __init__(self, observation_size: int, num_actions: int, hidden_sizes: tuple[int, ...],
                 shared_trunk: bool) -> None:
        super().__init__()
        self.policy_trunk = _trunk(observation_size, hidden_sizes)
        self.value_trunk = None if shared_trunk else _trunk(observation_size, hidden_sizes)
        self.policy_head = _layer(hidden_sizes[-1], num_actions, 0.01)
        self.value_head = _layer(hidden_sizes[-1], 1, 1.0)

    def forward(self, observations: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(action logits (B, N), state values (B,)) for flat observations (B, D)."""
        policy_features = self.policy_trunk(observations)
        value_features = policy_features if self.value_trunk is None else self.value_trunk(observations)
        return self.policy_head(policy_features), self.value_head(value_features).squeeze(-1)

    def value(self, observations: torch.Tensor) -> torch.Tensor:
        """State values (B,) only."""
        features = self.policy_trunk(observations) if self.value_trunk is None else self.value_trunk(observations)
        return self.value_head(features).squeeze(-1)


# ------------------------------------------------------------------------------------------------ distribution
class MaskedCategorical:
    """A categorical distribution over the legal actions only.

    Illegal logits become ``finfo.min`` (not ``-inf``): their probabilities are exactly 0, and the entropy sums
    only over legal actions, so no ``0 * -inf = nan`` appears anywhere. Computed in float32 whatever the autocast
    dtype of the logits.
    """

    def __init__(self, logits: torch.Tensor, masks: torch.Tensor) -> None:
        logits = logits.float()
        self.masks = masks.bool()
        self.logits = logits.masked_fill(~self.masks, torch.finfo(logits.dtype).min)
        self.log_probs_all = torch.log_softmax(self.logits, dim=-1)

    def log_prob(self, actions: torch.Tensor) -> torch.Tensor:
        return self.log_probs_all.gather(-1, actions.long().unsqueeze(-1)).squeeze(-1)

    def entropy(self) -> torch.Tensor:
        plogp = self.log_probs_all.exp() * self.log_probs_all
        return -torch.where(self.masks, plogp, torch.zeros_like(plogp)).sum(-1)

    def sample(self, generator: torch.Generator | None = None) -> torch.Tensor:
        """Gumbel-max sampling restricted to legal actions (an illegal action cannot win the argmax)."""
        uniform = torch.rand(self.logits.shape, generator=generator, device=self.logits.device)
        tiny = torch.finfo(uniform.dtype).tiny
        gumbel = -torch.log(-torch.log(uniform.clamp(tiny, 1.0 - 1e-7)))
        scores = torch.where(self.masks, self.log_probs_all + gumbel, torch.full_like(gumbel, -math.inf))
        return scores.argmax(-1)

    def mode(self) -> torch.Tensor:
        """The most probable legal action (ties: the lowest index)."""
        return self.logits.argmax(-1)


# --------------------------------------------------------------------------------------------- the pure maths
def compute_gae(rewards: torch.Tensor, values: torch.Tensor, terminated: torch.Tensor, truncated: torch.Tensor,
                final_values: torch.Tensor, last_value: torch.Tensor, gamma: float, lam: float
                ) -> tuple[torch.Tensor, torch.Tensor]:
    """Generalized advantage estimates and returns for a rollout of shape (T, n).

    :param rewards: r_t, received after the action at step t.
    :param values: V(s_t) of the observation the action at step t was chosen in.
    :param terminated: the episode ended at step t with nothing after it (bootstrap value 0).
    :param truncated: the episode was cut at step t by a time limit (bootstrap from ``final_values[t]``).
    :param final_values: V(final observation) of an episode truncated at step t (read only where truncated).
    :param last_value: V of the observation after the last step (n,), bootstrapping rollouts cut mid-episode.
    :returns: (advantages, returns), both (T, n); returns = advantages + values.
    """
    steps = rewards.shape[0]
    terminated = terminated.bool()
    truncated = truncated.bool() & ~terminated
    ended = terminated | truncated
    advantages = torch.zeros_like(values)
    next_advantage = torch.zeros_like(last_value)
    next_value = last_value
    for t in reversed(range(steps)):
        # The value of whatever follows step t: the next stored state while the episode goes on, the final
        # observation's value after a truncation, nothing after a termination.
        bootstrap = torch.where(truncated[t], final_values[t], next_value)
        bootstrap = torch.where(terminated[t], torch.zeros_like(bootstrap), bootstrap)
        delta = rewards[t] + gamma * bootstrap - values[t]
        # The next stored step belongs to a new episode whenever this one ended, so the recursion stops there.
        next_advantage = delta + gamma * lam * (~ended[t]).to(values.dtype) * next_advantage
        advantages[t] = next_advantage
        next_value = values[t]
    return advantages, advantages + values


def normalize(advantages: torch.Tensor) -> torch.Tensor:
    """Zero mean, unit (population) standard deviation; a single advantage becomes 0."""
    return (advantages - advantages.mean()) / (advantages.std(correction=0) + 1e-8)


def clipped_policy_loss(new_log_probs: torch.Tensor, old_log_probs: torch.Tensor, advantages: torch.Tensor,
                        clip_coef: float, weights: torch.Tensor | None = None) -> torch.Tensor:
    """PPO's clipped surrogate, as a loss to minimize.

    ``L = mean(max(-A * ratio, -A * clip(ratio, 1 - eps, 1 + eps)))`` with ``ratio = exp(new - old)``: the negative
    of ``min(ratio * A, clip(ratio) * A)`` in the paper's eq. (7). With ``weights`` each sample's term is multiplied
    by its weight (the decoupled objective of :meth:`PPOAgent.update` for stale rollouts: ``old`` is then the
    proximal policy and the weight ``pi_proximal / pi_behaviour``).
    """
    ratio = torch.exp(new_log_probs - old_log_probs)
    unclipped = -advantages * ratio
    clipped = -advantages * torch.clamp(ratio, 1.0 - clip_coef, 1.0 + clip_coef)
    loss = torch.max(unclipped, clipped)
    return (loss if weights is None else weights * loss).mean()


def value_loss(new_values: torch.Tensor, old_values: torch.Tensor, returns: torch.Tensor,
               clip_coef: float | None) -> torch.Tensor:
    """``0.5 * mean((V - R)^2)``; with ``clip_coef``, the pessimistic max of the unclipped and the clipped error,
    where the clipped value stays within ``clip_coef`` of the rollout's estimate."""
    unclipped = (new_values - returns) ** 2
    if clip_coef is None:
        return 0.5 * unclipped.mean()
    clipped_values = old_values + torch.clamp(new_values - old_values, -clip_coef, clip_coef)
    clipped = (clipped_values - returns) ** 2
    return 0.5 * torch.max(unclipped, clipped).mean()


# ------------------------------------------------------------------------------------------------------- agent
@dataclass
class Rollout:
    """One iteration's experience, every tensor (num_steps, num_envs, ...); ``observations`` holds the keys the
    policy reads."""

    observations: dict[str, torch.Tensor]
    masks: torch.Tensor
    actions: torch.Tensor
    log_probs: torch.Tensor
    values: torch.Tensor
    rewards: torch.Tensor
    terminated: torch.Tensor
    truncated: torch.Tensor
    final_values: torch.Tensor


class PPOAgent(Agent):
    """PPO with a masked categorical policy over any policy network (see the module docstring)."""

    name: ClassVar[str] = "ppo"

    def __init__(self, config: Config, observation_space: Any, num_actions: int, device: torch.device,
                 precision: Precision, seed: int, action_space: Any = None) -> None:
        check_micro_batches("ppo", config.minibatch_size, precision.accumulation_steps)
        self.config = config
        self.device = torch.device(device)
        self.precision = precision
        self.num_actions = num_actions
        # mlp: models.mlp.ActorCritic, built exactly like ActorCritic above (the same seed, the same weights)
        self.network, self.keys = seeded_policy_network(config, observation_space, action_space, seed, self.device)
        self.observation_shapes = {key: tuple(observation_space[key].shape) for key in self.keys}
        self.reference: nn.Module | None = None  # the initial policy of a run started from another (kl_coef)
        self.optimizer = adam(self.network.parameters(), self.device, lr=config.learning_rate, eps=config.adam_eps)
        # Training draws (action sampling, minibatch order) and act() draws use separate streams, so evaluating
        # the policy between iterations never changes what training does next.
        self.generator = torch.Generator(device=self.device).manual_seed(seed)
        self.act_generator = torch.Generator(device=self.device).manual_seed(seed + 1)
        self.iteration = 0
        self.env_steps = 0

    # -------------------------------------------------------------------------------------------------- acting
    def _observations(self, observations: dict[str, np.ndarray]) -> dict[str, torch.Tensor]:
        """The keys the policy reads, as tensors."""
        return to_tensors(observations, self.keys, self.device)

    def _masks(self, masks: np.ndarray) -> torch.Tensor:
        return torch.as_tensor(np.asarray(masks, dtype=bool), device=self.device)

    @torch.no_grad()
    def act(self, obs: dict[str, np.ndarray], masks: np.ndarray, deterministic: bool = False) -> np.ndarray:
        with self.precision.autocast():
            logits, _ = self.network(self._observations(obs))
        distribution = MaskedCategorical(logits, self._masks(masks))
        actions = distribution.mode() if deterministic else distribution.sample(self.act_generator)
        return actions.cpu().numpy()

    @torch.no_grad()
    def action_probabilities(self, obs: dict[str, np.ndarray], masks: np.ndarray) -> np.ndarray:
        """The policy's probability of every action (0 for illegal ones), (n, N)."""
        with self.precision.autocast():
            logits, _ = self.network(self._observations(obs))
        return MaskedCategorical(logits, self._masks(masks)).log_probs_all.exp().cpu().numpy()

    @torch.no_grad()
    def _log_probs(self, observations: dict[str, torch.Tensor], masks: torch.Tensor,
                   actions: torch.Tensor) -> torch.Tensor:
        """The network's log-probability of each taken action, under its stored mask (a minibatch at a time)."""
        step = max(1, self.config.minibatch_size // self.precision.accumulation_steps)  # the update's micro-batch
        parts = []
        for start in range(0, actions.shape[0], step):
            rows = slice(start, start + step)
            with self.precision.autocast():
                logits, _ = self.network({key: value[rows] for key, value in observations.items()})
            parts.append(MaskedCategorical(logits, masks[rows]).log_prob(actions[rows]).float())
        return torch.cat(parts)

    @torch.no_grad()
    def _values(self, observations: dict[str, torch.Tensor]) -> torch.Tensor:
        with self.precision.autocast():
            return self.network(observations)[1].float()

    # ------------------------------------------------------------------------------------------------ rollout
    @torch.no_grad()
    def collect(self, pool: SheetVectorEnv) -> tuple[Rollout, torch.Tensor]:
        """Run the policy for ``num_steps`` steps in every environment; returns the rollout and V(last obs).

        What the environments give (observations, masks, rewards, flags) is stored in NumPy arrays and the rollout's
        tensors are made from them once at the end: a NumPy row copy costs a microsecond where a tensor's indexed
        assignment costs several, and an actor with few environments pays them at every step.
        """
        steps, envs = self.config.num_steps, pool.num_envs
        if envs != self.config.num_envs:
            raise ValueError(f"ppo: the pool has {envs} environments but the config says "
                             f"num_envs={self.config.num_envs}; build the pool with config.num_envs")
        keys = [key for key in self.keys if key in pool.obs]
        stored = {key: np.zeros((steps, *np.shape(pool.obs[key])), observation_dtype(key)) for key in keys}
        masks = np.zeros((steps, envs, self.num_actions), dtype=bool)
        rewards = np.zeros((steps, envs), dtype=np.float32)
        terminated = np.zeros((steps, envs), dtype=bool)
        truncated = np.zeros((steps, envs), dtype=bool)
        actions = torch.zeros(steps, envs, dtype=torch.long, device=self.device)
        log_probs = torch.zeros(steps, envs, device=self.device)
        values = torch.zeros(steps, envs, device=self.device)
        final_values = torch.zeros(steps, envs, device=self.device)
        for t in range(steps):
            for key in keys:
                stored[key][t] = pool.obs[key]
            masks[t] = pool.masks
            with self.precision.autocast():
                logits, step_values = self.network({key: self._tensor(stored[key][t]) for key in keys})
            distribution = MaskedCategorical(logits, self._tensor(masks[t]))
            step_actions = distribution.sample(self.generator)
            actions[t], log_probs[t], values[t] = step_actions, distribution.log_prob(step_actions), step_values
            _, rewards[t], step_terminated, step_truncated, infos = pool.step(step_actions.cpu().numpy())
            terminated[t], truncated[t] = step_terminated, step_truncated & ~step_terminated
            cut = np.flatnonzero(truncated[t])
            if cut.size:
                final = {key: np.stack([infos["final_obs"][i][key] for i in cut]) for key in self.keys}
                final_values[t, torch.as_tensor(cut, device=self.device)] = self._values(self._observations(final))
        last_value = self._values(self._observations(pool.obs))
        self.env_steps += steps * envs
        rollout = Rollout(observations={key: self._tensor(array) for key, array in stored.items()},
                          masks=self._tensor(masks), actions=actions, log_probs=log_probs, values=values,
                          rewards=self._tensor(rewards), terminated=self._tensor(terminated),
                          truncated=self._tensor(truncated), final_values=final_values)
        return rollout, last_value

    def _tensor(self, array: np.ndarray) -> torch.Tensor:
        """``array`` on the agent's device (on the CPU: the same memory, no copy)."""
        return torch.from_numpy(array).to(self.device)

    # ------------------------------------------------------------------------------------------------- update
    def _learning_rate(self) -> float:
        if not self.config.anneal_lr:
            return self.config.learning_rate
        if self.run_steps is None:
            raise ValueError("ppo: anneal_lr needs the run's length; set agent.run_steps (the runner does)")
        fraction = max(0.0, 1.0 - self.env_steps / self.run_steps)
        return self.config.learning_rate * fraction

    def update(self, rollout: Rollout, last_value: torch.Tensor, stale: bool = False) -> dict[str, float]:
        """GAE, then ``update_epochs`` epochs of clipped-surrogate minibatch updates; returns the losses.

        ``stale``: the rollout was collected by older weights than the network has now (Ray actors overlapping
        the update, :mod:`sheetrl.train.distributed`). The update then uses the decoupled objective of Hilton,
        Cobbe and Schulman (2021, arXiv:2110.00641): the ratio is clipped around the *proximal* policy, the network
        as this update starts, not around the behaviour policy that acted, and each sample is weighted by
        ``pi_proximal / pi_behaviour`` to correct for who acted. Clipping around a policy one update old lets this
        update move only as far as the clip allows from a point it may already have left, and a sample the last
        update pushed past the clip on the side its advantage favours gives no gradient at all. Each weight is
        capped at ``IMPORTANCE_WEIGHT_MAX`` (logged as ``losses/importance_weight_max``). ``approx_kl``,
        ``clipfrac`` and ``target_kl`` measure the update against the proximal policy too. The proximal
        log-probabilities are computed in train mode, like the behaviour ones in :meth:`collect`, so a network with
        dropout gets one dropout sample for them.
        """
        config = self.config
        advantages, returns = compute_gae(rollout.rewards, rollout.values, rollout.terminated, rollout.truncated,
                                          rollout.final_values, last_value, config.gamma, config.gae_lambda)
        batch = config.batch_size
        observations = {key: value.reshape(batch, *value.shape[2:]) for key, value in rollout.observations.items()}
        masks = rollout.masks.reshape(batch, -1)
        actions, old_log_probs = rollout.actions.reshape(batch), rollout.log_probs.reshape(batch)
        weights: torch.Tensor | None = None
        if stale:
            behaviour_log_probs = old_log_probs
            old_log_probs = self._log_probs(observations, masks, actions)
            # Capped in log space, as the authors' code does, so one action the behaviour policy almost never took
            # cannot dominate a minibatch.
            weights = torch.exp(torch.clamp(old_log_probs - behaviour_log_probs, max=math.log(IMPORTANCE_WEIGHT_MAX)))
        old_values = rollout.values.reshape(batch)
        advantages, returns = advantages.reshape(batch), returns.reshape(batch)
        value_clip = config.value_clip_coef if config.clip_value_loss else None
        micro_batches = self.precision.accumulation_steps
        for group in self.optimizer.param_groups:
            group["lr"] = self._learning_rate()

        sums = dict.fromkeys(("policy_loss", "value_loss", "entropy", "approx_kl", "clipfrac", "kl_to_init"), 0.0)
        count = 0
        stop = False
        for _epoch in range(config.update_epochs):
            order = torch.randperm(batch, generator=self.generator, device=self.device)
            for start in range(0, batch, config.minibatch_size):
                indices = order[start:start + config.minibatch_size]
                minibatch_advantages = advantages[indices]
                if config.normalize_advantages:
                    minibatch_advantages = normalize(minibatch_advantages)
                epoch_kl = 0.0
                for part, micro in zip(indices.chunk(micro_batches), minibatch_advantages.chunk(micro_batches)):
                    minibatch = {key: value[part] for key, value in observations.items()}
                    with self.precision.autocast():
                        logits, new_values = self.network(minibatch)
                    distribution = MaskedCategorical(logits, masks[part])
                    new_log_probs = distribution.log_prob(actions[part])
                    entropy = distribution.entropy().mean()
                    policy = clipped_policy_loss(new_log_probs, old_log_probs[part], micro, config.clip_coef,
                                                 None if weights is None else weights[part])
                    value = value_loss(new_values.float(), old_values[part], returns[part], value_clip)
                    loss = policy + config.value_coef * value - config.entropy_coef * entropy
                    kl_to_init = torch.zeros(())
                    if self.reference is not None and config.kl_coef > 0:
                        with torch.no_grad(), self.precision.autocast():
                            reference_logits, _ = self.reference(minibatch)
                        kl_to_init = masked_kl(distribution, MaskedCategorical(reference_logits, masks[part])).mean()
                        loss = loss + config.kl_coef * kl_to_init
                    self.precision.backward(loss)
                    with torch.no_grad():
                        log_ratio = new_log_probs - old_log_probs[part]
                        approx_kl = ((log_ratio.exp() - 1) - log_ratio).mean().item()
                        clipfrac = ((log_ratio.exp() - 1.0).abs() > config.clip_coef).float().mean().item()
                    epoch_kl += approx_kl / micro_batches
                    for key, number in (("policy_loss", policy.item()), ("value_loss", value.item()),
                                        ("entropy", entropy.item()), ("approx_kl", approx_kl),
                                        ("clipfrac", clipfrac), ("kl_to_init", kl_to_init.item())):
                        sums[key] += number
                    count += 1
                self.precision.step(self.optimizer, self.network.parameters(), config.max_grad_norm)
                if config.target_kl is not None and epoch_kl > config.target_kl:
                    stop = True
                    break
            if stop:
                break

        variance = returns.var(correction=0).item()
        explained = math.nan if variance == 0 else 1.0 - (returns - old_values).var(correction=0).item() / variance
        metrics = {f"losses/{key}": total / max(1, count) for key, total in sums.items()}
        metrics["losses/explained_variance"] = explained
        if weights is not None:
            metrics["losses/importance_weight_max"] = weights.max().item()
        metrics["charts/learning_rate"] = self.optimizer.param_groups[0]["lr"]
        return metrics

    def train_iteration(self, pool: SheetVectorEnv) -> tuple[int, dict[str, float]]:
        """One rollout of ``num_envs * num_steps`` steps and one PPO update."""
        self.network.train()
        rollout, last_value = self.collect(pool)
        metrics = self.update(rollout, last_value)
        self.iteration += 1
        return self.config.batch_size, metrics

    # ----------------------------------------------------------------------------------------------- state
    def state_dict(self) -> dict[str, Any]:
        return {
            "config": asdict(self.config),
            "network": self.network.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "precision": self.precision.state_dict(),
            "generator": self.generator.get_state(),
            "act_generator": self.act_generator.get_state(),
            "iteration": self.iteration,
            "env_steps": self.env_steps,
            "reference": None if self.reference is None else self.reference.state_dict(),
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        check_same_network(state["config"], self.config, "ppo")
        self.network.load_state_dict(_with_policy_prefix(state["network"], self.config.policy))
        if state.get("reference") is not None:
            self._set_reference(state["reference"])
        else:
            self.reference = None
        self.optimizer.load_state_dict(state["optimizer"])
        self.precision.load_state_dict(state["precision"])
        load_generator_state(self.generator, state["generator"])
        load_generator_state(self.act_generator, state["act_generator"])
        self.iteration = int(state["iteration"])
        self.env_steps = int(state["env_steps"])


    # ------------------------------------------------------------------------------------ fine-tuning another run
    def initialize_from(self, agent: dict[str, Any]) -> None:
        """Start from another run's network (``sheetrl train --init-from RUN``; e.g. behaviour cloning): its
        weights become this policy's, and with ``kl_coef > 0`` a frozen copy is the reference the KL penalty keeps
        the policy near. The optimizer and everything else start fresh."""
        check_same_network(agent["config"], self.config, "ppo")
        self.network.load_state_dict(_with_policy_prefix(agent["state"]["network"], self.config.policy))
        if self.config.kl_coef > 0:
            self._set_reference(self.network.state_dict())

    def _set_reference(self, weights: dict[str, Any]) -> None:
        self.reference = frozen_copy(self.network, weights)


def masked_kl(policy: MaskedCategorical, reference: MaskedCategorical) -> torch.Tensor:
    """``KL(policy || reference)`` per row, summed over the legal actions only."""
    return masked_kl_divergence(policy.log_probs_all, reference.log_probs_all, policy.masks)


def _with_policy_prefix(weights: dict[str, Any], policy: str) -> dict[str, Any]:
    """Checkpoints written before PPO read its network through ``build_policy`` name the MLP's parameters without
    the ``network.`` prefix of :class:`~sheetrl.models.policy.MLPPolicy`; add it."""
    if policy != "mlp" or any(key.startswith("network.") for key in weights):
        return weights
    return {f"network.{key}": value for key, value in weights.items()}


def build(config: Config, observation_space: Any, action_space: Any, device: torch.device | str,
          precision: Precision, seed: int) -> PPOAgent:
    """A PPO agent for a SpreadsheetEnv's spaces (it reads the observation keys of its ``policy``)."""
    if getattr(observation_space, "spaces", None) is None or "action_mask" not in observation_space.spaces:
        raise ValueError("ppo needs a Dict observation space with an action_mask (SpreadsheetEnv's)")
    if getattr(action_space, "n", None) is None:
        raise ValueError(f"ppo needs a Discrete action space, not {action_space!r}")
    return PPOAgent(config, observation_space, int(action_space.n), torch.device(device), precision, seed,
                    action_space)
