"""What a formula sees while it runs: reference values and the workbook being recalculated.

Most references are static: the compiler resolves ``B2:K2`` to cell keys once, and the dependency graph knows
exactly what a formula reads. Some functions compute references while the formula runs: INDEX and CHOOSE return one
of their reference arguments (or a part of it), OFFSET and INDIRECT build new ones, the range operator joins two of
them (``A1:INDEX(...)``) and the union operator lists several (``(A1:A3,C1:C3)``). Their value is a
:class:`Reference`: one or more rectangular :class:`Area` s, by sheet id and 0-based coordinates. A reference is
turned into values only where values are needed: :func:`reference_value` (one value, by implicit intersection) and
:func:`reference_matrix` (every value, as a :class:`~sheetrl.sheet.values.Matrix`).

Reading cells through a computed reference is invisible to the static dependency graph. Formulas that can compute
references the compiler cannot bound (OFFSET, INDIRECT) are compiled as *tracked*: while one runs, every area read
through a Reference is recorded (:func:`record_read`), and the workbook keeps those areas as the formula's
dependencies until its next evaluation (see ``Workbook._run``). Since what a formula reads depends only on the
values it reads, this keeps incremental recalculation equal to a full recalculation.

Functions that need the workbook itself (the sheet list for INDIRECT, formula text for FORMULATEXT, formats for
CELL) ask :func:`current_context`: the workbook installs itself for the duration of a recalculation. Outside a
recalculation there is no context and those functions return an error value.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from sheetrl.sheet.address import ROW_SHIFT, make_key
from sheetrl.sheet.errors import VALUE, ExcelError
from sheetrl.sheet.values import Matrix, RangeValues

if TYPE_CHECKING:
    from sheetrl.sheet.formats import CellFormat
    from sheetrl.sheet.names import DefinedName
    from sheetrl.sheet.tables import Table

# Ranges up to this many cells are read cell by cell; larger ones (whole columns) are clamped to the sheet's used
# extent first.
LARGE_AREA_CELLS = 65_536
# Reading more cells than this through one reference gives #VALUE! instead of exhausting memory.
MAX_READ_CELLS = 10 * LARGE_AREA_CELLS * 16


def extent_key(sheet_id: int) -> int:
    """Key under which the values dict keeps a sheet's used extent ``(last_row, last_col)`` (negative: no cell)."""
    return -1 - sheet_id


class Area(NamedTuple):
    """A rectangle of one sheet: sheet id and inclusive 0-based corners (``row1 <= row2``, ``col1 <= col2``)."""

    sheet: int
    row1: int
    col1: int
    row2: int
    col2: int

    @property
    def rows(self) -> int:
        return self.row2 - self.row1 + 1

    @property
    def cols(self) -> int:
        return self.col2 - self.col1 + 1


class Reference:
    """A reference computed at run time: one area, or several for a union (``(A1:A3,C1:C3)``)."""

    __slots__ = ("areas",)

    def __init__(self, areas: tuple[Area, ...]) -> None:
        self.areas = areas

    @classmethod
    def area(cls, sheet: int, row1: int, col1: int, row2: int, col2: int) -> Reference:
        """A one-area reference."""
        return cls((Area(sheet, row1, col1, row2, col2),))

    @property
    def first(self) -> Area:
        """The first area (the only one, except for unions)."""
        return self.areas[0]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Reference) and self.areas == other.areas

    def __hash__(self) -> int:
        return hash(self.areas)

    def __repr__(self) -> str:
        return f"Reference({', '.join(repr(tuple(a)) for a in self.areas)})"


# --------------------------------------------------------------------------------------------- the context
class EvaluationContext(Protocol):
    """What functions may ask of the workbook being recalculated (implemented by ``Workbook``)."""

    def current_values(self) -> dict[int, Any]:
        """The values dict formulas read (cell key -> value)."""

    def sheet_id_named(self, name: str) -> int | None:
        """Id of the sheet called ``name`` (case-insensitive), or None."""

    def sheet_name_of(self, sheet_id: int) -> str | None:
        """Name of a sheet id, or None if it no longer exists."""

    def sheet_position(self, sheet_id: int) -> int | None:
        """1-based tab position of a sheet id, or None."""

    def sheet_count(self) -> int:
        """Number of sheets."""

    def formula_at(self, key: int) -> str | None:
        """Formula text (with '=') of a cell, None for a cell without a formula."""

    def format_at(self, key: int) -> CellFormat:
        """Format of a cell (the default format when none is set)."""

    def column_width_at(self, sheet_id: int, col: int) -> float | None:
        """Width of a column in characters, None for the default width."""

    def row_state_at(self, sheet_id: int, row: int) -> str | None:
        """How a row (0-based) is hidden: "hidden" (by hand), "filtered", or None when it shows."""

    def defined_name(self, name: str, sheet_id: int | None) -> DefinedName | None:
        """The name visible from ``sheet_id`` (its sheet-scoped name first, then the workbook's), or None."""

    def table_named(self, name: str) -> Table | None:
        """The table called ``name`` (case-insensitive), or None."""

    def table_containing(self, sheet_id: int, row: int, col: int) -> Table | None:
        """The table whose range holds a cell, or None."""


