"""``--init-from``: an alphazero run starts from a PPO run's policy; ``--search-sims`` evaluates a run with search
on top; an algorithm without a warm start says so."""

from __future__ import annotations

from pathlib import Path

import pytest
import torch

from sheetrl.train.config import ConfigError
from sheetrl.train.evaluate import evaluate_run
from sheetrl.train.runner import Runner
from tests.train.conftest import quick_config

PPO_SMALL: dict[str, object] = {"num_envs": "2", "num_steps": "8", "num_minibatches": "1", "update_epochs": "1",
             "hidden_sizes": (32, 32)}
ALPHAZERO_SMALL: dict[str, object] = {"num_envs": "2", "simulations": "2", "batch_size": "4", "hidden_sizes": (32, 32)}


@pytest.fixture
def ppo_run(tmp_path: Path, console) -> Path:
    run_dir = tmp_path / "ppo"
    Runner.start(quick_config(run_dir, algo="ppo", total_steps=16, overrides=PPO_SMALL), console=console).run()
    return run_dir


def test_alphazero_starts_from_a_ppo_runs_policy(ppo_run: Path, tmp_path: Path, console) -> None:
    config = quick_config(tmp_path / "az", algo="alphazero", total_steps=4, init_from=str(ppo_run),
                          overrides=ALPHAZERO_SMALL)
    runner = Runner.start(config, console=console)
    teacher = torch.load(ppo_run / "checkpoint.pt", weights_only=False)["agent"]["state"]["network"]
    loaded = runner.agent.network.state_dict()
    assert set(loaded) == set(teacher) and all(torch.equal(loaded[key], value) for key, value in teacher.items())
    assert "warm start: the ppo policy" in console.file.getvalue()
    runner.run()
    report = evaluate_run(tmp_path / "az", episodes=2, split="ood", search_sims=2)
    assert report.results["agent"]["ood"][1].episodes == 2


def test_search_sims_evaluates_a_ppo_run_with_search(ppo_run: Path) -> None:
    report = evaluate_run(ppo_run, episodes=2, split="iid", search_sims=4)
    assert report.results["agent"]["iid"][1].episodes == 2
    with pytest.raises(ConfigError, match="search_sims"):
        evaluate_run(ppo_run, episodes=2, split="iid", search_sims=0)


def test_init_from_needs_an_algorithm_with_a_warm_start(ppo_run: Path, tmp_path: Path, console) -> None:
    with pytest.raises(ConfigError, match="cannot start from another run's network"):
        Runner.start(quick_config(tmp_path / "dqn", algo="dqn", init_from=str(ppo_run)), console=console)


def test_init_from_an_incompatible_policy_names_the_problem(ppo_run: Path, tmp_path: Path, console) -> None:
    with pytest.raises(ConfigError, match="no policy this network can load"):
        Runner.start(quick_config(tmp_path / "az", algo="alphazero", init_from=str(ppo_run),
                                  overrides={**ALPHAZERO_SMALL, "hidden_sizes": (64, 64)}), console=console)


def test_search_sims_on_an_agent_without_a_policy_network_is_a_clear_error(tmp_path: Path, console) -> None:
    run_dir = tmp_path / "tabular"
    Runner.start(quick_config(run_dir, algo="tabular_q", total_steps=16), console=console).run()
    with pytest.raises(ConfigError, match="search needs a policy network; a tabular_q agent has none"):
        evaluate_run(run_dir, episodes=1, split="iid", search_sims=4)
