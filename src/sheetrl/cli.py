"""The ``sheetrl`` command line.

Every command reports bad input (a missing or corrupt file, a malformed formula, a bad address) as one line on
stderr and a non-zero exit status; no stack trace reaches the user. ``SHEETRL_DEBUG=1`` shows tracebacks.
"""

from __future__ import annotations

import dataclasses
import inspect
import os
import signal
import sys
import threading
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import numpy as np
import typer
from rich.console import Console
from rich.table import Table

from sheetrl.sheet import SheetError, Workbook, parse_range
from sheetrl.sheet.address import cell_name, column_letters
from sheetrl.sheet.fileio import UnsafeFileError, check_output, printable
from sheetrl.train.config import MAX_SEED, TrainConfig, TrainError, field_help, one_line
from sheetrl.train.folders import blocking_file

app = typer.Typer(
    name="sheetrl",
    help="Reinforcement-learning agents that operate spreadsheets, and the spreadsheet engine they run on.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,  # plain help: it wraps long option names and text instead of cutting them at 80 columns
)
sheet_app = typer.Typer(help="Use the spreadsheet engine directly: evaluate workbooks and formulas.",
                        no_args_is_help=True, rich_markup_mode=None)
app.add_typer(sheet_app, name="sheet", short_help="Use the spreadsheet engine directly.")

PIPE_WIDTH = 10_000  # columns for output that goes to a file or a pipe: nothing is cut to fit a screen


def _console(stderr: bool = False) -> Console:
    """A console as wide as the terminal, or practically unlimited when the output is not a terminal (rich would
    otherwise assume 80 columns and cut table cells)."""
    console = Console(stderr=stderr)
    return console if console.is_terminal else Console(stderr=stderr, width=PIPE_WIDTH)


console = _console()
error_console = _console(stderr=True)


def _table(title: str) -> Table:
    """A table whose cells wrap (never end in "…") when the terminal is narrower than the table, at least as wide
    as its title (a narrow table would break its title in the middle of a file name). The title is plain text
    (a file name may hold brackets that rich would read as markup), its control characters escaped."""
    from rich.cells import cell_len
    from rich.text import Text

    title = printable(title)
    return Table(title=Text(title), show_lines=False, min_width=cell_len(title))


def _cell_text(text: str, bold: bool = False, keep: str = "\n") -> Any:
    """Text from a workbook or a task file as a table cell: never read as markup, control characters escaped (a
    cell may hold an escape sequence) except those in ``keep`` (line breaks, by default)."""
    from rich.text import Text

    return Text(printable(text, keep=keep), style="bold" if bold else "")


def _add_column(table: Table, header: str, justify: str = "right") -> None:
    table.add_column(header, justify=justify, overflow="fold")  # type: ignore[arg-type]


class UsageProblem(Exception):
    """A problem with what the user asked for, reported as one line."""


class Interrupted(Exception):
    """Ctrl-C, with the one line that says what was kept and what to run next (exit status 130)."""


def _render_grid(wb: Workbook, sheet: str | None, cells: str | None, title: str) -> Table:
    if cells is not None:
        rng = parse_range(cells if "!" in cells or sheet is None else f"'{sheet}'!{cells}")
        if rng.rows * rng.cols > 10_000:
            raise UsageProblem(f"--range {cells} is larger than 10,000 cells; pick a smaller range")
    else:
        used = wb.used_range(sheet)
        if used is None:  # a table without columns prints nothing at all: say that the sheet is empty
            empty = _table(title)
            empty.show_header = False
            empty.add_column("")
            empty.add_row("(no cells)")
            return empty
        rng = type(used)(used.sheet, used.row1, used.col1, min(used.row2, used.row1 + 49),
                         min(used.col2, used.col1 + 15))
    sheet_name = rng.sheet if rng.sheet is not None else (sheet or wb.sheet_names[0])
    table = _table(title)
    table.add_column("", style="dim")
    for col in range(rng.col1, rng.col2 + 1):
        _add_column(table, column_letters(col))
    for row in range(rng.row1, rng.row2 + 1):
        line: list[Any] = [str(row + 1)]
        for col in range(rng.col1, rng.col2 + 1):
            address = f"'{sheet_name}'!{cell_name(row, col)}"
            line.append(_cell_text(wb.display(address), bold=wb.format(address).bold))
        table.add_row(*line)
    return table


@sheet_app.command("eval", short_help="Recalculate an .xlsx workbook and print its values.")
def sheet_eval(
    path: Annotated[Path, typer.Argument(help="An .xlsx workbook to load and recalculate.")],
    sheet: Annotated[str | None, typer.Option(help="Sheet to show (default: every sheet).")] = None,
    cells: Annotated[str | None, typer.Option("--range", help="Range to show, e.g. A1:F20.")] = None,
    out: Annotated[Path | None, typer.Option(help="Save the recalculated workbook here (.xlsx).")] = None,
) -> None:
    """Load an .xlsx file, recalculate every formula with sheetrl's engine and print the values."""
    if out is not None:
        _check_output(out, ".xlsx")
    wb = Workbook.load(path)
    for warning in wb.warnings:
        _warn(warning)
    names = [sheet] if sheet else wb.sheet_names
    for name in names:
        console.print(_render_grid(wb, name, cells, f"{path.name} — {name}"))
    if out is not None:
        wb.save(out)
        _say(f"saved {out}")


