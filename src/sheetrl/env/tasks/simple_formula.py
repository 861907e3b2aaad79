"""Level 2 — one formula in one named cell, over the range the instruction names.

Sub-templates (:data:`TEMPLATES`):

- ``column_aggregate``: SUM / AVERAGE / MIN / MAX / COUNT of one column of a table, in the cell below it; in a
  table with subtotal rows, the missing subtotal of one group.
- ``row_aggregate``: the same over one row, in the cell right of it.
- ``cell_arithmetic``: one formula combining two neighbouring cells — a row of a two-column table (Units × Price,
  Actual − Budget, growth, ratio, sum) or a stacked summary block (Revenue − Expenses, Visitors → conversion rate).
- ``selected_range_aggregate``: the target sits in a summary cell away from the data.

The named range may hold a blank spacer row or column, sit under a numeric header (a year) or above a distractor:
the block next to the target is then *not* the instructed range, and the checker's ``reads`` condition and its
``fill_gap`` perturbation tell them apart. The expert uses the AutoSum-like macro (``sum_above``...) only when the
block next to the target is exactly the named range, and otherwise selects the range the instruction names
(``select_reference_N``), marks it, goes to the target and writes ``<agg>_selection``.

Every target requires a formula that reads the named range (``reads``) and follows the inputs under the
perturbations that can change its kind of answer: rescaling (sums, averages, arithmetic), blanking an input (sums
and averages: a hard-coded count fails; counts), moving the extreme (minimum, maximum), replacing an input by text
(counts), a number in a spacer cell (all).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from sheetrl.env.tasks.base import SHEET, Target, Task
from sheetrl.env.tasks.expert import ExpertBuilder, finish
from sheetrl.env.tasks.layout import (
    Canvas,
    LayoutConfig,
    add_surroundings,
    new_workbook,
    place_table,
    sheet_extent,
)
from sheetrl.env.tasks.split import Structure
from sheetrl.env.tasks.tables import choose_kind, draw_table, words_of_kinds
from sheetrl.sheet.address import cell_name
from sheetrl.sheet.values import number_to_text

FAMILY = "simple_formula"
LEVEL = 2
TEMPLATES = ("column_aggregate", "row_aggregate", "cell_arithmetic", "selected_range_aggregate")
AGGREGATES = ("SUM", "AVERAGE", "MIN", "MAX", "COUNT")
AGGREGATE_PHRASES = {
    "SUM": ("total", "sum"),
    "AVERAGE": ("average", "mean"),
    "MIN": ("minimum", "smallest value"),
    "MAX": ("maximum", "largest value"),
    "COUNT": ("number of entries", "count of values"),
}
AGGREGATE_LABELS = {"SUM": "Total", "AVERAGE": "Average", "MIN": "Lowest", "MAX": "Highest", "COUNT": "Count"}
PERTURBATIONS = {
    "SUM": ("rescale", "blank", "fill_gap"),  # blank: an entry deleted (a hard-coded count, =AVERAGE(r)*8, fails)
    "AVERAGE": ("rescale", "blank", "fill_gap"),  # =SUM(r)/8 agrees under every rescaling, not once one is gone
    "MIN": ("rescale", "extreme", "fill_gap"),
    "MAX": ("rescale", "extreme", "fill_gap"),
    "COUNT": ("blank", "text", "fill_gap"),
}

# The instruction wordings, by sub-template; the last two of each are held out for the ood split.
PHRASINGS: dict[str, tuple[str, ...]] = {
    "column_aggregate": (
        "In {target}, enter a formula for the {phrase} of {header} ({area}).",
        "Put a formula in {target} that gives the {phrase} of {area}.",
        "Use a formula in {target} to compute the {phrase} of the {header} column, {area}.",
        "{target} should show the {phrase} of {area}: write the formula.",
        "Compute the {phrase} of {area} with a formula in {target}.",
        "Below the {header} column, in {target}, add a formula for the {phrase} of {area}.",
        "Write a formula into {target} returning the {phrase} over {area}.",
    ),
    "subtotal": (
        "In {target}, enter the missing subtotal of {area} ({group} group) as a formula.",
        "The subtotal in {target} is missing: put a formula summing {area} there.",
        "Fill in the subtotal {target} with a formula over {area}.",
        "Complete the subtotal row: {target} should be the formula total of {area}.",
        "Write the formula for the subtotal of {area} in {target}.",
        "{target} needs its subtotal: a formula adding up {area}.",
        "Restore the subtotal in {target} as a sum formula of {area}.",
    ),
    "row_aggregate": (
        "In {target}, enter a formula for the {phrase} of {area} ({key}).",
        "Put a formula in {target} that gives the {phrase} of the {noun} for {key}, {area}.",
        "Use a formula in {target} to compute the {phrase} of row {row}, {area}.",
        "{target} should show the {phrase} of {area}: write the formula.",
        "Compute the {phrase} of {key}'s {noun} ({area}) with a formula in {target}.",
        "Next to the row for {key}, in {target}, add a formula for the {phrase} of {area}.",
        "Write a formula into {target} returning the {phrase} across {area}.",
    ),
    "cell_arithmetic": (
        "In {target}, enter a formula for {description}.",
        "For {subject}, put a formula in {target} that gives {description}.",
        "Use a formula in {target} to work out {description}.",
        "{target} should hold a formula for {description} ({subject}).",
        "Write the formula for {description} into {target}.",
        "Calculate {description} for {subject} with a formula in {target}.",
        "Add a formula to {target} computing {description}.",
    ),
    "selected_range_aggregate": (
        "In {target}, enter a formula for the {phrase} of {area} ({subject}).",
        "Select {area} and put a formula for its {phrase} in {target}.",
        "The summary cell {target} should show the {phrase} of {area}.",
        "Put the {phrase} of {subject}, {area}, in {target} as a formula.",
        "Use a formula in {target} to compute the {phrase} of {area}.",
        "In the summary cell {target}, write a formula giving the {phrase} of {area}.",
        "Compute the {phrase} of the {subject} figures in {area}; the formula goes in {target}.",
    ),
}


@dataclass(frozen=True)
class PairSpec:
    """Two inputs and the one formula that combines them.

    :param first: label of the input farther from the result; ``second`` the nearer one.
    :param macro: the macro that writes the formula from the result cell.
    :param describe: instruction text for the result; ``{first}``/``{second}`` are the input cells.
    """

    first: str
    second: str
    result: str
    macro: str
    describe: str
    keys: tuple[str, ...]
    first_range: tuple[float, float]
    second_range: tuple[float, float]
    decimals: int = 0
    key_header: str = ""


PRODUCTS = ("Laptop", "Tablet", "Monitor", "Printer", "Router", "Headset", "Keyboard", "Webcam", "Speaker")
PEOPLE = ("Alice Moreno", "Ben Carter", "Chloe Nguyen", "David Okafor", "Emma Schulz", "Grace Kim", "Hugo Laurent")
DIVISIONS = ("North", "South", "East", "West", "Central", "Retail", "Wholesale", "Online")

ROW_PAIRS = (
    PairSpec("Units", "Unit price", "Revenue", "left_product", "the revenue, {first} times {second}", PRODUCTS,
             (5, 400), (9.99, 1499.99), 2, "Item"),
    PairSpec("Hours", "Hourly rate", "Pay", "left_product", "the pay, hours {first} times rate {second}", PEOPLE,
             (10, 45), (15, 65), 2, "Employee"),
    PairSpec("Budget", "Actual", "Variance", "left_difference", "the variance, {second} minus {first}", DIVISIONS,
             (5000, 90000), (4000, 95000), key_header="Division"),
    PairSpec("Last year", "This year", "Growth", "left_growth",
             "the growth from last year {first} to this year {second}, as a fraction of last year", DIVISIONS,
             (20000, 400000), (18000, 460000), key_header="Division"),
    PairSpec("Target", "Achieved", "Progress", "left_ratio", "the progress, {second} divided by {first}", PEOPLE,
             (50, 400), (10, 420), key_header="Employee"),
    PairSpec("Online", "In store", "Total sales", "left_sum", "the total sales, {first} plus {second}", PRODUCTS,
             (100, 9000), (100, 12000), key_header="Item"),
)
STACKED_PAIRS = (
    PairSpec("Revenue", "Expenses", "Net income", "above_difference", "the net income, {first} minus {second}",
             (), (40000, 250000), (20000, 180000)),
    PairSpec("Budget", "Spent", "Remaining", "above_difference", "what remains, {first} minus {second}",
             (), (5000, 60000), (1000, 50000)),
    PairSpec("Units sold", "Price per unit", "Revenue", "above_product", "the revenue, {first} times {second}",
             (), (50, 5000), (4.99, 199.99), 2),
    PairSpec("Opening balance", "Deposits", "Closing balance", "above_sum",
             "the closing balance, {first} plus {second}", (), (1000, 50000), (100, 20000)),
    PairSpec("Visitors", "Sign-ups", "Conversion rate", "above_ratio",
             "the conversion rate, {second} divided by {first}", (), (2000, 90000), (20, 1500)),
)
PERIODS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Q1", "Q2", "Q3", "Q4")

# Template x function (or pair) combinations; a quarter of them are only ever generated for the ood split.
COMBINATIONS = (
    *((template, function) for template in ("column_aggregate", "row_aggregate", "selected_range_aggregate")
      for function in AGGREGATES),
    *(("cell_arithmetic", spec.result + "/" + spec.macro) for spec in ROW_PAIRS + STACKED_PAIRS),
)
HELD_OUT_COMBINATIONS = frozenset(combo for i, combo in enumerate(COMBINATIONS) if i % 4 == 3)


# --------------------------------------------------------------------------------------------------- helpers
def draw_number(rng: random.Random, bounds: tuple[float, float], decimals: int) -> float:
    low, high = bounds
    if decimals:
        return round(rng.uniform(low, high), decimals)
    return float(rng.randint(int(low), int(high)))


def _text(value: object) -> str:
    return number_to_text(value) if isinstance(value, float) else str(value)


class Sheet:
    """A table placed on a new workbook, with room below and right of it for the task's cells."""

    def __init__(self, rng: random.Random, structure: Structure, layout: LayoutConfig, spare: int,
                 subtotals: bool = False) -> None:
        kind, numeric_headers = choose_kind(rng, layout, numeric_only=True)
        self.kind = kind
        self.table = draw_table(rng, structure, layout, kind, numeric_headers, allow_subtotals=subtotals)
        top_, left_, bottom, right = self.table.box
        height, width = bottom - top_ + 1, right - left_ + 1
        self.extent = sheet_extent(rng, layout, height + spare + 4, width + spare + 4)
        top, left = place_table(structure, rng, self.extent, height, width, spare + 1, spare + 1)
        self.table.top, self.table.left = top + (2 if self.table.title else 0), left
        self.canvas = Canvas(*self.extent)
        self.canvas.take(*self.table.box)
        self.wb = new_workbook([SHEET])
        self.rng = rng
        self.layout = layout

    def write(self, reserved: list[tuple[int, int]]) -> None:
        """Write the table, keep the task's cells free, and add the surroundings."""
        for row, col in reserved:
            self.canvas.take(row, col, row, col)
        self.table.write(self.wb, SHEET)
        add_surroundings(self.wb, SHEET, self.canvas, self.rng, self.layout, self.table.box)


