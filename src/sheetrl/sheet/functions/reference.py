"""Reference functions: INDEX, CHOOSE, OFFSET, INDIRECT, ANCHORARRAY, TRIMRANGE, ROW, ROWS, COLUMN, COLUMNS, AREAS,
ADDRESS, FORMULATEXT, HYPERLINK, GETPIVOTDATA.

These functions take references as references (a :class:`~sheetrl.sheet.evaluation.Reference`, see
``reference_args`` in :mod:`sheetrl.sheet.functions`) and several return one: ``SUM(A1:INDEX(A:A,5))``,
``SUM(OFFSET(A1,1,0,3))`` and ``ROWS(INDIRECT("B2:B9"))`` work as in Excel. OFFSET and INDIRECT build references the
compiler cannot see, so formulas using them are tracked (their dependencies are what they read when last run).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from sheetrl.sheet.address import (
    COL_MASK,
    MAX_COLS,
    MAX_ROWS,
    ROW_MASK,
    ROW_SHIFT,
    SHEET_SHIFT,
    cell_name,
    make_key,
    quote_sheet_name,
    split_sheet,
)
from sheetrl.sheet.errors import (
    NA,
    REF,
    VALUE,
    AddressError,
    ExcelError,
    FormulaSyntaxError,
)
from sheetrl.sheet.evaluation import (
    LARGE_AREA_CELLS,
    MAX_READ_CELLS,
    STATE,
    Area,
    EvaluationContext,
    Reference,
    bounding_area,
    clamp_to_extent,
    current_context,
    extent_key,
    record_read,
    spill_key,
)
from sheetrl.sheet.functions import MAX_ARGS, register
from sheetrl.sheet.functions.arguments import OMITTED
from sheetrl.sheet.functions.lookup import index_argument
from sheetrl.sheet.nodes import (
    CellRef,
    Chain,
    Name,
    Node,
    Paren,
    RangeOp,
    RangeRef,
    StructuredRef,
)
from sheetrl.sheet.values import (
    Matrix,
    number_to_text,
    scalar_of,
    to_bool,
    to_number,
    to_text,
)

_MAX_NAME_DEPTH = 64
Position = tuple[int, int, int]  # the formula's own cell (sheet_id, row, col), passed to ``caller`` functions


def _own_cell(caller: Position) -> Reference:
    return Reference.area(caller[0], caller[1], caller[2], caller[1], caller[2])


def _single_area(value: Any) -> Area | ExcelError:
    """The one area of a reference argument; #VALUE! for a value or a union of areas (errors pass through)."""
    if type(value) is Reference:
        return value.areas[0] if len(value.areas) == 1 else VALUE
    return value if type(value) is ExcelError else VALUE


# ------------------------------------------------------------------------------------------------------ INDEX
@register("INDEX", 2, 4, reference_args=(0,), returns_reference=True)
def index(area: Any, row_num: Any, col_num: Any = OMITTED, area_num: Any = 1.0) -> Any:
    """The cell at (row, column) of a reference or array; a row or column of 0 gives the whole column or row.

    Given a reference, INDEX returns a reference (``A1:INDEX(A1:A9,3)`` is A1:A3); ``area_num`` picks an area of a
    union (``INDEX((A1:B2,D1:E2),1,1,2)`` is D1).
    """
    if type(area) is ExcelError:
        return area
    which = index_argument(area_num)
    if isinstance(which, ExcelError):
        return which
    if type(area) is Reference:
        if not 1 <= which <= len(area.areas):
            return REF
        chosen = area.areas[which - 1]
        rows, cols = chosen.rows, chosen.cols
    else:
        if which != 1:
            return REF
        grid = area if type(area) is Matrix else Matrix(1, 1, [area])
        rows, cols = grid.rows, grid.cols
    row = index_argument(row_num)
    if isinstance(row, ExcelError):
        return row
    if row < 0:
        return VALUE
    col: int | ExcelError
    if col_num is OMITTED:
        if rows == 1 and cols > 1:
            row, col = 1, row  # one row: the only index is the column
        elif cols == 1:
            col = 1
        elif type(area) is Reference:
            return REF  # a two-dimensional reference needs both indexes (Excel cached #REF! for INDEX(C52:E53,2))
        else:
            col = 0
    else:
        col = index_argument(col_num)
        if isinstance(col, ExcelError):
            return col
    if row < 0 or col < 0:
        return VALUE
    if row > rows or col > cols:
        return REF
    if type(area) is Reference:
        sheet, r1, c1 = chosen.sheet, chosen.row1, chosen.col1
        top, bottom = (r1 + row - 1, r1 + row - 1) if row else (r1, chosen.row2)
        left, right = (c1 + col - 1, c1 + col - 1) if col else (c1, chosen.col2)
        return Reference.area(sheet, top, left, bottom, right)
    if row and col:
        return grid.at(row - 1, col - 1)
    if row:
        return Matrix(1, cols, grid.row(row - 1))
    if col:
        return Matrix(rows, 1, grid.column(col - 1))
    return grid


