"""Level 1 — single-cell edits on a realistic table.

Every task changes exactly what the instruction names: type a missing number or label, correct a wrong entry,
make a header bold, or clear a stray cell. The table around the target (sales, inventory, payroll, grades,
expenses, with every layout feature of :mod:`sheetrl.env.tasks.layout`) and whatever else is on the sheet are
there to be read and left alone: the checker fails a task when anything else changed.

Sub-templates (:data:`TEMPLATES`):

- ``enter_number``: a number is missing from the table; the instruction gives it and names its cell.
- ``enter_label``: a row label or a column header is missing; the instruction gives the text (codes such as
  "1042" are text, and must be typed as text).
- ``correct_entry``: one number is wrong; the instruction says what it should be.
- ``bold_header``: make the header row, or one header cell, bold (values unchanged; blank spacer cells inside
  the named header range may be bolded too).
- ``clear_stray``: a stray entry sits outside the table; clear it.

The expert goes to each target with ``next_target`` (targets are visited in reading order), acts, and ends with
``done``. Expected values are read from the expert's solution, never computed here.
"""

from __future__ import annotations

import random

from sheetrl.env.tasks.base import SHEET, Target, Task
from sheetrl.env.tasks.expert import finish
from sheetrl.env.tasks.layout import (
    Canvas,
    LayoutConfig,
    Table,
    add_surroundings,
    new_workbook,
    place_table,
    sheet_extent,
)
from sheetrl.env.tasks.split import Structure
from sheetrl.env.tasks.tables import (
    TABLE_KINDS,
    TableKind,
    choose_kind,
    draw_table,
    words_of_kinds,
)
from sheetrl.sheet.address import cell_name, parse_cell
from sheetrl.sheet.values import number_to_text

FAMILY = "single_cell_edit"
LEVEL = 1
TEMPLATES = ("enter_number", "enter_label", "correct_entry", "bold_header", "clear_stray")
STRAY_ENTRIES = ("x", "test", "???", "TODO", "delete", "tmp", "old", 999, 0, 1, 42, "see above")

# The instruction wordings, by sub-template; {placeholders} are filled in per task. The last two of each are
# held out for the ood split (split.HELD_OUT_PHRASINGS).
PHRASINGS: dict[str, tuple[str, ...]] = {
    "enter_number": (
        "Enter {value} in {cell}.",
        "Type {value} into {cell}, the {header} value for {key}.",
        "{cell} is missing the {header} value for {key}: enter {value}.",
        "The {header} value for {key} is {value}. Enter it in {cell}.",
        "Fill in the blank cell {cell} with {value}.",
        "Please put {value} into {cell} ({key}, {header}).",
        "Record {value} as the {header} figure of {key} in cell {cell}.",
    ),
    "enter_header": (
        'The column header in {cell} is missing: type "{label}".',
        'Enter the header "{label}" in {cell}.',
        'Add the missing column title "{label}" to {cell}.',
        'Write "{label}" in {cell}, where the header belongs.',
        '{cell} should hold the header "{label}". Type it in.',
        'Give the column its header: put "{label}" in {cell}.',
        'Label the column by typing "{label}" into {cell}.',
    ),
    "enter_label": (
        'Type "{label}" in {cell}.',
        'The {header} in {cell} is missing: enter "{label}".',
        'Enter "{label}" in {cell} under {header}.',
        'Fill the empty {header} cell {cell} with "{label}".',
        '{cell} should read "{label}". Enter it.',
        'Complete the {header} column: "{label}" goes in {cell}.',
        'Put the text "{label}" into the blank cell {cell}.',
    ),
    "correct_entry": (
        "{cell} should be {right}, not {wrong}: correct it.",
        "The {header} value for {key} in {cell} is wrong. Change it to {right}.",
        "Fix the typo in {cell}: replace {wrong} with {right}.",
        "Correct {cell} from {wrong} to {right}.",
        "{wrong} in {cell} is a mistake; the right {header} value is {right}.",
        "Overwrite the wrong entry {wrong} in {cell} with {right}.",
        "Change the {header} figure for {key} ({cell}) from {wrong} to {right}.",
    ),
    "bold_row": (
        "Make the header row {span} bold.",
        "Bold the column headers in {span}.",
        "Format the headers {span} in bold.",
        "Put every header in {span} in bold type.",
        "The headers in {span} should stand out: make them bold.",
        "Apply bold to the header cells of {span}.",
        "Set the header line {span} to bold.",
    ),
    "bold_cell": (
        'Make the header "{header}" in {cell} bold.',
        "Bold the header cell {cell}.",
        'Format "{header}" ({cell}) in bold.',
        "Put the heading in {cell} in bold type.",
        'The "{header}" header in {cell} should be bold.',
        "Apply bold to cell {cell} only.",
        'Highlight the column title "{header}" at {cell} with bold.',
    ),
    "clear_stray": (
        "Clear the stray entry in {cell}.",
        "{cell} holds a leftover entry that does not belong to the table: delete it.",
        "Empty cell {cell}.",
        "Remove whatever is in {cell}.",
        "Delete the stray value in {cell} and nothing else.",
        "The entry in {cell} is junk; clear that cell.",
        "Wipe the leftover content of {cell}.",
    ),
}

