"""PPO experience collection by Ray actors: ``sheetrl train --algo ppo --ray-actors N [--ray-overlap]``.

Data-parallel PPO. The run's ``num_envs`` environments are split over ``N`` actors (:class:`RolloutWorker`); each
holds its slice of environments and a copy of the policy. For every rollout the learner (the training process)
puts a set of weights into Ray's object store once, every actor loads them and runs ``num_steps`` steps in each of
its environments with the agent's own :meth:`~sheetrl.agents.ppo.PPOAgent.collect`, and the learner concatenates
the rollouts (actor 0's environments first) and makes one PPO update on the whole batch: the same batch size,
minibatches and epochs as a run in one process. Ray starts locally (``ray.init(num_cpus=...)``) unless
``--ray-address`` names a cluster; the code is the same.

Two schedules:

- **synchronous** (the default): rollout ``i`` is collected with the weights ``W_i`` the learner has after ``i``
  updates; while the learner updates, the actors wait. The update is on-policy, exactly as in one process.
- **overlapped** (``--ray-overlap``): as soon as an actor's part of rollout ``i`` has arrived, that actor starts
  its part of rollout ``i + 1`` with ``W_i``, the weights from *before* update ``i`` (so an actor that finishes
  first does not wait for the others), and collects it while the learner computes that update.
  Rollout ``0`` and rollout ``1`` are both collected with ``W_0``; from then on rollout ``i + 1`` is collected with
  ``W_i`` and used by update ``i + 1``, which starts from ``W_{i+1}``: the policy lag is exactly one update (the
  metric ``charts/policy_lag`` says so per iteration, 0 for the first). The rollout stores the log-probabilities
  and values of the weights that acted, and a lagged rollout is used with the decoupled PPO objective
  (:meth:`~sheetrl.agents.ppo.PPOAgent.update` with ``stale``: the ratio is clipped around the learner's weights
  as the update starts, each sample weighted by ``pi_proximal / pi_behaviour``). Clipping around the behaviour
  policy instead, one update old, learnt less: at 100k steps on level 2, 3 seeds, held-out ood success 0.24
  against 0.55 in one process; decoupled 0.72 (``BENCHMARKS.md``, "Scale").

:class:`RayRolloutPool` stands where the runner's :class:`~sheetrl.env.vector.SheetVectorEnv` stands: it drains
finished episodes, snapshots and restores every actor's state for checkpoints, and reports the curriculum level.

Checkpoints and the rollout in flight. The pool's state is that of the *consumed* rollouts: after each rollout an
actor returns its state (its environments' :meth:`get_state` and its sampling generator), and the pool keeps the
last one it has read. In the overlapped schedule the state also holds the weights the rollout in flight was
requested with (``W_i``). A resumed run, a run whose actors were stopped between two ``run`` calls, and a replaced
actor all request that rollout again from the same actor states with the same weights, so they collect exactly the
rollout the original request would have; a rollout that completed but was never read is simply collected again.
A rollout is counted (steps, episodes) only when the learner reads it.

Faults. When an actor dies (killed, its node lost) the pool starts a replacement from the actor's last state and
asks it for the same rollout again, with the same weights, so no step is lost or counted twice and the continued
run is the run that would have happened without the fault (a test kills an actor mid-run and compares the weights
bit for bit, in both schedules). A rollout that fails more than ``max_restarts`` times stops training with an
error.

What is bit-exact, on CPU, in either schedule:

- two runs with the same seed, the same ``--ray-actors`` and the same schedule: identical (each actor's environments
  and sampling generator are seeded from the run's seed and its index, the weights each rollout is collected with
  are fixed by the schedule, not by timing, and results are combined in actor order whatever order they arrive in);
- resuming from a checkpoint: identical to the run that never stopped (see above);
- a run in which actors were killed and replaced: identical to one without faults.

What is not: a run with ``N`` actors against a run in one process or with another ``N`` (the environments of each
actor draw their tasks from the actor's seed, and each actor samples actions from its own generator: the
statistics are the same, the numbers differ); the overlapped schedule against the synchronous one (the lag changes
the data from the second rollout on); actors on cluster nodes whose CPUs or libraries differ compute the policy
with different rounding; a CUDA learner is as deterministic as CUDA is; the timing metrics (``timing/*``) and
steps/s are wall-clock figures. With ``--level curriculum`` each actor's environments share one curriculum manager
per actor, fed by that actor's episodes; the run's level is the highest any actor unlocked.

Environments: :func:`build_env_slice` is the one place that says what an actor steps (a
:class:`~sheetrl.env.vector.SheetVectorEnv` of ``SpreadsheetEnv``); anything with the pool's interface (``obs``,
``masks``, ``step``, ``drain``, ``get_state``/``set_state``, the spaces) fits. :class:`ActorPool` is the actor
machinery this pool shares with the asynchronous DQN actors of :mod:`sheetrl.train.distributed_dqn`.
"""

