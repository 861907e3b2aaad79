#!/usr/bin/env python3
"""Learning benchmark: held-out success of each agent with a fixed step budget, several seeds, in one run.

Run from the repository root::

    python3 benchmarks/learning.py                      # every row, seeds 1,2,3, then print the table
    python3 benchmarks/learning.py --rows ppo:1,ppo:2 --seeds 1 --scale 0.5
    python3 benchmarks/learning.py --update-benchmarks   # also write the table into BENCHMARKS.md
    python3 benchmarks/learning.py --throughput 16384    # steps/s: our PPO vs MaskablePPO and CartPole, alternated
    python3 benchmarks/learning.py --throughput 100000 --levels 2 --rounds 1 --update-benchmarks  # adds a row

Each (row, seed) trains in its own process with ``sheetrl``'s runner (``TrainConfig``: the row's algorithm,
level, ``quick`` preset and step budget; one torch thread) and is evaluated on the same held-out tasks as
``sheetrl eval``, in both splits: ``iid`` (new seeds, layouts like training's) and ``ood`` (held-out positions,
sizes, spacer patterns, phrasings and template combinations; ``--eval-episodes`` per level and split,
:func:`sheetrl.train.evaluate.run_episodes`). In the same run:

- ``maskable_ppo``: sb3-contrib's MaskablePPO on :class:`~sheetrl.env.wrappers.FlatMaskedEnv` with our PPO quick
  preset's settings (8 envs × 64 steps, 2 minibatches of 256, 10 epochs, lr 5e-4, entropy 0.01, two tanh layers of
  128, γ 0.99, λ 0.95, clip 0.2) and the same budget as our PPO on that level;
- ``ppo_lean``: our PPO with the cheaper update (one trunk for both heads, 2 minibatches of 256 per epoch), to
  see whether it keeps the ``ppo`` rows' success; ``ppo_shared`` and ``ppo_2mb`` each of the two alone;
- ``bc_encoder`` / ``bc_transformer``: BC with the GNN/CNN/LSTM state encoder or SpreadsheetGPT instead of the
  MLP; ``bc_encoder_no_gnn`` / ``_no_cnn`` / ``_no_lstm`` the encoder with that part left out (the ablation);
- ``bc_dagger_ppo``: BC+DAgger for 8,192 steps, then PPO fine-tuning from its network for the rest of the budget
  (``BC_PPO_SETTINGS``: the BC widths, lr 1e-4, KL 0.1 toward the BC policy, entropy 0.001);
  ``bc_dagger_hierarchical`` the same BC+DAgger run, then the hierarchical agent for the same rest of the budget,
  every specialist and the navigator started from the BC network with the same settings, its meta-controller
  imitating the expert's choices for the first ``HIERARCHICAL_SETTINGS['meta_imitation_iterations']`` iterations
  (counted in the budget); ``bc_dagger_hierarchical_options`` the same with the first design's options (no
  navigator: a specialist also walks the shared moves);
- ``random``: the uniform random masked policy (no training);
- ``bc`` / ``bc_dagger``: behaviour cloning from 300 expert episodes (quick preset), without and with DAgger;
  ``bc_dagger_instructed`` with the ``instructed`` factored action head (the computation a macro names scored
  from the instruction's words, where it reads from scored from the state);
  ``bc_wide`` / ``bc_dagger_wide`` the same from 3,000 expert episodes (as many distinct training tasks) with four
  times the budget;
- ``memoriser``: the lookup table from instruction text to the expert's macros, built from the row's budget of
  training tasks (its "steps" column counts tasks, not steps; seeds do not change it).

Results go to ``--out`` (JSON lines, one per run). A run already in that file is not repeated, so an interrupted
benchmark continues where it stopped; ``--fresh`` starts over. A row run with another ``--scale`` is a row of its
own in the table. ``--jobs N`` runs N trainings at once (timings
then share the machine: keep 1 for the wall-time and steps/s columns).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

BC_STEPS = 8_192  # behaviour cloning's budget in the rows that fine-tune it with PPO afterwards
BC_PPO_STEPS = BC_STEPS + 32_768  # bc_dagger_ppo: BC+DAgger, then PPO from its network for the rest
# PPO fine-tuning a BC+DAgger network (docs/agents.md, "Fine-tuning from a run"): the BC quick preset's widths, a
# smaller step than PPO from scratch, a KL term toward the BC policy and little entropy bonus, so that the first
# noisy updates do not undo the demonstrations
BC_PPO_SETTINGS = {"hidden_sizes": (256, 256), "learning_rate": 1e-4, "kl_coef": 0.1, "entropy_coef": 0.001}
# The hierarchical agent from the same BC+DAgger network: each specialist with BC_PPO_SETTINGS; the meta-controller
# as wide as a specialist, its trunks from the BC network too (its head fresh), learning the expert's choice of
# specialist for its first 16 iterations (8,192 of the 32,768 steps; step size 1e-3), then by PPO
HIERARCHICAL_SETTINGS = {**BC_PPO_SETTINGS, "meta_hidden_sizes": (256, 256), "meta_trunks_from_source": True,
                         "meta_imitation_iterations": 16, "meta_learning_rate": 1e-3}
FINE_TUNERS = {"bc_dagger_ppo": ("ppo", BC_PPO_SETTINGS),
               "bc_dagger_hierarchical": ("hierarchical", HIERARCHICAL_SETTINGS),
               "bc_dagger_hierarchical_options": ("hierarchical", {**HIERARCHICAL_SETTINGS, "navigator": False})}
ENCODER_PARTS = ("gnn", "cnn", "formula_lstm", "instruction")  # models.encoders.DEFAULT_ENCODER_PARTS

# (algorithm, level, step budget at --scale 1). The budgets are what the quick presets need on a 2-core CPU.
ROWS: list[tuple[str, int | str, int]] = [
    *(("random", level, 0) for level in (1, 2, 3, 4, 5)),
    *(("memoriser", level, 10_000) for level in (1, 2, 3, 4, 5)),
    ("tabular_q", 1, 50_000),
    ("tabular_q", 2, 100_000),
    ("dqn", 1, 50_000),
    ("dqn", 2, 100_000),
    ("ppo", 1, 50_000),
    ("ppo", 2, 100_000),
    ("ppo", 3, 150_000),
    ("ppo", "curriculum", 200_000),
    ("ppo_lean", 1, 50_000),
    ("ppo_lean", 2, 100_000),
    ("ppo_shared", 2, 100_000),
    ("ppo_2mb", 2, 100_000),
    ("maskable_ppo", 1, 50_000),
    ("maskable_ppo", 2, 100_000),
    ("bc", 3, 8_192),
    ("bc", 5, 8_192),
    ("bc_dagger", 3, 8_192),
    ("bc_dagger", 4, 8_192),
    ("bc_dagger", 5, 8_192),
    ("bc_dagger_instructed", 2, 8_192),
    ("bc_dagger_instructed", 3, 8_192),
    ("bc_dagger", "curriculum", 16_384),  # trained on every level's tasks at once, evaluated on each
    ("bc_dagger_instructed", "curriculum", 16_384),
    ("bc_encoder", 3, 8_192),
    ("bc_transformer", 3, 8_192),
    # the ablation: the encoder without each of its parts, BC+DAgger then PPO, MaskablePPO on the same levels
    ("bc_encoder_no_gnn", 3, 8_192),
    ("bc_encoder_no_cnn", 3, 8_192),
    ("bc_encoder_no_lstm", 3, 8_192),
    ("bc_encoder", 5, 8_192),
    ("bc_encoder_no_gnn", 5, 8_192),
    ("bc_encoder_no_cnn", 5, 8_192),
    ("bc_encoder_no_lstm", 5, 8_192),
    ("bc_transformer", 5, 8_192),
    ("bc_dagger_ppo", 3, BC_PPO_STEPS),
    ("bc_dagger_ppo", 5, BC_PPO_STEPS),
    ("bc_dagger_hierarchical", 3, BC_PPO_STEPS),
    ("bc_dagger_hierarchical", 5, BC_PPO_STEPS),
    ("bc_dagger_hierarchical_options", 5, BC_PPO_STEPS),
    ("maskable_ppo", 3, 150_000),
    ("maskable_ppo", 5, 150_000),
    ("bc_wide", 3, 32_768),
    ("bc_wide", 5, 32_768),
    ("bc_dagger_wide", 3, 32_768),
    ("bc_dagger_wide", 5, 32_768),
]
# Rows that are one of our algorithms with options: (algorithm, TrainConfig changes).
VARIANTS: dict[str, tuple[str, dict[str, Any]]] = {
    # PPO with the cheaper update of benchmarks/ppo_update.py: one trunk for both heads, 2 minibatches of 256
    "ppo_lean": ("ppo", {"overrides": {"shared_trunk": True, "num_minibatches": 2}}),
    "ppo_shared": ("ppo", {"overrides": {"shared_trunk": True}}),  # each of the two alone
    "ppo_2mb": ("ppo", {"overrides": {"num_minibatches": 2}}),
    "bc_dagger": ("bc", {"dagger": True}),
    # the factored head whose computations are read from the instruction's words (models.policy.FACTORINGS)
    "bc_dagger_instructed": ("bc", {"dagger": True, "overrides": {"factored_actions": "instructed"}}),
    "bc_encoder": ("bc", {"policy": "encoder"}),  # the GNN/CNN/LSTM state encoder instead of the flat MLP
    "bc_transformer": ("bc", {"policy": "transformer"}),  # SpreadsheetGPT, quick preset
    # the encoder with one part left out (models.encoders.EncoderConfig.from_parts)
    **{f"bc_encoder_no_{short}": ("bc", {"policy": "encoder", "overrides": {
        "encoder_parts": tuple(part for part in ENCODER_PARTS if part != removed)}})
       for short, removed in (("gnn", "gnn"), ("cnn", "cnn"), ("lstm", "formula_lstm"))},
    # ten times the demonstrations (3,000 expert episodes: as many training layouts) and four times the updates
    "bc_wide": ("bc", {"overrides": {"demo_episodes": 3000}}),
    "bc_dagger_wide": ("bc", {"dagger": True, "overrides": {"demo_episodes": 3000}}),
}
MARK_START = "<!-- learning:start -->"
MARK_END = "<!-- learning:end -->"
THROUGHPUT_START = "<!-- learning-throughput:start -->"
THROUGHPUT_END = "<!-- learning-throughput:end -->"
MASKABLE_SETTINGS = dict(n_steps=64, batch_size=256, n_epochs=10, learning_rate=5e-4, ent_coef=0.01, gamma=0.99,
                         gae_lambda=0.95, clip_range=0.2, max_grad_norm=0.5, vf_coef=0.5)


def row_name(algo: str, level: int | str) -> str:
    return f"{algo}:{level}"


def parse_row(text: str) -> tuple[str, int | str, int]:
    algo, _, level = text.partition(":")
    for known in ROWS:
        if known[0] == algo and str(known[1]) == level:
            return known
    names = ", ".join(row_name(a, lv) for a, lv, _ in ROWS)
    raise SystemExit(f"unknown row {text!r}; rows are: {names}")


# ------------------------------------------------------------------------------------------------ one run
def quick_runner(algo: str, level: int | str, seed: int, steps: int, run_dir: Path | str, **changes: Any) -> Any:
    """A quiet runner of our ``algo`` with its quick preset on CPU, one torch thread, in a scratch ``run_dir``."""
    from rich.console import Console

    from sheetrl.train.config import TrainConfig
    from sheetrl.train.runner import Runner

    config = TrainConfig(algo=algo, level=level, preset="quick", seed=seed, total_steps=steps, run_dir=str(run_dir),
                         wandb="disabled", tensorboard=False, progress=False, device="cpu", threads=1, **changes)
    return Runner.start(config, console=Console(quiet=True), overwrite=True)


def maskable_ppo_model(level: int, seed: int) -> Any:
    """sb3-contrib's MaskablePPO on 8 FlatMaskedEnvs with our PPO quick preset's settings, one torch thread."""
    import torch
    from sb3_contrib import MaskablePPO
    from stable_baselines3.common.vec_env import DummyVecEnv

    from sheetrl.env.wrappers import FlatMaskedEnv

    torch.set_num_threads(1)
    envs = DummyVecEnv([lambda: FlatMaskedEnv(level=level) for _ in range(8)])
    envs.seed(seed)
    return MaskablePPO("MlpPolicy", envs, seed=seed, device="cpu", verbose=0,
                       policy_kwargs=dict(net_arch=dict(pi=[128, 128], vf=[128, 128]), activation_fn=torch.nn.Tanh),
                       **MASKABLE_SETTINGS)


def child(arguments: list[str], check: bool = False) -> subprocess.CompletedProcess:
    """Run this script with ``arguments`` in a child process limited to one OpenMP/MKL thread."""
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    return subprocess.run([sys.executable, __file__, *arguments], capture_output=True, text=True, env=env,
                          check=check)


def _split_figures(results: dict[str, Any]) -> dict[str, Any]:
    """success_rate, ci_low, ci_high, eval_episodes and per_level for each split, from EvalResults by split and
    level (pooled over levels)."""
    from sheetrl.train.evaluate import EvalResult

    figures: dict[str, Any] = {}
    for split, per_level in results.items():
        pooled = EvalResult.pooled(list(per_level.values()), "all")
        figures[split] = {"success_rate": pooled.success_rate, "ci_low": pooled.ci_low, "ci_high": pooled.ci_high,
                          "eval_episodes": pooled.episodes,
                          "per_level": {str(level): r.success_rate for level, r in per_level.items()}}
    return figures


def run_bc_then(row: str, level: int | str, seed: int, steps: int, eval_episodes: int, run_dir: Path) -> dict:
    """BC+DAgger for :data:`BC_STEPS`, then the row's fine-tuner (:data:`FINE_TUNERS`: PPO or the hierarchical
    agent) started from its network (``--init-from``) for the rest of ``steps``; the evaluation is the second run's,
    the time both trainings'."""
    algo, settings = FINE_TUNERS[row]
    bc_steps = min(BC_STEPS, steps)
    bc = quick_runner("bc", level, seed, bc_steps, run_dir / "bc", eval_episodes=0, dagger=True).run()
    tuned = quick_runner(algo, level, seed, steps - bc_steps, run_dir / algo, eval_episodes=eval_episodes,
                         init_from=str(run_dir / "bc"), overrides=dict(settings)).run()
    return {"train_seconds": bc.seconds + tuned.seconds, "env_steps": bc.env_steps + tuned.env_steps,
            **_run_figures(tuned)}


