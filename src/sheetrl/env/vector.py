"""The batch as the environment's unit: ``SheetVectorEnv`` steps N spreadsheet environments together.

A real :class:`gymnasium.vector.VectorEnv` (so ``gymnasium.vector`` wrappers and vector-env adapters work) that
writes every environment's observation, reward, ``terminated``/``truncated`` flags and reward terms into arrays
allocated once, and resets an environment in the same step its episode ends (Gymnasium's
``AutoresetMode.SAME_STEP``): the observation returned for that environment is the first of its next episode, and
the observation the episode ended in is kept in ``infos["final_obs"][i]`` (its full step info in
``infos["final_info"][i]``), for bootstrapping.

Public API (small on purpose; everything else is Gymnasium's)::

    vec = SheetVectorEnv(EnvConfig(level=2), num_envs=8, mode="sync")      # or a list of env factories
    obs, infos = vec.reset(seed=0)          # env i seeded from SeedSequence(0).spawn(8)[i]
    obs, rewards, terminated, truncated, infos = vec.step(actions)          # actions: (8,) integers
    snapshot = vec.get_state(); vec.set_state(snapshot)                     # exact resume
    for episode in vec.drain(): ...         # EpisodeStats of the episodes finished since the last drain
    vec.close()

- **Modes.** ``mode="sync"`` steps the environments in this process, in order. ``mode="async"`` splits them over
  ``num_workers`` worker processes (contiguous slices) that write into shared memory; the parent only sends
  "step" and reads back the few per-step Python objects (finished episodes). Both modes run the same code on the
  same per-environment streams, so for the same seeds they return identical arrays.
- **Arrays.** ``obs`` (a dict of ``(num_envs, ...)`` arrays, one per observation key the environments return:
  ``EnvConfig(observation_keys=("flat", "action_mask"))`` keeps an MLP's batch small), ``rewards`` (float32),
  ``terminated``/``truncated`` (bool), ``reward_terms`` ``(num_envs, len(STEP_TERMS))`` in :data:`STEP_TERMS`
  order (the reward terms, then ``invalid``), ``is_success`` (bool). ``step`` returns copies unless the env was
  built with ``copy=False`` (then the returned arrays are overwritten by the next step). ``masks`` is the bool
  action mask of the current observations. In sync mode ``envs`` holds the environments; in async mode they live
  in the workers only.
- **Infos.** Gymnasium's dict-of-arrays form: ``reward_terms`` (a dict of ``(num_envs,)`` columns) and
  ``is_success`` for every step, with their ``_key`` masks; ``final_obs``/``final_info`` (object arrays) and their
  masks for the environments whose episode ended this step.
- **Seeding.** ``reset(seed=s)`` seeds environment ``i`` with ``env_seeds(s, num_envs)[i]`` (independent streams:
  seeding ``s + i`` would make runs ``s`` and ``s + 1`` share all but one environment's tasks);
  ``reset(seed=[s0, s1, ...])`` seeds each explicitly. Without a seed the environments continue their streams.
- **Exact resume.** :meth:`get_state` returns every environment's snapshot (task-stream RNG, current task and the
  commands of the running episode, see :meth:`SpreadsheetEnv.get_state`), the shared curriculum and the running
  episodes' returns; :meth:`set_state` on an env built the same way continues bit-exactly.
- **Without autoreset.** ``autoreset=False`` (Gymnasium's ``AutoresetMode.DISABLED``): an environment whose
  episode ended keeps its final observation and is not stepped (reward 0, flags False) until
  ``reset(seed=[...], options={"reset_mask": mask, ...})`` starts its next episode; evaluation plays fixed task
  lists this way.
- **Curriculum.** With ``level="curriculum"`` (sync mode, built from a config) the environments share one
  :class:`~sheetrl.env.curriculum.CurriculumManager` fed by every environment's episodes (``vec.curriculum``). A
  manager shared by all environments needs them in one process, so async mode refuses the curriculum.
"""

from __future__ import annotations

import multiprocessing as mp
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any, Self, cast

import numpy as np
from gymnasium import spaces
from gymnasium.vector import AutoresetMode, VectorEnv
from gymnasium.vector.utils import batch_space

