"""Devices, mixed precision and gradient accumulation, shared by every torch agent.

``Precision`` wraps the three things an update loop needs:

- ``with precision.autocast():`` around the forward pass: bf16 autocast (CPU and CUDA) or fp16 autocast (CUDA
  only), or nothing for fp32;
- ``precision.backward(loss)``: scales the loss for fp16 (GradScaler) and divides it by the number of
  accumulation steps;
- ``precision.step(optimizer, parameters, max_grad_norm)``: every ``accumulation_steps`` calls, unscales,
  clips the gradient norm, steps the optimizer and zeroes the gradients; returns True when it stepped.

So an agent's update reads the same whatever the switches: forward under autocast, backward, step.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import Any

import torch

PRECISIONS = ("fp32", "bf16", "fp16")


def resolve_device(device: str) -> torch.device:
    """'auto' -> cuda when available, else cpu; otherwise the named device (validated)."""
    if device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise ValueError(f"unknown device {device!r}: use auto, cpu, cuda or cuda:N") from exc
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device {device!r} was asked for but CUDA is not available on this machine; it has "
                         f"{', '.join(available_devices())}")
    if resolved.type == "cuda" and resolved.index is not None and resolved.index >= torch.cuda.device_count():
        raise ValueError(f"device {device!r} is not on this machine; it has {', '.join(available_devices())}")
    if resolved.type == "mps" and _mps_available():
        return resolved
    if resolved.type not in ("cpu", "cuda"):
        raise ValueError(f"device {device!r} is not available on this machine; it has {', '.join(available_devices())}")
    return resolved


def _mps_available() -> bool:
    backend = getattr(torch.backends, "mps", None)
    return bool(backend is not None and backend.is_available())


def available_devices() -> list[str]:
    """The torch devices this machine can train on: cpu, every cuda:N, and mps where present."""
    return ["cpu", *(f"cuda:{index}" for index in range(torch.cuda.device_count() if torch.cuda.is_available()
                                                          else 0)), *(["mps"] if _mps_available() else [])]


def adam(parameters: Iterable[torch.nn.Parameter] | Iterable[dict[str, Any]], device: torch.device,
         decoupled: bool = False, **options: Any) -> torch.optim.Adam:
    """Adam (AdamW with ``decoupled``: weight decay applied to the weights, not added to the gradient), with its
    fused kernel on CPU and CUDA: the same update as the per-parameter loop (to float rounding). On the CPU, a step
    over PPO's quick actor-critic (239k parameters) takes 0.4-0.7 ms instead of 1.1 ms, about a tenth of its update
    (benchmarks/ppo_update.py; BENCHMARKS.md). ``parameters`` may be parameter groups (dicts, each with its own
    options), as ``torch.optim`` takes them."""
    fused = torch.device(device).type in ("cpu", "cuda")
    kind = torch.optim.AdamW if decoupled else torch.optim.Adam
    return kind(parameters, fused=fused or None, **options)


class Precision:
    """Autocast, loss scaling and gradient accumulation for one device (see the module docstring)."""

    def __init__(self, mode: str = "fp32", device: torch.device | str = "cpu", accumulation_steps: int = 1) -> None:
        if mode not in PRECISIONS:
            raise ValueError(f"precision must be one of {PRECISIONS}, not {mode!r}")
        if accumulation_steps < 1:
            raise ValueError(f"gradient accumulation steps must be >= 1, not {accumulation_steps}")
        self.device = torch.device(device)
        if mode == "fp16" and self.device.type != "cuda":
            raise ValueError("fp16 mixed precision needs a CUDA device; use bf16 on CPU")
        self.mode = mode
        self.accumulation_steps = accumulation_steps
        self.scaler = torch.amp.GradScaler("cuda") if mode == "fp16" else None
        self._pending = 0

    def autocast(self) -> AbstractContextManager[Any]:
        if self.mode == "fp32":
            return nullcontext()
        dtype = torch.bfloat16 if self.mode == "bf16" else torch.float16
        return torch.autocast(device_type=self.device.type, dtype=dtype)

    def backward(self, loss: torch.Tensor) -> None:
        loss = loss.float() / self.accumulation_steps
        if self.scaler is not None:
            self.scaler.scale(loss).backward()
        else:
            loss.backward()
        self._pending += 1

    def step(self, optimizer: torch.optim.Optimizer, parameters: Any, max_grad_norm: float | None,
             clip_groups: Sequence[Iterable[torch.nn.Parameter]] | None = None) -> bool:
        """Apply the accumulated gradients once enough micro-batches were seen; True when the optimizer stepped.

        The gradients of ``parameters`` are clipped to ``max_grad_norm`` together, or with ``clip_groups`` each
        group by its own norm (so that one loss's large gradients do not shrink another's steps)."""
        if self._pending < self.accumulation_steps:
            return False
        self._pending = 0
        if self.scaler is not None:
            self.scaler.unscale_(optimizer)
        if max_grad_norm is not None:
            for group in clip_groups if clip_groups is not None else (parameters,):
                params = [p for p in group if p.grad is not None]
                if params:
                    torch.nn.utils.clip_grad_norm_(params, max_grad_norm)
        if self.scaler is not None:
            self.scaler.step(optimizer)
            self.scaler.update()
        else:
            optimizer.step()
        optimizer.zero_grad(set_to_none=True)
        return True

    def state_dict(self) -> dict[str, Any]:
        return {"pending": self._pending, "scaler": self.scaler.state_dict() if self.scaler is not None else None}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        self._pending = int(state["pending"])
        if self.scaler is not None and state.get("scaler") is not None:
            self.scaler.load_state_dict(state["scaler"])
