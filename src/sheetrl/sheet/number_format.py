"""Rendering values with Excel number-format codes: the cell display and the TEXT function.

The grammar of format codes and which codes Excel rejects is :mod:`sheetrl.sheet.format_code` (tokens:
:mod:`sheetrl.sheet.format_tokens`); numbers, fractions
and General are rendered by :mod:`sheetrl.sheet.format_numbers`, dates and times by
:mod:`sheetrl.sheet.format_dates`, language codes by :mod:`sheetrl.sheet.format_locales`. This module chooses the
section for a value and puts the sign:

- one section: every number; a negative number gets a leading minus sign unless every digit shown is zero
  (``TEXT(-0.001,"0.00")`` is "0.00", as Excel shows it); two sections: positive and zero; negative, shown without
  its sign; three: positive; negative; zero; a fourth (or a last section holding ``@``) is for text;
- with conditions (``[>=100]"big";"small"``) the first section whose condition holds, else the next section
  without one (else General); the sign is dropped only where the section is for negative numbers
  (``[<0]``, ``[<=0]``, or the second section after ``[>=0]``/``[>0]``);
- text goes to the text section (``@`` is the text), or passes unchanged when there is none; TEXT also sends
  logicals there as TRUE/FALSE;
- a number outside what a date section can show is ``########`` in a cell and #VALUE! in TEXT; a code Excel
  rejects shows the value in General in a cell and is #VALUE! in TEXT.
"""

from __future__ import annotations

from typing import Any

from sheetrl.sheet import serials
from sheetrl.sheet.errors import VALUE, ExcelError
from sheetrl.sheet.format_code import (
    DATE,
    FRACTION,
    GENERAL_SECTION,
    LITERAL_SECTION,
    NUMBER,
    SCIENTIFIC,
    FormatCode,
    Section,
    parse_format,
)
from sheetrl.sheet.format_dates import render_date
from sheetrl.sheet.format_numbers import general, render_fraction, render_number
from sheetrl.sheet.format_tokens import GENERAL, LITERAL, TEXT, FormatCodeError

__all__ = ["INVALID_DATE_DISPLAY", "FormatCodeError", "format_value", "general", "is_date_format", "text_function"]

INVALID_DATE_DISPLAY = "########"


# ============================================================================================ public API
def format_value(value: Any, code: str, *, date1904: bool = False) -> str:
    """Render a cell value with a format code as Excel displays it in a cell (``1234.567`` with ``#,##0.00`` is
    "1,234.57"). Logicals show as TRUE/FALSE, errors as their code, an empty cell as ""; a number that a date format
    cannot show is ``########``; a code Excel would not accept shows the value in General."""
    t = type(value)
    if t is float or t is int:
        return _display_number(float(value), code, date1904)
    if t is str:
        try:
            return _render_text(parse_format(code), value)
        except FormatCodeError:
            return value
    if value is None:
        return ""
    if t is bool:
        return "TRUE" if value else "FALSE"
    if t is ExcelError:
        return value.code
    if isinstance(value, (int, float)):
        return _display_number(float(value), code, date1904)
    if hasattr(value, "toordinal"):
        return _display_number(serials.to_serial(value, date1904), code, date1904)
    return str(value)


def text_function(value: Any, code: str, date1904: bool | None = None) -> str | ExcelError:
    """Excel's TEXT(value, format_text) for a scalar value and a format code.

    Numbers (and text that reads as a number or a date, as TEXT converts it) are formatted; other text and the
    logicals TRUE/FALSE go to the format's text section; an empty value is 0; an error value is returned. #VALUE!
    for a code Excel rejects or a number a date format cannot show. ``date1904`` defaults to the date system of the
    workbook being evaluated.
    """
    if type(value) is ExcelError:
        return value
    system = serials.active_1904() if date1904 is None else date1904
    try:
        fmt = parse_format(code)
    except FormatCodeError:
        return VALUE
    if value is None:
        value = 0.0
    elif type(value) is bool:
        return _render_text(fmt, "TRUE" if value else "FALSE")
    elif type(value) is str:
        from sheetrl.sheet.values import to_number

        number = to_number(value)  # numeric and date text are formatted as numbers, as in Excel
        if type(number) is ExcelError:
            return _render_text(fmt, value)
        value = number
    rendered = _render_number(fmt, float(value), system)
    return VALUE if rendered is None else rendered


