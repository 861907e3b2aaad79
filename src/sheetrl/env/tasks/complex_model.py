"""Level 5 — small spreadsheet models that take many steps: chains of formulas, totals, formats and a bold title.

Sub-templates (:data:`TEMPLATES`), each solved by an expert of 15-35 macros:

``projection``
    A 3-5 year projection from an assumptions block. Revenue grows each year by the growth-rate cell (slot
    ``rate_cell``, macro ``left_grown_by_rate_cell``), Costs are Revenue times the cost-ratio cell (slot
    ``rate_cell_2``, macro ``above_times_second_rate_cell``), Profit = Revenue - Costs (``above_difference``),
    Margin = Profit / Revenue (``above_ratio_to_top``), optionally a Total column; money as currency, margins as
    percent.
``budget_variance``
    Budget vs actual per expense category: Variance = Actual - Budget (``left_difference``), Variance % = Variance /
    Budget (``left_ratio_to_first``), a Total row whose Variance % is again Variance / Budget, currency and percent
    formats, and optionally a status column (``if_threshold_left``: "Over" at or above a threshold).
``payroll``
    Gross = Hours x Rate (``left_product``), Tax = Gross x the tax-rate cell (``left_times_rate_cell``), Net =
    Gross - Tax (``left_reverse_difference``), a Total row (optionally with the total hours), currency formats.
``grade_book``
    Each student's Average of 2-4 tests (``average_left``), a Class average row (``average_above``), Pass/Fail
    against a pass mark (``if_threshold_left``) for every student and optionally for the class, two-decimal formats.

Every task also asks for its title to be bold. The model sits anywhere on a sheet larger than the observed window,
among notes and other tables; its instruction is built from sentences with several phrasings each. Formats are
given to the first formula of a line and copied with the fill, as one does in a spreadsheet. Every number the model
computes is a formula target (``formula=True``) that must read what its expert formula reads; inputs (the numbers
of the table and the assumption cells) are rescaled by the checker.
"""

from __future__ import annotations

import random
import re
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

