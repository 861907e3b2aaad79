"""Excel's iterative calculation for circular references: off by default (#CYCLE!), on through
``Workbook.iterative_calculation`` or an .xlsx file's ``calcPr iterate``; hand-computed iterates."""

from __future__ import annotations

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