def is_date_format(code: str) -> bool:
    """True if a format code shows numbers as dates or times ('yyyy-mm-dd', 'h:mm AM/PM', '[h]:mm')."""
    try:
        sections = parse_format(code).numeric
    except FormatCodeError:
        return False
    return bool(sections) and sections[0].kind == DATE


# ============================================================================================== numbers
def _display_number(number: float, code: str, date1904: bool) -> str:
    if code == "General" or code == "general":
        return general(number)
    try:
        fmt = parse_format(code)
    except FormatCodeError:
        return general(number)
    layout = fmt.plain_number
    if layout is not None:  # the common case: one plain number section
        if number < 0:
            text, zero = render_number(layout, -number)
            return text if zero else "-" + text
        return render_number(layout, number)[0]
    rendered = _render_number(fmt, number, date1904)
    return INVALID_DATE_DISPLAY if rendered is None else rendered


def _render_number(fmt: FormatCode, number: float, date1904: bool) -> str | None:
    """A number with its section and sign; None when a date section cannot show it."""
    section, signed = _choose_section(fmt, number)
    if section is None:
        return general(number)
    if section.kind == DATE:
        return render_date(section, number if signed else abs(number), signed, date1904)
    magnitude = abs(number)
    kind = section.kind
    if kind in (NUMBER, SCIENTIFIC):
        assert section.number is not None
        text, zero = render_number(section.number, magnitude)
    elif kind == FRACTION:
        assert section.fraction is not None
        text, zero = render_fraction(section.fraction, magnitude)
    elif kind == GENERAL_SECTION:
        shown = general(magnitude)
        if section.numerals is not None:
            shown = section.numerals.general(shown)
        text = "".join(shown if k == GENERAL else payload for k, payload in section.tokens)
        zero = magnitude == 0
        if section.numerals is not None:
            return "-" + text if signed and number < 0 and not zero else text
    else:  # literal text only: nothing shows the digits, so a negative number keeps its sign
        text = "".join(payload for _, payload in section.tokens)
        zero = magnitude == 0
    if section.digits is not None:
        text = text.translate(section.digits)
    if signed and number < 0 and not zero:
        return "-" + text
    return text


def _choose_section(fmt: FormatCode, number: float) -> tuple[Section | None, bool]:
    """The section for a number and whether it shows the number's minus sign; None means General."""
    sections = fmt.numeric
    count = len(sections)
    if not count:
        return None, True
    if fmt.conditional:
        return _choose_conditional(sections, number)
    if count == 1 or number > 0 or (number == 0 and count == 2):
        return sections[0], True
    if number < 0:
        return sections[1], False
    return sections[2], True


def _choose_conditional(sections: tuple[Section, ...], number: float) -> tuple[Section | None, bool]:
    for section in sections[:2]:
        condition = section.condition
        if condition is not None and _holds(condition, number):
            return section, not (condition[0] in ("<", "<=") and condition[1] == 0)
    for index, section in enumerate(sections):
        if section.condition is None:
            first = sections[0].condition
            for_negatives = index == 1 and first is not None and first[0] in (">", ">=") and first[1] == 0
            return section, not for_negatives
    return None, True


def _holds(condition: tuple[str, float], number: float) -> bool:
    op, threshold = condition
    if op == "<":
        return number < threshold
    if op == "<=":
        return number <= threshold
    if op == ">":
        return number > threshold
    if op == ">=":
        return number >= threshold
    if op == "=":
        return number == threshold
    return number != threshold


# ================================================================================================= text
def _render_text(fmt: FormatCode, text: str) -> str:
    section = fmt.text
    if section is None:
        return text
    if section.kind == LITERAL_SECTION:
        return "".join(payload for _, payload in section.tokens)
    return "".join(text if kind == TEXT else payload for kind, payload in section.tokens if kind in (TEXT, LITERAL))
