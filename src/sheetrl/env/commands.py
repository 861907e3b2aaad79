"""The command language: the universal form of every action (agents, experts, demonstrations, people).

One command per line, words separated by spaces::

    goto B3                         move the cursor
    select B2:B10                   select a range (the cursor moves to its last cell)
    value B3 42                     enter a literal: a number, TRUE/FALSE, or text ("quoted" if it has spaces)
    formula B11 =SUM(B2:B10)        enter a formula (everything after the cell is the formula)
    fill B2 B3:B20                  copy B2 into every cell of B3:B20, adjusting relative references
    format B2:B10 currency          number format preset: general integer number thousands currency percent
                                    percent2 date scientific text
    bold A1:F1                      bold (also: italic, unbold)
    align B2:B10 right              horizontal alignment: left center right general
    clear B3:C4                     empty cells
    pivot A1:D50 rows=B values=sum(D) [cols=C] at F1
                                    pivot table over a source range with a header row (on this sheet, or on
                                    another one: Data!A1:D50); fields by column letter; aggregations: sum count
                                    average min max; the table is drawn at a cell of the current sheet
    newsheet Summary                add a sheet ("quoted" if its name has spaces) and go to it
    sheet Data                      go to another sheet of the workbook
    done                            declare the task finished

Addresses refer to the current sheet (no sheet prefixes), except a pivot's source. :func:`parse_command` gives a
:class:`CommandError` naming the problem for bad text; ``str(command)`` prints the canonical text, and
``parse_command(str(c)) == c``.

Every verb is one row of :data:`VERB_TABLE`: its argument signature (which :class:`Command` field holds each
argument, of which :class:`ArgumentKind`, introduced by which keyword), its effort for the complexity reward and its
usage line. Parsing, printing, token encoding and decoding (:mod:`sheetrl.env.tokens`) and normalization all walk
that table; :mod:`sheetrl.env.state` holds one handler per verb, checked against the table when it is imported.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from enum import Enum
from typing import Any, NamedTuple

from sheetrl.sheet.address import (
    cell_name,
    column_index,
    parse_cell,
    parse_range,
    quote_sheet_name,
)
from sheetrl.sheet.errors import AddressError, SheetError
from sheetrl.sheet.formats import NUMBER_FORMAT_PRESETS
from sheetrl.sheet.pivot import AGGREGATIONS
from sheetrl.sheet.values import number_to_text, parse_number_text

ALIGNMENTS = ("left", "center", "right", "general")
FORMAT_PRESETS = tuple(NUMBER_FORMAT_PRESETS)
MAX_AREA_CELLS = 100_000


class CommandError(ValueError):
    """Command text that cannot be parsed or applied; the message names the problem."""


class ArgumentKind(Enum):
    """What one argument of a command is; each kind has one parser, printer and token codec."""

    CELL = "CELL"  # a cell of the current sheet: B3
    AREA = "RANGE"  # a cell or range of the current sheet: B2:B10
    SOURCE = "SOURCE_RANGE"  # a range, on this sheet or another one: Data!A1:D50
    LITERAL = "LITERAL"  # a number, TRUE/FALSE or text; the rest of the line
    FORMULA = "=FORMULA"  # a formula; the rest of the line
    PRESET = "PRESET"  # a number-format preset name
    ALIGNMENT = "ALIGNMENT"  # a horizontal alignment
    COLUMN = "COL"  # a column letter of a pivot's source
    AGGREGATE = "AGG(COL)"  # a pivot aggregation and its value column, two fields: sum(D)
    SHEET_NAME = "NAME"  # a sheet name ("quoted" when it has spaces); the rest of the line

    @property
    def takes_rest_of_line(self) -> bool:
        return self in (ArgumentKind.LITERAL, ArgumentKind.FORMULA, ArgumentKind.SHEET_NAME)


@dataclass(frozen=True)
class Argument:
    """One argument of a verb.

    :param fields: the :class:`Command` field(s) it fills (two for :attr:`ArgumentKind.AGGREGATE`).
    :param kind: its :class:`ArgumentKind`.
    :param keyword: the word that introduces it: glued to the value when it ends with '=' (``rows=B``), else a
        word of its own (``at F1``). Token sequences write the keyword as one token in both cases.
    :param optional: it may be left out (the field is then None).
    """

    fields: tuple[str, ...]
    kind: ArgumentKind
    keyword: str | None = None
    optional: bool = False

    @property
    def usage(self) -> str:
        text = self.kind.value if self.keyword is None else (
            f"{self.keyword}{self.kind.value}" if self.keyword.endswith("=") else f"{self.keyword} {self.kind.value}")
        return f"[{text}]" if self.optional else text


@dataclass(frozen=True)
class VerbSpec:
    """One verb of the command language: its arguments in order, its effort (complexity reward) and its help."""

    name: str
    arguments: tuple[Argument, ...]
    complexity: float
    help: str

    @property
    def usage(self) -> str:
        return " ".join((self.name, *(a.usage for a in self.arguments)))


def _arg(field: str, kind: ArgumentKind, keyword: str | None = None, optional: bool = False) -> Argument:
    return Argument((field,), kind, keyword, optional)


_CELL = _arg("cell", ArgumentKind.CELL)
_AREA = _arg("area", ArgumentKind.AREA)
VERB_TABLE: tuple[VerbSpec, ...] = (
    VerbSpec("goto", (_CELL,), 0.0, "move the cursor"),
    VerbSpec("select", (_AREA,), 0.0, "select a range"),
    VerbSpec("value", (_CELL, _arg("value", ArgumentKind.LITERAL)), 1.0, "enter a number, TRUE/FALSE or text"),
    VerbSpec("formula", (_CELL, _arg("text", ArgumentKind.FORMULA)), 1.0, "enter a formula"),
    VerbSpec("fill", (_CELL, _AREA), 1.0, "copy a cell into a range, adjusting relative references"),
    VerbSpec("format", (_AREA, _arg("text", ArgumentKind.PRESET)), 1.0, "apply a number-format preset"),
    VerbSpec("bold", (_AREA,), 1.0, "make bold"),
    VerbSpec("italic", (_AREA,), 1.0, "make italic"),
    VerbSpec("unbold", (_AREA,), 1.0, "remove bold"),
    VerbSpec("align", (_AREA, _arg("text", ArgumentKind.ALIGNMENT)), 1.0, "align horizontally"),
    VerbSpec("clear", (_AREA,), 1.0, "empty cells"),
    VerbSpec(
        "pivot",
        (
            _arg("area", ArgumentKind.SOURCE),
            _arg("rows", ArgumentKind.COLUMN, "rows="),
            Argument(("aggregation", "values"), ArgumentKind.AGGREGATE, "values="),
            _arg("columns", ArgumentKind.COLUMN, "cols=", optional=True),
            _arg("cell", ArgumentKind.CELL, "at"),
        ),
        3.0,
        "pivot table over a source range with a header row",
    ),
    VerbSpec("newsheet", (_arg("text", ArgumentKind.SHEET_NAME),), 1.0, "add a sheet and go to it"),
    VerbSpec("sheet", (_arg("text", ArgumentKind.SHEET_NAME),), 0.0, "go to another sheet"),
    VerbSpec("done", (), 0.0, "declare the task finished"),
)
VERB_SPECS: dict[str, VerbSpec] = {spec.name: spec for spec in VERB_TABLE}
VERBS: tuple[str, ...] = tuple(VERB_SPECS)
STYLE_VERBS = ("bold", "italic", "unbold")
KEYWORDS: tuple[str, ...] = tuple(dict.fromkeys(
    a.keyword for spec in VERB_TABLE for a in spec.arguments if a.keyword is not None))
COMPLEXITY: dict[str, float] = {spec.name: spec.complexity for spec in VERB_TABLE}


class Command(NamedTuple):
    """One command (immutable). Fields not used by a verb are None.

    A named tuple rather than a frozen dataclass: the environment builds one per macro per step to compute the
    action mask, and a named tuple is several times cheaper to create.

    :param verb: one of :data:`VERBS`.
    :param cell: the cell of goto/value/formula, the source cell of fill, the anchor of pivot.
    :param area: the range of select/fill/format/bold/italic/unbold/align/clear, the source range of pivot.
    :param value: the literal of value (float, bool or str).
    :param text: the formula text (with '='), the format preset, the alignment, the sheet name.
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
        spec = VERB_SPECS.get(self.verb)
        if spec is None:
            raise CommandError(f"unknown verb {self.verb!r}")
        words = [self.verb]
        for argument in spec.arguments:
            values = tuple(getattr(self, name) for name in argument.fields)
            if argument.optional and values[0] is None:
                continue
            text = format_argument(argument.kind, values)
            if argument.keyword is None:
                words.append(text)
            elif argument.keyword.endswith("="):
                words.append(argument.keyword + text)
            else:
                words += [argument.keyword, text]
        return " ".join(words)

    @property
    def complexity(self) -> float:
        """Effort of the command for the action-cost reward: 0 for navigation, 1 per edit, 3 for a pivot, and
        for formulas 1 plus 0.25 per function call beyond the first (long formulas cost more)."""
        base = COMPLEXITY[self.verb]
        if self.verb == "formula" and self.text:
            calls = len(re.findall(r"[A-Za-z][A-Za-z0-9.]*\(", self.text))
            return base + 0.25 * max(0, calls - 1)
        return base


