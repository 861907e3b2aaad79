"""MAP, REDUCE, SCAN, BYROW, BYCOL, MAKEARRAY against Microsoft's documented examples (hand-computed values)."""

from __future__ import annotations

from typing import Any

import pytest

from .cases import check_rows, evaluate_array

GRID = {"A1": 1, "B1": 2, "C1": 3, "A2": 4, "B2": 5, "C2": 6}


@pytest.mark.parametrize(
    ("formula", "cells", "expected"),
    [
        ("=MAP(A1:C2,LAMBDA(a,IF(a>4,a*a,+a)))", GRID, [[1, 2, 3], [4, 25, 36]]),  # Microsoft's MAP example
        ("=MAP(A1:A2,B1:B2,LAMBDA(x,y,x&y))", GRID, [["12"], ["45"]]),
        ("=MAP({1,2},LAMBDA(x,SEQUENCE(x)))", None, [[1, "#CALC!"]]),  # an array per element: nested arrays
        ("=MAP({1,2},{1;2},LAMBDA(x,y,x+y))", None, [["#VALUE!"]]),  # arrays of different shapes
        ("=MAP({1,2},LAMBDA(x,y,x+y))", None, [["#VALUE!"]]),  # wrong number of parameters
        ("=MAP({1,2},5)", None, [["#VALUE!"]]),  # not a LAMBDA
        ("=REDUCE(0,A1:C2,LAMBDA(a,b,a+b^2))", GRID, [[91]]),  # sum of squares
        ("=REDUCE(1,{2,3,4},LAMBDA(a,b,a*b))", None, [[24]]),
        ('=REDUCE("",{"a","b"},LAMBDA(acc,x,acc&x))', None, [["ab"]]),
        ("=REDUCE(,{1,2},LAMBDA(a,b,a+b))", None, [[3]]),  # an omitted initial value starts empty
        ("=REDUCE(0,{1,2,3},LAMBDA(a,b,IF(b>1,VSTACK(a,b),a)))", None, [[0], [2], [3]]),  # may build an array
        ("=SCAN(0,{1,2,3,4},LAMBDA(a,b,a+b))", None, [[1, 3, 6, 10]]),  # running total
        ('=SCAN("",{"a","b","c"},LAMBDA(t,i,t&i))', None, [["a", "ab", "abc"]]),  # Microsoft's SCAN example
        ("=BYROW(A1:C2,LAMBDA(r,MAX(r)))", GRID, [[3], [6]]),  # Microsoft's BYROW example
        ("=BYCOL(A1:C2,LAMBDA(c,SUM(c)))", GRID, [[5, 7, 9]]),
        ("=BYROW(A1:C2,LAMBDA(r,COUNT(r)*100+SUM(r)))", GRID, [[306], [315]]),
        ("=BYROW(A1:C2,LAMBDA(r,r))", GRID, [["#CALC!"], ["#CALC!"]]),  # a row is not one value
        ("=MAKEARRAY(2,3,LAMBDA(r,c,r*c))", None, [[1, 2, 3], [2, 4, 6]]),  # Microsoft's MAKEARRAY example
        ("=MAKEARRAY(0,2,LAMBDA(r,c,1))", None, [["#VALUE!"]]),
    ],
)
def test_function_calling_a_lambda(formula: str, cells: dict[str, Any] | None, expected: list[list[Any]]) -> None:
    check_rows(evaluate_array(formula, cells), expected)


def test_a_lambda_in_a_defined_name_is_called_by_its_name() -> None:
    from sheetrl.sheet import Workbook

    wb = Workbook()
    wb.set("A1", "=Dbl(3)")
    assert str(wb.value("A1")) == "#NAME?"  # no such name yet
    wb.define_name("Dbl", "=LAMBDA(x,x*2)")
    assert wb.value("A1") == 6  # recompiled when the name appears
    wb.set("B1", 4)
    wb.set("A2", "=Dbl(B1)+1")
    assert wb.value("A2") == 9
    wb.set("B1", 10)
    assert wb.value("A2") == 21
    wb.define_name("K", "=5")
    wb.set("A3", "=K(1)")
    assert str(wb.value("A3")) == "#VALUE!"  # the name holds a number, not a function
    wb.define_name("Fact", "=LAMBDA(x,x+100)")
    wb.set("A4", "=FACT(3)")
    assert wb.value("A4") == 6  # the library function keeps its meaning
    wb.delete_name("Dbl")
    assert str(wb.value("A1")) == "#NAME?"


def test_a_named_lambda_survives_a_file_round_trip_without_a_warning(tmp_path) -> None:
    from sheetrl.sheet import Workbook

    wb = Workbook()
    wb.define_name("AddTax", "=LAMBDA(amount,rate,amount*(1+rate))")
    wb.set("A1", 100)
    wb.set("B1", "=AddTax(A1,0.2)")
    wb.save(tmp_path / "named_lambda.xlsx")
    loaded = Workbook.load(tmp_path / "named_lambda.xlsx")
    assert loaded.value("B1") == 120
    assert not any("ADDTAX" in line.upper() for line in loaded.warnings)
