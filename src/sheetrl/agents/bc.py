"""Behaviour cloning and DAgger: learn the expert's macro choices by supervised learning.

The whole algorithm, top to bottom:

1. **Demonstrations.** At the first iteration the dataset is filled with expert trajectories: the ``.npz`` file
   that ``sheetrl demos`` writes (``demonstrations``; format in :mod:`sheetrl.env.demonstrations`: ``obs/<key>``
   arrays, ``obs/action_mask`` and ``actions`` are what BC reads), or, without a file, ``demo_episodes`` expert
   episodes per level on the first training tasks of the run's level (``curriculum``: every level).
2. **Acting.** Every iteration the learner acts ``num_steps`` steps in each of the pool's environments with its
   most probable legal action; the runner logs its success, so the training curve is the learner's own.
3. **DAgger** (Ross, Gordon & Bagnell 2011, arXiv:1011.0686; ``dagger=True``). In those steps the any-state
   expert (:func:`sheetrl.env.planner.expert_action`) labels every state the learner is in, and the labelled
   states join the dataset: the learner is taught what to do in the states *its own* mistakes lead to, which
   plain behaviour cloning never shows it. With probability ``beta`` (``dagger_beta``, times ``dagger_beta_decay``
   after every iteration) the expert's action is the one executed instead, so early rollouts stay near the
   expert's states (the logged training success then counts those steps too; the held-out evaluation does not).
   A state no macro can repair (see the planner) gets no label.
4. **Update.** ``updates_per_iteration`` minibatches of ``batch_size`` samples drawn uniformly from the dataset;
   the loss is the *masked* cross-entropy (:func:`masked_cross_entropy`): the illegal actions' logits are set to
   the most negative float before the softmax, so the policy is only asked to rank legal actions, exactly as it
   acts. Optimizer steps go through :class:`~sheetrl.models.precision.Precision` (autocast, accumulation,
   gradient-norm clipping). With ``word_dropout`` each operation word of the ``flat`` vector's instruction bag is
   hidden in a training sample with that probability (dropout on the input, as word dropout in text models), so the
   policy also learns to act from the sheet and the instruction's references when a phrasing it never saw lacks
   the words it relies on.

5. **Value.** The value head learns the expert's discounted return from each demonstrated state (Monte-Carlo
   returns of the demonstrations, ``gamma``; mean squared error weighted by ``value_coef``), as AlphaGo's value
   network learnt from game outcomes: search on top of the policy (``sheetrl eval RUN --search-sims N``) and PPO
   fine-tuning (``sheetrl train --algo ppo --init-from RUN``) start from a value that ranks states by how much is
   left to do. DAgger's states have no return (the expert's label is an action, not an outcome), nor have the
   states of a demonstrated episode cut before its end (its sum of rewards stops early); they do not enter the
   value loss.

The network is any of the policy kinds (``policy``: ``mlp``, ``encoder``, ``transformer``; see
:func:`sheetrl.agents.base.policy_network`). Determinism: minibatch draws and action sampling use the agent's
own ``torch.Generator`` s, the DAgger mixture its own NumPy generator; the dataset, the weights, the optimizer and
every generator are in :meth:`BCAgent.state_dict`, so a resumed run continues bit-exactly on CPU.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import torch
import torch.nn.functional as F

from sheetrl.agents.base import (
    POLICY_KINDS,
    Agent,
    RepeatMemory,
    check_encoder_parts,
    check_micro_batches,
    check_same_network,
    check_signs,
    seeded_policy_network,
)
from sheetrl.env.observation import FLAT_LAYOUT
from sheetrl.env.vector import SheetVectorEnv
from sheetrl.models.encoders import DEFAULT_ENCODER_PARTS
from sheetrl.models.policy import factoring, to_tensors
from sheetrl.models.precision import Precision, adam

name = "bc"


# ------------------------------------------------------------------------------------------------------- config
@dataclass
class Config:
    """Behaviour-cloning and DAgger hyper-parameters (defaults: the ``seed`` preset's network)."""

    num_envs: int = 8  # environments the learner acts in (its success is what the runner logs)
    num_steps: int = 32  # steps per environment per iteration
    policy: str = "mlp"  # policy network: mlp (flat vector), encoder (GNN/CNN/LSTM), transformer (SpreadsheetGPT)
    hidden_sizes: tuple[int, ...] = (512, 512)  # mlp: widths of the policy and value trunks
    shared_trunk: bool = False  # mlp: one trunk for both heads
    factored_actions: str = "off"  # mlp: off, parts (a macro's logit also sums its name's parts' logits: max, above)
    # or instructed (parts, the computations scored from the instruction's words): models.policy.FACTORINGS
    transformer_preset: str = "quick"  # transformer: SpreadsheetGPT's size preset (quick or seed)
    encoder_parts: tuple[str, ...] = DEFAULT_ENCODER_PARTS  # encoder: its parts (models.encoders.ENCODER_PARTS)
    learning_rate: float = 1e-3  # Adam step size
    batch_size: int = 256  # samples per minibatch
    updates_per_iteration: int = 32  # minibatch updates per iteration
    max_grad_norm: float = 1.0  # global gradient-norm clip
    demonstrations: str | None = None  # .npz from `sheetrl demos` (None: collect demo_episodes expert episodes)
    demo_episodes: int = 300  # expert episodes per level when no file is given
    dagger: bool = False  # label the learner's states with the any-state expert and add them to the dataset
    dagger_beta: float = 0.5  # DAgger: probability of executing the expert's action in the first iteration
    dagger_beta_decay: float = 0.8  # DAgger: beta is multiplied by this after every iteration
    dagger_avoid_repeats: bool = False  # DAgger: the learner never takes an action twice from one state of an
                                        # episode (its next choice instead), as ``sheetrl eval --avoid-repeats``
    max_dataset: int = 100_000  # most samples kept (the oldest DAgger samples go first; demonstrations stay)
    value_coef: float = 0.5  # weight of the value head's loss (the demonstrations' discounted returns)
    gamma: float = 0.99  # discount of those returns (search on top of the policy uses the same)
    word_dropout: float = 0.3  # chance that each instruction word of ``flat`` is hidden in a training sample

    def __post_init__(self) -> None:
        self.hidden_sizes = tuple(int(h) for h in self.hidden_sizes)
        self.encoder_parts = check_encoder_parts("bc", self.encoder_parts, self.policy)
        for key in ("num_envs", "num_steps", "batch_size", "updates_per_iteration", "demo_episodes", "max_dataset"):
            if getattr(self, key) < 1:
                raise ValueError(f"bc: {key} must be at least 1, not {getattr(self, key)}")
        if self.policy not in POLICY_KINDS:
            raise ValueError(f"bc: policy must be one of {', '.join(POLICY_KINDS)}, not {self.policy!r}")
        if not math.isfinite(self.learning_rate) or self.learning_rate <= 0:  # (NaN passes a plain <= 0 test)
            raise ValueError(f"bc: learning_rate must be a finite positive number, not {self.learning_rate}")
        if not self.value_coef >= 0 or not 0.0 <= self.gamma <= 1.0:  # (NaN fails every comparison)
            raise ValueError(f"bc: value_coef must be >= 0 and gamma in [0, 1], not {self.value_coef}, {self.gamma}")
        check_signs("bc", self, positive=("max_grad_norm",))
        if not 0.0 <= self.dagger_beta <= 1.0 or not 0.0 <= self.dagger_beta_decay <= 1.0:
            raise ValueError("bc: dagger_beta and dagger_beta_decay must lie in [0, 1]")
        if self.dagger_avoid_repeats and not self.dagger:
            raise ValueError("bc: dagger_avoid_repeats acts in DAgger's rollouts; add --dagger")
        self.factored_actions = factoring(self.factored_actions)
        if self.factored_actions != "off" and self.policy != "mlp":
            raise ValueError(f"bc: factored_actions needs policy mlp, not {self.policy!r}")
        if not 0.0 <= self.word_dropout < 1.0:
            raise ValueError(f"bc: word_dropout must lie in [0, 1), not {self.word_dropout}")
        if not self.hidden_sizes or min(self.hidden_sizes) < 1:
            raise ValueError(f"bc: hidden_sizes must be positive widths, not {self.hidden_sizes}")
        if self.demonstrations is not None and not str(self.demonstrations).endswith(".npz"):
            raise ValueError(f"bc: demonstrations must be a .npz file from `sheetrl demos`, not "
                             f"{self.demonstrations!r}")


PRESETS: dict[str, Config] = {
    "quick": Config(num_envs=4, num_steps=32, hidden_sizes=(256, 256), batch_size=128, updates_per_iteration=16),
    "seed": Config(),
}


# --------------------------------------------------------------------------------------------- the pure maths
def masked_cross_entropy(logits: torch.Tensor, masks: torch.Tensor, actions: torch.Tensor) -> torch.Tensor:
    """Mean of ``-log softmax(logits restricted to the legal actions)[action]`` over the batch.

    Illegal logits become the most negative finite float (probability exactly 0, and no ``inf - inf``); the
    expert's action must be legal. Computed in float32 whatever the autocast dtype.
    """
    logits = logits.float().masked_fill(~masks.bool(), torch.finfo(torch.float32).min)
    return F.cross_entropy(logits, actions.long())


def discounted_returns(rewards: np.ndarray, episode_starts: np.ndarray, gamma: float,
                       complete: np.ndarray | None = None) -> np.ndarray:
    """Each step's discounted return to the end of its episode: ``G_t = r_t + gamma * G_{t+1}`` within an
    episode (``episode_starts``: index of each episode's first step, ascending), float32. ``complete`` (one bool
    per episode) marks the episodes that ran to their end; the others were cut (truncated) before it, so what
    their states would have earned is unknown: NaN."""
    rewards = np.asarray(rewards, dtype=np.float64)
    returns = np.zeros(len(rewards), dtype=np.float64)
    ends = [*list(np.asarray(episode_starts, dtype=np.int64)[1:]), len(rewards)]
    for index, (start, end) in enumerate(zip(np.asarray(episode_starts, dtype=np.int64), ends, strict=True)):
        if complete is not None and not complete[index]:
            returns[int(start):int(end)] = np.nan
            continue
        running = 0.0
        for t in range(int(end) - 1, int(start) - 1, -1):
            running = rewards[t] + gamma * running
            returns[t] = running
    return returns.astype(np.float32)


# ------------------------------------------------------------------------------------------------------ dataset
class Dataset:
    """Observation arrays (only the keys the policy reads), masks, expert actions and the returns that followed
    (NaN where none is known: DAgger's states), appended in chunks.

    The first ``protected`` samples are the demonstrations: when ``capacity`` is exceeded the oldest DAgger
    samples are dropped, never the demonstrations."""

    def __init__(self, keys: tuple[str, ...], capacity: int) -> None:
        self.keys = keys
        self.capacity = capacity
        self.arrays: dict[str, np.ndarray] = {}
        self.protected = 0

    def __len__(self) -> int:
        return 0 if not self.arrays else len(self.arrays["actions"])

    def add(self, observations: dict[str, np.ndarray], actions: np.ndarray, demonstrations: bool = False,
            returns: np.ndarray | None = None) -> None:
        chunk = {key: np.asarray(observations[key]) for key in (*self.keys, "action_mask")}
        chunk["actions"] = np.asarray(actions, dtype=np.int64)
        chunk["returns"] = (np.full(len(chunk["actions"]), np.nan, dtype=np.float32) if returns is None
                            else np.asarray(returns, dtype=np.float32))
        if not self.arrays:
            self.arrays = {key: value.copy() for key, value in chunk.items()}
        else:
            self.arrays = {key: np.concatenate([self.arrays[key], chunk[key].astype(self.arrays[key].dtype)])
                           for key in self.arrays}
        if demonstrations:
            self.protected = len(self)
        excess = len(self) - self.capacity
        if excess > 0:
            if len(self) - self.protected < excess:
                raise ValueError(f"bc: {self.protected} demonstration samples exceed max_dataset={self.capacity}")
            keep = np.r_[0:self.protected, self.protected + excess:len(self)]
            self.arrays = {key: value[keep] for key, value in self.arrays.items()}

    def state_dict(self) -> dict[str, Any]:
        return {"arrays": self.arrays, "protected": self.protected}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.arrays = {key: np.asarray(value) for key, value in state["arrays"].items()}
        if self.arrays and "returns" not in self.arrays:  # a checkpoint from before the value head learnt
            self.arrays["returns"] = np.full(len(self.arrays["actions"]), np.nan, dtype=np.float32)
        self.protected = int(state["protected"])
        if self.arrays:  # a damaged dataset is refused, not trained on (an action out of range was an IndexError)
            rows = {key: value.shape[:1] for key, value in self.arrays.items()}
            if len(set(rows.values())) != 1 or () in rows.values():
                lengths = ", ".join(f"{key} {row[0] if row else 'none'}" for key, row in rows.items())
                raise ValueError(f"bc: the saved dataset's arrays have different lengths ({lengths})")
            actions, width = self.arrays["actions"], self.arrays["action_mask"].shape[-1]
            if actions.size and (actions.min() < 0 or actions.max() >= width):
                raise ValueError(f"bc: the saved dataset holds actions outside 0..{width - 1}")
        if not 0 <= self.protected <= len(self):
            raise ValueError(f"bc: the saved dataset protects {self.protected} of its {len(self)} samples")


def demonstration_arrays(path: str | Path, keys: tuple[str, ...], observation_space: Any, gamma: float = 0.99
                         ) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """The observations (``keys`` and ``action_mask``), actions and discounted returns of a ``sheetrl demos``
    file, checked against the environment's observation space (a file written with another window size or version
    is refused)."""
    from sheetrl.env.demonstrations import load_demonstrations

    path = Path(path)
    if not path.is_file():
        raise ValueError(f"bc: no demonstrations file {path}; write one with `sheetrl demos --level N --out {path}`")
    data = load_demonstrations(path)
    observations = {}
    for key in (*keys, "action_mask"):
        if key not in data["obs"]:
            raise ValueError(f"bc: {path} has no observation {key!r} (it has {', '.join(sorted(data['obs']))})")
        array = data["obs"][key]
        expected = tuple(observation_space[key].shape)
        if tuple(array.shape[1:]) != expected:
            raise ValueError(f"bc: {path}'s {key!r} has shape {tuple(array.shape[1:])}, the environment's "
                             f"{expected}; write the demonstrations with the same environment settings")
        observations[key] = array
    actions = np.asarray(data["actions"])
    if actions.ndim != 1 or not np.issubdtype(actions.dtype, np.integer):
        raise ValueError(f"bc: {path}'s actions must be a list of whole numbers, not {actions.dtype} of shape "
                         f"{actions.shape}")
    if not len(actions):
        raise ValueError(f"bc: {path} holds no steps; write it with `sheetrl demos --episodes N`")
    actions = actions.astype(np.int64)
    rewards, starts = np.asarray(data["rewards"]), np.asarray(data["episode_starts"], dtype=np.int64)
    terminated = np.asarray(data["terminated"], dtype=bool)  # (load_demonstrations checked that every array is there)
    # every per-step array has one entry per action (a shorter one was an IndexError, an internal error)
    for name, array in (*observations.items(), ("rewards", rewards), ("terminated", terminated)):
        rows = np.shape(array)[:1]
        if rows != actions.shape:
            raise ValueError(f"bc: {path} holds {len(actions)} actions but {rows[0] if rows else 'no list of'} {name}")
    masks = observations["action_mask"].astype(bool)
    if ((actions < 0) | (actions >= masks.shape[1])).any():
        raise ValueError(f"bc: {path} holds actions outside 0..{masks.shape[1] - 1}, the environment's actions")
    if not masks[np.arange(len(actions)), actions].all():
        raise ValueError(f"bc: {path} holds actions that were masked out in their state")
    if not len(starts) or starts[0] != 0 or (np.diff(starts) <= 0).any() or starts[-1] >= len(actions):
        raise ValueError(f"bc: {path}'s episode_starts must rise from 0 within its {len(actions)} steps, "
                         f"not {starts[:8].tolist()}")
    # an episode whose last step did not end it (cut by a time limit) has no known return
    complete = terminated[np.r_[starts[1:], len(actions)] - 1]
    returns = discounted_returns(rewards, starts, gamma, complete)
    return observations, actions, returns


def expert_demonstrations(pool: SheetVectorEnv, episodes: int, gamma: float = 0.99
                          ) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Expert trajectories on the first ``episodes`` training tasks of the pool's level (every level for a
    curriculum), in the pool's environment settings: observations, actions and discounted returns."""
    from sheetrl.env.demonstrations import expert_episode
    from sheetrl.env.spreadsheet_env import SpreadsheetEnv
    from sheetrl.env.tasks import LEVELS, split_seed

    config = pool.envs[0].config
    levels = LEVELS if config.level == "curriculum" else (int(config.level),)
    steps: list[dict[str, np.ndarray]] = []
    actions: list[int] = []
    returns: list[np.ndarray] = []
    for level in levels:
        env = SpreadsheetEnv(config=replace(config, level=level))
        for index in range(episodes):
            trajectory = expert_episode(env, level, split_seed("train", index))
            steps += trajectory.observations
            actions += trajectory.actions
            complete = np.array([not trajectory.terminated or trajectory.terminated[-1]])
            returns.append(discounted_returns(np.asarray(trajectory.rewards), np.zeros(1, dtype=np.int64), gamma,
                                              complete))
    return ({key: np.stack([o[key] for o in steps]) for key in steps[0]}, np.asarray(actions, dtype=np.int64),
            np.concatenate(returns))