# Template x table-kind combinations; a quarter of them are only ever generated for the ood split.
COMBINATIONS = tuple((template, kind.title) for template in TEMPLATES for kind in TABLE_KINDS)
HELD_OUT_COMBINATIONS = frozenset(combo for i, combo in enumerate(COMBINATIONS) if i % 4 == 3)


# --------------------------------------------------------------------------------------------------- helpers
def number_text(value: float) -> str:
    """A number as a person would type it (General format)."""
    return number_to_text(float(value))


def visit_targets(start: str, cells: list[str], act: list[str]) -> list[str]:
    """Macros that visit every cell in ``cells`` with ``next_target`` (reading order from the cursor, wrapping
    around, as the macro does) and apply ``act`` at each (without the final ``done``)."""

    def position(address: str) -> tuple[int, int]:
        cell = parse_cell(address)
        return cell.row, cell.col

    here = position(start)
    ordered = sorted({position(c) for c in cells})
    first = next((i for i, p in enumerate(ordered) if p >= here), 0)
    actions: list[str] = []
    for place in ordered[first:] + ordered[:first]:
        if place != here:
            actions.append("next_target")
            here = place
        actions.extend(act)
    return actions


class Scene:
    """The task's sheet while it is being built: the table placed on a canvas, with its surroundings."""

    def __init__(self, rng: random.Random, structure: Structure, layout: LayoutConfig, kind: TableKind,
                 numeric_headers: bool, spare_right: int = 0, spare_below: int = 0) -> None:
        self.table = draw_table(rng, structure, layout, kind, numeric_headers, allow_subtotals=True)
        top_, left_, bottom, right = self.table.box
        height, width = bottom - top_ + 1, right - left_ + 1
        self.extent = sheet_extent(rng, layout, height + spare_below + 4, width + spare_right + 4)
        top, left = place_table(structure, rng, self.extent, height, width, spare_below + 1, spare_right + 1)
        shift = 2 if self.table.title else 0
        self.table.top, self.table.left = top + shift, left
        self.canvas = Canvas(*self.extent)
        self.canvas.take(*self.table.box)
        self.wb = new_workbook([SHEET])
        self.rng = rng
        self.layout = layout

    def finish_sheet(self) -> None:
        self.table.write(self.wb, SHEET)
        add_surroundings(self.wb, SHEET, self.canvas, self.rng, self.layout, self.table.box)


def _data_rows(table: Table) -> list[int]:
    return list(range(table.n_rows))


def _task(template: str, seed: int, scene: Scene, instruction: str, targets: list[Target], named: list[str],
          structure: Structure, slots: dict | None = None, format_free: list[str] | None = None) -> Task:
    task = Task(FAMILY, LEVEL, template, seed, scene.wb, instruction, targets, [], slots=slots or {},
                extent=scene.extent, named=named, format_free=format_free or [], perturbations=(),
                structure=structure.record)
    return finish(task, actions=visit_targets(task.start, [t.address for t in targets], _ACT[template]))


