"""Formula syntax tree.

Nodes are small objects that are never mutated after parsing (they are shared between cells and clones; they are
not declared frozen only because frozen dataclasses are three times slower to create, and parsing is on the
environment's hot path). References store absolute 0-based coordinates plus ``$`` flags, so a formula
moved by (dr, dc) is a tree transform (``references.shift``) and printing a tree gives back Excel text (``render``).
Runs of left-associative binary operators of one precedence level (``1+2-3+...``) are one :class:`Chain` node, so a
formula with thousands of terms is a wide tree, not a deep one: nothing downstream recurses thousands of times.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from sheetrl.sheet.address import (
    MAX_COLS,
    MAX_ROWS,
    cell_name,
    column_letters,
    quote_sheet_name,
)


class Node:
    """Base class of formula syntax nodes."""

    __slots__ = ()


@dataclass(slots=True, unsafe_hash=True)
class Number(Node):
    value: float
    text: str  # as written, so that rendering reproduces the user's formula


@dataclass(slots=True, unsafe_hash=True)
class Text(Node):
    value: str


@dataclass(slots=True, unsafe_hash=True)
class Bool(Node):
    value: bool


@dataclass(slots=True, unsafe_hash=True)
class ErrorLiteral(Node):
    code: str


@dataclass(slots=True, unsafe_hash=True)
class CellRef(Node):
    sheet: str | None
    row: int
    col: int
    row_abs: bool
    col_abs: bool


@dataclass(slots=True, unsafe_hash=True)
class RangeRef(Node):
    """A rectangular reference. Whole columns (A:B) and whole rows (1:3) set ``whole_cols`` / ``whole_rows``."""

    sheet: str | None
    row1: int
    col1: int
    row2: int
    col2: int
    row1_abs: bool = False
    col1_abs: bool = False
    row2_abs: bool = False
    col2_abs: bool = False
    whole_cols: bool = False
    whole_rows: bool = False


@dataclass(slots=True, unsafe_hash=True)
class SheetSpan(Node):
    """A 3-D reference: the same cell or range on every sheet from ``first`` to ``last`` in tab order
    (``Sheet1:Sheet3!A1``, ``'My sheet:Other'!A1:B4``). ``ref`` is the CellRef/RangeRef without a sheet. Only
    the functions Excel lists take one (SUM, AVERAGE, COUNT, MAX ...); anywhere else it is #VALUE!."""

    first: str
    last: str
    ref: Node


@dataclass(slots=True, unsafe_hash=True)
class RefError(Node):
    """A reference that no longer points anywhere (its cells were deleted or moved off the grid): ``#REF!``."""

    sheet: str | None = None


@dataclass(slots=True, unsafe_hash=True)
class Name(Node):
    """An identifier that is not a function call or reference: a defined name, or a table name (its data area).

    ``sheet`` is set for a sheet-qualified name (``Sheet2!Total``). An unknown name evaluates to #NAME?.
    """

    name: str
    sheet: str | None = None


@dataclass(slots=True, unsafe_hash=True)
class StructuredRef(Node):
    """A structured reference to an Excel table: ``Table1[Col]``, ``Table1[[#This Row],[Col]]``, ``[@Col]``.

    ``table`` is None for an unqualified reference (``[@Col]``: the table holding the formula). ``items`` are the
    special items named, upper case (``#ALL #DATA #HEADERS #TOTALS #THIS ROW``; none means the data rows).
    ``first_column``/``last_column`` name a column or a column span (None: every column). ``text`` is the reference
    as written, so rendering reproduces it.
    """

    table: str | None
    items: tuple[str, ...]
    first_column: str | None
    last_column: str | None
    text: str


@dataclass(slots=True, unsafe_hash=True)
class RangeOp(Node):
    """The range operator between expressions that are not plain cell addresses: ``A1:INDEX(B1:B9,3)``.

    ``A1:B2`` itself is one RangeRef; this node joins references computed at run time (or names), giving the
    smallest range holding both.
    """

    left: Node
    right: Node


@dataclass(slots=True, unsafe_hash=True)
class Union(Node):
    """The union (reference list) operator: ``(A1:A3,C1:C3)`` is Paren(Union((A1:A3, C1:C3)))."""

    operands: tuple[Node, ...]


