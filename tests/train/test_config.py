"""TrainConfig: presets, overrides and one-line validation errors."""

from __future__ import annotations

import re

import pytest

from sheetrl.train.config import ConfigError, TrainConfig, coerce, field_help, parse_level, parse_overrides
from tests.train import fake_agent


def test_defaults_validate_with_the_quick_preset_of_the_algorithm() -> None:
    config = TrainConfig(algo="fake").validate()
    assert config.agent_config() == fake_agent.PRESETS["quick"]
    assert TrainConfig(algo="fake", preset="seed").agent_config().num_envs == 4


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"algo": "sarsa"}, "algo must be one of tabular_q, dqn, ppo"),
        ({"level": 6}, "level must be 1-5 or 'curriculum', not 6"),
        ({"level": "2"}, "level must be 1-5 or 'curriculum', not '2'"),
        ({"level": True}, "level must be 1-5"),
        ({"preset": "huge"}, "preset must be one of quick, seed for fake, not 'huge'"),
        ({"seed": -1}, "seed must be an integer between 0 and 4294967295, not -1"),
        ({"seed": 2**32}, "seed must be an integer between 0 and 4294967295, not 4294967296"),
        ({"total_steps": 0}, "total_steps must be an integer >= 1, not 0"),
        ({"precision": "fp8"}, "precision must be one of fp32, bf16, fp16, not 'fp8'"),
        ({"accumulation_steps": 0}, "accumulation_steps must be an integer >= 1, not 0"),
        ({"checkpoint_every": 0}, "checkpoint_every must be an integer >= 1, not 0"),
        ({"checkpoint_interval": -1}, "checkpoint_interval must be a number of seconds >= 0, not -1"),
        ({"eval_episodes": -5}, "eval_episodes must be an integer >= 0, not -5"),
        ({"wandb": "cloud"}, "wandb must be one of offline, online, disabled, not 'cloud'"),
        ({"max_steps": 0}, "max_steps must be an integer >= 1, not 0"),
        ({"overrides": {"gamma": 0.9}}, "fake has no hyper-parameter 'gamma'; it has num_envs"),
        ({"overrides": {"learning_rate": "fast"}}, "hyper-parameter learning_rate='fast' is not a valid float"),
        ({"overrides": {"num_envs": 0}}, "fake config needs a positive integer num_envs, not 0"),
        # sizes without bound hung while memory grew, or crashed torch (the review of `sheetrl train`)
        ({"threads": 5000}, "threads must be at most 256, not 5,000"),
        ({"threads": 100_000}, "threads must be at most 256, not 100,000"),
        ({"total_steps": 10**13}, "total_steps must be at most 1,000,000,000,000, not 10,000,000,000,000"),
        ({"max_steps": 10**7}, "max_steps must be at most 1,000,000"),
        ({"eval_episodes": 10**7}, "eval_episodes must be at most 1,000,000"),
        ({"accumulation_steps": 10**6}, "accumulation_steps must be at most 10,000"),
        ({"log_every": 10**30}, "log_every must be at most 1,000,000,000,000, not 1e+30"),
        ({"overrides": {"num_envs": "1e30"}}, "fake: num_envs must be at most 4,096, not 1e+30"),
        ({"overrides": {"num_envs": 5000}}, "fake: num_envs must be at most 4,096, not 5,000"),
        ({"overrides": {"steps_per_iteration": 10**13}}, "fake: steps_per_iteration must be at most 1,000,000,000,000"),
        ({"overrides": {"num_envs": 2.5}}, "hyper-parameter num_envs=2.5 is not a valid int"),
        ({"run_dir": ""}, "run_dir must name a folder, not ''"),
        ({"run_dir": "  "}, "run_dir must name a folder, not '  '"),
    ],
)
def test_invalid_settings_raise_one_line_errors_naming_the_field(changes: dict, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        TrainConfig(**{"algo": "fake", **changes}).validate()
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_an_algorithm_whose_module_is_missing_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    from sheetrl.agents import ALGORITHMS

    monkeypatch.setitem(ALGORITHMS, "ghost", "sheetrl.agents.ghost")
    with pytest.raises(ConfigError, match=r"algorithm 'ghost' is not available .*sheetrl.agents.ghost"):
        TrainConfig(algo="ghost").validate()


def test_overrides_from_the_command_line_are_coerced_to_the_field_types() -> None:
    overrides = parse_overrides(["learning_rate=1e-3", "num_envs=3", "greedy=true", "momentum = 0.5"])
    agent_config = TrainConfig(algo="fake", overrides=overrides).agent_config()
    assert agent_config.learning_rate == 0.001
    assert agent_config.num_envs == 3 and isinstance(agent_config.num_envs, int)
    assert agent_config.greedy is True
    assert agent_config.momentum == 0.5
    assert coerce("x", "none", int | None) is None
    assert coerce("x", "7", int | None) == 7
    with pytest.raises(ConfigError, match="must look like name=value"):
        parse_overrides(["learning_rate"])
    with pytest.raises(ConfigError, match=re.escape("num_envs='2.5' is not a valid int")):
        coerce("num_envs", "2.5", int)


def test_total_steps_default_comes_from_the_preset() -> None:
    assert TrainConfig(algo="fake").resolved_total_steps() == 50_000
    assert TrainConfig(algo="fake", preset="seed").resolved_total_steps() == 1_000_000
    assert TrainConfig(algo="fake", total_steps=77).resolved_total_steps() == 77


def test_levels_parse_from_text() -> None:
    assert parse_level("3") == 3
    assert parse_level("curriculum") == "curriculum"
    for bad in ("0", "six", "1.5", ""):
        with pytest.raises(ConfigError, match="level must be 1-5 or 'curriculum'"):
            parse_level(bad)


def test_config_round_trips_through_a_dict_and_rejects_unknown_keys() -> None:
    config = TrainConfig(algo="fake", level="curriculum", overrides={"num_envs": 2})
    assert TrainConfig.from_dict(config.to_dict()) == config
    with pytest.raises(ConfigError, match="unknown training config field\\(s\\): epochs"):
        TrainConfig.from_dict({**config.to_dict(), "epochs": 3})


def test_every_field_has_a_one_line_help_with_its_default() -> None:
    import dataclasses

    for field in dataclasses.fields(TrainConfig):
        text = field_help(field.name)
        assert text and "\n" not in text
    assert field_help("checkpoint_every").endswith("Default: 100.")
    assert field_help("run_dir").startswith("Run folder (default: runs/{level}__{algo}__{seed}__{time})")


def test_network_widths_are_set_from_the_command_line_as_comma_separated_integers() -> None:
    assert coerce("hidden_sizes", "256,256", tuple[int, ...]) == (256, 256)
    assert coerce("hidden_sizes", "(64, 32, 16)", tuple[int, ...]) == (64, 32, 16)
    assert coerce("hidden_sizes", "128", tuple[int, ...]) == (128,)
    with pytest.raises(ConfigError, match=re.escape("hidden_sizes='2.5' is not a valid int")):
        coerce("hidden_sizes", "256,2.5", tuple[int, ...])
    with pytest.raises(ConfigError, match="comma-separated"):
        coerce("hidden_sizes", "256,,256", tuple[int, ...])


@pytest.mark.parametrize("override", [{"entropy_coef": "nan"}, {"value_coef": "inf"}, {"max_grad_norm": float("nan")},
                                      {"value_clip_coef": "-inf"}, {"target_kl": "nan"}])
def test_a_hyper_parameter_that_is_not_a_finite_number_is_refused(override: dict[str, object]) -> None:
    """NaN or infinity would train a network of NaN and finish as if all were well."""
    name = next(iter(override))
    with pytest.raises(ConfigError, match=f"ppo: {name} must be a finite number"):
        TrainConfig(algo="ppo", level=1, overrides=override).validate()


@pytest.mark.parametrize(
    ("algo", "overrides", "message"),
    [
        ("ppo", {"num_steps": "1e9"}, "ppo: num_steps must be at most 65,536, not 1,000,000,000"),
        ("ppo", {"hidden_sizes": "64,1e30"}, "ppo: every entry of hidden_sizes must be at most 8,192, not 1e+30"),
        ("ppo", {"hidden_sizes": ",".join(["8"] * 65)}, "ppo: hidden_sizes may have at most 64 entries, not 65"),
        ("ppo", {"num_envs": 4096, "num_steps": 4096, "num_minibatches": 1},
         "ppo: a rollout of num_envs x num_steps = 4,096 x 4,096 transitions is more than 1,048,576"),
        ("ppo", {"update_epochs": "1e12"}, "ppo: update_epochs must be at most 10,000"),
        ("dqn", {"buffer_size": "1e9"}, "dqn: buffer_size must be at most 10,000,000"),
        ("dqn", {"batch_size": 10**6}, "dqn: batch_size must be at most 65,536"),
        ("alphazero", {"replay_size": "1e9"}, "alphazero: replay_size must be at most 10,000,000"),
        ("alphazero", {"simulations": "1e7"}, "alphazero: simulations must be at most 100,000"),
        ("bc", {"demo_episodes": "1e7"}, "bc: demo_episodes must be at most 1,000,000"),
        ("bc", {"max_dataset": "1e12"}, "bc: max_dataset must be at most 10,000,000"),
        ("hierarchical", {"meta_hidden_sizes": "1e5"},
         "hierarchical: every entry of meta_hidden_sizes must be at most"),
        ("tabular_q", {"exploration_steps": "1e30"},
         "tabular_q: exploration_steps must be at most 1,000,000,000,000"),
    ],
)
def test_size_like_hyper_parameters_have_an_upper_bound_naming_the_field(algo: str, overrides: dict,
                                                                          message: str) -> None:
    """The review: --set num_envs=1e30 hung while memory grew; huge buffers and widths died in the allocator."""
    with pytest.raises(ConfigError) as caught:
        TrainConfig(algo=algo, overrides=overrides).validate()
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_the_largest_sizes_allowed_still_validate() -> None:
    TrainConfig(algo="ppo", threads=256, overrides={"num_envs": 4096, "num_steps": 256, "hidden_sizes": "8192"},
                max_steps=1_000_000, eval_episodes=1_000_000, total_steps=10**12).validate()
