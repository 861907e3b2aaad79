"""The reward terms: potential-based shaping that cannot be farmed, and the validity checks on hand-made sheets."""

from __future__ import annotations

import pytest

from sheetrl.env.actions import MACRO_INDEX
from sheetrl.env.rewards import FormulaValidity, RewardConfig
from sheetrl.env.spreadsheet_env import EnvConfig, SpreadsheetEnv
from sheetrl.env.tasks import make_task
from sheetrl.env.tasks.base import SHEET


def _first_formula_target(task):
    return next(t.address for t in task.targets if t.formula)


def test_reentering_a_formula_earns_nothing():
    env = SpreadsheetEnv(level=3)
    env.reset(options={"task_seed": 4})
    target = _first_formula_target(env.task)
    env.step_command(f"goto {target}")
    # a wrong but well-formed formula that reads data: partial validity, the episode goes on
    _, _, terminated, _, first = env.step_command(f"formula {target} =A1")
    assert not terminated
    gains = [first["reward_terms"]["validity"]]
    for _ in range(5):
        _, _, terminated, _, info = env.step_command(f"formula {target} =A1")
        assert not terminated
        gains.append(info["reward_terms"]["validity"])
    assert gains[0] > 0
    assert all(g <= 0 for g in gains[1:])  # (gamma - 1) * psi: re-entering loses a little, never gains


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_expert_episode_validity_telescopes_to_zero(level):
    """From a sheet without target formulas, the discounted validity sum of a terminated episode is 0 exactly,
    and so the discounted progress sum is -phi(s0) = the initial goal distance."""
    for seed in range(3):
        env = SpreadsheetEnv(level=level)
        env.reset(options={"task_seed": seed})
        gamma = env.config.rewards.gamma
        start_distance = -env.rewards.progress_potential
        validity = progress = 0.0
        discount = 1.0
        for name in env.task.expert_actions:
            _, _, terminated, truncated, info = env.step(MACRO_INDEX[name])
            validity += discount * info["reward_terms"]["validity"]
            progress += discount * info["reward_terms"]["progress"]
            discount *= gamma
            if terminated or truncated:
                break
        assert info["is_success"] and terminated
        assert validity == pytest.approx(0.0, abs=1e-9)
        assert progress == pytest.approx(start_distance, abs=1e-9)


def test_a_formula_outside_the_targets_can_only_lose():
    env = SpreadsheetEnv(level=2)
    env.reset(options={"task_seed": 0})
    weight = env.config.rewards.validity
    free = next(f"K{r}" for r in range(20, 25) if env.state.workbook.value(f"{SHEET}!K{r}") is None)
    _, _, _, _, info = env.step_command(f"formula {free} =5")  # no cells read: fails one check of three
    assert info["reward_terms"]["validity"] == pytest.approx(-weight / 3)
    _, _, _, _, info = env.step_command(f"formula {free} =1/0")  # an error value too
    assert info["reward_terms"]["validity"] == pytest.approx(-2 * weight / 3)
    data = env.task.inputs[0]
    _, _, _, _, info = env.step_command(f"formula {free} ={data}")  # reads a filled cell, no error
    assert info["reward_terms"]["validity"] == pytest.approx(0.0)


def test_validity_potential_grades_a_target_formula():
    task = make_task(2, 0)  # column_aggregate: D14 = SUM(D6:D13)
    validity = FormulaValidity(task)
    target = _first_formula_target(task)
    wb = task.workbook.clone()
    assert validity.potential(wb) == 0.0
    wb.set(f"{SHEET}!{target}", "=1/0")  # a formula, but an error that reads nothing
    assert validity.potential(wb) == pytest.approx(1 / 4)
    solved = task.solution
    assert validity.potential(solved) == pytest.approx(1.0)
    typed = task.workbook.clone()
    typed.set(f"{SHEET}!{target}", f"={solved.value(f'{SHEET}!{target}')!r}")  # the right number, as a constant
    assert validity.potential(typed) == pytest.approx(2 / 4)  # formula, no error; reads nothing, fails perturbation


