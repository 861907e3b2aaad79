"""Checkpoints survive crashes: a save that dies half-way leaves the previous checkpoint loadable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch

from sheetrl.train.checkpoint import (
    CHECKPOINT_FILE,
    PREVIOUS_FILE,
    CheckpointError,
    load_checkpoint,
    load_latest,
    save_checkpoint,
)

REPO = Path(__file__).resolve().parents[2]


def payload(marker: int) -> dict:
    return {"config": {"marker": marker}, "agent": {"weights": torch.full((64,), float(marker))}, "pool": {},
            "counters": {"env_steps": marker, "episodes": 0, "iterations": 0}, "runner": {}, "rng": {}}


def test_saves_keep_the_latest_and_the_previous_checkpoint(tmp_path: Path) -> None:
    save_checkpoint(tmp_path, payload(1))
    save_checkpoint(tmp_path, payload(2))
    save_checkpoint(tmp_path, payload(3))
    assert sorted(p.name for p in tmp_path.iterdir()) == [PREVIOUS_FILE, CHECKPOINT_FILE]
    latest, path = load_latest(tmp_path)
    assert path.name == CHECKPOINT_FILE and latest["counters"]["env_steps"] == 3
    assert load_checkpoint(tmp_path / PREVIOUS_FILE)["counters"]["env_steps"] == 2
    assert latest["format"] == "sheetrl-checkpoint" and latest["version"] == 1


def test_a_save_that_fails_half_way_leaves_the_previous_checkpoint(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    save_checkpoint(tmp_path, payload(1))
    real_save = torch.save

    def crash_mid_write(obj, stream, *args, **kwargs):
        stream.write(b"PK\x03\x04 half a checkpoint")
        raise OSError("disk full")

    monkeypatch.setattr(torch, "save", crash_mid_write)
    with pytest.raises(OSError, match="disk full"):
        save_checkpoint(tmp_path, payload(2))
    monkeypatch.setattr(torch, "save", real_save)
    restored, path = load_latest(tmp_path)
    assert restored["counters"]["env_steps"] == 1
    assert path.name == PREVIOUS_FILE
    assert not list(tmp_path.glob("*.tmp"))
    save_checkpoint(tmp_path, payload(3))  # and the run goes on saving normally
    assert load_latest(tmp_path)[0]["counters"]["env_steps"] == 3


CRASHING_SAVER = """
import os, signal, sys, torch
from sheetrl.train.checkpoint import save_checkpoint
run_dir = sys.argv[1]
save_checkpoint(run_dir, {"config": {}, "agent": {"w": torch.ones(4)}, "pool": {}, "counters": {"env_steps": 1},
                          "runner": {}, "rng": {}})
def die_mid_write(obj, stream, *args, **kwargs):
    stream.write(b"PK\\x03\\x04" + b"x" * 4096)
    stream.flush()
    os.kill(os.getpid(), signal.SIGKILL)
torch.save = die_mid_write
save_checkpoint(run_dir, {"config": {}, "agent": {"w": torch.zeros(4)}, "pool": {}, "counters": {"env_steps": 2},
                          "runner": {}, "rng": {}})
