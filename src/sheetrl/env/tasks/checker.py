"""The success checker: a task is solved only when every condition holds, and a failure names its condition.

Conditions, checked in this order (:data:`CONDITIONS`; ``info["check"]`` is the first that fails, or ``"ok"``):

``formula``
    A target that must hold a formula holds a typed value (or nothing).
``value``
    A target does not show its expected value (or is not empty, for a "clear this cell" target; a target that asks
    only for a format must show what the expert's solution shows there, so a header cannot be replaced).
``style``
    A target lacks its required bold or number format.
``unchanged``
    A cell outside the targets and the task's ``allowed`` ranges differs from the initial workbook: its input
    (literal value or formula text) or its format, on any sheet, including sheets the agent added (in a
    ``format_free`` range only the input counts). Computed values of untouched formulas may change (they follow
    their inputs); everything a person typed or styled may not.
``reads``
    A formula target does not read what the instruction names: following the engine's dependency graph through
    formula cells down to the cells that hold inputs (or nothing), it must reach every non-empty cell of its
    ``reads`` ranges and nothing outside them, the task's ``may_read`` ranges and the other targets. So
    ``=A1+A2+A3`` and ``=SUM(A1:A3)`` both pass, ``=SUM(B1:B3)`` (the neighbouring block) does not.
``follows_inputs``
    Under each perturbation of the task's inputs (:data:`PERTURBATIONS`), applied alike to the agent's workbook
    and to the expert's solution, a dynamic target (a formula or a pivot table) differs from the expert's. A task
    lists the perturbations under which every correct answer of its kind keeps agreeing with the expert:

    ============  ===================================================  ==============================================
    perturbation  change                                               catches
    ============  ===================================================  ==============================================
    rescale       every numeric input times its own factor (3 draws)   typed numbers and constants in sums, averages,
                                                                       products, ratios, growth
    extreme       one input above the maximum; another below the       a reference to the cell that held the
                  minimum                                              extreme instead of MIN/MAX over the range
    blank         one numeric input emptied                            constant counts; a count of another block;
                                                                       a hard-coded count in a sum or an average
    text          one numeric input replaced by text                   the same, and COUNTA where COUNT was asked
    fill_gap      a number typed into an empty cell of a named range   formulas over the blocks around a spacer
                  (a spacer row)                                       instead of the range the instruction names
    flip          one record's category relabelled (every category     constant criteria sums, counts and pivots
                  keeps records)
    reorder       two rows of the lookup table swapped                 a reference to the looked-up row instead of a
                                                                       lookup
    ============  ===================================================  ==============================================

What it cannot see: a formula that reads the right cells and agrees with the expert under every perturbation the
task lists but differs elsewhere (e.g. ``=IF(B2=12345,0,SUM(B2:B9))``); whole-column references and ranges over
4,096 cells are not expanded into cells, so a target reading them fails ``reads`` even when its value is right;
the perturbations are drawn once per task from its seed (deterministic, so an agent cannot probe them, but also a
fixed, finite sample). Formats are checked where a target asks for one (``style``) and, everywhere else, by
``unchanged``; a sheet the agent adds is checked only through its cells.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from sheetrl.env.tasks.base import Task, target_problem, values_match
from sheetrl.sheet import SheetError, Workbook
from sheetrl.sheet.address import RangeAddress, make_key, parse_range, split_key

CONDITIONS = ("formula", "value", "style", "unchanged", "reads", "follows_inputs")
RESCALES = 3  # draws of the rescale perturbation


@dataclass(frozen=True)
class CheckResult:
    """Outcome of a success check: ``condition`` is "ok" or the first condition that failed (:data:`CONDITIONS`),
    ``cell`` where it failed, ``reason`` a sentence for people."""

    success: bool
    condition: str = "ok"
    cell: str | None = None
    reason: str = ""
    satisfied: int = 0
    total: int = 0


# --------------------------------------------------------------------------------------------------- perturbations
Assignment = dict[str, Any]  # qualified address -> new content (None clears)


def _numbers(wb: Workbook, task: Task) -> list[tuple[str, float]]:
    out = []
    for address in task.inputs:
        value = wb.value(task.qualified(address))
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            out.append((task.qualified(address), float(value)))
    return out


def _rescale(wb: Workbook, task: Task, rng: random.Random) -> list[Assignment]:
    """Every numeric input scaled by its own factor in [0.5, 1.5] (integers stay integers, never unchanged):
    sums, averages, products and ratios change."""
    draws = []
    for _ in range(RESCALES):
        assignment: Assignment = {}
        for address, current in _numbers(wb, task):
            factor = rng.uniform(0.5, 1.5)
            if current.is_integer():
                new = float(round(current * factor))
                if new == current:
                    new = current + rng.choice((-1, 1)) * max(1, abs(current) // 10)
            else:
                new = round(current * factor, 4)
                if new == current:
                    new = current + 1.0
            assignment[address] = new
        draws.append(assignment)
    return draws


def _extreme(wb: Workbook, task: Task, rng: random.Random) -> list[Assignment]:
    """A non-extreme input becomes the new largest, another the new smallest: minima, maxima and ranks move to
    other cells (a reference to the old extreme cell fails)."""
    numbers = _numbers(wb, task)
    if len(numbers) < 3:
        return []
    values = [v for _, v in numbers]
    high, low = max(values), min(values)
    spread = max(1.0, high - low)
    middle = [a for a, v in numbers if low < v < high] or [a for a, _ in numbers]
    grow, shrink = rng.sample(middle, 2) if len(middle) >= 2 else (middle[0], middle[0])
    draws = [{grow: float(round(high + spread * rng.uniform(0.2, 0.8) + 1))}]
    if shrink != grow:
        draws.append({shrink: float(round(low - spread * rng.uniform(0.2, 0.8) - 1))})
    return draws


def _blank(wb: Workbook, task: Task, rng: random.Random) -> list[Assignment]:
    """One numeric input emptied: counts change (a constant or a count of another block does not)."""
    numbers = _numbers(wb, task)
    return [{rng.choice(numbers)[0]: None}] if numbers else []


def _text(wb: Workbook, task: Task, rng: random.Random) -> list[Assignment]:
    """One numeric input replaced by a text: counts of numbers change, sums ignore it."""
    numbers = _numbers(wb, task)
    return [{rng.choice(numbers)[0]: "n/a"}] if numbers else []


def _fill_gap(wb: Workbook, task: Task, rng: random.Random) -> list[Assignment]:
    """A number typed into an empty cell inside a range a target reads (a spacer row): the range, not the blocks
    around the gap, is what counts."""
    gaps: list[str] = []
    seen: set[str] = set()
    for target in task.targets:
        for area in target.reads:
            qualified = task.qualified(area)
            sheet = qualified.rsplit("!", 1)[0]
            for row, col in _scanned_cells(wb, parse_range(qualified)):
                address = f"{sheet}!{_cell(row, col)}"
                if address not in seen and wb.value(address) is None:
                    seen.add(address)
                    gaps.append(address)
    if not gaps:
        return []
    numbers = [v for _, v in _numbers(wb, task)] or [10.0]
    return [{rng.choice(gaps): float(round(rng.choice(numbers)))}]


GAP_SCAN_CELLS = 65_536  # cells of one range searched for gaps: a range over the whole sheet has 17 billion


def _scanned_cells(wb: Workbook, area: RangeAddress) -> Iterator[tuple[int, int]]:
    """(row, column) of the cells of a range searched for gaps, row by row: all of them in a range of up to
    :data:`GAP_SCAN_CELLS` cells; in a larger one, those inside the sheet's used range, up to that many."""
    row1, col1, row2, col2 = area.row1, area.col1, area.row2, area.col2
    if area.rows * area.cols > GAP_SCAN_CELLS:
        try:
            used = wb.used_range(area.sheet)
        except SheetError:
            return
        if used is None:
            return
        row1, col1, row2, col2 = max(row1, used.row1), max(col1, used.col1), min(row2, used.row2), min(col2, used.col2)
    count = 0
    for row in range(row1, row2 + 1):
        for col in range(col1, col2 + 1):
            if count == GAP_SCAN_CELLS:
                return
            count += 1
            yield row, col


