"""Where the engine deliberately does not follow the LibreOffice oracle.

``KNOWN_DIFFERENCES`` lists every case where LibreOffice 7.4 departs from Excel's documented behaviour; the engine
follows Excel and is tested against the value given here instead of ``expected_libreoffice.json``.

``LO_IRONCALC_DISAGREEMENTS`` lists the cases where IronCalc (the second opinion) disagrees with LibreOffice and
LibreOffice is the one that matches Excel, so the LibreOffice expectation stands.

Every LibreOffice/IronCalc disagreement must appear in exactly one of the two dicts (test_conformance checks it),
so a new disagreement after an oracle regeneration cannot go unexamined.
"""

from __future__ import annotations

from sheetrl.sheet.errors import DIV0, NA, NULL, NUM, REF, VALUE

# Reasons shared by many cases.
_BOOL = (
    "LibreOffice has no logical type: TRUE/FALSE are the numbers 1/0 with a boolean format, so they count as "
    "numbers in ranges, convert to 1/0 as text and compare as numbers. Excel keeps logicals distinct: ignored by "
    "aggregates in ranges, 'TRUE'/'FALSE' as text, and greater than any text or number in comparisons"
)
_DIRECT_TEXT = (
    "Excel converts text representations of numbers typed directly as arguments (documented for SUM, AVERAGE, "
    "MIN, MAX, PRODUCT, MEDIAN); LibreOffice rejects them with Err:504 (#VALUE!)"
)
_ERR502_NUM = (
    "LibreOffice reports Err:502 (invalid argument), which it writes to .xlsx as #VALUE!; Excel returns #NUM! for "
    "an argument outside the function's domain"
)
_XLOOKUP = "XLOOKUP only exists from LibreOffice 24.8; LibreOffice 7.4 gives #NAME?. Value from Excel's documentation"
_DATE_1900 = (
    "LibreOffice counts serial dates from 1899-12-30 and allows serials <= 0 and years past 9999; Excel's 1900 date "
    "system starts at 1900-01-00 (serial 0), keeps the fictitious 1900-02-29 (serial 60) and rejects serials < 0 "
    "and years outside 1900..9999 with #NUM!"
)
_OUT_OF_RANGE_REF = "Excel returns #REF! for a row/column index outside the range; LibreOffice gives Err:502 (#VALUE!)"

_UNSORTED = (
    "Approximate matches use Excel's binary search, which on unsorted data stops where its halving leads "
    "(stepping right over values of another type); LibreOffice searches differently (on a range it stops at the "
    "first value above the lookup value). The engine's search reproduces the values Excel cached in real workbooks "
    "with unsorted keys (all 35 approximate VLOOKUPs of SheetCopilot's BoomerangSales answers)"
)
_MATCH_DESCENDING = (
    "Excel's MATCH with match_type -1 scans from the first value and stops at the first equal value or the first "
    "value below the lookup value: Excel cached #N/A for MATCH(2,{0,1,2,3,4},-1) in pycel's lookup.xlsx; "
    "LibreOffice binary-searches"
)
_BLANK_LOOKUP = (
    "Excel looks up an empty cell as 0 in approximate matches (pycel's lookup.xlsx: VLOOKUP/HLOOKUP/LOOKUP of an "
    "empty cell over 0..4 cached the row of 0, MATCH(...,-1) cached 1); LibreOffice gives #N/A"
)
_XMATCH = "XMATCH only exists from LibreOffice 24.8; LibreOffice 7.4 gives #NAME?. Value from Excel's documentation"
_TABLE_AT = "Excel documents Table1[@Col] as the column's cell in the formula's row; LibreOffice 7.4 gives #NAME?"
_TABLE_ITEM = (
    "Excel's structured reference items #All, #Data and #Totals (documented); LibreOffice 7.4 does not resolve them "
    "(#NAME?)"
)

