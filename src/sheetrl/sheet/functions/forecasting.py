"""Exponential-smoothing forecasts: FORECAST.ETS, FORECAST.ETS.CONFINT, FORECAST.ETS.SEASONALITY, FORECAST.ETS.STAT.

Excel documents these as the "AAA version" of exponential triple smoothing: additive error, additive trend and
additive seasonality (Holt-Winters). Its optimiser and initialisation are not published, so this module follows the
textbook method and matches Excel where Excel's behaviour is documented or has been observed in files it computed.

Preparing the series
    The values are paired with the timeline and sorted by time. Values sharing a time stamp are combined with the
    ``aggregation`` function (1 AVERAGE, also 0 as some of Microsoft's pages say; 2 COUNT, 3 COUNTA, 4 MAX,
    5 MEDIAN, 6 MIN, 7 SUM; every time stamp is aggregated, so COUNT gives 1 for a single value). The step is the
    smallest distance between time stamps; every distance must be a whole multiple of it (otherwise #NUM!).
    Missing points (gaps in the timeline and empty value cells) are filled with 0 (``data_completion`` 0) or with
    the mean of the nearest known neighbours (1, the default); more than 30 % of the points missing is #NUM!.

Seasonality
    ``seasonality`` 0 means none, 1 (the default) detection, 2 to 8,760 a given number of points per cycle.
    Detection takes the autocorrelation of the series after removing its least-squares line and picks the lag
    (2 to n/2) with the highest autocorrelation among the local peaks that exceed the 95 % significance bound
    1.96/sqrt(n); none above the bound means no seasonality. (LibreOffice instead compares successive differences one
    cycle apart and always finds a cycle; Excel reports no seasonality for short series with a visible cycle, which
    this significance test reproduces.) A seasonal model needs at least two full cycles of data.

Model and initial state
    Level l, trend b and seasonal components s, updated after each point y_t (classic Holt-Winters form)::

        l_t = alpha (y_t - s_{t-m}) + (1 - alpha) (l_{t-1} + b_{t-1})
        b_t = beta (l_t - l_{t-1}) + (1 - beta) b_{t-1}
        s_t = gamma (y_t - l_t) + (1 - gamma) s_{t-m}

    The one-step forecast of y_t is l_{t-1} + b_{t-1} + s_{t-m}. The initial state (just before the first point)
    comes from the start of the series only, so that the smoothing, not the initial state, has to follow the rest
    (Hyndman et al.'s advice): with seasonality, a classical decomposition of the first two cycles (the trend is
    the slope between their means, each seasonal component the mean deviation of its position from its cycle's
    mean, corrected for the trend within the cycle, as in the NIST handbook's initialisation that LibreOffice also
    uses); without seasonality, the least-squares line of the first ten points.

Parameters
    alpha, beta and gamma (each in [0, 1]; gamma is 0 without seasonality) minimise the sum of squared one-step errors
    over all points: a grid search in steps of 0.1 (0.2 for long series) followed by a pattern search that doubles
    its step after a success and halves it after a failure, down to 1e-5 (at most 400 evaluations). Only strict
    improvements move the search, so a series the initial state already fits exactly keeps alpha = beta = gamma = 0,
    as Excel reports for such series. LibreOffice searches each parameter by bisection
    nested inside the others; its results differ from Excel's and from this module's.

Forecasts
    For a target h steps after the last point, l + h b + s (the latest seasonal component of that position). A
    target between two steps is interpolated linearly between them. Excel also accepts targets inside the timeline,
    despite its documentation, and down to (not including) one step before the first point (its cached results in
    vinci1it2000/formulas' test.xlsx): there the known values are interpolated, the point one step before the first
    counting as 0. A target at or before that point is #NUM!.

Confidence interval
    FORECAST.ETS.CONFINT is z * sigma * sqrt(1 + sum_{j<h} c_j^2), the AAA model's h-step prediction interval (Hyndman
    et al., Forecasting with Exponential Smoothing, class 1), with sigma the root mean squared one-step error, z the
    normal quantile of (1 + confidence) / 2 and c_j = alpha (1 + j beta) + gamma (1 - alpha) at whole cycles
    (j divisible by m). LibreOffice simulates random scenarios instead (its results change from one recalculation to
    the next).

Cost
    Fitting takes up to about 600 passes over the series (the grid, then the pattern search): about 0.2 s per 1,000
    points in CPython. The formulas of one recalculation that forecast from the same data share one fit, so a
    table of targets with their intervals costs one fit. Seasonality detection needs the autocorrelation at every
    lag up to n/2 (at most 8,760): summed directly while n times the lags stays under two million, else through the
    power spectrum of the zero-padded series (a radix-2 FFT, O(n log n), equal to the sums within about 1e-13 of
    the variance).

Statistics (FORECAST.ETS.STAT)
    1 alpha, 2 beta (trend), 3 gamma (seasonality), 4 MASE (mean absolute error over the mean absolute one-step change
    of the series), 5 SMAPE (mean of 2|e| / (|y| + |forecast|)), 6 MAE, 7 RMSE, 8 the step of the timeline.
"""