# The sentences of each model's instruction; the last two phrasings of each are held out for the ood split.
PHRASINGS: dict[str, tuple[str, ...]] = {
    "title": (
        "Make the title in {title} bold.",
        "Bold the title in {title}.",
        "Format the title {title} in bold.",
        "Put the title ({title}) in bold type.",
        "The title in {title} should be bold.",
        "Start by making {title}, the title, bold.",
        "Give the title cell {title} a bold font.",
    ),
    "projection_revenue": (
        "In {revenue_cells}, grow {revenue} each year by the growth rate in {growth}.",
        "{revenue_cells} should grow {revenue} year on year by the rate in {growth}.",
        "Project {revenue} in {revenue_cells}: each year is the previous one times one plus the rate in {growth}.",
        "Fill {revenue_cells} with {revenue} growing by {growth} every year.",
        "Each year's {revenue} in {revenue_cells} is last year's grown by the rate in {growth}.",
        "Use the growth rate in {growth} to project {revenue} across {revenue_cells}.",
        "Extend {revenue} through {revenue_cells}, increasing it yearly by the rate in {growth}.",
    ),
    "projection_total": (
        "Put the total of {revenue_years} in {revenue_total}.",
        "Total {revenue_years} in {revenue_total}.",
        "{revenue_total} gets the sum of {revenue_years}.",
        "Add up {revenue_years} in {revenue_total}.",
        "The total of {revenue_years} goes in {revenue_total}.",
        "Sum the yearly {revenue} {revenue_years} into {revenue_total}.",
        "Write the total over {revenue_years} in {revenue_total}.",
    ),
    "projection_lines": (
        ("In {cost_cells}, {costs} are {revenue} times the cost ratio in {ratio}; in {profit_cells}, {profit} is "
        "{revenue} minus {costs}; in {margin_cells}, {margin} is {profit} divided by {revenue}."),
        ("{costs} in {cost_cells} are {revenue} times {ratio}, {profit} in {profit_cells} is {revenue} less "
        "{costs}, and {margin} in {margin_cells} is {profit} over {revenue}."),
        ("Compute {costs} ({revenue} times the ratio in {ratio}) in {cost_cells}, {profit} ({revenue} minus "
        "{costs}) in {profit_cells} and {margin} ({profit} / {revenue}) in {margin_cells}."),
        ("Below {revenue}: {cost_cells} holds {costs} as {revenue} times {ratio}; {profit_cells} holds {profit} "
        "as {revenue} minus {costs}; {margin_cells} holds {margin} as {profit} divided by {revenue}."),
        ("Fill {cost_cells} with {revenue} times the cost ratio {ratio}, {profit_cells} with {revenue} minus "
        "{costs}, and {margin_cells} with {profit} divided by {revenue}."),
        ("Work out {costs} = {revenue} x {ratio} in {cost_cells}, {profit} = {revenue} - {costs} in "
        "{profit_cells}, and {margin} = {profit} / {revenue} in {margin_cells}."),
        ("Then {cost_cells}: {costs}, that is {revenue} times {ratio}; {profit_cells}: {profit}, {revenue} minus "
        "{costs}; {margin_cells}: {margin}, {profit} divided by {revenue}."),
    ),
    "projection_formats": (
        "Show the money you compute as currency and the margins as percent.",
        "Format computed money as currency and margins as percentages.",
        "Use currency for the amounts you compute and percent for the margins.",
        "The computed amounts are currency; the margins are percentages.",
        "Display money in currency format and margins in percent format.",
        "Apply currency formatting to computed money and percent formatting to margins.",
        "Money you compute should read as currency, margins as percent.",
    ),
    "budget_lines": (
        ("In {variance_cells}, compute Variance as Actual minus Budget, and in {percent_cells}, Variance % as "
        "Variance divided by Budget."),
        ("Fill {variance_cells} with Actual minus Budget (Variance) and {percent_cells} with Variance over Budget "
        "(Variance %)."),
        "Variance in {variance_cells} is Actual less Budget; Variance % in {percent_cells} is Variance / Budget.",
        ("Compute each category's Variance (Actual - Budget) in {variance_cells} and its Variance % (Variance / "
        "Budget) in {percent_cells}."),
        ("{variance_cells} should hold Actual minus Budget, and {percent_cells} that Variance as a fraction of "
        "Budget."),
        "Put Actual minus Budget into {variance_cells} and Variance divided by Budget into {percent_cells}.",
        ("Work out Variance = Actual - Budget in {variance_cells} and Variance % = Variance / Budget in "
        "{percent_cells}."),
    ),
    "budget_totals": (
        ("In {totals}, total Budget, Actual and Variance, and in {percent_total} put the total Variance divided by "
        "the total Budget."),
        ("Total Budget, Actual and Variance in {totals}; {percent_total} is the total Variance over the total "
        "Budget."),
        ("{totals} holds the totals of Budget, Actual and Variance, and {percent_total} total Variance divided by "
        "total Budget."),
        ("Sum Budget, Actual and Variance into {totals}, then divide the total Variance by the total Budget in "
        "{percent_total}."),
        ("Add up the Budget, Actual and Variance columns in {totals}; in {percent_total}, total Variance / total "
        "Budget."),
        "The totals of Budget, Actual and Variance go in {totals}, and their Variance % in {percent_total}.",
        ("Put the column totals of Budget, Actual and Variance in {totals} and the overall Variance % in "
        "{percent_total}."),
    ),
    "budget_formats": (
        "Show variances and totals as currency and every Variance % as percent.",
        "Format variances and totals as currency, Variance % as percentages.",
        "Use currency for variances and totals and percent for every Variance %.",
        "Variances and totals are currency; each Variance % is a percentage.",
        "Display variances and totals in currency and Variance % in percent.",
        "Apply currency to the variances and totals and percent to the Variance % cells.",
        "Variances and totals should read as currency, Variance % as percent.",
    ),
    "budget_status": (
        "In {status_cells}, show Over when Variance % is at least {threshold}, otherwise OK.",
        "{status_cells} reads Over where Variance % is {threshold} or more, else OK.",
        "Flag each row in {status_cells}: Over if Variance % reaches {threshold}, OK otherwise.",
        "Put Over in {status_cells} when Variance % is at least {threshold}, and OK when it is not.",
        "Mark {status_cells} Over for a Variance % of {threshold} and above, otherwise OK.",
        "Status in {status_cells}: Over at or above {threshold} Variance %, else OK.",
        "Use {status_cells} to say Over whenever Variance % is {threshold} or higher, otherwise OK.",
    ),
    "payroll_lines": (
        ("For each employee, compute in {gross_cells} Gross as Hours times Rate, in {tax_cells} Tax as Gross times "
        "the tax rate in {tax_rate}, and in {net_cells} Net as Gross minus Tax, all as currency."),
        ("Gross in {gross_cells} is Hours times Rate, Tax in {tax_cells} is Gross times {tax_rate}, and Net in "
        "{net_cells} is Gross minus Tax; show them as currency."),
        ("Fill {gross_cells} with Hours x Rate, {tax_cells} with Gross x the rate in {tax_rate}, and {net_cells} "
        "with Gross - Tax, formatted as currency."),
        ("Compute Gross (Hours times Rate) in {gross_cells}, Tax (Gross times {tax_rate}) in {tax_cells} and Net "
        "(Gross less Tax) in {net_cells}, in currency format."),
        ("{gross_cells} holds Hours times Rate, {tax_cells} that Gross times the tax rate {tax_rate}, and "
        "{net_cells} Gross minus Tax; all currency."),
        ("Per employee: Gross = Hours * Rate in {gross_cells}, Tax = Gross * {tax_rate} in {tax_cells}, Net = "
        "Gross - Tax in {net_cells}, as currency."),
        ("Work out each employee's Gross, Tax and Net in {gross_cells}, {tax_cells} and {net_cells}: Hours times "
        "Rate, Gross times {tax_rate}, Gross minus Tax; currency format."),
    ),
    "payroll_hours": (
        "Put the total Hours in {hours_total}.",
        "Total the Hours in {hours_total}.",
        "{hours_total} gets the sum of the Hours.",
        "Add up the Hours in {hours_total}.",
        "The total of the Hours goes in {hours_total}.",
        "Sum the Hours column into {hours_total}.",
        "Write the Hours total in {hours_total}.",
    ),
    "payroll_totals": (
        "Put the totals of Gross, Tax and Net in {money_totals}, as currency.",
        "Total Gross, Tax and Net in {money_totals}, formatted as currency.",
        "{money_totals} holds the totals of Gross, Tax and Net, in currency.",
        "Sum Gross, Tax and Net into {money_totals} as currency.",
        "Add up Gross, Tax and Net in {money_totals}; show them as currency.",
        "The column totals of Gross, Tax and Net go in {money_totals}, as currency.",
        "Write the Gross, Tax and Net totals in {money_totals}, currency format.",
    ),
    "grade_lines": (
        "In {average_cells}, compute each student's Average of the tests in {tests}, with two decimals.",
        "Fill {average_cells} with each student's Average over {tests}, shown with two decimals.",
        "Each student's Average of {tests} goes in {average_cells}, two decimals.",
        "{average_cells} should hold the Average of every student's tests ({tests}) with two decimals.",
        "Compute the Average of {tests} per student into {average_cells}, to two decimals.",
        "Average each student's test scores in {tests} into {average_cells}, with two decimal places.",
        "Work out every student's mean of {tests} in {average_cells}, showing two decimals.",
    ),
    "grade_class": (
        "In {class_cells}, put the class average of every test and of the averages, also with two decimals.",
        "{class_cells} holds the class average of each test and of the averages, two decimals.",
        "Fill {class_cells} with the class averages of the tests and of the averages, with two decimals.",
        "Compute the class average of each test and of the averages in {class_cells}, two decimals.",
        "The class averages of the tests and averages go in {class_cells}, two decimals.",
        "Average each test over the class, and the averages too, in {class_cells}, to two decimals.",
        "Put column averages for every test and the averages in {class_cells}, two decimals.",
    ),
    "grade_results": (
        "In {result_cells}, show Pass when the average is at least {threshold}, otherwise Fail.",
        "{result_cells} reads Pass where the average is {threshold} or more, else Fail.",
        "Mark {result_cells} Pass for an average of at least {threshold} and Fail otherwise.",
        "Put Pass in {result_cells} when the average reaches {threshold}, Fail when it does not.",
        "Show in {result_cells} whether each average passes ({threshold} or more): Pass or Fail.",
        "Result in {result_cells}: Pass at or above {threshold}, otherwise Fail.",
        "Use {result_cells} to say Pass whenever the average is {threshold} or higher, else Fail.",
    ),
}
CLASS_RESULT = " (the last one is for the class)"
FIXED_LABELS = ("Growth rate", "Cost ratio", "Year", "Total", "Category", "Budget", "Actual", "Variance", "Status",
                "budget review", "Tax rate", "Employee", "Hours", "Rate", "Gross", "Tax", "Net", "weekly payroll",
                "revenue projection", "Student", "Test", "Average", "Result", "Class average", "grades", "Over", "OK",
                "Pass", "Fail", "the last one is for the class")

