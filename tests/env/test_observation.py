"""Observations: operation words without collisions, instruction references, the flat layout map, channels by
name, and the window that follows the cursor over sheets larger than it."""

from __future__ import annotations

import numpy as np
import pytest

from sheetrl.env.observation import FLAT_LAYOUT, FLAT_SIZE, OPERATION_WORDS
from sheetrl.env.spreadsheet_env import SpreadsheetEnv
from sheetrl.env.tasks.base import instruction_references
from sheetrl.sheet.address import cell_name, parse_cell
from sheetrl.sheet.formats import NUMBER_FORMAT_PRESETS


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
    assert [r[:4] for r in instruction_references("In I4, enter the count of E5:F5 (keep $C$2:$C$9 absolute).")] == [
        (3, 8, 3, 8), (4, 4, 4, 5), (1, 2, 8, 2)]
    assert instruction_references("Units 2025 minus Units 2024, as a fraction") == []
    assert [r.sheet for r in instruction_references("Sum Data!B2:B9 and 'Q1 data'!C3 into D4")] == [
        "Data", "Q1 data", None]


def test_quarter_headers_that_look_like_cells_are_not_references():
    """The review: an instruction mentioning "Q1" (a header) must not be read as the cell Q1."""
    from sheetrl.env.tasks import Task
    from sheetrl.sheet import Workbook

    wb = Workbook()
    wb.set_range("A1", [["Region", "Q1", "Q2"], ["East", 5, 7]])
    task = Task("test", 2, "test", 0, wb, "In B3, total the Q1 column, B2:B2.", [], [])
    assert [r.text for r in task.references] == ["B3", "B2"]
    named = Task("test", 2, "test", 0, wb, "In B3, total the Q1 column, B2:B2.", [], [], named=["B2:B2"])
    assert [r.text for r in named.references] == ["B2"]


def test_flat_shows_the_instruction_range_relative_to_the_cursor():
    env = SpreadsheetEnv(level=2)
    for seed in range(40):
        obs, _ = env.reset(options={"task_seed": seed})
        if env.task.template == "selected_range_aggregate":
            break
    refs = env.task.references
    part = obs["flat"][FLAT_LAYOUT["references"]]
    cursor = parse_cell(env.task.start)
    rows, cols = env.config.grid_rows, env.config.grid_cols

    def clipped(x: float) -> float:
        return min(2.0, max(-2.0, x))

    for i, ref in enumerate(refs[:3]):
        present, d_r1, _d_c1, _d_r2, d_c2 = part[5 * i : 5 * i + 5]
        assert present == 1.0
        assert d_r1 == pytest.approx(clipped((ref.row1 - cursor.row) / rows))
        assert d_c2 == pytest.approx(clipped((ref.col2 - cursor.col) / cols))


def test_flat_layout_places_the_mask_and_level():
    env = SpreadsheetEnv(level=3)
    obs, _ = env.reset(seed=0)
    flat = obs["flat"]
    assert flat.shape == (FLAT_SIZE,)
    np.testing.assert_array_equal(flat[FLAT_LAYOUT["mask"]], obs["action_mask"])
    assert flat[FLAT_LAYOUT["level"]].tolist() == [0.0, 0.0, 1.0, 0.0, 0.0]
    assert not flat[FLAT_LAYOUT["number_format"].stop :].any()
    assert not flat[FLAT_LAYOUT["formula"]].any()  # the cursor starts on an empty cell
    assert flat[FLAT_LAYOUT["number_format"]].tolist() == [1.0] + [0.0] * (len(NUMBER_FORMAT_PRESETS))


def _env_at_its_cursor():
    """A level-2 environment after reset, its workbook, the cursor's (row, col) and the sheet's name."""
    env = SpreadsheetEnv(level=2)
    env.reset(seed=0)
    assert env.state is not None
    return env, env.state.workbook, env.state.cursor, env.state.workbook.sheet_names[0]


def test_flat_shows_what_the_cursor_formula_reads_and_its_number_format():
    from sheetrl.env.actions import MACRO_INDEX

    env, wb, (row, col), _ = _env_at_its_cursor()
    here = f"{wb.sheet_names[0]}!{cell_name(row, col)}"
    wb.set(f"{wb.sheet_names[0]}!{cell_name(row + 3, col + 1)}", 2.0)
    wb.set(here, f"=SUM({cell_name(row + 1, col)}:{cell_name(row + 3, col + 1)})")
    wb.set_format(here, number_format=NUMBER_FORMAT_PRESETS["percent"])
    obs, *_ = env.step(MACRO_INDEX["move_right"])
    obs, *_ = env.step(MACRO_INDEX["move_left"])
    formula = obs["flat"][FLAT_LAYOUT["formula"]]
    window = 7
    assert formula.tolist() == pytest.approx([1.0, 1 / window, 0.0, 3 / window, 1 / window, np.log1p(6) / 5, 1.0])
    formats = obs["flat"][FLAT_LAYOUT["number_format"]]
    assert formats.argmax() == list(NUMBER_FORMAT_PRESETS).index("percent") and formats.sum() == 1.0
    wb.set(here, f"={cell_name(row, col + 1)}*2")
    obs, *_ = env.step(MACRO_INDEX["move_right"])
    obs, *_ = env.step(MACRO_INDEX["move_left"])
    assert obs["flat"][FLAT_LAYOUT["formula"]].tolist() == pytest.approx(
        [1.0, 0.0, 1 / window, 0.0, 1 / window, np.log1p(1) / 5, 0.0])


