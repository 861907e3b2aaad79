"""Integer functions: FACT, FACTDOUBLE, COMBIN, COMBINA, PERMUT, PERMUTATIONA, MULTINOMIAL, GCD, LCM.

Arguments are truncated toward zero to integers, as Excel does. Results are computed exactly with Python integers
and then rounded once to the nearest double, so COMBIN(60,30) is exact to the last bit where Excel's own product
of doubles may be off by one unit; a result beyond the largest double is #NUM!. Exact computation is only attempted
once a logarithmic estimate shows the result fits in a double, so huge arguments cost nothing.
"""

from __future__ import annotations

import math
from typing import Any

from sheetrl.sheet.errors import NUM, VALUE, ExcelError
from sheetrl.sheet.functions import MAX_ARGS, register
from sheetrl.sheet.functions.arguments import MAX_EXACT_INTEGER, truncated
from sheetrl.sheet.values import Matrix, scalar_of, to_number

# ln of the largest double: a result whose logarithm exceeds this overflows.
_LOG_MAX_DOUBLE = math.log(1.7976931348623157e308)
_MAX_FACT = 170  # 171! overflows a double


def _to_double(exact: int) -> float | ExcelError:
    try:
        return float(exact)
    except OverflowError:
        return NUM


def _log_comb(n: int, k: int) -> float:
    return math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)


def combinations(n: int, k: int) -> float | ExcelError:
    """C(n, k) as the nearest double, #NUM! when it overflows (0 <= k <= n assumed)."""
    k = min(k, n - k)
    if k > 0 and _log_comb(n, k) > _LOG_MAX_DOUBLE + 1:
        return NUM
    return _to_double(math.comb(n, k))


@register("FACT", 1)
def fact(number: Any) -> Any:
    """n! of the number truncated to an integer; #NUM! for negatives and above 170."""
    n = truncated(number)
    if type(n) is ExcelError:
        return n
    if n < 0 or n > _MAX_FACT:
        return NUM
    return float(math.factorial(n))


@register("FACTDOUBLE", 1, omitted_is_na=True)
def factdouble(number: Any) -> Any:
    """Double factorial n!! = n(n-2)(n-4)...; 1 for 0 and -1; #NUM! for other negatives and when it overflows."""
    if type(scalar_of(number)) is bool:
        return VALUE  # an Analysis ToolPak function: logicals are refused
    value = to_number(number)
    if type(value) is ExcelError:
        return value
    if value < -1:
        return NUM  # FACTDOUBLE(-1.1) is #NUM!, FACTDOUBLE(-1) is 1 (by convention, as in Excel)
    n = truncated(value)
    if type(n) is ExcelError:
        return n
    if n == -1:
        return 1.0
    if n > 300:  # 301!! is beyond the largest double
        return NUM
    return _to_double(math.prod(range(n, 0, -2)))


def _two_integers(a: Any, b: Any) -> tuple[int, int] | ExcelError:
    first = truncated(a)
    if type(first) is ExcelError:
        return first
    second = truncated(b)
    if type(second) is ExcelError:
        return second
    return first, second


@register("COMBIN", 2)
def combin(number: Any, number_chosen: Any) -> Any:
    """Number of ways to choose ``number_chosen`` items out of ``number``; #NUM! unless 0 <= chosen <= number."""
    pair = _two_integers(number, number_chosen)
    if type(pair) is ExcelError:
        return pair
    n, k = pair
    if n < 0 or k < 0 or n < k:
        return NUM
    return combinations(n, k)


@register("COMBINA", 2)
def combina(number: Any, number_chosen: Any) -> Any:
    """Combinations with repetitions, C(n+k-1, k); #NUM! for negative arguments.

    Excel's documentation also asks for chosen <= number, but Excel computes COMBINA(3,10) = 66 and COMBINA(0,0) = 1
    (measured in workbooks Excel calculated), as the formula gives.
    """
    pair = _two_integers(number, number_chosen)
    if type(pair) is ExcelError:
        return pair
    n, k = pair
    if n < 0 or k < 0:
        return NUM
    if n == 0:
        return 1.0 if k == 0 else NUM  # COMBINA(0,0) is 1 and COMBINA(0,5) #NUM! in Excel
    return combinations(n + k - 1, k)


