"""benchmarks/gpu.py on the CPU: the steps go through Precision in fp32 and bf16; fp16 is reported as CUDA-only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from gpu import main


def test_the_steps_of_a_seed_network_are_timed_in_each_precision_on_the_cpu(tmp_path: Path) -> None:
    out = tmp_path / "gpu.json"
    assert main(["--device", "cpu", "--networks", "dqn", "--batches", "8", "--accumulation", "1,2", "--repeats", "1",
                 "--no-runs", "--json", str(out)]) == 0
    steps = json.loads(out.read_text())["steps"]
    assert [(s["precision"], s["accumulation"]) for s in steps] == [
        ("fp32", 1), ("fp32", 2), ("bf16", 1), ("bf16", 2), ("fp16", 1), ("fp16", 2)]
    assert all(s["milliseconds"] > 0 and s["note"] == "" for s in steps if s["precision"] != "fp16")
    assert all(s["note"] == "CUDA only" for s in steps if s["precision"] == "fp16")
    assert steps[0]["parameters"] > 600_000  # the seed-sized Q-network, not a small one


@pytest.mark.parametrize("arguments", [["--networks", "gpt"], ["--batches", "0"], ["--device", "tpu"]])
def test_bad_arguments_are_usage_errors(arguments: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(arguments)
    assert stopped.value.code == 2
