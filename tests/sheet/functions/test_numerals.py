"""ROMAN, ARABIC, BASE and DECIMAL: every Roman form reads back, bases round-trip."""

from __future__ import annotations

from typing import Any

import pytest

from sheetrl.sheet.functions.numerals import arabic, roman

from .cases import case, run


def test_arabic_reads_back_every_numeral_roman_writes() -> None:
    for form in range(5):
        for number in range(4000):
            text = roman(float(number), float(form))
            assert arabic(text) == number, (number, form, text)


def test_concise_forms_are_never_longer() -> None:
    for number in range(1, 4000):
        lengths = [len(roman(float(number), float(form))) for form in range(5)]
        assert lengths == sorted(lengths, reverse=True), (number, lengths)


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("roman-classic-subtraction", "=ROMAN(1994)", "MCMXCIV"),
        case("roman-simplified-999", "=ROMAN(999,4)", "IM"),
        case("roman-form-3-995", "=ROMAN(995,3)", "VM"),
        case("arabic-lenient-repetition", '=ARABIC("IIII")', 4.0),
        case("arabic-mixed-case", '=ARABIC("mCm")', 1900.0),
        case("arabic-too-long", "=ARABIC(REPT(\"I\",256))", "#VALUE!"),
        case("base-pads", "=BASE(5,2,8)", "00000101"),
        case("base-largest", "=BASE(2^53-1,36)", "2GOSA7PA2GV"),
        case("decimal-largest", '=DECIMAL("2GOSA7PA2GV",36)', 2.0**53 - 1),
        case("decimal-too-large", '=DECIMAL("2GOSA7PA2GW",36)', "#NUM!"),
        case("base-decimal-round-trip", '=DECIMAL(BASE(123456789,7),7)', 123456789.0),
    ],
)
def test_numerals(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)
