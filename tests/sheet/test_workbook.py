"""Workbook behaviour: values, incremental recalculation, cycles, clones, undo, sheets, formats."""

import pytest

from sheetrl.sheet import AddressError, FormulaSyntaxError, SheetError, Workbook
from sheetrl.sheet.errors import CYCLE, DIV0, NAME, REF, VALUE


def test_facade_example():
    wb = Workbook()
    wb.set("A1", 5)
    wb.set("B1", "=A1*2")
    wb.set("Sheet1!C1", "text")
    assert wb.value("B1") == 10
    assert wb.formula("B1") == "=A1*2"
    assert wb.formula("A1") is None
    assert wb.value("C1") == "text"
    assert wb.value("D1") is None


def test_value_types():
    wb = Workbook()
    wb.set("A1", 2.5)
    wb.set("A2", True)
    wb.set("A3", "=1/0")
    wb.set("A4", "=A9")  # reference to an empty cell shows 0
    assert wb.value("A1") == 2.5
    assert wb.value("A2") is True
    assert wb.value("A3") is DIV0 and str(wb.value("A3")) == "#DIV/0!"
    assert wb.value("A4") == 0


def test_edit_recomputes_transitive_dependents_in_order():
    wb = Workbook()
    wb.set("A1", 1)
    wb.set("B1", "=A1+1")
    wb.set("C1", "=B1*10")
    wb.set("D1", "=C1+B1")
    wb.set("A1", 5)
    assert (wb.value("B1"), wb.value("C1"), wb.value("D1")) == (6, 60, 66)


def test_diamond_dependency_evaluates_each_formula_after_its_inputs():
    wb = Workbook()
    wb.set("A1", 1)
    wb.set("B1", "=A1*2")
    wb.set("B2", "=A1*3")
    wb.set("C1", "=B1+B2")
    wb.set("A1", 10)
    assert wb.value("C1") == 50


def test_edit_does_not_recompute_unrelated_formulas():
    wb = Workbook()
    calls = []
    wb.set("A1", 1)
    wb.set("A2", 1)
    wb.set("B1", "=A1+1")
    wb.set("B2", "=A2+1")
    cell = wb._formulas[wb.key("B2")]
    original = cell.fn

    def counting(values):
        calls.append(1)
        return original(values)

    cell.fn = counting
    wb._plans = {}
    wb.set("A1", 7)
    assert calls == []
    wb.set("A2", 7)
    assert calls == [1]


def test_formula_replacing_a_formula_rewires_the_graph():
    wb = Workbook()
    wb.set("A1", 1)
    wb.set("A2", 2)
    wb.set("B1", "=A1")
    wb.set("B1", "=A2")
    wb.set("A1", 100)
    assert wb.value("B1") == 2
    assert wb.dependents("A1") == []
    assert wb.dependents("A2") == ["Sheet1!B1"]


def test_range_dependencies_are_tracked():
    wb = Workbook()
    wb.set("A1", "=B1+B2+B3")
    wb.set("C1", "={1,2}")
    wb.set("B2", 5)
    assert wb.value("A1") == 5


def test_circular_reference_gives_cycle_error_not_a_hang():
    wb = Workbook()
    wb.set("A1", "=B1+1")
    wb.set("B1", "=A1+1")
    assert wb.value("A1") is CYCLE and wb.value("B1") is CYCLE
    wb.set("C1", "=A1")
    assert wb.value("C1") is CYCLE
    wb.set("B1", 1)  # breaking the cycle recomputes everything downstream
    assert wb.value("A1") == 2 and wb.value("C1") == 2


def test_self_reference_is_a_cycle():
    wb = Workbook()
    wb.set("A1", "=A1+1")
    assert wb.value("A1") is CYCLE


def test_long_cycle_is_detected():
    wb = Workbook()
    for row in range(1, 1000):
        wb.set(f"A{row}", f"=A{row + 1}")
    wb.set("A1000", "=A1")
    assert wb.value("A500") is CYCLE


