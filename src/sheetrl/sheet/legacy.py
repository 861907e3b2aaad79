"""Formulas written without dynamic arrays, and back.

A formula stored in a file as a plain formula (no dynamic-array flag) means what it meant before Excel had dynamic
arrays: a range used where one value is expected is implicitly intersected with the formula's row or column, and
a formula whose result is an array shows its first element. When Excel opens such a file it makes those
intersections explicit with ``@`` (``=A1:A5*2`` becomes ``=@A1:A5*2``, ``=INDEX(A1:B9,0,1)`` becomes
``=@INDEX(A1:B9,0,1)``) so that the formula keeps its result under dynamic-array evaluation. :func:`from_legacy`
does the same here, and :func:`is_legacy_compatible` tells whether a formula can be written back as a plain
formula (its every ``@`` is one that reading it back would restore), which is how Excel decides too.

Where intersection applies (the positions of a formula that expect one value): operands of operators, arguments
that are not references (and the value arguments of the IS* functions, which Excel treats as values), the value
arguments of IF/CHOOSE/IFERROR-like functions when the function itself is in such a position, and the formula's
own result. Arguments of functions that take references (SUM's, INDEX's first) are left whole, and so is everything
inside a function whose arguments are arrays to Excel (SUMPRODUCT, MMULT, the dynamic-array functions). Arrays
(constants, results of functions) are never intersected inside a formula (functions apply to them element-wise, as they
always did); only the formula's result is reduced to one value, by an ``@`` in front of the whole formula when it may be
an array.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

from sheetrl.sheet.functions import FUNCTIONS
from sheetrl.sheet.nodes import (
    ArrayLiteral,
    Call,
    CellRef,
    Chain,
    ImplicitIntersection,
    Invoke,
    Name,
    Node,
    Paren,
    Percent,
    RangeOp,
    RangeRef,
    SpillRef,
    StructuredRef,
    Unary,
    Union,
    map_operands,
    walk,
)

SCALAR, REFERENCE, ARRAY = 0, 1, 2

# Functions that can return an array or a multi-cell reference (whatever their arguments are).
ARRAY_RESULTS = frozenset(
    {
        "INDEX", "OFFSET", "INDIRECT", "TRANSPOSE", "MMULT", "MINVERSE", "MUNIT", "FREQUENCY", "LINEST", "LOGEST",
        "TREND", "GROWTH", "MODE.MULT", "ROW", "COLUMN", "FILTER", "SORT", "SORTBY", "UNIQUE", "SEQUENCE",
        "RANDARRAY", "TAKE", "DROP", "VSTACK", "HSTACK", "CHOOSECOLS", "CHOOSEROWS", "EXPAND", "WRAPROWS", "WRAPCOLS",
        "TOCOL", "TOROW", "TEXTSPLIT", "MAP", "SCAN", "BYROW", "BYCOL", "MAKEARRAY", "REDUCE", "REGEXEXTRACT",
        "GROUPBY", "PIVOTBY", "TRIMRANGE",
    }
)
# Functions that return a reference a formula can intersect (``=@INDEX(A1:B9,0,1)`` picks a cell of the column).
REFERENCE_RESULTS = frozenset({"INDEX", "OFFSET", "INDIRECT"})
# Functions registered to receive a reference only to tell an empty cell from "" or to see errors: their argument
# is a value to Excel, so a range there is intersected.
VALUE_PARAMETERS = frozenset(
    {"ISBLANK", "ISERROR", "ISERR", "ISNA", "ISNUMBER", "ISTEXT", "ISNONTEXT", "ISLOGICAL", "N", "T", "TYPE"}
)
# Functions taking a reference that answer once per cell of a range (Excel 365 spills ``ISFORMULA(A1:A3)``): a
# plain formula from a file gets the top-left answer, what Excel computed before dynamic arrays.
PER_CELL_REFERENCES = frozenset({"ISFORMULA", "FORMULATEXT"})
# Arguments that are passed through to the result (IF's branches ...): they are in the position of the call.
# Each test receives the argument's index and the number of arguments.
PASS_THROUGH: dict[str, Callable[[int, int], bool]] = {
    "IF": lambda i, n: i >= 1,
    "IFS": lambda i, n: i % 2 == 1,
    "IFERROR": lambda i, n: True,
    "IFNA": lambda i, n: True,
    "CHOOSE": lambda i, n: i >= 1,
    "SWITCH": lambda i, n: i >= 2 and (i % 2 == 0 or (i == n - 1 and n % 2 == 0)),
}
# Functions whose arguments are arrays to Excel (evaluated whole, never intersected, with or without dynamic
# arrays), besides those registered with ``array_args``: the matrix and regression functions, and every function
# that came with dynamic arrays.
ARRAY_PARAMETERS = frozenset(
    {
        "MMULT", "MINVERSE", "MDETERM", "TRANSPOSE", "FREQUENCY", "LINEST", "LOGEST", "TREND", "GROWTH", "SUMX2MY2",
        "SUMX2PY2", "SUMXMY2", "FILTER", "SORT", "SORTBY", "UNIQUE", "TAKE", "DROP", "VSTACK", "HSTACK", "CHOOSECOLS",
        "CHOOSEROWS", "EXPAND", "WRAPROWS", "WRAPCOLS", "TOCOL", "TOROW", "MAP", "REDUCE", "SCAN", "BYROW", "BYCOL",
        "MAKEARRAY", "XLOOKUP", "XMATCH", "GROUPBY", "PIVOTBY", "TRIMRANGE", "ARRAYTOTEXT", "LET", "LAMBDA"
    }
)
_ATOMIC = (
    RangeRef, CellRef, SpillRef, Call, Name, Paren, ArrayLiteral, ImplicitIntersection, Invoke, StructuredRef, RangeOp,
)
# References that may span several cells besides ranges: a table column (``Table1[Qty]``; ``[@Qty]`` is one
# cell), a range operator over computed ends (``A1:INDEX(...)``), a union.
_AREA_NODES = (RangeRef, SpillRef, RangeOp, Union)


def _is_area(node: Node, range_names: Collection[str]) -> bool:
    """Whether a reference node may stand for more than one cell (``range_names``: upper-case defined names whose
    definitions do)."""
    if isinstance(node, _AREA_NODES):
        return True
    if isinstance(node, StructuredRef):
        return "#THIS ROW" not in node.items
    return isinstance(node, Name) and node.name.upper() in range_names


def at(node: Node) -> ImplicitIntersection:
    """``@node``, with parentheses where the operand is an operator expression."""
    return ImplicitIntersection(node if isinstance(node, _ATOMIC) else Paren(node))


def from_legacy(node: Node, range_names: Collection[str] = ()) -> Node:
    """A plain formula from a file as a dynamic-array formula with the same result: ``@`` where Excel implied it.

    ``range_names`` are the upper-case defined names that stand for ranges of more than one cell (intersected
    like the ranges they name)."""
    if not _may_need_intersection(node, range_names):
        return node  # most formulas: no range, array or array-returning function anywhere
    converted = _convert(node, SCALAR, range_names)
    return at(converted) if may_be_array(converted, range_names) else converted


def _may_need_intersection(node: Node, range_names: Collection[str]) -> bool:
    for item in walk(node):
        if isinstance(item, ArrayLiteral) or _is_area(item, range_names):
            return True
        if isinstance(item, Call) and (item.name in ARRAY_RESULTS or item.name in REFERENCE_RESULTS):
            return True
        if isinstance(item, Chain) and item.ops[0] == " ":
            return True
    return False


def without_intersections(node: Node) -> Node:
    """The formula with every ``@`` removed (what a plain formula in a file holds)."""
    if isinstance(node, ImplicitIntersection):
        inner = node.operand
        if isinstance(inner, Paren) and not isinstance(inner.inner, (*_ATOMIC, Union)):
            inner = inner.inner  # the parentheses at() added (a union's are the file's own: it cannot go without)
        return without_intersections(inner)
    return map_operands(node, without_intersections)


def is_legacy_compatible(node: Node, range_names: Collection[str] = ()) -> bool:
    """True when the formula can be stored as a plain formula: read back, it gets exactly its own ``@``s."""
    return from_legacy(without_intersections(node), range_names) == node


def may_be_array(node: Node, range_names: Collection[str] = ()) -> bool:
    """Whether a (converted) expression can evaluate to an array or a multi-cell reference."""
    if _is_area(node, range_names):
        return True
    if isinstance(node, ArrayLiteral):
        return len(node.rows) * len(node.rows[0]) > 1
    if isinstance(node, Paren):
        return may_be_array(node.inner, range_names)
    if isinstance(node, (Unary, Percent)):
        return may_be_array(node.operand, range_names)
    if isinstance(node, Chain):
        return node.ops[0] == " " or any(may_be_array(o, range_names) for o in node.operands)
    if isinstance(node, Call):
        if node.name in ARRAY_RESULTS:
            return True
        spec = FUNCTIONS.get(node.name)
        if spec is None or spec.array_args or node.name in ARRAY_PARAMETERS:
            return False
        through = PASS_THROUGH.get(node.name)
        count = len(node.args)
        return any(
            may_be_array(arg, range_names)
            for i, arg in enumerate(node.args)
            if (through is not None and through(i, count))
            or not (spec.takes_reference(i) or i in spec.reference_args)
            or node.name in VALUE_PARAMETERS
            or node.name in PER_CELL_REFERENCES
        )
    return False


def _position_of_argument(name: str, index: int, count: int, position: int) -> int:
    spec = FUNCTIONS.get(name)
    if spec is None:
        return REFERENCE  # an unknown function: leave its arguments as written
    if spec.array_args or name in ARRAY_PARAMETERS:
        return ARRAY
    through = PASS_THROUGH.get(name)
    if through is not None and through(index, count):
        return position
    if (spec.takes_reference(index) or index in spec.reference_args) and name not in VALUE_PARAMETERS:
        return REFERENCE
    return SCALAR


def _convert(node: Node, position: int, range_names: Collection[str]) -> Node:
    if position == ARRAY:
        return node
    if _is_area(node, range_names) or (isinstance(node, Paren) and isinstance(node.inner, Union)):
        return at(node) if position == SCALAR else node
    if isinstance(node, Chain):
        if node.ops[0] == " ":
            return at(node) if position == SCALAR else node
        return Chain(tuple(_convert(o, SCALAR, range_names) for o in node.operands), node.ops)
    if isinstance(node, Unary):
        return Unary(node.op, _convert(node.operand, SCALAR, range_names))
    if isinstance(node, Percent):
        return Percent(_convert(node.operand, SCALAR, range_names))
    if isinstance(node, Paren):
        return Paren(_convert(node.inner, position, range_names))
    if isinstance(node, Call):
        if node.name in ARRAY_PARAMETERS:
            return node
        count = len(node.args)
        args = tuple(
            _convert(a, _position_of_argument(node.name, i, count, position), range_names)
            for i, a in enumerate(node.args)
        )
        call = Call(node.name, args)
        if position == SCALAR and node.name in REFERENCE_RESULTS:
            return at(call)
        return call
    return node


__all__ = [
    "ARRAY_PARAMETERS", "ARRAY_RESULTS", "PASS_THROUGH", "PER_CELL_REFERENCES", "REFERENCE_RESULTS", "VALUE_PARAMETERS",
    "at", "from_legacy",
    "is_legacy_compatible", "may_be_array", "without_intersections",
]
