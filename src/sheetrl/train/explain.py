"""What an agent was choosing between: per step, its top legal actions with their probabilities (policies) or
Q-values (DQN), for ``sheetrl demo RUN --explain``."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np

from sheetrl.env.actions import MACROS


class ScoredAction(NamedTuple):
    """One legal action and the agent's score for it."""

    name: str
    score: float


def action_scores(agent: Any, obs: dict[str, np.ndarray], mask: np.ndarray) -> tuple[str, np.ndarray] | None:
    """(what the scores are, one score per action) for one observation, or None for an agent that has none
    (tabular Q reads its own abstraction). Policies (BC, PPO) give probabilities, DQN its Q-values."""
    batched = {key: np.asarray(value)[None] for key, value in obs.items()}
    masks = np.asarray(mask, dtype=bool)[None]
    if hasattr(agent, "action_probabilities"):
        return "probability", np.asarray(agent.action_probabilities(batched, masks))[0]
    if hasattr(agent, "q_values") and hasattr(agent, "packing"):
        return "Q", np.asarray(agent.q_values(agent.packing.pack(batched)))[0]
    return None


def top_actions(scores: np.ndarray, mask: np.ndarray, count: int = 5) -> list[ScoredAction]:
    """The ``count`` legal actions of highest score, best first (ties: the lower index)."""
    legal = np.flatnonzero(np.asarray(mask, dtype=bool))
    order = legal[np.lexsort((legal, -scores[legal]))][:count]
    return [ScoredAction(MACROS[index].name, float(scores[index])) for index in order]