@pytest.mark.slow
def test_hundred_thousand_cell_chain_recalculates_without_recursion():
    wb = Workbook()
    n = 100_000
    with wb.batch():
        wb.set("A1", 1)
        for row in range(2, n + 1):
            wb.set(f"A{row}", f"=A{row - 1}+1")
    assert wb.value(f"A{n}") == n
    wb.set("A1", 10)
    assert wb.value(f"A{n}") == n + 9


@pytest.mark.slow
def test_hundred_thousand_cell_chain_entered_backwards_in_a_batch():
    wb = Workbook()
    n = 100_000
    with wb.batch():
        for row in range(n, 1, -1):
            wb.set(f"A{row}", f"=A{row - 1}+1")
        wb.set("A1", 0)
    assert wb.value(f"A{n}") == n - 1


def test_hundred_thousand_cell_cycle_is_an_error_value():
    wb = Workbook()
    n = 100_000
    with wb.batch():
        for row in range(1, n):
            wb.set(f"A{row}", f"=A{row + 1}")
        wb.set(f"A{n}", "=A1")
    assert wb.value("A1") is CYCLE and wb.value(f"A{n}") is CYCLE


def test_bad_formula_leaves_cell_unchanged():
    wb = Workbook()
    wb.set("A1", "=1+1")
    with pytest.raises(FormulaSyntaxError):
        wb.set("A1", "=1+")
    assert wb.value("A1") == 2 and wb.formula("A1") == "=1+1"


def test_wrong_argument_count_is_rejected_like_excel():
    wb = Workbook()
    with pytest.raises(FormulaSyntaxError, match="SUM takes"):
        wb.set("A1", "=SUM()")


def test_unknown_function_is_name_error():
    wb = Workbook()
    wb.set("A1", "=FOOBAR(1)")
    assert wb.value("A1") is NAME
    wb.set("A2", "=undefined_name+1")
    assert wb.value("A2") is NAME


@pytest.mark.parametrize("address", ["", "A0", "ZZZZ1", "A1048577", "1A", "Nope!A1", None, 3])
def test_bad_addresses_raise_address_error(address):
    wb = Workbook()
    with pytest.raises(AddressError):
        wb.set(address, 1)


@pytest.mark.parametrize("value", [float("nan"), float("inf"), object(), [1, 2], 10**400])
def test_values_a_cell_cannot_hold_are_rejected(value):
    wb = Workbook()
    with pytest.raises((TypeError, ValueError)):
        wb.set("A1", value)
    assert wb.value("A1") is None


def test_clone_is_independent_both_ways():
    wb = Workbook()
    wb.set("A1", 1)
    wb.set("B1", "=A1*2")
    clone = wb.clone()
    clone.set("A1", 10)
    assert wb.value("B1") == 2 and clone.value("B1") == 20
    wb.set("B1", "=A1*3")
    assert wb.value("B1") == 3 and clone.value("B1") == 20
    clone.set("C1", "=B1+1")
    assert wb.value("C1") is None and clone.value("C1") == 21
    wb.set("A1", 2)
    assert clone.value("C1") == 21


def test_a_clone_taken_inside_a_batch_is_recalculated():
    wb = Workbook()
    wb.set_range("A1", [[1, "=A1+1", "=SEQUENCE(A1)"]])
    with wb.batch():
        wb.set("A1", 3)
        copy = wb.clone()
        assert wb.value("B1") == 2  # the batch recalculates at its end
    assert (copy.value("B1"), copy.values("C1:C3")) == (4, [[1], [2], [3]])
    assert (wb.value("B1"), wb.values("C1:C3")) == (4, [[1], [2], [3]])
    copy.set("A1", 1)
    assert copy.values("B1:C2") == [[2, 1], [None, None]] and wb.value("B1") == 4


def test_clones_of_clones_share_nothing_mutable():
    wb = Workbook()
    wb.set("A1", 1)
    wb.set("B1", "=A1")
    a = wb.clone()
    b = a.clone()
    b.set("A1", 5)
    a.set("A2", "=A1")
    assert (wb.value("B1"), a.value("B1"), b.value("B1")) == (1, 1, 5)
    assert b.value("A2") is None and wb.value("A2") is None
    assert wb.dependents("A1") == ["Sheet1!B1"]
    assert a.dependents("A1") == ["Sheet1!B1", "Sheet1!A2"]  # row by row


