"""The ``sheetrl`` command line.

Every command reports bad input (a missing or corrupt file, a malformed formula, a bad address) as one line on
stderr and a non-zero exit status; no stack trace reaches the user. ``SHEETRL_DEBUG=1`` shows tracebacks.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated, Any

import numpy as np
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


def _level(value: str) -> int | str:
    if value == "curriculum":
        return value
    try:
        level = int(value)
    except ValueError:
        raise UsageProblem(f"--level must be 1-5 or 'curriculum', not {value!r}") from None
    if level not in (1, 2, 3, 4, 5):
        raise UsageProblem(f"--level must be 1-5 or 'curriculum', not {value!r}")
    return level


def _show_step(env: Any, action_text: str, reward: float, info: dict[str, Any]) -> None:
    from sheetrl.env.render import render_ansi

    console.print(render_ansi(env), highlight=False, markup=False)
    if info.get("error"):
        console.print(f"[red]invalid:[/red] {info['error']}", highlight=False)
    terms = ", ".join(f"{k} {v:+.2f}" for k, v in info.get("reward_terms", {}).items() if v)
    console.print(f"{action_text}  →  reward {reward:+.2f}" + (f"  ({terms})" if terms else ""), highlight=False)


@app.command("play")
def play(
    level: Annotated[str, typer.Option(help="Curriculum level 1-5.")] = "1",
    seed: Annotated[int, typer.Option(help="Task seed (the same seed gives the same task).")] = 0,
) -> None:
    """Solve a task yourself in the terminal: type commands (e.g. "formula B11 =SUM(B2:B10)") or action
    numbers; "actions" lists the available macro actions, "help" the command language, "quit" leaves."""
    from sheetrl.env.commands import __doc__ as command_help
    from sheetrl.env.render import render_ansi
    from sheetrl.env.spreadsheet_env import SpreadsheetEnv

    env = SpreadsheetEnv(level=_level(level))
    env.reset(seed=seed, options={"task_seed": seed})
    console.print(render_ansi(env), highlight=False, markup=False)
    total = 0.0
    while True:
        try:
            line = input("command> ").strip()
        except EOFError:
            console.print("")
            return
        if not line:
            continue
        if line in ("quit", "exit"):
            return
        if line == "help":
            console.print(command_help, highlight=False, markup=False)
            continue
        if line == "actions":
            for index in np.flatnonzero(env.action_masks()):
                console.print(f"{index:3d}  {env.action_name(index):<26} {env.action_to_command(index)}",
                              highlight=False, markup=False)
            continue
        if line.isdigit():
            obs, reward, terminated, truncated, info = env.step(int(line))
            label = f"action {line} ({env.action_name(int(line)) if int(line) < env.action_space.n else '?'})"
        else:
            obs, reward, terminated, truncated, info = env.step_command(line)
            label = line
        total += reward
        _show_step(env, label, reward, info)
        if terminated or truncated:
            verdict = "solved" if info.get("is_success") else ("out of steps" if truncated else "not solved")
            console.print(f"episode over: {verdict}; return {total:+.2f}")
            return


@app.command("demo")
def demo(
    level: Annotated[str, typer.Option(help="Curriculum level 1-5.")] = "1",
    seed: Annotated[int, typer.Option(help="Task seed.")] = 0,
    delay: Annotated[float, typer.Option(help="Seconds between steps.")] = 0.0,
) -> None:
    """Watch the expert solve a task step by step, with each action's command and reward terms."""
    import time

    from sheetrl.env.actions import MACRO_INDEX
    from sheetrl.env.render import render_ansi
    from sheetrl.env.spreadsheet_env import SpreadsheetEnv

    env = SpreadsheetEnv(level=_level(level))
    env.reset(seed=seed, options={"task_seed": seed})
    assert env.task is not None
    console.print(render_ansi(env), highlight=False, markup=False)
    total = 0.0
    for name in env.task.expert_actions:
        action = MACRO_INDEX[name]
        command = env.action_to_command(action)
        _, reward, terminated, truncated, info = env.step(action)
        total += reward
        _show_step(env, f"{name}: {command}", reward, info)
        if delay:
            time.sleep(delay)
        if terminated or truncated:
            break
    console.print(f"expert {'solved' if info.get('is_success') else 'did not solve'} the task in "
                  f"{env._steps} steps; return {total:+.2f}")


@app.command("demos")
def demos(
    level: Annotated[str, typer.Option(help="Curriculum level 1-5.")] = "1",
    episodes: Annotated[int, typer.Option(help="Number of expert episodes.")] = 100,
    out: Annotated[Path, typer.Option(help="Output file (.npz, format in docs/environment.md).")] = Path(
        "demos.npz"),
    split: Annotated[str, typer.Option(help="Task seeds from 'train' or 'eval'.")] = "train",
) -> None:
    """Write expert demonstrations (observations, actions, masks, commands, rewards) for imitation learning."""
    from sheetrl.env.demonstrations import collect, save_demonstrations

    chosen = _level(level)
    if chosen == "curriculum":
        raise UsageProblem("demonstrations are written per level: pass --level 1-5")
    if episodes < 1 or episodes > 1_000_000:
        raise UsageProblem(f"--episodes must be between 1 and 1,000,000, not {episodes}")
    if split not in ("train", "eval"):
        raise UsageProblem(f"--split must be 'train' or 'eval', not {split!r}")
    trajectories = collect(int(chosen), episodes, split=split)
    path = save_demonstrations(trajectories, out)
    solved = sum(t.info["success"] for t in trajectories)
    steps = sum(len(t.actions) for t in trajectories)
    console.print(f"wrote {path}: {episodes} episodes, {steps} steps, expert solved {solved}/{episodes}")


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
