"""Lookup functions, checked through the workbook facade against Excel's documented results."""

from __future__ import annotations

from typing import Any

import pytest

from sheetrl.sheet import Workbook
from sheetrl.sheet.errors import VALUE
from sheetrl.sheet.evaluation import Reference
from sheetrl.sheet.functions.lookup import (
    binary_search,
    descending_scan,
    ordered_search,
)
from sheetrl.sheet.functions.reference import choose, index
from sheetrl.sheet.values import Matrix

from .cases import case, evaluate, run

# Sorted numeric keys in A, names in B, prices in C; text keys in E (unsorted), numbers in F.
TABLE = {
    "A1": 10, "B1": "ten", "C1": 1.5,
    "A2": 20, "B2": "twenty", "C2": 2.5,
    "A3": 30, "B3": "thirty", "C3": "=1/0",
    "A4": 40, "B4": "forty", "C4": 4.5,
    "E1": "pear", "F1": 1,
    "E2": "Apple", "F2": 2,
    "E3": "banana", "F3": 3,
    "E4": "apple", "F4": 4,
    "E5": "5", "F5": 5,
}  # fmt: skip
MIXED_KEYS = {"A1": 1, "A2": 3, "A3": "x", "A4": 5, "A5": 7, "B1": "one", "B2": "three", "B3": "ex", "B4": "five",
              "B5": "seven"}  # fmt: skip
DESCENDING = {"A1": 40, "A2": 30, "A3": 20, "A4": 10}