def test_undo_and_redo_restore_values_and_formulas():
    wb = Workbook()
    wb.set("A1", 1)
    wb.set("B1", "=A1+1")
    wb.set("A1", 5)
    assert wb.undo()
    assert wb.value("A1") == 1 and wb.value("B1") == 2
    assert wb.undo()
    assert wb.formula("B1") is None and wb.value("B1") is None
    assert wb.redo()
    assert wb.value("B1") == 2
    assert wb.redo()
    assert wb.value("B1") == 6
    assert not wb.redo()


def test_undo_of_a_structural_edit():
    wb = Workbook()
    wb.set("A1", 1)
    wb.set("A2", "=A1*2")
    wb.insert_rows(1)
    assert wb.formula("A3") == "=A2*2"
    wb.undo()
    assert wb.formula("A2") == "=A1*2" and wb.value("A2") == 2


def test_undoing_a_structural_edit_inside_a_batch_leaves_the_workbook_recalculating():
    wb = Workbook()
    wb.set("A1", 1)
    wb.set("B1", "=A1*2")
    wb.insert_rows(5)
    with wb.batch():
        assert wb.undo()  # back to before the inserted row, while the batch is open
        wb.set("A1", 3)
    assert wb.value("B1") == 6
    wb.set("A1", 4)  # the batch is over: an edit recalculates at once
    assert wb.value("B1") == 8


def test_undoing_to_a_snapshot_taken_inside_a_batch_gives_recalculated_values():
    wb = Workbook()
    wb.set("A1", 1)
    wb.set("B1", "=A1*2")
    with wb.batch():
        wb.set("A1", 5)
        wb.insert_rows(10)  # its undo snapshot is taken before the batch has recalculated B1
    assert wb.value("B1") == 10
    assert wb.undo()
    assert wb.value("A1") == 5 and wb.value("B1") == 10
    assert wb.redo()
    assert wb.value("B1") == 10


def test_new_edit_clears_redo():
    wb = Workbook()
    wb.set("A1", 1)
    wb.set("A1", 2)
    wb.undo()
    wb.set("A1", 3)
    assert not wb.redo()


def test_cross_sheet_references_and_sheet_management():
    wb = Workbook(["Data", "Report"])
    wb.set("Data!A1", 4)
    wb.set("Report!A1", "=Data!A1*2")
    assert wb.value("Report!A1") == 8
    wb.set("Report!A2", "='New Sheet'!A1+1")
    assert wb.value("Report!A2") is REF
    wb.add_sheet("New Sheet")
    assert wb.value("Report!A2") == 1
    wb.set("'New Sheet'!A1", 41)
    assert wb.value("Report!A2") == 42
    wb.rename_sheet("Data", "Inputs")
    assert wb.formula("Report!A1") == "=Inputs!A1*2"
    assert wb.value("Report!A1") == 8
    wb.remove_sheet("Inputs")
    assert wb.value("Report!A1") is REF


def _quarters() -> Workbook:
    """Summary, then Q1..Q4 holding 1, 10, 100, 1000 in A1 and 2, 20, 200, 2000 in B2."""
    wb = Workbook(["Summary", "Q1", "Q2", "Q3", "Q4"])
    for index, sheet in enumerate(("Q1", "Q2", "Q3", "Q4")):
        wb.set(f"{sheet}!A1", 10**index)
        wb.set(f"{sheet}!B2", 2 * 10**index)
    return wb


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("=SUM(Q1:Q4!A1)", 1111),
        ("=SUM(Q2:Q3!A1:B2)", 330),
        ("=SUM(Q4:Q2!A1)", 1110),  # ends in either order
        ("=SUM(Q3:Q3!A1)", 100),
        ("=AVERAGE(Q1:Q4!A1)", 277.75),
        ("=COUNT(Q1:Q4!A1:B2)", 8),
        ("=COUNTA(Q1:Q4!C1)", 0),
        ("=MAX(Q1:Q4!A:A)", 1000),
        ("=MIN(Q1:Q4!B2)", 2),
        ("=PRODUCT(Q1:Q3!A1)", 1000),
        ("=VAR.P(Q1:Q2!A1)", 20.25),
        ("=SUM(Q1:Q2!A1,Q4!A1,5)", 1016),
        ("=SUM(Q1:Nowhere!A1)", "#REF!"),
        ("=Q1:Q4!A1", "#VALUE!"),  # only the functions Microsoft lists take a 3-D reference
        ('=COUNTIF(Q1:Q4!A1,">0")', "#VALUE!"),
        ("=Q1:Q4!A1+1", "#VALUE!"),
    ],
)
def test_three_d_references(formula: str, expected: object) -> None:
    wb = _quarters()
    wb.set("Summary!A1", formula)
    value = wb.value("Summary!A1")
    if isinstance(expected, str):
        assert str(value) == expected
    else:
        assert value == pytest.approx(expected)


