"""Held-out evaluation: success rate with a 95% Wilson interval, mean return and mean episode length, per split
and level.

Two splits (:mod:`sheetrl.env.tasks.split`): episode ``i`` of the ``iid`` split plays the task of seed
``split_seed("iid", i)`` — new seeds, layouts like training's — and episode ``i`` of the ``ood`` split the task of
``split_seed("ood", i)``, whose positions, sizes, spacer patterns, phrasings and template combinations no training
task has. No training run ever draws either, and every policy (a trained agent, the expert, a random masked policy,
the memoriser) and every run is measured on the same tasks. Tasks from a task file are a third kind of evaluation
(:func:`run_task_episodes`). Agents act deterministically (``agent.act(..., deterministic=True)``).

The memoriser (:class:`MemoriserPolicy`) is the baseline that shows whether a split can be solved by recall: a
lookup table from instruction text to the expert's macros, built from the first N training tasks of each level; it
replays the macros of an instruction it has seen and says ``done`` otherwise.

The figures of one policy on one split and level are an :class:`EvalResult`; :func:`evaluate_run` loads a run's
latest checkpoint and evaluates it (optionally with the expert, the random and the memoriser baselines beside it)
into an :class:`EvalReport`, whose :meth:`EvalReport.to_json` is what ``sheetrl eval --json`` prints.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from statistics import NormalDist
from typing import Any, Protocol

import numpy as np

from sheetrl.agents.base import RepeatMemory
from sheetrl.env.actions import MACRO_INDEX
from sheetrl.env.spreadsheet_env import EnvConfig, SpreadsheetEnv
from sheetrl.env.tasks import IID, LEVELS, OOD, TRAIN, Task, make_task, split_seed
from sheetrl.env.vector import SheetVectorEnv

DONE_ACTION = MACRO_INDEX["done"]
EVAL_SPLITS = (IID, OOD)
MEMORISER_TASKS = 1000  # training tasks per level the memoriser of ``sheetrl eval --compare`` remembers


def wilson_interval(successes: int, trials: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion (Wilson 1927); ``(0, 1)`` when there are no trials."""
    if trials < 0 or not 0 <= successes <= trials:
        raise ValueError(f"need 0 <= successes <= trials, not {successes}/{trials}")
    if trials == 0:
        return 0.0, 1.0
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    p = successes / trials
    denominator = 1 + z * z / trials
    center = (p + z * z / (2 * trials)) / denominator
    half_width = z * math.sqrt(p * (1 - p) / trials + z * z / (4 * trials * trials)) / denominator
    low = 0.0 if successes == 0 else max(0.0, center - half_width)  # exact bounds where rounding would blur them
    high = 1.0 if successes == trials else min(1.0, center + half_width)
    return low, high


@dataclass
class EvalResult:
    """One policy on one level (or pooled over levels: ``level`` is then the list's name)."""

    policy: str
    level: int | str
    episodes: int
    successes: int
    mean_return: float
    mean_length: float
    success_rate: float = field(init=False)
    ci_low: float = field(init=False)
    ci_high: float = field(init=False)

    def __post_init__(self) -> None:
        self.success_rate = self.successes / self.episodes if self.episodes else 0.0
        self.ci_low, self.ci_high = wilson_interval(self.successes, self.episodes)

    def to_dict(self) -> dict[str, Any]:
        return {
            "success_rate": self.success_rate, "ci_low": self.ci_low, "ci_high": self.ci_high,
            "mean_return": self.mean_return, "mean_length": self.mean_length, "episodes": self.episodes,
            "level": self.level, "successes": self.successes, "policy": self.policy,
        }

    @staticmethod
    def pooled(results: list[EvalResult], level: int | str) -> EvalResult:
        """Several levels' results as one (episode-weighted means)."""
        episodes = sum(r.episodes for r in results)
        weights = [r.episodes / episodes if episodes else 0.0 for r in results]
        return EvalResult(results[0].policy, level, episodes, sum(r.successes for r in results),
                          sum(w * r.mean_return for w, r in zip(weights, results)),
                          sum(w * r.mean_length for w, r in zip(weights, results)))


