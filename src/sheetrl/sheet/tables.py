"""Excel tables and structured references (``Table1[Col]``, ``Table1[[#This Row],[Col]]``, ``[@Col]``).

A :class:`Table` is a named rectangle of one sheet: an optional header row holding the column names, data rows,
and an optional totals row. Formulas refer to its parts by name; the compiler resolves a structured reference to
the cells it means *now* (:func:`resolve_structured_reference`), and the workbook recompiles the formulas that use a
table whenever the table changes shape, so a structured reference always follows its table (rows inserted inside
it, columns added) the way Excel's do.

The grammar (Excel's, as stored in files)::

    Table1[Col]                 one column's data          Table1[[Col1]:[Col3]]     a span of columns
    Table1[#Headers]            the header row             Table1[[#Headers],[Col]]  one header cell
    Table1[#Totals] [#Data] [#All]                         Table1[[#Data],[#Totals],[Col]]
    Table1[[#This Row],[Col]]   Col in the formula's row   Table1[@Col], [@[Col 2]], [@]  (the same, shorter)
    Table1, Table1[]            the data rows              [Col], [@Col]             the table holding the formula

Inside brackets a quote escapes the next character (``[Price'[EUR']]`` is the column ``Price[EUR]``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from sheetrl.sheet.errors import REF, VALUE, ExcelError, SheetError
from sheetrl.sheet.nodes import StructuredRef

SPECIAL_ITEMS = ("#ALL", "#DATA", "#HEADERS", "#TOTALS", "#THIS ROW")
# Row sections a combination of special items may name (Excel allows exactly these combinations).
_ROW_SECTIONS: dict[frozenset[str], tuple[str, ...]] = {
    frozenset(): ("data",),
    frozenset({"#DATA"}): ("data",),
    frozenset({"#ALL"}): ("headers", "data", "totals"),
    frozenset({"#HEADERS"}): ("headers",),
    frozenset({"#TOTALS"}): ("totals",),
    frozenset({"#HEADERS", "#DATA"}): ("headers", "data"),
    frozenset({"#DATA", "#TOTALS"}): ("data", "totals"),
    frozenset({"#THIS ROW"}): ("this row",),
}
_TABLE_NAME = re.compile(r"(?:[^\W\d]|\\)[\w.\\]*")
_CELL_LIKE = re.compile(r"(?:[A-Za-z]{1,3}[0-9]+|[Rr][0-9]*[Cc]?[0-9]*|[Cc][0-9]*)")


class StructuredRefError(ValueError):
    """Structured reference text that does not follow Excel's grammar."""


@dataclass(frozen=True)
class Table:
    """An Excel table: ``name``, the sheet id and inclusive 0-based corners of its whole range (header and totals
    rows included), its column names (left to right) and whether it has a header row and a totals row."""

    name: str
    sheet: int
    row1: int
    col1: int
    row2: int
    col2: int
    columns: tuple[str, ...]
    header_row: bool = True
    totals_row: bool = False
    style: str | None = "TableStyleMedium9"  # the table style name written to files (None: no style)

    @property
    def data_rows(self) -> tuple[int, int]:
        """First and last data row (first > last when the table has no data rows)."""
        return self.row1 + (1 if self.header_row else 0), self.row2 - (1 if self.totals_row else 0)

    def column_index(self, name: str) -> int | None:
        """0-based position of a column by name (case-insensitive), or None."""
        upper = name.upper()
        for index, column in enumerate(self.columns):
            if column.upper() == upper:
                return index
        return None

    def contains(self, sheet: int, row: int, col: int) -> bool:
        """True when the cell lies in the table's range."""
        return sheet == self.sheet and self.row1 <= row <= self.row2 and self.col1 <= col <= self.col2


def check_table_name(name: object) -> str:
    """Return ``name`` when Excel accepts it as a table name, else raise SheetError saying why."""
    if not isinstance(name, str) or not 1 <= len(name) <= 255:
        raise SheetError(f"a table name must be 1 to 255 characters, not {name!r}")
    if not _TABLE_NAME.fullmatch(name):
        raise SheetError(
            f"table name {name!r} must start with a letter, '_' or '\\' and hold only letters, digits, '_', '.', '\\'"
        )
    if _CELL_LIKE.fullmatch(name):
        raise SheetError(f"table name {name!r} looks like a cell reference")
    return name


def check_columns(columns: tuple[str, ...]) -> None:
    """Raise SheetError unless the column names are non-empty text, unique ignoring case."""
    seen: set[str] = set()
    for column in columns:
        if not isinstance(column, str) or not column:
            raise SheetError(f"table column names must be non-empty text, not {column!r}")
        if column.upper() in seen:
            raise SheetError(f"table column name {column!r} is used twice")
        seen.add(column.upper())


def unique_column_name(existing: tuple[str, ...] | list[str], base: str = "Column") -> str:
    """The first of ``Column1``, ``Column2``... not among ``existing`` (what Excel names a new column)."""
    taken = {name.upper() for name in existing}
    number = 1
    while f"{base}{number}".upper() in taken:
        number += 1
    return f"{base}{number}"