def test_three_d_reference_follows_edits_and_the_sheets_between_its_ends():
    wb = _quarters()
    wb.set("Summary!A1", "=SUM(Q1:Q3!A1)")
    assert wb.value("Summary!A1") == 111
    wb.set("Q2!A1", 50)  # an edit on a sheet inside the span
    assert wb.value("Summary!A1") == 151
    wb.add_sheet("Extra", before="Q3")  # inserted between the ends: joins the span
    wb.set("Extra!A1", 7000)
    assert wb.value("Summary!A1") == 7151
    wb.add_sheet("Later")  # after the last end: outside
    wb.set("Later!A1", 5)
    assert wb.value("Summary!A1") == 7151
    wb.remove_sheet("Extra")  # a sheet inside the span: its values drop out
    assert wb.value("Summary!A1") == 151


def test_renaming_an_end_sheet_renames_it_in_the_three_d_reference():
    wb = _quarters()
    wb.set("Summary!A1", "=SUM(Q1:Q3!A1)")
    wb.rename_sheet("Q3", "Third quarter")
    assert wb.formula("Summary!A1") == "=SUM('Q1:Third quarter'!A1)"
    assert wb.value("Summary!A1") == 111
    wb.set("'Third quarter'!A1", 300)
    assert wb.value("Summary!A1") == 311


def test_a_defined_name_can_stand_for_a_three_d_reference():
    wb = _quarters()
    wb.define_name("Firsts", "=Q1:Q3!$A$1")
    wb.set("Summary!A1", "=SUM(Firsts)")
    wb.set("Summary!A2", "=Firsts")
    assert wb.value("Summary!A1") == 111
    assert wb.value("Summary!A2") is VALUE
    wb.set("Q3!A1", 900)
    assert wb.value("Summary!A1") == 911


def test_sheets_counts_the_sheets_a_three_d_reference_spans():
    wb = _quarters()
    wb.define_name("My3DRef", "=Q2:Q3!A1")
    wb.set("Summary!A1", "=SHEETS(My3DRef)")  # Microsoft's example: a name spanning two sheets is 2
    wb.set("Summary!A2", "=SHEETS(Q4:Q1!B2:C3)")
    wb.set("Summary!A3", "=SHEETS(Q1:Nowhere!A1)")
    assert (wb.value("Summary!A1"), wb.value("Summary!A2")) == (2, 4)
    assert wb.value("Summary!A3") is REF
    wb.add_sheet("Q2b", before="Q3")
    assert (wb.value("Summary!A1"), wb.value("Summary!A2")) == (3, 5)


def test_deleting_an_end_sheet_moves_that_end_inward():
    wb = _quarters()
    wb.set("Summary!A1", "=SUM(Q1:Q3!A1)")
    wb.remove_sheet("Q1")
    assert wb.formula("Summary!A1") == "=SUM('Q2:Q3'!A1)"  # Q2 reads like a cell: quoted
    assert wb.value("Summary!A1") == 110
    wb.remove_sheet("Q3")
    assert wb.formula("Summary!A1") == "=SUM('Q2:Q2'!A1)"
    assert wb.value("Summary!A1") == 10
    wb.remove_sheet("Q2")
    assert wb.formula("Summary!A1") == "=SUM(#REF!)"
    assert str(wb.value("Summary!A1")) == "#REF!"


@pytest.mark.parametrize("name", ["", "a" * 32, "x/y", "what?", "[a]", "'q"])
def test_invalid_sheet_names_are_rejected(name):
    with pytest.raises(SheetError):
        Workbook([name])


