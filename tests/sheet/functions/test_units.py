"""CONVERT: exact definitions, prefixes, temperature scales and every unit in the table."""

from __future__ import annotations

from typing import Any

import pytest

from sheetrl.sheet.functions.units import UNITS, find_unit

from .cases import case, evaluate, run


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("inch-is-2-54-cm", '=CONVERT(1,"in","cm")', 2.54),
        case("logical-number-is-value-error", '=CONVERT(TRUE,"m","cm")', "#VALUE!"),
        case("mile-is-5280-feet", '=CONVERT(1,"mi","ft")', 5280.0),
        case("gallon-is-231-cubic-inches", '=CONVERT(1,"gal","in3")', 231.0),
        case("fluid-ounces-per-gallon", '=CONVERT(1,"gal","oz")', 128.0),
        case("teaspoons-per-tablespoon", '=CONVERT(1,"tbs","tsp")', 3.0),
        case("pound-force-is-gravity-times-pound", '=CONVERT(1,"lbf","N")', 0.45359237 * 9.80665),
        case("slug-in-pounds", '=CONVERT(1,"sg","lbm")', 9.80665 / 0.3048),
        case("foot-pound", '=CONVERT(1,"flb","J")', 0.3048 * 0.45359237 * 9.80665),
        case("mmhg-is-excels-133-322", '=CONVERT(1,"mmHg","Pa")', 133.322),
        case("seconds-take-prefixes", '=CONVERT(1,"Ysec","s")', 1e24),
        case("pc-is-a-picocalorie-among-energies", '=CONVERT(1,"pc","J")', 4.184e-12),
        case("pc-is-a-parsec-among-distances", '=CONVERT(1,"pc","ly")', 3.2615637769456576),
        case("mph-takes-a-prefix", '=CONVERT(0.004,"Mmph","m/s")', 1788.16),
        case("uk-pint-takes-a-prefix", '=CONVERT(0.0002,"Muk_pt","m3")', 0.11365225),
        case("calorie-kinds", '=CONVERT(1,"cal","c")', 4.1868 / 4.184),
        case("horsepower-in-ps", '=CONVERT(1,"HP","PS")', 550 * 0.3048 * 0.45359237 / 75),
        case("atmosphere-in-torr", '=CONVERT(1,"atm","Torr")', 760.0),
        case("square-prefix-is-squared", '=CONVERT(1,"km^2","m2")', 1e6),
        case("cubic-prefix-is-cubed", '=CONVERT(1,"cm3","m3")', 1e-6),
        case("liter-prefix-is-not-cubed", '=CONVERT(1,"ml","l")', 1e-3),
        case("binary-prefix", '=CONVERT(1,"Gibyte","byte")', 2.0**30),
        case("decimal-prefix-on-bytes", '=CONVERT(1,"Gbyte","byte")', 1e9),
        case("body-temperature", '=CONVERT(98.6,"F","C")', 37.0),
        case("absolute-zero-in-fahrenheit", '=CONVERT(0,"K","F")', -459.67),
        case("rankine-and-fahrenheit-degrees", '=CONVERT(0,"F","Rank")', 459.67),
        case("reaumur-boiling", '=CONVERT(100,"C","Reau")', 80.0),
        case("kilokelvin", '=CONVERT(1,"kK","C")', 726.85),
        case("exact-name-beats-prefix", '=CONVERT(1,"Pa","Pa")', 1.0),
        case("hour-name-beats-hecto", '=CONVERT(1,"h","W")', 550 * 0.3048 * 0.45359237 * 9.80665),
        case("unknown-prefix-unit", '=CONVERT(1,"qm","m")', "#N/A"),
        case("empty-unit", '=CONVERT(1,"","m")', "#N/A"),
        case("error-unit", '=CONVERT(1,1/0,"m")', "#DIV/0!"),
    ],
)
def test_convert(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


@pytest.mark.parametrize("name", sorted(UNITS))
def test_every_unit_converts_to_itself_and_back_through_its_base(name: str) -> None:
    unit = UNITS[name]
    bases = {u.category: n for n, u in UNITS.items() if u.size == 1 and u.offset == 0}
    base = bases.get(unit.category, "C")
    cells = {"A1": name, "B1": base}
    assert evaluate("=CONVERT(CONVERT(3.5,A1,B1),B1,A1)", cells) == pytest.approx(3.5, rel=1e-13)


def test_prefixes_apply_only_to_units_that_accept_them() -> None:
    assert find_unit("kg") is not None
    assert find_unit("kmi") is None
    assert find_unit("kilobyte") is None
    assert find_unit("kibit") is not None
    assert find_unit("kim") is None  # binary prefixes belong to bits and bytes
