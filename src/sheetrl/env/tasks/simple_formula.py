"""Level 2 — one formula in one named cell.

Sub-templates (:data:`TEMPLATES`):

- ``column_aggregate``: SUM / AVERAGE / MIN / MAX / COUNT of one column of a data table, in the cell directly below
  the column (the expert's ``<agg>_above`` picks the block above, as AutoSum does).
- ``row_aggregate``: the same over one row, in the cell directly right of the row (``<agg>_left``).
- ``cell_arithmetic``: one formula combining two neighbouring cells — a row of a two-column table (Units × Price,
  Actual − Budget, growth, ratio, sum) or a stacked summary block (Revenue − Expenses, Visitors → conversion rate).
- ``selected_range_aggregate``: the target
  sits in a summary cell away from the data, so the range must be selected (``anchor_selection`` and moves), then
  the aggregate written from outside it with ``<agg>_selection``.

Every target requires a formula whose value follows the inputs (``formula=True, dynamic=True``); the inputs are
the data cells the formula reads. Expected values come from the expert's solution.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace

from sheetrl.env.tasks.base import GRID_COLS, GRID_ROWS, SHEET, Target, Task
from sheetrl.sheet import Workbook
from sheetrl.sheet.address import cell_name

FAMILY = "simple_formula"
LEVEL = 2
AGGREGATES = ("SUM", "AVERAGE", "MIN", "MAX", "COUNT")
AGGREGATE_PHRASES = {
    "SUM": ("total", "sum"),
    "AVERAGE": ("average", "mean"),
    "MIN": ("minimum", "smallest value"),
    "MAX": ("maximum", "largest value"),
    "COUNT": ("number of entries", "count of values"),
}
AGGREGATE_LABELS = {"SUM": "Total", "AVERAGE": "Average", "MIN": "Lowest", "MAX": "Highest", "COUNT": "Count"}


# The instruction wordings, by sub-template; {placeholders} are filled in per task.
PHRASINGS: dict[str, tuple[str, ...]] = {
    "column_aggregate": (
        "In {target}, enter a formula for the {phrase} of {header} ({area}).",
        "Put a formula in {target} that gives the {phrase} of {area}.",
        "Use a formula in {target} to compute the {phrase} of the {header} column, {area}.",
    ),
    "row_aggregate": (
        "In {target}, enter a formula for the {phrase} of {area} ({key}).",
        "Put a formula in {target} that gives the {phrase} of the {noun} for {key}, {area}.",
        "Use a formula in {target} to compute the {phrase} of row {row}, {area}.",
    ),
    "cell_arithmetic": (
        "In {target}, enter a formula for {description}.",
        "For {subject}, put a formula in {target} that gives {description}.",
    ),
    "selected_range_aggregate": (
        "In {target}, enter a formula for the {phrase} of {area} ({subject}).",
        "Select {area} and put a formula for its {phrase} in {target}.",
    ),
}


# --------------------------------------------------------------------------------------------- table vocabularies
@dataclass(frozen=True)
class NumericTableKind:
    """A table of row labels times numeric columns (e.g. regions times months), with how its numbers are drawn."""

    title: str
    key_header: str
    keys: tuple[str, ...]
    headers: tuple[str, ...]
    low: int
    high: int
    step: int = 1
    decimals: int = 0
    noun: str = "values"


TABLE_KINDS = (
    NumericTableKind("Units sold by region", "Region",
                     ("North", "South", "East", "West", "Central", "Northeast", "Northwest", "Southeast",
                      "Southwest", "Pacific", "Midwest"),
                     ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep"), 120, 2400, noun="units"),
    NumericTableKind("Quarterly expenses", "Category",
                     ("Rent", "Utilities", "Travel", "Supplies", "Software", "Insurance", "Advertising", "Salaries",
                      "Training", "Maintenance", "Shipping"),
                     ("Q1", "Q2", "Q3", "Q4"), 300, 24000, step=50, noun="expenses"),
    NumericTableKind("Test scores", "Student",
                     ("Alice Moreno", "Ben Carter", "Chloe Nguyen", "David Okafor", "Emma Schulz", "Farid Haddad",
                      "Grace Kim", "Hugo Laurent", "Isla Brennan", "Jamal Price", "Keiko Tanaka"),
                     ("Quiz 1", "Quiz 2", "Midterm", "Project", "Final"), 35, 100, noun="scores"),
    NumericTableKind("Website visits", "Page",
                     ("Home", "Pricing", "Blog", "Contact", "About", "Careers", "Docs", "Support", "Signup"),
                     ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"), 40, 5000, noun="visits"),
    NumericTableKind("Weekly output", "Line",
                     ("Assembly", "Packaging", "Welding", "Painting", "Testing", "Cutting", "Molding"),
                     ("Week 1", "Week 2", "Week 3", "Week 4", "Week 5", "Week 6"), 200, 1500, step=5,
                     noun="output"),
    NumericTableKind("Monthly rainfall in mm", "City",
                     ("Lisbon", "Oslo", "Dublin", "Vienna", "Madrid", "Prague", "Athens", "Zurich", "Warsaw"),
                     ("Jan", "Feb", "Mar", "Apr", "May", "Jun"), 5, 160, decimals=1, noun="rainfall"),
)


@dataclass
class NumericTable:
    """A generated numeric table placed with its header row at ``top`` and its label column at ``left``."""

    kind: NumericTableKind
    top: int
    left: int
    headers: list[str]  # the numeric columns' headers
    keys: list[str]
    numbers: list[list[float]]

    @property
    def first_row(self) -> int:
        return self.top + 1

    @property
    def last_row(self) -> int:
        return self.top + len(self.keys)

    @property
    def first_col(self) -> int:
        return self.left + 1

    @property
    def last_col(self) -> int:
        return self.left + len(self.headers)

    def column_range(self, col: int) -> str:
        return f"{cell_name(self.first_row, col)}:{cell_name(self.last_row, col)}"

    def row_range(self, row: int) -> str:
        return f"{cell_name(row, self.first_col)}:{cell_name(row, self.last_col)}"

    def data_cells(self) -> list[str]:
        return [cell_name(r, c) for r in range(self.first_row, self.last_row + 1)
                for c in range(self.first_col, self.last_col + 1)]

    def write(self, wb: Workbook) -> None:
        if self.top >= 2:
            wb.set(f"{SHEET}!{cell_name(self.top - 2, self.left)}", self.kind.title)
        rows = [[self.kind.key_header, *self.headers]]
        rows += [[key, *numbers] for key, numbers in zip(self.keys, self.numbers)]
        wb.set_range(f"{SHEET}!{cell_name(self.top, self.left)}", rows)


def random_numeric_table(rng: random.Random, spare_rows: int = 2, spare_cols: int = 2) -> NumericTable:
    """A numeric table leaving at least ``spare_rows`` empty rows below it and ``spare_cols`` columns right of it."""
    kind = rng.choice(TABLE_KINDS)
    n_cols = rng.randint(2, min(6, len(kind.headers)))
    n_rows = rng.randint(3, min(10, len(kind.keys)))
    first = rng.randint(0, len(kind.headers) - n_cols)
    top = min(rng.choice((0, 0, 1, 2, 3, 4)), GRID_ROWS - 1 - n_rows - spare_rows)
    left = min(rng.randint(0, 3), GRID_COLS - 1 - n_cols - spare_cols)

    def draw() -> float:
        if kind.decimals:
            return round(rng.uniform(kind.low, kind.high), kind.decimals)
        return float(rng.randrange(kind.low, kind.high + 1, kind.step))

    numbers = [[draw() for _ in range(n_cols)] for _ in range(n_rows)]
    return NumericTable(kind, top, left, list(kind.headers[first:first + n_cols]), rng.sample(kind.keys, n_rows),
                        numbers)


# --------------------------------------------------------------------------------------------------- helpers
def step_budget(expert_length: int) -> int:
    """Episode step limit: about two and a half times the expert's length, and at least ten steps more."""
    return max(expert_length + 10, round(2.5 * expert_length))


