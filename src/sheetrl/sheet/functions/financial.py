"""Financial functions on the time value of money: annuities and loans, interest-rate conversions.

PMT, FV, PV, NPER, RATE, IPMT, PPMT, CUMIPMT, CUMPRINC, ISPMT, PDURATION, RRI, EFFECT, NOMINAL, DOLLARDE and
DOLLARFR. Cash-flow analysis (NPV, IRR, XIRR ...) is in :mod:`.cash_flows`, depreciation in :mod:`.depreciation`,
bonds in :mod:`.securities`.

Sign convention as in Excel: money paid out is negative, money received is positive. ``type`` 0 means payments at
the end of each period, any other value at the beginning. The iterative solver (RATE) is capped at 100 iterations
and returns #NUM! when it does not converge.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from sheetrl.sheet.errors import DIV0, NUM, VALUE, ExcelError
from sheetrl.sheet.functions import register
from sheetrl.sheet.functions.arguments import numbers
from sheetrl.sheet.values import check_number, to_number

MAX_ITERATIONS = 100
_TOLERANCE = 1e-10


def atp_numbers(*args: Any) -> list[float] | ExcelError:
    """:func:`_numbers` for the Analysis ToolPak functions (CUMIPMT, EFFECT, DOLLARDE ...): a logical argument is
    #VALUE!, as Excel caches it in real workbooks (the built-in PMT reads TRUE as 1)."""
    for arg in args:
        if isinstance(arg, ExcelError):
            return arg
        if type(arg) is bool:
            return VALUE
    return numbers(*args)


def guarded(compute: Callable[[], float | ExcelError]) -> float | ExcelError:
    """Run a closed-form computation, mapping overflow and invalid results to #NUM! and division by zero to
    #DIV/0!."""
    try:
        result = compute()
    except ZeroDivisionError:
        return DIV0
    except (OverflowError, ValueError):
        return NUM
    return result if isinstance(result, ExcelError) else check_number(result)


def _annuity_factor(rate: float, nper: float) -> tuple[float, float]:
    """((1+rate)^nper, ((1+rate)^nper - 1)/rate), the latter accurate for small rates. Raises on invalid input."""
    if rate > -1:
        log_growth = nper * math.log1p(rate)
        return math.exp(log_growth), math.expm1(log_growth) / rate
    if rate == -1 and nper < 0:
        raise ZeroDivisionError("0 to a negative power")  # FV(-1, -1, 1) is #DIV/0! in Excel
    growth = math.pow(1 + rate, nper)  # ValueError (-> #NUM!) for a fractional power of a negative number
    return growth, (growth - 1) / rate


@register("PMT", 3, 5)
def pmt(rate: Any, nper: Any, pv: Any, fv: Any = None, type_: Any = None) -> float | ExcelError:
    """Payment per period of a loan or annuity with constant payments and a constant rate."""
    args = numbers(rate, nper, pv, fv, type_)
    if isinstance(args, ExcelError):
        return args
    r, n, p, f, t = args
    due = 1.0 if t != 0 else 0.0
    if n == 0 or r <= -1:  # a rate of -100% or below is #NUM! (as Excel caches it)
        return NUM
    if r == 0:
        return guarded(lambda: -(p + f) / n)

    def compute() -> float:
        growth, factor = _annuity_factor(r, n)
        return -(p * growth + f) / ((1 + r * due) * factor)

    return guarded(compute)


@register("FV", 3, 5)
def fv(rate: Any, nper: Any, pmt: Any, pv: Any = None, type_: Any = None) -> float | ExcelError:
    """Future value of an investment with constant payments and a constant rate."""
    args = numbers(rate, nper, pmt, pv, type_)
    if isinstance(args, ExcelError):
        return args
    r, n, payment, p, t = args
    due = 1.0 if t != 0 else 0.0
    if r == 0:
        return guarded(lambda: -(p + payment * n))

    def compute() -> float:
        growth, factor = _annuity_factor(r, n)
        return -(p * growth + payment * (1 + r * due) * factor)

    return guarded(compute)


@register("PV", 3, 5)
def pv(rate: Any, nper: Any, pmt: Any, fv: Any = None, type_: Any = None) -> float | ExcelError:
    """Present value of an investment with constant payments and a constant rate."""
    args = numbers(rate, nper, pmt, fv, type_)
    if isinstance(args, ExcelError):
        return args
    r, n, payment, f, t = args
    due = 1.0 if t != 0 else 0.0
    if r <= -1:  # as Excel caches it
        return NUM
    if r == 0:
        return guarded(lambda: -(f + payment * n))

    def compute() -> float:
        growth, factor = _annuity_factor(r, n)
        return -(f + payment * (1 + r * due) * factor) / growth

    return guarded(compute)


