"""Correlation and regression: CORREL, PEARSON, RSQ, SLOPE, INTERCEPT, STEYX, COVAR, COVARIANCE.P/.S,
FORECAST (FORECAST.LINEAR), and the array-returning LINEST, LOGEST, TREND and GROWTH.

The two-variable functions pair the values of their arguments by position and skip pairs where either value is not
a number; arguments with different numbers of values are #N/A. Sums of products are taken around the means with
correctly rounded sums.

LINEST solves the least-squares problem by modified Gram-Schmidt on the centred columns (reorthogonalized once,
which is as accurate as Householder QR here), not by the normal equations, so nearly collinear data keep their
precision. A column that is (numerically) a combination of the earlier ones is dropped, as Excel does: its
coefficient and standard error are 0 and it does not count in the degrees of freedom. LOGEST and GROWTH fit
ln(y) and return exponentiated coefficients and predictions.
"""

from __future__ import annotations

import math
from typing import Any

from sheetrl.sheet.errors import DIV0, NA, NUM, REF, VALUE, ExcelError
from sheetrl.sheet.functions import register
from sheetrl.sheet.functions.distributions import flag, numbers
from sheetrl.sheet.values import Matrix, check_number

_COLLINEAR = 1e-13  # a column whose part orthogonal to the earlier ones is this small (relatively) is dropped


# ================================================================================================ two variables
def paired_numbers(known_y: Any, known_x: Any) -> tuple[list[float], list[float]] | ExcelError:
    """(ys, xs): the positions where both arguments hold numbers; #N/A when their sizes differ."""
    ys = known_y.values if type(known_y) is Matrix else [known_y]
    xs = known_x.values if type(known_x) is Matrix else [known_x]
    if len(ys) != len(xs):
        return NA
    left: list[float] = []
    right: list[float] = []
    for y, x in zip(ys, xs, strict=True):
        for value in (y, x):
            if isinstance(value, ExcelError):
                return value
        if type(y) in (float, int) and type(x) in (float, int):
            left.append(float(y))
            right.append(float(x))
    return left, right


def _moments(known_y: Any, known_x: Any) -> tuple[int, float, float, float, float, float] | ExcelError:
    """(n, mean y, mean x, sum of squares y, sum of squares x, sum of cross products), all around the means."""
    pairs = paired_numbers(known_y, known_x)
    if isinstance(pairs, ExcelError):
        return pairs
    ys, xs = pairs
    n = len(ys)
    if n == 0:
        return DIV0
    mean_y = math.fsum(ys) / n
    mean_x = math.fsum(xs) / n
    dy = [y - mean_y for y in ys]
    dx = [x - mean_x for x in xs]
    return (
        n,
        mean_y,
        mean_x,
        math.fsum(d * d for d in dy),
        math.fsum(d * d for d in dx),
        math.fsum(a * b for a, b in zip(dy, dx, strict=True)),
    )


@register("CORREL", 2, refs=(0, 1), aliases=("PEARSON",))
def correl(array1: Any, array2: Any) -> float | ExcelError:
    """Pearson correlation coefficient; #DIV/0! when either variable has no spread."""
    moments = _moments(array1, array2)
    if isinstance(moments, ExcelError):
        return moments
    _, _, _, syy, sxx, sxy = moments
    if syy == 0 or sxx == 0:
        return DIV0
    return check_number(max(-1.0, min(1.0, sxy / math.sqrt(syy * sxx))))


@register("RSQ", 2, refs=(0, 1))
def rsq(known_y: Any, known_x: Any) -> float | ExcelError:
    """Square of the Pearson correlation coefficient."""
    r = correl(known_y, known_x)
    return r if isinstance(r, ExcelError) else r * r


@register("SLOPE", 2, refs=(0, 1))
def slope(known_y: Any, known_x: Any) -> float | ExcelError:
    """Slope of the least-squares line through the points; #DIV/0! when the x values have no spread."""
    moments = _moments(known_y, known_x)
    if isinstance(moments, ExcelError):
        return moments
    _, _, _, _, sxx, sxy = moments
    return DIV0 if sxx == 0 else check_number(sxy / sxx)


@register("INTERCEPT", 2, refs=(0, 1))
def intercept(known_y: Any, known_x: Any) -> float | ExcelError:
    """Where the least-squares line crosses the y axis."""
    moments = _moments(known_y, known_x)
    if isinstance(moments, ExcelError):
        return moments
    _, mean_y, mean_x, _, sxx, sxy = moments
    return DIV0 if sxx == 0 else check_number(mean_y - sxy / sxx * mean_x)


