"""Language, calendar and numeral-system codes in number formats ([$-407], [$€-40C], [$-D00041E], [DBNum1]).

Names are those Excel 365 shows for each language (checked against TEXT results Excel computed for every
language code).
"""

from __future__ import annotations

import pytest

from sheetrl.sheet.format_locales import ENGLISH, date_names, native_numerals
from sheetrl.sheet.number_format import format_value

JAN_31 = 45322  # Wednesday 2024-01-31
MAR_4 = 45355  # Monday 2024-03-04


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("[$-409]dddd d mmmm yyyy", "Wednesday 31 January 2024"),
        ("[$-407]dddd, d. mmmm yyyy", "Mittwoch, 31. Januar 2024"),
        ("[$-C07]mmmm", "Jänner"),  # Austrian German
        ("[$-40C]dddd d mmmm yyyy", "mercredi 31 janvier 2024"),
        ("[$-C0A]dddd, d \"de\" mmmm \"de\" yyyy", "miércoles, 31 de enero de 2024"),
        ("[$-410]dddd d mmmm yyyy", "mercoledì 31 gennaio 2024"),
        ("[$-416]dddd, d \"de\" mmmm \"de\" yyyy", "quarta-feira, 31 de janeiro de 2024"),
        ("[$-413]dddd d mmmm yyyy", "woensdag 31 januari 2024"),
        ("[$-804]yyyy\"年\"m\"月\"d\"日\" dddd", "2024年1月31日 星期三"),
        ("[$-804]mmm mmmm ddd", "1月 一月 周三"),
        ("[$-404]mmmm ddd", "一月 週三"),
        ("[$-411]mmm mmmm ddd dddd", "1 1月 水 水曜日"),
        ("[$-412]mmmm dddd", "1월 수요일"),
        ("[$-419]mmmm mmm", "Январь янв"),
        ("[$-FC19]d mmmm", "31 января"),  # Russian months in the genitive
        ("[$-2000000]yyyy", "٢٠٢٤"),  # numeral system 02: Arabic-Indic digits
        ("[$-D00041E]d/m/yyyy", "๓๑/๑/๒๐๒๔"),  # numeral system 0D: Thai digits
        ("[$-D07041E]d/m/yyyy", "๓๑/๑/๒๕๖๗"),  # calendar 07: the Thai Buddhist era (2024 + 543)
    ],
)
def test_language_codes_name_months_and_days(code: str, expected: str) -> None:
    assert format_value(JAN_31, code) == expected


def test_abbreviations_follow_windows_locale_data() -> None:
    assert format_value(MAR_4, "[$-407]mmm ddd") == "Mrz Mo"
    assert format_value(MAR_4, "[$-40C]mmm ddd") == "mars lun."
    assert format_value(MAR_4, "[$-413]mmm ddd") == "mrt ma"
    assert format_value(MAR_4, "[$-407]mmmmm") == "M"


def test_am_pm_designators_of_the_language() -> None:
    afternoon = JAN_31 + 0.75
    assert format_value(afternoon, "[$-409]h AM/PM") == "6 PM"
    assert format_value(afternoon, "[$-804]AM/PMh\"时\"") == "下午6时"
    assert format_value(afternoon, "[$-411]AM/PM h:mm") == "午後 6:00"
    assert format_value(afternoon, "[$-40E]h AM/PM") == "6 du."
    assert format_value(afternoon, "[$-407]h AM/PM") == "6 PM"


def test_currency_symbols_come_from_the_code() -> None:
    assert format_value(1234.5, "[$€-407]#,##0.00") == "€1,234.50"
    assert format_value(1234.5, "#,##0.00 [$€-40C]") == "1,234.50 €"
    assert format_value(1234.5, "[$USD] #,##0") == "USD 1,235"
    assert format_value(-5, "[$£-809]0.00") == "-£5.00"


def test_unknown_languages_fall_back_to_english() -> None:
    assert date_names(0x0427) is ENGLISH  # Lithuanian is not covered
    assert format_value(JAN_31, "[$-427]mmmm") == "January"


@pytest.mark.parametrize(
    ("value", "code", "expected"),
    [
        (12.3456789, "[DBNum1][$-804]General", "一十二.三四五六七八九"),  # Excel 365's display
        (-12.3456789, "[DBNum1][$-804]General", "-一十二.三四五六七八九"),
        (0, "[DBNum1][$-804]General", "○"),
        (105, "[DBNum1][$-804]General", "一百○五"),
        (20005, "[DBNum2][$-804]General", "贰万零伍"),
        (10, "[DBNum1][$-411]General", "十"),  # Japanese writes 10 without the one
        (10000, "[DBNum1][$-411]General", "一万"),
        (123, "[DBNum1][$-804]0000", "○一二三"),  # number sections go digit by digit
        (123, "[DBNum3][$-804]0", "１２３"),
        (0.345, '[DBNum1][$-804]h"时"mm"分"', "八时十六分"),  # 8:16  # date fields spelled, 10-19 without the one
        (0, '[DBNum1][$-804]h"时"mm"分"', "○时○○分"),  # zero fields digit by digit
        (45322, '[DBNum1][$-804]yyyy"年"m"月"d"日"', "二○二四年一月三十一日"),  # the year digit by digit
    ],
)
def test_dbnum_numerals(value: float, code: str, expected: str) -> None:
    assert format_value(value, code) == expected


def test_dbnum_needs_a_cjk_language() -> None:
    assert native_numerals(0x409, 1) is None
    assert format_value(12, "[DBNum1]General") == "12"