def _flip(wb: Workbook, task: Task, rng: random.Random) -> list[Assignment]:
    """One record's category relabelled to another category of the table (every category keeps a record):
    criteria-based sums, counts and pivot tables change."""
    cells = [(task.qualified(a), wb.value(task.qualified(a))) for a in task.criteria]
    cells = [(a, v) for a, v in cells if isinstance(v, str)]
    counts: dict[str, int] = {}
    for _, label in cells:
        counts[label] = counts.get(label, 0) + 1
    labels = sorted(counts)
    movable = [(a, v) for a, v in cells if counts[v] >= 2]
    if len(labels) < 2 or not movable:
        return []
    draws = []
    for address, label in rng.sample(movable, min(2, len(movable))):
        draws.append({address: rng.choice([other for other in labels if other != label])})
    return draws


def _reorder(wb: Workbook, task: Task, rng: random.Random) -> list[Assignment]:
    """Two rows of the lookup table swapped: a lookup finds its key in another row (a direct reference to the
    old row fails)."""
    if task.lookup is None:
        return []
    area = parse_range(task.qualified(task.lookup))
    if area.rows < 2:
        return []
    sheet = task.qualified(task.lookup).rsplit("!", 1)[0]
    first, second = rng.sample(range(area.row1, area.row2 + 1), 2)
    assignment: Assignment = {}
    for col in range(area.col1, area.col2 + 1):
        a, b = f"{sheet}!{_cell(first, col)}", f"{sheet}!{_cell(second, col)}"
        assignment[a], assignment[b] = wb.input(b), wb.input(a)
    return [assignment]


