"""Probability distributions against closed forms, exact sums and their own inverses."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import pytest

from sheetrl.sheet.errors import NUM

from .cases import case, evaluate, run


def approx(value: float, rel: float = 1e-12) -> Any:
    return pytest.approx(value, rel=rel, abs=1e-300)


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        # Student's t with 1 degree of freedom is the Cauchy distribution
        case("t-one-df-is-cauchy", "=T.DIST(2.5,1,TRUE)", approx(0.5 + math.atan(2.5) / math.pi)),
        case("t-one-df-right-tail", "=T.DIST.RT(40,1)", approx(0.5 - math.atan(40) / math.pi, 1e-11)),
        case("t-two-df-closed-form", "=T.DIST(1.5,2,TRUE)", approx(0.5 + 1.5 / (2 * math.sqrt(2 + 1.5**2)))),
        case("t-inv-two-df-closed-form", "=T.INV(0.9,2)", approx((2 * 0.9 - 1) / math.sqrt(2 * 0.9 * 0.1))),
        # chi-squared with 2 degrees of freedom is exponential with mean 2
        case("chisq-two-df", "=CHISQ.DIST(3,2,TRUE)", approx(-math.expm1(-1.5))),
        case("chisq-two-df-tail", "=CHISQ.DIST.RT(90,2)", approx(math.exp(-45))),
        case("chisq-inv-two-df", "=CHISQ.INV.RT(0.01,2)", approx(-2 * math.log(0.01))),
        # F(1, d) is the square of t(d): P(F > t^2) = P(|T| > t)
        case("f-is-t-squared", "=F.DIST.RT(2.25,1,7)-T.DIST.2T(1.5,7)", approx(0.0)),
        # Beta(1, 1) is uniform; Beta(a, 1) has CDF x^a
        case("beta-uniform", "=BETA.DIST(0.37,1,1,TRUE)", approx(0.37)),
        case("beta-power", "=BETA.DIST(0.6,3,1,TRUE)", approx(0.6**3)),
        case("beta-inv-power", "=BETA.INV(0.216,3,1)", approx(0.6)),
        # Gamma with shape 1 is exponential
        case("gamma-shape-one", "=GAMMA.DIST(2,1,4,TRUE)", approx(-math.expm1(-0.5))),
        case("gamma-inv-shape-one", "=GAMMA.INV(0.5,1,4)", approx(4 * math.log(2))),
        case("gamma-half-integer", "=GAMMA(0.5)", approx(math.sqrt(math.pi))),
        case("gammaln-large", "=GAMMALN(1000)", approx(math.lgamma(1000))),
        # Normal and lognormal
        case("norm-symmetry", "=NORM.S.DIST(-1.7,TRUE)+NORM.S.DIST(1.7,TRUE)", approx(1.0)),
        case("norm-far-tail-keeps-precision", "=NORM.S.DIST(-20,TRUE)", approx(0.5 * math.erfc(20 / math.sqrt(2)))),
        case("norm-inv-round-trip", "=NORM.S.DIST(NORM.S.INV(1E-15),TRUE)", approx(1e-15, 1e-12)),
        case("lognorm-is-normal-of-log", "=LOGNORM.DIST(5,1,2,TRUE)-NORM.DIST(LN(5),1,2,TRUE)", approx(0.0)),
        case("gauss-is-normal-minus-half", "=GAUSS(0.3)", approx(0.5 * math.erf(0.3 / math.sqrt(2)))),
        case("weibull-shape-one-is-exponential", "=WEIBULL.DIST(3,1,2,TRUE)", approx(-math.expm1(-1.5))),
        case("expon-pdf", "=EXPON.DIST(0.5,2,FALSE)", approx(2 * math.exp(-1))),
        # Domains
        case("t-dist-2t-negative-is-num", "=T.DIST.2T(-1,3)", "#NUM!"),
        case("chisq-df-above-1e10-is-num", "=CHISQ.DIST(1,2E10,TRUE)", "#NUM!"),
        case("beta-inv-zero-probability-is-num", "=BETA.INV(0,2,3)", "#NUM!"),
        case("gamma-inv-underflowing-quantile-is-num", "=GAMMA.INV(1E-300,0.01,1)", "#NUM!"),
        case("fisher-round-trip", "=FISHERINV(FISHER(0.3))", approx(0.3)),
    ],
)
def test_continuous(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


def exact_binomial(k: int, n: int, p: Fraction) -> Fraction:
    return math.comb(n, k) * p**k * (1 - p) ** (n - k)


@pytest.mark.parametrize(("k", "n"), [(0, 12), (5, 12), (12, 12), (17, 40)])
def test_binomial_cumulative_is_the_exact_sum(k: int, n: int) -> None:
    p = Fraction(3, 10)
    exact = sum(exact_binomial(i, n, p) for i in range(k + 1))
    assert evaluate(f"=BINOM.DIST({k},{n},0.3,TRUE)") == approx(float(exact))


def test_binomial_range_is_a_difference_of_cumulatives() -> None:
    p = Fraction(1, 4)
    exact = sum(exact_binomial(i, 60, p) for i in range(10, 21))
    assert evaluate("=BINOM.DIST.RANGE(60,0.25,10,20)") == approx(float(exact))


def test_binom_inv_is_the_smallest_count_reaching_alpha() -> None:
    for alpha in (0.01, 0.3, 0.5, 0.9, 0.999):
        k = evaluate(f"=BINOM.INV(30,0.4,{alpha})")
        assert evaluate(f"=BINOM.DIST({k},30,0.4,TRUE)") >= alpha
        if k > 0:
            assert evaluate(f"=BINOM.DIST({k - 1},30,0.4,TRUE)") < alpha


def test_hypergeometric_matches_exact_combinatorics() -> None:
    exact = Fraction(math.comb(8, 3) * math.comb(12, 2), math.comb(20, 5))
    assert evaluate("=HYPGEOM.DIST(3,5,8,20,FALSE)") == approx(float(exact))
    cumulative = sum(Fraction(math.comb(8, i) * math.comb(12, 5 - i), math.comb(20, 5)) for i in range(4))
    assert evaluate("=HYPGEOM.DIST(3,5,8,20,TRUE)") == approx(float(cumulative))


def test_negative_binomial_matches_the_formula() -> None:
    # C(f + s - 1, f) p^s (1 - p)^f
    exact = math.comb(10 + 5 - 1, 10) * Fraction(1, 4) ** 5 * Fraction(3, 4) ** 10
    assert evaluate("=NEGBINOM.DIST(10,5,0.25,FALSE)") == approx(float(exact))
    cumulative = sum(math.comb(f + 4, f) * Fraction(1, 4) ** 5 * Fraction(3, 4) ** f for f in range(11))
    assert evaluate("=NEGBINOM.DIST(10,5,0.25,TRUE)") == approx(float(cumulative))


def test_poisson_cumulative_is_the_sum_of_the_masses() -> None:
    mean = 3.7
    total = math.fsum(math.exp(-mean) * mean**i / math.factorial(i) for i in range(9))
    assert evaluate("=POISSON.DIST(8,3.7,TRUE)") == approx(total)
    assert evaluate("=POISSON.DIST(0,0,TRUE)") == 1


def test_inverses_round_trip() -> None:
    pairs = [
        ("=T.DIST(T.INV(0.0123,7),7,TRUE)", 0.0123),
        ("=T.DIST.2T(T.INV.2T(0.3,4),4)", 0.3),
        ("=F.DIST(F.INV(0.77,3,9),3,9,TRUE)", 0.77),
        ("=F.DIST.RT(F.INV.RT(1E-9,3,9),3,9)", 1e-9),
        ("=CHISQ.DIST(CHISQ.INV(0.2,17),17,TRUE)", 0.2),
        ("=GAMMA.DIST(GAMMA.INV(0.95,2.5,3),2.5,3,TRUE)", 0.95),
        ("=BETA.DIST(BETA.INV(0.42,0.7,3.3,2,9),0.7,3.3,TRUE,2,9)", 0.42),
        ("=LOGNORM.DIST(LOGNORM.INV(0.6,1,0.5),1,0.5,TRUE)", 0.6),
    ]
    for formula, probability in pairs:
        assert evaluate(formula) == approx(probability, 1e-10), formula


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("paired-t-test-is-one-sample-test-of-differences",
             "=T.TEST(A1:A4,B1:B4,2,1)-T.DIST.2T(ABS(AVERAGE(C1:C4))/(STDEV(C1:C4)/2),3)", approx(0.0, 1e-9),
             {"A1": 1, "A2": 4, "A3": 6, "A4": 3, "B1": 2, "B2": 1, "B3": 2, "B4": 2,
              "C1": "=A1-B1", "C2": "=A2-B2", "C3": "=A3-B3", "C4": "=A4-B4"}),
        case("z-test-with-sigma", "=Z.TEST({1,2,3,4},2,1)", approx(0.5 * math.erfc(1 / math.sqrt(2)))),
        case("z-test-empty-is-na", "=Z.TEST(A1:A3,1)", "#N/A"),
        # statistic (25 + 25) / 15 = 10/3 with 1 degree of freedom: P(chi2 > s) = erfc(sqrt(s / 2))
        case("chisq-test-is-the-right-tail", "=CHISQ.TEST({10,20},{15,15})",
             approx(math.erfc(math.sqrt(10 / 3) / math.sqrt(2)))),
        case("f-test-is-symmetric", "=F.TEST({1,2,4},{3,9,1,7})-F.TEST({3,9,1,7},{1,2,4})", approx(0.0)),
        case("confidence-norm", "=CONFIDENCE.NORM(0.05,1,4)", approx(1.959963984540054 / 2)),
    ],
)
def test_tests(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


@pytest.mark.parametrize(
    "formula",
    [
        "=BINOM.INV(10,0.7,0)",
        "=BINOM.INV(10,0.7,1)",
        "=BINOM.INV(10,1,0.8)",
        "=CRITBINOM(10,0.7,1)",
        "=NEGBINOM.DIST(2,10,0,TRUE)",
        "=NEGBINOM.DIST(2,10,1,TRUE)",
        "=NEGBINOM.DIST(2,10,1,FALSE)",
    ],
)
def test_degenerate_probabilities_are_num(formula: str) -> None:
    # Excel's cached values in a real workbook: alpha 0 or 1 and a success probability of 1 (or 0 for NEGBINOM)
    # are #NUM!, although the results would be defined.
    assert evaluate(formula) == NUM


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("=HYPGEOM.DIST(0,0,0,0,FALSE)", 1),  # an empty sample (even of an empty population) has no successes
        ("=HYPGEOM.DIST(0,0,4,4,TRUE)", 1),
        ("=HYPGEOM.DIST(4,3,7,4,TRUE)", "#NUM!"),  # more marked items than the population
        ("=POISSON.DIST(-0.000001,5,TRUE)", "#NUM!"),  # x is checked before it is truncated
        ("=T.DIST(0,0,FALSE)", "#DIV/0!"),  # the density with 0 degrees of freedom
        ("=T.DIST(0,0,TRUE)", "#NUM!"),
        ('=PROB({"a","b"},{"c","d"},1)', "#DIV/0!"),  # no numeric pairs
    ],
)
def test_edge_cases_as_excel_caches_them(formula: str, expected: Any) -> None:
    run(formula, expected, None)
