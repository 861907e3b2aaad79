"""Forward+backward time of the policy networks on a batch of real observations, and constrained decoding speed.

Builds every network from a real environment's spaces (``build_policy``), collects ``--batch`` observations of
a random legal walk on ``--level`` (default L3, where sheets have formulas and dependency edges), and times one
forward pass plus the backward pass of a PPO-like loss (log-probability of legal actions plus value error), the
networks taking turns (round-robin) so that a busy machine slows all of them alike. Prints the median wall time
and the median CPU time of the process (on a shared machine the wall time includes waiting for a core) over
``--repeats`` rounds per network, its parameter count and the observation keys it reads; then the
transformer's token head decoding commands under the grammar (greedy, ``--decode-batch`` commands at a time).
Runs with one torch thread by default, as ``sheetrl train`` does.

    python3 benchmarks/models.py                      # batch 256, about 2 minutes on 2 cores
    python3 benchmarks/models.py --batch 64 --repeats 3 --markdown
    python3 benchmarks/models.py --with-seed-transformer --batch 8   # also the seed-sized transformer
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

import gymnasium as gym
import numpy as np
import torch

import sheetrl.env  # noqa: F401  (registers the environments)
from sheetrl.env import ENV_IDS
from sheetrl.models.base import PolicyNetwork
from sheetrl.models.encoders import EncoderConfig
from sheetrl.models.policy import (
    MLPPolicyConfig,
    PolicyConfig,
    build_policy,
    to_tensors,
)
from sheetrl.models.transformer import PRESETS, SpreadsheetGPT


def only(part: str) -> EncoderConfig:
    """The encoder with one part switched on."""
    parts = ("use_gnn", "use_cnn", "use_formula_lstm", "use_instruction")
    return EncoderConfig(**{flag: flag == part for flag in parts})  # type: ignore[arg-type]


NETWORKS: dict[str, tuple[str, PolicyConfig]] = {
    "mlp (PPO quick, 128x128)": ("mlp", MLPPolicyConfig(hidden_sizes=(128, 128))),
    "mlp (PPO seed, 512x512)": ("mlp", MLPPolicyConfig()),
    "mlp (DQN seed, q_network)": ("mlp", MLPPolicyConfig(network="q_network")),
    "encoder (all four parts)": ("encoder", EncoderConfig()),
    "encoder: GNN only": ("encoder", only("use_gnn")),
    "encoder: CNN only": ("encoder", only("use_cnn")),
    "encoder: formula LSTM only": ("encoder", only("use_formula_lstm")),
    "encoder: instruction GRU only": ("encoder", only("use_instruction")),
    "transformer (quick)": ("transformer", PRESETS["quick"]),
}


def observations(level: int, count: int, seed: int) -> tuple[gym.Env, dict[str, np.ndarray]]:
    env = gym.make(ENV_IDS[level])
    rng = np.random.default_rng(seed)
    observation, _ = env.reset(seed=seed)
    collected: list[dict[str, np.ndarray]] = []
    while len(collected) < count:
        collected.append(observation)
        observation, _, terminated, truncated, _ = env.step(int(rng.choice(np.flatnonzero(observation["action_mask"]))))
        if terminated or truncated:
            observation, _ = env.reset()
    return env, {key: np.stack([o[key] for o in collected]) for key in collected[0]}


def step_seconds(policy: PolicyNetwork, batch: dict[str, torch.Tensor]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) of one forward and backward pass."""
    start, cpu_start = time.perf_counter(), time.process_time()
    logits, values = policy(batch)
    legal = batch["action_mask"]
    loss = -(torch.log_softmax(logits.float(), -1) * legal).sum() / legal.sum() + values.float().square().mean()
    loss.backward()
    policy.zero_grad(set_to_none=True)
    return time.perf_counter() - start, time.process_time() - cpu_start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--level", type=int, default=3, help="environment level whose observations are used")
    parser.add_argument("--batch", type=int, default=256, help="observations per forward+backward")
    parser.add_argument("--repeats", type=int, default=5, help="timed rounds per network (after one warm-up)")
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads")
    parser.add_argument("--decode-batch", type=int, default=32, help="commands decoded at a time (0: skip)")
    parser.add_argument("--with-seed-transformer", action="store_true", help="also the seed-sized transformer")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    env, arrays = observations(args.level, args.batch, seed=0)
    networks = dict(NETWORKS)
    if args.with_seed_transformer:
        networks["transformer (seed)"] = ("transformer", PRESETS["seed"])
    built, batches = {}, {}
    for name, (kind, config) in networks.items():
        torch.manual_seed(0)
        built[name] = build_policy(kind, env.observation_space, env.action_space, config).train()
        batches[name] = to_tensors(arrays, built[name].observation_keys)
        step_seconds(built[name], batches[name])  # warm-up: first-call allocations and lazy imports
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in networks}
    for _ in range(args.repeats):
        for name in networks:
            times[name].append(step_seconds(built[name], batches[name]))

    edges = int((arrays["edges"][:, 0] < arrays["cell_tokens"].shape[1]).sum())
    print(f"level {args.level}, batch {args.batch} ({edges} dependency edges in the batch), {args.threads} torch "
          f"thread(s), {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}, torch {torch.__version__}")
    rows = []
    for name, samples in times.items():
        parameters = sum(p.numel() for p in built[name].parameters())
        wall = statistics.median(s[0] for s in samples) * 1000
        cpu = statistics.median(s[1] for s in samples) * 1000
        rows.append((name, parameters, wall, cpu, ", ".join(k for k in built[name].observation_keys
                                                              if k in batches[name])))
    # On a busy machine the wall time includes waiting for a core; the process's CPU time does not.
    if args.markdown:
        print("| network | parameters | forward+backward: wall ms | CPU ms | reads |")
        print("|---|---:|---:|---:|---|")
        for name, parameters, wall, cpu, keys in rows:
            print(f"| {name} | {parameters:,} | {wall:.0f} | {cpu:.0f} | {keys} |")
    else:
        for name, parameters, wall, cpu, keys in rows:
            print(f"{name:32s} {parameters:>12,} params  wall {wall:8.1f} ms  CPU {cpu:8.1f} ms  [{keys}]")

    if args.decode_batch:
        model = built["transformer (quick)"].eval()
        assert isinstance(model, SpreadsheetGPT)
        batch = {key: value[: args.decode_batch] for key, value in batches["transformer (quick)"].items()}
        with torch.no_grad():
            model.decode_commands(batch, max_length=24)  # warm-up
            start = time.perf_counter()
            decoded = model.decode_commands(batch, max_length=48)
            seconds = time.perf_counter() - start
        tokens = int((decoded.tokens != 0).sum())
        print(f"constrained decoding (quick transformer, untrained, greedy): {len(decoded.commands)} commands, "
              f"{tokens} tokens in {seconds:.2f} s ({tokens / seconds:.0f} tokens/s); e.g. {decoded.commands[0]}")


if __name__ == "__main__":
    main()
