"""Continuous probability distributions, their inverses and related special functions.

Normal (NORM.*, NORMS*, PHI, GAUSS), lognormal (LOGNORM.*, LOGINV), exponential, Weibull, gamma (GAMMA.*, GAMMA,
GAMMALN), chi-squared (CHISQ.*, CHIDIST, CHIINV), beta (BETA.*), Student's t (T.*, TDIST, TINV), F (F.*, FDIST, FINV)
and Fisher's transformation, with Excel's legacy names beside the 2010 ones. The numerics are in
:mod:`.special_functions`; every tail is computed directly (never as 1 minus the other tail), so small probabilities
keep their precision.

Degrees of freedom are truncated to integers, as Excel does (1 to 10^10). Arguments outside a function's domain give
#NUM!; a computation that cannot be represented (an overflowing density) gives #NUM! too.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sheetrl.sheet.errors import DIV0, NUM, ExcelError
from sheetrl.sheet.functions import register
from sheetrl.sheet.functions.arguments import numbers
from sheetrl.sheet.functions.special_functions import (
    beta_density,
    beta_quantile,
    gamma_density,
    inverse_regularized_beta,
    inverse_regularized_gamma,
    normal_cdf,
    normal_pdf,
    normal_quantile,
    regularized_beta,
    regularized_gamma,
)
from sheetrl.sheet.values import check_number, to_bool, to_number

MAX_DEGREES_OF_FREEDOM = 1e10


Converted = TypeVar("Converted", bound=Sequence[float])


def flag(value: Any) -> bool | ExcelError:
    """A TRUE/FALSE argument (numbers: non-zero is TRUE)."""
    return to_bool(value)


def with_flag(args: Converted | ExcelError, cumulative: Any) -> tuple[Converted, bool] | ExcelError:
    """A distribution's converted numeric arguments and its ``cumulative`` flag, or the first error (the numbers'
    before the flag's, as Excel reports them)."""
    if isinstance(args, ExcelError):
        return args
    cumulative_flag = flag(cumulative)
    if isinstance(cumulative_flag, ExcelError):
        return cumulative_flag
    return args, cumulative_flag


def computed(compute: Callable[[], float]) -> float | ExcelError:
    """Run a computation; domain errors, overflow and non-finite results are #NUM!."""
    try:
        return check_number(compute())
    except (ArithmeticError, ValueError):
        return NUM


def degrees_of_freedom(value: float) -> float | ExcelError:
    """Degrees of freedom truncated to an integer; below 1 or above 10^10 is #NUM!."""
    df = math.floor(value)
    return NUM if not 1 <= df <= MAX_DEGREES_OF_FREEDOM else float(df)


# ================================================================================================ normal
@register("NORM.DIST", 4, aliases=("NORMDIST",))
def norm_dist(x: Any, mean: Any, standard_dev: Any, cumulative: Any) -> float | ExcelError:
    """Normal distribution (cumulative, or the density); #NUM! when standard_dev <= 0."""
    checked = with_flag(numbers(x, mean, standard_dev), cumulative)
    if isinstance(checked, ExcelError):
        return checked
    args, cumulative_flag = checked
    value, centre, sigma = args
    if sigma <= 0:
        return NUM
    z = (value - centre) / sigma
    return computed(lambda: normal_cdf(z) if cumulative_flag else normal_pdf(z) / sigma)


@register("NORM.INV", 3, aliases=("NORMINV",))
def norm_inv(probability: Any, mean: Any, standard_dev: Any) -> float | ExcelError:
    """Inverse of the normal cumulative distribution; #NUM! unless 0 < probability < 1 and standard_dev > 0."""
    args = numbers(probability, mean, standard_dev)
    if isinstance(args, ExcelError):
        return args
    p, centre, sigma = args
    if not 0 < p < 1 or sigma <= 0:
        return NUM
    return computed(lambda: centre + sigma * normal_quantile(p))


@register("NORM.S.DIST", 2)
def norm_s_dist(z: Any, cumulative: Any) -> float | ExcelError:
    """Standard normal distribution (cumulative, or the density)."""
    checked = with_flag(numbers(z), cumulative)
    if isinstance(checked, ExcelError):
        return checked
    args, cumulative_flag = checked
    return computed(lambda: normal_cdf(args[0]) if cumulative_flag else normal_pdf(args[0]))