# ------------------------------------------------------------------------------------------------------- agent
class BCAgent(Agent):
    """Behaviour cloning, optionally with DAgger (see the module docstring)."""

    name: ClassVar[str] = "bc"

    def __init__(self, config: Config, observation_space: Any, action_space: Any, device: torch.device,
                 precision: Precision, seed: int) -> None:
        check_micro_batches("bc", config.batch_size, precision.accumulation_steps)
        self.config = config
        self.device = torch.device(device)
        self.precision = precision
        self.observation_space = observation_space
        self.network, self.keys = seeded_policy_network(config, observation_space, action_space, seed, self.device)
        self.optimizer = adam(self.network.parameters(), self.device, lr=config.learning_rate)
        # The value head's own parameters are clipped apart from the rest, so that the value loss does not shrink
        # the policy's steps: with separate trunks the policy learns exactly as it would without a value.
        named = list(self.network.named_parameters())
        self.clip_groups = ([p for n, p in named if "value_" not in n], [p for n, p in named if "value_" in n])
        self.generator = torch.Generator(device="cpu").manual_seed(seed)
        self.act_generator = torch.Generator(device="cpu").manual_seed(seed + 1)
        self.rng = np.random.default_rng(seed)
        self.dataset = Dataset(self.keys, config.max_dataset)
        # a demonstrations file read by check_inputs, kept for the first iteration
        self._checked_demonstrations: tuple[dict[str, np.ndarray], np.ndarray, np.ndarray] | None = None
        self.repeats = RepeatMemory(config.num_envs)  # dagger_avoid_repeats: what each episode took where
        self.iteration = 0
        self.env_steps = 0

    # -------------------------------------------------------------------------------------------------- acting
    def _logits(self, obs: dict[str, np.ndarray], masks: np.ndarray) -> torch.Tensor:
        tensors = to_tensors(obs, self.keys, self.device)
        tensors["action_mask"] = torch.as_tensor(np.asarray(masks, dtype=bool), device=self.device)
        with self.precision.autocast():
            logits, _ = self.network(tensors)
        return logits.float().masked_fill(~tensors["action_mask"], torch.finfo(torch.float32).min)

    @torch.no_grad()
    def act(self, obs: dict[str, np.ndarray], masks: np.ndarray, deterministic: bool = False) -> np.ndarray:
        self.network.eval()
        logits = self._logits(obs, masks).cpu()
        if deterministic:
            return logits.argmax(-1).numpy()
        probabilities = torch.softmax(logits, -1)
        return torch.multinomial(probabilities, 1, generator=self.act_generator).squeeze(-1).numpy()

    @torch.no_grad()
    def action_probabilities(self, obs: dict[str, np.ndarray], masks: np.ndarray) -> np.ndarray:
        """The policy's probability of every action (0 for illegal ones), (n, N)."""
        self.network.eval()
        return torch.softmax(self._logits(obs, masks), -1).cpu().numpy()

    # ---------------------------------------------------------------------------------------------- training
    def check_inputs(self) -> None:
        """A demonstrations file given to a new run is read and checked now (and kept for its first iteration)."""
        if self.config.demonstrations is not None:
            self._checked_demonstrations = demonstration_arrays(self.config.demonstrations, self.keys,
                                                                self.observation_space, self.config.gamma)

    def _load_demonstrations(self, pool: SheetVectorEnv) -> None:
        if self.config.demonstrations is not None:
            if self._checked_demonstrations is None:  # a resumed run, or an agent built outside Runner.start
                self.check_inputs()
            assert self._checked_demonstrations is not None
            observations, actions, returns = self._checked_demonstrations
            self._checked_demonstrations = None
        else:
            observations, actions, returns = expert_demonstrations(pool, self.config.demo_episodes,
                                                                   self.config.gamma)
        self.dataset.add(observations, actions, demonstrations=True, returns=returns)

    @property
    def beta(self) -> float:
        """DAgger's probability of executing the expert's action in this iteration."""
        return self.config.dagger_beta * self.config.dagger_beta_decay ** self.iteration

    def rollout(self, pool: SheetVectorEnv) -> dict[str, float]:
        """The learner acts ``num_steps`` steps in every environment; with DAgger the expert labels each state
        (the labelled states join the dataset) and its action is executed with probability :attr:`beta`."""
        from sheetrl.env.planner import expert_action

        if pool.num_envs != self.config.num_envs:
            raise ValueError(f"bc: the pool has {pool.num_envs} environments but the config says "
                             f"num_envs={self.config.num_envs}; build the pool with config.num_envs")
        labelled: list[dict[str, np.ndarray]] = []
        labels: list[int] = []
        agreed = 0
        beta = self.beta
        avoid = self.config.dagger_avoid_repeats  # (the config refuses it without dagger)
        indices = list(range(pool.num_envs))
        for _ in range(self.config.num_steps):
            observations = pool.obs
            masks = pool.masks
            if avoid:
                keys = [getattr(env, "unwrapped", env).state_key() for env in pool.envs]
                masks = self.repeats.narrow(indices, keys, masks)
            actions = self.act(observations, masks, deterministic=True)
            if self.config.dagger:
                experts = [expert_action(getattr(env, "unwrapped", env)) for env in pool.envs]
                use_expert = self.rng.random(pool.num_envs) < beta
                for i, label in enumerate(experts):
                    if label is None:
                        continue
                    labelled.append({key: observations[key][i] for key in (*self.keys, "action_mask")})
                    labels.append(label)
                    agreed += int(actions[i] == label)
                    if use_expert[i]:
                        actions[i] = label
            _, _, terminated, truncated, _ = pool.step(actions)
            if avoid:
                self.repeats.record_all(indices, keys, actions)
                for ended in np.flatnonzero(terminated | truncated):
                    self.repeats.forget(int(ended))
        self.env_steps += self.config.num_steps * pool.num_envs
        metrics: dict[str, float] = {}
        if self.config.dagger:
            if labels:
                self.dataset.add({key: np.stack([o[key] for o in labelled]) for key in labelled[0]}, np.asarray(labels))
                metrics["charts/expert_agreement"] = agreed / len(labels)
            metrics["charts/dagger_beta"] = beta
            metrics["charts/dagger_labels"] = float(len(labels))
        return metrics

    def update(self) -> dict[str, float]:
        """``updates_per_iteration`` masked cross-entropy steps on minibatches drawn from the dataset."""
        self.network.train()
        config = self.config
        size = len(self.dataset)
        arrays = self.dataset.arrays
        micro_batches = self.precision.accumulation_steps
        total_loss = total_accuracy = total_value_loss = 0.0
        for _ in range(config.updates_per_iteration):
            indices = torch.randint(size, (config.batch_size,), generator=self.generator).numpy()
            for part in np.array_split(indices, micro_batches):
                batch = to_tensors({key: arrays[key][part] for key in self.keys}, self.keys, self.device)
                if config.word_dropout > 0.0 and "flat" in batch:
                    batch["flat"] = self._drop_words(batch["flat"])
                masks = torch.as_tensor(arrays["action_mask"][part].astype(bool), device=self.device)
                actions = torch.as_tensor(arrays["actions"][part], device=self.device)
                returns = torch.as_tensor(arrays["returns"][part], device=self.device)
                batch["action_mask"] = masks
                with self.precision.autocast():
                    logits, values = self.network(batch)
                loss = masked_cross_entropy(logits, masks, actions)
                known = ~torch.isnan(returns)  # demonstrated states; DAgger's have no return
                value_loss = (F.mse_loss(values.float().reshape(-1)[known], returns[known]) if bool(known.any())
                              else torch.zeros((), device=self.device))
                self.precision.backward(loss + config.value_coef * value_loss)
                total_loss += loss.item() / micro_batches
                total_value_loss += value_loss.item() / micro_batches
                with torch.no_grad():
                    predicted = logits.float().masked_fill(~masks, torch.finfo(torch.float32).min).argmax(-1)
                    total_accuracy += (predicted == actions).float().mean().item() / micro_batches
            self.precision.step(self.optimizer, self.network.parameters(), config.max_grad_norm, self.clip_groups)
        return {"losses/bc_loss": total_loss / config.updates_per_iteration,
                "losses/value_loss": total_value_loss / config.updates_per_iteration,
                "charts/train_accuracy": total_accuracy / config.updates_per_iteration,
                "charts/dataset_size": float(size)}

    def _drop_words(self, flat: torch.Tensor) -> torch.Tensor:
        """``flat`` with each instruction word hidden with probability ``word_dropout`` (a copy)."""
        words = FLAT_LAYOUT["words"]
        hidden = torch.rand((flat.shape[0], words.stop - words.start), generator=self.generator)
        flat = flat.clone()
        flat[:, words] *= (hidden >= self.config.word_dropout).to(flat.device, flat.dtype)
        return flat

    def train_iteration(self, pool: SheetVectorEnv) -> tuple[int, dict[str, float]]:
        """Demonstrations on the first call; then one rollout (with DAgger labels) and the updates."""
        if len(self.dataset) == 0:
            self._load_demonstrations(pool)
        metrics = self.rollout(pool)
        metrics.update(self.update())
        self.iteration += 1
        return self.config.num_steps * pool.num_envs, metrics

    # ----------------------------------------------------------------------------------------------- state
    def state_dict(self) -> dict[str, Any]:
        return {
            "config": asdict(self.config),
            "network": self.network.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "precision": self.precision.state_dict(),
            "generator": self.generator.get_state(),
            "act_generator": self.act_generator.get_state(),
            "rng": self.rng.bit_generator.state,
            "dataset": self.dataset.state_dict(),
            "iteration": self.iteration,
            "env_steps": self.env_steps,
            "repeats": self.repeats.state_dict(),
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        check_same_network(state["config"], self.config, "bc")
        self.network.load_state_dict(state["network"])
        self.optimizer.load_state_dict(state["optimizer"])
        self.precision.load_state_dict(state["precision"])
        self.generator.set_state(state["generator"])
        self.act_generator.set_state(state["act_generator"])
        self.rng.bit_generator.state = state["rng"]
        self.dataset.load_state_dict(state["dataset"])
        self.iteration = int(state["iteration"])
        self.env_steps = int(state["env_steps"])
        self.repeats = RepeatMemory(self.config.num_envs)
        if "repeats" in state:  # (checkpoints from before dagger_avoid_repeats have none: nothing was kept)
            self.repeats.load_state_dict(state["repeats"])


def build(config: Config, observation_space: Any, action_space: Any, device: torch.device | str,
          precision: Precision, seed: int) -> BCAgent:
    """A BC/DAgger agent for a SpreadsheetEnv's spaces."""
    if getattr(action_space, "n", None) is None:
        raise ValueError(f"bc needs a Discrete action space, not {action_space!r}")
    if getattr(observation_space, "spaces", None) is None or "action_mask" not in observation_space.spaces:
        raise ValueError("bc needs a Dict observation space with an action_mask (SpreadsheetEnv's)")
    return BCAgent(config, observation_space, action_space, torch.device(device), precision, seed)

