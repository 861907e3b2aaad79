"""Rendering cell values with Excel number-format codes, as Excel displays them.

A code has up to four sections separated by ``;``: positive; negative; zero; text. With one section it applies to
every number (negatives get a leading minus); with two, the second is for negatives (no automatic minus). A section
may hold digit placeholders (``0 # ?``), a decimal point, thousands separators and scaling commas, ``%``,
scientific notation (``E+00``), fractions (``# ?/?``), date/time codes (``yyyy mmm dd hh:mm:ss AM/PM``, ``[h]``),
literal text (``"kg"``, ``\\x``, ``$ - + ( ) :`` and spaces), ``_x`` (a space as wide as x), ``*x`` (fill: ignored),
``@`` (the text value), colour tags such as ``[Red]`` (ignored), conditions such as ``[>=100]``, and currency
tags such as ``[$€-407]``.

Numbers are rounded half away from zero after taking 15 significant digits, like Excel. Date serials that are
negative or past 9999-12-31 render as ``########`` (Excel's cell display; its TEXT function gives #VALUE! there).
Parsed codes are cached, so formatting many cells with the same code parses it once.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Context, Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any

from sheetrl.sheet.errors import ExcelError
from sheetrl.sheet.values import number_to_text

INVALID_DATE_DISPLAY = "########"
_MAX_SERIAL = 2958466  # first serial after 9999-12-31
_DECIMAL = Context(prec=800, rounding=ROUND_HALF_UP)

_MONTH_NAMES = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
                "November", "December")
_DAY_NAMES = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
_CONDITION = re.compile(r"(<=|>=|<>|<|>|=)\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)")
_ELAPSED = re.compile(r"(h+|m+|s+)", re.IGNORECASE)

# Token kinds. Tokens are tuples (kind, payload).
LIT, DIGIT, POINT, COMMA, PERCENT, EXP, SLASH, GENERAL, TEXT = "lit", "digit", "point", "comma", "%", "exp", "/", \
    "general", "@"
YEAR, MONTH, DAY, HOUR, MINUTE, SECOND, AMPM, ELAPSED, SUBSECOND = "y", "m", "d", "h", "min", "s", "ampm", \
    "elapsed", "subsec"
_DATE_KINDS = {YEAR, MONTH, DAY, HOUR, MINUTE, SECOND, AMPM, ELAPSED, SUBSECOND}

Token = tuple[str, Any]


# ================================================================================================ parsing
def _split_sections(code: str) -> list[str]:
    """Split a format code at ';' outside quotes, brackets and escapes."""
    sections: list[str] = []
    start = 0
    i = 0
    n = len(code)
    while i < n:
        c = code[i]
        if c == '"':
            end = code.find('"', i + 1)
            i = n if end < 0 else end + 1
            continue
        if c in "\\_*":
            i += 2
            continue
        if c == "[":
            end = code.find("]", i + 1)
            i = n if end < 0 else end + 1
            continue
        if c == ";":
            sections.append(code[start:i])
            start = i + 1
        i += 1
    sections.append(code[start:])
    return sections


def _tokenize(section: str) -> tuple[list[Token], tuple[str, float] | None]:
    """Tokens of one section and its condition, if any."""
    tokens: list[Token] = []
    condition: tuple[str, float] | None = None
    i = 0
    n = len(section)
    while i < n:
        c = section[i]
        lower = c.lower()
        if c == '"':
            end = section.find('"', i + 1)
            end = n if end < 0 else end
            tokens.append((LIT, section[i + 1 : end]))
            i = end + 1
        elif c == "\\":
            tokens.append((LIT, section[i + 1 : i + 2]))
            i += 2
        elif c == "_":
            tokens.append((LIT, " "))
            i += 2
        elif c == "*":
            i += 2  # repeat-to-fill: no width to fill outside a cell
        elif c == "[":
            end = section.find("]", i + 1)
            end = n if end < 0 else end
            content = section[i + 1 : end]
            i = end + 1
            cond = _CONDITION.fullmatch(content.strip())
            if cond:
                condition = (cond.group(1), float(cond.group(2)))
            elif content.startswith("$"):
                symbol = content[1:].split("-", 1)[0]
                if symbol:
                    tokens.append((LIT, symbol))
            elif _ELAPSED.fullmatch(content) and len(set(content.lower())) == 1:
                tokens.append((ELAPSED, (content[0].lower(), len(content))))
            # colours ([Red], [Color10]) and unknown tags are ignored
        elif section[i : i + 7].lower() == "general":
            tokens.append((GENERAL, None))
            i += 7
        elif c in "0#?":
            tokens.append((DIGIT, c))
            i += 1
        elif c == ".":
            tokens.append((POINT, None))
            i += 1
        elif c == ",":
            tokens.append((COMMA, None))
            i += 1
        elif c == "%":
            tokens.append((PERCENT, None))
            i += 1
        elif lower == "e" and i + 1 < n and section[i + 1] in "+-":
            tokens.append((EXP, section[i + 1]))
            i += 2
        elif c == "/":
            tokens.append((SLASH, None))
            i += 1
        elif c == "@":
            tokens.append((TEXT, None))
            i += 1
        elif lower in "ymdhs":
            j = i
            while j < n and section[j].lower() == lower:
                j += 1
            kind = {"y": YEAR, "m": MONTH, "d": DAY, "h": HOUR, "s": SECOND}[lower]
            tokens.append((kind, j - i))
            i = j
        elif section[i : i + 5].upper() == "AM/PM":
            tokens.append((AMPM, ("AM", "PM") if section[i] == "A" else ("am", "pm")))
            i += 5
        elif section[i : i + 3].upper() == "A/P":
            tokens.append((AMPM, ("A", "P") if section[i] == "A" else ("a", "p")))
            i += 3
        else:
            tokens.append((LIT, c))
            i += 1
    return tokens, condition


@dataclass(frozen=True, slots=True)
class _NumberLayout:
    """What a numeric section needs at render time."""

    int_plan: _IntegerPlan  # placeholders and literals before the decimal point
    frac_plan: _DecimalsPlan  # placeholders and literals after the decimal point
    has_point: bool
    decimals: int
    thousands: bool
    power: int  # scale by 10**power (percent signs, scaling commas)
    exp_sign: str | None  # '+' or '-' for scientific notation
    exp_tokens: tuple[Token, ...]


@dataclass(frozen=True, slots=True)
class _FractionLayout:
    int_plan: _IntegerPlan | None  # None for an improper fraction
    gap: tuple[Token, ...]  # literals between the integer part and the numerator
    num_plan: _IntegerPlan
    den_tokens: tuple[Token, ...]
    fixed_denominator: int | None
    suffix: tuple[Token, ...]
    power: int


@dataclass(frozen=True, slots=True)
class _Section:
    kind: str  # "number", "fraction", "date", "general", "text"
    tokens: tuple[Token, ...]
    condition: tuple[str, float] | None
    layout: _NumberLayout | _FractionLayout | None = None
    twelve_hour: bool = False
    subsecond_digits: int = 0


def _resolve_date_tokens(tokens: list[Token]) -> list[Token]:
    """Decide minutes versus months for m/mm, and fractional seconds after s; other tokens become literals."""
    out: list[Token] = []
    for kind, payload in tokens:
        if kind == POINT:
            out.append((LIT, "."))
        elif kind == DIGIT:
            if payload == "0" and out and out[-1][0] in (LIT, SUBSECOND) and _after_seconds(out):
                if out[-1] == (LIT, "."):
                    out[-1] = (SUBSECOND, 1)
                else:
                    out[-1] = (SUBSECOND, out[-1][1] + 1)
            else:
                out.append((LIT, payload))
        elif kind in (COMMA, PERCENT, SLASH, EXP):
            out.append((LIT, {COMMA: ",", PERCENT: "%", SLASH: "/"}.get(kind) or f"E{payload}"))
        elif kind in (GENERAL, TEXT):
            continue
        else:
            out.append((kind, payload))
    date_positions = [i for i, (kind, _) in enumerate(out) if kind in _DATE_KINDS and kind != SUBSECOND]
    for index, position in enumerate(date_positions):
        kind, count = out[position]
        if kind != MONTH or count > 2:
            continue
        before = out[date_positions[index - 1]] if index > 0 else None
        after = out[date_positions[index + 1]] if index + 1 < len(date_positions) else None
        if (before is not None and (before[0] == HOUR or (before[0] == ELAPSED and before[1][0] == "h"))) or (
            after is not None and (after[0] == SECOND or (after[0] == ELAPSED and after[1][0] == "s"))
        ):
            out[position] = (MINUTE, count)
    return out


def _after_seconds(out: list[Token]) -> bool:
    """True when the tokens so far end with seconds followed by '.' (and possibly fraction digits)."""
    i = len(out) - 1
    if out[i][0] == SUBSECOND:
        return True
    if out[i] != (LIT, "."):
        return False
    i -= 1
    return i >= 0 and (out[i][0] == SECOND or (out[i][0] == ELAPSED and out[i][1][0] == "s"))


def _number_layout(tokens: list[Token]) -> _NumberLayout:
    exp_index = next((i for i, t in enumerate(tokens) if t[0] == EXP), None)
    mantissa = tokens if exp_index is None else tokens[:exp_index]
    exp_tokens = () if exp_index is None else tuple(t for t in tokens[exp_index + 1 :])
    point = next((i for i, t in enumerate(mantissa) if t[0] == POINT), None)
    int_part = mantissa if point is None else mantissa[:point]
    frac_part = [] if point is None else mantissa[point + 1 :]
    # Commas right after the last integer placeholder scale by 1000 each; commas between placeholders group.
    last_digit = max((i for i, t in enumerate(int_part) if t[0] == DIGIT), default=-1)
    scaling = 0
    thousands = False
    for i, (kind, _) in enumerate(int_part):
        if kind == COMMA:
            if i > last_digit:
                scaling += 1
            elif any(t[0] == DIGIT for t in int_part[:i]):
                thousands = True
    trailing_frac_commas = 0
    for kind, _ in reversed(frac_part):
        if kind == COMMA:
            trailing_frac_commas += 1
        elif kind == DIGIT:
            break
    percent = sum(1 for t in tokens if t[0] == PERCENT)
    return _NumberLayout(
        int_plan=_IntegerPlan(tuple(t for t in int_part if t[0] != COMMA), thousands),
        frac_plan=_DecimalsPlan(tuple(t for t in frac_part if t[0] != COMMA)),
        has_point=point is not None,
        decimals=sum(1 for t in frac_part if t[0] == DIGIT),
        thousands=thousands,
        power=2 * percent - 3 * (scaling + trailing_frac_commas),
        exp_sign=None if exp_index is None else tokens[exp_index][1],
        exp_tokens=exp_tokens,
    )


def _fraction_layout(tokens: list[Token]) -> _FractionLayout | None:
    """Layout of a fraction format ('# ?/?', '?/8'), or None if the slash is not between placeholders."""
    slash = next(i for i, t in enumerate(tokens) if t[0] == SLASH)
    num_start = slash
    while num_start > 0 and tokens[num_start - 1][0] == DIGIT:
        num_start -= 1
    if num_start == slash:
        return None
    den_end = slash + 1
    while den_end < len(tokens) and (tokens[den_end][0] == DIGIT or
                                     (tokens[den_end][0] == LIT and tokens[den_end][1].isdigit())):
        den_end += 1
    den_tokens = tokens[slash + 1 : den_end]
    if not den_tokens:
        return None
    fixed: int | None = None
    if all(t[0] == LIT for t in den_tokens):
        fixed = int("".join(t[1] for t in den_tokens))
        if fixed == 0:
            return None
    elif any(t[0] == LIT for t in den_tokens):
        return None
    head = tokens[:num_start]
    int_end = max((i for i, t in enumerate(head) if t[0] == DIGIT), default=-1)
    percent = sum(1 for t in tokens if t[0] == PERCENT)
    return _FractionLayout(
        int_plan=_IntegerPlan(tuple(t for t in head[: int_end + 1] if t[0] != COMMA), False) if int_end >= 0
        else None,
        gap=tuple(t for t in head[int_end + 1 :] if t[0] == LIT),
        num_plan=_IntegerPlan(tuple(tokens[num_start:slash]), False),
        den_tokens=tuple(den_tokens),
        fixed_denominator=fixed,
        suffix=tuple(t for t in tokens[den_end:] if t[0] in (LIT, PERCENT)),
        power=2 * percent,
    )


def _compile_section(text: str) -> _Section:
    tokens, condition = _tokenize(text)
    kinds = {kind for kind, _ in tokens}
    if kinds & _DATE_KINDS:
        resolved = _resolve_date_tokens(tokens)
        return _Section(
            kind="date",
            tokens=tuple(resolved),
            condition=condition,
            twelve_hour=AMPM in kinds,
            subsecond_digits=max((p for k, p in resolved if k == SUBSECOND), default=0),
        )
    if TEXT in kinds:
        return _Section(kind="text", tokens=tuple(tokens), condition=condition)
    if SLASH in kinds and DIGIT in kinds and POINT not in kinds and EXP not in kinds:
        fraction = _fraction_layout(tokens)
        if fraction is not None:
            return _Section(kind="fraction", tokens=tuple(tokens), condition=condition, layout=fraction)
    tokens = [(LIT, "/") if kind == SLASH else (kind, payload) for kind, payload in tokens]
    if DIGIT in kinds or POINT in kinds:
        return _Section(kind="number", tokens=tuple(tokens), condition=condition, layout=_number_layout(tokens))
    return _Section(kind="general" if GENERAL in kinds else "literal", tokens=tuple(tokens), condition=condition)


@dataclass(frozen=True, slots=True)
class _Format:
    numeric: tuple[_Section, ...]
    text: _Section | None
    conditional: bool
    single_number: _NumberLayout | None  # the one section is plain numeric: the fast path


@lru_cache(maxsize=4096)
def _compile(code: str) -> _Format:
    sections = [_compile_section(s) for s in _split_sections(code)]
    text = None
    if len(sections) >= 4:
        text = sections[3]
        sections = sections[:3]
    text_sections = [s for s in sections if s.kind == "text"]
    if text is None and text_sections:
        text = text_sections[-1]
    numeric = tuple(s for s in sections if s.kind != "text")
    conditional = any(s.condition is not None for s in numeric)
    single = numeric[0].layout if len(numeric) == 1 and numeric[0].kind == "number" and not conditional else None
    return _Format(numeric=numeric, text=text, conditional=conditional, single_number=single)  # type: ignore[arg-type]


# ================================================================================================ rendering
def _decimal_of(number: float) -> Decimal:
    """The number as Excel sees it for display: 15 significant digits."""
    return Decimal(f"{number:.15g}")


def _digits_of(number: Decimal, decimals: int) -> tuple[str, str]:
    """(integer digits, fraction digits) of a non-negative number rounded half up; integer '' when zero."""
    rounded = number.quantize(Decimal(1).scaleb(-decimals), context=_DECIMAL)
    text = format(rounded, "f")
    whole, _, fraction = text.partition(".")
    whole = whole.lstrip("0")
    return whole, fraction.ljust(decimals, "0")[:decimals] if decimals else ""


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


def _group(digits: str) -> str:
    if digits[0] != "0":
        return f"{int(digits):,}"
    head = len(digits) % 3 or 3
    return ",".join([digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)])


def _pad(placeholder: str) -> str:
    return "0" if placeholder == "0" else (" " if placeholder == "?" else "")


def _render_literal(kind: str, payload: Any) -> str:
    if kind == LIT:
        return payload
    if kind == PERCENT:
        return "%"
    return ""


class _IntegerPlan:
    """Renders integer digits right-aligned on placeholders (extra digits go to the leftmost one)."""

    __slots__ = ("tokens", "places", "simple", "before", "inside", "after", "min_digits", "min_width", "thousands")

    def __init__(self, tokens: tuple[Token, ...], thousands: bool) -> None:
        positions = [i for i, t in enumerate(tokens) if t[0] == DIGIT]
        placeholders = [tokens[i][1] for i in positions]
        self.tokens = tokens
        self.places = len(positions)
        self.thousands = thousands
        if positions:
            first, last = positions[0], positions[-1]
            self.before = "".join(_render_literal(*t) for t in tokens[:first])
            self.inside = "".join(_render_literal(*t) for t in tokens[first:last] if t[0] != DIGIT)
            self.after = "".join(_render_literal(*t) for t in tokens[last + 1 :])
        else:
            self.before, self.inside, self.after = "", "", "".join(_render_literal(*t) for t in tokens)
        self.simple = thousands or not self.inside
        zeros_from = next((k for k, p in enumerate(placeholders) if p == "0"), len(placeholders))
        shown_from = next((k for k, p in enumerate(placeholders) if p != "#"), len(placeholders))
        self.min_digits = len(placeholders) - zeros_from
        self.min_width = len(placeholders) - shown_from

    def render(self, digits: str) -> str:
        if self.simple:
            body = digits.rjust(self.min_digits, "0") if len(digits) < self.min_digits else digits
            spaces = self.min_width - len(body)
            if self.thousands and len(body) > 3:
                body = _group(body)
            if spaces > 0:
                body = " " * spaces + body
            return self.before + body + self.inside + self.after
        tokens = self.tokens
        parts: list[str] = []
        remaining = len(digits)
        leftmost = next(i for i, t in enumerate(tokens) if t[0] == DIGIT)
        for i in range(len(tokens) - 1, -1, -1):
            kind, payload = tokens[i]
            if kind != DIGIT:
                parts.append(_render_literal(kind, payload))
            elif i == leftmost:
                parts.append(digits[:remaining] if remaining else _pad(payload))
                remaining = 0
            elif remaining:
                parts.append(digits[remaining - 1])
                remaining -= 1
            else:
                parts.append(_pad(payload))
        return "".join(reversed(parts))


class _DecimalsPlan:
    """Renders decimal digits left-aligned on placeholders, dropping insignificant trailing zeros per '#'/'?'."""

    __slots__ = ("tokens", "placeholders", "simple", "all_zero")

    def __init__(self, tokens: tuple[Token, ...]) -> None:
        self.tokens = tokens
        self.placeholders = [t[1] for t in tokens if t[0] == DIGIT]
        self.simple = all(t[0] == DIGIT for t in tokens)
        self.all_zero = all(p == "0" for p in self.placeholders)

    def render(self, digits: str) -> str:
        if self.simple and self.all_zero:
            return digits
        placeholders = self.placeholders
        shown = list(digits)
        for k in range(len(placeholders) - 1, -1, -1):
            if shown[k] != "0" or placeholders[k] == "0":
                break
            shown[k] = _pad(placeholders[k])
        if self.simple:
            return "".join(shown)
        out: list[str] = []
        k = 0
        for kind, payload in self.tokens:
            if kind == DIGIT:
                out.append(shown[k])
                k += 1
            else:
                out.append(_render_literal(kind, payload))
        return "".join(out)


def _render_number(layout: _NumberLayout, number: float) -> str:
    if layout.exp_sign is None:
        scaled = number * 10.0**layout.power if layout.power else number
        digits = _quick_digits(scaled, layout.decimals) if scaled < 1e15 else None
        if digits is None:
            digits = _digits_of(_decimal_of(number).scaleb(layout.power), layout.decimals)
        whole, fraction = digits
    else:
        return _render_scientific(layout, _decimal_of(number).scaleb(layout.power))
    text = layout.int_plan.render(whole)
    if layout.has_point:
        text += "." + layout.frac_plan.render(fraction)
    return text


def _render_scientific(layout: _NumberLayout, value: Decimal) -> str:
    int_places = max(1, layout.int_plan.places)
    exponent = 0
    if value != 0:
        magnitude = value.adjusted()  # floor(log10(value))
        exponent = math.floor(magnitude / int_places) * int_places
        whole, fraction = _digits_of(value.scaleb(-exponent), layout.decimals)
        if len(whole) > int_places:  # rounding carried into another digit
            exponent += int_places
    whole, fraction = _digits_of(value.scaleb(-exponent), layout.decimals)
    text = layout.int_plan.render(whole)
    if layout.has_point:
        text += "." + layout.frac_plan.render(fraction)
    exp_digits = [t[1] for t in layout.exp_tokens if t[0] == DIGIT]
    width = sum(1 for d in exp_digits if d == "0") or (1 if exp_digits else 0)
    sign = "-" if exponent < 0 else ("+" if layout.exp_sign == "+" else "")
    tail = "".join(_render_literal(*t) for t in layout.exp_tokens if t[0] != DIGIT)
    return f"{text}E{sign}{str(abs(exponent)).rjust(width, '0')}{tail}"


def _render_fraction(layout: _FractionLayout, number: float) -> str:
    value = number * 10.0 ** layout.power
    if not math.isfinite(value):
        return number_to_text(number)
    whole = math.floor(value) if layout.int_plan is not None else 0
    rest = value - whole
    if layout.fixed_denominator is not None:
        denominator = layout.fixed_denominator
        numerator = int(_decimal_of(rest * denominator).quantize(Decimal(1), context=_DECIMAL))
    else:
        places = sum(1 for t in layout.den_tokens if t[0] == DIGIT)
        best = Fraction(rest).limit_denominator(10**places - 1)
        numerator, denominator = best.numerator, best.denominator
    if layout.int_plan is not None and numerator == denominator and numerator:
        whole, numerator = whole + 1, 0
    suffix = "".join(_render_literal(*t) for t in layout.suffix)
    width = len(layout.gap) + len(layout.num_plan.tokens) + 1 + len(layout.den_tokens)
    if layout.int_plan is not None:
        integer = layout.int_plan.render(str(whole) if whole else "")
        if numerator == 0:
            if not integer.strip():
                integer = integer[:-1] + "0" if integer else "0"
            return integer + " " * width + suffix
    else:
        integer = ""
    num_text = layout.num_plan.render(str(numerator) if numerator else "")
    if not num_text.strip() and layout.int_plan is None:
        num_text = num_text[:-1] + "0" if num_text else "0"
    den_places = [t[1] for t in layout.den_tokens if t[0] == DIGIT]
    den_text = str(denominator)
    if den_places:
        den_text = den_text.ljust(len(den_places), " ")
    gap = "".join(t[1] for t in layout.gap)
    return f"{integer}{gap}{num_text}/{den_text}{suffix}"


def _date_parts(serial: float, subsecond_digits: int) -> tuple[int, int, int, int, int, int, int, int] | None:
    """(day serial, year, month, day, hour, minute, second, sub-second units) rounded to the displayed precision;
    None when rounding carries past 9999-12-31."""
    from sheetrl.sheet.functions.date_time import serial_to_ymd

    per_second = 10**subsecond_digits
    units = int(_decimal_of(serial * 86400 * per_second).quantize(Decimal(1), context=_DECIMAL))
    day, within = divmod(units, 86400 * per_second)
    if day >= _MAX_SERIAL:
        return None
    seconds, sub = divmod(within, per_second)
    year, month, dom = serial_to_ymd(day)
    return day, year, month, dom, seconds // 3600, seconds // 60 % 60, seconds % 60, sub


def _render_date(section: _Section, serial: float) -> str:
    if not 0 <= serial < _MAX_SERIAL:
        return INVALID_DATE_DISPLAY
    digits = section.subsecond_digits
    parts = _date_parts(serial, digits)
    if parts is None:
        return INVALID_DATE_DISPLAY
    day, year, month, dom, hour, minute, second, sub = parts
    out: list[str] = []
    for kind, payload in section.tokens:
        if kind == LIT:
            out.append(payload)
        elif kind == YEAR:
            out.append(f"{year % 100:02d}" if payload <= 2 else f"{year:04d}")
        elif kind == MONTH:
            if payload == 1:
                out.append(str(month))
            elif payload == 2:
                out.append(f"{month:02d}")
            elif payload == 3:
                out.append(_MONTH_NAMES[month - 1][:3])
            elif payload == 4:
                out.append(_MONTH_NAMES[month - 1])
            else:
                out.append(_MONTH_NAMES[month - 1][0])
        elif kind == DAY:
            if payload == 1:
                out.append(str(dom))
            elif payload == 2:
                out.append(f"{dom:02d}")
            else:
                name = _DAY_NAMES[(day + 6) % 7]  # Excel: serial 1 is a Sunday
                out.append(name[:3] if payload == 3 else name)
        elif kind == HOUR:
            shown = (hour % 12 or 12) if section.twelve_hour else hour
            out.append(f"{shown:02d}" if payload >= 2 else str(shown))
        elif kind == MINUTE:
            out.append(f"{minute:02d}" if payload >= 2 else str(minute))
        elif kind == SECOND:
            out.append(f"{second:02d}" if payload >= 2 else str(second))
        elif kind == SUBSECOND:
            out.append("." + str(sub).rjust(digits, "0")[:payload])
        elif kind == AMPM:
            out.append(payload[1] if hour >= 12 else payload[0])
        elif kind == ELAPSED:
            unit, width = payload
            total_seconds = day * 86400 + hour * 3600 + minute * 60 + second
            amount = total_seconds // {"h": 3600, "m": 60, "s": 1}[unit]
            out.append(str(amount).rjust(width, "0"))
    return "".join(out)


def _render_section(section: _Section, number: float) -> str:
    """Render a non-negative number (or a signed one for date and general sections) with one section."""
    if section.kind == "number":
        return _render_number(section.layout, number)  # type: ignore[arg-type]
    if section.kind == "date":
        return _render_date(section, number)
    if section.kind == "fraction":
        return _render_fraction(section.layout, number)  # type: ignore[arg-type]
    out: list[str] = []
    for kind, payload in section.tokens:
        if kind == GENERAL:
            out.append(number_to_text(number))
        else:
            out.append(_render_literal(kind, payload) if kind != SLASH else "/")
    return "".join(out)


def _matches(condition: tuple[str, float], number: float) -> bool:
    op, threshold = condition
    if op == "<":
        return number < threshold
    if op == "<=":
        return number <= threshold
    if op == ">":
        return number > threshold
    if op == ">=":
        return number >= threshold
    if op == "=":
        return number == threshold
    return number != threshold


def _choose_section(fmt: _Format, number: float) -> tuple[_Section | None, bool]:
    """The section for a number and whether the number is shown with its minus sign."""
    sections = fmt.numeric
    if not sections:
        return None, True
    if fmt.conditional:
        for index, section in enumerate(sections):
            condition = section.condition
            if condition is None:  # the first section without a condition takes every other number
                chosen = section
            elif _matches(condition, number):
                chosen = section
            else:
                continue
            implies_negative = condition is not None and condition[0] in ("<", "<=") and condition[1] <= 0
            return chosen, not implies_negative
        return None, True
    count = len(sections)
    if count == 1 or number > 0 or (number == 0 and count == 2):
        return sections[0], True
    if number < 0:
        return sections[1], False
    return sections[2], True


def _format_number(fmt: _Format, number: float) -> str:
    section, signed = _choose_section(fmt, number)
    if section is None:
        return number_to_text(number)
    if section.kind == "date":
        return _render_date(section, number)  # negative serials render as ########
    try:
        text = _render_section(section, abs(number))
    except (ArithmeticError, ValueError):  # a fraction of a number near the float limit, and the like
        return number_to_text(number)
    if signed and number < 0:
        return "-" + text
    return text


def _format_text(fmt: _Format, text: str) -> str:
    section = fmt.text
    if section is None:
        return text
    return "".join(text if kind == TEXT else _render_literal(kind, payload) for kind, payload in section.tokens)


def format_value(value: Any, code: str) -> str:
    """Render a cell value with an Excel number-format code as Excel displays it (e.g. 1234.567 with
    '#,##0.00' -> '1,234.57'). Booleans render as TRUE/FALSE, errors as their code, None as ''."""
    t = type(value)
    if t is float or t is int:
        if code == "General" or code == "general":
            return number_to_text(float(value))
        fmt = _compile(code)
        layout = fmt.single_number
        if layout is not None:
            if value < 0:
                return "-" + _render_number(layout, -float(value))
            return _render_number(layout, float(value))
        return _format_number(fmt, float(value))
    if t is str:
        return _format_text(_compile(code), value)
    if value is None:
        return ""
    if t is bool:
        return "TRUE" if value else "FALSE"
    if t is ExcelError:
        return value.code
    if isinstance(value, (int, float)):
        return format_value(float(value), code)
    if hasattr(value, "toordinal"):
        from sheetrl.sheet.functions.date_time import to_serial

        return format_value(to_serial(value), code)
    return str(value)


def is_date_format(code: str) -> bool:
    """True if a format code shows numbers as dates or times ('yyyy-mm-dd', 'h:mm AM/PM', '[h]:mm')."""
    sections = _compile(code).numeric
    return bool(sections) and sections[0].kind == "date"
