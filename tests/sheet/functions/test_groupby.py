"""GROUPBY and PIVOTBY against hand-computed summaries of a small sales table.

SALES (A1:D7): Region, Product, Sales, Units; East Pens 10 1, West Pens 20 2, East Ink 5 3, West Ink 7 4,
East Pens 3 5, north Paper 8 6. By region: East 18 (3 rows), north 8 (1), West 27 (2); all 53. By region and
product: East Ink 5, East Pens 13, north Paper 8, West Ink 7, West Pens 20. By product: Ink 12, Paper 8, Pens 33.
Keys sort as SORT does, text without regard to case: East, north, West.
"""

from __future__ import annotations

from typing import Any

import pytest

from sheetrl.sheet import Workbook

from .cases import check_rows, evaluate_array

SALES: dict[str, Any] = {
    "A1": "Region", "B1": "Product", "C1": "Sales", "D1": "Units",
    "A2": "East", "B2": "Pens", "C2": 10, "D2": 1,
    "A3": "West", "B3": "Pens", "C3": 20, "D3": 2,
    "A4": "East", "B4": "Ink", "C4": 5, "D4": 3,
    "A5": "West", "B5": "Ink", "C5": 7, "D5": 4,
    "A6": "East", "B6": "Pens", "C6": 3, "D6": 5,
    "A7": "north", "B7": "Paper", "C7": 8, "D7": 6,
}  # fmt: skip

BY_REGION = [["East", 18], ["north", 8], ["West", 27], ["Total", 53]]


