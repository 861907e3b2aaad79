"""Level 4 — pivot tables: summarize a table of records by a category.

A data table (8-20 records, 3-5 columns under a header row: sales orders, expenses, stock, timesheets, exam
results) is summarized by one category with an aggregation. The records sit anywhere on a sheet larger than the
observed window; with ``LayoutConfig.second_sheet`` they live on a sheet of their own ("Data") and the summary goes
on the task's sheet ("Report"), or the instruction asks for the pivot table on a new sheet the agent must add.
Sub-templates (:data:`TEMPLATES`):

``pivot_rows``
    A pivot table at a named anchor: one row per label of the row field, the sum / count / average / minimum /
    maximum of a value field, and a Grand Total row. Slot ``pivot`` = {"source", "rows", "values", "aggregation",
    "columns": None} (column letters; the source names its sheet when it is not the task's).
``summary_formulas``
    The labels are already listed in a summary area; the agent fills the column beside them with SUMIF / COUNTIF /
    AVERAGEIF formulas (slots ``criteria_range`` and ``sum_range``), and for sums and counts sometimes totals them
    below.
``pivot_two_way``
    As ``pivot_rows`` with a column field as well: row labels down the side, column labels across the top, grand
    totals on the right and at the bottom.

Targets of the pivot templates are every cell of the rendered table in the layout of :mod:`sheetrl.sheet.pivot`:
headers and labels as plain value targets, aggregated numbers with ``dynamic=True`` and ``formula=False``. A
pivot table and an equivalent formula table both refresh when the data changes; typed numbers do not. The checker
rescales the values (sums, averages), moves their extremes (minimum, maximum) and relabels a record's category
(every answer, counts included), so typed-in numbers fail every aggregation.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Any

from sheetrl.env.tasks.base import SHEET, Target, Task
from sheetrl.env.tasks.expert import ExpertBuilder, finish
from sheetrl.env.tasks.layout import (
    Canvas,
    LayoutConfig,
    add_surroundings,
    new_workbook,
    sheet_extent,
)
from sheetrl.env.tasks.split import Structure
from sheetrl.sheet.address import cell_name, column_letters, quote_sheet_name

FAMILY = "pivot_table"
LEVEL = 4
TEMPLATES = ("pivot_rows", "summary_formulas", "pivot_two_way")
MAX_RECORDS = 20
MIN_RECORDS = 8
REPORT, DATA, SUMMARY = "Report", "Data", "Summary"


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
    Dataset(
        "Store sales", "sale",
        (
            ("Store", ("101", "102", "205", "310", "412")),  # store numbers are codes, written as text
            ("Channel", ("Online", "In store", "Phone")),
        ),
        (("Revenue", 100, 8000), ("Items", 1, 40)),
    ),
)

# How each aggregation is said in an instruction ("... showing the total Sales").
AGGREGATION_WORDS = {"sum": "total", "average": "average", "min": "lowest", "max": "highest", "count": "number of"}
PIVOT_AGGREGATIONS = ("sum", "average", "min", "max", "count")
FORMULA_AGGREGATIONS = ("sum", "count", "average")
FORMULA_MACROS = {"sum": "sumif_left", "count": "countif_left", "average": "averageif_left"}
SUMMARY_HEADINGS = {"sum": "Total {value}", "average": "Average {value}", "count": "Count"}
PIVOT_PERTURBATIONS = {"sum": ("rescale", "flip"), "average": ("rescale", "flip"), "count": ("flip",),
                       "min": ("rescale", "extreme", "flip"), "max": ("rescale", "extreme", "flip")}

# The instruction wordings; the last two of each are held out for the ood split.
PHRASINGS: dict[str, tuple[str, ...]] = {
    "pivot_rows": (
        ("Create a pivot table of the {title} in {source} with its top-left cell at {anchor}: one row per {rows} "
        "showing the {agg} {values}, with a Grand Total row."),
        "Summarize {source} in a pivot table at {anchor}, by {rows}, with the {agg} {values}.",
        "Build a pivot table at {anchor} from {source}: {rows} as rows, the {agg} {values} as values.",
        "At {anchor}, add a pivot table that gives the {agg} {values} for each {rows} of {source}.",
        "Pivot the {title} ({source}) by {rows}; show the {agg} {values}. Put it at {anchor}.",
        "Insert a pivot table anchored at {anchor} listing each {rows} of {source} with its {agg} {values}.",
        "From the records in {source}, make a pivot table at {anchor} grouping by {rows} ({agg} {values}).",
    ),
    "pivot_two_way": (
        ("Create a pivot table of the {title} in {source} with its top-left cell at {anchor}: {rows} down the "
        "side, {columns} across the top, and the {agg} {values} in each cell, with grand totals."),
        ("Summarize {source} in a pivot table at {anchor} with {rows} as rows, {columns} as columns and the {agg} "
        "{values} as values."),
        "Build a cross-tab pivot at {anchor} from {source}: {rows} by {columns}, showing the {agg} {values}.",
        ("At {anchor}, add a pivot table of {source} with a row per {rows} and a column per {columns}, giving "
        "the {agg} {values}."),
        "Pivot the {title} ({source}) by {rows} and {columns}; show the {agg} {values}. Put it at {anchor}.",
        ("Insert a two-way pivot table at {anchor}: {rows} on the rows, {columns} on the columns, the {agg} "
        "{values} of {source}."),
        "From {source}, make a pivot table at {anchor} crossing {rows} with {columns} ({agg} {values}).",
    ),
    "summary": (
        ("The {rows} names are listed in {labels}. In {cells}, enter formulas that give the {agg} {values} for "
        "each {rows} in the table {source}."),
        ("Next to the labels in {labels}, fill {cells} with formulas for the {agg} {values} of each {rows} "
        "(data in {source})."),
        "For every {rows} in {labels}, compute the {agg} {values} from {source} with a formula in {cells}.",
        ("{cells} should hold formulas giving, for each {rows} listed in {labels}, the {agg} {values} in "
        "{source}."),
        "Use conditional formulas in {cells} for the {agg} {values} per {rows} ({labels}) of {source}.",
        "Beside {labels}, put formulas in {cells} that return each {rows}'s {agg} {values} from {source}.",
        "Fill {cells} with formulas: the {agg} {values} of the {source} rows matching each {rows} in {labels}.",
    ),
    "summary_count": (
        ("The {rows} names are listed in {labels}. In {cells}, enter formulas that count the {record} rows for "
        "each {rows} in the table {source}."),
        ("Next to the labels in {labels}, fill {cells} with formulas counting the {record} rows of each {rows} "
        "(data in {source})."),
        "For every {rows} in {labels}, count its rows in {source} with a formula in {cells}.",
        ("{cells} should hold formulas giving, for each {rows} listed in {labels}, how many {record} rows of "
        "{source} it has."),
        "Use counting formulas in {cells} for the number of {record} rows per {rows} ({labels}) of {source}.",
        "Beside {labels}, put formulas in {cells} that count each {rows}'s rows in {source}.",
        "Fill {cells} with formulas: how many rows of {source} match each {rows} in {labels}.",
    ),
    "summary_total": (
        " Then put the sum of {cells} in {total}.",
        " Then total {cells} in {total}.",
        " Finally sum {cells} in {total}.",
        " Also add up {cells} in {total}.",
        " {total} gets the total of {cells}.",
        " Below them, in {total}, put the sum of {cells}.",
        " End with the total of {cells} in {total}.",
    ),
    "new_sheet": (
        " Put the pivot table on a new sheet named {sheet}.",
        " The pivot table goes on a new sheet called {sheet}.",
        " Add a sheet named {sheet} for it.",
        " Create it on a new sheet, {sheet}.",
        " It belongs on a sheet of its own named {sheet}.",
        " Make a new sheet {sheet} to hold it.",
        " Place it on a fresh sheet titled {sheet}.",
    ),
}

# Template x aggregation combinations; the held-out ones are only ever generated for the ood split.
COMBINATIONS = (*(("pivot_rows", a) for a in PIVOT_AGGREGATIONS),
                *(("summary_formulas", a) for a in FORMULA_AGGREGATIONS),
                *(("pivot_two_way", a) for a in PIVOT_AGGREGATIONS))
HELD_OUT_COMBINATIONS = frozenset({("pivot_rows", "max"), ("summary_formulas", "average"),
                                   ("pivot_two_way", "count"), ("pivot_two_way", "min")})


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z]+", re.sub(r"\{[a-z]+\}", " ", text))}


def _vocabulary() -> list[str]:
    words: set[str] = set()
    for phrasings in PHRASINGS.values():
        for text in phrasings:
            words |= _words(text)
    for dataset in DATASETS:
        words |= _words(dataset.title) | _words(dataset.record)
        for header, labels in dataset.categories:
            words |= _words(header)
            for label in labels:
                words |= _words(label)
        words |= {w for header, _, _ in dataset.measures for w in _words(header)}
    for phrase in AGGREGATION_WORDS.values():
        words |= _words(phrase)
    for text in (*SUMMARY_HEADINGS.values(), REPORT, DATA, SUMMARY, "Grand Total", "Sum of", "Count of",
                 "Average of", "Min of", "Max of"):
        words |= _words(text)
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
    sheet: str = SHEET

    @property
    def bottom(self) -> int:
        return self.top + len(self.records)

    @property
    def right(self) -> int:
        return self.left + len(self.headers) - 1

    @property
    def local_source(self) -> str:
        return f"{cell_name(self.top, self.left)}:{cell_name(self.bottom, self.right)}"

    def qualified(self, area: str, task_sheet: str) -> str:
        """An area of the table, with the table's sheet name when it is not the task's sheet."""
        return area if self.sheet == task_sheet else f"{quote_sheet_name(self.sheet)}!{area}"

    def letter(self, index: int) -> str:
        return column_letters(self.left + index)

    def column_cells(self, index: int) -> str:
        """The data cells (no header) of one field, e.g. "E2:E15"."""
        col = self.left + index
        return f"{cell_name(self.top + 1, col)}:{cell_name(self.bottom, col)}"

    def field_addresses(self, index: int) -> list[str]:
        col = self.left + index
        return [cell_name(r, col) for r in range(self.top + 1, self.bottom + 1)]


def _make_table(rng: random.Random, dataset: Dataset, two_way: bool) -> Table:
    """Records of 3-5 fields: a row field whose 2-5 chosen labels all occur at least twice (for a two-way
    summary also a column field with 2-4 labels, every pair of labels occurring at least twice), a value field, and
    other fields of the dataset."""
    categories = rng.sample(dataset.categories, len(dataset.categories))
    row_field = categories[0]
    column_field = categories[1] if two_way else None
    measure = rng.choice(dataset.measures)
    required = [row_field] + ([column_field] if column_field else [])
    spare: list[tuple[str, tuple[Any, ...]]] = [("category", c) for c in categories[len(required):]]
    spare += [("measure", m) for m in dataset.measures if m is not measure]
    rng.shuffle(spare)
    extra = spare[: max(0, rng.randint(3, 5) - len(required) - 1)]
    chosen_categories = required + [field for kind, field in extra if kind == "category"]
    chosen_measures = [measure] + [field for kind, field in extra if kind == "measure"]
    rng.shuffle(chosen_categories)

    row_labels = rng.sample(row_field[1], rng.randint(2, min(4 if two_way else 5, len(row_field[1]))))
    col_labels = rng.sample(column_field[1], rng.randint(2, min(4, len(column_field[1])))) if column_field else [None]
    # every (row, column) pair at least twice: relabelling one record (the checker's flip) never empties a cell
    pairs = [(r, c) for r in row_labels for c in col_labels] * 2
    n_records = rng.randint(max(MIN_RECORDS, len(pairs)), max(MAX_RECORDS, len(pairs)))
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
        record += [float(rng.randint(low, high)) for _, low, high in chosen_measures]
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


class Scene:
    """Where the records and the summary go (sheets, positions), and the workbook being built."""

    def __init__(self, rng: random.Random, structure: Structure, config: LayoutConfig, table: Table,
                 dataset: Dataset, height: int, width: int, pivot: bool) -> None:
        self.rng, self.config, self.table = rng, config, table
        data_height, data_width = len(table.records) + 1, len(table.headers)
        self.arrangement = "same"
        if rng.random() < config.second_sheet:
            self.arrangement = "new_sheet" if pivot and rng.random() < 0.5 else "data_sheet"
        title = rng.random() < config.titles
        self.extent = sheet_extent(rng, config, data_height + height + 8, data_width + width + 6)
        rows, cols = self.extent
        if self.arrangement == "same":
            # records, then the summary right of them or below them (a gap of one or two cells)
            below = rng.random() < 0.4
            need_rows = data_height + (2 if title else 0) + (height + 2 if below else 0)
            need_cols = data_width + (0 if below else width + 2)
            top, left = structure.position("table", range(rows - need_rows), range(cols - need_cols))
            table.top, table.left = top + (2 if title else 0), left
            gap = rng.randint(1, 2)
            if below:
                self.anchor = (table.bottom + 1 + gap, table.left + rng.randint(0, max(0, data_width - width)))
            else:
                self.anchor = (table.top + rng.randint(0, 2), table.right + 1 + gap)
            self.sheets = [SHEET]
            table.sheet = self.task_sheet = SHEET
        else:
            top, left = structure.position("table", range(rows - data_height - 2), range(cols - data_width))
            table.top, table.left = top + (2 if title else 0), left
            if self.arrangement == "data_sheet":  # the records on "Data", the summary on the task's "Report"
                self.sheets = [REPORT, DATA]
                table.sheet, self.task_sheet = DATA, REPORT
                self.anchor = (rng.randint(0, 6), rng.randint(0, 4))
            else:  # the records on the task's sheet, the pivot table on a new "Summary" sheet
                self.sheets = [SHEET]
                table.sheet = self.task_sheet = SHEET
                self.anchor = (rng.randint(0, 3), rng.randint(0, 3))
        self.title = dataset.title if title else None
        self.wb = new_workbook(self.sheets)
        self.summary_sheet = SUMMARY if self.arrangement == "new_sheet" else self.task_sheet

    def write(self, height: int, width: int) -> None:
        """Write the records (and title), and the surroundings of the records and of the summary."""
        table, wb = self.table, self.wb
        prefix = quote_sheet_name(table.sheet) + "!"
        if self.title:
            wb.set(prefix + cell_name(table.top - 2, table.left), self.title)
        wb.set_range(prefix + cell_name(table.top, table.left), [table.headers, *table.records])
        canvas = Canvas(*self.extent)
        box = (table.top - (2 if self.title else 0), table.left, table.bottom, table.right)
        canvas.take(*box)
        if self.summary_sheet == table.sheet:
            canvas.take(self.anchor[0], self.anchor[1], self.anchor[0] + height - 1, self.anchor[1] + width - 1)
        add_surroundings(wb, table.sheet, canvas, self.rng, self.config, box)

    def address(self, row: int, col: int) -> str:
        """A summary cell, with its sheet name when it is not the task's sheet."""
        cell = cell_name(row, col)
        return cell if self.summary_sheet == self.task_sheet else f"{quote_sheet_name(self.summary_sheet)}!{cell}"


