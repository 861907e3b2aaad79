"""Numbers to text and back: DOLLAR, FIXED, NUMBERVALUE, VALUETOTEXT, ARRAYTOTEXT, BAHTTEXT.

DOLLAR and FIXED round half away from zero on the 15-significant-digit form of the number, as ROUND does, and
write it in the en-US convention: "," groups thousands, "." separates decimals, DOLLAR puts a negative amount in
parentheses ("($1,234.57)", Excel's currency format). The TEXT function and number formats in general live in
:mod:`~sheetrl.sheet.number_format`.
"""

from __future__ import annotations

import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import Any

from sheetrl.sheet.errors import VALUE, ExcelError
from sheetrl.sheet.functions import register
from sheetrl.sheet.functions.arguments import OMITTED
from sheetrl.sheet.values import (
    Matrix,
    number_to_text,
    scalar_of,
    to_bool,
    to_number,
    to_text,
)

MAX_DECIMALS = 127  # DOLLAR's and FIXED's decimals argument
MAX_TEXT = 32_767


def _rounded_decimal(number: float, places: int) -> Decimal:
    """``number`` rounded half away from zero to ``places`` decimals (negative: tens, hundreds ...), exactly."""
    exact = Decimal(f"{number:.14e}")  # the 15 significant digits Excel keeps
    with localcontext() as context:
        context.prec = 400
        return exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _format_fixed(number: Any, decimals: Any, commas: bool) -> tuple[str, bool] | ExcelError:
    """(digits of |number| rounded to ``decimals`` places, is_negative) for DOLLAR and FIXED."""
    value = to_number(number)
    if type(value) is ExcelError:
        return value
    places_number = to_number(2.0 if decimals is OMITTED else decimals)  # an empty cell is 0 decimals
    if type(places_number) is ExcelError:
        return places_number
    if places_number > MAX_DECIMALS:
        return VALUE
    places = max(math.trunc(places_number), -400)
    try:
        rounded = _rounded_decimal(value, places)
    except InvalidOperation:
        return VALUE
    negative = rounded < 0
    text = format(abs(rounded), f"{',' if commas else ''}.{max(places, 0)}f")
    return text, negative


@register("DOLLAR", 1, 2)
def dollar(number: Any, decimals: Any = OMITTED) -> Any:
    """The number as currency text, rounded to ``decimals`` places (default 2): "$1,234.57", "($1,234.57)"."""
    formatted = _format_fixed(number, decimals, commas=True)
    if type(formatted) is ExcelError:
        return formatted
    digits, negative = formatted
    text = f"(${digits})" if negative else f"${digits}"
    return text if len(text) <= MAX_TEXT else VALUE


@register("FIXED", 1, 3)
def fixed(number: Any, decimals: Any = OMITTED, no_commas: Any = False) -> Any:
    """The number rounded to ``decimals`` places (default 2) as text, with thousands separators unless
    ``no_commas``: FIXED(1234.567, 1) is "1,234.6"."""
    plain = to_bool(False if no_commas is None else no_commas)
    if type(plain) is ExcelError:
        return plain
    formatted = _format_fixed(number, decimals, commas=not plain)
    if type(formatted) is ExcelError:
        return formatted
    digits, negative = formatted
    text = f"-{digits}" if negative else digits
    return text if len(text) <= MAX_TEXT else VALUE


# -------------------------------------------------------------------------------------------- NUMBERVALUE
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?")


def _separator(value: Any, default: str) -> str | ExcelError:
    if value is OMITTED:
        return default
    text = to_text(scalar_of(value))
    if type(text) is ExcelError:
        return text
    if not text:
        return VALUE  # an empty cell or "" as a separator
    return text[0]  # only the first character counts


def _strip_percents(text: str) -> tuple[str, int]:
    count = len(text) - len(text.rstrip("%"))
    return text[: len(text) - count], count


@register("NUMBERVALUE", 1, 3)
def numbervalue(text: Any, decimal_separator: Any = OMITTED, group_separator: Any = OMITTED) -> Any:
    """The number that text represents with the given separators (default "." and ","): spaces are ignored,
    group separators before the decimal separator are dropped (the same character for both is #VALUE!; an omitted
    group separator is "." when the decimal one is ","), each trailing "%" divides by 100, parentheses make it
    negative, "E+6" scales it: NUMBERVALUE("(2.500,27)", ",", ".") is -2500.27."""
    source = scalar_of(text)
    if type(source) is ExcelError:
        return source
    source = to_text(source)
    if type(source) is ExcelError:
        return source
    decimal_mark = _separator(decimal_separator, ".")
    if type(decimal_mark) is ExcelError:
        return decimal_mark
    group_mark = _separator(group_separator, "." if decimal_mark == "," else ",")
    if type(group_mark) is ExcelError:
        return group_mark
    if group_mark == decimal_mark:
        return VALUE  # NUMBERVALUE("1.5", ".", ".") is #VALUE! in Excel
    compact = "".join(source.split())
    if not compact:
        return 0.0
    compact, percents = _strip_percents(compact)
    negative = len(compact) >= 2 and compact[0] == "(" and compact[-1] == ")"
    if negative:
        compact, inner_percents = _strip_percents(compact[1:-1])
        percents += inner_percents
    if compact.count(decimal_mark) > 1:
        return VALUE
    whole, mark, fraction = compact.partition(decimal_mark)
    if group_mark in fraction:
        return VALUE
    whole = whole.replace(group_mark, "")
    candidate = whole + ("." + fraction if mark else "")
    if not _PLAIN_NUMBER.fullmatch(candidate) or (negative and candidate[0] in "+-"):
        return VALUE
    number = float(candidate) / 100.0**percents
    if not math.isfinite(number):
        return VALUE
    return -number if negative else number


