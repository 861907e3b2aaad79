"""The recalculation loop (Workbook._execute): its plain loop, taken while nothing spills, hands over to the full
loop at an array, a circular formula or a failing function, and every formula after that point is still
computed once, in order."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

import sheetrl.sheet.workbook as workbook_module
from sheetrl.sheet import Workbook
from sheetrl.sheet.errors import CYCLE, VALUE
from sheetrl.sheet.functions import FUNCTIONS


class _Defect:
    """ABS's implementation, failing once ``failing`` is set (after the workbook computed it once)."""

    def __init__(self) -> None:
        self.failing = False
        self.calls = 0
        self.original = FUNCTIONS["ABS"].impl

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        if self.failing:
            raise RuntimeError("a defect in a function")
        return self.original(*args, **kwargs)


def _workbook(cells: dict[str, object]) -> Workbook:
    wb = Workbook()
    with wb.batch():
        for address, value in cells.items():
            wb.set(address, value)
    return wb


@pytest.mark.parametrize("edit", [2.0, -3.0])
def test_a_failing_function_is_value_and_the_rest_is_computed(monkeypatch: pytest.MonkeyPatch, edit: float) -> None:
    monkeypatch.setattr(workbook_module, "STRICT", False)
    defect = _Defect()
    monkeypatch.setitem(FUNCTIONS, "ABS", dataclasses.replace(FUNCTIONS["ABS"], impl=defect))
    wb = _workbook({"A1": 1.0, "B1": "=A1+1", "C1": "=ABS(A1)", "E1": "=C1+B1", "H1": "=B1*10"})
    assert wb.values(["C1", "E1"]) == [1, 3]
    defect.failing = True
    defect.calls = 0
    wb.set("A1", edit)
    assert defect.calls == 1  # found by review: the failing step was run again by the full loop (RAND twice)
    assert wb.value_at(wb.key("C1")) is VALUE  # the defect is #VALUE!, and the rest is computed
    assert wb.value_at(wb.key("E1")) is VALUE
    assert wb.values(["B1", "H1"]) == [edit + 1, (edit + 1) * 10]


def test_a_circular_reference_is_cycle_and_the_rest_is_computed() -> None:
    wb = _workbook({"A1": 1.0, "F1": "=G1+A1", "G1": "=F1", "H1": "=A1*2"})
    wb.set("A1", 4.0)
    assert wb.value_at(wb.key("F1")) is CYCLE and wb.value_at(wb.key("G1")) is CYCLE
    assert wb.value("H1") == 8


def test_an_array_that_appears_is_placed_and_the_rest_computed() -> None:
    wb = _workbook({"A1": 1.0, "B1": "=IF(A1>1.5,SEQUENCE(3),0)*A1", "C1": "=B3+A1"})
    assert wb.values(["B1", "B2", "C1"]) == [0, None, 1]
    wb.set("A1", 5.0)
    assert wb.values(["B1", "B2", "B3", "C1"]) == [5, 10, 15, 20]
    wb.set("A1", 1.0)  # no longer an array: its other cells are emptied
    assert wb.values(["B1", "B2", "B3", "C1"]) == [0, None, None, 1]
def test_a_failing_function_raises_in_strict_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(workbook_module, "STRICT", True)
    defect = _Defect()
    defect.failing = True
    monkeypatch.setitem(FUNCTIONS, "ABS", dataclasses.replace(FUNCTIONS["ABS"], impl=defect))
    wb = Workbook()
    wb.set("A1", 1.0)
    with pytest.raises(RuntimeError, match="defect"):
        wb.set("B1", "=ABS(A1)+1")
