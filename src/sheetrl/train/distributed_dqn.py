"""DQN with asynchronous Ray actors and the learner's replay buffer: ``sheetrl train --algo dqn --ray-actors N``.

The run's ``num_envs`` environments are split over ``N`` actors (:class:`TransitionWorker`); each holds its slice
of environments and an epsilon-greedy copy of the Q-network, and steps its environments ``chunk_steps`` times per
request with the agent's own :meth:`~sheetrl.agents.dqn.DQNAgent.act_and_step`, sending the transitions back as one
*chunk*. The learner (the training process) stores every chunk in its replay buffer
(:meth:`~sheetrl.agents.dqn.DQNAgent.store`) and makes the updates and target syncs the stored steps call for
(:meth:`~sheetrl.agents.dqn.DQNAgent.learn_due`: one update per ``train_frequency`` steps after
``learning_starts``, the replay ratio of a run in one process). It is the same agent, buffer and update as
``sheetrl train --algo dqn``; only who steps the environments changes.

**Asynchrony.** Every actor has up to :data:`QUEUE_DEPTH` requests queued, so it starts its next chunk the moment it
sends one, while the learner trains. Each request carries the weights the learner last *published*; it publishes
them after a chunk's updates once ``sync_every`` updates have passed since the previous publication (so an actor's
weights are at most ``sync_every - 1`` updates old when it receives them). Epsilon follows the run's step count:
a chunk acts with the epsilon of the step at which it enters the buffer, advancing as it steps.

**The off-policy lag** of a chunk is the number of learner updates between the weights it acted with and the
learner's weights when the chunk is stored: logged as ``charts/policy_lag`` and bounded by ``max_lag``. The bound is
kept by the actors waiting: a request is only sent once the lag its chunk will have is at most ``max_lag`` (the lag
is known in advance, see below); until then the actor has nothing queued and idles (``charts/actors_held_back``:
how many actors the bound keeps from a full queue after an iteration). The chunk the learner needs
next always qualifies (its lag is below ``sync_every``), so the bound never stops training.

**Determinism: chunks are consumed in a fixed order** — actor 0's first chunk, actor 1's first, ..., actor 0's
second, ... — never in arrival order (:class:`ChunkSchedule`). The learner waits for the next chunk in that order
even when another actor's is already there. Everything the learner does is then a function of the chunks in that
order, and every request (which weights, which start step, when it is sent) is decided by the learner at fixed
points of that sequence, never by timing. So, on CPU:

- two runs with the same seed and the same ``--ray-actors`` (and chunk, sync and lag settings): identical weights,
  replay buffer, counters and metrics other than the wall-clock ones;
- resuming from a checkpoint: identical to the run that never stopped. The checkpoint holds each actor's state
  after its last chunk read, and the requests still outstanding (their start steps and the weights they carry), so a
  resumed run asks for exactly those chunks again;
- a killed actor: replaced from its last state and asked again for all its outstanding chunks, with the same weights
  and start steps; the run is identical to one without the fault, with exact step counters (no step lost or counted
  twice; a step is counted when its chunk is stored).

What is not bit-exact: a run with actors against one in one process or with another ``N`` (different task streams,
exploration draws and interleaving of updates with steps: the statistics are the same); actors on different
hardware; a CUDA learner; wall-clock figures (steps/s, ``timing/*``). What the fixed order costs: a slow actor makes
the learner wait even when others have chunks ready (the queue of ``QUEUE_DEPTH`` keeps the others stepping
meanwhile). ``total_steps`` is reached to the chunk: a run stops after the first chunk that reaches it.
"""

from __future__ import annotations

import dataclasses
import time
from collections import deque
from typing import Any, ClassVar

import torch

from sheetrl.env.spreadsheet_env import EnvConfig
from sheetrl.train.config import TrainError
from sheetrl.train.distributed import (
    MAX_RESTARTS,
    ActorPool,
    ActorWorker,
    cpu_weights,
)

QUEUE_DEPTH = 2  # requests queued per actor: one it is working on, one to start as soon as it sends that chunk


class TransitionWorker(ActorWorker):
    """One actor: a slice of environments and an epsilon-greedy copy of the Q-network that sends transitions."""

    config_changes: ClassVar[dict[str, Any]] = {"buffer_size": 1}  # never stores or learns: a one-row buffer

    def collect(self, weights: dict[str, torch.Tensor], start_step: int, steps: int) -> dict[str, Any]:
        """Load the weights, step every environment ``steps`` times with epsilon at the run's step ``start_step``
        onward; returns the chunk of transitions (step by step, environments in order) with :meth:`result`'s
        fields."""
        from sheetrl.agents.dqn import Transitions

        started = time.time()
        self.agent.q_network.load_state_dict(weights)
        self.agent.env_steps = start_step
        parts = []
        for _ in range(steps):
            parts.append(self.agent.act_and_step(self.pool))
            self.agent.env_steps += self.pool.num_envs
        return self.result(started, transitions=Transitions.concatenate(parts))

    def get_state(self) -> dict[str, Any]:
        return {"pool": self.pool.get_state(), "rng": self.agent.rng.bit_generator.state}

    def set_state(self, state: dict[str, Any]) -> None:
        self.pool.set_state(state["pool"])
        self.agent.rng.bit_generator.state = state["rng"]


