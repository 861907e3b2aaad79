"""The training loop every algorithm shares: environments, agent, logging, checkpoints, exact resume.

:class:`Runner` builds a :class:`~sheetrl.env.vector.SheetVectorEnv` (``num_envs`` from the algorithm's Config,
reset with the run's seed), the agent (``algorithm(name).build(...)`` with the resolved device and a
:class:`~sheetrl.models.precision.Precision`), then calls ``agent.train_iteration(pool)`` until the run has taken
``total_steps`` environment steps. After every iteration it drains the finished episodes (their return, length,
reward terms and success), every ``log_every`` steps it logs the interval's means to the
:class:`~sheetrl.train.logger.MetricsLogger`, and it updates the progress bar (steps/s, rolling success, curriculum
level) and writes a checkpoint whenever another ``checkpoint_every`` episodes have finished (at most once per
``checkpoint_interval`` seconds); it writes one at the end too, then evaluates the agent on held-out seeds
(``eval.json``).

With ``ray_actors`` the pool is a :class:`~sheetrl.train.distributed.RayRolloutPool` (PPO: Ray actors step the
environments and collect rollouts in parallel, synchronously or overlapped with the update) or a
:class:`~sheetrl.train.distributed_dqn.RayTransitionPool` (DQN: actors step continuously and send transitions to
the learner's replay buffer), and the pool makes the iteration's updates (:mod:`sheetrl.train.distributed` and
:mod:`sheetrl.train.distributed_dqn` say what stays bit-exact).

Exact resume: a checkpoint holds the agent's ``state_dict`` (weights, optimizer, buffers, its RNGs), the vector env's
``get_state`` (every environment's RNGs, curriculum and current episode), the global python/numpy/torch RNG
states, the runner's counters and bookkeeping, and the config. :meth:`Runner.resume` rebuilds everything from the
saved config exactly as a fresh run would, then overwrites it with the saved state; on CPU the continued run is
bit-identical to one that never stopped.

Run folder (``runs/{level}__{algo}__{seed}__{time}`` unless ``run_dir`` is given)::

    config.json           the TrainConfig, the algorithm's Config and the EnvConfig
    metrics.jsonl         every logged metric (what ``sheetrl plot`` reads)
    events.out.tfevents.* TensorBoard
    wandb/                wandb's offline run (``wandb sync`` uploads it)
    checkpoint.pt         the latest checkpoint, checkpoint.prev.pt the one before
    eval.json             held-out evaluation at the end of training
"""

from __future__ import annotations

import dataclasses
import json
import random
import shutil
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import torch
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from sheetrl.agents import non_finite_parameter
from sheetrl.env.spreadsheet_env import EnvConfig, SpreadsheetEnv
from sheetrl.env.vector import EpisodeStats, SheetVectorEnv
from sheetrl.models.precision import Precision, resolve_device
from sheetrl.sheet.fileio import write_atomic
from sheetrl.train.checkpoint import (
    STALE_TEMPORARY_PATTERNS,
    CheckpointError,
    capture_rng_states,
    has_checkpoint,
    load_latest,
    restore_rng_states,
    save_checkpoint,
)
from sheetrl.train.config import ConfigError, TrainConfig, TrainError, check_sizes, one_line
from sheetrl.train.folders import blocking_file, make_folder
from sheetrl.train.logger import METRICS_FILE, MetricsLogger

ROLLING_WINDOW = 100  # episodes in the rolling success rates
CONFIG_FILE = "config.json"
EVAL_FILE = "eval.json"
# Settings a resumed run may change; everything else would make it a different experiment.
RESUMABLE_CHANGES = ("total_steps", "device", "wandb", "tensorboard", "progress", "eval_episodes",
                     "checkpoint_every", "checkpoint_interval", "log_every", "threads", "ray_address")


class TrainingDiverged(TrainError):
    """A network's parameters became NaN or infinite during training; nothing after the last checkpoint was saved."""


class TrainingInterrupted(KeyboardInterrupt):
    """Training stopped on Ctrl-C; the message is the one line that tells the user what was kept and what to run
    next. A subclass of :class:`KeyboardInterrupt`, so code that does not know it still treats it as Ctrl-C."""


