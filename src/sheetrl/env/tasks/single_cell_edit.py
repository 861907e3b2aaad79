"""Level 1 — single-cell edits on a realistic table.

Every task changes exactly one thing the instruction names: type a missing number or label, correct a wrong entry,
make a header bold, or clear a stray cell. The table around the target (sales, inventory, payroll, grades,
expenses) is there to be read and left alone.

Sub-templates (:data:`TEMPLATES`):

- ``enter_number``: a number is missing from the table; the instruction gives it and names its cell.
- ``enter_label``: a row label or a column header is missing; the instruction gives the text.
- ``correct_entry``: one number is wrong; the instruction says what it should be.
- ``bold_header``: make the header row, or one header cell, bold (values unchanged).
- ``clear_stray``: a stray entry sits outside the table; clear it.

The expert goes to each target with ``next_target`` (targets are visited in reading order), acts, and ends with
``done``. Expected values are read from the expert's solution, never computed here.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace

from sheetrl.env.tasks.base import GRID_COLS, GRID_ROWS, SHEET, Target, Task
from sheetrl.sheet import Workbook
from sheetrl.sheet.address import cell_name, parse_cell
from sheetrl.sheet.values import number_to_text

FAMILY = "single_cell_edit"
LEVEL = 1
TEMPLATES = ("enter_number", "enter_label", "correct_entry", "bold_header", "clear_stray")


# --------------------------------------------------------------------------------------------- table vocabularies
@dataclass(frozen=True)
class Column:
    """One column of a generated table: a header and how its values are drawn.

    :param kind: "text" (drawn from ``words``), "int" (``low``..``high`` in steps of ``step``) or "money"
        (``low``..``high`` with cents).
    """

    header: str
    kind: str
    low: float = 0
    high: float = 0
    step: int = 1
    words: tuple[str, ...] = ()


@dataclass(frozen=True)
class TableKind:
    """A kind of table people keep in a spreadsheet: a title, a key column of row labels, and data columns."""

    title: str
    key_header: str
    keys: tuple[str, ...]
    columns: tuple[Column, ...]


REGIONS = ("North", "South", "East", "West", "Central", "Northeast", "Northwest", "Southeast", "Southwest", "Pacific",
           "Midwest", "Mountain")
EMPLOYEES = ("Alice Moreno", "Ben Carter", "Chloe Nguyen", "David Okafor", "Emma Schulz", "Farid Haddad",
             "Grace Kim", "Hugo Laurent", "Isla Brennan", "Jamal Price", "Keiko Tanaka", "Liam Walsh", "Maya Patel",
             "Noah Fischer", "Olivia Rossi", "Pedro Alves", "Quinn Murphy", "Rosa Delgado", "Sam Whitfield",
             "Tara Singh")
ITEMS = ("Stapler", "Printer paper", "Toner cartridge", "Desk lamp", "Office chair", "Notebook", "Ballpoint pens",
         "Monitor stand", "USB cable", "Keyboard", "Wireless mouse", "Whiteboard", "Sticky notes", "Paper clips",
         "File folders", "Headset", "Webcam", "Label maker")
ITEM_CATEGORIES = ("Office", "Electronics", "Furniture", "Stationery")
DEPARTMENTS = ("Sales", "Finance", "Marketing", "Operations", "Support", "Engineering", "Legal")
EXPENSE_CATEGORIES = ("Rent", "Utilities", "Travel", "Supplies", "Software", "Insurance", "Advertising",
                      "Salaries", "Training", "Maintenance", "Shipping", "Telephone")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep")
QUARTERS = ("Q1", "Q2", "Q3", "Q4")

TABLE_KINDS = (
    TableKind("Monthly sales by region", "Region", REGIONS,
              tuple(Column(m, "int", 800, 9000, 10) for m in MONTHS)),
    TableKind("Office inventory", "Item", ITEMS, (
        Column("Category", "text", words=ITEM_CATEGORIES),
        Column("In stock", "int", 5, 480),
        Column("Reorder level", "int", 10, 100, 5),
        Column("Unit cost", "money", 0.5, 250),
    )),
    TableKind("Weekly payroll", "Employee", EMPLOYEES, (
        Column("Department", "text", words=DEPARTMENTS),
        Column("Hours", "int", 16, 45),
        Column("Hourly rate", "money", 15, 60),
        Column("Overtime", "int", 0, 10),
    )),
    TableKind("Course grades", "Student", EMPLOYEES, (
        Column("Quiz 1", "int", 40, 100),
        Column("Quiz 2", "int", 40, 100),
        Column("Midterm", "int", 35, 100),
        Column("Project", "int", 50, 100),
        Column("Final", "int", 35, 100),
    )),
    TableKind("Quarterly expenses", "Category", EXPENSE_CATEGORIES,
              tuple(Column(q, "int", 200, 20000, 25) for q in QUARTERS)),
)
STRAY_ENTRIES = ("x", "test", "???", "TODO", "delete", "tmp", "old", 999, 0, 1, 42, "see above")


@dataclass
class Table:
    """A generated table placed on the sheet: header row at ``top``, key column at ``left``."""

    kind: TableKind
    top: int
    left: int
    headers: list[str]
    columns: list[Column | None]  # None for the key column
    rows: list[list[str | float]]

    @property
    def bottom(self) -> int:
        """Row index of the last data row."""
        return self.top + len(self.rows)

    @property
    def right(self) -> int:
        """Column index of the last column."""
        return self.left + len(self.headers) - 1

    def header_cell(self, column: int) -> str:
        return cell_name(self.top, self.left + column)

    def data_cell(self, row: int, column: int) -> str:
        return cell_name(self.top + 1 + row, self.left + column)

    def numeric_columns(self) -> list[int]:
        return [i for i, c in enumerate(self.columns) if c is not None and c.kind != "text"]

    def text_columns(self) -> list[int]:
        return [i for i, c in enumerate(self.columns) if c is None or c.kind == "text"]

    def write(self, wb: Workbook) -> None:
        """Write the title (when there is room above), the header row and the data rows."""
        if self.top >= 2:
            wb.set(f"{SHEET}!{cell_name(self.top - 2, self.left)}", self.kind.title)
        wb.set_range(f"{SHEET}!{cell_name(self.top, self.left)}", [list(self.headers), *self.rows])


def draw_value(rng: random.Random, column: Column) -> str | float:
    """One plausible value for a column."""
    if column.kind == "text":
        return rng.choice(column.words)
    if column.kind == "money":
        return round(rng.uniform(column.low, column.high), 2)
    return float(rng.randrange(int(column.low), int(column.high) + 1, column.step))


def random_table(rng: random.Random) -> Table:
    """A table of a random kind, size and position inside the observed grid, leaving room around it."""
    kind = rng.choice(TABLE_KINDS)
    n_columns = rng.randint(min(2, len(kind.columns)), min(5, len(kind.columns)))
    first = rng.randint(0, len(kind.columns) - n_columns)
    columns: list[Column | None] = [None, *kind.columns[first:first + n_columns]]
    n_rows = rng.randint(4, min(10, len(kind.keys)))
    top = rng.choice((0, 0, 1, 2, 3, 4))
    left = rng.randint(0, 3)
    top = min(top, GRID_ROWS - 4 - n_rows)
    left = min(left, GRID_COLS - 2 - len(columns))
    keys = rng.sample(kind.keys, n_rows)
    rows = [[key, *(draw_value(rng, c) for c in columns[1:] if c is not None)] for key in keys]
    headers = [kind.key_header, *(c.header for c in columns[1:] if c is not None)]
    return Table(kind, top, left, headers, columns, rows)


# The instruction wordings, by sub-template; {placeholders} are filled in per task.
PHRASINGS: dict[str, tuple[str, ...]] = {
    "enter_number": (
        "Enter {value} in {cell}.",
        "Type {value} into {cell}, the {header} value for {key}.",
        "{cell} is missing the {header} value for {key}: enter {value}.",
        "The {header} value for {key} is {value}. Enter it in {cell}.",
    ),
    "enter_header": (
        'The column header in {cell} is missing: type "{label}".',
        'Enter the header "{label}" in {cell}.',
    ),
    "enter_label": (
        'Type "{label}" in {cell}.',
        'The {header} in {cell} is missing: enter "{label}".',
        'Enter "{label}" in {cell} under {header}.',
    ),
    "correct_entry": (
        "{cell} should be {right}, not {wrong}: correct it.",
        "The {header} value for {key} in {cell} is wrong. Change it to {right}.",
        "Fix the typo in {cell}: replace {wrong} with {right}.",
    ),
    "bold_row": (
        "Make the header row {span} bold.",
        "Bold the column headers in {span}.",
        "Format the headers {span} in bold.",
    ),
    "bold_cell": (
        'Make the header "{header}" in {cell} bold.',
        "Bold the header cell {cell}.",
    ),
    "clear_stray": (
        "Clear the stray entry in {cell}.",
        "{cell} holds a leftover entry that does not belong to the table: delete it.",
        "Empty cell {cell}.",
    ),
}


# --------------------------------------------------------------------------------------------------- helpers
def number_text(value: float) -> str:
    """A number as a person would type it (General format)."""
    return number_to_text(float(value))


def visit_targets(start: str, cells: list[str], act: list[str]) -> list[str]:
    """Macros that visit every cell in ``cells`` with ``next_target`` (reading order from the cursor, wrapping
    around, as the macro does) and apply ``act`` at each, then ``done``."""

    def position(address: str) -> tuple[int, int]:
        cell = parse_cell(address)
        return cell.row, cell.col

    here = position(start)
    ordered = sorted({position(c) for c in cells})
    first = next((i for i, p in enumerate(ordered) if p >= here), 0)
    actions: list[str] = []
    for place in ordered[first:] + ordered[:first]:
        if place != here:
            actions.append("next_target")
            here = place
        actions.extend(act)
    return [*actions, "done"]


def step_budget(expert_length: int) -> int:
    """Episode step limit: about two and a half times the expert's length, and at least ten steps more."""
    return max(expert_length + 10, round(2.5 * expert_length))


