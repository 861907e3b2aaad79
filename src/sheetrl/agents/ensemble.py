"""Several trained agents played as one: an ensemble of independent runs.

Independent runs of one level agree on the tasks they were trained on and differ most on held-out structure, where
one run solves a layout another fails. An ensemble plays the *mixture* of its members' policies: each action's
probability is the mean of the members' probabilities (over the legal actions), and a state's value is the mean of
their values. Greedy play takes the mixture's most probable action; sampled play draws from the mixture with the
ensemble's own generator; tree search on top (:func:`sheetrl.agents.alphazero.search_policy`) uses the mixture as
its prior and the mean value, through :meth:`EnsembleAgent.search_evaluation`.

Each member gives its prior and value as search would read them (:func:`sheetrl.agents.alphazero.policy_evaluator`:
an actor-critic's logits and value, a DQN's Q-values, the hierarchy's joint policy), so members may be of different
algorithms as long as they act in the same action space on the same observation. An ensemble is played, not
trained: ``sheetrl eval RUN --with RUN2 --with RUN3``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from sheetrl.agents.alphazero import masked_softmax, policy_evaluator

PRIOR_FLOOR = 1e-30  # the smallest probability a legal action's search prior is given (its log stays finite)


class EnsembleAgent:
    """The mixture of several trained agents' policies (module docstring)."""

    name = "ensemble"

    def __init__(self, members: Sequence[Any], seed: int = 0) -> None:
        if len(members) < 2:
            raise ValueError(f"an ensemble needs at least two agents, not {len(members)}")
        self.members = list(members)
        self.evaluators = [policy_evaluator(member) for member in self.members]
        self.generator = np.random.default_rng(seed)

    def mixture(self, observation: dict[str, np.ndarray]) -> tuple[np.ndarray, float]:
        """(N,) the mean of the members' probabilities of each action under ``observation["action_mask"]`` (0 for
        illegal actions), and the mean of their values."""
        mask = np.asarray(observation["action_mask"], dtype=bool)
        probabilities = np.zeros(mask.shape, dtype=np.float64)
        values = []
        for evaluate in self.evaluators:
            logits, value = evaluate(observation)
            probabilities += masked_softmax(np.asarray(logits, dtype=np.float64), mask)
            values.append(value)
        return probabilities / len(self.evaluators), float(np.mean(values))

    def search_evaluation(self, observation: dict[str, np.ndarray]) -> tuple[np.ndarray, float]:
        """Tree search's prior logits (the log of :meth:`mixture`, floored at ``PRIOR_FLOOR``) and value."""
        probabilities, value = self.mixture(observation)
        return np.log(np.maximum(probabilities, PRIOR_FLOOR)), value

    def action_probabilities(self, obs: dict[str, np.ndarray], masks: np.ndarray) -> np.ndarray:
        """(B, N): the mixture's probability of every action in each row's state (0 for illegal ones)."""
        masks = np.asarray(masks, dtype=bool)
        rows = []
        for row in range(masks.shape[0]):
            observation = {key: value[row] for key, value in obs.items()}
            observation["action_mask"] = masks[row]
            rows.append(self.mixture(observation)[0])
        return np.stack(rows)

    def act(self, obs: dict[str, np.ndarray], masks: np.ndarray, deterministic: bool = False) -> np.ndarray:
        """Each row's action: the mixture's most probable one, or (not ``deterministic``) one drawn from it."""
        probabilities = self.action_probabilities(obs, masks)
        if deterministic:
            return probabilities.argmax(-1)
        return np.asarray([self.generator.choice(len(row), p=row / row.sum()) for row in probabilities])