def _cell(row: int, col: int) -> str:
    from sheetrl.sheet.address import cell_name

    return cell_name(row, col)


PERTURBATIONS: dict[str, Callable[[Workbook, Task, random.Random], list[Assignment]]] = {
    "rescale": _rescale,
    "extreme": _extreme,
    "blank": _blank,
    "text": _text,
    "fill_gap": _fill_gap,
    "flip": _flip,
    "reorder": _reorder,
}


def apply_assignment(wb: Workbook, assignment: Assignment) -> None:
    with wb.batch():
        for address, value in assignment.items():
            if value is None:
                wb.clear(address)
            else:
                wb.set(address, value)


def reference_perturbations(task: Task) -> list[tuple[str, Assignment, dict[str, Any]]]:
    """(kind, assignment, the expert's dynamic-target values under it) for every perturbation of the task, drawn
    once from the task's seed and cached on the task."""
    cached = task.__dict__.get("_reference_perturbations")
    if cached is not None:
        return cached
    for kind in task.perturbations:
        if kind not in PERTURBATIONS:
            raise ValueError(f"unknown perturbation {kind!r}; choose among {', '.join(PERTURBATIONS)}")
    rng = random.Random(task.seed * 7919 + 17)
    dynamic = [task.qualified(t.address) for t in task.targets if t.dynamic or t.formula]
    out = []
    for kind in task.perturbations:
        for assignment in PERTURBATIONS[kind](task.solution, task, rng):
            reference = task.solution.clone()
            reference.record_undo = False
            apply_assignment(reference, assignment)
            out.append((kind, assignment, {address: reference.value(address) for address in dynamic}))
    task.__dict__["_reference_perturbations"] = out
    return out


# ------------------------------------------------------------------------------------------------- collateral
FREE, FORMAT_FREE, PROTECTED = 0, 1, 2  # what protected() says of a cell


def protected(task: Task, wb: Workbook) -> Callable[[int], int]:
    """A function of cell keys of ``wb``: PROTECTED (2) for cells the agent must leave as they were, FORMAT_FREE (1)
    for cells in a ``format_free`` range (content kept, format free), FREE (0) for targets and ``allowed`` ranges;
    truthy for every cell whose content is protected."""
    free: set[int] = set()
    for address in task.target_cells:
        try:
            free.add(wb.key(task.qualified(address)))
        except SheetError:
            pass
    allowed = _areas(task, wb, task.allowed)
    format_free = _areas(task, wb, task.format_free)

    def protection(key: int) -> int:
        if key in free:
            return FREE
        if allowed or format_free:
            sid, row, col = split_key(key)
            for s, r1, c1, r2, c2 in allowed:
                if s == sid and r1 <= row <= r2 and c1 <= col <= c2:
                    return FREE
            for s, r1, c1, r2, c2 in format_free:
                if s == sid and r1 <= row <= r2 and c1 <= col <= c2:
                    return FORMAT_FREE
        return PROTECTED

    return protection


def _areas(task: Task, wb: Workbook, ranges: list[str]) -> list[tuple[int, int, int, int, int]]:
    """(sheet id, row1, col1, row2, col2) of each range that is on a sheet ``wb`` has."""
    areas = []
    for area in ranges:
        rng = parse_range(task.qualified(area))
        try:
            sid = wb.sheet_id(rng.sheet)
        except SheetError:
            continue
        areas.append((sid, rng.row1, rng.col1, rng.row2, rng.col2))
    return areas


def changed_from(initial: Workbook, wb: Workbook, key: int, formats: bool = True) -> bool:
    """Whether a cell's input (literal or formula text), or (with ``formats``) its format, differs between two
    versions of a workbook (a key of a sheet one of them lacks reads as an empty, unformatted cell there)."""
    before, after = initial.input_at(key), wb.input_at(key)
    return (after != before or type(after) is not type(before)  # TRUE is not 1
            or (formats and wb.format_at(key) != initial.format_at(key)))


