""".xlsx files: load a :class:`~sheetrl.sheet.workbook.Workbook` from one, save one to it.

Saving goes through openpyxl. Loading reads the worksheets' cells itself (:mod:`sheetrl.sheet.xlsx_reader`: openpyxl
spends most of a load building an object per cell) and everything else (styles, column widths, comments, tables,
defined names ...) through openpyxl, from a copy of the package without the cells.

What round-trips: sheets (names, order), numbers, text, booleans, error values, formulas, the formats a
:class:`~sheetrl.sheet.formats.CellFormat` holds (bold, italic, underline, number format, font colour, solid fill,
horizontal alignment, border styles per side), column widths, defined names and Excel tables (see
:mod:`sheetrl.sheet.xlsx_names`), and the date system (``workbookPr date1904``: a 1904 workbook keeps its serials and
evaluates dates in that system, see :mod:`sheetrl.sheet.serials`).

Saving writes formula text with the ``_xlfn.`` prefix that Excel and LibreOffice need for functions newer than
Excel 2007 (``_xlfn.XLOOKUP``, ``_xlfn._xlws.FILTER``); it does not write cached formula results (openpyxl cannot),
so the file asks the reading application to recalculate on open. A formula keeps the spaces and line breaks of its
text, as Excel keeps them.

Arrays, as Excel writes them: a formula whose ``@``s are all ones a reader without dynamic arrays implies is a
plain formula (without the ``@``); any other formula (one that spills, or uses ``@`` elsewhere) is a
dynamic-array formula: an array formula over the cells it spills, marked dynamic in the cell metadata
(:mod:`sheetrl.sheet.xlsx_arrays`), with ``@`` as ``_xlfn.SINGLE``, ``A1#`` as ``_xlfn.ANCHORARRAY(A1)`` and LET/LAMBDA
names as ``_xlpm.name``. A legacy array formula is an array formula over its range; a What-If data table
(:mod:`sheetrl.sheet.data_tables`) is ``<f t="dataTable" …/>`` on its first cell with its values in the others.
Loading reads them all back: a plain formula gets the ``@`` Excel implies (:mod:`sheetrl.sheet.legacy`), and the
cells covered by an array formula's or data table's range (which hold cached results) are not read as values.
Saving is atomic: the file is written to a temporary file in the same directory and moved over ``path`` only when
complete; a symbolic link, a device or a named pipe at ``path`` is refused, never replaced or written through, and
so is a read-only file.
Loading reads regular files only (a named pipe would never end).

Loading refuses, with a :class:`~sheetrl.sheet.errors.WorkbookFileError` naming the problem, anything that is not a
readable .xlsx: a missing file, a directory, an encrypted or old binary .xls file, a corrupt zip, a file whose
uncompressed contents exceed ``max_bytes`` or whose worksheets hold more than ``max_cells`` cells (both checked
before any cell is read), XML that is not well-formed, a workbook without worksheets (or only chart sheets).
Everything in the file that the engine cannot represent (merged cells, comments, charts, data tables over more
than 10,000 cells, formulas that do not parse ...) is listed in ``Workbook.warnings``, one line per item (at most
``WARNINGS_PER_KIND`` lines per kind, then a count).
"""

from __future__ import annotations

import colorsys
import gc
import io
import math
import os
import re
import warnings as _warnings
import zipfile
import zlib
from collections import Counter, OrderedDict
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from sheetrl.sheet import character_sets, fileio, xlsx_reader
from sheetrl.sheet.address import (
    cell_name,
    column_letters,
    make_key,
    parse_cell,
    parse_range,
    quote_sheet_name,
    split_key,
)
from sheetrl.sheet.compiler import FormulaTemplate
from sheetrl.sheet.data_tables import MAX_DATA_TABLE_CELLS, TABLE_FUNCTION, is_data_table_formula
from sheetrl.sheet.errors import ExcelError, FormulaSyntaxError, SheetError, WorkbookFileError, error_from_code
from sheetrl.sheet.formats import BORDER_STYLES, DEFAULT_FORMAT, CellFormat
from sheetrl.sheet.functions import FUNCTIONS
from sheetrl.sheet.functions.context import ROW_FILTERED, ROW_HIDDEN
from sheetrl.sheet.lambdas import ETA_PREFIX, LAMBDA_ARGUMENTS, OPTIONAL_PREFIX, SPECIAL_FORMS
from sheetrl.sheet.legacy import REFERENCE_RESULTS, from_legacy, is_legacy_compatible, without_intersections
from sheetrl.sheet.lexer import MAX_FORMULA_LENGTH, relative_shape, tokenize
from sheetrl.sheet.nodes import (
    ArrayLiteral,
    Call,
    CellRef,
    ImplicitIntersection,
    Missing,
    Name,
    Node,
    Paren,
    RangeOp,
    RangeRef,
    RefError,
    SpillRef,
    StructuredRef,
    Union,
    map_operands,
    render,
    walk,
)
from sheetrl.sheet.parser import is_parsed, parse, remember
from sheetrl.sheet.references import shift
from sheetrl.sheet.workbook import MAX_ITERATIONS, IterativeCalculation, Workbook
from sheetrl.sheet.xlsx_arrays import add_dynamic_array_metadata, dynamic_array_cells

DEFAULT_MAX_CELLS = 2_000_000
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
WARNINGS_PER_KIND = 20
# the custom document property that keeps a workbook's character set for CHAR and CODE when it is not Windows'
CHARACTER_SET_PROPERTY = "sheetrl.character_set"
MAX_TEXT = 32767

_ZIP_SIGNATURE = b"PK\x03\x04"
_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Functions added after Excel 2007 are stored with a prefix ("future functions", MS-XLSX 2.2.2), else Excel and
# LibreOffice read them as unknown names. ECMA.CEILING, ISO.CEILING, NETWORKDAYS.INTL and WORKDAY.INTL are in the
# ISO 29500 function list and take no prefix.
_FUTURE_FUNCTIONS = frozenset(
    """
    ACOT ACOTH AGGREGATE ARABIC BASE BETA.DIST BETA.INV BINOM.DIST BINOM.DIST.RANGE BINOM.INV BITAND BITLSHIFT BITOR
    BITRSHIFT BITXOR CEILING.MATH CEILING.PRECISE CHISQ.DIST CHISQ.DIST.RT CHISQ.INV CHISQ.INV.RT CHISQ.TEST COMBINA
    CONFIDENCE.NORM CONFIDENCE.T COT COTH COVARIANCE.P COVARIANCE.S CSC CSCH DAYS DECIMAL ENCODEURL ERF.PRECISE
    ERFC.PRECISE EXPON.DIST F.DIST F.DIST.RT F.INV F.INV.RT F.TEST FILTERXML FLOOR.MATH FLOOR.PRECISE FORECAST.ETS
    FORECAST.ETS.CONFINT FORECAST.ETS.SEASONALITY FORECAST.ETS.STAT FORECAST.LINEAR FORMULATEXT GAMMA GAMMA.DIST
    GAMMA.INV GAMMALN.PRECISE GAUSS HYPGEOM.DIST IFNA IMCOSH IMCOT IMCSC IMCSCH IMSEC IMSECH IMSINH IMTAN ISFORMULA
    ISOWEEKNUM LOGNORM.DIST LOGNORM.INV MODE.MULT MODE.SNGL MUNIT NEGBINOM.DIST NORM.DIST NORM.INV NORM.S.DIST
    NORM.S.INV NUMBERVALUE PDURATION PERCENTILE.EXC PERCENTILE.INC PERCENTRANK.EXC PERCENTRANK.INC PERMUTATIONA PHI
    POISSON.DIST QUARTILE.EXC QUARTILE.INC QUERYSTRING RANK.AVG RANK.EQ RRI SEC SECH SHEET SHEETS SKEW.P STDEV.P
    STDEV.S T.DIST T.DIST.2T T.DIST.RT T.INV T.INV.2T T.TEST UNICHAR UNICODE VAR.P VAR.S WEBSERVICE WEIBULL.DIST XOR
    Z.TEST
    CONCAT IFS MAXIFS MINIFS SWITCH TEXTJOIN
    ANCHORARRAY ARRAYTOTEXT BYCOL BYROW CHOOSECOLS CHOOSEROWS DROP EXPAND GROUPBY HSTACK IMAGE ISOMITTED LAMBDA LET
    MAKEARRAY MAP PERCENTOF PIVOTBY RANDARRAY REDUCE REGEXEXTRACT REGEXREPLACE REGEXTEST SCAN SEQUENCE SINGLE SORTBY
    STOCKHISTORY TAKE TEXTAFTER TEXTBEFORE TEXTSPLIT TOCOL TOROW TRIMRANGE UNIQUE VALUETOTEXT VSTACK WRAPCOLS
    WRAPROWS XLOOKUP XMATCH
    """.split()
)
_WORKSHEET_FUNCTIONS = frozenset({"FILTER", "SORT"})  # stored as _xlfn._xlws.NAME
_FUNCTION_PREFIXES = ("_XLFN._XLWS.", "_XLFN.", "_XLWS.")

# openpyxl refuses control characters in cell text, an XML parser reads a carriage return as a line feed, and XML
# cannot hold lone surrogates, U+FFFE or U+FFFF (a cell holds UTF-16 text, so Excel can): OOXML stores these
# escaped as _xHHHH_ (ST_Xstring), as Excel writes them.
_CONTROL_CHARS = re.compile(r"[\000-\010\013-\037\ud800-\udfff\ufffe\uffff]")
# an '_' that a reader would take as the start of an escape: one before "xHHHH" and an '_' or a character that is
# itself written escaped (which starts with '_'); lookaheads, so that overlapping ones (_x005F_x0041_) are all caught
_ESCAPE_LOOKALIKE = re.compile(r"_(?=x[0-9A-Fa-f]{4}(?:_|" + _CONTROL_CHARS.pattern + "))")
# characters XML 1.0 cannot hold, where nothing escapes them (formulas, sheet names, defined names)
_NOT_XML = re.compile(r"[\000-\010\013\014\016-\037\ud800-\udfff\ufffe\uffff]")
_STRING_LITERAL = re.compile(r'"(?:[^"]|"")*"')
_FILE_OPERATOR_CALL = re.compile(r"\b(?:SINGLE|ANCHORARRAY)\(", re.IGNORECASE)  # @ and # as files store them
_CALLED = re.compile(r"([A-Za-z_\\][\w.\\]*)\s*\(")
_OPENPYXL_ERRORS = frozenset({"#NULL!", "#DIV/0!", "#VALUE!", "#REF!", "#NAME?", "#NUM!", "#N/A", "#SPILL!", "#CALC!"})
_BARE_WORKSHEET = b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData/></worksheet>'
_BORDER_SIDES = (("border_top", "top"), ("border_bottom", "bottom"), ("border_left", "left"),
                 ("border_right", "right"))


