"""Level 5, multi-step models: long experts solve every seed; typed answers and constant formulas fail."""

from __future__ import annotations

import re

import pytest

from sheetrl.env.tasks import check, make_task
from sheetrl.env.tasks import complex_model as family
from sheetrl.sheet.address import parse_cell, parse_range

from .family_contract import expert_problem, instruction_words, same_task, seeds, task, tasks, typed_in

LEVEL = 5


def test_the_registry_maps_level_5_to_this_family():
    t = task(LEVEL, 0)
    assert (t.family, t.level) == ("complex_model", LEVEL)


def test_experts_solve_every_seed_within_max_steps():
    problems = {t.seed: p for t in tasks(LEVEL) if (p := expert_problem(t))}
    assert not problems


def test_experts_need_at_least_eight_commands():
    assert min(len(t.expert) for t in tasks(LEVEL)) >= 8
    for t in tasks(LEVEL):
        edits = [line for line in t.expert if not line.startswith(("goto", "select", "done"))]
        assert len(edits) >= 8, (t.seed, t.expert)


def test_no_task_is_solved_at_the_start():
    assert [t.seed for t in tasks(LEVEL) if check(t.workbook, t).success] == []


def test_typed_in_answers_fail():
    assert [t.seed for t in tasks(LEVEL) if check(typed_in(t), t).success] == []


def test_constant_formulas_fail():
    assert [t.seed for t in tasks(LEVEL) if check(typed_in(t, as_formulas=True), t).success] == []


def test_generation_is_deterministic():
    for seed in (0, 7, 199) + tuple(seeds(3)[3:]):
        assert same_task(make_task(LEVEL, seed), make_task(LEVEL, seed))


def test_every_template_appears_in_training_and_evaluation_seeds():
    train, evaluation = tasks(LEVEL)[:200], tasks(LEVEL)[200:]
    assert {t.template for t in train} == set(family.TEMPLATES)
    assert {t.template for t in evaluation} == set(family.TEMPLATES)


def test_everything_fits_the_observed_grid():
    for t in tasks(LEVEL):
        for address, _ in t.solution.cells():
            cell = parse_cell(address.split("!")[-1])
            assert cell.row < 24 and cell.col < 12, (t.seed, address)


def test_targets_ask_for_formulas_formats_and_a_bold_title():
    for t in tasks(LEVEL):
        bold = [target for target in t.targets if target.bold]
        assert len(bold) == 1 and isinstance(bold[0].expected, str), t.seed
        computed = [target for target in t.targets if not target.bold]
        assert all(target.formula and target.dynamic for target in computed), t.seed
        formats = {target.number_format for target in computed}
        wanted = {"projection": {"currency", "percent"}, "budget_variance": {"currency", "percent"},
                  "payroll": {"currency", None}, "grade_book": {"number", None}}[t.template]
        status_column = t.template == "budget_variance" and "threshold" in t.slots
        assert formats == (wanted | {None} if status_column else wanted), (t.seed, formats)


def test_projections_use_two_rate_cells_and_the_expert_refers_to_both():
    for t in tasks(LEVEL):
        if t.template != "projection":
            continue
        growth, ratio = t.slots["rate_cell"], t.slots["rate_cell_2"]
        assert growth != ratio and growth in t.inputs and ratio in t.inputs
        absolute = [f"${cell[0]}${cell[1:]}" for cell in (growth, ratio)]
        assert all(any(ref in line for line in t.expert) for ref in absolute), t.seed


def test_instruction_words_are_in_the_vocabulary():
    vocabulary = set(family.VOCABULARY)
    for t in tasks(LEVEL):
        assert instruction_words(t.instruction) <= vocabulary, (t.seed, instruction_words(t.instruction) - vocabulary)


def test_instructions_name_every_target_cell_or_its_range():
    for t in tasks(LEVEL):
        for target in t.targets:
            cell = parse_cell(target.address)
            named = target.address in t.instruction or any(
                _range_contains(ref, cell) for ref in _ranges(t.instruction)
            )
            assert named, (t.seed, target.address, t.instruction)


def _ranges(text):
    return re.findall(r"[A-Z]+[0-9]+:[A-Z]+[0-9]+", text)


def _range_contains(text, cell):
    return (cell.row, cell.col) in parse_range(text)


@pytest.mark.slow
def test_a_thousand_seeds_of_each_split():
    for t in tasks(LEVEL, 1000):
        assert expert_problem(t) is None, t.seed
        assert not check(t.workbook, t).success, t.seed
        assert not check(typed_in(t), t).success, t.seed
        assert not check(typed_in(t, as_formulas=True), t).success, t.seed