def formula_task(template: str, seed: int, wb: Workbook, instruction: str, target: str, inputs: list[str],
                 actions: list[str], start: str = "A1") -> Task:
    """A task with one formula target whose expected value is read from the expert's solution."""
    task = Task(FAMILY, LEVEL, template, seed, wb, instruction, [Target(target, formula=True, dynamic=True)],
                actions, inputs=inputs, max_steps=step_budget(len(actions)), start=start)
    value = task.solution.value(f"{SHEET}!{target}")
    task.targets = [replace(task.targets[0], expected=value)]
    return task


def moves_between(start: tuple[int, int], end: tuple[int, int]) -> list[str]:
    """Single-cell moves from ``start`` to ``end``: rows first, then columns."""
    (r0, c0), (r1, c1) = start, end
    vertical = ["move_down" if r1 > r0 else "move_up"] * abs(r1 - r0)
    horizontal = ["move_right" if c1 > c0 else "move_left"] * abs(c1 - c0)
    return vertical + horizontal


# ---------------------------------------------------------------------------------------------- sub-templates
def column_aggregate(rng: random.Random, seed: int) -> Task:
    table = random_numeric_table(rng)
    function = rng.choice(AGGREGATES)
    column = rng.randint(table.first_col, table.last_col)
    header = table.headers[column - table.first_col]
    target = cell_name(table.last_row + 1, column)
    area = table.column_range(column)
    wb = Workbook()
    table.write(wb)
    if rng.random() < 0.6:
        wb.set(f"{SHEET}!{cell_name(table.last_row + 1, table.left)}", AGGREGATE_LABELS[function])
    phrase = rng.choice(AGGREGATE_PHRASES[function])
    instruction = rng.choice(PHRASINGS["column_aggregate"]).format(
        target=target, phrase=phrase, header=header, area=area)
    inputs = [cell_name(r, column) for r in range(table.first_row, table.last_row + 1)]
    actions = ["next_target", f"{function.lower()}_above", "done"]
    return formula_task("column_aggregate", seed, wb, instruction, target, inputs, actions)


