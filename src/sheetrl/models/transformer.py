"""SpreadsheetGPT: a GPT-style transformer over the sheet's cells, the instruction and the action history.

**Input sequence.** One *decision* token, then the cells, the instruction's words and the previous macro
actions::

    [decision] [cell] [cell] ... [word 1] ... [word L] [action t-1] ... [action t-K]

A cell's token is the sum of embeddings of its four ``cell_tokens`` fields (kind, function, number format,
magnitude), of its row and of its column, and a linear map of its ``grid`` channels (value, cursor, selection,
target, ...). With ``sparse_cells`` (the presets) only the cells that differ from the blank background become
tokens — the non-empty ones and the empty ones that are marked (cursor, selection, target); every dropped cell
equals the background, so nothing is lost, and a typical sheet is 30-70 tokens instead of H·W = 288. Words and
actions add an embedding of their position; every token adds an embedding of its segment (decision, cell, word,
action, command). ``action_history`` is optional (B, K) int64, most recent first, padded with -1
(:data:`~sheetrl.models.spaces.ACTION_HISTORY_PAD`); ``cell_mask`` (B, H·W) bool optionally marks padding cells.
Padding (cells masked out, word id 0, action id < 0) is never attended to by any other token, and a padding
token attends only to itself, so padding cannot change any output. ``forward`` encodes a large batch in chunks
of sheets of similar length, so that one crowded sheet does not pad all the others.

**Blocks.** Pre-norm transformer blocks (LayerNorm -> multi-head self-attention -> residual, LayerNorm -> GELU MLP
-> residual), a final LayerNorm. The context tokens attend to each other in both directions; the command tokens
of the token head (below) come after them and are *causal*: each sees the whole context and the command tokens
before it. The context never sees command tokens, so its keys and values are computed once and reused for every
decoding step (:meth:`SpreadsheetGPT.encode` returns them; nothing is stored in the module, so forward passes
compose with gradient accumulation).

**Heads.** (a) macro-action logits from the decision token, illegal actions at the most negative float (from
``action_mask``); (c) a state value from the decision token; (b) a token head that writes any command of the
token language (:mod:`sheetrl.env.tokens`) after ``<bos>``, autoregressively, under the grammar of
:mod:`sheetrl.models.command_grammar` (constrained decoding: only tokens that keep the command valid; see
:meth:`SpreadsheetGPT.decode_commands`). Its output matrix is tied to the command-token embedding.

**Presets.** ``quick`` (d_model 128, 4 heads, 2 layers, feed-forward 512: CPU) and ``seed`` (768, 12, 6, 3072: the
seed's size, for a GPU with bf16). :meth:`SpreadsheetGPT.cell_attention` returns, per cell, how much attention
the decision token paid it (a heat map over the grid).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import NamedTuple, cast

import torch
import torch.nn.functional as F
from torch import nn

from sheetrl.env.tokens import BOS, TokenVocabulary, default_vocabulary
from sheetrl.models.base import PolicyNetwork
from sheetrl.models.command_grammar import CommandGrammar, command_grammar
from sheetrl.models.constrained import DecodedCommands, constrained_decode
from sheetrl.models.encoders import sequence_lengths
from sheetrl.models.spaces import ObservationSizes

DECISION, CELL, WORD, ACTION, COMMAND = range(5)  # segments


@dataclass
class TransformerConfig:
    """SpreadsheetGPT's sizes (defaults: the ``quick`` preset)."""

    d_model: int = 128  # width of every token's representation
    heads: int = 4  # attention heads (must divide d_model)
    layers: int = 2  # transformer blocks
    feedforward: int = 512  # hidden width of each block's MLP
    dropout: float = 0.0  # dropout on attention weights and on each residual branch (training only)
    max_history: int = 16  # most previous macro actions read (their position embeddings)
    max_command_length: int = 64  # most command-token positions of the token head, <bos> included
    sparse_cells: bool = True  # cells equal to the blank background are not tokens (see _select_cells)
    chunk_size: int = 64  # forward() encodes a larger batch in chunks of similar length (0: all at once)

    def __post_init__(self) -> None:
        for name in ("d_model", "heads", "layers", "feedforward", "max_command_length"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be positive, not {getattr(self, name)}")
        if self.d_model % self.heads:
            raise ValueError(f"heads ({self.heads}) must divide d_model ({self.d_model})")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), not {self.dropout}")
        if self.max_history < 0:
            raise ValueError(f"max_history must be >= 0, not {self.max_history}")


