"""Complex numbers: COMPLEX, IMREAL, IMAGINARY, IMABS, IMARGUMENT, IMCONJUGATE and the IM* arithmetic and functions.

A complex number is text such as "3+4i", "-2.5j", "i", "1E-3-i" or a plain real number ("5", or the number 5). The
suffix is "i" or "j" in lower case, and a result keeps the suffix of its arguments (mixing them is #NUM!, or #VALUE!
in IMSUM and IMPRODUCT). Text that is not a complex number is #NUM!, a logical #VALUE!. Results are written as Excel
writes them: each part with up to 15 significant digits (in E notation when the positional form would be wider than
21 characters), a unit imaginary part as a bare "i", zero parts left out ("0" when both are zero).

IMPOWER and IMSQRT work in polar form, as Excel does, so IMPOWER("2+3i", 3) is "-46+9.00000000000001i" rather than
the exact "-46+9i", and IMSQRT("-4") is "1.22464679914735E-16+2i".
"""

from __future__ import annotations

import cmath
import math
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from sheetrl.sheet.errors import DIV0, NUM, VALUE, ExcelError
from sheetrl.sheet.functions import MAX_ARGS, register
from sheetrl.sheet.functions.arguments import toolpak_numbers
from sheetrl.sheet.values import Matrix, scalar_of, to_number, to_text

_NUMBER = r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?"
# A real part alone, an imaginary part alone ("4i", "-i"), or both (the imaginary part then needs its sign).
_COMPLEX_TEXT = re.compile(
    rf"(?P<real_only>[+-]?{_NUMBER})"
    rf"|(?P<imag_only>[+-]?(?:{_NUMBER})?)(?P<suffix_only>[ij])"
    rf"|(?P<real>[+-]?{_NUMBER})(?P<imag>[+-](?:{_NUMBER})?)(?P<suffix>[ij])"
)


def _coefficient(text: str) -> float:
    """An imaginary coefficient: "" or "+" is 1, "-" is -1."""
    if text in ("", "+"):
        return 1.0
    if text == "-":
        return -1.0
    return float(text)


class ComplexValue:
    """A complex number with the suffix it was written with ('' when it had no imaginary part)."""

    __slots__ = ("suffix", "value")

    def __init__(self, value: complex, suffix: str = "") -> None:
        self.value = value
        self.suffix = suffix


def parse_complex(arg: Any) -> ComplexValue | ExcelError:
    """A complex-number argument: text "a+bi", a number, or an empty cell (0)."""
    value = scalar_of(arg)
    t = type(value)
    if t is ExcelError:
        return value
    if t is bool:
        return VALUE
    if value is None:
        return ComplexValue(0j)
    if t is float or t is int:
        return ComplexValue(complex(value, 0.0))
    text = to_text(value)
    if type(text) is ExcelError:
        return text
    if text == "":
        return ComplexValue(0j)
    match = _COMPLEX_TEXT.fullmatch(text)
    if match is None:
        return NUM
    if match.group("real_only") is not None:
        value, suffix = complex(float(match.group("real_only")), 0.0), ""
    elif match.group("suffix_only") is not None:
        value, suffix = complex(0.0, _coefficient(match.group("imag_only"))), match.group("suffix_only")
    else:
        value = complex(float(match.group("real")), _coefficient(match.group("imag")))
        suffix = match.group("suffix")
    if not (math.isfinite(value.real) and math.isfinite(value.imag)):
        return NUM
    return ComplexValue(value, suffix)


def _suffix_of(values: list[ComplexValue], mixed: ExcelError = NUM) -> str | ExcelError:
    """The suffix of a result; ``mixed`` when the arguments mix "i" and "j" (Excel: IMSUB and IMDIV say #NUM!, IMSUM
    and IMPRODUCT #VALUE!)."""
    suffixes = {v.suffix for v in values if v.suffix}
    if len(suffixes) > 1:
        return mixed
    return suffixes.pop() if suffixes else "i"


# Excel writes each part of a complex number with 15 significant digits, positionally when that takes at most 21
# characters ("0.000000000000000001" for 1E-18, "0.0000692442674613868") and with an exponent otherwise ("1E-20",
# "1.28233995888454E-06"), as measured in workbooks Excel calculated.
_POSITIONAL_WIDTH = 21


