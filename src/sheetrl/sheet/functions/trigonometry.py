"""Trigonometric and hyperbolic functions: PI, SIN ... ATAN2, SINH ... ATANH, the reciprocal ones, RADIANS, DEGREES.

Angles are in radians. Excel refuses to reduce an angle whose magnitude is 2^27 or more (SIN, COS, TAN and the
reciprocal functions COT, CSC, SEC): such arguments are #NUM!. Its documentation states the same limit for COTH,
CSCH and SECH, but Excel computes them (COTH(9999999999999) is 1 in workbooks Excel calculated). A pole
(COT(0), CSC(0)) is #DIV/0!; an argument outside a function's domain (ASIN(2), ACOSH(0.5)) is #NUM!.
"""

from __future__ import annotations

import math
from typing import Any

from sheetrl.sheet.errors import DIV0, NUM, ExcelError
from sheetrl.sheet.functions import register
from sheetrl.sheet.functions.arguments import numbers, unary

# Excel's limit on the magnitude of an angle it reduces (SIN(2^27) is #NUM!, SIN(2^27-1) is not).
MAX_ANGLE = 2.0**27


def _angle(x: float) -> float | ExcelError:
    return x if abs(x) < MAX_ANGLE else NUM


@register("PI", 0)
def pi() -> float:
    """The number pi, 3.14159265358979."""
    return math.pi


# ----------------------------------------------------------------------------------------------- circular
def _sin(x: float) -> float | ExcelError:
    """Sine of an angle in radians."""
    angle = _angle(x)
    return angle if type(angle) is ExcelError else math.sin(angle)


def _cos(x: float) -> float | ExcelError:
    """Cosine of an angle in radians."""
    angle = _angle(x)
    return angle if type(angle) is ExcelError else math.cos(angle)


def _tan(x: float) -> float | ExcelError:
    """Tangent of an angle in radians."""
    angle = _angle(x)
    return angle if type(angle) is ExcelError else math.tan(angle)


def _reciprocal(value: float) -> float | ExcelError:
    return DIV0 if value == 0 else 1.0 / value


def _cot(x: float) -> float | ExcelError:
    """Cotangent of an angle in radians; #DIV/0! at 0."""
    angle = _angle(x)
    if type(angle) is ExcelError:
        return angle
    if angle == 0:
        return DIV0
    return math.cos(angle) / math.sin(angle)


def _csc(x: float) -> float | ExcelError:
    """Cosecant (1/SIN) of an angle in radians; #DIV/0! at 0."""
    angle = _angle(x)
    return angle if type(angle) is ExcelError else _reciprocal(math.sin(angle))


def _sec(x: float) -> float | ExcelError:
    """Secant (1/COS) of an angle in radians."""
    angle = _angle(x)
    return angle if type(angle) is ExcelError else _reciprocal(math.cos(angle))


def _asin(x: float) -> float | ExcelError:
    """Arcsine in radians, -pi/2..pi/2; #NUM! outside -1..1."""
    return math.asin(x) if -1 <= x <= 1 else NUM


def _acos(x: float) -> float | ExcelError:
    """Arccosine in radians, 0..pi; #NUM! outside -1..1."""
    return math.acos(x) if -1 <= x <= 1 else NUM


def _acot(x: float) -> float:
    """Arccotangent in radians, 0..pi (ACOT(0) is pi/2)."""
    return math.pi / 2 - math.atan(x)


# -------------------------------------------------------------------------------------------- hyperbolic
def _coth(x: float) -> float | ExcelError:
    """Hyperbolic cotangent; #DIV/0! at 0."""
    return _reciprocal(math.tanh(x))


def _csch(x: float) -> float | ExcelError:
    """Hyperbolic cosecant (1/SINH); #DIV/0! at 0."""
    if x == 0:
        return DIV0
    if abs(x) > 710:
        return 0.0  # SINH overflows a double; its reciprocal is below the smallest double
    return 1.0 / math.sinh(x)


def _sech(x: float) -> float | ExcelError:
    """Hyperbolic secant (1/COSH)."""
    if abs(x) > 710:
        return 0.0
    return 1.0 / math.cosh(x)


def _acosh(x: float) -> float | ExcelError:
    """Inverse hyperbolic cosine; #NUM! below 1."""
    return math.acosh(x) if x >= 1 else NUM


def _atanh(x: float) -> float | ExcelError:
    """Inverse hyperbolic tangent; #NUM! unless -1 < x < 1."""
    return math.atanh(x) if -1 < x < 1 else NUM


def _acoth(x: float) -> float | ExcelError:
    """Inverse hyperbolic cotangent; #NUM! unless |x| > 1."""
    return 0.5 * math.log1p(2.0 / (x - 1.0)) if abs(x) > 1 else NUM


_UNARY = {
    "SIN": _sin,
    "COS": _cos,
    "TAN": _tan,
    "COT": _cot,
    "CSC": _csc,
    "SEC": _sec,
    "ASIN": _asin,
    "ACOS": _acos,
    "ATAN": math.atan,
    "ACOT": _acot,
    "SINH": math.sinh,
    "COSH": math.cosh,
    "TANH": math.tanh,
    "COTH": _coth,
    "CSCH": _csch,
    "SECH": _sech,
    "ASINH": math.asinh,
    "ACOSH": _acosh,
    "ATANH": _atanh,
    "ACOTH": _acoth,
    "RADIANS": math.radians,
    "DEGREES": math.degrees,
}
for _name, _compute in _UNARY.items():
    register(_name, 1)(unary(_compute))


@register("ATAN2", 2)
def atan2(x_num: Any, y_num: Any) -> Any:
    """Angle of the point (x, y) from the x axis, -pi..pi (note Excel's x-first order); #DIV/0! at the origin."""
    pair = numbers(x_num, y_num)
    if type(pair) is ExcelError:
        return pair
    x, y = pair
    if x == 0 and y == 0:
        return DIV0
    return math.atan2(y, x)