@register("STEYX", 2, refs=(0, 1))
def steyx(known_y: Any, known_x: Any) -> float | ExcelError:
    """Standard error of the predicted y in the regression; #DIV/0! with fewer than three points."""
    moments = _moments(known_y, known_x)
    if isinstance(moments, ExcelError):
        return moments
    n, _, _, syy, sxx, sxy = moments
    if n < 3 or sxx == 0:
        return DIV0
    return check_number(math.sqrt(max(0.0, syy - sxy * sxy / sxx) / (n - 2)))


@register("COVARIANCE.P", 2, refs=(0, 1), aliases=("COVAR",))
def covariance_p(array1: Any, array2: Any) -> float | ExcelError:
    """Population covariance (mean of the products of deviations)."""
    moments = _moments(array1, array2)
    if isinstance(moments, ExcelError):
        return moments
    return check_number(moments[5] / moments[0])


@register("COVARIANCE.S", 2, refs=(0, 1))
def covariance_s(array1: Any, array2: Any) -> float | ExcelError:
    """Sample covariance; #DIV/0! with fewer than two points."""
    moments = _moments(array1, array2)
    if isinstance(moments, ExcelError):
        return moments
    if moments[0] < 2:
        return DIV0
    return check_number(moments[5] / (moments[0] - 1))


@register("FORECAST", 3, refs=(1, 2), aliases=("FORECAST.LINEAR",))
def forecast(x: Any, known_y: Any, known_x: Any) -> float | ExcelError:
    """Value at x of the least-squares line through the points."""
    point = numbers(x)
    if isinstance(point, ExcelError):
        return point
    moments = _moments(known_y, known_x)
    if isinstance(moments, ExcelError):
        return moments
    _, mean_y, mean_x, _, sxx, sxy = moments
    if sxx == 0:
        return DIV0
    return check_number(mean_y + sxy / sxx * (point[0] - mean_x))


# ================================================================================================ linear models
class LinearModel:
    """A least-squares fit of y on the columns of X, with or without a constant term."""

    def __init__(self, ys: list[float], columns: list[list[float]], constant: bool) -> None:
        self.n = len(ys)
        self.constant = constant
        self.y_mean = math.fsum(ys) / self.n if constant else 0.0
        self.x_means = [math.fsum(c) / self.n if constant else 0.0 for c in columns]
        centred = [[v - m for v in c] for c, m in zip(columns, self.x_means, strict=True)]
        target = [y - self.y_mean for y in ys]
        basis: list[list[float]] = []
        r: list[list[float]] = []  # r[j][i]: coefficient of basis vector i in kept column j
        self.kept: list[int] = []
        for index, column in enumerate(centred):
            norm = math.sqrt(math.fsum(v * v for v in column))
            residual = list(column)
            coefficients = [0.0] * len(basis)
            for _ in range(2):  # Gram-Schmidt twice is enough for full precision
                for i, q in enumerate(basis):
                    dot = math.fsum(a * b for a, b in zip(q, residual, strict=True))
                    coefficients[i] += dot
                    residual = [a - dot * b for a, b in zip(residual, q, strict=True)]
            length = math.sqrt(math.fsum(v * v for v in residual))
            if norm == 0 or length <= _COLLINEAR * norm:
                continue
            basis.append([v / length for v in residual])
            r.append([*coefficients, length])
            self.kept.append(index)
        self.rank = len(basis)
        # coefficients of the kept columns: solve R b = Q^T y (R upper triangular, stored by column)
        qty = [math.fsum(a * b for a, b in zip(q, target, strict=True)) for q in basis]
        solution = [0.0] * self.rank
        for j in range(self.rank - 1, -1, -1):
            total = qty[j] - math.fsum(r[k][j] * solution[k] for k in range(j + 1, self.rank))
            solution[j] = total / r[j][j]
        self.coefficients = [0.0] * len(columns)
        for position, index in enumerate(self.kept):
            self.coefficients[index] = solution[position]
        self.intercept = (
            self.y_mean - math.fsum(b * m for b, m in zip(self.coefficients, self.x_means, strict=True))
            if constant
            else 0.0
        )
        self._r = r
        fitted = [self.predict([c[row] for c in columns]) for row in range(self.n)]
        self.ss_resid = math.fsum((y - f) ** 2 for y, f in zip(ys, fitted, strict=True))
        self.ss_reg = math.fsum((f - self.y_mean) ** 2 for f in fitted)
        self.df = self.n - self.rank - (1 if constant else 0)

    def predict(self, xs: list[float]) -> float:
        return self.intercept + math.fsum(b * x for b, x in zip(self.coefficients, xs, strict=True))

    def _inverse_r(self) -> list[list[float]]:
        """R^-1 (upper triangular), rows by index."""
        size = self.rank
        inverse = [[0.0] * size for _ in range(size)]
        for j in range(size):
            inverse[j][j] = 1.0 / self._r[j][j]
            for i in range(j - 1, -1, -1):
                total = math.fsum(inverse[i][k] * self._r[j][k] for k in range(i, j))
                inverse[i][j] = -total / self._r[j][j]
        return inverse

    def standard_errors(self) -> tuple[list[float], float] | None:
        """(standard errors of the coefficients, of the intercept); None without residual degrees of freedom."""
        if self.df <= 0:
            return None
        variance = self.ss_resid / self.df
        inverse = self._inverse_r()
        # (X^T X)^-1 = R^-1 R^-T
        covariance = [
            [math.fsum(inverse[i][k] * inverse[j][k] for k in range(self.rank)) for j in range(self.rank)]
            for i in range(self.rank)
        ]
        errors = [0.0] * len(self.coefficients)
        for position, index in enumerate(self.kept):
            errors[index] = math.sqrt(max(0.0, variance * covariance[position][position]))
        intercept_error = 0.0
        if self.constant:
            means = [self.x_means[index] for index in self.kept]
            spread = math.fsum(
                means[i] * covariance[i][j] * means[j] for i in range(self.rank) for j in range(self.rank)
            )
            intercept_error = math.sqrt(max(0.0, variance * (1.0 / self.n + spread)))
        return errors, intercept_error