@dataclasses.dataclass(frozen=True)
class ChunkSchedule:
    """Which chunk comes when, and the learner's update count when it arrives.

    Chunk ``g`` (counting from 0 over the run) is actor ``g % actors``'s; chunks are stored in that order, so the
    steps stored before chunk ``g`` — and with them the updates the learner will have made (``updates_due``) — are
    known before the chunk is requested.
    """

    sizes: tuple[int, ...]  # environments per actor
    chunk_steps: int  # steps of every environment per chunk
    learning_starts: int  # the agent's: no update before this many steps
    train_frequency: int  # the agent's: steps per update after that

    @property
    def actors(self) -> int:
        return len(self.sizes)

    def actor(self, chunk: int) -> int:
        return chunk % self.actors

    def chunk_size(self, chunk: int) -> int:
        """Transitions in chunk ``chunk``."""
        return self.chunk_steps * self.sizes[self.actor(chunk)]

    def steps_before(self, chunk: int) -> int:
        """Environment steps stored before chunk ``chunk``."""
        rounds, position = divmod(chunk, self.actors)
        return self.chunk_steps * (rounds * sum(self.sizes) + sum(self.sizes[:position]))

    def updates_before(self, chunk: int) -> int:
        """The learner's updates when chunk ``chunk`` arrives (those due after :meth:`steps_before` steps)."""
        steps = self.steps_before(chunk)
        if steps < self.learning_starts:
            return 0
        return (steps - self.learning_starts) // self.train_frequency + 1


@dataclasses.dataclass
class ChunkRequest:
    """A chunk asked of an actor: acted with the weights published at ``weights_version`` learner updates, from
    the run's step ``start_step``. ``reference`` is Ray's handle on the result (None: to be sent again)."""

    chunk: int
    weights_version: int
    start_step: int
    reference: Any = None


