"""The command language: parsing, canonical text, clear errors, and how commands change the state."""

import pytest

from sheetrl.env.commands import Command, CommandError, parse_command
from sheetrl.env.state import SheetState
from sheetrl.sheet import Workbook


@pytest.mark.parametrize(
    "line",
    [
        "goto B3",
        "select B2:B10",
        "value B3 42",
        "value B3 -1.5",
        'value A1 "Total sales"',
        "value A1 Widgets",
        "value A1 TRUE",
        'value A1 "42"',
        "formula B11 =SUM(B2:B10)",
        'formula C2 =IF(B2>=10,"big","small")',
        "fill B2 B3:B20",
        "format B2:B10 currency",
        "bold A1:F1",
        "italic A1",
        "unbold A1",
        "align B2:B10 right",
        "clear B3:C4",
        "pivot A1:D50 rows=B values=sum(D) at F1",
        "pivot A1:D50 rows=B values=average(D) cols=C at F1",
        "pivot Data!A1:D50 rows=B values=count(D) at A1",
        "pivot 'Q1 data'!A1:D50 rows=B values=sum(D) at A1",
        "newsheet Summary",
        'newsheet "Q1 summary"',
        "sheet Data",
        "done",
    ],
)
def test_canonical_text_round_trips(line):
    command = parse_command(line)
    assert str(command) == line
    assert parse_command(str(command)) == command


def test_literals_are_typed():
    assert parse_command("value A1 42").value == 42.0
    assert parse_command("value A1 true").value is True
    assert parse_command('value A1 "42"').value == "42"
    assert parse_command('value A1 "a \\"quoted\\" word"').value == 'a "quoted" word'


def test_formula_without_equals_gets_one():
    assert parse_command("formula A1 SUM(B1:B3)").text == "=SUM(B1:B3)"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("", "empty"),
        ("jump A1", "unknown command"),
        ("goto", "usage"),
        ("goto ZZZZ1", "goto"),
        ("goto Sheet2!A1", "drop the sheet name"),
        ("value A1", "usage"),
        ("value A1 two words", "quotes"),
        ("formula A1 =SUM(", "formula"),
        ("fill A1", "usage"),
        ("format A1 fancy", "unknown preset"),
        ("align A1 middle", "alignment"),
        ("pivot A1:D5 rows=B values=median(D) at F1", "aggregation"),
        ("pivot A1:D5 rows=B at F1", "usage"),
        ("done now", "no arguments"),
        ("select A1:XFD1048576", "larger than"),
        ("newsheet", "usage"),
        ("newsheet Bad[name]", "forbids"),
        ("sheet two words", "quotes"),
        ("pivot A1:D5 rows=B values=sum(D) at Sheet2!F1", "drop the sheet name"),
    ],
)
def test_bad_commands_raise_clear_errors(line, message):
    with pytest.raises(CommandError, match=message):
        parse_command(line)


def test_non_text_command_is_rejected():
    with pytest.raises(CommandError):
        parse_command(42)  # type: ignore[arg-type]


def make_state() -> SheetState:
    wb = Workbook()
    wb.set_range("A1", [["Region", "Units", "Price"], ["East", 3, 2.5], ["West", 4, 10], ["East", 1, 1]])
    return SheetState(wb)


def test_commands_edit_the_workbook_and_move_the_cursor():
    state = make_state()
    state.apply(parse_command("formula D2 =B2*C2"))
    assert state.cursor == (1, 3) and state.workbook.value("D2") == 7.5
    state.apply(parse_command("fill D2 D3:D4"))
    assert state.workbook.formula("D4") == "=B4*C4"
    state.apply(parse_command("select D2:D4"))
    assert state.selection_text == "D2:D4"
    state.apply(parse_command("format D2:D4 currency"))
    assert state.workbook.format("D3").number_format == '"$"#,##0.00'
    state.apply(parse_command("bold A1:C1"))
    assert state.workbook.format("B1").bold
    state.apply(parse_command("goto A1"))
    assert state.anchor is None and state.cursor == (0, 0)


