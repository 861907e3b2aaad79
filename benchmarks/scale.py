#!/usr/bin/env python3
"""Experience collected by Ray actors against the same training in one process, PPO and DQN, in one run.

Run from the repository root (needs ``pip install -e ".[scale]"``)::

    python3 benchmarks/scale.py                          # PPO: one process, 1 and 2 actors, each also overlapped;
                                                         # DQN: one process, 1 and 2 asynchronous actors; level 2
    python3 benchmarks/scale.py --actors 1,2,4,8 --overlap-actors 4,8 --dqn-actors 4,8   # a bigger machine
    python3 benchmarks/scale.py --dqn-actors ""          # PPO only
    python3 benchmarks/scale.py --learning 100000        # also: held-out success after 100k steps, each kind
    python3 benchmarks/scale.py --copies 1,2,3           # only: what the machine gives N busy processes

**Kinds.** PPO (``quick`` preset: 8 environments × 64 steps per iteration, 2 minibatches, 10 epochs) in one process,
with ``--actors`` synchronous Ray actors, and with ``--overlap-actors`` actors whose next rollout overlaps the update
(``--ray-overlap``); DQN (``quick`` preset: 8 environments, one update of 64 per 8 steps after 1,000 steps) in one
process and with ``--dqn-actors`` asynchronous actors feeding the replay buffer (chunks of 16 steps per environment,
weights published every 8 updates, lag bound 64: the defaults). One torch thread in every process.

**Throughput.** Every kind's run is built first (Ray starts locally with one CPU per actor of all kinds together, at
least this machine's cores) and warmed up untimed: one PPO iteration, DQN past its ``learning_starts`` so that the
timed steps include updates. Then ``--rounds`` rounds; in each, every kind in turn (the first one rotating from
round to round) trains — PPO ``--iterations`` iterations, DQN ``--dqn-steps`` steps — timed with the wall clock,
including the actors' weight broadcasts and data transfers, and then waits for the work its actors still have in
flight, also timed: a kind with actors begins a round with the work the previous round left in flight and ends it
with the same amount finished, so every round pays for exactly the collection it uses, and no kind's actors run
while another kind is timed. Reported per kind: steps/s (median over rounds, and the range) and its ratio to the
same algorithm in one process, and the load average of the machine over the rounds (``os.getloadavg``, 1 minute).

**The machine's ceiling.** ``--copies 1,2,3`` measures only this, no Ray: N independent copies of the one-process
PPO training, each in its own process, started together (a barrier after every copy has built its run and
trained one iteration) and trained for ``--copy-seconds``; reported per N, the steps/s of all copies together
(median over rounds, N taking turns within a round). Two overlapped actors and their learner are three busy
processes; on a 2-core machine the gain of two cores over one, and the cost of a third busy process, bound what
actors can reach.

**Learning.** With ``--learning STEPS``, each kind then trains a fresh run of ``STEPS`` steps to the end (the
runner's own loop, seed ``--seed``) and plays the same ``--eval-episodes`` held-out tasks per split (iid and ood),
as ``sheetrl eval`` does: with actors the sampled actions and the actors' task streams differ from one process
(docs/scale.md), so equal success at equal steps is the check, within the confidence intervals printed.
"""

from __future__ import annotations

import argparse
import io
import json
import logging
import os
import platform
import shlex
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from rich.console import Console

from sheetrl.train.config import TrainConfig
from sheetrl.train.runner import Runner


@dataclass(frozen=True)
class Kind:
    """One way to train: an algorithm, in one process (``actors`` 0) or with Ray actors."""

    algo: str
    actors: int = 0
    overlap: bool = False

    @property
    def name(self) -> str:
        if not self.actors:
            return f"{self.algo.upper()}, one process"
        plural = "s" if self.actors > 1 else ""
        schedule = ", overlapped" if self.overlap else (", asynchronous" if self.algo == "dqn" else "")
        return f"{self.algo.upper()}, {self.actors} Ray actor{plural}{schedule}"

    @property
    def key(self) -> str:
        return f"{self.algo}-{self.actors}{'-overlap' if self.overlap else ''}"