# ----------------------------------------------------------------------------------------------------- CHOOSE
@register("CHOOSE", 2, MAX_ARGS, reference_args=range(1, MAX_ARGS), lazy=True, returns_reference=True)
def choose(index_arg: Callable[[], Any], *choices: Callable[[], Any]) -> Any:
    """The index-th of the following arguments (index truncated); only that argument is evaluated. A reference
    argument is returned as a reference (``SUM(CHOOSE(2,A1:A3,B1:B3))``)."""
    chosen = scalar_of(index_arg())
    if type(chosen) is ExcelError:
        return chosen
    position = index_argument(chosen)
    if isinstance(position, ExcelError):
        return position
    if position < 1 or position > len(choices):
        return VALUE
    return choices[position - 1]()


# ----------------------------------------------------------------------------------------------------- OFFSET
@register("OFFSET", 3, 5, reference_args=(0,), reads_references=False, returns_reference=True, dynamic=True)
def offset(reference: Any, rows: Any, cols: Any, height: Any = None, width: Any = None) -> Any:
    """The reference ``rows`` down and ``cols`` right of ``reference``, ``height`` x ``width`` cells (default: the
    size of ``reference``). A negative height or width extends up or left from the moved corner; a size of 0 or
    a result off the grid is #REF!."""
    area = _single_area(reference)
    if isinstance(area, ExcelError):
        return area
    moves: list[int] = []
    for value, default in ((rows, 0), (cols, 0)):
        number = default if value is None else index_argument(value)
        if isinstance(number, ExcelError):
            return number
        moves.append(number)
    for value, default in ((height, area.rows), (width, area.cols)):
        size = default if value is None else _size_argument(value)
        if isinstance(size, ExcelError):
            return size
        moves.append(size)
    down, right, tall, wide = moves
    if tall == 0 or wide == 0:
        return REF
    top, left = area.row1 + down, area.col1 + right
    r1, r2 = (top, top + tall - 1) if tall > 0 else (top + tall + 1, top)
    c1, c2 = (left, left + wide - 1) if wide > 0 else (left + wide + 1, left)
    if r1 < 0 or c1 < 0 or r2 >= MAX_ROWS or c2 >= MAX_COLS:
        return REF
    return Reference.area(area.sheet, r1, c1, r2, c2)


def _size_argument(value: Any) -> int | ExcelError:
    """OFFSET's height or width: truncated toward zero, except that a size between 0 and 1 is 1 (Excel's
    values for OFFSET(ref,2,2,3,0.9) in IronCalc's ROW_COLUM.xlsx)."""
    number = to_number(value)
    if isinstance(number, ExcelError):
        return number
    if 0 < number < 1:
        return 1
    return index_argument(number)


