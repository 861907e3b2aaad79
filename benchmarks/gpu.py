#!/usr/bin/env python3
"""The full-size presets on a GPU: training-step throughput and memory of the seed-sized networks, and short
training runs of the torch algorithms on the device, in one run.

Run from the repository root on a machine with CUDA::

    python3 benchmarks/gpu.py --json results.json --markdown
    python3 benchmarks/gpu.py --device cpu --batches 64 --transformer-batches 2 --repeats 2 --run-steps 256 \
        --run-preset quick             # the same code on a CPU: a smoke test, fp16 reported as CUDA-only

**Networks.** The seed document's sizes, built from a real level-3 environment's spaces (``build_policy``): DQN's
Q-network (flat 768 → 512 → 512 → actions), PPO's actor-critic (two 512 × 512 trunks) and SpreadsheetGPT's
``seed`` preset (d_model 768, 12 heads, 6 layers, feed-forward 3072). Each takes training steps on batches of
real observations (a random legal walk, repeated to the batch size) through the agents' own code: forward under
``Precision.autocast()``, the loss (log-probability of the legal actions and a value error) through
``Precision.backward`` (fp16: GradScaler), ``Precision.step`` (unscale, clip at 0.5, the fused Adam). Per network,
precision (fp32, bf16 autocast, fp16 + GradScaler) and gradient accumulation (the batch in 1 or 4 micro-batches):
the median milliseconds of a whole optimizer step over ``--repeats`` steps after two warm-up steps (the device
synchronized around each), samples per second, and the peak memory the step allocated on the device
(``torch.cuda.max_memory_allocated``, reset before each configuration).

**Runs.** ``sheetrl train``'s runner with ``--preset seed --device DEVICE``: PPO with the MLP (fp32, bf16, fp16,
bf16 with 4 accumulation steps) and with the seed transformer (bf16), DQN (fp32, bf16, fp16; its first update after
512 steps instead of 10,000), each for ``--run-steps`` environment steps on level 1 (the environments step on the
CPU, one process). Reported: environment steps per second of the whole run (collection, updates, the checkpoint),
peak device memory, and whether its checkpoint loads on the CPU into an agent whose weights are all finite (what a
user who trains on a GPU and evaluates on a laptop does). A run that fails is reported with its one-line error; the
others still run.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import platform
import statistics
import sys
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from models import observations  # benchmarks/models.py: a random legal walk's observations
from rich.console import Console

from sheetrl.agents import non_finite_parameter
from sheetrl.models.policy import MLPPolicyConfig, PolicyConfig, build_policy, to_tensors
from sheetrl.models.precision import Precision, adam, resolve_device
from sheetrl.models.transformer import PRESETS
from sheetrl.train.checkpoint import CHECKPOINT_FILE, load_checkpoint
from sheetrl.train.config import TrainConfig
from sheetrl.train.runner import Runner, restore_agent

NETWORKS: dict[str, tuple[str, str, PolicyConfig]] = {  # short name: (label, kind, config)
    "dqn": ("DQN Q-network (seed: 768→512→512→N)", "mlp", MLPPolicyConfig(network="q_network")),
    "ppo": ("PPO actor-critic (seed: 512×512 per head)", "mlp", MLPPolicyConfig()),
    "transformer": ("SpreadsheetGPT (seed: 768 / 12 heads / 6 layers / 3072)", "transformer", PRESETS["seed"]),
}
PRECISIONS = ("fp32", "bf16", "fp16")


@dataclass
class StepResult:
    """One network × precision × accumulation × batch: a training step's time and memory (or why it could not)."""

    network: str
    parameters: int
    precision: str
    accumulation: int
    batch: int
    milliseconds: float = math.nan
    samples_per_second: float = math.nan
    peak_mib: float = math.nan
    note: str = ""


@dataclass
class RunResult:
    """One short training run on the device."""

    name: str
    algo: str
    precision: str
    accumulation: int
    overrides: dict[str, Any] = field(default_factory=dict)
    env_steps: int = 0
    seconds: float = math.nan
    steps_per_second: float = math.nan
    peak_mib: float = math.nan
    loads_on_cpu: bool = False
    error: str = ""


def _synchronize(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)