def _run_figures(result: Any) -> dict:
    """The held-out success of a finished run, per split."""
    document = result.evaluation or {}
    return {split: {"success_rate": part.get("success_rate"), "ci_low": part.get("ci_low"),
                    "ci_high": part.get("ci_high"), "eval_episodes": part.get("episodes"),
                    "per_level": {k: v["success_rate"] for k, v in part.get("per_level", {}).items()}}
            for split, part in document.get("per_split", {}).items()}


def run_ours(algo: str, level: int | str, seed: int, steps: int, eval_episodes: int, run_dir: Path) -> dict:
    if algo in FINE_TUNERS:
        return run_bc_then(algo, level, seed, steps, eval_episodes, run_dir)
    algo, changes = VARIANTS.get(algo, (algo, {}))
    result = quick_runner(algo, level, seed, steps, run_dir, eval_episodes=eval_episodes, **changes).run()
    return {"train_seconds": result.seconds, "env_steps": result.env_steps, **_run_figures(result)}


def _evaluate(policy: Any, level: int, eval_episodes: int) -> dict[str, Any]:
    from sheetrl.train.evaluate import EVAL_SPLITS, run_episodes

    return _split_figures({split: {level: run_episodes(policy, level, eval_episodes, split=split)}
                           for split in EVAL_SPLITS})


