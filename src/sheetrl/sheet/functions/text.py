"""Text functions: LEFT, MID, LEN, FIND, SEARCH, SUBSTITUTE, TEXTJOIN, TEXT, VALUE and friends.

Arguments are coerced as in Excel: numbers become text in General format (``LEFT(1234.5,3)`` is "123"), booleans
become TRUE/FALSE, an empty cell is "". Counts and positions are truncated to integers; a negative count is
#VALUE!. A result longer than Excel's 32,767-character cell limit is #VALUE!. Positions count Unicode code points
(Excel counts UTF-16 units, so a character outside the Basic Multilingual Plane, such as an emoji, counts 2 there).

The byte-counting variants LEFTB, RIGHTB, MIDB, LENB, FINDB, SEARCHB and REPLACEB count one byte per character, as
Excel does unless a double-byte language (Chinese, Japanese, Korean) is its default editing language.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

from sheetrl.sheet import values as sheet_values
from sheetrl.sheet.errors import VALUE, ExcelError
from sheetrl.sheet.functions import MAX_ARGS, register
from sheetrl.sheet.number_format import text_function
from sheetrl.sheet.values import Matrix, parse_number_text, scalar_of, to_bool, to_number, to_text

MAX_TEXT = 32_767  # characters in a cell


def _fits(text: str) -> str | ExcelError:
    """The text, or #VALUE! when it is longer than a cell can hold."""
    return text if len(text) <= MAX_TEXT else VALUE


def _count(value: Any) -> int | ExcelError:
    """A character count or position argument: a number truncated toward zero, #VALUE! when negative."""
    number = to_number(value)
    if type(number) is ExcelError:
        return number
    if number < 0:
        return VALUE
    return min(math.trunc(number), 2**31)  # clamp: positions beyond any text behave alike


# ---------------------------------------------------------------------------------------------- slicing
@register("LEFT", 1, 2, aliases=("LEFTB",))
def left(text: Any, num_chars: Any = 1.0) -> Any:
    """The first ``num_chars`` characters (default 1)."""
    source = to_text(text)
    count = _count(num_chars)
    if type(source) is ExcelError:
        return source
    if type(count) is ExcelError:
        return count
    return source[:count]


@register("RIGHT", 1, 2, aliases=("RIGHTB",))
def right(text: Any, num_chars: Any = 1.0) -> Any:
    """The last ``num_chars`` characters (default 1)."""
    source = to_text(text)
    count = _count(num_chars)
    if type(source) is ExcelError:
        return source
    if type(count) is ExcelError:
        return count
    return source[len(source) - count :] if count < len(source) else source


@register("MID", 3, aliases=("MIDB",))
def mid(text: Any, start_num: Any, num_chars: Any) -> Any:
    """``num_chars`` characters starting at 1-based position ``start_num`` ("" past the end)."""
    source = to_text(text)
    start = _count(start_num)
    count = _count(num_chars)
    for x in (source, start, count):
        if type(x) is ExcelError:
            return x
    if start < 1:
        return VALUE
    return source[start - 1 : start - 1 + count]


@register("LEN", 1, aliases=("LENB",))
def len_(text: Any) -> Any:
    """Number of characters in the text."""
    source = to_text(text)
    if type(source) is ExcelError:
        return source
    return float(len(source))


# ----------------------------------------------------------------------------------------------- case
def _upper_char(char: str) -> str:
    upper = char.upper()
    return upper if len(upper) == 1 else char  # Excel maps one character to one ("ß" stays)


def _lower_char(char: str) -> str:
    lower = char.lower()
    return lower if len(lower) == 1 else char


@register("UPPER", 1)
def upper(text: Any) -> Any:
    """The text in upper case."""
    source = to_text(text)
    if type(source) is ExcelError:
        return source
    result = source.upper()
    return result if len(result) == len(source) else "".join(map(_upper_char, source))


@register("LOWER", 1)
def lower(text: Any) -> Any:
    """The text in lower case."""
    source = to_text(text)
    if type(source) is ExcelError:
        return source
    result = source.lower()
    return result if len(result) == len(source) else "".join(map(_lower_char, source))


@register("PROPER", 1)
def proper(text: Any) -> Any:
    """Each letter that follows a non-letter in upper case, every other letter in lower case."""
    source = to_text(text)
    if type(source) is ExcelError:
        return source
    out = []
    after_letter = False
    for char in source:
        out.append(_lower_char(char) if after_letter else _upper_char(char))
        after_letter = char.isalpha()
    return "".join(out)


