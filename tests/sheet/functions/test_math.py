"""Mathematical functions, checked through the workbook facade against Excel's documented results."""

from __future__ import annotations

from typing import Any

import pytest

from sheetrl.sheet import Workbook

from .cases import case, evaluate, run

# A column with a number, numeric text, a boolean, an empty cell, text and another number.
MIXED = {"A1": 2, "A2": "3", "A3": True, "A5": "x", "A6": 4}
ERRORED = {"A1": 2, "A2": "=1/0", "A3": 4}


# ----------------------------------------------------------------------------------------------------- SUM
@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("range-skips-text-bools-blanks", "=SUM(A1:A6)", 6, MIXED),
        case("direct-text-and-bool-count", '=SUM("3",TRUE,2)', 6),
        case("direct-non-numeric-text-is-value-error", '=SUM("x",1)', "#VALUE!"),
        case("error-in-range-propagates", "=SUM(A1:A3)", "#DIV/0!", ERRORED),
        case("empty-range-is-zero", "=SUM(B1:B5)", 0),
    ],
)
def test_sum(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


# ------------------------------------------------------------------------------------------------- PRODUCT
@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("multiplies-range-numbers", "=PRODUCT(A1:A3)", 24, {"A1": 2, "A2": 3, "A3": 4}),
        case("range-skips-text-bools-blanks", "=PRODUCT(A1:A6)", 8, MIXED),
        case("direct-numeric-text-and-bool-count", '=PRODUCT("3",TRUE,2)', 6),
        case("no-numbers-is-zero", "=PRODUCT(A5)", 0, MIXED),
        case("error-in-range-propagates", "=PRODUCT(A1:A3)", "#DIV/0!", ERRORED),
        case("direct-non-numeric-text-is-value-error", '=PRODUCT("x",2)', "#VALUE!"),
        case("overflow-is-num-error", "=PRODUCT(1E200,1E200)", "#NUM!"),
    ],
)
def test_product(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


# ---------------------------------------------------------------------------------------------- SUMPRODUCT
GRID = {"A1": 1, "A2": 2, "A3": 3, "B1": 4, "B2": 5, "B3": 6}


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("sum-of-pairwise-products", "=SUMPRODUCT(A1:A3,B1:B3)", 32, GRID),
        case("single-array-is-its-sum", "=SUMPRODUCT(A1:A3)", 6, GRID),
        case("array-constants", "=SUMPRODUCT({1,2},{3,4})", 11),
        case("different-shapes-is-value-error", "=SUMPRODUCT(A1:A3,B1:B2)", "#VALUE!", GRID),
        case("row-against-column-is-value-error", "=SUMPRODUCT({1,2},{3;4})", "#VALUE!"),
        case("text-and-bools-count-as-zero", '=SUMPRODUCT({1,"2",TRUE},{3,4,5})', 3),
        case("blank-cells-count-as-zero", "=SUMPRODUCT(A1:A4,B1:B4)", 32, GRID),
        case("error-in-array-propagates", "=SUMPRODUCT(A1:A3,A1:A3)", "#DIV/0!", ERRORED),
        case("condition-arrays-count-matches", "=SUMPRODUCT((A1:A3>1)*(B1:B3<6))", 1, GRID),
        case("double-negation-turns-bools-into-numbers", "=SUMPRODUCT(--(A1:A3>=2),B1:B3)", 11, GRID),
        case("scalars-are-one-by-one-arrays", "=SUMPRODUCT(2,3)", 6),
        case("elementwise-functions-in-array-mode", "=SUMPRODUCT(ROUND(A1:A3/2,0))", 4, GRID),
    ],
)
def test_sumproduct(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


# ----------------------------------------------------------------------------------------------- SUMIF(S)
SALES = {
    "A1": "east", "B1": 10, "C1": 1,
    "A2": "West", "B2": 20, "C2": 2,
    "A3": "east", "B3": "n/a", "C3": 3,
    "A4": "North", "B4": 40, "C4": 4,
    "A5": "eastern", "B5": 50, "C5": 5,
}  # fmt: skip


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("sums-matching-rows", '=SUMIF(A1:A5,"east",B1:B5)', 10, SALES),
        case("text-criterion-is-case-insensitive", '=SUMIF(A1:A5,"WEST",B1:B5)', 20, SALES),
        case("wildcard-criteria-matches-prefix", '=SUMIF(A1:A5,"east*",B1:B5)', 60, SALES),
        case("sum-range-defaults-to-criteria-range", '=SUMIF(B1:B5,">15")', 110, SALES),
        case("numeric-criterion-given-as-number", "=SUMIF(C1:C5,3,B1:B5)", 0, SALES),
        case("text-numbers-in-sum-range-are-skipped", '=SUMIF(A1:A5,"east",B1:B5)', 10, SALES),
        case("larger-sum-range-is-cut-to-criteria-shape", '=SUMIF(A1:A2,"West",B1:B5)', 20, SALES),
        case("smaller-sum-range-is-stretched-to-criteria-shape", '=SUMIF(A1:A5,"West",B1)', 20, SALES),
        case("not-equal-criterion", '=SUMIF(A1:A5,"<>east",C1:C5)', 11, SALES),
        case("no-match-is-zero", '=SUMIF(A1:A5,"south",B1:B5)', 0, SALES),
        case(
            "error-in-matched-sum-cell-propagates",
            "=SUMIF(A1:A3,2,B1:B3)",
            "#DIV/0!",
            {"A1": 1, "A2": 2, "A3": 3, "B1": 1, "B2": "=1/0", "B3": 3},
        ),
        case(
            "error-in-unmatched-sum-cell-is-ignored",
            "=SUMIF(A1:A3,3,B1:B3)",
            3,
            {"A1": 1, "A2": 2, "A3": 3, "B1": 1, "B2": "=1/0", "B3": 3},
        ),
        case("errors-in-criteria-range-never-match", '=SUMIF(A1:A3,">0")', 6, ERRORED),
        # an error criterion selects the cells holding that error (none here), as Excel's cached values show
        case("criterion-error-selects-errors", "=SUMIF(A1:A3,1/0)", 0, GRID),
    ],
)
def test_sumif(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("all-criteria-must-hold", '=SUMIFS(B1:B5,A1:A5,"east*",C1:C5,">1")', 50, SALES),
        case("single-pair", '=SUMIFS(C1:C5,A1:A5,"east")', 4, SALES),
        case("same-range-twice-gives-between", '=SUMIFS(C1:C5,C1:C5,">=2",C1:C5,"<=4")', 9, SALES),
        case("shape-mismatch-is-value-error", '=SUMIFS(B1:B5,A1:A4,"east")', "#VALUE!", SALES),
        case("criteria-ranges-of-different-shapes", '=SUMIFS(B1:B5,A1:A5,"x",C1:C4,1)', "#VALUE!", SALES),
        case("missing-criterion-is-value-error", "=SUMIFS(B1:B5,A1:A5,\"east\",C1:C5)", "#VALUE!", SALES),
        case("no-match-is-zero", '=SUMIFS(B1:B5,A1:A5,"east",C1:C5,">10")', 0, SALES),
        case("blank-criterion-cell-means-zero", "=SUMIFS(C1:C3,B1:B3,D1)", 0, GRID),
    ],
)
def test_sumifs(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


# ------------------------------------------------------------------------------------------------ rounding
@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("half-away-from-zero", "=ROUND(2.5,0)", 3),
        case("negative-half-away-from-zero", "=ROUND(-2.5,0)", -3),
        case("decimal-representation-2.675", "=ROUND(2.675,2)", 2.68),
        case("decimal-representation-1.005", "=ROUND(1.005,2)", 1.01),
        case("negative-digits-round-to-tens", "=ROUND(1234.5,-2)", 1200),
        case("digits-are-truncated", "=ROUND(2.56,1.9)", 2.6),
        case("numeric-text-is-coerced", '=ROUND("2.5",0)', 3),
        case("boolean-is-coerced", "=ROUND(TRUE,0)", 1),
        case("blank-cell-is-zero", "=ROUND(B1,2)", 0),
        case("text-is-value-error", '=ROUND("x",0)', "#VALUE!"),
        case("error-argument-propagates", "=ROUND(1/0,2)", "#DIV/0!"),
        case("many-digits-keep-number", "=ROUND(5.125,400)", 5.125),
        case("small-negative-becomes-zero-not-minus-zero", "=ROUND(-0.4,0)", 0),
        case("overflow-is-num-error", "=ROUND(1.7976931348623157E308,-308)", "#NUM!"),
    ],
)
def test_round(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("away-from-zero", "=ROUNDUP(3.2,0)", 4),
        case("negative-away-from-zero", "=ROUNDUP(-3.2,0)", -4),
        case("to-decimals", "=ROUNDUP(3.14159,3)", 3.142),
        case("negative-digits", "=ROUNDUP(31415.9,-2)", 31500),
        case("exact-value-unchanged", "=ROUNDUP(2.5,1)", 2.5),
        case("binary-noise-ignored", "=ROUNDUP(0.1+0.2,15)", 0.3),
        case("text-is-value-error", '=ROUNDUP("a",1)', "#VALUE!"),
        case("cell-reference", "=ROUNDUP(A1,1)", 2.2, {"A1": 2.11}),
    ],
)
def test_roundup(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("toward-zero", "=ROUNDDOWN(3.7,0)", 3),
        case("negative-toward-zero", "=ROUNDDOWN(-3.7,0)", -3),
        case("to-decimals", "=ROUNDDOWN(3.14159,3)", 3.141),
        case("negative-digits", "=ROUNDDOWN(31415.9,-2)", 31400),
        case("decimal-representation", "=ROUNDDOWN(4.35*100,0)", 435),
        case("bool-digits-coerced", "=ROUNDDOWN(3.77,TRUE)", 3.7),
        case("error-propagates", "=ROUNDDOWN(A1,1)", "#DIV/0!", {"A1": "=1/0"}),
    ],
)
def test_rounddown(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("drops-fraction-toward-zero", "=TRUNC(-2.7)", -2),
        case("positive", "=TRUNC(8.9)", 8),
        case("keeps-digits", "=TRUNC(2.789,2)", 2.78),
        case("negative-digits", "=TRUNC(1234,-2)", 1200),
        case("numeric-text", '=TRUNC("5.5")', 5),
        case("text-is-value-error", '=TRUNC("five")', "#VALUE!"),
    ],
)
def test_trunc(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("positive-rounds-down", "=INT(8.9)", 8),
        case("negative-rounds-toward-minus-infinity", "=INT(-8.1)", -9),
        case("integer-unchanged", "=INT(-3)", -3),
        case("binary-noise-ignored", "=INT(4.35*100)", 435),
        case("negative-binary-noise-ignored", "=INT(-4.35*100)", -435),
        case("boolean", "=INT(TRUE)", 1),
        case("blank", "=INT(A1)", 0),
        case("text-is-value-error", '=INT("x")', "#VALUE!"),
    ],
)
def test_int(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


# ---------------------------------------------------------------------------------------------------- MOD
@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("remainder", "=MOD(10,3)", 1),
        case("sign-of-divisor-positive", "=MOD(-1,3)", 2),
        case("sign-of-divisor-negative", "=MOD(1,-3)", -2),
        case("both-negative", "=MOD(-10,-3)", -1),
        case("fraction", "=MOD(5.5,2)", 1.5),
        case("zero-divisor-is-div0", "=MOD(5,0)", "#DIV/0!"),
        case("blank-divisor-is-div0", "=MOD(5,A1)", "#DIV/0!"),
        case("exact-multiple-is-zero", "=MOD(-0.5,0.5)", 0),
        case("numeric-text", '=MOD("7",2)', 1),
    ],
)
def test_mod(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


# ------------------------------------------------------------------------------------------- ABS and SIGN
@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("negative", "=ABS(-4.5)", 4.5),
        case("positive", "=ABS(2)", 2),
        case("numeric-text", '=ABS("-3")', 3),
        case("boolean", "=ABS(TRUE)", 1),
        case("blank", "=ABS(A1)", 0),
        case("text-is-value-error", '=ABS("x")', "#VALUE!"),
    ],
)
def test_abs(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("positive", "=SIGN(12)", 1),
        case("negative", "=SIGN(-0.001)", -1),
        case("zero", "=SIGN(0)", 0),
        case("blank", "=SIGN(A1)", 0),
        case("text-number", '=SIGN("-2")', -1),
        case("error-propagates", "=SIGN(1/0)", "#DIV/0!"),
    ],
)
def test_sign(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


# ------------------------------------------------------------------------------------------ powers and logs
@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("square", "=POWER(5,2)", 25),
        case("fractional-exponent", "=POWER(4,0.5)", 2),
        case("negative-base-integer-exponent", "=POWER(-2,3)", -8),
        case("negative-base-fractional-exponent-is-num", "=POWER(-8,1/3)", "#NUM!"),
        case("zero-to-zero-is-num", "=POWER(0,0)", "#NUM!"),
        case("zero-to-negative-is-div0", "=POWER(0,-1)", "#DIV/0!"),
        case("overflow-is-num", "=POWER(10,400)", "#NUM!"),
        case("numeric-text", '=POWER("2","10")', 1024),
    ],
)
def test_power(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("perfect-square", "=SQRT(16)", 4),
        case("irrational", "=SQRT(2)", 2**0.5),
        case("zero", "=SQRT(0)", 0),
        case("negative-is-num", "=SQRT(-1)", "#NUM!"),
        case("text-is-value-error", '=SQRT("x")', "#VALUE!"),
        case("blank", "=SQRT(A1)", 0),
    ],
)
def test_sqrt(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("e", "=EXP(1)", 2.718281828459045),
        case("zero", "=EXP(0)", 1),
        case("negative", "=EXP(-1)", 0.36787944117144233),
        case("overflow-is-num", "=EXP(1000)", "#NUM!"),
        case("boolean", "=EXP(FALSE)", 1),
        case("text-is-value-error", '=EXP("e")', "#VALUE!"),
    ],
)
def test_exp(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("of-e", "=LN(EXP(2))", 2),
        case("of-one", "=LN(1)", 0),
        case("zero-is-num", "=LN(0)", "#NUM!"),
        case("negative-is-num", "=LN(-1)", "#NUM!"),
        case("blank-is-num", "=LN(A1)", "#NUM!"),
        case("numeric-text", '=LN("1")', 0),
    ],
)
def test_ln(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("default-base-ten-is-exact", "=LOG(1000)", 3),
        case("base-two", "=LOG(8,2)", 3),
        case("other-base", "=LOG(81,3)", 4),
        case("base-one-is-div0", "=LOG(10,1)", "#DIV/0!"),
        case("zero-is-num", "=LOG(0)", "#NUM!"),
        case("negative-base-is-num", "=LOG(8,-2)", "#NUM!"),
        case("text-is-value-error", '=LOG("x")', "#VALUE!"),
    ],
)
def test_log(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("power-of-ten", "=LOG10(100000)", 5),
        case("fraction", "=LOG10(0.001)", -3),
        case("non-power", "=LOG10(2)", 0.3010299956639812),
        case("zero-is-num", "=LOG10(0)", "#NUM!"),
        case("negative-is-num", "=LOG10(-10)", "#NUM!"),
        case("error-propagates", "=LOG10(A1)", "#DIV/0!", {"A1": "=1/0"}),
    ],
)
def test_log10(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


# --------------------------------------------------------------------------------------- CEILING and FLOOR
@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("up-to-multiple", "=CEILING(2.5,1)", 3),
        case("to-cents", "=CEILING(4.42,0.05)", 4.45),
        case("negative-number-positive-significance-toward-zero", "=CEILING(-2.5,2)", -2),
        case("both-negative-away-from-zero", "=CEILING(-2.5,-2)", -4),
        case("positive-number-negative-significance-is-num", "=CEILING(2.5,-2)", "#NUM!"),
        case("zero-significance-is-zero", "=CEILING(2.5,0)", 0),
        case("binary-noise-ignored", "=CEILING(0.3,0.1)", 0.3),
        case("exact-multiple-unchanged", "=CEILING(1.5,0.1)", 1.5),
        case("text-is-value-error", '=CEILING("x",1)', "#VALUE!"),
    ],
)
def test_ceiling(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("down-to-multiple", "=FLOOR(3.7,2)", 2),
        case("to-decimals", "=FLOOR(1.58,0.1)", 1.5),
        case("negative-number-positive-significance-away-from-zero", "=FLOOR(-2.5,2)", -4),
        case("both-negative-toward-zero", "=FLOOR(-2.5,-2)", -2),
        case("positive-number-negative-significance-is-num", "=FLOOR(2.5,-2)", "#NUM!"),
        case("zero-significance-is-div0", "=FLOOR(2.5,0)", "#DIV/0!"),
        case("binary-noise-ignored", "=FLOOR(0.7,0.1)", 0.7),
        case("zero-number", "=FLOOR(0,5)", 0),
    ],
)
def test_floor(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("default-significance-one", "=CEILING.MATH(2.1)", 3),
        case("negative-toward-zero-by-default", "=CEILING.MATH(-2.5,2)", -2),
        case("mode-rounds-negative-away-from-zero", "=CEILING.MATH(-2.5,2,1)", -4),
        case("significance-sign-ignored", "=CEILING.MATH(2.5,-2)", 4),
        case("zero-significance-is-zero", "=CEILING.MATH(2.5,0)", 0),
        case("mode-ignored-for-positive", "=CEILING.MATH(2.5,2,1)", 4),
        case("precise-variant", "=CEILING.PRECISE(-4.3,2)", -4),
        case("iso-variant", "=ISO.CEILING(4.3)", 5),
    ],
)
def test_ceiling_math(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("default-significance-one", "=FLOOR.MATH(2.9)", 2),
        case("negative-away-from-zero-by-default", "=FLOOR.MATH(-2.5,2)", -4),
        case("mode-rounds-negative-toward-zero", "=FLOOR.MATH(-2.5,2,1)", -2),
        case("significance-sign-ignored", "=FLOOR.MATH(5.5,-2)", 4),
        case("zero-significance-is-zero", "=FLOOR.MATH(2.5,0)", 0),
        case("precise-variant", "=FLOOR.PRECISE(-3.2,-1)", -4),
        case("text-is-value-error", '=FLOOR.MATH("x")', "#VALUE!"),
    ],
)
def test_floor_math(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("ceiling-precise-positive-up", "=CEILING.PRECISE(4.3)", 5),
        case("ceiling-precise-negative-toward-zero", "=CEILING.PRECISE(-4.3)", -4),
        case("ceiling-precise-significance-sign-ignored", "=CEILING.PRECISE(4.3,-2)", 6),
        case("floor-precise-positive-down", "=FLOOR.PRECISE(4.7)", 4),
        case("floor-precise-negative-away-from-zero", "=FLOOR.PRECISE(-4.3,2)", -6),
        case("floor-precise-zero-significance", "=FLOOR.PRECISE(4.3,0)", 0),
        case("iso-ceiling-text-is-value-error", '=ISO.CEILING("x")', "#VALUE!"),
    ],
)
def test_precise_rounding(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


def test_rounding_functions_apply_elementwise_inside_sumproduct() -> None:
    assert evaluate("=SUMPRODUCT(INT(A1:A3))", {"A1": 1.5, "A2": -1.5, "A3": 2.9}) == 1


def test_sumif_recalculates_when_a_criteria_cell_changes() -> None:
    wb = Workbook()
    wb.set_range("A1", [["a", 1], ["b", 2], ["a", 3]])
    wb.set("D1", "a")
    wb.set("E1", "=SUMIF(A1:A3,D1,B1:B3)")
    assert wb.value("E1") == 4
    wb.set("D1", "b")
    assert wb.value("E1") == 2