def run_maskable_ppo(level: int, seed: int, steps: int, eval_episodes: int) -> dict:
    import numpy as np

    model = maskable_ppo_model(level, seed)
    start = time.perf_counter()
    model.learn(total_timesteps=steps)
    seconds = time.perf_counter() - start

    class Policy:
        name = "maskable_ppo"

        def start(self, slot: int, env: Any, episode: int) -> None:
            pass

        def act(self, obs: dict, masks: np.ndarray, slots: list[int]) -> np.ndarray:
            actions, _ = model.predict(obs["flat"], action_masks=masks, deterministic=True)
            return np.asarray(actions)

    return {"train_seconds": seconds, "env_steps": int(model.num_timesteps),
            **_evaluate(Policy(), level, eval_episodes)}


def run_random(level: int, seed: int, eval_episodes: int) -> dict:
    from sheetrl.train.evaluate import RandomMaskedPolicy

    return {"train_seconds": 0.0, "env_steps": 0, **_evaluate(RandomMaskedPolicy(seed), level, eval_episodes)}


def run_memoriser(level: int, tasks: int, eval_episodes: int) -> dict:
    from sheetrl.train.evaluate import MemoriserPolicy

    start = time.perf_counter()
    memoriser = MemoriserPolicy.from_training([level], tasks)
    return {"train_seconds": time.perf_counter() - start, "env_steps": 0, "remembered": len(memoriser.table),
            **_evaluate(memoriser, level, eval_episodes)}


