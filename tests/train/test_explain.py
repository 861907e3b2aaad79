"""`sheetrl demo RUN --explain`: the agent's top legal actions with their probabilities, best first."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sheetrl.cli import main
from sheetrl.env.actions import MACROS
from sheetrl.train.config import TrainConfig
from sheetrl.train.explain import cell_attention, save_attention_map, top_actions
from sheetrl.train.runner import Runner


def test_top_actions_are_the_best_legal_ones_in_order():
    scores = np.zeros(len(MACROS))
    scores[[3, 5, 7, 9]] = [0.5, 0.9, 0.3, 0.95]
    mask = np.zeros(len(MACROS), dtype=bool)
    mask[[3, 5, 7]] = True  # 9 scores best but is illegal
    best = top_actions(scores, mask, 2)
    assert [a.name for a in best] == [MACROS[5].name, MACROS[3].name]
    assert [a.score for a in best] == [0.9, 0.5]


def _tiny_run(run_dir: Path, algo: str, level: int, total_steps: int, overrides: dict, **options: object) -> Path:
    """A run of a few steps (enough for demo to load and play it), without logs or evaluation."""
    Runner.start(TrainConfig(algo=algo, level=level, total_steps=total_steps, run_dir=str(run_dir), wandb="disabled",
                             tensorboard=False, progress=False, eval_episodes=0, overrides=overrides,
                             **options)).run()
    return run_dir


def _bc_run_on_level(run_dir: Path, level: int) -> None:
    """A BC run of 16 steps on ``level``."""
    _tiny_run(run_dir, "bc", level, 16, {"num_envs": 2, "num_steps": 8, "hidden_sizes": (32, 32), "batch_size": 16,
                                         "updates_per_iteration": 4, "demo_episodes": 3})


def test_demo_explains_a_bc_agents_choices(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    _bc_run_on_level(tmp_path / "bc", level=2)
    capsys.readouterr()
    assert main(["demo", str(tmp_path / "bc"), "--seed", "1", "--explain", "--top", "2"]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("top actions (probability): ")]
    assert lines
    for line in lines:
        probabilities = [float(part.rsplit(" ", 1)[1]) for part in line.split(": ", 1)[1].split(", ")]
        assert len(probabilities) <= 2 and probabilities == sorted(probabilities, reverse=True)
        assert all(0.0 <= p <= 1.0 for p in probabilities)
    assert "agent solved the task" in out or "agent did not solve the task" in out


def test_demo_explains_which_specialist_a_hierarchical_agent_would_call(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]):
    overrides = {"num_envs": 2, "num_steps": 8, "num_minibatches": 2, "update_epochs": 1, "hidden_sizes": (32, 32),
                 "meta_hidden_sizes": (16, 16), "navigator": True}
    _tiny_run(tmp_path / "h", "hierarchical", 3, 16, overrides)
    capsys.readouterr()
    assert main(["demo", str(tmp_path / "h"), "--seed", "1", "--explain"]) == 0
    out = capsys.readouterr().out
    assert "top actions (probability): " in out
    choices = [line for line in out.splitlines() if line.startswith("navigator: edit now ")]
    assert choices and all(("formula" in line and "layout" in line and "data" in line and "(greedy: it " in line)
                           or line.endswith("(no edit is legal: it moves)") for line in choices)


def test_demo_with_search_explains_the_searchs_visit_counts(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    _bc_run_on_level(tmp_path / "bc", level=1)
    capsys.readouterr()
    assert main(["demo", str(tmp_path / "bc"), "--seed", "2", "--explain", "--search-sims", "8", "--top", "3"]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.startswith("search (")]
    assert lines
    for line in lines:
        total = int(line.split(" visits)", 1)[0].removeprefix("search ("))
        shown = line.split(": ", 1)[1].split("; plays ")[0].split(", ")
        counts = [int(part.split(" ")[1]) for part in shown]
        assert len(counts) <= 3 and counts == sorted(counts, reverse=True) and sum(counts) <= total
        assert 1 <= total <= 8  # at most one root visit per simulation
    assert main(["demo", str(tmp_path / "bc"), "--search-sims", "0"]) == 2
    assert "--search-sims must be between 1 and 100,000, not 0" in capsys.readouterr().err
    assert main(["demo", "--search-sims", "4"]) == 2
    assert "--search-sims searches on top of a trained agent's policy" in capsys.readouterr().err
    assert main(["demo", str(tmp_path / "bc"), "--search-rollouts", "0.5"]) == 2
    assert "--search-rollouts weighs the rollouts of a search: add --search-sims" in capsys.readouterr().err
    assert main(["demo", str(tmp_path / "bc"), "--search-sims", "2", "--search-rollouts", "7"]) == 2
    assert "--search-rollouts is a share of the value, between 0 and 1, not 7.0" in capsys.readouterr().err
    assert main(["demo", str(tmp_path / "bc"), "--seed", "2", "--explain", "--search-sims", "4",
                 "--search-rollouts", "0.5"]) == 0
    assert "search (" in capsys.readouterr().out


def test_demo_explains_an_alphazero_agents_prior_and_its_search(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]):
    """An alphazero run has a policy network: --explain shows its probabilities (the search's prior) as for BC and
    PPO, not "(this agent gives no per-action scores)"."""
    overrides = {"num_envs": 2, "simulations": 2, "hidden_sizes": (32, 32), "batch_size": 4}
    _tiny_run(tmp_path / "az", "alphazero", 1, 8, overrides)
    capsys.readouterr()
    assert main(["demo", str(tmp_path / "az"), "--seed", "1", "--explain", "--search-sims", "4", "--top", "3"]) == 0
    out = capsys.readouterr().out
    assert "no per-action scores" not in out
    lines = [line for line in out.splitlines() if line.startswith("top actions (probability): ")]
    searches = [line for line in out.splitlines() if line.startswith("search (4 visits): ")]
    assert lines and len(lines) == len(searches)
    for line in lines:
        probabilities = [float(part.rsplit(" ", 1)[1]) for part in line.split(": ", 1)[1].split(", ")]
        assert len(probabilities) == 3 and probabilities == sorted(probabilities, reverse=True)


def test_demo_plays_an_alphazero_run_with_its_own_search_as_eval_does(tmp_path: Path,
                                                                        capsys: pytest.CaptureFixture[str]):
    """sheetrl eval plays an alphazero run with its own search (its simulations per move); the demo of the run
    showed the network alone, a different policy from the one evaluated."""
    overrides = {"num_envs": 2, "simulations": 3, "hidden_sizes": (32, 32), "batch_size": 4}
    _tiny_run(tmp_path / "az", "alphazero", 1, 8, overrides)
    capsys.readouterr()
    assert main(["demo", str(tmp_path / "az"), "--seed", "1", "--explain"]) == 0
    out = capsys.readouterr().out
    steps = [line for line in out.splitlines() if line.startswith("top actions (probability): ")]
    searches = [line for line in out.splitlines() if line.startswith("search (3 visits): ")]
    assert steps and len(searches) == len(steps)


def test_explain_without_a_run_is_a_usage_error(capsys: pytest.CaptureFixture[str]):
    assert main(["demo", "--explain"]) == 2
    assert "pass a run folder" in capsys.readouterr().err
    assert main(["demo", "--attention", "maps"]) == 2
    assert "pass a run folder" in capsys.readouterr().err


def _tiny_bc_run(run_dir: Path, policy: str) -> Path:
    overrides = {"num_envs": 2, "num_steps": 4, "batch_size": 8, "updates_per_iteration": 1, "demo_episodes": 1}
    return _tiny_run(run_dir, "bc", 1, 8, overrides, policy=policy)


def test_demo_draws_where_a_transformer_looked(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    run_dir = _tiny_bc_run(tmp_path / "gpt", "transformer")
    capsys.readouterr()
    maps = tmp_path / "maps"
    assert main(["demo", str(run_dir), "--seed", "2", "--attention", str(maps)]) == 0
    out = capsys.readouterr().out
    drawn = sorted(maps.glob("step_*.png"))
    assert drawn and drawn[0].name == "step_001.png"
    assert out.count("attention map: ") == len(drawn)
    assert all(path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for path in drawn)


def test_attention_needs_a_transformer(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    run_dir = _tiny_bc_run(tmp_path / "mlp", "mlp")
    capsys.readouterr()
    assert main(["demo", str(run_dir), "--attention", str(tmp_path / "maps")]) == 2
    err = capsys.readouterr().err
    assert "needs a transformer policy; this run's policy is mlp" in err and "Traceback" not in err
    assert not (tmp_path / "maps").exists()


def test_cell_attention_covers_the_window_and_is_a_share_of_the_decision():
    from sheetrl.agents import algorithm
    from sheetrl.env.spreadsheet_env import SpreadsheetEnv
    from sheetrl.models.precision import Precision

    env = SpreadsheetEnv(level=2)
    obs, _ = env.reset(seed=0)
    module = algorithm("bc")
    config = module.Config(policy="transformer", num_envs=1)
    agent = module.build(config, env.observation_space, env.action_space, "cpu", Precision(), 0)
    agent.network.train()
    heat = cell_attention(agent, obs)
    assert heat is not None and heat.shape == (env.config.grid_rows, env.config.grid_cols)
    # the decision token's attention sums to 1 over cells, instruction words and past actions together
    assert (heat >= 0).all() and 0.0 < heat.sum() <= 1.0 + 1e-5
    assert agent.network.training  # drawn in eval mode (no dropout), then left in the mode it was in
    assert np.array_equal(cell_attention(agent, obs), heat)
    mlp = module.build(module.Config(num_envs=1), env.observation_space, env.action_space, "cpu", Precision(), 0)
    assert cell_attention(mlp, obs) is None


def test_attention_map_labels_must_match_its_shape(tmp_path: Path):
    heat = np.linspace(0, 1, 6).reshape(2, 3)
    path = save_attention_map(heat, tmp_path / "map.png", title="t", row_labels=["1", "2"],
                              column_labels=["A", "B", "C"], cell_texts=[["x", "", "y"], ["", "z", ""]],
                              cursor=(1, 2))
    assert path.stat().st_size > 0
    with pytest.raises(ValueError, match="labels for 2x2 cells, the map has 2x3"):
        save_attention_map(heat, tmp_path / "bad.png", title="t", row_labels=["1", "2"], column_labels=["A", "B"])
