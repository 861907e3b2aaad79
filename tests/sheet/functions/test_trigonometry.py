"""Trigonometric functions: identities and Excel's limits, on values computed by hand."""

from __future__ import annotations

import math
from typing import Any

import pytest

from .cases import case, evaluate, run


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("sin-of-pi-over-six", "=SIN(PI()/6)", 0.5),
        case("cos-of-pi-over-three", "=COS(PI()/3)", 0.5),
        case("tan-of-pi-over-four", "=TAN(PI()/4)", 1.0),
        case("reduces-just-below-two-to-the-27", "=SIN(2^27-1)", math.sin(2**27 - 1)),
        case("refuses-two-to-the-27", "=SIN(2^27)", "#NUM!"),
        case("refuses-negative-two-to-the-27", "=CSC(-2^27)", "#NUM!"),
        case("cot-is-cos-over-sin", "=COT(1)", math.cos(1) / math.sin(1)),
        case("sec-is-one-over-cos", "=SEC(1)", 1 / math.cos(1)),
        case("csch-of-large-is-zero", "=CSCH(1000)", 0.0),
        case("sech-of-large-is-zero", "=SECH(-1000)", 0.0),
        case("coth-of-large-is-one", "=COTH(100)", 1.0),
        case("hyperbolic-reciprocals-have-no-angle-limit", "=COTH(9999999999999)+CSCH(2^27)+SECH(2^27)", 1.0),
        case("acot-of-negative-is-in-upper-half", "=ACOT(-1)", 3 * math.pi / 4),
        case("acoth-is-atanh-of-reciprocal", "=ACOTH(3)", math.atanh(1 / 3)),
        case("atan2-takes-x-first", "=ATAN2(1,0)", 0.0),
        case("atan2-y-axis", "=ATAN2(0,-1)", -math.pi / 2),
        case("degrees-round-trip", "=DEGREES(RADIANS(123.5))", 123.5),
        case("sinh-overflow-is-num", "=SINH(711)", "#NUM!"),
        case("no-negative-zero", "=SIN(-0)", 0.0),
    ],
)
def test_trigonometry(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


def test_pythagorean_identity_holds_over_a_range() -> None:
    cells = {f"A{i}": i * 0.37 - 3 for i in range(1, 21)}
    total = evaluate("=SUMPRODUCT(SIN(A1:A20)^2+COS(A1:A20)^2)", cells)
    assert total == pytest.approx(20.0, rel=1e-14)