# (template, (option, title last)) combinations: the option is the Total column (projection), the status column
# (budget), the total hours (payroll), the class's result (grade book); "title last" puts the sentence about the
# bold title at the end of the instruction. Training sees each option and each order, never both together: those
# combinations are only ever generated for the ood split.
COMBINATIONS = tuple((template, (option, title_last)) for template in TEMPLATES for option in (False, True)
                     for title_last in (False, True))
HELD_OUT_COMBINATIONS = frozenset((template, (True, True)) for template in TEMPLATES)


def _words(text: str) -> set[str]:
    return {w.lower() for w in re.findall(r"[A-Za-z]+", re.sub(r"\{[a-z_]+\}", " ", text))}


def _vocabulary() -> list[str]:
    words: set[str] = set()
    for group in (*PHRASINGS.values(), FIXED_LABELS, COMPANIES, REVENUE_NAMES, COST_NAMES, PROFIT_NAMES,
                  MARGIN_NAMES, BUDGET_CATEGORIES, DEPARTMENTS, PERIODS, EMPLOYEES, STUDENTS, SUBJECTS, TERMS):
        for text in group:
            words |= _words(text)
    return sorted(words)


VOCABULARY: list[str] = _vocabulary()


class ModelSheet:
    """A task's sheet being laid out at an offset: cells, input cells, targets (expected values come later)."""

    def __init__(self, rng: random.Random, structure: Structure, config: LayoutConfig, height: int, width: int
                 ) -> None:
        self.extent = sheet_extent(rng, config, height + 6, width + 4)
        rows, cols = self.extent
        self.top, self.left = structure.position("table", range(rows - height - 1), range(cols - width))
        self.height, self.width = height, width
        self.workbook = new_workbook([SHEET])
        self.inputs: list[str] = []
        self.targets: list[Target] = []
        self.rng, self.config, self.structure = rng, config, structure

    def put(self, row: int, col: int, value: object, number_format: str | None = None, is_input: bool = False) -> str:
        """Write at (row, col) relative to the model's top-left corner; returns the sheet address."""
        address = cell_name(self.top + row, self.left + col)
        self.workbook.set(f"{SHEET}!{address}", value)
        if number_format:
            self.workbook.set_format(f"{SHEET}!{address}", number_format=number_format)
        if is_input:
            self.inputs.append(address)
        return address

    def at(self, row: int, col: int) -> str:
        return cell_name(self.top + row, self.left + col)

    def title(self, row: int, col: int, text: str) -> str:
        address = self.put(row, col, text)
        self.targets.append(Target(address, bold=True))
        return address

    def formulas(self, row: int, cols: range | list[int], number_format: str | None = None) -> None:
        """Cells of one row that must hold formulas following the inputs."""
        for col in cols:
            self.targets.append(Target(self.at(row, col), formula=True, dynamic=True, number_format=number_format))

    def column_formulas(self, rows: range, col: int, number_format: str | None = None) -> None:
        for row in rows:
            self.formulas(row, [col], number_format)

    def span(self, row: int, first_col: int, last_col: int) -> str:
        return f"{self.at(row, first_col)}:{self.at(row, last_col)}"

    def column_span(self, first_row: int, last_row: int, col: int) -> str:
        return f"{self.at(first_row, col)}:{self.at(last_row, col)}"

    def sentence(self, name: str, **words: Any) -> str:
        return self.structure.phrasing(name, PHRASINGS[name]).format(**words)

    def task(self, template: str, seed: int, sentences: list[str], slots: dict[str, Any], named: list[str]) -> Task:
        canvas = Canvas(*self.extent)
        box = (self.top, self.left, self.top + self.height - 1, self.left + self.width - 1)
        canvas.take(*box)
        add_surroundings(self.workbook, SHEET, canvas, self.rng, self.config, box)
        return Task(FAMILY, LEVEL, template, seed, self.workbook, " ".join(sentences), self.targets, [],
                    inputs=self.inputs, slots=slots, extent=self.extent, named=named,
                    structure=self.structure.record)


