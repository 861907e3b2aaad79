"""The tables of levels 1 and 2: kinds of table people keep, drawn with every layout feature.

:func:`draw_table` picks a kind, a size and a position from the task's :class:`~sheetrl.env.tasks.split.Structure`
(so the held-out split holds out sizes, positions and spacer patterns), and per :class:`LayoutConfig` a title,
blank spacer rows or columns, subtotal rows, numeric headers (years) or quarter headers ("Q1"), codes written as
text for row labels, and number formats.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from sheetrl.env.tasks.layout import LayoutConfig, Table
from sheetrl.env.tasks.split import Structure


@dataclass(frozen=True)
class Column:
    """One data column of a table kind: a header and how its values are drawn.

    :param kind: "text" (drawn from ``words``), "int" (``low``..``high`` in steps of ``step``), "money" (with
        cents) or "decimal" (one decimal).
    :param number_format: the preset a person would format it with.
    """

    header: str
    kind: str
    low: float = 0
    high: float = 0
    step: int = 1
    words: tuple[str, ...] = ()
    number_format: str | None = None


@dataclass(frozen=True)
class TableKind:
    """A kind of table: a title, a key column of row labels, data columns. ``periods`` kinds have one column per
    period, headed by quarters ("Q1") or years (numbers, with ``numeric_headers``)."""

    title: str
    key_header: str
    keys: tuple[str, ...]
    columns: tuple[Column, ...]
    noun: str = "values"
    periods: str | None = None  # "quarters" or "years"


REGIONS = ("North", "South", "East", "West", "Central", "Northeast", "Northwest", "Southeast", "Southwest", "Pacific",
           "Midwest", "Mountain")
EMPLOYEES = ("Alice Moreno", "Ben Carter", "Chloe Nguyen", "David Okafor", "Emma Schulz", "Farid Haddad",
             "Grace Kim", "Hugo Laurent", "Isla Brennan", "Jamal Price", "Keiko Tanaka", "Liam Walsh", "Maya Patel",
             "Noah Fischer", "Olivia Rossi", "Pedro Alves", "Quinn Murphy", "Rosa Delgado", "Sam Whitfield",
             "Tara Singh")
ITEMS = ("Stapler", "Printer paper", "Toner cartridge", "Desk lamp", "Office chair", "Notebook", "Ballpoint pens",
         "Monitor stand", "USB cable", "Keyboard", "Wireless mouse", "Whiteboard", "Sticky notes", "Paper clips",
         "File folders", "Headset", "Webcam", "Label maker")
EXPENSE_CATEGORIES = ("Rent", "Utilities", "Travel", "Supplies", "Software", "Insurance", "Advertising",
                      "Salaries", "Training", "Maintenance", "Shipping", "Telephone")
PAGES = ("Home", "Pricing", "Blog", "Contact", "About", "Careers", "Docs", "Support", "Signup", "Login", "Status")
CITIES = ("Lisbon", "Oslo", "Dublin", "Vienna", "Madrid", "Prague", "Athens", "Zurich", "Warsaw", "Riga", "Porto")
LINES = ("Assembly", "Packaging", "Welding", "Painting", "Testing", "Cutting", "Molding", "Sorting", "Labelling",
         "Inspection", "Finishing")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
CODE_HEADERS = ("Code", "Store", "Account", "SKU")


def _ints(headers: tuple[str, ...], low: int, high: int, step: int = 1, fmt: str | None = "thousands"
          ) -> tuple[Column, ...]:
    return tuple(Column(h, "int", low, high, step, number_format=fmt) for h in headers)


TABLE_KINDS: tuple[TableKind, ...] = (
    TableKind("Monthly sales by region", "Region", REGIONS, _ints(MONTHS[:9], 800, 9000, 10), "sales"),
    TableKind("Office inventory", "Item", ITEMS, (
        Column("Category", "text", words=("Office", "Electronics", "Furniture", "Stationery")),
        Column("In stock", "int", 5, 480),
        Column("Reorder level", "int", 10, 100, 5),
        Column("Unit cost", "money", 0.5, 250, number_format="currency"),
    ), "items"),
    TableKind("Weekly payroll", "Employee", EMPLOYEES, (
        Column("Department", "text", words=("Sales", "Finance", "Marketing", "Operations", "Support", "Legal")),
        Column("Hours", "int", 16, 45),
        Column("Hourly rate", "money", 15, 60, number_format="currency"),
        Column("Overtime", "int", 0, 10),
    ), "hours"),
    TableKind("Course grades", "Student", EMPLOYEES,
              _ints(("Quiz 1", "Quiz 2", "Midterm", "Project", "Final"), 35, 100, fmt="integer"), "scores"),
    TableKind("Quarterly expenses", "Category", EXPENSE_CATEGORIES, _ints(("Q1", "Q2", "Q3", "Q4"), 300, 24000, 25,
                                                                          "currency"), "expenses", "quarters"),
    TableKind("Website visits", "Page", PAGES, _ints(DAYS, 40, 5000), "visits"),
    TableKind("Weekly output", "Line", LINES, _ints(tuple(f"Week {i}" for i in range(1, 7)), 200, 1500, 5), "units"),
    TableKind("Monthly rainfall in mm", "City", CITIES,
              tuple(Column(m, "decimal", 5, 160, number_format="number") for m in MONTHS[:6]), "rainfall"),
    TableKind("Annual revenue by division", "Division", REGIONS,
              _ints(tuple(str(y) for y in range(2017, 2025)), 20000, 900000, 100, "currency"), "revenue", "years"),
    TableKind("Headcount by department", "Department", EXPENSE_CATEGORIES,
              _ints(tuple(str(y) for y in range(2018, 2025)), 3, 250, 1, None), "staff", "years"),
    TableKind("Quarterly units by line", "Line", LINES, _ints(("Q1", "Q2", "Q3", "Q4"), 100, 9000, 10),
              "units", "quarters"),
)
NUMERIC_KINDS = tuple(k for k in TABLE_KINDS if all(c.kind != "text" for c in k.columns))
PERIOD_KINDS = tuple(k for k in TABLE_KINDS if k.periods is not None)


def draw_value(rng: random.Random, column: Column) -> str | float:
    """One plausible value for a column."""
    if column.kind == "text":
        return rng.choice(column.words)
    if column.kind == "money":
        return round(rng.uniform(column.low, column.high), 2)
    if column.kind == "decimal":
        return round(rng.uniform(column.low, column.high), 1)
    return float(rng.randrange(int(column.low), int(column.high) + 1, column.step))


def choose_kind(rng: random.Random, config: LayoutConfig, numeric_only: bool) -> tuple[TableKind, bool]:
    """A table kind, and whether its period headers are years written as numbers."""
    pool = NUMERIC_KINDS if numeric_only else TABLE_KINDS
    if rng.random() < config.numeric_headers:
        kind = rng.choice([k for k in pool if k.periods is not None])
        return kind, kind.periods == "years"
    return rng.choice([k for k in pool if k.periods is None] or list(pool)), False


def draw_table(rng: random.Random, structure: Structure, config: LayoutConfig, kind: TableKind,
               numeric_headers: bool = False, rows: range = range(4, 11), cols: range = range(2, 6),
               allow_row_gaps: bool = True, allow_subtotals: bool = False) -> Table:
    """A table of ``kind`` (not yet placed: top and left are 0), sized from the split's part of sizes."""
    max_cols = min(cols.stop - 1, len(kind.columns))
    n_rows, n_cols = structure.size("table", range(rows.start, min(rows.stop - 1, len(kind.keys)) + 1),
                                    range(cols.start, max_cols + 1))
    first = rng.randint(0, len(kind.columns) - n_cols)
    columns = kind.columns[first:first + n_cols]
    headers: list[object] = [c.header for c in columns]
    if kind.periods == "years":
        headers = [float(h) if numeric_headers else f"FY{h}" for h in headers]  # type: ignore[arg-type]
    key_header, keys = kind.key_header, list(rng.sample(kind.keys, n_rows))
    if rng.random() < config.text_numbers:
        key_header = rng.choice(CODE_HEADERS)
        keys = [str(code) for code in rng.sample(range(1001, 9999), n_rows)]
    values = [[draw_value(rng, c) for c in columns] for _ in range(n_rows)]
    row_gaps: tuple[int, ...] = ()
    col_gaps: tuple[int, ...] = ()
    subtotal_after: tuple[int, ...] = ()
    if allow_subtotals and n_rows >= 6 and rng.random() < config.subtotals:
        split = rng.randint(2, n_rows - 3)
        subtotal_after = (split, n_rows - 1)
    elif rng.random() < config.spacers:
        if allow_row_gaps and rng.random() < 0.7:
            row_gaps = structure.gaps("rows", n_rows, 1 if rng.random() < 0.7 else 2)
        else:
            col_gaps = tuple(g - 1 for g in structure.gaps("cols", n_cols + 1, 1))
    title = kind.title if rng.random() < config.titles else None
    formats = [c.number_format if c.kind != "text" and rng.random() < config.number_formats else None
               for c in columns]
    return Table(0, 0, key_header, headers, keys, values, title, row_gaps, col_gaps, subtotal_after,
                 formats=formats, numeric=[c.kind != "text" for c in columns])


def words_of_kinds() -> set[str]:
    """Every word the table kinds write (for the instruction vocabulary)."""
    words: set[str] = set()
    for kind in TABLE_KINDS:
        for text in (kind.title, kind.key_header, kind.noun, *kind.keys):
            words.update(text.lower().split())
        for column in kind.columns:
            words.update(column.header.lower().split())
            for text in column.words:
                words.update(text.lower().split())
    for text in CODE_HEADERS:
        words.add(text.lower())
    return words
