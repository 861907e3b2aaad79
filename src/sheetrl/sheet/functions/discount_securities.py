"""Discounted and interest-at-maturity securities and Treasury bills.

DISC, INTRATE, RECEIVED, PRICEDISC, YIELDDISC (days from settlement to maturity, DSM, over the basis's year),
PRICEMAT and YIELDMAT (interest paid at maturity, counted from issue) and TBILLPRICE, TBILLYIELD, TBILLEQ (actual
days over a 360-day year; maturity at most one year after settlement). Prices are per 100 of face value.
"""

from __future__ import annotations

import math
from typing import Any

from sheetrl.sheet.errors import NUM, ExcelError
from sheetrl.sheet.functions import register
from sheetrl.sheet.functions.bond_schedule import (
    add_months,
    basis_argument,
    days_between,
    security_dates,
    year_length,
)
from sheetrl.sheet.functions.bonds import numbers
from sheetrl.sheet.functions.financial import guarded


def _term_arguments(
    settlement: Any, maturity: Any, values: tuple[Any, ...], basis: Any
) -> tuple[float, float, list[float]] | ExcelError:
    """(days settlement to maturity, days in the year, the numeric arguments); settlement >= maturity is #NUM!."""
    dates = security_dates(settlement, maturity)
    if isinstance(dates, ExcelError):
        return dates
    args = numbers(*values)
    if isinstance(args, ExcelError):
        return args
    code = basis_argument(basis)
    if isinstance(code, ExcelError):
        return code
    settle, mature = dates
    if settle >= mature:
        return NUM
    return days_between(settle, mature, code), year_length(settle, mature, code), args


@register("DISC", 4, 5)
def disc(settlement: Any, maturity: Any, pr: Any, redemption: Any, basis: Any = None) -> float | ExcelError:
    """Discount rate of a security: (1 - price / redemption) * year / DSM."""
    parsed = _term_arguments(settlement, maturity, (pr, redemption), basis)
    if isinstance(parsed, ExcelError):
        return parsed
    days, year, (price, value) = parsed
    if price <= 0 or value <= 0:
        return NUM
    return guarded(lambda: (1.0 - price / value) * year / days)


@register("INTRATE", 4, 5)
def intrate(
    settlement: Any, maturity: Any, investment: Any, redemption: Any, basis: Any = None
) -> float | ExcelError:
    """Interest rate of a fully invested security: (redemption - investment) / investment * year / DSM."""
    parsed = _term_arguments(settlement, maturity, (investment, redemption), basis)
    if isinstance(parsed, ExcelError):
        return parsed
    days, year, (invested, value) = parsed
    if invested <= 0 or value <= 0:
        return NUM
    return guarded(lambda: (value - invested) / invested * year / days)


@register("RECEIVED", 4, 5)
def received(
    settlement: Any, maturity: Any, investment: Any, discount: Any, basis: Any = None
) -> float | ExcelError:
    """Amount received at maturity for a fully invested security: investment / (1 - discount * DSM / year)."""
    parsed = _term_arguments(settlement, maturity, (investment, discount), basis)
    if isinstance(parsed, ExcelError):
        return parsed
    days, year, (invested, rate) = parsed
    if invested <= 0 or rate <= 0 or rate * days / year >= 1:
        return NUM
    return guarded(lambda: invested / (1.0 - rate * days / year))


@register("PRICEDISC", 4, 5)
def pricedisc(
    settlement: Any, maturity: Any, discount: Any, redemption: Any, basis: Any = None
) -> float | ExcelError:
    """Price per 100 face value of a discounted security: redemption * (1 - discount * DSM / year)."""
    parsed = _term_arguments(settlement, maturity, (discount, redemption), basis)
    if isinstance(parsed, ExcelError):
        return parsed
    days, year, (rate, value) = parsed
    if rate <= 0 or value <= 0:
        return NUM
    return guarded(lambda: value - rate * value * days / year)


@register("YIELDDISC", 4, 5)
def yielddisc(settlement: Any, maturity: Any, pr: Any, redemption: Any, basis: Any = None) -> float | ExcelError:
    """Annual yield of a discounted security: (redemption - price) / price * year / DSM."""
    parsed = _term_arguments(settlement, maturity, (pr, redemption), basis)
    if isinstance(parsed, ExcelError):
        return parsed
    days, year, (price, value) = parsed
    if price <= 0 or value <= 0:
        return NUM
    return guarded(lambda: (value - price) / price * year / days)