KNOWN_DIFFERENCES: dict[str, tuple[object, str]] = {
    # --- operators -------------------------------------------------------------------------------------------
    "op.pow_zero_zero": (NUM, "Excel: 0^0 is #NUM!; LibreOffice returns 1"),
    "op.pow_zero_negative": (DIV0, "Excel: 0 raised to a negative power is #DIV/0!; LibreOffice says #NUM!"),
    "op.pow_negative_base_fraction": (
        NUM,
        "Excel: a negative base with a non-integer exponent is #NUM!; LibreOffice (and IronCalc) return the real "
        "odd root -2",
    ),
    "op.concat_bool": ("aTRUE", _BOOL),
    "op.concat_false": ("FALSE!", _BOOL),
    "op.concat_large": (
        "1E+20",
        "Excel converts 1E+20 to text as '1E+20'; LibreOffice writes a three-digit exponent '1E+020'",
    ),
    "coerce.text_bool_plus": (
        VALUE,
        "Excel only converts numeric text in arithmetic, so \"TRUE\"+1 is #VALUE!; LibreOffice converts it to 1",
    ),
    "cmp.text_lt_bool": (True, _BOOL),
    "cmp.bool_gt_number": (True, _BOOL),
    "cmp.bool_eq_one": (False, _BOOL),
    "err.propagate_chain": (NUM, "SQRT(-1) is #NUM! in Excel (see sqrt.negative); the error propagates unchanged"),
    "err.empty_intersection": (NULL, "Excel: an empty intersection is #NULL!; LibreOffice reports #REF!"),
    # --- array constants ---------------------------------------------------------------------------------------
    "array.sum_const_mixed": (1, "Excel ignores text and logicals inside array constants in SUM. " + _BOOL),
    "array.count_const": (2, "Excel's COUNT counts only the numbers of an array constant. " + _BOOL),
    # --- aggregates --------------------------------------------------------------------------------------------
    "sum.mixed_range": (5.5, _BOOL),
    "sum.direct_text_number": (3, _DIRECT_TEXT),
    "sum.ref_bool": (0, _BOOL),
    "average.mixed_range": (2.75, _BOOL),
    "average.direct_coerce": (2, _DIRECT_TEXT),
    "min.direct_text": (0.5, _DIRECT_TEXT),
    "min.ref_bool_ignored": (3, _BOOL),
    "max.ref_bool_ignored": (-1, _BOOL),
    "count.mixed_range": (2, _BOOL),
    "product.direct_text": (6, _DIRECT_TEXT),
    "sumproduct.bool_as_zero": (8, "Excel's SUMPRODUCT treats non-numeric entries, logicals included, as 0. " + _BOOL),
    "stats.small_mixed": (4.5, _BOOL),
    "stats.median_mixed": (2.75, _BOOL),
    "stats.median_direct_text": (2, _DIRECT_TEXT),
    "stats.stdev_range_mixed": (2.4748737341529163, _BOOL),
    "stats.median_empty": (NUM, "Excel: MEDIAN with no numbers is #NUM!; LibreOffice says #VALUE!"),
    "stats.small_empty": (NUM, "Excel: SMALL/LARGE with no numbers or k out of range is #NUM!; LibreOffice #VALUE!"),
    "stats.large_zero": (NUM, "Excel: LARGE with k <= 0 is #NUM!; LibreOffice says #VALUE!"),
    "stats.large_too_big": (NUM, "Excel: LARGE with k larger than the count is #NUM!; LibreOffice says #VALUE!"),
    "stats.rank_missing": (NA, "Excel: RANK of a number not in the list is #N/A; LibreOffice says #VALUE!"),
    "stats.mode_none": (NA, "Excel: MODE without duplicated values is #N/A; LibreOffice says #VALUE!"),
    "stats.mode_text_only": (NA, "Excel: MODE without duplicated numbers is #N/A; LibreOffice says #VALUE!"),
    # --- criteria ----------------------------------------------------------------------------------------------
    "countif.lt": (2, "Excel's COUNTIF \"<20\" only matches numbers; LibreOffice also counts TRUE as 1. " + _BOOL),
    "countif.wild_question": (
        2,
        "Excel matches wildcard criteria against text cells only; LibreOffice also matches the number 5.5 as the "
        "three characters '5.5'",
    ),
    "countif.text_number_cell": (
        2,
        "Excel's COUNTIF/SUMIF family converts numeric text in the range before an equality test, so the text '1' "
        "matches the criterion 1 (the cause of the well-known 15-digit COUNTIF problem); LibreOffice does not",
    ),
    # --- logic and information -------------------------------------------------------------------------------------
    "if.text_number_condition": (
        VALUE,
        "Excel converts only the text TRUE/FALSE to a logical; IF(\"1\",...) is #VALUE!. LibreOffice converts '1'",
    ),
    "logic.and_text_true": (
        True,
        "Excel accepts the text \"TRUE\"/\"FALSE\" typed directly as an AND/OR argument; LibreOffice rejects any "
        "direct text with #VALUE!",
    ),
    "is.isnumber_bool": (False, _BOOL),
    # --- math --------------------------------------------------------------------------------------------------
    "power.zero_zero": (NUM, "Excel: POWER(0,0) is #NUM!; LibreOffice returns 1"),
    "power.zero_negative": (DIV0, "Excel: POWER(0,-1) is #DIV/0!; LibreOffice says #NUM!"),
    "power.negative_cube_root": (
        NUM,
        "Excel: a negative base with a non-integer exponent is #NUM!; LibreOffice (and IronCalc) return -2",
    ),
    "sqrt.negative": (NUM, _ERR502_NUM),
    "ln.zero": (NUM, _ERR502_NUM),
    "ln.negative": (NUM, _ERR502_NUM),
    "log.negative": (NUM, _ERR502_NUM),
    "log.zero": (NUM, _ERR502_NUM),
    "log.log10_zero": (NUM, _ERR502_NUM),
    "log.base_one": (DIV0, "Excel: LOG with base 1 divides by LN(1)=0, #DIV/0!; LibreOffice gives Err:502 (#VALUE!)"),
    "ceiling.negative_significance": (
        NUM,
        "Excel: CEILING of a positive number with a negative step is #NUM!. " + _ERR502_NUM,
    ),
    "floor.negative_significance": (
        NUM,
        "Excel: FLOOR of a positive number with a negative step is #NUM!. " + _ERR502_NUM,
    ),
    "floor.zero_significance": (
        DIV0,
        "Excel: FLOOR with significance 0 is #DIV/0!; LibreOffice gives Err:502 (#VALUE!)",
    ),
    # --- text --------------------------------------------------------------------------------------------------
    "left.bool": ("TR", _BOOL),
    "len.bool": (4, _BOOL),
    "len.large": (5, "Excel converts 1E+20 to the text '1E+20' (5 characters); LibreOffice to '1E+020'"),
    "case.lower_bool": ("true", _BOOL),
    "concat.concatenate_bool": ("TRUE1.5", _BOOL),
    "concat.concat_range": ("<a2TRUE>", _BOOL),
    "concat.textjoin_numbers": ("1, 2.5, TRUE", _BOOL),
    "value.bool": (VALUE, "Excel's VALUE only accepts text or numbers; a logical is #VALUE!. " + _BOOL),
    "find.empty_needle": (
        1,
        "Excel documents that FIND with empty find_text matches at start_num (1 by default); LibreOffice #VALUE!",
    ),
    "search.empty_needle": (
        2,
        "Excel's SEARCH, like FIND, matches empty find_text at start_num; LibreOffice gives #VALUE!",
    ),
    "exact.bool_text": (True, _BOOL),
    # --- lookup ------------------------------------------------------------------------------------------------
    "vlookup.col_too_big": (REF, _OUT_OF_RANGE_REF),
    "vlookup.text_key_vs_number": (
        NA,
        "Excel's exact-match lookups never match the text \"2\" against the number 2; LibreOffice does",
    ),
    "hlookup.row_too_big": (REF, _OUT_OF_RANGE_REF),
    "index.row_out_of_range": (REF, _OUT_OF_RANGE_REF),
    "index.col_out_of_range": (REF, _OUT_OF_RANGE_REF),
    "match.text_vs_number": (
        NA,
        "Excel's MATCH with match_type 0 never matches the text \"30\" against the number 30; LibreOffice does",
    ),
    "match.bool": (3, "Excel matches the logical TRUE only against a logical TRUE cell. " + _BOOL),
    "xlookup.basic": ("three", _XLOOKUP),
    "xlookup.missing": (NA, _XLOOKUP),
    "xlookup.if_not_found": ("none", _XLOOKUP),
    "xlookup.next_smaller": ("three", _XLOOKUP),
    "xlookup.next_larger": ("five", _XLOOKUP),
    "xlookup.wildcard": (300, _XLOOKUP),
    "xlookup.no_wildcard_by_default": (NA, _XLOOKUP),
    "xlookup.last_to_first": (2, _XLOOKUP),
    "xlookup.horizontal": (80, _XLOOKUP),
    "xlookup.case_insensitive": (200, _XLOOKUP),
    # --- dates -------------------------------------------------------------------------------------------------
    "date.year_1900_jan1": (1, _DATE_1900),
    "date.negative_year": (NUM, "Excel: DATE with a year below 0 is #NUM!; LibreOffice gives Err:502 (#VALUE!)"),
    "date.year_10000": (NUM, _DATE_1900),
    "ymd.year_zero": (1900, _DATE_1900),
    "ymd.year_negative": (NUM, _DATE_1900),
    "ymd.month_zero": (1, _DATE_1900),
    "ymd.day_zero": (0, _DATE_1900),
    "ymd.day_blank": (0, "A blank cell is serial 0, which Excel shows as 1900-01-00. " + _DATE_1900),
    "ymd.day_sixty": (29, _DATE_1900),
    "weekday.negative": (NUM, _DATE_1900),
    "weekday.bad_type": (NUM, "Excel: an unknown WEEKDAY return_type is #NUM!; LibreOffice gives Err:502 (#VALUE!)"),
    "datedif.start_after_end": (NUM, "Excel: DATEDIF with start after end is #NUM!; LibreOffice Err:502 (#VALUE!)"),
    "datedif.bad_unit": (NUM, "Excel: DATEDIF with an unknown unit is #NUM!; LibreOffice says #VALUE!"),
    # --- references computed at run time, names, tables, lookup & reference ---------------------------------------
    "offset.negative_height": (
        120,
        ("Excel extends a negative height upward from the moved corner (OFFSET(A5,0,0,-3) is A3:A5; its help asks "
        "for a positive height, but negative ones have always worked); LibreOffice 7.4 rejects it with Err:502"),
    ),
    "offset.zero_height": (REF, "Excel: a height or width of 0 refers to no cells: #REF!; LibreOffice Err:502"),
    "offset.off_grid": (
        REF, "Excel: an offset over the edge of the worksheet is #REF! (documented); LibreOffice Err:502 (#VALUE!)"
    ),
    "address.bad_abs": (VALUE, "Excel: abs_num must be 1 to 4, anything else is #VALUE!; LibreOffice treats 5 as 1"),
    "lookup.last_text": (
        "y",
        ("Excel's binary search steps over values of another type, so LOOKUP(REPT(\"z\",255),A:A) finds the last "
        "text of a mixed column (a well-known idiom); LibreOffice gives #N/A"),
    ),
    "lookup.unsorted": ("e", _UNSORTED),
    "approx.vlookup_unsorted": ("e", _UNSORTED),
    "approx.vlookup_unsorted_big": ("f", _UNSORTED),
    "approx.match_unsorted": (5, _UNSORTED),
    "approx.hlookup_unsorted": ("e", _UNSORTED),
    "refop.union_rows": (
        REF,
        ("Excel: ROWS and COLUMNS of a union of areas are #REF! (as Excel cached them in the formulas library's "
        "test.xlsx); LibreOffice gives Err:504 (#VALUE!)"),
    ),
    "approx.match_descending_duplicates": (2, _MATCH_DESCENDING),
    "approx.match_descending_on_ascending": (NA, _MATCH_DESCENDING),
    "approx.vlookup_blank_lookup": ("a", _BLANK_LOOKUP),
    "approx.match_blank_lookup_descending": (1, _BLANK_LOOKUP),
    "xlookup_modes.binary_mixed_types": (
        0.22,
        _XLOOKUP + "; binary search bisects Excel's order of all types (text after numbers), as the value Excel "
        "cached in Apache POI's xlookup.xlsx shows",
    ),
    "xlookup_modes.blank_lookup_finds_blank": (
        "blank",
        _XLOOKUP + "; an empty lookup value finds the first empty cell (IronCalc's XLOOKUP.xlsx, cached by Excel)",
    ),
    "xlookup_modes.binary_duplicates_first": (
        "e",
        _XLOOKUP + "; a binary search that probes an equal value moves to the first of its run in ascending data "
        "(IronCalc's XLOOKUP.xlsx, sheet MultipleElements, cached by Excel)",
    ),
    "xlookup_modes.binary_descending_duplicates_last": (
        "e",
        _XLOOKUP + "; a binary search that probes an equal value moves to the last of its run in descending data "
        "(IronCalc's XLOOKUP.xlsx, sheet MultipleElements, cached by Excel)",
    ),
    "offset.fractional_width": (
        60,
        "Excel: a height or width between 0 and 1 is 1 (OFFSET(W39,2,2,3,0.9) sums one column in the values Excel "
        "cached in IronCalc's ROW_COLUM.xlsx); LibreOffice truncates it to 0 and gives Err:502",
    ),
    "lookup.vlookup_number_table": (
        NA,
        "Excel: VLOOKUP with a number as its table is #N/A (VLOOKUP(\"Aranda\",3,1) in the values Excel cached in "
        "IronCalc's HVLOOKUP.xlsx; with text it is #VALUE!); LibreOffice gives Err:504 (#VALUE!)",
    ),
    "lookup.vlookup_not_found_before_index": (
        NA,
        "Excel: a lookup value that is not found is #N/A before col_index_num is checked (VLOOKUP(empty,B1:C1,0) "
        "in the values Excel cached in umya-spreadsheet's pr_204.xlsx); LibreOffice checks the index first (Err:502)",
    ),
    "xmatch.exact": (3, _XMATCH),
    "xmatch.next_smaller": (3, _XMATCH),
    "xmatch.next_larger": (4, _XMATCH),
    "xmatch.wildcard": (2, _XMATCH),
    "xmatch.last_to_first": (2, _XMATCH),
    "xmatch.binary": (4, _XMATCH),
    "xmatch.binary_descending": (3, _XMATCH),
    "xmatch.missing": (NA, _XMATCH),
    "xmatch.two_dimensional": (VALUE, _XMATCH + "; lookup_array must be one row or one column"),
    "xmatch.wildcard_binary": (VALUE, _XMATCH + "; wildcards cannot be binary-searched"),
    "xlookup_modes.whole_columns": ("three", _XLOOKUP),
    "xlookup_modes.binary_next_larger": ("five", _XLOOKUP),
    "xlookup_modes.binary_next_smaller": ("three", _XLOOKUP),
    "xlookup_modes.binary_descending_next_smaller": (30, _XLOOKUP),
    "xlookup_modes.last_next_larger": ("five", _XLOOKUP),
    "xlookup_modes.reference_result": (10, _XLOOKUP + "; XLOOKUP returns a reference, so it can end a range"),
    "table.at_column": (8, _TABLE_AT),
    "table.at_all_columns": (3, _TABLE_AT),
    "table.this_row_outside": (
        VALUE, "Excel: [@Col] outside the table's data rows has no row to intersect: #VALUE!; LibreOffice #NAME?"
    ),
    "table.headers": (3, "Table1[#Headers] is the whole header row (3 cells); LibreOffice counts 1"),
    "table.all_rows": (5, _TABLE_ITEM),
    "table.data_rows": (4, _TABLE_ITEM),
    "table.bare_name": (
        4, "Excel: a table's name alone refers to its data rows, without the header; LibreOffice includes the header"
    ),
    "table_calc.unqualified_column": (
        10, "Excel: [Col] inside a table means that table's column; LibreOffice 7.4 gives #NAME?"
    ),
    "table_totals.totals_row": (17, _TABLE_ITEM),
    "table_totals.all_with_totals": (6, _TABLE_ITEM),
}

