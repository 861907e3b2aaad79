"""Which held-out structure costs a trained agent its ood success: one structural dimension held out at a time.

An ood task holds out every structural choice at once (position, size, spacer pattern, phrasing, template
combination; :mod:`sheetrl.env.tasks.split`). This benchmark generates, for each dimension alone, tasks whose other
choices come from the training part, and evaluates a run's latest checkpoint on them next to plain iid and ood
tasks, so the iid–ood gap is split by cause. Every task uses a seed of the ood range (never a training seed).

    python3 benchmarks/ood_attribution.py RUN [RUN ...] --level 3 --episodes 200

Prints one row per run and one column per task set (success rate and the Wilson 95% interval); a set's header says
which share of its tasks really drew that dimension from the held-out part (a table without spacers has no spacer
choice to hold out), and a dimension the level's generator never draws is left out (refused when named). ``--actions N``
instead lists, per level, the macros that the experts of N ood tasks use and those of N training tasks never do,
and the share of ood tasks that need one: an agent that picks macros by their index has never been shown them.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sheetrl.env.tasks import IID, OOD, held_out_choices, make_task, ood_seed
from sheetrl.env.tasks.base import Task
from sheetrl.env.tasks.split import Structure

DIMENSIONS = ("position", "size", "gaps", "phrasing", "combination")


class PartlyHeldOut(Structure):
    """A :class:`Structure` that draws the ``held_out`` dimensions from the held-out part, the rest from training's."""

    def __init__(self, rng: random.Random, held_out: Iterable[str]) -> None:
        super().__init__(rng, IID)
        self.dimensions = frozenset(held_out)

    def _part(self, dimension: str) -> None:
        self.held_out = dimension in self.dimensions

    def phrasing(self, name: str, phrasings: Any) -> str:
        self._part("phrasing")
        return super().phrasing(name, phrasings)

    def position(self, name: str, tops: range, lefts: range) -> tuple[int, int]:
        self._part("position")
        return super().position(name, tops, lefts)

    def size(self, name: str, rows: range, cols: range) -> tuple[int, int]:
        self._part("size")
        return super().size(name, rows, cols)

    def gaps(self, name: str, length: int, count: int) -> tuple[int, ...]:
        self._part("gaps")
        return super().gaps(name, length, count)

    def combination(self, name: str, train: Any, held_out: Any) -> Any:
        self._part("combination")
        return super().combination(name, train, held_out)


def tasks_holding_out(level: int, dimensions: Iterable[str], episodes: int) -> list[Task]:
    """``episodes`` tasks of ``level`` with only ``dimensions`` held out (seeds from the ood range)."""
    held = tuple(dimensions)
    tasks = []
    for index in range(episodes):
        task = make_task(level, ood_seed(index), structure=lambda rng, _split: PartlyHeldOut(rng, held))
        task.split = OOD if held else IID
        tasks.append(task)
    return tasks


def held_out_dimensions(task: Task) -> set[str]:
    """The dimensions of a task's recorded structural choices that came from the held-out part."""
    return {name.partition(":")[0] for name, held in held_out_choices(task) if held}


def held_out_share(level: int, dimension: str, episodes: int, tasks: list[Task] | None = None) -> float:
    """The share of the tasks holding out ``dimension`` alone (``tasks``, else ``episodes`` new ones) that really
    drew it from the held-out part: 0 where the level's generator never makes that choice (pivot and model tasks
    have no size or spacer choice), below 1 where it makes it only sometimes (a table without spacers)."""
    tasks = tasks if tasks is not None else tasks_holding_out(level, [dimension], episodes)
    return sum(dimension in held_out_dimensions(task) for task in tasks) / max(1, len(tasks))


