"""Text functions: slicing, case, joining, finding and replacing, conversion."""

from __future__ import annotations

from typing import Any

import pytest

from .cases import check_exact_type, evaluate


def check(formula: str, expected: Any, cells: dict[str, Any] | None = None) -> None:
    """Assert the formula's value, its type included (TRUE is not 1; errors compare by code)."""
    check_exact_type(evaluate(formula, cells), expected)


def cases(*rows: tuple[str, Any, str]) -> Any:
    """Parametrize (formula, expected) pairs, each named for the behaviour it checks."""
    return pytest.mark.parametrize(
        ("formula", "expected"), [pytest.param(f, e, id=name) for f, e, name in rows]
    )


# ----------------------------------------------------------------------------------------- LEFT / RIGHT / MID
@cases(
    ('=LEFT("abcdef",3)', "abc", "left_takes_first_characters"),
    ('=LEFT("abc")', "a", "left_defaults_to_one_character"),
    ('=LEFT("abc",10)', "abc", "left_count_past_end_gives_whole_text"),
    ('=LEFT("abc",0)', "", "left_zero_gives_empty_text"),
    ('=LEFT("abc",2.9)', "ab", "left_truncates_count"),
    ('=LEFT("abc",)', "", "left_empty_count_argument_is_zero"),
    ('=LEFT("abc",-1)', "#VALUE!", "left_negative_count_is_value_error"),
    ('=LEFT("abc",-0.5)', "#VALUE!", "left_negative_fraction_is_value_error"),
    ("=LEFT(1234.5,3)", "123", "left_number_converted_in_general_format"),
    ("=LEFT(TRUE,2)", "TR", "left_boolean_converted_to_text"),
    ("=LEFT(1/0,2)", "#DIV/0!", "left_error_propagates"),
    ('=LEFT("abc","x")', "#VALUE!", "left_text_count_is_value_error"),
    ('=LEFT("abc","2")', "ab", "left_numeric_text_count_is_read"),
    ("=LEFT(1E+20,3)", "1E+", "left_large_number_uses_scientific_general_format"),
)
def test_left(formula: str, expected: Any) -> None:
    check(formula, expected)


@cases(
    ('=RIGHT("abcdef",2)', "ef", "right_takes_last_characters"),
    ('=RIGHT("abc")', "c", "right_defaults_to_one_character"),
    ('=RIGHT("abc",5)', "abc", "right_count_past_start_gives_whole_text"),
    ('=RIGHT("abc",0)', "", "right_zero_gives_empty_text"),
    ('=RIGHT("abc",-1)', "#VALUE!", "right_negative_count_is_value_error"),
    ("=RIGHT(2024,2)", "24", "right_number_converted_to_text"),
    ("=RIGHT(FALSE,3)", "LSE", "right_boolean_converted_to_text"),
)
def test_right(formula: str, expected: Any) -> None:
    check(formula, expected)


@cases(
    ('=MID("abcdef",2,3)', "bcd", "mid_takes_characters_from_position"),
    ('=MID("abc",3,5)', "c", "mid_count_past_end_is_clipped"),
    ('=MID("abc",4,1)', "", "mid_start_just_past_end_is_empty"),
    ('=MID("abc",10,1)', "", "mid_start_far_past_end_is_empty"),
    ('=MID("abc",0,1)', "#VALUE!", "mid_start_below_one_is_value_error"),
    ('=MID("abc",2,-1)', "#VALUE!", "mid_negative_count_is_value_error"),
    ('=MID("abcdef",2.7,2.7)', "bc", "mid_truncates_start_and_count"),
    ("=MID(0.125,2,3)", ".12", "mid_number_converted_to_text"),
    ("=MID(TRUE,2,2)", "RU", "mid_boolean_converted_to_text"),
)
def test_mid(formula: str, expected: Any) -> None:
    check(formula, expected)


# ------------------------------------------------------------------------------------------------------- LEN
@cases(
    ('=LEN("hello")', 5, "len_counts_characters"),
    ('=LEN("")', 0, "len_of_empty_text_is_zero"),
    ("=LEN(TRUE)", 4, "len_of_true_counts_its_text"),
    ("=LEN(-12.5)", 5, "len_of_number_counts_general_format"),
    ("=LEN(0.1+0.2)", 3, "len_of_float_uses_15_significant_digits"),
    ("=LEN(1/0)", "#DIV/0!", "len_error_propagates"),
    ('=LEN("  a ")', 4, "len_counts_spaces"),
)
def test_len(formula: str, expected: Any) -> None:
    check(formula, expected)


