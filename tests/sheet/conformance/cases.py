"""Conformance cases: one formula each, with the setup cells it needs, on a single sheet.

Every case is pure data. ``scripts/regen_oracle.py`` evaluates all of them with LibreOffice (the oracle) and with
IronCalc (a second opinion) and stores the results next to this file; ``test_conformance.py`` checks the engine
against those results, or against ``known_differences.py`` where LibreOffice departs from Excel.

Conventions:

* ``cells`` hold setup values: int/float are numbers, ``bool`` is a logical, a ``str`` starting with ``=`` is a
  formula and any other ``str`` is text (``"2"`` is the *text* 2, not a number).
* ``formula`` is written as a user types it in Excel (English names, ``,`` between arguments) and placed at ``at``.
* Cells that a case does not set are blank.
* ``names`` defines names for the case, scoped to its sheet (``{"Rate": "=0.05", "Data": "=$A$1:$A$5"}``; references
  without a sheet mean the case's sheet). ``tables`` makes ranges Excel tables (:class:`TableSpec`; the header row's
  cells, set in ``cells``, name the columns; table names are unique across the suite, since the oracle puts every
  case in one workbook).
* A case with ``array`` enters its formula as a legacy array formula (Ctrl+Shift+Enter) over that range; ``at`` is
  the cell of the range whose value is compared.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class TableSpec:
    """An Excel table a case needs: name, range (header row first), whether its last row is a totals row."""

    name: str
    ref: str
    totals: bool = False


@dataclass(frozen=True)
class Case:
    id: str
    formula: str
    cells: Mapping[str, object] = field(default_factory=dict, hash=False)
    at: str = "Z1"
    category: str = field(kw_only=True)
    names: Mapping[str, str] = field(default_factory=dict, hash=False, kw_only=True)
    tables: tuple[TableSpec, ...] = field(default=(), kw_only=True)
    array: str = field(default="", kw_only=True)  # range of a legacy array formula, "" for a plain formula

    def __post_init__(self) -> None:
        object.__setattr__(self, "cells", MappingProxyType(dict(self.cells)))
        object.__setattr__(self, "names", MappingProxyType(dict(self.names)))


# Every function the suite must cover; test_conformance checks each appears in at least one case formula.
REQUIRED_FUNCTIONS: tuple[str, ...] = tuple(
    """
    SUM AVERAGE MIN MAX COUNT COUNTA COUNTBLANK COUNTIF COUNTIFS SUMIF SUMIFS AVERAGEIF AVERAGEIFS SUMPRODUCT PRODUCT
    IF IFS IFERROR IFNA ISERROR ISNA ISBLANK ISNUMBER ISTEXT AND OR NOT XOR ROUND ROUNDUP ROUNDDOWN INT TRUNC MOD ABS
    POWER SQRT EXP LN LOG LOG10 SIGN CEILING FLOOR LEFT RIGHT MID LEN UPPER LOWER PROPER TRIM CONCATENATE CONCAT
    TEXTJOIN TEXT VALUE FIND SEARCH SUBSTITUTE REPLACE REPT EXACT VLOOKUP HLOOKUP XLOOKUP INDEX MATCH CHOOSE DATE
    YEAR MONTH DAY WEEKDAY EOMONTH EDATE DATEDIF PMT FV PV NPV IRR RATE RANK LARGE SMALL MEDIAN STDEV VAR MODE TODAY
    """.split()
)

# ---------------------------------------------------------------------------------------------------------------
# Shared setup blocks
# ---------------------------------------------------------------------------------------------------------------

# Five sorted numbers in A1:A5.
NUMS = {"A1": 10, "A2": 20, "A3": 30, "A4": 40, "A5": 50}
# A column mixing a number, a text number, a logical, text, a blank (A5) and a decimal.
MIXED = {"A1": 1, "A2": "2", "A3": True, "A4": "x", "A6": 4.5}
# Labels in A, amounts in B, a second key in C.
FRUIT = {
    "A1": "apple", "B1": 10, "C1": "red",
    "A2": "banana", "B2": 20, "C2": "yellow",
    "A3": "cherry", "B3": 30, "C3": "red",
    "A4": "Apple pie", "B4": 40, "C4": "brown",
    "A5": "apricot", "B5": 50, "C5": "orange",
    "A6": "date", "B6": 60, "C6": "brown",
}
# A lookup table: key in A, name in B, price in C (keys sorted ascending).
TABLE = {
    "A1": 1, "B1": "one", "C1": 1.5,
    "A2": 2, "B2": "two", "C2": 2.5,
    "A3": 3, "B3": "three",
    "A4": 5, "B4": "five", "C4": 5.5,
    "A5": 8, "B5": "eight", "C5": 8.5,
}
# A text-keyed lookup table with wildcard characters in some keys.
WORDS = {
    "A1": "alpha", "B1": 100,
    "A2": "Bravo", "B2": 200,
    "A3": "charlie", "B3": 300,
    "A4": "a*c", "B4": 400,
    "A5": "what?", "B5": 500,
    "A6": "delta", "B6": 600,
}
# A horizontal table for HLOOKUP: keys in row 1, values in rows 2 and 3.
HTABLE = {
    "A1": 1, "B1": 2, "C1": 4, "D1": 8,
    "A2": "a", "B2": "b", "C2": "c", "D2": "d",
    "A3": 10, "B3": 20, "C3": 40, "D3": 80,
}
HWORDS = {"A1": "ant", "B1": "Bee", "C1": "cat", "A2": 1, "B2": 2, "C2": 3}
# A column for COUNTIF and friends.
CRIT = {
    "A1": 10, "A2": 20, "A3": 30, "A4": 20, "A5": "apple", "A6": "Apple pie", "A7": True, "A9": "banana",
    "A10": "a*c", "A11": "abc", "A12": "?", "A13": 5.5,
}

_CASES: list[Case] = []


def _group(category: str, rows: list[tuple]) -> None:
    """Add rows ``(suffix, formula[, cells[, at]])`` as cases with id ``category.suffix``."""
    for row in rows:
        suffix, formula, *rest = row
        cells = rest[0] if rest else {}
        at = rest[1] if len(rest) > 1 else "Z1"
        _CASES.append(Case(f"{category}.{suffix}", formula, cells, at, category=category))


def _with(base: Mapping[str, object], **extra: object) -> dict[str, object]:
    out = dict(base)
    out.update(extra)
    return out


# ---------------------------------------------------------------------------------------------------------------
# Operators, precedence, coercion
# ---------------------------------------------------------------------------------------------------------------

_group("op", [
    ("add", "=1+2"),
    ("sub_chain", "=2-3-4"),
    ("mul_precedence", "=1+2*3"),
    ("parens", "=(1+2)*3"),
    ("div_chain", "=8/4/2"),
    ("neg_pow", "=-2^2"),
    ("zero_minus_pow", "=0-2^2"),
    ("pow_left_assoc", "=2^3^2"),
    ("pow_negative_exponent", "=2^-1"),
    ("pow_fraction", "=9^0.5"),
    ("pow_negative_base_fraction", "=(-8)^(1/3)"),
    ("pow_negative_base_int", "=(-2)^3"),
    ("pow_zero_zero", "=0^0"),
    ("pow_zero_negative", "=0^-1"),
    ("double_negation", "=--3"),
    ("unary_plus", "=+5"),
    ("neg_neg_text", '=--"3"'),
    ("minus_minus", "=7-(-3)"),
    ("percent", "=50%"),
    ("percent_mul", "=50%*2"),
    ("percent_of_cell", "=A1%", {"A1": 25}),
    ("percent_pow", "=2^200%"),
    ("neg_percent", "=-10%"),
    ("concat_precedence", '="a"&1+1'),
    ("concat_numbers", "=1&2"),
    ("concat_decimal", '=1.5&""'),
    ("concat_bool", '="a"&TRUE'),
    ("concat_false", '=FALSE&"!"'),
    ("concat_third", '=1/3&""'),
    ("concat_float_noise", '=(0.1+0.2)&""'),
    ("concat_large", '=1E+20&""'),
    ("concat_small", '=0.000001&""'),
    ("concat_big_int", '=123456789012&""'),
    ("concat_negative", '=-2.5&"x"'),
    ("concat_then_compare", '="1"&"0"=10&""'),
    ("div_zero", "=1/0"),
    ("zero_div_zero", "=0/0"),
    ("div_blank", "=5/A1"),
    ("float_sum", "=0.1+0.2"),
    ("float_cancel", "=0.1+0.2-0.3"),
    ("large_mul", "=1E+200*1E+200"),
    ("sci_literal", "=1.5E3+1"),
    ("int_division", "=7/2"),
    ("mixed_ref_arith", "=A1*B1-C1", {"A1": 3, "B1": 4, "C1": 5}),
    ("formula_chain", "=B1*2", {"A1": 3, "B1": "=A1+1"}),
])

_group("coerce", [
    ("text_plus_number", '="3"+1'),
    ("bad_text_plus", '="x"+1'),
    ("text_times_text", '="2"*"4"'),
    ("text_decimal", '="1.5"+1'),
    ("text_sci", '="1e2"*1'),
    ("text_spaces", '=" 3 "+1'),
    ("text_negative", '="-4"+0'),
    ("text_percent", '="50%"*2'),
    ("text_currency", '="$1,000"+0'),
    ("text_thousands", '="1,000"+0'),
    ("text_date", '="2020-01-15"+0'),
    ("text_us_date", '="1/15/2020"+0'),
    ("text_time", '="12:00"*1'),
    ("empty_string_plus", '=""+1'),
    ("bool_plus", "=TRUE+TRUE"),
    ("bool_times", "=FALSE*5"),
    ("bool_minus", "=-TRUE"),
    ("text_cell_plus", "=A1+1", {"A1": "41"}),
    ("text_cell_bad", "=A1+1", {"A1": "abc"}),
    ("bool_cell_plus", "=A1+1", {"A1": True}),
    ("text_bool_plus", '="TRUE"+1'),
    ("blank_plus", "=A1+1"),
    ("blank_times", "=A1*2"),
    ("blank_neg", "=-A1"),
    ("blank_ref", "=A1"),
    ("blank_concat", '=A1&"x"'),
    ("blank_concat_blank", "=A1&B1"),
    ("blank_string_formula_plus", "=A1+1", {"A1": '=""'}),
    ("blank_string_formula_ref", "=A1", {"A1": '=""'}),
    ("text_ref_passthrough", "=A1", {"A1": "hello"}),
    ("bool_ref_passthrough", "=A1", {"A1": False}),
    ("number_ref_passthrough", "=A1", {"A1": -2.75}),
])

_group("cmp", [
    ("eq_num", "=1=1"),
    ("ne_num", "=1<>2"),
    ("lt", "=1<2"),
    ("le", "=2<=2"),
    ("gt", "=3>2"),
    ("ge", "=2>=3"),
    ("text_case_insensitive", '="a"="A"'),
    ("text_order", '="abc"<"abd"'),
    ("text_case_order", '="Z"<"a"'),
    ("text_prefix", '="ab"<"abc"'),
    ("number_lt_text", '=1<"a"'),
    ("big_number_lt_text", '=1E+100<"0"'),
    ("text_number_vs_number", '="10"<9'),
    ("text_number_eq_number", '="1"=1'),
    ("text_lt_bool", '="z"<TRUE'),
    ("bool_gt_number", "=TRUE>99"),
    ("bool_eq_one", "=TRUE=1"),
    ("false_lt_true", "=FALSE<TRUE"),
    ("bool_ne_text", '=TRUE<>"TRUE"'),
    ("blank_eq_zero", "=A1=0"),
    ("blank_eq_empty_string", '=A1=""'),
    ("blank_eq_false", "=A1=FALSE"),
    ("blank_lt_one", "=A1<1"),
    ("empty_string_eq_zero", '=A1=0', {"A1": '=""'}),
    ("error_left", "=#N/A=1"),
    ("error_right", "=1<1/0"),
    ("cmp_then_concat", '=1=1&""'),
    ("cmp_precedence", "=1+1=2"),
    ("float_eq", "=0.1+0.2=0.3"),
    ("cells", "=A1>B1", {"A1": "b", "B1": "A"}),
])

_group("err", [
    ("literal_div0", "=#DIV/0!"),
    ("literal_na", "=#N/A"),
    ("literal_name", "=#NAME?"),
    ("literal_null", "=#NULL!"),
    ("literal_num", "=#NUM!"),
    ("literal_ref", "=#REF!"),
    ("literal_value", "=#VALUE!"),
    ("na_function", "=NA()"),
    ("unknown_function", "=FOOBAR(1)"),
    ("unknown_nested", "=SUM(FOOBAR(1),1)"),
    ("unknown_in_iferror", '=IFERROR(FOOBAR(1),"n")'),
    ("propagate_add", "=#N/A+1"),
    ("first_error_wins", "=#DIV/0!+#N/A"),
    ("first_error_wins_rev", "=#N/A+#DIV/0!"),
    ("propagate_concat", '="a"&#VALUE!'),
    ("propagate_ref", "=A1*2", {"A1": "=1/0"}),
    ("propagate_chain", "=B1+1", {"A1": "=SQRT(-1)", "B1": "=A1*2"}),
    ("propagate_neg", "=-#NUM!"),
    ("error_cell_ref", "=A1", {"A1": "=#REF!"}),
    ("empty_intersection", "=A1:A2 B1:B2", {"A1": 1, "A2": 2, "B1": 3, "B2": 4}),
])

# Implicit intersection and array constants.
_group("array", [
    ("sum_const", "=SUM({1,2;3,4})"),
    ("sum_const_times", "=SUM({1,2,3}*2)"),
    ("sum_const_mixed", '=SUM({1,"2",TRUE})'),
    ("index_const", "=INDEX({1,2;3,4},2,1)"),
    ("index_const_col", "=INDEX({1,2;3,4},1,2)"),
    ("index_const_text", '=INDEX({"a","b","c"},2)'),
    ("sumproduct_const", "=SUMPRODUCT({1,2,3},{4,5,6})"),
    ("sumproduct_const_2d", "=SUMPRODUCT({1,2;3,4},{1,1;1,1})"),
    ("max_const", "=MAX({1,5,3})"),
    ("average_const", "=AVERAGE({1,2,3,4})"),
    ("count_const", '=COUNT({1,"a",TRUE,2})'),
    ("counta_const", '=COUNTA({1,"a",TRUE,2})'),
    ("match_const", '=MATCH("c",{"a","b","c"},0)'),
    ("const_negative", "=SUM({-1,-2.5})"),
    ("const_plus_range", "=SUMPRODUCT({1;2;3}+A1:A3)", {"A1": 10, "A2": 20, "A3": 30}),
    ("lookup_const", '=VLOOKUP(2,{1,"a";2,"b";3,"c"},2,FALSE)'),
])

# The implicit-intersection operator @ (what Excel shows for a formula from a file without dynamic arrays; the
# oracle's file holds the formula without it, as Excel writes such formulas).
_group("isect", [
    ("column_same_row", "=@A1:A5", NUMS, "C3"),
    ("column_times", "=@A1:A5*2", NUMS, "C4"),
    ("column_outside", "=@A1:A5", NUMS, "C7"),
    ("row_same_column", "=@A1:E1", {"A1": 1, "B1": 2, "C1": 3, "D1": 4, "E1": 5}, "C4"),
    ("explicit_operator", "=SUM(A1:A5 A3:C3)", NUMS),
    ("explicit_single", "=@(A1:C3 B2:D4)", {"B2": 7, "C3": 9}),
    ("in_abs", "=ABS(@A1:A5)", _with(NUMS, A2=-20), "B2"),
    ("sum_ignores", "=SUM(A1:A5)", NUMS, "C9"),
])

# ---------------------------------------------------------------------------------------------------------------
# Aggregates
# ---------------------------------------------------------------------------------------------------------------

_group("sum", [
    ("range", "=SUM(A1:A5)", NUMS),
    ("mixed_range", "=SUM(A1:A6)", MIXED),
    ("direct_text_number", '=SUM("2",1)'),
    ("direct_bool", "=SUM(TRUE,1)"),
    ("direct_bad_text", '=SUM("x",1)'),
    ("ref_bool", "=SUM(A1)", {"A1": True}),
    ("ref_text_number", "=SUM(A1,1)", {"A1": "5"}),
    ("error_in_range", "=SUM(A1:A3)", {"A1": 1, "A2": "=1/0", "A3": 2}),
    ("empty", "=SUM(A1:A3)"),
    ("multi", "=SUM(A1:A2,A4:A5,100)", NUMS),
    ("negatives", "=SUM(-1,-2.5)"),
    ("floats", "=SUM(0.1,0.2,0.3)"),
    ("whole_column_slice", "=SUM(A1:A100)", NUMS),
    ("two_d", "=SUM(A1:B3)", {"A1": 1, "A2": 2, "A3": 3, "B1": 4, "B3": 6}),
    ("nested", "=SUM(SUM(1,2),SUM(3))"),
    ("empty_string_formula", "=SUM(A1:A2)", {"A1": '=""', "A2": 3}),
    ("error_direct", "=SUM(1,#N/A)"),
])

_group("average", [
    ("range", "=AVERAGE(A1:A5)", NUMS),
    ("mixed_range", "=AVERAGE(A1:A6)", MIXED),
    ("direct_coerce", '=AVERAGE("2",TRUE,3)'),
    ("empty", "=AVERAGE(A1:A3)"),
    ("text_only", "=AVERAGE(A1:A2)", {"A1": "a", "A2": "b"}),
    ("zero_counts", "=AVERAGE(A1:A3)", {"A1": 0, "A2": 10}),
    ("error", "=AVERAGE(A1:A2)", {"A1": 1, "A2": "=NA()"}),
    ("direct_bad_text", '=AVERAGE("x",1)'),
    ("single", "=AVERAGE(7)"),
])

_group("min", [
    ("range", "=MIN(A1:A5)", NUMS),
    ("mixed_range", "=MIN(A1:A6)", MIXED),
    ("empty", "=MIN(A1:A3)"),
    ("direct_text", '=MIN("0.5",3)'),
    ("direct_bool", "=MIN(FALSE,1)"),
    ("ref_bool_ignored", "=MIN(A1:A2)", {"A1": False, "A2": 3}),
    ("negative", "=MIN(-5,2,-7.5)"),
    ("error", "=MIN(A1:A2)", {"A1": 1, "A2": "=1/0"}),
])

_group("max", [
    ("range", "=MAX(A1:A5)", NUMS),
    ("mixed_range", "=MAX(A1:A6)", MIXED),
    ("empty", "=MAX(A1:A3)"),
    ("direct_bool", "=MAX(TRUE,0)"),
    ("ref_bool_ignored", "=MAX(A1:A2)", {"A1": True, "A2": -1}),
    ("direct_bad_text", '=MAX("x",1)'),
    ("text_only_range", "=MAX(A1:A2)", {"A1": "9", "A2": "z"}),
    ("error", "=MAX(A1:A2)", {"A1": 1, "A2": "=#REF!"}),
])

_group("count", [
    ("range", "=COUNT(A1:A5)", NUMS),
    ("mixed_range", "=COUNT(A1:A6)", MIXED),
    ("direct", '=COUNT(1,"2",TRUE,"x")'),
    ("errors_skipped", "=COUNT(A1:A3)", {"A1": "=1/0", "A2": 1, "A3": "=NA()"}),
    ("empty", "=COUNT(A1:A3)"),
    ("direct_error", "=COUNT(1,#N/A)"),
    ("dates", "=COUNT(A1:A2)", {"A1": "=DATE(2020,1,1)", "A2": "2020-01-01"}),
])

_group("counta", [
    ("range", "=COUNTA(A1:A6)", MIXED),
    ("empty_string_counts", "=COUNTA(A1:A3)", {"A1": '=""', "A2": 1}),
    ("errors_count", "=COUNTA(A1:A2)", {"A1": "=1/0"}),
    ("direct", '=COUNTA(1,"",FALSE)'),
    ("empty", "=COUNTA(A1:A4)"),
    ("zero", "=COUNTA(A1:A2)", {"A1": 0}),
])

_group("countblank", [
    ("basic", "=COUNTBLANK(A1:A4)", {"A1": 1, "A3": "x"}),
    ("empty_string", "=COUNTBLANK(A1:A3)", {"A1": '=""', "A2": 0}),
    ("zero_not_blank", "=COUNTBLANK(A1:A2)", {"A1": 0, "A2": False}),
    ("all_blank", "=COUNTBLANK(A1:B3)"),
    ("space_not_blank", "=COUNTBLANK(A1:A2)", {"A1": " "}),
])

_group("countif", [
    ("eq_number", "=COUNTIF(A1:A13,20)", CRIT),
    ("eq_number_text", '=COUNTIF(A1:A13,"20")', CRIT),
    ("gte", '=COUNTIF(A1:A13,">=20")', CRIT),
    ("lt", '=COUNTIF(A1:A13,"<20")', CRIT),
    ("ne_number", '=COUNTIF(A1:A4,"<>20")', CRIT),
    ("text_case_insensitive", '=COUNTIF(A1:A13,"APPLE")', CRIT),
    ("wild_star", '=COUNTIF(A1:A13,"a*")', CRIT),
    ("wild_star_inner", '=COUNTIF(A1:A13,"*an*")', CRIT),
    ("wild_question", '=COUNTIF(A1:A13,"???")', CRIT),
    ("tilde_star", '=COUNTIF(A1:A13,"a~*c")', CRIT),
    ("tilde_question", '=COUNTIF(A1:A13,"~?")', CRIT),
    ("ne_text", '=COUNTIF(A1:A6,"<>apple")', CRIT),
    ("text_gt", '=COUNTIF(A1:A13,">b")', CRIT),
    ("bool", "=COUNTIF(A1:A13,TRUE)", CRIT),
    ("blank_criterion", '=COUNTIF(A1:A13,"")', CRIT),
    ("nonblank", '=COUNTIF(A1:A13,"<>")', CRIT),
    ("cell_criterion", "=COUNTIF(A1:A13,B1)", _with(CRIT, B1=30)),
    ("concat_criterion", '=COUNTIF(A1:A13,">"&B1)', _with(CRIT, B1=15)),
    ("decimal", '=COUNTIF(A1:A13,"5.5")', CRIT),
    ("errors_ignored", "=COUNTIF(A1:A3,1)", {"A1": "=1/0", "A2": 1, "A3": 1}),
    ("text_number_cell", "=COUNTIF(A1:A3,1)", {"A1": 1, "A2": "1", "A3": 2}),
    ("eq_prefix", '=COUNTIF(A1:A13,"=apple")', CRIT),
    ("no_match", '=COUNTIF(A1:A13,"zzz")', CRIT),
])

_group("countifs", [
    ("two", '=COUNTIFS(A1:A6,"a*",B1:B6,">15")', FRUIT),
    ("one", '=COUNTIFS(B1:B6,"<=30")', FRUIT),
    ("same_range_twice", '=COUNTIFS(B1:B6,">15",B1:B6,"<45")', FRUIT),
    ("text_and_text", '=COUNTIFS(C1:C6,"brown",A1:A6,"d*")', FRUIT),
    ("size_mismatch", '=COUNTIFS(A1:A6,"a*",B1:B5,">0")', FRUIT),
    ("none", '=COUNTIFS(A1:A6,"x*",B1:B6,">0")', FRUIT),
    ("wild_question", '=COUNTIFS(A1:A6,"?????",C1:C6,"<>red")', FRUIT),
])

_group("sumif", [
    ("self", '=SUMIF(A1:A5,">20")', NUMS),
    ("sum_range", '=SUMIF(A1:A6,"apple",B1:B6)', FRUIT),
    ("wild_star", '=SUMIF(A1:A6,"a*",B1:B6)', FRUIT),
    ("wild_question", '=SUMIF(A1:A6,"?????",B1:B6)', FRUIT),
    ("ne_text", '=SUMIF(C1:C6,"<>red",B1:B6)', FRUIT),
    ("no_match", '=SUMIF(A1:A6,"zzz",B1:B6)', FRUIT),
    ("short_sum_range", '=SUMIF(A1:A6,"banana",B1)', FRUIT),
    ("tilde", '=SUMIF(A1:A3,"~*",B1:B3)', {"A1": "*", "A2": "x", "A3": "*", "B1": 1, "B2": 2, "B3": 4}),
    ("text_in_sum_range", '=SUMIF(A1:A3,">0",B1:B3)', {"A1": 1, "A2": 2, "A3": 3, "B1": 5, "B2": "x", "B3": 7}),
    ("error_unselected", '=SUMIF(A1:A3,"y",B1:B3)', {"A1": "y", "A2": "n", "A3": "y", "B1": 1, "B2": "=1/0", "B3": 2}),
    ("error_selected", '=SUMIF(A1:A3,"n",B1:B3)', {"A1": "y", "A2": "n", "A3": "y", "B1": 1, "B2": "=1/0", "B3": 2}),
    ("number_criterion", "=SUMIF(A1:A3,2,B1:B3)", {"A1": 1, "A2": 2, "A3": 2, "B1": 10, "B2": 20, "B3": 30}),
    ("cell_criterion", "=SUMIF(C1:C6,D1,B1:B6)", _with(FRUIT, D1="brown")),
    ("error_criterion", "=SUMIF(A1:A3,A1,B1:B3)", {"A1": "=1/0", "A2": 2, "A3": "=1/0", "B1": 5, "B2": 7, "B3": 1}),
    ("ifs_error_criterion", "=SUMIFS(B1:B3,A1:A3,A1)", {"A1": "=NA()", "A2": 2, "A3": "=1/0", "B1": 5, "B2": 7,
                                                          "B3": 1}),
    ("lte_criterion", '=SUMIF(B1:B6,"<=30")', FRUIT),
])

_group("sumifs", [
    ("two", '=SUMIFS(B1:B6,A1:A6,"a*",C1:C6,"red")', FRUIT),
    ("numeric", '=SUMIFS(B1:B6,B1:B6,">=20",B1:B6,"<=40")', FRUIT),
    ("one", '=SUMIFS(B1:B6,C1:C6,"brown")', FRUIT),
    ("none", '=SUMIFS(B1:B6,C1:C6,"blue")', FRUIT),
    ("size_mismatch", '=SUMIFS(B1:B6,A1:A5,"a*")', FRUIT),
    ("ne", '=SUMIFS(B1:B6,C1:C6,"<>red",A1:A6,"<>date")', FRUIT),
])

_group("averageif", [
    ("self", '=AVERAGEIF(A1:A5,">20")', NUMS),
    ("avg_range", '=AVERAGEIF(C1:C6,"red",B1:B6)', FRUIT),
    ("wild", '=AVERAGEIF(A1:A6,"*an*",B1:B6)', FRUIT),
    ("no_match", '=AVERAGEIF(A1:A6,"zzz",B1:B6)', FRUIT),
    ("text_in_avg_range", '=AVERAGEIF(A1:A3,">0",B1:B3)', {"A1": 1, "A2": 2, "A3": 3, "B1": 5, "B2": "x", "B3": 7}),
])

_group("averageifs", [
    ("two", '=AVERAGEIFS(B1:B6,C1:C6,"<>red",B1:B6,">25")', FRUIT),
    ("one", '=AVERAGEIFS(B1:B6,A1:A6,"a*")', FRUIT),
    ("no_match", '=AVERAGEIFS(B1:B6,A1:A6,"q*")', FRUIT),
    ("size_mismatch", '=AVERAGEIFS(B1:B6,A1:A4,"a*")', FRUIT),
])

_group("sumproduct", [
    ("two_ranges", "=SUMPRODUCT(A1:A3,B1:B3)", {"A1": 1, "A2": 2, "A3": 3, "B1": 4, "B2": 5, "B3": 6}),
    ("single", "=SUMPRODUCT(A1:A5)", NUMS),
    ("text_as_zero", "=SUMPRODUCT(A1:A3,B1:B3)", {"A1": 1, "A2": "2", "A3": 3, "B1": 4, "B2": 5, "B3": "x"}),
    ("bool_as_zero", "=SUMPRODUCT(A1:A2,B1:B2)", {"A1": True, "A2": 2, "B1": 3, "B2": 4}),
    ("condition", "=SUMPRODUCT((A1:A5>20)*A1:A5)", NUMS),
    ("double_neg", "=SUMPRODUCT(--(A1:A5>=20))", NUMS),
    ("two_conditions", '=SUMPRODUCT((C1:C6="red")*(B1:B6>10)*B1:B6)', FRUIT),
    ("size_mismatch", "=SUMPRODUCT(A1:A3,B1:B2)", {"A1": 1, "B1": 1}),
    ("error", "=SUMPRODUCT(A1:A2,B1:B2)", {"A1": 1, "A2": "=1/0", "B1": 1, "B2": 1}),
    ("three", "=SUMPRODUCT(A1:A2,B1:B2,C1:C2)", {"A1": 1, "A2": 2, "B1": 3, "B2": 4, "C1": 5, "C2": 6}),
    ("two_d", "=SUMPRODUCT(A1:B2,A1:B2)", {"A1": 1, "A2": 2, "B1": 3, "B2": 4}),
])

_group("product", [
    ("direct", "=PRODUCT(2,3,4)"),
    ("range", "=PRODUCT(A1:A6)", MIXED),
    ("empty", "=PRODUCT(A1:A3)"),
    ("direct_text", '=PRODUCT("2",3)'),
    ("direct_bool", "=PRODUCT(TRUE,5)"),
    ("bad_text", '=PRODUCT("x",3)'),
    ("error", "=PRODUCT(A1:A2)", {"A1": 2, "A2": "=NA()"}),
    ("with_zero", "=PRODUCT(A1:A3,4)", {"A1": 2, "A2": 0, "A3": 3}),
])

# ---------------------------------------------------------------------------------------------------------------
# Logic and information
# ---------------------------------------------------------------------------------------------------------------

_group("if", [
    ("true", '=IF(1>0,"y","n")'),
    ("false_number", "=IF(0,1,2)"),
    ("missing_else", "=IF(FALSE,1)"),
    ("empty_then", "=IF(TRUE,)"),
    ("empty_else", "=IF(FALSE,1,)"),
    ("text_true", '=IF("TRUE",1,2)'),
    ("text_bad", '=IF("x",1,2)'),
    ("blank_condition", "=IF(A1,1,2)"),
    ("error_condition", "=IF(1/0,1,2)"),
    ("lazy_else", "=IF(TRUE,1,1/0)"),
    ("lazy_then", "=IF(FALSE,1/0,2)"),
    ("blank_test", '=IF(A1="","blank","not")'),
    ("nested", '=IF(A1>10,"big",IF(A1>5,"mid","small"))', {"A1": 7}),
    ("number_condition", '=IF(-0.5,"t","f")'),
    ("returns_ref", "=IF(A1>0,B1,C1)", {"A1": 1, "B1": "yes", "C1": "no"}),
    ("returns_blank_ref", "=IF(TRUE,B1)"),
    ("text_number_condition", '=IF("1",1,2)'),
])

_group("ifs", [
    ("first", '=IFS(A1>10,"big",A1>5,"mid",TRUE,"small")', {"A1": 11}),
    ("middle", '=IFS(A1>10,"big",A1>5,"mid",TRUE,"small")', {"A1": 7}),
    ("none_true", '=IFS(A1>10,"big",A1>5,"mid")', {"A1": 1}),
    ("text_condition", '=IFS("x",1)'),
    ("error_condition", "=IFS(1/0,1,TRUE,2)"),
    ("number_condition", "=IFS(0,1,2,3)"),
])

_group("iferror", [
    ("div0", '=IFERROR(1/0,"e")'),
    ("ok", '=IFERROR(5,"e")'),
    ("na", "=IFERROR(NA(),0)"),
    ("blank_value", '=IFERROR(A1,"e")'),
    ("ref_error", '=IFERROR(#REF!,"r")'),
    ("text", '=IFERROR("t","e")'),
    ("error_fallback", "=IFERROR(1/0,#N/A)"),
    ("nested_lookup", '=IFERROR(VLOOKUP(9,A1:B5,2,FALSE),"missing")', TABLE),
])

_group("ifna", [
    ("na", '=IFNA(NA(),"na")'),
    ("other_error", '=IFNA(1/0,"na")'),
    ("ok", '=IFNA(3,"na")'),
    ("lookup_miss", '=IFNA(MATCH(99,A1:A5,0),-1)', NUMS),
    ("lookup_hit", '=IFNA(MATCH(30,A1:A5,0),-1)', NUMS),
])

_group("is", [
    ("iserror_na", "=ISERROR(#N/A)"),
    ("iserror_div", "=ISERROR(1/0)"),
    ("iserror_ok", '=ISERROR("x")'),
    ("iserror_ref_cell", "=ISERROR(A1)", {"A1": "=SQRT(-4)"}),
    ("iserror_null", "=ISERROR(#NULL!)"),
    ("isna_na", "=ISNA(NA())"),
    ("isna_div", "=ISNA(1/0)"),
    ("isna_lookup", "=ISNA(MATCH(7,A1:A5,0))", NUMS),
    ("isblank_blank", "=ISBLANK(A1)"),
    ("isblank_empty_string", "=ISBLANK(A1)", {"A1": '=""'}),
    ("isblank_zero", "=ISBLANK(A1)", {"A1": 0}),
    ("isblank_literal", '=ISBLANK("")'),
    ("isnumber_number", "=ISNUMBER(A1)", {"A1": 1.5}),
    ("isnumber_text_number", "=ISNUMBER(A1)", {"A1": "1"}),
    ("isnumber_literal_text", '=ISNUMBER("1")'),
    ("isnumber_bool", "=ISNUMBER(TRUE)"),
    ("isnumber_date", "=ISNUMBER(DATE(2020,1,1))"),
    ("isnumber_blank", "=ISNUMBER(A1)"),
    ("isnumber_error", "=ISNUMBER(1/0)"),
    ("istext_text", '=ISTEXT("a")'),
    ("istext_empty_string", '=ISTEXT("")'),
    ("istext_number", "=ISTEXT(1)"),
    ("istext_text_cell", "=ISTEXT(A1)", {"A1": "12"}),
    ("istext_blank", "=ISTEXT(A1)"),
    ("istext_bool", "=ISTEXT(FALSE)"),
])

_group("logic", [
    ("and_true", "=AND(TRUE,1)"),
    ("and_false", "=AND(TRUE,0)"),
    ("and_range_ignores_text", "=AND(A1:A3)", {"A1": True, "A2": "x", "A3": 5}),
    ("and_range_no_logicals", "=AND(A1:A2)", {"A1": "x"}),
    ("and_bad_text", '=AND("x",TRUE)'),
    ("and_text_true", '=AND("TRUE",TRUE)'),
    ("and_error", "=AND(TRUE,1/0)"),
    ("and_single_false", "=AND(FALSE)"),
    ("or_false", "=OR(FALSE,0)"),
    ("or_true", "=OR(FALSE,2)"),
    ("or_range", "=OR(A1:A3)", {"A1": 0, "A2": "TRUE", "A3": 0}),
    ("or_range_numbers", "=OR(A1:A3)", {"A1": 0, "A3": -1}),
    ("or_error", "=OR(TRUE,#N/A)"),
    ("or_array", "=OR({0,0,1})"),
    ("not_zero", "=NOT(0)"),
    ("not_number", "=NOT(2.5)"),
    ("not_blank", "=NOT(A1)"),
    ("not_text", '=NOT("x")'),
    ("not_text_false", '=NOT("FALSE")'),
    ("not_error", "=NOT(#DIV/0!)"),
    ("xor_tf", "=XOR(TRUE,FALSE)"),
    ("xor_tt", "=XOR(TRUE,TRUE)"),
    ("xor_three", "=XOR(TRUE,TRUE,TRUE)"),
    ("xor_numbers", "=XOR(1,0)"),
    ("xor_range", "=XOR(A1:A3)", {"A1": True, "A2": False, "A3": True}),
    ("xor_no_logicals", "=XOR(A1:A2)", {"A1": "a"}),
    ("and_or_nested", "=AND(OR(A1>5,A2>5),NOT(A3))", {"A1": 3, "A2": 8, "A3": False}),
    ("true_function", "=TRUE()"),
    ("false_function", "=FALSE()"),
])

# ---------------------------------------------------------------------------------------------------------------
# Math
# ---------------------------------------------------------------------------------------------------------------

_group("round", [
    ("half_up", "=ROUND(2.5,0)"),
    ("half_negative", "=ROUND(-2.5,0)"),
    ("binary_edge", "=ROUND(1.005,2)"),
    ("binary_edge2", "=ROUND(2.345,2)"),
    ("negative_digits", "=ROUND(1234.567,-2)"),
    ("digits", "=ROUND(3.14159,3)"),
    ("text", '=ROUND("2.5",0)'),
    ("blank", "=ROUND(A1,0)"),
    ("error", "=ROUND(1/0,1)"),
    ("fraction_digits", "=ROUND(2.567,1.9)"),
    ("bad_text", '=ROUND("x",1)'),
    ("large_digits", "=ROUND(1.23456,10)"),
    ("up_basic", "=ROUNDUP(3.2,0)"),
    ("up_negative", "=ROUNDUP(-3.2,0)"),
    ("up_digits", "=ROUNDUP(3.14159,3)"),
    ("up_negative_digits", "=ROUNDUP(31415,-2)"),
    ("up_exact", "=ROUNDUP(2.5,1)"),
    ("down_basic", "=ROUNDDOWN(3.9,0)"),
    ("down_negative", "=ROUNDDOWN(-3.9,0)"),
    ("down_digits", "=ROUNDDOWN(3.14159,2)"),
    ("down_negative_digits", "=ROUNDDOWN(1299,-2)"),
    ("down_bool", "=ROUNDDOWN(TRUE,0)"),
])

_group("int", [
    ("positive", "=INT(3.7)"),
    ("negative", "=INT(-3.2)"),
    ("text", '=INT("5.5")'),
    ("bool", "=INT(TRUE)"),
    ("whole", "=INT(-4)"),
    ("bad_text", '=INT("abc")'),
])

_group("trunc", [
    ("positive", "=TRUNC(3.7)"),
    ("negative", "=TRUNC(-3.7)"),
    ("digits", "=TRUNC(3.14159,2)"),
    ("negative_digits", "=TRUNC(1234,-2)"),
    ("negative_value_digits", "=TRUNC(-1.987,1)"),
])

_group("mod", [
    ("basic", "=MOD(10,3)"),
    ("negative_number", "=MOD(-10,3)"),
    ("negative_divisor", "=MOD(10,-3)"),
    ("both_negative", "=MOD(-10,-3)"),
    ("zero_divisor", "=MOD(5,0)"),
    ("decimal", "=MOD(5.5,2)"),
    ("zero", "=MOD(0,5)"),
    ("text", '=MOD("7","4")'),
    ("bool", "=MOD(TRUE,2)"),
])

_group("abs", [
    ("negative", "=ABS(-3)"),
    ("text", '=ABS("-2")'),
    ("blank", "=ABS(A1)"),
    ("bad_text", '=ABS("x")'),
    ("error", "=ABS(#NUM!)"),
])

_group("power", [
    ("basic", "=POWER(2,10)"),
    ("root", "=POWER(4,0.5)"),
    ("negative_cube_root", "=POWER(-8,1/3)"),
    ("zero_zero", "=POWER(0,0)"),
    ("zero_negative", "=POWER(0,-1)"),
    ("negative_exponent", "=POWER(2,-2)"),
    ("text", '=POWER("3",2)'),
])

_group("sqrt", [
    ("basic", "=SQRT(16)"),
    ("negative", "=SQRT(-1)"),
    ("text", '=SQRT("9")'),
    ("zero", "=SQRT(0)"),
    ("irrational", "=SQRT(2)"),
    ("bad_text", '=SQRT("nine")'),
])

_group("exp", [
    ("one", "=EXP(1)"),
    ("zero", "=EXP(0)"),
    ("negative", "=EXP(-1)"),
    ("overflow", "=EXP(710)"),
])

_group("ln", [
    ("one", "=LN(1)"),
    ("zero", "=LN(0)"),
    ("negative", "=LN(-1)"),
    ("inverse", "=LN(EXP(2))"),
    ("ten", "=LN(10)"),
])

_group("log", [
    ("default_base", "=LOG(100)"),
    ("base2", "=LOG(8,2)"),
    ("negative", "=LOG(-1)"),
    ("zero", "=LOG(0)"),
    ("base_one", "=LOG(10,1)"),
    ("fraction", "=LOG(0.001)"),
    ("log10_basic", "=LOG10(1000)"),
    ("log10_zero", "=LOG10(0)"),
    ("log10_fraction", "=LOG10(0.01)"),
    ("log10_text", '=LOG10("100")'),
])

_group("sign", [
    ("negative", "=SIGN(-5)"),
    ("zero", "=SIGN(0)"),
    ("positive", "=SIGN(3.2)"),
    ("bad_text", '=SIGN("x")'),
    ("bool", "=SIGN(TRUE)"),
])

_group("ceiling", [
    ("basic", "=CEILING(2.5,1)"),
    ("step", "=CEILING(4.42,0.05)"),
    ("both_negative", "=CEILING(-2.5,-2)"),
    ("negative_number", "=CEILING(-2.5,2)"),
    ("negative_significance", "=CEILING(2.5,-2)"),
    ("zero_significance", "=CEILING(10,0)"),
    ("exact_multiple", "=CEILING(1.5,0.1)"),
    ("already_multiple", "=CEILING(6,3)"),
    ("text", '=CEILING("7",5)'),
])

_group("floor", [
    ("basic", "=FLOOR(2.5,1)"),
    ("step", "=FLOOR(3.7,0.5)"),
    ("both_negative", "=FLOOR(-2.5,-2)"),
    ("negative_number", "=FLOOR(-2.5,2)"),
    ("negative_significance", "=FLOOR(2.5,-2)"),
    ("zero_significance", "=FLOOR(5,0)"),
    ("exact_multiple", "=FLOOR(0.3,0.1)"),
    ("zero", "=FLOOR(0,5)"),
])

# ---------------------------------------------------------------------------------------------------------------
# Text
# ---------------------------------------------------------------------------------------------------------------

_group("left", [
    ("basic", '=LEFT("hello",2)'),
    ("default", '=LEFT("hello")'),
    ("too_long", '=LEFT("hi",10)'),
    ("zero", '=LEFT("abc",0)'),
    ("negative", '=LEFT("abc",-1)'),
    ("number", "=LEFT(12345,2)"),
    ("bool", "=LEFT(TRUE,2)"),
    ("blank", "=LEFT(A1,1)"),
    ("decimal_count", '=LEFT("abcdef",2.9)'),
    ("error", "=LEFT(#N/A,1)"),
])

_group("right", [
    ("basic", '=RIGHT("hello",3)'),
    ("default", '=RIGHT("hello")'),
    ("too_long", '=RIGHT("hi",5)'),
    ("number", "=RIGHT(1234.5,3)"),
    ("negative", '=RIGHT("abc",-2)'),
    ("zero", '=RIGHT("abc",0)'),
])

_group("mid", [
    ("basic", '=MID("hello",2,3)'),
    ("past_end", '=MID("hello",10,2)'),
    ("start_zero", '=MID("hello",0,2)'),
    ("negative_count", '=MID("abc",2,-1)'),
    ("number", "=MID(1234.5,3,3)"),
    ("overrun", '=MID("hello",4,10)'),
    ("zero_count", '=MID("hello",2,0)'),
])

_group("len", [
    ("basic", '=LEN("hello")'),
    ("empty", '=LEN("")'),
    ("number", "=LEN(123.45)"),
    ("blank", "=LEN(A1)"),
    ("bool", "=LEN(TRUE)"),
    ("third", "=LEN(1/3)"),
    ("spaces", '=LEN("  a  ")'),
    ("large", "=LEN(1E+20)"),
    ("negative", "=LEN(-12)"),
    ("unicode", '=LEN("héllo")'),
])

_group("case", [
    ("upper", '=UPPER("Hello World")'),
    ("upper_number", "=UPPER(12.5)"),
    ("lower", '=LOWER("HeLLo")'),
    ("lower_bool", "=LOWER(TRUE)"),
    ("proper", '=PROPER("hello world")'),
    ("proper_mixed", '=PROPER("hELLO wORLD")'),
    ("proper_apostrophe", "=PROPER(\"o'neil mcdonald\")"),
    ("proper_digits", '=PROPER("2nd place")'),
    ("proper_hyphen", '=PROPER("jean-luc picard")'),
    ("upper_accented", '=UPPER("déjà vu")'),
    ("upper_blank", "=UPPER(A1)"),
])

_group("trim", [
    ("basic", '=TRIM("  a   b  ")'),
    ("number", "=TRIM(123)"),
    ("only_spaces", '=TRIM("    ")'),
    ("inner", '=TRIM("a  b c")'),
    ("cell", "=TRIM(A1)", {"A1": "  padded text "}),
])

_group("concat", [
    ("concatenate", '=CONCATENATE("a","b",1)'),
    ("concatenate_bool", "=CONCATENATE(TRUE,1.5)"),
    ("concatenate_blank", '=CONCATENATE(A1,"x")'),
    ("concatenate_error", '=CONCATENATE("a",#N/A)'),
    ("concatenate_cells", '=CONCATENATE(A1," ",B1)', {"A1": "John", "B1": "Smith"}),
    ("concat_range", '=CONCAT("<",A1:A3,">")', {"A1": "a", "A2": 2, "A3": True}),
    ("concat_basic", '=CONCAT("x",1,"y")'),
    ("concat_2d", "=CONCAT(A1:B2)", {"A1": "a", "B1": "b", "A2": "c", "B2": "d"}),
    ("concat_blank_range", "=CONCAT(A1:A3)", {"A1": "a", "A3": "c"}),
    ("textjoin_skip", '=TEXTJOIN(",",TRUE,A1:A4)', {"A1": "a", "A3": "c", "A4": 4}),
    ("textjoin_keep", '=TEXTJOIN(",",FALSE,A1:A4)', {"A1": "a", "A3": "c", "A4": 4}),
    ("textjoin_args", '=TEXTJOIN("-",TRUE,"a","","b")'),
    ("textjoin_no_delim", '=TEXTJOIN("",TRUE,"x","y")'),
    ("textjoin_numbers", '=TEXTJOIN(", ",TRUE,1,2.5,TRUE)'),
    ("textjoin_empty_string_cell", '=TEXTJOIN("|",TRUE,A1:A3)', {"A1": "a", "A2": '=""', "A3": "b"}),
    ("textjoin_error", '=TEXTJOIN(",",TRUE,"a",1/0)'),
    ("amp_three", '="a"&"b"&"c"'),
])

_group("text", [
    ("thousands", '=TEXT(1234.567,"#,##0.00")'),
    ("percent", '=TEXT(0.25,"0%")'),
    ("iso_date", '=TEXT(DATE(2020,1,5),"yyyy-mm-dd")'),
    ("leading_zeros", '=TEXT(42,"000")'),
    ("decimals", '=TEXT(3.14159,"0.00")'),
    ("month_name", '=TEXT(DATE(2020,3,1),"mmm d, yyyy")'),
    ("weekday_name", '=TEXT(DATE(2021,12,25),"dddd")'),
    ("negative_section", '=TEXT(-5,"0;(0)")'),
    ("scientific", '=TEXT(1234567,"0.00E+00")'),
    ("fraction", '=TEXT(0.5,"# ?/?")'),
    ("time", '=TEXT(0.75,"h:mm AM/PM")'),
    ("text_number", '=TEXT("12.5","0.0")'),
    ("round_half", '=TEXT(2.5,"0")'),
    ("hash", '=TEXT(1234.5,"#")'),
    ("era_year", '=TEXT(28313,"ee-mm-dd")'),
    ("general", '=TEXT(0.5,"General")'),
    ("full_month", '=TEXT(DATE(2019,7,4),"mmmm")'),
    ("text_passthrough", '=TEXT("abc","0.00")'),
])

_group("value", [
    ("integer", '=VALUE("123")'),
    ("spaces", '=VALUE(" 12.5 ")'),
    ("sci", '=VALUE("1e3")'),
    ("bad", '=VALUE("abc")'),
    ("percent", '=VALUE("50%")'),
    ("currency", '=VALUE("$1,234.50")'),
    ("iso_date", '=VALUE("2020-01-15")'),
    ("bool", "=VALUE(TRUE)"),
    ("blank", "=VALUE(A1)"),
    ("thousands", '=VALUE("1,000")'),
    ("time", '=VALUE("12:00")'),
    ("negative", '=VALUE("-7.25")'),
    ("number", "=VALUE(5)"),
    ("parentheses", '=VALUE("(100)")'),
])

_group("find", [
    ("basic", '=FIND("l","hello")'),
    ("case_sensitive", '=FIND("L","hello")'),
    ("start", '=FIND("l","hello",4)'),
    ("empty_needle", '=FIND("","abc")'),
    ("missing", '=FIND("z","abc")'),
    ("start_zero", '=FIND("a","abc",0)'),
    ("start_past_end", '=FIND("a","abc",5)'),
    ("no_wildcards", '=FIND("*","a*b")'),
    ("number", "=FIND(3,12345)"),
    ("substring", '=FIND("lo","hello world")'),
])

_group("search", [
    ("case_insensitive", '=SEARCH("L","hello")'),
    ("wild_question", '=SEARCH("l?o","hello")'),
    ("wild_star", '=SEARCH("h*o","hello")'),
    ("tilde_star", '=SEARCH("~*","a*b")'),
    ("missing", '=SEARCH("x","abc")'),
    ("start", '=SEARCH("b","abcb",3)'),
    ("tilde_question", '=SEARCH("~?","what?")'),
    ("start_past_end", '=SEARCH("a","abc",4)'),
    ("star_middle", '=SEARCH("b*d","abcde")'),
    ("empty_needle", '=SEARCH("","abc",2)'),
])

_group("substitute", [
    ("all", '=SUBSTITUTE("aaa","a","b")'),
    ("instance", '=SUBSTITUTE("aaa","a","b",2)'),
    ("empty_old", '=SUBSTITUTE("abc","","x")'),
    ("missing", '=SUBSTITUTE("abc","x","y")'),
    ("remove", '=SUBSTITUTE("a.b.c",".","")'),
    ("numbers", "=SUBSTITUTE(123123,1,9)"),
    ("instance_zero", '=SUBSTITUTE("aaa","a","b",0)'),
    ("case_sensitive", '=SUBSTITUTE("Hello","h","j")'),
    ("instance_past", '=SUBSTITUTE("aaa","a","b",5)'),
    ("multi_char", '=SUBSTITUTE("the cat the hat","the","a")'),
])

_group("replace", [
    ("basic", '=REPLACE("abcdef",2,3,"X")'),
    ("past_end", '=REPLACE("abc",10,1,"Z")'),
    ("start_zero", '=REPLACE("abc",0,1,"Z")'),
    ("number", '=REPLACE(12345,1,2,"")'),
    ("insert", '=REPLACE("abc",2,0,"-")'),
    ("negative_count", '=REPLACE("abc",1,-1,"Z")'),
])

_group("rept", [
    ("basic", '=REPT("ab",3)'),
    ("zero", '=REPT("x",0)'),
    ("negative", '=REPT("x",-1)'),
    ("fraction", '=REPT("x",2.9)'),
    ("empty", '=REPT("",5)'),
    ("number", "=REPT(1,3)"),
])

_group("exact", [
    ("case", '=EXACT("a","A")'),
    ("same", '=EXACT("a","a")'),
    ("number_text", '=EXACT(1,"1")'),
    ("bool_text", '=EXACT(TRUE,"TRUE")'),
    ("blank_empty", '=EXACT(A1,"")'),
    ("spaces", '=EXACT("a ","a")'),
])

# ---------------------------------------------------------------------------------------------------------------
# Lookup and reference
# ---------------------------------------------------------------------------------------------------------------

_group("vlookup", [
    ("exact", "=VLOOKUP(3,A1:C5,2,FALSE)", TABLE),
    ("exact_zero_flag", "=VLOOKUP(5,A1:C5,3,0)", TABLE),
    ("exact_miss", "=VLOOKUP(4,A1:C5,2,FALSE)", TABLE),
    ("approx", "=VLOOKUP(4,A1:C5,2,TRUE)", TABLE),
    ("approx_default", "=VLOOKUP(6.5,A1:C5,2)", TABLE),
    ("approx_below", "=VLOOKUP(0.5,A1:C5,2)", TABLE),
    ("approx_above", "=VLOOKUP(99,A1:C5,2)", TABLE),
    ("col_zero", "=VLOOKUP(3,A1:C5,0,FALSE)", TABLE),
    ("col_too_big", "=VLOOKUP(3,A1:C5,4,FALSE)", TABLE),
    ("blank_result", "=VLOOKUP(3,A1:C5,3,FALSE)", TABLE),
    ("text_key_vs_number", '=VLOOKUP("2",A1:C5,2,FALSE)', TABLE),
    ("text_case_insensitive", '=VLOOKUP("BRAVO",A1:B6,2,FALSE)', WORDS),
    ("wild_star", '=VLOOKUP("ch*",A1:B6,2,FALSE)', WORDS),
    ("wild_question", '=VLOOKUP("d?lta",A1:B6,2,FALSE)', WORDS),
    ("tilde", '=VLOOKUP("a~*c",A1:B6,2,FALSE)', WORDS),
    ("tilde_question", '=VLOOKUP("what~?",A1:B6,2,FALSE)', WORDS),
    ("error_key", "=VLOOKUP(1/0,A1:C5,2,FALSE)", TABLE),
    ("cell_key", "=VLOOKUP(D1,A1:C5,2,FALSE)", _with(TABLE, D1=8)),
    ("first_of_duplicates", '=VLOOKUP("k",A1:B3,2,FALSE)', {"A1": "k", "B1": 1, "A2": "k", "B2": 2, "A3": "z"}),
    ("col_fraction", "=VLOOKUP(2,A1:C5,2.7,FALSE)", TABLE),
])

_group("hlookup", [
    ("exact", "=HLOOKUP(4,A1:D3,2,FALSE)", HTABLE),
    ("exact_row3", "=HLOOKUP(8,A1:D3,3,FALSE)", HTABLE),
    ("approx", "=HLOOKUP(5,A1:D3,3,TRUE)", HTABLE),
    ("miss", "=HLOOKUP(3,A1:D3,2,FALSE)", HTABLE),
    ("below", "=HLOOKUP(0,A1:D3,2)", HTABLE),
    ("row_too_big", "=HLOOKUP(2,A1:D3,4,FALSE)", HTABLE),
    ("text", '=HLOOKUP("BEE",A1:C2,2,FALSE)', HWORDS),
    ("wild", '=HLOOKUP("c*",A1:C2,2,FALSE)', HWORDS),
])

_group("xlookup", [
    ("basic", "=XLOOKUP(3,A1:A5,B1:B5)", TABLE),
    ("missing", "=XLOOKUP(4,A1:A5,B1:B5)", TABLE),
    ("if_not_found", '=XLOOKUP(4,A1:A5,B1:B5,"none")', TABLE),
    ("next_smaller", "=XLOOKUP(4,A1:A5,B1:B5,,-1)", TABLE),
    ("next_larger", "=XLOOKUP(4,A1:A5,B1:B5,,1)", TABLE),
    ("wildcard", '=XLOOKUP("ch*",A1:A6,B1:B6,,2)', WORDS),
    ("no_wildcard_by_default", '=XLOOKUP("ch*",A1:A6,B1:B6)', WORDS),
    ("last_to_first", '=XLOOKUP("k",A1:A3,B1:B3,,0,-1)', {"A1": "k", "B1": 1, "A2": "k", "B2": 2, "A3": "z"}),
    ("horizontal", "=XLOOKUP(8,A1:D1,A3:D3)", HTABLE),
    ("case_insensitive", '=XLOOKUP("bravo",A1:A6,B1:B6)', WORDS),
])

_group("index", [
    ("two_d", "=INDEX(A1:C5,2,3)", TABLE),
    ("column", "=INDEX(A1:A5,3)", NUMS),
    ("row_vector", "=INDEX(A1:D1,3)", HTABLE),
    ("row_out_of_range", "=INDEX(A1:C5,6,1)", TABLE),
    ("col_out_of_range", "=INDEX(A1:C5,1,4)", TABLE),
    ("sum_column", "=SUM(INDEX(A1:C5,0,3))", TABLE),
    ("sum_row", "=SUM(INDEX(A1:D3,3,0))", HTABLE),
    ("negative", "=INDEX(A1:A5,-1)", NUMS),
    ("blank_cell", "=INDEX(A1:C5,3,3)", TABLE),
    ("text_index", '=INDEX(A1:A5,"2")', NUMS),
    ("match_combo", "=INDEX(B1:B5,MATCH(5,A1:A5,0))", TABLE),
    ("range_result_in_sum", "=SUM(A1:INDEX(A1:A5,3))", NUMS),
])

_group("match", [
    ("exact", "=MATCH(30,A1:A5,0)", NUMS),
    ("approx_default", "=MATCH(35,A1:A5)", NUMS),
    ("approx_explicit", "=MATCH(35,A1:A5,1)", NUMS),
    ("approx_below", "=MATCH(5,A1:A5)", NUMS),
    ("approx_above", "=MATCH(99,A1:A5,1)", NUMS),
    ("descending", "=MATCH(35,A1:A5,-1)", {"A1": 50, "A2": 40, "A3": 30, "A4": 20, "A5": 10}),
    ("wild_star", '=MATCH("b*",A1:A6,0)', WORDS),
    ("wild_question", '=MATCH("?lpha",A1:A6,0)', WORDS),
    ("tilde", '=MATCH("a~*c",A1:A6,0)', WORDS),
    ("star_matches_literal", '=MATCH("a*c",A1:A6,0)', WORDS),
    ("case_insensitive", '=MATCH("CHARLIE",A1:A6,0)', WORDS),
    ("text_vs_number", '=MATCH("30",A1:A5,0)', NUMS),
    ("exact_miss", "=MATCH(31,A1:A5,0)", NUMS),
    ("bool", "=MATCH(TRUE,A1:A3,0)", {"A1": 1, "A2": "TRUE", "A3": True}),
    ("horizontal", "=MATCH(4,A1:D1,0)", HTABLE),
    ("array_const", "=MATCH(2.5,{1,2,3})"),
    ("approx_text", '=MATCH("c",A1:A3,1)', {"A1": "a", "A2": "b", "A3": "d"}),
])

_group("choose", [
    ("basic", '=CHOOSE(2,"a","b","c")'),
    ("truncate", '=CHOOSE(1.9,"a","b")'),
    ("zero", '=CHOOSE(0,"a")'),
    ("too_big", '=CHOOSE(4,"a","b")'),
    ("text_index", '=CHOOSE("2","a","b")'),
    ("range_choice", "=SUM(CHOOSE(2,A1:A2,B1:B2))", {"A1": 1, "A2": 2, "B1": 10, "B2": 20}),
    ("lazy", "=CHOOSE(1,5,1/0)"),
    ("bool_index", '=CHOOSE(TRUE,"t","f")'),
])

# ---------------------------------------------------------------------------------------------------------------
# Dates
# ---------------------------------------------------------------------------------------------------------------

_group("date", [
    ("basic", "=DATE(2020,1,15)"),
    ("month_overflow", "=DATE(2020,13,1)"),
    ("day_zero", "=DATE(2020,1,0)"),
    ("day_overflow", "=DATE(2020,2,30)"),
    ("two_digit_year", "=DATE(99,1,1)"),
    ("year_1900_jan1", "=DATE(1900,1,1)"),
    ("year_1900_mar1", "=DATE(1900,3,1)"),
    ("negative_year", "=DATE(-1,1,1)"),
    ("year_10000", "=DATE(10000,1,1)"),
    ("negative_month", "=DATE(2020,-1,1)"),
    ("leap_day", "=DATE(2024,2,29)"),
    ("fraction_args", "=DATE(2020.9,1.9,1.9)"),
    ("text_args", '=DATE("2020","6","1")'),
    ("difference", "=DATE(2021,1,1)-DATE(2020,1,1)"),
])

_group("ymd", [
    ("year", "=YEAR(43845)"),
    ("year_of_date", "=YEAR(DATE(2021,7,4))"),
    ("year_text", '=YEAR("2020-05-17")'),
    ("year_zero", "=YEAR(0)"),
    ("year_negative", "=YEAR(-1)"),
    ("year_fraction", "=YEAR(44196.99)"),
    ("month", "=MONTH(DATE(2021,7,4))"),
    ("month_zero", "=MONTH(0)"),
    ("month_text", '=MONTH("2021-11-30")'),
    ("month_bad_text", '=MONTH("hello")'),
    ("day", "=DAY(DATE(2021,7,4))"),
    ("day_zero", "=DAY(0)"),
    ("day_sixty", "=DAY(60)"),
    ("day_sixty_one", "=DAY(61)"),
    ("month_sixty", "=MONTH(60)"),
    ("day_blank", "=DAY(A1)"),
])

_group("weekday", [
    ("default", "=WEEKDAY(DATE(2021,7,4))"),
    ("type2", "=WEEKDAY(DATE(2021,7,4),2)"),
    ("type3", "=WEEKDAY(DATE(2021,7,4),3)"),
    ("type11", "=WEEKDAY(DATE(2021,7,5),11)"),
    ("bad_type", "=WEEKDAY(DATE(2021,7,4),4)"),
    ("serial_one", "=WEEKDAY(1)"),
    ("weekday_saturday", "=WEEKDAY(DATE(2022,1,1))"),
    ("negative", "=WEEKDAY(-1)"),
])

_group("eomonth", [
    ("next", "=EOMONTH(DATE(2020,1,15),1)"),
    ("previous", "=EOMONTH(DATE(2020,1,31),-1)"),
    ("same", "=EOMONTH(DATE(2021,2,10),0)"),
    ("fraction_months", "=EOMONTH(DATE(2020,1,15),1.9)"),
    ("bad_text", '=EOMONTH("x",1)'),
    ("year_ahead", "=EOMONTH(DATE(2019,2,1),12)"),
])

_group("edate", [
    ("clamp", "=EDATE(DATE(2020,1,31),1)"),
    ("back_year", "=EDATE(DATE(2020,2,29),-12)"),
    ("fraction", "=EDATE(DATE(2020,5,15),0.5)"),
    ("basic", "=EDATE(DATE(2021,3,10),3)"),
    ("bad_text", '=EDATE("x",1)'),
])

_group("datedif", [
    ("years", '=DATEDIF(DATE(2020,1,15),DATE(2021,3,10),"y")'),
    ("months", '=DATEDIF(DATE(2020,1,15),DATE(2021,3,10),"m")'),
    ("days", '=DATEDIF(DATE(2020,1,15),DATE(2021,3,10),"d")'),
    ("md", '=DATEDIF(DATE(2020,1,15),DATE(2021,3,10),"md")'),
    ("ym", '=DATEDIF(DATE(2020,1,15),DATE(2021,3,10),"ym")'),
    ("yd", '=DATEDIF(DATE(2020,1,15),DATE(2021,3,10),"yd")'),
    ("start_after_end", '=DATEDIF(DATE(2021,1,1),DATE(2020,1,1),"d")'),
    ("bad_unit", '=DATEDIF(DATE(2020,1,1),DATE(2021,1,1),"x")'),
    ("upper_unit", '=DATEDIF(DATE(2020,1,1),DATE(2022,6,1),"Y")'),
    ("same_day", '=DATEDIF(DATE(2020,1,1),DATE(2020,1,1),"d")'),
    ("month_end", '=DATEDIF(DATE(2020,1,31),DATE(2020,2,29),"m")'),
])

_group("today", [
    ("after_2009", "=TODAY()>40000"),
    ("integer", "=INT(TODAY())=TODAY()"),
    ("year", "=YEAR(TODAY())>=2024"),
])

# ---------------------------------------------------------------------------------------------------------------
# Finance
# ---------------------------------------------------------------------------------------------------------------

_group("fin", [
    ("pmt_mortgage", "=PMT(0.05/12,360,200000)"),
    ("pmt_zero_rate", "=PMT(0,12,1200)"),
    ("pmt_due_begin", "=PMT(0.1,10,1000,0,1)"),
    ("pmt_with_fv", "=PMT(0.06/12,18*12,0,50000)"),
    ("pmt_text", '=PMT("0.1",2,100)'),
    ("fv_doc", "=FV(0.06/12,10,-200,-500,1)"),
    ("fv_zero_rate", "=FV(0,10,-100)"),
    ("fv_basic", "=FV(0.05,10,-100)"),
    ("pv_doc_empty_arg", "=PV(0.08/12,12*20,500,,0)"),
    ("pv_zero_rate", "=PV(0,10,-100)"),
    ("pv_due", "=PV(0.05,5,-1000,0,1)"),
    ("npv_doc", "=NPV(0.1,-10000,3000,4200,6800)"),
    ("npv_range", "=NPV(0.08,A1:A5)", {"A1": -40000, "A2": 8000, "A3": 9200, "A4": 10000, "A5": 12000}),
    ("npv_range_text", "=NPV(0.1,A1:A3)", {"A1": 100, "A2": "x", "A3": 100}),
    ("npv_zero_rate", "=NPV(0,1,2,3)"),
    ("irr_doc", "=IRR({-70000,12000,15000,18000,21000,26000})"),
    ("irr_range", "=IRR(A1:A5)", {"A1": -70000, "A2": 12000, "A3": 15000, "A4": 18000, "A5": 21000}),
    ("irr_guess", "=IRR(A1:A3,-0.1)", {"A1": -70000, "A2": 12000, "A3": 15000}),
    ("irr_no_sign_change", "=IRR({100,200,300})"),
    ("rate_doc", "=RATE(4*12,-200,8000)"),
    ("rate_zero", "=ROUND(RATE(10,-100,1000),6)"),
    ("rate_annual", "=RATE(10,-1000,6000)*1"),
    ("rate_no_solution", "=RATE(10,100,1000)"),
])

# ---------------------------------------------------------------------------------------------------------------
# Statistics
# ---------------------------------------------------------------------------------------------------------------

_group("stats", [
    ("rank_desc", "=RANK(30,A1:A5)", NUMS),
    ("rank_asc", "=RANK(20,A1:A5,1)", NUMS),
    ("rank_ties", "=RANK(5,A1:A4)", {"A1": 5, "A2": 7, "A3": 5, "A4": 1}),
    ("rank_missing", "=RANK(99,A1:A5)", NUMS),
    ("rank_text_ignored", "=RANK(3,A1:A4)", {"A1": 3, "A2": "9", "A3": 1, "A4": True}),
    ("large_second", "=LARGE(A1:A5,2)", NUMS),
    ("large_zero", "=LARGE(A1:A5,0)", NUMS),
    ("large_too_big", "=LARGE(A1:A5,6)", NUMS),
    ("large_mixed", "=LARGE(A1:A6,1)", MIXED),
    ("large_const", "=LARGE({3,1,2},3)"),
    ("small_first", "=SMALL(A1:A5,1)", NUMS),
    ("small_mixed", "=SMALL(A1:A6,2)", MIXED),
    ("small_empty", "=SMALL(A1:A3,1)"),
    ("small_ties", "=SMALL({2,1,2,1},3)"),
    ("median_even", "=MEDIAN(1,2,3,4)"),
    ("median_range", "=MEDIAN(A1:A5)", NUMS),
    ("median_mixed", "=MEDIAN(A1:A6)", MIXED),
    ("median_empty", "=MEDIAN(A1:A3)"),
    ("median_direct_text", '=MEDIAN("3",1,2)'),
    ("stdev_doc", "=STDEV(2,4,4,4,5,5,7,9)"),
    ("stdev_single", "=STDEV(1)"),
    ("stdev_range_mixed", "=STDEV(A1:A6)", MIXED),
    ("stdev_range", "=STDEV(A1:A5)", NUMS),
    ("var_basic", "=VAR(1,2,3,4)"),
    ("var_single", "=VAR(5)"),
    ("var_range", "=VAR(A1:A5)", NUMS),
    ("var_bool_direct", "=VAR(TRUE,3)"),
    ("mode_basic", "=MODE(1,2,2,3)"),
    ("mode_none", "=MODE(1,2,3)"),
    ("mode_first", "=MODE(1,1,2,2)"),
    ("mode_range", "=MODE(A1:A6)", {"A1": 3, "A2": 4, "A3": "4", "A4": 4, "A5": 3, "A6": 3}),
    ("mode_text_only", "=MODE(A1:A2)", {"A1": "a", "A2": "a"}),
])

# ---------------------------------------------------------------------------------------------------------------
# Nested formulas
# ---------------------------------------------------------------------------------------------------------------

_group("nested", [
    ("if_sum", "=IF(SUM(A1:A3)>50,MAX(A1:A3),MIN(A1:A3))", NUMS),
    ("round_average", "=ROUND(AVERAGE(A1:A5)/7,2)", NUMS),
    ("text_ops", "=UPPER(LEFT(A1,3))&LEN(A1)", FRUIT),
    ("index_match_max", "=INDEX(A1:A6,MATCH(MAX(B1:B6),B1:B6,0))", FRUIT),
    ("text_of_sum", '=TEXT(SUM(A1:A3),"0.0")', NUMS),
    ("sumproduct_between", "=SUMPRODUCT((A1:A5>15)*(A1:A5<45))", NUMS),
    ("vlookup_max", "=VLOOKUP(MAX(A1:A5),A1:B5,2,FALSE)", TABLE),
    ("iferror_vlookup", '=IFERROR(VLOOKUP("zulu",A1:B6,2,FALSE),"none")', WORDS),
    ("mid_search", '=MID(A1,SEARCH(" ",A1)+1,100)', {"A1": "John Smith"}),
    ("left_find", '=LEFT(A1,FIND("@",A1)-1)', {"A1": "user@example.com"}),
    ("date_parts", "=DATE(YEAR(A1),MONTH(A1)+1,1)", {"A1": "=DATE(2020,12,15)"}),
    ("countif_ratio", '=COUNTIF(A1:A6,"a*")/COUNTA(A1:A6)', FRUIT),
    ("trim_proper", '=PROPER(TRIM("  mary   ann  "))'),
    ("substitute_len", '=LEN(A1)-LEN(SUBSTITUTE(A1," ",""))+1', {"A1": "one two three four"}),
    ("choose_weekday", '=CHOOSE(WEEKDAY(DATE(2021,7,4)),"Sun","Mon","Tue","Wed","Thu","Fri","Sat")'),
    ("and_in_if", '=IF(AND(A1>0,A1<10),"in","out")', {"A1": 5}),
    ("sumif_over_total", '=SUMIF(C1:C6,"red",B1:B6)/SUM(B1:B6)', FRUIT),
    ("nested_round_sqrt", "=ROUND(SQRT(ABS(-50)),4)"),
    ("value_of_text", '=VALUE(LEFT("123abc",3))+1'),
    ("rept_len", '=LEN(REPT("ab",A1))', {"A1": 4}),
    ("iserror_find", '=IF(ISERROR(FIND("z",A1)),"no z","z")', {"A1": "abc"}),
    ("large_sum", "=LARGE(A1:A5,1)+SMALL(A1:A5,1)", NUMS),
    ("deep_parens", "=((((1+2))*((3))))"),
    ("median_of_ifs", "=MEDIAN(IF(TRUE,1,0),IF(FALSE,1,5),3)"),
    ("mod_row_parity", '=IF(MOD(A1,2)=0,"even","odd")', {"A1": 7}),
])

# ===============================================================================================================
# References computed at run time, defined names, tables, lookup & reference functions
# (range operator with functions, unions, INDIRECT, OFFSET, ROW/COLUMN(S), ADDRESS, AREAS, FORMULATEXT, HYPERLINK,
# LOOKUP, XMATCH, Excel's binary search on unsorted data, names, tables)
# ===============================================================================================================


def _named(category: str, rows: list[tuple], names: Mapping[str, str] | None = None,
           tables: tuple[TableSpec, ...] = ()) -> None:
    """Like :func:`_group`, every case also defining ``names`` and ``tables``. A table named ``Sales`` in
    ``tables`` is renamed ``Sales<n>`` per case (formula included), since table names are workbook-wide."""
    for number, row in enumerate(rows):
        suffix, formula, *rest = row
        cells = rest[0] if rest else {}
        at = rest[1] if len(rest) > 1 else "Z1"
        case_tables = []
        for table in tables:
            unique = f"{table.name}{category.capitalize()}{number}"
            pattern = rf"(?<![\w.]){re.escape(table.name)}(?![\w.])"
            formula = re.sub(pattern, unique, formula)
            cells = {k: re.sub(pattern, unique, v) if isinstance(v, str) and v.startswith("=") else v
                     for k, v in cells.items()}
            case_tables.append(TableSpec(unique, table.ref, table.totals))
        _CASES.append(Case(f"{category}.{suffix}", formula, cells, at, category=category, names=names or {},
                           tables=tuple(case_tables)))


# Unsorted and mixed-type keys for approximate matches (Excel's binary search gives specific answers here).
UNSORTED = {"A1": 1, "B1": "a", "A2": 7, "B2": "b", "A3": 3, "B3": "c", "A4": 9, "B4": "d", "A5": 2, "B5": "e",
            "A6": 8, "B6": "f"}  # fmt: skip
MIXED_KEYS = {"A1": 1, "B1": "one", "A2": "x", "B2": "ex", "A3": 3, "B3": "three", "A4": "y", "B4": "why", "A5": 5,
              "B5": "five"}  # fmt: skip
DESCENDING = {"A1": 50, "A2": 40, "A3": 30, "A4": 20, "A5": 10}
# An Excel table Sales in A1:C5: header row, four records.
SALES = {"A1": "Item", "B1": "Qty", "C1": "Price", "A2": "a", "B2": 2, "C2": 1.5, "A3": "b", "B3": 3, "C3": 2,
         "A4": "c", "B4": 4, "C4": 2.5, "A5": "d", "B5": 1, "C5": 10}  # fmt: skip

_group("refop", [
    ("index_end", "=SUM(A1:INDEX(A1:A5,4))", NUMS),
    ("index_start", "=SUM(INDEX(A1:A5,2):A5)", NUMS),
    ("index_both", "=SUM(INDEX(A1:A5,2):INDEX(A1:A5,4))", NUMS),
    ("offset_end", "=SUM(A1:OFFSET(A1,2,0))", NUMS),
    ("indirect_end", '=SUM(A2:INDIRECT("A4"))', NUMS),
    ("choose_end", "=SUM(A1:CHOOSE(2,A2,A3))", NUMS),
    ("two_d_box", "=SUM(A1:INDEX(A1:C5,2,3))", TABLE),
    ("count", "=COUNT(A1:INDEX(A1:A5,5))", NUMS),
    ("rows", "=ROWS(A2:INDEX(A1:A5,5))", NUMS),
    ("implicit_intersection", "=@A1:INDEX(A1:A5,5)", NUMS, "C3"),
    ("chained_ranges", "=SUM(A1:A2:A4)", NUMS),
    ("union_sum", "=SUM((A1:A2,A4:A5))", NUMS),
    ("union_count", "=COUNT((A1,A3,A5))", NUMS),
    ("union_areas", "=AREAS((A1:A2,A4:A5,C1))", NUMS),
    ("areas_single", "=AREAS(A1:C3)", NUMS),
    ("union_large", "=LARGE((A1:A2,A4:A5),2)", NUMS),
    ("union_index_area", "=INDEX((A1:A2,A4:A5),2,1,2)", NUMS),
    ("union_rows", "=ROWS((A1:A2,A4:A5))", NUMS),
    ("union_max", "=MAX((A1:A2,A4:A5))", NUMS),
    ("intersection_sum", "=SUM(A1:C5 B2:B4)", TABLE),
])

_group("indirect", [
    ("a1", '=INDIRECT("A3")', NUMS),
    ("cell_text", "=INDIRECT(B1)", _with(NUMS, B1="A2")),
    ("concat", '=INDIRECT("A"&B1)', _with(NUMS, B1=4)),
    ("range_sum", '=SUM(INDIRECT("A1:A3"))', NUMS),
    ("absolute", '=INDIRECT("$A$5")', NUMS),
    ("lower_case", '=INDIRECT("a2")', NUMS),
    ("whole_column", '=SUM(INDIRECT("A:A"))', NUMS),
    ("whole_row", '=SUM(INDIRECT("1:1"))', {"A1": 1, "B1": 2, "C1": 3}, "Z9"),
    ("r1c1", '=INDIRECT("R2C1",FALSE)', NUMS),
    ("r1c1_relative", '=INDIRECT("R[-1]C[-25]",FALSE)', NUMS, "Z3"),
    ("r1c1_range", '=SUM(INDIRECT("R1C1:R3C1",FALSE))', NUMS),
    ("r1c1_row", '=SUM(INDIRECT("R1",FALSE))', {"A1": 1, "B1": 2, "C1": 3}, "Z9"),
    ("r1c1_text_in_a1_mode", '=INDIRECT("R1C1")', NUMS),
    ("a1_text_in_r1c1_mode", '=INDIRECT("A1",FALSE)', NUMS),
    ("invalid", '=INDIRECT("foo bar")', NUMS),
    ("empty", '=INDIRECT("")', NUMS),
    ("error_argument", "=INDIRECT(1/0)", NUMS),
    ("number", "=INDIRECT(5)", NUMS),
    ("rows", '=ROWS(INDIRECT("B2:B9"))'),
    ("address_round_trip", "=INDIRECT(ADDRESS(3,1))", NUMS),
    ("leading_zeros", '=INDIRECT("A03")', NUMS),
    ("leading_zero_rows", '=SUM(INDIRECT("02:03"))', NUMS),
])

_group("offset", [
    ("cell", "=OFFSET(A1,2,0)", NUMS),
    ("sum_height", "=SUM(OFFSET(A1,1,0,3))", NUMS),
    ("sum_block", "=SUM(OFFSET(A1,0,0,2,3))", TABLE),
    ("negative_rows", "=OFFSET(A5,-2,0)", NUMS),
    ("negative_height", "=SUM(OFFSET(A5,0,0,-3))", NUMS),
    ("zero_height", "=OFFSET(A1,0,0,0)", NUMS),
    ("off_grid", "=OFFSET(A1,-1,0)", NUMS),
    ("counta", "=COUNTA(OFFSET(A1,0,0,5))", NUMS),
    ("rows", "=ROWS(OFFSET(A1,0,0,4,2))", NUMS),
    ("columns", "=COLUMNS(OFFSET(A1,0,0,4,2))", NUMS),
    ("fraction", "=OFFSET(A1,1.9,0)", NUMS),
    ("count_sized", "=SUM(OFFSET(A1,0,0,COUNT(A:A)))", NUMS),
    ("last_three", "=AVERAGE(OFFSET(A1,COUNT(A1:A5)-3,0,3))", NUMS),
    ("error_argument", "=OFFSET(A1,1/0,0)", NUMS),
    ("empty_height_argument", "=SUM(OFFSET(A1,1,0,,1))", NUMS),
    ("fractional_width", "=SUM(OFFSET(A1,0,0,3,0.9))", NUMS),
    ("fractional_height_truncated", "=SUM(OFFSET(A1,0,0,2.9,1))", NUMS),
])

_group("row", [
    ("no_argument", "=ROW()", {}, "Z7"),
    ("cell", "=ROW(C10)"),
    ("range_first", "=ROW(B3:B9)"),
    ("sumproduct", "=SUMPRODUCT(ROW(A1:A4))"),
    ("whole_column", "=ROW(C:C)"),
    ("rows_range", "=ROWS(A1:C5)"),
    ("rows_array", "=ROWS({1,2;3,4;5,6})"),
    ("rows_whole_column", "=ROWS(A:A)"),
    ("rows_cell", "=ROWS(B7)"),
])

_group("column", [
    ("no_argument", "=COLUMN()"),
    ("cell", "=COLUMN(D4)"),
    ("range_first", "=COLUMN(C1:F1)"),
    ("sumproduct", "=SUMPRODUCT(COLUMN(A1:D1))"),
    ("columns_range", "=COLUMNS(A1:C5)"),
    ("columns_array", "=COLUMNS({1,2,3})"),
    ("columns_whole_row", "=COLUMNS(1:1)"),
])

_group("address", [
    ("absolute", "=ADDRESS(2,3)"),
    ("absolute_row", "=ADDRESS(2,3,2)"),
    ("absolute_column", "=ADDRESS(2,3,3)"),
    ("relative", "=ADDRESS(2,3,4)"),
    ("r1c1", "=ADDRESS(2,3,1,FALSE)"),
    ("r1c1_absolute_row", "=ADDRESS(2,3,2,FALSE)"),
    ("r1c1_absolute_column", "=ADDRESS(2,3,3,FALSE)"),
    ("r1c1_relative", "=ADDRESS(2,3,4,FALSE)"),
    ("sheet", '=ADDRESS(1,1,1,TRUE,"Data")'),
    ("sheet_with_space", '=ADDRESS(1,1,1,TRUE,"My Data")'),
    ("sheet_r1c1", '=ADDRESS(1,1,1,FALSE,"Data")'),
    ("last_column", "=ADDRESS(1,16384)"),
    ("row_zero", "=ADDRESS(0,1)"),
    ("bad_abs", "=ADDRESS(1,1,5)"),
    ("fractions", "=ADDRESS(2.9,3.9)"),
    ("column_too_big", "=ADDRESS(1,16385)"),
])

_group("formulatext", [
    ("basic", "=FORMULATEXT(A1)", {"A1": "=1+2"}),
    ("function", "=FORMULATEXT(A1)", {"A1": "=SUM(B1:B3)"}),
    ("not_formula", "=FORMULATEXT(A1)", {"A1": 5}),
    ("empty", "=FORMULATEXT(B1)"),
    ("range_top_left", "=FORMULATEXT(A1:A2)", {"A1": "=2*3", "A2": "=4"}),
])

_group("hyperlink", [
    ("friendly", '=HYPERLINK("http://example.org","site")'),
    ("link_only", '=HYPERLINK("http://example.org")'),
    ("number_name", '=HYPERLINK("#A1",5)'),
])

_group("getpivotdata", [
    # a cell outside every pivot table: the pivot_table argument names no pivot
    ("not_a_pivot", '=GETPIVOTDATA("Sales",A1)', {"A1": "Sales", "A2": 10}),
])

_group("lookup", [
    ("vector", "=LOOKUP(4,A1:A5,B1:B5)", TABLE),
    ("vector_exact", "=LOOKUP(5,A1:A5,B1:B5)", TABLE),
    ("below_first", "=LOOKUP(0,A1:A5,B1:B5)", TABLE),
    ("above_last", "=LOOKUP(100,A1:A5,B1:B5)", TABLE),
    ("array_tall", "=LOOKUP(4,A1:B5)", TABLE),
    ("array_wide", "=LOOKUP(5,A1:D3)", HTABLE),
    ("text", '=LOOKUP("c",A1:A3,B1:B3)', {"A1": "a", "B1": 1, "A2": "b", "B2": 2, "A3": "d", "B3": 4}),
    ("vector_only", "=LOOKUP(3.5,A1:A5)", TABLE),
    ("last_number", "=LOOKUP(9.99E+307,A1:A5)", MIXED_KEYS),
    ("last_text", '=LOOKUP(REPT("z",255),A1:A5)', MIXED_KEYS),
    ("result_shorter", "=LOOKUP(8,A1:A5,B1:B2)", TABLE),
    ("result_horizontal", "=LOOKUP(3,A1:A5,D1:H1)", _with(TABLE, D1="d", E1="e", F1="f", G1="g", H1="h")),
    ("unsorted", "=LOOKUP(5,A1:A6,B1:B6)", UNSORTED),
    ("vlookup_text_table", '=VLOOKUP("Aranda","Nothing",1)'),
    ("hlookup_text_table", '=HLOOKUP("Aranda","Nothing",1)'),
    ("vlookup_number_table", '=VLOOKUP("Aranda",3,1)'),
    ("vlookup_not_found_before_index", "=VLOOKUP(G1,B1:C1,0)", {"B1": 1, "C1": 0}),
])

_group("approx", [
    ("vlookup_unsorted", "=VLOOKUP(5,A1:B6,2)", UNSORTED),
    ("vlookup_unsorted_big", "=VLOOKUP(8.5,A1:B6,2)", UNSORTED),
    ("vlookup_unsorted_small", "=VLOOKUP(1.5,A1:B6,2)", UNSORTED),
    ("vlookup_mixed_types", "=VLOOKUP(4,A1:B5,2)", MIXED_KEYS),
    ("vlookup_duplicates_last", "=VLOOKUP(2,A1:B4,2)", {"A1": 1, "B1": "a", "A2": 2, "B2": "b", "A3": 2, "B3": "c",
                                                       "A4": 3, "B4": "d"}),
    ("match_unsorted", "=MATCH(5,{1,7,3,9,2,8})"),
    ("match_unsorted_two", "=MATCH(4,{5,1,2,8,3})"),
    ("match_blanks", "=MATCH(25,A1:A8)", {"A1": 10, "A3": 20, "A5": 30, "A8": 40}),
    ("hlookup_unsorted", "=HLOOKUP(5,A1:F2,2)", {"A1": 1, "B1": 7, "C1": 3, "D1": 9, "E1": 2, "F1": 8,
                                                "A2": "a", "B2": "b", "C2": "c", "D2": "d", "E2": "e", "F2": "f"}),
    ("match_descending", "=MATCH(25,A1:A5,-1)", DESCENDING),
    ("match_descending_exact", "=MATCH(30,A1:A5,-1)", DESCENDING),
    ("match_descending_duplicates", "=MATCH(40,{50,40,40,30},-1)"),
    ("match_descending_above", "=MATCH(60,A1:A5,-1)", DESCENDING),
    ("match_descending_below", "=MATCH(5,A1:A5,-1)", DESCENDING),
    ("match_descending_unsorted", "=MATCH(25,{30,10,50,20},-1)"),
    ("match_descending_text", '=MATCH("c",{"z","m","d","b","a"},-1)'),
    ("match_descending_on_ascending", "=MATCH(2,{0,1,2,3,4},-1)"),
    ("match_descending_on_ascending_below", "=MATCH(-1,{0,1,2,3,4},-1)"),
    ("vlookup_blank_lookup", "=VLOOKUP(G1,A1:B5,2)", {"A1": 0, "B1": "a", "A2": 1, "B2": "e", "A3": 2, "B3": "i",
                                                     "A4": 3, "B4": "o", "A5": 4, "B5": "u"}),
    ("match_blank_lookup_descending", "=MATCH(G1,A1:A5,-1)", {"A1": 0, "A2": 1, "A3": 2, "A4": 3, "A5": 4}),
    ("vlookup_unsorted_text", '=VLOOKUP("Manu LD",A1:B8,2,TRUE)', {
        "A1": "Alpine", "B1": 1, "A2": "Aspen", "B2": 2, "A3": "Carlota", "B3": 3, "A4": "Sunshine", "B4": 4,
        "A5": "Bellen", "B5": 5, "A6": "Eagle", "B6": 6, "A7": "Manu LD", "B7": 7, "A8": "Quad", "B8": 8}),
])

_group("xmatch", [
    ("exact", "=XMATCH(30,A1:A5)", NUMS),
    ("next_smaller", "=XMATCH(35,A1:A5,-1)", NUMS),
    ("next_larger", "=XMATCH(35,A1:A5,1)", NUMS),
    ("wildcard", '=XMATCH("b*",A1:A6,2)', WORDS),
    ("last_to_first", '=XMATCH("k",A1:A3,0,-1)', {"A1": "k", "A2": "k", "A3": "z"}),
    ("binary", "=XMATCH(40,A1:A5,0,2)", NUMS),
    ("binary_descending", "=XMATCH(30,A1:A5,0,-2)", DESCENDING),
    ("missing", "=XMATCH(31,A1:A5)", NUMS),
    ("two_dimensional", "=XMATCH(1,A1:B2)", {"A1": 1}),
    ("wildcard_binary", '=XMATCH("b*",A1:A6,2,2)', WORDS),
])

_group("xlookup_modes", [
    ("whole_columns", "=XLOOKUP(3,A:A,B:B)", TABLE),
    ("binary_next_larger", "=XLOOKUP(4,A1:A5,B1:B5,,1,2)", TABLE),
    ("binary_next_smaller", "=XLOOKUP(4,A1:A5,B1:B5,,-1,2)", TABLE),
    ("binary_descending_next_smaller", "=XLOOKUP(35,A1:A5,A1:A5,,-1,-2)", DESCENDING),
    ("last_next_larger", "=XLOOKUP(4,A1:A5,B1:B5,,1,-1)", TABLE),
    ("reference_result", "=SUM(XLOOKUP(2,A1:A5,A1:A5):XLOOKUP(5,A1:A5,A1:A5))", TABLE),
    ("binary_mixed_types", "=XLOOKUP(46523,A1:A6,B1:B6,0,1,2)", {
        "A1": 9700, "B1": 0.1, "A2": "xyz", "B2": 0.22, "A3": "xyz", "B3": 0.24, "A4": 160726, "B4": 0.32,
        "A5": 204100, "B5": 0.35, "A6": 510300, "B6": 0.37}),
    ("blank_lookup_finds_blank", '=XLOOKUP(G1,A1:A4,B1:B4,"none")', {"A1": 1, "B1": "x", "A3": 3, "B3": "y",
                                                                     "A4": 4, "B4": "z", "B2": "blank"}),
    ("binary_duplicates_first", "=XLOOKUP(5,A1:A13,B1:B13,,0,2)", {
        **{f"A{i + 1}": n for i, n in enumerate([1, 2, 3, 4, 5, 5, 5, 6, 7, 7, 7, 8, 9])},
        **{f"B{i + 1}": t for i, t in enumerate("abcdefghijklm")}}),
    ("binary_descending_duplicates_last", "=XLOOKUP(7,A1:A13,B1:B13,,0,-2)", {
        **{f"A{i + 1}": n for i, n in enumerate([9, 8, 7, 7, 7, 6, 5, 5, 5, 4, 3, 2, 1])},
        **{f"B{i + 1}": t for i, t in enumerate("abcdefghijklm")}}),
])

_group("index_reference", [
    ("whole_column_in_its_row", "=@INDEX(A1:C5,0,2)", TABLE, "Z3"),
    ("whole_row_sum", "=SUM(INDEX(A1:C5,2,0))", TABLE),
    ("empty_cell_row_is_whole_column", "=SUM(INDEX(A1:C5,G1,1))", TABLE),
    ("area_two", "=SUM(INDEX((A1:A5,C1:C5),0,1,2))", TABLE),
    ("area_beyond", "=INDEX((A1:A5,C1:C5),1,1,3)", TABLE),
])

_named("name", [
    ("constant", "=Rate*100"),
    ("range_sum", "=SUM(Data)", NUMS),
    ("cell", "=Price*2", NUMS),
    ("formula", "=Total/2", NUMS),
    ("nested", "=Gross", NUMS),
    ("relative", "=RowA", NUMS, "Z3"),
    ("dots", "=my.rate*10"),
    ("underscore", "=_total+1"),
    ("unknown", "=NoSuchName"),
    ("countif", '=COUNTIF(Data,">25")', NUMS),
    ("vlookup", "=VLOOKUP(5,Tbl,2,FALSE)", TABLE),
    ("array", "=SUM(Arr)"),
    ("text", '=Greeting&"!"'),
    ("union", "=SUM(Multi)", NUMS),
    ("range_operator", "=SUM(First:Last)", NUMS),
    ("intersection", "=ColB RowThree", TABLE),
    ("indirect", '=INDIRECT("Price")*3', NUMS),
    ("rows", "=ROWS(Data)", NUMS),
    ("index", "=INDEX(Data,4)", NUMS),
    ("case_insensitive", "=RATE*2"),
    ("offset", "=SUM(OFFSET(Data,1,0,2))", NUMS),
    ("dynamic_range", "=SUM(Dyn)", NUMS),
], names={
    "Rate": "=0.05", "Data": "=$A$1:$A$5", "Price": "=$A$2", "Total": "=SUM($A$1:$A$5)", "Net": "=$A$1",
    "Gross": "=Net*(1+Half)", "Half": "=0.5", "RowA": "=$A1", "my.rate": "=0.3", "_total": "=5",
    "Tbl": "=$A$1:$C$5", "Arr": "={1,2,3}", "Greeting": '="hi"', "Multi": "=$A$1:$A$2,$A$4:$A$5", "First": "=$A$2",
    "Last": "=$A$4", "ColB": "=$B$1:$B$5", "RowThree": "=$A$3:$C$3", "Dyn": "=OFFSET($A$1,0,0,COUNT($A:$A),1)",
})

_named("table", [
    ("column_sum", "=SUM(Sales[Qty])", SALES),
    ("this_row", "=Sales[[#This Row],[Price]]", SALES, "E3"),
    ("at_column", "=Sales[@Qty]*2", SALES, "E4"),
    ("at_all_columns", "=COUNTA(Sales[@])", SALES, "E3"),
    ("this_row_outside", "=Sales[@Qty]", SALES, "E9"),
    ("headers", "=COUNTA(Sales[#Headers])", SALES),
    ("header_cell", "=Sales[[#Headers],[Price]]", SALES),
    ("all_rows", "=ROWS(Sales[#All])", SALES),
    ("data_rows", "=ROWS(Sales[#Data])", SALES),
    ("bare_name", "=ROWS(Sales)", SALES),
    ("empty_brackets", "=ROWS(Sales[])", SALES),
    ("column_span", "=SUM(Sales[[Qty]:[Price]])", SALES),
    ("headers_and_data", "=COUNTA(Sales[[#Headers],[#Data],[Item]])", SALES),
    ("vlookup", '=VLOOKUP("b",Sales,3,FALSE)', SALES),
    ("index_match", '=INDEX(Sales[Price],MATCH("c",Sales[Item],0))', SALES),
    ("countif", '=COUNTIF(Sales[Qty],">2")', SALES),
    ("sumproduct", "=SUMPRODUCT(Sales[Qty],Sales[Price])", SALES),
    ("indirect", '=SUM(INDIRECT("Sales[Qty]"))', SALES),
], tables=(TableSpec("Sales", "A1:C5"),))

_named("table_calc", [
    ("unqualified_column", "=SUM([Qty])", _with(SALES, D1="Total"), "D2"),
], tables=(TableSpec("Calc", "A1:D5"),))

_named("table_totals", [
    ("totals_cell", "=Tot[[#Totals],[Qty]]*2", _with(SALES, A6="Total", B6="=SUM(Tot[Qty])")),
    ("totals_row", "=SUM(Tot[#Totals])", _with(SALES, A6="Total", B6="=SUM(Tot[Qty])", C6=7)),
    ("data_and_totals", "=COUNT(Tot[[#Data],[#Totals],[Qty]])", _with(SALES, A6="Total", B6="=SUM(Tot[Qty])")),
    ("all_with_totals", "=ROWS(Tot[#All])", _with(SALES, A6="Total", B6="=SUM(Tot[Qty])")),
], tables=(TableSpec("Tot", "A1:C6", totals=True),))

_named("table_names", [
    ("column_with_space", "=SUM(Sp[Unit Price])", {"A1": "Item", "B1": "Unit Price", "A2": "a", "B2": 3, "A3": "b",
                                                   "B3": 4}),
    ("escaped_bracket", "=SUM(Sp[Price'[EUR']])", {"A1": "Item", "B1": "Price[EUR]", "A2": "a", "B2": 3, "A3": "b",
                                                  "B3": 4}),
], tables=(TableSpec("Sp", "A1:B3"),))
# ---------------------------------------------------------------------------------------------------------------
# Number formats: the TEXT function over Excel's whole format language (sections, conditions, literals, digit
# placeholders, commas, scientific notation, fractions, General, dates and times, elapsed time, language codes,
# codes Excel rejects). Cell display uses the same renderer.
# ---------------------------------------------------------------------------------------------------------------

_group("numfmt", [
    # sections and signs
    ("neg_rounds_to_zero", '=TEXT(-0.001,"0.00")'),
    ("neg_third_to_zero", '=TEXT(-1/3,"0")'),
    ("neg_third_decimals", '=TEXT(-1/3,"0.00")'),
    ("neg_zero_two_sections", '=TEXT(-0.001,"0.00;(0.00)")'),
    ("neg_second_section", '=TEXT(-5,"0;(0)")'),
    ("zero_third_section", '=TEXT(0,"0;-0;""zero""")'),
    ("negative_empty_section", '=TEXT(-5,"0;;")'),
    ("zero_empty_section", '=TEXT(0,"0;-0;")'),
    ("hide_numbers", '=TEXT(5,";;;")'),
    ("hide_text", '=TEXT("abc",";;;")'),
    ("empty_code_negative", '=TEXT(-1,"")'),
    ("empty_code_positive", '=TEXT(1,"")'),
    ("empty_code_text", '=TEXT("abc","")'),
    ("literal_section_negative", '=TEXT(-1,"w;x@")'),
    ("third_section_text", '=TEXT(-1,"w;x;z@")'),
    ("third_section_zero", '=TEXT(0,"w;x;z@")'),
    ("text_section", '=TEXT("abc","0;0;0;""<""@"">""")'),
    ("text_twice", '=TEXT("ab","@@")'),
    ("text_literal_section", '=TEXT("abc","0;0;0;""fixed""")'),
    ("number_with_at_only", '=TEXT(1.5,"@")'),
    ("bool_plain", '=TEXT(FALSE,"0.00")'),
    ("bool_text_section", '=TEXT(TRUE,";;;""hi""")'),
    ("condition_true", '=TEXT(150,"[>=100]""big"";""small""")'),
    ("condition_false", '=TEXT(50,"[>=100]""big"";""small""")'),
    ("two_conditions_mid", '=TEXT(12,"[<10]""low"";[<100]""mid"";""high""")'),
    ("two_conditions_else", '=TEXT(1000,"[<10]""low"";[<100]""mid"";""high""")'),
    ("condition_negative_threshold", '=TEXT(-11,"[<-10]0"" low""")'),
    ("condition_spaces", '=TEXT(5,"[<= 10]0"" small"";0")'),
    ("colour_ignored", '=TEXT(-5,"0.0;[Red]-0.0")'),
    ("colour_index", '=TEXT(5,"[Color10]0")'),
    # literals
    ("quoted", '=TEXT(5,"""Total: ""0")'),
    ("escaped", '=TEXT(5,"0\\k")'),
    ("padding", '=TEXT(5,"0_)")'),
    ("padding_negative", '=TEXT(-5,"#,##0.00_);(#,##0.00)")'),
    ("fill", '=TEXT(5,"$* #,##0")'),
    ("accounting_zero", '=TEXT(0,"_(""$""* #,##0.00_);_(""$""* (#,##0.00);_(""$""* ""-""??_);_(@_)")'),
    ("dollar_literal", '=TEXT(-1234.5,"$#,##0.00")'),
    ("currency_tag", '=TEXT(1234.5,"[$€-407]#,##0.00")'),
    ("currency_after", '=TEXT(1234.5,"#,##0.00 [$€-40C]")'),
    # digit placeholders and rounding
    ("round_1005", '=TEXT(1.005,"0.00")'),
    ("round_2675", '=TEXT(2.675,"0.00")'),
    ("round_half_negative", '=TEXT(-2.5,"0")'),
    ("hash_zero", '=TEXT(0,"#")'),
    ("hash_point", '=TEXT(12,"#.##")'),
    ("hash_optional", '=TEXT(12.3,"0.0#")'),
    ("question_pad", '=TEXT(5,"??0.0?")'),
    ("leading_point", '=TEXT(1234.56,".##")'),
    ("leading_point_small", '=TEXT(0.56,".##")'),
    ("many_points", '=TEXT(12.3456789,"00.00.00.000")'),
    ("hash_after_zero", '=TEXT(890123.456789,"#.#####00#0")'),
    ("zero_pad", '=TEXT(42,"00000")'),
    ("ssn", '=TEXT(123456789,"000-00-0000")'),
    ("phone", '=TEXT(5551234,"(###) ###-####")'),
    ("big_integer", '=TEXT(123456789012345678,"0")'),
    ("tiny_decimals", '=TEXT(0.000000001234,"0.000")'),
    # commas and percent
    ("thousands", '=TEXT(1234567.891,"#,##0.00")'),
    ("thousands_padded", '=TEXT(5,"0,000")'),
    ("scale_thousand", '=TEXT(1234567,"0,")'),
    ("scale_million", '=TEXT(1234567,"#,##0,,""M""")'),
    ("scale_after_decimals", '=TEXT(1234567,"0.0,,")'),
    ("question_grouping", '=TEXT(1234567,"?,?????????")'),
    ("literal_comma_first", '=TEXT(1234567,",0")'),
    ("comma_after_literal", '=TEXT(890123.456789,"#x,0,#.00.0")'),
    ("grouping_with_literals", '=TEXT(1234567.89,"#,#""ZZ""#.0""YY""00")'),
    ("percent", '=TEXT(0.256,"0.0%")'),
    ("percent_many", '=TEXT(890123.456789,"%#%#%")'),
    # scientific
    ("sci_large", '=TEXT(12345.678,"0.00E+00")'),
    ("sci_small", '=TEXT(0.000123,"0.00E+00")'),
    ("sci_negative", '=TEXT(-12345.678,"0.00E+00")'),
    ("sci_minus_sign_code", '=TEXT(12345,"0.00E-00")'),
    ("sci_lower_e", '=TEXT(12345,"0.00e+00")'),
    ("sci_carry", '=TEXT(9.9999,"0.00E+00")'),
    ("sci_engineering", '=TEXT(12345,"##0.0E+0")'),
    ("sci_engineering_small", '=TEXT(0.00012345,"##0.00E+0")'),
    ("sci_zero", '=TEXT(0,"0.00E+00")'),
    ("sci_huge", '=TEXT(1.5E+300,"0.0E+0")'),
    # fractions
    ("fraction_half", '=TEXT(0.5,"# ?/?")'),
    ("fraction_mixed", '=TEXT(1.25,"# ?/?")'),
    ("fraction_whole", '=TEXT(1,"# ?/?")'),
    ("fraction_zero", '=TEXT(0,"# ?/?")'),
    ("fraction_pi", '=TEXT(3.14159,"# ??/??")'),
    ("fraction_three_digits", '=TEXT(12.3456789,"# ???/???")'),
    ("fraction_improper", '=TEXT(2.5,"?/?")'),
    ("fraction_fixed_quarters", '=TEXT(0.75,"?/4")'),
    ("fraction_fixed_hundredths", '=TEXT(12.3456789,"# ??/100")'),
    ("fraction_fixed_sixteenths", '=TEXT(12.3456789,"# ??/16")'),
    ("fraction_negative", '=TEXT(-1.25,"# ?/?")'),
    # General
    ("general_third", '=TEXT(1/3,"General")'),
    ("general_negative_third", '=TEXT(-1/3,"General")'),
    ("general_ten_digits", '=TEXT(1.2345678912,"General")'),
    ("general_eleven_digits", '=TEXT(12345678901.2,"General")'),
    ("general_1e11", '=TEXT(100000000000,"General")'),
    ("general_twelve_digits", '=TEXT(123456789012,"General")'),
    ("general_small_positional", '=TEXT(0.000123456789,"General")'),
    ("general_small_scientific", '=TEXT(0.00000000011,"General")'),
    ("general_1e9", '=TEXT(0.000000001,"General")'),
    ("general_2_5e9", '=TEXT(0.0000000025,"General")'),
    ("general_float_noise", '=TEXT(0.1+0.2,"General")'),
    ("general_in_section", '=TEXT(-5,"""Qty: ""General")'),
    # dates and times
    ("date_days", '=TEXT(DATE(2024,1,31),"d dd ddd dddd")'),
    ("date_months", '=TEXT(DATE(2024,1,31),"m mm mmm mmmm mmmmm")'),
    ("date_years", '=TEXT(DATE(2024,1,31),"yy yyyy")'),
    ("date_year_three", '=TEXT(DATE(2024,1,31),"yyy")'),
    ("date_long_codes", '=TEXT(DATE(2012,9,29),"ddddd/mmmmm/yyyyy")'),
    ("date_serial_one", '=TEXT(1,"dddd")'),
    ("date_serial_zero", '=TEXT(0,"yyyy-mm-dd")'),
    ("date_serial_sixty", '=TEXT(60,"yyyy-mm-dd")'),
    ("date_last", '=TEXT(2958465,"yyyy-mm-dd")'),
    ("date_past_last", '=TEXT(2958466,"yyyy")'),
    ("date_negative", '=TEXT(-1,"yyyy-mm-dd")'),
    ("date_text_value", '=TEXT("2024-01-31","dddd")'),
    ("time_24h", '=TEXT(TIME(14,35,27),"h:mm:ss")'),
    ("time_ampm_upper", '=TEXT(TIME(14,35,27),"hh:mm AM/PM")'),
    ("time_ampm_lower", '=TEXT(TIME(14,35,27),"h:mm am/pm")'),
    ("time_ap_lower", '=TEXT(TIME(14,35,27),"h:mm a/p")'),
    ("time_ap_upper", '=TEXT(TIME(14,35,27),"h:mm A/P")'),
    ("time_noon", '=TEXT(0.5,"h AM/PM")'),
    ("time_midnight", '=TEXT(0,"h:mm AM/PM")'),
    ("minutes_after_hours", '=TEXT(TIME(14,5,7),"h:m")'),
    ("minutes_before_seconds", '=TEXT(TIME(14,5,7),"m:ss")'),
    ("month_not_minutes", '=TEXT(DATE(2024,1,31)+TIME(14,5,7),"h mmm")'),
    ("time_hundredths", '=TEXT(0.5123456,"hh:mm:ss.00")'),
    ("time_milliseconds", '=TEXT(1.0032134017094,"hh:mm:ss.000")'),
    ("time_rounds_to_second", '=TEXT(0.0006944,"mm:ss")'),
    ("time_carries_to_next_day", '=TEXT(45322.999999,"yyyy-mm-dd hh:mm")'),
    ("elapsed_hours", '=TEXT(1.5,"[h]:mm")'),
    ("elapsed_minutes", '=TEXT(1.5,"[mm]:ss")'),
    ("elapsed_seconds", '=TEXT(1.5,"[ss]")'),
    ("elapsed_fraction", '=TEXT(3.14159,"[h]:mm:ss.0")'),
    ("elapsed_negative", '=TEXT(-1,"[h]")'),
    ("elapsed_negative_with_minutes", '=TEXT(-1,"[h]:mm")'),
    ("elapsed_past_last_date", '=TEXT(2958465,"[hh]")'),
    ("time_text_overflow", '=TEXT("0:0:9999","#.#####")'),
    ("time_text_minutes_seconds", '=TEXT("23:59.012345","#.#######")'),
    # language and calendar codes
    ("lang_english", '=TEXT(DATE(2024,1,31),"[$-409]mmmm d, yyyy")'),
    ("lang_german", '=TEXT(DATE(2024,3,4),"[$-407]dddd, d. mmmm yyyy")'),
    ("lang_german_short", '=TEXT(DATE(2024,3,4),"[$-407]ddd mmm")'),
    ("lang_french", '=TEXT(DATE(2024,2,7),"[$-40C]dddd d mmmm yyyy")'),
    ("lang_french_short", '=TEXT(DATE(2024,2,7),"[$-40C]ddd mmm")'),
    ("lang_spanish", '=TEXT(DATE(2024,9,4),"[$-C0A]dddd d mmmm")'),
    ("lang_italian", '=TEXT(DATE(2024,5,6),"[$-410]dddd d mmmm")'),
    ("lang_portuguese", '=TEXT(DATE(2024,3,6),"[$-416]dddd, d mmmm")'),
    ("lang_dutch", '=TEXT(DATE(2024,3,4),"[$-413]dddd d mmm")'),
    ("lang_chinese", '=TEXT(DATE(2024,9,4),"[$-804]mmmm dddd")'),
    ("lang_chinese_short", '=TEXT(DATE(2024,9,4),"[$-804]mmm ddd")'),
    ("lang_japanese", '=TEXT(DATE(2024,9,4),"[$-411]mmmm dddd")'),
    ("lang_korean", '=TEXT(DATE(2024,9,4),"[$-412]mmmm dddd")'),
    ("lang_chinese_ampm", '=TEXT(0.75,"[$-804]AM/PM h:mm")'),
    ("system_long_date", '=TEXT(DATE(2024,1,5),"[$-F800]dddd, mmmm dd, yyyy")'),
    ("system_time", '=TEXT(TIME(14,35,27),"[$-F400]h:mm:ss AM/PM")'),
    ("dbnum_chinese", '=TEXT(12,"[DBNum1][$-804]General")'),
    ("dbnum_financial", '=TEXT(20005,"[DBNum2][$-804]General")'),
    ("thai_digits", '=TEXT(DATE(2024,1,31),"[$-D00041E]d/m/yyyy")'),
    ("thai_buddhist_year", '=TEXT(DATE(2024,1,31),"[$-D07041E]yyyy")'),
    # codes Excel rejects
    ("reject_date_with_digits", '=TEXT(41181,"mm###")'),
    ("reject_year_in_number", '=TEXT(5,"#,#""ZZ""#.0Y00")'),
    ("reject_at_with_digits", '=TEXT(5,"#,#""ZZ""#.0""YY""00@")'),
    ("reject_five_sections", '=TEXT(5,"0;0;0;@;0")'),
    ("reject_at_not_last", '=TEXT("X",";-  ##.0;""ZERO""@;""X""")'),
    ("reject_unknown_colour", '=TEXT(5,"[Purple]0")'),
    ("reject_unclosed_quote", '=TEXT(5,"0""x")'),
])

