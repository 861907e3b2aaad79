"""Reward shaping: five named, weighted terms, each reported every step in ``info["reward_terms"]``.

=================  =======  =============================================================================
term               weight   definition
=================  =======  =============================================================================
``feedback``       10       the user's verdict (:class:`FeedbackSource`). Default :class:`SimulatedUser`: +1 when
                            the episode ends with the task solved, −1 when the agent says ``done`` unsolved or
                            the step budget runs out unsolved, 0 otherwise.
``validity``       2        formula validity by symbolic execution, for steps that enter formulas (0 otherwise):
                            the mean of four checks mapped to [−1, 1] — parses; evaluates without an error value;
                            every cell it reads is inside the data (non-empty); if the cell is a task target,
                            it agrees with the expert's formula when the inputs are perturbed.
``progress``       1        potential-based shaping γ·Φ(s′) − Φ(s) with Φ = −goal distance (the fraction of
                            unsatisfied targets, :class:`GoalDistance`), Φ = 0 at episode end; it cannot change
                            the optimal policy (Ng, Harada & Russell, 1999).
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
    validity: float = 2.0  # formula validity by symbolic execution, in [-1, 1] per formula entered
    progress: float = 1.0  # potential-based progress toward the goal
    complexity: float = -0.1  # per unit of command complexity
    aesthetic: float = 0.5  # change of the aesthetic score
    gamma: float = 0.99  # discount used by the potential-based progress term (match the agent's)
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
        values = wb._values
        formats = wb._formats
        cells = [k for k in values if k >= 0 and k >> 34 == 0]
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


def formula_validity(wb: Workbook, task: Task, command: Command, rng: random.Random) -> float:
    """Symbolic execution of an entered formula, in [-1, 1] (see the module docstring)."""
    address = f"{SHEET}!{command.cell}"
    checks = [wb.formula(address) is not None]  # parsed and stored
    value = wb.value(address)
    checks.append(not isinstance(value, ExcelError))
    precedents = wb.precedents(address)
    checks.append(bool(precedents) and all(wb.value(p) is not None for p in precedents))
    if command.cell in task.target_cells and task.inputs:
        mine = wb.clone()
        mine.record_undo = False
        reference = task.solution.clone()
        reference.record_undo = False
        assignment = perturb(reference, task.inputs, rng)
        with mine.batch():
            for cell, new in assignment.items():
                mine.set(f"{SHEET}!{cell}", new)
        checks.append(values_match(mine.value(address), reference.value(address)))
    return 2.0 * sum(checks) / len(checks) - 1.0


class RewardFunction:
    """Computes the weighted terms of one step."""

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

    def potential(self, wb: Workbook, task: Task) -> float:
        return -self.distance_model.distance(wb, task)

    def terms(
        self,
        task: Task,
        wb: Workbook,
        command: Command,
        potential_before: float,
        potential_after: float,
        aesthetic_before: float,
        aesthetic_after: float,
        solved: bool,
        episode_over: bool,
        rng: random.Random,
    ) -> dict[str, float]:
        """Weighted reward terms for a step (sum them for the reward)."""
        c = self.config
        after = 0.0 if episode_over else potential_after
        validity = formula_validity(wb, task, command, rng) if command.verb == "formula" else 0.0
        return {
            "feedback": c.feedback * self.feedback_source.feedback(task, wb, command, solved, episode_over),
            "validity": c.validity * validity,
            "progress": c.progress * (c.gamma * after - potential_before),
            "complexity": c.complexity * command.complexity,
            "aesthetic": c.aesthetic * (aesthetic_after - aesthetic_before),
        }
