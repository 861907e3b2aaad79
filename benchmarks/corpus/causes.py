"""Why sheetrl disagrees with a cached value, and which cells no engine can be asked to match.

Runs inside the sheetrl worker, on the loaded Workbook. ``analyse`` returns

- ``excluded``: cells left out of the comparison for every engine (volatile formulas and everything downstream of
  them, found through sheetrl's dependency graph; locale-cached TEXT results), see :mod:`.compare`;
- ``causes``: for each cell where sheetrl disagrees, the first cause that applies, in this order:

  1. the cell is not a formula in the loaded workbook: ``array formula`` (legacy CSE or dynamic; one cell or a
     range, whose every cell counts), ``data table``, ``external reference`` (``[1]Sheet!A1``), ``structured
     reference`` (``Table1[Col]``), ``parse error`` (detail: the parser's reason), else ``not loaded as a
     formula``;
  2. ``missing function``: the formula calls a function sheetrl does not have (detail: the names);
  3. ``defined name``: the result is ``#NAME?`` and the formula uses a name sheetrl does not resolve;
  4. ``precedent differs``: a cell the formula reads directly is itself a formula cell that disagrees (the
     difference may be inherited, not made here);
  5. ``semantics``: everything else: same inputs, different result (detail: the functions the formula calls).
"""

from __future__ import annotations

import bisect
import re
from collections import deque
from typing import Any

from corpus.compare import agrees, is_locale_cached_text, is_volatile
from sheetrl.sheet.errors import SheetError

_STRING_LITERAL = re.compile(r'"(?:[^"]|"")*"')
_STRUCTURED = re.compile(r"[A-Za-z_\\][\w.\\]*\[|\[#|\[\[|\[@|^\s*\[|[(,]\s*\[")
_EXTERNAL = re.compile(r"\[\d+\]|'\[|\[[^\]]*\.xls")


def analyse(adapter: Any, wb: Any, listing: dict[str, Any], values: list[tuple[str, Any]]) -> dict[str, Any]:
    cells = listing["cells"]
    addresses = adapter.addresses(wb, [(c[0], c[1], c[2]) for c in cells])
    keys: list[int | None] = [_key(wb, a) for a in addresses]
    index_of = {k: i for i, k in enumerate(keys) if k is not None}
    excluded = _exclusions(wb, cells, addresses, keys, index_of)
    mismatched = [
        i for i, c in enumerate(cells)
        if c[5] is not None and i not in excluded and not agrees(tuple(c[5]), tuple(values[i]))
    ]
    finder = _MismatchFinder(wb, [keys[i] for i in mismatched])
    causes = []
    for i in mismatched:
        cause, detail = _classify(wb, cells[i], addresses[i], keys[i], tuple(values[i]), finder)
        shown = wb.formula(addresses[i]) if addresses[i] is not None and keys[i] is not None else None
        causes.append([i, cause, detail, shown or "=" + cells[i][3]])
    return {"excluded": sorted(excluded.items()), "causes": causes}


def _key(wb: Any, address: str | None) -> int | None:
    if address is None:
        return None
    try:
        return int(wb.key(address))
    except SheetError:
        return None


def _exclusions(
    wb: Any, cells: list[list[Any]], addresses: list[str | None], keys: list[int | None], index_of: dict[int, int]
) -> dict[int, str]:
    excluded: dict[int, str] = {}
    queue: deque[str] = deque()
    seen: set[str] = set()
    for i, cell in enumerate(cells):
        if is_volatile(cell[3]):
            excluded[i] = "volatile"
            address = addresses[i]
            if address is not None and address not in seen:
                seen.add(address)
                queue.append(address)
    while queue:  # everything downstream of a volatile formula, through the engine's dependency graph
        address = queue.popleft()
        try:
            dependents = wb.dependents(address)
        except SheetError:
            continue
        for dependent in dependents:
            if dependent in seen:
                continue
            seen.add(dependent)
            queue.append(dependent)
            index = index_of.get(_key(wb, dependent) or -1)
            if index is not None:
                excluded.setdefault(index, "volatile")
    for i, cell in enumerate(cells):
        if i not in excluded and is_locale_cached_text(cell[3], tuple(cell[5]) if cell[5] else None):
            excluded[i] = "locale"
    return excluded