def test_len_of_empty_cell_is_zero() -> None:
    check("=LEN(A1)", 0)


# -------------------------------------------------------------------------------------------- case functions
@cases(
    ('=UPPER("abc Def")', "ABC DEF", "upper_converts_letters"),
    ('=UPPER("a1-b")', "A1-B", "upper_leaves_non_letters"),
    ("=UPPER(TRUE)", "TRUE", "upper_of_boolean"),
    ("=UPPER(1.5)", "1.5", "upper_of_number"),
    ('=UPPER("straße")', "STRAßE", "upper_maps_one_character_to_one"),
    ('=LOWER("ABC Def")', "abc def", "lower_converts_letters"),
    ('=LOWER("ÀÉ")', "àé", "lower_accented_letters"),
    ("=LOWER(FALSE)", "false", "lower_of_boolean"),
    ("=LOWER(1/0)", "#DIV/0!", "lower_error_propagates"),
    ('=PROPER("hello wORLD")', "Hello World", "proper_capitalizes_words"),
    ('=PROPER("76BudGet")', "76Budget", "proper_letter_after_digit_is_capitalized"),
    ('=PROPER("don\'t x-ray")', "Don'T X-Ray", "proper_letter_after_punctuation_is_capitalized"),
    ("=PROPER(TRUE)", "True", "proper_of_boolean"),
    ('=PROPER("élan vital")', "Élan Vital", "proper_accented_letters"),
)
def test_case_functions(formula: str, expected: Any) -> None:
    check(formula, expected)


# ------------------------------------------------------------------------------------------------------ TRIM
@cases(
    ('=TRIM("  a  ")', "a", "trim_strips_both_ends"),
    ('=TRIM("a    b   c")', "a b c", "trim_collapses_inner_runs"),
    ('=TRIM("   ")', "", "trim_only_spaces_gives_empty"),
    ('=LEN(TRIM(" a" & " "))', 1, "trim_result_length"),
    ("=TRIM(12)", "12", "trim_of_number"),
    ("=TRIM(1/0)", "#DIV/0!", "trim_error_propagates"),
)
def test_trim(formula: str, expected: Any) -> None:
    check(formula, expected)


def test_trim_keeps_non_breaking_space_and_tabs() -> None:
    check("=LEN(TRIM(A1))", 5, {"A1": "\u00a0a\t b "})


# ------------------------------------------------------------------------------------------ CONCATENATE
@cases(
    ('=CONCATENATE("a","b","c")', "abc", "concatenate_joins_texts"),
    ('=CONCATENATE("a",1,TRUE)', "a1TRUE", "concatenate_converts_numbers_and_booleans"),
    ('=CONCATENATE("x",1/0)', "#DIV/0!", "concatenate_error_propagates"),
    ('=CONCATENATE("n=",0.5)', "n=0.5", "concatenate_number_in_general_format"),
    ('=CONCATENATE("a",,"b")', "ab", "concatenate_empty_argument_adds_nothing"),
    ('=LEN(CONCATENATE(REPT("a",20000),REPT("b",12767)))', 32767, "concatenate_up_to_cell_limit"),
    ('=CONCATENATE(REPT("a",20000),REPT("b",20000))', "#VALUE!", "concatenate_over_cell_limit_is_value_error"),
)
def test_concatenate(formula: str, expected: Any) -> None:
    check(formula, expected)


def test_concatenate_of_cells_reads_empty_as_nothing() -> None:
    check("=CONCATENATE(A1,A2,A3)", "x5", {"A1": "x", "A3": 5})


# ---------------------------------------------------------------------------------------------------- CONCAT
CONCAT_CELLS = {"A1": "a", "A2": 1, "B1": True, "B2": "d"}  # A3/B3 empty


@cases(
    ("=CONCAT(A1:B2)", "aTRUE1d", "concat_range_row_by_row"),
    ('=CONCAT(A1:A3,"z")', "a1z", "concat_range_and_text_empty_cells_skipped"),
    ("=CONCAT(A2,B1)", "1TRUE", "concat_single_cells"),
    ('=CONCAT({"x","y";"z","w"})', "xyzw", "concat_array_constant"),
    ('=CONCAT("a",1/0)', "#DIV/0!", "concat_direct_error_is_returned"),
    ("=CONCAT(A3:B3)", "", "concat_of_empty_range_is_empty_text"),
)
def test_concat(formula: str, expected: Any) -> None:
    check(formula, expected, CONCAT_CELLS)


