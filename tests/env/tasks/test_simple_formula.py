"""Level 2, simple_formula: every seed's expert solves its task, typed-in answers fail, tasks are well formed."""

from __future__ import annotations

import re
import statistics

import pytest

from sheetrl.env.tasks import check, goal_distance, make_task
from sheetrl.env.tasks import simple_formula as family
from sheetrl.env.tasks.base import SHEET
from sheetrl.sheet.address import parse_cell

from .family_contract import (expert_problem, inside_grid, instruction_words, named_cells, same_task, seeds, tasks,
                              typed_answers, used_cells)

LEVEL = 2


def test_expert_solves_every_seed_within_max_steps():
    failures = [(t.seed, t.template, problem) for t in tasks(LEVEL) if (problem := expert_problem(t))]
    assert not failures, failures[:5]


def test_initial_sheet_is_unsolved():
    for t in tasks(LEVEL):
        assert not check(t.workbook, t).success, (t.seed, t.instruction)
        assert goal_distance(t.workbook, t) == 1.0


def test_typed_numbers_fail():
    for t in tasks(LEVEL):
        assert not check(typed_answers(t), t).success, (t.seed, t.instruction)


def test_constant_formulas_fail_except_for_counts():
    # COUNT over a full block does not change when the numbers are perturbed, so "=9" cannot be told apart
    for t in tasks(LEVEL):
        (target,) = t.targets
        if t.solution.formula(f"{SHEET}!{target.address}").startswith("=COUNT("):
            continue
        assert not check(typed_answers(t, as_constant_formulas=True), t).success, (t.seed, t.instruction)


def test_generation_is_deterministic():
    for seed in seeds()[::5]:
        assert same_task(make_task(LEVEL, seed), make_task(LEVEL, seed)), seed


def test_every_template_appears():
    assert {t.template for t in tasks(LEVEL)} == set(family.TEMPLATES)


def test_targets_and_content_fit_the_grid():
    for t in tasks(LEVEL):
        assert all(inside_grid(a) for a in t.target_cells + used_cells(t.workbook) + used_cells(t.solution))


def test_instruction_names_the_target_and_the_range_the_formula_reads():
    for t in tasks(LEVEL):
        (target,) = t.targets
        cell = parse_cell(target.address)
        named = named_cells(t.instruction)
        assert (cell.row, cell.col) in named, t.instruction
        for address in t.inputs:
            input_cell = parse_cell(address)
            assert (input_cell.row, input_cell.col) in named, (t.instruction, address)


def test_inputs_are_exactly_the_cells_the_formula_reads():
    for t in tasks(LEVEL):
        (target,) = t.targets
        read = {a.split("!")[-1] for a in t.solution.precedents(f"{SHEET}!{target.address}")}
        assert read == set(t.inputs), t.instruction


def test_aggregate_tasks_use_the_function_the_instruction_names():
    for t in tasks(LEVEL):
        if t.template == "cell_arithmetic":
            continue
        (target,) = t.targets
        function = re.match(r"=([A-Z]+)\(", t.solution.formula(f"{SHEET}!{target.address}")).group(1)
        assert any(phrase in t.instruction for phrase in family.AGGREGATE_PHRASES[function]), t.instruction


def test_targets_require_a_formula_that_follows_its_inputs():
    for t in tasks(LEVEL):
        assert all(target.formula and target.dynamic and target.expected is not None for target in t.targets)


def test_instruction_words_are_in_vocabulary():
    vocabulary = set(family.VOCABULARY)
    for t in tasks(LEVEL):
        assert instruction_words(t.instruction) <= vocabulary, instruction_words(t.instruction) - vocabulary


@pytest.mark.slow
def test_thousand_seeds():
    lengths = []
    for seed in range(1000):
        t = make_task(LEVEL, seed)
        assert expert_problem(t) is None, (seed, t.template)
        assert not check(t.workbook, t).success, seed
        assert not check(typed_answers(t), t).success, seed
        lengths.append(len(t.expert_actions))
    assert 3 <= statistics.mean(lengths) <= 12
