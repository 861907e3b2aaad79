"""Date and time functions, serial-number helpers and date text coercion."""

from __future__ import annotations

import time
from datetime import date, datetime, timedelta

import pytest

from sheetrl.sheet import values
from sheetrl.sheet.functions.date_time import from_serial, parse_date_text, to_serial
from sheetrl.sheet.workbook import Workbook


def calc(formula: str, **cells: object) -> object:
    """Value of a formula in a fresh workbook, with optional input cells (A1=..., B2=...)."""
    wb = Workbook()
    for address, value in cells.items():
        wb.set(address, value)
    wb.set("Z1", formula)
    return wb.value("Z1")


# ================================================================================================ serial helpers
def test_to_serial_matches_excel_1900_system() -> None:
    assert to_serial(date(1900, 1, 1)) == 1
    assert to_serial(date(1900, 2, 28)) == 59
    assert to_serial(date(1900, 3, 1)) == 61  # serial 60 is Excel's fictitious 1900-02-29
    assert to_serial(date(2024, 1, 31)) == 45322


def test_to_serial_adds_time_as_fraction_of_day() -> None:
    assert to_serial(datetime(2024, 1, 31, 12, 0)) == 45322.5
    assert to_serial(datetime(2024, 1, 31, 18, 0)) == 45322.75


def test_to_serial_rejects_dates_before_1900() -> None:
    with pytest.raises(ValueError):
        to_serial(date(1850, 1, 1))


def test_from_serial_inverts_to_serial() -> None:
    assert from_serial(45322.75) == datetime(2024, 1, 31, 18, 0)
    assert from_serial(61) == datetime(1900, 3, 1)
    assert from_serial(1) == datetime(1900, 1, 1)
    assert from_serial(60) == datetime(1900, 2, 28)  # no 1900-02-29 in Python
    with pytest.raises(ValueError):
        from_serial(-1)


def test_workbook_stores_python_dates_as_serials() -> None:
    wb = Workbook()
    wb.set("A1", date(2024, 1, 31))
    wb.set("A2", datetime(2024, 1, 31, 6, 0))
    assert wb.value("A1") == 45322
    assert wb.value("A2") == 45322.25


@pytest.mark.parametrize(
    ("text", "serial"),
    [
        ("2024-01-31", 45322),
        ("2024/1/31", 45322),
        ("1/31/2024", 45322),
        ("1/31/24", 45322),
        ("31-Jan-2024", 45322),
        ("31 January 2024", 45322),
        ("Jan 31, 2024", 45322),
        ("January 2024", 45292),
        ("2024-01-31 13:45", 45322 + 13.75 / 24),
        ("13:45", 13.75 / 24),
        ("1:45:30 PM", (13 * 3600 + 45 * 60 + 30) / 86400),
        ("2/29/1900", 60),
    ],
)
def test_parse_date_text_recognises_common_forms(text: str, serial: float) -> None:
    assert parse_date_text(text) == pytest.approx(serial)


@pytest.mark.parametrize("text", ["hello", "2/30/2024", "13/1/2024", "12/31/1899", "", "12", "25:61"])
def test_parse_date_text_rejects_non_dates(text: str) -> None:
    assert parse_date_text(text) is None


def test_date_text_parser_is_installed_in_values() -> None:
    assert values.date_text_parser is parse_date_text


def test_arithmetic_on_date_text_uses_serial() -> None:
    assert calc('="2024-01-31"+1') == 45323
    assert calc("=A1+0", A1="1/31/2024") == 45322
    assert calc('="13:45"*24') == pytest.approx(13.75)
    assert str(calc('="not a date"+1')) == "#VALUE!"


# ================================================================================================ DATE
def test_date_builds_serial() -> None:
    assert calc("=DATE(2024,1,31)") == 45322
    assert calc("=DATE(1900,1,1)") == 1
    assert calc("=DATE(1900,2,29)") == 60
    assert calc("=DATE(1900,3,1)") == 61


def test_date_rolls_month_and_day_overflow() -> None:
    assert calc("=DATE(2024,14,1)") == calc("=DATE(2025,2,1)")
    assert calc("=DATE(2024,2,30)") == calc("=DATE(2024,3,1)")
    assert calc("=DATE(2024,1,32)") == calc("=DATE(2024,2,1)")


