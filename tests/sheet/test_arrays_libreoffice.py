"""Array formulas through LibreOffice: saved by the engine, recalculated by LibreOffice, read back.

LibreOffice 7.4 has no dynamic arrays, but it reads the form Excel writes them in: an array formula over the cells
the formula spills. So the engine's spills, legacy array formulas and plain formulas with implied ``@`` must all
come out of LibreOffice with the engine's values in every cell; LibreOffice writes them back as legacy array
formulas, which the engine must read with the same values again. (The functions LibreOffice 7.4 lacks, the spill
reference ``A1#`` and an ``@`` that a plain formula cannot express are not part of this: it gives #NAME? there.)
"""

from __future__ import annotations

import openpyxl
import pytest

from .test_roundtrip_libreoffice import (
    describe_engine,
    describe_openpyxl,
    recalculate_with_libreoffice,
    same,
)

pytestmark = [pytest.mark.oracle, pytest.mark.slow]

DATA = [[1, 4, "a"], [2, 5, "b"], [3, 6, "c"], [-4, 0.5, "d"]]

# (how the formula is entered, where, formula, the cells whose values are compared)
ARRAYS = [
    ("spill", "E1", "=A1:A4*B1:B4", "E1:E4"),
    ("spill", "F1", "=TRANSPOSE(A1:C2)", "F1:G3"),
    ("spill", "H1", "=MMULT({1,2;3,4},{5;6})", "H1:H2"),
    ("spill", "I1", '=IF(A1:A4>1,C1:C4,"small")', "I1:I4"),
    ("spill", "J1", "=MINVERSE({4,-1;2,0})", "J1:K2"),
    ("spill", "L1", "=A1:B4", "L1:M4"),
    ("spill", "N1", "=ABS(A1:A4)+ROUND(B1:B4,0)", "N1:N4"),
    ("spill", "O1", "={1,2;3,4}*10", "O1:P2"),
    ("spill", "Q1", "=C1:C4&A1:A4", "Q1:Q4"),
    ("array", "E6:E9", "=A1:A4*2", "E6:E9"),
    ("array", "F6:H6", "={1,2}", "F6:H6"),  # fitted: the third cell is #N/A
    ("array", "F7:G8", "=A1:A2+B1:C1", "F7:G8"),
    ("array", "I6", "=SUM(A1:A4*B1:B4)", "I6"),
    ("array", "J6", "=MAX(ABS(A1:A4))", "J6"),
    ("array", "K6:K7", "=MMULT(TRANSPOSE(A1:A4),B1:B4)", "K6:K7"),
    ("plain", "D2", "=@A1:A4*10", "D2"),
    ("plain", "D3", "=ABS(@A1:A4)", "D3"),
    ("plain", "D4", "=SUMPRODUCT((A1:A4>0)*B1:B4)", "D4"),
    ("plain", "D5", "=@INDEX(A1:B4,0,2)", "D5"),
]


def build():
    from sheetrl.sheet import Workbook

    wb = Workbook()
    wb.set_range("A1", DATA)
    for kind, where, formula, _ in ARRAYS:
        if kind == "array":
            wb.set_array_formula(where, formula)
        else:
            wb.set(where, formula)
    return wb


def cells_of(area: str) -> list[str]:
    from sheetrl.sheet.address import cell_name, parse_range

    rng = parse_range(area)
    return [cell_name(r, c) for r, c in rng.cells()]


@pytest.fixture(scope="module")
def through_libreoffice(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("lo_arrays")
    wb = build()
    source = workdir / "arrays.xlsx"
    wb.save(source)
    outdir = recalculate_with_libreoffice([source], workdir)
    return wb, outdir / source.name


def test_libreoffice_computes_every_cell_of_the_engines_arrays(through_libreoffice):
    wb, recalculated = through_libreoffice
    sheet = openpyxl.load_workbook(recalculated, data_only=True).worksheets[0]
    bad = []
    for kind, where, formula, area in ARRAYS:
        for address in cells_of(area):
            ours, theirs = describe_engine(wb.value(address)), describe_openpyxl(sheet[address])
            if not same(ours, theirs):
                bad.append(f"  {kind} {where} {formula}: {address} engine {ours}, LibreOffice {theirs}")
    assert not bad, "\n".join(bad)


def test_engine_reads_libreoffices_array_formulas_back(through_libreoffice):
    from sheetrl.sheet import Workbook

    wb, recalculated = through_libreoffice
    loaded = Workbook.load(recalculated)
    bad = [
        f"  {where} {formula}: {address} before {wb.value(address)!r}, after {loaded.value(address)!r}"
        for _, where, formula, area in ARRAYS
        for address in cells_of(area)
        if not same(describe_engine(wb.value(address)), describe_engine(loaded.value(address)))
    ]
    assert not bad, "\n".join(bad)
    assert loaded.array_formula_range("E2") == "E1:E4"  # a spill comes back as LibreOffice wrote it