# ================================================================================================== saving
def save_workbook(wb: Workbook, path: str | os.PathLike[str]) -> None:
    """Write ``wb`` to ``path`` as .xlsx, atomically (:func:`~sheetrl.sheet.fileio.write_atomic`); raises
    WorkbookFileError naming the problem. A symbolic link or anything else that is not a regular file at ``path``
    is refused, never replaced or written through."""
    target = _target_path(path)
    xl, dynamic = _to_openpyxl(wb)
    carriage_returns = _writes_carriage_returns(wb)

    def write(handle: Any) -> None:
        if not dynamic and not carriage_returns:
            xl.save(handle)
            return
        buffer = io.BytesIO()
        xl.save(buffer)
        data = add_dynamic_array_metadata(buffer.getvalue(), dynamic)
        handle.write(_carriage_returns_kept(data) if carriage_returns else data)

    try:
        fileio.write_atomic(target, write)
    except fileio.UnsafeFileError as exc:
        raise WorkbookFileError(f"cannot save {target}: it {exc.strerror}") from None
    except Exception as exc:
        reason = _os_reason(exc) if isinstance(exc, OSError) else _one_line(exc)
        raise WorkbookFileError(f"cannot save {target}: {reason}; the previous file (if any) is unchanged") from None


def _writes_carriage_returns(wb: Workbook) -> bool:
    """Whether a formula, defined name or sheet name (which formulas quote) of ``wb`` holds a carriage return."""
    return (
        any("\r" in name for name in wb.sheet_names)
        or any("\r" in cell.text for cell in wb._formulas.values())
        or any("\r" in render(entry.node) for entry in wb._names.values())
    )


def _carriage_returns_kept(data: bytes) -> bytes:
    """The .xlsx ``data`` with every carriage return that openpyxl wrote as it is in the character data of a part
    (a formula's string, a sheet name quoted in one) written ``&#13;``: an XML reader turns a bare one into a line
    feed, so ``="a"&"<CR>"`` would load as a line feed and ``='a<CR>b'!A1`` as a sheet that does not exist."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info)
            if info.filename.endswith((".xml", ".rels")) and b"\r" in content:
                content = content.replace(b"\r", b"&#13;")  # (UTF-8: no other character has the byte 0x0D)
            target.writestr(info, content)
    return out.getvalue()


def _target_path(path: Any) -> str:
    try:
        target = os.path.abspath(os.fspath(path))
    except TypeError:
        raise WorkbookFileError(f"a file path must be a string or path, not {type(path).__name__}") from None
    if os.path.isdir(target) and not os.path.islink(target):
        raise WorkbookFileError(f"cannot save to {target}: it is a directory")
    name = os.fspath(path)
    if isinstance(name, str) and name.endswith((os.sep, os.altsep or os.sep)):  # abspath drops the separator
        raise WorkbookFileError(f"cannot save to {name}: a path ending in {name[-1]} names a directory, not a file")
    try:
        fileio.check_output(target)
    except fileio.UnsafeFileError as exc:
        raise WorkbookFileError(f"cannot save {target}: it {exc.strerror}") from None
    except OSError as exc:  # a name too long for the file system ...
        raise WorkbookFileError(f"cannot save {fileio.printable(target)}: {_os_reason(exc)}") from None
    except ValueError as exc:  # a NUL character in the path
        raise WorkbookFileError(f"cannot save {fileio.printable(target)}: {_one_line(exc)}") from None
    directory = os.path.dirname(target)
    if not os.path.isdir(directory):
        raise WorkbookFileError(f"cannot save {target}: the directory {directory} does not exist")
    try:
        mode = os.stat(target).st_mode
    except OSError:
        return target  # nothing there yet
    # the file is replaced, not written to: without this check a file its owner made read-only (or one the user
    # may not write) would be replaced as long as its folder is writable
    if not mode & 0o222 or not os.access(target, os.W_OK):
        raise WorkbookFileError(f"cannot save {target}: the file is read-only; the previous file is unchanged")
    return target


def _to_openpyxl(wb: Workbook) -> tuple[Any, dict[str, set[str]]]:
    """Build the openpyxl workbook; raises WorkbookFileError naming the cell that cannot be written. Also returns
    the cells holding dynamic-array formulas, per sheet, which the file's cell metadata must mark."""
    import openpyxl

    dynamic: dict[str, set[str]] = {}
    xl = openpyxl.Workbook()
    xl.remove(xl.active)
    styles = _StyleCache()
    formats: dict[int, list[tuple[int, int, CellFormat]]] = {}
    for key, fmt in wb._formats.items():  # formatted cells, empty ones included (cells() lists non-empty ones)
        sid, row, col = split_key(key)
        formats.setdefault(sid, []).append((row, col, fmt))
    for name in wb.sheet_names:
        refuse_unwritable(name, f"cannot save the sheet {fileio.printable(quote_sheet_name(name))}: its name")
        ws = xl.create_sheet(title=name)
        sid = wb._sheet_ids[name.upper()]
        address = ""
        try:
            for address, content in wb.cells(name):
                cell = wb._formulas.get(make_key(sid, *_row_col(address)))
                if cell is not None:
                    refuse_unwritable(cell.text, "its formula")
                    if _write_formula(ws, address, cell, wb):
                        dynamic.setdefault(name, set()).add(address)
                    continue
                _write_cell(ws[address], content)
            for row, col, fmt in formats.get(sid, ()):
                address = cell_name(row, col)
                styles.apply(ws.cell(row=row + 1, column=col + 1), fmt)
        except Exception as exc:
            raise WorkbookFileError(f"cannot save cell {quote_sheet_name(name)}!{address}: {_one_line(exc)}") from None
        for (width_sid, col), width in sorted(wb._col_widths.items()):
            if width_sid == sid:
                dimension = ws.column_dimensions[column_letters(col)]
                dimension.width = width
                if width == 0:
                    dimension.hidden = True
        for (row_sid, row), _ in sorted(wb._row_states.items()):  # filtered rows too: their criteria are not kept
            if row_sid == sid:
                ws.row_dimensions[row + 1].hidden = True
    from sheetrl.sheet.xlsx_names import write_names, write_tables

    for table in wb.tables:
        if table.header_row:  # Excel requires a table's header cells to be text equal to its column names
            ws = xl[wb._sheet_names[table.sheet]]
            for offset, name in enumerate(table.columns):
                header = ws.cell(row=table.row1 + 1, column=table.col1 + offset + 1)
                if header.value != name:
                    header.value = _escape_text(name)
                header.data_type = "s"
    write_names(wb, xl)
    write_tables(wb, xl)
    if wb.character_set != character_sets.WINDOWS:  # Excel ignores it; this engine reads it back
        from openpyxl.packaging.custom import StringProperty

        xl.custom_doc_props.append(StringProperty(name=CHARACTER_SET_PROPERTY, value=wb.character_set))
    if wb.date1904:
        from openpyxl.utils.datetime import CALENDAR_MAC_1904

        xl.epoch = CALENDAR_MAC_1904  # written as workbookPr date1904="1"; cells hold serials, not converted
    xl.calculation.fullCalcOnLoad = True  # no cached results are written: recalculate on open
    if wb.iterative_calculation is not None:
        xl.calculation.iterate = True
        xl.calculation.iterateCount = wb.iterative_calculation.max_iterations
        xl.calculation.iterateDelta = wb.iterative_calculation.max_change
    return xl, dynamic


def refuse_unwritable(text: str, what: str) -> None:
    """Raise WorkbookFileError, its message starting with ``what``, when ``text`` holds a character an .xlsx file
    cannot store there (a control character, a lone surrogate, U+FFFE or U+FFFF), rather than write a file no
    reader can open."""
    found = _NOT_XML.search(text)
    if found is not None:
        raise WorkbookFileError(f"{what} holds U+{ord(found.group()):04X}, which an .xlsx file cannot store")


def _row_col(address: str) -> tuple[int, int]:
    rng = parse_range(address)
    return rng.row1, rng.col1


def _write_formula(ws: Any, address: str, cell: Any, wb: Workbook) -> bool:
    """Write a formula cell the way Excel does; True when it is a dynamic-array formula (to be marked)."""
    from openpyxl.worksheet.formula import ArrayFormula

    node = cell.node
    if cell.array is not None and is_data_table_formula(node):
        _write_data_table(ws, address, cell, wb)
        return False
    names = _defined_names(wb) if _takes_lambdas(node) else frozenset()
    if cell.array is not None:
        rows, cols = cell.array
        ws[address] = ArrayFormula(_span(address, rows, cols), "=" + file_formula(node, names, cell.text))
        return False
    # a formula whose result is an array (it spills, or would) is a dynamic array whatever its text: written plain,
    # Excel would read =week() (a LAMBDA's name) as =@week() and show one value
    if cell.key not in wb._spills and is_legacy_compatible(node, _range_names(wb)):
        ws[address] = "=" + file_formula(without_intersections(node), names, cell.text)
        return False
    spill = wb.spill_range(f"{quote_sheet_name(wb._sheet_names[cell.key >> 34])}!{address}")
    ws[address] = ArrayFormula(spill or address, "=" + file_formula(node, names, cell.text))
    return True


def _write_data_table(ws: Any, address: str, cell: Any, wb: Workbook) -> None:
    """A data table as Excel writes it: ``<f t="dataTable" ref=… dt2D dtr r1 r2 del1 del2/>`` on the first cell of
    its interior and the current values in the others (the file keeps no formula for them)."""
    from openpyxl.worksheet.formula import DataTableFormula

    rows, cols = cell.array
    row_input, column_input = cell.node.args
    attributes: dict[str, Any] = {}
    present = [(argument, index) for index, argument in enumerate((row_input, column_input))
               if not isinstance(argument, Missing)]
    if len(present) == 2:  # two variables: r1 is the row input, r2 the column input (Excel also sets dtr)
        attributes.update(dt2D=True, dtr=True)
    else:
        attributes["dtr"] = present[0][1] == 0
    for number, (argument, _) in enumerate(present, start=1):
        if isinstance(argument, CellRef):
            attributes[f"r{number}"] = cell_name(argument.row, argument.col)
        else:  # a deleted input cell (#REF!): Excel keeps an address beside the flag
            attributes[f"r{number}"] = address
            attributes[f"del{number}"] = True
    ws[address] = DataTableFormula(_span(address, rows, cols), **attributes)
    sid, top, left = split_key(cell.key)
    for row in range(top, top + rows):
        for col in range(left, left + cols):
            if (row, col) != (top, left):
                value = wb._values.get(make_key(sid, row, col))
                if value is not None:
                    _write_cell(ws.cell(row=row + 1, column=col + 1), value)


def _takes_lambdas(node: Node) -> bool:
    """Whether a formula calls a function with a LAMBDA argument (where a function's name may stand for one)."""
    return any(isinstance(item, Call) and item.name in LAMBDA_ARGUMENTS for item in walk(node))


def _defined_names(wb: Workbook) -> frozenset[str]:
    """Upper-case names of the workbook's defined names and tables (a bare name in a formula reads them first)."""
    return frozenset(entry.name.upper() for entry in wb._names.values()) | frozenset(
        table.name.upper() for table in wb.tables
    )


def _range_names(wb: Workbook) -> frozenset[str]:
    """Upper-case defined names that may stand for more than one cell or value (a plain formula intersects them,
    as it does the ranges they name; a name for an array constant gives its first value there)."""
    names = set()
    for entry in wb._names.values():
        node = entry.node
        while isinstance(node, Paren):
            node = node.inner
        if (isinstance(node, RangeRef) and (node.row1, node.col1) != (node.row2, node.col2)) \
                or isinstance(node, (RangeOp, Union, StructuredRef)) \
                or (isinstance(node, ArrayLiteral) and len(node.rows) * len(node.rows[0]) > 1) \
                or (isinstance(node, Call) and node.name in REFERENCE_RESULTS):
            names.add(entry.name.upper())
    return frozenset(names)


