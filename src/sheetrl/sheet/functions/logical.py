"""Logical functions: IF, IFS, SWITCH, IFERROR, IFNA, AND, OR, XOR, NOT, TRUE, FALSE.

IF, IFS, SWITCH, IFERROR and IFNA are lazy: they receive zero-argument callables and evaluate only what they need, so
``IF(TRUE,1,1/0)`` is 1. In array mode (inside SUMPRODUCT and the like) a condition may be an array; the function
then applies element-wise, evaluating every branch, as Excel's array formulas do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sheetrl.sheet.errors import NA, VALUE, ExcelError
from sheetrl.sheet.functions import MAX_ARGS, register
from sheetrl.sheet.functions.array_tools import blank_as_zero
from sheetrl.sheet.values import Matrix, compare, to_bool, type_rank

Thunk = Callable[[], Any]


def _element(value: Any, row: int, col: int) -> Any:
    """Element (row, col) of an array broadcast to a larger shape (one row/column repeats); scalars are constant."""
    if type(value) is not Matrix:
        return value
    r = 0 if value.rows == 1 else row
    c = 0 if value.cols == 1 else col
    if r >= value.rows or c >= value.cols:
        return NA
    return value.values[r * value.cols + c]


def _shape(values: list[Any]) -> tuple[int, int]:
    """The shape of the element-wise result over the arrays among ``values`` (the largest extent of each axis)."""
    arrays = [v for v in values if type(v) is Matrix]
    return max(m.rows for m in arrays), max(m.cols for m in arrays)


def _array_result(rows: int, cols: int, values: list[Any]) -> Matrix:
    """An array result; an empty element (empty cell in a branch) reads as 0, as in Excel's array formulas."""
    return Matrix(rows, cols, [0.0 if v is None else v for v in values])


def _select(pairs: list[tuple[Any, Any]], otherwise: Any) -> Any:
    """The value paired with the first true condition (scalars, already evaluated), else ``otherwise``."""
    for condition, value in pairs:
        if type(condition) is ExcelError:
            return condition
        truth = to_bool(condition)
        if type(truth) is ExcelError:
            return truth
        if truth:
            return value
    return otherwise


def _select_elementwise(pairs: list[tuple[Any, Any]], otherwise: Any) -> Matrix:
    """:func:`_select` applied at every position of the arrays among conditions and values."""
    rows, cols = _shape([x for pair in pairs for x in pair] + [otherwise])
    out = []
    for r in range(rows):
        for c in range(cols):
            chosen = _select(
                [(_element(cond, r, c), _element(val, r, c)) for cond, val in pairs], _element(otherwise, r, c)
            )
            out.append(chosen)
    return _array_result(rows, cols, out)


@register("IF", 2, 3, lazy=True)
def if_(condition: Thunk, if_true: Thunk, if_false: Thunk | None = None) -> Any:
    """Value of ``if_true`` when the condition holds, else of ``if_false`` (FALSE when omitted)."""
    test = condition()
    if type(test) is Matrix:
        otherwise = if_false() if if_false is not None else False
        return _select_elementwise([(test, if_true())], otherwise)
    if type(test) is ExcelError:
        return test
    truth = to_bool(test)
    if type(truth) is ExcelError:
        return truth
    if truth:
        return if_true()
    return if_false() if if_false is not None else False


@register("IFS", 2, 254, lazy=True)
def ifs(*args: Thunk) -> Any:
    """Value paired with the first true condition among condition/value pairs; #N/A when none holds."""
    if len(args) % 2:
        return VALUE  # Excel refuses such a formula; an error keeps it from passing for a result
    for index in range(0, len(args), 2):
        test = args[index]()
        if type(test) is Matrix:
            rest = [(test, args[index + 1]())]
            rest += [(args[i](), args[i + 1]()) for i in range(index + 2, len(args), 2)]
            return _select_elementwise(rest, NA)
        if type(test) is ExcelError:
            return test
        truth = to_bool(test)
        if type(truth) is ExcelError:
            return truth
        if truth:
            return args[index + 1]()
    return NA


def _replace_errors(value: Thunk, fallback: Thunk, catches: Callable[[ExcelError], bool]) -> Any:
    result = value()
    if type(result) is ExcelError:
        return fallback() if catches(result) else result
    if type(result) is Matrix:
        if not any(type(v) is ExcelError and catches(v) for v in result.values):
            return result
        replacement = fallback()
        rows, cols = _shape([result, replacement])
        out = []
        for r in range(rows):
            for c in range(cols):
                v = _element(result, r, c)
                out.append(_element(replacement, r, c) if type(v) is ExcelError and catches(v) else v)
        return _array_result(rows, cols, out)
    return result


@register("IFERROR", 2, lazy=True)
def iferror(value: Thunk, value_if_error: Thunk) -> Any:
    """The value, or ``value_if_error`` when the value is any error (evaluated only then)."""
    return _replace_errors(value, value_if_error, lambda error: True)


