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


def test_search_rollouts_evaluate_with_search_only_and_as_a_share(ppo_run: Path, capsys) -> None:
    from sheetrl.cli import main

    report = evaluate_run(ppo_run, episodes=2, split="iid", search_sims=2, rollout_weight=0.5)
    assert report.results["agent"]["iid"][1].episodes == 2
    with pytest.raises(ConfigError, match="add --search-sims"):
        evaluate_run(ppo_run, episodes=2, split="iid", rollout_weight=0.5)
    with pytest.raises(ConfigError, match="rollout_weight"):
        evaluate_run(ppo_run, episodes=2, split="iid", search_sims=2, rollout_weight=1.5)
    for flags, message in ((["--search-rollouts", "0.5"], "add --search-sims"),
                           (["--search-sims", "2", "--search-rollouts", "-1"], "between 0 and 1, not -1.0")):
        assert main(["eval", str(ppo_run), "--episodes", "1", *flags]) == 2
        err = capsys.readouterr().err
        assert message in err and "Traceback" not in err and err.count("\n") == 1


def test_init_from_needs_an_algorithm_with_a_warm_start(ppo_run: Path, tmp_path: Path, console) -> None:
    with pytest.raises(ConfigError, match="cannot start from another run's network"):
        Runner.start(quick_config(tmp_path / "dqn", algo="dqn", init_from=str(ppo_run)), console=console)


def test_init_from_an_incompatible_policy_names_the_problem(ppo_run: Path, tmp_path: Path, console) -> None:
    with pytest.raises(ConfigError, match=r"the saved network has hidden_sizes=\(32, 32\), this agent \(64, 64\)"):
        Runner.start(quick_config(tmp_path / "az", algo="alphazero", init_from=str(ppo_run),
                                  overrides={**ALPHAZERO_SMALL, "hidden_sizes": (64, 64)}), console=console)


def test_search_sims_on_an_agent_without_a_policy_network_is_a_clear_error(tmp_path: Path, console) -> None:
    run_dir = tmp_path / "tabular"
    Runner.start(quick_config(run_dir, algo="tabular_q", total_steps=16), console=console).run()
    with pytest.raises(ConfigError, match="search needs a policy network; a tabular_q agent has none"):
        evaluate_run(run_dir, episodes=1, split="iid", search_sims=4)


BC_SMALL: dict[str, object] = {"num_envs": "2", "num_steps": "8", "hidden_sizes": (32, 32),
                               "updates_per_iteration": "2", "batch_size": "8", "demo_episodes": "2"}


def _strip_encoder_parts(run_dir: Path) -> None:
    """Make the run's checkpoint look like one saved before ``encoder_parts`` existed."""
    path = run_dir / "checkpoint.pt"
    payload = torch.load(path, weights_only=False)
    for config in (payload["agent"]["config"], payload["agent"]["state"]["config"], payload["config"]["overrides"]):
        config.pop("encoder_parts", None)
    torch.save(payload, path)


def test_a_checkpoint_saved_before_encoder_parts_resumes_evaluates_and_starts_ppo(tmp_path: Path, console) -> None:
    bc_run = tmp_path / "bc"
    Runner.start(quick_config(bc_run, algo="bc", policy="encoder", total_steps=16, overrides=BC_SMALL),
                 console=console).run()
    _strip_encoder_parts(bc_run)
    resumed = Runner.resume(bc_run, changes={"total_steps": 32}, console=console)
    assert resumed.agent_config.encoder_parts == ("gnn", "cnn", "formula_lstm", "instruction")
    resumed.run()
    _strip_encoder_parts(bc_run)
    assert evaluate_run(bc_run, episodes=1, split="iid").results["agent"]["iid"][1].episodes == 1
    ppo = {**PPO_SMALL, "hidden_sizes": (32, 32)}
    Runner.start(quick_config(tmp_path / "ppo", algo="ppo", policy="encoder", total_steps=16, init_from=str(bc_run),
                              overrides=ppo), console=console)
    with pytest.raises(ConfigError, match="the saved network has encoder_parts="):
        Runner.start(quick_config(tmp_path / "ablated", algo="ppo", policy="encoder", init_from=str(bc_run),
                                  overrides={**ppo, "encoder_parts": "cnn,instruction"}), console=console)


def test_kl_coef_without_init_from_is_refused(tmp_path: Path, console) -> None:
    for algo, small in (("ppo", PPO_SMALL), ("alphazero", ALPHAZERO_SMALL)):
        with pytest.raises(ConfigError, match="kl_coef keeps the policy near the one --init-from starts it from"):
            Runner.start(quick_config(tmp_path / algo, algo=algo, overrides={**small, "kl_coef": "0.1"}),
                         console=console)
        assert not (tmp_path / algo).exists()


