"""What every task family promises, checked the same way for each level and split: the expert solves every task
within its budget, the initial sheet is unsolved, typed-in answers fail, generation is deterministic, the sheet is
larger than the observed window and holds everything, the instruction names its targets in words the vocabulary
holds, and the held-out (ood) split shares no structural choice with training."""

from __future__ import annotations

import pytest

from sheetrl.env.spreadsheet_env import instruction_vocabulary
from sheetrl.env.tasks import (
    LEVELS,
    OOD,
    TRAIN,
    check,
    family_module,
    held_out_choices,
    make_task,
    split_seed,
)
from sheetrl.env.tasks.base import GRID_COLS, GRID_ROWS
from sheetrl.env.tasks.split import (
    HELD_OUT_PHRASINGS,
    IID,
    MIN_PHRASINGS,
)
from tests.env.tasks.family_contract import (
    cell_of,
    expert_problem,
    instruction_words,
    named_cells,
    task,
    tasks,
    typed_answers,
)


@pytest.mark.parametrize("level", LEVELS)
def test_the_expert_solves_every_task_of_every_split_within_its_budget(level):
    problems = {(t.split, t.seed, t.template): expert_problem(t) for t in tasks(level)}
    assert {k: v for k, v in problems.items() if v is not None} == {}


@pytest.mark.parametrize("level", LEVELS)
def test_no_task_is_solved_at_the_start(level):
    assert [t.seed for t in tasks(level) if check(t.workbook, t).success] == []


@pytest.mark.parametrize("level", [2, 3, 4, 5])
def test_typed_numbers_and_constant_formulas_fail_counts_included(level):
    """The review: a constant passed every L2 COUNT and L4 COUNTIF task. Now the checker blanks, retypes and
    relabels inputs, so a typed or constant answer fails every formula task."""
    for t in tasks(level, 25):
        if not any(target.formula for target in t.targets):
            continue
        for constant in (False, True):
            result = check(typed_answers(t, as_constant_formulas=constant), t)
            assert not result.success, (t.seed, t.template, t.instruction)
            assert result.condition in ("formula", "reads", "follows_inputs"), result


@pytest.mark.parametrize("level", LEVELS)
def test_generation_is_deterministic(level):
    for seed in (3, split_seed(OOD, 5)):
        a, b = make_task(level, seed), make_task(level, seed)
        assert (a.instruction, a.targets, a.expert, a.inputs, a.slots, a.extent, a.structure) == \
            (b.instruction, b.targets, b.expert, b.inputs, b.slots, b.extent, b.structure)
        assert dict(a.workbook.cells()) == dict(b.workbook.cells())


@pytest.mark.parametrize("level", LEVELS)
def test_every_template_appears_in_training_and_in_the_held_out_split(level):
    templates = set(family_module(level).TEMPLATES)
    assert {t.template for t in tasks(level, 60, (TRAIN,))} == templates
    assert {t.template for t in tasks(level, 60, (OOD,))} == templates


@pytest.mark.parametrize("level", LEVELS)
def test_sheets_are_larger_than_the_window_and_hold_everything(level):
    sizes = set()
    for t in tasks(level):
        rows, cols = t.extent
        assert rows >= GRID_ROWS and cols >= GRID_COLS
        sizes.add((rows > GRID_ROWS) or (cols > GRID_COLS))
        for name in t.solution.sheet_names:
            used = t.solution.used_range(name)
            assert used is None or (used.row2 < rows and used.col2 < cols), (t.seed, name, used)
    assert True in sizes  # most sheets are larger than the observed window


@pytest.mark.parametrize("level", LEVELS)
def test_instruction_words_are_in_the_vocabulary(level):
    vocabulary = set(instruction_vocabulary().words)
    for t in tasks(level):
        assert instruction_words(t.instruction) <= vocabulary, (t.seed, instruction_words(t.instruction) - vocabulary)


@pytest.mark.parametrize("level", LEVELS)
def test_the_instruction_names_every_target_and_no_label_as_a_reference(level):
    for t in tasks(level):
        named = named_cells(t)
        for target in t.targets:
            where = cell_of(t, target.address)
            # pivot targets: the anchor is named; the rest of the rendered table follows from it
            assert where in named or (target.expected is not None and not target.formula and t.level == 4), \
                (t.seed, target.address, t.instruction)
        labels = {str(v).upper() for name in t.workbook.sheet_names for _, v in t.workbook.cells(name)}
        assert not any(ref.text.upper() in labels for ref in t.references), (t.seed, t.references)


@pytest.mark.parametrize("level", LEVELS)
def test_phrasings_are_at_least_five_per_template_plus_held_out_ones(level):
    phrasings = family_module(level).PHRASINGS
    assert phrasings and all(len(p) >= MIN_PHRASINGS for p in phrasings.values())
    assert MIN_PHRASINGS - HELD_OUT_PHRASINGS >= 5


@pytest.mark.parametrize("level", LEVELS)
def test_ood_tasks_draw_every_structural_choice_from_the_held_out_part_and_training_never_does(level):
    for split in (TRAIN, IID, OOD):
        for t in tasks(level, 60, (split,)):
            parts = held_out_choices(t)
            assert {kind.partition(":")[0] for kind, _ in parts} >= {"phrasing", "position", "combination"}, t.seed
            assert all(held == (split == OOD) for _, held in parts), (split, t.seed, parts)


@pytest.mark.parametrize("level", LEVELS)
def test_the_memoriser_cannot_recall_an_ood_instruction(level):
    training = {t.instruction for t in tasks(level, 300, (TRAIN,))}
    assert not any(t.instruction in training for t in tasks(level, 60, (OOD,)))


def test_layouts_use_every_feature_somewhere():
    """Spacer rows, subtotal rows, numeric headers, text codes, notes, extra tables and data on another sheet all
    occur in generated tasks."""
    found = set()
    for t in [task(level, seed) for level in (1, 2) for seed in range(150)]:
        record = t.structure
        found |= {"row gaps"} if record.get("gaps:rows") else set()
        found |= {"column gaps"} if record.get("gaps:cols") else set()
        texts = [v for _, v in t.workbook.cells()]
        found |= {"subtotals"} if any(isinstance(v, str) and v.startswith("=SUM(") for v in texts) else set()
        found |= {"numeric headers"} if any(isinstance(v, float) and 2016 <= v <= 2025 for v in texts) else set()
        found |= {"quarter headers"} if "Q1" in texts else set()
        found |= {"text codes"} if any(isinstance(v, str) and v.isdigit() for v in texts) else set()
        found |= {"notes"} if any(isinstance(v, str) and v.startswith(("Source", "All figures", "Draft"))
                                   for v in texts) else set()
    found |= {"second sheet"} if any(len(task(4, s).workbook.sheet_names) > 1 for s in range(60)) else set()
    assert found >= {"row gaps", "column gaps", "subtotals", "numeric headers", "quarter headers", "text codes",
                     "notes", "second sheet"}


@pytest.mark.slow
@pytest.mark.parametrize("level", LEVELS)
def test_three_hundred_seeds_of_each_split(level):
    for t in tasks(level, 300):
        assert expert_problem(t) is None, (t.split, t.seed, expert_problem(t))
        assert not check(t.workbook, t).success, t.seed
