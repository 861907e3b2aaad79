"""FILTER, SORT, SORTBY, UNIQUE, SEQUENCE, RANDARRAY against Excel's documented behaviour (hand-computed values)."""

from __future__ import annotations

from typing import Any

import pytest

from sheetrl.sheet import Workbook
from sheetrl.sheet.errors import SPILL

from .cases import check_rows, evaluate_array

# Microsoft's FILTER/SORT example data: region, sales rep, product, units.
SALES = {
    "A1": "East", "B1": "Tom", "C1": "Apple", "D1": 6380,
    "A2": "West", "B2": "Fred", "C2": "Grape", "D2": 5619,
    "A3": "North", "B3": "Amy", "C3": "Pear", "D3": 4565,
    "A4": "South", "B4": "Sal", "C4": "Banana", "D4": 5323,
    "A5": "East", "B5": "Fritz", "C5": "Apple", "D5": 4394,
    "A6": "West", "B6": "Sravan", "C6": "Grape", "D6": 7195,
    "A7": "North", "B7": "Xi", "C7": "Pear", "D7": 5231,
    "A8": "South", "B8": "Hector", "C8": "Banana", "D8": 2427,
    "A9": "East", "B9": "Tom", "C9": "Banana", "D9": 4213,
    "A10": "West", "B10": "Fred", "C10": "Pear", "D10": 3239,
}  # fmt: skip
COLUMN = {"A1": 3, "A2": 1, "A3": "b", "A4": True, "A5": "A", "A6": 2}


@pytest.mark.parametrize(
    ("formula", "cells", "expected"),
    [
        # FILTER
        ('=FILTER(A1:D10,C1:C10="Apple","")', SALES,
         [["East", "Tom", "Apple", 6380], ["East", "Fritz", "Apple", 4394]]),
        ('=FILTER(A1:D10,(A1:A10="East")*(C1:C10="Apple"),"")', SALES,
         [["East", "Tom", "Apple", 6380], ["East", "Fritz", "Apple", 4394]]),
        ('=FILTER(B1:B10,D1:D10>6000)', SALES, [["Tom"], ["Sravan"]]),
        ('=FILTER(A1:D10,C1:C10="Kiwi","none")', SALES, [["none"]]),
        ('=FILTER(A1:D10,C1:C10="Kiwi")', SALES, [["#CALC!"]]),  # nothing kept and no if_empty
        ("=FILTER({1,2,3},{1,0,1})", None, [[1, 3]]),  # a one-row include filters columns
        ("=FILTER({1;2;3},{1;0})", None, [["#VALUE!"]]),  # include does not match the array
        ('=FILTER({1;2},{1;"x"})', None, [["#VALUE!"]]),  # text in include
        ("=FILTER({1;2},{TRUE;#N/A})", None, [["#N/A"]]),  # an error in include is the result
        # SORT: ascending numbers, text (case-insensitive), FALSE, TRUE
        ("=SORT(A1:A6)", COLUMN, [[1], [2], [3], ["A"], ["b"], [True]]),
        ("=SORT(A1:A6,1,-1)", COLUMN, [[True], ["b"], ["A"], [3], [2], [1]]),
        ("=SORT(A1:B3,2)", {"A1": "x", "B1": 3, "A2": "y", "B2": 1, "A3": "z", "B3": 2},
         [["y", 1], ["z", 2], ["x", 3]]),
        ("=SORT({3,1,2},1,1,TRUE)", None, [[1, 2, 3]]),  # by_col sorts columns by a row
        ("=SORT({2,1;1,9;1,3},{1,2},{1,-1})", None, [[1, 9], [1, 3], [2, 1]]),  # two keys
        ("=SORT({1;2},1,2)", None, [["#VALUE!"]]),  # sort_order must be 1 or -1
        ("=SORT({1;2},3)", None, [["#VALUE!"]]),  # sort_index outside the array
        ("=SORT(A1:A3)", {"A1": 2, "A3": 1}, [[1], [2], [0]]),  # an empty cell sorts last (and shows 0)
        ("=SORT(A1:A3,,-1)", {"A1": 2, "A3": 1}, [[2], [1], [0]]),  # ... in either direction
        # errors sort after logicals, among themselves by ERROR.TYPE (as a real Excel file shows)
        ("=SORT({#N/A;1;#DIV/0!;TRUE;#NAME?})", None, [[1], [True], ["#DIV/0!"], ["#NAME?"], ["#N/A"]]),
        ("=SORT({#N/A;1;#DIV/0!;#NAME?},,-1)", None, [["#N/A"], ["#NAME?"], ["#DIV/0!"], [1]]),
        ('=SORT({"Hola";"b";"HOLA"},,-1)', None, [["Hola"], ["HOLA"], ["b"]]),  # ties keep their order
        # SORTBY: Microsoft's example sorts names by age
        ("=SORTBY(A1:A3,B1:B3)", {"A1": "Tom", "B1": 52, "A2": "Fred", "B2": 65, "A3": "Amy", "B3": 22},
         [["Amy"], ["Tom"], ["Fred"]]),
        ("=SORTBY(A1:A4,B1:B4,1,C1:C4,-1)",
         {"A1": "a", "B1": 2, "C1": 1, "A2": "b", "B2": 1, "C2": 5, "A3": "c", "B3": 2, "C3": 7, "A4": "d", "B4": 1,
          "C4": 6},
         [["d"], ["b"], ["c"], ["a"]]),
        ("=SORTBY({1,2,3},{3,1,2})", None, [[2, 3, 1]]),  # a one-row by_array sorts columns
        ("=SORTBY({1;2;3},{1;2})", None, [["#VALUE!"]]),
        # UNIQUE
        ("=UNIQUE(C1:C10)", SALES, [["Apple"], ["Grape"], ["Pear"], ["Banana"]]),
        ("=UNIQUE(A1:A5,,TRUE)", {"A1": "a", "A2": "B", "A3": "A", "A4": "c", "A5": "b"}, [["c"]]),  # case-insensitive
        ("=UNIQUE(A1:B3)", {"A1": 1, "B1": "x", "A2": 1, "B2": "y", "A3": 1, "B3": "x"}, [[1, "x"], [1, "y"]]),
        ("=UNIQUE({1,1,2},TRUE)", None, [[1, 2]]),
        ("=UNIQUE({1;1},,TRUE)", None, [["#CALC!"]]),  # nothing occurs exactly once
        # SEQUENCE (Microsoft: =SEQUENCE(4,5) counts 1..20 row by row)
        ("=SEQUENCE(2,3)", None, [[1, 2, 3], [4, 5, 6]]),
        ("=SEQUENCE(3,1,10,-5)", None, [[10], [5], [0]]),
        ("=SEQUENCE(2,2,0.5,0.25)", None, [[0.5, 0.75], [1, 1.25]]),
        ("=SEQUENCE(0)", None, [["#CALC!"]]),  # an empty array, as Excel's files record it
        ("=SEQUENCE(0.3)", None, [["#CALC!"]]),
        ("=SEQUENCE(-1)", None, [["#VALUE!"]]),
        ("=SEQUENCE(2000000)", None, [["#VALUE!"]]),  # more rows than a sheet has
        ("=SEQUENCE(5000,5000)", None, [["#NUM!"]]),  # larger than the engine builds
        ('=SEQUENCE("a")', None, [["#VALUE!"]]),
    ],
)
def test_dynamic_array_function(formula: str, cells: dict[str, Any] | None, expected: list[list[Any]]) -> None:
    check_rows(evaluate_array(formula, cells), expected)


