"""Statistical functions, checked through the workbook facade against Excel's documented results."""

from __future__ import annotations

import statistics
from typing import Any

import pytest

from sheetrl.sheet import Workbook

from .cases import case, run

# A column with a number, numeric text, a boolean, an empty cell, text, another number and empty text.
MIXED = {"A1": 2, "A2": "3", "A3": True, "A5": "x", "A6": 4, "A7": '=""'}
ERRORED = {"A1": 2, "A2": "=1/0", "A3": 4}
NUMBERS = {"B1": 3, "B2": 1, "B3": 3, "B4": 2, "B5": 1, "B6": 7}


# ------------------------------------------------------------------------------------------------ AVERAGE
@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("mean-of-numbers", "=AVERAGE(B1:B6)", 17 / 6, NUMBERS),
        case("range-skips-text-bools-blanks", "=AVERAGE(A1:A7)", 3, MIXED),
        case("direct-bool-and-numeric-text-count", '=AVERAGE(TRUE,"4")', 2.5),
        case("no-numbers-is-div0", "=AVERAGE(A5)", "#DIV/0!", MIXED),
        case("error-in-range-propagates", "=AVERAGE(A1:A3)", "#DIV/0!", ERRORED),
        case("direct-text-is-value-error", '=AVERAGE(1,"x")', "#VALUE!"),
        case("several-arguments", "=AVERAGE(B1:B2,10)", 14 / 3, NUMBERS),
    ],
)
def test_average(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


# ---------------------------------------------------------------------------------------------- MIN / MAX
@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("smallest", "=MIN(B1:B6)", 1, NUMBERS),
        case("range-skips-text-and-bools", "=MIN(A1:A7)", 2, MIXED),
        case("no-numbers-is-zero", "=MIN(A5)", 0, MIXED),
        case("direct-bool-counts", "=MIN(5,FALSE)", 0),
        case("direct-numeric-text-counts", '=MIN(5,"-1")', -1),
        case("error-in-range-propagates", "=MIN(A1:A3)", "#DIV/0!", ERRORED),
        case("negative-numbers", "=MIN(-3,-7,2)", -7),
    ],
)
def test_min(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("largest", "=MAX(B1:B6)", 7, NUMBERS),
        case("range-skips-numeric-text", "=MAX(A1:A3)", 2, MIXED),
        case("no-numbers-is-zero", "=MAX(A4:A5)", 0, MIXED),
        case("direct-numeric-text-and-bool-count", '=MAX("3",TRUE)', 3),
        case("error-in-range-propagates", "=MAX(A1:A3)", "#DIV/0!", ERRORED),
        case("all-negative", "=MAX(-3,-7)", -3),
        case("direct-text-is-value-error", '=MAX(1,"x")', "#VALUE!"),
    ],
)
def test_max(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


# -------------------------------------------------------------------------------------------------- counts
@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("numbers-only-in-ranges", "=COUNT(A1:A7)", 2, MIXED),
        case("direct-numeric-text-and-bool-count", '=COUNT("3",TRUE,"x")', 2),
        case("errors-are-not-counted-nor-returned", "=COUNT(A1:A3)", 2, ERRORED),
        case("direct-error-is-not-counted", "=COUNT(1/0,1)", 1),
        case("omitted-argument-counts", "=COUNT(1,,2)", 3),
        case("empty-range", "=COUNT(C1:C9)", 0),
    ],
)
def test_count(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("non-empty-cells", "=COUNTA(A1:A7)", 6, MIXED),
        case("errors-count", "=COUNTA(A1:A3)", 3, ERRORED),
        case("empty-text-counts", '=COUNTA("")', 1),
        case("direct-error-counts", "=COUNTA(1/0)", 1),
        case("empty-range-is-zero", "=COUNTA(C1:C9)", 0),
        case("omitted-argument-counts", "=COUNTA(1,,2)", 3),
    ],
)
def test_counta(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("empty-cells-and-empty-text", "=COUNTBLANK(A1:A8)", 3, MIXED),
        case("zero-is-not-blank", "=COUNTBLANK(A1:A2)", 0, {"A1": 0, "A2": "0"}),
        case("all-blank", "=COUNTBLANK(C1:D3)", 6),
        case("errors-are-not-blank", "=COUNTBLANK(A1:A4)", 1, ERRORED),
        case("non-range-is-value-error", "=COUNTBLANK(5)", "#VALUE!"),
        case("single-empty-cell", "=COUNTBLANK(A4)", 1, MIXED),
    ],
)
def test_countblank(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


# ------------------------------------------------------------------------------------------------ COUNTIF(S)
ITEMS = {
    "A1": "apple", "B1": 10, "C1": "x",
    "A2": "Apricot", "B2": 25, "C2": "y",
    "A3": "banana", "B3": "25", "C3": "x",
    "A4": "apple", "B4": 40, "C4": "y",
    "A5": "=1/0", "B5": True, "C5": "x",
}  # fmt: skip


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("text-equality-is-case-insensitive", '=COUNTIF(A1:A5,"APPLE")', 2, ITEMS),
        case("wildcard-prefix", '=COUNTIF(A1:A5,"ap*")', 3, ITEMS),
        case("number-matches-numeric-text-too", "=COUNTIF(B1:B5,25)", 2, ITEMS),
        case("ordering-matches-numbers-only", '=COUNTIF(B1:B5,">20")', 2, ITEMS),
        case("errors-in-range-are-ignored", '=COUNTIF(A1:A5,"<>apple")', 3, ITEMS),
        case("error-criterion-text-counts-errors", '=COUNTIF(A1:A5,"#DIV/0!")', 1, ITEMS),
        case("boolean-criterion", "=COUNTIF(B1:B5,TRUE)", 1, ITEMS),
        case("blank-criterion", '=COUNTIF(A1:A8,"")', 3, MIXED),
        case("non-blank-criterion", '=COUNTIF(A1:A8,"<>")', 6, MIXED),
        case("no-match-is-zero", '=COUNTIF(A1:A5,"cherry")', 0, ITEMS),
    ],
)
def test_countif(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("two-conditions", '=COUNTIFS(A1:A5,"a*",C1:C5,"x")', 1, ITEMS),
        case("single-condition", '=COUNTIFS(C1:C5,"y")', 2, ITEMS),
        case("between-on-same-range", '=COUNTIFS(B1:B5,">=10",B1:B5,"<30")', 2, ITEMS),
        case("shape-mismatch-is-value-error", '=COUNTIFS(A1:A5,"a*",C1:C4,"x")', "#VALUE!", ITEMS),
        case("missing-criterion-is-value-error", '=COUNTIFS(A1:A5,"a*",C1:C5)', "#VALUE!", ITEMS),
        case("no-match-is-zero", '=COUNTIFS(A1:A5,"apple",C1:C5,"z")', 0, ITEMS),
        case("two-dimensional-ranges", '=COUNTIFS(A1:B2,"<>x",A1:B2,"<>10")', 3, ITEMS),
    ],
)
def test_countifs(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


# --------------------------------------------------------------------------------------------- AVERAGEIF(S)
@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("averages-matching-rows", '=AVERAGEIF(A1:A5,"apple",B1:B5)', 25, ITEMS),
        case("average-range-defaults-to-criteria-range", '=AVERAGEIF(B1:B5,">5")', 25, ITEMS),
        case("text-in-average-range-is-skipped", '=AVERAGEIF(C1:C5,"x",B1:B5)', 10, ITEMS),
        case("no-match-is-div0", '=AVERAGEIF(A1:A5,"cherry",B1:B5)', "#DIV/0!", ITEMS),
        case("matches-without-numbers-is-div0", '=AVERAGEIF(A1:A5,"banana",B1:B5)', "#DIV/0!", ITEMS),
        case("error-in-matched-average-cell-propagates", '=AVERAGEIF(C1:C5,"x",A1:A5)', "#DIV/0!", ITEMS),
    ],
)
def test_averageif(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("all-criteria-must-hold", '=AVERAGEIFS(B1:B5,A1:A5,"a*",C1:C5,"y")', 32.5, ITEMS),
        case("single-pair", '=AVERAGEIFS(B1:B5,C1:C5,"y")', 32.5, ITEMS),
        case("no-match-is-div0", '=AVERAGEIFS(B1:B5,C1:C5,"z")', "#DIV/0!", ITEMS),
        case("shape-mismatch-is-value-error", '=AVERAGEIFS(B1:B4,C1:C5,"y")', "#VALUE!", ITEMS),
        case("numeric-criterion-on-numbers", "=AVERAGEIFS(B1:B5,B1:B5,25)", 25, ITEMS),
    ],
)
def test_averageifs(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


# ---------------------------------------------------------------------------------------------------- RANK
@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("descending-by-default", "=RANK(3,B1:B6)", 2, NUMBERS),
        case("ties-share-the-best-rank", "=RANK(1,B1:B6,1)", 1, NUMBERS),
        case("ascending-order", "=RANK(3,B1:B6,1)", 4, NUMBERS),
        case("not-present-is-na", "=RANK(4,B1:B6)", "#N/A", NUMBERS),
        case("rank-eq-alias", "=RANK.EQ(7,B1:B6)", 1, NUMBERS),
        case("numeric-text-number-is-coerced", '=RANK("2",B1:B6)', 4, NUMBERS),
        case("text-in-ref-is-skipped", "=RANK(4,A1:A7)", 1, MIXED),
        case("error-in-ref-propagates", "=RANK(2,A1:A3)", "#DIV/0!", ERRORED),
        case("omitted-order-is-descending", "=RANK(7,B1:B6,)", 1, NUMBERS),
    ],
)
def test_rank(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


# ------------------------------------------------------------------------------------------- LARGE / SMALL
@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("largest", "=LARGE(B1:B6,1)", 7, NUMBERS),
        case("duplicates-count-separately", "=LARGE(B1:B6,3)", 3, NUMBERS),
        case("fractional-k-rounds-up", "=LARGE({10,20,30},1.5)", 20),
        case("k-zero-is-num", "=LARGE(B1:B6,0)", "#NUM!", NUMBERS),
        case("k-beyond-count-is-num", "=LARGE(B1:B6,7)", "#NUM!", NUMBERS),
        case("text-in-range-skipped", "=LARGE(A1:A7,2)", 2, MIXED),
        case("error-in-range-propagates", "=LARGE(A1:A3,1)", "#DIV/0!", ERRORED),
        case("numeric-text-k", '=LARGE(B1:B6,"2")', 3, NUMBERS),
    ],
)
def test_large(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("smallest", "=SMALL(B1:B6,1)", 1, NUMBERS),
        case("second-smallest-with-duplicates", "=SMALL(B1:B6,2)", 1, NUMBERS),
        case("array-constant-skips-text", '=SMALL({1,"2",3},2)', 3),
        case("k-below-one-is-num", "=SMALL(B1:B6,0.5)", "#NUM!", NUMBERS),
        case("no-numbers-is-num", "=SMALL(A5,1)", "#NUM!", MIXED),
        case("text-k-is-value-error", '=SMALL(B1:B6,"x")', "#VALUE!", NUMBERS),
    ],
)
def test_small(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


# -------------------------------------------------------------------------------------------------- MEDIAN
@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("odd-count", "=MEDIAN(3,1,2)", 2),
        case("even-count-averages-middle-pair", "=MEDIAN(B1:B6)", 2.5, NUMBERS),
        case("range-skips-text-and-bools", "=MEDIAN(A1:A7)", 3, MIXED),
        case("no-numbers-is-num", "=MEDIAN(A5)", "#NUM!", MIXED),
        case("error-propagates", "=MEDIAN(A1:A3)", "#DIV/0!", ERRORED),
        case("direct-bool-counts", "=MEDIAN(TRUE,3,5)", 3),
    ],
)
def test_median(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


# ------------------------------------------------------------------------------------------------- spread
SAMPLE = [3, 1, 3, 2, 1, 7]


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("stdev-sample", "=STDEV(B1:B6)", statistics.stdev(SAMPLE), NUMBERS),
        case("stdev-s-alias", "=STDEV.S(B1:B6)", statistics.stdev(SAMPLE), NUMBERS),
        case("stdev-single-value-is-div0", "=STDEV(5)", "#DIV/0!"),
        case("stdev-p-population", "=STDEV.P(B1:B6)", statistics.pstdev(SAMPLE), NUMBERS),
        case("stdevp-alias", "=STDEVP(B1:B6)", statistics.pstdev(SAMPLE), NUMBERS),
        case("stdevp-single-value-is-zero", "=STDEVP(5)", 0),
        case("stdev-skips-text-in-range", "=STDEV(A1:A7)", statistics.stdev([2, 4]), MIXED),
        case("stdev-error-propagates", "=STDEV(A1:A3)", "#DIV/0!", ERRORED),
        case("stdev-direct-text-is-value-error", '=STDEV(1,2,"x")', "#VALUE!"),
    ],
)
def test_stdev(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("var-sample", "=VAR(10,20,30)", 100),
        case("var-s-alias", "=VAR.S(B1:B6)", statistics.variance(SAMPLE), NUMBERS),
        case("var-p-population", "=VAR.P(10,20,30)", 200 / 3),
        case("varp-alias", "=VARP(B1:B6)", statistics.pvariance(SAMPLE), NUMBERS),
        case("var-no-numbers-is-div0", "=VAR(A5)", "#DIV/0!", MIXED),
        case("varp-no-numbers-is-div0", "=VARP(A5)", "#DIV/0!", MIXED),
        case("var-direct-bool-counts", "=VAR(TRUE,3)", 2),
        case("var-large-offset-is-stable", "=VAR(1E9+1,1E9+2,1E9+3)", 1),
    ],
)
def test_var(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("varp-of-numbers", "=VARP(2,4,4,4,5,5,7,9)", 4),
        case("stdevp-of-numbers", "=STDEVP(2,4,4,4,5,5,7,9)", 2),
        case("stdev-p-skips-text-and-bools-in-range", "=STDEV.P(A1:A7)", 1, MIXED),
        case("var-p-direct-numeric-text-counts", '=VAR.P("1","3")', 1),
        case("stdevp-error-propagates", "=STDEVP(A1:A3)", "#DIV/0!", ERRORED),
        case("stdevp-no-numbers-is-div0", "=STDEVP(A5)", "#DIV/0!", MIXED),
        case("var-p-direct-text-is-value-error", '=VAR.P(1,"x")', "#VALUE!"),
    ],
)
def test_population_spread(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


# ---------------------------------------------------------------------------------------------------- MODE
@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("most-frequent", "=MODE(1,2,2,3)", 2),
        case("tie-gives-first-to-appear", "=MODE(B1:B6)", 3, NUMBERS),
        case("tie-order-follows-arguments", "=MODE(1,2,2,1)", 1),
        case("no-repeats-is-na", "=MODE(1,2,3)", "#N/A"),
        case("mode-sngl-alias", "=MODE.SNGL(5,5,6)", 5),
        case("range-skips-numeric-text", "=MODE(A1:A3,2)", 2, MIXED),
        case("error-propagates", "=MODE(A1:A3)", "#DIV/0!", ERRORED),
        case("no-numbers-is-na", "=MODE(A5)", "#N/A", MIXED),
        # As Excel caches them in real workbooks: text typed as an argument is #VALUE! (numeric or not, checked
        # left to right before later errors), an empty text "" is skipped.
        case("direct-numeric-text-is-value", '=MODE(1,"1",2,1)', "#VALUE!"),
        case("direct-text-before-error", '=MODE("1",1,#DIV/0!,2,3)', "#VALUE!"),
        case("empty-text-skipped", '=MODE.SNGL(1,1,"",2)', 1),
        # QUARTILE checks quart before truncating it: -0.1 is outside 0..4
        case("quartile-negative-fraction", "=QUARTILE({1,2,3},-0.1)", "#NUM!"),
        case("quartile-fraction-truncated", "=QUARTILE({1,2,3},3.5)", 2.5),
    ],
)
def test_mode(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


def test_countif_over_a_whole_column_counts_only_used_cells() -> None:
    wb = Workbook()
    wb.set_range("A1", [[1], [2], [3]])
    wb.set("B1", '=COUNTIF(A:A,">1")')
    assert wb.value("B1") == 2
    wb.set("A100", 9)
    assert wb.value("B1") == 3


def test_average_updates_when_a_source_cell_becomes_text() -> None:
    wb = Workbook()
    wb.set_range("A1", [[2], [4]])
    wb.set("B1", "=AVERAGE(A1:A2)")
    assert wb.value("B1") == 3
    wb.set("A2", "four")
    assert wb.value("B1") == 2



# ------------------------------------------------------------------------------- COUNTIF family (measured in Excel)
# A column as in a workbook Excel calculated: the number 23, the text "23", logicals, other numbers and text.
TWENTY_THREES = {"A1": 23, "A2": "23", "A3": True, "A4": 1, "A5": -23, "A6": "hey", "A7": False}


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("equals-number-matches-numeric-text", "=COUNTIF(A1:A7,23)", 2, TWENTY_THREES),
        case("not-equal-number-excludes-only-the-number", '=COUNTIF(A1:A7,"<>23")', 6, TWENTY_THREES),
        case("error-criterion-counts-that-error", "=COUNTIF(A1:A3,1/0)", 2,
             {"A1": "=1/0", "A2": "=1/0", "A3": "=NA()"}),
        case("error-criterion-from-a-cell", "=COUNTIF(A1:A3,B1)", 1, {"A1": "=1/0", "A2": "=NA()", "B1": "=NA()"}),
        case("whole-column-counts-its-empty-cells", '=COUNTIF(A:A,"<>23")', 1048576 - 2, TWENTY_THREES | {"A8": 23}),
        case("whole-column-blank-criterion", '=COUNTIF(A:A,"")', 1048576 - 7, TWENTY_THREES),
        case("whole-column-countblank", "=COUNTBLANK(B:B)", 1048575, {"B9": 1}),
        case("countifs-whole-columns", '=COUNTIFS(A:A,"<>hey",B:B,"")', 1048576 - 2, TWENTY_THREES | {"B3": 1}),
        case("countifs-error-criterion", "=COUNTIFS(A1:A3,NA(),B1:B3,1)", 1,
             {"A1": "=NA()", "A2": "=NA()", "B1": 1, "B2": 2}),
        case("minifs-error-criterion", "=MINIFS(B1:B3,A1:A3,NA())", 2,
             {"A1": "=NA()", "A3": "=NA()", "B1": 5, "B3": 2}),
    ],
)
def test_countif_family_as_excel_computes_it(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)
