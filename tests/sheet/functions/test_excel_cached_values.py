"""Values Excel cached in public workbooks (IronCalc's and SheetJS's test files), pinned where the engine follows
what Excel computes over what its documentation says or another engine does. The cell each value comes from is
named; the files themselves are not part of this repository (benchmarks/xlsx_corpus.py measures all of them)."""

from __future__ import annotations

from typing import Any

import pytest

from .cases import case, run


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        # IronCalc DB_DDB.xlsx H14: DDB(A14,B14,C14,D14,F14) with F14 empty is #NUM! (the factor is 0, not 2)
        case("ddb_empty_factor", "=DDB(100,10,4,3,F14)", "#NUM!"),
        case("ddb_missing_factor", "=DDB(100,10,4,3,)", "#NUM!"),
        case("ddb_left_out_factor", "=DDB(100,10,4,3)", 12.5),
        # IronCalc BINOM.xlsx E12: BINOM.DIST.RANGE(B12,C12,A12,D12) with D12 empty: the upper bound is 0
        case("binom_range_empty_upper", "=BINOM.DIST.RANGE(2,0.1,2,D12)", "#NUM!"),
        case("binom_range_left_out_upper", "=BINOM.DIST.RANGE(2,0.1,2)", 0.01),
        # IronCalc BETADIST_BETAINV.xlsx H8 and BETA_GAMMA.xlsx J2: a probability of exactly 1 is #NUM!
        case("beta_inv_one", "=BETA.INV(1,2,2.5,0.234,1.2)", "#NUM!"),
        case("beta_inv_one_unit", "=BETA.INV(1,1,1)", "#NUM!"),
        # IronCalc SEQUENCE.xlsx C16 and E18: an empty array (files store it as #VALUE! with a #CALC! rich value)
        case("sequence_zero", "=SEQUENCE(0,0)", "#CALC!"),
        case("sequence_fraction", "=SEQUENCE(0.3)", "#CALC!"),
        # IronCalc DROP_TAKE.xlsx C2, F2, L2: empty results
        case("drop_everything", "=DROP(A1:A7,-7)", "#CALC!", {f"A{i}": i for i in range(1, 8)}),
        case("take_nothing", "=TAKE(A1:A7,0)", "#CALC!", {f"A{i}": i for i in range(1, 8)}),
        # SheetJS formula_stress_test.xlsx Text!B15: TEXT(date,"ee-mm-dd"), "e" is the year of the era
        case("era_year", '=TEXT(28313,"ee-mm-dd")', "1977-07-07"),
        case("era_year_alone", '=TEXT(28313,"e")', "1977"),
        case("exponent_still", '=TEXT(28313,"0.0e+0")', "2.8e+4"),
    ],
)
def test_values_excel_cached(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        # EPPlus FormulaTest.xlsx H19: SUBTOTAL(2,#REF!) is #REF!; errors inside a range stay values COUNT skips
        ("=SUBTOTAL(2,#REF!)", "#REF!"),
        ("=SUBTOTAL(2,A1:A2)", 1),
        ("=SUBTOTAL(9,A1:A2)", "#DIV/0!"),
        ("=SUBTOTAL(3,IF(TRUE,A2))", 1),  # a cell's error reached through IF is a value COUNTA counts
    ],
)
def test_subtotal_of_an_error_reference(formula: str, expected: Any) -> None:
    run(formula, expected, {"A1": 1, "A2": "=1/0"})


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        # formulas library test.xlsx AB73/AB74: an error criterion selects the cells holding that error, as COUNTIF's
        # does (K73 #VALUE!, L73 #N/A, M73 #DIV/0!, N73 #NAME?: the selected M73 makes the sum #DIV/0!)
        ("=SUMIF(K1:L1,K1,M1:N1)", "#DIV/0!"),
        ("=SUMIFS(M1:N1,K1:L1,K1)", "#DIV/0!"),
        ("=SUMIF(K1:L1,L1,N2:O2)", 7),
        ("=SUMIFS(N2:O2,K1:L1,L1)", 7),
        ("=COUNTIF(K1:L1,K1)", 1),
    ],
)
def test_error_criteria_select_errors(formula: str, expected: Any) -> None:
    run(formula, expected, {"K1": "=VALUE(\"x\")", "L1": "=NA()", "M1": "=1/0", "N1": "=x_undefined()",
                            "N2": 5, "O2": 7})


def test_is_functions_fill_a_larger_array_range_with_their_answer_for_na() -> None:
    """The formulas library's test.xlsx (INFORMATION sheet): ISBLANK(D6:Q6) entered over the 15 cells AI6:AW6
    caches FALSE in AW6, ISNA over a larger range TRUE, ISNONTEXT TRUE: each cell of the range evaluates the
    function at its place, #N/A beyond the argument. Other functions leave #N/A there."""
    from sheetrl.sheet import Workbook

    wb = Workbook()
    for column, value in zip("ABC", (1, "x", "=NA()"), strict=True):
        wb.set(f"{column}1", value)
    expected = {"ISBLANK": False, "ISNA": True, "ISNONTEXT": True, "ISERROR": True, "ISERR": False,
                "ISNUMBER": False, "ISTEXT": False, "ISLOGICAL": False}
    for row, (name, beyond) in enumerate(expected.items(), start=3):
        wb.set_array_formula(f"A{row}:E{row}", f"={name}(A1:C1)")
        assert wb.value(f"D{row}") is beyond and wb.value(f"E{row}") is beyond, name
    assert [wb.value(f"{c}3") for c in "ABC"] == [False, False, False]
    wb.set_array_formula("A20:E20", "=ABS(A1:C1)")
    assert str(wb.value("D20")) == "#N/A"
