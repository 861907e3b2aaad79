"""What a training run is: :class:`TrainConfig`, the one dataclass behind ``sheetrl train``.

The run's settings (which algorithm, which level, how long, where to write) live here; the algorithm's own
hyper-parameters live in that algorithm's ``Config`` dataclass and are picked by name from its ``PRESETS``
(``quick``: minutes on a CPU; ``seed``: the seed document's sizes), optionally with ``overrides`` of single fields
(``--set learning_rate=3e-4``). Every field's one-line help is in its ``metadata`` and is what the CLI shows.

Validation raises :class:`ConfigError` with one line that names the field and what to do; nothing is checked
later in the middle of a run.
"""

from __future__ import annotations

import dataclasses
import math
import types
import typing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sheetrl.agents import ALGORITHMS, algorithm

LEVEL_CHOICES = (1, 2, 3, 4, 5, "curriculum")
WANDB_MODES = ("offline", "online", "disabled")
# Environment steps when --total-steps is not given. The run's length lives only here and in ``total_steps``:
# schedules that span the run (PPO's learning-rate annealing) read it from the agent's ``run_steps``.
DEFAULT_TOTAL_STEPS = {"quick": 50_000, "seed": 1_000_000}
MAX_SEED = 2**32 - 1  # numpy's global generator takes seeds below 2**32
RAY_ALGORITHMS = ("ppo", "dqn")  # the algorithms whose experience Ray actors can collect
DQN_ACTOR_DEFAULTS = (16, 8, 64)  # ray_chunk_steps, ray_sync_every, ray_max_lag when not given
MAX_THREADS = 256  # torch CPU threads: more segfaults or hangs in the thread pools, and no machine has use for it
MAX_COUNT = 10**12  # any other whole-number setting (steps, intervals): far beyond a run, and within int64
MAX_EPISODES = 1_000_000  # evaluation episodes (as `sheetrl eval --episodes`)
MAX_EPISODE_STEPS = 1_000_000  # an episode's step budget
MAX_CHUNK_STEPS = 65_536  # ray_chunk_steps: an actor holds this many steps of each of its environments
# The largest value of an algorithm hyper-parameter that sizes what is allocated (environments, rollouts, batches,
# buffers, network widths) or repeated per iteration, whichever algorithm has it: beyond these a run would not fit
# in memory or would never finish an iteration, and a typo (num_envs=1e30) hung while memory grew. Every other
# whole-number hyper-parameter is at most MAX_COUNT.
SIZE_LIMITS = {
    "num_envs": 4_096, "num_steps": 65_536, "option_max_steps": MAX_EPISODE_STEPS,
    "batch_size": 65_536, "meta_imitation_batch": 65_536,
    "buffer_size": 10_000_000, "replay_size": 10_000_000, "max_dataset": 10_000_000,
    "meta_imitation_buffer": 10_000_000, "ranked_buffer": 1_000_000,
    "hidden_sizes": 8_192, "meta_hidden_sizes": 8_192,  # every layer's width
    "simulations": 100_000, "update_epochs": 10_000, "updates_per_iteration": 10_000,
    "demo_episodes": MAX_EPISODES, "meta_imitation_iterations": 1_000_000,
}
MAX_LAYERS = 64  # entries of a tuple of widths (hidden_sizes)
MAX_ROLLOUT = 1 << 20  # num_envs * num_steps: the transitions of one rollout, held at once


class TrainError(Exception):
    """A problem with a training request, reported to a CLI user as one line."""


class ConfigError(TrainError, ValueError):
    """An invalid training setting (the message names the field and the allowed values)."""


def one_line(error: BaseException, limit: int = 400) -> str:
    """What an exception says, as one line of at most ``limit`` characters (torch's state-dict errors span many
    lines; a missing key says which)."""
    if isinstance(error, KeyError) and len(error.args) == 1:
        text = f"{error.args[0]!r} is missing"
    else:
        text = " ".join(line.strip() for line in str(error).splitlines() if line.strip()) or type(error).__name__
    return text if len(text) <= limit else text[:limit - 3].rstrip() + "..."


