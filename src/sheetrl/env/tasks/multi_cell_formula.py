"""Level 3 — a column of row-wise formulas, written once and filled down, often with a totals row.

Sub-templates (:data:`TEMPLATES`):

- ``line_totals``: Quantity × Unit price (Hours × Rate, ...) for every row (``left_product`` + ``fill_down``), then
  the total below; sometimes formatted as currency.
- ``growth``: growth between two year columns (headed "Revenue 2021" or, with numeric headers, by the years
  themselves), (new − old) / old (``left_growth`` + ``fill_down``), sometimes as percentages, sometimes with a
  totals row first (``fill_right`` copies the first total) so the growth column runs down into it.
- ``share_of_total``: each row's share of the column total with an absolute reference
  (``share_of_column_total`` + ``fill_down``), sometimes as percentages, sometimes with the total below afterwards.
- ``difference``: Actual − Budget (Counted − Expected, ...) for every row, then a totals row across all three
  columns; or the margin variant: Profit = Revenue − Cost, then Margin = Profit / Revenue, two filled columns.
- ``running_total``: a cumulative column (``running_total`` + ``fill_down``).

Tables sit anywhere on sheets larger than the observed window, among notes and other tables. ``line_totals`` and
``difference`` tables may have a blank spacer row: the formula column then has two runs, filled one after the
other, and the totals read the whole named range (the expert selects it; the block above the total is only the
last run). Any template may ask for the new column's header as well ("header next to a new formula column").

Every formula cell is a target (``formula=True, dynamic=True``, plus ``number_format`` where the instruction asks
for one); the cells each must read are those its expert formula reads. The expert is found by stepping the real
macros on the sheet (:class:`~sheetrl.env.tasks.expert.ExpertBuilder`), so it is valid by construction.
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
    place_table,
    sheet_extent,
)
from sheetrl.env.tasks.split import Structure
from sheetrl.sheet import Workbook
from sheetrl.sheet.address import cell_name

FAMILY = "multi_cell_formula"
LEVEL = 3
TEMPLATES = ("line_totals", "growth", "share_of_total", "difference", "running_total")

PRODUCTS = ("Laptop", "Tablet", "Monitor", "Printer", "Router", "Headset", "Keyboard", "Webcam", "Speaker",
            "Docking station", "Projector", "Scanner")
ITEMS = ("Stapler", "Printer paper", "Toner cartridge", "Desk lamp", "Office chair", "Notebook", "Ballpoint pens",
         "Monitor stand", "USB cable", "Whiteboard", "Sticky notes", "File folders")
INGREDIENTS = ("Flour", "Sugar", "Butter", "Eggs", "Milk", "Cocoa", "Yeast", "Vanilla", "Almonds", "Oats",
               "Honey", "Cream")
PEOPLE = ("Alice Moreno", "Ben Carter", "Chloe Nguyen", "David Okafor", "Emma Schulz", "Farid Haddad", "Grace Kim",
          "Hugo Laurent", "Isla Brennan", "Jamal Price", "Keiko Tanaka", "Liam Walsh")
REGIONS = ("North", "South", "East", "West", "Central", "Northeast", "Northwest", "Southeast", "Southwest",
           "Pacific", "Midwest", "Mountain")
DEPARTMENTS = ("Sales", "Finance", "Marketing", "Operations", "Support", "Engineering", "Legal", "Research",
               "Facilities", "Purchasing")
EXPENSE_CATEGORIES = ("Rent", "Utilities", "Travel", "Supplies", "Software", "Insurance", "Advertising",
                      "Salaries", "Training", "Maintenance", "Shipping", "Telephone")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
WEEKS = tuple(f"Week {i}" for i in range(1, 13))
CATEGORY_WORDS = ("Office", "Electronics", "Furniture", "Stationery")


# The instruction wordings: each template's main sentence and the sentences some variants add; the last two of
# each are held out for the ood split.
PHRASINGS: dict[str, tuple[str, ...]] = {
    "line_totals": (
        "Fill {span} with {a} times {b} for each row, then put the total of {span} in {total}.",
        ("In {span}, compute the {result} of each row ({a} times {b}) with one formula filled down; put the total "
        "of {span} in {total}."),
        "Each row's {result} is {a} times {b}: fill {span} with it, and total {span} in {total}.",
        "Multiply {a} by {b} on every row into {span}, then sum {span} in {total}.",
        "Use one formula, filled down, for {a} times {b} in {span}; {total} gets the total of {span}.",
        "{span} should hold {a} multiplied by {b} row by row, and {total} the sum of {span}.",
        "Work out {a} x {b} per row in {span} and add up {span} in {total}.",
    ),
    "growth": (
        ("Fill {span} with the growth from {old} to {new}: ({new} minus {old}) divided by {old}, one formula "
        "filled down."),
        "In {span}, compute the growth rate from {old} to {new} for each row, as a fraction of {old}.",
        "Put each row's change from {old} to {new}, relative to {old}, in {span}.",
        "{span} should show how much each row grew from {old} to {new}, as a share of {old}.",
        "Compute ({new} - {old}) / {old} for every row in {span}, with one formula filled down.",
        "Fill {span} with the relative growth between {old} and {new} of each row.",
        "In {span}, work out by what fraction each row changed from {old} to {new}.",
    ),
    "share_of_total": (
        ("In {span}, compute each row's share of the total of {amounts}: one formula with an absolute reference "
        "to {amounts}, filled down."),
        "Fill {span} with each {key}'s {amount} divided by the sum of {amounts} (keep the sum's range absolute).",
        "Put every row's fraction of the total {amount} ({amounts}) in {span}.",
        "{span} should show what share of the sum of {amounts} each {key} has.",
        "Divide each {amount} by the total of {amounts} and fill the results into {span}.",
        "Compute, in {span}, each row's {amount} as a part of the whole column {amounts}.",
        "For each {key}, {span} gets its {amount} over the sum of {amounts}.",
    ),
    "difference": (
        "Fill {span} with {a} minus {b} for each row, then total {ranges} in {totals}.",
        ("In {span}, compute the {result} ({a} minus {b}) with one formula filled down; then total {ranges} in "
        "row {row} ({totals})."),
        "Each row's {result} is {a} minus {b}: fill {span} with it, then put the totals of {ranges} in {totals}.",
        "Subtract {b} from {a} on every row into {span}; {totals} gets the totals of {ranges}.",
        "Use one formula, filled down, for {a} - {b} in {span}, and sum {ranges} in {totals}.",
        "{span} should hold {a} less {b} row by row; below them, {totals} the totals of {ranges}.",
        "Work out {a} minus {b} per row in {span} and add up {ranges} in {totals}.",
    ),
    "margin": (
        ("Fill {profits} with the profit ({revenue} minus {cost}) and {margins} with the margin (profit divided "
        "by {revenue}), each with one formula filled down."),
        "In {profits}, compute profit as {revenue} minus {cost}; in {margins}, margin as profit over {revenue}.",
        "Put each row's profit ({revenue} - {cost}) in {profits} and its margin (profit / {revenue}) in {margins}.",
        "{profits} should show {revenue} less {cost}, and {margins} that profit as a fraction of {revenue}.",
        "First fill {profits} with {revenue} minus {cost}, then {margins} with profit divided by {revenue}.",
        "Compute per row the profit in {profits} ({revenue} minus {cost}) and the margin in {margins}.",
        "Two filled columns: profit = {revenue} - {cost} in {profits}, margin = profit / {revenue} in {margins}.",
    ),
    "running_total": (
        "Fill {span} with the running total of {amounts}: each row sums {first} down to its own row.",
        ("In {span}, compute the {result} so far for each {key} (the sum from {first} to that row), one formula "
        "filled down."),
        "{span} should show the cumulative sum of {amounts} row by row.",
        "Put the total of {amounts} up to and including each row in {span}.",
        "Compute a running sum of {amounts} into {span}, starting from {first}.",
        "For each {key}, {span} gets the sum of {amounts} from {first} to that row.",
        "Accumulate {amounts} down {span}: every row adds its value to the ones above.",
    ),
    "totals_first": (
        "First put the totals of {old} and {new} in {old_total} and {new_total}.",
        "Start by totalling {old} in {old_total} and {new} in {new_total}.",
        "Begin with the sums of {old} and {new} in {old_total} and {new_total}.",
        "Before that, {old_total} and {new_total} need the totals of {old} and {new}.",
        "First add up {old} into {old_total} and {new} into {new_total}.",
        "To start, sum {old} in {old_total} and {new} in {new_total}.",
        "Put the column sums of {old} and {new} in {old_total} and {new_total} first.",
    ),
    "total_last": (
        "Finally put the total of {amounts} in {total}.",
        "Then total {amounts} in {total}.",
        "Last, sum {amounts} in {total}.",
        "Also put the sum of {amounts} in {total}.",
        "Afterwards, {total} should hold the total of {amounts}.",
        "End with the total of {amounts} in {total}.",
        "Then add up {amounts} in {total} as well.",
    ),
    "percent": (
        "Show {span} as percentages.",
        "Format {span} as percent.",
        "Display {span} in percent.",
        "Give {span} a percentage format.",
        "{span} should be shown as percentages.",
        "Use the percent format for {span}.",
        "Make {span} read as percentages.",
    ),
    "currency": (
        "Format {span} as currency.",
        "Show {span} as currency.",
        "Give {span} the currency format.",
        "Display {span} as money.",
        "{span} should be formatted as currency.",
        "Use a currency format for {span}.",
        "Make {span} read as amounts of money.",
    ),
    "header": (
        'Give the new column the header "{header}" in {cell}.',
        'Head the new column with "{header}" in {cell}.',
        'Type the header "{header}" into {cell}.',
        '{cell} should read "{header}" as the new column\'s header.',
        'Add "{header}" as the column header in {cell}.',
        'Label the new column "{header}" in {cell}.',
        'Put the title "{header}" above the new column, in {cell}.',
    ),
}


# --------------------------------------------------------------------------------------------------- layouts
@dataclass(frozen=True)
class Measure:
    """A numeric data column: its header and how values are drawn (``decimals`` 2 for money)."""

    header: str
    low: float
    high: float
    decimals: int = 0


@dataclass(frozen=True)
class Layout:
    """A table kind for one sub-template: its title, key column, optional text column, data columns and the
    header of the formula column(s). ``ordered`` keys (months, weeks) keep their order and start anywhere."""

    title: str
    key_header: str
    keys: tuple[str, ...]
    measures: tuple[Measure, ...]
    results: tuple[str, ...]
    extra: tuple[str, tuple[str, ...]] | None = None
    ordered: bool = False


LINE_TOTALS = (
    Layout("Order lines", "Item", ITEMS, (Measure("Quantity", 1, 60), Measure("Unit price", 1.5, 420, 2)),
           ("Line total",), extra=("Category", CATEGORY_WORDS)),
    Layout("Weekly payroll", "Employee", PEOPLE, (Measure("Hours", 8, 45), Measure("Hourly rate", 15, 65, 2)),
           ("Gross pay",), extra=("Department", DEPARTMENTS)),
    Layout("Product revenue", "Product", PRODUCTS, (Measure("Units sold", 20, 900), Measure("Price", 9.99, 1299, 2)),
           ("Revenue",)),
    Layout("Ingredient costs", "Ingredient", INGREDIENTS,
           (Measure("Kilograms", 1, 80), Measure("Price per kg", 0.8, 25, 2)), ("Cost",)),
)
GROWTH = (
    Layout("Annual revenue", "Region", REGIONS, (Measure("Revenue", 40000, 900000), Measure("Revenue", 0, 0)),
           ("Growth",)),
    Layout("Headcount", "Department", DEPARTMENTS, (Measure("Staff", 4, 250), Measure("Staff", 0, 0)),
           ("Change",)),
    Layout("Units sold", "Product", PRODUCTS, (Measure("Units", 300, 25000), Measure("Units", 0, 0)),
           ("Growth",)),
)
SHARES = (
    Layout("Expenses by category", "Category", EXPENSE_CATEGORIES, (Measure("Amount", 400, 60000),),
           ("Share",)),
    Layout("Sales by region", "Region", REGIONS, (Measure("Sales", 5000, 400000),), ("Share of sales",)),
    Layout("Budget by department", "Department", DEPARTMENTS, (Measure("Budget", 10000, 800000),),
           ("Share of budget",)),
)
DIFFERENCES = (
    Layout("Budget versus actual", "Department", DEPARTMENTS,
           (Measure("Budget", 10000, 250000), Measure("Actual", 8000, 270000)), ("Variance",)),
    Layout("Stock count", "Item", ITEMS, (Measure("Expected", 10, 600), Measure("Counted", 5, 620)),
           ("Difference",)),
    Layout("Account balances", "Region", REGIONS,
           (Measure("Opening", 1000, 90000), Measure("Closing", 1000, 95000)), ("Change",)),
)
MARGINS = (
    Layout("Product profitability", "Product", PRODUCTS,
           (Measure("Cost", 2000, 60000), Measure("Revenue", 0, 0)), ("Profit", "Margin")),
    Layout("Store results", "Region", REGIONS,
           (Measure("Costs", 20000, 400000), Measure("Sales", 0, 0)), ("Profit", "Margin")),
)
RUNNING = (
    Layout("Monthly sales", "Month", MONTHS, (Measure("Sales", 2000, 90000),), ("Cumulative sales",), ordered=True),
    Layout("Savings plan", "Month", MONTHS, (Measure("Deposit", 50, 1500),), ("Balance",), ordered=True),
    Layout("Training log", "Week", WEEKS, (Measure("Kilometres", 5, 80),), ("Total distance",), ordered=True),
)

# (template, variant) combinations; the held-out ones are only ever generated for the ood split.
COMBINATIONS: dict[str, tuple[tuple[bool, bool], ...]] = {
    "line_totals": ((False, False), (True, False), (False, True), (True, True)),  # (currency, header)
    "growth": ((False, False), (True, False), (False, True), (True, True)),  # (percent, totals first)
    "share_of_total": ((False, False), (True, False), (False, True), (True, True)),  # (percent, total last)
    "difference": ((False, False), (True, False), (False, True), (True, True)),  # (margin variant, header)
    "running_total": ((False, False), (False, True)),  # (-, header)
}
HELD_OUT_COMBINATIONS = frozenset({("line_totals", (True, True)), ("growth", (True, True)),
                                   ("share_of_total", (True, True)), ("difference", (True, True)),
                                   ("running_total", (False, True))})


@dataclass
class Sheet:
    """The generated table: header row at ``top``, key column at ``left``, then the optional text column, a
    possible blank spacer column, the data columns and the formula columns; data row ``i`` is on sheet row
    ``rows[i]`` (a blank spacer row may sit between two of them); ``total_row`` is the row under the data."""

    wb: Workbook
    top: int
    left: int
    rows: list[int]
    data_cols: list[int]
    result_cols: list[int]
    headers: dict[int, Any]
    extent: tuple[int, int]
    canvas: Canvas
    box: tuple[int, int, int, int]

    @property
    def first_row(self) -> int:
        return self.rows[0]

    @property
    def last_row(self) -> int:
        return self.rows[-1]

    @property
    def total_row(self) -> int:
        return self.last_row + 1

    @property
    def gap_rows(self) -> list[int]:
        return [r for r in range(self.first_row, self.last_row + 1) if r not in self.rows]

    @property
    def runs(self) -> list[tuple[int, int]]:
        """(first, last) sheet rows of each run of data rows between spacer rows."""
        out, start = [], self.rows[0]
        for previous, current in zip(self.rows, self.rows[1:]):
            if current != previous + 1:
                out.append((start, previous))
                start = current
        out.append((start, self.rows[-1]))
        return out

    def column_span(self, col: int, last: int | None = None) -> str:
        end = self.last_row if last is None else last
        return f"{cell_name(self.first_row, col)}:{cell_name(end, col)}"

    def column_cells(self, col: int, last: int | None = None) -> list[str]:
        cells = [cell_name(r, col) for r in self.rows]
        if last is not None and last > self.last_row:
            cells += [cell_name(r, col) for r in range(self.last_row + 1, last + 1)]
        return cells

    def header(self, col: int) -> str:
        value = self.headers[col]
        return str(int(value)) if isinstance(value, float) else str(value)

    def put(self, address: str, value: Any) -> None:
        self.wb.set(f"{SHEET}!{address}", value)


def draw(rng: random.Random, measure: Measure) -> float:
    if measure.decimals:
        return round(rng.uniform(measure.low, measure.high), measure.decimals)
    return float(rng.randint(int(measure.low), int(measure.high)))


def build_sheet(rng: random.Random, structure: Structure, config: LayoutConfig, layout: Layout,
                values: list[list[float]] | None = None, headers: tuple[Any, ...] | None = None,
                n_rows: int | None = None, row_gap: bool = False, missing_header: bool = False) -> Sheet:
    """Place the layout's table on a new workbook anywhere on a sheet larger than the window."""
    if n_rows is None:
        n_rows, _ = structure.size("table", range(4, min(11, len(layout.keys)) + 1),
                                   range(len(layout.measures), len(layout.measures) + 1))
    if layout.ordered:
        first = rng.randint(0, len(layout.keys) - n_rows)
        keys = list(layout.keys[first:first + n_rows])
    else:
        keys = rng.sample(layout.keys, n_rows)
    use_extra = layout.extra is not None and rng.random() < 0.5
    gaps: tuple[int, ...] = ()
    col_gap = 0
    if rng.random() < config.spacers:
        if row_gap and rng.random() < 0.6:
            gaps = structure.gaps("rows", n_rows, 1)
        else:  # a blank column between the labels and the numbers
            col_gap = 1 if structure.gaps("cols", 2 + use_extra, 1) else 0
    title = rng.random() < config.titles
    width = 1 + use_extra + col_gap + len(layout.measures) + len(layout.results)
    height = 1 + n_rows + len(gaps) + 2  # header, data, spacer rows, a totals row and one spare row
    extent = sheet_extent(rng, config, height + 6, width + 4)
    top, left = place_table(structure, rng, extent, height + (2 if title else 0), width, 1, 1)
    top += 2 if title else 0
    if values is None:
        values = [[draw(rng, m) for m in layout.measures] for _ in range(n_rows)]
    header_row: list[Any] = [layout.key_header]
    if use_extra:
        assert layout.extra is not None
        header_row.append(layout.extra[0])
    header_row += [None] * col_gap
    header_row += list(headers or (m.header for m in layout.measures))
    header_row += list(layout.results)
    wb = new_workbook([SHEET])
    if title:
        wb.set(f"{SHEET}!{cell_name(top - 2, left)}", layout.title)
    data_rows = [top + 1 + i + sum(1 for g in gaps if g <= i) for i in range(n_rows)]
    first_data = left + 1 + use_extra + col_gap
    data_cols = list(range(first_data, first_data + len(layout.measures)))
    result_cols = list(range(data_cols[-1] + 1, data_cols[-1] + 1 + len(layout.results)))
    with wb.batch():
        for j, header in enumerate(header_row):
            if header is not None and not (missing_header and left + j == result_cols[0]):
                wb.set(f"{SHEET}!{cell_name(top, left + j)}", header)
        for row, key, numbers in zip(data_rows, keys, values):
            wb.set(f"{SHEET}!{cell_name(row, left)}", key)
            if use_extra:
                assert layout.extra is not None
                wb.set(f"{SHEET}!{cell_name(row, left + 1)}", rng.choice(layout.extra[1]))
            for col, number in zip(data_cols, numbers):
                wb.set(f"{SHEET}!{cell_name(row, col)}", number)
    canvas = Canvas(*extent)
    box = (top - (2 if title else 0), left, data_rows[-1] + 1, result_cols[-1])
    canvas.take(*box)
    return Sheet(wb, top, left, data_rows, data_cols, result_cols,
                 {left + j: h for j, h in enumerate(header_row)}, extent, canvas, box)


