"""The Gymnasium environment: an agent edits a spreadsheet to carry out an instruction."""

from __future__ import annotations

import copy
import operator
import random
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import Any

import gymnasium as gym
import numpy as np
from gymnasium import spaces

from sheetrl.env.actions import MACROS, N_ACTIONS, Context, legal_mask
from sheetrl.env.commands import Command, CommandError, parse_command
from sheetrl.env.curriculum import CurriculumManager
from sheetrl.env.observation import CELL_TOKEN_HIGHS, CHANNELS, FLAT_SIZE, ObservationBuilder
from sheetrl.env.rewards import TERMS, RewardConfig, RewardFunction
from sheetrl.env.state import SheetState
from sheetrl.env.tasks import FAMILIES, LEVELS, SPLITS, Task, family_module, make_task, split_seed
from sheetrl.env.tasks.base import GRID_COLS, GRID_ROWS
from sheetrl.env.tasks.checker import CollateralTracker, check, quick_condition
from sheetrl.env.tasks.layout import LayoutConfig
from sheetrl.env.tasks.split import SPLIT_SIZE, TRAIN
from sheetrl.sheet.evaluation import extent_key
from sheetrl.sheet.workbook import ALL_CHANGED

MIN_GRID_ROWS, MIN_GRID_COLS = 8, 8  # the smallest observed window (the flat neighbourhood needs 7x7)
OBSERVATION_KEYS = ("grid", "instruction", "cell_tokens", "edges", "formula_chain", "flat", "action_mask")
RESET_OPTIONS = ("task", "level", "task_seed")  # the keys reset(options=...) reads


