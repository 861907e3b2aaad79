"""`sheetrl tune`: sweep files are checked up front, a trial reports held-out success at every rung and resumes
exactly from a reported checkpoint, and (with a local Ray) a 2-trial ASHA sweep writes its table and best config and
can be resumed."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import torch

from sheetrl.agents import ppo
from sheetrl.cli import main
from sheetrl.train.checkpoint import CHECKPOINT_FILE, load_checkpoint
from sheetrl.train.config import ConfigError, TrainError
from sheetrl.train.sweep import (
    BEST_FILE,
    DIVERGED_KEY,
    METRIC,
    RESULTS_CSV,
    SETTINGS_KEY,
    TRAIN_KEY,
    TRIAL_ERROR_KEY,
    Sweep,
    TuneSettings,
    _finish,
    default_point,
    read_sweep,
    train_trial,
    trial_failure,
    trial_status,
)

TINY = {"num_envs": 4, "num_steps": 16, "num_minibatches": 2, "update_epochs": 2, "hidden_sizes": [32, 32]}
RUNG = {"report_every": 64}  # (the default rung is longer than TRAIN's 128 steps)
TRAIN = {"algo": "ppo", "level": 1, "seed": 4, "total_steps": 128, "wandb": "disabled", "tensorboard": False,
         "overrides": TINY}
SWEEP_TOML = """
[train]
algo = "ppo"
level = 1
seed = 4
total_steps = 128
wandb = "disabled"
tensorboard = false
overrides = { num_envs = 4, num_steps = 16, update_epochs = 2, hidden_sizes = [32, 32] }

[search]
learning_rate = { loguniform = [1e-4, 3e-3] }
num_minibatches = { choice = [2, 4] }

