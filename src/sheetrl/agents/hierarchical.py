"""The multi-agent system: three specialists, each with its own actions, chosen by a meta-controller (options).

The whole algorithm, top to bottom:

1. **Specialists and their actions.** Every macro action belongs to one specialist or to the moves all of them
   share (:data:`SPECIALISTS`, :data:`SHARED`): the *FormulaSpecialist* writes formulas (aggregates, row and
   column arithmetic, lookups, conditional sums) and fills them; the *LayoutSpecialist* formats (number formats,
   bold, italic, alignment) and adds sheets; the *DataSpecialist* writes the instructed values and headers, clears
   cells and builds pivot tables. The shared actions move the cursor, select ranges and say ``done``. Each
   specialist is an actor-critic of ``models/mlp.py`` on the flat observation whose mask is the environment's
   mask restricted to its own and the shared actions.
2. **Options.** The meta-controller (an actor-critic over the three specialists, masked to those with a legal own
   action) picks a specialist; the specialist acts until it *returns control*: after one action of its own (its
   edit, the sub-goal it was called for), after ``option_max_steps`` steps, when the episode ends, or at the end
   of the rollout (the next one starts with a fresh choice).
3. **Joint training** with PPO at both levels (the clipped surrogate, value loss, entropy bonus and masked
   distribution of :mod:`sheetrl.agents.ppo`). A specialist learns on its sub-goal: the environment's rewards
   during its option, with the option's end as the end of its episode (GAE cut there; bootstrapped from its own
   value when the rollout cut the option). The meta-controller learns on the options' returns as a semi-Markov
   decision process: ``delta = R_option + gamma^k * V(next choice) - V(choice)`` with ``R_option`` the discounted
   reward over the option's ``k`` steps (:func:`option_advantages`).

4. **Warm start** (``sheetrl train --algo hierarchical --init-from RUN``, e.g. a behaviour-cloning run): every
   specialist starts as the source run's MLP actor-critic (its policy and value), so each begins by acting as the
   demonstrated policy restricted to its own and the shared actions; with ``kl_coef > 0`` a frozen copy of that
   network is the reference a KL penalty keeps each specialist's masked policy near (as PPO's fine-tuning does).
   With ``meta_trunks_from_source`` the meta-controller's trunks start as that network's too (its head over the
   specialists fresh). Its choice has nothing to start from, so for its first ``meta_imitation_iterations``
   iterations it learns the choice the any-state expert implies instead of its policy gradient, as DAgger does: in
   every state of those rollouts where the expert's next action (:func:`sheetrl.env.planner.expert_action`) belongs
   to a specialist, that specialist is the state's label (a shared move, ``done``, or a label the meta-controller's
   mask rules out gives none). The labelled states accumulate (up to ``meta_imitation_buffer``), and each minibatch
   step adds the cross-entropy of ``meta_imitation_batch`` of them drawn at random, with the meta-controller's own
   step size ``meta_learning_rate``. Those iterations are real rollouts: their steps count, and the specialists
   learn from them as from any other. When imitation ends, the meta-controller goes on by PPO at ``learning_rate``,
   and with ``kl_coef > 0`` a frozen copy of it as imitation left it is its reference, as the source run is the
   specialists'. (Labelling a state that needs moves first with the owner of the expert's first edit after them was
   tried: which edit the expert takes next is often not decided by what the observation shows, and the
   meta-controller trained on those labels solved 0.36 of L5 tasks against 0.86 with the next action's owner alone,
   seed 1, 8,192 steps.)
5. **The navigator** (``navigator``, on by default; points 2 and 3 describe the agent without it). Without it
   the shared moves are taken by whichever
   specialist is running, and the meta-controller's choice decides which policy walks the cursor to the next
   edit, though a move has no owner the expert could label. With it one more actor-critic, the *navigator*
   (started from the ``--init-from`` network like the specialists), chooses in every state between the legal
   shared moves and one event, *edit now*, which carries the probability its policy gives all the legal edits
   together (:meth:`HierarchicalAgent.navigator_events`). Only when it edits is the meta-controller asked which
   specialist edits, and the specialist chooses among its own actions alone: an option is one edit. The three
   choices are the factors of one policy, ``pi(a) = nav(a)`` for a move and ``nav(edit) * meta(s) * spec_s(a)``
   for an edit, and are trained as flat PPO trains one: GAE over the episode with the navigator's value, each
   factor's clipped surrogate with the step's advantage (:meth:`HierarchicalAgent.update_navigated`), each
   network's gradient clipped by its own norm. The navigator's KL anchor (``kl_coef``) is over its whole policy,
   as flat PPO's is, which bounds the drift of its events from above. The meta-controller's imitation (4.) is
   the same. Greedy play (``act(deterministic=True)``) takes each factor's most probable choice in turn, which
   can differ from the single most probable action of the product (measured on L5: no difference in success).

Logs: ``meta/<specialist>`` (the share of options each specialist got), ``meta/option_length`` (without a
navigator) or ``meta/edit_share`` (with one: the share of steps that edited),
``meta/expert_agreement`` (while imitating: the share of labelled choices that were the expert's),
``losses/meta_*`` and ``losses/specialist_*``. A rollout is consumed within its iteration and no option outlives
it, so the state dict (weights, both references, the imitation dataset, optimizer, RNG, counters) resumes
exactly.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any, ClassVar

import numpy as np
import torch
from torch import nn

from sheetrl.agents.alphazero import PRIOR_FLOOR
from sheetrl.agents.base import Agent, check_signs, frozen_copy, load_generator_state, masked_kl_divergence
from sheetrl.agents.ppo import (
    MaskedCategorical,
    clipped_policy_loss,
    compute_gae,
    normalize,
    value_loss,
)
from sheetrl.env.actions import MACROS
from sheetrl.env.planner import expert_action
from sheetrl.env.vector import SheetVectorEnv
from sheetrl.models.mlp import ActorCritic
from sheetrl.models.policy import factoring
from sheetrl.models.precision import Precision, adam

name = "hierarchical"

SHARED = ("move_up", "move_down", "move_left", "move_right", "jump_up", "jump_down", "jump_left", "jump_right",
          "next_target", "anchor_selection", "clear_selection", "select_reference_1", "select_reference_2",
          "select_reference_3", "done")
SPECIALISTS: dict[str, tuple[str, ...]] = {
    "formula": ("sum_above", "average_above", "min_above", "max_above", "count_above", "sum_left", "average_left",
                "min_left", "max_left", "count_left", "sum_selection", "average_selection", "min_selection",
                "max_selection", "count_selection", "left_product", "left_sum", "left_difference", "left_ratio",
                "left_growth", "above_sum", "above_difference", "above_ratio", "above_product",
                "share_of_column_total", "running_total", "round_left", "if_threshold_left", "left_times_rate_cell",
                "left_grown_by_rate_cell", "vlookup_left", "sumif_left", "countif_left", "averageif_left",
                "fill_down", "fill_right", "fill_selection", "above_times_second_rate_cell", "above_ratio_to_top",
                "left_ratio_to_first", "left_reverse_difference"),
    "layout": ("format_currency", "format_percent", "format_number", "format_integer", "format_date", "bold",
               "italic", "align_right", "new_sheet_instructed"),
    "data": ("write_instructed_value", "write_instructed_header", "clear_cells", "pivot_instructed"),
}
SPECIALIST_NAMES = tuple(SPECIALISTS)
# Config fields added after checkpoints were written, with the value that reproduces those checkpoints' behaviour
# (read by the runner when it restores an agent): before the navigator, the specialists walked the shared moves.
FIELDS_ADDED_LATER: dict[str, Any] = {"navigator": False}
# the runs --init-from takes: their MLP network is an actor-critic whose value is a discounted return (alphazero's
# is by default a ranked +1/-1 outcome, and the other agents hold no actor-critic)
WARM_START_SOURCES = ("bc", "ppo")


def action_groups() -> tuple[np.ndarray, np.ndarray]:
    """(own (S, N) bool: each specialist's own actions, allowed (S, N): its own plus the shared ones); raises when a
    macro belongs to no group or to two, so a new macro cannot silently go unused."""
    names = [macro.name for macro in MACROS]
    groups = [set(SHARED), *(set(actions) for actions in SPECIALISTS.values())]
    for macro in names:
        owners = sum(macro in group for group in groups)
        if owners != 1:
            raise ValueError(f"macro {macro!r} belongs to {owners} action groups; give it exactly one")
    unknown = set().union(*groups) - set(names)
    if unknown:
        raise ValueError(f"the action groups name unknown macros: {sorted(unknown)}")
    own = np.array([[macro in SPECIALISTS[s] for macro in names] for s in SPECIALIST_NAMES])
    shared = np.array([macro in SHARED for macro in names])
    return own, own | shared


@dataclass
class Config:
    """Hyper-parameters; the defaults are the ``seed`` preset."""

    num_envs: int = 8  # environments in the pool
    num_steps: int = 256  # steps per environment per rollout (no option outlives a rollout)
    option_max_steps: int = 8  # a specialist returns control after this many steps without its own action
    learning_rate: float = 3e-4  # Adam step size (the specialists; the meta-controller's too, but while it imitates)
    meta_learning_rate: float | None = None  # the meta-controller's step size while it imitates (None: learning_rate)
    gamma: float = 0.99  # discount (per environment step, also inside options)
    gae_lambda: float = 0.95  # GAE lambda at both levels
    num_minibatches: int = 4  # minibatches per epoch (of the steps, and of the options)
    update_epochs: int = 10  # passes over each rollout
    clip_coef: float = 0.2  # PPO's surrogate clipping
    entropy_coef: float = 0.01  # specialists' entropy bonus
    meta_entropy_coef: float = 0.01  # the meta-controller's entropy bonus
    value_coef: float = 0.5  # weight of the value losses
    value_clip_coef: float = 10.0  # how far a value may move from its rollout estimate
    max_grad_norm: float = 0.5  # gradient-norm clip: of all networks together, or each its own with a navigator
    hidden_sizes: tuple[int, ...] = (512, 512)  # each specialist's trunks
    meta_hidden_sizes: tuple[int, ...] = (128, 128)  # the meta-controller's trunks
    kl_coef: float = 0.0  # weight of KL(specialist || the --init-from run's policy) and, after imitation,
    # KL(meta-controller || itself when imitation ended)
    meta_trunks_from_source: bool = False  # --init-from: the meta-controller's trunks start as the source's too
    meta_imitation_iterations: int = 0  # first iterations in which the meta-controller learns the expert's choice
    meta_imitation_batch: int = 256  # labelled states per minibatch step while imitating
    meta_imitation_buffer: int = 16_384  # labelled states kept (the oldest are dropped)
    navigator: bool = True  # one navigator policy takes the shared moves and decides when to edit (docstring, 5.)

    def __post_init__(self) -> None:
        self.hidden_sizes = tuple(int(h) for h in self.hidden_sizes)
        self.meta_hidden_sizes = tuple(int(h) for h in self.meta_hidden_sizes)
        for key in ("num_envs", "num_steps", "option_max_steps", "num_minibatches", "update_epochs",
                    "meta_imitation_batch", "meta_imitation_buffer"):
            if getattr(self, key) < 1:
                raise ValueError(f"hierarchical: {key} must be at least 1, not {getattr(self, key)}")
        if self.meta_imitation_iterations < 0:
            raise ValueError(f"hierarchical: meta_imitation_iterations must be at least 0, not "
                             f"{self.meta_imitation_iterations}")
        check_signs("hierarchical", self, non_negative=("kl_coef",), finite=True)
        for key in ("learning_rate", "meta_learning_rate"):  # an infinite step size makes every weight NaN
            rate = getattr(self, key)
            if rate is None and key == "meta_learning_rate":
                continue  # the specialists' learning_rate
            if not (isinstance(rate, (int, float)) and math.isfinite(rate) and rate > 0):
                raise ValueError(f"hierarchical: {key} must be a finite number > 0, not {rate}")
        if not self.clip_coef > 0:  # (NaN fails every comparison)
            raise ValueError("hierarchical: clip_coef must be positive")
        # a negative value clip pins each clipped value below its rollout estimate
        check_signs("hierarchical", self, positive=("max_grad_norm", "value_clip_coef"),
                    non_negative=("value_coef", "entropy_coef", "meta_entropy_coef"))
        if not 0.0 <= self.gamma <= 1.0 or not 0.0 <= self.gae_lambda <= 1.0:
            raise ValueError("hierarchical: gamma and gae_lambda must lie in [0, 1]")
        if (self.num_envs * self.num_steps) < self.num_minibatches:
            raise ValueError("hierarchical: the rollout is smaller than num_minibatches")
        if not self.hidden_sizes or min(self.hidden_sizes + self.meta_hidden_sizes) < 1:
            raise ValueError("hierarchical: hidden sizes must be positive widths")


PRESETS: dict[str, Config] = {
    # PPO's quick settings for each specialist (8 envs x 64 steps, 2 minibatches, 128 x 2, lr 5e-4).
    "quick": Config(num_envs=8, num_steps=64, num_minibatches=2, learning_rate=5e-4, hidden_sizes=(128, 128),
                    meta_hidden_sizes=(64, 64)),
    "seed": Config(),
}


def option_advantages(rewards: np.ndarray, durations: np.ndarray, values: np.ndarray, ended: np.ndarray,
                      last_value: float, gamma: float, lam: float) -> tuple[np.ndarray, np.ndarray]:
    """GAE over one environment's sequence of options (a semi-Markov decision process).

    :param rewards: each option's discounted reward ``sum_i gamma^i r_i`` over its steps.
    :param durations: each option's length ``k`` in environment steps.
    :param values: the meta-controller's value where each option was chosen.
    :param ended: the episode ended with the option (nothing to bootstrap).
    :param last_value: the value where the next option will be chosen (after the last one, if it did not end).
    :returns: (advantages, returns).
    """
    advantages = np.zeros(len(rewards))
    next_advantage, next_value = 0.0, last_value
    for j in reversed(range(len(rewards))):
        discount = gamma ** durations[j] * (0.0 if ended[j] else 1.0)
        delta = rewards[j] + discount * next_value - values[j]
        next_advantage = delta + discount * lam * next_advantage
        advantages[j] = next_advantage
        next_value = values[j]
    return advantages, advantages + values


class HierarchicalAgent(Agent):
    """Meta-controller and three specialists, trained jointly (see the module docstring)."""

    name: ClassVar[str] = "hierarchical"

    def __init__(self, config: Config, observation_size: int, num_actions: int, device: torch.device,
                 precision: Precision, seed: int) -> None:
        if precision.accumulation_steps != 1:
            raise ValueError("hierarchical updates every minibatch at once; use accumulation_steps=1")
        self.config = config
        self.device = torch.device(device)
        self.precision = precision
        own, allowed = action_groups()
        if own.shape[1] != num_actions:
            raise ValueError(f"hierarchical: the action groups cover {own.shape[1]} macros, the space has "
                             f"{num_actions}")
        self.own = torch.as_tensor(own, device=self.device)
        self.allowed = torch.as_tensor(allowed, device=self.device)
        # the specialist each macro belongs to (-1: a shared move), for the expert's labels
        self.owner = np.where(own.any(0), own.argmax(0), -1)
        self.edit_actions = self.own.any(0)  # (N,) the specialists' actions; the rest are shared moves
        self.reference: nn.Module | None = None  # the policy of the run the specialists started from (kl_coef)
        self.meta_dataset: dict[str, torch.Tensor] = {}  # labelled states while imitating: flat, mask, label
        self.meta_reference: nn.Module | None = None  # the meta-controller as imitation left it (kl_coef)
        self.iteration = 0
        self.env_steps = 0
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            self.networks = nn.ModuleDict({
                "meta": ActorCritic(observation_size, len(SPECIALIST_NAMES), config.meta_hidden_sizes, False),
                **{s: ActorCritic(observation_size, num_actions, config.hidden_sizes, False)
                   for s in SPECIALIST_NAMES},
                **({"navigator": ActorCritic(observation_size, num_actions, config.hidden_sizes, False)}
                   if config.navigator else {}),
            }).to(self.device)
        # the meta-controller's group first: the parameters keep the order of networks.parameters()
        groups: list[dict[str, Any]] = [
            {"params": list(self.networks["meta"].parameters()), "lr": self.meta_rate()},
            {"params": [p for key, network in self.networks.items() if key != "meta" for p in network.parameters()]}]
        self.optimizer = adam(groups, self.device, lr=config.learning_rate, eps=1e-5)
        self.generator = torch.Generator(device=self.device).manual_seed(seed)
        self.act_generator = torch.Generator(device=self.device).manual_seed(seed + 1)

    # -------------------------------------------------------------------------------------------------- acting
    def meta_mask(self, masks: torch.Tensor) -> torch.Tensor:
        """(B, S): specialists with at least one legal action of their own; all of them where none has one."""
        available = (masks[:, None, :] & self.own[None]).any(-1)
        return torch.where(available.any(-1, keepdim=True), available, torch.ones_like(available))

    def specialist_outputs(self, flat: torch.Tensor, chosen: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(logits (B, N), values (B,)) of the specialist chosen for each row."""
        outputs = [self.networks[s](flat) for s in SPECIALIST_NAMES]
        logits = torch.stack([o[0] for o in outputs])  # (S, B, N)
        values = torch.stack([o[1] for o in outputs])  # (S, B)
        rows = torch.arange(flat.shape[0], device=flat.device)
        return logits[chosen, rows], values[chosen, rows]

    @torch.no_grad()
    def choose(self, flat: torch.Tensor, masks: torch.Tensor, generator: torch.Generator | None,
               deterministic: bool = False) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(specialist (B,), meta log-prob (B,), meta value (B,))."""
        with self.precision.autocast():
            logits, values = self.networks["meta"](flat)
        distribution = MaskedCategorical(logits, self.meta_mask(masks))
        chosen = distribution.mode() if deterministic else distribution.sample(generator)
        return chosen, distribution.log_prob(chosen), values.float()

    def navigator_events(self, logits: torch.Tensor, legal: torch.Tensor) -> MaskedCategorical:
        """The navigator's choice (module docstring, 5.) as a distribution over ``N + 1`` events: each legal
        shared move (index = its macro) and *edit now* (index ``N``), which holds the probability its policy gives
        all the legal actions of the specialists together."""
        full = MaskedCategorical(logits, legal)
        editable = legal & self.edit_actions
        floor = torch.finfo(full.log_probs_all.dtype).min  # not -inf: a row with no edit keeps finite gradients
        edit = torch.logsumexp(torch.where(editable, full.log_probs_all, floor), dim=-1, keepdim=True)
        return MaskedCategorical(torch.cat([full.log_probs_all, edit], dim=-1),
                                 torch.cat([legal & ~self.edit_actions, editable.any(-1, keepdim=True)], dim=-1))

    def navigator_choice(self, flat: torch.Tensor, legal: torch.Tensor) -> MaskedCategorical:
        """The navigator's events (:meth:`navigator_events`) in the states ``flat`` under the masks ``legal``."""
        with self.precision.autocast():
            logits, _ = self.networks["navigator"](flat)
        return self.navigator_events(logits, legal)

    def specialist_masks(self, legal: torch.Tensor, chosen: torch.Tensor) -> torch.Tensor:
        """(B, N): what the chosen specialist may do: its own and the shared actions, or with a navigator (which
        takes the shared moves) its own only."""
        return legal & (self.own if self.config.navigator else self.allowed)[chosen]

    @torch.no_grad()
    def act(self, obs: dict[str, np.ndarray], masks: np.ndarray, deterministic: bool = False) -> np.ndarray:
        """One step: the meta-controller's choice for this state, then that specialist's action (an evaluation
        plays every step as a fresh option); with a navigator, its move unless it chooses to edit."""
        flat = torch.as_tensor(np.asarray(obs["flat"], dtype=np.float32), device=self.device)
        legal = torch.as_tensor(np.asarray(masks, dtype=bool), device=self.device)
        events = None
        if self.config.navigator:
            events = self.navigator_choice(flat, legal)
            event = events.mode() if deterministic else events.sample(self.act_generator)
        chosen, _, _ = self.choose(flat, legal, self.act_generator, deterministic)
        with self.precision.autocast():
            logits, _ = self.specialist_outputs(flat, chosen)
        distribution = MaskedCategorical(logits, self.specialist_masks(legal, chosen))
        actions = distribution.mode() if deterministic else distribution.sample(self.act_generator)
        if events is not None:
            actions = torch.where(event == legal.shape[1], actions, event)
        return actions.cpu().numpy()

    @torch.no_grad()
    def joint_policy(self, flat: torch.Tensor, legal: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """((B, N) probability of each action in one step as :meth:`act` samples it, the meta-controller's choice
        summed out; (B,) a state's value of the discounted return: the navigator's, which its GAE trains, or
        without a navigator the meta-controller's, trained over whole options; a specialist's value stops where
        its option ends). Each network runs once."""
        with self.precision.autocast():
            meta_logits, value = self.networks["meta"](flat)
        meta = MaskedCategorical(meta_logits, self.meta_mask(legal)).log_probs_all.exp()  # (B, S)
        probabilities = torch.zeros(legal.shape, device=self.device)
        for index, name in enumerate(SPECIALIST_NAMES):
            chosen = torch.full((flat.shape[0],), index, device=self.device, dtype=torch.long)
            with self.precision.autocast():
                logits, _ = self.networks[name](flat)
            allowed = self.specialist_masks(legal, chosen)
            own = MaskedCategorical(logits, allowed).log_probs_all.exp()
            probabilities += meta[:, index:index + 1] * torch.where(allowed, own, 0.0)
        if self.config.navigator:
            with self.precision.autocast():
                navigator_logits, value = self.networks["navigator"](flat)
            events = self.navigator_events(navigator_logits, legal).log_probs_all.exp()
            shared = legal & ~self.edit_actions
            probabilities = torch.where(shared, events[:, :-1], events[:, -1:] * probabilities)
        return probabilities, value.float()

    @torch.no_grad()
    def action_probabilities(self, obs: dict[str, np.ndarray], masks: np.ndarray) -> np.ndarray:
        """(B, N): the probability of each action in one step as :meth:`act` samples it, the meta-controller's
        choice summed out (``sheetrl demo --explain``)."""
        flat = torch.as_tensor(np.asarray(obs["flat"], dtype=np.float32), device=self.device)
        legal = torch.as_tensor(np.asarray(masks, dtype=bool), device=self.device)
        return self.joint_policy(flat, legal)[0].cpu().numpy()

    @torch.no_grad()
    def search_evaluation(self, observation: dict[str, np.ndarray]) -> tuple[np.ndarray, float]:
        """One state's prior and value for tree search on top of the hierarchy
        (:func:`sheetrl.agents.alphazero.search_policy`): the log of each action's probability in
        :meth:`joint_policy`, floored at ``PRIOR_FLOOR`` so that every legal action keeps a finite logit, and
        that method's value."""
        flat = torch.as_tensor(np.asarray(observation["flat"], dtype=np.float32)[None], device=self.device)
        legal = torch.as_tensor(np.asarray(observation["action_mask"], dtype=bool)[None], device=self.device)
        probabilities, value = self.joint_policy(flat, legal)
        return np.log(np.maximum(probabilities[0].cpu().numpy(), PRIOR_FLOOR)), float(value[0])

    @torch.no_grad()
    def explain_choice(self, obs: dict[str, np.ndarray], mask: np.ndarray) -> str:
        """One line for ``sheetrl demo --explain``: the meta-controller's probability for each specialist in this
        state (the one :meth:`act` picks greedily first) and, with a navigator, its probability of editing now."""
        flat = torch.as_tensor(np.asarray(obs["flat"], dtype=np.float32)[None], device=self.device)
        legal = torch.as_tensor(np.asarray(mask, dtype=bool)[None], device=self.device)
        with self.precision.autocast():
            logits, _ = self.networks["meta"](flat)
        meta = MaskedCategorical(logits, self.meta_mask(legal))
        shares = meta.log_probs_all.exp()[0]
        order = sorted(range(len(SPECIALIST_NAMES)), key=lambda k: -float(shares[k]))
        line = "specialist: " + ", ".join(f"{SPECIALIST_NAMES[k]} {float(shares[k]):.2f}" for k in order)
        if self.config.navigator:
            events = self.navigator_choice(flat, legal)
            edit = events.log_probs_all.exp()[0, -1]
            if not bool(events.masks[0, -1]):  # no legal edit: nobody is asked
                return f"navigator: edit now {float(edit):.2f} (no edit is legal: it moves)"
            plays = "edits" if int(events.mode()[0]) == legal.shape[1] else "moves"
            line = f"navigator: edit now {float(edit):.2f} (greedy: it {plays}); " + line
        return line

    def imitating(self) -> bool:
        """Whether this iteration's meta-controller learns the expert's choices (``meta_imitation_iterations``)."""
        return self.iteration < self.config.meta_imitation_iterations

    def imitating_in(self, pool: SheetVectorEnv) -> bool:
        """:meth:`imitating`, for a rollout in ``pool``: the expert is asked about each environment, so an imitating
        rollout needs the environments in this process."""
        imitating = self.imitating()
        if imitating and pool.mode != "sync":
            raise ValueError("hierarchical: meta_imitation_iterations asks the expert about each environment, so the "
                             "pool must run its environments in this process (mode 'sync')")
        return imitating

    def meta_rate(self) -> float:
        """The meta-controller's step size in this iteration: ``meta_learning_rate`` while it imitates."""
        imitation_rate = self.config.meta_learning_rate
        return imitation_rate if self.imitating() and imitation_rate is not None else self.config.learning_rate

    def expert_choice(self, env: Any) -> int:
        """The specialist whose action the any-state expert takes next in ``env`` (-1: a shared move, ``done``,
        or a state no macro can repair)."""
        action = expert_action(env)
        return -1 if action is None else int(self.owner[action])

    def label_states(self, pool: SheetVectorEnv, flat: torch.Tensor, meta_masks: torch.Tensor,
                     labelled: dict[str, list[torch.Tensor]]) -> list[int]:
        """The expert's choice of specialist in each environment's current state (-1: none, or one the
        meta-controller's mask rules out), each label also added with its state to ``labelled``."""
        labels = [-1] * pool.num_envs
        for i in range(pool.num_envs):
            label = self.expert_choice(getattr(pool.envs[i], "unwrapped", pool.envs[i]))
            if label >= 0 and bool(meta_masks[i, label]):
                labels[i] = label
                labelled["flat"].append(flat[i])
                labelled["mask"].append(meta_masks[i])
                labelled["label"].append(torch.tensor(label, device=self.device))
        return labels

    # ------------------------------------------------------------------------------------------------ rollout
    @torch.no_grad()
    def collect(self, pool: SheetVectorEnv
                ) -> tuple[dict[str, torch.Tensor], dict[str, torch.Tensor], dict[str, float]]:
        """``num_steps`` steps in every environment; returns (step batch, option batch, usage metrics)."""
        config, n, steps = self.config, pool.num_envs, self.config.num_steps
        step_records: dict[str, list[torch.Tensor]] = {k: [] for k in (
            "flat", "mask", "specialist", "action", "log_prob", "value", "reward", "option_end")}
        options: list[list[dict[str, Any]]] = [[] for _ in range(n)]  # per environment, in order
        current: list[dict[str, Any] | None] = [None] * n
        imitating = self.imitating_in(pool)
        labelled: dict[str, list[torch.Tensor]] = {"flat": [], "mask": [], "label": []}
        for _ in range(steps):
            flat = torch.as_tensor(pool.obs["flat"], dtype=torch.float32, device=self.device)
            legal = torch.as_tensor(pool.masks, device=self.device)
            labels = self.label_states(pool, flat, self.meta_mask(legal), labelled) if imitating else [-1] * n
            starting = [i for i in range(n) if current[i] is None]
            if starting:
                chosen, log_probs, values = self.choose(flat[starting], legal[starting], self.generator)
                for row, i in enumerate(starting):
                    chosen_option: dict[str, Any] = {
                        "flat": flat[i], "mask": self.meta_mask(legal[i:i + 1])[0], "specialist": int(chosen[row]),
                        "log_prob": float(log_probs[row]), "value": float(values[row]), "reward": 0.0, "length": 0,
                        "ended": False, "label": labels[i]}
                    current[i] = chosen_option
                    options[i].append(chosen_option)
            specialist = torch.as_tensor([option["specialist"] for option in current if option is not None],
                                         device=self.device)
            with self.precision.autocast():
                logits, values = self.specialist_outputs(flat, specialist)
            masks = legal & self.allowed[specialist]
            distribution = MaskedCategorical(logits, masks)
            actions = distribution.sample(self.generator)
            _, rewards, terminated, truncated, _ = pool.step(actions.cpu().numpy())
            ends = np.zeros(n, dtype=bool)
            for i in range(n):
                option = current[i]
                assert option is not None
                option["reward"] += config.gamma ** option["length"] * float(rewards[i])
                option["length"] += 1
                episode_over = bool(terminated[i] or truncated[i])
                own_action = bool(self.own[option["specialist"], actions[i]])
                if episode_over or own_action or option["length"] >= config.option_max_steps:
                    option["ended"] = episode_over
                    ends[i] = True
                    current[i] = None
            for key, value in (("flat", flat), ("mask", masks), ("specialist", specialist), ("action", actions),
                               ("log_prob", distribution.log_prob(actions)), ("value", values.float()),
                               ("reward", torch.as_tensor(rewards, device=self.device)),
                               ("option_end", torch.as_tensor(ends, device=self.device))):
                step_records[key].append(value)
        # Options still running are cut here: specialists bootstrap from their own value, the meta-controller from
        # its value of the state where the next iteration chooses again.
        flat = torch.as_tensor(pool.obs["flat"], dtype=torch.float32, device=self.device)
        running = torch.as_tensor([o["specialist"] if o is not None else 0 for o in current], device=self.device)
        with self.precision.autocast():
            _, last_specialist_values = self.specialist_outputs(flat, running)
            _, last_meta_values = self.networks["meta"](flat)
        batch = {key: torch.stack(value) for key, value in step_records.items()}
        ended = batch["option_end"]
        advantages, returns = compute_gae(batch["reward"], batch["value"], ended, torch.zeros_like(ended),
                                          torch.zeros_like(batch["value"]), last_specialist_values.float(),
                                          config.gamma, config.gae_lambda)
        batch["advantage"], batch["return"] = advantages, returns
        batch = {key: value.reshape(steps * n, *value.shape[2:]) for key, value in batch.items()}

        option_rows: dict[str, list[Any]] = {k: [] for k in ("flat", "mask", "specialist", "log_prob", "value",
                                                              "advantage", "return", "label")}
        lengths = []
        for i in range(n):
            sequence = options[i]
            advantages_i, returns_i = option_advantages(
                np.array([o["reward"] for o in sequence]), np.array([o["length"] for o in sequence]),
                np.array([o["value"] for o in sequence]), np.array([o["ended"] for o in sequence]),
                float(last_meta_values[i]), config.gamma, config.gae_lambda)
            for option, advantage, target in zip(sequence, advantages_i, returns_i):
                for key in ("flat", "mask", "specialist", "log_prob", "value"):
                    option_rows[key].append(option[key])
                option_rows["label"].append(option["label"])
                option_rows["advantage"].append(float(advantage))
                option_rows["return"].append(float(target))
                lengths.append(option["length"])
        option_batch = {
            "flat": torch.stack(option_rows["flat"]), "mask": torch.stack(option_rows["mask"]),
            **{key: torch.as_tensor(option_rows[key], device=self.device, dtype=torch.long
                                    if key in ("specialist", "label") else torch.float32)
               for key in ("specialist", "log_prob", "value", "advantage", "return", "label")},
        }
        usage = np.bincount(option_batch["specialist"].cpu().numpy(), minlength=len(SPECIALIST_NAMES))
        metrics = {f"meta/{s}": float(usage[k] / usage.sum()) for k, s in enumerate(SPECIALIST_NAMES)}
        metrics["meta/option_length"] = float(np.mean(lengths))
        chose = option_batch["label"] >= 0
        if imitating and bool(chose.any()):
            agreed = option_batch["specialist"][chose] == option_batch["label"][chose]
            metrics["meta/expert_agreement"] = float(agreed.float().mean())
        if labelled["label"]:
            self.remember_labels({key: torch.stack(rows) for key, rows in labelled.items()})
        return batch, option_batch, metrics

    @torch.no_grad()
    def collect_navigated(self, pool: SheetVectorEnv) -> tuple[dict[str, torch.Tensor], dict[str, float]]:
        """``num_steps`` steps in every environment with a navigator (module docstring, 5.); returns the step batch
        (every level's choice and log-probability, the navigator's value, GAE over the episode) and usage
        metrics."""
        config, n, steps = self.config, pool.num_envs, self.config.num_steps
        num_actions = self.own.shape[1]
        records: dict[str, list[torch.Tensor]] = {key: [] for key in (
            "flat", "legal", "event", "event_log_prob", "value", "specialist", "meta_mask", "meta_log_prob",
            "action", "action_log_prob", "reward", "terminated", "truncated", "final_value")}
        imitating = self.imitating_in(pool)
        labelled: dict[str, list[torch.Tensor]] = {"flat": [], "mask": [], "label": []}
        agreed = asked = 0
        for _ in range(steps):
            flat = torch.as_tensor(pool.obs["flat"], dtype=torch.float32, device=self.device)
            legal = torch.as_tensor(pool.masks, device=self.device)
            meta_masks = self.meta_mask(legal)
            labels = self.label_states(pool, flat, meta_masks, labelled) if imitating else [-1] * n
            with self.precision.autocast():
                navigator_logits, values = self.networks["navigator"](flat)
            events = self.navigator_events(navigator_logits, legal)
            event = events.sample(self.generator)
            chosen, meta_log_probs, _ = self.choose(flat, legal, self.generator)  # used where the navigator edits
            with self.precision.autocast():
                logits, _ = self.specialist_outputs(flat, chosen)
            distribution = MaskedCategorical(logits, self.specialist_masks(legal, chosen))
            edits = distribution.sample(self.generator)
            editing = event == num_actions
            actions = torch.where(editing, edits, event)
            for row in np.flatnonzero(editing.cpu().numpy()):
                if labels[row] >= 0:
                    asked += 1
                    agreed += int(chosen[row]) == labels[row]
            _, rewards, terminated, truncated, infos = pool.step(actions.cpu().numpy())
            cut = np.flatnonzero(truncated & ~terminated)
            final_values = torch.zeros(n, device=self.device)
            if len(cut):
                final = torch.as_tensor(np.stack([infos["final_obs"][i]["flat"] for i in cut]), dtype=torch.float32,
                                        device=self.device)
                with self.precision.autocast():
                    final_values[torch.as_tensor(cut, device=self.device)] = \
                        self.networks["navigator"](final)[1].float()
            for key, value in (
                    ("flat", flat), ("legal", legal), ("event", event), ("event_log_prob", events.log_prob(event)),
                    ("value", values.float()), ("specialist", chosen), ("meta_mask", meta_masks),
                    ("meta_log_prob", meta_log_probs), ("action", edits),
                    ("action_log_prob", distribution.log_prob(edits)),
                    ("reward", torch.as_tensor(rewards, dtype=torch.float32, device=self.device)),
                    ("terminated", torch.as_tensor(terminated, device=self.device)),
                    ("truncated", torch.as_tensor(truncated & ~terminated, device=self.device)),
                    ("final_value", final_values)):
                records[key].append(value)
        flat = torch.as_tensor(pool.obs["flat"], dtype=torch.float32, device=self.device)
        with self.precision.autocast():
            last_values = self.networks["navigator"](flat)[1].float()
        batch = {key: torch.stack(value) for key, value in records.items()}
        advantages, returns = compute_gae(batch["reward"], batch["value"], batch["terminated"], batch["truncated"],
                                          batch["final_value"], last_values, config.gamma, config.gae_lambda)
        batch["advantage"], batch["return"] = advantages, returns
        batch = {key: value.reshape(steps * n, *value.shape[2:]) for key, value in batch.items()}
        batch["edit"] = batch["event"] == num_actions
        usage = np.bincount(batch["specialist"][batch["edit"]].cpu().numpy(), minlength=len(SPECIALIST_NAMES))
        metrics = {f"meta/{name}": float(usage[k] / max(1, usage.sum())) for k, name in enumerate(SPECIALIST_NAMES)}
        metrics["meta/edit_share"] = float(batch["edit"].float().mean())
        if imitating and asked:
            metrics["meta/expert_agreement"] = agreed / asked
        if labelled["label"]:
            self.remember_labels({key: torch.stack(rows) for key, rows in labelled.items()})
        return batch, metrics

    def remember_labels(self, rows: dict[str, torch.Tensor]) -> None:
        """Add labelled states to the meta-controller's imitation dataset, keeping the newest
        ``meta_imitation_buffer``."""
        keep = self.config.meta_imitation_buffer
        for key, value in rows.items():
            joined = torch.cat([self.meta_dataset[key], value]) if key in self.meta_dataset else value
            self.meta_dataset[key] = joined[-keep:]

    # ------------------------------------------------------------------------------------------------- update
    def update(self, steps: dict[str, torch.Tensor], options: dict[str, torch.Tensor]) -> dict[str, float]:
        """``update_epochs`` epochs; every minibatch step takes one slice of the steps (specialists) and one of the
        options (meta-controller) and minimizes the sum of both PPO losses."""
        config = self.config
        imitating = self.imitating()
        sums: dict[str, float] = {}
        counts: dict[str, int] = {}  # per loss: a minibatch without options has no meta-controller losses
        for _epoch in range(config.update_epochs):
            step_order = torch.randperm(len(steps["action"]), generator=self.generator, device=self.device)
            option_order = torch.randperm(len(options["specialist"]), generator=self.generator, device=self.device)
            step_parts = step_order.chunk(config.num_minibatches)
            option_parts = list(option_order.chunk(config.num_minibatches))  # fewer options than minibatches:
            option_parts += [option_order[:0]] * (len(step_parts) - len(option_parts))  # the rest get none
            for step_part, option_part in zip(step_parts, option_parts):
                losses = {}
                with self.precision.autocast():
                    logits, values = self.specialist_outputs(steps["flat"][step_part],
                                                             steps["specialist"][step_part])
                    meta_logits, meta_values = self.networks["meta"](options["flat"][option_part]) \
                        if len(option_part) else (None, None)
                total = torch.zeros((), device=self.device)
                distribution = MaskedCategorical(logits, steps["mask"][step_part])
                losses["specialist_policy"] = clipped_policy_loss(
                    distribution.log_prob(steps["action"][step_part]), steps["log_prob"][step_part],
                    normalize(steps["advantage"][step_part]), config.clip_coef)
                losses["specialist_value"] = value_loss(values.float(), steps["value"][step_part],
                                                        steps["return"][step_part], config.value_clip_coef)
                losses["specialist_entropy"] = distribution.entropy().mean()
                total = total + losses["specialist_policy"] + config.value_coef * losses["specialist_value"] \
                    - config.entropy_coef * losses["specialist_entropy"]
                if self.reference is not None and config.kl_coef > 0:
                    losses["specialist_kl_to_init"] = self.kl_to(self.reference, steps["flat"][step_part],
                                                                 distribution)
                    total = total + config.kl_coef * losses["specialist_kl_to_init"]
                if meta_logits is not None and meta_values is not None:
                    meta = MaskedCategorical(meta_logits, options["mask"][option_part])
                    advantage = options["advantage"][option_part]
                    if imitating:  # the expert's choices instead of the policy gradient (the module docstring, 4.)
                        losses["meta_policy"] = losses["meta_imitation"] = self.imitation_loss()
                    else:
                        losses["meta_policy"] = clipped_policy_loss(
                            meta.log_prob(options["specialist"][option_part]), options["log_prob"][option_part],
                            normalize(advantage) if len(advantage) > 1 else advantage, config.clip_coef)
                        if self.meta_reference is not None and config.kl_coef > 0:
                            losses["meta_kl_to_imitation"] = self.kl_to(self.meta_reference,
                                                                        options["flat"][option_part], meta)
                            total = total + config.kl_coef * losses["meta_kl_to_imitation"]
                    losses["meta_value"] = value_loss(meta_values.float(), options["value"][option_part],
                                                      options["return"][option_part], config.value_clip_coef)
                    losses["meta_entropy"] = meta.entropy().mean()
                    total = total + losses["meta_policy"] + config.value_coef * losses["meta_value"] \
                        - config.meta_entropy_coef * losses["meta_entropy"]
                self.precision.backward(total)
                self.precision.step(self.optimizer, self.networks.parameters(), config.max_grad_norm)
                for key, value in losses.items():
                    sums[key] = sums.get(key, 0.0) + float(value.item())
                    counts[key] = counts.get(key, 0) + 1
        return {f"losses/{key}": total / counts[key] for key, total in sums.items()}

    def update_navigated(self, steps: dict[str, torch.Tensor]) -> dict[str, float]:
        """``update_epochs`` epochs over the steps of :meth:`collect_navigated`: the navigator's event, the
        meta-controller's choice and the specialist's edit are the three factors of one policy, each updated by
        PPO's clipped surrogate with the step's advantage (normalized per minibatch); the edit factors count for
        the share of the minibatch that edited, so the sum is flat PPO's loss for the factored policy. While
        imitating, the meta-controller learns the expert's choices instead (module docstring, 4.)."""
        config = self.config
        imitating = self.imitating()
        sums: dict[str, float] = {}
        counts: dict[str, int] = {}
        batch = len(steps["event"])
        for _epoch in range(config.update_epochs):
            order = torch.randperm(batch, generator=self.generator, device=self.device)
            for part in order.chunk(config.num_minibatches):
                losses: dict[str, torch.Tensor] = {}
                flat, legal, advantage = steps["flat"][part], steps["legal"][part], normalize(steps["advantage"][part])
                with self.precision.autocast():
                    navigator_logits, values = self.networks["navigator"](flat)
                events = self.navigator_events(navigator_logits, legal)
                losses["navigator_policy"] = clipped_policy_loss(
                    events.log_prob(steps["event"][part]), steps["event_log_prob"][part], advantage, config.clip_coef)
                losses["navigator_value"] = value_loss(values.float(), steps["value"][part], steps["return"][part],
                                                       config.value_clip_coef)
                losses["navigator_entropy"] = events.entropy().mean()
                total = losses["navigator_policy"] + config.value_coef * losses["navigator_value"] \
                    - config.entropy_coef * losses["navigator_entropy"]
                if self.reference is not None and config.kl_coef > 0:
                    losses["navigator_kl_to_init"] = self.kl_to(self.reference, flat,
                                                                MaskedCategorical(navigator_logits, legal))
                    total = total + config.kl_coef * losses["navigator_kl_to_init"]
                editing = steps["edit"][part]
                rows, share = part[editing], float(editing.float().mean())
                if len(rows):
                    edit_advantage = advantage[editing]
                    chosen = steps["specialist"][rows]
                    with self.precision.autocast():
                        logits, _ = self.specialist_outputs(steps["flat"][rows], chosen)
                    distribution = MaskedCategorical(logits, self.specialist_masks(steps["legal"][rows], chosen))
                    total = self._add_edit_factor_loss(
                        total, losses, "specialist", "specialist_kl_to_init", distribution, steps["action"][rows],
                        steps["action_log_prob"][rows], edit_advantage, share, config.entropy_coef, self.reference,
                        steps["flat"][rows])
                    if not imitating:
                        with self.precision.autocast():
                            meta_logits, _ = self.networks["meta"](steps["flat"][rows])
                        total = self._add_edit_factor_loss(
                            total, losses, "meta", "meta_kl_to_imitation", MaskedCategorical(meta_logits,
                                                                                      steps["meta_mask"][rows]),
                            chosen, steps["meta_log_prob"][rows], edit_advantage, share, config.meta_entropy_coef,
                            self.meta_reference, steps["flat"][rows])
                if imitating:
                    losses["meta_imitation"] = self.imitation_loss()
                    total = total + losses["meta_imitation"]
                self.precision.backward(total)
                # each network's gradient clipped by its own norm, as each were its own PPO learner's
                self.precision.step(self.optimizer, self.networks.parameters(), config.max_grad_norm,
                                    clip_groups=[list(network.parameters()) for network in self.networks.values()])
                for key, value in losses.items():
                    sums[key] = sums.get(key, 0.0) + float(value.item())
                    counts[key] = counts.get(key, 0) + 1
        return {f"losses/{key}": total / counts[key] for key, total in sums.items()}

    def _add_edit_factor_loss(self, total: torch.Tensor, losses: dict[str, torch.Tensor], prefix: str, kl_key: str,
                          distribution: MaskedCategorical, taken: torch.Tensor, old_log_probs: torch.Tensor,
                          advantage: torch.Tensor, share: float, entropy_coef: float, reference: nn.Module | None,
                          flat: torch.Tensor) -> torch.Tensor:
        """One edit factor's part of :meth:`update_navigated` over the rows that edited (``share`` of the
        minibatch): its clipped surrogate, entropy bonus and KL anchor toward ``reference`` (when ``kl_coef > 0``),
        each weighted by ``share``, added to ``total``; the terms are also recorded in ``losses``."""
        losses[f"{prefix}_policy"] = share * clipped_policy_loss(distribution.log_prob(taken), old_log_probs,
                                                                 advantage, self.config.clip_coef)
        losses[f"{prefix}_entropy"] = distribution.entropy().mean()
        total = total + losses[f"{prefix}_policy"] - share * entropy_coef * losses[f"{prefix}_entropy"]
        if reference is not None and self.config.kl_coef > 0:
            losses[kl_key] = self.kl_to(reference, flat, distribution)
            total = total + share * self.config.kl_coef * losses[kl_key]
        return total

    def kl_to(self, reference: nn.Module, flat: torch.Tensor, distribution: MaskedCategorical) -> torch.Tensor:
        """Mean ``KL(distribution || reference's policy)`` over ``distribution`` 's legal actions, the reference
        (a frozen network) read on ``flat`` under the same masks, without gradients."""
        with torch.no_grad(), self.precision.autocast():
            reference_logits, _ = reference(flat)
        anchor = MaskedCategorical(reference_logits, distribution.masks)
        return masked_kl_divergence(distribution.log_probs_all, anchor.log_probs_all, distribution.masks).mean()

    def imitation_loss(self) -> torch.Tensor:
        """Cross-entropy of the meta-controller's masked choice against the expert's, over ``meta_imitation_batch``
        labelled states drawn from the dataset (0 while it is empty)."""
        data = self.meta_dataset
        if not data:
            return torch.zeros((), device=self.device)
        rows = torch.randint(len(data["label"]), (self.config.meta_imitation_batch,), generator=self.generator,
                             device=self.device)
        with self.precision.autocast():
            logits, _ = self.networks["meta"](data["flat"][rows])
        return -MaskedCategorical(logits.float(), data["mask"][rows]).log_prob(data["label"][rows]).mean()

    def train_iteration(self, pool: SheetVectorEnv) -> tuple[int, dict[str, float]]:
        if pool.num_envs != self.config.num_envs:
            raise ValueError(f"hierarchical: the pool has {pool.num_envs} environments but the config says "
                             f"num_envs={self.config.num_envs}")
        self.networks.train()
        self.optimizer.param_groups[0]["lr"] = self.meta_rate()
        if self.config.navigator:
            steps, metrics = self.collect_navigated(pool)
            metrics.update(self.update_navigated(steps))
        else:
            steps, options, metrics = self.collect(pool)
            metrics.update(self.update(steps, options))
        self.iteration += 1
        if self.iteration == self.config.meta_imitation_iterations:  # imitation is over
            self.meta_dataset = {}  # the labelled states are not needed again
            if self.config.kl_coef > 0:
                self.meta_reference = frozen_copy(self.networks["meta"])
        taken = self.config.num_envs * self.config.num_steps
        self.env_steps += taken
        return taken, metrics

    # ------------------------------------------------------------------------------------------ warm start
    def initialize_from(self, agent: dict[str, Any]) -> None:
        """Start every specialist from another run's MLP actor-critic (``sheetrl train --algo hierarchical
        --init-from RUN``: a ``bc`` or ``ppo`` run with ``policy=mlp``, one trunk each for policy and value, the
        plain action head and this agent's ``hidden_sizes``); with ``kl_coef > 0`` a frozen copy of it is the
        reference; with ``meta_trunks_from_source`` the meta-controller's trunks are the network's too. Everything
        else (the meta-controller's head, the optimizer, the counters) starts fresh."""
        saved = agent.get("config") or {}
        source = agent.get("name", "?")
        if source not in WARM_START_SOURCES:
            raise ValueError(f"hierarchical: the specialists start from a {' or '.join(WARM_START_SOURCES)} run's "
                             f"network, not this {source} run's")
        policy = saved.get("policy", "mlp")
        if policy != "mlp" or factoring(saved.get("factored_actions", "off")) != "off" or saved.get("shared_trunk"):
            raise ValueError(f"hierarchical: the specialists are MLP actor-critics with a plain action head and a "
                             f"trunk each for policy and value; the {source} run's network is policy={policy!r}, "
                             f"factored_actions={saved.get('factored_actions', 'off')!r}, "
                             f"shared_trunk={bool(saved.get('shared_trunk'))}")
        hidden = tuple(int(h) for h in saved.get("hidden_sizes", ()))
        if hidden != self.config.hidden_sizes:
            raise ValueError(f"hierarchical: the saved network has hidden_sizes={hidden!r}, the specialists "
                             f"{self.config.hidden_sizes!r}; build the agent with --set hidden_sizes="
                             f"{','.join(str(h) for h in hidden)}")
        weights = agent.get("state", {}).get("network")
        if not isinstance(weights, dict):
            raise ValueError(f"hierarchical: the {source} run's checkpoint holds no network weights")
        weights = {key.removeprefix("network."): value for key, value in weights.items()}
        try:
            for name in SPECIALIST_NAMES + (("navigator",) if self.config.navigator else ()):
                self.networks[name].load_state_dict(weights)
            if self.config.meta_trunks_from_source:
                trunks = {key: value for key, value in weights.items() if "_trunk." in key}
                if self.config.meta_hidden_sizes != hidden:
                    raise ValueError(f"hierarchical: meta_trunks_from_source needs meta_hidden_sizes={hidden!r} "
                                     f"(the source's widths), not {self.config.meta_hidden_sizes!r}")
                missing, unexpected = self.networks["meta"].load_state_dict(trunks, strict=False)
                if unexpected or any("_trunk." in key for key in missing):  # only the heads may start fresh
                    raise RuntimeError(f"the meta-controller's trunks do not match: {missing + unexpected}")
        except RuntimeError:  # torch lists every mismatched tensor over many lines; one is enough here
            raise ValueError(f"hierarchical: the {source} run's network does not fit the specialists (an MLP "
                             f"actor-critic on this environment's observation and actions)") from None
        if self.config.kl_coef > 0:
            self.reference = frozen_copy(self.networks[SPECIALIST_NAMES[0]])

    # ----------------------------------------------------------------------------------------------- state
    def state_dict(self) -> dict[str, Any]:
        return {"config": asdict(self.config), "networks": self.networks.state_dict(),
                "reference": None if self.reference is None else self.reference.state_dict(),
                "meta_dataset": dict(self.meta_dataset),
                "meta_reference": None if self.meta_reference is None else self.meta_reference.state_dict(),
                "optimizer": self.optimizer.state_dict(), "precision": self.precision.state_dict(),
                "generator": self.generator.get_state(), "act_generator": self.act_generator.get_state(),
                "iteration": self.iteration, "env_steps": self.env_steps}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        saved = state["config"]
        saved_navigator = bool(saved.get("navigator", FIELDS_ADDED_LATER["navigator"]))
        if saved_navigator != self.config.navigator:
            raise ValueError(f"hierarchical: the saved agent has navigator={saved_navigator}, this one "
                             f"navigator={self.config.navigator}; build the agent with the saved config")
        for key in ("hidden_sizes", "meta_hidden_sizes"):
            if tuple(saved[key]) != tuple(getattr(self.config, key)):
                raise ValueError(f"hierarchical: the saved networks have {key}={saved[key]!r}, this agent "
                                 f"{getattr(self.config, key)!r}; build the agent with the saved config")
        self.networks.load_state_dict(state["networks"])
        # (both references are absent in checkpoints from before the warm start)
        reference, meta_reference = state.get("reference"), state.get("meta_reference")
        self.reference = None if reference is None else frozen_copy(self.networks[SPECIALIST_NAMES[0]], reference)
        self.meta_reference = None if meta_reference is None else frozen_copy(self.networks["meta"], meta_reference)
        # a checkpoint is read onto the CPU: the labelled states go back to this agent's device
        self.meta_dataset = {key: value.to(self.device) for key, value in (state.get("meta_dataset") or {}).items()}
        self.optimizer.load_state_dict(_two_groups(state["optimizer"], len(list(self.networks["meta"].parameters()))))
        self.precision.load_state_dict(state["precision"])
        load_generator_state(self.generator, state["generator"])
        load_generator_state(self.act_generator, state["act_generator"])
        self.iteration = int(state["iteration"])
        self.env_steps = int(state["env_steps"])


def _two_groups(optimizer: dict[str, Any], meta_parameters: int) -> dict[str, Any]:
    """An optimizer state saved with one parameter group (before the meta-controller had its own step size) as the
    meta-controller's group and the specialists' (the same parameters in the same order, so the same moments)."""
    groups = optimizer["param_groups"]
    if len(groups) != 1:
        return optimizer
    (group,) = groups
    return {**optimizer, "param_groups": [{**group, "params": group["params"][:meta_parameters]},
                                          {**group, "params": group["params"][meta_parameters:]}]}


def build(config: Config, observation_space: Any, action_space: Any, device: torch.device | str,
          precision: Precision, seed: int) -> HierarchicalAgent:
    """A hierarchical agent for a SpreadsheetEnv's spaces (it reads the ``flat`` observation)."""
    try:
        flat_space = observation_space["flat"]
    except (KeyError, TypeError) as exc:
        raise ValueError("hierarchical needs a Dict observation space with a 'flat' vector") from exc
    if getattr(action_space, "n", None) is None:
        raise ValueError(f"hierarchical needs a Discrete action space, not {action_space!r}")
    return HierarchicalAgent(config, int(math.prod(flat_space.shape)), int(action_space.n), torch.device(device),
                             precision, seed)
