"""Observations: what an agent sees, as a Gymnasium ``Dict`` of fixed-shape arrays.

Keys (H×W is the observed grid, A1 at the top-left; N the number of macro actions):

``grid`` float32 (C, H, W)
    Channels: 0 empty, 1 number, 2 text, 3 boolean, 4 error, 5 scaled value (sign(x)·log1p(|x|)/5, clipped to
    [-5, 5]; 0 for non-numbers), 6 is a formula, 7 bold, 8 has a non-General number format, 9 cursor,
    10 selection, 11 target cell of the task.
``instruction`` int64 (L,)
    The instruction's word tokens (see :class:`~sheetrl.env.tokens.InstructionVocabulary`), 0-padded.
``cell_tokens`` int64 (H·W, 4)
    Per cell, row by row: [kind (0 empty, 1 number, 2 text, 3 boolean, 4 error, 5 formula), outermost function
    of its formula (index in the engine's sorted function list + 1, else 0), number-format preset index (0 General),
    magnitude bucket (0 for non-numbers, else 1 + clamp(floor(log10|x|) + 8, 0, 30))].
``edges`` int64 (2, E)
    Dependency edges between observed cells (precedent index → formula index, indices row by row), padded with
    H·W (a dummy node) — ready for torch-geometric after dropping the padding.
``formula_chain`` int64 (K,)
    The formula at the cursor, then the formulas it reads (nearest first), as command tokens
    (:mod:`sheetrl.env.tokens`) separated by ``<sep>``, 0-padded: the sequence an LSTM encoder reads.
``flat`` float32 (768,)
    For MLP agents: the 7×7 neighbourhood of the cursor (channels 1–11), cursor position, offset to the next
    target cell, level one-hot, a bag of the instruction's operation words (:data:`OPERATION_WORDS`, one slot
    each, no hashing: "total" and "largest" must not share a feature), which slots the instruction has, the
    first :data:`INSTRUCTION_REFERENCES` cell references of the instruction as corner offsets from the cursor,
    selection state, elapsed fraction of the step budget, and the action mask, zero-padded to 768.
``action_mask`` int8 (N,)
    1 for actions that resolve to a command in this state.

The builder keeps the grid and token arrays between steps and updates only the cells the workbook reports as
changed (``Workbook.track_changes``), so a cursor move costs a few array writes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from enum import IntEnum
from typing import Any

import numpy as np

from sheetrl.env.actions import N_ACTIONS
from sheetrl.env.tasks.base import Task
from sheetrl.sheet.address import make_key, parse_cell, split_key
from sheetrl.sheet.formats import NUMBER_FORMAT_PRESETS
from sheetrl.sheet.functions import FUNCTIONS
from sheetrl.sheet.nodes import Call
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


CHANNELS = len(Channel)
KIND_CHANNELS = (Channel.EMPTY, Channel.NUMBER, Channel.TEXT, Channel.BOOLEAN, Channel.ERROR)  # one is set per cell
CELL_CHANNELS = Channel.NUMBER_FORMAT + 1  # channels 0..8 describe the cell's content (the rest: cursor, task)
WINDOW_CHANNELS = tuple(Channel)[1:]  # the channels of the cursor's neighbourhood in ``flat`` (EMPTY is implied)
SEPARATOR_ID = 4  # "<sep>" in sheetrl.env.tokens.TokenVocabulary
FLAT_SIZE = 768
MASK_SLOTS = N_ACTIONS
WINDOW = 7
SLOT_NAMES = ("value", "threshold", "rate_cell", "lookup_table", "criteria_range", "pivot")
# Words that say which operation an instruction asks for (across the five task families); other words (headers,
# names, months) carry no operation and are left to the token-based encoders.
OPERATION_WORDS: tuple[str, ...] = tuple(dict.fromkeys((
    # aggregates
    "total", "totals", "sum", "sums", "grand", "average", "averages", "mean", "minimum", "smallest", "lowest",
    "least", "maximum", "largest", "highest", "count", "number", "entries", "values",
    # arithmetic
    "divided", "minus", "times", "plus", "ratio", "fraction", "percent", "percentages", "share", "growth", "grow",
    "rate", "difference", "variance", "margin", "running", "far", "balance", "profit", "net", "tax", "gross",
    # single-cell edits and formats
    "enter", "type", "change", "replace", "fix", "typo", "wrong", "missing", "header", "headers", "label", "bold",
    "clear", "empty", "stray", "format", "currency", "decimals",
    # structure
    "formula", "formulas", "fill", "filled", "down", "across", "each", "every", "row", "rows", "column",
    "columns", "select", "pivot", "table", "side", "top", "then", "finally", "also",
    # conditions
    "pass", "fail", "otherwise", "when", "over", "ok",
)))
_OPERATION_IDS = {word: i for i, word in enumerate(OPERATION_WORDS)}
INSTRUCTION_REFERENCES = 3  # cell references of the instruction shown in ``flat``, in order of appearance
_FUNCTION_IDS = {name: i + 1 for i, name in enumerate(sorted(FUNCTIONS))}
_FORMAT_IDS = {code: i for i, code in enumerate(NUMBER_FORMAT_PRESETS.values())}


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


class ObservationBuilder:
    """Builds observations for one environment, incrementally."""

    def __init__(self, rows: int, cols: int, instruction_length: int, max_edges: int, chain_length: int) -> None:
        self.rows = rows
        self.cols = cols
        self.instruction_length = instruction_length
        self.max_edges = max_edges
        self.chain_length = chain_length
        self.grid = np.zeros((CHANNELS, rows, cols), dtype=np.float32)
        self.cell_tokens = np.zeros((rows * cols, 4), dtype=np.int64)
        self.edges = np.full((2, max_edges), rows * cols, dtype=np.int64)
        self.instruction = np.zeros(instruction_length, dtype=np.int64)
        self._graph_version = -1
        self._cursor: tuple[int, int] | None = None
        self._selection: tuple[int, int, int, int] | None = None
        self._static = np.zeros(5 + len(OPERATION_WORDS) + len(SLOT_NAMES), dtype=np.float32)
        self._targets: list[tuple[int, int]] = []
        self._references: list[tuple[int, int, int, int]] = []

    # ------------------------------------------------------------------------------------------------- episode
    def reset(self, wb: Workbook, task: Task, instruction_tokens: np.ndarray, cursor: tuple[int, int]) -> None:
        """Full rebuild for a new episode."""
        self.grid.fill(0.0)
        self.grid[Channel.EMPTY].fill(1.0)
        self.cell_tokens.fill(0)
        self._graph_version = -1
        self._cursor = None
        self._selection = None
        self.instruction[:] = 0
        n = min(len(instruction_tokens), self.instruction_length)
        self.instruction[:n] = instruction_tokens[:n]
        self._targets = []
        for address in task.target_cells:
            cell = parse_cell(address)
            if cell.row < self.rows and cell.col < self.cols:
                self.grid[Channel.TARGET, cell.row, cell.col] = 1.0
                self._targets.append((cell.row, cell.col))
        self._targets.sort()
        static = np.zeros_like(self._static)
        static[task.level - 1] = 1.0
        for word in re.findall(r"[a-z]+", task.instruction.lower()):
            index = _OPERATION_IDS.get(word)
            if index is not None:
                static[5 + index] = 1.0
        for i, slot in enumerate(SLOT_NAMES):
            static[5 + len(OPERATION_WORDS) + i] = 1.0 if slot in task.slots else 0.0
        self._static = static
        self._references = task.references[:INSTRUCTION_REFERENCES]
        self.refresh_cells(wb, None)

    def refresh_cells(self, wb: Workbook, changed: set[int] | None) -> None:
        """Update the cells in ``changed`` (keys), or every cell of the grid when None / ALL_CHANGED is in it."""
        values = wb.value_map()
        formats = wb.format_map()
        sheet = wb.sheet_id()
        if changed is None or ALL_CHANGED in changed:
            self.grid[:CELL_CHANNELS].fill(0.0)
            self.grid[Channel.EMPTY].fill(1.0)
            self.cell_tokens.fill(0)
            keys: Iterable[int] = wb.sheet_keys(sheet)
        else:
            keys = changed
        rows, cols = self.rows, self.cols
        grid, tokens = self.grid, self.cell_tokens
        for key in keys:
            sid, row, col = split_key(key)
            if sid != sheet or row >= rows or col >= cols:
                continue
            value = values.get(key)
            node = wb.formula_node_at(key)
            fmt = formats.get(key)
            kind = _kind(value, node is not None)
            value_kind = _kind(value, False)
            grid[KIND_CHANNELS[0]:KIND_CHANNELS[-1] + 1, row, col] = 0.0
            grid[KIND_CHANNELS[value_kind], row, col] = 1.0
            grid[Channel.VALUE, row, col] = scale_value(value) if type(value) is float else 0.0
            grid[Channel.FORMULA, row, col] = 1.0 if node is not None else 0.0
            grid[Channel.BOLD, row, col] = 1.0 if fmt is not None and fmt.bold else 0.0
            grid[Channel.NUMBER_FORMAT, row, col] = 1.0 if fmt is not None and fmt.number_format != "General" else 0.0
            index = row * cols + col
            tokens[index, 0] = kind
            tokens[index, 1] = _FUNCTION_IDS.get(node.name, 0) if type(node) is Call else 0
            tokens[index, 2] = _FORMAT_IDS.get(fmt.number_format, len(_FORMAT_IDS)) if fmt is not None else 0
            if type(value) is float and value != 0.0:
                tokens[index, 3] = 1 + min(30, max(0, math.floor(math.log10(abs(value))) + 8))
            else:
                tokens[index, 3] = 0
        if wb.graph_version != self._graph_version:
            self._rebuild_edges(wb)
            self._graph_version = wb.graph_version

    def _rebuild_edges(self, wb: Workbook) -> None:
        rows, cols = self.rows, self.cols
        pad = rows * cols
        self.edges.fill(pad)
        count = 0
        sheet = wb.sheet_id()
        for key in sorted(wb.formula_keys()):
            sid, row, col = split_key(key)
            if sid != sheet or row >= rows or col >= cols:
                continue
            target = row * cols + col
            for precedent in sorted(wb.precedent_keys(key)):
                psid, prow, pcol = split_key(precedent)
                if psid != sheet or prow >= rows or pcol >= cols:
                    continue
                if count >= self.max_edges:
                    return
                self.edges[0, count] = prow * cols + pcol
                self.edges[1, count] = target
                count += 1

    # ---------------------------------------------------------------------------------------------------- step
    def set_cursor(self, cursor: tuple[int, int], selection: tuple[int, int, int, int]) -> None:
        if self._cursor is not None:
            self.grid[Channel.CURSOR, self._cursor[0], self._cursor[1]] = 0.0
        if self._selection is not None:
            r1, c1, r2, c2 = self._selection
            self.grid[Channel.SELECTION, r1 : r2 + 1, c1 : c2 + 1] = 0.0
        r, c = cursor
        if r < self.rows and c < self.cols:
            self.grid[Channel.CURSOR, r, c] = 1.0
        r1, c1, r2, c2 = selection
        self.grid[Channel.SELECTION, r1 : min(r2, self.rows - 1) + 1, c1 : min(c2, self.cols - 1) + 1] = 1.0
        self._cursor = cursor
        self._selection = selection

    def formula_chain(self, wb: Workbook, cursor: tuple[int, int],
                      encode: Callable[[str], list[int]] | None) -> np.ndarray:
        """Token ids of the cursor's formula and the formulas it reads, nearest first (see module docstring)."""
        chain = np.zeros(self.chain_length, dtype=np.int64)
        key = make_key(wb.sheet_id(), *cursor)
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

    def flat(self, mask: np.ndarray, step_fraction: float, anchor: tuple[int, int] | None) -> np.ndarray:
        """The 768-float vector for MLP agents."""
        out = np.zeros(FLAT_SIZE, dtype=np.float32)
        r, c = self._cursor if self._cursor is not None else (0, 0)
        half = WINDOW // 2
        padded = np.zeros((len(WINDOW_CHANNELS), WINDOW, WINDOW), dtype=np.float32)
        r0, r1 = max(0, r - half), min(self.rows, r + half + 1)
        c0, c1 = max(0, c - half), min(self.cols, c + half + 1)
        padded[:, r0 - (r - half) : r1 - (r - half), c0 - (c - half) : c1 - (c - half)] = self.grid[WINDOW_CHANNELS[0]:, r0:r1, c0:c1]
        size = padded.size
        out[:size] = padded.ravel()
        i = size
        out[i] = r / self.rows
        out[i + 1] = c / self.cols
        later = [t for t in self._targets if t >= (r, c)] or self._targets
        if later:
            tr, tc = later[0]
            out[i + 2] = (tr - r) / self.rows
            out[i + 3] = (tc - c) / self.cols
            out[i + 4] = 1.0 if (tr, tc) == (r, c) else 0.0
        i += 5
        out[i : i + len(self._static)] = self._static
        i += len(self._static)
        if anchor is not None:
            out[i] = 1.0
            out[i + 1] = (anchor[0] - r) / self.rows
            out[i + 2] = (anchor[1] - c) / self.cols
        out[i + 3] = step_fraction
        i += 4
        for r1, c1, r2, c2 in self._references:  # offsets clipped: a reference far outside the grid stays bounded
            out[i] = 1.0
            out[i + 1] = min(2.0, max(-2.0, (r1 - r) / self.rows))
            out[i + 2] = min(2.0, max(-2.0, (c1 - c) / self.cols))
            out[i + 3] = min(2.0, max(-2.0, (r2 - r) / self.rows))
            out[i + 4] = min(2.0, max(-2.0, (c2 - c) / self.cols))
            i += 5
        i += 5 * (INSTRUCTION_REFERENCES - len(self._references))
        out[i : i + len(mask)] = mask
        return out