# ---------------------------------------------------------------------------------------------------- policies
class Policy(Protocol):
    """What :func:`run_episodes` drives: told when a slot starts an episode, asked for a batch of actions."""

    name: str

    def start(self, slot: int, env: SpreadsheetEnv, episode: int) -> None: ...

    def act(self, obs: dict[str, np.ndarray], masks: np.ndarray, slots: list[int]) -> np.ndarray: ...


class AgentPolicy:
    """A trained agent acting deterministically."""

    name = "agent"

    def __init__(self, agent: Any) -> None:
        self.agent = agent

    def start(self, slot: int, env: SpreadsheetEnv, episode: int) -> None:
        pass

    def act(self, obs: dict[str, np.ndarray], masks: np.ndarray, slots: list[int]) -> np.ndarray:
        return np.asarray(self.agent.act(obs, masks, deterministic=True))


class AvoidRepeats:
    """A policy that never takes an action twice from the same state of an episode.

    Wraps a policy that chooses among the actions its ``masks`` allow. Where the episode is back in a state it was
    in before (:meth:`SpreadsheetEnv.state_key`), the actions already taken there are masked out
    (:class:`~sheetrl.agents.base.RepeatMemory`): the same action would lead where it led before, round the same
    loop until the step budget ends the episode. A policy that looped now takes its next choice instead; one that
    never revisits a state plays exactly as before.
    """

    def __init__(self, policy: Policy) -> None:
        self.policy = policy
        self.name = policy.name
        self._envs: dict[int, SpreadsheetEnv] = {}
        self._memory = RepeatMemory()

    def start(self, slot: int, env: SpreadsheetEnv, episode: int) -> None:
        self.policy.start(slot, env, episode)
        self._envs[slot] = env
        self._memory.forget(slot)

    def act(self, obs: dict[str, np.ndarray], masks: np.ndarray, slots: list[int]) -> np.ndarray:
        keys = [self._envs[slot].state_key() for slot in slots]
        actions = np.asarray(self.policy.act(obs, self._memory.narrow(slots, keys, masks), slots))
        self._memory.record_all(slots, keys, actions)
        return actions


class ExpertPolicy:
    """Replays each task's ``expert_actions``, then ``done`` (the reference an agent is compared with). Tasks
    without macro experts (task files) are played by their reference commands in :func:`run_task_episodes`."""

    name = "expert"

    def __init__(self) -> None:
        self._plans: dict[int, list[int]] = {}

    def start(self, slot: int, env: SpreadsheetEnv, episode: int) -> None:
        assert env.task is not None
        self._plans[slot] = [MACRO_INDEX[name] for name in reversed(env.task.expert_actions)]

    def act(self, obs: dict[str, np.ndarray], masks: np.ndarray, slots: list[int]) -> np.ndarray:
        actions = []
        for row, slot in enumerate(slots):
            plan = self._plans[slot]
            action = plan.pop() if plan else DONE_ACTION
            actions.append(action if masks[row, action] else DONE_ACTION)
        return np.asarray(actions)


class MemoriserPolicy(ExpertPolicy):
    """A lookup table from instruction text to the expert's macros (see the module docstring): replays them for
    an instruction it remembers, says ``done`` for any other."""

    name = "memoriser"

    def __init__(self, table: dict[str, list[str]]) -> None:
        super().__init__()
        self.table = table

    @classmethod
    def from_training(cls, levels: list[int], tasks_per_level: int = MEMORISER_TASKS) -> MemoriserPolicy:
        """Remember the first ``tasks_per_level`` training tasks of each level (seeds 0, 1, ...)."""
        if tasks_per_level < 1:
            raise ValueError(f"the memoriser needs at least one training task per level, not {tasks_per_level}")
        table: dict[str, list[str]] = {}
        for level in levels:
            for seed in range(tasks_per_level):
                task = make_task(level, seed)
                table.setdefault(task.instruction, list(task.expert_actions))
        return cls(table)

    def start(self, slot: int, env: SpreadsheetEnv, episode: int) -> None:
        assert env.task is not None
        plan = self.table.get(env.task.instruction, [])
        self._plans[slot] = [MACRO_INDEX[name] for name in reversed(plan)]


