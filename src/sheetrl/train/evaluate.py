"""Held-out evaluation: success rate with a 95% Wilson interval, mean return and mean episode length, per level.

Episode ``i`` of an evaluation plays the task of seed :func:`~sheetrl.env.tasks.eval_seed` ``(i)`` — a seed no
training run ever draws — so every policy (a trained agent, the expert, a random masked policy) and every run is
measured on the same tasks. Agents act deterministically (``agent.act(..., deterministic=True)``).

The figures of one policy on one level are an :class:`EvalResult`; :func:`evaluate_run` loads a run's latest
checkpoint and evaluates it (optionally with the expert and the random baseline beside it) into an
:class:`EvalReport`, whose :meth:`EvalReport.to_json` is what ``sheetrl eval --json`` prints.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from statistics import NormalDist
from typing import Any, Protocol

import numpy as np

from sheetrl.env.actions import MACRO_INDEX
from sheetrl.env.spreadsheet_env import EnvConfig, SpreadsheetEnv
from sheetrl.env.tasks import LEVELS, eval_seed

DONE_ACTION = MACRO_INDEX["done"]


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


class ExpertPolicy:
    """Replays each task's ``expert_actions``, then ``done`` (the reference an agent is compared with)."""

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
# Called after every finished evaluation episode with (policy name, level, episodes finished, episodes in all).
ProgressCallback = Callable[[str, int, int, int], None]


def run_episodes(policy: Policy, level: int, episodes: int, *, max_steps: int | None = None,
                 batch: int = 16, progress: ProgressCallback | None = None) -> EvalResult:
    """Play evaluation episodes ``0 .. episodes-1`` of ``level`` with ``policy``, ``batch`` environments at once."""
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, not {level!r}")
    if episodes < 1:
        raise ValueError(f"evaluate at least one episode, not {episodes}")
    config = EnvConfig(level=level, max_steps=max_steps, split="eval")
    envs = [SpreadsheetEnv(config=config) for _ in range(min(batch, episodes))]
    observations: list[dict[str, np.ndarray] | None] = [None] * len(envs)
    returns = np.zeros(episodes)
    lengths = np.zeros(episodes, dtype=np.int64)
    successes = np.zeros(episodes, dtype=bool)
    playing: list[int | None] = [None] * len(envs)  # the episode index each environment is playing
    next_episode = 0
    finished = 0

    def begin(slot: int) -> None:
        nonlocal next_episode
        if next_episode >= episodes:
            playing[slot] = None
            return
        episode = next_episode
        next_episode += 1
        observations[slot], _ = envs[slot].reset(seed=episode,
                                                 options={"task_seed": eval_seed(episode), "level": level})
        playing[slot] = episode
        policy.start(slot, envs[slot], episode)

    for slot in range(len(envs)):
        begin(slot)
    while True:
        active = [slot for slot in range(len(envs)) if playing[slot] is not None]
        if not active:
            break
        stacked = {key: np.stack([observations[slot][key] for slot in active]) for key in observations[active[0]]}
        masks = stacked["action_mask"].astype(bool)
        actions = policy.act(stacked, masks, active)
        for slot, action in zip(active, actions):
            episode = playing[slot]
            observations[slot], reward, terminated, truncated, info = envs[slot].step(int(action))
            returns[episode] += reward
            lengths[episode] += 1
            if terminated or truncated:
                successes[episode] = bool(info.get("is_success"))
                finished += 1
                if progress is not None:
                    progress(policy.name, level, finished, episodes)
                begin(slot)
    return EvalResult(policy.name, level, episodes, int(successes.sum()), float(returns.mean()),
                      float(lengths.mean()))


def evaluation_levels(level: int | str, unlocked: int = len(LEVELS)) -> list[int]:
    """The levels to evaluate for a run's level: that one, or for 'curriculum' levels 1..unlocked."""
    if level == "curriculum":
        return list(LEVELS[: max(1, unlocked)])
    return [int(level)]


