"""Week numbers, year fractions, 360-day counts and working days."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from sheetrl.sheet.functions import FUNCTIONS
from sheetrl.sheet.functions.date_time import to_serial
from sheetrl.sheet.functions.day_count import (
    actual_year_length,
    days360_excel,
    year_fraction,
)
from sheetrl.sheet.functions.workdays import parse_weekend

from .cases import case, run


def serial(year: int, month: int, day: int) -> int:
    return int(to_serial(date(year, month, day)))


# ================================================================================================ WEEKNUM
@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("sunday-start-jan1-is-week-1", "=WEEKNUM(DATE(2023,1,1))", 1),
        case("monday-start-puts-sunday-jan1-alone", "=WEEKNUM(DATE(2023,1,2),2)", 2),
        case("return-type-11-equals-2", "=WEEKNUM(DATE(2024,6,30),11)-WEEKNUM(DATE(2024,6,30),2)", 0),
        case("return-type-17-equals-1", "=WEEKNUM(DATE(2024,6,30),17)-WEEKNUM(DATE(2024,6,30),1)", 0),
        case("dec31-can-be-week-54", "=WEEKNUM(DATE(2000,12,31))", 54),
        case("iso-type-21", "=WEEKNUM(DATE(2021,1,3),21)", 53),
        case("unknown-type-is-num", "=WEEKNUM(DATE(2024,1,1),3)", "#NUM!"),
        case("negative-serial-is-num", "=WEEKNUM(-5)", "#NUM!"),
        case("text-date", '=WEEKNUM("2024-01-14")', 3),
    ],
)
def test_weeknum(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


def test_weeknum_matches_a_day_by_day_count_for_every_start_day() -> None:
    """Week 1 holds January 1 and a new week starts on each start day after it (three whole years)."""
    weeknum = FUNCTIONS["WEEKNUM"].impl
    starts = {1: 6, 2: 0, 12: 1, 13: 2, 14: 3, 15: 4, 16: 5, 17: 6}  # Python weekday() of each week's first day
    for kind, first_weekday in starts.items():
        day = date(2023, 1, 1)
        week = 0
        while day.year < 2026:
            if (day.month, day.day) == (1, 1):
                week = 1
            elif day.weekday() == first_weekday:
                week += 1
            assert weeknum(float(serial(day.year, day.month, day.day)), float(kind)) == week, (kind, day)
            day += timedelta(days=1)


def test_isoweeknum_agrees_with_pythons_iso_calendar() -> None:
    isoweeknum = FUNCTIONS["ISOWEEKNUM"].impl
    day = date(1999, 12, 20)
    while day < date(2031, 1, 10):
        assert isoweeknum(float(serial(day.year, day.month, day.day))) == day.isocalendar()[1], day
        day += timedelta(days=1)


# ================================================================================================ YEARFRAC
# Values Excel computes (ExcelFinancialFunctions' Excel-generated cases, which also pin down the 30/360 and
# actual/actual rules for the end of February).
@pytest.mark.parametrize(
    ("start", "end", "basis", "expected"),
    [
        ((1980, 3, 4), (1994, 1, 1), 1, 13.8282533309),
        ((1980, 3, 4), (2003, 2, 15), 1, 22.95140314853),
        ((1980, 3, 4), (1980, 3, 5), 1, 0.002732240437158),
        ((1980, 3, 4), (2007, 11, 1), 0, 27.65833333333),
        ((1980, 3, 4), (1994, 1, 1), 3, 13.83835616438),
    ],
)
def test_yearfrac_matches_excel(
    start: tuple[int, int, int], end: tuple[int, int, int], basis: int, expected: float
) -> None:
    assert year_fraction(serial(*start), serial(*end), basis) == pytest.approx(expected, rel=1e-11)


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("=YEARFRAC(1/0,200,-1)", "#NUM!"),  # an invalid basis wins over an error in the dates
        ("=YEARFRAC(1,1/0,5)", "#NUM!"),
        ("=YEARFRAC(1/0,200,NA())", "#N/A"),  # and an error in the basis over one in the dates
        ("=YEARFRAC(1/0,NA(),1)", "#N/A"),  # the end date's error before the start date's
    ],
)
def test_yearfrac_checks_its_arguments_from_the_last(formula: str, expected: str) -> None:
    # As Excel caches these in real workbooks (LibreOffice reports the first argument's error).
    run(formula, expected, None)


def test_yearfrac_30_360_treats_the_end_of_february_as_the_30th_at_both_ends() -> None:
    # 2023-02-28 to 2024-02-29 are both month ends of February: a whole 360-day year.
    assert year_fraction(serial(2023, 2, 28), serial(2024, 2, 29), 0) == 1.0
    # Only the start is adjusted when the end is not also the end of February: 28 Feb -> 30 Feb, to 31 Mar = 31 days
    assert year_fraction(serial(2023, 2, 28), serial(2023, 3, 31), 0) == pytest.approx(31 / 360)


def test_actual_year_length_rules() -> None:
    assert actual_year_length(serial(2024, 1, 1), serial(2024, 12, 31)) == 366  # inside a leap year
    assert actual_year_length(serial(2023, 6, 1), serial(2024, 3, 1)) == 366  # spans 29 Feb 2024
    assert actual_year_length(serial(2022, 6, 1), serial(2023, 3, 1)) == 365
    assert actual_year_length(serial(2023, 5, 1), serial(2024, 2, 29)) == 366  # ends on 29 Feb
    # more than a year: the average length of 2010..2016
    assert actual_year_length(serial(2010, 3, 4), serial(2016, 1, 1)) == pytest.approx((5 * 365 + 2 * 366) / 7)


# ================================================================================================ DAYS360
@pytest.mark.parametrize(
    ("start", "end", "european", "expected"),
    [
        ((2011, 1, 30), (2011, 12, 31), False, 330),  # end 31st after a 30th start becomes the 30th
        ((2011, 1, 15), (2011, 3, 31), False, 76),  # end 31st after an earlier start counts as 1 April
        ((2011, 1, 15), (2011, 3, 31), True, 75),
        ((2023, 2, 28), (2023, 3, 31), False, 30),  # a start on the last day of February is the 30th
        ((2023, 2, 28), (2023, 3, 31), True, 32),
        ((2023, 12, 31), (2023, 1, 1), False, -359),
    ],
)
def test_days360(start: tuple[int, int, int], end: tuple[int, int, int], european: bool, expected: int) -> None:
    assert days360_excel(serial(*start), serial(*end), european) == expected


# ================================================================================================ working days
def test_weekend_codes_and_masks() -> None:
    saturday_sunday = (True, False, False, False, False, False, True)
    assert parse_weekend(None) == saturday_sunday
    assert parse_weekend(1.0) == saturday_sunday
    assert parse_weekend("0000011") == saturday_sunday
    assert parse_weekend(7.0) == (False, False, False, False, False, True, True)  # Friday and Saturday
    assert parse_weekend(11.0) == (True, False, False, False, False, False, False)  # Sunday only
    assert parse_weekend(12.0) == (False, True, False, False, False, False, False)  # Monday only
    assert str(parse_weekend(10.0)) == "#NUM!"
    assert str(parse_weekend("000001")) == "#VALUE!"
    assert str(parse_weekend("000000x")) == "#VALUE!"


def brute_force_working_days(first: date, last: date, weekend_days: set[int], holidays: set[date]) -> int:
    count = 0
    day = first
    while day <= last:
        if day.weekday() not in weekend_days and day not in holidays:
            count += 1
        day += timedelta(days=1)
    return count


@pytest.mark.parametrize("code", [1, 2, 5, 7, 11, 14, 17])
def test_networkdays_intl_counts_like_a_day_by_day_loop(code: int) -> None:
    from sheetrl.sheet import Workbook

    # Python weekday(): Monday 0 ... Sunday 6
    weekends = {1: {5, 6}, 2: {6, 0}, 5: {2, 3}, 7: {4, 5}, 11: {6}, 14: {2}, 17: {5}}
    holidays = {date(2024, 1, 1), date(2024, 5, 27), date(2024, 7, 4), date(2024, 12, 25)}
    wb = Workbook()
    for row, holiday in enumerate(sorted(holidays), start=1):
        wb.set(f"H{row}", serial(holiday.year, holiday.month, holiday.day))
    for first, last in [(date(2024, 1, 1), date(2024, 12, 31)), (date(2023, 12, 30), date(2024, 1, 9))]:
        start, end = serial(*first.timetuple()[:3]), serial(*last.timetuple()[:3])
        wb.set("A1", f"=NETWORKDAYS.INTL({start},{end},{code},H1:H4)")
        assert wb.value("A1") == brute_force_working_days(first, last, weekends[code], holidays)


def test_workday_lands_where_networkdays_counts_to() -> None:
    """WORKDAY(start, n) is the day on which NETWORKDAYS(start + 1, day) first reaches n."""
    from sheetrl.sheet import Workbook

    wb = Workbook()
    wb.set("H1", serial(2024, 3, 29))
    wb.set("H2", serial(2024, 4, 1))
    start = serial(2024, 3, 20)
    for n in (1, 5, 17, 260, 1000):
        wb.set("A1", f"=WORKDAY({start},{n},H1:H2)")
        day = wb.value("A1")
        wb.set("A2", f"=NETWORKDAYS({start + 1},{day},H1:H2)")
        assert wb.value("A2") == n
        if n > 1:
            wb.set("A3", f"=NETWORKDAYS({start + 1},{day - 1},H1:H2)")
            assert wb.value("A3") == n - 1


def test_workday_counts_backwards_too() -> None:
    from sheetrl.sheet import Workbook

    wb = Workbook()
    wb.set("A1", f"=WORKDAY({serial(2024, 1, 8)},-1)")  # Monday -> the Friday before
    assert wb.value("A1") == serial(2024, 1, 5)
    wb.set("A1", f"=WORKDAY({serial(2024, 1, 8)},-1000)")
    assert wb.value("A1") == serial(2020, 3, 9)  # 200 whole weeks back
