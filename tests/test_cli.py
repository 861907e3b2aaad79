"""Every ``sheetrl`` command works end to end from the command line, and Ctrl-C is one line with exit status 130.

(``train``, ``eval`` and ``plot`` are exercised in depth in tests/train/test_cli.py.)
"""

from __future__ import annotations

import builtins
import json
import os
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import openpyxl
import pytest

from sheetrl.cli import main

ROOT = Path(__file__).resolve().parents[1]


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line_error(code: int, out: str, err: str, message: str) -> None:
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and message in err, err


# ---------------------------------------------------------------------------------------------------- sheet
def test_sheet_eval_recalculates_a_workbook_and_saves_it(tmp_path: Path, capsys) -> None:
    book = openpyxl.Workbook()
    book.active.append([1, 2, "=A1+B1"])
    book.active.append(["=A1*10", "=C1*C1", '=TEXT(1234.5,"$#,##0.00")'])
    book.save(tmp_path / "in.xlsx")
    code, out, err = run(["sheet", "eval", str(tmp_path / "in.xlsx"), "--range", "A1:C2",
                          "--out", str(tmp_path / "new" / "out.xlsx")], capsys)
    assert code == 0, err
    assert "$1,234.50" in out and " 9 " in out and " 10 " in out  # never cut to fit 80 columns
    assert (tmp_path / "new" / "out.xlsx").exists()


def test_sheet_eval_shows_an_empty_sheet_and_never_breaks_a_title(tmp_path: Path, capsys) -> None:
    """An empty sheet printed nothing at all, and a title wider than its table was broken mid-name."""
    book = openpyxl.Workbook()
    book.active.title = "Empty"
    book.create_sheet("Data").append([1])
    book.save(tmp_path / "a_rather_long_workbook_name.xlsx")
    code, out, err = run(["sheet", "eval", str(tmp_path / "a_rather_long_workbook_name.xlsx")], capsys)
    assert code == 0, err
    lines = out.splitlines()
    assert "a_rather_long_workbook_name.xlsx — Empty" in lines[0] and "(no cells)" in out
    assert any("a_rather_long_workbook_name.xlsx — Data" in line for line in lines)


def test_sheet_eval_refuses_a_wrong_output_name_before_doing_anything(tmp_path: Path, capsys) -> None:
    openpyxl.Workbook().save(tmp_path / "in.xlsx")
    one_line_error(*run(["sheet", "eval", str(tmp_path / "in.xlsx"), "--out", str(tmp_path / "out.csv")], capsys),
                   "must end in .xlsx")
    assert not (tmp_path / "out.csv").exists()
    one_line_error(*run(["sheet", "eval", str(tmp_path / "missing.xlsx")], capsys), "missing.xlsx")


def test_sheet_formula_shows_what_a_spreadsheet_shows(capsys) -> None:
    code, out, _ = run(["sheet", "formula", "=SUM(A1:A3)*2", "--cell", "A1=1", "--cell", "A2=2", "--cell", "A3=3"],
                       capsys)
    assert (code, out) == (0, "12\n")
    assert run(["sheet", "formula", "=0.1+0.2"], capsys)[:2] == (0, "0.3\n")
    assert run(["sheet", "formula", "1/0"], capsys)[:2] == (0, "#DIV/0!\n")
    one_line_error(*run(["sheet", "formula", "="], capsys), "the formula is empty")
    one_line_error(*run(["sheet", "formula", "=SUM(1,"], capsys), "SUM")
    one_line_error(*run(["sheet", "formula", "=1", "--cell", "A1"], capsys), "must look like A1=5")