# ------------------------------------------------------------------------------------------------ argument kinds
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
        return _quote(text)
    return text


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def format_argument(kind: ArgumentKind, values: tuple[Any, ...]) -> str:
    """The canonical text of one argument (the values of its fields)."""
    if kind is ArgumentKind.LITERAL:
        return format_literal(values[0])
    if kind is ArgumentKind.AGGREGATE:
        return f"{values[0]}({values[1]})"
    if kind is ArgumentKind.SHEET_NAME:
        name = str(values[0])
        return name if name and not any(ch.isspace() or ch in "\"'" for ch in name) else _quote(name)
    return str(values[0])


def _parse_quoted(text: str, what: str) -> str:
    try:
        parts = shlex.split(text, posix=True)
    except ValueError as exc:
        raise CommandError(f"bad quoted {what} {text!r}: {exc}") from None
    if len(parts) != 1:
        raise CommandError(f"put {what} with spaces in one pair of quotes: {text!r}")
    return parts[0]


def _parse_literal(text: str) -> Any:
    if text.startswith('"'):
        return _parse_quoted(text, "text")
    upper = text.upper()
    if upper in ("TRUE", "FALSE"):
        return upper == "TRUE"
    number = parse_number_text(text)
    if number is not None:
        return number
    if any(ch.isspace() for ch in text):
        raise CommandError(f"put text with spaces in quotes: {text!r}")
    return text