def _surround(rng: random.Random, config: LayoutConfig, sheet: Sheet) -> None:
    add_surroundings(sheet.wb, SHEET, sheet.canvas, rng, config, sheet.box)


def formula_targets(cells: list[str], number_format: str | None = None) -> list[Target]:
    return [Target(c, formula=True, dynamic=True, number_format=number_format) for c in cells]


def _task(template: str, seed: int, sheet: Sheet, instruction: str, targets: list[Target], inputs: list[str],
          structure: Structure, named: list[str], slots: dict[str, Any] | None = None,
          gaps: bool = False) -> Task:
    allowed = [cell_name(r, c) for r in sheet.gap_rows for c in sheet.result_cols]
    perturbations = ("rescale", "fill_gap") if gaps else ("rescale",)
    return Task(FAMILY, LEVEL, template, seed, sheet.wb, instruction, targets, [], inputs=inputs, slots=slots or {},
                extent=sheet.extent, named=named, allowed=allowed, perturbations=perturbations,
                structure=structure.record)


def _header_sentence(structure: Structure, sheet: Sheet, header: str) -> tuple[str, Target, str]:
    cell = cell_name(sheet.top, sheet.result_cols[0])
    text = structure.phrasing("header", PHRASINGS["header"]).format(header=header, cell=cell)
    return text, Target(cell, expected=header), cell


