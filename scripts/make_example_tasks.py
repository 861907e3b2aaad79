#!/usr/bin/env python3
"""Write the example task file and the workbook it runs on: examples/tasks/quarterly_sales.{xlsx,jsonl}.

Usage::

    python3 scripts/make_example_tasks.py           # (re)write both files
    python3 scripts/make_example_tasks.py --check   # exit 1 if the committed files differ from what this writes

The workbook is built with sheetrl's engine and saved as .xlsx: a "Sales" sheet (a title, quarter headers "Q1" to
"Q4" that look like cell references, ten regions, a note beside the table) and an "Orders" sheet of forty order
records. The task file (format: docs/task_files.md) holds six tasks a person would ask for on such a sheet: a
column total, a new column with its header and a currency format, bolding the header row, the highest Q4 figure, a
count by region, and a pivot table on a new sheet. Check it with ``sheetrl tasks check
examples/tasks/quarterly_sales.jsonl``.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from sheetrl.env.tasks.files import write_task_file
from sheetrl.sheet import Workbook

FOLDER = ROOT / "examples" / "tasks"
WORKBOOK = "quarterly_sales.xlsx"
TASKS = "quarterly_sales.jsonl"
REGIONS = ("North", "South", "East", "West", "Central", "Pacific", "Midwest", "Mountain", "Atlantic", "Gulf")
REPS = ("Ana", "Raj", "Li", "Tom", "Eve")
PRODUCTS = ("Laptops", "Tablets", "Phones", "Monitors")


def build_workbook() -> Workbook:
    """The example workbook (deterministic)."""
    rng = random.Random(2024)
    wb = Workbook(["Sales", "Orders"])
    wb.set("Sales!A1", "Quarterly sales 2024")
    wb.set_range("Sales!A3", [["Region", "Rep", "Q1", "Q2", "Q3", "Q4"]])
    for i, region in enumerate(REGIONS):
        row = 4 + i
        wb.set_range(f"Sales!A{row}", [[region, REPS[i % len(REPS)],
                                        *(float(rng.randrange(8_000, 60_000, 50)) for _ in range(4))]])
    wb.set("Sales!H3", "Figures in USD")
    orders = [["Order", "Region", "Product", "Units", "Revenue"]]
    for number in range(1, 41):
        units = rng.randint(1, 40)
        orders.append([f"SO-{1000 + number}", rng.choice(REGIONS[:4]), rng.choice(PRODUCTS), float(units),
                       float(units * rng.choice((299, 449, 899, 1299)))])
    wb.set_range("Orders!A1", orders)
    return wb


def tasks() -> list[dict[str, object]]:
    """The example tasks (task objects of the task-file format)."""
    common = {"workbook": WORKBOOK, "sheet": "Sales"}
    return [
        dict(id="q1-total", **common, instruction="In C14, enter a formula for the total of Q1, C4:C13.",
             references=["C14", "C4:C13"], targets=[{"cell": "C14", "formula": "=SUM(C4:C13)"}]),
        dict(id="annual-column", **common,
             instruction='Add a yearly total column: the header "Year" in G3, and in G4:G13 the sum of each '
                         "region's four quarters (C to F), formatted as currency.",
             references=["G3", "G4:G13"],
             targets=[{"cell": "G3", "value": "Year"},
                      {"range": "G4:G13", "formula": "=SUM(C4:F4)", "number_format": "currency"}]),
        dict(id="bold-headers", **common, instruction="Make the header row A3:F3 bold.", references=["A3:F3"],
             targets=[{"range": "A3:F3", "bold": True}]),
        dict(id="best-q4", **common, instruction="In F15, show the highest Q4 figure of F4:F13 with a formula.",
             references=["F15", "F4:F13"], targets=[{"cell": "F15", "formula": "=MAX(F4:F13)"}]),
        dict(id="reps-named-ana", **common,
             instruction="In B16, count how many regions Ana looks after (the reps are in B4:B13).",
             references=["B16", "B4:B13"], targets=[{"cell": "B16", "formula": '=COUNTIF(B4:B13,"Ana")'}],
             criteria=["B4:B13"]),
        dict(id="revenue-pivot", **common,
             instruction="On a new sheet named Summary, create a pivot table of the orders in Orders!A1:E41 with "
                         "one row per Product and the total Revenue, its top-left cell at B2.",
             references=["Orders!A1:E41"],
             targets=[{"pivot": {"source": "Orders!A1:E41", "rows": "Product", "values": "Revenue",
                                 "aggregation": "sum"}, "at": "Summary!B2"}]),
    ]


def write(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    build_workbook().save(folder / WORKBOOK)
    return [folder / WORKBOOK, write_task_file(folder / TASKS, tasks())]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if the committed files are stale")
    args = parser.parse_args()
    if not args.check:
        for path in write(FOLDER):
            print(f"wrote {path.relative_to(ROOT)}")
        return
    with tempfile.TemporaryDirectory() as scratch:
        fresh = Path(scratch)
        write(fresh)
        stale = [name for name in (TASKS,) if (fresh / name).read_text() != (FOLDER / name).read_text()]
        fresh_book, committed = Workbook.load(fresh / WORKBOOK), Workbook.load(FOLDER / WORKBOOK)
        for sheet in fresh_book.sheet_names:
            if dict(fresh_book.cells(sheet)) != dict(committed.cells(sheet)):
                stale.append(f"{WORKBOOK} ({sheet})")
    if stale:
        sys.exit(f"stale example files: {', '.join(stale)}; run python3 scripts/make_example_tasks.py")
    print("example task files are current")


if __name__ == "__main__":
    main()
