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

_group("isect", [
    ("column_same_row", "=A1:A5", NUMS, "C3"),
    ("column_times", "=A1:A5*2", NUMS, "C4"),
    ("column_outside", "=A1:A5", NUMS, "C7"),
    ("row_same_column", "=A1:E1", {"A1": 1, "B1": 2, "C1": 3, "D1": 4, "E1": 5}, "C4"),
    ("explicit_operator", "=SUM(A1:A5 A3:C3)", NUMS),
    ("explicit_single", "=A1:C3 B2:D4", {"B2": 7, "C3": 9}),
    ("in_abs", "=ABS(A1:A5)", _with(NUMS, A2=-20), "B2"),
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
    ("implicit_intersection", "=A1:INDEX(A1:A5,5)", NUMS, "C3"),
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
    ("whole_column_in_its_row", "=INDEX(A1:C5,0,2)", TABLE, "Z3"),
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

CASES: tuple[Case, ...] = tuple(_CASES)
CASES_BY_ID: dict[str, Case] = {case.id: case for case in CASES}