# ===============================================================================================================
# Dates: week numbers, year fractions, 360-day counts, working days, date text
# ===============================================================================================================

# Holidays for the working-day cases: 2024-01-01 (Mon), 2024-01-15 (Mon), 2024-01-20 (Sat), 2024-01-15 again.
HOLIDAYS = {"H1": "=DATE(2024,1,1)", "H2": "=DATE(2024,1,15)", "H3": "=DATE(2024,1,20)", "H4": "=DATE(2024,1,15)"}

_group("weeknum", [
    ("default_type", "=WEEKNUM(DATE(2024,3,9))"),
    ("type1_jan1", "=WEEKNUM(DATE(2023,1,1),1)"),
    ("type2_jan1_sunday", "=WEEKNUM(DATE(2023,1,1),2)"),
    ("type2_jan2", "=WEEKNUM(DATE(2023,1,2),2)"),
    ("type11", "=WEEKNUM(DATE(2024,6,30),11)"),
    ("type12", "=WEEKNUM(DATE(2024,6,30),12)"),
    ("type13", "=WEEKNUM(DATE(2024,6,30),13)"),
    ("type14", "=WEEKNUM(DATE(2024,6,30),14)"),
    ("type15", "=WEEKNUM(DATE(2024,6,30),15)"),
    ("type16", "=WEEKNUM(DATE(2024,6,30),16)"),
    ("type17", "=WEEKNUM(DATE(2024,6,30),17)"),
    ("type21_iso", "=WEEKNUM(DATE(2021,1,3),21)"),
    ("type21_midyear", "=WEEKNUM(DATE(2024,6,30),21)"),
    ("dec31_53", "=WEEKNUM(DATE(2021,12,31))"),
    ("dec31_54", "=WEEKNUM(DATE(2000,12,31))"),
    ("serial", "=WEEKNUM(44561,11)"),
    ("date_text", '=WEEKNUM("2024-06-15")'),
    ("cell", "=WEEKNUM(A1,2)", {"A1": 45500}),
    ("fraction_of_day", "=WEEKNUM(45500.75)"),
    ("bad_type", "=WEEKNUM(45000,3)"),
    ("bad_text", '=WEEKNUM("soon")'),
    ("type_text_number", '=WEEKNUM(45000,"2")'),
])