class _State(threading.local):
    """Per-thread evaluation state: the workbook being recalculated and the reads of the tracked formula."""

    def __init__(self) -> None:
        self.context: EvaluationContext | None = None
        self.values: dict[int, Any] | None = None
        self.reads: list[Area] | None = None  # areas read by the tracked formula running now
        self.observed: dict[int, list[Area]] | None = None  # tracked formula key -> areas read, this run (or None)
        # While a plan runs: (the values it computes, what its formulas share: running totals' partial results,
        # compiler._running_total, and exact lookups' indexes, functions.lookup.indexed_exact); None outside a plan
        # and while anything but the plan's order changes cells.
        self.shared: tuple[dict[int, Any], dict[tuple[Any, ...], Any]] | None = None


STATE = _State()

_SPILL_KEY_BASE = -(1 << 52)


def spill_key(anchor: int) -> int:
    """Key under which the values dict keeps the ``(rows, cols)`` that the formula at ``anchor`` spills now.

    Absent while the formula does not spill (its result is one value, or #SPILL!). Kept in the values dict, not
    on the workbook, so that compiled ``A1#`` references and ANCHORARRAY read it the way they read cells (and clones
    share it).
    """
    return _SPILL_KEY_BASE - anchor


def current_context() -> EvaluationContext | None:
    """The workbook being recalculated, or None outside a recalculation."""
    return STATE.context


def record_read(area: Area) -> None:
    """Note that the running formula reads ``area`` (kept only while a tracked formula runs)."""
    reads = STATE.reads
    if reads is not None:
        reads.append(area)


# ---------------------------------------------------------------------------------------------- reading
class AreaValues:
    """The values of a rectangle of one sheet, read from the values dict as they are used (a read-only sequence,
    row by row). Keys are computed on access, so one column of a large area (what VLOOKUP searches) costs that
    column only."""

    __slots__ = ("cells", "col1", "cols", "row1", "rows", "sheet")

    def __init__(self, sheet: int, row1: int, col1: int, rows: int, cols: int, cells: dict[int, Any]) -> None:
        self.sheet, self.row1, self.col1, self.rows, self.cols, self.cells = sheet, row1, col1, rows, cols, cells

    def __len__(self) -> int:
        return self.rows * self.cols

    def _key(self, index: int) -> int:
        row, col = divmod(index, self.cols)
        return make_key(self.sheet, self.row1 + row, self.col1 + col)

    def __getitem__(self, index: int | slice) -> Any:
        if type(index) is slice:
            start, stop, step = index.indices(len(self))
            if self.cols == 1 or self.rows == 1:  # one column or one row: the keys are evenly spaced
                unit = 1 << ROW_SHIFT if self.cols == 1 else 1
                base = make_key(self.sheet, self.row1, self.col1)
                return list(map(self.cells.get, range(base + start * unit, base + stop * unit, step * unit)))
            if step == self.cols and 0 <= start < self.cols:
                # one column (Matrix.column): keys of consecutive rows differ by one row step
                row_step = 1 << ROW_SHIFT
                first = make_key(self.sheet, self.row1, self.col1 + start)
                count = len(range(start, stop, step))
                return list(map(self.cells.get, range(first, first + count * row_step, row_step)))
            get, key = self.cells.get, self._key
            return [get(key(i)) for i in range(start, stop, step)]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("area index out of range")
        return self.cells.get(self._key(index))

    def stride(self, start: int, step: int, count: int) -> Sequence[Any]:
        """The ``count`` values at ``start``, ``start + step``, ... as a lazy view when they are one column or
        part of one row (what :meth:`Matrix.column_view` and ``row_view`` ask for), else as a list."""
        row, col = divmod(start, self.cols)
        first = make_key(self.sheet, self.row1 + row, self.col1 + col)
        if step == self.cols and row + count <= self.rows:
            row_step = 1 << ROW_SHIFT
            return RangeValues(range(first, first + count * row_step, row_step), self.cells)
        if step == 1 and col + count <= self.cols:
            return RangeValues(range(first, first + count), self.cells)
        return self[start : start + step * count : step]

    def __iter__(self) -> Iterator[Any]:
        get = self.cells.get
        cols = self.cols
        for row in range(self.row1, self.row1 + self.rows):
            first = make_key(self.sheet, row, self.col1)  # keys along a row are consecutive
            yield from map(get, range(first, first + cols))

    def __eq__(self, other: object) -> bool:
        return list(self) == (list(other) if isinstance(other, (AreaValues, list, tuple)) else other)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"AreaValues({self[:6]!r}{'...' if len(self) > 6 else ''})"


