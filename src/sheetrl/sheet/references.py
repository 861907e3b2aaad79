"""Rewriting references in syntax trees: moving a formula (fill, copy) and inserting or deleting rows/columns.

Excel's rules: copying a formula by (dr, dc) moves its relative coordinates and keeps ``$`` ones; a reference pushed
off the grid becomes ``#REF!``. Inserting rows/columns moves every reference at or after the insertion point and
stretches ranges that span it; deleting them shrinks ranges and turns references to deleted cells into ``#REF!``.

A 3-D reference (``Sheet1:Sheet3!A1``, :class:`~sheetrl.sheet.nodes.SheetSpan`) moves with a copied formula like
the reference it holds; renaming an end sheet renames it in the reference, and deleting an end sheet moves that end
to the next sheet inward, as Excel does (:func:`remove_sheet_from_spans`). Inserting or deleting rows or columns on
one sheet leaves 3-D references as they are (they name the same cells on every sheet of the span).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from sheetrl.sheet.address import MAX_COLS, MAX_ROWS
from sheetrl.sheet.nodes import (
    ArrayLiteral,
    Bool,
    Call,
    CellRef,
    Chain,
    ErrorLiteral,
    ImplicitIntersection,
    Invoke,
    Missing,
    Name,
    Node,
    Number,
    Paren,
    Percent,
    RangeOp,
    RangeRef,
    RefError,
    SheetSpan,
    SpillRef,
    StructuredRef,
    Text,
    Unary,
    Union,
)

RefRewriter = Callable[[Node], Node]
_LEAVES = frozenset({Number, Text, Bool, ErrorLiteral, Missing, RefError, ArrayLiteral})


def transform(
    node: Node, rewrite: RefRewriter, rewrite_name: RefRewriter | None = None,
    rewrite_structured: RefRewriter | None = None,
) -> Node:
    """Return a copy of the tree with every CellRef/RangeRef/SheetSpan replaced by ``rewrite(ref)`` (and every Name by
    ``rewrite_name(name)``, every StructuredRef by ``rewrite_structured(ref)``, when given)."""
    kind = type(node)
    if kind is CellRef or kind is RangeRef or kind is SheetSpan:
        return rewrite(node)
    if kind in _LEAVES:  # literals: nothing to rewrite (checked first: most nodes of a tree are these)
        return node
    extra = (rewrite_name, rewrite_structured)
    if isinstance(node, Chain):  # the common inner nodes next
        return Chain(tuple(transform(o, rewrite, *extra) for o in node.operands), node.ops)
    if isinstance(node, Call):
        return Call(node.name, tuple(transform(a, rewrite, *extra) for a in node.args))
    if isinstance(node, Unary):
        return Unary(node.op, transform(node.operand, rewrite, *extra))
    if isinstance(node, Percent):
        return Percent(transform(node.operand, rewrite, *extra))
    if isinstance(node, Paren):
        return Paren(transform(node.inner, rewrite, *extra))
    if isinstance(node, RangeOp):
        return RangeOp(transform(node.left, rewrite, *extra), transform(node.right, rewrite, *extra))
    if isinstance(node, Union):
        return Union(tuple(transform(o, rewrite, *extra) for o in node.operands))
    if isinstance(node, Name) and rewrite_name is not None:
        return rewrite_name(node)
    if isinstance(node, StructuredRef) and rewrite_structured is not None:
        return rewrite_structured(node)
    if isinstance(node, ImplicitIntersection):
        return ImplicitIntersection(transform(node.operand, rewrite, *extra))
    if isinstance(node, SpillRef):
        return SpillRef(transform(node.anchor, rewrite, *extra))
    if isinstance(node, Invoke):
        return Invoke(transform(node.callee, rewrite, *extra), tuple(transform(a, rewrite, *extra) for a in node.args))
    return node


def shift(node: Node, dr: int, dc: int) -> Node:
    """The formula as it reads after being copied ``dr`` rows down and ``dc`` columns right."""
    if dr == 0 and dc == 0:
        return node

    def move(ref: Node) -> Node:
        if type(ref) is SheetSpan:
            return _span_with(ref, move(ref.ref))
        if type(ref) is CellRef:
            row = ref.row if ref.row_abs else ref.row + dr
            col = ref.col if ref.col_abs else ref.col + dc
            if not (0 <= row < MAX_ROWS and 0 <= col < MAX_COLS):
                return RefError(ref.sheet)
            return CellRef(ref.sheet, row, col, ref.row_abs, ref.col_abs)
        assert type(ref) is RangeRef
        r1 = ref.row1 if (ref.row1_abs or ref.whole_cols) else ref.row1 + dr
        r2 = ref.row2 if (ref.row2_abs or ref.whole_cols) else ref.row2 + dr
        c1 = ref.col1 if (ref.col1_abs or ref.whole_rows) else ref.col1 + dc
        c2 = ref.col2 if (ref.col2_abs or ref.whole_rows) else ref.col2 + dc
        if not (0 <= r1 < MAX_ROWS and 0 <= r2 < MAX_ROWS and 0 <= c1 < MAX_COLS and 0 <= c2 < MAX_COLS):
            return RefError(ref.sheet)
        return _normalized(ref, r1, c1, r2, c2)

    return transform(node, move)


def _normalized(ref: RangeRef, r1: int, c1: int, r2: int, c2: int) -> RangeRef:
    """``ref`` with corners (r1, c1) and (r2, c2), put back in order with each corner's ``$`` travelling with it:
    a mixed range whose relative end crossed its absolute one (``A1:A$1`` filled down to ``A$1:A2``) is
    renormalized as Excel does, so that filling it further still moves the relative end."""
    row1_abs, row2_abs, col1_abs, col2_abs = ref.row1_abs, ref.row2_abs, ref.col1_abs, ref.col2_abs
    if r1 > r2:
        r1, r2, row1_abs, row2_abs = r2, r1, row2_abs, row1_abs
    if c1 > c2:
        c1, c2, col1_abs, col2_abs = c2, c1, col2_abs, col1_abs
    return replace(ref, row1=r1, row2=r2, col1=c1, col2=c2, row1_abs=row1_abs, row2_abs=row2_abs,
                   col1_abs=col1_abs, col2_abs=col2_abs)


def shift_wrapped(node: Node, dr: int, dc: int) -> Node:
    """A defined name's formula as seen from the cell ``dr`` rows down and ``dc`` columns right of A1.

    Relative references in a defined name are stored relative to A1 (as in .xlsx files) and wrap around the grid
    edges, as Excel's do: a name ``=Sheet1!XFD1`` means "the cell to the left" wherever it is used.
    """
    if dr == 0 and dc == 0:
        return node

    def move(ref: Node) -> Node:
        if type(ref) is SheetSpan:
            return _span_with(ref, move(ref.ref))
        if type(ref) is CellRef:
            row = ref.row if ref.row_abs else (ref.row + dr) % MAX_ROWS
            col = ref.col if ref.col_abs else (ref.col + dc) % MAX_COLS
            return replace(ref, row=row, col=col)
        assert type(ref) is RangeRef
        r1 = ref.row1 if (ref.row1_abs or ref.whole_cols) else (ref.row1 + dr) % MAX_ROWS
        r2 = ref.row2 if (ref.row2_abs or ref.whole_cols) else (ref.row2 + dr) % MAX_ROWS
        c1 = ref.col1 if (ref.col1_abs or ref.whole_rows) else (ref.col1 + dc) % MAX_COLS
        c2 = ref.col2 if (ref.col2_abs or ref.whole_rows) else (ref.col2 + dc) % MAX_COLS
        return _normalized(ref, r1, c1, r2, c2)

    return transform(node, move)


def _span_with(span: SheetSpan, ref: Node) -> Node:
    """The 3-D reference holding ``ref`` instead (#REF! when ``ref`` is one)."""
    return RefError() if type(ref) is RefError else SheetSpan(span.first, span.last, ref)


def has_relative_references(node: Node) -> bool:
    """True when a tree holds a reference with a relative row or column."""
    from sheetrl.sheet.nodes import walk

    for item in walk(node):
        if type(item) is SheetSpan:
            item = item.ref
        if type(item) is CellRef and not (item.row_abs and item.col_abs):
            return True
        if type(item) is RangeRef:
            rows_fixed = item.whole_cols or (item.row1_abs and item.row2_abs)
            cols_fixed = item.whole_rows or (item.col1_abs and item.col2_abs)
            if not (rows_fixed and cols_fixed):
                return True
    return False


def _targets(ref_sheet: str | None, formula_sheet: str, edited_sheet: str) -> bool:
    name = formula_sheet if ref_sheet is None else ref_sheet
    return name.upper() == edited_sheet.upper()


def insert_lines(node: Node, formula_sheet: str, edited_sheet: str, axis: str, at: int, count: int) -> Node:
    """References after inserting ``count`` rows (axis 'row') or columns ('col') before 0-based index ``at``."""
    limit = MAX_ROWS if axis == "row" else MAX_COLS

    def moved(index: int) -> int:
        return index + count if index >= at else index

    def rewrite(ref: Node) -> Node:
        if not isinstance(ref, (CellRef, RangeRef)) or not _targets(ref.sheet, formula_sheet, edited_sheet):
            return ref
        if type(ref) is CellRef:
            if axis == "row":
                row = moved(ref.row)
                return RefError(ref.sheet) if row >= limit else replace(ref, row=row)
            col = moved(ref.col)
            return RefError(ref.sheet) if col >= limit else replace(ref, col=col)
        assert type(ref) is RangeRef
        if axis == "row":
            if ref.whole_cols:
                return ref
            r1, r2 = moved(ref.row1), moved(ref.row2)
            if r1 >= limit:
                return RefError(ref.sheet)
            return replace(ref, row1=r1, row2=min(r2, limit - 1))
        if ref.whole_rows:
            return ref
        c1, c2 = moved(ref.col1), moved(ref.col2)
        if c1 >= limit:
            return RefError(ref.sheet)
        return replace(ref, col1=c1, col2=min(c2, limit - 1))

    return transform(node, rewrite)


def delete_lines(node: Node, formula_sheet: str, edited_sheet: str, axis: str, at: int, count: int) -> Node:
    """References after deleting ``count`` rows/columns starting at 0-based ``at``; deleted cells give #REF!."""
    end = at + count  # first index after the deleted block

    def moved(index: int) -> int:
        return index - count if index >= end else index

    def rewrite(ref: Node) -> Node:
        if not isinstance(ref, (CellRef, RangeRef)) or not _targets(ref.sheet, formula_sheet, edited_sheet):
            return ref
        if type(ref) is CellRef:
            index = ref.row if axis == "row" else ref.col
            if at <= index < end:
                return RefError(ref.sheet)
            return replace(ref, row=moved(ref.row)) if axis == "row" else replace(ref, col=moved(ref.col))
        assert type(ref) is RangeRef
        if (axis == "row" and ref.whole_cols) or (axis == "col" and ref.whole_rows):
            return ref
        lo, hi = (ref.row1, ref.row2) if axis == "row" else (ref.col1, ref.col2)
        if at <= lo and hi < end:
            return RefError(ref.sheet)
        new_lo = at if at <= lo < end else moved(lo)
        new_hi = at - 1 if at <= hi < end else moved(hi)
        if axis == "row":
            return replace(ref, row1=new_lo, row2=new_hi)
        return replace(ref, col1=new_lo, col2=new_hi)

    return transform(node, rewrite)


def rename_sheet(node: Node, old: str, new: str) -> Node:
    """References naming sheet ``old`` now name ``new`` (the ends of 3-D references included)."""

    def rewrite(ref: Node) -> Node:
        if type(ref) is SheetSpan:
            first = new if ref.first.upper() == old.upper() else ref.first
            last = new if ref.last.upper() == old.upper() else ref.last
            return ref if (first, last) == (ref.first, ref.last) else SheetSpan(first, last, ref.ref)
        if ref.sheet is not None and ref.sheet.upper() == old.upper():  # type: ignore[attr-defined]
            return replace(ref, sheet=new)  # type: ignore[type-var]
        return ref

    return transform(node, rewrite, rewrite)


def remove_sheet_from_spans(node: Node, removed: str, order: list[str]) -> Node:
    """3-D references after the sheet ``removed`` is deleted, ``order`` being the sheet names in tab order before
    the deletion: an end that names it moves to the next sheet toward the other end, as Excel does; a span of that
    sheet alone becomes #REF!. Other references are left as they are."""
    from sheetrl.sheet.nodes import walk

    if not any(type(item) is SheetSpan for item in walk(node)):
        return node  # the common case: the tree itself, unchanged
    upper = [name.upper() for name in order]
    gone = removed.upper()

    def rewrite(ref: Node) -> Node:
        if type(ref) is not SheetSpan or gone not in (ref.first.upper(), ref.last.upper()):
            return ref
        if ref.first.upper() not in upper or ref.last.upper() not in upper:
            return ref  # an end that no longer exists: the span is #REF! when compiled
        start, end = upper.index(ref.first.upper()), upper.index(ref.last.upper())
        low, high = min(start, end), max(start, end)
        if upper[low] == gone:
            low += 1
        if upper[high] == gone:
            high -= 1
        if low > high:
            return RefError()
        return SheetSpan(order[low], order[high], ref.ref)

    return transform(node, rewrite)
