"""Exact lookups into one range share an index within a recalculation (lookup.indexed_exact): every value must be
exactly what each lookup gives when it scans on its own, whatever the table holds and however it is edited."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetrl.sheet import Workbook
from sheetrl.sheet.functions import lookup

ROWS = 6
TABLE_CELLS = [f"{col}{r}" for col in "AB" for r in range(1, ROWS + 1)] + [f"{c}10" for c in "ABCDEF"]
KEYS = [f"D{r}" for r in range(1, ROWS + 1)]  # the values looked up
FORMULAS = {
    **{f"E{r}": f"=VLOOKUP(D{r},$A$1:$B${ROWS},2,FALSE)" for r in range(1, ROWS + 1)},
    **{f"F{r}": f"=MATCH(D{r},$A$1:$A${ROWS},0)" for r in range(1, ROWS + 1)},
    **{f"G{r}": f"=HLOOKUP(D{r},$A$10:$F$11,2,FALSE)" for r in range(1, ROWS + 1)},
    **{f"H{r}": f"=MATCH(D{r},$A$10:$F$10,0)" for r in range(1, ROWS + 1)},
    **{f"I{r}": f"=VLOOKUP(D{r},$A:$B,2,0)" for r in range(1, ROWS + 1)},  # a whole-column table
    # XLOOKUP and XMATCH: text compared case-folded, the first or the last match
    **{f"J{r}": f'=XLOOKUP(D{r},$A$1:$A${ROWS},$B$1:$B${ROWS},"none")' for r in range(1, ROWS + 1)},
    **{f"K{r}": f"=XMATCH(D{r},$A$1:$A${ROWS},0,-1)" for r in range(1, ROWS + 1)},
    **{f"L{r}": f"=XLOOKUP(D{r},$A$10:$F$10,$A$11:$F$11,,0,-1)" for r in range(1, ROWS + 1)},
    **{f"M{r}": f"=XLOOKUP(D{r},$A:$A,$B:$B)" for r in range(1, ROWS + 1)},
    **{f"N{r}": f"=XMATCH(D{r},$A$10:$F$10)" for r in range(1, ROWS + 1)},
    **{f"{c}11": f"={c}10&\"!\"" for c in "ABCDEF"},
}
WATCHED = [f"{c}{r}" for c in "EFGHIJKLMN" for r in range(1, ROWS + 1)]

values = st.one_of(
    st.sampled_from([1.0, 2.0, -0.0, 0.0, 1e16, 0.1, -3.0]),
    st.sampled_from(["a", "A", "b", "ß", "SS", "ss", "a*", "?", "~*", "", "1", "a b", "ǅ", "ǆ", "Σ", "ς", "σ"]),
    st.sampled_from([True, False, None]),
    st.sampled_from(["=1/0", "=NA()", "=SEQUENCE(2)", '=D1&""', "=E1", "=0.1+0.2"]),
)


# where the edits start from: duplicates in either case, ß against SS, a number and its text, looked up
START = {
    **dict(zip([f"A{r}" for r in range(1, ROWS + 1)], ["a", "SS", "A", 1.0, "ß", "1"])),
    **dict(zip([f"{c}10" for c in "ABCDEF"], ["ss", "B", "b", True, "ß", 1.0])),
    **dict(zip(KEYS, ["A", "ß", "b", 1.0, "SS", True])),
}


def _build(cells: dict[str, object]) -> Workbook:
    wb = Workbook()
    with wb.batch():
        for address, value in {**FORMULAS, **START, **cells}.items():
            wb.set(address, value)
    return wb


def _snapshot(wb: Workbook) -> list[str]:
    # the stored values (value() shows whole floats as ints, so -0.0 as 0); repr: 0.0 and -0.0 differ
    return [repr(wb.value_at(wb.key(address))) for address in WATCHED]


@settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(st.lists(st.tuples(st.sampled_from(TABLE_CELLS + KEYS), values), min_size=1, max_size=14))
def test_shared_exact_lookups_equal_each_lookup_alone(edits: list[tuple[str, object]]) -> None:
    wb = _build({})
    cells: dict[str, object] = {}
    for address, value in edits:
        wb.set(address, value)
        cells[address] = value
        with pytest.MonkeyPatch.context() as patch:  # the reference: every lookup scans on its own
            patch.setattr(lookup, "SHARED_LOOKUP_INDEX", False)
            expected = _snapshot(_build(cells))
        assert _snapshot(wb) == expected, (address, value)
    wb.recalculate()
    assert _snapshot(wb) == expected


def _count_scans(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """A one-element list counting the lookups that scan from now on."""
    scans = [0]
    real = lookup.find_exact

    def counting(*args, **kwargs):  # (any arguments: the real find_exact checks them)
        scans[0] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(lookup, "find_exact", counting)
    return scans


def test_many_lookups_into_one_table_read_it_about_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of it: 600 exact lookups filled down over a 600-row table, recalculated by one edit, read the
    key column a few times (scans until they have cost two passes, then one index), not 600 times."""
    wb = Workbook()
    with wb.batch():
        for r in range(1, 601):
            wb.set(f"A{r}", float(r))
            wb.set(f"B{r}", f"name {r}")
            wb.set(f"C{r}", f"=VLOOKUP(A{r}*0+{r}+$E$1,$A$1:$B$600,2,FALSE)")
    scans = _count_scans(monkeypatch)
    wb.set("E1", 1.0)
    assert wb.value("C1") == "name 2" and wb.value("C599") == "name 600"
    assert str(wb.value("C600")) == "#N/A"
    assert scans[0] <= 10


