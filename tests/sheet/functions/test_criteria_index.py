"""COUNTIF, SUMIF, AVERAGEIF and the *IFS functions share an index of a range's equality groups within a plan.

The index must give exactly what testing every cell gives: an equality criterion's group holds the cells its
predicate accepts, and no other, for numbers near the 15th significant digit, texts that read as numbers or dates,
case variants, booleans, empty cells and errors.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetrl.sheet import Workbook
from sheetrl.sheet.errors import DIV0, NA
from sheetrl.sheet.functions import criteria
from sheetrl.sheet.functions.criteria import cell_groups, criterion_group, make_criterion

_NEAR = [1.0, 0.1 + 0.2, 0.3, 123456789012345.0, 1234567890123456.0, 1e-300, 2.5, 1 / 3]
_numbers = st.one_of(
    st.sampled_from(_NEAR),
    st.builds(lambda x, k: x * (1 + k * 1e-15), st.sampled_from(_NEAR), st.integers(-12, 12)),
    st.builds(lambda x, k: x + k * 1e-16, st.sampled_from(_NEAR), st.integers(-6, 6)),
    st.floats(-1e6, 1e6, allow_nan=False),
    st.integers(-3, 3),
    st.sampled_from([0.0, -0.0, 9.99999999999999e-1, 0.999999999999999, 9.999999999999995]),
)
_texts = st.sampled_from([
    "a", "A", "ab", "AB", "a*", "a?", "~*", "*", "", " ", "1", "01", "1.0", "0.3", "1e0", "50%", "TRUE", "true",
    "FALSE", "#N/A", "2024-01-31", "1/31/2024", "ß", "SS", "İ", "i̇", "=1", "=a", "==a", "<1", "<>1", "> 1", "x y",
])
_cells = st.one_of(_numbers, _texts, st.booleans(), st.none(), st.just(NA), st.just(DIV0))
_criteria = st.one_of(
    _cells,
    st.builds(lambda n: f"={n!r}", _numbers),
    st.builds(lambda n: f"{n:.15g}", _numbers),
    st.builds(lambda t: "=" + t, _texts),
)


@settings(max_examples=3000, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(_cells, _criteria)
def test_an_equality_group_holds_exactly_the_cells_its_criterion_accepts(cell, criterion):
    group = criterion_group(criterion)
    if group is not None:
        assert make_criterion(criterion)(cell) == (group in cell_groups(cell)), (cell, criterion, group)


def test_a_date_criterion_reads_as_a_serial_of_the_active_date_system():
    """Criteria are cached; a date text criterion is a different serial in each date system."""
    for date1904 in (False, True, False):
        wb = Workbook()
        wb.date1904 = date1904
        with wb.batch():
            for row in range(1, 11):
                wb.set(f"A{row}", "1/2/2024" if row % 2 else 45293.0 - (1462.0 if date1904 else 0.0))
            for row in range(1, 6):
                wb.set(f"B{row}", '=COUNTIF($A$1:$A$10,"1/2/2024")')
            wb.set("C1", '=COUNTIF(A1,"1/2/2024")')
        assert [wb.value(f"B{row}") for row in range(1, 6)] == [10] * 5, date1904
        assert wb.value("C1") == 1


def test_only_equality_criteria_have_a_group():
    for criterion in ("<>1", ">1", "<=a", ">=1", "a*", "?", "=", "", NA, "=#N/A", "<"):
        assert criterion_group(criterion) is None, criterion
    for criterion in (1.0, "1", "=1", "a", "=a", True, "TRUE", None, "b c"):
        assert criterion_group(criterion) is not None, criterion


ROWS = 40
FORMULAS = {
    **{f"E{r}": f"=COUNTIF($A$1:$A${ROWS},A{r})" for r in range(1, ROWS + 1)},
    **{f"F{r}": f"=SUMIF($A$1:$A${ROWS},A{r},$B$1:$B${ROWS})" for r in range(1, ROWS + 1)},
    **{f"G{r}": f"=AVERAGEIF($A$1:$A${ROWS},\"=\"&A{r},$B$1:$B${ROWS})" for r in range(1, ROWS + 1)},
    **{f"H{r}": f"=COUNTIFS($A$1:$A${ROWS},A{r},$C$1:$C${ROWS},\">0\")" for r in range(1, ROWS + 1)},
    **{f"I{r}": f"=SUMIFS($B$1:$B${ROWS},$C$1:$C${ROWS},\"<>x\",$A$1:$A${ROWS},A{r})" for r in range(1, ROWS + 1)},
    **{f"J{r}": f"=AVERAGEIFS($B$1:$B${ROWS},$A$1:$A${ROWS},A{r})" for r in range(1, ROWS + 1)},
    **{f"L{r}": f"=MAXIFS($B$1:$B${ROWS},$A$1:$A${ROWS},A{r})" for r in range(1, ROWS + 1)},
    **{f"M{r}": f"=MINIFS($B$1:$B${ROWS},$C$1:$C${ROWS},C{r},$A$1:$A${ROWS},\"<>a\")" for r in range(1, ROWS + 1)},
    "K1": f"=COUNTIF($A$1:$A${ROWS},\"a*\")",  # wildcards: tested cell by cell
    "K2": f"=SUMIF($A$1:$A${ROWS},\">1\",$B$1:$B${ROWS})",
    "K3": f"=SUMIFS($B$1:$B$5,$A$1:$A${ROWS},1)",  # shapes differ: #VALUE!
    "K4": f"=MAXIFS($B$1:$B$5,$A$1:$A${ROWS},1)",
}
# cell contents: a text starting with "=" would be entered as a formula
_table_values = st.one_of(_numbers, _texts.filter(lambda text: not text.startswith("=")), st.booleans(), st.none(),
                          st.just(NA))


def _build(cells: dict[str, object]) -> Workbook:
    wb = Workbook()
    with wb.batch():
        for r in range(1, ROWS + 1):
            wb.set(f"A{r}", ["a", "A", 1.0, "1", True, 0.3][r % 6])
            wb.set(f"B{r}", float(r) if r % 7 else "text")
            wb.set(f"C{r}", float(r % 3))
        for address, value in {**FORMULAS, **cells}.items():
            wb.set(address, value)
    return wb


def _snapshot(wb: Workbook) -> list[str]:
    return [repr(wb.value_at(wb.key(address))) for address in FORMULAS]


@settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.sampled_from([f"{c}{r}" for c in "ABC" for r in range(1, ROWS + 1)]), _table_values),
                min_size=1, max_size=8))
def test_shared_criteria_give_what_testing_every_cell_gives(edits):
    wb = _build({})
    cells: dict[str, object] = {}
    for address, value in edits:
        wb.set(address, value)
        cells[address] = value
    with pytest.MonkeyPatch.context() as patch:  # the reference: every formula tests every cell
        patch.setattr(criteria, "SHARED_CRITERIA_INDEX", False)
        expected = _snapshot(_build(cells))
    assert _snapshot(wb) == expected


def test_a_column_of_countifs_reads_its_range_a_few_times(monkeypatch: pytest.MonkeyPatch):
    """The point of it: 500 COUNTIFs and 500 SUMIFs filled down over one 500-row range, recalculated by one edit,
    build one index of the range instead of testing 500 cells 1,000 times."""
    wb = Workbook()
    with wb.batch():
        for r in range(1, 501):
            wb.set(f"A{r}", f"k{r % 50}")
            wb.set(f"B{r}", float(r))
            wb.set(f"C{r}", f"=COUNTIF($A$1:$A$500,A{r})+$E$1")
            wb.set(f"D{r}", f"=SUMIF($A$1:$A$500,A{r},$B$1:$B$500)+$E$1")
    tests = [0]
    real = criteria.make_criterion

    def counting(criterion):
        predicate = real(criterion)

        def counted(cell):
            tests[0] += 1
            return predicate(cell)

        return counted

    monkeypatch.setattr(criteria, "make_criterion", counting)
    for module in ("sheetrl.sheet.functions.math", "sheetrl.sheet.functions.statistical"):
        monkeypatch.setattr(f"{module}.make_criterion", counting)
    builds = [0]
    real_groups = criteria._groups

    def counting_groups(kind, values):
        builds[0] += 1
        return real_groups(kind, values)

    monkeypatch.setattr(criteria, "_groups", counting_groups)
    wb.set("A7", "K1")  # case differs: still the group of "k1"
    assert wb.value("C1") == 11 and wb.value("C7") == 11 and wb.value("C50") == 10
    assert wb.value("D1") == sum(float(r) for r in range(1, 501) if r % 50 == 1) + 7
    assert builds[0] == 1
    assert tests[0] <= criteria.SCANS_BEFORE_CRITERIA_INDEX * 500 + 2  # scans before the index (+ empty cells)
