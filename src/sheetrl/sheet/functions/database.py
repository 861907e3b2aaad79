"""Database functions: DSUM, DAVERAGE, DCOUNT, DCOUNTA, DGET, DMAX, DMIN, DPRODUCT, DSTDEV, DSTDEVP, DVAR, DVARP.

``database`` is a range whose first row holds the field labels and whose other rows are the records (a database
without records is #VALUE!). ``field`` names the column to aggregate: its label (case-insensitive; the first of
equal labels) or its position (1 is the first column); DCOUNT and DCOUNTA may omit it to count the matching
records. ``criteria`` is a range with labels in its first row and conditions
below, Excel's criteria range:

- the conditions of one row must all hold (AND); a record matches when any row holds (OR);
- an empty condition holds for every record, so an empty row matches everything, as does a criteria range with
  labels only;
- a condition is a value or text in the criteria language of COUNTIF (``>10``, ``<>x``, ``=`` for empty
  cells, wildcards ``*`` ``?``), except that text without an operator matches values that *begin* with it
  (``Dav`` matches Davolio and David; ``="=Dav"`` matches only Dav), as in Excel's advanced filter;
- a condition under a label that is not a field of the database can never hold. Excel evaluates such columns as
  computed criteria (a formula re-evaluated for every record); the engine receives only the formula's value, so it
  does not support them.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from sheetrl.sheet.errors import DIV0, NUM, VALUE, ExcelError
from sheetrl.sheet.functions import register
from sheetrl.sheet.functions.criteria import (
    make_criterion,
    text_as_number,
    wildcard_regex,
)
from sheetrl.sheet.functions.descriptive import variance
from sheetrl.sheet.values import Matrix, to_text

Predicate = Callable[[Any], bool]
_OPERATORS = ("<>", ">=", "<=", "=", ">", "<")


def _label(value: Any) -> str | None:
    """A field label as lower-case text (numbers as shown), None for an empty cell or an error."""
    if value is None or isinstance(value, ExcelError):
        return None
    text = to_text(value)
    return None if isinstance(text, ExcelError) else text.strip().lower()


def _condition(value: Any) -> Predicate | None:
    """The test of one criteria cell (None when the cell is empty and so always holds)."""
    if value is None:
        return None
    if type(value) is str and not value.startswith(_OPERATORS):
        plain = value.upper() not in ("TRUE", "FALSE") and text_as_number(value) is None
        if plain and value and not value.startswith("#"):
            pattern = wildcard_regex(value + "*")  # text without an operator matches as a prefix
            return lambda cell: type(cell) is str and pattern.fullmatch(cell) is not None
    return make_criterion(value)


def matching_records(database: Matrix, criteria: Matrix) -> list[int]:
    """Indices (0-based, among the records below the labels) of the records that meet the criteria."""
    fields: dict[str, int] = {}
    for column, label in enumerate(map(_label, database.row(0))):
        if label is not None:
            fields.setdefault(label, column)  # the first of two equal labels is the field
    records = range(1, database.rows)
    if criteria.rows < 2:
        return [r - 1 for r in records]
    condition_rows: list[list[tuple[int | None, Predicate]]] = []
    for criteria_row in range(1, criteria.rows):
        conditions: list[tuple[int | None, Predicate]] = []
        for column, value in enumerate(criteria.row(criteria_row)):
            test = _condition(value)
            if test is not None:
                conditions.append((fields.get(_label(criteria.at(0, column)) or ""), test))
        condition_rows.append(conditions)
    matched = []
    for record in records:
        values = database.row(record)
        for conditions in condition_rows:
            if all(column is not None and test(values[column]) for column, test in conditions):
                matched.append(record - 1)
                break
    return matched


def _field_column(database: Matrix, field: Any) -> int | ExcelError:
    """Column of ``field`` (a label or a 1-based position, TRUE counting as 1); #VALUE! when there is no such
    field. Labels are compared as text, so ``"true"`` names a column labelled with the logical TRUE."""
    if type(field) is bool:
        field = float(field)
    if type(field) is str:
        wanted = field.strip().lower()
        for column, value in enumerate(database.row(0)):
            if _label(value) == wanted:
                return column
        return VALUE
    if type(field) in (float, int):
        position = math.trunc(field)
        return position - 1 if 1 <= position <= database.cols else VALUE
    return VALUE


def _field_values(database: Any, field: Any, criteria: Any) -> list[Any] | ExcelError:
    """Values of the field in the matching records."""
    if type(database) is not Matrix or type(criteria) is not Matrix or database.rows < 2:
        return VALUE
    column = _field_column(database, field)
    if isinstance(column, ExcelError):
        return column
    return [database.at(record + 1, column) for record in matching_records(database, criteria)]


def _numbers(database: Any, field: Any, criteria: Any) -> list[float] | ExcelError:
    """Numbers of the field in the matching records (text, logicals and empty cells skipped; errors returned)."""
    values = _field_values(database, field, criteria)
    if isinstance(values, ExcelError):
        return values
    out: list[float] = []
    for value in values:
        if isinstance(value, ExcelError):
            return value
        if type(value) in (float, int):
            out.append(float(value))
    return out


@register("DSUM", 3, refs=(0, 2))
def dsum(database: Any, field: Any, criteria: Any) -> float | ExcelError:
    """Sum of the field's numbers in the records that meet the criteria."""
    values = _numbers(database, field, criteria)
    return values if isinstance(values, ExcelError) else math.fsum(values)


