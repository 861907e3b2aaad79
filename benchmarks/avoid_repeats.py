"""What never taking an action twice from one state is worth to a trained policy, and where its failures are.

Evaluates each run's latest checkpoint on the same held-out tasks twice: as it plays (``sheetrl eval``) and with
``--avoid-repeats`` (:class:`sheetrl.train.evaluate.AvoidRepeats`: in a state the episode has been in before, the
actions already taken there are masked out, so a policy that went round a loop takes its next choice). Both splits,
the run's level (or ``--level``), the same episodes for both, one JSON line per run and split; then a markdown table
with the per-seed figures and the pooled success of all runs with the Wilson 95% interval.

    python3 benchmarks/avoid_repeats.py RUN [RUN ...] --episodes 200 [--level 3] [--out FILE.jsonl]

``--by-template`` also counts, per split and task template, the tasks each way solves (where the remaining failures
are);
``--loops`` counts the ood tasks failed as the run plays and, of those, the ones in which it took an action twice
from one state (a loop); ``--search-sims N`` plays both ways with tree search on top (avoiding repeats, the
search's root considers only the actions not yet taken from the state).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))


def play_split(run: str, level: int, split: str, episodes: int, avoid_repeats: bool,
               search_sims: int | None = None) -> tuple[list[Any], list[bool], dict[int, bool]]:
    """The first ``episodes`` tasks of ``level``'s ``split`` (iid or ood) played by the run (with the run's step
    budget, as evaluate_run plays them): the tasks, each one's success, and whether each episode took an action
    twice from one state."""
    from sheetrl.env.tasks import make_task, split_seed
    from sheetrl.train import evaluate
    from sheetrl.train.checkpoint import load_latest
    from sheetrl.train.config import TrainConfig
    from sheetrl.train.runner import restore_agent

    payload, _ = load_latest(run)
    watcher = LoopWatcher(evaluate.agent_policy(restore_agent(payload), search_sims, avoid_repeats))
    tasks = [make_task(level, split_seed(split, episode)) for episode in range(episodes)]
    max_steps = TrainConfig.from_dict(payload["config"]).max_steps
    _, successes = evaluate.run_task_episodes(watcher, tasks, max_steps=max_steps)
    return tasks, successes, watcher.looped


def by_template(tasks: list[Any], successes: list[bool]) -> dict[str, list[int]]:
    """{template: [solved, played]} of played tasks."""
    counts: Counter[str] = Counter()
    solved: Counter[str] = Counter()
    for task, success in zip(tasks, successes):
        counts[task.template] += 1
        solved[task.template] += int(success)
    return {template: [solved[template], counts[template]] for template in sorted(counts)}


def failed_and_looped(successes: list[bool], looped: dict[int, bool]) -> list[int]:
    """[failed, failed after taking an action twice from one state] of played episodes."""
    failed = [episode for episode, success in enumerate(successes) if not success]
    return [len(failed), sum(looped[episode] for episode in failed)]


class LoopWatcher:
    """Wraps an evaluation policy and notes, per episode, whether it took an action twice from one state."""

    def __init__(self, policy: Any) -> None:
        self.policy = policy
        self.name = policy.name
        self.envs: dict[int, Any] = {}
        self.episode_of: dict[int, int] = {}
        self.taken: dict[int, set[tuple[Any, int]]] = {}
        self.looped: dict[int, bool] = {}

    def start(self, slot: int, env: Any, episode: int) -> None:
        self.policy.start(slot, env, episode)
        self.envs[slot], self.episode_of[slot], self.taken[slot] = env, episode, set()
        self.looped[episode] = False

    def act(self, obs: dict[str, Any], masks: Any, slots: list[int]) -> Any:
        keys = [self.envs[slot].state_key() for slot in slots]
        actions = self.policy.act(obs, masks, slots)
        for slot, key, action in zip(slots, keys, actions):
            pair = (key, int(action))
            if pair in self.taken[slot]:
                self.looped[self.episode_of[slot]] = True
            self.taken[slot].add(pair)
        return actions


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", help="run folders (each holding checkpoint.pt)")
    parser.add_argument("--episodes", type=int, default=200, help="held-out episodes per split")
    parser.add_argument("--level", default=None, help="level to evaluate (default: each run's)")
    parser.add_argument("--out", default=None, help="append the JSON lines to this file")
    parser.add_argument("--by-template", action="store_true", help="also count successes per split and task template")
    parser.add_argument("--loops", action="store_true",
                        help="also count the ood failures (as it plays) that took an action twice from one state")
    parser.add_argument("--search-sims", type=int, default=None,
                        help="both ways with tree search on top, this many simulations per move")
    args = parser.parse_args()

    import torch

    from sheetrl.train.checkpoint import CheckpointError, load_latest
    from sheetrl.train.config import ConfigError, parse_level
    from sheetrl.train.evaluate import EvalResult, evaluate_run, wilson_interval
    from sheetrl.train.runner import restore_agent

    torch.set_num_threads(1)
    if args.episodes < 1:
        raise SystemExit(f"error: --episodes must be at least 1, not {args.episodes}")
    if args.search_sims is not None and args.search_sims < 1:
        raise SystemExit(f"error: --search-sims must be at least 1, not {args.search_sims}")
    try:
        level = None if args.level is None else parse_level(args.level)
    except ConfigError as exc:
        raise SystemExit(f"error: {exc}") from None
    missing = [run for run in args.runs if not (Path(run) / "checkpoint.pt").is_file()]
    if missing:
        raise SystemExit(f"error: no checkpoint.pt in {', '.join(missing)}")
    for run in args.runs:  # before anything is played: a run that cannot be evaluated both ways is named at once
        try:
            agent = restore_agent(load_latest(run)[0])
        except CheckpointError as exc:
            raise SystemExit(f"error: {exc}") from None
        if args.search_sims is not None:
            from sheetrl.agents.alphazero import search_policy

            try:
                search_policy(agent, args.search_sims)
            except ValueError as exc:
                raise SystemExit(f"error: {run}: {exc}") from None
        del agent
    rows: list[dict[str, Any]] = []
    for run in args.runs:
        for avoid in (False, True):
            report = evaluate_run(run, episodes=args.episodes, level=level, avoid_repeats=avoid,
                                  search_sims=args.search_sims)
            for split in report.splits:
                result: EvalResult = report.summary("agent", split)
                row = {"run": run, "algo": report.algo, "split": split, "avoid_repeats": avoid,
                       "search_sims": args.search_sims,
                       "level": result.level, "episodes": result.episodes, "successes": result.successes,
                       "success_rate": result.success_rate, "mean_length": result.mean_length}
                loops = args.loops and not avoid  # loops are counted as the run plays
                if (loops and split == "ood") or args.by_template:
                    counts: dict[str, list[int]] = {}
                    failed_looped = [0, 0]
                    for evaluated in report.results["agent"][split]:  # every level a curriculum evaluation pools
                        tasks, successes, looped = play_split(run, int(evaluated), split, args.episodes, avoid,
                                                              args.search_sims)
                        for template, (won, played) in by_template(tasks, successes).items():
                            entry = counts.setdefault(template, [0, 0])
                            entry[0] += won
                            entry[1] += played
                        failed, repeated = failed_and_looped(successes, looped)
                        failed_looped[0] += failed
                        failed_looped[1] += repeated
                    if loops and split == "ood":
                        row["failed_looped"] = failed_looped
                    if args.by_template:
                        row["by_template"] = counts
                rows.append(row)
                print(json.dumps(row), flush=True)
                if args.out:
                    with open(args.out, "a") as handle:
                        handle.write(json.dumps(row) + "\n")
    print()
    print("| split | as it plays (per run) | avoiding repeats (per run) | as it plays, pooled (95% CI) | "
          "avoiding repeats, pooled (95% CI) | mean length (plays / avoiding) |")
    print("|---|---|---|---|---|---|")
    for split in dict.fromkeys(row["split"] for row in rows):
        cells = []
        for avoid in (False, True):
            part = [row for row in rows if row["split"] == split and row["avoid_repeats"] == avoid]
            cells.append(" / ".join(f"{row['success_rate']:.3f}" for row in part))
        pooled = []
        lengths = []
        for avoid in (False, True):
            part = [row for row in rows if row["split"] == split and row["avoid_repeats"] == avoid]
            wins, played = sum(row["successes"] for row in part), sum(row["episodes"] for row in part)
            low, high = wilson_interval(wins, played)
            pooled.append(f"{wins / played:.3f} ({low:.3f}–{high:.3f})")
            lengths.append(f"{sum(row['mean_length'] * row['episodes'] for row in part) / played:.1f}")
        print(f"| {split} | {cells[0]} | {cells[1]} | {pooled[0]} | {pooled[1]} | {' / '.join(lengths)} |")
    if args.by_template:
        print()
        for split in dict.fromkeys(row["split"] for row in rows):
            for avoid in (False, True):
                totals: dict[str, list[int]] = {}
                for row in rows:
                    if row["split"] == split and row["avoid_repeats"] == avoid and "by_template" in row:
                        for template, (won, played) in row["by_template"].items():
                            entry = totals.setdefault(template, [0, 0])
                            entry[0] += won
                            entry[1] += played
                label = "avoiding repeats" if avoid else "as it plays"
                print(f"{split} solved per template, {label}: "
                      + ", ".join(f"{template} {won}/{played}" for template, (won, played) in totals.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
