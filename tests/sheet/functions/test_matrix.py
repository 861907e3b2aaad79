"""TRANSPOSE, MMULT, MINVERSE, MUNIT against Microsoft's documented examples (hand-computed values)."""

from __future__ import annotations

from typing import Any

import pytest

from sheetrl.sheet.functions.matrix import inverse

from .cases import check_rows, evaluate_array


@pytest.mark.parametrize(
    ("formula", "cells", "expected"),
    [
        ("=TRANSPOSE({1,2,3;4,5,6})", None, [[1, 4], [2, 5], [3, 6]]),
        ("=TRANSPOSE(A1:C1)", {"A1": "a", "C1": 3}, [["a"], [0], [3]]),  # a blank shows 0
        # MMULT: Microsoft's example {1,3;7,2} x {2,0;0,2} = {2,6;14,4}
        ("=MMULT({1,3;7,2},{2,0;0,2})", None, [[2, 6], [14, 4]]),
        ("=MMULT({1,2,3},{4;5;6})", None, [[32]]),
        ("=MMULT({1,2},{1,2})", None, [["#VALUE!"]]),  # columns of the first must equal rows of the second
        ("=MMULT(A1:B1,A1:A2)", {"A1": 1, "A2": 2}, [["#VALUE!"]]),  # B1 is blank: not a number
        ('=MMULT({1,"2"},{1;1})', None, [["#VALUE!"]]),
        # MINVERSE: Microsoft's examples
        ("=MINVERSE({4,-1;2,0})", None, [[0, 0.5], [-1, 2]]),
        ("=MINVERSE({1,2,1;3,4,-1;0,2,0})", None, [[0.25, 0.25, -0.75], [0, 0, 0.5], [0.75, -0.25, -0.25]]),
        ("=MINVERSE({1,2;2,4})", None, [["#NUM!"]]),  # singular
        ("=MINVERSE({1,2,3})", None, [["#VALUE!"]]),  # not square
        ("=MUNIT(3)", None, [[1, 0, 0], [0, 1, 0], [0, 0, 1]]),
        ("=MUNIT(0)", None, [["#VALUE!"]]),
        ("=ROUND(MMULT(MINVERSE({2,1;1,3}),{2,1;1,3}),12)", None, [[1, 0], [0, 1]]),
    ],
)
def test_matrix_function(formula: str, cells: dict[str, Any] | None, expected: list[list[Any]]) -> None:
    check_rows(evaluate_array(formula, cells), expected)


def test_inverse_times_matrix_is_identity_for_a_larger_matrix():
    matrix = [[4.0, 1.0, 2.0, 0.5], [1.0, 5.0, 0.0, 1.0], [2.0, 0.0, 6.0, 1.5], [0.5, 1.0, 1.5, 3.0]]
    result = inverse(matrix)
    assert result is not None
    for i in range(4):
        for j in range(4):
            total = sum(matrix[i][k] * result[k][j] for k in range(4))
            assert total == pytest.approx(1.0 if i == j else 0.0, abs=1e-12)
