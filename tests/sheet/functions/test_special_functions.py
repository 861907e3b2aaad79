"""The numerical building blocks of the distributions, against closed forms and exact arithmetic."""

from __future__ import annotations

import math
from fractions import Fraction

import pytest

from sheetrl.sheet.functions.special_functions import (
    beta_quantile,
    binomial_density,
    deviance_term,
    inverse_regularized_beta,
    inverse_regularized_gamma,
    normal_cdf,
    normal_quantile,
    poisson_density,
    regularized_beta,
    regularized_gamma,
    solve_increasing,
    stirling_error,
)


def close(a: float, b: float, rel: float = 1e-13) -> bool:
    return math.isclose(a, b, rel_tol=rel, abs_tol=0.0)


# ================================================================================================ densities
@pytest.mark.parametrize("n", [0.5, 1, 2, 7.5, 15, 16, 40])
def test_stirling_error_is_the_remainder_of_stirlings_formula(n: float) -> None:
    expected = math.lgamma(n + 1) - (n + 0.5) * math.log(n) + n - 0.5 * math.log(2 * math.pi)
    assert math.isclose(stirling_error(n), expected, rel_tol=1e-9, abs_tol=1e-15)


@pytest.mark.parametrize("n", [100.0, 600.0, 1e6])
def test_stirling_error_follows_the_asymptotic_series_for_large_n(n: float) -> None:
    assert close(stirling_error(n), 1 / (12 * n) - 1 / (360 * n**3) + 1 / (1260 * n**5), rel=1e-12)


def test_deviance_term_has_no_cancellation_near_the_mean() -> None:
    # x log(x/m) + m - x = m * ((1+d) log(1+d) - d) with d = x/m - 1; for tiny d that is m d^2 / 2 to first order.
    m, d = 1000.0, 1e-9
    assert close(deviance_term(m * (1 + d), m), m * d * d / 2, rel=1e-6)
    assert close(deviance_term(3.0, 7.0), 3 * math.log(3 / 7) + 7 - 3)


@pytest.mark.parametrize(("k", "n", "p"), [(0, 10, 0.3), (3, 10, 0.3), (10, 10, 0.3), (25, 60, 0.45), (1, 2, 0.5)])
def test_binomial_density_matches_exact_rational_arithmetic(k: int, n: int, p: float) -> None:
    q = Fraction(1) - Fraction(p)
    exact = math.comb(n, k) * Fraction(p) ** k * q ** (n - k)
    assert close(binomial_density(k, n, p), float(exact), rel=1e-13)


def test_binomial_density_stays_finite_for_huge_counts() -> None:
    # C(10000, 5000) / 2^10000 ~ 1 / sqrt(pi * 5000) by Stirling
    assert close(binomial_density(5000, 10000, 0.5), 1 / math.sqrt(math.pi * 5000), rel=1e-4)


@pytest.mark.parametrize(("x", "mean"), [(0, 2.5), (3, 2.5), (20, 4.0), (1000, 1000.0)])
def test_poisson_density_matches_the_formula(x: int, mean: float) -> None:
    expected = math.exp(x * math.log(mean) - mean - math.lgamma(x + 1)) if x else math.exp(-mean)
    assert close(poisson_density(x, mean), expected, rel=1e-11)


# ================================================================================================ incomplete gamma
@pytest.mark.parametrize("x", [0.01, 0.5, 2.0, 9.0, 40.0])
def test_gamma_with_shape_one_is_the_exponential_distribution(x: float) -> None:
    lower, upper = regularized_gamma(1.0, x)
    assert close(lower, -math.expm1(-x))
    assert close(upper, math.exp(-x))


@pytest.mark.parametrize("x", [0.1, 1.0, 3.0, 12.0])
def test_gamma_with_shape_one_half_is_erf_of_the_root(x: float) -> None:
    lower, upper = regularized_gamma(0.5, x)
    assert close(lower, math.erf(math.sqrt(x)))
    assert close(upper, math.erfc(math.sqrt(x)), rel=1e-12)


def test_upper_gamma_tail_keeps_precision_far_out() -> None:
    # Q(3, x) = e^-x (1 + x + x^2/2): at x = 60 that is about 1.6e-23, far below 1 - P's resolution.
    x = 60.0
    assert close(regularized_gamma(3.0, x)[1], math.exp(-x) * (1 + x + x * x / 2), rel=1e-12)