def test_flat_shows_what_a_formula_reads_through_a_range_too_large_to_expand_or_inside_brackets():
    """A whole column (``=SUM(B:B)``) or a range past the engine's expansion limit is still what the formula reads:
    its corners and a saturated count, not the "reads nothing" of ``=1+2``; ``=(SUM(...))`` is a function call as
    ``=SUM(...)`` is."""
    from sheetrl.env.actions import MACRO_INDEX

    env, wb, (row, col), sheet = _env_at_its_cursor()
    here = f"{sheet}!{cell_name(row, col)}"
    column = cell_name(0, col + 1).rstrip("0123456789")
    window = 7

    def formula_part() -> list[float]:
        env.step(MACRO_INDEX["move_right"])
        obs, *_ = env.step(MACRO_INDEX["move_left"])
        return obs["flat"][FLAT_LAYOUT["formula"]].tolist()

    wb.set(here, f"=SUM({column}:{column})")
    assert formula_part() == pytest.approx([1.0, max(-2.0, -row / window), 1 / window, 2.0, 1 / window, 1.0, 1.0])
    wb.set(here, f"=SUM({column}{row + 2}:{column}{row + 5001})")
    assert formula_part() == pytest.approx([1.0, 1 / window, 1 / window, 2.0, 1 / window, 1.0, 1.0])
    wb.set(here, f"=SUM({column}{row + 2}:{column}{row + 4})+{column}{row + 3}")  # small ranges: counted exactly
    assert formula_part() == pytest.approx([1.0, 1 / window, 1 / window, 3 / window, 1 / window, np.log1p(3) / 5,
                                            0.0])
    wb.set(here, f"=(SUM({column}{row + 2}:{column}{row + 4}))")  # brackets only group: still a function call
    assert formula_part() == pytest.approx([1.0, 1 / window, 1 / window, 3 / window, 1 / window, np.log1p(3) / 5,
                                            1.0])


def test_a_reference_far_outside_the_grid_stays_bounded_and_cannot_be_selected():
    from dataclasses import replace

    from sheetrl.env.actions import MACRO_INDEX
    from sheetrl.env.tasks import make_task

    task = replace(make_task(2, 0), instruction="Add up ZZ9000 and put it in B2:C3.", named=None)
    env = SpreadsheetEnv(level=2)
    obs, _ = env.reset(options={"task": task})
    part = obs["flat"][FLAT_LAYOUT["references"]]
    assert part[0] == 1.0 and np.all(np.abs(part) <= 2.0)
    assert not obs["action_mask"][MACRO_INDEX["select_reference_1"]]  # outside the task's sheet area
    assert obs["action_mask"][MACRO_INDEX["select_reference_2"]]


def test_the_flat_view_of_a_whole_sheet_task_stays_inside_the_observation_space():
    """A task file's sheet area reaches 1,048,576 rows and 16,384 columns when its workbook uses them: flat held
    rows / 1000 = 1048.576 and cols / 100 = 163.84, outside the Box(-5, 5) the space declares."""
    from dataclasses import replace

    from sheetrl.env.tasks import make_task

    task = replace(make_task(1, 0), extent=(1_048_576, 16_384))
    env = SpreadsheetEnv(level=1)
    obs, _ = env.reset(options={"task": task})
    assert env.observation_space.contains(obs)
    view = obs["flat"][FLAT_LAYOUT["view"]]
    assert view[2] == view[3] == 5.0
    obs, _ = env.reset(options={"task": replace(task, extent=(240, 30))})  # a generated sheet's size: unchanged
    view = obs["flat"][FLAT_LAYOUT["view"]]
    assert (view[2], view[3]) == (np.float32(0.24), np.float32(0.3))


def test_channels_are_named_once_and_the_flat_window_index_follows_the_layout():
    from sheetrl.env.observation import (
        CHANNELS,
        WINDOW,
        WINDOW_CHANNELS,
        Channel,
        flat_window_index,
    )

    assert [c.value for c in Channel] == list(range(CHANNELS))
    env = SpreadsheetEnv(level=1)
    obs, _ = env.reset(options={"task_seed": 1})
    row, col = env.state.cursor
    for channel in WINDOW_CHANNELS:
        assert obs["flat"][flat_window_index(channel)] == obs["grid"][channel, row, col]
    assert flat_window_index(Channel.NUMBER, 1, 1) == flat_window_index(Channel.NUMBER) + WINDOW + 1