# --------------------------------------------------------------------------------------------------- INDIRECT
@register("INDIRECT", 1, 2, returns_reference=True, dynamic=True, caller=True)
def indirect(caller: Position, ref_text: Any, a1: Any = True) -> Any:
    """The reference named by text: ``"B3"``, ``"Sheet2!A1:C9"``, ``"'My sheet'!A:A"``, a defined name, a table
    reference (``"Table1[Col]"``); with ``a1`` FALSE, R1C1 notation (``"R2C3"``, ``"R[-1]C"``, relative to the
    formula's cell). Text that names no reference is #REF!."""
    text = to_text(scalar_of(ref_text))
    if type(text) is ExcelError:
        return text
    style = to_bool(scalar_of(a1)) if a1 is not None else False  # an empty argument means FALSE (R1C1)
    if type(style) is ExcelError:
        return style
    context = current_context()
    if context is None or not text:
        return REF
    home = Area(caller[0], caller[1], caller[2], caller[1], caller[2])
    if style:
        return _a1_reference(text, context, home)
    return _r1c1_reference(text, context, home)


_A1_PART = r"(?:\$?[A-Za-z]{1,3}\$?[0-9]+|\$?[A-Za-z]{1,3}|\$?[0-9]+)"
_A1_ADDRESS = re.compile(f"{_A1_PART}(?::{_A1_PART})?")
_LEADING_ZEROS = re.compile(r"(?<![0-9])0+(?=[0-9])")


def _without_leading_zeros(text: str) -> str:
    """INDIRECT accepts rows written with leading zeros (``"A01"``, ``"SS077:SW090"``, ``"05:05"``), which a
    formula does not: they are dropped from the address after the sheet, when it is a cell, column or row range."""
    cut = text.rfind("!") + 1
    address = text[cut:]
    if "0" not in address or not _A1_ADDRESS.fullmatch(address):
        return text
    return text[:cut] + _LEADING_ZEROS.sub("", address)


def _a1_reference(text: str, context: EvaluationContext, home: Area) -> Reference | ExcelError:
    if text.startswith("="):
        return REF
    text = _without_leading_zeros(text)
    from sheetrl.sheet.parser import parse

    try:
        node = parse(text)
    except (FormulaSyntaxError, AddressError, RecursionError):
        return REF
    return resolve_reference_node(node, context, home)


def resolve_reference_node(
    node: Node, context: EvaluationContext, home: Area, depth: int = 0
) -> Reference | ExcelError:
    """The reference a syntax tree names, seen from the cell ``home`` (names and tables resolved now), or #REF!."""
    from sheetrl.sheet.references import shift_wrapped
    from sheetrl.sheet.tables import resolve_structured_reference

    if depth > _MAX_NAME_DEPTH:
        return REF
    t = type(node)
    if t is Paren:
        return resolve_reference_node(node.inner, context, home, depth + 1)  # type: ignore[attr-defined]
    if t is CellRef or t is RangeRef:
        sheet = node.sheet  # type: ignore[attr-defined]
        sid = home.sheet if sheet is None else context.sheet_id_named(sheet)
        if sid is None:
            return REF
        if t is CellRef:
            return Reference.area(sid, node.row, node.col, node.row, node.col)  # type: ignore[attr-defined]
        return Reference.area(sid, node.row1, node.col1, node.row2, node.col2)  # type: ignore[attr-defined]
    if t is Name:
        scope: int | None = home.sheet
        if node.sheet is not None:  # type: ignore[attr-defined]
            scope = context.sheet_id_named(node.sheet)  # type: ignore[attr-defined]
            if scope is None:
                return REF
        defined = context.defined_name(node.name, scope)  # type: ignore[attr-defined]
        if defined is not None:
            target = shift_wrapped(defined.node, home.row1, home.col1) if defined.relative else defined.node
            return resolve_reference_node(target, context, home, depth + 1)
        table = context.table_named(node.name)  # type: ignore[attr-defined]
        if table is None:
            return REF
        first, last = table.data_rows
        return Reference.area(table.sheet, first, table.col1, last, table.col2) if first <= last else REF
    if t is StructuredRef:
        name = node.table  # type: ignore[attr-defined]
        if name is not None:
            table = context.table_named(name)
        else:
            table = context.table_containing(home.sheet, home.row1, home.col1)
        if table is None:
            return REF
        found = resolve_structured_reference(node, table, home.sheet, home.row1, home.col1)  # type: ignore[arg-type]
        if type(found) is ExcelError:
            return found
        r1, c1, r2, c2 = found
        return Reference.area(table.sheet, r1, c1, r2, c2)
    if t is RangeOp:
        left = resolve_reference_node(node.left, context, home, depth + 1)  # type: ignore[attr-defined]
        right = resolve_reference_node(node.right, context, home, depth + 1)  # type: ignore[attr-defined]
        if not isinstance(left, Reference) or not isinstance(right, Reference):
            return REF
        if len(left.areas) != 1 or len(right.areas) != 1:
            return REF
        box = bounding_area(left.first, right.first)
        return REF if box is None else Reference((box,))
    if t is Chain and node.ops[0] == " ":  # type: ignore[attr-defined]
        from sheetrl.sheet.evaluation import intersect_areas

        shared: Area | None = None
        for operand in node.operands:  # type: ignore[attr-defined]
            part = resolve_reference_node(operand, context, home, depth + 1)
            if not isinstance(part, Reference) or len(part.areas) != 1:
                return REF
            shared = part.first if shared is None else intersect_areas(shared, part.first)
            if shared is None:
                return REF
        return Reference((shared,))  # type: ignore[arg-type]
    return REF


