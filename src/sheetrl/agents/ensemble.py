"""Several trained agents played as one: an ensemble of independent runs.

Independent runs of one level agree on the tasks they were trained on and differ most on held-out structure, where
one run solves a layout another fails. An ensemble plays the *mixture* of its members' policies: each action's
probability is the mean of the members' probabilities (over the legal actions), and a state's value is the mean of
their values. Greedy play takes the mixture's most probable action; sampled play draws from the mixture with the
ensemble's own generator; tree search on top (:func:`sheetrl.agents.alphazero.search_policy`) uses the mixture as
its prior and the mean value, through :meth:`EnsembleAgent.search_evaluation`, with the members' discount.

Each member gives its prior and value as search would read them (:func:`sheetrl.agents.alphazero.policy_evaluator`:
an actor-critic's logits and value, a DQN's Q-values, the hierarchy's joint policy), so PPO, BC, DQN and
hierarchical runs may be mixed as long as they act in the same action space on the same observation and discount
alike. Refused: a member without a policy network (tabular Q), and an alphazero run, which plays with its own search
and whose value may be a ranked outcome rather than a return. Greedy play of a hierarchical member inside an
ensemble takes the best action of its joint policy, where the hierarchy alone picks each level's best choice in
turn. An ensemble is played, not trained: ``sheetrl eval RUN --with RUN2 --with RUN3``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from sheetrl.agents.alphazero import (
    PRIOR_FLOOR,
    AlphaZeroAgent,
    agent_discount,
    masked_softmax,
    policy_evaluator,
)


@dataclass(frozen=True)
class EnsembleConfig:
    """What search on top reads from an agent's config: the members' common discount."""

    gamma: float


class EnsembleAgent:
    """The mixture of several trained agents' policies (module docstring)."""

    name = "ensemble"

    def __init__(self, members: Sequence[Any], seed: int = 0) -> None:
        if len(members) < 2:
            raise ValueError(f"an ensemble needs at least two agents, not {len(members)}")
        self.members = list(members)
        self.evaluators = []
        for member in self.members:
            kind = getattr(member, "name", type(member).__name__)
            if isinstance(member, AlphaZeroAgent):
                raise ValueError("an alphazero run plays with its own search and cannot join an ensemble")
            try:
                self.evaluators.append(policy_evaluator(member))
            except ValueError:
                raise ValueError(f"every run of an ensemble needs a policy network; a {kind} agent has none") \
                    from None
        gammas = sorted({agent_discount(member) for member in self.members})
        if len(gammas) > 1:
            raise ValueError(f"the runs of an ensemble must discount alike (their values are averaged); these use "
                             f"gamma {', '.join(f'{gamma:g}' for gamma in gammas)}")
        self.config = EnsembleConfig(gamma=gammas[0])
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
        """(B, N): the mixture's probability of every action in each row's state (0 for illegal ones); a member
        with its own batched ``action_probabilities`` is asked once for the whole batch."""
        masks = np.asarray(masks, dtype=bool)
        total = np.zeros(masks.shape, dtype=np.float64)
        for member, evaluate in zip(self.members, self.evaluators, strict=True):
            batched = getattr(member, "action_probabilities", None)
            if batched is not None:
                total += np.asarray(batched(obs, masks), dtype=np.float64)
                continue
            for row in range(masks.shape[0]):
                observation = {key: value[row] for key, value in obs.items()}
                observation["action_mask"] = masks[row]
                total[row] += masked_softmax(np.asarray(evaluate(observation)[0], dtype=np.float64), masks[row])
        return total / len(self.members)

    def act(self, obs: dict[str, np.ndarray], masks: np.ndarray, deterministic: bool = False) -> np.ndarray:
        """Each row's action: the mixture's most probable one, or (not ``deterministic``) one drawn from it."""
        probabilities = self.action_probabilities(obs, masks)
        if deterministic:
            return probabilities.argmax(-1)
        return np.asarray([self.generator.choice(len(row), p=row / row.sum()) for row in probabilities])