def test_concat_returns_error_inside_range() -> None:
    check("=CONCAT(A1:A3)", "#N/A", {"A1": "a", "A2": "=NA()", "A3": "c"})


def test_concat_over_cell_limit_is_value_error() -> None:
    check("=CONCAT(A1:A2)", "#VALUE!", {"A1": "a" * 20000, "A2": "b" * 20000})


# -------------------------------------------------------------------------------------------------- TEXTJOIN
JOIN_CELLS = {"A1": "a", "A3": "c", "A4": 4, "A5": True, "A6": '=""'}  # A2 empty


@cases(
    ('=TEXTJOIN("-",TRUE,A1:A6)', "a-c-4-TRUE", "textjoin_ignores_empty_when_asked"),
    ('=TEXTJOIN("-",FALSE,A1:A6)', "a--c-4-TRUE-", "textjoin_keeps_empty_when_asked"),
    ('=TEXTJOIN(", ",TRUE,"x","y","z")', "x, y, z", "textjoin_direct_arguments"),
    ('=TEXTJOIN({",",";"},TRUE,"a","b","c","d")', "a,b;c,d", "textjoin_delimiter_array_cycles"),
    ('=TEXTJOIN("",TRUE,A1,A3)', "ac", "textjoin_empty_delimiter"),
    ('=TEXTJOIN("-",TRUE,"a",,"b")', "a-b", "textjoin_skips_omitted_argument"),
    ('=TEXTJOIN("-",FALSE,"a",,"b")', "a--b", "textjoin_keeps_omitted_argument"),
    ('=TEXTJOIN("-",TRUE,A1,1/0)', "#DIV/0!", "textjoin_error_argument_is_returned"),
    ('=TEXTJOIN(1/0,TRUE,A1)', "#DIV/0!", "textjoin_error_delimiter_is_returned"),
    ('=TEXTJOIN("-","maybe",A1)', "#VALUE!", "textjoin_text_ignore_flag_is_value_error"),
    ("=TEXTJOIN(0,1,1,2,3)", "10203", "textjoin_number_delimiter"),
    ('=TEXTJOIN("-",TRUE,A2)', "", "textjoin_nothing_to_join_is_empty_text"),
)
def test_textjoin(formula: str, expected: Any) -> None:
    check(formula, expected, JOIN_CELLS)


def test_textjoin_over_cell_limit_is_value_error() -> None:
    check('=TEXTJOIN(",",TRUE,A1:A2)', "#VALUE!", {"A1": "a" * 20000, "A2": "b" * 20000})


# ------------------------------------------------------------------------------------------------------ REPT
@cases(
    ('=REPT("ab",3)', "ababab", "rept_repeats_text"),
    ('=REPT("ab",0)', "", "rept_zero_times_is_empty"),
    ('=REPT("ab",2.9)', "abab", "rept_truncates_count"),
    ('=REPT("ab",-1)', "#VALUE!", "rept_negative_count_is_value_error"),
    ("=REPT(1,3)", "111", "rept_number_converted_to_text"),
    ('=LEN(REPT("a",32767))', 32767, "rept_up_to_cell_limit"),
    ('=REPT("a",32768)', "#VALUE!", "rept_over_cell_limit_is_value_error"),
    ('=REPT("",1E+10)', "", "rept_empty_text_many_times_is_empty"),
)
def test_rept(formula: str, expected: Any) -> None:
    check(formula, expected)


# ------------------------------------------------------------------------------------------------------ FIND
@cases(
    ('=FIND("b","abcb")', 2, "find_first_occurrence"),
    ('=FIND("b","abcb",3)', 4, "find_from_start_position"),
    ('=FIND("B","abcb")', "#VALUE!", "find_is_case_sensitive"),
    ('=FIND("x","abc")', "#VALUE!", "find_missing_is_value_error"),
    ('=FIND("?","a?c")', 2, "find_has_no_wildcards"),
    ('=FIND("b","abc",0)', "#VALUE!", "find_start_below_one_is_value_error"),
    ('=FIND("b","abc",4)', "#VALUE!", "find_start_past_length_is_value_error"),
    ('=FIND("","abc")', 1, "find_empty_text_matches_at_start"),
    ('=FIND("","abc",3)', 3, "find_empty_text_matches_at_start_position"),
    ("=FIND(5,12345)", 5, "find_number_in_number"),
    ('=FIND("RU",TRUE)', 2, "find_in_boolean_text"),
    ('=FIND("cd","abcdcd",3.9)', 3, "find_truncates_start"),
)
def test_find(formula: str, expected: Any) -> None:
    check(formula, expected)