def _folder_option(value: str | None, option: str) -> Path | None:
    """A folder given on the command line (an empty one is refused: it would mean the current folder)."""
    if value is None:
        return None
    if not value.strip():
        raise UsageProblem(f"{option} must name a folder, not {value!r}")
    return Path(value)


def _check_output(path: Path, suffix: str) -> None:
    """Refuse an output path before any work is done: a wrong extension (the file would not be what its name
    says), a symbolic link or anything else that is not a regular file (writing would replace it, or what it
    points to), or a place that is not a writable folder. Missing parent folders are created."""
    if path.suffix.lower() != suffix:
        raise UsageProblem(f"--out {path} must end in {suffix} (the file written is {suffix})")
    if path.is_dir() and not path.is_symlink():
        raise UsageProblem(f"--out {path} is a folder; give a file name ending in {suffix}")
    blocking = blocking_file(path.parent)
    if blocking is not None:
        raise UsageProblem(f"--out {path}: {blocking} is a file, not a folder")
    try:
        check_output(path)
    except UnsafeFileError as exc:
        raise UsageProblem(f"--out {exc}") from None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageProblem(f"--out {path}: cannot create the folder {path.parent}: {_reason(exc)}") from None
    if not os.access(path.parent, os.W_OK):
        raise UsageProblem(f"--out {path}: cannot write into {path.parent}")


def _reason(exc: OSError) -> str:
    """An operating-system error's reason in words ("permission denied"), without its number."""
    return (exc.strerror or str(exc)).lower()


@sheet_app.command("formula", short_help="Evaluate one formula, optionally over input cells.")
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
    if not text[1:].strip():
        raise UsageProblem("the formula is empty; give one such as \"=SUM(A1:A3)*2\"")
    address = _formula_home(wb, text)
    # What a spreadsheet shows in General-formatted cells: =0.1+0.2 shows 0.3, not 0.30000000000000004; a formula
    # that spills (=SEQUENCE(3)) shows its whole array, one row per line, tab between columns.
    spilled = wb.spill_range(address)
    area = parse_range(spilled) if spilled else parse_range(address)
    for row in range(area.row1, area.row2 + 1):
        print("\t".join(wb.display(cell_name(row, col)) for col in range(area.col1, area.col2 + 1)))


def _formula_home(wb: Workbook, text: str) -> str:
    """Enter the formula in a cell that is not an input and that it does not read, with room to spill: right of
    every cell it reads and every input, else below them all, else the first free cell of the sheet, else the last
    (=SEQUENCE(3) in the sheet's last cell showed #SPILL!; a formula entered over an input read itself, #CYCLE!);
    returns the cell."""
    from sheetrl.sheet.address import MAX_COLS, MAX_ROWS, parse_cell
    from sheetrl.sheet.errors import ExcelError

    inputs = {(cell.row, cell.col) for cell in (parse_cell(a) for a, _ in wb.cells())}
    free = _free_cells(inputs, MAX_ROWS, MAX_COLS)
    probe = next(free, None)
    if probe is None:
        raise UsageProblem("every cell of the sheet is an input; leave one free for the formula")
    wb.set(cell_name(*probe), text)  # where it reads (a reference to a cell is among its precedents)
    read = [(cell.row, cell.col) for cell in (parse_cell(a) for a in wb.precedents(cell_name(*probe)))
            if cell.sheet is None or cell.sheet.upper() == wb.sheet_names[0].upper()]
    wb.clear(cell_name(*probe))
    taken = inputs | set(read)
    column = max((c for _, c in taken), default=-1) + 2
    row = max((r for r, _ in taken), default=-1) + 2
    candidates = [(0, column)] if column < MAX_COLS - 100 else []
    candidates += [(row, 0)] if row < MAX_ROWS - 100 else []
    for order in (False, True):  # the first free cell (room to spill right and down), else the last
        free_cell = next(_free_cells(taken, MAX_ROWS, MAX_COLS, backwards=order), None)
        candidates += [free_cell] if free_cell is not None else []
    address = cell_name(*probe)
    for place in candidates:
        address = cell_name(*place)
        wb.set(address, text)
        value = wb.value(address)
        if not (isinstance(value, ExcelError) and value.code == "#CYCLE!"):
            return address  # a whole-column reference (=SUM(B:B)) is not among the precedents: try the next cell
        wb.clear(address)
    wb.set(address, text)  # every place is a cycle: the formula reads the whole sheet, and shows that
    return address


def _free_cells(taken: set[tuple[int, int]], rows: int, cols: int, backwards: bool = True
                ) -> Iterator[tuple[int, int]]:
    """(row, column) of the cells not in ``taken``, row by row from the first cell of the sheet or (``backwards``)
    from the last."""
    row_order = range(rows - 1, -1, -1) if backwards else range(rows)
    for row in row_order:
        for col in (range(cols - 1, -1, -1) if backwards else range(cols)):
            if (row, col) not in taken:
                yield row, col


def _typed(raw: str) -> Any:
    """Command-line text to a cell value, as typing it into a cell would: numbers, TRUE/FALSE, formulas, text."""
    from sheetrl.sheet.values import parse_number_text

    if raw.upper() in ("TRUE", "FALSE"):
        return raw.upper() == "TRUE"
    number = parse_number_text(raw)
    return number if number is not None else raw


