"""FORECAST.ETS and its family, checked on series whose answers are known by hand."""

from __future__ import annotations

import math
from typing import Any

import pytest

from sheetrl.sheet.functions.forecasting import detect_seasonality, fit, prepare_series

from .cases import case, evaluate, run

# The line 3 + 2t at t = 1..12 (timeline in A, values in B).
LINE = {f"A{t}": t for t in range(1, 13)} | {f"B{t}": 3 + 2 * t for t in range(1, 13)}
# A cycle of five points over a rising line, six cycles: 20 + 0.25t + shape[t mod 5].
SHAPE = (4.0, -2.0, 1.0, -5.0, 2.0)
CYCLE = {f"A{t}": t for t in range(1, 31)} | {f"B{t}": 20 + 0.25 * t + SHAPE[t % 5] for t in range(1, 31)}
# Noise around a line, so the prediction interval is not zero.
NOISE = (0.4, -0.7, 0.2, 0.9, -0.3, -0.5, 0.6, 0.1, -0.8, 0.3, -0.2, 0.5, -0.6, 0.7, -0.1, 0.2)
NOISY = {f"A{t}": t for t in range(1, 17)} | {f"B{t}": 10 + 1.5 * t + NOISE[t - 1] for t in range(1, 17)}


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        # an exact line is forecast on the line, at whole and fractional steps, with or without seasonality search
        case("line-next", "=FORECAST.ETS(13,B1:B12,A1:A12)", 29.0, LINE),
        case("line-far", "=FORECAST.ETS(40,B1:B12,A1:A12,0)", 83.0, LINE),
        case("line-half-step", "=FORECAST.ETS(12.5,B1:B12,A1:A12)", 28.0, LINE),
        case("line-no-spread-in-errors", "=FORECAST.ETS.STAT(B1:B12,A1:A12,7)", 0.0, LINE),
        case("line-step", "=FORECAST.ETS.STAT(B1:B12,A1:A12*2,8)", 2.0, LINE),
        case("line-no-seasonality", "=FORECAST.ETS.SEASONALITY(B1:B12,A1:A12)", 0, LINE),
        case("line-zero-interval", "=FORECAST.ETS.CONFINT(15,B1:B12,A1:A12)", 0.0, LINE),
        # a periodic series: its period is detected and the cycle continues on the line
        case("cycle-period", "=FORECAST.ETS.SEASONALITY(B1:B30,A1:A30)", 5, CYCLE),
        case("cycle-next", "=FORECAST.ETS(31,B1:B30,A1:A30)", 20 + 0.25 * 31 + SHAPE[1], CYCLE),
        case("cycle-far", "=FORECAST.ETS(43,B1:B30,A1:A30,5)", 20 + 0.25 * 43 + SHAPE[3], CYCLE),
        case("cycle-unsorted", "=FORECAST.ETS.SEASONALITY({3,1,2,1,2,3,1,2,3,1,2,3},"
             "{3,1,2,4,5,6,7,8,9,10,11,12})", 3),
        # a missing point is filled with the mean of its neighbours (on the line) or with 0
        case("gap-average", "=FORECAST.ETS(13,{5,7,11,13,15,17,19,21,23,25,27},{1,2,4,5,6,7,8,9,10,11,12},0)", 29.0),
        case("duplicates-averaged", "=FORECAST.ETS(8,{5,6,8,9,11,13,15},{1,2,2,3,4,5,6})", 19.0),
        case("duplicates-summed", "=FORECAST.ETS(8,{5,3,4,9,11,13,15},{1,2,2,3,4,5,6},0,1,7)", 19.0),
        # inside the timeline the known values are interpolated (Excel's cached results), one step before the
        # first point counts as 0, and at or before it is #NUM!
        case("inside-timeline", "=FORECAST.ETS(4.5,B1:B12,A1:A12)", 12.0, LINE),
        case("before-first", "=FORECAST.ETS(0.25,B1:B12,A1:A12)", 1.25, LINE),
        case("one-step-before-first", "=FORECAST.ETS(0,B1:B12,A1:A12)", "#NUM!", LINE),
        # argument errors
        case("sizes-differ", "=FORECAST.ETS(13,B1:B12,A1:A11)", "#N/A", LINE),
        case("no-constant-step", "=FORECAST.ETS(6,{1,2,3,4},{1,2,3.5,4.5})", "#NUM!"),
        case("too-many-missing", "=FORECAST.ETS(20,{1,2,3,4,5},{1,2,3,8,12})", "#NUM!"),
        case("seasonality-above-8760", "=FORECAST.ETS(13,B1:B12,A1:A12,8761)", "#NUM!", LINE),
        case("seasonality-negative", "=FORECAST.ETS(13,B1:B12,A1:A12,-1)", "#NUM!", LINE),
        case("seasonality-needs-two-cycles", "=FORECAST.ETS(13,B1:B12,A1:A12,7)", "#NUM!", LINE),
        case("completion-two", "=FORECAST.ETS(13,B1:B12,A1:A12,0,2)", "#NUM!", LINE),
        case("aggregation-eight", "=FORECAST.ETS(13,B1:B12,A1:A12,0,1,8)", "#NUM!", LINE),
        case("text-in-values", '=FORECAST.ETS(5,{1,"a",3,4},{1,2,3,4})', "#VALUE!"),
        case("error-in-values", "=FORECAST.ETS(13,B1:B12,A1:A12)", "#DIV/0!", LINE | {"B3": "=1/0"}),
        case("confint-level-one", "=FORECAST.ETS.CONFINT(15,B1:B12,A1:A12,1)", "#NUM!", LINE),
        case("confint-level-zero", "=FORECAST.ETS.CONFINT(15,B1:B12,A1:A12,0)", "#NUM!", LINE),
        case("confint-before-end", "=FORECAST.ETS.CONFINT(11,B1:B12,A1:A12)", "#NUM!", LINE),
        case("stat-type-zero", "=FORECAST.ETS.STAT(B1:B12,A1:A12,0)", "#NUM!", LINE),
        case("stat-type-nine", "=FORECAST.ETS.STAT(B1:B12,A1:A12,9)", "#NUM!", LINE),
    ],
)
def test_forecasting(formula: str, expected: Any, cells: dict[str, Any]) -> None:
    run(formula, expected, cells)