from __future__ import annotations

import abc
import contextlib
import dataclasses
import logging
import os
import time
from collections import deque
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import torch

from sheetrl.env.spreadsheet_env import EnvConfig, SpreadsheetEnv
from sheetrl.env.vector import EpisodeStats, SheetVectorEnv
from sheetrl.models.precision import Precision
from sheetrl.train.config import ConfigError, TrainError, one_line

MAX_RESTARTS = 3  # replacements of one actor for one request before training gives up
CPU_WAIT_SECONDS = 30.0  # how long to wait for free CPUs before starting the actors
PROBE_SECONDS = 10.0  # how long to wait for a --ray-address to answer before refusing it
RAY_CLIENT_PORT = 10001  # Ray client's port when a ray:// address names none
TIMELINE_LENGTH = 1_000  # iterations whose timestamps the pool keeps (see RayRolloutPool.timeline)


def build_env_slice(num_envs: int, env_config: EnvConfig, seed: int) -> SheetVectorEnv:
    """The environments one actor steps: a :class:`~sheetrl.env.vector.SheetVectorEnv` of ``num_envs``
    environments, reset with ``seed``."""
    pool = SheetVectorEnv(env_config, num_envs)
    pool.reset(seed=seed)
    return pool


def actor_seeds(seed: int, actors: int) -> list[int]:
    """Independent seeds for the actors of a run seeded ``seed`` (spawned from a SeedSequence keyed apart from
    the one :func:`~sheetrl.env.vector.env_seeds` uses, so no actor repeats the single-process task stream)."""
    children = np.random.SeedSequence(seed, spawn_key=(0x5CA1E,)).spawn(actors)
    return [int(child.generate_state(1, dtype=np.uint32)[0]) for child in children]


def split_sizes(num_envs: int, actors: int) -> list[int]:
    """How many environments each actor steps: as even as possible, the first ones one more."""
    if not 1 <= actors <= num_envs:
        raise ConfigError(f"ray_actors must be between 1 and the algorithm's num_envs ({num_envs}), not {actors}")
    base, extra = divmod(num_envs, actors)
    return [base + (1 if index < extra else 0) for index in range(actors)]


def _join_envs(parts: list[Any], device: torch.device) -> Any:
    """The actors' rollout tensors (num_steps, envs, ...) side by side along the environment axis; a dict of
    tensors (the observation keys a policy reads) key by key."""
    if isinstance(parts[0], dict):
        return {key: torch.cat([part[key] for part in parts], dim=1).to(device) for key in parts[0]}
    return torch.cat(parts, dim=1).to(device)


def actor_precision(mode: str) -> str:
    """Actors act on the CPU: bf16 autocast works there, fp16 does not (they act in fp32 then)."""
    return "fp32" if mode == "fp16" else mode


def cpu_weights(network: torch.nn.Module) -> dict[str, torch.Tensor]:
    """A copy of a network's weights on the CPU (a copy: the learner goes on changing its own in place)."""
    return {name: tensor.detach().to("cpu", copy=True) for name, tensor in network.state_dict().items()}


