"""Interop: sb3-contrib's MaskablePPO trains on the environment through FlatMaskedEnv."""

import numpy as np
import pytest

from sheetrl.env.wrappers import FlatMaskedEnv


def test_flat_masked_env_exposes_flat_observations_and_masks():
    env = FlatMaskedEnv(level=2)
    obs, _ = env.reset(seed=0)
    assert obs.shape == (768,) and env.observation_space.contains(obs)
    mask = env.action_masks()
    assert mask.dtype == bool and mask.any()
    obs, reward, *_ = env.step(int(np.flatnonzero(mask)[0]))
    assert obs.shape == (768,) and np.isfinite(reward)


def test_an_environment_without_the_flat_observation_is_refused_by_name():
    """It raised a bare KeyError: 'flat'."""
    with pytest.raises(ValueError, match="add 'flat' to its observation_keys"):
        FlatMaskedEnv(level=1, observation_keys=("action_mask",))
    env = FlatMaskedEnv(level=1, observation_keys=("flat", "action_mask"))
    assert env.reset(seed=0)[0].shape == (768,)


def test_maskable_ppo_trains_a_few_hundred_steps_and_only_picks_legal_actions():
    sb3_contrib = pytest.importorskip("sb3_contrib")
    from sb3_contrib.common.maskable.utils import get_action_masks

    env = FlatMaskedEnv(level=1)
    model = sb3_contrib.MaskablePPO("MlpPolicy", env, n_steps=64, batch_size=32, n_epochs=2, seed=0, verbose=0,
                                    device="cpu")
    model.learn(total_timesteps=320)
    obs, _ = env.reset(seed=1)
    for _ in range(50):
        masks = get_action_masks(env)
        action, _ = model.predict(obs, action_masks=masks)
        assert masks[int(action)]
        obs, _, terminated, truncated, _ = env.step(int(action))
        if terminated or truncated:
            obs, _ = env.reset()
