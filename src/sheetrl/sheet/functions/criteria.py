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

COUNTIF, SUMIF and the rest filled down a column often test one static range against a different value each
(``COUNTIF($A$1:$A$5000, A1)``): n formulas, n passes over the range. An equality criterion (a number, a text
without wildcards, a boolean, with no operator or ``=``) picks one *group* of cells: the numbers equal to it to 15
significant digits and the texts that read as such a number, or the texts equal to it ignoring case, or that
boolean. :func:`indexed_positions` answers from an index of those groups, built once per plan and range (see
:mod:`sheetrl.sheet.functions.plan_index`); every other criterion tests each cell as before.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Sequence
from functools import lru_cache, partial
from typing import Any, cast

from sheetrl.sheet import serials
from sheetrl.sheet import values as cellvalues
from sheetrl.sheet.errors import VALUE, ExcelError, error_from_code
from sheetrl.sheet.functions.plan_index import built_index, note_scan, plan_memo
from sheetrl.sheet.values import Matrix, parse_number_text, scalar_of

Predicate = Callable[[Any], bool]
SHARED_CRITERIA_INDEX = True  # equality criteria over one range share an index within a recalculation (off: tests)
# An index of a range's groups is built once the plan's criteria have tested its cells this many times over: building
# costs two to three such passes (a number's group formats it to 15 digits), so a few formulas never pay for one.
SCANS_BEFORE_CRITERIA_INDEX = 4

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
def _build(kind: type, criterion: Any, date1904: bool) -> Predicate:
    """The predicate of ``criterion`` (of type ``kind``) while the ``date1904`` date system is active (a date text
    operand reads as that system's serial: part of the cache key)."""
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
        return _build(kind, criterion, serials.active_1904())
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


def _number_key(number: float) -> tuple[int, float]:
    """The group of a number: numbers equal to 15 significant digits (``numeric_order``) share it."""
    if -1e15 < number < 1e15 and number == int(number):  # a whole number of up to 15 digits: its own 15 digits
        return (0, float(number))
    return (0, float(f"{number:.15g}"))


@lru_cache(maxsize=2048)
def _criterion_key(kind: type, criterion: Any, date1904: bool) -> tuple[int, Any] | None:
    """The group an equality criterion matches exactly (see ``_build``; ``date1904`` is the active date system),
    or None for any other criterion."""
    if criterion is None:
        return _number_key(0.0)
    if kind is float or kind is int:
        return _number_key(float(criterion))
    if kind is bool:
        return (2, criterion)
    if kind is not str:
        return None
    text = criterion[1:] if criterion.startswith("=") else criterion
    if text == "" or (text is criterion and criterion.startswith(("<", ">"))):
        return None
    operand = _parse_operand(text)
    kind = type(operand)
    if kind is float:
        return _number_key(operand)
    if kind is bool:
        return (2, operand)
    if kind is str and not has_wildcards(operand):
        return (1, operand.lower())
    return None


def criterion_group(criterion: Any) -> tuple[int, Any] | None:
    """The group of cells an equality criterion matches (the cells whose :func:`cell_groups` hold it), or None when
    the criterion is of another kind (an operator other than ``=``, wildcards, an error, empty text)."""
    criterion = scalar_of(criterion) if type(criterion) is Matrix else criterion
    try:
        return _criterion_key(cast(Hashable, type(criterion)), criterion, serials.active_1904())
    except TypeError:  # unhashable: not a cell value
        return None


def _number_group(value: Any) -> tuple[int, Any] | None:
    kind = type(value)
    if kind is float or kind is int:
        return _number_key(value)
    if kind is str:
        number = text_as_number(value)
        return None if number is None else _number_key(number)
    return None


def _text_group(value: Any) -> tuple[int, Any] | None:
    return (1, value.lower()) if type(value) is str else None


def _boolean_group(value: Any) -> tuple[int, Any] | None:
    return (2, value) if type(value) is bool else None


# by the kind of a criterion's group: the group each cell has of that kind (cell_groups, one kind at a time), so an
# index for a text criterion does not read every text as a number or a date
_GROUP_OF_KIND: tuple[Callable[[Any], tuple[int, Any] | None], ...] = (_number_group, _text_group, _boolean_group)


def cell_groups(value: Any) -> tuple[tuple[int, Any], ...]:
    """The groups of equality criteria a cell value meets: a number's; a text's (ignoring case) and, when it reads
    as a number, that number's; a boolean's. None (an empty cell) and errors meet none."""
    return tuple(group for group in (group_of(value) for group_of in _GROUP_OF_KIND) if group is not None)


