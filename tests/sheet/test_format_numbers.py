"""Numbers, scientific notation, fractions and General, as Excel renders them.

Expected strings are worked out by hand from Excel's rules (the module docstrings say which); where a rule was
learnt from values Excel cached in real files (TEXT results in Excel-made test workbooks), the test says so.
"""

from __future__ import annotations

import pytest

from sheetrl.sheet.number_format import format_value, general


def shows(value: float, code: str) -> str:
    return format_value(value, code)


# ------------------------------------------------------------------------------------------------- General
@pytest.mark.parametrize(
    ("number", "expected"),
    [
        (0.0, "0"),
        (12.0, "12"),
        (-1234.5, "-1234.5"),
        (1 / 3, "0.333333333"),  # 11 characters: "0." and 9 digits
        (-1 / 3, "-0.333333333"),  # the sign does not count
        (1.2345678912, "1.234567891"),  # 10 significant digits
        (0.1 + 0.2, "0.3"),  # 15 significant digits first: no float noise
        (12345678901.2, "12345678901"),  # 11 digits still fit
        (99999999999.0, "99999999999"),
        (1e11, "1E+11"),  # 12 digits do not: scientific, 6 significant digits
        (123456789012.0, "1.23457E+11"),
        (99999999999.5, "1E+11"),  # rounds to 12 digits
        (1.23456e19, "1.23456E+19"),
        (0.000123456789, "0.000123457"),  # the positional form shows as many digits as scientific
        (0.0000123456789, "1.23457E-05"),  # it would show fewer: scientific
        (0.0000123, "0.0000123"),  # both show all three digits: positional wins
        (1e-8, "0.00000001"),
        (1e-9, "0.000000001"),
        (2.5e-9, "2.5E-09"),
        (1.123451e-10, "1.12345E-10"),
        (-2.7e-18, "-2.7E-18"),
    ],
)
def test_general_shows_at_most_eleven_characters(number: float, expected: str) -> None:
    assert general(number) == expected
    assert format_value(number, "General") == expected


def test_general_inside_a_section_keeps_its_literals() -> None:
    assert shows(5, '"Qty: "General') == "Qty: 5"
    assert shows(-5, '"Qty: "General') == "-Qty: 5"
    assert shows(-5, 'General;"minus "General') == "minus 5"


# ------------------------------------------------------------------------------- digit placeholders, rounding
@pytest.mark.parametrize(
    ("value", "code", "expected"),
    [
        (1.005, "0.00", "1.01"),  # the double is below 1.005; 15 digits first, then half away from zero
        (2.5, "0", "3"),
        (-2.5, "0", "-3"),
        (0.5, "#", "1"),
        (0.4, "#", ""),  # '#' shows no insignificant zero, not even the units
        (12.3, "0.0#", "12.3"),
        (12.0, "0.0#", "12.0"),
        (12.0, "#.##", "12."),  # the point stays
        (890123.456789, "#.#####00#0", "890123.45678900"),  # each '#' drops a zero whose later digits are zero
        (1234.56, ".##", "1234.56"),  # no integer placeholder: the integer digits still show
        (0.56, ".##", ".56"),
        (5, "?0", " 5"),
        (5, "??0.0?", "  5.0 "),
        (123456789, "000-00-0000", "123-45-6789"),
        (12.3456789, "00.00.00.000", "12.34.56.789"),  # later points are literal, digits go on
        (890123.456789, "#.###.##.#", "890123.456.78.9"),
    ],
)
def test_digit_placeholders(value: float, code: str, expected: str) -> None:
    assert shows(value, code) == expected