@register("NORMSDIST", 1)
def normsdist(z: Any) -> float | ExcelError:
    """Standard normal cumulative distribution."""
    args = numbers(z)
    return args if isinstance(args, ExcelError) else computed(lambda: normal_cdf(args[0]))


@register("NORM.S.INV", 1, aliases=("NORMSINV",))
def norm_s_inv(probability: Any) -> float | ExcelError:
    """Inverse of the standard normal cumulative distribution; #NUM! unless 0 < probability < 1."""
    args = numbers(probability)
    if isinstance(args, ExcelError):
        return args
    if not 0 < args[0] < 1:
        return NUM
    return computed(lambda: normal_quantile(args[0]))


@register("PHI", 1)
def phi(x: Any) -> float | ExcelError:
    """Density of the standard normal distribution."""
    args = numbers(x)
    return args if isinstance(args, ExcelError) else computed(lambda: normal_pdf(args[0]))


@register("GAUSS", 1)
def gauss(z: Any) -> float | ExcelError:
    """Probability that a standard normal value lies between the mean and z standard deviations from it."""
    args = numbers(z)
    return args if isinstance(args, ExcelError) else computed(lambda: 0.5 * math.erf(args[0] / math.sqrt(2.0)))


@register("LOGNORM.DIST", 4)
def lognorm_dist(x: Any, mean: Any, standard_dev: Any, cumulative: Any) -> float | ExcelError:
    """Lognormal distribution of x (ln x normal with the given mean and standard deviation)."""
    checked = with_flag(numbers(x, mean, standard_dev), cumulative)
    if isinstance(checked, ExcelError):
        return checked
    args, cumulative_flag = checked
    value, centre, sigma = args
    if value <= 0 or sigma <= 0:
        return NUM
    z = (math.log(value) - centre) / sigma
    return computed(lambda: normal_cdf(z) if cumulative_flag else normal_pdf(z) / (sigma * value))


@register("LOGNORMDIST", 3)
def lognormdist(x: Any, mean: Any, standard_dev: Any) -> float | ExcelError:
    """Cumulative lognormal distribution (the legacy name of LOGNORM.DIST(..., TRUE))."""
    return lognorm_dist(x, mean, standard_dev, True)


@register("LOGNORM.INV", 3, aliases=("LOGINV",))
def lognorm_inv(probability: Any, mean: Any, standard_dev: Any) -> float | ExcelError:
    """Inverse of the lognormal cumulative distribution: exp(mean + standard_dev * NORM.S.INV(probability))."""
    args = numbers(probability, mean, standard_dev)
    if isinstance(args, ExcelError):
        return args
    p, centre, sigma = args
    if not 0 < p < 1 or sigma <= 0:
        return NUM
    return computed(lambda: math.exp(centre + sigma * normal_quantile(p)))


# ================================================================================================ gamma function
@register("GAMMA", 1)
def gamma(x: Any) -> float | ExcelError:
    """The gamma function; #NUM! at 0 and the negative integers, and where it overflows."""
    args = numbers(x)
    if isinstance(args, ExcelError):
        return args
    value = args[0]
    if value <= 0 and value == math.floor(value):
        return NUM
    return computed(lambda: math.gamma(value))


@register("GAMMALN", 1, aliases=("GAMMALN.PRECISE",))
def gammaln(x: Any) -> float | ExcelError:
    """Natural logarithm of the gamma function; #NUM! for x <= 0."""
    args = numbers(x)
    if isinstance(args, ExcelError):
        return args
    if args[0] <= 0:
        return NUM
    return computed(lambda: math.lgamma(args[0]))


@register("FISHER", 1)
def fisher(x: Any) -> float | ExcelError:
    """Fisher transformation atanh(x); #NUM! unless -1 < x < 1."""
    args = numbers(x)
    if isinstance(args, ExcelError):
        return args
    if not -1 < args[0] < 1:
        return NUM
    return computed(lambda: math.atanh(args[0]))


