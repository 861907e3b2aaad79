"""The command language: the universal form of every action (agents, experts, demonstrations, people).

One command per line, words separated by spaces::

    goto B3                         move the cursor
    select B2:B10                   select a range (the cursor moves to its first cell)
    value B3 42                     enter a literal: a number, TRUE/FALSE, or text ("quoted" if it has spaces)
    formula B11 =SUM(B2:B10)        enter a formula (everything after the cell is the formula)
    fill B2 B3:B20                  copy B2 into every cell of B3:B20, adjusting relative references
    format B2:B10 currency          number format preset: general integer number thousands currency percent
                                    percent2 date scientific text
    bold A1:F1                      bold (also: italic, unbold)
    align B2:B10 right              horizontal alignment: left center right general
    clear B3:C4                     empty cells
    pivot A1:D50 rows=B values=sum(D) [cols=C] at F1
                                    pivot table over a source range with a header row; fields by column letter;
                                    aggregations: sum count average min max
    done                            declare the task finished

Commands address the task's sheet (no sheet prefixes). :func:`parse_command` gives a :class:`CommandError` naming
the problem for bad text; ``str(command)`` prints the canonical text, and ``parse_command(str(c)) == c``.
"""

from __future__ import annotations

import re
import shlex
from typing import Any, NamedTuple

from sheetrl.sheet.address import cell_name, column_index, parse_cell, parse_range
from sheetrl.sheet.errors import AddressError, SheetError
from sheetrl.sheet.formats import NUMBER_FORMAT_PRESETS
from sheetrl.sheet.pivot import AGGREGATIONS
from sheetrl.sheet.values import number_to_text, parse_number_text

VERBS = ("goto", "select", "value", "formula", "fill", "format", "bold", "italic", "unbold", "align", "clear",
         "pivot", "done")
STYLE_VERBS = ("bold", "italic", "unbold")
ALIGNMENTS = ("left", "center", "right", "general")
FORMAT_PRESETS = tuple(NUMBER_FORMAT_PRESETS)

# How much effort a command represents, for the action-cost reward term (documented in docs/environment.md).
COMPLEXITY = {
    "goto": 0.0, "select": 0.0, "done": 0.0,
    "value": 1.0, "clear": 1.0, "bold": 1.0, "italic": 1.0, "unbold": 1.0, "align": 1.0, "format": 1.0,
    "fill": 1.0, "formula": 1.0, "pivot": 3.0,
}


class CommandError(ValueError):
    """Command text that cannot be parsed or applied; the message names the problem."""


class Command(NamedTuple):
    """One command (immutable). Fields not used by a verb are None.

    A named tuple rather than a frozen dataclass: the environment builds one per macro per step to compute the
    action mask, and a named tuple is several times cheaper to create.

    :param verb: one of :data:`VERBS`.
    :param cell: the cell of goto/value/formula, the source cell of fill, the anchor of pivot.
    :param area: the range of select/fill/format/bold/italic/unbold/align/clear, the source range of pivot.
    :param value: the literal of value (float, bool or str).
    :param text: the formula text (with '='), the format preset, the alignment.
    :param rows: pivot row field (column letter); ``columns``: optional column field; ``values``: value field.
    :param aggregation: pivot aggregation.
    """

    verb: str
    cell: str | None = None
    area: str | None = None
    value: Any = None
    text: str | None = None
    rows: str | None = None
    columns: str | None = None
    values: str | None = None
    aggregation: str | None = None

    def __str__(self) -> str:
        v = self.verb
        if v == "done":
            return "done"
        if v == "goto":
            return f"goto {self.cell}"
        if v in ("select", "clear") or v in STYLE_VERBS:
            return f"{v} {self.area}"
        if v == "value":
            return f"value {self.cell} {format_literal(self.value)}"
        if v == "formula":
            return f"formula {self.cell} {self.text}"
        if v == "fill":
            return f"fill {self.cell} {self.area}"
        if v in ("format", "align"):
            return f"{v} {self.area} {self.text}"
        if v == "pivot":
            cols = f" cols={self.columns}" if self.columns else ""
            return f"pivot {self.area} rows={self.rows} values={self.aggregation}({self.values}){cols} at {self.cell}"
        raise CommandError(f"unknown verb {v!r}")

    @property
    def complexity(self) -> float:
        """Effort of the command for the action-cost reward: 0 for navigation, 1 per edit, 3 for a pivot, and
        for formulas 1 plus 0.25 per function call beyond the first (long formulas cost more)."""
        base = COMPLEXITY[self.verb]
        if self.verb == "formula" and self.text:
            calls = len(re.findall(r"[A-Za-z][A-Za-z0-9.]*\(", self.text))
            return base + 0.25 * max(0, calls - 1)
        return base


def format_literal(value: Any) -> str:
    """Canonical text of a literal: numbers in General form, TRUE/FALSE, text quoted when needed."""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, (int, float)):
        text = number_to_text(float(value))
        return text if float(text) == float(value) else repr(float(value))  # exact: replays must be bit-exact
    text = str(value)
    if (
        text == ""
        or any(ch.isspace() for ch in text)
        or '"' in text
        or text.upper() in ("TRUE", "FALSE")
        or parse_number_text(text) is not None
        or text.startswith("=")
    ):
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return text