def aggregate_task(template: str, seed: int, structure: Structure, sheet: Sheet, function: str, target: str,
                   area: str, instruction: str, inputs: list[str]) -> Task:
    """A one-formula aggregate task whose expert writes ``=FUNCTION(area)`` at ``target``."""
    task = Task(FAMILY, LEVEL, template, seed, sheet.wb, instruction,
                [Target(target, formula=True, dynamic=True, reads=(area,))], [],
                inputs=[a for a in inputs if sheet.wb.value(f"{SHEET}!{a}") is not None],
                extent=sheet.extent, named=[area, target], perturbations=PERTURBATIONS[function],
                structure=structure.record)
    reference = [ref.text for ref in task.references].index(area)
    builder = ExpertBuilder(task).aggregate(function, area, target, reference)
    return finish(task, builder)


# ---------------------------------------------------------------------------------------------- sub-templates
def column_aggregate(rng: random.Random, seed: int, structure: Structure, layout: LayoutConfig,
                     function: str) -> Task:
    sheet = Sheet(rng, structure, layout, spare=2, subtotals=function == "SUM")
    table = sheet.table
    column = rng.randrange(table.n_cols)
    header = _text(table.headers[column])
    if table.subtotal_after:  # a subtotal row lost one of its formulas
        group = rng.randrange(len(table.subtotal_after))
        first, last = table.groups()[group]
        row = table.subtotal_row(group)
        target = cell_name(row, table.col(column))
        area = table.column_range(column, first, last)
        sheet.write([])
        sheet.wb.clear(f"{SHEET}!{target}")
        instruction = structure.phrasing("subtotal", PHRASINGS["subtotal"]).format(
            target=target, area=area, group=_text(table.keys[first]))
        inputs = table.column_cells(column, first, last)
        return aggregate_task("column_aggregate", seed, structure, sheet, function, target, area, instruction,
                              inputs)
    target_row = table.bottom + 1
    target = cell_name(target_row, table.col(column))
    label = rng.random() < 0.6
    sheet.write([(target_row, table.left), (target_row, table.col(column))])
    if label:
        sheet.wb.set(f"{SHEET}!{cell_name(target_row, table.left)}", AGGREGATE_LABELS[function])
    area = table.column_range(column)
    instruction = structure.phrasing("column_aggregate", PHRASINGS["column_aggregate"]).format(
        target=target, phrase=rng.choice(AGGREGATE_PHRASES[function]), header=header, area=area)
    return aggregate_task("column_aggregate", seed, structure, sheet, function, target, area, instruction,
                          table.column_cells(column))


