"""Bessel functions: the exact ones against reference values computed to 30 digits (mpmath), across the series,
asymptotic and recurrence regimes of each method; BESSELJ and BESSELY against the values Excel cached in real
workbooks (Excel's approximations, see the module docstring)."""

from __future__ import annotations

import pytest

from sheetrl.sheet.functions.bessel import bessel_i, bessel_j, bessel_k, bessel_y, excel_bessel_j, excel_bessel_y

from .cases import evaluate

J = [(0, 1, 0.76519768655796655), (1, 2.5, 0.49709410246427404), (2, 1.9, 0.32992572769238722),
     (5, 10, -0.23406152818679364), (0, 30, -0.086367983581040211), (3, 100, 0.076284201720331943),
     (40, 30, 0.00036120236088965853), (1, 0.1, 0.049937526036242), (0, 24.9, 0.08324596835301549),
     (0, 25.1, 0.10827567149994945)]  # fmt: skip
Y = [(0, 1, 0.088256964215676958), (1, 2.5, 0.1459181379667858), (2, 1.9, -0.66987867900128895),
     (5, 10, 0.1354030476893623), (0, 30, -0.11729573168666403), (3, 100, 0.023445786687760912),
     (40, 30, -33.393668907330314), (1, 0.1, -6.4589510947020266), (0, 24.9, -0.13649918399676524),
     (0, 25.1, -0.11676770763803695)]  # fmt: skip
BESSEL_I_CASES = [(0, 1, 1.2660658777520083), (1, 2.5, 2.5167162452886984), (2, 1.9, 0.60327243294347836),
     (5, 10, 777.18828640325996), (0, 30, 781672297823.97749), (3, 100, 1.0262740175651901e42),
     (40, 30, 24.055697639533881), (1, 0.1, 0.050062526047092695)]  # fmt: skip


