"""What-If data tables (Excel's Data > What-If Analysis > Data Table, shown as ``{=TABLE(row_input, column_input)}``).

A data table fills its *interior* with what a formula would compute if one or two input cells held other values:

- **one variable, column input** (``TABLE(,A1)``): the values to try run down the column left of the interior, one
  formula per interior column stands in the row above it; cell (r, c) is the formula above column c computed with
  the input cell holding the value left of row r.
- **one variable, row input** (``TABLE(A1,)``): the values run along the row above the interior, one formula per
  interior row stands in the column left of it; cell (r, c) is the formula left of row r with the input holding the
  value above column c.
- **two variables** (``TABLE(A1,B1)``): one formula at the corner above-left of the interior; cell (r, c) is it
  computed with the row input holding the value above column c and the column input the value left of row r.

The engine keeps a data table as a legacy array formula over the interior whose formula is the ``TABLE`` call
(:func:`is_data_table_formula`): the interior's cells belong to it (no part can be edited on its own, rows and
columns cannot be inserted or deleted through it) and it is saved as Excel's ``<f t="dataTable" …/>``.

Evaluation is substitution, never a change to the real workbook: a throwaway copy-on-write copy of the workbook
(``Workbook._scratch``) gets each header value written into the input cell, recalculates what depends on the input
(the plan the dependency graph gives, computed once per input) and the result formula's value is read. Other data
tables are not recomputed inside a substitution (they keep their current values), as a table that feeds another
would otherwise recompute recursively.

Dependencies: the table depends on its header cells, its result formula cells and its input cells. Every change
to anything a result formula reads recomputes that formula, so it recomputes the table too; the one exception is a
formula that reads through a reference computed at run time (INDIRECT, OFFSET) a cell it reads only under a
substituted value: ``recalculate()`` recomputes every data table, as Excel's "Calculate Now" does.

Bounds: an interior of more than :data:`MAX_DATA_TABLE_CELLS` cells is refused (``SheetError`` when entered, a load
report entry and the cached values when read from a file), and a table whose substitutions would evaluate more than
:data:`MAX_SUBSTITUTED_EVALUATIONS` formulas shows ``#NUM!`` in every cell rather than hang the workbook.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sheetrl.sheet.address import make_key, split_key
from sheetrl.sheet.compiler import WORKBOOK_KEY
from sheetrl.sheet.errors import NUM, REF, VALUE, ExcelError, SheetError
from sheetrl.sheet.nodes import Call, CellRef, ErrorLiteral, Missing, Node, RefError
from sheetrl.sheet.values import Matrix

if TYPE_CHECKING:
    from sheetrl.sheet.workbook import Workbook

# Excel computes tables of any size, but each interior cell is a recalculation of the input's dependents.
MAX_DATA_TABLE_CELLS = 10_000
# Formula evaluations one table's substitutions may cost (substitutions x the formulas each one reruns).
MAX_SUBSTITUTED_EVALUATIONS = 2_000_000

TABLE_FUNCTION = "TABLE"


@dataclass(frozen=True, slots=True)
class DataTableLayout:
    """Where a data table's pieces are. ``anchor`` is the interior's top-left cell (the key of the ``TABLE``
    formula), ``rows`` x ``cols`` the interior; ``row_input``/``column_input`` the input cells' keys (None where the
    table has no such input); ``error`` is the value of every interior cell when the table cannot be computed (an
    input cell that was deleted, no room for headers)."""

    anchor: int
    rows: int
    cols: int
    row_input: int | None
    column_input: int | None
    error: ExcelError | None = None

    @property
    def two_variables(self) -> bool:
        """True for a two-variable table (one formula at the corner)."""
        return self.row_input is not None and self.column_input is not None

    def precedents(self) -> set[int]:
        """The cells the table reads directly: the header row above and the header column left of the interior
        (with the corner), which hold the values to try and the result formulas, and the input cells."""
        if self.error is not None:
            return set()
        sid, top, left = split_key(self.anchor)
        keys = {make_key(sid, top - 1, col) for col in range(left - 1, left + self.cols)}
        keys.update(make_key(sid, row, left - 1) for row in range(top, top + self.rows))
        keys.update(key for key in (self.row_input, self.column_input) if key is not None)
        return keys


def is_data_table_formula(node: Node) -> bool:
    """True when a legacy array formula's tree is a data table's ``TABLE(row_input, column_input)``."""
    return type(node) is Call and node.name.upper() == TABLE_FUNCTION and len(node.args) == 2


def layout_of(node: Node, anchor: int, shape: tuple[int, int], sheet_ids: dict[str, int]) -> DataTableLayout:
    """The layout of the data table ``node`` (a ``TABLE`` call) whose interior starts at ``anchor``; an argument
    that is not a cell of the table's own sheet (``#REF!`` after its row was deleted) makes every cell an error."""
    rows, cols = shape
    sid, top, left = split_key(anchor)
    inputs: list[int | None] = []
    error: ExcelError | None = None
    for argument in node.args:  # type: ignore[attr-defined]
        if type(argument) is Missing:
            inputs.append(None)
        elif type(argument) is CellRef and (
            argument.sheet is None or sheet_ids.get(argument.sheet.upper()) == sid
        ):
            inputs.append(make_key(sid, argument.row, argument.col))
        else:
            inputs.append(None)
            error = REF if type(argument) in (RefError, ErrorLiteral) else VALUE
    row_input, column_input = inputs
    if error is None and row_input is None and column_input is None:
        error = VALUE
    if top == 0 or left == 0:  # no row above or column left of the interior for the headers
        error = REF
    if rows * cols > MAX_DATA_TABLE_CELLS:
        error = NUM
    return DataTableLayout(anchor, rows, cols, row_input, column_input, error)