@register("TRIM", 1)
def trim(text: Any) -> Any:
    """The text without leading and trailing spaces, inner runs of spaces reduced to one (only char 32)."""
    source = to_text(text)
    if type(source) is ExcelError:
        return source
    return " ".join(part for part in source.split(" ") if part)


# ------------------------------------------------------------------------------------------ joining
@register("CONCATENATE", 1, MAX_ARGS)
def concatenate(*texts: Any) -> Any:
    """The arguments joined into one text."""
    parts = []
    for value in texts:
        part = to_text(value)
        if type(part) is ExcelError:
            return part
        parts.append(part)
    return _fits("".join(parts))


def _texts(value: Any) -> list[str] | ExcelError:
    """Every value of an argument (each cell of a range/array, row by row) as text; the first error if any."""
    items = value.values if type(value) is Matrix else (value,)
    out = []
    for item in items:
        part = to_text(item)
        if type(part) is ExcelError:
            return part
        out.append(part)
    return out


@register("CONCAT", 1, MAX_ARGS, refs="all")
def concat(*texts: Any) -> Any:
    """The arguments joined into one text, ranges cell by cell, row by row."""
    parts: list[str] = []
    for value in texts:
        items = _texts(value)
        if type(items) is ExcelError:
            return items
        parts.extend(items)
        if sum(map(len, parts)) > MAX_TEXT:
            return VALUE
    return _fits("".join(parts))


@register("TEXTJOIN", 3, MAX_ARGS, refs=[0, *range(2, MAX_ARGS)])
def textjoin(delimiter: Any, ignore_empty: Any, *texts: Any) -> Any:
    """The texts (ranges cell by cell) joined with the delimiter; empty ones skipped when ``ignore_empty``.

    A range or array of delimiters is used in turn, cyclically.
    """
    delimiters = _texts(delimiter)
    if type(delimiters) is ExcelError:
        return delimiters
    if not delimiters:
        delimiters = [""]
    skip_empty = to_bool(ignore_empty)
    if type(skip_empty) is ExcelError:
        return skip_empty
    parts: list[str] = []
    joined = 0  # items joined so far; the separator before item k+1 is delimiters[(k - 1) % count]
    length = 0
    for value in texts:
        items = _texts(value)
        if type(items) is ExcelError:
            return items
        for item in items:
            if skip_empty and item == "":
                continue
            if joined:
                separator = delimiters[(joined - 1) % len(delimiters)]
                parts.append(separator)
                length += len(separator)
            parts.append(item)
            joined += 1
            length += len(item)
            if length > MAX_TEXT:
                return VALUE
    return "".join(parts)


@register("REPT", 2)
def rept(text: Any, number_times: Any) -> Any:
    """The text repeated ``number_times`` times."""
    source = to_text(text)
    times = _count(number_times)
    if type(source) is ExcelError:
        return source
    if type(times) is ExcelError:
        return times
    if not source or not times:
        return ""
    if len(source) * times > MAX_TEXT:
        return VALUE
    return source * times


# ------------------------------------------------------------------------------------ find and replace
def _start_position(start_num: Any, within: str) -> int | ExcelError:
    """0-based start offset for FIND/SEARCH; #VALUE! unless 1 <= start_num <= LEN(within)."""
    start = _count(start_num)
    if type(start) is ExcelError:
        return start
    if start < 1 or start > len(within):
        return VALUE
    return start - 1


@register("FIND", 2, 3, aliases=("FINDB",))
def find(find_text: Any, within_text: Any, start_num: Any = 1.0) -> Any:
    """1-based position of ``find_text`` in ``within_text`` (case-sensitive, no wildcards); #VALUE! if absent."""
    needle = to_text(find_text)
    haystack = to_text(within_text)
    if type(needle) is ExcelError:
        return needle
    if type(haystack) is ExcelError:
        return haystack
    offset = _start_position(start_num, haystack)
    if type(offset) is ExcelError:
        return offset
    found = haystack.find(needle, offset)
    return VALUE if found < 0 else float(found + 1)


@lru_cache(maxsize=256)
def _wildcard_segments(pattern: str) -> tuple[re.Pattern[str], ...]:
    """Split a SEARCH pattern at its ``*`` wildcards into case-insensitive fixed-length regexes.

    ``?`` matches any one character; ``~`` makes the next character literal (``~*``, ``~?``, ``~~``); a final
    ``~`` escapes nothing and matches nothing (Excel's SEARCH("~","Hello") is 1).
    """
    segments: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if char == "~":
            if index + 1 < len(pattern):
                current.append(re.escape(pattern[index + 1]))
            index += 2
            continue
        if char == "*":
            segments.append("".join(current))
            current = []
        elif char == "?":
            current.append(".")
        else:
            current.append(re.escape(char))
        index += 1
    segments.append("".join(current))
    return tuple(re.compile(s, re.IGNORECASE | re.DOTALL) for s in segments)


