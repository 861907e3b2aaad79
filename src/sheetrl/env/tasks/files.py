"""Task files: tasks on any workbook, written by a user or an external suite (format: docs/task_files.md).

A task file is JSON — ``{"format": "sheetrl-tasks", "version": 1, "tasks": [TASK, ...]}`` — or JSON Lines with
one TASK object per line (each with ``"version": 1``). A TASK names an ``.xlsx`` workbook (relative to the task
file), the sheet the agent starts on, the instruction, and the targets: cells or filled ranges with a reference
formula, a value, a format, an empty cell, or a pivot table (source, fields by header name, aggregation, anchor,
possibly on a new sheet). Optional fields say which other cells the agent may change (``allowed``) or read
(``may_read``), which cells the checker perturbs and how, the step budget and the references the instruction
makes.

:func:`load_task_file` validates a file and returns :class:`~sheetrl.env.tasks.base.Task` objects whose expert is
the reference solution as command lines (``Task.expert_commands``), built from the targets; run one with
``env.reset(options={"task": task})`` and :meth:`SpreadsheetEnv.step_command`.
"""

from __future__ import annotations

import dataclasses
import json
import math
from pathlib import Path
from typing import Any

from sheetrl.env.commands import (
    MAX_AREA_CELLS,
    ArgumentKind,
    CommandError,
    check_sheet_name,
    format_argument,
    format_literal,
    parse_command,
)
from sheetrl.env.tasks.base import Target, Task, instruction_references
from sheetrl.env.tasks.checker import PERTURBATIONS, dependency_reach, leaf_reads
from sheetrl.sheet import SheetError, Workbook
from sheetrl.sheet.address import (
    MAX_COLS,
    MAX_ROWS,
    cell_name,
    column_letters,
    make_key,
    parse_cell,
    parse_range,
    quote_sheet_name,
)
from sheetrl.sheet.errors import CYCLE, NAME
from sheetrl.sheet.fileio import UnsafeFileError, loads_json, printable, read_input_bytes, write_atomic
from sheetrl.sheet.formats import NUMBER_FORMAT_PRESETS
from sheetrl.sheet.nodes import Call, Node
from sheetrl.sheet.parser import parse
from sheetrl.sheet.pivot import AGGREGATIONS

FORMAT_NAME = "sheetrl-tasks"
VERSION = 1
FAMILY = "file"
TASK_KEYS = {"version", "id", "workbook", "sheet", "instruction", "references", "targets", "allowed", "may_read",
             "inputs", "perturbations", "criteria", "lookup", "max_steps", "start", "slots"}
TARGET_KEYS = {"cell", "range", "formula", "value", "bold", "number_format", "empty", "reads", "pivot", "at"}
PIVOT_KEYS = {"source", "rows", "values", "aggregation", "columns"}
COUNTING = {"COUNT", "COUNTA", "COUNTBLANK", "COUNTIF", "COUNTIFS"}
RANKING = {"MIN", "MAX", "MINA", "MAXA", "LARGE", "SMALL", "RANK", "RANK.EQ", "RANK.AVG", "MEDIAN", "MINIFS",
           "MAXIFS", "PERCENTILE", "QUARTILE"}
EXTENT_MARGIN = (20, 6)  # rows and columns past the used range the agent may address
MAX_STEPS = 100_000  # a larger budget would let an evaluation run for days on a policy that never says done
# Slots the macro actions read (env/actions.py), by the kind of value each holds.
SLOT_KINDS = {"value": "literal", "header": "literal", "if_true": "text", "if_false": "text",
              "threshold": "number", "digits": "digits", "rate_cell": "cell", "rate_cell_2": "cell",
              "lookup_table": "range", "criteria_range": "range", "sum_range": "range",
              "lookup_column": "positive", "pivot": "pivot", "new_sheet": "sheet"}


class TaskFileError(ValueError):
    """A task file that cannot be read or is not valid; the message names the task and the problem."""