def test_many_xlookups_into_one_table_read_it_about_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """XLOOKUP and XMATCH (exact match, from the first or the last entry) share the index in the same way."""
    wb = Workbook()
    with wb.batch():
        for r in range(1, 601):
            wb.set(f"A{r}", f"Key {r}")
            wb.set(f"B{r}", float(r))
            wb.set(f"C{r}", '=XLOOKUP("key "&(ROW()+$E$1),$A$1:$A$600,$B$1:$B$600,"none")')
            wb.set(f"D{r}", '=XMATCH("KEY "&(ROW()+$E$1),$A$1:$A$600,0,-1)')
    scans = _count_scans(monkeypatch)
    wb.set("E1", 1.0)
    assert wb.value("C1") == 2 and wb.value("D599") == 600 and wb.value("C600") == "none"
    assert scans[0] <= 20  # of 1,200 lookups, in two families


def test_a_few_lookups_that_find_their_values_early_build_no_index(monkeypatch: pytest.MonkeyPatch) -> None:
    """Found by review: two lookups into a 100,000-row table built its index at every edit (163 ms against 0.05 ms
    scanning): an index is built only once the plan's scans of a range have cost two passes over it."""
    wb = Workbook()
    with wb.batch():
        for r in range(1, 20001):
            wb.set(f"A{r}", f"key{r}")
            wb.set(f"B{r}", float(r))
        wb.set("D1", "key1")
        wb.set("E1", "=XLOOKUP(D1,A1:A20000,B1:B20000)+XMATCH(D1,A1:A20000)+MATCH(D1,A1:A20000,0)")
        wb.set("E2", "=VLOOKUP(D1,A1:B20000,2,FALSE)+XMATCH(D1,A1:A20000,0,-1)")
    keyed = 0
    real = lookup._folded_key

    def counting(value: object) -> object:
        nonlocal keyed
        keyed += 1
        return real(value)

    monkeypatch.setattr(lookup, "_folded_key", counting)
    for r in (3, 5, 2):
        wb.set("D1", f"key{r}")
        assert wb.values(["E1", "E2"]) == [3 * r, 2 * r]
    assert keyed < 100  # no index of the 20,000 keys was built (one call per lookup value)


