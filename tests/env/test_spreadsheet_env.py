"""The Gymnasium environment: API conformance, masks, determinism, rewards, snapshots, rendering."""

import warnings

import gymnasium as gym
import numpy as np
import pytest
from gymnasium.utils.env_checker import check_env

import sheetrl.env  # noqa: F401  (registers the ids)
from sheetrl.env import ENV_IDS
from sheetrl.env.actions import MACRO_INDEX, N_ACTIONS
from sheetrl.env.rewards import TERMS, RewardConfig
from sheetrl.env.spreadsheet_env import EnvConfig, SpreadsheetEnv
from sheetrl.env.tasks import EVAL_SEED_OFFSET, eval_seed, split_of

LEVELS = [1, 2, 3, 4, 5]


@pytest.mark.parametrize("env_id", list(ENV_IDS.values()))
def test_check_env_passes_without_warnings(env_id):
    env = gym.make(env_id).unwrapped
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        check_env(env, skip_render_check=True)
    assert [str(w.message) for w in caught] == []


@pytest.mark.parametrize("level", LEVELS)
def test_expert_solves_through_the_env_and_terminates(level):
    env = SpreadsheetEnv(level=level)
    for task_seed in range(10):
        env.reset(options={"task_seed": task_seed})
        for name in env.task.expert_actions:
            _, _, terminated, truncated, info = env.step(MACRO_INDEX[name])
            if terminated or truncated:
                break
        assert terminated and not truncated and info["is_success"], (level, task_seed)
        assert set(TERMS) <= set(info["reward_terms"])


@pytest.mark.parametrize("level", LEVELS)
def test_reset_with_the_same_seed_is_reproducible(level):
    a, b = SpreadsheetEnv(level=level), SpreadsheetEnv(level=level)
    obs_a, info_a = a.reset(seed=123)
    obs_b, info_b = b.reset(seed=123)
    assert info_a["task_seed"] == info_b["task_seed"] and info_a["instruction"] == info_b["instruction"]
    for key in obs_a:
        np.testing.assert_array_equal(obs_a[key], obs_b[key])
    rng = np.random.default_rng(0)
    for _ in range(40):
        legal = np.flatnonzero(obs_a["action_mask"])
        action = int(rng.choice(legal))
        obs_a, r_a, t_a, tr_a, _ = a.step(action)
        obs_b, r_b, t_b, tr_b, _ = b.step(action)
        assert (r_a, t_a, tr_a) == (r_b, t_b, tr_b)
        for key in obs_a:
            np.testing.assert_array_equal(obs_a[key], obs_b[key])
        if t_a or tr_a:
            obs_a, _ = a.reset()
            obs_b, _ = b.reset()


def test_training_iid_and_ood_seeds_are_disjoint():
    seen = {}
    for split in ("train", "iid", "ood"):
        env = SpreadsheetEnv(level=2, split=split)
        seen[split] = {env.reset(seed=s)[1]["task_seed"] for s in range(100)}
        assert all(split_of(seed) == split for seed in seen[split])
    assert not (seen["train"] & seen["iid"] or seen["train"] & seen["ood"] or seen["iid"] & seen["ood"])
    assert eval_seed(0) == EVAL_SEED_OFFSET


@pytest.mark.parametrize("level", LEVELS)
def test_masked_in_actions_never_raise_and_masked_out_actions_change_nothing(level):
    env = SpreadsheetEnv(level=level, max_steps=1000)
    obs, _ = env.reset(seed=level)
    rng = np.random.default_rng(level)
    for _ in range(150):
        mask = obs["action_mask"].astype(bool)
        assert mask.any()
        illegal = np.flatnonzero(~mask)
        if illegal.size:
            before = {k: v.copy() for k, v in obs.items()}
            values_before = dict(env.state.workbook.value_map())
            cursor_before = env.state.cursor
            after, reward, terminated, _, info = env.step(int(rng.choice(illegal)))
            assert reward == RewardConfig().invalid_penalty and not terminated
            assert info["reward_terms"]["invalid"] == RewardConfig().invalid_penalty and "error" in info
            assert dict(env.state.workbook.value_map()) == values_before and env.state.cursor == cursor_before
            for key in ("grid", "cell_tokens", "action_mask"):
                np.testing.assert_array_equal(after[key], before[key])
            obs = after
        action = int(rng.choice(np.flatnonzero(obs["action_mask"])))
        assert env.action_to_command(action) is not None
        obs, _, terminated, truncated, _ = env.step(action)
        if terminated or truncated:
            obs, _ = env.reset()