_group("isoweeknum", [
    ("jan3_2021", "=ISOWEEKNUM(DATE(2021,1,3))"),
    ("jan4_2021", "=ISOWEEKNUM(DATE(2021,1,4))"),
    ("dec30_2024", "=ISOWEEKNUM(DATE(2024,12,30))"),
    ("dec31_2026", "=ISOWEEKNUM(DATE(2026,12,31))"),
    ("midyear", "=ISOWEEKNUM(DATE(2012,3,9))"),
    ("leap_end", "=ISOWEEKNUM(DATE(2020,12,31))"),
    ("text", '=ISOWEEKNUM("2015-12-28")'),
    ("error", "=ISOWEEKNUM(1/0)"),
])

_group("yearfrac", [
    ("doc_basis0", "=YEARFRAC(DATE(2012,1,1),DATE(2012,7,30))"),
    ("doc_basis1", "=YEARFRAC(DATE(2012,1,1),DATE(2012,7,30),1)"),
    ("doc_basis3", "=YEARFRAC(DATE(2012,1,1),DATE(2012,7,30),3)"),
    ("basis2", "=YEARFRAC(DATE(2023,3,15),DATE(2024,9,2),2)"),
    ("basis4", "=YEARFRAC(DATE(2023,1,31),DATE(2023,3,31),4)"),
    ("basis0_31st", "=YEARFRAC(DATE(2023,1,31),DATE(2023,3,31),0)"),
    ("basis0_start_31_end_30", "=YEARFRAC(DATE(2023,3,31),DATE(2023,4,30),0)"),
    ("basis0_end_31_start_15", "=YEARFRAC(DATE(2023,3,15),DATE(2023,5,31),0)"),
    ("basis1_leap_year", "=YEARFRAC(DATE(2024,1,1),DATE(2024,12,31),1)"),
    ("basis1_across_feb29", "=YEARFRAC(DATE(2023,6,1),DATE(2024,3,1),1)"),
    ("basis1_not_leap", "=YEARFRAC(DATE(2022,6,1),DATE(2023,3,1),1)"),
    ("basis1_multi_year", "=YEARFRAC(DATE(2010,3,4),DATE(2016,1,1),1)"),
    ("basis1_exact_year", "=YEARFRAC(DATE(2023,3,1),DATE(2024,3,1),1)"),
    ("basis1_ends_feb29", "=YEARFRAC(DATE(2023,5,1),DATE(2024,2,29),1)"),
    ("reversed", "=YEARFRAC(DATE(2024,7,30),DATE(2024,1,1),1)"),
    ("same_day", "=YEARFRAC(45000,45000,1)"),
    ("basis_truncated", "=YEARFRAC(DATE(2012,1,1),DATE(2012,7,30),3.9)"),
    ("basis_bad", "=YEARFRAC(DATE(2012,1,1),DATE(2012,7,30),5)"),
    ("basis_negative", "=YEARFRAC(DATE(2012,1,1),DATE(2012,7,30),-1)"),
    ("text_dates", '=YEARFRAC("2020-01-01","2021-07-01",3)'),
    ("time_ignored", "=YEARFRAC(45000.9,45100.1,2)"),
    ("cells", "=YEARFRAC(A1,A2,A3)", {"A1": 40000, "A2": 42000, "A3": 1}),
    ("negative_date", "=YEARFRAC(-1,45000)"),
    ("bad_text", '=YEARFRAC("x",45000)'),
])

