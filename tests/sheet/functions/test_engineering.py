"""Base conversions, bit operations, DELTA, GESTEP and ERF against values worked out by hand."""

from __future__ import annotations

import math
from typing import Any

import pytest

from .cases import case, evaluate, run


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("dec2bin-minus-one-is-ten-ones", "=DEC2BIN(-1)", "1111111111"),
        case("dec2bin-negative-ignores-places", "=DEC2BIN(-1,3)", "1111111111"),
        case("dec2oct-minus-one", "=DEC2OCT(-1)", "7777777777"),
        case("dec2hex-minus-one", "=DEC2HEX(-1)", "FFFFFFFFFF"),
        case("dec2hex-min", "=DEC2HEX(-549755813888)", "8000000000"),
        case("hex2dec-sign-bit", '=HEX2DEC("8000000000")', -549755813888.0),
        case("oct2dec-sign-bit", '=OCT2DEC("4000000000")', -536870912.0),
        case("bin2oct-min", '=BIN2OCT("1000000000")', "7777777000"),
        case("hex2oct-max", '=HEX2OCT("1FFFFFFF")', "3777777777"),
        case("hex2oct-too-big", '=HEX2OCT("20000000")', "#NUM!"),
        case("oct2hex-padded", "=OCT2HEX(17,4)", "000F"),
        case("places-ten", "=DEC2BIN(1,10)", "0000000001"),
        case("places-logical", "=DEC2BIN(1,TRUE)", "#VALUE!"),
        case("places-checked-for-negatives", '=BIN2HEX("1100011011",0)', "#NUM!"),
        case("places-empty-cell-is-zero", "=DEC2BIN(2,A1)", "#NUM!"),
        case("places-omitted-is-na", "=DEC2BIN(2,)", "#N/A"),
        case("places-out-of-range-before-text-number", '=DEC2HEX("E",11)', "#NUM!"),
        case("text-number-with-valid-places", '=DEC2HEX("E",1)', "#VALUE!"),
        case("erf-empty-upper-limit-is-zero", "=ERF(7,A1)", -1.0),
        case("number-logical", "=HEX2DEC(TRUE)", "#VALUE!"),
        case("bitxor-of-equal-is-zero", "=BITXOR(2^48-1,2^48-1)", 0.0),
        case("bitor-max", "=BITOR(2^47,2^47-1)", 2.0**48 - 1),
        case("bitlshift-by-zero", "=BITLSHIFT(5,0)", 5.0),
        case("bitrshift-to-zero", "=BITRSHIFT(5,53)", 0.0),
        case("bitand-logical-is-one", "=BITAND(TRUE,3)", 1.0),
        case("delta-of-close-but-unequal", "=DELTA(0.1+0.2,0.3)", 0.0),
        case("gestep-equal", "=GESTEP(2,2)", 1.0),
        case("erf-odd", "=ERF(-0.5)+ERF(0.5)", 0.0),
        case("erf-interval", "=ERF(0.2,0.9)", math.erf(0.9) - math.erf(0.2)),
        case("erfc-far-tail-keeps-precision", "=ERFC(10)", math.erfc(10)),
    ],
)
def test_engineering(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


def test_every_base_conversion_round_trips_over_its_whole_range() -> None:
    for number in [*range(-512, 512, 7), -512, 511]:
        cells = {"A1": number}
        assert evaluate("=BIN2DEC(DEC2BIN(A1))", cells) == number
        assert evaluate("=OCT2DEC(BIN2OCT(DEC2BIN(A1)))", cells) == number
        assert evaluate("=HEX2DEC(OCT2HEX(BIN2OCT(DEC2BIN(A1))))", cells) == number
        assert evaluate("=BIN2DEC(HEX2BIN(DEC2HEX(A1)))", cells) == number