class ActorWorker(abc.ABC):
    """What every actor is: a slice of environments and a copy of the agent (the run's config with ``num_envs`` and
    :attr:`config_changes`), on the CPU with one thread (the network is small next to the environments); it
    reports its finished episodes, curriculum level and state with each result."""

    config_changes: ClassVar[dict[str, Any]] = {}

    def __init__(self, algo: str, agent_config: Any, env_config: EnvConfig, num_envs: int, seed: int,
                 precision: str, state: dict[str, Any] | None = None) -> None:
        from sheetrl.agents import algorithm

        torch.set_num_threads(1)
        self.pool = build_env_slice(num_envs, env_config, seed)
        config = dataclasses.replace(agent_config, num_envs=num_envs, **self.config_changes)
        self.agent = algorithm(algo).build(config, self.pool.single_observation_space, self.pool.single_action_space,
                                           torch.device("cpu"), Precision(actor_precision(precision), "cpu"), seed)
        if state is not None:
            self.set_state(state)

    def result(self, started: float, **data: Any) -> dict[str, Any]:
        """``data`` with the episodes finished since the last result, this actor's state after it, its curriculum
        level, and when the work started and finished (``time.time()`` on this actor's machine)."""
        return {**data, "episodes": self.pool.drain(), "state": self.get_state(), "level": self.curriculum_level(),
                "started": started, "finished": time.time()}

    def curriculum_level(self) -> int | None:
        curriculum = self.pool.curriculum
        return None if curriculum is None else int(curriculum.current_level)

    @abc.abstractmethod
    def get_state(self) -> dict[str, Any]:
        """The environments' state and the agent's sampling generator's."""

    @abc.abstractmethod
    def set_state(self, state: dict[str, Any]) -> None:
        """Restore :meth:`get_state`."""


class RolloutWorker(ActorWorker):
    """One actor: a slice of environments and a copy of the policy that collects PPO rollouts."""

    config_changes: ClassVar[dict[str, Any]] = {"num_minibatches": 1}  # never updates: one minibatch divides

    def collect(self, weights: dict[str, torch.Tensor]) -> dict[str, Any]:
        """Load the learner's weights, run one rollout; returns it with :meth:`result`'s fields."""
        started = time.time()
        self.agent.network.load_state_dict(weights)
        self.agent.network.train()
        rollout, last_value = self.agent.collect(self.pool)
        return self.result(started, rollout=rollout, last_value=last_value)

    def get_state(self) -> dict[str, Any]:
        return {"pool": self.pool.get_state(), "generator": self.agent.generator.get_state()}

    def set_state(self, state: dict[str, Any]) -> None:
        self.pool.set_state(state["pool"])
        self.agent.generator.set_state(state["generator"])


def connect(actors: int, address: str | None = None) -> None:
    """Join the Ray cluster at ``address``, or start a local Ray with a CPU per actor (at least this machine's
    cores); nothing when Ray is already initialized. Workers import this same sheetrl: locally through
    ``PYTHONPATH``, on a cluster as an uploaded module."""
    try:
        import ray
    except ModuleNotFoundError:
        raise TrainError("Ray is not installed; install it with: pip install -e \".[scale]\" (or pip install "
                         "\"ray[tune]\")") from None

    quiet_ray_logs()
    if ray.is_initialized():
        return
    if address is not None:
        probe_address(address)
    package = Path(__file__).resolve().parents[1]
    try:
        if address is None:
            ray.init(num_cpus=max(actors, os.cpu_count() or 1), include_dashboard=False, logging_level=logging.ERROR,
                     log_to_driver=False, runtime_env={"env_vars": {"PYTHONPATH": search_path(package.parent)}})
        else:
            ray.init(address=address, logging_level=logging.ERROR, log_to_driver=False,
                     runtime_env={"py_modules": [str(package)]})
    except (ConnectionError, RuntimeError, ValueError) as exc:
        where = f"the Ray cluster at {address}" if address else "a local Ray"
        raise TrainError(f"could not start {where}: {exc}") from None


def search_path(first: Path) -> str:
    """``PYTHONPATH`` for local Ray workers: ``first`` (this sheetrl), then the folders the user's own
    ``PYTHONPATH`` names (packages installed with ``pip --target`` and the like), which the workers need too."""
    return os.pathsep.join([str(first), *(part for part in os.environ.get("PYTHONPATH", "").split(os.pathsep) if part)])


