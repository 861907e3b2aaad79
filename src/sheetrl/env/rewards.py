"""Reward shaping: named, weighted terms, each reported every step in ``info["reward_terms"]``.

=================  =======  =============================================================================
term               weight   definition
=================  =======  =============================================================================
``feedback``       10       the user's verdict (:class:`FeedbackSource`). Default :class:`SimulatedUser`: +1 when
                            the episode ends with the task solved (the checker's every condition holds), −1 when
                            it ends otherwise (``done`` unsolved, or the step budget spent), 0 before the end.
``validity``       2        formula validity by symbolic execution, as a potential difference γ·Ψ(s′) − Ψ(s):
                            Ψ is the mean over the task's formula targets of each target's validity in [0, 1]
                            (0 without a formula, else the mean of four checks: it holds a formula; it evaluates
                            without an error value; every cell it reads is non-empty; it agrees with the expert's
                            formula when the inputs are perturbed). Entering a formula outside the targets earns
                            nothing and loses a third for each of the first three checks it fails.
``progress``       1        potential-based shaping γ·Φ(s′) − Φ(s) with Φ = −goal distance (the fraction of
                            targets whose value, formula or style requirement is unmet, :class:`GoalDistance`).
``collateral``     10       potential-based γ·C(s′) − C(s) with C = −min(n, 10)/10, n the number of cells
                            outside the targets (and the task's allowed ranges) whose content or format differs
                            from the initial sheet: each of the first ten such cells costs 1 when it is changed
                            and is paid back when it is restored.
``complexity``     −0.1     the command's complexity (``Command.complexity``: 0 navigation, 1 edit, 3 pivot,
                            +0.25 per extra function call in a formula).
``aesthetic``      0.5      potential-based γ·A(s′) − A(s) with A the sheet's aesthetic score in [0, 1]
                            (:class:`AestheticModel`).
=================  =======  =============================================================================

Every potential is 0 in a terminal state (solved, ``done``, or the step budget spent: all three end the episode
with ``terminated=True``). So each shaping term sums over an episode to γ^T·0 − potential(s₀), a constant of the
task: shaping cannot change which policy is optimal (Ng, Harada & Russell, 1999), cannot be farmed, and an agent
that over-reaches (bolds the whole sheet, clears a label) gains nothing from it: the checker fails the task
(``unchanged``), the verdict is −10 instead of +10, and the collateral term charges the change at once. The
discount of the shaping terms is ``gamma``, which must be the agent's own (the training runner sets it from the
agent's configuration).

An invalid action (masked out, or a command the engine or the task's sheet area rejects) changes nothing and gets
``invalid_penalty`` (−1) as its only reward, reported as the term ``invalid``.

Goal distance and aesthetics are interfaces: a distance learned from demonstrations (inverse RL) and a preference
model learned from user feedback plug in here without touching the environment.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, fields
from typing import Protocol

from sheetrl.env.commands import Command
from sheetrl.env.tasks.base import Task, goal_distance, values_match
from sheetrl.env.tasks.checker import apply_assignment
from sheetrl.sheet import Workbook
from sheetrl.sheet.address import COL_MASK, ROW_SHIFT, SHEET_SHIFT, parse_cell, parse_range
from sheetrl.sheet.errors import ExcelError

TERMS = ("feedback", "validity", "progress", "collateral", "complexity", "aesthetic")
COLLATERAL_CELLS = 10  # the collateral potential saturates at this many changed cells


@dataclass(frozen=True)
class RewardConfig:
    """Weights of the reward terms (see the module docstring)."""

    feedback: float = 10.0  # user feedback, +1 solved / -1 failed at episode end
    validity: float = 2.0  # formula validity by symbolic execution (potential over the formula targets)
    progress: float = 1.0  # potential-based progress toward the goal
    collateral: float = 10.0  # potential-based charge for changed cells outside the targets
    complexity: float = -0.1  # per unit of command complexity
    aesthetic: float = 0.5  # potential-based change of the aesthetic score
    gamma: float = 0.99  # discount of the potential-based terms: the agent's own discount
    invalid_penalty: float = -1.0  # reward of an invalid action, which changes nothing

    def __post_init__(self) -> None:
        for item in fields(self):
            value = getattr(self, item.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise ValueError(f"reward weight {item.name} must be a number, not {value!r}")
        if not 0.0 <= self.gamma <= 1.0:
            raise ValueError(f"reward gamma must be in [0, 1], not {self.gamma}")


class FeedbackSource(Protocol):
    """Where user feedback comes from: a simulated user in training, a person in the assistant."""

    def feedback(self, task: Task, wb: Workbook, command: Command, solved: bool, episode_over: bool) -> float:
        """Feedback in [-1, 1] for the step that just happened."""
        ...


class SimulatedUser:
    """A user who judges only the end result, by the task's checker: +1 solved, −1 not solved, at episode end."""

    def feedback(self, task: Task, wb: Workbook, command: Command, solved: bool, episode_over: bool) -> float:
        if not episode_over:
            return 0.0
        return 1.0 if solved else -1.0


