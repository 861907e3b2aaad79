"""Train on a rented GPU with Modal: one command, a run folder that survives the container, resume on preemption.

The app (``modal.App("sheetrl")``) has one function, :func:`train_on_modal`, that runs :func:`train_job` in a
container built from :data:`image` (Debian slim, Python 3.11, torch and sheetrl's runtime dependencies, and this
checkout's ``sheetrl`` package), with a GPU and the persistent volume ``sheetrl-runs`` mounted at ``/runs``::

    SHEETRL_GPU=A100 modal run -m sheetrl.train.modal_app --level 2 --preset seed --precision bf16

- **GPU**: ``SHEETRL_GPU`` picks one of :data:`GPUS` when the module is imported (Modal fixes a function's GPU
  when the app is defined); T4 when unset.
- **Run folders** live on the volume (``/runs/<run name>``): ``modal volume get sheetrl-runs <run name>`` copies
  one home, where ``sheetrl eval``/``plot`` read it as any other run.
- **Checkpoints** every 100 finished episodes (``checkpoint_every=100`` and no time limit between them), each
  committed to the volume at once, so a preempted container loses at most 100 episodes: Modal retries the call
  (:data:`RETRIES`) and :func:`train_job` resumes the run from its checkpoint instead of starting again.
- **wandb**: online when ``WANDB_API_KEY`` is set in the container, which the Modal secret named by
  ``SHEETRL_WANDB_SECRET`` provides (``modal secret create wandb WANDB_API_KEY=...``); offline files otherwise
  (``wandb sync`` uploads them later).

Without a Modal account the same job runs here: ``train_on_modal.local(...)`` or :func:`train_job` directly
(what the tests do); nothing in this module contacts Modal until ``modal run``/``modal deploy``.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import modal

from sheetrl.train.config import ConfigError, TrainConfig, parse_level

APP_NAME = "sheetrl"
GPUS = ("T4", "A100", "A100-80GB", "H100")
RUNS_VOLUME = "sheetrl-runs"
RUNS_MOUNT = "/runs"
CHECKPOINT_EVERY_EPISODES = 100
TIMEOUT_SECONDS = 24 * 60 * 60  # Modal's longest function timeout
RETRIES = 3  # restarts after a preemption or crash; each one resumes from the last checkpoint
TORCH_VERSION = "torch==2.13.0"


def selected_gpu(environ: dict[str, str] | None = None) -> str:
    """The GPU named by ``SHEETRL_GPU`` (case-insensitive; T4 when unset); a clear error for any other name."""
    environ = dict(os.environ) if environ is None else environ
    name = environ.get("SHEETRL_GPU", "T4").strip().upper()
    if name not in GPUS:
        raise ConfigError(f"SHEETRL_GPU must be one of {', '.join(GPUS)}, not {environ.get('SHEETRL_GPU')!r}")
    return name


def runtime_requirements() -> list[str]:
    """sheetrl's own runtime dependencies (from the installed package's metadata), torch pinned as the README
    installs it; the extras (tests, benchmarks, Ray) stay out of the image."""
    try:
        requirements = importlib.metadata.requires("sheetrl") or []
    except importlib.metadata.PackageNotFoundError:  # inside the container sheetrl is source, not installed
        requirements = []
    plain = [requirement for requirement in requirements if "extra ==" not in requirement]
    return [TORCH_VERSION] + [requirement for requirement in plain if not re.match(r"torch\b(?!_)", requirement)]


def wandb_mode(environ: dict[str, str] | None = None) -> str:
    """``online`` when a wandb API key is present, else ``offline``."""
    environ = dict(os.environ) if environ is None else environ
    return "online" if environ.get("WANDB_API_KEY") else "offline"


def train_job(level: int | str = 1, algo: str = "ppo", preset: str = "quick", seed: int = 1,
              total_steps: int | None = None, precision: str = "fp32", accumulation_steps: int = 1,
              device: str = "auto", run_name: str | None = None, runs_root: str | Path = RUNS_MOUNT,
              eval_episodes: int = 100, overrides: dict[str, Any] | None = None,
              on_checkpoint: Callable[[], None] | None = None, progress: bool = False) -> dict[str, Any]:
    """Train one run in ``runs_root/run_name`` (default name ``{level}__{algo}__{seed}``), or continue it from its
    checkpoint when that folder already holds one (a retried, preempted call); returns a summary of the run.

    ``on_checkpoint`` is called after every checkpoint is written (the Modal function commits the volume there).
    """
    from sheetrl.train.checkpoint import has_checkpoint
    from sheetrl.train.runner import Runner

    level = parse_level(level)
    run_dir = Path(runs_root) / (run_name or f"{level}__{algo}__{seed}")
    if has_checkpoint(run_dir):
        runner = Runner.resume(run_dir, changes={"device": device, "progress": progress})
    else:
        config = TrainConfig(algo=algo, level=level, preset=preset, seed=seed, total_steps=total_steps,
                             precision=precision, accumulation_steps=accumulation_steps, device=device,
                             run_dir=str(run_dir), checkpoint_every=CHECKPOINT_EVERY_EPISODES, checkpoint_interval=0,
                             eval_episodes=eval_episodes, wandb=wandb_mode(), overrides=dict(overrides or {}),
                             progress=progress)
        runner = Runner.start(config)
    if on_checkpoint is not None:
        save = runner.save

        def save_and_notify() -> Path:
            path = save()
            on_checkpoint()
            return path

        runner.save = save_and_notify  # type: ignore[method-assign]
    result = runner.run()
    return {"run_dir": str(result.run_dir), "env_steps": result.env_steps, "episodes": result.episodes,
            "seconds": result.seconds, "success_rate": result.success_rate, "finished": result.finished,
            "device": str(runner.device),
            "eval_success_rate": None if result.evaluation is None else result.evaluation["success_rate"]}


# ------------------------------------------------------------------------------------------------- the app
app = modal.App(APP_NAME)
image = (
    modal.Image.debian_slim(python_version="3.11")
    .pip_install(*runtime_requirements())
    .add_local_python_source("sheetrl")
)
runs_volume = modal.Volume.from_name(RUNS_VOLUME, create_if_missing=True)
_secret_name = os.environ.get("SHEETRL_WANDB_SECRET")
secrets = [modal.Secret.from_name(_secret_name, required_keys=["WANDB_API_KEY"])] if _secret_name else []


@app.function(image=image, gpu=selected_gpu(), volumes={RUNS_MOUNT: runs_volume}, secrets=secrets,
              timeout=TIMEOUT_SECONDS, retries=RETRIES)
def train_on_modal(level: int | str = 1, algo: str = "ppo", preset: str = "quick", seed: int = 1,
                   total_steps: int | None = None, precision: str = "fp32", accumulation_steps: int = 1,
                   run_name: str | None = None, eval_episodes: int = 100,
                   runs_root: str = RUNS_MOUNT) -> dict[str, Any]:
    """:func:`train_job` on the selected GPU, its run folder on the ``sheetrl-runs`` volume (committed after every
    checkpoint). Called with ``.local()`` it runs in this process, on this machine's device, in ``runs_root``."""
    in_container = not modal.is_local()
    return train_job(level=level, algo=algo, preset=preset, seed=seed, total_steps=total_steps,
                     precision=precision, accumulation_steps=accumulation_steps, device="auto", run_name=run_name,
                     runs_root=runs_root, eval_episodes=eval_episodes,
                     on_checkpoint=runs_volume.commit if in_container else None)


@app.local_entrypoint()
def main(level: str = "1", algo: str = "ppo", preset: str = "quick", seed: int = 1, total_steps: int = 0,
         precision: str = "fp32", accumulation_steps: int = 1, run_name: str = "", eval_episodes: int = 100) -> None:
    """``modal run -m sheetrl.train.modal_app [--level 2 --preset seed ...]``: train remotely, print the summary."""
    summary = train_on_modal.remote(level=parse_level(level), algo=algo, preset=preset, seed=seed,
                                    total_steps=total_steps or None, precision=precision,
                                    accumulation_steps=accumulation_steps, run_name=run_name or None,
                                    eval_episodes=eval_episodes)
    print(summary)