from sheetrl.env.curriculum import CurriculumManager
from sheetrl.env.rewards import TERMS
from sheetrl.env.spreadsheet_env import EnvConfig, SpreadsheetEnv

MODES = ("sync", "async")
# Every term a step can report: the reward function's terms and the penalty of an invalid action.
STEP_TERMS = (*TERMS, "invalid")
EnvFactory = Callable[[], SpreadsheetEnv]


@dataclass
class EpisodeStats:
    """Summary of one finished episode."""

    level: int
    template: str
    task_seed: int
    length: int
    episode_return: float
    success: bool
    reward_terms: dict[str, float] = field(default_factory=dict)


def env_seeds(seed: int, n: int) -> list[int]:
    """Independent seeds for ``n`` environments of a run seeded ``seed`` (NumPy's SeedSequence spawning)."""
    return [int(child.generate_state(1, dtype=np.uint32)[0]) for child in np.random.SeedSequence(seed).spawn(n)]


class _Buffers:
    """The batch arrays, in this process's memory or (async mode) in shared memory every worker maps."""

    def __init__(self, observation_space: spaces.Dict, n: int, shared: Any | None = None) -> None:
        self.specs: list[tuple[str, tuple[int, ...], np.dtype]] = [
            (f"obs/{key}", (n, *(space.shape or ())), np.dtype(space.dtype))
            for key, space in observation_space.spaces.items()
        ]
        self.specs += [
            ("actions", (n,), np.dtype(np.int64)),
            ("rewards", (n,), np.dtype(np.float32)),
            ("terminated", (n,), np.dtype(bool)),
            ("truncated", (n,), np.dtype(bool)),
            ("is_success", (n,), np.dtype(bool)),
            ("reward_terms", (n, len(STEP_TERMS)), np.dtype(np.float64)),
        ]
        self.raw: dict[str, Any] = {}
        self.arrays: dict[str, np.ndarray] = {}
        for name, shape, dtype in self.specs:
            nbytes = max(1, int(np.prod(shape)) * dtype.itemsize)
            if shared is not None:
                self.raw[name] = shared.RawArray("b", nbytes)
                self.arrays[name] = np.frombuffer(self.raw[name], dtype=dtype,
                                                  count=int(np.prod(shape))).reshape(shape)
            else:
                self.arrays[name] = np.zeros(shape, dtype)

    @staticmethod
    def attach(specs: list[tuple[str, tuple[int, ...], np.dtype]], raw: dict[str, Any]) -> dict[str, np.ndarray]:
        """The arrays over shared memory handed to a worker process."""
        return {name: np.frombuffer(raw[name], dtype=dtype, count=int(np.prod(shape))).reshape(shape)
                for name, shape, dtype in specs}