@register("FISHERINV", 1)
def fisherinv(y: Any) -> float | ExcelError:
    """Inverse Fisher transformation tanh(y)."""
    args = numbers(y)
    return args if isinstance(args, ExcelError) else computed(lambda: math.tanh(args[0]))


# ================================================================================================ exponential, Weibull
@register("EXPON.DIST", 3, aliases=("EXPONDIST",))
def expon_dist(x: Any, rate: Any, cumulative: Any) -> float | ExcelError:
    """Exponential distribution with rate lambda; #NUM! for x < 0 or lambda <= 0."""
    checked = with_flag(numbers(x, rate), cumulative)
    if isinstance(checked, ExcelError):
        return checked
    args, cumulative_flag = checked
    value, lam = args
    if value < 0 or lam <= 0:
        return NUM
    return computed(lambda: -math.expm1(-lam * value) if cumulative_flag else lam * math.exp(-lam * value))


@register("WEIBULL.DIST", 4, aliases=("WEIBULL",))
def weibull_dist(x: Any, alpha: Any, beta: Any, cumulative: Any) -> float | ExcelError:
    """Weibull distribution with shape alpha and scale beta; #NUM! for x < 0 or alpha, beta <= 0."""
    checked = with_flag(numbers(x, alpha, beta), cumulative)
    if isinstance(checked, ExcelError):
        return checked
    args, cumulative_flag = checked
    value, shape, scale = args
    if value < 0 or shape <= 0 or scale <= 0:
        return NUM

    def compute() -> float:
        power = (value / scale) ** shape
        if cumulative_flag:
            return -math.expm1(-power)
        return shape / scale ** shape * value ** (shape - 1) * math.exp(-power)

    return computed(compute)


# ================================================================================================ gamma, chi-squared
@register("GAMMA.DIST", 4, aliases=("GAMMADIST",))
def gamma_dist(x: Any, alpha: Any, beta: Any, cumulative: Any) -> float | ExcelError:
    """Gamma distribution with shape alpha and scale beta; #NUM! for x < 0 or alpha, beta <= 0."""
    checked = with_flag(numbers(x, alpha, beta), cumulative)
    if isinstance(checked, ExcelError):
        return checked
    args, cumulative_flag = checked
    value, shape, scale = args
    if value < 0 or shape <= 0 or scale <= 0:
        return NUM
    if cumulative_flag:
        return computed(lambda: regularized_gamma(shape, value / scale)[0])
    return computed(lambda: gamma_density(value / scale, shape) / scale)


@register("GAMMA.INV", 3, aliases=("GAMMAINV",))
def gamma_inv(probability: Any, alpha: Any, beta: Any) -> float | ExcelError:
    """Inverse of the gamma cumulative distribution; #NUM! unless 0 <= probability < 1 and alpha, beta > 0."""
    args = numbers(probability, alpha, beta)
    if isinstance(args, ExcelError):
        return args
    p, shape, scale = args
    if not 0 <= p < 1 or shape <= 0 or scale <= 0:
        return NUM
    if p == 0:
        return 0.0
    return computed(lambda: scale * inverse_regularized_gamma(shape, p))


def _chi_squared_args(x: Any, df: Any) -> tuple[float, float] | ExcelError:
    args = numbers(x, df)
    if isinstance(args, ExcelError):
        return args
    freedom = degrees_of_freedom(args[1])
    if isinstance(freedom, ExcelError):
        return freedom
    return args[0], freedom


@register("CHISQ.DIST", 3)
def chisq_dist(x: Any, deg_freedom: Any, cumulative: Any) -> float | ExcelError:
    """Chi-squared distribution (left tail, or the density); #NUM! for x < 0."""
    checked = with_flag(_chi_squared_args(x, deg_freedom), cumulative)
    if isinstance(checked, ExcelError):
        return checked
    args, cumulative_flag = checked
    value, df = args
    if value < 0:
        return NUM
    if cumulative_flag:
        return computed(lambda: regularized_gamma(df / 2, value / 2)[0])
    return computed(lambda: gamma_density(value / 2, df / 2) / 2)