# ----------------------------------------------------------------------------------------------------- projection
def _projection(rng: random.Random, seed: int, structure: Structure, config: LayoutConfig, with_total: bool
                ) -> Task:
    years = rng.randint(3, 5)
    first_assumption = rng.randint(1, 2)
    header = first_assumption + 2 + rng.randint(1, 2)
    width = years + 1 + (1 if with_total else 0)
    sheet = ModelSheet(rng, structure, config, header + 5, max(width, 2))
    company = rng.choice(COMPANIES)
    revenue, costs, profit, margin = (rng.choice(n) for n in (REVENUE_NAMES, COST_NAMES, PROFIT_NAMES, MARGIN_NAMES))
    title = sheet.title(0, 0, f"{company} revenue projection")
    growth = sheet.put(first_assumption, 1, round(rng.uniform(0.02, 0.15), 3), "percent", is_input=True)
    ratio = sheet.put(first_assumption + 1, 1, round(rng.uniform(0.45, 0.8), 2), "percent", is_input=True)
    sheet.put(first_assumption, 0, "Growth rate")
    sheet.put(first_assumption + 1, 0, "Cost ratio")
    first, last = 1, years
    total = last + 1 if with_total else last
    for year in range(years):
        sheet.put(header, first + year, f"Year {year + 1}")
    if with_total:
        sheet.put(header, total, "Total")
    rev_row, cost_row, profit_row, margin_row = header + 1, header + 2, header + 3, header + 4
    for row, name in zip((rev_row, cost_row, profit_row, margin_row), (revenue, costs, profit, margin)):
        sheet.put(row, 0, name)
    sheet.put(rev_row, first, rng.randrange(20_000, 900_000, 500), "currency", is_input=True)
    sheet.formulas(rev_row, range(first + 1, total + 1), "currency")
    sheet.formulas(cost_row, range(first, total + 1), "currency")
    sheet.formulas(profit_row, range(first, total + 1), "currency")
    sheet.formulas(margin_row, range(first, total + 1), "percent")
    words = {"title": title, "revenue": revenue, "costs": costs, "profit": profit, "margin": margin, "growth": growth,
             "ratio": ratio, "revenue_cells": sheet.span(rev_row, first + 1, last),
             "revenue_years": sheet.span(rev_row, first, last), "revenue_total": sheet.at(rev_row, total),
             "cost_cells": sheet.span(cost_row, first, total), "profit_cells": sheet.span(profit_row, first, total),
             "margin_cells": sheet.span(margin_row, first, total)}
    sentences = [sheet.sentence("title", **words), sheet.sentence("projection_revenue", **words)]
    named = [title, words["revenue_cells"], growth, ratio, words["cost_cells"], words["profit_cells"],
             words["margin_cells"]]
    if with_total:
        sentences.append(sheet.sentence("projection_total", **words))
        named += [words["revenue_years"], words["revenue_total"]]
    sentences += [sheet.sentence("projection_lines", **words), sheet.sentence("projection_formats")]
    task = sheet.task("projection", seed, sentences, {"rate_cell": growth, "rate_cell_2": ratio}, named)
    builder = ExpertBuilder(task).go(title).do("bold")
    # revenue grows along the row (spilling into the Total column, which the total then replaces)
    builder.go(sheet.at(rev_row, first + 1)).do("left_grown_by_rate_cell", "format_currency")
    if total > first + 1:
        builder.do("fill_right")
    if with_total:
        builder.go(sheet.at(rev_row, total)).do("sum_left")
    for row, macro, fmt in ((cost_row, "above_times_second_rate_cell", "format_currency"),
                            (profit_row, "above_difference", "format_currency"),
                            (margin_row, "above_ratio_to_top", "format_percent")):
        builder.go(sheet.at(row, first)).do(macro, fmt, "fill_right")
    return finish(task, builder)