@pytest.mark.parametrize("action", [-1, N_ACTIONS, 10**9])
def test_out_of_range_integer_actions_are_penalized_not_exceptions(action):
    env = SpreadsheetEnv(level=1)
    env.reset(seed=0)
    _, reward, terminated, _, info = env.step(action)
    assert reward == -1.0 and not terminated and "not a macro" in info["error"]


@pytest.mark.parametrize("action", [3.7, 3.0, "3", True, np.True_, None, [3], np.array([1, 2]), np.array([1.0])])
def test_actions_that_are_not_integers_raise_a_clear_type_error(action):
    """The review: step(3.7), step("3") and step(True) were accepted as actions."""
    env = SpreadsheetEnv(level=1)
    env.reset(seed=0)
    with pytest.raises(TypeError, match="action"):
        env.step(action)


@pytest.mark.parametrize("action", [np.int64(8), np.int8(8), np.array(8), np.array([8]), np.uint16(8)])
def test_numpy_integer_actions_are_accepted(action):
    env = SpreadsheetEnv(level=1)
    env.reset(seed=0)
    _, _, _, _, info = env.step(action)
    assert info["command"] == str(env._last_info["command"]) and "error" not in info


def test_step_after_the_end_raises_until_reset():
    """The review: stepping a terminated episode paid the verdict again and counted another episode."""
    env = SpreadsheetEnv(level="curriculum")
    env.reset(seed=0)
    _, reward, terminated, _, _ = env.step(MACRO_INDEX["done"])
    assert terminated and reward < -9
    episodes = sum(env.curriculum.episodes.values())
    for call in (lambda: env.step(MACRO_INDEX["done"]), lambda: env.step_command("done")):
        with pytest.raises(RuntimeError, match="episode is over; call reset"):
            call()
    assert sum(env.curriculum.episodes.values()) == episodes
    env.reset()
    env.step(MACRO_INDEX["move_right"])


def test_commands_outside_the_sheet_area_are_invalid_not_exceptions():
    """The review: `goto M1` / `goto A30` in play died with an IndexError."""
    env = SpreadsheetEnv(level=1)
    env.reset(options={"task_seed": 0})
    rows, cols = env.task.extent
    from sheetrl.sheet.address import cell_name

    inside = cell_name(rows - 1, cols - 1)
    _, _, _, _, info = env.step_command(f"goto {inside}")
    assert info["command"] == f"goto {inside}" and env.state.cursor == (rows - 1, cols - 1)
    for line in (f"goto {cell_name(rows, 0)}", f"value {cell_name(0, cols)} 3", f"select A1:{cell_name(rows, 0)}"):
        before = dict(env.state.workbook.value_map())
        _, reward, terminated, _, info = env.step_command(line)
        assert reward == -1.0 and not terminated and "outside this task's sheet area" in info["error"]
        assert dict(env.state.workbook.value_map()) == before


@pytest.mark.slow
@pytest.mark.parametrize("level", LEVELS)
def test_random_masked_policy_runs_20000_steps(level):
    env = SpreadsheetEnv(level=level)
    obs, _ = env.reset(seed=7)
    rng = np.random.default_rng(7)
    episodes = 0
    for _ in range(20_000):
        obs, reward, terminated, truncated, _info = env.step(int(rng.choice(np.flatnonzero(obs["action_mask"]))))
        assert np.isfinite(reward)
        assert env.observation_space.contains(obs)
        if terminated or truncated:
            episodes += 1
            obs, _ = env.reset()
    assert episodes > 0


def test_the_step_budget_ends_the_episode_as_a_failed_verdict():
    env = SpreadsheetEnv(level=1, max_steps=3)
    env.reset(seed=0)
    move = MACRO_INDEX["move_right"]
    results = [env.step(move) for _ in range(3)]
    assert [r[2] for r in results] == [False, False, True]
    assert not any(r[3] for r in results)  # truncated is left to outside time limits
    assert results[-1][4]["reward_terms"]["feedback"] == -10.0 and results[-1][4]["check"] in ("value", "style")


def test_done_without_solving_is_penalized_by_the_simulated_user():
    env = SpreadsheetEnv(level=2)
    env.reset(seed=0)
    _, _reward, terminated, _, info = env.step(MACRO_INDEX["done"])
    assert terminated and not info["is_success"] and info["reward_terms"]["feedback"] == -10.0


