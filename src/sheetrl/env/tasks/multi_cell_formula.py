"""Level 3 — a column of row-wise formulas, written once and filled down, often with a totals row.

Sub-templates (:data:`TEMPLATES`):

- ``line_totals``: Quantity × Unit price (Hours × Rate, ...) for every row (``left_product`` + ``fill_down``), then
  the total below (``sum_above``); sometimes formatted as currency.
- ``growth``: growth between two year columns, (new − old) / old (``left_growth`` + ``fill_down``), sometimes as
  percentages (``format_percent`` before filling, which copies formats), sometimes with a totals row first
  (``sum_above`` + ``fill_right``) so the growth column runs down into it.
- ``share_of_total``: each row's share of the column total with an absolute reference
  (``share_of_column_total`` + ``fill_down``), sometimes as percentages, sometimes with the total below afterwards.
- ``difference``: Actual − Budget (Counted − Expected, ...) for every row, then a totals row across all three
  columns (``sum_above`` + ``fill_right``); or the margin variant: Profit = Revenue − Cost, then
  Margin = Profit / Revenue, two filled columns.
- ``running_total``: a cumulative column (``running_total`` + ``fill_down``).

Every formula cell is a target (``formula=True, dynamic=True``, plus ``number_format`` where the instruction asks
for one); the inputs are the data cells. The expert is found by stepping the real macros on the sheet (navigation
takes a shortest sequence of ``next_target``, jumps and moves), so it is valid by construction;
expected values are read from its solution.
"""

from __future__ import annotations

import random
import re
from collections import deque
from dataclasses import dataclass, replace
from typing import Any

from sheetrl.env.actions import MACRO_INDEX, MACROS, Context
from sheetrl.env.commands import Command
from sheetrl.env.state import SheetState
from sheetrl.env.tasks.base import GRID_COLS, GRID_ROWS, SHEET, Target, Task
from sheetrl.sheet import Workbook
from sheetrl.sheet.address import cell_name, parse_cell

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


