"""Coupon bonds: ACCRINT, ACCRINTM, PRICE, YIELD, DURATION, MDURATION and the odd-period ODDFPRICE, ODDFYIELD,
ODDLPRICE, ODDLYIELD.

Prices are per 100 of face value. The formulas are those of Excel's documentation, with the day counts Excel
actually uses (see :mod:`.bond_schedule`): the days before settlement (A) are counted under the basis and the days
after it are the coupon period's length minus A. The yields are found by a safeguarded Newton iteration on the
price, to full precision (the price falls as the yield rises).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from sheetrl.sheet.errors import NUM, ExcelError
from sheetrl.sheet.functions import register
from sheetrl.sheet.functions.arguments import numbers
from sheetrl.sheet.functions.bond_schedule import (
    add_months,
    basis_argument,
    coupon_dates,
    coupon_period_days,
    coupons_remaining,
    days_between,
    days_between_as_denominator,
    days_from_coupon_start,
    frequency_and_basis,
    is_month_end,
    security_dates,
    year_length,
)
from sheetrl.sheet.functions.day_count import days360_us_financial
from sheetrl.sheet.functions.financial import guarded
from sheetrl.sheet.functions.special_functions import solve_increasing
from sheetrl.sheet.values import to_bool


def solve_yield(price_at: Callable[[float], float], target: float, guess: float) -> float:
    """The yield at which a (decreasing) price function equals ``target``, to full precision.

    The price is differentiated numerically; :func:`solve_increasing` keeps the root bracketed between -frequency
    (where a coupon discount factor vanishes) and an upper bound found by doubling.
    """

    def excess(y: float) -> float:
        return target - price_at(y)

    def slope(y: float) -> float:
        h = 1e-6 * max(1.0, abs(y))
        return (price_at(y - h) - price_at(y + h)) / (2 * h)

    low = -0.999999
    if excess(low) > 0:
        raise ValueError("no yield gives this price")
    return solve_increasing(excess, slope, low, math.inf, guess)


# ================================================================================================ accrued interest
@register("ACCRINTM", 3, 5)
def accrintm(issue: Any, settlement: Any, rate: Any, par: Any = None, basis: Any = None) -> float | ExcelError:
    """Interest accrued by a security paying at maturity, from issue to settlement (par defaults to 1,000)."""
    dates = security_dates(issue, settlement)
    if isinstance(dates, ExcelError):
        return dates
    args = numbers(rate, 1000.0 if par is None else par)
    if isinstance(args, ExcelError):
        return args
    code = basis_argument(basis)
    if isinstance(code, ExcelError):
        return code
    start, end = dates
    r, face = args
    if start >= end or r <= 0 or face <= 0:
        return NUM
    return guarded(lambda: face * r * days_between(start, end, code) / year_length(start, end, code))


def accrued_coupons(
    issue: int, first_interest: int, settlement: int, frequency: int, basis: int, from_issue: bool
) -> float:
    """Accrued interest of ACCRINT in coupon periods (multiply by par * rate / frequency).

    Up to the first interest date the accrual is counted period by period back from the coupon period that ends at
    the first interest date down to the issue date; each period contributes its accrued days over its length under
    the basis. Without ``from_issue``, periods before the first interest date count 0. With ``from_issue`` and a
    settlement after the first interest date, see :func:`_accrued_after_first_interest`.
    """
    if settlement > first_interest and from_issue:
        return _accrued_after_first_interest(issue, first_interest, settlement, frequency, basis)
    months = 12 // frequency
    month_end = is_month_end(first_interest)
    period_start = add_months(first_interest, -months, month_end)
    accrual_start = max(issue, period_start)
    period_days = coupon_period_days(period_start, first_interest, frequency, basis)
    total = days_between(accrual_start, settlement, basis) / period_days

    later = period_start
    while later > issue:
        earlier = add_months(later, -months, month_end)
        if issue <= earlier:
            total += 1.0 if from_issue else 0.0
        else:
            start = max(issue, earlier)
            if basis == 0:
                days = float(days360_us_financial(start, later, adjust_both=issue <= earlier))
                length = float(days360_us_financial(earlier, later, adjust_both=True))
            else:
                days = days_between(start, later, basis)
                length = 365.0 / frequency if basis == 3 else days_between_as_denominator(earlier, later, basis)
            total += days / length
        later = earlier
    return total


def _accrued_after_first_interest(
    issue: int, first_interest: int, settlement: int, frequency: int, basis: int
) -> float:
    """ACCRINT's accrual from the issue date to a settlement after the first interest date, as Excel computes it
    (measured on 400 cells of a workbook Excel calculated, every basis and frequency).

    Each whole coupon period up to the last coupon date strictly before the settlement counts 1 (a short first
    period before the first interest date counts as it would at that date); the days from that coupon date to the
    settlement (30/360 for bases 0 and 4, actual otherwise) are divided by a nominal period length: 360 or 365 /
    frequency, and for basis 1 the actual length of the coupon period that ends at the first interest date, not of
    the period holding the settlement.
    """
    months = 12 // frequency
    month_end = is_month_end(first_interest)
    total = 0.0
    later = first_interest
    while later > issue:
        earlier = add_months(later, -months, month_end)
        total += 1.0 if issue <= earlier else accrued_coupons(issue, later, later, frequency, basis, True)
        later = earlier
    coupon = first_interest
    while (following := add_months(coupon, months, month_end)) < settlement:
        coupon = following
        total += 1.0
    if basis == 1:
        length = float(first_interest - add_months(first_interest, -months, month_end))
    else:
        length = (365.0 if basis == 3 else 360.0) / frequency
    return total + days_between(coupon, settlement, basis) / length


@register("ACCRINT", 6, 8)
def accrint(
    issue: Any,
    first_interest: Any,
    settlement: Any,
    rate: Any,
    par: Any,
    frequency: Any,
    basis: Any = None,
    calc_method: Any = None,
) -> float | ExcelError:
    """Interest accrued by a periodic-coupon security up to settlement; calc_method TRUE (default) accrues from
    the issue date, FALSE from the first interest date when settlement is after it."""
    dates = security_dates(issue, first_interest, settlement)
    if isinstance(dates, ExcelError):
        return dates
    args = numbers(rate, 1000.0 if par is None else par)
    if isinstance(args, ExcelError):
        return args
    terms = frequency_and_basis(frequency, basis)
    if isinstance(terms, ExcelError):
        return terms
    from_issue = True if calc_method is None else to_bool(calc_method)
    if isinstance(from_issue, ExcelError):
        return from_issue
    start, first, end = dates
    r, face = args
    freq, code = terms
    if start >= end or r <= 0 or face <= 0:
        return NUM
    return guarded(lambda: face * r / freq * accrued_coupons(start, first, end, freq, code, bool(from_issue)))


# ================================================================================================ price and yield
def _price_factors(settlement: int, maturity: int, frequency: int, basis: int) -> tuple[int, float, float]:
    """(coupons remaining N, days accrued A, days in the coupon period E)."""
    previous, _ = coupon_dates(settlement, maturity, frequency)
    return (
        coupons_remaining(settlement, maturity, frequency),
        days_between(previous, settlement, basis),
        coupon_period_days(settlement, maturity, frequency, basis),
    )


def bond_price(
    settlement: int, maturity: int, rate: float, yld: float, redemption: float, frequency: int, basis: int
) -> float:
    """PRICE: the clean price per 100 face value at a yield."""
    n, accrued_days, period_days = _price_factors(settlement, maturity, frequency, basis)
    to_next = (period_days - accrued_days) / period_days
    coupon = 100.0 * rate / frequency
    accrued = coupon * accrued_days / period_days
    if n == 1:
        return (redemption + coupon) / (1.0 + to_next * yld / frequency) - accrued
    base = 1.0 + yld / frequency
    coupons = math.fsum(coupon / base ** (k - 1 + to_next) for k in range(1, n + 1))
    return redemption / base ** (n - 1 + to_next) + coupons - accrued


def _bond_arguments(
    settlement: Any, maturity: Any, values: tuple[Any, ...], frequency: Any, basis: Any
) -> tuple[int, int, list[float], int, int] | ExcelError:
    dates = security_dates(settlement, maturity)
    if isinstance(dates, ExcelError):
        return dates
    args = numbers(*values)
    if isinstance(args, ExcelError):
        return args
    terms = frequency_and_basis(frequency, basis)
    if isinstance(terms, ExcelError):
        return terms
    settle, mature = dates
    if settle >= mature:
        return NUM
    return settle, mature, args, terms[0], terms[1]


@register("PRICE", 6, 7)
def price(
    settlement: Any, maturity: Any, rate: Any, yld: Any, redemption: Any, frequency: Any, basis: Any = None
) -> float | ExcelError:
    """Price per 100 face value of a security paying periodic interest, at a yield."""
    parsed = _bond_arguments(settlement, maturity, (rate, yld, redemption), frequency, basis)
    if isinstance(parsed, ExcelError):
        return parsed
    settle, mature, (r, y, value), freq, code = parsed
    if r < 0 or y < 0 or value <= 0:
        return NUM
    return guarded(lambda: bond_price(settle, mature, r, y, value, freq, code))


@register("YIELD", 6, 7)
def yield_(
    settlement: Any, maturity: Any, rate: Any, pr: Any, redemption: Any, frequency: Any, basis: Any = None
) -> float | ExcelError:
    """Yield of a security paying periodic interest, at a price (closed form within the last coupon period)."""
    parsed = _bond_arguments(settlement, maturity, (rate, pr, redemption), frequency, basis)
    if isinstance(parsed, ExcelError):
        return parsed
    settle, mature, (r, price_value, value), freq, code = parsed
    if r < 0 or price_value <= 0 or value <= 0:
        return NUM
    n, accrued_days, period_days = _price_factors(settle, mature, freq, code)

    def compute() -> float:
        if n <= 1:
            to_next = period_days - accrued_days
            growth = (value / 100 + r / freq) / (price_value / 100 + accrued_days / period_days * r / freq) - 1
            return growth * freq * period_days / to_next
        return solve_yield(lambda y: bond_price(settle, mature, r, y, value, freq, code), price_value, 0.05)

    return guarded(compute)


def _duration(settlement: int, maturity: int, coupon: float, yld: float, frequency: int, basis: int) -> float:
    """Macaulay duration in years."""
    period_days = coupon_period_days(settlement, maturity, frequency, basis)
    to_next = (period_days - days_from_coupon_start(settlement, maturity, frequency, basis)) / period_days
    n = coupons_remaining(settlement, maturity, frequency)
    base = 1.0 + yld / frequency
    last_time = to_next + n - 1
    weighted = last_time * 100.0 / base**last_time
    value = 100.0 / base**last_time
    coupon_amount = 100.0 * coupon / frequency
    for k in range(1, n + 1):
        time = k - 1 + to_next
        discounted = coupon_amount / base**time
        weighted += discounted * time
        value += discounted
    return weighted / value / frequency


@register("DURATION", 5, 6)
def duration(
    settlement: Any, maturity: Any, coupon: Any, yld: Any, frequency: Any, basis: Any = None
) -> float | ExcelError:
    """Macaulay duration (in years) of a security paying periodic interest."""
    parsed = _bond_arguments(settlement, maturity, (coupon, yld), frequency, basis)
    if isinstance(parsed, ExcelError):
        return parsed
    settle, mature, (c, y), freq, code = parsed
    if c < 0 or y < 0:
        return NUM
    return guarded(lambda: _duration(settle, mature, c, y, freq, code))


@register("MDURATION", 5, 6)
def mduration(
    settlement: Any, maturity: Any, coupon: Any, yld: Any, frequency: Any, basis: Any = None
) -> float | ExcelError:
    """Modified duration: DURATION / (1 + yld / frequency)."""
    parsed = _bond_arguments(settlement, maturity, (coupon, yld), frequency, basis)
    if isinstance(parsed, ExcelError):
        return parsed
    settle, mature, (c, y), freq, code = parsed
    if c < 0 or y < 0:
        return NUM
    return guarded(lambda: _duration(settle, mature, c, y, freq, code) / (1.0 + y / freq))
