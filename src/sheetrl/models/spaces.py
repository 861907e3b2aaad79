"""Sizes and vocabularies a network needs, read from the environment's Gymnasium spaces.

Models never import the environment's internals: a grid of another size, a longer instruction or a larger
vocabulary changes the spaces, and a model built from the new spaces fits them. :class:`ObservationSizes` is
that reading, done once when a model is built; a key the space lacks reads as size 0 (the model part that needs
it cannot be switched on).

Observation keys (see ``sheetrl.env.observation``): ``grid`` (C, H, W) float, ``cell_tokens`` (H·W, F) int,
``instruction`` (L,) int (0 = padding), ``edges`` (2, E) int (padded with H·W), ``formula_chain`` (K,) int
(0 = padding), ``flat`` (D,) float, ``action_mask`` (N,) int. Two optional keys the models accept although the
environment does not provide them yet: ``action_history`` (K,) int64, the previous macro actions, most recent
first, padded with :data:`ACTION_HISTORY_PAD`; ``cell_mask`` (H·W,) bool, False for cells that are padding.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

ACTION_HISTORY_PAD = -1  # padding id of ``action_history`` (any negative id counts as padding)


@dataclass(frozen=True)
class ObservationSizes:
    """What a model reads off the spaces (0 where the space has no such key)."""

    channels: int  # grid channels C
    rows: int  # grid rows H
    cols: int  # grid columns W
    cell_vocabularies: tuple[int, ...]  # per cell-token field: ids run over 0..size-1
    instruction_length: int  # L
    instruction_vocabulary: int
    chain_length: int  # formula-chain length
    chain_vocabulary: int
    max_edges: int  # E
    flat_size: int  # D
    num_actions: int  # N macro actions
    history_length: int  # K of ``action_history`` when the space has it

    @property
    def cells(self) -> int:
        """H·W."""
        return self.rows * self.cols

    @classmethod
    def from_spaces(cls, observation_space: Any, action_space: Any) -> ObservationSizes:
        """Read a ``Dict`` observation space and a ``Discrete`` action space; raises ValueError naming what is
        missing or malformed."""
        spaces = getattr(observation_space, "spaces", None)
        if spaces is None:
            raise ValueError(f"a model needs a Dict observation space, not {observation_space!r}")
        num_actions = getattr(action_space, "n", None)
        if num_actions is None or int(num_actions) < 1:
            raise ValueError(f"a model needs a Discrete action space, not {action_space!r}")

        def shape(key: str) -> tuple[int, ...]:
            return tuple(int(s) for s in spaces[key].shape) if key in spaces else ()

        def vocabulary(key: str) -> int:
            return int(np.max(spaces[key].high)) + 1 if key in spaces else 0

        channels, rows, cols = shape("grid") or (0, 0, 0)
        cell_vocabularies: tuple[int, ...] = ()
        if "cell_tokens" in spaces:
            tokens = spaces["cell_tokens"]
            if len(tokens.shape) != 2:
                raise ValueError(f"cell_tokens must be (cells, fields), not {tokens.shape}")
            if rows and tokens.shape[0] != rows * cols:
                raise ValueError(f"cell_tokens has {tokens.shape[0]} cells but the grid {rows}x{cols}")
            high = np.broadcast_to(np.asarray(tokens.high), tokens.shape)
            cell_vocabularies = tuple(int(h) + 1 for h in high.max(axis=0))
        edges = shape("edges")
        if edges and edges[0] != 2:
            raise ValueError(f"edges must be (2, E), not {edges}")
        return cls(
            channels=channels, rows=rows, cols=cols, cell_vocabularies=cell_vocabularies,
            instruction_length=(shape("instruction") or (0,))[0], instruction_vocabulary=vocabulary("instruction"),
            chain_length=(shape("formula_chain") or (0,))[0], chain_vocabulary=vocabulary("formula_chain"),
            max_edges=edges[1] if edges else 0, flat_size=int(np.prod(shape("flat"))) if "flat" in spaces else 0,
            num_actions=int(num_actions), history_length=(shape("action_history") or (0,))[0],
        )

    def require(self, *keys: str) -> None:
        """Raise ValueError if the observation space lacks one of ``keys``."""
        present = {
            "grid": self.channels > 0, "cell_tokens": bool(self.cell_vocabularies),
            "instruction": self.instruction_length > 0, "formula_chain": self.chain_length > 0,
            "edges": self.max_edges > 0, "flat": self.flat_size > 0,
        }
        missing = [key for key in keys if not present.get(key, False)]
        if missing:
            raise ValueError(f"the observation space has no {', '.join(missing)}; this model part reads it")