def run_one(algo: str, level: int | str, seed: int, steps: int, eval_episodes: int, scratch: Path) -> dict:
    started = time.perf_counter()
    if algo == "random":
        figures = run_random(int(level), seed, eval_episodes)
    elif algo == "memoriser":
        figures = run_memoriser(int(level), steps, eval_episodes)
    elif algo == "maskable_ppo":
        figures = run_maskable_ppo(int(level), seed, steps, eval_episodes)
    else:
        figures = run_ours(algo, level, seed, steps, eval_episodes, scratch / f"{algo}-{level}-{seed}-{steps}")
    seconds = figures["train_seconds"]
    figures.update(algo=algo, level=level, seed=seed, budget=steps, wall_seconds=time.perf_counter() - started,
                   sps=figures["env_steps"] / seconds if seconds else None)
    return figures


# ----------------------------------------------------------------------------------------------- throughput
def throughput_one(which: str, level: int, steps: int) -> dict:
    """Training steps/s of our PPO or MaskablePPO (quick settings) over ``steps`` steps, and the time spent in
    updates (the rest is collecting experience)."""
    import tempfile

    update_seconds = 0.0

    def timed(function: Any) -> Any:
        def wrapper(*args: Any) -> Any:
            nonlocal update_seconds
            started = time.perf_counter()
            result = function(*args)
            update_seconds += time.perf_counter() - started
            return result

        return wrapper

    if which == "cartpole":  # the floor for Python env overhead: CartPole-v1 stepped with random actions
        import gymnasium as gym

        env = gym.make("CartPole-v1")
        env.reset(seed=0)
        env.action_space.seed(0)
        started = time.perf_counter()
        for _ in range(steps):
            _, _, terminated, truncated, _ = env.step(env.action_space.sample())
            if terminated or truncated:
                env.reset()
        seconds = time.perf_counter() - started
        return {"agent": which, "level": level, "steps": steps, "seconds": seconds, "update_seconds": 0.0,
                "sps": steps / seconds}
    with tempfile.TemporaryDirectory() as scratch:
        if which == "ppo":
            model = quick_runner("ppo", level, 1, steps, scratch, eval_episodes=0, checkpoint_every=10**9)
            model.agent.update = timed(model.agent.update)
            learn = model.run
        else:
            model = maskable_ppo_model(level, 1)
            model.train = timed(model.train)
            learn = lambda: model.learn(total_timesteps=steps)  # noqa: E731
        started = time.perf_counter()
        learn()
        seconds = time.perf_counter() - started
    return {"agent": which, "level": level, "steps": steps, "seconds": seconds, "update_seconds": update_seconds,
            "sps": steps / seconds}