def test_sheet_formula_shows_a_spilled_array_whole(capsys) -> None:
    """The formula used to sit in the sheet's last cell, where nothing can spill: =SEQUENCE(3) showed #SPILL!."""
    assert run(["sheet", "formula", "=SEQUENCE(3)"], capsys)[:2] == (0, "1\n2\n3\n")
    assert run(["sheet", "formula", "=TRANSPOSE(A1:A2)", "--cell", "A1=1", "--cell", "A2=x"], capsys)[:2] == \
        (0, "1\tx\n")
    assert run(["sheet", "formula", "=SUM(B:B)", "--cell", "B1=4", "--cell", "B2=5"], capsys)[:2] == (0, "9\n")
    assert run(["sheet", "formula", "=SUM(C:C)", "--cell", "A1=4"], capsys)[:2] == (0, "0\n")


def test_sheet_demo_shows_the_model_and_the_refreshed_pivot(tmp_path: Path, capsys) -> None:
    code, out, err = run(["sheet", "demo", "--out", str(tmp_path / "demo.xlsx")], capsys)
    assert code == 0, err
    assert "Pivot: revenue by region, refreshed" in out and (tmp_path / "demo.xlsx").exists()
    one_line_error(*run(["sheet", "demo", "--out", str(tmp_path / "demo.csv")], capsys), "must end in .xlsx")