# ------------------------------------------------------------------------------------------------ budget_variance
def _budget_variance(rng: random.Random, seed: int, structure: Structure, config: LayoutConfig, with_status: bool
                     ) -> Task:
    header = rng.randint(2, 3)
    n = rng.randint(4, 10)
    sheet = ModelSheet(rng, structure, config, header + n + 2, 6 if with_status else 5)
    title = sheet.title(0, 0, f"{rng.choice(DEPARTMENTS)} budget review {rng.choice(PERIODS)}")
    headings = ["Category", "Budget", "Actual", "Variance", "Variance %"] + (["Status"] if with_status else [])
    for i, heading in enumerate(headings):
        sheet.put(header, i, heading)
    budget_col, actual_col, variance_col, percent_col, status_col = range(1, 6)
    categories = rng.sample(BUDGET_CATEGORIES, n)
    first = header + 1
    for i, category in enumerate(categories):
        row = first + i
        sheet.put(row, 0, category)
        planned = rng.randrange(500, 50_000, 50)
        sheet.put(row, budget_col, planned, "currency", is_input=True)
        sheet.put(row, actual_col, round(planned * rng.uniform(0.75, 1.25)), "currency", is_input=True)
    last = first + n - 1
    total_row = last + 1
    sheet.put(total_row, 0, "Total")
    sheet.column_formulas(range(first, last + 1), variance_col, "currency")
    sheet.column_formulas(range(first, last + 1), percent_col, "percent")
    sheet.formulas(total_row, [budget_col, actual_col, variance_col], "currency")
    sheet.formulas(total_row, [percent_col], "percent")
    words = {"title": title, "variance_cells": sheet.column_span(first, last, variance_col),
             "percent_cells": sheet.column_span(first, last, percent_col),
             "totals": sheet.span(total_row, budget_col, variance_col),
             "percent_total": sheet.at(total_row, percent_col)}
    sentences = [sheet.sentence("title", **words), sheet.sentence("budget_lines", **words),
                 sheet.sentence("budget_totals", **words), sheet.sentence("budget_formats")]
    named = [title, words["variance_cells"], words["percent_cells"], words["totals"], words["percent_total"]]
    slots: dict[str, Any] = {}
    if with_status:
        threshold = rng.choice((0.05, 0.1, 0.15))
        slots = {"threshold": threshold, "if_true": "Over", "if_false": "OK"}
        sheet.column_formulas(range(first, total_row + 1), status_col)
        status_cells = sheet.column_span(first, total_row, status_col)
        sentences.append(sheet.sentence("budget_status", status_cells=status_cells,
                                        threshold=f"{round(threshold * 100)}%"))
        named.append(status_cells)
    task = sheet.task("budget_variance", seed, sentences, slots, named)
    builder = ExpertBuilder(task).go(title).do("bold")
    builder.go(sheet.at(first, variance_col)).do("left_difference", "format_currency", "fill_down")
    builder.go(sheet.at(first, percent_col)).do("left_ratio_to_first", "format_percent", "fill_down")
    # Budget, Actual, Variance totals (and a Variance % total that the ratio then replaces)
    builder.go(sheet.at(total_row, budget_col)).do("sum_above", "format_currency", "fill_right")
    builder.go(sheet.at(total_row, percent_col)).do("left_ratio_to_first", "format_percent")
    if with_status:
        builder.go(sheet.at(first, status_col)).do("if_threshold_left", "fill_down")
    return finish(task, builder)