def row_aggregate(rng: random.Random, seed: int, structure: Structure, layout: LayoutConfig, function: str) -> Task:
    sheet = Sheet(rng, structure, layout, spare=2)
    table = sheet.table
    index = rng.randrange(table.n_rows)
    row = table.row(index)
    target_col = table.right + 1
    target = cell_name(row, target_col)
    sheet.write([(table.top, target_col), (row, target_col)])
    if rng.random() < 0.6:
        sheet.wb.set(f"{SHEET}!{cell_name(table.top, target_col)}", AGGREGATE_LABELS[function])
    area = table.row_range(index)
    instruction = structure.phrasing("row_aggregate", PHRASINGS["row_aggregate"]).format(
        target=target, phrase=rng.choice(AGGREGATE_PHRASES[function]), area=area, key=_text(table.keys[index]),
        noun=sheet.kind.noun, row=row + 1)
    inputs = [table.cell(index, j) for j in range(table.n_cols)]
    return aggregate_task("row_aggregate", seed, structure, sheet, function, target, area, instruction, inputs)


def selected_range_aggregate(rng: random.Random, seed: int, structure: Structure, layout: LayoutConfig,
                             function: str) -> Task:
    """The aggregate goes into a labelled summary cell away from the data."""
    sheet = Sheet(rng, structure, layout, spare=3)
    table = sheet.table
    if rng.random() < 0.5:  # a column of the table
        column = rng.randrange(table.n_cols)
        subject = _text(table.headers[column])
        area = table.column_range(column)
        inputs = table.column_cells(column)
    else:  # a row of the table
        index = rng.randrange(table.n_rows)
        subject = _text(table.keys[index])
        area = table.row_range(index)
        inputs = [table.cell(index, j) for j in range(table.n_cols)]
    if rng.random() < 0.5:  # summary below the table, one empty row between
        label_at = (table.bottom + 2, table.left)
    else:  # summary right of the table, one empty column between
        label_at = (rng.randint(table.top, table.bottom), table.right + 2)
    target_at = (label_at[0], label_at[1] + 1)
    target = cell_name(*target_at)
    sheet.write([label_at, target_at])
    sheet.wb.set(f"{SHEET}!{cell_name(*label_at)}", f"{AGGREGATE_LABELS[function]} {subject}")
    instruction = structure.phrasing("selected_range_aggregate", PHRASINGS["selected_range_aggregate"]).format(
        target=target, phrase=rng.choice(AGGREGATE_PHRASES[function]), area=area, subject=subject)
    return aggregate_task("selected_range_aggregate", seed, structure, sheet, function, target, area, instruction,
                          inputs)