def _span(address: str, rows: int, cols: int) -> str:
    row, col = _row_col(address)
    return address if rows * cols == 1 else f"{address}:{cell_name(row + rows - 1, col + cols - 1)}"


def file_formula(node: Node, defined_names: frozenset[str] = frozenset(), entered: str | None = None) -> str:
    """Formula text (without '=') as a file stores it: ``@x`` as ``_xlfn.SINGLE(x)``, ``A1#`` as
    ``_xlfn.ANCHORARRAY(A1)``, newer functions with their ``_xlfn.`` prefix, LET/LAMBDA names with ``_xlpm.``, a
    function's name given as a LAMBDA with ``_xleta.`` (``BYROW(A1:C3,_xleta.SUM)``) unless it is one of the
    ``defined_names`` (upper case), which the formula reads instead. ``entered`` (with its '='): the formula's
    text as entered or loaded, written instead where it differs from that only in whitespace (the spaces and line
    breaks that Excel keeps in a formula)."""
    local = _local_names(node)
    text = "=" + render(_as_stored(node, local | defined_names))
    if entered is not None and entered != text and _differs_in_whitespace(entered, text, node):
        text = entered
    return add_function_prefixes(text, local)[1:]


def _differs_in_whitespace(entered: str, rendered: str, node: Node) -> bool:
    """Whether formula text as entered differs from ``rendered`` (``node`` as written) only in the whitespace
    between tokens: the same characters besides whitespace and the same tree (the tree holds the text of strings,
    sheet and column names, which may hold spaces), or, when the entered text's tree is not at hand, the same
    tokens."""
    if "".join(entered.split()) != "".join(rendered.split()):
        return False
    if is_parsed(entered):
        return parse(entered) == node
    try:
        return [(t.kind, t.text) for t in tokenize(entered)] == [(t.kind, t.text) for t in tokenize(rendered)]
    except FormulaSyntaxError:
        return False


def _as_stored(node: Node, names: frozenset[str] = frozenset()) -> Node:
    """The tree with the operators files spell as functions replaced by those functions, and the function names
    given as LAMBDAs marked with ``_xleta.`` (except ``names``: bound by LET/LAMBDA, or defined)."""
    if isinstance(node, ImplicitIntersection):
        operand = node.operand.inner if isinstance(node.operand, Paren) else node.operand
        return Call("SINGLE", (_as_stored(operand, names),))
    if isinstance(node, SpillRef):
        return Call("ANCHORARRAY", (node.anchor,))
    if isinstance(node, Call) and node.name in LAMBDA_ARGUMENTS:
        node = _function_lambdas_marked(node, names)
    return map_operands(node, lambda operand: _as_stored(operand, names))


def mark_function_lambdas(node: Node, names: frozenset[str] = frozenset()) -> Node:
    """The tree with every function name given as a LAMBDA (``SUM`` in ``BYROW(A1:C3,SUM)``) written
    ``_xleta.SUM``, as files store it; ``names`` (upper case: LET/LAMBDA or defined names) are left as they are."""
    if isinstance(node, Call) and node.name in LAMBDA_ARGUMENTS:
        node = _function_lambdas_marked(node, names)
    return map_operands(node, lambda operand: mark_function_lambdas(operand, names))


def _function_lambdas_marked(node: Call, names: frozenset[str]) -> Call:
    takes_lambda = LAMBDA_ARGUMENTS[node.name]
    count = len(node.args)
    marked = False
    args = list(node.args)
    for i, arg in enumerate(args):
        if (
            takes_lambda(i, count) and isinstance(arg, Name) and arg.sheet is None
            and arg.name.upper() in FUNCTIONS and arg.name.upper() not in names
        ):
            args[i] = Name(ETA_PREFIX.lower() + arg.name.upper())
            marked = True
    return Call(node.name, tuple(args)) if marked else node


def _local_names(node: Node) -> frozenset[str]:
    """Upper-case names that LET and LAMBDA bind anywhere in a formula."""
    names: set[str] = set()
    for item in walk(node):
        if isinstance(item, Call) and item.name in ("LET", "LAMBDA") and item.args:
            bound = item.args[:-1:2] if item.name == "LET" else item.args[:-1]
            names.update(b.name.upper().removeprefix(OPTIONAL_PREFIX) for b in bound if isinstance(b, Name))
    return frozenset(names)


def _write_cell(cell: Any, content: Any) -> None:
    """Write a literal (formulas are written by ``_write_formula``): text is text even when it starts with '='."""
    t = type(content)
    if t is float:
        if content.is_integer() and abs(content) < 2**53:
            cell.value = int(content)
        elif float(f"{content:.16g}") == content:
            cell.value = content
        else:
            # openpyxl writes 16 significant digits; this float needs 17 (0.1+0.2), as Excel writes them
            cell.value = repr(content)
            cell.data_type = "n"
    elif t is str:
        text = _escape_text(content)
        if text and len(text) <= MAX_TEXT:
            cell.value = text
        else:
            # openpyxl writes "" as a cell without a value (which reads back as blank) and cuts text after 32,767
            # characters, which escaped text may pass (MAX_TEXT counts the characters it stands for): one run
            from openpyxl.cell.rich_text import CellRichText

            cell.value = CellRichText([text])
        cell.data_type = "s"  # text such as "#N/A" stays text
    elif t is ExcelError:
        cell.value = content.code if content.code in _OPENPYXL_ERRORS else "#VALUE!"
        cell.data_type = "e"
    else:
        cell.value = content


def add_function_prefixes(formula: str, local_names: frozenset[str] = frozenset()) -> str:
    """Formula text as stored in a file: known function names in upper case, post-2007 functions with ``_xlfn.``
    (FILTER and SORT with ``_xlfn._xlws.``), the ``local_names`` (bound by LET/LAMBDA) with ``_xlpm.``;
    everything else is left as written."""
    try:
        tokens = tokenize(formula)
    except FormulaSyntaxError:
        return formula
    parts: list[str] = []
    last = 0
    for token in tokens:
        if token.kind == "NAME" or (token.kind == "FUNC" and token.text.upper() in local_names):
            if token.text.upper() in local_names:
                parts.append(formula[last : token.position])
                parts.append("_xlpm." + token.text)
                last = token.position + len(token.text)
            continue
        if token.kind != "FUNC":
            continue
        name = token.text.upper()
        prefix = ""
        for known in _FUNCTION_PREFIXES:
            if name.startswith(known):
                prefix, name = known.lower(), name[len(known) :]
                break
        if name in _WORKSHEET_FUNCTIONS:
            prefix = "_xlfn._xlws."
        elif name in _FUTURE_FUNCTIONS:
            prefix = "_xlfn."
        elif not prefix and name not in FUNCTIONS:
            continue  # a defined name called as a LAMBDA (or an unknown function) keeps its case, as in Excel
        name = prefix + name
        if name == token.text:
            continue
        parts.append(formula[last : token.position])
        parts.append(name)
        last = token.position + len(token.text)
    if not parts:
        return formula
    parts.append(formula[last:])
    return "".join(parts)


def strip_function_prefixes(formula: str) -> str:
    """Formula text from a file without the ``_xlfn.``/``_xlws.`` function and ``_xlpm.`` parameter prefixes, and
    without the ``_xleta.`` of a function name given as a LAMBDA where a bare name reads the same (the whole LAMBDA
    argument of BYROW, GROUPBY ...: ``BYROW(A1:C3,SUM)``; elsewhere, ``TYPE(_xleta.SUM)``, the bare name would be
    an ordinary name, and LOG10 would be a cell)."""
    if "_xl" not in formula and "_XL" not in formula:
        return formula
    try:
        # Excel's limit is on the text without prefixes; each prefix (at most 12 characters) comes with a name
        tokens = tokenize(formula, max_length=MAX_FORMULA_LENGTH * 13)
    except FormulaSyntaxError:
        return formula
    functions_as_lambdas = _lambda_arguments(tokens) if "_xleta." in formula.lower() else set()
    parts: list[str] = []
    last = 0
    for index, token in enumerate(tokens):
        upper = token.text.upper()
        cut = 0
        if token.kind == "FUNC":
            for prefix in _FUNCTION_PREFIXES:
                if upper.startswith(prefix):
                    cut = len(prefix)
                    break
        elif token.kind == "NAME" and upper.startswith("_XLPM."):
            cut = len("_xlpm.")
        elif index in functions_as_lambdas:
            cut = len(ETA_PREFIX)
        if cut:
            parts.append(formula[last : token.position])
            last = token.position + cut
    if not parts:
        return formula
    parts.append(formula[last:])
    return "".join(parts)


def _lambda_arguments(tokens: list[Any]) -> set[int]:
    """Indexes of the ``_xleta.NAME`` tokens that are alone a whole LAMBDA argument (:data:`LAMBDA_ARGUMENTS`) and
    whose bare name is read as a name."""
    found: set[int] = set()
    # per open bracket: [function or None, argument index, first token of the argument, (argument, token) found]
    stack: list[list[Any]] = []
    for index, token in enumerate(tokens):
        kind = token.kind
        if kind == "LPAREN" or kind == "LBRACE":
            function = None
            if kind == "LPAREN" and index and tokens[index - 1].kind == "FUNC":
                function = tokens[index - 1].text.upper()
                for prefix in _FUNCTION_PREFIXES:
                    function = function.removeprefix(prefix)
            stack.append([function if function in LAMBDA_ARGUMENTS else None, 0, index + 1, []])
            continue
        if not stack or kind not in ("COMMA", "SEMI", "RPAREN", "RBRACE"):
            continue
        frame = stack[-1]
        if frame[0] is not None and index == frame[2] + 1:
            only = tokens[frame[2]]
            if only.kind == "NAME" and only.text.upper().startswith(ETA_PREFIX):
                frame[3].append((frame[1], frame[2]))
        if kind == "COMMA" or kind == "SEMI":
            frame[1] += 1
            frame[2] = index + 1
            continue
        stack.pop()
        if frame[0] is not None:
            takes_lambda = LAMBDA_ARGUMENTS[frame[0]]
            for argument, position in frame[3]:
                if takes_lambda(argument, frame[1] + 1) and _reads_as_name(tokens[position].text[len(ETA_PREFIX) :]):
                    found.add(position)
    return found


def _reads_as_name(text: str) -> bool:
    try:
        tokens = tokenize(text)
    except FormulaSyntaxError:
        return False
    return len(tokens) == 1 and tokens[0].kind == "NAME"


def _escape_text(text: str) -> str:
    if "_x" not in text and not _CONTROL_CHARS.search(text):
        return text
    return _CONTROL_CHARS.sub(lambda m: f"_x{ord(m.group(0)):04X}_", protect_escape_lookalikes(text))


def protect_escape_lookalikes(text: str) -> str:
    """``text`` with every literal ``_xHHHH_`` written ``_x005F_xHHHH_``, so that a reader that decodes the
    ``_xHHHH_`` escapes gives the literal back (overlapping ones too, and an ``_xHHHH`` that the escape of the
    character after it would complete)."""
    return _ESCAPE_LOOKALIKE.sub("_x005F_", text)


