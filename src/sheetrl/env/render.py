"""Rendering the environment: text for terminals (``ansi``) and images for videos (``rgb_array``)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from sheetrl.sheet.address import cell_name, column_letters
from sheetrl.sheet.address import parse_cell

if TYPE_CHECKING:
    from sheetrl.env.spreadsheet_env import SpreadsheetEnv

CELL_CHARS = 10
CELL_WIDTH = 72  # pixels
CELL_HEIGHT = 18
HEADER_WIDTH = 28


def visible_extent(env: SpreadsheetEnv) -> tuple[int, int]:
    """Rows and columns worth showing: the used area, the targets and the cursor, plus a margin."""
    assert env.state is not None and env.task is not None
    wb = env.state.workbook
    used = wb.used_range()
    rows = [env.state.cursor[0]] + [parse_cell(a).row for a in env.task.target_cells]
    cols = [env.state.cursor[1]] + [parse_cell(a).col for a in env.task.target_cells]
    if used is not None:
        rows.append(used.row2)
        cols.append(used.col2)
    return min(env.config.grid_rows, max(rows) + 2), min(env.config.grid_cols, max(cols) + 2)


def cell_text(env: SpreadsheetEnv, row: int, col: int, width: int = CELL_CHARS) -> str:
    assert env.state is not None
    text = env.state.workbook.display(cell_name(row, col))
    return text if len(text) <= width else text[: width - 1] + "…"


def render_ansi(env: SpreadsheetEnv) -> str:
    """The sheet as text: column letters, row numbers, [cursor], *targets*, the selection in {braces}."""
    assert env.state is not None and env.task is not None
    rows, cols = visible_extent(env)
    targets = {(parse_cell(a).row, parse_cell(a).col) for a in env.task.target_cells}
    r1, c1, r2, c2 = env.state.selection
    selected = env.state.anchor is not None
    lines = [f"Task (level {env.task.level}, {env.task.template}): {env.task.instruction}"]
    header = "    " + "".join(f" {column_letters(c):^{CELL_CHARS}} " for c in range(cols))
    lines.append(header)
    for r in range(rows):
        parts = [f"{r + 1:>3} "]
        for c in range(cols):
            text = cell_text(env, r, c)
            if (r, c) == env.state.cursor:
                left, right = "[", "]"
            elif selected and r1 <= r <= r2 and c1 <= c <= c2:
                left, right = "{", "}"
            elif (r, c) in targets:
                left, right = "*", "*"
            else:
                left, right = " ", " "
            parts.append(f"{left}{text:>{CELL_CHARS}}{right}")
        lines.append("".join(parts))
    lines.append(f"cursor {env.state.cursor_text}   selection {env.state.selection_text if selected else '-'}   "
                 f"step {env._steps}/{env.max_steps}")
    terms = env._last_info.get("reward_terms")
    if terms:
        lines.append("reward terms: " + ", ".join(f"{k} {v:+.2f}" for k, v in terms.items() if v))
    return "\n".join(lines)


def render_rgb(env: SpreadsheetEnv) -> np.ndarray:
    """An image of the whole observed grid (fixed size, so frames stack into a video)."""
    from PIL import Image, ImageDraw

    assert env.state is not None and env.task is not None
    rows, cols = env.config.grid_rows, env.config.grid_cols
    width = HEADER_WIDTH + cols * CELL_WIDTH
    height = CELL_HEIGHT * (rows + 2)
    image = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    draw.text((4, 3), env.task.instruction[: width // 6], fill=(20, 20, 20))
    top = CELL_HEIGHT
    targets = {(parse_cell(a).row, parse_cell(a).col) for a in env.task.target_cells}
    r1, c1, r2, c2 = env.state.selection
    selected = env.state.anchor is not None
    wb = env.state.workbook
    for c in range(cols):
        x = HEADER_WIDTH + c * CELL_WIDTH
        draw.rectangle([x, top, x + CELL_WIDTH, top + CELL_HEIGHT], fill=(230, 230, 230), outline=(180, 180, 180))
        draw.text((x + CELL_WIDTH // 2 - 3, top + 3), column_letters(c), fill=(60, 60, 60))
    for r in range(rows):
        y = top + (r + 1) * CELL_HEIGHT
        draw.rectangle([0, y, HEADER_WIDTH, y + CELL_HEIGHT], fill=(230, 230, 230), outline=(180, 180, 180))
        draw.text((3, y + 3), str(r + 1), fill=(60, 60, 60))
        for c in range(cols):
            x = HEADER_WIDTH + c * CELL_WIDTH
            fill = (255, 255, 255)
            if selected and r1 <= r <= r2 and c1 <= c <= c2:
                fill = (210, 228, 250)
            if (r, c) in targets:
                fill = (222, 245, 222) if fill == (255, 255, 255) else fill
            if (r, c) == env.state.cursor:
                fill = (255, 240, 170)
            draw.rectangle([x, y, x + CELL_WIDTH, y + CELL_HEIGHT], fill=fill, outline=(205, 205, 205))
            text = cell_text(env, r, c, 11)
            if text:
                address = cell_name(r, c)
                bold = wb.format(address).bold
                colour = (20, 20, 150) if wb.is_formula(address) else (20, 20, 20)
                draw.text((x + 3, y + 3), text, fill=colour, stroke_width=1 if bold else 0, stroke_fill=colour)
    return np.asarray(image, dtype=np.uint8).copy()