def cell_arithmetic(rng: random.Random, seed: int, structure: Structure, layout: LayoutConfig, spec: PairSpec
                    ) -> Task:
    if spec in ROW_PAIRS:  # one row of a table: key | first | second | result
        n_keys, periods = structure.size("table", range(3, len(spec.keys) + 1), range(2, 3))[0], 0
        height, width = n_keys + 1, 4
    else:  # a stacked summary block: labels in one column, a few periods side by side
        n_keys, periods = 0, structure.size("table", range(3, 5), range(1, 5))[1]
        height, width = 4, periods + 1
    title = rng.random() < layout.titles
    extent = sheet_extent(rng, layout, height + 6, width + 4)
    top, left = place_table(structure, rng, extent, height + (2 if title else 0), width, 1, 1)
    top += 2 if title else 0
    wb = new_workbook([SHEET])
    canvas = Canvas(*extent)
    canvas.take(top - (2 if title else 0), left, top + height - 1, left + width - 1)
    if title:
        wb.set(f"{SHEET}!{cell_name(top - 2, left)}", spec.result if spec in ROW_PAIRS else "Summary")
    if spec in ROW_PAIRS:
        keys = rng.sample(spec.keys, n_keys)
        rows: list[list[object]] = [[spec.key_header, spec.first, spec.second, spec.result]]
        for key in keys:
            rows.append([key, draw_number(rng, spec.first_range, spec.decimals),
                         draw_number(rng, spec.second_range, spec.decimals)])
        wb.set_range(f"{SHEET}!{cell_name(top, left)}", rows)
        index = rng.randrange(len(keys))
        row = top + 1 + index
        first, second, target = (cell_name(row, left + 1), cell_name(row, left + 2), cell_name(row, left + 3))
        subject = keys[index]
    else:
        start = rng.randrange(len(PERIODS) - periods + 1)
        names = PERIODS[start:start + periods]
        rows = [[None, *names], [spec.first], [spec.second], [spec.result]]  # ragged rows are fine
        for _ in names:
            rows[1].append(draw_number(rng, spec.first_range, spec.decimals))
            rows[2].append(draw_number(rng, spec.second_range, spec.decimals))
        wb.set_range(f"{SHEET}!{cell_name(top, left)}", rows)
        col = left + 1 + rng.randrange(periods)
        first, second, target = (cell_name(top + 1, col), cell_name(top + 2, col), cell_name(top + 3, col))
        subject = names[col - left - 1]
    add_surroundings(wb, SHEET, canvas, rng, layout, (top - (2 if title else 0), left, top + height - 1,
                                                      left + width - 1))
    description = spec.describe.format(first=first, second=second)
    instruction = structure.phrasing("cell_arithmetic", PHRASINGS["cell_arithmetic"]).format(
        target=target, description=description, subject=subject)
    task = Task(FAMILY, LEVEL, "cell_arithmetic", seed, wb, instruction,
                [Target(target, formula=True, dynamic=True, reads=(first, second))], [], inputs=[first, second],
                extent=extent, named=[first, second, target], structure=structure.record)
    return finish(task, actions=["next_target", spec.macro])


