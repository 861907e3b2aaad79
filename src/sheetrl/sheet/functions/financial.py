"""Financial functions: annuities (PMT, FV, PV, NPER, RATE) and cash-flow analysis (NPV, IRR).

Sign convention as in Excel: money paid out is negative, money received is positive. ``type`` 0 means payments at
the end of each period, any other value at the beginning. The iterative solvers (IRR, RATE) are capped at 100
iterations and return #NUM! when they do not converge.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from sheetrl.sheet.errors import DIV0, NUM, ExcelError
from sheetrl.sheet.functions import MAX_ARGS, register
from sheetrl.sheet.values import Matrix, check_number, collect_numbers, to_number

MAX_ITERATIONS = 100
_TOLERANCE = 1e-10


def _numbers(*args: Any) -> list[float] | ExcelError:
    """Scalar arguments as numbers (an omitted or empty one is 0); the first error is returned."""
    out: list[float] = []
    for arg in args:
        number = to_number(arg)
        if type(number) is ExcelError:
            return number
        out.append(number)  # type: ignore[arg-type]
    return out


def _guarded(compute: Callable[[], float | ExcelError]) -> float | ExcelError:
    """Run a closed-form computation, mapping overflow and invalid results to #NUM! and division by zero to
    #DIV/0!."""
    try:
        result = compute()
    except ZeroDivisionError:
        return DIV0
    except (OverflowError, ValueError):
        return NUM
    return result if type(result) is ExcelError else check_number(result)  # type: ignore[arg-type]


def _annuity_factor(rate: float, nper: float) -> tuple[float, float]:
    """((1+rate)^nper, ((1+rate)^nper - 1)/rate), the latter accurate for small rates. Raises on invalid input."""
    if rate > -1:
        log_growth = nper * math.log1p(rate)
        return math.exp(log_growth), math.expm1(log_growth) / rate
    growth = math.pow(1 + rate, nper)  # ValueError (-> #NUM!) for a fractional power of a negative number
    return growth, (growth - 1) / rate


@register("PMT", 3, 5)
def pmt(rate: Any, nper: Any, pv: Any, fv: Any = None, type_: Any = None) -> float | ExcelError:
    """Payment per period of a loan or annuity with constant payments and a constant rate."""
    args = _numbers(rate, nper, pv, fv, type_)
    if type(args) is ExcelError:
        return args
    r, n, p, f, t = args  # type: ignore[misc]
    due = 1.0 if t != 0 else 0.0
    if n == 0:
        return NUM
    if r == 0:
        return _guarded(lambda: -(p + f) / n)

    def compute() -> float:
        growth, factor = _annuity_factor(r, n)
        return -(p * growth + f) / ((1 + r * due) * factor)

    return _guarded(compute)


@register("FV", 3, 5)
def fv(rate: Any, nper: Any, pmt: Any, pv: Any = None, type_: Any = None) -> float | ExcelError:
    """Future value of an investment with constant payments and a constant rate."""
    args = _numbers(rate, nper, pmt, pv, type_)
    if type(args) is ExcelError:
        return args
    r, n, payment, p, t = args  # type: ignore[misc]
    due = 1.0 if t != 0 else 0.0
    if r == 0:
        return _guarded(lambda: -(p + payment * n))

    def compute() -> float:
        growth, factor = _annuity_factor(r, n)
        return -(p * growth + payment * (1 + r * due) * factor)

    return _guarded(compute)


@register("PV", 3, 5)
def pv(rate: Any, nper: Any, pmt: Any, fv: Any = None, type_: Any = None) -> float | ExcelError:
    """Present value of an investment with constant payments and a constant rate."""
    args = _numbers(rate, nper, pmt, fv, type_)
    if type(args) is ExcelError:
        return args
    r, n, payment, f, t = args  # type: ignore[misc]
    due = 1.0 if t != 0 else 0.0
    if r == 0:
        return _guarded(lambda: -(f + payment * n))

    def compute() -> float:
        growth, factor = _annuity_factor(r, n)
        return -(f + payment * (1 + r * due) * factor) / growth

    return _guarded(compute)


@register("NPER", 3, 5)
def nper(rate: Any, pmt: Any, pv: Any, fv: Any = None, type_: Any = None) -> float | ExcelError:
    """Number of periods for an investment with constant payments and a constant rate."""
    args = _numbers(rate, pmt, pv, fv, type_)
    if type(args) is ExcelError:
        return args
    r, payment, p, f, t = args  # type: ignore[misc]
    due = 1.0 if t != 0 else 0.0
    if r == 0:
        if payment == 0:
            return NUM
        return _guarded(lambda: -(p + f) / payment)

    def compute() -> float:
        adjusted = payment * (1 + r * due)
        if adjusted + p * r == 0:
            return NUM  # type: ignore[return-value]
        ratio = (adjusted - f * r) / (adjusted + p * r)
        if ratio <= 0 or r <= -1:
            return NUM  # type: ignore[return-value]
        return math.log(ratio) / math.log1p(r)

    return _guarded(compute)