# ============================================================================================ the grammar
def parse_structured_reference(text: str) -> StructuredRef:
    """Parse a STRUCT token (``Table1[[#This Row],[Col]]``) into a StructuredRef; raises StructuredRefError."""
    bracket = text.index("[")
    table = text[:bracket] or None
    if not text.endswith("]"):
        raise StructuredRefError("a structured reference must end with ']'")
    body = text[bracket + 1 : -1]
    items: list[str] = []
    first: str | None = None
    last: str | None = None
    stripped = body.strip()
    if stripped.startswith("@"):
        items.append("#THIS ROW")
        rest = stripped[1:].strip()
        if rest.startswith("["):
            first, last = _column_span(_bracketed_items(rest))
        elif rest:
            first = last = _unescape(rest)
    elif stripped.startswith("["):
        columns: list[str] = []
        for item in _bracketed_items(stripped):
            if item.startswith("#"):
                items.append(_special(item))
            else:
                columns.append(item)
        if columns:
            first, last = _column_span(columns)
    elif stripped.startswith("#"):
        items.append(_special(stripped))
    elif stripped:
        first = last = _unescape(body)
    if len(set(items)) != len(items) or frozenset(items) not in _ROW_SECTIONS:
        raise StructuredRefError(f"the special items {', '.join(items)} cannot be combined")
    return StructuredRef(table, tuple(items), first, last, text)


def _special(item: str) -> str:
    normal = " ".join(item.upper().split())
    if normal not in SPECIAL_ITEMS:
        raise StructuredRefError(f"unknown special item {item!r} (use #All, #Data, #Headers, #Totals or #This Row)")
    return normal


def _column_span(columns: list[str]) -> tuple[str, str]:
    """A column or a span ``Col1:Col2`` from bracketed items (a span arrives as ['Col1', ':', 'Col2'])."""
    if len(columns) == 1 and columns[0] != ":":
        return columns[0], columns[0]
    if len(columns) == 3 and columns[1] == ":" and ":" not in (columns[0], columns[2]):
        return columns[0], columns[2]
    raise StructuredRefError("name one column ([Col]) or one span of columns ([Col1]:[Col3])")


def _bracketed_items(text: str) -> list[str]:
    """``[#Headers],[Col1]:[Col2]`` -> ['#Headers', 'Col1', ':', 'Col2'] (quotes unescaped, '#' items kept)."""
    items: list[str] = []
    index, end = 0, len(text)
    expect_item = True
    while index < end:
        ch = text[index]
        if ch in " \t\r\n":
            index += 1
            continue
        if ch == "[" and expect_item:
            close = index + 1
            chars: list[str] = []
            while close < end and text[close] != "]":
                if text[close] == "'" and close + 1 < end:
                    close += 1
                elif text[close] == "[":
                    raise StructuredRefError("'[' inside a column name must be escaped as '[")
                chars.append(text[close])
                close += 1
            if close >= end:
                raise StructuredRefError("a bracketed item has no closing ']'")
            name = "".join(chars)
            if not name.strip():
                raise StructuredRefError("an empty column name")
            items.append(name.strip() if name.strip().startswith("#") else name)
            index = close + 1
            expect_item = False
            continue
        if ch in ",:" and not expect_item:
            if ch == ":":
                items.append(":")
            index += 1
            expect_item = True
            continue
        raise StructuredRefError(f"unexpected {ch!r} in a structured reference")
    if expect_item:
        raise StructuredRefError("a structured reference ends where an item was expected")
    return items


def _unescape(text: str) -> str:
    out: list[str] = []
    index = 0
    while index < len(text):
        ch = text[index]
        if ch == "'" and index + 1 < len(text):
            index += 1
            ch = text[index]
        elif ch in "[]":
            raise StructuredRefError(f"{ch!r} inside a column name must be escaped with a quote")
        out.append(ch)
        index += 1
    return "".join(out)


_ITEM_SPELLING = {
    "#ALL": "#All", "#DATA": "#Data", "#HEADERS": "#Headers", "#TOTALS": "#Totals", "#THIS ROW": "#This Row"
}


def _escaped(column: str) -> str:
    return "".join("'" + ch if ch in "[]#'" else ch for ch in column)


def render_structured_reference(ref: StructuredRef) -> str:
    """Excel's text for a structured reference (the ``@`` form for a this-row reference written that way)."""
    table = ref.table or ""
    columns = None
    if ref.first_column is not None:
        columns = f"[{_escaped(ref.first_column)}]"
        if ref.last_column is not None and ref.last_column.upper() != ref.first_column.upper():
            columns += f":[{_escaped(ref.last_column)}]"
    if ref.items == ("#THIS ROW",) and "@" in ref.text:
        if columns is None:
            return f"{table}[@]"
        first = ref.first_column or ""
        simple = ref.first_column == ref.last_column and " " not in first
        return f"{table}[@{_escaped(first)}]" if simple else f"{table}[@{columns}]"
    parts = [f"[{_ITEM_SPELLING[item]}]" for item in ref.items]
    if columns is not None:
        parts.append(columns)
    if not parts:
        return f"{table}[]"
    if len(parts) == 1 and columns is not None and ":" not in columns:
        return f"{table}{columns}"
    if len(parts) == 1:
        return f"{table}{parts[0]}" if columns is None else f"{table}[{parts[0]}]"
    return f"{table}[{','.join(parts)}]"