@pytest.mark.parametrize(
    ("value", "code", "expected"),
    [
        (1234567, "#,##0", "1,234,567"),
        (5, "0,000", "0,005"),  # grouping runs through padding zeros
        (1234567, "?,?????????", "    1,234,567"),  # a '?' pad leaves a space where its separator would be
        (1234567.89, '#,#"ZZ"#.0"YY"00', "1,234,56ZZ7.8YY90"),  # grouped first, literals placed after
        (890123.456789, "0,x#.00.0", "89012x3.45.7"),  # a comma before a literal is dropped
        (890123.456789, "#x,0,#.00.0", "890,1x,23.45.7"),  # a comma after a literal is a literal comma
        (890123.456789, "#.###x,##", "890123.456x,79"),
        (1234567, ",#", ",1234567"),  # nothing before it: a literal comma
        (1234567, "0,", "1235"),  # after the last placeholder: divide by 1,000
        (1234567, '#,##0,,"M"', "1M"),
        (12.3456789, "#.0000,,", ".0000"),  # scaling commas after the decimals
        (0.256, "0.0%", "25.6%"),
        (890123.456789, "%#%#%", "%89012345678%9%"),  # every percent sign multiplies by 100
    ],
)
def test_commas_and_percent(value: float, code: str, expected: str) -> None:
    assert shows(value, code) == expected


# ------------------------------------------------------------------------------------------------ scientific
@pytest.mark.parametrize(
    ("value", "code", "expected"),
    [
        (12345.678, "0.00E+00", "1.23E+04"),
        (0.000123, "0.00E+00", "1.23E-04"),
        (12345, "0.00E-00", "1.23E04"),  # E- shows only negative signs
        (12345, "0.00e+00", "1.23e+04"),  # the letter keeps its case
        (9.9999, "0.00E+00", "1.00E+01"),  # rounding carries into the exponent
        (12345, "##0.0E+0", "12.3E+3"),  # engineering: exponents are multiples of three
        (0.00012345, "##0.00E+0", "123.45E-6"),
        (0, "##0.0E+0", "000.0E+0"),  # Excel shows zero's mantissa with every integer placeholder
        (123456.789, "#%e-#", "1%e5"),  # no scaling by percent or commas in scientific notation
        (123456.789, "|#.#|e+|#|", "|1.2|e|+5|"),  # text after E+ goes before the sign
        (123456.789, "|#######.####|e+|#|", "|123456.789|e|+0|"),  # a zero exponent shows 0
    ],
)
def test_scientific_notation(value: float, code: str, expected: str) -> None:
    assert shows(value, code) == expected


# ------------------------------------------------------------------------------------------------- fractions
@pytest.mark.parametrize(
    ("value", "code", "expected"),
    [
        (1.25, "# ?/?", "1 1/4"),
        (0.5, "# ?/?", " 1/2"),  # no whole part: '#' shows nothing, the space stays for the '?'
        (1, "# ?/?", "1    "),  # no fraction: blanks as wide as " ?/?"
        (0, "# ?/?", "0    "),
        (3.14159, "# ??/??", "3 14/99"),  # the closest fraction with two-digit denominators
        (12.3456789, "# ???/???", "12  28/81 "),  # numerators right-aligned, denominators left-aligned
        (2.5, "?/?", "5/2"),  # improper
        (0, "?/?", "0/1"),
        (0.75, "?/4", "3/4"),  # fixed denominators
        (12.3456789, "# ??/100", "12 35/100"),
        (12.3456789, "# ??/16", "12  6/16"),
        (23.75, "|#\\:#=/=#|", "|23:3=/=4|"),  # literals inside a fraction
        (0.75, "|#\\:#=/=#|", "|3=/=4|"),  # a hidden whole part takes the literal after it along
        (0.75, "|?\\:#=/=#|", "|  3=/=4|"),  # ... leaving spaces when a '?' stood there
        (1, "|#\\:0=/=#|", "|1:0=/=1|"),  # a '0' numerator shows 0/1
        (3.75, "|#_#/#|", "|15 /4|"),  # '_#' is a space between numerator and slash: improper
        (23.75, "|#\\:? ?0#/000", "|2:3  03/004"),  # '0' denominators are zero-padded
        (12.3456789, "# ??/?????????", "12 3418802/9890109  "),  # Excel stops within 1E-15
    ],
)
def test_fractions(value: float, code: str, expected: str) -> None:
    assert shows(value, code) == expected
