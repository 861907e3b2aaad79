"""benchmarks/search.py: the settings it alternates, and rows with and without rollouts in one table."""

from __future__ import annotations

import search


def test_rollouts_are_alternated_with_every_count_above_one() -> None:
    assert search.settings_of([1, 4, 16], [0.0, 0.5]) == [(1, 0.0), (4, 0.0), (4, 0.5), (16, 0.0), (16, 0.5)]
    assert search.settings_of([1], [0.5]) == [(1, 0.0)]  # one simulation plays the prior, rollouts or not
    assert search.settings_of([4], [0.0]) == [(4, 0.0)]
    assert search.settings_of([1, 4], [0.5]) == [(1, 0.0), (4, 0.5)]  # the one-simulation baseline stays


def test_a_repeated_setting_is_played_once() -> None:
    """A repeated count or weight (or 0 written as -0) would play each episode twice into one tally: a success rate
    above 1."""
    assert search.settings_of([4, 4], [0.5, 0.5]) == [(4, 0.5)]
    assert search.settings_of([4], [0.0, -0.0]) == [(4, 0.0)]


def test_the_table_labels_rollouts_and_pools_them_apart() -> None:
    base = {"algo": "ppo", "train_level": 5, "env_steps": 100, "level": 5, "split": "ood", "episodes": 10,
            "ci_low": 0.1, "ci_high": 0.9, "mean_return": 1.0, "mean_length": 20.0, "seconds_per_move": 0.01,
            "cpu_seconds_per_move": 0.01}
    rows = [dict(base, run=f"r{seed}", seed=seed, simulations=16, rollout_weight=weight, successes=successes,
                 success_rate=successes / 10)
            for seed in (1, 2) for weight, successes in ((0.0, 5), (0.5, 9))]
    rows.append(dict(base, run="r3", seed=3, simulations=16, successes=4, success_rate=0.4))  # an older row
    text = search.table(rows)
    assert text.count("| 16 + rollouts 0.5 |") == 3  # two runs and their pooled row
    assert "| ppo L5 (100) | 3 | L5 ood | 16 | 30 | 0.467 |" in text  # without rollouts: r1, r2 and the older r3
    assert "| ppo L5 (100) | 2 | L5 ood | 16 + rollouts 0.5 | 20 | 0.900 |" in text