def test_duplicate_sheet_name_is_rejected_case_insensitively():
    wb = Workbook(["Data"])
    with pytest.raises(SheetError, match="already exists"):
        wb.add_sheet("DATA")


def test_implicit_intersection_of_a_column_range():
    wb = Workbook()
    for row in range(1, 4):
        wb.set(f"A{row}", row * 10)
    wb.set("B2", "=@A1:A3")
    wb.set("B5", "=@A1:A3")
    assert wb.value("B2") == 20
    assert wb.value("B5") is VALUE


def test_whole_column_reference_follows_the_used_extent():
    wb = Workbook()
    wb.set("B1", "=SUM(A:A)")
    wb.set("A3", 2)
    wb.set("A5000", 3)
    assert wb.value("B1") == 5


def test_clear_range():
    wb = Workbook()
    wb.set_range("A1", [[1, 2], [3, "=A1+B1"]])
    assert wb.value("B2") == 3
    wb.clear("A1:A2")
    assert wb.value("A1") is None and wb.value("B2") == 2


def test_set_range_and_values():
    wb = Workbook()
    wb.set_range("B2", [[1, "x", True], [None, "=B2*2", 3.5]])
    assert wb.values("B2:D3") == [[1, "x", True], [None, 2, 3.5]]


def test_formats_are_part_of_state_and_cloned():
    wb = Workbook()
    wb.set_format("A1:B1", bold=True, number_format="currency", fill_color="FFFF00")
    assert wb.format("A1").bold and wb.format("B1").number_format == '"$"#,##0.00'
    clone = wb.clone()
    clone.set_format("A1", italic=True)
    assert not wb.format("A1").italic and clone.format("A1").italic
    wb.undo()
    assert not wb.format("A1").bold


@pytest.mark.parametrize(
    "changes", [{"horizontal": "middle"}, {"fill_color": "yellow"}, {"border_top": "wavy"}, {"colour": "FF0000"}]
)
def test_bad_formats_raise_sheet_error(changes):
    wb = Workbook()
    with pytest.raises(SheetError):
        wb.set_format("A1", **changes)


def test_column_width():
    wb = Workbook()
    wb.set_column_width("C", 20)
    assert wb.column_width("C") == 20 and wb.column_width("D") is None
    with pytest.raises(SheetError):
        wb.set_column_width("C", -1)


def test_refused_structural_edits_leave_nothing_to_undo():
    # a refusal is no edit: undo must go back to the edit before it, and redo must survive
    wb = Workbook()
    wb.set_array_formula("B1:B3", "={1;2;3}")
    wb.set("A1", 5)
    wb.set("A1", 6)
    wb.undo()
    with pytest.raises(SheetError, match="through the array formula"):
        wb.delete_rows(2)
    with pytest.raises(SheetError, match="through the array formula"):
        wb.insert_rows(3)
    with pytest.raises(AddressError):
        wb.set_column_width("C", 10, sheet="Nope")
    with pytest.raises(AddressError):
        wb.set_column_width("1C", 10)
    assert wb.redo() and wb.value("A1") == 6
    assert wb.undo() and wb.value("A1") == 5
    assert wb.undo() and wb.value("A1") is None

@pytest.mark.parametrize("text", ["=(", "=SUM(", "=ROUND(1)", "=LET(x,1)"])
def test_a_formula_that_is_refused_leaves_nothing_to_undo(text):
    wb = Workbook()
    wb.set("A1", 1)
    wb.set("A1", 2)
    wb.undo()
    with pytest.raises(FormulaSyntaxError):
        wb.set("C1", text)
    with wb.batch(), pytest.raises(FormulaSyntaxError):
        wb.set("C1", text)
    assert wb.redo() and wb.value("A1") == 2  # the redo stack survives
    assert wb.undo() and wb.value("A1") == 1  # and undo goes back to the edit before
    assert wb.undo() and wb.value("A1") is None
    assert not wb.undo()