from __future__ import annotations

import cmath
import functools
import itertools
import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import median
from typing import Any

from sheetrl.sheet.errors import DIV0, NA, NUM, VALUE, ExcelError
from sheetrl.sheet.functions import register
from sheetrl.sheet.functions.plan_index import plan_memo
from sheetrl.sheet.functions.special_functions import normal_quantile
from sheetrl.sheet.values import Matrix, check_number, to_number

MAX_SEASONALITY = 8760  # points per cycle: the hours of a year, Excel's documented limit
MAX_MISSING_SHARE = 0.3  # Excel fills up to 30 % missing points
SIGNIFICANCE = 1.96  # the autocorrelation bound for seasonality detection, times 1/sqrt(n)
STEP_TOLERANCE = 1e-9  # relative: a distance between time stamps counts as a whole number of steps within this
FINAL_RESOLUTION = 1e-5  # the pattern search stops when its step is below this
LONG_SERIES = 400  # from this many points the grid search uses steps of 0.2
# points x lags up to which autocorrelations are summed directly (exactly); beyond, through the power spectrum
DIRECT_AUTOCORRELATION_WORK = 2_000_000
INITIAL_POINTS = 10  # without seasonality the initial state is the least-squares line of this many first points
MAX_REFINEMENTS = 400  # evaluations of the pattern search at most

_AGGREGATIONS: dict[int, Callable[[list[float]], float]] = {
    0: lambda xs: math.fsum(xs) / len(xs),  # Microsoft's pages also call 0 the default (AVERAGE)
    1: lambda xs: math.fsum(xs) / len(xs),
    2: lambda xs: float(len(xs)),
    3: lambda xs: float(len(xs)),
    4: max,
    5: median,
    6: min,
    7: math.fsum,
}


# ================================================================================================ the series
@dataclass(frozen=True, slots=True)
class Series:
    """A complete, evenly spaced series: ``values[i]`` is at time ``start + i * step``."""

    values: list[float]
    start: float
    step: float


def _cells(argument: Any) -> list[Any]:
    return list(argument.values) if type(argument) is Matrix else [argument]


def _integer_option(value: Any, default: int) -> int | ExcelError:
    """An optional whole-number argument (truncated); empty or omitted is ``default``."""
    if value is None:
        return default
    number = to_number(value)
    if isinstance(number, ExcelError):
        return number
    if not abs(number) < 2.0**31:
        return NUM
    return math.trunc(number)


def _options(completion: Any, aggregation: Any) -> tuple[bool, int] | ExcelError:
    fill = _integer_option(completion, 1)
    if isinstance(fill, ExcelError):
        return fill
    how = _integer_option(aggregation, 1)
    if isinstance(how, ExcelError):
        return how
    if fill not in (0, 1) or how not in _AGGREGATIONS:
        return NUM
    return fill == 1, how