def clamp_to_extent(area: Area, values: dict[int, Any]) -> Area:
    """A large area (a whole column or row) cut to the sheet's used extent along its long axis, so that areas over
    the same rows keep the same shape; the cells beyond the extent are empty anyway."""
    sid, r1, c1, r2, c2 = area
    if (r2 - r1 + 1) * (c2 - c1 + 1) <= LARGE_AREA_CELLS:
        return area
    last_row, last_col = values.get(extent_key(sid), (-1, -1))
    if r2 - r1 >= c2 - c1:
        return Area(sid, r1, c1, max(min(r2, last_row), r1), c2)
    return Area(sid, r1, c1, r2, max(min(c2, last_col), c1))


def area_matrix(area: Area, values: dict[int, Any]) -> Matrix:
    """The values of one area as a reference Matrix (large areas clamped to the sheet's used extent)."""
    record_read(area)
    sid, r1, c1, r2, c2 = clamp_to_extent(area, values)
    rows, cols = r2 - r1 + 1, c2 - c1 + 1
    if rows * cols > MAX_READ_CELLS:
        return Matrix(1, 1, [VALUE], True, (sid, r1, c1))
    # The cells cut off beyond the used extent are blanks the matrix does not hold (COUNTBLANK counts them).
    omitted = (area.row2 - area.row1 + 1) * (area.col2 - area.col1 + 1) - rows * cols
    values_view = AreaValues(sid, r1, c1, rows, cols, values)
    return Matrix(rows, cols, values_view, True, (sid, r1, c1), omitted)  # type: ignore[arg-type]


def reference_matrix(ref: Reference, values: dict[int, Any] | None = None) -> Matrix | ExcelError:
    """Every value a reference points to. A union's areas are read in order into one row (what LARGE, RANK and
    friends need of ``(A1:A3,C1:C3)``); ``values`` defaults to the workbook being recalculated."""
    if values is None:
        values = STATE.values
        if values is None:
            return VALUE
    if len(ref.areas) == 1:
        return area_matrix(ref.areas[0], values)
    cells: list[Any] = []
    for area in ref.areas:
        cells.extend(area_matrix(area, values).values)
    return Matrix(1, len(cells), cells, True)


def reference_value(ref: Reference, values: dict[int, Any], row: int, col: int) -> Any:
    """One value of a reference used where a single value is expected (implicit intersection).

    A single cell gives its value; a one-column area gives the cell in row ``row`` (the formula's row), a one-row
    area the cell in column ``col``; anything else is #VALUE!.
    """
    if len(ref.areas) != 1:
        return VALUE
    sid, r1, c1, r2, c2 = ref.areas[0]
    if r1 == r2 and c1 == c2:
        target_row, target_col = r1, c1
    elif c1 == c2 and r1 <= row <= r2:
        target_row, target_col = row, c1
    elif r1 == r2 and c1 <= col <= c2:
        target_row, target_col = r1, col
    else:
        return VALUE
    record_read(Area(sid, target_row, target_col, target_row, target_col))
    return values.get(make_key(sid, target_row, target_col))


def bounding_area(first: Area, second: Area) -> Area | None:
    """The smallest area holding both (the range operator ``:``); None when they lie on different sheets."""
    if first.sheet != second.sheet:
        return None
    return Area(
        first.sheet, min(first.row1, second.row1), min(first.col1, second.col1), max(first.row2, second.row2),
        max(first.col2, second.col2),
    )


def intersect_areas(first: Area, second: Area) -> Area | None:
    """The cells two areas share (the intersection operator, a space); None when they share none."""
    if first.sheet != second.sheet:
        return None
    row1, col1 = max(first.row1, second.row1), max(first.col1, second.col1)
    row2, col2 = min(first.row2, second.row2), min(first.col2, second.col2)
    if row1 > row2 or col1 > col2:
        return None
    return Area(first.sheet, row1, col1, row2, col2)


__all__ = [
    "LARGE_AREA_CELLS",
    "STATE",
    "Area",
    "EvaluationContext",
    "Reference",
    "area_matrix",
    "bounding_area",
    "current_context",
    "extent_key",
    "intersect_areas",
    "record_read",
    "reference_matrix",
    "reference_value",
    "spill_key",
]