_group("days360", [
    ("us_doc", "=DAYS360(DATE(2011,1,30),DATE(2011,12,31))"),
    ("eu_doc", "=DAYS360(DATE(2011,1,30),DATE(2011,12,31),TRUE)"),
    ("us_start_31", "=DAYS360(DATE(2023,1,31),DATE(2023,3,31))"),
    ("us_end_31_start_15", "=DAYS360(DATE(2023,1,15),DATE(2023,3,31))"),
    ("eu_both_31", "=DAYS360(DATE(2023,1,31),DATE(2023,3,31),TRUE)"),
    ("us_start_feb_end", "=DAYS360(DATE(2023,2,28),DATE(2023,3,31))"),
    ("us_leap_feb", "=DAYS360(DATE(2024,2,29),DATE(2024,4,15))"),
    ("us_end_feb", "=DAYS360(DATE(2023,1,15),DATE(2023,2,28))"),
    ("eu_feb", "=DAYS360(DATE(2023,2,28),DATE(2023,3,31),TRUE)"),
    ("reversed_us", "=DAYS360(DATE(2023,12,31),DATE(2023,1,1))"),
    ("reversed_eu", "=DAYS360(DATE(2023,12,31),DATE(2023,1,1),TRUE)"),
    ("method_number", "=DAYS360(DATE(2023,1,31),DATE(2023,3,31),1)"),
    ("years", "=DAYS360(DATE(2000,5,17),DATE(2024,8,9))"),
    ("text", '=DAYS360("2023-01-01","2023-12-31")'),
])

_group("networkdays", [
    ("basic", "=NETWORKDAYS(DATE(2024,1,1),DATE(2024,1,31))"),
    ("doc", "=NETWORKDAYS(DATE(2012,10,1),DATE(2013,3,1),A1:A3)",
     {"A1": "=DATE(2012,11,22)", "A2": "=DATE(2012,12,4)", "A3": "=DATE(2013,1,21)"}),
    ("holidays_dedup_weekend", "=NETWORKDAYS(DATE(2024,1,1),DATE(2024,1,31),H1:H4)", HOLIDAYS),
    ("reversed", "=NETWORKDAYS(DATE(2024,1,31),DATE(2024,1,1))"),
    ("same_weekend_day", "=NETWORKDAYS(DATE(2024,1,6),DATE(2024,1,6))"),
    ("same_workday", "=NETWORKDAYS(DATE(2024,1,8),DATE(2024,1,8))"),
    ("long_span", "=NETWORKDAYS(DATE(2000,1,1),DATE(2030,12,31))"),
    ("holiday_array", "=NETWORKDAYS(DATE(2024,1,1),DATE(2024,1,31),{45292,45306})"),
    ("holiday_outside", "=NETWORKDAYS(DATE(2024,1,1),DATE(2024,1,31),DATE(2024,2,1))"),
    ("text_dates", '=NETWORKDAYS("2024-01-01","2024-01-31")'),
    ("holiday_error", "=NETWORKDAYS(DATE(2024,1,1),DATE(2024,1,31),A1:A2)", {"A1": "=1/0", "A2": 45306}),
])

_group("networkdaysintl", [
    ("default", "=NETWORKDAYS.INTL(DATE(2024,1,1),DATE(2024,1,31))"),
    ("code1", "=NETWORKDAYS.INTL(DATE(2024,1,1),DATE(2024,1,31),1)"),
    ("code2", "=NETWORKDAYS.INTL(DATE(2024,1,1),DATE(2024,1,31),2)"),
    ("code3", "=NETWORKDAYS.INTL(DATE(2024,1,1),DATE(2024,1,31),3)"),
    ("code4", "=NETWORKDAYS.INTL(DATE(2024,1,1),DATE(2024,1,31),4)"),
    ("code5", "=NETWORKDAYS.INTL(DATE(2024,1,1),DATE(2024,1,31),5)"),
    ("code6", "=NETWORKDAYS.INTL(DATE(2024,1,1),DATE(2024,1,31),6)"),
    ("code7", "=NETWORKDAYS.INTL(DATE(2024,1,1),DATE(2024,1,31),7)"),
    ("code11", "=NETWORKDAYS.INTL(DATE(2024,1,1),DATE(2024,1,31),11)"),
    ("code12", "=NETWORKDAYS.INTL(DATE(2024,1,1),DATE(2024,1,31),12)"),
    ("code13", "=NETWORKDAYS.INTL(DATE(2024,1,1),DATE(2024,1,31),13)"),
    ("code14", "=NETWORKDAYS.INTL(DATE(2024,1,1),DATE(2024,1,31),14)"),
    ("code15", "=NETWORKDAYS.INTL(DATE(2024,1,1),DATE(2024,1,31),15)"),
    ("code16", "=NETWORKDAYS.INTL(DATE(2024,1,1),DATE(2024,1,31),16)"),
    ("code17", "=NETWORKDAYS.INTL(DATE(2024,1,1),DATE(2024,1,31),17)"),
    ("mask", '=NETWORKDAYS.INTL(DATE(2024,1,1),DATE(2024,1,31),"0010001")'),
    ("mask_all_work", '=NETWORKDAYS.INTL(DATE(2024,1,1),DATE(2024,1,31),"0000000")'),
    ("mask_all_weekend", '=NETWORKDAYS.INTL(DATE(2024,1,1),DATE(2024,1,31),"1111111")'),
    ("doc_reversed", "=NETWORKDAYS.INTL(DATE(2006,2,28),DATE(2006,1,31))"),
    ("doc_code7_holidays", '=NETWORKDAYS.INTL(DATE(2006,1,1),DATE(2006,2,1),7,{"2006/1/2","2006/1/16"})'),
    ("holidays_range", "=NETWORKDAYS.INTL(DATE(2024,1,1),DATE(2024,1,31),11,H1:H4)", HOLIDAYS),
    ("bad_code", "=NETWORKDAYS.INTL(DATE(2024,1,1),DATE(2024,1,31),8)"),
    ("bad_mask_length", '=NETWORKDAYS.INTL(DATE(2024,1,1),DATE(2024,1,31),"00011")'),
    ("bad_mask_char", '=NETWORKDAYS.INTL(DATE(2024,1,1),DATE(2024,1,31),"0000012")'),
])

_group("workday", [
    ("doc", "=WORKDAY(DATE(2008,10,1),151)"),
    ("doc_holidays", "=WORKDAY(DATE(2008,10,1),151,A1:A3)",
     {"A1": "=DATE(2008,11,26)", "A2": "=DATE(2008,12,4)", "A3": "=DATE(2009,1,21)"}),
    ("backwards", "=WORKDAY(DATE(2024,1,31),-10)"),
    ("backwards_holidays", "=WORKDAY(DATE(2024,1,31),-22,H1:H4)", HOLIDAYS),
    ("zero", "=WORKDAY(DATE(2024,1,6),0)"),
    ("from_weekend", "=WORKDAY(DATE(2024,1,6),1)"),
    ("friday_plus_one", "=WORKDAY(DATE(2024,1,5),1)"),
    ("fraction_days", "=WORKDAY(DATE(2024,1,5),2.9)"),
    ("many", "=WORKDAY(DATE(2000,1,3),5000)"),
    ("text_start", '=WORKDAY("2024-01-05",3)'),
    ("bad_start", '=WORKDAY("x",3)'),
])

_group("workdayintl", [
    ("doc_code0", "=WORKDAY.INTL(DATE(2012,1,1),30,0)"),
    ("doc_code17", "=WORKDAY.INTL(DATE(2012,1,1),90,11)"),
    ("doc_code17b", "=WORKDAY.INTL(DATE(2012,1,1),30,17)"),
    ("mask", '=WORKDAY.INTL(DATE(2024,1,1),10,"0000111")'),
    ("mask_backwards", '=WORKDAY.INTL(DATE(2024,1,31),-10,"1000001")'),
    ("code7_holidays", "=WORKDAY.INTL(DATE(2024,1,1),15,7,H1:H4)", HOLIDAYS),
    ("all_weekend", '=WORKDAY.INTL(DATE(2024,1,1),5,"1111111")'),
    ("code2", "=WORKDAY.INTL(DATE(2024,1,1),5,2)"),
    ("bad_mask", '=WORKDAY.INTL(DATE(2024,1,1),5,"abc")'),
])

_group("datetext", [
    ("datevalue_slashes_iso", '=DATEVALUE("2024/01/31")'),
    ("datevalue_day_month_name", '=DATEVALUE("31 January 2024")'),
    ("datevalue_month_name_first", '=DATEVALUE("January 31, 2024")'),
    ("datevalue_abbrev", '=DATEVALUE("31-Jan-2024")'),
    ("datevalue_two_digit_year", '=DATEVALUE("1/31/24")'),
    ("datevalue_month_year", '=DATEVALUE("Feb 2024")'),
    ("datevalue_with_time", '=DATEVALUE("2024-01-31 18:00")'),
    ("timevalue_pm", '=TIMEVALUE("1:30 PM")'),
    ("timevalue_seconds", '=TIMEVALUE("13:45:30")'),
    ("timevalue_12am", '=TIMEVALUE("12:00 AM")'),
    ("timevalue_with_date", '=TIMEVALUE("2024-01-31 06:00")'),
    ("timevalue_fraction_seconds", '=TIMEVALUE("10:20:30.5")'),
    ("days_doc", '=DAYS("2021-03-15","2021-02-01")'),
    ("time_parts", '=HOUR(0.75)+MINUTE("12:45:30")+SECOND(TIME(1,2,3))'),
    ("time_rollover", "=TIME(25,70,-5)"),
    ("now_is_recent", "=NOW()>45292"),
])

# Behaviours measured on workbooks Excel calculated (the values Excel cached), beyond the documentation.
_group("critfix", [
    ("ne_number_counts_numeric_text", '=COUNTIF(A1:A7,"<>23")',
     {"A1": 23, "A2": "23", "A3": True, "A4": 1, "A5": -23, "A6": "hey", "A7": False}),
    ("eq_number_matches_numeric_text", "=COUNTIF(A1:A7,23)",
     {"A1": 23, "A2": "23", "A3": True, "A4": 1, "A5": -23, "A6": "hey", "A7": False}),
    ("error_criterion", "=COUNTIF(A1:A4,1/0)", {"A1": "=1/0", "A2": "=1/0", "A3": "=NA()", "A4": 1}),
    ("error_criterion_cell", "=COUNTIF(A1:A4,B1)", {"A1": "=1/0", "A2": "=1/0", "A3": "=NA()", "A4": 1, "B1": "=NA()"}),
    ("countifs_error_criterion", "=COUNTIFS(A1:A4,B1,C1:C4,\">0\")",
     {"A1": "=NA()", "A2": "=NA()", "A3": 1, "B1": "=NA()", "C1": 1, "C2": 0, "C3": 1}),
    ("averageif_error_criterion", "=AVERAGEIF(A1:A3,NA(),B1:B3)", {"A1": "=NA()", "A2": 5, "B1": 4, "B2": 10}),
    ("whole_column_not_equal", '=COUNTIF(A:A,"<>23")', {"A1": 23, "A2": 5}),
    ("whole_column_blank", '=COUNTIF(A:A,"")', {"A1": 23, "A2": 5}),
    ("countblank_whole_column", "=COUNTBLANK(B:B)", {"B1": 1}),
    ("countifs_whole_columns", '=COUNTIFS(A:A,"<>x",B:B,"")', {"A1": "x", "B2": 5}),
])

_group("atpdates", [
    ("edate_logical_start", "=EDATE(TRUE,1)"),
    ("edate_logical_months", "=EDATE(366,FALSE)"),
    ("eomonth_logical", "=EOMONTH(TRUE,0)"),
    ("edate_serial_zero", "=EDATE(0,1)"),
    ("edate_serial_zero_same_month", "=EDATE(0,0)"),
    ("weeknum_logical", "=WEEKNUM(TRUE)"),
    ("yearfrac_logical_basis", "=YEARFRAC(3,345,TRUE)"),
    ("yearfrac_error_of_last_argument", "=YEARFRAC(1/0,345,NA())"),
    ("yearfrac_1900_has_365_days", "=YEARFRAC(1987,345,1)"),
    ("isoweeknum_first_days_of_1900", "=ISOWEEKNUM(1)"),
    ("isoweeknum_logical", "=ISOWEEKNUM(TRUE)"),
])

# ===============================================================================================================
# Financial: loans, rates, cash flows, depreciation, bonds, discount securities
# ===============================================================================================================

# Cash flows in A1:A6 with their dates in B1:B6 (XNPV/XIRR documentation example plus one flow).
DATED_FLOWS = {
    "A1": -10000, "B1": "=DATE(2008,1,1)",
    "A2": 2750, "B2": "=DATE(2008,3,1)",
    "A3": 4250, "B3": "=DATE(2008,10,30)",
    "A4": 3250, "B4": "=DATE(2009,2,15)",
    "A5": 2750, "B5": "=DATE(2009,4,1)",
}

_group("finloan", [
    ("ipmt_doc", "=IPMT(0.1/12,1,3*12,8000)"),
    ("ipmt_doc_year", "=IPMT(0.1,3,3,8000)"),
    ("ipmt_due", "=IPMT(0.08/12,5,60,20000,0,1)"),
    ("ipmt_due_first", "=IPMT(0.08/12,1,60,20000,0,1)"),
    ("ipmt_fv", "=IPMT(0.05,4,10,-1000,5000)"),
    ("ipmt_per_zero", "=IPMT(0.1,0,10,1000)"),
    ("ipmt_per_too_big", "=IPMT(0.1,11,10,1000)"),
    ("ipmt_zero_rate", "=IPMT(0,3,10,1000)"),
    ("ppmt_doc", "=PPMT(0.1/12,1,2*12,2000)"),
    ("ppmt_doc_year", "=PPMT(0.08,10,10,200000)"),
    ("ppmt_due", "=PPMT(0.06/12,7,48,15000,0,1)"),
    ("ppmt_sum_equals_pmt", "=ROUND(PPMT(0.05,3,10,1000)+IPMT(0.05,3,10,1000)-PMT(0.05,10,1000),9)"),
    ("cumipmt_doc", "=CUMIPMT(0.09/12,30*12,125000,13,24,0)"),
    ("cumipmt_doc_first", "=CUMIPMT(0.09/12,30*12,125000,1,1,0)"),
    ("cumipmt_due", "=CUMIPMT(0.05/12,60,20000,1,12,1)"),
    ("cumipmt_bad_type", "=CUMIPMT(0.05/12,60,20000,1,12,2)"),
    ("cumipmt_start_after_end", "=CUMIPMT(0.05/12,60,20000,13,12,0)"),
    ("cumipmt_negative_pv", "=CUMIPMT(0.05/12,60,-20000,1,12,0)"),
    ("cumprinc_doc", "=CUMPRINC(0.09/12,30*12,125000,13,24,0)"),
    ("cumprinc_doc_first", "=CUMPRINC(0.09/12,30*12,125000,1,1,0)"),
    ("cumprinc_due", "=CUMPRINC(0.05/12,60,20000,1,60,1)"),
    ("cumprinc_zero_rate", "=CUMPRINC(0,60,20000,1,12,0)"),
    ("ispmt_doc", "=ISPMT(0.1/12,1,3*12,8000000)"),
    ("ispmt_doc_year", "=ISPMT(0.1,1,3,8000000)"),
    ("ispmt_first", "=ISPMT(0.1,0,4,4000)"),
    ("ispmt_zero_nper", "=ISPMT(0.1,1,0,4000)"),
    ("nper_doc", "=NPER(0.12/12,-100,-1000,10000,1)"),
    ("nper_no_future_value", "=NPER(0.01,-100,1000)"),
])

_group("finrate", [
    ("effect_doc", "=EFFECT(0.0525,4)"),
    ("effect_truncates", "=EFFECT(0.1,12.9)"),
    ("effect_bad_rate", "=EFFECT(0,4)"),
    ("effect_bad_periods", "=EFFECT(0.1,0.5)"),
    ("nominal_doc", "=NOMINAL(0.053543,4)"),
    ("nominal_monthly", "=NOMINAL(0.12,12)"),
    ("nominal_bad", "=NOMINAL(-0.1,4)"),
    ("rri_doc", "=RRI(96,10000,11000)"),
    ("rri_decline", "=RRI(10,1000,500)"),
    ("rri_zero_nper", "=RRI(0,100,200)"),
    ("pduration_doc", "=PDURATION(0.025,2000,2200)"),
    ("pduration_monthly", "=PDURATION(0.025/12,1000,1200)"),
    ("pduration_bad", "=PDURATION(0,1000,1200)"),
    ("pduration_negative_pv", "=PDURATION(0.05,-1000,1200)"),
    ("fvschedule_doc", "=FVSCHEDULE(1,{0.09,0.11,0.1})"),
    ("fvschedule_range", "=FVSCHEDULE(1000,A1:A4)", {"A1": 0.05, "A2": -0.02, "A4": 0.1}),
    ("fvschedule_text", "=FVSCHEDULE(1000,A1:A2)", {"A1": 0.05, "A2": "x"}),
    ("dollarde_doc", "=DOLLARDE(1.02,16)"),
    ("dollarde_doc32", "=DOLLARDE(1.1,32)"),
    ("dollarde_negative", "=DOLLARDE(-1.02,16)"),
    ("dollarde_ten", "=DOLLARDE(1.5,10)"),
    ("dollarde_zero", "=DOLLARDE(1.02,0)"),
    ("dollarde_negative_fraction", "=DOLLARDE(1.02,-1)"),
    ("dollarfr_doc", "=DOLLARFR(1.125,16)"),
    ("dollarfr_doc32", "=DOLLARFR(1.125,32)"),
    ("dollarfr_truncates", "=DOLLARFR(1.125,16.9)"),
])

_group("fincash", [
    ("mirr_doc", "=MIRR(A1:A6,0.1,0.12)",
     {"A1": -120000, "A2": 39000, "A3": 30000, "A4": 21000, "A5": 37000, "A6": 46000}),
    ("mirr_doc_three", "=MIRR(A1:A4,0.1,0.12)", {"A1": -120000, "A2": 39000, "A3": 30000, "A4": 21000}),
    ("mirr_doc_14", "=MIRR(A1:A6,0.1,0.14)",
     {"A1": -120000, "A2": 39000, "A3": 30000, "A4": 21000, "A5": 37000, "A6": 46000}),
    ("mirr_no_negative", "=MIRR({100,200,300},0.1,0.1)"),
    ("mirr_text_skipped", "=MIRR(A1:A4,0.05,0.08)", {"A1": -1000, "A2": "x", "A3": 600, "A4": 600}),
    ("xnpv_doc", "=XNPV(0.09,A1:A5,B1:B5)", DATED_FLOWS),
    ("xnpv_zero_rate", "=XNPV(0,A1:A5,B1:B5)", DATED_FLOWS),
    ("xnpv_size_mismatch", "=XNPV(0.09,A1:A5,B1:B4)", DATED_FLOWS),
    ("xnpv_date_before_first", "=XNPV(0.09,A1:A2,B1:B2)", {"A1": -100, "A2": 110, "B1": 45000, "B2": 44990}),
    ("xirr_doc", "=XIRR(A1:A5,B1:B5)", DATED_FLOWS),
    ("xirr_guess", "=XIRR(A1:A5,B1:B5,0.5)", DATED_FLOWS),
    ("xirr_guess_above_root", "=XIRR(A1:A5,B1:B5,4)", DATED_FLOWS),
    ("xirr_no_sign_change", "=XIRR({100,200},{45000,45100})"),
    ("xirr_unsorted", "=XIRR(A1:A3,B1:B3)", {"A1": -1000, "A2": 600, "A3": 600, "B1": 45000, "B2": 45700, "B3": 45300}),
])

_group("depr", [
    ("sln_doc", "=SLN(30000,7500,10)"),
    ("sln_zero_life", "=SLN(30000,7500,0)"),
    ("syd_doc_first", "=SYD(30000,7500,10,1)"),
    ("syd_doc_last", "=SYD(30000,7500,10,10)"),
    ("syd_fraction", "=SYD(30000,7500,10,2.5)"),
    ("db_doc_first", "=DB(1000000,100000,6,1,7)"),
    ("db_doc_2", "=DB(1000000,100000,6,2,7)"),
    ("db_doc_6", "=DB(1000000,100000,6,6,7)"),
    ("db_doc_7", "=DB(1000000,100000,6,7,7)"),
    ("db_default_month", "=DB(10000,1000,5,3)"),
    ("db_bad_month", "=DB(10000,1000,5,2,13)"),
    ("ddb_doc_day", "=DDB(2400,300,10*365,1)"),
    ("ddb_doc_month", "=DDB(2400,300,10*12,1,2)"),
    ("ddb_doc_year", "=DDB(2400,300,10,1,2)"),
    ("ddb_doc_factor", "=DDB(2400,300,10,2,1.5)"),
    ("ddb_doc_tenth", "=DDB(2400,300,10,10)"),
    ("ddb_salvage_floor", "=DDB(2400,1500,10,3)"),
    ("ddb_fast_factor", "=DDB(1000,100,3,2,4)"),
    ("ddb_period_too_big", "=DDB(2400,300,10,11)"),
    ("ddb_empty_factor", "=DDB(100,10,4,3,F1)"),
    ("vdb_doc_first_day", "=VDB(2400,300,10*365,0,1)"),
    ("vdb_doc_first_month", "=VDB(2400,300,10*12,0,1)"),
    ("vdb_doc_first_year", "=VDB(2400,300,10,0,1)"),
    ("vdb_doc_months_6_18", "=VDB(2400,300,10*12,6,18)"),
    ("vdb_doc_factor", "=VDB(2400,300,10*12,6,18,1.5)"),
    ("vdb_doc_years_0_875", "=VDB(2400,300,10,0,0.875,1.5)"),
    ("vdb_switch", "=VDB(10000,1000,5,3,5)"),
    ("vdb_no_switch", "=VDB(10000,1000,5,3,5,2,TRUE)"),
    ("vdb_fraction", "=VDB(10000,1000,5,1.5,3.25)"),
    ("vdb_start_after_end", "=VDB(10000,1000,5,3,2)"),
    ("amorlinc_doc", "=AMORLINC(2400,DATE(2008,8,19),DATE(2008,12,31),300,1,0.15,1)"),
    ("amorlinc_first", "=AMORLINC(2400,DATE(2008,8,19),DATE(2008,12,31),300,0,0.15,1)"),
    ("amorlinc_last", "=AMORLINC(2400,DATE(2008,8,19),DATE(2008,12,31),300,7,0.15,1)"),
    ("amorlinc_basis0", "=AMORLINC(2400,DATE(2008,8,19),DATE(2008,12,31),300,2,0.15,0)"),
    ("amordegrc_doc", "=AMORDEGRC(2400,DATE(2008,8,19),DATE(2008,12,31),300,1,0.15,1)"),
    ("amordegrc_first", "=AMORDEGRC(2400,DATE(2008,8,19),DATE(2008,12,31),300,0,0.15,1)"),
    ("amordegrc_later", "=AMORDEGRC(2400,DATE(2008,8,19),DATE(2008,12,31),300,3,0.15,1)"),
    ("amordegrc_bad_life", "=AMORDEGRC(2400,DATE(2008,8,19),DATE(2008,12,31),300,1,0.4,1)"),
])

# A bond: settlement 2008-02-15, maturity 2017-11-15, coupon 5.75% (the PRICE/YIELD documentation example).
BOND = {"A1": "=DATE(2008,2,15)", "A2": "=DATE(2017,11,15)", "A3": 0.0575, "A4": 0.065, "A5": 100, "A6": 2}

_group("coupon", [
    ("coupdaybs_doc", "=COUPDAYBS(DATE(2011,1,25),DATE(2011,11,15),2,1)"),
    ("coupdays_doc", "=COUPDAYS(DATE(2011,1,25),DATE(2011,11,15),2,1)"),
    ("coupdaysnc_doc", "=COUPDAYSNC(DATE(2011,1,25),DATE(2011,11,15),2,1)"),
    ("coupncd_doc", "=COUPNCD(DATE(2011,1,25),DATE(2011,11,15),2,1)"),
    ("coupnum_doc", "=COUPNUM(DATE(2007,1,25),DATE(2008,11,15),2,1)"),
    ("couppcd_doc", "=COUPPCD(DATE(2011,1,25),DATE(2011,11,15),2,1)"),
    ("coupdays_basis0", "=COUPDAYS(DATE(2011,1,25),DATE(2011,11,15),2,0)"),
    ("coupdays_basis3", "=COUPDAYS(DATE(2011,1,25),DATE(2011,11,15),4,3)"),
    ("coupdaybs_basis0", "=COUPDAYBS(DATE(2011,1,31),DATE(2015,8,31),4,0)"),
    ("coupdaybs_basis4", "=COUPDAYBS(DATE(2011,1,31),DATE(2015,8,31),4,4)"),
    ("coupdaysnc_basis0", "=COUPDAYSNC(DATE(2011,1,25),DATE(2011,11,15),2,0)"),
    ("coupdaysnc_basis4", "=COUPDAYSNC(DATE(2011,1,25),DATE(2011,11,15),2,4)"),
    ("coupncd_month_end", "=COUPNCD(DATE(2011,1,25),DATE(2015,11,30),2)"),
    ("couppcd_month_end", "=COUPPCD(DATE(2011,1,25),DATE(2015,8,31),4)"),
    ("coupnum_annual", "=COUPNUM(DATE(2011,1,25),DATE(2030,6,1),1)"),
    ("coupnum_quarterly", "=COUPNUM(DATE(2011,1,25),DATE(2030,6,1),4,3)"),
    ("bad_frequency", "=COUPNUM(DATE(2011,1,25),DATE(2030,6,1),3)"),
    ("bad_basis", "=COUPNUM(DATE(2011,1,25),DATE(2030,6,1),2,5)"),
    ("settlement_after_maturity", "=COUPNCD(DATE(2031,1,25),DATE(2030,6,1),2)"),
    ("frequency_truncated", "=COUPNUM(DATE(2011,1,25),DATE(2030,6,1),2.7)"),
])

_group("bond", [
    ("accrint_doc", "=ACCRINT(DATE(2008,3,1),DATE(2008,8,31),DATE(2008,5,1),0.1,1000,2,0)"),
    ("accrint_doc_method", "=ACCRINT(DATE(2008,3,5),DATE(2008,8,31),DATE(2008,5,1),0.1,1000,2,0,FALSE)"),
    ("accrint_doc_true", "=ACCRINT(DATE(2008,3,5),DATE(2008,8,31),DATE(2008,5,1),0.1,1000,2,0,TRUE)"),
    ("accrint_basis1", "=ACCRINT(DATE(2008,3,1),DATE(2008,8,31),DATE(2008,5,1),0.1,1000,2,1)"),
    ("accrint_basis2", "=ACCRINT(DATE(2008,3,1),DATE(2008,8,31),DATE(2008,5,1),0.1,1000,2,2)"),
    ("accrint_basis3", "=ACCRINT(DATE(2008,3,1),DATE(2008,8,31),DATE(2008,5,1),0.1,1000,2,3)"),
    ("accrint_quarterly", "=ACCRINT(DATE(2008,3,1),DATE(2008,8,31),DATE(2008,5,1),0.1,1000,4,0)"),
    ("accrint_bad_rate", "=ACCRINT(DATE(2008,3,1),DATE(2008,8,31),DATE(2008,5,1),0,1000,2,0)"),
    ("accrint_settle_before_issue", "=ACCRINT(DATE(2008,3,1),DATE(2008,8,31),DATE(2008,2,1),0.1,1000,2,0)"),
    ("accrintm_doc", "=ACCRINTM(DATE(2008,4,1),DATE(2008,6,15),0.1,1000,3)"),
    ("accrintm_basis0", "=ACCRINTM(DATE(2008,4,1),DATE(2008,6,15),0.1,1000)"),
    ("accrintm_basis1", "=ACCRINTM(DATE(2008,4,1),DATE(2009,6,15),0.1,1000,1)"),
    ("accrintm_default_par", "=ACCRINTM(DATE(2008,4,1),DATE(2008,6,15),0.1)"),
    ("accrintm_bad_par", "=ACCRINTM(DATE(2008,4,1),DATE(2008,6,15),0.1,0)"),
    ("price_doc", "=PRICE(A1,A2,A3,A4,A5,A6,0)", BOND),
    ("price_basis1", "=PRICE(A1,A2,A3,A4,A5,A6,1)", BOND),
    ("price_annual_basis3", "=PRICE(A1,A2,A3,A4,A5,1,3)", BOND),
    ("price_last_period", "=PRICE(DATE(2017,7,1),A2,A3,A4,A5,A6,0)", BOND),
    ("price_negative_yield", "=PRICE(A1,A2,A3,-0.01,A5,A6,0)", BOND),
    ("yield_doc", "=YIELD(DATE(2008,2,15),DATE(2016,11,15),0.0575,95.04287,100,2,0)"),
    ("yield_basis1", "=YIELD(DATE(2008,2,15),DATE(2016,11,15),0.0575,95.04287,100,2,1)"),
    ("yield_last_period", "=YIELD(DATE(2016,7,1),DATE(2016,11,15),0.0575,99.5,100,2,0)"),
    ("yield_bad_price", "=YIELD(DATE(2008,2,15),DATE(2016,11,15),0.0575,0,100,2,0)"),
    ("duration_doc", "=DURATION(DATE(2018,7,1),DATE(2048,1,1),0.08,0.09,2,1)"),
    ("duration_basis0", "=DURATION(DATE(2018,7,1),DATE(2048,1,1),0.08,0.09,2)"),
    ("mduration_doc", "=MDURATION(DATE(2008,1,1),DATE(2016,1,1),0.08,0.09,2,1)"),
    ("mduration_quarterly", "=MDURATION(DATE(2008,1,1),DATE(2016,1,1),0.08,0.09,4,0)"),
    ("duration_negative_coupon", "=DURATION(DATE(2018,7,1),DATE(2048,1,1),-0.08,0.09,2,1)"),
])

_group("oddbond", [
    ("oddfprice_doc", "=ODDFPRICE(DATE(2008,11,11),DATE(2021,3,1),DATE(2008,10,15),DATE(2009,3,1),0.0785,0.0625,100,2,1)"),
    ("oddfprice_short_basis0", "=ODDFPRICE(DATE(2008,11,11),DATE(2021,3,1),DATE(2008,10,15),DATE(2009,3,1),0.0785,0.0625,100,2,0)"),
    ("oddfprice_long", "=ODDFPRICE(DATE(2008,11,11),DATE(2021,3,1),DATE(2008,1,15),DATE(2009,3,1),0.0785,0.0625,100,2,1)"),
    ("oddfprice_long_annual", "=ODDFPRICE(DATE(2008,11,11),DATE(2021,3,1),DATE(2007,1,15),DATE(2009,3,1),0.0785,0.0625,100,1,0)"),
    ("oddfyield_doc", "=ODDFYIELD(DATE(2008,11,11),DATE(2021,3,1),DATE(2008,10,15),DATE(2009,3,1),0.0575,84.5,100,2,0)"),
    ("oddfprice_bad_dates", "=ODDFPRICE(DATE(2008,11,11),DATE(2021,3,1),DATE(2008,12,15),DATE(2009,3,1),0.0785,0.0625,100,2,1)"),
    ("oddlprice_doc", "=ODDLPRICE(DATE(2008,2,7),DATE(2008,6,15),DATE(2007,10,15),0.0375,0.0405,100,2,0)"),
    ("oddlprice_basis1", "=ODDLPRICE(DATE(2008,2,7),DATE(2008,6,15),DATE(2007,10,15),0.0375,0.0405,100,2,1)"),
    ("oddlprice_long", "=ODDLPRICE(DATE(2008,2,7),DATE(2009,6,15),DATE(2007,10,15),0.0375,0.0405,100,4,3)"),
    ("oddlyield_doc", "=ODDLYIELD(DATE(2008,4,20),DATE(2008,6,15),DATE(2007,12,24),0.0375,99.875,100,2,0)"),
    ("oddlyield_basis1", "=ODDLYIELD(DATE(2008,4,20),DATE(2008,6,15),DATE(2007,12,24),0.0375,99.875,100,2,1)"),
    ("oddlprice_bad_order", "=ODDLPRICE(DATE(2007,2,7),DATE(2008,6,15),DATE(2007,10,15),0.0375,0.0405,100,2,0)"),
])