def _fill_runs(builder: ExpertBuilder, sheet: Sheet, col: int, macro: str, fmt: str | None = None) -> None:
    """Write the row formula at the top of each run of data rows and fill it down the run."""
    for first, last in sheet.runs:
        builder.go(cell_name(first, col)).do(macro)
        if fmt:
            builder.do(fmt)
        if last > first:
            builder.do("fill_down")


def _reference(task: Task, area: str) -> int:
    return [ref.text for ref in task.references].index(area)


# ---------------------------------------------------------------------------------------------- sub-templates
def line_totals(rng: random.Random, seed: int, structure: Structure, config: LayoutConfig,
                variant: tuple[bool, bool]) -> Task:
    currency, with_header = variant
    layout = rng.choice(LINE_TOTALS)
    sheet = build_sheet(rng, structure, config, layout, row_gap=True, missing_header=with_header)
    quantity, price = sheet.data_cols
    (result,) = sheet.result_cols
    rows = sheet.column_cells(result)
    total = cell_name(sheet.total_row, result)
    sheet.put(cell_name(sheet.total_row, sheet.left), "Total")
    _surround(rng, config, sheet)
    span = sheet.column_span(result)
    a, b = sheet.header(quantity), sheet.header(price)
    instruction = structure.phrasing("line_totals", PHRASINGS["line_totals"]).format(
        span=span, a=a, b=b, total=total, result=layout.results[0].lower())
    named = [span, total]
    targets = formula_targets(rows, "currency" if currency else None)
    total_target = Target(total, formula=True, dynamic=True, number_format="currency" if currency else None,
                          reads=(span,))
    slots: dict[str, Any] = {}
    if currency:
        money = sheet.column_span(result, sheet.total_row)
        instruction += " " + structure.phrasing("currency", PHRASINGS["currency"]).format(span=money)
        named.append(money)
    header_target: list[Target] = []
    if with_header:
        sentence, target, cell = _header_sentence(structure, sheet, layout.results[0])
        instruction += " " + sentence
        header_target, slots = [target], {"header": layout.results[0]}
        named.append(cell)
    task = _task("line_totals", seed, sheet, instruction, header_target + targets + [total_target],
                 sheet.column_cells(quantity) + sheet.column_cells(price), structure, named, slots,
                 gaps=bool(sheet.gap_rows))
    builder = ExpertBuilder(task)
    if with_header:
        builder.go(header_target[0].address).do("write_instructed_header")
    _fill_runs(builder, sheet, result, "left_product", "format_currency" if currency else None)
    builder.aggregate("SUM", span, total, _reference(task, span))
    if currency:
        builder.do("format_currency")
    return finish(task, builder)


