"""Pivot tables: grouping, aggregations, column fields, refresh on source change, validation."""

import pytest

from sheetrl.sheet import SheetError, Workbook
from sheetrl.sheet.errors import DIV0

DATA = [
    ["Region", "Quarter", "Sales"],
    ["East", "Q1", 10],
    ["West", "Q1", 5],
    ["East", "Q2", 20],
    ["east", "Q1", 1],
    ["North", "Q2", "n/a"],
]


def make() -> Workbook:
    wb = Workbook()
    wb.set_range("A1", DATA)
    return wb


def test_sum_by_row_field_groups_case_insensitively_and_sorts_labels():
    wb = make()
    wb.add_pivot("A1:C6", rows="Region", values="Sales", anchor="F1")
    assert wb.values("F1:G5") == [
        ["Region", "Sum of Sales"],
        ["East", 31],
        ["North", 0],
        ["West", 5],
        ["Grand Total", 36],
    ]


@pytest.mark.parametrize(
    ("aggregation", "east", "total"),
    [("count", 3, 5), ("average", 31 / 3, 9), ("min", 1, 1), ("max", 20, 20)],
)
def test_aggregations(aggregation, east, total):
    wb = make()
    wb.add_pivot("A1:C6", rows="Region", values="Sales", aggregation=aggregation, anchor="F1")
    assert wb.value("G2") == pytest.approx(east)
    assert wb.value("G5") == pytest.approx(total)


def test_average_of_no_numbers_is_div0():
    wb = make()
    wb.add_pivot("A1:C6", rows="Region", values="Sales", aggregation="average", anchor="F1")
    assert wb.value("G3") is DIV0


def test_column_field_layout_with_empty_combinations():
    wb = make()
    wb.add_pivot("A1:C6", rows="Region", columns="Quarter", values="Sales", anchor="F1")
    assert wb.values("F1:I5") == [
        ["Region", "Q1", "Q2", "Grand Total"],
        ["East", 11, 20, 31],
        ["North", None, 0, 0],
        ["West", 5, None, 5],
        ["Grand Total", 16, 20, 36],
    ]


def test_pivot_refreshes_when_source_changes_and_clears_stale_cells():
    wb = make()
    wb.add_pivot("A1:C6", rows="Region", values="Sales", anchor="F1")
    wb.set("C3", 7)
    assert wb.value("G4") == 7
    wb.set("A6", "East")  # North disappears: one row fewer
    assert wb.values("F1:G5") == [["Region", "Sum of Sales"], ["East", 31], ["West", 7], ["Grand Total", 38],
                                  [None, None]]


def test_formulas_can_read_pivot_output():
    wb = make()
    wb.add_pivot("A1:C6", rows="Region", values="Sales", anchor="F1")
    wb.set("J1", "=G5*2")
    assert wb.value("J1") == 72
    wb.set("C2", 110)
    assert wb.value("J1") == 272


def test_pivot_in_clone_is_independent():
    wb = make()
    wb.add_pivot("A1:C6", rows="Region", values="Sales", anchor="F1")
    clone = wb.clone()
    clone.set("C2", 100)
    assert wb.value("G2") == 31 and clone.value("G2") == 121


def test_remove_pivot_clears_its_cells():
    wb = make()
    pivot = wb.add_pivot("A1:C6", rows="Region", values="Sales", anchor="F1")
    wb.remove_pivot(pivot.name)
    assert wb.values("F1:G5") == [[None, None]] * 5 and wb.pivots == []


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rows": "Nope"}, "not a header"),
        ({"aggregation": "median"}, "aggregation must be one of"),
        ({"anchor": "B2"}, "inside its source"),
        ({"source": "A1:C1"}, "header row and at least one record"),
        ({"source": "Other!A1:C6"}, "no sheet named"),
    ],
)
def test_bad_pivot_definitions_raise_clear_errors(kwargs, message):
    wb = make()
    args = {"source": "A1:C6", "rows": "Region", "values": "Sales", "anchor": "F1", **kwargs}
    with pytest.raises(SheetError, match=message):
        wb.add_pivot(**args)


def test_pivot_whose_field_header_is_edited_away_shows_ref_error():
    wb = make()
    wb.add_pivot("A1:C6", rows="Region", values="Sales", anchor="F1")
    wb.set("A1", "Area")
    assert str(wb.value("F1")) == "#REF!" and wb.value("G2") is None
    wb.set("A1", "Region")
    assert wb.value("G2") == 31
