"""Lookups read a reference's key column lazily: a search that stops early, or a binary search, reads only the
cells it visits, and gives the position the same search gives over the whole column read as a list."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetrl.sheet import Workbook
from sheetrl.sheet import values as values_module
from sheetrl.sheet.address import make_key
from sheetrl.sheet.errors import NA, ExcelError
from sheetrl.sheet.evaluation import Area, area_matrix, extent_key
from sheetrl.sheet.functions import lookup
from sheetrl.sheet.functions.lookup import binary_search, find_exact, hlookup, lookup_, vlookup
from sheetrl.sheet.values import Matrix, RangeValues


class CountingCells(dict):
    """A values dict counting the reads made through ``get`` (how lazy views read)."""

    reads = 0

    def get(self, key: Any, default: Any = None) -> Any:
        self.reads += 1
        return super().get(key, default)


def _table(rows: int, cols: int, value=lambda r, c: float(r * 10 + c)) -> tuple[CountingCells, Area]:
    cells = CountingCells({make_key(0, r, c): value(r, c) for r in range(rows) for c in range(cols)})
    cells[extent_key(0)] = (rows - 1, cols - 1)  # the sheet's used extent, which large areas are clamped to
    return cells, Area(0, 0, 0, rows - 1, cols - 1)


@pytest.mark.parametrize("rows, cols", [(1, 7), (9, 1), (4, 5), (1, 1), (300, 3)])
def test_column_and_row_views_hold_what_column_and_row_read(rows, cols):
    cells, area = _table(rows, cols)
    lazy = area_matrix(area, cells)
    listed = Matrix(rows, cols, list(lazy.values), True)
    precomputed = Matrix(rows, cols, RangeValues([make_key(0, r, c) for r in range(rows) for c in range(cols)],
                                                 cells), True)  # type: ignore[arg-type]
    for matrix in (lazy, listed, precomputed):
        for c in range(cols):
            assert list(matrix.column_view(c)) == listed.column(c)
        for r in range(rows):
            assert list(matrix.row_view(r)) == listed.row(r)


@pytest.mark.parametrize("rows, cols", [(1, 7), (9, 1), (4, 5), (1, 1)])
def test_slices_of_an_area_hold_the_values_at_those_positions(rows, cols):
    cells, area = _table(rows, cols)
    view = area_matrix(area, cells).values
    listed = [float(r * 10 + c) for r in range(rows) for c in range(cols)]
    bounds = [None, *range(-12, 13)]
    for start in bounds:
        for stop in bounds:
            for step in (None, 1, 2, 3, -1, -2, 5):
                assert view[start:stop:step] == listed[start:stop:step], (start, stop, step)


def test_an_exact_lookup_near_the_top_of_a_long_table_reads_only_the_cells_before_it():
    cells, area = _table(100_000, 3)
    table = area_matrix(area, cells)
    assert vlookup(50.0, table, 2.0, False) == 51.0
    assert cells.reads < 200  # the whole key column is 100,000 cells
    cells.reads = 0
    assert vlookup(-1.0, table, 2.0, False) == NA  # not found: every key, once
    assert 100_000 <= cells.reads < 101_000


def test_an_approximate_lookup_reads_only_the_cells_its_binary_search_visits():
    cells, area = _table(100_000, 3)
    table = area_matrix(area, cells)
    assert vlookup(123_456.5, table, 3.0) == 123_452.0
    assert lookup_(123_456.5, table) == 123_452.0
    assert cells.reads < 200
    wide_cells, wide = _table(3, 4_000, lambda r, c: float(c * 10 + r))
    assert hlookup(20_001.0, area_matrix(wide, wide_cells), 2.0) == 20_001.0
    assert wide_cells.reads < 100


_values = st.lists(
    st.one_of(
        st.floats(-3, 3).map(lambda x: float(round(x))),
        st.sampled_from(["a", "A", "ab", "b*", "ß", "SS", "x?", ""]),
        st.booleans(),
        st.none(),
        st.just(NA),
    ),
    max_size=60,
)
_lookups = st.one_of(
    st.floats(-3, 3).map(lambda x: float(round(x))), st.sampled_from(["a", "A*", "?", "ss", "b~*", "x?"]),
    st.booleans(), st.none(),
)


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(_values, _lookups, st.booleans(), st.booleans(), st.booleans())
def test_a_search_in_chunks_finds_what_a_search_of_the_list_finds(values, wanted, wildcards, reverse, fold):
    cells = {make_key(0, r, 0): v for r, v in enumerate(values) if v is not None}
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(values_module, "LAZY_VIEW_CELLS", 0)  # a view even of a short column
        view = area_matrix(Area(0, 0, 0, max(len(values), 1) - 1, 0), cells).column_view(0) if values else []
    assert not values or type(view) is RangeValues
    listed = list(view)
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(lookup, "_FIRST_CHUNK", 2)  # many chunk boundaries in a short column
        chunked = find_exact(view, wanted, wildcards, reverse, fold)
    assert chunked == find_exact(listed, wanted, wildcards, reverse, fold)
    if not isinstance(wanted, ExcelError) and values:
        assert binary_search(view, wanted) == binary_search(listed, wanted)
        with pytest.MonkeyPatch.context() as monkeypatch:
            monkeypatch.setattr(lookup, "_STEPS_BEFORE_READING_WHOLE", 1)  # read whole after the first step
            assert binary_search(view, wanted) == binary_search(listed, wanted)


def test_lookups_through_the_workbook_give_the_same_values_as_before():
    wb = Workbook()
    with wb.batch():
        wb.set_range("A1", [[float(r), f"k{r % 7}", r * 2.0] for r in range(1, 2001)])
        wb.set("E1", "=VLOOKUP(1500.5,A1:C2000,3)")
        wb.set("E2", '=MATCH("k3",B1:B2000,0)')
        wb.set("E3", "=HLOOKUP(2,A1:C2000,2000,FALSE)")
        wb.set("E4", "=LOOKUP(77.2,A1:C2000)")
        wb.set("E5", '=VLOOKUP("K5",B1:C2000,2,FALSE)')
        wb.set("E6", '=VLOOKUP("k*",B1:C2000,2,FALSE)')
    assert wb.values("E1:E6") == [[3000.0], [3.0], [4000.0], [154.0], [10.0], [2.0]]