def throughput(levels: list[int], steps: int, rounds: int) -> str:
    """Our PPO, MaskablePPO and CartPole-v1's bare env (random actions, 20× the steps) alternated in child
    processes, so all see the same machine; the table gives the median steps/s of each and the ratios."""
    lines = ["| level | steps | ours: steps/s | MaskablePPO: steps/s | ours / MaskablePPO "
             "| update share (ours, MaskablePPO) | ours / CartPole-v1 |",
             "|---|---:|---:|---:|---:|---|---:|"]
    for level in levels:
        runs: dict[str, list[dict]] = {"ppo": [], "maskable_ppo": [], "cartpole": []}
        for _ in range(rounds):
            for which in runs:
                budget = steps * 20 if which == "cartpole" else steps
                completed = child(["--throughput-one", f"{which}:{level}:{budget}"], check=True)
                runs[which].append(json.loads(completed.stdout.strip().splitlines()[-1]))
        ours, theirs, cartpole = (statistics.median(r["sps"] for r in runs[w]) for w in runs)
        share = [statistics.median(r["update_seconds"] / r["seconds"] for r in runs[w])
                 for w in ("ppo", "maskable_ppo")]
        lines.append(f"| {level} | {steps:,} | {ours:,.0f} | {theirs:,.0f} | {ours / theirs:.2f} "
                     f"| {share[0]:.0%}, {share[1]:.0%} | {ours / cartpole:.4f} |")
        print(lines[-1], flush=True)
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------------- table
def load(out: Path) -> list[dict]:
    if not out.exists():
        return []
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines() if line.strip()]