def test_date_rolls_month_and_day_underflow() -> None:
    assert calc("=DATE(2024,0,1)") == calc("=DATE(2023,12,1)")
    assert calc("=DATE(2024,-1,1)") == calc("=DATE(2023,11,1)")
    assert calc("=DATE(2024,3,0)") == calc("=DATE(2024,2,29)")
    assert calc("=DATE(2024,1,-1)") == calc("=DATE(2023,12,30)")


def test_date_adds_1900_to_small_years_and_truncates() -> None:
    assert calc("=DATE(99,1,1)") == calc("=DATE(1999,1,1)")
    assert calc("=DATE(0,1,1)") == 1
    assert calc("=DATE(1899,12,31)") == calc("=DATE(3799,12,31)")
    assert calc("=DATE(2024.9,1.9,31.9)") == 45322


def test_date_out_of_range_is_num_error() -> None:
    assert str(calc("=DATE(-1,1,1)")) == "#NUM!"
    assert str(calc("=DATE(10000,1,1)")) == "#NUM!"
    assert str(calc("=DATE(1900,1,-5)")) == "#NUM!"
    assert str(calc('=DATE("x",1,1)')) == "#VALUE!"


# ================================================================================================ YEAR MONTH DAY
def test_year_of_serial_and_text() -> None:
    assert calc("=YEAR(45322)") == 2024
    assert calc('=YEAR("2024-01-31")') == 2024
    assert calc("=YEAR(0)") == 1900
    assert calc("=YEAR(A1)", A1=date(1999, 12, 31)) == 1999


def test_year_errors() -> None:
    assert str(calc("=YEAR(-1)")) == "#NUM!"
    assert str(calc('=YEAR("abc")')) == "#VALUE!"
    assert str(calc("=YEAR(3000000)")) == "#NUM!"
    assert str(calc("=YEAR(1/0)")) == "#DIV/0!"


def test_month_of_serial_and_text() -> None:
    assert calc("=MONTH(45322)") == 1
    assert calc('=MONTH("Mar 5, 2024")') == 3
    assert calc("=MONTH(60)") == 2
    assert calc("=MONTH(45322.99)") == 1
    assert str(calc("=MONTH(-5)")) == "#NUM!"


def test_day_of_serial_and_text() -> None:
    assert calc("=DAY(45322)") == 31
    assert calc("=DAY(60)") == 29  # Excel's fictitious 1900-02-29
    assert calc("=DAY(0)") == 0  # Excel's 1900-01-00
    assert calc('=DAY("31-Jan-2024 18:00")') == 31
    assert str(calc('=DAY("x")')) == "#VALUE!"


# ================================================================================================ WEEKDAY
def test_weekday_default_counts_from_sunday() -> None:
    assert calc("=WEEKDAY(45322)") == 4  # Wednesday 2024-01-31
    assert calc("=WEEKDAY(DATE(2024,1,28))") == 1  # Sunday
    assert calc("=WEEKDAY(DATE(2024,2,3))") == 7  # Saturday
    assert calc("=WEEKDAY(1)") == 1  # Excel calls 1900-01-01 a Sunday


def test_weekday_return_types_2_and_3_start_monday() -> None:
    assert calc("=WEEKDAY(45322,2)") == 3
    assert calc("=WEEKDAY(45322,3)") == 2
    assert calc("=WEEKDAY(DATE(2024,1,28),2)") == 7
    assert calc("=WEEKDAY(DATE(2024,1,28),3)") == 6


@pytest.mark.parametrize(("kind", "expected"), [(11, 3), (12, 2), (13, 1), (14, 7), (15, 6), (16, 5), (17, 4)])
def test_weekday_return_types_11_to_17(kind: int, expected: int) -> None:
    assert calc(f"=WEEKDAY(45322,{kind})") == expected


def test_weekday_invalid_return_type_or_date() -> None:
    assert str(calc("=WEEKDAY(45322,4)")) == "#NUM!"
    assert str(calc("=WEEKDAY(45322,0)")) == "#NUM!"
    assert str(calc("=WEEKDAY(-1)")) == "#NUM!"
    assert calc('=WEEKDAY("2024-01-31")') == 4


# ================================================================================================ EOMONTH EDATE
def test_eomonth_end_of_month() -> None:
    assert calc("=EOMONTH(45322,1)") == calc("=DATE(2024,2,29)")
    assert calc("=EOMONTH(45322,0)") == 45322
    assert calc("=EOMONTH(45322,-1)") == calc("=DATE(2023,12,31)")
    assert calc('=EOMONTH("2024-01-15",12)') == calc("=DATE(2025,1,31)")


