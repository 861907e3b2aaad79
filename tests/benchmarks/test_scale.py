"""benchmarks/scale.py: the per-round ratio pairs each round's figure with one process's in the same round."""

from __future__ import annotations

from pathlib import Path

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


@pytest.mark.slow
def test_copies_side_by_side_report_every_copy_of_every_round(tmp_path: Path) -> None:
    from scale import copies_throughput

    # Two rounds with the order rotating; each figure is the sum of its copies' steps/s, all of them trained.
    samples = copies_throughput([1, 2], level=1, rounds=2, seconds=0.2, folder=tmp_path)
    assert sorted(samples) == [1, 2]
    assert all(len(values) == 2 and all(value > 0 for value in values) for values in samples.values())
    assert sorted(path.name for path in tmp_path.iterdir()) == ["r0-1", "r0-2", "r1-1", "r1-2"]


@pytest.mark.slow
def test_a_copy_that_fails_before_the_barrier_stops_the_round_instead_of_hanging_it(tmp_path: Path) -> None:
    from scale import copies_throughput

    # Copy 1 cannot make its run folder (a file is in the way); copy 0 builds its run and waits at the barrier.
    (tmp_path / "r0-2").mkdir()
    (tmp_path / "r0-2" / "copy-1").write_text("in the way")
    with pytest.raises(SystemExit, match=r"copy 1 failed \(exit code 1\)"):
        copies_throughput([2], level=1, rounds=1, seconds=0.2, folder=tmp_path)


@pytest.mark.parametrize("arguments", [["--copies", "0"], ["--copies", "a"], ["--actors", "1,-2"], ["--rounds", "0"],
                                       ["--copy-seconds", "nan"], ["--iterations", "x"]])
def test_bad_counts_are_usage_errors(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    from scale import main

    with pytest.raises(SystemExit) as stopped:
        main(arguments)
    assert stopped.value.code == 2
    assert "expected" in capsys.readouterr().err