SPLITS = ("iid", "ood")


def table(results: list[dict]) -> str:
    """Mean ± sd over seeds of each row's success on each split, each seed's figures, pooled Wilson intervals,
    train time, steps/s. Results of the v0 environment (one held-out split) are left out."""
    lines = [
        "| agent | level | steps | seeds | iid success (mean ± sd) | ood success (mean ± sd) | per seed (iid / ood) "
        "| 95% CI iid (pooled) | 95% CI ood (pooled) | train time per seed | steps/s | runs at once |",
        "|---|---|---:|---:|---:|---:|---|---|---|---:|---:|---:|",
    ]
    order = {row_name(a, lv): i for i, (a, lv, _) in enumerate(ROWS)}
    groups: dict[tuple[str, int], list[dict]] = {}  # (row, budget): a row run with --scale is a row of its own
    for r in results:
        if all(split in r for split in SPLITS):
            groups.setdefault((row_name(r["algo"], r["level"]), r["budget"]), []).append(r)
    from sheetrl.train.evaluate import wilson_interval

    def summary(runs: list[dict], split: str, level: str | None = None) -> tuple[list[float], str, str]:
        rates = [r[split]["success_rate"] if level is None else r[split]["per_level"].get(level, 0.0) for r in runs]
        sd = statistics.stdev(rates) if len(rates) > 1 else 0.0
        episodes = sum(r[split]["eval_episodes"] for r in runs)
        successes = sum(round(r[split]["success_rate"] * r[split]["eval_episodes"]) for r in runs)
        low, high = wilson_interval(successes, episodes)
        return rates, f"{statistics.fmean(rates):.3f} ± {sd:.3f}", f"{low:.3f}–{high:.3f}"

    for key in sorted(groups, key=lambda k: (order.get(k[0], len(order)), k[1])):
        runs = sorted(groups[key], key=lambda r: r["seed"])
        iid, iid_text, iid_ci = summary(runs, "iid")
        ood, ood_text, ood_ci = summary(runs, "ood")
        seconds = statistics.fmean(r["train_seconds"] for r in runs)
        sps = [r["sps"] for r in runs if r["sps"]]
        per_seed = " ".join(f"{a:.2f}/{b:.2f}" for a, b in zip(iid, ood))
        time_text = f"{seconds / 60:.1f} min" if seconds else "–"
        sps_text = f"{statistics.fmean(sps):,.0f}" if sps else "–"
        concurrent = sorted({str(r.get("concurrent", "?")) for r in runs})
        lines.append(f"| {runs[0]['algo']} | {runs[0]['level']} | {runs[0]['budget']:,} | {len(runs)} "
                     f"| {iid_text} | {ood_text} | {per_seed} | {iid_ci} | {ood_ci} | {time_text} | {sps_text} "
                     f"| {', '.join(concurrent)} |")
        if runs[0]["level"] == "curriculum":  # each level the curriculum reached (0 where a seed did not reach it)
            levels = sorted({level for r in runs for level in r["iid"]["per_level"]}, key=int)
            for level in levels:
                iid, iid_text, _ = summary(runs, "iid", level)
                ood, ood_text, _ = summary(runs, "ood", level)
                reached = sum(level in r["iid"]["per_level"] for r in runs)
                lines.append(f"| {runs[0]['algo']} | curriculum → L{level} | | {reached} reached | {iid_text} "
                             f"| {ood_text} | {' '.join(f'{a:.2f}/{b:.2f}' for a, b in zip(iid, ood))} | | | | | |")
    return "\n".join(lines)


