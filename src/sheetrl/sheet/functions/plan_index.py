"""Indexes that the formulas of one recalculation plan share over a range they all read.

Many formulas of a fill often search one static range: exact lookups into a table, COUNTIF or SUMIF over one
column. Each alone scans the range, so n of them cost n passes. Within a plan every cell of a static reference is
final when its formula runs and stays so until the plan ends (the workbook drops what is shared whenever cells
change otherwise, ``STATE.shared``), so an index built from the range once answers the rest exactly.

Building costs a few scans, so a range's index is built only once the plan's searches of it have scanned it
``SCANS_BEFORE_INDEX`` times over: a few searches that stop near the start never build one, and many searches of one
range cost a few passes over it instead of one each.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sheetrl.sheet.evaluation import STATE

SCANS_BEFORE_INDEX = 2  # a range's index is built once the plan's searches of it have scanned it this many times over


def plan_memo() -> dict[tuple[Any, ...], Any] | None:
    """What the formulas of the plan running now share (``STATE.shared``); None where they share nothing: outside
    a recalculation, or while a formula with references computed at run time runs (what it reads may not be final
    yet: such formulas run again)."""
    state = STATE
    held = state.shared
    if held is None or state.reads is not None:
        return None
    return held[1]


def built_index(memo: dict[tuple[Any, ...], Any], family: tuple[Any, ...], size: int,
                build: Callable[[], dict[Any, Any]], scans: int = SCANS_BEFORE_INDEX) -> dict[Any, Any] | None:
    """The index of ``family`` (a range of ``size`` cells and what is indexed about it), built by ``build`` now if
    the plan's searches of it have already scanned it ``scans`` times over; None while they have not (the caller
    scans, then reports what that cost with :func:`note_scan`)."""
    entry = memo.get(family, 0)
    if type(entry) is int:
        if entry < scans * size:
            return None
        memo[family] = entry = build()
    return entry


def note_scan(memo: dict[tuple[Any, ...], Any], family: tuple[Any, ...], cells: int) -> None:
    """Count a scan of ``cells`` cells of ``family`` made because its index is not built yet."""
    memo[family] = memo.get(family, 0) + cells
