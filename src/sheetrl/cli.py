"""The ``sheetrl`` command line.

Every command reports bad input (a missing or corrupt file, a malformed formula, a bad address) as one line on
stderr and a non-zero exit status; no stack trace reaches the user. ``SHEETRL_DEBUG=1`` shows tracebacks.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from sheetrl.sheet import SheetError, Workbook, parse_range
from sheetrl.sheet.address import cell_name, column_letters
from sheetrl.train.config import TrainConfig, TrainError, field_help

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
    split: Annotated[str, typer.Option(help="Task seeds from 'train', 'iid' or 'ood'.")] = "train",
) -> None:
    """Write expert demonstrations (observations, actions, masks, commands, rewards) for imitation learning."""
    from sheetrl.env.demonstrations import collect, save_demonstrations

    chosen = _level(level)
    if chosen == "curriculum":
        raise UsageProblem("demonstrations are written per level: pass --level 1-5")
    if episodes < 1 or episodes > 1_000_000:
        raise UsageProblem(f"--episodes must be between 1 and 1,000,000, not {episodes}")
    if split not in ("train", "iid", "ood"):
        raise UsageProblem(f"--split must be 'train', 'iid' or 'ood', not {split!r}")
    trajectories = collect(int(chosen), episodes, split=split)
    path = save_demonstrations(trajectories, out)
    solved = sum(t.info["success"] for t in trajectories)
    steps = sum(len(t.actions) for t in trajectories)
    console.print(f"wrote {path}: {episodes} episodes, {steps} steps, expert solved {solved}/{episodes}")


# ------------------------------------------------------------------------------------------------ training
@contextmanager
def _train_errors() -> Iterator[None]:
    """Training's own errors (bad config, missing run folder, no usable checkpoint) as one-line usage problems."""
    try:
        yield
    except TrainError as exc:
        raise UsageProblem(str(exc)) from None


@app.command("train")
def train(
    algo: Annotated[str | None, typer.Option(help=field_help("algo"))] = None,
    level: Annotated[str | None, typer.Option(help=field_help("level"))] = None,
    preset: Annotated[str | None, typer.Option(help=field_help("preset"))] = None,
    seed: Annotated[int | None, typer.Option(help=field_help("seed"))] = None,
    total_steps: Annotated[int | None, typer.Option(help=field_help("total_steps"))] = None,
    device: Annotated[str | None, typer.Option(help=field_help("device"))] = None,
    precision: Annotated[str | None, typer.Option(help=field_help("precision"))] = None,
    accumulation_steps: Annotated[int | None, typer.Option(help=field_help("accumulation_steps"))] = None,
    run_dir: Annotated[Path | None, typer.Option(help=field_help("run_dir"))] = None,
    checkpoint_every: Annotated[int | None, typer.Option(help=field_help("checkpoint_every"))] = None,
    checkpoint_interval: Annotated[float | None, typer.Option(help=field_help("checkpoint_interval"))] = None,
    eval_episodes: Annotated[int | None, typer.Option(help=field_help("eval_episodes"))] = None,
    wandb: Annotated[str | None, typer.Option(help=field_help("wandb"))] = None,
    tensorboard: Annotated[bool | None, typer.Option("--tensorboard/--no-tensorboard",
                                                     help=field_help("tensorboard"))] = None,
    max_steps: Annotated[int | None, typer.Option(help=field_help("max_steps"))] = None,
    hyperparameters: Annotated[list[str] | None, typer.Option(
        "--set", help="Change one hyper-parameter of the algorithm, e.g. --set learning_rate=3e-4 (repeatable).")
    ] = None,
    log_every: Annotated[int | None, typer.Option(help=field_help("log_every"))] = None,
    progress: Annotated[bool | None, typer.Option("--progress/--no-progress", help=field_help("progress"))] = None,
    threads: Annotated[int | None, typer.Option(help=field_help("threads"))] = None,
    resume: Annotated[Path | None, typer.Option(
        help="Continue the run in this folder from its latest checkpoint (exactly where it stopped).")] = None,
    overwrite: Annotated[bool, typer.Option(
        "--overwrite", help="Start afresh in --run-dir even if it holds a run (that run's files are deleted).")
    ] = False,
) -> None:
    """Train an agent: progress bar, metrics (metrics.jsonl, TensorBoard, wandb), checkpoints, final evaluation."""
    from sheetrl.train.config import parse_level, parse_overrides
    from sheetrl.train.runner import RESUMABLE_CHANGES, Runner

    with _train_errors():
        given = {
            "algo": algo, "level": None if level is None else parse_level(level), "preset": preset, "seed": seed,
            "total_steps": total_steps, "device": device, "precision": precision,
            "accumulation_steps": accumulation_steps, "run_dir": None if run_dir is None else str(run_dir),
            "checkpoint_every": checkpoint_every, "checkpoint_interval": checkpoint_interval, "eval_episodes": eval_episodes, "wandb": wandb,
            "tensorboard": tensorboard, "max_steps": max_steps,
            "overrides": parse_overrides(hyperparameters) if hyperparameters else None,
            "log_every": log_every, "progress": progress, "threads": threads,
        }
        given = {name: value for name, value in given.items() if value is not None}
        if resume is not None and overwrite:
            raise UsageProblem("--resume continues a run and --overwrite starts one afresh; choose one")
        if resume is not None:
            fixed = [name for name in given if name not in RESUMABLE_CHANGES]
            if fixed:
                options = ", ".join("--" + ("set" if n == "overrides" else n.replace("_", "-")) for n in fixed)
                raise UsageProblem(f"{options} cannot change when resuming; the run keeps its own "
                                   f"(only {', '.join('--' + n.replace('_', '-') for n in RESUMABLE_CHANGES)} can)")
            runner = Runner.resume(resume, changes=given, console=console)
        else:
            runner = Runner.start(TrainConfig(**given), console=console, overwrite=overwrite)
        runner.run()


