"""Round trip through LibreOffice: workbooks saved by the engine, recalculated by LibreOffice, values compared.

A seeded generator builds small random workbooks (numbers, text, and formulas over them with + - * / SUM AVERAGE
IF ROUND &). The engine evaluates and saves each one; LibreOffice headless opens the saved files, recalculates
every formula and writes them back as .xlsx; the cached values LibreOffice wrote must equal the engine's.

To make sure LibreOffice really computes (and does not just echo the values the engine cached in the file), the
cached values are stripped from every formula cell before LibreOffice sees the file, and LibreOffice runs with a
private profile whose settings force recalculation on load. The private profile also keeps parallel test workers
from colliding.

The generator avoids the places where LibreOffice departs from Excel (logicals inside SUM/AVERAGE or "&",
numbers whose text form needs an exponent); ``tests/sheet/conformance/known_differences.py`` covers those.

Skipped when ``soffice`` is missing, except under ``CI=true`` where a missing LibreOffice is a failure.
"""

from __future__ import annotations

import math
import os
import random
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

pytestmark = [pytest.mark.oracle, pytest.mark.slow]

N_WORKBOOKS = 20
SEED = 20_240_611
SOFFICE_TIMEOUT_S = 300

_PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N">
  <prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>en-US</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>en-US</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Formula/Load">
  <prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