class RandomMaskedPolicy:
    """Uniform over the legal actions; episode ``i`` uses its own generator, so results do not depend on batching."""

    name = "random"

    def __init__(self, seed: int = 0) -> None:
        self.seed = seed
        self._generators: dict[int, np.random.Generator] = {}

    def start(self, slot: int, env: SpreadsheetEnv, episode: int) -> None:
        self._generators[slot] = np.random.default_rng([self.seed, episode])

    def act(self, obs: dict[str, np.ndarray], masks: np.ndarray, slots: list[int]) -> np.ndarray:
        return np.asarray([self._generators[slot].choice(np.flatnonzero(masks[row]))
                           for row, slot in enumerate(slots)])


# ------------------------------------------------------------------------------------------------------ running
# Called after every finished evaluation episode with (what is playing: policy and split, level, episodes finished,
# episodes in all).
ProgressCallback = Callable[[str, Any, int, int], None]


def run_episodes(policy: Policy, level: int, episodes: int, *, split: str = IID, max_steps: int | None = None,
                 batch: int = 16, progress: ProgressCallback | None = None, first_task: int = 0,
                 gamma: float | None = None) -> EvalResult:
    """Play episodes ``first_task .. first_task+episodes-1`` of a split (``iid`` or ``ood``; ``train`` for
    diagnostics) of ``level`` with ``policy``, ``batch`` environments at once; ``progress`` hears of every
    finished episode. A later ``first_task`` gives tasks that choosing settings on the first ones never saw.
    ``gamma``: the discount of the reward shaping, the agent's own as in training (None: the default)."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    if split not in (TRAIN, *EVAL_SPLITS):
        raise ValueError(f"split must be one of {(TRAIN, *EVAL_SPLITS)}, not {split!r}")
    if episodes < 1:
        raise ValueError(f"evaluate at least one episode, not {episodes}")
    if first_task < 0:
        raise ValueError(f"first_task must be >= 0, not {first_task}")
    config = _with_discount(EnvConfig(level=level, max_steps=max_steps, split=split), gamma)
    options = [{"task_seed": split_seed(split, i), "level": level} for i in range(first_task, first_task + episodes)]
    tick = None if progress is None else (lambda done: progress(f"{policy.name} {split}", level, done, episodes))
    result = _play(policy, config, options, batch, progress=tick)
    result.level = level
    return result


def run_task_episodes(policy: Policy, tasks: list[Task], *, max_steps: int | None = None,
                      batch: int = 16, gamma: float | None = None) -> tuple[EvalResult, list[bool]]:
    """Play each task of a task file once with ``policy``; returns the pooled result and each task's success
    (``gamma`` as in :func:`run_episodes`)."""
    if not tasks:
        raise ValueError("no tasks to evaluate")
    config = _with_discount(EnvConfig(level=1, max_steps=max_steps), gamma)
    successes: list[bool] = []
    result = _play(policy, config, [{"task": task} for task in tasks], batch, successes)
    result.level = "tasks"
    return result, successes


def solve_with_reference(task: Task, max_steps: int | None = None) -> tuple[bool, str, float, int]:
    """Play a task-file task's reference commands through the environment: (solved, the checker's condition,
    return, steps)."""
    env = SpreadsheetEnv(config=EnvConfig(level=1, max_steps=max_steps))
    env.reset(options={"task": task})
    total, steps = 0.0, 0
    info: dict[str, Any] = {}
    terminated = False
    for line in [*(task.expert_commands or []), "done"]:
        _, reward, terminated, _, info = env.step_command(line)
        total += reward
        steps += 1
        if terminated:
            break
    return bool(info.get("is_success")), str(info.get("check", "")), total, steps


def _with_discount(config: EnvConfig, gamma: float | None) -> EnvConfig:
    """``config`` with its reward shaping discounted by ``gamma`` (None: unchanged)."""
    return config if gamma is None else replace(config, rewards=replace(config.rewards, gamma=gamma))


def shaping_discount(agent: Any) -> float | None:
    """The discount an agent was trained with, which its environments' reward shaping used (the runner's
    :func:`~sheetrl.train.runner.environment_config`): its config's ``gamma``, None for an agent without one.
    A search on top steps copies of the evaluation's environments, so their rewards must be the training's."""
    gamma = getattr(getattr(agent, "config", None), "gamma", None)
    return None if gamma is None else float(gamma)


def _play(policy: Policy, config: EnvConfig, options: list[dict[str, Any]], batch: int,
          successes_out: list[bool] | None = None, progress: Callable[[int], None] | None = None) -> EvalResult:
    """Play episode ``i`` (``reset(seed=i, options=options[i])``) for every ``i``, ``batch`` at a time in a
    :class:`SheetVectorEnv` without autoreset: a slot whose episode ends starts the next unplayed episode."""
    episodes = len(options)
    slots = min(batch, episodes)
    returns = np.zeros(episodes)
    lengths = np.zeros(episodes, dtype=np.int64)
    successes = np.zeros(episodes, dtype=bool)
    playing: list[int | None] = [None] * slots  # the episode index each slot is playing
    next_episode = 0
    finished = 0
    with SheetVectorEnv(config, slots, autoreset=False) as envs:

        def begin(slot: int) -> None:
            nonlocal next_episode
            if next_episode >= episodes:
                playing[slot] = None
                return
            episode = next_episode
            next_episode += 1
            seeds: list[int | None] = [None] * slots
            seeds[slot] = episode
            envs.reset(seed=seeds, options={**options[episode], "reset_mask": np.arange(slots) == slot})
            playing[slot] = episode
            policy.start(slot, envs.envs[slot], episode)

        for slot in range(slots):
            begin(slot)
        while True:
            active = [slot for slot in range(slots) if playing[slot] is not None]
            if not active:
                break
            stacked = {key: array[active] for key, array in envs.obs.items()}
            actions = np.zeros(slots, dtype=np.int64)
            actions[active] = policy.act(stacked, stacked["action_mask"].astype(bool), active)
            _, _, terminated, truncated, _ = envs.step(actions)
            ended = iter(envs.drain())  # the episodes that ended this step, by slot
            for slot in active:
                episode = playing[slot]
                assert episode is not None
                if terminated[slot] or truncated[slot]:
                    record = next(ended)
                    returns[episode], lengths[episode], successes[episode] = (record.episode_return, record.length,
                                                                              record.success)
                    finished += 1
                    if progress is not None:
                        progress(finished)
                    begin(slot)
    if successes_out is not None:
        successes_out.extend(bool(s) for s in successes)
    return EvalResult(policy.name, 0, episodes, int(successes.sum()), float(returns.mean()), float(lengths.mean()))


def evaluation_levels(level: int | str, unlocked: int = len(LEVELS)) -> list[int]:
    """The levels to evaluate for a run's level: that one, or for 'curriculum' levels 1..unlocked."""
    if level == "curriculum":
        return list(LEVELS[: max(1, unlocked)])
    return [int(level)]