@register("NPER", 3, 5)
def nper(rate: Any, pmt: Any, pv: Any, fv: Any = None, type_: Any = None) -> float | ExcelError:
    """Number of periods for an investment with constant payments and a constant rate."""
    args = numbers(rate, pmt, pv, fv, type_)
    if isinstance(args, ExcelError):
        return args
    r, payment, p, f, t = args
    due = 1.0 if t != 0 else 0.0
    if r <= -1:  # as Excel caches it
        return NUM
    if r == 0:
        if payment == 0:
            return NUM
        return guarded(lambda: -(p + f) / payment)

    def compute() -> float:
        adjusted = payment * (1 + r * due)
        if adjusted + p * r == 0:
            return NUM  # type: ignore[return-value]
        ratio = (adjusted - f * r) / (adjusted + p * r)
        if ratio <= 0 or r <= -1:
            return NUM  # type: ignore[return-value]
        return math.log(ratio) / math.log1p(r)

    return guarded(compute)


def newton_rate(
    function: Callable[[float], tuple[float, float]], guess: float, iterations: int, small_value: float
) -> float | None:
    """Newton's method kept above -1 (rates at or below -100% are meaningless); None if it does not converge.

    Converged when the step is negligible or the function's value is below ``small_value``.
    """
    rate = guess
    for _ in range(iterations):
        try:
            value, slope = function(rate)
        except (OverflowError, ZeroDivisionError, ValueError):
            return None
        if not (math.isfinite(value) and math.isfinite(slope)):
            return None
        if abs(value) <= small_value:
            return rate
        if slope == 0:
            return None
        step = value / slope
        new_rate = rate - step
        if new_rate <= -1:
            new_rate = (rate - 1) / 2  # halfway towards -100%
        if abs(new_rate - rate) <= _TOLERANCE * max(1.0, abs(new_rate)):
            return new_rate
        rate = new_rate
    return None


def _rate_equation(n: float, payment: float, p: float, f: float, due: float) -> Callable[[float], tuple[float, float]]:
    """The annuity equation pv*(1+r)^n + pmt*(1+r*type)*((1+r)^n-1)/r + fv and its derivative in r."""

    def evaluate(r: float) -> tuple[float, float]:
        if abs(r) < 1e-12:
            value = p + payment * n + f
            slope = p * n + payment * (n * (n - 1) / 2 + due * n)
            return value, slope
        log_growth = n * math.log1p(r)
        growth = math.exp(log_growth)
        growth_minus_one = math.expm1(log_growth)  # accurate for rates near 0
        factor = growth_minus_one / r
        d_growth = n * growth / (1 + r)
        d_factor = (d_growth * r - growth_minus_one) / (r * r)
        value = p * growth + payment * (1 + r * due) * factor + f
        slope = p * d_growth + payment * (due * factor + (1 + r * due) * d_factor)
        return value, slope

    return evaluate


@register("RATE", 3, 6)
def rate(nper: Any, pmt: Any, pv: Any, fv: Any = None, type_: Any = None, guess: Any = None) -> float | ExcelError:
    """Interest rate per period of an annuity (Newton's method from the guess, default 10%)."""
    args = numbers(nper, pmt, pv, fv, type_)
    if isinstance(args, ExcelError):
        return args
    n, payment, p, f, t = args
    start = 0.1 if guess is None else to_number(guess)
    if isinstance(start, ExcelError):
        return start
    if n <= 0 or start <= -1:
        return NUM
    equation = _rate_equation(n, payment, p, f, 1.0 if t != 0 else 0.0)
    scale = max(1.0, abs(p) + abs(f) + abs(payment) * max(1.0, abs(n)))
    result = newton_rate(equation, start, MAX_ITERATIONS, 1e-13 * scale)
    if result is None:
        return NUM
    try:
        residual = equation(result)[0]
    except (OverflowError, ZeroDivisionError, ValueError):
        return NUM
    if not math.isfinite(residual) or abs(residual) > 1e-7 * scale:
        return NUM
    return check_number(result)



# ================================================================================================ loan schedules
def payment_per_period(r: float, n: float, p: float, f: float, due: float) -> float:
    """PMT's value (raises ZeroDivisionError, OverflowError or ValueError where PMT has no value)."""
    if n == 0:
        raise ZeroDivisionError("no periods")
    if r == 0:
        return -(p + f) / n
    growth, factor = _annuity_factor(r, n)
    return -(p * growth + f) / ((1 + r * due) * factor)


