"""Held-out evaluation: Wilson intervals, iid and ood seeds, the expert, random and memoriser baselines, task files,
the JSON report."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from sheetrl.env.actions import MACRO_INDEX
from sheetrl.env.tasks import eval_seed, is_eval_seed, make_task, ood_seed, split_of
from sheetrl.train.checkpoint import CheckpointError
from sheetrl.train.config import ConfigError
from sheetrl.train.evaluate import (
    AvoidRepeats,
    EvalResult,
    ExpertPolicy,
    MemoriserPolicy,
    RandomMaskedPolicy,
    evaluate_agent,
    evaluate_run,
    result_fields,
    run_episodes,
    wilson_interval,
)
from sheetrl.train.runner import Runner
from tests.train.conftest import quick_config


@pytest.mark.parametrize(
    ("successes", "trials", "low", "high"),
    [(8, 10, 0.4902, 0.9433), (50, 100, 0.4038, 0.5962), (1, 10, 0.0179, 0.4042), (0, 10, 0.0, 0.2775),
     (10, 10, 0.7225, 1.0), (475, 500, 0.9272, 0.9659)],
)
def test_wilson_interval_matches_published_values(successes: int, trials: int, low: float, high: float) -> None:
    assert wilson_interval(successes, trials) == pytest.approx((low, high), abs=5e-5)


def test_wilson_interval_edge_cases() -> None:
    assert wilson_interval(0, 0) == (0.0, 1.0)
    assert wilson_interval(0, 7)[0] == 0.0 and wilson_interval(7, 7)[1] == 1.0
    assert wilson_interval(8, 10, confidence=0.99)[0] < wilson_interval(8, 10)[0]
    with pytest.raises(ValueError, match="need 0 <= successes <= trials"):
        wilson_interval(11, 10)


class SeedRecorder(RandomMaskedPolicy):
    def __init__(self) -> None:
        super().__init__(0)
        self.seeds: dict[int, int] = {}

    def start(self, slot, env, episode) -> None:
        super().start(slot, env, episode)
        self.seeds[episode] = env.task.seed


def test_episode_i_plays_the_task_of_evaluation_seed_i_of_its_split() -> None:
    recorder = SeedRecorder()
    run_episodes(recorder, level=2, episodes=7, batch=3)
    assert recorder.seeds == {i: eval_seed(i) for i in range(7)}
    assert all(is_eval_seed(seed) and split_of(seed) == "iid" for seed in recorder.seeds.values())
    recorder = SeedRecorder()
    run_episodes(recorder, level=2, episodes=4, split="ood", batch=3)
    assert recorder.seeds == {i: ood_seed(i) for i in range(4)}


def test_a_first_task_plays_the_later_tasks_of_the_split() -> None:
    recorder = SeedRecorder()
    run_episodes(recorder, level=2, episodes=3, split="ood", batch=2, first_task=200)
    assert sorted(recorder.seeds.values()) == [ood_seed(i) for i in range(200, 203)]
    with pytest.raises(ValueError, match="first_task"):
        run_episodes(ExpertPolicy(), level=1, episodes=1, first_task=-1)


def test_the_expert_solves_ood_tasks_and_the_memoriser_only_recalls_training_ones() -> None:
    assert run_episodes(ExpertPolicy(), level=2, episodes=12, split="ood").success_rate == 1.0
    memoriser = MemoriserPolicy.from_training([1], tasks_per_level=20)
    assert len(memoriser.table) == len({make_task(1, seed).instruction for seed in range(20)})
    recalled = run_episodes(memoriser, level=1, episodes=20, split="train")  # the tasks it remembers
    assert recalled.success_rate == 1.0
    assert run_episodes(memoriser, level=1, episodes=20, split="ood").success_rate == 0.0


def test_the_expert_solves_every_held_out_task_of_level_1() -> None:
    result = run_episodes(ExpertPolicy(), level=1, episodes=25)
    assert (result.successes, result.success_rate, result.episodes) == (25, 1.0, 25)
    assert result.mean_return > 5 and 1 <= result.mean_length <= 10


def test_random_policy_results_do_not_depend_on_batching() -> None:
    one = run_episodes(RandomMaskedPolicy(seed=4), level=1, episodes=12, batch=1)
    many = run_episodes(RandomMaskedPolicy(seed=4), level=1, episodes=12, batch=5)
    assert one == many
    assert 0.0 <= one.success_rate < 1.0


def test_pooled_results_weigh_levels_by_episodes() -> None:
    pooled = EvalResult.pooled([EvalResult("agent", 1, 10, 8, 2.0, 3.0), EvalResult("agent", 2, 30, 6, 6.0, 7.0)],
                               "1,2")
    assert (pooled.episodes, pooled.successes, pooled.success_rate) == (40, 14, 0.35)
    assert pooled.mean_return == pytest.approx(5.0) and pooled.mean_length == pytest.approx(6.0)
    assert (pooled.ci_low, pooled.ci_high) == wilson_interval(14, 40)


def test_evaluate_run_reports_the_documented_json_schema(tmp_path: Path, console) -> None:
    Runner.start(quick_config(tmp_path, total_steps=30), console=console).run()
    report = evaluate_run(tmp_path, episodes=6, compare=True, memoriser_tasks=30)
    document = report.to_json()
    assert set(result_fields()) <= set(document)
    assert document["split"] == "both" and document["episodes"] == 12 and document["algo"] == "fake"
    assert document["env_steps"] == 30 and document["checkpoint"] == "checkpoint.pt"
    assert document["ci_low"] <= document["success_rate"] <= document["ci_high"]
    assert set(document["per_split"]) == {"iid", "ood"}
    for split in ("iid", "ood"):
        assert document["per_split"][split]["episodes"] == 6 and set(document["per_split"][split]["per_level"]) == {"1"}
    assert set(document["compare"]) == {"expert", "random", "memoriser"}
    assert document["compare"]["expert"]["success_rate"] == 1.0
    assert document["compare"]["memoriser"]["per_split"]["ood"]["success_rate"] == 0.0
    for baseline in document["compare"].values():
        assert set(result_fields()) <= set(baseline)
    one_split = evaluate_run(tmp_path, episodes=4, level=3, split="ood").to_json()
    assert one_split["split"] == "ood" and one_split["level"] == 3 and "compare" not in one_split
    assert set(one_split["per_level"]) == {"3"}
    every_level = evaluate_run(tmp_path, episodes=2, level="curriculum", split="iid").to_json()
    assert set(every_level["per_level"]) == {"1", "2", "3", "4", "5"} and every_level["episodes"] == 10


def test_evaluate_run_on_a_task_file_reports_each_task(tmp_path: Path, console) -> None:
    example = Path(__file__).resolve().parents[2] / "examples" / "tasks" / "quarterly_sales.jsonl"
    Runner.start(quick_config(tmp_path, total_steps=30), console=console).run()
    document = evaluate_run(tmp_path, tasks=example, compare=True).to_json()
    assert document["split"] == "tasks" and document["episodes"] == 6
    assert set(document["per_task"]) >= {"q1-total", "revenue-pivot"}
    assert document["compare"]["random"]["episodes"] == 6


def test_the_agent_acts_deterministically_in_evaluation(tmp_path: Path, console) -> None:
    Runner.start(quick_config(tmp_path, total_steps=30), console=console).run()
    first = evaluate_run(tmp_path, episodes=5).summary()
    second = evaluate_run(tmp_path, episodes=5).summary()
    assert first == second


def test_evaluating_a_folder_without_checkpoints_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(CheckpointError, match="no usable checkpoint"):
        evaluate_run(tmp_path)


def test_run_episodes_rejects_bad_arguments() -> None:
    with pytest.raises(ValueError, match="level must be one of"):
        run_episodes(ExpertPolicy(), level=9, episodes=1)
    with pytest.raises(ValueError, match="at least one episode"):
        run_episodes(ExpertPolicy(), level=1, episodes=0)
    assert np.isfinite(run_episodes(ExpertPolicy(), level=5, episodes=2).mean_return)


class Pendulum:
    """Goes down, up, down, up ... (the first legal action in its list of preferences when the wanted one is
    masked), and records every (state key, action) pair it takes."""

    name = "pendulum"

    def __init__(self) -> None:
        self.envs: dict = {}
        self.episode: dict[int, int] = {}
        self.turn: dict[int, int] = {}
        self.taken: list[tuple] = []

    def start(self, slot, env, episode) -> None:
        self.envs[slot], self.episode[slot], self.turn[slot] = env, episode, 0

    def act(self, obs, masks, slots):
        actions = []
        for row, slot in enumerate(slots):
            wanted = ("move_down", "move_up")[self.turn[slot] % 2]
            self.turn[slot] += 1
            order = [MACRO_INDEX[wanted]] + [int(a) for a in np.flatnonzero(masks[row])]
            action = next(a for a in order if masks[row, a])
            self.taken.append((self.episode[slot], self.envs[slot].state_key(), action))
            actions.append(action)
        return np.asarray(actions)


def test_avoid_repeats_never_takes_an_action_twice_from_one_state() -> None:
    alone = Pendulum()
    run_episodes(alone, level=1, episodes=2, batch=2, max_steps=12)
    assert len(alone.taken) == 2 * 12 and len(set(alone.taken)) == 2 * 2  # two states, again and again

    guarded = Pendulum()
    result = run_episodes(AvoidRepeats(guarded), level=1, episodes=2, batch=2, max_steps=12)
    assert len(guarded.taken) == 2 * 12 == len(set(guarded.taken))  # every pair new: the loop is left
    assert result.episodes == 2 and AvoidRepeats(guarded).name == "pendulum"


def test_avoid_repeats_changes_nothing_for_a_policy_that_never_comes_back() -> None:
    plain = run_episodes(ExpertPolicy(), level=3, episodes=6, batch=3)
    guarded = run_episodes(AvoidRepeats(ExpertPolicy()), level=3, episodes=6, batch=3)
    assert plain == guarded and plain.success_rate == 1.0


def test_avoid_repeats_is_reported_and_refused_with_search(tmp_path: Path, console) -> None:
    Runner.start(quick_config(tmp_path, total_steps=30), console=console).run()
    assert evaluate_run(tmp_path, episodes=2, split="iid").to_json()["avoid_repeats"] is False
    document = evaluate_run(tmp_path, episodes=2, split="iid", avoid_repeats=True).to_json()
    assert document["avoid_repeats"] is True and document["episodes"] == 2
    with pytest.raises(ConfigError, match="search needs a policy network"):  # the fake agent has none
        evaluate_run(tmp_path, episodes=2, search_sims=2, avoid_repeats=True)


def test_avoid_repeats_narrows_the_roots_of_a_search() -> None:
    """With search on top, the actions already taken from a state are not considered at the search's root: the
    search policy plays among the actions its masks allow, as any wrapped policy does."""
    from sheetrl.agents.alphazero import SearchConfig, SearchPolicy
    from sheetrl.env.spreadsheet_env import SpreadsheetEnv

    def prefers_move_down(observation):
        logits = np.zeros(len(observation["action_mask"]))
        logits[MACRO_INDEX["move_down"]] = 5.0
        return logits, 0.0

    env = SpreadsheetEnv(level=1)
    obs, _ = env.reset(seed=0, options={"task_seed": 0})
    policy = SearchPolicy(prefers_move_down, SearchConfig(simulations=1, method="gumbel", value_target="return"))
    policy.start(0, env, 0)
    batch = {key: value[None] for key, value in obs.items()}
    masks = obs["action_mask"][None].astype(bool)
    assert masks[0, MACRO_INDEX["move_down"]]
    assert policy.act(batch, masks, [0])[0] == MACRO_INDEX["move_down"]
    masks[0, MACRO_INDEX["move_down"]] = False
    assert policy.act(batch, masks, [0])[0] != MACRO_INDEX["move_down"]


@pytest.mark.parametrize("search_sims", [None, 2])
def test_a_search_in_evaluation_steps_environments_shaped_with_the_agents_discount(
        monkeypatch: pytest.MonkeyPatch, search_sims: int | None) -> None:
    """Training shapes the rewards with the agent's gamma (potential-based shaping with another discount changes
    which policy is optimal); a search on top of the agent in evaluation (its own, or --search-sims) steps copies
    of the evaluation's environments, so they must be shaped the same way, not with the default 0.99."""
    from sheetrl.agents import alphazero
    from sheetrl.env.spreadsheet_env import SpreadsheetEnv
    from sheetrl.models.precision import Precision

    seen: list[float] = []
    original = alphazero.SearchPolicy.start

    def start(self: alphazero.SearchPolicy, slot: int, env: SpreadsheetEnv, episode: int) -> None:
        seen.append(env.config.rewards.gamma)
        original(self, slot, env, episode)

    monkeypatch.setattr(alphazero.SearchPolicy, "start", start)
    config = alphazero.Config(num_envs=1, simulations=2, hidden_sizes=(16, 16), gamma=0.5, value_target="return")
    probe = SpreadsheetEnv(level=1)
    agent = alphazero.build(config, probe.observation_space, probe.action_space, "cpu", Precision("fp32", "cpu"), 0)
    evaluate_agent(agent, [1], 2, splits=("iid",), max_steps=2, search_sims=search_sims)
    assert seen == [0.5, 0.5]