@register("DAVERAGE", 3, refs=(0, 2))
def daverage(database: Any, field: Any, criteria: Any) -> float | ExcelError:
    """Mean of the field's numbers in the matching records; #DIV/0! when there are none."""
    values = _numbers(database, field, criteria)
    if isinstance(values, ExcelError):
        return values
    return math.fsum(values) / len(values) if values else DIV0


@register("DCOUNT", 3, refs=(0, 2))
def dcount(database: Any, field: Any, criteria: Any) -> float | ExcelError:
    """How many of the field's values in the matching records are numbers (without a field: how many records
    match; a field of 0 is #VALUE!)."""
    if field is None:
        if type(database) is not Matrix or type(criteria) is not Matrix or database.rows < 2:
            return VALUE
        return float(len(matching_records(database, criteria)))
    values = _field_values(database, field, criteria)
    if isinstance(values, ExcelError):
        return values
    return float(sum(1 for value in values if type(value) in (float, int)))


@register("DCOUNTA", 3, refs=(0, 2))
def dcounta(database: Any, field: Any, criteria: Any) -> float | ExcelError:
    """How many of the field's values in the matching records are not empty (without a field: how many records
    match; a field of 0 is #VALUE!)."""
    if field is None:
        if type(database) is not Matrix or type(criteria) is not Matrix or database.rows < 2:
            return VALUE
        return float(len(matching_records(database, criteria)))
    values = _field_values(database, field, criteria)
    if isinstance(values, ExcelError):
        return values
    return float(sum(1 for value in values if value is not None))


@register("DGET", 3, refs=(0, 2))
def dget(database: Any, field: Any, criteria: Any) -> Any:
    """The field's value in the one record that meets the criteria: #VALUE! when none does, #NUM! when several
    do."""
    values = _field_values(database, field, criteria)
    if isinstance(values, ExcelError):
        return values
    if not values:
        return VALUE
    if len(values) > 1:
        return NUM
    return 0.0 if values[0] is None else values[0]


@register("DMAX", 3, refs=(0, 2))
def dmax(database: Any, field: Any, criteria: Any) -> float | ExcelError:
    """Largest of the field's numbers in the matching records (0 when there are none)."""
    values = _numbers(database, field, criteria)
    return values if isinstance(values, ExcelError) else max(values, default=0.0)


@register("DMIN", 3, refs=(0, 2))
def dmin(database: Any, field: Any, criteria: Any) -> float | ExcelError:
    """Smallest of the field's numbers in the matching records (0 when there are none)."""
    values = _numbers(database, field, criteria)
    return values if isinstance(values, ExcelError) else min(values, default=0.0)


@register("DPRODUCT", 3, refs=(0, 2))
def dproduct(database: Any, field: Any, criteria: Any) -> float | ExcelError:
    """Product of the field's numbers in the matching records (0 when there are none)."""
    values = _numbers(database, field, criteria)
    if isinstance(values, ExcelError):
        return values
    if not values:
        return 0.0
    product = math.prod(values)
    return product if math.isfinite(product) else NUM


def _spread(database: Any, field: Any, criteria: Any, sample: bool, root: bool) -> float | ExcelError:
    values = _numbers(database, field, criteria)
    if isinstance(values, ExcelError):
        return values
    result = variance(values, sample)
    if isinstance(result, ExcelError) or not root:
        return result
    return math.sqrt(result)


@register("DSTDEV", 3, refs=(0, 2))
def dstdev(database: Any, field: Any, criteria: Any) -> float | ExcelError:
    """Sample standard deviation of the field's numbers in the matching records."""
    return _spread(database, field, criteria, sample=True, root=True)


@register("DSTDEVP", 3, refs=(0, 2))
def dstdevp(database: Any, field: Any, criteria: Any) -> float | ExcelError:
    """Population standard deviation of the field's numbers in the matching records."""
    return _spread(database, field, criteria, sample=False, root=True)


@register("DVAR", 3, refs=(0, 2))
def dvar(database: Any, field: Any, criteria: Any) -> float | ExcelError:
    """Sample variance of the field's numbers in the matching records."""
    return _spread(database, field, criteria, sample=True, root=False)


@register("DVARP", 3, refs=(0, 2))
def dvarp(database: Any, field: Any, criteria: Any) -> float | ExcelError:
    """Population variance of the field's numbers in the matching records."""
    return _spread(database, field, criteria, sample=False, root=False)
