"""SpreadsheetEnv.clone(): an exact, independent copy of an environment mid-episode."""

from __future__ import annotations

import numpy as np
import pytest

from sheetrl.env.actions import MACRO_INDEX, N_ACTIONS
from sheetrl.env.spreadsheet_env import SpreadsheetEnv


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_a_clone_continues_exactly_and_never_touches_the_original(level: int) -> None:
    env, reference = SpreadsheetEnv(level=level, split="ood"), SpreadsheetEnv(level=level, split="ood")
    env.reset(seed=level)
    reference.reset(seed=level)
    assert env.task is not None
    rng = np.random.default_rng(level)
    for name in env.task.expert_actions:
        wanderer = env.clone()  # random edits in a clone leave the original as it was
        for _ in range(4):
            _, _, terminated, _, _ = wanderer.step(rng.choice(np.flatnonzero(wanderer.action_masks())))
            if terminated:
                break
        twin = env.clone()  # a clone stepped like the original gives the same observation, reward and verdict
        action = MACRO_INDEX[name]
        observation, reward, terminated, _, info = env.step(action)
        expected, expected_reward, expected_terminated, _, expected_info = reference.step(action)
        twin_observation, twin_reward, twin_terminated, _, twin_info = twin.step(action)
        for key in expected:
            np.testing.assert_array_equal(observation[key], expected[key], err_msg=key)
            np.testing.assert_array_equal(twin_observation[key], expected[key], err_msg=key)
        assert reward == expected_reward == twin_reward
        assert terminated == expected_terminated == twin_terminated
        assert info["reward_terms"] == expected_info["reward_terms"] == twin_info["reward_terms"]
        if terminated:
            break
    assert info["is_success"]


def test_a_clone_records_nothing_in_the_curriculum() -> None:
    env = SpreadsheetEnv(level="curriculum")
    env.reset(seed=0)
    assert env.curriculum is not None
    before = env.curriculum.state_dict()
    clone = env.clone()
    while True:
        _, _, terminated, _, _ = clone.step(MACRO_INDEX["done"])
        if terminated:
            break
    assert env.curriculum.state_dict() == before


def test_a_clones_commands_follow_its_own_state_after_the_original_moves_on() -> None:
    env, reference = SpreadsheetEnv(level=2), SpreadsheetEnv(level=2)
    env.reset(seed=3)
    reference.reset(seed=3)
    clone = env.clone()  # no command of this state has been built yet: the clone builds its own
    env.step(MACRO_INDEX["anchor_selection"])  # the original now extends a selection when it moves
    env.step(MACRO_INDEX["move_down"])
    assert clone.state is not None and clone.state.anchor is None
    jump = clone.action_to_command(MACRO_INDEX["jump_right"])
    assert jump is not None and jump.verb == "goto"  # a plain jump: the clone has no selection anchor
    assert [clone.action_to_command(i) for i in range(N_ACTIONS)] == [
        reference.action_to_command(i) for i in range(N_ACTIONS)]