PRESETS: dict[str, TransformerConfig] = {
    "quick": TransformerConfig(),
    "seed": TransformerConfig(d_model=768, heads=12, layers=6, feedforward=3072, dropout=0.1,
                              max_command_length=128),
}


def preset(name: str, **overrides: object) -> TransformerConfig:
    """A preset by name (``quick`` or ``seed``), with fields overridden."""
    if name not in PRESETS:
        raise ValueError(f"unknown transformer preset {name!r}; presets are {', '.join(PRESETS)}")
    return replace(PRESETS[name], **overrides)  # type: ignore[arg-type]


class KeyValues(NamedTuple):
    """One layer's attention keys and values, (B, heads, S, head_dim) each."""

    keys: torch.Tensor
    values: torch.Tensor


class Context(NamedTuple):
    """The encoded context of a batch (see :meth:`SpreadsheetGPT.encode`)."""

    hidden: torch.Tensor  # (B, S, d) after the final LayerNorm
    layer_key_values: list[KeyValues]  # per block, for the command tokens to attend to
    valid: torch.Tensor  # (B, S) bool: False for padding
    cell_index: torch.Tensor  # (B, L) grid index (row by row) of the cell tokens 1..L
    attention: list[torch.Tensor] | None  # per block (B, heads, S, S) when requested


