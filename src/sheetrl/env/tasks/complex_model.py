"""Level 5 — small spreadsheet models that take many steps: chains of formulas, totals, formats and a bold title.

Sub-templates (:data:`TEMPLATES`), each solved by an expert of at least 8 commands (18-29):

``projection``
    A 3-5 year projection from an assumptions block. Revenue grows each year by the growth-rate cell (slot
    ``rate_cell``, macro ``left_grown_by_rate_cell``), Costs are Revenue times the cost-ratio cell (slot
    ``rate_cell_2``, macro ``above_times_second_rate_cell``), Profit = Revenue - Costs (``above_difference``),
    Margin = Profit / Revenue (``above_ratio_to_top``), a Total column; money as currency, margins as percent.
``budget_variance``
    Budget vs actual per expense category: Variance = Actual - Budget (``left_difference``), Variance % = Variance /
    Budget (``left_ratio_to_first``), a Total row whose Variance % is again Variance / Budget, currency and percent
    formats, and sometimes a status column (``if_threshold_left``: "Over" at or above a threshold).
``payroll``
    Gross = Hours x Rate (``left_product``), Tax = Gross x the tax-rate cell (``left_times_rate_cell``), Net =
    Gross - Tax (``left_reverse_difference``), a Total row, currency formats.
``grade_book``
    Each student's Average of 2-4 tests (``average_left``), a Class average row (``average_above``), Pass/Fail
    against a pass mark (``if_threshold_left``) for every student and for the class, two-decimal formats.

Every task also asks for its title to be bold. Formats are given to the first formula of a line and copied with
the fill, as one does in a spreadsheet. Every number the model computes is a formula target (``formula=True``),
so typed-in answers fail; inputs (the numbers of the table and the assumption cells) are perturbed by the checker.
"""

from __future__ import annotations

import random
import re
from dataclasses import replace

from sheetrl.env.tasks.base import Target, Task
from sheetrl.sheet import Workbook
from sheetrl.sheet.address import cell_name

FAMILY = "complex_model"
LEVEL = 5
TEMPLATES = ("projection", "budget_variance", "payroll", "grade_book")

COMPANIES = ("Northwind", "Contoso", "Fabrikam", "Tailspin", "Wingtip", "Litware", "Adventure Works", "Proseware")
REVENUE_NAMES = ("Revenue", "Sales")
COST_NAMES = ("Costs", "Expenses", "Operating costs")
PROFIT_NAMES = ("Profit", "Operating profit")
MARGIN_NAMES = ("Margin", "Profit margin")
BUDGET_CATEGORIES = (
    "Salaries", "Rent", "Travel", "Software", "Marketing", "Utilities", "Training", "Equipment", "Insurance",
    "Consulting", "Supplies", "Catering",
)
DEPARTMENTS = ("Marketing", "Finance", "Operations", "Support", "Research", "Sales")
PERIODS = ("Q1", "Q2", "Q3", "Q4", "first half", "second half")
EMPLOYEES = (
    "Alice Moreau", "Bruno Silva", "Chen Wei", "Dana Cohen", "Emeka Obi", "Farah Khan", "Grace Lee", "Hiro Tanaka",
    "Ines Duarte", "Jonas Berg", "Kofi Mensah", "Lena Novak",
)
STUDENTS = (
    "Amara", "Ben", "Carla", "Dmitri", "Elif", "Felix", "Gwen", "Hassan", "Isla", "Jamal", "Kira", "Leo", "Mei",
    "Noah", "Olga", "Priya",
)
SUBJECTS = ("Biology", "Chemistry", "Physics", "History", "Geography", "Algebra", "Literature")
TERMS = ("autumn term", "spring term", "summer term")