# ---------------------------------------------------------------------------------------------------- reading
def load_task_file(path: str | Path) -> list[Task]:
    """The tasks of a task file (JSON or JSON Lines), validated; raises TaskFileError naming the problem."""
    path = Path(path)
    try:
        text = read_input_bytes(path).decode("utf-8")
    except UnsafeFileError as exc:
        raise TaskFileError(f"cannot read task file {path}: it {exc.strerror}") from None
    except OSError as exc:
        raise TaskFileError(f"cannot read task file {path}: {exc.strerror or exc}") from None
    except UnicodeDecodeError as exc:
        raise TaskFileError(f"task file {path} is not UTF-8 text (byte {exc.start}); a task file is JSON or JSON "
                            "Lines") from None
    specs = _parse_documents(text, path)
    if not specs:
        raise TaskFileError(f"{path} holds no tasks")
    tasks = []
    seen: set[str] = set()
    for index, spec in enumerate(specs):
        task = build_task(spec, path.parent, index)
        if task.template in seen:
            raise TaskFileError(f"{path}: task id {task.template!r} is used twice")
        seen.add(task.template)
        task.source = {"base": str(path.parent.resolve()), "index": index, "spec": spec}
        tasks.append(task)
    return tasks


def task_from_source(source: dict[str, Any]) -> Task:
    """Rebuild a task-file task from its ``Task.source`` (what environment snapshots store)."""
    task = build_task(source["spec"], Path(source["base"]), int(source["index"]))
    task.source = source
    return task


def _parse_documents(text: str, path: Path) -> list[dict[str, Any]]:
    """Task objects of a file: one JSON document with a "tasks" list, or one task object per line."""
    stripped = text.strip()
    if not stripped:
        return []
    try:
        document = loads_json(stripped)
    except json.JSONDecodeError:
        document = None  # not one document: JSON Lines
    if isinstance(document, dict) and "tasks" in document:
        if document.get("format") != FORMAT_NAME or document.get("version") != VERSION:
            raise TaskFileError(f'{path}: a JSON task file starts {{"format": "{FORMAT_NAME}", "version": '
                                f'{VERSION}, ...}}, not format {document.get("format")!r}, version '
                                f'{document.get("version")!r}')
        tasks = document["tasks"]
        if not isinstance(tasks, list) or not all(isinstance(t, dict) for t in tasks):
            raise TaskFileError(f"{path}: 'tasks' must be a list of task objects")
        return [dict(t, version=t.get("version", VERSION)) for t in tasks]
    specs = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            item = loads_json(line)
        except json.JSONDecodeError as exc:
            raise TaskFileError(f"{path}, line {number}: not JSON ({exc.msg})") from None
        if not isinstance(item, dict):
            raise TaskFileError(f"{path}, line {number}: a task is a JSON object")
        specs.append(item)
    return specs


# --------------------------------------------------------------------------------------------------- building
class _Spec:
    """Typed access to one task object, with errors that name the task and the field."""

    def __init__(self, spec: dict[str, Any], index: int) -> None:
        self.spec = spec
        name = spec.get("id", f"#{index + 1}") if isinstance(spec, dict) else f"#{index + 1}"
        self.name = name if isinstance(name, str) and name.strip() else f"#{index + 1}"
        if isinstance(spec, dict) and "id" in spec and self.name != spec["id"]:
            raise self.error(f"'id' must be non-empty text, not {spec['id']!r}")

    def error(self, message: str) -> TaskFileError:
        return TaskFileError(f"task {printable(self.name)}: {message}")

    def text(self, key: str, default: str | None = None) -> str:
        value = self.spec.get(key, default)
        if not isinstance(value, str) or not value.strip():
            raise self.error(f"{key!r} must be non-empty text" + ("" if key in self.spec else " (missing)"))
        return value

    def texts(self, key: str) -> list[str]:
        value = self.spec.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.error(f"{key!r} must be a list of texts")
        return value


