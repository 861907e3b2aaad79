"""Macros appended after the first 60 (a second rate cell, ratios to the start of a block, reversed difference,
selecting named ranges; in v1 adding the instructed sheet and typing the instructed header), and jumps."""

from __future__ import annotations

from typing import Any

import pytest

from sheetrl.env.actions import MACRO_INDEX, MACROS, N_ACTIONS, Context
from sheetrl.env.commands import Command
from sheetrl.env.state import SheetState
from sheetrl.env.tasks import Task
from sheetrl.sheet import Workbook

APPENDED = ("above_times_second_rate_cell", "above_ratio_to_top", "left_ratio_to_first", "left_reverse_difference")


def state_with(cells: dict[str, Any], cursor: str) -> SheetState:
    wb = Workbook()
    for address, value in cells.items():
        wb.set(address, value)
    return SheetState(wb, cursor)


def resolve(name: str, state: SheetState, slots: dict[str, Any] | None = None, extent: tuple[int, int] = (24, 12)
            ) -> Command | None:
    task = Task("test", 1, "test", 0, state.workbook, "", [], [], slots=slots or {}, extent=extent)
    return MACROS[MACRO_INDEX[name]].resolve(Context(state, task))


def apply(name: str, state: SheetState, slots: dict[str, Any] | None = None) -> Command:
    command = resolve(name, state, slots)
    assert command is not None, f"{name} is masked at {state.cursor_text}"
    state.apply(command)
    return command


def test_appended_macros_come_after_the_original_sixty_and_fit_the_budget():
    assert [MACRO_INDEX[name] for name in APPENDED] == list(range(60, 64))
    assert [MACRO_INDEX[f"select_reference_{k}"] for k in (1, 2, 3)] == [64, 65, 66]
    assert MACRO_INDEX["done"] == 59
    assert [MACRO_INDEX[name] for name in ("new_sheet_instructed", "write_instructed_header")] == [67, 68]
    assert N_ACTIONS == 69


def test_above_times_second_rate_cell_multiplies_the_cell_above_by_the_absolute_second_rate():
    state = state_with({"B2": 1000, "E1": 0.6, "E2": 0.1}, "B3")
    command = apply("above_times_second_rate_cell", state, {"rate_cell": "E2", "rate_cell_2": "E1"})
    assert str(command) == "formula B3 =B2*$E$1"
    assert state.workbook.value("B3") == pytest.approx(600)
    state.workbook.fill("B3", "C3")  # the rate stays put when filled right
    assert state.workbook.formula("C3") == "=C2*$E$1"


def test_above_times_second_rate_cell_is_masked_without_slot_number_or_room():
    state = state_with({"B2": 1000, "E1": 0.6, "C2": "text"}, "B3")
    assert resolve("above_times_second_rate_cell", state, {"rate_cell": "E1"}) is None
    state.cursor = (2, 2)  # C3 under text
    assert resolve("above_times_second_rate_cell", state, {"rate_cell_2": "E1"}) is None
    state.cursor = (0, 1)  # B1, top row
    assert resolve("above_times_second_rate_cell", state, {"rate_cell_2": "E1"}) is None
    on_rate = state_with({"E1": 100, "E2": 0.6}, "E2")  # would refer to itself
    assert resolve("above_times_second_rate_cell", on_rate, {"rate_cell_2": "E2"}) is None


def test_left_times_rate_cell_keeps_its_meaning():
    state = state_with({"B2": 50, "E1": 0.2}, "C2")
    assert str(resolve("left_times_rate_cell", state, {"rate_cell": "E1"})) == "formula C2 =B2*$E$1"
    assert str(resolve("left_grown_by_rate_cell", state, {"rate_cell": "E1"})) == "formula C2 =B2*(1+$E$1)"


def test_above_ratio_to_top_divides_the_nearest_number_by_the_top_of_the_block():
    state = state_with({"B1": "Year 1", "B2": 1000, "B3": 600, "B4": 400}, "B5")
    command = apply("above_ratio_to_top", state)
    assert str(command) == "formula B5 =B4/B2"
    assert state.workbook.value("B5") == pytest.approx(0.4)


def test_above_ratio_to_top_needs_two_numbers_above():
    assert resolve("above_ratio_to_top", state_with({"B1": "Sales", "B2": 5}, "B3")) is None
    assert resolve("above_ratio_to_top", state_with({"B1": "Sales"}, "B2")) is None
    assert resolve("above_ratio_to_top", state_with({}, "A1")) is None


def test_left_ratio_to_first_divides_the_nearest_number_by_the_first_of_the_row_block():
    state = state_with({"A2": "Rent", "B2": 2000, "C2": 2300, "D2": "=C2-B2"}, "E2")
    command = apply("left_ratio_to_first", state)
    assert str(command) == "formula E2 =D2/B2"
    assert state.workbook.value("E2") == pytest.approx(0.15)


def test_left_ratio_to_first_needs_two_numbers_left():
    assert resolve("left_ratio_to_first", state_with({"A2": "Rent", "B2": 2000}, "C2")) is None
    assert resolve("left_ratio_to_first", state_with({}, "C2")) is None