def agent_policy(agent: Any, search_sims: int | None = None, avoid_repeats: bool = False,
                 rollout_weight: float | None = None) -> Policy:
    """How an agent plays an evaluation: deterministically, with tree search on top when ``search_sims`` is given
    (:func:`sheetrl.agents.alphazero.search_policy`; ``rollout_weight``: the share of a searched state's value
    that comes from playing the policy greedily to the episode's end), and with its own search for agents that
    plan; ``avoid_repeats``: never the same action twice from one state (:class:`AvoidRepeats`; with search, the
    root considers only the actions not yet taken there)."""
    own = getattr(agent, "evaluation_policy", None)
    policy: Policy
    if search_sims is not None:
        from sheetrl.agents.alphazero import search_policy

        policy = search_policy(agent, search_sims, rollout_weight=rollout_weight)
    else:
        policy = own() if own is not None else AgentPolicy(agent)
    return AvoidRepeats(policy) if avoid_repeats else policy


def evaluate_agent(agent: Any, levels: list[int], episodes: int, *, splits: tuple[str, ...] = EVAL_SPLITS,
                   max_steps: int | None = None, compare: bool = False, seed: int = 0,
                   memoriser_tasks: int = MEMORISER_TASKS, progress: ProgressCallback | None = None,
                   search_sims: int | None = None, avoid_repeats: bool = False, first_task: int = 0,
                   rollout_weight: float | None = None) -> dict[str, dict[str, dict[int, EvalResult]]]:
    """``{policy: {split: {level: result}}}`` for the agent (searching ``search_sims`` simulations per move when
    given; never repeating an action from one state with ``avoid_repeats``), plus the expert, random and memoriser
    baselines when ``compare``; the tasks of each split from ``first_task`` on (:func:`run_episodes`);
    ``rollout_weight`` as in :func:`agent_policy`."""
    policies: list[Policy] = ([agent_policy(agent, search_sims, avoid_repeats, rollout_weight)]
                              if agent is not None else [])
    if compare:
        policies += [ExpertPolicy(), RandomMaskedPolicy(seed), MemoriserPolicy.from_training(levels, memoriser_tasks)]
    gamma = shaping_discount(agent)  # every policy's returns under the same shaping as the agent's training
    return {policy.name: {split: {level: run_episodes(policy, level, episodes, split=split, max_steps=max_steps,
                                                      progress=progress, first_task=first_task, gamma=gamma)
                                  for level in levels} for split in splits}
            for policy in policies}


