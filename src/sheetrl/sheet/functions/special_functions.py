"""Numerical building blocks of the statistical functions (not spreadsheet functions themselves).

The engine has no SciPy: the regularized incomplete gamma and beta functions, the binomial and Poisson densities and
the inverses of all distributions are written here from published algorithms, each named where it is used:

- log-gamma and the error functions come from the C library through :mod:`math`;
- densities use Catherine Loader's saddle-point method ("Fast and Accurate Computation of Binomial
  Probabilities", 2000): a Stirling-series remainder and a deviance term computed without cancellation, so
  ``BINOM.DIST(5000, 10000, 0.5, FALSE)`` keeps full precision where ``C(n, k) p^k q^(n-k)`` over/underflows;
- the incomplete gamma function by its power series and Legendre's continued fraction, the incomplete beta function
  by its continued fraction, both evaluated with the modified Lentz method (Numerical Recipes, 3rd ed., 6.2 and 6.4);
- the normal quantile is Wichura's algorithm AS 241 (PPND16, relative accuracy 1e-16), as implemented by Python's
  :class:`statistics.NormalDist`;
- every other quantile is found by :func:`solve_increasing`, a safeguarded Newton iteration on the distribution
  function (bisection whenever a Newton step leaves the bracket), which converges to the last bit of the argument
  because the lower or upper tail is chosen so that the target probability is never computed as ``1 - tiny``.

Functions raise :class:`ArithmeticError` (``ValueError``/``OverflowError``) for arguments outside their domain or
results that cannot be represented; callers map that to ``#NUM!``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from statistics import NormalDist

_EPSILON = 2.220446049250313e-16
_TINY = 1e-300  # Lentz's guard against division by zero
_LOG_SQRT_2PI = 0.5 * math.log(2 * math.pi)
_SQRT2 = math.sqrt(2.0)
_MAX_SERIES_TERMS = 1_000_000
# The series and continued fractions need O(sqrt(shape)) terms; Excel's own limit on degrees of freedom is 1e10.
_MAX_SHAPE = 1e10
_STANDARD_NORMAL = NormalDist()


# ================================================================================================ normal
def normal_cdf(z: float) -> float:
    """Standard normal distribution function, accurate in both tails (through erfc)."""
    return 0.5 * math.erfc(-z / _SQRT2)


def normal_pdf(z: float) -> float:
    """Standard normal density."""
    return math.exp(-0.5 * z * z - _LOG_SQRT_2PI)


def normal_quantile(p: float) -> float:
    """Inverse of :func:`normal_cdf` for 0 < p < 1 (Wichura's AS 241)."""
    if not 0.0 < p < 1.0:
        raise ValueError(f"probability {p} is outside (0, 1)")
    return _STANDARD_NORMAL.inv_cdf(p)


# ================================================================================================ Loader's densities
# Stirling-series remainders ln(n!) - (n + 1/2) ln n + n - ln sqrt(2 pi) for n = 0, 0.5, 1, ..., 15.
_STIRLING_ERRORS = [
    0.0,  # n = 0 is handled separately
    0.1534264097200273452913848,
    0.0810614667953272582196702,
    0.0548141210519176538961390,
    0.0413406959554092940938221,
    0.03316287351993628748511048,
    0.02767792568499833914878929,
    0.02374616365629749597132920,
    0.02079067210376509311152277,
    0.01848845053267318523077934,
    0.01664469118982119216319487,
    0.01513497322191737887351255,
    0.01387612882307074799874573,
    0.01281046524292022692424986,
    0.01189670994589177009505572,
    0.01110455975820691732662991,
    0.010411265261972096497478567,
    0.009799416126158803298389475,
    0.009255462182712732917728637,
    0.008768700134139385462952823,
    0.008330563433362871256469318,
    0.007934114564314020547248100,
    0.007573675487951840794972024,
    0.007244554301320383179543912,
    0.006942840107209529865664152,
    0.006665247032707682442354394,
    0.006408994188004207068439631,
    0.006171712263039457647532867,
    0.005951370112758847735624416,
    0.005746216513010115682023589,
    0.005554733551962801371038690,
]


def stirling_error(n: float) -> float:
    """ln Γ(n + 1) - (n + 1/2) ln n + n - ln √(2π), without the cancellation of computing it that way."""
    if n <= 15.0:
        doubled = n + n
        if doubled == int(doubled) and doubled > 0:
            return _STIRLING_ERRORS[int(doubled)]
        return math.lgamma(n + 1.0) - (n + 0.5) * math.log(n) + n - _LOG_SQRT_2PI
    square = n * n
    if n > 500:
        return (1 / 12 - (1 / 360) / square) / n
    if n > 80:
        return (1 / 12 - (1 / 360 - (1 / 1260) / square) / square) / n
    if n > 35:
        return (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680) / square) / square) / square) / n
    return (1 / 12 - (1 / 360 - (1 / 1260 - (1 / 1680 - (1 / 1188) / square) / square) / square) / square) / n