def ood_only_macros(level: int, tasks: int) -> tuple[dict[str, int], int]:
    """The macros the experts of the first ``tasks`` ood tasks of ``level`` use and those of the first ``tasks``
    training tasks never do (with how many ood tasks use each), and how many ood tasks use at least one."""
    from sheetrl.env.tasks import split_seed

    trained = {name for i in range(tasks) for name in make_task(level, split_seed("train", i)).expert_actions or ()}
    counts: dict[str, int] = {}
    needing = 0
    for i in range(tasks):
        unseen = set(make_task(level, ood_seed(i)).expert_actions or ()) - trained
        needing += bool(unseen)
        for name in unseen:
            counts[name] = counts.get(name, 0) + 1
    return dict(sorted(counts.items())), needing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="*", help="run folders (their latest checkpoint is evaluated)")
    parser.add_argument("--level", type=int)
    parser.add_argument("--actions", type=int, metavar="N", help="instead: the ood-only macros of N tasks per level")
    parser.add_argument("--episodes", type=int, default=200, help="tasks per task set")
    parser.add_argument("--dimensions", default=",".join(DIMENSIONS),
                        help="comma-separated dimensions to hold out one at a time")
    args = parser.parse_args(argv)
    from sheetrl.train.checkpoint import CheckpointError, load_latest
    from sheetrl.train.evaluate import agent_policy, run_episodes, run_task_episodes, wilson_interval
    from sheetrl.train.runner import restore_agent

    if args.actions is not None:
        if args.actions < 1:
            parser.error("--actions must be at least 1")
        print("| level | macros only ood tasks use (ood tasks using each) | ood tasks needing one |")
        print("|---|---|---:|")
        for level in range(1, 6):
            counts, needing = ood_only_macros(level, args.actions)
            names = ", ".join(f"{name} ({n})" for name, n in counts.items()) or "none"
            print(f"| {level} | {names} | {needing / args.actions:.1%} |")
        return 0
    if not args.runs or args.level is None:
        parser.error("give run folders and --level (or --actions N)")
    if args.level not in range(1, 6) or args.episodes < 1:
        parser.error("--level must be 1-5 and --episodes at least 1")
    missing = [run for run in args.runs if not Path(run, "checkpoint.pt").exists()]
    if missing:
        parser.error(f"no checkpoint.pt in {', '.join(missing)}")
    dimensions = [d for d in args.dimensions.split(",") if d]
    unknown = sorted(set(dimensions) - set(DIMENSIONS))
    if unknown:
        parser.error(f"unknown dimensions {unknown}; choose from {DIMENSIONS}")
    sets = {}
    for dimension in dimensions:
        tasks = tasks_holding_out(args.level, [dimension], args.episodes)
        share = held_out_share(args.level, dimension, args.episodes, tasks)
        if share == 0.0:  # the set would be iid tasks under another name
            message = f"level {args.level} tasks never draw {dimension} (no {dimension} choice in their generator)"
            if args.dimensions != parser.get_default("dimensions"):
                parser.error(message)
            print(f"{message}: left out", file=sys.stderr)
            continue
        sets[f"only {dimension} ({share:.0%} held out)"] = tasks
    header = ["run", "iid", *sets, "ood"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for run in args.runs:
        try:  # one checkpoint at a time: a run's checkpoint can hold a large replay buffer or dataset
            payload, _ = load_latest(run)
        except CheckpointError as exc:
            parser.error(str(exc))
        policy = agent_policy(restore_agent(payload, device="cpu"))
        cells = [run_episodes(policy, args.level, args.episodes, split=IID).success_rate]
        for tasks in sets.values():
            result, _ = run_task_episodes(policy, tasks)
            cells.append(result.success_rate)
        cells.append(run_episodes(policy, args.level, args.episodes, split=OOD).success_rate)
        shown = []
        for rate in cells:
            low, high = wilson_interval(round(rate * args.episodes), args.episodes)
            shown.append(f"{rate:.3f} ({low:.2f}–{high:.2f})")
        print(f"| {Path(run).name} | " + " | ".join(shown) + " |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