def _part_text(number: float) -> str:
    rounded = float(f"{number:.15g}")
    if rounded == 0:
        return "0"
    positional = format(Decimal(repr(abs(rounded))).normalize(), "f")
    if len(positional) <= _POSITIONAL_WIDTH:
        return ("-" if rounded < 0 else "") + positional
    mantissa, _, exponent = f"{rounded:.15g}".partition("e")
    return f"{mantissa}E{int(exponent):+03d}"


def format_complex(value: complex, suffix: str = "i") -> str | ExcelError:
    """Excel's text for a complex number: "3+4i", "-i", "2.5", "0" (parts with up to 15 significant digits)."""
    real, imag = value.real + 0.0, value.imag + 0.0
    if not (math.isfinite(real) and math.isfinite(imag)):
        return NUM
    real_text, imag_number = _part_text(real), float(_part_text(imag))
    if imag_number == 0:
        return real_text
    if imag_number == 1:
        imag_text = suffix
    elif imag_number == -1:
        imag_text = "-" + suffix
    else:
        imag_text = _part_text(imag) + suffix
    if real_text == "0":
        return imag_text
    sign = "" if imag_text.startswith("-") else "+"
    return real_text + sign + imag_text


def _complex_args(args: tuple[Any, ...], expand_ranges: bool = False) -> list[ComplexValue] | ExcelError:
    values = []
    for arg in args:
        items = arg.values if expand_ranges and type(arg) is Matrix else (arg,)
        for item in items:
            parsed = parse_complex(item)
            if type(parsed) is ExcelError:
                return parsed
            values.append(parsed)
    return values


def _result(value: complex, values: list[ComplexValue], mixed: ExcelError = NUM) -> Any:
    suffix = _suffix_of(values, mixed)
    if type(suffix) is ExcelError:
        return suffix
    return format_complex(value, suffix)


@register("COMPLEX", 2, 3, omitted_is_na=True)
def complex_(real_num: Any, i_num: Any, suffix: Any = None) -> Any:
    """The complex number real_num + i_num*i as text; ``suffix`` "i" (default) or "j"."""
    parts = toolpak_numbers(real_num, i_num)
    if type(parts) is ExcelError:
        return parts
    letter = "i" if suffix is None else to_text(scalar_of(suffix))
    if type(letter) is ExcelError:
        return letter
    if letter == "":
        letter = "i"
    if letter not in ("i", "j"):
        return VALUE
    return format_complex(complex(parts[0], parts[1]), letter)


def _unary_number(compute: Callable[[complex], float]) -> Callable[[Any], Any]:
    def apply(inumber: Any) -> Any:
        parsed = parse_complex(inumber)
        if type(parsed) is ExcelError:
            return parsed
        return compute(parsed.value) + 0.0

    apply.__doc__ = compute.__doc__
    return apply


def _real(z: complex) -> float:
    """The real coefficient of a complex number."""
    return z.real


def _imaginary(z: complex) -> float:
    """The imaginary coefficient of a complex number."""
    return z.imag


def _absolute(z: complex) -> float:
    """The modulus |z| of a complex number."""
    return abs(z)


register("IMREAL", 1, omitted_is_na=True)(_unary_number(_real))
register("IMAGINARY", 1, omitted_is_na=True)(_unary_number(_imaginary))
register("IMABS", 1, omitted_is_na=True)(_unary_number(_absolute))


@register("IMARGUMENT", 1, omitted_is_na=True)
def imargument(inumber: Any) -> Any:
    """The angle theta of a complex number in radians, -pi < theta <= pi; #DIV/0! for 0."""
    parsed = parse_complex(inumber)
    if type(parsed) is ExcelError:
        return parsed
    if parsed.value == 0:
        return DIV0
    return math.atan2(parsed.value.imag, parsed.value.real)


