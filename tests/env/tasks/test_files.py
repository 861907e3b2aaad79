"""Task files: the example loads and its reference solutions pass, custom tasks run and snapshot exactly through the
environment, and bad files get errors naming the task and the problem."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path

import numpy as np
import pytest

from sheetrl.env.actions import MACRO_INDEX
from sheetrl.env.spreadsheet_env import SpreadsheetEnv
from sheetrl.env.tasks import check
from sheetrl.env.tasks.files import TaskFileError, load_task_file, write_task_file
from sheetrl.sheet import Workbook
from sheetrl.train.evaluate import solve_with_reference

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "tasks" / "quarterly_sales.jsonl"


@pytest.fixture(scope="module")
def example_tasks():
    return {t.template: t for t in load_task_file(EXAMPLE)}


def test_the_example_file_loads_and_every_reference_solution_passes_the_checker(example_tasks):
    assert set(example_tasks) == {"q1-total", "annual-column", "bold-headers", "best-q4", "reps-named-ana",
                                  "revenue-pivot"}
    for task in example_tasks.values():
        solved, condition, _, steps = solve_with_reference(task)
        assert solved and condition == "ok", (task.template, condition)
        assert steps <= task.max_steps


def test_the_example_files_are_what_the_script_writes():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_example_tasks.py"), "--check"],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_a_custom_task_runs_through_reset_and_step_command(example_tasks):
    task = example_tasks["q1-total"]
    env = SpreadsheetEnv()
    _, info = env.reset(options={"task": task})
    assert info["instruction"] == task.instruction and env.state.sheet == "Sales"
    _, _, terminated, _, info = env.step_command("formula C14 =SUM(C4:C13)")
    assert terminated and info["is_success"] and info["check"] == "ok"
    env.reset(options={"task": task})
    _, _, terminated, _, info = env.step_command("formula C14 =SUM(C4:C12)")  # one region short
    assert not terminated and info["check"] == "value"
    verdict = env.check()
    assert (verdict.success, verdict.condition, verdict.cell) == (False, "value", "C14")
    value = task.targets[0].expected
    _, _, _, _, info = env.step_command(f"formula C14 ={value}")  # the right number, as a constant
    assert not info["is_success"] and info["check"] in ("reads", "follows_inputs")


def test_quarter_headers_in_the_example_are_not_read_as_cells(example_tasks):
    task = example_tasks["q1-total"]
    assert "Q1" in task.instruction and [r.text for r in task.references] == ["C14", "C4:C13"]


def test_the_pivot_target_on_a_new_sheet_is_the_rendered_table(example_tasks):
    task = example_tasks["revenue-pivot"]
    assert task.expert_commands[0] == "newsheet Summary"
    assert all(t.address.startswith("Summary!") for t in task.targets)
    assert "flip" in task.perturbations and task.criteria
    pivot_free = task.solution.clone()
    pivot_free.remove_pivot(pivot_free.pivots[0].name)
    for target in task.targets:  # the same numbers typed in
        pivot_free.set(target.address, target.expected)
    result = check(pivot_free, task)
    assert not result.success and result.condition == "follows_inputs"


def test_a_custom_task_episode_round_trips_through_get_state_and_set_state(example_tasks):
    task = example_tasks["annual-column"]
    env = SpreadsheetEnv()
    env.reset(options={"task": task})
    for line in ("goto G3", 'value G3 "Year"', "formula G4 =SUM(C4:F4)"):
        obs, *_ = env.step_command(line)
    snapshot = json.loads(json.dumps(env.get_state()))  # what a checkpoint stores
    twin = SpreadsheetEnv()
    restored = twin.set_state(snapshot)
    for key in obs:
        np.testing.assert_array_equal(obs[key], restored[key])
    for line in ("fill G4 G5:G13", "format G4:G13 currency"):
        a, b = env.step_command(line), twin.step_command(line)
        assert a[1:4] == b[1:4] and a[4]["check"] == b[4]["check"]
        for key in a[0]:
            np.testing.assert_array_equal(a[0][key], b[0][key])
    assert a[4]["is_success"]


def test_a_task_built_in_memory_cannot_be_snapshotted_by_mistake(example_tasks):
    from dataclasses import replace

    env = SpreadsheetEnv()
    env.reset(options={"task": replace(example_tasks["q1-total"], source=None)})
    with pytest.raises(ValueError, match="built in memory"):
        env.get_state()


def test_the_json_document_form_loads_too(tmp_path):
    lines = EXAMPLE.read_text().splitlines()
    document = {"format": "sheetrl-tasks", "version": 1, "tasks": [json.loads(line) for line in lines[:2]]}
    (tmp_path / "tasks.json").write_text(json.dumps(document))
    (tmp_path / "quarterly_sales.xlsx").write_bytes((EXAMPLE.parent / "quarterly_sales.xlsx").read_bytes())
    assert [t.template for t in load_task_file(tmp_path / "tasks.json")] == ["q1-total", "annual-column"]


def _write(tmp_path, task):
    wb = Workbook()
    wb.set_range("A1", [["Region", "Sales"], ["East", 5], ["West", 7]])
    wb.save(tmp_path / "book.xlsx")
    base = {"id": "t", "workbook": "book.xlsx", "instruction": "Total B2:B3 in B4.",
            "targets": [{"cell": "B4", "formula": "=SUM(B2:B3)"}]}
    return write_task_file(tmp_path / "tasks.jsonl", [dict(base, **task)])


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"workbook": "missing.xlsx"}, "task t: cannot load workbook"),
        ({"workbook": "book\0.xlsx"}, "'workbook' must be a file path, not 'book\\x00.xlsx'"),
        ({"sheet": "Nope"}, "sheet 'Nope' is not in book.xlsx"),
        ({"colour": "red"}, "unknown field(s) colour"),
        ({"targets": []}, "'targets' must be a non-empty list"),
        ({"targets": [{"cell": "B4", "formula": "=SUM(B2:"}]}, "target 1: formula =SUM(B2:"),
        ({"targets": [{"cell": "B4"}]}, "target 1 asks for nothing"),
        ({"targets": [{"cell": "B4:B5", "value": 3}]}, "'cell' is one cell"),
        ({"targets": [{"cell": "B4", "number_format": "fancy"}]}, "number_format must be one of"),
        ({"targets": [{"pivot": {"source": "A1:B3", "rows": "Region", "values": "Cost"}, "at": "D1"}]},
         "pivot field 'Cost' is not a header of A1:B3"),
        ({"perturbations": ["shake"]}, "'perturbations' must be a list of"),
        ({"perturbations": [[]]}, "'perturbations' must be a list of"),
        ({"targets": [{"cell": "B4", "number_format": ["currency"]}]}, "number_format must be one of"),
        ({"targets": [{"cell": "B4", "number_format": {"a": 1}}]}, "number_format must be one of"),
        ({"max_steps": 0}, "'max_steps' must be a positive integer"),
        ({"start": "Other!B2"}, "'start' is a cell of the task's sheet 'Sheet1', not 'Other!B2'"),
        ({"version": 2}, "'version' must be 1"),
        ({"instruction": ""}, "'instruction' must be non-empty text"),
        ({"id": {"name": "t"}}, "'id' must be non-empty text"),
        ({"max_steps": 10**12}, "'max_steps' must be at most 100,000"),
        ({"inputs": ["A1:XFD1048576"]}, "inputs: A1:XFD1048576 has more than 100,000 cells"),
        ({"criteria": ["A:A"]}, "criteria: A:A has more than 100,000 cells"),
        ({"may_read": ["A1:XFD1048576"]}, "may_read: A1:XFD1048576 has more than 100,000 cells"),
        ({"targets": [{"range": "C1:C100001", "value": 1}]}, "target 1: C1:C100001 has more than 100,000 cells"),
        ({"targets": [{"range": "B:B", "bold": True}]}, "target 1: B:B has more than 100,000 cells"),
        ({"references": ["C9"]}, "reference 'C9' does not occur in the instruction"),
        ({"references": ["ZZZZZ1"]}, "references: "),
        ({"slots": {"colour": "red"}}, "unknown slot(s) colour"),
        ({"slots": {"value": [1, 2]}}, "slot 'value' must be a number, text or true/false"),
        ({"slots": {"new_sheet": 7}}, "slot 'new_sheet' must be a sheet name"),
        ({"slots": {"new_sheet": "a[b]"}}, "slot 'new_sheet'"),
        ({"slots": {"rate_cell": "B99999999"}}, "slot 'rate_cell'"),
        ({"slots": {"lookup_column": "2"}}, "slot 'lookup_column' must be a positive integer"),
        ({"slots": {"threshold": "high"}}, "slot 'threshold' must be a number"),
        ({"slots": {"pivot": 5}}, "slot 'pivot' must be an object"),
        ({"slots": {"pivot": {"source": "A1:B3", "rows": "A", "values": "B"}}}, "slot 'pivot' must be an object"),
        ({"slots": {"pivot": {"source": "A1:B3", "rows": "A", "values": "B", "aggregation": "median"}}},
         "slot 'pivot'"),
    ],
)
def test_bad_task_files_raise_errors_naming_the_task_and_the_problem(tmp_path, change, message):
    path = _write(tmp_path, {})
    if "version" in change:
        path.write_text(json.dumps(dict(json.loads(path.read_text()), **change)) + "\n")
    else:
        path = _write(tmp_path, change)
    with pytest.raises(TaskFileError) as info:
        load_task_file(path)
    assert message in str(info.value)


def test_files_that_are_not_task_files_are_reported(tmp_path):
    with pytest.raises(TaskFileError, match="cannot read task file"):
        load_task_file(tmp_path / "none.jsonl")
    (tmp_path / "bad.jsonl").write_text("{not json\n")
    with pytest.raises(TaskFileError, match="line 1: not JSON"):
        load_task_file(tmp_path / "bad.jsonl")
    (tmp_path / "doc.json").write_text(json.dumps({"format": "other", "version": 1, "tasks": []}))
    with pytest.raises(TaskFileError, match='"format": "sheetrl-tasks"'):
        load_task_file(tmp_path / "doc.json")
    (tmp_path / "empty.jsonl").write_text("\n")
    with pytest.raises(TaskFileError, match="holds no tasks"):
        load_task_file(tmp_path / "empty.jsonl")
    twice = _write(tmp_path, {})
    twice.write_text(twice.read_text() * 2)
    with pytest.raises(TaskFileError, match="task id 't' is used twice"):
        load_task_file(twice)


def test_a_task_whose_reference_solution_cannot_run_is_reported(tmp_path):
    path = _write(tmp_path, {"targets": [{"pivot": {"source": "A1:B3", "rows": "Region", "values": "Sales"},
                                          "at": "B2"}]})
    with pytest.raises(TaskFileError, match="reference solution does not run"):
        load_task_file(path)


def test_a_file_that_is_not_text_is_reported(tmp_path):
    (tmp_path / "binary.jsonl").write_bytes(b"\xff\xfe\x00{")
    with pytest.raises(TaskFileError, match="is not UTF-8 text"):
        load_task_file(tmp_path / "binary.jsonl")


def test_targets_at_the_edge_of_the_sheet_run_through_the_environment(tmp_path):
    """The sheet area the agent may address used to reach past column XFD and row 1,048,576 (the used range plus a
    margin), and resetting the environment on such a task raised while building the action mask."""
    path = _write(tmp_path, {"instruction": "Type 5 in XFD1048576.", "start": "XFD1048575",
                             "targets": [{"cell": "XFD1048576", "value": 5}]})
    task = load_task_file(path)[0]
    assert task.extent == (1_048_576, 16_384)
    solved, condition, _, _ = solve_with_reference(task)
    assert solved and condition == "ok"


def test_a_new_sheet_with_spaces_and_letters_beyond_ascii_is_added_by_the_reference_solution(tmp_path):
    path = _write(tmp_path, {"instruction": "On a new sheet Résumé 表, type Total in A1.",
                             "targets": [{"cell": "'Résumé 表'!A1", "value": "Total"}]})
    task = load_task_file(path)[0]
    assert task.expert_commands[0] == 'newsheet "Résumé 表"'
    solved, condition, _, _ = solve_with_reference(task)
    assert solved and condition == "ok"
    env = SpreadsheetEnv()
    env.reset(options={"task": task})
    env.step_command(task.expert_commands[0])
    twin = SpreadsheetEnv()
    twin.set_state(env.get_state())
    assert twin.step_command(task.expert_commands[1])[1:4] == env.step_command(task.expert_commands[1])[1:4]


def test_slots_a_task_file_gives_drive_the_macros(tmp_path):
    path = _write(tmp_path, {"instruction": "Type 12 in B4.", "targets": [{"cell": "B4", "value": 12}],
                             "slots": {"value": 12}})
    env = SpreadsheetEnv()
    env.reset(options={"task": load_task_file(path)[0]})
    env.step_command("goto B4")
    _, _, terminated, _, info = env.step(MACRO_INDEX["write_instructed_value"])
    assert terminated and info["is_success"]


def test_a_named_pipe_or_a_device_is_refused_instead_of_read_forever(tmp_path, named_pipe):
    named_pipe(tmp_path / "tasks.jsonl")
    with pytest.raises(TaskFileError, match=r"tasks.jsonl: it is not a regular file \(it is a named pipe\)"):
        load_task_file(tmp_path / "tasks.jsonl")
    with pytest.raises(TaskFileError, match=r"it is not a regular file \(it is a character device\)"):
        load_task_file(os.devnull)


@pytest.mark.parametrize("text", ["[" * 100_000 + "]" * 100_000,
                                  '{"format": "sheetrl-tasks", "version": 1, "tasks": [' + "[" * 100_000 + "]}",
                                  '{"version": 1, "id": "t", "slots": {"pivot": ' + "[" * 900 + "]" * 900 + "}}"],
                         ids=["lines", "document", "field"])
def test_json_nested_too_deeply_is_a_task_file_error(tmp_path, text):
    (tmp_path / "deep.jsonl").write_text(text + "\n")
    with pytest.raises(TaskFileError, match=r"line 1: not JSON \(arrays and objects nested more than 100 levels deep"):
        load_task_file(tmp_path / "deep.jsonl")


def test_a_task_id_with_control_characters_is_escaped_in_errors(tmp_path):
    path = _write(tmp_path, {"id": "two\nlines\x1b[31m", "colour": "red"})
    with pytest.raises(TaskFileError) as info:
        load_task_file(path)
    assert str(info.value).startswith("task two\\nlines\\x1b[31m: unknown field(s) colour")


def test_reads_must_be_ranges(tmp_path):
    path = _write(tmp_path, {"targets": [{"cell": "B4", "formula": "=SUM(B2:B3)", "reads": ["nonsense"]}]})
    with pytest.raises(TaskFileError, match="task t: target 1: reads: 'nonsense' is not a cell address"):
        load_task_file(path)


def test_a_target_that_reads_the_whole_sheet_is_checked_in_time_proportional_to_its_cells(tmp_path):
    """The checker listed every cell of a target's ``reads`` ranges (17 billion for A1:XFD1048576), and the
    validity reward every cell of them as text: checking such a task did not finish in 300 s."""
    wb = Workbook()
    wb.set_range("A1", [[1, 2], [3, None], [5, 6]])
    wb.save(tmp_path / "book.xlsx")
    write_task_file(tmp_path / "tasks.jsonl", [
        {"id": "everything", "workbook": "book.xlsx", "instruction": "Total A1:B3 in D1.",
         "targets": [{"cell": "D1", "formula": "=SUM(A1:B3)", "reads": ["A1:XFD1048576"]}],
         "perturbations": ["rescale", "fill_gap"]},
        {"id": "column", "workbook": "book.xlsx", "instruction": "Total column A in D2.",
         "targets": [{"cell": "D2", "formula": "=SUM(A1:A3)", "reads": ["A1:A1048576"]}],
         "perturbations": ["fill_gap"]},
        {"id": "too-little", "workbook": "book.xlsx", "instruction": "Total A1:A3 in D3.",
         "targets": [{"cell": "D3", "formula": "=SUM(A1:A3)", "reads": ["A1:XFD1048576"]}]},
    ])
    def too_slow(signum, frame):
        raise TimeoutError("checking the tasks took more than 60 s")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(60)
    try:
        results = {task.template: solve_with_reference(task)[:2]
                   for task in load_task_file(tmp_path / "tasks.jsonl")}
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert results == {"everything": (True, "ok"), "column": (True, "ok"), "too-little": (False, "reads")}


def test_a_formula_over_computed_inputs_must_read_them_and_not_be_a_constant(tmp_path):
    """Inputs that are formulas in the user's workbook (=60+40) have no literal cells beneath them: the default
    reads were empty and the target was not checked for what it reads, so the answer typed as a constant passed;
    and reads given over such cells could never be met, not even by the reference."""
    wb = Workbook()
    wb.set_range("A1", [["Item", "Amount"]])
    for row, formula in enumerate(("=60+40", "=2*100", "=300"), start=2):
        wb.set(f"B{row}", formula)
    wb.save(tmp_path / "book.xlsx")
    write_task_file(tmp_path / "tasks.jsonl", [
        {"id": "default", "workbook": "book.xlsx", "instruction": "Total B2:B4 in B5.",
         "targets": [{"cell": "B5", "formula": "=SUM(B2:B4)"}]},
        {"id": "given", "workbook": "book.xlsx", "instruction": "Total B2:B4 in B5.",
         "targets": [{"cell": "B5", "formula": "=SUM(B2:B4)", "reads": ["B2:B4"]}]},
    ])
    for task in load_task_file(tmp_path / "tasks.jsonl"):
        assert solve_with_reference(task)[:2] == (True, "ok"), task.template
        for answer, solved in (("=SUM(B2:B4)", True), ("=B2+B3+B4", True), ("=600", False), ("=SUM(B2:B3)+300", False)):
            env = SpreadsheetEnv()
            env.reset(options={"task": task})
            _, _, _, _, info = env.step_command(f"formula B5 {answer}")
            assert info["is_success"] is solved, (task.template, answer, info["check"])
            if not solved:
                assert info["check"] == "reads"


@pytest.mark.parametrize(
    ("formula", "message"),
    [("=B4+1", "the reference formula =B4\\+1 evaluates to #CYCLE! \\(a circular reference\\)"),
     ("=SUMM(B2:B3)", "the reference formula =SUMM\\(B2:B3\\) evaluates to #NAME\\? "
                      "\\(an unknown function or name\\)")],
)
def test_a_reference_formula_that_is_its_own_error_is_refused(tmp_path, formula, message):
    """A circular or misspelt reference formula made the expected value #CYCLE! or #NAME?, and the task loaded:
    any circular formula, or any misspelt function over the same cells, then passed the checker."""
    path = _write(tmp_path, {"targets": [{"cell": "B4", "formula": formula}]})
    with pytest.raises(TaskFileError, match=f"task t: target B4: {message}"):
        load_task_file(path)
