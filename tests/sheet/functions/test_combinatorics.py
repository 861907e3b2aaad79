"""Integer functions: exact results computed by hand, limits and Analysis-ToolPak argument rules."""

from __future__ import annotations

import math
from typing import Any

import pytest

from .cases import case, run


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("fact-170-is-exact", "=FACT(170)", float(math.factorial(170))),
        case("factdouble-300-is-exact", "=FACTDOUBLE(300)", float(math.prod(range(300, 0, -2)))),
        case("combin-rounds-once", "=COMBIN(60,30)", float(math.comb(60, 30))),
        case("combin-huge-n-small-k", "=COMBIN(2^40,2)", float(math.comb(2**40, 2))),
        case("combin-overflow", "=COMBIN(1100,550)", "#NUM!"),
        case("combin-of-huge-half-is-num-without-hanging", "=COMBIN(2^52,2^51)", "#NUM!"),
        case("combina-is-combin-with-repetition", "=COMBINA(5,3)", 35.0),
        case("combina-zero-of-zero-is-one", "=COMBINA(0,0)", 1.0),
        case("combina-from-nothing", "=COMBINA(0,5)", "#NUM!"),
        case("combina-chosen-above-number", "=COMBINA(3,10)", 66.0),
        case("permut-huge-overflows-without-hanging", "=PERMUT(2^52,2^51)", "#NUM!"),
        case("permutationa-power", "=PERMUTATIONA(7,3)", 343.0),
        case("permutationa-overflow", "=PERMUTATIONA(10,400)", "#NUM!"),
        case("gcd-of-zeros", "=GCD(0,0)", 0.0),
        case("gcd-blank-counts-as-zero", "=GCD(A1:A2)", 6.0, {"A1": 6}),
        case("gcd-logical-in-range", "=GCD(A1:A2)", "#VALUE!", {"A1": 6, "A2": True}),
        case("gcd-logical-direct", "=GCD(TRUE,2)", "#VALUE!"),
        case("gcd-negative-fraction-is-num", "=GCD(-0.4)", "#NUM!"),
        case("gcd-type-error-before-negative", '=GCD(-1,"x")', "#VALUE!"),
        case("factdouble-of-minus-one", "=FACTDOUBLE(-1)", 1.0),
        case("factdouble-below-minus-one", "=FACTDOUBLE(-1.1)", "#NUM!"),
        case("lcm-reaching-two-to-53", "=LCM(2^52,3)", "#NUM!"),
        case("lcm-three-numbers", "=LCM(4,6,10)", 60.0),
        case("lcm-skips-an-empty-cell-given-alone", "=LCM(A1,B1,C1)", 30.0, {"A1": 10, "B1": 3}),
        case("lcm-counts-an-empty-cell-in-a-range-as-zero", "=LCM(A1:B1)", 0.0, {"B1": 5}),
        case("gcd-of-nothing", "=GCD(A1,B1)", "#VALUE!"),
        case("gcd-omitted-argument", "=GCD(,4)", "#N/A"),
        case("lcm-numeric-text-in-array", '=LCM({4,"8",12})', 24.0),
        case("multinomial-is-exact", "=MULTINOMIAL(10,20,30)", float(math.factorial(60) // (
            math.factorial(10) * math.factorial(20) * math.factorial(30)))),
        case("multinomial-overflow", "=MULTINOMIAL(600,600)", "#NUM!"),
    ],
)
def test_integer_functions(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)
