#!/usr/bin/env python3
"""What one PPO update costs, and what the cheaper options save: the same rollout, the variants alternated.

Run from the repository root::

    python3 benchmarks/ppo_update.py                     # level 1, quick preset, 5 rounds
    python3 benchmarks/ppo_update.py --level 2 --rounds 9 --markdown

One rollout of PPO's ``quick`` preset (8 environments × 64 steps, the MLP actor-critic of 128 × 2 per head) is
collected once with the untrained policy. Then, per round, every variant in turn (the first one rotating from round
to round) builds a fresh agent with the same seed and runs :meth:`PPOAgent.update` on that rollout, timed in process
CPU time with one torch thread; the median over rounds is reported, per update and per environment step of the
rollout, with its ratio to the preset as it is. The variants:

- ``as is``: the quick preset (10 epochs × 2 minibatches of 256) with the agents' Adam (fused kernel on CPU and
  CUDA, ``models.precision.adam``);
- ``loop Adam`` / ``foreach Adam``: ``torch.optim.Adam`` with its per-parameter loop (PyTorch's CPU default, which
  the agents used before) / its multi-tensor path (the same arithmetic in fewer, larger kernels);
- with the fused Adam, ``shared trunk``: one 128 × 2 trunk for both heads instead of one each (half the trunk's
  work);
- ``4 minibatches``: 10 epochs of 4 minibatches of 128 (the preset before: twice the optimizer steps, the same
  samples);
- ``5 epochs``: 5 epochs × 2 minibatches (half the passes).

Then the optimizer step alone: each Adam variant (loop, foreach, fused) steps 400 times over the quick
actor-critic's parameters with fixed random gradients, three times, alternated; the median CPU µs per step.

Only the time is measured here. Whether a variant keeps the learning table is a training question: run
``python3 benchmarks/learning.py`` with the variant's ``--set`` overrides (the notes in BENCHMARKS.md say which were).
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from sheetrl.agents import ppo
from sheetrl.env.spreadsheet_env import EnvConfig
from sheetrl.env.vector import SheetVectorEnv
from sheetrl.models.precision import Precision

Variant = tuple[str, Callable[[ppo.Config], ppo.Config], dict[str, Any]]

VARIANTS: list[Variant] = [
    ("as is", lambda c: c, {}),
    ("loop Adam", lambda c: c, {"fused": False, "foreach": False}),
    ("foreach Adam", lambda c: c, {"fused": False, "foreach": True}),
    ("shared trunk", lambda c: dataclasses.replace(c, shared_trunk=True), {}),
    ("4 minibatches", lambda c: dataclasses.replace(c, num_minibatches=4), {}),
    ("5 epochs", lambda c: dataclasses.replace(c, update_epochs=5), {}),
]


def build_agent(config: ppo.Config, pool: SheetVectorEnv, adam: dict[str, Any], seed: int) -> ppo.PPOAgent:
    agent = ppo.build(config, pool.single_observation_space, pool.single_action_space, "cpu", Precision(), seed)
    if adam:
        agent.optimizer = torch.optim.Adam(agent.network.parameters(), lr=config.learning_rate, eps=config.adam_eps,
                                           **adam)
    return agent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--level", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--markdown", action="store_true", help="print a markdown table")
    args = parser.parse_args()
    torch.set_num_threads(1)
    base = ppo.PRESETS["quick"]
    pool = SheetVectorEnv(EnvConfig(level=args.level, observation_keys=ppo.observation_keys(base)), base.num_envs)
    pool.reset(seed=args.seed)
    collector = build_agent(base, pool, {}, args.seed)
    rollout, last_value = collector.collect(pool)
    pool.close()

    times: dict[str, list[float]] = {name: [] for name, _, _ in VARIANTS}
    for round_ in range(args.rounds):
        order = VARIANTS[round_ % len(VARIANTS):] + VARIANTS[:round_ % len(VARIANTS)]
        for name, change, adam in order:
            config = change(base)
            agent = build_agent(config, pool, adam, args.seed)
            start = time.process_time()
            agent.update(rollout, last_value)
            times[name].append(time.process_time() - start)

    steps = base.batch_size
    reference = statistics.median(times["as is"])
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    print(f"PPO update, quick preset, level {args.level}, {args.rounds} rounds, one torch thread — {stamp}")
    if args.markdown:
        print("\n| variant | CPU ms per update (median) | range | CPU µs per env step | / as is |")
        print("|---|---:|---|---:|---:|")
    for name, _, _ in VARIANTS:
        median = statistics.median(times[name])
        low, high = min(times[name]), max(times[name])
        if args.markdown:
            print(f"| {name} | {median * 1e3:.0f} | {low * 1e3:.0f}–{high * 1e3:.0f} | {median / steps * 1e6:.0f} "
                  f"| {median / reference:.2f} |")
        else:
            print(f"{name:>14}: {median * 1e3:7.1f} ms per update ({low * 1e3:.0f}–{high * 1e3:.0f}), "
                  f"{median / steps * 1e6:5.0f} µs per env step, {median / reference:.2f}× as is")

    print(optimizer_steps(collector.network, args.markdown))


def optimizer_steps(network: torch.nn.Module, markdown: bool) -> str:
    """CPU µs per Adam step over ``network``'s parameters (fixed random gradients), per implementation."""
    generator = torch.Generator().manual_seed(0)
    parameters = list(network.parameters())
    for parameter in parameters:
        parameter.grad = torch.randn(parameter.shape, generator=generator)
    kinds: dict[str, dict[str, Any]] = {"loop": {"foreach": False, "fused": False},
                                        "foreach": {"foreach": True, "fused": False}, "fused": {"fused": True}}
    times: dict[str, list[float]] = {kind: [] for kind in kinds}
    for _ in range(3):
        for kind, options in kinds.items():
            optimizer = torch.optim.Adam(parameters, lr=1e-6, **options)
            for _ in range(20):
                optimizer.step()
            start = time.process_time()
            for _ in range(400):
                optimizer.step()
            times[kind].append((time.process_time() - start) / 400)
    count = sum(p.numel() for p in parameters)
    if markdown:
        lines = [f"\n| Adam step over {count:,} parameters | CPU µs per step (median of 3) |", "|---|---:|"]
        lines += [f"| {kind} | {statistics.median(values) * 1e6:.0f} |" for kind, values in times.items()]
        return "\n".join(lines)
    return "\n".join(f"Adam step, {kind:>7}: {statistics.median(values) * 1e6:6.0f} µs over {count:,} parameters"
                     for kind, values in times.items())


if __name__ == "__main__":
    main()