_R1C1_PART = re.compile(r"([RC])(?:(\d+)|\[(-?\d+)\])?", re.IGNORECASE)


def _r1c1_reference(text: str, context: EvaluationContext, home: Area) -> Reference | ExcelError:
    """``R2C3``, ``R[-1]C``, ``R1C1:R2C2``, ``R3`` (a row), ``C2:C4`` (columns), optionally after ``Sheet!``."""
    try:
        sheet, body = split_sheet(text)
    except AddressError:
        return REF
    sid = home.sheet if sheet is None else context.sheet_id_named(sheet)
    if sid is None:
        return REF
    corners = []
    for part in body.split(":"):
        corner = _r1c1_corner(part.strip(), home)
        if corner is None:
            return REF
        corners.append(corner)
    if len(corners) > 2:
        return REF
    rows = [c[0] for c in corners]
    cols = [c[1] for c in corners]
    r1 = 0 if any(r is None for r in rows) else min(rows)  # type: ignore[type-var]
    r2 = MAX_ROWS - 1 if any(r is None for r in rows) else max(rows)  # type: ignore[type-var]
    c1 = 0 if any(c is None for c in cols) else min(cols)  # type: ignore[type-var]
    c2 = MAX_COLS - 1 if any(c is None for c in cols) else max(cols)  # type: ignore[type-var]
    return Reference.area(sid, r1, c1, r2, c2)  # type: ignore[arg-type]


def _r1c1_corner(text: str, home: Area) -> tuple[int | None, int | None] | None:
    """(row, col) of one R1C1 corner, None for a whole row/column part; None when the text is not R1C1."""
    position = 0
    found: dict[str, int | None] = {}
    while position < len(text):
        match = _R1C1_PART.match(text, position)
        if match is None:
            return None
        letter = match.group(1).upper()
        if letter in found or (letter == "R" and "C" in found):
            return None
        absolute, relative = match.group(2), match.group(3)
        base = home.row1 if letter == "R" else home.col1
        limit = MAX_ROWS if letter == "R" else MAX_COLS
        index = int(absolute) - 1 if absolute is not None else base + int(relative or 0)
        if not 0 <= index < limit:
            return None
        found[letter] = index
        position = match.end()
    if not found:
        return None
    return found.get("R"), found.get("C")