@dataclass(frozen=True)
class EnvConfig:
    """Environment settings (every field has a sensible default for all five levels)."""

    level: int | str = 1  # 1-5, or "curriculum"
    grid_rows: int = GRID_ROWS  # rows of the observed window (it follows the cursor over larger sheets)
    grid_cols: int = GRID_COLS  # columns of the observed window
    instruction_length: int = 48  # instruction tokens kept
    max_edges: int = 256  # dependency edges kept in the observation
    chain_length: int = 64  # formula-chain tokens kept
    max_steps: int | None = None  # override every task's own step budget
    split: str = TRAIN  # task seeds from "train", "iid" (new seeds) or "ood" (held-out structure, new seeds)
    layout: LayoutConfig = field(default_factory=LayoutConfig)  # how varied generated sheets are
    rewards: RewardConfig = field(default_factory=RewardConfig)
    curriculum_threshold: float = 0.8  # Curriculum-v1: advance when the rolling success rate exceeds this
    curriculum_window: int = 100  # Curriculum-v1: episodes in the rolling success rate
    curriculum_replay: float = 0.2  # Curriculum-v1: probability of replaying an earlier level
    curriculum_demotion: float | None = None  # Curriculum-v1: step back a level when success falls below this
    observation_keys: tuple[str, ...] | None = None  # the observation's keys (None: all); an MLP pays for fewer

    def __post_init__(self) -> None:
        if self.observation_keys is not None:
            keys = self.observation_keys
            if isinstance(keys, str) or not all(isinstance(key, str) for key in keys):
                raise TypeError(f"observation_keys is a sequence of key names, not {keys!r}")
            unknown = [key for key in keys if key not in OBSERVATION_KEYS]
            if unknown or not keys or len(set(keys)) != len(keys):
                raise ValueError(f"observation_keys must be distinct names from {OBSERVATION_KEYS}, not {keys!r}")
            object.__setattr__(self, "observation_keys", tuple(keys))  # lists from JSON or the CLI
        if self.level != "curriculum" and self.level not in LEVELS:
            raise ValueError(f"level must be one of {LEVELS} or 'curriculum', not {self.level!r}")
        if self.split not in SPLITS:
            raise ValueError(f"split must be one of {SPLITS}, not {self.split!r}")
        for name in ("grid_rows", "grid_cols", "instruction_length", "max_edges", "chain_length", "max_steps"):
            value = getattr(self, name)
            if value is None and name == "max_steps":
                continue
            try:  # a float or a boolean was taken as a size or a budget (max_steps=True: one step)
                if isinstance(value, (bool, np.bool_)):
                    raise TypeError
                object.__setattr__(self, name, operator.index(value))  # NumPy integers from a sweep become ints
            except TypeError:
                raise TypeError(f"{name} is an integer, not {type(value).__name__} {value!r}") from None
        if self.grid_rows < MIN_GRID_ROWS or self.grid_cols < MIN_GRID_COLS:
            raise ValueError(f"the observed window must be at least {MIN_GRID_ROWS}x{MIN_GRID_COLS}")
        for name in ("instruction_length", "max_edges", "chain_length"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be positive")
        if self.max_steps is not None and self.max_steps < 1:
            raise ValueError("max_steps must be positive")
        if not isinstance(self.layout, LayoutConfig):
            raise TypeError(f"layout must be a LayoutConfig, not {type(self.layout).__name__}")
        CurriculumManager.validate(self.curriculum_threshold, self.curriculum_window, self.curriculum_replay,
                                   self.curriculum_demotion)


@lru_cache(maxsize=1)
def instruction_vocabulary() -> Any:
    """The instruction tokenizer over every family's vocabulary (built once per process, deterministic)."""
    from sheetrl.env.tasks.layout import DISTRACTOR_WORDS
    from sheetrl.env.tokens import InstructionVocabulary

    words: set[str] = {w.lower() for w in DISTRACTOR_WORDS}
    for level in LEVELS:
        words.update(getattr(family_module(level), "VOCABULARY", []))
    return InstructionVocabulary(sorted(words))


def as_action_index(action: Any) -> int:
    """An action as a plain int: Python and NumPy integers, 0-d and one-element integer arrays are accepted;
    anything else (floats, strings, booleans, None) raises TypeError naming it."""
    if isinstance(action, np.ndarray):
        if action.size != 1 or not np.issubdtype(action.dtype, np.integer):
            raise TypeError(f"an action is one integer; got an array of {action.size} {action.dtype} values")
        return int(action.reshape(()))
    return _strict_integer(action, "an action is an integer macro index")


def _integer_option(name: str, value: Any) -> int:
    """A reset option that is an integer (Python or NumPy), as an int; raises TypeError naming it otherwise (a
    float or a boolean was truncated: ``level=2.5`` played level 2, ``task_seed=True`` task 1)."""
    return _strict_integer(value, f"options[{name!r}] is an integer")


def _strict_integer(value: Any, what: str) -> int:
    """``value`` as an int when it is a Python or NumPy integer; otherwise TypeError "``what``, not ..." (a
    boolean or a float is refused, never truncated)."""
    if isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{what}, not the boolean {value!r}")
    try:
        return operator.index(value)
    except TypeError:
        raise TypeError(f"{what}, not {type(value).__name__} {value!r}") from None


class SpreadsheetEnv(gym.Env):
    """Edit a spreadsheet to carry out an instruction.

    ## Description
    Each episode draws a task from one of five procedural families (curriculum levels): L1 single-cell edits,
    L2 one aggregate formula over a named range, L3 a column of row formulas filled down plus totals, L4 a pivot
    table or SUMIF summary, L5 a multi-step model (projections, budgets, payroll, grade books). Sheets are up to
    200×40 cells with tables anywhere, spacer rows, subtotals, numeric headers, notes and other tables; the agent
    sees a 24×12 window that follows its cursor, the instruction, and acts through macro actions relative to the
    cursor (see ``env/actions.py``). Tasks can also come from task files on any workbook (``env/tasks/files.py``).

    ## Action Space
    ``Discrete(N)`` macro actions (N = 69 in v1): moves and Ctrl-jumps, go to the next target cell, selection,
    select a range the instruction names, "write the instructed value" (or header), SUM/AVERAGE/MIN/MAX/COUNT of
    the block above / left / the selection, row and column arithmetic, share of total, running total, ROUND,
    IF-threshold, rate-cell products, VLOOKUP, SUMIF / COUNTIF / AVERAGEIF, fill down / right / selection, number
    formats, bold, italic, align, add the instructed sheet, pivot, done. ``action_to_command(a)`` gives the
    command an action stands for; ``step_command`` accepts command text. Actions are integers (Python or NumPy,
    or one-element integer arrays); anything else raises TypeError.

    ## Observation Space
    A ``Dict`` documented in :mod:`sheetrl.env.observation`: ``grid`` (C×H×W over the window), ``instruction``
    tokens, ``cell_tokens``, dependency ``edges``, ``formula_chain``, a 768-float ``flat`` vector and
    ``action_mask``. ``observation_keys=("flat", "action_mask")`` (an :class:`EnvConfig` field, also a
    ``gym.make`` keyword) keeps only those keys, and the others are not computed: an MLP agent pays only for what
    it reads.

    ## Rewards
    Weighted terms, reported in ``info["reward_terms"]`` (see :mod:`sheetrl.env.rewards`): user feedback (×10),
    potential-based formula validity (×2), progress (×1) and collateral changes (×10), action complexity
    (×−0.1), potential-based aesthetics (×0.5). An action that is masked out, or a command the engine or the
    task's sheet area rejects, changes nothing and is penalized by −1.

    ## Starting State
    The task's initial workbook with the cursor at the task's start cell on the task's sheet, nothing selected.

    ## Episode End
    ``terminated``: the task is solved (every condition of the checker, :mod:`sheetrl.env.tasks.checker`, holds
    after an edit), or the agent chose ``done``, or the step budget (the task's ``max_steps`` or
    ``EnvConfig.max_steps``) is spent: the budget is part of the task, and running out of it is the user's
    verdict "not done in time" (−10), from a state that shows the elapsed fraction of the budget, so there is
    nothing to bootstrap. ``truncated`` is never set by the environment (a wrapper's time limit may set it).
    ``info["is_success"]`` and ``info["check"]`` (the first failed condition, or "ok") report the verdict.
    ``step()`` after the end raises until ``reset()``.

    ## Arguments
    ``level`` (1-5 or "curriculum"), ``render_mode`` ("ansi" or "rgb_array"), ``config`` (:class:`EnvConfig`),
    ``curriculum`` (a shared :class:`CurriculumManager` for ``level="curriculum"``), plus any :class:`EnvConfig`
    field as a keyword. ``reset(seed=s)`` makes the episode sequence reproducible; ``reset(options={"task_seed":
    k})`` replays one generated task; ``options={"task": task}`` runs a given Task (e.g. from a task file); another
    option key, or a ``level`` or ``task_seed`` that is not an integer, raises.

    ## Version History
    * v1: strict checker (collateral changes, reads, perturbations per answer kind), varied layouts on sheets
      larger than the window, held-out (ood) split, task files, sheets as commands, collateral reward term, the
      budget as a terminal verdict, integer-only actions.
    * v0: initial version.
    """

    metadata = {"render_modes": ["ansi", "rgb_array"], "render_fps": 4}  # noqa: RUF012  (Gymnasium declares it)

    def __init__(self, level: int | str | None = None, render_mode: str | None = None,
                 config: EnvConfig | None = None, curriculum: CurriculumManager | None = None,
                 **overrides: Any) -> None:
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
        every_space = spaces.Dict(
            {
                "grid": spaces.Box(-5.0, 5.0, (CHANNELS, rows, cols), np.float32),
                "instruction": spaces.Box(0, len(vocabulary) - 1, (config.instruction_length,), np.int64),
                "cell_tokens": spaces.Box(
                    0, np.broadcast_to(np.asarray(CELL_TOKEN_HIGHS, np.int64), (rows * cols, 4)).copy(),
                    (rows * cols, 4), np.int64),
                "edges": spaces.Box(0, rows * cols, (2, config.max_edges), np.int64),
                "formula_chain": spaces.Box(0, len(self.token_vocabulary) - 1, (config.chain_length,), np.int64),
                "flat": spaces.Box(-5.0, 5.0, (FLAT_SIZE,), np.float32),
                "action_mask": spaces.Box(0, 1, (N_ACTIONS,), np.int8),
            }
        )
        self.observation_keys = config.observation_keys or OBSERVATION_KEYS
        self.observation_space = spaces.Dict({key: every_space[key] for key in self.observation_keys})
        self._builder = ObservationBuilder(rows, cols, config.instruction_length, config.max_edges,
                                           config.chain_length, edges="edges" in self.observation_keys)
        self._vocabulary = vocabulary
        self.curriculum: CurriculumManager | None = None
        self._owns_curriculum = False
        if curriculum is not None and config.level != "curriculum":
            raise ValueError("a curriculum manager is only used with level='curriculum'")
        if config.level == "curriculum":
            self._owns_curriculum = curriculum is None
            self.curriculum = curriculum if curriculum is not None else CurriculumManager(
                threshold=config.curriculum_threshold, window=config.curriculum_window,
                replay_probability=config.curriculum_replay, demotion_threshold=config.curriculum_demotion)
        self.task: Task | None = None
        self.state: SheetState | None = None
        self._task_rng = random.Random(0)
        self._steps = 0
        self._history: list[str | None] = []
        self._commands: dict[int, Command] = {}  # commands of legal actions resolved so far in this state
        self._context: Context | None = None  # the state the mask was computed in (None: build it when needed)
        self._mask = np.zeros(N_ACTIONS, dtype=np.int8)
        self._changes: set[int] = set()
        self._touched: set[int] = set()  # cells this episode's steps changed (see state_key)
        self._structural: tuple[str, ...] = ()  # this episode's commands the workbook reported as changing everything
        self._collateral: CollateralTracker | None = None
        self._episode_over = False
        self._last_info: dict[str, Any] = {}

    # --------------------------------------------------------------------------------------------------- reset
    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None) -> tuple[dict, dict]:
        options = options or {}
        unknown = sorted(str(key) for key in set(options) - set(RESET_OPTIONS))
        if unknown:
            raise ValueError(f"unknown reset option(s) {', '.join(unknown)}; the options are "
                             f"{', '.join(RESET_OPTIONS)}")
        for name in ("level", "task_seed"):
            if options.get(name) is not None:
                _integer_option(name, options[name])
        super().reset(seed=seed)
        if seed is not None:
            self._task_rng = random.Random(seed)
            if self.curriculum is not None and self._owns_curriculum:
                self.curriculum.seed(seed)
        task = options.get("task")
        if task is None:
            level = options.get("level")
            if level is None:
                level = self.curriculum.next_level() if self.curriculum is not None else self.config.level
            task_seed = options.get("task_seed")
            if task_seed is None:
                limit = 2**31 if self.config.split == TRAIN else SPLIT_SIZE
                task_seed = split_seed(self.config.split, self._task_rng.randrange(limit))
            task = make_task(_integer_option("level", level), _integer_option("task_seed", task_seed),
                             self.config.layout)
        if not isinstance(task, Task):
            raise TypeError(f"options['task'] must be a Task, not {type(task).__name__}")
        self.task = task
        wb = task.workbook.clone()
        wb.record_undo = False
        self._changes = wb.track_changes()
        self.state = SheetState(wb, task.start, task.sheet, task.extent)
        self._steps = 0
        self._history = []
        self._touched = set()
        self._structural = ()
        self._episode_over = False
        self._collateral = CollateralTracker(task, wb)
        self._builder.reset(wb, task, self._vocabulary.encode(task.instruction, self.config.instruction_length),
                            self.state.sheet, self.state.cursor, self._collateral.changed)
        self._changes.clear()
        self.rewards.begin(task, wb)
        self._update_mask()
        info = {"level": task.level, "family": task.family, "template": task.template, "task_seed": task.seed,
                "split": task.split, "instruction": task.instruction}
        self._last_info = info
        return self._observation(), dict(info)

    @property
    def max_steps(self) -> int:
        assert self.task is not None
        return self.config.max_steps or self.task.max_steps

    # ---------------------------------------------------------------------------------------------------- step
    def step(self, action: Any) -> tuple[dict, float, bool, bool, dict]:
        self._check_running("step")
        index = as_action_index(action)
        if not 0 <= index < N_ACTIONS:
            return self._step(None, action_index=index,
                              parse_error=f"action {index} is not a macro (0..{N_ACTIONS - 1})")
        return self._step(self._command(index), action_index=index)

    def step_command(self, command: str | Command) -> tuple[dict, float, bool, bool, dict]:
        """Step with a command (text or Command) instead of a macro action: for people, task files and
        demonstrations. Bad text, or a command outside the task's sheet area, is an invalid action (penalized,
        nothing changes) and ``info["error"]`` says why."""
        self._check_running("step_command")
        error = None
        parsed: Command | None
        try:
            parsed = command if isinstance(command, Command) else parse_command(command)
        except CommandError as exc:
            parsed, error = None, str(exc)
        return self._step(parsed, action_index=None, parse_error=error)

    def _check_running(self, method: str) -> None:
        if self.task is None or self.state is None:
            raise RuntimeError(f"call reset() before {method}()")
        if self._episode_over:
            raise RuntimeError(f"the episode is over; call reset() before {method}()")

    def _step(self, command: Command | None, action_index: int | None, parse_error: str | None = None
              ) -> tuple[dict, float, bool, bool, dict]:
        assert self.task is not None and self.state is not None and self._collateral is not None
        task, state = self.task, self.state
        self._steps += 1
        info: dict[str, Any] = {"level": task.level, "template": task.template, "task_seed": task.seed,
                                "split": task.split}
        self._history.append(None if command is None else str(command))
        error = parse_error
        if command is None and error is None:
            error = f"action {action_index} is not available in this state (masked out)"
        sheet_before = state.sheet
        if command is not None:
            try:
                state.apply(command)
            except CommandError as exc:
                error = str(exc)
        budget_spent = self._steps >= self.max_steps
        wb = state.workbook
        if error is not None:
            # A command can fail after changing the workbook (a pivot that replaces another is removed, then its
            # successor refused): state_key must still see those cells
            self._touched.update(self._changes)
            terms = dict.fromkeys(TERMS, 0.0)
            terms["invalid"] = self.config.rewards.invalid_penalty
            solved = False
            if budget_spent:  # the verdict, with every potential going to 0
                terms.update(self.rewards.step(task, wb, Command("done"), False, self.rewards.progress_potential,
                                               len(self._collateral.changed), False, True))
                terms["complexity"] = 0.0
            info.update(reward_terms=terms, error=error, command=None, is_success=False,
                        check=self._last_info.get("check", "value"))
            self._finish(budget_spent, False)
            self._last_info = info
            self._builder.sync(wb, state.sheet, state.cursor, set())
            return self._observation(), float(sum(terms.values())), budget_spent, False, info
        assert command is not None
        if command.verb == "newsheet":
            # Adding a sheet changes no cell, but targets on it (a pivot on a new sheet) now have keys: without
            # this they would be charged as collateral changes when the agent fills them.
            self._collateral.refresh_protection(wb)
        edited = bool(self._changes)
        if ALL_CHANGED in self._changes:
            self._structural += (str(command),)
        if edited:
            everything = ALL_CHANGED in self._changes or command.verb == "newsheet"
            self._collateral.update(wb, self._changes, everything=everything)
            self._touched.update(self._changes)
        self._builder.sync(wb, state.sheet, state.cursor, self._changes if edited else set())
        self._changes.clear()
        potential = self.rewards.potential(wb, task) if edited else self.rewards.progress_potential
        changed_cells = len(self._collateral.changed)
        done = command.verb == "done"
        solved = False
        if done or budget_spent or (edited and potential == 0.0 and changed_cells == 0):
            result = check(wb, task)  # cheap unless every target holds and nothing else changed
            solved, condition = result.success, result.condition
            if not solved:
                info["check_detail"] = result.reason
        elif edited or "check" not in self._last_info:
            condition = quick_condition(wb, task, changed_cells)
        else:
            condition = self._last_info["check"]
        terminated = solved or done or budget_spent
        formula_cell = state.address(command.cell) if command.verb == "formula" and command.cell else None
        terms = self.rewards.step(task, wb, command, edited, potential, changed_cells, solved, terminated,
                                  formula_cell)
        info.update(reward_terms=terms, command=str(command), is_success=solved, check="ok" if solved else condition)
        if sheet_before != state.sheet:
            info["sheet"] = state.sheet
        self._finish(terminated, solved)
        self._update_mask()
        self._last_info = info
        return self._observation(), float(sum(terms.values())), terminated, False, info

    def _finish(self, episode_over: bool, solved: bool) -> None:
        if episode_over:
            self._episode_over = True
            if self.curriculum is not None and self.task is not None and self.task.level in self.curriculum.history:
                self.curriculum.record(self.task.level, solved)

    def state_key(self) -> tuple:
        """A fingerprint of the state the next step acts on, for telling that an episode is back where it was.

        Two moments of one episode have equal keys when the sheet shown, the cursor, the selection anchor, the
        marked range, the workbook's sheets (with how far each was ever written), its pivot tables (each table's
        definition, in order) and every cell this episode's steps have changed (what was entered, and the format,
        where they differ from the task's start) are the same, and the same edits the workbook reports as a change
        of everything were made in the same order. Commands are deterministic, so from two moments with equal keys
        an action leads to equal keys again (the step count, which only brings the end of the budget nearer, is not
        part of the key). Keys of different episodes are not comparable.
        """
        assert self.state is not None and self.task is not None
        state, wb, start = self.state, self.state.workbook, self.task.workbook
        cells = []
        for key in sorted(self._touched):
            if key == ALL_CHANGED:
                continue
            entered, was = wb.input_at(key), start.input_at(key)
            # with the type: TRUE == 1.0 (and hashes alike) in Python, but not in a formula or to the checker
            now = (type(entered).__name__, entered, wb.format_at(key))
            if now != (type(was).__name__, was, start.format_at(key)):  # a cell put back as it was is no difference
                cells.append((key, *now))
        # The tables themselves, not the commands that drew them: a pivot drawn again over itself changes nothing,
        # and one removed by a command that then failed is gone (their cells are among the changed ones)
        pivots = tuple((p.name, p.source, p.rows, p.values, p.aggregation, p.columns, p.anchor) for p in wb.pivots)
        # Each sheet's used extent grows with every cell written and never shrinks (a cleared cell still counts), and
        # whole-column references are read up to it (=ROWS(A:A*1)): it is part of the state
        values = wb.value_map()
        sheets = tuple((name, values.get(extent_key(wb.sheet_id(name)))) for name in wb.sheet_names)
        return (self._structural, sheets, pivots, state.sheet, state.cursor, state.anchor, state.marked, tuple(cells))

    def check(self) -> Any:
        """The checker's verdict on the current sheet (:func:`sheetrl.env.tasks.checker.check`)."""
        assert self.task is not None and self.state is not None
        return check(self.state.workbook, self.task)

    # ---------------------------------------------------------------------------------------------- snapshots
    def clone(self) -> SpreadsheetEnv:
        """An independent copy of this environment in its exact current state, for tree search: stepping either
        one never changes the other. The workbook is cloned copy-on-write (O(1)); the observation arrays, the
        cursor, the reward potentials, the collateral set and the history are copied; the task, the config and
        the vocabularies are shared (nothing mutates them). The copy records no curriculum results (a searched
        episode is not a played one) and keeps the episode's RNG states."""
        other = copy.copy(self)
        other.curriculum = None
        other._owns_curriculum = False
        other._task_rng = random.Random()
        other._task_rng.setstate(self._task_rng.getstate())
        other._np_random = copy.deepcopy(self._np_random)
        other._history = list(self._history)
        other._touched = set(self._touched)
        other._commands = dict(self._commands)
        other._context = None  # the context reads this env's state; the copy builds its own when it needs one
        other._mask = self._mask.copy()
        other._last_info = dict(self._last_info)
        other.rewards = copy.copy(self.rewards)
        if self.state is not None:
            other.state = self.state.clone()
            other._changes = other.state.workbook.track_changes()
            other._changes.update(self._changes)
        if self._collateral is not None:
            other._collateral = copy.copy(self._collateral)
            other._collateral.changed = set(self._collateral.changed)
        builder = copy.copy(self._builder)
        for name, value in vars(self._builder).items():
            if isinstance(value, np.ndarray):
                setattr(builder, name, value.copy())
        if other._collateral is not None:  # the builder draws from the collateral set it was given, shared
            builder._changed = other._collateral.changed
        other._builder = builder
        return other

    def get_state(self) -> dict[str, Any]:
        """Everything needed to put an identical environment in this exact state (for checkpoints): the RNG
        states, the curriculum (when this environment owns it), the current task (a generated task's level and
        seed, or a task file's entry) and the commands taken so far this episode. Tasks are deterministic, so
        :meth:`set_state` rebuilds the sheet by replaying the commands."""
        task: dict[str, Any] | None = None
        if self.task is not None:
            if self.task.source is not None:
                task = {"source": self.task.source}
            elif FAMILIES.get(self.task.level) == self.task.family:
                task = {"level": self.task.level, "seed": self.task.seed}
            else:
                raise ValueError("this task was built in memory; snapshots need a generated task or a task file's")
            task["instruction"] = self.task.instruction  # tells, on restore, that the rebuilt task is this one
        return {
            "task_rng": self._task_rng.getstate(),
            "curriculum": self.curriculum.state_dict() if self.curriculum is not None and self._owns_curriculum
            else None,
            "task": task,
            "history": list(self._history),
            "steps": self._steps,
            "episode_over": self._episode_over,
        }

    def set_state(self, state: dict[str, Any]) -> dict[str, np.ndarray] | None:
        """Restore a :meth:`get_state` snapshot; returns the current observation (None before any reset).

        Raises ValueError naming the problem, before the environment is reset, for a snapshot whose fields
        :meth:`get_state` could not have written, whose history does not parse or exceeds the task's budget, or
        whose task this environment rebuilds differently (another layout configuration, or a task file's entry
        that changed since)."""
        _check_snapshot(state)
        task = state["task"]
        if task is not None:
            if "source" in task:
                from sheetrl.env.tasks.files import task_from_source

                rebuilt = task_from_source(task["source"])
            else:
                rebuilt = make_task(task["level"], task["seed"], self.config.layout)
            instruction = task.get("instruction")
            if instruction is not None and instruction != rebuilt.instruction:
                raise ValueError(f"the snapshot's task is not the one this environment builds from it (instruction "
                                 f"{instruction!r}, rebuilt {rebuilt.instruction!r}): restore it in an environment "
                                 "configured like the one that took it, with the task file unchanged")
            budget = self.config.max_steps or rebuilt.max_steps
            if len(state["history"]) > budget:
                raise ValueError(f"the snapshot holds {len(state['history'])} steps, more than this environment's "
                                 f"budget of {budget} for its task")
            try:
                commands = [None if line is None else parse_command(line) for line in state["history"]]
            except CommandError as exc:
                raise ValueError(f"the snapshot's history holds a command that does not parse: {exc}") from None
            self.reset(options={"task": rebuilt})
            curriculum = self.curriculum
            self.curriculum = None  # replayed episodes must not be recorded twice
            try:
                for command in commands:
                    self._episode_over = False
                    self._step(command, action_index=-1)
            finally:
                self.curriculum = curriculum
            self._steps = state["steps"]
            self._episode_over = bool(state.get("episode_over", False))
        self._task_rng.setstate(_tuple_state(state["task_rng"]))
        if state["curriculum"] is not None and self.curriculum is not None:
            self.curriculum.load_state_dict(state["curriculum"])
        return self._observation() if task is not None else None

    # ------------------------------------------------------------------------------------------------ actions
    def _update_mask(self) -> None:
        assert self.task is not None and self.state is not None
        ctx = self._context = Context(self.state, self.task)
        # Every macro has a cheap legality predicate; its command (cell names, formula text) is built only when the
        # action is taken or asked for.
        self._mask = legal_mask(ctx)
        self._commands = {}

    def _command(self, index: int) -> Command | None:
        """The command of an action in the current state (None when it is masked out), resolved on first use."""
        if not self._mask[index]:
            return None
        command = self._commands.get(index)
        if command is None:
            assert self.task is not None and self.state is not None
            if self._context is None:
                self._context = Context(self.state, self.task)
            command = MACROS[index].resolve(self._context)
            if command is None:
                raise AssertionError(f"macro {MACROS[index].name} was legal by its predicate but did not resolve")
            self._commands[index] = command
        return command

    def action_masks(self) -> np.ndarray:
        """Boolean mask of the actions available now (the method sb3-contrib's MaskablePPO looks for)."""
        return self._mask.astype(bool)

    def action_to_command(self, action: Any) -> Command | None:
        """The command a macro action stands for in the current state (None if it is masked out)."""
        index = as_action_index(action)
        if not 0 <= index < N_ACTIONS:
            raise ValueError(f"action must be in [0, {N_ACTIONS}), not {action!r}")
        return self._command(index)

    @staticmethod
    def action_name(action: Any) -> str:
        index = as_action_index(action)
        if not 0 <= index < N_ACTIONS:
            raise ValueError(f"action must be in [0, {N_ACTIONS}), not {action!r}")
        return MACROS[index].name

    # -------------------------------------------------------------------------------------------- observation
    def _observation(self) -> dict[str, np.ndarray]:
        """The observation's keys (``EnvConfig.observation_keys``), each a fresh array; keys not asked for are not
        computed (the formula chain, the flat vector) or not copied."""
        assert self.state is not None
        builder = self._builder
        state = self.state
        builder.set_cursor(state.cursor, state.selection)
        obs: dict[str, np.ndarray] = {}
        for key in self.observation_keys:
            if key == "flat":
                obs[key] = builder.flat(self._mask, self._steps / max(1, self.max_steps), state.cursor,
                                        state.anchor, state.workbook)
            elif key == "formula_chain":
                obs[key] = builder.formula_chain(state.workbook, state.cursor, self._encode_formula)
            elif key == "action_mask":
                obs[key] = self._mask.copy()
            else:
                obs[key] = getattr(builder, key).copy()
        return obs

    def _encode_formula(self, text: str) -> list[int]:
        """A formula's token ids for the ``formula_chain`` observation; one the token language cannot spell (a
        structured reference such as Table1[Col], a spill reference A1#, ``@``, an intersection) is
        ``formula A1 = <unk>`` (it used to raise TokenError from inside reset or step: an internal error)."""
        from sheetrl.env.tokens import UNK, TokenError

        try:
            return self.token_vocabulary.encode_command(Command("formula", cell="A1", text=text))
        except TokenError:
            return [*self.token_vocabulary.encode_command(Command("formula", cell="A1", text="=0"))[:-1], UNK]

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