@register("PERMUT", 2)
def permut(number: Any, number_chosen: Any) -> Any:
    """Ordered selections n!/(n-k)!; #NUM! when number <= 0, chosen < 0 or chosen > number (Excel's rules)."""
    pair = _two_integers(number, number_chosen)
    if type(pair) is ExcelError:
        return pair
    n, k = pair
    if n <= 0 or k < 0 or n < k:
        return NUM
    if k > 0 and math.lgamma(n + 1) - math.lgamma(n - k + 1) > _LOG_MAX_DOUBLE + 1:
        return NUM
    return _to_double(math.perm(n, k))


@register("PERMUTATIONA", 2)
def permutationa(number: Any, number_chosen: Any) -> Any:
    """Ordered selections with repetitions, n^k; #NUM! for negative arguments."""
    pair = _two_integers(number, number_chosen)
    if type(pair) is ExcelError:
        return pair
    n, k = pair
    if n < 0 or k < 0:
        return NUM
    if n > 1 and k * math.log(n) > _LOG_MAX_DOUBLE + 1:
        return NUM
    return _to_double(n**k)


def _integers(args: tuple[Any, ...]) -> list[int] | ExcelError:
    """Integer arguments of GCD, LCM and MULTINOMIAL, Analysis-ToolPak style.

    Numbers are truncated; numeric (and date) text converts, other text and logicals are #VALUE! (in ranges and
    arrays too); an empty cell given on its own is skipped (LCM(10,3,C3) is 30 with C3 empty) but counts as 0 inside
    a larger range (LCM(A1:B1) is 0 with A1 empty), as Excel does; no number at all is #VALUE!. Types are checked
    first, the first problem in argument order winning; only then is a negative number (even -0.4) or one of 2^53
    or more #NUM!, so GCD(-1,"x") is #VALUE!.
    """
    numbers: list[float] = []
    for arg in args:  # first every value's type (GCD(-0.4,TRUE) is #VALUE!), then the ranges (GCD(-0.4) is #NUM!)
        items = arg.values if type(arg) is Matrix else (arg,)
        single = len(items) == 1
        for value in items:
            t = type(value)
            if value is None and single:
                continue
            if t is ExcelError:
                return value
            if t is bool:
                return VALUE
            number = to_number(value)
            if type(number) is ExcelError:
                return number
            numbers.append(number)
    if not numbers:
        return VALUE
    if any(not 0 <= number < MAX_EXACT_INTEGER for number in numbers):
        return NUM
    return [math.trunc(number) for number in numbers]


@register("GCD", 1, MAX_ARGS, refs="all", omitted_is_na=True)
def gcd(*args: Any) -> Any:
    """Greatest common divisor of non-negative integers (numbers truncated); ranges are read cell by cell."""
    values = _integers(args)
    if type(values) is ExcelError:
        return values
    return float(math.gcd(*values))


@register("LCM", 1, MAX_ARGS, refs="all", omitted_is_na=True)
def lcm(*args: Any) -> Any:
    """Least common multiple of non-negative integers (0 if any is 0); #NUM! when it reaches 2^53."""
    values = _integers(args)
    if type(values) is ExcelError:
        return values
    result = 1
    for value in values:
        if value == 0:
            return 0.0
        result = math.lcm(result, value)
        if result >= MAX_EXACT_INTEGER:
            return NUM
    return float(result)


@register("MULTINOMIAL", 1, MAX_ARGS, refs="all", omitted_is_na=True)
def multinomial(*args: Any) -> Any:
    """(a1 + a2 + ...)! / (a1! a2! ...) of non-negative integers (truncated); #NUM! when it overflows."""
    values = _integers(args)
    if type(values) is ExcelError:
        return values
    total = sum(values)
    log_result = math.lgamma(total + 1) - sum(math.lgamma(v + 1) for v in values)
    if log_result > _LOG_MAX_DOUBLE + 1:
        return NUM
    result = 1
    running = 0
    for value in values:  # a product of binomials: exact, and small numbers at every step
        running += value
        result *= math.comb(running, value)
    return _to_double(result)