_group("discsec", [
    ("disc_doc", "=DISC(DATE(2018,7,1),DATE(2048,1,1),97.975,100,1)"),
    ("disc_basis0", "=DISC(DATE(2018,7,1),DATE(2018,12,31),97.975,100)"),
    ("disc_bad_price", "=DISC(DATE(2018,7,1),DATE(2018,12,31),0,100)"),
    ("intrate_doc", "=INTRATE(DATE(2008,2,15),DATE(2008,5,15),1000000,1014420,2)"),
    ("intrate_basis1", "=INTRATE(DATE(2008,2,15),DATE(2009,5,15),1000000,1094420,1)"),
    ("received_doc", "=RECEIVED(DATE(2008,2,15),DATE(2008,5,15),1000000,0.0575,2)"),
    ("received_basis4", "=RECEIVED(DATE(2008,2,15),DATE(2008,5,31),1000000,0.0575,4)"),
    ("pricedisc_doc", "=PRICEDISC(DATE(2008,2,16),DATE(2008,3,1),0.0525,100,2)"),
    ("pricedisc_basis1", "=PRICEDISC(DATE(2008,2,16),DATE(2009,3,1),0.0525,100,1)"),
    ("yielddisc_doc", "=YIELDDISC(DATE(2008,2,16),DATE(2008,3,1),99.795,100,2)"),
    ("yielddisc_basis3", "=YIELDDISC(DATE(2008,2,16),DATE(2008,8,1),98.5,100,3)"),
    ("pricemat_doc", "=PRICEMAT(DATE(2008,2,15),DATE(2008,4,13),DATE(2007,11,11),0.061,0.061,0)"),
    ("pricemat_basis1", "=PRICEMAT(DATE(2008,2,15),DATE(2008,4,13),DATE(2007,11,11),0.061,0.061,1)"),
    ("yieldmat_doc", "=YIELDMAT(DATE(2008,3,15),DATE(2008,11,3),DATE(2007,11,8),0.0625,100.0123,0)"),
    ("yieldmat_basis2", "=YIELDMAT(DATE(2008,3,15),DATE(2008,11,3),DATE(2007,11,8),0.0625,100.0123,2)"),
    ("yieldmat_bad_order", "=YIELDMAT(DATE(2008,3,15),DATE(2008,11,3),DATE(2008,4,8),0.0625,100.0123,0)"),
    ("tbillprice_doc", "=TBILLPRICE(DATE(2008,3,31),DATE(2008,6,1),0.09)"),
    ("tbillprice_year", "=TBILLPRICE(DATE(2008,3,31),DATE(2009,3,31),0.05)"),
    ("tbillprice_too_long", "=TBILLPRICE(DATE(2008,3,31),DATE(2009,4,1),0.05)"),
    ("tbillyield_doc", "=TBILLYIELD(DATE(2008,3,31),DATE(2008,6,1),98.45)"),
    ("tbilleq_doc", "=TBILLEQ(DATE(2008,3,31),DATE(2008,6,1),0.0914)"),
    ("tbilleq_long", "=TBILLEQ(DATE(2008,3,31),DATE(2009,1,1),0.0914)"),
    ("tbilleq_bad_discount", "=TBILLEQ(DATE(2008,3,31),DATE(2008,6,1),0)"),
])

# ===============================================================================================================
# Statistics: conditional extremes, A-functions, order statistics, spread and shape
# ===============================================================================================================

# Scores in A1:A10 (with text, numeric text and a blank in A11:A14 for the range rules).
SCORES = {
    "A1": 3, "A2": 4, "A3": 5, "A4": 2, "A5": 3, "A6": 4, "A7": 5, "A8": 6, "A9": 4, "A10": 7,
    "A11": "n/a", "A14": "2.5",
}
# Pairs: y in A1:A7, x in B1:B7 (SLOPE/INTERCEPT documentation data), with a text gap in row 8.
PAIRS = {
    "A1": 2, "B1": 6, "A2": 3, "B2": 5, "A3": 9, "B3": 11, "A4": 1, "B4": 7, "A5": 8, "B5": 5,
    "A6": 7, "B6": 4, "A7": 5, "B7": 4, "A8": "x", "B8": 10,
}

_group("minmaxifs", [
    ("minifs_doc", "=MINIFS(A1:A6,B1:B6,1)", {"A1": 89, "A2": 93, "A3": 96, "A4": 85, "A5": 91, "A6": 88,
                                                "B1": 1, "B2": 2, "B3": 2, "B4": 3, "B5": 1, "B6": 1}),
    ("maxifs_doc", "=MAXIFS(A1:A6,B1:B6,1)", {"A1": 89, "A2": 93, "A3": 96, "A4": 85, "A5": 91, "A6": 88,
                                                "B1": 1, "B2": 2, "B3": 2, "B4": 3, "B5": 1, "B6": 1}),
    ("maxifs_two_criteria", '=MAXIFS(B1:B6,A1:A6,"a*",C1:C6,"<>red")', FRUIT),
    ("minifs_text_criterion", '=MINIFS(B1:B6,C1:C6,"brown")', FRUIT),
    ("minifs_none_matches", '=MINIFS(B1:B6,C1:C6,"blue")', FRUIT),
    ("maxifs_numeric_criterion", '=MAXIFS(B1:B6,B1:B6,"<45")', FRUIT),
    ("maxifs_size_mismatch", '=MAXIFS(B1:B6,C1:C5,"red")', FRUIT),
    ("minifs_text_values_skipped", '=MINIFS(A1:A6,C1:C6,"<>x")', FRUIT),
])

_group("astats", [
    ("averagea_range", "=AVERAGEA(A1:A14)", SCORES),
    ("averagea_direct", '=AVERAGEA(1,TRUE,"3")'),
    ("averagea_empty", "=AVERAGEA(B1:B3)"),
    ("maxa_range_logical", "=MAXA(A1:A3)", {"A1": -1, "A2": True, "A3": "x"}),
    ("mina_range_text", "=MINA(A1:A3)", {"A1": 5, "A2": "x", "A3": 7}),
    ("mina_empty", "=MINA(B1:B3)"),
    ("maxa_direct_text", '=MAXA(1,"5")'),
    ("stdeva_doc", "=STDEVA(1345,1301,1368,1322,1310,1370,1318,1350,1303,1299)"),
    ("stdeva_range", "=STDEVA(A1:A14)", SCORES),
    ("stdevpa_range", "=STDEVPA(A1:A14)", SCORES),
    ("vara_range", "=VARA(A1:A14)", SCORES),
    ("varpa_range", "=VARPA(A1:A14)", SCORES),
    ("vara_single", "=VARA(5)"),
    ("averagea_error", "=AVERAGEA(A1:A2)", {"A1": 1, "A2": "=1/0"}),
    ("averagea_logical_in_range", "=AVERAGEA(A1:A3)", {"A1": 2, "A2": True, "A3": False}),
])

_group("orderstat", [
    ("percentile_inc_doc", "=PERCENTILE.INC({1,3,2,4},0.3)"),
    ("percentile_legacy", "=PERCENTILE(A1:A14,0.9)", SCORES),
    ("percentile_inc_ends", "=PERCENTILE.INC(A1:A10,1)+PERCENTILE.INC(A1:A10,0)", SCORES),
    ("percentile_inc_bad_k", "=PERCENTILE.INC(A1:A10,1.1)", SCORES),
    ("percentile_inc_empty", "=PERCENTILE.INC(B1:B3,0.5)"),
    ("percentile_exc_doc", "=PERCENTILE.EXC({1,2,3,6,6,6,7,8,9},0.25)"),
    ("percentile_exc_out_of_range", "=PERCENTILE.EXC({1,2,3,6,6,6,7,8,9},0.05)"),
    ("percentile_exc_zero", "=PERCENTILE.EXC({1,2,3},0)"),
    ("quartile_inc_doc", "=QUARTILE.INC({1,2,4,7,8,9,10,12},1)"),
    ("quartile_legacy_max", "=QUARTILE(A1:A14,4)", SCORES),
    ("quartile_truncates", "=QUARTILE.INC({1,2,4,7,8,9,10,12},2.9)"),
    ("quartile_inc_bad", "=QUARTILE.INC({1,2,3},5)"),
    ("quartile_exc_doc", "=QUARTILE.EXC({6,7,15,36,39,40,41,42,43,47,49},1)"),
    ("quartile_exc_q3", "=QUARTILE.EXC({6,7,15,36,39,40,41,42,43,47,49},3)"),
    ("quartile_exc_bad", "=QUARTILE.EXC({6,7,15,36,39},4)"),
    ("percentrank_inc_doc", "=PERCENTRANK.INC({13,12,11,8,4,3,2,1,1,1},2)"),
    ("percentrank_inc_interpolated", "=PERCENTRANK.INC({13,12,11,8,4,3,2,1,1,1},5)"),
    ("percentrank_inc_digits", "=PERCENTRANK.INC({13,12,11,8,4,3,2,1,1,1},8,2)"),
    ("percentrank_legacy", "=PERCENTRANK(A1:A10,4)", SCORES),
    ("percentrank_outside", "=PERCENTRANK.INC({1,2,3},4)"),
    ("percentrank_exc_doc", "=PERCENTRANK.EXC({1,2,3,6,6,6,7,8,9},7)"),
    ("percentrank_exc_interpolated", "=PERCENTRANK.EXC({1,2,3,6,6,6,7,8,9},5.43)"),
    ("percentrank_exc_digits", "=PERCENTRANK.EXC({1,2,3,6,6,6,7,8,9},5.43,1)"),
    ("percentrank_bad_digits", "=PERCENTRANK.INC({1,2,3},2,0)"),
    ("rank_avg_doc", "=RANK.AVG(94,{89,88,92,101,94,97,95})"),
    ("rank_avg_ties", "=RANK.AVG(4,A1:A10)", SCORES),
    ("rank_avg_ascending", "=RANK.AVG(4,A1:A10,1)", SCORES),
    ("rank_eq_ties", "=RANK.EQ(4,A1:A10)", SCORES),
    ("rank_avg_missing", "=RANK.AVG(10,A1:A10)", SCORES),
    ("mode_sngl_first", "=MODE.SNGL(A1:A10)", SCORES),
    ("mode_sngl_direct", "=MODE.SNGL(5.6,4,4,3,2,4)"),
    ("mode_mult_first", "=MODE.MULT({1,2,3,4,3,2,1,2,3})"),
    ("mode_mult_second", "=INDEX(MODE.MULT({1,2,3,4,3,2,1,2,3}),2)"),
    ("mode_mult_none", "=MODE.MULT({1,2,3})"),
    ("trimmean_doc", "=TRIMMEAN({4,5,6,7,2,3,4,5,1,2,3},0.2)"),
    ("trimmean_range", "=TRIMMEAN(A1:A14,0.25)", SCORES),
    ("trimmean_zero", "=TRIMMEAN({1,2,30},0)"),
    ("trimmean_bad", "=TRIMMEAN({1,2,3},1)"),
    ("frequency_first_bin", "=INDEX(FREQUENCY({79,85,78,85,50,81,95,88,97},{70,79,89}),1)"),
    ("frequency_second_bin", "=INDEX(FREQUENCY({79,85,78,85,50,81,95,88,97},{70,79,89}),2)"),
    ("frequency_last_bin", "=INDEX(FREQUENCY({79,85,78,85,50,81,95,88,97},{70,79,89}),4)"),
    ("frequency_unsorted_bins", "=INDEX(FREQUENCY(A1:A10,{5,3}),1)", SCORES),
    ("frequency_total", "=SUM(FREQUENCY(A1:A10,{5,3}))", SCORES),
])

_group("spread", [
    ("avedev_doc", "=AVEDEV(4,5,6,7,5,4,3)"),
    ("avedev_range", "=AVEDEV(A1:A14)", SCORES),
    ("avedev_empty", "=AVEDEV(B1:B2)"),
    ("devsq_doc", "=DEVSQ(4,5,8,7,11,4,3)"),
    ("devsq_range", "=DEVSQ(A1:A14)", SCORES),
    ("geomean_doc", "=GEOMEAN(4,5,8,7,11,4,3)"),
    ("geomean_zero", "=GEOMEAN(4,0,8)"),
    ("geomean_range", "=GEOMEAN(A1:A14)", SCORES),
    ("harmean_doc", "=HARMEAN(4,5,8,7,11,4,3)"),
    ("harmean_negative", "=HARMEAN(4,-5,8)"),
    ("kurt_doc", "=KURT(3,4,5,2,3,4,5,6,4,7)"),
    ("kurt_range", "=KURT(A1:A14)", SCORES),
    ("kurt_too_few", "=KURT(1,2,3)"),
    ("skew_doc", "=SKEW(3,4,5,2,3,4,5,6,4,7)"),
    ("skew_too_few", "=SKEW(1,2)"),
    ("skew_no_spread", "=SKEW(2,2,2,2)"),
    ("skew_p_doc", "=SKEW.P(3,4,5,2,3,4,5,6,4,7)"),
    ("skew_p_range", "=SKEW.P(A1:A14)", SCORES),
    ("standardize_doc", "=STANDARDIZE(42,40,1.5)"),
    ("standardize_bad_sd", "=STANDARDIZE(42,40,0)"),
    ("var_s_range", "=VAR.S(A1:A14)", SCORES),
    ("stdev_p_range", "=STDEV.P(A1:A14)", SCORES),
    ("stdev_s_range", "=STDEV.S(A1:A14)", SCORES),
    ("stdevp_legacy", "=STDEVP(A1:A14)", SCORES),
    ("var_p_doc", "=VAR.P(1345,1301,1368,1322,1310,1370,1318,1350,1303,1299)"),
    ("varp_legacy", "=VARP(A1:A14)", SCORES),
])

_group("regress", [
    ("correl_doc", "=CORREL({3,2,4,5,6},{9,7,12,15,17})"),
    ("pearson_doc", "=PEARSON({9,7,5,3,1},{10,6,1,5,3})"),
    ("correl_range_skips_text", "=CORREL(A1:A8,B1:B8)", PAIRS),
    ("correl_no_spread", "=CORREL({1,1,1},{1,2,3})"),
    ("correl_size_mismatch", "=CORREL(A1:A7,B1:B6)", PAIRS),
    ("rsq_doc", "=RSQ(A1:A7,B1:B7)", PAIRS),
    ("slope_doc", "=SLOPE(A1:A7,B1:B7)", PAIRS),
    ("intercept_doc", "=INTERCEPT({2,3,9,1,8},{6,5,11,7,5})"),
    ("intercept_range", "=INTERCEPT(A1:A8,B1:B8)", PAIRS),
    ("steyx_doc", "=STEYX(A1:A7,B1:B7)", PAIRS),
    ("steyx_two_points", "=STEYX({1,2},{3,4})"),
    ("covar_doc", "=COVAR({3,2,4,5,6},{9,7,12,15,17})"),
    ("covariance_p_doc", "=COVARIANCE.P({3,2,4,5,6},{9,7,12,15,17})"),
    ("covariance_s_doc", "=COVARIANCE.S({2,4,8},{5,11,12})"),
    ("covariance_s_one", "=COVARIANCE.S({2},{5})"),
    ("forecast_doc", "=FORECAST(30,{6,7,9,15,21},{20,28,31,38,40})"),
    ("forecast_linear_doc", "=FORECAST.LINEAR(30,{6,7,9,15,21},{20,28,31,38,40})"),
    ("forecast_no_spread", "=FORECAST(30,{6,7},{20,20})"),
    ("forecast_text_x", '=FORECAST("a",{6,7},{20,21})'),
    ("linest_slope", "=INDEX(LINEST({1,9,5,7},{0,4,2,3}),1)"),
    ("linest_intercept", "=INDEX(LINEST({1,9,5,7},{0,4,2,3}),2)"),
    ("linest_no_const", "=INDEX(LINEST({1,9,5,7},{0,4,2,3},FALSE),1)"),
    ("linest_stats_se", "=INDEX(LINEST(A1:A7,B1:B7,TRUE,TRUE),2,1)", PAIRS),
    ("linest_stats_se_b", "=INDEX(LINEST(A1:A7,B1:B7,TRUE,TRUE),2,2)", PAIRS),
    ("linest_stats_r2", "=INDEX(LINEST(A1:A7,B1:B7,TRUE,TRUE),3,1)", PAIRS),
    ("linest_stats_sey", "=INDEX(LINEST(A1:A7,B1:B7,TRUE,TRUE),3,2)", PAIRS),
    ("linest_stats_f", "=INDEX(LINEST(A1:A7,B1:B7,TRUE,TRUE),4,1)", PAIRS),
    ("linest_stats_df", "=INDEX(LINEST(A1:A7,B1:B7,TRUE,TRUE),4,2)", PAIRS),
    ("linest_stats_ssreg", "=INDEX(LINEST(A1:A7,B1:B7,TRUE,TRUE),5,1)", PAIRS),
    ("linest_stats_ssresid", "=INDEX(LINEST(A1:A7,B1:B7,TRUE,TRUE),5,2)", PAIRS),
    ("linest_multi_first", "=INDEX(LINEST(A1:A6,B1:C6),1)",
     {"A1": 10, "A2": 14, "A3": 21, "A4": 24, "A5": 30, "A6": 33,
      "B1": 1, "B2": 2, "B3": 3, "B4": 4, "B5": 5, "B6": 6, "C1": 2, "C2": 1, "C3": 4, "C4": 3, "C5": 6, "C6": 5}),
    ("linest_multi_second", "=INDEX(LINEST(A1:A6,B1:C6),2)",
     {"A1": 10, "A2": 14, "A3": 21, "A4": 24, "A5": 30, "A6": 33,
      "B1": 1, "B2": 2, "B3": 3, "B4": 4, "B5": 5, "B6": 6, "C1": 2, "C2": 1, "C3": 4, "C4": 3, "C5": 6, "C6": 5}),
    ("linest_multi_intercept", "=INDEX(LINEST(A1:A6,B1:C6),3)",
     {"A1": 10, "A2": 14, "A3": 21, "A4": 24, "A5": 30, "A6": 33,
      "B1": 1, "B2": 2, "B3": 3, "B4": 4, "B5": 5, "B6": 6, "C1": 2, "C2": 1, "C3": 4, "C4": 3, "C5": 6, "C6": 5}),
    ("linest_default_x", "=INDEX(LINEST({3,5,8,9}),1)"),
    ("linest_text", "=LINEST(A1:A8,B1:B8)", PAIRS),
    ("logest_doc_m", "=INDEX(LOGEST({33100,47300,69000,102000,150000,220000},{11,12,13,14,15,16}),1)"),
    ("logest_doc_b", "=INDEX(LOGEST({33100,47300,69000,102000,150000,220000},{11,12,13,14,15,16}),2)"),
    ("logest_negative", "=LOGEST({1,-2,3})"),
    ("trend_doc", "=TREND({133890,135000,135790,137300,138130,139100,139900,141120,141890,143230,144000,145290},{1,2,3,4,5,6,7,8,9,10,11,12},13)"),
    ("trend_fitted", "=INDEX(TREND(A1:A7,B1:B7),3)", PAIRS),
    ("trend_no_const", "=TREND({1,9,5,7},{0,4,2,3},5,FALSE)"),
    ("growth_doc", "=GROWTH({33100,47300,69000,102000,150000,220000},{11,12,13,14,15,16},17)"),
    ("growth_fitted", "=INDEX(GROWTH({33100,47300,69000,102000,150000,220000}),2)"),
])

# FORECAST.ETS and its family. Timeline in column A, values in column B.
ETS_LINE = {f"A{t}": t for t in range(1, 13)} | {f"B{t}": 3 + 2 * t for t in range(1, 13)}  # exactly 3+2t
_SEASON_SHAPE = (2, -1, -3, 2)
# A trend with a cycle of four points, exactly: 10 + 0.5t + shape[t mod 4].
ETS_SEASON = {f"A{t}": t for t in range(1, 25)} | {
    f"B{t}": 10 + 0.5 * t + _SEASON_SHAPE[t % 4] for t in range(1, 25)}
_NOISE = (0.4, -0.7, 0.2, 0.9, -0.3, -0.5, 0.6, 0.1, -0.8, 0.3, -0.2, 0.5)
ETS_NOISY = {f"A{t}": t for t in range(1, 13)} | {f"B{t}": 3 + 2 * t + _NOISE[t - 1] for t in range(1, 13)}
# The line 3+2t on a timeline without 5: completion fills it with 0 or with 12 (the mean of 11 and 15).
ETS_GAP = {f"A{i}": t for i, t in enumerate([1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12], 1)} | {
    f"B{i}": 3 + 2 * t for i, t in enumerate([1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12], 1)}
# The line 3+2t with time 2 given three times (5, 7, 9): AVERAGE and MEDIAN give 7, on the line.
ETS_DUPLICATE = {f"A{i}": t for i, t in enumerate([1, 2, 2, 2, 3, 4, 5, 6, 7, 8], 1)} | {
    f"B{i}": v for i, v in enumerate([5, 5, 7, 9, 9, 11, 13, 15, 17, 19], 1)}
# Every time stamp twice, unsorted: COUNT gives 2 everywhere.
ETS_PAIRS = {f"A{i}": t for i, t in enumerate([3, 1, 2, 4, 1, 3, 2, 4, 5, 5, 6, 6], 1)} | {
    f"B{i}": v for i, v in enumerate([9, 4, 8, 1, 6, 2, 5, 7, 3, 4, 5, 6], 1)}
# The series of the vinci1it2000/formulas test workbook (Excel-cached results).
ETS_EXCEL_VALUES = "{3,3,1,2,3,2,1,3,2,1}"
ETS_EXCEL_TIMELINE = "{3,7,5,6,7,8,1,3,4,9}"

_group("ets", [
    ("line_next", "=FORECAST.ETS(13,B1:B12,A1:A12)", ETS_LINE),
    ("line_far", "=FORECAST.ETS(20,B1:B12,A1:A12,0)", ETS_LINE),
    ("line_between_steps", "=FORECAST.ETS(14.5,B1:B12,A1:A12,0)", ETS_LINE),
    ("line_unsorted_timeline", "=FORECAST.ETS(14,{13,5,7,9,11,15,17},{5,1,2,3,4,6,7})"),
    ("line_inside_timeline", "=FORECAST.ETS(5,B1:B12,A1:A12)", ETS_LINE),
    ("line_before_start", "=FORECAST.ETS(0,B1:B12,A1:A12)", ETS_LINE),
    ("season_next", "=FORECAST.ETS(25,B1:B24,A1:A24,4)", ETS_SEASON),
    ("season_far", "=FORECAST.ETS(31,B1:B24,A1:A24,4)", ETS_SEASON),
    ("season_detected", "=FORECAST.ETS(26,B1:B24,A1:A24)", ETS_SEASON),
    ("season_ignored", "=FORECAST.ETS(25,B1:B24,A1:A24,0)", ETS_SEASON),
    ("noisy", "=FORECAST.ETS(15,B1:B12,A1:A12,0)", ETS_NOISY),
    ("gap_average", "=FORECAST.ETS(14,B1:B11,A1:A11,0,1)", ETS_GAP),
    ("gap_zero", "=FORECAST.ETS(14,B1:B11,A1:A11,0,0)", ETS_GAP),
    ("duplicates_average", "=FORECAST.ETS(10,B1:B10,A1:A10,0)", ETS_DUPLICATE),
    ("duplicates_median", "=FORECAST.ETS(10,B1:B10,A1:A10,0,1,5)", ETS_DUPLICATE),
    ("duplicates_count", "=FORECAST.ETS(8,B1:B12,A1:A12,0,1,2)", ETS_PAIRS),
    ("duplicates_counta", "=FORECAST.ETS(8,B1:B12,A1:A12,0,1,3)", ETS_PAIRS),
    ("duplicates_sum", "=FORECAST.ETS(8,{5,3,4,9,11,13,15},{1,2,2,3,4,5,6},0,1,7)"),  # 3+4 on the line 3+2t
    ("duplicates_max", "=FORECAST.ETS(8,{5,7,2,9,11,13,15},{1,2,2,3,4,5,6},0,1,4)"),
    ("duplicates_min", "=FORECAST.ETS(8,{5,7,12,9,11,13,15},{1,2,2,3,4,5,6},0,1,6)"),
    ("duplicates_sum_pairs", "=FORECAST.ETS(7,B1:B12,A1:A12,0,1,7)", ETS_PAIRS),
    ("aggregation_zero", "=FORECAST.ETS(10,B1:B10,A1:A10,0,1,0)", ETS_DUPLICATE),
    ("excel_workbook_next", f"=FORECAST.ETS(10,{ETS_EXCEL_VALUES},{ETS_EXCEL_TIMELINE},4)"),
    ("excel_workbook_far_max", f"=FORECAST.ETS(100,{ETS_EXCEL_VALUES},{ETS_EXCEL_TIMELINE},4,1,4)"),
    ("excel_workbook_before_start", f"=FORECAST.ETS(0.7,{ETS_EXCEL_VALUES},{ETS_EXCEL_TIMELINE},4,1)"),
    ("size_mismatch", "=FORECAST.ETS(13,B1:B12,A1:A11)", ETS_LINE),
    ("irregular_timeline", "=FORECAST.ETS(6,{1,2,3,4},{1,2,3.5,4.5})"),
    ("too_many_missing", "=FORECAST.ETS(20,{1,2,3,4,5},{1,2,3,8,12})"),
    ("text_in_values", '=FORECAST.ETS(5,{1,"a",3,4},{1,2,3,4})'),
    ("error_in_values", "=FORECAST.ETS(13,B1:B12,A1:A12)", _with(ETS_LINE, B3="=1/0")),
    ("seasonality_negative", "=FORECAST.ETS(13,B1:B12,A1:A12,-1)", ETS_LINE),
    ("seasonality_too_large", "=FORECAST.ETS(13,B1:B12,A1:A12,8761)", ETS_LINE),
    ("completion_invalid", "=FORECAST.ETS(13,B1:B12,A1:A12,0,2)", ETS_LINE),
    ("aggregation_invalid", "=FORECAST.ETS(13,B1:B12,A1:A12,0,1,8)", ETS_LINE),
    ("target_text", '=FORECAST.ETS("x",B1:B12,A1:A12)', ETS_LINE),
    ("confint_line", "=FORECAST.ETS.CONFINT(15,B1:B12,A1:A12,0.95,0)", ETS_LINE),
    ("confint_noisy", "=FORECAST.ETS.CONFINT(13,B1:B12,A1:A12,0.95,0)", ETS_NOISY),
    ("confint_noisy_far", "=FORECAST.ETS.CONFINT(16,B1:B12,A1:A12,0.9,0)", ETS_NOISY),
    ("confint_season_exact", "=FORECAST.ETS.CONFINT(28,B1:B24,A1:A24,0.95,4)", ETS_SEASON),
    ("confint_before_end", "=FORECAST.ETS.CONFINT(11,B1:B12,A1:A12,0.95,0)", ETS_LINE),
    ("confint_level_too_high", "=FORECAST.ETS.CONFINT(15,B1:B12,A1:A12,1.5)", ETS_LINE),
    ("confint_level_zero", "=FORECAST.ETS.CONFINT(15,B1:B12,A1:A12,0)", ETS_LINE),
    ("confint_level_one", "=FORECAST.ETS.CONFINT(15,B1:B12,A1:A12,1)", ETS_LINE),
    ("confint_size_mismatch", "=FORECAST.ETS.CONFINT(15,B1:B12,A2:A12)", ETS_LINE),
    ("seasonality_detects_four", "=FORECAST.ETS.SEASONALITY(B1:B24,A1:A24)", ETS_SEASON),
    ("seasonality_line", "=FORECAST.ETS.SEASONALITY(B1:B12,A1:A12)", ETS_LINE),
    ("seasonality_short_cycle", f"=FORECAST.ETS.SEASONALITY({ETS_EXCEL_VALUES},{ETS_EXCEL_TIMELINE})"),
    ("seasonality_completion_invalid", "=FORECAST.ETS.SEASONALITY(B1:B12,A1:A12,3)", ETS_LINE),
    ("seasonality_irregular", "=FORECAST.ETS.SEASONALITY({1,2,3,4},{1,2,3.5,4.5})"),
    ("stat_line_alpha", "=FORECAST.ETS.STAT(B1:B12,A1:A12,1)", ETS_LINE),
    ("stat_line_beta", "=FORECAST.ETS.STAT(B1:B12,A1:A12,2)", ETS_LINE),
    ("stat_line_gamma", "=FORECAST.ETS.STAT(B1:B12,A1:A12,3)", ETS_LINE),
    ("stat_line_mase", "=FORECAST.ETS.STAT(B1:B12,A1:A12,4)", ETS_LINE),
    ("stat_line_smape", "=FORECAST.ETS.STAT(B1:B12,A1:A12,5)", ETS_LINE),
    ("stat_line_mae", "=FORECAST.ETS.STAT(B1:B12,A1:A12,6)", ETS_LINE),
    ("stat_line_rmse", "=FORECAST.ETS.STAT(B1:B12,A1:A12,7)", ETS_LINE),
    ("stat_line_step", "=FORECAST.ETS.STAT(B1:B12,A1:A12,8)", ETS_LINE),
    ("stat_gap_step", "=FORECAST.ETS.STAT(B1:B11,A1:A11,8)", ETS_GAP),
    ("stat_step_half", "=FORECAST.ETS.STAT({1,2,3,4,5},{0.5,1,1.5,2,2.5},8)"),
    ("stat_season_alpha", "=FORECAST.ETS.STAT(B1:B24,A1:A24,1,4)", ETS_SEASON),
    ("stat_season_rmse", "=FORECAST.ETS.STAT(B1:B24,A1:A24,7,4)", ETS_SEASON),
    ("stat_noisy_alpha", "=FORECAST.ETS.STAT(B1:B12,A1:A12,1,0)", ETS_NOISY),
    ("stat_noisy_beta", "=FORECAST.ETS.STAT(B1:B12,A1:A12,2,0)", ETS_NOISY),
    ("stat_noisy_mase", "=FORECAST.ETS.STAT(B1:B12,A1:A12,4,0)", ETS_NOISY),
    ("stat_noisy_smape", "=FORECAST.ETS.STAT(B1:B12,A1:A12,5,0)", ETS_NOISY),
    ("stat_noisy_mae", "=FORECAST.ETS.STAT(B1:B12,A1:A12,6,0)", ETS_NOISY),
    ("stat_noisy_rmse", "=FORECAST.ETS.STAT(B1:B12,A1:A12,7,0)", ETS_NOISY),
    ("stat_type_zero", "=FORECAST.ETS.STAT(B1:B12,A1:A12,0)", ETS_LINE),
    ("stat_type_nine", "=FORECAST.ETS.STAT(B1:B12,A1:A12,9)", ETS_LINE),
    ("stat_size_mismatch", "=FORECAST.ETS.STAT(B1:B12,A1:A10,1)", ETS_LINE),
])

# ===============================================================================================================
# Statistics: probability distributions, their inverses, tests
# ===============================================================================================================

_group("normal", [
    ("norm_dist_cdf", "=NORM.DIST(42,40,1.5,TRUE)"),
    ("norm_dist_pdf", "=NORM.DIST(42,40,1.5,FALSE)"),
    ("norm_dist_far_tail", "=NORM.DIST(-10,0,1,TRUE)"),
    ("norm_dist_bad_sd", "=NORM.DIST(42,40,0,TRUE)"),
    ("normdist_legacy", "=NORMDIST(42,40,1.5,TRUE)"),
    ("norm_inv_doc", "=NORM.INV(0.908789,40,1.5)"),
    ("norm_inv_tail", "=NORM.INV(1E-10,0,1)"),
    ("norm_inv_upper", "=NORM.INV(0.999,100,15)"),
    ("norm_inv_bad_p", "=NORM.INV(1.5,40,1.5)"),
    ("norminv_legacy", "=NORMINV(0.25,10,2)"),
    ("norm_s_dist_cdf", "=NORM.S.DIST(1.333333,TRUE)"),
    ("norm_s_dist_pdf", "=NORM.S.DIST(1.333333,FALSE)"),
    ("normsdist_legacy", "=NORMSDIST(-2.5)"),
    ("norm_s_inv_doc", "=NORM.S.INV(0.908789)"),
    ("normsinv_legacy", "=NORMSINV(0.025)"),
    ("norm_s_inv_bad", "=NORM.S.INV(0)"),
    ("phi_doc", "=PHI(0.75)"),
    ("phi_negative", "=PHI(-3)"),
    ("gauss_doc", "=GAUSS(2)"),
    ("gauss_negative", "=GAUSS(-0.5)"),
    ("lognorm_dist_cdf", "=LOGNORM.DIST(4,3.5,1.2,TRUE)"),
    ("lognorm_dist_pdf", "=LOGNORM.DIST(4,3.5,1.2,FALSE)"),
    ("lognorm_dist_bad_x", "=LOGNORM.DIST(0,3.5,1.2,TRUE)"),
    ("lognormdist_legacy", "=LOGNORMDIST(4,3.5,1.2)"),
    ("lognorm_inv_doc", "=LOGNORM.INV(0.039084,3.5,1.2)"),
    ("loginv_legacy", "=LOGINV(0.5,1,2)"),
    ("lognorm_inv_bad", "=LOGNORM.INV(1,3.5,1.2)"),
    ("cumulative_as_number", "=NORM.DIST(1,0,1,0)"),
    ("text_argument", '=NORM.DIST("1",0,1,TRUE)'),
])

_group("gammafam", [
    ("gamma_doc", "=GAMMA(2.5)"),
    ("gamma_negative_fraction", "=GAMMA(-3.75)"),
    ("gamma_zero", "=GAMMA(0)"),
    ("gamma_negative_integer", "=GAMMA(-1)"),
    ("gamma_integer", "=GAMMA(6)"),
    ("gammaln_doc", "=GAMMALN(4)"),
    ("gammaln_precise_doc", "=GAMMALN.PRECISE(4.5)"),
    ("gammaln_bad", "=GAMMALN(0)"),
    ("gamma_dist_pdf", "=GAMMA.DIST(10.00001131,9,2,FALSE)"),
    ("gamma_dist_cdf", "=GAMMA.DIST(10.00001131,9,2,TRUE)"),
    ("gamma_dist_small_shape", "=GAMMA.DIST(0.5,0.3,1,TRUE)"),
    ("gamma_dist_large_shape", "=GAMMA.DIST(480,500,1,TRUE)"),
    ("gammadist_legacy", "=GAMMADIST(2,3,2,FALSE)"),
    ("gamma_dist_bad", "=GAMMA.DIST(-1,9,2,TRUE)"),
    ("gamma_inv_doc", "=GAMMA.INV(0.068094,9,2)"),
    ("gamma_inv_small_shape", "=GAMMA.INV(0.9,0.5,3)"),
    ("gammainv_legacy", "=GAMMAINV(0.5,3,1)"),
    ("gamma_inv_zero", "=GAMMA.INV(0,3,1)"),
    ("gamma_inv_bad", "=GAMMA.INV(1,3,1)"),
    ("expon_dist_cdf", "=EXPON.DIST(0.2,10,TRUE)"),
    ("expon_dist_pdf", "=EXPON.DIST(0.2,10,FALSE)"),
    ("expondist_legacy", "=EXPONDIST(1,0.5,TRUE)"),
    ("expon_dist_bad_lambda", "=EXPON.DIST(0.2,0,TRUE)"),
    ("weibull_dist_cdf", "=WEIBULL.DIST(105,20,100,TRUE)"),
    ("weibull_dist_pdf", "=WEIBULL.DIST(105,20,100,FALSE)"),
    ("weibull_legacy", "=WEIBULL(2,1.5,3,TRUE)"),
    ("weibull_bad", "=WEIBULL.DIST(-1,20,100,TRUE)"),
    ("fisher_doc", "=FISHER(0.75)"),
    ("fisher_bad", "=FISHER(1)"),
    ("fisherinv_doc", "=FISHERINV(0.972955)"),
])

