"""TEXTSPLIT against Microsoft's documented examples (hand-computed values)."""

from __future__ import annotations

from typing import Any

import pytest

from .cases import check_rows, evaluate_array

NA = "#N/A"


@pytest.mark.parametrize(
    ("formula", "cells", "expected"),
    [
        ('=TEXTSPLIT("Dakota Lennon Sanchez"," ")', None, [["Dakota", "Lennon", "Sanchez"]]),
        ('=TEXTSPLIT("To be or not to be",{" ","."})', None, [["To", "be", "or", "not", "to", "be"]]),
        ('=TEXTSPLIT("Do. Or do not. There is no try. -Anonymous",".")', None,
         [["Do", " Or do not", " There is no try", " -Anonymous"]]),
        ('=TEXTSPLIT("Do. Or do not. There is no try. -Anonymous",,".")', None,
         [["Do"], [" Or do not"], [" There is no try"], [" -Anonymous"]]),
        ('=TEXTSPLIT("1,2,3;4,5",",",";")', None, [["1", "2", "3"], ["4", "5", NA]]),
        ('=TEXTSPLIT("1,2,3;4,5",",",";",,,0)', None, [["1", "2", "3"], ["4", "5", 0]]),
        ('=TEXTSPLIT("a,,b",",")', None, [["a", "", "b"]]),
        ('=TEXTSPLIT("a,,b",",",,TRUE)', None, [["a", "b"]]),
        ('=TEXTSPLIT("aXbxc","x")', None, [["aXb", "c"]]),  # case-sensitive by default
        ('=TEXTSPLIT("aXbxc","x",,,1)', None, [["a", "b", "c"]]),
        ('=TEXTSPLIT("a--b-c",{"-","--"})', None, [["a", "b", "c"]]),  # the longest delimiter first
        ('=TEXTSPLIT("abc","")', None, [["#VALUE!"]]),
        ('=TEXTSPLIT("abc",)', None, [["#VALUE!"]]),  # no delimiter at all
        ('=TEXTSPLIT(",",",",,TRUE)', None, [["#CALC!"]]),  # nothing left
        ("=TEXTSPLIT(A1:A2,\" \")", {"A1": "a b", "A2": "c d"}, [["a"], ["c"]]),  # per cell: the first piece
    ],
)
def test_textsplit(formula: str, cells: dict[str, Any] | None, expected: list[list[Any]]) -> None:
    check_rows(evaluate_array(formula, cells), expected)
