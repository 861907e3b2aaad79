"""Running totals (SUM, MAX, MIN) share their work within a recalculation (compiler._running_total): the values must
be exactly those of every formula computed on its own, whatever the cells hold and whichever order the plan takes
them in."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetrl.sheet import IterativeCalculation, Workbook, compiler

ROWS = 8
WIDTH = 6  # the row summed across: A12:F12


def _formulas() -> dict[str, str]:
    """Families of SUM, MAX and MIN: one column down, two columns down, one row across, and two rows across (not
    shared: SUM adds row by row); each formula's range starts at a fixed cell and ends at its own row or column."""
    out = {}
    for r in range(1, ROWS + 1):
        out[f"C{r}"] = f"=SUM(A$1:A{r})"
        out[f"D{r}"] = f"=SUM(A$1:B{r})"
        out[f"G{r}"] = f"=MAX(A$1:A{r})"
        out[f"H{r}"] = f"=MIN(A$1:B{r})"
    for c in range(WIDTH):
        col = "ABCDEF"[c]
        out[f"{col}13"] = f"=SUM($A12:{col}12)"
        out[f"{col}17"] = f"=SUM($A15:{col}16)"
        out[f"{col}18"] = f"=MAX($A12:{col}12)"
    return out


INPUT_CELLS = [f"{col}{r}" for col in "AB" for r in range(1, ROWS + 1)] + [
    f"{c}{r}" for c in "ABCDEF" for r in (12, 15, 16)
]
WATCHED = [f"{col}{r}" for col in "ABCDGH" for r in range(1, ROWS + 1)] + [
    f"{c}{r}" for c in "ABCDEF" for r in (12, 13, 15, 16, 17, 18)
]

contents = st.one_of(
    st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: round(x, 3)),
    st.sampled_from([0.1, 0.2, -0.3, 1e16, -1e16, 1.0, 1.7e308, -0.0, 0.0, 3.0, -5.0]),
    st.sampled_from(["text", "", "12", True, False, None]),
    st.sampled_from(["=1/0", "=NA()", "=C2*0.5", "=D1+1", "=SEQUENCE(3)", "=SEQUENCE(1,2)", "=A1", "=F13"]),
)


def _build(cells: dict[str, object], running: bool, monkeypatch: pytest.MonkeyPatch) -> Workbook:
    with monkeypatch.context() as patch:
        patch.setattr(compiler, "RUNNING_TOTALS", running)
        wb = Workbook()
        with wb.batch():
            for address, value in {**_formulas(), **cells}.items():
                wb.set(address, value)
    return wb


def _snapshot(wb: Workbook) -> list[object]:
    # the stored values (value() shows whole floats as ints, so -0.0 as 0); repr: 0.0 and -0.0 differ
    return [repr(wb.value_at(wb.key(address))) for address in WATCHED]


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.sampled_from(INPUT_CELLS), contents), min_size=1, max_size=12))
def test_running_totals_equal_each_sum_computed_alone(edits: list[tuple[str, object]]) -> None:
    monkeypatch = pytest.MonkeyPatch()
    wb = _build({}, True, monkeypatch)
    cells: dict[str, object] = {}
    for address, value in edits:
        wb.set(address, value)
        cells[address] = value
        alone = _build(cells, False, monkeypatch)
        assert _snapshot(wb) == _snapshot(alone), (address, value)
    wb.recalculate()
    assert _snapshot(wb) == _snapshot(_build(cells, False, monkeypatch))