# -------------------------------------------------------------------------------------------------- VLOOKUP
@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("approximate-by-default-finds-largest-not-above", "=VLOOKUP(25,A1:C4,2)", "twenty", TABLE),
        case("approximate-exact-hit", "=VLOOKUP(30,A1:C4,2,TRUE)", "thirty", TABLE),
        case("approximate-above-all-gives-last", "=VLOOKUP(99,A1:C4,2)", "forty", TABLE),
        case("approximate-below-all-is-na", "=VLOOKUP(5,A1:C4,2)", "#N/A", TABLE),
        case("approximate-skips-other-types", "=VLOOKUP(4,A1:B5,2)", "three", MIXED_KEYS),
        case("approximate-text-among-numbers", '=VLOOKUP("z",A1:B5,2)', "ex", MIXED_KEYS),
        case("exact-match", "=VLOOKUP(20,A1:C4,3,FALSE)", 2.5, TABLE),
        case("exact-missing-is-na", "=VLOOKUP(25,A1:C4,2,FALSE)", "#N/A", TABLE),
        case("exact-text-is-case-insensitive-first-match", '=VLOOKUP("APPLE",E1:F5,2,FALSE)', 2, TABLE),
        case("exact-wildcard", '=VLOOKUP("b*",E1:F5,2,FALSE)', 3, TABLE),
        case("exact-question-mark-wildcard", '=VLOOKUP("?ear",E1:F5,2,FALSE)', 1, TABLE),
        case("text-number-does-not-match-number", '=VLOOKUP("20",A1:C4,2,FALSE)', "#N/A", TABLE),
        case("number-does-not-match-text-number", "=VLOOKUP(5,E1:F5,2,FALSE)", "#N/A", TABLE),
        case("empty-range-lookup-argument-means-exact", "=VLOOKUP(25,A1:C4,2,)", "#N/A", TABLE),
        case("zero-means-exact", "=VLOOKUP(30,A1:C4,2,0)", "thirty", TABLE),
        case("column-index-beyond-table-is-ref", "=VLOOKUP(20,A1:C4,4,FALSE)", "#REF!", TABLE),
        case("column-index-below-one-is-value", "=VLOOKUP(20,A1:C4,0,FALSE)", "#VALUE!", TABLE),
        case("column-index-is-truncated", "=VLOOKUP(20,A1:C4,2.9,FALSE)", "twenty", TABLE),
        case("error-in-returned-cell-is-returned", "=VLOOKUP(30,A1:C4,3,FALSE)", "#DIV/0!", TABLE),
        case("lookup-error-propagates", "=VLOOKUP(1/0,A1:C4,2)", "#DIV/0!", TABLE),
        case("blank-lookup-value-is-na", "=VLOOKUP(H1,A1:C4,2,FALSE)", "#N/A", TABLE),
        case("blank-result-cell-shows-zero", "=VLOOKUP(10,A1:D4,4,FALSE)", 0, TABLE),
        case("array-constant-table", '=VLOOKUP(2,{1,"a";2,"b";3,"c"},2,FALSE)', "b"),
        # a single value as the table (IronCalc's HVLOOKUP.xlsx, cached by Excel): text is no table, a number is
        case("text-table-is-value-error", '=VLOOKUP("Aranda","Nothing",1)', "#VALUE!"),
        case("text-table-is-value-error-horizontally", '=HLOOKUP("Aranda","Nothing",1)', "#VALUE!"),
        case("number-table-is-one-cell", '=VLOOKUP("Aranda",3,1)', "#N/A"),
        case("text-cell-table-is-one-cell", '=VLOOKUP("x",H1,1,FALSE)', "x", {"H1": "x"}),
        # not found is #N/A before the index is checked (umya-spreadsheet's pr_204.xlsx, cached by Excel)
        case("not-found-before-column-index", "=VLOOKUP(H1,B1:C1,0)", "#N/A", {"B1": 1, "C1": 0}),
        case("found-then-column-index-below-one", "=VLOOKUP(1,B1:C1,0)", "#VALUE!", {"B1": 1, "C1": 0}),
        case("not-found-before-column-beyond", "=VLOOKUP(0,B1:C1,3)", "#N/A", {"B1": 1, "C1": 0}),
    ],
)
def test_vlookup(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


# -------------------------------------------------------------------------------------------------- HLOOKUP
ROWS = {"A1": 1, "B1": 2, "C1": 3, "A2": "a", "B2": "b", "C2": "c", "D1": "x", "D2": "ex"}


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("approximate-by-default", "=HLOOKUP(2.5,A1:C2,2)", "b", ROWS),
        case("exact-match", "=HLOOKUP(3,A1:C2,2,FALSE)", "c", ROWS),
        case("exact-text-wildcard", '=HLOOKUP("?",A1:D2,2,FALSE)', "ex", ROWS),
        case("row-index-beyond-table-is-ref", "=HLOOKUP(2,A1:C2,3)", "#REF!", ROWS),
        case("row-index-below-one-is-value", "=HLOOKUP(2,A1:C2,0)", "#VALUE!", ROWS),
        case("below-all-is-na", "=HLOOKUP(0,A1:C2,2)", "#N/A", ROWS),
        case("array-constant", '=HLOOKUP(2,{1,2,3;"a","b","c"},2)', "b"),
        case("returns-first-row-itself", "=HLOOKUP(3,A1:C2,1,FALSE)", 3, ROWS),
    ],
)
def test_hlookup(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


# ---------------------------------------------------------------------------------------------------- MATCH
@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("sorted-ascending-by-default", "=MATCH(25,A1:A4)", 2, TABLE),
        case("exact", "=MATCH(30,A1:A4,0)", 3, TABLE),
        case("exact-missing-is-na", "=MATCH(31,A1:A4,0)", "#N/A", TABLE),
        case("exact-wildcard", '=MATCH("b?nana",E1:E5,0)', 3, TABLE),
        case("exact-text-case-insensitive-first", '=MATCH("APPLE",E1:E5,0)', 2, TABLE),
        case("descending-finds-smallest-not-below", "=MATCH(25,A1:A4,-1)", 2, DESCENDING),
        case("descending-above-all-is-na", "=MATCH(45,A1:A4,-1)", "#N/A", DESCENDING),
        case("horizontal-range", "=MATCH(2,A1:C1,0)", 2, ROWS),
        case("two-dimensional-range-is-na", "=MATCH(2,A1:C2,0)", "#N/A", ROWS),
        case("empty-match-type-means-exact", "=MATCH(5,A1:A5,)", 4, MIXED_KEYS),
        case("array-constant", '=MATCH("c",{"a","b","c"},0)', 3),
        case("below-all-is-na", "=MATCH(1,A1:A4)", "#N/A", TABLE),
        case("booleans-match-booleans", "=MATCH(TRUE,{1,TRUE},0)", 2),
        case("text-number-does-not-match-number", '=MATCH("10",A1:A4,0)', "#N/A", TABLE),
        case("approximate-ignores-other-types", '=MATCH("b",{"a",1,"c"})', 1),
    ],
)
def test_match(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


# -------------------------------------------------------------------------------------------------- XLOOKUP
@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("exact-by-default", "=XLOOKUP(20,A1:A4,B1:B4)", "twenty", TABLE),
        case("not-found-is-na", "=XLOOKUP(25,A1:A4,B1:B4)", "#N/A", TABLE),
        case("if-not-found-value", '=XLOOKUP(25,A1:A4,B1:B4,"none")', "none", TABLE),
        case("empty-if-not-found-argument-is-na", "=XLOOKUP(25,A1:A4,B1:B4,,0)", "#N/A", TABLE),
        case("next-smaller", "=XLOOKUP(25,A1:A4,B1:B4,,-1)", "twenty", TABLE),
        case("next-larger", "=XLOOKUP(25,A1:A4,B1:B4,,1)", "thirty", TABLE),
        case("next-smaller-in-unsorted-data", "=XLOOKUP(3.5,F1:F5,E1:E5,,-1)", "banana", TABLE),
        case("no-wildcards-in-exact-mode", '=XLOOKUP("b*",E1:E5,F1:F5)', "#N/A", TABLE),
        case("wildcard-mode", '=XLOOKUP("b*",E1:E5,F1:F5,,2)', 3, TABLE),
        case("search-last-to-first", '=XLOOKUP("apple",E1:E5,F1:F5,,0,-1)', 4, TABLE),
        case("search-first-to-last-is-case-insensitive", '=XLOOKUP("apple",E1:E5,F1:F5)', 2, TABLE),
        case("binary-search-ascending", "=XLOOKUP(30,A1:A4,B1:B4,,0,2)", "thirty", TABLE),
        case("binary-search-next-smaller", "=XLOOKUP(35,A1:A4,B1:B4,,-1,2)", "thirty", TABLE),
        case("binary-search-descending", "=XLOOKUP(25,A1:A4,A1:A4,,1,-2)", 30, DESCENDING),
        case("horizontal-arrays", "=XLOOKUP(3,A1:C1,A2:C2)", "c", ROWS),
        case("two-dimensional-return-outside-its-columns-is-value-error", "=@XLOOKUP(30,A1:A4,B1:C4)", "#VALUE!",
             TABLE),
        case("two-dimensional-return-row-can-be-summed", "=SUM(XLOOKUP(20,A1:A4,A1:C4))", 22.5, TABLE),
        case("mismatched-sizes-is-value-error", "=XLOOKUP(20,A1:A4,B1:B3)", "#VALUE!", TABLE),
        case("invalid-match-mode-is-value-error", "=XLOOKUP(20,A1:A4,B1:B4,,4)", "#VALUE!", TABLE),
        case("invalid-search-mode-is-value-error", "=XLOOKUP(20,A1:A4,B1:B4,,0,0)", "#VALUE!", TABLE),
        case("if-not-found-blank-cell-shows-zero", "=XLOOKUP(25,A1:A4,B1:B4,H1)", 0, TABLE),
        case("errors-in-lookup-array-are-skipped", "=XLOOKUP(4.5,C1:C4,A1:A4)", 40, TABLE),
        case("lookup-error-propagates", "=XLOOKUP(1/0,A1:A4,B1:B4)", "#DIV/0!", TABLE),
    ],
)
def test_xlookup(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


# ---------------------------------------------------------------------------------------------------- INDEX
@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("row-and-column", "=INDEX(A1:C4,2,2)", "twenty", TABLE),
        case("single-column-needs-only-row", "=INDEX(A1:A4,3)", 30, TABLE),
        case("single-row-index-is-column", "=INDEX(A1:C1,3)", 1.5, TABLE),
        case("indexes-are-truncated", "=INDEX(A1:C4,1.9,2.9)", "ten", TABLE),
        case("row-beyond-range-is-ref", "=INDEX(A1:A4,5)", "#REF!", TABLE),
        case("column-beyond-range-is-ref", "=INDEX(A1:C4,1,4)", "#REF!", TABLE),
        case("negative-index-is-value-error", "=INDEX(A1:C4,-1,1)", "#VALUE!", TABLE),
        case("row-zero-gives-whole-column", "=SUM(INDEX(A1:C4,0,1))", 100, TABLE),
        case("column-zero-gives-whole-row", "=SUM(INDEX(A1:C4,4,0))", 44.5, TABLE),
        case("whole-column-outside-its-rows-is-value-error", "=@INDEX(A1:C4,0,2)", "#VALUE!", TABLE),
        case("array-constant", "=INDEX({1,2;3,4},2,1)", 3),
        case("blank-cell-shows-zero", "=INDEX(A1:D4,1,4)", 0, TABLE),
        case("error-cell-is-returned", "=INDEX(A1:C4,3,3)", "#DIV/0!", TABLE),
        case("with-match", "=INDEX(B1:B4,MATCH(40,A1:A4,0))", "forty", TABLE),
        case("area-number-other-than-one-is-ref", "=INDEX(A1:C4,1,1,2)", "#REF!", TABLE),
        case("empty-row-argument-means-whole-column", "=SUM(INDEX(A1:C4,,1))", 100, TABLE),
    ],
)
def test_index(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


# --------------------------------------------------------------------------------------------------- CHOOSE
@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("picks-the-indexed-value", '=CHOOSE(2,"a","b","c")', "b"),
        case("index-is-truncated", '=CHOOSE(1.9,"a","b")', "a"),
        case("index-beyond-choices-is-value-error", '=CHOOSE(3,"a","b")', "#VALUE!"),
        case("index-zero-is-value-error", '=CHOOSE(0,"a")', "#VALUE!"),
        case("error-in-unchosen-argument-is-ignored", '=CHOOSE(1,"a",1/0)', "a"),
        case("index-error-propagates", '=CHOOSE(1/0,"a")', "#DIV/0!"),
        case("chosen-range-can-be-summed", "=SUM(CHOOSE(2,A1:A4,F1:F5))", 15, TABLE),
        case("chosen-cell-reference", "=CHOOSE(2,A1,B1)", "ten", TABLE),
        case("numeric-text-index", '=CHOOSE("2","a","b")', "b"),
        case("text-index-is-value-error", '=CHOOSE("x","a","b")', "#VALUE!"),
    ],
)
def test_choose(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


def test_choose_evaluates_only_the_chosen_argument() -> None:
    def never() -> Any:
        raise AssertionError("an unchosen argument was evaluated")

    assert choose(lambda: 2.0, never, lambda: "picked", never) == "picked"


def test_index_of_a_reference_is_a_reference() -> None:
    area = Reference.area(0, 5, 7, 6, 8)  # H6:I7
    assert index(area, 2.0, 0.0) == Reference.area(0, 6, 7, 6, 8)
    assert index(area, 2.0, 2.0) == Reference.area(0, 6, 8, 6, 8)


def test_index_whole_row_of_an_array() -> None:
    row = index(Matrix(2, 2, [1.0, 2.0, 3.0, 4.0]), 2.0, 0.0)
    assert isinstance(row, Matrix)
    assert (row.rows, row.cols, row.values) == (1, 2, [3.0, 4.0])


def test_binary_search_returns_last_of_equal_values() -> None:
    assert binary_search([1.0, 2.0, 2.0, 2.0, 3.0], 2.0) == 3


def test_big_number_trick_finds_last_number_in_a_column() -> None:
    cells = {"A1": 5, "A2": "x", "A3": 8, "A4": "y", "A5": 2, "A6": "z"}
    assert evaluate("=VLOOKUP(9.99E+307,A1:A6,1)", cells) == 2


def test_vlookup_follows_edits_to_the_table() -> None:
    wb = Workbook()
    wb.set_range("A1", [[1, "a"], [2, "b"]])
    wb.set("D1", "=VLOOKUP(2,A1:B2,2,FALSE)")
    assert wb.value("D1") == "b"
    wb.set("B2", "changed")
    assert wb.value("D1") == "changed"



# ------------------------------------------------------------------------------- Excel's searches, step by step
def test_binary_search_on_unsorted_keys_follows_the_halving() -> None:
    keys = [1.0, 7.0, 3.0, 9.0, 2.0, 8.0]
    # 5: middle 3 (index 2) -> right; 2 (4) -> right; 8 (5) -> left: the answer is index 4, not the 3 at index 2
    assert binary_search(keys, 5.0) == 4
    assert binary_search(keys, 1.5) == 0
    assert binary_search(keys, 0.5) is None


def test_binary_search_steps_over_other_types() -> None:
    keys = [1.0, "x", 3.0, "y", 5.0]
    # 4: middle "x"... index 2 holds 3 -> right; index 3 is text: step to 5 (the last before high), above 4 -> left
    assert binary_search(keys, 4.0) == 2
    assert binary_search([5.0, "x", 8.0, "y", 2.0, "z"], 9.99e307) == 4  # the "last number" idiom
    assert binary_search(["a", None, "c", None, None], "zzz") == 2  # the "last text" idiom, blanks skipped


def test_binary_search_matches_excel_on_unsorted_text_keys() -> None:
    # Keys and answers of a real workbook (VLOOKUP(...,TRUE) over an unsorted price list), cached by Excel
    keys = ["Alpine", "Aspen", "Carlota", "Crested Beaut", "Majestic Beaut", "Sunshine", "Bellen", "Eagle",
            "Yanaki", "Phoenix", "Darnell Tri Fly", "Fun Fly", "Fire Aspen", "Sunset", "Sunspot",
            "Carlota Doublers", "GelFast", "Frido Fast Catch", "Manu MTA", "Manu LD", "Bower Aussie Round", "Quad"]
    answers = {"Aspen": 1, "Yanaki": 21, "Bellen": 1, "Quad": 21, "Crested Beaut": 3, "Manu LD": 19,
               "Fire Aspen": 10, "Sunspot": 21, "Bower Aussie Round": 1}  # fmt: skip
    for lookup, position in answers.items():
        assert binary_search(keys, lookup) == position, lookup


def test_descending_scan_stops_at_the_first_value_below() -> None:
    assert descending_scan([50.0, 40.0, 30.0, 20.0], 35.0) == 1
    assert descending_scan([50.0, 40.0, 40.0, 30.0], 40.0) == 1  # the first equal value
    assert descending_scan([0.0, 1.0, 2.0, 3.0, 4.0], 2.0) is None  # 0 is already below 2: #N/A in Excel
    assert descending_scan([0.0, 1.0, 2.0, 3.0, 4.0], -1.0) == 4
    assert descending_scan(["a", "b"], 1.0) is None


def test_ordered_search_bisects_all_types_in_excel_order() -> None:
    keys = [9700.0, "xyz", "xyz", 160726.0, 204100.0, 510300.0]
    assert ordered_search(keys, 46523.0, 1) == 1  # text sorts after numbers: the boundary is at index 1
    assert ordered_search(keys, 46523.0, -1) == 0
    assert ordered_search(keys, 9700.0, 0) == 0
    assert ordered_search(keys, 204100.0, 0) is None  # the halving never reaches it in this unsorted data
    assert ordered_search(["a", "b", None, None], None, 1) == 2  # empty cells sort last
    descending = [50.0, 40.0, 30.0, 20.0]
    assert ordered_search(descending, 35.0, -1, descending=True) == 2
    assert ordered_search(descending, 35.0, 1, descending=True) == 1
    assert ordered_search(descending, 60.0, 1, descending=True) is None


def test_ordered_search_finds_the_start_of_a_run_of_equal_values() -> None:
    # IronCalc's XLOOKUP.xlsx (sheet MultipleElements), values Excel cached: search mode 2 gives the first of
    # equal values, -2 the last; a next-smaller match without an equal value is the neighbour (the last 7)
    ascending = [1.0, 2.0, 3.0, 4.0, 5.0, 5.0, 5.0, 6.0, 7.0, 7.0, 7.0, 8.0, 9.0]
    assert ordered_search(ascending, 5.0, 0) == 4  # the halving first probes index 6, also a 5
    assert ordered_search(ascending, 7.0, 1) == 8
    assert ordered_search(ascending, 7.1, -1) == 10
    assert ordered_search(ascending, 6.8, 1) == 8
    descending = ascending[::-1]
    assert ordered_search(descending, 5.0, 0, descending=True) == 8
    assert ordered_search(descending, 7.0, -1, descending=True) == 4
    assert ordered_search(descending, 7.1, -1, descending=True) == 2
    # an empty lookup value finds the first empty cell of a column clamped to the sheet's extent
    assert ordered_search(["a", "b", "c", "d", "e", None, None, None, None], None, 1) == 5
    # the run is of equal values only: case-insensitive text is equal, other neighbours stop it
    assert ordered_search(["a", "B", "b", "c"], "b", 0) == 1
    assert ordered_search(["c bau c", 4.1, "a", 1.1], 4.1, 0) == 1


# ----------------------------------------------------------------------------------------------------- LOOKUP
@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("vector-result", "=LOOKUP(25,A1:A4,B1:B4)", "twenty", TABLE),
        case("array-tall-last-column", "=LOOKUP(25,A1:C4)", 2.5, TABLE),
        case("array-wide-last-row", "=LOOKUP(2.5,A1:C2)", "b", ROWS),
        case("result-row-vector", "=LOOKUP(30,A1:A4,E1:H1)", "G1", {**TABLE, "E1": "E1", "F1": "F1", "G1": "G1"}),
        case("result-extends-past-its-end", "=LOOKUP(40,A1:A4,B1)", "forty", TABLE),
        case("result-array-too-short", "=LOOKUP(40,A1:A4,{1,2})", "#N/A", TABLE),
        case("empty-lookup-is-zero", "=LOOKUP(H1,{0,1,2},{\"z\",\"o\",\"t\"})", "z"),
        # as Excel cached it in pycel's lookup.xlsx: the first column of a two-dimensional lookup_vector
        case("lookup-vector-two-dimensional", "=LOOKUP(20,A1:B4,C1:C4)", 2.5, TABLE),
        case("result-two-dimensional", "=LOOKUP(20,A1:A4,B1:C4)", "#N/A", TABLE),
        case("error-lookup", "=LOOKUP(1/0,A1:A4)", "#DIV/0!", TABLE),
    ],
)
def test_lookup(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


# ----------------------------------------------------------------------------------------------------- XMATCH
@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("exact", "=XMATCH(30,A1:A4)", 3, TABLE),
        case("next-smaller", "=XMATCH(35,A1:A4,-1)", 3, TABLE),
        case("next-larger", "=XMATCH(35,A1:A4,1)", 4, TABLE),
        case("wildcard", '=XMATCH("b*",E1:E5,2)', 3, TABLE),
        case("regex", '=XMATCH("^app",E1:E5,3)', 4, TABLE),  # regular expressions are case-sensitive
        case("bad-regex", '=XMATCH("(",E1:E5,3)', "#VALUE!", TABLE),
        case("last-to-first", '=XMATCH("apple",E1:E5,0,-1)', 4, TABLE),
        case("binary-ascending", "=XMATCH(20,A1:A4,0,2)", 2, TABLE),
        case("binary-descending-next-larger", "=XMATCH(25,A1:A4,1,-2)", 2, DESCENDING),
        case("horizontal", "=XMATCH(3,A1:C1)", 3, ROWS),
        case("two-dimensional", "=XMATCH(3,A1:C2)", "#VALUE!", ROWS),
        case("wildcard-with-binary", '=XMATCH("b*",E1:E5,2,2)', "#VALUE!", TABLE),
        case("bad-search-mode", "=XMATCH(3,A1:A4,0,3)", "#VALUE!", TABLE),
        case("empty-lookup-finds-empty-cell", "=XMATCH(H1,A1:A6)", 5, TABLE),
        case("whole-column", "=XMATCH(40,A:A)", 4, TABLE),
    ],
)
def test_xmatch(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


# -------------------------------------------------------------------------------- XLOOKUP: columns, modes
def test_xlookup_whole_columns_on_different_sheets() -> None:
    wb = Workbook(["Main", "Keys"])
    wb.set_range("Keys!A1", [[1], [2], [3], [4]])
    wb.set_range("Main!B1", [["one"], ["two"], ["three"], ["four"], [None], [None], ["seven"]])
    wb.set("Main!D1", "=XLOOKUP(3,Keys!A:A,Main!B:B)")
    assert wb.value("Main!D1") == "three"  # the two columns are both 1,048,576 rows, whatever each holds
    wb.set("Main!D2", "=XLOOKUP(4,Keys!A:A,Main!B1:B4)")
    assert wb.value("Main!D2") is VALUE  # a whole column against four rows


def test_xlookup_result_is_a_reference() -> None:
    wb = Workbook()
    wb.set_range("A1", [[1, 10], [2, 20], [3, 30], [4, 40]])
    wb.set("D1", "=SUM(XLOOKUP(2,A1:A4,B1:B4):XLOOKUP(4,A1:A4,B1:B4))")
    wb.set("D2", "=ROW(XLOOKUP(3,A1:A4,B1:B4))")
    assert wb.values(["D1", "D2"]) == [90, 3]
    wb.set("B3", 300)
    assert wb.value("D1") == 360


# ------------------------------------------------------- XMATCH across types, as Excel cached it (formulas' test.xlsx)
@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("next-smaller-number-among-logicals", "=XMATCH(4,{FALSE,2.1,TRUE,4.1},-1)", 2),
        case("next-smaller-of-text-is-the-largest-number", '=XMATCH("*b?u*",{FALSE,2.1,TRUE,4.1},-1)', 4),
        case("next-smaller-of-empty-is-the-largest-value", "=XMATCH(H1,{FALSE,2.1,TRUE,4.1},-1)", 3),
        case("next-larger-of-text-is-the-next-text", '=XMATCH("*b?u*",{"a",2.1,"c bau c",4.1},1)', 1),
        case("nothing-below-four", "=XMATCH(4,{TRUE,4.1,FALSE,\"c bau c\"},-1)", "#N/A"),
        case("binary-stops-at-an-equal-value", '=XMATCH(4.1,{"c bau c",4.1,"a",1.1},0,2)', 2),
        case("binary-next-larger-ends-at-text", '=XMATCH(4,{"",4.1,"a",1.1},1,2)', 1),
        case("binary-descending-of-empty", '=XMATCH(H1,{TRUE,4.1,FALSE,"c bau c"},-1,-2)', 1),
        case("exact-folds-case-like-unicode", '=XMATCH("ß",{1,"ss",2.1},0)', 2),
        case("match-does-not-fold", '=MATCH("ß",{1,"ss",2.1},0)', "#N/A"),
        case("wildcards-do-not-fold", '=XMATCH("ß",{1,"SS",2.1},2)', "#N/A"),
    ],
)
def test_xmatch_compares_all_types_in_excel_order(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)
