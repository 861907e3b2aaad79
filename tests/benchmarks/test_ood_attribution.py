"""benchmarks/ood_attribution.py: tasks holding out one structural dimension draw exactly that one from the held-out
part, and holding out every dimension gives the ood tasks themselves."""

from __future__ import annotations

import pytest
from ood_attribution import DIMENSIONS, held_out_dimensions, ood_only_macros, tasks_holding_out

from sheetrl.env.tasks import LEVELS, make_task, ood_seed


@pytest.mark.parametrize("level", LEVELS)
def test_one_dimension_held_out_draws_only_that_one_from_the_held_out_part(level):
    for dimension in DIMENSIONS:
        found = [held_out_dimensions(t) for t in tasks_holding_out(level, [dimension], 25)]
        assert all(held <= {dimension} for held in found), (dimension, found)
        if dimension in ("phrasing", "position", "combination"):  # choices every task of every family makes
            assert all(dimension in held for held in found), (dimension, found)
    assert all(not held_out_dimensions(t) for t in tasks_holding_out(level, [], 25))


@pytest.mark.parametrize("level", LEVELS)
def test_every_dimension_held_out_gives_the_ood_tasks(level):
    for index, generated in enumerate(tasks_holding_out(level, DIMENSIONS, 10)):
        ood = make_task(level, ood_seed(index))
        assert (generated.instruction, generated.structure) == (ood.instruction, ood.structure)


def test_ood_only_macros_are_used_by_ood_experts_and_by_no_training_expert():
    from sheetrl.env.tasks import split_seed

    counts, needing = ood_only_macros(4, 40)
    trained = {name for i in range(40) for name in make_task(4, split_seed("train", i)).expert_actions or ()}
    used = [set(make_task(4, ood_seed(i)).expert_actions or ()) for i in range(40)]
    assert not set(counts) & trained
    assert all(n == sum(name in u for u in used) for name, n in counts.items())
    assert needing == sum(bool(u - trained) for u in used)


def test_a_dimension_the_level_never_draws_is_refused_and_shares_are_shown(tmp_path, capsys):
    """Pivot and model tasks make no size or spacer choice: an "only size" set there would be iid tasks under
    another name. Where a family draws a dimension only sometimes (spacers), the header says how often."""
    from ood_attribution import held_out_share, main

    assert held_out_share(5, "gaps", 30) == 0.0 and held_out_share(4, "size", 30) == 0.0
    assert held_out_share(3, "position", 30) == 1.0
    assert 0.0 < held_out_share(1, "gaps", 60) < 1.0
    run = tmp_path / "run"
    run.mkdir()
    (run / "checkpoint.pt").write_bytes(b"")
    with pytest.raises(SystemExit):
        main([str(run), "--level", "5", "--dimensions", "position,gaps"])
    assert "level 5 tasks never draw gaps" in capsys.readouterr().err


def test_an_unreadable_checkpoint_is_a_clear_error(tmp_path, capsys):
    from ood_attribution import main

    run = tmp_path / "run"
    run.mkdir()
    (run / "checkpoint.pt").write_bytes(b"")
    with pytest.raises(SystemExit):
        main([str(run), "--level", "3", "--episodes", "2", "--dimensions", "position"])
    assert "unreadable" in capsys.readouterr().err