def _help(text: str, default: Any) -> Any:
    return field(default=default, metadata={"help": text})


@dataclass
class TrainConfig:
    """Settings of one training run (the algorithm's hyper-parameters come from its preset)."""

    algo: str = _help("Algorithm: " + ", ".join(ALGORITHMS) + ".", "ppo")
    level: int | str = _help("Curriculum level 1-5, or 'curriculum' to advance through all five.", 1)
    preset: str = _help("Hyper-parameter preset of the algorithm: 'quick' (CPU, minutes) or 'seed' (full size).",
                        "quick")
    seed: int = _help("Seed of every random number generator and of the training tasks.", 1)
    total_steps: int | None = _help("Environment steps to train for (default: the preset's).", None)
    device: str = _help("Torch device: auto (CUDA when present, else CPU), cpu, cuda or cuda:N.", "auto")
    precision: str = _help("Numeric precision of updates: fp32, bf16 (CPU or CUDA) or fp16 (CUDA).", "fp32")
    accumulation_steps: int = _help("Micro-batches whose gradients are accumulated per optimizer step.", 1)
    run_dir: str | None = _help("Run folder (default: runs/{level}__{algo}__{seed}__{time}).", None)
    checkpoint_every: int = _help("Write a checkpoint every this many finished episodes (and at the end).", 100)
    checkpoint_interval: float = _help(
        "...but no more often than every this many seconds (0: no limit); a DQN checkpoint holds the replay buffer.",
        60.0)
    eval_episodes: int = _help("Held-out evaluation episodes per level at the end of training (0: none).", 100)
    wandb: str = _help("Weights & Biases logging: offline (local files), online (sync) or disabled.", "offline")
    tensorboard: bool = _help("Write TensorBoard event files into the run folder.", True)
    max_steps: int | None = _help("Override every task's episode step budget.", None)
    policy: str | None = _help(
        "Policy network of bc, ppo and dqn: mlp (flat vector), encoder (GNN/CNN/LSTM) or transformer "
        "(SpreadsheetGPT); default: the algorithm's preset.", None)
    demos: str | None = _help("bc: demonstrations file (.npz from `sheetrl demos`); default: expert episodes "
                              "collected at the start.", None)
    dagger: bool = _help("bc: DAgger, the any-state expert labels the states the learner visits.", False)
    init_from: str | None = _help("Start the network from another run's latest checkpoint: PPO from a bc run "
                                  "(--set kl_coef=0.1 keeps PPO near it), alphazero from any run with a compatible "
                                  "policy, hierarchical's specialists from a bc or ppo MLP run.", None)
    overrides: dict[str, Any] = field(
        default_factory=dict, metadata={"help": "Algorithm hyper-parameters to change, e.g. learning_rate=3e-4."}
    )
    log_every: int = _help("Log the agent's losses and SPS every this many environment steps.", 1000)
    threads: int = _help(f"CPU threads for torch, 1 to {MAX_THREADS} (1 is fastest for these small networks next to "
                         f"the envs).", 1)
    progress: bool = _help("Show a progress bar.", True)
    ray_actors: int = _help("Collect experience with this many Ray actors (ppo, dqn; 0: in this process).", 0)
    ray_address: str | None = _help("Ray cluster to join with --ray-actors (default: start a local Ray).", None)
    ray_overlap: bool = _help("ppo with --ray-actors: collect the next rollout while the learner updates (the "
                              "policy then lags one update behind).", False)
    ray_chunk_steps: int | None = _help("dqn with --ray-actors: steps of every environment an actor sends per "
                                        "chunk of transitions (default 16).", None)
    ray_sync_every: int | None = _help("dqn with --ray-actors: learner updates between broadcasts of the weights "
                                       "to the actors (default 8).", None)
    ray_max_lag: int | None = _help("dqn with --ray-actors: most learner updates between the weights an actor "
                                    "acted with and the learner's when its chunk arrives; actors wait beyond it "
                                    "(default 64).", None)

    # ------------------------------------------------------------------------------------------------ checks
    def validate(self) -> TrainConfig:
        """Check every field (raises :class:`ConfigError`); returns self."""
        # torch is imported only when a run is configured
        from sheetrl.models.precision import PRECISIONS

        if self.algo not in ALGORITHMS:
            raise ConfigError(f"algo must be one of {', '.join(ALGORITHMS)}, not {self.algo!r}")
        if self.level not in LEVEL_CHOICES or isinstance(self.level, bool):
            raise ConfigError(f"level must be 1-5 or 'curriculum', not {self.level!r}")
        if isinstance(self.seed, bool) or not isinstance(self.seed, int) or not 0 <= self.seed <= MAX_SEED:
            raise ConfigError(f"seed must be an integer between 0 and {MAX_SEED}, not {self.seed!r}")
        if self.total_steps is not None:
            _require_int("total_steps", self.total_steps, minimum=1)
        if not isinstance(self.device, str) or not self.device:
            raise ConfigError(f"device must be auto, cpu, cuda or cuda:N, not {self.device!r}")
        if self.run_dir is not None and (not isinstance(self.run_dir, str) or not self.run_dir.strip()):
            raise ConfigError(f"run_dir must name a folder, not {self.run_dir!r} (leave it out for the default "
                              f"runs/{{level}}__{{algo}}__{{seed}}__{{time}})")
        if self.precision not in PRECISIONS:
            raise ConfigError(f"precision must be one of {', '.join(PRECISIONS)}, not {self.precision!r}")
        _require_int("accumulation_steps", self.accumulation_steps, minimum=1, maximum=10_000)
        _require_int("checkpoint_every", self.checkpoint_every, minimum=1)
        if isinstance(self.checkpoint_interval, bool) or not isinstance(self.checkpoint_interval, (int, float)) \
                or not self.checkpoint_interval >= 0:
            raise ConfigError(f"checkpoint_interval must be a number of seconds >= 0, not {self.checkpoint_interval!r}")
        _require_int("eval_episodes", self.eval_episodes, minimum=0, maximum=MAX_EPISODES)
        _require_int("log_every", self.log_every, minimum=1)
        _require_int("threads", self.threads, minimum=1, maximum=MAX_THREADS)
        if self.wandb not in WANDB_MODES:
            raise ConfigError(f"wandb must be one of {', '.join(WANDB_MODES)}, not {self.wandb!r}")
        if not isinstance(self.tensorboard, bool) or not isinstance(self.progress, bool):
            raise ConfigError("tensorboard and progress are true or false")
        if self.max_steps is not None:
            _require_int("max_steps", self.max_steps, minimum=1, maximum=MAX_EPISODE_STEPS)
        self._validate_ray()
        if not isinstance(self.overrides, dict):
            raise ConfigError("overrides must be a mapping of hyper-parameter names to values")
        if not isinstance(self.dagger, bool):
            raise ConfigError("dagger is true or false")
        if self.init_from is not None and (not isinstance(self.init_from, str) or not self.init_from):
            raise ConfigError(f"init_from must be a run folder, not {self.init_from!r}")
        agent_config = self.agent_config()  # the preset exists and every override names a field of its Config
        if self.ray_actors > agent_config.num_envs:
            raise ConfigError(f"ray_actors ({self.ray_actors}) must not exceed the algorithm's num_envs "
                              f"({agent_config.num_envs}): every actor steps at least one environment")
        return self

    def _validate_ray(self) -> None:
        """The Ray settings: which algorithms use actors, and the options that only apply to one of them."""
        _require_int("ray_actors", self.ray_actors, minimum=0)
        if self.ray_actors and self.algo not in RAY_ALGORITHMS:
            raise ConfigError(f"ray_actors collects experience for {' and '.join(RAY_ALGORITHMS)}; {self.algo} "
                              f"trains in one process")
        if self.ray_address is not None and not self.ray_actors:
            raise ConfigError("ray_address needs ray_actors (how many actors to start there)")
        if not isinstance(self.ray_overlap, bool):
            raise ConfigError("ray_overlap is true or false")
        if self.ray_overlap and (not self.ray_actors or self.algo != "ppo"):
            raise ConfigError("ray_overlap overlaps PPO's update with the next rollout: it needs --algo ppo and "
                              "--ray-actors")
        dqn_options = {"ray_chunk_steps": (self.ray_chunk_steps, 1, MAX_CHUNK_STEPS),
                       "ray_sync_every": (self.ray_sync_every, 1, MAX_COUNT),
                       "ray_max_lag": (self.ray_max_lag, 0, MAX_COUNT)}
        for name, (value, minimum, maximum) in dqn_options.items():
            if value is None:
                continue
            if not self.ray_actors or self.algo != "dqn":
                raise ConfigError(f"{name} sets the asynchronous DQN actors: it needs --algo dqn and --ray-actors")
            _require_int(name, value, minimum=minimum, maximum=maximum)
        if self.ray_actors and self.algo == "dqn":
            sync_every, max_lag = self.dqn_actor_settings()[1:]
            if max_lag < sync_every - 1:
                raise ConfigError(f"ray_max_lag ({max_lag}) must be at least ray_sync_every - 1 ({sync_every - 1}): "
                                  f"weights up to that many updates old are what the actors have between broadcasts")

    def dqn_actor_settings(self) -> tuple[int, int, int]:
        """(chunk steps, learner updates between weight broadcasts, largest policy lag) of the DQN actors."""
        chunk, sync_every, max_lag = DQN_ACTOR_DEFAULTS
        return (chunk if self.ray_chunk_steps is None else self.ray_chunk_steps,
                sync_every if self.ray_sync_every is None else self.ray_sync_every,
                max_lag if self.ray_max_lag is None else self.ray_max_lag)

    # ------------------------------------------------------------------------------------- algorithm config
    def algorithm_module(self) -> types.ModuleType:
        """The module of :attr:`algo` (a :class:`ConfigError` when it is unknown or not installed)."""
        if self.algo not in ALGORITHMS:
            raise ConfigError(f"algo must be one of {', '.join(ALGORITHMS)}, not {self.algo!r}")
        try:
            return algorithm(self.algo)
        except ModuleNotFoundError as exc:
            if exc.name is not None and exc.name.startswith("sheetrl"):
                raise ConfigError(f"algorithm {self.algo!r} is not available in this installation "
                                  f"({exc.name} is missing)") from None
            raise

    def agent_config(self) -> Any:
        """The algorithm's Config: the preset, with :attr:`overrides` applied."""
        module = self.algorithm_module()
        presets = getattr(module, "PRESETS", {})
        if self.preset not in presets:
            raise ConfigError(f"preset must be one of {', '.join(presets) or '(none)'} for {self.algo}, "
                              f"not {self.preset!r}")
        base = presets[self.preset]
        names = {f.name: f for f in dataclasses.fields(base)}
        changes: dict[str, Any] = {}
        try:
            hints = typing.get_type_hints(type(base))
        except Exception:  # an annotation that cannot be resolved: fall back to the default value's type
            hints = {}
        for name, value in self._hyper_parameters().items():
            if name not in names:
                raise ConfigError(f"{self.algo} has no hyper-parameter {name!r}; it has {', '.join(names)}")
            changes[name] = coerce(name, value, hints.get(name, type(getattr(base, name))))
        try:
            config = dataclasses.replace(base, **changes)
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"invalid {self.algo} hyper-parameters: {exc}") from None
        for name, value in changes.items():  # what the algorithm's own checks let through
            if any(isinstance(number, float) and not math.isfinite(number)
                   for number in (value if isinstance(value, (tuple, list)) else (value,))):
                raise ConfigError(f"{self.algo}: {name} must be a finite number, not {value!r}")
        if not isinstance(getattr(config, "num_envs", None), int) or config.num_envs < 1:
            raise ConfigError(f"{self.algo} config needs a positive integer num_envs, not "
                              f"{getattr(config, 'num_envs', None)!r}")
        check_sizes(self.algo, config)
        return config

    def _hyper_parameters(self) -> dict[str, Any]:
        """``overrides`` plus the algorithm hyper-parameters that have options of their own (--policy, --demos,
        --dagger); setting one both ways differently is an error."""
        result = dict(self.overrides)
        for option, name, value in (("policy", "policy", self.policy), ("demos", "demonstrations", self.demos),
                                    ("dagger", "dagger", True if self.dagger else None)):
            if value is None:
                continue
            fields = {f.name for f in dataclasses.fields(algorithm(self.algo).Config)}
            if name not in fields:
                raise ConfigError(f"--{option} does not apply to {self.algo}")
            if name in result and str(result[name]) != str(value):
                raise ConfigError(f"--{option} {value} and --set {name}={result[name]} disagree; give one")
            result[name] = value
        return result

    def resolved_total_steps(self) -> int:
        """Steps to train for: ``total_steps``, else the preset's default (:data:`DEFAULT_TOTAL_STEPS`)."""
        if self.total_steps is not None:
            return self.total_steps
        return DEFAULT_TOTAL_STEPS.get(self.preset, DEFAULT_TOTAL_STEPS["quick"])

    def default_run_dir(self, timestamp: str, root: str | Path = "runs") -> Path:
        """``runs/{level}__{algo}__{seed}__{time}``."""
        return Path(root) / f"{self.level}__{self.algo}__{self.seed}__{timestamp}"

    # ------------------------------------------------------------------------------------------ serialization
    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> TrainConfig:
        """The inverse of :meth:`to_dict` (unknown keys are an error, so a typo is never silently ignored)."""
        if not isinstance(data, dict):
            raise ConfigError(f"a training config is a JSON object, not {type(data).__name__}")
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ConfigError(f"unknown training config field(s): {', '.join(unknown)}")
        return cls(**data)


