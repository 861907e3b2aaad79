"""Bessel functions against reference values computed to 30 digits (mpmath), across the series, asymptotic and
recurrence regimes of each method."""

from __future__ import annotations

import pytest

from sheetrl.sheet.functions.bessel import bessel_i, bessel_j, bessel_k, bessel_y

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
    assert evaluate("=BESSELJ(-2,3)") == pytest.approx(-bessel_j(3, 2), rel=1e-15)
    assert evaluate("=BESSELJ(-2,2)") == pytest.approx(bessel_j(2, 2), rel=1e-15)


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