def _collateral(initial: Workbook, wb: Workbook, key: int, protection: int) -> bool:
    return protection != FREE and changed_from(initial, wb, key, formats=protection == PROTECTED)


def collateral_cells(task: Task, wb: Workbook) -> list[int]:
    """Keys of the protected cells whose input (or, outside ``format_free`` ranges, format) differs from the
    initial workbook, sorted."""
    initial = task.workbook
    protection = protected(task, wb)
    keys: set[int] = set()
    for name in initial.sheet_names:
        keys.update(initial.sheet_keys(initial.sheet_id(name)))
    for name in wb.sheet_names:
        keys.update(wb.sheet_keys(wb.sheet_id(name)))
    return sorted(k for k in keys if _collateral(initial, wb, k, protection(k)))


class CollateralTracker:
    """The number of changed protected cells, updated from the workbook's change log (the reward's potential)."""

    def __init__(self, task: Task, wb: Workbook) -> None:
        self.task = task
        self.initial = task.workbook
        self._is_protected = protected(task, wb)
        self.changed: set[int] = set()

    def update(self, wb: Workbook, keys: Iterable[int], everything: bool = False) -> int:
        """Re-examine the cells in ``keys`` (or all, with ``everything``); returns how many are changed now."""
        if everything:
            self._is_protected = protected(self.task, wb)
            self.changed.clear()  # in place: the observation builder holds this set
            self.changed.update(collateral_cells(self.task, wb))
            return len(self.changed)
        initial, changed = self.initial, self.changed
        for key in keys:
            if key >= 0 and _collateral(initial, wb, key, self._is_protected(key)):
                changed.add(key)
            else:
                changed.discard(key)
        return len(changed)

    def refresh_protection(self, wb: Workbook) -> None:
        """Recompute which keys are protected (after the agent adds a sheet that holds targets)."""
        self._is_protected = protected(self.task, wb)


# ------------------------------------------------------------------------------------------------------- reads
def leaf_reads(wb: Workbook, key: int) -> set[int]:
    """The cells a formula depends on, through other formulas, that are not formulas themselves."""
    return dependency_reach(wb, key)[0]


def dependency_reach(wb: Workbook, key: int) -> tuple[set[int], set[int]]:
    """(leaves, formulas): the cells a formula depends on, through other formulas, split into those that are not
    formulas themselves and the formula cells passed through on the way."""
    leaves: set[int] = set()
    formulas: set[int] = set()
    seen = {key}
    stack = list(wb.precedent_keys(key))
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        if wb.formula_at(current) is not None:
            formulas.add(current)
            stack.extend(wb.precedent_keys(current))
        else:
            leaves.add(current)
    return leaves, formulas


@lru_cache(maxsize=4096)
def _area_keys(sheet_id: int, area: str) -> frozenset[int]:
    rng = parse_range(area)
    return frozenset(make_key(sheet_id, r, c) for r in range(rng.row1, rng.row2 + 1)
                     for c in range(rng.col1, rng.col2 + 1))


def _keys_of(wb: Workbook, task: Task, areas: Iterable[str]) -> set[int]:
    keys: set[int] = set()
    for area in areas:
        text = task.qualified(area)
        local = text.rpartition("!")[2]
        try:
            sid = wb.sheet_id(parse_range(text).sheet)
        except SheetError:
            continue
        keys |= _area_keys(sid, local.replace("$", ""))
    return keys


def _inside(key: int, boxes: list[tuple[int, int, int, int, int]]) -> bool:
    sid, row, col = split_key(key)
    return any(s == sid and r1 <= row <= r2 and c1 <= col <= c2 for s, r1, c1, r2, c2 in boxes)


def _present_in(wb: Workbook, task: Task, areas: list[str], present: Mapping[int, Any]) -> set[int]:
    """The keys of ``present`` inside some ranges, in time proportional to the smaller of the ranges' cells and
    ``present`` (a range may cover the whole sheet)."""
    boxes = _areas(task, wb, areas)
    size = sum((r2 - r1 + 1) * (c2 - c1 + 1) for _, r1, c1, r2, c2 in boxes)
    if size <= len(present):
        return {k for k in _keys_of(wb, task, areas) if k in present}
    return {k for k in present if k >= 0 and _inside(k, boxes)}


