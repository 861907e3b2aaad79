"""Engineering functions: base conversions (BIN2DEC ... OCT2HEX), bit operations, DELTA, GESTEP, ERF and ERFC.

Binary, octal and hexadecimal numbers are text of at most 10 digits in two's complement: the leading digit's top
bit is the sign, so "1111111111" is -1 and "FFFFFFFFFF" is -1. Each base has its own range (binary -512..511, octal
-2^29..2^29-1, hexadecimal -2^39..2^39-1); a result outside the target's range is #NUM!. A negative result is always
written with all 10 digits (``places`` is then ignored); a positive one is zero-padded to ``places`` (1 to 10), and
#NUM! if it needs more digits. Digits are read in any case and written in upper case. A number given where text is
expected is read through its General-format text, so BIN2DEC(1100100) is 100.

Unlike most functions, the base conversions, DELTA, GESTEP and ERF (from Excel's Analysis ToolPak) refuse logical
arguments with #VALUE!; the bit operations convert them to 1 and 0.

Complex numbers are in :mod:`~sheetrl.sheet.functions.complex_numbers`, CONVERT in
:mod:`~sheetrl.sheet.functions.units`, the Bessel functions in :mod:`~sheetrl.sheet.functions.bessel`.
"""

from __future__ import annotations

import math
from typing import Any

from sheetrl.sheet.errors import NUM, VALUE, ExcelError
from sheetrl.sheet.functions import register
from sheetrl.sheet.functions.arguments import OMITTED
from sheetrl.sheet.values import scalar_of, to_number, to_text

DIGITS = "0123456789ABCDEF"
MAX_DIGITS = 10
_BITS_PER_DIGIT = {2: 1, 8: 3, 16: 4}
_BIT_OPERATION_LIMIT = 2**48  # BITAND & co. take integers below 2^48
_MAX_SHIFT = 53


def _no_logical(value: Any) -> Any:
    """The scalar, or #VALUE! for a logical (Analysis ToolPak functions do not convert TRUE/FALSE)."""
    value = scalar_of(value)
    return VALUE if type(value) is bool else value


def _number(value: Any) -> float | ExcelError:
    value = _no_logical(value)
    if type(value) is ExcelError:
        return value
    return to_number(value)


def _parse_digits(value: Any, base: int) -> int | ExcelError:
    """Signed value of a 10-digit two's-complement numeral in ``base``; #NUM! for bad digits or too many."""
    value = _no_logical(value)
    if type(value) is ExcelError:
        return value
    text = to_text(value)
    if type(text) is ExcelError:
        return text
    if len(text) > MAX_DIGITS:
        return NUM
    total = 0
    for char in text.upper():
        digit = DIGITS.find(char)
        if digit < 0 or digit >= base:
            return NUM
        total = total * base + digit
    bits = MAX_DIGITS * _BITS_PER_DIGIT[base]
    if len(text) == MAX_DIGITS and total >= 1 << (bits - 1):
        total -= 1 << bits  # the top bit of ten digits is the sign
    return total


def _format_digits(value: int, base: int, places: Any) -> str | ExcelError:
    """``value`` as a numeral in ``base``: 10-digit two's complement when negative, else padded to ``places``.

    ``places`` is checked even for a negative value, whose ten digits then ignore it (BIN2HEX("1111111111", 0) is
    #NUM!); an empty cell as ``places`` is 0, so #NUM! (measured on workbooks Excel calculated).
    """
    bits = MAX_DIGITS * _BITS_PER_DIGIT[base]
    if not -(1 << (bits - 1)) <= value < 1 << (bits - 1):
        return NUM
    width = 0
    if places is not OMITTED:
        count = _number(places)
        if type(count) is ExcelError:
            return count
        if not 1 <= count < MAX_DIGITS + 1:
            return NUM
        width = math.trunc(count)
    if value < 0:
        value += 1 << bits
        width = MAX_DIGITS  # sign-extended to ten digits whatever places says
    digits = []
    while value:
        value, digit = divmod(value, base)
        digits.append(DIGITS[digit])
    text = "".join(reversed(digits)) or "0"
    if len(text) > max(width, 1) and places is not OMITTED:
        return NUM
    return text.rjust(width, "0")


def _converter(source: int, target: int) -> Any:
    def convert(number: Any, places: Any = OMITTED) -> Any:
        if source == 10:
            if places is not OMITTED and type(scalar_of(number)) is not ExcelError:
                count = _number(places)  # a places out of range wins over text that is not a number
                if type(count) is not ExcelError and not 1 <= count < MAX_DIGITS + 1:
                    return NUM  # DEC2BIN("E",0) is #NUM!, DEC2BIN("E",1) #VALUE! (measured)
            value = _number(number)
            if type(value) is ExcelError:
                return value
            if not abs(value) < 2.0**53:
                return NUM
            whole: int | ExcelError = math.trunc(value)
        else:
            whole = _parse_digits(number, source)
        if type(whole) is ExcelError:
            return whole
        if target == 10:
            return float(whole)
        return _format_digits(whole, target, places)

    return convert