_ACT = {"enter_number": ["write_instructed_value"], "enter_label": ["write_instructed_value"],
        "correct_entry": ["write_instructed_value"], "bold_header": ["bold"], "clear_stray": ["clear_cells"]}


# ---------------------------------------------------------------------------------------------- sub-templates
def enter_number(scene: Scene, structure: Structure, seed: int) -> Task:
    rng, table = scene.rng, scene.table
    column = rng.choice([j for j in range(table.n_cols) if table.numeric[j]])
    row = rng.choice(_data_rows(table))
    value = float(table.values[row][column])
    table.values[row][column] = None
    scene.finish_sheet()
    cell = table.cell(row, column)
    header, key, text = _text(table.headers[column]), str(table.keys[row]), number_text(value)
    instruction = structure.phrasing("enter_number", PHRASINGS["enter_number"]).format(
        value=text, cell=cell, header=header, key=key)
    return _task("enter_number", seed, scene, instruction, [Target(cell)], [cell], structure, {"value": value})


def enter_label(scene: Scene, structure: Structure, seed: int) -> Task:
    rng, table = scene.rng, scene.table
    if rng.random() < 0.4:  # a missing column header (or the key column's); years written as numbers are left
        column = rng.choice([-1, *(j for j in range(table.n_cols) if not isinstance(table.headers[j], float))])
        if column < 0:
            label, table.key_header = table.key_header, None  # type: ignore[assignment]
            cell = cell_name(table.top, table.left)
        else:
            label = table.headers[column]
            table.headers[column] = None
            cell = cell_name(table.top, table.col(column))
        scene.finish_sheet()
        label_text = str(label)
        value: object = label_text
        instruction = structure.phrasing("enter_header", PHRASINGS["enter_header"]).format(label=label_text,
                                                                                           cell=cell)
    else:  # a missing row label or text entry
        texts = [j for j in range(table.n_cols) if not table.numeric[j]]
        column = rng.choice([-1, *texts])
        row = rng.choice(_data_rows(table))
        if column < 0:
            label, header = table.keys[row], table.key_header
            table.keys[row] = None
            cell = cell_name(table.row(row), table.left)
        else:
            label, header = table.values[row][column], str(table.headers[column])
            table.values[row][column] = None
            cell = table.cell(row, column)
        scene.finish_sheet()
        value = str(label)
        instruction = structure.phrasing("enter_label", PHRASINGS["enter_label"]).format(
            label=value, cell=cell, header=header)
    return _task("enter_label", seed, scene, instruction, [Target(cell)], [cell], structure, {"value": value})


def wrong_version(rng: random.Random, value: float, money: bool) -> float:
    """A plausible typing mistake for a value: swapped digits, a slipped decimal point, or a nearby number."""
    candidates: list[float] = []
    digits = number_text(value)
    for i in range(len(digits) - 1):
        if digits[i].isdigit() and digits[i + 1].isdigit() and digits[i] != digits[i + 1]:
            swapped = digits[:i] + digits[i + 1] + digits[i] + digits[i + 2:]
            if not swapped.startswith("0"):
                candidates.append(float(swapped))
    candidates.append(value * 10)
    nudge = round(rng.uniform(1, 9), 2) if money else float(rng.randint(1, 9))
    candidates.append(value + nudge)
    if value - nudge > 0:
        candidates.append(value - nudge)
    candidates = [c for c in candidates if c != value and c > 0]
    return rng.choice(candidates)