def with_expected_values(task: Task) -> Task:
    """Fill each target's expected value from the expert's solution (only for targets that expect a value)."""
    solution = task.solution
    task.targets = [
        t if t.empty else replace(t, expected=solution.value(f"{SHEET}!{t.address}")) for t in task.targets
    ]
    return task


def new_task(template: str, seed: int, wb: Workbook, instruction: str, targets: list[Target], actions: list[str],
             slots: dict | None = None, start: str = "A1") -> Task:
    task = Task(FAMILY, LEVEL, template, seed, wb, instruction, targets, actions, inputs=[], slots=slots or {},
                max_steps=step_budget(len(actions)), start=start)
    return with_expected_values(task)


def described_row(table: Table, row: int) -> str:
    return str(table.rows[row][0])


# ---------------------------------------------------------------------------------------------- sub-templates
def enter_number(rng: random.Random, seed: int) -> Task:
    table = random_table(rng)
    column = rng.choice(table.numeric_columns())
    row = rng.randrange(len(table.rows))
    value = table.rows[row][column]
    table.rows[row][column] = None  # type: ignore[call-overload]
    wb = Workbook()
    table.write(wb)
    cell = table.data_cell(row, column)
    header, key, text = table.headers[column], described_row(table, row), number_text(value)
    instruction = rng.choice(PHRASINGS["enter_number"]).format(value=text, cell=cell, header=header, key=key)
    return new_task("enter_number", seed, wb, instruction, [Target(cell)],
                    visit_targets("A1", [cell], ["write_instructed_value"]), {"value": value})