def test_the_window_follows_the_cursor_over_a_larger_sheet():
    from sheetrl.env.actions import MACRO_INDEX
    from sheetrl.env.observation import Channel, scroll

    env = SpreadsheetEnv(level=2)
    for seed in range(60):
        obs, _ = env.reset(options={"task_seed": seed})
        target = env.task.references[-1]
        if target.row1 > 40:
            break
    assert obs["grid"][Channel.CURSOR, 0, 0] == 1.0 and env._builder.origin == (0, 0)
    obs, *_ = env.step(MACRO_INDEX["next_target"])  # a jump far below: the window centres on the cursor
    top, left = env._builder.origin
    row, col = env.state.cursor
    assert top <= row < top + env.config.grid_rows and left <= col < left + env.config.grid_cols
    assert obs["grid"][Channel.CURSOR, row - top, col - left] == 1.0
    assert obs["grid"][Channel.TARGET, row - top, col - left] == 1.0
    # the window scrolls as little as keeps the cursor three cells from its edges
    assert scroll(0, 20, 24, 200) == 0 and scroll(0, 21, 24, 200) == 1 and scroll(10, 12, 24, 200) == 9
    assert scroll(0, 150, 24, 200) == 138 and scroll(0, 199, 24, 200) == 176


def test_changed_cells_outside_the_targets_are_marked_in_the_grid():
    from sheetrl.env.observation import Channel

    env = SpreadsheetEnv(level=1)
    env.reset(options={"task_seed": 1})
    label = next(address for address, value in env.task.workbook.cells() if isinstance(value, str))
    env.step_command(f"goto {label}")
    obs, *_ = env.step_command(f"clear {label}")
    top, left = env._builder.origin
    cell = parse_cell(label)
    assert obs["grid"][Channel.CHANGED, cell.row - top, cell.col - left] == 1.0
    assert obs["grid"][Channel.CHANGED].sum() == 1.0


def test_scrolling_and_editing_keep_the_window_equal_to_a_full_redraw():
    env = SpreadsheetEnv(level=3)
    obs, _ = env.reset(seed=11)
    rng = np.random.default_rng(11)
    for step in range(400):
        obs, _, terminated, _, _ = env.step(int(rng.choice(np.flatnonzero(obs["action_mask"]))))
        if terminated:
            obs, _ = env.reset()
        if step % 25 == 24:
            builder = env._builder
            grid, tokens, edges = builder.grid.copy(), builder.cell_tokens.copy(), builder.edges.copy()
            builder._redraw(env.state.workbook)
            builder.set_cursor(env.state.cursor, env.state.selection)
            np.testing.assert_array_equal(grid, builder.grid)
            np.testing.assert_array_equal(tokens, builder.cell_tokens)
            np.testing.assert_array_equal(edges, builder.edges)


# ------------------------------------------------------------------------------------------- observation_keys
def test_observation_keys_keep_only_those_keys_with_the_same_values_as_the_full_observation():
    import gymnasium as gym

    from sheetrl.env.spreadsheet_env import OBSERVATION_KEYS

    full = SpreadsheetEnv(level=3)
    lean = gym.make("sheetrl/MultiCellFormula-v1", observation_keys=("flat", "action_mask"))
    assert set(lean.observation_space.spaces) == {"flat", "action_mask"}
    assert set(full.observation_space.spaces) == set(OBSERVATION_KEYS)
    obs_full, _ = full.reset(seed=4)
    obs_lean, _ = lean.reset(seed=4)
    rng = np.random.default_rng(0)
    for _ in range(40):  # edits, scrolls and resets: the flat vector never depends on what was skipped
        assert obs_lean.keys() == {"flat", "action_mask"}
        for key in obs_lean:
            np.testing.assert_array_equal(obs_lean[key], obs_full[key], err_msg=key)
        action = int(rng.choice(np.flatnonzero(obs_full["action_mask"])))
        obs_full, reward_full, terminated, _, _ = full.step(action)
        obs_lean, reward_lean, _, _, _ = lean.step(action)
        assert reward_lean == reward_full
        if terminated:
            obs_full, _ = full.reset()
            obs_lean, _ = lean.reset()


def test_observation_keys_are_checked():
    from sheetrl.env.spreadsheet_env import EnvConfig

    with pytest.raises(ValueError, match="observation_keys"):
        EnvConfig(observation_keys=("flat", "pixels"))
    with pytest.raises(ValueError, match="observation_keys"):
        EnvConfig(observation_keys=())
    with pytest.raises(TypeError, match="observation_keys"):
        EnvConfig(observation_keys="flat")  # type: ignore[arg-type]
    assert EnvConfig(observation_keys=["flat"]).observation_keys == ("flat",)  # type: ignore[arg-type]


def test_the_words_that_name_a_format_in_training_phrasings_are_in_the_bag():
    """Every currency and percent phrasing of level 3's training part names its format with a word of the bag
    ("Display B2:B9 as money." had none before "money" joined it)."""
    from sheetrl.env.tasks.multi_cell_formula import PHRASINGS, words_of

    for option, format_words in (("currency", {"currency", "money"}), ("percent", {"percent", "percentage",
                                                                                    "percentages"})):
        for phrasing in PHRASINGS[option][:-2]:  # the last two are held out for the ood split
            assert words_of(phrasing.format(span="B2:B9")) & format_words & set(OPERATION_WORDS), phrasing
