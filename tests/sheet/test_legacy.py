"""Formulas from files without dynamic arrays get the @ that Excel implies; formulas go back to files as plain ones
exactly when reading them back restores them."""

from __future__ import annotations

import pytest

from sheetrl.sheet import Workbook
from sheetrl.sheet.legacy import (
    from_legacy,
    is_legacy_compatible,
    without_intersections,
)
from sheetrl.sheet.nodes import render
from sheetrl.sheet.parser import parse


@pytest.mark.parametrize(
    ("plain", "shown"),
    [
        ("=A1:A5", "=@A1:A5"),  # a range where one value is expected
        ("=A1:A5*2", "=@A1:A5*2"),
        ("=ABS(A1:A5)", "=ABS(@A1:A5)"),  # a value argument
        ("=VLOOKUP(A1:A3,B1:C9,2,FALSE)", "=VLOOKUP(@A1:A3,B1:C9,2,FALSE)"),  # the table stays a reference
        ("=SUM(A1:A5)", "=SUM(A1:A5)"),  # a reference argument
        ("=SUM(A1:A5*2)", "=SUM(@A1:A5*2)"),  # needed Ctrl+Shift+Enter to be an array
        ("=SUMPRODUCT(A1:A5*B1:B5)", "=SUMPRODUCT(A1:A5*B1:B5)"),  # arrays by definition
        ("=MMULT(A1:B2,A1:B2*2)", "=@MMULT(A1:B2,A1:B2*2)"),  # array arguments; an array result
        ("=INDEX(A1:B5,0,1)", "=@INDEX(A1:B5,0,1)"),  # a reference result
        ("=SUM(INDEX(A1:B5,0,1))", "=SUM(INDEX(A1:B5,0,1))"),
        ("=IF(A1>0,B1:B3,0)", "=IF(A1>0,@B1:B3,0)"),  # IF passes its branches through
        ("=SUM(IF(A1>0,B1:B3,0))", "=SUM(IF(A1>0,B1:B3,0))"),
        ("=ISNUMBER(A1:A3)", "=ISNUMBER(@A1:A3)"),  # IS* take values
        ("=ISFORMULA(A1:A3)", "=@ISFORMULA(A1:A3)"),  # one answer per cell now: the top-left one, as before
        ("=FORMULATEXT(A1:B2)", "=@FORMULATEXT(A1:B2)"),
        ("=ISFORMULA(A1)", "=ISFORMULA(A1)"),
        ("={1,2,3}", "=@{1,2,3}"),  # an array result shows its first element
        ("=SUM({1,2}*A1)", "=SUM({1,2}*A1)"),  # arrays inside a formula stay whole
        ("=A1:C3 B2:D4", "=@(A1:C3 B2:D4)"),
        ("=A1+B1", "=A1+B1"),
        ("=SUM(_xlfn.ANCHORARRAY(A1))", "=SUM(A1#)"),
        ("=_xlfn.ANCHORARRAY(A1)", "=@A1#"),
    ],
)
def test_plain_formula_gets_the_implied_intersections(plain: str, shown: str) -> None:
    converted = from_legacy(parse(plain))
    assert "=" + render(converted) == shown
    assert is_legacy_compatible(converted)
    assert render(without_intersections(converted)) == render(parse(plain))


@pytest.mark.parametrize(
    ("plain", "shown"),
    [
        ("=Sales[Qty]*2", "=@Sales[Qty]*2"),  # a table column where one value is expected
        ("=SUM(Sales[Qty])", "=SUM(Sales[Qty])"),
        ("=[@Qty]*2", "=[@Qty]*2"),  # this row's cell: one value already
        ("=Data*2", "=@Data*2"),  # a defined name standing for a range
        ("=Rate*2", "=Rate*2"),  # a defined name standing for one value
        ("=A1:INDEX(A1:A5,3)", "=@A1:INDEX(A1:A5,3)"),  # a range with a computed end
        ("=(A1:A2,A4:A5)", "=@(A1:A2,A4:A5)"),  # a union
        ("=ROWS(A1:A5)", "=ROWS(A1:A5)"),  # ROW/ROWS take the reference itself
    ],
)
def test_names_tables_and_computed_references_get_the_implied_intersections(plain: str, shown: str) -> None:
    converted = from_legacy(parse(plain), frozenset({"DATA"}))
    assert "=" + render(converted) == shown
    assert is_legacy_compatible(converted, frozenset({"DATA"}))


@pytest.mark.parametrize("formula", ["=A1:A5", "=SEQUENCE(3)", "=SUM(@A1:A5)", "=FILTER(A1:A5,A1:A5>1)", "=@(A1:A5)"])
def test_formulas_that_need_dynamic_arrays_are_not_plain(formula: str) -> None:
    assert not is_legacy_compatible(parse(formula))


def test_converted_formula_gives_the_legacy_result():
    wb = Workbook()
    wb.set_range("A1", [[-1, 10], [2, 20], [-3, 30]])
    for row, plain in ((2, "=A1:A3*2"), (3, "=ABS(A1:A3)"), (1, "=INDEX(A1:B3,0,2)"), (4, "=SUM(ABS({-1,-2}))")):
        wb.set(f"D{row}", "=" + render(from_legacy(parse(plain))))
    assert [wb.value(f"D{r}") for r in (1, 2, 3, 4)] == [10, 4, 3, 3]
    assert wb.spill_range("D1") is None
