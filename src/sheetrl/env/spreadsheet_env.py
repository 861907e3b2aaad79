"""The Gymnasium environment: an agent edits a spreadsheet to carry out an instruction."""

from __future__ import annotations

import random
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from sheetrl.env.actions import MACROS, N_ACTIONS, Context
from sheetrl.env.commands import Command, CommandError, parse_command
from sheetrl.env.observation import CHANNELS, FLAT_SIZE, ObservationBuilder
from sheetrl.env.rewards import TERMS, RewardConfig, RewardFunction
from sheetrl.env.state import SheetState
from sheetrl.env.tasks import EVAL_SEED_OFFSET, LEVELS, Task, check, family_module, make_task
from sheetrl.env.tasks.base import GRID_COLS, GRID_ROWS


@dataclass(frozen=True)
class EnvConfig:
    """Environment settings (every field has a sensible default for all five levels)."""

    level: int | str = 1  # 1-5, or "curriculum"
    grid_rows: int = GRID_ROWS  # rows of the observed grid (A1 at the top)
    grid_cols: int = GRID_COLS  # columns of the observed grid
    instruction_length: int = 48  # instruction tokens kept
    max_edges: int = 256  # dependency edges kept in the observation
    chain_length: int = 64  # formula-chain tokens kept
    max_steps: int | None = None  # override every task's own step budget
    split: str = "train"  # "train" draws training task seeds, "eval" evaluation seeds
    rewards: RewardConfig = field(default_factory=RewardConfig)
    curriculum_threshold: float = 0.8  # Curriculum-v0: advance when the rolling success rate exceeds this
    curriculum_window: int = 100  # Curriculum-v0: episodes in the rolling success rate
    curriculum_replay: float = 0.2  # Curriculum-v0: probability of replaying an earlier level

    def __post_init__(self) -> None:
        if self.level != "curriculum" and self.level not in LEVELS:
            raise ValueError(f"level must be one of {LEVELS} or 'curriculum', not {self.level!r}")
        if self.split not in ("train", "eval"):
            raise ValueError(f"split must be 'train' or 'eval', not {self.split!r}")
        if self.grid_rows < GRID_ROWS or self.grid_cols < GRID_COLS:
            raise ValueError(f"the grid must be at least {GRID_ROWS}x{GRID_COLS} (every task fits there)")
        for name in ("instruction_length", "max_edges", "chain_length"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be positive")
        if self.max_steps is not None and self.max_steps < 1:
            raise ValueError("max_steps must be positive")


@lru_cache(maxsize=1)
def instruction_vocabulary() -> Any:
    """The instruction tokenizer over every family's vocabulary (built once per process, deterministic)."""
    from sheetrl.env.tokens import InstructionVocabulary

    words: set[str] = set()
    for level in LEVELS:
        words.update(getattr(family_module(level), "VOCABULARY", []))
    return InstructionVocabulary(sorted(words))


class SpreadsheetEnv(gym.Env):
    """Edit a spreadsheet to carry out an instruction.

    ## Description
    Each episode draws a task from one of five procedural families (curriculum levels): L1 single-cell edits,
    L2 one aggregate formula, L3 a column of row formulas filled down plus totals, L4 a pivot table or SUMIF
    summary, L5 a multi-step model (projections, budgets, payroll, grade books). The agent sees the sheet, the
    instruction and a cursor, and acts through macro actions relative to the cursor (see ``env/actions.py``).

    ## Action Space
    ``Discrete(N)`` macro actions (N = 60 in v0): moves and Ctrl-jumps, go to the next target cell, selection,
    "write the instructed value", SUM/AVERAGE/MIN/MAX/COUNT of the block above / left / the selection, row and
    column arithmetic, share of total, running total, ROUND, IF-threshold, rate-cell products, VLOOKUP, SUMIF /
    COUNTIF / AVERAGEIF, fill down / right / selection, number formats, bold, italic, align, pivot, done.
    ``action_to_command(a)`` gives the command an action stands for; ``step_command`` accepts command text.

    ## Observation Space
    A ``Dict`` documented in :mod:`sheetrl.env.observation`: ``grid`` (C×H×W), ``instruction`` tokens,
    ``cell_tokens``, dependency ``edges``, ``formula_chain``, a 768-float ``flat`` vector and ``action_mask``.

    ## Rewards
    Five weighted terms, reported in ``info["reward_terms"]`` (see :mod:`sheetrl.env.rewards`): user feedback
    (×10), potential-based formula validity (×2) and progress (×1), action complexity (×−0.1), aesthetics (×0.5).
    An action that is masked out, or that the engine rejects, changes nothing and is penalized by −1.

    ## Starting State
    The task's initial workbook with the cursor at the task's start cell, nothing selected.

    ## Episode End
    ``terminated``: the task is solved (checked after every edit, including the perturbation test for
    formulas), or the agent chose ``done``. ``truncated``: the step budget (the task's ``max_steps`` or
    ``EnvConfig.max_steps``) ran out first.

    ## Arguments
    ``level`` (1-5 or "curriculum"), ``render_mode`` ("ansi" or "rgb_array"), ``config`` (:class:`EnvConfig`),
    plus any :class:`EnvConfig` field as a keyword. ``reset(seed=s)`` makes the episode sequence reproducible;
    ``reset(options={"task_seed": k})`` replays one task; ``options={"task": task}`` runs a given Task.

    ## Version History
    * v0: initial version.
    """

    metadata = {"render_modes": ["ansi", "rgb_array"], "render_fps": 4}

    def __init__(self, level: int | str | None = None, render_mode: str | None = None,
                 config: EnvConfig | None = None, **overrides: Any) -> None:
        super().__init__()
        config = config or EnvConfig()
        if level is not None:
            overrides["level"] = level
        if overrides:
            config = replace(config, **overrides)
        if render_mode is not None and render_mode not in self.metadata["render_modes"]:
            raise ValueError(f"render_mode must be one of {self.metadata['render_modes']}, not {render_mode!r}")
        self.config = config
        self.render_mode = render_mode
        self.rewards = RewardFunction(config.rewards)
        rows, cols = config.grid_rows, config.grid_cols
        vocabulary = instruction_vocabulary()
        from sheetrl.env.tokens import TokenVocabulary

        self.token_vocabulary = TokenVocabulary()
        self.action_space = spaces.Discrete(N_ACTIONS)
        self.observation_space = spaces.Dict(
            {
                "grid": spaces.Box(-5.0, 5.0, (CHANNELS, rows, cols), np.float32),
                "instruction": spaces.Box(0, len(vocabulary) - 1, (config.instruction_length,), np.int64),
                "cell_tokens": spaces.Box(0, 255, (rows * cols, 4), np.int64),
                "edges": spaces.Box(0, rows * cols, (2, config.max_edges), np.int64),
                "formula_chain": spaces.Box(0, len(self.token_vocabulary) - 1, (config.chain_length,), np.int64),
                "flat": spaces.Box(-5.0, 5.0, (FLAT_SIZE,), np.float32),
                "action_mask": spaces.Box(0, 1, (N_ACTIONS,), np.int8),
            }
        )
        self._builder = ObservationBuilder(rows, cols, config.instruction_length, config.max_edges,
                                           config.chain_length)
        self._vocabulary = vocabulary
        self.curriculum = None
        if config.level == "curriculum":
            from sheetrl.env.curriculum import CurriculumManager

            self.curriculum = CurriculumManager(
                threshold=config.curriculum_threshold, window=config.curriculum_window,
                replay_probability=config.curriculum_replay,
            )
        self.task: Task | None = None
        self.state: SheetState | None = None
        self._task_rng = random.Random(0)
        self._steps = 0
        self._history = []
        self._commands: list[Command | None] = []
        self._mask = np.zeros(N_ACTIONS, dtype=np.int8)
        self._changes: set[int] = set()
        self._last_info: dict[str, Any] = {}

    # --------------------------------------------------------------------------------------------------- reset
    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[dict, dict]:
        super().reset(seed=seed)
        if seed is not None:
            self._task_rng = random.Random(seed)
            if self.curriculum is not None:
                self.curriculum.seed(seed)
        options = options or {}
        task = options.get("task")
        if task is None:
            level = options.get("level")
            if level is None:
                level = self.curriculum.next_level() if self.curriculum is not None else self.config.level
            task_seed = options.get("task_seed")
            if task_seed is None:
                index = self._task_rng.randrange(EVAL_SEED_OFFSET)
                task_seed = index + (EVAL_SEED_OFFSET if self.config.split == "eval" else 0)
            task = make_task(int(level), int(task_seed))
        if not isinstance(task, Task):
            raise TypeError(f"options['task'] must be a Task, not {type(task).__name__}")
        self.task = task
        wb = task.workbook.clone()
        wb.record_undo = False
        self._changes = wb.track_changes()
        self.state = SheetState(wb, task.start)
        self._steps = 0
        self._history: list[str | None] = []
        self._builder.reset(wb, task, self._vocabulary.encode(task.instruction, self.config.instruction_length),
                            self.state.cursor)
        self._changes.clear()
        self.rewards.begin(task, wb)
        self._update_mask()
        info = {"level": task.level, "family": task.family, "template": task.template, "task_seed": task.seed,
                "instruction": task.instruction}
        self._last_info = info
        return self._observation(), dict(info)

    @property
    def max_steps(self) -> int:
        assert self.task is not None
        return self.config.max_steps or self.task.max_steps

    # ---------------------------------------------------------------------------------------------------- step
    def step(self, action: Any) -> tuple[dict, float, bool, bool, dict]:
        if self.task is None or self.state is None:
            raise RuntimeError("call reset() before step()")
        try:
            index = int(action)
        except (TypeError, ValueError):
            index = -1
        command = self._commands[index] if 0 <= index < N_ACTIONS else None
        return self._step(command, action_index=index)

    def step_command(self, command: str | Command) -> tuple[dict, float, bool, bool, dict]:
        """Step with a command (text or Command) instead of a macro action: for people and demonstrations.
        Bad text is an invalid action (penalized, nothing changes) and ``info["error"]`` says why."""
        if self.task is None or self.state is None:
            raise RuntimeError("call reset() before step_command()")
        error = None
        parsed: Command | None
        try:
            parsed = command if isinstance(command, Command) else parse_command(command)
        except CommandError as exc:
            parsed, error = None, str(exc)
        return self._step(parsed, action_index=None, parse_error=error)

    def _step(self, command: Command | None, action_index: int | None, parse_error: str | None = None
              ) -> tuple[dict, float, bool, bool, dict]:
        assert self.task is not None and self.state is not None
        task, state = self.task, self.state
        self._steps += 1
        info: dict[str, Any] = {"level": task.level, "template": task.template, "task_seed": task.seed}
        self._history.append(None if command is None else str(command))
        error = parse_error
        if command is None and error is None:
            error = f"action {action_index} is not available in this state (masked out)"
        if command is not None:
            try:
                state.apply(command)
            except CommandError as exc:
                error = str(exc)
        if error is not None:
            penalty = self.config.rewards.invalid_penalty
            terms = {name: 0.0 for name in TERMS}
            terms["invalid"] = penalty
            truncated = self._steps >= self.max_steps
            if truncated:
                terms["feedback"] = self.config.rewards.feedback * -1.0
            info.update(reward_terms=terms, error=error, command=None, is_success=False)
            reward = float(sum(terms.values()))
            self._finish(truncated, False)
            self._last_info = info
            return self._observation(), reward, False, truncated, info
        assert command is not None
        wb = state.workbook
        edited = bool(self._changes)
        if edited:
            self._builder.refresh_cells(wb, self._changes)
            self._changes.clear()
        potential = self.rewards.potential(wb, task) if edited else self.rewards.progress_potential
        solved = False
        if edited and potential == 0.0:
            solved = check(wb, task).success
        done = command.verb == "done"
        terminated = solved or done
        truncated = not terminated and self._steps >= self.max_steps
        episode_over = terminated or truncated
        if episode_over and not solved and not edited and done:
            solved = potential == 0.0 and check(wb, task).success
        terms = self.rewards.step(task, wb, command, edited, potential, solved, terminated, truncated)
        info.update(reward_terms=terms, command=str(command), is_success=solved)
        self._finish(episode_over, solved)
        self._update_mask()
        self._last_info = info
        return self._observation(), float(sum(terms.values())), terminated, truncated, info

    def _finish(self, episode_over: bool, solved: bool) -> None:
        if episode_over and self.curriculum is not None and self.task is not None:
            self.curriculum.record(self.task.level, solved)

    # ---------------------------------------------------------------------------------------------- snapshots
    def get_state(self) -> dict[str, Any]:
        """Everything needed to put an identical environment in this exact state (for checkpoints): the RNG
        states, the curriculum, the current task's level and seed, and the commands taken so far this episode.
        Tasks are deterministic, so :meth:`set_state` rebuilds the sheet by replaying the commands."""
        return {
            "task_rng": self._task_rng.getstate(),
            "curriculum": self.curriculum.state_dict() if self.curriculum is not None else None,
            "task": None if self.task is None else {"level": self.task.level, "seed": self.task.seed},
            "history": list(self._history),
            "steps": self._steps,
        }

    def set_state(self, state: dict[str, Any]) -> dict[str, np.ndarray] | None:
        """Restore a :meth:`get_state` snapshot; returns the current observation (None before any reset)."""
        task = state["task"]
        if task is not None:
            self.reset(options={"level": task["level"], "task_seed": task["seed"]})
            curriculum = self.curriculum
            self.curriculum = None  # replayed episodes must not be recorded twice
            try:
                for command in state["history"]:
                    self._step(None if command is None else parse_command(command), action_index=-1)
            finally:
                self.curriculum = curriculum
            self._steps = state["steps"]
        self._task_rng.setstate(_tuple_state(state["task_rng"]))
        if state["curriculum"] is not None and self.curriculum is not None:
            self.curriculum.load_state_dict(state["curriculum"])
        return self._observation() if task is not None else None

    # ------------------------------------------------------------------------------------------------ actions
    def _update_mask(self) -> None:
        assert self.task is not None and self.state is not None
        ctx = Context(self.state, self.task.slots, self.config.grid_rows, self.config.grid_cols,
                      self.task.target_cells, self.task.references)
        self._commands = [macro.resolve(ctx) for macro in MACROS]
        self._mask = np.fromiter((c is not None for c in self._commands), dtype=np.int8, count=N_ACTIONS)

    def action_masks(self) -> np.ndarray:
        """Boolean mask of the actions available now (the method sb3-contrib's MaskablePPO looks for)."""
        return self._mask.astype(bool)

    def action_to_command(self, action: int) -> Command | None:
        """The command a macro action stands for in the current state (None if it is masked out)."""
        if not 0 <= int(action) < N_ACTIONS:
            raise ValueError(f"action must be in [0, {N_ACTIONS}), not {action!r}")
        return self._commands[int(action)]

    @staticmethod
    def action_name(action: int) -> str:
        return MACROS[int(action)].name

    # -------------------------------------------------------------------------------------------- observation
    def _observation(self) -> dict[str, np.ndarray]:
        assert self.state is not None
        builder = self._builder
        state = self.state
        builder.set_cursor(state.cursor, state.selection)
        chain = builder.formula_chain(state.workbook, state.cursor, self._encode_formula)
        return {
            "grid": builder.grid.copy(),
            "instruction": builder.instruction.copy(),
            "cell_tokens": builder.cell_tokens.copy(),
            "edges": builder.edges.copy(),
            "formula_chain": chain,
            "flat": builder.flat(self._mask, self._steps / max(1, self.max_steps), state.anchor),
            "action_mask": self._mask.copy(),
        }

    def _encode_formula(self, text: str) -> list[int]:
        return self.token_vocabulary.encode_command(Command("formula", cell="A1", text=text))

    # ------------------------------------------------------------------------------------------------- render
    def render(self) -> str | np.ndarray | None:
        if self.render_mode is None:
            return None
        from sheetrl.env.render import render_ansi, render_rgb

        if self.render_mode == "ansi":
            return render_ansi(self)
        return render_rgb(self)


def _tuple_state(state: Any) -> tuple:
    """random.Random state from its JSON-ish form (lists) back to tuples."""
    version, internal, gauss = state
    return (version, tuple(internal), gauss)