# ------------------------------------------------------------------------------------------------ ANCHORARRAY
@register("ANCHORARRAY", 1, reference_args=(0,), reads_references=False, returns_reference=True, dynamic=True)
def anchorarray(reference: Any) -> Any:
    """The range that the dynamic-array formula in a cell spills now: ``A1#``, for an anchor that only evaluation
    knows (``SUM(ANCHORARRAY(OFFSET(A1,1,1)))``; files store ``A1#`` as ``ANCHORARRAY(A1)``, which the parser
    reads as the spill reference). #REF! when the cell spills nothing, and for a reference to more than one cell;
    #VALUE! for a value that is no reference."""
    if type(reference) is Matrix and reference.is_reference:  # a spill reference's values (ANCHORARRAY(F1#))
        return REF
    area = _single_area(reference)
    if isinstance(area, ExcelError):
        return area
    if area.row1 != area.row2 or area.col1 != area.col2:
        return REF
    values = STATE.values
    if values is None:
        return REF
    sheet, row, col = area.sheet, area.row1, area.col1
    record_read(area)  # the anchor: a formula that starts or stops spilling there changes the result
    extent = values.get(spill_key(make_key(sheet, row, col)))
    if extent is None:
        return REF
    rows, cols = extent
    return Reference.area(sheet, row, col, row + rows - 1, col + cols - 1)


# -------------------------------------------------------------------------------------------------- TRIMRANGE
_TRIM_NONE, _TRIM_LEADING, _TRIM_TRAILING, _TRIM_BOTH = 0, 1, 2, 3


@register("TRIMRANGE", 1, 3, reference_args=(0,), returns_reference=True)
def trimrange(reference: Any, trim_rows: Any = None, trim_cols: Any = None) -> Any:
    """The range (or array) without its empty outer rows and columns: ``trim_rows``/``trim_cols`` 0 keep them, 1
    drop the leading ones, 2 the trailing ones, 3 both (the default). Given a reference the result is a reference
    (``SUM(TRIMRANGE(A:A))`` reads the used cells of column A only). A cell is empty when it holds nothing (a
    formula giving "" is not empty). An empty range trimmed in any direction is #REF! (Excel's cached result); a
    mode that is not an integer from 0 to 3 is #VALUE!."""
    row_mode, col_mode = _trim_mode(trim_rows), _trim_mode(trim_cols)
    if type(row_mode) is ExcelError:
        return row_mode
    if type(col_mode) is ExcelError:
        return col_mode
    if type(reference) is ExcelError:
        return reference
    if type(reference) is Reference:
        if len(reference.areas) != 1:
            return VALUE  # a union is no range
        return _trimmed_area(reference.first, row_mode, col_mode)
    grid = reference if type(reference) is Matrix else Matrix(1, 1, [reference])
    bounds = _occupied_bounds(
        (r, c) for r in range(grid.rows) for c in range(grid.cols) if grid.values[r * grid.cols + c] is not None
    )
    if bounds is None:
        return grid if row_mode == col_mode == _TRIM_NONE else REF
    top, left, bottom, right = _kept(bounds, (0, 0, grid.rows - 1, grid.cols - 1), row_mode, col_mode)
    return Matrix(bottom - top + 1, right - left + 1,
                  [grid.values[r * grid.cols + c] for r in range(top, bottom + 1) for c in range(left, right + 1)])


def _trim_mode(value: Any) -> int | ExcelError:
    """TRIMRANGE's trim_rows/trim_cols: an integer 0..3 (numeric text counts; 2.3 and "3.3" are #VALUE! in Excel's
    cached results); an omitted argument is the default 3."""
    if value is None:
        return _TRIM_BOTH
    number = to_number(value)
    if type(number) is ExcelError:
        return number
    if not _TRIM_NONE <= number <= _TRIM_BOTH or number != int(number):
        return VALUE
    return int(number)