def _all_numbers(value: Any) -> list[float] | ExcelError:
    """Every value of an argument as a number: an error is returned, anything else but a number is #VALUE!."""
    values = value.values if type(value) is Matrix else [value]
    out: list[float] = []
    for v in values:
        if isinstance(v, ExcelError):
            return v
        if type(v) not in (float, int):
            return VALUE
        out.append(float(v))
    return out


def _shape(value: Any) -> tuple[int, int]:
    return (value.rows, value.cols) if type(value) is Matrix else (1, 1)


def _variables(values: list[float], shape: tuple[int, int], by_columns: bool) -> list[list[float]]:
    rows, cols = shape
    if by_columns:
        return [[values[r * cols + c] for r in range(rows)] for c in range(cols)]
    return [[values[r * cols + c] for c in range(cols)] for r in range(rows)]


def _regression_data(
    known_y: Any, known_x: Any, logarithmic: bool
) -> tuple[list[float], list[list[float]], bool] | ExcelError:
    """(y values, x variables, whether variables are columns) from LINEST-style arguments."""
    ys = _all_numbers(known_y)
    if isinstance(ys, ExcelError):
        return ys
    if logarithmic:
        if any(y <= 0 for y in ys):
            return NUM
        ys = [math.log(y) for y in ys]
    y_rows, y_cols = _shape(known_y)
    if known_x is None:
        return ys, [[float(i + 1) for i in range(len(ys))]], y_cols == 1
    xs = _all_numbers(known_x)
    if isinstance(xs, ExcelError):
        return xs
    x_shape = _shape(known_x)
    if (y_rows, y_cols) == x_shape:
        return ys, [xs], True
    if y_cols == 1 and x_shape[0] == y_rows:
        return ys, _variables(xs, x_shape, by_columns=True), True
    if y_rows == 1 and x_shape[1] == y_cols:
        return ys, _variables(xs, x_shape, by_columns=False), False
    return REF


def _fit(
    known_y: Any, known_x: Any, const: Any, logarithmic: bool
) -> tuple[LinearModel, list[list[float]], bool] | ExcelError:
    data = _regression_data(known_y, known_x, logarithmic)
    if isinstance(data, ExcelError):
        return data
    ys, columns, by_columns = data
    constant = True if const is None else flag(const)
    if isinstance(constant, ExcelError):
        return constant
    if len(ys) == 0:
        return VALUE
    try:
        model = LinearModel(ys, columns, bool(constant))
    except (ArithmeticError, ValueError):
        return NUM
    return model, columns, by_columns