def check_cell(text: str, verb: str) -> str:
    """The canonical text of a cell of the current sheet ('b3' -> 'B3'); CommandError naming the problem."""
    try:
        address = parse_cell(text)
    except AddressError as exc:
        raise CommandError(f"{verb}: {exc}") from None
    if address.sheet is not None:
        raise CommandError(f"{verb}: commands address the current sheet; drop the sheet name in {text!r}")
    return cell_name(address.row, address.col)


def check_area(text: str, verb: str, allow_sheet: bool = False) -> str:
    """The canonical text of a range of the current sheet (a one-cell range is the cell, 'A1:A1' included), or
    with ``allow_sheet`` of a range that may name its sheet; CommandError naming the problem."""
    try:
        rng = parse_range(text)
    except AddressError as exc:
        raise CommandError(f"{verb}: {exc}") from None
    if rng.sheet is not None and not allow_sheet:
        raise CommandError(f"{verb}: commands address the current sheet; drop the sheet name in {text!r}")
    if rng.rows * rng.cols > MAX_AREA_CELLS:
        raise CommandError(f"{verb}: range {text!r} is larger than {MAX_AREA_CELLS:,} cells")
    if (rng.rows, rng.cols) == (1, 1):
        area = cell_name(rng.row1, rng.col1)
    else:
        area = f"{cell_name(rng.row1, rng.col1)}:{cell_name(rng.row2, rng.col2)}"
    return area if rng.sheet is None else f"{quote_sheet_name(rng.sheet)}!{area}"


def check_column(text: str, what: str) -> str:
    """A column letter of a pivot field ('b' -> 'B'); CommandError naming the problem."""
    try:
        column_index(text)
    except AddressError:
        raise CommandError(f"pivot: {what} must be a column letter such as B, not {text!r}") from None
    return text.upper()


def check_formula(text: str) -> str:
    """Formula text with its leading '=' (added when missing), checked by the engine's parser."""
    formula = text.strip()
    if not formula.startswith("="):
        formula = "=" + formula
    from sheetrl.sheet.parser import parse

    try:
        parse(formula)
    except SheetError as exc:
        raise CommandError(f"formula: {exc}") from None
    return formula


def check_choice(word: str, verb: str, choices: tuple[str, ...], what: str) -> str:
    if word.lower() not in choices:
        raise CommandError(f"{verb}: unknown {what} {word!r}; choose one of {', '.join(choices)}")
    return word.lower()


