"""The workbook: cells, formulas, the dependency graph, incremental recalculation, cheap clones, undo.

State (all dicts keyed by integer cell keys, see :mod:`sheetrl.sheet.address`):

- ``_values``: the current value of every non-empty cell, literal or computed. All values are kept current after
  every edit (eager incremental recalculation), so reading a value is one dict lookup. Negative keys hold each
  sheet's used extent, which whole-column ranges are clamped to, and (``WORKBOOK_KEY``) the workbook itself, which
  the functions that read more than their arguments (ISFORMULA, SHEET, CELL ...) receive from their formula.
- ``_formulas``: the formula cells (:class:`FormulaCell`: text, syntax tree, compiled closure, precedents).
- ``_dependents``: precedent key -> keys of the formulas that read it. Ranges up to ``EXPANDED_RANGE_CELLS`` cells
  are expanded into per-cell edges, except those over ``GRAPH_EXPANDED_RANGE_CELLS`` cells with one end fixed and
  the other relative (a running total ``A$1:A5``) or with both rows fixed and read by ``SHARED_RANGE_READERS``
  formulas already (a lookup table ``$A$1:$D$500``, counted in ``_shared_range_reads``); those and the larger
  ranges are kept in ``_big_ranges`` and indexed by :class:`~sheetrl.sheet.range_readers.RangeReaders` (each
  distinct range once, nested ranges chained), so a running total costs edges in proportion to its rows, not to
  the cells its ranges cover, and a column of lookups into one table about as many edges as the table has cells.
- ``_plans``: source key -> the formulas to recompute when it changes, in topological order (computed with an
  iterative Tarjan SCC pass, so chains of 100k cells never recurse; strongly connected components are circular
  references and get ``#CYCLE!``, or, with :attr:`Workbook.iterative_calculation` on, are computed by Excel's
  iteration). Plans are cached until the graph changes; value-only edits reuse them.
- ``_names`` and ``_tables``: defined names and Excel tables (see :mod:`sheetrl.sheet.catalog`).

Formulas that compute references (OFFSET, INDIRECT) are *tracked*: their dependencies are the areas they read in
their last evaluation, updated after every recalculation that runs them (see ``_run`` and
:mod:`sheetrl.sheet.evaluation`).

``clone()`` is copy-on-write: the clone shares every container and each side copies a container the first time it
writes to it, so cloning costs a few microseconds whatever the workbook's size.

Array results (dynamic-array spills and legacy array formulas) are placed by :class:`~sheetrl.sheet.arrays.
ArrayPlacement`, which this class mixes in.
"""

from __future__ import annotations

import builtins
import copy
import itertools
import math
import os
from collections.abc import Callable, Iterable, Iterator, KeysView, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from sheetrl.sheet import character_sets, data_tables, references, serials
from sheetrl.sheet.address import (
    MAX_COLS,
    MAX_ROWS,
    SHEET_SHIFT,
    RangeAddress,
    cell_name,
    make_key,
    parse_cell,
    parse_range,
    quote_sheet_name,
    range_keys,
    split_key,
)
from sheetrl.sheet.arrays import ArrayPlacement, area_keys, area_of
from sheetrl.sheet.catalog import CatalogMixin
from sheetrl.sheet.compiler import WORKBOOK_KEY, FormulaCompiler, FormulaTemplate, extent_key
from sheetrl.sheet.errors import CYCLE, VALUE, AddressError, ExcelError, SheetError
from sheetrl.sheet.evaluation import STATE, Area
from sheetrl.sheet.formats import DEFAULT_FORMAT, CellFormat
from sheetrl.sheet.functions.aggregate import calls_subtotal
from sheetrl.sheet.functions.array_tools import MAX_ARRAY_CELLS
from sheetrl.sheet.functions.context import ROW_FILTERED, ROW_HIDDEN
from sheetrl.sheet.nodes import Node, render
from sheetrl.sheet.parser import parse
from sheetrl.sheet.pivot import PivotTable
from sheetrl.sheet.range_readers import RangeReaders, is_virtual_node
from sheetrl.sheet.values import Matrix

if TYPE_CHECKING:
    from sheetrl.sheet.names import DefinedName
    from sheetrl.sheet.tables import Table

# Ranges up to this size are one dependency edge per cell (and are listed cell by cell by precedents()); larger ones
# are indexed (range_readers) ...
EXPANDED_RANGE_CELLS = 4096
# ... and so are ranges over this size with one end fixed and the other relative (A$1:A5 filled down: a running
# total, quadratic in edges when expanded). Other mid-size ranges stay expanded: a moving window (A5:A104) filled
# down is a distinct range per formula, cheap as edges and costly as index entries.
GRAPH_EXPANDED_RANGE_CELLS = 64
# A mid-size range with both rows fixed ($A$1:$D$500) is indexed too once this many formulas read it: a lookup table
# read by every formula of a column is one index entry instead of an edge per cell and formula (2,000 lookups into a
# 4,000-cell table: 8 million edges). Read by fewer (every formula its own fixed range) it stays edges, as an index
# of many distinct ranges is costly to rebuild when a formula changes.
SHARED_RANGE_READERS = 4
_UNDO_LIMIT = 1000  # edits kept for undo
_KEY_CACHE_LIMIT = 100_000  # address strings remembered per workbook
ALL_CHANGED = -1  # in a change log: everything may have changed
_VIRTUAL_SOURCE = -(1 << 62)  # a node whose successors are given explicitly (full or batched recalculation)
MAX_SHEETS = 1024
RESERVED_SHEET_NAME = "History"  # Excel refuses a new sheet of this name, in any case (its change history)
# Recalculation rounds after tracked formulas changed what they read; reads depend only on values, so this settles
# after a round or two (a bound keeps a pathological workbook from looping).
MAX_TRACKING_ROUNDS = 100
# Set SHEETRL_STRICT=1 to let an internal error inside a function propagate instead of becoming #VALUE! (tests).
STRICT = os.environ.get("SHEETRL_STRICT") == "1"

@dataclass(frozen=True, slots=True)
class IterativeCalculation:
    """Excel's iterative calculation (File > Options > Formulas > Enable iterative calculation): the formulas of
    a circular reference are recomputed, in the order of their cells (sheet by sheet, row by row), up to
    ``max_iterations`` times, until no number among them changes by more than ``max_change``; each pass starts
    from the values the last one left (a cell that was never computed reads as empty). Excel's defaults: 100 and
    0.001. Its limits: 1 to 32,767 iterations, a change of at least 0."""

    max_iterations: int = 100
    max_change: float = 0.001

    def __post_init__(self) -> None:
        if type(self.max_iterations) is not int or not 1 <= self.max_iterations <= MAX_ITERATIONS:
            raise ValueError(f"max_iterations must be a whole number from 1 to {MAX_ITERATIONS:,}, not "
                             f"{self.max_iterations!r}")
        if (not isinstance(self.max_change, (int, float)) or isinstance(self.max_change, bool)
                or not 0 <= self.max_change < math.inf):
            raise ValueError(f"max_change must be a finite number of at least 0, not {self.max_change!r}")


MAX_ITERATIONS = 32_767  # Excel's largest "Maximum Iterations"


def _position_of(items: Sequence[tuple[int, Any]], key: int) -> int:
    """Where the step of ``key`` is in a plan (a plan holds each key once)."""
    for position, (other, _) in enumerate(items):
        if other == key:
            return position
    raise ValueError(f"key {key} is not in the plan")


def _change(old: Any, new: Any) -> float:
    """How much an iteration pass changed a result: the largest difference between numbers (element by element
    for arrays of one shape), unbounded when anything else differs."""
    if type(new) is float and type(old) is float:
        return abs(new - old)
    if type(new) is Matrix and type(old) is Matrix and (new.rows, new.cols) == (old.rows, old.cols):
        return max((_change(a, b) for a, b in zip(old.values, new.values)), default=0.0)
    return 0.0 if type(new) is type(old) and new == old else math.inf


_COW_FIELDS = (
    "_values", "_formulas", "_dependents", "_big_ranges", "_formats", "_col_widths", "_row_states", "_sheet_names",
    "_sheet_order", "_sheet_ids", "_pivots", "_spills", "_spill_owner", "_names", "_tables", "_shared_range_reads",
)


@dataclass(slots=True)
class FormulaCell:
    """A formula stored in a cell."""

    key: int
    node: Node
    text: str  # formula text with the leading '='
    fn: Any
    cells: frozenset[int]
    ranges: tuple[tuple[int, int, int, int, int], ...]
    big_ranges: tuple[tuple[int, int, int, int, int], ...]
    volatile: bool
    unresolved_sheets: bool
    array: tuple[int, int] | None = None  # rows x cols of a legacy array formula's range (None: dynamic array)
    dynamic: bool = False  # tracked: reads through references computed at run time
    names: frozenset[str] = frozenset()  # upper-case defined names and tables it uses (recompiled when they change)
    dynamic_ranges: tuple[tuple[int, int, int, int, int], ...] = ()  # what it read in its last evaluation
    anchored: tuple[tuple[int, int, int, int, int], ...] = ()  # ranges with one end fixed, one relative (indexed)
    shared_ranges: tuple[tuple[int, int, int, int, int], ...] = ()  # ranges with both rows fixed (see _big)
    template: FormulaTemplate | None = None  # the same formula at another cell, compiled without its tree


class _FormulaText(str):
    """A formula's text in the undo history (a literal text may start with '=' too)."""

    __slots__ = ()


def _normalize_literal(value: Any, date1904: bool = False) -> Any:
    """Python value -> stored cell value (dates become serials of the given date system); raises TypeError/ValueError
    naming the problem."""
    t = type(value)
    if t is float:
        if math.isnan(value) or math.isinf(value):
            raise ValueError(f"cells hold finite numbers only, not {value!r}")
        return value
    if t is bool or t is str or value is None or t is ExcelError:
        if t is str and len(value) > 32767:
            raise ValueError("a cell holds at most 32,767 characters of text")
        return value
    if t is int:
        if abs(value) >= 2**1023:
            raise ValueError(f"{value} is too large for a cell (numbers are 64-bit floats)")
        return float(value)
    if isinstance(value, (int, float)):  # numpy scalars, subclasses
        return _normalize_literal(float(value))
    if hasattr(value, "toordinal"):  # date / datetime
        return serials.to_serial(value, date1904)
    raise TypeError(f"a cell holds a number, text, boolean, error or None, not {type(value).__name__}")


def _moved_lines(entries: dict[tuple[int, int], Any], sid: int, move: Callable[[int], int | None]
                 ) -> dict[tuple[int, int], Any]:
    """Entries keyed by (sheet id, row or column) after rows or columns of sheet ``sid`` were inserted or deleted:
    ``move`` gives a line's new index, None for a deleted one (its entry is dropped)."""
    moved = {}
    for (wsid, line), value in entries.items():
        new = move(line) if wsid == sid else line
        if new is not None:
            moved[(wsid, new)] = value
    return moved


