"""Discrete probability distributions: binomial, negative binomial, hypergeometric, Poisson, and PROB.

BINOM.DIST (BINOMDIST), BINOM.DIST.RANGE, BINOM.INV (CRITBINOM), NEGBINOM.DIST (NEGBINOMDIST), HYPGEOM.DIST
(HYPGEOMDIST), POISSON.DIST (POISSON) and PROB. Counts are truncated to integers. Probabilities of single outcomes
use Loader's saddle-point densities and cumulative probabilities the regularized incomplete beta and gamma
functions (:mod:`.special_functions`), so they stay accurate for millions of trials.
"""

from __future__ import annotations

import math
from typing import Any

from sheetrl.sheet.errors import DIV0, NA, NUM, ExcelError
from sheetrl.sheet.functions import register
from sheetrl.sheet.functions.arguments import OMITTED
from sheetrl.sheet.functions.distributions import computed, numbers, with_flag
from sheetrl.sheet.functions.special_functions import (
    binomial_density,
    poisson_density,
    regularized_beta,
    regularized_gamma,
)
from sheetrl.sheet.values import Matrix


# ================================================================================================ binomial
def binomial_cdf(k: float, n: float, p: float) -> float:
    """P(X <= k) for X ~ Binomial(n, p), 0 <= k <= n integers."""
    if k >= n or p == 0.0:
        return 1.0
    if p == 1.0:
        return 0.0
    # P(X <= k) = I_(1-p)(n - k, k + 1)
    return regularized_beta(1.0 - p, n - k, k + 1, p)[0]


def _binomial_args(k: Any, trials: Any, probability: Any) -> tuple[float, float, float] | ExcelError:
    args = numbers(k, trials, probability)
    if isinstance(args, ExcelError):
        return args
    successes, n, p = math.trunc(args[0]), math.trunc(args[1]), args[2]
    if successes < 0 or successes > n or not 0 <= p <= 1:
        return NUM
    return float(successes), float(n), p


@register("BINOM.DIST", 4, aliases=("BINOMDIST",))
def binom_dist(number_s: Any, trials: Any, probability_s: Any, cumulative: Any) -> float | ExcelError:
    """Binomial probability of ``number_s`` successes in ``trials`` (or at most that many when cumulative)."""
    checked = with_flag(_binomial_args(number_s, trials, probability_s), cumulative)
    if isinstance(checked, ExcelError):
        return checked
    args, cumulative_flag = checked
    k, n, p = args
    return computed(lambda: binomial_cdf(k, n, p) if cumulative_flag else binomial_density(k, n, p))


@register("BINOM.DIST.RANGE", 3, 4)
def binom_dist_range(
    trials: Any, probability_s: Any, number_s: Any, number_s2: Any = OMITTED
) -> float | ExcelError:
    """Probability that the number of successes lies between ``number_s`` and ``number_s2`` (left out: equals
    ``number_s``; an empty cell is 0, so below a positive ``number_s`` it is #NUM!, as Excel computes
    BINOM.DIST.RANGE(2,0.1,2,D12) with D12 empty in IronCalc's BINOM.xlsx)."""
    args = numbers(trials, probability_s, number_s, number_s if number_s2 is OMITTED else number_s2)
    if isinstance(args, ExcelError):
        return args
    n, p, low, high = math.trunc(args[0]), args[1], math.trunc(args[2]), math.trunc(args[3])
    if not 0 <= p <= 1 or low < 0 or low > n or high < low or high > n:
        return NUM

    def compute() -> float:
        if high - low <= 1000:
            return math.fsum(binomial_density(k, n, p) for k in range(low, high + 1))
        below = binomial_cdf(low - 1, n, p) if low > 0 else 0.0
        return binomial_cdf(high, n, p) - below

    return computed(compute)


@register("BINOM.INV", 3, aliases=("CRITBINOM",))
def binom_inv(trials: Any, probability_s: Any, alpha: Any) -> float | ExcelError:
    """Smallest number of successes whose cumulative binomial probability is at least ``alpha`` (0 < alpha < 1,
    0 <= probability_s < 1)."""
    args = numbers(trials, probability_s, alpha)
    if isinstance(args, ExcelError):
        return args
    n, p, target = math.trunc(args[0]), args[1], args[2]
    # Excel gives #NUM! for alpha 0 or 1 and a probability of 1 (measured on a workbook it calculated).
    if n < 0 or not 0 <= p < 1 or not 0 < target < 1:
        return NUM

    def compute() -> float:
        low, high = 0, n  # binomial_cdf(n) = 1 >= target
        while low < high:
            middle = (low + high) // 2
            if binomial_cdf(middle, n, p) >= target:
                high = middle
            else:
                low = middle + 1
        return float(low)

    return computed(compute)


@register("NEGBINOM.DIST", 4)
def negbinom_dist(number_f: Any, number_s: Any, probability_s: Any, cumulative: Any) -> float | ExcelError:
    """Probability of ``number_f`` failures before the ``number_s``-th success (or at most that many)."""
    checked = with_flag(numbers(number_f, number_s, probability_s), cumulative)
    if isinstance(checked, ExcelError):
        return checked
    args, cumulative_flag = checked
    failures, successes, p = float(math.trunc(args[0])), float(math.trunc(args[1])), args[2]
    if failures < 0 or successes < 1 or not 0 < p < 1:  # 0 and 1 are #NUM! in Excel (measured)
        return NUM

    def compute() -> float:
        if cumulative_flag:
            return regularized_beta(p, successes, failures + 1, 1.0 - p)[0]
        # C(f + s - 1, f) p^s q^f = s / (f + s) * C(f + s, s) p^s q^f
        return successes / (failures + successes) * binomial_density(successes, failures + successes, p)

    return computed(compute)