@dataclass(slots=True, unsafe_hash=True)
class Missing(Node):
    """An omitted function argument, as in ``IF(A1,,1)``."""


@dataclass(slots=True, unsafe_hash=True)
class Call(Node):
    name: str  # without any _xlfn. prefix; upper case for library functions, else as written
    args: tuple[Node, ...]


@dataclass(slots=True, unsafe_hash=True)
class Unary(Node):
    op: str  # '-' or '+'
    operand: Node


@dataclass(slots=True, unsafe_hash=True)
class Percent(Node):
    operand: Node


@dataclass(slots=True, unsafe_hash=True)
class Chain(Node):
    """``operands[0] ops[0] operands[1] ops[1] ...`` evaluated left to right (all ops of one precedence level)."""

    operands: tuple[Node, ...]
    ops: tuple[str, ...]


@dataclass(slots=True, unsafe_hash=True)
class Paren(Node):
    inner: Node


@dataclass(slots=True, unsafe_hash=True)
class ArrayLiteral(Node):
    rows: tuple[tuple[Node, ...], ...]  # each element is Number, Text, Bool, ErrorLiteral or Unary(-, Number)


@dataclass(slots=True, unsafe_hash=True)
class ImplicitIntersection(Node):
    """``@operand``: one value where a range or an array would be: the cell of a range in the formula's row or
    column, the top-left element of an array (files store it as ``_xlfn.SINGLE(operand)``)."""

    operand: Node


@dataclass(slots=True, unsafe_hash=True)
class SpillRef(Node):
    """``A1#``: the whole array that the dynamic-array formula in A1 spills (``_xlfn.ANCHORARRAY(A1)`` in files).
    ``anchor`` is a CellRef, or a RefError once the anchor cell has been deleted."""

    anchor: Node


@dataclass(slots=True, unsafe_hash=True)
class Invoke(Node):
    """A call of a computed function value: ``LAMBDA(x,x+1)(2)`` or ``f(1)(2)``."""

    callee: Node
    args: tuple[Node, ...]


def render_cell(node: CellRef) -> str:
    name = cell_name(node.row, node.col, node.row_abs, node.col_abs)
    return f"{quote_sheet_name(node.sheet)}!{name}" if node.sheet is not None else name


def render_range(node: RangeRef) -> str:
    if node.whole_cols:
        text = (
            f"{'$' if node.col1_abs else ''}{column_letters(node.col1)}:"
            f"{'$' if node.col2_abs else ''}{column_letters(node.col2)}"
        )
    elif node.whole_rows:
        text = f"{'$' if node.row1_abs else ''}{node.row1 + 1}:{'$' if node.row2_abs else ''}{node.row2 + 1}"
    else:
        text = (
            cell_name(node.row1, node.col1, node.row1_abs, node.col1_abs)
            + ":"
            + cell_name(node.row2, node.col2, node.row2_abs, node.col2_abs)
        )
    return f"{quote_sheet_name(node.sheet)}!{text}" if node.sheet is not None else text


def render_sheet_span(first: str, last: str) -> str:
    """``first:last`` as it precedes ``!`` in a 3-D reference: quoted as a whole when either name needs quotes."""
    if quote_sheet_name(first) == first and quote_sheet_name(last) == last:
        return f"{first}:{last}"
    return "'" + first.replace("'", "''") + ":" + last.replace("'", "''") + "'"