def build_task(spec: dict[str, Any], base: Path, index: int = 0) -> Task:
    """One task from a task object (``base``: the folder relative paths start from)."""
    s = _Spec(spec, index)
    if not isinstance(spec, dict):
        raise TaskFileError(f"task #{index + 1}: a task is a JSON object")
    if spec.get("version") != VERSION:
        raise s.error(f"'version' must be {VERSION}, not {spec.get('version')!r}")
    unknown = sorted(set(spec) - TASK_KEYS)
    if unknown:
        raise s.error(f"unknown field(s) {', '.join(unknown)}; fields are {', '.join(sorted(TASK_KEYS))}")
    workbook_name = s.text("workbook")
    if "\0" in workbook_name:  # no file name holds one (resolving the path raised ValueError)
        raise s.error(f"'workbook' must be a file path, not {workbook_name!r} (it holds a NUL character)")
    workbook_path = (base / workbook_name).resolve()
    try:
        workbook = Workbook.load(workbook_path)
    except (SheetError, OSError) as exc:
        raise s.error(f"cannot load workbook {workbook_path}: {exc}") from None
    sheet = spec.get("sheet", workbook.sheet_names[0])
    if not isinstance(sheet, str) or sheet.upper() not in (n.upper() for n in workbook.sheet_names):
        raise s.error(f"sheet {sheet!r} is not in {workbook_path.name} (sheets: {', '.join(workbook.sheet_names)})")
    sheet = next(n for n in workbook.sheet_names if n.upper() == sheet.upper())
    instruction = s.text("instruction")
    targets_spec = spec.get("targets")
    if not isinstance(targets_spec, list) or not targets_spec:
        raise s.error("'targets' must be a non-empty list")
    commands: list[str] = []
    targets: list[Target] = []
    builder = _Solution(workbook, sheet, s)
    for number, target in enumerate(targets_spec, start=1):
        if not isinstance(target, dict):
            raise s.error(f"target {number} must be an object")
        targets += builder.add(target, number)
    commands = builder.commands
    for key in ("allowed", "may_read", "inputs", "criteria"):
        for area in s.texts(key):
            _check_area(s, area, key, enumerated=key != "allowed")  # allowed is kept as corners, never listed
    lookup = spec.get("lookup")
    if lookup is not None:
        _check_area(s, s.text("lookup"), "lookup", enumerated=True)
    instruction_areas = {_canonical_area(ref.text) for ref in instruction_references(instruction)}
    for reference in s.texts("references"):
        _check_area(s, reference, "references")
        if _canonical_area(reference) not in instruction_areas:
            raise s.error(f"reference {reference!r} does not occur in the instruction; 'references' lists the "
                          "cells and ranges the instruction names")
    start = spec.get("start", "A1")
    try:
        start_cell = parse_cell(start)
    except (SheetError, TypeError):
        raise s.error(f"'start' must be a cell such as A1, not {start!r}") from None
    if start_cell.sheet is not None and start_cell.sheet.upper() != sheet.upper():  # it was dropped silently
        raise s.error(f"'start' is a cell of the task's sheet {sheet!r}, not {start!r}; 'sheet' names the sheet "
                      "the agent starts on")
    start = cell_name(start_cell.row, start_cell.col)
    used = [workbook.used_range(n) for n in workbook.sheet_names]
    rows = max([r.row2 for r in used if r is not None] + [parse_cell(start).row] + builder.rows) + EXTENT_MARGIN[0]
    cols = max([r.col2 for r in used if r is not None] + [parse_cell(start).col] + builder.cols) + EXTENT_MARGIN[1]
    slots = spec.get("slots", {})
    if not isinstance(slots, dict):
        raise s.error("'slots' must be an object")
    _check_slots(s, slots)
    task = Task(FAMILY, 0, s.name, index, workbook, instruction, targets, [], sheet=sheet, start=start,
                allowed=s.texts("allowed"), may_read=s.texts("may_read"), lookup=lookup,
                criteria=_expand(s.texts("criteria") or builder.criteria), slots=dict(slots),
                extent=(min(max(rows + 1, 24), MAX_ROWS), min(max(cols + 1, 12), MAX_COLS)),
                expert_commands=commands,
                named=s.texts("references") if "references" in spec else None, split="file")
    try:
        task.solution  # noqa: B018  (runs the reference solution once; it is cached on the task)
    except (CommandError, SheetError, ValueError) as exc:
        raise s.error(f"the reference solution does not run: {exc}") from None
    task.inputs = _expand(s.texts("inputs")) if "inputs" in spec else builder.inputs(task)
    perturbations = spec.get("perturbations")
    if perturbations is None:
        perturbations = builder.perturbations(task)
    if not isinstance(perturbations, list) or not all(isinstance(p, str) and p in PERTURBATIONS
                                                      for p in perturbations):
        raise s.error(f"'perturbations' must be a list of {', '.join(PERTURBATIONS)}")
    task.perturbations = tuple(perturbations)
    max_steps = spec.get("max_steps", max(20, 10 + 4 * len(commands)))
    if isinstance(max_steps, bool) or not isinstance(max_steps, int) or max_steps < 1:
        raise s.error(f"'max_steps' must be a positive integer, not {max_steps!r}")
    if max_steps > MAX_STEPS:
        raise s.error(f"'max_steps' must be at most {MAX_STEPS:,}, not {max_steps:,}")
    task.max_steps = max_steps
    return _with_expected(task, s)


