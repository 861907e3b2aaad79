"""instruction_following: which computation a macro sequence writes, and the instruction edits it plays."""

from __future__ import annotations

from instruction_following import _OPERATOR, _PHRASE, aggregate_of, operator_of, with_text
from ood_attribution import tasks_holding_out


def test_the_computation_of_a_macro_sequence_is_read_from_its_first_formula_macro():
    assert aggregate_of(["select_reference_1", "clear_selection", "next_target", "min_selection", "done"]) == "min"
    assert aggregate_of(["next_target", "countif_left"]) is None  # a conditional count is not the aggregate
    assert aggregate_of(["next_target", "left_sum"]) is None  # a two-cell sum is arithmetic
    assert operator_of(["next_target", "above_ratio_to_top", "done"]) == "ratio"
    assert operator_of(["next_target", "left_reverse_difference"]) is None
    assert operator_of(["next_target", "sum_left"]) is None


def test_the_edited_phrase_is_a_whole_phrase_and_the_rest_of_the_instruction_stays():
    assert _PHRASE.search("The summary cell AC34 should show the mean of AC32:AG32.").group() == "mean"
    assert _PHRASE.search("Put the smallest value of B2:B9 in B10.").group() == "smallest value"
    assert _OPERATOR.search("the progress, W41 divided by V41").group() == "divided by"
    task = next(t for t in tasks_holding_out(2, ["combination"], 20) if t.template != "cell_arithmetic")
    match = _PHRASE.search(task.instruction)
    assert match is not None
    edited = with_text(task, *match.span(), "maximum")
    assert edited.instruction == task.instruction[: match.start()] + "maximum" + task.instruction[match.end():]
    assert edited.targets == task.targets  # only the words change: what counts is the macro the agent writes
