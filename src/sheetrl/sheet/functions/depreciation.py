"""Depreciation of an asset: SLN, SYD, DB, DDB, VDB, AMORLINC and AMORDEGRC.

The declining-balance functions accept fractional periods the way Excel does: DDB discounts by a fractional power
of (1 - rate); VDB takes the part of a period up to a fractional end (VDB(..., 0, 0.5) is half of the first
period's depreciation) and, from a fractional start, lays whole periods out from that start; DB truncates the
period and the month.
AMORLINC and AMORDEGRC follow the French accounting system (the first period is prorated from the purchase date
to the end of the first period under the day-count basis; AMORDEGRC multiplies the rate by a coefficient of the
asset's life and rounds each period to whole currency units), including Excel's quirks measured by the
ExcelFinancialFunctions project: a 29 February purchase counts as the 28th on bases 1 and 3, and the last two
periods of AMORDEGRC split the remaining value in halves.
"""

from __future__ import annotations

import math
from typing import Any

from sheetrl.sheet.errors import DIV0, NUM, ExcelError
from sheetrl.sheet.functions import register
from sheetrl.sheet.functions.arguments import OMITTED, numbers
from sheetrl.sheet.functions.date_arguments import (
    atp_day_argument,
    atp_integer_argument,
)
from sheetrl.sheet.functions.date_time import serial_to_ymd, ymd_to_serial
from sheetrl.sheet.functions.day_count import (
    days360_european,
    days360_us_financial,
    is_leap_year,
)
from sheetrl.sheet.functions.financial import guarded
from sheetrl.sheet.values import to_bool

# VDB, AMORLINC and AMORDEGRC step through the periods; beyond this many they give #NUM!.
MAX_PERIODS = 100_000



@register("SLN", 3)
def sln(cost: Any, salvage: Any, life: Any) -> float | ExcelError:
    """Straight-line depreciation per period: (cost - salvage) / life."""
    args = numbers(cost, salvage, life)
    if isinstance(args, ExcelError):
        return args
    c, s, n = args
    if n == 0:
        return DIV0
    return guarded(lambda: (c - s) / n)


@register("SYD", 4)
def syd(cost: Any, salvage: Any, life: Any, per: Any) -> float | ExcelError:
    """Sum-of-years'-digits depreciation of period ``per`` (0 < per <= life)."""
    args = numbers(cost, salvage, life, per)
    if isinstance(args, ExcelError):
        return args
    c, s, n, p = args
    if s < 0 or n <= 0 or p <= 0 or p > n:
        return NUM
    return guarded(lambda: (c - s) * (n - p + 1) * 2 / (n * (n + 1)))


@register("DB", 4, 5)
def db(cost: Any, salvage: Any, life: Any, period: Any, month: Any = None) -> float | ExcelError:
    """Fixed-declining-balance depreciation: the rate 1 - (salvage/cost)^(1/life) rounded to three decimals; the
    first period covers ``month`` months (default 12) and period life + 1 the rest of the last year. The period
    and the month are truncated to whole numbers (a period below 1 is the first)."""
    args = numbers(cost, salvage, life, period, 12.0 if month is None else month)
    if isinstance(args, ExcelError):
        return args
    c, s, n, p, m = args
    if p <= 0:
        return NUM
    # Excel truncates the period (a fraction of the first counts as the first) and the month to whole numbers
    # (measured on workbooks it calculated).
    p, m = max(1, math.trunc(p)), math.trunc(m)
    if c < 0 or s < 0 or n <= 0 or m < 1 or m > 12 or p > n + 1 or (p > n and m == 12):
        return NUM
    if c == 0:
        return 0.0

    def compute() -> float:
        rate = round(1.0 - (s / c) ** (1.0 / n), 3)
        first = c * rate * m / 12.0
        whole_period = math.floor(p)
        if whole_period <= 1:
            return first
        # After the first period the book value shrinks by the factor (1 - rate) each period.
        if p > n:
            return (c - first) * (1.0 - rate) ** (math.floor(n) - 1) * rate * (12.0 - m) / 12.0
        return (c - first) * (1.0 - rate) ** (whole_period - 2) * rate

    return guarded(compute)


def _depreciation_through(
    cost: float, salvage: float, life: float, period: float, factor: float, straight_line: bool
) -> float:
    """Total declining-balance depreciation from the start to ``period`` (interpolated within a period).

    Each period takes the declining balance (cost - total) * factor / life, never below salvage; with
    ``straight_line`` it takes the straight line over the remaining life instead when that is larger.
    """
    whole = math.floor(period)
    fraction = period - whole
    if whole > MAX_PERIODS:
        raise ValueError(f"more than {MAX_PERIODS} periods")

    def step(total: float, elapsed: float) -> float:
        declining = min((cost - total) * factor / life, cost - salvage - total)
        if not straight_line:
            return declining
        remaining = life - elapsed
        straight = (cost - total - salvage) / remaining if remaining != 0 else math.inf
        return max(declining, straight)

    total = 0.0
    elapsed = 0.0
    while True:
        total_after = total + step(total, elapsed)
        if whole == 0:
            return total_after * fraction
        if elapsed == whole - 1:
            if fraction == 0:
                return total_after
            next_declining = min((cost - total_after) * factor / life, cost - salvage - total_after)
            next_step = step(total_after, elapsed + 1)
            if straight_line and next_declining < next_step and whole == math.floor(life):
                next_step = 0.0
            return total_after + next_step * fraction
        total = total_after
        elapsed += 1


