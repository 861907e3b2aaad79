"""Sums over series, MDETERM, RAND and RANDBETWEEN."""

from __future__ import annotations

import math
import random
from typing import Any

import pytest

from sheetrl.sheet import Workbook

from .cases import case, evaluate, run


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("sumsq-of-negatives", "=SUMSQ(-3,-4)", 25.0),
        case("sumx2py2-skips-pairs-with-text", "=SUMX2PY2(A1:A3,B1:B3)", 1 + 4 + 9 + 16,
             {"A1": 1, "A2": "x", "A3": 3, "B1": 2, "B2": 9, "B3": 4}),
        case("sumxmy2-pairs-in-reading-order", "=SUMXMY2({1,2;3,4},{4,3;2,1})", 9 + 1 + 1 + 9),
        case("seriessum-exp-taylor", "=SERIESSUM(1,0,1,{1,1,0.5,0.16666666666666666,0.041666666666666664})",
             1 + 1 + 0.5 + 1 / 6 + 1 / 24),
        case("seriessum-blank-coefficient", "=SERIESSUM(2,1,1,A1:A2)", "#VALUE!", {"A1": 1}),
        case("seriessum-zero-to-the-zero", "=SERIESSUM(0,0,2,{1,2,3})", "#NUM!"),
        case("seriessum-logical-x", "=SERIESSUM(TRUE,0,1,{1,1})", "#VALUE!"),
        case("percentof-error-is-num", "=PERCENTOF(1/0,4)", "#NUM!"),
        case("percentof-skips-text", "=PERCENTOF(A1:A2,A1:A3)", 0.25, {"A1": 1, "A2": "x", "A3": 3}),
        case("mdeterm-3x3-by-hand", "=MDETERM({2,0,1;1,3,2;1,1,1})", 2 * (3 - 2) - 0 + 1 * (1 - 3)),
        case("mdeterm-needs-pivoting", "=MDETERM({0,0,1;0,1,0;1,0,0})", -1.0),
        case("mdeterm-non-square", "=MDETERM({1,2,3;4,5,6})", "#VALUE!"),
    ],
)
def test_series_and_matrices(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


def test_mdeterm_matches_a_product_of_pivots_on_a_random_matrix() -> None:
    rng = random.Random(7)
    size = 6
    rows = [[rng.uniform(-5, 5) for _ in range(size)] for _ in range(size)]
    cells = {f"{chr(65 + c)}{r + 1}": rows[r][c] for r in range(size) for c in range(size)}
    # Laplace expansion along the first row (exact up to rounding), an independent method.
    def laplace(matrix: list[list[float]]) -> float:
        if len(matrix) == 1:
            return matrix[0][0]
        return math.fsum(
            (-1) ** c * matrix[0][c] * laplace([row[:c] + row[c + 1 :] for row in matrix[1:]])
            for c in range(len(matrix))
        )

    assert evaluate("=MDETERM(A1:F6)", cells) == pytest.approx(laplace(rows), rel=1e-12)


def test_rand_and_randbetween_change_only_on_recalculation() -> None:
    wb = Workbook()
    wb.set("A1", "=RAND()")
    wb.set("A2", "=RANDBETWEEN(1,1000000)")
    first = (wb.value("A1"), wb.value("A2"))
    wb.set("B1", 5)  # an unrelated edit keeps volatile results
    assert (wb.value("A1"), wb.value("A2")) == first
    seen = set()
    for _ in range(20):
        wb.recalculate()
        value = wb.value("A1")
        assert 0 <= value < 1
        assert 1 <= wb.value("A2") <= 1_000_000
        seen.add(value)
    assert len(seen) > 15


def test_random_functions_follow_random_seed() -> None:
    random.seed(123)
    first = evaluate("=RAND()+RANDBETWEEN(1,100)")
    random.seed(123)
    assert evaluate("=RAND()+RANDBETWEEN(1,100)") == first
