"""Curriculum manager: advancing, replay, serialization."""

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
    assert manager.record(1, True) is False  # T T F T T
    assert manager.record(1, True) is False  # T F T T T
    assert manager.record(1, True) is False  # F T T T T
    assert manager.record(1, True)  # T T T T T = 1.0
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
    "kwargs", [{"threshold": 0}, {"threshold": 1.5}, {"window": 0}, {"replay_probability": -0.1}, {"levels": (2, 1)}]
)
def test_bad_settings_raise(kwargs):
    with pytest.raises(ValueError):
        CurriculumManager(**kwargs)