def test_pivot_command_uses_header_names_from_column_letters():
    state = make_state()
    state.apply(parse_command("pivot A1:C4 rows=A values=sum(B) at F1"))
    assert state.workbook.values("F1:G4") == [["Region", "Sum of Units"], ["East", 4], ["West", 4], ["Grand Total", 8]]
    state.apply(parse_command("pivot A1:C4 rows=A values=max(C) at F1"))  # replaces the pivot at F1
    assert len(state.workbook.pivots) == 1 and state.workbook.value("G2") == 2.5


def test_commands_the_engine_rejects_raise_command_error_and_change_nothing():
    state = make_state()
    with pytest.raises(CommandError, match="outside the source"):
        state.apply(parse_command("pivot A1:C4 rows=E values=sum(B) at F1"))
    with pytest.raises(CommandError, match="SUM takes"):
        state.apply(Command("formula", cell="D1", text="=SUM()"))
    assert state.workbook.value("D1") is None


def test_complexity_of_commands():
    assert parse_command("goto A1").complexity == 0
    assert parse_command("value A1 1").complexity == 1
    assert parse_command("formula A1 =SUM(B1:B2)").complexity == 1
    assert parse_command("formula A1 =ROUND(SUM(B1:B2),2)").complexity == 1.25
    assert parse_command("pivot A1:D50 rows=B values=sum(D) at F1").complexity == 3


def test_every_verb_of_the_table_has_a_handler_and_a_usage_line():
    from sheetrl.env.commands import VERB_TABLE, usage
    from sheetrl.env.state import _HANDLERS

    assert {spec.name for spec in VERB_TABLE} == set(_HANDLERS)
    lines = usage().splitlines()
    assert len(lines) == len(VERB_TABLE)
    assert lines[0].startswith("goto CELL") and any(line.startswith("pivot SOURCE_RANGE rows=COL values=AGG(COL) "
                                                                     "[cols=COL] at CELL") for line in lines)


def test_a_pivot_on_a_new_sheet_reads_its_source_from_another_sheet():
    state = make_state()
    state.apply(parse_command("newsheet Summary"))
    assert state.sheet == "Summary" and state.cursor == (0, 0) and state.workbook.sheet_names == ["Sheet1", "Summary"]
    state.apply(parse_command("pivot Sheet1!A1:C4 rows=A values=sum(B) at B2"))
    assert state.workbook.values("Summary!B2:C5") == [["Region", "Sum of Units"], ["East", 4], ["West", 4],
                                                      ["Grand Total", 8]]
    state.apply(parse_command("pivot Sheet1!A1:C4 rows=A values=max(C) at B2"))  # replaces the one at Summary!B2
    assert len(state.workbook.pivots) == 1 and state.workbook.value("Summary!C3") == 2.5
    state.apply(parse_command("value A1 Report"))
    assert state.workbook.value("Summary!A1") == "Report" and state.workbook.value("Sheet1!A1") == "Region"
    state.apply(parse_command("sheet Sheet1"))
    assert state.sheet == "Sheet1" and state.cursor == (0, 0)
    with pytest.raises(CommandError, match="no sheet named 'Nope'"):
        state.apply(parse_command("sheet Nope"))
    with pytest.raises(CommandError, match="already exists"):
        state.apply(parse_command("newsheet summary"))


def test_commands_outside_the_bounds_are_rejected_before_the_engine_sees_them():
    wb = Workbook()
    state = SheetState(wb, bounds=(24, 12))
    for line in ("goto M1", "goto A25", "value L25 3", "select K20:M21", "fill A1 A2:A30", "bold A1:Z1"):
        with pytest.raises(CommandError, match="outside this task's sheet area A1:L24"):
            state.apply(parse_command(line))
    assert state.cursor == (0, 0) and wb.value("L25") is None
    state.apply(parse_command("goto L24"))
    assert state.cursor == (23, 11)
