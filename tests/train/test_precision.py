"""Devices and mixed precision on a machine without a GPU: ``auto`` picks CUDA only when it is there, fp16 is refused
on the CPU, bf16 autocast runs on the CPU, the fp16 loss-scaling path unscales before clipping, and gradient
accumulation over micro-batches equals one step on the whole batch."""

from __future__ import annotations

import pytest
import torch

from sheetrl.models.precision import Precision, resolve_device


def test_auto_picks_cuda_exactly_when_it_is_available(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    assert resolve_device("auto") == torch.device("cpu")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    assert resolve_device("auto") == torch.device("cuda")


def test_asking_for_cuda_without_it_or_for_an_unknown_device_is_a_clear_error(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    with pytest.raises(ValueError, match="device 'cuda:1' was asked for but CUDA is not available"):
        resolve_device("cuda:1")
    with pytest.raises(ValueError, match="unknown device 'tpu7': use auto, cpu, cuda or cuda:N"):
        resolve_device("tpu7")


def test_a_device_this_machine_lacks_is_refused_naming_what_it_has(monkeypatch: pytest.MonkeyPatch) -> None:
    """The review: --device mps on a machine without it ended in an internal error when the network moved."""
    import sheetrl.models.precision as precision

    monkeypatch.setattr(torch.cuda, "is_available", lambda: False)
    monkeypatch.setattr(precision, "_mps_available", lambda: False)
    for name in ("mps", "meta", "xpu"):
        with pytest.raises(ValueError, match=f"device '{name}' is not available on this machine; it has cpu$"):
            resolve_device(name)
    with pytest.raises(ValueError, match=r"CUDA is not available on this machine; it has cpu$"):
        resolve_device("cuda")
    monkeypatch.setattr(torch.cuda, "is_available", lambda: True)
    monkeypatch.setattr(torch.cuda, "device_count", lambda: 2)
    with pytest.raises(ValueError, match=r"device 'cuda:2' is not on this machine; it has cpu, cuda:0, cuda:1$"):
        resolve_device("cuda:2")
    assert resolve_device("cuda:1") == torch.device("cuda:1")
    monkeypatch.setattr(precision, "_mps_available", lambda: True)
    assert resolve_device("mps") == torch.device("mps")


def test_fp16_is_refused_on_the_cpu() -> None:
    with pytest.raises(ValueError, match="fp16 mixed precision needs a CUDA device; use bf16 on CPU"):
        Precision("fp16", "cpu")


def test_bf16_autocast_runs_the_forward_pass_in_bfloat16_on_the_cpu() -> None:
    layer = torch.nn.Linear(8, 4)
    with Precision("bf16", "cpu").autocast():
        output = layer(torch.randn(3, 8))
    assert output.dtype == torch.bfloat16
    with Precision("fp32", "cpu").autocast():
        assert layer(torch.randn(3, 8)).dtype == torch.float32


def _model_and_batch() -> tuple[torch.nn.Linear, torch.Tensor, torch.Tensor]:
    torch.manual_seed(0)
    return torch.nn.Linear(6, 1), torch.randn(8, 6), torch.randn(8, 1)


def test_gradient_accumulation_over_two_micro_batches_equals_one_whole_batch_step() -> None:
    whole, inputs, targets = _model_and_batch()
    split, _, _ = _model_and_batch()
    once = Precision("fp32", "cpu")
    optimizer = torch.optim.SGD(whole.parameters(), lr=0.1)
    once.backward(((whole(inputs) - targets) ** 2).mean())
    assert once.step(optimizer, whole.parameters(), max_grad_norm=None)

    accumulated = Precision("fp32", "cpu", accumulation_steps=2)
    split_optimizer = torch.optim.SGD(split.parameters(), lr=0.1)
    stepped = []
    for part_inputs, part_targets in zip(inputs.chunk(2), targets.chunk(2)):
        accumulated.backward(((split(part_inputs) - part_targets) ** 2).mean())
        stepped.append(accumulated.step(split_optimizer, split.parameters(), max_grad_norm=None))
    assert stepped == [False, True]
    for left, right in zip(whole.parameters(), split.parameters()):
        assert torch.allclose(left, right, atol=1e-6)
    assert accumulated.state_dict() == {"pending": 0, "scaler": None}


def test_the_fp16_loss_scaling_path_unscales_before_clipping_and_stepping() -> None:
    """The GradScaler path, exercised on the CPU's own scaler (CUDA is what fp16 runs on in training)."""
    reference, inputs, targets = _model_and_batch()
    scaled, _, _ = _model_and_batch()
    plain = Precision("fp32", "cpu")
    plain_optimizer = torch.optim.SGD(reference.parameters(), lr=0.1)
    plain.backward(((reference(inputs) - targets) ** 2).mean())
    plain.step(plain_optimizer, reference.parameters(), max_grad_norm=0.5)

    precision = Precision("fp32", "cpu")
    precision.scaler = torch.amp.GradScaler("cpu", init_scale=1024.0)  # what fp16 mode holds
    optimizer = torch.optim.SGD(scaled.parameters(), lr=0.1)
    precision.backward(((scaled(inputs) - targets) ** 2).mean())
    assert precision.step(optimizer, scaled.parameters(), max_grad_norm=0.5)
    for left, right in zip(reference.parameters(), scaled.parameters()):
        assert torch.allclose(left, right, atol=1e-6)  # clipped at 0.5 after unscaling, not at 0.5 * 1024
    state = precision.state_dict()
    assert state["scaler"]["scale"] == 1024.0 and state["pending"] == 0