def _wildcard_search(pattern: str, text: str, offset: int) -> int:
    """0-based start of the first match of a wildcard pattern in ``text`` at or after ``offset``; -1 if none.

    Each ``*``-separated segment has a fixed length, so taking the leftmost occurrence of each segment after the
    previous one is exact and linear in the number of segments (no regex backtracking over ``*``).
    """
    first, *rest = _wildcard_segments(pattern)
    head = first.search(text, offset)
    if head is None:
        return -1
    position = head.end()
    for segment in rest:
        match = segment.search(text, position)
        if match is None:
            return -1  # a later start could only leave less text for this segment
        position = match.end()
    return head.start()


@register("SEARCH", 2, 3, aliases=("SEARCHB",))
def search(find_text: Any, within_text: Any, start_num: Any = 1.0) -> Any:
    """1-based position of ``find_text`` in ``within_text``, ignoring case, with wildcards ``?``, ``*``, ``~``."""
    needle = to_text(find_text)
    haystack = to_text(within_text)
    if type(needle) is ExcelError:
        return needle
    if type(haystack) is ExcelError:
        return haystack
    offset = _start_position(start_num, haystack)
    if type(offset) is ExcelError:
        return offset
    found = _wildcard_search(needle, haystack, offset)
    return VALUE if found < 0 else float(found + 1)


@register("SUBSTITUTE", 3, 4)
def substitute(text: Any, old_text: Any, new_text: Any, instance_num: Any = None) -> Any:
    """The text with ``old_text`` replaced by ``new_text``: every occurrence, or only the ``instance_num``-th.

    Occurrences are counted left to right without overlapping ("aaa" holds one "aa").
    """
    source = to_text(text)
    old = to_text(old_text)
    new = to_text(new_text)
    for x in (source, old, new):
        if type(x) is ExcelError:
            return x
    if instance_num is None:
        return _fits(source.replace(old, new)) if old else source
    number = to_number(instance_num)
    if type(number) is ExcelError:
        return number
    if number < 1:
        return VALUE
    instance = math.trunc(number)
    if not old:
        return source
    position = -len(old)
    for _ in range(min(instance, len(source) + 1)):
        position = source.find(old, position + len(old))
        if position < 0:
            return source
    return _fits(source[:position] + new + source[position + len(old) :])


@register("REPLACE", 4, aliases=("REPLACEB",))
def replace(old_text: Any, start_num: Any, num_chars: Any, new_text: Any) -> Any:
    """The text with ``num_chars`` characters from 1-based ``start_num`` replaced by ``new_text``."""
    source = to_text(old_text)
    start = _count(start_num)
    count = _count(num_chars)
    new = to_text(new_text)
    for x in (source, start, count, new):
        if type(x) is ExcelError:
            return x
    if start < 1:
        return VALUE
    return _fits(source[: start - 1] + new + source[start - 1 + count :])


@register("EXACT", 2)
def exact(text1: Any, text2: Any) -> Any:
    """TRUE when the two texts are identical, case included."""
    first = to_text(text1)
    second = to_text(text2)
    if type(first) is ExcelError:
        return first
    if type(second) is ExcelError:
        return second
    return first == second


# -------------------------------------------------------------------------------------- conversion
@register("TEXT", 2)
def text_(value: Any, format_text: Any) -> Any:
    """The value formatted with an Excel number format ("0.00", "yyyy-mm-dd", "#,##0" ...); see
    :func:`sheetrl.sheet.number_format.text_function`."""
    code = to_text(format_text)
    if type(code) is ExcelError:
        return code
    result = text_function(scalar_of(value), code)
    return result if type(result) is ExcelError else _fits(result)


@register("VALUE", 1)
def value_(text: Any) -> Any:
    """The number that text represents ("1,234.5", "50%", "$1,000", "(12)", a date or time); #VALUE! if none."""
    text = scalar_of(text)
    t = type(text)
    if t is float:
        return text
    if text is None:
        return 0.0
    if t is ExcelError:
        return text
    if t is not str:
        return VALUE  # Excel: VALUE(TRUE) is #VALUE!
    number = parse_number_text(text)
    if number is None and sheet_values.date_text_parser is not None:
        number = sheet_values.date_text_parser(text)
    if number is None or math.isinf(number) or math.isnan(number):
        return VALUE
    return float(number)