def _public(value: Any) -> Any:
    """Value as returned by the facade: integral floats become ints for readability."""
    if type(value) is float and value.is_integer() and -1e15 < value < 1e15:
        return int(value)
    return value


class Workbook(CatalogMixin, ArrayPlacement):
    """A workbook of named sheets with Excel formulas, recalculated incrementally.

    >>> wb = Workbook()
    >>> wb.set("A1", 5); wb.set("B1", "=A1*2")
    >>> wb.value("B1")
    10

    Addresses without a sheet name refer to the first sheet. ``set`` accepts numbers, text, booleans, None (clears),
    dates, error values, or formula text starting with ``=``.

    ``sheet_names`` follow :meth:`add_sheet`'s rules; ``as_saved`` (a file's sheets, as the loader makes them)
    also accepts Excel's reserved ``History``, which a file made elsewhere may hold.
    """

    _iteration: IterativeCalculation | None = None  # (also the default of an instance made before this setting)

    def __init__(self, sheet_names: Iterable[str] = ("Sheet1",), *, as_saved: bool = False) -> None:
        self._values: dict[int, Any] = {WORKBOOK_KEY: self}  # formulas reach their workbook through their values
        self._formulas: dict[int, FormulaCell] = {}
        self._dependents: dict[int, set[int]] = {}
        self._big_ranges: dict[int, tuple[tuple[int, int, int, int, int], ...]] = {}
        # _big_ranges indexed by position, built on demand, replaced (never changed) when they change
        self._big_range_index: RangeReaders | None = None
        # how many formulas read each range of their shared_ranges (a shared one is indexed, see _big)
        self._shared_range_reads: dict[tuple[int, int, int, int, int], int] = {}
        self._plans: dict[int, tuple[tuple[int, Any], ...]] = {}
        self._formats: dict[int, CellFormat] = {}
        self._col_widths: dict[tuple[int, int], float] = {}
        self._row_states: dict[tuple[int, int], str] = {}  # (sheet id, row) -> ROW_HIDDEN or ROW_FILTERED
        self._sheet_names: dict[int, str] = {}
        self._sheet_order: list[int] = []
        self._sheet_ids: dict[str, int] = {}
        self._pivots: dict[str, PivotTable] = {}
        self._spills: dict[int, tuple[int, int, bool]] = {}
        self._spill_owner: dict[int, int] = {}
        self._spill_dirty: list[tuple[int, int, int, int, int]] = []
        self._names: dict[tuple[int | None, str], DefinedName] = {}
        self._tables: dict[str, Table] = {}
        self._key_cache: dict[str, int] = {}
        self._shared: set[str] = set()
        self._owned_dependent_sets: set[int] = set()
        self._next_sheet_id = 0
        self._batch_depth = 0
        self._dirty: set[int] = set()
        self._change_log: set[int] | None = None
        self.graph_version = 0  # bumped whenever a formula is added or removed
        self._undo: list[Any] = []
        self._redo: list[Any] = []
        self._recording: list[tuple[int, Any, CellFormat | None]] | None = None
        self.record_undo = True
        self.warnings: list[str] = []  # what loading could not represent, etc.
        self._date1904 = False
        self._character_set = character_sets.WINDOWS  # CHAR and CODE: Windows-1252, or Mac OS Roman
        self._iteration: IterativeCalculation | None = None  # Excel's default: circular references are errors
        self._substituting = False  # a scratch copy computing a data table (see data_tables.py)
        self.record_undo = False
        for name in sheet_names:
            self._add_sheet(name, None, reserved_ok=as_saved)
        self.record_undo = True
        if not self._sheet_order:
            raise SheetError("a workbook needs at least one sheet")

    # ============================================================================================ copy-on-write
    def _own(self, name: str) -> None:
        if name in self._shared:
            setattr(self, name, copy.copy(getattr(self, name)))
            self._shared.discard(name)
            if name == "_values":
                self._values[WORKBOOK_KEY] = self  # the copy is this workbook's: a clone's formulas read the clone

    def _dependent_set(self, key: int) -> set[int]:
        """The mutable set of dependents of ``key``, copied first if it is shared with a clone."""
        self._own("_dependents")
        deps = self._dependents.get(key)
        if deps is None:
            deps = set()
            self._dependents[key] = deps
            self._owned_dependent_sets.add(key)
        elif key not in self._owned_dependent_sets:
            deps = set(deps)
            self._dependents[key] = deps
            self._owned_dependent_sets.add(key)
        return deps

    def clone(self) -> Workbook:
        """An independent copy. Copy-on-write: O(1) now, each side copies a container when it first writes it.
        Taken inside a batch, the copy (which is not in the batch) does the recalculation the batch still owes."""
        other = self._copy()
        if self._dirty or self._spill_dirty:
            other._dirty, other._spill_dirty = set(self._dirty), list(self._spill_dirty)
            other._recalculate_pending()
        return other

    def _copy(self) -> Workbook:
        """``clone`` without the recalculation an open batch still owes (undo snapshots carry it themselves)."""
        other = Workbook.__new__(Workbook)
        other.__dict__.update(self.__dict__)
        self._shared = set(_COW_FIELDS)
        other._shared = set(_COW_FIELDS)
        self._owned_dependent_sets = set()
        other._owned_dependent_sets = set()
        other._undo = []
        other._redo = []
        other._recording = None
        other._batch_depth = 0
        other._dirty = set()
        other._change_log = None
        other._spill_dirty = []
        other.warnings = list(self.warnings)
        return other

    __copy__ = clone

    def _scratch(self) -> Workbook:
        """A throwaway copy for evaluating under substituted inputs (data tables), made while this workbook may be
        in the middle of a recalculation: unlike ``clone`` it leaves this workbook's copy-on-write state alone (this
        workbook keeps writing to its containers; the scratch copies each one before its first write and must not
        outlive the evaluation that made it)."""
        other = Workbook.__new__(Workbook)
        other.__dict__.update(self.__dict__)
        other._shared = set(_COW_FIELDS)
        other._owned_dependent_sets = set()
        other._plans = {}  # its graph may diverge (an input's formula is removed)
        other._undo, other._redo, other._recording, other.record_undo = [], [], None, False
        other._batch_depth, other._dirty, other._change_log, other._spill_dirty = 0, set(), None, []
        other._substituting = True
        other.warnings = []
        return other

    def __deepcopy__(self, memo: dict) -> Workbook:
        return self.clone()

    # ================================================================================================ sheets
    @property
    def sheet_names(self) -> list[str]:
        """Sheet names in tab order."""
        return [self._sheet_names[sid] for sid in self._sheet_order]

    def add_sheet(self, name: str, before: str | None = None) -> None:
        """Add an empty sheet at the end, or just before the sheet ``before`` (inside a 3-D reference's span, it
        joins the span). Names are case-insensitively unique, 1-31 chars, without []:*?/\\., and not Excel's
        reserved ``History``."""
        self._add_sheet(name, before, reserved_ok=False)

    def _add_sheet(self, name: str, before: str | None, reserved_ok: bool) -> None:
        _check_sheet_name(name)
        if not reserved_ok:
            _refuse_reserved_sheet_name(name)
        position = len(self._sheet_order) if before is None else self._sheet_order.index(self._sheet_id(before))
        if name.upper() in self._sheet_ids:
            raise SheetError(f"a sheet named {name!r} already exists")
        if len(self._sheet_order) >= MAX_SHEETS:
            raise SheetError(f"a workbook holds at most {MAX_SHEETS} sheets")
        self._snapshot_for_undo()
        for field in ("_sheet_names", "_sheet_order", "_sheet_ids"):
            self._own(field)
        sid = self._next_sheet_id
        self._next_sheet_id += 1
        self._sheet_names[sid] = name
        self._sheet_order.insert(position, sid)
        self._sheet_ids[name.upper()] = sid
        self._key_cache = {}
        if len(self._sheet_order) > 1:
            self._recompile_unresolved()
            self._recalculate_tracked()

    def rename_sheet(self, old: str, new: str) -> None:
        """Rename a sheet; formulas that refer to it follow the new name."""
        sid = self._sheet_id(old)
        _check_sheet_name(new)
        if new.upper() != self._sheet_names[sid].upper():  # (a loaded sheet may keep Excel's reserved name)
            _refuse_reserved_sheet_name(new)
        if new.upper() in self._sheet_ids and self._sheet_ids[new.upper()] != sid:
            raise SheetError(f"a sheet named {new!r} already exists")
        self._snapshot_for_undo()
        for field in ("_sheet_names", "_sheet_ids"):
            self._own(field)
        old_name = self._sheet_names[sid]
        del self._sheet_ids[old_name.upper()]
        self._sheet_names[sid] = new
        self._sheet_ids[new.upper()] = sid
        self._key_cache = {}
        self._rename_sheet_in_names(old_name, new)
        self._rewrite_all_formulas(lambda node, _sheet: references.rename_sheet(node, old_name, new))

    def remove_sheet(self, name: str) -> None:
        """Delete a sheet and its cells; formulas that referred to it show #REF!."""
        sid = self._sheet_id(name)
        if len(self._sheet_order) == 1:
            raise SheetError("cannot remove the only sheet of a workbook")
        self._snapshot_for_undo()
        order_before = self.sheet_names
        removed = self._sheet_names[sid]
        for key in [k for k in self._formulas if k >> 34 == sid]:
            self._remove_formula(key)
        self._own("_values")
        self._own("_formats")
        for key in [k for k in self._values if k >= 0 and k >> 34 == sid]:
            del self._values[key]
        self._values.pop(extent_key(sid), None)
        for key in [k for k in self._formats if k >> 34 == sid]:
            del self._formats[key]
        for field in ("_sheet_names", "_sheet_order", "_sheet_ids"):
            self._own(field)
        del self._sheet_ids[self._sheet_names[sid].upper()]
        del self._sheet_names[sid]
        self._sheet_order.remove(sid)
        self._key_cache = {}
        self._plans = {}
        self._forget_sheet_in_catalog(sid)
        # a 3-D reference whose end sheet is deleted ends at the next sheet inward (Excel's rule)
        self._rewrite_all_formulas(
            lambda node, _sheet: references.remove_sheet_from_spans(node, removed, order_before)
        )

    def _sheet_id(self, name: str | None) -> int:
        if name is None:
            return self._sheet_order[0]
        sid = self._sheet_ids.get(name.upper())
        if sid is None:
            raise AddressError(f"there is no sheet named {name!r} (sheets: {', '.join(self.sheet_names)})")
        return sid

    # ============================================================================================= addresses
    def key(self, address: str) -> int:
        """Integer key of a cell address such as 'B3' or 'Sheet2!B3'."""
        key = self._key_cache.get(address)
        if key is not None:
            return key
        cell = parse_cell(address)
        key = make_key(self._sheet_id(cell.sheet), cell.row, cell.col)
        if len(self._key_cache) >= _KEY_CACHE_LIMIT:
            self._key_cache = {}  # a fresh dict: clones may share the old one
        self._key_cache[address] = key
        return key

    def address(self, key: int) -> str:
        """'Sheet1!B3' for a key."""
        sid, row, col = split_key(key)
        return f"{quote_sheet_name(self._sheet_names[sid])}!{cell_name(row, col)}"

    def _range(self, address: str) -> tuple[int, RangeAddress]:
        rng = parse_range(address)
        return self._sheet_id(rng.sheet), rng

    # ================================================================================================ reading
    def value(self, address: str) -> Any:
        """Current value: int/float, str, bool, None for empty, or an ExcelError (``str(e)`` is e.g. '#DIV/0!')."""
        key = self._key_cache.get(address)
        if key is None:
            key = self.key(address)
        value = self._values.get(key)
        if type(value) is float and value.is_integer() and -1e15 < value < 1e15:
            return int(value)
        return value

    def value_at(self, key: int) -> Any:
        """Raw current value by key (numbers as float): the fast path used by the environment."""
        return self._values.get(key)

    def formula(self, address: str) -> str | None:
        """Formula text (with '=') of a formula cell, else None."""
        cell = self._formulas.get(self.key(address))
        return cell.text if cell is not None else None

    def formula_node(self, address: str) -> Node | None:
        """Syntax tree of a formula cell, else None."""
        cell = self._formulas.get(self.key(address))
        return cell.node if cell is not None else None

    def input(self, address: str) -> Any:
        """What was entered: the formula text for formula cells, else the value."""
        return self._input(self.key(address))

    def _undo_input(self, key: int) -> Any:
        """A cell's input as undo records it: formula text marked as such, so text starting with '=' stays text."""
        cell = self._formulas.get(key)
        return _FormulaText(cell.text) if cell is not None else self._input(key)

    def _input(self, key: int) -> Any:
        cell = self._formulas.get(key)
        if cell is not None:
            return cell.text
        if key in self._spill_owner:
            return None  # a cell holding an element of another formula's array is not an input
        return self._values.get(key)

    def values(self, address: str | Iterable[str]) -> list[list[Any]] | list[Any]:
        """Values of a range as a list of rows (``values("A1:C3")``), or of a list of addresses as a flat list.
        Raises AddressError for a range of more than 5 million cells (the largest array the engine makes), which
        would not fit in memory as lists (``"1:1048576"`` is 17 billion cells)."""
        if not isinstance(address, str):
            items = address if isinstance(address, (list, tuple)) else list(address)
            known = list(map(self._key_cache.get, items))  # addresses met before: one C-level pass
            keys: list[int] = (
                [self.key(item) if key is None else key for item, key in zip(items, known)]
                if None in known else known  # type: ignore[assignment]  # (no None left in it)
            )
            # _public inlined: integral floats as ints, everything else as it is
            return [
                int(x) if type(x) is float and x.is_integer() and -1e15 < x < 1e15 else x
                for x in map(self._values.get, keys)
            ]
        sid, rng = self._range(address)
        if rng.rows * rng.cols > MAX_ARRAY_CELLS:
            raise AddressError(f"range {address!r} is larger than {MAX_ARRAY_CELLS:,} cells")
        get = self._values.get
        return [
            [_public(get(make_key(sid, r, c))) for c in range(rng.col1, rng.col2 + 1)]
            for r in range(rng.row1, rng.row2 + 1)
        ]

    def is_formula(self, address: str) -> bool:
        return self.key(address) in self._formulas

    def spill_range(self, address: str) -> str | None:
        """The range a dynamic-array formula's result occupies now ('A1:B3'), else None (one value, #SPILL!, or
        not a dynamic-array formula). ``address`` may be the formula's cell or any cell of its spill."""
        key = self.key(address)
        anchor = self._spill_owner.get(key, key)
        cell = self._formulas.get(anchor)
        state = self._spills.get(anchor)
        if cell is None or cell.array is not None or state is None or not state[2]:
            return None
        return self._area_text(anchor, state[0], state[1])

    def array_formula_range(self, address: str) -> str | None:
        """The range of the legacy array (Ctrl+Shift+Enter) formula that holds ``address``, else None."""
        anchor = self._array_containing(self.key(address))
        if anchor is None:
            return None
        shape = self._formulas[anchor].array
        assert shape is not None
        return self._area_text(anchor, shape[0], shape[1])

    def cells(self, sheet: str | None = None) -> Iterator[tuple[str, Any]]:
        """(address, input) of every non-empty input cell of a sheet (default: the first), row by row; cells that
        only hold elements of another formula's array are not inputs and are not listed. A formula's input is its
        text; text that starts with '=' (see :meth:`set_text`) is listed as it is: ``is_formula`` tells them apart."""
        sid = self._sheet_id(sheet)
        owners = self._spill_owner
        keys = sorted(k for k in self._values if k >= 0 and k >> 34 == sid and k not in owners)
        for key in keys:
            _, row, col = split_key(key)
            yield cell_name(row, col), self._input(key)

    def used_range(self, sheet: str | None = None) -> RangeAddress | None:
        """Smallest range holding every non-empty or formatted cell of a sheet, or None for an empty sheet."""
        sid = self._sheet_id(sheet)
        rows, cols = [], []
        for key in list(self._values) + list(self._formats):
            if key >= 0 and key >> 34 == sid:
                _, r, c = split_key(key)
                rows.append(r)
                cols.append(c)
        if not rows:
            return None
        return RangeAddress(self._sheet_names[sid], min(rows), min(cols), max(rows), max(cols))

    def precedents(self, address: str) -> list[str]:
        """Addresses of the cells a formula reads directly, row by row: every cell of its ranges of up to 4,096
        cells, and the cells that hold something in larger ones (``A:A`` lists the column's filled cells)."""
        cell = self._formulas.get(self.key(address))
        if cell is None:
            return []
        keys: list[int] = sorted(self._listed_precedent_keys(cell))
        return [self.address(key) for key in keys]

    def dependents(self, address: str) -> list[str]:
        """Addresses of the formulas that read a cell directly, row by row."""
        return [self.address(k) for k in self.dependent_keys(self.key(address))]

    # ========================================================================================== keyed access
    # Read-only access by integer cell key (``sheet.address.make_key(sheet_id, row, col)``) for readers that look
    # at many cells per step, such as the RL environment. A view reflects the workbook when it is taken: take it
    # again after an edit (copy-on-write may replace the containers behind it).
    def sheet_id(self, name: str | None = None) -> int:
        """The id of a sheet inside cell keys (default: the first sheet); raises AddressError for an unknown name."""
        return self._sheet_id(name)

    def sheet_name(self, sheet_id: int) -> str:
        """The name of the sheet with this id; raises AddressError for an unknown id."""
        name = self._sheet_names.get(sheet_id)
        if name is None:
            raise AddressError(f"there is no sheet with id {sheet_id!r}")
        return name

    def value_map(self) -> Mapping[int, Any]:
        """Current values by cell key (numbers as float, no entry for an empty cell). Negative keys are the
        engine's bookkeeping, never cells: iterate a sheet with :meth:`sheet_keys` instead."""
        return MappingProxyType(self._values)

    def format_map(self) -> Mapping[int, CellFormat]:
        """Formats by cell key (no entry for a cell with the default format)."""
        return MappingProxyType(self._formats)

    def formula_keys(self) -> KeysView[int]:
        """Keys of every formula cell, on every sheet."""
        return MappingProxyType(self._formulas).keys()

    def input_at(self, key: int) -> Any:
        """What was entered in a cell: its formula text (with '='), else its value (numbers as float)."""
        return self._input(key)

    def formula_at(self, key: int) -> str | None:
        """Formula text (with '=') of a formula cell, else None."""
        cell = self._formulas.get(key)
        return cell.text if cell is not None else None

    def holds_formula(self, key: int) -> bool:
        """Whether a cell holds a formula or lies in the range of a legacy array formula (what ISFORMULA tells: Excel
        cached TRUE for the cells of ``{=BF70:BG74+1}`` in formulas' test.xlsx)."""
        return key in self._formulas or self._array_containing(key) is not None

    def formula_node_at(self, key: int) -> Node | None:
        """Syntax tree of a formula cell, else None."""
        cell = self._formulas.get(key)
        return cell.node if cell is not None else None

    def format_at(self, key: int) -> CellFormat:
        """The format of a cell (the default format if none was set)."""
        return self._formats.get(key, DEFAULT_FORMAT)

    def precedent_keys(self, key: int) -> frozenset[int]:
        """Keys of the cells a formula reads directly, ranges up to ``EXPANDED_RANGE_CELLS`` cells expanded
        (empty for a cell without a formula)."""
        cell = self._formulas.get(key)
        return frozenset() if cell is None else frozenset(self._listed_precedent_keys(cell))

    def precedent_areas(self, key: int) -> tuple[tuple[int, int, int, int, int], ...]:
        """The rectangles a formula reads directly, unexpanded: (sheet id, row1, col1, row2, col2) for each range
        (whole columns and other ranges too large for :meth:`precedent_keys` included) and each single cell, cells
        first in key order; empty for a cell without a formula."""
        cell = self._formulas.get(key)
        if cell is None:
            return ()
        singles = tuple((sid, row, col, row, col) for sid, row, col in map(split_key, sorted(cell.cells)))
        return singles + cell.ranges + cell.dynamic_ranges

    def dependent_keys(self, key: int) -> list[int]:
        """Keys of the formulas that read a cell directly (large ranges included), sorted."""
        successors = self._successors(key)
        readers = {k for k in successors if not is_virtual_node(k)}
        ranges = [k for k in successors if is_virtual_node(k)]
        if ranges:  # ranges of the index: the formulas their chains reach
            readers.update(self._range_readers().readers_reached(ranges))
        return sorted(readers)

    def sheet_keys(self, sheet_id: int) -> list[int]:
        """Keys of the non-empty or formatted cells of one sheet, sorted (row by row)."""
        keys = {k for k in self._values if k >= 0 and k >> SHEET_SHIFT == sheet_id}
        keys.update(k for k in self._formats if k >> SHEET_SHIFT == sheet_id)
        return sorted(keys)

    # ================================================================================================ writing
    def set(self, address: str, value: Any) -> None:
        """Enter a value or a formula (text starting with '=') and recalculate what depends on it.

        Raises FormulaSyntaxError for formula text that does not parse (the cell keeps its old content),
        AddressError for a bad address, TypeError/ValueError for values a cell cannot hold.
        """
        key = self._key_cache.get(address)
        if key is None:
            key = self.key(address)
        t = type(value)
        if (
            (t is float or t is int) and key not in self._formulas and not self._pivots and self._batch_depth == 0
            and key not in self._spill_owner and not self._tables
        ):
            # hot path of agents and benchmarks: a number replacing a number or an empty cell
            number = _normalize_literal(value, self._date1904)
            values = self._values
            if self.record_undo:
                self._undo.append(("cells", [(key, values.get(key), self._formats.get(key))]))
                if len(self._undo) > _UNDO_LIMIT:
                    del self._undo[: len(self._undo) - _UNDO_LIMIT]
                if self._redo:
                    self._redo.clear()
            if "_values" in self._shared:
                self._own("_values")
                values = self._values
            if key not in values:
                self._touch_extent(key)
            values[key] = number
            if self._change_log is not None:
                self._change_log.add(key)
            plan = self._plans.get(key)
            if plan is None:
                plan = self._build_plan(key)
                self._plans[key] = plan
            if plan:
                self._run(plan)
            return
        self._set_key(key, value)

    def set_text(self, address: str, text: str) -> None:
        """Enter ``text`` as text even when it starts with '=' (what Excel stores for ``'=A1*2``, typed with a
        leading apostrophe); recalculates what depends on the cell. ``is_formula`` tells such a cell from a
        formula. Raises TypeError for anything but a str."""
        if type(text) is not str:
            raise TypeError(f"set_text enters text, not {type(text).__name__}")
        try:
            self._enter(self.key(address), text, as_text=True)
        finally:
            self._finish_edit()

    def _set_key(self, key: int, value: Any) -> None:
        try:
            self._enter(key, value)
        finally:
            self._finish_edit()

    def _enter(self, key: int, value: Any, as_text: bool = False) -> None:
        """Write one input (formula text or literal; ``as_text``: a str is text whatever it starts with), recording
        it for undo; validates before changing anything."""
        if self._spill_owner or key in self._formulas:
            self._refuse_part_of_array([key], whole_ok=False)
        if not as_text and type(value) is str and len(value) > 1 and value[0] == "=":
            fresh = self._recording is None
            self._record(key)
            try:
                self._set_formula(key, value)
            except SheetError:  # text that does not parse or compile leaves the cell as it was: nothing to undo
                if fresh:
                    self._recording = None
                elif self._recording:
                    self._recording.pop()
                raise
        else:
            literal = _normalize_literal(value, self._date1904)
            self._record(key)
            self._write_literal(key, literal)

    def clear(self, address: str) -> None:
        """Empty a cell or every cell of a range (formats are kept; see ``clear_formats``)."""
        sid, rng = self._range(address)
        if rng.rows * rng.cols > EXPANDED_RANGE_CELLS:
            keys = [
                k for k in self._values if k >= 0 and k >> 34 == sid and (split_key(k)[1], split_key(k)[2]) in rng
            ]
        else:
            keys = [make_key(sid, r, c) for r, c in rng.cells()]
        if self._spill_owner:
            self._refuse_part_of_array(keys)
        keys = [k for k in keys if k in self._formulas or (k in self._values and k not in self._spill_owner)]
        arrays = [k for k in keys if self._formulas.get(k) is not None and self._formulas[k].array is not None]
        if arrays:
            self._snapshot_for_undo()  # a legacy array formula is removed as a whole
        with self.batch():
            for key in keys:
                if arrays:
                    self._write_literal(key, None)
                    continue
                self._record(key)
                self._write_literal(key, None)
        self._finish_edit()

    def set_range(self, top_left: str, rows: list[list[Any]]) -> None:
        """Enter a block of values/formulas whose top-left cell is ``top_left``."""
        cell = parse_cell(top_left)
        sid = self._sheet_id(cell.sheet)
        if cell.row + len(rows) > MAX_ROWS or cell.col + max((len(r) for r in rows), default=0) > MAX_COLS:
            raise AddressError(f"a {len(rows)}-row block at {top_left!r} runs off the grid")
        try:
            with self.batch():
                for dr, row in enumerate(rows):
                    for dc, value in enumerate(row):
                        self._enter(make_key(sid, cell.row + dr, cell.col + dc), value)
        finally:
            self._finish_edit()

    def _touch_extent(self, key: int) -> None:
        sid, row, col = split_key(key)
        ext = extent_key(sid)
        last = self._values.get(ext)
        if last is None:
            self._values[ext] = (row, col)
        elif row > last[0] or col > last[1]:
            self._values[ext] = (max(row, last[0]), max(col, last[1]))

    def _write_literal(self, key: int, value: Any) -> None:
        if self._change_log is not None:
            self._change_log.add(key)
        if key in self._formulas:
            self._remove_formula(key)
        if self._tables:
            value = self._header_edited(key, value)
        anchors = self._inputs_changed(key, value is not None) if self._spills else []
        self._own("_values")
        if value is None:
            self._values.pop(key, None)
        else:
            self._values[key] = value
            self._touch_extent(key)
        self._recalculate_from(key, anchors)

    def _set_formula(self, key: int, text: str, array: tuple[int, int] | None = None) -> None:
        if self._change_log is not None:
            self._change_log.add(key)
        node = parse(text)
        cell = self._compile_cell(key, node, text if text.startswith("=") else "=" + text, array)
        if key in self._formulas:
            self._remove_formula(key)
        anchors = self._inputs_changed(key, True) if self._spills else []
        self._add_formula(cell)
        self._own("_values")
        self._touch_extent(key)
        self._recalculate_from(key, anchors)

    def _compile_cell(self, key: int, node: Node, text: str, array: tuple[int, int] | None = None,
                      template: FormulaTemplate | None = None) -> FormulaCell:
        """Compile a formula tree for the cell ``key`` (names and tables resolved against this workbook);
        ``array`` is the shape of a legacy array formula's range; ``template``: the template of a formula of which
        ``node`` is the tree moved here (a loader's filled-down column) or of the same text, used instead of
        compiling where it can."""
        if array is not None and data_tables.is_data_table_formula(node):
            layout = data_tables.layout_of(node, key, array, self._sheet_ids)
            return FormulaCell(
                key=key, node=node, text=text, fn=data_tables.evaluator(layout), cells=frozenset(layout.precedents()),
                ranges=(), big_ranges=(), volatile=True, unresolved_sheets=False, array=array,
            )
        sid, row, col = split_key(key)
        compiled = template.instantiate(sid, row, col) if template is not None and array is None else None
        if compiled is None:
            compiled = FormulaCompiler(self._sheet_ids, sid, row, col, self).compile(node, array)
        old = self._formulas.get(key)
        # a recompiled tracked formula keeps what it read until it runs again
        dynamic_ranges = old.dynamic_ranges if old is not None and compiled.dynamic else ()
        return FormulaCell(
            key=key,
            node=node,
            text=text,
            fn=compiled.fn,
            cells=frozenset(compiled.cells),
            ranges=tuple(compiled.ranges),
            big_ranges=_big(
                tuple(compiled.ranges) + dynamic_ranges, tuple(compiled.anchored), compiled.shared_ranges,
                self._shared_range_reads,
            ),
            volatile=compiled.volatile,
            unresolved_sheets=compiled.unresolved_sheets,
            array=array,
            dynamic=compiled.dynamic,
            names=frozenset(compiled.names),
            dynamic_ranges=dynamic_ranges,
            anchored=tuple(compiled.anchored),
            shared_ranges=tuple(compiled.shared_ranges),
            template=compiled.template,
        )

    def _precedent_keys(self, cell: FormulaCell, listed: bool = False) -> builtins.set[int]:
        """The cells a formula reads directly: its edges in the dependency graph (the ranges it keeps in the index
        left out), or with ``listed`` every range of up to EXPANDED_RANGE_CELLS cells expanded."""
        keys = set(cell.cells)
        indexed = () if listed else cell.big_ranges
        for ranges in (cell.ranges, cell.dynamic_ranges):
            for area in ranges:
                _, r1, c1, r2, c2 = area
                if (r2 - r1 + 1) * (c2 - c1 + 1) <= EXPANDED_RANGE_CELLS and area not in indexed:
                    keys.update(range_keys(*area))
        return keys

    def _listed_precedent_keys(self, cell: FormulaCell) -> builtins.set[int]:
        """Every cell of the formula's ranges of up to EXPANDED_RANGE_CELLS cells, and in larger ones (a whole
        column) the cells that hold something: the ones it reads that can matter."""
        keys = self._precedent_keys(cell, listed=True)
        large = [area for ranges in (cell.ranges, cell.dynamic_ranges) for area in ranges
                 if (area[3] - area[1] + 1) * (area[4] - area[2] + 1) > EXPANDED_RANGE_CELLS]
        if large:
            for key in self._values:
                if key < 0:
                    continue
                sheet, row, col = split_key(key)
                if any(sheet == s and r1 <= row <= r2 and c1 <= col <= c2 for s, r1, c1, r2, c2 in large):
                    keys.add(key)
        return keys

    def _add_formula(self, cell: FormulaCell) -> None:
        self._own("_formulas")
        self.graph_version += 1
        key = cell.key
        self._formulas[key] = cell
        self._own("_dependents")
        dependents = self._dependents
        owned = self._owned_dependent_sets
        for precedent in self._precedent_keys(cell):  # _dependent_set, inlined: loading adds many edges
            deps = dependents.get(precedent)
            if deps is None:
                dependents[precedent] = {key}
                owned.add(precedent)
            elif precedent in owned:
                deps.add(key)
            else:
                self._dependent_set(precedent).add(key)
        if cell.big_ranges:
            self._own("_big_ranges")
            index = self._big_range_index
            # a new reader of ranges already indexed (a lookup table's next reader) keeps the families
            if index is not None and key not in self._big_ranges:
                index = index.with_reader(key, cell.big_ranges)
            else:
                index = None
            self._big_ranges[key] = cell.big_ranges
            self._big_range_index = index
        if cell.shared_ranges:
            self._own("_shared_range_reads")
            reads = self._shared_range_reads
            for area in cell.shared_ranges:
                reads[area] = reads.get(area, 0) + 1
        if cell.array is not None:  # a legacy array formula owns its range from the start
            rows, cols = cell.array
            self._own("_spill_owner")
            for member in area_keys(area_of(cell.key, rows, cols))[1:]:
                self._spill_owner[member] = cell.key
            self._set_spill_state(cell.key, (rows, cols, True), None)
        self._plans = {}

    def _remove_formula(self, key: int) -> None:
        cell = self._formulas.get(key)
        if cell is None:
            return
        self._own("_formulas")
        self.graph_version += 1
        del self._formulas[key]
        for precedent in self._precedent_keys(cell):
            deps = self._dependent_set(precedent)
            deps.discard(key)
            if not deps:
                del self._dependents[precedent]
                self._owned_dependent_sets.discard(precedent)
        if cell.big_ranges:
            self._own("_big_ranges")
            del self._big_ranges[key]
            index = self._big_range_index
            self._big_range_index = None if index is None else index.without_reader(key, cell.big_ranges)
        if cell.shared_ranges:
            self._own("_shared_range_reads")
            reads = self._shared_range_reads
            for area in cell.shared_ranges:
                if reads[area] > 1:
                    reads[area] -= 1
                else:
                    del reads[area]
        if key in self._spills:
            self._unplace(key, keep_attempt=False)
        self._plans = {}

    # ========================================================================================= recalculation
    def _successors(self, key: int) -> list[int]:
        """The graph's successors of a cell or of a virtual node (a range of the index, see range_readers)."""
        if is_virtual_node(key):
            return self._range_readers().node_successors(key)
        succ = list(self._dependents.get(key, ()))
        if self._big_ranges and key >= 0:
            succ.extend(self._range_readers().nodes_containing(*split_key(key)))
        if self._spills and key in self._spills:
            succ.extend(self._area_readers(key))  # an array's anchor writes every cell of its area
        return succ

    def _range_readers(self) -> RangeReaders:
        index = self._big_range_index
        if index is None:
            index = self._big_range_index = RangeReaders(self._big_ranges)
        return index

    def _may_have_successors(self, key: int) -> bool:
        """False only when nothing reads ``key`` (no dependents, no large range, no array area): a cheap test
        that lets a batch skip planning from cells no formula reads."""
        if key in self._dependents or self._spills:
            return True
        return bool(self._big_ranges) and key >= 0 and bool(self._range_readers().nodes_containing(*split_key(key)))

    def _build_plan(self, start: int, roots: list[int] | None = None) -> tuple[tuple[int, Any], ...]:
        """Formulas reachable from ``start`` in topological order; circular groups map to None (-> #CYCLE!).

        Iterative Tarjan: strongly connected components come out sinks first, so the reversed output is a
        topological order of the condensation. With ``roots``, ``start`` is a virtual node whose successors are
        ``roots`` (a full recalculation starts from every formula at once).
        """
        index: dict[int, int] = {}
        low: dict[int, int] = {}
        on_stack: set[int] = set()
        stack: list[int] = []
        components: list[list[int]] = []
        counter = 0
        work: list[tuple[int, Iterator[int]]] = []
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        work.append((start, iter(self._successors(start) if roots is None else roots)))
        self_loops: set[int] = set()
        while work:
            node, successors = work[-1]
            advanced = False
            for succ in successors:
                if succ == node:
                    self_loops.add(node)
                if succ not in index:
                    index[succ] = low[succ] = counter
                    counter += 1
                    stack.append(succ)
                    on_stack.add(succ)
                    work.append((succ, iter(self._successors(succ))))
                    advanced = True
                    break
                if succ in on_stack and index[succ] < low[node]:
                    low[node] = index[succ]
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                components.append(component)
        plan: list[tuple[int, Any]] = []
        formulas = self._formulas
        for component in reversed(components):
            if len(component) > 1 or component[0] in self_loops:
                # a circular group; ranges' virtual nodes in it are not cells
                plan.extend((member, None) for member in component if member in formulas)
            else:
                member = component[0]
                cell = formulas.get(member)
                if cell is not None:
                    plan.append((member, cell.fn))
        return tuple(plan)

    @contextmanager
    def batch(self) -> Iterator[Workbook]:
        """Defer recalculation while entering many cells; everything affected is recomputed once at the end.

        >>> with wb.batch():
        ...     for row in range(1, 1001):
        ...         wb.set(f"A{row}", f"=A{row + 1}+1")
        """
        self._batch_depth += 1
        try:
            yield self
        finally:
            self._batch_depth -= 1
            if self._batch_depth == 0:
                self._recalculate_pending()

    def _recalculate_pending(self) -> None:
        """Recalculate what the edits deferred by a batch affect (nothing when none is pending)."""
        if not (self._dirty or self._spill_dirty):
            return
        # Only formulas and cells something reads need planning: a block of new data with no readers (a sheet
        # being filled in) plans nothing.
        dirty = [key for key in self._dirty if key in self._formulas or self._may_have_successors(key)]
        self._dirty = set()
        if dirty or self._spill_dirty:
            self._own("_values")
            self._run(self._build_plan(_VIRTUAL_SOURCE, roots=dirty))

    def _recalculate_from(self, key: int, anchors: list[int] | None = None) -> None:
        """Recalculate what depends on ``key`` (and the array ``anchors`` its edit unblocks or blocks)."""
        if self._batch_depth:
            self._dirty.add(key)
            if anchors:
                self._dirty.update(anchors)
            return
        if anchors:
            plan = self._build_plan(_VIRTUAL_SOURCE, roots=[key, *anchors])
        else:
            cached = self._plans.get(key)
            if cached is None:
                cached = self._build_plan(key)
                self._plans[key] = cached
            plan = cached
        if plan or self._spill_dirty:
            self._own("_values")
            self._run(plan)

    def track_changes(self) -> builtins.set[int]:
        """Start recording the keys of cells whose value, content or format changes; returns the live set.

        The key ``ALL_CHANGED`` in the set means "too much changed to list" (structural edits). Observers (the
        environment's observation builder) read and clear the set after each step.
        """
        self._change_log = set()
        return self._change_log

    def _run(self, plan: Iterable[tuple[int, Any]]) -> None:
        """Evaluate a plan with this workbook as the evaluation context, then whatever array placements changed
        beyond it; then, while tracked formulas read other areas than their recorded dependencies, record the new
        ones and rerun those formulas and what depends on them (their first run may have read a cell the plan
        computed after them)."""
        state = STATE
        outer = (state.context, state.values, state.observed)
        state.context, state.values, state.observed = self, self._values, None  # tracked formulas add a dict
        try:
            self._execute(plan)
            if self._spill_dirty:
                self._settle_spills()
            rounds = 0
            while state.observed and rounds < MAX_TRACKING_ROUNDS:
                changed = self._update_tracked_reads(state.observed)
                state.observed = None
                if not changed:
                    break
                rounds += 1
                self._execute(self._build_plan(_VIRTUAL_SOURCE, roots=changed))
                if self._spill_dirty:
                    self._settle_spills()
        finally:
            state.context, state.values, state.observed = outer

    def _update_tracked_reads(self, observed: dict[int, list[Area]]) -> list[int]:
        """Make the areas each tracked formula just read its dependencies; returns the formulas whose changed."""
        changed = []
        for key, reads in observed.items():
            cell = self._formulas.get(key)
            if cell is None or not cell.dynamic:
                continue
            ranges: tuple[tuple[int, int, int, int, int], ...] = tuple(sorted(set(reads)))
            if ranges == cell.dynamic_ranges:
                continue
            self._remove_formula(key)
            big_ranges = _big(cell.ranges + ranges, cell.anchored, cell.shared_ranges, self._shared_range_reads)
            self._add_formula(replace(cell, dynamic_ranges=ranges, big_ranges=big_ranges))
            changed.append(key)
        return changed

    def _recalculate_tracked(self) -> None:
        """Recompute tracked formulas (and their dependents): what INDIRECT reads may change with sheets/names."""
        tracked = [key for key, cell in self._formulas.items() if cell.dynamic]
        if tracked:
            self._own("_values")
            self._run(self._build_plan(_VIRTUAL_SOURCE, roots=tracked))

    def _execute(self, plan: Iterable[tuple[int, Any]]) -> None:
        self._own("_values")
        values = self._values
        items = plan if isinstance(plan, (list, tuple)) else list(plan)
        if self._change_log is not None:
            self._change_log.update(key for key, _ in items)
        if self._iteration is not None and any(fn is None for _, fn in items):
            items = self._iterated(items)
        position = 0
        total = len(items)
        spills = self._spills
        previous_system = serials.activate(self._date1904)  # date functions and TEXT read the workbook's system
        previous_characters = character_sets.activate(self._character_set)  # so do CHAR and CODE its character set
        state = STATE
        previous_shared = state.shared
        state.shared = (values, {})  # what this plan's formulas share: running totals, lookup indexes
        try:
            if not spills and self._iteration is None:
                # The plain loop: while no formula spills and none iterates, each result is stored as it comes. It
                # stops at an array (to be placed), a circular formula (no function) or a failing function; that
                # step is finished here and the full loop below takes the rest.
                key, fn = -1, None
                try:
                    for key, fn in items:
                        result = fn(values)
                        if type(result) is Matrix:
                            break
                        values[key] = result
                    else:
                        return
                except Exception as error:  # a failing function, or fn None: handled below, not called again
                    result = error
                position = _position_of(items, key)
                try:
                    if fn is None:
                        values[key] = CYCLE
                    elif type(result) is Matrix:
                        values[key] = self._place(key, result)
                        spills = self._spills
                        state.shared = (values, {})  # an array written into other cells: may be stale
                    else:
                        raise result
                except Exception:  # a defect in one function must not take the workbook down
                    if STRICT:
                        raise
                    values[key] = VALUE
                position += 1
            while position < total:
                try:
                    for position in range(position, total):  # noqa: B020 -- resumes after a failed cell
                        key, fn = items[position]
                        result = CYCLE if fn is None else fn(values)
                        if type(result) is Matrix or key in spills:
                            result = self._place(key, result)
                            spills = self._spills  # (placing may have copied it from a clone's)
                            state.shared = (values, {})  # an array written into other cells: may be stale
                        values[key] = result
                    return
                except Exception:  # a defect in one function must not take the workbook down
                    if STRICT:
                        raise
                    values[items[position][0]] = VALUE
                    position += 1
        finally:
            state.shared = previous_shared
            serials.activate(previous_system)
            character_sets.activate(previous_characters)

    def _iterated(self, items: list[tuple[int, Any]] | tuple[tuple[int, Any], ...]) -> list[tuple[int, Any]]:
        """The plan with each run of circular formulas (the plan's None entries: a strongly connected component, or
        several in a row) replaced by one step that iterates them (:class:`IterativeCalculation`)."""
        out: list[tuple[int, Any]] = []
        for circular, run in itertools.groupby(items, key=lambda item: item[1] is None):
            if circular:
                members = sorted(key for key, _ in run)
                out.append((members[0], self._iteration_step(members)))
            else:
                out.extend(run)
        return out

    def _iteration_step(self, members: list[int]) -> Any:
        """A plan step computing the circular formulas ``members`` by iteration. It stores (and places) every
        member's value and returns the first member's last result as its formula gave it (an array stays an
        array), which the plan then places again, unchanged."""
        settings = self._iteration
        assert settings is not None
        cells = [(key, self._formulas[key].fn) for key in members]

        def iterate(values: dict) -> Any:
            state = STATE
            plan_shared, state.shared = state.shared, None  # iterating changes cells the plan had computed
            try:
                return iterated(values)
            finally:
                state.shared = (values, {}) if plan_shared is not None else None

        def iterated(values: dict) -> Any:
            self._forget_cycle_errors(members, values)
            last: dict[int, Any] = {}
            for _ in range(settings.max_iterations):
                largest = 0.0
                for key, fn in cells:
                    try:
                        new = fn(values)
                    except Exception:  # a defect in one function must not take the workbook down
                        if STRICT:
                            raise
                        new = VALUE
                    largest = max(largest, _change(last.get(key, values.get(key)), new))
                    last[key] = new
                    values[key] = self._place(key, new) if type(new) is Matrix or key in self._spills else new
                if largest <= settings.max_change:
                    break
            return last[members[0]]

        return iterate

    def _forget_cycle_errors(self, members: list[int], values: dict) -> None:
        """Clear the #CYCLE! that a calculation without iteration left in ``members`` and in the cells of their
        arrays, so that iterating starts from empty cells, as Excel's starts from 0."""
        for key in members:
            cell = self._formulas.get(key)
            shape = cell.array if cell is not None and cell.array is not None else self._spills.get(key, (1, 1))[:2]
            sid, row, col = split_key(key)
            rows, cols = shape
            for cell_key in area_keys((sid, row, col, row + rows - 1, col + cols - 1)) if rows * cols > 1 else [key]:
                if values.get(cell_key) is CYCLE:
                    values.pop(cell_key, None)

    @property
    def iterative_calculation(self) -> IterativeCalculation | None:
        """Excel's iterative calculation for circular references (None, the default: each formula of a circular
        reference is ``#CYCLE!``). Setting it recalculates every formula. Loaded from and saved to an .xlsx file's
        calculation properties (``calcPr iterate``, ``iterateCount``, ``iterateDelta``)."""
        return self._iteration

    @iterative_calculation.setter
    def iterative_calculation(self, settings: IterativeCalculation | None) -> None:
        if settings is not None and not isinstance(settings, IterativeCalculation):
            raise TypeError(f"iterative_calculation must be an IterativeCalculation or None, not {settings!r}")
        if settings != self._iteration:
            self._snapshot_for_undo()
            self._iteration = settings
            self.recalculate()

    def recalculate(self) -> None:
        """Recompute every formula (volatile ones such as TODAY included), in dependency order."""
        self._own("_values")
        self._run(self._full_plan())

    def _full_plan(self) -> tuple[tuple[int, Any], ...]:
        # A virtual source that every formula depends on: one Tarjan pass orders them all; cached like the
        # per-cell plans (the plan cache is replaced whenever the graph changes).
        plan = self._plans.get(_VIRTUAL_SOURCE)
        if plan is None:
            plan = self._build_plan(_VIRTUAL_SOURCE, roots=list(self._formulas))
            self._plans[_VIRTUAL_SOURCE] = plan
        return plan

    # ================================================================================================ editing
    def fill(self, source: str, target: str) -> None:
        """Copy one cell's content to every cell of a range, adjusting relative references (Excel's fill).

        ``fill("B2", "B3:B20")`` is Excel's fill-down from B2. Formats are copied too.
        """
        src = self.key(source)
        tsid, rng = self._range(target)
        if rng.rows * rng.cols > 100_000:
            raise AddressError(f"fill target {target!r} is larger than 100,000 cells")
        cell = self._formulas.get(src)
        fmt = self._formats.get(src)
        literal = self._input(src) if cell is None else None  # an element of another formula's array is no input
        if self._in_data_table(src):  # a data table's cells are copied as their values (TABLE cannot be entered)
            cell, literal = None, self._values.get(src)
        _, srow, scol = split_key(src)
        if self._spill_owner:
            self._refuse_part_of_array([make_key(tsid, r, c) for r, c in rng.cells()])
        with self.batch():
            self._fill_cells(src, cell, literal, fmt, tsid, rng, srow, scol)
        self._finish_edit()

    def _fill_cells(
        self, src: int, cell: FormulaCell | None, literal: Any, fmt: CellFormat | None, tsid: int,
        rng: RangeAddress, srow: int, scol: int,
    ) -> None:
        for row, col in rng.cells():
            key = make_key(tsid, row, col)
            if key == src:
                continue
            self._record(key)
            if cell is not None:
                node = references.shift(cell.node, row - srow, col - scol)
                self._set_formula(key, "=" + render(node))
            else:
                self._write_literal(key, literal)
            self._write_format(key, fmt)

    def copy_range(self, source: str, destination: str) -> None:
        """Copy a range (contents and formats) so that its top-left lands on ``destination``; refs adjust. Raises
        AddressError for a range of more than 5 million cells (its copy would not fit in memory)."""
        ssid, src = self._range(source)
        if src.rows * src.cols > MAX_ARRAY_CELLS:
            raise AddressError(f"copied range {source!r} is larger than {MAX_ARRAY_CELLS:,} cells")
        dest = parse_cell(destination)
        dsid = self._sheet_id(dest.sheet)
        dr, dc = dest.row - src.row1, dest.col - src.col1
        if src.row2 + dr >= MAX_ROWS or src.col2 + dc >= MAX_COLS:
            raise AddressError("the copied block runs off the grid")
        snapshot = [
            (row, col, self._formulas.get(make_key(ssid, row, col)), self._input(make_key(ssid, row, col)),
             self._formats.get(make_key(ssid, row, col)))
            for row, col in src.cells()
        ]
        if self._spill_owner:  # a data table's cells are copied as their values (TABLE cannot be entered)
            snapshot = [
                (row, col, None, self._values.get(make_key(ssid, row, col)), fmt)
                if self._in_data_table(make_key(ssid, row, col)) else (row, col, cell, literal, fmt)
                for row, col, cell, literal, fmt in snapshot
            ]
        if self._spill_owner:
            self._refuse_part_of_array([make_key(dsid, row + dr, col + dc) for row, col, *_ in snapshot])
        # legacy array formulas wholly inside the source are copied as array formulas of the same shape
        whole_arrays = {
            (row, col): cell.array for row, col, cell, _, _ in snapshot
            if cell is not None and cell.array is not None
            and (row + cell.array[0] - 1, col + cell.array[1] - 1) in src
        }
        if whole_arrays:
            self._snapshot_for_undo()
        with self.batch():
            for row, col, cell, literal, fmt in snapshot:
                key = make_key(dsid, row + dr, col + dc)
                if not whole_arrays:
                    self._record(key)
                if cell is not None:
                    text = "=" + render(references.shift(cell.node, dr, dc))
                    self._set_formula(key, text, whole_arrays.get((row, col)))
                elif key not in self._spill_owner or literal is not None:
                    self._write_literal(key, literal)
                self._write_format(key, fmt)
        self._finish_edit()

    def set_array_formula(self, address: str, formula: str) -> None:
        """Enter a legacy array formula over a range (Excel's Ctrl+Shift+Enter, shown as ``{=...}``).

        The formula is evaluated once in array mode and its result fitted to the range: a one-row or one-column
        result repeats along the other axis, cells beyond the result show #N/A, and the range never spills. What
        the range held is replaced. The range can afterwards only be cleared or re-entered as a whole
        (``SheetError`` otherwise). A single cell makes a one-cell array formula (``{=SUM(A1:A3*B1:B3)}``).
        """
        sid, rng = self._range(address)
        if rng.rows * rng.cols > 100_000:
            raise AddressError(f"array formula range {address!r} is larger than 100,000 cells")
        if not (isinstance(formula, str) and len(formula) > 1 and formula[0] == "="):
            raise SheetError(f"an array formula is formula text starting with '=', not {formula!r}")
        node = parse(formula)  # a syntax error leaves the workbook unchanged
        keys = [make_key(sid, r, c) for r, c in rng.cells()]
        if data_tables.is_data_table_formula(node):
            data_tables.check_data_table(node, keys[0], (rng.rows, rng.cols), self._sheet_ids)
        self._refuse_part_of_array(keys)
        self._snapshot_for_undo()
        recording, self.record_undo = self.record_undo, False
        try:
            with self.batch():
                for key in keys:
                    if key in self._formulas or (key in self._values and key not in self._spill_owner):
                        self._write_literal(key, None)
                pushed_out = [a for key in keys[1:] for a in self._inputs_changed(key, True)]
                self._set_formula(keys[0], formula, (rng.rows, rng.cols))
                self._dirty.update(pushed_out)
        finally:
            self.record_undo = recording
        self._finish_edit()

    def set_data_table(self, address: str, row_input: str | None = None, column_input: str | None = None) -> None:
        """Make ``address`` (the cells to fill, without the headers) a What-If data table, Excel's
        ``{=TABLE(row_input, column_input)}``.

        With only ``column_input``, the values to try run down the column left of the range and the formulas stand
        in the row above it; with only ``row_input``, the values run along the row above and the formulas down the
        column left; with both, the one formula stands at the corner above-left of the range (see
        :mod:`sheetrl.sheet.data_tables`). Each cell shows its formula's value with the input cell(s) holding that
        row's and column's values; the workbook's own values never change. Like an array formula the range can
        afterwards only be cleared or re-entered as a whole. Raises SheetError for input cells on another sheet or
        inside the range, a range in row 1 or column A, or more than 10,000 cells.
        """
        sid, _ = self._range(address)
        inputs = []
        for given in (row_input, column_input):
            if given is None:
                inputs.append("")
                continue
            cell = parse_cell(given)
            if cell.sheet is not None and self._sheet_id(cell.sheet) != sid:
                raise SheetError(f"a data table's input cells must be on the table's own sheet, not {given!r}")
            inputs.append(cell_name(cell.row, cell.col))
        self.set_array_formula(address, f"=TABLE({inputs[0]},{inputs[1]})")

    def is_data_table(self, address: str) -> bool:
        """True when ``address`` is one of the cells a data table fills."""
        return self._in_data_table(self.key(address))

    def _in_data_table(self, key: int) -> bool:
        anchor = self._array_containing(key)
        return anchor is not None and data_tables.is_data_table_formula(self._formulas[anchor].node)

    def _refuse_splitting_arrays(self, sid: int, axis: str, at: int, count: int, insert: bool) -> None:
        """SheetError when inserting or deleting lines would cut through a legacy array formula's range, or
        through a data table with its header row and column."""
        for anchor, cell in self._formulas.items():
            if cell.array is None or anchor >> 34 != sid:
                continue
            _, row, col = split_key(anchor)
            first, size = (row, cell.array[0]) if axis == "row" else (col, cell.array[1])
            what = "array formula"
            if data_tables.is_data_table_formula(cell.node) and first > 0:
                first, size, what = first - 1, size + 1, "data table"
            last = first + size - 1
            if insert:
                cut = first < at <= last
            else:
                end = at + count - 1
                cut = at <= last and first <= end and not (at <= first and last <= end)
            if cut:
                rows, cols = cell.array
                raise SheetError(
                    f"cannot {'insert' if insert else 'delete'} {axis}s through the {what} over "
                    f"{self._area_text(anchor, rows, cols)}; clear it first"
                )

    def _refuse_pushing_cells_off(self, sid: int, axis: str, count: int) -> None:
        """SheetError when inserting ``count`` rows or columns would push non-empty cells off the end of the
        sheet: Excel refuses such an insertion rather than lose the data."""
        index, limit, noun = (0, MAX_ROWS, "row") if axis == "row" else (1, MAX_COLS, "column")
        extent = self._values.get(extent_key(sid))  # never below the last used line
        if extent is None or extent[index] < limit - count:
            return
        for key in self._values:
            if key >= 0 and key >> 34 == sid and split_key(key)[1 + index] >= limit - count:
                raise SheetError(
                    f"cannot insert {count} {noun}{'s' if count > 1 else ''}: {self.address(key)} is not empty and "
                    f"would be pushed off the end of the sheet"
                )

    def insert_rows(self, before: int, count: int = 1, sheet: str | None = None) -> None:
        """Insert ``count`` empty rows before 1-based row ``before``; references move as in Excel."""
        self._insert_delete(sheet, "row", before, count, insert=True)

    def delete_rows(self, first: int, count: int = 1, sheet: str | None = None) -> None:
        """Delete ``count`` rows from 1-based row ``first``; references to deleted cells become #REF!."""
        self._insert_delete(sheet, "row", first, count, insert=False)

    def insert_columns(self, before: int, count: int = 1, sheet: str | None = None) -> None:
        """Insert ``count`` empty columns before 1-based column index ``before`` (1 = A)."""
        self._insert_delete(sheet, "col", before, count, insert=True)

    def delete_columns(self, first: int, count: int = 1, sheet: str | None = None) -> None:
        """Delete ``count`` columns from 1-based column index ``first`` (1 = A)."""
        self._insert_delete(sheet, "col", first, count, insert=False)

    def _insert_delete(self, sheet: str | None, axis: str, position: int, count: int, insert: bool) -> None:
        limit = MAX_ROWS if axis == "row" else MAX_COLS
        if not (isinstance(position, int) and isinstance(count, int)) or count < 1 or not 1 <= position <= limit:
            raise AddressError(f"{axis} position {position!r} / count {count!r} is out of range")
        sid = self._sheet_id(sheet)
        sheet_name = self._sheet_names[sid]
        at = position - 1
        self._refuse_splitting_arrays(sid, axis, at, count, insert)  # before the snapshot: a refusal is no edit
        if insert:
            self._refuse_pushing_cells_off(sid, axis, count)
        self._snapshot_for_undo()

        def move(index: int) -> int | None:
            if insert:
                moved = index + count if index >= at else index
                return moved if moved < limit else None
            if at <= index < at + count:
                return None
            return index - count if index >= at + count else index

        def move_key(key: int) -> int | None:
            ksid, row, col = split_key(key)
            if ksid != sid:
                return key
            if axis == "row":
                new = move(row)
                return None if new is None else make_key(ksid, new, col)
            new = move(col)
            return None if new is None else make_key(ksid, row, new)

        rewrite = references.insert_lines if insert else references.delete_lines
        old_formulas = {k: self._sheet_names[k >> 34] for k in self._formulas}
        nodes = {k: rewrite(c.node, old_formulas[k], sheet_name, axis, at, count) for k, c in self._formulas.items()}
        arrays = {k: c.array for k, c in self._formulas.items() if c.array is not None}
        literals = {
            k: v for k, v in self._values.items() if k >= 0 and k not in self._formulas and k not in self._spill_owner
        }
        formats = dict(self._formats)
        widths = dict(self._col_widths)
        # rebuild every container from scratch: structural edits are rare and this keeps the graph exact
        self._values, self._formulas, self._dependents, self._big_ranges = {WORKBOOK_KEY: self}, {}, {}, {}
        self._big_range_index, self._shared_range_reads = None, {}
        self._formats, self._plans = {}, {}
        self._spills, self._spill_owner, self._spill_dirty = {}, {}, []
        self._shared -= {
            "_values", "_formulas", "_dependents", "_big_ranges", "_formats", "_spills", "_spill_owner",
            "_shared_range_reads",
        }
        self._owned_dependent_sets = set()
        for key, value in literals.items():
            new = move_key(key)
            if new is not None:
                self._values[new] = value
                self._touch_extent(new)
        for key, fmt in formats.items():
            new = move_key(key)
            if new is not None:
                self._formats[new] = fmt
        if axis == "col":
            self._own("_col_widths")
            self._col_widths = _moved_lines(widths, sid, move)
        elif self._row_states:
            states = dict(self._row_states)
            self._own("_row_states")
            self._row_states = _moved_lines(states, sid, move)
        for table in self._adjust_catalog(sid, axis, at, count, insert):
            self._write_headers(table)
        for key, node in nodes.items():
            new = move_key(key)
            if new is not None:
                self._install_formula(new, node, arrays.get(key))
        self.recalculate()
        self._refresh_pivots()
        if self._change_log is not None:
            self._change_log.add(ALL_CHANGED)

    def _install_formula(self, key: int, node: Node, array: tuple[int, int] | None = None,
                         text: str | None = None, template: FormulaTemplate | None = None) -> FormulaCell:
        """Add a formula from a syntax tree without recalculating (bulk rebuilds) and return it; ``array`` is the
        shape of a legacy array formula's range, ``text`` the formula's text (default: rendered from the tree),
        ``template`` as for :meth:`_compile_cell`."""
        if text is None:
            text = "=" + render(node)
        cell = self._compile_cell(key, node, text, array, template)
        self._add_formula(cell)
        self._own("_values")
        self._touch_extent(key)
        return cell

    def _rewrite_all_formulas(self, rewrite: Any) -> None:
        for key, cell in list(self._formulas.items()):
            node = rewrite(cell.node, self._sheet_names[key >> 34])
            self._remove_formula(key)
            self._install_formula(key, node, cell.array)
        self.recalculate()

    def _recompile_all(self) -> None:
        self._rewrite_all_formulas(lambda node, _sheet: node)

    def _recompile_unresolved(self) -> None:
        pending = [k for k, c in self._formulas.items() if c.unresolved_sheets]
        for key in pending:
            node, array = self._formulas[key].node, self._formulas[key].array
            self._remove_formula(key)
            self._install_formula(key, node, array)
        if pending:
            self.recalculate()

    # ============================================ what workbook-reading functions see (functions.context.WorkbookView)
    # (formula_at and format_at are part of the keyed API above)
    def sheet_name_of(self, sheet_id: int) -> str | None:
        """The name of the sheet with internal id ``sheet_id`` (None if there is none)."""
        return self._sheet_names.get(sheet_id)

    def column_width_at(self, sheet_id: int, col: int) -> float | None:
        """Width of a 0-based column in characters, or None for the default width."""
        return self._col_widths.get((sheet_id, col))

    # ================================================================================================ formats
    def format(self, address: str) -> CellFormat:
        """The format of a cell (the default format if none was set)."""
        return self._formats.get(self.key(address), DEFAULT_FORMAT)

    def set_format(self, address: str, **changes: Any) -> None:
        """Change format attributes of a cell or range, e.g. ``set_format("A1:F1", bold=True)``.

        Attributes: bold, italic, underline, number_format (preset name or Excel code), font_color, fill_color
        (RRGGBB), horizontal ('left', 'center', 'right', 'general'), border_top/bottom/left/right.
        """
        from sheetrl.sheet.formats import resolve_number_format

        if "number_format" in changes:
            changes["number_format"] = resolve_number_format(changes["number_format"])
        try:
            DEFAULT_FORMAT.with_changes(**changes)
        except TypeError as exc:
            raise SheetError(f"unknown format attribute: {exc}") from None
        except ValueError as exc:
            raise SheetError(str(exc)) from None
        sid, rng = self._range(address)
        if rng.rows * rng.cols > 100_000:
            raise AddressError(f"format range {address!r} is larger than 100,000 cells")
        # A range's cells mostly share a few format objects: each one's new format is made (and compared with the
        # default) once, keyed by identity (hashing a format hashes all its fields).
        # The old format is kept in the entry so that its id cannot be reused while the loop runs.
        changed: dict[int, tuple[CellFormat, CellFormat | None]] = {}
        self._own("_formats")
        formats, log = self._formats, self._change_log
        for row, col in rng.cells():
            key = make_key(sid, row, col)
            self._record(key)
            old = formats.get(key, DEFAULT_FORMAT)
            entry = changed.get(id(old))
            if entry is None:
                made = old.with_changes(**changes)
                entry = changed[id(old)] = (old, None if made == DEFAULT_FORMAT else made)
            new = entry[1]
            if log is not None:
                log.add(key)
            if new is None:
                formats.pop(key, None)
            else:
                formats[key] = new
        self._finish_edit()

    def clear_formats(self, address: str) -> None:
        """Reset the format of a cell or range to the default."""
        sid, rng = self._range(address)
        if rng.rows * rng.cols > EXPANDED_RANGE_CELLS:  # a large range: visit the formatted cells, not every cell
            keys = sorted(key for key, (sheet, row, col) in ((k, split_key(k)) for k in self._formats)
                          if sheet == sid and rng.row1 <= row <= rng.row2 and rng.col1 <= col <= rng.col2)
        else:
            keys = [make_key(sid, row, col) for row, col in rng.cells()]
        for key in keys:
            if key in self._formats:
                self._record(key)
                self._write_format(key, None)
        self._finish_edit()

    def _write_format(self, key: int, fmt: CellFormat | None) -> None:
        if self._change_log is not None:
            self._change_log.add(key)
        self._own("_formats")
        if fmt is None or fmt == DEFAULT_FORMAT:
            self._formats.pop(key, None)
        else:
            self._formats[key] = fmt

    def column_width(self, column: str, sheet: str | None = None) -> float | None:
        """Width of a column in characters, or None for the default width."""
        from sheetrl.sheet.address import column_index

        return self._col_widths.get((self._sheet_id(sheet), column_index(column)))

    def set_column_width(self, column: str, width: float, sheet: str | None = None) -> None:
        """Set a column's width in characters (0-255)."""
        from sheetrl.sheet.address import column_index

        if not isinstance(width, (int, float)) or not 0 <= width <= 255:
            raise SheetError(f"column width must be a number of characters between 0 and 255, not {width!r}")
        line = (self._sheet_id(sheet), column_index(column))  # a bad sheet or column raises before the snapshot
        self._snapshot_for_undo()
        self._own("_col_widths")
        self._col_widths[line] = float(width)

    # =========================================================================================== hidden rows
    def hide_rows(self, first: int, last: int | None = None, sheet: str | None = None, *,
                  filtered: bool = False) -> None:
        """Hide rows ``first`` to ``last`` (numbered from 1, as Excel shows them; ``last`` defaults to ``first``):
        by hand, or, with ``filtered``, as a filter hides the rows it leaves out. SUBTOTAL 1-11 leaves out the
        cells of filtered rows, SUBTOTAL 101-111 and AGGREGATE's options 1, 3, 5 and 7 those of every hidden row;
        their formulas are recalculated. Other formulas and values do not change (Excel's SUM counts hidden
        cells). Loaded from and saved to .xlsx (a filtered row is a hidden row inside a filter's range)."""
        self._set_row_states(first, last, sheet, ROW_FILTERED if filtered else ROW_HIDDEN)

    def unhide_rows(self, first: int, last: int | None = None, sheet: str | None = None) -> None:
        """Show rows ``first`` to ``last`` again, however they were hidden (see :meth:`hide_rows`)."""
        self._set_row_states(first, last, sheet, None)

    def row_hidden(self, row: int, sheet: str | None = None) -> str | None:
        """How row ``row`` (from 1) is hidden: ``"hidden"`` (by hand), ``"filtered"``, or None when it shows."""
        self._check_row_number(row)
        return self._row_states.get((self._sheet_id(sheet), row - 1))

    @staticmethod
    def _check_row_number(row: Any) -> None:
        if type(row) is not int or not 1 <= row <= MAX_ROWS:
            raise AddressError(f"row must be a whole number from 1 to {MAX_ROWS:,}, not {row!r}")

    def _set_row_states(self, first: int, last: int | None, sheet: str | None, state: str | None) -> None:
        last = first if last is None else last
        self._check_row_number(first)
        self._check_row_number(last)
        if last < first:
            raise AddressError(f"rows {first} to {last}: the last row comes before the first")
        sid = self._sheet_id(sheet)
        states = self._row_states
        if state is None:  # (the hidden rows, not the rows asked for: unhiding 1 to 1,048,576 is one call)
            changed = [key for key in states if key[0] == sid and first - 1 <= key[1] < last]
        else:
            changed = [(sid, row) for row in range(first - 1, last) if states.get((sid, row)) != state]
        if not changed:
            return
        self._snapshot_for_undo()
        self._own("_row_states")
        for key in changed:
            if state is None:
                self._row_states.pop(key, None)
            else:
                self._row_states[key] = state
        if any(calls_subtotal(entry.refers_to) for entry in self._names.values()):
            readers = list(self._formulas)  # a name calls SUBTOTAL (=Visible): any formula may read it
        else:
            readers = [key for key, cell in self._formulas.items() if calls_subtotal(cell.text)]
        if readers:
            if self._batch_depth:
                self._dirty.update(readers)
            else:
                self._own("_values")
                self._run(self._build_plan(_VIRTUAL_SOURCE, roots=readers))
        if self._change_log is not None:
            self._change_log.update(readers)

    def display(self, address: str) -> str:
        """The text a spreadsheet would show in the cell, using its number format and the date system."""
        from sheetrl.sheet.number_format import format_value

        key = self.key(address)
        code = self._formats.get(key, DEFAULT_FORMAT).number_format
        return format_value(self._values.get(key), code, date1904=self._date1904)

    # =========================================================================================== date system
    @property
    def date1904(self) -> bool:
        """True when the workbook uses the 1904 date system (serial 0 is 1904-01-01) instead of the 1900 one.

        Setting it keeps every stored number (as Excel does, dates entered as numbers shift by 1,462 days) and
        recalculates every formula, since date functions and TEXT read the date system.
        """
        return self._date1904

    @date1904.setter
    def date1904(self, value: bool) -> None:
        if not isinstance(value, bool):
            raise TypeError(f"date1904 must be True or False, not {value!r}")
        if value != self._date1904:
            self._snapshot_for_undo()
            self._date1904 = value
            self.recalculate()

    @property
    def character_set(self) -> str:
        """The character set of CHAR and CODE: ``"windows"`` (Windows-1252, Excel for Windows; the default) or
        ``"macintosh"`` (Mac OS Roman, Excel for Mac). A workbook loaded from a file made by Excel for Mac gets the
        Macintosh set, so its formulas give the values its author saw (:mod:`sheetrl.sheet.character_sets`).

        Setting it recalculates every formula."""
        return self._character_set

    @character_set.setter
    def character_set(self, value: str) -> None:
        if value not in character_sets.CHARACTER_SETS:
            raise ValueError(
                f"character_set must be one of {', '.join(map(repr, character_sets.CHARACTER_SETS))}, not {value!r}"
            )
        if value != self._character_set:
            self._snapshot_for_undo()
            self._character_set = value
            self.recalculate()

    # ================================================================================================= pivots
    def add_pivot(
        self,
        source: str,
        rows: str,
        values: str,
        aggregation: str = "sum",
        columns: str | None = None,
        anchor: str = "F1",
        name: str | None = None,
    ) -> PivotTable:
        """Create a pivot table over ``source`` (header row first) and render it at ``anchor``.

        ``rows``, ``values`` and ``columns`` name header cells of the source; ``aggregation`` is one of sum, count,
        average, min, max. The table refreshes itself whenever its source data changes.
        """
        name = name or f"PivotTable{len(self._pivots) + 1}"
        if name in self._pivots:
            raise SheetError(f"a pivot table named {name!r} already exists")
        pivot = PivotTable(name, source, rows, values, aggregation.lower(), columns, anchor)
        pivot.validate(self)
        self._snapshot_for_undo()
        pivot.refresh(self)
        return self._pivots[name]

    def remove_pivot(self, name: str) -> None:
        """Delete a pivot table and the cells it rendered."""
        pivot = self._pivots.get(name)
        if pivot is None:
            raise SheetError(f"there is no pivot table named {name!r}")
        self._snapshot_for_undo()
        self._own("_pivots")
        del self._pivots[name]
        for key in pivot.rendered:
            self._write_literal(key, None)

    @property
    def pivots(self) -> list[PivotTable]:
        """The pivot tables of the workbook."""
        return list(self._pivots.values())

    def _refresh_pivots(self) -> None:
        for pivot in list(self._pivots.values()):
            pivot.refresh(self)

    # =================================================================================================== undo
    def _record(self, key: int) -> None:
        if self._recording is None:
            if not self.record_undo:
                return
            self._recording = []
        self._recording.append((key, self._undo_input(key), self._formats.get(key)))

    def _finish_edit(self) -> None:
        if self._recording is not None:
            if self._recording:
                self._undo.append(("cells", self._recording))
                if len(self._undo) > _UNDO_LIMIT:
                    del self._undo[: len(self._undo) - _UNDO_LIMIT]
            self._recording = None
            self._redo.clear()
        if self._pivots:
            self._refresh_pivots()

    def _snapshot_for_undo(self) -> None:
        if self.record_undo and hasattr(self, "_undo") and self._sheet_order:
            self._undo.append(("snapshot", self._undo_snapshot()))
            self._redo.clear()

    def _undo_snapshot(self) -> Workbook:
        """A clone to restore on undo or redo, with the recalculation an open batch still owes it (taken inside
        a batch, its values are not final: the batch recalculates only at its end)."""
        snapshot = self._copy()
        snapshot._dirty = set(self._dirty)
        snapshot._spill_dirty = list(self._spill_dirty)
        return snapshot

    def _restore(self, snapshot: Workbook) -> None:
        undo, redo, log, depth = self._undo, self._redo, self._change_log, self._batch_depth
        clone = snapshot._copy()
        self.__dict__.update(clone.__dict__)
        self._undo, self._redo = undo, redo
        self._change_log = log
        self.graph_version += 1
        if log is not None:
            log.add(ALL_CHANGED)
        # An open batch stays open; the snapshot's pending recalculation is done at its end, or now.
        self._batch_depth = depth
        self._dirty, self._spill_dirty = set(snapshot._dirty), list(snapshot._spill_dirty)
        if not depth:
            self._recalculate_pending()

    def undo(self) -> bool:
        """Undo the last edit; returns False when there is nothing to undo."""
        return self._undo_redo(self._undo, self._redo)

    def redo(self) -> bool:
        """Redo the last undone edit; returns False when there is nothing to redo."""
        return self._undo_redo(self._redo, self._undo)

    def _undo_redo(self, source: list, target: list) -> bool:
        if not source:
            return False
        kind, payload = source.pop()
        saved_redo = list(self._redo) if target is self._undo else None
        if kind == "snapshot":
            target.append(("snapshot", self._undo_snapshot()))
            self._restore(payload)
            return True
        inverse = [(key, self._undo_input(key), self._formats.get(key)) for key, _, _ in reversed(payload)]
        recording, self.record_undo = self.record_undo, False
        try:
            for key, old_input, old_format in reversed(payload):
                if type(old_input) is _FormulaText:
                    self._set_formula(key, str(old_input))
                else:
                    self._write_literal(key, old_input)
                self._write_format(key, old_format)
        finally:
            self.record_undo = recording
        target.append(("cells", list(reversed(inverse))))
        if saved_redo is not None:
            self._redo = saved_redo
        if self._pivots:
            self._refresh_pivots()
        return True

    # ============================================================================================== file I/O
    @classmethod
    def load(cls, path: str | os.PathLike[str], **options: Any) -> Workbook:
        """Read an .xlsx file (values, formulas, formats, several sheets). See :mod:`sheetrl.sheet.xlsx`."""
        from sheetrl.sheet.xlsx import load_workbook

        return load_workbook(path, **options)

    def save(self, path: str | os.PathLike[str]) -> None:
        """Write an .xlsx file (atomically: a crash never leaves a half-written file at ``path``)."""
        from sheetrl.sheet.xlsx import save_workbook

        save_workbook(self, path)

    def __repr__(self) -> str:
        return (
            f"Workbook(sheets={self.sheet_names}, cells={sum(1 for k in self._values if k >= 0)},"
            f" formulas={len(self._formulas)})"
        )


