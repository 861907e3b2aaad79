#!/usr/bin/env python3
"""Environment throughput: steps per second with a random masked policy, per level, single and vector envs.

Run from the repository root::

    python3 benchmarks/env_sps.py [--steps 20000] [--levels 1,2,3,4,5] [--vector 8] [--profile 2] [--markdown]
    python3 benchmarks/env_sps.py --against ../other-checkout --rounds 3 --cpu   # this checkout vs another
    python3 benchmarks/env_sps.py --batch --levels 2 --steps 2000 --rounds 5 --vector 8 --workers 2 --markdown

In the same run it measures Gymnasium's CartPole-v1 (a floor for pure Python env overhead), our env per level as
one env (a random legal action chosen from ``obs["action_mask"]``; resets included), and per level a Gymnasium
``SyncVectorEnv`` of ``--vector`` copies. ``--profile L`` adds a cProfile summary of where the time goes in level
L's step. Results are steps per second (higher is better) and the ratio to CartPole.

``--batch`` measures, alternated round-robin in one run (``--rounds`` rounds of ``--steps`` steps each, the
median kept): CartPole-v1 through ``gym.make``; per level our env through ``gym.make`` with every observation key
and with ``observation_keys=("flat", "action_mask")`` (what an MLP agent reads); and ``SheetVectorEnv`` of
``--vector`` environments (flat + mask) in sync mode and in async mode with ``--workers`` worker processes. Each
row gives wall-clock steps/s and steps per CPU-second of this process (async workers' CPU is not this process's,
so its row has wall-clock only), and the ratio to CartPole. ``--profile L`` then prints where level L's lean step
goes, per phase.

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


LEAN_KEYS = ("flat", "action_mask")


class Measured:
    """One row of the alternated benchmark: a callable taking ``n`` steps, and the timings of its rounds."""

    def __init__(self, name: str, run: Any, cpu_meaningful: bool = True) -> None:
        self.name, self.run, self.cpu_meaningful = name, run, cpu_meaningful
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def round(self, steps: int) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        taken = self.run(steps)
        self.wall.append(taken / (time.perf_counter() - wall))
        self.cpu.append(taken / max(1e-9, time.process_time() - cpu))


def single_stepper(env: Any) -> Any:
    """A random masked policy in one env (resets included)."""
    rng = np.random.default_rng(0)
    state = {"obs": env.reset(seed=0)[0]}

    def run(steps: int) -> int:
        obs = state["obs"]
        for _ in range(steps):
            obs, _, terminated, truncated, _ = env.step(int(rng.choice(np.flatnonzero(obs["action_mask"]))))
            if terminated or truncated:
                obs, _ = env.reset()
        state["obs"] = obs
        return steps

    return run


def cartpole_stepper() -> Any:
    env = gym.make("CartPole-v1")
    env.reset(seed=0)
    rng = np.random.default_rng(0)

    def run(steps: int) -> int:
        for _ in range(steps):
            _, _, terminated, truncated, _ = env.step(int(rng.integers(2)))
            if terminated or truncated:
                env.reset()
        return steps

    return run


def vector_stepper(vec: Any) -> Any:
    """A random masked policy over the batch (one uniform draw per row, argmax over the legal actions)."""
    rng = np.random.default_rng(0)
    vec.reset(seed=0)

    def run(steps: int) -> int:
        batches = max(1, steps // vec.num_envs)
        for _ in range(batches):
            masks = vec.masks
            vec.step(np.where(masks, rng.random(masks.shape), -1.0).argmax(axis=1))
        return batches * vec.num_envs

    return run


def batch_benchmark(levels: list[int], steps: int, rounds: int, n: int, workers: int) -> list[Measured]:
    """Every configuration, alternated round-robin for ``rounds`` rounds (see the module docstring)."""
    from sheetrl.env import ENV_IDS
    from sheetrl.env.spreadsheet_env import EnvConfig
    from sheetrl.env.vector import SheetVectorEnv

    rows = [Measured("CartPole-v1 (gym.make)", cartpole_stepper())]
    vectors = []
    for level in levels:
        rows.append(Measured(f"L{level} gym.make, every key", single_stepper(gym.make(ENV_IDS[level]))))
        rows.append(Measured(f"L{level} gym.make, flat + mask",
                             single_stepper(gym.make(ENV_IDS[level], observation_keys=LEAN_KEYS))))
        if n:
            config = EnvConfig(level=level, observation_keys=LEAN_KEYS)
            sync = SheetVectorEnv(config, n)
            rows.append(Measured(f"L{level} SheetVectorEnv sync x{n}", vector_stepper(sync)))
            vectors.append(sync)
            if workers:
                parallel = SheetVectorEnv(config, n, mode="async", num_workers=workers)
                rows.append(Measured(f"L{level} SheetVectorEnv async x{n}, {workers} workers",
                                     vector_stepper(parallel), cpu_meaningful=False))
                vectors.append(parallel)
    for row in rows:  # warm-up: caches, lazy imports, the first tasks
        row.run(max(50, steps // 20))
    for _ in range(rounds):
        for row in rows:
            row.round(steps)
    for vec in vectors:
        vec.close()
    return rows


def phase_profile(level: int, steps: int) -> str:
    """Where the lean step (flat + mask, random masked policy, resets included) goes: cumulative time per phase
    under cProfile (which inflates every call; the shares are what matter)."""
    from sheetrl.env import ENV_IDS

    run = single_stepper(gym.make(ENV_IDS[level], observation_keys=LEAN_KEYS).unwrapped)
    run(200)
    profiler = cProfile.Profile()
    profiler.enable()
    run(steps)
    profiler.disable()
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    phases = (
        ("action mask (predicates, or the macro resolved)", "spreadsheet_env.py", "_update_mask"),
        ("reset (task generation + clone + first observation)", "spreadsheet_env.py", "reset"),
        ("  of which task generation", "tasks/__init__.py", "make_task"),
        ("apply the command (engine edit + recalc)", "env/state.py", "apply"),
        ("reward terms", "rewards.py", "step"),
        ("observation window sync (grid, tokens)", "observation.py", "sync"),
        ("observation dict (flat + mask)", "spreadsheet_env.py", "_observation"),
        ("checker", "checker.py", "check"),
    )
    total = sum(entry[2] for entry in stats.values())  # every function's own time: the whole profile
    lines = [f"| phase (L{level}, flat + mask) | µs per step (profiled) | share |", "|---|---:|---:|"]
    for label, file, function in phases:
        cumulative = sum(entry[3] for (path, _, name), entry in stats.items()
                         if name == function and path.replace(os.sep, "/").endswith(file))
        lines.append(f"| {label} | {cumulative / steps * 1e6:,.0f} | {cumulative / total:.0%} |")
    lines.append(f"| whole step incl. policy | {total / steps * 1e6:,.0f} | 100% |")
    return "\n".join(lines)


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
    parser.add_argument("--batch", action="store_true", help="alternated round-robin table (see the docstring)")
    parser.add_argument("--workers", type=int, default=2, help="with --batch: async worker processes (0: skip)")
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
    if args.batch:
        print(f"python3 benchmarks/env_sps.py --batch --steps {args.steps} --levels {args.levels} --rounds "
              f"{args.rounds} --vector {args.vector} --workers {args.workers} — "
              f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} — Python {platform.python_version()}, "
              f"gymnasium {gym.__version__}, {os.cpu_count()} CPUs")
        measured = batch_benchmark(levels, args.steps, max(1, args.rounds), args.vector, args.workers)
        floor_wall = statistics.median(measured[0].wall)
        floor_cpu = statistics.median(measured[0].cpu)
        print("| environment | steps/s (wall) | / CartPole | steps per CPU-second | / CartPole |\n"
              "|---|---:|---:|---:|---:|")
        for row in measured:
            wall = statistics.median(row.wall)
            cpu = f"{statistics.median(row.cpu):,.0f} | {statistics.median(row.cpu) / floor_cpu:.3f}" \
                if row.cpu_meaningful else "— | —"
            print(f"| {row.name} | {wall:,.0f} | {wall / floor_wall:.3f} | {cpu} |", flush=True)
        if args.profile:
            print()
            print(phase_profile(args.profile, min(args.steps, 3000)))
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
