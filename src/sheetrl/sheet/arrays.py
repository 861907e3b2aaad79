"""Array results in the grid: dynamic-array spills and legacy (CSE) array formulas.

A formula whose result is an array puts its elements into the cells below and to the right of it, as Excel does:

- a *dynamic-array* formula (every formula entered with ``Workbook.set``) **spills**: its array occupies as many
  cells as it has elements, if every one of them is empty; otherwise the formula shows ``#SPILL!`` and occupies only
  its own cell, and it spills again as soon as the blocking cells are cleared. ``A1#`` refers to the cells it spills.
- a *legacy array formula* (``Workbook.set_array_formula("C1:C3", "=A1:A3*B1:B3")``, Excel's Ctrl+Shift+Enter)
  owns a fixed range: its result is fitted to that range (a one-row or one-column array repeats along the other
  axis, missing elements are ``#N/A``) and no part of the range can be edited on its own.

Spilled cells are ordinary values for every reader (formulas, ``value``, the observation), but they are not
inputs: ``input``/``cells`` do not list them, saving writes only the formula, undo never records them.

Dependencies. A formula that reads a cell holding an array element has an ordinary dependency edge on that cell.
The anchor (the formula that placed the array) is treated as writing every cell of its last attempted area: the
anchor's successors in the dependency graph include the readers of those cells, so they are recalculated after it,
in topological order, and a formula that reads the area while the anchor reads the formula is a circular reference.
When an anchor's area changes shape (or a block appears or clears) during a recalculation, readers of cells that
the plan did not foresee are recalculated in a follow-up pass over exactly those cells (:meth:`_settle_spills`),
and blocked anchors whose area was freed are retried, so no stale value survives an edit.
"""

from __future__ import annotations

from typing import Any

from sheetrl.sheet.address import MAX_COLS, MAX_ROWS, make_key, split_key
from sheetrl.sheet.data_tables import is_data_table_formula
from sheetrl.sheet.errors import CYCLE, SPILL, SheetError
from sheetrl.sheet.evaluation import spill_key
from sheetrl.sheet.range_readers import RangeReaders
from sheetrl.sheet.values import Matrix, fit_to_range

Area = tuple[int, int, int, int, int]  # (sheet id, row1, col1, row2, col2), inclusive

# Follow-up passes after which array placement stops chasing changes (only a pathological chain of spills whose
# sizes keep changing each other could need this many; a circular one is caught as #CYCLE! first).
MAX_SETTLE_ROUNDS = 64


def area_of(anchor: int, rows: int, cols: int) -> Area:
    sid, row, col = split_key(anchor)
    return sid, row, col, row + rows - 1, col + cols - 1


def area_keys(area: Area) -> list[int]:
    sid, r1, c1, r2, c2 = area
    return [make_key(sid, r, c) for r in range(r1, r2 + 1) for c in range(c1, c2 + 1)]


def _overlaps(a: Area, b: Area) -> bool:
    return a[0] == b[0] and a[1] <= b[3] and b[1] <= a[3] and a[2] <= b[4] and b[2] <= a[4]


def _contains(area: Area, key: int) -> bool:
    sid, row, col = split_key(key)
    return area[0] == sid and area[1] <= row <= area[3] and area[2] <= col <= area[4]