def check_data_table(node: Node, anchor: int, shape: tuple[int, int], sheet_ids: dict[str, int]) -> None:
    """SheetError (saying what is wrong) unless ``node`` entered over the interior at ``anchor`` is a data table
    Excel would accept: one or two input cells on the table's sheet, outside the interior, room for the headers,
    at most MAX_DATA_TABLE_CELLS cells."""
    rows, cols = shape
    if rows * cols > MAX_DATA_TABLE_CELLS:
        raise SheetError(f"a data table holds at most {MAX_DATA_TABLE_CELLS:,} cells, not {rows * cols:,}")
    args = node.args  # type: ignore[attr-defined]
    if all(type(argument) is Missing for argument in args):
        raise SheetError("a data table needs a row input cell, a column input cell or both")
    for argument in args:
        if type(argument) is not Missing and type(argument) is not CellRef:
            raise SheetError("a data table's input cells must be single cells")
    layout = layout_of(node, anchor, shape, sheet_ids)
    if layout.error is REF:
        raise SheetError("a data table needs a row above and a column left of its cells for the values to try")
    if layout.error is not None:
        raise SheetError("a data table's input cells must be on the table's own sheet")
    _, top, left = split_key(anchor)
    for key in (layout.row_input, layout.column_input):
        if key is not None:
            _, row, col = split_key(key)
            if top <= row < top + rows and left <= col < left + cols:
                raise SheetError("a data table's input cell cannot be one of the table's own cells")


def evaluator(layout: DataTableLayout) -> Any:
    """The compiled closure of a data table: reads its workbook from the values dict (clones share closures) and
    returns the interior's values (a Matrix, or the one value of a one-cell table)."""

    def data_table(values: dict[int, Any]) -> Any:
        if layout.error is not None:
            return layout.error
        workbook = values[WORKBOOK_KEY]
        if workbook._substituting:  # inside another table's substitution: keep the current values
            return _current(layout, values)
        try:
            return compute(workbook, layout)
        except Exception:  # a defect must fill the whole table with #VALUE!, not leave stale values beside it
            from sheetrl.sheet.workbook import STRICT

            if STRICT:
                raise
            return VALUE

    return data_table