def test_progress_term_is_potential_based():
    env = SpreadsheetEnv(level=3)
    env.reset(options={"task_seed": 1})
    gamma = env.config.rewards.gamma
    total_progress = 0.0
    discount = 1.0
    for name in env.task.expert_actions:
        _, _, terminated, truncated, info = env.step(MACRO_INDEX[name])
        total_progress += discount * info["reward_terms"]["progress"]
        discount *= gamma
        if terminated or truncated:
            break
    # the discounted sum of gamma*phi(s') - phi(s) telescopes to -phi(s0) (phi(terminal) = 0)
    assert total_progress == pytest.approx(1.0, abs=1e-9)


def test_step_command_accepts_text_and_reports_bad_text():
    env = SpreadsheetEnv(level=2)
    env.reset(options={"task_seed": 0})
    _, reward, _, _, info = env.step_command("formula Z1 =SUM(")
    assert reward == -1.0 and "formula" in info["error"]
    target = env.task.target_cells[0]
    _, _, _, _, info = env.step_command(f"goto {target}")
    assert info["command"] == f"goto {target}"


def test_snapshot_restores_the_exact_state():
    env = SpreadsheetEnv(level="curriculum")
    obs, _ = env.reset(seed=5)
    rng = np.random.default_rng(5)
    for _ in range(17):
        obs, _, terminated, truncated, _ = env.step(int(rng.choice(np.flatnonzero(obs["action_mask"]))))
        if terminated or truncated:
            obs, _ = env.reset()
    snapshot = env.get_state()
    twin = SpreadsheetEnv(level="curriculum")
    restored = twin.set_state(snapshot)
    for key in obs:
        np.testing.assert_array_equal(obs[key], restored[key])
    for _ in range(30):
        action = int(rng.choice(np.flatnonzero(obs["action_mask"])))
        a = env.step(action)
        b = twin.step(action)
        assert a[1:4] == b[1:4]
        obs = a[0]
        if a[2] or a[3]:
            assert env.reset()[1] == twin.reset()[1]
            obs = env._observation()


def test_a_snapshot_of_another_layouts_task_is_refused_instead_of_restoring_a_different_task():
    """set_state rebuilt the task from its level and seed with its own layout configuration: a snapshot taken by
    an environment configured otherwise silently restored a different task and replayed the commands on it."""
    from sheetrl.env.tasks.layout import LayoutConfig

    env = SpreadsheetEnv(level=2)
    env.reset(seed=3)
    env.step_command("goto B2")
    snapshot = env.get_state()
    plain = SpreadsheetEnv(level=2, layout=LayoutConfig(spacers=0, titles=0, notes=0, extra_tables=0))
    with pytest.raises(ValueError, match="the snapshot's task is not the one this environment builds"):
        plain.set_state(snapshot)
    assert plain.task is None  # nothing was changed
    twin = SpreadsheetEnv(level=2)
    twin.set_state(snapshot)
    assert twin.task.instruction == env.task.instruction and twin.state_key() == env.state_key()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"steps": "x"}, "steps must be the number of commands in its history"),
        ({"steps": 5}, "steps must be the number of commands in its history"),
        ({"history": [5], "steps": 1}, "history is a list of command texts"),
        ({"history": ["bogus A1"], "steps": 1}, "history holds a command that does not parse"),
        ({"history": ["goto A1"] * 500, "steps": 500}, "more than this environment's budget"),
        ({"task_rng": [1, 2]}, "task_rng is not a random.Random state"),
        ({"task": "foo"}, "the snapshot's task is a dict"),
        ({"task": None}, "holds commands but no task"),
        ({"history": None}, "history is a list of command texts"),
    ],
)
def test_a_corrupt_snapshot_is_refused_with_its_field_named_before_anything_changes(change, message):
    """Corrupt snapshots were accepted (a step count that is not the history's length, commands past the budget)
    or failed deep inside with TypeError or KeyError after the environment had already been reset."""
    env = SpreadsheetEnv(level=2)
    env.reset(seed=3)
    env.step_command("goto B2")
    snapshot = dict(env.get_state(), **change)
    other = SpreadsheetEnv(level=2)
    other.reset(seed=4)
    key = other.state_key()
    with pytest.raises(ValueError, match=message):
        other.set_state(snapshot)
    assert other.state_key() == key and other.task.seed != env.task.seed
    with pytest.raises(ValueError, match="lacks task_rng"):
        other.set_state({"task": None})


