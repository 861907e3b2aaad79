"""Rendering numbers with number, scientific and fraction sections, and Excel's General format.

Numbers are first taken to 15 significant digits (what Excel keeps of a double for display) and then rounded half
away from zero to the digits shown, so 1.005 with two decimals is 1.01 as in Excel, although the double is just
below 1.005. Every function here renders a magnitude (a number >= 0): the caller chooses the section and adds the
sign.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction

from sheetrl.sheet.format_code import (
    DecimalPlan,
    FractionLayout,
    IntegerPlan,
    NumberLayout,
)

_DECIMAL = Context(prec=800, rounding=ROUND_HALF_UP)
GENERAL_WIDTH = 11  # characters General uses at most, the sign not counted


def decimal_of(number: float) -> Decimal:
    """The number as Excel sees it for display: 15 significant digits."""
    return Decimal(f"{number:.15g}")


def _digits_of(number: Decimal, decimals: int) -> tuple[str, str]:
    """(integer digits, decimal digits) of a number >= 0 rounded half up; the integer digits are '' for zero."""
    rounded = number.quantize(Decimal(1).scaleb(-decimals), context=_DECIMAL)
    whole, _, fraction = format(rounded, "f").partition(".")
    return whole.lstrip("0"), fraction.ljust(decimals, "0")[:decimals] if decimals else ""


def _quick_digits(number: float, decimals: int) -> tuple[str, str] | None:
    """_digits_of for an ordinary float (no exponent in its 15-digit form), by string arithmetic; else None."""
    text = f"{number:.15g}"
    if "e" in text or "n" in text:
        return None
    whole, _, fraction = text.partition(".")
    if len(fraction) <= decimals:
        fraction = fraction.ljust(decimals, "0")
    else:
        round_up = fraction[decimals] >= "5"
        fraction = fraction[:decimals]
        if round_up:
            carried = str(int(whole + fraction) + 1).rjust(len(whole) + decimals, "0")
            cut = len(carried) - decimals
            whole, fraction = carried[:cut], carried[cut:]
    return whole.lstrip("0"), fraction


def _separator(shown: str) -> str:
    """The thousands separator after a position showing ``shown``: a comma, a space after a '?' pad, nothing
    after an empty '#' pad."""
    return "," if shown not in ("", " ") else shown


def render_integer(plan: IntegerPlan, digits: str) -> str:
    """Digits right-aligned on the plan's placeholders; extra digits go to the leftmost placeholder."""
    places = plan.places
    if places == 0:  # ".00": the integer digits still show, right before the point
        return "".join(text for _, text in plan.items) + digits
    count = len(digits)
    length = max(count, places)
    pads = plan.pads
    grouping = plan.grouping
    out: list[str] = []
    placeholder = places  # index from the right of the next placeholder, plus one
    for is_digit, text in plan.items:
        if not is_digit:
            out.append(text)
            continue
        placeholder -= 1
        top = length - 1 if placeholder == places - 1 else placeholder
        for position in range(top, placeholder - 1, -1):
            shown = digits[count - 1 - position] if position < count else pads[position]
            out.append(shown)
            if grouping and position and position % 3 == 0:
                out.append(_separator(shown))
    return "".join(out)


def render_decimals(plan: DecimalPlan, digits: str) -> str:
    """Digits after the decimal point; a '#' or '?' whose digit and every later digit are zero shows nothing or a
    space."""
    out: list[str] = []
    position = 0
    for is_digit, text in plan.items:
        if not is_digit:
            out.append(text)
            continue
        if text == "0" or digits[position:].strip("0"):
            out.append(digits[position])
        elif text == "?":
            out.append(" ")
        position += 1
    return "".join(out)


def render_number(layout: NumberLayout, magnitude: float) -> tuple[str, bool]:
    """A magnitude in a number or scientific section: (text, whether the shown digits are all zero)."""
    if layout.exponent is not None:
        return _render_scientific(layout, decimal_of(magnitude))
    places = layout.decimals.places
    digits = None
    if layout.power == 0 and magnitude < 1e15:
        digits = _quick_digits(magnitude, places)
    if digits is None:
        digits = _digits_of(decimal_of(magnitude).scaleb(layout.power), places)
    whole, fraction = digits
    text = render_integer(layout.integer, whole)
    if layout.has_point:
        text += "." + render_decimals(layout.decimals, fraction)
    return text, not whole and not fraction.strip("0")


