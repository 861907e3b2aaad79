"""TAKE, DROP, CHOOSEROWS, CHOOSECOLS, EXPAND, VSTACK, HSTACK, WRAPROWS, WRAPCOLS, TOCOL, TOROW against
Microsoft's documented examples and errors (hand-computed values)."""

from __future__ import annotations

from typing import Any

import pytest

from .cases import check_rows, evaluate_array

# Microsoft's example data for TAKE and DROP: 1..9 in A2:C4.
GRID = {f"{col}{row}": (row - 2) * 3 + i + 1 for row in (2, 3, 4) for i, col in enumerate("ABC")}
VECTOR = {f"{col}2": col for col in "ABCDEFG"}  # Microsoft's WRAPROWS/WRAPCOLS example: A..G in A2:G2
NA = "#N/A"


@pytest.mark.parametrize(
    ("formula", "cells", "expected"),
    [
        ("=TAKE(A2:C4,2)", GRID, [[1, 2, 3], [4, 5, 6]]),
        ("=TAKE(A2:C4,,2)", GRID, [[1, 2], [4, 5], [7, 8]]),
        ("=TAKE(A2:C4,-2)", GRID, [[4, 5, 6], [7, 8, 9]]),
        ("=TAKE(A2:C4,2,2)", GRID, [[1, 2], [4, 5]]),
        ("=TAKE(A2:C4,-1,-1)", GRID, [[9]]),
        ("=TAKE(A2:C4,10)", GRID, [[1, 2, 3], [4, 5, 6], [7, 8, 9]]),  # more than there are: all of them
        ("=TAKE(A2:C4,0)", GRID, [["#CALC!"]]),
        ("=DROP(A2:C4,2)", GRID, [[7, 8, 9]]),
        ("=DROP(A2:C4,,2)", GRID, [[3], [6], [9]]),
        ("=DROP(A2:C4,-2)", GRID, [[1, 2, 3]]),
        ("=DROP(A2:C4,2,2)", GRID, [[9]]),
        ("=DROP(A2:C4,3)", GRID, [["#CALC!"]]),  # everything dropped
        ("=CHOOSEROWS(A2:C4,1,3)", GRID, [[1, 2, 3], [7, 8, 9]]),
        ("=CHOOSEROWS(A2:C4,{3,1},-1)", GRID, [[7, 8, 9], [1, 2, 3], [7, 8, 9]]),
        ("=CHOOSECOLS(A2:C4,-1)", GRID, [[3], [6], [9]]),
        ("=CHOOSECOLS(A2:C4,0)", GRID, [["#VALUE!"]]),
        ("=CHOOSECOLS(A2:C4,4)", GRID, [["#VALUE!"]]),
        ("=EXPAND({1,2;3,4},3,3)", None, [[1, 2, NA], [3, 4, NA], [NA, NA, NA]]),
        ('=EXPAND({1,2;3,4},3,,"-")', None, [[1, 2], [3, 4], ["-", "-"]]),
        ("=EXPAND({1,2;3,4},1)", None, [["#VALUE!"]]),  # cannot shrink
        ("=VSTACK({1,2},{3;4})", None, [[1, 2], [3, NA], [4, NA]]),
        ("=VSTACK(A2:C2,A4:C4)", GRID, [[1, 2, 3], [7, 8, 9]]),
        ("=HSTACK({1;2},{3,4})", None, [[1, 3, 4], [2, NA, NA]]),
        ("=HSTACK(5,A2:A3)", GRID, [[5, 1], [NA, 4]]),
        ("=WRAPROWS(A2:G2,3)", VECTOR, [["A", "B", "C"], ["D", "E", "F"], ["G", NA, NA]]),
        ('=WRAPROWS(A2:G2,3,"x")', VECTOR, [["A", "B", "C"], ["D", "E", "F"], ["G", "x", "x"]]),
        ("=WRAPCOLS(A2:G2,3)", VECTOR, [["A", "D", "G"], ["B", "E", NA], ["C", "F", NA]]),
        ("=WRAPROWS({1,2,3},2,NA())", None, [[1, 2], [3, NA]]),  # an error pad_with pads, it is not the result
        ("=EXPAND({1},1,2,1/0)", None, [[1, "#DIV/0!"]]),
        ("=WRAPROWS(A2:C4,2)", GRID, [["#VALUE!"]]),  # not a one-row or one-column vector
        ("=WRAPROWS({1,2},0)", None, [["#NUM!"]]),
        ("=TOCOL({1,2;3,4})", None, [[1], [2], [3], [4]]),
        ("=TOCOL({1,2;3,4},0,TRUE)", None, [[1], [3], [2], [4]]),  # column by column
        ("=TOROW(A1:B2,1)", {"A1": 1, "B2": 4}, [[1, 4]]),  # ignore blanks
        ("=TOROW(A1:B2)", {"A1": 1, "B2": 4}, [[1, 0, 0, 4]]),  # a blank shows 0
        ("=TOCOL({1,#N/A,3},2)", None, [[1], [3]]),  # ignore errors
        ("=TOCOL({1,2},4)", None, [["#VALUE!"]]),
    ],
)
def test_reshaping_function(formula: str, cells: dict[str, Any] | None, expected: list[list[Any]]) -> None:
    check_rows(evaluate_array(formula, cells), expected)
