"""Demonstration files: what is saved is what the expert saw and did, and it loads back unchanged."""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from sheetrl.env.demonstrations import collect, load_demonstrations, save_demonstrations
from sheetrl.env.rewards import TERMS
from sheetrl.sheet.fileio import UnsafeFileError


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


def test_a_named_pipe_is_not_read_and_a_link_is_not_written_through(tmp_path: Path, named_pipe) -> None:
    named_pipe(tmp_path / "pipe.npz")
    with pytest.raises(ValueError, match=r"pipe.npz is not a regular file \(it is a named pipe\)"):
        load_demonstrations(tmp_path / "pipe.npz")
    target = tmp_path / "target.npz"
    target.write_bytes(b"precious")
    (tmp_path / "link.npz").symlink_to(target)
    with pytest.raises(UnsafeFileError, match="is a symbolic link"):
        save_demonstrations(collect(1, 1), tmp_path / "link.npz")
    assert target.read_bytes() == b"precious" and (tmp_path / "link.npz").is_symlink()
    assert sorted(os.listdir(tmp_path)) == ["link.npz", "pipe.npz", "target.npz"]


def test_episode_info_nested_too_deeply_is_not_a_demonstrations_file(tmp_path: Path) -> None:
    path = save_demonstrations(collect(1, 1), tmp_path / "demos.npz")
    with np.load(path) as data:
        arrays = {name: data[name] for name in data.files}
    arrays["episode_info"] = np.array(["[" * 100_000 + "]" * 100_000])
    np.savez(path, **arrays)
    with pytest.raises(ValueError, match=r"is not a demonstrations file .*nested more than 100 levels deep"):
        load_demonstrations(path)
