"""Hypothesis tests and confidence intervals: T.TEST, Z.TEST, CHISQ.TEST, F.TEST and CONFIDENCE.NORM / .T.

Each test returns a p-value from the distributions of :mod:`.distributions`. Data follow the range rules of
:mod:`.statistical` (only numbers count); the paired t-test and the chi-squared test pair values by position and
skip positions where either value is not a number.
"""

from __future__ import annotations

import math
from typing import Any

from sheetrl.sheet.errors import DIV0, NA, NUM, ExcelError
from sheetrl.sheet.functions import register
from sheetrl.sheet.functions.descriptive import mean_and_squares
from sheetrl.sheet.functions.distributions import computed, numbers
from sheetrl.sheet.functions.special_functions import (
    beta_quantile,
    normal_cdf,
    normal_quantile,
    regularized_beta,
    regularized_gamma,
)
from sheetrl.sheet.functions.statistical import range_numbers
from sheetrl.sheet.values import Matrix


def t_upper_tail(t: float, df: float) -> float:
    """P(T > t) for t >= 0, with any positive (also fractional) degrees of freedom."""
    square = t * t
    return regularized_beta(df / (df + square), df / 2, 0.5, square / (df + square))[0] / 2


def _paired_values(first: Any, second: Any) -> tuple[list[float], list[float]] | ExcelError:
    """Numbers at the same positions of two equally sized arguments (#N/A when the sizes differ)."""
    xs = first.values if type(first) is Matrix else [first]
    ys = second.values if type(second) is Matrix else [second]
    if len(xs) != len(ys):
        return NA
    left: list[float] = []
    right: list[float] = []
    for x, y in zip(xs, ys, strict=True):
        for value in (x, y):
            if isinstance(value, ExcelError):
                return value
        if type(x) in (float, int) and type(y) in (float, int):
            left.append(float(x))
            right.append(float(y))
    return left, right


# ================================================================================================ confidence
def _confidence_args(alpha: Any, standard_dev: Any, size: Any) -> tuple[float, float, float] | ExcelError:
    args = numbers(alpha, standard_dev, size)
    if isinstance(args, ExcelError):
        return args
    a, sigma, n = args[0], args[1], float(math.floor(args[2]))
    if not 0 < a < 1 or sigma <= 0 or n < 1:
        return NUM
    return a, sigma, n


@register("CONFIDENCE.NORM", 3, aliases=("CONFIDENCE",))
def confidence_norm(alpha: Any, standard_dev: Any, size: Any) -> float | ExcelError:
    """Half-width of the confidence interval for a mean with known standard deviation (normal distribution)."""
    args = _confidence_args(alpha, standard_dev, size)
    if isinstance(args, ExcelError):
        return args
    a, sigma, n = args
    return computed(lambda: -normal_quantile(a / 2) * sigma / math.sqrt(n))


@register("CONFIDENCE.T", 3)
def confidence_t(alpha: Any, standard_dev: Any, size: Any) -> float | ExcelError:
    """Half-width of the confidence interval for a mean using Student's t; #DIV/0! for a sample of one."""
    args = _confidence_args(alpha, standard_dev, size)
    if isinstance(args, ExcelError):
        return args
    a, sigma, n = args
    if n == 1:
        return DIV0

    def compute() -> float:
        x, y = beta_quantile((n - 1) / 2, 0.5, a, 1.0 - a)
        return math.sqrt((n - 1) * y / x) * sigma / math.sqrt(n)

    return computed(compute)


# ================================================================================================ tests
@register("Z.TEST", 2, 3, refs=(0,), aliases=("ZTEST",))
def z_test(array: Any, x: Any, sigma: Any = None) -> float | ExcelError:
    """One-tailed p-value of a z-test: the probability that the sample mean exceeds the observed one if the
    population mean were x (sigma defaults to the sample standard deviation)."""
    data = range_numbers(array)
    if isinstance(data, ExcelError):
        return data
    args = numbers(x) if sigma is None else numbers(x, sigma)
    if isinstance(args, ExcelError):
        return args
    if not data:
        return NA
    if sigma is not None and args[1] <= 0:
        return NUM
    n = len(data)
    moments = mean_and_squares(data)
    if isinstance(moments, ExcelError):
        return moments
    mean, squares = moments
    if sigma is None:
        if n < 2 or squares == 0:
            return DIV0
        deviation = math.sqrt(squares / (n - 1))
    else:
        deviation = args[1]
    return computed(lambda: normal_cdf(-(mean - args[0]) / (deviation / math.sqrt(n))))


