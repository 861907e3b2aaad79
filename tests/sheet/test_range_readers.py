"""The index of the ranges the dependency graph does not expand (running totals, lookups into one table)."""

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetrl.sheet import Workbook, workbook
from sheetrl.sheet.errors import CYCLE
from sheetrl.sheet.range_readers import RangeReaders, is_virtual_node


def _readers_by_brute_force(ranges_by_formula, sid, row, col):
    return {
        key
        for key, ranges in ranges_by_formula.items()
        for s, r1, c1, r2, c2 in ranges
        if s == sid and r1 <= row <= r2 and c1 <= col <= c2
    }


def test_a_running_total_is_one_chain_with_one_node_per_range():
    ranges = {100 + k: [(0, 0, 0, k, 0)] for k in range(50)}  # A$1:A1 ... A$1:A50, formula 100+k reads A1:A(k+1)
    index = RangeReaders(ranges)
    nodes = index.nodes_containing(0, 10, 0)
    assert len(nodes) == 1 and is_virtual_node(nodes[0])
    first = index.node_successors(nodes[0])
    assert first[0] == 110 and is_virtual_node(first[1])  # the smallest range holding row 10, then the next one
    assert index.readers_containing(0, 10, 0) == set(range(110, 150))
    assert index.readers_containing(0, 10, 1) == set()  # another column
    assert index.readers_containing(1, 10, 0) == set()  # another sheet


def test_bottom_anchored_ranges_chain_from_the_smallest():
    ranges = {200 + k: [(0, k, 2, 99, 2)] for k in range(0, 100, 3)}  # C(k+1):C$100, what remains below row k
    index = RangeReaders(ranges)
    assert index.readers_containing(0, 50, 2) == {200 + k for k in range(0, 51, 3)}
    assert index.readers_containing(0, 100, 2) == set()


def test_whole_columns_and_rows_are_found_without_blocks():
    ranges = {1: [(0, 0, 0, 1_048_575, 0)], 2: [(0, 4, 0, 4, 16_383)], 3: [(0, 0, 3, 1_048_575, 3)]}
    index = RangeReaders(ranges)
    assert index.readers_containing(0, 900_000, 0) == {1}
    assert index.readers_containing(0, 4, 0) == {1, 2}
    assert index.readers_containing(0, 4, 3) == {2, 3}


def test_random_ranges_find_exactly_the_formulas_whose_range_holds_the_cell():
    rng = random.Random(7)
    ranges_by_formula = {}
    for key in range(300):
        chosen = []
        for _ in range(rng.randint(1, 3)):
            anchor = rng.choice([0, 5, 40, None])  # shared first rows make families, None makes loners
            r1 = anchor if anchor is not None else rng.randint(0, 600)
            r2 = r1 + rng.randint(0, 700)
            c1 = rng.choice([0, 0, 1, 17, 30])
            c2 = c1 + rng.choice([0, 0, 2, 40])
            chosen.append((rng.randint(0, 1), r1, c1, r2, c2))
        ranges_by_formula[key] = chosen
    index = RangeReaders(ranges_by_formula)
    for _ in range(2_000):
        sid, row, col = rng.randint(0, 1), rng.randint(0, 1_400), rng.randint(0, 80)
        assert index.readers_containing(sid, row, col) == _readers_by_brute_force(ranges_by_formula, sid, row, col)


def test_random_rectangles_find_exactly_the_formulas_whose_range_overlaps_them():
    rng = random.Random(11)
    ranges_by_formula = {
        key: [
            (0, r1, c1, r1 + rng.randint(0, 900), c1 + rng.choice([0, 3, 30]))
            for r1, c1 in [(rng.choice([0, 7, rng.randint(0, 500)]), rng.choice([0, 2, 20]))]
        ]
        for key in range(200)
    }
    ranges_by_formula[500] = [(0, 0, 5, 1_048_575, 5)]  # a whole column
    index = RangeReaders(ranges_by_formula)
    for _ in range(1_000):
        r1, c1 = rng.randint(0, 1_200), rng.randint(0, 60)
        r2, c2 = r1 + rng.choice([0, 3, 300, 2_000_000]), c1 + rng.choice([0, 1, 40])
        expected = {
            key
            for key, ranges in ranges_by_formula.items()
            for _, a1, b1, a2, b2 in ranges
            if a1 <= r2 and r1 <= a2 and b1 <= c2 and c1 <= b2
        }
        assert index.readers_overlapping(0, r1, c1, r2, c2) == expected
        assert index.readers_overlapping(1, r1, c1, r2, c2) == set()