class _StyleCache:
    """openpyxl style objects per CellFormat (building them is the slow part of writing formats)."""

    def __init__(self) -> None:
        self._cache: dict[CellFormat, dict[str, Any]] = {}

    def apply(self, cell: Any, fmt: CellFormat) -> None:
        parts = self._cache.get(fmt)
        if parts is None:
            parts = self._cache[fmt] = self._build(fmt)
        for attr, value in parts.items():
            setattr(cell, attr, value)

    @staticmethod
    def _build(fmt: CellFormat) -> dict[str, Any]:
        from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

        parts: dict[str, Any] = {}
        if fmt.bold or fmt.italic or fmt.underline or fmt.font_color:
            parts["font"] = Font(
                name="Calibri", size=11, bold=fmt.bold, italic=fmt.italic,
                underline="single" if fmt.underline else None,
                color=("FF" + fmt.font_color.upper()) if fmt.font_color else None,
            )
        if fmt.fill_color:
            colour = "FF" + fmt.fill_color.upper()
            parts["fill"] = PatternFill(fill_type="solid", fgColor=colour, bgColor=colour)
        if fmt.horizontal != "general":
            parts["alignment"] = Alignment(horizontal=fmt.horizontal)
        if any(getattr(fmt, attr) != "none" for attr, _ in _BORDER_SIDES):
            parts["border"] = Border(**{
                side: Side(style=None if getattr(fmt, attr) == "none" else getattr(fmt, attr))
                for attr, side in _BORDER_SIDES
            })
        if fmt.number_format != "General":
            parts["number_format"] = fmt.number_format
        return parts


# ================================================================================================= loading
def load_workbook(
    path: str | os.PathLike[str], max_cells: int = DEFAULT_MAX_CELLS, max_bytes: int = DEFAULT_MAX_BYTES
) -> Workbook:
    """Read an .xlsx file into a new Workbook; what could not be represented is listed in ``wb.warnings``."""
    if not isinstance(max_cells, int) or max_cells < 1 or not isinstance(max_bytes, int) or max_bytes < 1:
        raise WorkbookFileError(f"max_cells and max_bytes must be positive integers, not {max_cells!r}, {max_bytes!r}")
    source = _source_path(path)
    name = os.fspath(path)
    # Loading allocates a few objects per cell and none of them is garbage yet; the cyclic collector, run every
    # 700 allocations, would walk the growing heap again and again (40% of the time on a 10,000-cell model).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _load(source, name, max_cells, max_bytes)
    finally:
        if collecting:
            gc.enable()


def _load(source: str, name: str, max_cells: int, max_bytes: int) -> Workbook:
    try:
        with fileio.open_input(source) as handle:
            _check_signature(handle, name, max_bytes)
            archive = _open_zip(handle, name)
            with archive:
                members = _check_zip(archive, name, max_bytes)
                package, sheets, slim_parts = _read_package(archive, name, members, max_cells)
                xl, notes = _read_metadata(archive, slim_parts, package, name)
                dynamic = dynamic_array_cells(archive)
            loader = _Loader(xl, name, members, package, sheets, dynamic)
            loader.notes.extend(notes)
            return loader.run()
    except WorkbookFileError:
        raise
    except fileio.UnsafeFileError as exc:
        raise WorkbookFileError(f"{name} {exc.strerror}") from None
    except OSError as exc:
        raise WorkbookFileError(f"cannot read {name}: {_os_reason(exc)}") from None
    except MemoryError:
        raise WorkbookFileError(f"{name} is too large to load into memory") from None
    except Exception as exc:  # a file shape the loader does not expect: still one clear error
        raise WorkbookFileError(f"{name} could not be loaded: {_one_line(exc)}") from exc


def _source_path(path: Any) -> str:
    try:
        source = os.path.abspath(os.fspath(path))
    except TypeError:
        raise WorkbookFileError(f"a file path must be a string or path, not {type(path).__name__}") from None
    if not os.path.exists(source):
        raise WorkbookFileError(f"cannot read {os.fspath(path)}: no such file")
    if os.path.isdir(source):
        raise WorkbookFileError(f"cannot read {os.fspath(path)}: it is a directory, not an .xlsx file")
    return source


def _check_signature(handle: Any, name: str, max_bytes: int) -> None:
    head = handle.read(8)
    if head.startswith(_OLE2_SIGNATURE):
        raise WorkbookFileError(
            f"{name} is encrypted or an old .xls file (an OLE2 compound document, not an .xlsx zip);"
            " remove the password or save it as .xlsx"
        )
    if not head:
        raise WorkbookFileError(f"{name} is empty (0 bytes), not an .xlsx file")
    if not head.startswith(_ZIP_SIGNATURE):
        raise WorkbookFileError(f"{name} is not an .xlsx file (it does not start with a zip signature)")
    size = os.fstat(handle.fileno()).st_size
    if size > max_bytes:
        raise WorkbookFileError(f"{name} is {_mb(size)}, larger than the limit of {_mb(max_bytes)}")


def _open_zip(handle: Any, name: str) -> zipfile.ZipFile:
    handle.seek(0)
    try:
        return zipfile.ZipFile(handle)
    except (zipfile.BadZipFile, EOFError, ValueError, NotImplementedError) as exc:
        raise WorkbookFileError(f"{name} is a corrupt or truncated zip archive ({_one_line(exc)})") from None


def _check_zip(archive: zipfile.ZipFile, name: str, max_bytes: int) -> set[str]:
    """Validate the zip directory before anything is decompressed; returns the member names."""
    infos = archive.infolist()
    if any(info.flag_bits & 0x1 for info in infos):
        raise WorkbookFileError(f"{name} is a password-protected zip archive")
    total = sum(info.file_size for info in infos)
    if total > max_bytes:
        raise WorkbookFileError(
            f"{name} would expand to {_mb(total)} (compressed {_mb(sum(i.compress_size for i in infos))}),"
            f" more than the limit of {_mb(max_bytes)}; refusing to open it"
        )
    members = {info.filename for info in infos}
    if "[Content_Types].xml" not in members:
        raise WorkbookFileError(f"{name} is a zip archive but not an .xlsx file (no [Content_Types].xml)")
    try:
        _worksheet_parts(archive, name, members)
    except (zipfile.BadZipFile, EOFError, OSError, ValueError, NotImplementedError, zlib.error) as exc:
        if isinstance(exc, WorkbookFileError):
            raise
        raise WorkbookFileError(f"{name} is a corrupt zip archive ({_one_line(exc)})") from None
    return members


def _read_package(
    archive: zipfile.ZipFile, name: str, members: set[str], max_cells: int
) -> tuple[xlsx_reader.Package, list[xlsx_reader.SheetCells], dict[str, bytes | None]]:
    """The sheet list, every worksheet's cells, and the parts to replace for openpyxl (those cells taken out).

    Cells are counted against ``max_cells`` sheet by sheet, before they are read.
    """
    try:
        package = xlsx_reader.read_package(archive)
        if not package.worksheets:
            raise WorkbookFileError(_no_worksheets(name, package.chartsheets))
        shared: list[str] = []
        slim_parts: dict[str, bytes | None] = dict.fromkeys(_declared_missing_strings(archive, members),
                                                            xlsx_reader.empty_shared_strings())
        if package.shared_strings_part is not None:
            part = package.shared_strings_part
            shared = xlsx_reader.read_shared_strings(archive.read(part), part)
            slim_parts[part] = xlsx_reader.empty_shared_strings()
        sheets: list[xlsx_reader.SheetCells] = []
        cells = 0
        for sheet in package.worksheets:
            data = xlsx_reader.well_formed_utf8(archive.read(sheet.part), sheet.part)
            head, body, tail, prefix = xlsx_reader.split_sheet_data(data)
            cells += _count_cells(body, prefix)
            if cells > max_cells:
                raise WorkbookFileError(
                    f"{name} holds more than {max_cells:,} cells, the limit (max_cells={max_cells:,})"
                )
            contents = xlsx_reader.scan_cells(body, prefix, shared, package.rich_errors)
            slim_parts[sheet.part], contents.merged = xlsx_reader.slim_sheet(head, tail, prefix)
            sheets.append(contents)
        return package, sheets, slim_parts
    except xlsx_reader.PackageError as exc:
        raise WorkbookFileError(f"{name} could not be read as an .xlsx workbook: {exc}") from None
    except (zipfile.BadZipFile, EOFError, OSError, NotImplementedError, zlib.error) as exc:
        raise WorkbookFileError(f"{name} is a corrupt zip archive ({_one_line(exc)})") from None


def _count_cells(body: bytes, prefix: str) -> int:
    """Number of <c> elements in a <sheetData> element's content."""
    tag = b"<" + prefix.encode() + b"c"
    count = body.count(tag + b" ") + body.count(tag + b">") + body.count(tag + b"/")
    if b"\t" in body or b"\n" in body or b"\r" in body:  # cells whose attributes follow another white space
        count += sum(body.count(tag + space) for space in (b"\t", b"\n", b"\r"))
    return count


def _no_worksheets(name: str, chartsheets: list[str]) -> str:
    if chartsheets:
        listed = ", ".join(repr(title) for title in chartsheets[:5])
        return (f"{name} has no worksheets, only chart sheets ({listed}); a chart sheet holds a chart, not cells,"
                " so there is nothing to load")
    return f"{name} has no worksheets"


def _worksheet_parts(archive: zipfile.ZipFile, name: str, members: set[str]) -> list[str]:
    """Worksheet part names from [Content_Types].xml; raises WorkbookFileError when the zip holds no workbook."""
    try:
        types = ElementTree.fromstring(archive.read("[Content_Types].xml"))
    except (ElementTree.ParseError, LookupError, ValueError) as exc:
        raise WorkbookFileError(f"{name} has a corrupt [Content_Types].xml ({_one_line(exc)})") from None
    content_types = [
        (element.get("PartName") or "", element.get("ContentType") or "") for element in types.iter()
        if element.tag.endswith("Override")
    ]
    kinds = " ".join(kind for _, kind in content_types)
    if "sheet.binary" in kinds:
        raise WorkbookFileError(f"{name} is a binary .xlsb workbook, which is not supported; save it as .xlsx")
    if "spreadsheetml.sheet.main" not in kinds and "spreadsheetml.template.main" not in kinds \
            and "ms-excel.sheet.macroEnabled.main" not in kinds and "ms-excel.template.macroEnabled.main" not in kinds:
        raise WorkbookFileError(f"{name} is a zip archive but not an .xlsx workbook (it declares no workbook part)")
    parts = [part.lstrip("/") for part, kind in content_types if kind.endswith("spreadsheetml.worksheet+xml")]
    parts = [part for part in parts if part in members]
    if not parts:
        parts = sorted(m for m in members if m.startswith("xl/worksheets/") and m.endswith(".xml"))
    if not parts and not any(kind.endswith("spreadsheetml.chartsheet+xml") for _, kind in content_types):
        raise WorkbookFileError(f"{name} has no worksheets")
    return parts  # chart sheets only: read_package names them in the error


def _declared_missing_strings(archive: zipfile.ZipFile, members: set[str]) -> list[str]:
    """Shared string parts [Content_Types].xml declares but the zip lacks (openpyxl fails on them; Excel does not)."""
    try:
        types = ElementTree.fromstring(archive.read("[Content_Types].xml"))
    except (ElementTree.ParseError, LookupError, ValueError):
        return []
    return [
        part for element in types.iter() if element.tag.endswith("Override")
        and (element.get("ContentType") or "").endswith("sharedStrings+xml")
        and (part := (element.get("PartName") or "").lstrip("/")) and part not in members
    ]


