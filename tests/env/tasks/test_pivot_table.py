"""Level 4, pivot tables: experts solve every seed, typed answers fail, and a formula table passes like a pivot."""

from __future__ import annotations

import pytest

from sheetrl.env.tasks import check, make_task
from sheetrl.env.tasks import pivot_table as family
from sheetrl.sheet.address import cell_name, parse_cell, parse_range

from .family_contract import expert_problem, instruction_words, same_task, seeds, task, tasks, typed_in

LEVEL = 4


def test_the_registry_maps_level_4_to_this_family():
    t = task(LEVEL, 0)
    assert (t.family, t.level) == ("pivot_table", LEVEL)


def test_experts_solve_every_seed_within_max_steps():
    problems = {t.seed: p for t in tasks(LEVEL) if (p := expert_problem(t))}
    assert not problems


def test_no_task_is_solved_at_the_start():
    assert [t.seed for t in tasks(LEVEL) if check(t.workbook, t).success] == []


def test_typed_in_answers_fail():
    assert [t.seed for t in tasks(LEVEL) if check(typed_in(t), t).success] == []


def test_constant_formulas_fail_where_the_numbers_can_change():
    passing = [
        t.seed for t in tasks(LEVEL)
        if t.template == "summary_formulas" and "countif_left" not in t.expert_actions
        and check(typed_in(t, as_formulas=True), t).success
    ]
    assert passing == []


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


def _header_run(t, row, col):
    """Number of filled cells in the run of row ``row`` (0-based) that contains column ``col``."""
    filled = [t.workbook.value(cell_name(row, c)) is not None for c in range(12)]
    start, end = col, col
    while start > 0 and filled[start - 1]:
        start -= 1
    while end < 11 and filled[end + 1]:
        end += 1
    return end - start + 1


def test_tables_have_8_to_20_records_and_3_to_5_columns():
    for t in tasks(LEVEL):
        if "pivot" in t.slots:
            source = parse_range(t.slots["pivot"]["source"])
            records, width = source.rows - 1, source.cols
        else:
            keys = parse_range(t.slots["criteria_range"])
            records, width = keys.rows, _header_run(t, keys.row1 - 1, keys.col1)
        assert 8 <= records <= 20, t.seed
        assert 3 <= width <= 5, t.seed


def test_pivot_slots_use_column_letters_and_never_count():
    for t in tasks(LEVEL):
        spec = t.slots.get("pivot")
        if spec is None:
            assert t.template == "summary_formulas"
            continue
        assert spec["aggregation"] in ("sum", "average", "min", "max")
        assert spec["rows"].isalpha() and spec["values"].isalpha()
        assert (spec["columns"] is not None) == (t.template == "pivot_two_way")


def test_pivot_targets_are_values_that_follow_the_data_and_summary_targets_are_formulas():
    for t in tasks(LEVEL):
        for target in t.targets:
            if t.template == "summary_formulas":
                assert target.formula and target.dynamic
            else:
                assert not target.formula
                assert target.dynamic == isinstance(target.expected, (int, float))


def test_instruction_words_are_in_the_vocabulary():
    vocabulary = set(family.VOCABULARY)
    for t in tasks(LEVEL):
        assert instruction_words(t.instruction) <= vocabulary, (t.seed, instruction_words(t.instruction) - vocabulary)


def _formula_table(t):
    """The initial workbook with the pivot rebuilt from formulas in the same layout: typed headers and labels,
    SUMIF/AVERAGEIF(S) for the numbers."""
    spec = t.slots["pivot"]
    source = parse_range(spec["source"])
    first, last = source.row1 + 2, source.row2 + 1

    def column(letter):
        return f"${letter}${first}:${letter}${last}"

    rows, values, columns = column(spec["rows"]), column(spec["values"]), spec["columns"] and column(spec["columns"])
    suffix = "" if columns else "IF"
    function = {"sum": "SUM", "average": "AVERAGE"}[spec["aggregation"]]
    by_address = {target.address: target for target in t.targets}
    anchor = parse_cell(t.targets[0].address)
    height = 1 + max(parse_cell(a).row for a in by_address) - anchor.row
    width = 1 + max(parse_cell(a).col for a in by_address) - anchor.col
    wb = t.workbook.clone()

    def at(dr, dc):
        return cell_name(anchor.row + dr, anchor.col + dc)

    for dr in range(height):
        for dc in range(width):
            address = at(dr, dc)
            label = by_address[address].expected
            if dr == 0 or dc == 0:
                wb.set(address, label)
                continue
            row_label, col_label = at(dr, 0), at(0, dc)
            conditions = []
            if dr < height - 1:
                conditions.append((rows, row_label))
            if columns and dc < width - 1:
                conditions.append((columns, col_label))
            if not conditions:
                wb.set(address, f"={function}({values})")
            elif columns:
                pairs = ",".join(f"{r},{c}" for r, c in conditions)
                wb.set(address, f"={function}IFS({values},{pairs})")
            else:
                wb.set(address, f"={function}{suffix}({rows},{row_label},{values})")
    return wb


@pytest.mark.parametrize("template", ["pivot_rows", "pivot_two_way"])
def test_a_formula_table_in_the_pivot_layout_passes_like_the_pivot(template):
    chosen = [t for t in tasks(LEVEL)
              if t.template == template and t.slots["pivot"]["aggregation"] in ("sum", "average")][:30]
    assert len(chosen) >= 10
    for t in chosen:
        wb = _formula_table(t)
        assert not wb.pivots
        result = check(wb, t)
        assert result.success, (t.seed, result.reason)


@pytest.mark.slow
def test_a_thousand_seeds_of_each_split():
    for t in tasks(LEVEL, 1000):
        assert expert_problem(t) is None, t.seed
        assert not check(t.workbook, t).success, t.seed
        assert not check(typed_in(t), t).success, t.seed