def _flat_layout() -> dict[str, slice]:
    parts = (
        ("window", len(WINDOW_CHANNELS) * WINDOW * WINDOW),  # WINDOW_CHANNELS of the 7x7 window, channel-major
        ("cursor", 5),  # row, col, next-target d_row, d_col, on target
        ("level", 5),  # one-hot
        ("words", len(OPERATION_WORDS)),
        ("slots", len(SLOT_NAMES)),
        ("selection", 4),  # anchor set, anchor d_row, d_col, step fraction
        ("references", 5 * INSTRUCTION_REFERENCES),  # per reference: present, d_row1, d_col1, d_row2, d_col2
        ("mask", MASK_SLOTS),
    )
    layout, start = {}, 0
    for name, size in parts:
        layout[name] = slice(start, start + size)
        start += size
    return layout


FLAT_LAYOUT: dict[str, slice] = _flat_layout()  # where each part of ``flat`` lies (the rest is zero padding)


def flat_window_index(channel: Channel, d_row: int = 0, d_col: int = 0) -> int:
    """Index in ``flat`` of a grid channel's value at (d_row, d_col) from the cursor (|d| <= WINDOW // 2)."""
    half = WINDOW // 2
    if channel not in WINDOW_CHANNELS or max(abs(d_row), abs(d_col)) > half:
        raise ValueError(f"flat holds channels {[c.name for c in WINDOW_CHANNELS]} within {half} cells of the cursor")
    position = (d_row + half) * WINDOW + (d_col + half)
    return FLAT_LAYOUT["window"].start + WINDOW_CHANNELS.index(channel) * WINDOW * WINDOW + position
assert FLAT_LAYOUT["mask"].stop <= FLAT_SIZE
assert N_ACTIONS <= MASK_SLOTS
