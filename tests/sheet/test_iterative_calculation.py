"""Excel's iterative calculation for circular references: off by default (#CYCLE!), on through
``Workbook.iterative_calculation`` or an .xlsx file's ``calcPr iterate``; hand-computed iterates."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl
import pytest

from sheetrl.sheet import IterativeCalculation, Workbook
from sheetrl.sheet.errors import ExcelError

CYCLE = ExcelError("#CYCLE!")


def halving_pair() -> Workbook:
    """C1 = D1/2 + 1 and D1 = C1: the fixed point is 2; passes in cell order from empty give C1 = 2 - 2**(1-n)."""
    wb = Workbook()
    wb.set("C1", "=D1/2+1")
    wb.set("D1", "=C1")
    wb.set("E1", "=C1*10")  # reads the circular group
    return wb


def test_without_iteration_a_circular_reference_is_cycle_error() -> None:
    wb = halving_pair()
    assert wb.iterative_calculation is None
    assert [wb.value(a) for a in ("C1", "D1", "E1")] == [CYCLE, CYCLE, CYCLE]


def test_iteration_stops_at_the_first_pass_that_changes_no_number_by_more_than_max_change() -> None:
    wb = halving_pair()
    wb.iterative_calculation = IterativeCalculation()  # 100 passes at most, 0.001
    # pass n changes C1 by 2**(1-n): pass 11 is the first whose change (2**-10) is at most 0.001
    assert wb.value("C1") == 2 - 2**-10 and wb.value("D1") == 2 - 2**-10
    assert wb.value("E1") == (2 - 2**-10) * 10


def test_iteration_stops_after_max_iterations_passes() -> None:
    wb = Workbook()
    wb.set("A1", "=A1+1")
    wb.set("B1", "=B1")
    wb.iterative_calculation = IterativeCalculation(max_iterations=5, max_change=0.001)
    assert wb.value("A1") == 5  # never converges: one more per pass
    assert wb.value("B1") == 0  # an empty self-reference reads 0 and stays there
    wb.recalculate()
    assert wb.value("A1") == 10  # each calculation starts where the last one stopped, as in Excel


def test_an_edit_upstream_iterates_again_from_the_current_values() -> None:
    wb = halving_pair()
    wb.iterative_calculation = IterativeCalculation(max_iterations=1000, max_change=0.0)
    assert wb.value("C1") == 2.0  # max_change 0: until a pass changes nothing (floats reach 2 exactly)
    wb.set("F1", 5)
    wb.set("C1", "=D1/2+F1")
    assert wb.value("C1") == 10.0 and wb.value("E1") == 100.0


def test_turning_iteration_off_again_recalculates_to_cycle_errors_and_undo_restores_it() -> None:
    wb = halving_pair()
    wb.record_undo = True
    wb.iterative_calculation = IterativeCalculation()
    wb.iterative_calculation = None
    assert wb.value("C1") == CYCLE
    wb.undo()
    assert wb.iterative_calculation == IterativeCalculation() and wb.value("C1") == 2 - 2**-10


def test_a_clone_keeps_its_own_setting() -> None:
    wb = halving_pair()
    wb.iterative_calculation = IterativeCalculation()
    other = wb.clone()
    other.iterative_calculation = None
    assert other.value("C1") == CYCLE and wb.value("C1") == 2 - 2**-10


def test_a_circular_group_with_an_error_keeps_the_error() -> None:
    wb = Workbook()
    wb.set("A1", "=B1+1/0")
    wb.set("B1", "=A1")
    wb.iterative_calculation = IterativeCalculation()
    assert wb.value("A1") == ExcelError("#DIV/0!") and wb.value("B1") == ExcelError("#DIV/0!")


@pytest.mark.parametrize("settings", [(0, 0.001), (32_768, 0.001), (1.5, 0.001), (True, 0.001), (10, -1.0),
                                      (10, float("inf")), (10, float("nan")), (10, "0.1")])
def test_settings_outside_excels_limits_are_refused(settings: tuple) -> None:
    with pytest.raises(ValueError):
        IterativeCalculation(*settings)
    with pytest.raises(TypeError):
        Workbook().iterative_calculation = 100  # type: ignore[assignment]


def test_the_settings_travel_through_xlsx(tmp_path: Path) -> None:
    wb = halving_pair()
    wb.iterative_calculation = IterativeCalculation(max_iterations=7, max_change=0.25)
    path = tmp_path / "iterating.xlsx"
    wb.save(path)
    calc = openpyxl.load_workbook(path).calculation
    assert (calc.iterate, calc.iterateCount, calc.iterateDelta) == (True, 7, 0.25)
    loaded = Workbook.load(path)
    assert loaded.iterative_calculation == IterativeCalculation(7, 0.25)
    # pass 3 changes C1 by 0.25, within the file's maximum change: it stops there, at 1.75
    assert loaded.value("C1") == 2 - 2**-2


def test_a_file_without_iteration_loads_without_it_and_odd_settings_are_clamped(tmp_path: Path) -> None:
    xl = openpyxl.Workbook()
    xl.active["A1"] = "=A1+1"
    xl.calculation.iterateCount = 5  # a count without iterate="1": iteration is off
    xl.save(tmp_path / "off.xlsx")
    off = Workbook.load(tmp_path / "off.xlsx")
    assert off.iterative_calculation is None and off.value("A1") == CYCLE
    xl.calculation.iterate = True
    xl.calculation.iterateCount = 100_000
    xl.save(tmp_path / "many.xlsx")
    many = Workbook.load(tmp_path / "many.xlsx")
    assert many.iterative_calculation == IterativeCalculation(32_767, 0.001)
    assert many.value("A1") == 32_767
    assert any("outside Excel's limits" in warning for warning in many.warnings)


def test_an_array_formula_in_a_cycle_keeps_one_value_per_cell() -> None:
    """Review: the first member's last value was placed again over its whole array."""
    wb = Workbook()
    wb.iterative_calculation = IterativeCalculation()
    wb.set_array_formula("A1:A2", "={1;2}+0*B1")
    wb.set("B1", "=A2")
    assert [wb.value(a) for a in ("A1", "A2", "B1")] == [1, 2, 2]
    wb.set("D1", "=SEQUENCE(2)+0*E1")  # a spill as the group's first cell: it keeps spilling
    wb.set("E1", "=D2")
    assert [wb.value(a) for a in ("D1", "D2", "E1")] == [1, 2, 2]


