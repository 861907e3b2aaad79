#!/usr/bin/env python3
"""Regenerate the conformance oracle: evaluate every case with LibreOffice and with IronCalc.

Usage::

    python3 scripts/regen_oracle.py            # rewrite tests/sheet/conformance/expected_*.json
    python3 scripts/regen_oracle.py --check    # recompute and exit 1 if the committed files are stale
    python3 scripts/regen_oracle.py --keep DIR # also keep the workbook sent to LibreOffice and its recalculated copy

How it works:

1. Every case of ``tests/sheet/conformance/cases.py`` goes on its own sheet of one .xlsx written with openpyxl
   (setup cells, then the formula at ``case.at``, or, for a case with ``array``, a legacy array formula over that
   range; a case's defined names are scoped to its sheet, its tables are added to it). Functions that Excel stores
   with the ``_xlfn.`` prefix in files (CONCAT, IFS, XOR, ...) get that prefix, and the ``@`` operator is left out
   (a structured reference's ``[@Col]`` is kept), exactly as Excel would write them.
2. This script runs itself again under the system Python (``/usr/bin/python3``, the one with the ``uno`` module;
   override with ``SHEETRL_UNO_PYTHON``) in ``--uno-worker`` mode. The worker starts ``soffice --headless`` with a
   private, throw-away profile (en-US locale), opens the workbook, forces a hard recalculation with
   ``calculateAll()``, and reads each result cell through UNO: its full-precision value, its text, its error code
   and the number-format type LibreOffice inferred for it (LOGICAL marks a boolean result). It then saves the
   recalculated workbook as .xlsx.
3. Back here, errors are converted to Excel codes. LibreOffice's internal codes (532, 32767, 502, ...) are mapped
   with the same table LibreOffice itself uses when it writes .xlsx, and that mapping and the boolean typing are
   cross-checked against LibreOffice's own .xlsx output (``t="e"`` / ``t="b"`` cells); any disagreement aborts.
4. Every case is also evaluated in-process with IronCalc (``pip install ironcalc``) as a second opinion (cases with
   names or tables: from the workbook of step 1, loaded by IronCalc).

Both result files map case id to ``{"type": "number"|"text"|"bool"|"error"|"empty", "value": ...}``; error
entries from LibreOffice also carry ``lo_code`` (LibreOffice's internal error number) and ``lo_display`` (what a
LibreOffice user sees, e.g. ``Err:502``). Output is deterministic: same cases and versions, same bytes.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFORMANCE_DIR = ROOT / "tests" / "sheet" / "conformance"
CASES_FILE = CONFORMANCE_DIR / "cases.py"
LO_JSON = CONFORMANCE_DIR / "expected_libreoffice.json"
IRONCALC_JSON = CONFORMANCE_DIR / "expected_ironcalc.json"

SYSTEM_PYTHON = os.environ.get("SHEETRL_UNO_PYTHON", "/usr/bin/python3")
LO_TIMEOUT_S = 600

# Functions Excel writes to files as "_xlfn.NAME": they were added after the 2007 file format was fixed. LibreOffice
# only recognises them on import with the prefix (CONCAT without it is #NAME?).
XLFN_FUNCTIONS = frozenset(
    """
    AGGREGATE ANCHORARRAY ARRAYTOTEXT BITAND BITLSHIFT BITOR BITRSHIFT BITXOR BYCOL BYROW CEILING.MATH CEILING.PRECISE
    CHOOSECOLS CHOOSEROWS ISOMITTED MAKEARRAY MAP MUNIT REDUCE SCAN
    CONCAT COVARIANCE.P COVARIANCE.S DAYS DROP EXPAND FILTER FLOOR.MATH FLOOR.PRECISE FORMULATEXT HSTACK IFNA IFS
    ISFORMULA ISOWEEKNUM LAMBDA LET MAXIFS MINIFS MODE.MULT MODE.SNGL NUMBERVALUE PERCENTILE.EXC PERCENTILE.INC
    QUARTILE.EXC QUARTILE.INC RANDARRAY RANK.AVG RANK.EQ SEQUENCE SHEET SHEETS SORT SORTBY STDEV.P STDEV.S SWITCH
    TAKE TEXTAFTER TEXTBEFORE TEXTJOIN TEXTSPLIT TOCOL TOROW UNICHAR UNICODE UNIQUE VAR.P VAR.S VSTACK WRAPCOLS
    WRAPROWS XLOOKUP XMATCH XOR
    BETA.DIST BETA.INV BINOM.DIST BINOM.DIST.RANGE BINOM.INV CHISQ.DIST CHISQ.DIST.RT CHISQ.INV CHISQ.INV.RT
    CHISQ.TEST CONFIDENCE.NORM CONFIDENCE.T EXPON.DIST F.DIST F.DIST.RT F.INV F.INV.RT F.TEST FORECAST.LINEAR GAMMA
    FORECAST.ETS FORECAST.ETS.CONFINT FORECAST.ETS.SEASONALITY FORECAST.ETS.STAT
    GAMMA.DIST GAMMA.INV GAMMALN.PRECISE GAUSS HYPGEOM.DIST LOGNORM.DIST LOGNORM.INV NEGBINOM.DIST
    NORM.DIST NORM.INV NORM.S.DIST NORM.S.INV PDURATION PERCENTRANK.EXC PERCENTRANK.INC PHI POISSON.DIST RRI SKEW.P
    T.DIST T.DIST.2T T.DIST.RT T.INV T.INV.2T T.TEST WEIBULL.DIST Z.TEST
    ACOT ACOTH ARABIC BAHTTEXT BASE COMBINA COT COTH CSC CSCH DBCS DECIMAL ERF.PRECISE ERFC.PRECISE PERCENTOF
    PERMUTATIONA REGEXEXTRACT REGEXREPLACE REGEXTEST SEC SECH VALUETOTEXT
    """.split()
)

# LibreOffice internal error number -> Excel error code, as LibreOffice itself writes it to .xlsx, for the codes
# LibreOffice displays as "Err:NNN" (the others it already displays with their Excel spelling). Every mapping used
# is verified against LibreOffice's own .xlsx output, except the codes in LO_EXPORT_DIFFERS.
LO_ERROR_TO_EXCEL = {
    501: "#VALUE!",  # invalid character
    502: "#VALUE!",  # invalid argument (LibreOffice shows Err:502; Excel often says #NUM! for the same input)
    503: "#NUM!",  # invalid floating point operation (LibreOffice shows #NUM!)
    504: "#VALUE!",  # error in parameter list
    509: "#VALUE!",  # operator missing (LibreOffice 7.4 cannot parse a call of a LAMBDA: LAMBDA(x,x+1)(2))
    511: "#VALUE!",  # missing variable
    519: "#VALUE!",  # no value (LibreOffice shows #VALUE!)
    522: "#VALUE!",  # circular reference
    523: "#NUM!",  # calculation does not converge
    524: "#REF!",  # invalid reference (LibreOffice shows #REF!)
    525: "#NAME?",  # invalid name (LibreOffice shows #NAME?)
    532: "#DIV/0!",  # division by zero
    32767: "#N/A",  # not available
}
# Codes where the table deliberately departs from LibreOffice's .xlsx export: LibreOffice writes its catch-all
# #N/A for "Err:523" (no convergence, from IRR/RATE/...), where Excel's code for the same situation is #NUM!.
LO_EXPORT_DIFFERS = frozenset({523})
EXCEL_CODES = frozenset({"#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!"})

_CELL_RE = re.compile(r"^\$?([A-Z]{1,3})\$?([0-9]+)$")
_SPILL_RE = re.compile(r"(\$?[A-Z]{1,3}\$?[0-9]+)#")


# ---------------------------------------------------------------------------------------------------------------
# Cases and the workbook sent to LibreOffice
# ---------------------------------------------------------------------------------------------------------------


def load_cases():
    spec = importlib.util.spec_from_file_location("sheetrl_conformance_cases", CASES_FILE)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while building the class
    spec.loader.exec_module(module)
    return module.CASES


def to_file_formula(formula: str) -> str:
    """Return ``formula`` as Excel stores it in .xlsx: newer functions get their ``_xlfn.`` prefix, and the
    implicit-intersection operator ``@`` is left out (a formula written without dynamic arrays intersects where
    Excel shows ``@``, which is how Excel writes such formulas)."""
    out: list[str] = []
    i, n = 0, len(formula)
    while i < n:
        ch = formula[i]
        if ch == "@":
            i += 1
            continue
        spill = _SPILL_RE.match(formula, i)
        if spill and (i == 0 or not (formula[i - 1].isalnum() or formula[i - 1] in "_.!")):
            out.append(f"_xlfn.ANCHORARRAY({spill.group(1)})")  # A1# is stored as ANCHORARRAY(A1)
            i = spill.end()
            continue
        if ch == "[":  # a structured reference's brackets are copied as written ([@Col] keeps its "@")
            j = _bracket_end(formula, i)
            out.append(formula[i:j])
            i = j
            continue
        if ch == '"':  # copy a string literal untouched ("" is an escaped quote)
            j = i + 1
            while j < n:
                if formula[j] == '"':
                    if j + 1 < n and formula[j + 1] == '"':
                        j += 2
                        continue
                    break
                j += 1
            out.append(formula[i : j + 1])
            i = j + 1
            continue
        if ch.isalpha() or ch == "_":
            j = i
            while j < n and (formula[j].isalnum() or formula[j] in "._"):
                j += 1
            word = formula[i:j]
            if j < n and formula[j] == "(" and word.upper() in XLFN_FUNCTIONS:
                word = "_xlfn." + word
            out.append(word)
            i = j
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def sheet_name(index: int) -> str:
    return f"c{index:04d}"


def write_case_workbook(cases, path: Path) -> None:
    import openpyxl
    from openpyxl.worksheet.formula import ArrayFormula

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for index, case in enumerate(cases):
        ws = wb.create_sheet(sheet_name(index))
        for address, value in case.cells.items():
            if isinstance(value, str) and value.startswith("="):
                value = to_file_formula(value)
            ws[address] = value
            if isinstance(value, str) and not value.startswith("="):
                ws[address].data_type = "s"  # text stays text, even "#N/A" or "TRUE"
        if case.array:  # a legacy array formula entered over a range; the case reads one cell of it
            first = case.array.split(":")[0]
            ws[first] = ArrayFormula(case.array, to_file_formula(case.formula))
        else:
            ws[case.at] = to_file_formula(case.formula)
        add_names_and_tables(ws, case)
    wb.save(path)


def _bracket_end(formula: str, start: int) -> int:
    """Index just past the ``]`` closing the ``[`` at ``start`` (nested brackets, ``'`` escapes one character)."""
    depth, i = 0, start
    while i < len(formula):
        ch = formula[i]
        if ch == "'":
            i += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return len(formula)


def add_names_and_tables(ws, case) -> None:
    """The case's defined names (scoped to its sheet, references qualified with it) and tables."""
    from openpyxl.workbook.defined_name import DefinedName
    from openpyxl.worksheet.table import Table, TableColumn, TableStyleInfo

    for name, definition in case.names.items():
        text = qualify_references(to_file_formula(definition), ws.title)
        ws.defined_names[name] = DefinedName(name, attr_text=text.removeprefix("="))
    for spec in case.tables:
        table = Table(displayName=spec.name, ref=spec.ref, totalsRowCount=1 if spec.totals else None)
        header = ws[spec.ref][0]
        table.tableColumns = [TableColumn(id=i + 1, name=str(cell.value)) for i, cell in enumerate(header)]
        table.tableStyleInfo = TableStyleInfo(name="TableStyleMedium9", showRowStripes=True)
        ws.add_table(table)


def qualify_references(formula: str, sheet: str) -> str:
    """``formula`` with every cell/range reference that names no sheet prefixed with ``sheet!``."""
    from openpyxl.formula import Tokenizer
    from openpyxl.formula.tokenizer import Token

    tokenizer = Tokenizer(formula if formula.startswith("=") else "=" + formula)
    parts = ["="]
    for token in tokenizer.items:
        value = token.value
        if token.type == Token.OPERAND and token.subtype == Token.RANGE and "!" not in value \
                and _CELL_OR_RANGE_RE.match(value):
            value = f"{sheet}!{value}"
        parts.append(value)
    return "".join(parts)


_CELL_OR_RANGE_RE = re.compile(r"^\$?[A-Za-z]{1,3}\$?[0-9]*(:\$?[A-Za-z]{1,3}\$?[0-9]*)?$|^\$?[0-9]+:\$?[0-9]+$")


# ---------------------------------------------------------------------------------------------------------------
# LibreOffice (through the UNO worker below)
# ---------------------------------------------------------------------------------------------------------------


def run_libreoffice(cases, workdir: Path) -> dict[str, dict]:
    source = workdir / "cases.xlsx"
    recalculated = workdir / "cases_recalculated.xlsx"
    job = workdir / "job.json"
    raw_out = workdir / "raw.json"
    write_case_workbook(cases, source)
    job.write_text(
        json.dumps(
            {
                "source": str(source),
                "saved": str(recalculated),
                "profile": str(workdir / "lo_profile"),
                "cells": [[sheet_name(i), case.at] for i, case in enumerate(cases)],
            }
        )
    )
    cmd = [SYSTEM_PYTHON, str(Path(__file__).resolve()), "--uno-worker", str(job), str(raw_out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=LO_TIMEOUT_S)
    if proc.returncode != 0:
        raise SystemExit(f"LibreOffice worker failed ({proc.returncode}):\n{proc.stdout}\n{proc.stderr}")
    raw = json.loads(raw_out.read_text())
    saved = read_saved_xlsx(recalculated, [(sheet_name(i), case.at) for i, case in enumerate(cases)])

    results: dict[str, dict] = {}
    for index, case in enumerate(cases):
        name = sheet_name(index)
        results[case.id] = convert_lo_result(case.id, raw[name], saved[name])
    return results


def read_saved_xlsx(path: Path, cells) -> dict[str, tuple[str, object]]:
    """(openpyxl data type, cached value) of each result cell in the workbook LibreOffice saved."""
    import warnings

    import openpyxl

    with warnings.catch_warnings():
        # a date-formatted result outside Excel's date range (DATE(10000,1,1) in LibreOffice) makes openpyxl warn
        warnings.simplefilter("ignore", UserWarning)
        wb = openpyxl.load_workbook(path, data_only=True)
    out = {}
    for name, at in cells:
        cell = wb[name][at]
        out[name] = (cell.data_type, cell.value)
    return out


def convert_lo_result(case_id: str, raw: dict, saved: tuple[str, object]) -> dict:
    saved_type, saved_value = saved
    kind = raw["kind"]
    if kind == "empty":
        return {"type": "empty", "value": None}
    if kind == "error":
        code, display = raw["error"], raw["string"]
        if display in EXCEL_CODES:
            # LibreOffice already shows an Excel code; its .xlsx export must say the same.
            excel = display
            if saved_type != "e" or saved_value != excel:
                raise SystemExit(f"{case_id}: LibreOffice shows {display} but saves {saved_value!r}")
        else:
            # An "Err:NNN" code without an Excel spelling: use the reviewed table, never a guess.
            if code not in LO_ERROR_TO_EXCEL:
                raise SystemExit(f"{case_id}: LibreOffice error {code} ({display}) is not in LO_ERROR_TO_EXCEL")
            excel = LO_ERROR_TO_EXCEL[code]
            if code not in LO_EXPORT_DIFFERS and (saved_type != "e" or saved_value != excel):
                raise SystemExit(f"{case_id}: error {code} maps to {excel} but LibreOffice saves {saved_value!r}")
        entry = {"type": "error", "value": excel, "lo_code": code}
        if display != excel:
            entry["lo_display"] = display
        return entry
    if kind == "text":
        return {"type": "text", "value": raw["string"]}
    # kind == "number": a logical result is a number with a LOGICAL number format in LibreOffice
    value = raw["value"]
    # LibreOffice carries the LOGICAL format through arithmetic (=-TRUE is -1 "formatted as logical"); like its
    # own .xlsx export, only 0 and 1 with that format count as booleans.
    if raw["logical"] and value in (0.0, 1.0):
        if saved_type != "b":
            raise SystemExit(f"{case_id}: LibreOffice formats the result as logical but saves it as {saved_type!r}")
        return {"type": "bool", "value": value != 0}
    if saved_type == "b":
        raise SystemExit(f"{case_id}: LibreOffice saves a boolean that UNO did not report as logical")
    return {"type": "number", "value": float(value)}


# ---------------------------------------------------------------------------------------------------------------
# The UNO worker: runs under the system Python, which has the `uno` module but not openpyxl.
# ---------------------------------------------------------------------------------------------------------------

_PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N">
  <prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>en-US</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>en-US</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="ODFRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""


def uno_worker(job_path: str, out_path: str) -> None:
    import uno  # only the system Python has it
    from com.sun.star.beans import PropertyValue

    job = json.loads(Path(job_path).read_text())
    profile = Path(job["profile"])
    (profile / "user").mkdir(parents=True, exist_ok=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE_SETTINGS)

    def prop(name, value):
        p = PropertyValue()
        p.Name = name
        p.Value = value
        return p

    pipe = f"sheetrl_oracle_{os.getpid()}"
    soffice = os.environ.get("SOFFICE", shutil.which("soffice") or "soffice")
    proc = subprocess.Popen(
        [
            soffice, "--headless", "--invisible", "--nologo", "--norestore", "--nodefault", "--nolockcheck",
            f"-env:UserInstallation={uno.systemPathToFileUrl(str(profile))}",
            f"--accept=pipe,name={pipe};urp;StarOffice.ComponentContext",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        deadline = time.monotonic() + 120
        while True:
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                if time.monotonic() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.25)
        desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        doc = desktop.loadComponentFromURL(
            uno.systemPathToFileUrl(job["source"]), "_blank", 0, (prop("Hidden", True),)
        )
        doc.calculateAll()  # hard recalculation of every formula cell
        formats = doc.NumberFormats
        logical_flag = uno.getConstantByName("com.sun.star.util.NumberFormat.LOGICAL")
        result_value = uno.getConstantByName("com.sun.star.sheet.FormulaResult.VALUE")
        result_string = uno.getConstantByName("com.sun.star.sheet.FormulaResult.STRING")
        result_error = uno.getConstantByName("com.sun.star.sheet.FormulaResult.ERROR")
        out = {}
        for name, at in job["cells"]:
            cell = doc.Sheets.getByName(name).getCellRangeByName(at)
            content = cell.getType().value
            entry = {"formula": cell.getFormula(), "string": cell.getString(), "value": cell.getValue()}
            if content == "EMPTY":
                entry["kind"] = "empty"
            elif content != "FORMULA":
                raise RuntimeError(f"{name}!{at}: expected a formula cell, found {content}")
            else:
                result = cell.FormulaResultType2
                if result == result_error or cell.getError():
                    entry["kind"] = "error"
                    entry["error"] = cell.getError()
                elif result == result_string:
                    entry["kind"] = "text"
                elif result == result_value:
                    entry["kind"] = "number"
                    entry["logical"] = bool(formats.getByKey(cell.NumberFormat).Type & logical_flag)
                else:
                    raise RuntimeError(f"{name}!{at}: unexpected formula result type {result}")
            out[name] = entry
        doc.storeToURL(uno.systemPathToFileUrl(job["saved"]), (prop("FilterName", "Calc Office Open XML"),))
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:  # the bridge drops when soffice exits
            pass
        Path(out_path).write_text(json.dumps(out))
    finally:
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# ---------------------------------------------------------------------------------------------------------------
# IronCalc
# ---------------------------------------------------------------------------------------------------------------


def parse_cell(address: str) -> tuple[int, int]:
    m = _CELL_RE.match(address.upper())
    if not m:
        raise ValueError(f"not a cell address: {address!r}")
    letters, digits = m.groups()
    column = 0
    for ch in letters:
        column = column * 26 + (ord(ch) - 64)
    return int(digits), column


def ironcalc_input(value: object) -> str:
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, str):
        return value if value.startswith("=") else "'" + value  # a leading quote keeps "2" or "TRUE" as text
    raise TypeError(f"unsupported setup value {value!r}")


def run_ironcalc(cases, workbook: Path) -> dict[str, dict]:
    import ironcalc

    results: dict[str, dict] = {}
    loaded = None  # cases with names or tables are read from the oracle's workbook (names, tables included)
    for index, case in enumerate(cases):
        if case.names or case.tables:
            if loaded is None:
                loaded = ironcalc.load_from_xlsx(str(workbook), "en", "UTC")
                loaded.evaluate()
            row, column = parse_cell(case.at)
            results[case.id] = ironcalc_result(ironcalc, loaded, index, row, column, case.id)
            continue
        model = ironcalc.create("case", "en", "UTC")
        for address, value in case.cells.items():
            model.set_user_input(0, *parse_cell(address), ironcalc_input(value))
        row, column = parse_cell(case.at)
        # IronCalc has no legacy array formulas: an array case's formula goes in the range's first cell as a
        # dynamic-array formula, whose spill covers the same cells when the result has the range's shape.
        anchor = parse_cell(case.array.split(":")[0]) if case.array else (row, column)
        model.set_user_input(0, *anchor, case.formula)
        model.evaluate()
        results[case.id] = ironcalc_result(ironcalc, model, 0, row, column, case.id)
    return results


def ironcalc_result(ironcalc, model, sheet: int, row: int, column: int, case_id: str) -> dict:
    if model.is_empty_cell(sheet, row, column):
        return {"type": "empty", "value": None}
    kind = model.get_cell_type(sheet, row, column)
    value = model.get_cell_value(sheet, row, column)
    if kind == ironcalc.CellType.ErrorValue:
        return {"type": "error", "value": value}
    if kind == ironcalc.CellType.LogicalValue:
        return {"type": "bool", "value": bool(value)}
    if kind == ironcalc.CellType.Number:
        return {"type": "number", "value": float(value)}
    if kind == ironcalc.CellType.Text:
        return {"type": "text", "value": value}
    raise SystemExit(f"{case_id}: unexpected IronCalc result type {kind!r}")


# ---------------------------------------------------------------------------------------------------------------


def dump(results: dict[str, dict]) -> str:
    return json.dumps(results, indent=1, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="do not write; exit 1 if the committed files differ")
    parser.add_argument("--keep", metavar="DIR", help="copy the workbooks exchanged with LibreOffice into DIR")
    parser.add_argument("--uno-worker", nargs=2, metavar=("JOB", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.uno_worker:
        uno_worker(*args.uno_worker)
        return 0

    started = time.monotonic()
    cases = load_cases()
    with tempfile.TemporaryDirectory(prefix="sheetrl_oracle_") as tmp:
        lo = run_libreoffice(cases, Path(tmp))
        if args.keep:
            keep = Path(args.keep)
            keep.mkdir(parents=True, exist_ok=True)
            for name in ("cases.xlsx", "cases_recalculated.xlsx"):
                shutil.copy(Path(tmp) / name, keep / name)
        lo_seconds = time.monotonic() - started
        ic = run_ironcalc(cases, Path(tmp) / "cases.xlsx")

    outputs = {LO_JSON: dump(lo), IRONCALC_JSON: dump(ic)}
    stale = [path for path, text in outputs.items() if not path.exists() or path.read_text() != text]
    disagree = sorted(cid for cid in lo if not same_result(lo[cid], ic[cid]))
    print(
        f"{len(cases)} cases; LibreOffice {lo_seconds:.1f}s, total {time.monotonic() - started:.1f}s; "
        f"LibreOffice and IronCalc disagree on {len(disagree)}"
    )
    if args.check:
        for path in stale:
            print(f"stale: {path.relative_to(ROOT)}")
        return 1 if stale else 0
    for path, text in outputs.items():
        path.write_text(text)
    return 0


def same_result(a: dict, b: dict) -> bool:
    """The comparison rule of test_conformance: numbers within rel 1e-9 / abs 1e-12, everything else exact."""
    if a["type"] != b["type"]:
        return False
    if a["type"] == "number":
        return math.isclose(a["value"], b["value"], rel_tol=1e-9, abs_tol=1e-12)
    return a["value"] == b["value"]


if __name__ == "__main__":
    sys.exit(main())