@dataclass
class EvalReport:
    """The evaluation of a run (or of an agent): per policy, per split (``iid``, ``ood`` or ``tasks``), per level
    (``tasks``: per task file, pooled)."""

    results: dict[str, dict[str, dict[Any, EvalResult]]]
    run_dir: str | None = None
    algo: str | None = None
    env_steps: int | None = None
    checkpoint: str | None = None
    task_results: dict[str, list[bool]] = field(default_factory=dict)  # per policy, each task's success (files)
    task_ids: list[str] = field(default_factory=list)
    avoid_repeats: bool = False  # the agent never took an action twice from one state (AvoidRepeats)
    ensemble: list[str] = field(default_factory=list)  # every run of an ensemble (run_dir first; --with)

    @property
    def splits(self) -> list[str]:
        return list(next(iter(self.results.values())))

    def summary(self, policy: str = "agent", split: str | None = None) -> EvalResult:
        """One policy's figures pooled over the evaluated levels (and splits, when ``split`` is None)."""
        chosen = [split] if split is not None else list(self.results[policy])
        per = [r for name in chosen for r in self.results[policy][name].values()]
        if len(per) == 1:
            return per[0]
        label = ",".join(str(level) for level in self.results[policy][chosen[0]])
        return EvalResult.pooled(per, label)

    def to_json(self) -> dict[str, Any]:
        """The agent's figures at the top level (pooled over splits and levels), then per split and per level,
        and the baselines (``compare``); ``split`` is "iid", "ood", "both" or "tasks"."""
        splits = self.splits
        first = "agent" if "agent" in self.results else next(iter(self.results))
        document: dict[str, Any] = self.summary(first).to_dict()
        document.update(split=splits[0] if len(splits) == 1 else "both", run=self.run_dir, algo=self.algo,
                        env_steps=self.env_steps, checkpoint=self.checkpoint, avoid_repeats=self.avoid_repeats)
        if self.ensemble:
            document["ensemble"] = list(self.ensemble)
        document["per_split"] = self._per_split(first)
        if len(splits) == 1:
            document["per_level"] = document["per_split"][splits[0]]["per_level"]
        if self.task_ids:
            document["per_task"] = dict(zip(self.task_ids, self.task_results[first]))
        baselines = [name for name in self.results if name != first]
        if baselines:
            document["compare"] = {name: dict(self.summary(name).to_dict(), per_split=self._per_split(name))
                                   for name in baselines}
        return document

    def _per_split(self, policy: str) -> dict[str, Any]:
        return {split: dict(self.summary(policy, split).to_dict(),
                            per_level={str(level): r.to_dict() for level, r in per_level.items()})
                for split, per_level in self.results[policy].items()}


