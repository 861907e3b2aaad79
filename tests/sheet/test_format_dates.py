"""Dates, times and elapsed time in number formats, in both date systems.

45322 is 2024-01-31 (a Wednesday) in the 1900 date system; the same day is 43860 in the 1904 system (1,462 days
fewer). Expected strings are worked out by hand from Excel's rules; where a rule was learnt from values Excel
cached in real files, the test says so.
"""

from __future__ import annotations

import pytest

from sheetrl.sheet.errors import VALUE
from sheetrl.sheet.number_format import (
    INVALID_DATE_DISPLAY,
    format_value,
    text_function,
)

NOON = 0.5
TIME_14_35_27 = (14 * 3600 + 35 * 60 + 27) / 86400


@pytest.mark.parametrize(
    ("value", "code", "expected"),
    [
        (45322, "d dd ddd dddd", "31 31 Wed Wednesday"),
        (45322, "m mm mmm mmmm mmmmm", "1 01 Jan January J"),
        (45322, "y yy yyy yyyy", "24 24 2024 2024"),
        (45322, "ddddd/mmmmm/yyyyy", "Wednesday/J/2024"),  # longer codes show the longest form
        (1, "dddd", "Sunday"),  # Excel's 1900-01-01 is a Sunday
        (0, "yyyy-mm-dd ddd", "1900-01-00 Sat"),
        (60, "yyyy-mm-dd", "1900-02-29"),  # the day Excel keeps for Lotus 1-2-3
        (45322 + TIME_14_35_27, "h:mm:ss", "14:35:27"),
        (45322 + TIME_14_35_27, "hh:mm AM/PM", "02:35 PM"),
        (45322 + TIME_14_35_27, "h:mm am/pm", "2:35 PM"),  # AM/PM in any case shows the designator
        (45322 + TIME_14_35_27, "h:mm a/p", "2:35 p"),  # A/P keeps the case written
        (45322 + TIME_14_35_27, "h:mm A/P", "2:35 P"),
        (NOON, "h AM/PM", "12 PM"),
        (0, "h:mm AM/PM", "12:00 AM"),
        (45322 + TIME_14_35_27, "h:m", "14:35"),  # m after h is minutes
        (45322 + TIME_14_35_27, "m:ss", "35:27"),  # m before s is minutes
        (45322 + TIME_14_35_27, "s:m", "27:35"),  # so is m after s (Excel-cached results)
        (45322 + TIME_14_35_27, "h mmm", "14 Jan"),  # mmm is always a month
        (45322 + TIME_14_35_27, "yyyy-mm hh", "2024-01 14"),
        (0.5123456, "hh:mm:ss.00", "12:17:46.66"),
        (0.0006944, "mm:ss", "01:00"),  # rounded to the second, not truncated
        (45322.999999, "yyyy-mm-dd hh:mm", "2024-02-01 00:00"),  # rounding carries into the next day
    ],
)
def test_date_and_time_codes(value: float, code: str, expected: str) -> None:
    assert format_value(value, code) == expected


@pytest.mark.parametrize(
    ("value", "code", "expected"),
    [
        (1.5, "[h]:mm", "36:00"),
        (1.5, "[mm]:ss", "2160:00"),
        (1.5, "[ss]", "129600"),
        (3.14159, "[h]:mm:ss.0", "75:23:53.4"),
        (3.14159, '"It was "[h]" [yes, "h"] hours"', "It was 75 [yes, 75] hours"),  # h next to [h]: the total
        (3.14159, '[s]" [yes, "ss"] seconds"', "271433 [yes, 271433] seconds"),
        (2958465, "[hh]", "71003160"),  # elapsed time may pass 9999-12-31
        (-1, "[h]", "-24"),  # one elapsed code alone shows negative durations
        (-1, "[m]", "-1440"),
    ],
)
def test_elapsed_time(value: float, code: str, expected: str) -> None:
    assert format_value(value, code) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [(-1, "yyyy-mm-dd"), (-1, "[h]:mm"), (-1, "[s].000"), (2958466, "yyyy"), (2958466, "h")],
)
def test_values_a_date_section_cannot_show(value: float, code: str) -> None:
    assert format_value(value, code) == INVALID_DATE_DISPLAY
    assert text_function(value, code, date1904=False) is VALUE


def test_two_section_date_formats_show_the_magnitude_of_negatives() -> None:
    assert format_value(-45322, "0;yyyy-mm-dd") == "2024-01-31"


# ------------------------------------------------------------------------------------------ 1904 date system
@pytest.mark.parametrize(
    ("value", "code", "expected"),
    [
        (43860, "yyyy-mm-dd dddd", "2024-01-31 Wednesday"),
        (0, "yyyy-mm-dd dddd", "1904-01-01 Friday"),
        (1.0032134017094, "yyyy-mm-dd hh:mm:ss.000", "1904-01-02 00:04:37.638"),  # Excel-cached
        (-0.08546296296296296, "[h]:m:s.000", "-2:3:4.000"),  # negative times show with a minus (Excel-cached)
        (-0.08546296296296296, 's" secs and "[m]" mins"', "-4 secs and 123 mins"),
        (2957003, "yyyy-mm-dd", "9999-12-31"),
    ],
)
def test_1904_date_system(value: float, code: str, expected: str) -> None:
    assert format_value(value, code, date1904=True) == expected
    assert text_function(value, code, date1904=True) == expected


def test_1904_last_date_is_earlier_in_serials() -> None:
    assert format_value(2957004, "yyyy-mm-dd", date1904=True) == INVALID_DATE_DISPLAY
    assert format_value(2957004, "yyyy-mm-dd", date1904=False) == "9995-12-31"


# ------------------------------------------------------------------------------------ system formats, locales
def test_system_long_date_and_time_codes() -> None:
    # Excel saves the pattern in use after the code; a bare code gets the en-US pattern
    assert format_value(45322, "[$-F800]dddd, mmmm dd, yyyy") == "Wednesday, January 31, 2024"
    assert format_value(45322, "[$-F800]") == "Wednesday, January 31, 2024"
    assert format_value(45322 + TIME_14_35_27, "[$-F400]") == "2:35:27 PM"
    assert format_value(45322 + TIME_14_35_27, "[$-x-systime]h:mm:ss AM/PM") == "2:35:27 PM"