def test_confidence_interval_grows_with_the_horizon() -> None:
    widths = [evaluate(f"=FORECAST.ETS.CONFINT({t},B1:B16,A1:A16,0.95,0)", NOISY) for t in range(17, 25)]
    assert all(isinstance(w, float) and w > 0 for w in widths)
    if evaluate("=FORECAST.ETS.STAT(B1:B16,A1:A16,1,0)", NOISY) > 0:
        assert widths == sorted(widths) and widths[-1] > widths[0]
    else:  # alpha = 0: the forecast ignores new points, so its uncertainty does not grow
        assert widths == pytest.approx([widths[0]] * len(widths))


def test_confidence_interval_formula() -> None:
    """z * RMSE at one step; the AAA model's variance sum beyond, using the fitted parameters."""
    alpha, beta, rmse = (evaluate(f"=FORECAST.ETS.STAT(B1:B16,A1:A16,{k},0)", NOISY) for k in (1, 2, 7))
    z = 1.959963984540054
    assert evaluate("=FORECAST.ETS.CONFINT(17,B1:B16,A1:A16,0.95,0)", NOISY) == pytest.approx(z * rmse)
    terms = sum((alpha * (1 + j * beta)) ** 2 for j in range(1, 4))
    assert evaluate("=FORECAST.ETS.CONFINT(20,B1:B16,A1:A16,0.95,0)", NOISY) == pytest.approx(
        z * rmse * math.sqrt(1 + terms))


def test_interval_widens_when_the_level_moves() -> None:
    """A random walk makes alpha clearly positive; then each further step adds to the variance."""
    walk = [0.0]
    for step in (1.2, -0.4, 0.9, 1.5, -1.1, 0.3, 2.0, -0.6, 0.8, -1.9, 1.4, 0.2, -0.7, 1.1, 0.5, -1.3, 0.9, 1.6):
        walk.append(walk[-1] + step)
    cells = {f"A{i + 1}": i + 1 for i in range(len(walk))} | {f"B{i + 1}": v for i, v in enumerate(walk)}
    n = len(walk)
    alpha = evaluate(f"=FORECAST.ETS.STAT(B1:B{n},A1:A{n},1,0)", cells)
    assert alpha > 0.2
    near, far = (evaluate(f"=FORECAST.ETS.CONFINT({n + h},B1:B{n},A1:A{n},0.95,0)", cells) for h in (1, 6))
    assert far > near * 1.5


def test_seasonality_detection() -> None:
    assert detect_seasonality([1.0, 2.0, 3.0, 2.0] * 6) == 4
    assert detect_seasonality([float(t) for t in range(30)]) == 0
    # two and a quarter cycles: too short to be significant (Excel's cached result in vinci1it2000's test.xlsx)
    assert detect_seasonality([1.0, 2.0, 3.0, 2.0, 1.0, 2.0, 3.0, 2.0, 1.0]) == 0