@sheet_app.command("demo", short_help="Build, edit and recalculate a small sales model.")
def sheet_demo(
    out: Annotated[Path | None, typer.Option(help="Also save the demo workbook here (.xlsx).")] = None,
) -> None:
    """Build a small sales model (formulas, fill, formats, a pivot table), edit it, and show the recalculation."""
    from sheetrl.sheet.demo import build_demo_workbook

    if out is not None:
        _check_output(out, ".xlsx")
    wb = build_demo_workbook()
    console.print(_render_grid(wb, "Sales", "A1:G10", "Sales model"))
    console.print(_render_grid(wb, "Sales", "I1:K5", "Pivot: revenue by region"))
    wb.set("Sales!C3", 40)
    console.print("after setting C3 (units of Gadget) to 40:")
    console.print(_render_grid(wb, "Sales", "A1:G10", "Sales model, recalculated"))
    console.print(_render_grid(wb, "Sales", "I1:K5", "Pivot: revenue by region, refreshed"))
    if out is not None:
        wb.save(out)
        _say(f"saved {out}")


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


PLAY_HELP = """Type a command, an action number, or one of: actions (list the available actions), help, quit.

  goto B3                       move the cursor
  select B2:B10                 select a range
  value B3 42                   type a number, TRUE/FALSE or text ("quoted" if it has spaces)
  formula B11 =SUM(B2:B10)      type a formula
  fill B2 B3:B20                copy B2 into B3:B20 (relative references move, $absolute ones stay)
  format B2:B10 currency        number format: general integer number thousands currency percent percent2
                                date scientific text
  bold A1:F1                    also: italic A1:F1, unbold A1:F1
  align B2:B10 right            left center right general
  clear B3:C4                   empty the cells
  pivot A1:D50 rows=B values=sum(D) at F1
                                pivot table (optional cols=C; sum count average min max)
  done                          declare the task finished"""


MAX_DELAY = 3600  # seconds between the steps of a demo


def _check_seed(seed: int) -> None:
    """A task seed is 0 to MAX_SEED (2**32 - 1): the seeds the task splits are drawn from, and what numpy's
    generators take."""
    if seed < 0:
        raise UsageProblem(f"--seed must be 0 or more, not {seed}")
    if seed > MAX_SEED:
        raise UsageProblem(f"--seed must be at most {MAX_SEED:,}, not {seed:,}")


def _show_step(env: Any, action_text: str, reward: float, info: dict[str, Any]) -> None:
    """The sheet after a step, the step's error (if the action was invalid), its command and its reward. What the
    user typed is plain text, never markup ("[/]" in a command was an internal error)."""
    from rich.text import Text

    from sheetrl.env.render import render_ansi

    console.print(render_ansi(env), highlight=False, markup=False)
    if info.get("error"):
        console.print(Text.assemble(("invalid:", "red"), " ", printable(str(info["error"]))), highlight=False)
    terms = ", ".join(f"{k} {v:+.2f}" for k, v in info.get("reward_terms", {}).items() if v)
    console.print(printable(f"{action_text}  →  reward {reward:+.2f}" + (f"  ({terms})" if terms else "")),
                  highlight=False, markup=False)


@app.command("play", short_help="Solve a task yourself in the terminal.")
def play(
    level: Annotated[str, typer.Option(help="Curriculum level 1-5.")] = "1",
    seed: Annotated[int, typer.Option(help="Task seed (the same seed gives the same task).")] = 0,
) -> None:
    """Solve a task yourself in the terminal: type commands (e.g. "formula B11 =SUM(B2:B10)") or action
    numbers; "actions" lists the available macro actions, "help" the command language, "quit" leaves."""
    from sheetrl.env.actions import N_ACTIONS
    from sheetrl.env.render import render_ansi
    from sheetrl.env.spreadsheet_env import SpreadsheetEnv

    _check_seed(seed)
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
            console.print(PLAY_HELP, highlight=False, markup=False)
            continue
        if line == "actions":
            for index in np.flatnonzero(env.action_masks()):
                console.print(f"{index:3d}  {env.action_name(index):<26} {env.action_to_command(index)}",
                              highlight=False, markup=False)
            continue
        if line.isdigit():
            _, reward, terminated, truncated, info = env.step(int(line))
            label = f"action {line} ({env.action_name(int(line)) if int(line) < N_ACTIONS else '?'})"
        else:
            _, reward, terminated, truncated, info = env.step_command(line)
            label = line
        total += reward
        _show_step(env, label, reward, info)
        if terminated or truncated:
            verdict = "solved" if info.get("is_success") else ("out of steps" if truncated else "not solved")
            console.print(f"episode over: {verdict}; return {total:+.2f}")
            return