class RayTransitionPool(ActorPool):
    """The runner's pool when DQN transitions are collected by asynchronous Ray actors (see the module docstring).

    :param num_envs: environments in all (the algorithm's ``num_envs``), split over the actors as evenly as possible.
    :param env_config: the environments' settings.
    :param seed: the run's seed (every actor's environments and exploration are seeded from it and its index).
    :param actors: number of Ray actors.
    :param algo: the algorithm (its agent has ``act_and_step``, ``store``, ``learn_due`` and ``updates``).
    :param agent_config: the algorithm's Config (``learning_starts`` and ``train_frequency`` fix the schedule).
    :param precision: the run's precision mode (actors act in fp32 when it is fp16).
    :param address: a Ray cluster to join (None: a local Ray).
    :param chunk_steps: steps of every environment per chunk.
    :param sync_every: learner updates between publications of the weights.
    :param max_lag: the most learner updates between a chunk's weights and the learner's when it is stored.
    """

    worker_class = TransitionWorker

    def __init__(self, num_envs: int, env_config: EnvConfig, seed: int, *, actors: int, algo: str,
                 agent_config: Any, precision: str = "fp32", address: str | None = None,
                 max_restarts: int = MAX_RESTARTS, chunk_steps: int = 16, sync_every: int = 8,
                 max_lag: int = 64) -> None:
        if max_lag < sync_every - 1:
            raise TrainError(f"max_lag ({max_lag}) must be at least sync_every - 1 ({sync_every - 1})")
        super().__init__(num_envs, env_config, seed, actors=actors, algo=algo, agent_config=agent_config,
                         precision=precision, address=address, max_restarts=max_restarts)
        self.schedule = ChunkSchedule(tuple(self.sizes), chunk_steps, agent_config.learning_starts,
                                      agent_config.train_frequency)
        self.sync_every = sync_every
        self.max_lag = max_lag
        self.next_chunk = 0  # the chunk the learner stores next
        self.next_request = list(range(self.actors))  # per actor: the chunk it is asked for next
        self.requests: list[deque[ChunkRequest]] = [deque() for _ in range(self.actors)]
        self.published_version = -1  # learner updates when the weights were last published (-1: not yet)
        self.weights: dict[int, dict[str, torch.Tensor]] = {}  # published weights still needed, by version
        self._weight_references: dict[int, Any] = {}
        self.lags: deque[int] = deque(maxlen=10_000)  # the policy lag of the chunks stored lately
        self.held_back = 0  # actors whose queue the lag bound keeps short right now
        self.held_back_total = 0  # iterations x actors held back, over this pool's life

    # ----------------------------------------------------------------------------------------------- training
    def train_iteration(self, agent: Any) -> tuple[int, dict[str, float]]:
        """Store the next chunk in the fixed order, make the updates it calls for, publish, keep actors busy."""
        if self.published_version < 0:
            self._publish(agent)
        self._request_more()
        chunk = self.next_chunk
        index = self.schedule.actor(chunk)
        wait_started = time.perf_counter()
        result = self._receive(index)
        waited = time.perf_counter() - wait_started
        request = self.requests[index].popleft()
        assert request.chunk == chunk
        lag = agent.updates - request.weights_version
        self._consume(index, result)
        agent.store(result["transitions"])
        metrics = agent.learn_due()
        self.next_chunk += 1
        self.lags.append(lag)
        if agent.updates - self.published_version >= self.sync_every:
            self._publish(agent)
        self._forget_unused_weights()
        self._request_more()
        self.held_back_total += self.held_back
        metrics.update({"charts/policy_lag": float(lag), "charts/actors_held_back": float(self.held_back),
                        "timing/chunk_wait_seconds": waited})
        return self.schedule.chunk_size(chunk), metrics

    def _publish(self, agent: Any) -> None:
        self.published_version = int(agent.updates)
        self.weights[self.published_version] = cpu_weights(agent.q_network)

    def _forget_unused_weights(self) -> None:
        needed = {self.published_version} | {request.weights_version for queue in self.requests for request in queue}
        for version in [version for version in self.weights if version not in needed]:
            del self.weights[version]
            self._weight_references.pop(version, None)

    def _request_more(self) -> None:
        """Send requests that are not out (after a restart or a fault), then queue new chunks for every actor, in
        actor order, while its queue has room and the chunk's lag would stay within ``max_lag``."""
        self._ensure_actors()
        waiting = 0
        if any(state is None for state in self.states):
            self._actor_states()  # asked before anything is queued: the states the first chunks start from
        for index in range(self.actors):
            for request in self.requests[index]:
                if request.reference is None:
                    self._send(index, request)
            queue = self.requests[index]
            while len(queue) < QUEUE_DEPTH:
                chunk = self.next_request[index]
                if self.schedule.updates_before(chunk) - self.published_version > self.max_lag:
                    waiting += 1  # the actor waits for fresher weights
                    break
                request = ChunkRequest(chunk, self.published_version, self.schedule.steps_before(chunk))
                queue.append(request)
                self._send(index, request)
                self.next_request[index] += self.actors
        self.held_back = waiting

    def _send(self, index: int, request: ChunkRequest) -> None:
        import ray

        if request.weights_version not in self._weight_references:
            self._weight_references[request.weights_version] = ray.put(self.weights[request.weights_version])
        request.reference = self.handles[index].collect.remote(
            self._weight_references[request.weights_version], request.start_step, self.schedule.chunk_steps)

    def _receive(self, index: int) -> dict[str, Any]:
        """Actor ``index``'s oldest outstanding chunk; if the actor died, a replacement from its last state is
        asked again for every chunk it had outstanding."""
        import ray
        from ray.exceptions import ActorUnavailableError, RayActorError

        failures = 0
        while True:
            request = self.requests[index][0]
            try:
                result: dict[str, Any] = ray.get(request.reference)
                return result
            except (RayActorError, ActorUnavailableError) as exc:
                failures += 1
                if failures > self.max_restarts:
                    raise TrainError(f"transition actor {index} failed {failures} times on one chunk; last error: "
                                     f"{exc}") from None
                self._replace(index)
                for outstanding in self.requests[index]:
                    self._send(index, outstanding)

    def in_flight(self) -> list[Any]:
        return [request.reference for queue in self.requests for request in queue if request.reference is not None]

    def close(self) -> None:
        super().close()
        for queue in self.requests:  # sent again, from the kept states, by the next iteration
            for request in queue:
                request.reference = None

    # ------------------------------------------------------------------------------------------- bookkeeping
    def get_state(self) -> dict[str, Any]:
        """Every actor's state after its last chunk stored, the outstanding requests and the weights they carry."""
        return {"actors": self._actor_states(), "sizes": list(self.sizes), "levels": list(self.levels),
                "next_chunk": self.next_chunk, "next_request": list(self.next_request),
                "requests": [[(request.chunk, request.weights_version, request.start_step) for request in queue]
                             for queue in self.requests],
                "published_version": self.published_version, "weights": dict(self.weights),
                "settings": self._settings()}

    def set_state(self, state: dict[str, Any]) -> None:
        """Restore :meth:`get_state`; the actors restart from it and are asked again for the outstanding chunks."""
        self._check_sizes(state)
        if state.get("settings") != self._settings():
            raise TrainError(f"the checkpoint's DQN actors used {state.get('settings')}, this run "
                             f"{self._settings()}; resume with the same --ray-chunk-steps, --ray-sync-every and "
                             f"--ray-max-lag")
        self.close()
        self.states = list(state["actors"])
        self.levels = [int(level) for level in state["levels"]]
        self.next_chunk = int(state["next_chunk"])
        self.next_request = [int(chunk) for chunk in state["next_request"]]
        self.requests = [deque(ChunkRequest(int(chunk), int(version), int(start)) for chunk, version, start in queue)
                         for queue in state["requests"]]
        self.published_version = int(state["published_version"])
        self.weights = {int(version): weights for version, weights in state["weights"].items()}
        self._weight_references = {}
        self.finished = []

    def _settings(self) -> dict[str, int]:
        return {"chunk_steps": self.schedule.chunk_steps, "sync_every": self.sync_every, "max_lag": self.max_lag}
