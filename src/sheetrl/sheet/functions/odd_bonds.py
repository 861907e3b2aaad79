"""Bonds with an odd (short or long) first or last coupon period: ODDFPRICE, ODDFYIELD, ODDLPRICE, ODDLYIELD.

Excel's documented formulas: the odd period is split into quasi-coupon periods of the regular length; accrued days
(A), days to the first coupon (DSC) and days of the odd period (DC) are each summed over the quasi-periods as
fractions of their length (NL). Quasi-periods step from the coupon dates without the end-of-month rule, and a long
first period's quasi-coupons count the whole periods from the settlement to the first coupon, as Excel counts them
(checked against ExcelFinancialFunctions' Excel-generated cases).
"""

from __future__ import annotations

import math
from typing import Any

from sheetrl.sheet.errors import NUM, ExcelError
from sheetrl.sheet.functions import register
from sheetrl.sheet.functions.bond_schedule import (
    add_months,
    coupon_dates,
    coupon_period_days,
    coupons_remaining,
    days_between,
    frequency_and_basis,
    is_month_end,
    security_dates,
    step_until,
)
from sheetrl.sheet.functions.bonds import numbers, solve_yield
from sheetrl.sheet.functions.date_time import days_in_month
from sheetrl.sheet.functions.day_count import days360_us_financial
from sheetrl.sheet.functions.financial import guarded
from sheetrl.sheet.serials import calendar_ymd


def _days(start: int, end: int, basis: int) -> float:
    """Days from start to end under the basis, never negative."""
    return max(0.0, days_between(start, end, basis))


def _period_days(start: int, end: int, basis: int) -> float:
    """Length of a quasi-coupon period: 30/360 with both ends adjusted for basis 0."""
    if basis == 0:
        return max(0.0, float(days360_us_financial(start, end, adjust_both=True)))
    return _days(start, end, basis)


def _quasi_coupons_before(first_coupon: int, settlement: int, months: int) -> int:
    """Whole quasi-coupon periods from the settlement up to the first coupon (Excel's count for long periods)."""
    year, month, day = calendar_ymd(first_coupon)
    month_end = is_month_end(first_coupon)
    if not month_end and month != 2 and 28 < day < days_in_month(year, month):
        month_end = is_month_end(settlement)
    start = add_months(settlement, 0, month_end)
    count = 1 if settlement < start else 0
    date = add_months(start, months, month_end)
    while date < first_coupon:
        date = add_months(date, months, month_end)
        count += 1
    return count


def odd_first_price(
    settlement: int,
    maturity: int,
    issue: int,
    first_coupon: int,
    rate: float,
    yld: float,
    redemption: float,
    frequency: int,
    basis: int,
) -> float:
    """ODDFPRICE's value per 100 face value."""
    months = 12 // frequency
    period = coupon_period_days(settlement, first_coupon, frequency, basis)
    coupon = 100.0 * rate / frequency
    base = 1.0 + yld / frequency
    odd_days = _days(issue, first_coupon, basis)
    if odd_days < period:  # a short first period
        n = coupons_remaining(settlement, maturity, frequency)
        to_first = _days(settlement, first_coupon, basis) / period
        accrued = _days(issue, settlement, basis) / period
        regular = math.fsum(coupon / base ** (k - 1 + to_first) for k in range(2, n + 1))
        return (
            redemption / base ** (n - 1 + to_first)
            + coupon * odd_days / period / base**to_first
            + regular
            - accrued * coupon
        )
    # A long first period, split into quasi-coupon periods counted back from the first coupon.
    quasi_periods = coupons_remaining(issue, first_coupon, frequency)
    later = first_coupon
    odd_fraction = 0.0
    accrued_fraction = 0.0
    for index in range(quasi_periods, 0, -1):
        earlier = add_months(later, -months, False)
        length = _days(earlier, later, basis) if basis == 1 else period
        covered = length if index > 1 else _days(issue, later, basis)
        accrued = _days(max(issue, earlier), min(settlement, later), basis)
        odd_fraction += covered / length
        accrued_fraction += accrued / length
        later = earlier
    if basis in (2, 3):
        to_first_days = _days(settlement, coupon_dates(settlement, first_coupon, frequency)[1], basis)
    else:
        previous = coupon_dates(settlement, first_coupon, frequency)[0]
        to_first_days = period - days_between(previous, settlement, basis)
    to_first = to_first_days / period
    quasi_before = _quasi_coupons_before(first_coupon, settlement, months)
    n = coupons_remaining(first_coupon, maturity, frequency)
    regular = math.fsum(coupon / base ** (k + quasi_before + to_first) for k in range(1, n + 1))
    return (
        redemption / base ** (to_first + quasi_before + n)
        + coupon * odd_fraction / base ** (quasi_before + to_first)
        + regular
        - coupon * accrued_fraction
    )


def _odd_first_arguments(
    settlement: Any, maturity: Any, issue: Any, first_coupon: Any, values: tuple[Any, ...], frequency: Any, basis: Any
) -> tuple[list[int], list[float], int, int] | ExcelError:
    dates = security_dates(settlement, maturity, issue, first_coupon)
    if isinstance(dates, ExcelError):
        return dates
    args = numbers(*values)
    if isinstance(args, ExcelError):
        return args
    terms = frequency_and_basis(frequency, basis)
    if isinstance(terms, ExcelError):
        return terms
    settle, mature, issued, first = dates
    freq = terms[0]
    if not issued < settle < first < mature:
        return NUM
    # The first coupon must fall on the schedule counted back from maturity.
    months = 12 // freq
    month_end = is_month_end(mature)
    if step_until(add_months(mature, -months, month_end), first, -months, month_end)[0] != first:
        return NUM
    return dates, args, freq, terms[1]


