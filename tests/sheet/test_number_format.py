"""Rendering values with Excel number-format codes, end to end: format_value (the cell display), TEXT and
Workbook.display. Expected strings are LibreOffice's TEXT() results where it agrees with Excel; where they differ
the expectation is Excel's (values Excel cached in real files) and the case says so. The parts of the format
language have their own test files (test_format_numbers, test_format_dates, test_format_locales, test_format_code).
"""

from __future__ import annotations

from datetime import date

import pytest

from sheetrl.sheet.errors import DIV0, NA
from sheetrl.sheet.number_format import format_value, is_date_format
from sheetrl.sheet.workbook import Workbook

CASES = [
    # General and plain numbers
    (1234.567, "General", "1234.567"),
    (0.1 + 0.2, "General", "0.3"),
    (1e20, "General", "1E+20"),
    (-1234.5, "General", "-1234.5"),
    (1234.5, "0", "1235"),
    (2.5, "0", "3"),
    (-2.5, "0", "-3"),
    (1234.5, "0.00", "1234.50"),
    (1.005, "0.00", "1.01"),
    (2.675, "0.00", "2.68"),
    (123456789012345678, "0", "123456789012346000"),
    (3, "00", "03"),
    (5, "0#", "05"),
    # thousands separators and scaling
    (1234.567, "#,##0.00", "1,234.57"),
    (1234567.891, "#,##0", "1,234,568"),
    (-1234567.891, "#,##0.00", "-1,234,567.89"),
    (5, "0,000", "0,005"),
    (12, "#,###", "12"),
    (0, "#,###", ""),
    (1234567, "0,", "1235"),
    (1234567, '#,##0,,"M"', "1M"),
    # currency
    (1234.5, '"$"#,##0.00', "$1,234.50"),
    (-1234.5, "$#,##0.00", "-$1,234.50"),
    (1234.5, "[$€-407]#,##0.00", "€1,234.50"),
    (1234.5, '#,##0.00 "USD"', "1,234.50 USD"),
    (1234.5, '_("$"* #,##0.00_)', " $1,234.50 "),
    (-1234.5, '_("$"* #,##0.00_);_("$"* (#,##0.00);_("$"* "-"??_);_(@_)', " $(1,234.50)"),
    (0, '_("$"* #,##0.00_);_("$"* (#,##0.00);_("$"* "-"??_);_(@_)', " $-   "),
    # percent and scientific
    (0.256, "0.0%", "25.6%"),
    (0.05, "0%", "5%"),
    (0.12345, "0.00%", "12.35%"),
    (12345.678, "0.00E+00", "1.23E+04"),
    (0.000123, "0.00E+00", "1.23E-04"),
    (-12345.678, "0.00E+00", "-1.23E+04"),
    (0, "0.00E+00", "0.00E+00"),
    (9.9999, "0.00E+00", "1.00E+01"),
    (12345, "0.0E-0", "1.2E4"),
    (12345, "##0.0E+0", "12.3E+3"),
    (12345, "00.00E+00", "01.23E+04"),
    # optional digits
    (0.5, "#.00", ".50"),
    (0.5, "0.##", "0.5"),
    (12.3456, "0.00##", "12.3456"),
    (12.3, "0.00##", "12.30"),
    (0.5, "?.??", " .5 "),
    (1, "#.##", "1."),  # Excel keeps the point (LibreOffice drops it)
    (5551234, "(###) ###-####", "() 555-1234"),
    (123456789, "000-00-0000", "123-45-6789"),
    # sections, literals, colours, conditions
    (-5, "0;(0)", "(5)"),
    (-5, "0.00_);(0.00)", "(5.00)"),
    (5, "0.00_);(0.00)", "5.00 "),
    (0, '0;-0;"zero"', "zero"),
    (-5, "0.00;[Red]-0.00", "-5.00"),
    (7, "[Blue]0;[Red]-0", "7"),
    (0, "#,##0.00;(#,##0.00);-", "-"),
    (-5, "0;;", ""),
    (5, '"Total: "0', "Total: 5"),
    (5, '0 "kg"', "5 kg"),
    (5, "0\\k", "5k"),
    (150, '[>=100]"big";"small"', "big"),
    (50, '[>=100]"big";"small"', "small"),
    (12, '[<10]"low";[<100]"mid";"high"', "mid"),
    (1000, '[<10]"low";[<100]"mid";"high"', "high"),
    # a negative number whose shown digits are all zero loses its sign (Excel-cached TEXT results)
    (-0.001, "0.00", "0.00"),
    # text
    ("abc", "@", "abc"),
    ("abc", '"Name: "@', "Name: abc"),
    ("x", '0;0;0;"t:"@', "t:x"),
    ("abc", "0.00", "abc"),
    ("t", ";;;", ""),
    (5, "@", "5"),
    # dates and times
    (45322, "yyyy-mm-dd", "2024-01-31"),
    (45322, "m/d/yyyy", "1/31/2024"),
    (45322, "mmm d, yy", "Jan 31, 24"),
    (45322, "d-mmm-yy", "31-Jan-24"),
    (45322, "ddd dd/mm/yyyy", "Wed 31/01/2024"),
    (45322, "mmmmm", "J"),
    (45322, "dd.mm.yyyy", "31.01.2024"),
    (45322, "yyyymmdd", "20240131"),
    (45322, "[$-409]mmmm d, yyyy;@", "January 31, 2024"),
    (45322.75, "dddd, mmmm d, yyyy h:mm AM/PM", "Wednesday, January 31, 2024 6:00 PM"),
    (45322.5, "yyyy-mm-dd hh:mm:ss", "2024-01-31 12:00:00"),
    (45322.25, "m/d/yyyy h:mm", "1/31/2024 6:00"),
    (45322.999999, "yyyy-mm-dd hh:mm", "2024-02-01 00:00"),
    (0.5, "h:mm AM/PM", "12:00 PM"),
    (0.5, "h:mm a/p", "12:00 p"),
    (45322.5, "h AM/PM", "12 PM"),
    (0.75, "h:mm", "18:00"),
    (0.75, "hh:mm:ss AM/PM", "06:00:00 PM"),
    (0.5, 'hh "h" mm "m"', "12 h 00 m"),
    (1.5, "[h]:mm", "36:00"),
    (1.5, "[mm]:ss", "2160:00"),
    (0.5123456, "hh:mm:ss.00", "12:17:46.66"),
    (0.0006944, "mm:ss", "01:00"),  # Excel rounds to the second (LibreOffice truncates: 00:59)
    (61, "dddd", "Thursday"),
    (1, "dddd", "Sunday"),  # Excel's 1900-01-01 is a Sunday
    (60, "yyyy-mm-dd", "1900-02-29"),
    (0, "yyyy-mm-dd", "1900-01-00"),
    (-1, "yyyy-mm-dd", "########"),
    # fractions
    (0.5, "# ?/?", " 1/2"),
    (1.25, "# ?/?", "1 1/4"),
    (3.14159, "# ??/??", "3 14/99"),
    (0.75, "?/4", "3/4"),
    (2.5, "?/?", "5/2"),
    (1, "# ?/?", "1    "),
    (1.125, "# ?/8", "1 1/8"),
]