def field_help(name: str) -> str:
    """The one-line help of a :class:`TrainConfig` field (what the CLI shows)."""
    for f in dataclasses.fields(TrainConfig):
        if f.name == name:
            default = f.default if f.default is not dataclasses.MISSING else None
            if isinstance(default, bool):
                return f.metadata["help"]  # the --x/--no-x switch shows its own default
            return f.metadata["help"] + ("" if default is None else f" Default: {default}.")
    raise KeyError(name)


def parse_level(value: Any) -> int | str:
    """'1'..'5' or 'curriculum' (CLI text or JSON) to a level (raises :class:`ConfigError`)."""
    if value == "curriculum":
        return value
    try:
        level = int(value)
    except (TypeError, ValueError):
        raise ConfigError(f"level must be 1-5 or 'curriculum', not {value!r}") from None
    if level not in LEVEL_CHOICES or str(level) != str(value).strip():
        raise ConfigError(f"level must be 1-5 or 'curriculum', not {value!r}")
    return level


def parse_overrides(assignments: list[str]) -> dict[str, str]:
    """``["learning_rate=3e-4", ...]`` to a dict of raw text (coerced later against the algorithm's Config)."""
    result: dict[str, str] = {}
    for assignment in assignments:
        name, sep, value = assignment.partition("=")
        if not sep or not name.strip():
            raise ConfigError(f"--set {assignment!r} must look like name=value")
        result[name.strip()] = value.strip()
    return result