# ---------------------------------------------------------------------------------- VALUETOTEXT, ARRAYTOTEXT
def _as_text(value: Any, strict: bool) -> str:
    t = type(value)
    if t is str:
        return '"' + value.replace('"', '""') + '"' if strict else value
    if t is float or t is int:
        return number_to_text(float(value))
    if t is bool:
        return "TRUE" if value else "FALSE"
    if t is ExcelError:
        return str(value)
    return ""


def _text_format(format_: Any) -> bool | ExcelError:
    """VALUETOTEXT's and ARRAYTOTEXT's format: 0 concise (default), 1 strict (truncated: 0.9 is 0)."""
    number = to_number(0.0 if format_ is None else scalar_of(format_))
    if type(number) is ExcelError:
        return number
    if not 0 <= number < 2:
        return VALUE
    return number >= 1


@register("VALUETOTEXT", 1, 2, propagate_errors=False)
def valuetotext(value: Any, format_: Any = 0.0) -> Any:
    """Any value as text: concise (0) as it displays, strict (1) with text in double quotes. Errors become their
    text ("#N/A")."""
    strict = _text_format(format_)
    if type(strict) is ExcelError:
        return strict
    return _as_text(scalar_of(value), strict)


@register("ARRAYTOTEXT", 1, 2, refs=(0,), propagate_errors=False)
def arraytotext(array: Any, format_: Any = 0.0) -> Any:
    """An array or range as text: concise (0) "1, 2, a" or strict (1) '{1,2;"a",TRUE}' (rows split by ";")."""
    strict = _text_format(format_)
    if type(strict) is ExcelError:
        return strict
    matrix = array if type(array) is Matrix else Matrix(1, 1, [array])
    if matrix.values == [None] or not matrix.values:
        return VALUE  # a single empty cell has no array to write (measured in Excel)
    if not strict:
        text = ", ".join(_as_text(v, False) for v in matrix.values)
    else:
        rows = (",".join(_as_text(v, True) for v in matrix.row(r)) for r in range(matrix.rows))
        text = "{" + ";".join(rows) + "}"
    return text if len(text) <= MAX_TEXT else VALUE


# ---------------------------------------------------------------------------------------------- BAHTTEXT
_THAI_DIGITS = ["", "หนึ่ง", "สอง", "สาม", "สี่", "ห้า", "หก", "เจ็ด", "แปด", "เก้า"]
_THAI_POSITIONS = ["", "สิบ", "ร้อย", "พัน", "หมื่น", "แสน"]  # units to hundred-thousands
_THAI_MILLION = "ล้าน"
_THAI_ONE_AFTER_TEN = "เอ็ด"
_THAI_TWENTY = "ยี่"
_THAI_ZERO = "ศูนย์"
_THAI_MINUS = "ลบ"
_THAI_BAHT = "บาท"
_THAI_SATANG = "สตางค์"
_THAI_EXACT = "ถ้วน"  # "exactly": no satang


def _thai_below_million(number: int) -> str:
    """Thai words for 1 <= number < 1,000,000."""
    words = []
    digits = [int(d) for d in str(number)]
    size = len(digits)
    for index, digit in enumerate(digits):
        position = size - 1 - index
        if digit == 0:
            continue
        if position == 1:  # tens: 10 is "sip", 20 is "yi sip"
            words.append((_THAI_TWENTY if digit == 2 else "" if digit == 1 else _THAI_DIGITS[digit]) + "สิบ")
        elif position == 0 and digit == 1 and size > 1 and digits[-2] != 0:
            words.append(_THAI_ONE_AFTER_TEN)  # 11, 21 ...: the final one is "et"
        else:
            words.append(_THAI_DIGITS[digit] + _THAI_POSITIONS[position])
    return "".join(words)


def _thai_number(number: int) -> str:
    """Thai words for a positive integer, in groups of six digits joined by "million"."""
    high, low = divmod(number, 1_000_000)
    text = _thai_number(high) + _THAI_MILLION if high else ""
    return text + (_thai_below_million(low) if low else "")


@register("BAHTTEXT", 1)
def bahttext(number: Any) -> Any:
    """The amount in Thai words with "baht" and "satang" (rounded to 2 decimals): BAHTTEXT(1234) is
    "หนึ่งพันสองร้อยสามสิบสี่บาทถ้วน"."""
    value = to_number(number)
    if type(value) is ExcelError:
        return value
    cents = int(_rounded_decimal(abs(value), 2) * 100)
    baht, satang = divmod(cents, 100)
    if baht == 0 and satang == 0:
        return _THAI_ZERO + _THAI_BAHT + _THAI_EXACT
    text = _THAI_MINUS if value < 0 else ""
    if baht:
        text += _thai_number(baht) + _THAI_BAHT
    text += _thai_number(satang) + _THAI_SATANG if satang else _THAI_EXACT
    return text