def future_value(r: float, n: float, payment: float, p: float, due: float) -> float:
    """FV's value (raises OverflowError or ValueError where FV has no value)."""
    if r == 0:
        return -(p + payment * n)
    growth, factor = _annuity_factor(r, n)
    return -(p * growth + payment * (1 + r * due) * factor)


def _interest_in_period(r: float, period: float, n: float, p: float, f: float, due: float) -> float:
    """Interest part of the payment of one period (Excel's IPMT for 1 <= period <= n)."""
    payment = payment_per_period(r, n, p, f, due)
    if period == 1:
        balance_interest_base = 0.0 if due else -p
    elif due:
        balance_interest_base = future_value(r, period - 2, payment, p, 1.0) - payment
    else:
        balance_interest_base = future_value(r, period - 1, payment, p, 0.0)
    return balance_interest_base * r


def _period_payment_parts(
    rate: Any, per: Any, nper: Any, pv: Any, fv: Any, type_: Any
) -> tuple[float, float] | ExcelError:
    """(interest, payment) of period ``per``: IPMT and PMT, from which PPMT follows."""
    args = numbers(rate, per, nper, pv, fv, type_)
    if isinstance(args, ExcelError):
        return args
    r, period, n, p, f, t = args
    if period < 1 or period >= n + 1:  # Excel computes a fractional period past nper (3.9 of 3), not 4 of 3
        return NUM
    due = 1.0 if t != 0 else 0.0

    def compute() -> tuple[float, float]:
        return _interest_in_period(r, period, n, p, f, due), payment_per_period(r, n, p, f, due)

    try:
        interest, payment = compute()
    except ZeroDivisionError:
        return DIV0
    except (OverflowError, ValueError):
        return NUM
    if not (math.isfinite(interest) and math.isfinite(payment)):
        return NUM
    return interest, payment


@register("IPMT", 4, 6)
def ipmt(rate: Any, per: Any, nper: Any, pv: Any, fv: Any = None, type_: Any = None) -> float | ExcelError:
    """Interest part of the payment in period ``per`` (1..nper) of a loan or annuity."""
    parts = _period_payment_parts(rate, per, nper, pv, fv, type_)
    return parts if isinstance(parts, ExcelError) else parts[0]


@register("PPMT", 4, 6)
def ppmt(rate: Any, per: Any, nper: Any, pv: Any, fv: Any = None, type_: Any = None) -> float | ExcelError:
    """Principal part of the payment in period ``per`` (1..nper): PMT minus IPMT."""
    parts = _period_payment_parts(rate, per, nper, pv, fv, type_)
    if isinstance(parts, ExcelError):
        return parts
    interest, payment = parts
    return check_number(payment - interest)


def _cumulative(
    rate: Any, nper: Any, pv: Any, start: Any, end: Any, type_: Any, principal: bool
) -> float | ExcelError:
    args = atp_numbers(rate, nper, pv, start, end, type_)
    if isinstance(args, ExcelError):
        return args
    r, n, p, first_period, last_period, t = args
    if r <= 0 or n <= 0 or p <= 0 or first_period < 1 or last_period < first_period or last_period > n:
        return NUM
    if t not in (0, 1):
        return NUM
    # Excel counts the whole periods inside [start, end]: a fractional start is rounded up, the end down.
    first, last = math.ceil(first_period), math.floor(last_period)
    if last < first:
        return 0.0
    due = t == 1

    def compute() -> float:
        # Closed forms without cancellation (Excel gives CUMPRINC(7, 36, 8000, 3, 10, 1) = -3.3e-21, where
        # payment minus interest would leave only rounding noise): with G = 1 + rate and D = G^n - 1, the balance
        # after j payments is p (G^n - G^j) / D and the principal of period k is p rate G^(k-1) / D; payments at
        # the start of the periods (type 1) shift both by one period, and the first period has no interest.
        log_growth = math.log1p(r)

        def ratio(m: float) -> float:
            """G^m / D."""
            if n * log_growth < 700:
                return math.exp(m * log_growth) / math.expm1(n * log_growth)
            return math.exp((m - n) * log_growth) / -math.expm1(-n * log_growth)

        terms = []
        for k in range(first, last + 1):
            if principal:
                power: float
                if not due:
                    power = k - 1
                else:
                    power = k - 2 if k > 1 else n - 1  # the first payment is all principal
                terms.append(-p * r * ratio(power))
            elif not (due and k == 1):
                balance = p * (ratio(n) - ratio(k - 1))
                terms.append(-r * balance / (1.0 + r) if due else -r * balance)
        return math.fsum(terms)

    return guarded(compute)