PROJECTION_TEXT = (
    "Make the title in {title} bold. In {revenue_cells}, grow {revenue} each year by the growth rate in {growth}, and "
    "put the total of {revenue_years} in {revenue_total}. In {cost_cells}, {costs} are {revenue} times the cost "
    "ratio in {ratio}; in {profit_cells}, {profit} is {revenue} minus {costs}; in {margin_cells}, {margin} is "
    "{profit} divided by {revenue}. Show the money you compute as currency and the margins as percent."
)
BUDGET_TEXT = (
    "Make the title in {title} bold. In {variance_cells}, compute Variance as Actual minus Budget, and in "
    "{percent_cells}, Variance % as Variance divided by Budget. In {totals}, total Budget, Actual and Variance, and in "
    "{percent_total} put the total Variance divided by the total Budget. Show variances and totals as currency and "
    "every Variance % as percent."
)
BUDGET_STATUS_TEXT = " In {status_cells}, show Over when Variance % is at least {threshold}, otherwise OK."
PAYROLL_TEXT = (
    "Make the title in {title} bold. For each employee, compute in {gross_cells} Gross as Hours times Rate, in "
    "{tax_cells} Tax as Gross times the tax rate in {tax_rate}, and in {net_cells} Net as Gross minus Tax, all as "
    "currency. Put the total Hours in {hours_total} and the totals of Gross, Tax and Net in {money_totals}, as "
    "currency."
)
GRADES_TEXT = (
    "Make the title in {title} bold. In {average_cells}, compute each student's Average of the tests in "
    "{tests}, with two decimals. In {class_cells}, put the class average of every test and of the averages, also "
    "with two decimals. In {result_cells}, show Pass when the average is at least {threshold}, otherwise Fail "
    "(the last one is for the class)."
)
TEMPLATE_TEXTS = (PROJECTION_TEXT, BUDGET_TEXT, BUDGET_STATUS_TEXT, PAYROLL_TEXT, GRADES_TEXT)
FIXED_LABELS = ("Growth rate", "Cost ratio", "Year", "Total", "Category", "Budget", "Actual", "Variance", "Status",
                "budget review", "Tax rate", "Employee", "Hours", "Rate", "Gross", "Tax", "Net", "weekly payroll",
                "revenue projection", "Student", "Test", "Average", "Result", "Class average", "grades", "Over", "OK",
                "Pass", "Fail")


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z]+", re.sub(r"\{[a-z_]+\}", " ", text))}


def _vocabulary() -> list[str]:
    words: set[str] = set()
    for group in (TEMPLATE_TEXTS, FIXED_LABELS, COMPANIES, REVENUE_NAMES, COST_NAMES, PROFIT_NAMES, MARGIN_NAMES,
                  BUDGET_CATEGORIES, DEPARTMENTS, PERIODS, EMPLOYEES, STUDENTS, SUBJECTS, TERMS):
        for text in group:
            words |= _words(text)
    return sorted(words)


VOCABULARY: list[str] = _vocabulary()


