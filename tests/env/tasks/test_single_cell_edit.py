"""Level 1, single_cell_edit: every seed's expert solves its task, and the tasks are well formed."""

from __future__ import annotations

import statistics

import pytest

from sheetrl.env.tasks import check, goal_distance, make_task
from sheetrl.env.tasks import single_cell_edit as family
from sheetrl.env.tasks.base import SHEET
from sheetrl.sheet.address import parse_cell

from .family_contract import (expert_problem, inside_grid, instruction_words, named_cells, same_task, seeds, tasks,
                              used_cells)

LEVEL = 1


def test_expert_solves_every_seed_within_max_steps():
    failures = [(t.seed, t.template, problem) for t in tasks(LEVEL) if (problem := expert_problem(t))]
    assert not failures, failures[:5]


def test_initial_sheet_is_unsolved():
    for t in tasks(LEVEL):
        assert not check(t.workbook, t).success, (t.seed, t.instruction)
        assert goal_distance(t.workbook, t) == 1.0


def test_generation_is_deterministic():
    for seed in seeds()[::5]:
        assert same_task(make_task(LEVEL, seed), make_task(LEVEL, seed)), seed


def test_every_template_appears():
    assert {t.template for t in tasks(LEVEL)} == set(family.TEMPLATES)


def test_targets_and_content_fit_the_grid():
    for t in tasks(LEVEL):
        assert all(inside_grid(a) for a in t.target_cells + used_cells(t.workbook) + used_cells(t.solution))
        assert inside_grid(t.start)


def test_instruction_names_every_target():
    for t in tasks(LEVEL):
        named = named_cells(t.instruction)
        for address in t.target_cells:
            cell = parse_cell(address)
            assert (cell.row, cell.col) in named, (t.instruction, address)


def test_instruction_words_are_in_vocabulary():
    vocabulary = set(family.VOCABULARY)
    for t in tasks(LEVEL):
        assert instruction_words(t.instruction) <= vocabulary, instruction_words(t.instruction) - vocabulary


def test_typed_value_tasks_expect_the_instructed_value():
    for t in tasks(LEVEL):
        if t.template in ("enter_number", "enter_label", "correct_entry"):
            (target,) = t.targets
            assert target.expected == t.slots["value"]
            assert t.expert_actions == ["next_target", "write_instructed_value", "done"]
            assert t.workbook.value(f"{SHEET}!{target.address}") != target.expected


def test_bold_targets_keep_the_header_text():
    for t in (t for t in tasks(LEVEL) if t.template == "bold_header"):
        for target in t.targets:
            address = f"{SHEET}!{target.address}"
            assert target.bold is True
            assert target.expected == t.workbook.value(address) == t.solution.value(address)
            assert isinstance(target.expected, str) and not t.workbook.format(address).bold


def test_clear_targets_start_filled_and_end_empty():
    for t in (t for t in tasks(LEVEL) if t.template == "clear_stray"):
        (target,) = t.targets
        assert target.empty
        assert t.workbook.input(f"{SHEET}!{target.address}") is not None
        assert t.solution.input(f"{SHEET}!{target.address}") is None


def test_expert_touches_nothing_but_the_targets():
    for t in tasks(LEVEL):
        before, after = dict(t.workbook.cells()), dict(t.solution.cells())
        changed = {a for a in before.keys() | after.keys() if before.get(a) != after.get(a)}
        assert changed <= set(t.target_cells), (t.instruction, changed)


def test_level_one_asks_for_no_formulas():
    assert not any(target.formula or target.dynamic for t in tasks(LEVEL) for target in t.targets)


@pytest.mark.slow
def test_thousand_seeds():
    lengths = []
    for seed in range(1000):
        t = make_task(LEVEL, seed)
        assert expert_problem(t) is None, (seed, t.template)
        assert not check(t.workbook, t).success, seed
        lengths.append(len(t.expert_actions))
    assert 3 <= statistics.mean(lengths) <= 8