def growth(rng: random.Random, seed: int, structure: Structure, config: LayoutConfig,
           variant: tuple[bool, bool]) -> Task:
    percent, with_totals = variant
    layout = rng.choice(GROWTH)
    measure = layout.measures[0]
    year = rng.randint(2016, 2024)
    n_rows, _ = structure.size("table", range(4, min(11, len(layout.keys)) + 1), range(2, 3))
    values = []
    for _ in range(n_rows):
        old = draw(rng, measure)
        values.append([old, float(max(1, round(old * rng.uniform(0.7, 1.45))))])
    numeric = rng.random() < config.numeric_headers
    headers: tuple[Any, ...] = (float(year), float(year + 1)) if numeric else \
        (f"{measure.header} {year}", f"{measure.header} {year + 1}")
    sheet = build_sheet(rng, structure, config, layout, values, headers, n_rows=n_rows)
    old_col, new_col = sheet.data_cols
    (result,) = sheet.result_cols
    last = sheet.total_row if with_totals else sheet.last_row
    rows = sheet.column_cells(result, last)
    span = sheet.column_span(result, last)
    old_name, new_name = sheet.header(old_col), sheet.header(new_col)
    if numeric:  # "Revenue 2021", though the header cell holds just the number
        old_name, new_name = f"{measure.header} {old_name}", f"{measure.header} {new_name}"
    instruction = structure.phrasing("growth", PHRASINGS["growth"]).format(span=span, old=old_name, new=new_name)
    named = [span]
    targets = formula_targets(rows, "percent" if percent else None)
    totals: list[str] = []
    if with_totals:
        totals = [cell_name(sheet.total_row, old_col), cell_name(sheet.total_row, new_col)]
        sheet.put(cell_name(sheet.total_row, sheet.left), "Total")
        old_range, new_range = sheet.column_span(old_col), sheet.column_span(new_col)
        instruction = structure.phrasing("totals_first", PHRASINGS["totals_first"]).format(
            old=old_range, new=new_range, old_total=totals[0], new_total=totals[1]) + " " + instruction
        named = [old_range, new_range, *totals, span]
        targets = [Target(totals[0], formula=True, dynamic=True, reads=(old_range,)),
                   Target(totals[1], formula=True, dynamic=True, reads=(new_range,)), *targets]
    _surround(rng, config, sheet)
    if percent:
        instruction += " " + structure.phrasing("percent", PHRASINGS["percent"]).format(span=span)
    task = _task("growth", seed, sheet, instruction, targets,
                 sheet.column_cells(old_col) + sheet.column_cells(new_col), structure, named)
    builder = ExpertBuilder(task)
    if with_totals:
        builder.aggregate("SUM", sheet.column_span(old_col), totals[0], _reference(task, sheet.column_span(old_col)))
        builder.do("fill_right")
    builder.go(rows[0]).do("left_growth")
    if percent:
        builder.do("format_percent")
    builder.do("fill_down")
    return finish(task, builder)


