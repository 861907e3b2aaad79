"""Coupon schedules of bonds and the COUP* functions: COUPPCD, COUPNCD, COUPNUM, COUPDAYS, COUPDAYBS, COUPDAYSNC.

Coupons fall every 12/frequency months, counted back from maturity; when maturity is the last day of its month,
every coupon is the last day of its month. Each step back starts from the coupon found before it (so a maturity on
the 30th of August has a coupon on 28 February and, after it, on the 28th of August), which is how Excel builds the
schedule (matched on ExcelFinancialFunctions' Excel-generated test data).

How days are counted depends on the basis (see :mod:`.day_count`); the securities functions share these rules:
``days_between`` (accrued days), ``year_length`` and ``coupon_period_days``. Dates are integral serials.
"""

from __future__ import annotations

from typing import Any

from sheetrl.sheet.errors import NUM, ExcelError
from sheetrl.sheet.functions import register
from sheetrl.sheet.functions.date_arguments import (
    atp_day_argument,
    atp_integer_argument,
)
from sheetrl.sheet.functions.date_time import (
    days_in_month,
    ymd_to_serial,
)
from sheetrl.sheet.functions.day_count import (
    BASES,
    actual_year_length,
    days360_european,
    days360_us_financial,
    is_last_day_of_february,
)
from sheetrl.sheet.serials import calendar_ymd

FREQUENCIES = frozenset({1, 2, 4})


# ================================================================================================ dates
def is_month_end(serial: int) -> bool:
    year, month, day = calendar_ymd(serial)
    return day == days_in_month(year, month)


def add_months(serial: int, months: int, to_month_end: bool) -> int:
    """The date ``months`` later (earlier if negative), the day clamped to the month's length, or the last day of
    the month when ``to_month_end``."""
    year, month, day = calendar_ymd(serial)
    years, month_index = divmod(month - 1 + months, 12)
    year += years
    month = month_index + 1
    length = days_in_month(year, month)
    return ymd_to_serial(year, month, length if to_month_end else min(day, length))


def step_until(start: int, limit: int, months: int, to_month_end: bool) -> tuple[int, int]:
    """Step from ``start`` by ``months`` (each step from the previous date) until passing ``limit``.

    Moving back (months < 0) stops at the first date <= limit, moving forward at the first date >= limit.
    Returns (that date, the date before it; ``limit`` when no step was taken).
    """
    front, trailing = start, limit
    while (front > limit) if months < 0 else (front < limit):
        trailing = front
        front = add_months(front, months, to_month_end)
    return front, trailing