# -------------------------------------------------------------------------------------------------------- payroll
def _payroll(rng: random.Random, seed: int, structure: Structure, config: LayoutConfig, with_hours: bool) -> Task:
    rate_row = rng.randint(1, 2)
    header = rate_row + 2
    n = rng.randint(4, 10)
    sheet = ModelSheet(rng, structure, config, header + n + 2, 6)
    title = sheet.title(0, 0, f"{rng.choice(COMPANIES)} weekly payroll")
    sheet.put(rate_row, 0, "Tax rate")
    tax_rate = sheet.put(rate_row, 1, rng.choice((0.12, 0.15, 0.18, 0.2, 0.22, 0.25, 0.28)), "percent", is_input=True)
    for i, heading in enumerate(("Employee", "Hours", "Rate", "Gross", "Tax", "Net")):
        sheet.put(header, i, heading)
    hours_col, rate_col, gross_col, tax_col, net_col = range(1, 6)
    employees = rng.sample(EMPLOYEES, n)
    first = header + 1
    for i, employee in enumerate(employees):
        row = first + i
        sheet.put(row, 0, employee)
        sheet.put(row, hours_col, rng.randrange(20, 91) / 2, is_input=True)
        sheet.put(row, rate_col, rng.randrange(60, 241) / 4, "currency", is_input=True)
    last = first + n - 1
    total_row = last + 1
    sheet.put(total_row, 0, "Total")
    for col in (gross_col, tax_col, net_col):
        sheet.column_formulas(range(first, last + 1), col, "currency")
    if with_hours:
        sheet.formulas(total_row, [hours_col])
    sheet.formulas(total_row, [gross_col, tax_col, net_col], "currency")
    words = {"title": title, "tax_rate": tax_rate, "gross_cells": sheet.column_span(first, last, gross_col),
             "tax_cells": sheet.column_span(first, last, tax_col), "net_cells": sheet.column_span(first, last, net_col),
             "hours_total": sheet.at(total_row, hours_col),
             "money_totals": sheet.span(total_row, gross_col, net_col)}
    sentences = [sheet.sentence("title", **words), sheet.sentence("payroll_lines", **words)]
    named = [title, words["gross_cells"], words["tax_cells"], tax_rate, words["net_cells"]]
    if with_hours:
        sentences.append(sheet.sentence("payroll_hours", **words))
        named.append(words["hours_total"])
    sentences.append(sheet.sentence("payroll_totals", **words))
    named.append(words["money_totals"])
    task = sheet.task("payroll", seed, sentences, {"rate_cell": tax_rate}, named)
    builder = ExpertBuilder(task).go(title).do("bold")
    for col, macro in ((gross_col, "left_product"), (tax_col, "left_times_rate_cell"),
                       (net_col, "left_reverse_difference")):
        builder.go(sheet.at(first, col)).do(macro, "format_currency", "fill_down")
    builder.go(sheet.at(total_row, gross_col)).do("sum_above", "format_currency", "fill_right")
    if with_hours:
        builder.go(sheet.at(total_row, hours_col)).do("sum_above")
    return finish(task, builder)


