"""The 1900 and 1904 date systems: the calendar, every date function, TEXT and the display, and .xlsx files.

In the 1904 system serial 0 is Friday 1904-01-01 and 2024-01-31 is 43860 (1,462 days fewer than in the 1900
system, where it is 45322).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from sheetrl.sheet import serials
from sheetrl.sheet.errors import NUM, VALUE
from sheetrl.sheet.workbook import Workbook

JAN_31_1900 = 45322
JAN_31_1904 = 43860


# ------------------------------------------------------------------------------------------------- calendar
@pytest.mark.parametrize(
    ("serial", "date1904", "expected"),
    [
        (0, False, (1900, 1, 0)),
        (60, False, (1900, 2, 29)),
        (61, False, (1900, 3, 1)),
        (JAN_31_1900, False, (2024, 1, 31)),
        (0, True, (1904, 1, 1)),
        (JAN_31_1904, True, (2024, 1, 31)),
        (serials.MAX_SERIAL_1904, True, (9999, 12, 31)),
    ],
)
def test_serial_to_ymd(serial: int, date1904: bool, expected: tuple[int, int, int]) -> None:
    assert serials.serial_to_ymd(serial, date1904) == expected
    if expected[2]:
        assert serials.ymd_to_serial(*expected, date1904=date1904) == serial


def test_weekdays_and_conversions_in_both_systems() -> None:
    assert serials.weekday_from_sunday(1, False) == 0  # Excel's 1900-01-01 is a Sunday
    assert serials.weekday_from_sunday(0, True) == 5  # 1904-01-01 was a Friday
    assert serials.to_serial(date(2024, 1, 31), True) == JAN_31_1904
    assert serials.from_serial(JAN_31_1904 + 0.5, True) == datetime(2024, 1, 31, 12)
    with pytest.raises(ValueError, match="1904-01-01"):
        serials.to_serial(date(1903, 12, 31), True)
    with pytest.raises(ValueError):
        serials.serial_to_ymd(-1, True)


def test_activation_is_restored_after_evaluation() -> None:
    wb = Workbook()
    wb.date1904 = True
    wb.set("A1", "=YEAR(0)")
    assert wb.value("A1") == 1904
    assert serials.active_1904() is False  # evaluation does not leak the system


# ---------------------------------------------------------------------------------------------- workbooks
@pytest.fixture
def wb1904() -> Workbook:
    wb = Workbook()
    wb.date1904 = True
    return wb


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("=DATE(2024,1,31)", JAN_31_1904),
        ("=DATE(1904,1,1)", 0),
        ("=DATE(1903,12,31)", NUM),  # before the first date of the system
        ("=YEAR(0)&\"-\"&MONTH(0)&\"-\"&DAY(0)", "1904-1-1"),
        ("=WEEKDAY(0)", 6),  # Friday
        ("=EDATE(DATE(2024,1,31),1)", JAN_31_1904 + 29),
        ("=EOMONTH(0,1)", 59),  # 1904-02-29, a real leap day
        ('="2024-01-31"+0', JAN_31_1904),  # date text converts in the workbook's system
        ('=DATEVALUE("1903-12-31")', VALUE),
        ("=DATEDIF(0,DATE(2024,1,31),\"Y\")", 120),
        ('=TEXT(43860,"yyyy-mm-dd")', "2024-01-31"),
        ('=TEXT(-0.5,"[h]:mm")', "-12:00"),
        ("=YEAR(2957003)", 9999),
        ("=YEAR(2957004)", NUM),
    ],
)
def test_date_functions_use_the_workbook_system(wb1904: Workbook, formula: str, expected: object) -> None:
    wb1904.set("Z1", formula)
    assert wb1904.value("Z1") == expected


def test_display_and_python_dates_use_the_workbook_system(wb1904: Workbook) -> None:
    wb1904.set("A1", date(2024, 1, 31))
    assert wb1904.value("A1") == JAN_31_1904
    wb1904.set_format("A1", number_format="yyyy-mm-dd")
    assert wb1904.display("A1") == "2024-01-31"


def test_switching_the_system_keeps_numbers_and_recalculates() -> None:
    wb = Workbook()
    wb.set("A1", JAN_31_1900)
    wb.set("B1", "=YEAR(A1)")
    wb.set("C1", '=TEXT(A1,"yyyy-mm-dd")')
    wb.date1904 = True
    assert wb.value("A1") == JAN_31_1900  # stored numbers stay: the date moves 1,462 days
    assert wb.value("B1") == 2028
    assert wb.value("C1") == "2028-02-01"
    clone = wb.clone()
    assert clone.date1904 is True
    assert wb.undo() is True
    assert wb.date1904 is False and wb.value("B1") == 2024
    with pytest.raises(TypeError):
        wb.date1904 = 1  # type: ignore[assignment]


# -------------------------------------------------------------------------------------------------- .xlsx
def _write_1904_file(path: Path) -> None:
    import openpyxl
    from openpyxl.utils.datetime import CALENDAR_MAC_1904

    xl = openpyxl.Workbook()
    xl.epoch = CALENDAR_MAC_1904
    ws = xl.active
    ws["A1"] = datetime(2024, 1, 31)  # a date cell: openpyxl writes the 1904 serial
    ws["A1"].number_format = "yyyy-mm-dd"
    ws["A2"] = 100
    ws["B1"] = "=A1+1"
    ws["B1"].number_format = "yyyy-mm-dd"
    ws["B2"] = "=YEAR(A2)"
    xl.save(path)


def test_xlsx_keeps_the_1904_date_system(tmp_path: Path) -> None:
    source = tmp_path / "mac.xlsx"
    _write_1904_file(source)
    wb = Workbook.load(source)
    assert wb.date1904 is True
    assert not any("date system" in warning for warning in wb.warnings)
    assert wb.value("A1") == JAN_31_1904  # the serial the file stores, not a 1900 serial
    assert wb.display("B1") == "2024-02-01"
    assert wb.value("B2") == 1904  # 100 is 1904-04-10
    copy = tmp_path / "copy.xlsx"
    wb.save(copy)
    again = Workbook.load(copy)
    assert again.date1904 is True
    assert again.value("A1") == JAN_31_1904
    assert again.display("B1") == "2024-02-01"


def test_xlsx_writes_no_1904_flag_for_1900_workbooks(tmp_path: Path) -> None:
    import openpyxl

    wb = Workbook()
    wb.set("A1", JAN_31_1900)
    path = tmp_path / "pc.xlsx"
    wb.save(path)
    assert openpyxl.load_workbook(path).epoch.year == 1899
    assert Workbook.load(path).date1904 is False