def _check_snapshot(state: Any) -> None:
    """Raise ValueError naming the first field of an environment snapshot that :meth:`SpreadsheetEnv.get_state`
    could not have written."""
    if not isinstance(state, dict):
        raise ValueError(f"an environment snapshot is a dict, not {type(state).__name__}")
    missing = [key for key in ("task_rng", "curriculum", "task", "history", "steps") if key not in state]
    if missing:
        raise ValueError(f"the environment snapshot lacks {', '.join(missing)}")
    try:
        random.Random().setstate(_tuple_state(state["task_rng"]))
    except (TypeError, ValueError) as exc:
        raise ValueError(f"the snapshot's task_rng is not a random.Random state: {exc}") from None
    if state["curriculum"] is not None and not isinstance(state["curriculum"], dict):
        raise ValueError("the snapshot's curriculum is a dict or None")
    task = state["task"]
    generated = isinstance(task, dict) and all(isinstance(task.get(key), int) and not isinstance(task.get(key), bool)
                                               for key in ("level", "seed"))
    if task is not None and not (generated or (isinstance(task, dict) and isinstance(task.get("source"), dict))):
        raise ValueError(f"the snapshot's task is a dict with a task file's 'source' or a 'level' and a 'seed', "
                         f"not {task!r:.200}")
    if task is not None and not isinstance(task.get("instruction", ""), str):
        raise ValueError("the snapshot's task instruction is text")
    history, steps = state["history"], state["steps"]
    if not isinstance(history, list) or not all(command is None or isinstance(command, str) for command in history):
        raise ValueError("the snapshot's history is a list of command texts (or None for an invalid action)")
    if isinstance(steps, bool) or not isinstance(steps, int) or steps != len(history):
        raise ValueError(f"the snapshot's steps must be the number of commands in its history ({len(history)}), "
                         f"not {steps!r}")
    if task is None and history:
        raise ValueError("the snapshot holds commands but no task")
