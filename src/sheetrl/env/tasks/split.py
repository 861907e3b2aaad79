"""Training, iid and ood tasks: seeds and the structural held-out split.

Every task seed belongs to one split, by range:

=========  ==============================  =====================================================================
split      seeds                           structure
=========  ==============================  =====================================================================
``train``  ``[0, 2^31)``                   the training part of every structural choice
``iid``    ``2^31 + i``, i < 2^30          the training part too: new seeds, the same kinds of layout
``ood``    ``2^31 + 2^30 + i``             the held-out part of every structural choice
=========  ==============================  =====================================================================

A *structural choice* is one a generator makes through :class:`Structure`: a table's position on the sheet
(:func:`held_out_position`), its size (:func:`held_out_size`), the pattern of blank spacer rows or columns inside it
(:func:`held_out_gaps`), the instruction's phrasing (the last :data:`HELD_OUT_PHRASINGS` phrasings of every
template) and the combination of sub-template options a family lists as held out. Training tasks draw only from
the training part, ood tasks only from the held-out part, so no ood task shares a position, a size, a gap pattern,
a phrasing or a held-out combination with any training task. Each task records its choices in
:attr:`~sheetrl.env.tasks.base.Task.structure` (tests check the partition on thousands of tasks).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import Any, TypeVar

TRAIN, IID, OOD = "train", "iid", "ood"
SPLITS = (TRAIN, IID, OOD)
EVAL_SEED_OFFSET = 2**31
OOD_SEED_OFFSET = 2**31 + 2**30
SPLIT_SIZE = 2**30  # seeds per evaluation split
HELD_OUT_PHRASINGS = 2  # the last phrasings of every template are ood-only
MIN_PHRASINGS = 5 + HELD_OUT_PHRASINGS

T = TypeVar("T")


def split_of(seed: int) -> str:
    """The split a task seed belongs to."""
    if seed < EVAL_SEED_OFFSET:
        return TRAIN
    return IID if seed < OOD_SEED_OFFSET else OOD


def split_seed(split: str, index: int) -> int:
    """The index-th seed of a split (training seeds are the indices themselves)."""
    if split not in SPLITS:
        raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
    limit = EVAL_SEED_OFFSET if split == TRAIN else SPLIT_SIZE
    if not 0 <= index < limit:
        raise ValueError(f"the {split} split has seeds 0..{limit - 1}, not {index}")
    return index + {TRAIN: 0, IID: EVAL_SEED_OFFSET, OOD: OOD_SEED_OFFSET}[split]


def eval_seed(index: int) -> int:
    """The index-th iid evaluation seed (disjoint from every training seed)."""
    return split_seed(IID, index)


def ood_seed(index: int) -> int:
    """The index-th ood evaluation seed."""
    return split_seed(OOD, index)


def is_eval_seed(seed: int) -> bool:
    return seed >= EVAL_SEED_OFFSET


# ------------------------------------------------------------------------------------------- the partitions
def held_out_position(top: int, left: int) -> bool:
    """Diagonal stripes of 3-row by 2-column blocks, a quarter of all top-left cells: ood tables start there."""
    return (top // 3 + left // 2) % 4 == 3


def held_out_size(rows: int, cols: int) -> bool:
    """A quarter of the (data rows, data columns) pairs, spread over every row count and column count."""
    return (3 * rows + cols) % 4 == 0


def held_out_gaps(pattern: tuple[int, ...]) -> bool:
    """Spacer patterns (positions of blank rows or columns inside a table) whose positions sum to 1 mod 3."""
    return bool(pattern) and sum(pattern) % 3 == 1


class Structure:
    """Makes a generator's structural choices inside one split's part, and records them.

    :param rng: the task's random generator (choices stay deterministic in the seed).
    :param split: the task's split; ``iid`` draws like ``train``.
    """

    def __init__(self, rng: random.Random, split: str) -> None:
        if split not in SPLITS:
            raise ValueError(f"split must be one of {SPLITS}, not {split!r}")
        self.rng = rng
        self.split = split
        self.held_out = split == OOD
        self.record: dict[str, Any] = {}

    def phrasing(self, name: str, phrasings: Sequence[str]) -> str:
        """One of a template's phrasings: the held-out ones are the last :data:`HELD_OUT_PHRASINGS`."""
        if len(phrasings) < MIN_PHRASINGS:
            raise ValueError(f"template {name!r} has {len(phrasings)} phrasings; at least {MIN_PHRASINGS} are needed")
        first = len(phrasings) - HELD_OUT_PHRASINGS
        index = self.rng.randrange(first, len(phrasings)) if self.held_out else self.rng.randrange(first)
        self.record[f"phrasing:{name}"] = index
        return phrasings[index]

    def position(self, name: str, tops: range, lefts: range) -> tuple[int, int]:
        """A top-left cell from ``tops`` x ``lefts`` in this split's part (:func:`held_out_position`)."""
        for _ in range(200):
            top, left = self.rng.choice(tops), self.rng.choice(lefts)
            if held_out_position(top, left) == self.held_out:
                self.record[f"position:{name}"] = (top, left)
                return top, left
        candidates = [(t, c) for t in tops for c in lefts if held_out_position(t, c) == self.held_out]
        if not candidates:
            raise ValueError(f"no {'held-out' if self.held_out else 'training'} position for {name} in rows "
                             f"{tops.start}-{tops.stop - 1}, columns {lefts.start}-{lefts.stop - 1}: "
                             "make the sheet larger")
        top, left = self.rng.choice(candidates)
        self.record[f"position:{name}"] = (top, left)
        return top, left

    def size(self, name: str, rows: range, cols: range) -> tuple[int, int]:
        """(data rows, data columns) from ``rows`` x ``cols`` in this split's part (:func:`held_out_size`)."""
        candidates = [(r, c) for r in rows for c in cols if held_out_size(r, c) == self.held_out]
        if not candidates:
            raise ValueError(f"no {'held-out' if self.held_out else 'training'} size for {name} in {rows} x {cols}")
        choice = self.rng.choice(candidates)
        self.record[f"size:{name}"] = choice
        return choice

    def gaps(self, name: str, length: int, count: int) -> tuple[int, ...]:
        """Positions 1..length-1 of ``count`` blank spacers inside a run of ``length`` rows or columns, in this
        split's part (:func:`held_out_gaps`); () when there is no room."""
        if count < 1 or length < 2:
            self.record[f"gaps:{name}"] = ()
            return ()
        inner = range(1, length)
        for _ in range(100):
            pattern = tuple(sorted(self.rng.sample(inner, min(count, len(inner)))))
            if held_out_gaps(pattern) == self.held_out:
                self.record[f"gaps:{name}"] = pattern
                return pattern
        self.record[f"gaps:{name}"] = ()
        return ()

    def combination(self, name: str, train: Sequence[T], held_out: Sequence[T]) -> T:
        """One option of a family's sub-template combinations; ``held_out`` ones only in ood tasks."""
        options = held_out if self.held_out else train
        choice = self.rng.choice(list(options))
        self.record[f"combination:{name}"] = choice
        return choice

    def choice(self, name: str, options: Sequence[T]) -> T:
        """A free choice (the same options in every split), recorded."""
        choice = self.rng.choice(list(options))
        self.record[f"choice:{name}"] = choice
        return choice
