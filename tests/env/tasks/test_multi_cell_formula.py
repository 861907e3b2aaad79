"""Level 3, multi_cell_formula: every seed's expert solves its task, typed-in answers fail, formula columns are
one formula filled down, and tasks are well formed."""

from __future__ import annotations

import statistics
from collections import defaultdict

import pytest

from sheetrl.env.tasks import check, goal_distance, make_task
from sheetrl.env.tasks import multi_cell_formula as family
from sheetrl.env.tasks.base import SHEET
from sheetrl.sheet.address import cell_name, parse_cell

from .family_contract import (expert_problem, inside_grid, instruction_words, named_cells, same_task, seeds, tasks,
                              typed_answers, used_cells)

LEVEL = 3


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


def test_constant_formulas_fail():
    for t in tasks(LEVEL):
        assert not check(typed_answers(t, as_constant_formulas=True), t).success, (t.seed, t.instruction)


def test_generation_is_deterministic():
    for seed in seeds()[::5]:
        assert same_task(make_task(LEVEL, seed), make_task(LEVEL, seed)), seed


def test_every_template_appears():
    assert {t.template for t in tasks(LEVEL)} == set(family.TEMPLATES)


def test_targets_and_content_fit_the_grid():
    for t in tasks(LEVEL):
        assert all(inside_grid(a) for a in t.target_cells + used_cells(t.workbook) + used_cells(t.solution))


def test_instruction_names_every_target():
    for t in tasks(LEVEL):
        named = named_cells(t.instruction)
        for address in t.target_cells:
            cell = parse_cell(address)
            assert (cell.row, cell.col) in named, (t.instruction, address)


def test_every_target_is_a_formula_that_follows_its_inputs():
    for t in tasks(LEVEL):
        assert len(t.targets) >= 4
        assert all(target.formula and target.dynamic and target.expected is not None for target in t.targets)


def test_every_input_feeds_a_target():
    for t in tasks(LEVEL):
        read = {a.split("!")[-1] for target in t.target_cells for a in t.solution.precedents(f"{SHEET}!{target}")}
        assert set(t.inputs) <= read, t.instruction


def test_formula_columns_are_one_formula_filled_down():
    """Each column of targets holds one formula filled down (a SUM under it may close the column)."""
    for t in tasks(LEVEL):
        columns: dict[int, list[int]] = defaultdict(list)
        for address in t.target_cells:
            cell = parse_cell(address)
            columns[cell.col].append(cell.row)
        for col, rows in columns.items():
            if len(rows) < 2:
                continue
            rows.sort()
            first = cell_name(rows[0], col)
            refilled = t.solution.clone()
            refilled.fill(f"{SHEET}!{first}", f"{SHEET}!{cell_name(rows[0], col)}:{cell_name(rows[-1], col)}")
            for row in rows:
                address = f"{SHEET}!{cell_name(row, col)}"
                formula = t.solution.formula(address)
                if row == rows[-1] and formula == f"=SUM({first}:{cell_name(rows[-2], col)})":
                    continue  # the column's total under the filled rows
                assert refilled.formula(address) == formula, (t.instruction, address)


def test_share_formulas_keep_the_total_range_absolute():
    for t in (t for t in tasks(LEVEL) if t.template == "share_of_total"):
        shares = [a for a in t.target_cells if "/SUM($" in (t.solution.formula(f"{SHEET}!{a}") or "")]
        assert len(shares) >= 4, t.instruction


def test_style_targets_exactly_when_the_instruction_asks():
    for t in tasks(LEVEL):
        formats = {target.number_format for target in t.targets} - {None}
        asked = {name for name, word in (("percent", "percentages"), ("currency", "currency"))
                 if word in t.instruction}
        assert formats == asked, t.instruction


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
        assert not check(typed_answers(t, as_constant_formulas=True), t).success, seed
        lengths.append(len(t.expert_actions))
    assert 4 <= statistics.mean(lengths) <= 15