def _with(**cells: Any) -> dict[str, Any]:
    return {**SALES, **cells}


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        # grouping and the function: an eta-reduced name, an explicit LAMBDA, two-parameter functions
        ("=GROUPBY(A2:A7,C2:C7,SUM)", BY_REGION),
        ("=GROUPBY(A2:A7,C2:C7,_xleta.SUM)", BY_REGION),  # as files store it
        ("=GROUPBY(A2:A7,C2:C7,LAMBDA(x,SUM(x)))", BY_REGION),
        ("=GROUPBY(A2:A7,C2:C7,AVERAGE)", [["East", 6], ["north", 8], ["West", 13.5], ["Total", 53 / 6]]),
        ("=GROUPBY(A2:A7,C2:C7,COUNT)", [["East", 3], ["north", 1], ["West", 2], ["Total", 6]]),
        ("=GROUPBY(A2:A7,C2:C7,LAMBDA(x,MAX(x)-MIN(x)))", [["East", 7], ["north", 0], ["West", 13], ["Total", 17]]),
        ("=GROUPBY(A2:A7,C2:C7,PERCENTOF)", [["East", 18 / 53], ["north", 8 / 53], ["West", 27 / 53], ["Total", 1]]),
        ("=GROUPBY(A2:A7,C2:C7,LAMBDA(part,all,COUNT(part)/COUNT(all)))",  # two parameters: the group and all
         [["East", 0.5], ["north", 1 / 6], ["West", 1 / 3], ["Total", 1]]),
        ('=GROUPBY(A2:A7,C2:C7,LAMBDA(x,IF(SUM(x)>10,"big","small")))',
         [["East", "big"], ["north", "small"], ["West", "big"], ["Total", "big"]]),
        ("=GROUPBY(A2:A7,C2:D7,SUM)", [["East", 18, 9], ["north", 8, 6], ["West", 27, 6], ["Total", 53, 21]]),
        # headers: detected (text then a number in the values) and hidden; shown; generated
        ("=GROUPBY(A1:A7,C1:C7,SUM)", BY_REGION),
        ("=GROUPBY(A1:A7,C1:C7,SUM,1)", BY_REGION),
        ("=GROUPBY(A1:A7,C1:C7,SUM,3)", [["Region", "Sales"], *BY_REGION]),
        ("=GROUPBY(A2:A7,C2:C7,SUM,2)", [["Row Field 1", "Value 1"], *BY_REGION]),
        ("=GROUPBY(A1:A7,C1:C7,SUM,0)",  # no headers: "Region" is a group whose value "Sales" SUM skips
         [["East", 18], ["north", 8], ["Region", 0], ["West", 27], ["Total", 53]]),
        # totals
        ("=GROUPBY(A2:A7,C2:C7,SUM,,0)", BY_REGION[:-1]),
        ("=GROUPBY(A2:A7,C2:C7,SUM,,-1)", [BY_REGION[-1], *BY_REGION[:-1]]),
        ("=GROUPBY(A1:B7,C1:C7,SUM,3,2)", [
            ["Region", "Product", "Sales"],
            ["East", "Ink", 5], ["East", "Pens", 13], ["East", "", 18],
            ["north", "Paper", 8], ["north", "", 8],
            ["West", "Ink", 7], ["West", "Pens", 20], ["West", "", 27],
            ["Grand Total", "", 53],
        ]),
        ("=GROUPBY(A1:B7,C1:C7,SUM,3,-2)", [
            ["Region", "Product", "Sales"],
            ["Grand Total", "", 53],
            ["East", "", 18], ["East", "Ink", 5], ["East", "Pens", 13],
            ["north", "", 8], ["north", "Paper", 8],
            ["West", "", 27], ["West", "Ink", 7], ["West", "Pens", 20],
        ]),
        ("=GROUPBY(A2:B7,C2:C7,PERCENTOF,,2)", [
            ["East", "Ink", 5 / 53], ["East", "Pens", 13 / 53], ["East", "", 18 / 53],
            ["north", "Paper", 8 / 53], ["north", "", 8 / 53],
            ["West", "Ink", 7 / 53], ["West", "Pens", 20 / 53], ["West", "", 27 / 53],
            ["Grand Total", "", 1],
        ]),
        # sort orders: keys descending, by the values column, per level, as a table
        ("=GROUPBY(A2:A7,C2:C7,SUM,,,-1)", [["West", 27], ["north", 8], ["East", 18], ["Total", 53]]),
        ("=GROUPBY(A2:A7,C2:C7,SUM,,,2)", [["north", 8], ["East", 18], ["West", 27], ["Total", 53]]),
        ("=GROUPBY(A2:A7,C2:C7,SUM,,,-2)", [["West", 27], ["East", 18], ["north", 8], ["Total", 53]]),
        ("=GROUPBY(A2:B7,C2:C7,SUM,,,{1,-2})", [
            ["East", "Pens", 13], ["East", "Ink", 5], ["north", "Paper", 8], ["West", "Pens", 20], ["West", "Ink", 7],
            ["Total", "", 53],
        ]),
        ("=GROUPBY(A2:B7,C2:C7,SUM,,,-3)", [  # by value within each region; the regions by name
            ["East", "Pens", 13], ["East", "Ink", 5], ["north", "Paper", 8], ["West", "Pens", 20], ["West", "Ink", 7],
            ["Total", "", 53],
        ]),
        ("=GROUPBY(A2:B7,C2:C7,SUM,,,2)", [  # hierarchy: products sorted within each region
            ["East", "Ink", 5], ["East", "Pens", 13], ["north", "Paper", 8], ["West", "Ink", 7], ["West", "Pens", 20],
            ["Total", "", 53],
        ]),
        ("=GROUPBY(A2:B7,C2:C7,SUM,,,2,,1)", [  # table: by product first, then region
            ["East", "Ink", 5], ["West", "Ink", 7], ["north", "Paper", 8], ["East", "Pens", 13], ["West", "Pens", 20],
            ["Total", "", 53],
        ]),
        ("=GROUPBY(A2:B7,C2:C7,SUM,,,-3,,1)", [
            ["West", "Pens", 20], ["East", "Pens", 13], ["north", "Paper", 8], ["West", "Ink", 7], ["East", "Ink", 5],
            ["Total", "", 53],
        ]),
        # filter_array: rows with more than 2 units; with headers the filter's first row is the header's
        ("=GROUPBY(A2:A7,C2:C7,SUM,,,,D2:D7>2)", [["East", 8], ["north", 8], ["West", 7], ["Total", 23]]),
        ("=GROUPBY(A1:A7,C1:C7,SUM,3,,,D1:D7>2)", [["Region", "Sales"], ["East", 8], ["north", 8], ["West", 7],
                                                  ["Total", 23]]),
        ("=GROUPBY(A2:A7,C2:C7,SUM,,,,{1;0;1;0;1;0})", [["East", 18], ["Total", 18]]),
    ],
)
def test_groupby(formula: str, expected: list[list[Any]]) -> None:
    check_rows(evaluate_array(formula, SALES), expected)


