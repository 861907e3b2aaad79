"""Reward shaping: five named, weighted terms, each reported every step in ``info["reward_terms"]``.

=================  =======  =============================================================================
term               weight   definition
=================  =======  =============================================================================
``feedback``       10       the user's verdict (:class:`FeedbackSource`). Default :class:`SimulatedUser`: +1 when
                            the episode ends with the task solved, −1 when the agent says ``done`` unsolved or
                            the step budget runs out unsolved, 0 otherwise.
``validity``       2        formula validity by symbolic execution, as a potential difference γ·Ψ(s′) − Ψ(s):
                            Ψ is the mean over the task's formula targets of each target's validity in [0, 1]
                            (0 without a formula, else the mean of four checks: it holds a formula; it evaluates
                            without an error value; every cell it reads is non-empty; it agrees with the expert's
                            formula when the inputs are perturbed). Entering a formula outside the targets earns
                            nothing and loses a third for each of the first three checks it fails. Neither part can
                            be farmed: re-entering formulas gains nothing.
``progress``       1        potential-based shaping γ·Φ(s′) − Φ(s) with Φ = −goal distance (the fraction of
                            unsatisfied targets, :class:`GoalDistance`); both potentials are 0 in a terminal state
                            (solved, or ``done``) and kept on truncation, where agents bootstrap, so neither term
                            can change the optimal policy (Ng, Harada & Russell, 1999).
``complexity``     −0.1     the command's complexity (``Command.complexity``: 0 navigation, 1 edit, 3 pivot,
                            +0.25 per extra function call in a formula).
``aesthetic``      0.5      change in the sheet's aesthetic score (:class:`AestheticModel`, in [0, 1]); as a
                            difference of scores it is potential-based too and cannot be farmed.
=================  =======  =============================================================================

An invalid action (masked out, or a command the engine rejects) changes nothing and gets ``invalid_penalty``
(−1) as its only reward, reported as the term ``invalid``.

Goal distance and aesthetics are interfaces: a distance learned from demonstrations (inverse RL) and a preference
model learned from user feedback plug in here without touching the environment.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Protocol

from sheetrl.env.commands import Command
from sheetrl.env.tasks.base import SHEET, Task, goal_distance, perturb, values_match
from sheetrl.sheet import Workbook
from sheetrl.sheet.address import split_key
from sheetrl.sheet.errors import ExcelError

TERMS = ("feedback", "validity", "progress", "complexity", "aesthetic")


@dataclass(frozen=True)
class RewardConfig:
    """Weights of the reward terms (see the module docstring)."""

    feedback: float = 10.0  # user feedback, +1 solved / -1 failed at episode end
    validity: float = 2.0  # formula validity by symbolic execution (potential over the formula targets)
    progress: float = 1.0  # potential-based progress toward the goal
    complexity: float = -0.1  # per unit of command complexity
    aesthetic: float = 0.5  # change of the aesthetic score
    gamma: float = 0.99  # discount of the potential-based terms (match the agent's)
    invalid_penalty: float = -1.0  # reward of an invalid action, which changes nothing

    def __post_init__(self) -> None:
        for name in ("feedback", "validity", "progress", "complexity", "aesthetic", "gamma", "invalid_penalty"):
            value = getattr(self, name)
            if not isinstance(value, (int, float)) or value != value:
                raise ValueError(f"reward weight {name} must be a number, not {value!r}")
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
    """A transparent heuristic over the task sheet, the mean of four checks:

    - header rows are bold (the first non-empty row, when it is text above numbers);
    - each column's numbers share one number format;
    - numbers are not left- or centre-aligned;
    - no stray values (a non-empty cell with no non-empty neighbour in its row or column).
    """

    def score(self, wb: Workbook) -> float:
        values = wb.value_map()
        formats = wb.format_map()
        cells = [k for k in wb.sheet_keys(wb.sheet_id()) if k in values]
        if not cells:
            return 1.0
        positions = {split_key(k)[1:]: k for k in cells}
        first_row = min(r for r, _ in positions)
        header = [k for (r, _), k in positions.items() if r == first_row]
        header_is_text = all(type(values[k]) is str for k in header) and any(
            (first_row + 1, c) in positions for (_, c) in (split_key(k)[1:] for k in header)
        )
        checks = []
        if header_is_text:
            checks.append(sum(1 for k in header if (f := formats.get(k)) is not None and f.bold) / len(header))
        by_column: dict[int, set[str]] = {}
        aligned = 0
        numbers = 0
        for (_, c), k in positions.items():
            if type(values[k]) is float:
                fmt = formats.get(k)
                by_column.setdefault(c, set()).add(fmt.number_format if fmt is not None else "General")
                numbers += 1
                if fmt is None or fmt.horizontal in ("general", "right"):
                    aligned += 1
        if by_column:
            checks.append(sum(1 for f in by_column.values() if len(f) == 1) / len(by_column))
        if numbers:
            checks.append(aligned / numbers)
        stray = sum(
            1
            for (r, c) in positions
            if not any(n in positions for n in ((r - 1, c), (r + 1, c), (r, c - 1), (r, c + 1)))
        )
        checks.append(1.0 - stray / len(positions))
        return sum(checks) / len(checks)


class FormulaValidity:
    """Symbolic execution of the formulas in one task's sheet (the ``validity`` term; module docstring).

    The perturbed inputs are drawn once per task from a seed of its own, so the potential is a function of the
    sheet alone and the expert's perturbed values are computed once.
    """

    def __init__(self, task: Task) -> None:
        self.task = task
        self.targets = [t.address for t in task.targets if t.formula]
        self._perturbation: tuple[dict[str, object], dict[str, object]] | None = None

    def _reference(self) -> tuple[dict[str, object], dict[str, object]]:
        """(perturbed input values, the expert's target values under them)."""
        if self._perturbation is None:
            reference = self.task.solution.clone()
            reference.record_undo = False
            assignment = perturb(reference, self.task.inputs, random.Random(self.task.seed * 104_729 + 11))
            values = {address: reference.value(f"{SHEET}!{address}") for address in self.targets}
            self._perturbation = (assignment, values)
        return self._perturbation

    @staticmethod
    def static_checks(wb: Workbook, address: str) -> tuple[bool, bool, bool]:
        """(holds a formula, evaluates without an error value, reads only non-empty cells) for a sheet cell."""
        where = f"{SHEET}!{address}"
        if wb.formula(where) is None:
            return False, False, False
        precedents = wb.precedents(where)
        reads_data = bool(precedents) and all(wb.value(p) is not None for p in precedents)
        return True, not isinstance(wb.value(where), ExcelError), reads_data

    def potential(self, wb: Workbook) -> float:
        """Ψ in [0, 1]: the mean validity of the formula targets (0 for a target without a formula)."""
        if not self.targets:
            return 0.0
        perturbed: Workbook | None = None
        total = 0.0
        for address in self.targets:
            checks = list(self.static_checks(wb, address))
            if not checks[0]:
                continue
            assignment, expected = self._reference()
            if assignment:
                if perturbed is None:
                    perturbed = wb.clone()
                    perturbed.record_undo = False
                    with perturbed.batch():
                        for cell, value in assignment.items():
                            perturbed.set(f"{SHEET}!{cell}", value)
                checks.append(values_match(perturbed.value(f"{SHEET}!{address}"), expected[address]))
            total += sum(checks) / len(checks)
        return total / len(self.targets)

    def entry_penalty(self, wb: Workbook, address: str) -> float:
        """For a formula entered outside the targets: −1/3 per failed static check, in [−1, 0]."""
        if address in self.targets:
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
        self.aesthetic_score = 0.0  # aesthetic score of the current state

    def potential(self, wb: Workbook, task: Task) -> float:
        """The progress potential Φ = −goal distance."""
        return -self.distance_model.distance(wb, task)

    def begin(self, task: Task, wb: Workbook) -> None:
        """Start an episode on ``task`` with its initial sheet ``wb``."""
        self._validity = FormulaValidity(task)
        self.progress_potential = self.potential(wb, task)
        self.validity_potential = self._validity.potential(wb)
        self.aesthetic_score = self.aesthetic_model.score(wb)

    def step(
        self,
        task: Task,
        wb: Workbook,
        command: Command,
        edited: bool,
        progress_potential: float,
        solved: bool,
        terminated: bool,
        truncated: bool,
    ) -> dict[str, float]:
        """Weighted reward terms of a step that applied ``command`` (sum them for the reward).

        :param edited: whether the step changed the sheet (otherwise the potentials are unchanged).
        :param progress_potential: Φ after the step (the environment computes it to detect success).
        """
        assert self._validity is not None, "call begin() first"
        c = self.config
        episode_over = terminated or truncated
        validity_potential = self._validity.potential(wb) if edited else self.validity_potential
        aesthetic = self.aesthetic_model.score(wb) if edited else self.aesthetic_score
        keep = 0.0 if terminated else c.gamma
        validity = keep * validity_potential - self.validity_potential
        if command.verb == "formula" and command.cell is not None:
            validity += self._validity.entry_penalty(wb, command.cell)
        terms = {
            "feedback": c.feedback * self.feedback_source.feedback(task, wb, command, solved, episode_over),
            "validity": c.validity * validity,
            "progress": c.progress * (keep * progress_potential - self.progress_potential),
            "complexity": c.complexity * command.complexity,
            "aesthetic": c.aesthetic * (aesthetic - self.aesthetic_score),
        }
        self.progress_potential = progress_potential
        self.validity_potential = validity_potential
        self.aesthetic_score = aesthetic
        return terms