def test_a_long_running_total_is_linear_in_memory_and_recalculates():
    wb = Workbook()
    rows = 3_000
    with wb.batch():
        for row in range(1, rows + 1):
            wb.set(f"B{row}", row % 7)
            wb.set(f"C{row}", f"=SUM(B$1:B{row})")
    assert wb.value(f"C{rows}") == sum(r % 7 for r in range(1, rows + 1))
    edges = sum(len(readers) for readers in wb._dependents.values())
    assert edges < 10 * rows  # expanded, it would be rows * (rows + 1) / 2 = 4.5 million
    wb.set("B1", 10)
    assert wb.value(f"C{rows}") == sum(r % 7 for r in range(2, rows + 1)) + 10
    assert wb.value("C1") == 10
    assert wb.dependents("B2") == [f"Sheet1!C{row}" for row in range(2, rows + 1)]


def test_a_formula_inside_its_own_large_range_is_circular():
    wb = Workbook()
    wb.set_range("A1", [[1.0] * 10 for _ in range(10)])
    wb.set("B5", "=SUM(A1:J10)")
    assert wb.value("B5") == CYCLE
    wb.set("L1", "=B5+1")
    assert wb.value("L1") == CYCLE
    wb.set("B5", 2)
    assert wb.value("L1") == 3


def test_clones_keep_their_own_range_readers():
    wb = Workbook()
    wb.set_range("A1", [[float(r)] for r in range(100)])
    wb.set("C1", "=SUM(A1:A100)")
    other = wb.clone()
    other.set("C2", "=SUM(A1:A90)")
    other.set("A5", 1000)
    assert other.value("C2") == sum(range(90)) - 4 + 1000
    assert wb.value("C1") == sum(range(100)) and wb.value("C2") is None
    wb.set("A5", -1)
    assert wb.value("C1") == sum(range(100)) - 4 - 1 and other.value("C1") == sum(range(100)) - 4 + 1000


def test_inserting_rows_moves_a_running_total_and_its_readers():
    wb = Workbook()
    with wb.batch():
        for row in range(1, 201):
            wb.set(f"A{row}", 1)
            wb.set(f"B{row}", f"=SUM(A$1:A{row})")
    wb.insert_rows(50, 2)
    assert wb.formula("B202") == "=SUM(A$1:A202)" and wb.value("B202") == 200
    wb.set("A50", 5)
    assert wb.value("B202") == 205 and wb.value("B48") == 48


def test_moving_windows_stay_edges_and_running_totals_go_to_the_index():
    wb = Workbook()
    with wb.batch():
        for row in range(1, 301):
            wb.set(f"B{row}", row)
            wb.set(f"C{row}", f"=SUM(B$1:B{row})")  # one end fixed: indexed
            wb.set(f"D{row}", f"=SUM(B{row}:B{row + 99})")  # a moving window: edges, as before
    assert wb._formulas[wb.key("C200")].big_ranges and not wb._formulas[wb.key("D200")].big_ranges
    wb.set("B150", 0)
    assert wb.value("C300") == sum(range(1, 301)) - 150
    assert wb.value("D100") == sum(range(100, 200)) - 150 and wb.value("D151") == sum(range(151, 251))


def _edge_count(wb: Workbook) -> int:
    return sum(len(readers) for readers in wb._dependents.values())