def _check_area(s: _Spec, area: str, key: str, enumerated: bool = False) -> None:
    """A range address; ``enumerated`` ranges (listed cell by cell) are at most MAX_AREA_CELLS cells."""
    try:
        rng = parse_range(area)
    except SheetError as exc:
        raise s.error(f"{key}: {exc}") from None
    if enumerated and rng.rows * rng.cols > MAX_AREA_CELLS:
        raise s.error(f"{key}: {area} has more than {MAX_AREA_CELLS:,} cells")


def _canonical_area(text: str) -> str:
    rng = parse_range(text.replace("$", ""))
    area = f"{cell_name(rng.row1, rng.col1)}:{cell_name(rng.row2, rng.col2)}"
    return area if rng.sheet is None else f"{rng.sheet.upper()}!{area}"


def _check_slots(s: _Spec, slots: dict[str, Any]) -> None:
    """Each slot is one the macros read, holding what they expect (a wrong one would fail inside the macros)."""
    unknown = sorted(set(slots) - set(SLOT_KINDS))
    if unknown:
        raise s.error(f"unknown slot(s) {', '.join(unknown)}; slots are {', '.join(sorted(SLOT_KINDS))}")
    for name, value in slots.items():
        kind = SLOT_KINDS[name]
        if kind == "literal" and not (isinstance(value, (str, bool, int)) or
                                      (isinstance(value, float) and math.isfinite(value))):
            raise s.error(f"slot {name!r} must be a number, text or true/false, not {value!r}")
        if kind == "text" and not isinstance(value, str):
            raise s.error(f"slot {name!r} must be text, not {value!r}")
        if kind == "number" and (isinstance(value, bool) or not isinstance(value, (int, float))
                                 or not math.isfinite(value)):
            raise s.error(f"slot {name!r} must be a number, not {value!r}")
        if kind in ("digits", "positive") and (isinstance(value, bool) or not isinstance(value, int)
                                               or not (0 if kind == "digits" else 1) <= value <= 1000):
            wanted = "whole number of digits" if kind == "digits" else "positive integer"
            raise s.error(f"slot {name!r} must be a {wanted}, not {value!r}")
        if kind in ("cell", "range"):
            try:
                (parse_cell if kind == "cell" else parse_range)(value)
            except (SheetError, TypeError):
                raise s.error(f"slot {name!r} must be a {kind} address, not {value!r}") from None
        if kind == "sheet":
            if not isinstance(value, str):
                raise s.error(f"slot {name!r} must be a sheet name, not {value!r}")
            try:
                check_sheet_name(value, f"slot {name!r}")
            except CommandError as exc:
                raise s.error(str(exc)) from None
        if kind == "pivot":
            if not isinstance(value, dict) or set(value) - PIVOT_KEYS or \
                    not {"source", "rows", "values", "aggregation"} <= set(value):
                raise s.error(f"slot {name!r} must be an object with source, rows, values, aggregation and optional "
                              "columns (column letters, as the pivot command takes them)")
            columns = f" cols={value['columns']}" if value.get("columns") else ""
            try:
                parse_command(f"pivot {value['source']} rows={value['rows']} values="
                              f"{value['aggregation']}({value['values']}){columns} at A1")
            except CommandError as exc:
                raise s.error(f"slot {name!r}: {exc}") from None


def _expand(areas: list[str]) -> list[str]:
    """The cells of some ranges, each with the ranges' sheet name when they have one."""
    out = []
    for area in areas:
        rng = parse_range(area)
        prefix = "" if rng.sheet is None else quote_sheet_name(rng.sheet) + "!"
        out += [prefix + cell_name(r, c) for r in range(rng.row1, rng.row2 + 1) for c in range(rng.col1, rng.col2 + 1)]
    return out


