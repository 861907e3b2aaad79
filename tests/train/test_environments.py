"""The training environments: independent seeds per run, and the shaping discount that follows the agent's."""

from __future__ import annotations

from pathlib import Path

from sheetrl.env.spreadsheet_env import EnvConfig
from sheetrl.env.vector import SheetVectorEnv, env_seeds
from sheetrl.train.runner import Runner, environment_config
from tests.train.conftest import quick_config


def test_runs_with_neighbouring_seeds_share_no_environment_seed_and_no_task_stream():
    """The review: with env i seeded seed+i, runs --seed 1/2/3 shared 6-7 of their 8 task streams."""
    seeds = {run: env_seeds(run, 8) for run in (1, 2, 3)}
    assert all(len(set(s)) == 8 for s in seeds.values())
    assert not (set(seeds[1]) & set(seeds[2]) or set(seeds[2]) & set(seeds[3]) or set(seeds[1]) & set(seeds[3]))
    assert env_seeds(1, 8) == seeds[1]  # deterministic
    first_tasks = {run: set(SheetVectorEnv(EnvConfig(level=1), 8).reset(seed=run)[1]["task_seed"].tolist())
                   for run in (1, 2)}
    assert not first_tasks[1] & first_tasks[2]


def test_the_shaping_discount_is_the_agents_discount(tmp_path: Path, console) -> None:
    config = quick_config(tmp_path, algo="tabular_q", total_steps=16)
    assert environment_config(config, gamma=0.9).rewards.gamma == 0.9
    assert environment_config(config).rewards.gamma == EnvConfig().rewards.gamma
    runner = Runner.start(quick_config(tmp_path, algo="tabular_q", total_steps=16, overrides={"gamma": 0.93}),
                          console=console)
    assert runner.agent_config.gamma == 0.93 and runner.env_config.rewards.gamma == 0.93
    assert all(env.config.rewards.gamma == 0.93 for env in runner.pool.envs)


def test_the_environments_compute_only_the_observation_keys_the_agent_reads(tmp_path: Path, console) -> None:
    runner = Runner.start(quick_config(tmp_path, algo="tabular_q", total_steps=16), console=console)
    assert runner.env_config.observation_keys == ("flat", "instruction", "grid", "action_mask")
    assert set(runner.pool.single_observation_space.spaces) == {"flat", "instruction", "grid", "action_mask"}
    assert environment_config(quick_config(tmp_path)).observation_keys is None  # no declaration: every key