def test_inserting_lines_refuses_to_push_cells_off_the_sheet():
    # Excel: "cannot shift nonblank cells off of the worksheet"; the cells are kept, nothing to undo
    wb = Workbook()
    wb.set("A1048575", 7)
    wb.set("B1", "=A1048575")
    wb.set("XFD2", 3)
    wb.insert_rows(1)  # the last row was empty
    assert wb.value("A1048576") == 7 and wb.formula("B2") == "=A1048576"
    with pytest.raises(SheetError, match="Sheet1!A1048576 is not empty"):
        wb.insert_rows(5, 2)
    with pytest.raises(SheetError, match="Sheet1!XFD3 is not empty"):
        wb.insert_columns(3)
    assert wb.value("A1048576") == 7 and wb.value("B2") == 7 and wb.value("XFD3") == 3
    assert wb.undo() and wb.value("A1048575") == 7 and wb.value("B1") == 7

def test_whole_sheet_ranges_are_refused_by_values_and_cleared_by_clear_formats():
    # 17 billion cells: values() would exhaust memory, clear_formats() loop for hours
    wb = Workbook()
    wb.set("B5", 1)
    for address in ("B5", "C3", "XFD1048576"):
        wb.set_format(address, bold=True)
    with pytest.raises(AddressError, match="larger than 5,000,000 cells"):
        wb.values("1:1048576")
    with pytest.raises(AddressError, match="larger than 5,000,000 cells"):
        wb.copy_range("B:XFD", "A1")
    assert len(wb.values("A:A")) == 1_048_576
    wb.clear_formats("1:1048576")
    assert not any(wb.format(address).bold for address in ("B5", "C3", "XFD1048576"))
    assert wb.undo() and all(wb.format(address).bold for address in ("B5", "C3", "XFD1048576"))
    wb.clear_formats("A:B")
    assert not wb.format("B5").bold and wb.format("C3").bold and wb.value("B5") == 1

def test_full_recalculate_matches_incremental_state():
    wb = Workbook()
    wb.set_range("A1", [[1, "=A1+1", "=B1*2"], [2, "=A2+B1", "=SUM(A1:B2)"]])
    before = wb.values("A1:C2")
    wb.recalculate()
    assert wb.values("A1:C2") == before


def test_precedents_and_dependents():
    wb = Workbook()
    wb.set("C1", "=SUM(A1:A2)+B1")
    assert wb.precedents("C1") == ["Sheet1!A1", "Sheet1!B1", "Sheet1!A2"]  # row by row
    assert wb.dependents("A2") == ["Sheet1!C1"]


def test_dates_become_serial_numbers():
    import datetime

    wb = Workbook()
    wb.set("A1", datetime.date(2024, 1, 31))
    assert wb.value("A1") == 45322


def test_excels_reserved_sheet_name_is_refused_for_a_new_sheet_but_kept_when_a_file_has_it(tmp_path):
    import openpyxl

    wb = Workbook(["Data"])
    for make in (lambda: wb.add_sheet("History"), lambda: wb.rename_sheet("Data", "HISTORY"),
                 lambda: Workbook(["history"])):
        with pytest.raises(SheetError, match="reserves"):
            make()
    assert wb.sheet_names == ["Data"]
    book = openpyxl.Workbook()
    book.active.title = "History"
    book.active["A1"] = 1
    book.save(tmp_path / "history.xlsx")
    loaded = Workbook.load(tmp_path / "history.xlsx")
    assert loaded.sheet_names == ["History"] and loaded.value("History!A1") == 1
    loaded.rename_sheet("History", "history")  # the same name: nothing new is reserved
    assert loaded.sheet_names == ["history"]


def test_precedents_of_a_whole_column_are_its_filled_cells():
    # The review: a range too large to expand listed nothing, so a formula over A:A "read no cell".
    wb = Workbook(["S", "T"])
    wb.set("S!A5", 3)
    wb.set("S!A7", "=1+1")
    wb.set("S!B2", 9)  # outside the column
    wb.set("T!A1", 1)  # same column, another sheet
    wb.set("S!C1", "=SUM(A:A)+B2")
    assert wb.precedents("S!C1") == ["S!B2", "S!A5", "S!A7"]
    wb.set("S!C2", "=SUM(A1:A4)")
    assert len(wb.precedents("S!C2")) == 4  # a small range: every cell, filled or not
