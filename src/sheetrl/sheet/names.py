"""Defined names: workbook- and sheet-scoped names for ranges, constants and formulas.

A :class:`DefinedName` maps a name to a formula tree: ``=Sheet1!$B$2:$B$9`` (a range), ``=0.05`` (a constant),
``=Sheet1!$B$1*(1+Rate)`` (a named formula), ``=Sheet1!$A$1,Sheet1!$C$1`` (a reference list). A name scoped to a
sheet is visible only from that sheet and hides a workbook-level name of the same spelling there.

References in a definition always name their sheet: a reference written without one is qualified with the scope's
sheet (or, for a workbook-level name, the first sheet), as Excel does with the active sheet. Relative references
are relative to cell A1 (the .xlsx convention): the compiler shifts them to the cell that uses the name, wrapping
around the grid edges, so ``=Sheet1!A1`` used in C5 means Sheet1!C5.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import NamedTuple

from sheetrl.sheet.address import MAX_ROWS, column_index
from sheetrl.sheet.errors import AddressError, SheetError
from sheetrl.sheet.nodes import CellRef, Node, RangeRef, SheetSpan, render
from sheetrl.sheet.references import has_relative_references, transform

MAX_NAME_LENGTH = 255
BUILTIN_PREFIX = "_xlnm."  # Excel's reserved names (_xlnm.Print_Area, _xlnm._FilterDatabase ...)
_NAME = re.compile(r"(?:[^\W\d]|\\)[\w.\\?]*")
_A1_LIKE = re.compile(r"\$?([A-Za-z]{1,3})\$?([0-9]+)")
_R1C1_LIKE = re.compile(r"[Rr](?:[0-9]+|\[-?[0-9]+\])?(?:[Cc](?:[0-9]+|\[-?[0-9]+\])?)?|[Cc](?:[0-9]+|\[-?[0-9]+\])?")


@dataclass(frozen=True)
class DefinedName:
    """A defined name: its spelling, its definition (a formula tree), its scope (a sheet id, or None for the
    workbook), and whether the definition holds relative references."""

    name: str
    node: Node
    scope: int | None = None
    relative: bool = False
    hidden: bool = False
    comment: str | None = None

    @property
    def refers_to(self) -> str:
        """The definition as formula text, with the leading '='."""
        return "=" + render(self.node)

    def with_node(self, node: Node) -> DefinedName:
        """The same name with a rewritten definition (after rows/columns were inserted or deleted)."""
        return replace(self, node=node, relative=has_relative_references(node))


class NameListing(NamedTuple):
    """One defined name as :meth:`Workbook.names` lists it: the sheet is the scope's name (None: workbook)."""

    name: str
    refers_to: str
    sheet: str | None
    hidden: bool = False
    comment: str | None = None


def check_name(name: object) -> str:
    """Return ``name`` if Excel accepts it as a defined name, else raise SheetError saying why.

    Rules (Excel's): 1-255 characters; a letter, '_' or '\\' first, then letters, digits, '_', '.', '\\' or '?';
    not a cell address in A1 or R1C1 style (``TAX2023``, ``R1C1``, ``R``, ``C``); not TRUE or FALSE. Excel's
    reserved ``_xlnm.`` names are accepted as they come from files.
    """
    if not isinstance(name, str) or not 1 <= len(name) <= MAX_NAME_LENGTH:
        raise SheetError(f"a defined name must be 1 to {MAX_NAME_LENGTH} characters, not {name!r}")
    if name.startswith(BUILTIN_PREFIX) and len(name) > len(BUILTIN_PREFIX):
        return name
    if not _NAME.fullmatch(name):
        raise SheetError(
            f"defined name {name!r} must start with a letter, '_' or '\\' and hold only letters, digits, '_', '.',"
            " '\\' or '?' (no spaces)"
        )
    if name.upper() in ("TRUE", "FALSE"):
        raise SheetError(f"{name!r} cannot be a defined name (it is a logical value)")
    if _R1C1_LIKE.fullmatch(name) or _is_a1_address(name):
        raise SheetError(f"defined name {name!r} looks like a cell reference")
    return name


def _is_a1_address(name: str) -> bool:
    match = _A1_LIKE.fullmatch(name)
    if match is None:
        return False
    try:
        column_index(match.group(1))
    except AddressError:
        return False
    return 1 <= int(match.group(2)) <= MAX_ROWS


def qualify(node: Node, sheet: str) -> Node:
    """The tree with every reference that names no sheet made to name ``sheet``."""

    def rewrite(ref: Node) -> Node:
        if type(ref) is SheetSpan:
            return ref  # names its sheets already
        if ref.sheet is None:  # type: ignore[attr-defined]
            return replace(ref, sheet=sheet)  # type: ignore[type-var]
        return ref

    return transform(node, rewrite)


def is_reference_definition(node: Node) -> bool:
    """True when a definition is a plain cell or range reference (what a print area or a data range is)."""
    return type(node) is CellRef or type(node) is RangeRef


__all__ = [
    "BUILTIN_PREFIX",
    "MAX_NAME_LENGTH",
    "DefinedName",
    "NameListing",
    "check_name",
    "is_reference_definition",
    "qualify",
]