def test_the_spent_budget_is_a_terminal_verdict_that_zeroes_every_potential():
    """One budget treatment: running out is the user's verdict (terminated, -10), from a state that shows the
    elapsed budget; every potential goes to 0 as at any other end, so the shaping still telescopes."""
    config = EnvConfig(level=2, max_steps=1)
    env = SpreadsheetEnv(config=config)
    env.reset(options={"task_seed": 0})
    phi, aesthetic = env.rewards.progress_potential, env.rewards.aesthetic_score
    _, _, terminated, truncated, info = env.step(MACRO_INDEX["move_down"])
    assert terminated and not truncated and not info["is_success"]
    terms = info["reward_terms"]
    assert terms["feedback"] == -10.0 and terms["progress"] == pytest.approx(-phi)
    assert terms["aesthetic"] == pytest.approx(-0.5 * aesthetic) and terms["collateral"] == 0.0
    env.reset(options={"task_seed": 0})
    _, _, terminated, _, info = env.step(MACRO_INDEX["done"])
    assert terminated and info["reward_terms"]["progress"] == pytest.approx(-phi)


def test_an_invalid_action_that_spends_the_budget_ends_the_episode_with_the_verdict():
    env = SpreadsheetEnv(level=2, max_steps=2)
    env.reset(options={"task_seed": 0})
    env.step_command("goto A1")
    _, _reward, terminated, truncated, info = env.step_command("formula A1 =SUM(")
    assert terminated and not truncated and "error" in info
    assert info["reward_terms"]["invalid"] == -1.0 and info["reward_terms"]["feedback"] == -10.0


def test_collateral_changes_cost_at_once_and_are_paid_back_when_undone():
    env = SpreadsheetEnv(level=1)
    env.reset(options={"task_seed": 1})
    gamma = env.config.rewards.gamma
    label = next(address for address, value in env.task.workbook.cells() if isinstance(value, str)
                 and address not in env.task.target_cells)
    _, _, _, _, info = env.step_command(f"clear {label}")  # one changed cell: C = -0.1, weight 10
    assert info["reward_terms"]["collateral"] == pytest.approx(10 * gamma * -0.1)
    _, _, _, _, info = env.step_command(f"value {label} {_literal(env.task.workbook.value(label))}")
    assert info["reward_terms"]["collateral"] == pytest.approx(1.0)  # restored: C back to 0


def _literal(value):
    from sheetrl.env.commands import format_literal

    return format_literal(value)


def test_aesthetics_are_potential_based_and_zero_at_the_end():
    env = SpreadsheetEnv(level=1)
    env.reset(options={"task_seed": 1})
    gamma = env.config.rewards.gamma
    total, discount, start = 0.0, 1.0, env.rewards.aesthetic_score
    for line in ("goto A1", "bold A1", "unbold A1", "done"):
        _, _, terminated, _, info = env.step_command(line)
        total += discount * info["reward_terms"]["aesthetic"]
        discount *= gamma
    assert terminated and total == pytest.approx(-0.5 * start)


def test_reward_config_rejects_bad_weights():
    with pytest.raises(ValueError, match="validity"):
        RewardConfig(validity=float("nan"))
    with pytest.raises(ValueError, match="gamma"):
        RewardConfig(gamma=1.5)


def test_a_target_written_in_another_case_is_still_a_target_for_the_entry_penalty():
    # The review: the penalty for a formula entered outside the targets compared addresses as text, so a target
    # written `other!a2` (the sheet is `Other`) was charged as if it lay outside them.
    task = make_task(2, 0)
    validity = FormulaValidity(task)
    target = _first_formula_target(task)
    wb = task.workbook.clone()
    wb.set(f"{SHEET}!{target}", "=5")  # fails the "reads data" check: outside the targets it would cost 1/3
    assert validity.entry_penalty(wb, f"{SHEET.lower()}!{target.lower()}") == 0.0
    assert validity.entry_penalty(wb, f"{SHEET}!{target}") == 0.0
    free = f"{SHEET}!Z99"
    wb.set(free, "=5")
    assert validity.entry_penalty(wb, free) == pytest.approx(-1 / 3)