@register("DDB", 4, 5)
def ddb(cost: Any, salvage: Any, life: Any, period: Any, factor: Any = OMITTED) -> float | ExcelError:
    """Double-declining-balance depreciation (or any ``factor``, default 2) of ``period`` (0 < period <= life).

    Only a factor left out is 2: an empty cell (or an empty argument) is 0, which is #NUM! (Excel's value for
    DDB(100,10,4,3,F14) with F14 empty, IronCalc's DB_DDB.xlsx)."""
    args = numbers(cost, salvage, life, period, 2.0 if factor is OMITTED else factor)
    if isinstance(args, ExcelError):
        return args
    c, s, n, p, f = args
    if c < 0 or s < 0 or n <= 0 or f <= 0 or p <= 0 or p > n:
        return NUM

    rate = f / n

    def total_through(periods: float) -> float:
        """Declining-balance depreciation of the first periods: cost * (1 - (1 - rate)^k), at most cost - salvage.

        A fractional k is used as it is (Excel's and LibreOffice's DDB(..., 3.2) discounts by (1 - rate)^2.2)."""
        if periods == 0:
            return 0.0
        if rate >= 1:
            return min(c * rate, c - s)
        return min(c * -math.expm1(periods * math.log1p(-rate)), c - s)

    def compute() -> float:
        if p < 1:
            return min(c * rate, c - s)
        if rate >= 1:
            return total_through(math.floor(p)) - total_through(math.floor(p - 1))
        return max(0.0, total_through(p) - total_through(p - 1))

    return guarded(compute)


@register("VDB", 5, 7)
def vdb(
    cost: Any, salvage: Any, life: Any, start: Any, end: Any, factor: Any = None, no_switch: Any = None
) -> float | ExcelError:
    """Declining-balance depreciation between two (possibly fractional) periods, switching to straight line when
    that is larger unless ``no_switch`` is TRUE."""
    args = numbers(cost, salvage, life, start, end, 2.0 if factor is None else factor)
    if isinstance(args, ExcelError):
        return args
    c, s, n, first, last, f = args
    keep_declining = False if no_switch is None else to_bool(no_switch)
    if isinstance(keep_declining, ExcelError):
        return keep_declining
    if c < 0 or s < 0 or n <= 0 or f <= 0 or first < 0 or first > last or last > n:
        return NUM
    straight_line = not keep_declining
    if straight_line and first == last == n:
        return NUM
    if first != math.floor(first):
        return guarded(lambda: _depreciation_on_shifted_periods(c, s, n, first, last, f, straight_line))
    return guarded(
        lambda: _depreciation_through(c, s, n, last, f, straight_line)
        - _depreciation_through(c, s, n, first, f, straight_line)
    )


def _depreciation_on_shifted_periods(
    cost: float, salvage: float, life: float, first: float, last: float, factor: float, straight_line: bool
) -> float:
    """VDB from a fractional start period, as Excel computes it (measured on a workbook it calculated).

    Excel lays the periods out from the start: a first short period up to the start's fraction, then whole periods
    from the start, the last one cut at the end of the life. Each period takes the declining balance for its length
    (or, when switching, the straight line over the remaining life if larger), never below salvage; an end inside a
    period takes that part of it. LibreOffice keeps whole periods from 0 and interpolates, which differs once the
    straight line takes over.
    """
    if last - first > MAX_PERIODS:
        raise ValueError(f"more than {MAX_PERIODS} periods")
    whole = math.floor(first)
    fraction = first - whole
    depreciated = 0.0
    result = 0.0
    period = 0  # period 0 is [0, fraction], period k > 0 starts at fraction + k - 1; the first counted is whole + 1
    while (start := 0.0 if period == 0 else fraction + period - 1) < last:
        length = min(fraction if period == 0 else 1.0, life - start)
        value = cost - depreciated
        amount = value * factor / life * length
        if straight_line:
            amount = max(amount, (value - salvage) / (life - start) * length)
        amount = min(amount, value - salvage)
        if period > whole:
            result += amount * min(1.0, (last - start) / length)
        depreciated += amount
        period += 1
    return result