def correct_entry(scene: Scene, structure: Structure, seed: int) -> Task:
    rng, table = scene.rng, scene.table
    column = rng.choice([j for j in range(table.n_cols) if table.numeric[j]])
    row = rng.choice(_data_rows(table))
    value = float(table.values[row][column])
    wrong = wrong_version(rng, value, not value.is_integer())
    table.values[row][column] = wrong
    scene.finish_sheet()
    cell = table.cell(row, column)
    instruction = structure.phrasing("correct_entry", PHRASINGS["correct_entry"]).format(
        cell=cell, right=number_text(value), wrong=number_text(wrong), header=_text(table.headers[column]),
        key=str(table.keys[row]))
    return _task("correct_entry", seed, scene, instruction, [Target(cell)], [cell], structure, {"value": value})


def bold_header(scene: Scene, structure: Structure, seed: int) -> Task:
    rng, table = scene.rng, scene.table
    scene.finish_sheet()
    format_free: list[str] = []
    if rng.random() < 0.6:
        cells = [cell_name(table.top, table.left)] + [cell_name(table.top, table.col(j)) for j in range(table.n_cols)]
        span = f"{cells[0]}:{cells[-1]}"
        format_free = [span]  # blank spacer cells inside the named header range may be bolded with it
        instruction = structure.phrasing("bold_row", PHRASINGS["bold_row"]).format(span=span)
        named = [span]
    else:
        column = rng.randrange(table.n_cols)
        cells = [cell_name(table.top, table.col(column))]
        instruction = structure.phrasing("bold_cell", PHRASINGS["bold_cell"]).format(
            header=_text(table.headers[column]), cell=cells[0])
        named = cells
    targets = [Target(c, bold=True) for c in cells]
    return _task("bold_header", seed, scene, instruction, targets, named, structure, format_free=format_free)


def clear_stray(scene: Scene, structure: Structure, seed: int) -> Task:
    rng = scene.rng
    scene.finish_sheet()
    spot = scene.canvas.place(rng, 1, 1, near=scene.table.box) or scene.canvas.place(rng, 1, 1)
    if spot is None:
        raise RuntimeError(f"no room for a stray entry in {FAMILY} seed {seed}")
    cell = cell_name(*spot)
    scene.wb.set(f"{SHEET}!{cell}", rng.choice(STRAY_ENTRIES))
    instruction = structure.phrasing("clear_stray", PHRASINGS["clear_stray"]).format(cell=cell)
    return _task("clear_stray", seed, scene, instruction, [Target(cell, empty=True)], [cell], structure)


def _text(header: object) -> str:
    return number_text(header) if isinstance(header, float) else str(header)


BUILDERS = {
    "enter_number": enter_number,
    "enter_label": enter_label,
    "correct_entry": correct_entry,
    "bold_header": bold_header,
    "clear_stray": clear_stray,
}


def generate(rng: random.Random, seed: int, structure: Structure, layout: LayoutConfig) -> Task:
    """A level-1 task: one of :data:`TEMPLATES` on one table kind, drawn from the split's combinations."""
    kind, numeric_headers = choose_kind(rng, layout, numeric_only=False)
    train = [c for c in COMBINATIONS if c not in HELD_OUT_COMBINATIONS]
    held_out = [c for c in COMBINATIONS if c in HELD_OUT_COMBINATIONS]
    template, title = structure.combination("template", [c for c in train if c[1] == kind.title] or train,
                                            [c for c in held_out if c[1] == kind.title] or held_out)
    kind = next(k for k in TABLE_KINDS if k.title == title)
    numeric_headers = numeric_headers and kind.periods == "years"
    scene = Scene(rng, structure, layout, kind, numeric_headers)
    return BUILDERS[template](scene, structure, seed)


# ------------------------------------------------------------------------------------------------- vocabulary
def _vocabulary() -> list[str]:
    import re

    words = words_of_kinds()
    for phrasings in PHRASINGS.values():
        for text in phrasings:
            words |= {w.lower() for w in re.findall(r"[A-Za-z]+", re.sub(r"\{[^}]*\}", " ", text))}
    for entry in STRAY_ENTRIES:
        words |= {w.lower() for w in re.findall(r"[A-Za-z]+", str(entry))}
    return sorted(words)


VOCABULARY: list[str] = _vocabulary()