@register("NPV", 2, MAX_ARGS, refs=range(1, MAX_ARGS))
def npv(rate: Any, *values: Any) -> float | ExcelError:
    """Net present value of periodic cash flows (the first at the end of period 1) at a discount rate."""
    r = to_number(rate)
    if type(r) is ExcelError:
        return r
    flows = collect_numbers(values)
    if type(flows) is ExcelError:
        return flows
    if r == -1:
        return DIV0

    def compute() -> float:
        base = 1 + r  # type: ignore[operator]
        return math.fsum(v / base ** (i + 1) for i, v in enumerate(flows))  # type: ignore[arg-type]

    return _guarded(compute)


def _npv_and_slope(rate: float, flows: list[float]) -> tuple[float, float]:
    """NPV of flows at periods 0, 1, 2 ... and its derivative with respect to the rate."""
    base = 1.0 + rate
    value = 0.0
    slope = 0.0
    discount = 1.0
    for period, flow in enumerate(flows):
        value += flow * discount
        slope -= period * flow * discount / base
        discount /= base
    return value, slope


def _npv_at(rate: float, flows: list[float]) -> float:
    return _npv_and_slope(rate, flows)[0]


def _newton(
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


def _bisect_irr(flows: list[float], guess: float, iterations: int) -> float | None:
    """Find a sign change of the NPV on a grid of rates (nearest the guess first), then bisect it."""
    grid = sorted({-0.99, -0.9, -0.75, -0.5, -0.25, 0.0, 0.05, 0.1, 0.2, 0.35, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0, 5.0,
                   10.0, 100.0, guess})
    samples: list[tuple[float, float]] = []
    for rate in grid:
        try:
            value = _npv_at(rate, flows)
        except (OverflowError, ZeroDivisionError):
            continue
        if math.isfinite(value):
            samples.append((rate, value))
    brackets = [(a, b) for a, b in zip(samples, samples[1:]) if (a[1] < 0) != (b[1] < 0)]
    if not brackets:
        return None
    (low, low_value), (high, _) = min(brackets, key=lambda ab: min(abs(ab[0][0] - guess), abs(ab[1][0] - guess)))
    for _ in range(iterations):
        middle = (low + high) / 2
        value = _npv_at(middle, flows)
        if (value < 0) == (low_value < 0):
            low, low_value = middle, value
        else:
            high = middle
        if high - low <= _TOLERANCE * max(1.0, abs(middle)):
            break
    return (low + high) / 2


@register("IRR", 1, 2, refs=(0,))
def irr(values: Any, guess: Any = None) -> float | ExcelError:
    """Internal rate of return of periodic cash flows (needs at least one positive and one negative flow)."""
    if type(values) is Matrix:
        for v in values.values:
            if type(v) is ExcelError:
                return v
        flows = [v for v in values.values if type(v) is float or type(v) is int]
    elif type(values) is ExcelError:
        return values
    else:
        number = to_number(values)
        if type(number) is ExcelError:
            return number
        flows = [number]  # type: ignore[list-item]
    start = 0.1 if guess is None else to_number(guess)
    if type(start) is ExcelError:
        return start
    if start <= -1:  # type: ignore[operator]
        return NUM
    if not any(v > 0 for v in flows) or not any(v < 0 for v in flows):
        return NUM
    flows = [float(v) for v in flows]
    scale = max(1.0, math.fsum(abs(v) for v in flows))
    equation = lambda r: _npv_and_slope(r, flows)  # noqa: E731
    rate = _newton(equation, start, MAX_ITERATIONS // 2, 1e-13 * scale)  # type: ignore[arg-type]
    if rate is None:
        rate = _bisect_irr(flows, start, MAX_ITERATIONS // 2)  # type: ignore[arg-type]
    try:
        if rate is None or abs(_npv_at(rate, flows)) > 1e-7 * scale:
            return NUM
    except (OverflowError, ZeroDivisionError):
        return NUM
    return check_number(rate)


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
    args = _numbers(nper, pmt, pv, fv, type_)
    if type(args) is ExcelError:
        return args
    n, payment, p, f, t = args  # type: ignore[misc]
    start = 0.1 if guess is None else to_number(guess)
    if type(start) is ExcelError:
        return start
    if n <= 0 or start <= -1:  # type: ignore[operator]
        return NUM
    equation = _rate_equation(n, payment, p, f, 1.0 if t != 0 else 0.0)
    scale = max(1.0, abs(p) + abs(f) + abs(payment) * max(1.0, abs(n)))
    result = _newton(equation, start, MAX_ITERATIONS, 1e-13 * scale)  # type: ignore[arg-type]
    if result is None:
        return NUM
    try:
        residual = equation(result)[0]
    except (OverflowError, ZeroDivisionError, ValueError):
        return NUM
    if not math.isfinite(residual) or abs(residual) > 1e-7 * scale:
        return NUM
    return check_number(result)