@contextmanager
def graceful_interrupts(notice: Callable[[str], None]) -> Iterator[Callable[[], bool]]:
    """Turn the first Ctrl-C into a request to stop at the next iteration boundary (the yielded callable says
    whether one was made); a second Ctrl-C interrupts at once. Outside the main thread signals cannot be caught,
    and Ctrl-C interrupts at once as usual."""
    requested = False

    def handle(signum: int, frame: object) -> None:
        nonlocal requested
        if requested:
            raise KeyboardInterrupt
        requested = True
        notice("stopping after this iteration to save a checkpoint (Ctrl-C again to stop at once)")

    if threading.current_thread() is not threading.main_thread():
        yield lambda: False
        return
    previous = signal.signal(signal.SIGINT, handle)
    try:
        yield lambda: requested
    finally:
        signal.signal(signal.SIGINT, previous)


@dataclass
class TrainResult:
    """What a call to :meth:`Runner.run` achieved."""

    run_dir: Path
    env_steps: int
    episodes: int
    iterations: int
    seconds: float
    success_rate: float  # rolling, last 100 training episodes
    finished: bool  # reached total_steps (False when stopped early with ``until``)
    evaluation: dict[str, Any] | None = None


def set_global_seeds(seed: int) -> None:
    """Seed python's, numpy's and torch's global generators."""
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)


def saved_agent_config(module: Any, base: Any, data: dict[str, Any]) -> Any:
    """The algorithm Config a checkpoint was trained with: ``base`` (the run's preset) with the fields saved in
    ``data``; a field the algorithm added after the checkpoint was written takes the value that reproduces the old
    behaviour (the module's ``FIELDS_ADDED_LATER``), not today's default."""
    return config_from_dict(base, {**getattr(module, "FIELDS_ADDED_LATER", {}), **data})


def config_from_dict(base: Any, data: dict[str, Any]) -> Any:
    """An algorithm Config like ``base`` with the fields saved in ``data`` (nested dataclasses rebuilt)."""
    changes = {}
    for f in dataclasses.fields(base):
        if f.name not in data:
            continue
        current, saved = getattr(base, f.name), data[f.name]
        if dataclasses.is_dataclass(current) and isinstance(saved, dict):
            saved = config_from_dict(current, saved)
        elif isinstance(current, tuple) and isinstance(saved, list):
            saved = tuple(saved)
        changes[f.name] = saved
    return dataclasses.replace(base, **changes)


RUN_FILE_PATTERNS = (CONFIG_FILE, EVAL_FILE, METRICS_FILE, "checkpoint*.pt", *STALE_TEMPORARY_PATTERNS,
                     "events.out.tfevents.*")
RUN_FOLDERS = ("wandb", "plots")


def run_files(run_dir: Path) -> list[Path]:
    """What a run has written into its folder (config, metrics, checkpoints, evaluation, TensorBoard and wandb
    logs, plots); empty when the folder holds no run."""
    found = [path for pattern in RUN_FILE_PATTERNS for path in sorted(run_dir.glob(pattern))]
    return found + [run_dir / folder for folder in RUN_FOLDERS if (run_dir / folder).is_dir()]


def remove_run_files(run_dir: Path) -> None:
    """Delete what a run writes into its folder (see :func:`run_files`), so a new run can start there; anything
    else in the folder stays."""
    for path in run_files(run_dir):
        if path.is_dir():
            shutil.rmtree(path)
        else:
            path.unlink()


def _observation_keys(module: Any, agent_config: Any) -> tuple[str, ...] | None:
    """The observation keys an algorithm reads with this config: its module's ``observation_keys(config)``, else
    its ``OBSERVATION_KEYS``; None: every key."""
    choose = getattr(module, "observation_keys", None)
    return choose(agent_config) if choose is not None else getattr(module, "OBSERVATION_KEYS", None)


def environment_config(config: TrainConfig, gamma: float | None = None,
                       observation_keys: tuple[str, ...] | None = None) -> EnvConfig:
    """The environments' settings for a run; ``gamma``, the agent's discount, is also the discount of the
    potential-based reward terms (shaping with another discount would change which policy is optimal);
    ``observation_keys``, the keys the agent reads (its module's ``OBSERVATION_KEYS``; None: all)."""
    env = EnvConfig(level=config.level, max_steps=config.max_steps, observation_keys=observation_keys)
    return env if gamma is None else dataclasses.replace(env, rewards=dataclasses.replace(env.rewards, gamma=gamma))


STATE_ERRORS = (KeyError, TypeError, ValueError, RuntimeError, IndexError, AttributeError)  # a tampered state


@contextmanager
def checkpoint_contents(source: str | Path) -> Iterator[None]:
    """Read a checkpoint's contents inside this: what does not fit the run it claims to be (a tensor of another
    shape, a missing key, a value of the wrong type, a config this version refuses) becomes a
    :class:`CheckpointError` of one line naming the file."""
    try:
        yield
    except CheckpointError:
        raise
    except STATE_ERRORS as exc:  # (ConfigError is a ValueError: a saved config this version refuses)
        raise CheckpointError(f"{source} does not hold a run this sheetrl can load: {one_line(exc)}") from None