def deviance_term(x: float, mean: float) -> float:
    """x ln(x / mean) + mean - x, accurate when x is close to mean (Loader's bd0)."""
    if abs(x - mean) < 0.1 * (x + mean):
        ratio = (x - mean) / (x + mean)
        total = (x - mean) * ratio
        term = 2.0 * x * ratio
        ratio *= ratio
        for j in range(1, 1000):
            term *= ratio
            updated = total + term / (2 * j + 1)
            if updated == total:
                return updated
            total = updated
        return total
    return x * math.log(x / mean) + mean - x


def poisson_density(x: float, mean: float) -> float:
    """mean^x e^-mean / Γ(x + 1) for real x >= 0 (Loader)."""
    if mean == 0.0:
        return 1.0 if x == 0.0 else 0.0
    if x == 0.0:
        return math.exp(-mean)
    if x < 0.0:
        return 0.0
    return math.exp(-stirling_error(x) - deviance_term(x, mean)) / math.sqrt(2 * math.pi * x)


def binomial_density(k: float, n: float, p: float) -> float:
    """C(n, k) p^k (1-p)^(n-k) for 0 <= k <= n (Loader)."""
    q = 1.0 - p
    if p == 0.0:
        return 1.0 if k == 0.0 else 0.0
    if q == 0.0:
        return 1.0 if k == n else 0.0
    if k == 0.0:
        if n == 0.0:
            return 1.0
        return math.exp(n * math.log1p(-p) if p < 0.1 else n * math.log(q))
    if k == n:
        return math.exp(n * math.log(p))
    if k < 0.0 or k > n:
        return 0.0
    log_coefficient = (
        stirling_error(n) - stirling_error(k) - stirling_error(n - k) - deviance_term(k, n * p)
        - deviance_term(n - k, n * q)
    )
    log_factor = math.log(2 * math.pi) + math.log(k) + math.log1p(-k / n)
    return math.exp(log_coefficient - 0.5 * log_factor)


# ================================================================================================ incomplete gamma
def _gamma_prefix(a: float, x: float) -> float:
    """x^a e^-x / Γ(a), through Loader's Poisson density for large a (no cancellation in the exponent)."""
    if a < 10.0:
        return math.exp(a * math.log(x) - x - math.lgamma(a))
    return a * poisson_density(a, x)


def regularized_gamma(a: float, x: float) -> tuple[float, float]:
    """(P(a, x), Q(a, x)): the regularized lower and upper incomplete gamma functions, each to full precision.

    Power series for x < a + 1, else Legendre's continued fraction by the modified Lentz method (Numerical
    Recipes, 3rd ed., 6.2). Raises ValueError for a <= 0 or x < 0, or when the series does not converge.
    """
    if a <= 0.0 or x < 0.0 or math.isnan(a) or math.isnan(x):
        raise ValueError(f"incomplete gamma needs a > 0 and x >= 0, not a={a}, x={x}")
    if a > _MAX_SHAPE:
        raise ValueError(f"incomplete gamma shape above {_MAX_SHAPE:g}")
    if x == 0.0:
        return 0.0, 1.0
    if math.isinf(x):
        return 1.0, 0.0
    prefix = _gamma_prefix(a, x)
    if prefix == 0.0:  # far in a tail
        return (1.0, 0.0) if x > a else (0.0, 1.0)
    if x < a + 1.0:
        term = total = 1.0 / a
        denominator = a
        for _ in range(_MAX_SERIES_TERMS):
            denominator += 1.0
            term *= x / denominator
            total += term
            if abs(term) < abs(total) * _EPSILON:
                lower = min(1.0, total * prefix)
                return lower, 1.0 - lower
        raise ValueError("incomplete gamma series did not converge")
    upper = _gamma_upper_by_fraction(a, x, prefix)
    return 1.0 - upper, upper


