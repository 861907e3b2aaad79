"""CONVERT: Excel's table of measurement units, with decimal and binary prefixes.

Each unit is defined by its size in its category's base unit (gram, meter, second, pascal, newton, joule, watt,
tesla, cubic meter, square meter, bit, meter per second); a temperature scale is defined by its units per degree
Celsius and its value at 0 degrees Celsius. Sizes are the exact definitions (a pound is 453.59237 g, an inch
0.0254 m, a US gallon 231 cubic inches ...), written here as the products that define them so a reader can check
each one.

Unit names are case-sensitive. A name not in the table may be a prefix plus a unit that accepts prefixes ("km",
"mg", "kPa", "MWh" ...; which units accept them is Excel's choice: seconds, miles per hour and UK pints do, feet
do not): the decimal prefixes Y (1e24) to y (1e-24), and for bits and bytes also the binary prefixes ki (2^10) to
Yi (2^80). A prefix on a square or cubic unit is squared or cubed ("km2" is 1e6 m2). A name with two readings is
read in the other unit's category ("pc" is a parsec beside "m", a picocalorie beside "J"). An unknown unit or units
of two different categories are #N/A. The table and its prefixes agree with a workbook Excel calculated that
converts 150 unit names with every decimal prefix.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from sheetrl.sheet.errors import NA, VALUE, ExcelError
from sheetrl.sheet.functions import register
from sheetrl.sheet.values import check_number, scalar_of, to_number, to_text


class Unit(NamedTuple):
    category: str
    size: float  # in the category's base unit; temperatures: units per degree Celsius
    prefixable: bool = False
    power: int = 1  # 2 for areas, 3 for volumes: the power a prefix is raised to
    offset: float = 0.0  # temperatures: the value at 0 degrees Celsius


# Defining constants.
_POUND = 453.59237  # g
_GRAVITY = 9.80665  # m/s^2, standard gravity
_INCH = 0.0254  # m
_FOOT = 12 * _INCH
_YARD = 3 * _FOOT
_MILE = 5280 * _FOOT
_NAUTICAL_MILE = 1852.0
_SURVEY_FOOT = 1200 / 3937
_LIGHT_YEAR = 9_460_730_472_580_800.0  # m: a Julian year at the speed of light
_PARSEC = 3.0856775812815532e16  # m: Excel's value
_PICA_POINT = _INCH / 72
_POUND_FORCE = _POUND / 1000 * _GRAVITY  # N
_US_GALLON = 231 * _INCH**3  # m^3
_US_FLUID_OUNCE = _US_GALLON / 128
_UK_GALLON = 4.54609e-3  # m^3
_DAY = 86400.0  # s
_ATMOSPHERE = 101325.0  # Pa
_HORSEPOWER = 550 * _FOOT * _POUND_FORCE  # W

_DECIMAL_PREFIXES = {
    "Y": 1e24, "Z": 1e21, "E": 1e18, "P": 1e15, "T": 1e12, "G": 1e9, "M": 1e6, "k": 1e3, "h": 1e2, "da": 1e1,
    "e": 1e1, "d": 1e-1, "c": 1e-2, "m": 1e-3, "u": 1e-6, "n": 1e-9, "p": 1e-12, "f": 1e-15, "a": 1e-18,
    "z": 1e-21, "y": 1e-24,
}  # fmt: skip
_BINARY_PREFIXES = {
    "ki": 2.0**10, "Mi": 2.0**20, "Gi": 2.0**30, "Ti": 2.0**40, "Pi": 2.0**50, "Ei": 2.0**60, "Zi": 2.0**70,
    "Yi": 2.0**80,
}  # fmt: skip
_INFORMATION = "information"

UNITS: dict[str, Unit] = {}


def _define(names: str, category: str, size: float, prefixable: bool = False, power: int = 1,
             offset: float = 0.0) -> None:
    for name in names.split():
        UNITS[name] = Unit(category, size, prefixable, power, offset)


# Weight and mass (gram)
_define("g", "mass", 1.0, prefixable=True)
_define("sg", "mass", _POUND_FORCE / _FOOT * 1000)  # slug: the mass a pound-force accelerates at 1 ft/s^2
_define("lbm", "mass", _POUND)
_define("u", "mass", 1.660538782e-24, prefixable=True)  # atomic mass unit (CODATA 2006, as Excel)
_define("ozm", "mass", _POUND / 16)
_define("grain", "mass", _POUND / 7000)
_define("cwt shweight", "mass", 100 * _POUND)
_define("uk_cwt lcwt hweight", "mass", 112 * _POUND)
_define("stone", "mass", 14 * _POUND)
_define("ton", "mass", 2000 * _POUND)
_define("uk_ton LTON brton", "mass", 2240 * _POUND)
# Distance (meter)
_define("m", "distance", 1.0, prefixable=True)
_define("mi", "distance", _MILE)
_define("Nmi", "distance", _NAUTICAL_MILE)
_define("in", "distance", _INCH)
_define("ft", "distance", _FOOT)
_define("yd", "distance", _YARD)
_define("ang", "distance", 1e-10, prefixable=True)
_define("ell", "distance", 45 * _INCH)
_define("ly", "distance", _LIGHT_YEAR, prefixable=True)
_define("parsec pc", "distance", _PARSEC, prefixable=True)
_define("Picapt Pica", "distance", _PICA_POINT)
_define("pica", "distance", _INCH / 6)
_define("survey_mi", "distance", 5280 * _SURVEY_FOOT)
# Time (second)
_define("yr", "time", 365.25 * _DAY)
_define("day d", "time", _DAY)
_define("hr", "time", 3600.0)
_define("mn min", "time", 60.0)
_define("sec s", "time", 1.0, prefixable=True)  # "ms", "Ysec": Excel takes every decimal prefix on seconds
# Pressure (pascal)
_define("Pa p", "pressure", 1.0, prefixable=True)
_define("atm at", "pressure", _ATMOSPHERE, prefixable=True)
_define("mmHg", "pressure", 133.322, prefixable=True)  # Excel's value (a torr is 101325/760 Pa)
_define("Torr", "pressure", _ATMOSPHERE / 760)
_define("psi", "pressure", _POUND_FORCE / _INCH**2)
# Force (newton)
_define("N", "force", 1.0, prefixable=True)
_define("dyn dy", "force", 1e-5, prefixable=True)
_define("lbf", "force", _POUND_FORCE)
_define("pond", "force", _GRAVITY / 1000, prefixable=True)
# Energy (joule)
_define("J", "energy", 1.0, prefixable=True)
_define("e", "energy", 1e-7, prefixable=True)  # erg
_define("c", "energy", 4.184, prefixable=True)  # thermochemical calorie
_define("cal", "energy", 4.1868, prefixable=True)  # International Table calorie
_define("eV ev", "energy", 1.602176487e-19, prefixable=True)  # electron volt (CODATA 2006, as Excel)
_define("HPh hh", "energy", _HORSEPOWER * 3600)
_define("Wh wh", "energy", 3600.0, prefixable=True)
_define("flb", "energy", _FOOT * _POUND_FORCE)  # foot-pound (force)
_define("BTU btu", "energy", 1055.05585262)  # International Table BTU
# Power (watt)
_define("HP h", "power", _HORSEPOWER)
_define("PS", "power", 75 * _GRAVITY)  # Pferdestärke: 75 kilogram-force meters per second
_define("W w", "power", 1.0, prefixable=True)
# Magnetism (tesla)
_define("T", "magnetism", 1.0, prefixable=True)
_define("ga", "magnetism", 1e-4, prefixable=True)
# Temperature (units per degree Celsius, value at 0 degrees Celsius)
_TEMPERATURE = "temperature"
_define("C cel", _TEMPERATURE, 1.0)
_define("F fah", _TEMPERATURE, 1.8, offset=32.0)
_define("K kel", _TEMPERATURE, 1.0, prefixable=True, offset=273.15)
_define("Rank", _TEMPERATURE, 1.8, offset=491.67)
_define("Reau", _TEMPERATURE, 0.8)
# Volume (cubic meter)
_define("tsp", "volume", _US_FLUID_OUNCE / 6)
_define("tspm", "volume", 5e-6)
_define("tbs", "volume", _US_FLUID_OUNCE / 2)
_define("oz", "volume", _US_FLUID_OUNCE)
_define("cup", "volume", 8 * _US_FLUID_OUNCE)
_define("pt us_pt", "volume", 16 * _US_FLUID_OUNCE)
_define("uk_pt", "volume", _UK_GALLON / 8, prefixable=True)
_define("qt", "volume", 32 * _US_FLUID_OUNCE)
_define("uk_qt", "volume", _UK_GALLON / 4)
_define("gal", "volume", _US_GALLON)
_define("uk_gal", "volume", _UK_GALLON)
_define("l L lt", "volume", 1e-3, prefixable=True)
_define("ang3 ang^3", "volume", 1e-30, prefixable=True, power=3)
_define("barrel", "volume", 42 * _US_GALLON)
_define("bushel", "volume", 2150.42 * _INCH**3)
_define("ft3 ft^3", "volume", _FOOT**3)
_define("in3 in^3", "volume", _INCH**3)
_define("ly3 ly^3", "volume", _LIGHT_YEAR**3)
_define("m3 m^3", "volume", 1.0, prefixable=True, power=3)
_define("mi3 mi^3", "volume", _MILE**3)
_define("yd3 yd^3", "volume", _YARD**3)
_define("Nmi3 Nmi^3", "volume", _NAUTICAL_MILE**3)
_define("Picapt3 Picapt^3 Pica3 Pica^3", "volume", _PICA_POINT**3)
_define("GRT regton", "volume", 100 * _FOOT**3)  # gross registered ton
_define("MTON", "volume", 40 * _FOOT**3)  # measurement (freight) ton
# Area (square meter)
_define("uk_acre", "area", 4840 * _YARD**2)  # international acre
_define("us_acre", "area", 43560 * _SURVEY_FOOT**2)  # US survey acre
_define("ang2 ang^2", "area", 1e-20, prefixable=True, power=2)
_define("ar", "area", 100.0, prefixable=True)
_define("ft2 ft^2", "area", _FOOT**2)
_define("ha", "area", 1e4)
_define("in2 in^2", "area", _INCH**2)
_define("ly2 ly^2", "area", _LIGHT_YEAR**2)
_define("m2 m^2", "area", 1.0, prefixable=True, power=2)
_define("Morgen", "area", 2500.0)
_define("mi2 mi^2", "area", _MILE**2)
_define("Nmi2 Nmi^2", "area", _NAUTICAL_MILE**2)
_define("Picapt2 Picapt^2 Pica2 Pica^2", "area", _PICA_POINT**2)
_define("yd2 yd^2", "area", _YARD**2)
# Information (bit)
_define("bit", _INFORMATION, 1.0, prefixable=True)
_define("byte", _INFORMATION, 8.0, prefixable=True)
# Speed (meter per second)
_define("admkn", "speed", 6080 * _FOOT / 3600)  # admiralty knot
_define("kn", "speed", _NAUTICAL_MILE / 3600)
_define("m/h m/hr", "speed", 1 / 3600, prefixable=True)
_define("m/s m/sec", "speed", 1.0, prefixable=True)
_define("mph", "speed", _MILE / 3600, prefixable=True)


def find_units(name: str) -> list[Unit]:
    """The units a name can denote: its exact entry first, then each prefix followed by a unit that accepts
    prefixes ("pc" is a parsec, or a picocalorie)."""
    found: list[Unit] = []
    unit = UNITS.get(name)
    if unit is not None:
        found.append(unit)
    for prefixes in (_DECIMAL_PREFIXES, _BINARY_PREFIXES):
        for prefix, factor in prefixes.items():
            if not name.startswith(prefix) or len(name) == len(prefix):
                continue
            base = UNITS.get(name[len(prefix) :])
            if base is None or not base.prefixable:
                continue
            if prefixes is _BINARY_PREFIXES and base.category != _INFORMATION:
                continue
            if base.category == _TEMPERATURE:  # a millikelvin is a thousandth of a degree: more units per degree
                found.append(base._replace(size=base.size / factor, offset=base.offset / factor, prefixable=False))
            else:
                found.append(base._replace(size=base.size * factor**base.power, prefixable=False))
    return found


def find_unit(name: str) -> Unit | None:
    """The unit a name denotes on its own: an exact name first, then a prefix followed by a unit that accepts
    prefixes."""
    units = find_units(name)
    return units[0] if units else None


@register("CONVERT", 3, omitted_is_na=True)
def convert(number: Any, from_unit: Any, to_unit: Any) -> Any:
    """The number converted from one measurement unit to another of the same category ("mi" to "km", "F" to "C").

    #N/A for an unknown unit or two units of different categories.
    """
    value = scalar_of(number)
    if type(value) is bool:
        return VALUE  # an Analysis ToolPak function: CONVERT(TRUE,"C","F") is #VALUE! in Excel (measured)
    amount = to_number(value)
    if type(amount) is ExcelError:
        return amount
    names = [to_text(scalar_of(u)) for u in (from_unit, to_unit)]
    for name in names:
        if type(name) is ExcelError:
            return name
    # The first reading of both names in one category: CONVERT(1,"pc","J") reads "pc" as picocalories, as Excel
    # does (measured on a workbook Excel calculated), CONVERT(1,"pc","m") as parsecs.
    pairs = (
        (source, target)
        for source in find_units(names[0])  # type: ignore[arg-type]
        for target in find_units(names[1])  # type: ignore[arg-type]
        if source.category == target.category
    )
    match = next(pairs, None)
    if match is None:
        return NA
    source, target = match
    if source.category == _TEMPERATURE:
        if source.offset / source.size == target.offset / target.size:
            return check_number(amount * target.size / source.size)  # same zero point (K and Rank): a pure ratio
        celsius = (amount - source.offset) / source.size
        return check_number(celsius * target.size + target.offset)
    if source.size == target.size:
        return amount
    return check_number(amount * source.size / target.size)
