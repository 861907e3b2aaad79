"""What formulas look up in a workbook besides cells: defined names, tables, sheets, formula text, formats.

:class:`CatalogMixin` is part of :class:`~sheetrl.sheet.workbook.Workbook`: the public API for defined names
(``define_name``, ``delete_name``, ``names``) and tables (``add_table``, ``remove_table``, ``tables``), the lookups
the compiler resolves names with (:class:`~sheetrl.sheet.reference_compiler.NameCatalog`), and the questions functions
may ask while they run (:class:`~sheetrl.sheet.evaluation.EvaluationContext`: INDIRECT resolving a sheet or a name,
FORMULATEXT reading a formula, CELL reading a format).

Names and tables share one namespace, as in Excel. Every change to a name or a table recompiles the formulas that
use it (each formula remembers the names it looked up, found or not) and recalculates them with the formulas that
compute references at run time (INDIRECT may name anything).
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Any

from sheetrl.sheet import references
from sheetrl.sheet.address import MAX_COLS, MAX_ROWS, make_key, parse_range, split_key
from sheetrl.sheet.errors import AddressError, FormulaSyntaxError, SheetError
from sheetrl.sheet.evaluation import Area, record_read
from sheetrl.sheet.formats import DEFAULT_FORMAT, CellFormat
from sheetrl.sheet.names import (
    BUILTIN_PREFIX,
    DefinedName,
    NameListing,
    check_name,
    qualify,
)
from sheetrl.sheet.nodes import Node, StructuredRef
from sheetrl.sheet.reference_compiler import ANY_TABLE
from sheetrl.sheet.references import has_relative_references
from sheetrl.sheet.tables import (
    Table,
    check_columns,
    check_table_name,
    rename_column,
    table_after_delete,
    table_after_insert,
    unique_column_name,
)

if TYPE_CHECKING:
    from sheetrl.sheet.pivot import PivotTable
    from sheetrl.sheet.workbook import FormulaCell


class CatalogMixin:
    """Defined names and tables of a workbook, and the lookups formulas make (mixed into ``Workbook``)."""

    if TYPE_CHECKING:  # state and helpers of Workbook used here
        _names: dict[tuple[int | None, str], DefinedName]
        _tables: dict[str, Table]
        _formulas: dict[int, FormulaCell]
        _values: dict[int, Any]
        _formats: dict[int, CellFormat]
        _col_widths: dict[tuple[int, int], float]
        _row_states: dict[tuple[int, int], str]
        _sheet_ids: dict[str, int]
        _sheet_names: dict[int, str]
        _sheet_order: list[int]
        _pivots: dict[str, PivotTable]
        _spills: dict[int, tuple[int, int, bool]]
        _spill_owner: dict[int, int]

        def _own(self, name: str) -> None: ...
        def _write_literal(self, key: int, value: Any) -> None: ...
        def _snapshot_for_undo(self) -> None: ...
        def _sheet_id(self, name: str | None) -> int: ...
        def _remove_formula(self, key: int) -> None: ...
        def _install_formula(
            self, key: int, node: Any, array: tuple[int, int] | None = None, text: str | None = None,
            template: Any = None,
        ) -> Any: ...
        def _run(self, plan: Any) -> None: ...
        def _build_plan(self, start: int, roots: list[int] | None = None) -> Any: ...
        def _touch_extent(self, key: int) -> None: ...
        def _recalculate_from(self, key: int) -> None: ...

    # ========================================================================================= defined names
    def define_name(
        self, name: str, refers_to: str, sheet: str | None = None, *, hidden: bool = False,
        comment: str | None = None,
    ) -> None:
        """Define (or redefine) a name: ``define_name("Rate", "=0.05")``, ``define_name("Sales",
        "=Data!$B$2:$B$99")``, ``define_name("Total", "=SUM(Sales)*(1+Rate)", sheet="Report")``.

        ``sheet`` scopes the name to one sheet (it then hides a workbook-level name of the same spelling there).
        References without a sheet name refer to the scope's sheet (the first sheet for a workbook-level name);
        relative references are relative to A1 and follow the cell that uses the name. Formulas using the name are
        recalculated. Raises SheetError for an invalid name or definition.
        """
        check_name(name)
        scope = None if sheet is None else self._sheet_id(sheet)
        if self._tables.get(name.upper()) is not None:
            raise SheetError(f"{name!r} is already the name of a table")
        text = refers_to if isinstance(refers_to, str) else ""
        if not text.strip() or text.strip() == "=":
            raise SheetError(f"the definition of name {name!r} must be formula text such as '=Sheet1!$A$1'")
        from sheetrl.sheet.parser import parse_name_definition

        try:
            node = parse_name_definition(text.removeprefix("="))
        except FormulaSyntaxError as exc:
            raise SheetError(f"the definition of name {name!r} does not parse: {exc.reason}") from None
        home = self._sheet_names[scope if scope is not None else self._sheet_order[0]]
        node = qualify(node, home)
        self._snapshot_for_undo()
        self._own("_names")
        self._names[(scope, name.upper())] = DefinedName(
            name, node, scope, has_relative_references(node), hidden, comment
        )
        self._names_changed({name.upper()})

    def delete_name(self, name: str, sheet: str | None = None) -> None:
        """Delete a defined name (the sheet-scoped one when ``sheet`` is given); formulas using it show #NAME?."""
        scope = None if sheet is None else self._sheet_id(sheet)
        if (scope, str(name).upper()) not in self._names:
            where = f" on sheet {sheet!r}" if sheet is not None else ""
            raise SheetError(f"there is no defined name {name!r}{where}")
        self._snapshot_for_undo()
        self._own("_names")
        del self._names[(scope, name.upper())]
        self._names_changed({name.upper()})

    def names(self) -> list[NameListing]:
        """Every defined name (workbook-level first, then by sheet), with its definition and scope."""
        listing = [
            NameListing(entry.name, entry.refers_to, None if entry.scope is None else self._sheet_names[entry.scope],
                        entry.hidden, entry.comment)
            for entry in self._names.values()
        ]
        order = {sid: index for index, sid in enumerate(self._sheet_order)}
        return sorted(listing, key=lambda n: (n.sheet is not None, order.get(self._sheet_ids.get(
            (n.sheet or "").upper(), -1), -1), n.name.upper()))

    def defined_name(self, name: str, sheet_id: int | None) -> DefinedName | None:
        """The name visible from ``sheet_id``: that sheet's own name first, then the workbook's (Excel's
        ``_xlnm.`` reserved names also answer to their short spelling, e.g. Print_Area)."""
        names = self._names
        if not names:
            return None
        upper = name.upper()
        for candidate in (upper, BUILTIN_PREFIX.upper() + upper):
            if sheet_id is not None:
                found = names.get((sheet_id, candidate))
                if found is not None:
                    return found
            found = names.get((None, candidate))
            if found is not None:
                return found
        return None

    def _names_changed(self, upper_names: set[str]) -> None:
        """Recompile and recalculate the formulas that use these names, and the tracked formulas."""
        users = [key for key, cell in self._formulas.items() if cell.names & upper_names]
        for key in users:
            cell = self._formulas[key]
            self._remove_formula(key)
            self._install_formula(key, cell.node, cell.array, text=cell.text)
        roots = set(users) | {key for key, cell in self._formulas.items() if cell.dynamic}
        if roots:
            from sheetrl.sheet.workbook import _VIRTUAL_SOURCE

            self._own("_values")
            self._run(self._build_plan(_VIRTUAL_SOURCE, roots=sorted(roots)))

    # ================================================================================================ tables
    def add_table(
        self, name: str, ref: str, *, header: bool = True, totals: bool = False, columns: list[str] | None = None,
        style: str | None = "TableStyleMedium9",
    ) -> Table:
        """Make the range ``ref`` (e.g. ``"Sheet1!A1:D20"``) an Excel table called ``name``.

        With ``header`` the first row holds the column names: taken from its cells (empty ones get Excel's names
        Column1, Column2... written into them) unless ``columns`` gives them. ``totals`` marks the last row as the
        totals row. Formulas may then use structured references (``name[Col]``, ``[@Col]``). Raises SheetError
        for a bad name, a range overlapping another table, or a table without data rows.
        """
        check_table_name(name)
        if name.upper() in self._tables or any(key[1] == name.upper() for key in self._names):
            raise SheetError(f"a table or defined name called {name!r} already exists")
        try:
            rng = parse_range(ref)
        except AddressError as exc:
            raise SheetError(f"table range {ref!r}: {exc}") from None
        sid = self._sheet_id(rng.sheet)
        if rng.rows - int(header) - int(totals) < 1:
            raise SheetError(f"table range {ref!r} leaves no data rows")
        if rng.rows == MAX_ROWS or rng.cols == MAX_COLS:
            raise SheetError(f"a table cannot span whole rows or columns ({ref!r})")
        for other in self._tables.values():
            if other.sheet == sid and not (
                rng.row2 < other.row1 or other.row2 < rng.row1 or rng.col2 < other.col1 or other.col2 < rng.col1
            ):
                raise SheetError(f"table range {ref!r} overlaps table {other.name!r}")
        names = self._column_names(sid, rng.row1, rng.col1, rng.cols, header, columns)
        table = Table(name, sid, rng.row1, rng.col1, rng.row2, rng.col2, names, header, totals, style)
        self._snapshot_for_undo()
        self._put_table(table)
        if header:
            self._write_headers(table)
        self._tables_changed({name.upper()})
        return table

    def remove_table(self, name: str) -> None:
        """Turn a table back into plain cells (they keep their values); structured references to it show #REF!."""
        if name.upper() not in self._tables:
            raise SheetError(f"there is no table named {name!r}")
        self._snapshot_for_undo()
        self._own("_tables")
        del self._tables[name.upper()]
        self._tables_changed({name.upper()})

    @property
    def tables(self) -> list[Table]:
        """The tables of the workbook, by sheet and position."""
        order = {sid: index for index, sid in enumerate(self._sheet_order)}
        return sorted(self._tables.values(), key=lambda t: (order.get(t.sheet, -1), t.row1, t.col1))

    def table(self, name: str) -> Table:
        """The table called ``name`` (case-insensitive); raises SheetError if there is none."""
        found = self._tables.get(str(name).upper())
        if found is None:
            raise SheetError(f"there is no table named {name!r}")
        return found

    def table_named(self, name: str) -> Table | None:
        """The table called ``name`` (case-insensitive), or None."""
        return self._tables.get(name.upper()) if self._tables else None

    def table_containing(self, sheet_id: int, row: int, col: int) -> Table | None:
        """The table whose range holds a cell, or None."""
        for table in self._tables.values():
            if table.contains(sheet_id, row, col):
                return table
        return None

    def _column_names(
        self, sid: int, row: int, col: int, count: int, header: bool, columns: list[str] | None
    ) -> tuple[str, ...]:
        if columns is not None:
            names = tuple(columns)
            if len(names) != count:
                raise SheetError(f"the table has {count} columns but {len(names)} column names were given")
            check_columns(names)
            return names
        found: list[str] = []
        for offset in range(count):
            value = self._values.get(make_key(sid, row, col + offset)) if header else None
            text = _header_text(value)
            if not text or text.upper() in {n.upper() for n in found}:
                text = unique_column_name(found) if not text else _numbered(text, found)
            found.append(text)
        return tuple(found)

    def _put_table(self, table: Table) -> None:
        self._own("_tables")
        self._tables[table.name.upper()] = table

    def _write_headers(self, table: Table) -> None:
        """Write the column names into the header cells that do not hold them, as Excel does when it makes a table
        (header cells hold text, and a file must have them so): an empty cell gets Column1, a number its text, a
        repeated name Name2, a formula its value's text. Cells of an array or a spill are left to the formula."""
        for offset, name in enumerate(table.columns):
            key = make_key(table.sheet, table.row1, table.col1 + offset)
            cell = self._formulas.get(key)
            if cell is None and self._values.get(key) == name and type(self._values.get(key)) is str:
                continue
            if key in self._spill_owner or key in self._spills or (cell is not None and cell.array is not None):
                continue
            self._write_literal(key, name)

    def _header_edited(self, key: int, value: Any) -> Any:
        """A value written into a table's header cell renames the column (formulas using it follow, as in
        Excel); returns what the cell holds: the new name (an empty or repeated name becomes Column1, Qty2)."""
        sid, row, col = split_key(key)
        for table in self._tables.values():
            if not (table.header_row and table.sheet == sid and row == table.row1 and table.col1 <= col <= table.col2):
                continue
            index = col - table.col1
            others = [name for i, name in enumerate(table.columns) if i != index]
            text = _header_text(value)
            if not text:
                new = unique_column_name(others)
            elif text.upper() in {name.upper() for name in others}:
                new = _numbered(text, others)
            else:
                new = text
            old = table.columns[index]
            if new != old:
                columns = list(table.columns)
                columns[index] = new
                self._put_table(replace(table, columns=tuple(columns)))
                self._rename_column_in_formulas(table.name, old, new)
            return value if new == text and type(value) is str else new
        return value

    def _rename_column_in_formulas(self, table: str, old: str, new: str) -> None:
        upper = table.upper()

        def rename(ref: Node) -> Node:
            assert type(ref) is StructuredRef
            if ref.table is not None and ref.table.upper() != upper:
                return ref
            return rename_column(ref, old, new)

        for key, cell in list(self._formulas.items()):
            if upper not in cell.names:
                continue
            node = references.transform(cell.node, lambda r: r, None, rename)
            if node != cell.node:
                self._remove_formula(key)
                self._install_formula(key, node, cell.array)
        self._tables_changed({upper})

    def _tables_changed(self, upper_names: set[str]) -> None:
        self._names_changed(upper_names | {ANY_TABLE})

    # ============================================================================= structural edits, sheets
    def _rename_sheet_in_names(self, old: str, new: str) -> None:
        if not self._names:
            return
        self._own("_names")
        for key, entry in list(self._names.items()):
            self._names[key] = entry.with_node(references.rename_sheet(entry.node, old, new))

    def _forget_sheet_in_catalog(self, sheet_id: int) -> None:
        """Drop the names scoped to a deleted sheet and the tables on it."""
        if any(key[0] == sheet_id for key in self._names):
            self._own("_names")
            for scoped in [k for k in self._names if k[0] == sheet_id]:
                del self._names[scoped]
        if any(t.sheet == sheet_id for t in self._tables.values()):
            self._own("_tables")
            for name in [k for k, t in self._tables.items() if t.sheet == sheet_id]:
                del self._tables[name]

    def _adjust_catalog(self, sheet_id: int, axis: str, at: int, count: int, insert: bool) -> list[Table]:
        """Names and tables after inserting/deleting lines of a sheet; returns tables that gained columns."""
        sheet = self._sheet_names[sheet_id]
        rewrite = references.insert_lines if insert else references.delete_lines
        if self._names:
            self._own("_names")
            for key, entry in list(self._names.items()):
                if entry.relative:
                    continue  # relative to the cell using the name: insertion does not move it
                home = self._sheet_names[entry.scope if entry.scope is not None else self._sheet_order[0]]
                self._names[key] = entry.with_node(rewrite(entry.node, home, sheet, axis, at, count))
        widened: list[Table] = []
        if any(t.sheet == sheet_id for t in self._tables.values()):
            self._own("_tables")
            limit = MAX_ROWS if axis == "row" else MAX_COLS
            for name, table in list(self._tables.items()):
                if table.sheet != sheet_id:
                    continue
                moved = table_after_insert(table, axis, at, count, limit) if insert else table_after_delete(
                    table, axis, at, count
                )
                if moved is None:
                    del self._tables[name]
                else:
                    self._tables[name] = moved
                    if len(moved.columns) > len(table.columns):
                        widened.append(moved)
        return widened

    # ======================================================================== what running formulas may ask
    def current_values(self) -> dict[int, Any]:
        """The values dict formulas read (cell key -> value)."""
        return self._values

    def sheet_id_named(self, name: str) -> int | None:
        """Id of the sheet called ``name`` (case-insensitive), or None."""
        return self._sheet_ids.get(name.upper())

    def sheet_name_of(self, sheet_id: int) -> str | None:
        """Name of a sheet id, or None if it no longer exists."""
        return self._sheet_names.get(sheet_id)

    def sheet_position(self, sheet_id: int) -> int | None:
        """1-based tab position of a sheet id, or None."""
        try:
            return self._sheet_order.index(sheet_id) + 1
        except ValueError:
            return None

    def sheet_count(self) -> int:
        """Number of sheets."""
        return len(self._sheet_order)

    def formula_at(self, key: int) -> str | None:
        """Formula text (with '=') of a cell, None for a cell without a formula."""
        cell = self._formulas.get(key)
        return cell.text if cell is not None else None

    def format_at(self, key: int) -> CellFormat:
        """Format of a cell (the default format when none is set)."""
        return self._formats.get(key, DEFAULT_FORMAT)

    def column_width_at(self, sheet_id: int, col: int) -> float | None:
        """Width of a column in characters, None for the default width."""
        return self._col_widths.get((sheet_id, col))

    def row_state_at(self, sheet_id: int, row: int) -> str | None:
        """How a row (0-based) is hidden: "hidden" (by hand), "filtered", or None when it shows."""
        return self._row_states.get((sheet_id, row)) if self._row_states else None

    def pivot_at(self, sheet_id: int, row: int, col: int) -> tuple[PivotTable, list[list[Any]]] | None:
        """The pivot table that rendered a cell, with its rendered rows of values (read now), or None."""
        key = make_key(sheet_id, row, col)
        for pivot in self._pivots.values():
            if key in pivot.rendered:
                cells = [split_key(k) for k in pivot.rendered]
                r1, c1 = min(r for _, r, _ in cells), min(c for _, _, c in cells)
                r2, c2 = max(r for _, r, _ in cells), max(c for _, _, c in cells)
                record_read(Area(sheet_id, r1, c1, r2, c2))
                get = self._values.get
                grid = [[get(make_key(sheet_id, r, c)) for c in range(c1, c2 + 1)] for r in range(r1, r2 + 1)]
                return pivot, grid
        return None


def _header_text(value: Any) -> str:
    if value is None or not isinstance(value, (str, float, int, bool)):
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        from sheetrl.sheet.values import number_to_text

        return number_to_text(value)
    return str(value).strip()


def _numbered(text: str, taken: list[str]) -> str:
    """``text2``, ``text3``... the first not taken (Excel's rule for a repeated header)."""
    upper = {name.upper() for name in taken}
    number = 2
    while f"{text}{number}".upper() in upper:
        number += 1
    return f"{text}{number}"


__all__ = ["CatalogMixin"]