class ModelSheet:
    """A task's sheet being laid out: cells, input cells, targets (expected values come later from the engine)."""

    def __init__(self) -> None:
        self.workbook = Workbook()
        self.inputs: list[str] = []
        self.targets: list[Target] = []

    def put(self, row: int, col: int, value: object, number_format: str | None = None, is_input: bool = False) -> str:
        address = cell_name(row, col)
        self.workbook.set(address, value)
        if number_format:
            self.workbook.set_format(address, number_format=number_format)
        if is_input:
            self.inputs.append(address)
        return address

    def title(self, row: int, col: int, text: str) -> str:
        address = self.put(row, col, text)
        self.targets.append(Target(address, bold=True))
        return address

    def formulas(self, row: int, cols: range | list[int], number_format: str | None = None) -> None:
        """Cells of one row that must hold formulas following the inputs."""
        for col in cols:
            self.targets.append(Target(cell_name(row, col), formula=True, dynamic=True, number_format=number_format))

    def column_formulas(self, rows: range, col: int, number_format: str | None = None) -> None:
        for row in rows:
            self.formulas(row, [col], number_format)

    def task(self, template: str, seed: int, instruction: str, expert: list[str], slots: dict) -> Task:
        task = Task(
            family=FAMILY, level=LEVEL, template=template, seed=seed, workbook=self.workbook,
            instruction=instruction, targets=self.targets, expert_actions=expert, inputs=self.inputs, slots=slots,
            max_steps=max(len(expert) + 10, 5 * len(expert) // 2),
        )
        solution = task.solution
        task.targets = [replace(t, expected=solution.value(t.address)) for t in task.targets]
        return task


def _span(row: int, first_col: int, last_col: int) -> str:
    return f"{cell_name(row, first_col)}:{cell_name(row, last_col)}"


def _column_span(first_row: int, last_row: int, col: int) -> str:
    return f"{cell_name(first_row, col)}:{cell_name(last_row, col)}"


def _to_title(left: int) -> list[str]:
    """Expert steps that put the cursor (starting at A1) on the title cell."""
    return [] if left == 0 else ["next_target"]


# ----------------------------------------------------------------------------------------------------- projection
def _projection(rng: random.Random, seed: int) -> Task:
    sheet = ModelSheet()
    left = rng.randint(0, 1)
    years = rng.randint(3, 5)
    company = rng.choice(COMPANIES)
    revenue, costs, profit, margin = (rng.choice(n) for n in (REVENUE_NAMES, COST_NAMES, PROFIT_NAMES, MARGIN_NAMES))
    title = sheet.title(0, left, f"{company} revenue projection")
    first_assumption = rng.randint(1, 2)
    growth = sheet.put(first_assumption, left + 1, round(rng.uniform(0.02, 0.15), 3), "percent", is_input=True)
    ratio = sheet.put(first_assumption + 1, left + 1, round(rng.uniform(0.45, 0.8), 2), "percent", is_input=True)
    sheet.put(first_assumption, left, "Growth rate")
    sheet.put(first_assumption + 1, left, "Cost ratio")
    header = first_assumption + 2 + rng.randint(1, 2)
    first, last, total = left + 1, left + years, left + years + 1
    for year in range(years):
        sheet.put(header, first + year, f"Year {year + 1}")
    sheet.put(header, total, "Total")
    rev_row, cost_row, profit_row, margin_row = header + 1, header + 2, header + 3, header + 4
    for row, name in zip((rev_row, cost_row, profit_row, margin_row), (revenue, costs, profit, margin)):
        sheet.put(row, left, name)
    sheet.put(rev_row, first, rng.randrange(20_000, 900_000, 500), "currency", is_input=True)
    sheet.formulas(rev_row, range(first + 1, total + 1), "currency")
    sheet.formulas(cost_row, range(first, total + 1), "currency")
    sheet.formulas(profit_row, range(first, total + 1), "currency")
    sheet.formulas(margin_row, range(first, total + 1), "percent")
    instruction = PROJECTION_TEXT.format(
        title=title, revenue=revenue, costs=costs, profit=profit, margin=margin, growth=growth, ratio=ratio,
        revenue_cells=_span(rev_row, first + 1, last), revenue_years=_span(rev_row, first, last),
        revenue_total=cell_name(rev_row, total), cost_cells=_span(cost_row, first, total),
        profit_cells=_span(profit_row, first, total), margin_cells=_span(margin_row, first, total),
    )
    expert = _to_title(left) + [
        "bold",
        "next_target", "left_grown_by_rate_cell", "format_currency", "fill_right",  # revenue, spilling into Total
        "jump_right", "sum_left",  # the Total of revenue replaces the spilled growth formula
        "next_target", "above_times_second_rate_cell", "format_currency", "fill_right",
        "move_down", "above_difference", "format_currency", "fill_right",
        "move_down", "above_ratio_to_top", "format_percent", "fill_right",
        "done",
    ]
    return sheet.task("projection", seed, instruction, expert, {"rate_cell": growth, "rate_cell_2": ratio})


# ------------------------------------------------------------------------------------------------ budget_variance
def _budget_variance(rng: random.Random, seed: int) -> Task:
    sheet = ModelSheet()
    left = rng.randint(0, 1)
    title = sheet.title(0, left, f"{rng.choice(DEPARTMENTS)} budget review {rng.choice(PERIODS)}")
    header = rng.randint(2, 3)
    with_status = rng.random() < 0.5
    headings = ["Category", "Budget", "Actual", "Variance", "Variance %"] + (["Status"] if with_status else [])
    for i, heading in enumerate(headings):
        sheet.put(header, left + i, heading)
    budget_col, actual_col, variance_col, percent_col, status_col = (left + i for i in range(1, 6))
    categories = rng.sample(BUDGET_CATEGORIES, rng.randint(4, 10))
    first = header + 1
    for i, category in enumerate(categories):
        row = first + i
        sheet.put(row, left, category)
        planned = rng.randrange(500, 50_000, 50)
        sheet.put(row, budget_col, planned, "currency", is_input=True)
        sheet.put(row, actual_col, round(planned * rng.uniform(0.75, 1.25)), "currency", is_input=True)
    last = first + len(categories) - 1
    total_row = last + 1
    sheet.put(total_row, left, "Total")
    rows = range(first, total_row + 1)
    sheet.column_formulas(range(first, last + 1), variance_col, "currency")
    sheet.column_formulas(range(first, last + 1), percent_col, "percent")
    sheet.formulas(total_row, [budget_col, actual_col, variance_col], "currency")
    sheet.formulas(total_row, [percent_col], "percent")
    instruction = BUDGET_TEXT.format(
        title=title, variance_cells=_column_span(first, last, variance_col),
        percent_cells=_column_span(first, last, percent_col), totals=_span(total_row, budget_col, variance_col),
        percent_total=cell_name(total_row, percent_col),
    )
    expert = _to_title(left) + [
        "bold",
        "next_target", "left_difference", "format_currency", "fill_down",
        "move_right", "left_ratio_to_first", "format_percent", "fill_down",
        "jump_down", "move_down", "move_left", "move_left", "move_left",  # to the Budget total
        "sum_above", "format_currency", "fill_right",  # Budget, Actual, Variance (and a Variance % to replace)
        "jump_right", "left_ratio_to_first", "format_percent",
    ]
    slots: dict = {}
    if with_status:
        threshold = rng.choice((0.05, 0.1, 0.15))
        slots = {"threshold": threshold, "if_true": "Over", "if_false": "OK"}
        sheet.column_formulas(rows, status_col)
        instruction += BUDGET_STATUS_TEXT.format(
            status_cells=_column_span(first, total_row, status_col), threshold=f"{round(threshold * 100)}%"
        )
        expert += ["move_right", "jump_up", "move_down", "if_threshold_left", "fill_down"]
    expert.append("done")
    return sheet.task("budget_variance", seed, instruction, expert, slots)


# -------------------------------------------------------------------------------------------------------- payroll
def _payroll(rng: random.Random, seed: int) -> Task:
    sheet = ModelSheet()
    left = rng.randint(0, 1)
    title = sheet.title(0, left, f"{rng.choice(COMPANIES)} weekly payroll")
    rate_row = rng.randint(1, 2)
    sheet.put(rate_row, left, "Tax rate")
    tax_rate = sheet.put(rate_row, left + 1, rng.choice((0.12, 0.15, 0.18, 0.2, 0.22, 0.25, 0.28)), "percent",
                         is_input=True)
    header = rate_row + 2
    for i, heading in enumerate(("Employee", "Hours", "Rate", "Gross", "Tax", "Net")):
        sheet.put(header, left + i, heading)
    hours_col, rate_col, gross_col, tax_col, net_col = (left + i for i in range(1, 6))
    employees = rng.sample(EMPLOYEES, rng.randint(4, 10))
    first = header + 1
    for i, employee in enumerate(employees):
        row = first + i
        sheet.put(row, left, employee)
        sheet.put(row, hours_col, rng.randrange(20, 91) / 2, is_input=True)
        sheet.put(row, rate_col, rng.randrange(60, 241) / 4, "currency", is_input=True)
    last = first + len(employees) - 1
    total_row = last + 1
    sheet.put(total_row, left, "Total")
    for col in (gross_col, tax_col, net_col):
        sheet.column_formulas(range(first, last + 1), col, "currency")
    sheet.formulas(total_row, [hours_col])
    sheet.formulas(total_row, [gross_col, tax_col, net_col], "currency")
    instruction = PAYROLL_TEXT.format(
        title=title, tax_rate=tax_rate, gross_cells=_column_span(first, last, gross_col),
        tax_cells=_column_span(first, last, tax_col), net_cells=_column_span(first, last, net_col),
        hours_total=cell_name(total_row, hours_col), money_totals=_span(total_row, gross_col, net_col),
    )
    expert = _to_title(left) + [
        "bold",
        "next_target", "left_product", "format_currency", "fill_down",
        "move_right", "left_times_rate_cell", "format_currency", "fill_down",
        "move_right", "left_reverse_difference", "format_currency", "fill_down",
        "jump_down", "move_down", "move_left", "move_left",  # to the Gross total
        "sum_above", "format_currency", "fill_right",
        "move_left", "move_left", "sum_above",  # total hours
        "done",
    ]
    return sheet.task("payroll", seed, instruction, expert, {"rate_cell": tax_rate})


# ----------------------------------------------------------------------------------------------------- grade_book
def _grade_book(rng: random.Random, seed: int) -> Task:
    sheet = ModelSheet()
    left = rng.randint(0, 1)
    title = sheet.title(0, left, f"{rng.choice(SUBJECTS)} grades {rng.choice(TERMS)}")
    header = rng.randint(2, 3)
    tests = rng.randint(2, 4)
    headings = ["Student"] + [f"Test {i + 1}" for i in range(tests)] + ["Average", "Result"]
    for i, heading in enumerate(headings):
        sheet.put(header, left + i, heading)
    first_test, last_test = left + 1, left + tests
    average_col, result_col = last_test + 1, last_test + 2
    students = rng.sample(STUDENTS, rng.randint(5, 12))
    first = header + 1
    for i, student in enumerate(students):
        row = first + i
        sheet.put(row, left, student)
        skill = rng.uniform(45, 90)
        for col in range(first_test, last_test + 1):
            sheet.put(row, col, max(0, min(100, round(rng.gauss(skill, 10)))), is_input=True)
    last = first + len(students) - 1
    class_row = last + 1
    sheet.put(class_row, left, "Class average")
    threshold = rng.choice((50, 55, 60, 65, 70))
    sheet.column_formulas(range(first, last + 1), average_col, "number")
    sheet.formulas(class_row, range(first_test, average_col + 1), "number")
    sheet.column_formulas(range(first, class_row + 1), result_col)
    instruction = GRADES_TEXT.format(
        title=title, average_cells=_column_span(first, last, average_col),
        tests=f"{cell_name(first, first_test)}:{cell_name(last, last_test)}",
        class_cells=_span(class_row, first_test, average_col),
        result_cells=_column_span(first, class_row, result_col), threshold=threshold,
    )
    expert = _to_title(left) + [
        "bold",
        "next_target", "average_left", "format_number", "fill_down",
        "jump_down", "move_down", "jump_left", "move_right",  # to the class average of the first test
        "average_above", "format_number", "fill_right",
        "jump_right", "move_right", "jump_up", "move_down",  # to the first Result
        "if_threshold_left", "fill_down",
        "done",
    ]
    slots = {"threshold": threshold, "if_true": "Pass", "if_false": "Fail"}
    return sheet.task("grade_book", seed, instruction, expert, slots)


BUILDERS = {"projection": _projection, "budget_variance": _budget_variance, "payroll": _payroll,
            "grade_book": _grade_book}


def generate(rng: random.Random, seed: int) -> Task:
    """A multi-step model task (deterministic in ``rng`` and ``seed``)."""
    return BUILDERS[rng.choice(TEMPLATES)](rng, seed)
