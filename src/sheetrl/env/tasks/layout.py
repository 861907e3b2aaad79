"""Sheets laid out as people lay them out: where tables go and what surrounds them.

:class:`LayoutConfig` (``EnvConfig.layout``) sets how varied generated sheets are: their size (up to 200 rows x 40
columns, larger than the observed window, which follows the cursor), and how often a table has blank spacer rows
or columns, subtotal rows, numeric headers (years) or quarter headers ("Q1", which an instruction must not mistake
for a cell), a title, notes and distractor numbers beside it, a second unrelated table, number formats, text that
looks like numbers (codes), and data on a second sheet.

A :class:`Canvas` remembers which cells are taken (with a one-cell margin), so tables, notes and the cells a task
needs never touch. :class:`Table` is the row-label x numeric-columns table the first three levels share.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field, fields
from typing import Any

from sheetrl.env.tasks.base import GRID_COLS, GRID_ROWS
from sheetrl.env.tasks.split import Structure
from sheetrl.sheet import Workbook
from sheetrl.sheet.address import cell_name, quote_sheet_name

MAX_SHEET_ROWS = 1000
MAX_SHEET_COLS = 100


@dataclass(frozen=True)
class LayoutConfig:
    """How varied generated sheets are (probabilities per task; every feature can be switched off with 0)."""

    max_rows: int = 200  # sheets are drawn between the observed window's size and this many rows
    max_cols: int = 40  # ... and this many columns
    spacers: float = 0.3  # blank spacer rows or columns inside a table
    subtotals: float = 0.2  # subtotal rows inside a table (level 2: fill in a missing subtotal)
    numeric_headers: float = 0.3  # years (numbers) or quarters ("Q1") as column headers
    titles: float = 0.7  # a title above the table
    notes: float = 0.6  # a note and a labelled distractor number next to the data
    extra_tables: float = 0.4  # a second, unrelated table on the sheet
    second_sheet: float = 0.3  # levels 4: the data on a sheet of its own (summary or pivot elsewhere)
    number_formats: float = 0.4  # number formats on the data columns
    text_numbers: float = 0.2  # row labels that are codes written as text ("1042")

    def __post_init__(self) -> None:
        for name, low, high in (("max_rows", GRID_ROWS, MAX_SHEET_ROWS), ("max_cols", GRID_COLS, MAX_SHEET_COLS)):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise ValueError(f"layout.{name} must be an integer in [{low}, {high}], not {value!r}")
        for item in fields(self):
            if item.name.startswith("max_"):
                continue
            value = getattr(self, item.name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0.0 <= value <= 1.0:
                raise ValueError(f"layout.{item.name} is a probability in [0, 1], not {value!r}")


def new_workbook(sheets: list[str]) -> Workbook:
    """An empty workbook for a generated task: no undo history (nobody undoes a generator's writes)."""
    wb = Workbook(sheets)
    wb.record_undo = False
    return wb


def sheet_extent(rng: random.Random, config: LayoutConfig, min_rows: int, min_cols: int) -> tuple[int, int]:
    """(rows, columns) of a task's sheet: at least the observed window and what the content needs."""
    rows_low, cols_low = max(GRID_ROWS, min_rows), max(GRID_COLS, min_cols)
    rows = rng.randint(rows_low, max(rows_low, config.max_rows))
    cols = rng.randint(cols_low, max(cols_low, config.max_cols))
    return rows, cols


class Canvas:
    """The cells of one sheet that are taken; new blocks keep a one-cell margin from them."""

    def __init__(self, rows: int, cols: int) -> None:
        self.rows = rows
        self.cols = cols
        self.taken: list[tuple[int, int, int, int]] = []  # inclusive rectangles

    def take(self, top: int, left: int, bottom: int, right: int) -> None:
        self.taken.append((top, left, bottom, right))

    def fits(self, top: int, left: int, bottom: int, right: int, margin: int = 1) -> bool:
        if top < 0 or left < 0 or bottom >= self.rows or right >= self.cols:
            return False
        for taken_top, taken_left, taken_bottom, taken_right in self.taken:
            if (top <= taken_bottom + margin and bottom >= taken_top - margin
                    and left <= taken_right + margin and right >= taken_left - margin):
                return False
        return True

    def place(self, rng: random.Random, height: int, width: int, near: tuple[int, int, int, int] | None = None,
              tries: int = 60) -> tuple[int, int] | None:
        """A free top-left cell for a height x width block (near a rectangle when given), or None."""
        for _ in range(tries):
            if near is not None:
                near_top, near_left, near_bottom, near_right = near
                side = rng.randrange(4)
                gap = rng.randint(2, 3)
                if side == 0:  # right of it
                    top, left = rng.randint(near_top, max(near_top, near_bottom - height + 1)), near_right + gap
                elif side == 1:  # below it
                    top, left = near_bottom + gap, rng.randint(near_left, max(near_left, near_right - width + 1))
                elif side == 2:  # left of it
                    top = rng.randint(near_top, max(near_top, near_bottom - height + 1))
                    left = near_left - gap - width + 1
                else:  # above it
                    top = near_top - gap - height + 1
                    left = rng.randint(near_left, max(near_left, near_right - width + 1))
            else:
                top = rng.randrange(max(1, self.rows - height + 1))
                left = rng.randrange(max(1, self.cols - width + 1))
            if self.fits(top, left, top + height - 1, left + width - 1):
                self.take(top, left, top + height - 1, left + width - 1)
                return top, left
        return None


# ---------------------------------------------------------------------------------------------- distractors
NOTES = ("Source: finance export", "All figures in USD", "Draft, do not share", "Prepared by the planning team",
         "Checked by J. Okafor", "Figures are provisional", "See the notes tab", "Confidential",
         "Updated monthly", "Amounts exclude VAT")
DISTRACTORS = (("Budget cap", 50000.0), ("Exchange rate", 1.08), ("Headcount", 42.0), ("Target", 12500.0),
               ("Discount", 0.05), ("Version", 3.0), ("Year", 2024.0), ("Threshold", 250.0), ("Reviewed", 7.0))
EXTRA_TABLES = (
    ("Contacts", ("Name", "Phone"), (("Ana", "555-0101"), ("Raj", "555-0147"), ("Li", "555-0190"),
                                     ("Tom", "555-0123"))),
    ("Exchange rates", ("Currency", "Rate"), (("EUR", 1.08), ("GBP", 1.27), ("JPY", 0.0067), ("CHF", 1.12))),
    ("Targets", ("Quarter", "Goal"), (("Q1", 120.0), ("Q2", 135.0), ("Q3", 150.0), ("Q4", 170.0))),
    ("Office hours", ("Day", "Hours"), (("Mon", 8.0), ("Tue", 8.0), ("Wed", 6.0), ("Thu", 8.0), ("Fri", 5.0))),
    ("Holidays", ("Date", "Holiday"), (("Jan 1", "New Year"), ("May 1", "Labour Day"), ("Dec 25", "Christmas"))),
)
DISTRACTOR_WORDS = tuple(w for text in NOTES for w in text.split()) + tuple(
    w for label, _ in DISTRACTORS for w in label.split()) + tuple(
    w for title, headers, rows in EXTRA_TABLES for text in (title, *headers, *(str(c) for r in rows for c in r))
    for w in str(text).split())


def add_surroundings(wb: Workbook, sheet: str, canvas: Canvas, rng: random.Random, config: LayoutConfig,
                     main: tuple[int, int, int, int]) -> list[str]:
    """Notes, a labelled distractor number next to the main block, and maybe an unrelated table elsewhere, each
    with probabilities from ``config``; returns the cells written (all are protected: the agent must leave them)."""
    written: list[str] = []
    prefix = quote_sheet_name(sheet) + "!"

    def put(row: int, col: int, value: Any) -> None:
        wb.set(prefix + cell_name(row, col), value)
        written.append(cell_name(row, col))

    with wb.batch():
        _surround(wb, canvas, rng, config, main, put)
    return written


def _surround(wb: Workbook, canvas: Canvas, rng: random.Random, config: LayoutConfig,
              main: tuple[int, int, int, int], put: Any) -> None:

    if rng.random() < config.notes:
        spot = canvas.place(rng, 1, 1, near=main)
        if spot is not None:
            put(*spot, rng.choice(NOTES))
        spot = canvas.place(rng, 1, 2, near=main)
        if spot is not None:
            label, number = rng.choice(DISTRACTORS)
            put(spot[0], spot[1], label)
            put(spot[0], spot[1] + 1, number)
    if rng.random() < config.extra_tables:
        title, headers, rows = rng.choice(EXTRA_TABLES)
        spot = canvas.place(rng, len(rows) + 2, len(headers))
        if spot is not None:
            top, left = spot
            put(top, left, title)
            for j, header in enumerate(headers):
                put(top + 1, left + j, header)
            for i, row in enumerate(rows):
                for j, value in enumerate(row):
                    put(top + 2 + i, left + j, value)


# ---------------------------------------------------------------------------------------------------- tables
@dataclass
class Table:
    """A table of row labels x data columns placed on a sheet.

    Data row ``i`` lies on sheet row :meth:`row` (blank spacer rows come before the data rows listed in
    ``row_gaps``; subtotal rows after the data rows listed in ``subtotal_after``), data column ``j`` on sheet
    column :meth:`col` (blank spacer columns before those in ``col_gaps``). The key column is column ``left``,
    the header row is row ``top``, the title (if any) two rows above.
    """

    top: int
    left: int
    key_header: str
    headers: list[Any]  # data column headers (text, or numbers such as years)
    keys: list[Any]
    values: list[list[Any]]  # values[i][j]: data row i, data column j (None: empty)
    title: str | None = None
    row_gaps: tuple[int, ...] = ()
    col_gaps: tuple[int, ...] = ()
    subtotal_after: tuple[int, ...] = ()  # a subtotal row follows these data rows (the last closes the last group)
    subtotal_label: str = "Subtotal"
    formats: list[str | None] = field(default_factory=list)  # number format preset per data column
    numeric: list[bool] = field(default_factory=list)  # which data columns hold numbers (subtotals sum them)

    @property
    def n_rows(self) -> int:
        return len(self.keys)

    @property
    def n_cols(self) -> int:
        return len(self.headers)

    def row(self, i: int) -> int:
        """Sheet row of data row ``i``."""
        gaps = sum(1 for g in self.row_gaps if g <= i)
        subtotals = sum(1 for s in self.subtotal_after if s < i)
        return self.top + 1 + i + gaps + subtotals

    def col(self, j: int) -> int:
        """Sheet column of data column ``j``."""
        return self.left + 1 + j + sum(1 for g in self.col_gaps if g <= j)

    def subtotal_row(self, group: int) -> int:
        """Sheet row of the subtotal row that closes group ``group`` (0-based)."""
        return self.row(self.subtotal_after[group]) + 1

    def groups(self) -> list[tuple[int, int]]:
        """(first, last) data rows of each subtotal group."""
        out, first = [], 0
        for last in self.subtotal_after:
            out.append((first, last))
            first = last + 1
        return out

    @property
    def bottom(self) -> int:
        last = self.row(self.n_rows - 1)
        return last + (1 if self.subtotal_after and self.subtotal_after[-1] == self.n_rows - 1 else 0)

    @property
    def right(self) -> int:
        return self.col(self.n_cols - 1)

    @property
    def box(self) -> tuple[int, int, int, int]:
        """(top, left, bottom, right) including the title."""
        return (self.top - 2 if self.title else self.top), self.left, self.bottom, self.right

    def cell(self, i: int, j: int) -> str:
        return cell_name(self.row(i), self.col(j))

    def column_range(self, j: int, first: int = 0, last: int | None = None) -> str:
        last = self.n_rows - 1 if last is None else last
        return f"{cell_name(self.row(first), self.col(j))}:{cell_name(self.row(last), self.col(j))}"

    def row_range(self, i: int) -> str:
        return f"{cell_name(self.row(i), self.col(0))}:{cell_name(self.row(i), self.col(self.n_cols - 1))}"

    def column_cells(self, j: int, first: int = 0, last: int | None = None) -> list[str]:
        last = self.n_rows - 1 if last is None else last
        return [self.cell(i, j) for i in range(first, last + 1)]

    def write(self, wb: Workbook, sheet: str) -> None:
        """Title, header, data, subtotal formulas (SUM over their group) and number formats, as one block."""
        prefix = quote_sheet_name(sheet) + "!"
        width = self.right - self.left + 1
        block: list[list[Any]] = [[None] * width for _ in range(self.bottom - self.top + 1)]
        block[0][0] = self.key_header
        for j, header in enumerate(self.headers):
            block[0][self.col(j) - self.left] = header
        for i, key in enumerate(self.keys):
            line = block[self.row(i) - self.top]
            line[0] = key
            for j, value in enumerate(self.values[i]):
                line[self.col(j) - self.left] = value
        for group, (first, last) in enumerate(self.groups()):
            line = block[self.subtotal_row(group) - self.top]
            line[0] = self.subtotal_label
            for j in range(self.n_cols):
                if not self.numeric or self.numeric[j]:
                    line[self.col(j) - self.left] = f"=SUM({self.column_range(j, first, last)})"
        with wb.batch():
            if self.title:
                wb.set(prefix + cell_name(self.top - 2, self.left), self.title)
            for i, line in enumerate(block):  # runs of filled cells (a new sheet needs no writes of blanks)
                j = 0
                while j < width:
                    if line[j] is None:
                        j += 1
                        continue
                    end = j
                    while end < width and line[end] is not None:
                        end += 1
                    wb.set_range(prefix + cell_name(self.top + i, self.left + j), [line[j:end]])
                    j = end
        for j, preset in enumerate(self.formats):
            if preset:
                wb.set_format(f"{prefix}{cell_name(self.top + 1, self.col(j))}:{cell_name(self.bottom, self.col(j))}",
                              number_format=preset)


def place_table(structure: Structure, rng: random.Random, extent: tuple[int, int], height: int, width: int,
                space_below: int = 0, space_right: int = 0) -> tuple[int, int]:
    """Top-left cell (the header row's first cell) for a block of ``height`` x ``width`` cells (title included
    above it when ``height`` counts it) that leaves ``space_below`` rows and ``space_right`` columns free inside the
    sheet, from the split's part of the positions."""
    rows, cols = extent
    tops = range(max(1, rows - height - space_below + 1))
    lefts = range(max(1, cols - width - space_right + 1))
    return structure.position("table", tops, lefts)
