"""Level 4 — pivot tables: summarize a table of records by a category.

A data table (8-20 records, 3-5 columns under a header row: sales orders, expenses, stock, timesheets, exam
results) is summarized by one category with an aggregation. Sub-templates (:data:`TEMPLATES`):

``pivot_rows``
    A pivot table at a named anchor: one row per label of the row field, the sum / average / minimum / maximum of a
    value field, and a Grand Total row. Slot ``pivot`` = {"source", "rows", "values", "aggregation", "columns": None}
    (column letters). Expert: ``next_target`` (the anchor is the first target in reading order),
    ``pivot_instructed``, ``done``.
``summary_formulas``
    The labels are already listed in a summary area; the agent fills the column beside them with SUMIF / COUNTIF /
    AVERAGEIF formulas (slots ``criteria_range`` and ``sum_range``), and for sums and counts sometimes totals them
    below. Expert: ``next_target``, ``sumif_left`` / ``countif_left`` / ``averageif_left``, ``fill_down``
    (then ``jump_down``, ``sum_above`` for the total), ``done``.
``pivot_two_way``
    As ``pivot_rows`` with a column field as well: row labels down the side, column labels across the top, grand
    totals on the right and at the bottom. Every (row, column) pair has at least one record, so no cell of the
    rendered table is blank.

Targets of the pivot templates are every cell of the rendered table in the layout of :mod:`sheetrl.sheet.pivot`
(header row, one line per label sorted as Excel sorts them, Grand Total): headers and labels as plain value
targets, aggregated numbers with ``dynamic=True`` and ``formula=False``. Because the checker compares values and
then how they follow perturbed inputs, it accepts a pivot table and, equally, a formula table with the same layout
(typed headers and labels, SUMIF / AVERAGEIF / SUMIFS... formulas): both refresh when the data changes, while
typed numbers do not. The summary-formula template asks for formulas, so its targets have ``formula=True``.

The aggregation "count" is offered only with formulas (COUNTIF): a count does not change when the numbers of the
table are perturbed, so a pivot's typed-in counts could not be told apart from a live pivot table. Inputs are the
cells of the value column.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from sheetrl.env.tasks.base import Target, Task
from sheetrl.sheet import Workbook
from sheetrl.sheet.address import cell_name, column_letters

FAMILY = "pivot_table"
LEVEL = 4
TEMPLATES = ("pivot_rows", "summary_formulas", "pivot_two_way")
MAX_RECORDS = 20
MIN_RECORDS = 8


@dataclass(frozen=True)
class Dataset:
    """A kind of record table: category columns (header, possible labels) and number columns (header, range)."""

    title: str
    record: str  # what one row is, e.g. "order"
    categories: tuple[tuple[str, tuple[str, ...]], ...]
    measures: tuple[tuple[str, int, int], ...]


DATASETS: tuple[Dataset, ...] = (
    Dataset(
        "Sales orders", "order",
        (
            ("Region", ("East", "West", "North", "South", "Central")),
            ("Product", ("Laptops", "Tablets", "Phones", "Monitors", "Printers")),
            ("Rep", ("Alice", "Bruno", "Chen", "Dana", "Emeka", "Farah")),
            ("Quarter", ("Q1", "Q2", "Q3", "Q4")),
        ),
        (("Sales", 250, 9000), ("Units", 1, 80)),
    ),
    Dataset(
        "Expense report", "expense",
        (
            ("Department", ("Marketing", "Finance", "Operations", "Support", "Legal")),
            ("Category", ("Travel", "Software", "Supplies", "Training", "Catering")),
            ("Month", ("Jan", "Feb", "Mar", "Apr", "May", "Jun")),
        ),
        (("Amount", 40, 4000),),
    ),
    Dataset(
        "Stock levels", "item",
        (
            ("Warehouse", ("Dallas", "Denver", "Boston", "Seattle", "Atlanta")),
            ("Item", ("Bolts", "Brackets", "Cables", "Fans", "Filters", "Valves")),
            ("Supplier", ("Acme", "Globex", "Initech", "Vandelay")),
        ),
        (("Quantity", 5, 600), ("Value", 100, 12000)),
    ),
    Dataset(
        "Timesheets", "entry",
        (
            ("Team", ("Design", "Engineering", "Support", "Research")),
            ("Employee", ("Grace", "Hiro", "Ines", "Jonas", "Kofi", "Lena")),
            ("Week", ("W1", "W2", "W3", "W4")),
        ),
        (("Hours", 4, 45), ("Overtime", 0, 12)),
    ),
    Dataset(
        "Exam results", "result",
        (
            ("Class", ("Blue", "Green", "Red", "Yellow")),
            ("Subject", ("Math", "Science", "English", "History", "Art")),
            ("Term", ("Fall", "Spring", "Summer")),
        ),
        (("Score", 35, 100),),
    ),
)

# How each aggregation is said in an instruction ("... showing the total Sales").
AGGREGATION_WORDS = {"sum": "total", "average": "average", "min": "lowest", "max": "highest", "count": "number of"}
PIVOT_AGGREGATIONS = ("sum", "average", "min", "max")
FORMULA_AGGREGATIONS = ("sum", "count", "average")
FORMULA_MACROS = {"sum": "sumif_left", "count": "countif_left", "average": "averageif_left"}
PIVOT_EXPERT = ("next_target", "pivot_instructed", "done")  # the anchor is the first target in reading order
SUMMARY_HEADINGS = {"sum": "Total {value}", "average": "Average {value}", "count": "Count"}

PIVOT_ROWS_TEXT = (
    "Create a pivot table of the {title} in {source} with its top-left cell at {anchor}: one row per {rows} showing "
    "the {agg} {values}, with a Grand Total row."
)
PIVOT_TWO_WAY_TEXT = (
    "Create a pivot table of the {title} in {source} with its top-left cell at {anchor}: {rows} down the side, "
    "{columns} across the top, and the {agg} {values} in each cell, with grand totals."
)
SUMMARY_TEXT = (
    "The {rows} names are listed in {labels}. In {cells}, enter formulas that give the {agg} {values} for each "
    "{rows} in the table {source}."
)
SUMMARY_COUNT_TEXT = (
    "The {rows} names are listed in {labels}. In {cells}, enter formulas that count the {record} rows for each "
    "{rows} in the table {source}."
)
SUMMARY_TOTAL_TEXT = " Then put the sum of {cells} in {total}."


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z]+", re.sub(r"\{[a-z]+\}", " ", text))}


def _vocabulary() -> list[str]:
    words: set[str] = set()
    for text in (PIVOT_ROWS_TEXT, PIVOT_TWO_WAY_TEXT, SUMMARY_TEXT, SUMMARY_COUNT_TEXT, SUMMARY_TOTAL_TEXT):
        words |= _words(text)
    for dataset in DATASETS:
        words |= _words(dataset.title) | _words(dataset.record)
        words |= {w for header, _ in dataset.categories for w in _words(header)}
        words |= {w for header, _, _ in dataset.measures for w in _words(header)}
    for phrase in AGGREGATION_WORDS.values():
        words |= _words(phrase)
    return sorted(words)


VOCABULARY: list[str] = _vocabulary()


@dataclass
class Table:
    """A generated record table: where it is and what field plays which role."""

    top: int  # 0-based row of the header
    left: int  # 0-based column of the first field
    headers: list[str]
    records: list[list[object]]
    rows_index: int  # field indexes within the table
    values_index: int
    columns_index: int | None
    row_labels: list[str]  # the labels of the row field that occur, in no particular order
    column_labels: list[str]  # likewise for the column field (empty without one)

    @property
    def bottom(self) -> int:
        return self.top + len(self.records)

    @property
    def right(self) -> int:
        return self.left + len(self.headers) - 1

    @property
    def source(self) -> str:
        return f"{cell_name(self.top, self.left)}:{cell_name(self.bottom, self.right)}"

    def letter(self, index: int) -> str:
        return column_letters(self.left + index)

    def column_cells(self, index: int) -> str:
        """The data cells (no header) of one field, e.g. "E2:E15"."""
        col = self.left + index
        return f"{cell_name(self.top + 1, col)}:{cell_name(self.bottom, col)}"

    def value_addresses(self) -> list[str]:
        col = self.left + self.values_index
        return [cell_name(r, col) for r in range(self.top + 1, self.bottom + 1)]


def _make_table(rng: random.Random, dataset: Dataset, two_way: bool) -> Table:
    """Records of 3-5 fields: a row field whose 2-5 chosen labels all occur (for a two-way summary also a column field
    with 2-4 labels, every pair of labels occurring), a value field, and other fields of the dataset."""
    categories = rng.sample(dataset.categories, len(dataset.categories))
    row_field = categories[0]
    column_field = categories[1] if two_way else None
    measure = rng.choice(dataset.measures)
    required = [row_field] + ([column_field] if column_field else [])
    spare: list[tuple[str, tuple]] = [("category", c) for c in categories[len(required):]]
    spare += [("measure", m) for m in dataset.measures if m is not measure]
    rng.shuffle(spare)
    extra = spare[: max(0, rng.randint(3, 5) - len(required) - 1)]
    chosen_categories = required + [field for kind, field in extra if kind == "category"]
    chosen_measures = [measure] + [field for kind, field in extra if kind == "measure"]
    rng.shuffle(chosen_categories)

    row_labels = rng.sample(row_field[1], rng.randint(2, min(4 if two_way else 5, len(row_field[1]))))
    col_labels = rng.sample(column_field[1], rng.randint(2, min(4, len(column_field[1])))) if column_field else [None]
    pairs = [(r, c) for r in row_labels for c in col_labels]
    n_records = rng.randint(max(MIN_RECORDS, len(pairs)), MAX_RECORDS)
    pairs += [(rng.choice(row_labels), rng.choice(col_labels)) for _ in range(n_records - len(pairs))]
    rng.shuffle(pairs)
    records = []
    for row_label, col_label in pairs:
        record: list[object] = []
        for field in chosen_categories:
            if field is row_field:
                record.append(row_label)
            elif field is column_field:
                record.append(col_label)
            else:
                record.append(rng.choice(field[1]))
        record += [rng.randint(low, high) for _, low, high in chosen_measures]
        records.append(record)
    headers = [header for header, _ in chosen_categories] + [header for header, _, _ in chosen_measures]
    return Table(
        top=0, left=0, headers=headers, records=records,
        rows_index=headers.index(row_field[0]),
        values_index=headers.index(measure[0]),
        columns_index=headers.index(column_field[0]) if column_field else None,
        row_labels=row_labels,
        column_labels=[label for label in col_labels if label is not None],
    )


def _place(rng: random.Random, table: Table, height: int, width: int) -> tuple[int, int]:
    """Move the table (title row above it or not, column A or B) and choose the summary's top-left cell, to the
    right of the data or below it, so that everything fits the 24 x 12 grid."""
    options = []
    for top in (0, 1, 2):
        for left in (0, 1):
            bottom = top + len(table.records)
            right = left + len(table.headers) - 1
            for gap in (1, 2):
                for shift in (0, 1, 2):
                    row, col = top + shift, right + 1 + gap
                    if col + width <= 12 and row + height <= 24:
                        options.append((top, left, row, col))
            row = bottom + 2
            if row + height <= 24 and left + width <= 12:
                options.append((top, left, row, left))
    top, left, row, col = rng.choice(options)
    table.top, table.left = top, left
    return row, col


def _workbook(table: Table, title: str) -> Workbook:
    wb = Workbook()
    if table.top > 0:
        wb.set(cell_name(0, table.left), title)
    wb.set_range(cell_name(table.top, table.left), [table.headers, *table.records])
    return wb


def _pivot_task(rng: random.Random, seed: int, template: str) -> Task:
    dataset = rng.choice(DATASETS)
    two_way = template == "pivot_two_way"
    table = _make_table(rng, dataset, two_way)
    height, width = len(table.row_labels) + 2, len(table.column_labels) + 2
    anchor_row, anchor_col = _place(rng, table, height, width)
    aggregation = rng.choice(PIVOT_AGGREGATIONS)
    anchor = cell_name(anchor_row, anchor_col)
    spec = {
        "source": table.source,
        "rows": table.letter(table.rows_index),
        "values": table.letter(table.values_index),
        "aggregation": aggregation,
        "columns": table.letter(table.columns_index) if table.columns_index is not None else None,
    }
    words = {
        "title": dataset.title.lower(), "source": table.source, "anchor": anchor,
        "rows": table.headers[table.rows_index], "values": table.headers[table.values_index],
        "agg": AGGREGATION_WORDS[aggregation],
        "columns": table.headers[table.columns_index] if table.columns_index is not None else "",
    }
    instruction = (PIVOT_TWO_WAY_TEXT if two_way else PIVOT_ROWS_TEXT).format(**words)
    targets = []
    for dr in range(height):
        for dc in range(width):
            is_number = dr > 0 and dc > 0
            targets.append(Target(cell_name(anchor_row + dr, anchor_col + dc), dynamic=is_number))
    task = Task(
        family=FAMILY, level=LEVEL, template=template, seed=seed, workbook=_workbook(table, dataset.title),
        instruction=instruction, targets=targets, expert_actions=list(PIVOT_EXPERT), inputs=table.value_addresses(),
        slots={"pivot": spec}, max_steps=_max_steps(PIVOT_EXPERT),
    )
    return _with_expected_values(task)


def _summary_task(rng: random.Random, seed: int) -> Task:
    dataset = rng.choice(DATASETS)
    aggregation = rng.choice(FORMULA_AGGREGATIONS)
    table = _make_table(rng, dataset, two_way=False)
    n_labels = len(table.row_labels)
    with_total = aggregation != "average" and rng.random() < 0.6
    height = 1 + n_labels + (1 if with_total else 0)
    head_row, label_col = _place(rng, table, height, 2)
    value_col = label_col + 1
    labels = rng.sample(table.row_labels, len(table.row_labels))
    first, last = head_row + 1, head_row + n_labels
    rows_header = table.headers[table.rows_index]
    values_header = table.headers[table.values_index]
    wb = _workbook(table, dataset.title)
    summary = [[rows_header, SUMMARY_HEADINGS[aggregation].format(value=values_header)]]
    summary += [[label, None] for label in labels]
    if with_total:
        summary.append(["Total", None])
    for dr, (label, _) in enumerate(summary):
        wb.set(cell_name(head_row + dr, label_col), label)
    wb.set(cell_name(head_row, value_col), summary[0][1])
    cells = f"{cell_name(first, value_col)}:{cell_name(last, value_col)}"
    words = {
        "rows": rows_header, "labels": f"{cell_name(first, label_col)}:{cell_name(last, label_col)}",
        "cells": cells, "agg": AGGREGATION_WORDS[aggregation], "values": values_header,
        "source": table.source, "record": dataset.record,
    }
    instruction = (SUMMARY_COUNT_TEXT if aggregation == "count" else SUMMARY_TEXT).format(**words)
    targets = [Target(cell_name(r, value_col), formula=True, dynamic=True) for r in range(first, last + 1)]
    expert = ["next_target", FORMULA_MACROS[aggregation], "fill_down"]
    if with_total:
        total = cell_name(last + 1, value_col)
        instruction += SUMMARY_TOTAL_TEXT.format(cells=cells, total=total)
        targets.append(Target(total, formula=True, dynamic=True))
        expert += ["jump_down", "sum_above"]
    expert.append("done")
    task = Task(
        family=FAMILY, level=LEVEL, template="summary_formulas", seed=seed, workbook=wb, instruction=instruction,
        targets=targets, expert_actions=expert, inputs=table.value_addresses(),
        slots={"criteria_range": table.column_cells(table.rows_index),
               "sum_range": table.column_cells(table.values_index)},
        max_steps=_max_steps(expert),
    )
    return _with_expected_values(task)


def _max_steps(expert: Sequence[str]) -> int:
    """Room for exploration: 2.5 times the expert's length, and at least 10 steps more."""
    return max(len(expert) + 10, 5 * len(expert) // 2)


def _with_expected_values(task: Task) -> Task:
    """Fill in each target's expected value from the expert's solution (the engine computes every number)."""
    solution = task.solution
    task.targets = [replace(t, expected=solution.value(t.address)) for t in task.targets]
    missing = [t.address for t in task.targets if t.expected is None]
    if missing:
        raise RuntimeError(f"{task.family}/{task.template} seed {task.seed}: the expert leaves {missing} empty")
    return task


def generate(rng: random.Random, seed: int) -> Task:
    """A pivot-table task (deterministic in ``rng`` and ``seed``)."""
    template = rng.choice(TEMPLATES)
    if template == "summary_formulas":
        return _summary_task(rng, seed)
    return _pivot_task(rng, seed, template)