class Block(nn.Module):
    """Pre-norm transformer block: ``x + attention(norm(x))``, then ``x + mlp(norm(x))``."""

    def __init__(self, config: TransformerConfig) -> None:
        super().__init__()
        d = config.d_model
        self.heads = config.heads
        self.dropout = config.dropout
        self.attention_norm = nn.LayerNorm(d)
        self.qkv = nn.Linear(d, 3 * d)
        self.attention_out = nn.Linear(d, d)
        self.mlp_norm = nn.LayerNorm(d)
        self.mlp_in = nn.Linear(d, config.feedforward)
        self.mlp_out = nn.Linear(config.feedforward, d)
        self.residual_dropout = nn.Dropout(config.dropout)

    def forward(self, x: torch.Tensor, allowed: torch.Tensor, memory: KeyValues | None = None,
                need_weights: bool = False) -> tuple[torch.Tensor, KeyValues, torch.Tensor | None]:
        """``x`` (B, S, d); ``allowed`` (B, 1, S, S_memory + S) bool, True where a query may attend a key;
        ``memory``: keys and values of earlier tokens that ``x`` also attends to (not updated)."""
        batch, length, d = x.shape
        heads = self.heads
        q, k, v = self.qkv(self.attention_norm(x)).split(d, dim=-1)
        q, k, v = (t.view(batch, length, heads, d // heads).transpose(1, 2) for t in (q, k, v))
        own = KeyValues(k, v)
        if memory is not None:
            k = torch.cat([memory.keys.to(k.dtype), k], dim=2)
            v = torch.cat([memory.values.to(v.dtype), v], dim=2)
        weights = None
        if need_weights:
            scores = (q @ k.transpose(-2, -1)).float() / math.sqrt(d // heads)
            weights = torch.softmax(scores.masked_fill(~allowed, float("-inf")), dim=-1)
            attended = F.dropout(weights, self.dropout, self.training).to(v.dtype) @ v
        else:
            attended = F.scaled_dot_product_attention(q, k, v, attn_mask=allowed,
                                                      dropout_p=self.dropout if self.training else 0.0)
        attended = attended.transpose(1, 2).reshape(batch, length, d)
        x = x + self.residual_dropout(self.attention_out(attended))
        x = x + self.residual_dropout(self.mlp_out(F.gelu(self.mlp_in(self.mlp_norm(x)))))
        return x, own, weights


class SpreadsheetGPT(PolicyNetwork):
    """The transformer policy (see the module docstring).

    :param sizes: read from the spaces with :meth:`ObservationSizes.from_spaces` (grid, cell tokens,
        instruction, actions).
    :param config: sizes of the network (:data:`PRESETS`).
    :param token_vocabulary: the command-token vocabulary of the token head (default: the environment's).
    """

    observation_keys = ("grid", "cell_tokens", "instruction", "action_mask", "action_history", "cell_mask")

    def __init__(self, sizes: ObservationSizes, config: TransformerConfig | None = None,
                 token_vocabulary: TokenVocabulary | None = None) -> None:
        super().__init__()
        sizes.require("grid", "cell_tokens", "instruction")
        config = config or TransformerConfig()
        self.config = config
        self.sizes = sizes
        self.token_vocabulary = token_vocabulary or default_vocabulary()
        d = config.d_model
        self.decision = nn.Parameter(torch.randn(d) * 0.02)
        self.cell_fields = nn.ModuleList(nn.Embedding(v, d) for v in sizes.cell_vocabularies)
        self.cell_channels = nn.Linear(sizes.channels, d)
        self.row_embedding = nn.Embedding(sizes.rows, d)
        self.column_embedding = nn.Embedding(sizes.cols, d)
        self.word_embedding = nn.Embedding(sizes.instruction_vocabulary, d)
        self.word_position = nn.Embedding(sizes.instruction_length, d)
        self.action_embedding = nn.Embedding(sizes.num_actions + 1, d)  # the last row stands for padding
        self.action_position = nn.Embedding(max(1, config.max_history), d)
        self.command_embedding = nn.Embedding(len(self.token_vocabulary), d)
        self.command_position = nn.Embedding(config.max_command_length, d)
        self.segment = nn.Embedding(5, d)
        self.blocks = nn.ModuleList(Block(config) for _ in range(config.layers))
        self.final_norm = nn.LayerNorm(d)
        self.action_head = nn.Linear(d, sizes.num_actions)
        self.value_head = nn.Linear(d, 1)
        self.token_head = nn.Linear(d, len(self.token_vocabulary), bias=False)
        self.token_head.weight = self.command_embedding.weight  # tied input and output embeddings
        self.apply(_initialize)
        for block in self.blocks:  # GPT-2: residual projections scaled down with depth
            block = cast(Block, block)
            for projection in (block.attention_out, block.mlp_out):
                nn.init.normal_(projection.weight, std=0.02 / math.sqrt(2 * config.layers))

    @property
    def grammar(self) -> CommandGrammar:
        """The command grammar of the token head's vocabulary."""
        return command_grammar(self.token_vocabulary)

    # ---------------------------------------------------------------------------------------------- context
    def _select_cells(self, cell_tokens: torch.Tensor, grid: torch.Tensor, cell_mask: torch.Tensor | None
                      ) -> tuple[torch.Tensor, torch.Tensor]:
        """Which cells become tokens: (B, L) grid indices (row by row) and their (B, L) validity.

        Dense: every cell. Sparse (``config.sparse_cells``): the cells that differ from the blank background,
        that is, whose cell tokens are not all 0 (not empty) or whose grid channels differ from the median
        of the token-less cells (the cursor, the selection, the targets...). Every dropped cell equals the
        background, so the kept cells and their positions still say everything the grid does."""
        batch, cells = cell_tokens.shape[:2]
        real = torch.ones(batch, cells, dtype=torch.bool, device=cell_tokens.device)
        if cell_mask is not None:
            real = cell_mask.bool()
        keep = real
        if self.config.sparse_cells:
            channels = grid.flatten(2).transpose(1, 2).float()  # (B, cells, C)
            blank = (cell_tokens == 0).all(dim=-1) & real
            background = torch.nanmedian(channels.masked_fill(~blank.unsqueeze(-1), float("nan")), dim=1).values
            differs = (channels != background.unsqueeze(1)).any(dim=-1)  # a NaN background: every cell differs
            keep = real & (~blank | differs)
        length = max(1, int(keep.sum(dim=1).max()))
        order = torch.argsort((~keep).to(torch.int8), dim=1, stable=True)[:, :length]  # kept cells first, in order
        return order, keep.gather(1, order)

    def _context_tokens(self, obs: Mapping[str, torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
        """(B, S, d) embedded context tokens, their (B, S) validity and the (B, L) grid index of each cell
        token (tokens 1..L)."""
        sizes = self.sizes
        cell_tokens, grid = obs["cell_tokens"].long(), obs["grid"]
        batch = cell_tokens.shape[0]
        if tuple(cell_tokens.shape[1:]) != (sizes.cells, len(sizes.cell_vocabularies)):
            raise ValueError(f"cell_tokens must be (B, {sizes.cells}, {len(sizes.cell_vocabularies)}), not "
                             f"{tuple(cell_tokens.shape)}")
        device = cell_tokens.device
        index, cell_valid = self._select_cells(cell_tokens, grid, obs.get("cell_mask"))
        channels = grid.float().flatten(2).transpose(1, 2)
        picked_channels = channels.gather(1, index.unsqueeze(-1).expand(-1, -1, channels.shape[-1]))
        picked_tokens = cell_tokens.gather(1, index.unsqueeze(-1).expand(-1, -1, cell_tokens.shape[-1]))
        cells = self.cell_channels(picked_channels)
        cells = cells + self.row_embedding(index // sizes.cols) + self.column_embedding(index % sizes.cols)
        for i, embedding in enumerate(self.cell_fields):
            cells = cells + embedding(picked_tokens[..., i])
        cells = cells + self.segment.weight[CELL]

        words = obs["instruction"].long()
        if words.shape[1] > sizes.instruction_length:
            raise ValueError(f"the instruction has {words.shape[1]} tokens, the model reads at most "
                             f"{sizes.instruction_length}")
        words = words[:, : max(1, int(sequence_lengths(words).max()))]  # the padding all rows share is dropped
        word_positions = torch.arange(words.shape[1], device=device)
        embedded_words = self.word_embedding(words) + self.word_position(word_positions) + self.segment.weight[WORD]

        history = obs.get("action_history")
        if history is None:
            history = torch.full((batch, 0), -1, dtype=torch.long, device=device)
        history = history.long()
        if history.shape[1] > self.config.max_history:
            raise ValueError(f"action_history has {history.shape[1]} actions, the model reads at most "
                             f"{self.config.max_history} (config.max_history)")
        if bool((history >= self.sizes.num_actions).any()):
            raise ValueError(f"action_history holds ids >= {self.sizes.num_actions} (the number of actions)")
        history_valid = history >= 0
        padded_history = torch.where(history_valid, history, torch.full_like(history, self.sizes.num_actions))
        embedded_actions = (self.action_embedding(padded_history)
                            + self.action_position(torch.arange(history.shape[1], device=device))
                            + self.segment.weight[ACTION])

        decision = (self.decision + self.segment.weight[DECISION]).expand(batch, 1, -1)
        tokens = torch.cat([decision, cells, embedded_words, embedded_actions], dim=1)
        valid = torch.cat([torch.ones(batch, 1, dtype=torch.bool, device=device), cell_valid, words != 0,
                           history_valid], dim=1)
        return tokens, valid, index

    def encode(self, obs: Mapping[str, torch.Tensor], need_weights: bool = False) -> Context:
        """Run the blocks over the context tokens.

        :param obs: batched observation tensors (``grid``, ``cell_tokens``, ``instruction``; optional
            ``action_history``, ``cell_mask``).
        :param need_weights: also return every block's attention weights (slower: no fused attention).
        """
        x, valid, cell_index = self._context_tokens(obs)
        length = x.shape[1]
        itself = torch.eye(length, dtype=torch.bool, device=x.device)
        allowed = (valid[:, None, :] | itself).unsqueeze(1)  # (B, 1, S, S); a padding query sees only itself
        key_values, attention = [], []
        for block in self.blocks:
            x, own, weights = block(x, allowed, need_weights=need_weights)
            key_values.append(own)
            if weights is not None:
                attention.append(weights)
        return Context(self.final_norm(x), key_values, valid, cell_index, attention if need_weights else None)

    # ------------------------------------------------------------------------------------------------ heads
    def forward(self, obs: Mapping[str, torch.Tensor]) -> tuple[torch.Tensor, torch.Tensor]:
        """(macro-action logits (B, N), values (B,)): illegal actions (``action_mask`` 0) at the most negative
        float. A large batch is encoded in chunks of observations of similar length (``config.chunk_size``), so
        that one sheet with many cells does not pad every other sheet to its length; the outputs are the same."""
        chunks = self._chunks(obs)
        if len(chunks) == 1:
            return self.heads(self.encode(obs), obs.get("action_mask"))
        parts = [self.heads(self.encode(part), part.get("action_mask"))
                 for part in ({key: value[rows] for key, value in obs.items()} for rows in chunks)]
        order = torch.cat(chunks)  # row order[i] of the batch is row i of the concatenated chunks
        logits, values = (torch.cat([part[i] for part in parts]) for i in (0, 1))
        return (torch.zeros_like(logits).index_copy(0, order, logits),
                torch.zeros_like(values).index_copy(0, order, values))

    def _chunks(self, obs: Mapping[str, torch.Tensor]) -> list[torch.Tensor]:
        """Row indices of the batch, sorted by context length and cut into ``chunk_size`` rows each."""
        batch = obs["cell_tokens"].shape[0]
        size = self.config.chunk_size
        if size <= 0 or batch <= size:
            return [torch.arange(batch, device=obs["cell_tokens"].device)]
        with torch.no_grad():
            _, cells = self._select_cells(obs["cell_tokens"].long(), obs["grid"], obs.get("cell_mask"))
            lengths = cells.sum(dim=1) + sequence_lengths(obs["instruction"].long())
        return list(torch.argsort(lengths, stable=True).split(size))

    def heads(self, context: Context, action_mask: torch.Tensor | None) -> tuple[torch.Tensor, torch.Tensor]:
        """Action logits and values from an encoded context."""
        decision = context.hidden[:, 0]
        logits = self.action_head(decision)
        if action_mask is not None:
            logits = logits.masked_fill(~action_mask.bool(), torch.finfo(logits.dtype).min)
        return logits, self.value_head(decision).squeeze(-1)

    def command_logits(self, context: Context, tokens: torch.Tensor) -> torch.Tensor:
        """Next-token logits (B, T, V) of command tokens (B, T) that start with ``<bos>``: position ``j``
        predicts token ``j + 1`` (teacher forcing; apply :meth:`CommandGrammar.masks_along` for the loss)."""
        batch, length = tokens.shape
        if length > self.config.max_command_length:
            raise ValueError(f"{length} command tokens; the model reads at most {self.config.max_command_length} "
                             "(config.max_command_length)")
        device = tokens.device
        x = (self.command_embedding(tokens.long()) + self.command_position(torch.arange(length, device=device))
             + self.segment.weight[COMMAND])
        causal = torch.ones(length, length, dtype=torch.bool, device=device).tril()
        allowed = torch.cat([context.valid[:, None, :].expand(batch, length, -1),
                             causal.expand(batch, length, length)], dim=2).unsqueeze(1)
        for block, memory in zip(self.blocks, context.layer_key_values):
            x, _, _ = block(x, allowed, memory=memory)
        return self.token_head(self.final_norm(x))

    def decode_commands(self, obs: Mapping[str, torch.Tensor], max_length: int | None = None, *, greedy: bool = True,
                        temperature: float = 1.0, generator: torch.Generator | None = None) -> DecodedCommands:
        """Write one command per observation with the token head under the grammar: every command decodes and
        parses (see :func:`~sheetrl.models.constrained.constrained_decode`).

        :param max_length: most tokens per command, ``<eos>`` included (default and at most:
            ``config.max_command_length - 1``, as ``<bos>`` takes a position).
        """
        limit = self.config.max_command_length - 1
        max_length = limit if max_length is None else max_length
        if max_length > limit:
            raise ValueError(f"max_length {max_length} exceeds the model's {limit} command positions")
        context = self.encode(obs)
        batch = context.hidden.shape[0]

        def next_token_logits(prefix: torch.Tensor) -> torch.Tensor:
            return self.command_logits(context, prefix)[:, -1]

        return constrained_decode(next_token_logits, batch, self.grammar, max_length, greedy=greedy,
                                  temperature=temperature, generator=generator, device=context.hidden.device)

    # ---------------------------------------------------------------------------------------- interpretation
    @torch.no_grad()
    def cell_attention(self, obs: Mapping[str, torch.Tensor], layer: int = -1) -> torch.Tensor:
        """(B, H, W): the attention the decision token paid to each cell in block ``layer`` (default: the last),
        averaged over heads. A row of the full attention sums to 1 over cells, words and actions together, so
        the map also shows how much of the decision looked at the sheet at all."""
        context = self.encode(obs, need_weights=True)
        assert context.attention is not None
        cells = context.cell_index.shape[1]
        weights = context.attention[layer][:, :, 0, 1:1 + cells].mean(dim=1).float()  # (B, L)
        heat = torch.zeros(weights.shape[0], self.sizes.cells, device=weights.device)
        heat = heat.scatter_add(1, context.cell_index, weights * context.valid[:, 1:1 + cells])
        return heat.view(-1, self.sizes.rows, self.sizes.cols)


def _initialize(module: nn.Module) -> None:
    """GPT-2's initialization: normal(0, 0.02) weights, zero biases, unit LayerNorms."""
    if isinstance(module, (nn.Linear, nn.Embedding)):
        nn.init.normal_(module.weight, std=0.02)
        if isinstance(module, nn.Linear) and module.bias is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, nn.LayerNorm):
        nn.init.ones_(module.weight)
        nn.init.zeros_(module.bias)


def command_targets(tokens: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Split command token rows ``<bos> t1 ... <eos> <pad>...`` (B, T) into the model's inputs (B, T-1) and
    next-token targets (B, T-1); targets at padding are -100 (ignored by ``cross_entropy``)."""
    if bool((tokens[:, 0] != BOS).any()):
        raise ValueError("every command row must start with <bos>")
    inputs, targets = tokens[:, :-1], tokens[:, 1:].clone()
    targets[targets == 0] = -100
    return inputs, targets