class _EnvGroup:
    """Environments ``indices`` of the batch, stepped in order, writing into the batch arrays; keeps the running
    episodes' returns, lengths and reward-term sums. Sync mode has one group; async mode one per worker."""

    def __init__(self, envs: list[SpreadsheetEnv], indices: list[int], arrays: dict[str, np.ndarray],
                 autoreset: bool = True) -> None:
        self.envs = envs
        self.indices = indices
        self.arrays = arrays
        self.autoreset = autoreset
        self.running = np.zeros(len(envs), dtype=bool)  # without autoreset: the episodes not over yet
        self.observation_keys = [name[4:] for name in arrays if name.startswith("obs/")]
        self.returns = np.zeros(len(envs))
        self.lengths = np.zeros(len(envs), dtype=np.int64)
        self.terms = np.zeros((len(envs), len(STEP_TERMS)))

    def _write_obs(self, index: int, obs: dict[str, np.ndarray]) -> None:
        for key in self.observation_keys:
            self.arrays[f"obs/{key}"][index] = obs[key]

    def reset(self, seeds: list[int | None], options: list[dict[str, Any] | None], mask: list[bool]
              ) -> list[dict[str, Any] | None]:
        """Reset the environments where ``mask`` is True; their reset infos (None for the others)."""
        infos: list[dict[str, Any] | None] = []
        for local, (env, index) in enumerate(zip(self.envs, self.indices)):
            if not mask[local]:
                infos.append(None)
                continue
            obs, info = env.reset(seed=seeds[local], options=options[local])
            self._write_obs(index, obs)
            self.running[local] = True
            self.returns[local] = 0.0
            self.lengths[local] = 0
            self.terms[local] = 0.0
            infos.append(info)
        return infos

    def step(self) -> list[tuple[int, dict[str, np.ndarray], dict[str, Any], EpisodeStats]]:
        """Step every environment with the actions in the shared array; returns (index, final obs, final info,
        episode) for each environment whose episode ended (it is already reset)."""
        a = self.arrays
        actions, rewards, terminated, truncated = a["actions"], a["rewards"], a["terminated"], a["truncated"]
        is_success, reward_terms = a["is_success"], a["reward_terms"]
        ended = []
        for local, (env, index) in enumerate(zip(self.envs, self.indices)):
            if not self.running[local]:  # no autoreset, and its episode is over: not stepped until reset
                rewards[index], terminated[index], truncated[index], is_success[index] = 0.0, False, False, False
                reward_terms[index] = 0.0
                continue
            obs, reward, term, trunc, info = env.step(int(actions[index]))
            terms = info.get("reward_terms", {})
            row = reward_terms[index]
            for k, name in enumerate(STEP_TERMS):
                row[k] = terms.get(name, 0.0)
            self.returns[local] += reward
            self.lengths[local] += 1
            self.terms[local] += row
            rewards[index], terminated[index], truncated[index] = reward, term, trunc
            is_success[index] = bool(info.get("is_success"))
            if term or trunc:
                episode = EpisodeStats(info["level"], info["template"], info["task_seed"], int(self.lengths[local]),
                                       float(self.returns[local]), bool(info.get("is_success")),
                                       dict(zip(STEP_TERMS, self.terms[local].tolist())))
                ended.append((index, obs, info, episode))
                self.returns[local] = 0.0
                self.lengths[local] = 0
                self.terms[local] = 0.0
                if self.autoreset:
                    obs, _ = env.reset()
                else:
                    self.running[local] = False
            self._write_obs(index, obs)
        return ended

    def get_state(self) -> list[dict[str, Any]]:
        return [{"env": env.get_state(), "running": bool(self.running[local]), "return": float(self.returns[local]),
                 "length": int(self.lengths[local]), "terms": dict(zip(STEP_TERMS, self.terms[local].tolist()))}
                for local, env in enumerate(self.envs)]

    def set_state(self, states: list[dict[str, Any]]) -> None:
        for local, (env, index, state) in enumerate(zip(self.envs, self.indices, states, strict=True)):
            obs = env.set_state(state["env"])
            if obs is None:
                raise ValueError("a vector-env snapshot holds an environment that was never reset")
            self._write_obs(index, obs)
            self.running[local] = state.get("running", True)
            self.returns[local] = state["return"]
            self.lengths[local] = state["length"]
            self.terms[local] = [state["terms"].get(name, 0.0) for name in STEP_TERMS]


def _worker(connection: Connection, factories: list[EnvFactory], indices: list[int],
            specs: list[tuple[str, tuple[int, ...], np.dtype]], raw: dict[str, Any], autoreset: bool) -> None:
    """A worker process: owns the environments ``indices`` and answers the parent's commands until "close"."""
    group: _EnvGroup | None = None
    try:
        group = _EnvGroup([make() for make in factories], indices, _Buffers.attach(specs, raw), autoreset)
        connection.send(("ok", None))
        while True:
            command, payload = connection.recv()
            if command == "close":
                break
            try:
                result = getattr(group, command)(*payload)
            except Exception:  # any failure is reported to the parent, which raises it
                connection.send(("error", traceback.format_exc()))
            else:
                connection.send(("ok", result))
    except (EOFError, KeyboardInterrupt):
        pass
    except Exception:  # a failure to build the environments is reported to the parent
        connection.send(("error", traceback.format_exc()))
    finally:
        if group is not None:
            for env in group.envs:
                env.close()
        connection.close()


class _ConfigFactory:
    """A picklable factory of one environment from a config (worker processes may be spawned)."""

    def __init__(self, config: EnvConfig) -> None:
        self.config = config

    def __call__(self) -> SpreadsheetEnv:
        return SpreadsheetEnv(config=self.config)