class OneLineRecords(logging.Filter):
    """Ray's own log records as one line each: a record that carries an exception shows the exception's one-line
    text instead of a traceback (Ray Tune logs, for example, a failed save of its state with the whole stack)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and record.exc_info[1] is not None:
            record.msg = f"{record.getMessage().strip().rstrip(':')}: {one_line(record.exc_info[1])}"
            record.args = None
            record.exc_info = None
            record.exc_text = None
        return True


def quiet_ray_logs() -> None:
    """Make every record of Ray's loggers one line on the terminal (:class:`OneLineRecords` on the handlers of the
    ``ray`` logger, where Ray's records end); worker processes' output is not forwarded at all
    (``log_to_driver=False`` in :func:`connect`), since a stopped worker prints Python's shutdown tracebacks."""
    handlers = logging.getLogger("ray").handlers
    for handler in handlers:
        if not any(isinstance(item, OneLineRecords) for item in handler.filters):
            handler.addFilter(OneLineRecords())


def probe_address(address: str, seconds: float = PROBE_SECONDS) -> None:
    """Refuse a Ray address that nothing answers at within ``seconds`` (a :class:`TrainError` naming it): joining
    one, ``ray.init`` retries for many minutes, printing a warning every few seconds. ``auto`` (the cluster this
    machine belongs to) is left to Ray."""
    import socket

    if address in ("auto", "local"):
        return
    target = address.removeprefix("ray://")
    host, sep, port = target.rpartition(":")
    if not sep and address.startswith("ray://"):
        host, port = target, str(RAY_CLIENT_PORT)
    host = host.strip("[]")  # (an IPv6 address: [::1]:6379)
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise TrainError(f"--ray-address {address} must look like HOST:PORT (the head node's GCS address, e.g. "
                         f"10.0.0.5:6379), ray://HOST:PORT or auto")
    hosts = [host]
    try:  # how Ray itself reaches it (this machine's own addresses as its node address)
        from ray._private.services import canonicalize_bootstrap_address

        canonical = canonicalize_bootstrap_address(target)
        if canonical and not address.startswith("ray://"):
            hosts.append(canonical.rpartition(":")[0].strip("[]"))
    except Exception:  # (a private helper of Ray's: without it the address as given is tried)
        pass
    reasons = []
    for candidate in dict.fromkeys(hosts):
        try:
            socket.create_connection((candidate, int(port)), timeout=seconds).close()
            return
        except OSError as exc:
            reasons.append(f"no answer within {seconds:g} s" if isinstance(exc, TimeoutError)
                           else (exc.strerror or str(exc)).lower())
    raise TrainError(f"no Ray cluster answers at {address} ({reasons[0]}); start one there "
                     f"with `ray start --head`, check --ray-address, or leave it out to start a local Ray")