@app.command("demo", short_help="Watch the expert or a trained agent solve a task.")
def demo(
    run_dir: Annotated[Path | None, typer.Argument(
        help="A training run folder: watch its agent (deterministic; an alphazero run with its own search, as "
             "sheetrl eval plays it) instead of the expert.")] = None,
    level: Annotated[str | None, typer.Option(help="Curriculum level 1-5 (default: the run's, else 1).")] = None,
    seed: Annotated[int, typer.Option(help="Task seed.")] = 0,
    delay: Annotated[float, typer.Option(help="Seconds between steps.")] = 0.0,
    explain: Annotated[bool, typer.Option(
        help="With a run: show the agent's top actions at every step, with probabilities (Q-values for DQN).")
    ] = False,
    top: Annotated[int, typer.Option(help="Actions shown per step with --explain.")] = 5,
    attention: Annotated[str | None, typer.Option(
        help="With a transformer run: write one PNG per step into this folder, a heat map of the cells the "
             "policy attended to.")] = None,
    avoid_repeats: Annotated[bool, typer.Option(
        help="With a run: never let the agent take an action twice from the same state (its next choice "
             "instead), as sheetrl eval --avoid-repeats.")] = False,
    search_sims: Annotated[int | None, typer.Option(
        help="With a run: play with tree search on top of its policy, this many simulations per move (as "
             "sheetrl eval --search-sims); with --explain, show the search's visit counts.")] = None,
    search_rollouts: Annotated[float | None, typer.Option(
        help="With --search-sims: the share (0-1) of each searched state's value that comes from playing the "
             "policy greedily to the episode's end (as sheetrl eval --search-rollouts).")] = None,
) -> None:
    """Watch the expert, or a trained agent, solve a task step by step, with each action's command and reward
    terms (and with --explain what the agent was choosing between; with --attention where it looked)."""
    import time

    from sheetrl.env.actions import MACRO_INDEX
    from sheetrl.env.render import render_ansi
    from sheetrl.env.spreadsheet_env import SpreadsheetEnv

    _check_seed(seed)
    attention_folder = _folder_option(attention, "--attention")
    if not 0 <= delay <= MAX_DELAY:
        raise UsageProblem(f"--delay must be a number of seconds between 0 and {MAX_DELAY}, not {delay}")
    if explain and run_dir is None:
        raise UsageProblem("--explain shows a trained agent's choices: pass a run folder")
    if top < 1:
        raise UsageProblem(f"--top must be at least 1, not {top}")
    if attention is not None and run_dir is None:
        raise UsageProblem("--attention shows where a trained transformer looked: pass a run folder")
    if avoid_repeats and run_dir is None:
        raise UsageProblem("--avoid-repeats keeps a trained agent out of loops: pass a run folder")
    if search_sims is not None and run_dir is None:
        raise UsageProblem("--search-sims searches on top of a trained agent's policy: pass a run folder")
    _check_search_options(search_sims, search_rollouts)
    from sheetrl.agents.base import RepeatMemory

    repeats = RepeatMemory(1)
    agent, env = None, None
    if run_dir is not None:
        agent, env = _demo_agent(run_dir, level)
    else:
        env = SpreadsheetEnv(level=_level(level or "1"))
    obs, _ = env.reset(seed=seed, options={"task_seed": seed})
    assert env.task is not None
    if attention_folder is not None:
        _prepare_attention_folder(agent, attention_folder)
    search = None
    if search_sims is not None:
        from sheetrl.agents.alphazero import search_policy

        try:
            search = search_policy(agent, search_sims, rollout_weight=search_rollouts)
        except ValueError as exc:
            raise UsageProblem(str(exc)) from None
        search.start(0, env, seed)
    elif agent is not None and hasattr(agent, "evaluation_policy"):  # an agent that plans (alphazero) plays with its
        search = agent.evaluation_policy()  # own search, as sheetrl eval plays it
        search.start(0, env, seed)
    console.print(render_ansi(env), highlight=False, markup=False)
    total = 0.0
    info: dict[str, Any] = {}
    expert = iter(env.task.expert_actions)
    for _ in range(env.max_steps):
        if agent is None:
            action = MACRO_INDEX[next(expert)]
        else:
            mask = obs["action_mask"].astype(bool)
            if avoid_repeats:
                state = env.state_key()
                allowed = repeats.allowed(0, state, mask)
                if allowed is not mask:
                    skipped = ", ".join(env.action_name(a) for a in np.flatnonzero(mask & ~allowed))
                    console.print(f"(back in an earlier state: not {skipped} again)", highlight=False, markup=False)
                mask = allowed
            batch = {key: value[None] for key, value in obs.items()}
            if search is not None:
                action = int(search.act(batch, mask[None], [0])[0])
            else:
                action = int(agent.act(batch, mask[None], deterministic=True)[0])
            if avoid_repeats:
                repeats.record(0, state, action)
            if explain:
                _explain_step(agent, obs, mask, top)
                if search is not None and 0 in getattr(search, "last", {}):
                    _explain_search(search.last[0], top)
            if attention_folder is not None:
                _draw_attention(agent, env, obs, attention_folder, env._steps + 1, env.action_name(action))
        command = env.action_to_command(action)
        obs, reward, terminated, truncated, info = env.step(action)
        total += reward
        _show_step(env, f"{env.action_name(action)}: {command}", reward, info)
        if delay:
            time.sleep(delay)
        if terminated or truncated:
            break
    who = "expert" if agent is None else "agent"
    console.print(f"{who} {'solved' if info.get('is_success') else 'did not solve'} the task in "
                  f"{env._steps} steps; return {total:+.2f}")


def _demo_agent(run_dir: Path, level: str | None) -> tuple[Any, Any]:
    """A run's agent (its latest checkpoint) and an environment with the run's settings."""
    from sheetrl.env.spreadsheet_env import SpreadsheetEnv
    from sheetrl.train.checkpoint import CHECKPOINT_FILE, load_latest
    from sheetrl.train.runner import environment_config, restore_agent

    with _train_errors():
        payload, path = load_latest(run_dir)
        if path.name != CHECKPOINT_FILE:
            _warn(f"{run_dir / CHECKPOINT_FILE} is missing or unusable; showing the agent of the previous "
                  f"checkpoint {path.name} (step {int(payload['counters']['env_steps']):,}) instead")
        agent = restore_agent(payload, source=path)
        config = TrainConfig.from_dict(payload["config"])
    chosen = _level(level) if level is not None else config.level
    if chosen == "curriculum":
        chosen = 1 if level is None else chosen
    if chosen == "curriculum":
        raise UsageProblem("a demo plays one task: pass --level 1-5")
    env_config = dataclasses.replace(environment_config(config, getattr(agent.config, "gamma", None)), level=chosen)
    return agent, SpreadsheetEnv(config=env_config)


