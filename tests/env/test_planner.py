"""The any-state expert: it solves tasks from their start, after detours, after spoiled and undone edits, and it
says when only a command (no macro) can repair the damage."""

from __future__ import annotations

import random

import pytest

from sheetrl.env.actions import MACRO_INDEX, MACROS
from sheetrl.env.planner import expert_action, expert_command, expert_plan, pending_edit
from sheetrl.env.spreadsheet_env import SpreadsheetEnv
from sheetrl.env.tasks import LEVELS, make_task, split_seed

NON_EDITING = ("move_up", "move_down", "move_left", "move_right", "jump_up", "jump_down", "jump_left", "jump_right",
               "next_target", "anchor_selection", "clear_selection", "select_reference_1", "select_reference_2")


def finish_with_expert(env: SpreadsheetEnv, limit: int = 200) -> dict:
    """Step the planner's actions until the episode ends; returns the last info."""
    info: dict = {}
    for _ in range(limit):
        action = expert_action(env)
        assert action is not None, f"the planner gave up in a recoverable state: {expert_command(env)}"
        assert env.action_masks()[action], f"the planner chose the masked action {MACROS[action].name}"
        _, _, terminated, _, info = env.step(action)
        if terminated:
            return info
    raise AssertionError("the planner did not finish within the limit")


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize("split", ["train", "ood"])
def test_planner_solves_tasks_from_their_start(level: int, split: str) -> None:
    env = SpreadsheetEnv(level=level)
    for index in range(3):
        env.reset(options={"level": level, "task_seed": split_seed(split, index)})
        info = finish_with_expert(env)
        assert info["is_success"], (level, split, index, info["check"])


@pytest.mark.parametrize("level", LEVELS)
def test_planner_solves_tasks_after_random_navigation_detours(level: int) -> None:
    env = SpreadsheetEnv(level=level)
    rng = random.Random(level)
    for index in range(3):
        task = make_task(level, split_seed("iid", index))
        task.max_steps += 10
        env.reset(options={"task": task})
        for _ in range(rng.randint(0, len(expert_plan(task)))):  # part of the way with the planner ...
            _, _, terminated, _, _ = env.step(expert_action(env))
            assert not terminated
        for _ in range(8):  # ... then wander off
            legal = [MACRO_INDEX[name] for name in NON_EDITING if env.action_masks()[MACRO_INDEX[name]]]
            env.step(rng.choice(legal))
        assert finish_with_expert(env)["is_success"]


def test_planner_clears_a_value_typed_into_an_empty_cell_before_solving() -> None:
    env = SpreadsheetEnv(level=3)
    env.reset(options={"level": 3, "task_seed": 5})
    assert env.task is not None and env.state is not None
    row = env.task.extent[0] - 1  # the last row of the sheet area is empty in generated layouts
    stray = f"A{row + 1}"
    assert env.state.workbook.value(env.state.address(stray)) is None
    env.step_command(f"value {stray} 99")
    assert expert_command(env) != "done"
    info = finish_with_expert(env, limit=400)
    assert info["is_success"]
    assert env.state.workbook.value(env.state.address(stray)) is None


def test_planner_redoes_an_edit_the_agent_spoiled() -> None:
    env = SpreadsheetEnv(level=2)
    env.reset(options={"level": 2, "task_seed": 3})
    assert env.task is not None and env.state is not None
    first = expert_plan(env.task)[0]
    assert first.command.startswith("formula ")
    target = first.command.split()[1]
    env.step_command(f"value {target} 0")  # a typed number where the formula belongs
    assert pending_edit(env.task, env.state.workbook) == first
    assert finish_with_expert(env)["is_success"]


def test_planner_fills_through_a_selection_when_the_experts_fill_would_now_run_too_far() -> None:
    """A grade book whose Pass/Fail column runs into the class-average row: when the agent fills that column first,
    ``fill_right`` from the first class average would overwrite the Pass/Fail cell, so the planner selects the row's
    cells and uses ``fill_selection``."""
    task = next(t for t in (make_task(5, split_seed("train", i)) for i in range(400))
                if t.template == "grade_book" and "for the class" in t.instruction)
    plan = expert_plan(task)
    assert [edit.macro for edit in plan][-3:] == ["fill_right", "if_threshold_left", "fill_down"]
    env = SpreadsheetEnv(level=5)
    env.reset(options={"task": task})
    for edit in plan[:-3] + plan[-2:]:  # every edit but the class row's fill; the Pass/Fail column comes first
        env.step_command(edit.command)
    assert not env.action_masks()[MACRO_INDEX["fill_right"]] or \
        str(plan[-3].command) != expert_command(env)  # fill_right would now reach the Pass/Fail cell
    taken = []
    for _ in range(40):
        action = expert_action(env)
        assert action is not None, f"the planner gave up in a recoverable state: {expert_command(env)}"
        taken.append(MACROS[action].name)
        _, _, terminated, _, info = env.step(action)
        if terminated:
            break
    assert info["is_success"], (taken, info["check"])
    assert "fill_selection" in taken and "fill_right" not in taken, taken


def test_planner_gives_the_restoring_command_when_no_macro_can_undo_the_damage() -> None:
    env = SpreadsheetEnv(level=2)
    env.reset(options={"level": 2, "task_seed": 3})
    assert env.task is not None and env.state is not None
    wb = env.state.workbook
    data = next(address for address, value in wb.cells(env.state.sheet)
                if isinstance(value, float) and address.split("!")[-1] not in env.task.target_cells)
    local = data.split("!")[-1]
    original = wb.value(data)
    env.step_command(f"value {local} 123456")
    assert expert_action(env) is None
    command = expert_command(env)
    assert command is not None and command.startswith(f"value {local} ")
    env.step_command(command)
    assert wb.value(data) == original
    assert finish_with_expert(env)["is_success"]


def test_every_planned_edit_of_a_generated_task_names_a_macro() -> None:
    for level in LEVELS:
        for edit in expert_plan(make_task(level, 11)):
            assert edit.macro in MACRO_INDEX
            assert edit.owned or edit.command.startswith("newsheet ")