class ActorPool:
    """The lifecycle of a run's Ray actors: one per slice of environments, started lazily from the states the
    pool keeps, replaced after a fault, stopped by :meth:`close`. Subclasses say which worker class an actor is
    (:attr:`worker_class`, built with :meth:`worker_arguments`) and what an iteration does."""

    worker_class: type = RolloutWorker

    def __init__(self, num_envs: int, env_config: EnvConfig, seed: int, *, actors: int, algo: str,
                 agent_config: Any, precision: str = "fp32", address: str | None = None,
                 max_restarts: int = MAX_RESTARTS) -> None:
        self.sizes = split_sizes(num_envs, actors)
        self.n = num_envs
        self.env_config = env_config
        self.seeds = actor_seeds(seed, actors)
        self.algo = algo
        self.agent_config = agent_config
        self.precision = precision
        self.max_restarts = max_restarts
        probe = SpreadsheetEnv(config=env_config)
        self.single_observation_space = probe.observation_space
        self.single_action_space = probe.action_space
        first_level = env_config.level if isinstance(env_config.level, int) else 1
        self.levels: list[int] = [first_level] * actors
        self.states: list[dict[str, Any] | None] = [None] * actors
        self.finished: list[EpisodeStats] = []
        self.replacements = 0  # actors replaced after a fault, over this pool's life
        self.handles: list[Any] = []
        connect(actors, address)

    @property
    def actors(self) -> int:
        return len(self.sizes)

    def worker_arguments(self, index: int) -> tuple[Any, ...]:
        """The constructor arguments of actor ``index`` (its last known state last)."""
        return (self.algo, self.agent_config, self.env_config, self.sizes[index], self.seeds[index], self.precision,
                self.states[index])

    def _start(self, index: int) -> Any:
        import ray

        worker: Any = ray.remote(num_cpus=1, max_restarts=0)(self.worker_class)
        return worker.remote(*self.worker_arguments(index))

    def _ensure_actors(self) -> None:
        if not self.handles:
            self._wait_for_cpus()
            self.handles = [self._start(index) for index in range(self.actors)]

    def _wait_for_cpus(self) -> None:
        """Ray would queue an actor it cannot place forever: fail with a clear error instead when the cluster has
        fewer free CPUs than actors (after waiting a little for CPUs that actors just stopped are releasing)."""
        import ray

        deadline = time.monotonic() + CPU_WAIT_SECONDS
        while (free := ray.available_resources().get("CPU", 0.0)) < self.actors:
            if time.monotonic() > deadline:
                raise TrainError(f"Ray has {free:g} free CPUs but {self.actors} actors need one each; use "
                                 f"fewer --ray-actors or give Ray more CPUs")
            time.sleep(0.2)

    def _replace(self, index: int) -> None:
        """Start a new actor ``index`` from its last known state (the old one is killed if it still lives)."""
        import ray
        from ray.exceptions import RayActorError

        with contextlib.suppress(RayActorError, ValueError):  # already gone
            ray.kill(self.handles[index])
        self.handles[index] = self._start(index)
        self.replacements += 1

    def close(self) -> None:
        """Stop the actors (work in flight is dropped); the next iteration starts new ones from the states kept
        here and requests that work again."""
        import ray
        from ray.exceptions import RayActorError

        for handle in self.handles:
            with contextlib.suppress(RayActorError, ValueError):  # already gone
                ray.kill(handle)
        self.handles = []

    def in_flight(self) -> list[Any]:
        """Ray's references to the work the actors are doing that the learner has not read yet."""
        return []

    def settle(self) -> None:
        """Wait until the actors have finished the work in flight, without reading it (a benchmark's round ends
        with it, so that this pool's actors do not compete with what is measured next)."""
        import ray

        references = self.in_flight()
        if references:
            ray.wait(references, num_returns=len(references))

    def _consume(self, index: int, result: dict[str, Any]) -> None:
        """Keep what every result carries: the finished episodes, the actor's state after the work, its level."""
        self.finished.extend(result["episodes"])
        self.states[index] = result["state"]
        if result["level"] is not None:
            self.levels[index] = result["level"]

    def drain(self) -> list[EpisodeStats]:
        """Finished episodes since the last call (in the order their work was read)."""
        done, self.finished = self.finished, []
        return done

    def curriculum_level(self) -> int:
        """The highest level any actor's curriculum unlocked."""
        return max(self.levels)

    def _actor_states(self) -> list[dict[str, Any]]:
        """Every actor's state (asked of the actors when none has returned work yet; no work is in flight then)."""
        if any(state is None for state in self.states):
            import ray

            self._ensure_actors()
            self.states = ray.get([handle.get_state.remote() for handle in self.handles])
        return [state for state in self.states if state is not None]

    def _check_sizes(self, state: dict[str, Any]) -> None:
        if state.get("sizes") != self.sizes:
            raise TrainError(f"the checkpoint's environments were split over actors as {state.get('sizes')}, "
                             f"this run splits them as {self.sizes}; resume with the same --ray-actors")


