"""benchmarks/avoid_repeats.py: the per-template counts play the same episodes as the figures beside them."""

from __future__ import annotations

from pathlib import Path

import avoid_repeats
import pytest

import sheetrl.train.evaluate as evaluate
from sheetrl.cli import main

QUIET = ["--wandb", "disabled", "--no-tensorboard", "--no-progress"]


def test_the_per_template_counts_use_the_runs_step_budget(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys) -> None:
    run_dir = tmp_path / "run"
    assert main(["train", "--algo", "tabular_q", "--level", "1", "--total-steps", "8", "--max-steps", "3",
                 "--run-dir", str(run_dir), "--eval-episodes", "0", *QUIET]) == 0
    budgets = []
    play = evaluate.run_task_episodes

    def spy(policy, tasks, **options):
        budgets.append(options.get("max_steps"))
        return play(policy, tasks, **options)

    monkeypatch.setattr(evaluate, "run_task_episodes", spy)
    counts = avoid_repeats.solved_by_template(str(run_dir), 1, 2, avoid_repeats=True)
    assert budgets == [3]  # evaluate_run plays the run's episodes with max_steps 3; the counts must too
    assert sum(played for _, played in counts.values()) == 2


def test_runs_it_cannot_evaluate_both_ways_are_named_in_one_line_before_anything_is_played(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """An alphazero run plays with its own search (refused with avoiding repeats) and a run of another flat layout
    is refused: each was found only after a whole evaluation had been played, with a traceback."""
    import torch

    searching, old = tmp_path / "alphazero", tmp_path / "old"
    assert main(["train", "--algo", "alphazero", "--level", "1", "--total-steps", "8", "--run-dir", str(searching),
                 "--eval-episodes", "0", "--set", "num_envs=2", *QUIET]) == 0
    assert main(["train", "--algo", "tabular_q", "--level", "1", "--total-steps", "8", "--run-dir", str(old),
                 "--eval-episodes", "0", *QUIET]) == 0
    stored = torch.load(old / "checkpoint.pt", weights_only=False)
    stored.pop("flat_layout")
    torch.save(stored, old / "checkpoint.pt")
    played = []
    monkeypatch.setattr(evaluate, "evaluate_run", lambda *args, **kwargs: played.append(args))
    for run, message in ((searching, "plays with its own search"), (old, "learnt another layout")):
        monkeypatch.setattr("sys.argv", ["avoid_repeats.py", str(run), "--episodes", "2"])
        with pytest.raises(SystemExit) as stopped:
            avoid_repeats.main()
        assert str(stopped.value).startswith("error: ") and message in str(stopped.value)
        assert "\n" not in str(stopped.value) and not played
    monkeypatch.setattr("sys.argv", ["avoid_repeats.py", str(old), "--episodes", "0"])
    with pytest.raises(SystemExit, match="--episodes must be at least 1"):
        avoid_repeats.main()


def test_the_per_template_counts_cover_every_evaluated_level(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                             capsys) -> None:
    """A curriculum evaluation pools levels ("1,2"): --by-template counted int("1,2") and stopped."""
    run_dir = tmp_path / "run"
    assert main(["train", "--algo", "tabular_q", "--level", "1", "--total-steps", "8", "--run-dir", str(run_dir),
                 "--eval-episodes", "0", *QUIET]) == 0
    counted = []

    def report(run, episodes, level, avoid_repeats):
        results = {split: {lv: evaluate.EvalResult("agent", lv, episodes, 1, 0.0, 3.0) for lv in (1, 2)}
                   for split in evaluate.EVAL_SPLITS}
        return evaluate.EvalReport({"agent": results}, avoid_repeats=avoid_repeats)

    monkeypatch.setattr(evaluate, "evaluate_run", report)
    monkeypatch.setattr(avoid_repeats, "solved_by_template", lambda run, level, episodes, avoid: counted.append(
        level) or {f"template{level}": [1, episodes]})
    monkeypatch.setattr("sys.argv", ["avoid_repeats.py", str(run_dir), "--episodes", "2", "--by-template"])
    assert avoid_repeats.main() == 0
    assert counted == [1, 2, 1, 2]  # each level's ood tasks, as it plays and avoiding repeats
    assert "ood solved per template, as it plays: template1 1/2, template2 1/2" in capsys.readouterr().out