# LibreOffice matches Excel here and IronCalc 0.9 does not.
_IC_ISECT = (
    "Excel (implicit intersection, as in files without dynamic arrays) takes the cell of the range in the formula's "
    "row or column, or #VALUE! if there is none; IronCalc takes the first cell or ignores the operator"
)
_IC_NUM_TEXT = "Excel converts numbers to text with up to 15 significant digits; IronCalc uses the shortest repr"

_IC_REF_END = (
    "A range whose end is a function returning a reference (A1:INDEX(...), A1:A2:A4) spans both; IronCalc gives "
    "#VALUE! (it does not take references from functions as range ends)"
)
_IC_UNION = "The union operator (A1:A2,A4:A5) lists areas; IronCalc does not parse it (#ERROR!)"
_IC_NAME = "IronCalc's .xlsx import does not resolve this defined name (#NAME?); Excel and LibreOffice do"
_IC_TABLE = "IronCalc does not resolve this structured reference; Excel and LibreOffice do"

LO_IRONCALC_DISAGREEMENTS: dict[str, str] = {
    "op.concat_third": _IC_NUM_TEXT,
    "op.concat_float_noise": _IC_NUM_TEXT,
    "len.third": _IC_NUM_TEXT,
    "isect.column_same_row": _IC_ISECT,
    "isect.column_times": _IC_ISECT,
    "isect.column_outside": _IC_ISECT,
    "isect.row_same_column": _IC_ISECT,
    "isect.in_abs": _IC_ISECT,
    "isect.explicit_operator": "The space operator intersects A1:A5 and A3:C3 in A3; IronCalc does not parse it",
    "isect.explicit_single": "B2:C3 is not a single cell and shares no row/column with Z1: #VALUE!; IronCalc gives 0",
    "countif.ne_text": "\"<>apple\" counts every cell that is not 'apple', numbers included (5); IronCalc counts 1",
    "countifs.size_mismatch": "Excel: criteria ranges of different sizes are #VALUE!; IronCalc evaluates them",
    "sumifs.size_mismatch": "Excel: criteria ranges of a different size from sum_range are #VALUE!",
    "averageifs.size_mismatch": "Excel: criteria ranges of a different size from average_range are #VALUE!",
    "sumif.short_sum_range": "Excel resizes sum_range to the shape of range (B1 becomes B1:B6); IronCalc #VALUE!",
    "logic.and_bad_text": "Excel: a direct text argument other than TRUE/FALSE is #VALUE!; IronCalc ignores it",
    "logic.or_error": "Excel's OR propagates an error argument; IronCalc returns TRUE",
    "concat.textjoin_args": "TEXTJOIN with ignore_empty TRUE skips empty strings; IronCalc keeps them",
    "concat.textjoin_empty_string_cell": "TEXTJOIN with ignore_empty TRUE skips cells holding \"\"; IronCalc keeps them",
    "text.fraction": "Format '# ?/?' shows 0.5 as ' 1/2'; IronCalc prints '  /1'",
    "text.round_half": "Number formats round half away from zero: TEXT(2.5,\"0\") is '3'; IronCalc gives '2'",
    "text.hash": "Number formats round half away from zero: TEXT(1234.5,\"#\") is '1235'; IronCalc gives '1234'",
    "value.time": "Excel's VALUE accepts time text: VALUE(\"12:00\") is 0.5; IronCalc #VALUE!",
    "value.parentheses": "Excel's VALUE reads accounting negatives: VALUE(\"(100)\") is -100; IronCalc #VALUE!",
    "vlookup.col_zero": "Excel: VLOOKUP with col_index_num < 1 is #VALUE!; IronCalc says #REF!",
    "index.range_result_in_sum": (
        "INDEX returns a reference, so A1:INDEX(A1:A5,3) is A1:A3 (sum 60); IronCalc gives #VALUE!"
    ),
    "stats.var_bool_direct": "Logicals typed directly are counted by VAR: VAR(1,3) is 2; IronCalc #DIV/0!",
    # --- references computed at run time, names, tables, lookup & reference ---------------------------------------
    "refop.index_end": _IC_REF_END,
    "refop.index_start": _IC_REF_END,
    "refop.index_both": _IC_REF_END,
    "refop.two_d_box": _IC_REF_END,
    "refop.count": _IC_REF_END,
    "refop.rows": _IC_REF_END,
    "refop.implicit_intersection": _IC_REF_END,
    "refop.chained_ranges": _IC_REF_END,
    "refop.union_sum": _IC_UNION,
    "refop.union_count": _IC_UNION,
    "refop.union_areas": _IC_UNION,
    "refop.union_large": _IC_UNION,
    "refop.union_index_area": _IC_UNION,
    "refop.union_max": _IC_UNION,
    "refop.intersection_sum": "The space operator intersects A1:C5 and B2:B4 (text only: 0); IronCalc #ERROR!",
    "offset.empty_height_argument": "An empty height argument means the reference's own height; IronCalc #REF!",
    "formulatext.range_top_left": "FORMULATEXT of a range reads its top-left cell; IronCalc does not implement it",
    "lookup.result_shorter": "LOOKUP reads a shorter result_vector past its end (Excel extends it); IronCalc #N/A",
    "approx.match_unsorted_two": (
        "Excel's binary search on unsorted data ends at position 3 here (LibreOffice agrees); IronCalc's search "
        "ends elsewhere"
    ),
    "approx.match_blanks": "Blank cells are skipped: 20 (position 3) is the largest value <= 25; IronCalc gives 4",
    "approx.match_descending_unsorted": (
        "Excel's binary search for match_type -1 ends at position 1 here (LibreOffice agrees); IronCalc gives 3"
    ),
    "approx.vlookup_unsorted_text": (
        "Excel's binary search on these unsorted keys ends at Carlota (3), as LibreOffice finds; IronCalc gives 7"
    ),
    "index_reference.whole_column_in_its_row": (
        "INDEX(A1:C5,0,2) is the reference B1:B5, implicitly intersected with row 3 of the formula: B3; IronCalc "
        "takes the first cell"
    ),
    "index_reference.area_two": _IC_UNION,
    "index_reference.area_beyond": _IC_UNION + "; an area number beyond the union's areas is #REF!",
    "name.constant": _IC_NAME,
    "name.formula": _IC_NAME,
    "name.nested": _IC_NAME,
    "name.dots": _IC_NAME,
    "name.underscore": _IC_NAME,
    "name.array": _IC_NAME,
    "name.text": _IC_NAME,
    "name.case_insensitive": _IC_NAME + " (names are case-insensitive)",
    "name.dynamic_range": _IC_NAME,
    "name.relative": (
        "A relative reference in a name is relative to A1 and follows the cell using it ($A1 used in row 3 is $A3); "
        "IronCalc does not shift it"
    ),
    "name.union": "A name may refer to a list of areas; IronCalc sums only the first one",
    "name.intersection": "The space operator intersects two named ranges; IronCalc #VALUE!",
    "name.indirect": "INDIRECT accepts a defined name; IronCalc #REF!",
    "table.empty_brackets": _IC_TABLE + " (Table1[] is the data rows)",
    "table.headers_and_data": _IC_TABLE + " ([[#Headers],[#Data],[Col]])",
    "table.vlookup": _IC_TABLE + " (a table name alone is its data rows)",
    "table.indirect": _IC_TABLE + " (INDIRECT accepts structured references)",
    "table_totals.data_and_totals": _IC_TABLE + " ([[#Data],[#Totals],[Col]])",
}


# Cases where the engine knowingly disagrees with the oracle: each is a documented limitation, counted as a
# mismatch in the agreement figure. The per-case test expects the mismatch (and fails once the engine agrees, so
# the entry gets removed).
ENGINE_LIMITATIONS: dict[str, str] = {
    "datedif.yd": (
        "DATEDIF 'YD' across a leap day: the engine moves the end date into the start date's year (Excel's "
        "behaviour for the classic 1988-06-22..2012-05-11 example, 323, which LibreOffice's own source notes); "
        "LibreOffice uses the end date's year here and gives 54 instead of 55"
    ),
}