def enter_label(rng: random.Random, seed: int) -> Task:
    table = random_table(rng)
    wb = Workbook()
    if rng.random() < 0.4:  # a missing column header
        column = rng.randrange(len(table.headers))
        label = table.headers[column]
        table.headers[column] = None  # type: ignore[call-overload]
        cell = table.header_cell(column)
        instruction = rng.choice(PHRASINGS["enter_header"]).format(label=label, cell=cell)
    else:  # a missing row label or text entry
        column = rng.choice(table.text_columns())
        row = rng.randrange(len(table.rows))
        label = str(table.rows[row][column])
        table.rows[row][column] = None  # type: ignore[call-overload]
        cell = table.data_cell(row, column)
        header = table.headers[column]
        instruction = rng.choice(PHRASINGS["enter_label"]).format(label=label, cell=cell, header=header)
    table.write(wb)
    return new_task("enter_label", seed, wb, instruction, [Target(cell)],
                    visit_targets("A1", [cell], ["write_instructed_value"]), {"value": label})


def wrong_version(rng: random.Random, value: float, column: Column) -> float:
    """A plausible typing mistake for a value: swapped digits, a slipped decimal point, or a nearby number."""
    candidates: list[float] = []
    digits = number_text(value)
    for i in range(len(digits) - 1):
        if digits[i].isdigit() and digits[i + 1].isdigit() and digits[i] != digits[i + 1]:
            swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:]
            if not swapped.startswith("0"):
                candidates.append(float(swapped))
    candidates.append(value * 10)
    nudge = round(rng.uniform(1, 9), 2) if column.kind == "money" else float(column.step * rng.randint(1, 9))
    candidates.append(value + nudge)
    if value - nudge > 0:
        candidates.append(value - nudge)
    candidates = [c for c in candidates if c != value and c > 0]
    return rng.choice(candidates)