def _explain_step(agent: Any, obs: dict[str, Any], mask: Any, top: int) -> None:
    from sheetrl.train.explain import action_scores, top_actions

    scored = action_scores(agent, obs, mask)
    if scored is None:
        console.print("(this agent gives no per-action scores)", highlight=False)
        return
    kind, scores = scored
    shown = ", ".join(f"{a.name} {a.score:.2f}" if kind == "probability" else f"{a.name} {a.score:+.2f}"
                      for a in top_actions(scores, mask, top))
    console.print(f"top actions ({kind}): {shown}", highlight=False)
    if hasattr(agent, "explain_choice"):  # an agent that chooses in levels says how (the hierarchical agent)
        console.print(agent.explain_choice(obs, mask), highlight=False)


def _explain_search(result: Any, top: int) -> None:
    """The search's most visited root actions, with their visits and mean backed-up values."""
    from sheetrl.env.actions import MACRO_INDEX, MACROS
    from sheetrl.train.explain import top_actions

    visits = result.root.child_visits
    values = result.root.q_values()
    shown = ", ".join(f"{a.name} {int(a.score)} (q {values[MACRO_INDEX[a.name]]:+.2f})"
                      for a in top_actions(visits, visits > 0, top))
    played = result.action
    console.print(f"search ({int(visits.sum())} visits): {shown}; plays {MACROS[played].name} "
                  f"({int(visits[played])} visits, q {values[played]:+.2f})", highlight=False)


