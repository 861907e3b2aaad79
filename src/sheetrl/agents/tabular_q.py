"""Tabular Q-learning (Watkins & Dayan, 1992) over a documented, finite abstraction of the state.

The seed's "reality" baseline: no function approximation, a dictionary from an abstract state to one Q-value per
macro action. Everything an L1 task needs to be solved can be read off a handful of observation features, so the
table stays small (a few hundred keys on L1) while every state that calls for a different action gets its own key.

State abstraction
-----------------
:func:`state_key` maps one observation to a tuple of small integers and words, built from the documented layout of
the ``flat`` vector (:mod:`sheetrl.env.observation`) and the ``instruction`` tokens:

1. **level** — the index of the level one-hot (1-5);
2. **template** — the instruction's first ``instruction_words`` words (letters only, at least two of them, so
   cell addresses, digits and the article "a" are skipped): "enter", "type", "bold", "make", "clear", "fix" ...
   A finite stand-in for "which sub-template is this", read the way a person skims an instruction;
3. **slots** — which structured parameters the instruction carries (value, threshold, rate cell, lookup table,
   criteria range, pivot), six bits;
4. **offset to the next target cell** — rows and columns from the cursor to the first target at or after it in
   reading order, each clipped to ``[-offset_clip, offset_clip]``, and whether the cursor is on it;
5. **cursor cell** — its kind (empty, number, text, boolean, error), and whether it holds a formula, is bold,
   has a number format: "does this target already look satisfied?";
6. **selection** — whether a selection anchor is set;
7. **mask bits that matter** — whether each action named in ``mask_actions`` is legal (e.g. "write the
   instructed value" needs a value slot; "SUM above" needs a numeric block above the cursor).

The key deliberately ignores the cells' values and the table's position, which is what makes one key cover many
tasks and lets the table generalize to held-out evaluation tasks.

Algorithm
---------
Epsilon-greedy over the *legal* actions (epsilon decays linearly from ``epsilon_start`` to ``epsilon_end`` over
``exploration_steps`` environment steps); after each step of every environment in the pool::

    target = r                                            if the episode terminated
    target = r + gamma * max_{a' legal in s'} Q(s', a')   otherwise (truncation bootstraps from the final state)
    Q(s, a) += learning_rate * (target - Q(s, a))

Unseen keys start at ``initial_q`` for every action.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

import numpy as np

from sheetrl.agents.base import Agent, epsilon_greedy, linear_epsilon, masked_argmax
from sheetrl.env.actions import MACROS
from sheetrl.env.observation import FLAT_LAYOUT, MASK_SLOTS, SLOT_NAMES, Channel, flat_window_index
from sheetrl.train.pool import EnvPool

# Positions inside the flat observation (see ObservationBuilder.flat and FLAT_LAYOUT).
_CURSOR = FLAT_LAYOUT["cursor"].start
_LEVEL = FLAT_LAYOUT["level"].start
_SLOTS = FLAT_LAYOUT["slots"].start
_ANCHOR = FLAT_LAYOUT["selection"].start
_WORD = re.compile(r"^[a-z]{2,}$")
_KIND_CHANNELS = (Channel.NUMBER, Channel.TEXT, Channel.BOOLEAN, Channel.ERROR)  # kinds 1-4 of the cursor cell
_KIND_AT_CURSOR = [flat_window_index(channel) for channel in _KIND_CHANNELS]
_FORMULA, _BOLD, _FORMATTED = (flat_window_index(c) for c in (Channel.FORMULA, Channel.BOLD, Channel.NUMBER_FORMAT))


@dataclass
class Config:
    """Tabular Q-learning hyper-parameters."""

    num_envs: int = 8  # environments stepped together in the pool
    learning_rate: float = 0.1  # step size alpha of the Q-learning update
    gamma: float = 0.99  # discount factor
    epsilon_start: float = 1.0  # exploration probability at the first step
    epsilon_end: float = 0.05  # exploration probability after the decay
    exploration_steps: int = 200_000  # environment steps over which epsilon decays linearly
    initial_q: float = 0.0  # Q-value of every action in a key seen for the first time
    offset_clip: int = 2  # rows/columns to the next target are clipped to [-clip, clip]
    instruction_words: int = 1  # leading instruction words that identify the task template
    mask_actions: tuple[str, ...] = field(  # actions whose legality is part of the state key
        default=("write_instructed_value", "sum_above", "sum_left", "sum_selection"))

    def __post_init__(self) -> None:
        if self.num_envs < 1:
            raise ValueError(f"num_envs must be >= 1, not {self.num_envs}")
        if not 0.0 < self.learning_rate <= 1.0:
            raise ValueError(f"learning_rate must be in (0, 1], not {self.learning_rate}")
        if not 0.0 <= self.gamma <= 1.0:
            raise ValueError(f"gamma must be in [0, 1], not {self.gamma}")
        for name in ("epsilon_start", "epsilon_end"):
            if not 0.0 <= getattr(self, name) <= 1.0:
                raise ValueError(f"{name} must be in [0, 1], not {getattr(self, name)}")
        if self.exploration_steps < 1:
            raise ValueError(f"exploration_steps must be >= 1, not {self.exploration_steps}")
        if self.offset_clip < 0 or self.instruction_words < 0:
            raise ValueError("offset_clip and instruction_words must be >= 0")
        names = [m.name for m in MACROS]
        unknown = [a for a in self.mask_actions if a not in names]
        if unknown:
            raise ValueError(f"unknown actions in mask_actions: {unknown}; choose among {names}")
        self.mask_actions = tuple(self.mask_actions)


PRESETS = {
    "quick": Config(num_envs=8, exploration_steps=50_000),
    "seed": Config(),
}


class StateAbstraction:
    """Observation -> hashable key (see the module docstring)."""

    def __init__(self, config: Config, grid_rows: int, grid_cols: int, vocabulary_tokens: tuple[str, ...]) -> None:
        self.config = config
        self.grid_rows = grid_rows
        self.grid_cols = grid_cols
        self.tokens = vocabulary_tokens
        names = [m.name for m in MACROS]
        self.mask_indices = [names.index(a) for a in config.mask_actions]

    def template(self, instruction: np.ndarray) -> tuple[str, ...]:
        words: list[str] = []
        for token_id in instruction:
            if len(words) >= self.config.instruction_words or token_id == 0:
                break
            token = self.tokens[int(token_id)] if 0 <= int(token_id) < len(self.tokens) else ""
            if _WORD.match(token):
                words.append(token)
        return tuple(words)

    def key(self, flat: np.ndarray, instruction: np.ndarray, mask: np.ndarray) -> tuple:
        clip = self.config.offset_clip
        cursor = flat[_CURSOR:_CURSOR + 5]
        d_row = int(np.clip(round(float(cursor[2]) * self.grid_rows), -clip, clip))
        d_col = int(np.clip(round(float(cursor[3]) * self.grid_cols), -clip, clip))
        on_target = int(cursor[4] > 0.5)
        level = int(np.argmax(flat[_LEVEL:_LEVEL + 5])) + 1
        slots = tuple(int(v > 0.5) for v in flat[_SLOTS:_SLOTS + len(SLOT_NAMES)])
        kinds = [flat[index] > 0.5 for index in _KIND_AT_CURSOR]
        kind = kinds.index(True) + 1 if any(kinds) else 0
        formula, bold, formatted = (int(flat[index] > 0.5) for index in (_FORMULA, _BOLD, _FORMATTED))
        anchor = int(flat[_ANCHOR] > 0.5)
        legal = tuple(int(mask[i]) for i in self.mask_indices)
        return (level, self.template(instruction), slots, d_row, d_col, on_target, kind, formula, bold, formatted,
                anchor, legal)


class TabularQAgent(Agent):
    """Q-learning with a dictionary table over :class:`StateAbstraction` keys."""

    name: ClassVar[str] = "tabular_q"

    def __init__(self, config: Config, abstraction: StateAbstraction, n_actions: int, seed: int) -> None:
        self.config = config
        self.abstraction = abstraction
        self.n_actions = n_actions
        self.table: dict[tuple, np.ndarray] = {}
        self.env_steps = 0
        self.rng = np.random.default_rng(seed)

    # ------------------------------------------------------------------------------------------------- acting
    @property
    def epsilon(self) -> float:
        c = self.config
        return linear_epsilon(c.epsilon_start, c.epsilon_end, c.exploration_steps, self.env_steps)

    def q_values(self, key: tuple) -> np.ndarray:
        """The row of a key (a fresh row of ``initial_q`` for an unseen key, not stored)."""
        row = self.table.get(key)
        return row if row is not None else np.full(self.n_actions, self.config.initial_q)

    def keys(self, obs: dict[str, np.ndarray], masks: np.ndarray) -> list[tuple]:
        return [self.abstraction.key(obs["flat"][i], obs["instruction"][i], masks[i]) for i in range(len(masks))]

    def act(self, obs: dict[str, np.ndarray], masks: np.ndarray, deterministic: bool = False) -> np.ndarray:
        masks = np.asarray(masks, dtype=bool)
        values = np.stack([self.q_values(k) for k in self.keys(obs, masks)])
        greedy = masked_argmax(values, masks)
        if deterministic:
            return greedy
        return epsilon_greedy(greedy, masks, self.epsilon, self.rng)

    # ----------------------------------------------------------------------------------------------- learning
    def train_iteration(self, pool: EnvPool) -> tuple[int, dict[str, float]]:
        """One step of every environment in the pool, and one Q-learning update per transition."""
        c = self.config
        masks = pool.masks
        keys = self.keys(pool.obs, masks)
        actions = self.act(pool.obs, masks)
        next_obs, rewards, terminated, truncated, infos = pool.step(actions)
        td_errors = []
        for i, (key, action) in enumerate(zip(keys, actions)):
            if terminated[i]:
                target = float(rewards[i])
            else:
                following = infos[i]["final_obs"] if truncated[i] else {k: v[i] for k, v in next_obs.items()}
                next_mask = following["action_mask"].astype(bool)
                next_key = self.abstraction.key(following["flat"], following["instruction"], next_mask)
                next_values = self.q_values(next_key)
                best = float(next_values[next_mask].max()) if next_mask.any() else 0.0
                target = float(rewards[i]) + c.gamma * best
            row = self.table.get(key)
            if row is None:
                row = self.table[key] = np.full(self.n_actions, c.initial_q)
            td_error = target - row[action]
            row[action] += c.learning_rate * td_error
            td_errors.append(td_error)
        self.env_steps += pool.n
        metrics = {
            "losses/td_error": float(np.mean(np.abs(td_errors))),
            "charts/epsilon": self.epsilon,
            "charts/table_size": float(len(self.table)),
        }
        return pool.n, metrics

    # -------------------------------------------------------------------------------------------- checkpoints
    def state_dict(self) -> dict[str, Any]:
        return {
            "table": {key: row.copy() for key, row in self.table.items()},
            "env_steps": self.env_steps,
            "numpy_rng": self.rng.bit_generator.state,
        }

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self.table = {key: np.asarray(row, dtype=np.float64).copy() for key, row in state["table"].items()}
        self.env_steps = int(state["env_steps"])
        self.rng.bit_generator.state = state["numpy_rng"]


def build(config: Config, observation_space: Any, action_space: Any, device: Any = "cpu", precision: Any = None,
          seed: int = 0) -> TabularQAgent:
    """A tabular Q agent for the environment's spaces (``device`` and ``precision`` are unused: no tensors)."""
    from sheetrl.env.spreadsheet_env import instruction_vocabulary

    if not isinstance(config, Config):
        raise TypeError(f"tabular_q.build needs a tabular_q.Config, not {type(config).__name__}")
    spaces = getattr(observation_space, "spaces", None)
    needed = ("flat", "instruction", "grid", "action_mask")
    if spaces is None or any(k not in spaces for k in needed):
        raise ValueError(f"tabular Q needs a Dict observation space with keys {needed}")
    n_actions = int(getattr(action_space, "n", 0))
    if n_actions < 1 or n_actions > MASK_SLOTS:
        raise ValueError(f"tabular Q needs a Discrete action space with 1..{MASK_SLOTS} actions, not {action_space}")
    _, rows, cols = spaces["grid"].shape
    abstraction = StateAbstraction(replace(config), rows, cols, instruction_vocabulary().tokens)
    return TabularQAgent(config, abstraction, n_actions, seed)
