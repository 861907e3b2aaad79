"""Correlation, least-squares lines and planes (LINEST, TREND, LOGEST, GROWTH), checked by hand-solved systems."""

from __future__ import annotations

import math
from typing import Any

import pytest

from sheetrl.sheet.functions.regression import LinearModel

from .cases import case, evaluate, run

# y = 3 + 2 x1 - x2 exactly, at six points.
PLANE = {
    "A1": 3 + 2 * 1 - 4, "A2": 3 + 2 * 2 - 1, "A3": 3 + 2 * 3 - 5, "A4": 3 + 2 * 4 - 2, "A5": 3 + 2 * 5 - 7,
    "A6": 3 + 2 * 6 - 3,
    "B1": 1, "B2": 2, "B3": 3, "B4": 4, "B5": 5, "B6": 6, "C1": 4, "C2": 1, "C3": 5, "C4": 2, "C5": 7, "C6": 3,
}  # fmt: skip


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("exact-plane-x2-first", "=INDEX(LINEST(A1:A6,B1:C6),1)", pytest.approx(-1.0), PLANE),
        case("exact-plane-x1", "=INDEX(LINEST(A1:A6,B1:C6),2)", pytest.approx(2.0), PLANE),
        case("exact-plane-intercept", "=INDEX(LINEST(A1:A6,B1:C6),3)", pytest.approx(3.0), PLANE),
        case("exact-fit-r2-is-one", "=INDEX(LINEST(A1:A6,B1:C6,TRUE,TRUE),3,1)", pytest.approx(1.0), PLANE),
        case("unused-stats-cells-are-na", "=INDEX(LINEST(A1:A6,B1:C6,TRUE,TRUE),3,3)", "#N/A", PLANE),
        case("trend-multi-variable", "=INDEX(TREND(A1:A6,B1:C6,{10,1}),1)", pytest.approx(22.0), PLANE),
        case("shapes-must-agree", "=LINEST(A1:A6,B1:C5)", "#REF!", PLANE),
        # y = 2 x through the origin: no constant, slope 2
        case("no-constant", "=INDEX(LINEST({2,4,6.5},{1,2,3},FALSE),1)", pytest.approx((2 + 8 + 19.5) / 14)),
        # y = 5 * 3^x: LOGEST's m is 3 and b is 5; GROWTH extends it
        case("logest-exponential", "=INDEX(LOGEST({15,45,135,405},{1,2,3,4}),1)", pytest.approx(3.0)),
        case("logest-factor", "=INDEX(LOGEST({15,45,135,405},{1,2,3,4}),2)", pytest.approx(5.0)),
        case("growth-next", "=GROWTH({15,45,135,405},{1,2,3,4},5)", pytest.approx(1215.0)),
        case("slope-intercept-forecast-agree",
             "=FORECAST(4,{1,3,2,5},{2,6,3,9})-(INTERCEPT({1,3,2,5},{2,6,3,9})+4*SLOPE({1,3,2,5},{2,6,3,9}))",
             pytest.approx(0.0, abs=1e-14)),
        case("rsq-is-correl-squared", "=RSQ({1,3,2,5},{2,6,3,9})-CORREL({1,3,2,5},{2,6,3,9})^2",
             pytest.approx(0.0, abs=1e-15)),
        case("covariance-s-vs-p", "=COVARIANCE.S({1,3,2,5},{2,6,3,9})*3/4-COVARIANCE.P({1,3,2,5},{2,6,3,9})",
             pytest.approx(0.0, abs=1e-14)),
        case("booleans-in-ranges-are-skipped", "=SLOPE(A1:A3,B1:B3)", pytest.approx(2.0),
             {"A1": 2, "A2": 4, "A3": True, "B1": 1, "B2": 2, "B3": 3}),
    ],
)
def test_regression(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


def test_linest_standard_errors_match_the_textbook_formulas() -> None:
    xs = [1.0, 2.0, 3.0, 4.0, 5.0, 7.0]
    ys = [2.1, 3.9, 6.2, 7.8, 10.1, 14.2]
    n = len(xs)
    mean_x, mean_y = sum(xs) / n, sum(ys) / n
    sxx = sum((x - mean_x) ** 2 for x in xs)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / sxx
    residual = sum((y - (mean_y + slope * (x - mean_x))) ** 2 for x, y in zip(xs, ys, strict=True))
    sigma2 = residual / (n - 2)
    model = LinearModel(ys, [xs], constant=True)
    errors = model.standard_errors()
    assert errors is not None
    assert model.coefficients[0] == pytest.approx(slope, rel=1e-13)
    assert errors[0][0] == pytest.approx(math.sqrt(sigma2 / sxx), rel=1e-12)
    assert errors[1] == pytest.approx(math.sqrt(sigma2 * (1 / n + mean_x**2 / sxx)), rel=1e-12)
    assert model.df == n - 2


def test_collinear_column_is_dropped_with_zero_coefficient() -> None:
    # x2 = 2 * x1: Excel drops the redundant variable, giving it coefficient 0 and standard error 0.
    cells = {"A1": 3, "A2": 5, "A3": 8, "A4": 9, "B1": 1, "B2": 2, "B3": 3, "B4": 4, "C1": 2, "C2": 4, "C3": 6, "C4": 8}
    assert evaluate("=INDEX(LINEST(A1:A4,B1:C4,TRUE,TRUE),1,1)", cells) == 0
    assert evaluate("=INDEX(LINEST(A1:A4,B1:C4,TRUE,TRUE),2,1)", cells) == 0
    assert evaluate("=INDEX(LINEST(A1:A4,B1:C4,TRUE,TRUE),1,2)", cells) == pytest.approx(2.1)
    assert evaluate("=INDEX(LINEST(A1:A4,B1:C4,TRUE,TRUE),4,2)", cells) == 2  # df = 4 - 1 - 1
