"""`sheetrl train`, `eval` and `plot`: they work end to end, and bad input is one line with exit status 2."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import torch

from sheetrl.cli import main

QUIET = ["--wandb", "disabled", "--no-tensorboard", "--no-progress"]
EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "tasks" / "quarterly_sales.jsonl"


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(argv)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_train_resume_eval_and_plot_from_the_command_line(tmp_path: Path, capsys) -> None:
    run_dir = tmp_path / "run"
    code, out, err = run(["train", "--algo", "fake", "--level", "1", "--seed", "2", "--total-steps", "60",
                          "--run-dir", str(run_dir), "--eval-episodes", "4", "--set", "learning_rate=0.2", *QUIET],
                         capsys)
    assert code == 0, err
    assert "training: fake on level 1, preset quick, seed 2, 60 steps" in out
    assert "level 1, iid: held-out success" in out and "level 1, ood: held-out success" in out
    saved = json.loads((run_dir / "config.json").read_text())
    assert saved["algorithm"]["config"]["learning_rate"] == 0.2 and saved["train"]["seed"] == 2

    code, out, err = run(["train", "--resume", str(run_dir), "--total-steps", "90", *QUIET], capsys)
    assert code == 0, err
    assert "resuming from checkpoint.pt at step 60" in out and "finished: 90 steps" in out

    code, out, err = run(["eval", str(run_dir), "--episodes", "5", "--json", "--compare", "--memoriser-tasks", "20"],
                         capsys)
    assert code == 0, err
    document = json.loads(out)
    assert {"success_rate", "ci_low", "ci_high", "mean_return", "mean_length", "episodes", "level"} <= set(document)
    assert document["split"] == "both" and document["episodes"] == 10 and document["env_steps"] == 90
    assert document["compare"]["expert"]["success_rate"] == 1.0
    assert set(document["compare"]) == {"expert", "random", "memoriser"}

    code, out, err = run(["eval", str(run_dir), "--episodes", "3", "--split", "ood", "--json"], capsys)
    assert code == 0, err
    assert json.loads(out)["split"] == "ood" and json.loads(out)["per_level"]["1"]["episodes"] == 3
    assert json.loads(out)["avoid_repeats"] is False

    code, out, err = run(["eval", str(run_dir), "--episodes", "3", "--split", "iid", "--avoid-repeats", "--json"],
                         capsys)
    assert code == 0, err
    assert json.loads(out)["avoid_repeats"] is True and json.loads(out)["episodes"] == 3

    code, out, err = run(["eval", str(run_dir), "--episodes", "3"], capsys)
    assert code == 0, err
    assert "held-out tasks" in out and "agent" in out and "ood" in out

    code, out, err = run(["eval", str(run_dir), "--tasks", str(EXAMPLE), "--json"], capsys)
    assert code == 0, err
    assert json.loads(out)["split"] == "tasks" and set(json.loads(out)["per_task"]) >= {"q1-total"}

    code, out, err = run(["plot", str(run_dir)], capsys)
    assert code == 0, err
    assert (run_dir / "plots" / "success.png").exists() and "wrote" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["train", "--algo", "sarsa"], "algo must be one of"),
        (["train", "--algo", "fake", "--level", "9"], "level must be 1-5 or 'curriculum', not '9'"),
        (["train", "--algo", "fake", "--preset", "huge"], "preset must be one of quick, seed"),
        (["train", "--algo", "fake", "--seed", "abc"], "Invalid value for '--seed'"),
        (["train", "--algo", "fake", "--precision", "fp16", "--device", "cpu"], "fp16 mixed precision needs"),
        (["train", "--algo", "fake", "--device", "tpu"], "unknown device 'tpu'"),
        (["train", "--algo", "fake", "--set", "gamma=0.9"], "fake has no hyper-parameter 'gamma'"),
        (["train", "--algo", "fake", "--set", "gamma"], "--set 'gamma' must look like name=value"),
        (["train", "--algo", "fake", "--wandb", "cloud"], "wandb must be one of offline, online, disabled"),
        (["train", "--algo", "fake", "--checkpoint-every", "0"], "checkpoint_every must be an integer >= 1"),
        (["train", "--algo", "fake", "--frobnicate"], "No such option: --frobnicate"),
        (["train", "--algo", "fake", "--seed", str(2**32)], "seed must be an integer between 0 and 4294967295"),
        (["train", "--algo", "ppo", "--ray-overlap"], "ray_overlap overlaps PPO's update with the next rollout"),
        (["train", "--algo", "fake", "--ray-actors", "2"], "ray_actors collects experience for ppo and dqn"),
        (["train", "--algo", "dqn", "--ray-actors", "2", "--ray-overlap"], "ray_overlap overlaps PPO's update"),
        (["train", "--algo", "dqn", "--ray-chunk-steps", "4"], "ray_chunk_steps sets the asynchronous DQN actors"),
        (["train", "--algo", "dqn", "--ray-actors", "2", "--ray-max-lag", "-1"], "ray_max_lag must be an integer >= 0"),
        (["train", "--algo", "ppo", "--ray-actors", "9"], "ray_actors (9) must not exceed the algorithm's num_envs"),
        (["train", "--resume", "/no/such/run"], "run folder /no/such/run does not exist"),
        (["eval", "/no/such/run"], "run folder /no/such/run does not exist"),
        (["eval", "/no/such/run", "--episodes", "0"], "--episodes must be between 1 and 1,000,000"),
        (["eval", "/no/such/run", "--level", "zero"], "level must be 1-5"),
        (["eval", "/no/such/run", "--split", "test"], "--split must be iid, ood or both"),
        (["eval", "/no/such/run", "--tasks", "t.jsonl", "--level", "2"], "--level does not apply"),
        (["eval", "/no/such/run", "--first-task", "-1"], "--first-task must be between 0 and 1,000,000,000"),
        (["eval", "/no/such/run", "--tasks", "t.jsonl", "--first-task", "5"], "--first-task does not apply"),
        (["tasks", "check", "/no/such/tasks.jsonl"], "cannot read task file /no/such/tasks.jsonl"),
        (["eval"], "Missing argument"),
        (["plot", "/no/such/run"], "run folder /no/such/run does not exist"),
        (["eval", "/etc/hostname"], "run folder /etc/hostname is a file, not a folder"),
        (["train", "--algo", "bc", "--policy", "encoder", "--set", "encoder_parts="],
         "encoder_parts='' must be comma-separated values"),
        (["train", "--algo", "bc", "--policy", "encoder", "--set", "encoder_parts=cnn,,gnn"],
         "must be comma-separated values"),
        (["train", "--algo", "bc", "--policy", "encoder", "--set", "encoder_parts=cnn,cnn"],
         "encoder_parts must be distinct names among gnn, cnn, formula_lstm, instruction, flat, not cnn,cnn"),
        (["train", "--algo", "ppo", "--policy", "encoder", "--set", "encoder_parts=CNN"], "not CNN"),
        (["train", "--algo", "bc", "--set", "encoder_parts=flat"], "encoder_parts needs policy encoder, not 'mlp'"),
        (["train", "--algo", "dqn", "--policy", "transformer", "--set", "encoder_parts=cnn"],
         "encoder_parts needs policy encoder, not 'transformer'"),
        (["train", "--algo", "alphazero", "--set", "encoder_parts=cnn"], "alphazero has no hyper-parameter"),
        (["train", "--algo", "alphazero", "--set", "kl_coef=nan"], "kl_coef must be a finite number >= 0"),
        (["train", "--algo", "alphazero", "--set", "policy_coef=inf"], "policy_coef must be a finite number >= 0"),
        (["train", "--algo", "alphazero", "--set", "policy_coef=-1"], "policy_coef must be a finite number >= 0"),
        (["train", "--algo", "alphazero", "--set", "kl_coef=x"], "kl_coef='x' is not a valid float"),
        (["train", "--algo", "alphazero", "--set", "kl_coef=0.1"], "kl_coef keeps the policy near the one"),
        (["train", "--algo", "ppo", "--set", "kl_coef=nan"], "kl_coef must be a finite number >= 0"),
        (["train", "--algo", "fake", "--threads", "100000"], "threads must be at most 256, not 100,000"),
        (["train", "--algo", "fake", "--threads", "5000"], "threads must be at most 256, not 5,000"),
        (["train", "--algo", "ppo", "--set", "num_envs=1e30"], "ppo: num_envs must be at most 4,096, not 1e+30"),
        (["train", "--algo", "dqn", "--set", "buffer_size=1e12"], "dqn: buffer_size must be at most 10,000,000"),
        (["train", "--algo", "fake", "--run-dir", ""], "run_dir must name a folder, not ''"),
        (["tune", "sweep.toml", "--out", ""], "--out must name a folder, not ''"),  # (it swept into the current
        (["plot", "/no/such/run", "--out", ""], "--out must name a folder, not ''"),  # folder, as --run-dir "")
        (["demo", "--attention", " "], "--attention must name a folder, not ' '"),
        (["train", "--algo", "fake", "--device", "meta"], "device 'meta' is not available on this machine; it has"),
    ],
)
def test_bad_input_is_one_line_and_exit_status_2(argv: list[str], message: str, capsys) -> None:
    code, out, err = run(argv, capsys)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("error: ")
    assert message in err
    assert "Traceback" not in out + err
    assert not Path("runs").exists()  # a refused run leaves no folder behind


def test_run_folder_problems_are_one_line(tmp_path: Path, capsys) -> None:
    code, _, err = run(["eval", str(tmp_path)], capsys)
    assert (code, err.count("\n")) == (2, 1) and "no usable checkpoint" in err
    code, _, err = run(["plot", str(tmp_path)], capsys)
    assert (code, err.count("\n")) == (2, 1) and "metrics.jsonl does not exist" in err
    run_dir = tmp_path / "run"
    assert run(["train", "--algo", "fake", "--total-steps", "12", "--run-dir", str(run_dir), "--eval-episodes", "0",
                *QUIET], capsys)[0] == 0
    code, _, err = run(["train", "--algo", "fake", "--run-dir", str(run_dir), *QUIET], capsys)
    assert (code, err.count("\n")) == (2, 1) and "already holds a run" in err
    code, _, err = run(["train", "--resume", str(run_dir), "--seed", "5", "--level", "2"], capsys)
    assert (code, err.count("\n")) == (2, 1)
    assert err.startswith("error: --level, --seed cannot change when resuming")
    (run_dir / "checkpoint.pt").write_bytes(b"broken")
    (run_dir / "checkpoint.prev.pt").unlink(missing_ok=True)
    code, _, err = run(["train", "--resume", str(run_dir), *QUIET], capsys)
    assert (code, err.count("\n")) == (2, 1) and "no usable checkpoint" in err


def test_overwrite_starts_afresh_in_a_run_folder_and_keeps_other_files(tmp_path: Path, capsys) -> None:
    run_dir = tmp_path / "run"
    first = ["train", "--algo", "fake", "--seed", "1", "--total-steps", "24", "--run-dir", str(run_dir),
             "--eval-episodes", "0", *QUIET]
    assert run(first, capsys)[0] == 0
    (run_dir / "notes.txt").write_text("mine")
    code, _, err = run(["train", "--resume", str(run_dir), "--overwrite", *QUIET], capsys)
    assert (code, err.count("\n")) == (2, 1) and "choose one" in err
    second = ["train", "--algo", "fake", "--seed", "4", "--total-steps", "12", "--run-dir", str(run_dir),
              "--eval-episodes", "0", "--overwrite", *QUIET]
    code, _, err = run(second, capsys)
    assert code == 0, err
    saved = json.loads((run_dir / "config.json").read_text())
    assert saved["train"]["seed"] == 4
    lines = (run_dir / "metrics.jsonl").read_text().splitlines()
    assert max(json.loads(line)["step"] for line in lines) == 12  # the first run's metrics are gone
    assert (run_dir / "notes.txt").read_text() == "mine"


def test_tasks_check_runs_every_reference_solution(capsys) -> None:
    code, out, err = run(["tasks", "check", str(EXAMPLE)], capsys)
    assert code == 0, err
    assert "6 tasks" in out and "revenue-pivot" in out and "NO" not in out
    code, out, err = run(["tasks", "check", str(EXAMPLE), "--json"], capsys)
    assert code == 0 and json.loads(out)["valid"] and len(json.loads(out)["tasks"]) == 6


def test_tasks_check_reports_a_reference_that_fails(tmp_path: Path, capsys) -> None:
    (tmp_path / "quarterly_sales.xlsx").write_bytes((EXAMPLE.parent / "quarterly_sales.xlsx").read_bytes())
    lines = EXAMPLE.read_text().splitlines()
    tight = dict(json.loads(lines[1]), max_steps=2)  # four reference commands cannot fit a budget of two
    (tmp_path / "t.jsonl").write_text(lines[0] + "\n" + json.dumps(tight) + "\n")
    code, out, err = run(["tasks", "check", str(tmp_path / "t.jsonl")], capsys)
    assert code == 2 and "annual-column" in out and "NO" in out
    assert err.startswith("error: 1 of 2 reference solutions fail the checker: annual-column")


def test_play_treats_commands_outside_the_sheet_as_invalid_not_internal_errors(capsys, monkeypatch) -> None:
    """The review: `goto M1` and `goto A30` ended `sheetrl play` with "internal error: IndexError"."""
    lines = iter(["goto M1", "goto A30", "goto A5000", "select A1:B2", "3.5", "quit"])
    monkeypatch.setattr("builtins.input", lambda prompt="": next(lines))
    code, out, err = run(["play", "--level", "1", "--seed", "0"], capsys)
    assert code == 0, err
    assert "internal error" not in out + err and "outside this task's sheet area" in out
    assert "goto M1" in out and "goto A30" in out


def test_demo_says_when_it_shows_the_previous_checkpoint(tmp_path: Path, capsys) -> None:
    run_dir = tmp_path / "run"
    assert run(["train", "--algo", "fake", "--total-steps", "12", "--run-dir", str(run_dir), "--eval-episodes", "0",
                *QUIET], capsys)[0] == 0
    (run_dir / "checkpoint.prev.pt").write_bytes((run_dir / "checkpoint.pt").read_bytes())
    (run_dir / "checkpoint.pt").write_bytes(b"broken")
    code, out, err = run(["demo", str(run_dir), "--level", "1"], capsys)
    assert code == 0, err
    assert "checkpoint.pt is missing or unusable; showing the agent of the previous checkpoint checkpoint.prev.pt " \
           "(step 12) instead" in err
    assert "did not solve the task" in out or "solved the task" in out


def test_demo_avoids_repeats_only_for_a_trained_agent(tmp_path: Path, capsys) -> None:
    run_dir = tmp_path / "run"
    assert run(["train", "--algo", "fake", "--total-steps", "12", "--run-dir", str(run_dir), "--eval-episodes", "0",
                *QUIET], capsys)[0] == 0
    code, out, err = run(["demo", str(run_dir), "--level", "1", "--avoid-repeats"], capsys)
    assert code == 0, err
    assert "did not solve the task" in out or "solved the task" in out
    code, out, err = run(["demo", "--avoid-repeats"], capsys)
    assert code == 2 and "--avoid-repeats keeps a trained agent out of loops: pass a run folder" in err


@pytest.mark.parametrize("failure", [
    MemoryError("Unable to allocate 25.7 GiB for an array with shape (9000000, 768) and data type float32"),
    RuntimeError("[enforce fail at alloc_cpu.cpp:117] data. DefaultCPUAllocator: not enough memory: you tried to "
                 "allocate 1099511627776 bytes."),
])
def test_an_allocation_that_fails_is_one_line_not_an_internal_error(failure: Exception, capsys,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    """Where no bound can say in advance that the sizes will not fit, the failed allocation is one line, exit 2."""
    from sheetrl.train.runner import Runner

    def fail(*args: object, **kwargs: object) -> None:
        raise failure

    monkeypatch.setattr(Runner, "start", fail)
    code, _, err = run(["train", "--algo", "fake", *QUIET], capsys)
    assert (code, err.count("\n")) == (2, 1), err
    assert err.startswith("error: out of memory (") and "make them smaller" in err and "internal" not in err


def _tamper(run_dir: Path, change: Callable[[dict[str, Any]], object]) -> Path:
    """Apply ``change`` to the run's latest checkpoint and drop the previous one (so nothing falls back to it)."""
    path = run_dir / "checkpoint.pt"
    payload = torch.load(path, weights_only=False)
    change(payload)
    torch.save(payload, path)
    (run_dir / "checkpoint.prev.pt").unlink(missing_ok=True)
    return path


