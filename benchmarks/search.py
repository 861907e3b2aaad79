#!/usr/bin/env python3
"""Search on top of a trained policy: held-out success against simulations per move, and the time per move.

Run from the repository root::

    python3 benchmarks/search.py --runs runs/5__ppo__1__... --level 5 --split ood --episodes 20
    python3 benchmarks/search.py --runs A,B,C --sims 1,4,16,64 --update-benchmarks
    python3 benchmarks/search.py --update-benchmarks     # the table of every result in --out, into BENCHMARKS.md

Every run's latest checkpoint is loaded as ``sheetrl eval`` does and played on the same held-out tasks (episode
``i`` of the split is the task of ``split_seed(split, i)``) with :func:`sheetrl.agents.alphazero.search_policy`
on top: Gumbel MuZero's root search with that many simulations per move, no root noise (deterministic), each
simulation one clone of the environment, one step and one network evaluation. One simulation plays the policy's
own greedy action (the best by prior), so the ``1`` column is the policy without search. The simulation counts
take turns episode by episode (episode 0 with 1, 4, 16, 64 simulations, then episode 1, ...), so a busy machine
slows every count alike; the time per move is wall-clock and process CPU time, both averaged over all moves.
Results are appended to ``--out`` (JSON lines, one per run and simulation count); ``--update-benchmarks`` writes
the table of all of them into BENCHMARKS.md.

``--rollout-weights 0,0.5`` also plays every simulation count above 1 with greedy rollouts mixed into the value of
each searched state (``rollout_weight`` of :class:`sheetrl.agents.alphazero.SearchConfig`), in the same rotation.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

MARK_START = "<!-- search:start -->"
MARK_END = "<!-- search:end -->"


@dataclass
class Tally:
    """One simulation count's figures so far."""

    successes: int = 0
    returns: list[float] = field(default_factory=list)
    lengths: list[int] = field(default_factory=list)
    wall: float = 0.0
    cpu: float = 0.0
    moves: int = 0


def settings_of(sims: list[int], weights: list[float]) -> list[tuple[int, float]]:
    """(simulations, rollout weight) pairs to alternate: each count with each weight, one simulation only without
    rollouts (it plays the policy's own choice whatever the values); each pair once (a repeated one would play
    every episode twice into one tally)."""
    return list(dict.fromkeys((n, float(w) + 0.0 if n > 1 else 0.0) for n in sims for w in weights))


def measure(run: Path, level: int, split: str, episodes: int, sims: list[int], method: str,
            weights: list[float] | None = None) -> list[dict[str, Any]]:
    """Play ``episodes`` held-out tasks with every simulation count (and rollout weight), alternating them per
    episode."""
    import numpy as np
    import torch

    from sheetrl.agents.alphazero import search_policy
    from sheetrl.env.spreadsheet_env import EnvConfig, SpreadsheetEnv
    from sheetrl.env.tasks import split_seed
    from sheetrl.train.checkpoint import load_latest
    from sheetrl.train.evaluate import wilson_interval
    from sheetrl.train.runner import restore_agent

    torch.set_num_threads(1)
    payload, _ = load_latest(run)
    agent = restore_agent(payload)
    env = SpreadsheetEnv(config=EnvConfig(level=level, split=split))
    settings = settings_of(sims, weights or [0.0])
    tallies = {setting: Tally() for setting in settings}
    for episode in range(episodes):
        for n, weight in settings:
            policy = search_policy(agent, n, method=method, rollout_weight=weight)
            observation, _ = env.reset(seed=episode, options={"task_seed": split_seed(split, episode),
                                                             "level": level})
            policy.start(0, env, episode)
            total, length, info = 0.0, 0, dict[str, Any]()
            wall, cpu = time.perf_counter(), time.process_time()
            while True:
                stacked = {key: value[None] for key, value in observation.items()}
                action = int(policy.act(stacked, stacked["action_mask"].astype(bool), [0])[0])
                observation, reward, terminated, truncated, info = env.step(action)
                total += reward
                length += 1
                if terminated or truncated:
                    break
            tally = tallies[n, weight]
            tally.wall += time.perf_counter() - wall
            tally.cpu += time.process_time() - cpu
            tally.moves += length
            tally.successes += bool(info.get("is_success"))
            tally.returns.append(total)
            tally.lengths.append(length)
        print(f"episode {episode + 1}/{episodes}: " + ", ".join(
            f"{_setting(n, w)}: {tallies[n, w].successes}" for n, w in settings), flush=True)
    rows = []
    for n, weight in settings:
        tally = tallies[n, weight]
        low, high = wilson_interval(tally.successes, episodes)
        rows.append({
            "run": run.name, "algo": payload["config"]["algo"], "train_level": payload["config"]["level"],
            "seed": payload["config"].get("seed"), "dagger": bool(payload["config"].get("dagger")),
            "env_steps": int(payload["counters"]["env_steps"]), "level": level, "split": split, "method": method,
            "simulations": n, "rollout_weight": weight, "episodes": episodes, "successes": tally.successes,
            "success_rate": tally.successes / episodes, "ci_low": low, "ci_high": high,
            "mean_return": float(np.mean(tally.returns)), "mean_length": float(np.mean(tally.lengths)),
            "seconds_per_move": tally.wall / tally.moves, "cpu_seconds_per_move": tally.cpu / tally.moves,
            "load_average": os.getloadavg()[0], "cpus": os.cpu_count(),
        })
    return rows


def _setting(simulations: int, weight: float) -> str:
    """A simulation count, with its rollout weight when there are rollouts."""
    return str(simulations) + (f" + rollouts {weight:g}" if weight else "")