def build(kind: Kind, level: int, seed: int, run_dir: Path, total_steps: int, eval_episodes: int) -> Runner:
    """A quiet run of ``kind``."""
    config = TrainConfig(algo=kind.algo, level=level, preset="quick", seed=seed, total_steps=total_steps,
                         device="cpu", run_dir=str(run_dir), eval_episodes=eval_episodes, wandb="disabled",
                         tensorboard=False, progress=False, checkpoint_every=10**9, ray_actors=kind.actors,
                         ray_overlap=kind.overlap)
    return Runner.start(config, console=Console(file=io.StringIO()), overwrite=True)


def iterate(runner: Runner) -> int:
    """One training iteration of any kind (PPO: rollout + update; DQN: a step or a chunk + its updates); returns
    the steps taken."""
    if runner.config.ray_actors:
        steps, _ = runner.pool.train_iteration(runner.agent)
    else:
        steps, _ = runner.agent.train_iteration(runner.pool)
    runner.pool.drain()
    return int(steps)


def train_for(runner: Runner, steps: int) -> int:
    """Iterate until at least ``steps`` steps were taken, then wait for the actors' work in flight."""
    taken = 0
    while taken < steps:
        taken += iterate(runner)
    if runner.config.ray_actors:
        runner.pool.settle()
    return taken


def rotated(items: list[Any], round_index: int) -> list[Any]:
    """``items`` in a round's order: the first one rotating from round to round."""
    shift = round_index % len(items)
    return items[shift:] + items[:shift]


