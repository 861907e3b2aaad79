"""AlphaZero-style planning: tree search over environment clones, guided by a policy prior and a value network,
trained by self-play with a ranked reward.

The whole algorithm, top to bottom:

1. **The tree.** A :class:`Node` holds an exact copy of the environment (:meth:`SpreadsheetEnv.clone
   <sheetrl.env.spreadsheet_env.SpreadsheetEnv.clone>`: the workbook is cloned copy-on-write), its observation,
   action mask, the network's prior logits (illegal actions at the most negative float) and value, and per action
   the visit count and the sum of backed-up values. Expanding an action clones the parent's environment and steps
   the clone, so the real episode never sees a searched move. Only legal actions are ever selected, at every node.
2. **A simulation** walks from the root to an unexpanded action (selection), expands it (one environment step and
   one network evaluation; a terminal state is scored instead of evaluated), and backs the value up the path:
   ``G = r + gamma * G`` per edge (the ``return`` value target) or ``G = outcome`` (``ranked``: no intermediate
   rewards, as in Ranked Reward, where the only signal is the ranked outcome of the finished episode).
   With ``rollout_weight`` ``lambda > 0`` a new state (the root too) is also scored by playing the network's greedy
   policy on a clone of it to the episode's end, as AlphaGo (Silver et al. 2016) mixed its value network with rollouts:
   ``V = (1 - lambda) * v + lambda * z``, ``z`` the rollout's discounted return (``return``) or the ranked outcome
   of the episode it finishes (``ranked``). A value head that cannot tell a state that leads into a loop from one
   that leads to the solution (the step budget then ends the episode with the user's verdict) is corrected by
   what the policy actually does from there; each simulation then costs up to the rest of the step budget in
   network evaluations and environment steps.
3. **Selection.** ``puct`` (AlphaZero, Silver et al. 2018): ``argmax Q(a) + c_puct * P(a) * sqrt(N) / (1 + N(a))``,
   Q normalized to [0, 1] by the min and max of the node's value and its children's (an unvisited child counts as
   the minimum), with Dirichlet noise mixed into the root prior during self-play. ``gumbel`` (Gumbel MuZero,
   Danihelka et al. 2022): at the root, Gumbel noise ``g`` is added to the logits, the ``max_considered`` best
   actions by ``g + logits`` are searched with Sequential Halving (each phase gives the remaining actions equal
   visits and keeps the better half by ``g + logits + sigma(q)``; :func:`considered_visit_sequence`), and the
   action played is the best remaining one; inside the tree the action is
   ``argmax pi'(a) - N(a) / (1 + N)`` with the improved policy ``pi' = softmax(logits + sigma(completed Q))``.
   ``sigma(q) = (maxvisit_init + max_b N(b)) * value_scale * q`` with Q completed by the mixed value for unvisited
   actions and rescaled to [0, 1] over the legal actions (:func:`completed_q`).
4. **Policy targets.** ``puct``: the root's visit counts, normalized (legal actions only). ``gumbel``: the improved
   policy ``pi'`` at the root (zero on illegal actions).
5. **Self-play with a ranked reward** (Laterre et al. 2018, arXiv:1807.01672). A single-player task has no
   opponent; the agent plays against its own recent results instead: when an episode ends its return is compared
   with the ``ranked_percentile``-th percentile of the last ``ranked_buffer`` returns (:class:`RankedReward`):
   above it the outcome is +1, below it -1, on it +1 when the task was solved and otherwise a fair coin. Every
   position of the episode is stored with its search policy and that outcome (``ranked``) or its discounted return
   to go (``return``); the network learns both by cross-entropy and squared error on minibatches of the replay.
6. **Warm start** from any run whose checkpoint holds a compatible policy (PPO's actor-critic, a policy of
   ``models/``, an earlier alphazero run): ``sheetrl train --algo alphazero --init-from RUN``.

Exact resume: the tree is rebuilt for every move from the environment, the network and the agent's RNG, so
nothing of it needs saving; :meth:`AlphaZeroAgent.state_dict` holds the weights, the optimizer, both RNG states,
the replay, the ranked-reward buffer and the positions of the episodes in progress.

``sheetrl eval RUN --search-sims N`` plays any run's policy with this search on top (:func:`search_policy`).
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any, ClassVar, Protocol, cast

import numpy as np
import torch

from sheetrl.agents.base import (
    Agent,
    check_same_network,
    check_signs,
    frozen_copy,
    masked_kl_divergence,
    policy_observation_keys,
)
from sheetrl.env.vector import SheetVectorEnv
from sheetrl.models.base import PolicyNetwork
from sheetrl.models.policy import MLPPolicyConfig, build_policy, factoring, to_tensors
from sheetrl.models.precision import Precision, adam

name = "alphazero"
SEARCH_METHODS = ("gumbel", "puct")
VALUE_TARGETS = ("ranked", "return")


# ------------------------------------------------------------------------------------------------------- config
def check_rollout_weight(weight: Any, prefix: str = "") -> None:
    """Raise ValueError unless ``weight`` (the rollout's share of a new state's value) is a number in [0, 1]."""
    if isinstance(weight, bool) or not isinstance(weight, (int, float)) or not 0.0 <= weight <= 1.0:
        raise ValueError(f"{prefix}rollout_weight is the rollout's share of a state's value, in [0, 1], "
                         f"not {weight!r}")


@dataclass
class Config:
    """AlphaZero hyper-parameters; the defaults are the ``seed`` preset (800 simulations per move)."""

    num_envs: int = 8  # environments playing self-play episodes side by side
    simulations: int = 800  # simulations per move (the seed's 800; 16-64 on a CPU)
    search: str = "gumbel"  # "gumbel" (Gumbel root + Sequential Halving) or "puct" (AlphaZero's PUCT everywhere)
    max_considered: int = 16  # gumbel: actions sampled at the root for Sequential Halving
    value_scale: float = 0.1  # gumbel: c_scale of sigma(q)
    maxvisit_init: float = 50.0  # gumbel: c_visit of sigma(q)
    c_puct: float = 1.25  # puct: weight of the prior term
    dirichlet_alpha: float = 0.3  # puct self-play: Dirichlet noise concentration at the root
    dirichlet_fraction: float = 0.25  # puct self-play: share of the noise in the root prior
    sample_moves: int = 8  # puct self-play: the first moves are sampled from the visit counts, then the most visited
    value_target: str = "ranked"  # "ranked" (Ranked Reward's +1/-1 outcome) or "return" (discounted return)
    gamma: float = 0.99  # discount of the return target and of the reward shaping
    rollout_weight: float = 0.0  # lambda: a new state's value mixes the network's with a greedy rollout's (AlphaGo)
    ranked_percentile: float = 75.0  # Ranked Reward: the percentile of recent returns an episode must beat
    ranked_buffer: int = 250  # Ranked Reward: recent returns kept
    replay_size: int = 20_000  # positions kept for training
    batch_size: int = 256  # positions per update
    updates_per_iteration: int = 4  # gradient steps after every move of every environment
    learning_rate: float = 1e-3  # Adam step size
    weight_decay: float = 1e-4  # decoupled weight decay (AdamW), the role of AlphaZero's L2 c
    value_coef: float = 1.0  # weight of the value loss
    policy_coef: float = 1.0  # weight of the policy loss (0: only the value loss, and kl_coef's KL, train: layers
    # shared with the value (shared_trunk, the encoder or transformer) still move; the policy's own ones do not)
    kl_coef: float = 0.0  # warm-started: weight of KL(policy || the initial policy), keeping the policy near it
    max_grad_norm: float = 1.0  # global gradient-norm clip
    policy: str = "mlp"  # policy network kind of models/policy.py: mlp, encoder or transformer
    hidden_sizes: tuple[int, ...] = (512, 512)  # mlp: widths of the policy and value trunks
    shared_trunk: bool = False  # mlp: one trunk for both heads
    factored_actions: str = "off"  # mlp: off, parts or instructed (models.policy.FACTORINGS; as the warm start's)

    def __post_init__(self) -> None:
        self.hidden_sizes = tuple(int(h) for h in self.hidden_sizes)
        check_signs("alphazero", self, non_negative=("policy_coef", "value_coef", "kl_coef"), finite=True)
        if self.policy_coef == 0 and self.value_coef == 0:
            raise ValueError("alphazero: policy_coef and value_coef are both 0, so self-play would learn nothing")
        self.factored_actions = factoring(self.factored_actions)
        if self.factored_actions != "off" and self.policy != "mlp":
            raise ValueError(f"alphazero: factored_actions needs policy mlp, not {self.policy!r}")
        for key in ("num_envs", "simulations", "max_considered", "ranked_buffer", "replay_size", "batch_size"):
            if getattr(self, key) < 1:
                raise ValueError(f"alphazero: {key} must be at least 1, not {getattr(self, key)}")
        if self.batch_size > self.replay_size:  # updates wait for batch_size positions: a smaller replay never has them
            raise ValueError(f"alphazero: batch_size ({self.batch_size}) is larger than replay_size "
                             f"({self.replay_size}), so the network would never be updated")
        if self.updates_per_iteration < 0 or self.sample_moves < 0:
            raise ValueError("alphazero: updates_per_iteration and sample_moves must be >= 0")
        if self.search not in SEARCH_METHODS:
            raise ValueError(f"alphazero: search must be one of {', '.join(SEARCH_METHODS)}, not {self.search!r}")
        if self.value_target not in VALUE_TARGETS:
            raise ValueError(f"alphazero: value_target must be one of {', '.join(VALUE_TARGETS)}, "
                             f"not {self.value_target!r}")
        if not 0.0 <= self.gamma <= 1.0 or not 0.0 <= self.dirichlet_fraction <= 1.0:
            raise ValueError("alphazero: gamma and dirichlet_fraction must lie in [0, 1]")
        check_rollout_weight(self.rollout_weight, "alphazero: ")
        if not 0.0 <= self.ranked_percentile <= 100.0:
            raise ValueError(f"alphazero: ranked_percentile must lie in [0, 100], not {self.ranked_percentile}")
        if not math.isfinite(self.learning_rate) or self.learning_rate <= 0 or self.c_puct < 0 \
                or self.dirichlet_alpha <= 0 or self.value_scale < 0:
            raise ValueError("alphazero: learning_rate and dirichlet_alpha must be positive, c_puct and value_scale "
                             ">= 0")
        # sigma's scale (maxvisit_init + max N) * value_scale must not turn negative: the improved policy and the
        # root's choice would then prefer the actions of lowest Q
        check_signs("alphazero", self, non_negative=("maxvisit_init",))
        check_signs("alphazero", self, positive=("max_grad_norm",))
        if self.policy not in ("mlp", "encoder", "transformer"):
            raise ValueError(f"alphazero: policy must be mlp, encoder or transformer, not {self.policy!r}")
        if not self.hidden_sizes or min(self.hidden_sizes) < 1:
            raise ValueError(f"alphazero: hidden_sizes must be positive widths, not {self.hidden_sizes}")

    def search_config(self, simulations: int | None = None) -> SearchConfig:
        """The search settings of this config (optionally with another simulation budget)."""
        return SearchConfig(simulations=simulations or self.simulations, method=self.search,
                            max_considered=self.max_considered, value_scale=self.value_scale,
                            maxvisit_init=self.maxvisit_init, c_puct=self.c_puct, value_target=self.value_target,
                            gamma=self.gamma, rollout_weight=self.rollout_weight)


def observation_keys(config: Config) -> tuple[str, ...] | None:
    """The observation keys a run with ``config`` reads (:func:`~sheetrl.agents.base.policy_observation_keys`): the
    search steps copies of the environments, which compute only those too."""
    return policy_observation_keys(config.policy)


PRESETS: dict[str, Config] = {
    # A CPU: 16 simulations per move, a small network, four environments.
    "quick": Config(num_envs=4, simulations=16, hidden_sizes=(128, 128), replay_size=5_000, batch_size=128,
                    ranked_buffer=100, updates_per_iteration=2),
    "seed": Config(),
}


@dataclass(frozen=True)
class SearchConfig:
    """How one search runs (see the module docstring)."""

    simulations: int = 64
    method: str = "gumbel"
    max_considered: int = 16
    value_scale: float = 0.1
    maxvisit_init: float = 50.0
    c_puct: float = 1.25
    value_target: str = "ranked"
    gamma: float = 0.99
    rollout_weight: float = 0.0

    def __post_init__(self) -> None:
        check_rollout_weight(self.rollout_weight)


# ------------------------------------------------------------------------------------------------- the tree
class SearchEnvironment(Protocol):
    """What the search needs of an environment: exact copies, steps and the legal actions."""

    def clone(self) -> SearchEnvironment: ...

    def step(self, action: Any) -> tuple[dict[str, np.ndarray], float, bool, bool, dict[str, Any]]: ...

    def action_masks(self) -> np.ndarray: ...


# observation -> (prior logits (N,), value): what the search asks of a policy network.
Evaluator = Callable[[dict[str, np.ndarray]], tuple[np.ndarray, float]]


class Node:
    """One state of the tree: an environment copy and the statistics of the actions taken from it."""

    __slots__ = ("child_values", "child_visits", "children", "env", "episode_return", "logits", "mask",
                 "observation", "raw_value", "reward", "solved", "terminal")

    def __init__(self, env: SearchEnvironment, observation: dict[str, np.ndarray], reward: float, terminal: bool,
                 solved: bool, episode_return: float) -> None:
        self.env = env
        self.observation = observation
        self.mask = np.asarray(observation["action_mask"], dtype=bool)
        self.reward = reward  # received on the edge into this node
        self.terminal = terminal
        self.solved = solved
        self.episode_return = episode_return  # undiscounted, from the start of the real episode
        self.logits = np.zeros(len(self.mask))
        self.raw_value = 0.0
        self.children: dict[int, Node] = {}
        self.child_visits = np.zeros(len(self.mask))
        self.child_values = np.zeros(len(self.mask))  # sums of the values backed up through each action

    @property
    def visits(self) -> float:
        return float(self.child_visits.sum())

    def q_values(self) -> np.ndarray:
        """Mean backed-up value per action (0 where unvisited)."""
        return np.divide(self.child_values, self.child_visits, out=np.zeros_like(self.child_values),
                         where=self.child_visits > 0)

    def value(self) -> float:
        """The node's value estimate: its network value averaged with everything backed up through it."""
        return (self.raw_value + float(self.child_values.sum())) / (1.0 + self.visits)