TAMPERINGS = {
    "a tensor of another shape": (lambda p: p["agent"]["state"].update(weights=p["agent"]["state"]["weights"][:3]),
                                  "must match the size"),
    "a missing key": (lambda p: p["agent"]["state"].pop("optimizer"), "'optimizer' is missing"),
    "an optimizer moment of another shape": (
        lambda p: next(iter(p["agent"]["state"]["optimizer"]["state"].values())).update(
            momentum_buffer=torch.zeros(2)), "its optimizer state momentum_buffer has shape (2,)"),
    "a counter that is text": (lambda p: p["counters"].update(episodes="many"), "invalid literal for int()"),
    "a saved size past the bounds": (lambda p: p["agent"]["config"].update(num_envs=10**30),
                                     "fake: num_envs must be at most 4,096"),
}


@pytest.mark.parametrize("tampering", list(TAMPERINGS))
def test_a_tampered_checkpoint_is_one_line_naming_the_file(tampering: str, tmp_path: Path, capsys) -> None:
    """The review: wrong tensor shapes or missing keys in a checkpoint gave an internal error (and a moment of
    another shape segfaulted the first optimizer step) on train --resume, eval and demo."""
    run_dir = tmp_path / "run"
    assert run(["train", "--algo", "fake", "--total-steps", "12", "--run-dir", str(run_dir), "--eval-episodes", "0",
                *QUIET], capsys)[0] == 0
    change, detail = TAMPERINGS[tampering]
    path = _tamper(run_dir, change)
    commands = [["train", "--resume", str(run_dir), "--total-steps", "24", *QUIET], ["demo", str(run_dir)],
                ["eval", str(run_dir), "--episodes", "2", "--split", "iid"]]
    if tampering == "a counter that is text":
        commands = commands[:1]  # (what only resuming reads)
    for argv in commands:
        code, _, err = run(argv, capsys)
        assert (code, err.count("\n")) == (2, 1), (argv, err)
        assert err.startswith(f"error: {path} ") and detail in err, (argv, err)


