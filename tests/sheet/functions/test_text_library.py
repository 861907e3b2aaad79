"""Character, number-text, delimiter and regular-expression functions: behaviour the oracle cannot show."""

from __future__ import annotations

from typing import Any

import pytest

from sheetrl.sheet import Workbook

from .cases import case, evaluate, run


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("char-128-is-euro", "=CHAR(128)", "€"),
        case("char-undefined-1252-code", "=CHAR(129)", "\x81"),
        case("code-outside-1252-is-question-mark", '=CODE("中")', 63.0),
        case("code-euro-is-128", '=CODE("€")', 128.0),
        case("unicode-astral", '=UNICODE("😀")', 128512.0),
        case("unichar-astral", "=UNICHAR(128512)", "😀"),
        case("unichar-surrogate", "=UNICHAR(55296)", "#N/A"),
        case("clean-keeps-del", "=LEN(CLEAN(CHAR(127)))", 1.0),
        case("asc-voiced-katakana", '=ASC("ガギ")', "ｶﾞｷﾞ"),
        case("asc-ideographic-space", '=ASC("a　b")', "a b"),
        case("dbcs-voiced-katakana", '=DBCS("ｶﾞｷﾞ")', "ガギ"),
        case("dbcs-asc-round-trip", '=ASC(DBCS("Hello, World! 123"))', "Hello, World! 123"),
        case("phonetic-of-number", "=PHONETIC(A1)", "", {"A1": 5}),
        case("dollar-rounds-half-away", "=DOLLAR(2.675,2)", "$2.68"),
        case("dollar-negative-rounds-to-zero", "=DOLLAR(-0.001)", "$0.00"),
        case("fixed-huge-keeps-15-digits", "=FIXED(123456789012345678,0)", "123,456,789,012,346,000"),
        case("fixed-negative-places", "=FIXED(15,-1)", "20"),
        case("numbervalue-group-before-decimal", '=NUMBERVALUE("1,2,3.5")', 123.5),
        case("numbervalue-same-separators", '=NUMBERVALUE("1.5",".",".")', "#VALUE!"),
        case("numbervalue-parentheses-percent-exponent", '=NUMBERVALUE("(,25,,0,0.27E + 6%)%",".",",.,")', -250027.0),
        case("numbervalue-comma-decimal-default-group", '=NUMBERVALUE("(2500,27E+6%)%",",")', -250027.0),
        case("numbervalue-empty-cell-separator", '=NUMBERVALUE("1",A1)', "#VALUE!"),
        case("fixed-empty-cell-decimals-is-zero", "=FIXED(1234.5,A1)", "1,235"),
        case("textafter-empty-cell-instance-is-zero", '=TEXTAFTER("a,b",",",A1)', "#VALUE!"),
        case("numbervalue-blank-separator", '=NUMBERVALUE("1,5","")', "#VALUE!"),
        case("bahttext-twenty-one", "=BAHTTEXT(21)", "ยี่สิบเอ็ดบาทถ้วน"),
        case("bahttext-rounds-satang", "=BAHTTEXT(1.005)", "หนึ่งบาทหนึ่งสตางค์"),
        case("valuetotext-strict-quotes", '=VALUETOTEXT("say ""hi""",1)', '"say ""hi"""'),
        case("arraytotext-blank-cells", "=ARRAYTOTEXT(A1:A3)", "1, , 3", {"A1": 1, "A3": 3}),
        case("arraytotext-single-empty-cell", "=ARRAYTOTEXT(A1)", "#VALUE!"),
        case("arraytotext-format-is-truncated", '=ARRAYTOTEXT({1,"a"},0.9)', "1, a"),
        case("textbefore-overlapping-delimiter", '=TEXTBEFORE("aaaa","aa",2)', "aa"),
        case("textafter-longest-delimiter-first", '=TEXTAFTER("a--b",{"-","--"})', "b"),
        case("textbefore-empty-delimiter-from-end", '=TEXTBEFORE("abc","",-1)', "abc"),
        case("textafter-empty-delimiter-from-end", '=TEXTAFTER("abc","",-1)', ""),
        case("textbefore-empty-text", '=TEXTBEFORE("","x")', "#N/A"),
        case("textafter-instance-rounds-down", '=TEXTAFTER("a the b the c","the",-1.2)', " b the c"),
        case("textafter-long-delimiter-not-found", '=TEXTAFTER("del","deli")', "#N/A"),
        case("textafter-long-delimiter-with-instance", '=TEXTAFTER("del","deli",1)', "#VALUE!"),
        case("search-lone-tilde-matches-at-start", '=SEARCH("~","Hello")', 1.0),
        case("and-skips-empty-text", '=AND("",TRUE)', True),
        case("and-of-only-empty-text", '=AND("","")', "#VALUE!"),
        case("textbefore-error-delimiter", '=TEXTBEFORE("abc",1/0)', "#DIV/0!"),
        case("regex-pcre-named-backreference", r'=REGEXTEST("abab","(?<p>ab)\k<p>")', True),
        case("regex-possessive", '=REGEXTEST("aaa","a++a")', False),
        case("regex-unicode-property-unsupported", r'=REGEXTEST("a","\p{L}")', "#VALUE!"),
        case("regex-replace-named-group", '=REGEXREPLACE("2024-05","(?<y>\\d+)-(?<m>\\d+)","${m}/${y}")', "05/2024"),
        case("regex-replace-whole-match", '=REGEXREPLACE("ab","b","[$0]")', "a[b]"),
        case("regex-replace-unknown-group", '=REGEXREPLACE("ab","b","$5")', "#VALUE!"),
        case("regex-extract-all-last", '=INDEX(REGEXEXTRACT("a1b22c333","[0-9]+",1),1,3)', "333"),
        case("regex-extract-all-across", '=COLUMNS(REGEXEXTRACT("a1b22c333","[0-9]+",1))', 3.0),
        case("regex-extract-second-group", '=INDEX(REGEXEXTRACT("a=1","(\\w)=(\\d)",2),1,2)', "1"),
        case("lenb-counts-characters", '=LENB("日本")', 2.0),
    ],
)
def test_text_library(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)


def test_char_and_code_round_trip_over_windows_1252() -> None:
    for code in range(1, 256):
        assert evaluate(f"=CODE(CHAR({code}))") == code


def test_regextest_over_a_range_in_an_array_formula() -> None:
    cells = {"A1": "x1", "A2": "y", "A3": "z22"}
    assert evaluate('=SUMPRODUCT(--REGEXTEST(A1:A3,"[0-9]"))', cells) == 2


def test_switch_evaluates_only_the_chosen_result() -> None:
    wb = Workbook()
    wb.set("A1", '=SWITCH(1,1,"one",2,1/0,3,NA())')
    assert wb.value("A1") == "one"