def _pivot_task(rng: random.Random, seed: int, structure: Structure, config: LayoutConfig, template: str,
                aggregation: str) -> Task:
    dataset = rng.choice(DATASETS)
    two_way = template == "pivot_two_way"
    if two_way and len(dataset.categories) < 2:
        dataset = DATASETS[0]
    table = _make_table(rng, dataset, two_way)
    height, width = len(table.row_labels) + 2, len(table.column_labels) + 2
    scene = Scene(rng, structure, config, table, dataset, height, width, pivot=True)
    scene.write(height, width)
    source = table.qualified(table.local_source, scene.task_sheet) if scene.arrangement != "new_sheet" else \
        f"{quote_sheet_name(table.sheet)}!{table.local_source}"
    spec = {
        "source": source,
        "rows": table.letter(table.rows_index),
        "values": table.letter(table.values_index),
        "aggregation": aggregation,
        "columns": table.letter(table.columns_index) if table.columns_index is not None else None,
    }
    anchor = scene.address(*scene.anchor)
    words = {
        "title": dataset.title.lower(), "source": source, "anchor": anchor,
        "rows": table.headers[table.rows_index], "values": table.headers[table.values_index],
        "agg": AGGREGATION_WORDS[aggregation],
        "columns": table.headers[table.columns_index] if table.columns_index is not None else "",
    }
    instruction = structure.phrasing(template, PHRASINGS[template]).format(**words)
    slots: dict[str, Any] = {"pivot": spec}
    if scene.arrangement == "new_sheet":
        instruction += structure.phrasing("new_sheet", PHRASINGS["new_sheet"]).format(sheet=SUMMARY)
        slots["new_sheet"] = SUMMARY
        anchor = cell_name(*scene.anchor)  # named without its sheet: the sheet is named in words
    targets = []
    for dr in range(height):
        for dc in range(width):
            is_number = dr > 0 and dc > 0
            targets.append(Target(scene.address(scene.anchor[0] + dr, scene.anchor[1] + dc), dynamic=is_number))
    criteria = [table.qualified(a, scene.task_sheet) for a in table.field_addresses(table.rows_index)]
    if table.columns_index is not None:
        criteria += [table.qualified(a, scene.task_sheet) for a in table.field_addresses(table.columns_index)]
    task = Task(
        FAMILY, LEVEL, template, seed, scene.wb, instruction, targets, [],
        inputs=[table.qualified(a, scene.task_sheet) for a in table.field_addresses(table.values_index)],
        slots=slots, sheet=scene.task_sheet, perturbations=PIVOT_PERTURBATIONS[aggregation], criteria=criteria,
        extent=scene.extent, named=[source, anchor], structure=structure.record,
    )
    builder = ExpertBuilder(task)
    if scene.arrangement == "new_sheet":
        builder.do("new_sheet_instructed")
    builder.go(cell_name(*scene.anchor)).do("pivot_instructed")
    return finish(task, builder)