class _Solution:
    """Turns targets into the reference solution's commands, tracking the sheet they are on."""

    def __init__(self, workbook: Workbook, sheet: str, spec: _Spec) -> None:
        self.workbook = workbook
        self.task_sheet = sheet
        self.current = sheet
        self.sheets = {n.upper() for n in workbook.sheet_names}
        self.s = spec
        self.commands: list[str] = []
        self.formula_cells: list[str] = []
        self.functions: set[str] = set()
        self.criteria: list[str] = []
        self.pivot_inputs: list[str] = []
        self.pivot_aggregations: set[str] = set()
        self.rows: list[int] = []
        self.cols: list[int] = []

    def _go_to(self, sheet: str | None) -> None:
        sheet = sheet or self.task_sheet
        if sheet.upper() == self.current.upper():
            return
        if sheet.upper() in self.sheets:
            self.commands.append(f"sheet {_sheet_word(sheet)}")
        else:
            self.commands.append(f"newsheet {_sheet_word(sheet)}")
            self.sheets.add(sheet.upper())
        self.current = sheet

    def _command(self, line: str, number: int) -> None:
        try:
            parse_command(line)
        except CommandError as exc:
            raise self.s.error(f"target {number}: {exc}") from None
        self.commands.append(line)

    def add(self, target: dict[str, Any], number: int) -> list[Target]:
        unknown = sorted(set(target) - TARGET_KEYS)
        if unknown:
            raise self.s.error(f"target {number}: unknown field(s) {', '.join(unknown)}; fields are "
                               f"{', '.join(sorted(TARGET_KEYS))}")
        if "pivot" in target:
            return self._pivot(target, number)
        where = target.get("cell", target.get("range"))
        if not isinstance(where, str) or ("cell" in target) == ("range" in target):
            raise self.s.error(f"target {number} needs exactly one of 'cell' or 'range' (or 'pivot')")
        try:
            area = parse_range(where)
        except SheetError as exc:
            raise self.s.error(f"target {number}: {exc}") from None
        if "cell" in target and (area.rows, area.cols) != (1, 1):
            raise self.s.error(f"target {number}: 'cell' is one cell; use 'range' for {where}")
        if area.rows * area.cols > MAX_AREA_CELLS:  # a target per cell, and a command per cell for a value
            raise self.s.error(f"target {number}: {where} has more than {MAX_AREA_CELLS:,} cells")
        local = cell_name(area.row1, area.col1) if (area.rows, area.cols) == (1, 1) else \
            f"{cell_name(area.row1, area.col1)}:{cell_name(area.row2, area.col2)}"
        self.rows.append(area.row2)
        self.cols.append(area.col2)
        self._go_to(area.sheet)
        prefix = "" if area.sheet is None or area.sheet.upper() == self.task_sheet.upper() else \
            quote_sheet_name(area.sheet) + "!"
        first = cell_name(area.row1, area.col1)
        formula = target.get("formula")
        value = target.get("value")
        if formula is not None and value is not None:
            raise self.s.error(f"target {number}: give a 'formula' or a 'value', not both")
        if formula is not None:
            if not isinstance(formula, str):
                raise self.s.error(f"target {number}: 'formula' must be text such as =SUM(B2:B10)")
            text = formula if formula.startswith("=") else "=" + formula
            try:
                node = parse(text)
            except SheetError as exc:
                raise self.s.error(f"target {number}: formula {text}: {exc}") from None
            self.functions |= _functions(node)
            self._command(f"formula {first} {text}", number)
            if (area.rows, area.cols) != (1, 1):  # filled from the first cell over the rest of the range
                if area.cols == 1:
                    rest = cell_name(area.row1 + 1, area.col1)
                elif area.rows == 1:
                    rest = cell_name(area.row1, area.col1 + 1)
                else:
                    rest = first
                self._command(f"fill {first} {rest}:{cell_name(area.row2, area.col2)}", number)
            self.formula_cells += [prefix + cell_name(r, c) for r in range(area.row1, area.row2 + 1)
                                   for c in range(area.col1, area.col2 + 1)]
        elif value is not None:
            not_finite = isinstance(value, float) and not math.isfinite(value)
            if not_finite or not isinstance(value, (str, int, float, bool)):
                raise self.s.error(f"target {number}: 'value' must be a number, text or true/false")
            for r in range(area.row1, area.row2 + 1):
                for c in range(area.col1, area.col2 + 1):
                    self._command(f"value {cell_name(r, c)} {format_literal(value)}", number)
        if target.get("empty"):
            if formula is not None or value is not None:
                raise self.s.error(f"target {number}: an 'empty' target has no formula or value")
            self._command(f"clear {local}", number)
        bold = target.get("bold")
        if bold is not None:
            if not isinstance(bold, bool):
                raise self.s.error(f"target {number}: 'bold' is true or false")
            self._command(f"{'bold' if bold else 'unbold'} {local}", number)
        preset = target.get("number_format")
        if preset is not None:
            if not isinstance(preset, str) or preset not in NUMBER_FORMAT_PRESETS:
                raise self.s.error(f"target {number}: number_format must be one of "
                                   f"{', '.join(NUMBER_FORMAT_PRESETS)}, not {preset!r}")
            self._command(f"format {local} {preset}", number)
        if formula is None and value is None and not target.get("empty") and bold is None and preset is None:
            raise self.s.error(f"target {number} asks for nothing: give a formula, value, empty, bold or "
                               "number_format")
        reads = target.get("reads", [])
        if not isinstance(reads, list) or not all(isinstance(r, str) for r in reads):
            raise self.s.error(f"target {number}: 'reads' must be a list of ranges")
        for read in reads:
            _check_area(self.s, read, f"target {number}: reads")
        out = []
        for r in range(area.row1, area.row2 + 1):
            for c in range(area.col1, area.col2 + 1):
                out.append(Target(prefix + cell_name(r, c), formula=formula is not None, dynamic=formula is not None,
                                  bold=bold, number_format=preset, empty=bool(target.get("empty")),
                                  expected=None if formula is not None or value is None else value,
                                  reads=tuple(reads)))
        return out

    def _pivot(self, target: dict[str, Any], number: int) -> list[Target]:
        pivot = target["pivot"]
        if not isinstance(pivot, dict) or set(pivot) - PIVOT_KEYS or not {"source", "rows", "values"} <= set(pivot):
            raise self.s.error(f"target {number}: 'pivot' is an object with source, rows, values and optional "
                               "aggregation and columns (fields by header name)")
        anchor_text = target.get("at")
        if not isinstance(anchor_text, str):
            raise self.s.error(f"target {number}: a pivot target needs 'at', its top-left cell (e.g. Summary!A1)")
        try:
            source = parse_range(pivot["source"])
            anchor = parse_cell(anchor_text)
        except (SheetError, TypeError) as exc:
            raise self.s.error(f"target {number}: {exc}") from None
        aggregation = str(pivot.get("aggregation", "sum")).lower()
        if aggregation not in AGGREGATIONS:
            raise self.s.error(f"target {number}: aggregation must be one of {', '.join(AGGREGATIONS)}")
        source_sheet = source.sheet or self.task_sheet
        try:
            sid = self.workbook.sheet_id(source_sheet)
        except SheetError as exc:
            raise self.s.error(f"target {number}: {exc}") from None
        values = self.workbook.value_map()
        headers: dict[str, int] = {}
        for col in range(source.col1, source.col2 + 1):
            header = values.get(make_key(sid, source.row1, col))
            if header is not None:
                headers.setdefault(str(int(header) if isinstance(header, float) and header.is_integer()
                                       else header).upper(), col)

        def letter(field: str) -> str:
            if not isinstance(field, str) or field.upper() not in headers:
                raise self.s.error(f"target {number}: pivot field {field!r} is not a header of {pivot['source']}")
            return column_letters(headers[field.upper()])

        rows, value_letter = letter(pivot["rows"]), letter(pivot["values"])
        columns = letter(pivot["columns"]) if pivot.get("columns") else None
        self._go_to(anchor.sheet)
        on_source_sheet = source_sheet.upper() == self.current.upper()
        area = f"{cell_name(source.row1, source.col1)}:{cell_name(source.row2, source.col2)}"
        if not on_source_sheet:
            area = f"{quote_sheet_name(source_sheet)}!{area}"
        cols = f" cols={columns}" if columns else ""
        self._command(f"pivot {area} rows={rows} values={aggregation}({value_letter}){cols} at "
                      f"{cell_name(anchor.row, anchor.col)}", number)
        prefix = quote_sheet_name(source_sheet) + "!"
        for col_letter in (rows, columns):
            if col_letter:
                col = parse_cell(col_letter + "1").col
                self.criteria += [prefix + cell_name(r, col) for r in range(source.row1 + 1, source.row2 + 1)]
        value_col = parse_cell(value_letter + "1").col
        self.pivot_inputs += [prefix + cell_name(r, value_col) for r in range(source.row1 + 1, source.row2 + 1)]
        self.pivot_aggregations.add(aggregation)
        # the targets are the rendered table's cells, read from the reference solution (_with_expected)
        self.rows.append(anchor.row + 30)
        self.cols.append(anchor.col + 10)
        return []

    def inputs(self, task: Task) -> list[str]:
        """Default inputs: the numeric cells the reference formulas read (through other formulas), and the value
        column of pivot sources."""
        solution = task.solution
        found: set[int] = set()
        for address in self.formula_cells:
            found |= leaf_reads(solution, solution.key(task.qualified(address)))
        initial = task.workbook.value_map()
        cells = [task.workbook.address(k) for k in sorted(found)
                 if isinstance(initial.get(k), float)]
        return cells + self.pivot_inputs

    def perturbations(self, task: Task) -> list[str]:
        """Default perturbations: rescaling always; moving extremes for ranking functions and min/max pivots;
        blanking and text for counts; relabelling for criteria; row swaps for lookups; gaps when a target names the
        ranges it reads."""
        kinds = ["rescale"]
        if self.functions & RANKING or self.pivot_aggregations & {"min", "max"}:
            kinds.append("extreme")
        if self.functions & {"COUNT", "COUNTA", "COUNTBLANK"}:
            kinds += ["blank", "text"]
        if task.criteria:
            kinds.append("flip")
        if task.lookup:
            kinds.append("reorder")
        if any(t.reads for t in task.targets):
            kinds.append("fill_gap")
        return kinds