def _seasonality_option(value: Any) -> int | ExcelError:
    season = _integer_option(value, 1)
    if isinstance(season, ExcelError):
        return season
    return NUM if season < 0 or season > MAX_SEASONALITY else season


def prepare_series(values: Any, timeline: Any, average_gaps: bool, aggregation: int) -> Series | ExcelError:
    """The series the model is fitted to: sorted, aggregated, gaps filled (see the module's docstring)."""
    ys = _cells(values)
    ts = _cells(timeline)
    if len(ys) != len(ts):
        return NA
    for cell in (*ys, *ts):
        if isinstance(cell, ExcelError):
            return cell
    groups: dict[float, list[float]] = {}
    for y, t in zip(ys, ts, strict=True):
        if type(t) not in (int, float):
            return VALUE
        if y is not None and type(y) not in (int, float):
            return VALUE
        group = groups.setdefault(float(t), [])
        if y is not None:
            group.append(float(y))
    times = sorted(groups)
    if len(times) < 2:
        return NUM
    step = min(b - a for a, b in itertools.pairwise(times))
    positions = []
    for t in times:
        units = (t - times[0]) / step
        whole = round(units)
        if abs(units - whole) > STEP_TOLERANCE * max(1.0, abs(units)):
            return NUM
        positions.append(whole)
    known: dict[int, float] = {}
    for position, t in zip(positions, times, strict=True):
        if groups[t]:
            known[position] = _AGGREGATIONS[aggregation](groups[t])
    count = positions[-1] + 1
    missing = count - len(known)
    if not known or missing > MAX_MISSING_SHARE * len(times):
        return NUM
    series: list[float] = []
    previous: int | None = None
    order = sorted(known)
    upcoming = 0
    for i in range(count):
        if i in known:
            series.append(known[i])
            previous = i
            upcoming += 1
            continue
        if not average_gaps:
            series.append(0.0)
            continue
        neighbours = [known[previous]] if previous is not None else []
        if upcoming < len(order):
            neighbours.append(known[order[upcoming]])
        series.append(math.fsum(neighbours) / len(neighbours))
    return Series(series, times[0], step)


# ================================================================================================ seasonality
def _line(ys: Sequence[float]) -> tuple[float, float]:
    """(intercept, slope) of the least-squares line through (i, ys[i])."""
    n = len(ys)
    mean_x = (n - 1) / 2
    mean_y = math.fsum(ys) / n
    sxx = math.fsum((i - mean_x) ** 2 for i in range(n))
    sxy = math.fsum((i - mean_x) * (y - mean_y) for i, y in enumerate(ys))
    slope = sxy / sxx if sxx else 0.0
    return mean_y - slope * mean_x, slope