[tune]
trials = 2
concurrent = 2
report_every = 64
eval_episodes = 4
seed = 7
"""


def test_a_sweep_file_is_read_with_its_defaults(tmp_path: Path) -> None:
    path = tmp_path / "sweep.toml"
    path.write_text(SWEEP_TOML)
    sweep = read_sweep(path)
    assert sweep.search == {"learning_rate": {"loguniform": [1e-4, 3e-3]}, "num_minibatches": {"choice": [2, 4]}}
    assert sweep.settings == TuneSettings(trials=2, concurrent=2, report_every=64, eval_episodes=4, seed=7)
    assert sweep.base_config().resolved_total_steps() == 128
    quick = ppo.PRESETS["quick"]
    assert default_point(sweep) == {"learning_rate": quick.learning_rate,  # the quick preset's values
                                    "num_minibatches": quick.num_minibatches}


@pytest.mark.parametrize("document, message", [
    ({"train": TRAIN, "search": {}}, "\\[search\\] must name at least one hyper-parameter"),
    ({"train": TRAIN, "search": {"learning_rate": {"normal": [0, 1]}}}, "unknown distribution 'normal'"),
    ({"train": TRAIN, "search": {"learning_rate": {"uniform": [1, 0]}}}, "needs low < high, not 1 >= 0"),
    ({"train": TRAIN, "search": {"learning_rate": {"loguniform": [0, 1]}}}, "loguniform needs positive bounds"),
    ({"train": TRAIN, "search": {"num_steps": {"randint": [1.5, 4]}}}, "randint takes integer bounds"),
    ({"train": TRAIN, "search": {"lr": {"uniform": [0, 1]}}}, "\\[search\\] lr: ppo has no such hyper-parameter"),
    ({"train": TRAIN, "search": {"learning_rate": 0.1}}, "\\[search\\] learning_rate must be one distribution"),
    ({"train": {**TRAIN, "run_dir": "x"}, "search": {"learning_rate": {"uniform": [0, 1]}}},
     "\\[train\\] run_dir is chosen by the sweep"),
    ({"train": {**TRAIN, "algo": "sarsa"}, "search": {"learning_rate": {"uniform": [0, 1]}}}, "algo must be one of"),
    ({"train": TRAIN, "search": {"learning_rate": {"uniform": [0.1, 1]}}, "tune": {"report_every": 1000}},
     "report_every \\(1000\\) exceeds the trials' total_steps \\(128\\)"),
    ({"train": TRAIN, "search": {"learning_rate": {"uniform": [0.1, 1]}}, "tune": {"trails": 3}},
     "^\\[tune\\] trails: no such setting; did you mean trials\\?$"),
    # the review: an unknown [train] key was Python's "TrainConfig.__init__() got an unexpected keyword argument"
    ({"train": {**TRAIN, "total_stepz": 64}, "search": {"learning_rate": {"uniform": [0.1, 1]}}},
     "^\\[train\\] total_stepz: no such setting; did you mean total_steps\\?$"),
    ({"train": {**TRAIN, "colour": 1}, "search": {"learning_rate": {"uniform": [0.1, 1]}}},
     "^\\[train\\] colour: no such setting; the settings are algo, level, "),
    ({"train": TRAIN, "search": {"learning_rate": {"uniform": [0.1, 1]}}, "tune": {"reduction_factor": 1}},
     "reduction_factor must be at least 2"),
    ({"train": TRAIN, "search": {"learning_rate": {"uniform": [0.1, 1]}}, "sweep": {}}, "unknown sweep table"),
    # the review: a table that is not a table was an internal error
    ({"train": 3, "search": {"learning_rate": {"uniform": [0.1, 1]}}},
     "\\[train\\] must be a table of settings, not 3"),
    ({"train": TRAIN, "search": "learning_rate"}, "\\[search\\] must be a table of settings, not 'learning_rate'"),
    ({"train": TRAIN, "search": {"learning_rate": {"uniform": [0.1, 1]}}, "tune": [1]},
     "\\[tune\\] must be a table of settings, not \\[1\\]"),
    ({"train": TRAIN, "search": {"learning_rate": {"uniform": [0.1, 1]}}, "tune": {"trials": 10**9}},
     "\\[tune\\] trials must be at most 100,000"),
    ({"train": TRAIN, "search": {"learning_rate": {"uniform": [0.1, 1]}}, "tune": {"seed": -1}},
     "\\[tune\\] seed must be an integer between 0 and 4294967295"),
    # the review: values a trial's config refuses are refused before Ray starts, naming the hyper-parameter
    ({"train": TRAIN, "search": {"learning_rate": {"uniform": [-1, -0.5]}}, "tune": RUNG},
     "\\[search\\] learning_rate = -1 \\(low end of uniform \\[-1, -0.5\\]\\) is refused: .*learning_rate must be "
     "a finite positive number"),
    ({"train": TRAIN, "search": {"learning_rate": {"loguniform": [1e-4, float("inf")]}}, "tune": RUNG},
     "\\[search\\] learning_rate: loguniform takes finite bounds, not \\[0.0001, inf\\]"),
    ({"train": TRAIN, "search": {"gamma": {"loguniform": [0.9, 1e300]}}, "tune": RUNG},
     "\\[search\\] gamma = 9.487e\\+149 \\(middle of loguniform \\[0.9, 1e\\+300\\]\\) is refused: .*gamma"),
    ({"train": TRAIN, "search": {"num_minibatches": {"choice": [2, 3]}}, "tune": RUNG},
     "\\[search\\] num_minibatches = 3 \\(choice 3 of choice \\[2, 3\\]\\) is refused: .*does not split"),
    ({"train": TRAIN, "search": {"num_envs": {"randint": [1, 10**12]}}, "tune": RUNG},
     "\\[search\\] num_envs = 500000000000 \\(middle of randint .*ppo: num_envs must be at most 4,096"),
    ({"train": TRAIN, "search": {"num_steps": {"choice": [16, 18]}, "num_minibatches": {"choice": [2, 16]}},
      "tune": RUNG},
     "\\[search\\] num_steps = 18 \\(choice 18 of .*\\) with num_minibatches = 16 \\(choice 16 of .*\\) is refused"),
    ({"train": TRAIN, "search": {"num_steps": {"uniform": [8, 32]}}, "tune": RUNG},
     "\\[search\\] num_steps is a whole number: sample it with randint or choice, not uniform"),
    ({"train": TRAIN, "search": {"kl_coef": {"uniform": [0.01, 0.1]}}, "tune": RUNG},
     "\\[search\\] kl_coef = 0.01 .* is refused: ppo: kl_coef keeps the policy near the one --init-from"),
])
def test_a_bad_sweep_is_one_clear_error(document: dict[str, Any], message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        Sweep.from_dict(document)


def test_a_search_space_is_checked_at_its_ends_not_beyond_them() -> None:
    """Tune samples [low, high): a bound that only ``high`` itself breaks is no reason to refuse the sweep."""
    sweep = Sweep.from_dict({"train": {**TRAIN, "algo": "bc", "overrides": {"num_envs": 2}},
                             "search": {"word_dropout": {"uniform": [0.0, 1.0]}}, "tune": RUNG})  # (word_dropout < 1)
    assert sweep.search == {"word_dropout": {"uniform": [0.0, 1.0]}}


def test_a_bad_sweep_file_is_one_line_from_the_command_line(tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "sweep.toml"
    path.write_text("train = 3\n")
    assert main(["tune", str(path)]) == 2
    err = capsys.readouterr().err
    assert err == "error: [train] must be a table of settings, not 3 (write it as a [train] section)\n"
    path.write_text(SWEEP_TOML.replace("{ loguniform = [1e-4, 3e-3] }", "{ uniform = [-1, -0.5] }"))
    assert main(["tune", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: [search] learning_rate = -1 (low end of uniform")
    assert not (tmp_path / "out").exists()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
def test_a_sweep_file_that_is_a_named_pipe_is_refused_not_waited_on(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    pipe = tmp_path / "sweep.toml"
    os.mkfifo(pipe)
    assert main(["tune", str(pipe)]) == 2  # (reading it would wait for a writer forever)
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is not a regular file (it is a named pipe)" in err
    (tmp_path / "latin1.toml").write_bytes(b"[train]\nalgo = \"\xe9\"\n")
    with pytest.raises(ConfigError, match="is not a valid sweep file: it is not UTF-8 text"):
        read_sweep(tmp_path / "latin1.toml")


class FakeResult:
    """What :func:`_finish` reads of a Ray Tune result."""

    def __init__(self, path: Path, config: dict[str, Any], metrics: dict[str, Any],
                 error: Exception | None = None) -> None:
        self.path, self.config, self.metrics, self.error = str(path), config, metrics, error


def test_a_trial_that_fails_ends_the_sweep_with_one_line_naming_its_settings(tmp_path: Path, console) -> None:
    """The review: a sampled value a trial's config refused printed Ray tracebacks and `tune` exited 0."""
    sweep = read_sweep_text(tmp_path, SWEEP_TOML)
    good = FakeResult(tmp_path / "trial_a", {"learning_rate": 1e-3, "num_minibatches": 2},
                      {METRIC: 0.5, "env_steps": 128, "done": True})
    refused = FakeResult(tmp_path / "trial_b", {"learning_rate": -0.5, "num_minibatches": 4},
                         {METRIC: float("nan"), "env_steps": 0, "done": True,
                          TRIAL_ERROR_KEY: "ppo: learning_rate must be a finite positive number, not -0.5"})
    crashed = FakeResult(tmp_path / "trial_c", {"learning_rate": 2e-3, "num_minibatches": 2}, {},
                         error=RuntimeError("Traceback (most recent call last):\n  File ...\nboom"))
    with pytest.raises(TrainError) as caught:
        _finish([good, refused, crashed], False, sweep, tmp_path, console)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith("2 of 3 trials failed, e.g. trial_b (learning_rate=-0.5, num_minibatches=4): ppo: "
                              "learning_rate must be a finite positive number, not -0.5;")
    assert f"{tmp_path / BEST_FILE} is the best of the 1 others" in message
    rows = list(csv.DictReader((tmp_path / RESULTS_CSV).open()))
    assert [(row["trial"], row["status"]) for row in rows] == [("trial_a", "finished"), ("trial_b", "error"),
                                                               ("trial_c", "error")]
    assert json.loads((tmp_path / BEST_FILE).read_text())["trial"] == "trial_a"
    assert trial_failure(crashed) == "RuntimeError: Traceback (most recent call last): File ... boom"