_group("chisq", [
    ("dist_cdf", "=CHISQ.DIST(0.5,1,TRUE)"),
    ("dist_pdf", "=CHISQ.DIST(2,3,FALSE)"),
    ("dist_df_truncated", "=CHISQ.DIST(3,4.9,TRUE)"),
    ("dist_bad_x", "=CHISQ.DIST(-1,4,TRUE)"),
    ("dist_bad_df", "=CHISQ.DIST(1,0.5,TRUE)"),
    ("dist_rt_doc", "=CHISQ.DIST.RT(18.307,10)"),
    ("dist_rt_far", "=CHISQ.DIST.RT(100,10)"),
    ("chidist_legacy", "=CHIDIST(18.307,10)"),
    ("inv_doc", "=CHISQ.INV(0.93,1)"),
    ("inv_doc2", "=CHISQ.INV(0.6,2)"),
    ("inv_large_df", "=CHISQ.INV(0.5,150)"),
    ("inv_bad", "=CHISQ.INV(1,2)"),
    ("inv_rt_doc", "=CHISQ.INV.RT(0.050001,10)"),
    ("inv_rt_tiny", "=CHISQ.INV.RT(1E-12,3)"),
    ("chiinv_legacy", "=CHIINV(0.05,5)"),
    ("inv_rt_bad", "=CHISQ.INV.RT(0,5)"),
])

_group("betadist", [
    ("dist_cdf_doc", "=BETA.DIST(2,8,10,TRUE,1,3)"),
    ("dist_pdf_doc", "=BETA.DIST(2,8,10,FALSE,1,3)"),
    ("dist_unit", "=BETA.DIST(0.3,2,5,TRUE)"),
    ("dist_small_shapes", "=BETA.DIST(0.1,0.5,0.5,TRUE)"),
    ("dist_outside", "=BETA.DIST(4,8,10,TRUE,1,3)"),
    ("dist_bad_shape", "=BETA.DIST(0.5,0,10,TRUE)"),
    ("betadist_legacy", "=BETADIST(2,8,10,1,3)"),
    ("inv_doc", "=BETA.INV(0.685470581,8,10,1,3)"),
    ("inv_unit", "=BETA.INV(0.2,2,3)"),
    ("inv_skewed", "=BETA.INV(0.999,50,3)"),
    ("betainv_legacy", "=BETAINV(0.5,2,2,0,10)"),
    ("inv_bad_p", "=BETA.INV(1.5,2,3)"),
    ("inv_p_one", "=BETA.INV(1,2,3)"),
])

_group("tdist", [
    ("dist_cdf_doc", "=T.DIST(60,1,TRUE)"),
    ("dist_pdf_doc", "=T.DIST(8,3,FALSE)"),
    ("dist_negative", "=T.DIST(-1.5,10,TRUE)"),
    ("dist_large_df", "=T.DIST(1.96,1000,TRUE)"),
    ("dist_df_truncated", "=T.DIST(1,2.9,TRUE)"),
    ("dist_bad_df", "=T.DIST(1,0.5,TRUE)"),
    ("dist_2t_doc", "=T.DIST.2T(1.959999998,60)"),
    ("dist_2t_negative", "=T.DIST.2T(-1,60)"),
    ("dist_rt_doc", "=T.DIST.RT(1.959999998,60)"),
    ("dist_rt_negative", "=T.DIST.RT(-1,5)"),
    ("tdist_legacy_two", "=TDIST(1.959999998,60,2)"),
    ("tdist_legacy_one", "=TDIST(1.959999998,60,1)"),
    ("tdist_bad_tails", "=TDIST(1,60,3)"),
    ("tdist_negative", "=TDIST(-1,60,1)"),
    ("inv_doc", "=T.INV(0.75,2)"),
    ("inv_lower", "=T.INV(0.05,12)"),
    ("inv_extreme", "=T.INV(1E-8,4)"),
    ("inv_half", "=T.INV(0.5,7)"),
    ("inv_bad", "=T.INV(0,7)"),
    ("inv_2t_doc", "=T.INV.2T(0.546449,60)"),
    ("inv_2t_small", "=T.INV.2T(0.001,3)"),
    ("tinv_legacy", "=TINV(0.05,10)"),
    ("inv_2t_one", "=T.INV.2T(1,10)"),
    ("inv_2t_bad", "=T.INV.2T(1.5,10)"),
])

_group("fdist", [
    ("dist_cdf_doc", "=F.DIST(15.2069,6,4,TRUE)"),
    ("dist_pdf_doc", "=F.DIST(15.2069,6,4,FALSE)"),
    ("dist_small_x", "=F.DIST(0.5,3,8,TRUE)"),
    ("dist_bad_x", "=F.DIST(-1,6,4,TRUE)"),
    ("dist_bad_df", "=F.DIST(1,0,4,TRUE)"),
    ("dist_rt_doc", "=F.DIST.RT(15.2068649,6,4)"),
    ("fdist_legacy", "=FDIST(2.5,5,12)"),
    ("inv_doc", "=F.INV(0.01,6,4)"),
    ("inv_median", "=F.INV(0.5,10,20)"),
    ("inv_rt_doc", "=F.INV.RT(0.01,6,4)"),
    ("finv_legacy", "=FINV(0.05,3,30)"),
    ("inv_bad", "=F.INV(1.5,6,4)"),
])

_group("discrete", [
    ("binom_pmf_doc", "=BINOM.DIST(6,10,0.5,FALSE)"),
    ("binom_cdf", "=BINOM.DIST(6,10,0.5,TRUE)"),
    ("binom_cdf_skewed", "=BINOM.DIST(3,20,0.4,TRUE)"),
    ("binom_large", "=BINOM.DIST(5000,10000,0.5,FALSE)"),
    ("binom_truncates", "=BINOM.DIST(6.9,10.2,0.5,FALSE)"),
    ("binomdist_legacy", "=BINOMDIST(2,5,0.3,TRUE)"),
    ("binom_bad_k", "=BINOM.DIST(11,10,0.5,FALSE)"),
    ("binom_bad_p", "=BINOM.DIST(2,10,1.5,FALSE)"),
    ("binom_p_zero", "=BINOM.DIST(0,10,0,FALSE)"),
    ("binom_range_doc", "=BINOM.DIST.RANGE(60,0.75,48)"),
    ("binom_range_doc2", "=BINOM.DIST.RANGE(60,0.75,45,50)"),
    ("binom_range_bad", "=BINOM.DIST.RANGE(60,0.75,50,45)"),
    ("binom_range_empty_upper", "=BINOM.DIST.RANGE(2,0.1,2,F1)"),
    ("binom_inv_doc", "=BINOM.INV(6,0.5,0.75)"),
    ("binom_inv_low_alpha", "=BINOM.INV(100,0.3,0.01)"),
    ("critbinom_legacy", "=CRITBINOM(50,0.2,0.9)"),
    ("binom_inv_bad", "=BINOM.INV(6,0.5,1.5)"),
    ("poisson_cdf_doc", "=POISSON.DIST(2,5,TRUE)"),
    ("poisson_pmf_doc", "=POISSON.DIST(2,5,FALSE)"),
    ("poisson_large_mean", "=POISSON.DIST(1000,1000,TRUE)"),
    ("poisson_legacy", "=POISSON(3,2.5,FALSE)"),
    ("poisson_bad", "=POISSON.DIST(-1,5,TRUE)"),
    ("hypgeom_cdf_doc", "=HYPGEOM.DIST(1,4,8,20,TRUE)"),
    ("hypgeom_pmf_doc", "=HYPGEOM.DIST(1,4,8,20,FALSE)"),
    ("hypgeom_large", "=HYPGEOM.DIST(40,100,400,1000,TRUE)"),
    ("hypgeomdist_legacy", "=HYPGEOMDIST(1,4,8,20)"),
    ("hypgeom_bad", "=HYPGEOM.DIST(5,4,8,20,FALSE)"),
    ("negbinom_cdf_doc", "=NEGBINOM.DIST(10,5,0.25,TRUE)"),
    ("negbinom_pmf_doc", "=NEGBINOM.DIST(10,5,0.25,FALSE)"),
    ("negbinomdist_legacy", "=NEGBINOMDIST(10,5,0.25)"),
    ("negbinom_bad", "=NEGBINOM.DIST(10,0,0.25,FALSE)"),
    ("prob_doc_single", "=PROB({0,1,2,3},{0.2,0.3,0.1,0.4},2)"),
    ("prob_doc_range", "=PROB({0,1,2,3},{0.2,0.3,0.1,0.4},1,3)"),
    ("prob_bad_sum", "=PROB({0,1,2},{0.2,0.3,0.1},1)"),
    ("prob_size_mismatch", "=PROB({0,1,2},{0.5,0.5},1)"),
])

# Two samples in A1:A10 and B1:B10 for the tests.
SAMPLES = {f"A{i + 1}": v for i, v in enumerate([3, 4, 5, 8, 9, 1, 2, 4, 5, 6])} | {
    f"B{i + 1}": v for i, v in enumerate([6, 19, 3, 2, 14, 4, 5, 17, 1, 8])
}

_group("htest", [
    ("ttest_paired_two", "=T.TEST(A1:A9,B1:B9,2,1)", SAMPLES),
    ("ttest_paired_one", "=T.TEST(A1:A9,B1:B9,1,1)", SAMPLES),
    ("ttest_equal_var", "=T.TEST(A1:A10,B1:B10,2,2)", SAMPLES),
    ("ttest_welch", "=T.TEST(A1:A10,B1:B10,2,3)", SAMPLES),
    ("ttest_welch_unequal_sizes", "=T.TEST(A1:A10,B1:B6,1,3)", SAMPLES),
    ("ttest_legacy", "=TTEST(A1:A10,B1:B10,2,2)", SAMPLES),
    ("ttest_bad_tails", "=T.TEST(A1:A10,B1:B10,3,2)", SAMPLES),
    ("ttest_bad_type", "=T.TEST(A1:A10,B1:B10,2,4)", SAMPLES),
    ("ttest_paired_size_mismatch", "=T.TEST(A1:A10,B1:B9,2,1)", SAMPLES),
    ("ztest_doc", "=Z.TEST({3,6,7,8,6,5,4,2,1,9},4)"),
    ("ztest_doc_high", "=Z.TEST({3,6,7,8,6,5,4,2,1,9},6)"),
    ("ztest_sigma", "=Z.TEST(A1:A10,4,2)", SAMPLES),
    ("ztest_legacy", "=ZTEST(A1:A10,5)", SAMPLES),
    ("ftest_doc", "=F.TEST({6,7,9,15,21},{20,28,31,38,40})"),
    ("ftest_range", "=F.TEST(A1:A10,B1:B10)", SAMPLES),
    ("ftest_legacy", "=FTEST(A1:A10,B1:B10)", SAMPLES),
    ("ftest_too_few", "=F.TEST({1},{2,3})"),
    ("chisq_test_doc", "=CHISQ.TEST(A1:B3,C1:D3)",
     {"A1": 58, "B1": 35, "A2": 11, "B2": 25, "A3": 10, "B3": 23,
      "C1": 45.35, "D1": 47.65, "C2": 17.56, "D2": 18.44, "C3": 16.09, "D3": 16.91}),
    ("chisq_test_column", "=CHISQ.TEST({10;20;30},{15;20;25})"),
    ("chitest_legacy", "=CHITEST({10,20,30},{15,20,25})"),
    ("chisq_test_shape_mismatch", "=CHISQ.TEST({10,20,30},{15,20})"),
    ("confidence_norm_doc", "=CONFIDENCE.NORM(0.05,2.5,50)"),
    ("confidence_legacy", "=CONFIDENCE(0.1,1.2,30)"),
    ("confidence_norm_bad", "=CONFIDENCE.NORM(1,2.5,50)"),
    ("confidence_t_doc", "=CONFIDENCE.T(0.05,1,50)"),
    ("confidence_t_small", "=CONFIDENCE.T(0.01,3.2,4)"),
    ("confidence_t_one", "=CONFIDENCE.T(0.05,1,1)"),
])

# ===============================================================================================================
# Database functions
# ===============================================================================================================

# The DSUM documentation layout: criteria in A1:F3, the database in A5:E11.
ORCHARD = {
    "A1": "Tree", "B1": "Height", "C1": "Age", "D1": "Yield", "E1": "Profit", "F1": "Height",
    "A2": '="=Apple"', "B2": ">10", "F2": "<16",
    "A3": '="=Pear"',
    "A5": "Tree", "B5": "Height", "C5": "Age", "D5": "Yield", "E5": "Profit",
    "A6": "Apple", "B6": 18, "C6": 20, "D6": 14, "E6": 105,
    "A7": "Pear", "B7": 12, "C7": 12, "D7": 10, "E7": 96,
    "A8": "Cherry", "B8": 13, "C8": 14, "D8": 9, "E8": 105,
    "A9": "Apple", "B9": 14, "C9": 15, "D9": 10, "E9": 75,
    "A10": "Pear", "B10": 9, "C10": 8, "D10": 8, "E10": 76.8,
    "A11": "Apple", "B11": 8, "C11": 9, "D11": 6, "E11": 45,
    "H1": "Tree", "H2": "Apple", "I1": "Age", "I2": ">=16", "J1": "Profit", "J2": ">100", "J3": "<50",
    "K1": "tree", "K2": "P*", "L1": "Yield", "L2": 10, "M1": "Tree", "M2": "=",
}

_group("dbfn", [
    ("dcount_doc", '=DCOUNT(A5:E11,"Age",A1:F2)', ORCHARD),
    ("dcounta_doc", '=DCOUNTA(A5:E11,"Profit",A1:F2)', ORCHARD),
    ("dmax_doc", '=DMAX(A5:E11,"Profit",A1:A3)', ORCHARD),
    ("dmin_doc", '=DMIN(A5:E11,"Profit",A1:B2)', ORCHARD),
    ("dsum_doc", '=DSUM(A5:E11,"Profit",A1:A2)', ORCHARD),
    ("dsum_doc_and", '=DSUM(A5:E11,"Profit",A1:F2)', ORCHARD),
    ("dproduct_doc", '=DPRODUCT(A5:E11,"Yield",A1:F2)', ORCHARD),
    ("daverage_doc", '=DAVERAGE(A5:E11,"Yield",A1:B2)', ORCHARD),
    ("daverage_all", "=DAVERAGE(A5:E11,3,A5:E11)", ORCHARD),
    ("dstdev_doc", '=DSTDEV(A5:E11,"Yield",A1:A3)', ORCHARD),
    ("dstdevp_doc", '=DSTDEVP(A5:E11,"Yield",A1:A3)', ORCHARD),
    ("dvar_doc", '=DVAR(A5:E11,"Yield",A1:A3)', ORCHARD),
    ("dvarp_doc", '=DVARP(A5:E11,"Yield",A1:A3)', ORCHARD),
    ("dget_several", '=DGET(A5:E11,"Yield",A1:A3)', ORCHARD),
    ("dget_one", '=DGET(A5:E11,"Yield",H1:I2)', ORCHARD),
    ("dget_none", '=DGET(A5:E11,"Yield",M1:M2)', ORCHARD),
    ("field_by_number", "=DSUM(A5:E11,5,H1:H2)", ORCHARD),
    ("field_case_insensitive", '=DSUM(A5:E11,"PROFIT",H1:H2)', ORCHARD),
    ("field_unknown", '=DSUM(A5:E11,"Price",H1:H2)', ORCHARD),
    ("field_number_too_big", "=DSUM(A5:E11,6,H1:H2)", ORCHARD),
    ("or_rows", '=DSUM(A5:E11,"Yield",J1:J3)', ORCHARD),
    ("two_columns_and", '=DCOUNT(A5:E11,"Age",H1:I2)', ORCHARD),
    ("label_case_and_wildcard", '=DSUM(A5:E11,"Profit",K1:K2)', ORCHARD),
    ("numeric_criterion", '=DCOUNT(A5:E11,"Profit",L1:L2)', ORCHARD),
    ("dcount_no_field", "=DCOUNT(A5:E11,,H1:H2)", ORCHARD),
    ("dcounta_text_field", '=DCOUNTA(A5:E11,"Tree",I1:I2)', ORCHARD),
    ("dmax_no_match", '=DMAX(A5:E11,"Yield",M1:M2)', ORCHARD),
    ("daverage_no_match", '=DAVERAGE(A5:E11,"Yield",M1:M2)', ORCHARD),
])

# ===============================================================================================================
# Behaviour measured in workbooks Excel calculated (date, financial, statistical and database functions)
# ===============================================================================================================

# Criteria keep 15 significant digits: A1 (0.30000000000000004) equals 0.3 in a criterion.
FIFTEEN_DIGITS = {"A1": "=0.1+0.2", "A2": 0.3, "A3": 0.4, "A4": "x"}  # A5 is empty
# Two columns labelled Qty (the first is the field) and one labelled with the logical TRUE.
DUPLICATE_LABELS = {
    "A1": "Name", "B1": "Qty", "C1": "Qty", "D1": True,
    "A2": "ant", "B2": 1, "C2": 10, "D2": "x",
    "A3": "bee", "B3": 2, "C3": 20, "D3": "y",
    "A4": "cat", "B4": 3, "C4": 30, "D4": "x",
    "F1": "Qty", "F2": ">1", "G1": "true", "G2": "x",
}

_group("measured", [
    ("criteria_fifteen_digits_greater", '=COUNTIF(A1:A3,">"&A1)', FIFTEEN_DIGITS),
    ("criteria_fifteen_digits_equal", "=COUNTIF(A1:A3,A2)", FIFTEEN_DIGITS),
    ("criteria_lone_operator", '=COUNTIF(A1:A5,">")', FIFTEEN_DIGITS),
    ("criteria_lone_operator_le", '=COUNTIF(A1:A5,"<=")', FIFTEEN_DIGITS),
    ("ddb_fractional_period", "=DDB(100,10.233,4.2312,3.2,1.5)"),
    ("db_fractional_month", "=DB(100,10,4,3,9.2222)"),
    ("db_fractional_period", "=DB(12,10,4,4.5,2)"),
    ("vdb_fractional_start_straight_line", "=VDB(1,0,14,3.5,4.5,1.25)"),
    ("vdb_fractional_start_declining", "=VDB(1,0,14,2.5,3.5,1.25)"),
    ("vdb_fractional_start_end_of_life", "=VDB(1,0,14,13.5,14,1.25)"),
    ("binom_inv_alpha_zero", "=BINOM.INV(10,0.7,0)"),
    ("binom_inv_alpha_one", "=BINOM.INV(10,0.7,1)"),
    ("binom_inv_probability_one", "=BINOM.INV(10,1,0.8)"),
    ("negbinom_probability_zero", "=NEGBINOM.DIST(2,10,0,TRUE)"),
    ("negbinom_probability_one", "=NEGBINOM.DIST(2,10,1,TRUE)"),
    ("accrint_after_first_interest", "=ACCRINT(DATE(2021,6,1),DATE(2021,12,1),DATE(2022,3,1),0.025,5000,2,1,TRUE)"),
    ("accrint_after_first_interest_basis2", "=ACCRINT(DATE(2021,6,1),DATE(2021,12,1),DATE(2022,9,1),0.075,100,2,2)"),
    ("accrint_on_coupon_date", "=ACCRINT(DATE(2020,1,1),DATE(2020,7,1),DATE(2021,1,1),0.025,5000,2,3,TRUE)"),
    ("xnpv_negative_rate", "=XNPV(-0.1,A1:A5,B1:B5)", DATED_FLOWS),
    ("mirr_only_outflows", "=MIRR({-100,-50,-25},0.1,0.12)"),
    ("database_first_of_equal_labels", '=DSUM(A1:D4,"Qty",F1:F2)', DUPLICATE_LABELS),
    ("database_logical_label", '=DCOUNTA(A1:D4,"Name",G1:G2)', DUPLICATE_LABELS),
    ("database_logical_field", "=DCOUNTA(A1:D4,TRUE,F1:F2)", DUPLICATE_LABELS),
    ("database_without_records", '=DCOUNT(A1:D1,"Qty",F1:F2)', DUPLICATE_LABELS),
])
# ===============================================================================================================
# Math and trigonometry library (trigonometry, integer functions, rounding, series, numerals, SUBTOTAL/AGGREGATE)
# ===============================================================================================================

_group("trig", [
    ("pi", "=PI()"),
    ("pi_times", "=PI()*2"),
    ("sin_half_pi", "=SIN(PI()/2)"),
    ("sin_degrees", "=SIN(RADIANS(30))"),
    ("sin_text", '=SIN("1")'),
    ("sin_bool", "=SIN(TRUE)"),
    ("sin_blank", "=SIN(A1)"),
    ("sin_bad_text", '=SIN("x")'),
    ("sin_large", "=SIN(134217727)"),
    ("sin_too_large", "=SIN(2^27)"),
    ("cos_zero", "=COS(0)"),
    ("cos_pi", "=COS(PI())"),
    ("cos_value", "=COS(1.047)"),
    ("cos_too_large", "=COS(-2^27)"),
    ("tan_value", "=TAN(0.785)"),
    ("tan_degrees", "=TAN(RADIANS(45))"),
    ("tan_too_large", "=TAN(1E+10)"),
    ("asin_half", "=ASIN(0.5)"),
    ("asin_degrees", "=DEGREES(ASIN(-0.5))"),
    ("asin_out_of_domain", "=ASIN(1.5)"),
    ("acos_value", "=ACOS(-0.5)"),
    ("acos_one", "=ACOS(1)"),
    ("acos_out_of_domain", "=ACOS(-2)"),
    ("atan_one", "=ATAN(1)"),
    ("atan_large", "=ATAN(1E+300)"),
    ("atan2_basic", "=ATAN2(1,1)"),
    ("atan2_quadrant", "=ATAN2(-1,-1)"),
    ("atan2_y_axis", "=ATAN2(0,2)"),
    ("atan2_negative_x", "=ATAN2(-1,0)"),
    ("atan2_origin", "=ATAN2(0,0)"),
    ("atan2_text", '=ATAN2("a",1)'),
    ("sinh_value", "=SINH(1)"),
    ("sinh_doc", "=2.868*SINH(0.0342*1.03)"),
    ("sinh_overflow", "=SINH(1000)"),
    ("cosh_value", "=COSH(4)"),
    ("cosh_e", "=COSH(EXP(1))"),
    ("cosh_overflow", "=COSH(-800)"),
    ("tanh_value", "=TANH(-2)"),
    ("tanh_large", "=TANH(1000)"),
    ("asinh_value", "=ASINH(-2.5)"),
    ("asinh_ten", "=ASINH(10)"),
    ("acosh_one", "=ACOSH(1)"),
    ("acosh_ten", "=ACOSH(10)"),
    ("acosh_below_one", "=ACOSH(0.5)"),
    ("atanh_value", "=ATANH(0.76159416)"),
    ("atanh_negative", "=ATANH(-0.1)"),
    ("atanh_one", "=ATANH(1)"),
    ("cot_value", "=COT(30)"),
    ("cot_small", "=COT(0.5)"),
    ("cot_zero", "=COT(0)"),
    ("cot_too_large", "=COT(2^27)"),
    ("coth_value", "=COTH(2)"),
    ("coth_zero", "=COTH(0)"),
    ("coth_huge", "=COTH(9999999999999)"),
    ("sech_huge", "=SECH(2^27)"),
    ("csc_value", "=CSC(15)"),
    ("csc_zero", "=CSC(0)"),
    ("csch_value", "=CSCH(1.5)"),
    ("csch_zero", "=CSCH(0)"),
    ("sec_value", "=SEC(45)"),
    ("sec_zero", "=SEC(0)"),
    ("sech_value", "=SECH(45)"),
    ("sech_zero", "=SECH(0)"),
    ("acot_two", "=ACOT(2)"),
    ("acot_zero", "=ACOT(0)"),
    ("acot_negative", "=ACOT(-1)"),
    ("acoth_value", "=ACOTH(6)"),
    ("acoth_negative", "=ACOTH(-3)"),
    ("acoth_inside", "=ACOTH(0.5)"),
    ("acoth_one", "=ACOTH(1)"),
    ("radians_270", "=RADIANS(270)"),
    ("radians_text", '=RADIANS("180")'),
    ("degrees_pi", "=DEGREES(PI())"),
    ("degrees_ref", "=DEGREES(A1)", {"A1": 1.5}),
    ("sin_range_intersection", "=SIN(@A1:A3)", {"A1": 1, "A2": 2, "A3": 3}, "B2"),
    ("sumproduct_sin", "=SUMPRODUCT(SIN(A1:A3))", {"A1": 1, "A2": 2, "A3": 3}),
])

_group("intfn", [
    ("fact_five", "=FACT(5)"),
    ("fact_fraction", "=FACT(1.9)"),
    ("fact_zero", "=FACT(0)"),
    ("fact_one", "=FACT(1)"),
    ("fact_negative", "=FACT(-1)"),
    ("fact_170", "=FACT(170)"),
    ("fact_171", "=FACT(171)"),
    ("fact_text", '=FACT("4")'),
    ("fact_bool", "=FACT(TRUE)"),
    ("factdouble_six", "=FACTDOUBLE(6)"),
    ("factdouble_seven", "=FACTDOUBLE(7)"),
    ("factdouble_zero", "=FACTDOUBLE(0)"),
    ("factdouble_fraction", "=FACTDOUBLE(7.9)"),
    ("factdouble_negative", "=FACTDOUBLE(-2)"),
    ("factdouble_large", "=FACTDOUBLE(300)"),
    ("factdouble_overflow", "=FACTDOUBLE(302)"),
    ("combin_doc", "=COMBIN(8,2)"),
    ("combin_fraction", "=COMBIN(8.9,2.9)"),
    ("combin_zero", "=COMBIN(5,0)"),
    ("combin_same", "=COMBIN(5,5)"),
    ("combin_too_many", "=COMBIN(2,3)"),
    ("combin_negative", "=COMBIN(-1,0)"),
    ("combin_large", "=COMBIN(60,30)"),
    ("combin_big_n", "=COMBIN(1000000,3)"),
    ("combin_overflow", "=COMBIN(2000,1000)"),
    ("combina_doc", "=COMBINA(4,3)"),
    ("combina_doc2", "=COMBINA(10,3)"),
    ("combina_zero", "=COMBINA(0,0)"),
    ("combina_chosen_zero", "=COMBINA(5,0)"),
    ("combina_negative", "=COMBINA(-1,2)"),
    ("combina_chosen_above", "=COMBINA(3,5)"),
    ("permut_doc", "=PERMUT(100,3)"),
    ("permut_doc2", "=PERMUT(3,2)"),
    ("permut_zero_chosen", "=PERMUT(5,0)"),
    ("permut_too_many", "=PERMUT(2,3)"),
    ("permut_negative", "=PERMUT(5,-1)"),
    ("permut_fraction", "=PERMUT(5.7,2.2)"),
    ("permutationa_doc", "=PERMUTATIONA(3,2)"),
    ("permutationa_doc2", "=PERMUTATIONA(2,2)"),
    ("permutationa_zero", "=PERMUTATIONA(0,0)"),
    ("permutationa_negative", "=PERMUTATIONA(-1,2)"),
    ("gcd_doc", "=GCD(5,2)"),
    ("gcd_doc2", "=GCD(24,36)"),
    ("gcd_doc3", "=GCD(7,1)"),
    ("gcd_doc4", "=GCD(5,0)"),
    ("gcd_fraction", "=GCD(24.9,36.2)"),
    ("gcd_negative", "=GCD(-4,2)"),
    ("gcd_range", "=GCD(A1:A3)", {"A1": 12, "A2": 18, "A3": 30}),
    ("gcd_range_blank", "=GCD(A1:A3)", {"A1": 12, "A3": 30}),
    ("gcd_text_number", '=GCD("12",8)'),
    ("gcd_text", '=GCD("a",8)'),
    ("gcd_array", "=GCD({12,18},6)"),
    ("gcd_huge", "=GCD(2^53,2)"),
    ("lcm_doc", "=LCM(5,2)"),
    ("lcm_doc2", "=LCM(24,36)"),
    ("lcm_zero", "=LCM(4,0)"),
    ("lcm_range", "=LCM(A1:A3)", {"A1": 4, "A2": 6, "A3": 10}),
    ("lcm_negative", "=LCM(-2,4)"),
    ("lcm_fraction", "=LCM(4.5,6.5)"),
    ("lcm_blank_cell_skipped", "=LCM(A1,B1,C1)", {"A1": 10, "B1": 3}),
    ("lcm_blank_in_range", "=LCM(A1:B1)", {"B1": 5}),
    ("gcd_only_blanks", "=GCD(A1,B1)"),
    ("gcd_omitted", "=GCD(,4)"),
    ("combina_from_nothing", "=COMBINA(0,5)"),
    ("combina_chosen_far_above", "=COMBINA(3,10)"),
    ("multinomial_doc", "=MULTINOMIAL(2,3,4)"),
    ("multinomial_single", "=MULTINOMIAL(5)"),
    ("multinomial_zero", "=MULTINOMIAL(0,0)"),
    ("multinomial_range", "=MULTINOMIAL(A1:A2)", {"A1": 3, "A2": 2}),
    ("multinomial_negative", "=MULTINOMIAL(1,-1)"),
    ("multinomial_fraction", "=MULTINOMIAL(2.9,1.1)"),
])

_group("rnd", [
    ("even_fraction", "=EVEN(1.5)"),
    ("even_odd", "=EVEN(3)"),
    ("even_even", "=EVEN(2)"),
    ("even_negative", "=EVEN(-1)"),
    ("even_zero", "=EVEN(0)"),
    ("even_negative_fraction", "=EVEN(-2.5)"),
    ("even_text", '=EVEN("x")'),
    ("odd_fraction", "=ODD(1.5)"),
    ("odd_three", "=ODD(3)"),
    ("odd_two", "=ODD(2)"),
    ("odd_negative", "=ODD(-1)"),
    ("odd_negative_even", "=ODD(-2)"),
    ("odd_zero", "=ODD(0)"),
    ("odd_small", "=ODD(0.1)"),
    ("mround_doc", "=MROUND(10,3)"),
    ("mround_doc_negative", "=MROUND(-10,-3)"),
    ("mround_doc_decimal", "=MROUND(1.3,0.2)"),
    ("mround_doc_signs", "=MROUND(5,-2)"),
    ("mround_half", "=MROUND(5,2)"),
    ("mround_zero_multiple", "=MROUND(5,0)"),
    ("mround_zero_number", "=MROUND(0,5)"),
    ("mround_time", '=MROUND(0.3,1/24)'),
    ("mround_binary_noise", "=MROUND(6.05,0.1)"),
    ("mround_negative_half", "=MROUND(-7,-2)"),
    ("quotient_doc", "=QUOTIENT(5,2)"),
    ("quotient_doc2", "=QUOTIENT(4.5,3.1)"),
    ("quotient_doc3", "=QUOTIENT(-10,3)"),
    ("quotient_zero", "=QUOTIENT(1,0)"),
    ("quotient_noise", "=QUOTIENT(0.3,0.1)"),
    ("quotient_text", '=QUOTIENT("9",2)'),
    ("floor_zero_zero", "=FLOOR(0,0)"),
    ("floor_zero_negative", "=FLOOR(0,-1)"),
    ("floor_negative_zero_step", "=FLOOR(-3,0)"),
    ("floor_text_date", '=FLOOR("2024-01-31",7)'),
    ("floor_time_text", '=FLOOR(0.40,"0:15")'),
    ("floor_error_first", "=FLOOR(1/0,0)"),
    ("floor_text_before_zero", '=FLOOR("x",0)'),
    ("ceiling_time_text", '=CEILING(0.40,"0:15")'),
    ("ceiling_error_second", '=CEILING(2,"x")'),
    ("ceiling_zero_zero", "=CEILING(0,0)"),
    ("ceiling_math_doc", "=CEILING.MATH(24.3,5)"),
    ("ceiling_math_default", "=CEILING.MATH(6.7)"),
    ("ceiling_math_negative", "=CEILING.MATH(-8.1,2)"),
    ("ceiling_math_mode", "=CEILING.MATH(-5.5,2,-1)"),
    ("ceiling_precise_doc", "=CEILING.PRECISE(-4.6,-2)"),
    ("ceiling_precise_default", "=CEILING.PRECISE(4.3)"),
    ("iso_ceiling_doc", "=ISO.CEILING(-4.3,2)"),
    ("ecma_ceiling_positive", "=ECMA.CEILING(2.5,1)"),
    ("ecma_ceiling_negative", "=ECMA.CEILING(-2.5,-2)"),
    ("ecma_ceiling_signs_differ", "=ECMA.CEILING(-2.5,2)"),
    ("floor_date_text_spaces", '=FLOOR(" 2024-01-10 ",7)'),
    ("floor_text_error_order", '=FLOOR("eight",1/0)'),
    ("mround_logical", "=MROUND(TRUE,2)"),
    ("mround_omitted", "=MROUND(,2)"),
    ("quotient_logicals", "=QUOTIENT(TRUE,TRUE)"),
    ("floor_math_doc", "=FLOOR.MATH(-5.5,2,-1)"),
    ("floor_math_default", "=FLOOR.MATH(24.3,5)"),
    ("floor_precise_doc", "=FLOOR.PRECISE(-3.2,-1)"),
    ("floor_precise_positive", "=FLOOR.PRECISE(3.2)"),
])

_group("series", [
    ("sqrtpi_one", "=SQRTPI(1)"),
    ("sqrtpi_two", "=SQRTPI(2)"),
    ("sqrtpi_negative", "=SQRTPI(-1)"),
    ("sumsq_doc", "=SUMSQ(3,4)"),
    ("sumsq_range", "=SUMSQ(A1:A4)", {"A1": 1, "A2": "2", "A3": True, "A4": 3}),
    ("sumsq_direct_text", '=SUMSQ("2",TRUE)'),
    ("sumsq_bad_text", '=SUMSQ("x")'),
    ("sumsq_error", "=SUMSQ(A1:A2)", {"A1": 1, "A2": "=1/0"}),
    ("sumx2my2_doc", "=SUMX2MY2({2,3,9,1,8,7,5},{6,5,11,7,5,4,4})"),
    ("sumx2my2_ranges", "=SUMX2MY2(A1:A3,B1:B3)", {"A1": 2, "A2": 3, "A3": "x", "B1": 6, "B2": 5, "B3": 4}),
    ("sumx2my2_size", "=SUMX2MY2({1,2},{1,2,3})"),
    ("sumx2my2_error", "=SUMX2MY2(A1:A2,B1:B2)", {"A1": 1, "A2": "=1/0", "B1": 1, "B2": 2}),
    ("sumx2py2_doc", "=SUMX2PY2({2,3,9,1,8,7,5},{6,5,11,7,5,4,4})"),
    ("sumx2py2_blank", "=SUMX2PY2(A1:A2,B1:B2)", {"A1": 3, "B1": 4, "B2": 5}),
    ("sumxmy2_doc", "=SUMXMY2({2,3,9,1,8,7,5},{6,5,11,7,5,4,4})"),
    ("sumxmy2_shape", "=SUMXMY2(A1:B1,C1:C2)", {"A1": 1, "B1": 2, "C1": 3, "C2": 5}),
    ("sumxmy2_scalars", "=SUMXMY2(3,1)"),
    ("percentof_doc", "=PERCENTOF(A1:A2,A1:A4)", {"A1": 10, "A2": 30, "A3": 20, "A4": 40}),
    ("percentof_scalars", "=PERCENTOF(1,4)"),
    ("percentof_zero_total", "=PERCENTOF(0,A1)"),
    ("percentof_text_in_range", "=PERCENTOF(A1,A1:A3)", {"A1": 5, "A2": "x", "A3": 15}),
    ("seriessum_doc", "=SERIESSUM(PI()/4,0,2,A1:A4)",
     {"A1": 1, "A2": -0.5, "A3": 0.041666667, "A4": -0.001388889}),
    ("seriessum_array", "=SERIESSUM(2,1,1,{1,1,1})"),
    ("seriessum_scalar", "=SERIESSUM(2,3,1,5)"),
    ("seriessum_text_coefficient", "=SERIESSUM(2,1,1,A1:A2)", {"A1": 1, "A2": "x"}),
    ("seriessum_zero_x", "=SERIESSUM(0,1,1,{1,2})"),
    ("seriessum_bad_x", '=SERIESSUM("x",1,1,{1,2})'),
    ("seriessum_zero_to_zero", "=SERIESSUM(0,0,2,{1,2,3})"),
    ("seriessum_logical_x", "=SERIESSUM(TRUE,0,1,{1,1})"),
])