@pytest.mark.parametrize(
    ("formula", "cells", "expected"),
    [
        # numbers before text, text without regard to case (the first spelling shows), an empty key last
        ("=GROUPBY(A1:A5,B1:B5,SUM)", {"A1": "x", "A3": "X", "A4": 5, "A5": "a", "B1": 1, "B2": 2, "B3": 3, "B4": 4,
                                       "B5": 5}, [[5, 4], ["a", 5], ["x", 4], ["", 2], ["Total", 15]]),
        ("=GROUPBY(A1:A3,B1:B3,SUM)", {"A1": 1, "A2": 1, "A3": 2, "B1": 1, "B2": 1 / 4, "B3": 3},
         [[1, 1.25], [2, 3], ["Total", 4.25]]),
        # an error in the values is its group's result and the total's, not the other groups'
        ("=GROUPBY(A1:A3,B1:B3,SUM)", {"A1": "p", "A2": "q", "A3": "p", "B1": 1, "B2": "=1/0", "B3": 2},
         [["p", 3], ["q", "#DIV/0!"], ["Total", "#DIV/0!"]]),
        ("=GROUPBY(A1:A3,B1:B3,COUNT)", {"A1": "p", "A2": "q", "A3": "p", "B1": 1, "B2": "=1/0", "B3": 2},
         [["p", 2], ["q", 0], ["Total", 2]]),
        # the function's result must be one value
        ("=GROUPBY(A1:A2,B1:B2,LAMBDA(x,x))", {"A1": "p", "A2": "q", "B1": 1, "B2": 2},
         [["p", 1], ["q", 2], ["Total", "#VALUE!"]]),
        ("=GROUPBY(A1:A2,B1:B2,IF)", {"A1": "p", "A2": "q", "B1": 1, "B2": 2},  # IF takes 2-3: called with one
         [["p", "#VALUE!"], ["q", "#VALUE!"], ["Total", "#VALUE!"]]),
    ],
)
def test_groupby_keys_and_values(formula: str, cells: dict[str, Any], expected: list[list[Any]]) -> None:
    check_rows(evaluate_array(formula, cells), expected)


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("=GROUPBY(A2:A7,C2:C6,SUM)", "#VALUE!"),  # values shorter than the fields
        ("=GROUPBY(A2:A7,C2:C7,5)", "#VALUE!"),  # not a LAMBDA
        ("=GROUPBY(A2:A7,C2:C7,E1)", "#N/A"),  # an error where the LAMBDA should be is the result
        ("=GROUPBY(A2:A7,C2:C7,LAMBDA(a,b,c,a))", [["East", "#VALUE!"], ["north", "#VALUE!"], ["West", "#VALUE!"],
                                                   ["Total", "#VALUE!"]]),
        ("=GROUPBY(A2:A7,C2:C7,SUM,4)", "#VALUE!"),  # field_headers is 0 to 3
        ("=GROUPBY(A2:A7,C2:C7,SUM,,2)", "#VALUE!"),  # subtotals need two field columns
        ("=GROUPBY(A2:B7,C2:C7,SUM,,3)", "#VALUE!"),
        ("=GROUPBY(A2:B7,C2:C7,SUM,,2,,,1)", "#VALUE!"),  # a table relationship has no subtotals
        ("=GROUPBY(A2:A7,C2:C7,SUM,,,0)", "#VALUE!"),
        ("=GROUPBY(A2:A7,C2:C7,SUM,,,3)", "#VALUE!"),  # past the values columns
        ("=GROUPBY(A2:A7,C2:C7,SUM,,,{1,2})", "#VALUE!"),  # a vector only of field columns
        ("=GROUPBY(A2:B7,C2:C7,SUM,,,{1,-1})", "#VALUE!"),  # a column twice
        ('=GROUPBY(A2:A7,C2:C7,SUM,,,"x")', "#VALUE!"),
        ("=GROUPBY(A2:A7,C2:C7,SUM,1/0)", "#DIV/0!"),
        ("=GROUPBY(A2:A7,C2:C7,SUM,,,,D2:D6>2)", "#VALUE!"),  # a filter of another height
        ('=GROUPBY(A2:A7,C2:C7,SUM,,,,IF(D2:D7>2,"y","n"))', "#VALUE!"),  # text in the filter
        ("=GROUPBY(A2:A7,C2:C7,SUM,,,,1/(D2:D7-3))", "#DIV/0!"),  # an error in the filter is the result
        ("=GROUPBY(A2:A7,C2:C7,SUM,,,,D2:D7>9)", "#CALC!"),  # nothing left
        ("=GROUPBY(A2:A7,C2:C7,SUM,,,,,2)", "#VALUE!"),  # field_relationship is 0 or 1
    ],
)
def test_groupby_bad_arguments(formula: str, expected: Any) -> None:
    result = evaluate_array(formula, _with(E1="=NA()"))
    check_rows(result, expected if isinstance(expected, list) else [[expected]])