def read_sweep_text(folder: Path, text: str) -> Sweep:
    path = folder / "sweep.toml"
    path.write_text(text)
    return read_sweep(path)


def test_the_tune_command_needs_a_sweep_file_or_resume(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["tune"]) == 2
    assert "give a sweep file to start a sweep, or --resume SWEEP_DIR" in capsys.readouterr().err
    missing = tmp_path / "nope.toml"
    assert main(["tune", str(missing)]) == 2
    assert f"cannot read sweep file {missing}" in capsys.readouterr().err


def test_a_sweep_folder_that_is_a_file_is_one_line(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The review: `--out` naming a file gave "[Errno 17] File exists"."""
    path = tmp_path / "sweep.toml"
    path.write_text(SWEEP_TOML)
    for out, message in ((path, "it is a file, not a folder"), (path / "sub", f"{path} is a file, not a folder")):
        assert main(["tune", str(path), "--out", str(out)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and f"cannot use {out} as the sweep folder: {message}" in err, err
        assert "Errno" not in err
    assert path.read_text() == SWEEP_TOML


def _trial_config(learning_rate: float) -> dict[str, Any]:
    settings = TuneSettings(report_every=64, eval_episodes=4)
    return {TRAIN_KEY: TRAIN, SETTINGS_KEY: settings.__dict__, "learning_rate": learning_rate}


class Stop(Exception):
    pass


def test_a_trial_reports_every_rung_and_resumes_exactly_from_a_reported_checkpoint(tmp_path: Path) -> None:
    reports: list[dict[str, Any]] = []
    train_trial(_trial_config(1e-3), tmp_path / "straight", None, lambda metrics, run_dir: reports.append(metrics))
    assert [report["env_steps"] for report in reports] == [64, 128]
    assert all(0.0 <= report["heldout_success"] <= 1.0 for report in reports)

    saved = tmp_path / "reported"

    def stop_after_the_first_report(metrics: dict[str, Any], run_dir: Path) -> None:
        saved.mkdir()
        shutil.copy2(run_dir / CHECKPOINT_FILE, saved / CHECKPOINT_FILE)
        raise Stop

    with pytest.raises(Stop):
        train_trial(_trial_config(1e-3), tmp_path / "interrupted", None, stop_after_the_first_report)
    resumed: list[dict[str, Any]] = []
    train_trial(_trial_config(1e-3), tmp_path / "interrupted", saved, lambda metrics, run_dir: resumed.append(metrics))
    assert resumed == reports[1:]
    straight = load_checkpoint(tmp_path / "straight" / "run" / CHECKPOINT_FILE)["agent"]["state"]["network"]
    again = load_checkpoint(tmp_path / "interrupted" / "run" / CHECKPOINT_FILE)["agent"]["state"]["network"]
    assert all(torch.equal(straight[name], again[name]) for name in straight)


def test_a_trial_whose_network_diverges_reports_the_worst_success_and_ends_without_failing_the_sweep(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    train_iteration = ppo.PPOAgent.train_iteration

    def diverging_after_the_first_rung(self: ppo.PPOAgent, pool: Any) -> tuple[int, dict[str, float]]:
        result = train_iteration(self, pool)
        if self.env_steps > 64:
            with torch.no_grad():
                next(self.network.parameters()).fill_(float("nan"))
        return result

    monkeypatch.setattr(ppo.PPOAgent, "train_iteration", diverging_after_the_first_rung)
    reports: list[dict[str, Any]] = []
    train_trial(_trial_config(1e-3), tmp_path, None, lambda metrics, run_dir: reports.append(metrics))
    assert [report["env_steps"] for report in reports] == [64, 128]
    assert reports[-1][METRIC] == 0.0 and "training diverged by step 128" in reports[-1][DIVERGED_KEY]
    assert load_checkpoint(tmp_path / "run" / CHECKPOINT_FILE)["counters"]["env_steps"] == 64  # the finite one
    ended = FakeResult(tmp_path, {}, {**reports[-1], "done": True})
    assert trial_failure(ended) is None and trial_status(ended, 128) == "diverged"


@pytest.mark.slow
def test_a_two_trial_sweep_writes_its_table_and_best_config_and_resumes(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    ray = pytest.importorskip("ray")
    path = tmp_path / "sweep.toml"
    path.write_text(SWEEP_TOML)
    out = tmp_path / "sweeps" / "tiny"
    try:
        assert main(["tune", str(path), "--out", str(out)]) == 0, capsys.readouterr().err
        rows = list(csv.DictReader((out / RESULTS_CSV).open()))
        assert len(rows) == 2
        assert {row["status"] for row in rows} <= {"finished", "stopped by ASHA"}
        assert any(row["status"] == "finished" and int(row["env_steps"]) >= 128 for row in rows)
        # The first trial runs the preset's values; the second samples from the search space.
        quick = ppo.PRESETS["quick"]
        assert {(float(row["learning_rate"]), int(row["num_minibatches"])) for row in rows} >= \
            {(quick.learning_rate, quick.num_minibatches)}
        successes = [float(row["heldout_success"]) for row in rows]
        assert successes == sorted(successes, reverse=True)
        best = json.loads((out / BEST_FILE).read_text())
        assert best["heldout_success"] == successes[0] and best["trial"] == rows[0]["trial"]
        assert best["train"]["overrides"]["learning_rate"] == float(rows[0]["learning_rate"])
        assert best["command"].startswith("sheetrl train --algo ppo --level 1 --preset quick --total-steps 128 ")
        output = capsys.readouterr().out
        assert "sweep results (best first)" in output
        # Each trial ran in its folder in the sweep folder, not in the staging copy Tune keeps syncing into it.
        trial_folders = sorted(folder for folder in out.iterdir() if (folder / "result.json").exists())
        assert len(trial_folders) == 2 and all((folder / "run" / CHECKPOINT_FILE).exists() for folder in trial_folders)
        staging = Path(ray._private.worker._global_node.get_session_dir_path()) / "artifacts"
        assert list(staging.glob(f"*/{out.name}/driver_artifacts/*/result.json"))  # (where Tune stages them)
        assert not list(staging.glob(f"*/{out.name}/driver_artifacts/*/run")), "a trial ran in Tune's staging copy"

        assert main(["tune", "--resume", str(out)]) == 0, capsys.readouterr().err  # nothing left: same results
        assert list(csv.DictReader((out / RESULTS_CSV).open())) == rows
        assert main(["tune", str(path), "--out", str(out)]) == 2
        assert "already holds a sweep; continue it with `sheetrl tune --resume" in capsys.readouterr().err
    finally:
        ray.shutdown()


RAY_SYNC_RACE = re.compile(
    r"--- Logging error ---\n(?:(?!--- Logging error ---).)*?\nMessage: ['\"]Saving experiment state to storage"
    r".*?\nArguments: [^\n]*\n"
    r"|^[^\n]*Saving experiment state to storage at [^\n]* failed with exception[^\n]*\n", re.S | re.M)


def without_ray_sync_race(err: str) -> str:
    """``err`` without what Ray Tune's own end-of-sweep sync prints when it misses the state file Tune renames while
    syncing (a race in Ray, ray-project/ray#51020): its ERROR line, or, where the test's capture has closed the
    stream Ray's handler writes to, Python's "--- Logging error ---" report of that line. Nothing else is removed."""
    return RAY_SYNC_RACE.sub("", err)


def test_only_ray_tunes_sync_race_report_is_taken_out_of_stderr() -> None:
    report = ("--- Logging error ---\nTraceback (most recent call last):\n  File \"x.py\", line 1, in f\n"
              "FileNotFoundError: [Errno 2] Failed to open local file\nCall stack:\n  File \"y.py\"\n"
              "Message: \"Saving experiment state to storage at '/tmp/out' failed with exception: [Errno 2]\"\n"
              "Arguments: None\n")
    line = "2026-12-04 20:32:51,000\tERROR experiment_state.py:176 -- Saving experiment state to storage at " \
           "'/tmp/out' failed with exception: [Errno 2] Failed to open local file\n"
    ours = "error: 1 of 2 trials failed\n"
    assert without_ray_sync_race(report + ours) == ours
    assert without_ray_sync_race(line + ours) == ours
    other = report.replace("Saving experiment state to storage", "Something else went wrong")
    assert without_ray_sync_race(other + ours) == other + ours  # any other traceback stays, and fails the test
    assert without_ray_sync_race("Traceback (most recent call last):\n" + ours).startswith("Traceback")


@pytest.mark.slow
def test_a_trial_that_fails_in_ray_is_one_line_and_exit_status_2(
        tmp_path: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """What the checks before the sweep cannot foresee: the failed trial is not retried, no traceback reaches the
    terminal, and `tune` ends with one line and exit status 2."""
    ray = pytest.importorskip("ray")
    import sheetrl.train.sweep as sweep_module

    monkeypatch.setattr(sweep_module, "check_search_space", lambda sweep: None)
    path = tmp_path / "sweep.toml"
    path.write_text(SWEEP_TOML.replace("{ loguniform = [1e-4, 3e-3] }", "{ uniform = [-1, -0.5] }")
                    .replace("num_minibatches = { choice = [2, 4] }", ""))
    out = tmp_path / "out"
    try:
        assert main(["tune", str(path), "--out", str(out)]) == 2
    finally:
        ray.shutdown()
    err = without_ray_sync_race(capfd.readouterr().err)
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("error: 1 of 2 trials failed, e.g. _tune_trial_")
    assert "(learning_rate=-0." in err and "learning_rate must be a finite positive number" in err
    rows = list(csv.DictReader((out / RESULTS_CSV).open()))
    assert sorted(row["status"] for row in rows) == ["error", "finished"]


def test_an_interrupted_sweep_keeps_its_table_writes_no_best_config_and_says_how_to_resume(
        tmp_path: Path, console) -> None:
    """The review: Ctrl-C marked the trials it interrupted "stopped by ASHA", and `tune --resume` interrupted wrote
    best_config.json as if the sweep had finished."""
    from sheetrl.train.runner import TrainingInterrupted

    sweep = read_sweep_text(tmp_path, SWEEP_TOML.replace("trials = 2", "trials = 4"))
    (tmp_path / BEST_FILE).write_text("{}")  # what a sweep stopped this way wrote before
    finished = FakeResult(tmp_path / "trial_a", {"learning_rate": 1e-3, "num_minibatches": 2},
                          {METRIC: 0.5, "env_steps": 128, "done": True})
    stopped_early = FakeResult(tmp_path / "trial_b", {"learning_rate": 2e-3, "num_minibatches": 2},
                               {METRIC: 0.0, "env_steps": 64, "done": True})
    running = FakeResult(tmp_path / "trial_c", {"learning_rate": 3e-3, "num_minibatches": 4},
                         {METRIC: 0.75, "env_steps": 64, "done": False})
    with pytest.raises(TrainingInterrupted) as caught:
        _finish([finished, stopped_early, running], True, sweep, tmp_path, console)
    assert str(caught.value) == (
        f"interrupted: 2 of 4 trials ended, 1 stopped mid-way (each continues from its last reported checkpoint); "
        f"results so far in {tmp_path / RESULTS_CSV}, no best config yet; continue with: sheetrl tune --resume "
        f"{tmp_path}")
    rows = list(csv.DictReader((tmp_path / RESULTS_CSV).open()))
    assert [(row["trial"], row["status"]) for row in rows] == [
        ("trial_c", "interrupted"), ("trial_a", "finished"), ("trial_b", "stopped by ASHA")]
    assert not (tmp_path / BEST_FILE).exists()
    with pytest.raises(TrainError, match=r"^the sweep stopped before its trials ended: 3 of 4 trials ended;"):
        _finish([finished, stopped_early, stopped_early], False, sweep, tmp_path, console)  # (one never created)
    assert not (tmp_path / BEST_FILE).exists()


class FakeTuner:
    """Does to SIGINT what Ray Tune's fit does: keeps the handler it finds, installs its own, which stops the sweep
    gracefully and puts the one it found back; ``interrupts`` Ctrl-C arrive during the sweep."""

    def __init__(self, interrupts: int) -> None:
        self.interrupts = interrupts

    def fit(self) -> str:
        import os
        import signal

        found = signal.getsignal(signal.SIGINT)

        def graceful_stop(signum: int, frame: object) -> None:
            signal.signal(signal.SIGINT, found)

        signal.signal(signal.SIGINT, graceful_stop)
        for _ in range(self.interrupts):
            os.kill(os.getpid(), signal.SIGINT)
        return "results"


def test_fit_tells_a_sweep_stopped_by_ctrl_c_from_one_that_ended(tmp_path: Path) -> None:
    import signal

    from sheetrl.train.runner import TrainingInterrupted
    from sheetrl.train.sweep import _fit

    before = signal.getsignal(signal.SIGINT)
    assert _fit(FakeTuner(0), tmp_path) == ("results", False)
    assert _fit(FakeTuner(1), tmp_path) == ("results", True)
    with pytest.raises(TrainingInterrupted, match=f"continue with: sheetrl tune --resume {tmp_path}$"):
        _fit(FakeTuner(2), tmp_path)  # the second Ctrl-C does not wait
    assert signal.getsignal(signal.SIGINT) is before


def _interrupt_once_a_trial_reported(argv: list[str], out: Path, cwd: Path) -> tuple[int, str]:
    """Run ``sheetrl`` in its own process group, press Ctrl-C (SIGINT to the group, as a terminal does) once a
    trial has reported a result, and return its exit status and stderr."""
    import os
    import signal
    import subprocess
    import sys
    import time

    repo = Path(__file__).resolve().parents[2]
    env = dict(os.environ, PYTHONPATH=str(repo / "src"))
    process = subprocess.Popen([sys.executable, "-m", "sheetrl", *argv], cwd=cwd, env=env, start_new_session=True,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    started = time.time()
    while time.time() - started < 240 and process.poll() is None:
        if any(len(p.read_text().splitlines()) > 1 for p in out.glob("*/progress.csv")):
            break
        time.sleep(0.5)
    assert process.poll() is None, "the sweep ended before it could be interrupted"
    os.killpg(process.pid, signal.SIGINT)
    _, err = process.communicate(timeout=180)
    return process.returncode, err.decode()


@pytest.mark.slow
def test_ctrl_c_on_tune_and_on_tune_resume_exits_130_keeping_the_sweep_and_writing_no_best_config(
        tmp_path: Path) -> None:
    pytest.importorskip("ray")
    path = tmp_path / "sweep.toml"
    path.write_text(SWEEP_TOML.replace("total_steps = 128", "total_steps = 1000000")
                    .replace("trials = 2", "trials = 3\ngrace_period = 1000000"))  # (ASHA stops none of them)
    out = tmp_path / "out"
    for argv in (["tune", str(path), "--out", str(out)], ["tune", "--resume", str(out)]):
        for progress in out.glob("*/progress.csv"):  # (so that the resumed sweep is interrupted once it reports)
            progress.unlink()
        code, err = _interrupt_once_a_trial_reported(argv, out, tmp_path)
        lines = [line for line in err.splitlines() if not line.startswith("(_tune_trial")
                 and "(_tune_trial pid=" not in line]  # (Ray's own lines from the trials' processes)
        assert code == 130, err
        assert lines[-1].startswith("interrupted: ") and lines[-1].endswith(f"sheetrl tune --resume {out}"), err
        assert "stopped mid-way" in lines[-1] and "Traceback" not in err
        assert not (out / BEST_FILE).exists()
        statuses = {row["status"] for row in csv.DictReader((out / RESULTS_CSV).open())}
        assert "interrupted" in statuses and statuses <= {"interrupted", "not started"}


def test_a_sweep_state_that_ray_cannot_read_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                        console) -> None:
    """A damaged tuner.pkl made `tune --resume` an internal error."""
    pytest.importorskip("ray")
    import sheetrl.train.distributed as distributed
    from sheetrl.train.sweep import SWEEP_FILE, resume_sweep

    monkeypatch.setattr(distributed, "connect", lambda actors, address=None: None)  # (no Ray is needed to fail)
    sweep = read_sweep_text(tmp_path, SWEEP_TOML)
    folder = tmp_path / "sweep"
    folder.mkdir()
    (folder / SWEEP_FILE).write_text(json.dumps(sweep.to_dict()))
    (folder / "tuner.pkl").write_text("garbage\n")
    (folder / "experiment_state-2026-01-01_00-00-00.json").write_text("{}")
    with pytest.raises(TrainError, match=f"^Ray Tune cannot read the sweep state in {folder} .*; start the sweep "
                                         f"again into another --out folder$"):
        resume_sweep(folder, console=console)


def test_a_sweep_stopped_before_its_first_trial_can_be_started_again_in_its_folder(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, console) -> None:
    """Ctrl-C while Ray started left sweep.json and no Tune state: --resume said to start again, and starting
    again said the folder already held a sweep."""
    pytest.importorskip("ray")
    import sheetrl.train.distributed as distributed
    from sheetrl.train.sweep import SWEEP_FILE, resume_sweep, run_sweep

    sweep = read_sweep_text(tmp_path, SWEEP_TOML)
    folder = tmp_path / "sweep"
    folder.mkdir()
    (folder / SWEEP_FILE).write_text(json.dumps(sweep.to_dict()))
    with pytest.raises(TrainError, match=f"start it again with: sheetrl tune SWEEP_FILE --out {folder}$"):
        resume_sweep(folder, console=console)

    def reached(actors: int, address: str | None = None) -> None:
        raise Stop

    monkeypatch.setattr(distributed, "connect", reached)
    with pytest.raises(Stop):  # (it got as far as starting Ray)
        run_sweep(sweep, folder, console=console)