_group("rand", [
    ("rand_range", "=AND(RAND()>=0,RAND()<1)"),
    ("rand_not_integer", "=INT(RAND())"),
    ("randbetween_same", "=RANDBETWEEN(5,5)"),
    ("randbetween_bounds", "=AND(RANDBETWEEN(1,3)>=1,RANDBETWEEN(1,3)<=3)"),
    ("randbetween_integer", "=MOD(RANDBETWEEN(-100,100),1)"),
    ("randbetween_reversed", "=RANDBETWEEN(3,1)"),
    ("randbetween_text", '=RANDBETWEEN("a",2)'),
])

_group("matrix", [
    ("mdeterm_doc", "=MDETERM({1,3,8,5;1,3,6,1;1,1,1,0;7,3,10,2})"),
    ("mdeterm_doc2", "=MDETERM({3,6,1;1,1,0;3,10,2})"),
    ("mdeterm_doc3", "=MDETERM({3,6;1,1})"),
    ("mdeterm_singular", "=MDETERM({1,3,8,5;1,3,6,1})"),
    ("mdeterm_zero", "=MDETERM({1,2;2,4})"),
    ("mdeterm_range", "=MDETERM(A1:B2)", {"A1": 2, "B1": 1, "A2": 7, "B2": 4}),
    ("mdeterm_blank", "=MDETERM(A1:B2)", {"A1": 2, "B1": 1, "A2": 7}),
    ("mdeterm_text", "=MDETERM(A1:B2)", {"A1": 2, "B1": 1, "A2": 7, "B2": "4"}),
    ("mdeterm_scalar", "=MDETERM(5)"),
    ("mdeterm_pivoting", "=MDETERM({0,1;1,0})"),
])

_group("numeral", [
    ("roman_doc", "=ROMAN(499,0)"),
    ("roman_doc1", "=ROMAN(499,1)"),
    ("roman_doc2", "=ROMAN(499,2)"),
    ("roman_doc3", "=ROMAN(499,3)"),
    ("roman_doc4", "=ROMAN(499,4)"),
    ("roman_true", "=ROMAN(2013,TRUE)"),
    ("roman_false", "=ROMAN(1999,FALSE)"),
    ("roman_default", "=ROMAN(1994)"),
    ("roman_max", "=ROMAN(3999)"),
    ("roman_too_big", "=ROMAN(4000)"),
    ("roman_negative", "=ROMAN(-1)"),
    ("roman_zero", "=ROMAN(0)"),
    ("roman_fraction", "=ROMAN(12.9)"),
    ("roman_bad_form", "=ROMAN(10,5)"),
    ("roman_form_fraction", "=ROMAN(1990,1.9)"),
    ("roman_1990_form1", "=ROMAN(1990,1)"),
    ("roman_1990_form2", "=ROMAN(1990,2)"),
    ("roman_49_form1", "=ROMAN(49,1)"),
    ("roman_95_form3", "=ROMAN(995,3)"),
    ("roman_3888", "=ROMAN(3888)"),
    ("roman_text", '=ROMAN("14")'),
    ("arabic_doc", '=ARABIC("LVII")'),
    ("arabic_doc_lower", '=ARABIC("mcmxii")'),
    ("arabic_concise", '=ARABIC("LDVLIV")'),
    ("arabic_simplified", '=ARABIC("ID")'),
    ("arabic_negative", '=ARABIC("-MMXI")'),
    ("arabic_spaces", '=ARABIC(" XIV ")'),
    ("arabic_empty", '=ARABIC("")'),
    ("arabic_blank", "=ARABIC(A1)"),
    ("arabic_invalid", '=ARABIC("ABC")'),
    ("arabic_number", "=ARABIC(12)"),
    ("arabic_max", '=ARABIC("MMMCMXCIX")'),
    ("arabic_roundtrip", "=ARABIC(ROMAN(1234,2))"),
    ("base_doc", "=BASE(7,2)"),
    ("base_doc2", "=BASE(100,16)"),
    ("base_doc3", "=BASE(15,2,10)"),
    ("base_36", "=BASE(1295,36)"),
    ("base_zero", "=BASE(0,2)"),
    ("base_fraction", "=BASE(10.9,2)"),
    ("base_negative", "=BASE(-1,2)"),
    ("base_bad_radix", "=BASE(10,1)"),
    ("base_radix_37", "=BASE(10,37)"),
    ("base_too_big", "=BASE(2^53,2)"),
    ("base_length_too_big", "=BASE(1,2,256)"),
    ("base_text", '=BASE("255","16")'),
    ("decimal_doc", '=DECIMAL("FF",16)'),
    ("decimal_doc2", '=DECIMAL(111,2)'),
    ("decimal_doc3", '=DECIMAL("zap",36)'),
    ("decimal_lower", '=DECIMAL("ff",16)'),
    ("decimal_bad_digit", '=DECIMAL("12",2)'),
    ("decimal_bad_radix", '=DECIMAL("1",37)'),
    ("decimal_empty", '=DECIMAL("",10)'),
    ("decimal_space", '=DECIMAL(" 1",10)'),
])

# SUBTOTAL and AGGREGATE: a column with a nested SUBTOTAL (A3), an AGGREGATE (A5) and an error (A7).
SUBTOTALS = {
    "A1": 1, "A2": 2, "A3": "=SUBTOTAL(9,A1:A2)", "A4": 10, "A5": "=AGGREGATE(9,0,A4)", "A6": "x", "A7": "=1/0",
    "A8": 4,
}  # fmt: skip
_group("subtotal", [
    ("sum_skips_nested", "=SUBTOTAL(9,A1:A6)", SUBTOTALS),
    ("sum_hidden_variant", "=SUBTOTAL(109,A1:A6)", SUBTOTALS),
    ("average", "=SUBTOTAL(1,A1:A6)", SUBTOTALS),
    ("count", "=SUBTOTAL(2,A1:A8)", SUBTOTALS),
    ("counta", "=SUBTOTAL(3,A1:A6)", SUBTOTALS),
    ("max", "=SUBTOTAL(4,A1:A6)", SUBTOTALS),
    ("min", "=SUBTOTAL(5,A1:A6)", SUBTOTALS),
    ("product", "=SUBTOTAL(6,A1:A6)", SUBTOTALS),
    ("stdev", "=SUBTOTAL(7,A1:A4)", SUBTOTALS),
    ("stdevp", "=SUBTOTAL(8,A1:A4)", SUBTOTALS),
    ("var", "=SUBTOTAL(10,A1:A4)", SUBTOTALS),
    ("varp", "=SUBTOTAL(11,A1:A4)", SUBTOTALS),
    ("error_propagates", "=SUBTOTAL(9,A1:A8)", SUBTOTALS),
    ("several_refs", "=SUBTOTAL(9,A1:A2,A4,A8)", SUBTOTALS),
    ("bad_function", "=SUBTOTAL(12,A1:A2)", SUBTOTALS),
    ("zero_function", "=SUBTOTAL(0,A1:A2)", SUBTOTALS),
    ("function_fraction", "=SUBTOTAL(9.7,A1:A2)", SUBTOTALS),
    ("function_text", '=SUBTOTAL("9",A1:A2)', SUBTOTALS),
    ("nested_only", "=SUBTOTAL(9,A3)", SUBTOTALS),
    ("in_string_not_nested", '=SUBTOTAL(9,A1:A2)', {"A1": 5, "A2": '=LEN("SUBTOTAL(")'}),
    ("aggregate_sum_ignore_nested", "=AGGREGATE(9,0,A1:A6)", SUBTOTALS),
    ("aggregate_sum_keep_nested", "=AGGREGATE(9,4,A1:A6)", SUBTOTALS),
    ("aggregate_sum_errors", "=AGGREGATE(9,4,A1:A8)", SUBTOTALS),
    ("aggregate_ignore_errors", "=AGGREGATE(9,6,A1:A8)", SUBTOTALS),
    ("aggregate_ignore_both", "=AGGREGATE(9,3,A1:A8)", SUBTOTALS),
    ("aggregate_average", "=AGGREGATE(1,6,A1:A8)", SUBTOTALS),
    ("aggregate_count", "=AGGREGATE(2,6,A1:A8)", SUBTOTALS),
    ("aggregate_counta", "=AGGREGATE(3,2,A1:A8)", SUBTOTALS),
    ("aggregate_max", "=AGGREGATE(4,6,A1:A8)", SUBTOTALS),
    ("aggregate_min", "=AGGREGATE(5,7,A1:A8)", SUBTOTALS),
    ("aggregate_product", "=AGGREGATE(6,2,A1:A8)", SUBTOTALS),
    ("aggregate_stdev_s", "=AGGREGATE(7,6,A1:A8)", SUBTOTALS),
    ("aggregate_stdev_p", "=AGGREGATE(8,6,A1:A8)", SUBTOTALS),
    ("aggregate_var_s", "=AGGREGATE(10,6,A1:A8)", SUBTOTALS),
    ("aggregate_var_p", "=AGGREGATE(11,6,A1:A8)", SUBTOTALS),
    ("aggregate_median", "=AGGREGATE(12,6,A1:A8)", SUBTOTALS),
    ("aggregate_mode", "=AGGREGATE(13,6,A1:A3)", {"A1": 2, "A2": 2, "A3": 3}),
    ("aggregate_large", "=AGGREGATE(14,6,A1:A8,2)", SUBTOTALS),
    ("aggregate_small", "=AGGREGATE(15,6,A1:A8,1)", SUBTOTALS),
    ("aggregate_percentile_inc", "=AGGREGATE(16,6,A1:A8,0.25)", SUBTOTALS),
    ("aggregate_quartile_inc", "=AGGREGATE(17,6,A1:A8,3)", SUBTOTALS),
    ("aggregate_percentile_exc", "=AGGREGATE(18,6,A1:A8,0.5)", SUBTOTALS),
    ("aggregate_quartile_exc", "=AGGREGATE(19,6,A1:A8,1)", SUBTOTALS),
    ("aggregate_large_error_kept", "=AGGREGATE(14,4,A1:A8,1)", SUBTOTALS),
    ("aggregate_array_expression", "=AGGREGATE(15,6,A1:A4/(A1:A4>1),1)", {"A1": 1, "A2": 2, "A3": 3, "A4": 4}),
    ("aggregate_bad_function", "=AGGREGATE(20,0,A1:A2)", SUBTOTALS),
    ("aggregate_bad_option", "=AGGREGATE(9,8,A1:A2)", SUBTOTALS),
    ("aggregate_large_k_too_big", "=AGGREGATE(14,6,A1:A2,5)", SUBTOTALS),
    ("aggregate_quartile_exc_bad", "=AGGREGATE(19,6,A1:A8,4)", SUBTOTALS),
    ("aggregate_percentile_inc_bad", "=AGGREGATE(16,6,A1:A8,1.5)", SUBTOTALS),
    ("aggregate_several_refs", "=AGGREGATE(9,4,A1:A2,A4)", SUBTOTALS),
])

# ===============================================================================================================
# Engineering (base conversions, bits, DELTA/GESTEP, ERF, CONVERT, complex numbers, Bessel functions)
# ===============================================================================================================

_group("baseconv", [
    ("bin2dec_doc", "=BIN2DEC(1100100)"),
    ("bin2dec_negative", '=BIN2DEC("1111111111")'),
    ("bin2dec_sign_bit", '=BIN2DEC("1000000000")'),
    ("bin2dec_nine_digits", '=BIN2DEC("111111111")'),
    ("bin2dec_too_long", '=BIN2DEC("11111111111")'),
    ("bin2dec_bad_digit", '=BIN2DEC("102")'),
    ("bin2dec_empty", '=BIN2DEC("")'),
    ("bin2dec_blank", "=BIN2DEC(A1)"),
    ("bin2dec_fraction", "=BIN2DEC(1.1)"),
    ("bin2dec_bool", "=BIN2DEC(TRUE)"),
    ("bin2hex_doc", "=BIN2HEX(11111011,4)"),
    ("bin2hex_doc2", "=BIN2HEX(1110)"),
    ("bin2hex_negative", "=BIN2HEX(1111111111)"),
    ("bin2hex_places_short", "=BIN2HEX(11111011,1)"),
    ("bin2hex_places_zero", "=BIN2HEX(1,0)"),
    ("bin2hex_places_eleven", "=BIN2HEX(1,11)"),
    ("bin2hex_places_text", '=BIN2HEX(1,"x")'),
    ("bin2oct_doc", "=BIN2OCT(1001,3)"),
    ("bin2oct_doc2", "=BIN2OCT(1100100)"),
    ("bin2oct_negative", "=BIN2OCT(1111111111)"),
    ("bin2hex_negative_bad_places", '=BIN2HEX("1100011011",0)'),
    ("dec2bin_blank_places", "=DEC2BIN(2,A1)"),
    ("dec2bin_omitted_places", "=DEC2BIN(2,)"),
    ("dec2bin_doc", "=DEC2BIN(9,4)"),
    ("dec2bin_negative", "=DEC2BIN(-100)"),
    ("dec2bin_max", "=DEC2BIN(511)"),
    ("dec2bin_min", "=DEC2BIN(-512)"),
    ("dec2bin_too_big", "=DEC2BIN(512)"),
    ("dec2bin_too_small", "=DEC2BIN(-513)"),
    ("dec2bin_fraction", "=DEC2BIN(5.9)"),
    ("dec2bin_negative_fraction", "=DEC2BIN(-5.9)"),
    ("dec2bin_text", '=DEC2BIN("10")'),
    ("dec2bin_bad_text", '=DEC2BIN("x")'),
    ("dec2bin_places_fraction", "=DEC2BIN(3,2.9)"),
    ("dec2bin_negative_places", "=DEC2BIN(3,-1)"),
    ("dec2bin_zero", "=DEC2BIN(0)"),
    ("dec2hex_doc", "=DEC2HEX(100,4)"),
    ("dec2hex_negative", "=DEC2HEX(-54)"),
    ("dec2hex_large", "=DEC2HEX(28)"),
    ("dec2hex_max", "=DEC2HEX(549755813887)"),
    ("dec2hex_too_big", "=DEC2HEX(549755813888)"),
    ("dec2hex_places_short", "=DEC2HEX(64,1)"),
    ("dec2oct_doc", "=DEC2OCT(58,3)"),
    ("dec2oct_negative", "=DEC2OCT(-100)"),
    ("dec2oct_too_big", "=DEC2OCT(536870912)"),
    ("hex2bin_doc", '=HEX2BIN("F",8)'),
    ("hex2bin_doc2", '=HEX2BIN("B7")'),
    ("hex2bin_negative", '=HEX2BIN("FFFFFFFFFF")'),
    ("hex2bin_min", '=HEX2BIN("FFFFFFFE00")'),
    ("hex2bin_below_min", '=HEX2BIN("FFFFFFFDFF")'),
    ("hex2bin_too_big", '=HEX2BIN("200")'),
    ("hex2dec_doc", '=HEX2DEC("A5")'),
    ("hex2dec_doc2", '=HEX2DEC("FFFFFFFF5B")'),
    ("hex2dec_doc3", '=HEX2DEC("3DA408B9")'),
    ("hex2dec_lower", '=HEX2DEC("ff")'),
    ("hex2dec_bad", '=HEX2DEC("G1")'),
    ("hex2dec_number", "=HEX2DEC(100)"),
    ("hex2oct_doc", '=HEX2OCT("F",3)'),
    ("hex2oct_doc2", '=HEX2OCT("3B4E")'),
    ("hex2oct_negative", '=HEX2OCT("FFFFFFFF00")'),
    ("hex2oct_below_min", '=HEX2OCT("FFDFFFFFFF")'),
    ("oct2bin_doc", "=OCT2BIN(3,3)"),
    ("oct2bin_negative", "=OCT2BIN(7777777000)"),
    ("oct2bin_too_big", "=OCT2BIN(1000)"),
    ("oct2dec_doc", "=OCT2DEC(54)"),
    ("oct2dec_negative", "=OCT2DEC(7777777533)"),
    ("oct2dec_bad_digit", "=OCT2DEC(8)"),
    ("oct2hex_doc", "=OCT2HEX(100,4)"),
    ("oct2hex_negative", "=OCT2HEX(7777777533)"),
])

_group("bits", [
    ("bitand_doc", "=BITAND(1,5)"),
    ("bitand_doc2", "=BITAND(13,25)"),
    ("bitand_fraction", "=BITAND(1.5,1)"),
    ("bitand_negative", "=BITAND(-1,1)"),
    ("bitand_too_big", "=BITAND(2^48,1)"),
    ("bitand_max", "=BITAND(2^48-1,2^47)"),
    ("bitand_text", '=BITAND("12","10")'),
    ("bitand_bad_text", '=BITAND("x",1)'),
    ("bitor_doc", "=BITOR(23,10)"),
    ("bitxor_doc", "=BITXOR(5,3)"),
    ("bitlshift_doc", "=BITLSHIFT(4,2)"),
    ("bitlshift_negative_shift", "=BITLSHIFT(16,-2)"),
    ("bitlshift_overflow", "=BITLSHIFT(2^47,1)"),
    ("bitlshift_shift_too_big", "=BITLSHIFT(1,54)"),
    ("bitlshift_fraction_shift", "=BITLSHIFT(1,2.7)"),
    ("bitrshift_doc", "=BITRSHIFT(13,2)"),
    ("bitrshift_negative_shift", "=BITRSHIFT(1,-3)"),
    ("bitrshift_all_out", "=BITRSHIFT(13,10)"),
])

_group("erf", [
    ("delta_doc", "=DELTA(5,4)"),
    ("delta_doc2", "=DELTA(5,5)"),
    ("delta_doc3", "=DELTA(0.5,0)"),
    ("delta_default", "=DELTA(0)"),
    ("delta_text_number", '=DELTA("5",5)'),
    ("delta_text", '=DELTA("a",5)'),
    ("delta_bool", "=DELTA(TRUE,1)"),
    ("gestep_doc", "=GESTEP(5,4)"),
    ("gestep_doc2", "=GESTEP(5,5)"),
    ("gestep_doc3", "=GESTEP(-4,-5)"),
    ("gestep_doc4", "=GESTEP(-1)"),
    ("gestep_text", '=GESTEP("x")'),
    ("erf_doc", "=ERF(0.745)"),
    ("erf_doc2", "=ERF(1)"),
    ("erf_range", "=ERF(0,1)"),
    ("erf_negative", "=ERF(-1)"),
    ("erf_reversed", "=ERF(1,0)"),
    ("erf_large", "=ERF(10)"),
    ("erf_text", '=ERF("x")'),
    ("erf_blank_upper", "=ERF(7,A1)"),
    ("erf_precise_doc", "=ERF.PRECISE(0.745)"),
    ("erf_precise_one", "=ERF.PRECISE(1)"),
    ("erfc_doc", "=ERFC(1)"),
    ("erfc_negative", "=ERFC(-1)"),
    ("erfc_large", "=ERFC(6)"),
    ("erfc_precise_doc", "=ERFC.PRECISE(1)"),
    ("erfc_precise_zero", "=ERFC.PRECISE(0)"),
])

_group("convert", [
    ("doc_lbm_kg", '=CONVERT(1,"lbm","kg")'),
    ("doc_f_c", '=CONVERT(68,"F","C")'),
    ("doc_tsp_tbs", '=CONVERT(2.5,"ft","sec")'),
    ("doc_squares", '=CONVERT(CONVERT(100,"ft","m"),"ft","m")'),
    ("doc_m2_ft2", '=CONVERT(100,"ft2","m2")'),
    ("g_ozm", '=CONVERT(100,"g","ozm")'),
    ("sg_kg", '=CONVERT(1,"sg","kg")'),
    ("u_g", '=CONVERT(1,"u","g")'),
    ("grain_g", '=CONVERT(7000,"grain","lbm")'),
    ("cwt_lbm", '=CONVERT(1,"cwt","lbm")'),
    ("shweight_lbm", '=CONVERT(1,"shweight","lbm")'),
    ("uk_cwt_kg", '=CONVERT(1,"uk_cwt","kg")'),
    ("lcwt_lbm", '=CONVERT(1,"lcwt","lbm")'),
    ("stone_kg", '=CONVERT(1,"stone","kg")'),
    ("ton_kg", '=CONVERT(1,"ton","kg")'),
    ("uk_ton_lbm", '=CONVERT(1,"uk_ton","lbm")'),
    ("LTON_kg", '=CONVERT(1,"LTON","kg")'),
    ("mi_km", '=CONVERT(1,"mi","km")'),
    ("nmi_m", '=CONVERT(1,"Nmi","m")'),
    ("in_cm", '=CONVERT(1,"in","cm")'),
    ("yd_ft", '=CONVERT(1,"yd","ft")'),
    ("ang_nm", '=CONVERT(10,"ang","nm")'),
    ("ell_in", '=CONVERT(1,"ell","in")'),
    ("ly_km", '=CONVERT(1,"ly","km")'),
    ("parsec_ly", '=CONVERT(1,"pc","ly")'),
    ("pica_points", '=CONVERT(1,"in","Picapt")'),
    ("pica_sixth", '=CONVERT(1,"in","pica")'),
    ("survey_mi", '=CONVERT(1,"survey_mi","mi")'),
    ("yr_day", '=CONVERT(1,"yr","day")'),
    ("day_hr", '=CONVERT(1,"d","hr")'),
    ("hr_mn", '=CONVERT(1.5,"hr","mn")'),
    ("min_sec", '=CONVERT(1,"min","s")'),
    ("ms_s", '=CONVERT(1500,"ms","sec")'),
    ("atm_pa", '=CONVERT(1,"atm","Pa")'),
    ("atm_mmhg", '=CONVERT(1,"atm","mmHg")'),
    ("psi_kpa", '=CONVERT(1,"psi","kPa")'),
    ("torr_pa", '=CONVERT(760,"Torr","Pa")'),
    ("n_dyn", '=CONVERT(1,"N","dyn")'),
    ("lbf_n", '=CONVERT(1,"lbf","N")'),
    ("pond_n", '=CONVERT(1000,"pond","N")'),
    ("j_e", '=CONVERT(1,"J","e")'),
    ("cal_j", '=CONVERT(1,"cal","J")'),
    ("c_j", '=CONVERT(1,"c","J")'),
    ("ev_j", '=CONVERT(1,"eV","J")'),
    ("hph_j", '=CONVERT(1,"HPh","J")'),
    ("wh_j", '=CONVERT(1,"Wh","J")'),
    ("kwh_btu", '=CONVERT(1,"kWh","BTU")'),
    ("flb_j", '=CONVERT(1,"flb","J")'),
    ("btu_j", '=CONVERT(1,"BTU","J")'),
    ("hp_w", '=CONVERT(1,"HP","W")'),
    ("ps_w", '=CONVERT(1,"PS","W")'),
    ("kw_hp", '=CONVERT(1,"kW","h")'),
    ("t_ga", '=CONVERT(1,"T","ga")'),
    ("c_f", '=CONVERT(100,"C","F")'),
    ("c_k", '=CONVERT(0,"cel","K")'),
    ("f_k", '=CONVERT(32,"fah","kel")'),
    ("k_rank", '=CONVERT(1,"K","Rank")'),
    ("c_reau", '=CONVERT(100,"C","Reau")'),
    ("reau_f", '=CONVERT(80,"Reau","F")'),
    ("rank_c", '=CONVERT(491.67,"Rank","C")'),
    ("mk_k", '=CONVERT(1000,"mK","K")'),
    ("tsp_tbs", '=CONVERT(3,"tsp","tbs")'),
    ("tspm_ml", '=CONVERT(1,"tspm","ml")'),
    ("oz_ml", '=CONVERT(1,"oz","ml")'),
    ("cup_oz", '=CONVERT(1,"cup","oz")'),
    ("pt_cup", '=CONVERT(1,"us_pt","cup")'),
    ("uk_pt_l", '=CONVERT(1,"uk_pt","l")'),
    ("qt_l", '=CONVERT(1,"qt","L")'),
    ("uk_qt_l", '=CONVERT(1,"uk_qt","lt")'),
    ("gal_l", '=CONVERT(1,"gal","l")'),
    ("uk_gal_gal", '=CONVERT(1,"uk_gal","gal")'),
    ("m3_l", '=CONVERT(1,"m3","l")'),
    ("ang3_m3", '=CONVERT(1E+30,"ang3","m^3")'),
    ("barrel_gal", '=CONVERT(1,"barrel","gal")'),
    ("bushel_l", '=CONVERT(1,"bushel","l")'),
    ("ft3_l", '=CONVERT(1,"ft3","l")'),
    ("in3_ml", '=CONVERT(1,"in^3","ml")'),
    ("ly3_m3", '=CONVERT(1,"ly3","m3")'),
    ("mi3_m3", '=CONVERT(1,"mi^3","m3")'),
    ("yd3_ft3", '=CONVERT(1,"yd3","ft3")'),
    ("nmi3_m3", '=CONVERT(1,"Nmi3","m3")'),
    ("pica3_m3", '=CONVERT(1,"Picapt3","m3")'),
    ("grt_ft3", '=CONVERT(1,"GRT","ft3")'),
    ("mton_ft3", '=CONVERT(1,"MTON","ft^3")'),
    ("km3_m3", '=CONVERT(1,"km3","m3")'),
    ("uk_acre_m2", '=CONVERT(1,"uk_acre","m2")'),
    ("us_acre_m2", '=CONVERT(1,"us_acre","m2")'),
    ("ang2_m2", '=CONVERT(1,"ang2","m2")'),
    ("ar_m2", '=CONVERT(1,"ar","m2")'),
    ("ha_m2", '=CONVERT(1,"ha","m2")'),
    ("ft2_in2", '=CONVERT(1,"ft^2","in2")'),
    ("ly2_m2", '=CONVERT(1,"ly2","m2")'),
    ("km2_m2", '=CONVERT(1,"km2","m2")'),
    ("morgen_m2", '=CONVERT(1,"Morgen","m2")'),
    ("mi2_km2", '=CONVERT(1,"mi2","km2")'),
    ("nmi2_m2", '=CONVERT(1,"Nmi2","m2")'),
    ("pica2_m2", '=CONVERT(1,"Pica2","m2")'),
    ("yd2_ft2", '=CONVERT(1,"yd2","ft2")'),
    ("byte_bit", '=CONVERT(1,"byte","bit")'),
    ("kbyte_byte", '=CONVERT(1,"kbyte","byte")'),
    ("kibyte_byte", '=CONVERT(1,"kibyte","byte")'),
    ("mibit_bit", '=CONVERT(1,"Mibit","bit")'),
    ("admkn_kn", '=CONVERT(1,"admkn","kn")'),
    ("kn_mph", '=CONVERT(1,"kn","mph")'),
    ("mph_kmh", '=CONVERT(60,"mph","km/hr")'),
    ("prefix_mph", '=CONVERT(0.004,"Mmph","m/s")'),
    ("prefix_uk_pt", '=CONVERT(0.0002,"Muk_pt","m3")'),
    ("prefix_seconds", '=CONVERT(1,"Msec","s")'),
    ("ms_kmh", '=CONVERT(1,"m/s","km/h")'),
    ("msec_mh", '=CONVERT(1,"m/sec","m/hr")'),
    ("prefix_giga", '=CONVERT(1,"Gm","m")'),
    ("prefix_yotta", '=CONVERT(1,"Yg","g")'),
    ("prefix_deka", '=CONVERT(1,"dam","m")'),
    ("prefix_micro", '=CONVERT(1,"um","m")'),
    ("prefix_hecto", '=CONVERT(1,"hPa","Pa")'),
    ("prefix_femto", '=CONVERT(1,"fs","s")'),
    ("prefix_seconds_yotta", '=CONVERT(1,"Ysec","sec")'),
    ("pc_picocalorie", '=CONVERT(1,"pc","J")'),
    ("pc_parsec", '=CONVERT(1,"pc","ly")'),
    ("prefix_not_allowed", '=CONVERT(1,"kmi","mi")'),
    ("binary_prefix_not_allowed", '=CONVERT(1,"kim","m")'),
    ("unknown_unit", '=CONVERT(1,"xyz","m")'),
    ("case_sensitive", '=CONVERT(1,"LBM","kg")'),
    ("different_categories", '=CONVERT(1,"m","kg")'),
    ("same_unit", '=CONVERT(5,"m","m")'),
    ("text_number", '=CONVERT("2","m","cm")'),
    ("bad_number", '=CONVERT("x","m","cm")'),
    ("bool_number", '=CONVERT(TRUE,"m","cm")'),
    ("number_unit", "=CONVERT(1,5,\"m\")"),
    ("ref_units", "=CONVERT(A1,B1,C1)", {"A1": 3, "B1": "ft", "C1": "in"}),
    ("negative", '=CONVERT(-40,"C","F")'),
])

_group("complex", [
    ("complex_doc", "=COMPLEX(3,4)"),
    ("complex_doc2", '=COMPLEX(3,4,"j")'),
    ("complex_doc3", "=COMPLEX(0,1)"),
    ("complex_doc4", "=COMPLEX(1,0)"),
    ("complex_zero", "=COMPLEX(0,0)"),
    ("complex_negative_unit", "=COMPLEX(0,-1)"),
    ("complex_fraction", "=COMPLEX(1.5,-2.25)"),
    ("complex_bad_suffix", '=COMPLEX(1,1,"k")'),
    ("complex_upper_suffix", '=COMPLEX(1,1,"I")'),
    ("complex_text_parts", '=COMPLEX("1","2")'),
    ("complex_bad_part", '=COMPLEX("a",2)'),
    ("complex_small", "=COMPLEX(1E-20,3)"),
    ("imabs_doc", '=IMABS("5+12i")'),
    ("imabs_number", "=IMABS(-3)"),
    ("imabs_unit", '=IMABS("i")'),
    ("imabs_bad", '=IMABS("5+12k")'),
    ("imabs_space", '=IMABS("5 + 12i")'),
    ("imabs_reversed", '=IMABS("12i+5")'),
    ("imaginary_doc", '=IMAGINARY("3+4i")'),
    ("imaginary_doc2", '=IMAGINARY("0-j")'),
    ("imaginary_doc3", "=IMAGINARY(4)"),
    ("imaginary_exponent", '=IMAGINARY("1E2+2.5E-1i")'),
    ("imreal_doc", '=IMREAL("6-9i")'),
    ("imreal_pure_imaginary", '=IMREAL("-4.5j")'),
    ("imargument_doc", '=IMARGUMENT("3+4i")'),
    ("imargument_negative", '=IMARGUMENT("-1")'),
    ("imargument_zero", '=IMARGUMENT("0")'),
    ("imconjugate_doc", '=IMCONJUGATE("3+4i")'),
    ("imconjugate_j", '=IMCONJUGATE("-2j")'),
    ("imsum_doc", '=IMSUM("3+4i","5-3i")'),
    ("imsum_range", "=IMSUM(A1:A3)", {"A1": "1+i", "A2": "2-3i", "A3": 4}),
    ("imsum_mixed_suffix", '=IMSUM("1+i","1+j")'),
    ("imsum_real_and_j", '=IMSUM("1","2j")'),
    ("imsum_cancel", '=IMSUM("1+i","-1-i")'),
    ("imsub_doc", '=IMSUB("13+4i","5+3i")'),
    ("imsub_to_real", '=IMSUB("2+i","i")'),
    ("improduct_doc", '=IMPRODUCT("3+4i","5-3i")'),
    ("improduct_doc2", '=IMPRODUCT("1+2i",30)'),
    ("improduct_i_squared", '=IMPRODUCT("i","i")'),
    ("imdiv_doc", '=IMDIV("-238+240i","10+24i")'),
    ("imdiv_zero", '=IMDIV("1+i",0)'),
    ("imdiv_real", '=IMDIV(6,3)'),
    ("impower_doc", '=IMPOWER("2+3i",3)'),
    ("impower_half", '=IMPOWER("4",0.5)'),
    ("impower_zero_base", '=IMPOWER("0",2)'),
    ("impower_zero_negative", '=IMPOWER("0",-1)'),
    ("impower_negative_exponent", '=IMPOWER("2",-1)'),
    ("imsqrt_doc", '=IMSQRT("1+i")'),
    ("imsqrt_negative", '=IMSQRT("-4")'),
    ("imsqrt_four", '=IMSQRT(4)'),
    ("imexp_doc", '=IMEXP("1+i")'),
    ("imexp_zero", '=IMEXP("0")'),
    ("imln_doc", '=IMLN("3+4i")'),
    ("imln_zero", '=IMLN("0")'),
    ("imlog10_doc", '=IMLOG10("3+4i")'),
    ("imlog10_hundred", '=IMLOG10(100)'),
    ("imlog2_doc", '=IMLOG2("3+4i")'),
    ("imsin_doc", '=IMSIN("4+3i")'),
    ("imcos_doc", '=IMCOS("1+i")'),
    ("imtan_doc", '=IMTAN("4+3i")'),
    ("imsinh_doc", '=IMSINH("4+3i")'),
    ("imcosh_doc", '=IMCOSH("4+3i")'),
    ("imsec_doc", '=IMSEC("4+3i")'),
    ("imcsc_doc", '=IMCSC("4+3i")'),
    ("imcot_doc", '=IMCOT("4+3i")'),
    ("imcot_zero", '=IMCOT("0")'),
    ("imsech_doc", '=IMSECH("4+3i")'),
    ("imcsch_doc", '=IMCSCH("4+3i")'),
    ("imcsc_zero", '=IMCSC("0")'),
    ("complex_positional_small", "=COMPLEX(1E-16,1)"),
    ("imcot_near_zero", '=IMREAL(IMCOT("1E-16"))'),
    ("improduct_blank", "=IMPRODUCT(A1,A2)", {"A1": 7}),
    ("imreal_of_complex", "=IMREAL(COMPLEX(2.5,1))"),
    ("imabs_of_product", '=IMABS(IMPRODUCT("3+4i","3-4i"))'),
])

_group("bessel", [
    ("besseli_doc", "=BESSELI(1.5,1)"),
    ("besseli_zero_order", "=BESSELI(2.5,0)"),
    ("besseli_high_order", "=BESSELI(3,5)"),
    ("besseli_negative_x", "=BESSELI(-2,3)"),
    ("besseli_zero_x", "=BESSELI(0,0)"),
    ("besseli_large_x", "=BESSELI(50,2)"),
    ("besseli_fraction_order", "=BESSELI(1.5,1.9)"),
    ("besseli_negative_order", "=BESSELI(1,-1)"),
    ("besselj_doc", "=BESSELJ(1.9,2)"),
    ("besselj_zero_order", "=BESSELJ(1,0)"),
    ("besselj_first", "=BESSELJ(2.5,1)"),
    ("besselj_high_order", "=BESSELJ(10,5)"),
    ("besselj_negative_x", "=BESSELJ(-3,1)"),
    ("besselj_large_x", "=BESSELJ(30,2)"),
    ("besselj_larger_x", "=BESSELJ(100,3)"),
    ("besselj_order_above_x", "=BESSELJ(30,40)"),
    ("besselj_zero_x", "=BESSELJ(0,2)"),
    ("besselj_zero_x_zero_order", "=BESSELJ(0,0)"),
    ("besselj_first_x_ten", "=BESSELJ(10,1)"),
    ("besselj_text", '=BESSELJ("x",1)'),
    ("besselk_doc", "=BESSELK(1.5,1)"),
    ("besselk_zero_order", "=BESSELK(0.5,0)"),
    ("besselk_large_x", "=BESSELK(5,0)"),
    ("besselk_high_order", "=BESSELK(3,4)"),
    ("besselk_zero_x", "=BESSELK(0,1)"),
    ("besselk_negative_x", "=BESSELK(-1,1)"),
    ("bessely_doc", "=BESSELY(2.5,1)"),
    ("bessely_zero_order", "=BESSELY(1,0)"),
    ("bessely_small_x", "=BESSELY(0.1,0)"),
    ("bessely_high_order", "=BESSELY(10,3)"),
    ("bessely_large_x", "=BESSELY(40,1)"),
    ("bessely_zero_x", "=BESSELY(0,1)"),
    ("bessely_negative_order", "=BESSELY(1,-1)"),
])

# ===============================================================================================================
# Text library (characters, numbers as text, delimiters, regular expressions, byte variants)
# ===============================================================================================================