def _occupied_bounds(cells: Any) -> tuple[int, int, int, int] | None:
    """(top, left, bottom, right) over the (row, col) pairs given, or None when there are none."""
    top = left = bottom = right = -1
    for r, c in cells:
        if top < 0:
            top, left, bottom, right = r, c, r, c
            continue
        if r < top:
            top = r
        elif r > bottom:
            bottom = r
        if c < left:
            left = c
        elif c > right:
            right = c
    return None if top < 0 else (top, left, bottom, right)


def _kept(
    occupied: tuple[int, int, int, int], whole: tuple[int, int, int, int], row_mode: int, col_mode: int
) -> tuple[int, int, int, int]:
    """The corners of ``whole`` kept when its empty edges beyond ``occupied`` are trimmed as the modes say."""
    top, left, bottom, right = whole
    if row_mode & _TRIM_LEADING:
        top = occupied[0]
    if row_mode & _TRIM_TRAILING:
        bottom = occupied[2]
    if col_mode & _TRIM_LEADING:
        left = occupied[1]
    if col_mode & _TRIM_TRAILING:
        right = occupied[3]
    return top, left, bottom, right


def _trimmed_area(area: Area, row_mode: int, col_mode: int) -> Reference | ExcelError:
    """The area without its empty edges, looking at the values the workbook holds now. A whole column or row is
    first cut to the sheet's used extent; the cells are scanned one by one, or, when the area holds more cells
    than the workbook has values, the workbook's values are scanned instead (so a large area costs no more than
    the workbook's size)."""
    values = STATE.values
    if values is None:
        return REF
    sheet = area.sheet
    scanned = clamp_to_extent(area, values)
    _, r1, c1, r2, c2 = scanned
    occupied: tuple[int, int, int, int] | None
    if (r2 - r1 + 1) * (c2 - c1 + 1) <= len(values):
        get = values.get
        occupied = _occupied_bounds(
            (r, c)
            for r in range(r1, r2 + 1)
            for c, value in zip(range(c1, c2 + 1), map(get, range(make_key(sheet, r, c1), make_key(sheet, r, c2) + 1)))
            if value is not None
        )
    else:
        occupied = _occupied_bounds(
            (row, col)
            for key, value in values.items()
            if key >= 0 and value is not None and key >> SHEET_SHIFT == sheet
            and r1 <= (row := (key >> ROW_SHIFT) & ROW_MASK) <= r2 and c1 <= (col := key & COL_MASK) <= c2
        )
    if occupied is None:  # nothing is left once anything is trimmed: #REF!, as Excel cached for an empty range
        return Reference((area,)) if row_mode == col_mode == _TRIM_NONE else REF
    whole = (area.row1, area.col1, area.row2, area.col2)
    top, left, bottom, right = _kept(occupied, whole, row_mode, col_mode)
    return Reference.area(sheet, top, left, bottom, right)


# ------------------------------------------------------------------------------------------ ROW(S) COLUMN(S)
def _clamped(area: Area) -> Area:
    """A whole-column (or whole-row) area cut to the sheet's used extent, as ranges are when read."""
    if area.rows * area.cols <= LARGE_AREA_CELLS:
        return area
    context = current_context()
    if context is None:
        return area
    last_row, last_col = context.current_values().get(extent_key(area.sheet), (-1, -1))
    if area.rows >= area.cols:
        return Area(area.sheet, area.row1, area.col1, max(min(area.row2, last_row), area.row1), area.col2)
    return Area(area.sheet, area.row1, area.col1, area.row2, max(min(area.col2, last_col), area.col1))


@register("ROW", 0, 1, reference_args=(0,), reads_references=False, caller=True)
def row(caller: Position, reference: Any = None) -> Any:
    """Row number of a reference (the formula's own row without one); a taller reference gives a column of row
    numbers (shown as its first)."""
    found = _single_area(_own_cell(caller) if reference is None else reference)
    if type(found) is ExcelError:
        return found
    area = _clamped(found)
    if area.rows == 1:
        return float(area.row1 + 1)
    return Matrix(area.rows, 1, [float(r + 1) for r in range(area.row1, area.row2 + 1)])


