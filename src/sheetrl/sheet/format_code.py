"""Parsing Excel number-format codes: the grammar Excel accepts, checked, compiled into render-ready sections.

A code has up to four sections separated by ``;`` (positive; negative; zero; text). Each section is one of:

- a **number** section: digit placeholders ``0 # ?``, one decimal point (later points are literal), commas
  (between integer placeholders: thousands separators; right after the last placeholder of the integer or decimal
  part: scale by 1,000 each; right after a placeholder elsewhere: dropped; anywhere else: a literal comma), ``%``
  (times 100 each), scientific notation (``E+ E- e+ e-``), literal text;
- a **fraction** section: a ``/`` with digit placeholders on both sides (``# ?/?``, ``?/8``, ``# ??/??``);
- a **date/time** section: ``y m d h s`` codes, ``AM/PM`` and ``A/P``, elapsed time ``[h] [mm] [ss]``,
  fractions of a second ``.0 .00 .000`` after seconds;
- a **General** section, a **text** section (``@``), or a section of literal text only.

Literal text and the bracketed parts (colours, conditions, languages) are the lexical level,
:mod:`sheetrl.sheet.format_tokens`.

Codes Excel rejects raise :class:`FormatCodeError` (TEXT then returns #VALUE!): more than four sections; ``@``
outside the last section; ``@`` with digit placeholders, dates or General in one section; date codes with digit
placeholders (other than fractions of a second) or scientific notation; an unknown word in brackets; an
unterminated quote or bracket; a trailing ``\\``, ``_`` or ``*``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sheetrl.sheet.format_locales import (
    ENGLISH,
    SYSTEM_LONG_DATE,
    THAI_BUDDHIST_CALENDAR,
    DateNames,
    NativeNumerals,
    date_names,
    digit_table,
    native_numerals,
)
from sheetrl.sheet.format_tokens import (
    AMPM,
    COMMA,
    DATE_KINDS,
    DIGIT,
    ELAPSED,
    EXPONENT,
    GENERAL,
    HOUR,
    LITERAL,
    MINUTE,
    MONTH,
    PERCENT,
    POINT,
    SECOND,
    SLASH,
    SUBSECOND,
    TEXT,
    FormatCodeError,
    Token,
    literal_text,
    split_sections,
    tokenize,
)

# Section kinds.
NUMBER, SCIENTIFIC, FRACTION, DATE, GENERAL_SECTION, TEXT_SECTION, LITERAL_SECTION = (
    "number", "scientific", "fraction", "date", "general", "text", "literal",
)

_SYSTEM_LONG_DATE_CODE = "dddd, mmmm d, yyyy"  # the en-US long date pattern
_SYSTEM_TIME_CODE = "h:mm:ss AM/PM"  # the en-US time pattern
MAX_SUBSECOND_DIGITS = 3


# ================================================================================================= layouts
@dataclass(frozen=True, slots=True)
class IntegerPlan:
    """Digit placeholders (right-aligned) interleaved with literal text: the integer part of a number, an exponent,
    a numerator or a denominator.

    ``items`` are ``(True, placeholder)`` or ``(False, literal)`` in code order. ``pads[p]`` is what position ``p``
    (0 = units) shows when the number has no digit there: "0", " " or "". Extra digits go to the leftmost
    placeholder.
    """

    items: tuple[tuple[bool, str], ...]
    pads: tuple[str, ...]
    grouping: bool = False

    @property
    def places(self) -> int:
        return len(self.pads)

    @property
    def width(self) -> int:
        """Characters the plan takes when every placeholder shows one character."""
        return sum(1 if is_digit else len(text) for is_digit, text in self.items)


def integer_plan(tokens: list[Token], grouping: bool = False) -> IntegerPlan:
    """Plan for digit placeholders and literals; a '0' placeholder makes every position to its right show a zero."""
    items = tuple(
        (True, payload) if kind == DIGIT else (False, literal_text(kind, payload)) for kind, payload in tokens
    )
    placeholders = [payload for kind, payload in tokens if kind == DIGIT]
    first_zero = next((i for i, p in enumerate(placeholders) if p == "0"), len(placeholders))
    pads: list[str] = []
    for position, placeholder in enumerate(reversed(placeholders)):
        index = len(placeholders) - 1 - position
        if index >= first_zero:
            pads.append("0")
        else:
            pads.append(" " if placeholder == "?" else "")
    return IntegerPlan(items, tuple(pads), grouping)


@dataclass(frozen=True, slots=True)
class DecimalPlan:
    """Digit placeholders after the decimal point (left-aligned), interleaved with literal text."""

    items: tuple[tuple[bool, str], ...]
    places: int


@dataclass(frozen=True, slots=True)
class NumberLayout:
    """A number or scientific section, ready to render."""

    integer: IntegerPlan
    decimals: DecimalPlan
    has_point: bool
    power: int  # scale by 10**power: +2 per '%', -3 per scaling comma
    exponent_letter: str = ""  # "E" or "e" for scientific notation
    exponent_sign: str = ""  # "+" (always a sign) or "-" (only for negative exponents)
    exponent_prefix: str = ""  # literal text between "E+" and the exponent's digits
    exponent: IntegerPlan | None = None


@dataclass(frozen=True, slots=True)
class FractionLayout:
    """A fraction section: [prefix] [integer part, gap] numerator [literal] / [literal] denominator [suffix]."""

    prefix: str  # literal text before the number when there is no integer part
    integer: IntegerPlan | None  # None for an improper fraction ("?/?")
    gap: str  # literal text between the integer part and the numerator
    numerator: IntegerPlan
    before_slash: str
    after_slash: str
    denominator: str  # the denominator's placeholders ("??", "000"), empty for a fixed denominator
    fixed_denominator: int | None  # "?/8"
    suffix: str
    power: int
    any_question_mark: bool  # some placeholder is '?': hidden parts leave spaces


@dataclass(frozen=True, slots=True)
class DateLayout:
    """A date/time section: resolved tokens (m/mm decided between month and minute) and what rendering needs."""

    twelve_hour: bool
    subsecond_digits: int
    elapsed_units: frozenset[str]  # units written in brackets ([h], [mm], [ss])
    elapsed_only: bool  # the section shows one elapsed unit and nothing else of the date: any value is valid


@dataclass(frozen=True, slots=True)
class Section:
    """One section of a format code."""

    kind: str
    tokens: tuple[Token, ...]
    condition: tuple[str, float] | None = None
    names: DateNames = ENGLISH
    digits: dict[int, str] | None = field(default=None, hash=False)  # numeral system: ASCII digit -> native digit
    numerals: NativeNumerals | None = None  # [DBNum1]..[DBNum3] in Chinese, Japanese or Korean
    year_offset: int = 0  # added to years (Thai Buddhist calendar: 543)
    number: NumberLayout | None = None
    fraction: FractionLayout | None = None
    date: DateLayout | None = None

    @property
    def is_empty(self) -> bool:
        return not self.tokens


@dataclass(frozen=True, slots=True)
class FormatCode:
    """A parsed format code: the sections for numbers (0 to 3) and the section for text, if any."""

    numeric: tuple[Section, ...]
    text: Section | None
    conditional: bool
    plain_number: NumberLayout | None  # one unconditional number section with ASCII digits: the fast path


# =============================================================================================== sections
def _number_layout(tokens: list[Token]) -> NumberLayout:
    exponent_at = next((i for i, t in enumerate(tokens) if t[0] == EXPONENT), None)
    scientific = exponent_at is not None
    mantissa = tokens if exponent_at is None else tokens[:exponent_at]
    point_at = next((i for i, t in enumerate(mantissa) if t[0] == POINT), None)
    integer_part = mantissa if point_at is None else mantissa[:point_at]
    decimal_part = (
        [] if point_at is None else [(LITERAL, ".") if k == POINT else (k, p) for k, p in mantissa[point_at + 1 :]]
    )
    integer_tokens, grouping, integer_scaling = _resolve_commas(integer_part, integer=True)
    decimal_tokens, _, decimal_scaling = _resolve_commas(decimal_part, integer=False)
    percents = sum(1 for kind, _ in mantissa if kind == PERCENT)
    decimals = DecimalPlan(
        tuple((True, p) if k == DIGIT else (False, literal_text(k, p)) for k, p in decimal_tokens),
        sum(1 for k, _ in decimal_tokens if k == DIGIT),
    )
    if not scientific:
        return NumberLayout(
            integer=integer_plan(integer_tokens, grouping),
            decimals=decimals,
            has_point=point_at is not None,
            power=2 * percents - 3 * (integer_scaling + decimal_scaling),
        )
    assert exponent_at is not None
    letter, sign = tokens[exponent_at][1]
    rest = [(k, p) for k, p in tokens[exponent_at + 1 :] if k != COMMA]  # commas do not scale an exponent
    first_digit = next((i for i, t in enumerate(rest) if t[0] == DIGIT), len(rest))
    prefix = "".join(literal_text(k, p) for k, p in rest[:first_digit])
    exponent_tokens = [(LITERAL, literal_text(k, p)) if k != DIGIT else (k, p) for k, p in rest[first_digit:]]
    return NumberLayout(
        integer=integer_plan(integer_tokens, grouping),
        decimals=decimals,
        has_point=point_at is not None,
        power=0,  # percent signs and commas do not scale a number in scientific notation
        exponent_letter=letter,
        exponent_sign=sign,
        exponent_prefix=prefix,
        exponent=integer_plan(exponent_tokens),
    )


def _resolve_commas(tokens: list[Token], integer: bool) -> tuple[list[Token], bool, int]:
    """Classify the commas of an integer or decimal part: (tokens without separator/scaling commas, thousands
    grouping, number of scaling commas).

    A comma right after a digit placeholder (or after such a comma) is a thousands separator when a placeholder
    follows it in the integer part, scales by 1,000 when no placeholder follows in its part, and is dropped
    otherwise; any other comma is a literal comma.
    """
    out: list[Token] = []
    grouping = False
    scaling = 0
    after_placeholder = False
    for index, (kind, payload) in enumerate(tokens):
        if kind == COMMA:
            if not after_placeholder:
                out.append((LITERAL, ","))
                continue
            following = tokens[index + 1 :]
            if not any(k == DIGIT for k, _ in following):
                scaling += 1
            elif integer and following and following[0][0] in (DIGIT, COMMA):
                grouping = True
            continue
        after_placeholder = kind == DIGIT
        out.append((kind, payload))
    return out, grouping, scaling


def _fraction_layout(tokens: list[Token]) -> FractionLayout | None:
    """Layout of a fraction section, or None if its slash has no placeholders on both sides."""
    slash = next(i for i, t in enumerate(tokens) if t[0] == SLASH)
    numerator_end = slash
    while numerator_end > 0 and tokens[numerator_end - 1][0] != DIGIT:
        if tokens[numerator_end - 1][0] != LITERAL:
            return None
        numerator_end -= 1
    numerator_start = numerator_end
    while numerator_start > 0 and tokens[numerator_start - 1][0] == DIGIT:
        numerator_start -= 1
    if numerator_start == numerator_end:
        return None
    after = slash + 1
    while after < len(tokens) and tokens[after][0] == LITERAL and not tokens[after][1].isdigit():
        after += 1
    fixed: int | None = None
    denominator_end = after
    if after < len(tokens) and tokens[after][0] == LITERAL and tokens[after][1] in "123456789":
        # a fixed denominator: "?/8", "# ??/100" (its zeros are '0' placeholders, read as digits)
        while denominator_end < len(tokens) and (
            (tokens[denominator_end][0] == LITERAL and tokens[denominator_end][1].isdigit())
            or tokens[denominator_end] == (DIGIT, "0")
        ):
            denominator_end += 1
        fixed = int("".join(str(payload) for _, payload in tokens[after:denominator_end]))
    else:
        while denominator_end < len(tokens) and tokens[denominator_end][0] == DIGIT:
            denominator_end += 1
        if denominator_end == after:
            return None
    denominator = tokens[after:denominator_end]
    head = [(LITERAL, literal_text(k, p)) if k not in (DIGIT, LITERAL) else (k, p) for k, p in tokens[:numerator_start]]
    last_integer = max((i for i, t in enumerate(head) if t[0] == DIGIT), default=-1)
    placeholders = [p for k, p in tokens if k == DIGIT]

    def text_of(part: list[Token]) -> str:
        return "".join(literal_text(k, p) for k, p in part)

    return FractionLayout(
        prefix=text_of(head) if last_integer < 0 else "",
        integer=integer_plan(head[: last_integer + 1]) if last_integer >= 0 else None,
        gap=text_of(head[last_integer + 1 :]) if last_integer >= 0 else "",
        numerator=integer_plan(tokens[numerator_start:numerator_end]),
        before_slash=text_of(tokens[numerator_end:slash]),
        after_slash=text_of(tokens[slash + 1 : after]),
        denominator="" if fixed is not None else "".join(p for _, p in denominator),
        fixed_denominator=fixed,
        suffix=text_of(tokens[denominator_end:]),
        power=2 * sum(1 for kind, _ in tokens if kind == PERCENT),
        any_question_mark="?" in placeholders,
    )


def _resolve_date_tokens(tokens: list[Token]) -> list[Token]:
    """Date tokens with fractions of a second found, m/mm decided between month and minute, and number-only
    tokens turned into literals; raises FormatCodeError for digit placeholders that are not fractions of a second.
    """
    out: list[Token] = []
    for kind, payload in tokens:
        if kind == DIGIT:
            if payload == "0" and out and out[-1][0] == SUBSECOND:
                out[-1] = (SUBSECOND, out[-1][1] + 1)
            elif payload == "0" and len(out) >= 2 and out[-1] == (POINT, None) and _is_seconds(out[-2]):
                out[-1] = (SUBSECOND, 1)
            else:
                raise FormatCodeError("a date or time format cannot hold digit placeholders other than fractions of"
                                      " a second (ss.000)")
            if out[-1][1] > MAX_SUBSECOND_DIGITS:
                raise FormatCodeError("a time format shows at most three decimals of a second")
        elif kind in (EXPONENT, GENERAL):
            raise FormatCodeError("a date or time format cannot hold scientific notation or General")
        elif kind == TEXT:
            raise FormatCodeError("a date or time section cannot hold the text placeholder @")
        else:
            out.append((kind, payload))
    resolved: list[Token] = [
        (LITERAL, literal_text(k, p)) if k in (POINT, COMMA, PERCENT, SLASH) else (k, p) for k, p in out
    ]
    positions = [i for i, (kind, _) in enumerate(resolved) if kind in DATE_KINDS and kind != SUBSECOND]
    for index, position in enumerate(positions):
        kind, count = resolved[position]
        if kind != MONTH or count > 2:
            continue
        before = resolved[positions[index - 1]] if index > 0 else None
        after = resolved[positions[index + 1]] if index + 1 < len(positions) else None
        # Microsoft: m is minutes right after h/hh or right before s/ss; Excel also reads it so after seconds.
        if (before is not None and (before[0] in (HOUR, SECOND) or (before[0] == ELAPSED and before[1][0] in "hs"))) \
                or (after is not None and (after[0] == SECOND or (after[0] == ELAPSED and after[1][0] == "s"))):
            resolved[position] = (MINUTE, count)
    return resolved


def _is_seconds(token: Token) -> bool:
    return token[0] == SECOND or (token[0] == ELAPSED and token[1][0] == "s")


def _date_layout(tokens: list[Token]) -> DateLayout:
    elapsed = frozenset(payload[0] for kind, payload in tokens if kind == ELAPSED)
    date_tokens = [kind for kind, _ in tokens if kind in DATE_KINDS]
    return DateLayout(
        twelve_hour=any(kind == AMPM for kind, _ in tokens),
        subsecond_digits=max((payload for kind, payload in tokens if kind == SUBSECOND), default=0),
        elapsed_units=elapsed,
        elapsed_only=date_tokens == [ELAPSED],
    )


def compile_section(text: str) -> Section:
    """Parse and check one section; raises FormatCodeError for what Excel rejects."""
    tokens, found = tokenize(text)
    if found.system_format is not None and not any(kind in DATE_KINDS for kind, _ in tokens):
        # Excel writes the system's pattern after [$-F800]/[$-F400] when it saves; a bare code gets en-US's
        system_code = _SYSTEM_LONG_DATE_CODE if found.system_format == SYSTEM_LONG_DATE else _SYSTEM_TIME_CODE
        tokens, _ = tokenize(system_code)
    lcid = found.lcid or 0
    names = date_names(lcid) if found.lcid is not None else ENGLISH
    numerals = native_numerals(lcid, found.dbnum) if found.dbnum else None
    common: dict[str, Any] = {
        "condition": found.condition,
        "names": names,
        "digits": numerals.digit_table() if numerals is not None else digit_table(lcid >> 24 & 0xFF),
        "numerals": numerals,
        "year_offset": 543 if (lcid >> 16 & 0xFF) == THAI_BUDDHIST_CALENDAR else 0,
    }
    kinds = {kind for kind, _ in tokens}
    if TEXT in kinds:
        if kinds & (DATE_KINDS | {DIGIT, GENERAL, EXPONENT}):
            raise FormatCodeError("the text placeholder @ cannot share a section with numbers, dates or General")
        return Section(TEXT_SECTION, tuple(tokens), **common)
    if kinds & DATE_KINDS:
        resolved = _resolve_date_tokens(tokens)
        return Section(DATE, tuple(resolved), date=_date_layout(resolved), **common)
    if GENERAL in kinds:
        if kinds & {DIGIT, EXPONENT}:
            raise FormatCodeError("General cannot share a section with digit placeholders")
        literal = tuple((LITERAL, literal_text(k, p)) if k != GENERAL else (k, p) for k, p in tokens)
        return Section(GENERAL_SECTION, literal, **common)
    if DIGIT not in kinds:
        literal = tuple((LITERAL, literal_text(k, p)) for k, p in tokens)
        return Section(LITERAL_SECTION, tuple(t for t in literal if t[1]), **common)
    if SLASH in kinds and POINT not in kinds and EXPONENT not in kinds:
        fraction = _fraction_layout(tokens)
        if fraction is not None:
            return Section(FRACTION, tuple(tokens), fraction=fraction, **common)
    layout = _number_layout([(LITERAL, "/") if kind == SLASH else (kind, p) for kind, p in tokens])
    return Section(SCIENTIFIC if layout.exponent is not None else NUMBER, tuple(tokens), number=layout, **common)


@lru_cache(maxsize=4096)
def parse_format(code: str) -> FormatCode:
    """Parse a whole format code (cached); raises FormatCodeError for a code Excel rejects."""
    parts = split_sections(code)
    sections = [compile_section(part) for part in parts]
    for index, section in enumerate(sections[:-1]):
        if section.kind == TEXT_SECTION:
            raise FormatCodeError(f"the text placeholder @ can only be in the last section, not in section {index + 1}")
    text: Section | None = None
    if len(sections) == 4:
        text = sections[3]
        if text.kind == GENERAL_SECTION:  # General in the text section shows the text, like @
            text = Section(TEXT_SECTION, tuple((TEXT, None) if k == GENERAL else (k, p) for k, p in text.tokens))
        if text.kind not in (TEXT_SECTION, LITERAL_SECTION):
            raise FormatCodeError("the fourth section is for text: it cannot hold numbers or dates")
        sections = sections[:3]
    elif sections[-1].kind == TEXT_SECTION:
        text = sections.pop()
    numeric = tuple(sections)
    conditional = any(s.condition is not None for s in numeric)
    plain: NumberLayout | None = None
    if len(numeric) == 1 and numeric[0].kind == NUMBER and not conditional and numeric[0].digits is None:
        plain = numeric[0].number
    return FormatCode(numeric=numeric, text=text, conditional=conditional, plain_number=plain)