def test_a_lookup_table_read_by_a_column_of_formulas_is_indexed_once_shared():
    wb = Workbook()
    rows = 400
    with wb.batch():
        for row in range(1, rows + 1):
            wb.set_range(f"A{row}", [[float(row), row % 5, row * 2.0, "x"]])
            wb.set(f"F{row}", f"=VLOOKUP({row},$A$1:$D${rows},3,FALSE)")
    table = (0, 0, 0, rows - 1, 3)
    first_readers = [wb._formulas[wb.key(f"F{row}")] for row in range(1, workbook.SHARED_RANGE_READERS + 1)]
    assert all(not cell.big_ranges for cell in first_readers)  # the first few readers keep their edges
    assert wb._formulas[wb.key(f"F{rows}")].big_ranges == (table,)
    assert wb._shared_range_reads == {table: rows}
    # expanded for every formula it would be rows * 4 * rows = 640,000 edges
    assert _edge_count(wb) <= 4 * rows * (workbook.SHARED_RANGE_READERS + 1)
    wb.set("C123", -1.0)
    assert wb.value("F123") == -1.0 and wb.value("F2") == 4.0
    wb.set("C2", 7.0)  # a cell the first, expanded, readers reach through edges
    assert wb.value("F2") == 7.0
    assert wb.dependents("C7") == [f"Sheet1!F{row}" for row in range(1, rows + 1)]


def test_shared_range_counts_follow_removals_clones_undo_and_inserted_rows():
    wb = Workbook()
    with wb.batch():
        for row in range(1, 101):
            wb.set_range(f"A{row}", [[float(row), row * 2.0]])
            wb.set(f"D{row}", f"=SUMIF(A$1:A$100,\">\"&{row},B$1:B$100)")
    keys = {(0, 0, 0, 99, 0): 100, (0, 0, 1, 99, 1): 100}
    assert wb._shared_range_reads == keys
    other = wb.clone()
    with other.batch():
        for row in range(1, 101):
            other.set(f"D{row}", None)
    assert other._shared_range_reads == {} and not other._big_ranges
    assert wb._shared_range_reads == keys  # the clone's removals stay in the clone
    other.set("D1", "=SUMIF(A$1:A$100,\">\"&1,B$1:B$100)")  # alone again: edges
    assert not other._formulas[other.key("D1")].big_ranges
    other.set("B100", 1.0)
    assert other.value("D1") == sum(2.0 * r for r in range(2, 100)) + 1.0
    wb.set("D5", 3)
    wb.undo()
    assert wb._shared_range_reads == keys
    wb.insert_rows(1, 2)
    assert wb._shared_range_reads == {(0, 2, 0, 101, 0): 100, (0, 2, 1, 101, 1): 100}
    wb.set("B102", 0.0)
    assert wb.value("D3") == sum(2.0 * r for r in range(2, 100))
    assert wb.value("D102") == 0.0


def test_fixed_ranges_each_read_by_one_formula_stay_edges():
    wb = Workbook()
    with wb.batch():
        for row in range(1, 301):
            wb.set_range(f"A{row}", [[1.0] * 8])
            wb.set(f"J{row}", f"=SUM($A${row}:$H${row + 9})")  # its own 80-cell range each
    assert not wb._big_ranges
    wb.set("C150", 2.0)
    assert wb.value("J141") == 81.0 and wb.value("J140") == 80.0


_READER_FORMULAS = [
    "=VLOOKUP(3,$A$1:$D$40,2,FALSE)",  # a shared table: indexed once four formulas read it
    "=SUMIF($A$1:$A$90,1,$B$1:$B$90)",
    "=SUM(C$1:C{row})",  # a running total: a new range of the index per row
    "=COUNTIF(A$1:A$90,{row})",
    7,  # no formula: the reader goes
]


@settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.integers(1, 30), st.integers(0, len(_READER_FORMULAS) - 1), st.booleans()),
                min_size=1, max_size=40))
def test_an_index_updated_reader_by_reader_is_the_index_a_rebuild_gives(steps):
    wb = Workbook()
    with wb.batch():
        wb.set_range("A1", [[float(r), r * 2.0, 1.0, r % 3] for r in range(1, 91)])
    books = [wb]
    for row, choice, switch in steps:
        if switch:  # a clone takes over; the one left behind must keep its own index
            books.append(books[-1].clone())
        book = books[-1]
        formula = _READER_FORMULAS[choice]
        book.set(f"F{row}", formula.format(row=row + 5) if isinstance(formula, str) else formula)
        book.value("F1")  # plans (and builds the index) where there is something to recalculate
        book.set("B3", float(row))
        for each in books:
            index = each._big_range_index
            if index is not None:
                rebuilt = RangeReaders(each._big_ranges)
                assert index._readers == rebuilt._readers
                assert index._node_successors == rebuilt._node_successors
                assert index._node_of == rebuilt._node_of


