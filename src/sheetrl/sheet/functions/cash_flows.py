"""Cash-flow analysis: NPV, IRR, MIRR, XNPV, XIRR and FVSCHEDULE.

Periodic flows (NPV, IRR, MIRR) come at the end of periods 1, 2, ...; dated flows (XNPV, XIRR) are discounted by
actual days over a 365-day year from the first date. In ranges only numbers count (text, logicals and empty cells
are skipped); an error value anywhere is the result.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable
from typing import Any

from sheetrl.sheet.errors import DIV0, NUM, VALUE, ExcelError
from sheetrl.sheet.functions import MAX_ARGS, register
from sheetrl.sheet.functions.financial import MAX_ITERATIONS, guarded, newton_rate
from sheetrl.sheet.values import Matrix, check_number, collect_numbers, to_number

_TOLERANCE = 1e-10


@register("NPV", 2, MAX_ARGS, refs=range(1, MAX_ARGS))
def npv(rate: Any, *values: Any) -> float | ExcelError:
    """Net present value of periodic cash flows (the first at the end of period 1) at a discount rate."""
    r = to_number(rate)
    if isinstance(r, ExcelError):
        return r
    flows = collect_numbers(values)
    if isinstance(flows, ExcelError):
        return flows
    if r == -1:
        return DIV0

    def compute() -> float:
        base = 1 + r
        return math.fsum(v / base ** (i + 1) for i, v in enumerate(flows))

    return guarded(compute)


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


@register("IRR", 1, 2, refs=(0,))
def irr(values: Any, guess: Any = None) -> float | ExcelError:
    """Internal rate of return of periodic cash flows (needs at least one positive and one negative flow). An error
    among the values of a range or array is #VALUE!, whichever error it is (as Excel caches it)."""
    if type(values) is Matrix:
        if any(isinstance(v, ExcelError) for v in values.values):
            return VALUE
        flows = [v for v in values.values if type(v) is float or type(v) is int]
    elif isinstance(values, ExcelError):
        return values
    else:
        number = to_number(values)
        if isinstance(number, ExcelError):
            return number
        flows = [number]
    start = 0.1 if guess is None else to_number(guess)
    if isinstance(start, ExcelError):
        return start
    if start <= -1:
        return VALUE  # as Excel caches it for guesses of -1 and -10
    if not any(v > 0 for v in flows) or not any(v < 0 for v in flows):
        return NUM
    flows = [float(v) for v in flows]
    scale = max(1.0, math.fsum(abs(v) for v in flows))
    rate = newton_rate(lambda r: _npv_and_slope(r, flows), start, MAX_ITERATIONS // 2, 1e-13 * scale)
    if rate is None:
        rate = _bisect(lambda r: _npv_at(r, flows), start)
    try:
        if rate is None or abs(_npv_at(rate, flows)) > 1e-7 * scale:
            return NUM
    except (OverflowError, ZeroDivisionError):
        return NUM
    return check_number(rate)


def _range_flows(values: Any) -> list[float] | ExcelError:
    """Numbers of a range or array (other values skipped, errors returned); a single value is one flow."""
    if type(values) is Matrix:
        flows: list[float] = []
        for v in values.values:
            if isinstance(v, ExcelError):
                return v
            if type(v) is float or type(v) is int:
                flows.append(float(v))
        return flows
    if isinstance(values, ExcelError):
        return values
    number = to_number(values)
    return number if isinstance(number, ExcelError) else [number]


@register("MIRR", 3, refs=(0,))
def mirr(values: Any, finance_rate: Any, reinvest_rate: Any) -> float | ExcelError:
    """Modified internal rate of return: outflows discounted at ``finance_rate``, inflows compounded at
    ``reinvest_rate``. Without outflows the result is #DIV/0!; without inflows it is -1 (Excel computes the
    formula rather than rejecting the flows, so rates of -100% are fine while nothing is divided by 0)."""
    flows = _range_flows(values)
    if isinstance(flows, ExcelError):
        return flows
    finance = to_number(finance_rate)
    if isinstance(finance, ExcelError):
        return finance
    reinvest = to_number(reinvest_rate)
    if isinstance(reinvest, ExcelError):
        return reinvest
    n = len(flows)

    def compute() -> float:
        inflows = math.fsum(v * (1 + reinvest) ** (n - 1 - i) for i, v in enumerate(flows) if v > 0)
        outflows = math.fsum(v / (1 + finance) ** i for i, v in enumerate(flows) if v < 0)
        ratio = -inflows / outflows
        if ratio < 0:
            raise ValueError("no real root")
        return ratio ** (1.0 / (n - 1)) - 1.0

    return guarded(compute)


def _dated_flows(values: Any, dates: Any, *, for_xirr: bool) -> tuple[list[float], list[float]] | ExcelError:
    """(flows, years after the first date) for XNPV/XIRR.

    As Excel computes them (measured on workbooks it calculated): an error among the dates wins over one among
    the values; mismatched sizes, an empty date or a date before the first are #NUM!. Among the values in a range,
    XNPV takes an empty cell, text or a logical as #NUM!, while XIRR skips an empty cell, reads numeric text and
    takes other text or a logical as #VALUE!.
    """
    value_list = values.values if type(values) is Matrix else [values]
    date_list = dates.values if type(dates) is Matrix else [dates]
    for v in (*date_list, *value_list):
        if isinstance(v, ExcelError):
            return v
    if len(value_list) != len(date_list):
        return NUM
    flows: list[float] = []
    days: list[float] = []
    for value, day in zip(value_list, date_list, strict=True):
        if value is None and for_xirr:
            continue
        if value is None or day is None:
            return NUM
        if type(value) is not float and type(value) is not int:
            if type(values) is Matrix and not for_xirr:
                return NUM
            if type(values) is Matrix and type(value) is bool:
                return VALUE
            number = to_number(value)
            if isinstance(number, ExcelError):
                return number
            value = number
        if type(day) is not float and type(day) is not int:
            if type(dates) is Matrix:
                return VALUE
            number = to_number(day)
            if isinstance(number, ExcelError):
                return number
            day = number
        if day < 0:
            return NUM
        flows.append(float(value))
        days.append(float(math.floor(day)))
    if not flows:
        return NUM
    first = days[0]
    if any(d < first for d in days):
        return NUM
    return flows, [(d - first) / 365.0 for d in days]


def _xnpv_and_slope(rate: float, flows: list[float], years: list[float]) -> tuple[float, float]:
    """XNPV and its derivative. The value is summed in order, flow / (1 + rate)^years, as Excel sums it: near 0 the
    rounding shows, and XNPV at Excel's XIRR in formula_stress_test.xlsx (Finance!B12, -6.211546860868111e-06) and
    vinci's test.xlsx (FINANCIAL!R56, 4.594164160209857e-09) is this sum to the last digit (math.fsum is not)."""
    base = 1.0 + rate
    value = 0.0
    slope = 0.0
    for flow, t in zip(flows, years, strict=True):
        discounted = flow / base**t
        value += discounted
        slope -= t * discounted / base
    return value, slope


@register("XNPV", 3, refs=(1, 2))
def xnpv(rate: Any, values: Any, dates: Any) -> float | ExcelError:
    """Net present value of cash flows on given dates (discounted by days/365 from the first date); the rate must
    be positive (Excel gives #NUM! for 0 and below, and #VALUE! for a logical, as an Analysis ToolPak function)."""
    if type(rate) is bool:
        return VALUE
    r = to_number(rate)
    if isinstance(r, ExcelError):
        return r
    dated = _dated_flows(values, dates, for_xirr=False)
    if isinstance(dated, ExcelError):
        return dated
    flows, years = dated
    if r <= 0:
        return NUM
    return guarded(lambda: _xnpv_and_slope(r, flows, years)[0])


@register("XIRR", 2, 3, refs=(0, 1))
def xirr(values: Any, dates: Any, guess: Any = None) -> float | ExcelError:
    """Internal rate of return of cash flows on given dates (the rate at which XNPV is 0)."""
    dated = _dated_flows(values, dates, for_xirr=True)
    if isinstance(dated, ExcelError):
        return dated
    flows, years = dated
    if type(guess) is bool:
        return VALUE  # an Analysis ToolPak function: a logical guess is #VALUE!
    start = 0.1 if guess is None else to_number(guess)
    if isinstance(start, ExcelError):
        return start
    if start <= -1:
        return NUM
    if not any(v > 0 for v in flows) or not any(v < 0 for v in flows):
        return NUM
    excel_rate = _halving_search(lambda r: _xnpv_and_slope(r, flows, years)[0], start)
    if excel_rate is not None:
        return check_number(excel_rate)
    scale = max(1.0, math.fsum(abs(v) for v in flows))
    rate = newton_rate(lambda r: _xnpv_and_slope(r, flows, years), start, MAX_ITERATIONS, 1e-13 * scale)
    if rate is None:
        rate = _bisect(lambda r: _xnpv_and_slope(r, flows, years)[0], start)
    if rate is None:
        return NUM
    try:
        if abs(_xnpv_and_slope(rate, flows, years)[0]) > 1e-7 * scale:
            return NUM
    except (OverflowError, ZeroDivisionError):
        return NUM
    return check_number(rate)


_BRACKET_STEPS = 25  # doublings or halvings of the guess tried (Excel's 2.98023223876953E-09 is 0.1 / 2^25)
_HALVINGS = 26  # midpoints taken in [x, 2x]: the last has a half-width of x / 2^26, about 1e-8 of the rate


def _halving_search(function: Callable[[float], float], guess: float) -> float | None:
    """XIRR's search as Excel does it for a positive guess, or None where it does not apply.

    The guess is doubled, or else halved, until XNPV changes sign between x and 2x; [x, 2x] is then halved 26 times
    and the 26th midpoint is the result. Measured on workbooks Excel calculated: every positive XIRR cached in
    IronCalc's XIRR.xlsx and XNPV.xlsx, SheetJS's formula_stress_test.xlsx and vinci1it2000's test.xlsx is exactly
    that midpoint (guesses 0.1, 1, 4 and 32015; 1 and 4 give the same bracket and so the same value), where
    Newton's method gives the root to the last digit, 1e-8 away. Negative roots, which Excel finds some other way
    (its values lie on a dyadic grid too, but not at these midpoints), and a guess of 0 or below are left to the
    caller (None)."""

    def value_at(rate: float) -> float:
        try:
            return function(rate)
        except (OverflowError, ZeroDivisionError, ValueError):
            return math.nan

    if not guess > 0:
        return None
    start_value = value_at(guess)
    if start_value == 0:
        return guess
    if not math.isfinite(start_value):
        return None
    bracket = None
    for factor in (2.0, 0.5):
        x = guess
        for _ in range(_BRACKET_STEPS):
            y = x * factor
            value = value_at(y)
            if not math.isfinite(value):
                break
            if value == 0:
                return y
            if (value > 0) != (start_value > 0):
                bracket = (min(x, y), max(x, y))
                break
            x = y
        if bracket is not None:
            break
    if bracket is None:
        return None
    low, high = bracket
    low_value = value_at(low)
    middle = low
    for _ in range(_HALVINGS):
        middle = (low + high) / 2
        value = value_at(middle)
        if not math.isfinite(value):
            return None
        if value == 0:
            return middle
        if (value > 0) == (low_value > 0):
            low, low_value = middle, value
        else:
            high = middle
    return middle


def _bisect(function: Callable[[float], float], guess: float) -> float | None:
    """A root of ``function`` on (-1, 100], bracketed on a grid of rates nearest the guess, then bisected."""
    grid = sorted({-0.999, -0.99, -0.9, -0.5, -0.2, 0.0, 0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 100.0, guess})
    samples = []
    for r in grid:
        try:
            v = function(r)
        except (OverflowError, ZeroDivisionError):
            continue
        if math.isfinite(v):
            samples.append((r, v))
    brackets = [(a, b) for a, b in itertools.pairwise(samples) if (a[1] < 0) != (b[1] < 0)]
    if not brackets:
        return None
    (low, low_value), (high, _) = min(brackets, key=lambda ab: min(abs(ab[0][0] - guess), abs(ab[1][0] - guess)))
    for _ in range(200):
        middle = (low + high) / 2
        value = function(middle)
        if (value < 0) == (low_value < 0):
            low, low_value = middle, value
        else:
            high = middle
        if high - low <= _TOLERANCE * max(1.0, abs(middle)) * 1e-3:
            break
    return (low + high) / 2


@register("FVSCHEDULE", 2, refs=(1,))
def fvschedule(principal: Any, schedule: Any) -> float | ExcelError:
    """Future value of ``principal`` after a series of interest rates (empty cells are 0%; text is #VALUE!)."""
    p = to_number(principal)
    if isinstance(p, ExcelError):
        return p
    rates = schedule.values if type(schedule) is Matrix else [schedule]
    total = p
    for rate in rates:
        if rate is None:
            continue
        if isinstance(rate, ExcelError):
            return rate
        if type(rate) is not float and type(rate) is not int:
            if type(schedule) is Matrix:
                return VALUE
            number = to_number(rate)
            if isinstance(number, ExcelError):
                return number
            rate = number
        total *= 1.0 + rate
    return check_number(total)