def evaluate_agent(agent: Any, levels: list[int], episodes: int, *, max_steps: int | None = None,
                   compare: bool = False, seed: int = 0,
                   progress: ProgressCallback | None = None) -> dict[str, dict[int, EvalResult]]:
    """``{"agent": {level: result}}``, plus ``"expert"`` and ``"random"`` when ``compare``."""
    policies: list[Policy] = [AgentPolicy(agent)]
    if compare:
        policies += [ExpertPolicy(), RandomMaskedPolicy(seed)]
    return {policy.name: {level: run_episodes(policy, level, episodes, max_steps=max_steps, progress=progress)
                          for level in levels}
            for policy in policies}


@dataclass
class EvalReport:
    """The evaluation of a run (or of an agent): per policy, per level."""

    results: dict[str, dict[int, EvalResult]]
    run_dir: str | None = None
    algo: str | None = None
    env_steps: int | None = None
    checkpoint: str | None = None

    def summary(self, policy: str = "agent") -> EvalResult:
        """One policy's figures pooled over the evaluated levels (the level itself when there is one)."""
        per_level = list(self.results[policy].values())
        if len(per_level) == 1:
            return per_level[0]
        return EvalResult.pooled(per_level, ",".join(str(level) for level in self.results[policy]))

    def to_json(self) -> dict[str, Any]:
        """The agent's figures at the top level, then per level and the baselines (``compare``)."""
        document: dict[str, Any] = self.summary("agent").to_dict()
        document.update(run=self.run_dir, algo=self.algo, env_steps=self.env_steps, checkpoint=self.checkpoint)
        document["per_level"] = {str(level): result.to_dict() for level, result in self.results["agent"].items()}
        baselines = [name for name in self.results if name != "agent"]
        if baselines:
            document["compare"] = {
                name: dict(self.summary(name).to_dict(),
                           per_level={str(level): r.to_dict() for level, r in self.results[name].items()})
                for name in baselines
            }
        return document


def evaluate_run(run_dir: str | Path, episodes: int = 500, level: int | str | None = None, compare: bool = False,
                 device: str = "cpu", progress: ProgressCallback | None = None,
                 notice: Callable[[str], None] | None = None) -> EvalReport:
    """Evaluate the latest checkpoint of a run on held-out seeds (``level``: one level; default the run's).

    ``notice`` hears what the caller should tell the user (e.g. that the latest checkpoint was unusable and the
    previous one is evaluated instead)."""
    from sheetrl.train.checkpoint import CHECKPOINT_FILE, load_latest
    from sheetrl.train.config import ConfigError, TrainConfig
    from sheetrl.train.runner import restore_agent

    if episodes < 1:
        raise ConfigError(f"episodes must be >= 1, not {episodes}")
    payload, path = load_latest(run_dir)
    if path.name != CHECKPOINT_FILE and notice is not None:
        notice(f"{Path(run_dir) / CHECKPOINT_FILE} is missing or unusable; evaluating the previous checkpoint "
               f"{path.name} (step {int(payload['counters']['env_steps']):,}) instead")
    config = TrainConfig.from_dict(payload["config"])
    import torch

    torch.set_num_threads(config.threads)
    agent = restore_agent(payload, device=device)
    unlocked = int(payload["runner"].get("curriculum_level") or len(LEVELS))
    levels = evaluation_levels(level if level is not None else config.level,
                               unlocked=len(LEVELS) if level == "curriculum" else unlocked)
    results = evaluate_agent(agent, levels, episodes, max_steps=config.max_steps, compare=compare, seed=config.seed,
                             progress=progress)
    return EvalReport(results, run_dir=str(run_dir), algo=config.algo, env_steps=int(payload["counters"]["env_steps"]),
                      checkpoint=path.name)


def result_fields() -> list[str]:
    """The keys every result object carries (the ``--json`` schema)."""
    return ["success_rate", "ci_low", "ci_high", "mean_return", "mean_length", "episodes", "level"]


__all__ = [
    "AgentPolicy",
    "EvalReport",
    "EvalResult",
    "ExpertPolicy",
    "RandomMaskedPolicy",
    "evaluate_agent",
    "evaluate_run",
    "evaluation_levels",
    "result_fields",
    "run_episodes",
    "wilson_interval",
]
