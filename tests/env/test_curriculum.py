"""Curriculum manager: advancing, stepping back, replay, validated settings, serialization, one manager per pool."""

import pytest

from sheetrl.env.curriculum import CurriculumManager


def test_starts_at_level_one_and_waits_for_a_full_window():
    manager = CurriculumManager(threshold=0.8, window=10, replay_probability=0.0)
    assert manager.next_level() == 1
    for _ in range(9):
        assert not manager.record(1, True)
    assert manager.current_level == 1  # 9 episodes: fewer than the window
    assert manager.record(1, False)  # 9/10 = 0.9 > 0.8
    assert manager.current_level == 2 and manager.next_level() == 2


def test_advances_only_when_rate_exceeds_threshold():
    manager = CurriculumManager(threshold=0.8, window=5, replay_probability=0.0)
    for outcome in (True, True, True, True, False):
        assert not manager.record(1, outcome)  # 4/5 = 0.8 is not above 0.8
    assert not manager.record(1, True)  # T T T F T: still 0.8
    assert not manager.record(2, True)  # other levels do not advance the current one
    assert manager.record(1, True) == 0  # T T F T T
    assert manager.record(1, True) == 0  # T F T T T
    assert manager.record(1, True) == 0  # F T T T T
    assert manager.record(1, True) == 1  # T T T T T = 1.0
    assert manager.current_level == 2


def test_replays_earlier_levels_with_the_configured_probability():
    manager = CurriculumManager(threshold=0.5, window=1, replay_probability=0.3, seed=1)
    manager.record(1, True)
    manager.record(2, True)
    assert manager.current_level == 3
    levels = [manager.next_level() for _ in range(5000)]
    replayed = sum(1 for level in levels if level < 3) / len(levels)
    assert 0.27 < replayed < 0.33
    assert set(levels) == {1, 2, 3}


def test_state_round_trip_continues_identically():
    manager = CurriculumManager(threshold=0.5, window=3, replay_probability=0.5, seed=3)
    for outcome in (True, True, False, True):
        manager.record(1, outcome)
    copy = CurriculumManager()
    copy.load_state_dict(manager.state_dict())
    assert [copy.next_level() for _ in range(50)] == [manager.next_level() for _ in range(50)]
    assert copy.unlocked == manager.unlocked and copy.success_rate(1) == manager.success_rate(1)


@pytest.mark.parametrize(
    "kwargs",
    [{"threshold": 1.0}, {"threshold": 1.5}, {"threshold": -0.1}, {"threshold": True}, {"window": 0},
     {"window": 2.5}, {"replay_probability": -0.1}, {"levels": (2, 1)}, {"demotion_threshold": 0.8},
     {"demotion_threshold": -0.2}],
)
def test_bad_settings_raise(kwargs):
    """The review: threshold=1.0 was accepted but could never be exceeded."""
    with pytest.raises(ValueError):
        CurriculumManager(**kwargs)


def test_a_level_whose_success_falls_below_the_demotion_threshold_is_locked_again():
    manager = CurriculumManager(threshold=0.5, window=4, replay_probability=0.0, demotion_threshold=0.25)
    for _ in range(4):
        manager.record(1, True)
    assert manager.current_level == 2
    assert [manager.record(2, False) for _ in range(4)] == [0, 0, 0, -1]  # 0/4 < 0.25: back to level 1
    assert manager.current_level == 1 and len(manager.history[1]) == 0 and len(manager.history[2]) == 0
    for _ in range(3):
        assert manager.record(1, True) == 0  # a full window again before promotion
    assert manager.record(1, True) == 1


def test_without_a_demotion_threshold_a_level_is_never_locked_again():
    manager = CurriculumManager(threshold=0.5, window=2, replay_probability=0.0)
    manager.record(1, True)
    manager.record(1, True)
    assert [manager.record(2, False) for _ in range(10)] == [0] * 10 and manager.current_level == 2


def test_demotion_survives_the_state_round_trip():
    manager = CurriculumManager(threshold=0.5, window=2, demotion_threshold=0.1)
    copy = CurriculumManager()
    copy.load_state_dict(manager.state_dict())
    assert copy.demotion_threshold == 0.1


def test_a_pool_shares_one_manager_fed_by_every_environment():
    """The review: each of the pool's 8 envs had its own manager, so the first promotion came after ~714 pool
    episodes instead of 100."""
    from sheetrl.env.actions import MACRO_INDEX
    from sheetrl.env.spreadsheet_env import EnvConfig
    from sheetrl.train.pool import EnvPool

    pool = EnvPool(4, EnvConfig(level="curriculum", curriculum_window=6, curriculum_threshold=0.5,
                                curriculum_replay=0.0), seed=0)
    assert pool.curriculum is not None and all(env.curriculum is pool.curriculum for env in pool.envs)
    for _ in range(2):  # every environment says "done" unsolved: eight level-1 episodes over the pool
        pool.step([MACRO_INDEX["done"]] * 4)
    assert pool.curriculum.episodes[1] == 8 and list(pool.curriculum.history[1]) == [False] * 6
    assert pool.get_state()["curriculum"]["episodes"] == {"1": 8, "2": 0, "3": 0, "4": 0, "5": 0}
    assert all(env.get_state()["curriculum"] is None for env in pool.envs)  # stored once, by the pool