def _prepare_attention_folder(agent: Any, folder: Path) -> None:
    """Check that the agent has attention to draw and that ``folder`` can take the PNG files."""
    from sheetrl.train.explain import has_attention

    if not has_attention(agent):
        policy = getattr(getattr(agent, "config", None), "policy", agent.name)
        raise UsageProblem(f"--attention needs a transformer policy; this run's policy is {policy}")
    if folder.exists() and not folder.is_dir():
        raise UsageProblem(f"--attention {folder} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise UsageProblem(f"cannot create the folder {folder}: {error.strerror or error}") from None


def _draw_attention(agent: Any, env: Any, obs: dict[str, Any], folder: Path, step: int, action: str) -> None:
    """One step's heat map over the observed window, labelled with the sheet's rows, columns and cell texts."""
    from sheetrl.env.render import cell_text, visible_extent
    from sheetrl.train.explain import cell_attention, save_attention_map

    heat = cell_attention(agent, obs)
    assert heat is not None and env.state is not None
    top, left, _, _ = visible_extent(env)
    rows, cols = heat.shape
    cursor_row, cursor_col = env.state.cursor
    cursor = (cursor_row - top, cursor_col - left) if 0 <= cursor_row - top < rows and 0 <= cursor_col - left < cols \
        else None
    path = folder / f"step_{step:03d}.png"
    try:
        save_attention_map(heat, path, title=f"step {step}: {action}",
                           row_labels=[str(top + r + 1) for r in range(rows)],
                           column_labels=[column_letters(left + c) for c in range(cols)],
                           cell_texts=[[cell_text(env, top + r, left + c, 8) for c in range(cols)]
                                       for r in range(rows)],
                           cursor=cursor)
    except UnsafeFileError as error:
        raise UsageProblem(f"cannot write {path}: it {error.strerror}") from None
    except OSError as error:
        raise UsageProblem(f"cannot write {path}: {_reason(error)}") from None
    _say(f"attention map: {path}")


@app.command("demos")
def demos(
    level: Annotated[str, typer.Option(help="Curriculum level 1-5.")] = "1",
    episodes: Annotated[int, typer.Option(help="Number of expert episodes.")] = 100,
    out: Annotated[Path, typer.Option(help="Output file (.npz, format in docs/environment.md).")] = Path(
        "demos.npz"),
    split: Annotated[str, typer.Option(help="Task seeds from 'train', 'iid' or 'ood'.")] = "train",
) -> None:
    """Write expert demonstrations for imitation learning.

    Each step's observation, action, mask, command and reward, for behaviour cloning (format in
    docs/environment.md)."""
    from sheetrl.env.demonstrations import collect, save_demonstrations

    chosen = _level(level)
    if chosen == "curriculum":
        raise UsageProblem("demonstrations are written per level: pass --level 1-5")
    if episodes < 1 or episodes > 1_000_000:
        raise UsageProblem(f"--episodes must be between 1 and 1,000,000, not {episodes}")
    if split not in ("train", "iid", "ood"):
        raise UsageProblem(f"--split must be 'train', 'iid' or 'ood', not {split!r}")
    _check_output(out, ".npz")
    trajectories = collect(int(chosen), episodes, split=split)
    path = save_demonstrations(trajectories, out)
    solved = sum(t.info["success"] for t in trajectories)
    steps = sum(len(t.actions) for t in trajectories)
    _say(f"wrote {path}: {episodes} episodes, {steps} steps, expert solved {solved}/{episodes}")


# ------------------------------------------------------------------------------------------------ training
@contextmanager
def _train_errors() -> Iterator[None]:
    """Training's own errors (bad config, missing run folder, no usable checkpoint) as one-line usage problems."""
    try:
        yield
    except TrainError as exc:
        raise UsageProblem(one_line(exc, limit=10_000)) from None  # (one line even if a message spans more)


def _check_search_options(search_sims: int | None, search_rollouts: float | None) -> None:
    """``--search-sims`` and ``--search-rollouts`` of ``eval`` and ``demo``, each wrong value one usage line."""
    if search_sims is not None and not 1 <= search_sims <= 100_000:
        raise UsageProblem(f"--search-sims must be between 1 and 100,000, not {search_sims}")
    if search_rollouts is not None and search_sims is None:
        raise UsageProblem("--search-rollouts weighs the rollouts of a search: add --search-sims")
    if search_rollouts is not None and not 0.0 <= search_rollouts <= 1.0:
        raise UsageProblem(f"--search-rollouts is a share of the value, between 0 and 1, not {search_rollouts}")


def _option_name(name: str) -> str:
    """The command-line option of a :class:`TrainConfig` field (``--total-steps``; ``--set`` for overrides)."""
    return "--set" if name == "overrides" else "--" + name.replace("_", "-")


def _config_parameters() -> list[inspect.Parameter]:
    """One keyword parameter per :class:`TrainConfig` field, typed and documented for typer: the options of
    ``sheetrl train`` are generated from the dataclass, so a field, its type and its help exist in one place.
    Every default is None, meaning "not given" (the config's own default, or the resumed run's value, applies)."""
    hints = typing.get_type_hints(TrainConfig)
    parameters = []
    for spec in dataclasses.fields(TrainConfig):
        kind = hints[spec.name]
        option = _option_name(spec.name)
        if spec.name == "overrides":
            annotation: Any = Annotated[list[str] | None, typer.Option(
                option, help="Change one hyper-parameter of the algorithm, e.g. --set learning_rate=3e-4 "
                             "(repeatable).")]
        elif kind is bool:
            annotation = Annotated[bool | None, typer.Option(f"{option}/--no-{option[2:]}",
                                                             help=field_help(spec.name))]
        else:
            choices = [k for k in typing.get_args(kind) if k is not type(None)] or [kind]
            value_type = choices[0] if len(choices) == 1 else str  # e.g. level (1-5 or "curriculum") as text
            annotation = Annotated[value_type | None, typer.Option(option, help=field_help(spec.name))]
        parameters.append(inspect.Parameter(spec.name, inspect.Parameter.KEYWORD_ONLY, default=None,
                                            annotation=annotation))
    return parameters


def _given_config(options: dict[str, Any]) -> dict[str, Any]:
    """The :class:`TrainConfig` fields the user gave on the command line, converted to the fields' types."""
    from sheetrl.train.config import parse_level, parse_overrides

    given = {name: value for name, value in options.items() if value is not None}
    if "level" in given:
        given["level"] = parse_level(given["level"])
    if "overrides" in given:
        given["overrides"] = parse_overrides(given["overrides"])
    return given


def train(resume: Path | None = None, overwrite: bool = False, **options: Any) -> None:
    """Train an agent: progress bar, metrics (metrics.jsonl, TensorBoard, wandb), checkpoints, final evaluation.

    The first Ctrl-C finishes the current iteration, saves a checkpoint and says how to continue."""
    from sheetrl.train.runner import RESUMABLE_CHANGES, Runner, TrainingInterrupted

    with _train_errors():
        given = _given_config(options)
        if resume is not None and overwrite:
            raise UsageProblem("--resume continues a run and --overwrite starts one afresh; choose one")
        if resume is not None:
            fixed = [name for name in given if name not in RESUMABLE_CHANGES]
            if fixed:
                raise UsageProblem(f"{', '.join(map(_option_name, fixed))} cannot change when resuming; the run "
                                   f"keeps its own (only {', '.join(map(_option_name, RESUMABLE_CHANGES))} can)")
            runner = Runner.resume(resume, changes=given, console=console)
        else:
            runner = Runner.start(TrainConfig(**given), console=console, overwrite=overwrite)
        try:
            runner.run()
        except TrainingInterrupted as exc:
            raise Interrupted(str(exc)) from None


train.__signature__ = inspect.Signature([  # type: ignore[attr-defined]
    *_config_parameters(),
    inspect.Parameter("resume", inspect.Parameter.KEYWORD_ONLY, default=None, annotation=Annotated[
        Path | None, typer.Option(help="Continue the run in this folder from its latest checkpoint (exactly where "
                                       "it stopped).")]),
    inspect.Parameter("overwrite", inspect.Parameter.KEYWORD_ONLY, default=False, annotation=Annotated[
        bool, typer.Option("--overwrite", help="Start afresh in --run-dir even if it holds a run (that run's files "
                                               "are deleted).")]),
])
train.__annotations__ = {parameter.name: parameter.annotation
                         for parameter in train.__signature__.parameters.values()}  # type: ignore[attr-defined]
app.command("train", short_help="Train an agent (progress, logs, checkpoints, evaluation).")(train)


@app.command("tune", short_help="Sweep hyper-parameters with Ray Tune.")
def tune(
    sweep_file: Annotated[Path | None, typer.Argument(
        help="Sweep file (TOML with [train], [search] and [tune] tables; see docs/scale.md).")] = None,
    out: Annotated[str | None, typer.Option(
        help="Sweep folder (default: runs/sweeps/{level}__{algo}__{time}).")] = None,
    resume: Annotated[Path | None, typer.Option(
        help="Continue the interrupted sweep in this folder.")] = None,
) -> None:
    """Sweep hyper-parameters with Ray Tune (ASHA on held-out success); writes results.csv and best_config.json."""
    from sheetrl.train.runner import TrainingInterrupted
    from sheetrl.train.sweep import read_sweep, resume_sweep, run_sweep

    with _train_errors():
        folder = _folder_option(out, "--out")
        if (sweep_file is None) == (resume is None):
            raise UsageProblem("give a sweep file to start a sweep, or --resume SWEEP_DIR to continue one")
        try:
            if resume is not None:
                if out is not None:
                    raise UsageProblem("--resume continues a sweep in its own folder; --out does not apply")
                resume_sweep(resume, console=console)
            else:
                assert sweep_file is not None
                run_sweep(read_sweep(sweep_file), folder, console=console)
        except TrainingInterrupted as exc:
            raise Interrupted(str(exc)) from None


@app.command("eval", short_help="Held-out success of a trained run, with a 95% CI.")
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
    search_sims: Annotated[int | None, typer.Option(
        help="Play with tree search on top of the policy, this many simulations per move (Gumbel MuZero's root "
             "search; see agents/alphazero.py).")] = None,
    avoid_repeats: Annotated[bool, typer.Option(
        help="Never let the policy take an action twice from the same state of an episode (it would go round "
             "the same loop again): its next choice instead (with --search-sims: the search's).")] = False,
    search_rollouts: Annotated[float | None, typer.Option(
        help="With --search-sims: the share (0-1) of each searched state's value that comes from playing the "
             "policy greedily from it to the episode's end, as AlphaGo mixed rollouts with its value network "
             "(slower: a rollout per simulation).")] = None,
    first_task: Annotated[int, typer.Option(
        help="Start at this held-out task of each split (0: the first): tasks that choosing settings on the "
             "first ones never saw.")] = 0,
    with_runs: Annotated[list[Path] | None, typer.Option(
        "--with", help="Another run folder to play together with RUN_DIR as one agent (repeat it: an ensemble "
                       "playing the mean of the runs' policies, see agents/ensemble.py).")] = None,
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
        _check_search_options(search_sims, search_rollouts)
        if tasks is not None and level is not None:
            raise ConfigError("--tasks evaluates a task file's tasks; --level does not apply")
        if not 0 <= first_task <= 1_000_000_000:
            raise ConfigError(f"--first-task must be between 0 and 1,000,000,000, not {first_task}")
        if tasks is not None and first_task:
            raise ConfigError("--tasks evaluates a task file's tasks; --first-task does not apply")
        chosen = None if level is None else parse_level(level)
        for folder in (run_dir, *(with_runs or [])):
            if not folder.is_dir():
                raise ConfigError(f"run folder {folder} " + ("is a file, not a folder" if folder.exists()
                                                             else "does not exist"))
        with _evaluation_progress() as progress:
            report = evaluate_run(run_dir, episodes=episodes, level=chosen, compare=compare, device=device,
                                  split=split, tasks=tasks, memoriser_tasks=memoriser_tasks, progress=progress,
                                  notice=_warn, search_sims=search_sims, avoid_repeats=avoid_repeats,
                                  first_task=first_task, ensemble_with=with_runs or (),
                                  rollout_weight=search_rollouts)
    if as_json:
        print(json.dumps(report.to_json()))
        return
    where = f"tasks of {tasks}" if tasks is not None else "held-out tasks"
    table = _table(f"{run_dir.name}: {report.algo} after {report.env_steps:,} steps, {where}")
    for column in ("policy", "split", "level", "episodes", "success", "95% CI", "mean return", "mean length"):
        _add_column(table, column, justify="left" if column in ("policy", "split") else "right")
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
        _say("tasks solved by the agent: " + ", ".join(
            f"{task} {'yes' if ok else 'no'}" for task, ok in zip(report.task_ids, solved)))


tasks_app = typer.Typer(help="Task files: tasks on any workbook (docs/task_files.md).", no_args_is_help=True)
app.add_typer(tasks_app, name="tasks", short_help="Task files: tasks on any workbook.")


@tasks_app.command("check", short_help="Validate a task file and run its reference solutions.")
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
        table = _table(f"{path.name}: {len(tasks)} tasks, reference solutions")
        for column in ("task", "targets", "steps", "budget", "solved", "check"):
            table.add_column(column, justify="left" if column in ("task", "check") else "right")
        for r in results:
            table.add_row(_cell_text(r["id"], keep=""), str(r["targets"]), str(r["steps"]), str(r["max_steps"]),
                          "yes" if r["solved"] else "NO", r["check"])
        console.print(table)
    if failed:
        raise UsageProblem(f"{len(failed)} of {len(results)} reference solutions fail the checker: "
                           + ", ".join(f"{printable(r['id'])} ({r['check']})" for r in failed))


def _say(line: str) -> None:
    """One line on stdout that names a user's file or task: plain text (a file name may hold "[/]", which rich
    would read as markup), control characters escaped."""
    console.print(printable(line), highlight=False, markup=False, soft_wrap=True)


def _warn(message: str) -> None:
    _print_error(f"warning: {message}")


def _print_error(line: str) -> None:
    """One line on stderr: plain text (never markup), control characters (a newline in a task id or a file name)
    escaped."""
    error_console.print(printable(line), highlight=False, markup=False, soft_wrap=True)


@contextmanager
def _evaluation_progress() -> Iterator[Callable[[str, Any, int, int], None]]:
    """Progress of a long evaluation on stderr (stdout stays clean for --json): a bar per policy and level in a
    terminal, one line per finished policy and level otherwise."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    if not error_console.is_terminal:
        def report_line(policy: str, level: Any, done: int, total: int) -> None:
            if done == total:
                error_console.print(f"evaluated {policy} on level {level}: {total} episodes", highlight=False)

        yield report_line
        return
    bars: dict[tuple[str, Any], Any] = {}
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  console=error_console, transient=True) as progress:
        def report_bar(policy: str, level: Any, done: int, total: int) -> None:
            key = (policy, level)
            if key not in bars:
                bars[key] = progress.add_task(f"{policy} level {level}", total=total)
            progress.update(bars[key], completed=done)

        yield report_bar


@app.command("plot", short_help="Draw a run's learning curves as PNG files.")
def plot(
    run_dir: Annotated[Path, typer.Argument(help="A training run folder (holding metrics.jsonl).")],
    out: Annotated[str | None, typer.Option(help="Folder for the PNG files (default: RUN_DIR/plots).")] = None,
) -> None:
    """Draw PNG learning curves of a run: success, return, each reward term, losses."""
    from sheetrl.train.plot import plot_run

    with _train_errors():
        paths = plot_run(run_dir, _folder_option(out, "--out"))
    for path in paths:
        _say(f"wrote {path}")


def main(argv: list[str] | None = None) -> int:
    """Console entry point: runs the app, turns every error into one line on stderr (exit status 2 for bad input,
    1 for an internal error) and Ctrl-C into one line and exit status 130."""
    interrupted = False

    def on_interrupt(signum: int, frame: object) -> None:
        nonlocal interrupted
        interrupted = True
        raise KeyboardInterrupt

    # Ctrl-C is noted here because the click layer underneath turns KeyboardInterrupt into different things in
    # different versions (an Abort exception, or an exit code it returns); the note decides, whatever came back.
    previous = signal.signal(signal.SIGINT, on_interrupt) if _in_main_thread() else None
    try:
        result = app(args=argv, standalone_mode=False)
    except Interrupted as exc:
        _print_error(str(exc))
        return 130
    except (SheetError, UsageProblem, OSError) as exc:
        _print_error(f"error: {_message(exc)}")
        return 2
    except MemoryError as exc:
        return _report_out_of_memory(exc)
    except KeyboardInterrupt:
        interrupted = True
        result = None
    except typer.Exit as exc:
        return exc.exit_code
    except Exception as exc:  # the click layer's usage errors, its Abort, and anything unexpected
        if interrupted:
            result = None
        else:
            return _report_unexpected(exc)
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)
    if interrupted:
        _print_error("interrupted")
        return 130
    return result if isinstance(result, int) else 0


def _message(exc: Exception) -> str:
    """An error's message; an operating system's error as "FILE: reason" rather than "[Errno 13] ...", and the
    error's kind when it has no message (a bare TimeoutError)."""
    if isinstance(exc, OSError) and type(exc).__str__ is OSError.__str__ and exc.strerror:
        return f"{exc.filename}: {_reason(exc)}" if exc.filename is not None else _reason(exc)
    return str(exc) or type(exc).__name__


def _report_unexpected(exc: Exception) -> int:
    """A usage error from the click layer as one line (its own exit status), anything else as an internal error."""
    # Usage errors come from click, or from the copy of click that newer typer versions carry: recognise them by
    # what they offer rather than by class, and print them as one line.
    format_message, exit_code = getattr(exc, "format_message", None), getattr(exc, "exit_code", None)
    if callable(format_message) and isinstance(exit_code, int):
        context = getattr(exc, "ctx", None)
        command_path = getattr(context, "command_path", None)
        where = f" (see '{command_path} --help')" if command_path else ""
        if any(kind.__name__ == "NoArgsIsHelpError" for kind in type(exc).__mro__):  # a group without its command
            _print_error(f"error: missing command{where}")
            return 2
        _print_error(f"error: {format_message()}{where}")
        return exit_code
    if _allocation_failed(exc):
        return _report_out_of_memory(exc)
    if os.environ.get("SHEETRL_DEBUG") == "1":
        raise exc
    _print_error(f"internal error: {type(exc).__name__}: {exc} (set SHEETRL_DEBUG=1 for details)")
    return 1


OUT_OF_MEMORY_SIGNS = ("not enough memory", "can't allocate memory", "out of memory", "unable to allocate")


def _allocation_failed(exc: BaseException) -> bool:
    """Whether an exception is a failed allocation: torch reports one as a RuntimeError (its OutOfMemoryError on
    CUDA), not as a MemoryError."""
    if isinstance(exc, MemoryError) or type(exc).__name__ == "OutOfMemoryError":
        return True
    first_line = (str(exc).strip().splitlines() or [""])[0].lower()
    return isinstance(exc, RuntimeError) and any(sign in first_line for sign in OUT_OF_MEMORY_SIGNS)


def _report_out_of_memory(exc: BaseException) -> int:
    """An allocation that failed, as one line (exit status 2): the sizes asked for need more memory than there is."""
    if os.environ.get("SHEETRL_DEBUG") == "1":
        raise exc
    detail = (str(exc).strip().splitlines() or [""])[0]
    error_console.print("error: out of memory" + (f" ({detail})" if detail else "") + ": the sizes asked for "
                        "(num_envs, batch and buffer sizes, hidden_sizes, episodes) need more memory than this machine "
                        "has; make them smaller", highlight=False, markup=False, soft_wrap=True)
    return 2


def _in_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


if __name__ == "__main__":
    sys.exit(main())
