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
    counts = avoid_repeats.by_template(*avoid_repeats.play_split(str(run_dir), 1, "ood", 2, avoid_repeats=True)[:2])
    assert budgets == [3]  # evaluate_run plays the run's episodes with max_steps 3; the counts must too
    assert sum(played for _, played in counts.values()) == 2


def test_the_per_template_counts_of_each_split_add_up_to_its_figures(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """--by-template counts iid tasks as well as ood ones, and each split's counts are the episodes played for its
    success rate: the same tasks, the same successes."""
    import json

    run_dir, out = tmp_path / "run", tmp_path / "rows.jsonl"
    assert main(["train", "--algo", "tabular_q", "--level", "1", "--total-steps", "64", "--max-steps", "6",
                 "--run-dir", str(run_dir), "--eval-episodes", "0", *QUIET]) == 0
    monkeypatch.setattr("sys.argv", ["avoid_repeats.py", str(run_dir), "--episodes", "3", "--by-template",
                                     "--out", str(out)])
    assert avoid_repeats.main() == 0
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert sorted((row["split"], row["avoid_repeats"]) for row in rows) == [
        ("iid", False), ("iid", True), ("ood", False), ("ood", True)]
    for row in rows:
        won = sum(solved for solved, _ in row["by_template"].values())
        played = sum(count for _, count in row["by_template"].values())
        assert (won, played) == (row["successes"], row["episodes"]) == (row["successes"], 3)


def test_runs_it_cannot_evaluate_both_ways_are_named_in_one_line_before_anything_is_played(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys) -> None:
    """A run of another flat layout, and search asked of a run without a policy network, are refused: each was
    found only after a whole evaluation had been played, with a traceback."""
    import torch

    old, table = tmp_path / "old", tmp_path / "table"
    for run in (old, table):
        assert main(["train", "--algo", "tabular_q", "--level", "1", "--total-steps", "8", "--run-dir", str(run),
                     "--eval-episodes", "0", *QUIET]) == 0
    stored = torch.load(old / "checkpoint.pt", weights_only=False)
    stored.pop("flat_layout")
    torch.save(stored, old / "checkpoint.pt")
    played = []
    monkeypatch.setattr(evaluate, "evaluate_run", lambda *args, **kwargs: played.append(args))
    for run, more, message in ((old, [], "learnt another layout"), (table, ["--search-sims", "4"], "has none")):
        monkeypatch.setattr("sys.argv", ["avoid_repeats.py", str(run), "--episodes", "2", *more])
        with pytest.raises(SystemExit) as stopped:
            avoid_repeats.main()
        assert str(stopped.value).startswith("error: ") and message in str(stopped.value)
        assert "\n" not in str(stopped.value) and not played
    for flags, message in ((["--episodes", "0"], "--episodes must be at least 1"),
                           (["--search-sims", "0"], "--search-sims must be at least 1")):
        monkeypatch.setattr("sys.argv", ["avoid_repeats.py", str(old), *flags])
        with pytest.raises(SystemExit, match=message):
            avoid_repeats.main()


class Pendulum:
    """Down, up, down, up ...: back in its first state every second step."""

    name = "pendulum"

    def start(self, slot, env, episode) -> None:
        self.turn = 0

    def act(self, obs, masks, slots):
        import numpy as np

        from sheetrl.env.actions import MACRO_INDEX

        self.turn += 1
        return np.asarray([MACRO_INDEX[("move_down", "move_up")[self.turn % 2]]] * len(slots))


def test_the_loop_watcher_flags_episodes_that_take_an_action_twice_from_one_state() -> None:
    from sheetrl.env.tasks import OOD, make_task, split_seed

    tasks = [make_task(1, split_seed(OOD, episode)) for episode in range(3)]
    pendulum = avoid_repeats.LoopWatcher(Pendulum())
    evaluate.run_task_episodes(pendulum, tasks, max_steps=8, batch=1)
    assert pendulum.looped == {0: True, 1: True, 2: True}
    expert = avoid_repeats.LoopWatcher(evaluate.ExpertPolicy())
    _, successes = evaluate.run_task_episodes(expert, tasks, batch=1)
    assert all(successes) and expert.looped == {0: False, 1: False, 2: False}
