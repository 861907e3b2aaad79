"""What an agent was choosing between: per step, its top legal actions with their probabilities (policies) or
Q-values (DQN), for ``sheetrl demo RUN --explain``; and for a transformer policy, which cells of the observed
window it attended to, drawn as a PNG heat map (``--attention DIR``)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np

from sheetrl.env.actions import MACROS
from sheetrl.sheet.fileio import write_atomic
from sheetrl.train.config import TrainError


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


def has_attention(agent: Any) -> bool:
    """Whether the agent's network can say which cells it attended to (a transformer policy)."""
    return hasattr(getattr(agent, "network", None), "cell_attention")


def cell_attention(agent: Any, obs: dict[str, np.ndarray]) -> np.ndarray | None:
    """(H, W) over the observed window: the attention the policy's decision token paid to each cell (last block,
    averaged over heads; see :meth:`sheetrl.models.transformer.SpreadsheetGPT.cell_attention`), or None when the
    agent's network has no attention (MLP and encoder policies, DQN, tabular Q)."""
    import torch

    from sheetrl.models.policy import to_tensors

    if not has_attention(agent):
        return None
    network = agent.network
    batched = {key: np.asarray(value)[None] for key, value in obs.items()}
    device = next(network.parameters()).device
    was_training = network.training
    network.eval()
    try:
        with torch.no_grad():
            heat = network.cell_attention(to_tensors(batched, network.observation_keys, device))[0]
    finally:
        network.train(was_training)
    return heat.float().cpu().numpy()


def save_attention_map(heat: np.ndarray, path: str | Path, *, title: str, row_labels: Sequence[str],
                       column_labels: Sequence[str], cell_texts: Sequence[Sequence[str]] | None = None,
                       cursor: tuple[int, int] | None = None) -> Path:
    """Draw ``heat`` (H, W) as a PNG heat map with the sheet's row numbers and column letters, each cell's shown
    text (when given) and the cursor's cell outlined; returns the file written (atomically: a symbolic link or a
    file that is not a regular file at ``path`` raises :class:`~sheetrl.sheet.fileio.UnsafeFileError`)."""
    try:
        import matplotlib
    except ImportError:  # pragma: no cover - matplotlib is a dependency; a broken install gets a clear error
        raise TrainError("drawing attention maps needs matplotlib: pip install matplotlib") from None
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows, cols = heat.shape
    if len(row_labels) != rows or len(column_labels) != cols:
        raise ValueError(f"labels for {len(row_labels)}x{len(column_labels)} cells, the map has {rows}x{cols}")
    path = Path(path)
    figure, axes = plt.subplots(figsize=(1.0 + 0.75 * cols, 1.0 + 0.4 * rows))
    try:
        image = axes.imshow(heat, cmap="viridis", vmin=0.0, vmax=max(float(heat.max()), 1e-9), aspect="auto")
        figure.colorbar(image, ax=axes, fraction=0.04, label="attention")
        axes.set_xticks(range(cols), list(column_labels))
        axes.set_yticks(range(rows), list(row_labels))
        axes.xaxis.tick_top()
        if cell_texts is not None:
            bright = 0.6 * float(heat.max())
            for r, line in enumerate(cell_texts):
                for c, text in enumerate(line):
                    if text:
                        axes.text(c, r, text, ha="center", va="center", fontsize=6, parse_math=False,
                                  color="black" if heat[r, c] > bright else "white")
        if cursor is not None:
            axes.add_patch(plt.Rectangle((cursor[1] - 0.5, cursor[0] - 0.5), 1, 1, fill=False, edgecolor="red",
                                         linewidth=2))
        axes.set_title(title, fontsize=9)
        figure.tight_layout()
        write_atomic(path, lambda handle: figure.savefig(handle, format="png", dpi=100))
    finally:
        plt.close(figure)
    return path