def row_aggregate(rng: random.Random, seed: int) -> Task:
    table = random_numeric_table(rng)
    function = rng.choice(AGGREGATES)
    index = rng.randrange(len(table.keys))
    row = table.first_row + index
    key = table.keys[index]
    target = cell_name(row, table.last_col + 1)
    area = table.row_range(row)
    wb = Workbook()
    table.write(wb)
    if rng.random() < 0.6:
        wb.set(f"{SHEET}!{cell_name(table.top, table.last_col + 1)}", AGGREGATE_LABELS[function])
    phrase = rng.choice(AGGREGATE_PHRASES[function])
    instruction = rng.choice(PHRASINGS["row_aggregate"]).format(
        target=target, phrase=phrase, area=area, key=key, noun=table.kind.noun, row=row + 1)
    inputs = [cell_name(row, c) for c in range(table.first_col, table.last_col + 1)]
    actions = ["next_target", f"{function.lower()}_left", "done"]
    return formula_task("row_aggregate", seed, wb, instruction, target, inputs, actions)


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


def draw_number(rng: random.Random, bounds: tuple[float, float], decimals: int) -> float:
    low, high = bounds
    if decimals:
        return round(rng.uniform(low, high), decimals)
    return float(rng.randint(int(low), int(high)))


def cell_arithmetic(rng: random.Random, seed: int) -> Task:
    wb = Workbook()
    top = rng.randint(0, 6)
    left = rng.randint(0, 5)
    if rng.random() < 0.5:  # one row of a table: key | first | second | result
        spec = rng.choice(ROW_PAIRS)
        keys = rng.sample(spec.keys, rng.randint(3, len(spec.keys)))
        rows: list[list] = [[spec.key_header, spec.first, spec.second, spec.result]]
        for key in keys:
            rows.append([key, draw_number(rng, spec.first_range, spec.decimals),
                         draw_number(rng, spec.second_range, spec.decimals)])
        wb.set_range(f"{SHEET}!{cell_name(top, left)}", rows)
        index = rng.randrange(len(keys))
        row = top + 1 + index
        first, second, target = (cell_name(row, left + 1), cell_name(row, left + 2), cell_name(row, left + 3))
        subject = keys[index]
    else:  # a stacked summary block: labels in one column, a few periods side by side
        spec = rng.choice(STACKED_PAIRS)
        periods = rng.randint(1, 4)
        start = rng.randrange(len(PERIODS) - periods + 1)
        names = PERIODS[start:start + periods]
        rows = [[None, *names], [spec.first], [spec.second], [spec.result]]  # ragged rows are fine
        for _ in names:
            rows[1].append(draw_number(rng, spec.first_range, spec.decimals))
            rows[2].append(draw_number(rng, spec.second_range, spec.decimals))
        wb.set_range(f"{SHEET}!{cell_name(top, left)}", rows)
        index = rng.randrange(periods)
        col = left + 1 + index
        first, second, target = (cell_name(top + 1, col), cell_name(top + 2, col), cell_name(top + 3, col))
        subject = names[index]
    description = spec.describe.format(first=first, second=second)
    instruction = rng.choice(PHRASINGS["cell_arithmetic"]).format(
        target=target, description=description, subject=subject)
    return formula_task("cell_arithmetic", seed, wb, instruction, target, [first, second],
                        ["next_target", spec.macro, "done"])