@register("ODDFPRICE", 8, 9)
def oddfprice(
    settlement: Any,
    maturity: Any,
    issue: Any,
    first_coupon: Any,
    rate: Any,
    yld: Any,
    redemption: Any,
    frequency: Any,
    basis: Any = None,
) -> float | ExcelError:
    """Price per 100 face value of a security with an odd (short or long) first period, at a yield."""
    parsed = _odd_first_arguments(settlement, maturity, issue, first_coupon, (rate, yld, redemption), frequency, basis)
    if isinstance(parsed, ExcelError):
        return parsed
    (settle, mature, issued, first), (r, y, value), freq, code = parsed
    if r < 0 or y < 0 or value <= 0:
        return NUM
    return guarded(lambda: odd_first_price(settle, mature, issued, first, r, y, value, freq, code))


@register("ODDFYIELD", 8, 9)
def oddfyield(
    settlement: Any,
    maturity: Any,
    issue: Any,
    first_coupon: Any,
    rate: Any,
    pr: Any,
    redemption: Any,
    frequency: Any,
    basis: Any = None,
) -> float | ExcelError:
    """Yield of a security with an odd first period, at a price."""
    parsed = _odd_first_arguments(settlement, maturity, issue, first_coupon, (rate, pr, redemption), frequency, basis)
    if isinstance(parsed, ExcelError):
        return parsed
    (settle, mature, issued, first), (r, price_value, value), freq, code = parsed
    if r < 0 or price_value <= 0 or value <= 0:
        return NUM
    return guarded(
        lambda: solve_yield(
            lambda y: odd_first_price(settle, mature, issued, first, r, y, value, freq, code), price_value, 0.05
        )
    )


def _odd_last_fractions(
    settlement: int, maturity: int, last_interest: int, frequency: int, basis: int
) -> tuple[float, float, float]:
    """(DC, A, DSC) of the odd last period, each summed over its quasi-coupon periods as fractions of NL."""
    months = 12 // frequency
    quasi_periods = coupons_remaining(last_interest, maturity, frequency)
    earlier = last_interest
    odd_fraction = accrued_fraction = remaining_fraction = 0.0
    for index in range(1, quasi_periods + 1):
        later = add_months(earlier, months, False)
        length = _period_days(earlier, later, basis)
        covered = length if index < quasi_periods else _period_days(earlier, maturity, basis)
        if later < settlement:
            accrued = covered
        elif earlier < settlement:
            accrued = _days(earlier, settlement, basis)
        else:
            accrued = 0.0
        remaining = _days(max(settlement, earlier), min(maturity, later), basis)
        odd_fraction += covered / length
        accrued_fraction += accrued / length
        remaining_fraction += remaining / length
        earlier = later
    return odd_fraction, accrued_fraction, remaining_fraction


def _odd_last_arguments(
    settlement: Any, maturity: Any, last_interest: Any, values: tuple[Any, ...], frequency: Any, basis: Any
) -> tuple[list[int], list[float], int, int] | ExcelError:
    dates = security_dates(settlement, maturity, last_interest)
    if isinstance(dates, ExcelError):
        return dates
    args = numbers(*values)
    if isinstance(args, ExcelError):
        return args
    terms = frequency_and_basis(frequency, basis)
    if isinstance(terms, ExcelError):
        return terms
    settle, mature, last = dates
    if not last < settle < mature:
        return NUM
    return dates, args, terms[0], terms[1]


@register("ODDLPRICE", 7, 8)
def oddlprice(
    settlement: Any,
    maturity: Any,
    last_interest: Any,
    rate: Any,
    yld: Any,
    redemption: Any,
    frequency: Any,
    basis: Any = None,
) -> float | ExcelError:
    """Price per 100 face value of a security with an odd last period, at a yield."""
    parsed = _odd_last_arguments(settlement, maturity, last_interest, (rate, yld, redemption), frequency, basis)
    if isinstance(parsed, ExcelError):
        return parsed
    (settle, mature, last), (r, y, value), freq, code = parsed
    if r < 0 or y < 0 or value <= 0:
        return NUM

    def compute() -> float:
        odd, accrued, remaining = _odd_last_fractions(settle, mature, last, freq, code)
        coupon = 100.0 * r / freq
        return (odd * coupon + value) / (remaining * y / freq + 1.0) - accrued * coupon

    return guarded(compute)


@register("ODDLYIELD", 7, 8)
def oddlyield(
    settlement: Any,
    maturity: Any,
    last_interest: Any,
    rate: Any,
    pr: Any,
    redemption: Any,
    frequency: Any,
    basis: Any = None,
) -> float | ExcelError:
    """Yield of a security with an odd last period, at a price."""
    parsed = _odd_last_arguments(settlement, maturity, last_interest, (rate, pr, redemption), frequency, basis)
    if isinstance(parsed, ExcelError):
        return parsed
    (settle, mature, last), (r, price_value, value), freq, code = parsed
    if r < 0 or price_value <= 0 or value <= 0:
        return NUM

    def compute() -> float:
        odd, accrued, remaining = _odd_last_fractions(settle, mature, last, freq, code)
        coupon = 100.0 * r / freq
        paid = accrued * coupon + price_value
        return (odd * coupon + value - paid) / paid * freq / remaining

    return guarded(compute)