@register("T.TEST", 4, refs=(0, 1), aliases=("TTEST",))
def t_test(array1: Any, array2: Any, tails: Any, test_type: Any) -> float | ExcelError:
    """p-value of Student's t-test: type 1 paired, 2 two samples with equal variance, 3 unequal variance
    (Welch); tails 1 or 2."""
    options = numbers(tails, test_type)
    if isinstance(options, ExcelError):
        return options
    tail_count, kind = math.trunc(options[0]), math.trunc(options[1])
    if tail_count not in (1, 2) or kind not in (1, 2, 3):
        return NUM
    if kind == 1:
        pairs = _paired_values(array1, array2)
        if isinstance(pairs, ExcelError):
            return pairs
        differences = [a - b for a, b in zip(*pairs, strict=True)]
        n = len(differences)
        if n < 2:
            return DIV0
        moments = mean_and_squares(differences)
        if isinstance(moments, ExcelError):
            return moments
        mean, squares = moments
        if squares == 0:
            return DIV0
        t = abs(mean) / math.sqrt(squares / (n - 1) / n)
        df = float(n - 1)
    else:
        first = range_numbers(array1)
        if isinstance(first, ExcelError):
            return first
        second = range_numbers(array2)
        if isinstance(second, ExcelError):
            return second
        n1, n2 = len(first), len(second)
        if n1 < 2 or n2 < 2:
            return DIV0
        moments1, moments2 = mean_and_squares(first), mean_and_squares(second)
        if isinstance(moments1, ExcelError):
            return moments1
        if isinstance(moments2, ExcelError):
            return moments2
        (mean1, squares1), (mean2, squares2) = moments1, moments2
        if kind == 2:
            pooled = (squares1 + squares2) / (n1 + n2 - 2)
            spread = pooled * (1 / n1 + 1 / n2)
            df = float(n1 + n2 - 2)
        else:
            part1 = squares1 / (n1 - 1) / n1
            part2 = squares2 / (n2 - 1) / n2
            spread = part1 + part2
            if spread == 0:
                return DIV0
            share = part1 / spread
            df = 1.0 / (share * share / (n1 - 1) + (1 - share) * (1 - share) / (n2 - 1))
        if spread == 0:
            return DIV0
        t = abs(mean1 - mean2) / math.sqrt(spread)
    return computed(lambda: tail_count * t_upper_tail(t, df))


@register("CHISQ.TEST", 2, refs=(0, 1), aliases=("CHITEST",))
def chisq_test(actual_range: Any, expected_range: Any) -> float | ExcelError:
    """p-value of the chi-squared test of independence: the right tail at sum((A - E)^2 / E) with
    (rows - 1)(columns - 1) degrees of freedom (rows - 1 or columns - 1 for a single row or column)."""
    if type(actual_range) is Matrix and type(expected_range) is Matrix:
        if (actual_range.rows, actual_range.cols) != (expected_range.rows, expected_range.cols):
            return NA
        rows, cols = actual_range.rows, actual_range.cols
    else:
        rows = cols = 1
    pairs = _paired_values(actual_range, expected_range)
    if isinstance(pairs, ExcelError):
        return pairs
    if rows > 1 and cols > 1:
        df = (rows - 1) * (cols - 1)
    elif rows > 1 or cols > 1:
        df = max(rows, cols) - 1
    else:
        return NA
    statistic = 0.0
    for observed, expected in zip(*pairs, strict=True):
        if expected == 0:
            return DIV0
        statistic += (observed - expected) ** 2 / expected
    return computed(lambda: regularized_gamma(df / 2, statistic / 2)[1])


@register("F.TEST", 2, refs=(0, 1), aliases=("FTEST",))
def f_test(array1: Any, array2: Any) -> float | ExcelError:
    """Two-tailed p-value that the variances of two samples are not different."""
    first = range_numbers(array1)
    if isinstance(first, ExcelError):
        return first
    second = range_numbers(array2)
    if isinstance(second, ExcelError):
        return second
    n1, n2 = len(first), len(second)
    if n1 < 2 or n2 < 2:
        return DIV0
    moments1, moments2 = mean_and_squares(first), mean_and_squares(second)
    if isinstance(moments1, ExcelError):
        return moments1
    if isinstance(moments2, ExcelError):
        return moments2
    variance1, variance2 = moments1[1] / (n1 - 1), moments2[1] / (n2 - 1)
    if variance1 == 0 or variance2 == 0:
        return DIV0
    f = variance1 / variance2
    d1, d2 = float(n1 - 1), float(n2 - 1)

    def compute() -> float:
        denominator = d1 * f + d2
        lower, upper = regularized_beta(d1 * f / denominator, d1 / 2, d2 / 2, d2 / denominator)
        return 2 * min(lower, upper)

    return computed(compute)