@register("NEGBINOMDIST", 3)
def negbinomdist(number_f: Any, number_s: Any, probability_s: Any) -> float | ExcelError:
    """Negative binomial probability (the legacy name of NEGBINOM.DIST(..., FALSE))."""
    return negbinom_dist(number_f, number_s, probability_s, False)


# ================================================================================================ hypergeometric
def hypergeometric_density(k: float, n: float, successes: float, population: float) -> float:
    """P(X = k) drawing n from a population with ``successes`` marked items (Loader-style, via binomials)."""
    if k < max(0.0, n - (population - successes)) or k > min(n, successes):
        return 0.0
    if n == 0:
        return 1.0  # an empty sample has no successes (also for an empty population)
    p = n / population
    return (
        binomial_density(k, successes, p)
        * binomial_density(n - k, population - successes, p)
        / binomial_density(n, population, p)
    )


def _hypergeometric_cdf(k: float, n: float, successes: float, population: float) -> float:
    """P(X <= k), summing the densities down from k with their ratio."""
    lowest = max(0.0, n - (population - successes))
    term = hypergeometric_density(k, n, successes, population)
    terms = [term]
    largest = term
    i = k
    while i > lowest:
        # P(i - 1) / P(i) = i (N - M - n + i) / ((M - i + 1) (n - i + 1))
        term *= i * (population - successes - n + i) / ((successes - i + 1) * (n - i + 1))
        terms.append(term)
        largest = max(largest, term)
        i -= 1
        if term < 1e-17 * largest:  # past the mode, the remaining terms cannot change the sum
            break
    return min(1.0, math.fsum(terms))


@register("HYPGEOM.DIST", 5)
def hypgeom_dist(
    sample_s: Any, number_sample: Any, population_s: Any, number_pop: Any, cumulative: Any
) -> float | ExcelError:
    """Hypergeometric probability of ``sample_s`` successes in a sample (or at most that many)."""
    checked = with_flag(numbers(sample_s, number_sample, population_s, number_pop), cumulative)
    if isinstance(checked, ExcelError):
        return checked
    args, cumulative_flag = checked
    k, n, marked, population = (float(math.trunc(v)) for v in args)
    # Excel accepts empty samples and populations: HYPGEOM.DIST(0, 0, 0, 0, FALSE) is 1 (as it caches it).
    if (
        population < 0
        or not 0 <= n <= population
        or not 0 <= marked <= population
        or k < max(0.0, n - population + marked)
        or k > min(n, marked)
    ):
        return NUM
    if cumulative_flag:
        return computed(lambda: _hypergeometric_cdf(k, n, marked, population))
    return computed(lambda: hypergeometric_density(k, n, marked, population))


@register("HYPGEOMDIST", 4)
def hypgeomdist(sample_s: Any, number_sample: Any, population_s: Any, number_pop: Any) -> float | ExcelError:
    """Hypergeometric probability (the legacy name of HYPGEOM.DIST(..., FALSE))."""
    return hypgeom_dist(sample_s, number_sample, population_s, number_pop, False)


# ================================================================================================ Poisson
@register("POISSON.DIST", 3, aliases=("POISSON",))
def poisson_dist(x: Any, mean: Any, cumulative: Any) -> float | ExcelError:
    """Poisson probability of x events (or at most x when cumulative); #NUM! for x < 0 or mean < 0."""
    checked = with_flag(numbers(x, mean), cumulative)
    if isinstance(checked, ExcelError):
        return checked
    args, cumulative_flag = checked
    events, lam = float(math.trunc(args[0])), args[1]
    if args[0] < 0 or lam < 0:  # x is checked before truncation: -0.000001 is #NUM! (as Excel caches it)
        return NUM
    if cumulative_flag:
        # P(X <= x) = Q(x + 1, mean), the upper regularized incomplete gamma function
        return computed(lambda: 1.0 if lam == 0 else regularized_gamma(events + 1, lam)[1])
    return computed(lambda: poisson_density(events, lam))


# ================================================================================================ PROB
@register("PROB", 3, 4, refs=(0, 1))
def prob(x_range: Any, prob_range: Any, lower_limit: Any, upper_limit: Any = None) -> float | ExcelError:
    """Probability that a value of ``x_range`` lies between the limits (equals ``lower_limit`` without an upper
    one), the probabilities of ``prob_range`` summing to 1."""
    xs = x_range.values if type(x_range) is Matrix else [x_range]
    ps = prob_range.values if type(prob_range) is Matrix else [prob_range]
    if len(xs) != len(ps):
        return NA
    limits = numbers(lower_limit, lower_limit if upper_limit is None else upper_limit)
    if isinstance(limits, ExcelError):
        return limits
    low, high = limits
    total = 0.0
    counted = 0
    inside: list[float] = []
    for x, p in zip(xs, ps, strict=True):
        for value in (x, p):
            if isinstance(value, ExcelError):
                return value
        if type(x) not in (float, int) or type(p) not in (float, int):
            continue
        if p <= 0 or p > 1:
            return NUM
        counted += 1
        total += p
        if low <= x <= high:
            inside.append(float(p))
    if not counted:
        return DIV0  # no numeric pairs (as Excel caches it)
    if abs(total - 1.0) > 1e-7:
        return NUM
    return math.fsum(inside)