PRIOR_FLOOR = 1e-30  # the smallest probability an agent's search prior gives a legal action (its log stays finite)


def masked_softmax(logits: np.ndarray, mask: np.ndarray) -> np.ndarray:
    """Softmax over the legal actions (exactly 0 elsewhere)."""
    scores = np.where(mask, logits, -np.inf)
    scores = scores - scores[mask].max()
    weights = np.where(mask, np.exp(scores), 0.0)
    return weights / weights.sum()


def completed_q(node: Node) -> np.ndarray:
    """Gumbel MuZero's completed Q-values rescaled to [0, 1] over the legal actions: visited actions keep their
    mean value, unvisited ones get the mixed value ``(v + N * sum_visited pi(a) q(a) / sum_visited pi(a)) / (1 + N)``
    (the paper's Appendix D); illegal actions are 0."""
    visited = node.child_visits > 0
    q = node.q_values()
    total = node.visits
    if total > 0:
        prior = np.maximum(masked_softmax(node.logits, node.mask), np.finfo(np.float64).tiny)
        weighted = float((prior * q)[visited].sum() / prior[visited].sum())
        mixed = (node.raw_value + total * weighted) / (total + 1.0)
    else:
        mixed = node.raw_value
    completed = np.where(visited, q, mixed)
    legal = completed[node.mask]
    low, high = legal.min(), legal.max()
    rescaled = (completed - low) / max(high - low, 1e-8)
    return np.where(node.mask, rescaled, 0.0)


