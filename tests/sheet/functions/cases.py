"""Shared scaffolding of the function tests: evaluate a formula in a fresh workbook and compare its value.

Table-driven tests list ``case(id, formula, expected, cells)`` rows and call :func:`run`; an expected value
starting with ``#`` is an error value, compared by its code.
"""

from __future__ import annotations

from typing import Any

import pytest

from sheetrl.sheet import ExcelError, Workbook

RESULT_CELL = "Z99"  # where the formula under test goes (far from the cells the tests fill in)


def evaluate(formula: str, cells: dict[str, Any] | None = None) -> Any:
    """Value of ``formula`` entered in :data:`RESULT_CELL` of a new workbook holding ``cells``."""
    wb = Workbook()
    for address, value in (cells or {}).items():
        wb.set(address, value)
    wb.set(RESULT_CELL, formula)
    return wb.value(RESULT_CELL)


def evaluate_array(formula: str, cells: dict[str, Any] | None = None) -> Any:
    """What ``formula`` spills from :data:`RESULT_CELL`, as a list of rows (one value: ``[[value]]``)."""
    wb = Workbook()
    for address, value in (cells or {}).items():
        wb.set(address, value)
    wb.set(RESULT_CELL, formula)
    spill = wb.spill_range(RESULT_CELL)
    return wb.values(spill) if spill is not None else [[wb.value(RESULT_CELL)]]


def check_rows(actual: list[list[Any]], expected: list[list[Any]]) -> None:
    """:func:`check` element by element; the shapes must match."""
    assert [len(row) for row in actual] == [len(row) for row in expected], (actual, expected)
    for got_row, want_row in zip(actual, expected):
        for got, want in zip(got_row, want_row):
            check(got, want)


def check(actual: Any, expected: Any) -> None:
    """Numbers to 12 significant digits (int and float alike), booleans and None by identity, errors by code."""
    if isinstance(expected, str) and expected.startswith("#"):
        assert isinstance(actual, ExcelError), f"expected {expected}, got {actual!r}"
        assert str(actual) == expected
    elif isinstance(expected, bool) or expected is None:
        assert actual is expected
    elif isinstance(expected, (int, float)):
        assert not isinstance(actual, (bool, ExcelError)), f"expected {expected}, got {actual!r}"
        assert actual == pytest.approx(expected, rel=1e-12, abs=1e-300)
    else:
        assert actual == expected


def check_exact_type(actual: Any, expected: Any) -> None:
    """Like :func:`check`, but the type must match too (TRUE is not 1, 1.0 is not "1")."""
    if isinstance(expected, str) and expected.startswith("#"):
        assert isinstance(actual, ExcelError) and str(actual) == expected, actual
    elif isinstance(expected, float):
        assert type(actual) is float and actual == pytest.approx(expected), actual
    else:
        assert type(actual) is type(expected) and actual == expected, actual


def case(case_id: str, formula: str, expected: Any, cells: dict[str, Any] | None = None) -> Any:
    """One row of a table-driven test: ``pytest.param(formula, expected, cells, id=case_id)``."""
    return pytest.param(formula, expected, cells, id=case_id)


def run(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    check(evaluate(formula, cells), expected)