class SheetVectorEnv(VectorEnv):
    """``num_envs`` spreadsheet environments stepped as one batch (see the module docstring for the manual).

    :param envs: an :class:`EnvConfig` (every environment built from it) or a sequence of factories, each
        returning a :class:`SpreadsheetEnv` (for async mode they must be picklable when workers are spawned).
    :param num_envs: the batch size when ``envs`` is a config (the factories' count otherwise).
    :param mode: "sync" (this process) or "async" (worker processes over shared memory).
    :param num_workers: async worker processes (default: min(num_envs, CPU count)).
    :param copy: return copies of the batch arrays from ``reset``/``step`` (False: the live arrays).
    :param context: the multiprocessing start method for async mode (default: the platform's).
    """

    metadata = {"autoreset_mode": AutoresetMode.SAME_STEP}  # noqa: RUF012  (Gymnasium declares it)

    def __init__(self, envs: EnvConfig | Sequence[EnvFactory], num_envs: int | None = None, mode: str = "sync",
                 *, num_workers: int | None = None, copy: bool = True, context: str | None = None,
                 autoreset: bool = True) -> None:
        self.envs: list[SpreadsheetEnv] = []
        self._connections: list[Connection] = []
        self._processes: list[Any] = []
        self._closed_workers = False
        if mode not in MODES:
            raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
        self.curriculum: CurriculumManager | None = None
        if isinstance(envs, EnvConfig):
            if num_envs is None or num_envs < 1:
                raise ValueError(f"a vector env needs at least one environment, not {num_envs}")
            config = envs
            if config.level == "curriculum":
                if mode == "async":
                    raise ValueError("the curriculum is one manager shared by every environment, so it needs "
                                     "mode='sync' (or give async mode factories of envs with their own curricula)")
                self.curriculum = CurriculumManager(
                    threshold=config.curriculum_threshold, window=config.curriculum_window,
                    replay_probability=config.curriculum_replay, demotion_threshold=config.curriculum_demotion)
                shared = self.curriculum
                factories: list[EnvFactory] = [lambda: SpreadsheetEnv(config=config, curriculum=shared)
                                               for _ in range(num_envs)]
            else:
                factories = [_ConfigFactory(config) for _ in range(num_envs)]
        else:
            factories = list(envs)
            if not factories:
                raise ValueError("a vector env needs at least one environment factory")
            if num_envs is not None and num_envs != len(factories):
                raise ValueError(f"num_envs={num_envs} but {len(factories)} environment factories were given")
        self.num_envs = len(factories)
        self.autoreset = autoreset
        self.metadata = {"autoreset_mode": AutoresetMode.SAME_STEP if autoreset else AutoresetMode.DISABLED}
        self.mode = mode
        self.copy = copy
        probe = factories[0]() if mode == "async" else None
        if mode == "sync":
            self.envs = [make() for make in factories]
        first = probe if probe is not None else self.envs[0]
        self.single_observation_space = first.observation_space
        self.single_action_space = first.action_space
        self.observation_space = batch_space(self.single_observation_space, self.num_envs)
        self.action_space = batch_space(self.single_action_space, self.num_envs)
        self.render_mode = first.render_mode
        if probe is not None:
            probe.close()
        self._context: Any = mp.get_context(context)
        self._buffers = _Buffers(cast(spaces.Dict, self.single_observation_space), self.num_envs,
                                 self._context if mode == "async" else None)
        self._arrays = self._buffers.arrays
        self._obs_arrays = {name[4:]: array for name, array in self._arrays.items() if name.startswith("obs/")}
        self._all = np.ones(self.num_envs, dtype=bool)
        self.finished: list[EpisodeStats] = []
        self.obs: dict[str, np.ndarray] = self._obs_arrays
        self._groups: list[_EnvGroup] = []
        self._slices: list[list[int]] = []
        if mode == "sync":
            self._groups = [_EnvGroup(self.envs, list(range(self.num_envs)), self._arrays, autoreset)]
            self._slices = [list(range(self.num_envs))]
        else:
            self._start_workers(factories, num_workers)

    # ---------------------------------------------------------------------------------------------- workers
    def _start_workers(self, factories: list[EnvFactory], num_workers: int | None) -> None:
        workers = num_workers if num_workers is not None else min(self.num_envs, mp.cpu_count())
        if not 1 <= workers <= self.num_envs:
            raise ValueError(f"num_workers must be in 1..{self.num_envs}, not {workers}")
        bounds = np.linspace(0, self.num_envs, workers + 1).round().astype(int)
        self._slices = [list(range(bounds[w], bounds[w + 1])) for w in range(workers)]
        for indices in self._slices:
            parent, child = self._context.Pipe()
            process = self._context.Process(
                target=_worker, args=(child, [factories[i] for i in indices], indices, self._buffers.specs,
                                      self._buffers.raw, self.autoreset), daemon=True)
            process.start()
            child.close()
            self._connections.append(parent)
            self._processes.append(process)
        for connection in self._connections:
            self._receive(connection)

    def _receive(self, connection: Connection) -> Any:
        status, payload = connection.recv()
        if status == "error":
            self.close()
            raise RuntimeError(f"a vector-env worker failed:\n{payload}")
        return payload

    def _call_groups(self, command: str, payloads: list[tuple[Any, ...]]) -> list[Any]:
        """Run a group method in every group (workers in parallel); the results in group order."""
        if self.closed:
            raise RuntimeError(f"{command}() on a closed vector env")
        if self.mode == "sync":
            return [getattr(group, command)(*payload) for group, payload in zip(self._groups, payloads)]
        for connection, payload in zip(self._connections, payloads):
            connection.send((command, payload))
        return [self._receive(connection) for connection in self._connections]

    # ---------------------------------------------------------------------------------------------- gym API
    def reset(self, *, seed: int | Sequence[int | None] | None = None,
              options: dict[str, Any] | None = None) -> tuple[dict[str, np.ndarray], dict[str, Any]]:
        """Reset every environment, or those where ``options["reset_mask"]`` is True (the other options are
        passed to each environment reset; ``seed``: see the module docstring)."""
        options = dict(options or {})
        mask = np.asarray(options.pop("reset_mask", self._all), dtype=bool)
        if mask.shape != (self.num_envs,):
            raise ValueError(f"reset_mask needs one bool per environment ({self.num_envs}), not shape {mask.shape}")
        if seed is None:
            seeds: list[int | None] = [None] * self.num_envs
        elif isinstance(seed, (int, np.integer)) and not isinstance(seed, bool):
            seeds = list(env_seeds(int(seed), self.num_envs))
            if self.curriculum is not None:
                self.curriculum.seed(int(seed))
        else:
            if not isinstance(seed, Sequence | np.ndarray) or isinstance(seed, str):
                raise TypeError(f"seed is an integer, a sequence of {self.num_envs} integers or None, not {seed!r}")
            # int() turned 1.5 into 1 and True into 1: another episode stream than the caller asked for
            if not all(s is None or (isinstance(s, (int, np.integer)) and not isinstance(s, bool)) for s in seed):
                raise TypeError(f"seeds are integers or None, not {list(seed)!r}")
            seeds = [None if s is None else int(s) for s in seed]
            if len(seeds) != self.num_envs:
                raise ValueError(f"reset needs {self.num_envs} seeds, not {len(seeds)}")
        results = self._call_groups("reset", [([seeds[i] for i in indices], [options or None] * len(indices),
                                               [bool(mask[i]) for i in indices]) for indices in self._slices])
        infos: dict[str, Any] = {}
        for indices, group_infos in zip(self._slices, results):
            for index, info in zip(indices, group_infos):
                if info is not None:
                    infos = self._add_info(infos, info, index)
        if mask.all():
            self.finished = []
        return self._observations(), infos

    def step(self, actions: Any) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, np.ndarray,
                                          dict[str, Any]]:
        """Step every environment with its action (an integer each); environments whose episode ended are reset
        in the same step (their final observation and info are in ``infos``)."""
        actions = np.asarray(actions)
        if actions.shape != (self.num_envs,) or not np.issubdtype(actions.dtype, np.integer):
            raise TypeError(f"step needs {self.num_envs} integer actions, not an array of shape {actions.shape} "
                            f"and dtype {actions.dtype}")
        self._arrays["actions"][:] = actions
        results = self._call_groups("step", [() for _ in self._slices])
        terms = self._arrays["reward_terms"]
        infos: dict[str, Any] = {
            "reward_terms": {name: terms[:, k].copy() for k, name in enumerate(STEP_TERMS)},
            "_reward_terms": self._all.copy(),
            "is_success": self._arrays["is_success"].copy(),
            "_is_success": self._all.copy(),
        }
        ended = [item for group_ended in results for item in group_ended]
        if ended:
            has_final = np.zeros(self.num_envs, dtype=bool)
            final_obs = np.full(self.num_envs, None, dtype=object)
            final_info = np.full(self.num_envs, None, dtype=object)
            for index, obs, info, episode in ended:
                has_final[index] = True
                final_obs[index], final_info[index] = obs, info
                self.finished.append(episode)
            infos.update(final_obs=final_obs, _final_obs=has_final, final_info=final_info,
                         _final_info=has_final.copy())
        return (self._observations(), self._output(self._arrays["rewards"]), self._output(self._arrays["terminated"]),
                self._output(self._arrays["truncated"]), infos)

    def _output(self, array: np.ndarray) -> np.ndarray:
        return array.copy() if self.copy else array

    def _observations(self) -> dict[str, np.ndarray]:
        self.obs = {key: self._output(array) for key, array in self._obs_arrays.items()}
        return self.obs

    @property
    def masks(self) -> np.ndarray:
        """Bool (num_envs, N): the legal actions of the current observations."""
        return self._obs_arrays["action_mask"].astype(bool)

    @property
    def reward_terms(self) -> np.ndarray:
        """(num_envs, len(STEP_TERMS)): the reward terms of the last step, in ``STEP_TERMS`` order (live array)."""
        return self._arrays["reward_terms"]

    def drain(self) -> list[EpisodeStats]:
        """The episodes finished since the last call, in the order they finished (by environment within a step)."""
        done, self.finished = self.finished, []
        return done

    # ------------------------------------------------------------------------------------------ exact resume
    def get_state(self) -> dict[str, Any]:
        """Everything needed to continue exactly: each environment's snapshot, the running episodes' returns,
        lengths and reward-term sums, and the shared curriculum."""
        per_env = [state for group_states in self._call_groups("get_state", [() for _ in self._slices])
                   for state in group_states]
        return {
            "envs": [s["env"] for s in per_env],
            "curriculum": self.curriculum.state_dict() if self.curriculum is not None else None,
            "running": [s["running"] for s in per_env],
            "returns": [s["return"] for s in per_env],
            "lengths": [s["length"] for s in per_env],
            "terms": [s["terms"] for s in per_env],
        }

    def set_state(self, state: dict[str, Any]) -> None:
        """Restore a :meth:`get_state` snapshot (taken from a vector env built the same way)."""
        if len(state["envs"]) != self.num_envs:
            raise ValueError(f"the snapshot holds {len(state['envs'])} environments, this vector env "
                             f"{self.num_envs}")
        # Without autoreset an environment whose episode ended is not stepped until it is reset (snapshots that
        # do not say so tell it from the environment's own: its episode is over)
        running = state.get("running") or [not e.get("episode_over", False) for e in state["envs"]]
        per_env = [{"env": e, "running": bool(g), "return": r, "length": n, "terms": t}
                   for e, g, r, n, t in zip(state["envs"], running, state["returns"], state["lengths"],
                                            state["terms"], strict=True)]
        self._call_groups("set_state", [([per_env[i] for i in indices],) for indices in self._slices])
        if self.curriculum is not None and state.get("curriculum") is not None:
            self.curriculum.load_state_dict(state["curriculum"])
        self.finished = []
        self._observations()

    # ------------------------------------------------------------------------------------------------ close
    def close_extras(self, **kwargs: Any) -> None:
        """Stop the worker processes (async) or close the environments (sync)."""
        for env in self.envs:
            env.close()
        if self._closed_workers:
            return
        self._closed_workers = True
        for connection in self._connections:
            try:
                connection.send(("close", ()))
            except (BrokenPipeError, OSError):
                pass
        for process in self._processes:
            process.join(timeout=5)
            if process.is_alive():
                process.terminate()
                process.join()
        for connection in self._connections:
            connection.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __del__(self) -> None:
        if getattr(self, "_processes", None) and not self.closed:  # stop worker processes left running
            self.close()