class GoalDistance(Protocol):
    """Distance to the goal in [0, 1]; 0 means every target holds."""

    def distance(self, wb: Workbook, task: Task) -> float: ...


class TargetDistance:
    """The transparent default: fraction of target cells whose value/formula/style requirement is unmet."""

    def distance(self, wb: Workbook, task: Task) -> float:
        return goal_distance(wb, task)


class AestheticModel(Protocol):
    """How tidy a sheet looks, in [0, 1]."""

    def score(self, wb: Workbook) -> float: ...


class HeuristicAesthetics:
    """A transparent heuristic over the first sheet, the mean of four checks:

    - header rows are bold (the first non-empty row, when it is text above numbers);
    - each column's numbers share one number format;
    - numbers are not left- or centre-aligned;
    - no stray values (a non-empty cell with no non-empty neighbour in its row or column).
    """

    def score(self, wb: Workbook) -> float:
        values = wb.value_map()
        formats = wb.format_map()
        sheet = wb.sheet_id()
        # Cell keys of the sheet (sheet id, row, column packed in one integer): a neighbour is a key plus or minus
        # one row step or one column, and the smallest key is on the first row.
        keys = {key for key in values if key >= 0 and key >> SHEET_SHIFT == sheet}
        if not keys:
            return 1.0
        first_row = min(keys) >> ROW_SHIFT
        header = [k for k in keys if k >> ROW_SHIFT == first_row]
        header_is_text = all(type(values[k]) is str for k in header) and any(k + _ROW_STEP in keys for k in header)
        checks = []
        if header_is_text:
            checks.append(sum(1 for k in header if (f := formats.get(k)) is not None and f.bold) / len(header))
        by_column: dict[int, set[str]] = {}
        aligned = 0
        numbers = 0
        for k in keys:
            if type(values[k]) is float:
                fmt = formats.get(k)
                by_column.setdefault(k & COL_MASK, set()).add(fmt.number_format if fmt is not None else "General")
                numbers += 1
                if fmt is None or fmt.horizontal in ("general", "right"):
                    aligned += 1
        if by_column:
            checks.append(sum(1 for f in by_column.values() if len(f) == 1) / len(by_column))
        if numbers:
            checks.append(aligned / numbers)
        stray = sum(
            1
            for k in keys
            if not (k - _ROW_STEP in keys or k + _ROW_STEP in keys
                    or (k & COL_MASK and k - 1 in keys) or (k & COL_MASK != COL_MASK and k + 1 in keys))
        )
        checks.append(1.0 - stray / len(keys))
        return sum(checks) / len(checks)


_ROW_STEP = 1 << ROW_SHIFT  # a cell key's distance to the cell below it