def test_exact_data_keep_the_parameters_at_zero() -> None:
    """Nothing to correct: Excel reports alpha = beta = gamma = 0 for a series its initial state fits exactly."""
    model = fit([10 + 0.5 * t + (2, -1, -3, 2)[t % 4] for t in range(24)], 4)
    assert (model.alpha, model.beta, model.gamma) == (0.0, 0.0, 0.0)
    assert max(abs(e) for e in model.errors) < 1e-12


def test_series_preparation() -> None:
    from sheetrl.sheet.values import Matrix

    values = Matrix(1, 6, [4.0, 8.0, 1.0, 6.0, None, 3.0])
    timeline = Matrix(1, 6, [3.0, 1.0, 5.0, 1.0, 7.0, 9.0])
    series = prepare_series(values, timeline, True, 1)
    assert not isinstance(series, Exception)
    # 1 -> mean(8, 6) = 7; 3 -> 4; 5 -> 1; 7 (empty) -> mean(1, 3) = 2; 9 -> 3
    assert (series.values, series.start, series.step) == ([7.0, 4.0, 1.0, 2.0, 3.0], 1.0, 2.0)
    zeros = prepare_series(values, timeline, False, 7)
    assert not isinstance(zeros, Exception)
    assert zeros.values == [14.0, 4.0, 1.0, 0.0, 3.0]


def test_values_beyond_the_float_range_are_num_errors() -> None:
    from sheetrl.sheet import Workbook

    wb = Workbook()
    for i in range(12):
        wb.set(f"A{i + 1}", 1.7e308 * (-1) ** i)
        wb.set(f"B{i + 1}", i + 1)
        wb.set(f"E{i + 1}", i)
    wb.set("C1", "=FORECAST.ETS(13,A1:A12,B1:B12)")
    wb.set("C2", "=FORECAST.ETS.CONFINT(1E+308,E1:E12,B1:B12)")
    assert [str(wb.value(a)) for a in ("C1", "C2")] == ["#NUM!", "#NUM!"]


def test_long_series_find_their_cycle_through_the_power_spectrum(monkeypatch: pytest.MonkeyPatch) -> None:
    """The spectral autocorrelation (long series) picks the cycle the direct sums pick."""
    import random

    from sheetrl.sheet.functions import forecasting

    rng = random.Random(7)
    for period, n in ((7, 300), (12, 500), (24, 900)):
        ys = [5 * math.sin(2 * math.pi * i / period) + 0.01 * i + rng.gauss(0, 0.4) for i in range(n)]
        monkeypatch.setattr(forecasting, "DIRECT_AUTOCORRELATION_WORK", 10**12)
        direct = forecasting.detect_seasonality(ys)
        monkeypatch.setattr(forecasting, "DIRECT_AUTOCORRELATION_WORK", 0)
        assert forecasting.detect_seasonality(ys) == direct == period
    deviations = [rng.gauss(0, 1) for _ in range(500)]
    spectral = forecasting._autocovariances(deviations, 40)
    exact = [math.fsum(a * b for a, b in zip(deviations, deviations[lag:])) for lag in range(41)]
    assert max(abs(a - b) for a, b in zip(spectral, exact, strict=True)) < 1e-9


def test_formulas_of_one_recalculation_share_a_fit(monkeypatch: pytest.MonkeyPatch) -> None:
    from sheetrl.sheet import Workbook
    from sheetrl.sheet.functions import forecasting

    fits: list[int] = []
    real_fit = forecasting.fit
    monkeypatch.setattr(forecasting, "fit", lambda ys, period: fits.append(len(ys)) or real_fit(ys, period))
    wb = Workbook()
    for i in range(40):
        wb.set(f"A{i + 1}", i + 1)
        wb.set(f"B{i + 1}", 10 + (i % 4) + 0.1 * i)
    with wb.batch():
        for k in range(6):
            wb.set(f"D{k + 1}", f"=FORECAST.ETS({41 + k},$B$1:$B$40,$A$1:$A$40)")
            wb.set(f"E{k + 1}", f"=FORECAST.ETS.CONFINT({41 + k},$B$1:$B$40,$A$1:$A$40)")
    assert len(fits) == 1
    fits.clear()
    wb.set("B1", 11)  # every forecast recalculates: one fit again
    assert len(fits) == 1
    alone = Workbook()
    for i in range(40):
        alone.set(f"A{i + 1}", i + 1)
        alone.set(f"B{i + 1}", wb.value(f"B{i + 1}"))
    alone.set("D3", "=FORECAST.ETS(43,$B$1:$B$40,$A$1:$A$40)")
    assert alone.value("D3") == wb.value("D3")  # sharing changes nothing