def _groups(kind: int, values: Sequence[Any]) -> dict[tuple[int, Any], list[int]]:
    """Group -> the positions of ``values`` in it, for the groups of one kind (0 numbers, 1 texts, 2 booleans)."""
    group_of = _GROUP_OF_KIND[kind]
    groups: dict[tuple[int, Any], list[int]] = {}
    for position, value in enumerate(values if type(values) is list else values[:]):
        group = group_of(value)
        if group is not None:
            positions = groups.get(group)
            if positions is None:
                groups[group] = [position]
            else:
                positions.append(position)
    return groups


def indexed_positions(pairs: Sequence[Any]) -> list[int] | None:
    """For ``range1, criterion1, range2, criterion2 ...`` (COUNTIF's two arguments, or the *IFS functions'
    pairs): the row-major positions meeting every criterion, ascending, found through the plan's shared index of
    the first pair whose criterion is an equality (:func:`criterion_group`) on a static reference of more than one
    cell; the other pairs are tested at those positions only. None where no index applies, or where the arguments
    are not ranges of one shape (the caller tests every cell, or reports the error, as :func:`match_mask` does).
    The list may be the index's own: read it, do not change it.
    """
    found = _indexed(pairs)
    return None if found is None else found[3]


def _selected(values: Sequence[Any], positions: list[int]) -> tuple[list[Any], list[bool]]:
    """The values at ``positions`` (ascending) and a mask selecting every one: what the *_matching functions take,
    so they make the same additions in the same order as over the whole range and its mask."""
    return [values[position] for position in positions], [True] * len(positions)


def ifs_selection(target: Matrix, pairs: Sequence[Any]) -> tuple[Sequence[Any], list[bool]] | ExcelError:
    """The values of ``target`` and which of them every (range, criterion) pair selects, for SUMIFS, AVERAGEIFS,
    MINIFS and MAXIFS: through the plan's shared index where one applies (then only the selected values, in
    order), else every value with :func:`match_mask`'s mask. #VALUE! when the ranges' shape is not ``target``'s."""
    positions = indexed_positions(pairs)
    if positions is not None:
        if (pairs[0].rows, pairs[0].cols) != (target.rows, target.cols):
            return VALUE
        return _selected(target.values, positions)
    matched = match_mask(pairs)
    if isinstance(matched, ExcelError):
        return matched
    rows, cols, mask = matched
    if (rows, cols) != (target.rows, target.cols):
        return VALUE
    return target.values, mask


def indexed_total(
    name: str, area: Any, criterion: Any, target: Matrix, total: Callable[[Sequence[Any], Sequence[bool]], Any]
) -> Any:
    """``total(values, mask)`` (SUMIF's or AVERAGEIF's function of the values a mask selects) over the cells of
    ``target`` at the positions of ``area`` meeting an equality criterion, found as :func:`indexed_positions` finds
    them and kept for the rest of the plan per function ``name``, range, group and static ``target``: a column of
    SUMIFs over a few groups adds each group once. None where no index applies."""
    found = _indexed((area, criterion))
    if found is None:
        return None
    memo, family, group, positions = found
    if not target.is_reference or target.origin is None:
        return total(*_selected(target.values, positions))
    key = (name, family, group, target.origin, target.rows, target.cols)
    result = memo.get(key)
    if result is None:
        result = memo[key] = total(*_selected(target.values, positions))
    return result


def _indexed(
    pairs: Sequence[Any],
) -> tuple[dict[tuple[Any, ...], Any], tuple[Any, ...], tuple[int, Any], list[int]] | None:
    """(the plan's memo, the indexed range's family, the criterion's group, the positions) for
    :func:`indexed_positions`."""
    if not SHARED_CRITERIA_INDEX or not pairs or len(pairs) % 2:
        return None
    memo = plan_memo()
    if memo is None:
        return None
    first = pairs[0]
    if type(first) is not Matrix or any(
        type(area) is not Matrix or (area.rows, area.cols) != (first.rows, first.cols) for area in pairs[::2]
    ):
        return None
    size = first.rows * first.cols
    if size <= 1:
        return None
    for index in range(0, len(pairs), 2):
        area = pairs[index]
        if not area.is_reference or area.origin is None:
            continue
        group = criterion_group(pairs[index + 1])
        if group is None:
            continue
        family = ("criteria groups", group[0], area.origin, area.rows, area.cols, area.omitted_blanks)
        groups = built_index(memo, family, size, partial(_groups, group[0], area.values), SCANS_BEFORE_CRITERIA_INDEX)
        if groups is None:
            note_scan(memo, family, size)
            return None
        positions = groups.get(group, [])
        for other in range(0, len(pairs), 2):
            if other != index and positions:
                test, values = make_criterion(pairs[other + 1]), pairs[other].values
                positions = [position for position in positions if test(values[position])]
        return memo, family, group, positions
    return None