def share_of_total(rng: random.Random, seed: int, structure: Structure, config: LayoutConfig,
                   variant: tuple[bool, bool]) -> Task:
    percent, with_total = variant
    layout = rng.choice(SHARES)
    sheet = build_sheet(rng, structure, config, layout)
    (amount,) = sheet.data_cols
    (result,) = sheet.result_cols
    rows = sheet.column_cells(result)
    span, amounts = sheet.column_span(result), sheet.column_span(amount)
    instruction = structure.phrasing("share_of_total", PHRASINGS["share_of_total"]).format(
        span=span, amounts=amounts, key=layout.key_header.lower(), amount=sheet.header(amount).lower())
    named = [span, amounts]
    if percent:
        instruction += " " + structure.phrasing("percent", PHRASINGS["percent"]).format(span=span)
    targets = formula_targets(rows, "percent" if percent else None)
    total = cell_name(sheet.total_row, amount)
    if with_total:
        sheet.put(cell_name(sheet.total_row, sheet.left), "Total")
        instruction += " " + structure.phrasing("total_last", PHRASINGS["total_last"]).format(
            amounts=amounts, total=total)
        targets.append(Target(total, formula=True, dynamic=True, reads=(amounts,)))
        named.append(total)
    _surround(rng, config, sheet)
    task = _task("share_of_total", seed, sheet, instruction, targets, sheet.column_cells(amount), structure, named)
    # shares first: a total under the amounts would otherwise join the block the share formula sums
    builder = ExpertBuilder(task).go(rows[0]).do("share_of_column_total")
    if percent:
        builder.do("format_percent")
    builder.do("fill_down")
    if with_total:
        builder.aggregate("SUM", amounts, total, _reference(task, amounts))
    return finish(task, builder)