def sigma(node: Node, config: SearchConfig) -> np.ndarray:
    """``sigma(completed Q) = (maxvisit_init + max_b N(b)) * value_scale * completed Q`` (monotone in Q)."""
    return (config.maxvisit_init + node.child_visits.max()) * config.value_scale * completed_q(node)


def improved_policy(node: Node, config: SearchConfig) -> np.ndarray:
    """Gumbel MuZero's improved policy ``softmax(logits + sigma(completed Q))`` over the legal actions."""
    return masked_softmax(node.logits + sigma(node, config), node.mask)


def parent_sibling_q(node: Node) -> np.ndarray:
    """Q normalized to [0, 1] by the min and max of the node's value and its visited children's Q; an unvisited
    child scores the minimum (AlphaZero/MuZero's normalization for PUCT)."""
    visited = node.child_visits > 0
    q = node.q_values()
    own = node.value()
    safe = np.where(visited, q, own)[node.mask]
    low, high = min(own, safe.min()), max(own, safe.max())
    return (np.where(visited, q, low) - low) / max(high - low, 1e-8)


def puct_scores(node: Node, prior: np.ndarray, c_puct: float) -> np.ndarray:
    """``Q_norm(a) + c_puct * P(a) * sqrt(N) / (1 + N(a))`` for legal actions, -inf for illegal ones. With no
    visit yet, ``sqrt(N)`` is taken as 1 so the prior picks the first action."""
    exploration = c_puct * prior * math.sqrt(max(node.visits, 1.0)) / (1.0 + node.child_visits)
    return np.where(node.mask, parent_sibling_q(node) + exploration, -np.inf)