def evaluate_run(run_dir: str | Path, episodes: int = 500, level: int | str | None = None, compare: bool = False,
                 device: str = "cpu", split: str = "both", tasks: str | Path | None = None,
                 memoriser_tasks: int = MEMORISER_TASKS, progress: ProgressCallback | None = None,
                 notice: Callable[[str], None] | None = None, search_sims: int | None = None,
                 avoid_repeats: bool = False, first_task: int = 0,
                 ensemble_with: Sequence[str | Path] = (), rollout_weight: float | None = None) -> EvalReport:
    """Evaluate the latest checkpoint of a run on held-out seeds (``level``: one level; default the run's;
    ``split``: "iid", "ood" or "both") or, with ``tasks``, on the tasks of a task file.

    ``progress`` hears of every finished episode; ``notice`` hears what the caller should tell the user (e.g. that
    the latest checkpoint was unusable and the previous one is evaluated instead); ``search_sims`` plays the
    agent with that many tree-search simulations per move; ``avoid_repeats`` never lets it take an action twice
    from one state of an episode (:class:`AvoidRepeats`); ``first_task``: the held-out tasks from this one on
    (not with ``tasks``); ``ensemble_with``: other runs whose latest checkpoints play together with this one as
    one agent (:class:`sheetrl.agents.ensemble.EnsembleAgent`; this run's level, step budget and seed);
    ``rollout_weight``: with ``search_sims``, the share of a searched state's value that comes from playing the
    policy greedily to the episode's end (:func:`agent_policy`)."""
    from sheetrl.train.checkpoint import CHECKPOINT_FILE, load_latest
    from sheetrl.train.config import MAX_THREADS, ConfigError
    from sheetrl.train.runner import restore_agent, saved_run_config

    if episodes < 1:
        raise ConfigError(f"episodes must be >= 1, not {episodes}")
    if split not in ("both", *EVAL_SPLITS):
        raise ConfigError(f"split must be iid, ood or both, not {split!r}")
    if search_sims is not None and search_sims < 1:
        raise ConfigError(f"search_sims must be >= 1, not {search_sims}")
    if rollout_weight is not None and search_sims is None:
        raise ConfigError("--search-rollouts weighs the rollouts of a search: add --search-sims")
    if first_task < 0 or (first_task and tasks is not None):
        raise ConfigError(f"first_task must be >= 0 and is for held-out tasks, not a task file (got {first_task})")
    if isinstance(ensemble_with, (str, Path)):
        ensemble_with = [ensemble_with]
    folders = [Path(run_dir), *(Path(other) for other in ensemble_with)]
    if len({folder.resolve() for folder in folders}) < len(folders):
        raise ConfigError("a run is given twice; each run of an ensemble must be a different folder")

    def latest(folder: Path) -> tuple[dict[str, Any], Path]:
        """A run's latest usable checkpoint and its path (telling ``notice`` when it is not the last one)."""
        payload, path = load_latest(folder)
        if path.name != CHECKPOINT_FILE and notice is not None:
            notice(f"{folder / CHECKPOINT_FILE} is missing or unusable; evaluating the previous checkpoint "
                   f"{path.name} (step {int(payload['counters']['env_steps']):,}) instead")
        return payload, path

    payload, path = latest(folders[0])
    checkpoint = path.name
    config = saved_run_config(payload, path)[0]
    import torch

    threads = config.threads  # (from the run's file: a tampered value must not reach torch's thread pools)
    torch.set_num_threads(threads if isinstance(threads, int) and 1 <= threads <= MAX_THREADS else 1)
    agent = restore_agent(payload, device=device, source=path)
    meta: dict[str, Any] = {"run_dir": str(run_dir), "algo": config.algo,
                            "env_steps": int(payload["counters"]["env_steps"]), "checkpoint": checkpoint}
    if ensemble_with:
        from sheetrl.agents.ensemble import EnsembleAgent

        members = [agent] + [restore_agent(other, device=device, source=other_path)
                             for other, other_path in map(latest, folders[1:])]
        try:
            agent = EnsembleAgent(members, seed=config.seed)
        except ValueError as exc:
            raise ConfigError(f"--with: {exc}") from None
        meta.update(algo=f"ensemble of {len(members)} runs ({', '.join(member.name for member in members)})",
                    ensemble=[str(folder) for folder in folders])
    if search_sims is not None:
        from sheetrl.agents.alphazero import search_policy

        try:
            search_policy(agent, search_sims, rollout_weight=rollout_weight)
        except ValueError as exc:
            raise ConfigError(f"--search-sims: {exc}") from None
    if tasks is not None:
        return evaluate_tasks(agent, tasks, compare=compare, seed=config.seed, max_steps=config.max_steps,
                              search_sims=search_sims, avoid_repeats=avoid_repeats, rollout_weight=rollout_weight,
                              **meta)
    unlocked = int(payload["runner"].get("curriculum_level") or len(LEVELS))
    levels = evaluation_levels(level if level is not None else config.level,
                               unlocked=len(LEVELS) if level == "curriculum" else unlocked)
    splits = EVAL_SPLITS if split == "both" else (split,)
    results = evaluate_agent(agent, levels, episodes, splits=splits, max_steps=config.max_steps, compare=compare,
                             seed=config.seed, memoriser_tasks=memoriser_tasks, progress=progress,
                             search_sims=search_sims, avoid_repeats=avoid_repeats, first_task=first_task,
                             rollout_weight=rollout_weight)
    return EvalReport(results, avoid_repeats=avoid_repeats, **meta)