# ---------------------------------------------------------------------------------------------------- SEARCH
@cases(
    ('=SEARCH("B","abcb")', 2, "search_ignores_case"),
    ('=SEARCH("b","abcb",3)', 4, "search_from_start_position"),
    ('=SEARCH("a*c","xxabbbc")', 3, "search_star_matches_any_run"),
    ('=SEARCH("*c","xxabbbc")', 1, "search_leading_star_matches_from_start"),
    ('=SEARCH("c*","abc")', 3, "search_trailing_star_matches_empty"),
    ('=SEARCH("b?d","abcd")', 2, "search_question_mark_matches_one_character"),
    ('=SEARCH("b?","abcb",4)', "#VALUE!", "search_question_mark_needs_a_character"),
    ('=SEARCH("~*","a*b")', 2, "search_tilde_escapes_star"),
    ('=SEARCH("~?","ab?")', 3, "search_tilde_escapes_question_mark"),
    ('=SEARCH("~~","a~b")', 2, "search_double_tilde_is_tilde"),
    ('=SEARCH("a~","xa~")', 2, "search_final_tilde_is_literal"),
    ('=SEARCH("a*z","abc")', "#VALUE!", "search_unmatched_pattern_is_value_error"),
    ('=SEARCH("x","abc")', "#VALUE!", "search_missing_is_value_error"),
    ('=SEARCH("a","abc",5)', "#VALUE!", "search_start_past_length_is_value_error"),
    ('=SEARCH("a*b*c","AXXBXXC")', 1, "search_several_stars_ignore_case"),
    ('=SEARCH(".","a.b")', 2, "search_regex_characters_are_literal"),
    ('=SEARCH("","abc",2)', 2, "search_empty_text_matches_at_start_position"),
)
def test_search(formula: str, expected: Any) -> None:
    check(formula, expected)


def test_search_with_many_stars_over_long_text_fails_fast() -> None:
    check('=SEARCH("a*a*a*a*a*a*a*a*b",REPT("a",30000))', "#VALUE!")


# ------------------------------------------------------------------------------------------------ SUBSTITUTE
@cases(
    ('=SUBSTITUTE("a-b-c","-","+")', "a+b+c", "substitute_replaces_every_occurrence"),
    ('=SUBSTITUTE("a-b-c","-","+",2)', "a-b+c", "substitute_replaces_chosen_instance"),
    ('=SUBSTITUTE("a-b-c","-","+",3)', "a-b-c", "substitute_missing_instance_leaves_text"),
    ('=SUBSTITUTE("a-b-c","-","+",0)', "#VALUE!", "substitute_instance_below_one_is_value_error"),
    ('=SUBSTITUTE("a-b-c","-","+",1.9)', "a+b-c", "substitute_truncates_instance"),
    ('=SUBSTITUTE("a-b-c","","+")', "a-b-c", "substitute_empty_old_text_changes_nothing"),
    ('=SUBSTITUTE("Abc","a","x")', "Abc", "substitute_is_case_sensitive"),
    ('=SUBSTITUTE("aaaa","aa","x",2)', "aax", "substitute_counts_non_overlapping_occurrences"),
    ("=SUBSTITUTE(1231,1,9)", "9239", "substitute_numbers_as_text"),
    ('=SUBSTITUTE("a b"," ","")', "ab", "substitute_with_empty_text_deletes"),
    ('=SUBSTITUTE(REPT("a",20000),"a","bb")', "#VALUE!", "substitute_over_cell_limit_is_value_error"),
)
def test_substitute(formula: str, expected: Any) -> None:
    check(formula, expected)


# --------------------------------------------------------------------------------------------------- REPLACE
@cases(
    ('=REPLACE("abcdef",2,3,"X")', "aXef", "replace_characters_at_position"),
    ('=REPLACE("abc",2,0,"X")', "aXbc", "replace_zero_characters_inserts"),
    ('=REPLACE("abc",5,1,"X")', "abcX", "replace_past_end_appends"),
    ('=REPLACE("abc",0,1,"X")', "#VALUE!", "replace_start_below_one_is_value_error"),
    ('=REPLACE("abc",2,-1,"X")', "#VALUE!", "replace_negative_count_is_value_error"),
    ('=REPLACE(12345,2,3,"-")', "1-5", "replace_in_number_text"),
    ('=REPLACE("abc",1,10,"")', "", "replace_count_past_end_removes_rest"),
)
def test_replace(formula: str, expected: Any) -> None:
    check(formula, expected)


