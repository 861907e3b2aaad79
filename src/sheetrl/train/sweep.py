"""Hyper-parameter sweeps with Ray Tune: ``sheetrl tune SWEEP.toml`` and ``sheetrl tune --resume SWEEP_DIR``.

A sweep file says what every trial trains (``[train]``: :class:`~sheetrl.train.config.TrainConfig` fields), which
of the algorithm's hyper-parameters to sample and from what (``[search]``), and how the sweep runs (``[tune]``)::

    [train]
    algo = "ppo"
    level = 1
    preset = "quick"
    total_steps = 30000

    [search]                                    # one distribution per hyper-parameter of the algorithm's Config
    learning_rate = { loguniform = [1e-4, 2e-3] }
    entropy_coef = { uniform = [0.0, 0.03] }
    num_minibatches = { choice = [2, 4, 8] }    # also: randint = [low, high) (integers)

    [tune]
    trials = 8              # sampled configurations
    concurrent = 2          # trials at once (default: this machine's cores)
    report_every = 10000    # environment steps between held-out evaluations: ASHA's rungs
    eval_episodes = 50      # held-out (iid) episodes per level at each evaluation
    grace_period = 10000    # steps every trial trains before ASHA may stop it
    reduction_factor = 2    # ASHA keeps the best 1/reduction_factor of the trials at each rung
    include_default = true  # the first trial runs the preset's own values
    seed = 0                # seed of the search (trial i trains with the [train] seed)

Each trial is a normal training run (:class:`~sheetrl.train.runner.Runner`, its folder ``<trial>/run``) that stops
every ``report_every`` steps, evaluates the agent on held-out iid tasks (the same tasks for every trial and rung)
and reports ``heldout_success`` to Tune with its checkpoint. ASHA (asynchronous successive halving) stops the
trials whose held-out success trails at a rung. Ray Tune keeps the sweep's state in the sweep folder, so an
interrupted sweep continues with ``--resume``: finished trials are kept and unfinished ones resume from their last
reported checkpoint, exactly as ``sheetrl train --resume`` does.

The sweep folder (``runs/sweeps/<name>``) holds Tune's state and trial folders, ``sweep.json`` (the sweep as
read), ``results.csv``/``results.json`` (one row per trial: its hyper-parameters, last held-out success, the steps
it reached and why it ended) and ``best_config.json`` (the best trial's training config and the command that
trains it).
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import math
import os
import shutil
import tempfile
import tomllib
import typing
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from rich.console import Console

from sheetrl.sheet.fileio import UnsafeFileError, read_input_bytes
from sheetrl.train.config import (
    MAX_EPISODES,
    MAX_SEED,
    ConfigError,
    TrainConfig,
    TrainError,
    one_line,
    parse_level,
)
from sheetrl.train.folders import check_folder, make_folder

DISTRIBUTIONS = ("uniform", "loguniform", "randint", "choice")
METRIC = "heldout_success"
SWEEP_FILE = "sweep.json"
RESULTS_CSV = "results.csv"
RESULTS_JSON = "results.json"
BEST_FILE = "best_config.json"
TRIAL_RETRIES = 2  # restarts of a failed trial (from its last reported checkpoint) before it counts as an error
MAX_TRIALS = 100_000  # sampled configurations of one sweep
MAX_CONCURRENT = 1_024  # trials at once (each is a process)
TRIAL_ERROR_KEY = "trial_error"  # in a trial's last result: why its settings were refused (it is not retried)
DIVERGED_KEY = "diverged"  # in a trial's last result: its network diverged (held-out success 0, not retried)
TRAIN_KEY = "_train"  # constants in Tune's param space (hyper-parameter names never start with "_")
SETTINGS_KEY = "_tune"


@dataclass
class TuneSettings:
    """The ``[tune]`` table of a sweep file."""

    trials: int = 8  # sampled configurations
    concurrent: int | None = None  # trials at once (None: this machine's cores)
    report_every: int = 10_000  # environment steps between held-out evaluations (ASHA's rungs)
    eval_episodes: int = 50  # held-out iid episodes per level at each evaluation
    grace_period: int | None = None  # steps before ASHA may stop a trial (None: report_every)
    reduction_factor: int = 2  # ASHA keeps the best 1/reduction_factor at each rung
    include_default: bool = True  # the first trial runs the preset's values of the searched hyper-parameters
    seed: int = 0  # seed of the search


@dataclass
class Sweep:
    """A parsed, checked sweep file."""

    train: dict[str, Any]  # TrainConfig fields shared by every trial
    search: dict[str, dict[str, list[Any]]]  # hyper-parameter -> {distribution: arguments}
    settings: TuneSettings = field(default_factory=TuneSettings)

    def base_config(self) -> TrainConfig:
        return TrainConfig(**self.train)

    def to_dict(self) -> dict[str, Any]:
        return {"train": self.train, "search": self.search, "tune": dataclasses.asdict(self.settings)}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Sweep:
        """Check a sweep document (a :class:`ConfigError` names the first problem)."""
        if not isinstance(data, dict):
            raise ConfigError(f"a sweep is a document of [train], [search] and [tune] tables, not a "
                              f"{type(data).__name__}")
        unknown = sorted(set(data) - {"train", "search", "tune"})
        if unknown:
            raise ConfigError(f"unknown sweep table(s): {', '.join(unknown)}; a sweep has [train], [search], [tune]")
        for table in ("train", "search", "tune"):
            if not isinstance(data.get(table, {}), dict):
                raise ConfigError(f"[{table}] must be a table of settings, not {data[table]!r} (write it as a "
                                  f"[{table}] section)")
        train = dict(data.get("train", {}))
        if "level" in train:
            train["level"] = parse_level(train["level"])
        for fixed in ("run_dir", "ray_actors", "ray_address"):
            if train.get(fixed):
                raise ConfigError(f"[train] {fixed} is chosen by the sweep for every trial; remove it")
        _refuse_unknown_keys("train", train, [field.name for field in dataclasses.fields(TrainConfig)])
        base = TrainConfig(**train)
        base.validate()
        search = data.get("search", {})
        if not isinstance(search, dict) or not search:
            raise ConfigError("[search] must name at least one hyper-parameter, e.g. learning_rate = "
                              "{ loguniform = [1e-4, 1e-3] }")
        for name, spec in search.items():
            _check_distribution(name, spec)
        agent_config = base.agent_config()
        for name in search:
            if not hasattr(agent_config, name):
                names = ", ".join(f.name for f in dataclasses.fields(agent_config))
                raise ConfigError(f"[search] {name}: {base.algo} has no such hyper-parameter; it has {names}")
        _refuse_unknown_keys("tune", data.get("tune", {}), [field.name for field in dataclasses.fields(TuneSettings)])
        settings = TuneSettings(**data.get("tune", {}))
        _check_settings(settings, base.resolved_total_steps())
        sweep = cls(train=train, search={name: dict(spec) for name, spec in search.items()}, settings=settings)
        check_search_space(sweep)
        return sweep


def _refuse_unknown_keys(table: str, settings: dict[str, Any], known: list[str]) -> None:
    """A :class:`ConfigError` naming the first setting of ``[table]`` that is not one of ``known`` (and the
    closest known name, when one is close)."""
    import difflib

    for name in settings:
        if name not in known:
            close = difflib.get_close_matches(str(name), known, n=1)
            hint = f"did you mean {close[0]}?" if close else f"the settings are {', '.join(known)}"
            raise ConfigError(f"[{table}] {name}: no such setting; {hint}")


def _check_distribution(name: str, spec: Any) -> None:
    if not isinstance(spec, dict) or len(spec) != 1:
        raise ConfigError(f"[search] {name} must be one distribution, e.g. {{ uniform = [0.0, 0.1] }}; "
                          f"one of {', '.join(DISTRIBUTIONS)}")
    (kind, arguments), = spec.items()
    if kind not in DISTRIBUTIONS:
        raise ConfigError(f"[search] {name}: unknown distribution {kind!r}; use one of {', '.join(DISTRIBUTIONS)}")
    if not isinstance(arguments, list) or not arguments:
        raise ConfigError(f"[search] {name}: {kind} takes a list of values")
    if kind == "choice":
        return
    if len(arguments) != 2 or not all(isinstance(a, (int, float)) and not isinstance(a, bool) for a in arguments):
        raise ConfigError(f"[search] {name}: {kind} takes [low, high], two numbers")
    low, high = arguments
    if not all(math.isfinite(bound) for bound in arguments):
        raise ConfigError(f"[search] {name}: {kind} takes finite bounds, not [{low}, {high}]")
    if not low < high:
        raise ConfigError(f"[search] {name}: {kind} needs low < high, not {low} >= {high}")
    if kind == "loguniform" and low <= 0:
        raise ConfigError(f"[search] {name}: loguniform needs positive bounds")
    if kind == "randint" and not (isinstance(low, int) and isinstance(high, int)):
        raise ConfigError(f"[search] {name}: randint takes integer bounds [low, high)")


MAX_CORNERS = 512  # combinations of the search space's ends checked before a sweep starts (beyond: one at a time)


def probe_values(spec: dict[str, list[Any]]) -> list[tuple[str, Any]]:
    """The values of one distribution that :func:`check_search_space` tries, each with what it is: both ends and
    the middle of a range (the largest float below ``high``: Tune never samples ``high`` itself), every choice."""
    (kind, arguments), = spec.items()
    if kind == "choice":
        return [(f"choice {value!r}", value) for value in arguments]
    low, high = arguments
    if kind == "randint":
        return [("low end", low), ("middle", (low + high - 1) // 2), ("high end", high - 1)]
    middle = math.exp((math.log(low) + math.log(high)) / 2) if kind == "loguniform" else low / 2 + high / 2
    return [("low end", float(low)), ("middle", middle), ("high end", math.nextafter(float(high), -math.inf))]


def check_search_space(sweep: Sweep) -> None:
    """Refuse a search space that reaches values a trial's config refuses, before any trial starts: every probe
    value of every distribution (:func:`probe_values`) with the other hyper-parameters at the sweep's values, then
    every combination of them (up to :data:`MAX_CORNERS`). A :class:`ConfigError` names the hyper-parameter, the
    value and what the algorithm says."""
    import itertools

    from sheetrl.train.runner import check_new_run

    base = sweep.base_config()
    agent_config = base.agent_config()
    try:
        hints = typing.get_type_hints(type(agent_config))
    except Exception:  # an annotation that cannot be resolved: the trials' own checks decide
        hints = {}
    for name, spec in sweep.search.items():
        (kind, _), = spec.items()
        if kind in ("uniform", "loguniform") and hints.get(name) is int:
            raise ConfigError(f"[search] {name} is a whole number: sample it with randint or choice, not {kind}")

    def check(point: dict[str, tuple[str, Any]]) -> None:
        overrides = {**(base.overrides or {}), **{name: value for name, (_, value) in point.items()}}
        try:
            check_new_run(dataclasses.replace(base, overrides=overrides))
        except ConfigError as exc:
            where = " with ".join(f"{name} = {_format(value)} ({what} of {_spec_text(sweep.search[name])})"
                                  for name, (what, value) in point.items())
            raise ConfigError(f"[search] {where} is refused: {exc}") from None

    probes = {name: probe_values(spec) for name, spec in sweep.search.items()}
    for name, values in probes.items():
        for probe in values:
            check({name: probe})
    if len(probes) > 1 and math.prod(len(values) for values in probes.values()) <= MAX_CORNERS:
        for combination in itertools.product(*probes.values()):
            check(dict(zip(probes, combination, strict=True)))


def _spec_text(spec: dict[str, list[Any]]) -> str:
    (kind, arguments), = spec.items()
    return f"{kind} {arguments}"


def _check_settings(settings: TuneSettings, total_steps: int) -> None:
    for name in ("trials", "report_every", "eval_episodes", "reduction_factor"):
        value = getattr(settings, name)
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ConfigError(f"[tune] {name} must be an integer >= 1, not {value!r}")
    for name in ("concurrent", "grace_period"):
        value = getattr(settings, name)
        if value is not None and (isinstance(value, bool) or not isinstance(value, int) or value < 1):
            raise ConfigError(f"[tune] {name} must be an integer >= 1, not {value!r}")
    for name, maximum in (("trials", MAX_TRIALS), ("concurrent", MAX_CONCURRENT), ("eval_episodes", MAX_EPISODES),
                          ("reduction_factor", MAX_TRIALS)):
        value = getattr(settings, name)
        if value is not None and value > maximum:
            raise ConfigError(f"[tune] {name} must be at most {maximum:,}, not {value:,}")
    if isinstance(settings.seed, bool) or not isinstance(settings.seed, int) or not 0 <= settings.seed <= MAX_SEED:
        raise ConfigError(f"[tune] seed must be an integer between 0 and {MAX_SEED}, not {settings.seed!r}")
    if not isinstance(settings.include_default, bool):
        raise ConfigError(f"[tune] include_default is true or false, not {settings.include_default!r}")
    if settings.reduction_factor < 2:
        raise ConfigError("[tune] reduction_factor must be at least 2 (ASHA keeps 1/reduction_factor of a rung)")
    if settings.report_every > total_steps:
        raise ConfigError(f"[tune] report_every ({settings.report_every}) exceeds the trials' total_steps "
                          f"({total_steps}); no trial would ever report")


def read_sweep(path: str | Path) -> Sweep:
    """Read and check a sweep file (TOML, or the JSON of a sweep folder's ``sweep.json``)."""
    path = Path(path)
    try:
        text = read_input_bytes(path).decode("utf-8")
    except UnsafeFileError as exc:
        raise ConfigError(f"cannot read sweep file: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"cannot read sweep file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path} is not a valid sweep file: it is not UTF-8 text") from None
    try:
        data = json.loads(text) if path.suffix == ".json" else tomllib.loads(text)
    except (tomllib.TOMLDecodeError, ValueError) as exc:
        raise ConfigError(f"{path} is not a valid sweep file: {exc}") from None
    return Sweep.from_dict(data)


# ------------------------------------------------------------------------------------------------ one trial
def heldout_success(runner: Any, episodes: int) -> float:
    """The agent's success on ``episodes`` held-out iid tasks per level of the run (the same tasks every call)."""
    from sheetrl.train.evaluate import evaluate_agent, evaluation_levels

    levels = evaluation_levels(runner.config.level, unlocked=runner.curriculum_level())
    results = evaluate_agent(runner.agent, levels, episodes, splits=("iid",), max_steps=runner.config.max_steps)
    per_level = results["agent"]["iid"]
    return sum(result.success_rate for result in per_level.values()) / len(per_level)


def train_trial(config: dict[str, Any], trial_dir: Path, checkpoint_dir: Path | None,
                report: Callable[[dict[str, Any], Path], None]) -> None:
    """Train one trial in ``trial_dir/run``, calling ``report(metrics, run_dir)`` after every held-out evaluation
    (the run folder then holds the checkpoint of that step). With ``checkpoint_dir`` (a reported checkpoint) the
    trial continues from it exactly."""
    from sheetrl.train.checkpoint import CHECKPOINT_FILE
    from sheetrl.train.runner import Runner, TrainingDiverged

    settings = TuneSettings(**config[SETTINGS_KEY])
    train = dict(config[TRAIN_KEY])
    overrides = dict(train.pop("overrides", {}) or {})
    overrides.update({name: _plain(value) for name, value in config.items() if not name.startswith("_")})
    run_dir = trial_dir / "run"
    quiet = Console(file=io.StringIO())
    if checkpoint_dir is not None:
        if run_dir.exists():
            shutil.rmtree(run_dir)
        run_dir.mkdir(parents=True)
        shutil.copy2(checkpoint_dir / CHECKPOINT_FILE, run_dir / CHECKPOINT_FILE)
        runner = Runner.resume(run_dir, console=quiet)
    else:
        train_config = TrainConfig(**{**train, "overrides": overrides, "run_dir": str(run_dir),
                                      "eval_episodes": 0, "progress": False})
        runner = Runner.start(train_config, console=quiet, overwrite=True)
    every = settings.report_every
    while runner.env_steps < runner.total_steps:
        target = min(runner.total_steps, (runner.env_steps // every + 1) * every)
        try:
            runner.run(until=target)  # ends with a checkpoint of this step
        except TrainingDiverged as exc:  # a sampled point too far out (a learning rate too high) is a result, the
            # worst one, not a failure of the sweep; its last checkpoint is the last finite one
            report({METRIC: 0.0, "env_steps": runner.env_steps, "episodes": runner.episodes,
                    "training_success": 0.0, DIVERGED_KEY: one_line(exc)}, run_dir)
            return
        success = heldout_success(runner, settings.eval_episodes)
        report({METRIC: success, "env_steps": runner.env_steps, "episodes": runner.episodes,
                "training_success": runner.success_rate()}, run_dir)


def trial_folder() -> Path:
    """The folder a running trial keeps its run folder in: its folder in the sweep folder itself.

    Not ``get_trial_dir()``: that is Ray Tune's staging copy of the trial folder on the driver, which Tune copies
    into the sweep folder every few seconds while the trial runs, so a run folder there was being copied while the
    runner replaced its files (the copy failed on a file renamed under it). Tune writes into the sweep folder's
    trial folders but reads back only the sweep folder's top-level state files. Storage that is not a local
    filesystem (a bucket) cannot hold a run folder; the staging folder is used there.
    """
    from ray import tune

    context = tune.get_context()
    storage = context.get_storage()
    if storage.storage_filesystem.type_name == "local":
        return Path(storage.trial_fs_path)
    return Path(context.get_trial_dir())


def _tune_trial(config: dict[str, Any]) -> None:
    """The function Ray Tune runs for every trial."""
    import logging

    from ray import tune

    logging.getLogger("ray.train").setLevel(logging.WARNING)  # not a line on the user's terminal per checkpoint

    from sheetrl.train.checkpoint import CHECKPOINT_FILE

    def report(metrics: dict[str, Any], run_dir: Path) -> None:
        if not (run_dir / CHECKPOINT_FILE).exists():  # (a trial that diverged before its first checkpoint)
            tune.report(metrics)
            return
        with tempfile.TemporaryDirectory() as folder:
            shutil.copy2(run_dir / CHECKPOINT_FILE, Path(folder) / CHECKPOINT_FILE)
            tune.report(metrics, checkpoint=tune.Checkpoint.from_directory(folder))

    trial_dir = trial_folder()
    checkpoint = tune.get_checkpoint()
    try:
        if checkpoint is None:
            train_trial(config, trial_dir, None, report)
        else:
            with checkpoint.as_directory() as folder:
                train_trial(config, trial_dir, Path(folder), report)
    except TrainError as exc:  # settings the trial's config refuses: a retry cannot help, and Ray would print a
        # traceback of it; the trial ends with a result that says why (the metric is NaN: ASHA ranks it nowhere)
        tune.report({METRIC: math.nan, "env_steps": 0, TRIAL_ERROR_KEY: one_line(exc)})


# ---------------------------------------------------------------------------------------------- the sweep
def _space(sweep: Sweep) -> dict[str, Any]:
    from ray import tune

    makers: dict[str, Callable[..., Any]] = {"uniform": tune.uniform, "loguniform": tune.loguniform,
                                             "randint": tune.randint, "choice": lambda *values: tune.choice(values)}
    space: dict[str, Any] = {TRAIN_KEY: sweep.train, SETTINGS_KEY: dataclasses.asdict(sweep.settings)}
    for name, spec in sweep.search.items():
        (kind, arguments), = spec.items()
        space[name] = makers[kind](*arguments)
    return space


def default_point(sweep: Sweep) -> dict[str, Any]:
    """The preset's values (with the sweep's fixed overrides) of the searched hyper-parameters."""
    agent_config = sweep.base_config().agent_config()
    return {name: getattr(agent_config, name) for name in sweep.search}


def run_sweep(sweep: Sweep, out: str | Path | None = None, *, console: Console | None = None,
              verbose: int = 1) -> dict[str, Any]:
    """Run a sweep into ``out`` (default ``runs/sweeps/<level>__<algo>__<time>``); returns the best trial's row."""
    from ray import tune
    from ray.tune.schedulers import ASHAScheduler
    from ray.tune.search.basic_variant import BasicVariantGenerator

    from sheetrl.train.distributed import connect

    console = console or Console()
    base = sweep.base_config()
    if out is None:
        out = Path("runs/sweeps") / f"{base.level}__{base.algo}__{datetime.now().strftime('%Y%m%d-%H%M%S')}"
    out = check_folder(Path(out).resolve(), "the sweep folder")
    if (out / SWEEP_FILE).exists() and tune.Tuner.can_restore(str(out)):  # (without Tune's state it stopped
        raise ConfigError(f"{out} already holds a sweep; continue it with `sheetrl tune --resume {out}` or choose "
                          f"another --out")  # before its first trial started: nothing is lost by starting afresh)
    make_folder(out, "the sweep folder")
    (out / SWEEP_FILE).write_text(json.dumps(sweep.to_dict(), indent=2) + "\n", encoding="utf-8")
    settings = sweep.settings
    concurrent = settings.concurrent or _cores()
    connect(actors=concurrent)
    total = base.resolved_total_steps()
    scheduler = ASHAScheduler(time_attr="env_steps", max_t=total,
                              grace_period=settings.grace_period or settings.report_every,
                              reduction_factor=settings.reduction_factor)
    points = [default_point(sweep)] if settings.include_default else []
    searcher = BasicVariantGenerator(points_to_evaluate=points, random_state=settings.seed)
    os.environ.setdefault("TUNE_PRINT_ALL_TRIAL_ERRORS", "0")  # a failed trial is reported once, as one line
    tuner = tune.Tuner(
        _tune_trial, param_space=_space(sweep),
        tune_config=tune.TuneConfig(metric=METRIC, mode="max", scheduler=scheduler, search_alg=searcher,
                                    num_samples=settings.trials, max_concurrent_trials=concurrent),
        run_config=tune.RunConfig(name=out.name, storage_path=str(out.parent), verbose=verbose,
                                  checkpoint_config=tune.CheckpointConfig(num_to_keep=1),
                                  failure_config=tune.FailureConfig(max_failures=TRIAL_RETRIES)))
    console.print(f"sweep: {settings.trials} trials of {base.algo} on level {base.level}, {total:,} steps each, "
                  f"{concurrent} at once, ASHA on held-out success every {settings.report_every:,} steps; folder "
                  f"{out}", highlight=False)
    return _finish(*_fit(tuner, out), sweep, out, console)


class _InterruptWitness:
    """A SIGINT handler that Ray Tune finds in place when a sweep starts: Tune keeps it, stops the sweep gracefully
    on the first Ctrl-C and puts it back, so finding it back in place afterwards means Ctrl-C stopped the sweep; a
    second Ctrl-C reaches it and interrupts at once."""

    def __init__(self) -> None:
        self.called = False

    def __call__(self, signum: int, frame: object) -> None:
        self.called = True
        raise KeyboardInterrupt


def _fit(tuner: Any, folder: Path) -> tuple[Any, bool]:
    """Run the sweep; returns Tune's results and whether Ctrl-C stopped it. Ray's own failures (a node out of
    memory, a lost worker) become one line saying how to continue; a second Ctrl-C, :class:`TrainingInterrupted`."""
    import signal
    import threading

    from ray.exceptions import RayError
    from ray.tune.error import TuneError

    from sheetrl.train.runner import TrainingInterrupted

    witness = _InterruptWitness()
    watching = threading.current_thread() is threading.main_thread() \
        and not int(os.environ.get("TUNE_DISABLE_SIGINT_HANDLER", "0") or 0)
    previous = signal.signal(signal.SIGINT, witness) if watching else None
    try:
        results = tuner.fit()
        return results, witness.called or (watching and signal.getsignal(signal.SIGINT) is witness)
    except KeyboardInterrupt:
        raise TrainingInterrupted(f"interrupted; Ray Tune keeps the sweep's state in {folder} as of its last "
                                  f"snapshot; continue with: sheetrl tune --resume {folder}") from None
    except (RayError, TuneError, RuntimeError) as exc:
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise TrainError(f"the sweep stopped ({first_line}); continue it with: sheetrl tune --resume {folder}") \
            from None
    except (TrainError, MemoryError):
        raise
    except Exception as exc:  # (Tune reading a sweep state that a crash or a hand damaged: a KeyError, ...)
        raise TrainError(f"the sweep in {folder} stopped ({type(exc).__name__}: {one_line(exc)}); if its state is "
                         f"damaged, start the sweep again into another --out folder") from None
    finally:
        if watching:
            signal.signal(signal.SIGINT, previous)


def resume_sweep(folder: str | Path, *, console: Console | None = None) -> dict[str, Any]:
    """Continue an interrupted sweep: finished trials are kept, unfinished and errored ones continue from their
    last reported checkpoint."""
    from ray import tune

    from sheetrl.train.distributed import connect

    console = console or Console()
    folder = Path(folder).resolve()
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"sweep folder {folder} is a file, not a folder")
    if not (folder / SWEEP_FILE).exists():
        raise ConfigError(f"{folder} holds no sweep ({SWEEP_FILE} is missing)")
    sweep = read_sweep(folder / SWEEP_FILE)
    if not tune.Tuner.can_restore(str(folder)):
        raise TrainError(f"{folder} has no sweep state Ray Tune can continue (it stopped before its first trial "
                         f"started); start it again with: sheetrl tune SWEEP_FILE --out {folder}")
    connect(actors=sweep.settings.concurrent or _cores())
    os.environ.setdefault("TUNE_PRINT_ALL_TRIAL_ERRORS", "0")
    try:
        tuner = tune.Tuner.restore(str(folder), _tune_trial, resume_unfinished=True, resume_errored=True)
    except Exception as exc:  # a damaged tuner.pkl or experiment state: an unpickling error of any kind
        raise TrainError(f"Ray Tune cannot read the sweep state in {folder} ({type(exc).__name__}: "
                         f"{one_line(exc)}); start the sweep again into another --out folder") from None
    console.print(f"resuming the sweep in {folder}", highlight=False)
    return _finish(*_fit(tuner, folder), sweep, folder, console)


def _cores() -> int:
    return os.cpu_count() or 1


def trial_failure(result: Any) -> str | None:
    """Why a trial failed, as one line (None: it did not): the settings its config refused (the trial reported
    them), else the error Ray kept for it."""
    refused = (result.metrics or {}).get(TRIAL_ERROR_KEY)
    if refused:
        return str(refused)
    if result.error is None:
        return None
    cause = getattr(result.error, "cause", None) or result.error  # (a RayTaskError's text is a whole traceback)
    return f"{type(cause).__name__}: {one_line(cause)}"


def trial_status(result: Any, total_steps: int) -> str:
    """What became of a trial: error, diverged (its network's weights became NaN or infinite: success 0),
    finished, stopped by ASHA (ended early by the scheduler), interrupted (the sweep stopped while it ran: it
    continues with ``--resume``) or not started."""
    metrics = result.metrics or {}
    if trial_failure(result) is not None:
        return "error"
    if metrics.get(DIVERGED_KEY):
        return "diverged"
    if not metrics.get("done"):  # (Tune marks the last result of every trial that ended, whatever ended it)
        return "interrupted" if METRIC in metrics else "not started"
    return "finished" if metrics.get("env_steps", 0) >= total_steps else "stopped by ASHA"


def _finish(results: Any, interrupted: bool, sweep: Sweep, out: Path, console: Console) -> dict[str, Any]:
    """Write the results table and the best config; print the table. A trial that failed ends the sweep with a
    :class:`TrainError` naming it and its hyper-parameters (after the table of the others is written). A sweep
    whose trials have not all ended (Ctrl-C: ``interrupted``) writes its table so far and no best config: it raises
    :class:`TrainingInterrupted` (or, stopped otherwise, a :class:`TrainError`) saying how to continue."""
    total = sweep.base_config().resolved_total_steps()
    rows, failures = [], []
    for result in results:
        metrics = result.metrics or {}
        steps = metrics.get("env_steps", 0)
        failure = trial_failure(result)
        status = trial_status(result, total)
        row = {"trial": Path(result.path).name if result.path else "?", **{name: _plain((result.config or {}).get(name))
                                                                         for name in sweep.search},
               METRIC: metrics.get(METRIC, math.nan), "env_steps": steps, "status": status}
        rows.append(row)
        if failure is not None:
            failures.append((row, failure))
    rows.sort(key=lambda row: (-_number(row[METRIC]), -row["env_steps"], row["trial"]))
    with (out / RESULTS_CSV).open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]) if rows else ["trial"])
        writer.writeheader()
        writer.writerows(rows)
    (out / RESULTS_JSON).write_text(json.dumps(rows, indent=2, default=str) + "\n", encoding="utf-8")
    unfinished = [row for row in rows if row["status"] in ("interrupted", "not started")]
    if unfinished or len(rows) < sweep.settings.trials:
        (out / BEST_FILE).unlink(missing_ok=True)  # (a best config is what a finished sweep found)
        _print_table(rows, sweep, console)
        ended = len(rows) - len(unfinished)
        stopped = sum(row["status"] == "interrupted" for row in rows)
        kept = (f"{ended} of {sweep.settings.trials} trials ended" + (f" ({len(failures)} with an error)" if failures
                                                                      else "")
                + (f", {stopped} stopped mid-way (each continues from its last reported checkpoint)" if stopped
                   else "") + f"; results so far in {out / RESULTS_CSV}, no best config yet")
        if interrupted:
            from sheetrl.train.runner import TrainingInterrupted

            raise TrainingInterrupted(f"interrupted: {kept}; continue with: sheetrl tune --resume {out}")
        raise TrainError(f"the sweep stopped before its trials ended: {kept}; continue with: sheetrl tune --resume "
                         f"{out}")
    completed = [row for row in rows if row["status"] != "error" and not math.isnan(_number(row[METRIC]))]
    if failures:
        _print_table(rows, sweep, console)
        row, failure = failures[0]
        settings = ", ".join(f"{name}={_format(row[name])}" for name in sweep.search)
        kept = f"; {out / BEST_FILE} is the best of the {len(completed)} others" if completed else ""
        if completed:
            _write_best(completed[0], sweep, out, total)
        raise TrainError(f"{len(failures)} of {len(rows)} trials failed, e.g. {row['trial']} ({settings}): {failure}; "
                         f"{out / RESULTS_CSV} lists every trial{kept}")
    if not completed:
        raise TrainError(f"no trial of the sweep in {out} reported a result; see the trial folders for errors")
    best = completed[0]
    command = _write_best(best, sweep, out, total)
    _print_table(rows, sweep, console)
    console.print(f"best: {best['trial']} (held-out success {best[METRIC]:.3f}); {out / BEST_FILE}; train it with:\n"
                  f"{command}", highlight=False)
    return best