def test_a_family_filled_down_is_read_once_per_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of it: 2,000 running totals recalculated by one edit read about 2,000 cells, not 2 million."""
    reads = 0

    class Counting(dict):  # type: ignore[type-arg]
        def get(self, key, default=None):  # counts every cell read
            nonlocal reads
            reads += 1
            return super().get(key, default)

    wb = Workbook()
    with wb.batch():
        for r in range(1, 2001):
            wb.set(f"A{r}", float(r))
            wb.set(f"B{r}", f"=SUM(A$1:A{r})")
    wb._values = Counting(wb._values)
    wb.set("A1", 5.0)
    assert wb.value("B2000") == 5.0 + sum(range(2, 2001))
    assert reads < 10_000


def test_the_longest_first_then_shorter_ones_read_the_kept_rows() -> None:
    wb = Workbook()
    with wb.batch():
        for r in range(1, 6):
            wb.set(f"A{r}", 0.1 * r)
        for r in range(5, 0, -1):  # entered bottom-up
            wb.set(f"B{r}", f"=SUM(A$1:A{r})")
    expected = [sum(0.1 * k for k in range(1, r + 1)) for r in range(1, 6)]
    assert [wb.value(f"B{r}") for r in range(1, 6)] == pytest.approx(expected, rel=0, abs=0)


def test_an_error_inside_the_family_shows_in_the_longer_sums_only() -> None:
    wb = Workbook()
    for r in range(1, 5):
        wb.set(f"A{r}", float(r))
        wb.set(f"B{r}", f"=SUM(A$1:A{r})")
    wb.set("A3", "=1/0")
    assert [str(wb.value(f"B{r}")) for r in range(1, 5)] == ["1", "3", "#DIV/0!", "#DIV/0!"]
    wb.set("A3", "ignored text")
    assert [wb.value(f"B{r}") for r in range(1, 5)] == [1, 3, 3, 7]


def test_iterating_a_circular_running_total_matches_each_sum_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    def build(running: bool) -> Workbook:
        with monkeypatch.context() as patch:
            patch.setattr(compiler, "RUNNING_TOTALS", running)
            wb = Workbook()
            wb.iterative_calculation = IterativeCalculation(max_iterations=50, max_change=1e-9)
            for r in range(1, 6):
                wb.set(f"A{r}", float(r))
                wb.set(f"B{r}", f"=SUM(A$1:A{r})")
            wb.set("A5", "=B4/2")  # B5 reads A5, which reads B4: not circular
            wb.set("A2", "=B3/10")  # B3 reads A2, A2 reads B3: circular, iterated
        return wb

    with_running, alone = build(True), build(False)
    assert [with_running.value(f"B{r}") for r in range(1, 6)] == [alone.value(f"B{r}") for r in range(1, 6)]


def test_a_range_of_several_rows_growing_across_is_summed_row_by_row(monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by review: SUM($A1:B2) is A1+B1+A2+B2; adding column B to the sum of SUM($A1:A2) would add A2 before
    B1, which changes the float result (1e16 - 1e16 + 1 is 1 in SUM's order, 0 in the other)."""

    def build(running: bool) -> Workbook:
        with monkeypatch.context() as patch:
            patch.setattr(compiler, "RUNNING_TOTALS", running)
            wb = Workbook()
            wb.set_range("A1", [[1e16, -1e16], [1.0, 0.0]])
            wb.set("B4", "=SUM($A1:A2)")
            wb.set("A4", "=SUM($A1:B2)")
        wb.set("A1", 1e16)  # one plan recomputes both, the shorter first
        return wb

    assert build(True).value("A4") == build(False).value("A4") == 1


def test_running_max_and_min_start_from_their_first_number() -> None:
    """MAX and MIN of no numbers are 0, which a longer range must not start from (MAX(-3) is -3, not 0)."""
    wb = Workbook()
    with wb.batch():
        wb.set_range("A1", [["x"], [None], [-3.0], [-1.0], [-7.0]])
        for r in range(1, 6):
            wb.set(f"B{r}", f"=MAX(A$1:A{r})")
            wb.set(f"C{r}", f"=MIN(A$1:A{r})")
    assert [wb.value(f"B{r}") for r in range(1, 6)] == [0, 0, -3, -1, -1]
    assert [wb.value(f"C{r}") for r in range(1, 6)] == [0, 0, -3, -3, -7]
    wb.set("A1", 2.0)
    assert [wb.value(f"B{r}") for r in range(1, 6)] == [2, 2, 2, 2, 2]
    assert [wb.value(f"C{r}") for r in range(1, 6)] == [2, 2, -3, -3, -7]
    # the shorter ranges, with no numbers (0), run first: B3 to B5 read A3, which reads B2
    wb.set_range("A1", [["x"], [None], ['=IF(B2=0,"text","other")'], [-3.0], [-7.0]])
    assert [wb.value(f"B{r}") for r in range(1, 6)] == [0, 0, 0, -3, -3]
    wb.set("A1", "y")
    assert [wb.value(f"B{r}") for r in range(1, 6)] == [0, 0, 0, -3, -3]

