"""EVEN, ODD, MROUND, QUOTIENT and the FLOOR/CEILING rules the oracle cannot show (Excel, not LibreOffice)."""

from __future__ import annotations

from typing import Any

import pytest

from .cases import case, run


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("even-keeps-binary-noise-out", "=EVEN(0.1*3*10)", 4.0),
        case("even-of-huge", "=EVEN(1E+300)", 1e300),
        case("odd-of-negative-zero-point-five", "=ODD(-0.5)", -1.0),
        case("mround-halves-away-from-zero", "=MROUND(-5,-2)", -6.0),
        case("mround-judges-the-binary-quotient", "=MROUND(6.05,0.1)", 6.0),
        case("mround-signs-differ", "=MROUND(-5,2)", "#NUM!"),
        case("mround-quotient-beyond-the-float-range", "=MROUND(2,1E-308)", 2.0),
        case("mround-huge-multiple-of-a-half", "=MROUND(1.7E308,0.5)", 1.7e308),
        case("mround-huge-negative", "=MROUND(-1.7E308,-0.3)", -1.7e308),
        case("quotient-truncates-toward-zero", "=QUOTIENT(-7,2)", -3.0),
        case("quotient-cleans-binary-noise", "=QUOTIENT(0.3,0.1)", 3.0),
        case("floor-of-zero-by-zero", "=FLOOR(0,0)", 0.0),
        case("floor-by-zero", "=FLOOR(5,0)", "#DIV/0!"),
        case("floor-error-before-zero-step", "=FLOOR(1/0,0)", "#DIV/0!"),
        case("floor-text-before-zero-step", '=FLOOR("x",0)', "#VALUE!"),
        case("ceiling-of-zero-by-zero", "=CEILING(0,0)", 0.0),
        case("ceiling-time-text", '=CEILING(0.40,"0:15")', 0.40625),
        case("date-text-converts", '=FLOOR("2024-01-10",7)', 45297.0),
        case("date-text-with-spaces-does-not", '=FLOOR(" 2024-01-10 ",7)', "#VALUE!"),
        case("number-text-with-spaces-does", '=FLOOR(" 10 ",3)', 9.0),
        case("earlier-conversion-error-wins", '=FLOOR("eight",1/0)', "#VALUE!"),
        case("earlier-error-value-wins", '=FLOOR(1/0,"eight")', "#DIV/0!"),
        case("mround-logical-is-value-error", "=MROUND(TRUE,2)", "#VALUE!"),
        case("mround-omitted-argument-is-na", "=MROUND(,2)", "#N/A"),
        case("mround-empty-cell-is-zero", "=MROUND(A1,2)", 0.0),
        case("quotient-logicals", "=QUOTIENT(TRUE,TRUE)", "#VALUE!"),
    ],
)
def test_rounding(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)