def text_only_exclusions(cells: list[list[Any]]) -> dict[int, str]:
    """The exclusions that need no engine (used when sheetrl could not load the file): volatile and locale cells."""
    excluded: dict[int, str] = {}
    for i, cell in enumerate(cells):
        if is_volatile(cell[3]):
            excluded[i] = "volatile"
        elif is_locale_cached_text(cell[3], tuple(cell[5]) if cell[5] else None):
            excluded[i] = "locale"
    return excluded


class _MismatchFinder:
    """Answers "does this formula read a cell that disagrees?" from the formula's precedent cells and ranges."""

    def __init__(self, wb: Any, keys: list[int | None]) -> None:
        from sheetrl.sheet.address import split_key

        self.wb = wb
        self.split_key = split_key
        self.keys = {k for k in keys if k is not None}
        self.rows: dict[tuple[int, int], list[int]] = {}  # (sheet id, row) -> sorted columns that disagree
        for key in self.keys:
            sid, row, col = split_key(key)
            self.rows.setdefault((sid, row), []).append(col)
        for columns in self.rows.values():
            columns.sort()
        self.rows_of_sheet: dict[int, list[int]] = {}
        for sid, row in self.rows:
            self.rows_of_sheet.setdefault(sid, []).append(row)
        for rows in self.rows_of_sheet.values():
            rows.sort()

    def reads_mismatch(self, key: int, address: str) -> bool:
        formula = getattr(self.wb, "_formulas", {}).get(key)
        cells = getattr(formula, "cells", None)
        ranges = getattr(formula, "ranges", None)
        if cells is None or ranges is None:  # the engine's internals changed: use the public list
            return any(_key(self.wb, a) in self.keys for a in self.wb.precedents(address))
        if any(c in self.keys for c in cells):
            return True
        for sid, r1, c1, r2, c2 in ranges:
            rows = self.rows_of_sheet.get(sid, [])
            for row in rows[bisect.bisect_left(rows, r1) : bisect.bisect_right(rows, r2)]:
                columns = self.rows[(sid, row)]
                position = bisect.bisect_left(columns, c1)
                if position < len(columns) and columns[position] <= c2:
                    return True
        return False


def _classify(
    wb: Any, cell: list[Any], address: str | None, key: int | None, value: tuple[str, Any], finder: _MismatchFinder
) -> tuple[str, str]:
    from sheetrl.sheet.functions import FUNCTIONS
    from sheetrl.sheet.lambdas import SPECIAL_FORMS
    from sheetrl.sheet.nodes import Call, Name, walk

    formula, kind, dynamic = cell[3], cell[4], cell[6]
    stripped = _STRING_LITERAL.sub('""', formula)
    if address is None or key is None:
        return "sheet not loaded", ""
    node = wb.formula_node(address)
    if node is None:
        if kind.startswith("array"):
            return "array formula", ("dynamic" if dynamic else "CSE") + (", one cell" if kind == "array" else ", range")
        if kind.startswith("data-table"):
            return "data table", ""
        if _EXTERNAL.search(stripped):
            return "external reference", ""
        if _STRUCTURED.search(stripped):
            return "structured reference", ""
        return _parse_problem(formula)
    functions = [n.name for n in walk(node) if type(n) is Call]
    unknown = sorted({name for name in functions if name not in FUNCTIONS and name not in SPECIAL_FORMS})
    if unknown:
        return "missing function", ",".join(unknown)
    if value == ("e", "#NAME?") and any(type(n) is Name for n in walk(node)):
        return "defined name", ""
    if finder.reads_mismatch(key, address):
        return "precedent differs", ""
    if _EXTERNAL.search(stripped):
        return "external reference", ""
    return "semantics", "+".join(sorted(set(functions))) or "operators and references"


def _parse_problem(formula: str) -> tuple[str, str]:
    from sheetrl.sheet.errors import FormulaSyntaxError, SheetError
    from sheetrl.sheet.parser import parse
    from sheetrl.sheet.xlsx import strip_function_prefixes

    try:
        parse(strip_function_prefixes("=" + formula))
    except FormulaSyntaxError as exc:
        return "parse error", exc.reason
    except SheetError as exc:
        return "parse error", " ".join(str(exc).split())[:100]
    return "not loaded as a formula", ""
