"""The AdvancedStateEncoder: a sheet seen as a graph, an image, a formula chain and an instruction.

Four parts, each switchable by :class:`EncoderConfig` so that one ablation run can drop any of them (at least one
must stay on), concatenated and projected to one state vector (``state_dim``):

- **GNN** (:class:`CellGraphNetwork`) over the H·W cells. Node features: the sum of embeddings of the
  ``cell_tokens`` fields and a projection of the ``grid`` channels. Two kinds of edges: the sheet's **dependency
  edges** (``edges``, precedent -> formula and the reverse, the padding index H·W dropped) through
  torch-geometric's ``GATv2Conv`` with the direction as edge feature, run only on the cells that have such
  edges; and **grid adjacency** (each cell's four neighbours, one weight matrix per direction, derived from the
  grid's shape). Adjacency is regular, so its messages are a 3x3 convolution with a cross-shaped kernel: the same
  sum as scattering over the cached 4-neighbour edge list (``adjacency="scatter"``, kept as the reference; a
  test checks both agree) without materializing 1,080 messages per sheet. Readout: mean and learned attention
  pooling over cells.
- **CNN** (:class:`GridCNN`) over the ``grid`` channels: 3x3 convolutions, then mean and attention pooling.
- **Formula LSTM** (:class:`SequenceEncoder`) over ``formula_chain`` (packed: padding never enters the LSTM).
- **Instruction** (:class:`SequenceEncoder`) over ``instruction``: a GRU (packed) or a masked mean of embeddings.

Optionally (``use_flat``) the environment's hand-made ``flat`` vector through a small MLP, to measure what the
learned parts miss. Every size comes from the observation space (:class:`~sheetrl.models.spaces.ObservationSizes`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

from sheetrl.models.spaces import ObservationSizes

ENCODER_PARTS = ("gnn", "cnn", "formula_lstm", "instruction", "flat")  # the switchable parts, by name
DEFAULT_ENCODER_PARTS = ("gnn", "cnn", "formula_lstm", "instruction")  # the encoder's default parts


@dataclass
class EncoderConfig:
    """Parts and sizes of the AdvancedStateEncoder (defaults: the CPU-sized encoder)."""

    use_gnn: bool = True  # graph network over cells (dependency and grid-adjacency edges)
    use_cnn: bool = True  # convolutions over the grid channels
    use_formula_lstm: bool = True  # LSTM over the formula chain at the cursor
    use_instruction: bool = True  # the instruction's encoding
    use_flat: bool = False  # also the environment's hand-made flat vector (through an MLP)
    state_dim: int = 256  # size of the state vector the encoder outputs
    gnn_dim: int = 32  # GNN node feature size (each cell-token field is embedded at this size and summed)
    gnn_layers: int = 2  # message-passing layers
    gnn_heads: int = 2  # attention heads of the dependency-edge convolution (must divide gnn_dim)
    adjacency: str = "stencil"  # grid-adjacency messages: "stencil" (a 3x3 convolution) or "scatter" (edge list)
    cnn_channels: int = 32  # channels of every convolution
    cnn_layers: int = 2  # 3x3 convolution layers
    pool_queries: int = 4  # learned attention-pooling queries of the GNN and CNN readouts
    token_embedding_dim: int = 32  # embedding size of formula-chain and instruction tokens
    formula_hidden: int = 64  # LSTM hidden size
    instruction_hidden: int = 64  # GRU hidden size (or the embedding size kept by mean pooling)
    instruction_pooling: str = "gru"  # "gru" (order-aware) or "mean" (bag of words)
    flat_hidden: int = 128  # width of the flat vector's MLP

    def __post_init__(self) -> None:
        if not (self.use_gnn or self.use_cnn or self.use_formula_lstm or self.use_instruction or self.use_flat):
            raise ValueError("the encoder needs at least one part: use_gnn, use_cnn, use_formula_lstm, "
                             "use_instruction or use_flat")
        if self.adjacency not in ("stencil", "scatter"):
            raise ValueError(f"adjacency must be 'stencil' or 'scatter', not {self.adjacency!r}")
        if self.instruction_pooling not in ("gru", "mean"):
            raise ValueError(f"instruction_pooling must be 'gru' or 'mean', not {self.instruction_pooling!r}")
        if self.gnn_dim % self.gnn_heads:
            raise ValueError(f"gnn_heads ({self.gnn_heads}) must divide gnn_dim ({self.gnn_dim})")
        for name in ("state_dim", "gnn_dim", "gnn_layers", "cnn_channels", "cnn_layers",
                     "pool_queries", "token_embedding_dim", "formula_hidden", "instruction_hidden", "flat_hidden"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be positive, not {getattr(self, name)}")

    @classmethod
    def from_parts(cls, parts: tuple[str, ...] | list[str], **sizes: Any) -> EncoderConfig:
        """The config with exactly ``parts`` switched on (names of :data:`ENCODER_PARTS`, e.g. ``("gnn",
        "instruction")`` for an ablation), and default sizes unless given."""
        unknown = [part for part in parts if part not in ENCODER_PARTS]
        if unknown:
            raise ValueError(f"unknown encoder part(s) {', '.join(map(repr, unknown))}; the parts are "
                             f"{', '.join(ENCODER_PARTS)}")
        return cls(use_gnn="gnn" in parts, use_cnn="cnn" in parts, use_formula_lstm="formula_lstm" in parts,
                   use_instruction="instruction" in parts, use_flat="flat" in parts, **sizes)


# ------------------------------------------------------------------------------------------------ pooling
class AttentionPooling(nn.Module):
    """``queries`` learned queries, each a softmax-weighted sum over the positions (B, P, d) -> (B, queries·d),
    plus the mean over positions: (B, (queries + 1)·d)."""

    def __init__(self, dim: int, queries: int) -> None:
        super().__init__()
        self.scores = nn.Linear(dim, queries)

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        weights = torch.softmax(self.scores(features).float(), dim=1).to(features.dtype)  # (B, P, queries)
        pooled = torch.einsum("bpq,bpd->bqd", weights, features)
        return torch.cat([pooled.flatten(1), features.mean(dim=1)], dim=1)


# ----------------------------------------------------------------------------------------------------- GNN
@lru_cache(maxsize=16)
def grid_adjacency(rows: int, cols: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """The 4-neighbour edges of a rows x cols grid (cells numbered row by row), cached per shape.

    :returns: ``edge_index`` (2, E) source -> target, ``direction`` (E,) where the source lies seen from the
        target (0 above, 1 below, 2 left, 3 right), and ``degree`` (rows·cols,) neighbours per cell.
    """
    index = torch.arange(rows * cols).view(rows, cols)
    sources, targets, directions = [], [], []
    for direction, (source, target) in enumerate((
        (index[:-1, :], index[1:, :]),  # the source is above the target
        (index[1:, :], index[:-1, :]),  # below
        (index[:, :-1], index[:, 1:]),  # left
        (index[:, 1:], index[:, :-1]),  # right
    )):
        sources.append(source.flatten())
        targets.append(target.flatten())
        directions.append(torch.full((source.numel(),), direction))
    edge_index = torch.stack([torch.cat(sources), torch.cat(targets)])
    degree = torch.bincount(edge_index[1], minlength=rows * cols)
    return edge_index, torch.cat(directions), degree


def dependency_edges(edges: torch.Tensor, cells: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Padded per-graph dependency edges (B, 2, E) -> one batched edge list in both directions.

    Padding (index ``cells``, the dummy node) is dropped; graph ``b``'s nodes are ``b·cells .. (b+1)·cells - 1``.

    :returns: ``edge_index`` (2, 2·valid) and ``edge_type`` (2·valid,): 0 precedent -> formula, 1 the reverse.
    """
    if edges.dim() != 3 or edges.shape[1] != 2:
        raise ValueError(f"edges must be (batch, 2, E), not {tuple(edges.shape)}")
    if bool((edges < 0).any()) or bool((edges > cells).any()):
        raise ValueError(f"edge indices must lie in 0..{cells} ({cells} is padding)")
    source, target = edges[:, 0], edges[:, 1]
    valid = (source < cells) & (target < cells)
    offsets = (torch.arange(edges.shape[0], device=edges.device) * cells).unsqueeze(1)
    source, target = (source + offsets)[valid], (target + offsets)[valid]
    edge_index = torch.stack([torch.cat([source, target]), torch.cat([target, source])])
    edge_type = torch.cat([torch.zeros_like(source), torch.ones_like(source)])
    return edge_index, edge_type