def _functions(node: Node) -> set[str]:
    """The names of the functions a formula calls (the syntax nodes are dataclasses: walk their fields)."""
    found: set[str] = set()
    stack: list[Any] = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Call):
            found.add(current.name.upper())
        if dataclasses.is_dataclass(current):
            for item in dataclasses.fields(current):
                value = getattr(current, item.name)
                stack.extend(value if isinstance(value, tuple) else [value])
    return found


def _sheet_word(name: str) -> str:
    """A sheet name as a command argument (quoted as the command language quotes it, letters kept as they are)."""
    return format_argument(ArgumentKind.SHEET_NAME, (name,))


def _with_expected(task: Task, s: _Spec) -> Task:
    """Run the reference solution; read each formula target's expected value (and each pivot's rendered cells,
    which become targets) from it."""
    solution = task.solution
    targets = []
    for target in task.targets:
        address = task.qualified(target.address)
        if target.formula:
            value = solution.value(address)
            if value is CYCLE or value is NAME:  # every answer of the same making would match it
                cause = "a circular reference" if value is CYCLE else "an unknown function or name"
                raise s.error(f"target {target.address}: the reference formula {solution.formula(address)} "
                              f"evaluates to {value} ({cause}); a formula target's answer cannot be that error")
            reads = target.reads
            if not reads:  # every cell of the workbook the reference reaches, the formulas on the way included
                leaves, through = dependency_reach(solution, solution.key(address))
                initial = task.workbook.value_map()
                reads = tuple(task.workbook.address(k) for k in sorted(leaves | through) if k in initial)
            target = dataclasses.replace(target, expected=value, reads=reads)
        targets.append(target)
    for pivot in solution.pivots:
        for key in pivot.rendered:
            value = solution.value_map().get(key)
            address = solution.address(key)
            cell = parse_cell(address)
            anchor = parse_cell(_anchor_of(pivot.anchor, pivot.source))
            is_number = cell.row > anchor.row and cell.col > anchor.col
            targets.append(Target(address, expected=_public(value), dynamic=is_number))
    task.targets = targets
    return task


def _anchor_of(anchor: str, source: str) -> str:
    if "!" in anchor:
        return anchor
    sheet = parse_range(source).sheet
    return anchor if sheet is None else f"{quote_sheet_name(sheet)}!{anchor}"


def _public(value: Any) -> Any:
    if type(value) is float and value.is_integer() and -1e15 < value < 1e15:
        return int(value)
    return value


# ---------------------------------------------------------------------------------------------------- writing
def write_task_file(path: str | Path, tasks: list[dict[str, Any]]) -> Path:
    """Write task objects as JSON Lines (each gets ``"version": 1``), atomically; returns the path."""
    path = Path(path)
    lines = [json.dumps({"version": VERSION, **{k: v for k, v in task.items() if k != "version"}},
                        ensure_ascii=False) for task in tasks]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    write_atomic(path, lambda handle: handle.write(data))
    return path


__all__ = ["FORMAT_NAME", "VERSION", "TaskFileError", "build_task", "load_task_file", "task_from_source",
           "write_task_file"]
