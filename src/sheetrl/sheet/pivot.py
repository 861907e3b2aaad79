"""Pivot tables: a summary of a data range, rendered into cells and refreshed when the data changes.

A pivot reads a source range whose first row holds field names, groups the records by a row field (and optionally a
column field), aggregates a value field (sum, count, average, min, max) and writes the result as plain values at an
anchor cell, in tabular layout::

    Region      | Q1  | Q2  | Grand Total        (header: row field, column labels, Grand Total)
    East        | 10  | 20  | 30
    West        |  5  |     |  5                 (no records for West/Q2: empty)
    Grand Total | 15  | 20  | 35

Without a column field the header is ``[row field, "<Agg> of <value field>"]``. Labels are sorted in Excel's order
(numbers, then text case-insensitively, then booleans). The definition is immutable; each refresh replaces it with
a copy that remembers which cells it wrote, so clones share pivots safely.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cmp_to_key
from typing import TYPE_CHECKING, Any

from sheetrl.sheet.address import MAX_COLS, MAX_ROWS, make_key, parse_cell, parse_range
from sheetrl.sheet.errors import DIV0, REF, ExcelError, SheetError
from sheetrl.sheet.values import compare

if TYPE_CHECKING:
    from sheetrl.sheet.workbook import Workbook

AGGREGATIONS = ("sum", "count", "average", "min", "max")


@dataclass(frozen=True)
class PivotTable:
    """Definition of a pivot table (addresses as text, fields by header name)."""

    name: str
    source: str  # e.g. "Data!A1:D50", header row included
    rows: str  # row field (a header of the source)
    values: str  # value field
    aggregation: str = "sum"
    columns: str | None = None  # optional column field
    anchor: str = "F1"  # top-left cell of the rendered table
    rendered: tuple[int, ...] = field(default=(), compare=False)  # keys written by the last refresh
    signature: tuple[Any, ...] | None = field(default=None, compare=False)

    @property
    def title(self) -> str:
        return f"{self.aggregation.capitalize()} of {self.values}"

    def validate(self, wb: Workbook) -> None:
        """Raise SheetError naming the problem with the definition."""
        if self.aggregation not in AGGREGATIONS:
            raise SheetError(f"pivot aggregation must be one of {AGGREGATIONS}, not {self.aggregation!r}")
        rng = parse_range(self.source)
        wb._sheet_id(rng.sheet)
        if rng.rows < 2:
            raise SheetError(f"pivot source {self.source!r} needs a header row and at least one record")
        if rng.rows * rng.cols > 1_000_000:
            raise SheetError(f"pivot source {self.source!r} is larger than 1,000,000 cells")
        headers = self._headers(wb)
        for role, name in (("row", self.rows), ("value", self.values), ("column", self.columns)):
            if name is not None and name.upper() not in headers:
                raise SheetError(
                    f"pivot {role} field {name!r} is not a header of {self.source!r} "
                    f"(headers: {', '.join(str(h) for h in headers.values())})"
                )
        anchor = parse_cell(self.anchor)
        anchor_sid = wb._sheet_id(anchor.sheet if anchor.sheet is not None else rng.sheet)
        if anchor_sid == wb._sheet_id(rng.sheet) and (anchor.row, anchor.col) in rng:
            raise SheetError(f"pivot anchor {self.anchor!r} lies inside its source {self.source!r}")

    def _headers(self, wb: Workbook) -> dict[str, str]:
        rng = parse_range(self.source)
        sid = wb._sheet_id(rng.sheet)
        out: dict[str, str] = {}
        for col in range(rng.col1, rng.col2 + 1):
            header = wb.value_at(make_key(sid, rng.row1, col))
            if header is not None and not isinstance(header, ExcelError):
                text = header if isinstance(header, str) else str(header)
                out.setdefault(text.upper(), text)
        return out

    def compute(self, wb: Workbook) -> list[list[Any]]:
        """The rendered table as rows of values (None = empty cell)."""
        rng = parse_range(self.source)
        sid = wb._sheet_id(rng.sheet)
        header_cols: dict[str, int] = {}
        for col in range(rng.col1, rng.col2 + 1):
            header = wb.value_at(make_key(sid, rng.row1, col))
            if header is not None and not isinstance(header, ExcelError):
                header_cols.setdefault((header if isinstance(header, str) else str(header)).upper(), col)
        wanted = [self.rows, self.values] + ([self.columns] if self.columns else [])
        if any(name.upper() not in header_cols for name in wanted):
            # a field's header was edited away: show #REF! (as a spreadsheet shows a broken pivot), never raise
            return [[REF]]
        row_col = header_cols[self.rows.upper()]
        value_col = header_cols[self.values.upper()]
        column_col = header_cols[self.columns.upper()] if self.columns else None
        groups: dict[tuple[Any, Any], list[Any]] = {}
        row_labels: dict[Any, Any] = {}
        col_labels: dict[Any, Any] = {}
        for r in range(rng.row1 + 1, rng.row2 + 1):
            label = wb.value_at(make_key(sid, r, row_col))
            value = wb.value_at(make_key(sid, r, value_col))
            col_label = wb.value_at(make_key(sid, r, column_col)) if column_col is not None else None
            if label is None and value is None and col_label is None:
                continue  # blank record
            row_key = _label_key(label)
            col_key = _label_key(col_label)
            row_labels.setdefault(row_key, label)
            col_labels.setdefault(col_key, col_label)
            groups.setdefault((row_key, col_key), []).append(value)
        ordered_rows = sorted(row_labels, key=cmp_to_key(lambda a, b: _label_order(row_labels[a], row_labels[b])))
        if column_col is None:
            table: list[list[Any]] = [[self.rows, self.title]]
            for rk in ordered_rows:
                row_total = _aggregate(self.aggregation, groups.get((rk, _label_key(None)), []))
                table.append([_display_label(row_labels[rk]), row_total])
            everything = [v for values in groups.values() for v in values]
            table.append(["Grand Total", _aggregate(self.aggregation, everything)])
            return table
        ordered_cols = sorted(col_labels, key=cmp_to_key(lambda a, b: _label_order(col_labels[a], col_labels[b])))
        table = [[self.rows, *[_display_label(col_labels[ck]) for ck in ordered_cols], "Grand Total"]]
        for rk in ordered_rows:
            line: list[Any] = [_display_label(row_labels[rk])]
            for ck in ordered_cols:
                cell_values = groups.get((rk, ck))
                line.append(None if cell_values is None else _aggregate(self.aggregation, cell_values))
            line.append(_aggregate(self.aggregation, [v for ck in ordered_cols for v in groups.get((rk, ck), [])]))
            table.append(line)
        total: list[Any] = ["Grand Total"]
        for ck in ordered_cols:
            total.append(_aggregate(self.aggregation, [v for rk in ordered_rows for v in groups.get((rk, ck), [])]))
        total.append(_aggregate(self.aggregation, [v for values in groups.values() for v in values]))
        table.append(total)
        return table

    def refresh(self, wb: Workbook) -> None:
        """Re-render into the workbook if the source changed since the last refresh."""
        rng = parse_range(self.source)
        sid = wb._sheet_id(rng.sheet)
        signature = tuple(
            wb.value_at(make_key(sid, r, c))
            for r in range(rng.row1, rng.row2 + 1)
            for c in range(rng.col1, rng.col2 + 1)
        )
        if signature == self.signature and self.rendered:
            return
        table = self.compute(wb)
        anchor = parse_cell(self.anchor)
        anchor_sid = wb._sheet_id(anchor.sheet if anchor.sheet is not None else rng.sheet)
        if anchor.row + len(table) > MAX_ROWS or anchor.col + len(table[0]) > MAX_COLS:
            raise SheetError(f"pivot {self.name!r} does not fit below/right of {self.anchor!r}")
        written = []
        for dr, line in enumerate(table):
            for dc, value in enumerate(line):
                written.append((make_key(anchor_sid, anchor.row + dr, anchor.col + dc), value))
        new_keys = {k for k, _ in written}
        for key in self.rendered:
            if key not in new_keys:
                wb._write_literal(key, None)
        for key, value in written:
            if wb.value_at(key) != value or type(wb.value_at(key)) is not type(value) or key in wb._formulas:
                wb._write_literal(key, value)
        wb._own("_pivots")
        wb._pivots[self.name] = replace(self, rendered=tuple(sorted(new_keys)), signature=signature)


def _label_key(label: Any) -> Any:
    # group text labels case-insensitively (as Excel does); keep types apart so 1 and "1" and TRUE differ
    if isinstance(label, str):
        return ("s", label.upper())
    if isinstance(label, bool):
        return ("b", label)
    if isinstance(label, ExcelError):
        return ("e", label.code)
    return ("n", label)


def _label_order(a: Any, b: Any) -> int:
    if isinstance(a, ExcelError) or isinstance(b, ExcelError):
        return (isinstance(a, ExcelError)) - (isinstance(b, ExcelError))
    if a is None or b is None:  # "(blank)" sorts last
        return (a is None) - (b is None)
    return compare(a, b)


def _display_label(label: Any) -> Any:
    return "(blank)" if label is None else label


def _aggregate(kind: str, values: list[Any]) -> Any:
    for v in values:
        if isinstance(v, ExcelError):
            return v
    if kind == "count":
        return float(sum(1 for v in values if v is not None))
    numbers = [float(v) for v in values if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if kind == "sum":
        return float(sum(numbers))
    if kind == "average":
        return sum(numbers) / len(numbers) if numbers else DIV0
    if kind == "min":
        return min(numbers) if numbers else 0.0
    return max(numbers) if numbers else 0.0