# The instruction wordings, by sub-template and by the sentences some variants add; {placeholders} are filled in
# per task.
PHRASINGS: dict[str, tuple[str, ...]] = {
    "line_totals": (
        "Fill {span} with {a} times {b} for each row, then put the total of {span} in {total}.",
        "In {span}, compute the {result} of each row ({a} times {b}) with one formula filled down; put the total "
        "in {total}.",
    ),
    "growth": (
        "Fill {span} with the growth from {old} to {new}: ({new} minus {old}) divided by {old}, one formula "
        "filled down.",
        "In {span}, compute the growth rate from {old} to {new} for each row, as a fraction of {old}.",
    ),
    "share_of_total": (
        "In {span}, compute each row's share of the total of {amounts}: one formula with an absolute reference "
        "to {amounts}, filled down.",
        "Fill {span} with each {key}'s {amount} divided by the sum of {amounts} (keep the sum's range absolute).",
    ),
    "difference": (
        "Fill {span} with {a} minus {b} for each row, then put the column totals in {totals}.",
        "In {span}, compute the {result} ({a} minus {b}) with one formula filled down; then total each of the "
        "three columns in row {row} ({totals}).",
    ),
    "margin": (
        "Fill {profits} with the profit ({revenue} minus {cost}) and {margins} with the margin (profit divided "
        "by {revenue}), each with one formula filled down.",
    ),
    "running_total": (
        "Fill {span} with the running total of {amounts}: each row sums {first} down to its own row.",
        "In {span}, compute the {result} so far for each {key} (the sum from {first} to that row), one formula "
        "filled down.",
    ),
    "totals_first": ("First put the totals of {old} and {new} in {old_total} and {new_total}.",),
    "total_last": ("Finally put the total of {amounts} in {total}.",),
    "percent": ("Show {span} as percentages.",),
    "currency": ("Format {span} as currency.",),
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


@dataclass
class Sheet:
    """The generated table: header row at ``top``, key column at ``left``, then the optional text column, the
    data columns and the (empty) formula columns; ``total_row`` is the row under the data."""

    wb: Workbook
    top: int
    left: int
    n_rows: int
    data_cols: list[int]
    result_cols: list[int]
    headers: list[str]

    @property
    def first_row(self) -> int:
        return self.top + 1

    @property
    def last_row(self) -> int:
        return self.top + self.n_rows

    @property
    def total_row(self) -> int:
        return self.last_row + 1

    def column_span(self, col: int, last: int | None = None) -> str:
        end = self.last_row if last is None else last
        return f"{cell_name(self.first_row, col)}:{cell_name(end, col)}"

    def column_cells(self, col: int, last: int | None = None) -> list[str]:
        end = self.last_row if last is None else last
        return [cell_name(r, col) for r in range(self.first_row, end + 1)]

    def header(self, col: int) -> str:
        return self.headers[col - self.left]


def draw(rng: random.Random, measure: Measure) -> float:
    if measure.decimals:
        return round(rng.uniform(measure.low, measure.high), measure.decimals)
    return float(rng.randint(int(measure.low), int(measure.high)))


def build_sheet(rng: random.Random, layout: Layout, values: list[list[float]] | None = None,
                headers: tuple[str, ...] | None = None) -> Sheet:
    """Place the layout's table on a new workbook (a title above it when there is room)."""
    n_rows = len(values) if values is not None else rng.randint(4, min(11, len(layout.keys)))
    if layout.ordered:
        first = rng.randint(0, len(layout.keys) - n_rows)
        keys = list(layout.keys[first:first + n_rows])
    else:
        keys = rng.sample(layout.keys, n_rows)
    use_extra = layout.extra is not None and rng.random() < 0.5
    width = 1 + use_extra + len(layout.measures) + len(layout.results)
    top = min(rng.choice((0, 0, 1, 2, 3)), GRID_ROWS - 3 - n_rows)
    left = min(rng.randint(0, 3), GRID_COLS - 1 - width)
    if values is None:
        values = [[draw(rng, m) for m in layout.measures] for _ in range(n_rows)]
    header_row = [layout.key_header]
    if use_extra:
        assert layout.extra is not None
        header_row.append(layout.extra[0])
    header_row += list(headers or (m.header for m in layout.measures))
    header_row += list(layout.results)
    rows: list[list[Any]] = [header_row]
    for key, numbers in zip(keys, values):
        row: list[Any] = [key]
        if use_extra:
            assert layout.extra is not None
            row.append(rng.choice(layout.extra[1]))
        rows.append(row + list(numbers))
    wb = Workbook()
    if top >= 2:
        wb.set(f"{SHEET}!{cell_name(top - 2, left)}", layout.title)
    wb.set_range(f"{SHEET}!{cell_name(top, left)}", rows)
    first_data = left + 1 + use_extra
    data_cols = list(range(first_data, first_data + len(layout.measures)))
    result_cols = list(range(data_cols[-1] + 1, data_cols[-1] + 1 + len(layout.results)))
    return Sheet(wb, top, left, n_rows, data_cols, result_cols, header_row)


# --------------------------------------------------------------------------------------------------- experts
class ExpertBuilder:
    """Steps the real macros on a copy of the sheet, recording their names: the expert is valid by construction."""

    NAVIGATION = ("next_target", "jump_down", "jump_up", "jump_right", "jump_left", "move_down", "move_up",
                  "move_right", "move_left")

    def __init__(self, wb: Workbook, targets: list[str], start: str = "A1") -> None:
        self.state = SheetState(wb.clone(), start)
        self.state.workbook.record_undo = False
        self.targets = targets
        self.actions: list[str] = []

    def resolve(self, name: str) -> Command | None:
        context = Context(self.state, {}, GRID_ROWS, GRID_COLS, self.targets)
        return MACROS[MACRO_INDEX[name]].resolve(context)

    def do(self, *names: str) -> ExpertBuilder:
        for name in names:
            command = self.resolve(name)
            if command is None:
                raise ValueError(f"{name} is masked at {self.state.cursor_text}")
            self.state.apply(command)
            self.actions.append(name)
        return self

    def go(self, address: str) -> ExpertBuilder:
        """Navigate to ``address`` by a shortest sequence of navigation macros (breadth-first over cursor cells;
        navigation changes nothing but the cursor, and the sheet is small)."""
        cell = parse_cell(address)
        goal = (cell.row, cell.col)
        here = self.state.cursor
        came_from: dict[tuple[int, int], tuple[tuple[int, int], str] | None] = {here: None}
        frontier = deque([here])
        while goal not in came_from:
            position = frontier.popleft()
            self.state.cursor = position
            for name in self.NAVIGATION:
                command = self.resolve(name)
                if command is None or command.verb != "goto":
                    continue
                landing = parse_cell(command.cell)
                step = (landing.row, landing.col)
                if step not in came_from:
                    came_from[step] = (position, name)
                    frontier.append(step)
        self.state.cursor = here
        path: list[str] = []
        position = goal
        while (link := came_from[position]) is not None:
            position, name = link
            path.append(name)
        return self.do(*reversed(path))


def step_budget(expert_length: int) -> int:
    """Episode step limit: about two and a half times the expert's length, and at least ten steps more."""
    return max(expert_length + 10, round(2.5 * expert_length))


def finish(template: str, seed: int, sheet: Sheet, instruction: str, targets: list[Target], inputs: list[str],
           builder: ExpertBuilder) -> Task:
    """The task, with each target's expected value read from the expert's solution."""
    actions = [*builder.actions, "done"]
    task = Task(FAMILY, LEVEL, template, seed, sheet.wb, instruction, targets, actions, inputs=inputs,
                max_steps=step_budget(len(actions)))
    solution = task.solution
    task.targets = [replace(t, expected=solution.value(f"{SHEET}!{t.address}")) for t in targets]
    return task


def formula_targets(cells: list[str], number_format: str | None = None) -> list[Target]:
    return [Target(c, formula=True, dynamic=True, number_format=number_format) for c in cells]


# ---------------------------------------------------------------------------------------------- sub-templates
def line_totals(rng: random.Random, seed: int) -> Task:
    layout = rng.choice(LINE_TOTALS)
    sheet = build_sheet(rng, layout)
    quantity, price = sheet.data_cols
    (result,) = sheet.result_cols
    currency = rng.random() < 0.3
    rows = sheet.column_cells(result)
    total = cell_name(sheet.total_row, result)
    sheet.wb.set(f"{SHEET}!{cell_name(sheet.total_row, sheet.left)}", "Total")
    span = sheet.column_span(result)
    a, b = sheet.header(quantity), sheet.header(price)
    instruction = rng.choice(PHRASINGS["line_totals"]).format(
        span=span, a=a, b=b, total=total, result=layout.results[0].lower())
    if currency:
        instruction += " " + PHRASINGS["currency"][0].format(span=sheet.column_span(result, sheet.total_row))
    targets = formula_targets([*rows, total], "currency" if currency else None)
    builder = ExpertBuilder(sheet.wb, [t.address for t in targets]).go(rows[0]).do("left_product")
    if currency:
        builder.do("format_currency")
    builder.do("fill_down").go(total).do("sum_above")
    if currency:
        builder.do("format_currency")
    inputs = sheet.column_cells(quantity) + sheet.column_cells(price)
    return finish("line_totals", seed, sheet, instruction, targets, inputs, builder)


def growth(rng: random.Random, seed: int) -> Task:
    layout = rng.choice(GROWTH)
    measure = layout.measures[0]
    year = rng.randint(2016, 2024)
    n_rows = rng.randint(4, min(11, len(layout.keys)))
    values = []
    for _ in range(n_rows):
        old = draw(rng, measure)
        values.append([old, float(max(1, round(old * rng.uniform(0.7, 1.45))))])
    headers = (f"{measure.header} {year}", f"{measure.header} {year + 1}")
    sheet = build_sheet(rng, layout, values, headers)
    old_col, new_col = sheet.data_cols
    (result,) = sheet.result_cols
    percent = rng.random() < 0.5
    with_totals = rng.random() < 0.4
    last = sheet.total_row if with_totals else sheet.last_row
    rows = sheet.column_cells(result, last)
    span = sheet.column_span(result, last)
    old_name, new_name = headers
    instruction = rng.choice(PHRASINGS["growth"]).format(span=span, old=old_name, new=new_name)
    targets = formula_targets(rows, "percent" if percent else None)
    totals: list[str] = []
    if with_totals:
        totals = [cell_name(sheet.total_row, old_col), cell_name(sheet.total_row, new_col)]
        sheet.wb.set(f"{SHEET}!{cell_name(sheet.total_row, sheet.left)}", "Total")
        instruction = PHRASINGS["totals_first"][0].format(
            old=sheet.column_span(old_col), new=sheet.column_span(new_col), old_total=totals[0],
            new_total=totals[1]) + " " + instruction
        targets = formula_targets(totals) + targets
    if percent:
        instruction += " " + PHRASINGS["percent"][0].format(span=span)
    builder = ExpertBuilder(sheet.wb, [t.address for t in targets])
    if with_totals:
        builder.go(totals[0]).do("sum_above", "fill_right")
    builder.go(rows[0]).do("left_growth")
    if percent:
        builder.do("format_percent")
    builder.do("fill_down")
    inputs = sheet.column_cells(old_col) + sheet.column_cells(new_col)
    return finish("growth", seed, sheet, instruction, targets, inputs, builder)


def share_of_total(rng: random.Random, seed: int) -> Task:
    layout = rng.choice(SHARES)
    sheet = build_sheet(rng, layout)
    (amount,) = sheet.data_cols
    (result,) = sheet.result_cols
    percent = rng.random() < 0.5
    with_total = rng.random() < 0.5
    rows = sheet.column_cells(result)
    span, amounts = sheet.column_span(result), sheet.column_span(amount)
    instruction = rng.choice(PHRASINGS["share_of_total"]).format(
        span=span, amounts=amounts, key=layout.key_header.lower(), amount=sheet.header(amount).lower())
    if percent:
        instruction += " " + PHRASINGS["percent"][0].format(span=span)
    targets = formula_targets(rows, "percent" if percent else None)
    if with_total:
        total = cell_name(sheet.total_row, amount)
        sheet.wb.set(f"{SHEET}!{cell_name(sheet.total_row, sheet.left)}", "Total")
        instruction += " " + PHRASINGS["total_last"][0].format(amounts=amounts, total=total)
        targets.append(Target(total, formula=True, dynamic=True))
    # shares first: a total under the amounts would otherwise join the block the share formula sums
    builder = ExpertBuilder(sheet.wb, [t.address for t in targets]).go(rows[0]).do("share_of_column_total")
    if percent:
        builder.do("format_percent")
    builder.do("fill_down")
    if with_total:
        builder.go(targets[-1].address).do("sum_above")
    return finish("share_of_total", seed, sheet, instruction, targets, sheet.column_cells(amount), builder)


def difference(rng: random.Random, seed: int) -> Task:
    if rng.random() < 0.35:
        return margin(rng, seed)
    layout = rng.choice(DIFFERENCES)
    sheet = build_sheet(rng, layout)
    before, after = sheet.data_cols
    (result,) = sheet.result_cols
    rows = sheet.column_cells(result)
    span = sheet.column_span(result)
    totals = [cell_name(sheet.total_row, c) for c in (before, after, result)]
    sheet.wb.set(f"{SHEET}!{cell_name(sheet.total_row, sheet.left)}", "Total")
    a, b = sheet.header(after), sheet.header(before)
    instruction = rng.choice(PHRASINGS["difference"]).format(
        span=span, a=a, b=b, totals=f"{totals[0]}:{totals[-1]}", result=sheet.header(result).lower(),
        row=sheet.total_row + 1)
    targets = formula_targets(rows + totals)
    builder = ExpertBuilder(sheet.wb, [t.address for t in targets])
    builder.go(rows[0]).do("left_difference", "fill_down").go(totals[0]).do("sum_above", "fill_right")
    inputs = sheet.column_cells(before) + sheet.column_cells(after)
    return finish("difference", seed, sheet, instruction, targets, inputs, builder)


def margin(rng: random.Random, seed: int) -> Task:
    """The difference sub-template's margin variant: Profit = Revenue − Cost, then Margin = Profit / Revenue."""
    layout = rng.choice(MARGINS)
    cost_measure = layout.measures[0]
    n_rows = rng.randint(4, min(11, len(layout.keys)))
    values = []
    for _ in range(n_rows):
        cost = draw(rng, cost_measure)
        values.append([cost, float(round(cost * rng.uniform(1.05, 1.9)))])
    sheet = build_sheet(rng, layout, values)
    cost_col, revenue_col = sheet.data_cols
    profit_col, margin_col = sheet.result_cols
    percent = rng.random() < 0.6
    profits, margins = sheet.column_cells(profit_col), sheet.column_cells(margin_col)
    cost, revenue = sheet.header(cost_col), sheet.header(revenue_col)
    instruction = rng.choice(PHRASINGS["margin"]).format(
        profits=sheet.column_span(profit_col), margins=sheet.column_span(margin_col), revenue=revenue, cost=cost)
    if percent:
        instruction += " " + PHRASINGS["percent"][0].format(span=sheet.column_span(margin_col))
    targets = formula_targets(profits) + formula_targets(margins, "percent" if percent else None)
    builder = ExpertBuilder(sheet.wb, [t.address for t in targets])
    builder.go(profits[0]).do("left_difference", "fill_down").go(margins[0]).do("left_ratio")
    if percent:
        builder.do("format_percent")
    builder.do("fill_down")
    inputs = sheet.column_cells(cost_col) + sheet.column_cells(revenue_col)
    return finish("difference", seed, sheet, instruction, targets, inputs, builder)


def running_total(rng: random.Random, seed: int) -> Task:
    layout = rng.choice(RUNNING)
    sheet = build_sheet(rng, layout)
    (amount,) = sheet.data_cols
    (result,) = sheet.result_cols
    rows = sheet.column_cells(result)
    span, amounts = sheet.column_span(result), sheet.column_span(amount)
    first = cell_name(sheet.first_row, amount)
    instruction = rng.choice(PHRASINGS["running_total"]).format(
        span=span, amounts=amounts, first=first, result=sheet.header(result).lower(),
        key=layout.key_header.lower())
    targets = formula_targets(rows)
    builder = ExpertBuilder(sheet.wb, rows).go(rows[0]).do("running_total", "fill_down")
    return finish("running_total", seed, sheet, instruction, targets, sheet.column_cells(amount), builder)


BUILDERS = {
    "line_totals": line_totals,
    "growth": growth,
    "share_of_total": share_of_total,
    "difference": difference,
    "running_total": running_total,
}


def generate(rng: random.Random, seed: int) -> Task:
    """A level-3 task: one of :data:`TEMPLATES`, drawn and filled in from ``rng``."""
    return BUILDERS[rng.choice(TEMPLATES)](rng, seed)


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
        for text in (layout.title, layout.key_header, *layout.results, *(m.header for m in layout.measures)):
            words |= words_of(text)
    return sorted(words)


VOCABULARY: list[str] = _vocabulary()
