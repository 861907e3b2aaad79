"""Observations: what an agent sees, as a Gymnasium ``Dict`` of fixed-shape arrays.

The agent sees an H×W *window* of the sheet the cursor is on (24×12 by default; sheets are up to 200×40). The window
follows the cursor as a spreadsheet's view does: it scrolls as little as keeps the cursor :data:`SCROLL_MARGIN`
cells away from its edges (where the sheet allows), and centres the cursor after a jump to a cell far outside it.

Keys (N is the number of macro actions):

``grid`` float32 (C, H, W)
    One plane per :class:`Channel` over the window: the cell's kind (empty, number, text, boolean, error), its
    scaled value (sign(x)·log1p(|x|)/5, clipped to [-5, 5]; 0 for non-numbers), formula, bold, non-General number
    format, cursor, selection, target cell of the task, and *changed*: a cell outside the targets whose content or
    format differs from the initial sheet (what the checker's ``unchanged`` condition forbids).
``instruction`` int64 (L,)
    The instruction's word tokens (see :class:`~sheetrl.env.tokens.InstructionVocabulary`), 0-padded.
``cell_tokens`` int64 (H·W, 4)
    Per window cell, row by row: [kind (0 empty, 1 number, 2 text, 3 boolean, 4 error, 5 formula), outermost
    function of its formula (index in the engine's sorted function list + 1, else 0), number-format preset index
    (0 General), magnitude bucket (0 for non-numbers, else 1 + clamp(floor(log10|x|) + 8, 0, 30))].
``edges`` int64 (2, E)
    Dependency edges between window cells (precedent index → formula index, indices row by row), padded with
    H·W (a dummy node) — ready for torch-geometric after dropping the padding.
``formula_chain`` int64 (K,)
    The formula at the cursor, then the formulas it reads (nearest first), as command tokens
    (:mod:`sheetrl.env.tokens`) separated by ``<sep>``, 0-padded: the sequence an LSTM encoder reads.
``flat`` float32 (768,)
    For MLP agents (:data:`FLAT_LAYOUT` maps the parts): the 7×7 neighbourhood of the cursor (the
    :data:`WINDOW_CHANNELS`), the cursor's place in the window and the offset to the next target (clipped to
    ±2 windows), level one-hot, a bag of the instruction's operation words (:data:`OPERATION_WORDS`, one slot
    each), which slots the instruction has, selection state and the elapsed fraction of the step budget, the first
    :data:`INSTRUCTION_REFERENCES` cell references of the instruction as corner offsets from the cursor (clipped),
    where the window is on the sheet and which sheet it shows, how many cells outside the targets were changed,
    the action mask, and the cursor cell as a formula bar shows it — what its formula reads (the corners of the
    cells it reads relative to the cursor, how many, whether it is a function call) and its number format (one-hot
    over :data:`~sheetrl.sheet.formats.NUMBER_FORMAT_PRESETS`, or other) — zero-padded to 768. Without these two
    parts, two states an agent must tell apart looked the same: ``=SUM(Q16:Q20)`` and ``=P21/N21`` in the same
    cell differ only in value, a currency and a percent format only in the preset.
``action_mask`` int8 (N,)
    1 for actions that resolve to a command in this state.

The builder keeps the arrays between steps and updates only the cells the workbook reports as changed
(``Workbook.track_changes``); it rebuilds the window when it scrolls or the agent changes sheet.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from enum import IntEnum
from typing import Any

import numpy as np

from sheetrl.env.actions import N_ACTIONS, references_on, targets_on
from sheetrl.env.tasks.base import Task
from sheetrl.sheet.address import ROW_SHIFT, make_key, split_key
from sheetrl.sheet.formats import NUMBER_FORMAT_PRESETS
from sheetrl.sheet.functions import FUNCTIONS
from sheetrl.sheet.nodes import Call, Paren
from sheetrl.sheet.workbook import ALL_CHANGED, Workbook


class Channel(IntEnum):
    """The channels of ``grid``, in order; every reader names them through this enum."""

    EMPTY = 0  # the cell is empty
    NUMBER = 1  # its value is a number
    TEXT = 2  # its value is text
    BOOLEAN = 3  # its value is TRUE/FALSE
    ERROR = 4  # its value is an error value
    VALUE = 5  # sign(x)·log1p(|x|)/5 of a number, clipped to [-5, 5]; 0 otherwise
    FORMULA = 6  # it holds a formula
    BOLD = 7  # it is bold
    NUMBER_FORMAT = 8  # it has a number format other than General
    CURSOR = 9  # the cursor is here
    SELECTION = 10  # it is selected
    TARGET = 11  # a target cell of the task
    CHANGED = 12  # not a target, and its content or format differs from the initial sheet


CHANNELS = len(Channel)
KIND_CHANNELS = (Channel.EMPTY, Channel.NUMBER, Channel.TEXT, Channel.BOOLEAN, Channel.ERROR)  # one is set per cell
CELL_CHANNELS = Channel.NUMBER_FORMAT + 1  # channels 0..8 describe the cell's content (the rest: cursor, task)
WINDOW_CHANNELS = tuple(Channel)[1:Channel.TARGET + 1]  # the cursor's neighbourhood in ``flat`` (EMPTY is implied)
SEPARATOR_ID = 4  # "<sep>" in sheetrl.env.tokens.TokenVocabulary
FLAT_SIZE = 768
MASK_SLOTS = N_ACTIONS
WINDOW = 7
_SATURATED_COUNT = math.ceil(math.expm1(5.0))  # cells read from which log1p(count) / 5 is 1 in flat
SCROLL_MARGIN = WINDOW // 2  # the view keeps the cursor this far from its edges, so the 7x7 neighbourhood is seen
OFFSET_CLIP = 2.0  # offsets in ``flat`` are in windows, clipped to [-2, 2]
SLOT_NAMES = ("value", "threshold", "rate_cell", "lookup_table", "criteria_range", "pivot", "new_sheet", "header")
# Words of an instruction that name a computation: aggregates, then arithmetic. They open OPERATION_WORDS, so they
# are the first floats of flat's "words" part (FLAT_COMPUTATION_WORDS).
COMPUTATION_WORDS: tuple[str, ...] = (
    # aggregates
    "total", "totals", "sum", "sums", "grand", "average", "averages", "mean", "minimum", "smallest", "lowest",
    "least", "maximum", "largest", "highest", "count", "number", "entries", "values", "subtotal",
    # arithmetic
    "divided", "minus", "times", "plus", "ratio", "fraction", "percent", "percentages", "share", "growth", "grow",
    "rate", "difference", "variance", "margin", "running", "far", "balance", "profit", "net", "tax", "gross",
)
# Words that say which operation an instruction asks for (across the five task families); other words (headers,
# names, months) carry no operation and are left to the token-based encoders.
OPERATION_WORDS: tuple[str, ...] = tuple(dict.fromkeys((
    *COMPUTATION_WORDS,
    # single-cell edits and formats
    "enter", "type", "change", "replace", "fix", "typo", "wrong", "missing", "header", "headers", "label", "bold",
    "clear", "empty", "stray", "format", "currency", "decimals", "delete", "remove",
    # structure
    "formula", "formulas", "fill", "filled", "down", "across", "each", "every", "row", "rows", "column",
    "columns", "select", "pivot", "table", "side", "top", "then", "finally", "also", "sheet", "new",
    # conditions
    "pass", "fail", "otherwise", "when", "over", "ok",
    # words of training phrasings that name an operation and were missing above (a held-out currency phrasing,
    # "read as amounts of money", showed that "money" was): more floats here shift every later part of flat
    "money", "percentage", "multiply", "subtract", "divide", "cumulative", "less", "formatted",
)))
_OPERATION_IDS = {word: i for i, word in enumerate(OPERATION_WORDS)}
INSTRUCTION_REFERENCES = 3  # cell references of the instruction shown in ``flat``, in order of appearance
_FUNCTION_IDS = {name: i + 1 for i, name in enumerate(sorted(FUNCTIONS))}
_FORMAT_IDS = {code: i for i, code in enumerate(NUMBER_FORMAT_PRESETS.values())}
# The largest value of each ``cell_tokens`` field: kind, outermost function, number-format preset, magnitude bucket.
CELL_TOKEN_HIGHS = (5, len(_FUNCTION_IDS), len(_FORMAT_IDS), 31)  # an unlisted format is len(_FORMAT_IDS)


def _kind(value: Any, is_formula: bool) -> int:
    if is_formula:
        return 5
    t = type(value)
    if value is None:
        return 0
    if t is float:
        return 1
    if t is str:
        return 2
    if t is bool:
        return 3
    return 4


def scale_value(x: float) -> float:
    """Numbers to a bounded feature: sign(x)·log1p(|x|)/5 clipped to [-5, 5]."""
    return max(-5.0, min(5.0, math.copysign(math.log1p(abs(x)), x) / 5.0))


def _clip(x: float) -> float:
    return min(OFFSET_CLIP, max(-OFFSET_CLIP, x))


def scroll(origin: int, cursor: int, size: int, extent: int) -> int:
    """The window's new first row (or column): unchanged while the cursor stays :data:`SCROLL_MARGIN` from its
    edges, moved as little as needed when it nears one, centred on the cursor after a jump far outside it; always
    inside the sheet's extent."""
    margin = min(SCROLL_MARGIN, (size - 1) // 2)
    if origin + margin <= cursor <= origin + size - 1 - margin:
        new = origin
    elif origin - size <= cursor < origin + size * 2:
        new = cursor - margin if cursor < origin + margin else cursor - size + 1 + margin
    else:
        new = cursor - size // 2
    return max(0, min(new, max(0, extent - size)))


class ObservationBuilder:
    """Builds observations for one environment, incrementally."""

    def __init__(self, rows: int, cols: int, instruction_length: int, max_edges: int, chain_length: int,
                 edges: bool = True) -> None:
        self.rows = rows
        self.track_edges = edges  # False: the observation has no ``edges``, so the window's graph is not kept
        self.cols = cols
        self.instruction_length = instruction_length
        self.max_edges = max_edges
        self.chain_length = chain_length
        self.grid = np.zeros((CHANNELS, rows, cols), dtype=np.float32)
        self.cell_tokens = np.zeros((rows * cols, 4), dtype=np.int64)
        self.edges = np.full((2, max_edges), rows * cols, dtype=np.int64)
        self.instruction = np.zeros(instruction_length, dtype=np.int64)
        self.origin = (0, 0)  # the window's top-left cell on the sheet
        self.sheet = ""  # the sheet the window shows
        self._sheet_id = 0
        self._sheet_index = 0
        self._task: Task | None = None
        self._extent = (rows, cols)
        self._graph_version = -1
        self._cursor: tuple[int, int] | None = None
        self._selection: tuple[int, int, int, int] | None = None
        self._static = np.zeros(5 + len(OPERATION_WORDS) + len(SLOT_NAMES), dtype=np.float32)
        self._changed: set[int] = set()

    # ------------------------------------------------------------------------------------------------- episode
    def reset(self, wb: Workbook, task: Task, instruction_tokens: np.ndarray, sheet: str,
              cursor: tuple[int, int], changed: set[int]) -> None:
        """Full rebuild for a new episode."""
        self._task = task
        self._extent = task.extent
        self.instruction[:] = 0
        n = min(len(instruction_tokens), self.instruction_length)
        self.instruction[:n] = instruction_tokens[:n]
        static = np.zeros_like(self._static)
        static[task.level - 1] = 1.0
        for word in re.findall(r"[a-z]+", task.instruction.lower()):
            index = _OPERATION_IDS.get(word)
            if index is not None:
                static[5 + index] = 1.0
        for i, slot in enumerate(SLOT_NAMES):
            static[5 + len(OPERATION_WORDS) + i] = 1.0 if slot in task.slots else 0.0
        self._static = static
        self._changed = changed
        self.sheet = ""
        self.origin = (-1, -1)
        self.sync(wb, sheet, cursor, None)

    def sync(self, wb: Workbook, sheet: str, cursor: tuple[int, int], changed: set[int] | None) -> None:
        """Bring the window up to date after a step: scroll to the cursor, then redraw the cells in ``changed``
        (keys), or the whole window after a scroll, a change of sheet, or when ``changed`` is None or holds
        ``ALL_CHANGED``."""
        rows, cols = self._extent
        top = scroll(self.origin[0], cursor[0], self.rows, rows)
        left = scroll(self.origin[1], cursor[1], self.cols, cols)
        d_row, d_col = top - self.origin[0], left - self.origin[1]
        if sheet != self.sheet or changed is None or ALL_CHANGED in changed:
            self.origin = (top, left)
            if sheet != self.sheet:
                self.sheet = sheet
                self._sheet_id = wb.sheet_id(sheet)
                self._sheet_index = wb.sheet_names.index(wb.sheet_name(self._sheet_id))
            self._redraw(wb)
            return
        if (d_row, d_col) != (0, 0):
            if abs(d_row) < self.rows and abs(d_col) < self.cols:
                self._shift(wb, d_row, d_col)  # a small scroll: move what stays in view, draw the new strips
            else:
                self.origin = (top, left)
                self._redraw(wb)
                return
        self._refresh(wb, changed)
        if (d_row, d_col) != (0, 0) or wb.graph_version != self._graph_version:
            self._rebuild_edges(wb)

    def _shift(self, wb: Workbook, d_row: int, d_col: int) -> None:
        """Scroll the window by (d_row, d_col) cells: the arrays move, and only the strips that come into view are
        drawn from the workbook."""
        rows, cols = self.rows, self.cols
        grid = self.grid
        tokens = self.cell_tokens.reshape(rows, cols, 4)
        source_rows = slice(max(0, d_row), rows + min(0, d_row))
        target_rows = slice(max(0, -d_row), rows + min(0, -d_row))
        source_cols = slice(max(0, d_col), cols + min(0, d_col))
        target_cols = slice(max(0, -d_col), cols + min(0, -d_col))
        grid[:, target_rows, target_cols] = grid[:, source_rows, source_cols].copy()
        tokens[target_rows, target_cols] = tokens[source_rows, source_cols].copy()
        fresh = np.ones((rows, cols), dtype=bool)
        fresh[target_rows, target_cols] = False
        grid[:, fresh] = 0.0
        grid[Channel.EMPTY, fresh] = 1.0
        tokens[fresh] = 0
        grid[Channel.CURSOR] = 0.0  # redrawn by set_cursor
        grid[Channel.SELECTION] = 0.0
        self._cursor = self._selection = None
        self.origin = (self.origin[0] + d_row, self.origin[1] + d_col)
        top, left = self.origin
        assert self._task is not None
        for row, col in targets_on(self._task, self.sheet):
            r, c = row - top, col - left
            if 0 <= r < rows and 0 <= c < cols and fresh[r, c]:
                grid[Channel.TARGET, r, c] = 1.0
        values, formats = wb.value_map(), wb.format_map()
        base = make_key(self._sheet_id, top, left)
        changed = self._changed
        keys = [key for key in (base + (int(r) << ROW_SHIFT) + int(c) for r, c in zip(*np.nonzero(fresh)))
                if key in values or key in formats or key in changed]
        self._refresh(wb, keys)

    def _redraw(self, wb: Workbook) -> None:
        assert self._task is not None
        self.grid.fill(0.0)
        self.grid[Channel.EMPTY].fill(1.0)
        self.cell_tokens.fill(0)
        self._cursor = None
        self._selection = None
        top, left = self.origin
        for row, col in targets_on(self._task, self.sheet):
            if top <= row < top + self.rows and left <= col < left + self.cols:
                self.grid[Channel.TARGET, row - top, col - left] = 1.0
        values, formats = wb.value_map(), wb.format_map()
        base = make_key(self._sheet_id, top, left)
        changed = self._changed  # a changed cell may be empty now (a cleared label): it is drawn too
        row_starts = [base + (r << ROW_SHIFT) for r in range(self.rows)]
        keys = [key for start in row_starts for key in range(start, start + self.cols)
                if key in values or key in formats or key in changed]
        self._refresh(wb, keys)
        self._rebuild_edges(wb)

    def _inside(self, key: int) -> bool:
        sid, row, col = split_key(key)
        top, left = self.origin
        return sid == self._sheet_id and top <= row < top + self.rows and left <= col < left + self.cols

    def _refresh(self, wb: Workbook, keys: Iterable[int]) -> None:
        """Redraw the cells of ``keys`` that lie in the window (one vectorized write per channel)."""
        values = wb.value_map()
        formats = wb.format_map()
        sheet = self._sheet_id
        top, left = self.origin
        rows, cols = self.rows, self.cols
        changed = self._changed
        cells: list[int] = []  # window index of each redrawn cell
        features: list[tuple[int, int, float, float, float, float, float, int, int, int]] = []
        for key in keys:
            sid, row, col = split_key(key)
            row -= top
            col -= left
            if sid != sheet or not (0 <= row < rows and 0 <= col < cols):
                continue
            value = values.get(key)
            node = wb.formula_node_at(key)
            fmt = formats.get(key)
            is_number = type(value) is float
            cells.append(row * cols + col)
            features.append((
                _kind(value, False),
                _kind(value, node is not None),
                scale_value(value) if is_number else 0.0,  # type: ignore[arg-type]
                1.0 if node is not None else 0.0,
                1.0 if fmt is not None and fmt.bold else 0.0,
                1.0 if fmt is not None and fmt.number_format != "General" else 0.0,
                1.0 if key in changed else 0.0,
                _FUNCTION_IDS.get(node.name, 0) if type(node) is Call else 0,
                _FORMAT_IDS.get(fmt.number_format, len(_FORMAT_IDS)) if fmt is not None else 0,
                1 + min(30, max(0, math.floor(math.log10(abs(value))) + 8))  # type: ignore[arg-type]
                if is_number and value != 0.0 else 0,
            ))
        if not cells:
            return
        if len(cells) <= 8:  # a few cells: scalar writes cost less than the vectorized writes' fixed overhead
            grid, tokens = self.grid, self.cell_tokens
            for index_, row_ in zip(cells, features):
                r, c = divmod(index_, cols)
                grid[KIND_CHANNELS[0]:KIND_CHANNELS[-1] + 1, r, c] = 0.0
                grid[KIND_CHANNELS[row_[0]], r, c] = 1.0
                grid[Channel.VALUE, r, c] = row_[2]
                grid[Channel.FORMULA, r, c] = row_[3]
                grid[Channel.BOLD, r, c] = row_[4]
                grid[Channel.NUMBER_FORMAT, r, c] = row_[5]
                grid[Channel.CHANGED, r, c] = row_[6]
                tokens[index_] = (row_[1], row_[7], row_[8], row_[9])
            return
        index = np.asarray(cells)
        table = np.asarray(features, dtype=np.float64)
        planes = self.grid.reshape(CHANNELS, rows * cols)
        planes[KIND_CHANNELS[0]:KIND_CHANNELS[-1] + 1, index] = 0.0
        planes[np.asarray(KIND_CHANNELS)[table[:, 0].astype(np.int64)], index] = 1.0
        for column, channel in ((2, Channel.VALUE), (3, Channel.FORMULA), (4, Channel.BOLD),
                                (5, Channel.NUMBER_FORMAT), (6, Channel.CHANGED)):
            planes[channel, index] = table[:, column]
        self.cell_tokens[index, 0] = table[:, 1]
        self.cell_tokens[index, 1:4] = table[:, 7:10]

    def _rebuild_edges(self, wb: Workbook) -> None:
        self._graph_version = wb.graph_version
        if not self.track_edges:
            return
        rows, cols = self.rows, self.cols
        top, left = self.origin
        pad = rows * cols
        self.edges.fill(pad)
        count = 0
        for key in sorted(wb.formula_keys()):
            if not self._inside(key):
                continue
            _, row, col = split_key(key)
            target = (row - top) * cols + (col - left)
            for precedent in sorted(wb.precedent_keys(key)):
                if not self._inside(precedent):
                    continue
                if count >= self.max_edges:
                    return
                _, prow, pcol = split_key(precedent)
                self.edges[0, count] = (prow - top) * cols + (pcol - left)
                self.edges[1, count] = target
                count += 1

    # ---------------------------------------------------------------------------------------------------- step
    def set_cursor(self, cursor: tuple[int, int], selection: tuple[int, int, int, int]) -> None:
        """Draw the cursor and the selection (parts outside the window are not shown)."""
        top, left = self.origin
        if self._cursor is not None:
            self.grid[Channel.CURSOR, self._cursor[0], self._cursor[1]] = 0.0
        if self._selection is not None:
            r1, c1, r2, c2 = self._selection
            self.grid[Channel.SELECTION, r1 : r2 + 1, c1 : c2 + 1] = 0.0
        self._cursor = None
        r, c = cursor[0] - top, cursor[1] - left
        if 0 <= r < self.rows and 0 <= c < self.cols:
            self.grid[Channel.CURSOR, r, c] = 1.0
            self._cursor = (r, c)
        r1, c1 = max(0, selection[0] - top), max(0, selection[1] - left)
        r2, c2 = min(self.rows - 1, selection[2] - top), min(self.cols - 1, selection[3] - left)
        self._selection = None
        if r1 <= r2 and c1 <= c2:
            self.grid[Channel.SELECTION, r1 : r2 + 1, c1 : c2 + 1] = 1.0
            self._selection = (r1, c1, r2, c2)

    def formula_chain(self, wb: Workbook, cursor: tuple[int, int],
                      encode: Callable[[str], list[int]] | None) -> np.ndarray:
        """Token ids of the cursor's formula and the formulas it reads, nearest first (see module docstring)."""
        chain = np.zeros(self.chain_length, dtype=np.int64)
        key = make_key(self._sheet_id, *cursor)
        text = wb.formula_at(key)
        if text is None or encode is None:
            return chain
        ids: list[int] = list(encode(text))
        for precedent in sorted(wb.precedent_keys(key)):
            other = wb.formula_at(precedent)
            if other is not None and len(ids) < self.chain_length:
                ids.append(SEPARATOR_ID)
                ids.extend(encode(other))
        n = min(len(ids), self.chain_length)
        chain[:n] = ids[:n]
        return chain

    def flat(self, mask: np.ndarray, step_fraction: float, cursor: tuple[int, int],
             anchor: tuple[int, int] | None, wb: Workbook) -> np.ndarray:
        """The 768-float vector for MLP agents."""
        assert self._task is not None
        out = np.zeros(FLAT_SIZE, dtype=np.float32)
        top, left = self.origin
        r, c = cursor[0] - top, cursor[1] - left  # inside the window: the view follows the cursor
        half = WINDOW // 2
        padded = np.zeros((len(WINDOW_CHANNELS), WINDOW, WINDOW), dtype=np.float32)
        r0, r1 = max(0, r - half), min(self.rows, r + half + 1)
        c0, c1 = max(0, c - half), min(self.cols, c + half + 1)
        first, last = WINDOW_CHANNELS[0], WINDOW_CHANNELS[-1] + 1
        padded[:, r0 - (r - half) : r1 - (r - half), c0 - (c - half) : c1 - (c - half)] = \
            self.grid[first:last, r0:r1, c0:c1]
        layout = FLAT_LAYOUT
        out[layout["window"]] = padded.ravel()
        i = layout["cursor"].start
        out[i] = r / self.rows
        out[i + 1] = c / self.cols
        here = tuple(cursor)
        positions = targets_on(self._task, self.sheet)
        later = [t for t in positions if t >= here] or list(positions)
        if later:
            tr, tc = later[0]
            out[i + 2] = _clip((tr - cursor[0]) / self.rows)
            out[i + 3] = _clip((tc - cursor[1]) / self.cols)
            out[i + 4] = 1.0 if (tr, tc) == here else 0.0
        out[layout["level"].start : layout["slots"].stop] = self._static
        i = layout["selection"].start
        if anchor is not None:
            out[i] = 1.0
            out[i + 1] = _clip((anchor[0] - cursor[0]) / self.rows)
            out[i + 2] = _clip((anchor[1] - cursor[1]) / self.cols)
        out[i + 3] = step_fraction
        i = layout["references"].start
        for ref in references_on(self._task, self.sheet)[:INSTRUCTION_REFERENCES]:
            if ref is not None:
                out[i] = 1.0
                out[i + 1] = _clip((ref.row1 - cursor[0]) / self.rows)
                out[i + 2] = _clip((ref.col1 - cursor[1]) / self.cols)
                out[i + 3] = _clip((ref.row2 - cursor[0]) / self.rows)
                out[i + 4] = _clip((ref.col2 - cursor[1]) / self.cols)
            i += 5
        i = layout["view"].start
        rows, cols = self._extent
        out[i] = top / rows
        out[i + 1] = left / cols
        # within the space's bound of 5: a task file's sheet may reach 1,048,576 rows and 16,384 columns
        out[i + 2] = min(5.0, rows / 1000.0)
        out[i + 3] = min(5.0, cols / 100.0)
        out[i + 4] = min(1.0, self._sheet_index / 4.0)
        out[i + 5] = min(1.0, len(self._changed) / 10.0)
        out[layout["mask"].start : layout["mask"].start + len(mask)] = mask
        key = make_key(self._sheet_id, *cursor)
        self._formula_features(wb, key, cursor, out[layout["formula"]])
        fmt = wb.format_map().get(key)
        out[layout["number_format"].start + (0 if fmt is None else _FORMAT_IDS.get(fmt.number_format,
                                                                                   len(_FORMAT_IDS)))] = 1.0
        return out

    def _formula_features(self, wb: Workbook, key: int, cursor: tuple[int, int], out: np.ndarray) -> None:
        """What the formula at the cursor reads (see ``FLAT_LAYOUT["formula"]``), written into ``out``."""
        node = wb.formula_node_at(key)
        if node is None:
            return
        while type(node) is Paren:  # brackets only group: =(SUM(B2:B9)) is the call =SUM(B2:B9) is
            node = node.inner
        out[6] = 1.0 if type(node) is Call else 0.0
        # The rectangles, not the expanded cells: a whole column is read too (precedent_keys leaves out ranges too
        # large to expand), and a large range costs nothing per step. The cells are counted one by one only while
        # the count can stay under the saturation of log1p(count) / 5.
        areas = wb.precedent_areas(key)
        if any((r2 - r1 + 1) * (c2 - c1 + 1) >= _SATURATED_COUNT for _, r1, c1, r2, c2 in areas):
            out[5] = 1.0
        else:
            out[5] = min(5.0, math.log1p(len(wb.precedent_keys(key)))) / 5.0
        here = [area[1:] for area in areas if area[0] == self._sheet_id]
        if here:
            out[0] = 1.0
            out[1] = _clip((min(r1 for r1, _, _, _ in here) - cursor[0]) / WINDOW)
            out[2] = _clip((min(c1 for _, c1, _, _ in here) - cursor[1]) / WINDOW)
            out[3] = _clip((max(r2 for _, _, r2, _ in here) - cursor[0]) / WINDOW)
            out[4] = _clip((max(c2 for _, _, _, c2 in here) - cursor[1]) / WINDOW)


def _flat_layout() -> dict[str, slice]:
    parts = (
        ("window", len(WINDOW_CHANNELS) * WINDOW * WINDOW),  # WINDOW_CHANNELS of the 7x7 window, channel-major
        ("cursor", 5),  # row, col in the window, next-target d_row, d_col (in windows, clipped), on target
        ("level", 5),  # one-hot
        ("words", len(OPERATION_WORDS)),
        ("slots", len(SLOT_NAMES)),
        ("selection", 4),  # anchor set, anchor d_row, d_col, step fraction
        ("references", 5 * INSTRUCTION_REFERENCES),  # per reference: present, d_row1, d_col1, d_row2, d_col2
        ("view", 6),  # window top / sheet rows, left / sheet cols, sheet rows / 1000, cols / 100 (both at most 5),
                      # sheet index / 4, changed cells outside the targets / 10 (clipped at 1)
        ("mask", MASK_SLOTS),
        ("formula", 7),  # the cursor's formula: reads a cell on this sheet, corners of what it reads (d_row1,
                         # d_col1, d_row2, d_col2 from the cursor, in 7-cell units, clipped), log1p(cells read) / 5,
                         # outermost node is a function call
        ("number_format", len(NUMBER_FORMAT_PRESETS) + 1),  # the cursor cell's number format: one-hot over the
                                                             # presets (General first), the last slot any other
    )
    layout, start = {}, 0
    for name, size in parts:
        layout[name] = slice(start, start + size)
        start += size
    return layout


FLAT_LAYOUT: dict[str, slice] = _flat_layout()  # where each part of ``flat`` lies (the rest is zero padding)
# where COMPUTATION_WORDS lie in ``flat`` (the start of its "words" part)
FLAT_COMPUTATION_WORDS = slice(FLAT_LAYOUT["words"].start, FLAT_LAYOUT["words"].start + len(COMPUTATION_WORDS))
if FLAT_LAYOUT["mask"].stop > FLAT_SIZE or N_ACTIONS > MASK_SLOTS:
    raise ImportError(f"the flat observation's parts need {FLAT_LAYOUT['mask'].stop} > {FLAT_SIZE} floats")


def flat_window_index(channel: Channel, d_row: int = 0, d_col: int = 0) -> int:
    """Index in ``flat`` of a grid channel's value at (d_row, d_col) from the cursor (|d| <= WINDOW // 2)."""
    half = WINDOW // 2
    if channel not in WINDOW_CHANNELS or max(abs(d_row), abs(d_col)) > half:
        raise ValueError(f"flat holds channels {[c.name for c in WINDOW_CHANNELS]} within {half} cells of the cursor")
    position = (d_row + half) * WINDOW + (d_col + half)
    return FLAT_LAYOUT["window"].start + WINDOW_CHANNELS.index(channel) * WINDOW * WINDOW + position


# The flat layout of checkpoints and saved agents from before they recorded one (the operation words before "money"
# and the seven that joined it)
LAYOUT_BEFORE_FINGERPRINTS = "31a1084934c4148a"


def flat_fingerprint() -> str:
    """A short hash of what every float of ``flat`` means: its layout, the window's channels, the instruction words
    it counts, the slots, the number-format presets and the macros whose mask it carries.

    A network trained on ``flat`` reads floats by position; a checkpoint records this fingerprint so that a network
    is never given a ``flat`` vector laid out differently from the one it learnt (``sheetrl.train.checkpoint``).
    """
    import hashlib

    from sheetrl.env.actions import MACROS

    described = repr((
        FLAT_SIZE, WINDOW, [(name, part.start, part.stop) for name, part in FLAT_LAYOUT.items()],
        [channel.name for channel in WINDOW_CHANNELS], OPERATION_WORDS, COMPUTATION_WORDS, SLOT_NAMES,
        INSTRUCTION_REFERENCES, list(NUMBER_FORMAT_PRESETS.items()), [macro.name for macro in MACROS],
    ))
    return hashlib.sha256(described.encode()).hexdigest()[:16]