def render(node: Node) -> str:
    """Excel text of a syntax tree, without the leading '='."""
    if isinstance(node, Number):
        return node.text
    if isinstance(node, Text):
        return '"' + node.value.replace('"', '""') + '"'
    if isinstance(node, Bool):
        return "TRUE" if node.value else "FALSE"
    if isinstance(node, ErrorLiteral):
        return node.code
    if isinstance(node, CellRef):
        return render_cell(node)
    if isinstance(node, RangeRef):
        return render_range(node)
    if isinstance(node, RefError):
        return f"{quote_sheet_name(node.sheet)}!#REF!" if node.sheet is not None else "#REF!"
    if isinstance(node, SheetSpan):
        return f"{render_sheet_span(node.first, node.last)}!{render(node.ref)}"
    if isinstance(node, Name):
        return f"{quote_sheet_name(node.sheet)}!{node.name}" if node.sheet is not None else node.name
    if isinstance(node, StructuredRef):
        return node.text
    if isinstance(node, RangeOp):
        return f"{render(node.left)}:{render(node.right)}"
    if isinstance(node, Union):
        return ",".join(render(o) for o in node.operands)
    if isinstance(node, Missing):
        return ""
    if isinstance(node, Call):
        return f"{node.name}({','.join(render(a) for a in node.args)})"
    if isinstance(node, Unary):
        return node.op + render(node.operand)
    if isinstance(node, Percent):
        return render(node.operand) + "%"
    if isinstance(node, Chain):
        parts = [render(node.operands[0])]
        for op, operand in zip(node.ops, node.operands[1:]):
            parts.append(op)
            parts.append(render(operand))
        return "".join(parts)
    if isinstance(node, Paren):
        return f"({render(node.inner)})"
    if isinstance(node, ArrayLiteral):
        return "{" + ";".join(",".join(render(v) for v in row) for row in node.rows) + "}"
    if isinstance(node, ImplicitIntersection):
        return "@" + render(node.operand)
    if isinstance(node, SpillRef):
        anchor = render(node.anchor)
        return anchor if type(node.anchor) is RefError else anchor + "#"
    if isinstance(node, Invoke):
        return f"{render(node.callee)}({','.join(render(a) for a in node.args)})"
    raise TypeError(f"not a formula node: {node!r}")


def walk(node: Node) -> Iterator[Node]:
    """Yield every node of a tree (pre-order), iteratively."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        if isinstance(current, Call):
            stack.extend(reversed(current.args))
        elif isinstance(current, Chain):
            stack.extend(reversed(current.operands))
        elif isinstance(current, (Unary, Percent)):
            stack.append(current.operand)
        elif isinstance(current, Paren):
            stack.append(current.inner)
        elif isinstance(current, RangeOp):
            stack.extend((current.right, current.left))
        elif isinstance(current, Union):
            stack.extend(reversed(current.operands))
        elif isinstance(current, ImplicitIntersection):
            stack.append(current.operand)
        elif isinstance(current, SpillRef):
            stack.append(current.anchor)
        elif isinstance(current, Invoke):
            stack.extend(reversed(current.args))
            stack.append(current.callee)


def map_operands(node: Node, change: Callable[[Node], Node]) -> Node:
    """``node`` rebuilt with ``change`` applied to each operand of a call, chain, unary, percent, parentheses,
    invocation, range operator or union; any other node (a leaf, ``@``, a spill reference) is returned as it is, so a
    rewrite handles those itself before recursing through this."""
    if isinstance(node, Call):
        return Call(node.name, tuple(change(a) for a in node.args))
    if isinstance(node, Chain):
        return Chain(tuple(change(o) for o in node.operands), node.ops)
    if isinstance(node, Unary):
        return Unary(node.op, change(node.operand))
    if isinstance(node, Percent):
        return Percent(change(node.operand))
    if isinstance(node, Paren):
        return Paren(change(node.inner))
    if isinstance(node, Invoke):
        return Invoke(change(node.callee), tuple(change(a) for a in node.args))
    if isinstance(node, RangeOp):
        return RangeOp(change(node.left), change(node.right))
    if isinstance(node, Union):
        return Union(tuple(change(o) for o in node.operands))
    return node


__all__ = [
    "MAX_COLS",
    "MAX_ROWS",
    "ArrayLiteral",
    "Bool",
    "Call",
    "CellRef",
    "Chain",
    "ErrorLiteral",
    "ImplicitIntersection",
    "Invoke",
    "Missing",
    "Name",
    "Node",
    "Number",
    "Paren",
    "Percent",
    "RangeOp",
    "RangeRef",
    "RefError",
    "SheetSpan",
    "SpillRef",
    "StructuredRef",
    "Text",
    "Unary",
    "Union",
    "map_operands",
    "render",
    "walk",
]