def coupon_dates(settlement: int, maturity: int, frequency: int) -> tuple[int, int]:
    """(previous coupon date <= settlement, next coupon date > settlement)."""
    return step_until(maturity, settlement, -12 // frequency, is_month_end(maturity))


# ================================================================================================ day counts
def days_between(start: int, end: int, basis: int) -> float:
    """Days from start to end as accrued under a basis (30/360 for bases 0 and 4, actual days otherwise)."""
    if basis == 0:
        return float(days360_us_financial(start, end))
    if basis == 4:
        return float(days360_european(start, end))
    return float(end - start)


def days_between_as_denominator(start: int, end: int, basis: int) -> float:
    """Days of a coupon period as Excel's ACCRINT counts them in the denominator: 30/360 (US) for basis 2, as
    :func:`days_between` otherwise."""
    if basis == 2:
        return float(days360_us_financial(start, end))
    return days_between(start, end, basis)


def year_length(start: int, end: int, basis: int) -> float:
    """Days in a year for the period start..end: 360, 365, or for basis 1 the actual length (see YEARFRAC)."""
    if basis == 1:
        return actual_year_length(start, end)
    return 365.0 if basis == 3 else 360.0


def coupon_period_days(settlement: int, maturity: int, frequency: int, basis: int) -> float:
    """COUPDAYS: days in the coupon period holding the settlement (actual for basis 1, else 360 or 365 / freq)."""
    if basis == 1:
        previous, following = coupon_dates(settlement, maturity, frequency)
        return float(following - previous)
    return (365.0 if basis == 3 else 360.0) / frequency


def days_from_coupon_start(settlement: int, maturity: int, frequency: int, basis: int) -> float:
    """COUPDAYBS: days from the start of the coupon period to the settlement."""
    previous, _ = coupon_dates(settlement, maturity, frequency)
    return days_between(previous, settlement, basis)


def days_to_next_coupon(settlement: int, maturity: int, frequency: int, basis: int) -> float:
    """COUPDAYSNC: days from the settlement to the next coupon."""
    previous, following = coupon_dates(settlement, maturity, frequency)
    if basis == 0:
        return float(
            days360_us_financial(previous, following, adjust_both=True) - days360_us_financial(previous, settlement)
        )
    return days_between(settlement, following, basis)


def coupons_remaining(settlement: int, maturity: int, frequency: int) -> int:
    """COUPNUM: coupons payable between the settlement and maturity."""
    previous, _ = coupon_dates(settlement, maturity, frequency)
    py, pm, _ = calendar_ymd(previous)
    my, mm, _ = calendar_ymd(maturity)
    return ((my - py) * 12 + mm - pm) * frequency // 12


def is_february_end(serial: int) -> bool:
    return is_last_day_of_february(*calendar_ymd(serial))


# ================================================================================================ arguments
def security_dates(*dates: Any) -> list[int] | ExcelError:
    """Date arguments as whole days (the first error wins; logicals are #VALUE!, as in Excel's securities
    functions, which came from the Analysis ToolPak)."""
    out: list[int] = []
    for value in dates:
        day = atp_day_argument(value)
        if isinstance(day, ExcelError):
            return day
        out.append(day)
    return out


def frequency_and_basis(frequency: Any, basis: Any) -> tuple[int, int] | ExcelError:
    """(frequency, basis) truncated to integers; a frequency other than 1, 2, 4 or a basis outside 0-4 is #NUM!."""
    freq = atp_integer_argument(frequency)
    if isinstance(freq, ExcelError):
        return freq
    code = 0 if basis is None else atp_integer_argument(basis)
    if isinstance(code, ExcelError):
        return code
    if freq not in FREQUENCIES or code not in BASES:
        return NUM
    return freq, code


def basis_argument(basis: Any) -> int | ExcelError:
    code = 0 if basis is None else atp_integer_argument(basis)
    if isinstance(code, ExcelError):
        return code
    return code if code in BASES else NUM


def _coupon_function(
    settlement: Any, maturity: Any, frequency: Any, basis: Any
) -> tuple[int, int, int, int] | ExcelError:
    dates = security_dates(settlement, maturity)
    if isinstance(dates, ExcelError):
        return dates
    terms = frequency_and_basis(frequency, basis)
    if isinstance(terms, ExcelError):
        return terms
    settle, mature = dates
    if settle >= mature:
        return NUM
    return settle, mature, terms[0], terms[1]


# ================================================================================================ functions
@register("COUPPCD", 3, 4)
def couppcd(settlement: Any, maturity: Any, frequency: Any, basis: Any = None) -> float | ExcelError:
    """The coupon date on or before the settlement."""
    args = _coupon_function(settlement, maturity, frequency, basis)
    if isinstance(args, ExcelError):
        return args
    settle, mature, freq, _ = args
    return float(coupon_dates(settle, mature, freq)[0])


@register("COUPNCD", 3, 4)
def coupncd(settlement: Any, maturity: Any, frequency: Any, basis: Any = None) -> float | ExcelError:
    """The first coupon date after the settlement."""
    args = _coupon_function(settlement, maturity, frequency, basis)
    if isinstance(args, ExcelError):
        return args
    settle, mature, freq, _ = args
    return float(coupon_dates(settle, mature, freq)[1])


@register("COUPNUM", 3, 4)
def coupnum(settlement: Any, maturity: Any, frequency: Any, basis: Any = None) -> float | ExcelError:
    """Number of coupons payable between the settlement and maturity."""
    args = _coupon_function(settlement, maturity, frequency, basis)
    if isinstance(args, ExcelError):
        return args
    settle, mature, freq, _ = args
    return float(coupons_remaining(settle, mature, freq))


@register("COUPDAYS", 3, 4)
def coupdays(settlement: Any, maturity: Any, frequency: Any, basis: Any = None) -> float | ExcelError:
    """Days in the coupon period that holds the settlement."""
    args = _coupon_function(settlement, maturity, frequency, basis)
    if isinstance(args, ExcelError):
        return args
    return coupon_period_days(*args)


@register("COUPDAYBS", 3, 4)
def coupdaybs(settlement: Any, maturity: Any, frequency: Any, basis: Any = None) -> float | ExcelError:
    """Days from the start of the coupon period to the settlement."""
    args = _coupon_function(settlement, maturity, frequency, basis)
    if isinstance(args, ExcelError):
        return args
    return days_from_coupon_start(*args)


@register("COUPDAYSNC", 3, 4)
def coupdaysnc(settlement: Any, maturity: Any, frequency: Any, basis: Any = None) -> float | ExcelError:
    """Days from the settlement to the next coupon date."""
    args = _coupon_function(settlement, maturity, frequency, basis)
    if isinstance(args, ExcelError):
        return args
    return days_to_next_coupon(*args)