@register("CHISQ.DIST.RT", 2, aliases=("CHIDIST",))
def chisq_dist_rt(x: Any, deg_freedom: Any) -> float | ExcelError:
    """Right tail of the chi-squared distribution; #NUM! for x < 0."""
    args = _chi_squared_args(x, deg_freedom)
    if isinstance(args, ExcelError):
        return args
    value, df = args
    if value < 0:
        return NUM
    return computed(lambda: regularized_gamma(df / 2, value / 2)[1])


@register("CHISQ.INV", 2)
def chisq_inv(probability: Any, deg_freedom: Any) -> float | ExcelError:
    """Inverse of the chi-squared left tail; #NUM! unless 0 <= probability < 1."""
    args = _chi_squared_args(probability, deg_freedom)
    if isinstance(args, ExcelError):
        return args
    p, df = args
    if not 0 <= p < 1:
        return NUM
    if p == 0:
        return 0.0
    return computed(lambda: 2 * inverse_regularized_gamma(df / 2, p))


@register("CHISQ.INV.RT", 2, aliases=("CHIINV",))
def chisq_inv_rt(probability: Any, deg_freedom: Any) -> float | ExcelError:
    """Inverse of the chi-squared right tail; #NUM! unless 0 < probability <= 1."""
    args = _chi_squared_args(probability, deg_freedom)
    if isinstance(args, ExcelError):
        return args
    p, df = args
    if not 0 < p <= 1:
        return NUM
    if p == 1:
        return 0.0
    return computed(lambda: 2 * inverse_regularized_gamma(df / 2, p, upper=True))


# ================================================================================================ beta
def _beta_bounds(lower: Any, upper: Any) -> tuple[float, float] | ExcelError:
    bounds = numbers(0.0 if lower is None else lower, 1.0 if upper is None else upper)
    if isinstance(bounds, ExcelError):
        return bounds
    return bounds[0], bounds[1]


def _beta_distribution(
    x: Any, alpha: Any, beta: Any, cumulative: Any, lower: Any, upper: Any
) -> float | ExcelError:
    checked = with_flag(numbers(x, alpha, beta), cumulative)
    if isinstance(checked, ExcelError):
        return checked
    args, cumulative_flag = checked
    bounds = _beta_bounds(lower, upper)
    if isinstance(bounds, ExcelError):
        return bounds
    value, a, b = args
    low, high = bounds
    if a <= 0 or b <= 0 or value < low or value > high or low == high:
        return NUM
    width = high - low
    z = (value - low) / width
    y = (high - value) / width
    if cumulative_flag:
        return computed(lambda: regularized_beta(z, a, b, y)[0])
    return computed(lambda: beta_density(z, a, b) / width)


@register("BETA.DIST", 4, 6)
def beta_dist(
    x: Any, alpha: Any, beta: Any, cumulative: Any, a: Any = None, b: Any = None
) -> float | ExcelError:
    """Beta distribution on [A, B] (default [0, 1]); #NUM! for x outside it or alpha, beta <= 0."""
    return _beta_distribution(x, alpha, beta, cumulative, a, b)


@register("BETADIST", 3, 5)
def betadist(x: Any, alpha: Any, beta: Any, a: Any = None, b: Any = None) -> float | ExcelError:
    """Cumulative beta distribution on [A, B] (the legacy name of BETA.DIST(..., TRUE, A, B))."""
    return _beta_distribution(x, alpha, beta, True, a, b)


@register("BETA.INV", 3, 5, aliases=("BETAINV",))
def beta_inv(probability: Any, alpha: Any, beta: Any, a: Any = None, b: Any = None) -> float | ExcelError:
    """Inverse of the cumulative beta distribution on [A, B]; #NUM! unless 0 < probability < 1 (Microsoft's page
    allows 1, but Excel computes #NUM! for it: BETA.INV(1,2,2.5,0.234,1.2) and BETA.INV(1,1,1) in IronCalc's
    BETADIST_BETAINV.xlsx and BETA_GAMMA.xlsx)."""
    args = numbers(probability, alpha, beta)
    if isinstance(args, ExcelError):
        return args
    bounds = _beta_bounds(a, b)
    if isinstance(bounds, ExcelError):
        return bounds
    p, shape_a, shape_b = args
    low, high = bounds
    if not 0 < p < 1 or shape_a <= 0 or shape_b <= 0 or low >= high:
        return NUM
    return computed(lambda: low + (high - low) * inverse_regularized_beta(shape_a, shape_b, p))