# ----------------------------------------------------------------------------------------------------- EXACT
@cases(
    ('=EXACT("a","a")', True, "exact_identical_texts"),
    ('=EXACT("a","A")', False, "exact_is_case_sensitive"),
    ('=EXACT(1,"1")', True, "exact_compares_number_as_text"),
    ('=EXACT(TRUE,"TRUE")', True, "exact_compares_boolean_as_text"),
    ('=EXACT("a ","a")', False, "exact_counts_trailing_space"),
    ('=EXACT(1/0,"a")', "#DIV/0!", "exact_error_propagates"),
)
def test_exact(formula: str, expected: Any) -> None:
    check(formula, expected)


def test_exact_empty_cell_equals_empty_text() -> None:
    check('=EXACT(A1,"")', True)


# ----------------------------------------------------------------------------------------------------- VALUE
@cases(
    ('=VALUE("123")', 123, "value_integer_text"),
    ('=VALUE(" 12 ")', 12, "value_ignores_surrounding_spaces"),
    ('=VALUE("1,234.5")', 1234.5, "value_thousands_separators"),
    ('=VALUE("50%")', 0.5, "value_percent"),
    ('=VALUE("1,234%")', 12.34, "value_percent_with_thousands"),
    ('=VALUE("$1,000")', 1000, "value_currency"),
    ('=VALUE("-$1,000")', -1000, "value_negative_currency"),
    ('=VALUE("(1,000)")', -1000, "value_parentheses_are_negative"),
    ('=VALUE("(-5)")', "#VALUE!", "value_signed_number_in_parentheses_is_value_error"),
    ('=VALUE("1e3")', 1000, "value_scientific_notation"),
    ('=VALUE("-.5")', -0.5, "value_leading_decimal_point"),
    ('=VALUE("abc")', "#VALUE!", "value_non_numeric_text_is_value_error"),
    ('=VALUE("")', "#VALUE!", "value_empty_text_is_value_error"),
    ('=VALUE("50%%")', "#VALUE!", "value_double_percent_is_value_error"),
    ("=VALUE(42)", 42, "value_of_number_is_the_number"),
    ("=VALUE(TRUE)", "#VALUE!", "value_of_boolean_is_value_error"),
    ("=VALUE(1/0)", "#DIV/0!", "value_error_propagates"),
)
def test_value(formula: str, expected: Any) -> None:
    check(formula, expected)


def test_value_of_empty_cell_is_zero() -> None:
    check("=VALUE(A1)", 0)


def test_value_of_text_cell_feeds_arithmetic() -> None:
    check("=VALUE(A1)*2", 2469, {"A1": "1,234.5"})


def test_value_parses_dates_through_the_date_parser_when_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    from sheetrl.sheet import values

    monkeypatch.setattr(values, "date_text_parser", lambda text: 45322.0 if text == "2024-01-31" else None)
    check('=VALUE("2024-01-31")', 45322)
    check('=VALUE("not a date")', "#VALUE!")


# ------------------------------------------------------------------------------------------------------ TEXT
@cases(
    ('=TEXT(1.5,"0.00")', "1.50", "text_formats_number_with_code"),
    ('=TEXT("12","0.0")', "12.0", "text_converts_numeric_text_to_number"),
    ('=TEXT("abc","0")', "abc", "text_passes_other_text_unchanged"),
    ('=TEXT(TRUE,"0")', "TRUE", "text_shows_boolean_as_text"),
    ('=TEXT(FALSE,"0;0;0;<@>")', "<FALSE>", "text_sends_boolean_to_text_section"),
    ("=TEXT(5,0)", "5", "text_number_format_code_is_converted_to_text"),
    ('=TEXT(A1,"0.0")', "0.0", "text_empty_cell_is_zero"),
    ('=TEXT(1/0,"0")', "#DIV/0!", "text_error_value_propagates"),
    ('=TEXT(1,1/0)', "#DIV/0!", "text_error_format_propagates"),
    ('=TEXT(1,"0;0;0;0;0")', "#VALUE!", "text_rejected_format_is_value_error"),
)
def test_text_coerces_arguments_before_formatting(formula: str, expected: Any) -> None:
    check(formula, expected)


def test_text_formats_through_the_number_format_module() -> None:
    pytest.importorskip("sheetrl.sheet.number_format")
    check('=TEXT(1234.567,"0.00")', "1234.57")
    check('=TEXT(0.5,"0%")', "50%")
    check('=TEXT("12","0.0")', "12.0")
    check('=TEXT(1/0,"0")', "#DIV/0!")