@register("CUMIPMT", 6)
def cumipmt(rate: Any, nper: Any, pv: Any, start: Any, end: Any, type_: Any) -> float | ExcelError:
    """Interest paid on a loan in the whole periods from ``start`` to ``end`` (1 <= start <= end <= nper); rate,
    nper and pv must be positive and type 0 or 1, else #NUM!."""
    return _cumulative(rate, nper, pv, start, end, type_, principal=False)


@register("CUMPRINC", 6)
def cumprinc(rate: Any, nper: Any, pv: Any, start: Any, end: Any, type_: Any) -> float | ExcelError:
    """Principal repaid on a loan from period ``start`` to ``end`` (same rules as CUMIPMT)."""
    return _cumulative(rate, nper, pv, start, end, type_, principal=True)


@register("ISPMT", 4)
def ispmt(rate: Any, per: Any, nper: Any, pv: Any) -> float | ExcelError:
    """Interest paid in period ``per`` (counted from 0) of a loan repaid in equal principal instalments."""
    args = numbers(rate, per, nper, pv)
    if isinstance(args, ExcelError):
        return args
    r, period, n, p = args
    if n == 0:
        return DIV0
    return guarded(lambda: p * r * (period / n - 1))


# ================================================================================================ rates
@register("PDURATION", 3)
def pduration(rate: Any, pv: Any, fv: Any) -> float | ExcelError:
    """Periods an investment needs at ``rate`` per period to grow from pv to fv (all must be positive)."""
    args = numbers(rate, pv, fv)
    if isinstance(args, ExcelError):
        return args
    r, p, f = args
    if r <= 0 or p <= 0 or f <= 0:
        return NUM
    return guarded(lambda: (math.log(f) - math.log(p)) / math.log1p(r))


@register("RRI", 3)
def rri(nper: Any, pv: Any, fv: Any) -> float | ExcelError:
    """Equivalent interest rate per period for growth from pv to fv over nper periods."""
    args = numbers(nper, pv, fv)
    if isinstance(args, ExcelError):
        return args
    n, p, f = args
    if n <= 0:
        return NUM
    if p == 0:
        return NUM if f != 0 else DIV0
    return guarded(lambda: math.pow(f / p, 1.0 / n) - 1.0)


@register("EFFECT", 2)
def effect(nominal_rate: Any, npery: Any) -> float | ExcelError:
    """Effective annual rate of a nominal rate compounded ``npery`` times a year (npery truncated)."""
    args = atp_numbers(nominal_rate, npery)
    if isinstance(args, ExcelError):
        return args
    nominal, periods = args
    periods = math.floor(periods)
    if nominal <= 0 or periods < 1:
        return NUM
    return guarded(lambda: math.expm1(periods * math.log1p(nominal / periods)))


@register("NOMINAL", 2)
def nominal(effect_rate: Any, npery: Any) -> float | ExcelError:
    """Nominal annual rate that compounds ``npery`` times a year to the effective rate (npery truncated)."""
    args = atp_numbers(effect_rate, npery)
    if isinstance(args, ExcelError):
        return args
    effective, periods = args
    periods = math.floor(periods)
    if effective <= 0 or periods < 1:
        return NUM
    return guarded(lambda: math.expm1(math.log1p(effective) / periods) * periods)


# ================================================================================================ fractional prices
def _dollar_parts(dollar: Any, fraction: Any) -> tuple[float, float, int, float] | ExcelError:
    """(whole dollars, fractional part, denominator, 10^digits of the denominator) for DOLLARDE/DOLLARFR."""
    args = atp_numbers(dollar, fraction)
    if isinstance(args, ExcelError):
        return args
    value, denominator = args
    denominator = math.floor(denominator)
    if denominator < 0:
        return NUM
    if denominator == 0:
        return DIV0
    whole = float(math.trunc(value))
    return whole, value - whole, denominator, 10.0 ** math.ceil(math.log10(denominator))


@register("DOLLARDE", 2)
def dollarde(fractional_dollar: Any, fraction: Any) -> float | ExcelError:
    """A price written as whole.numerator (1.02 with fraction 16 is 1 2/16) as a decimal number (1.125)."""
    parts = _dollar_parts(fractional_dollar, fraction)
    if isinstance(parts, ExcelError):
        return parts
    whole, part, denominator, scale = parts
    return check_number(whole + part * scale / denominator)


@register("DOLLARFR", 2)
def dollarfr(decimal_dollar: Any, fraction: Any) -> float | ExcelError:
    """A decimal price (1.125) written as whole.numerator for a denominator (1.02 for fraction 16)."""
    parts = _dollar_parts(decimal_dollar, fraction)
    if isinstance(parts, ExcelError):
        return parts
    whole, part, denominator, scale = parts
    return check_number(whole + part * denominator / scale)