def _maturity_terms(
    settlement: Any, maturity: Any, issue: Any, values: tuple[Any, ...], basis: Any
) -> tuple[float, float, float, float, list[float]] | ExcelError:
    """(year, days issue-maturity, days issue-settlement, days settlement-maturity, numeric arguments)."""
    dates = security_dates(settlement, maturity, issue)
    if isinstance(dates, ExcelError):
        return dates
    args = numbers(*values)
    if isinstance(args, ExcelError):
        return args
    code = basis_argument(basis)
    if isinstance(code, ExcelError):
        return code
    settle, mature, issued = dates
    if not issued < settle < mature:
        return NUM
    to_maturity = days_between(issued, mature, code)
    accrued = days_between(issued, settle, code)
    year = year_length(issued, settle, code)
    return year, to_maturity, accrued, to_maturity - accrued, args


@register("PRICEMAT", 5, 6)
def pricemat(
    settlement: Any, maturity: Any, issue: Any, rate: Any, yld: Any, basis: Any = None
) -> float | ExcelError:
    """Price per 100 face value of a security that pays its interest at maturity, at a yield."""
    parsed = _maturity_terms(settlement, maturity, issue, (rate, yld), basis)
    if isinstance(parsed, ExcelError):
        return parsed
    year, to_maturity, accrued, remaining, (r, y) = parsed
    if r < 0 or y < 0:
        return NUM
    return guarded(
        lambda: (100.0 + to_maturity / year * r * 100.0) / (1.0 + remaining / year * y) - accrued / year * r * 100.0
    )


@register("YIELDMAT", 5, 6)
def yieldmat(
    settlement: Any, maturity: Any, issue: Any, rate: Any, pr: Any, basis: Any = None
) -> float | ExcelError:
    """Annual yield of a security that pays its interest at maturity, at a price."""
    parsed = _maturity_terms(settlement, maturity, issue, (rate, pr), basis)
    if isinstance(parsed, ExcelError):
        return parsed
    year, to_maturity, accrued, remaining, (r, price) = parsed
    if r < 0 or price <= 0:
        return NUM

    def compute() -> float:
        paid = price / 100.0 + accrued / year * r
        return (to_maturity / year * r + 1.0 - paid) / paid * year / remaining

    return guarded(compute)


# ================================================================================================ Treasury bills
def _bill_days(settlement: Any, maturity: Any, value: Any) -> tuple[int, float] | ExcelError:
    """(days settlement to maturity, the rate or price); more than a year, or a value <= 0, is #NUM!."""
    dates = security_dates(settlement, maturity)
    if isinstance(dates, ExcelError):
        return dates
    args = numbers(value)
    if isinstance(args, ExcelError):
        return args
    settle, mature = dates
    one_year_later = add_months(settle, 12, False)
    number = args[0]
    if settle >= mature or mature > one_year_later or number <= 0:
        return NUM
    return mature - settle, number


@register("TBILLPRICE", 3)
def tbillprice(settlement: Any, maturity: Any, discount: Any) -> float | ExcelError:
    """Price per 100 face value of a Treasury bill: 100 * (1 - discount * DSM / 360)."""
    parsed = _bill_days(settlement, maturity, discount)
    if isinstance(parsed, ExcelError):
        return parsed
    days, rate = parsed
    result = 100.0 * (1.0 - rate * days / 360.0)
    return result if result > 0 else NUM


@register("TBILLYIELD", 3)
def tbillyield(settlement: Any, maturity: Any, pr: Any) -> float | ExcelError:
    """Yield of a Treasury bill: (100 - price) / price * 360 / DSM."""
    parsed = _bill_days(settlement, maturity, pr)
    if isinstance(parsed, ExcelError):
        return parsed
    days, price = parsed
    return guarded(lambda: (100.0 - price) / price * 360.0 / days)


@register("TBILLEQ", 3)
def tbilleq(settlement: Any, maturity: Any, discount: Any) -> float | ExcelError:
    """Bond-equivalent yield of a Treasury bill (the quadratic form for bills longer than half a year)."""
    parsed = _bill_days(settlement, maturity, discount)
    if isinstance(parsed, ExcelError):
        return parsed
    days, rate = parsed

    def compute() -> float:
        if days <= 182:
            return 365.0 * rate / (360.0 - rate * days)
        price = 1.0 - rate * days / 360.0
        year = 366.0 if days == 366 else 365.0
        half_years = 2.0 * days / year - 1.0
        root = math.sqrt((days / year) ** 2 - half_years * (1.0 - 1.0 / price))
        return 2.0 * (root - days / year) / half_years

    return guarded(compute)
