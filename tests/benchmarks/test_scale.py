"""benchmarks/scale.py: the per-round ratio pairs each round's figure with one process's in the same round."""

from __future__ import annotations

import pytest
from scale import paired_ratios


def test_paired_ratios_divide_within_a_round_not_across_rounds() -> None:
    # One process had two slow rounds, the other kind none: each round's own ratio is 1 or 2 (median 1.5), where
    # the medians' ratio (1,000 / 750) would say 1.33.
    one_process = [1000.0, 500.0, 500.0, 1000.0]
    other = [1000.0, 1000.0, 1000.0, 1000.0]
    assert paired_ratios(other, one_process) == "1.50× (1.00–2.00)"
    assert paired_ratios([3.0, 1.0], [2.0, 2.0]) == "1.00×"  # under four rounds: the median alone


def test_paired_ratios_need_one_figure_per_round_of_each() -> None:
    with pytest.raises(ValueError):
        paired_ratios([1.0, 2.0], [1.0])
