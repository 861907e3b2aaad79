"""XIRR against the values Excel cached in real workbooks: Excel's search (double or halve the guess until XNPV
changes sign between x and 2x, then take the 26th midpoint of [x, 2x]) stops about 1e-8 from the root, so these
pin the exact doubles. Sources: IronCalc's xlsx/tests/calc_tests/FINANCIAL/XIRR.xlsx ("ironcalc"), SheetJS
test_files' formula_stress_test.xlsx ("stress"), vinci1it2000/formulas' test/test_files/test.xlsx ("vinci")."""

from __future__ import annotations

from typing import Any

import pytest

from .cases import evaluate

_TWENTY_THREE = {"H2": "=DATE(2023,2,1)", "I2": "=DATE(2023,3,1)", "J2": "=DATE(2023,4,1)", "K2": "=DATE(2023,6,1)",
                 "L2": "=DATE(2023,7,1)", "M2": "=DATE(2023,8,1)"}  # fmt: skip
_TWENTY_FOUR = {"H2": "=DATE(2024,1,1)", "I2": "=DATE(2024,2,1)", "J2": "=DATE(2024,3,2)", "K2": "=DATE(2024,4,4)",
                "L2": "=DATE(2025,5,5)", "M2": "=DATE(2026,6,6)"}  # fmt: skip


def _row(values: list[float], dates: dict[str, Any]) -> dict[str, Any]:
    return {**{f"{column}2": v for column, v in zip("ABCDEF", values, strict=True)}, **dates}


_VINCI = {"C1": -10, "D1": 1, "E1": 5, "F1": 0.0001, "G1": 4.5, "C2": 1, "D2": 99, "E2": 55, "F2": 4, "G2": 9}
_STRESS = {"E10": -10000, "F10": 3000, "G10": 4200, "H10": 6800, "E11": "=DATE(2013,1,1)", "F11": "=DATE(2013,2,1)",
           "G11": "=DATE(2013,3,1)", "H11": "=DATE(2013,4,1)"}  # fmt: skip

CACHED = [
    ("ironcalc R2", "=XIRR(A2:F2,H2:M2)", _row([-20, 5, 5, 5, 5, 5], _TWENTY_THREE), 1.1859161972999572),
    ("ironcalc R12", "=XIRR(A2:F2,H2:M2)",
     _row([-20, 9, 9, 9, 9, 9], dict(zip(["H2", "I2", "J2", "K2", "L2", "M2"], [23, 23.67, 123.69, 400.992, 500, 500],
                                         strict=True))), 3.131423544883728),
    ("ironcalc R19", "=XIRR(A2:F2,H2:M2)", _row([-20, 5, 12, 1, 7, 5], _TWENTY_FOUR), 0.9825324892997742),
    ("stress Finance!B11", "=XIRR(E10:H10,E11:H11)", _STRESS, 5.315237760543824),
    ("stress Finance!B12", "=XNPV(XIRR(E10:H10,E11:H11),E10:H10,E11:H11)", _STRESS, -6.211546860868111e-06),
    ("vinci FINANCIAL!AD54", "=XIRR(C1:G1,C2:G2)", _VINCI, 0.5993197500705721),
    ("vinci FINANCIAL!T55 (guess 1)", "=XIRR(C1:G1,C2:G2,1)", _VINCI, 0.5993197485804558),
    ("vinci FINANCIAL!V55 (guess 4)", "=XIRR(C1:G1,C2:G2,4)", _VINCI, 0.5993197485804558),
    ("vinci FINANCIAL!X54 (guess 32015)", "=XIRR(C1:G1,C2:G2,32015)", _VINCI, 0.5993197540431083),
    ("vinci FINANCIAL!R56", "=XNPV(XIRR(C1:G1,C2:G2,1),C1:G1,C2:G2)", _VINCI, 4.594164160209857e-09),
]  # fmt: skip


@pytest.mark.parametrize(("where", "formula", "cells", "cached"), CACHED, ids=[row[0] for row in CACHED])
def test_xirr_gives_excels_cached_value(where: str, formula: str, cells: dict[str, Any], cached: float) -> None:
    assert evaluate(formula, cells) == pytest.approx(cached, rel=1e-13, abs=1e-20), where


def test_negative_roots_and_guess_zero_stay_close_to_excel() -> None:
    # Excel reaches these some other way; the engine's Newton root is within 2e-8 of Excel's value
    cells = _row([-20, 5, 5, 7, -10, 5], _TWENTY_FOUR)
    assert evaluate("=XIRR(A2:F2,H2:M2)", cells) == pytest.approx(-0.48679569587111476, rel=2e-8)  # ironcalc R5
    assert evaluate("=XIRR(C1:G1,C2:G2,0)", _VINCI) == pytest.approx(0.599319755859375, rel=1e-9)  # vinci U55