def considered_visit_sequence(max_considered: int, simulations: int) -> list[int]:
    """Sequential Halving as visit counts: entry ``k`` is the visit count the action chosen at root simulation
    ``k`` must have. Phase after phase, each of the remaining ``m`` actions gets
    ``max(1, simulations // (ceil(log2 m0) * m))`` more visits, then the better half remains (at least two)."""
    if max_considered <= 1:
        return list(range(simulations))
    phases = math.ceil(math.log2(max_considered))
    sequence: list[int] = []
    visits = [0] * max_considered
    remaining = max_considered
    while len(sequence) < simulations:
        extra = max(1, simulations // (phases * remaining))
        for _ in range(extra):
            sequence.extend(visits[:remaining])
            for i in range(remaining):
                visits[i] += 1
        remaining = max(2, remaining // 2)
    return sequence[:simulations]


def gumbel_root_action(node: Node, gumbel: np.ndarray, considered: np.ndarray, visit: int,
                       config: SearchConfig) -> int:
    """The root action of one Gumbel simulation: among the considered actions that have exactly ``visit`` visits,
    the best by ``g + logits + sigma(completed Q)``."""
    eligible = considered & (node.child_visits == visit)
    if not eligible.any():  # fewer considered actions than the schedule assumed: any considered one
        eligible = considered
    scores = gumbel + node.logits + sigma(node, config)
    return int(np.where(eligible, scores, -np.inf).argmax())


class RankedReward:
    """Ranked Reward (Laterre et al. 2018): an episode's return against the recent returns' percentile."""

    def __init__(self, capacity: int, percentile: float) -> None:
        self.returns: deque[float] = deque(maxlen=capacity)
        self.percentile = percentile

    def threshold(self) -> float | None:
        """The ``percentile``-th percentile of the recent returns (None before any episode)."""
        if not self.returns:
            return None
        return float(np.percentile(np.asarray(self.returns), self.percentile))

    def outcome(self, episode_return: float, solved: bool, rng: np.random.Generator | None = None) -> float:
        """+1 above the threshold, -1 below it; on it +1 when solved (nothing beats solving), otherwise a fair
        coin (``rng``) or its expectation 0 (``rng`` None, as inside a search). Before any episode: solved or not."""
        threshold = self.threshold()
        if threshold is None:
            return 1.0 if solved else -1.0
        if episode_return > threshold:
            return 1.0
        if episode_return < threshold:
            return -1.0
        if solved:
            return 1.0
        return 0.0 if rng is None else float(rng.choice((-1.0, 1.0)))

    def record(self, episode_return: float) -> None:
        self.returns.append(float(episode_return))


@dataclass
class SearchResult:
    """What one search decided."""

    action: int
    policy: np.ndarray  # the training target over all actions (0 on illegal ones)
    root_value: float
    visits: np.ndarray
    max_depth: int
    seconds: float
    root: Node


def run_search(env: SearchEnvironment, observation: dict[str, np.ndarray], evaluate: Evaluator,
               config: SearchConfig, *, episode_return: float = 0.0, ranked: RankedReward | None = None,
               rng: np.random.Generator | None = None, explore: bool = False, sample: bool = False,
               dirichlet: tuple[float, float] = (0.3, 0.25)) -> SearchResult:
    """Search from ``env`` (never stepped: every expansion steps a clone) and choose an action.

    :param observation: ``env``'s current observation (with ``action_mask``).
    :param evaluate: ``observation -> (prior logits (N,), value)``.
    :param episode_return: the real episode's return so far (a terminal node's outcome ranks the whole episode).
    :param ranked: the ranked-reward buffer (required for the ``ranked`` value target).
    :param explore: self-play noise at the root (Gumbel noise for ``gumbel``, Dirichlet noise for ``puct``);
        without it the search is deterministic.
    :param sample: puct: sample the action from the visit counts instead of taking the most visited.
    """
    if config.value_target == "ranked" and ranked is None:
        raise ValueError("the ranked value target needs a RankedReward buffer")
    if (explore or sample) and rng is None:
        raise ValueError("exploration needs an rng")
    started = time.perf_counter()
    root = Node(env, observation, 0.0, False, False, episode_return)
    if not root.mask.any():
        raise ValueError("the root state has no legal action")
    root.logits, root.raw_value = _score(evaluate, root, config, ranked)
    prior = masked_softmax(root.logits, root.mask)
    gumbel = np.zeros(len(root.mask))
    considered = root.mask.copy()
    sequence: list[int] = []
    if config.method == "gumbel":
        if explore:
            assert rng is not None
            gumbel = np.where(root.mask, rng.gumbel(size=len(root.mask)), 0.0)
        count = min(config.max_considered, int(root.mask.sum()))
        ranking = np.where(root.mask, gumbel + root.logits, -np.inf)
        considered = np.zeros_like(root.mask)
        considered[np.argsort(-ranking, kind="stable")[:count]] = True
        sequence = considered_visit_sequence(count, config.simulations)
    elif explore:
        assert rng is not None
        noise = np.zeros(len(root.mask))
        noise[root.mask] = rng.dirichlet([dirichlet[0]] * int(root.mask.sum()))
        prior = (1 - dirichlet[1]) * prior + dirichlet[1] * noise
    max_depth = 0
    for simulation in range(config.simulations):
        node, path = root, []
        while True:
            if node is root and config.method == "gumbel":
                action = gumbel_root_action(root, gumbel, considered, sequence[simulation], config)
            elif config.method == "gumbel":
                scores = improved_policy(node, config) - node.child_visits / (1.0 + node.visits)
                action = int(np.where(node.mask, scores, -np.inf).argmax())
            else:
                node_prior = prior if node is root else masked_softmax(node.logits, node.mask)
                action = int(puct_scores(node, node_prior, config.c_puct).argmax())
            path.append((node, action))
            child = node.children.get(action)
            if child is None:
                child = _expand(node, action, evaluate, config, ranked)
                node.children[action] = child
                value = child.raw_value
                break
            if child.terminal:  # a known end of the episode: its outcome again
                value = child.raw_value
                break
            node = child
        max_depth = max(max_depth, len(path))
        for parent, action in reversed(path):
            child = parent.children[action]
            if config.value_target == "return":
                value = child.reward + config.gamma * value
            parent.child_visits[action] += 1
            parent.child_values[action] += value
    # The decision and the target.
    if config.method == "gumbel":
        most = root.child_visits[considered].max()
        final = considered & (root.child_visits == most)
        scores = gumbel + root.logits + sigma(root, config)
        action = int(np.where(final, scores, -np.inf).argmax())
        target = improved_policy(root, config)
    else:
        target = root.child_visits / root.child_visits.sum()
        if sample:
            assert rng is not None
            action = int(rng.choice(len(target), p=target))
        else:  # the most visited; ties: the higher prior
            best = root.child_visits == root.child_visits.max()
            action = int(np.where(best, prior, -np.inf).argmax())
    return SearchResult(action, target, root.value(), root.child_visits.copy(), max_depth,
                        time.perf_counter() - started, root)


def _evaluate(evaluate: Evaluator, node: Node, config: SearchConfig) -> tuple[np.ndarray, float]:
    logits, value = evaluate(node.observation)
    logits = np.where(node.mask, np.asarray(logits, dtype=np.float64), -1e9)
    value = float(value)
    if config.value_target == "ranked":  # the ranked outcome lies in [-1, 1]
        value = min(1.0, max(-1.0, value))
    return logits, value


def _score(evaluate: Evaluator, node: Node, config: SearchConfig,
           ranked: RankedReward | None) -> tuple[np.ndarray, float]:
    """A state's prior logits and value: the network's value, mixed with a greedy rollout's outcome when
    ``rollout_weight`` is above 0 (the root as every expanded state: its value enters the completed Q of its
    unvisited actions, the PUCT normalization and the reported root value)."""
    logits, value = _evaluate(evaluate, node, config)
    if config.rollout_weight > 0:
        outcome = rollout_value(node, evaluate, config, ranked, logits)
        value = (1.0 - config.rollout_weight) * value + config.rollout_weight * outcome
    return logits, value


def _expand(parent: Node, action: int, evaluate: Evaluator, config: SearchConfig,
            ranked: RankedReward | None) -> Node:
    """Step a clone of the parent's environment with ``action``; evaluate the new state or score its end."""
    env = parent.env.clone()
    observation, reward, terminated, truncated, info = env.step(action)
    solved = bool(info.get("is_success"))
    child = Node(env, observation, float(reward), bool(terminated or truncated), solved,
                 parent.episode_return + float(reward))
    if child.terminal:
        if config.value_target == "ranked":
            assert ranked is not None
            child.raw_value = ranked.outcome(child.episode_return, solved)
        else:
            child.raw_value = 0.0
    elif child.mask.any():
        child.logits, child.raw_value = _score(evaluate, child, config, ranked)
    else:  # no legal action: nothing can follow, treat as an end
        child.terminal = True
    return child


ROLLOUT_STEP_LIMIT = 100_000  # a rollout this long means an environment without a step budget: refused


def rollout_value(node: Node, evaluate: Evaluator, config: SearchConfig, ranked: RankedReward | None,
                  logits: np.ndarray | None = None) -> float:
    """Play the network's greedy policy (its most probable legal action) on a clone of ``node``'s environment
    until the episode ends (the task's step budget bounds it): the discounted return from ``node`` (``return``)
    or the ranked outcome of the whole episode (``ranked``). A state with no legal action ends the rollout.
    ``logits``: the network's logits at ``node`` when the caller has them (its first move is taken from them,
    not from a second evaluation)."""
    env = node.env.clone()
    observation, mask = node.observation, node.mask
    total, discount, episode_return, solved = 0.0, 1.0, node.episode_return, False
    for _ in range(ROLLOUT_STEP_LIMIT):
        if not mask.any():
            break
        if logits is None:
            logits, _ = evaluate(observation)
        action = int(np.where(mask, np.asarray(logits, dtype=np.float64), -np.inf).argmax())
        logits = None
        observation, reward, terminated, truncated, info = env.step(action)
        total += discount * float(reward)
        discount *= config.gamma
        episode_return += float(reward)
        if terminated or truncated:
            solved = bool(info.get("is_success"))
            break
        mask = np.asarray(observation["action_mask"], dtype=bool)
    else:
        raise ValueError(f"a rollout ran {ROLLOUT_STEP_LIMIT:,} steps and the episode did not end: rollouts need an "
                         f"environment whose episodes end (a step budget)")
    if config.value_target == "ranked":
        assert ranked is not None
        return ranked.outcome(episode_return, solved)
    return total


# ------------------------------------------------------------------------------------------- network helpers
def network_evaluator(network: PolicyNetwork, device: torch.device) -> Evaluator:
    """``observation -> (logits, value)`` for one observation of a :class:`PolicyNetwork`."""
    keys = network.observation_keys

    @torch.no_grad()
    def evaluate(observation: dict[str, np.ndarray]) -> tuple[np.ndarray, float]:
        batch = {key: np.asarray(observation[key])[None] for key in keys if key in observation}
        logits, value = network(to_tensors(batch, keys, device))
        return logits[0].float().cpu().numpy(), float(value[0])

    return evaluate


POLICY_WEIGHT_KEYS = ("network", "policy", "q_network", "model")  # where an agent's state may hold its policy


def find_policy_weights(network: torch.nn.Module, state: dict[str, Any]) -> dict[str, torch.Tensor]:
    """The weights in an agent's saved state that fit ``network`` exactly (same names or the PPO actor-critic's
    names under ``network.``, same shapes); raises ValueError saying what was found otherwise."""
    wanted = {key: value.shape for key, value in network.state_dict().items()}
    problems = []
    for key in POLICY_WEIGHT_KEYS:
        candidate = state.get(key)
        if not isinstance(candidate, dict) or not candidate:
            continue
        for prefix in ("", "network."):
            renamed = {prefix + name: value for name, value in candidate.items()}
            if set(renamed) == set(wanted) and all(tuple(renamed[k].shape) == tuple(wanted[k]) for k in wanted):
                return renamed
        shapes = {name: tuple(value.shape) for name, value in candidate.items() if hasattr(value, "shape")}
        problems.append(f"{key!r} holds {len(shapes)} tensors (first {next(iter(shapes.items()), None)})")
    if not problems:  # no sizes would help
        raise ValueError("the run's checkpoint holds no policy network to start from (alphazero starts from the "
                         "policy of a ppo, bc or alphazero run)")
    found = "; ".join(problems)
    raise ValueError(f"the run's checkpoint has no policy this network can load ({found}); build the alphazero "
                     f"agent with the same policy kind and sizes (e.g. --set hidden_sizes=...)")


# ------------------------------------------------------------------------------------------------------- agent
class AlphaZeroAgent(Agent):
    """Self-play with search, learning the search's policy and the ranked outcome (see the module docstring)."""

    name: ClassVar[str] = "alphazero"

    def __init__(self, config: Config, observation_space: Any, action_space: Any, device: torch.device,
                 precision: Precision, seed: int) -> None:
        self.config = config
        self.device = torch.device(device)
        self.precision = precision
        self.num_actions = int(action_space.n)
        policy_config = MLPPolicyConfig(hidden_sizes=config.hidden_sizes, shared_trunk=config.shared_trunk,
                                        factored_actions=config.factored_actions) if config.policy == "mlp" else None
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            self.network: PolicyNetwork = build_policy(config.policy, observation_space, action_space,
                                                       policy_config)
        self.network.to(self.device)
        # the keys the network reads that the environment provides (a transformer's optional ones may be absent)
        self.keys = tuple(key for key in self.network.observation_keys
                          if key != "action_mask" and key in observation_space.spaces)
        self.reference: PolicyNetwork | None = None  # the warm start's policy, frozen (kl_coef)
        # Decoupled weight decay (AdamW): Adam's own ``weight_decay`` adds ``c * w`` to the gradient, which Adam
        # then normalizes, so wherever the loss gradient is small (or clipped small) every weight moves by about
        # the learning rate towards 0 at each step; a warm-started network lost half its norm in 1,600 updates.
        self.optimizer = adam(self.network.parameters(), self.device, decoupled=True, lr=config.learning_rate,
                              weight_decay=config.weight_decay)
        self.rng = np.random.default_rng(seed)  # search noise, action sampling, ranked-reward coins
        # act() draws from its own stream, so evaluating between iterations never changes what training does next.
        self.act_rng = np.random.default_rng([seed, 1])
        self.generator = torch.Generator(device="cpu").manual_seed(seed)  # minibatch draws
        self.ranked = RankedReward(config.ranked_buffer, config.ranked_percentile)
        self.replay: deque[dict[str, Any]] = deque(maxlen=config.replay_size)
        self.episodes: list[list[dict[str, Any]]] = [[] for _ in range(config.num_envs)]  # positions in progress
        self.returns = np.zeros(config.num_envs)
        self.iteration = 0
        self.env_steps = 0

    # -------------------------------------------------------------------------------------------------- acting
    def evaluator(self) -> Evaluator:
        self.network.eval()
        return network_evaluator(self.network, self.device)

    @torch.no_grad()
    def _logits(self, obs: dict[str, np.ndarray], masks: np.ndarray) -> np.ndarray:
        """The network's prior logits (n, N) for a batch of observations under ``masks``."""
        self.network.eval()
        batch = {key: obs[key] for key in self.keys}
        batch["action_mask"] = np.asarray(masks, dtype=bool)
        logits, _ = self.network(to_tensors(batch, self.network.observation_keys, self.device))
        return logits.float().cpu().numpy().astype(np.float64)

    def act(self, obs: dict[str, np.ndarray], masks: np.ndarray, deterministic: bool = False) -> np.ndarray:
        """The network's own policy, without search (search needs the environment: :meth:`evaluation_policy`)."""
        logits = self._logits(obs, masks)
        if deterministic:
            return np.where(masks, logits, -np.inf).argmax(-1)
        return np.asarray([self.act_rng.choice(len(row), p=masked_softmax(row, mask)) for row, mask in
                           zip(logits, np.asarray(masks, dtype=bool))])

    def action_probabilities(self, obs: dict[str, np.ndarray], masks: np.ndarray) -> np.ndarray:
        """The network's own policy (the search's prior): the probability of every action, 0 for illegal ones,
        (n, N) (``sheetrl demo --explain``)."""
        return np.stack([masked_softmax(row, mask) for row, mask in
                         zip(self._logits(obs, masks), np.asarray(masks, dtype=bool))])

    def evaluation_policy(self, simulations: int | None = None) -> SearchPolicy:
        """The policy the runner's final evaluation plays: this network with its own search on top."""
        return SearchPolicy(self.evaluator(), self.config.search_config(simulations), self.ranked)

    # ------------------------------------------------------------------------------------------------ training
    def train_iteration(self, pool: SheetVectorEnv) -> tuple[int, dict[str, float]]:
        """One searched move in every environment, then ``updates_per_iteration`` gradient steps."""
        if pool.num_envs != self.config.num_envs:
            raise ValueError(f"alphazero: the pool has {pool.num_envs} environments but the config says "
                             f"num_envs={self.config.num_envs}")
        config = self.config
        search = config.search_config()
        evaluate = self.evaluator()
        actions = np.zeros(pool.num_envs, dtype=np.int64)
        stats: dict[str, list[float]] = {"root_value": [], "seconds": [], "depth": [], "entropy": []}
        for i, env in enumerate(pool.envs):
            observation = {key: pool.obs[key][i] for key in pool.obs}
            moves = len(self.episodes[i])
            result = run_search(env, observation, evaluate, search, episode_return=float(self.returns[i]),
                                ranked=self.ranked, rng=self.rng, explore=True,
                                sample=config.search == "puct" and moves < config.sample_moves,
                                dirichlet=(config.dirichlet_alpha, config.dirichlet_fraction))
            actions[i] = result.action
            self.episodes[i].append({"observation": {key: np.array(observation[key]) for key in self.keys},
                                     "mask": observation["action_mask"].astype(bool), "policy": result.policy,
                                     "reward": 0.0})
            positive = result.policy[result.policy > 0]
            stats["root_value"].append(result.root_value)
            stats["seconds"].append(result.seconds)
            stats["depth"].append(result.max_depth)
            stats["entropy"].append(float(-(positive * np.log(positive)).sum()))
        _, rewards, terminated, truncated, infos = pool.step(actions)
        finished = 0
        for i in range(pool.num_envs):
            self.episodes[i][-1]["reward"] = float(rewards[i])
            self.returns[i] += float(rewards[i])
            if terminated[i] or truncated[i]:
                self._finish_episode(i, bool(infos["final_info"][i].get("is_success")))
                finished += 1
        metrics = {f"search/{key}": float(np.mean(values)) for key, values in stats.items()}
        metrics["search/simulations"] = float(search.simulations)
        threshold = self.ranked.threshold()
        if threshold is not None:
            metrics["ranked/threshold"] = threshold
        metrics["charts/replay_size"] = float(len(self.replay))
        if len(self.replay) >= config.batch_size:
            for _ in range(config.updates_per_iteration):
                metrics.update(self.update())
        self.iteration += 1
        self.env_steps += pool.num_envs
        return pool.num_envs, metrics

    def _finish_episode(self, index: int, solved: bool) -> None:
        """Give every position of a finished episode its value target and move it into the replay."""
        positions, episode_return = self.episodes[index], float(self.returns[index])
        if self.config.value_target == "ranked":
            outcome = self.ranked.outcome(episode_return, solved, self.rng)
            targets = [outcome] * len(positions)
        else:
            targets, running = [], 0.0
            for position in reversed(positions):
                running = position["reward"] + self.config.gamma * running
                targets.append(running)
            targets.reverse()
        self.ranked.record(episode_return)
        for position, target in zip(positions, targets):
            self.replay.append({"observation": position["observation"], "mask": position["mask"],
                                "policy": position["policy"].astype(np.float32), "value": float(target)})
        self.episodes[index] = []
        self.returns[index] = 0.0

    def update(self) -> dict[str, float]:
        """One gradient step: ``accumulation_steps`` micro-batches (:meth:`_backward`), then the optimizer step, so
        no accumulated gradient outlives the update (a checkpoint holds none); the losses are their means."""
        self.network.train()
        sums: dict[str, float] = {}
        micro_batches = self.precision.accumulation_steps
        for _ in range(micro_batches):
            for key, value in self._backward().items():
                sums[key] = sums.get(key, 0.0) + value
            self.precision.step(self.optimizer, self.network.parameters(), self.config.max_grad_norm)
        return {key: total / micro_batches for key, total in sums.items()}

    def _backward(self) -> dict[str, float]:
        """The gradient of one uniform minibatch of the replay: ``policy_coef`` times the cross-entropy to the
        search policy, plus ``value_coef`` times the squared error to the value target, plus (warm-started, with
        ``kl_coef > 0``) ``kl_coef`` times KL(policy || the initial policy) over the legal actions."""
        picks = torch.randint(len(self.replay), (self.config.batch_size,), generator=self.generator).tolist()
        samples = [self.replay[i] for i in picks]
        batch = {key: np.stack([s["observation"][key] for s in samples]) for key in self.keys}
        batch["action_mask"] = np.stack([s["mask"] for s in samples])
        tensors = to_tensors(batch, self.network.observation_keys, self.device)
        policy_target = torch.as_tensor(np.stack([s["policy"] for s in samples]), device=self.device)
        value_target = torch.as_tensor([s["value"] for s in samples], dtype=torch.float32, device=self.device)
        with self.precision.autocast():
            logits, values = self.network(tensors)
        log_probs = torch.log_softmax(logits.float(), dim=-1)
        policy_loss = -(policy_target * log_probs.masked_fill(policy_target == 0, 0.0)).sum(-1).mean()
        value_loss = ((values.float() - value_target) ** 2).mean()
        loss = self.config.value_coef * value_loss
        if self.config.policy_coef > 0:  # 0: the policy's own layers get no gradient at all, so AdamW skips them
            loss = loss + self.config.policy_coef * policy_loss  # (a zero gradient would still decay their weights)
        metrics: dict[str, float] = {}
        if self.reference is not None and self.config.kl_coef > 0:
            with torch.no_grad(), self.precision.autocast():
                reference_logits, _ = self.reference(tensors)
            kl_to_init = masked_kl_divergence(log_probs, torch.log_softmax(reference_logits.float(), dim=-1),
                                              tensors["action_mask"]).mean()
            loss = loss + self.config.kl_coef * kl_to_init
            metrics["losses/kl_to_init"] = float(kl_to_init.item())
        self.precision.backward(loss)
        return {"losses/policy_loss": float(policy_loss.item()), "losses/value_loss": float(value_loss.item()),
                **metrics}

    # -------------------------------------------------------------------------------------------- warm start
    def warm_start(self, payload: dict[str, Any]) -> str:
        """Load the policy of another run's checkpoint (PPO, a policy of ``models/``, alphazero); returns a line
        saying what was loaded. Only the network: the optimizer, replay and counters start afresh."""
        state = payload.get("agent", {}).get("state", {})
        try:
            weights = find_policy_weights(self.network, state)
        except ValueError:
            saved = payload.get("agent", {}).get("config") or state.get("config")
            holds_weights = any(isinstance(state.get(key), dict) and state.get(key) for key in POLICY_WEIGHT_KEYS)
            if isinstance(saved, dict) and holds_weights:  # name the network field that differs, where one does
                # (a run without such weights, e.g. hierarchical's several networks, fits no field's value)
                check_same_network(saved, self.config, "alphazero")
            raise
        self.network.load_state_dict(weights)
        if self.config.kl_coef > 0:
            self.reference = frozen_copy(self.network)
        return f"warm start: the {payload.get('agent', {}).get('name', '?')} policy ({len(weights)} tensors)"

    # ----------------------------------------------------------------------------------------------- state
    def state_dict(self) -> dict[str, Any]:
        return {
            "config": asdict(self.config),
            "network": self.network.state_dict(),
            "reference": None if self.reference is None else self.reference.state_dict(),
            "optimizer": self.optimizer.state_dict(),
            "precision": self.precision.state_dict(),
            "rng": self.rng.bit_generator.state,
            "act_rng": self.act_rng.bit_generator.state,
            "generator": self.generator.get_state(),
            "ranked": list(self.ranked.returns),
            "replay": list(self.replay),
            "episodes": [list(positions) for positions in self.episodes],
            "returns": self.returns.tolist(),
            "iteration": self.iteration,
            "env_steps": self.env_steps,
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        saved = state["config"]
        saved = {**saved, "factored_actions": factoring(saved.get("factored_actions", "off"))}
        for key in ("policy", "hidden_sizes", "shared_trunk", "num_envs", "factored_actions"):
            if tuple(np.atleast_1d(saved[key])) != tuple(np.atleast_1d(getattr(self.config, key))):
                raise ValueError(f"alphazero: the saved agent has {key}={saved[key]!r}, this one "
                                 f"{getattr(self.config, key)!r}; build the agent with the saved config")
        self.network.load_state_dict(state["network"])
        reference = state.get("reference")
        self.reference = None if reference is None else frozen_copy(self.network, reference)
        self.optimizer.load_state_dict(state["optimizer"])
        self.precision.load_state_dict(state["precision"])
        self.rng.bit_generator.state = state["rng"]
        self.act_rng.bit_generator.state = state["act_rng"]
        self.generator.set_state(state["generator"])
        self.ranked.returns = deque(state["ranked"], maxlen=self.config.ranked_buffer)
        self.replay = deque(state["replay"], maxlen=self.config.replay_size)
        self.episodes = [list(positions) for positions in state["episodes"]]
        self.returns = np.asarray(state["returns"], dtype=np.float64)
        self.iteration = int(state["iteration"])
        self.env_steps = int(state["env_steps"])


def build(config: Config, observation_space: Any, action_space: Any, device: torch.device | str,
          precision: Precision, seed: int) -> AlphaZeroAgent:
    """An AlphaZero agent for a SpreadsheetEnv's spaces."""
    if getattr(action_space, "n", None) is None:
        raise ValueError(f"alphazero needs a Discrete action space, not {action_space!r}")
    return AlphaZeroAgent(config, observation_space, action_space, torch.device(device), precision, seed)


# ------------------------------------------------------------------------------------------ search on top
class SearchPolicy:
    """An evaluation policy (:class:`sheetrl.train.evaluate.Policy`) that searches before every move: it keeps
    each slot's environment (given at the start of an episode), searches a clone tree from it, and plays the
    search's choice deterministically (no root noise)."""

    name = "agent"

    def __init__(self, evaluate: Evaluator, config: SearchConfig, ranked: RankedReward | None = None) -> None:
        self.evaluate = evaluate
        self.config = config
        self.ranked = ranked if ranked is not None else RankedReward(1, 50.0)
        self.envs: dict[int, Any] = {}
        self.returns: dict[int, float] = {}
        self.seconds: list[float] = []  # time per move, for the benchmark
        self.last: dict[int, SearchResult] = {}  # each slot's latest search (sheetrl demo --explain shows it)

    def start(self, slot: int, env: Any, episode: int) -> None:
        self.envs[slot] = env
        self.returns[slot] = 0.0

    def act(self, obs: dict[str, np.ndarray], masks: np.ndarray, slots: list[int]) -> np.ndarray:
        actions = []
        for row, slot in enumerate(slots):
            observation = {key: obs[key][row] for key in obs}
            # the root's legal actions are the ones the caller allows (AvoidRepeats narrows them)
            observation["action_mask"] = np.asarray(masks[row], dtype=observation["action_mask"].dtype)
            result = run_search(self.envs[slot], observation, self.evaluate, self.config,
                                episode_return=self.returns[slot], ranked=self.ranked)
            # The environment is deterministic: the real step gives the reward the tree saw on this edge.
            self.returns[slot] += result.root.children[result.action].reward if result.action in \
                result.root.children else 0.0
            self.seconds.append(result.seconds)
            self.last[slot] = result
            actions.append(result.action)
        return np.asarray(actions)


def search_policy(agent: Any, simulations: int, method: str = "gumbel",
                  rollout_weight: float | None = None) -> SearchPolicy:
    """Search on top of a trained agent's policy: an alphazero agent searches as it was trained to; any other
    agent's prior and value come from :func:`policy_evaluator`, and the value is of the discounted return (the
    ``return`` target, the agent's own gamma). ``rollout_weight``: the greedy rollouts' share of a new state's
    value (None: an alphazero agent's own setting, 0 for any other agent)."""
    if simulations < 1:
        raise ValueError(f"search needs at least one simulation, not {simulations}")
    if isinstance(agent, AlphaZeroAgent):  # (SearchConfig checks the weight, replaced or new)
        policy = agent.evaluation_policy(simulations)
        if rollout_weight is not None:
            policy.config = replace(policy.config, rollout_weight=rollout_weight)
        return policy
    config = SearchConfig(simulations=simulations, method=method, value_target="return", gamma=agent_discount(agent),
                          rollout_weight=rollout_weight or 0.0)
    return SearchPolicy(policy_evaluator(agent), config)


def agent_discount(agent: Any) -> float:
    """The discount of an agent's values: its config's ``gamma`` (0.99 for an agent whose config has none)."""
    return float(getattr(getattr(agent, "config", None), "gamma", 0.99))


def policy_evaluator(agent: Any) -> Evaluator:
    """``observation -> (prior logits, value)`` of a trained agent, its networks put in evaluation mode: a PPO or
    BC actor-critic's logits and value; a DQN agent's Q-values (prior ``softmax(Q)``, value ``max Q``); an agent
    with a ``search_evaluation(observation) -> (prior logits, value)`` method (the hierarchy, an ensemble) gives
    them itself. Raises ValueError for an agent without a policy network (tabular Q)."""
    own_evaluation = getattr(agent, "search_evaluation", None)
    if own_evaluation is not None:  # an agent of several networks gives its prior and value itself
        for part in getattr(agent, "networks", {}).values():
            part.eval()
        return cast(Evaluator, own_evaluation)
    network = getattr(agent, "network", None) or getattr(agent, "q_network", None)
    if network is None:
        raise ValueError(f"search needs a policy network; a {getattr(agent, 'name', type(agent).__name__)} agent "
                         f"has none")
    network.eval()
    device = getattr(agent, "device", torch.device("cpu"))
    if isinstance(network, PolicyNetwork):
        return network_evaluator(network, device)

    @torch.no_grad()
    def evaluate(observation: dict[str, np.ndarray]) -> tuple[np.ndarray, float]:
        flat = torch.as_tensor(np.asarray(observation["flat"], dtype=np.float32)[None], device=device)
        output = network(flat)
        if isinstance(output, tuple):  # an actor-critic: (logits, value)
            return output[0][0].float().cpu().numpy(), float(output[1][0])
        q = output[0].float().cpu().numpy()  # Q-values
        return q, float(q[np.asarray(observation["action_mask"], dtype=bool)].max())

    return evaluate
