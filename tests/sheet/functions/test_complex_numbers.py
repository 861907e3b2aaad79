"""Complex numbers: parsing Excel's text forms, writing results as Excel does, and the arithmetic."""

from __future__ import annotations

import cmath
from typing import Any

import pytest

from sheetrl.sheet.errors import ExcelError
from sheetrl.sheet.functions.complex_numbers import (
    ComplexValue,
    format_complex,
    parse_complex,
)

from .cases import case, run


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3+4i", 3 + 4j), ("-3-4j", -3 - 4j), ("i", 1j), ("-i", -1j), ("+i", 1j), ("2.5", 2.5 + 0j),
        ("4i", 4j), ("1E-3+2E+2i", 0.001 + 200j), (".5-.5i", 0.5 - 0.5j), ("3+i", 3 + 1j), ("", 0j),
    ],
)  # fmt: skip
def test_parses_excel_complex_text(text: str, expected: complex) -> None:
    parsed = parse_complex(text)
    assert isinstance(parsed, ComplexValue)
    assert parsed.value == expected


@pytest.mark.parametrize("text", ["3+4", "i3", "3 + 4i", "3+4I", "4i+3", "1+2i+3", "++1", "e1", "3ii", "1e+i"])
def test_rejects_malformed_text(text: str) -> None:
    assert str(parse_complex(text)) == "#NUM!"


@pytest.mark.parametrize(
    ("value", "suffix", "expected"),
    [
        (3 + 4j, "i", "3+4i"), (-1j, "j", "-j"), (1j, "i", "i"), (2.5 + 0j, "i", "2.5"), (0j, "i", "0"),
        (1 / 3 + 0j, "i", "0.333333333333333"), (1e20 - 2e-20j, "i", "100000000000000000000-2E-20i"),
        (1e-16 + 0j, "i", "0.0000000000000001"), (1.2e-45 - 3j, "i", "1.2E-45-3i"), (1e21 + 0j, "i", "1E+21"),
        (-0.0 - 0.0j, "i", "0"),
    ],
)  # fmt: skip
def test_writes_results_as_excel_does(value: complex, suffix: str, expected: str) -> None:
    assert format_complex(value, suffix) == expected


def test_overflowing_part_is_num() -> None:
    assert isinstance(format_complex(complex(float("inf"), 0)), ExcelError)


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("imsqrt-of-minus-four-is-polar", '=IMSQRT("-4")', "1.22464679914735E-16+2i"),
        case("imcot-near-zero", '=IMREAL(IMCOT("1E-16"))', 1e16),
        case("imsum-omitted-is-na", "=IMSUM(,1)", "#N/A"),
        case("impower-is-polar", '=IMPOWER("2+3i",3)', "-46+9.00000000000001i"),
        case("imsum-skips-blank-cells", "=IMSUM(A1:A3)", "4+i", {"A1": "1+i", "A3": 3}),
        case("improduct-keeps-j", '=IMPRODUCT("2j","3j")', "-6"),
        case("imsum-mixed-suffix", '=IMSUM("i","j")', "#VALUE!"),
        case("imsub-mixed-suffix-is-num", '=IMSUB("i","j")', "#NUM!"),
        case("complex-refuses-logicals", "=COMPLEX(TRUE,1)", "#VALUE!"),
        case("twenty-one-digits-stay-positional", '=COMPLEX(1E+20,0)', "100000000000000000000"),
        case("imdiv-by-zero", '=IMDIV("1","0")', "#NUM!"),
        case("imln-of-minus-one", '=IMLN(-1)', "3.14159265358979i"),
        case("imexp-overflow", '=IMEXP("1000")', "#NUM!"),
        case("imabs-logical", "=IMABS(TRUE)", "#VALUE!"),
        case("imreal-of-number-text", '=IMREAL("12")', 12.0),
    ],
)
def test_complex_functions(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


def test_trigonometric_functions_agree_with_cmath() -> None:
    from sheetrl.sheet.functions import FUNCTIONS

    z = 0.7 - 1.3j
    checks = {
        "IMSIN": cmath.sin(z), "IMCOS": cmath.cos(z), "IMTAN": cmath.tan(z), "IMSINH": cmath.sinh(z),
        "IMCOSH": cmath.cosh(z), "IMSEC": 1 / cmath.cos(z), "IMCSC": 1 / cmath.sin(z), "IMCOT": 1 / cmath.tan(z),
        "IMSECH": 1 / cmath.cosh(z), "IMCSCH": 1 / cmath.sinh(z), "IMEXP": cmath.exp(z), "IMLN": cmath.log(z),
        "IMLOG10": cmath.log10(z), "IMLOG2": cmath.log(z, 2),
    }  # fmt: skip
    for name, expected in checks.items():
        parsed = parse_complex(FUNCTIONS[name].impl("0.7-1.3i"))
        assert isinstance(parsed, ComplexValue)
        assert parsed.value == pytest.approx(expected, rel=1e-13), name