def rename_column(ref: StructuredRef, old: str, new: str) -> StructuredRef:
    """The reference with column ``old`` (case-insensitive) called ``new``; itself when it does not name it."""
    first, last = ref.first_column, ref.last_column
    upper = old.upper()
    if (first is None or first.upper() != upper) and (last is None or last.upper() != upper):
        return ref
    first = new if first is not None and first.upper() == upper else first
    last = new if last is not None and last.upper() == upper else last
    renamed = StructuredRef(ref.table, ref.items, first, last, ref.text)
    return StructuredRef(ref.table, ref.items, first, last, render_structured_reference(renamed))


# ========================================================================================== resolution
def resolve_structured_reference(
    ref: StructuredRef, table: Table, sheet: int, row: int, col: int
) -> tuple[int, int, int, int] | ExcelError:
    """The cells ``ref`` means in ``table`` for a formula at (sheet, row, col): ``(row1, col1, row2, col2)`` of
    the table's sheet, or #REF! (a part the table does not have) / #VALUE! (``#This Row`` outside the data rows)."""
    if ref.first_column is None:
        first_col, last_col = table.col1, table.col2
    else:
        first = table.column_index(ref.first_column)
        last = table.column_index(ref.last_column or ref.first_column)
        if first is None or last is None:
            return REF
        first_col, last_col = table.col1 + min(first, last), table.col1 + max(first, last)
    data_first, data_last = table.data_rows
    sections = _ROW_SECTIONS.get(frozenset(ref.items))
    if sections is None:
        return REF
    if sections == ("this row",):
        if sheet != table.sheet or not data_first <= row <= data_last:
            return VALUE
        return row, first_col, row, last_col
    spans: list[tuple[int, int]] = []
    for section in sections:
        if section == "headers":
            if table.header_row:
                spans.append((table.row1, table.row1))
            elif len(sections) == 1:
                return REF
        elif section == "totals":
            if table.totals_row:
                spans.append((table.row2, table.row2))
            elif len(sections) == 1:
                return REF
        elif data_first <= data_last:
            spans.append((data_first, data_last))
    if not spans:
        return REF
    return spans[0][0], first_col, spans[-1][1], last_col


# ================================================================================== structural edits
def table_after_insert(table: Table, axis: str, at: int, count: int, limit: int) -> Table | None:
    """The table after inserting ``count`` rows/columns (``axis`` 'row'/'col') before 0-based ``at`` on its sheet.

    Lines inserted above/left of the table move it; lines inserted inside it (after its first row/column) widen
    it, new columns getting Excel's names ``Column1``...; None when it is pushed off the grid.
    """
    if axis == "row":
        if at <= table.row1:
            moved = replace(table, row1=table.row1 + count, row2=table.row2 + count)
        elif at <= table.row2:
            moved = replace(table, row2=table.row2 + count)
        else:
            return table
        return moved if moved.row2 < limit else None
    if at <= table.col1:
        moved = replace(table, col1=table.col1 + count, col2=table.col2 + count)
    elif at <= table.col2:
        columns = list(table.columns)
        position = at - table.col1
        for offset in range(count):
            columns.insert(position + offset, unique_column_name(columns))
        moved = replace(table, col2=table.col2 + count, columns=tuple(columns))
    else:
        return table
    return moved if moved.col2 < limit else None


def table_after_delete(table: Table, axis: str, at: int, count: int) -> Table | None:
    """The table after deleting ``count`` rows/columns from 0-based ``at`` on its sheet; None when the deletion
    removes the table (all of it, its header row, or every data row or column)."""
    end = at + count

    def remaining(first: int, last: int) -> tuple[int, int] | None:
        kept_before = max(0, min(last, at - 1) - first + 1)
        kept_after = max(0, last - max(first, end) + 1)
        if kept_before + kept_after == 0:
            return None
        new_first = first if first < at else max(first - count, at)
        return new_first, new_first + kept_before + kept_after - 1

    if axis == "row":
        span = remaining(table.row1, table.row2)
        if span is None or (table.header_row and at <= table.row1 < end):
            return None
        if table.totals_row and at <= table.row2 < end:
            table = replace(table, totals_row=False)
        moved = replace(table, row1=span[0], row2=span[1])
        first, last = moved.data_rows
        return moved if first <= last else None
    span = remaining(table.col1, table.col2)
    if span is None:
        return None
    columns = tuple(
        name for offset, name in enumerate(table.columns) if not at <= table.col1 + offset < end
    )
    return replace(table, col1=span[0], col2=span[1], columns=columns)


__all__ = [
    "SPECIAL_ITEMS",
    "StructuredRefError",
    "Table",
    "check_columns",
    "check_table_name",
    "parse_structured_reference",
    "rename_column",
    "render_structured_reference",
    "resolve_structured_reference",
    "table_after_delete",
    "table_after_insert",
    "unique_column_name",
]
