"""TEXTSPLIT: text cut into an array at column and row delimiters.

``TEXTSPLIT(text, col_delimiter, [row_delimiter], [ignore_empty], [match_mode], [pad_with])``, as Excel documents
it: each delimiter argument is one text or an array of texts (any of them splits, the longest first where several
match at one place); the text is cut into rows at the row delimiters, each row into columns at the column
delimiters; ``ignore_empty`` drops empty pieces; ``match_mode`` 1 matches without regard to case; short rows are
padded with ``pad_with`` (#N/A by default). An empty-text delimiter is #VALUE!, as is giving neither delimiter.
"""

from __future__ import annotations

import re
from typing import Any

from sheetrl.sheet.errors import CALC, NA, VALUE, ExcelError
from sheetrl.sheet.functions import register
from sheetrl.sheet.functions.array_tools import flag, from_rows, integer
from sheetrl.sheet.values import Matrix, to_text


def _delimiters(value: Any) -> list[str] | ExcelError:
    """The delimiter texts of an argument (an omitted argument gives none)."""
    if value is None:
        return []
    items = list(value.values) if type(value) is Matrix else [value]
    out = []
    for item in items:
        if isinstance(item, ExcelError):
            return item
        text = to_text(item) if item is not None else ""
        if isinstance(text, ExcelError):
            return text
        if text == "":
            return VALUE
        out.append(text)
    return out


def _splitter(delimiters: list[str], ignore_case: bool) -> re.Pattern[str] | None:
    if not delimiters:
        return None
    alternatives = "|".join(re.escape(d) for d in sorted(set(delimiters), key=len, reverse=True))
    return re.compile(alternatives, re.IGNORECASE if ignore_case else 0)


@register("TEXTSPLIT", 2, 6, refs=(1, 2, 5))
def textsplit(
    text: Any,
    col_delimiter: Any,
    row_delimiter: Any = None,
    ignore_empty: Any = None,
    match_mode: Any = None,
    *pad_with: Any,
) -> Any:
    """The text split into columns (and rows) at the given delimiters."""
    source = to_text(text)
    if isinstance(source, ExcelError):
        return source
    columns = _delimiters(col_delimiter)
    rows = _delimiters(row_delimiter)
    skip = flag(ignore_empty)
    mode = integer(match_mode, 0)
    for item in (columns, rows, skip, mode):
        if isinstance(item, ExcelError):
            return item
    if not columns and not rows:
        return VALUE
    if mode not in (0, 1):
        return VALUE
    pad = pad_with[0] if pad_with else NA
    if type(pad) is Matrix:
        pad = pad.values[0] if pad.values else NA
    split_columns = _splitter(columns, mode == 1)  # type: ignore[arg-type]
    split_rows = _splitter(rows, mode == 1)  # type: ignore[arg-type]
    lines = split_rows.split(source) if split_rows is not None else [source]
    table = []
    for line in lines:
        if skip and line == "":
            continue
        pieces = split_columns.split(line) if split_columns is not None else [line]
        if skip:
            pieces = [p for p in pieces if p != ""]
            if not pieces:
                continue
        table.append(pieces)
    if not table:
        return CALC
    width = max(len(row) for row in table)
    return from_rows([row + [pad] * (width - len(row)) for row in table])