def _big(
    ranges: tuple[tuple[int, int, int, int, int], ...],
    anchored: Sequence[tuple[int, int, int, int, int]] = (),
    shared: Sequence[tuple[int, int, int, int, int]] = (),
    shared_reads: Mapping[tuple[int, int, int, int, int], int] | None = None,
) -> tuple[tuple[int, int, int, int, int], ...]:
    """The ranges not expanded into per-cell dependency edges (indexed by RangeReaders instead): the large ones;
    the mid-size ones of ``anchored`` (one end fixed, the other relative: nested by a fill); and the mid-size ones
    of ``shared`` (both rows fixed) that at least ``SHARED_RANGE_READERS`` formulas read already
    (``shared_reads``), such as a lookup table every formula of a column reads."""
    big = []
    for area in ranges:
        cells = (area[3] - area[1] + 1) * (area[4] - area[2] + 1)
        if cells > EXPANDED_RANGE_CELLS or (
            cells > GRAPH_EXPANDED_RANGE_CELLS
            and (
                area in anchored
                or (shared_reads is not None and area in shared and shared_reads.get(area, 0) >= SHARED_RANGE_READERS)
            )
        ):
            big.append(area)
    return tuple(big)


def _refuse_reserved_sheet_name(name: str) -> None:
    """Refuse the name Excel reserves for its change history, for a new sheet or a new name (a file that already
    has a sheet of that name loads with it)."""
    if name.upper() == RESERVED_SHEET_NAME.upper():
        raise SheetError(f"{name!r} is a sheet name Excel reserves (for its change history); choose another")


def _check_sheet_name(name: Any) -> None:
    if not isinstance(name, str) or not 1 <= len(name) <= 31:
        raise SheetError(f"a sheet name must be 1 to 31 characters, not {name!r}")
    bad = set(name) & set("[]:*?/\\")
    if bad or name.startswith("'") or name.endswith("'"):
        raise SheetError(f"sheet name {name!r} contains a character Excel forbids ({''.join(sorted(bad)) or chr(39)})")