@register("COLUMN", 0, 1, reference_args=(0,), reads_references=False, caller=True)
def column(caller: Position, reference: Any = None) -> Any:
    """Column number of a reference (the formula's own column without one); a wider reference gives a row of
    column numbers (shown as its first)."""
    found = _single_area(_own_cell(caller) if reference is None else reference)
    if type(found) is ExcelError:
        return found
    area = _clamped(found)
    if area.cols == 1:
        return float(area.col1 + 1)
    return Matrix(1, area.cols, [float(c + 1) for c in range(area.col1, area.col2 + 1)])


def _shape(value: Any) -> tuple[int, int] | ExcelError:
    if type(value) is Reference:
        if len(value.areas) != 1:
            return REF  # as Excel cached ROWS((A1:B1,C1:D2)) and COLUMNS of unions
        return value.first.rows, value.first.cols
    if type(value) is ExcelError:
        return value
    if type(value) is Matrix:
        return value.rows, value.cols
    return 1, 1


@register("ROWS", 1, reference_args=(0,), reads_references=False)
def rows(array: Any) -> Any:
    """Number of rows of a reference or array (whole columns count all 1,048,576 rows)."""
    shape = _shape(array)
    return shape if type(shape) is ExcelError else float(shape[0])


@register("COLUMNS", 1, reference_args=(0,), reads_references=False)
def columns(array: Any) -> Any:
    """Number of columns of a reference or array."""
    shape = _shape(array)
    return shape if type(shape) is ExcelError else float(shape[1])


@register("AREAS", 1, reference_args=(0,), reads_references=False)
def areas(reference: Any) -> Any:
    """Number of areas of a reference: 1, or more for a union ``AREAS((A1:B2,D4))``."""
    if type(reference) is Reference:
        return float(len(reference.areas))
    return reference if type(reference) is ExcelError else VALUE


# ---------------------------------------------------------------------------------------------------- ADDRESS
@register("ADDRESS", 2, 5)
def address(row_num: Any, col_num: Any, abs_num: Any = 1.0, a1: Any = True, sheet_text: Any = OMITTED) -> Any:
    """A cell address as text: ``ADDRESS(2,3)`` is ``$C$2``; ``abs_num`` 1 absolute, 2 absolute row, 3 absolute
    column, 4 relative; ``a1`` FALSE gives R1C1 notation (``R2C3``, ``R[2]C[3]``); ``sheet_text`` prefixes a sheet
    name (quoted when it needs quotes)."""
    row_index = index_argument(row_num)
    col_index = index_argument(col_num)
    kind = index_argument(1.0 if abs_num is None else abs_num)
    for value in (row_index, col_index, kind):
        if type(value) is ExcelError:
            return value
    style = to_bool(a1) if a1 is not None else False
    if type(style) is ExcelError:
        return style
    if not 1 <= row_index <= MAX_ROWS or not 1 <= col_index <= MAX_COLS or kind not in (1, 2, 3, 4):  # type: ignore[operator]
        return VALUE
    row_abs, col_abs = kind in (1, 2), kind in (1, 3)
    if style:
        text = cell_name(row_index - 1, col_index - 1, row_abs, col_abs)  # type: ignore[operator]
    else:
        text = (f"R{row_index}" if row_abs else f"R[{row_index}]") + (f"C{col_index}" if col_abs else f"C[{col_index}]")
    if sheet_text is OMITTED:
        return text
    sheet = to_text(sheet_text)  # an empty cell or argument is "": Excel writes "!C1"
    if isinstance(sheet, ExcelError):
        return sheet
    if not sheet:
        return "!" + text
    book = re.match(r"\[[^\]]*\]", sheet)  # a workbook prefix [Book1] stays outside the quotes
    if book is not None and sheet[book.end():]:
        return f"{book.group()}{quote_sheet_name(sheet[book.end():])}!{text}"
    return f"{quote_sheet_name(sheet)}!{text}"