PIVOT = [
    ["", "Ink", "Paper", "Pens", "Total"],
    ["East", 5, "", 13, 18],
    ["north", "", 8, "", 8],
    ["West", 7, "", 20, 27],
    ["Total", 12, 8, 33, 53],
]


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("=PIVOTBY(A2:A7,B2:B7,C2:C7,SUM)", PIVOT),
        ("=PIVOTBY(A1:A7,B1:B7,C1:C7,SUM)", PIVOT),  # headers detected, one level each: not shown
        ("=PIVOTBY(A1:A7,B1:B7,C1:C7,SUM,3)", [
            ["", "Product", "", "", ""],
            *PIVOT[:1],
            ["Region", "Sales", "Sales", "Sales", "Sales"],
            *PIVOT[1:],
        ]),
        ("=PIVOTBY(A2:A7,B2:B7,C2:C7,COUNT,,0,,0)",  # no totals
         [["", "Ink", "Paper", "Pens"], ["East", 1, "", 2], ["north", "", 1, ""], ["West", 1, "", 1]]),
        ("=PIVOTBY(A2:A7,B2:B7,C2:C7,SUM,,-1,-1,-1,-1)", [
            ["", "Total", "Pens", "Paper", "Ink"],
            ["Total", 53, 33, 8, 12],
            ["West", 27, 20, "", 7],
            ["north", 8, "", 8, ""],
            ["East", 18, 13, "", 5],
        ]),
        ("=PIVOTBY(A2:A7,B2:B7,C2:C7,SUM,,,2,,2)", [  # rows by their total, columns by theirs
            ["", "Paper", "Ink", "Pens", "Total"],
            ["north", 8, "", "", 8],
            ["East", "", 5, 13, 18],
            ["West", "", 7, 20, 27],
            ["Total", 8, 12, 33, 53],
        ]),
        ("=PIVOTBY(A2:A7,B2:B7,C2:C7,SUM,,0,-2,0,-2)", [  # sorted by totals that are not shown
            ["", "Pens", "Ink", "Paper"],
            ["West", 20, 7, ""],
            ["East", 13, 5, ""],
            ["north", "", "", 8],
        ]),
        ("=PIVOTBY(A2:A7,B2:B7,C2:D7,SUM,0,0,,0)", [  # two values columns: one column per value in each group
            ["", "Ink", "Ink", "Paper", "Paper", "Pens", "Pens"],
            ["East", 5, 3, "", "", 13, 6],
            ["north", "", "", 8, 6, "", ""],
            ["West", 7, 4, "", "", 20, 2],
        ]),
        ("=PIVOTBY(A2:A7,B2:B7,C2:C7,SUM,,,,,,D2:D7>2)", [
            ["", "Ink", "Paper", "Pens", "Total"],
            ["East", 5, "", 3, 8],
            ["north", "", 8, "", 8],
            ["West", 7, "", "", 7],
            ["Total", 12, 8, 3, 23],
        ]),
        # PERCENTOF measured against the column totals (the default), the row totals, the grand total
        ("=PIVOTBY(A2:A7,B2:B7,C2:C7,PERCENTOF)", [
            PIVOT[0],
            ["East", 5 / 12, "", 13 / 33, 18 / 53],
            ["north", "", 1, "", 8 / 53],
            ["West", 7 / 12, "", 20 / 33, 27 / 53],
            ["Total", 1, 1, 1, 1],
        ]),
        ("=PIVOTBY(A2:A7,B2:B7,C2:C7,PERCENTOF,,,,,,,1)", [
            PIVOT[0],
            ["East", 5 / 18, "", 13 / 18, 1],
            ["north", "", 1, "", 1],
            ["West", 7 / 27, "", 20 / 27, 1],
            ["Total", 12 / 53, 8 / 53, 33 / 53, 1],
        ]),
        ("=PIVOTBY(A2:A7,B2:B7,C2:C7,PERCENTOF,,,,,,,2)", [
            PIVOT[0],
            ["East", 5 / 53, "", 13 / 53, 18 / 53],
            ["north", "", 8 / 53, "", 8 / 53],
            ["West", 7 / 53, "", 20 / 53, 27 / 53],
            ["Total", 12 / 53, 8 / 53, 33 / 53, 1],
        ]),
        # two levels of rows: headers shown automatically, subtotals by default; the parent row's total (4)
        ("=PIVOTBY(A1:B7,A1:A7,C1:C7,PERCENTOF,,,,0,,,4)", [
            ["", "", "Region", "", ""],
            ["", "", "East", "north", "West"],
            ["Region", "Product", "Sales", "Sales", "Sales"],
            ["East", "Ink", 5 / 18, "", ""],
            ["East", "Pens", 13 / 18, "", ""],
            ["East", "", 1, "", ""],
            ["north", "Paper", "", 1, ""],
            ["north", "", "", 1, ""],
            ["West", "Ink", "", "", 7 / 27],
            ["West", "Pens", "", "", 20 / 27],
            ["West", "", "", "", 1],
            ["Grand Total", "", 1, 1, 1],
        ]),
        ("=PIVOTBY(A2:A7,B2:B7,C2:C7,SUM,,3)", "#VALUE!"),  # deeper than the row fields
        ("=PIVOTBY(A2:A7,B2:B7,C2:C7,SUM,,,,,3)", "#VALUE!"),
        ("=PIVOTBY(A2:A7,B2:B7,C2:C7,SUM,,,,,,,5)", "#VALUE!"),  # relative_to is 0 to 4
        ("=PIVOTBY(A2:A7,B2:B6,C2:C7,SUM)", "#VALUE!"),
    ],
)
def test_pivotby(formula: str, expected: Any) -> None:
    check_rows(evaluate_array(formula, SALES), expected if isinstance(expected, list) else [[expected]])


