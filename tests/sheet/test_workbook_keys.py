"""Keyed, read-only access to a workbook: what fast readers (the RL environment) use instead of private state."""

import pytest

from sheetrl.sheet import AddressError, Workbook
from sheetrl.sheet.address import make_key
from sheetrl.sheet.formats import DEFAULT_FORMAT
from sheetrl.sheet.nodes import Call


@pytest.fixture
def wb() -> Workbook:
    book = Workbook(["Data", "Report"])
    book.set("Data!A1", "Region")
    book.set("Data!B2", 5)
    book.set("Data!B3", 7)
    book.set("Report!C1", "=SUM(Data!B2:B3)")
    book.set_format("Report!D4", bold=True)
    return book


def test_sheet_ids_and_names_round_trip(wb):
    data, report = wb.sheet_id("Data"), wb.sheet_id("report")
    assert wb.sheet_id() == data
    assert (wb.sheet_name(data), wb.sheet_name(report)) == ("Data", "Report")
    with pytest.raises(AddressError, match="no sheet named 'Nope'"):
        wb.sheet_id("Nope")
    with pytest.raises(AddressError, match="no sheet with id 99"):
        wb.sheet_name(99)


def test_value_map_holds_raw_values_and_is_read_only(wb):
    values = wb.value_map()
    data = wb.sheet_id("Data")
    assert values[make_key(data, 1, 1)] == 5.0 and type(values[make_key(data, 1, 1)]) is float
    assert values[make_key(wb.sheet_id("Report"), 0, 2)] == 12.0
    assert make_key(data, 5, 5) not in values
    with pytest.raises(TypeError):
        values[make_key(data, 5, 5)] = 1.0  # type: ignore[index]


def test_a_view_taken_after_an_edit_sees_the_edit_and_clones_stay_apart(wb):
    clone = wb.clone()
    clone.set("Data!B2", 100)
    key = make_key(wb.sheet_id("Data"), 1, 1)
    assert wb.value_map()[key] == 5.0 and clone.value_map()[key] == 100.0


def test_formulas_formats_and_inputs_by_key(wb):
    report = wb.sheet_id("Report")
    c1, d4 = make_key(report, 0, 2), make_key(report, 3, 3)
    assert wb.formula_at(c1) == "=SUM(Data!B2:B3)" and wb.input_at(c1) == "=SUM(Data!B2:B3)"
    node = wb.formula_node_at(c1)
    assert type(node) is Call and node.name == "SUM"
    assert wb.formula_at(d4) is None and wb.formula_node_at(d4) is None and wb.input_at(d4) is None
    assert wb.format_at(d4).bold and wb.format_at(c1) == DEFAULT_FORMAT
    assert wb.format_map()[d4].bold and c1 not in wb.format_map()
    assert set(wb.formula_keys()) == {c1}


def test_precedents_and_dependents_by_key(wb):
    data, report = wb.sheet_id("Data"), wb.sheet_id("Report")
    c1 = make_key(report, 0, 2)
    assert wb.precedent_keys(c1) == frozenset({make_key(data, 1, 1), make_key(data, 2, 1)})
    assert wb.precedent_keys(make_key(data, 1, 1)) == frozenset()
    assert wb.dependent_keys(make_key(data, 2, 1)) == [c1]
    assert wb.dependent_keys(make_key(data, 0, 0)) == []


def test_dependents_by_key_include_formulas_over_large_ranges():
    wb = Workbook()
    wb.set("Z1", "=SUM(A1:A10000)")
    assert wb.dependent_keys(make_key(wb.sheet_id(), 5000, 0)) == [make_key(wb.sheet_id(), 0, 25)]


def test_precedent_areas_are_the_rectangles_a_formula_reads_large_ones_included():
    wb = Workbook(["Data", "Report"])
    wb.set("Report!Z1", "=SUM(Data!A:A)+B2+SUM(C1:D3)")
    data, report = wb.sheet_id("Data"), wb.sheet_id("Report")
    areas = wb.precedent_areas(make_key(report, 0, 25))
    assert sorted(areas) == sorted([(data, 0, 0, 1048575, 0), (report, 1, 1, 1, 1), (report, 0, 2, 2, 3)])
    assert wb.precedent_areas(make_key(report, 1, 1)) == ()


def test_sheet_keys_list_filled_and_formatted_cells_of_one_sheet_in_order(wb):
    data, report = wb.sheet_id("Data"), wb.sheet_id("Report")
    assert wb.sheet_keys(data) == [make_key(data, 0, 0), make_key(data, 1, 1), make_key(data, 2, 1)]
    assert wb.sheet_keys(report) == [make_key(report, 0, 2), make_key(report, 3, 3)]
    wb.clear("Data!A1")
    assert make_key(data, 0, 0) not in wb.sheet_keys(data)
