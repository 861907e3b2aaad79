"""The ``sheetrl`` command line.

Every command reports bad input (a missing or corrupt file, a malformed formula, a bad address) as one line on
stderr and a non-zero exit status; no stack trace reaches the user. ``SHEETRL_DEBUG=1`` shows tracebacks.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from sheetrl.sheet import SheetError, Workbook, parse_range
from sheetrl.sheet.address import cell_name, column_letters

app = typer.Typer(
    name="sheetrl",
    help="Reinforcement-learning agents that operate spreadsheets, and the spreadsheet engine they run on.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
sheet_app = typer.Typer(help="Use the spreadsheet engine directly: evaluate workbooks and formulas.", no_args_is_help=True)
app.add_typer(sheet_app, name="sheet")

console = Console()
error_console = Console(stderr=True)


class UsageProblem(Exception):
    """A problem with what the user asked for, reported as one line."""


def _render_grid(wb: Workbook, sheet: str | None, cells: str | None, title: str) -> Table:
    if cells is not None:
        rng = parse_range(cells if "!" in cells or sheet is None else f"'{sheet}'!{cells}")
        if rng.rows * rng.cols > 10_000:
            raise UsageProblem(f"--range {cells} is larger than 10,000 cells; pick a smaller range")
    else:
        rng = wb.used_range(sheet)
        if rng is None:
            table = Table(title=f"{title} (empty)")
            return table
        rng = type(rng)(rng.sheet, rng.row1, rng.col1, min(rng.row2, rng.row1 + 49), min(rng.col2, rng.col1 + 15))
    sheet_name = rng.sheet if rng.sheet is not None else (sheet or wb.sheet_names[0])
    table = Table(title=title, show_lines=False)
    table.add_column("", style="dim")
    for col in range(rng.col1, rng.col2 + 1):
        table.add_column(column_letters(col), justify="right")
    for row in range(rng.row1, rng.row2 + 1):
        line = [str(row + 1)]
        for col in range(rng.col1, rng.col2 + 1):
            address = f"'{sheet_name}'!{cell_name(row, col)}"
            text = wb.display(address)
            if wb.format(address).bold:
                text = f"[bold]{text}[/bold]"
            line.append(text)
        table.add_row(*line)
    return table


@sheet_app.command("eval")
def sheet_eval(
    path: Annotated[Path, typer.Argument(help="An .xlsx workbook to load and recalculate.")],
    sheet: Annotated[str | None, typer.Option(help="Sheet to show (default: every sheet).")] = None,
    cells: Annotated[str | None, typer.Option("--range", help="Range to show, e.g. A1:F20.")] = None,
    out: Annotated[Path | None, typer.Option(help="Save the recalculated workbook here (.xlsx).")] = None,
) -> None:
    """Load an .xlsx file, recalculate every formula with sheetrl's engine and print the values."""
    wb = Workbook.load(path)
    for warning in wb.warnings:
        error_console.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)
    names = [sheet] if sheet else wb.sheet_names
    for name in names:
        console.print(_render_grid(wb, name, cells, f"{path.name} — {name}"))
    if out is not None:
        wb.save(out)
        console.print(f"saved {out}")


@sheet_app.command("formula")
def sheet_formula(
    formula: Annotated[str, typer.Argument(help='Formula to evaluate, e.g. "=SUM(A1:A3)*2".')],
    cell: Annotated[
        list[str] | None, typer.Option("--cell", help="Input cell, e.g. --cell A1=5 --cell B1=hello (repeatable).")
    ] = None,
) -> None:
    """Evaluate one formula, optionally over input cells, and print its value."""
    wb = Workbook()
    for assignment in cell or []:
        address, sep, raw = assignment.partition("=")
        if not sep:
            raise UsageProblem(f"--cell {assignment!r} must look like A1=5")
        wb.set(address.strip(), _typed(raw))
    text = formula if formula.startswith("=") else "=" + formula
    wb.set("XFD1048576", text)
    console.print(str(wb.value("XFD1048576")))


def _typed(raw: str) -> Any:
    """Command-line text to a cell value, as typing it into a cell would: numbers, TRUE/FALSE, formulas, text."""
    from sheetrl.sheet.values import parse_number_text

    if raw.upper() in ("TRUE", "FALSE"):
        return raw.upper() == "TRUE"
    number = parse_number_text(raw)
    return number if number is not None else raw


@sheet_app.command("demo")
def sheet_demo(
    out: Annotated[Path | None, typer.Option(help="Also save the demo workbook here (.xlsx).")] = None,
) -> None:
    """Build a small sales model (formulas, fill, formats, a pivot table), edit it, and show the recalculation."""
    from sheetrl.sheet.demo import build_demo_workbook

    wb = build_demo_workbook()
    console.print(_render_grid(wb, "Sales", "A1:G10", "Sales model"))
    console.print(_render_grid(wb, "Sales", "I1:K5", "Pivot: revenue by region"))
    wb.set("Sales!C3", 40)
    console.print("after setting C3 (units of Gadget) to 40:")
    console.print(_render_grid(wb, "Sales", "A1:G10", "Sales model, recalculated"))
    if out is not None:
        wb.save(out)
        console.print(f"saved {out}")


def main(argv: list[str] | None = None) -> int:
    """Console entry point: runs the app and turns every error into one line on stderr."""
    try:
        app(args=argv, standalone_mode=False)
    except (SheetError, UsageProblem, OSError) as exc:
        error_console.print(f"error: {exc}", highlight=False, markup=False)
        return 2
    except (typer.Abort, KeyboardInterrupt):
        error_console.print("aborted", highlight=False)
        return 130
    except typer.Exit as exc:
        return exc.exit_code
    except Exception as exc:  # the click layer's usage errors and anything unexpected
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            return exc.exit_code
        if os.environ.get("SHEETRL_DEBUG") == "1":
            raise
        error_console.print(
            f"internal error: {type(exc).__name__}: {exc} (set SHEETRL_DEBUG=1 for details)",
            highlight=False,
            markup=False,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