"""


def test_a_process_killed_during_a_save_leaves_a_loadable_checkpoint(tmp_path: Path) -> None:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO / "src"), str(REPO)]))
    result = subprocess.run([sys.executable, "-c", CRASHING_SAVER, str(tmp_path)], env=env, capture_output=True,
                            timeout=120)
    assert result.returncode == -9, result.stderr.decode()
    assert list(tmp_path.glob("*.tmp")), "the killed save left its partial temporary file"
    restored, _ = load_latest(tmp_path)
    assert restored["counters"]["env_steps"] == 1
    assert torch.equal(restored["agent"]["w"], torch.ones(4))
    save_checkpoint(tmp_path, payload(5))
    assert not list(tmp_path.glob("*.tmp")), "the next save cleans up what the killed one left"


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty"])
def test_a_corrupt_latest_checkpoint_falls_back_to_the_previous(tmp_path: Path, damage: str) -> None:
    save_checkpoint(tmp_path, payload(1))
    save_checkpoint(tmp_path, payload(2))
    latest = tmp_path / CHECKPOINT_FILE
    data = latest.read_bytes()
    latest.write_bytes({"truncate": data[: len(data) // 2], "garbage": b"not a checkpoint", "empty": b""}[damage])
    restored, path = load_latest(tmp_path)
    assert path.name == PREVIOUS_FILE and restored["counters"]["env_steps"] == 1


def test_no_usable_checkpoint_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CheckpointError, match="does not exist"):
        load_latest(tmp_path / "missing")
    (tmp_path / CHECKPOINT_FILE).write_bytes(b"junk")
    with pytest.raises(CheckpointError) as caught:
        load_latest(tmp_path)
    message = str(caught.value)
    assert message.startswith(f"no usable checkpoint in {tmp_path}: ")
    assert "checkpoint.pt is unreadable" in message and "checkpoint.prev.pt does not exist" in message
    torch.save({"something": "else"}, tmp_path / CHECKPOINT_FILE)
    with pytest.raises(CheckpointError, match="is not a sheetrl checkpoint"):
        load_checkpoint(tmp_path / CHECKPOINT_FILE)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_checkpoint_that_is_a_named_pipe_is_unreadable_not_waited_on(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / CHECKPOINT_FILE)
    with pytest.raises(CheckpointError, match=r"is unreadable .*is not a regular file \(it is a named pipe\)"):
        load_checkpoint(tmp_path / CHECKPOINT_FILE)
    save_checkpoint(tmp_path / "run", payload(1))
    (tmp_path / "run" / PREVIOUS_FILE).symlink_to(tmp_path / "elsewhere.pt")
    save_checkpoint(tmp_path / "run", payload(2))  # the latest moves over the link (a rename), never through it
    assert not (tmp_path / "elsewhere.pt").exists()


def test_temporary_files_of_an_interrupted_save_are_removed_by_the_next(tmp_path: Path) -> None:
    for name in (".checkpoint.pt.0123456789ab.tmp", "checkpoint.pt4x2ab.tmp"):  # this version's, older versions'
        (tmp_path / name).write_bytes(b"half")
    save_checkpoint(tmp_path, payload(1))
    assert sorted(path.name for path in tmp_path.iterdir()) == [CHECKPOINT_FILE]


def test_a_run_that_learnt_another_flat_layout_is_refused(tmp_path: Path) -> None:
    from sheetrl.env.observation import flat_fingerprint
    from sheetrl.train.checkpoint import LAYOUT_BEFORE_FINGERPRINTS

    save_checkpoint(tmp_path, payload(1))
    latest, _ = load_latest(tmp_path)
    assert latest["flat_layout"] == flat_fingerprint() != LAYOUT_BEFORE_FINGERPRINTS
    for saved in ({"flat_layout": "0123456789abcdef"}, {}):  # another layout; saved before layouts were recorded
        stored = torch.load(tmp_path / CHECKPOINT_FILE, weights_only=False)
        stored.pop("flat_layout")
        torch.save({**stored, **saved}, tmp_path / CHECKPOINT_FILE)
        with pytest.raises(CheckpointError) as caught:
            load_latest(tmp_path)
        expected = saved.get("flat_layout", LAYOUT_BEFORE_FINGERPRINTS)
        assert str(caught.value) == (f"the run in {tmp_path} learnt another layout of the flat observation (layout "
                                     f"{expected}; this version of sheetrl builds {flat_fingerprint()}): train it "
                                     f"again with this version")


@pytest.mark.parametrize(("agent_config", "refused"), [
    ({"policy": "transformer"}, False),  # SpreadsheetGPT reads cells, tokens and words, never flat
    ({"policy": "encoder", "encoder_parts": ("gnn", "cnn", "formula_lstm", "instruction")}, False),
    ({"policy": "encoder"}, False),  # saved before encoder_parts existed: the default parts, without flat
    ({"policy": "encoder", "encoder_parts": ("cnn", "flat")}, True),
    ({"policy": "mlp"}, True),
    ({"epsilon": 0.1}, True),  # no policy setting (tabular Q, hierarchical): flat
])
def test_only_a_run_whose_networks_read_flat_is_refused_for_another_flat_layout(
        tmp_path: Path, agent_config: dict, refused: bool) -> None:
    """A transformer or an encoder without its flat part never reads the flat vector: a run saved before layouts
    were recorded (or with another one) still evaluates, resumes and starts others."""
    save_checkpoint(tmp_path, {**payload(1), "agent": {"name": "ppo", "config": agent_config, "state": {}}})
    stored = torch.load(tmp_path / CHECKPOINT_FILE, weights_only=False)
    stored.pop("flat_layout")
    torch.save(stored, tmp_path / CHECKPOINT_FILE)
    if refused:
        with pytest.raises(CheckpointError, match="learnt another layout of the flat observation"):
            load_latest(tmp_path)
    else:
        assert load_latest(tmp_path)[0]["counters"]["env_steps"] == 1