def _gamma_upper_by_fraction(a: float, x: float, prefix: float) -> float:
    b = x + 1.0 - a
    c = 1.0 / _TINY
    d = 1.0 / b if b != 0.0 else 1.0 / _TINY
    h = d
    for i in range(1, _MAX_SERIES_TERMS):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        if abs(d) < _TINY:
            d = _TINY
        c = b + an / c
        if abs(c) < _TINY:
            c = _TINY
        d = 1.0 / d
        step = d * c
        h *= step
        if abs(step - 1.0) < _EPSILON:
            return min(1.0, prefix * h)
    raise ValueError("incomplete gamma continued fraction did not converge")


def gamma_density(x: float, shape: float) -> float:
    """Density of the standard gamma distribution (scale 1) at x >= 0."""
    if x == 0.0:
        if shape < 1.0:
            raise OverflowError("gamma density is infinite at 0 for shape < 1")
        return 1.0 if shape == 1.0 else 0.0
    if shape < 1.0:
        return shape / x * poisson_density(shape, x)
    return poisson_density(shape - 1.0, x)


# ================================================================================================ incomplete beta
def log_beta(a: float, b: float) -> float:
    """ln B(a, b) = ln Γ(a) + ln Γ(b) - ln Γ(a + b)."""
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def _beta_prefix(x: float, y: float, a: float, b: float) -> float:
    """x^a y^b / B(a, b) with y = 1 - x."""
    return math.exp(a * math.log(x) + b * math.log(y) - log_beta(a, b))


def _beta_fraction(x: float, a: float, b: float) -> float:
    """The continued fraction of I_x(a, b) (Numerical Recipes' betacf), modified Lentz."""
    qab = a + b
    qap = a + 1.0
    qam = a - 1.0
    c = 1.0
    d = 1.0 - qab * x / qap
    if abs(d) < _TINY:
        d = _TINY
    d = 1.0 / d
    h = d
    for m in range(1, _MAX_SERIES_TERMS):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        if abs(d) < _TINY:
            d = _TINY
        c = 1.0 + aa / c
        if abs(c) < _TINY:
            c = _TINY
        d = 1.0 / d
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        if abs(d) < _TINY:
            d = _TINY
        c = 1.0 + aa / c
        if abs(c) < _TINY:
            c = _TINY
        d = 1.0 / d
        step = d * c
        h *= step
        if abs(step - 1.0) < _EPSILON:
            return h
    raise ValueError("incomplete beta continued fraction did not converge")


def regularized_beta(x: float, a: float, b: float, y: float | None = None) -> tuple[float, float]:
    """(I_x(a, b), 1 - I_x(a, b)), each computed directly so that both tails keep full precision.

    ``y`` is 1 - x when the caller knows it more precisely than ``1 - x`` can be computed (the t and F
    distributions do). The continued fraction converges fast for x < (a + 1) / (a + b + 2); beyond that the
    symmetry I_x(a, b) = 1 - I_(1-x)(b, a) is used. Raises ValueError for a, b <= 0 or x outside [0, 1].
    """
    if a <= 0.0 or b <= 0.0 or not 0.0 <= x <= 1.0:
        raise ValueError(f"incomplete beta needs a, b > 0 and 0 <= x <= 1, not x={x}, a={a}, b={b}")
    if a > _MAX_SHAPE or b > _MAX_SHAPE:
        raise ValueError(f"incomplete beta parameters above {_MAX_SHAPE:g}")
    complement = 1.0 - x if y is None else y
    if x == 0.0:
        return 0.0, 1.0
    if complement == 0.0:
        return 1.0, 0.0
    if x < (a + 1.0) / (a + b + 2.0):
        lower = min(1.0, _beta_prefix(x, complement, a, b) * _beta_fraction(x, a, b) / a)
        return lower, 1.0 - lower
    upper = min(1.0, _beta_prefix(complement, x, b, a) * _beta_fraction(complement, b, a) / b)
    return 1.0 - upper, upper