# ---------------------------------------------------------------------------------------------- environment
def test_play_solves_a_task_typed_by_a_person(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    from sheetrl.env.tasks import make_task

    typed = iter(["help", "actions", "goto Z99999", "goto A30", *make_task(2, 5).expert])
    monkeypatch.setattr(builtins, "input", lambda prompt="": next(typed))
    code, out, err = run(["play", "--level", "2", "--seed", "5"], capsys)
    assert code == 0, err
    assert "formula B11 =SUM(B2:B10)" in out  # the help is for people: the command language with examples
    assert ":param" not in out and "``" not in out
    assert "episode over: solved" in out  # a cell off the sheet was refused, not a crash


def test_play_and_demo_refuse_bad_numbers(capsys) -> None:
    one_line_error(*run(["play", "--seed", "-1"], capsys), "--seed must be 0 or more")
    one_line_error(*run(["demo", "--seed", "-3"], capsys), "--seed must be 0 or more")
    one_line_error(*run(["demo", "--delay", "-1"], capsys), "--delay must be a number of seconds between 0 and 3600")
    one_line_error(*run(["demo", "--delay", "inf"], capsys), "--delay must be a number of seconds between 0 and 3600")
    one_line_error(*run(["play", "--level", "7"], capsys), "--level must be 1-5")


def test_train_refuses_a_run_folder_that_is_a_file(tmp_path: Path, capsys) -> None:
    afile = tmp_path / "notes.txt"
    afile.write_text("kept\n")
    for run_dir in (afile, afile / "run"):
        one_line_error(*run(["train", "--total-steps", "10", "--run-dir", str(run_dir), "--no-progress"], capsys),
                       f"{afile} is a file, not a folder")
    assert afile.read_text() == "kept\n"


def test_demo_shows_the_expert_solving_a_task(capsys) -> None:
    code, out, err = run(["demo", "--level", "3", "--seed", "2"], capsys)
    assert code == 0, err
    assert "expert solved the task" in out


def test_demos_writes_a_loadable_file_and_refuses_other_names(tmp_path: Path, capsys) -> None:
    from sheetrl.env.demonstrations import load_demonstrations

    path = tmp_path / "deep" / "l1.npz"
    code, out, err = run(["demos", "--level", "1", "--episodes", "4", "--out", str(path)], capsys)
    assert code == 0, err
    assert "expert solved 4/4" in out
    data = load_demonstrations(path)
    assert len(data["episode_starts"]) == 4 and np.all(data["obs"]["action_mask"].any(axis=1))
    one_line_error(*run(["demos", "--out", str(tmp_path / "l1.txt")], capsys), "must end in .npz")
    one_line_error(*run(["demos", "--level", "curriculum"], capsys), "written per level")


def test_help_is_never_cut(capsys) -> None:
    assert main(["train", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--accumulation-steps" in out and "--checkpoint-interval" in out and "…" not in out


def test_the_command_lists_show_whole_summaries(capsys) -> None:
    """The lists of commands used to cut summaries ("Solve a task yourself in the terminal: type commands (e.g.",
    "Watch the expert, or a trained agent, solve a task step by step,...")."""
    for argv in (["--help"], ["sheet", "--help"], ["tasks", "--help"]):
        assert main(argv) == 0
        listed = capsys.readouterr().out.split("Commands:")[1].strip().splitlines()
        assert listed and all(line.rstrip().endswith(".") and not line.rstrip().endswith("...") for line in listed), \
            listed


# ------------------------------------------------------------------------------------------------ bad input
def test_a_named_pipe_given_as_an_input_file_is_refused_at_once(tmp_path: Path, capsys, named_pipe) -> None:
    """sheet eval and tasks check opened a named pipe and waited for a writer forever."""
    pipe = named_pipe(tmp_path / "book.xlsx")
    one_line_error(*run(["sheet", "eval", str(pipe)], capsys), f"{pipe} is not a regular file (it is a named pipe)")
    pipe = named_pipe(tmp_path / "tasks.jsonl")
    one_line_error(*run(["tasks", "check", str(pipe)], capsys), "is not a regular file (it is a named pipe)")
    one_line_error(*run(["tasks", "check", os.devnull], capsys), "is not a regular file (it is a character device)")


def test_output_is_never_written_through_a_link_or_over_a_pipe(tmp_path: Path, capsys) -> None:
    """--out onto a symbolic link replaced the file it pointed to (as root, a link to /dev/full replaced the
    device); onto a named pipe it replaced the pipe."""
    openpyxl.Workbook().save(tmp_path / "in.xlsx")
    target = tmp_path / "target.xlsx"
    target.write_bytes(b"precious")
    (tmp_path / "link.xlsx").symlink_to(target)
    (tmp_path / "link.npz").symlink_to(target)
    os.mkfifo(tmp_path / "pipe.xlsx")
    for argv in (["sheet", "eval", str(tmp_path / "in.xlsx")], ["sheet", "demo"], ["demos", "--episodes", "1"]):
        suffix = ".npz" if argv[0] == "demos" else ".xlsx"
        one_line_error(*run([*argv, "--out", str(tmp_path / f"link{suffix}")], capsys),
                       f"--out {tmp_path / f'link{suffix}'} is a symbolic link")
        if suffix == ".xlsx":
            one_line_error(*run([*argv, "--out", str(tmp_path / "pipe.xlsx")], capsys),
                           "is a named pipe, not a regular file")
    assert target.read_bytes() == b"precious"
    assert (tmp_path / "link.xlsx").is_symlink() and (tmp_path / "link.npz").is_symlink()
    assert stat.S_ISFIFO(os.lstat(tmp_path / "pipe.xlsx").st_mode)
    one_line_error(*run(["sheet", "demo", "--out", str(target / "out.xlsx")], capsys),
                   f"{target} is a file, not a folder")


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="creating a device node needs root")
def test_output_never_replaces_a_device_node(tmp_path: Path, capsys) -> None:
    node = tmp_path / "null.xlsx"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # the null device's numbers, in a test folder
    one_line_error(*run(["sheet", "demo", "--out", str(node)], capsys), "is a character device, not a regular file")
    assert stat.S_ISCHR(os.lstat(node).st_mode)


def test_a_missing_command_is_one_line_and_help_is_whole(capsys) -> None:
    """A bare `sheetrl` (or `sheetrl sheet`, `sheetrl tasks`) printed the whole usage text as its error."""
    for argv in ([], ["sheet"], ["tasks"]):
        code, out, err = run(argv, capsys)
        assert (code, out) == (2, "") and err.count("\n") == 1, err
        assert err.startswith("error: missing command (see '") and err.endswith(" --help')\n"), err
        assert main([*argv, "--help"]) == 0
        assert "Commands:" in capsys.readouterr().out


def test_control_characters_in_errors_are_escaped(tmp_path: Path, capsys) -> None:
    """A newline in a task id split the error into two lines."""
    book = openpyxl.Workbook()
    book.active.append([1, 2])
    book.save(tmp_path / "book.xlsx")
    (tmp_path / "tasks.jsonl").write_text(json.dumps(
        {"version": 1, "id": "two\nlines\x1b[31m", "workbook": "book.xlsx", "instruction": "Total in C1.",
         "targets": [{"cell": "C1", "formula": "=A1+B1"}], "colour": "red"}) + "\n")
    one_line_error(*run(["tasks", "check", str(tmp_path / "tasks.jsonl")], capsys),
                   "task two\\nlines\\x1b[31m: unknown field(s) colour")
    one_line_error(*run(["sheet", "eval", str(tmp_path / "no\nsuch.xlsx")], capsys), "no\\nsuch.xlsx")
    one_line_error(*run(["play", "--level", "1\n2"], capsys), "--level must be 1-5 or 'curriculum'")


@pytest.mark.parametrize(("text", "message"), [
    ("[" * 100_000 + "]" * 100_000, "nested more than 100 levels deep"),
    ('{"a": ' * 50_000, "nested more than 100 levels deep"),
    ('{"version": 1, "max_steps": ' + "9" * 5000 + "}", "an integer of more than 4,300 digits"),
], ids=["array", "object", "integer"])
def test_json_nested_too_deeply_or_too_long_a_number_is_one_line(tmp_path: Path, capsys, text: str,
                                                                  message: str) -> None:
    (tmp_path / "tasks.jsonl").write_text(text + "\n")
    one_line_error(*run(["tasks", "check", str(tmp_path / "tasks.jsonl")], capsys), message)


def test_cell_text_is_shown_as_it_is_never_as_markup(tmp_path: Path, capsys) -> None:
    """A bold cell holding "[/]" was read as rich markup: an internal error."""
    from sheetrl.sheet import Workbook

    wb = Workbook()
    wb.set_range("A1", [["[/]", "[red]x", "esc\x1b[2J"]])
    wb.set_format("A1", bold=True)
    wb.save(tmp_path / "[bold]book.xlsx")
    code, out, err = run(["sheet", "eval", str(tmp_path / "[bold]book.xlsx")], capsys)
    assert code == 0, err
    assert "[bold]book.xlsx" in out and "[/]" in out and "[red]x" in out and "esc\\x1b[2J" in out
    assert "\x1b" not in out


def test_play_shows_what_was_typed_as_it_is_never_as_markup(monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """An invalid command holding "[/]" was read as rich markup in the "invalid:" line: an internal error."""
    typed = iter(["goto [/]", 'value A1 "[/]"', "quit"])
    monkeypatch.setattr(builtins, "input", lambda prompt="": next(typed))
    code, out, err = run(["play"], capsys)
    assert code == 0, err
    assert "invalid: goto: '[/]' is not a cell address" in out and 'value A1 "[/]"  →  reward' in out


def test_file_names_in_messages_are_never_read_as_markup(tmp_path: Path, capsys) -> None:
    """`saved PATH` and `wrote PATH` read the path as rich markup: an output named "[/]x.xlsx" was written, and
    then the command ended with an internal error."""
    out_path = f"{tmp_path}/[/][red]x.xlsx"  # a folder "[" holding "][red]x.xlsx"
    code, out, err = run(["sheet", "demo", "--out", out_path], capsys)
    assert code == 0 and out.endswith(f"saved {out_path}\n"), err
    code, out, err = run(["demos", "--episodes", "1", "--out", f"{tmp_path}/[/]d\n.npz"], capsys)
    assert code == 0 and out.startswith(f"wrote {tmp_path}/[/]d\\n.npz: 1 episodes"), err


def test_an_operating_system_error_without_a_message_still_says_what_it_is(monkeypatch: pytest.MonkeyPatch,
                                                                             capsys) -> None:
    """An OSError with no message printed "error: " and nothing else."""
    import sheetrl.sheet.demo as demo

    def fail() -> None:
        raise TimeoutError

    monkeypatch.setattr(demo, "build_demo_workbook", fail)
    one_line_error(*run(["sheet", "demo"], capsys), "error: TimeoutError")


def test_seeds_are_bounded_to_what_the_task_generators_take(capsys) -> None:
    for command in ("play", "demo"):
        one_line_error(*run([command, "--seed", str(2**32)], capsys), "--seed must be at most 4,294,967,295")
        one_line_error(*run([command, "--seed", "9" * 40], capsys), "--seed must be at most 4,294,967,295")
    code, out, err = run(["demo", "--seed", str(2**32 - 1)], capsys)
    assert code == 0 and "expert solved the task" in out, err


def test_sheet_formula_never_enters_the_formula_over_an_input(capsys) -> None:
    """The formula used to go into the sheet's last cell when an input was in the last column: with
    --cell XFD1048576=5 it overwrote that input and read itself (#CYCLE!)."""
    assert run(["sheet", "formula", "=XFD1048576*2", "--cell", "XFD1048576=5"], capsys)[:2] == (0, "10\n")
    assert run(["sheet", "formula", "=XFD1048576+A1048576+XFD1+A1", "--cell", "XFD1048576=5", "--cell",
                "A1048576=1", "--cell", "XFD1=2", "--cell", "A1=3"], capsys)[:2] == (0, "11\n")
    assert run(["sheet", "formula", "=SEQUENCE(2)", "--cell", "XFD1048576=5"], capsys)[:2] == (0, "1\n2\n")
    assert run(["sheet", "formula", "=SUM(1:1)", "--cell", "A1=4", "--cell", "B1=5"], capsys)[:2] == (0, "9\n")


def test_plot_draws_metrics_of_1e308_and_infinity(tmp_path: Path, capsys) -> None:
    """Metrics of ±1e308 were an internal error of `sheetrl plot` (matplotlib could not lay out the axes)."""
    pytest.importorskip("matplotlib")
    lines = [json.dumps({"step": 10 * i, "charts/success_rate": 0.5, "charts/episodic_return": value,
                         "losses/loss": value}) for i, value in enumerate([1.0, 1e308, -1e308, 2.0])]
    (tmp_path / "metrics.jsonl").write_text("\n".join([*lines, '{"step": 50, "losses/loss": -Infinity}']) + "\n")
    code, out, err = run(["plot", str(tmp_path)], capsys)
    assert code == 0 and err == "", err
    assert out.count("wrote ") == 3 and (tmp_path / "plots" / "losses.png").exists()


# -------------------------------------------------------------------------------------------------- Ctrl-C
LAUNCH = (
    "import sys, sheetrl.agents as agents; agents.ALGORITHMS['fake'] = 'tests.train.fake_agent'; "
    "from sheetrl.cli import main; print('ready', file=sys.stderr, flush=True); sys.exit(main(sys.argv[1:]))"
)


def interrupt(argv: list[str], cwd: Path, wait_for: str, stream: str = "stderr",
              after: float = 1.0) -> tuple[int, str, str]:
    """Run the CLI in a child process, press Ctrl-C ``after`` seconds after ``wait_for`` appeared on its
    ``stream``, and return its exit status, stdout and stderr."""
    env = dict(os.environ, PYTHONPATH=f"{ROOT}{os.pathsep}{ROOT / 'src'}", WANDB_SILENT="true")
    child = subprocess.Popen([sys.executable, "-c", LAUNCH, *argv], cwd=cwd, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    watched = child.stdout if stream == "stdout" else child.stderr
    assert watched is not None
    seen = ""
    while wait_for not in seen:
        line = watched.readline()
        assert line, f"the command ended before {wait_for!r}: {seen}"
        seen += line
    time.sleep(after)
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=120)
    return (child.returncode, seen + out, err) if stream == "stdout" else (child.returncode, out, seen + err)


@pytest.mark.slow
def test_ctrl_c_in_train_saves_a_checkpoint_exits_130_and_resume_continues(tmp_path: Path) -> None:
    run_dir = tmp_path / "run"
    argv = ["train", "--algo", "fake", "--total-steps", "100000000", "--run-dir", str(run_dir),
            "--wandb", "disabled", "--no-progress", "--checkpoint-every", "1000000"]
    code, out, err = interrupt(argv, tmp_path, "run folder", stream="stdout")
    assert code == 130, err
    assert "Traceback" not in out + err
    last = err.strip().splitlines()[-1]
    assert "checkpoint saved; continue with: sheetrl train --resume" in last, err
    assert (run_dir / "checkpoint.pt").exists()  # written by the interrupt: no periodic one was due yet
    code, out, err = interrupt(["train", "--resume", str(run_dir), "--no-progress"], tmp_path, "run folder",
                               stream="stdout")
    assert code == 130 and "resuming from checkpoint.pt" in out, err


@pytest.mark.slow
def test_ctrl_c_in_eval_is_one_line_and_exit_130(tmp_path: Path, capsys) -> None:
    run_dir = tmp_path / "run"
    import sheetrl.agents as agents

    saved = dict(agents.ALGORITHMS)
    agents.ALGORITHMS["fake"] = "tests.train.fake_agent"
    try:
        assert main(["train", "--algo", "fake", "--total-steps", "12", "--run-dir", str(run_dir), "--wandb",
                     "disabled", "--no-progress", "--eval-episodes", "0"]) == 0
    finally:
        agents.ALGORITHMS.clear()
        agents.ALGORITHMS.update(saved)
    capsys.readouterr()
    code, _, err = interrupt(["eval", str(run_dir), "--episodes", "1000000", "--level", "curriculum"], tmp_path,
                               "ready", after=4.0)
    assert code == 130
    assert err.strip().splitlines()[-1] == "interrupted" and "Traceback" not in err


def test_ctrl_c_while_the_command_line_is_still_importing_is_one_line_and_exit_130(tmp_path: Path) -> None:
    """Importing the command line takes about a second; Ctrl-C in that second used to print Python's traceback
    and end the process by the signal. The interrupt is sent when the import of sheetrl.cli begins. The child starts
    with Python's own Ctrl-C handler, as from a terminal: started from a background job it would inherit SIGINT
    ignored, and the interrupt would never arrive."""
    launch = (
        "import os, runpy, signal, sys, time\n"
        "class InterruptOnImport:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'sheetrl.cli':\n"
        "            os.kill(os.getpid(), signal.SIGINT)\n"
        "            time.sleep(5)\n"
        "        return None\n"
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        "sys.meta_path.insert(0, InterruptOnImport())\n"
        "sys.argv = ['sheetrl', 'sheet', 'formula', '=1+1']\n"
        "runpy.run_module('sheetrl', run_name='__main__')\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    child = subprocess.run([sys.executable, "-c", launch], cwd=tmp_path, env=env, capture_output=True, text=True,
                           timeout=60, check=False)
    assert (child.returncode, child.stdout, child.stderr) == (130, "", "interrupted\n")


def test_python_dash_m_sheetrl_runs_the_command_line_and_is_the_installed_command(tmp_path: Path) -> None:
    import tomllib

    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    child = subprocess.run([sys.executable, "-m", "sheetrl", "sheet", "formula", "=1+1"], cwd=tmp_path, env=env,
                           capture_output=True, text=True, timeout=120, check=False)
    assert (child.returncode, child.stdout) == (0, "2\n"), child.stderr
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["sheetrl"] == "sheetrl.__main__:main"