def detect_seasonality(ys: Sequence[float]) -> int:
    """Points per cycle found by autocorrelation of the detrended series; 0 when no cycle is significant."""
    n = len(ys)
    if n < 4:
        return 0
    intercept, slope = _line(ys)
    residuals = [y - (intercept + slope * i) for i, y in enumerate(ys)]
    mean = math.fsum(residuals) / n
    deviations = [r - mean for r in residuals]
    variance = math.fsum(d * d for d in deviations)
    if variance <= 1e-24 * max(1.0, math.fsum(y * y for y in ys)):
        return 0
    longest = min(n // 2, MAX_SEASONALITY)
    lags = min(longest + 1, n - 1)  # the autocorrelations needed: lags 1 .. longest + 1
    if n * lags <= DIRECT_AUTOCORRELATION_WORK:
        acf = [1.0] + [math.fsum(map(operator.mul, deviations, deviations[lag:])) / variance
                       for lag in range(1, lags + 1)]
    else:  # a long series: every lag at once through the power spectrum, O(n log n) instead of O(n * lags)
        covariances = _autocovariances(deviations, lags)
        acf = [1.0] + [c / variance for c in covariances[1:]]
    bound = SIGNIFICANCE / math.sqrt(n)
    best, best_value = 0, bound
    for lag in range(2, longest + 1):
        value = acf[lag]
        after = acf[lag + 1] if lag + 1 < len(acf) else -math.inf
        if value > best_value and value >= acf[lag - 1] and value >= after:
            best, best_value = lag, value
    return best


def _fft(values: list[complex], inverse: bool = False) -> list[complex]:
    """The discrete Fourier transform of a sequence whose length is a power of two (iterative radix 2, unscaled)."""
    n = len(values)
    out = list(values)
    j = 0
    for i in range(1, n):  # bit-reversed order
        bit = n >> 1
        while j & bit:
            j ^= bit
            bit >>= 1
        j |= bit
        if i < j:
            out[i], out[j] = out[j], out[i]
    sign = 1.0 if inverse else -1.0
    size = 2
    while size <= n:
        half = size // 2
        turn = cmath.exp(sign * 2j * math.pi / size)
        twiddles = [1.0 + 0.0j] * half
        for k in range(1, half):
            twiddles[k] = twiddles[k - 1] * turn
        for start in range(0, n, size):
            for k in range(half):
                a, b = out[start + k], out[start + k + half] * twiddles[k]
                out[start + k], out[start + k + half] = a + b, a - b
        size *= 2
    return out


def _autocovariances(deviations: list[float], lags: int) -> list[float]:
    """sum_i d[i] d[i + lag] for lag = 0 .. ``lags``, from the power spectrum of the zero-padded series (exact to
    about 1e-13 of the variance: long series only, where the direct sums cost too much)."""
    size = 1
    while size < 2 * len(deviations):
        size *= 2
    spectrum = _fft([complex(d) for d in deviations] + [0j] * (size - len(deviations)))
    products = _fft([z.real * z.real + z.imag * z.imag + 0j for z in spectrum], inverse=True)
    return [products[lag].real / size for lag in range(lags + 1)]


# ================================================================================================ the model
@dataclass(slots=True)
class Fit:
    """A fitted model: its parameters, final state and one-step errors."""

    alpha: float
    beta: float
    gamma: float
    level: float
    trend: float
    seasons: list[float]  # seasons[j] is the component of the positions i with i % period == j
    period: int
    errors: list[float]
    forecasts: list[float]

    def ahead(self, steps: int) -> float:
        """The forecast ``steps`` (>= 1) points after the last one."""
        n = len(self.errors)
        season = self.seasons[(n + steps - 1) % self.period] if self.period else 0.0
        return self.level + steps * self.trend + season


def _initial_state(ys: Sequence[float], period: int) -> tuple[float, float, list[float]]:
    """(level, trend, seasonal components) just before the first point."""
    if not period:
        intercept, slope = _line(ys[:INITIAL_POINTS])
        return intercept - slope, slope, []
    cycles = 2
    means = [math.fsum(ys[c * period:(c + 1) * period]) / period for c in range(cycles)]
    trend = (means[-1] - means[0]) / ((cycles - 1) * period)
    centre = (period - 1) / 2
    seasons = [
        math.fsum(ys[c * period + j] - means[c] - (j - centre) * trend for c in range(cycles)) / cycles
        for j in range(period)
    ]
    shift = math.fsum(seasons) / period
    seasons = [s - shift for s in seasons]
    return means[0] - (centre + 1) * trend, trend, seasons


def _squared_error(ys: Sequence[float], period: int, state: tuple[float, float, list[float]],
                   alpha: float, beta: float, gamma: float) -> float:
    """Sum of squared one-step errors (the objective; the inner loop of the search)."""
    level, trend, initial = state
    keep_level, keep_trend, keep_season = 1 - alpha, 1 - beta, 1 - gamma  # the same arithmetic, hoisted
    total = 0.0
    if not period:
        for y in ys:
            error = y - (level + trend)
            new_level = alpha * y + keep_level * (level + trend)
            trend = beta * (new_level - level) + keep_trend * trend
            level = new_level
            total += error * error
        return total
    seasons = list(initial)
    j = 0
    for y in ys:
        season = seasons[j]
        error = y - (level + trend + season)
        new_level = alpha * (y - season) + keep_level * (level + trend)
        seasons[j] = gamma * (y - new_level) + keep_season * season
        trend = beta * (new_level - level) + keep_trend * trend
        level = new_level
        total += error * error
        j += 1
        if j == period:
            j = 0
    return total


def _run(ys: Sequence[float], period: int, state: tuple[float, float, list[float]],
         alpha: float, beta: float, gamma: float) -> Fit:
    level, trend, initial = state
    seasons = list(initial)
    errors: list[float] = []
    forecasts: list[float] = []
    for i, y in enumerate(ys):
        season = seasons[i % period] if period else 0.0
        forecast = level + trend + season
        new_level = alpha * (y - season) + (1 - alpha) * (level + trend)
        if period:
            seasons[i % period] = gamma * (y - new_level) + (1 - gamma) * season
        trend = beta * (new_level - level) + (1 - beta) * trend
        level = new_level
        forecasts.append(forecast)
        errors.append(y - forecast)
    return Fit(alpha, beta, gamma, level, trend, seasons, period, errors, forecasts)


def fit(ys: Sequence[float], period: int) -> Fit:
    """The model with the parameters that minimise the squared one-step errors."""
    state = _initial_state(ys, period)
    dimensions = 3 if period else 2

    def cost(point: tuple[float, ...]) -> float:
        return _squared_error(ys, period, state, point[0], point[1], point[2] if period else 0.0)

    def better(candidate: float, incumbent: float) -> bool:
        return candidate < incumbent - 1e-10 * abs(incumbent)

    grid_step = 0.2 if len(ys) >= LONG_SERIES else 0.1
    ticks = [round(k * grid_step, 10) for k in range(round(1 / grid_step) + 1)]
    best: tuple[float, ...] = (0.0,) * dimensions
    best_cost = cost(best)
    grid: list[tuple[float, ...]] = [(a,) for a in ticks]
    for _ in range(dimensions - 1):
        grid = [(*point, t) for point in grid for t in ticks]
    for point in grid:
        value = cost(point)
        if better(value, best_cost):
            best, best_cost = point, value
    step = grid_step / 2
    evaluations = 0
    while step >= FINAL_RESOLUTION and evaluations < MAX_REFINEMENTS:
        moved = False
        for axis in range(dimensions):
            for sign in (-1.0, 1.0):
                coordinate = min(1.0, max(0.0, best[axis] + sign * step))
                if coordinate == best[axis]:
                    continue
                candidate = (*best[:axis], coordinate, *best[axis + 1:])
                value = cost(candidate)
                evaluations += 1
                if better(value, best_cost):
                    best, best_cost, moved = candidate, value, True
        step = min(2 * step, grid_step) if moved else step / 2
    alpha, beta = best[0], best[1]
    gamma = best[2] if period else 0.0
    return _run(ys, period, state, alpha, beta, gamma)


# ================================================================================================ shared steps
@dataclass(frozen=True, slots=True)
class Model:
    series: Series
    fit: Fit

    def position(self, target: float) -> float:
        """The target's place on the series, in steps from the first point."""
        return (target - self.series.start) / self.series.step

    def forecast(self, target: float) -> float | ExcelError:
        """The value at ``target``: interpolated inside the timeline, forecast after it (see the docstring)."""
        ys = self.series.values
        last = len(ys) - 1
        where = self.position(target)
        if where <= -1:
            return NUM

        def value_at(index: int) -> float:
            if index < 0:
                return 0.0
            if index <= last:
                return ys[index]
            return self.fit.ahead(index - last)

        if where > last:
            ahead = where - last
            whole = math.floor(ahead)
            index = last + whole
        else:
            whole = math.floor(where)
            index = whole
            ahead = where
        fraction = ahead - whole
        result = value_at(index)
        if fraction > 0:
            result += fraction * (value_at(index + 1) - result)
        return check_number(result)


def build_model(values: Any, timeline: Any, seasonality: Any, completion: Any,
                aggregation: Any) -> Model | ExcelError:
    """Check the common arguments, prepare the series and fit the model. The formulas of one recalculation that
    forecast from the same data (a table of targets, FORECAST.ETS beside its CONFINT) share one fit: fitting costs
    hundreds of passes over the series."""
    memo = plan_memo()
    if memo is None:
        return _built_model(values, timeline, seasonality, completion, aggregation)
    key = ("FORECAST.ETS", tuple(_cells(values)), tuple(_cells(timeline)), seasonality, completion, aggregation)
    try:
        found = memo.get(key)
    except TypeError:  # a value that cannot be a key (none is expected): no sharing
        return _built_model(values, timeline, seasonality, completion, aggregation)
    if found is None:
        found = memo[key] = _built_model(values, timeline, seasonality, completion, aggregation)
    return found


def _series(values: Any, timeline: Any, completion: Any, aggregation: Any) -> Series | ExcelError:
    """The options checked, then the prepared series."""
    options = _options(completion, aggregation)
    if isinstance(options, ExcelError):
        return options
    return prepare_series(values, timeline, *options)


def _built_model(values: Any, timeline: Any, seasonality: Any, completion: Any,
                 aggregation: Any) -> Model | ExcelError:
    season = _seasonality_option(seasonality)
    if isinstance(season, ExcelError):
        return season
    series = _series(values, timeline, completion, aggregation)
    if isinstance(series, ExcelError):
        return series
    ys = series.values
    period = detect_seasonality(ys) if season == 1 else season
    if period and len(ys) < 2 * period:
        return NUM
    return Model(series, fit(ys, period))


# ================================================================================================ the functions
def _overflow_is_num(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` with a result beyond the float range (values near 1e308, a timeline spanning it: an overflow,
    or infinities that ``math.fsum`` refuses to add) as #NUM!, as Excel answers, instead of the exception."""

    @functools.wraps(function)
    def checked(*args: Any) -> Any:
        try:
            return function(*args)
        except (OverflowError, ValueError):
            return NUM

    return checked


@register("FORECAST.ETS", 3, 6, refs=(1, 2))
@_overflow_is_num
def forecast_ets(target_date: Any, values: Any, timeline: Any, seasonality: Any = None,
                 data_completion: Any = None, aggregation: Any = None) -> float | ExcelError:
    """Forecast at ``target_date`` by additive Holt-Winters exponential smoothing."""
    target = to_number(target_date)
    if isinstance(target, ExcelError):
        return target
    model = build_model(values, timeline, seasonality, data_completion, aggregation)
    if isinstance(model, ExcelError):
        return model
    return model.forecast(target)


def interval_width(model: Fit, ahead: int, z: float) -> float:
    """Half-width of the prediction interval ``ahead`` (>= 1) steps after the last point."""
    n = len(model.errors)
    sigma = math.sqrt(math.fsum(e * e for e in model.errors) / n)
    a = model.alpha
    b = model.alpha * model.beta
    g = model.gamma * (1 - model.alpha) if model.period else 0.0
    count = ahead - 1  # the terms j = 1 .. ahead - 1
    total = count * a * a + a * b * count * (count + 1) + b * b * count * (count + 1) * (2 * count + 1) / 6
    if model.period and g:
        cycles = count // model.period
        total += cycles * (2 * g * a + g * g) + g * b * model.period * cycles * (cycles + 1)
    return z * sigma * math.sqrt(1 + max(0.0, total))


@register("FORECAST.ETS.CONFINT", 3, 7, refs=(1, 2))
@_overflow_is_num
def forecast_ets_confint(target_date: Any, values: Any, timeline: Any, confidence_level: Any = None,
                         seasonality: Any = None, data_completion: Any = None,
                         aggregation: Any = None) -> float | ExcelError:
    """Half-width of the confidence interval around FORECAST.ETS's forecast at ``target_date``."""
    target = to_number(target_date)
    if isinstance(target, ExcelError):
        return target
    if confidence_level is None:
        level = 0.95
    else:
        number = to_number(confidence_level)
        if isinstance(number, ExcelError):
            return number
        level = number
    if not 0 < level < 1:
        return NUM
    model = build_model(values, timeline, seasonality, data_completion, aggregation)
    if isinstance(model, ExcelError):
        return model
    last = len(model.series.values) - 1
    ahead = model.position(target) - last
    if ahead < -STEP_TOLERANCE:
        return NUM
    z = normal_quantile((1 + level) / 2)
    whole = math.floor(ahead)
    fraction = ahead - whole
    low = interval_width(model.fit, whole, z) if whole >= 1 else 0.0
    if fraction <= 0:
        return check_number(low)
    high = interval_width(model.fit, whole + 1, z)
    return check_number(low + fraction * (high - low))


@register("FORECAST.ETS.SEASONALITY", 2, 4, refs=(0, 1))
@_overflow_is_num
def forecast_ets_seasonality(values: Any, timeline: Any, data_completion: Any = None,
                             aggregation: Any = None) -> float | ExcelError:
    """Points per cycle that FORECAST.ETS detects in the series (0: no seasonality)."""
    series = _series(values, timeline, data_completion, aggregation)
    if isinstance(series, ExcelError):
        return series
    return float(detect_seasonality(series.values))  # a cell holds floats, never ints


@register("FORECAST.ETS.STAT", 3, 6, refs=(0, 1))
@_overflow_is_num
def forecast_ets_stat(values: Any, timeline: Any, statistic_type: Any, seasonality: Any = None,
                      data_completion: Any = None, aggregation: Any = None) -> float | ExcelError:
    """A parameter or accuracy measure of FORECAST.ETS's model (1 alpha ... 8 step size)."""
    kind = _integer_option(statistic_type, 0)
    if isinstance(kind, ExcelError):
        return kind
    if not 1 <= kind <= 8:
        return NUM
    model = build_model(values, timeline, seasonality, data_completion, aggregation)
    if isinstance(model, ExcelError):
        return model
    return statistic(model, kind)


def statistic(model: Model, kind: int) -> float | ExcelError:
    """FORECAST.ETS.STAT's ``statistic_type`` ``kind`` of a fitted model."""
    fitted = model.fit
    errors = fitted.errors
    ys = model.series.values
    n = len(errors)
    mae = math.fsum(abs(e) for e in errors) / n
    if kind == 1:
        return fitted.alpha
    if kind == 2:
        return fitted.beta
    if kind == 3:
        return fitted.gamma
    if kind == 4:
        changes = math.fsum(abs(b - a) for a, b in itertools.pairwise(ys)) / (n - 1)
        if changes == 0:
            return 0.0 if mae == 0 else DIV0
        return check_number(mae / changes)
    if kind == 5:
        terms = [
            2 * abs(e) / (abs(y) + abs(f)) if abs(y) + abs(f) else 0.0
            for e, y, f in zip(errors, ys, fitted.forecasts, strict=True)
        ]
        return check_number(math.fsum(terms) / n)
    if kind == 6:
        return check_number(mae)
    if kind == 7:
        return check_number(math.sqrt(math.fsum(e * e for e in errors) / n))
    return float(model.series.step)