def _summary_task(rng: random.Random, seed: int, structure: Structure, config: LayoutConfig,
                  aggregation: str) -> Task:
    dataset = rng.choice(DATASETS)
    table = _make_table(rng, dataset, two_way=False)
    n_labels = len(table.row_labels)
    with_total = aggregation != "average" and rng.random() < 0.6
    height = 1 + n_labels + (1 if with_total else 0)
    scene = Scene(rng, structure, config, table, dataset, height, 2, pivot=False)
    scene.write(height, 2)
    head_row, label_col = scene.anchor
    value_col = label_col + 1
    labels = rng.sample(table.row_labels, len(table.row_labels))
    first, last = head_row + 1, head_row + n_labels
    rows_header = table.headers[table.rows_index]
    values_header = table.headers[table.values_index]
    prefix = quote_sheet_name(scene.task_sheet) + "!"
    summary: list[list[str | None]] = [[rows_header, SUMMARY_HEADINGS[aggregation].format(value=values_header)]]
    summary += [[label, None] for label in labels]
    if with_total:
        summary.append(["Total", None])
    for dr, (label, _) in enumerate(summary):
        scene.wb.set(prefix + cell_name(head_row + dr, label_col), label)
    scene.wb.set(prefix + cell_name(head_row, value_col), summary[0][1])
    source = table.qualified(table.local_source, scene.task_sheet)
    cells = f"{cell_name(first, value_col)}:{cell_name(last, value_col)}"
    label_range = f"{cell_name(first, label_col)}:{cell_name(last, label_col)}"
    words = {
        "rows": rows_header, "labels": label_range, "cells": cells, "agg": AGGREGATION_WORDS[aggregation],
        "values": values_header, "source": source, "record": dataset.record,
    }
    group = "summary_count" if aggregation == "count" else "summary"
    instruction = structure.phrasing(group, PHRASINGS[group]).format(**words)
    criteria_range = table.qualified(table.column_cells(table.rows_index), scene.task_sheet)
    sum_range = table.qualified(table.column_cells(table.values_index), scene.task_sheet)
    reads = (criteria_range,) if aggregation == "count" else (criteria_range, sum_range)
    targets = [Target(cell_name(r, value_col), formula=True, dynamic=True, reads=reads)
               for r in range(first, last + 1)]
    named = [label_range, cells, source]
    if with_total:
        total = cell_name(last + 1, value_col)
        instruction += structure.phrasing("summary_total", PHRASINGS["summary_total"]).format(cells=cells,
                                                                                               total=total)
        targets.append(Target(total, formula=True, dynamic=True, reads=(cells,)))
        named.append(total)
    task = Task(
        FAMILY, LEVEL, "summary_formulas", seed, scene.wb, instruction, targets, [],
        inputs=[table.qualified(a, scene.task_sheet) for a in table.field_addresses(table.values_index)],
        slots={"criteria_range": criteria_range, "sum_range": sum_range}, sheet=scene.task_sheet,
        perturbations=("rescale", "flip"),
        criteria=[table.qualified(a, scene.task_sheet) for a in table.field_addresses(table.rows_index)],
        may_read=[label_range], extent=scene.extent, named=named, structure=structure.record,
    )
    builder = ExpertBuilder(task).go(cell_name(first, value_col)).do(FORMULA_MACROS[aggregation])
    if n_labels > 1:
        builder.do("fill_down")
    if with_total:
        builder.aggregate("SUM", cells, total, [ref.text for ref in task.references].index(cells))
    return finish(task, builder)


def generate(rng: random.Random, seed: int, structure: Structure, layout: LayoutConfig) -> Task:
    """A pivot-table task (deterministic in ``rng`` and ``seed``)."""
    template = rng.choice(TEMPLATES)
    options = [c for c in COMBINATIONS if c[0] == template]
    _, aggregation = structure.combination(template, [c for c in options if c not in HELD_OUT_COMBINATIONS],
                                           [c for c in options if c in HELD_OUT_COMBINATIONS])
    if template == "summary_formulas":
        return _summary_task(rng, seed, structure, layout, aggregation)
    return _pivot_task(rng, seed, structure, layout, template, aggregation)