@dataclasses.dataclass
class IterationTiming:
    """When one iteration's work happened (``time.time()``): the rollout of every actor, then the update."""

    iteration: int
    policy_lag: int  # learner updates between the weights that collected the rollout and those it updates
    collect_started: list[float]
    collect_finished: list[float]
    update_started: float = 0.0
    update_finished: float = 0.0
    requested: float = 0.0  # when the learner had asked every actor for this rollout


class RayRolloutPool(ActorPool):
    """The runner's pool when PPO rollouts are collected by Ray actors (see the module docstring).

    :param num_envs: environments in all (the algorithm's ``num_envs``), split by :func:`split_sizes`.
    :param env_config: the environments' settings.
    :param seed: the run's seed (actor ``i`` is seeded ``actor_seeds(seed, actors)[i]``).
    :param actors: number of Ray actors.
    :param algo: the algorithm (its agent must have ``collect(pool)`` and ``update(rollout, last_value, stale=)``).
    :param agent_config: the algorithm's Config.
    :param precision: the run's precision mode (see :func:`actor_precision`).
    :param address: a Ray cluster to join (None: a local Ray).
    :param overlap: collect the next rollout while the learner updates (policy lag one update).
    """

    worker_class = RolloutWorker

    def __init__(self, num_envs: int, env_config: EnvConfig, seed: int, *, actors: int, algo: str,
                 agent_config: Any, precision: str = "fp32", address: str | None = None,
                 max_restarts: int = MAX_RESTARTS, overlap: bool = False) -> None:
        super().__init__(num_envs, env_config, seed, actors=actors, algo=algo, agent_config=agent_config,
                         precision=precision, address=address, max_restarts=max_restarts)
        self.overlap = overlap
        # The weights the next rollout is (being) collected with; None: the learner's current ones.
        self.behaviour_weights: dict[str, torch.Tensor] | None = None
        self.behaviour_iteration = 0  # the learner's update count when those weights were taken
        self._weights_reference: Any = None
        self.pending: dict[int, Any] = {}  # actor index -> the rollout it is collecting
        self._requested = 0.0  # when the rollout being collected was asked for (time.time())
        self.timeline: deque[IterationTiming] = deque(maxlen=TIMELINE_LENGTH)

    # ----------------------------------------------------------------------------------------------- training
    def train_iteration(self, agent: Any) -> tuple[int, dict[str, float]]:
        """One PPO iteration: read a rollout from every actor (overlapped: asking each for its next one as soon as
        its rollout has arrived), then one update."""
        if self.behaviour_weights is None:
            self.behaviour_weights, self.behaviour_iteration = cpu_weights(agent.network), agent.iteration
        # Overlapped, the next rollout acts with the weights from before this update: the learner's weights now.
        following = (cpu_weights(agent.network), agent.iteration) if self.overlap else None
        wait_started = time.perf_counter()
        results, requested = self._gather(following[0] if following is not None else None)
        waited = time.perf_counter() - wait_started
        rollouts = [result["rollout"] for result in results]
        rollout = type(rollouts[0])(**{
            field.name: _join_envs([getattr(part, field.name) for part in rollouts], agent.device)
            for field in dataclasses.fields(rollouts[0])})
        last_value = torch.cat([result["last_value"] for result in results]).to(agent.device)
        timing = IterationTiming(agent.iteration, agent.iteration - self.behaviour_iteration,
                                 [result["started"] for result in results],
                                 [result["finished"] for result in results], requested=requested)
        if following is not None:
            self.behaviour_weights, self.behaviour_iteration = following
        else:
            self.behaviour_weights = None
        steps = int(rollout.actions.numel())
        agent.env_steps += steps  # what the agent's own collect() counts, before the update reads it
        agent.network.train()
        timing.update_started = time.time()
        metrics = agent.update(rollout, last_value, stale=timing.policy_lag > 0)
        timing.update_finished = time.time()
        agent.iteration += 1
        self.timeline.append(timing)
        metrics.update({"charts/policy_lag": float(timing.policy_lag), "timing/rollout_wait_seconds": waited,
                        "timing/update_seconds": timing.update_finished - timing.update_started})
        return steps, metrics

    def _submit(self) -> None:
        """Ask every actor for its next rollout, collected with :attr:`behaviour_weights`."""
        import ray

        self._ensure_actors()
        self._weights_reference = ray.put(self.behaviour_weights)
        self._requested = time.time()
        self.pending = {index: handle.collect.remote(self._weights_reference)
                        for index, handle in enumerate(self.handles)}

    def _gather(self, following: dict[str, torch.Tensor] | None = None) -> tuple[list[dict[str, Any]], float]:
        """Every actor's rollout, in actor order (requested now unless it already is), and when it was requested
        (the last actor's first request: a replaced actor asked again later does not move it). Actors answer in
        any order; with ``following`` weights each actor is asked for its next rollout, collected with them, as
        soon as its answer has arrived, so an actor that finishes first does not wait for the others. An actor
        that died is replaced and asked for the same rollout with the same weights."""
        import ray

        if not self.pending:
            self._submit()
        requested, current = self._requested, self._weights_reference
        following_reference = None if following is None else ray.put(following)
        waiting = {reference: index for index, reference in self.pending.items()}
        self.pending = {}
        try:
            results = self._wait_for_all(waiting, current, following_reference)
        except BaseException:
            # Some actors may have moved on to the following rollout while others never answered: stop them all,
            # so that a later iteration starts every actor again from the states kept here, with the weights
            # this rollout was requested with.
            self.close()
            raise
        if following_reference is not None:
            self._weights_reference = following_reference
        complete: list[dict[str, Any]] = []
        for index, result in enumerate(results):
            assert result is not None  # every actor answered (or training stopped with an error)
            self._consume(index, result)
            complete.append(result)
        return complete, requested

    def _wait_for_all(self, waiting: dict[Any, int], current: Any,
                      following_reference: Any) -> list[dict[str, Any] | None]:
        """Read the rollout of every actor in ``waiting`` (reference -> actor index) as it arrives, asking that
        actor at once for its next one with ``following_reference`` when given; a dead actor is replaced and asked
        again with ``current``, the weights its rollout was requested with."""
        import ray
        from ray.exceptions import ActorUnavailableError, RayActorError

        results: list[dict[str, Any] | None] = [None] * self.actors
        failures = [0] * self.actors
        while waiting:
            ready, _ = ray.wait(list(waiting), num_returns=1)
            index = waiting.pop(ready[0])
            try:
                results[index] = ray.get(ready[0])
            except (RayActorError, ActorUnavailableError) as exc:
                failures[index] += 1
                if failures[index] > self.max_restarts:
                    raise TrainError(f"rollout actor {index} failed {failures[index]} times on one rollout; "
                                     f"last error: {exc}") from None
                self._replace(index)
                waiting[self.handles[index].collect.remote(current)] = index
                continue
            if following_reference is not None:
                self.pending[index] = self.handles[index].collect.remote(following_reference)
                self._requested = time.time()
        return results

    def in_flight(self) -> list[Any]:
        return list(self.pending.values())

    def close(self) -> None:
        super().close()
        self.pending = {}  # requested again, from the kept states, by the next iteration

    # ------------------------------------------------------------------------------------------- bookkeeping
    def get_state(self) -> dict[str, Any]:
        """Every actor's state after the last rollout read, and (overlapped) the weights of the one in flight."""
        return {"actors": self._actor_states(), "sizes": list(self.sizes), "levels": list(self.levels),
                "overlap": self.overlap, "behaviour_weights": self.behaviour_weights if self.overlap else None,
                "behaviour_iteration": self.behaviour_iteration}

    def set_state(self, state: dict[str, Any]) -> None:
        """Restore :meth:`get_state`; the actors restart from it (and redo the rollout that was in flight)."""
        self._check_sizes(state)
        if bool(state.get("overlap", False)) != self.overlap:
            raise TrainError("the checkpoint was written with another --ray-overlap setting; resume with the same")
        self.close()
        self.states = list(state["actors"])
        self.levels = [int(level) for level in state["levels"]]
        self.behaviour_weights = state.get("behaviour_weights")
        self.behaviour_iteration = int(state.get("behaviour_iteration", 0))
        self.finished = []