def coerce(name: str, value: Any, kind: Any) -> Any:
    """A hyper-parameter value (often command-line text) to its field's type."""
    if kind is int and isinstance(value, float):  # a number from a file or a sampled one: 3.0 is 3, 2.5 is no int
        if not (math.isfinite(value) and value.is_integer()):
            raise ConfigError(f"hyper-parameter {name}={value!r} is not a valid int")
        return int(value)
    if not isinstance(value, str):
        return value
    origin = typing.get_origin(kind)
    options = typing.get_args(kind) if origin in (typing.Union, types.UnionType) else ()
    if options:
        if value.lower() in ("none", "null") and type(None) in options:
            return None
        kinds = [k for k in options if k is not type(None)]
        for candidate in kinds:
            try:
                return coerce(name, value, candidate)
            except ConfigError:
                continue
        raise ConfigError(f"hyper-parameter {name}={value!r} is not a valid {kind}")
    if origin is tuple and typing.get_args(kind)[1:] == (Ellipsis,):
        # tuple[int, ...] (network widths): comma-separated, e.g. "256,256" or "(256, 256)"
        element = typing.get_args(kind)[0]
        items = [item.strip() for item in value.strip("()[] ").split(",")]
        if not all(items):
            example = ", e.g. 256,256" if element is int else ""  # a width example would mislead for names
            raise ConfigError(f"hyper-parameter {name}={value!r} must be comma-separated values{example}")
        return tuple(coerce(name, item, element) for item in items)
    try:
        if kind is bool:
            if value.lower() in ("true", "1", "yes", "on"):
                return True
            if value.lower() in ("false", "0", "no", "off"):
                return False
            raise ValueError(value)
        if kind is int:
            number = float(value)
            if not number.is_integer():
                raise ValueError(value)
            return int(number)
        if kind is float:
            return float(value)
        if kind is str:
            return value
    except ValueError:
        kind_name = getattr(kind, "__name__", str(kind))
        raise ConfigError(f"hyper-parameter {name}={value!r} is not a valid {kind_name}") from None
    kind_name = getattr(kind, "__name__", str(kind))
    raise ConfigError(f"hyper-parameter {name} ({kind_name}) cannot be set from the command line")