def test_eomonth_truncates_months_and_drops_time() -> None:
    assert calc("=EOMONTH(45322.7,1.9)") == calc("=DATE(2024,2,29)")
    assert calc("=EOMONTH(45322,-1.9)") == calc("=DATE(2023,12,31)")
    assert str(calc("=EOMONTH(-1,1)")) == "#NUM!"
    assert str(calc("=EOMONTH(45322,-2000000)")) == "#NUM!"


def test_edate_keeps_day_or_clamps_to_month_end() -> None:
    assert calc("=EDATE(DATE(2024,1,15),1)") == calc("=DATE(2024,2,15)")
    assert calc("=EDATE(45322,1)") == calc("=DATE(2024,2,29)")
    assert calc("=EDATE(DATE(2024,3,31),-1)") == calc("=DATE(2024,2,29)")
    assert calc("=EDATE(45322,13)") == calc("=DATE(2025,2,28)")


def test_edate_errors_and_text() -> None:
    assert str(calc("=EDATE(1,-1)")) == "#NUM!"
    assert str(calc('=EDATE("x",1)')) == "#VALUE!"
    assert calc('=EDATE("2024-01-31",-12)') == calc("=DATE(2023,1,31)")
    assert calc("=EDATE(45322,1.5)") == calc("=DATE(2024,2,29)")


# ================================================================================================ DATEDIF
def test_datedif_years_months_days() -> None:
    assert calc('=DATEDIF(DATE(2020,1,15),DATE(2024,3,10),"Y")') == 4
    assert calc('=DATEDIF(DATE(2020,1,15),DATE(2024,3,10),"M")') == 49
    assert calc('=DATEDIF(DATE(2020,1,15),DATE(2024,3,10),"D")') == 1516
    assert calc('=DATEDIF(DATE(2020,2,29),DATE(2021,2,28),"y")') == 0


def test_datedif_partial_units() -> None:
    assert calc('=DATEDIF(DATE(2020,1,15),DATE(2024,3,10),"MD")') == 24
    assert calc('=DATEDIF(DATE(2020,1,15),DATE(2024,3,10),"YM")') == 1
    assert calc('=DATEDIF(DATE(2020,1,15),DATE(2024,3,10),"YD")') == 55
    assert calc('=DATEDIF(DATE(2024,1,31),DATE(2024,2,29),"M")') == 0


def test_datedif_reproduces_excel_quirks() -> None:
    # Excel's MD can go negative when the previous month is shorter than the start day.
    assert calc('=DATEDIF(DATE(2011,1,31),DATE(2011,3,1),"MD")') == -2
    # Excel's YD counts in the start's year: 323 here (LibreOffice says 324).
    assert calc('=DATEDIF(DATE(1988,6,22),DATE(2012,5,11),"YD")') == 323


def test_datedif_errors() -> None:
    assert str(calc('=DATEDIF(DATE(2024,3,10),DATE(2020,1,15),"D")')) == "#NUM!"
    assert str(calc('=DATEDIF(DATE(2020,1,15),DATE(2024,3,10),"W")')) == "#NUM!"
    assert str(calc('=DATEDIF(-1,10,"D")')) == "#NUM!"
    assert calc('=DATEDIF("2024-01-01","2024-12-31","D")') == 365


# ================================================================================================ DAYS
def test_days_counts_whole_days() -> None:
    assert calc("=DAYS(DATE(2024,3,1),DATE(2024,1,1))") == 60
    assert calc('=DAYS("2024-03-01","2024-01-01")') == 60
    assert calc("=DAYS(DATE(2024,1,1),DATE(2024,3,1))") == -60
    assert calc("=DAYS(10.9,1.1)") == 9
    assert str(calc("=DAYS(-1,1)")) == "#NUM!"


# ================================================================================================ TODAY NOW
def test_today_is_current_date_serial() -> None:
    before = to_serial(date.today())
    value = calc("=TODAY()")
    assert value in (before, before + 1)  # midnight may pass during the test
    assert isinstance(value, int)


def test_today_supports_date_arithmetic() -> None:
    assert calc("=TODAY()-TODAY()") == 0
    assert calc("=YEAR(TODAY())") in (date.today().year, (date.today() + timedelta(days=1)).year)
    assert calc("=TODAY()>DATE(2024,1,1)") is True
    assert 0 <= calc("=NOW()-TODAY()") < 1