@register("IFNA", 2, lazy=True)
def ifna(value: Thunk, value_if_na: Thunk) -> Any:
    """The value, or ``value_if_na`` when the value is #N/A (evaluated only then)."""
    return _replace_errors(value, value_if_na, lambda error: error is NA)


def _logical_values(args: tuple[Any, ...]) -> list[bool] | ExcelError:
    """Truth values for AND/OR/XOR with Excel's rules.

    In references and arrays only booleans and numbers count (text and empty cells are skipped); a direct argument
    may also be the text TRUE or FALSE, and other direct text is skipped too (AND(TRUE,"0") and AND("",TRUE) are
    TRUE, AND(TRUE,"x",#REF!) is #REF!, as current Excel computes; Excel 2003 answered #VALUE!). An omitted
    argument counts as FALSE. Any error is the result. No logical value at all is #VALUE!.
    """
    truths: list[bool] = []
    for arg in args:
        if type(arg) is Matrix:
            for v in arg.values:
                t = type(v)
                if t is bool:
                    truths.append(v)
                elif t is float or t is int:
                    truths.append(v != 0)
                elif t is ExcelError:
                    return v
        else:
            truth = to_bool(arg)
            if type(truth) is ExcelError:
                if type(arg) is str:
                    continue  # text other than TRUE/FALSE is skipped, as in ranges
                return truth
            truths.append(truth)
    if not truths:
        return VALUE
    return truths


@register("AND", 1, MAX_ARGS, refs="all")
def and_(*args: Any) -> Any:
    """TRUE when every logical value among the arguments is TRUE."""
    truths = _logical_values(args)
    if type(truths) is ExcelError:
        return truths
    return all(truths)


@register("OR", 1, MAX_ARGS, refs="all")
def or_(*args: Any) -> Any:
    """TRUE when any logical value among the arguments is TRUE."""
    truths = _logical_values(args)
    if type(truths) is ExcelError:
        return truths
    return any(truths)


@register("XOR", 1, MAX_ARGS, refs="all")
def xor(*args: Any) -> Any:
    """TRUE when an odd number of the logical values among the arguments are TRUE."""
    truths = _logical_values(args)
    if type(truths) is ExcelError:
        return truths
    return sum(truths) % 2 == 1


@register("NOT", 1)
def not_(value: Any) -> Any:
    """The opposite truth value (numbers: zero is FALSE; text other than TRUE/FALSE is #VALUE!)."""
    truth = to_bool(value)
    if type(truth) is ExcelError:
        return truth
    return not truth


@register("TRUE", 0)
def true_() -> bool:
    """The logical value TRUE."""
    return True


@register("FALSE", 0)
def false_() -> bool:
    """The logical value FALSE."""
    return False


@register("SWITCH", 3, 254, lazy=True)
def switch(expression: Thunk, *cases: Thunk) -> Any:
    """The result paired with the first value equal to the expression (text compared ignoring case), else the
    default (a last unpaired argument), else #N/A. An array expression gives an array: SWITCH of each element,
    with the values and results taken at the same position where they are arrays too (Excel lifts it, as the
    cells of a legacy array formula over a range show)."""
    target = expression()
    if type(target) is Matrix and target.rows * target.cols > 1:
        evaluated = [case() for case in cases]  # (each once, whatever the number of elements)
        return Matrix(target.rows, target.cols, [
            _switch_element(element, evaluated, *divmod(index, target.cols))
            for index, element in enumerate(target.values)
        ])
    if type(target) is Matrix:
        target = target.values[0] if target.values else None
    if type(target) is ExcelError:
        return target
    pairs = len(cases) // 2
    for index in range(pairs):
        candidate = cases[2 * index]()
        if type(candidate) is Matrix:
            candidate = candidate.values[0] if candidate.values else None
        if type(candidate) is ExcelError:
            return candidate
        if _same(target, candidate):
            return cases[2 * index + 1]()
    if len(cases) % 2:
        return cases[-1]()
    return NA


def _switch_element(target: Any, cases: list[Any], row: int, col: int) -> Any:
    """SWITCH for one element of an array expression at (``row``, ``col``)."""
    if type(target) is ExcelError:
        return target
    pairs = len(cases) // 2
    for index in range(pairs):
        candidate = _element(cases[2 * index], row, col)  # (_same reads an empty one as 0)
        if type(candidate) is ExcelError:
            return candidate
        if _same(target, candidate):
            return blank_as_zero(_element(cases[2 * index + 1], row, col))
    if len(cases) % 2:
        return blank_as_zero(_element(cases[-1], row, col))
    return NA


def _same(a: Any, b: Any) -> bool:
    """SWITCH's match between two scalars: same type and value, text ignoring case; an empty cell is the number 0
    (Excel's cached results in pycel's logical.xlsx: an empty expression matches 0 but not "" or FALSE, unlike
    the = operator)."""
    a = 0.0 if a is None else a
    b = 0.0 if b is None else b
    if type_rank(a) != type_rank(b):
        return False
    return compare(a, b) == 0