def test_summaries_recalculate_and_survive_a_file_round_trip(tmp_path) -> None:
    import openpyxl

    wb = Workbook()
    for address, value in SALES.items():
        wb.set(address, value)
    wb.set("F1", "=GROUPBY(A1:A7,C1:C7,SUM,3)")
    wb.set("F10", "=PIVOTBY(A2:A7,B2:B7,C2:C7,LAMBDA(x,SUM(x)))")
    wb.set("C2", 100)  # East's Pens: 10 -> 100
    assert wb.values(wb.spill_range("F1")) == [["Region", "Sales"], ["East", 108], ["north", 8], ["West", 27],
                                               ["Total", 143]]
    path = tmp_path / "summaries.xlsx"
    wb.save(path)
    stored = openpyxl.load_workbook(path)["Sheet1"]
    assert stored["F1"].value.text == "=_xlfn.GROUPBY(A1:A7,C1:C7,_xleta.SUM,3)"
    assert stored["F10"].value.text == "=_xlfn.PIVOTBY(A2:A7,B2:B7,C2:C7,_xlfn.LAMBDA(_xlpm.x,SUM(_xlpm.x)))"
    loaded = Workbook.load(path)
    assert loaded.warnings == []
    for address in ("F1", "F10"):
        assert loaded.formula(address) == wb.formula(address)
        assert loaded.values(loaded.spill_range(address)) == wb.values(wb.spill_range(address))


def test_a_function_that_only_may_take_a_second_argument_gets_the_group_alone() -> None:
    """Review: ARRAYTOTEXT(array, [format]) received the values measured against as its format (#VALUE!); only
    PERCENTOF and a LAMBDA of exactly two parameters get them."""
    wb = Workbook()
    for row, (key, value) in enumerate([("x", 1), ("x", 2), ("y", 3)], start=1):
        wb.set(f"A{row}", key)
        wb.set(f"B{row}", value)
    wb.set("D1", "=GROUPBY(A1:A3,B1:B3,ARRAYTOTEXT)")
    wb.set("G1", "=GROUPBY(A1:A3,B1:B3,LAMBDA(group,all,SUM(group)/COUNT(all)))")
    assert [[wb.value(f"{col}{row}") for col in "DE"] for row in (1, 2, 3)] == [
        ["x", "1, 2"], ["y", "3"], ["Total", "1, 2, 3"]]
    assert [wb.value(f"H{row}") for row in (1, 2, 3)] == [1, 1, 2]