def _current(layout: DataTableLayout, values: dict[int, Any]) -> Any:
    sid, top, left = split_key(layout.anchor)
    found = [values.get(make_key(sid, row, col), 0.0) for row in range(top, top + layout.rows)
             for col in range(left, left + layout.cols)]
    return found[0] if len(found) == 1 else Matrix(layout.rows, layout.cols, found)


def compute(workbook: Workbook, layout: DataTableLayout) -> Any:
    """Every interior value of a data table, computed by substitution in a scratch copy of ``workbook`` (which is
    left unchanged); a Matrix of the interior's shape, or the value of a one-cell table."""
    sid, top, left = split_key(layout.anchor)
    rows, cols = layout.rows, layout.cols
    real = workbook._values
    top_headers = [real.get(make_key(sid, top - 1, col)) for col in range(left, left + cols)]
    left_headers = [real.get(make_key(sid, row, left - 1)) for row in range(top, top + rows)]
    scratch = workbook._scratch()
    inputs = [key for key in (layout.row_input, layout.column_input) if key is not None]
    for key in inputs:
        if key in scratch._spill_owner:  # a cell of another formula's array cannot take a value
            return VALUE
        scratch._remove_formula(key)  # the substituted values replace an input's own formula
    skipped = {key for key, cell in scratch._formulas.items() if cell.array is not None
               and is_data_table_formula(cell.node)}
    plans = {key: tuple(step for step in scratch._build_plan(key) if step[0] not in skipped) for key in inputs}
    # a circular formula costs a pass per iteration when the workbook iterates (see Workbook.iterative_calculation)
    passes = workbook.iterative_calculation.max_iterations if workbook.iterative_calculation is not None else 1
    steps = {key: sum(1 if fn is not None else passes for _, fn in plan) for key, plan in plans.items()}
    if layout.two_variables:
        assert layout.row_input is not None and layout.column_input is not None
        cost = cols * (steps[layout.row_input] + rows * steps[layout.column_input])
    else:  # one substitution per value to try
        cost = (rows if layout.column_input is not None else cols) * steps[inputs[0]]
    if cost > MAX_SUBSTITUTED_EVALUATIONS:
        return NUM

    def substitute(key: int, value: Any) -> None:
        scratch._own("_values")
        if value is None:
            scratch._values.pop(key, None)
        else:
            scratch._values[key] = value
        scratch._run(plans[key])

    def result(row: int, col: int) -> Any:
        value = scratch._values.get(make_key(sid, row, col))
        return 0.0 if value is None else value  # an empty result cell reads as 0, as a formula referring to it

    found: list[Any] = [None] * (rows * cols)
    if layout.two_variables:
        assert layout.row_input is not None and layout.column_input is not None
        for c, header in enumerate(top_headers):
            substitute(layout.row_input, header)
            for r, side in enumerate(left_headers):
                substitute(layout.column_input, side)
                found[r * cols + c] = result(top - 1, left - 1)
    elif layout.column_input is not None:  # values down the left column, formulas along the row above
        for r, side in enumerate(left_headers):
            substitute(layout.column_input, side)
            for c in range(cols):
                found[r * cols + c] = result(top - 1, left + c)
    else:  # values along the row above, formulas down the left column
        assert layout.row_input is not None
        for c, header in enumerate(top_headers):
            substitute(layout.row_input, header)
            for r in range(rows):
                found[r * cols + c] = result(top + r, left - 1)
    return found[0] if len(found) == 1 else Matrix(rows, cols, found)


__all__ = [
    "MAX_DATA_TABLE_CELLS", "MAX_SUBSTITUTED_EVALUATIONS", "TABLE_FUNCTION", "DataTableLayout", "check_data_table",
    "compute", "evaluator", "is_data_table_formula", "layout_of",
]