# ================================================================================================ Student's t
def _t_tails(t: float, df: float) -> tuple[float, float]:
    """(P(T <= t), P(T > t)) for Student's t with df degrees of freedom."""
    square = t * t
    # P(|T| > |t|) = I_x(df/2, 1/2) with x = df / (df + t^2); its complement uses t^2 / (df + t^2) directly.
    two_tailed = regularized_beta(df / (df + square), df / 2, 0.5, square / (df + square))[0]
    if t >= 0:
        return 1.0 - two_tailed / 2, two_tailed / 2
    return two_tailed / 2, 1.0 - two_tailed / 2


def _t_density(t: float, df: float) -> float:
    log_norm = math.lgamma((df + 1) / 2) - math.lgamma(df / 2) - 0.5 * math.log(df * math.pi)
    return math.exp(log_norm - (df + 1) / 2 * math.log1p(t * t / df))


def _t_quantile_two_tailed(probability: float, df: float) -> float:
    """|t| with P(|T| > |t|) = probability (0 < probability <= 1)."""
    x, y = beta_quantile(df / 2, 0.5, probability, 1.0 - probability)
    return math.sqrt(df * y / x)


def _t_args(x: Any, df: Any) -> tuple[float, float] | ExcelError:
    args = numbers(x, df)
    if isinstance(args, ExcelError):
        return args
    freedom = degrees_of_freedom(args[1])
    if isinstance(freedom, ExcelError):
        return freedom
    return args[0], freedom


@register("T.DIST", 3)
def t_dist(x: Any, deg_freedom: Any, cumulative: Any) -> float | ExcelError:
    """Student's t distribution (left tail, or the density). With 0 degrees of freedom the density is #DIV/0! and
    the tail #NUM! (as Excel caches them)."""
    args = _t_args(x, deg_freedom)
    cumulative_flag = flag(cumulative)
    if isinstance(args, ExcelError):
        if args == NUM and cumulative_flag is False and to_number(deg_freedom) == 0:
            return DIV0
        return args
    if isinstance(cumulative_flag, ExcelError):
        return cumulative_flag
    t, df = args
    return computed(lambda: _t_tails(t, df)[0] if cumulative_flag else _t_density(t, df))


@register("T.DIST.RT", 2)
def t_dist_rt(x: Any, deg_freedom: Any) -> float | ExcelError:
    """Right tail of Student's t distribution."""
    args = _t_args(x, deg_freedom)
    if isinstance(args, ExcelError):
        return args
    return computed(lambda: _t_tails(*args)[1])


@register("T.DIST.2T", 2)
def t_dist_2t(x: Any, deg_freedom: Any) -> float | ExcelError:
    """Two-tailed Student's t distribution, P(|T| > x); #NUM! for x < 0."""
    args = _t_args(x, deg_freedom)
    if isinstance(args, ExcelError):
        return args
    if args[0] < 0:
        return NUM
    return computed(lambda: 2 * _t_tails(*args)[1])


@register("TDIST", 3)
def tdist(x: Any, deg_freedom: Any, tails: Any) -> float | ExcelError:
    """Legacy t distribution: the right tail (tails 1) or both tails (tails 2) beyond x >= 0."""
    args = _t_args(x, deg_freedom)
    if isinstance(args, ExcelError):
        return args
    tail_count = numbers(tails)
    if isinstance(tail_count, ExcelError):
        return tail_count
    count = math.floor(tail_count[0])
    if args[0] < 0 or count not in (1, 2):
        return NUM
    return computed(lambda: count * _t_tails(*args)[1])


@register("T.INV", 2)
def t_inv(probability: Any, deg_freedom: Any) -> float | ExcelError:
    """Inverse of Student's t left tail; #NUM! unless 0 < probability < 1."""
    args = _t_args(probability, deg_freedom)
    if isinstance(args, ExcelError):
        return args
    p, df = args
    if not 0 < p < 1:
        return NUM
    if p == 0.5:
        return 0.0
    if p < 0.5:
        return computed(lambda: -_t_quantile_two_tailed(2 * p, df))
    return computed(lambda: _t_quantile_two_tailed(2 * (1 - p), df))


