"""The grammar of format codes: sections, literals, brackets, and the codes Excel rejects (TEXT gives #VALUE!)."""

from __future__ import annotations

import pytest

from sheetrl.sheet.errors import VALUE
from sheetrl.sheet.format_code import (
    DATE,
    FRACTION,
    NUMBER,
    SCIENTIFIC,
    parse_format,
)
from sheetrl.sheet.format_tokens import FormatCodeError
from sheetrl.sheet.number_format import format_value, text_function


@pytest.mark.parametrize(
    "code",
    [
        "0;0;0;@;0",  # five sections
        '#,#"ZZ"#.0"YY"00@',  # @ with digit placeholders (Excel-cached #VALUE!)
        '#,#"ZZ"#.0Y00',  # a date code with digit placeholders (Excel-cached #VALUE!)
        "mm###",  # (Excel-cached #VALUE!)
        ';-  ##.0;"ZERO"@;"X"',  # @ outside the last section (Excel-cached #VALUE!)
        "yyyy General",
        "0.00E+00 d",
        "[Purple]0",  # not one of the eight colour names
        "[Color57]0",  # colours run from 1 to 56
        "[Bold]0",
        '"unclosed',
        "[h:mm",
        "0\\",  # a trailing escape
        "0_",
        "0*",
        "hh:mm:ss.0000",  # at most three decimals of a second
        "0;0;0;0",  # the fourth section is for text
        "0 days",  # 'd', 'y' and 's' are date codes
    ],
)
def test_codes_excel_rejects(code: str) -> None:
    with pytest.raises(FormatCodeError):
        parse_format(code)
    assert text_function(1.5, code) is VALUE


def test_a_rejected_code_shows_general_in_a_cell() -> None:
    assert format_value(1234.5, "mm###") == "1234.5"
    assert format_value("text", "mm###") == "text"


@pytest.mark.parametrize(
    ("code", "kind"),
    [
        ("#,##0.00", NUMBER),
        ("0.00E+00", SCIENTIFIC),
        ("# ?/?", FRACTION),
        ("yyyy-mm-dd", DATE),
        ("[h]:mm", DATE),
        ("hh:mm:ss.000", DATE),
        ('"x"0/0', FRACTION),
        ("0/", NUMBER),  # a slash without a denominator is a literal
    ],
)
def test_sections_are_classified(code: str, kind: str) -> None:
    assert parse_format(code).numeric[0].kind == kind


@pytest.mark.parametrize(
    ("value", "code", "expected"),
    [
        (5, '"Total: "0', "Total: 5"),
        (5, "0\\k", "5k"),
        (5, "0_)", "5 "),  # '_' leaves a space as wide as the next character
        (5, "$x*y#,##0* ", "$x5"),  # '*' fills the cell: nothing in TEXT
        (5, "[Red][>0]0;[Blue]0", "5"),
        (5, "[COLOR10]0", "5"),
        (5, "[<= 10]0\" small\";0", "5 small"),  # spaces in conditions
        (5, "0;-0;\"zero\";@", "5"),
        (5, "w;x;z@", "w"),  # a third section holding @ is the text section
        (-5, "w;x@", "-w"),  # one number section: negatives get a sign even without digits
        (-5, "", "-"),  # the empty code
        (0, "", ""),
        (-5, "0;;", ""),  # empty sections hide
        (0, "0;;", ""),
        (5, ";;;", ""),
    ],
)
def test_literals_and_sections(value: float, code: str, expected: str) -> None:
    assert format_value(value, code) == expected


@pytest.mark.parametrize(
    ("text", "code", "expected"),
    [
        ("abc", '"Name: "@', "Name: abc"),
        ("abc", "@@", "abcabc"),
        ("abc", "0.00", "abc"),  # no text section: unchanged
        ("abc", ";;;", ""),
        ("abc", '0;0;0;"fixed"', "fixed"),  # a text section without @ replaces the text
        ("abc", "[Red]General;General;General;General\\ ", "abc "),  # General in the text section shows the text
        ("Plugh", "", "Plugh"),
    ],
)
def test_text_sections(text: str, code: str, expected: str) -> None:
    assert format_value(text, code) == expected