# ------------------------------------------------------------------------------- FORMULATEXT, ISFORMULA, ISREF
@register("FORMULATEXT", 1, reference_args=(0,))
def formulatext(reference: Any) -> Any:
    """The formula of the referenced cell as text (``=A1*2``); #N/A when the cell holds no formula. A range gives
    one answer per cell (an array that spills, as in Excel 365; a whole column is cut to the sheet's used extent;
    a formula from a file without dynamic arrays takes the top-left one, see :mod:`sheetrl.sheet.legacy`)."""
    area = _single_area(reference)
    if type(area) is ExcelError:
        return area
    context = current_context()
    if area.rows * area.cols == 1:
        text = context.formula_at(make_key(area.sheet, area.row1, area.col1)) if context is not None else None
        return NA if text is None else text
    area = _clamped(area)
    if context is None or area.rows * area.cols > MAX_READ_CELLS:
        return VALUE if context is not None else NA
    texts = [context.formula_at(make_key(area.sheet, row, col))
             for row in range(area.row1, area.row2 + 1) for col in range(area.col1, area.col2 + 1)]
    return Matrix(area.rows, area.cols, [NA if text is None else text for text in texts])


@register("HYPERLINK", 1, 2)
def hyperlink(link_location: Any, friendly_name: Any = OMITTED) -> Any:
    """The cell text of a hyperlink: ``friendly_name`` when given, else the link itself (the link is not kept)."""
    if friendly_name is OMITTED:
        return link_location if link_location is not None else 0.0
    return friendly_name if friendly_name is not None else 0.0


# ------------------------------------------------------------------------------------------------ GETPIVOTDATA
@register("GETPIVOTDATA", 2, MAX_ARGS, reference_args=(1,), reads_references=False, dynamic=True)
def getpivotdata(data_field: Any, pivot_table: Any, *pairs: Any) -> Any:
    """A value of a pivot table: ``GETPIVOTDATA("Sales",F1)`` is its grand total, ``GETPIVOTDATA("Sales",F1,
    "Region","East")`` the East row's total, with a column field pair the value at that row and column. #REF! when
    the field or an item is not in the pivot or ``pivot_table`` is not a cell of one."""
    area = _single_area(pivot_table)
    if type(area) is ExcelError:
        return area
    if len(pairs) % 2:
        return VALUE
    context = current_context()
    pivot_at = getattr(context, "pivot_at", None)
    if pivot_at is None:
        return REF
    found = pivot_at(area.sheet, area.row1, area.col1)
    if found is None:
        return REF
    pivot, grid = found
    field = to_text(scalar_of(data_field))
    if type(field) is ExcelError:
        return field
    if field.upper() not in (pivot.values.upper(), pivot.title.upper()):
        return REF
    header, body = grid[0], grid[1:]
    row_index, col_index = len(body) - 1, len(header) - 1  # the grand totals
    for name, item in zip(pairs[0::2], pairs[1::2]):
        name_text = to_text(scalar_of(name))
        item = scalar_of(item)
        if type(name_text) is ExcelError:
            return name_text
        if type(item) is ExcelError:
            return item
        if name_text.upper() == pivot.rows.upper():
            matches = [i for i, line in enumerate(body[:-1]) if _same_label(line[0], item)]
            if not matches:
                return REF
            row_index = matches[0]
        elif pivot.columns is not None and name_text.upper() == pivot.columns.upper():
            matches = [i for i in range(1, len(header) - 1) if _same_label(header[i], item)]
            if not matches:
                return REF
            col_index = matches[0]
        else:
            return REF
    value = body[row_index][col_index]
    return REF if value is None else value


def _same_label(label: Any, item: Any) -> bool:
    if type(label) is str and type(item) is str:
        return label.upper() == item.upper()
    if type(label) is float and type(item) is str:
        return number_to_text(label) == item
    return type(label) is type(item) and label == item