class ArrayPlacement:
    """Mixin of :class:`~sheetrl.sheet.workbook.Workbook`: placing array results, spill bookkeeping.

    State: ``_spills`` maps an anchor (a formula whose last result was an array) to ``(rows, cols, placed)``: the
    area it last tried to occupy and whether it occupies it; legacy array formulas are always placed. ``_spill_owner``
    maps every occupied cell except the anchors to its anchor. ``_spill_dirty`` collects areas whose occupancy
    changed in a way the running recalculation plan did not foresee.
    """

    _values: dict[int, Any]
    _formulas: dict[int, Any]
    _dependents: dict[int, set[int]]
    _big_ranges: dict[int, tuple[Area, ...]]
    _plans: dict[int, Any]
    _spills: dict[int, tuple[int, int, bool]]
    _spill_owner: dict[int, int]
    _spill_dirty: list[Area]
    _change_log: set[int] | None

    # Provided by Workbook (declared here for the type checker; Workbook's own methods take precedence).
    def _own(self, name: str) -> None:
        raise NotImplementedError

    def _touch_extent(self, key: int) -> None:
        raise NotImplementedError

    def _build_plan(self, start: int, roots: list[int] | None = None) -> tuple[tuple[int, Any], ...]:
        raise NotImplementedError

    def _range_readers(self) -> RangeReaders:
        raise NotImplementedError

    def _execute(self, plan: Any) -> None:
        raise NotImplementedError

    # ----------------------------------------------------------------------------------------------- placing
    def _place(self, anchor: int, result: Any) -> Any:
        """Put a formula's result into the grid; returns the value of the anchor cell itself."""
        cell = self._formulas.get(anchor)
        fixed = cell.array if cell is not None else None
        if fixed is not None:
            return self._place_fixed(anchor, fixed, result)
        if type(result) is not Matrix:
            if result is CYCLE and anchor in self._spills:
                self._unplace(anchor, keep_attempt=True)  # keep the area: it is part of the cycle
            elif anchor in self._spills:
                self._unplace(anchor, keep_attempt=False)
            return result
        return self._spill(anchor, result)

    def _spill(self, anchor: int, result: Matrix) -> Any:
        rows, cols = result.rows, result.cols
        sid, row, col = split_key(anchor)
        previous = self._spills.get(anchor)
        area = (sid, row, col, row + rows - 1, col + cols - 1)
        values, formulas = self._values, self._formulas
        owners = self._spill_owner
        blocked = row + rows > MAX_ROWS or col + cols > MAX_COLS
        keys: list[int] = []
        if not blocked:
            keys = area_keys(area)
            for key in keys:
                if key == anchor:
                    continue
                owner = owners.get(key)
                # a cell is free if it holds nothing, or this anchor's own element; another array's cell (even
                # one not yet evaluated) or an input blocks the spill
                if (owner is None and (key in values or key in formulas)) or (owner is not None and owner != anchor):
                    blocked = True
                    break
        if blocked:
            if previous != (rows, cols, False):
                self._unplace(anchor, keep_attempt=False)
                self._set_spill_state(anchor, (rows, cols, False), previous)
            return SPILL
        if previous is not None and previous[2] and previous[:2] != (rows, cols):
            old = area_of(anchor, previous[0], previous[1])
            self._release([k for k in area_keys(old) if not _contains(area, k)], anchor)
        self._own("_spill_owner")
        owners = self._spill_owner
        log = self._change_log
        first = None
        for key, value in zip(keys, result.values):
            if key == anchor:
                first = value
                continue
            if key not in values:
                self._touch_extent(key)
            values[key] = value
            owners[key] = anchor
            if log is not None:
                log.add(key)
        values[spill_key(anchor)] = (rows, cols)
        if previous != (rows, cols, True):
            self._set_spill_state(anchor, (rows, cols, True), previous)
        return first

    def _place_fixed(self, anchor: int, shape: tuple[int, int], result: Any) -> Any:
        """A legacy array formula: its result fitted to its own range (never blocked, never resized)."""
        rows, cols = shape
        if type(result) is Matrix and result.rows * result.cols > 1:
            laid = fit_to_range(result, rows, cols)
        else:
            laid = [result] * (rows * cols)
        values, log = self._values, self._change_log
        values[spill_key(anchor)] = shape  # A1# refers to a legacy array formula's range too (as in Excel)
        keys = area_keys(area_of(anchor, rows, cols))
        for key, value in zip(keys[1:], laid[1:]):
            if key not in values:
                self._touch_extent(key)  # whole-column ranges read up to the used extent
            values[key] = value
            if log is not None:
                log.add(key)
        return laid[0]

    def _unplace(self, anchor: int, keep_attempt: bool) -> None:
        """Empty the cells an anchor occupies; forget its area unless ``keep_attempt``."""
        previous = self._spills.get(anchor)
        if previous is None:
            return
        self._own("_values")  # may run outside a recalculation (a formula removed), on a dict a clone shares
        if previous[2]:
            self._release(area_keys(area_of(anchor, previous[0], previous[1])), anchor)
        self._values.pop(spill_key(anchor), None)
        new_state = (previous[0], previous[1], False) if keep_attempt else None
        if new_state != previous:
            self._set_spill_state(anchor, new_state, previous)

    def _release(self, keys: list[int], anchor: int) -> None:
        """Empty the cells among ``keys`` that ``anchor`` occupies."""
        owners, values, log = self._spill_owner, self._values, self._change_log
        freed = [k for k in keys if owners.get(k) == anchor]
        if not freed:
            return
        self._own("_spill_owner")
        self._own("_values")
        owners, values = self._spill_owner, self._values
        for key in freed:
            del owners[key]
            values.pop(key, None)
            if log is not None:
                log.add(key)

    def _set_spill_state(
        self, anchor: int, state: tuple[int, int, bool] | None, previous: tuple[int, int, bool] | None
    ) -> None:
        """Record an anchor's new area/placement; readers of the old and new areas are rechecked afterwards."""
        self._own("_spills")
        if state is None:
            self._spills.pop(anchor, None)
        else:
            self._spills[anchor] = state
        self._plans = {}  # an anchor's successors depend on its area
        for shape in (previous, state):
            if shape is not None:
                self._spill_dirty.append(area_of(anchor, shape[0], shape[1]))

    # ------------------------------------------------------------------------------------------ dependencies
    def _area_readers(self, anchor: int) -> list[int]:
        """Formulas that read any cell of the area an anchor last tried to occupy (the anchor cell excluded)."""
        rows, cols, _ = self._spills[anchor]
        return self._readers(area_of(anchor, rows, cols), skip=anchor)

    def _readers(self, area: Area, skip: int | None = None) -> list[int]:
        found: dict[int, None] = {}
        dependents = self._dependents
        for key in area_keys(area):
            if key != skip:
                for reader in dependents.get(key, ()):
                    found[reader] = None
        if self._big_ranges:
            for reader in self._range_readers().readers_overlapping(*area):
                found[reader] = None
        return list(found)

    def _settle_spills(self) -> None:
        """Recalculate what array placements changed beyond the plan that ran: readers of cells that became
        occupied or empty, and blocked anchors whose area was freed. Repeats until nothing changes."""
        rounds = 0
        while self._spill_dirty:
            dirty, self._spill_dirty = self._spill_dirty, []
            roots: dict[int, None] = {}
            for area in dirty:
                for reader in self._readers(area):
                    roots[reader] = None
            for anchor, (rows, cols, placed) in self._spills.items():
                if not placed and any(_overlaps(area_of(anchor, rows, cols), area) for area in dirty):
                    roots[anchor] = None
            if not roots:
                return
            rounds += 1
            if rounds > MAX_SETTLE_ROUNDS:
                for anchor in roots:
                    if anchor in self._formulas:
                        self._values[anchor] = CYCLE
                self._spill_dirty = []
                return
            self._execute(self._build_plan(_SETTLE_SOURCE, roots=list(roots)))

    # ------------------------------------------------------------------------------------------------ inputs
    def _inputs_changed(self, key: int, filled: bool) -> list[int]:
        """Anchors to re-evaluate because the input of cell ``key`` changes: the anchor whose array occupied the
        cell (it is now blocked), or, when the cell becomes empty, blocked anchors that wanted it."""
        anchors: list[int] = []
        owner = self._spill_owner.get(key)
        if owner is not None:
            self._own("_spill_owner")
            del self._spill_owner[key]
            anchors.append(owner)
        elif not filled and self._spills:
            for anchor, (rows, cols, placed) in self._spills.items():
                if not placed and anchor != key and _contains(area_of(anchor, rows, cols), key):
                    anchors.append(anchor)
        return anchors

    def _array_containing(self, key: int) -> int | None:
        """The anchor of the legacy array formula whose range holds ``key`` (its anchor included), or None."""
        cell = self._formulas.get(key)
        if cell is not None and cell.array is not None:
            return key
        owner = self._spill_owner.get(key)
        if owner is not None and self._formulas[owner].array is not None:
            return owner
        return None

    def _refuse_part_of_array(self, keys: list[int], whole_ok: bool = True) -> None:
        """SheetError when ``keys`` change part of a multi-cell legacy array formula or any cell of a data table
        on its own (Excel refuses both); ``whole_ok``: changing all of its cells at once (clearing) is allowed."""
        touched = {a for a in (self._array_containing(k) for k in keys) if a is not None}
        if not touched:
            return
        wanted = set(keys)
        for anchor in touched:
            shape: tuple[int, int] = self._formulas[anchor].array
            rows, cols = shape
            data_table = is_data_table_formula(self._formulas[anchor].node)
            if rows * cols == 1 and not data_table:  # a one-cell array formula is edited like any formula
                continue
            if whole_ok and all(k in wanted for k in area_keys(area_of(anchor, rows, cols))):
                continue
            what = "data table" if data_table else "array formula"
            raise SheetError(
                f"cannot change part of the {what} over {self._area_text(anchor, rows, cols)}; "
                "clear or re-enter the whole range"
            )

    def _area_text(self, anchor: int, rows: int, cols: int) -> str:
        from sheetrl.sheet.address import cell_name

        _, row, col = split_key(anchor)
        if rows * cols == 1:
            return cell_name(row, col)
        return f"{cell_name(row, col)}:{cell_name(row + rows - 1, col + cols - 1)}"


# Start node of follow-up plans (distinct from the workbook's full-recalculation source).
_SETTLE_SOURCE = -(1 << 61)

__all__ = ["MAX_SETTLE_ROUNDS", "ArrayPlacement", "area_keys", "area_of", "fit_to_range"]