def throughput(kinds: list[Kind], level: int, rounds: int, ppo_steps: int, dqn_steps: int,
               folder: Path) -> tuple[dict[Kind, list[float]], list[float]]:
    import ray

    # Every kind's actors stay alive through the rounds (each waits while the others run): one logical CPU each.
    ray.init(num_cpus=max(sum(kind.actors for kind in kinds), os.cpu_count() or 1), include_dashboard=False,
             logging_level=logging.ERROR,
             runtime_env={"env_vars": {"PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}})
    runners = {kind: build(kind, level, 1, folder / f"sps-{kind.key}", 10**9, 0) for kind in kinds}
    for kind, runner in runners.items():  # warm-up: actors start, first allocations, DQN past learning_starts
        train_for(runner, runner.agent_config.learning_starts + 1 if kind.algo == "dqn" else 1)
    samples: dict[Kind, list[float]] = {kind: [] for kind in kinds}
    loads = [os.getloadavg()[0]]
    for round_index in range(rounds):
        for kind in rotated(kinds, round_index):
            start = time.perf_counter()
            steps = train_for(runners[kind], ppo_steps if kind.algo == "ppo" else dqn_steps)
            samples[kind].append(steps / (time.perf_counter() - start))
        loads.append(os.getloadavg()[0])
        print(f"round {round_index + 1}/{rounds} (load {loads[-1]:.1f}): "
              + ", ".join(f"{kind.name} {samples[kind][-1]:,.0f}" for kind in kinds), flush=True)
    for runner in runners.values():
        if runner.config.ray_actors:
            runner.pool.close()
    ray.shutdown()
    return samples, loads


def learning(kinds: list[Kind], level: int, steps: int, seed: int, episodes: int, folder: Path) -> dict[Kind, Any]:
    results = {}
    for kind in kinds:
        runner = build(kind, level, seed, folder / f"learn-{kind.key}", steps, episodes)
        start = time.perf_counter()
        result = runner.run()
        assert result.evaluation is not None
        per_split = result.evaluation["per_split"]
        results[kind] = {"seconds": time.perf_counter() - start, "env_steps": result.env_steps,
                         **{split: per_split[split] for split in per_split}}
        print(f"learning, {kind.name}: {json.dumps(results[kind])}", flush=True)
    return results


def _copy(index: int, level: int, seconds: float, folder: str, barrier: Any, results: Any) -> None:
    """One copy of the one-process training: build, warm up, wait for the others, train ``seconds``."""
    import torch

    torch.set_num_threads(1)
    runner = build(Kind("ppo"), level, 1 + index, Path(folder) / f"copy-{index}", 10**9, 0)
    iterate(runner)
    barrier.wait()
    steps, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        steps += iterate(runner)
    results.put(steps / (time.perf_counter() - start))


def copies_throughput(copies: list[int], level: int, rounds: int, seconds: float,
                      folder: Path) -> dict[int, list[float]]:
    """Steps/s of ``n`` copies of the one-process training side by side, for each ``n`` in ``copies``, per round."""
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    samples: dict[int, list[float]] = {n: [] for n in copies}
    for round_index in range(rounds):
        for n in rotated(copies, round_index):
            barrier, results = context.Barrier(n), context.Queue()
            processes = [context.Process(target=_copy, args=(i, level, seconds, str(folder / f"r{round_index}-{n}"),
                                                             barrier, results)) for i in range(n)]
            for process in processes:
                process.start()
            samples[n].append(sum(_gather_rates(processes, results)))
        print(f"round {round_index + 1}/{rounds} (load {os.getloadavg()[0]:.1f}): "
              + ", ".join(f"{n} copies {samples[n][-1]:,.0f}" for n in copies), flush=True)
    return samples


def _gather_rates(processes: list[Any], results: Any) -> list[float]:
    """Each copy's steps/s as it finishes; a copy that dies first (before the barrier its siblings wait at, or
    while training) stops them all with an error naming it, instead of waiting for a result that never comes."""
    import queue

    rates: list[float] = []
    try:
        while len(rates) < len(processes):
            try:
                rates.append(results.get(timeout=1.0))
                continue
            except queue.Empty:
                pass
            failed = [i for i, process in enumerate(processes) if process.exitcode not in (None, 0)]
            if failed:
                raise SystemExit(f"scale.py: copy {failed[0]} failed (exit code {processes[failed[0]].exitcode}); "
                                 f"its error is printed above")
        return rates
    finally:
        for process in processes:
            if process.is_alive() and len(rates) < len(processes):
                process.terminate()
            process.join()


def paired_ratios(kind: list[float], one_process: list[float]) -> str:
    """The median (and quartiles) of each round's ratio to one process in the same round: the machine's speed
    drifts from minute to minute, and kinds timed within one round share most of a drift."""
    ratios = sorted(value / base for value, base in zip(kind, one_process, strict=True))
    if len(ratios) < 4:
        return f"{statistics.median(ratios):.2f}×"
    low, _, high = statistics.quantiles(ratios, n=4)
    return f"{statistics.median(ratios):.2f}× ({low:.2f}–{high:.2f})"


def positive(kind: type[int] | type[float]) -> Any:
    """An argparse type: a number of ``kind`` above 0 (a bad one is a usage error)."""

    def parse(text: str) -> int | float:
        try:
            value = kind(text)
        except ValueError:
            value = 0
        if not 0 < value < float("inf"):
            raise argparse.ArgumentTypeError(f"expected a positive number, not {text!r}")
        return value

    return parse


def counts(text: str) -> list[int]:
    """A comma-separated list of positive counts ('' for none), as argparse's type: a bad one is a usage error."""
    parts = [part.strip() for part in text.split(",") if part.strip()]
    if not all(part.isdigit() and int(part) > 0 for part in parts):
        raise argparse.ArgumentTypeError(f"expected positive whole numbers separated by commas, not {text!r}")
    return [int(part) for part in parts]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", type=counts, default="1,2",
                        help="PPO: synchronous actor counts (default 1,2; '' none)")
    parser.add_argument("--overlap-actors", type=counts, default="1,2",
                        help="PPO: overlapped actor counts (default 1,2; '' none)")
    parser.add_argument("--dqn-actors", type=counts, default="1,2",
                        help="DQN: asynchronous actor counts (default 1,2; '' no DQN)")
    parser.add_argument("--level", type=int, default=2)
    parser.add_argument("--rounds", type=positive(int), default=5)
    parser.add_argument("--iterations", type=positive(int), default=4, help="PPO iterations per kind and round")
    parser.add_argument("--dqn-steps", type=positive(int), default=2048, help="DQN steps per kind and round")
    parser.add_argument("--learning", type=int, default=0, help="also train each kind this many steps and evaluate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--eval-episodes", type=int, default=200)
    parser.add_argument("--json", type=Path, help="write the raw figures here")
    parser.add_argument("--copies", type=counts, default="",
                        help="only measure N one-process trainings side by side, for each N of this list (e.g. 1,2,3)")
    parser.add_argument("--copy-seconds", type=positive(float), default=20.0,
                        help="training time of each copy per round")
    args = parser.parse_args(argv)
    command = shlex.join(["python3", "benchmarks/scale.py", *(sys.argv[1:] if argv is None else argv)])
    if args.copies:
        copies = args.copies
        with tempfile.TemporaryDirectory() as folder:
            per_copies = copies_throughput(copies, args.level, args.rounds, args.copy_seconds, Path(folder))
        print(f"\nCommand: `{command}` ({args.rounds} rounds, {args.copy_seconds:g} s per copy and round, "
              f"{os.cpu_count()} cores)\n")
        print(f"| copies side by side | steps/s of all copies (median of {args.rounds} rounds) | range | "
              f"per copy | same round's {copies[0]} cop{'y' if copies[0] == 1 else 'ies'} (median, quartiles) |")
        print("|---:|---:|---|---:|---|")
        first = per_copies[copies[0]]
        for n in copies:
            median = statistics.median(per_copies[n])
            print(f"| {n} | {median:,.0f} | {min(per_copies[n]):,.0f}–{max(per_copies[n]):,.0f} | {median / n:,.0f} "
                  f"| {paired_ratios(per_copies[n], first)} |")
        if args.json:
            args.json.write_text(json.dumps({"command": command, "copies": per_copies}, indent=2) + "\n")
        return 0
    kinds = [Kind("ppo")] + [Kind("ppo", n) for n in args.actors] + [
        Kind("ppo", n, overlap=True) for n in args.overlap_actors]
    if args.dqn_actors:
        kinds += [Kind("dqn")] + [Kind("dqn", n) for n in args.dqn_actors]
    ppo_steps = args.iterations * 8 * 64
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, python "
          f"{platform.python_version()}; quick presets, level {args.level}", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        samples, loads = throughput(kinds, args.level, args.rounds, ppo_steps, args.dqn_steps, Path(folder))
        print(f"\nCommand: `{command}` ({args.rounds} rounds; per kind and round: PPO {ppo_steps:,} steps, DQN "
              f"{args.dqn_steps:,} steps; load average {min(loads):.1f}–{max(loads):.1f} on {os.cpu_count()} cores)")
        print(f"\n| algorithm, collection | steps/s (median of {args.rounds} rounds) | range | vs one process | "
              "same round's one process (median, quartiles) |")
        print("|---|---:|---|---:|---|")
        for kind in kinds:
            base = statistics.median(samples[Kind(kind.algo)])
            median = statistics.median(samples[kind])
            print(f"| {kind.name} | {median:,.0f} | {min(samples[kind]):,.0f}–{max(samples[kind]):,.0f} | "
                  f"{median / base:.2f}× | {paired_ratios(samples[kind], samples[Kind(kind.algo)])} |")
        learned = learning(kinds, args.level, args.learning, args.seed, args.eval_episodes, Path(folder)) \
            if args.learning else {}
    if learned:
        print("\n| algorithm, collection | steps | held-out iid success (95% CI) | ood success (95% CI) | wall time |")
        print("|---|---:|---|---|---:|")
        for kind, result in learned.items():
            cells = []
            for split in ("iid", "ood"):
                figures = result.get(split, {})
                cells.append(f"{figures.get('success_rate', float('nan')):.3f} "
                             f"({figures.get('ci_low', float('nan')):.3f}–{figures.get('ci_high', float('nan')):.3f})")
            print(f"| {kind.name} | {result['env_steps']:,} | {cells[0]} | {cells[1]} | "
                  f"{result['seconds'] / 60:.1f} min |")
    if args.json:
        args.json.write_text(json.dumps({"command": command, "load_average": loads,
                                         "throughput": {kind.name: values for kind, values in samples.items()},
                                         "learning": {kind.name: value for kind, value in learned.items()}},
                                        indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