def beta_quantile(a: float, b: float, lower: float, upper: float) -> tuple[float, float]:
    """(x, 1 - x) with I_x(a, b) = lower (and 1 - I_x(a, b) = upper = 1 - lower), both to full precision.

    The caller passes both tail probabilities so that the smaller one, which carries the precision, is the
    target; 1 - x is found directly from the mirrored distribution when x is above 1/2.
    """
    if lower <= upper:
        x = inverse_regularized_beta(a, b, lower)
    else:
        x = inverse_regularized_beta(a, b, upper, upper=True)
    if x <= 0.5:
        return x, 1.0 - x
    if upper <= lower:
        y = inverse_regularized_beta(b, a, upper)
    else:
        y = inverse_regularized_beta(b, a, lower, upper=True)
    return 1.0 - y, y


def beta_density(x: float, a: float, b: float) -> float:
    """Density of the beta distribution on [0, 1]."""
    if x <= 0.0 or x >= 1.0:
        if (x == 0.0 and a < 1.0) or (x == 1.0 and b < 1.0):
            raise OverflowError("beta density is infinite at this end")
        if x == 0.0:
            return b if a == 1.0 else 0.0
        if x == 1.0:
            return a if b == 1.0 else 0.0
        return 0.0
    return math.exp((a - 1.0) * math.log(x) + (b - 1.0) * math.log1p(-x) - log_beta(a, b))


# ================================================================================================ inversion
def solve_increasing(
    function: Callable[[float], float],
    derivative: Callable[[float], float],
    low: float,
    high: float,
    guess: float,
    max_iterations: int = 400,
) -> float:
    """Root of an increasing ``function`` on [low, high] (``high`` may be infinite), starting from ``guess``.

    Safeguarded Newton: the root is kept bracketed, a Newton step that leaves the bracket (or a zero or unusable
    derivative) is replaced by bisection, and an infinite upper end is first pushed out by doubling until the
    function changes sign. Stops when the bracket or the step is a few ulps wide; raises ValueError when that does
    not happen within ``max_iterations`` (a root below the smallest double, for instance).
    """
    if math.isinf(high):
        probe = max(guess, low + 1.0, 1.0)
        for _ in range(2000):
            if function(probe) >= 0.0:
                high = probe
                break
            low = probe
            probe *= 2.0
        else:
            raise ValueError("no root: the function stays negative")
    if low == high:
        return low
    x = min(max(guess, low), high)
    if not low < x < high:
        x = 0.5 * (low + high)
    for _ in range(max_iterations):
        value = function(x)
        if value == 0.0:
            return x
        if value < 0.0:
            low = x
        else:
            high = x
        slope = derivative(x)
        candidate = x - value / slope if slope > 0.0 and math.isfinite(slope) else math.nan
        if not low < candidate < high:
            candidate = 0.5 * (low + high)
        if abs(candidate - x) <= 4 * _EPSILON * abs(x) or high - low <= 4 * _EPSILON * max(abs(low), abs(high)):
            return candidate
        x = candidate
    raise ValueError("the root was not found to full precision (it may underflow)")