@register("T.INV.2T", 2, aliases=("TINV",))
def t_inv_2t(probability: Any, deg_freedom: Any) -> float | ExcelError:
    """The t with P(|T| > t) = probability; #NUM! unless 0 < probability <= 1."""
    args = _t_args(probability, deg_freedom)
    if isinstance(args, ExcelError):
        return args
    p, df = args
    if not 0 < p <= 1:
        return NUM
    if p == 1:
        return 0.0
    return computed(lambda: _t_quantile_two_tailed(p, df))


# ================================================================================================ F
def _f_args(x: Any, df1: Any, df2: Any) -> tuple[float, float, float] | ExcelError:
    args = numbers(x, df1, df2)
    if isinstance(args, ExcelError):
        return args
    first = degrees_of_freedom(args[1])
    if isinstance(first, ExcelError):
        return first
    second = degrees_of_freedom(args[2])
    if isinstance(second, ExcelError):
        return second
    return args[0], first, second


def _f_tails(f: float, d1: float, d2: float) -> tuple[float, float]:
    """(P(F <= f), P(F > f))."""
    denominator = d1 * f + d2
    return regularized_beta(d1 * f / denominator, d1 / 2, d2 / 2, d2 / denominator)


def _f_density(f: float, d1: float, d2: float) -> float:
    if f == 0:
        if d1 < 2:
            raise OverflowError("F density is infinite at 0")
        return 1.0 if d1 == 2 else 0.0
    denominator = d1 * f + d2
    return beta_density(d1 * f / denominator, d1 / 2, d2 / 2) * d1 * d2 / (denominator * denominator)


def _f_quantile(lower: float, upper: float, d1: float, d2: float) -> float:
    x, y = beta_quantile(d1 / 2, d2 / 2, lower, upper)
    return d2 * x / (d1 * y)


@register("F.DIST", 4)
def f_dist(x: Any, deg_freedom1: Any, deg_freedom2: Any, cumulative: Any) -> float | ExcelError:
    """F distribution (left tail, or the density); #NUM! for x < 0."""
    checked = with_flag(_f_args(x, deg_freedom1, deg_freedom2), cumulative)
    if isinstance(checked, ExcelError):
        return checked
    args, cumulative_flag = checked
    if args[0] < 0:
        return NUM
    return computed(lambda: _f_tails(*args)[0] if cumulative_flag else _f_density(*args))


@register("F.DIST.RT", 3, aliases=("FDIST",))
def f_dist_rt(x: Any, deg_freedom1: Any, deg_freedom2: Any) -> float | ExcelError:
    """Right tail of the F distribution; #NUM! for x < 0."""
    args = _f_args(x, deg_freedom1, deg_freedom2)
    if isinstance(args, ExcelError):
        return args
    if args[0] < 0:
        return NUM
    return computed(lambda: _f_tails(*args)[1])


@register("F.INV", 3)
def f_inv(probability: Any, deg_freedom1: Any, deg_freedom2: Any) -> float | ExcelError:
    """Inverse of the F left tail; #NUM! unless 0 <= probability < 1."""
    args = _f_args(probability, deg_freedom1, deg_freedom2)
    if isinstance(args, ExcelError):
        return args
    p, d1, d2 = args
    if not 0 <= p < 1:
        return NUM
    if p == 0:
        return 0.0
    return computed(lambda: _f_quantile(p, 1.0 - p, d1, d2))


@register("F.INV.RT", 3, aliases=("FINV",))
def f_inv_rt(probability: Any, deg_freedom1: Any, deg_freedom2: Any) -> float | ExcelError:
    """Inverse of the F right tail; #NUM! unless 0 < probability <= 1."""
    args = _f_args(probability, deg_freedom1, deg_freedom2)
    if isinstance(args, ExcelError):
        return args
    p, d1, d2 = args
    if not 0 < p <= 1:
        return NUM
    if p == 1:
        return 0.0
    return computed(lambda: _f_quantile(1.0 - p, p, d1, d2))