"""

_WORDS = ["apple", "Kiwi", "pear", "two words", "42", "x", "Zeta", "3.5"]


# ---------------------------------------------------------------------------------------------------------------
# Random workbooks
# ---------------------------------------------------------------------------------------------------------------


def random_workbook(rng: random.Random) -> list[tuple[str, object]]:
    """(address, value) pairs in the order they are set: inputs first, then formulas in dependency order."""
    cells: list[tuple[str, object]] = []
    numeric = []  # refs whose value is a number (or an error)
    text = []  # refs whose value is text
    for row in range(1, 7):
        kind = rng.random()
        if kind < 0.15:
            value: object = 0
        elif kind < 0.55:
            value = rng.randint(-20, 20)
        else:
            value = round(rng.uniform(-100, 100), rng.choice([1, 2, 3]))
        cells.append((f"A{row}", value))
        numeric.append(f"A{row}")
    for row in range(1, 4):
        cells.append((f"B{row}", rng.choice(_WORDS)))
        text.append(f"B{row}")

    def num() -> str:
        if rng.random() < 0.15:
            return str(rng.choice([2, 3, 0.5, 10, 7]))
        return rng.choice(numeric)

    def a_range() -> str:
        i, j = sorted(rng.sample(range(1, 7), 2))
        return f"A{i}:A{j}"

    numeric_templates = [
        lambda: f"={num()}{rng.choice('+-*/')}{num()}",
        lambda: f"=({num()}+{num()})*{num()}",
        lambda: f"={num()}-{num()}/{num()}",
        lambda: f"=SUM({a_range()})",
        lambda: f"=SUM({num()},{num()},{a_range()})",
        lambda: "=SUM(A1:B3)",
        lambda: f"=AVERAGE({a_range()})",
        lambda: "=AVERAGE(A1:B3)",
        lambda: f"=IF({num()}>{num()},{num()},{num()})",
        lambda: f"=IF({num()}<=0,-{num()},{num()}*2)",
        lambda: f"=ROUND({num()}/{num()},{rng.randint(0, 3)})",
        lambda: f"=ROUND({num()}*1.5,{rng.randint(-1, 2)})",
        lambda: f"=ROUND(SUM({a_range()})/7,2)",
        lambda: f"={rng.choice(text)}+1",
    ]
    text_templates = [
        lambda: f'={rng.choice(text)}&" "&{rng.choice([r for r in numeric if r.startswith("A")])}',
        lambda: f"={rng.choice(text)}&{rng.choice(text)}",
        lambda: f'=IF({num()}>0,{rng.choice(text)},"neg")',
        lambda: f'=ROUND({num()},1)&"!"',
    ]
    logical_templates = [
        lambda: f"={num()}>{num()}",
        lambda: f'={rng.choice(text)}="apple"',
    ]
    for row in range(1, 11):
        address = f"C{row}"
        pick = rng.random()
        if pick < 0.65:
            cells.append((address, rng.choice(numeric_templates)()))
            numeric.append(address)
        elif pick < 0.9:
            cells.append((address, rng.choice(text_templates)()))
            text.append(address)
        else:  # logicals are never referenced again: SUM/& over them is where LibreOffice departs from Excel
            cells.append((address, rng.choice(logical_templates)()))
    return cells


WORKBOOKS = [random_workbook(random.Random(SEED + i)) for i in range(N_WORKBOOKS)]


# ---------------------------------------------------------------------------------------------------------------
# LibreOffice
# ---------------------------------------------------------------------------------------------------------------


def soffice_path() -> str:
    path = shutil.which("soffice")
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("LibreOffice (soffice) is not installed, and CI=true requires the round-trip oracle to run")
        pytest.skip("LibreOffice (soffice) is not installed")
    return path


_CACHED_VALUE_RE = re.compile(
    r"(<(?:\w+:)?f\b[^>]*?(?:/>|>.*?</(?:\w+:)?f>))\s*<(?:\w+:)?v\b[^>]*?(?:/>|>.*?</(?:\w+:)?v>)", re.S
)


def strip_cached_values(source: Path, target: Path) -> None:
    """Copy an .xlsx, dropping the cached value of every formula cell."""
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename.startswith("xl/worksheets/") and item.filename.endswith(".xml"):
                data = _CACHED_VALUE_RE.sub(r"\1", data.decode("utf-8")).encode("utf-8")
            zout.writestr(item, data)


def recalculate_with_libreoffice(files: list[Path], workdir: Path) -> Path:
    """Convert ``files`` to .xlsx with LibreOffice (recalculating on load); returns the output folder."""
    soffice = soffice_path()
    profile = workdir / "lo_profile"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_PROFILE_SETTINGS)
    outdir = workdir / "recalculated"
    outdir.mkdir()
    cmd = [
        soffice,
        f"-env:UserInstallation={profile.as_uri()}",
        "--headless", "--invisible", "--norestore", "--nolockcheck",
        "--convert-to", "xlsx:Calc MS Excel 2007 XML",
        "--outdir", str(outdir),
        *map(str, files),
    ]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=SOFFICE_TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"LibreOffice did not finish within {SOFFICE_TIMEOUT_S}s: {exc}")
    missing = [f.name for f in files if not (outdir / f.name).exists()]
    if proc.returncode != 0 or missing:
        pytest.fail(
            f"LibreOffice conversion failed (rc={proc.returncode}, missing {missing}):\n{proc.stdout}\n{proc.stderr}"
        )
    return outdir


# ---------------------------------------------------------------------------------------------------------------
# Comparison
# ---------------------------------------------------------------------------------------------------------------


def describe_engine(value: object) -> tuple[str, object]:
    from sheetrl.sheet.errors import ExcelError

    if value is None:
        return ("empty", None)
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, ExcelError):
        return ("error", str(value))
    if isinstance(value, (int, float)):
        return ("number", float(value))
    if isinstance(value, str):
        return ("text", value)
    return (f"unexpected {type(value).__name__}", repr(value))


def describe_openpyxl(cell) -> tuple[str, object]:
    value = cell.value
    if cell.data_type == "e":
        return ("error", value)
    if value is None:
        return ("empty", None)
    if isinstance(value, bool):
        return ("bool", value)
    if isinstance(value, (int, float)):
        return ("number", float(value))
    return ("text", str(value))


def same(a: tuple[str, object], b: tuple[str, object]) -> bool:
    if a[0] != b[0]:
        return False
    if a[0] == "number":
        return math.isclose(a[1], b[1], rel_tol=1e-9, abs_tol=1e-12)
    return a[1] == b[1]


@pytest.fixture(scope="module")
def roundtrip(tmp_path_factory):
    """Engine values, the LibreOffice-recalculated files, per workbook index."""
    soffice_path()  # skip (or, under CI=true, fail) before doing any work
    from sheetrl.sheet import Workbook

    workdir = tmp_path_factory.mktemp("lo_roundtrip")
    (workdir / "engine").mkdir()
    (workdir / "to_libreoffice").mkdir()
    engine_values: list[dict[str, tuple[str, object]]] = []
    files = []
    for index, cells in enumerate(WORKBOOKS):
        wb = Workbook()
        for address, value in cells:
            wb.set(address, value)
        engine_values.append({address: describe_engine(wb.value(address)) for address, _ in cells})
        saved = workdir / "engine" / f"wb{index:02d}.xlsx"
        wb.save(saved)
        stripped = workdir / "to_libreoffice" / saved.name
        strip_cached_values(saved, stripped)
        files.append(stripped)
    outdir = recalculate_with_libreoffice(files, workdir)
    return engine_values, [outdir / f.name for f in files]


def _mismatches(cells, ours, theirs) -> list[str]:
    return [
        f"  {address}: {value!r}\n    engine {ours[address]}, LibreOffice {theirs[address]}"
        for address, value in cells
        if isinstance(value, str) and value.startswith("=") and not same(ours[address], theirs[address])
    ]


@pytest.mark.parametrize("index", range(N_WORKBOOKS))
def test_libreoffice_recalculates_engine_workbook_to_same_values(roundtrip, index):
    import openpyxl

    engine_values, recalculated = roundtrip
    cells = WORKBOOKS[index]
    sheet = openpyxl.load_workbook(recalculated[index], data_only=True).worksheets[0]
    theirs = {address: describe_openpyxl(sheet[address]) for address, _ in cells}
    inputs = "\n".join(f"  {a} = {v!r}" for a, v in cells if not (isinstance(v, str) and v.startswith("=")))
    bad = _mismatches(cells, engine_values[index], theirs)
    assert not bad, f"workbook {index} (seed {SEED + index}) inputs:\n{inputs}\nmismatches:\n" + "\n".join(bad)


@pytest.mark.parametrize("index", range(N_WORKBOOKS))
def test_engine_loads_libreoffice_file_with_same_values(roundtrip, index):
    from sheetrl.sheet import Workbook

    engine_values, recalculated = roundtrip
    cells = WORKBOOKS[index]
    loaded = Workbook.load(recalculated[index])
    theirs = {address: describe_engine(loaded.value(address)) for address, _ in cells}
    bad = _mismatches(cells, engine_values[index], theirs)
    assert not bad, f"workbook {index} (seed {SEED + index}) read back from LibreOffice differs:\n" + "\n".join(bad)


# ---------------------------------------------------------------------------------------------------------------
# Names, tables and computed references through LibreOffice
# ---------------------------------------------------------------------------------------------------------------


def names_and_tables_workbook():
    """A workbook using defined names (both scopes, constants, ranges, formulas, relative, lists), a table with a
    totals row and structured references, and INDIRECT/OFFSET/INDEX ranges: only what LibreOffice 7.4 reads."""
    from sheetrl.sheet import Workbook

    wb = Workbook(["Data", "Report"])
    wb.set_range("Data!A1",
                 [["Item", "Qty", "Price"], ["a", 2, 1.5], ["b", 3, 2], ["c", 4, 2.5], ["Total", None, None]])
    wb.set("Data!B5", "=SUM(Sales[Qty])")
    wb.add_table("Sales", "Data!A1:C5", totals=True)
    wb.set_range("Report!A1", [[10], [20], [30], [40]])
    wb.define_name("Rate", "=0.5")
    wb.define_name("Amounts", "=Report!$A$1:$A$4")
    wb.define_name("Gross", "=SUM(Amounts)*(1+Rate)")
    wb.define_name("Ends", "=Report!$A$1,Report!$A$4")
    wb.define_name("Local", "=Report!$A$2*2", sheet="Report")
    wb.define_name("RowLeft", "=Report!$A1")
    formulas = {
        "Report!C1": "=Gross",
        "Report!C2": "=SUM(Ends)+Local",
        "Report!C3": "=RowLeft*10",
        "Report!C4": "=SUM(Sales[Qty])+Sales[[#Totals],[Qty]]",
        "Report!C5": "=SUMPRODUCT(Sales[Qty],Sales[Price])",
        "Report!C6": '=INDIRECT("A"&2)+SUM(INDIRECT("Report!A3:A4"))',
        "Report!C7": "=SUM(A1:INDEX(A1:A4,3))",
        "Report!C8": "=SUM(OFFSET(A1,1,0,3))",
        "Report!C9": "=SUM((A1,A3:A4))",
        "Report!C10": "=COUNTIF(Amounts,\">15\")+ROWS(Amounts)",
        "Report!C11": '=ADDRESS(ROW(),COLUMN(),4)&"|"&FORMULATEXT(C1)',
        "Report!C12": "=INDEX(Sales[Price],MATCH(\"b\",Sales[Item],0))",
    }
    for address, formula in formulas.items():
        wb.set(address, formula)
    return wb, list(formulas)


def test_libreoffice_agrees_on_names_tables_and_computed_references(tmp_path):
    import openpyxl

    from sheetrl.sheet import Workbook

    soffice_path()
    wb, addresses = names_and_tables_workbook()
    saved = tmp_path / "engine.xlsx"
    wb.save(saved)
    (tmp_path / "in").mkdir()
    stripped = tmp_path / "in" / "names.xlsx"
    strip_cached_values(saved, stripped)
    outdir = recalculate_with_libreoffice([stripped], tmp_path)
    book = openpyxl.load_workbook(outdir / "names.xlsx", data_only=True)
    ours = {a: describe_engine(wb.value(a)) for a in addresses}
    theirs = {}
    for address in addresses:
        sheet, cell = address.split("!")
        theirs[address] = describe_openpyxl(book[sheet][cell])
    bad = [f"  {a}: {wb.formula(a)}: engine {ours[a]}, LibreOffice {theirs[a]}" for a in addresses
           if not same(ours[a], theirs[a])]
    assert not bad, "LibreOffice recalculated the engine's file differently:\n" + "\n".join(bad)
    loaded = Workbook.load(outdir / "names.xlsx")  # and back: LibreOffice's names and tables read by the engine
    assert {n.name for n in loaded.names()} >= {"Rate", "Amounts", "Gross", "Ends", "Local", "RowLeft"}
    assert [t.name for t in loaded.tables] == ["Sales"]
    back = {a: describe_engine(loaded.value(a)) for a in addresses}
    bad = [f"  {a}: engine {ours[a]}, after LibreOffice {back[a]}" for a in addresses if not same(ours[a], back[a])]
    assert not bad, "the engine reads LibreOffice's file differently:\n" + "\n".join(bad)
