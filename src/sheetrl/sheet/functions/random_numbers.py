"""Random numbers: RAND and RANDBETWEEN.

Both are volatile: a new number on every full recalculation (``Workbook.recalculate``), not after every edit (see
docs/engine.md). They draw from Python's ``random`` module, so ``random.seed`` makes a run reproducible.
"""

from __future__ import annotations

import math
import random
from typing import Any

from sheetrl.sheet.errors import NUM, ExcelError
from sheetrl.sheet.functions import register
from sheetrl.sheet.functions.arguments import toolpak_numbers


@register("RAND", 0, volatile=True)
def rand() -> float:
    """A uniformly distributed random number, 0 <= x < 1."""
    return random.random()


@register("RANDBETWEEN", 2, volatile=True, omitted_is_na=True)
def randbetween(bottom: Any, top: Any) -> Any:
    """A random integer between bottom (rounded up) and top (rounded down), inclusive; #NUM! when there is none."""
    pair = toolpak_numbers(bottom, top)
    if type(pair) is ExcelError:
        return pair
    low, high = math.ceil(pair[0]), math.floor(pair[1])
    if low > high:
        return NUM
    return float(random.randint(low, high))