def difference(rng: random.Random, seed: int, structure: Structure, config: LayoutConfig,
               variant: tuple[bool, bool]) -> Task:
    use_margin, with_header = variant
    if use_margin:
        return margin(rng, seed, structure, config, with_header)
    layout = rng.choice(DIFFERENCES)
    sheet = build_sheet(rng, structure, config, layout, row_gap=True, missing_header=with_header)
    before, after = sheet.data_cols
    (result,) = sheet.result_cols
    rows = sheet.column_cells(result)
    span = sheet.column_span(result)
    totals = [cell_name(sheet.total_row, c) for c in (before, after, result)]
    ranges = [sheet.column_span(c) for c in (before, after, result)]
    sheet.put(cell_name(sheet.total_row, sheet.left), "Total")
    _surround(rng, config, sheet)
    a, b = sheet.header(after), sheet.header(before)
    instruction = structure.phrasing("difference", PHRASINGS["difference"]).format(
        span=span, a=a, b=b, totals=f"{totals[0]}:{totals[-1]}", ranges=f"{ranges[0]}, {ranges[1]} and {ranges[2]}",
        result=layout.results[0].lower(), row=sheet.total_row + 1)
    named = [span, *ranges, f"{totals[0]}:{totals[-1]}"]
    slots: dict[str, Any] = {}
    header_target: list[Target] = []
    if with_header:
        sentence, target, cell = _header_sentence(structure, sheet, layout.results[0])
        instruction += " " + sentence
        header_target, slots = [target], {"header": layout.results[0]}
        named.append(cell)
    targets = header_target + formula_targets(rows) + [
        Target(total, formula=True, dynamic=True, reads=(area,)) for total, area in zip(totals, ranges)]
    task = _task("difference", seed, sheet, instruction, targets,
                 sheet.column_cells(before) + sheet.column_cells(after), structure, named, slots,
                 gaps=bool(sheet.gap_rows))
    builder = ExpertBuilder(task)
    if with_header:
        builder.go(header_target[0].address).do("write_instructed_header")
    _fill_runs(builder, sheet, result, "left_difference")
    builder.aggregate("SUM", ranges[0], totals[0], _reference(task, ranges[0])).do("fill_right")
    return finish(task, builder)