def _render_scientific(layout: NumberLayout, value: Decimal) -> tuple[str, bool]:
    assert layout.exponent is not None
    places = layout.decimals.places
    group = max(1, layout.integer.places)  # the exponent is a multiple of the integer placeholders (##0.0E+0)
    exponent = 0
    if value:
        exponent = math.floor(value.adjusted() / group) * group
        whole, _ = _digits_of(value.scaleb(-exponent), places)
        if len(whole) > group:  # rounding carried into another digit: 9.999 -> 10.00 -> 1.00E+1
            exponent += group
    whole, fraction = _digits_of(value.scaleb(-exponent), places)
    if not value:
        whole = "0" * layout.integer.places  # Excel shows zero's mantissa with every integer placeholder
    text = render_integer(layout.integer, whole)
    if layout.has_point:
        text += "." + render_decimals(layout.decimals, fraction)
    sign = "-" if exponent < 0 else ("+" if layout.exponent_sign == "+" else "")
    exponent_text = render_integer(layout.exponent, str(abs(exponent)))  # a zero exponent shows "0"
    return f"{text}{layout.exponent_letter}{layout.exponent_prefix}{sign}{exponent_text}", not value


def render_fraction(layout: FractionLayout, magnitude: float) -> tuple[str, bool]:
    """A magnitude in a fraction section: (text, whether it shows zero)."""
    value = magnitude * 10.0**layout.power if layout.power else magnitude
    if not math.isfinite(value):
        return general(magnitude), False
    improper = layout.integer is None
    whole = 0 if improper else math.floor(value)
    rest = value - whole
    if layout.fixed_denominator is not None:
        denominator = layout.fixed_denominator
        numerator = int(decimal_of(rest * denominator).quantize(Decimal(1), context=_DECIMAL))
    else:
        tolerance = 1e-15 * max(1.0, value)
        numerator, denominator = _approximate(rest, 10 ** len(layout.denominator) - 1, tolerance)
    if not improper and numerator == denominator and numerator:
        whole, numerator = whole + 1, 0
    if improper:
        if numerator == 0:
            denominator = layout.fixed_denominator or 1  # an improper zero shows 0/1
        return layout.prefix + _fraction_part(layout, numerator, denominator) + layout.suffix, numerator == 0
    assert layout.integer is not None
    zero = whole == 0 and numerator == 0
    numerator_has_zero = _has_zero(layout.numerator)
    if numerator == 0 and not numerator_has_zero:
        # a whole number: the fraction's place is blank (spaces if any placeholder is '?')
        integer = render_integer(layout.integer, str(whole) if whole else "0")
        width = len(layout.gap) + _fraction_width(layout)
        return integer + (" " * width if layout.any_question_mark else "") + layout.suffix, zero
    if numerator == 0:
        denominator = layout.fixed_denominator or 1
    if whole == 0 and not _has_zero(layout.integer) and not (zero and "?" in _placeholders(layout.integer)):
        # a proper fraction: the integer part and the gap disappear, leaving spaces where a '?' stood
        hidden = render_integer(layout.integer, "")
        gap = " " * len(layout.gap) if "?" in _placeholders(layout.integer) + _placeholders(layout.numerator) else ""
        return hidden + gap + _fraction_part(layout, numerator, denominator) + layout.suffix, zero
    integer = render_integer(layout.integer, str(whole) if whole else "0")
    return integer + layout.gap + _fraction_part(layout, numerator, denominator) + layout.suffix, zero


