"""The criteria language shared by COUNTIF/SUMIF/AVERAGEIF(S) and the wildcard lookups."""

from __future__ import annotations

from typing import Any

import pytest

from sheetrl.sheet import Workbook
from sheetrl.sheet.errors import DIV0, NA
from sheetrl.sheet.functions.criteria import (
    has_wildcards,
    make_criterion,
    match_mask,
    wildcard_match,
    wildcard_regex,
)
from sheetrl.sheet.values import Matrix


def matches(criterion: Any, cells: list[Any]) -> list[Any]:
    test = make_criterion(criterion)
    return [cell for cell in cells if test(cell)]


MIXED = [5.0, "5", "x", None, "", True, "Apple", DIV0, 10.0, "a*b"]


# ------------------------------------------------------------------------------------------- numbers
def test_number_criterion_matches_numbers_and_numeric_text() -> None:
    assert matches(5.0, MIXED) == [5.0, "5"]


def test_numeric_text_criterion_matches_the_number() -> None:
    assert matches("5", MIXED) == [5.0, "5"]
    assert matches("=5", MIXED) == [5.0, "5"]


def test_numeric_text_with_leading_zeros_matches_the_same_number() -> None:
    assert matches("00123", ["00123", "0123", 123.0, "123a"]) == ["00123", "0123", 123.0]


@pytest.mark.parametrize(
    ("criterion", "expected"),
    [(">4", [5.0, 10.0]), (">=10", [10.0]), ("<5", [1.0]), ("<=5", [1.0, 5.0]), (">= 5", [5.0, 10.0])],
    ids=["greater", "greater-equal", "less", "less-equal", "space-after-operator"],
)
def test_ordering_criteria_compare_numbers_only(criterion: str, expected: list[float]) -> None:
    assert matches(criterion, [1.0, 5.0, "7", 10.0, None, True, "x"]) == expected


def test_not_equal_number_matches_everything_else_including_blanks() -> None:
    # Excel excludes only the number: the text "5", which "=5" matches, still counts as different from it.
    assert matches("<>5", MIXED) == ["5", "x", None, "", True, "Apple", DIV0, 10.0, "a*b"]


def test_error_value_criterion_matches_that_error() -> None:
    assert matches(DIV0, [DIV0, NA, "#DIV/0!", 0.0]) == [DIV0]


def test_percent_text_criterion_is_a_number() -> None:
    assert matches("50%", [0.5, 50.0, "50%"]) == [0.5, "50%"]


def test_empty_criterion_cell_means_zero() -> None:
    assert matches(None, [0.0, None, "", "0", False]) == [0.0, "0"]


def test_number_criterion_does_not_match_booleans() -> None:
    assert matches(1.0, [True, 1.0, False, 0.0]) == [1.0]


def test_numbers_are_compared_to_15_significant_digits() -> None:
    # 0.1 + 0.2 = 0.30000000000000004 agrees with 0.3 to 15 digits, so Excel treats them as equal in a criterion
    # (a workbook's COUNTIF(D1:P1, ">"&C1) does not count the cell that differs from C1 only in the 17th digit).
    close = 0.1 + 0.2
    assert matches(0.3, [close, 0.3, 0.31]) == [close, 0.3]
    assert matches(">0.3", [close, 0.3, 0.31]) == [0.31]
    assert matches(">=0.3", [close, 0.29999999999999]) == [close]
    assert matches("<>0.3", [close, 0.31]) == [0.31]
    assert matches(1e-20, [2e-20, 1e-20]) == [1e-20]  # tiny numbers keep their own 15 digits


@pytest.mark.parametrize("criterion", ["<", ">", "<=", ">="])
def test_ordering_operator_alone_matches_nothing(criterion: str) -> None:
    assert matches(criterion, [0.0, 5.0, "", None, "x", True]) == []


# ----------------------------------------------------------------------------------------------- text
def test_text_criterion_is_case_insensitive_and_whole_cell() -> None:
    assert matches("apple", ["Apple", "APPLE", "apples", "pineapple"]) == ["Apple", "APPLE"]


def test_star_wildcard_matches_prefix_text_only() -> None:
    assert matches("a*", ["apple", "Avocado", "banana", 12.0, "a"]) == ["apple", "Avocado", "a"]


def test_question_mark_matches_exactly_one_character() -> None:
    assert matches("?b", ["ab", "b", "abb", "Xb"]) == ["ab", "Xb"]


def test_tilde_escapes_wildcards() -> None:
    assert matches("a~*b", ["a*b", "axb", "a~*b"]) == ["a*b"]
    assert matches("~?", ["?", "x"]) == ["?"]
    assert matches("~~", ["~", "~~"]) == ["~"]