def check_sheet_name(name: str, verb: str) -> str:
    """A sheet name as the engine accepts it (1-31 characters, none of []:*?/\\)."""
    from sheetrl.sheet.workbook import _check_sheet_name

    try:
        _check_sheet_name(name)
    except SheetError as exc:
        raise CommandError(f"{verb}: {exc}") from None
    return name


def parse_argument(kind: ArgumentKind, text: str, verb: str) -> tuple[Any, ...]:
    """The field value(s) of one argument's text (text form), checked; CommandError naming the problem."""
    if kind is ArgumentKind.CELL:
        return (check_cell(text, verb),)
    if kind is ArgumentKind.AREA:
        return (check_area(text, verb),)
    if kind is ArgumentKind.SOURCE:
        return (check_area(text, verb, allow_sheet=True),)
    if kind is ArgumentKind.LITERAL:
        return (_parse_literal(text),)
    if kind is ArgumentKind.FORMULA:
        return (check_formula(text),)
    if kind is ArgumentKind.PRESET:
        return (check_choice(text, verb, FORMAT_PRESETS, "preset"),)
    if kind is ArgumentKind.ALIGNMENT:
        return (check_choice(text, verb, ALIGNMENTS, "alignment"),)
    if kind is ArgumentKind.COLUMN:
        return (check_column(text, "a field"),)
    if kind is ArgumentKind.AGGREGATE:
        match = re.fullmatch(r"(\w+)\((\w+)\)", text)
        if match is None:
            raise CommandError(f"pivot: values must look like sum(D), not {text!r}")
        aggregation = match.group(1).lower()
        if aggregation not in AGGREGATIONS:
            raise CommandError(f"pivot: aggregation must be one of {', '.join(AGGREGATIONS)}, not {aggregation!r}")
        return aggregation, check_column(match.group(2), "values")
    name = _parse_quoted(text, "a sheet name") if text.startswith('"') else text
    if not text.startswith('"') and any(ch.isspace() for ch in text):
        raise CommandError(f"put a sheet name with spaces in quotes: {text!r}")
    return (check_sheet_name(name, verb),)


# ------------------------------------------------------------------------------------------------------ parsing
def parse_command(line: str) -> Command:
    """Parse one command line; raises CommandError naming the problem."""
    if not isinstance(line, str):
        raise CommandError(f"a command is text, not {type(line).__name__}")
    stripped = line.strip()
    if not stripped:
        raise CommandError("empty command")
    verb, _, rest = stripped.partition(" ")
    verb = verb.lower()
    spec = VERB_SPECS.get(verb)
    if spec is None:
        raise CommandError(f"unknown command {verb!r}; commands are: {', '.join(VERBS)}")
    if not spec.arguments:
        if rest.strip():
            raise CommandError(f"{verb} takes no arguments")
        return Command(verb)
    fields: dict[str, Any] = {}
    remaining = rest.strip()
    for index, argument in enumerate(spec.arguments):
        last = index == len(spec.arguments) - 1
        if argument.kind.takes_rest_of_line:
            word, remaining = remaining, ""
        else:
            word, remaining = _next_word(remaining)
        keyword = argument.keyword
        if keyword is not None:
            present = word.lower().startswith(keyword) if keyword.endswith("=") else word.lower() == keyword
            if not present:
                if argument.optional:
                    remaining = f"{word} {remaining}".strip()
                    continue
                raise CommandError(f"usage: {spec.usage}")
            if keyword.endswith("="):
                word = word[len(keyword):]
            else:
                word, remaining = _next_word(remaining)
        if not word or (last and remaining):
            raise CommandError(f"usage: {spec.usage}")
        fields.update(zip(argument.fields, parse_argument(argument.kind, word, verb)))
    return Command(verb, **fields)


def _next_word(text: str) -> tuple[str, str]:
    """The first word of a text and the rest: a word ends at whitespace outside quotes ('sheet names' and
    "text"), so a source range on a sheet whose name has spaces is one word."""
    quote = None
    for index, char in enumerate(text):
        if quote is None:
            if char in "'\"":
                quote = char
            elif char.isspace():
                return text[:index], text[index:].strip()
        elif char == quote:
            quote = None
    return text, ""


def usage() -> str:
    """One usage line per verb, from the verb table."""
    return "\n".join(f"{spec.usage:<58} {spec.help}" for spec in VERB_TABLE)