@pytest.mark.parametrize(("value", "code", "expected"), CASES)
def test_format_value_matches_spreadsheet_display(value: object, code: str, expected: str) -> None:
    assert format_value(value, code) == expected


def test_non_numbers_render_as_excel_shows_them() -> None:
    assert format_value(True, "0.00") == "TRUE"
    assert format_value(False, "General") == "FALSE"
    assert format_value(None, "0.00") == ""
    assert format_value(DIV0, "0.00") == "#DIV/0!"
    assert format_value(NA, "General") == "#N/A"


def test_python_dates_and_ints_are_accepted() -> None:
    assert format_value(date(2024, 1, 31), "yyyy-mm-dd") == "2024-01-31"
    assert format_value(7, "0.0") == "7.0"


def test_m_means_minutes_after_hours_or_before_seconds() -> None:
    assert format_value(45322.5 + 5 / 1440, "h:m") == "12:5"
    assert format_value(45322 + 5 / 1440 + 7 / 86400, "mm:ss") == "05:07"
    assert format_value(45322, "m") == "1"
    assert format_value(45322.5, "yyyy-mm hh:mm") == "2024-01 12:00"


def test_is_date_format() -> None:
    assert is_date_format("yyyy-mm-dd")
    assert is_date_format("h:mm AM/PM")
    assert is_date_format("[h]:mm")
    assert is_date_format("[$-409]mmmm d, yyyy;@")
    assert not is_date_format("General")
    assert not is_date_format("0.00")
    assert not is_date_format('0 "days"')
    assert not is_date_format("@")


def test_large_and_tiny_numbers_do_not_break_rendering() -> None:
    assert format_value(1e300, "#,##0").startswith("1,000,000,000,000,000")
    assert format_value(1e-300, "0.00") == "0.00"
    assert format_value(-1e-300, "0.00E+00") == "-1.00E-300"
    assert format_value(3e6, "yyyy") == "########"


def test_workbook_display_uses_number_format() -> None:
    wb = Workbook()
    wb.set("A1", 1234.567)
    wb.set_format("A1", number_format="#,##0.00")
    wb.set("A2", "=DATE(2024,1,31)")
    wb.set_format("A2", number_format="date")
    wb.set("A3", 0.256)
    wb.set_format("A3", number_format="0.0%")
    assert wb.display("A1") == "1,234.57"
    assert wb.display("A2") == "2024-01-31"
    assert wb.display("A3") == "25.6%"
    assert wb.display("A4") == ""


def test_workbook_display_and_text_share_the_renderer() -> None:
    wb = Workbook()
    wb.set("A1", "=1/3")
    wb.set("B1", '=TEXT(A1,"General")')
    wb.set("C1", '=TEXT(-A1,"0")')
    wb.set("D1", '=TEXT(A1,"[$-407]mmmm")')  # serial 0.33 is Excel's 1900-01-00, in January
    assert wb.display("A1") == "0.333333333"  # General: 11 characters
    assert wb.value("B1") == "0.333333333"
    assert wb.value("C1") == "0"  # no minus sign when the digits shown are all zero
    assert wb.value("D1") == "Januar"