def evaluate_tasks(agent: Any, path: str | Path, *, compare: bool = False, seed: int = 0,
                   max_steps: int | None = None, search_sims: int | None = None, avoid_repeats: bool = False,
                   rollout_weight: float | None = None, **meta: Any) -> EvalReport:
    """Evaluate an agent on every task of a task file (each played once), with the random baseline when
    ``compare``; ``search_sims``, ``avoid_repeats`` and ``rollout_weight`` as in :func:`agent_policy`."""
    from sheetrl.env.tasks.files import TaskFileError, load_task_file
    from sheetrl.train.config import ConfigError

    try:
        tasks = load_task_file(path)
    except TaskFileError as exc:
        raise ConfigError(str(exc)) from None
    policies: list[Policy] = ([agent_policy(agent, search_sims, avoid_repeats, rollout_weight)]
                              + ([RandomMaskedPolicy(seed)] if compare else []))
    results: dict[str, dict[str, dict[Any, EvalResult]]] = {}
    per_task: dict[str, list[bool]] = {}
    gamma = shaping_discount(agent)  # every policy's returns under the same shaping as the agent's training
    for policy in policies:
        result, successes = run_task_episodes(policy, tasks, max_steps=max_steps, gamma=gamma)
        results[policy.name] = {"tasks": {str(path): result}}
        per_task[policy.name] = successes
    return EvalReport(results, task_results=per_task, task_ids=[t.template for t in tasks],
                      avoid_repeats=avoid_repeats, **meta)


def result_fields() -> list[str]:
    """The keys every result object carries (the ``--json`` schema)."""
    return ["success_rate", "ci_low", "ci_high", "mean_return", "mean_length", "episodes", "level"]


__all__ = [
    "EVAL_SPLITS",
    "AgentPolicy",
    "AvoidRepeats",
    "EvalReport",
    "EvalResult",
    "ExpertPolicy",
    "MemoriserPolicy",
    "RandomMaskedPolicy",
    "agent_policy",
    "evaluate_agent",
    "evaluate_run",
    "evaluate_tasks",
    "evaluation_levels",
    "result_fields",
    "run_episodes",
    "run_task_episodes",
    "solve_with_reference",
    "wilson_interval",
]