def _write_best(best: dict[str, Any], sweep: Sweep, out: Path, total: int) -> str:
    """Write ``best_config.json`` for the trial ``best`` (a results row); returns the command that trains it."""
    overrides = {**(sweep.train.get("overrides") or {}), **{name: best[name] for name in sweep.search}}
    best_config = TrainConfig(**{**sweep.train, "overrides": overrides}).to_dict()
    command = (f"sheetrl train --algo {best_config['algo']} --level {best_config['level']} --preset "
               f"{best_config['preset']} --total-steps {total} "
               + " ".join(f"--set {name}={_command_value(value)}" for name, value in overrides.items()))
    (out / BEST_FILE).write_text(json.dumps({"train": best_config, METRIC: best[METRIC], "trial": best["trial"],
                                             "command": command}, indent=2) + "\n", encoding="utf-8")
    return command


def _command_value(value: Any) -> str:
    """A hyper-parameter value as ``--set`` takes it: a list of widths as 32,32 (its repr has a space and brackets
    that a shell splits or expands)."""
    if isinstance(value, (list, tuple)):
        return ",".join(str(item) for item in value)
    return str(value)


def _plain(value: Any) -> Any:
    """A sampled value as a plain Python value (Tune may hand out NumPy scalars)."""
    return value.item() if hasattr(value, "item") else value


def _number(value: Any) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _print_table(rows: list[dict[str, Any]], sweep: Sweep, console: Console) -> None:
    from rich.table import Table

    table = Table(title="sweep results (best first)")
    for column in ["trial", *sweep.search, METRIC, "env_steps", "status"]:
        table.add_column(column)
    for row in rows:
        cells = [row["trial"]] + [_format(row[name]) for name in sweep.search] + [
            _format(row[METRIC]), f"{row['env_steps']:,}", row["status"]]
        table.add_row(*cells)
    console.print(table)


def _format(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)