_NAMES = {2: "BIN", 8: "OCT", 10: "DEC", 16: "HEX"}
for _source, _source_name in _NAMES.items():
    for _target, _target_name in _NAMES.items():
        if _source == _target:
            continue
        _convert = _converter(_source, _target)
        _convert.__doc__ = f"The {_source_name.lower()} number converted to base {_target}."
        if _target == 10:
            register(f"{_source_name}2{_target_name}", 1, omitted_is_na=True)(_convert)
        else:
            register(f"{_source_name}2{_target_name}", 1, 2, omitted_is_na=True)(_convert)


# ------------------------------------------------------------------------------------------ bit operations
def _bit_operand(value: Any) -> int | ExcelError:
    """A BITAND/BITOR/... operand: a non-negative integer below 2^48, else #NUM! (logicals convert to 1/0)."""
    number = to_number(value)
    if type(number) is ExcelError:
        return number
    if number < 0 or number != math.floor(number) or number >= _BIT_OPERATION_LIMIT:
        return NUM
    return int(number)


def _bitwise(operation: Any) -> Any:
    def apply(number1: Any, number2: Any) -> Any:
        a = _bit_operand(number1)
        if type(a) is ExcelError:
            return a
        b = _bit_operand(number2)
        if type(b) is ExcelError:
            return b
        return float(operation(a, b))

    return apply


register("BITAND", 2)(_bitwise(lambda a, b: a & b))
register("BITOR", 2)(_bitwise(lambda a, b: a | b))
register("BITXOR", 2)(_bitwise(lambda a, b: a ^ b))


def _shift(number: Any, shift_amount: Any, left: bool) -> Any:
    value = _bit_operand(number)
    if type(value) is ExcelError:
        return value
    amount = to_number(shift_amount)
    if type(amount) is ExcelError:
        return amount
    if abs(amount) > _MAX_SHIFT:
        return NUM
    places = math.trunc(amount) if left else -math.trunc(amount)
    result = value << places if places >= 0 else value >> -places
    if result >= _BIT_OPERATION_LIMIT:
        return NUM
    return float(result)


@register("BITLSHIFT", 2)
def bitlshift(number: Any, shift_amount: Any) -> Any:
    """The number shifted left by ``shift_amount`` bits (right when negative); #NUM! if it reaches 2^48."""
    return _shift(number, shift_amount, left=True)


@register("BITRSHIFT", 2)
def bitrshift(number: Any, shift_amount: Any) -> Any:
    """The number shifted right by ``shift_amount`` bits (left when negative)."""
    return _shift(number, shift_amount, left=False)


# ------------------------------------------------------------------------------------- DELTA, GESTEP, ERF
@register("DELTA", 1, 2, omitted_is_na=True)
def delta(number1: Any, number2: Any = 0.0) -> Any:
    """1 when the two numbers are equal, else 0 (number2 defaults to 0)."""
    a = _number(number1)
    if type(a) is ExcelError:
        return a
    b = _number(0.0 if number2 is None else number2)
    if type(b) is ExcelError:
        return b
    return 1.0 if a == b else 0.0


@register("GESTEP", 1, 2, omitted_is_na=True)
def gestep(number: Any, step: Any = 0.0) -> Any:
    """1 when the number is at least ``step`` (default 0), else 0."""
    a = _number(number)
    if type(a) is ExcelError:
        return a
    b = _number(0.0 if step is None else step)
    if type(b) is ExcelError:
        return b
    return 1.0 if a >= b else 0.0


@register("ERF", 1, 2, omitted_is_na=True)
def erf(lower_limit: Any, upper_limit: Any = OMITTED) -> Any:
    """The error function integrated from 0 to lower_limit, or from lower_limit to upper_limit (an empty cell as
    upper_limit is 0: ERF(7, <empty>) is -1)."""
    lower = _number(lower_limit)
    if type(lower) is ExcelError:
        return lower
    if upper_limit is OMITTED:
        return math.erf(lower)
    upper = _number(upper_limit)
    if type(upper) is ExcelError:
        return upper
    return math.erf(upper) - math.erf(lower)


@register("ERF.PRECISE", 1, omitted_is_na=True)
def erf_precise(x: Any) -> Any:
    """The error function integrated from 0 to x."""
    value = _number(x)
    if type(value) is ExcelError:
        return value
    return math.erf(value)


@register("ERFC", 1, aliases=("ERFC.PRECISE",), omitted_is_na=True)
def erfc(x: Any) -> Any:
    """The complementary error function 1 - ERF(x), integrated from x to infinity (accurate for large x)."""
    value = _number(x)
    if type(value) is ExcelError:
        return value
    return math.erfc(value)
