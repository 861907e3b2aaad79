"""A tiny agent that follows the Agent interface, for testing the training stack without the real algorithms.

It acts uniformly at random over legal actions with its own numpy generator (greedily by its weights when
deterministic) and, every iteration, nudges one torch parameter with SGD+momentum towards a target that mixes the
observations with draws from the global python, numpy and torch generators, so an exact resume must restore every
one of them: the agent's state, the pool's, the optimizer's and the global RNGs.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

import numpy as np
import torch

from sheetrl.agents.base import Agent, masked_argmax


@dataclass
class Config:
    num_envs: int = 2  # environments in the pool
    steps_per_iteration: int = 3  # pool steps per train_iteration
    learning_rate: float = 0.05  # SGD step size
    momentum: float = 0.9  # SGD momentum (so the optimizer has state worth saving)
    greedy: bool = False  # act by the weights' argmax even when exploring


PRESETS = {"quick": Config(), "seed": Config(num_envs=4, steps_per_iteration=8)}


class FakeAgent(Agent):
    name = "fake"

    def __init__(self, config: Config, action_space: Any, device: torch.device, precision: Any, seed: int) -> None:
        self.config = config
        self.precision = precision
        self.rng = np.random.default_rng(seed)
        self.weights = torch.nn.Parameter(torch.randn(action_space.n, device=device))  # global torch RNG
        self.optimizer = torch.optim.SGD([self.weights], lr=config.learning_rate, momentum=config.momentum)

    def act(self, obs: dict[str, np.ndarray], masks: np.ndarray, deterministic: bool = False) -> np.ndarray:
        if deterministic or self.config.greedy:
            values = np.broadcast_to(self.weights.detach().cpu().numpy(), masks.shape)
            return masked_argmax(values, masks)
        return np.asarray([self.rng.choice(np.flatnonzero(row)) for row in masks])

    def train_iteration(self, pool: Any) -> tuple[int, dict[str, float]]:
        rewards = []
        for _ in range(self.config.steps_per_iteration):
            _, reward, _, _, _ = pool.step(self.act(pool.obs, pool.masks))
            rewards.append(reward)
        signal = torch.as_tensor(pool.obs["flat"].mean(axis=0)[: self.weights.numel()], dtype=torch.float32)
        noise = torch.randn(self.weights.shape) + float(np.random.rand()) + random.random()
        target = signal + 0.01 * noise + float(np.mean(rewards))
        with self.precision.autocast():
            loss = ((self.weights - target.to(self.weights.device)) ** 2).mean()
        self.precision.backward(loss)
        self.precision.step(self.optimizer, [self.weights], 1.0)
        return self.config.steps_per_iteration * pool.num_envs, {"losses/fake_loss": float(loss.detach())}

    def state_dict(self) -> dict[str, Any]:
        # With gradient accumulation an iteration can end between optimizer steps: the gradient summed so far is
        # part of the state (Precision's own counter is saved by the runner).
        gradient = None if self.weights.grad is None else self.weights.grad.detach().clone()
        return {"weights": self.weights.detach().clone(), "gradient": gradient,
                "optimizer": self.optimizer.state_dict(), "rng": self.rng.bit_generator.state}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        with torch.no_grad():
            self.weights.copy_(state["weights"])
        self.weights.grad = None if state["gradient"] is None else state["gradient"].clone()
        self.optimizer.load_state_dict(state["optimizer"])
        self.rng.bit_generator.state = state["rng"]


def build(config: Config, observation_space: Any, action_space: Any, device: torch.device, precision: Any,
          seed: int) -> FakeAgent:
    if config.steps_per_iteration < 1:
        raise ValueError("steps_per_iteration must be >= 1")
    return FakeAgent(config, action_space, device, precision, seed)