def _parse_literal(text: str) -> Any:
    if text.startswith('"'):
        try:
            parts = shlex.split(text, posix=True)
        except ValueError as exc:
            raise CommandError(f"bad quoted text {text!r}: {exc}") from None
        if len(parts) != 1:
            raise CommandError(f"put text with spaces in one pair of quotes: {text!r}")
        return parts[0]
    upper = text.upper()
    if upper in ("TRUE", "FALSE"):
        return upper == "TRUE"
    number = parse_number_text(text)
    if number is not None:
        return number
    if any(ch.isspace() for ch in text):
        raise CommandError(f"put text with spaces in quotes: {text!r}")
    return text


def _cell(text: str, verb: str) -> str:
    try:
        address = parse_cell(text)
    except AddressError as exc:
        raise CommandError(f"{verb}: {exc}") from None
    if address.sheet is not None:
        raise CommandError(f"{verb}: commands address the task's sheet; drop the sheet name in {text!r}")
    return str(type(address)(None, address.row, address.col))


def _area(text: str, verb: str) -> str:
    try:
        rng = parse_range(text)
    except AddressError as exc:
        raise CommandError(f"{verb}: {exc}") from None
    if rng.sheet is not None:
        raise CommandError(f"{verb}: commands address the task's sheet; drop the sheet name in {text!r}")
    if rng.rows * rng.cols > 100_000:
        raise CommandError(f"{verb}: range {text!r} is larger than 100,000 cells")
    if (rng.rows, rng.cols) == (1, 1):
        return cell_name(rng.row1, rng.col1)
    return str(type(rng)(None, rng.row1, rng.col1, rng.row2, rng.col2))


def _column(text: str, what: str) -> str:
    try:
        column_index(text)
    except AddressError:
        raise CommandError(f"pivot: {what} must be a column letter such as B, not {text!r}") from None
    return text.upper()


def parse_command(line: str) -> Command:
    """Parse one command line; raises CommandError naming the problem."""
    if not isinstance(line, str):
        raise CommandError(f"a command is text, not {type(line).__name__}")
    stripped = line.strip()
    if not stripped:
        raise CommandError("empty command")
    verb, _, rest = stripped.partition(" ")
    verb = verb.lower()
    rest = rest.strip()
    if verb not in VERBS:
        raise CommandError(f"unknown command {verb!r}; commands are: {', '.join(VERBS)}")
    words = rest.split()
    if verb == "done":
        if rest:
            raise CommandError("done takes no arguments")
        return Command("done")
    if verb == "goto":
        _expect(words, 1, "goto CELL")
        return Command("goto", cell=_cell(words[0], verb))
    if verb in ("select", "clear") or verb in STYLE_VERBS:
        _expect(words, 1, f"{verb} RANGE")
        return Command(verb, area=_area(words[0], verb))
    if verb == "value":
        if len(words) < 2:
            raise CommandError("usage: value CELL LITERAL (a number, TRUE/FALSE or text)")
        cell_text, _, literal = rest.partition(" ")
        return Command("value", cell=_cell(cell_text, verb), value=_parse_literal(literal.strip()))
    if verb == "formula":
        if len(words) < 2:
            raise CommandError("usage: formula CELL =FORMULA")
        cell_text, _, formula = rest.partition(" ")
        formula = formula.strip()
        if not formula.startswith("="):
            formula = "=" + formula
        from sheetrl.sheet.parser import parse

        try:
            parse(formula)
        except SheetError as exc:
            raise CommandError(f"formula: {exc}") from None
        return Command("formula", cell=_cell(cell_text, verb), text=formula)
    if verb == "fill":
        _expect(words, 2, "fill SOURCE_CELL TARGET_RANGE")
        return Command("fill", cell=_cell(words[0], verb), area=_area(words[1], verb))
    if verb == "format":
        _expect(words, 2, f"format RANGE PRESET (one of {', '.join(FORMAT_PRESETS)})")
        preset = words[1].lower()
        if preset not in FORMAT_PRESETS:
            raise CommandError(f"format: unknown preset {words[1]!r}; presets are {', '.join(FORMAT_PRESETS)}")
        return Command("format", area=_area(words[0], verb), text=preset)
    if verb == "align":
        _expect(words, 2, f"align RANGE {'|'.join(ALIGNMENTS)}")
        if words[1].lower() not in ALIGNMENTS:
            raise CommandError(f"align: alignment must be one of {', '.join(ALIGNMENTS)}")
        return Command("align", area=_area(words[0], verb), text=words[1].lower())
    # pivot SOURCE rows=X values=agg(Y) [cols=Z] at CELL
    match = re.fullmatch(
        r"(\S+)\s+rows=(\S+)\s+values=(\w+)\((\w+)\)(?:\s+cols=(\S+))?\s+at\s+(\S+)", rest, flags=re.IGNORECASE
    )
    if match is None:
        raise CommandError("usage: pivot SOURCE_RANGE rows=COL values=AGG(COL) [cols=COL] at CELL")
    source, rows, aggregation, values, columns, anchor = match.groups()
    aggregation = aggregation.lower()
    if aggregation not in AGGREGATIONS:
        raise CommandError(f"pivot: aggregation must be one of {', '.join(AGGREGATIONS)}, not {aggregation!r}")
    return Command(
        "pivot",
        cell=_cell(anchor, verb),
        area=_area(source, verb),
        rows=_column(rows, "rows"),
        values=_column(values, "values"),
        columns=_column(columns, "cols") if columns else None,
        aggregation=aggregation,
    )


def _expect(words: list[str], count: int, usage: str) -> None:
    if len(words) != count:
        raise CommandError(f"usage: {usage}")
