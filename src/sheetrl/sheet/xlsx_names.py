"""Defined names and Excel tables in .xlsx files: read into a Workbook, written back (through openpyxl).

Names: workbook-level ones (``<definedName>`` without ``localSheetId``) and sheet-scoped ones, with their hidden flag
and comment. Excel's reserved print settings come back as the sheet-scoped names ``_xlnm.Print_Area`` and
``_xlnm.Print_Titles`` (openpyxl reads them into worksheet attributes), so ``=ROWS(Print_Area)`` works and saving
writes them again. A name whose definition cannot be used (a reference to another workbook, text that does not
parse) is reported in ``Workbook.warnings`` and left out.

Tables: name, range, header row, totals row, column names and style (``xl/tables/tableN.xml``). Column formulas and
totals-row functions live in the cells themselves, which round-trip as ordinary formulas.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sheetrl.sheet.address import cell_name, quote_sheet_name
from sheetrl.sheet.errors import SheetError
from sheetrl.sheet.names import BUILTIN_PREFIX
from sheetrl.sheet.nodes import render
from sheetrl.sheet.tables import Table, check_columns, check_table_name

if TYPE_CHECKING:
    from sheetrl.sheet.workbook import Workbook

Report = Callable[[str, str], None]  # (kind, one-line message)
_SKIPPED_PREFIXES = ("_xlfn.", "_xlpm.", "_xleta.")  # Excel's hidden placeholders for newer functions


# ================================================================================================= reading
def read_tables(wb: Workbook, sheets: list[Any], titles: list[str], report: Report) -> None:
    """Add the tables of every openpyxl worksheet to ``wb`` (before any formula is entered)."""
    from openpyxl.utils.cell import range_boundaries

    for ws, title in zip(sheets, titles):
        sid = wb._sheet_ids[title.upper()]
        for table in ws.tables.values():
            name = table.displayName or table.name or ""
            try:
                check_table_name(name)
                if wb.table_named(name) is not None:
                    raise SheetError(f"a second table is called {name!r}")
                min_col, min_row, max_col, max_row = range_boundaries(table.ref)
                columns = tuple(column.name or "" for column in table.tableColumns)  # openpyxl decodes _xHHHH_
                if len(columns) != max_col - min_col + 1:
                    raise SheetError(f"it lists {len(columns)} columns for the range {table.ref}")
                check_columns(columns)
                style = table.tableStyleInfo.name if table.tableStyleInfo is not None else None
                entry = Table(
                    name, sid, min_row - 1, min_col - 1, max_row - 1, max_col - 1, columns,
                    header_row=table.headerRowCount != 0, totals_row=bool(table.totalsRowCount), style=style,
                )
            except (SheetError, TypeError, ValueError) as exc:
                report("tables", f"{quote_sheet_name(title)}!{table.ref}: table {name!r} could not be used ({exc});"
                       " its cells are kept as plain cells and structured references to it show #REF!")
                continue
            wb._put_table(entry)


def read_names(wb: Workbook, xl: Any, sheets: list[Any], titles: list[str], report: Report) -> None:
    """Define the workbook's and each sheet's names in ``wb`` (before any formula is entered)."""
    from sheetrl.sheet.xlsx import strip_function_prefixes

    entries: list[tuple[str, Any, str | None, Any]] = []
    for name, definition in xl.defined_names.items():
        entries.append((name, definition.attr_text, None, definition))
    for ws, title in zip(sheets, titles):
        for name, definition in ws.defined_names.items():
            entries.append((name, definition.attr_text, title, definition))
        if ws.print_area:
            entries.append((BUILTIN_PREFIX + "Print_Area", ws.print_area, title, None))
        if ws.print_titles:
            entries.append((BUILTIN_PREFIX + "Print_Titles", ws.print_titles, title, None))
    for name, text, scope, definition in entries:
        if name.startswith(_SKIPPED_PREFIXES):
            continue
        where = f"sheet {scope!r}: " if scope is not None else ""
        if not isinstance(text, str) or not text.strip():
            report("defined names", f"{where}defined name {name} has no definition; left out")
            continue
        try:
            wb.define_name(
                name, "=" + strip_function_prefixes(text), scope,
                hidden=bool(getattr(definition, "hidden", False)), comment=getattr(definition, "comment", None),
            )
        except SheetError as exc:
            report("defined names", f"{where}defined name {name} (={text}) could not be used ({exc}); left out,"
                   " formulas that use it show #NAME?")


# ================================================================================================= writing
def write_names(wb: Workbook, xl: Any) -> None:
    """Add every defined name of ``wb`` to the openpyxl workbook ``xl`` (whose sheets are already created)."""
    from openpyxl.workbook.defined_name import DefinedName as XlDefinedName

    from sheetrl.sheet.xlsx import (
        _defined_names,
        _local_names,
        add_function_prefixes,
        mark_function_lambdas,
        refuse_unwritable,
    )

    names = _defined_names(wb)
    for entry in wb._names.values():
        node = mark_function_lambdas(entry.node, names | _local_names(entry.node))
        text = add_function_prefixes("=" + render(node))[1:]
        refuse_unwritable(text + (entry.comment or ""), f"cannot save the name {entry.name}: its definition or comment")
        defined = XlDefinedName(entry.name, attr_text=text, hidden=entry.hidden or None, comment=entry.comment)
        if entry.scope is None:
            xl.defined_names[entry.name] = defined
        else:
            xl[wb._sheet_names[entry.scope]].defined_names[entry.name] = defined


def write_tables(wb: Workbook, xl: Any) -> None:
    """Add every table of ``wb`` to the openpyxl workbook ``xl``."""
    from openpyxl.worksheet.filters import AutoFilter
    from openpyxl.worksheet.table import Table as XlTable
    from openpyxl.worksheet.table import TableColumn, TableStyleInfo

    from sheetrl.sheet.xlsx import protect_escape_lookalikes

    for table in wb.tables:
        ws = xl[wb._sheet_names[table.sheet]]
        ref = f"{cell_name(table.row1, table.col1)}:{cell_name(table.row2, table.col2)}"
        written = XlTable(
            displayName=table.name, name=table.name, ref=ref, headerRowCount=1 if table.header_row else 0,
            totalsRowCount=1 if table.totals_row else None,
        )
        # openpyxl writes control characters as _xHHHH_ and decodes every _xHHHH_ when reading: protect literal ones
        written.tableColumns = [
            TableColumn(id=index + 1, name=protect_escape_lookalikes(name))
            for index, name in enumerate(table.columns)
        ]
        if table.style:
            written.tableStyleInfo = TableStyleInfo(name=table.style, showRowStripes=True)
        if table.header_row:
            last = table.row2 - (1 if table.totals_row else 0)
            written.autoFilter = AutoFilter(ref=f"{cell_name(table.row1, table.col1)}:{cell_name(last, table.col2)}")
        ws.add_table(written)