# ----------------------------------------------------------------------------------------------------- grade_book
def _grade_book(rng: random.Random, seed: int, structure: Structure, config: LayoutConfig, class_result: bool
                ) -> Task:
    header = rng.randint(2, 3)
    tests = rng.randint(2, 4)
    n = rng.randint(5, 12)
    sheet = ModelSheet(rng, structure, config, header + n + 2, tests + 3)
    title = sheet.title(0, 0, f"{rng.choice(SUBJECTS)} grades {rng.choice(TERMS)}")
    headings = ["Student"] + [f"Test {i + 1}" for i in range(tests)] + ["Average", "Result"]
    for i, heading in enumerate(headings):
        sheet.put(header, i, heading)
    first_test, last_test = 1, tests
    average_col, result_col = last_test + 1, last_test + 2
    students = rng.sample(STUDENTS, n)
    first = header + 1
    for i, student in enumerate(students):
        row = first + i
        sheet.put(row, 0, student)
        skill = rng.uniform(45, 90)
        for col in range(first_test, last_test + 1):
            sheet.put(row, col, max(0, min(100, round(rng.gauss(skill, 10)))), is_input=True)
    last = first + n - 1
    class_row = last + 1
    sheet.put(class_row, 0, "Class average")
    threshold = rng.choice((50, 55, 60, 65, 70))
    sheet.column_formulas(range(first, last + 1), average_col, "number")
    sheet.formulas(class_row, range(first_test, average_col + 1), "number")
    result_last = class_row if class_result else last
    sheet.column_formulas(range(first, result_last + 1), result_col)
    result_cells = sheet.column_span(first, result_last, result_col)
    words = {"title": title, "average_cells": sheet.column_span(first, last, average_col),
                 "tests": f"{sheet.at(first, first_test)}:{sheet.at(last, last_test)}",
                 "class_cells": sheet.span(class_row, first_test, average_col), "result_cells": result_cells,
                 "threshold": threshold}
    results = sheet.sentence("grade_results", **words)
    if class_result:
        results = results[:-1] + CLASS_RESULT + "."
    sentences = [sheet.sentence("title", **words), sheet.sentence("grade_lines", **words),
                 sheet.sentence("grade_class", **words), results]
    named = [title, str(words["average_cells"]), str(words["tests"]), str(words["class_cells"]), result_cells]
    slots = {"threshold": threshold, "if_true": "Pass", "if_false": "Fail"}
    task = sheet.task("grade_book", seed, sentences, slots, named)
    builder = ExpertBuilder(task).go(title).do("bold")
    builder.go(sheet.at(first, average_col)).do("average_left", "format_number", "fill_down")
    if class_result:  # class averages first, so the results' fill runs down into the class row
        builder.go(sheet.at(class_row, first_test)).do("average_above", "format_number", "fill_right")
        builder.go(sheet.at(first, result_col)).do("if_threshold_left", "fill_down")
    else:  # results first (their fill stops at the last student), then the class averages over a selection
        builder.go(sheet.at(first, result_col)).do("if_threshold_left", "fill_down")
        builder.go(sheet.at(class_row, first_test)).do("average_above", "format_number", "anchor_selection")
        for _ in range(average_col - first_test):
            builder.do("move_right")
        builder.do("fill_selection", "clear_selection")
    return finish(task, builder)


BUILDERS = {"projection": _projection, "budget_variance": _budget_variance, "payroll": _payroll,
            "grade_book": _grade_book}


def generate(rng: random.Random, seed: int, structure: Structure, layout: LayoutConfig) -> Task:
    """A multi-step model task (deterministic in ``rng`` and ``seed``)."""
    template = rng.choice(TEMPLATES)
    options = [c for c in COMBINATIONS if c[0] == template]
    _, (option, title_last) = structure.combination(
        template, [c for c in options if c not in HELD_OUT_COMBINATIONS],
        [c for c in options if c in HELD_OUT_COMBINATIONS])
    task = BUILDERS[template](rng, seed, structure, layout, option)
    if title_last:  # the same sentences, the title's last (the expert's order does not change)
        sentences = _sentences(task.instruction)
        task.instruction = " ".join(sentences[1:] + sentences[:1])
        task.__dict__.pop("references", None)  # cached from the old order
    return task


def _sentences(text: str) -> list[str]:
    """The sentences of an instruction (each ends with a full stop followed by a space or the end)."""
    parts = re.split(r"(?<=\.)\s+(?=[A-Z{])", text.strip())
    return [p for p in parts if p]