def _read_metadata(
    archive: zipfile.ZipFile, slim_parts: dict[str, bytes | None], package: xlsx_reader.Package, name: str
) -> tuple[Any, list[str]]:
    """openpyxl's view of everything but the cells, from the package with its cells taken out.

    When openpyxl cannot read what surrounds the cells (it is stricter than Excel about conditional formats,
    pivot tables and more), the cells are still worth loading: the worksheets are read again without their pivot
    tables, then without their other content (column widths, merged cells, comments, tables ...), then also
    without the stylesheet; a note says what was left out. The first error is reported when even that fails.
    """
    bare: dict[str, bytes | None] = dict(slim_parts)
    try:
        bare[package.workbook_part] = xlsx_reader.without_pivot_caches(archive.read(package.workbook_part))
    except (KeyError, zipfile.BadZipFile, zlib.error, OSError):
        pass
    no_pivots = dict(bare)  # every sheet feature but pivot tables (tables matter to formulas)
    for sheet in package.worksheets:
        folder, _, base = sheet.part.rpartition("/")
        rels = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
        try:
            no_pivots[rels] = xlsx_reader.without_pivot_tables(archive.read(rels))
        except (KeyError, zipfile.BadZipFile, zlib.error, OSError):
            pass
    for sheet in package.worksheets:
        bare[sheet.part] = _BARE_WORKSHEET
        folder, _, base = sheet.part.rpartition("/")
        bare[f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"] = None
    attempts: list[tuple[dict[str, bytes | None], str]] = [
        (slim_parts, ""),
        (no_pivots, "pivot tables"),
        (bare, ("column widths, merged cells, comments, hyperlinks, tables, pivot tables and the other sheet"
                " features")),
        ({**bare, "xl/styles.xml": None}, "the sheet features and the cell formats"),
    ]
    first_error: WorkbookFileError | None = None
    for parts, left_out in attempts:
        try:
            xl, notes = _openpyxl_load(xlsx_reader.slim_package(archive, parts), name, data_only=False)
        except WorkbookFileError as exc:
            first_error = first_error or exc
            continue
        if first_error is not None:
            notes.append(f"while reading: {_one_line(first_error).split(': ', 1)[-1]}; loaded without {left_out}")
        return xl, notes
    assert first_error is not None
    raise first_error


def _openpyxl_load(handle: Any, name: str, data_only: bool) -> tuple[Any, list[str]]:
    """openpyxl.load_workbook with every exception and warning turned into our terms."""
    import openpyxl

    handle.seek(0)
    with _warnings.catch_warnings(record=True) as caught:
        _warnings.simplefilter("always")
        try:
            xl = openpyxl.load_workbook(handle, data_only=data_only, keep_links=False, rich_text=False)
        except MemoryError:
            raise WorkbookFileError(f"{name} is too large to load into memory") from None
        except Exception as exc:
            cause = exc.__cause__ or exc.__context__
            detail = _one_line(cause if isinstance(exc, ValueError) and cause is not None else exc)
            raise WorkbookFileError(f"{name} could not be read as an .xlsx workbook: {detail}") from None
    notes = []
    for item in caught:
        message = " ".join(str(item.message).split())[:300]
        if "no default style" in message:
            continue
        notes.append(f"while reading: {message}")
    return xl, notes


class _Warnings:
    """One-line warnings, at most WARNINGS_PER_KIND per kind, then a count."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.counts: Counter[str] = Counter()

    def add(self, kind: str, line: str) -> None:
        self.counts[kind] += 1
        if self.counts[kind] <= WARNINGS_PER_KIND:
            self.lines.append(line)

    def finish(self) -> list[str]:
        for kind, count in self.counts.items():
            if count > WARNINGS_PER_KIND:
                self.lines.append(f"... and {count - WARNINGS_PER_KIND:,} more warnings of this kind: {kind}")
        return self.lines


class _Sink:
    """Enters loaded cells into a new Workbook without recalculating; the caller recalculates once at the end.

    Entering cells one by one through ``Workbook.set`` recalculates the dependents of every cell as it is entered,
    which is quadratic when a formula reading many cells comes first (a total above its column, a summary sheet
    before its data sheet: 5,000 such cells took minutes). The Workbook has no public bulk-load call, so this uses
    the hooks its own structural edits use (``_install_formula``, ``_touch_extent``, ``_write_format``), and falls
    back to the public API when they are missing.
    """

    _HOOKS = ("_install_formula", "_touch_extent", "_write_format", "_own", "_values", "_sheet_ids", "_formulas")

    def __init__(self, wb: Workbook) -> None:
        self.wb = wb
        self.bulk = all(hasattr(wb, hook) for hook in self._HOOKS)
        self.sheet_ids: dict[str, int] = {}

    def _key(self, title: str, row: int, col: int) -> int:
        sid = self.sheet_ids.get(title)
        if sid is None:
            sid = self.sheet_ids[title] = self.wb._sheet_ids[title.upper()]
        return make_key(sid, row, col)

    def literals(self, title: str, cells: list[tuple[int, int, Any]]) -> list[tuple[int, int, Any, str]]:
        """Enter (row, col, value) cells of one sheet; returns those a cell cannot hold, each with the reason."""
        from sheetrl.sheet.workbook import _normalize_literal

        rejected: list[tuple[int, int, Any, str]] = []
        if not self.bulk:
            for row, col, value in cells:
                address = f"{quote_sheet_name(title)}!{cell_name(row, col)}"
                try:
                    if type(value) is str:
                        self.wb.set_text(address, value)  # text in the file stays text, '=' or not
                    else:
                        self.wb.set(address, value)
                except (SheetError, TypeError, ValueError) as exc:
                    rejected.append((row, col, value, _one_line(exc)))
            return rejected
        if not cells:
            return rejected
        sid = self.wb._sheet_ids[title.upper()]
        self.wb._own("_values")
        values = self.wb._values
        last_row = last_col = -1
        for row, col, value in cells:
            t = type(value)
            if t is not float or value - value != 0.0:  # not a finite float: the general checks
                try:
                    value = _normalize_literal(value, self.wb.date1904)
                except (SheetError, TypeError, ValueError) as exc:
                    rejected.append((row, col, value, _one_line(exc)))
                    continue
                if value is None:
                    continue
            values[make_key(sid, row, col)] = value
            last_row = max(last_row, row)
            last_col = max(last_col, col)
        if last_row >= 0:
            self.wb._touch_extent(make_key(sid, last_row, last_col))
        return rejected

    def formula(
        self, title: str, row: int, col: int, node: Any, text: str | None, array: tuple[int, int] | None = None,
        template: FormulaTemplate | None = None,
    ) -> FormulaTemplate | None:
        """Enter a parsed formula (``text``: as the cell shows it; None: rendered from the tree), over ``array``
        rows x cols for a legacy array formula; ``template``: that of a formula whose tree moved here is ``node``.
        Returns the entered formula's template (what compiles it at another cell), if it has one.

        Raises SheetError when it cannot be compiled.
        """
        if not self.bulk:
            address = f"{quote_sheet_name(title)}!{cell_name(row, col)}"
            if array is not None:
                last = cell_name(row + array[0] - 1, col + array[1] - 1)
                self.wb.set_array_formula(f"{address}:{last}", text or "=" + render(node))
            else:
                self.wb.set(address, text or "=" + render(node))
            return None
        return self.wb._install_formula(self._key(title, row, col), node, array, text=text, template=template).template

    def format(self, title: str, row: int, col: int, fmt: CellFormat, changes: dict[str, Any]) -> None:
        if not self.bulk:
            self.wb.set_format(f"{quote_sheet_name(title)}!{cell_name(row, col)}", **changes)
            return
        self.wb._write_format(self._key(title, row, col), fmt)


# One formula cell on its way into the workbook: (title, row, col, formula text with '=', None, kind), or for a
# follower of a shared formula (title, row, col, "", ((anchor row, anchor col, anchor text), cached value), _PLAIN).
# The kind is _PLAIN (a plain formula: Excel implies @ where it would intersect), _DYNAMIC (a dynamic-array
# formula) or the (rows, cols) of a legacy array formula's range.
_PendingFormula = tuple[str, int, int, str, Any, Any]
_PLAIN, _DYNAMIC = "plain", "dynamic"


def _remember(cache: OrderedDict[Any, Any], key: Any, value: Any) -> None:
    """Keep ``value`` in one of the loader's per-process caches, forgetting the least recently used beyond
    :data:`_PARSED_TEXTS_SIZE` entries."""
    cache[key] = value
    if len(cache) > _PARSED_TEXTS_SIZE:
        cache.popitem(last=False)


@dataclass(frozen=True, slots=True)
class _Parsed:
    """A formula text's syntax tree, the text as the cell keeps it, and the functions in it the engine lacks."""

    tree: Any
    text: str
    unknown: tuple[str, ...]


# The formula texts parsed by earlier loads in this process, with what the loader made of them (a workbook loaded
# again, or files made from one template, parse nothing): keyed by the text, whether it is a plain formula, the
# range names it was converted against and the size of the function library (a function registered later changes
# what is unknown). Least recently used first.
_PARSED_TEXTS: OrderedDict[tuple[str, bool, frozenset[str], int], _Parsed] = OrderedDict()
_PARSED_TEXTS_SIZE = 20_000
# The templates of formula texts met in this process (compiler.FormulaTemplate.fixed_at: a text means the same cells
# wherever it is written), by the text and whether it is a plain formula: a text met again, in this load or a later
# one, is compiled from it. Only texts that name no sheet (a sheet's id belongs to one workbook). Least recently used
# first.
_TEXT_TEMPLATES: OrderedDict[tuple[str, bool], FormulaTemplate] = OrderedDict()


class _Loader:
    """Copies a workbook into a new Workbook: cells from the scanned sheet XML, everything else from openpyxl."""

    def __init__(
        self, xl: Any, name: str, members: set[str], package: xlsx_reader.Package,
        sheets: list[xlsx_reader.SheetCells], dynamic: dict[str, set[str]],
    ) -> None:
        self.xl = xl
        self.name = name
        self.members = members
        self.package = package
        self.sheet_cells = sheets
        self.notes: list[str] = []
        self.report = _Warnings()
        self.formats = _FormatReader(xl, self.report)
        self.date1904 = package.date1904  # workbookPr date1904
        self.cached: dict[tuple[str, int, int], Any] = {}  # (title, row, col) -> a formula's cached value
        self.dynamic = dynamic  # sheet title in the file -> cells marked as dynamic-array formulas
        # data tables to enter after the formulas: (title, row, col, TABLE node, interior shape, cached value)
        self.data_tables: list[tuple[str, int, int, Node, tuple[int, int], Any]] = []

    # ---------------------------------------------------------------------------------------------- driver
    def _iterative_calculation(self) -> IterativeCalculation | None:
        """The file's iterative-calculation settings (``calcPr iterate``, ``iterateCount``, ``iterateDelta``);
        None when iteration is off. Values outside Excel's limits are clamped, and reported."""
        calc = self.xl.calculation
        if calc is None or not calc.iterate:
            return None
        count = 100 if calc.iterateCount is None else int(calc.iterateCount)
        delta = 0.001 if calc.iterateDelta is None else float(calc.iterateDelta)
        usable_count = min(max(count, 1), MAX_ITERATIONS)
        usable_delta = delta if 0 <= delta < math.inf else 0.001
        if (usable_count, usable_delta) != (count, delta):
            self.report.add("calculation", f"iterative calculation with {count} iterations and a maximum change of "
                                           f"{delta} is outside Excel's limits; used {usable_count} and "
                                           f"{usable_delta}")
        return IterativeCalculation(usable_count, usable_delta)

    def _character_set(self) -> str:
        """CHAR's and CODE's character set: as saved by this engine (a custom document property), else that of the
        Excel that wrote the file (Excel for Mac: the Macintosh set)."""
        saved = self.package.custom_properties.get(CHARACTER_SET_PROPERTY)
        if saved in character_sets.CHARACTER_SETS:
            return saved
        return character_sets.from_application(self.package.application)

    def run(self) -> Workbook:
        sheets = self.xl.worksheets
        if not sheets:
            raise WorkbookFileError(_no_worksheets(self.name, [cs.title for cs in self.xl.chartsheets]))
        if len(sheets) != len(self.sheet_cells):
            raise WorkbookFileError(
                f"{self.name} could not be loaded: openpyxl reads {len(sheets)} worksheets, the workbook part lists"
                f" {len(self.sheet_cells)}"
            )
        titles = self._sheet_titles(sheets)
        wb = Workbook(titles, as_saved=True)
        wb.record_undo = False
        wb._date1904 = self.date1904  # before any value is entered: serials are kept as the file stores them
        wb._character_set = self._character_set()
        wb._iteration = self._iterative_calculation()  # before the formulas: circular ones iterate as in Excel
        from sheetrl.sheet.xlsx_names import read_names, read_tables

        read_tables(wb, sheets, titles, self.report.add)
        read_names(wb, self.xl, sheets, titles, self.report.add)
        sink = _Sink(wb)
        formulas: list[_PendingFormula] = []
        for ws, title, contents in zip(sheets, titles, self.sheet_cells):
            literals: list[tuple[int, int, Any]] = []
            styled: list[tuple[int, int, int]] = []
            self._read_cells(ws, title, contents, literals, formulas, styled)
            self._enter_literals(sink, title, literals)
            self._read_formats(sink, title, styled)
        self._enter_formulas(sink, formulas)
        self._enter_data_tables(sink)
        for ws, title, contents in zip(sheets, titles, self.sheet_cells):
            self._read_columns(wb, ws, title)
            self._read_hidden_rows(wb, ws, title, contents)
            self._report_sheet_features(ws, title, contents)
        self._report_workbook_features()
        if wb._iteration is not None:
            self._seed_from_cached_values(wb)
        wb.recalculate()
        wb.record_undo = True
        wb.warnings = self.notes + self.report.finish()
        return wb

    def _seed_from_cached_values(self, wb: Workbook) -> None:
        """With iterative calculation, circular formulas start from the values the file cached, as in Excel (a
        timestamp ``=IF(A2="","",IF(B2="",NOW(),B2))`` keeps its time across saves); the first recalculation
        overwrites every other formula's cached value."""
        for (title, row, col), value in self.cached.items():
            sid = wb._sheet_ids.get(title.upper())
            if sid is None or type(value) not in (float, str, bool, ExcelError):
                continue
            key = make_key(sid, row, col)
            if key in wb._formulas:
                wb._values[key] = value

    def _sheet_titles(self, sheets: list[Any]) -> list[str]:
        from sheetrl.sheet.workbook import _check_sheet_name

        titles: list[str] = []
        taken: set[str] = set()
        for ws in sheets:
            title = ws.title
            try:
                _check_sheet_name(title)
                ok = title.upper() not in taken
            except SheetError:
                ok = False
            if not ok:
                base = re.sub(r"[\[\]:*?/\\]", "_", title).strip("'")[:28] or "Sheet"
                candidate, n = base, 1
                while candidate.upper() in taken:
                    n += 1
                    candidate = f"{base}_{n}"
                self.report.add("sheet names", f"sheet {title!r} was renamed {candidate!r} (the name is not valid)")
                title = candidate
            taken.add(title.upper())
            titles.append(title)
            if ws.sheet_state != "visible":
                self.report.add("hidden sheets", f"sheet {title!r} is {ws.sheet_state} in the file; loaded as visible")
        for chartsheet in self.xl.chartsheets:
            self.report.add("chart sheets", f"chart sheet {chartsheet.title!r} was dropped (charts are not kept)")
        return titles

    # ------------------------------------------------------------------------------------------------ cells
    def _read_cells(
        self, ws: Any, title: str, contents: xlsx_reader.SheetCells, literals: list[tuple[int, int, Any]],
        formulas: list[_PendingFormula], styled: list[tuple[int, int, int]],
    ) -> None:
        for problem in contents.problems:
            self.report.add("unreadable cells", f"{quote_sheet_name(title)}!{problem}")
        masters: dict[str, tuple[int, int, str]] = {}  # shared formula group -> (row, col, text) of its anchor
        dynamic = self.dynamic.get(ws.title, ())
        covered: set[tuple[int, int]] = set()  # the cells of array formulas' ranges: their cached results
        for row, col, style, value, formula in contents.cells:
            if style:
                styled.append((row, col, style))
            if covered and (row, col) in covered:
                continue
            if formula is None:
                if value is None:
                    continue
                t = type(value)
                if t is str:
                    value = self._text(value, title, row, col)
                literals.append((row, col, value))
                continue
            kind = formula.kind
            where = cell_name(row, col)
            if kind == "array":
                self._read_array_formula(title, row, col, value, formula, where in dynamic, covered, literals,
                                         formulas)
            elif kind == "dataTable":
                self._read_data_table(title, row, col, value, formula, covered, literals)
            elif kind == "shared" and formula.text:
                masters[formula.group] = (row, col, formula.text)
                formulas.append((title, row, col, "=" + formula.text, None, _PLAIN))
            elif kind == "shared":
                master = masters.get(formula.group)
                if master is None:
                    self._keep_cached(title, row, col, value, "an unresolved shared formula", literals)
                else:
                    formulas.append((title, row, col, "", (master, value), _PLAIN))
            elif formula.text.strip():
                formulas.append((title, row, col, "=" + formula.text, None, _PLAIN))
            else:
                self._keep_cached(title, row, col, value, "an unresolved shared formula", literals)
            if kind in ("normal", "shared", "array") and value is not None:
                self.cached[(title, row, col)] = value

    def _read_array_formula(
        self, title: str, row: int, col: int, value: Any, formula: Any, marked_dynamic: bool,
        covered: set[tuple[int, int]], literals: list[tuple[int, int, Any]], formulas: list[_PendingFormula],
    ) -> None:
        """An array formula: a dynamic-array formula when the cell metadata marks it so, else a legacy array
        formula over its range. The other cells of the range hold its cached results, not inputs."""
        ref = formula.ref or cell_name(row, col)
        try:
            area = parse_range(ref)
        except SheetError:
            self._keep_cached(title, row, col, value, f"the array formula {{={formula.text}}} over {ref!r}", literals)
            return
        if (area.row1, area.col1) != (row, col):
            self._keep_cached(title, row, col, value,
                              f"the array formula {{={formula.text}}} over {ref} (not its first cell)", literals)
            return
        covered.update((r, c) for r, c in area.cells() if (r, c) != (row, col))
        kind = _DYNAMIC if marked_dynamic else (area.rows, area.cols)
        formulas.append((title, row, col, "=" + formula.text, None, kind))

    def _read_data_table(
        self, title: str, row: int, col: int, value: Any, formula: xlsx_reader.RawFormula,
        covered: set[tuple[int, int]], literals: list[tuple[int, int, Any]],
    ) -> None:
        """A What-If data table (``<f t="dataTable" ref=… dt2D dtr r1 r2 del1 del2/>`` on the first cell of its
        interior): entered as ``TABLE(row_input, column_input)`` over the interior, whose other cells hold
        cached values only; one the engine cannot compute keeps its cached values, with a warning."""
        ref = formula.ref or cell_name(row, col)
        try:
            area = parse_range(ref)
        except SheetError:
            area = None
        node = _data_table_node(dict(formula.data_table))
        why = ""
        if area is None:
            why = f"the data table over {ref!r} (not a range)"
        elif (area.row1, area.col1) != (row, col):
            why = f"the data table over {ref!r} (not its first cell)"
        elif node is None:
            written = " ".join(f'{name}="{value}"' for name, value in formula.data_table if name in ("r1", "r2"))
            why = f"the data table over {ref} (its input cells {written or '(none)'} are not cells of its sheet)"
        elif area.rows * area.cols > MAX_DATA_TABLE_CELLS:
            why = (f"the data table over {ref} ({area.rows * area.cols:,} cells; at most {MAX_DATA_TABLE_CELLS:,}"
                   " are computed)")
        if why or area is None or node is None:
            self._keep_cached(title, row, col, value, why, literals)
            return
        covered.update((r, c) for r, c in area.cells() if (r, c) != (row, col))
        self.data_tables.append((title, row, col, node, (area.rows, area.cols), value))

    def _enter_data_tables(self, sink: _Sink) -> None:
        for title, row, col, node, shape, cached in self.data_tables:
            try:
                sink.formula(title, row, col, node, None, shape)
            except (SheetError, TypeError, ValueError) as exc:
                self._fallback(sink, title, row, col, cached,
                               f"the data table ={render(node)} cannot be used ({_one_line(exc)})")

    def _text(self, text: str, title: str, row: int, col: int) -> str:
        if len(text) > MAX_TEXT:
            self.report.add(
                "long text", f"{_where(title, row, col)}: text of {len(text):,} characters was cut to {MAX_TEXT:,}"
            )
            text = text[:MAX_TEXT]
        return text

    def _keep_cached(
        self, title: str, row: int, col: int, value: Any, why: str, literals: list[tuple[int, int, Any]]
    ) -> None:
        where = _where(title, row, col)
        if value is None:
            self.report.add("formulas dropped", f"{where}: {why}; dropped (the file has no cached value)")
            return
        if type(value) is str:
            value = self._text(value, title, row, col)
        literals.append((row, col, value))
        self.report.add("formulas kept as values", f"{where}: {why}; kept its cached value {_show(value)}")

    def _enter_literals(self, sink: _Sink, title: str, literals: list[tuple[int, int, Any]]) -> None:
        for row, col, value, reason in sink.literals(title, literals):
            self.report.add("values dropped", f"{_where(title, row, col)}: value {_show(value)} dropped ({reason})")

    def _enter_formulas(self, sink: _Sink, formulas: list[_PendingFormula]) -> None:
        """Parse (each distinct text once; a shared formula's followers are its anchor's tree, moved) and enter.

        A plain formula gets the ``@`` Excel implies where a file written without dynamic arrays would intersect
        (:func:`~sheetrl.sheet.legacy.from_legacy`); its text is then shown as the tree renders it (``=@A1:A5``)."""
        unknown: dict[str, list[str]] = {}
        trees: dict[tuple[str, bool], _Parsed | SheetError] = {}
        # formulas of one relative shape (filled down a column): parsed once, moved to each cell
        shapes: dict[tuple[str, bool], tuple[int, int, _Parsed, bool]] = {}
        # the compiled template of a relative shape or a shared formula (by its anchor), once one of them has one
        templates: dict[tuple[Any, ...], FormulaTemplate] = {}
        range_names = _range_names(sink.wb)  # defined names (read before the formulas) a plain formula intersects
        for title, row, col, text, shared, kind in formulas:
            plain = kind == _PLAIN
            family: tuple[Any, ...] | None = None  # the formulas this one is a move of, if any
            offered: FormulaTemplate | None = None  # the template of the same text, met before
            if shared is not None:
                (anchor_row, anchor_col, anchor_text), cached = shared
                family = (title, anchor_row, anchor_col, anchor_text, plain)
                parsed = self._parsed(trees, "=" + anchor_text, plain, range_names)
                if isinstance(parsed, SheetError):
                    self._fallback(sink, title, row, col, cached,
                                   f"the shared formula ={anchor_text} (from {cell_name(anchor_row, anchor_col)})"
                                   f" does not parse ({_one_line(parsed)})")
                    continue
                tree, shown = shift(parsed.tree, row - anchor_row, col - anchor_col), None
            else:
                cached = self.cached.get((title, row, col))
                # a text met before (in this load, or parsed earlier in this process) is at hand already
                stripped = strip_function_prefixes(text)  # the text as parse sees it and the cell shows it
                known = (text, plain) in trees or is_parsed(stripped)
                shape = relative_shape(text, row, col) if not known else None
                family = None if shape is None else (shape, plain)
                offered = _TEXT_TEMPLATES.get((text, plain)) if known else None  # (no shape was computed)
                if offered is not None:
                    _TEXT_TEMPLATES.move_to_end((text, plain))
                moved = self._moved(shapes, shape, stripped, plain, row, col) if shape is not None else None
                if moved is not None:
                    parsed, tree, shown = moved
                else:
                    parsed = self._parsed(trees, text, plain, range_names)
                    if isinstance(parsed, SheetError):
                        self._fallback(sink, title, row, col, cached,
                                       f"the formula {text} does not parse ({_one_line(parsed)})")
                        continue
                    tree, shown = parsed.tree, parsed.text
                    if shape is not None:
                        shapes[(shape, plain)] = (row, col, parsed, parsed.text == stripped)
            try:
                if offered is None and family is not None:
                    offered = templates.get(family)
                template = sink.formula(title, row, col, tree, shown, kind if type(kind) is tuple else None, offered)
                if template is not None:
                    if family is not None:
                        templates.setdefault(family, template)
                    if shared is None and (text, plain) not in _TEXT_TEMPLATES:
                        fixed = template.fixed_at(row, col)
                        if fixed is not None:
                            _remember(_TEXT_TEMPLATES, (text, plain), fixed)
            except (SheetError, TypeError, ValueError) as exc:
                shown = shown or "=" + render(tree)
                self._fallback(sink, title, row, col, cached, f"the formula {shown} cannot be used ({_one_line(exc)})")
                continue
            for function in parsed.unknown:
                unknown.setdefault(function, []).append(_where(title, row, col))
        defined = {listing.name.upper() for listing in sink.wb.names()}  # a LAMBDA called by its name
        for function, places in sorted(unknown.items()):
            if function.upper() in defined:
                continue
            more = f" and {len(places) - 1:,} more cells" if len(places) > 1 else ""
            self.report.add(
                "unsupported functions",
                f"function {function} is not supported (used in {places[0]}{more}); those formulas show #NAME?",
            )

    @staticmethod
    def _moved(
        shapes: dict[tuple[str, bool], tuple[int, int, _Parsed, bool]], shape: str, stripped: str, plain: bool,
        row: int, col: int,
    ) -> tuple[_Parsed, Node, str] | None:
        """The parsed formula, its tree and shown text for a formula at (``row``, ``col``) whose relative ``shape``
        was parsed before (that tree moved here: :func:`~sheetrl.sheet.lexer.relative_shape`), else None;
        ``stripped``: its text without the file's function prefixes."""
        found = shapes.get((shape, plain))
        if found is None:
            return None
        first_row, first_col, parsed, as_written = found
        tree = shift(parsed.tree, row - first_row, col - first_col)
        if not as_written:  # the first formula showed its tree's text (an implied @, _xlpm. names): so does this
            return parsed, tree, "=" + render(tree)
        # the tree is the parse of the file's text (nothing was implied): parsing it again is a lookup
        remember(stripped, tree)
        return parsed, tree, stripped

    @staticmethod
    def _parsed(
        trees: dict[tuple[str, bool], _Parsed | SheetError], text: str, plain: bool, range_names: frozenset[str]
    ) -> _Parsed | SheetError:
        """The syntax tree of formula text (as stored in the file), parsed once per load, or the SheetError. A
        ``plain`` formula's tree gets the ``@`` Excel implies (``range_names``: the defined names standing for
        ranges); when it does, the shown text is the tree's."""
        found = trees.get((text, plain))
        if found is None:
            remembered = (text, plain, range_names, len(FUNCTIONS))
            found = _PARSED_TEXTS.get(remembered)
            if found is not None:
                _PARSED_TEXTS.move_to_end(remembered)
                trees[(text, plain)] = found
                return found
            stripped = strip_function_prefixes(text)
            try:
                tree = parse(stripped)
            except SheetError as exc:
                found = exc
            else:
                unknown: tuple[str, ...] = ()
                if "(" in stripped:  # the functions it calls, found in the text (cheaper than walking the tree)
                    called = _CALLED.findall(_STRING_LITERAL.sub('""', stripped) if '"' in stripped else stripped)
                    names = {name.upper() for name in called} - FUNCTIONS.keys() - SPECIAL_FORMS.keys()
                    if names:  # confirm with the tree, which knows what is really a call (and what LET binds)
                        local = _local_names(tree)
                        names = {item.name for item in walk(tree) if type(item) is Call
                                 and item.name.upper() not in FUNCTIONS and item.name.upper() not in SPECIAL_FORMS
                                 and item.name.upper() not in local}
                    unknown = tuple(sorted(names))
                # The file's text is shown as it is (rendering every formula of a large load costs), except where
                # the tree reads differently: LET/LAMBDA names stored with _xlpm., @ and # stored as SINGLE(...) and
                # ANCHORARRAY(...) (Excel shows =A1# for _xlfn.ANCHORARRAY(A1)), and the @ a plain formula implies.
                differs = "_xlpm." in stripped or _FILE_OPERATOR_CALL.search(stripped) is not None
                shown = "=" + render(tree) if differs else stripped
                if plain:
                    converted = from_legacy(tree, range_names)
                    if converted is not tree and converted != tree:  # (a tree rebuilt without an @ is the same)
                        tree, shown = converted, "=" + render(converted)
                found = _Parsed(tree, shown, unknown)
                _remember(_PARSED_TEXTS, remembered, found)
            trees[(text, plain)] = found
        return found

    def _fallback(self, sink: _Sink, title: str, row: int, col: int, cached: Any, why: str) -> None:
        kept: list[tuple[int, int, Any]] = []
        self._keep_cached(title, row, col, cached, why, kept)
        self._enter_literals(sink, title, kept)

    # ---------------------------------------------------------------------------------------------- formats
    def _read_formats(self, sink: _Sink, title: str, styled: list[tuple[int, int, int]]) -> None:
        convert = self.formats.convert_style
        for row, col, style in styled:
            fmt, changes = convert(style)
            if changes:
                sink.format(title, row, col, fmt, changes)

    def _read_columns(self, wb: Workbook, ws: Any, title: str) -> None:
        from openpyxl.utils import column_index_from_string

        for letter, dimension in ws.column_dimensions.items():
            first = dimension.min or column_index_from_string(letter)
            last = min(dimension.max or first, 16384)
            width = dimension.width if dimension.customWidth else None
            if dimension.hidden:
                width = 0.0
            if width is None:
                continue
            if not 0 <= width <= 255:
                self.report.add(
                    "column widths", f"{quote_sheet_name(title)}!{letter}: width {width} was clamped to 0-255"
                )
                width = min(max(width, 0.0), 255.0)
            for col in range(first, last + 1):
                wb.set_column_width(column_letters(col - 1), float(width), title)

    def _read_hidden_rows(self, wb: Workbook, ws: Any, title: str, contents: xlsx_reader.SheetCells) -> None:
        """The sheet's hidden rows. Those under the header of a filter that filters something (its AutoFilter's, or
        a table's, with a criterion on some column) are rows the filter hides, which SUBTOTAL 1-11 leaves out; the
        others, rows hidden by hand (a file records no more than that: Excel reapplies the criteria to tell)."""
        if not contents.hidden_rows:
            return
        from openpyxl.utils.cell import range_boundaries

        filters = [(ws.auto_filter.ref, ws.auto_filter)] if ws.auto_filter.ref else []
        filters += [(table.ref, table.autoFilter) for table in ws.tables.values()
                    if table.autoFilter is not None and table.ref]
        filtered_rows: list[tuple[int, int]] = []  # 0-based first and last data rows of each active filter
        for ref, auto_filter in filters:
            if not auto_filter.filterColumn:  # a filter without criteria hides nothing
                continue
            try:
                _, top, _, bottom = range_boundaries(ref)
            except (TypeError, ValueError):
                continue
            filtered_rows.append((top, bottom - 1))  # (1-based header row = 0-based first data row)
        sid = wb._sheet_ids[title.upper()]
        states = wb._row_states
        for row in contents.hidden_rows:
            filtered = any(first <= row <= last for first, last in filtered_rows)
            states[(sid, row)] = ROW_FILTERED if filtered else ROW_HIDDEN

    # ---------------------------------------------------------------------------------------- what is lost
    def _report_sheet_features(self, ws: Any, title: str, contents: xlsx_reader.SheetCells) -> None:
        sheet = quote_sheet_name(title)
        add = self.report.add
        for merged in contents.merged:
            add("merged cells", f"{sheet}!{merged}: merged cells were unmerged (each cell keeps its own content)")
        for cell in ws._cells.values():
            if getattr(cell, "comment", None) is not None:
                add("comments", f"{sheet}!{cell.coordinate}: comment dropped ({_show(cell.comment.text)})")
            link = getattr(cell, "hyperlink", None)
            if link is not None:
                target = link.target or link.location or ""
                add("hyperlinks",
                    f"{sheet}!{cell.coordinate}: hyperlink to {_show(target)} dropped (the cell text is kept)")
        for cf_range in ws.conditional_formatting:
            add("conditional formatting",
                f"{sheet}!{cf_range.sqref}: {len(cf_range.rules)} conditional formatting rule(s) dropped")
        for validation in ws.data_validations.dataValidation:
            add("data validation", f"{sheet}!{validation.sqref}: data validation ({validation.type or 'any'}) dropped")
        if ws._charts:
            add("charts", f"sheet {title!r}: {len(ws._charts)} chart(s) dropped")
        if ws._images:
            add("images", f"sheet {title!r}: {len(ws._images)} image(s) dropped")
        if ws._pivots:
            add("pivot tables", f"sheet {title!r}: {len(ws._pivots)} pivot table(s) kept as plain values only")
        if ws.auto_filter.ref:
            add("filters", f"{sheet}!{ws.auto_filter.ref}: autofilter criteria dropped (the rows it hides stay "
                           f"hidden, and SUBTOTAL leaves them out)")
        if ws.protection.sheet:
            add("protection", f"sheet {title!r}: sheet protection dropped")
        if ws.freeze_panes:
            add("views", f"sheet {title!r}: frozen panes at {ws.freeze_panes} dropped")
        if contents.custom_rows:
            add("row heights", f"sheet {title!r}: custom heights ({contents.custom_rows:,} rows) dropped")

    def _report_workbook_features(self) -> None:
        add = self.report.add
        members = self.members
        counts = {
            "external links": sum(1 for m in members if m.startswith("xl/externalLinks/") and m.endswith(".xml")),
            "macros": sum(1 for m in members if m.endswith("vbaProject.bin")),
            "slicers": sum(1 for m in members if m.startswith("xl/slicers/")),
            "threaded comments": sum(1 for m in members if m.startswith("xl/threadedComments/")),
            "data connections": sum(1 for m in members if m == "xl/connections.xml"),
        }
        for kind, count in counts.items():
            if count:
                add(kind, f"the file has {count} {kind} part(s); they are not kept")
        self.formats.report_unrepresented()


class _FormatReader:
    """openpyxl cell style -> CellFormat attribute changes, cached per style."""

    def __init__(self, xl: Any, report: _Warnings) -> None:
        self.xl = xl
        self.report = report
        self.cache: dict[tuple, tuple[CellFormat, dict[str, Any]]] = {}
        self.by_style: dict[int, tuple[CellFormat, dict[str, Any]]] = {}
        self.theme = _theme_colours(getattr(xl, "loaded_theme", None))
        self.lost: Counter[str] = Counter()
        try:
            default_font = xl._fonts[0]
            self.default_font = (default_font.name, default_font.sz)
        except (AttributeError, IndexError):
            self.default_font = ("Calibri", 11)

    def convert(self, cell: Any) -> tuple[CellFormat, dict[str, Any]]:
        """The cell's format and its attributes that differ from the default."""
        key = tuple(cell._style)
        result = self.cache.get(key)
        if result is None:
            changes = self._changes(cell)
            result = self.cache[key] = (DEFAULT_FORMAT.with_changes(**changes), changes)
        return result

    def convert_style(self, style: int) -> tuple[CellFormat, dict[str, Any]]:
        """The format of cells whose ``s`` attribute is ``style`` (an index into the workbook's cell formats)."""
        result = self.by_style.get(style)
        if result is None:
            result = self.by_style[style] = self.convert(self._styled_cell(style))
        return result

    def _styled_cell(self, style: int) -> Any:
        """A detached openpyxl cell carrying the style, so openpyxl resolves its fonts, fills and number format."""
        from openpyxl.cell.cell import Cell

        styles = getattr(self.xl, "_cell_styles", None) or []
        array = styles[style] if 0 <= style < len(styles) else None
        if array is None:
            from openpyxl.styles.cell_style import StyleArray

            self.lost["cells with a style index the file does not define"] += 1
            return Cell(self.xl.worksheets[0], row=1, column=1, style_array=StyleArray())
        return Cell(self.xl.worksheets[0], row=1, column=1, style_array=array)

    def _changes(self, cell: Any) -> dict[str, Any]:
        fmt: dict[str, Any] = {}
        font = cell.font
        if font is not None:
            if font.b:
                fmt["bold"] = True
            if font.i:
                fmt["italic"] = True
            if font.u and font.u != "none":
                fmt["underline"] = True
            colour = self._colour(font.color, default_theme=1)
            if colour is not None:
                fmt["font_color"] = colour
            if font.strike:
                self.lost["strikethrough"] += 1
            if (font.name, font.sz) != self.default_font and font.name is not None:
                self.lost["font name/size"] += 1
        fill = cell.fill
        # a GradientFill's fill_type is its gradient type ("linear", "path"): only pattern fills have fgColor
        fill_type = getattr(fill, "fill_type", None) if getattr(fill, "tagname", "") == "patternFill" else None
        if fill_type is not None and fill_type != "none":
            colour = self._colour(fill.fgColor, default_theme=None)
            if fill_type != "solid":
                self.lost[f"{fill_type} fill patterns (kept as solid fills)"] += 1
            if colour is not None:
                fmt["fill_color"] = colour
        elif fill is not None and getattr(fill, "tagname", "") == "gradientFill":
            self.lost["gradient fills"] += 1
        alignment = cell.alignment
        if alignment is not None:
            horizontal = alignment.horizontal
            if horizontal in ("left", "center", "right"):
                fmt["horizontal"] = horizontal
            elif horizontal == "centerContinuous":
                fmt["horizontal"] = "center"
            elif horizontal not in (None, "general"):
                fmt["horizontal"] = "left"
                self.lost[f"{horizontal} alignment (kept as left)"] += 1
            if alignment.vertical not in (None, "bottom"):
                self.lost["vertical alignment"] += 1
            if alignment.wrap_text:
                self.lost["wrapped text"] += 1
            if alignment.textRotation or alignment.indent:
                self.lost["text rotation/indent"] += 1
        border = cell.border
        if border is not None:
            for attr, side_name in _BORDER_SIDES:
                side = getattr(border, side_name)
                style = getattr(side, "style", None) if side is not None else None
                if style is None or style == "none":
                    continue
                if style not in BORDER_STYLES:
                    self.lost[f"{style} borders (kept as {'medium' if 'medium' in style.lower() else 'thin'})"] += 1
                    style = "medium" if "medium" in style.lower() else "thin"
                fmt[attr] = style
                if side.color is not None and self._colour(side.color, default_theme=None) not in (None, "000000"):
                    self.lost["border colours"] += 1
            if border.diagonal is not None and border.diagonal.style:
                self.lost["diagonal borders"] += 1
        number_format = cell.number_format
        if number_format and number_format != "General":
            fmt["number_format"] = number_format
        try:
            DEFAULT_FORMAT.with_changes(**fmt)
        except (TypeError, ValueError):
            self.lost["formats the engine rejects"] += 1
            valid = {}
            for attr, value in fmt.items():
                try:
                    DEFAULT_FORMAT.with_changes(**{attr: value})
                    valid[attr] = value
                except (TypeError, ValueError):
                    pass
            fmt = valid
        return fmt

    def _colour(self, colour: Any, default_theme: int | None) -> str | None:
        """RRGGBB of an openpyxl Color, or None for the default/automatic colour."""
        if colour is None:
            return None
        kind = getattr(colour, "type", None)
        tint = getattr(colour, "tint", 0.0) or 0.0
        if kind == "rgb":
            rgb = colour.rgb
            if not isinstance(rgb, str) or len(rgb) not in (6, 8):
                return None
            return rgb[-6:].upper()
        if kind == "indexed":
            from openpyxl.styles.colors import COLOR_INDEX

            palette = list(getattr(self.xl, "_colors", None) or COLOR_INDEX)
            index = colour.indexed
            if index is None or not 0 <= index < len(palette) or index >= 64:
                return None  # 64/65: system foreground/background
            return _tinted(palette[index][-6:].upper(), tint)
        if kind == "theme":
            index = colour.theme
            if index == default_theme and not tint:
                return None
            base = self.theme.get(index)
            if base is None:
                self.lost["theme colours"] += 1
                return None
            return _tinted(base, tint)
        return None

    def report_unrepresented(self) -> None:
        if self.lost:
            listed = ", ".join(f"{name} ({count:,} styles)" for name, count in sorted(self.lost.items()))
            self.report.add("formats", f"formatting the engine does not represent was dropped: {listed}")


def _theme_colours(theme_xml: Any) -> dict[int, str]:
    """Theme colour index -> RRGGBB from the theme part (index 0 lt1, 1 dk1, 2 lt2, 3 dk2, 4-9 accents, 10-11 links)."""
    if not theme_xml:
        return {}
    try:
        root = ElementTree.fromstring(theme_xml)
    except ElementTree.ParseError:
        return {}
    ns = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
    scheme = root.find(f".//{ns}clrScheme")
    if scheme is None:
        return {}
    order = ["lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6",
             "hlink", "folHlink"]
    colours: dict[int, str] = {}
    for index, tag in enumerate(order):
        element = scheme.find(f"{ns}{tag}")
        if element is None or not len(element):
            continue
        value = element[0].get("val") if element[0].tag.endswith("srgbClr") else element[0].get("lastClr")
        if value and len(value) == 6:
            colours[index] = value.upper()
    return colours


def _tinted(rgb: str, tint: float) -> str:
    """Apply an OOXML tint (-1..1) to an RRGGBB colour: darken or lighten its HLS lightness."""
    if not tint:
        return rgb
    r, g, b = (int(rgb[i : i + 2], 16) / 255 for i in (0, 2, 4))
    h, lum, s = colorsys.rgb_to_hls(r, g, b)
    lum = lum * (1 + tint) if tint < 0 else lum * (1 - tint) + tint
    r, g, b = colorsys.hls_to_rgb(h, min(max(lum, 0.0), 1.0), s)
    return "".join(f"{round(v * 255):02X}" for v in (r, g, b))


# ================================================================================================= helpers
def _data_table_node(attributes: dict[str, str]) -> Node | None:
    """``TABLE(row_input, column_input)`` for a data table's ``<f>`` attributes (ECMA-376 CT_CellFormula: ``dt2D``
    a two-variable table, whose ``r1`` is the row input and ``r2`` the column input; else ``dtr`` says whether ``r1``
    is a row input; ``del1``/``del2``: that input cell was deleted), or None when an input is not a cell."""

    def flag(name: str) -> bool:
        return attributes.get(name, "").strip().lower() in ("1", "true")

    def argument(name: str, deleted: str) -> Node | None:
        if flag(deleted):
            return RefError()
        try:
            cell = parse_cell(attributes.get(name, ""))
        except SheetError:
            return None
        return None if cell.sheet is not None else CellRef(None, cell.row, cell.col, cell.row_abs, cell.col_abs)

    first = argument("r1", "del1")
    if flag("dt2D"):
        second = argument("r2", "del2")
        args = None if first is None or second is None else (first, second)
    elif flag("dtr"):
        args = None if first is None else (first, Missing())
    else:
        args = None if first is None else (Missing(), first)
    return None if args is None else Call(TABLE_FUNCTION, args)


def _error_value(code: Any) -> ExcelError:
    text = str(code).strip()
    return error_from_code(text) or ExcelError(text.upper() if text.startswith("#") else "#VALUE!")


def _where(title: str, row: int, col: int) -> str:
    return f"{quote_sheet_name(title)}!{cell_name(row, col)}"


def _show(value: Any, limit: int = 60) -> str:
    text = repr(value) if not isinstance(value, ExcelError) else str(value)
    if isinstance(value, float) and value.is_integer():
        text = str(int(value))
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _one_line(exc: Any) -> str:
    """A message or exception as one line of at most 300 characters."""
    if isinstance(exc, FormulaSyntaxError):
        return f"{exc.reason} at position {exc.position}"
    text = " ".join(str(exc).split())
    if isinstance(exc, SheetError):
        pass
    elif isinstance(exc, BaseException):
        kind = "zlib error" if isinstance(exc, zlib.error) else type(exc).__name__
        text = f"{kind}: {text}" if text else kind
    return text if len(text) <= 300 else text[:297] + "..."


def _os_reason(exc: OSError) -> str:
    return exc.strerror.lower() if exc.strerror else _one_line(exc)


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MB"