@app.command("eval")
def evaluate(
    run_dir: Annotated[Path, typer.Argument(help="A training run folder (holding checkpoint.pt).")],
    episodes: Annotated[int, typer.Option(help="Held-out evaluation episodes per level and split.")] = 500,
    level: Annotated[str | None, typer.Option(
        help="Level 1-5 or 'curriculum' (all five); default: the run's level.")] = None,
    split: Annotated[str, typer.Option(
        help="iid (new seeds), ood (held-out layouts, phrasings and combinations, new seeds) or both.")] = "both",
    tasks: Annotated[Path | None, typer.Option(
        help="Evaluate on the tasks of this task file instead (JSON or JSONL, see docs/task_files.md).")] = None,
    compare: Annotated[bool, typer.Option(
        help="Also evaluate the expert, a random masked policy and the memoriser (instruction -> expert macros, "
             "from training tasks).")] = False,
    memoriser_tasks: Annotated[int, typer.Option(
        help="Training tasks per level the memoriser remembers (with --compare).")] = 1000,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as one JSON object.")] = False,
    device: Annotated[str, typer.Option(help="Torch device for the agent: auto, cpu, cuda or cuda:N.")] = "cpu",
) -> None:
    """Success rate on held-out tasks (iid and ood splits, or a task file) with a 95% confidence interval, mean
    return and mean episode length."""
    import json

    from sheetrl.train.config import ConfigError, parse_level
    from sheetrl.train.evaluate import evaluate_run

    with _train_errors():
        if episodes < 1 or episodes > 1_000_000:
            raise ConfigError(f"--episodes must be between 1 and 1,000,000, not {episodes}")
        if split not in ("iid", "ood", "both"):
            raise ConfigError(f"--split must be iid, ood or both, not {split!r}")
        if memoriser_tasks < 1:
            raise ConfigError(f"--memoriser-tasks must be at least 1, not {memoriser_tasks}")
        if tasks is not None and level is not None:
            raise ConfigError("--tasks evaluates a task file's tasks; --level does not apply")
        chosen = None if level is None else parse_level(level)
        if not run_dir.is_dir():
            raise ConfigError(f"run folder {run_dir} does not exist")
        report = evaluate_run(run_dir, episodes=episodes, level=chosen, compare=compare, device=device, split=split,
                              tasks=tasks, memoriser_tasks=memoriser_tasks)
    if as_json:
        print(json.dumps(report.to_json()))
        return
    where = f"tasks of {tasks}" if tasks is not None else "held-out tasks"
    table = Table(title=f"{run_dir.name}: {report.algo} after {report.env_steps:,} steps, {where}")
    for column in ("policy", "split", "level", "episodes", "success", "95% CI", "mean return", "mean length"):
        table.add_column(column, justify="left" if column in ("policy", "split") else "right")
    for policy, per_split in report.results.items():
        for split_name, per_level in per_split.items():
            rows = list(per_level.values()) + ([report.summary(policy, split_name)] if len(per_level) > 1 else [])
            for result in rows:
                level_name = "file" if split_name == "tasks" else str(result.level)
                table.add_row(policy, split_name, level_name, str(result.episodes), f"{result.success_rate:.3f}",
                              f"{result.ci_low:.3f}-{result.ci_high:.3f}", f"{result.mean_return:.2f}",
                              f"{result.mean_length:.1f}")
    console.print(table)
    if report.task_ids:
        solved = report.task_results.get("agent", [])
        console.print("tasks solved by the agent: " + ", ".join(
            f"{task} {'yes' if ok else 'no'}" for task, ok in zip(report.task_ids, solved)), highlight=False)