def test_now_includes_time_of_day() -> None:
    now = to_serial(datetime.now())
    value = calc("=NOW()")
    assert abs(value - now) < 1 / 86400 * 5
    assert calc("=NOW()>=TODAY()") is True


def test_now_is_volatile_and_moves_on_recalculation() -> None:
    wb = Workbook()
    wb.set("A1", "=NOW()")
    first = wb.value("A1")
    time.sleep(0.01)
    wb.recalculate()
    assert wb.value("A1") > first


# ================================================================================================ TIME
def test_time_builds_fraction_of_day() -> None:
    assert calc("=TIME(12,0,0)") == 0.5
    assert calc("=TIME(18,0,0)") == 0.75
    assert calc("=TIME(12,30,0)") == pytest.approx(12.5 / 24)
    assert calc("=TIME(0,0,1)") == pytest.approx(1 / 86400)


def test_time_rolls_over_and_wraps() -> None:
    assert calc("=TIME(25,0,0)") == pytest.approx(1 / 24)
    assert calc("=TIME(0,90,0)") == pytest.approx(1.5 / 24)
    assert calc("=TIME(1,-30,0)") == pytest.approx(0.5 / 24)
    assert calc("=TIME(24,0,0)") == 0


def test_time_errors() -> None:
    assert str(calc("=TIME(0,0,-1)")) == "#NUM!"
    assert str(calc("=TIME(-1,0,0)")) == "#NUM!"
    assert str(calc("=TIME(40000,0,0)")) == "#NUM!"
    assert str(calc('=TIME("a",0,0)')) == "#VALUE!"


# ================================================================================================ HOUR MINUTE SECOND
def test_hour_of_time() -> None:
    assert calc("=HOUR(0.75)") == 18
    assert calc("=HOUR(45322.5)") == 12
    assert calc('=HOUR("1:45 PM")') == 13
    assert calc('=HOUR("2024-01-31 07:15")') == 7
    assert str(calc("=HOUR(-0.5)")) == "#NUM!"


def test_minute_of_time() -> None:
    assert calc("=MINUTE(TIME(10,42,5))") == 42
    assert calc('=MINUTE("1:45:30 PM")') == 45
    assert calc("=MINUTE(0.5)") == 0
    assert calc("=MINUTE(TIME(10,59,59.6))") == 59
    assert str(calc('=MINUTE("x")')) == "#VALUE!"


def test_second_of_time_rounds_to_nearest_second() -> None:
    assert calc("=SECOND(TIME(1,2,3))") == 3
    assert calc('=SECOND("1:45:30 PM")') == 30
    assert calc("=SECOND(0.5+0.6/86400)") == 1
    assert calc("=SECOND(0.5+0.4/86400)") == 0


def test_time_parts_carry_when_rounding_reaches_next_unit() -> None:
    assert calc("=HOUR(0.99999999)") == 0
    assert calc("=MINUTE(TIME(10,0,0)+59.7/86400)") == 1
    assert calc("=SECOND(TIME(10,0,0)+59.7/86400)") == 0
    assert str(calc("=SECOND(-1)")) == "#NUM!"


# ================================================================================================ DATEVALUE TIMEVALUE
def test_datevalue_and_timevalue() -> None:
    assert calc('=DATEVALUE("2024-01-31")') == 45322
    assert calc('=DATEVALUE("2024-01-31 18:00")') == 45322
    assert calc('=TIMEVALUE("18:00")') == 0.75
    assert calc('=TIMEVALUE("2024-01-31 18:00")') == 0.75
    assert str(calc("=DATEVALUE(45322)")) == "#VALUE!"
    assert str(calc('=TIMEVALUE("soon")')) == "#VALUE!"


# ================================================================================================ EDATE / EOMONTH edges
def test_edate_and_eomonth_reject_logicals_like_excel() -> None:
    # Excel's Analysis ToolPak functions take no logicals (values Excel cached in real workbooks)
    assert str(calc("=EDATE(TRUE,1)")) == "#VALUE!"
    assert str(calc("=EDATE(366,FALSE)")) == "#VALUE!"
    assert str(calc("=EOMONTH(A1,0)", A1=True)) == "#VALUE!"


def test_edate_keeps_day_zero_of_serial_zero() -> None:
    # serial 0 is 1900-01-00: a month later is "1900-02-00", i.e. 31 January 1900 (serial 31)
    assert calc("=EDATE(0,1)") == 31
    assert calc("=EDATE(0,0)") == 0
