"""Numerals: ROMAN, ARABIC, BASE, DECIMAL (numbers written as Roman numerals or in bases 2 to 36)."""

from __future__ import annotations

import math
from typing import Any

from sheetrl.sheet.errors import NUM, VALUE, ExcelError
from sheetrl.sheet.functions import register
from sheetrl.sheet.functions.arguments import MAX_EXACT_INTEGER
from sheetrl.sheet.values import scalar_of, to_number, to_text

MAX_ROMAN = 3999
MAX_NUMERAL_TEXT = 255  # characters of ARABIC's and DECIMAL's text, BASE's min_length
DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}

# The symbol pairs each ROMAN form may write, cumulatively: form 0 is the classic notation (subtractive pairs IV,
# IX, XL, XC, CD, CM); forms 1 to 4 allow ever longer subtractions, so 499 is CDXCIX, LDVLIV, XDIX, VDIV and ID.
# Writing a number greedily with the largest pair or symbol that fits gives Excel's numeral for every form.
_CLASSIC = [("M", 1000), ("CM", 900), ("D", 500), ("CD", 400), ("C", 100), ("XC", 90), ("L", 50), ("XL", 40),
            ("X", 10), ("IX", 9), ("V", 5), ("IV", 4), ("I", 1)]  # fmt: skip
_EXTRA_PAIRS = [
    [("LM", 950), ("LD", 450), ("VC", 95), ("VL", 45)],
    [("XM", 990), ("XD", 490), ("IC", 99), ("IL", 49)],
    [("VM", 995), ("VD", 495)],
    [("IM", 999), ("ID", 499)],
]
_ROMAN_TABLES = [
    sorted(_CLASSIC + [pair for extra in _EXTRA_PAIRS[:form] for pair in extra], key=lambda p: -p[1])
    for form in range(5)
]


def _roman_form(form: Any) -> int | ExcelError:
    """ROMAN's form argument: 0 to 4 (truncated); TRUE means 0 (classic) and FALSE 4 (simplified)."""
    form = scalar_of(form)
    if form is True:
        return 0
    if form is False:
        return 4
    number = to_number(form)
    if type(number) is ExcelError:
        return number
    if not 0 <= number < 5:
        return VALUE
    return int(number)


@register("ROMAN", 1, 2)
def roman(number: Any, form: Any = 0.0) -> Any:
    """The number (0 to 3999, truncated) as a Roman numeral; ``form`` 0 (classic) to 4 (most concise)."""
    value = to_number(number)
    if type(value) is ExcelError:
        return value
    style = _roman_form(0.0 if form is None else form)
    if type(style) is ExcelError:
        return style
    if not 0 <= value < MAX_ROMAN + 1:
        return VALUE
    remaining = int(value)
    out = []
    for symbols, amount in _ROMAN_TABLES[style]:
        count, remaining = divmod(remaining, amount)
        out.append(symbols * count)
    return "".join(out)


@register("ARABIC", 1)
def arabic(text: Any) -> Any:
    """The value of a Roman numeral (any case, optional leading minus, surrounding spaces ignored); "" is 0.

    Read from right to left, a symbol adds its value unless a larger symbol stands to its right, in which case it
    subtracts: this reads the classic numerals and every concise form ROMAN writes (LDVLIV, XDIX, ID are 499).
    """
    source = to_text(scalar_of(text))
    if type(source) is ExcelError:
        return source
    if len(source) > MAX_NUMERAL_TEXT:
        return VALUE
    numeral = source.strip(" ").upper()
    sign = 1.0
    if numeral.startswith("-"):
        sign, numeral = -1.0, numeral[1:]
    total = 0
    largest = 0
    for char in reversed(numeral):
        value = _ROMAN_VALUES.get(char)
        if value is None:
            return VALUE
        if value < largest:
            total -= value
        else:
            total += value
            largest = value
    return sign * total + 0.0


def _whole(value: Any, low: float, high: float) -> int | ExcelError:
    """A number argument truncated to an integer, #NUM! outside low..high."""
    number = to_number(value)
    if type(number) is ExcelError:
        return number
    if not low <= number <= high:
        return NUM
    return math.trunc(number)


@register("BASE", 2, 3)
def base(number: Any, radix: Any, min_length: Any = 0.0) -> Any:
    """The number (0 <= number < 2^53, truncated) written in base ``radix`` (2 to 36), zero-padded to
    ``min_length`` digits (at most 255)."""
    value = _whole(number, 0, MAX_EXACT_INTEGER - 1)
    if type(value) is ExcelError:
        return value
    base_ = _whole(radix, 2, 36)
    if type(base_) is ExcelError:
        return base_
    width = _whole(0.0 if min_length is None else min_length, 0, MAX_NUMERAL_TEXT)
    if type(width) is ExcelError:
        return width
    digits = []
    while value:
        value, digit = divmod(value, base_)
        digits.append(DIGITS[digit])
    return "".join(reversed(digits)).rjust(width, "0") or "0"


@register("DECIMAL", 2)
def decimal(text: Any, radix: Any) -> Any:
    """The number that ``text`` (digits 0-9 and letters A-Z, any case) represents in base ``radix`` (2 to 36)."""
    source = to_text(scalar_of(text))
    if type(source) is ExcelError:
        return source
    base_ = _whole(radix, 2, 36)
    if type(base_) is ExcelError:
        return base_
    if len(source) > MAX_NUMERAL_TEXT:
        return VALUE
    total = 0
    for char in source.upper():
        digit = DIGITS.find(char)
        if digit < 0 or digit >= base_:
            return NUM
        total = total * base_ + digit
    if total >= MAX_EXACT_INTEGER:
        return NUM
    return float(total)