def _approximate(value: float, max_denominator: int, tolerance: float) -> tuple[int, int]:
    """The fraction Excel shows for 0 <= value < 1 (improper fractions: any value >= 0): the first continued-fraction
    approximation (convergents and the fractions between them, by increasing denominator) within ``tolerance``,
    else the closest fraction whose denominator fits. So 0.3456789 with nine-digit denominators is 3418802/9890109,
    as in Excel, not the exact 3456789/10000000."""
    exact = Fraction(value)
    closest = exact.limit_denominator(max_denominator)
    whole = exact.numerator // exact.denominator
    previous_p, previous_q, p, q = 1, 0, whole, 1
    rest = exact - whole
    while True:
        if abs(exact - Fraction(p, q)) <= tolerance:
            return p, q
        if rest == 0:
            break
        inverse = 1 / rest
        term = inverse.numerator // inverse.denominator
        rest = inverse - term
        # intermediate fractions (previous + j*current), j = 1..term; j = term is the next convergent
        last_j = min(term, (max_denominator - previous_q) // q)
        if last_j < 1:
            break
        low, high = 1, last_j
        while low < high:  # the error shrinks as j grows: find the first j within tolerance
            middle = (low + high) // 2
            if abs(exact - Fraction(previous_p + middle * p, previous_q + middle * q)) <= tolerance:
                high = middle
            else:
                low = middle + 1
        candidate_p, candidate_q = previous_p + low * p, previous_q + low * q
        if abs(exact - Fraction(candidate_p, candidate_q)) <= tolerance:
            return candidate_p, candidate_q
        if last_j < term:
            break
        previous_p, previous_q, p, q = p, q, previous_p + term * p, previous_q + term * q
    return closest.numerator, closest.denominator


def _placeholders(plan: IntegerPlan) -> str:
    return "".join(text for is_digit, text in plan.items if is_digit)


def _has_zero(plan: IntegerPlan) -> bool:
    return "0" in _placeholders(plan)


def _fraction_width(layout: FractionLayout) -> int:
    denominator = len(layout.denominator) if layout.fixed_denominator is None else len(str(layout.fixed_denominator))
    return layout.numerator.width + len(layout.before_slash) + 1 + len(layout.after_slash) + denominator


def _fraction_part(layout: FractionLayout, numerator: int, denominator: int) -> str:
    """numerator/denominator: the numerator right-aligned, the denominator left-aligned on '?' placeholders
    (zero-padded on '0' placeholders)."""
    numerator_text = render_integer(layout.numerator, str(numerator) if numerator else "")
    if not numerator_text.strip():
        numerator_text = numerator_text[:-1] + "0" if numerator_text else "0"
    if layout.fixed_denominator is not None:
        denominator_text = str(layout.fixed_denominator)
    elif "0" in layout.denominator:
        denominator_text = str(denominator).rjust(len(layout.denominator), "0")
    else:
        denominator_text = str(denominator)
        unused = layout.denominator[len(denominator_text) :]
        denominator_text += "".join(" " for placeholder in unused if placeholder == "?")
    return f"{numerator_text}{layout.before_slash}/{layout.after_slash}{denominator_text}"


# ================================================================================================= General
def general(number: float) -> str:
    """A number in Excel's General format: at most 11 characters (the sign not counted), 10 significant digits.

    The decimal form is used when it fits and shows at least as many significant digits as scientific notation
    with 6 (``1.23457E+11``); so integers up to 99,999,999,999 show in full, 1E+11 and above are scientific, and
    small numbers switch to scientific when 11 characters cannot show their digits (2.5E-09, but 0.00000001).
    """
    if number == 0:
        return "0"
    if not math.isfinite(number):
        return "#NUM!"
    sign = "-" if number < 0 else ""
    shortest = repr(abs(number))
    if len(shortest) <= GENERAL_WIDTH + 2 and "e" not in shortest:
        # the shortest round-trip digits fit: they are the 15-digit value and show every significant digit
        shortest = shortest.removesuffix(".0")
        if len(shortest) <= GENERAL_WIDTH:
            return sign + shortest
    value = decimal_of(abs(number))
    exponent = value.adjusted()
    plain = _general_plain(value, exponent)
    scientific = _general_scientific(value)
    if plain is not None and _significant(plain) >= _significant(scientific.partition("E")[0]):
        return sign + plain
    return sign + scientific


def _general_plain(value: Decimal, exponent: int) -> str | None:
    """The positional form in at most 11 characters, or None when it does not fit or rounds to zero."""
    if exponent >= GENERAL_WIDTH:
        return None
    decimals = GENERAL_WIDTH - 1 - (exponent + 1 if exponent >= 0 else 1)  # room after "ddd." or "0."
    decimals = max(decimals, 0)
    whole, fraction = _digits_of(value, decimals)
    fraction = fraction.rstrip("0")
    if len(whole) > GENERAL_WIDTH:
        return None
    text = (whole or "0") + ("." + fraction if fraction else "")
    if text == "0" or len(text) > GENERAL_WIDTH:
        return None
    return text


def _general_scientific(value: Decimal) -> str:
    mantissa = value.scaleb(-value.adjusted())
    exponent = value.adjusted()
    whole, fraction = _digits_of(mantissa, 5)
    if len(whole) > 1:  # 9.999995 rounds to 10.00000
        exponent += 1
        whole, fraction = _digits_of(value.scaleb(-exponent), 5)
    fraction = fraction.rstrip("0")
    sign = "-" if exponent < 0 else "+"
    return f"{whole}{'.' + fraction if fraction else ''}E{sign}{abs(exponent):02d}"


def _significant(text: str) -> int:
    digits = text.replace(".", "").lstrip("0")
    return len(digits.rstrip("0")) if "." not in text else len(digits)