def test_a_lookup_with_references_computed_at_run_time_keeps_scanning(monkeypatch: pytest.MonkeyPatch) -> None:
    wb = Workbook()
    with wb.batch():
        wb.set_range("A1", [[1.0, "one"], [2.0, "two"], [3.0, "three"]])
        for r in range(1, 4):
            wb.set(f"C{r}", f'=VLOOKUP({r},INDIRECT("A1:B3"),2,FALSE)')
    wb.set("A2", 5.0)
    assert [wb.value(f"C{r}") for r in range(1, 4)][::2] == ["one", "three"]
    assert str(wb.value("C2")) == "#N/A"


def test_shared_lookups_keep_wildcards_and_case_rules() -> None:
    """Through the index (every lookup recomputed in one plan): wildcard lookup values still scan, and text is
    compared in lower case, not case-folded (MATCH("ß") does not find "SS")."""
    wb = Workbook()
    with wb.batch():
        wb.set_range("A1", [["a", "x"], ["SS", "y"], ["a*", "z"], ["ß", "w"]])
        for r, wanted in enumerate(["a*", "ß", "A", "?", "ss", "a~*"], start=1):
            wb.set(f"D{r}", wanted)
            wb.set(f"E{r}", f"=VLOOKUP(D{r},$A$1:$B$4,2,FALSE)")
            wb.set(f"F{r}", f"=MATCH(D{r},$A$1:$A$4,0)")
    for _ in range(2):
        assert [wb.value(f"E{r}") for r in range(1, 7)] == ["x", "w", "x", "x", "y", "z"]
        assert [wb.value(f"F{r}") for r in range(1, 7)] == [1, 4, 1, 1, 2, 3]
        wb.set("B4", "w")  # every lookup again, in one plan


def test_lookups_through_computed_references_never_build_the_index() -> None:
    """INDIRECT's lookups may run before the cells they read are computed (they run again once their reads are
    known); an index built by them would hand stale values to the static lookup after them."""
    wb = Workbook()
    with wb.batch():
        wb.set("E1", 1.0)
        wb.set_range("A1", [["=E1", "one"], [2.0, "two"]])
        for r in range(1, 4):
            wb.set(f"C{r}", '=VLOOKUP(1,INDIRECT("A1:B2"),2,FALSE)')
            wb.set(f"F{r}", '=XLOOKUP(1,INDIRECT("A1:A2"),$B$1:$B$2)')
        wb.set("D1", "=VLOOKUP(1,$A$1:$B$2,2,FALSE)")
        wb.set("G1", "=XLOOKUP(1,$A$1:$A$2,$B$1:$B$2)")
    assert [wb.value(f"C{r}") for r in range(1, 4)] == ["one"] * 3
    assert [wb.value(f"F{r}") for r in range(1, 4)] == ["one"] * 3
    assert wb.value("D1") == "one" and wb.value("G1") == "one"


def test_a_range_too_large_to_read_does_not_share_an_index_with_its_first_cell() -> None:
    """Found by review: a whole-sheet range beyond the engine's read limit is a one-cell #VALUE! at its first cell,
    which an index keyed by position would have mixed up with a real reference to that cell."""
    wb = Workbook()
    wb.add_sheet("S2")
    with wb.batch():
        wb.set("Sheet1!A1", 5)
        wb.set("Sheet1!A1000", 1)  # the used extent, 1,000 rows by 16,384 columns, is too large to read
        wb.set("S2!A1", "=MATCH(5,Sheet1!$A:$XFD,0)")
        wb.set("S2!A2", "=MATCH(5,Sheet1!$A:$XFD,0)")
        wb.set("S2!B1", "=MATCH(5,Sheet1!$A$1,0)")
        wb.set("S2!B2", "=VLOOKUP(5,Sheet1!A1,1,FALSE)")
    assert wb.value("S2!B1") == 1
    assert wb.value("S2!B2") == 5
