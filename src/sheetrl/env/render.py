"""Rendering the environment: text for terminals (``ansi``) and images for videos (``rgb_array``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sheetrl.env.actions import targets_on
from sheetrl.sheet.address import cell_name, column_letters
from sheetrl.sheet.fileio import printable

if TYPE_CHECKING:
    from sheetrl.env.spreadsheet_env import SpreadsheetEnv

CELL_CHARS = 10
CELL_WIDTH = 72  # pixels
CELL_HEIGHT = 18
HEADER_WIDTH = 28


def visible_extent(env: SpreadsheetEnv) -> tuple[int, int, int, int]:
    """(top, left, rows, cols) worth showing: the observed window, trimmed to the used area, the targets and the
    cursor inside it, plus a margin."""
    assert env.state is not None and env.task is not None
    top, left = env._builder.origin
    rows, cols = env.config.grid_rows, env.config.grid_cols
    wb = env.state.workbook
    used = wb.used_range(env.state.sheet)
    last_rows = [env.state.cursor[0]] + [r for r, _ in targets_on(env.task, env.state.sheet)]
    last_cols = [env.state.cursor[1]] + [c for _, c in targets_on(env.task, env.state.sheet)]
    if used is not None:
        last_rows.append(used.row2)
        last_cols.append(used.col2)
    last_row = max((r for r in last_rows if top <= r < top + rows), default=top)
    last_col = max((c for c in last_cols if left <= c < left + cols), default=left)
    return top, left, min(rows, last_row - top + 2), min(cols, last_col - left + 2)


def cell_text(env: SpreadsheetEnv, row: int, col: int, width: int = CELL_CHARS) -> str:
    assert env.state is not None
    text = printable(env.state.workbook.display(env.state.address(cell_name(row, col))))  # one line, no escapes
    return text if len(text) <= width else text[: width - 1] + "…"


def render_ansi(env: SpreadsheetEnv) -> str:
    """The window of the sheet as text: column letters, row numbers, [cursor], *targets*, the selection in
    {braces}."""
    assert env.state is not None and env.task is not None
    top, left, rows, cols = visible_extent(env)
    targets = set(targets_on(env.task, env.state.sheet))
    r1, c1, r2, c2 = env.state.selection
    selected = env.state.anchor is not None
    lines = [printable(f"Task (level {env.task.level}, {env.task.template}): {env.task.instruction}")]
    header = "     " + "".join(f" {column_letters(c):^{CELL_CHARS}} " for c in range(left, left + cols))
    lines.append(header)
    for r in range(top, top + rows):
        parts = [f"{r + 1:>4} "]
        for c in range(left, left + cols):
            text = cell_text(env, r, c)
            if (r, c) == env.state.cursor:
                opening, closing = "[", "]"
            elif selected and r1 <= r <= r2 and c1 <= c <= c2:
                opening, closing = "{", "}"
            elif (r, c) in targets:
                opening, closing = "*", "*"
            else:
                opening, closing = " ", " "
            parts.append(f"{opening}{text:>{CELL_CHARS}}{closing}")
        lines.append("".join(parts))
    lines.append(f"sheet {env.state.sheet}   cursor {env.state.cursor_text}   "
                 f"selection {env.state.selection_text if selected else '-'}   step {env._steps}/{env.max_steps}")
    terms = env._last_info.get("reward_terms")
    if terms:
        lines.append("reward terms: " + ", ".join(f"{k} {v:+.2f}" for k, v in terms.items() if v))
    return "\n".join(lines)


def render_rgb(env: SpreadsheetEnv) -> np.ndarray:
    """An image of the whole observed window (fixed size, so frames stack into a video)."""
    from PIL import Image, ImageDraw

    assert env.state is not None and env.task is not None
    rows, cols = env.config.grid_rows, env.config.grid_cols
    top, left = env._builder.origin
    width = HEADER_WIDTH + cols * CELL_WIDTH
    height = CELL_HEIGHT * (rows + 2)
    image = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.text((4, 3), env.task.instruction[: width // 6], fill=(20, 20, 20))
    header_top = CELL_HEIGHT
    targets = set(targets_on(env.task, env.state.sheet))
    r1, c1, r2, c2 = env.state.selection
    selected = env.state.anchor is not None
    wb = env.state.workbook
    for c in range(cols):
        x = HEADER_WIDTH + c * CELL_WIDTH
        draw.rectangle([x, header_top, x + CELL_WIDTH, header_top + CELL_HEIGHT], fill=(230, 230, 230),
                       outline=(180, 180, 180))
        draw.text((x + CELL_WIDTH // 2 - 3, header_top + 3), column_letters(left + c), fill=(60, 60, 60))
    for r in range(rows):
        y = header_top + (r + 1) * CELL_HEIGHT
        draw.rectangle([0, y, HEADER_WIDTH, y + CELL_HEIGHT], fill=(230, 230, 230), outline=(180, 180, 180))
        draw.text((3, y + 3), str(top + r + 1), fill=(60, 60, 60))
        for c in range(cols):
            row, col = top + r, left + c
            x = HEADER_WIDTH + c * CELL_WIDTH
            fill = (255, 255, 255)
            if selected and r1 <= row <= r2 and c1 <= col <= c2:
                fill = (210, 228, 250)
            if (row, col) in targets:
                fill = (222, 245, 222) if fill == (255, 255, 255) else fill
            if (row, col) == env.state.cursor:
                fill = (255, 240, 170)
            draw.rectangle([x, y, x + CELL_WIDTH, y + CELL_HEIGHT], fill=fill, outline=(205, 205, 205))
            text = cell_text(env, row, col, 11)
            if text:
                address = env.state.address(cell_name(row, col))
                bold = wb.format(address).bold
                colour = (20, 20, 150) if wb.is_formula(address) else (20, 20, 20)
                draw.text((x + 3, y + 3), text, fill=colour, stroke_width=1 if bold else 0, stroke_fill=colour)
    return np.asarray(image, dtype=np.uint8).copy()