def _sims(r: dict[str, Any]) -> str:
    """A result's setting (rows written before rollouts existed have no weight)."""
    return _setting(r["simulations"], r.get("rollout_weight") or 0.0)


def _policy(r: dict[str, Any]) -> str:
    """A result's policy: algorithm (with DAgger), training level and steps."""
    algo = r["algo"] + ("+dagger" if r.get("dagger") else "")
    return f"{algo} L{r['train_level']} ({r['env_steps']:,})"


def table(results: list[dict[str, Any]]) -> str:
    """One row per run and simulation count; then, for policies measured with several seeds, the pooled success."""
    lines = [("| policy (training steps) | seed | level, split | simulations | episodes | success | 95% CI "
              "| mean return | mean length | time per move (wall) | CPU per move |"),
             "|---|---:|---|---:|---:|---:|---|---:|---:|---:|---:|"]
    for r in results:
        seed = r.get("seed")
        lines.append(f"| {_policy(r)} | {seed if seed is not None else '–'} | L{r['level']} {r['split']} "
                     f"| {_sims(r)} | {r['episodes']} | {r['success_rate']:.3f} "
                     f"| {r['ci_low']:.3f}–{r['ci_high']:.3f} | {r['mean_return']:.2f} | {r['mean_length']:.1f} "
                     f"| {r['seconds_per_move'] * 1000:,.0f} ms | {r['cpu_seconds_per_move'] * 1000:,.0f} ms |")
    groups: dict[tuple[str, int, str, str], list[dict[str, Any]]] = {}
    for r in results:
        groups.setdefault((_policy(r), r["level"], r["split"], _sims(r)), []).append(r)
    pooled = {key: rows for key, rows in groups.items() if len({row["run"] for row in rows}) > 1}
    if pooled:
        from sheetrl.train.evaluate import wilson_interval

        lines += ["", "Pooled over seeds:", "",
                  "| policy (training steps) | seeds | level, split | simulations | episodes | success | 95% CI |",
                  "|---|---:|---|---:|---:|---:|---|"]
        for (policy, level, split, sims), rows in pooled.items():
            successes, episodes = sum(row["successes"] for row in rows), sum(row["episodes"] for row in rows)
            low, high = wilson_interval(successes, episodes)
            lines.append(f"| {policy} | {len(rows)} | L{level} {split} | {sims} | {episodes} "
                         f"| {successes / episodes:.3f} | {low:.3f}–{high:.3f} |")
    return "\n".join(lines)


def update_benchmarks(text: str, path: Path = ROOT / "BENCHMARKS.md") -> None:
    """Put the table between the search markers of BENCHMARKS.md (a new section at the end when absent)."""
    document = path.read_text(encoding="utf-8")
    if MARK_START in document and MARK_END in document:
        head, rest = document.split(MARK_START, 1)
        _, tail = rest.split(MARK_END, 1)
        document = head + f"{MARK_START}\n{text}\n{MARK_END}" + tail
    else:
        document = (document.rstrip("\n") + "\n\n## Search on top of a policy (benchmarks/search.py)\n\n"
                    f"{MARK_START}\n{text}\n{MARK_END}\n")
    path.write_text(document, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", default="", help="comma-separated run folders (their latest checkpoints)")
    parser.add_argument("--level", type=int, default=5)
    parser.add_argument("--split", default="ood", choices=("iid", "ood"))
    parser.add_argument("--episodes", type=int, default=20, help="held-out tasks per simulation count")
    parser.add_argument("--sims", default="1,4,16,64", help="comma-separated simulations per move")
    parser.add_argument("--method", default="gumbel", choices=("gumbel", "puct"))
    parser.add_argument("--rollout-weights", default="0",
                        help="comma-separated shares of a searched state's value from greedy rollouts (0: none)")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "search.jsonl")
    parser.add_argument("--update-benchmarks", action="store_true",
                        help="write the table of every result in --out into BENCHMARKS.md")
    args = parser.parse_args()
    try:
        sims = [int(n) for n in args.sims.split(",") if n]
    except ValueError:
        raise SystemExit(f"--sims must be comma-separated integers, not {args.sims!r}") from None
    if args.episodes < 1 or not sims or min(sims) < 1:
        raise SystemExit("--episodes and every simulation count must be at least 1")
    try:
        weights = [float(w) for w in args.rollout_weights.split(",") if w]
    except ValueError:
        raise SystemExit(f"--rollout-weights must be comma-separated numbers, not {args.rollout_weights!r}") from None
    if not weights or not all(0.0 <= w <= 1.0 for w in weights):
        raise SystemExit(f"every rollout weight must lie in [0, 1], not {args.rollout_weights!r}")
    runs = [Path(run) for run in args.runs.split(",") if run]
    if not runs and not args.update_benchmarks:
        raise SystemExit("give --runs to measure, or --update-benchmarks to write the table of --out")
    missing = [str(run) for run in runs if not (run / "checkpoint.pt").exists()]
    if missing:
        raise SystemExit(f"no checkpoint in {', '.join(missing)}")
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} CPUs, python {platform.python_version()}, "
          f"load average {os.getloadavg()[0]:.1f}", flush=True)
    results = []
    for run in runs:
        results += measure(run, args.level, args.split, args.episodes, sims, args.method, weights)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with args.out.open("a", encoding="utf-8") as handle:
        for row in results:
            handle.write(json.dumps(row) + "\n")
    if results:
        print(table(results))
    if args.update_benchmarks:
        every = [json.loads(line) for line in args.out.read_text(encoding="utf-8").splitlines() if line.strip()]
        update_benchmarks(table(every))


if __name__ == "__main__":
    main()