def test_init_from_a_tampered_checkpoint_is_one_line_naming_the_file(tmp_path: Path, capsys) -> None:
    tiny = ["--set", "num_envs=2", "--set", "num_steps=4", "--set", "num_minibatches=1", "--set", "hidden_sizes=8"]
    source = tmp_path / "source"
    assert run(["train", "--algo", "ppo", "--total-steps", "8", "--run-dir", str(source), "--eval-episodes", "0",
                *tiny, *QUIET], capsys)[0] == 0
    first = "network.policy_trunk.0.weight"
    path = _tamper(source, lambda p: p["agent"]["state"]["network"].update({first: torch.zeros(3)}))
    code, _, err = run(["train", "--algo", "ppo", "--init-from", str(source), "--run-dir", str(tmp_path / "new"),
                        *tiny, *QUIET], capsys)
    assert (code, err.count("\n")) == (2, 1), err
    assert f"--init-from {source}: {path} does not fit this ppo network" in err and "size mismatch" in err
    assert not (tmp_path / "new").exists()


def test_a_path_that_must_be_a_folder_but_is_a_file_says_so(tmp_path: Path, capsys) -> None:
    """The review: where a folder was a file the user read "[Errno 17] File exists"."""
    run_dir = tmp_path / "run"
    assert run(["train", "--algo", "fake", "--total-steps", "12", "--run-dir", str(run_dir), "--eval-episodes", "0",
                *QUIET], capsys)[0] == 0
    a_file = tmp_path / "a_file"
    a_file.write_text("mine")
    (run_dir / "plots").write_text("not the plots")
    Path("runs").write_text("not the runs")  # (the current folder is a temporary one)
    cases = [
        (["plot", str(run_dir), "--out", str(a_file)], f"cannot use {a_file} as the plots folder: it is a file, not "
                                                        f"a folder"),
        (["plot", str(run_dir), "--out", str(a_file / "sub")], f"{a_file} is a file, not a folder"),
        (["plot", str(run_dir)], f"cannot use {run_dir / 'plots'} as the plots folder: it is a file, not a folder"),
        (["plot", str(a_file)], f"run folder {a_file} is a file, not a folder"),
        (["tune", "--resume", str(a_file)], f"sweep folder {a_file} is a file, not a folder"),
        (["demos", "--episodes", "1", "--out", str(a_file / "demos.npz")], f"{a_file} is a file, not a folder"),
        (["train", "--algo", "fake", *QUIET], "cannot make run folders in runs: runs is a file, not a folder"),
    ]
    for argv, message in cases:
        code, _, err = run(argv, capsys)
        assert (code, err.count("\n")) == (2, 1), (argv, err)
        assert message in err and "Errno" not in err, (argv, err)
    assert a_file.read_text() == "mine" and Path("runs").read_text() == "not the runs"


def test_a_ray_address_nothing_answers_at_is_one_line_in_bounded_time(tmp_path: Path, capsys) -> None:
    """The review: `--ray-address 127.0.0.1:1 --ray-actors 2` never ended."""
    import time

    ray = pytest.importorskip("ray")
    if ray.is_initialized():
        pytest.skip("a Ray started by another test in this process would be joined instead")
    started = time.time()
    code, _, err = run(["train", "--algo", "ppo", "--ray-actors", "2", "--ray-address", "127.0.0.1:1",
                        "--run-dir", str(tmp_path / "run"), *QUIET], capsys)
    assert (code, err.count("\n")) == (2, 1), err
    assert err.startswith("error: no Ray cluster answers at 127.0.0.1:1 (connection refused)")
    assert time.time() - started < 60 and not (tmp_path / "run").exists()
