#!/usr/bin/env python3
"""Environment throughput: steps per second with a random masked policy, per level, single and vector envs.

Run from the repository root::

    python3 benchmarks/env_sps.py [--steps 20000] [--levels 1,2,3,4,5] [--vector 8] [--profile 2] [--markdown]
    python3 benchmarks/env_sps.py --against ../other-checkout --rounds 3 --cpu   # this checkout vs another

In the same run it measures Gymnasium's CartPole-v1 (a floor for pure Python env overhead), our env per level as
one env (a random legal action chosen from ``obs["action_mask"]``; resets included), and per level a Gymnasium
``SyncVectorEnv`` of ``--vector`` copies. ``--profile L`` adds a cProfile summary of where the time goes in level
L's step. Results are steps per second (higher is better) and the ratio to CartPole.

``--against DIR`` measures the single env of this checkout and of another one (DIR holds its ``src/``), each
level in child processes alternated A, B, A, B ... for ``--rounds`` rounds, and reports the median steps/s of each
and their ratio: the way to compare two versions on a shared machine. ``--cpu`` counts the process's CPU time
instead of wall time (other jobs on the machine then matter less).
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import platform
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
if "--src" in sys.argv:  # a child measuring another checkout: import sheetrl from there
    sys.path.insert(0, sys.argv[sys.argv.index("--src") + 1])
else:
    sys.path.insert(0, str(ROOT / "src"))

import gymnasium as gym

from sheetrl.env.spreadsheet_env import SpreadsheetEnv

CLOCK = time.perf_counter  # --cpu: time.process_time


def cartpole_sps(steps: int) -> float:
    env = gym.make("CartPole-v1")
    env.reset(seed=0)
    rng = np.random.default_rng(0)
    start = CLOCK()
    for _ in range(steps):
        _, _, terminated, truncated, _ = env.step(int(rng.integers(2)))
        if terminated or truncated:
            env.reset()
    return steps / (CLOCK() - start)


def single_sps(level: int, steps: int) -> tuple[float, int]:
    env = SpreadsheetEnv(level=level)
    obs, _ = env.reset(seed=0)
    rng = np.random.default_rng(0)
    episodes = 0
    start = CLOCK()
    for _ in range(steps):
        obs, _, terminated, truncated, _ = env.step(int(rng.choice(np.flatnonzero(obs["action_mask"]))))
        if terminated or truncated:
            obs, _ = env.reset()
            episodes += 1
    return steps / (CLOCK() - start), episodes


def vector_sps(level: int, steps: int, n: int) -> float:
    envs = gym.vector.SyncVectorEnv([lambda: SpreadsheetEnv(level=level) for _ in range(n)])
    obs, _ = envs.reset(seed=0)
    rng = np.random.default_rng(0)
    start = CLOCK()
    for _ in range(max(1, steps // n)):
        actions = np.array([rng.choice(np.flatnonzero(mask)) for mask in obs["action_mask"]])
        obs, *_ = envs.step(actions)
    return (max(1, steps // n) * n) / (CLOCK() - start)


def profile(level: int, steps: int) -> str:
    profiler = cProfile.Profile()
    profiler.enable()
    single_sps(level, steps)
    profiler.disable()
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(12)
    return out.getvalue()


def compare(against: Path, levels: list[int], steps: int, rounds: int, cpu: bool) -> str:
    """This checkout (A) against another (B): per level, child processes alternated A, B, A, B ...; the median
    steps/s of each and the ratio A / B."""
    lines = [f"| level | this checkout: steps/s | {against}: steps/s | ratio |", "|---|---:|---:|---:|"]
    sources = {"this": ROOT / "src", "other": against / "src"}
    for level in levels:
        runs: dict[str, list[float]] = {"this": [], "other": []}
        for _ in range(rounds):
            for name, src in sources.items():
                command = [sys.executable, __file__, "--one", str(level), "--steps", str(steps), "--src", str(src)]
                command += ["--cpu"] if cpu else []
                env = dict(os.environ, OMP_NUM_THREADS="1")
                done = subprocess.run(command, capture_output=True, text=True, check=True, env=env)
                runs[name].append(json.loads(done.stdout.strip().splitlines()[-1])["sps"])
        this, other = statistics.median(runs["this"]), statistics.median(runs["other"])
        lines.append(f"| {level} | {this:,.0f} | {other:,.0f} | {this / other:.2f} |")
        print(lines[-1], flush=True)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=20_000, help="steps per measurement")
    parser.add_argument("--levels", default="1,2,3,4,5", help="comma-separated levels")
    parser.add_argument("--vector", type=int, default=8, help="environments in the vector env (0: skip)")
    parser.add_argument("--profile", type=int, default=0, help="profile this level's step (0: no profile)")
    parser.add_argument("--markdown", action="store_true", help="print a markdown table")
    parser.add_argument("--cpu", action="store_true", help="count process CPU time instead of wall time")
    parser.add_argument("--against", type=Path, help="another checkout to compare with (see the docstring)")
    parser.add_argument("--rounds", type=int, default=3, help="with --against: alternated runs of each checkout")
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)  # internal: one level's single env, as JSON
    parser.add_argument("--src", help=argparse.SUPPRESS)  # internal: the src/ a child imports sheetrl from
    args = parser.parse_args()
    global CLOCK
    if args.cpu:
        CLOCK = time.process_time
    if args.one is not None:
        sps, episodes = single_sps(args.one, args.steps)
        result: dict[str, Any] = {"level": args.one, "sps": sps, "episodes": episodes}
        print(json.dumps(result))
        return
    try:
        levels = [int(x) for x in args.levels.split(",")]
    except ValueError:
        parser.error(f"--levels must be comma-separated integers, not {args.levels!r}")
    if args.steps < 100:
        parser.error("--steps must be at least 100")
    if args.against is not None:
        if not (args.against / "src" / "sheetrl").is_dir():
            parser.error(f"--against {args.against}: no src/sheetrl there")
        print(f"python3 benchmarks/env_sps.py --against {args.against} --steps {args.steps} --rounds {args.rounds}"
              f"{' --cpu' if args.cpu else ''} — {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}")
        compare(args.against, levels, args.steps, max(1, args.rounds), args.cpu)
        return
    print(f"python3 benchmarks/env_sps.py --steps {args.steps} --levels {args.levels} --vector {args.vector} — "
          f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} — Python {platform.python_version()}, "
          f"gymnasium {gym.__version__}")
    floor = cartpole_sps(args.steps)
    rows = [("CartPole-v1 (reference)", floor, None, "")]
    for level in levels:
        sps, episodes = single_sps(level, args.steps)
        rows.append((f"L{level} single env", sps, sps / floor, f"{episodes} episodes"))
        if args.vector:
            vsps = vector_sps(level, args.steps, args.vector)
            rows.append((f"L{level} SyncVectorEnv x{args.vector}", vsps, vsps / floor, ""))
    if args.markdown:
        print("| environment | steps/s | / CartPole | note |\n|---|---:|---:|---|")
        for name, sps, ratio, note in rows:
            print(f"| {name} | {sps:,.0f} | {'' if ratio is None else f'{ratio:.3f}'} | {note} |")
    else:
        for name, sps, ratio, note in rows:
            print(f"{name:<28} {sps:>10,.0f} steps/s  {'' if ratio is None else f'{ratio:6.3f}x CartPole'}  {note}")
    if args.profile:
        print(profile(args.profile, min(args.steps, 5000)))


if __name__ == "__main__":
    main()