@pytest.mark.parametrize(
    ("options", "error", "message"),
    [
        ({"level": 2.5}, TypeError, "options\\['level'\\] is an integer, not float 2.5"),
        ({"level": True}, TypeError, "not the boolean True"),
        ({"task_seed": 3.9}, TypeError, "options\\['task_seed'\\] is an integer, not float 3.9"),
        ({"task_seed": "abc"}, TypeError, "not str 'abc'"),
        ({"task_sed": 3}, ValueError, "unknown reset option\\(s\\) task_sed; the options are task, level, task_seed"),
    ],
)
def test_reset_options_of_the_wrong_kind_are_refused_instead_of_truncated_or_ignored(options, error, message):
    """level=2.5 played level 2, task_seed=True task 1, and a misspelt option was ignored: each played a task the
    caller did not ask for."""
    env = SpreadsheetEnv(level=1)
    with pytest.raises(error, match=message):
        env.reset(seed=0, options=options)
    _, info = env.reset(seed=0, options={"level": np.int64(2), "task_seed": np.int32(3)})  # NumPy integers are fine
    assert (info["level"], info["task_seed"]) == (2, 3)


def test_observation_is_incrementally_consistent_with_a_full_rebuild():
    env = SpreadsheetEnv(level=5)
    env.reset(options={"task_seed": 3})
    ending = next(i for i, name in enumerate(env.task.expert_actions) if env.step(MACRO_INDEX[name])[2])
    env.reset(options={"task_seed": 3})
    for name in env.task.expert_actions[:ending]:  # every step but the one that solves the task
        env.step(MACRO_INDEX[name])
    builder = env._builder
    grid, tokens, edges = builder.grid.copy(), builder.cell_tokens.copy(), builder.edges.copy()
    builder._redraw(env.state.workbook)
    builder.set_cursor(env.state.cursor, env.state.selection)
    np.testing.assert_array_equal(grid, builder.grid)
    np.testing.assert_array_equal(tokens, builder.cell_tokens)
    np.testing.assert_array_equal(edges, builder.edges)


def test_render_modes():
    env = SpreadsheetEnv(level=3, render_mode="ansi")
    env.reset(seed=0)
    text = env.render()
    assert "Task (level 3" in text and "[" in text
    image_env = SpreadsheetEnv(level=3, render_mode="rgb_array")
    image_env.reset(seed=0)
    frame = image_env.render()
    assert frame.dtype == np.uint8 and frame.ndim == 3 and frame.shape[2] == 3
    image_env.step(MACRO_INDEX["next_target"])
    assert image_env.render().shape == frame.shape


@pytest.mark.parametrize(
    "kwargs", [{"level": 9}, {"split": "test"}, {"grid_rows": 5}, {"max_steps": 0}, {"render_mode": "human"}]
)
def test_bad_configuration_raises_value_error(kwargs):
    with pytest.raises(ValueError):
        SpreadsheetEnv(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [({"max_steps": True}, "max_steps is an integer, not bool True"),
     ({"max_steps": 2.5}, "max_steps is an integer, not float 2.5"),
     ({"grid_rows": 8.5}, "grid_rows is an integer, not float 8.5"),
     ({"max_edges": "10"}, "max_edges is an integer, not str '10'"),
     ({"chain_length": None}, "chain_length is an integer, not NoneType None")],
)
def test_sizes_and_budgets_that_are_not_integers_are_refused(kwargs, message):
    """max_steps=True gave every episode a budget of one step and max_steps=2.5 one of three; a float size
    failed inside Gymnasium's Box and a text one with a comparison TypeError."""
    with pytest.raises(TypeError, match=message):
        EnvConfig(**kwargs)
    config = EnvConfig(grid_rows=np.int64(10), max_steps=np.int32(7))  # NumPy integers (a sweep's) are ints
    assert (type(config.grid_rows), type(config.max_steps), config.max_steps) == (int, int, 7)


def test_curriculum_env_reports_levels_and_advances():
    env = SpreadsheetEnv(config=EnvConfig(level="curriculum", curriculum_window=3, curriculum_replay=0.0))
    levels = []
    for seed in range(12):
        env.reset(seed=seed)
        levels.append(env.task.level)
        for name in env.task.expert_actions:
            _, _, terminated, truncated, _ = env.step(MACRO_INDEX[name])
            if terminated or truncated:
                break
    assert levels[:3] == [1, 1, 1] and levels[3] == 2 and env.curriculum.current_level >= 4


