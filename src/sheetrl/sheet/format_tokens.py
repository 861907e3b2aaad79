"""The lexical level of Excel number-format codes: splitting a code into sections and a section into tokens.

A token is ``(kind, payload)``. Literal text is quoted (``"kg"``), escaped (``\\x``), a padding space (``_x``), a
fill (``*x``, which has no width to fill in TEXT and is dropped) or any character that is no code (``$ - + ( ) :
/ space`` and letters such as ``x``). Brackets hold a colour (``[Red]``, ``[Color10]``, ignored), a condition
(``[>=100]``), an elapsed-time code (``[h]``), a currency symbol and language (``[$€-407]``, see
:mod:`sheetrl.sheet.format_locales`) or ``[DBNum1]``..``[DBNum4]``; anything else in brackets is an error. What the
tokens mean together is :mod:`sheetrl.sheet.format_code`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sheetrl.sheet.format_locales import SYSTEM_LONG_DATE, SYSTEM_TIME

# Token kinds; a token is (kind, payload).
LITERAL, DIGIT, POINT, COMMA, PERCENT, EXPONENT, SLASH, GENERAL, TEXT = (
    "literal", "digit", "point", "comma", "percent", "exponent", "slash", "general", "text",
)
YEAR, MONTH, DAY, HOUR, MINUTE, SECOND, AMPM, ELAPSED, SUBSECOND = (
    "year", "month", "day", "hour", "minute", "second", "ampm", "elapsed", "subsecond",
)
DATE_KINDS = frozenset({YEAR, MONTH, DAY, HOUR, MINUTE, SECOND, AMPM, ELAPSED, SUBSECOND})

Token = tuple[str, Any]

_CONDITION = re.compile(r"(<=|>=|<>|<|>|=)\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)")
_COLOURS = frozenset({"black", "blue", "cyan", "green", "magenta", "red", "white", "yellow"})
_COLOUR_INDEX = re.compile(r"color\s*(\d{1,2})", re.IGNORECASE)
_ELAPSED = re.compile(r"h+|m+|s+", re.IGNORECASE)
_LOCALE = re.compile(r"\$(.*?)(?:-([0-9A-Fa-f]{1,8}|x-sysdate|x-systime))?", re.DOTALL)
_DBNUM = re.compile(r"dbnum([1-4])", re.IGNORECASE)


class FormatCodeError(ValueError):
    """A number-format code that Excel does not accept (its TEXT function gives #VALUE!)."""


def split_sections(code: str) -> list[str]:
    """Split a format code at ';' outside quotes, brackets and escapes; raises FormatCodeError when a quote or a
    bracket is not closed."""
    sections: list[str] = []
    start = 0
    i = 0
    n = len(code)
    while i < n:
        c = code[i]
        if c == '"':
            end = code.find('"', i + 1)
            if end < 0:
                raise FormatCodeError(f"the quote at position {i + 1} of the format {code!r} is not closed")
            i = end + 1
            continue
        if c in "\\_*":
            if i + 1 >= n:
                raise FormatCodeError(f"the format {code!r} ends with {c!r}, which needs a character after it")
            i += 2
            continue
        if c == "[":
            end = code.find("]", i + 1)
            if end < 0:
                raise FormatCodeError(f"the bracket at position {i + 1} of the format {code!r} is not closed")
            i = end + 1
            continue
        if c == ";":
            sections.append(code[start:i])
            start = i + 1
        i += 1
    sections.append(code[start:])
    if len(sections) > 4:
        raise FormatCodeError(f"the format {code!r} has {len(sections)} sections; at most 4 are allowed")
    return sections


@dataclass(slots=True)
class Brackets:
    """What the bracketed parts of one section said."""

    condition: tuple[str, float] | None = None
    lcid: int | None = None
    system_format: int | None = None  # SYSTEM_LONG_DATE or SYSTEM_TIME
    dbnum: int = 0


def _bracket(content: str, tokens: list[Token], found: Brackets) -> None:
    """Interpret one ``[...]``: conditions, colours, locales and elapsed codes; anything else is an error."""
    stripped = content.strip()
    condition = _CONDITION.fullmatch(stripped)
    if condition:
        found.condition = (condition.group(1), float(condition.group(2)))
        return
    lower = stripped.lower()
    if lower in _COLOURS:
        return
    index = _COLOUR_INDEX.fullmatch(stripped)
    if index and 1 <= int(index.group(1)) <= 56:
        return
    if content.startswith("$"):
        locale = _LOCALE.fullmatch(content)
        assert locale is not None  # the pattern matches any text after '$'
        symbol, code = locale.group(1), locale.group(2)
        if symbol:
            tokens.append((LITERAL, symbol))
        if code is None:
            return
        if code.lower() == "x-sysdate":
            found.system_format = SYSTEM_LONG_DATE
            return
        if code.lower() == "x-systime":
            found.system_format = SYSTEM_TIME
            return
        value = int(code, 16)
        if value & 0xFFFF in (SYSTEM_LONG_DATE, SYSTEM_TIME):
            found.system_format = value & 0xFFFF
        found.lcid = value
        return
    if _ELAPSED.fullmatch(content) and len(set(lower)) == 1:
        tokens.append((ELAPSED, (lower[0], len(content))))
        return
    dbnum = _DBNUM.fullmatch(stripped)
    if dbnum:
        found.dbnum = int(dbnum.group(1))
        return
    raise FormatCodeError(f"[{content}] is not a colour, condition, locale or elapsed-time code")


def tokenize(section: str) -> tuple[list[Token], Brackets]:
    """Tokens of one section and what its brackets said."""
    tokens: list[Token] = []
    found = Brackets()
    i = 0
    n = len(section)
    while i < n:
        c = section[i]
        lower = c.lower()
        if c == '"':
            end = section.find('"', i + 1)
            tokens.append((LITERAL, section[i + 1 : end]))
            i = end + 1
        elif c == "\\":
            tokens.append((LITERAL, section[i + 1]))
            i += 2
        elif c == "_":
            tokens.append((LITERAL, " "))
            i += 2
        elif c == "*":
            i += 2  # fill to the cell's width: TEXT has no width to fill
        elif c == "[":
            end = section.find("]", i + 1)
            _bracket(section[i + 1 : end], tokens, found)
            i = end + 1
        elif lower == "g" and section[i : i + 7].lower() == "general":
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
        elif lower == "e" and i + 1 < n and section[i + 1] in "+-" and any(kind == DIGIT for kind, _ in tokens):
            tokens.append((EXPONENT, (c, section[i + 1])))
            i += 2
        elif lower == "e" and not any(kind == DIGIT for kind, _ in tokens):
            # the year of the era, in the Gregorian calendar the year ("ee-mm-dd" is 1977-07-07); after a digit
            # placeholder an "e" stays a literal letter, as before
            j = i
            while j < n and section[j].lower() == "e":
                j += 1
            tokens.append((YEAR, 4))
            i = j
        elif c == "/":
            tokens.append((SLASH, None))
            i += 1
        elif c == "@":
            tokens.append((TEXT, None))
            i += 1
        elif lower == "a" and section[i : i + 5].upper() == "AM/PM":
            tokens.append((AMPM, None))  # the language's designators, whatever the case written
            i += 5
        elif lower == "a" and section[i : i + 3].upper() == "A/P":
            tokens.append((AMPM, (section[i], section[i + 2])))  # A/P and a/p keep the case written
            i += 3
        elif lower in "ymdhs":
            j = i
            while j < n and section[j].lower() == lower:
                j += 1
            tokens.append(({"y": YEAR, "m": MONTH, "d": DAY, "h": HOUR, "s": SECOND}[lower], j - i))
            i = j
        else:
            tokens.append((LITERAL, c))
            i += 1
    return tokens, found


def literal_text(kind: str, payload: Any) -> str:
    """The text a non-placeholder token shows in a number section."""
    if kind == LITERAL:
        return str(payload)
    if kind == PERCENT:
        return "%"
    if kind == POINT:
        return "."
    if kind == COMMA:
        return ","
    if kind == SLASH:
        return "/"
    if kind == EXPONENT:
        return f"{payload[0]}{payload[1]}"
    return ""
