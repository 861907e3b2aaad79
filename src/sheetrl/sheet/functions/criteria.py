"""Excel's criteria language, shared by COUNTIF(S), SUMIF(S), AVERAGEIF(S) and the wildcard lookups.

A criterion is a value (``5``, ``TRUE``, an empty cell, which means 0) or text with an optional comparison operator
(``">=10"``, ``"<>x"``, ``"="``, ``"<>"``, ``"a*"``). The operand text is read as a number, a date, a boolean or an
error literal when it looks like one, else it is text. The rules, following Excel:

- a numeric criterion tested for equality matches numbers and text that reads as that number (``"00123"`` matches
  the number 123 and the text ``"0123"``); ordering operators (``>`` ``<`` ``>=`` ``<=``) only match numbers;
  numbers are compared to 15 significant digits, as Excel does;
- a text operand matches text only, case-insensitively; with ``=`` or no operator, ``*`` ``?`` are wildcards and
  ``~`` escapes them; ordering operators compare text with text;
- booleans match booleans only (``TRUE`` does not match 1); error literals (``"#N/A"``) and error values match that
  error;
- ``""`` matches empty cells and empty text, ``"="`` only empty cells, ``"<>"`` every non-empty cell, and ``"<"``,
  ``">"``, ``"<="``, ``">="`` alone match nothing;
- ``"<>..."`` matches exactly what ``"=..."`` does not, empty cells included, with one asymmetry measured in Excel:
  ``"<>23"`` excludes only the *number* 23, so the text ``"23"`` (which ``"=23"`` matches) is counted.

:func:`make_criterion` builds the predicate once per call; predicates and wildcard patterns are cached.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence
from functools import lru_cache
from typing import Any, cast

from sheetrl.sheet import values as cellvalues
from sheetrl.sheet.errors import VALUE, ExcelError, error_from_code
from sheetrl.sheet.values import Matrix, parse_number_text, scalar_of

Predicate = Callable[[Any], bool]

_OPERATORS = ("<>", ">=", "<=", "=", ">", "<")


def has_wildcards(text: str) -> bool:
    """True when ``text`` contains a wildcard character (``*``, ``?``) or the escape ``~``."""
    return "*" in text or "?" in text or "~" in text


@lru_cache(maxsize=4096)
def wildcard_regex(pattern: str) -> re.Pattern[str]:
    """Compile an Excel wildcard pattern (``*`` any run, ``?`` one character, ``~`` escapes) to a regex.

    Use ``.fullmatch``; matching is case-insensitive. A ``~`` not followed by ``*``, ``?`` or ``~`` is literal.
    """
    parts: list[str] = []
    i = 0
    n = len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "~" and i + 1 < n and pattern[i + 1] in "*?~":
            parts.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        if ch == "*":
            parts.append(".*")
        elif ch == "?":
            parts.append(".")
        else:
            parts.append(re.escape(ch))
        i += 1
    return re.compile("".join(parts), re.IGNORECASE | re.DOTALL)


def wildcard_match(pattern: str, value: Any) -> bool:
    """True when ``value`` is text matching the Excel wildcard ``pattern`` (case-insensitive, whole text)."""
    return type(value) is str and wildcard_regex(pattern).fullmatch(value) is not None


def text_as_number(text: str) -> float | None:
    """The number a criterion operand or a text cell reads as (``"5"``, ``"50%"``, ``"2024-01-31"``), else None."""
    number = parse_number_text(text)
    if number is None and cellvalues.date_text_parser is not None:
        number = cellvalues.date_text_parser(text)
    return number


def _parse_operand(text: str) -> Any:
    """Operand text -> float, bool, ExcelError or (stripped of nothing) the text itself."""
    number = text_as_number(text)
    if number is not None:
        return number
    upper = text.upper()
    if upper == "TRUE":
        return True
    if upper == "FALSE":
        return False
    error = error_from_code(text.strip())
    if error is not None:
        return error
    return text


def numeric_order(value: float, target: float) -> int:
    """-1, 0 or 1 comparing two numbers the way criteria do: equal when they agree to 15 significant digits.

    Excel keeps 15 digits when it compares a cell with a criterion, so COUNTIF(D1:P1, ">"&C1) does not count a
    D1 that differs from C1 only beyond the 15th digit (the text ">"&C1 already holds C1 rounded to 15 digits).
    """
    if value == target:
        return 0
    if abs(value - target) <= 1e-14 * max(abs(value), abs(target)):
        rounded_value, rounded_target = float(f"{value:.15g}"), float(f"{target:.15g}")
        return (rounded_value > rounded_target) - (rounded_value < rounded_target)
    return 1 if value > target else -1


def _equals_number(target: float) -> Predicate:
    def test(cell: Any) -> bool:
        t = type(cell)
        if t is float or t is int:
            return cell == target or numeric_order(cell, target) == 0
        if t is str:
            number = text_as_number(cell)
            return number is not None and numeric_order(number, target) == 0
        return False

    return test


def _equals_text(target: str) -> Predicate:
    if has_wildcards(target):
        regex = wildcard_regex(target)
        return lambda cell: type(cell) is str and regex.fullmatch(cell) is not None
    folded = target.lower()
    return lambda cell: type(cell) is str and cell.lower() == folded


def _equals(operand: Any) -> Predicate:
    t = type(operand)
    if t is float:
        return _equals_number(operand)
    if t is bool:
        return lambda cell: type(cell) is bool and cell == operand
    if t is ExcelError:
        return lambda cell: cell is operand
    return _equals_text(operand)


_ORDER_TESTS: dict[str, Callable[[int], bool]] = {
    ">": lambda c: c > 0,
    "<": lambda c: c < 0,
    ">=": lambda c: c >= 0,
    "<=": lambda c: c <= 0,
}


def _ordered(op: str, operand: Any) -> Predicate:
    accept = _ORDER_TESTS[op]
    t = type(operand)
    if t is float:

        def test_number(cell: Any) -> bool:
            tc = type(cell)
            if tc is float or tc is int:
                return accept(numeric_order(cell, operand))
            return False

        return test_number
    if t is bool:
        return lambda cell: type(cell) is bool and accept((cell > operand) - (cell < operand))
    if t is ExcelError:
        return lambda cell: False
    folded = operand.lower()

    def test_text(cell: Any) -> bool:
        if type(cell) is not str:
            return False
        lowered = cell.lower()
        return accept((lowered > folded) - (lowered < folded))

    return test_text


def _never(cell: Any) -> bool:
    return False


@lru_cache(maxsize=2048)
def _build(kind: type, criterion: Any) -> Predicate:
    if criterion is None:
        return _equals_number(0.0)  # an empty criterion cell means 0, as in Excel
    if kind is float or kind is int:
        return _equals_number(float(criterion))
    if kind is bool:
        return _equals(criterion)
    if kind is ExcelError:
        return _equals(criterion)
    if kind is not str:
        return _never
    op = ""
    for candidate in _OPERATORS:
        if criterion.startswith(candidate):
            op = candidate
            break
    text = criterion[len(op) :]
    if text == "":
        if op == "":
            return lambda cell: cell is None or cell == ""
        if op == "=":
            return lambda cell: cell is None
        if op == "<>":
            return lambda cell: cell is not None
        return _never  # "<", ">", "<=", ">=" with nothing to compare with match nothing (measured in Excel)
    operand = _parse_operand(text)
    if op in ("", "="):
        return _equals(operand)
    if op == "<>":
        if type(operand) is float:
            return lambda cell: not ((type(cell) is float or type(cell) is int) and numeric_order(cell, operand) == 0)
        equal = _equals(operand)
        return lambda cell: not equal(cell)
    return _ordered(op, operand)


def make_criterion(criterion: Any) -> Predicate:
    """Predicate telling whether a cell value meets an Excel criterion (see the module docstring)."""
    criterion = scalar_of(criterion) if type(criterion) is Matrix else criterion
    kind = cast(Hashable, type(criterion))  # part of the cache key: 1 and True are equal keys otherwise
    try:
        return _build(kind, criterion)
    except TypeError:  # unhashable: not a cell value
        return _never


def match_mask(pairs: Sequence[Any]) -> tuple[int, int, list[bool]] | ExcelError:
    """For ``range1, criterion1, range2, criterion2 ...`` (the *IFS functions): which positions meet every criterion.

    Every range must have the same shape (else #VALUE!). Returns ``(rows, cols, mask)`` with the mask row-major.
    """
    if not pairs or len(pairs) % 2:
        return VALUE
    shape: tuple[int, int] | None = None
    mask: list[bool] | None = None
    for index in range(0, len(pairs), 2):
        area = pairs[index]
        if type(area) is not Matrix:
            return area if isinstance(area, ExcelError) else VALUE  # COUNTIFS(#REF!, 1) is #REF!
        if shape is None:
            shape = (area.rows, area.cols)
            mask = [True] * len(area.values)
        elif (area.rows, area.cols) != shape:
            return VALUE
        test = make_criterion(pairs[index + 1])
        assert mask is not None
        for position, cell in enumerate(area.values):
            if mask[position] and not test(cell):
                mask[position] = False
    assert shape is not None and mask is not None
    return shape[0], shape[1], mask