def test_wildcard_does_not_match_numbers() -> None:
    assert matches("1*", [10.0, 1.0, "10", "1x"]) == ["10", "1x"]


def test_star_alone_counts_every_text_including_empty_text() -> None:
    assert matches("*", MIXED) == ["5", "x", "", "Apple", "a*b"]


def test_not_equal_wildcard_matches_non_text() -> None:
    assert matches("<>*", MIXED) == [5.0, None, True, DIV0, 10.0]


def test_not_equal_text_matches_blanks_and_numbers() -> None:
    assert matches("<>x", MIXED) == [c for c in MIXED if c != "x"]


def test_ordering_text_criterion_compares_text_only() -> None:
    assert matches(">apple", ["apple", "Banana", "aardvark", 5.0, None, True]) == ["Banana"]
    assert matches(">=APPLE", ["apple", "Banana", "aardvark"]) == ["apple", "Banana"]


def test_regex_characters_in_text_are_literal() -> None:
    assert matches("a.c", ["a.c", "abc"]) == ["a.c"]
    assert matches("(x)*", ["(x)1", "x1"]) == ["(x)1"]


# ------------------------------------------------------------------------------------ empty and special
def test_empty_text_criterion_matches_blank_and_empty_text() -> None:
    assert matches("", MIXED) == [None, ""]


def test_equals_alone_matches_only_truly_blank_cells() -> None:
    assert matches("=", MIXED) == [None]


def test_not_equal_alone_matches_every_non_blank_cell() -> None:
    assert matches("<>", MIXED) == [c for c in MIXED if c is not None]


def test_boolean_criterion_matches_booleans_only() -> None:
    assert matches(True, [True, 1.0, "TRUE", False]) == [True]
    assert matches("false", [True, False, 0.0]) == [False]
    assert matches("<>TRUE", [True, False, None]) == [False, None]


def test_error_literal_criterion_matches_that_error() -> None:
    assert matches("#DIV/0!", [DIV0, NA, "#DIV/0!"]) == [DIV0]
    assert matches(NA, [DIV0, NA]) == [NA]
    assert matches("<>#N/A", [DIV0, NA, 1.0]) == [DIV0, 1.0]


def test_ordering_against_error_matches_nothing() -> None:
    assert matches(">#N/A", [NA, 1.0, "x"]) == []


def test_criterion_given_as_single_cell_matrix_uses_its_value() -> None:
    assert matches(Matrix(1, 1, [">2"], True), [1.0, 3.0]) == [3.0]


# ---------------------------------------------------------------------------------------------- helpers
def test_has_wildcards_detects_star_question_and_tilde() -> None:
    assert has_wildcards("a*") and has_wildcards("a?") and has_wildcards("~")
    assert not has_wildcards("plain")


def test_wildcard_regex_is_compiled_once() -> None:
    assert wildcard_regex("x*y") is wildcard_regex("x*y")


def test_wildcard_match_requires_text() -> None:
    assert wildcard_match("b*", "Banana")
    assert not wildcard_match("1*", 10.0)


def test_match_mask_combines_criteria_position_by_position() -> None:
    first = Matrix(3, 1, [1.0, 2.0, 3.0], True)
    second = Matrix(3, 1, ["a", "b", "a"], True)
    assert match_mask([first, ">1", second, "a"]) == (3, 1, [False, False, True])


def test_match_mask_rejects_ranges_of_different_shapes() -> None:
    first = Matrix(3, 1, [1.0, 2.0, 3.0], True)
    second = Matrix(2, 1, ["a", "b"], True)
    assert str(match_mask([first, ">1", second, "a"])) == "#VALUE!"


def test_match_mask_rejects_a_missing_criterion() -> None:
    assert str(match_mask([Matrix(1, 1, [1.0], True)])) == "#VALUE!"


# ------------------------------------------------------------------------------- through the workbook
def test_countif_uses_criteria_from_a_cell() -> None:
    wb = Workbook()
    wb.set_range("A1", [[1], [5], [10], ["x"]])
    wb.set("B1", ">=5")
    wb.set("C1", "=COUNTIF(A1:A4,B1)")
    assert wb.value("C1") == 2
    wb.set("B1", "x")
    assert wb.value("C1") == 1


def test_countif_criteria_built_by_concatenation() -> None:
    wb = Workbook()
    wb.set_range("A1", [[1], [5], [10]])
    wb.set("B1", 4)
    wb.set("C1", '=COUNTIF(A1:A3,">"&B1)')
    assert wb.value("C1") == 2
