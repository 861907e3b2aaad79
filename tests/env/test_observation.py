"""The flat observation's parts: operation words without collisions, instruction references, the layout map."""

from __future__ import annotations

import numpy as np

from sheetrl.env.observation import FLAT_LAYOUT, FLAT_SIZE, OPERATION_WORDS
from sheetrl.env.tasks.base import instruction_references
from sheetrl.env.spreadsheet_env import SpreadsheetEnv
from sheetrl.sheet.address import parse_cell


def _words(obs) -> set[str]:
    part = obs["flat"][FLAT_LAYOUT["words"]]
    return {OPERATION_WORDS[i] for i in np.flatnonzero(part)}


def test_operation_words_have_one_slot_each():
    assert len(set(OPERATION_WORDS)) == len(OPERATION_WORDS)
    env = SpreadsheetEnv(level=2)
    seen: dict[frozenset, set[str]] = {}
    for seed in range(60):
        obs, _ = env.reset(options={"task_seed": seed})
        words = frozenset(_words(obs))
        seen.setdefault(words, set()).add(env.task.instruction)
        for word in words:
            assert word in env.task.instruction.lower()
    # "total" and "largest" (which shared a hash bucket once) are told apart
    total = [w for w in seen if "total" in w]
    largest = [w for w in seen if "largest" in w]
    assert total and largest and all("largest" not in w for w in total)


def test_instruction_references_parse_cells_and_ranges():
    assert instruction_references("In I4, enter the count of E5:F5 (keep $C$2:$C$9 absolute).") == [
        (3, 8, 3, 8), (4, 4, 4, 5), (1, 2, 8, 2)]
    assert instruction_references("Units 2025 minus Units 2024, as a fraction") == []


def test_flat_shows_the_instruction_range_relative_to_the_cursor():
    env = SpreadsheetEnv(level=2)
    for seed in range(40):
        obs, _ = env.reset(options={"task_seed": seed})
        if env.task.template == "selected_range_aggregate":
            break
    refs = instruction_references(env.task.instruction)
    part = obs["flat"][FLAT_LAYOUT["references"]]
    cursor = parse_cell(env.task.start)
    rows, cols = env.config.grid_rows, env.config.grid_cols
    for i, (r1, c1, r2, c2) in enumerate(refs[:3]):
        present, d_r1, d_c1, d_r2, d_c2 = part[5 * i : 5 * i + 5]
        assert present == 1.0
        assert round(d_r1 * rows) == r1 - cursor.row and round(d_c1 * cols) == c1 - cursor.col
        assert round(d_r2 * rows) == r2 - cursor.row and round(d_c2 * cols) == c2 - cursor.col


def test_flat_layout_places_the_mask_and_level():
    env = SpreadsheetEnv(level=3)
    obs, _ = env.reset(seed=0)
    flat = obs["flat"]
    assert flat.shape == (FLAT_SIZE,)
    np.testing.assert_array_equal(flat[FLAT_LAYOUT["mask"]], obs["action_mask"])
    assert flat[FLAT_LAYOUT["level"]].tolist() == [0.0, 0.0, 1.0, 0.0, 0.0]
    assert not flat[FLAT_LAYOUT["mask"].stop :].any()


def test_a_reference_far_outside_the_grid_stays_bounded_and_cannot_be_selected():
    from dataclasses import replace

    from sheetrl.env.actions import MACRO_INDEX
    from sheetrl.env.tasks import make_task

    task = replace(make_task(2, 0), instruction="Add up ZZ9000 and put it in B2:C3.")
    env = SpreadsheetEnv(level=2)
    obs, _ = env.reset(options={"task": task})
    part = obs["flat"][FLAT_LAYOUT["references"]]
    assert part[0] == 1.0 and np.all(np.abs(part) <= 2.0)
    assert not obs["action_mask"][MACRO_INDEX["select_reference_1"]]  # outside the observed grid
    assert obs["action_mask"][MACRO_INDEX["select_reference_2"]]


def test_channels_are_named_once_and_the_flat_window_index_follows_the_layout():
    from sheetrl.env.observation import CHANNELS, WINDOW, WINDOW_CHANNELS, Channel, flat_window_index

    assert [c.value for c in Channel] == list(range(CHANNELS))
    env = SpreadsheetEnv(level=1)
    obs, _ = env.reset(options={"task_seed": 1})
    row, col = env.state.cursor
    for channel in WINDOW_CHANNELS:
        assert obs["flat"][flat_window_index(channel)] == obs["grid"][channel, row, col]
    assert flat_window_index(Channel.NUMBER, 1, 1) == flat_window_index(Channel.NUMBER) + WINDOW + 1