class FormulaValidity:
    """Symbolic execution of the formulas in one task's sheet (the ``validity`` term; module docstring).

    The perturbed inputs are drawn once per task from a seed of its own, so the potential is a function of the
    sheet alone and the expert's perturbed values are computed once.
    """

    def __init__(self, task: Task) -> None:
        self.task = task
        self.targets = [task.qualified(t.address) for t in task.targets if t.formula]
        self._perturbation: tuple[dict[str, object], dict[str, object]] | None = None
        self._reads = {task.qualified(t.address): t.reads for t in task.targets if t.formula}
        self._gaps: dict[str, list[tuple[str, int, int, int, int]]] = {}  # built when a target first holds a formula

    def _gaps_of(self, address: str) -> list[tuple[str, int, int, int, int]]:
        """The ranges a target must read, as (sheet name in capitals, row1, col1, row2, col2): the empty cells
        inside them (a spacer row in a named range) may be read. Kept as boxes, never listed cell by cell (a range
        may cover the whole sheet)."""
        gaps = self._gaps.get(address)
        if gaps is None:
            gaps = self._gaps[address] = []
            for area in self._reads.get(address, ()):
                rng = parse_range(self.task.qualified(area))
                gaps.append(((rng.sheet or "").upper(), rng.row1, rng.col1, rng.row2, rng.col2))
        return gaps

    @staticmethod
    def _in_gaps(address: str, gaps: list[tuple[str, int, int, int, int]]) -> bool:
        cell = parse_cell(address)
        sheet = (cell.sheet or "").upper()
        return any(s == sheet and r1 <= cell.row <= r2 and c1 <= cell.col <= c2 for s, r1, c1, r2, c2 in gaps)

    def _reference(self) -> tuple[dict[str, object], dict[str, object]]:
        """(perturbed input values, the expert's target values under them)."""
        if self._perturbation is None:
            from sheetrl.env.tasks.checker import PERTURBATIONS

            reference = self.task.solution.clone()
            reference.record_undo = False
            draws = PERTURBATIONS["rescale"](reference, self.task, random.Random(self.task.seed * 104_729 + 11))
            assignment = draws[0] if draws else {}
            apply_assignment(reference, assignment)
            values = {address: reference.value(address) for address in self.targets}
            self._perturbation = (assignment, values)
        return self._perturbation

    def static_checks(self, wb: Workbook, address: str) -> tuple[bool, bool, bool]:
        """(holds a formula, evaluates without an error value, reads only non-empty cells — or empty cells
        inside the ranges the target must read) for a cell."""
        if wb.formula(address) is None:
            return False, False, False
        precedents = wb.precedents(address)
        gaps = self._gaps_of(address)
        reads_data = bool(precedents) and all(wb.value(p) is not None or self._in_gaps(p, gaps) for p in precedents)
        return True, not isinstance(wb.value(address), ExcelError), reads_data

    def potential(self, wb: Workbook) -> float:
        """Ψ in [0, 1]: the mean validity of the formula targets (0 for a target without a formula)."""
        if not self.targets:
            return 0.0
        perturbed: Workbook | None = None
        total = 0.0
        for address in self.targets:
            try:
                checks = list(self.static_checks(wb, address))
            except ValueError:  # the target's sheet does not exist yet
                continue
            if not checks[0]:
                continue
            assignment, expected = self._reference()
            if assignment:
                if perturbed is None:
                    perturbed = wb.clone()
                    perturbed.record_undo = False
                    apply_assignment(perturbed, assignment)
                checks.append(values_match(perturbed.value(address), expected[address]))
            total += sum(checks) / len(checks)
        return total / len(self.targets)

    def _target_keys(self, wb: Workbook) -> set[int]:
        """The cell keys of the targets whose sheet exists in ``wb``."""
        keys = set()
        for target in self.targets:
            try:
                keys.add(wb.key(target))
            except ValueError:  # the target's sheet does not exist yet
                continue
        return keys

    def entry_penalty(self, wb: Workbook, address: str) -> float:
        """For a formula entered outside the targets: −1/3 per failed static check, in [−1, 0]. A target is
        recognised by its cell, however its address is written (``other!a2`` is ``Other!A2``)."""
        if wb.key(address) in self._target_keys(wb):
            return 0.0
        return -sum(1 for ok in self.static_checks(wb, address) if not ok) / 3.0