def generate(rng: random.Random, seed: int, structure: Structure, layout: LayoutConfig) -> Task:
    """A level-2 task: a template and function (or pair) from the split's combinations."""
    train = [c for c in COMBINATIONS if c not in HELD_OUT_COMBINATIONS]
    held_out = [c for c in COMBINATIONS if c in HELD_OUT_COMBINATIONS]
    template = rng.choice(TEMPLATES)
    template, option = structure.combination(
        "template", [c for c in train if c[0] == template], [c for c in held_out if c[0] == template])
    if template == "cell_arithmetic":
        spec = next(s for s in ROW_PAIRS + STACKED_PAIRS if s.result + "/" + s.macro == option)
        return cell_arithmetic(rng, seed, structure, layout, spec)
    builder = {"column_aggregate": column_aggregate, "row_aggregate": row_aggregate,
               "selected_range_aggregate": selected_range_aggregate}[template]
    return builder(rng, seed, structure, layout, option)


# ------------------------------------------------------------------------------------------------- vocabulary
def words_of(text: str) -> set[str]:
    """Lower-case alphabetic words of a text, leaving out cell addresses and numbers (tokenized elsewhere)."""
    text = re.sub(r"\$?\b[A-Z]{1,3}\$?\d+\b", " ", text)
    return {w.lower() for w in re.findall(r"[A-Za-z]+", text)}


def _vocabulary() -> list[str]:
    words: set[str] = words_of_kinds()
    for phrasings in PHRASINGS.values():
        for text in phrasings:
            words |= words_of(re.sub(r"\{[^}]*\}", " ", text))
    for phrases in AGGREGATE_PHRASES.values():
        for phrase in phrases:
            words |= words_of(phrase)
    for label in AGGREGATE_LABELS.values():
        words |= words_of(label)
    for spec in ROW_PAIRS + STACKED_PAIRS:
        for text in (spec.first, spec.second, spec.result, spec.describe, spec.key_header, *spec.keys):
            words |= words_of(text)
    for text in (*PERIODS, "Summary", "Subtotal"):
        words |= words_of(text)
    return sorted(words)


VOCABULARY: list[str] = _vocabulary()