tasks_app = typer.Typer(help="Task files: tasks on any workbook (docs/task_files.md).", no_args_is_help=True)
app.add_typer(tasks_app, name="tasks")


@tasks_app.command("check")
def tasks_check(
    path: Annotated[Path, typer.Argument(help="A task file (JSON or JSONL).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the results as one JSON object.")] = False,
) -> None:
    """Validate a task file and run each task's reference solution through the environment and the checker."""
    import json

    from sheetrl.env.tasks.files import TaskFileError, load_task_file
    from sheetrl.train.evaluate import solve_with_reference

    try:
        tasks = load_task_file(path)
    except TaskFileError as exc:
        raise UsageProblem(str(exc)) from None
    results: list[dict[str, Any]] = []
    for task in tasks:
        solved, condition, total, steps = solve_with_reference(task)
        results.append({"id": task.template, "solved": solved, "check": condition, "return": round(total, 4),
                        "steps": steps, "targets": len(task.targets), "max_steps": task.max_steps})
    failed = [r for r in results if not r["solved"]]
    if as_json:
        print(json.dumps({"file": str(path), "tasks": results, "valid": not failed}))
    else:
        table = Table(title=f"{path.name}: {len(tasks)} tasks, reference solutions")
        for column in ("task", "targets", "steps", "budget", "solved", "check"):
            table.add_column(column, justify="left" if column in ("task", "check") else "right")
        for r in results:
            table.add_row(r["id"], str(r["targets"]), str(r["steps"]), str(r["max_steps"]),
                          "yes" if r["solved"] else "NO", r["check"])
        console.print(table)
    if failed:
        raise UsageProblem(f"{len(failed)} of {len(results)} reference solutions fail the checker: "
                           + ", ".join(f"{r['id']} ({r['check']})" for r in failed))


@app.command("plot")
def plot(
    run_dir: Annotated[Path, typer.Argument(help="A training run folder (holding metrics.jsonl).")],
    out: Annotated[Path | None, typer.Option(help="Folder for the PNG files (default: RUN_DIR/plots).")] = None,
) -> None:
    """Draw PNG learning curves of a run: success, return, each reward term, losses."""
    from sheetrl.train.plot import plot_run

    with _train_errors():
        paths = plot_run(run_dir, out)
    for path in paths:
        console.print(f"wrote {path}", highlight=False)


def main(argv: list[str] | None = None) -> int:
    """Console entry point: runs the app and turns every error into one line on stderr."""
    try:
        app(args=argv, standalone_mode=False)
    except (SheetError, UsageProblem, OSError) as exc:
        error_console.print(f"error: {exc}", highlight=False, markup=False, soft_wrap=True)
        return 2
    except (typer.Abort, KeyboardInterrupt):
        error_console.print("aborted", highlight=False)
        return 130
    except typer.Exit as exc:
        return exc.exit_code
    except Exception as exc:  # the click layer's usage errors and anything unexpected
        # Usage errors come from click, or from the copy of click that newer typer versions carry: recognise
        # them by what they offer rather than by class, and print them as one line.
        format_message, exit_code = getattr(exc, "format_message", None), getattr(exc, "exit_code", None)
        if callable(format_message) and isinstance(exit_code, int):
            context = getattr(exc, "ctx", None)
            where = f" (see '{context.command_path} --help')" if getattr(context, "command_path", None) else ""
            error_console.print(f"error: {format_message()}{where}", highlight=False, markup=False, soft_wrap=True)
            return exit_code
        if os.environ.get("SHEETRL_DEBUG") == "1":
            raise
        error_console.print(
            f"internal error: {type(exc).__name__}: {exc} (set SHEETRL_DEBUG=1 for details)",
            highlight=False,
            markup=False,
            soft_wrap=True,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