class RewardFunction:
    """Computes the weighted terms of each step of an episode; :meth:`begin` starts an episode."""

    def __init__(
        self,
        config: RewardConfig | None = None,
        feedback: FeedbackSource | None = None,
        distance: GoalDistance | None = None,
        aesthetics: AestheticModel | None = None,
    ) -> None:
        self.config = config or RewardConfig()
        self.feedback_source = feedback or SimulatedUser()
        self.distance_model = distance or TargetDistance()
        self.aesthetic_model = aesthetics or HeuristicAesthetics()
        self._validity: FormulaValidity | None = None
        self.progress_potential = 0.0  # Φ of the current state
        self.validity_potential = 0.0  # Ψ of the current state
        self.collateral_potential = 0.0  # C of the current state
        self.aesthetic_score = 0.0  # A of the current state

    def potential(self, wb: Workbook, task: Task) -> float:
        """The progress potential Φ = −goal distance."""
        return -self.distance_model.distance(wb, task)

    @staticmethod
    def collateral(changed_cells: int) -> float:
        """The collateral potential C = −min(n, 10)/10 of ``n`` changed cells outside the targets."""
        return -min(changed_cells, COLLATERAL_CELLS) / COLLATERAL_CELLS

    def begin(self, task: Task, wb: Workbook) -> None:
        """Start an episode on ``task`` with its initial sheet ``wb``."""
        self._validity = FormulaValidity(task)
        self.progress_potential = self.potential(wb, task)
        self.validity_potential = self._validity.potential(wb)
        self.collateral_potential = 0.0
        self.aesthetic_score = self.aesthetic_model.score(wb)

    def step(
        self,
        task: Task,
        wb: Workbook,
        command: Command,
        edited: bool,
        progress_potential: float,
        changed_cells: int,
        solved: bool,
        terminated: bool,
        formula_cell: str | None = None,
    ) -> dict[str, float]:
        """Weighted reward terms of a step that applied ``command`` (sum them for the reward).

        :param edited: whether the step changed the sheet (otherwise the potentials are unchanged).
        :param progress_potential: Φ after the step (the environment computes it to detect success).
        :param changed_cells: cells outside the targets that differ from the initial sheet after the step.
        :param terminated: the episode ends with this step (every potential is 0 after it).
        :param formula_cell: the cell (with its sheet) where the step entered a formula, if it did.
        """
        assert self._validity is not None, "call begin() first"
        c = self.config
        validity_potential = self._validity.potential(wb) if edited else self.validity_potential
        aesthetic = self.aesthetic_model.score(wb) if edited else self.aesthetic_score
        collateral = self.collateral(changed_cells)
        keep = 0.0 if terminated else c.gamma
        validity = keep * validity_potential - self.validity_potential
        if formula_cell is not None:
            validity += self._validity.entry_penalty(wb, formula_cell)
        terms = {
            "feedback": c.feedback * self.feedback_source.feedback(task, wb, command, solved, terminated),
            "validity": c.validity * validity,
            "progress": c.progress * (keep * progress_potential - self.progress_potential),
            "collateral": c.collateral * (keep * collateral - self.collateral_potential),
            "complexity": c.complexity * command.complexity,
            "aesthetic": c.aesthetic * (keep * aesthetic - self.aesthetic_score),
        }
        self.progress_potential = progress_potential
        self.validity_potential = validity_potential
        self.collateral_potential = collateral
        self.aesthetic_score = aesthetic
        return terms
