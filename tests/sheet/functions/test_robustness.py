"""Every registered function, called with every mix of awkward arguments, returns a cell value and never raises."""

import itertools
import math
import random
from typing import Any

import pytest

from sheetrl.sheet.errors import DIV0, NA, ExcelError
from sheetrl.sheet.evaluation import Area, Reference
from sheetrl.sheet.functions import FUNCTIONS
from sheetrl.sheet.values import Matrix

SAMPLES: list[Any] = [
    0.0, -1.5, 2.0, 1e308, -1e-308, 7.9, "", "x", "3", "a*", ">1", True, False, None, DIV0, NA,
    Matrix(1, 1, [None], True), Matrix(2, 2, [1.0, "a", None, True], True),
    Matrix(1, 3, [1.0, DIV0, 3.0]), Matrix(3, 1, ["x", 2.0, "*"], True), Matrix(3, 1, [5.0, 1.0, 9.0], True),
    Reference.area(0, 0, 0, 2, 1), Reference((Area(0, 0, 0, 0, 0), Area(0, 4, 2, 5, 3))),
]  # fmt: skip


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_function_never_raises_and_returns_cell_values(name: str) -> None:
    spec = FUNCTIONS[name]
    rng = random.Random(name)
    for count in range(spec.min_args, min(spec.max_args, 4) + 1):
        combos = list(itertools.product(SAMPLES, repeat=count)) if count <= 2 else [
            tuple(rng.choice(SAMPLES) for _ in range(count)) for _ in range(3000)
        ]
        for args in combos:
            if any(type(a) is Reference and i not in spec.reference_args for i, a in enumerate(args)):
                continue  # the compiler reads a reference into values except where reference_args take it
            call_args = [(lambda a=a: a) for a in args] if spec.lazy else list(args)
            if spec.reads_workbook:
                call_args.insert(0, None)  # no workbook: called outside one
            if spec.caller:
                call_args.insert(0, (0, 0, 0))  # the formula cell's (sheet_id, row, col)
            result = spec.impl(*call_args)
            assert type(result) in (float, str, bool, type(None), ExcelError, Matrix, Reference), (name, args, result)
            if type(result) is float:
                assert math.isfinite(result), (name, args, result)