def test_left_reverse_difference_subtracts_the_nearer_from_the_farther():
    state = state_with({"D3": 800, "E3": 160}, "F3")
    command = apply("left_reverse_difference", state)
    assert str(command) == "formula F3 =D3-E3"
    assert state.workbook.value("F3") == 640
    assert str(resolve("left_difference", state_with({"D3": 800, "E3": 160}, "F3"))) == "formula F3 =E3-D3"


def test_left_reverse_difference_is_masked_without_two_numbers():
    assert resolve("left_reverse_difference", state_with({"D3": "Gross", "E3": 160}, "F3")) is None
    assert resolve("left_reverse_difference", state_with({"E3": 160}, "F3")) is None
    assert resolve("left_reverse_difference", state_with({"A3": 1}, "A3")) is None


def test_select_reference_selects_the_range_the_instruction_names():
    from sheetrl.env.spreadsheet_env import SpreadsheetEnv

    env = SpreadsheetEnv(level=2)
    for seed in range(100):
        _obs, _ = env.reset(options={"task_seed": seed})
        if env.task.template == "selected_range_aggregate":
            break
    references = env.task.references
    index = next(i for i, ref in enumerate(references) if (ref.row1, ref.col1) != (ref.row2, ref.col2))
    _, _, _, _, info = env.step(MACRO_INDEX[f"select_reference_{index + 1}"])
    assert env.state.selection == references[index][:4]
    # selecting it again would change nothing, so it is masked
    assert not env.action_masks()[MACRO_INDEX[f"select_reference_{index + 1}"]]
    # then the aggregate goes in the target from outside the range: a three-step solution
    aggregate = next(a for a in env.task.expert_actions
                     if a.endswith("_selection") and a not in ("anchor_selection", "clear_selection"))
    env.step(MACRO_INDEX["next_target"])
    _, _, terminated, _, info = env.step(MACRO_INDEX[aggregate])
    assert terminated and info["is_success"]


def test_jumps_reach_the_edge_of_the_task_sheet_not_of_the_window():
    state = state_with({"B3": 1, "B4": 2, "B5": 3, "B90": 7}, "B1")
    assert str(resolve("jump_down", state, extent=(200, 40))) == "goto B3"
    state.cursor = (2, 1)
    assert str(resolve("jump_down", state, extent=(200, 40))) == "goto B5"
    state.cursor = (4, 1)
    assert str(resolve("jump_down", state, extent=(200, 40))) == "goto B90"
    state.cursor = (89, 1)
    assert str(resolve("jump_down", state, extent=(200, 40))) == "goto B200"
    assert resolve("jump_down", state, extent=(90, 40)) is None  # already on the last row of the area
    assert str(resolve("jump_right", state, extent=(200, 40))) == "goto AN90"
    assert str(resolve("move_right", state, extent=(200, 12))) == "goto C90"


def test_new_sheet_and_header_macros_type_what_the_instruction_gives():
    state = state_with({"A1": "Item"}, "B1")
    assert resolve("new_sheet_instructed", state) is None
    assert str(resolve("new_sheet_instructed", state, {"new_sheet": "Summary"})) == "newsheet Summary"
    state.workbook.add_sheet("Summary")
    assert resolve("new_sheet_instructed", state, {"new_sheet": "summary"}) is None  # it exists
    assert str(resolve("write_instructed_header", state, {"header": "Line total"})) == 'value B1 "Line total"'
    assert resolve("write_instructed_header", state, {"value": 3}) is None


# ------------------------------------------------------------------------------------- legality predicates
@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_a_legality_predicate_agrees_with_resolving_in_every_visited_state(level):
    """The mask asks predicates where macros have them and resolves the command only for the action taken: both
    must give the mask and the commands that resolving every macro gives, at the sheet area's edges too."""
    import numpy as np

    from sheetrl.env.spreadsheet_env import SpreadsheetEnv

    env = SpreadsheetEnv(level=level, observation_keys=("action_mask",))
    obs, _ = env.reset(seed=level)
    rng = np.random.default_rng(level)
    jumps_and_moves = [macro for macro in MACROS if macro.name.startswith(("jump", "move"))]
    edges = 0
    for _ in range(150):
        assert env.state is not None and env.task is not None
        ctx = Context(env.state, env.task)
        for macro in MACROS:
            assert macro.legal(ctx) == (macro.resolve(ctx) is not None), macro.name
        resolved = [macro.resolve(Context(env.state, env.task)) for macro in MACROS]
        assert obs["action_mask"].tolist() == [int(c is not None) for c in resolved]
        assert [env.action_to_command(i) for i in range(N_ACTIONS)] == resolved
        edges += not all(macro.legal(ctx) for macro in jumps_and_moves)
        legal = np.flatnonzero(obs["action_mask"])
        jumps = [i for i in legal if MACROS[i].name.startswith("jump")]  # jumps often, to reach the edges
        action = int(rng.choice(jumps)) if jumps and rng.random() < 0.4 else int(rng.choice(legal))
        obs, _, terminated, _, _ = env.step(action)
        if terminated:
            obs, _ = env.reset()
    assert edges > 0  # some visited states had a jump off the sheet area masked out