# ================================================================================================ French accounting
def _amortization_arguments(
    cost: Any, purchased: Any, first_period: Any, salvage: Any, period: Any, rate: Any, basis: Any
) -> tuple[float, int, int, float, float, float, int] | ExcelError:
    values = numbers(cost, salvage, period, rate)
    if isinstance(values, ExcelError):
        return values
    c, s, p, r = values
    bought = atp_day_argument(purchased)
    if isinstance(bought, ExcelError):
        return bought
    first_end = atp_day_argument(first_period)
    if isinstance(first_end, ExcelError):
        return first_end
    code = 0 if basis is None else atp_integer_argument(basis)
    if isinstance(code, ExcelError):
        return code
    if c < 0 or s < 0 or s > c or p < 0 or r <= 0 or bought > first_end or code not in (0, 1, 3, 4):
        return NUM
    return c, bought, first_end, s, p, r, code


def _first_period_depreciation(
    cost: float, bought: int, first_end: int, salvage: float, rate: float, life: float, basis: int
) -> tuple[float, float]:
    """(depreciation of the prorated first period, asset life counting that extra period)."""

    def without_february_29(serial: int) -> int:
        year, month, day = serial_to_ymd(serial)
        if basis in (1, 3) and is_leap_year(year) and month == 2 and day >= 28:
            return ymd_to_serial(year, 2, 28)
        return serial

    if basis == 1:
        year_length = 366.0 if is_leap_year(serial_to_ymd(bought)[0]) else 365.0
    else:
        year_length = 365.0 if basis == 3 else 360.0
    start, end = without_february_29(bought), without_february_29(first_end)
    if basis == 0:
        days = days360_us_financial(start, end)
    elif basis == 4:
        days = days360_european(start, end)
    else:
        days = end - start
    prorated = days / year_length * rate * cost
    if prorated == 0:
        return min(cost * rate, cost - salvage), life
    return min(prorated, cost - salvage), life + 1


def _round_currency(value: float) -> float:
    """Round to a whole unit, half away from zero, after rounding away binary noise at 13 decimals."""
    cleaned = round(value, 13)
    return float(math.floor(abs(cleaned) + 0.5)) * (1 if cleaned >= 0 else -1)


@register("AMORLINC", 6, 7)
def amorlinc(
    cost: Any, date_purchased: Any, first_period: Any, salvage: Any, period: Any, rate: Any, basis: Any = None
) -> float | ExcelError:
    """Linear depreciation of an accounting period under the French system (the first period prorated)."""
    args = _amortization_arguments(cost, date_purchased, first_period, salvage, period, rate, basis)
    if isinstance(args, ExcelError):
        return args
    c, bought, first_end, s, p, r, code = args
    life = math.ceil(1.0 / r)
    if c == s or p > life:
        return 0.0
    if p > MAX_PERIODS:
        return NUM
    first, _ = _first_period_depreciation(c, bought, first_end, s, r, life, code)
    if p == 0:
        return first
    depreciation = r * c
    available = c - s - first
    counted = 1
    while counted <= p:
        depreciation = min(depreciation, available)
        available = max(available - depreciation, 0.0)
        counted += 1
    return depreciation


def _degressive_coefficient(life: float) -> float:
    if 3 <= life <= 4:
        return 1.5
    if 5 <= life <= 6:
        return 2.0
    if life > 6:
        return 2.5
    return 1.0


@register("AMORDEGRC", 6, 7)
def amordegrc(
    cost: Any, date_purchased: Any, first_period: Any, salvage: Any, period: Any, rate: Any, basis: Any = None
) -> float | ExcelError:
    """Degressive depreciation of an accounting period under the French system: the rate times a coefficient of
    the asset's life (1.5, 2 or 2.5), whole currency units, the last two periods sharing what remains."""
    args = _amortization_arguments(cost, date_purchased, first_period, salvage, period, rate, basis)
    if isinstance(args, ExcelError):
        return args
    c, bought, first_end, s, p, r, code = args
    nominal_life = 1.0 / r
    if 0 <= nominal_life <= 3 or 4 <= nominal_life <= 5:
        return NUM
    life = math.ceil(nominal_life)
    if c == s or p > life:
        return 0.0
    if p > MAX_PERIODS:
        return NUM
    degressive_rate = r * _degressive_coefficient(life)
    first_raw, extended_life = _first_period_depreciation(c, bought, first_end, s, degressive_rate, life, code)
    first = _round_currency(first_raw)
    if p == 0:
        return first
    remaining = c - first
    depreciation = 0.0
    counted = 1
    while counted <= p:
        counted += 1
        periods_left = extended_life - counted
        if abs(periods_left - 2) < 1e-4:
            planned = remaining * 0.5
            degressive_rate = 1.0
        else:
            planned = degressive_rate * remaining
        depreciation = max(remaining - s, 0.0) if remaining < s else planned
        remaining -= depreciation
    return _round_currency(depreciation)