def test_a_pivot_drawn_on_a_sheet_the_agent_added_is_a_target_not_a_collateral_change():
    """Adding a sheet changes no cell, and the cells the task wants on it must become targets there: the correct
    pivot on a new sheet used to cost −9.9 (collateral, paid back at ``done``), report ``unchanged`` and not end
    the episode."""
    env = SpreadsheetEnv(level=4)
    for seed in range(200):
        env.reset(options={"task_seed": seed})
        if "new_sheet_instructed" in env.task.expert_actions:
            break
    else:
        pytest.fail("no level-4 task with a new sheet in the first 200 seeds")
    infos = []
    for name in env.task.expert_actions:
        _, _, terminated, _, info = env.step(MACRO_INDEX[name])
        infos.append(info)
        if terminated:
            break
    pivot = next(i for i in infos if i["command"] and i["command"].startswith("pivot"))
    assert pivot["reward_terms"]["collateral"] == 0.0
    assert pivot["is_success"] and pivot["check"] == "ok"  # solved: the episode ends with the pivot
    assert all(i["reward_terms"]["collateral"] == 0.0 for i in infos)


def _empty_cell(env: SpreadsheetEnv, written: bool = False) -> str:
    """A cell of the task's sheet area that starts empty and unformatted, away from the targets; with ``written``,
    one within the sheet's used extent (writing it and clearing it again leaves the workbook as it was)."""
    from sheetrl.sheet.address import cell_name, make_key
    from sheetrl.sheet.evaluation import extent_key

    wb, sheet_id = env.task.workbook, env.state.sheet_id
    targets = {target.address for target in env.task.targets}
    rows, cols = env.task.extent
    if written:
        last_row, last_col = wb.value_map()[extent_key(sheet_id)]
        rows, cols = min(rows, last_row + 1), min(cols, last_col + 1)
    for row in range(rows - 1, -1, -1):
        for col in range(cols - 1, -1, -1):
            key = make_key(sheet_id, row, col)
            name = cell_name(row, col)
            if wb.input_at(key) is None and wb.format_at(key) == wb.format_at(make_key(sheet_id, rows + 5, 0)) \
                    and name not in targets:
                return name
    raise AssertionError("no empty cell")


@pytest.mark.parametrize("level", [1, 3, 4])
def test_state_key_is_equal_exactly_when_the_episode_is_back_where_it_was(level):
    env = SpreadsheetEnv(level=level, max_steps=100)
    env.reset(seed=0, options={"task_seed": 3})
    start = env.state_key()
    cell = _empty_cell(env, written=True)
    here = env.state.cursor_text
    env.step_command(f"goto {cell}")
    away = env.state_key()
    assert away != start
    env.step_command(f"goto {here}")
    assert env.state_key() == start  # moving back: nothing else changed

    env.step_command(f"value {cell} 42")
    typed = env.state_key()
    assert typed != start
    env.step_command(f"value {cell} 43")
    assert env.state_key() != typed
    env.step_command(f"clear {cell}")
    env.step_command(f"goto {here}")
    assert env.state_key() == start  # the cell is as the task began: no difference left
    env.step_command(f"format {cell} percent")
    assert env.state_key() != start  # a format alone is a difference
    formatted = env.state_key()

    twin = env.clone()
    assert twin.state_key() == formatted
    twin.step_command(f"value {cell} 7")
    assert twin.state_key() != formatted and env.state_key() == formatted  # the copy's steps stay in the copy
    restored = SpreadsheetEnv(level=level, max_steps=100)
    restored.set_state(env.get_state())
    assert restored.state_key() == formatted  # a snapshot replays to the same key


def test_state_key_keeps_edits_that_change_more_than_cells():
    env = SpreadsheetEnv(level=1, max_steps=100)
    env.reset(seed=0, options={"task_seed": 1})
    start_sheet = env.state.sheet
    before = env.state_key()
    env.step_command("newsheet Notes")
    env.step_command(f"sheet {start_sheet}")
    assert env.state_key() != before  # a sheet was added: not the state the episode started in


PIVOT_TASK_SEED = 577090037  # level 4: "Pivot the exam results (H35:K45) by Subject; show the average Score."


def _pivot_env() -> tuple[SpreadsheetEnv, str]:
    """A level-4 pivot task, and its pivot command without the anchor (``... at CELL`` is added per use)."""
    env = SpreadsheetEnv(level=4, max_steps=100)
    env.reset(seed=0, options={"task_seed": PIVOT_TASK_SEED})
    command = str(env.action_to_command(MACRO_INDEX["pivot_instructed"]))
    return env, command.rsplit(" at ", 1)[0]