# ------------------------------------------------------------------------------------------- arithmetic
def _overflow_is_num(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function`` with arithmetic overflow (a part beyond the largest double) reported as #NUM!."""

    def guarded(*args: Any) -> Any:
        try:
            return function(*args)
        except (OverflowError, ValueError, ZeroDivisionError):
            return NUM

    guarded.__doc__ = function.__doc__
    guarded.__name__ = function.__name__
    return guarded


@register("IMSUM", 1, MAX_ARGS, refs="all", omitted_is_na=True)
@_overflow_is_num
def imsum(*inumbers: Any) -> Any:
    """The sum of complex numbers (ranges are read cell by cell)."""
    values = _complex_args(inumbers, expand_ranges=True)
    if type(values) is ExcelError:
        return values
    return _result(sum((v.value for v in values), 0j), values, mixed=VALUE)


@register("IMPRODUCT", 1, MAX_ARGS, refs="all", omitted_is_na=True)
@_overflow_is_num
def improduct(*inumbers: Any) -> Any:
    """The product of complex numbers (ranges are read cell by cell)."""
    values = _complex_args(inumbers, expand_ranges=True)
    if type(values) is ExcelError:
        return values
    product = 1 + 0j
    for v in values:
        product *= v.value
    return _result(product, values, mixed=VALUE)


@register("IMSUB", 2, omitted_is_na=True)
@_overflow_is_num
def imsub(inumber1: Any, inumber2: Any) -> Any:
    """inumber1 - inumber2."""
    values = _complex_args((inumber1, inumber2))
    if type(values) is ExcelError:
        return values
    return _result(values[0].value - values[1].value, values)


@register("IMDIV", 2, omitted_is_na=True)
@_overflow_is_num
def imdiv(inumber1: Any, inumber2: Any) -> Any:
    """inumber1 / inumber2; #NUM! for a zero divisor."""
    values = _complex_args((inumber1, inumber2))
    if type(values) is ExcelError:
        return values
    numerator, denominator = values[0].value, values[1].value
    if denominator == 0:
        return NUM
    scale = denominator.real**2 + denominator.imag**2
    quotient = numerator * denominator.conjugate()
    return _result(complex(quotient.real / scale, quotient.imag / scale), values)


@register("IMCONJUGATE", 1, omitted_is_na=True)
def imconjugate(inumber: Any) -> Any:
    """The complex conjugate a - bi of a + bi."""
    values = _complex_args((inumber,))
    if type(values) is ExcelError:
        return values
    return _result(values[0].value.conjugate(), values)


@register("IMPOWER", 2, omitted_is_na=True)
@_overflow_is_num
def impower(inumber: Any, number: Any) -> Any:
    """inumber raised to a real power, in polar form r^n (cos n*theta + i sin n*theta); #NUM! for 0 to a power
    that is not positive."""
    values = _complex_args((inumber,))
    if type(values) is ExcelError:
        return values
    value = scalar_of(number)
    if type(value) is bool:
        return VALUE
    exponent = to_number(value)
    if type(exponent) is ExcelError:
        return exponent
    z = values[0].value
    if z == 0:
        return NUM if exponent <= 0 else _result(0j, values)
    try:
        modulus = abs(z) ** exponent
    except OverflowError:
        return NUM
    angle = math.atan2(z.imag, z.real) * exponent
    return _result(complex(modulus * math.cos(angle), modulus * math.sin(angle)), values)


@register("IMSQRT", 1, omitted_is_na=True)
@_overflow_is_num
def imsqrt(inumber: Any) -> Any:
    """The principal square root, in polar form sqrt(r) (cos theta/2 + i sin theta/2)."""
    values = _complex_args((inumber,))
    if type(values) is ExcelError:
        return values
    z = values[0].value
    modulus = math.sqrt(abs(z))
    angle = math.atan2(z.imag, z.real) / 2
    return _result(complex(modulus * math.cos(angle), modulus * math.sin(angle)), values)


# ------------------------------------------------------------------------------- exponentials and trigonometry
def _sin(z: complex) -> complex:
    return complex(math.sin(z.real) * math.cosh(z.imag), math.cos(z.real) * math.sinh(z.imag))


def _cos(z: complex) -> complex:
    return complex(math.cos(z.real) * math.cosh(z.imag), -math.sin(z.real) * math.sinh(z.imag))


def _sinh(z: complex) -> complex:
    return complex(math.sinh(z.real) * math.cos(z.imag), math.cosh(z.real) * math.sin(z.imag))


def _cosh(z: complex) -> complex:
    return complex(math.cosh(z.real) * math.cos(z.imag), math.sinh(z.real) * math.sin(z.imag))


def _tan(z: complex) -> complex:
    # (sin 2a + i sinh 2b) / (cos 2a + cosh 2b): one division, as Excel computes it (sin/cos differs in the last
    # digits, which show in the 15-digit text)
    denominator = math.cos(2 * z.real) + math.cosh(2 * z.imag)
    if denominator == 0:
        raise ZeroDivisionError
    return complex(math.sin(2 * z.real) / denominator, math.sinh(2 * z.imag) / denominator)


def _sin_cosh_denominator(z: complex) -> float:
    """cosh 2b - cos 2a; near 0, where the two cancel, as 2 (sinh^2 b + sin^2 a) (IMCOT("1E-16") is 1E+16)."""
    difference = math.cosh(2 * z.imag) - math.cos(2 * z.real)
    if difference < 0.5:
        return 2 * (math.sinh(z.imag) ** 2 + math.sin(z.real) ** 2)
    return difference


def _cot(z: complex) -> complex:
    # (sin 2a - i sinh 2b) / (cosh 2b - cos 2a)
    denominator = _sin_cosh_denominator(z)
    if denominator == 0:
        raise ZeroDivisionError
    return complex(math.sin(2 * z.real) / denominator, -math.sinh(2 * z.imag) / denominator)


def _sec(z: complex) -> complex:
    # 2 (cos a cosh b + i sin a sinh b) / (cos 2a + cosh 2b), the same one-division form as IMTAN
    denominator = math.cos(2 * z.real) + math.cosh(2 * z.imag)
    if denominator == 0:
        raise ZeroDivisionError
    return complex(
        2 * math.cos(z.real) * math.cosh(z.imag) / denominator,
        2 * math.sin(z.real) * math.sinh(z.imag) / denominator,
    )


def _csc(z: complex) -> complex:
    # 2 (sin a cosh b - i cos a sinh b) / (cosh 2b - cos 2a)
    denominator = _sin_cosh_denominator(z)
    if denominator == 0:
        raise ZeroDivisionError
    return complex(
        2 * math.sin(z.real) * math.cosh(z.imag) / denominator,
        -2 * math.cos(z.real) * math.sinh(z.imag) / denominator,
    )


def _divide(numerator: complex, denominator: complex) -> complex:
    if denominator == 0:
        raise ZeroDivisionError
    return numerator / denominator


def _log(base: float) -> Callable[[complex], complex]:
    def log(z: complex) -> complex:
        if z == 0:
            raise ValueError("the logarithm of 0")
        value = complex(math.log(abs(z)), math.atan2(z.imag, z.real))
        return value if base == math.e else complex(value.real / math.log(base), value.imag / math.log(base))

    return log


_FUNCTIONS: dict[str, tuple[Callable[[complex], complex], str]] = {
    "IMEXP": (cmath.exp, "e raised to a complex power."),
    "IMLN": (_log(math.e), "The natural logarithm of a complex number; #NUM! for 0."),
    "IMLOG10": (_log(10.0), "The base-10 logarithm of a complex number; #NUM! for 0."),
    "IMLOG2": (_log(2.0), "The base-2 logarithm of a complex number; #NUM! for 0."),
    "IMSIN": (_sin, "The sine of a complex number."),
    "IMCOS": (_cos, "The cosine of a complex number."),
    "IMTAN": (_tan, "The tangent of a complex number."),
    "IMCOT": (_cot, "The cotangent of a complex number; #NUM! at 0."),
    "IMSEC": (_sec, "The secant 1/cos of a complex number."),
    "IMCSC": (_csc, "The cosecant 1/sin of a complex number; #NUM! at 0."),
    "IMSINH": (_sinh, "The hyperbolic sine of a complex number."),
    "IMCOSH": (_cosh, "The hyperbolic cosine of a complex number."),
    "IMSECH": (lambda z: _divide(1, _cosh(z)), "The hyperbolic secant 1/cosh of a complex number."),
    "IMCSCH": (lambda z: _divide(1, _sinh(z)), "The hyperbolic cosecant 1/sinh of a complex number; #NUM! at 0."),
}


def _complex_function(compute: Callable[[complex], complex], doc: str) -> Callable[[Any], Any]:
    def apply(inumber: Any) -> Any:
        values = _complex_args((inumber,))
        if type(values) is ExcelError:
            return values
        try:
            result = compute(values[0].value)
        except (OverflowError, ValueError, ZeroDivisionError):
            return NUM
        return _result(result, values)

    apply.__doc__ = doc
    return apply


for _name, (_compute, _doc) in _FUNCTIONS.items():
    register(_name, 1, omitted_is_na=True)(_complex_function(_compute, _doc))
