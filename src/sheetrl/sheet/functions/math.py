"""Mathematical functions: SUM, PRODUCT, SUMPRODUCT, SUMIF(S), rounding, powers and logarithms."""

from __future__ import annotations

from typing import Any

from sheetrl.sheet.functions import MAX_ARGS, register
from sheetrl.sheet.values import collect_numbers


@register("SUM", 1, MAX_ARGS, refs="all")
def sum_(*args: Any) -> Any:
    numbers = collect_numbers(args)
    if not isinstance(numbers, list):
        return numbers
    return float(sum(numbers))
