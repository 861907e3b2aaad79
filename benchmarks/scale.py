#!/usr/bin/env python3
"""PPO with its rollouts collected by Ray actors against the same training in one process, in one run.

Run from the repository root (needs ``pip install -e ".[scale]"``)::

    python3 benchmarks/scale.py                         # steps/s: one process, 1 and 2 actors, level 2, alternated
    python3 benchmarks/scale.py --actors 1,2,4,8        # on a bigger machine
    python3 benchmarks/scale.py --learning 100000       # also: held-out success after 100k steps, each way

**Throughput.** One run of every kind is built first (``Runner`` with the PPO ``quick`` preset: 8 environments ×
64 steps per iteration, 4 minibatches, 10 epochs, one torch thread in every process), and each takes one untimed
iteration (Ray's actors start then). Then ``--rounds`` rounds; in each, every kind in turn (the first one rotating
from round to round) trains ``--iterations`` PPO iterations — rollout and update, with the actors' weight
broadcast and rollout transfer included — timed with the wall clock. Reported: steps/s per kind (median over
rounds, and the range), and its ratio to the one-process run. Ray starts locally with one CPU per actor (at least
this machine's cores).

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
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from rich.console import Console

from sheetrl.train.config import TrainConfig
from sheetrl.train.runner import Runner


def build(kind: int, level: int, seed: int, run_dir: Path, total_steps: int, eval_episodes: int) -> Runner:
    """A quiet PPO run; ``kind`` 0 is one process, N > 0 collects with N Ray actors."""
    config = TrainConfig(algo="ppo", level=level, preset="quick", seed=seed, total_steps=total_steps,
                         device="cpu", run_dir=str(run_dir), eval_episodes=eval_episodes, wandb="disabled",
                         tensorboard=False, progress=False, checkpoint_every=10**9, ray_actors=kind)
    return Runner.start(config, console=Console(file=io.StringIO()), overwrite=True)


def iterate(runner: Runner) -> int:
    """One PPO iteration (rollout + update) of either kind; returns the steps taken."""
    if runner.config.ray_actors:
        steps, _ = runner.pool.train_iteration(runner.agent)
    else:
        steps, _ = runner.agent.train_iteration(runner.pool)
    runner.pool.drain()
    return int(steps)


def name(kind: int) -> str:
    return "one process" if kind == 0 else f"{kind} Ray actor{'s' if kind > 1 else ''}"


def throughput(kinds: list[int], level: int, rounds: int, iterations: int, folder: Path) -> dict[int, list[float]]:
    import ray

    # Every kind's actors stay alive through the rounds (each waits while the others run): one logical CPU each.
    ray.init(num_cpus=max(sum(kinds), os.cpu_count() or 1), include_dashboard=False, logging_level=logging.ERROR,
             runtime_env={"env_vars": {"PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}})
    runners = {kind: build(kind, level, 1, folder / f"sps{kind}", 10**9, 0) for kind in kinds}
    for runner in runners.values():
        iterate(runner)  # warm-up: actors start, first allocations
    samples: dict[int, list[float]] = {kind: [] for kind in kinds}
    for round_index in range(rounds):
        order = kinds[round_index % len(kinds):] + kinds[:round_index % len(kinds)]
        for kind in order:
            start = time.perf_counter()
            steps = sum(iterate(runners[kind]) for _ in range(iterations))
            samples[kind].append(steps / (time.perf_counter() - start))
        print(f"round {round_index + 1}/{rounds}: " + ", ".join(f"{name(k)} {samples[k][-1]:,.0f}" for k in kinds),
              flush=True)
    for runner in runners.values():
        if runner.config.ray_actors:
            runner.pool.close()
    return samples


def learning(kinds: list[int], level: int, steps: int, seed: int, episodes: int, folder: Path) -> dict[int, Any]:
    results = {}
    for kind in kinds:
        runner = build(kind, level, seed, folder / f"learn{kind}", steps, episodes)
        start = time.perf_counter()
        result = runner.run()
        assert result.evaluation is not None
        per_split = result.evaluation["per_split"]
        results[kind] = {"seconds": time.perf_counter() - start, "env_steps": result.env_steps,
                         **{split: per_split[split] for split in per_split}}
        print(f"learning, {name(kind)}: {json.dumps(results[kind])}", flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--actors", default="1,2", help="actor counts to compare with one process (default 1,2)")
    parser.add_argument("--level", type=int, default=2)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=4, help="PPO iterations per kind and round")
    parser.add_argument("--learning", type=int, default=0, help="also train each kind this many steps and evaluate")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--eval-episodes", type=int, default=200)
    parser.add_argument("--json", type=Path, help="write the raw figures here")
    args = parser.parse_args(argv)
    kinds = [0] + [int(part) for part in args.actors.split(",") if part.strip()]
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, python "
          f"{platform.python_version()}; PPO quick preset, level {args.level}", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        samples = throughput(kinds, args.level, args.rounds, args.iterations, Path(folder))
        base = statistics.median(samples[0])
        print(f"\n| collection | steps/s (median of {args.rounds} rounds) | range | vs one process |")
        print("|---|---:|---|---:|")
        for kind in kinds:
            median = statistics.median(samples[kind])
            print(f"| {name(kind)} | {median:,.0f} | {min(samples[kind]):,.0f}–{max(samples[kind]):,.0f} | "
                  f"{median / base:.2f}× |")
        learned = learning(kinds, args.level, args.learning, args.seed, args.eval_episodes, Path(folder)) \
            if args.learning else {}
    if learned:
        print("\n| collection | steps | held-out iid success (95% CI) | ood success (95% CI) | wall time |")
        print("|---|---:|---|---|---:|")
        for kind, result in learned.items():
            cells = []
            for split in ("iid", "ood"):
                figures = result.get(split, {})
                cells.append(f"{figures.get('success_rate', float('nan')):.3f} "
                             f"({figures.get('ci_low', float('nan')):.3f}–{figures.get('ci_high', float('nan')):.3f})")
            print(f"| {name(kind)} | {result['env_steps']:,} | {cells[0]} | {cells[1]} | "
                  f"{result['seconds'] / 60:.1f} min |")
    if args.json:
        args.json.write_text(json.dumps({"throughput": {name(k): v for k, v in samples.items()},
                                         "learning": {name(k): v for k, v in learned.items()}}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
