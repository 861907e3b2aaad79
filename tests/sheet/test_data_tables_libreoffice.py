"""Data tables through LibreOffice: saved by the engine, recalculated by LibreOffice (which reads Excel's
``<f t="dataTable">`` as its MULTIPLE.OPERATIONS), compared cell by cell with the engine's values."""

from __future__ import annotations

import openpyxl
import pytest

from sheetrl.sheet import Workbook

from .test_roundtrip_libreoffice import describe_engine, describe_openpyxl, recalculate_with_libreoffice, same

pytestmark = [pytest.mark.oracle, pytest.mark.slow]

TABLES = ("C4:D8", "G3:I4", "L4:N5")


def build() -> Workbook:
    wb = Workbook()
    wb.set("A1", 0.5)  # one variable, column input A1
    wb.set("C3", "=A1*10")
    wb.set("D3", "=ROUND(A1/3,4)")
    wb.set_range("B4", [[1], [2], [3], [4], [5]])
    wb.set_data_table("C4:D8", column_input="A1")
    wb.set("F1", 2)  # one variable, row input F1
    wb.set("F2", "=F1+1")
    wb.set("F3", "=F2^2")
    wb.set("F4", '=IF(F1>2,"big","small")')
    wb.set_range("G2", [[1, 2, 3]])
    wb.set_data_table("G3:I4", row_input="F1")
    wb.set("K1", 2)  # two variables
    wb.set("L1", 3)
    wb.set("K3", "=K1*L1+1")
    wb.set_range("L3", [[1, 2, 3]])
    wb.set_range("K4", [[10], [20]])
    wb.set_data_table("L4:N5", "K1", "L1")
    return wb


def test_libreoffice_computes_the_engines_data_tables_alike(tmp_path):
    wb = build()
    source = tmp_path / "tables.xlsx"
    wb.save(source)
    outdir = recalculate_with_libreoffice([source], tmp_path)
    ws = openpyxl.load_workbook(outdir / source.name, data_only=True).active
    for area in TABLES:
        for engine_row, office_row in zip(wb.values(area), ws[area]):
            for engine_value, cell in zip(engine_row, office_row):
                expected, actual = describe_engine(engine_value), describe_openpyxl(cell)
                assert same(expected, actual), (area, cell.coordinate, expected, actual)
    assert wb.values("G3:I4") == [[4, 9, 16], ["small", "small", "big"]]