def _estimation_table(model: LinearModel, stats: bool, logarithmic: bool) -> Matrix:
    """LINEST's output: coefficients (last variable first) and the intercept, then four rows of statistics."""
    width = len(model.coefficients) + 1

    def shown(value: float) -> float:
        return math.exp(value) if logarithmic else value

    first_row: list[Any] = [shown(b) for b in reversed(model.coefficients)] + [
        shown(model.intercept) if model.constant else (1.0 if logarithmic else 0.0)
    ]
    if not stats:
        return Matrix(1, width, first_row)
    filler: list[Any] = [NA] * (width - 2)
    errors = model.standard_errors()
    total = model.ss_reg + model.ss_resid
    r_squared: Any = model.ss_reg / total if total > 0 else NUM
    if errors is None:
        error_row: list[Any] = [NUM] * width
        standard_error: Any = NUM
        f_statistic: Any = NUM
    else:
        coefficient_errors, intercept_error = errors
        error_row = [*reversed(coefficient_errors), intercept_error if model.constant else NA]
        standard_error = math.sqrt(model.ss_resid / model.df)
        f_statistic = (
            (model.ss_reg / model.rank) / (model.ss_resid / model.df)
            if model.ss_resid > 0 and model.rank > 0
            else NUM
        )
    rows: list[Any] = [
        *first_row,
        *error_row,
        r_squared,
        standard_error,
        *filler,
        f_statistic,
        float(model.df),
        *filler,
        model.ss_reg,
        model.ss_resid,
        *filler,
    ]
    return Matrix(5, width, [v if isinstance(v, ExcelError) else check_number(v) for v in rows])


def _linest(known_y: Any, known_x: Any, const: Any, stats: Any, logarithmic: bool) -> Matrix | ExcelError:
    fitted = _fit(known_y, known_x, const, logarithmic)
    if isinstance(fitted, ExcelError):
        return fitted
    with_stats = False if stats is None else flag(stats)
    if isinstance(with_stats, ExcelError):
        return with_stats
    try:
        return _estimation_table(fitted[0], bool(with_stats), logarithmic)
    except (ArithmeticError, ValueError):
        return NUM


@register("LINEST", 1, 4, refs=(0, 1))
def linest(known_y: Any, known_x: Any = None, const: Any = None, stats: Any = None) -> Matrix | ExcelError:
    """Least-squares line (or plane) through the data: the slopes, last variable first, then the intercept;
    with ``stats`` TRUE four more rows: standard errors; r² and the standard error of y; F and the degrees of
    freedom; the regression and residual sums of squares (unused cells #N/A)."""
    return _linest(known_y, known_x, const, stats, logarithmic=False)


@register("LOGEST", 1, 4, refs=(0, 1))
def logest(known_y: Any, known_x: Any = None, const: Any = None, stats: Any = None) -> Matrix | ExcelError:
    """Exponential curve y = b * m1^x1 * m2^x2 ... through the data (LINEST of ln y, exponentiated); the
    statistics rows describe the fit of ln y."""
    return _linest(known_y, known_x, const, stats, logarithmic=True)


def _predictions(
    known_y: Any, known_x: Any, new_x: Any, const: Any, logarithmic: bool
) -> Matrix | ExcelError:
    fitted = _fit(known_y, known_x, const, logarithmic)
    if isinstance(fitted, ExcelError):
        return fitted
    model, columns, by_columns = fitted
    variables = len(columns)
    if new_x is None:
        if known_x is None:
            shape = _shape(known_y)
            points = [[x] for x in columns[0]]
        else:
            count = len(columns[0])
            if variables == 1:
                shape = _shape(known_x)
            else:
                shape = (count, 1) if by_columns else (1, count)
            points = [[c[i] for c in columns] for i in range(len(columns[0]))]
    else:
        values = _all_numbers(new_x)
        if isinstance(values, ExcelError):
            return values
        rows, cols = _shape(new_x)
        if variables == 1:
            shape = (rows, cols)
            points = [[v] for v in values]
        elif by_columns:
            if cols != variables:
                return REF
            shape = (rows, 1)
            points = [values[r * cols : (r + 1) * cols] for r in range(rows)]
        else:
            if rows != variables:
                return REF
            shape = (1, cols)
            points = [[values[r * cols + c] for r in range(rows)] for c in range(cols)]
    try:
        results = [model.predict(p) for p in points]
        if logarithmic:
            results = [math.exp(v) for v in results]
    except (ArithmeticError, ValueError):
        return NUM
    return Matrix(shape[0], shape[1], [check_number(v) for v in results])


@register("TREND", 1, 4, refs=(0, 1, 2))
def trend(known_y: Any, known_x: Any = None, new_x: Any = None, const: Any = None) -> Matrix | ExcelError:
    """Values of the least-squares fit at ``new_x`` (default: at ``known_x``)."""
    return _predictions(known_y, known_x, new_x, const, logarithmic=False)


@register("GROWTH", 1, 4, refs=(0, 1, 2))
def growth(known_y: Any, known_x: Any = None, new_x: Any = None, const: Any = None) -> Matrix | ExcelError:
    """Values of the exponential fit (see LOGEST) at ``new_x`` (default: at ``known_x``)."""
    return _predictions(known_y, known_x, new_x, const, logarithmic=True)