@pytest.mark.parametrize(("n", "x", "expected"), J)
def test_bessel_j(n: int, x: float, expected: float) -> None:
    assert bessel_j(n, x) == pytest.approx(expected, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize(("n", "x", "expected"), Y)
def test_bessel_y(n: int, x: float, expected: float) -> None:
    assert bessel_y(n, x) == pytest.approx(expected, rel=1e-12, abs=1e-15)


@pytest.mark.parametrize(("n", "x", "expected"), BESSEL_I_CASES)
def test_bessel_i(n: int, x: float, expected: float) -> None:
    assert bessel_i(n, x) == pytest.approx(expected, rel=1e-13)


def test_bessel_k_uses_the_approximations_excel_documents() -> None:
    # Excel's documented BESSELK(1.5, 1) = 0.277387804 (the exact value is 0.2773878005): A&S 9.8.7.
    assert round(bessel_k(1, 1.5), 9) == 0.277387804
    assert bessel_k(0, 0.5) == pytest.approx(0.9244190712, rel=1e-7)
    assert bessel_k(3, 2.0) == pytest.approx(0.6473853909, rel=1e-7)


def test_bessel_j_is_odd_or_even_in_x() -> None:
    assert evaluate("=BESSELJ(-2,3)") == pytest.approx(-excel_bessel_j(3, 2), rel=1e-15)
    assert evaluate("=BESSELJ(-2,2)") == pytest.approx(excel_bessel_j(2, 2), rel=1e-15)
    assert evaluate("=BESSELJ(-10,1)") == pytest.approx(-excel_bessel_j(1, 10), rel=1e-15)


def test_wronskian_across_the_series_and_asymptotic_switch() -> None:
    # J1(x) Y0(x) - J0(x) Y1(x) = 2 / (pi x)
    for x in (0.5, 3.7, 24.99, 25.01, 60.0):
        left = bessel_j(1, x) * bessel_y(0, x) - bessel_j(0, x) * bessel_y(1, x)
        assert left == pytest.approx(2 / (3.141592653589793 * x), rel=1e-12)


def test_huge_order_is_an_error_not_a_hang() -> None:
    assert str(evaluate("=BESSELJ(1,1E+9)")) == "#NUM!"
    assert str(evaluate("=BESSELI(800,1)")) == "#NUM!"


def test_order_past_ten_thousand_is_zero_only_at_zero() -> None:
    assert evaluate("=BESSELJ(0,1E+7)") == 0
    assert evaluate("=BESSELI(0,20000)") == 0
    assert str(evaluate("=BESSELK(1,20000)")) == "#NUM!"


# Values Excel cached: (formula, arguments, cached value, where). BESSEL.xlsx is IronCalc's
# xlsx/tests/calc_tests/ENGINEERING/BESSEL.xlsx, stress is SheetJS test_files' formula_stress_test.xlsx, vinci is
# vinci1it2000/formulas' test/test_files/test.xlsx. They cover both sides of x = 8, Miller's recurrence (n >= x),
# the upward one (n < x) and the two places where Excel's coefficients differ from Numerical Recipes'.
EXCEL_CACHED = [
    ("J", 0, 0.0, 1.00000000283141, "BESSEL.xlsx BESSELJ!B2"),
    ("J", 0, 10.0, -0.2459357644412996, "BESSEL.xlsx BESSELJ!B14"),  # x >= 8: -0.1098628267e-2 in P
    ("J", 1, 10.0, 0.04347224965225415, "BESSEL.xlsx BESSELJ!C14"),  # x >= 8: the repeated coefficient in P
    ("J", 1, -32.0, 0.0265890283162847, "BESSEL.xlsx BESSELJ!C20"),
    ("J", 7, 10.0, 0.2167104380031489, "BESSEL.xlsx BESSELJ!E14"),
    ("J", 10, 2.4, 1.4958291233129393e-06, "BESSEL.xlsx BESSELJ!F11"),
    ("J", 10, 10.0, 0.20748610663402065, "BESSEL.xlsx BESSELJ!F14"),
    ("J", 10, 32.0, -0.028941015632886966, "BESSEL.xlsx BESSELJ!F15"),
    ("J", 5, 1e-10, 2.6041666666666675e-54, "BESSEL.xlsx All!D17"),
    ("J", 30, 2.0, 3.650256266474097e-33, "BESSEL.xlsx All!D22"),
    ("Y", 0, 10.0, 0.05567116743095123, "BESSEL.xlsx BESSELY!B14"),
    ("Y", 1, 32.0, -0.13854483144881607, "BESSEL.xlsx BESSELY!C15"),
    ("Y", 10, 0.2, -1156367142008513.5, "BESSEL.xlsx BESSELY!F3"),
    ("Y", 0, 1e-10, -14.732516312945261, "BESSEL.xlsx All!F15"),
    ("Y", 1, 1e-10, -6366197720.0, "BESSEL.xlsx All!F16"),
]


@pytest.mark.parametrize(("kind", "n", "x", "cached", "where"), EXCEL_CACHED)
def test_excel_j_and_y_match_cached_values(kind: str, n: int, x: float, cached: float, where: str) -> None:
    value = excel_bessel_j(n, x) if kind == "J" else excel_bessel_y(n, x)
    assert value == pytest.approx(cached, rel=1e-14), where


@pytest.mark.parametrize(
    ("formula", "cells", "cached", "where"),
    [
        ("=BESSELJ(C3,D3)", {"C3": 2, "D3": 3}, 0.12894324997562717, "stress Engineering!B3"),
        ("=BESSELY(C5,D5)", {"C5": 2, "D5": 3}, -1.1277837651220644, "stress Engineering!B5"),
        ("=BESSELJ(E4,F4)", {"E4": 2.3, "F4": 2}, 0.41391458970875217, "vinci ENGINEERING!T4"),
        ("=BESSELY(E6,F6)", {"E6": 2.3, "F6": 2}, -0.4726168566767928, "vinci ENGINEERING!T6"),
        ("=BESSELJ(D4,E4)", {"D4": 10000000, "E4": 2.3}, 8.683739567294922e-05, "vinci ENGINEERING!S4"),
        ("=BESSELY(D6,E6)", {"D6": 10000000, "E6": 2.3}, -0.00023689922733673244, "vinci ENGINEERING!S6"),
    ],
)
def test_besselj_bessely_cells(formula: str, cells: dict[str, float], cached: float, where: str) -> None:
    assert evaluate(formula, cells) == pytest.approx(cached, rel=1e-14), where


def test_excel_approximations_stay_close_to_the_exact_functions() -> None:
    # Excel's J_1 for x >= 8 is the worst (BESSELJ(10, 1) is off by 1e-5 relative), and J_n above it inherits that.
    for n in (0, 1, 2, 5, 12):
        for x in (0.3, 2.5, 7.99, 8.0, 15.0, 40.0):
            assert excel_bessel_j(n, x) == pytest.approx(bessel_j(n, x), rel=1e-4, abs=1e-7)
            assert excel_bessel_y(n, x) == pytest.approx(bessel_y(n, x), rel=1e-4, abs=1e-7)