def test_entering_lookups_one_by_one_keeps_the_index_of_their_table():
    wb = Workbook()
    wb.set_range("A1", [[float(r), 2.0 * r] for r in range(1, 41)])
    for row in range(1, 301):
        wb.set(f"F{row}", f"=VLOOKUP({row % 40 + 1},$A$1:$B$40,2,FALSE)")
        if row == 10:
            first = wb._range_readers()
    assert wb._big_range_index is not None and wb._big_range_index._blocks is first._blocks  # never rebuilt
    wb.set("B7", -1.0)
    assert wb.value("F6") == -1.0 and wb.value("F46") == -1.0 and wb.value("F7") == 16.0


def test_a_cell_no_formula_reads_is_not_planned_beside_an_indexed_table():
    wb = Workbook()
    wb.set_range("A1", [[float(r), 2.0 * r] for r in range(1, 41)])
    with wb.batch():
        for row in range(1, 11):
            wb.set(f"F{row}", f"=VLOOKUP({row},$A$1:$B$40,2,FALSE)")
    assert wb._big_ranges
    assert not wb._may_have_successors(wb.key("K5"))
    assert wb._may_have_successors(wb.key("B5"))


# Random workbooks of data and formulas over large ranges, edited at random: every value must be what the same
# edits give with every range of up to 4,096 cells expanded into per-cell edges (the graph before the index).
_COLUMNS = "ABCDEFGHIJ"
_range_formulas = st.one_of(
    st.builds(lambda c, r: f"SUM(${c}$1:{c}{r})", st.sampled_from(_COLUMNS[:4]), st.integers(1, 90)),
    st.builds(lambda c, r: f"SUM({c}{r}:{c}$90)*2", st.sampled_from(_COLUMNS[:4]), st.integers(1, 90)),
    st.builds(lambda r: f"SUM($A$1:D{r})", st.integers(1, 90)),
    st.builds(lambda r: f"IFERROR(VLOOKUP({r},$A$1:$D$90,3,FALSE),-1)", st.integers(1, 90)),
    st.builds(
        lambda c, r: f"SUMIF({c}$1:{c}$80,\">\"&{r},D$1:D$80)", st.sampled_from(_COLUMNS[:3]), st.integers(1, 90)
    ),
    st.builds(lambda c: f"COUNT({c}:{c})", st.sampled_from(_COLUMNS)),
    st.builds(lambda r: f"E{r}+1", st.integers(1, 90)),
    st.builds(lambda n, r: f"SEQUENCE({n})*SUM($B$1:B{r})", st.integers(1, 6), st.integers(1, 90)),  # spills
)
_edits = st.lists(
    st.tuples(
        st.sampled_from(_COLUMNS),
        st.integers(1, 90),
        st.one_of(_range_formulas.map(lambda f: "=" + f), st.integers(-5, 50)),
    ),
    min_size=1,
    max_size=25,
)


def _replay(edits, index_all: bool, monkeypatch) -> list:
    if index_all:  # every range of two cells or more goes through the index
        monkeypatch.setattr(workbook, "EXPANDED_RANGE_CELLS", 1)
        monkeypatch.setattr(workbook, "GRAPH_EXPANDED_RANGE_CELLS", 1)
        monkeypatch.setattr(workbook, "SHARED_RANGE_READERS", 0)
    wb = Workbook()
    with wb.batch():
        for row in range(1, 91):
            for col in _COLUMNS[:4]:
                wb.set(f"{col}{row}", row * 3 + len(col))
    snapshots = []
    for col, row, value in edits:
        wb.set(f"{col}{row}", value)
        snapshots.append(wb.values("A1:J90"))
    return snapshots


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(_edits)
def test_indexed_ranges_give_the_values_of_expanded_ranges(edits):
    with pytest.MonkeyPatch.context() as monkeypatch:
        indexed = _replay(edits, True, monkeypatch)
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(workbook, "GRAPH_EXPANDED_RANGE_CELLS", workbook.EXPANDED_RANGE_CELLS)
        expanded = _replay(edits, False, monkeypatch)  # every range of up to 4,096 cells expanded, as before the index
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(workbook, "SHARED_RANGE_READERS", 1)  # a shared range's readers part edges, part index
        mixed = _replay(edits, False, monkeypatch)
    assert indexed == expanded
    assert mixed == expanded