def test_randarray_shape_bounds_and_whole_numbers():
    wb = Workbook()
    wb.set("A1", "=RANDARRAY(5,3,10,20,TRUE)")
    block = wb.values("A1:C5")
    assert all(isinstance(v, int) and 10 <= v <= 20 for row in block for v in row)
    wb.set("E1", "=RANDARRAY(4)")
    assert all(0 <= row[0] < 1 for row in wb.values("E1:E4"))
    wb.set("G1", "=RANDARRAY()")
    assert 0 <= wb.value("G1") < 1 and wb.spill_range("G1") is None
    for formula in ("=RANDARRAY(2,2,5,1)", "=RANDARRAY(2,2,1.5,3,TRUE)"):
        wb.set("I1", formula)
        assert str(wb.value("I1")) == "#VALUE!"


def test_randarray_is_recomputed_by_a_full_recalculation_only():
    wb = Workbook()
    wb.set("A1", "=RANDARRAY(50)")
    first = wb.values("A1:A50")
    wb.set("C1", 5)  # an unrelated edit leaves it alone
    assert wb.values("A1:A50") == first
    wb.recalculate()
    assert wb.values("A1:A50") != first


def test_filter_result_follows_its_data():
    wb = Workbook()
    for address, content in SALES.items():
        wb.set(address, content)
    wb.set("F1", "=FILTER(B1:B10,D1:D10>6000)")
    wb.set("G1", "=COUNTA(F1#)")
    assert wb.value("G1") == 2
    wb.set("D10", 9000)
    assert [row[0] for row in wb.values("F1:F3")] == ["Tom", "Sravan", "Fred"] and wb.value("G1") == 3
    wb.set("F3", "blocked")
    assert wb.value("F1") is SPILL