def update_benchmarks(text: str, path: Path = ROOT / "BENCHMARKS.md", start: str = MARK_START, end: str = MARK_END,
                      heading: str = "## Learning", append: bool = False) -> None:
    """Put ``text`` between the ``start`` and ``end`` markers of BENCHMARKS.md (a new section when absent);
    with ``append``, the rows of a table already there are kept, except those the new rows replace (same first
    two cells), and the new rows are added."""
    document = path.read_text(encoding="utf-8")
    if start in document and end in document:
        head, rest = document.split(start, 1)
        old, tail = rest.split(end, 1)
        old_rows = old.strip().splitlines()
        if append and len(old_rows) > 2:  # a new row replaces an old one with the same first two cells
            def key(row: str) -> tuple[str, ...]:
                return tuple(cell.strip() for cell in row.split("|")[1:3])

            new_rows = text.splitlines()[2:]
            replaced = {key(row) for row in new_rows}
            kept = [row for row in old_rows[2:] if key(row) not in replaced]
            text = "\n".join(old_rows[:2] + kept + new_rows)
        document = head + f"{start}\n{text}\n{end}" + tail
    else:
        document = document.rstrip("\n") + f"\n\n{heading}\n\n{start}\n{text}\n{end}\n"
    path.write_text(document, encoding="utf-8")