def saved_run_config(payload: dict[str, Any], source: str | Path) -> tuple[TrainConfig, Any, Any]:
    """A checkpoint's TrainConfig, algorithm module and algorithm Config (checked as a new run's would be)."""
    with checkpoint_contents(source):
        config = TrainConfig.from_dict(payload["config"])
        module = config.algorithm_module()
        agent_config = saved_agent_config(module, _preset(module, config), payload["agent"]["config"])
        check_sizes(config.algo, agent_config)
    return config, module, agent_config


def load_agent_state(agent: Any, payload: dict[str, Any], source: str | Path) -> None:
    """Put a checkpoint's agent state into a freshly built ``agent`` (a :class:`CheckpointError` naming ``source``
    when the checkpoint holds another agent or a state that does not fit this one)."""
    if payload["agent"].get("name") != agent.name:
        raise CheckpointError(f"{source} holds a {payload['agent'].get('name')!r} agent, not {agent.name!r}")
    with checkpoint_contents(source):
        agent.load_state_dict(payload["agent"]["state"])
    diverged = non_finite_parameter(agent)
    if diverged is not None:
        raise CheckpointError(f"{source} holds a network that diverged: {diverged} has NaN or infinite values; "
                              f"use an earlier checkpoint or train again")
    for name, optimizer in vars(agent).items():  # torch loads an optimizer's state without looking at it: a moment
        if not isinstance(optimizer, torch.optim.Optimizer):  # of another shape crashes the first step (a segfault
            continue  # in the fused Adam)
        for group in optimizer.param_groups:
            for parameter in group["params"]:
                for key, value in optimizer.state.get(parameter, {}).items():
                    if isinstance(value, torch.Tensor) and value.dim() > 0 and value.shape != parameter.shape:
                        raise CheckpointError(f"{source} does not hold a run this sheetrl can load: its {name} "
                                              f"state {key} has shape {tuple(value.shape)} for a parameter of "
                                              f"shape {tuple(parameter.shape)}")


def restore_agent(payload: dict[str, Any], device: str = "cpu", source: str | Path = "the checkpoint") -> Any:
    """The agent of a checkpoint, built as in training and loaded with the saved state (for evaluation);
    ``source`` names the checkpoint in errors."""
    config, module, agent_config = saved_run_config(payload, source)
    with checkpoint_contents(source):
        env = SpreadsheetEnv(config=environment_config(config, getattr(agent_config, "gamma", None)))
    try:
        agent = module.build(agent_config, env.observation_space, env.action_space, _device(device),
                             Precision("fp32", _device(device)), config.seed)
    except (ValueError, TypeError) as exc:
        if isinstance(exc, TrainError):
            raise
        raise CheckpointError(f"{source} does not hold a run this sheetrl can load: {one_line(exc)}") from None
    load_agent_state(agent, payload, source)
    return agent


def check_new_run(config: TrainConfig) -> Any:
    """Everything about a new run's settings that can be checked without building it (raises
    :class:`ConfigError`); returns the algorithm's Config."""
    config.validate()
    agent_config = config.agent_config()
    if getattr(agent_config, "kl_coef", 0.0) > 0 and config.init_from is None:
        raise ConfigError(f"{config.algo}: kl_coef keeps the policy near the one --init-from starts it from; "
                          f"give --init-from RUN, or leave kl_coef at 0")
    if getattr(agent_config, "meta_trunks_from_source", False) and config.init_from is None:
        raise ConfigError(f"{config.algo}: meta_trunks_from_source starts the meta-controller's trunks from the "
                          f"--init-from run's network; give --init-from RUN, or leave it false")
    return agent_config


