#!/usr/bin/env python3
"""Two checkouts of the environment side by side: do they behave the same, and what do the mask and task
generation cost in each?

Run from the repository root, with another checkout (or a copy whose ``src/`` was compiled) in DIR::

    python3 benchmarks/env_equivalence.py --against DIR                       # levels 1-5
    python3 benchmarks/env_equivalence.py --against DIR --steps 3000 --rounds 5 --markdown

Per level, each checkout runs in its own child process (``PYTHONPATH=<checkout>/src``), the two alternated A, B,
A, B … for ``--rounds`` rounds, and reports:

- **trace**: a SHA-256 over ``--steps`` random masked steps from a fixed seed (resets included) of every action
  mask, the command of every action in every state (``env.action_to_command``) and every reward, to 9 decimals.
  Equal hashes mean the two checkouts gave the same masks, commands and rewards on that trajectory.
- **mask**: CPU µs per action mask, the minimum over 5 passes of recomputing the mask in 1,500 saved states (env
  clones along a random trajectory).
- **task**: CPU ms per generated task (``make_task(level, seed)``), the minimum over 5 passes of 100 seeds.

Timings are process CPU time (other jobs on the machine matter less than for wall-clock) and the table gives the
median over rounds of each checkout and their ratio (B / A: above 1 means this checkout is faster).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
LEVELS = (1, 2, 3, 4, 5)


def trace(level: int, steps: int) -> str:
    import numpy as np

    from sheetrl.env.spreadsheet_env import SpreadsheetEnv

    env = SpreadsheetEnv(level=level, observation_keys=("action_mask",))
    obs, _ = env.reset(seed=level * 7)
    rng = np.random.default_rng(level)
    digest = hashlib.sha256()
    for _ in range(steps):
        mask = obs["action_mask"]
        digest.update(mask.tobytes())
        digest.update(repr([str(env.action_to_command(i)) for i in range(len(mask))]).encode())
        obs, reward, terminated, truncated, _ = env.step(int(rng.choice(np.flatnonzero(mask))))
        digest.update(repr(round(float(reward), 9)).encode())
        if terminated or truncated:
            obs, _ = env.reset()
    return digest.hexdigest()[:16]


def mask_seconds(level: int) -> float:
    import numpy as np

    from sheetrl.env.spreadsheet_env import SpreadsheetEnv

    env = SpreadsheetEnv(level=level, observation_keys=("action_mask",))
    obs, _ = env.reset(seed=3)
    rng = np.random.default_rng(0)
    saved = []
    for _ in range(1500):
        saved.append(env.clone())
        obs, _, terminated, truncated, _ = env.step(int(rng.choice(np.flatnonzero(obs["action_mask"]))))
        if terminated or truncated:
            obs, _ = env.reset()
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        for state in saved:
            state._update_mask()
        best = min(best, (time.process_time() - started) / len(saved))
    return best


def task_seconds(level: int) -> float:
    from sheetrl.env.tasks import make_task

    for seed in range(30):  # warm caches and imports
        make_task(level, 10**6 + seed)
    best = float("inf")
    for _ in range(5):
        started = time.process_time()
        for seed in range(100):
            make_task(level, seed)
        best = min(best, (time.process_time() - started) / 100)
    return best


def measure_one(level: int, steps: int) -> dict:
    return {"trace": trace(level, steps), "mask": mask_seconds(level), "task": task_seconds(level)}


def run_child(checkout: Path, level: int, steps: int) -> dict:
    environment = dict(os.environ, PYTHONPATH=str(checkout / "src"))
    completed = subprocess.run([sys.executable, __file__, "--one", f"{level}:{steps}"], env=environment,
                               capture_output=True, text=True, check=False)
    if completed.returncode != 0:
        raise SystemExit(f"the measurement in {checkout} failed:\n{completed.stderr[-2000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--against", type=Path, help="the other checkout (holds src/)")
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)), help="comma-separated levels")
    parser.add_argument("--steps", type=int, default=3000, help="random steps hashed per level")
    parser.add_argument("--rounds", type=int, default=3, help="alternated runs of each checkout per level")
    parser.add_argument("--markdown", action="store_true", help="print a markdown table")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: level:steps in a child process
    args = parser.parse_args()
    if args.one:
        level, steps = (int(part) for part in args.one.split(":"))
        print(json.dumps(measure_one(level, steps)))
        return
    if args.against is None or not (args.against / "src").is_dir():
        raise SystemExit("--against DIR: DIR must be a checkout holding src/")
    if args.steps < 1 or args.rounds < 1:
        raise SystemExit("--steps and --rounds must be at least 1")
    levels = [int(level) for level in args.levels.split(",") if level]
    header = ("| level | trace equal | mask µs: this / other | ratio | task ms: this / other | ratio |\n"
              "|---|---|---:|---:|---:|---:|")
    print(header if args.markdown else f"this checkout ({ROOT}) against {args.against}", flush=True)
    for level in levels:
        results: dict[str, list[dict]] = {"this": [], "other": []}
        for _ in range(args.rounds):
            results["this"].append(run_child(ROOT, level, args.steps))
            results["other"].append(run_child(args.against, level, args.steps))
        equal = len({r["trace"] for rs in results.values() for r in rs}) == 1
        mask = [statistics.median(r["mask"] for r in results[side]) * 1e6 for side in ("this", "other")]
        task = [statistics.median(r["task"] for r in results[side]) * 1e3 for side in ("this", "other")]
        if args.markdown:
            print(f"| {level} | {'yes' if equal else 'NO'} | {mask[0]:.0f} / {mask[1]:.0f} | {mask[1] / mask[0]:.2f} "
                  f"| {task[0]:.2f} / {task[1]:.2f} | {task[1] / task[0]:.2f} |", flush=True)
        else:
            print(f"L{level}: trace {'equal' if equal else 'DIFFERENT'}; mask {mask[0]:.0f} vs {mask[1]:.0f} µs "
                  f"({mask[1] / mask[0]:.2f}×); task {task[0]:.2f} vs {task[1]:.2f} ms ({task[1] / task[0]:.2f}×)",
                  flush=True)


if __name__ == "__main__":
    main()