def test_alphazero_with_kl_to_a_bc_start_resumes_exactly_and_keeps_its_reference(tmp_path: Path, console) -> None:
    bc_run = tmp_path / "bc"
    Runner.start(quick_config(bc_run, algo="bc", total_steps=16, overrides=BC_SMALL), console=console).run()
    settings = {**ALPHAZERO_SMALL, "kl_coef": "0.5"}

    def alphazero_run(name: str, total_steps: int) -> Runner:
        return Runner.start(quick_config(tmp_path / name, algo="alphazero", total_steps=total_steps,
                                         init_from=str(bc_run), overrides=settings), console=console)

    straight = alphazero_run("straight", 40)
    straight.run()
    alphazero_run("resumed", 20).run()
    resumed = Runner.resume(tmp_path / "resumed", changes={"total_steps": 40}, console=console)
    resumed.run()
    teacher = torch.load(bc_run / "checkpoint.pt", weights_only=False)["agent"]["state"]["network"]
    for agent in (straight.agent, resumed.agent):
        reference = agent.reference.state_dict()
        assert set(reference) == set(teacher) and all(torch.equal(reference[k], v) for k, v in teacher.items())
    mine, theirs = straight.agent.network.state_dict(), resumed.agent.network.state_dict()
    assert all(torch.equal(mine[key], theirs[key]) for key in mine)
    assert not all(torch.equal(mine[key], teacher[key]) for key in mine)  # it trained, away from the start
    with pytest.raises(ConfigError, match="init_from cannot change when resuming"):
        Runner.resume(tmp_path / "resumed", changes={"init_from": str(tmp_path / "straight")}, console=console)


def test_alphazero_names_the_network_field_that_keeps_it_from_a_runs_policy(tmp_path: Path, console) -> None:
    """An ablated encoder (alphazero builds only the full one) or an instructed BC head without alphazero's
    factored_actions: the refusal names the field, not only the tensors it could not place."""
    ablated, instructed = tmp_path / "ablated", tmp_path / "instructed"
    Runner.start(quick_config(ablated, algo="bc", policy="encoder", total_steps=16,
                              overrides={**BC_SMALL, "encoder_parts": "cnn,instruction"}), console=console).run()
    Runner.start(quick_config(instructed, algo="bc", level=2, total_steps=16,
                              overrides={**BC_SMALL, "factored_actions": "instructed"}), console=console).run()
    with pytest.raises(ConfigError, match="alphazero has no encoder_parts option"):
        Runner.start(quick_config(tmp_path / "az1", algo="alphazero", policy="encoder", init_from=str(ablated),
                                  overrides=ALPHAZERO_SMALL), console=console)
    with pytest.raises(ConfigError, match="the saved network has factored_actions='instructed', this agent 'off'"):
        Runner.start(quick_config(tmp_path / "az2", algo="alphazero", level=2, init_from=str(instructed),
                                  overrides=ALPHAZERO_SMALL), console=console)


def test_runs_evaluated_together_play_as_one_ensemble(ppo_run: Path, tmp_path: Path, console,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    """``sheetrl eval RUN --with RUN2``: the report names the ensemble; a missing or policy-less run is a one-line
    error (exit 2)."""
    import json

    from sheetrl.cli import main

    other = tmp_path / "ppo2"
    Runner.start(quick_config(other, algo="ppo", total_steps=16, seed=4, overrides=PPO_SMALL), console=console).run()
    report = evaluate_run(ppo_run, episodes=2, split="ood", ensemble_with=[other], search_sims=2)
    assert report.results["agent"]["ood"][1].episodes == 2
    assert report.algo == "ensemble of 2 runs (ppo, ppo)" and report.to_json()["ensemble"] == [str(ppo_run),
                                                                                               str(other)]
    capsys.readouterr()
    assert main(["eval", str(ppo_run), "--with", str(other), "--episodes", "2", "--split", "iid", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["episodes"] == 2
    assert main(["eval", str(ppo_run), "--with", str(tmp_path / "missing"), "--episodes", "2"]) == 2
    error = capsys.readouterr().err
    assert f"run folder {tmp_path / 'missing'} does not exist" in error and "Traceback" not in error
    table = tmp_path / "tabular"
    Runner.start(quick_config(table, algo="tabular_q", total_steps=16), console=console).run()
    with pytest.raises(ConfigError, match="--with: every run of an ensemble needs a policy network; a tabular_q"):
        evaluate_run(ppo_run, episodes=1, split="iid", ensemble_with=[table])
    with pytest.raises(ConfigError, match="a run is given twice"):
        evaluate_run(ppo_run, episodes=1, split="iid", ensemble_with=[other, tmp_path / "ppo2" / ".." / "ppo2"])
    assert main(["eval", str(ppo_run), "--with", str(ppo_run), "--episodes", "1"]) == 2
    assert "a run is given twice" in capsys.readouterr().err