def check_sizes(algo: str, config: Any) -> None:
    """Refuse an algorithm Config whose whole-number hyper-parameters exceed :data:`SIZE_LIMITS` (or
    :data:`MAX_COUNT`, or :data:`MAX_ROLLOUT` for ``num_envs * num_steps``): raises :class:`ConfigError` naming the
    field. What the algorithm's own checks let through here would otherwise allocate without end."""
    for f in dataclasses.fields(config):
        value = getattr(config, f.name)
        limit = SIZE_LIMITS.get(f.name, MAX_COUNT)
        if isinstance(value, (tuple, list)):
            numbers = [item for item in value if isinstance(item, int) and not isinstance(item, bool)]
            if numbers and len(value) > MAX_LAYERS:
                raise ConfigError(f"{algo}: {f.name} may have at most {MAX_LAYERS} entries, not {len(value):,}")
            if any(number > limit for number in numbers):
                raise ConfigError(f"{algo}: every entry of {f.name} must be at most {limit:,}, not "
                                  f"{_count(max(numbers))}")
        elif isinstance(value, int) and not isinstance(value, bool) and value > limit:
            raise ConfigError(f"{algo}: {f.name} must be at most {limit:,}, not {_count(value)}")
    envs, steps = getattr(config, "num_envs", None), getattr(config, "num_steps", None)
    if isinstance(envs, int) and isinstance(steps, int) and envs * steps > MAX_ROLLOUT:
        raise ConfigError(f"{algo}: a rollout of num_envs x num_steps = {envs:,} x {steps:,} transitions is more "
                          f"than {MAX_ROLLOUT:,}; make one of them smaller")


def _require_int(name: str, value: Any, minimum: int, maximum: int = MAX_COUNT) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        raise ConfigError(f"{name} must be an integer >= {minimum}, not {value!r}")
    if value > maximum:
        raise ConfigError(f"{name} must be at most {maximum:,}, not {_count(value)}")


def _count(value: int) -> str:
    """A whole number for a message: 4,096, or 1e+30 for one too long to read."""
    return f"{value:,}" if value < 10**15 else f"{value:.3g}"