def _reset_peak(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.empty_cache()
        torch.cuda.reset_peak_memory_stats(device)


def _peak_mib(device: torch.device) -> float:
    return torch.cuda.max_memory_allocated(device) / 2**20 if device.type == "cuda" else math.nan


def repeated(arrays: dict[str, np.ndarray], batch: int) -> dict[str, np.ndarray]:
    """The observations repeated (in order) to ``batch`` rows."""
    return {key: np.resize(value, (batch, *value.shape[1:])) for key, value in arrays.items()}


def training_step(network: torch.nn.Module, micro_batches: list[dict[str, torch.Tensor]], precision: Precision,
                  optimizer: torch.optim.Optimizer) -> None:
    """One optimizer step over the micro-batches, as the agents' updates make it."""
    parameters = list(network.parameters())
    for micro in micro_batches:
        with precision.autocast():
            logits, values = network(micro)
        legal = micro["action_mask"]
        log_probs = torch.log_softmax(logits.float().masked_fill(~legal, -1e9), -1)
        loss = -(log_probs * legal).sum() / legal.sum() + values.float().square().mean()
        precision.backward(loss)
    if not precision.step(optimizer, parameters, 0.5):
        raise RuntimeError("the accumulated micro-batches did not end in an optimizer step")


def measure_step(name: str, kind: str, config: PolicyConfig, env: Any, arrays: dict[str, np.ndarray],
                 device: torch.device, mode: str, accumulation: int, batch: int, repeats: int) -> StepResult:
    """Build the network afresh (seeded) and time ``repeats`` optimizer steps after two warm-up steps."""
    torch.manual_seed(0)
    network = build_policy(kind, env.observation_space, env.action_space, config).to(device).train()
    result = StepResult(name, sum(p.numel() for p in network.parameters()), mode, accumulation, batch)
    if mode == "fp16" and device.type != "cuda":
        result.note = "CUDA only"
        return result
    if batch % accumulation:
        result.note = f"batch not divisible by {accumulation}"
        return result
    tensors = to_tensors(repeated(arrays, batch), network.observation_keys, device)
    size = batch // accumulation
    micro_batches = [{key: value[start:start + size] for key, value in tensors.items()}
                     for start in range(0, batch, size)]
    precision = Precision(mode, device, accumulation_steps=accumulation)
    optimizer = adam(network.parameters(), device, lr=1e-4)
    _reset_peak(device)
    try:
        for _ in range(2):
            training_step(network, micro_batches, precision, optimizer)
        seconds = []
        for _ in range(repeats):
            _synchronize(device)
            start = time.perf_counter()
            training_step(network, micro_batches, precision, optimizer)
            _synchronize(device)
            seconds.append(time.perf_counter() - start)
    except torch.OutOfMemoryError:
        result.note = "out of memory"
        return result
    median = statistics.median(seconds)
    result.milliseconds, result.samples_per_second = median * 1000, batch / median
    result.peak_mib = _peak_mib(device)
    if not all(bool(torch.isfinite(parameter).all()) for parameter in network.parameters()):
        result.note = "weights became non-finite"
    return result


def short_run(name: str, algo: str, mode: str, accumulation: int, overrides: dict[str, Any], device: str,
              steps: int, preset: str, folder: Path) -> RunResult:
    """A ``sheetrl train --preset PRESET`` run of ``steps`` steps on ``device``; then its checkpoint on the CPU."""
    result = RunResult(name, algo, mode, accumulation, overrides)
    run_dir = folder / name.replace(" ", "_").replace(",", "")
    config = TrainConfig(algo=algo, level=1, preset=preset, seed=1, total_steps=steps, device=device, precision=mode,
                         accumulation_steps=accumulation, run_dir=str(run_dir), eval_episodes=0, wandb="disabled",
                         tensorboard=False, progress=False, overrides=overrides)
    resolved = resolve_device(device)
    try:
        _reset_peak(resolved)
        runner = Runner.start(config, console=Console(file=io.StringIO()), overwrite=True)
        start = time.perf_counter()
        trained = runner.run()
        result.seconds = time.perf_counter() - start
        result.env_steps = trained.env_steps
        result.steps_per_second = trained.env_steps / result.seconds
        result.peak_mib = _peak_mib(resolved)
        agent = restore_agent(load_checkpoint(run_dir / CHECKPOINT_FILE), device="cpu", source=run_dir)
        result.loads_on_cpu = non_finite_parameter(agent) is None
    except Exception as exc:  # one failed configuration is a result; the others still run
        result.error = f"{type(exc).__name__}: {' '.join(str(exc).split())}"[:300]
        traceback.print_exc()
    return result


def runs(device: str, steps: int, preset: str, folder: Path) -> list[RunResult]:
    ppo_transformer = {"policy": "transformer", "transformer_preset": "seed"}
    dqn_soon = {"learning_starts": 512}
    plan: list[tuple[str, str, str, int, dict[str, Any]]] = [
        ("PPO mlp fp32", "ppo", "fp32", 1, {}),
        ("PPO mlp bf16", "ppo", "bf16", 1, {}),
        ("PPO mlp fp16", "ppo", "fp16", 1, {}),
        ("PPO mlp bf16, 4 accumulation steps", "ppo", "bf16", 4, {}),
        ("PPO SpreadsheetGPT seed bf16", "ppo", "bf16", 1, ppo_transformer),
        ("DQN mlp fp32", "dqn", "fp32", 1, dqn_soon),
        ("DQN mlp bf16", "dqn", "bf16", 1, dqn_soon),
        ("DQN mlp fp16", "dqn", "fp16", 1, dqn_soon),
    ]
    results = []
    for name, algo, mode, accumulation, overrides in plan:
        if mode == "fp16" and resolve_device(device).type != "cuda":
            results.append(RunResult(name, algo, mode, accumulation, overrides, error="fp16 is CUDA only"))
            continue
        results.append(short_run(name, algo, mode, accumulation, overrides, device, steps, preset, folder))
        print(f"run {name}: {json.dumps(results[-1].__dict__)}", flush=True)
    return results


def _integers(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected whole numbers separated by commas, not {text!r}") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError(f"expected positive whole numbers, not {text!r}")
    return values


def _names(text: str) -> list[str]:
    names = [part.strip() for part in text.split(",") if part.strip()]
    unknown = [name for name in names if name not in NETWORKS]
    if not names or unknown:
        raise argparse.ArgumentTypeError(f"expected some of {', '.join(NETWORKS)}, not {text!r}")
    return names


def _positive(text: str) -> int:
    value = _integers(text)
    if len(value) != 1:
        raise argparse.ArgumentTypeError(f"expected one positive whole number, not {text!r}")
    return value[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--device", default="auto", help="torch device (auto: CUDA when present)")
    parser.add_argument("--batches", type=_integers, default=[256, 4096, 65536],
                        help="batch sizes of the MLP networks' steps")
    parser.add_argument("--transformer-batches", type=_integers, default=[32, 256],
                        help="batch sizes of the transformer's steps")
    parser.add_argument("--accumulation", type=_integers, default=[1, 4], help="micro-batches per optimizer step")
    parser.add_argument("--repeats", type=_positive, default=10, help="timed steps per configuration")
    parser.add_argument("--run-steps", type=_positive, default=4096, help="environment steps of each short run")
    parser.add_argument("--run-preset", choices=("seed", "quick"), default="seed",
                        help="the runs' preset (quick: a smoke test of this script on a CPU)")
    parser.add_argument("--no-runs", action="store_true", help="only the networks' steps")
    parser.add_argument("--no-steps", action="store_true", help="only the runs")
    parser.add_argument("--networks", type=_names, default=list(NETWORKS), help="networks whose steps are timed: "
                        + ", ".join(NETWORKS))
    parser.add_argument("--json", type=Path, help="write every result here")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    args = parser.parse_args(argv)
    try:
        device = resolve_device(args.device)
    except ValueError as exc:
        parser.error(str(exc))
    name = torch.cuda.get_device_name(device) if device.type == "cuda" else platform.processor() or "CPU"
    print(f"device {device} ({name}), torch {torch.__version__}, Python {platform.python_version()}", flush=True)

    env, arrays = observations(3, 256, seed=0)
    steps: list[StepResult] = []
    for network_name, kind, config in [] if args.no_steps else [NETWORKS[name] for name in args.networks]:
        batches = args.transformer_batches if kind == "transformer" else args.batches
        for mode in PRECISIONS:
            for accumulation in args.accumulation:
                for batch in batches:
                    steps.append(measure_step(network_name, kind, config, env, arrays, device, mode, accumulation,
                                              batch, args.repeats))
                    print(f"step {json.dumps(steps[-1].__dict__)}", flush=True)
    with tempfile.TemporaryDirectory() as folder:
        trained = [] if args.no_runs else runs(str(device), args.run_steps, args.run_preset, Path(folder))

    if args.json:
        args.json.write_text(json.dumps({"device": str(device), "name": name, "torch": torch.__version__,
                                         "steps": [s.__dict__ for s in steps],
                                         "runs": [r.__dict__ for r in trained]}, indent=1) + "\n")
    if args.markdown:
        print("\n| network | parameters | precision | micro-batches | batch | ms per step | samples/s | peak MiB |")
        print("|---|---:|---|---:|---:|---:|---:|---:|")
        for s in steps:
            figures = (f"{s.milliseconds:.2f} | {s.samples_per_second:,.0f} | {s.peak_mib:,.0f}" if not s.note
                       else f"{s.note} | | ")
            print(f"| {s.network} | {s.parameters:,} | {s.precision} | {s.accumulation} | {s.batch:,} | {figures} |")
        if trained:
            print(f"\n| run (level 1, {args.run_preset} preset) | env steps | seconds | steps/s | peak MiB "
                  f"| checkpoint on CPU |")
            print("|---|---:|---:|---:|---:|---|")
            for r in trained:
                if r.error:
                    print(f"| {r.name} | | | | | failed: {r.error} |")
                else:
                    print(f"| {r.name} | {r.env_steps:,} | {r.seconds:.1f} | {r.steps_per_second:,.0f} | "
                          f"{r.peak_mib:,.0f} | {'loads, finite' if r.loads_on_cpu else 'NOT finite'} |")
    failed = [s for s in steps if s.note not in ("", "CUDA only")] + [r for r in trained
                                                                       if r.error and "CUDA only" not in r.error]
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