class CellGraphLayer(nn.Module):
    """One message-passing step: ``h + ReLU(W_self h + sum of neighbour messages + dependency messages + b)``,
    layer-normalized. A grid neighbour sends ``W_direction h_neighbour`` (one matrix per direction, so "the cell
    above" and "the cell to the left" stay distinct); dependency messages come from GATv2 over the dependency
    edges.

    The grid part is a 3x3 convolution whose kernel has the self matrix at the centre, the four direction
    matrices on the arms and zeros in the corners (``adjacency="stencil"``): exactly the sum over the cached
    4-neighbour edge list (``adjacency="scatter"``), without materializing per-edge messages.
    """

    def __init__(self, dim: int, heads: int, adjacency: str) -> None:
        super().__init__()
        from torch_geometric.nn import GATv2Conv

        self.dim = dim
        self.adjacency = adjacency
        bound = 1.0 / (5 * dim) ** 0.5  # nn.Linear's default range for the 5·dim inputs a cell sums over
        self.self_weight = nn.Parameter(torch.empty(dim, dim).uniform_(-bound, bound))  # (out, in)
        self.direction_weight = nn.Parameter(torch.empty(4, dim, dim).uniform_(-bound, bound))  # above, below,
        self.bias = nn.Parameter(torch.empty(dim).uniform_(-bound, bound))  # left, right neighbour -> this cell
        self.edge_type = nn.Embedding(2, dim)
        self.dependency = GATv2Conv(dim, dim // heads, heads=heads, edge_dim=dim, add_self_loops=False, bias=False)
        self.norm = nn.LayerNorm(dim)

    def kernel(self) -> torch.Tensor:
        """The (out, in, 3, 3) convolution kernel: tap (i, j) reads the cell at offset (i - 1, j - 1)."""
        above, below, left, right = self.direction_weight
        zero = torch.zeros_like(self.self_weight)
        taps = [zero, above, zero, left, self.self_weight, right, zero, below, zero]
        return torch.stack(taps, dim=-1).view(self.dim, self.dim, 3, 3)

    def grid_messages(self, h: torch.Tensor) -> torch.Tensor:
        """(B, H, W, d) -> ``W_self h + sum of the grid neighbours' messages + b`` at every cell."""
        batch, rows, cols, dim = h.shape
        if self.adjacency == "stencil":
            # (B, d, H, W) in channels-last memory: the convolution reads and writes the (B, H, W, d) layout
            out = F.conv2d(h.permute(0, 3, 1, 2), self.kernel().to(h.dtype), self.bias.to(h.dtype), padding=1)
            return out.permute(0, 2, 3, 1)
        edge_index, direction, _ = grid_adjacency(rows, cols)
        edge_index, direction = edge_index.to(h.device), direction.to(h.device)
        flat = h.reshape(batch, rows * cols, dim)
        sent = torch.einsum("bnd,kod->bnko", flat, self.direction_weight.to(flat.dtype))  # to each direction
        per_edge = sent[:, edge_index[0], direction]  # (B, E, d)
        total = flat @ self.self_weight.t().to(flat.dtype) + self.bias.to(flat.dtype)
        total = total.index_add(1, edge_index[1], per_edge)
        return total.view(batch, rows, cols, dim)

    def forward(self, h: torch.Tensor, edge_index: torch.Tensor, edge_type: torch.Tensor) -> torch.Tensor:
        batch, rows, cols, dim = h.shape
        update = self.grid_messages(h)
        if edge_index.shape[1]:  # dependency messages, computed on the few cells that have dependency edges
            flat = h.reshape(batch * rows * cols, dim)
            nodes, local_index = torch.unique(edge_index, return_inverse=True)
            attributes = self.edge_type(edge_type).to(flat.dtype)
            messages = self.dependency(flat[nodes], local_index, attributes).to(update.dtype)
            update = update.reshape(batch * rows * cols, dim).index_add(0, nodes, messages)
            update = update.view(batch, rows, cols, dim)
        return self.norm(h + F.relu(update))


class CellGraphNetwork(nn.Module):
    """Cells as graph nodes (see the module docstring): (B, H·W, F) tokens, (B, C, H, W) grid, (B, 2, E) edges ->
    (B, output_dim)."""

    def __init__(self, sizes: ObservationSizes, config: EncoderConfig) -> None:
        super().__init__()
        sizes.require("grid", "cell_tokens", "edges")
        self.sizes = sizes
        self.field_embeddings = nn.ModuleList(
            nn.Embedding(vocabulary, config.gnn_dim) for vocabulary in sizes.cell_vocabularies
        )
        self.channel_input = nn.Linear(sizes.channels, config.gnn_dim)
        self.layers = nn.ModuleList(
            CellGraphLayer(config.gnn_dim, config.gnn_heads, config.adjacency) for _ in range(config.gnn_layers)
        )
        self.pool = AttentionPooling(config.gnn_dim, config.pool_queries)
        self.output_dim = (config.pool_queries + 1) * config.gnn_dim

    def forward(self, cell_tokens: torch.Tensor, grid: torch.Tensor, edges: torch.Tensor) -> torch.Tensor:
        sizes = self.sizes
        batch = cell_tokens.shape[0]
        h = self.channel_input(grid.permute(0, 2, 3, 1))  # (B, H, W, d): cells row by row, like cell_tokens
        tokens = cell_tokens.view(batch, sizes.rows, sizes.cols, -1)
        for i, embedding in enumerate(self.field_embeddings):
            h = h + embedding(tokens[..., i]).to(h.dtype)
        h = F.relu(h)
        edge_index, edge_type = dependency_edges(edges, sizes.cells)
        for layer in self.layers:
            h = layer(h, edge_index, edge_type)
        return self.pool(h.reshape(batch, sizes.cells, -1))


# ----------------------------------------------------------------------------------------------------- CNN
class GridCNN(nn.Module):
    """3x3 convolutions (same padding, ReLU) over the grid channels, then mean and attention pooling."""

    def __init__(self, sizes: ObservationSizes, config: EncoderConfig) -> None:
        super().__init__()
        sizes.require("grid")
        layers: list[nn.Module] = []
        channels = sizes.channels
        for _ in range(config.cnn_layers):
            layers += [nn.Conv2d(channels, config.cnn_channels, kernel_size=3, padding=1), nn.ReLU()]
            channels = config.cnn_channels
        self.convolutions = nn.Sequential(*layers)
        self.pool = AttentionPooling(config.cnn_channels, config.pool_queries)
        self.output_dim = (config.pool_queries + 1) * config.cnn_channels

    def forward(self, grid: torch.Tensor) -> torch.Tensor:
        features = self.convolutions(grid)  # (B, channels, H, W)
        return self.pool(features.flatten(2).transpose(1, 2))


# ------------------------------------------------------------------------------------------------ sequences
def sequence_lengths(tokens: torch.Tensor) -> torch.Tensor:
    """Length of each 0-padded row of (B, T) ids: one past its last non-zero id (0 for an all-padding row)."""
    positions = torch.arange(1, tokens.shape[1] + 1, device=tokens.device)
    return (positions * (tokens != 0)).amax(dim=1) if tokens.shape[1] else tokens.new_zeros(tokens.shape[0])


class SequenceEncoder(nn.Module):
    """0-padded token ids (B, T) -> (B, hidden): an LSTM or GRU over the packed sequence (its last hidden
    state), or the mean of the non-padding embeddings. An empty sequence encodes as zeros. Padding never enters
    the computation, so the output does not depend on how long the padding is."""

    def __init__(self, vocabulary: int, embedding_dim: int, hidden: int, kind: str) -> None:
        super().__init__()
        if kind not in ("lstm", "gru", "mean"):
            raise ValueError(f"kind must be 'lstm', 'gru' or 'mean', not {kind!r}")
        self.kind = kind
        self.embedding = nn.Embedding(vocabulary, embedding_dim, padding_idx=0)
        self.rnn: nn.LSTM | nn.GRU | None = None
        if kind == "lstm":
            self.rnn = nn.LSTM(embedding_dim, hidden, batch_first=True)
        elif kind == "gru":
            self.rnn = nn.GRU(embedding_dim, hidden, batch_first=True)
        self.output_dim = embedding_dim if kind == "mean" else hidden

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        lengths = sequence_lengths(tokens)
        embedded = self.embedding(tokens)
        if self.rnn is None:
            keep = (tokens != 0).unsqueeze(-1).to(embedded.dtype)
            return (embedded * keep).sum(1) / keep.sum(1).clamp(min=1.0)
        packed = nn.utils.rnn.pack_padded_sequence(embedded, lengths.clamp(min=1).cpu(), batch_first=True,
                                                   enforce_sorted=False)
        _, state = self.rnn(packed)
        hidden = state[0] if isinstance(state, tuple) else state  # LSTM returns (h, c)
        return hidden[-1] * (lengths > 0).unsqueeze(1).to(hidden.dtype)


class FlatMLP(nn.Module):
    """The environment's hand-made ``flat`` vector through one ReLU layer."""

    def __init__(self, sizes: ObservationSizes, config: EncoderConfig) -> None:
        super().__init__()
        sizes.require("flat")
        self.layer = nn.Linear(sizes.flat_size, config.flat_hidden)
        self.output_dim = config.flat_hidden

    def forward(self, flat: torch.Tensor) -> torch.Tensor:
        return F.relu(self.layer(flat))


# ------------------------------------------------------------------------------------------------- encoder
class AdvancedStateEncoder(nn.Module):
    """The enabled parts, concatenated and projected to ``state_dim`` (ReLU): observation dict -> (B, state_dim).

    :param sizes: read from the spaces with :meth:`ObservationSizes.from_spaces`.
    :param config: which parts and how large.
    """

    def __init__(self, sizes: ObservationSizes, config: EncoderConfig | None = None) -> None:
        super().__init__()
        config = config or EncoderConfig()
        self.config = config
        self.sizes = sizes
        self.gnn = CellGraphNetwork(sizes, config) if config.use_gnn else None
        self.cnn = GridCNN(sizes, config) if config.use_cnn else None
        self.formula = None
        if config.use_formula_lstm:
            sizes.require("formula_chain")
            self.formula = SequenceEncoder(sizes.chain_vocabulary, config.token_embedding_dim,
                                           config.formula_hidden, "lstm")
        self.instruction = None
        if config.use_instruction:
            sizes.require("instruction")
            self.instruction = SequenceEncoder(sizes.instruction_vocabulary, config.token_embedding_dim,
                                               config.instruction_hidden, config.instruction_pooling)
        self.flat = FlatMLP(sizes, config) if config.use_flat else None
        parts: list[Any] = [self.gnn, self.cnn, self.formula, self.instruction, self.flat]
        total = sum(part.output_dim for part in parts if part is not None)
        self.projection = nn.Linear(total, config.state_dim)
        self.output_dim = config.state_dim

    @property
    def observation_keys(self) -> tuple[str, ...]:
        """The observation keys the enabled parts read."""
        keys: list[str] = []
        if self.gnn is not None:
            keys += ["cell_tokens", "grid", "edges"]
        if self.cnn is not None:
            keys += ["grid"]
        if self.formula is not None:
            keys += ["formula_chain"]
        if self.instruction is not None:
            keys += ["instruction"]
        if self.flat is not None:
            keys += ["flat"]
        return tuple(dict.fromkeys(keys))

    def part_features(self, obs: Mapping[str, torch.Tensor]) -> dict[str, torch.Tensor]:
        """Each enabled part's output before the projection: ``gnn``, ``cnn``, ``formula``, ``instruction``,
        ``flat`` -> (B, part size)."""
        out: dict[str, torch.Tensor] = {}
        if self.gnn is not None:
            out["gnn"] = self.gnn(obs["cell_tokens"].long(), obs["grid"].float(), obs["edges"].long())
        if self.cnn is not None:
            out["cnn"] = self.cnn(obs["grid"].float())
        if self.formula is not None:
            out["formula"] = self.formula(obs["formula_chain"].long())
        if self.instruction is not None:
            out["instruction"] = self.instruction(obs["instruction"].long())
        if self.flat is not None:
            out["flat"] = self.flat(obs["flat"].float())
        return out

    def forward(self, obs: Mapping[str, torch.Tensor]) -> torch.Tensor:
        parts = self.part_features(obs)
        features = torch.cat([part.float() for part in parts.values()], dim=1)  # parts may differ under autocast
        return F.relu(self.projection(features))