def reads_problem(wb: Workbook, task: Task) -> tuple[str, str] | None:
    """(cell, sentence) of the first formula target that does not read what it must, or None.

    Required: every cell of the target's ``reads`` ranges that holds something in the initial workbook, reached
    as an input or passed through as a formula (the workbook's own computed inputs). Allowed:
    those ranges, the task's ``may_read``, the targets, and whatever the expert's own formula for the target
    reaches (a total over a column of new formulas reaches their inputs). The work grows with the cells that exist,
    not with the size of the ranges."""
    shared = _keys_of(wb, task, task.may_read) | _keys_of(wb, task, task.target_cells)
    initial_values = task.workbook.value_map()
    expert = _expert_leaves(task)
    for target in task.targets:
        if not target.formula or not target.reads:
            continue
        address = task.qualified(target.address)
        leaves, through = dependency_reach(wb, wb.key(address))
        # a cell of the ranges that holds a formula (an input computed in the user's workbook) is read when the
        # walk passes through it
        missing = _present_in(wb, task, list(target.reads), initial_values) - leaves - through
        if missing:
            return target.address, (f"{target.address} does not read {_describe(wb, missing)} "
                                    f"of {', '.join(target.reads)}")
        own = _areas(task, wb, list(target.reads))
        stray = {k for k in leaves if not _inside(k, own)} - shared - expert.get(address, set())
        if stray:
            return target.address, f"{target.address} reads {_describe(wb, stray)}, outside {', '.join(target.reads)}"
    return None


def _expert_leaves(task: Task) -> dict[str, set[int]]:
    """The leaf reads of the expert's formula for each formula target (cached on the task)."""
    cached = task.__dict__.get("_expert_leaves")
    if cached is None:
        solution = task.solution
        cached = {}
        for target in task.targets:
            if target.formula and target.reads:
                address = task.qualified(target.address)
                cached[address] = leaf_reads(solution, solution.key(address))
        task.__dict__["_expert_leaves"] = cached
    return cached


def _describe(wb: Workbook, keys: set[int]) -> str:
    names = [wb.address(k).split("!")[-1] for k in sorted(keys)]
    return ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")


# ------------------------------------------------------------------------------------------------------- check
def quick_condition(wb: Workbook, task: Task, changed_cells: int) -> str:
    """The first failing condition among the cheap ones (a target's formula, value or style, then
    ``unchanged`` when ``changed_cells`` is positive), or ``"reads"`` when they all hold: the environment's
    ``info["check"]`` between full checks."""
    order = {name: i for i, name in enumerate(CONDITIONS)}
    problems = [p for p in (target_problem(wb, task, t) for t in task.targets) if p is not None]
    if problems:
        return min(problems, key=order.__getitem__)
    return "unchanged" if changed_cells else "reads"


def check(wb: Workbook, task: Task) -> CheckResult:
    """Is the task solved in ``wb``? Every condition of the module docstring, cheapest first."""
    total = len(task.targets)
    problems = [(t, target_problem(wb, task, t)) for t in task.targets]
    failing = [(t, p) for t, p in problems if p is not None]
    satisfied = total - len(failing)
    if failing:
        order = {name: i for i, name in enumerate(CONDITIONS)}
        target, problem = min(failing, key=lambda item: order[item[1]])
        reasons = {"formula": "must hold a formula", "value": "does not show the expected value",
                   "style": "lacks the required format"}
        return CheckResult(False, problem or "value", target.address,
                           f"{target.address} {reasons[problem or 'value']}", satisfied, total)
    changed = collateral_cells(task, wb)
    if changed:
        cells = [wb.address(k) for k in changed]
        shown = ", ".join(cells[:3]) + (f" and {len(cells) - 3} more" if len(cells) > 3 else "")
        return CheckResult(False, "unchanged", cells[0], f"cells outside the task changed: {shown}", satisfied, total)
    reads = reads_problem(wb, task)
    if reads is not None:
        return CheckResult(False, "reads", reads[0], reads[1], satisfied, total)
    dynamic = [t for t in task.targets if t.dynamic or t.formula]
    if dynamic:
        for kind, assignment, expected in reference_perturbations(task):
            mine = wb.clone()
            mine.record_undo = False
            apply_assignment(mine, assignment)
            for target in dynamic:
                address = task.qualified(target.address)
                if not values_match(mine.value(address), expected[address]):
                    return CheckResult(False, "follows_inputs", target.address,
                                       f"{target.address} does not follow its inputs ({kind} perturbation)",
                                       satisfied, total)
    return CheckResult(True, "ok", None, "", satisfied, total)