def inverse_regularized_gamma(a: float, probability: float, upper: bool = False) -> float:
    """x with P(a, x) = probability (or Q(a, x) = probability when ``upper``), for 0 < probability < 1.

    Starting point from Numerical Recipes' invgammp (Wilson-Hilferty for a > 1), then :func:`solve_increasing`.
    """
    if not 0.0 < probability < 1.0 or a <= 0.0:
        raise ValueError(f"inverse incomplete gamma needs a > 0 and 0 < p < 1, not a={a}, p={probability}")
    lower_p = 1.0 - probability if upper else probability
    if a > 1.0:
        # Wilson-Hilferty: x = a (1 - 1/(9a) + z / (3 sqrt(a)))^3 with z the normal quantile of the lower tail
        right_half = (probability < 0.5) if upper else (probability >= 0.5)
        tail = min(probability, 1.0 - probability)
        t = math.sqrt(-2.0 * math.log(tail))
        z = t - (2.30753 + t * 0.27061) / (1.0 + t * (0.99229 + t * 0.04481))
        if not right_half:
            z = -z
        guess = max(1e-3, a * (1.0 - 1.0 / (9.0 * a) + z / (3.0 * math.sqrt(a))) ** 3)
    else:
        t = 1.0 - a * (0.253 + a * 0.12)
        if lower_p < t:
            guess = (lower_p / t) ** (1.0 / a)
        elif lower_p < 1.0:
            guess = 1.0 - math.log1p(-(lower_p - t) / (1.0 - t))
        else:
            guess = 1.0 - math.log(probability)
        if not math.isfinite(guess) or guess <= 0.0:
            guess = 1.0

    if upper:
        def equation(x: float) -> float:
            return probability - regularized_gamma(a, x)[1]
    else:
        def equation(x: float) -> float:
            return regularized_gamma(a, x)[0] - probability

    return solve_increasing(equation, lambda x: gamma_density(x, a) if x > 0 else math.inf, 0.0, math.inf, guess)


def inverse_regularized_beta(a: float, b: float, probability: float, upper: bool = False) -> float:
    """x with I_x(a, b) = probability (or 1 - I_x(a, b) = probability when ``upper``), for 0 < probability < 1.

    Starting point from Numerical Recipes' invbetai, then :func:`solve_increasing` on [0, 1].
    """
    if not 0.0 < probability < 1.0 or a <= 0.0 or b <= 0.0:
        raise ValueError(f"inverse incomplete beta needs a, b > 0 and 0 < p < 1, not a={a}, b={b}, p={probability}")
    lower_p = 1.0 - probability if upper else probability
    guess = _beta_quantile_guess(a, b, min(max(lower_p, 1e-300), 1.0 - 1e-16))

    if upper:
        def equation(x: float) -> float:
            return probability - regularized_beta(x, a, b)[1]
    else:
        def equation(x: float) -> float:
            return regularized_beta(x, a, b)[0] - probability

    def slope(x: float) -> float:
        try:
            return beta_density(x, a, b)
        except OverflowError:
            return math.inf

    return solve_increasing(equation, slope, 0.0, 1.0, guess)


def _beta_quantile_guess(a: float, b: float, p: float) -> float:
    if a >= 1.0 and b >= 1.0:
        pp = p if p < 0.5 else 1.0 - p
        t = math.sqrt(-2.0 * math.log(pp))
        x = (2.30753 + t * 0.27061) / (1.0 + t * (0.99229 + t * 0.04481)) - t
        if p < 0.5:
            x = -x
        al = (x * x - 3.0) / 6.0
        h = 2.0 / (1.0 / (2.0 * a - 1.0) + 1.0 / (2.0 * b - 1.0))
        w = x * math.sqrt(al + h) / h - (1.0 / (2.0 * b - 1.0) - 1.0 / (2.0 * a - 1.0)) * (
            al + 5.0 / 6.0 - 2.0 / (3.0 * h)
        )
        try:
            return a / (a + b * math.exp(2.0 * w))
        except OverflowError:
            return 0.5
    lna = math.log(a / (a + b))
    lnb = math.log(b / (a + b))
    t = math.exp(a * lna) / a
    u = math.exp(b * lnb) / b
    w = t + u
    if p < t / w:
        return (a * w * p) ** (1.0 / a)
    return 1.0 - (b * w * (1.0 - p)) ** (1.0 / b)
