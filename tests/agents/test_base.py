"""What every agent shares (agents/base.py): saving to and loading from a file."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from sheetrl.agents.tabular_q import PRESETS, build
from sheetrl.env.observation import flat_fingerprint
from sheetrl.env.spreadsheet_env import SpreadsheetEnv


def _agent():
    env = SpreadsheetEnv(level=1)
    return build(PRESETS["quick"], env.observation_space, env.action_space, "cpu", None, 0)


def test_an_agent_file_records_the_flat_layout_and_another_layout_is_refused(tmp_path: Path) -> None:
    """Agent.load is a way in that does not pass through the checkpoint's check: a tabular Q table keyed by
    another flat layout would load silently and never match a state again."""
    path = tmp_path / "agent.pt"
    _agent().save(path)
    assert torch.load(path, weights_only=False)["flat_layout"] == flat_fingerprint()
    _agent().load(path)
    for saved in ({"flat_layout": "0123456789abcdef"}, {}):  # another layout; saved before layouts were recorded
        stored = torch.load(path, weights_only=False)
        stored.pop("flat_layout")
        torch.save({**stored, **saved}, path)
        with pytest.raises(ValueError, match="learnt another layout of the flat observation"):
            _agent().load(path)


def test_a_generator_state_from_another_device_seeds_the_generator_reproducibly() -> None:
    from sheetrl.agents.base import load_generator_state

    saved = torch.Generator().manual_seed(7)
    torch.rand(3, generator=saved)
    same_kind = torch.Generator()
    load_generator_state(same_kind, saved.get_state())
    # the same kind of device: the same draws
    assert torch.equal(torch.rand(4, generator=same_kind), torch.rand(4, generator=saved))
    # A CUDA generator's state is 16 bytes (seed and offset); a CPU generator cannot take it.
    cuda_state = torch.tensor([7, 0, 0, 0, 0, 0, 0, 0, 64, 0, 0, 0, 0, 0, 0, 0], dtype=torch.uint8)
    first, second = torch.Generator(), torch.Generator()
    load_generator_state(first, cuda_state)
    load_generator_state(second, cuda_state)
    assert torch.equal(torch.rand(4, generator=first), torch.rand(4, generator=second))