# ----------------------------------------------------------------------------------------------------- main
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", default=",".join(row_name(a, lv) for a, lv, _ in ROWS),
                        help="comma-separated algo:level rows (default: all)")
    parser.add_argument("--seeds", default="1,2,3", help="comma-separated training seeds")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every step budget")
    parser.add_argument("--eval-episodes", type=int, default=200, help="held-out episodes per level and split")
    parser.add_argument("--jobs", type=int, default=1, help="trainings at once")
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "learning_v1.jsonl")
    parser.add_argument("--scratch", type=Path, default=ROOT / "runs" / "benchmark-learning")
    parser.add_argument("--fresh", action="store_true", help="forget earlier results in --out")
    parser.add_argument("--update-benchmarks", action="store_true", help="write the table into BENCHMARKS.md")
    parser.add_argument("--throughput", type=int, metavar="STEPS",
                        help="instead: steps/s of our PPO vs MaskablePPO (and CartPole-v1) on L1 and L2, "
                        "alternated, STEPS each")
    parser.add_argument("--rounds", type=int, default=2, help="with --throughput: runs of each agent per level")
    parser.add_argument("--levels", default="1,2", help="with --throughput: comma-separated levels")
    parser.add_argument("--one", help=argparse.SUPPRESS)  # internal: algo:level:seed:steps in a child process
    parser.add_argument("--throughput-one", help=argparse.SUPPRESS)  # internal: agent:level:steps
    args = parser.parse_args()
    if args.eval_episodes < 1 or args.jobs < 1 or args.scale <= 0:
        raise SystemExit("--eval-episodes and --jobs must be at least 1 and --scale positive")

    if args.throughput_one:
        which, level, steps = args.throughput_one.split(":")
        print(json.dumps(throughput_one(which, int(level), int(steps))))
        return
    if args.throughput:
        text = throughput([int(level) for level in args.levels.split(",") if level], args.throughput,
                          max(1, args.rounds))
        print(text)
        if args.update_benchmarks:
            update_benchmarks(text, start=THROUGHPUT_START, end=THROUGHPUT_END, heading="## Learning: PPO throughput",
                              append=True)
        return

    if args.one:
        algo, level, seed, steps = args.one.split(":")
        parsed_level: int | str = level if level == "curriculum" else int(level)
        print(json.dumps(run_one(algo, parsed_level, int(seed), int(steps), args.eval_episodes, args.scratch)))
        return

    try:
        rows = [parse_row(text) for text in args.rows.split(",") if text]
        seeds = [int(s) for s in args.seeds.split(",") if s]
    except ValueError as exc:
        raise SystemExit(f"bad --seeds: {exc}") from None
    args.out.parent.mkdir(parents=True, exist_ok=True)
    if args.fresh and args.out.exists():
        args.out.unlink()
    done = {(r["algo"], str(r["level"]), r["seed"], r["budget"]) for r in load(args.out)}
    todo = [(algo, level, seed, int(steps * args.scale)) for algo, level, steps in rows for seed in seeds
            if (algo, str(level), seed, int(steps * args.scale)) not in done]
    print(f"{len(todo)} runs to do ({len(done)} already in {args.out}); {platform.processor() or platform.machine()}, "
          f"{os.cpu_count()} CPUs, python {platform.python_version()}", flush=True)

    def launch(job: tuple[str, int | str, int, int]) -> dict | None:
        algo, level, seed, steps = job
        completed = child(["--one", f"{algo}:{level}:{seed}:{steps}", "--eval-episodes", str(args.eval_episodes),
                           "--scratch", str(args.scratch)])
        if completed.returncode != 0:
            print(f"FAILED {algo}:{level} seed {seed}:\n{completed.stderr[-2000:]}", flush=True)
            return None
        figures = json.loads(completed.stdout.strip().splitlines()[-1])
        figures["concurrent"] = args.jobs  # trainings sharing the machine (timings depend on it)
        with args.out.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(figures) + "\n")
        print(f"{algo}:{level} seed {seed}: success iid {figures['iid']['success_rate']:.3f}, ood "
              f"{figures['ood']['success_rate']:.3f} in {figures['train_seconds'] / 60:.1f} min "
              f"({figures['sps'] or 0:,.0f} steps/s)", flush=True)
        return figures

    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        list(pool.map(launch, todo))
    results = [r for r in load(args.out) if r["seed"] in seeds]  # every row measured so far, not only --rows
    text = table(results)
    print(text)
    if args.update_benchmarks:
        update_benchmarks(text)


if __name__ == "__main__":
    main()