def margin(rng: random.Random, seed: int, structure: Structure, config: LayoutConfig, with_header: bool) -> Task:
    """The difference sub-template's margin variant: Profit = Revenue − Cost, then Margin = Profit / Revenue."""
    layout = rng.choice(MARGINS)
    cost_measure = layout.measures[0]
    n_rows, _ = structure.size("table", range(4, min(11, len(layout.keys)) + 1), range(2, 3))
    values = []
    for _ in range(n_rows):
        cost_value = draw(rng, cost_measure)
        values.append([cost_value, float(round(cost_value * rng.uniform(1.05, 1.9)))])
    sheet = build_sheet(rng, structure, config, layout, values, n_rows=n_rows, missing_header=with_header)
    cost_col, revenue_col = sheet.data_cols
    profit_col, margin_col = sheet.result_cols
    _surround(rng, config, sheet)
    percent = rng.random() < 0.6
    profits, margins = sheet.column_cells(profit_col), sheet.column_cells(margin_col)
    cost, revenue = sheet.header(cost_col), sheet.header(revenue_col)
    instruction = structure.phrasing("margin", PHRASINGS["margin"]).format(
        profits=sheet.column_span(profit_col), margins=sheet.column_span(margin_col), revenue=revenue, cost=cost)
    named = [sheet.column_span(profit_col), sheet.column_span(margin_col)]
    if percent:
        instruction += " " + structure.phrasing("percent", PHRASINGS["percent"]).format(
            span=sheet.column_span(margin_col))
    slots: dict[str, Any] = {}
    header_target: list[Target] = []
    if with_header:
        sentence, target, cell = _header_sentence(structure, sheet, layout.results[0])
        instruction += " " + sentence
        header_target, slots = [target], {"header": layout.results[0]}
        named.append(cell)
    targets = header_target + formula_targets(profits) + formula_targets(margins, "percent" if percent else None)
    task = _task("difference", seed, sheet, instruction, targets,
                 sheet.column_cells(cost_col) + sheet.column_cells(revenue_col), structure, named, slots)
    builder = ExpertBuilder(task)
    if with_header:
        builder.go(header_target[0].address).do("write_instructed_header")
    builder.go(profits[0]).do("left_difference", "fill_down").go(margins[0]).do("left_ratio")
    if percent:
        builder.do("format_percent")
    builder.do("fill_down")
    return finish(task, builder)