def test_state_key_is_equal_after_a_pivot_is_drawn_again_over_itself():
    """Drawing the instructed pivot again where it stands leaves the workbook exactly as it was: the key must say
    so, or a policy that keeps redrawing it is never stopped (the loop --avoid-repeats exists for)."""
    env, _ = _pivot_env()
    env.step(MACRO_INDEX["pivot_instructed"])
    placed = env.state_key()
    names = [(p.name, p.anchor) for p in env.state.workbook.pivots]
    env.step(MACRO_INDEX["pivot_instructed"])  # the macro draws over a pivot anchored at the cursor
    assert [(p.name, p.anchor) for p in env.state.workbook.pivots] == names
    assert env.state_key() == placed


def test_state_key_sees_a_pivot_a_failed_command_removed():
    """A pivot command that fails after removing the pivot it was to replace (the engine names the new one after
    the count of pivots, a name the other pivot holds) changes the workbook: the key must change with it."""
    env, pivot = _pivot_env()
    for command in (f"{pivot} at A1", f"{pivot} at J47", "clear A1:D10", "goto A1"):
        assert "error" not in env.step_command(command)[-1], command
    before = env.state_key()
    assert len(env.state.workbook.pivots) == 2
    info = env.step_command(f"{pivot} at A1")[-1]
    assert "already exists" in info["error"] and len(env.state.workbook.pivots) == 1  # failed, yet one is gone
    assert env.state_key() != before
    twin = env.clone()
    assert twin.state_key() == env.state_key()
    restored = SpreadsheetEnv(level=4, max_steps=100)
    restored.set_state(env.get_state())
    assert restored.state_key() == env.state_key()



def test_state_key_tells_a_logical_from_a_number():
    env = SpreadsheetEnv(level=1, max_steps=100)
    env.reset(seed=0, options={"task_seed": 3})
    cell = _empty_cell(env)
    env.step_command(f"value {cell} TRUE")
    logical = env.state_key()
    env.step_command(f"value {cell} 1")
    assert env.state.workbook.input_at(env.state.workbook.key(env.state.address(cell))) == 1
    assert env.state_key() != logical  # =ISNUMBER, SUM over a range and =A1=1 tell them apart


def test_state_key_sees_how_far_the_sheet_was_ever_written():
    """The engine keeps each sheet's used extent (it grows and never shrinks: a cleared cell still counts), and
    whole-column references are read up to it: a value typed far down and cleared again changes what =ROWS(A:A*1)
    gives, so the state is not the one the episode started in."""
    env = SpreadsheetEnv(level=1, max_steps=100)
    env.reset(seed=0, options={"task_seed": 3})
    start, here = env.clone(), env.state.cursor_text
    far = _empty_cell(env)  # the last row's
    for command in (f"value {far} 5", f"clear {far}", f"goto {here}"):
        assert "error" not in env.step_command(command)[-1], command
    column = next(c for c in "BCDEFGH" if env.state.workbook.input(f"{env.state.prefix}{c}1") is None)
    cell = f"{column}1"
    for moment in (start, env):
        moment.step_command(f"formula {cell} =ROWS(A:A*1)")
    wb, key = env.state.workbook, env.state.workbook.key(env.state.address(cell))
    assert start.state.workbook.value_at(key) != wb.value_at(key)  # the two moments behave differently
    assert start.state_key() != env.state_key()


def test_ansi_rendering_shows_control_characters_escaped():
    """A cell holding a line break or an escape sequence broke the grid, or drove the terminal."""
    env = SpreadsheetEnv(level=1, render_mode="ansi")
    env.reset(seed=0)
    env.step_command('formula A1 ="ab"&CHAR(10)&CHAR(27)&"[2J"')
    text = env.render()
    lines = text.splitlines()
    assert lines[2].startswith("   1 [ab\\n\\x1b") and lines[3].startswith("   2 ") and "\x1b" not in text


@pytest.mark.parametrize("formula", ["=Table1[Sales]", "=[x]", "=A1#", "=@A1", "=A1:B2 B1:C2"])
def test_a_formula_the_token_language_cannot_spell_is_observed_as_unknown(formula):
    """Entering one raised TokenError while the observation was built: `play` ended with an internal error."""
    from sheetrl.env.tokens import UNK

    env = SpreadsheetEnv(level=1)
    env.reset(seed=0)
    obs, _, _, _, info = env.step_command(f"formula A1 {formula}")
    assert not info.get("error")
    chain = obs["formula_chain"]
    assert UNK in chain.tolist() and env.observation_space.contains(obs)