def correct_entry(rng: random.Random, seed: int) -> Task:
    table = random_table(rng)
    column = rng.choice(table.numeric_columns())
    row = rng.randrange(len(table.rows))
    value = float(table.rows[row][column])
    spec = table.columns[column]
    assert spec is not None
    wrong = wrong_version(rng, value, spec)
    table.rows[row][column] = wrong
    wb = Workbook()
    table.write(wb)
    cell = table.data_cell(row, column)
    header, key = table.headers[column], described_row(table, row)
    right_text, wrong_text = number_text(value), number_text(wrong)
    instruction = rng.choice(PHRASINGS["correct_entry"]).format(
        cell=cell, right=right_text, wrong=wrong_text, header=header, key=key)
    return new_task("correct_entry", seed, wb, instruction, [Target(cell)],
                    visit_targets("A1", [cell], ["write_instructed_value"]), {"value": value})


def bold_header(rng: random.Random, seed: int) -> Task:
    table = random_table(rng)
    wb = Workbook()
    table.write(wb)
    if rng.random() < 0.6:
        cells = [table.header_cell(c) for c in range(len(table.headers))]
        span = f"{cells[0]}:{cells[-1]}"
        instruction = rng.choice(PHRASINGS["bold_row"]).format(span=span)
    else:
        column = rng.randrange(len(table.headers))
        cells = [table.header_cell(column)]
        instruction = rng.choice(PHRASINGS["bold_cell"]).format(header=table.headers[column], cell=cells[0])
    targets = [Target(c, bold=True) for c in cells]
    return new_task("bold_header", seed, wb, instruction, targets, visit_targets("A1", cells, ["bold"]))


def clear_stray(rng: random.Random, seed: int) -> Task:
    table = random_table(rng)
    wb = Workbook()
    table.write(wb)
    # somewhere clearly outside the table: not touching it, not on its title row
    title_row = table.top - 2 if table.top >= 2 else None
    free = [
        (r, c) for r in range(GRID_ROWS) for c in range(GRID_COLS)
        if not (table.top - 1 <= r <= table.bottom + 1 and table.left - 1 <= c <= table.right + 1)
        and r != title_row
    ]
    row, col = rng.choice(free)
    cell = cell_name(row, col)
    wb.set(f"{SHEET}!{cell}", rng.choice(STRAY_ENTRIES))
    instruction = rng.choice(PHRASINGS["clear_stray"]).format(cell=cell)
    return new_task("clear_stray", seed, wb, instruction, [Target(cell, empty=True)],
                    visit_targets("A1", [cell], ["clear_cells"]))


BUILDERS = {
    "enter_number": enter_number,
    "enter_label": enter_label,
    "correct_entry": correct_entry,
    "bold_header": bold_header,
    "clear_stray": clear_stray,
}


def generate(rng: random.Random, seed: int) -> Task:
    """A level-1 task: one of :data:`TEMPLATES`, drawn and filled in from ``rng``."""
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
    for kind in TABLE_KINDS:
        for text in (kind.key_header, *kind.keys):
            words |= words_of(text)
        for column in kind.columns:
            words |= words_of(column.header)
            for text in column.words:
                words |= words_of(text)
    return sorted(words)


VOCABULARY: list[str] = _vocabulary()