_group("chars", [
    ("char_doc", "=CHAR(65)"),
    ("char_doc2", "=CHAR(33)"),
    ("char_fraction", "=CHAR(65.9)"),
    ("char_zero", "=CHAR(0)"),
    ("char_256", "=CHAR(256)"),
    ("char_text", '=CHAR("66")'),
    ("char_space", "=CHAR(32)"),
    ("char_tilde", "=CHAR(126)"),
    ("char_code_roundtrip", "=CODE(CHAR(90))"),
    ("code_doc", '=CODE("A")'),
    ("code_doc2", '=CODE("!")'),
    ("code_first_only", '=CODE("abc")'),
    ("code_empty", '=CODE("")'),
    ("code_number", "=CODE(5)"),
    ("code_bool", "=CODE(TRUE)"),
    ("code_blank", "=CODE(A1)"),
    ("unicode_doc", '=UNICODE(" ")'),
    ("unicode_doc2", '=UNICODE("B")'),
    ("unicode_euro", '=UNICODE("€")'),
    ("unicode_cjk", '=UNICODE("中文")'),
    ("unicode_empty", '=UNICODE("")'),
    ("unicode_number", "=UNICODE(7)"),
    ("unichar_doc", "=UNICHAR(66)"),
    ("unichar_doc2", "=UNICHAR(32)"),
    ("unichar_euro", "=UNICHAR(8364)"),
    ("unichar_cjk", "=UNICHAR(20013)"),
    ("unichar_zero", "=UNICHAR(0)"),
    ("unichar_too_big", "=UNICHAR(1114112)"),
    ("unichar_fraction", "=UNICHAR(65.5)"),
    ("unichar_roundtrip", "=UNICODE(UNICHAR(1000))"),
    ("clean_doc", '=CLEAN(CHAR(9)&"Monthly report"&CHAR(10))'),
    ("clean_keeps_text", '=CLEAN("abc")'),
    ("clean_number", "=CLEAN(12)"),
    ("clean_len", "=LEN(CLEAN(CHAR(1)&CHAR(31)&CHAR(32)))"),
    ("t_text", '=T("Rainfall")'),
    ("t_number", "=T(19)"),
    ("t_bool", "=T(TRUE)"),
    ("t_ref_text", "=T(A1)", {"A1": "abc"}),
    ("t_ref_number", "=T(A1)", {"A1": 5}),
    ("t_blank", "=T(A1)"),
    ("t_error", "=T(1/0)"),
    ("asc_fullwidth", '=ASC("ＡＢＣ１２３")'),
    ("asc_ascii", '=ASC("abc")'),
    ("asc_number", "=ASC(12)"),
    ("asc_katakana", '=ASC("カタカナ")'),
    ("dbcs_ascii", '=DBCS("ABC 123")'),
    ("dbcs_katakana", '=DBCS("ｶﾀｶﾅ")'),
    ("jis_ascii", '=JIS("abc")'),
    ("phonetic_text", "=PHONETIC(A1)", {"A1": "東京"}),
])

_group("textnum", [
    ("dollar_doc", "=DOLLAR(1234.567,2)"),
    ("dollar_doc_negative", "=DOLLAR(-1234.567,-2)"),
    ("dollar_doc_negative2", "=DOLLAR(-0.123,4)"),
    ("dollar_doc3", "=DOLLAR(99.888)"),
    ("dollar_zero_places", "=DOLLAR(1234.5,0)"),
    ("dollar_round_half", "=DOLLAR(0.125,2)"),
    ("dollar_large", "=DOLLAR(1234567.891)"),
    ("dollar_small", "=DOLLAR(0.5)"),
    ("dollar_text", '=DOLLAR("12.5")'),
    ("dollar_bad_text", '=DOLLAR("x")'),
    ("dollar_too_many_places", "=DOLLAR(1,128)"),
    ("dollar_fraction_places", "=DOLLAR(1.2345,2.9)"),
    ("fixed_doc", "=FIXED(1234.567,1)"),
    ("fixed_doc2", "=FIXED(1234.567,-1)"),
    ("fixed_doc3", "=FIXED(-1234.567,-1,TRUE)"),
    ("fixed_doc4", "=FIXED(44.332)"),
    ("fixed_no_commas", "=FIXED(1234567.891,2,TRUE)"),
    ("fixed_zero_places", "=FIXED(1234.5,0)"),
    ("fixed_round_half", "=FIXED(2.675,2)"),
    ("fixed_negative_small", "=FIXED(-0.004,2)"),
    ("fixed_many_places", "=FIXED(1/3,10)"),
    ("fixed_bool_commas", "=FIXED(1234,1,0)"),
    ("fixed_bad_commas", '=FIXED(1234,1,"x")'),
    ("fixed_too_many_places", "=FIXED(1,128)"),
    ("numbervalue_doc", '=NUMBERVALUE("2.500,27",",",".")'),
    ("numbervalue_doc2", '=NUMBERVALUE("3.5%")'),
    ("numbervalue_spaces", '=NUMBERVALUE(" 3 000 ")'),
    ("numbervalue_empty", '=NUMBERVALUE("")'),
    ("numbervalue_double_percent", '=NUMBERVALUE("9%%")'),
    ("numbervalue_two_decimals", '=NUMBERVALUE("1.2.3")'),
    ("numbervalue_group_after_decimal", '=NUMBERVALUE("1.234,5")'),
    ("numbervalue_groups", '=NUMBERVALUE("1,234,567.5")'),
    ("numbervalue_negative", '=NUMBERVALUE("-12.5")'),
    ("numbervalue_custom", '=NUMBERVALUE("1 234;5",";"," ")'),
    ("numbervalue_first_char", '=NUMBERVALUE("1x5","xy")'),
    ("numbervalue_letters", '=NUMBERVALUE("12a")'),
    ("numbervalue_number", "=NUMBERVALUE(12.5)"),
    ("numbervalue_exponent", '=NUMBERVALUE("1.5E3")'),
    ("bahttext_doc", "=BAHTTEXT(1234)"),
    ("bahttext_zero", "=BAHTTEXT(0)"),
    ("bahttext_satang", "=BAHTTEXT(21.5)"),
    ("bahttext_only_satang", "=BAHTTEXT(0.25)"),
    ("bahttext_eleven", "=BAHTTEXT(11)"),
    ("bahttext_hundred_one", "=BAHTTEXT(101)"),
    ("bahttext_million", "=BAHTTEXT(1000001)"),
    ("bahttext_negative", "=BAHTTEXT(-20)"),
    ("bahttext_large", "=BAHTTEXT(123456789.75)"),
    ("bahttext_text", '=BAHTTEXT("x")'),
])

_group("textdelim", [
    ("textbefore_doc", '=TEXTBEFORE("Little Red Riding Hood","Red")'),
    ("textbefore_doc2", '=TEXTBEFORE("Little Red Riding Hood","")'),
    ("textbefore_instance", '=TEXTBEFORE("a-b-c","-",2)'),
    ("textbefore_from_end", '=TEXTBEFORE("a-b-c","-",-1)'),
    ("textbefore_missing", '=TEXTBEFORE("abc","x")'),
    ("textbefore_if_not_found", '=TEXTBEFORE("abc","x",1,0,0,"none")'),
    ("textbefore_case", '=TEXTBEFORE("aXbxc","x")'),
    ("textbefore_ignore_case", '=TEXTBEFORE("aXbxc","x",1,1)'),
    ("textbefore_match_end", '=TEXTBEFORE("abc","x",1,0,1)'),
    ("textbefore_zero_instance", '=TEXTBEFORE("abc","b",0)'),
    ("textbefore_too_many", '=TEXTBEFORE("a-b","-",5)'),
    ("textbefore_delimiters", '=TEXTBEFORE("a,b;c",{";",","})'),
    ("textafter_doc", '=TEXTAFTER("Little Red Riding Hood","Red")'),
    ("textafter_doc2", '=TEXTAFTER("Little Red Riding Hood","")'),
    ("textafter_from_end", '=TEXTAFTER("a-b-c","-",-1)'),
    ("textafter_second", '=TEXTAFTER("a-b-c","-",2)'),
    ("textafter_missing", '=TEXTAFTER("abc","x")'),
    ("textafter_match_end_negative", '=TEXTAFTER("abc","x",-1,0,1)'),
    ("textafter_number", "=TEXTAFTER(12.5,\".\")"),
    ("textafter_instance_rounds_down", '=TEXTAFTER("a the b the c","the",-1.2)'),
    ("textafter_long_delimiter", '=TEXTAFTER("del","deli")'),
    ("textafter_long_delimiter_instance", '=TEXTAFTER("del","deli",1)'),
])

_group("regex", [
    ("test_doc", '=REGEXTEST("alpha","a.p")'),
    ("test_no_match", '=REGEXTEST("alpha","^p")'),
    ("test_case", '=REGEXTEST("Alpha","alpha")'),
    ("test_ignore_case", '=REGEXTEST("Alpha","alpha",1)'),
    ("test_digits", '=REGEXTEST("abc123","[0-9]+")'),
    ("test_invalid", '=REGEXTEST("abc","(")'),
    ("test_number", '=REGEXTEST(12.5,"\\.5$")'),
    ("extract_doc", '=REGEXEXTRACT("DylanWilliams","[A-Z][a-z]+")'),
    ("extract_all", '=REGEXEXTRACT("DylanWilliams","[A-Z][a-z]+",1)'),
    ("extract_groups", '=REGEXEXTRACT("Sonia Brown","([A-Z][a-z]+) ([A-Z][a-z]+)",2)'),
    ("extract_none", '=REGEXEXTRACT("abc","[0-9]")'),
    ("extract_named_group", '=REGEXEXTRACT("id=42","id=(?<n>\\d+)",2)'),
    ("extract_bad_mode", '=REGEXEXTRACT("abc","b",3)'),
    ("replace_doc", '=REGEXREPLACE("Sonia Brown","([A-Z][a-z]+) ([A-Z][a-z]+)","$2, $1")'),
    ("replace_all", '=REGEXREPLACE("a1b22c333","[0-9]+","#")'),
    ("replace_second", '=REGEXREPLACE("a1b22c333","[0-9]+","#",2)'),
    ("replace_last", '=REGEXREPLACE("a1b22c333","[0-9]+","#",-1)'),
    ("replace_ignore_case", '=REGEXREPLACE("aAa","a","x",0,1)'),
    ("replace_dollar", '=REGEXREPLACE("5","(\\d)","$$$1")'),
    ("replace_no_match", '=REGEXREPLACE("abc","x","y")'),
])

_group("bytes", [
    ("lenb", '=LENB("abc")'),
    ("leftb", '=LEFTB("abcdef",2)'),
    ("rightb", '=RIGHTB("abcdef",3)'),
    ("midb", '=MIDB("abcdef",2,3)'),
    ("findb", '=FINDB("c","abcdef")'),
    ("searchb", '=SEARCHB("C","abcdef")'),
    ("replaceb", '=REPLACEB("abcdef",2,3,"X")'),
])

_group("valtext", [
    ("valuetotext_text", '=VALUETOTEXT("abc")'),
    ("valuetotext_strict", '=VALUETOTEXT("abc",1)'),
    ("valuetotext_number", "=VALUETOTEXT(1.5)"),
    ("valuetotext_bool", "=VALUETOTEXT(TRUE,1)"),
    ("valuetotext_error", "=VALUETOTEXT(1/0)"),
    ("valuetotext_bad_format", "=VALUETOTEXT(1,2)"),
    ("arraytotext_concise", '=ARRAYTOTEXT({1,"a";TRUE,2.5})'),
    ("arraytotext_strict", '=ARRAYTOTEXT({1,"a";TRUE,2.5},1)'),
    ("arraytotext_range", "=ARRAYTOTEXT(A1:B2)", {"A1": 1, "B1": "x", "A2": False, "B2": 3}),
    ("arraytotext_scalar", "=ARRAYTOTEXT(5)"),
])

# ===============================================================================================================
# Information and logical functions
# ===============================================================================================================

_group("info", [
    ("n_number", "=N(7)"),
    ("n_text", '=N("Even")'),
    ("n_bool", "=N(TRUE)"),
    ("n_false", "=N(FALSE)"),
    ("n_ref_text", "=N(A1)", {"A1": "7"}),
    ("n_ref_date", "=N(A1)", {"A1": "=DATE(2011,4,17)"}),
    ("n_blank", "=N(A1)"),
    ("n_error", "=N(1/0)"),
    ("n_range_first", "=N(@A1:A2)", {"A1": 3, "A2": 4}, "C5"),
    ("type_number", "=TYPE(2)"),
    ("type_text", '=TYPE("Smith")'),
    ("type_bool", "=TYPE(TRUE)"),
    ("type_error", "=TYPE(1/0)"),
    ("type_array", "=TYPE({1,2;3,4})"),
    ("type_blank", "=TYPE(A1)"),
    ("type_ref_text", "=TYPE(A1)", {"A1": "x"}),
    ("type_formula_text", '=TYPE("Mr. "&A1)', {"A1": "Smith"}),
    ("error_type_null", "=ERROR.TYPE(#NULL!)"),
    ("error_type_div0", "=ERROR.TYPE(1/0)"),
    ("error_type_value", '=ERROR.TYPE("a"+1)'),
    ("error_type_ref", "=ERROR.TYPE(#REF!)"),
    ("error_type_name", "=ERROR.TYPE(#NAME?)"),
    ("error_type_num", "=ERROR.TYPE(SQRT(-1))"),
    ("error_type_na", "=ERROR.TYPE(NA())"),
    ("error_type_not_error", "=ERROR.TYPE(5)"),
    ("error_type_ref_cell", "=ERROR.TYPE(A1)", {"A1": "=1/0"}),
    ("error_type_in_if", '=IF(ERROR.TYPE(A1)<3,"ok","no")', {"A1": "=1/0"}),
    ("isref_cell", "=ISREF(A1)"),
    ("isref_range", "=ISREF(A1:B2)"),
    ("isref_value", "=ISREF(5)"),
    ("isref_text", '=ISREF("A1")'),
    ("isref_error", "=ISREF(1/0)"),
    ("isformula_formula", "=ISFORMULA(A1)", {"A1": "=1+1"}),
    ("isformula_value", "=ISFORMULA(A1)", {"A1": 2}),
    ("isformula_blank", "=ISFORMULA(A1)"),
    ("isformula_range", "=ISFORMULA(A1:A2)", {"A1": "=1", "A2": 2}),
    ("isformula_range_each_cell", "=SUMPRODUCT(--ISFORMULA(A1:A3))", {"A1": "=1", "A2": 2, "A3": "=A2"}),
    ("sheet_own_is_refs", "=SHEET()=SHEET(A1)"),
    ("sheet_ref_same_sheet", "=SHEET(A1)-SHEET()"),
    ("sheet_positive", "=SHEET()>=1"),
    ("sheet_unknown_name", '=SHEET("NoSuchSheet")'),
    ("sheets_at_least_own", "=SHEETS()>=SHEET()"),
    ("sheets_ref", "=SHEETS(A1:B3)"),
    ("cell_address", '=CELL("address",B7)'),
    ("cell_row", '=CELL("row",B7)'),
    ("cell_col", '=CELL("col",D7)'),
    ("cell_contents", '=CELL("contents",A1)', {"A1": 42}),
    ("cell_contents_text", '=CELL("contents",A1)', {"A1": "abc"}),
    ("cell_type_blank", '=CELL("type",A1)'),
    ("cell_type_label", '=CELL("type",A1)', {"A1": "abc"}),
    ("cell_type_value", '=CELL("type",A1)', {"A1": 5}),
    ("cell_format_general", '=CELL("format",A1)', {"A1": 5}),
    ("cell_width", '=CELL("width",A1)'),
    ("cell_protect", '=CELL("protect",A1)'),
    ("cell_prefix_number", '=CELL("prefix",A1)', {"A1": 5}),
    ("cell_parentheses", '=CELL("parentheses",A1)', {"A1": 5}),
    ("cell_color", '=CELL("color",A1)', {"A1": -5}),
    ("cell_upper_case", '=CELL("ROW",C3)'),
    ("cell_bad_type", '=CELL("nothing",A1)'),
    ("cell_range", '=CELL("address",C3:D9)'),
    ("info_numfile", '=INFO("numfile")'),
    ("info_recalc", '=INFO("recalc")'),
    ("info_bad", '=INFO("nothing")'),
    ("and_empty_text_skipped", '=AND("",TRUE)'),
    ("or_only_empty_text", '=OR("","")'),
    ("sheet_of_number", "=SHEET(0)"),
])

_group("switch", [
    ("doc_weekday", '=SWITCH(WEEKDAY(A1),1,"Sunday",2,"Monday",3,"Tuesday","No match")', {"A1": "=DATE(2018,7,3)"}),
    ("doc_default", '=SWITCH(99,1,"Sunday",2,"Monday","No match")'),
    ("doc_no_default", '=SWITCH(99,1,"Sunday",2,"Monday")'),
    ("first_match", '=SWITCH(2,2,"first",2,"second")'),
    ("text_case_insensitive", '=SWITCH("b","A",1,"B",2)'),
    ("text_vs_number", '=SWITCH("1",1,"number","text")'),
    ("bool_vs_number", '=SWITCH(TRUE,1,"one",TRUE,"true")'),
    ("blank_vs_zero", '=SWITCH(A1,0,"zero","other")'),
    ("blank_vs_empty_text", '=SWITCH(A1,"","empty","other")'),
    ("error_expression", '=SWITCH(1/0,1,"a","b")'),
    ("error_result_not_taken", '=SWITCH(1,1,"a",2,1/0)'),
    ("lazy_default", '=SWITCH(1,1,"a",1/0)'),
    ("range_expression", "=SWITCH(@A1:A3,2,\"two\",\"other\")", {"A1": 1, "A2": 2, "A3": 3}, "C2"),
])

# AND/OR/XOR with direct text: Excel skips text other than TRUE/FALSE (workbooks Excel calculated).
_group("logictext", [
    ("and_numeric_text", '=AND(TRUE,"0")'),
    ("or_other_text", '=OR(FALSE,"x")'),
    ("and_text_then_error", '=AND(TRUE,"x",1/0)'),
    ("xor_only_text", '=XOR("x","0")'),
])

# Functions registered before this library that had no case of their own.
_group("coverage", [
    ("iserr_value", "=ISERR(1/0)"),
    ("iserr_na", "=ISERR(NA())"),
    ("iseven_four", "=ISEVEN(4)"),
    ("iseven_fraction", "=ISEVEN(-1.5)"),
    ("isodd_three", "=ISODD(3)"),
    ("islogical_true", "=ISLOGICAL(TRUE)"),
    ("islogical_text", '=ISLOGICAL("TRUE")'),
    ("isnontext_number", "=ISNONTEXT(5)"),
    ("isnontext_blank", "=ISNONTEXT(A1)"),
    ("isnontext_text", '=ISNONTEXT("x")'),
    ("datevalue_iso", '=DATEVALUE("2024-03-15")'),
    ("days_between", "=DAYS(DATE(2024,3,15),DATE(2024,1,1))"),
    ("hour_of_time", "=HOUR(0.75)"),
    ("minute_of_time", '=MINUTE("12:45:30")'),
    ("second_of_time", '=SECOND("12:45:30")'),
    ("time_parts", "=TIME(12,30,0)"),
    ("timevalue_text", '=TIMEVALUE("6:00 PM")'),
    ("now_after_today", "=NOW()>=TODAY()"),
    ("nper_loan", "=NPER(0.01,-100,1000)"),
    ("mode_sngl", "=MODE.SNGL(1,2,2,3)"),
    ("rank_eq", "=RANK.EQ(20,A1:A5)", NUMS),
    ("stdev_s", "=STDEV.S(2,4,4,4,5,5,7,9)"),
    ("stdev_p", "=STDEV.P(2,4,4,4,5,5,7,9)"),
    ("stdevp", "=STDEVP(2,4,4,4,5,5,7,9)"),
    ("var_s", "=VAR.S(1,2,3,4)"),
    ("var_p", "=VAR.P(1,2,3,4)"),
    ("varp", "=VARP(1,2,3,4)"),
])


CASES: tuple[Case, ...] = tuple(_CASES)
CASES_BY_ID: dict[str, Case] = {case.id: case for case in CASES}


# ===============================================================================================================
# Arrays: legacy array formulas, matrices, dynamic arrays and LAMBDA
# ===============================================================================================================
# LibreOffice 7.4 evaluates legacy array formulas (entered over a range with ``array``) and the matrix functions;
# it has no dynamic arrays and none of the functions that came with them, so those cases carry Excel's documented
# results in known_differences.py.

REQUIRED_FUNCTIONS = REQUIRED_FUNCTIONS + tuple(
    """
    TRANSPOSE MMULT MINVERSE MUNIT FILTER SORT SORTBY UNIQUE SEQUENCE RANDARRAY TAKE DROP VSTACK HSTACK CHOOSECOLS
    CHOOSEROWS EXPAND WRAPROWS WRAPCOLS TOCOL TOROW TEXTSPLIT LET LAMBDA MAP REDUCE SCAN BYROW BYCOL MAKEARRAY
    ISOMITTED
    """.split()
)

# Numbers in A1:A3 and B1:B3, text in C1:C3.
PAIRS = {"A1": 1, "B1": 4, "C1": "a", "A2": 2, "B2": 5, "C2": "b", "A3": 3, "B3": 6, "C3": "cc"}


def _array_group(category: str, rows: list[tuple]) -> None:
    """Add rows ``(suffix, formula, cells, range, at)``: the formula entered as a legacy array formula over
    ``range``, the case reading the cell ``at`` of it."""
    for suffix, formula, cells, array, at in rows:
        _CASES.append(Case(f"{category}.{suffix}", formula, cells, at, category=category, array=array))


_array_group("arrayformula", [
    ("product_first", "=A1:A3*B1:B3", PAIRS, "D1:D3", "D1"),
    ("product_last", "=A1:A3*B1:B3", PAIRS, "D1:D3", "D3"),
    ("row_repeats_down", "={1,2}", {}, "D1:F2", "E2"),
    ("beyond_the_result", "={1,2}", {}, "D1:F2", "F1"),
    ("column_repeats_right", "={1;2}", {}, "D1:E3", "E2"),
    ("column_beyond_the_result", "={1;2}", {}, "D1:E3", "D3"),
    ("single_value_fills", "=A1*10", PAIRS, "D1:D2", "D2"),
    ("sum_of_products", "=SUM(A1:A3*B1:B3)", PAIRS, "D5", "D5"),
    ("max_if", "=MAX(IF(A1:A3>1,B1:B3))", PAIRS, "D5", "D5"),
    ("if_elementwise", '=IF(A1:A3>1,"big","small")', PAIRS, "D1:D3", "D2"),
    ("len_elementwise", "=LEN(C1:C3)", PAIRS, "D1:D3", "D3"),
    ("error_element", "=1/(A1:A3-2)", PAIRS, "D1:D3", "D2"),
    ("element_after_error", "=1/(A1:A3-2)", PAIRS, "D1:D3", "D3"),
    ("blank_element", "=A1:A3", {"A1": 1, "A3": 3}, "D1:D3", "D2"),
    ("concat_elementwise", '=A1:A3&"x"', PAIRS, "D1:D3", "D3"),
    ("compare_elementwise", '=C1:C3="b"', PAIRS, "D1:D3", "D2"),
    ("sum_of_condition", "=SUM((A1:A3>1)*B1:B3)", PAIRS, "D5", "D5"),
    ("index_of_array", "=INDEX(A1:A3*10,2)", PAIRS, "D5", "D5"),
    ("countif_array_criteria", "=SUM(COUNTIF(A1:A3,{1,3}))", PAIRS, "D5", "D5"),
    ("first_element_in_one_cell", "=A1:A3*10", PAIRS, "D5", "D5"),
    ("transpose_first_row", "=TRANSPOSE(A1:B3)", PAIRS, "D1:F2", "F1"),
    ("transpose_second_row", "=TRANSPOSE(A1:B3)", PAIRS, "D1:F2", "E2"),
    ("isblank_beyond_the_argument", "=ISBLANK(A1:A3)", PAIRS, "D1:D5", "D5"),
    ("isna_beyond_the_argument", "=ISNA(A1:A3)", PAIRS, "D1:D5", "D4"),
])

_array_group("matrix", [
    ("mmult_corner", "=MMULT({1,3;7,2},{2,0;0,2})", {}, "D1:E2", "E2"),
    ("mmult_first_column", "=MMULT({1,3;7,2},{2,0;0,2})", {}, "D1:E2", "D2"),
    ("mmult_ranges", "=MMULT(TRANSPOSE(A1:A3),B1:B3)", PAIRS, "D5", "D5"),
    ("mmult_bad_shape", "=MMULT({1,2},{1,2})", {}, "D5", "D5"),
    ("mmult_text", "=MMULT(A1:C1,{1;1;1})", PAIRS, "D5", "D5"),
    ("minverse_element", "=MINVERSE({4,-1;2,0})", {}, "D1:E2", "E1"),
    ("minverse_negative", "=MINVERSE({4,-1;2,0})", {}, "D1:E2", "D2"),
    ("minverse_3x3", "=MINVERSE({1,2,1;3,4,-1;0,2,0})", {}, "D1:F3", "F1"),
    ("minverse_singular", "=MINVERSE({1,2;2,4})", {}, "D1:E2", "D1"),
    ("minverse_not_square", "=MINVERSE({1,2,3})", {}, "D5", "D5"),
    ("munit_diagonal", "=MUNIT(3)", {}, "D1:F3", "E2"),
    ("munit_off_diagonal", "=MUNIT(3)", {}, "D1:F3", "F1"),
])

_group("matrix", [
    ("index_of_mmult", "=INDEX(MMULT(A1:B3,{1;1}),3)", PAIRS),
    ("sumproduct_of_mmult", "=SUMPRODUCT(MMULT({1,2;3,4},{1;1}))"),
    ("transpose_first_element", "=TRANSPOSE(A1:A3)", PAIRS, "D5"),
    ("sum_of_transpose", "=SUMPRODUCT(TRANSPOSE(A1:A3)*{1,10,100})", PAIRS),
    ("munit_trace", "=SUMPRODUCT(MUNIT(4))"),
])

_group("dynamic", [
    ("range_spills_first_element", "=A1:A3*B1:B3", PAIRS, "D5"),
    ("lifted_function_first_element", "=ABS(A1:A3-5)", PAIRS, "D9"),
    ("spill_reference_sum", "=SUM(D1#)", {"D1": "=SEQUENCE(3)"}),
    ("spill_reference_count", "=COUNT(D1#)", _with(PAIRS, D1="=A1:B3")),
    ("anchorarray_computed_anchor", "=SUM(ANCHORARRAY(OFFSET(C1,0,1)))", {"D1": "=SEQUENCE(3)"}),
    ("anchorarray_rows", '=ROWS(ANCHORARRAY(INDIRECT("D1")))', {"D1": "=SEQUENCE(4,2)"}),
    ("anchorarray_no_spill", "=ANCHORARRAY(OFFSET(C1,0,1))", {"D1": 5}),
    ("anchorarray_of_a_range", "=ANCHORARRAY(OFFSET(C1,0,1,2,1))", {"D1": "=SEQUENCE(3)"}),
    ("implicit_intersection_of_spill", "=@D1#", {"D1": "=SEQUENCE(3)"}, "E2"),
    ("spill_blocked", "=SEQUENCE(3)", {"D2": 5}, "D1"),
    ("filter", "=INDEX(FILTER(A1:A5,A1:A5>25),1)", NUMS),
    ("filter_no_match", "=FILTER(A1:A5,A1:A5>99)", NUMS),
    ("filter_if_empty", '=FILTER(A1:A5,A1:A5>99,"none")', NUMS),
    ("filter_two_conditions", '=SUM(FILTER(B1:B6,(C1:C6="red")+(C1:C6="brown")))', FRUIT),
    ("sort_descending", "=SORT(A1:A5,1,-1)", NUMS),
    ("sort_text", "=INDEX(SORT(A1:A6),2)", FRUIT),
    ("sort_by_second_column", "=INDEX(SORT(A1:B3,2,-1),1,1)", PAIRS),
    ("sortby", "=SORTBY(C1:C3,B1:B3,-1)", PAIRS),
    ("unique_count", "=COUNTA(UNIQUE({1;2;1;3}))"),
    ("unique_exactly_once", "=UNIQUE({1;2;1},,TRUE)"),
    ("unique_case_insensitive", '=COUNTA(UNIQUE({"a";"A";"b"}))'),
    ("sequence_sum", "=SUM(SEQUENCE(4,1,10,5))"),
    ("sequence_element", "=INDEX(SEQUENCE(3,4),2,3)"),
    ("sequence_zero", "=SEQUENCE(0)"),
    ("randarray_fixed", "=SUM(RANDARRAY(3,3,1,1,TRUE))"),
    ("take_last", "=SUM(TAKE(A1:A5,-2))", NUMS),
    ("take_zero", "=TAKE(A1:A5,0)", NUMS),
    ("drop_first", "=SUM(DROP(A1:A5,3))", NUMS),
    ("vstack_pads", "=INDEX(VSTACK({1,2},{3}),2,2)"),
    ("hstack", "=INDEX(HSTACK({1;2},{3;4}),2,2)"),
    ("choosecols_last", "=SUM(CHOOSECOLS(A1:B3,-1))", PAIRS),
    ("chooserows", "=INDEX(CHOOSEROWS(A1:B3,3,1),1,2)", PAIRS),
    ("chooserows_zero", "=CHOOSEROWS(A1:B3,0)", PAIRS),
    ("expand", "=INDEX(EXPAND({1,2},2,2,0),2,1)"),
    ("expand_smaller", "=EXPAND({1,2;3,4},1)"),
    ("wraprows_pads", "=INDEX(WRAPROWS(SEQUENCE(5),2),3,2)"),
    ("wrapcols", "=INDEX(WRAPCOLS(SEQUENCE(5),2),1,3)"),
    ("wraprows_zero", "=WRAPROWS(SEQUENCE(5),0)"),
    ("tocol", "=SUM(TOCOL(A1:B3))", PAIRS),
    ("torow_by_column", "=INDEX(TOROW(A1:B3,0,TRUE),4)", PAIRS),
    ("textsplit", '=INDEX(TEXTSPLIT("a,b;c,d",",",";"),2,1)'),
    ("textsplit_pads", '=INDEX(TEXTSPLIT("a,b;c",",",";"),2,2)'),
    ("trimrange_rows", "=ROWS(TRIMRANGE(A1:D9))", {"B2": 1, "C4": "x"}),
    ("trimrange_cols", "=COLUMNS(TRIMRANGE(A1:D9))", {"B2": 1, "C4": "x"}),
    ("trimrange_trailing_rows", "=ROWS(TRIMRANGE(A1:D9,2,0))", {"B2": 1, "C4": "x"}),
    ("trimrange_whole_column", "=SUM(TRIMRANGE(A:A))", {"A3": 1, "A5": 5}),
    ("trimrange_empty", "=TRIMRANGE(F1:G5)"),
    ("trimrange_mode_fraction", "=TRIMRANGE(A1:D9,2.3)", {"B2": 1}),
])

# Analysis ToolPak functions refuse a range where they take one value, in array formulas too; an array is fine.
DATES3 = {"A1": "=DATE(2024,1,31)", "A2": "=DATE(2024,3,15)", "A3": "=DATE(2024,7,1)"}
_array_group("toolpak", [
    ("edate_range_in_array", "=EDATE(A1:A3,1)", DATES3, "D1:D3", "D2"),
    ("edate_array_in_array", "=EDATE(A1:A3+0,1)", DATES3, "D1:D3", "D2"),
    ("quotient_range_in_array", "=QUOTIENT(A1:A3,2)", PAIRS, "D1:D3", "D1"),
    ("imreal_range_in_array", "=IMREAL(A1:A3)", PAIRS, "D1:D3", "D3"),
    ("weeknum_range_in_array", "=WEEKNUM(A1:A3)", DATES3, "D1:D3", "D1"),
    ("sum_of_eomonth_range", "=SUM(EOMONTH(A1:A3,0))", DATES3, "D5", "D5"),
    ("gcd_takes_ranges", "=GCD(A1:A3*4)", PAIRS, "D5", "D5"),
    ("non_toolpak_lifts", "=YEAR(A1:A3)", DATES3, "D1:D3", "D3"),
])

_group("lambda", [
    ("let", "=LET(x,5,x*2)"),
    ("let_chain", "=LET(x,2,y,x+1,x*y)"),
    ("let_range", "=LET(r,A1:A3,SUM(r*r))", PAIRS),
    ("lambda_call", "=LAMBDA(x,x+1)(2)"),
    ("lambda_in_let", "=LET(f,LAMBDA(a,b,a*b),f(3,4))"),
    ("lambda_uncalled", "=LAMBDA(x,x)"),
    ("isomitted", '=LAMBDA(a,b,IF(ISOMITTED(b),"missing",a+b))(1,)'),
    ("map", "=SUM(MAP(A1:A3,LAMBDA(v,v*v)))", PAIRS),
    ("map_two_arrays", "=INDEX(MAP(A1:A3,B1:B3,LAMBDA(x,y,x*y)),3)", PAIRS),
    ("reduce", "=REDUCE(0,A1:A3,LAMBDA(a,b,a+b))", PAIRS),
    ("scan", "=INDEX(SCAN(0,A1:A3,LAMBDA(a,b,a+b)),3)", PAIRS),
    ("byrow", "=SUM(BYROW(A1:B3,LAMBDA(r,MAX(r))))", PAIRS),
    ("bycol", "=INDEX(BYCOL(A1:B3,LAMBDA(c,SUM(c))),2)", PAIRS),
    ("makearray", "=SUM(MAKEARRAY(2,2,LAMBDA(r,c,r*c)))"),
    ("map_wrong_arity", "=MAP(A1:A3,LAMBDA(x,y,x))", PAIRS),
    # a function's name where a LAMBDA is expected (an "eta-reduced" lambda; files store _xleta.SUM)
    ("byrow_function_name", "=INDEX(BYROW(A1:B3,SUM),3)", PAIRS),
    ("reduce_function_name", "=REDUCE(0,A1:B3,MAX)", PAIRS),
    ("map_function_name_wrong_arity", "=MAP(A1:A3,PERCENTOF)", PAIRS),
])

REQUIRED_FUNCTIONS = (*REQUIRED_FUNCTIONS, "GROUPBY", "PIVOTBY")

# Region in A, product in B, sales in C, headers in row 1. By region: East 18, West 27; by product: Ink 12, Pens 33;
# East Ink 5, East Pens 13, West Ink 7, West Pens 20; all 45.
SALES = {
    "A1": "Region", "B1": "Product", "C1": "Sales",
    "A2": "East", "B2": "Pens", "C2": 10,
    "A3": "West", "B3": "Pens", "C3": 20,
    "A4": "East", "B4": "Ink", "C4": 5,
    "A5": "West", "B5": "Ink", "C5": 7,
    "A6": "East", "B6": "Pens", "C6": 3,
}  # fmt: skip

_group("groupby", [
    ("groupby_first_key", "=GROUPBY(A1:A6,C1:C6,SUM)", SALES),
    ("groupby_total", "=INDEX(GROUPBY(A2:A6,C2:C6,SUM),3,2)", SALES),
    ("groupby_header_shown", "=INDEX(GROUPBY(A1:A6,C1:C6,SUM,3),1,2)", SALES),
    ("groupby_lambda", "=INDEX(GROUPBY(A2:A6,C2:C6,LAMBDA(x,AVERAGE(x))),2,2)", SALES),
    ("groupby_sort_by_value_descending", "=INDEX(GROUPBY(A2:A6,C2:C6,SUM,,,-2),1,1)", SALES),
    ("groupby_subtotal", "=INDEX(GROUPBY(A2:B6,C2:C6,SUM,,2),3,3)", SALES),
    ("groupby_grand_total_label", "=INDEX(GROUPBY(A2:B6,C2:C6,SUM,,2),7,1)", SALES),
    ("groupby_filter", '=INDEX(GROUPBY(A2:A6,C2:C6,SUM,,,,B2:B6="Pens"),2,2)', SALES),
    ("groupby_percentof", "=INDEX(GROUPBY(A2:A6,C2:C6,PERCENTOF),1,2)", SALES),
    ("groupby_sort_past_the_columns", "=GROUPBY(A2:A6,C2:C6,SUM,,,3)", SALES),
    ("pivotby_column_key", "=INDEX(PIVOTBY(A2:A6,B2:B6,C2:C6,SUM),1,2)", SALES),
    ("pivotby_cell", "=INDEX(PIVOTBY(A2:A6,B2:B6,C2:C6,SUM),2,3)", SALES),
    ("pivotby_grand_total", "=INDEX(PIVOTBY(A2:A6,B2:B6,C2:C6,SUM),4,4)", SALES),
    ("pivotby_percent_of_row", "=INDEX(PIVOTBY(A2:A6,B2:B6,C2:C6,PERCENTOF,,,,,,,1),3,2)", SALES),
    ("pivotby_depth_past_the_fields", "=PIVOTBY(A2:A6,B2:B6,C2:C6,SUM,,2)", SALES),
])

CASES = tuple(_CASES)
CASES_BY_ID = {case.id: case for case in CASES}