def running_total(rng: random.Random, seed: int, structure: Structure, config: LayoutConfig,
                  variant: tuple[bool, bool]) -> Task:
    with_header = variant[1]
    layout = rng.choice(RUNNING)
    sheet = build_sheet(rng, structure, config, layout, missing_header=with_header)
    (amount,) = sheet.data_cols
    (result,) = sheet.result_cols
    rows = sheet.column_cells(result)
    span, amounts = sheet.column_span(result), sheet.column_span(amount)
    _surround(rng, config, sheet)
    first = cell_name(sheet.first_row, amount)
    instruction = structure.phrasing("running_total", PHRASINGS["running_total"]).format(
        span=span, amounts=amounts, first=first, result=layout.results[0].lower(), key=layout.key_header.lower())
    named = [span, amounts, first]
    slots: dict[str, Any] = {}
    header_target: list[Target] = []
    if with_header:
        sentence, target, cell = _header_sentence(structure, sheet, layout.results[0])
        instruction += " " + sentence
        header_target, slots = [target], {"header": layout.results[0]}
        named.append(cell)
    task = _task("running_total", seed, sheet, instruction, header_target + formula_targets(rows),
                 sheet.column_cells(amount), structure, named, slots)
    builder = ExpertBuilder(task)
    if with_header:
        builder.go(header_target[0].address).do("write_instructed_header")
    builder.go(rows[0]).do("running_total", "fill_down")
    return finish(task, builder)


BUILDERS = {
    "line_totals": line_totals,
    "growth": growth,
    "share_of_total": share_of_total,
    "difference": difference,
    "running_total": running_total,
}


def generate(rng: random.Random, seed: int, structure: Structure, layout: LayoutConfig) -> Task:
    """A level-3 task: a template and one of its variant combinations from the split's part."""
    template = rng.choice(TEMPLATES)
    options = COMBINATIONS[template]
    variant = structure.combination(
        template, [v for v in options if (template, v) not in HELD_OUT_COMBINATIONS],
        [v for v in options if (template, v) in HELD_OUT_COMBINATIONS])
    return BUILDERS[template](rng, seed, structure, layout, variant)


# ------------------------------------------------------------------------------------------------- vocabulary
def words_of(text: str) -> set[str]:
    """Lower-case alphabetic words of a text, leaving out cell addresses and numbers (tokenized elsewhere)."""
    text = re.sub(r"\$?\b[A-Z]{1,3}\$?\d+\b", " ", text)
    return {w.lower() for w in re.findall(r"[A-Za-z]+", text)}


def _vocabulary() -> list[str]:
    words: set[str] = set()
    for phrasings in PHRASINGS.values():
        for text in phrasings:
            words |= words_of(re.sub(r"\{[^}]*\}", " ", text))
    for layout in LINE_TOTALS + GROWTH + SHARES + DIFFERENCES + MARGINS + RUNNING:
        for text in (layout.title, layout.key_header, *layout.keys, *layout.results,
                     *(m.header for m in layout.measures)):
            words |= words_of(text)
        if layout.extra is not None:
            for text in (layout.extra[0], *layout.extra[1]):
                words |= words_of(text)
    words |= {"total"}
    return sorted(words)


VOCABULARY: list[str] = _vocabulary()
