"""SheetVectorEnv: a Gymnasium vector env with same-step autoreset, exact resume, and async == sync."""

from __future__ import annotations

import numpy as np
import pytest
from gymnasium.vector import AutoresetMode
from gymnasium.wrappers.vector import DictInfoToList, RecordEpisodeStatistics

from sheetrl.env.actions import MACRO_INDEX
from sheetrl.env.spreadsheet_env import EnvConfig, SpreadsheetEnv
from sheetrl.env.vector import STEP_TERMS, SheetVectorEnv, env_seeds

CONFIG = EnvConfig(level=1, max_steps=6)  # short episodes, so a few steps cross several autoresets


def random_legal_actions(masks: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    return np.array([rng.choice(np.flatnonzero(row)) for row in masks], dtype=np.int64)


def play(vec: SheetVectorEnv, steps: int, action_seed: int = 0) -> list[tuple]:
    """What ``steps`` random legal steps return (copied), for comparing runs."""
    rng = np.random.default_rng(action_seed)
    record = []
    for _ in range(steps):
        obs, rewards, terminated, truncated, infos = vec.step(random_legal_actions(vec.masks, rng))
        finals = [None if o is None else o["flat"].copy() for o in infos.get("final_obs", [None] * vec.num_envs)]
        record.append(({k: v.copy() for k, v in obs.items()}, rewards.copy(), terminated.copy(), truncated.copy(),
                       finals, vec.reward_terms.copy()))
    return record


def assert_same(a: list[tuple], b: list[tuple]) -> None:
    assert len(a) == len(b)
    for (obs_a, *rest_a), (obs_b, *rest_b) in zip(a, b):
        assert obs_a.keys() == obs_b.keys()
        for key in obs_a:
            np.testing.assert_array_equal(obs_a[key], obs_b[key], err_msg=key)
        for x, y in zip(rest_a, rest_b):
            if isinstance(x, list):
                assert [None if v is None else v.tolist() for v in x] == [None if v is None else v.tolist() for v in y]
            else:
                np.testing.assert_array_equal(x, y)


@pytest.fixture
def vec():
    env = SheetVectorEnv(CONFIG, num_envs=3)
    yield env
    env.close()


def test_spaces_are_the_batched_single_spaces_and_observations_lie_in_them(vec):
    obs, infos = vec.reset(seed=0)
    assert vec.metadata["autoreset_mode"] == AutoresetMode.SAME_STEP
    assert vec.num_envs == 3
    assert vec.observation_space["flat"].shape == (3, *vec.single_observation_space["flat"].shape)
    assert vec.observation_space.contains(obs)
    assert infos["task_seed"].shape == (3,) and infos["_task_seed"].all()
    obs, rewards, terminated, truncated, infos = vec.step(vec.action_space.sample())
    assert vec.observation_space.contains(obs)
    assert rewards.dtype == np.float32 and terminated.dtype == bool and truncated.dtype == bool
    assert set(infos["reward_terms"]) == set(STEP_TERMS)
    np.testing.assert_allclose(sum(infos["reward_terms"].values()), rewards, rtol=1e-6)


def test_env_i_plays_the_stream_of_a_single_env_seeded_with_its_spawned_seed_and_autoresets_in_the_same_step():
    vec = SheetVectorEnv(CONFIG, num_envs=2)
    first, _ = vec.reset(seed=7)
    singles = [SpreadsheetEnv(config=CONFIG) for _ in range(2)]
    for i, (env, seed) in enumerate(zip(singles, env_seeds(7, 2))):
        np.testing.assert_array_equal(first["flat"][i], env.reset(seed=seed)[0]["flat"])
    rng = np.random.default_rng(1)
    ended = 0
    for _ in range(20):
        actions = random_legal_actions(vec.masks, rng)
        obs, rewards, terminated, _, infos = vec.step(actions)
        for i, env in enumerate(singles):
            single_obs, reward, single_terminated, _, info = env.step(int(actions[i]))
            assert rewards[i] == np.float32(reward) and terminated[i] == single_terminated
            if single_terminated:
                ended += 1
                assert infos["_final_obs"][i] and infos["final_info"][i]["task_seed"] == info["task_seed"]
                np.testing.assert_array_equal(infos["final_obs"][i]["flat"], single_obs["flat"])
                single_obs, _ = env.reset()  # the vector env already started the next episode
            elif "_final_obs" in infos:
                assert not infos["_final_obs"][i]
            for key in single_obs:
                np.testing.assert_array_equal(obs[key][i], single_obs[key], err_msg=key)
    assert ended >= 4  # the six-step budget forces several autoresets
    episodes = vec.drain()
    assert len(episodes) == ended and vec.drain() == []
    assert all(1 <= e.length <= 6 for e in episodes)
    vec.close()


def test_the_same_seed_gives_the_same_stream_and_another_seed_another():
    runs = []
    for seed in (3, 3, 4):
        with SheetVectorEnv(CONFIG, num_envs=2) as vec:
            vec.reset(seed=seed)
            runs.append(play(vec, 12))
    assert_same(runs[0], runs[1])
    with pytest.raises(AssertionError):
        assert_same(runs[0], runs[2])


def test_a_snapshot_resumes_bit_exactly_mid_episode_in_a_fresh_env(vec):
    vec.reset(seed=11)
    play(vec, 4, action_seed=5)
    vec.drain()
    snapshot = vec.get_state()
    continued = play(vec, 10, action_seed=6)
    episodes = vec.drain()
    with SheetVectorEnv(CONFIG, num_envs=3) as fresh:
        fresh.reset(seed=999)
        fresh.set_state(snapshot)
        assert_same(play(fresh, 10, action_seed=6), continued)
        assert fresh.drain() == episodes  # returns, lengths and term sums of running episodes carried over


def test_async_workers_return_exactly_what_sync_returns_for_the_same_seeds():
    with SheetVectorEnv(CONFIG, num_envs=3) as sync:
        sync.reset(seed=21)
        expected = play(sync, 12)
        expected_state = sync.get_state()
        expected_episodes = sync.drain()
    with SheetVectorEnv(CONFIG, num_envs=3, mode="async", num_workers=2) as async_env:
        async_env.reset(seed=21)
        assert_same(play(async_env, 12), expected)
        assert async_env.get_state() == expected_state
        assert async_env.drain() == expected_episodes
        async_env.set_state(expected_state)  # a sync snapshot restores into async workers
        np.testing.assert_array_equal(async_env.obs["flat"], sync.obs["flat"])


def test_the_curriculum_is_shared_in_sync_mode_and_refused_in_async_mode():
    config = EnvConfig(level="curriculum", max_steps=3)
    with SheetVectorEnv(config, num_envs=2) as vec:
        assert vec.curriculum is not None and all(env.curriculum is vec.curriculum for env in vec.envs)
        vec.reset(seed=0)
        play(vec, 6)
        assert sum(vec.curriculum.episodes.values()) == len(vec.drain())
    with pytest.raises(ValueError, match="mode='sync'"):
        SheetVectorEnv(config, num_envs=2, mode="async")


def test_gymnasium_vector_wrappers_work_on_it(vec):
    wrapped = DictInfoToList(RecordEpisodeStatistics(vec))
    wrapped.reset(seed=0)
    rng = np.random.default_rng(0)
    lengths = []
    for _ in range(8):
        _, _, terminated, _, infos = wrapped.step(random_legal_actions(vec.masks, rng))
        lengths += [info["episode"]["l"] for i, info in enumerate(infos) if terminated[i]]
    assert lengths and all(1 <= length <= 6 for length in lengths)


def test_factories_build_the_envs_and_copy_false_returns_the_live_arrays():
    with SheetVectorEnv([lambda: SpreadsheetEnv(level=2)] * 2, copy=False) as vec:
        obs, _ = vec.reset(seed=0)
        assert vec.num_envs == 2 and all(env.config.level == 2 for env in vec.envs)
        after, *_ = vec.step(np.zeros(2, dtype=np.int64))
        assert after["flat"] is obs["flat"]


def test_misuse_is_refused_with_a_sentence(vec):
    vec.reset(seed=0)
    with pytest.raises(TypeError, match="3 integer actions"):
        vec.step(np.zeros(2, dtype=np.int64))
    with pytest.raises(TypeError, match="integer actions"):
        vec.step(np.zeros(3))
    with pytest.raises(ValueError, match="mode"):
        SheetVectorEnv(CONFIG, 2, mode="threads")
    with pytest.raises(ValueError, match="at least one"):
        SheetVectorEnv(CONFIG, 0)
    with pytest.raises(ValueError, match="num_workers"):
        SheetVectorEnv(CONFIG, 2, mode="async", num_workers=3)
    with pytest.raises(ValueError, match="3 seeds"):
        vec.reset(seed=[1, 2])
    with pytest.raises(TypeError, match="seeds are integers or None"):  # 1.5 was taken as 1, True as 1
        vec.reset(seed=[1.5, 2, 3])
    with pytest.raises(TypeError, match="seeds are integers or None"):
        vec.reset(seed=[True, 2, 3])
    with pytest.raises(TypeError, match="seed is an integer, a sequence of 3 integers or None"):
        vec.reset(seed=2.0)
    vec.reset(seed=np.array([4, 5, 6]))
    assert [env.np_random_seed for env in vec.envs] == [4, 5, 6]
    vec.close()
    with pytest.raises(RuntimeError, match="closed"):
        vec.step(np.zeros(3, dtype=np.int64))


def test_a_worker_failure_is_reported_with_its_traceback():
    with SheetVectorEnv(CONFIG, num_envs=2, mode="async", num_workers=2) as vec:
        vec.reset(seed=0)
        with pytest.raises(RuntimeError, match="worker failed"):
            vec.set_state({"envs": [{"broken": True}] * 2, "returns": [0, 0], "lengths": [0, 0],
                           "terms": [{}, {}], "curriculum": None})


def test_without_autoreset_an_ended_env_waits_for_a_masked_reset_while_the_others_play_on():
    with SheetVectorEnv(CONFIG, num_envs=2, autoreset=False) as vec:
        assert vec.metadata["autoreset_mode"] == AutoresetMode.DISABLED
        vec.reset(seed=[5, 6])
        actions = np.array([MACRO_INDEX["done"], MACRO_INDEX["move_down"]])  # "done" ends env 0's episode
        obs, rewards, terminated, _, infos = vec.step(actions)
        assert terminated.tolist() == [True, False] and infos["_final_obs"].tolist() == [True, False]
        np.testing.assert_array_equal(infos["final_obs"][0]["flat"], obs["flat"][0])  # no new episode began
        waiting = obs["flat"][0].copy()
        obs, rewards, terminated, _, _ = vec.step(actions)
        assert rewards[0] == 0.0 and not terminated[0] and len(vec.drain()) == 1
        np.testing.assert_array_equal(obs["flat"][0], waiting)
        obs, infos = vec.reset(seed=[7, None], options={"reset_mask": np.array([True, False]), "task_seed": 3})
        assert infos["_task_seed"].tolist() == [True, False] and infos["task_seed"][0] == 3
        assert vec.envs[0].task is not None and vec.envs[0].task.seed == 3
        vec.step(np.array([MACRO_INDEX["move_down"]] * 2))
        assert [state["steps"] for state in vec.get_state()["envs"]] == [1, 3]
        with pytest.raises(ValueError, match="reset_mask"):
            vec.reset(options={"reset_mask": [True]})


@pytest.mark.parametrize("legacy", [False, True])
def test_without_autoreset_a_snapshot_keeps_an_ended_env_waiting(legacy):
    """get_state did not record which environments had ended: a restored vector env stepped them again and
    raised RuntimeError (the episode is over) where the original played on. Snapshots written before it was
    recorded are read from the environments' own state."""
    with SheetVectorEnv(CONFIG, num_envs=2, autoreset=False) as vec:
        vec.reset(seed=[5, 6])
        vec.step(np.array([MACRO_INDEX["done"], MACRO_INDEX["move_down"]]))  # env 0's episode ends
        snapshot = vec.get_state()
        assert snapshot["running"] == [False, True]
        if legacy:
            del snapshot["running"]
        actions = np.array([MACRO_INDEX["move_down"]] * 2)
        expected = vec.step(actions)
        with SheetVectorEnv(CONFIG, num_envs=2, autoreset=False) as fresh:
            fresh.reset(seed=[8, 9])
            fresh.set_state(snapshot)
            restored = fresh.step(actions)
            assert restored[1].tolist() == expected[1].tolist() and restored[1][0] == 0.0
            assert restored[2].tolist() == expected[2].tolist() == [False, False]