def selected_range_aggregate(rng: random.Random, seed: int) -> Task:
    """The aggregate goes into a labelled summary cell away from the data, so the range must be selected."""
    table = random_numeric_table(rng, spare_rows=3, spare_cols=3)
    function = rng.choice(AGGREGATES)
    wb = Workbook()
    table.write(wb)
    if rng.random() < 0.5:  # a column of the table
        column = rng.randint(table.first_col, table.last_col)
        subject = table.headers[column - table.first_col]
        start, end = (table.first_row, column), (table.last_row, column)
        area = table.column_range(column)
    else:  # a row of the table
        index = rng.randrange(len(table.keys))
        row = table.first_row + index
        subject = table.keys[index]
        start, end = (row, table.first_col), (row, table.last_col)
        area = table.row_range(row)
    if rng.random() < 0.5:  # summary below the table, one empty row between
        label_at = (table.last_row + 2, table.left)
    else:  # summary right of the table, one empty column between
        label_at = (rng.randint(table.top, table.last_row), table.last_col + 2)
    target_at = (label_at[0], label_at[1] + 1)
    target = cell_name(*target_at)
    wb.set(f"{SHEET}!{cell_name(*label_at)}", f"{AGGREGATE_LABELS[function]} {subject}")
    phrase = rng.choice(AGGREGATE_PHRASES[function])
    instruction = rng.choice(PHRASINGS["selected_range_aggregate"]).format(
        target=target, phrase=phrase, area=area, subject=subject)
    inputs = [cell_name(r, c) for r in range(start[0], end[0] + 1) for c in range(start[1], end[1] + 1)]
    actions = [*moves_between((0, 0), start), "anchor_selection", *moves_between(start, end), "next_target",
               f"{function.lower()}_selection", "done"]
    return formula_task("selected_range_aggregate", seed, wb, instruction, target, inputs, actions)


BUILDERS = {
    "column_aggregate": column_aggregate,
    "row_aggregate": row_aggregate,
    "cell_arithmetic": cell_arithmetic,
    "selected_range_aggregate": selected_range_aggregate,
}
TEMPLATES = ("column_aggregate", "row_aggregate", "cell_arithmetic", "selected_range_aggregate")


def generate(rng: random.Random, seed: int) -> Task:
    """A level-2 task: one of :data:`TEMPLATES`, drawn and filled in from ``rng``."""
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
    for phrases in AGGREGATE_PHRASES.values():
        for phrase in phrases:
            words |= words_of(phrase)
    for label in AGGREGATE_LABELS.values():
        words |= words_of(label)
    for kind in TABLE_KINDS:
        for text in (kind.title, kind.key_header, kind.noun, *kind.keys, *kind.headers):
            words |= words_of(text)
    for spec in ROW_PAIRS + STACKED_PAIRS:
        for text in (spec.first, spec.second, spec.result, spec.describe, spec.key_header, *spec.keys):
            words |= words_of(text)
    for text in PERIODS:
        words |= words_of(text)
    return sorted(words)


VOCABULARY: list[str] = _vocabulary()