class Runner:
    """One training run (see the module docstring). Use :meth:`start` or :meth:`resume`, then :meth:`run`."""

    def __init__(self, config: TrainConfig, run_dir: Path, *, agent_config: Any | None = None,
                 console: Console | None = None) -> None:
        config.validate()
        self.config = config
        self.run_dir = Path(run_dir)
        self.console = console if console is not None else Console()
        self.module = config.algorithm_module()
        self.agent_config = agent_config if agent_config is not None else config.agent_config()
        self.total_steps = config.resolved_total_steps()
        self.device = _device(config.device)
        try:
            self.precision = Precision(config.precision, self.device, config.accumulation_steps)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        torch.set_num_threads(config.threads)
        set_global_seeds(config.seed)
        self.env_config = environment_config(config, getattr(self.agent_config, "gamma", None),
                                             _observation_keys(self.module, self.agent_config))
        self.pool: Any = self._build_pool()
        try:
            self.agent = self.module.build(self.agent_config, self.pool.single_observation_space,
                                           self.pool.single_action_space,
                                           self.device, self.precision, config.seed)
        except ValueError as exc:
            raise ConfigError(f"{config.algo}: {exc}") from None
        self.agent.run_steps = self.total_steps
        self.env_steps = 0
        self.episodes = 0
        self.iterations = 0
        self.trained_seconds = 0.0
        self.recent: deque[bool] = deque(maxlen=ROLLING_WINDOW)
        self.recent_by_level: dict[int, deque[bool]] = {}
        self.pending: dict[str, list[float]] = {}  # metrics since the last log: name -> [sum, count]
        self.last_log_step = 0
        self.checkpointed_episodes = 0
        self.checkpointed_iteration = -1
        self.checkpointed_steps = 0
        self.resumed_from: Path | None = None

    def _build_pool(self) -> Any:
        """The environments: in this process, or split over Ray actors (:mod:`sheetrl.train.distributed`)."""
        if not self.config.ray_actors:
            pool = SheetVectorEnv(self.env_config, self.agent_config.num_envs)
            pool.reset(seed=self.config.seed)
            return pool
        if self.config.algo == "dqn":
            from sheetrl.train.distributed_dqn import RayTransitionPool

            chunk_steps, sync_every, max_lag = self.config.dqn_actor_settings()
            return RayTransitionPool(self.agent_config.num_envs, self.env_config, self.config.seed,
                                     actors=self.config.ray_actors, algo=self.config.algo,
                                     agent_config=self.agent_config, precision=self.config.precision,
                                     address=self.config.ray_address, chunk_steps=chunk_steps,
                                     sync_every=sync_every, max_lag=max_lag)
        from sheetrl.train.distributed import RayRolloutPool

        return RayRolloutPool(self.agent_config.num_envs, self.env_config, self.config.seed,
                              actors=self.config.ray_actors, algo=self.config.algo, agent_config=self.agent_config,
                              precision=self.config.precision, address=self.config.ray_address,
                              overlap=self.config.ray_overlap)

    def _train_iteration(self) -> tuple[Any, dict[str, float]]:
        if self.config.ray_actors:
            return self.pool.train_iteration(self.agent)
        return self.agent.train_iteration(self.pool)

    # ------------------------------------------------------------------------------------------ construction
    @classmethod
    def start(cls, config: TrainConfig, *, console: Console | None = None, runs_root: str | Path = "runs",
              overwrite: bool = False) -> Runner:
        """A new run: validates the config and claims a fresh run folder. With ``overwrite``, a ``run_dir`` that
        already holds a run is cleared of that run's files first (other files in it are left alone)."""
        agent_config = check_new_run(config)
        if config.run_dir is not None:
            run_dir = Path(config.run_dir)
            blocking = blocking_file(run_dir)
            if blocking is not None:
                raise ConfigError(f"cannot use {run_dir} as the run folder: {blocking} is a file, not a folder")
            if not overwrite:  # (with it, the folder is cleared below, once the new run is built)
                if has_checkpoint(run_dir):
                    raise ConfigError(f"{run_dir} already holds a run; continue it with `sheetrl train --resume "
                                      f"{run_dir}`, start afresh with --overwrite, or choose another --run-dir")
                if run_files(run_dir):  # a run stopped before its first checkpoint: nothing to resume, but its logs
                    raise ConfigError(f"{run_dir} holds the logs of a run that stopped before its first "
                                      f"checkpoint; start afresh there with --overwrite, or choose another --run-dir")
        else:
            run_dir = config.default_run_dir(datetime.now().strftime("%Y%m%d-%H%M%S"), runs_root)
            blocking = blocking_file(run_dir.parent)
            if blocking is not None:
                raise ConfigError(f"cannot make run folders in {run_dir.parent}: {blocking} is a file, not a folder; "
                                  f"give --run-dir")
            suffix = 2
            while run_dir.exists():
                run_dir = run_dir.with_name(run_dir.name.rsplit("~", 1)[0] + f"~{suffix}")
                suffix += 1
        config = dataclasses.replace(config, run_dir=str(run_dir), total_steps=config.resolved_total_steps(),
                                     overrides={name: getattr(agent_config, name) for name in config.overrides})
        runner = cls(config, run_dir, console=console)
        if config.init_from is not None:
            runner.initialize_from(Path(config.init_from))
        try:
            runner.agent.check_inputs()  # e.g. a demonstrations file: a run that cannot start replaces nothing
        except ValueError as exc:
            raise ConfigError(str(exc)) from None
        if overwrite:  # only now: a run refused above (a bad config, a bad --init-from) deletes nothing
            remove_run_files(run_dir)
        make_folder(run_dir, "the run folder")  # claimed once the run could be built (a second run gets "~2")
        return runner

    @classmethod
    def resume(cls, run_dir: str | Path, *, changes: dict[str, Any] | None = None,
               console: Console | None = None) -> Runner:
        """Continue a run from its latest usable checkpoint; ``changes`` may set :data:`RESUMABLE_CHANGES`."""
        run_dir = Path(run_dir)
        payload, path = load_latest(run_dir)
        changes = {name: value for name, value in (changes or {}).items() if value is not None}
        for name in changes:
            if name not in RESUMABLE_CHANGES:
                raise ConfigError(f"{name} cannot change when resuming (it would be another experiment); "
                                  f"only {', '.join(RESUMABLE_CHANGES)} can")
        saved, _, agent_config = saved_run_config(payload, path)
        config = dataclasses.replace(saved, run_dir=str(run_dir), **changes)
        try:
            config.validate()
        except ConfigError:
            with checkpoint_contents(path):  # the saved settings are refused, not (only) the changes asked for
                dataclasses.replace(saved, run_dir=str(run_dir)).validate()
            raise
        runner = cls(config, run_dir, agent_config=agent_config, console=console)
        runner.load_payload(payload, path)
        runner.resumed_from = path
        return runner

    def initialize_from(self, source: Path) -> None:
        """Start the fresh agent's network from another run's latest checkpoint (``--init-from``), before training:
        agents with ``warm_start(payload)`` (alphazero: any run whose checkpoint holds a compatible policy) or
        ``initialize_from(agent_payload)`` (ppo and hierarchical: e.g. from a bc run). A resumed run keeps its own
        weights, so this runs once."""
        warm = getattr(self.agent, "warm_start", None)
        initialize = getattr(self.agent, "initialize_from", None)
        if warm is None and initialize is None:
            raise ConfigError(f"{self.config.algo} cannot start from another run's network; --init-from works with "
                              f"ppo, alphazero and hierarchical")
        payload, path = load_latest(source)
        try:
            if warm is not None:
                self.console.print(f"{warm(payload)} from {path}", highlight=False)
            elif initialize is not None:
                initialize(payload["agent"])
        except (ValueError, KeyError, RuntimeError, TypeError, IndexError, AttributeError) as exc:
            raise ConfigError(f"--init-from {source}: {path} does not fit this {self.config.algo} network: "
                              f"{one_line(exc)}") from None

    # ------------------------------------------------------------------------------------------- checkpoints
    def payload(self) -> dict[str, Any]:
        """Everything needed to continue this run exactly (see :mod:`sheetrl.train.checkpoint`)."""
        return {
            "config": self.config.to_dict(),
            "agent": {"name": self.agent.name, "config": dataclasses.asdict(self.agent_config),
                      "state": self.agent.state_dict()},
            "pool": self.pool.get_state(),
            "counters": {"env_steps": self.env_steps, "episodes": self.episodes, "iterations": self.iterations},
            "runner": {
                "total_steps": self.total_steps,
                "trained_seconds": self.trained_seconds,
                "recent": list(self.recent),
                "recent_by_level": {level: list(window) for level, window in self.recent_by_level.items()},
                "pending": {name: list(value) for name, value in self.pending.items()},
                "last_log_step": self.last_log_step,
                "checkpointed_episodes": self.checkpointed_episodes,
                "precision": self.precision.state_dict(),
                "curriculum_level": self.curriculum_level(),
            },
            "rng": capture_rng_states(),
        }

    def load_payload(self, payload: dict[str, Any], source: str | Path = "the checkpoint") -> None:
        """Put this (freshly built) run into the state of a checkpoint (``source`` names it in errors)."""
        load_agent_state(self.agent, payload, source)
        with checkpoint_contents(source):
            self._load_run_state(payload)

    def _load_run_state(self, payload: dict[str, Any]) -> None:
        self.pool.set_state(payload["pool"])
        counters, runner = payload["counters"], payload["runner"]
        self.env_steps = int(counters["env_steps"])
        self.episodes = int(counters["episodes"])
        self.iterations = int(counters["iterations"])
        self.trained_seconds = float(runner["trained_seconds"])
        self.recent = deque(runner["recent"], maxlen=ROLLING_WINDOW)
        self.recent_by_level = {int(level): deque(window, maxlen=ROLLING_WINDOW)
                                for level, window in runner["recent_by_level"].items()}
        self.pending = {name: list(value) for name, value in runner["pending"].items()}
        self.last_log_step = int(runner["last_log_step"])
        self.checkpointed_episodes = int(runner["checkpointed_episodes"])
        self.checkpointed_iteration = self.iterations
        self.checkpointed_steps = self.env_steps
        self.precision.load_state_dict(runner["precision"])
        restore_rng_states(payload["rng"])

    def save(self) -> Path:
        """Write a checkpoint of this moment (refused, with :meth:`check_finite`'s error, for a diverged network:
        the checkpoint before it stays the one to resume from)."""
        self.check_finite()
        path = save_checkpoint(self.run_dir, self.payload())
        self.checkpointed_episodes = self.episodes
        self.checkpointed_iteration = self.iterations
        self.checkpointed_steps = self.env_steps
        return path

    def check_finite(self) -> None:
        """Raise :class:`TrainError` when a parameter of the agent's networks holds NaN or an infinity: training
        diverged, and everything the network computes from then on is NaN."""
        diverged = non_finite_parameter(self.agent)
        if diverged is None:
            return
        kept = (f"the checkpoint of step {self.checkpointed_steps:,} is kept"
                if has_checkpoint(self.run_dir) else "no checkpoint was written")
        raise TrainingDiverged(f"{self.config.algo}: training diverged by step {self.env_steps:,}: {diverged} holds "
                               f"NaN or infinite values; {kept}; a lower learning_rate may keep it finite")

    # ---------------------------------------------------------------------------------------------- the loop
    def run(self, until: int | None = None) -> TrainResult:
        """Train until ``total_steps`` (or until ``until`` steps, for an interrupted-run experiment).

        The first Ctrl-C stops at the end of the current iteration, writes a checkpoint and raises
        :class:`TrainingInterrupted` (its message says how to continue); a second one stops at once (the last
        periodic checkpoint then stays the one to resume from). A run that is already finished and evaluated is
        not trained or evaluated again: raise ``total_steps`` to continue it."""
        target = self.total_steps if until is None else min(until, self.total_steps)
        config = self.config
        if self.env_steps >= self.total_steps and (config.eval_episodes == 0 or self._current_evaluation()):
            self.console.print(f"{self.run_dir} already finished at {self.env_steps:,} steps; raise --total-steps "
                               f"to train longer", highlight=False)
            return TrainResult(self.run_dir, self.env_steps, self.episodes, self.iterations, self.trained_seconds,
                               self.success_rate(), True, self._current_evaluation())
        self.run_dir.mkdir(parents=True, exist_ok=True)
        self.write_config()
        logger = MetricsLogger(self.run_dir, self._config_document(), tensorboard=config.tensorboard,
                               wandb_mode=config.wandb,
                               resume_step=self.env_steps if self.resumed_from is not None else None,
                               time_offset=self.trained_seconds,
                               notice=lambda line: self.console.print(line, style="yellow", highlight=False))
        self._announce(logger)
        session_start, session_steps, seconds_before = time.time(), self.env_steps, self.trained_seconds
        last_save = session_start
        progress = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(),
            TextColumn("{task.fields[sps]:>7,.0f} steps/s"), TextColumn("success {task.fields[success]:.2f}"),
            TextColumn("level {task.fields[level]}"), TimeElapsedColumn(), TimeRemainingColumn(),
            console=self.console, disable=not config.progress, refresh_per_second=4,
        )
        stopped_by_user = False
        try:
            with progress, graceful_interrupts(
                    lambda line: self.console.print(line, style="yellow", highlight=False)) as stop_requested:
                bar = progress.add_task(config.algo, total=self.total_steps, completed=self.env_steps, sps=0.0,
                                        success=self.success_rate(), level=self.curriculum_level())
                while self.env_steps < target:
                    steps, metrics = self._train_iteration()
                    if not isinstance(steps, (int, np.integer)) or steps < 1:
                        raise TrainError(f"{config.algo}: train_iteration must take at least one environment step "
                                         f"and return how many; it returned {steps!r}")
                    self.env_steps += int(steps)
                    self.iterations += 1
                    self._accumulate(metrics)
                    for episode in self.pool.drain():
                        self._record_episode(episode)
                    elapsed = time.time() - session_start
                    sps = (self.env_steps - session_steps) / elapsed if elapsed > 0 else 0.0
                    if self.env_steps // config.log_every > self.last_log_step // config.log_every:
                        self.check_finite()
                        self._log_interval(logger, sps)
                    progress.update(bar, completed=self.env_steps, sps=sps, success=self.success_rate(),
                                    level=self.curriculum_level())
                    if stop_requested():
                        stopped_by_user = True
                        break
                    if (self.episodes // config.checkpoint_every > self.checkpointed_episodes // config.checkpoint_every
                            and time.time() - last_save >= config.checkpoint_interval):
                        self.trained_seconds = seconds_before + time.time() - session_start
                        self.save()
                        last_save = time.time()
            elapsed = time.time() - session_start
            self.trained_seconds = seconds_before + elapsed
            finished = self.env_steps >= self.total_steps and not stopped_by_user
            if finished and self.last_log_step != self.env_steps:  # (an early stop leaves the interval open,
                # so that the continued run logs exactly what an uninterrupted one would)
                self._log_interval(logger, (self.env_steps - session_steps) / elapsed if elapsed > 0 else 0.0)
            if self.checkpointed_iteration != self.iterations:
                self.save()
            if stopped_by_user:
                raise TrainingInterrupted(f"interrupted at step {self.env_steps:,}: checkpoint saved; continue with: "
                                          f"sheetrl train --resume {self.run_dir}")
            evaluation = self._final_evaluation(logger) if finished and config.eval_episodes > 0 else None
        except TrainingInterrupted:
            raise
        except KeyboardInterrupt:
            raise TrainingInterrupted(self._interrupted_advice()) from None
        finally:
            logger.close()
            if self.config.ray_actors:
                self.pool.close()  # the next run() starts new actors from the states the pool keeps
        self.console.print(
            f"{'finished' if finished else 'stopped'}: {self.env_steps:,} steps, {self.episodes:,} episodes, "
            f"{self.iterations:,} iterations in {_duration(self.trained_seconds)}; training success (last "
            f"{len(self.recent)} episodes) {self.success_rate():.2f}; checkpoint {self.run_dir / 'checkpoint.pt'}",
            highlight=False)
        return TrainResult(self.run_dir, self.env_steps, self.episodes, self.iterations, self.trained_seconds,
                           self.success_rate(), finished, evaluation)

    def _interrupted_advice(self) -> str:
        """The one line for a Ctrl-C that did not wait for the iteration to end."""
        if self.checkpointed_iteration == self.iterations and self.env_steps >= self.total_steps:
            return (f"interrupted during the held-out evaluation; training finished and is saved; evaluate it with: "
                    f"sheetrl eval {self.run_dir}")
        if has_checkpoint(self.run_dir):
            return (f"interrupted at step {self.env_steps:,}; continue from the last checkpoint (step "
                    f"{self.checkpointed_steps:,}) with: sheetrl train --resume {self.run_dir}")
        return (f"interrupted at step {self.env_steps:,}, before the first checkpoint: nothing to resume; start again "
                f"with the same command and --overwrite")

    def _current_evaluation(self) -> dict[str, Any] | None:
        """``eval.json`` when it evaluates the run's current step, else None."""
        try:
            document = json.loads((self.run_dir / EVAL_FILE).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return document if isinstance(document, dict) and document.get("env_steps") == self.env_steps else None

    # ------------------------------------------------------------------------------------------- bookkeeping
    def success_rate(self) -> float:
        return sum(self.recent) / len(self.recent) if self.recent else 0.0

    def curriculum_level(self) -> int:
        """The level being trained: the run's level, or the highest level any environment's curriculum unlocked."""
        if self.config.level != "curriculum":
            return int(self.config.level)
        if self.config.ray_actors:
            return int(self.pool.curriculum_level())
        assert self.pool.curriculum is not None
        return int(self.pool.curriculum.current_level)

    def _record_episode(self, episode: EpisodeStats) -> None:
        """Count a finished episode; its figures are averaged into the next logged interval (logging every
        episode to TensorBoard and wandb would cost as much as the environment steps of a short episode)."""
        self.episodes += 1
        self.recent.append(episode.success)
        self.recent_by_level.setdefault(episode.level, deque(maxlen=ROLLING_WINDOW)).append(episode.success)
        metrics = {"charts/episodic_return": episode.episode_return, "charts/episodic_length": episode.length}
        metrics.update({f"reward/{term}": value for term, value in episode.reward_terms.items()})
        self._accumulate(metrics)

    def _accumulate(self, metrics: dict[str, float]) -> None:
        for name, value in metrics.items():
            total = self.pending.setdefault(name, [0.0, 0.0])
            total[0] += float(value)
            total[1] += 1

    def _log_interval(self, logger: MetricsLogger, sps: float) -> None:
        metrics = {name: total / count for name, (total, count) in self.pending.items() if count}
        metrics["charts/SPS"] = sps
        metrics["charts/episodes"] = self.episodes
        if self.recent:
            metrics["charts/success_rate"] = self.success_rate()
        for level, window in sorted(self.recent_by_level.items()):
            metrics[f"success/{level}"] = sum(window) / len(window)
        metrics["curriculum/level"] = self.curriculum_level()
        logger.log(metrics, self.env_steps)
        self.pending = {}
        self.last_log_step = self.env_steps

    def _final_evaluation(self, logger: MetricsLogger) -> dict[str, Any]:
        from sheetrl.train.evaluate import EvalReport, evaluate_agent, evaluation_levels

        levels = evaluation_levels(self.config.level, unlocked=self.curriculum_level())
        self.console.print(f"evaluating on {self.config.eval_episodes} held-out tasks per level and split "
                           f"({', '.join(map(str, levels))}; iid and ood)...", highlight=False)
        results = evaluate_agent(self.agent, levels, self.config.eval_episodes, max_steps=self.config.max_steps)
        report = EvalReport(results, run_dir=str(self.run_dir), algo=self.config.algo, env_steps=self.env_steps,
                            checkpoint="checkpoint.pt")
        document = report.to_json()
        (self.run_dir / EVAL_FILE).write_text(json.dumps(document, indent=2) + "\n", encoding="utf-8")
        metrics = {"eval/success_rate": document["success_rate"], "eval/mean_return": document["mean_return"],
                   "eval/mean_length": document["mean_length"]}
        for split, per_level in results["agent"].items():
            metrics[f"eval/{split}/success_rate"] = document["per_split"][split]["success_rate"]
            for level, result in per_level.items():
                metrics[f"eval/{split}/success/{level}"] = result.success_rate
                self.console.print(
                    f"level {level}, {split}: held-out success {result.success_rate:.3f} (95% CI "
                    f"{result.ci_low:.3f}-{result.ci_high:.3f}, {result.episodes} episodes), mean return "
                    f"{result.mean_return:.2f}, mean length {result.mean_length:.1f}", highlight=False)
        logger.log(metrics, self.env_steps)
        return document

    def _config_document(self) -> dict[str, Any]:
        train = self.config.to_dict()
        train["total_steps"] = self.total_steps
        return {"train": train,
                "algorithm": {"name": self.config.algo, "config": dataclasses.asdict(self.agent_config)},
                "environment": dataclasses.asdict(self.env_config)}

    def write_config(self) -> None:
        text = json.dumps(self._config_document(), indent=2, default=str) + "\n"
        write_atomic(self.run_dir / CONFIG_FILE, lambda handle: handle.write(text.encode("utf-8")))

    def _announce(self, logger: MetricsLogger) -> None:
        config = self.config
        verb = f"resuming from {self.resumed_from.name} at step {self.env_steps:,}" if self.resumed_from else "training"
        self.console.print(
            f"{verb}: {config.algo} on level {config.level}, preset {config.preset}, seed {config.seed}, "
            f"{self.total_steps:,} steps, {self.agent_config.num_envs} envs, {self.device} {config.precision}",
            highlight=False)
        # The sinks that actually started (a missing package or a failed wandb login was reported just before).
        sinks = ["metrics.jsonl"] + (["TensorBoard"] if logger.writer is not None else []) + (
            [f"wandb ({config.wandb})"] if logger.wandb_run is not None else [])
        self.console.print(f"run folder {self.run_dir} (logs: {', '.join(sinks)})", highlight=False)


def train(config: TrainConfig, *, console: Console | None = None) -> TrainResult:
    """Start a new run and train it to the end."""
    return Runner.start(config, console=console).run()


def resume(run_dir: str | Path, *, console: Console | None = None, **changes: Any) -> TrainResult:
    """Continue a run to its (possibly raised) ``total_steps``."""
    return Runner.resume(run_dir, changes=changes, console=console).run()


def _preset(module: Any, config: TrainConfig) -> Any:
    presets = getattr(module, "PRESETS", {})
    if config.preset not in presets:
        raise ConfigError(f"preset {config.preset!r} of {config.algo} no longer exists")
    return presets[config.preset]


def _device(name: str) -> torch.device:
    try:
        return resolve_device(name)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def _duration(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m{seconds:02d}s" if hours else f"{minutes}m{seconds:02d}s"
