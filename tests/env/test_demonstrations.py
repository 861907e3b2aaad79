"""Demonstration files: what is saved is what the expert saw and did, and it loads back unchanged."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from sheetrl.env.demonstrations import collect, load_demonstrations, save_demonstrations
from sheetrl.env.rewards import TERMS


def test_demonstrations_round_trip_through_a_file(tmp_path: Path) -> None:
    trajectories = collect(2, 3, split="train")
    path = save_demonstrations(trajectories, tmp_path / "nested" / "l2.npz")
    data = load_demonstrations(path)
    steps = sum(len(t.actions) for t in trajectories)
    assert data["actions"].tolist() == [a for t in trajectories for a in t.actions]
    assert data["commands"].tolist() == [c for t in trajectories for c in t.commands]
    assert data["episode_starts"].tolist() == [0, len(trajectories[0].actions),
                                               len(trajectories[0].actions) + len(trajectories[1].actions)]
    assert data["reward_terms"].shape == (steps, len(TERMS))
    np.testing.assert_allclose(data["rewards"], [r for t in trajectories for r in t.rewards], rtol=1e-6)
    for key, stacked in data["obs"].items():
        np.testing.assert_array_equal(stacked, np.stack([o[key] for t in trajectories for o in t.observations]))
    assert [info["success"] for info in data["episode_info"]] == [True, True, True]
    assert data["episode_info"] == [t.info for t in trajectories]
    # Every recorded action was legal in the state it was taken in.
    assert all(data["obs"]["action_mask"][i, a] for i, a in enumerate(data["actions"]))