def test_gamma_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError):
        regularized_gamma(0.0, 1.0)
    with pytest.raises(ValueError):
        regularized_gamma(2.0, -1.0)


# ================================================================================================ incomplete beta
@pytest.mark.parametrize("x", [0.001, 0.2, 0.5, 0.9, 0.999])
def test_beta_with_shape_one_is_a_power(x: float) -> None:
    # I_x(a, 1) = x^a and I_x(1, b) = 1 - (1-x)^b
    assert close(regularized_beta(x, 3.5, 1.0)[0], x**3.5)
    assert close(regularized_beta(x, 1.0, 2.5)[1], (1 - x) ** 2.5, rel=1e-12)


def test_beta_tails_add_to_one_and_mirror() -> None:
    lower, upper = regularized_beta(0.3, 2.0, 5.0)
    assert close(lower + upper, 1.0)
    mirrored_lower, mirrored_upper = regularized_beta(0.7, 5.0, 2.0)
    assert close(lower, mirrored_upper, rel=1e-14)
    assert close(upper, mirrored_lower, rel=1e-14)


def test_beta_matches_the_binomial_sum() -> None:
    # P(X <= k) for X ~ Binomial(n, p) equals I_(1-p)(n - k, k + 1)
    n, k, p = 20, 6, 0.35
    exact = sum(math.comb(n, i) * Fraction(p) ** i * (1 - Fraction(p)) ** (n - i) for i in range(k + 1))
    assert close(regularized_beta(1 - p, n - k, k + 1)[0], float(exact), rel=1e-13)


def test_beta_uses_the_given_complement_for_precision() -> None:
    # Student's t with one degree of freedom is Cauchy: P(|T| > t) = 1 - 2 atan(t) / pi.
    t = 1e-9
    two_tailed = regularized_beta(1 / (1 + t * t), 0.5, 0.5, t * t / (1 + t * t))[1]
    assert close(two_tailed, 2 * math.atan(t) / math.pi, rel=1e-12)


# ================================================================================================ inverses
def test_normal_quantile_inverts_the_cdf_in_both_tails() -> None:
    for p in (1e-300, 1e-12, 0.025, 0.5, 0.975, 1 - 1e-12):
        z = normal_quantile(p)
        assert math.isclose(normal_cdf(z), p, rel_tol=1e-12)
    assert normal_quantile(0.5) == 0.0
    with pytest.raises(ValueError):
        normal_quantile(1.0)


@pytest.mark.parametrize("a", [0.05, 0.5, 1.0, 3.0, 250.0])
@pytest.mark.parametrize("p", [1e-20, 1e-6, 0.3, 0.5, 0.99])
def test_inverse_gamma_round_trips_in_both_tails(a: float, p: float) -> None:
    if a < 0.1 and p < 1e-15:  # the quantile, about (p * Gamma(a + 1))^(1/a) = 1e-400, is below the doubles
        with pytest.raises(ValueError):
            inverse_regularized_gamma(a, p)
        return
    x = inverse_regularized_gamma(a, p)
    assert math.isclose(regularized_gamma(a, x)[0], p, rel_tol=1e-10)
    y = inverse_regularized_gamma(a, p, upper=True)
    assert math.isclose(regularized_gamma(a, y)[1], p, rel_tol=1e-10)


@pytest.mark.parametrize(("a", "b"), [(0.5, 0.5), (2.0, 5.0), (30.0, 1.5), (0.2, 8.0)])
@pytest.mark.parametrize("p", [1e-12, 0.01, 0.5, 0.97])
def test_inverse_beta_round_trips(a: float, b: float, p: float) -> None:
    x = inverse_regularized_beta(a, b, p)
    assert math.isclose(regularized_beta(x, a, b)[0], p, rel_tol=1e-9)


def test_beta_quantile_returns_both_ends_precisely() -> None:
    x, y = beta_quantile(50.0, 0.5, 0.999999, 1e-6)
    assert x + y == pytest.approx(1.0, abs=1e-15)
    assert math.isclose(regularized_beta(x, 50.0, 0.5, y)[1], 1e-6, rel_tol=1e-9)


def test_solver_finds_a_root_past_an_infinite_bound() -> None:
    root = solve_increasing(lambda x: x**3 - 1000.0, lambda x: 3 * x * x, 0.0, math.inf, 1.0)
    assert close(root, 10.0, rel=1e-14)