def test_turning_iteration_on_clears_cycle_errors_from_array_cells_too() -> None:
    wb = Workbook()
    wb.set_array_formula("C1:C2", "={1;2}+B1/10")
    wb.set("B1", "=C2")
    assert wb.value("C2") == CYCLE
    wb.iterative_calculation = IterativeCalculation(max_iterations=1000, max_change=0.0)
    assert wb.value("B1") == pytest.approx(20 / 9) and wb.value("C1") == pytest.approx(11 / 9)  # B1 = 2 + B1/10


def test_a_file_with_iteration_starts_from_its_cached_values(tmp_path: Path) -> None:
    """Excel iterates from the values a file holds (a timestamp formula keeps its time across saves)."""
    xl = openpyxl.Workbook()
    xl.active["A1"] = "=A1+1"
    xl.calculation.iterate = True
    xl.calculation.iterateCount = 1
    path = tmp_path / "counter.xlsx"
    xl.save(path)
    with zipfile.ZipFile(path) as archive:
        contents = {info.filename: archive.read(info) for info in archive.infolist()}
    part = "xl/worksheets/sheet1.xml"
    contents[part], count = re.subn(rb"(<f>A1\+1</f>)(<v\s*/>|<v></v>)?", rb"\1<v>500</v>", contents[part])
    assert count == 1
    with zipfile.ZipFile(path, "w") as archive:
        for member, data in contents.items():
            archive.writestr(member, data)
    assert Workbook.load(path).value("A1") == 501


def test_a_data_table_over_an_iterating_cycle_counts_each_pass_against_its_bound() -> None:
    """Review: a plan step that iterates 32,767 times was counted as one evaluation."""
    wb = Workbook()
    wb.iterative_calculation = IterativeCalculation(32_767, 0.0)
    wb.set("A10", 1)
    for row in range(2, 21):
        wb.set(f"F{row}", f"=F{row - 1}+1")
    wb.set("F1", "=F20+A10")  # never converges: every pass runs all 32,767 times
    wb.set("B1", "=F1")
    for row in range(2, 12):
        wb.set(f"A{row}", row)
    wb.set_data_table("B2:B11", column_input="A10")
    assert wb.value("B2") == ExcelError("#NUM!")  # over the bound at once, instead of seconds of work
