"""Where the engine deliberately does not follow the LibreOffice oracle.

``KNOWN_DIFFERENCES`` lists every case where LibreOffice 7.4 departs from Excel's documented behaviour; the engine
follows Excel and is tested against the value given here instead of ``expected_libreoffice.json``.

``LO_IRONCALC_DISAGREEMENTS`` lists the cases where IronCalc (the second opinion) disagrees with LibreOffice and
LibreOffice is the one that matches Excel, so the LibreOffice expectation stands.

Every LibreOffice/IronCalc disagreement must appear in exactly one of the two dicts (test_conformance checks it),
so a new disagreement after an oracle regeneration cannot go unexamined.
"""

from __future__ import annotations

from sheetrl.sheet.errors import CALC, DIV0, NA, NULL, NUM, REF, SPILL, VALUE

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
_XIRR_SEARCH = (
    "Excel's XIRR doubles or halves a positive guess until XNPV changes sign between x and 2x and returns the 26th "
    "midpoint of [x, 2x], about 1e-8 from the root: every positive XIRR cached in workbooks Excel calculated is "
    "that midpoint to the last digit (IronCalc's FINANCIAL/XIRR.xlsx and XNPV.xlsx R2, R12, R19; SheetJS "
    "formula_stress_test.xlsx Finance!B11; vinci1it2000 test.xlsx FINANCIAL, guesses 0.1, 1, 4 and 32015). "
    "LibreOffice iterates Newton's method to the root. (The example in Excel's documentation, 0.373362535, is "
    "the 25th midpoint: an older Excel, or a stopping rule these workbooks do not reveal)"
)
_XLOOKUP = "XLOOKUP only exists from LibreOffice 24.8; LibreOffice 7.4 gives #NAME?. Value from Excel's documentation"
_DATE_1900 = (
    "LibreOffice counts serial dates from 1899-12-30 and allows serials <= 0 and years past 9999; Excel's 1900 date "
    "system starts at 1900-01-00 (serial 0), keeps the fictitious 1900-02-29 (serial 60) and rejects serials < 0 "
    "and years outside 1900..9999 with #NUM!"
)
_NUMFMT_GENERAL = (
    "Excel-cached: General in TEXT uses at most 11 characters (the sign not counted): 10 significant digits, "
    "scientific notation from 1E+11 and for small numbers whose digits would not fit (1E-10, 2.5E-09); LibreOffice "
    "shows up to 15 significant digits positionally"
)
_NUMFMT_HASH = (
    "Excel-cached: a '#' after the decimal point shows nothing when its digit and every later digit are zero, even "
    "before a later '0'; LibreOffice keeps such zeros"
)
_NUMFMT_NAMES = (
    "Excel 365 takes month and day names from Windows' locale data (German abbreviates March 'Mrz', Chinese "
    "abbreviates September '9月' and Wednesday '周三', Japanese and Korean write full months with digits); "
    "LibreOffice uses CLDR names"
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
# --- reasons for the date, financial, statistical and database function cases --------------------------------------
_WEEKNUM = (
    "Excel's WEEKNUM (system 1) numbers the week holding January 1 as week 1, so 31 December is week 53 or 54 "
    "(Microsoft's documentation; the 36,000 WEEKNUM cells of real workbooks Excel calculated agree with the "
    "engine); LibreOffice 7.4 gives 1, the first week of the next year"
)
_HOLIDAY_TEXT = (
    "Excel reads holiday dates written as text ({\"2006/1/2\",\"2006/1/16\"}, the documentation's example, which "
    "gives 22); LibreOffice rejects them with #VALUE!"
)
_WEEKEND_CODE = "Excel: an unknown weekend code (0) is #NUM! (the documentation's example); LibreOffice says #VALUE!"
_DATEVALUE = (
    "Excel (en-US) reads dates written yyyy/mm/dd and 'day month-name year'; LibreOffice 7.4's DATEVALUE only "
    "accepts its locale's date patterns and gives #VALUE!"
)
_ISPMT_DIV0 = "ISPMT divides by nper: Excel gives #DIV/0! for nper 0; LibreOffice #NUM!"
_DOC_NUM = "Excel's documentation: this argument is outside the function's domain, #NUM!; LibreOffice differs"
_DOC_NA = "Excel's documentation: the value is not in the data (or the data do not pair up), #N/A; LibreOffice differs"
_DOC_DIV0 = "Excel's documentation: too few data points or no spread, #DIV/0!; LibreOffice differs"
_FVSCHEDULE_TEXT = (
    "Excel's documentation: the values in schedule can be numbers or blank cells, anything else is #VALUE!; "
    "LibreOffice skips text"
)
_DOLLARDE_DIV0 = "Excel: DOLLARDE with fraction 0 is #DIV/0! (documented); LibreOffice gives Err:502 (#VALUE!)"
_MIRR_DIV0 = "Excel: MIRR needs a positive and a negative flow, else #DIV/0! (documented); LibreOffice Err:502"
_AMORDEGRC_LIFE = (
    "Excel's documentation: AMORDEGRC returns #NUM! when the asset's life 1/rate is between 0 and 3 or 4 and 5 "
    "years; LibreOffice computes a value"
)
_ACCRINT_METHOD = (
    "LibreOffice 7.4's ACCRINT has no calc_method argument (Err:504); 15.5556 is the value in Excel's documentation"
)
_ACCRINT = (
    "Excel's ACCRINT sums the coupon periods from issue to settlement, each counted under the basis (the engine "
    "reproduces all 1,923 Excel-computed ACCRINT cases of ExcelFinancialFunctions' test data); LibreOffice uses "
    "par * rate * YEARFRAC(issue, settlement), ignoring frequency and the coupon dates"
)
_EXCEL_VERIFIED = (
    "LibreOffice 7.4 counts the days or the last coupon period differently; the value is Excel's: the engine "
    "reproduces every Excel-computed case of ExcelFinancialFunctions' test data for this function (10,982 PRICE, "
    "30,602 ODDLPRICE, 2,749 INTRATE, 1,290 RECEIVED, 3,662 PRICEDISC, 1,942 PRICEMAT, 362 ACCRINTM, 83 TBILLPRICE "
    "and 50 TBILLEQ cases)"
)
_YIELD_LAST = (
    "Excel's documented closed form for YIELD with one coupon period or less (DSR = E - A, the days of the period "
    "after settlement); LibreOffice uses a different day count"
)
_DURATION_DOC = "The value of Excel's documentation (10.9191453, 5.73567); LibreOffice 7.4 counts the coupon days differently"
_ODDF = (
    "LibreOffice 7.4 rejects these valid odd-first-period bonds with Err:502 (#VALUE!); the engine's value is "
    "Excel's (113.597717 and 0.0772455 in Excel's documentation; all 19,322 Excel-computed ODDFPRICE cases of "
    "ExcelFinancialFunctions' test data agree)"
)
_DIRECT_TEXT_A = (
    "Excel's documentation: text representations of numbers typed directly as arguments of the A-functions are "
    "counted; LibreOffice counts them as 0"
)
_EMPTY_NUM = "Excel: PERCENTILE of an empty data set is #NUM!; LibreOffice says #VALUE!"
_PERCENTRANK_TRUNCATES = (
    "Excel truncates PERCENTRANK to the requested significant digits (documentation: 6/9 with 3 digits is 0.666, "
    "PERCENTRANK.EXC(..., 5.43, 1) is 0.3); LibreOffice rounds"
)
_T_INV_TAIL = (
    "The exact quantile is -131.594736940624 (the t distribution with 4 degrees of freedom has a closed form); "
    "LibreOffice's iteration stops 1.6e-9 away"
)
_BINOM_RANGE = (
    "BINOM.DIST.RANGE does not exist in LibreOffice 7.4 (#NAME?); values from Excel's documentation (0.084, 0.524; "
    "number_s2 below number_s is #NUM!)"
)
_CORPUS_CRITERIA = (
    "Measured in workbooks Excel calculated (the values it cached): COUNTIF's criterion 23 matches the number 23 and "
    "the text '23', '<>23' excludes only the number, and an error criterion counts the cells holding that error "
    "instead of being the result; LibreOffice differs"
)
_ATP_LOGICALS = (
    "Measured in workbooks Excel calculated: the Analysis ToolPak functions (EDATE, EOMONTH, WEEKNUM, YEARFRAC) "
    "reject a logical date or code with #VALUE!; LibreOffice reads TRUE as 1"
)
_YEARFRAC_ERRORS = (
    "Measured in workbooks Excel calculated: YEARFRAC(#DIV/0!, 345, #N/A) is #N/A, the error of the last argument; "
    "LibreOffice returns the first"
)
_XNPV_RATE = (
    "Measured in a workbook Excel calculated: XNPV at a rate of 0 or below is #NUM! (as in IronCalc); LibreOffice "
    "sums the flows"
)
_VDB_FRACTIONAL_START = (
    "Measured in a workbook Excel calculated: from a fractional start VDB lays whole periods out from that start "
    "(a first short period, then the declining balance or straight line per period); LibreOffice keeps whole periods "
    "from 0 and interpolates, which differs once the straight line takes over"
)
_MEASURED_LONE_OPERATOR = (
    "Measured in a workbook Excel calculated: an ordering operator with nothing to compare ('>', '<=') matches no "
    "cell, as in IronCalc; LibreOffice counts the empty text"
)
_MEASURED_DB_PERIOD = (
    "Measured in a workbook Excel calculated: DB truncates the period (4.5 is period 4), as IronCalc does; "
    "LibreOffice takes 4.5 as the partial period after the life"
)
_MEASURED_DEGENERATE = (
    "Measured in a workbook Excel calculated: BINOM.INV with alpha 0 or 1 or a probability of 1, and NEGBINOM.DIST "
    "with a probability of 0 or 1, are #NUM! (as in IronCalc); LibreOffice returns the limiting value"
)
_MEASURED_ACCRINT = (
    "Measured on 400 cells of a workbook Excel calculated: past the first interest date ACCRINT counts each whole "
    "coupon period as 1 and divides the remaining days by a nominal period (for basis 1 the length of the period "
    "ending at the first interest date), as IronCalc does; LibreOffice 7.4 rejects calc_method or differs"
)
_MEASURED_MIRR = (
    "Measured in a workbook Excel calculated: MIRR computes its formula, so flows without inflows give -1 (as in "
    "IronCalc); LibreOffice gives #VALUE!"
)
_MEASURED_DB_LABEL = (
    "Measured in a workbook Excel calculated: criteria labels are compared with the field labels as text, so "
    "'true' names the column labelled TRUE (as in IronCalc); LibreOffice gives #VALUE!"
)
_MEASURED_DB_EMPTY = (
    "Measured in a workbook Excel calculated: a database without records (labels only) is #VALUE! (as in "
    "IronCalc); LibreOffice counts 0"
)
_IC_DATE_TEXT = "Excel reads 'January 31, 2024' and 'Feb 2024' as dates, as LibreOffice does; IronCalc gives #VALUE!"
_IC_ARRAY_INDEX = "INDEX picks an element of the array LINEST/LOGEST/TREND/GROWTH returns; IronCalc 0.9 gives #REF!"
_IC_DB_EMPTY = (
    "The criterion '=' matches records whose Tree is empty, and there are none: DMAX gives 0 and DAVERAGE #DIV/0!; "
    "IronCalc matches every record"
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
    # --- number formats (TEXT) ---------------------------------------------------------------------------------
    # "Excel-cached": the value Excel itself stored for the same TEXT formula in Excel-made workbooks (the test
    # files of pycel, IronCalc and Apache POI, and Excel 365's display of format codes for every language).
    "numfmt.empty_code_negative": ("-", ("Excel-cached: an empty code shows nothing but the minus sign of a negative "
                                        "number; LibreOffice drops the sign")),
    "numfmt.literal_section_negative": ("-w", ("Excel-cached: a negative number in a lone section without digits keeps "
                                              "its minus sign; LibreOffice drops it")),
    "numfmt.bool_plain": ("FALSE", "Excel-cached: TEXT shows a logical as TRUE/FALSE text. " + _BOOL),
    "numfmt.bool_text_section": ("hi", "Excel-cached: TEXT formats a logical with the text section. " + _BOOL),
    "numfmt.hash_point": ("12.", ("Excel-cached: the decimal point stays when '#' decimals show nothing (1 with '#.##' "
                                 "is '1.'); LibreOffice drops it")),
    "numfmt.hash_after_zero": ("890123.45678900", _NUMFMT_HASH),
    "numfmt.comma_after_literal": ("890,1x,23.45.7", ("Excel-cached: a comma that follows literal text is a literal "
                                                     "comma; LibreOffice drops it")),
    "numfmt.percent_many": ("%89012345678%9%", ("Excel-cached: every percent sign multiplies by 100, wherever it "
                                               "stands; LibreOffice counts only one")),
    "numfmt.sci_lower_e": ("1.23e+04", ("Excel-cached: the exponent letter keeps the case written ('e+'); "
                                       "LibreOffice always writes 'E'")),
    "numfmt.general_third": ("0.333333333", _NUMFMT_GENERAL),
    "numfmt.general_negative_third": ("-0.333333333", _NUMFMT_GENERAL),
    "numfmt.general_ten_digits": ("1.234567891", _NUMFMT_GENERAL),
    "numfmt.general_eleven_digits": ("12345678901", _NUMFMT_GENERAL),
    "numfmt.general_1e11": ("1E+11", _NUMFMT_GENERAL),
    "numfmt.general_twelve_digits": ("1.23457E+11", _NUMFMT_GENERAL),
    "numfmt.general_small_positional": ("0.000123457", _NUMFMT_GENERAL),
    "numfmt.general_small_scientific": ("1.1E-10", _NUMFMT_GENERAL),
    "numfmt.general_2_5e9": ("2.5E-09", _NUMFMT_GENERAL),
    "numfmt.date_year_three": ("2024", ("Excel-cached: 'yyy' (three or more y) shows the four-digit year; LibreOffice "
                                       "shows 'yy' and a literal 'y'")),
    "numfmt.date_long_codes": ("Saturday/S/2012", ("Excel-cached: five d show the weekday, five m the month's "
                                                  "initial, five y the year; LibreOffice adds the day and a 'y'")),
    "numfmt.date_serial_zero": ("1900-01-00", _DATE_1900),
    "numfmt.date_serial_sixty": ("1900-02-29", _DATE_1900),
    "numfmt.date_past_last": (VALUE, "Excel-cached: TEXT of a date after 9999-12-31 is #VALUE!. " + _DATE_1900),
    "numfmt.date_negative": (VALUE, "Excel-cached: TEXT of a negative date is #VALUE!. " + _DATE_1900),
    "numfmt.time_ap_upper": ("2:35 P", ("Excel shows A/P in the case written (Excel 365 displays 'A/P' as 'A'); "
                                       "LibreOffice lowercases it")),
    "numfmt.time_rounds_to_second": ("01:00", ("Excel rounds a time to the seconds it shows; LibreOffice truncates "
                                              "(00:59)")),
    "numfmt.elapsed_negative_with_minutes": (VALUE, ("Excel-cached: in the 1900 date system only a lone elapsed code "
                                                    "([h]) shows a negative value; '[h]:m' of -1 is #VALUE!")),
    "numfmt.elapsed_past_last_date": ("71003160", ("Excel-cached: elapsed time may pass 9999-12-31; LibreOffice "
                                                  "shows #FMT")),
    "numfmt.lang_german_short": ("Mo Mrz", _NUMFMT_NAMES),
    "numfmt.lang_chinese_short": ("9月 周三", _NUMFMT_NAMES),
    "numfmt.lang_japanese": ("9月 水曜日", _NUMFMT_NAMES),
    "numfmt.lang_korean": ("9월 수요일", _NUMFMT_NAMES),
    "numfmt.reject_year_in_number": (VALUE, ("Excel-cached: a date code among digit placeholders is a code Excel "
                                            "rejects, #VALUE!; LibreOffice shows it as text")),
    "numfmt.reject_at_with_digits": (VALUE, ("Excel-cached: @ with digit placeholders is a code Excel rejects, #VALUE!; "
                                            "LibreOffice ignores the format")),
    "numfmt.reject_at_not_last": (VALUE, ("Excel-cached: @ outside the last section is a code Excel rejects, #VALUE!; "
                                         "LibreOffice ignores the format")),
    "numfmt.reject_five_sections": (VALUE, ("Excel's format codes have at most four sections (Microsoft's 'Review "
                                           "guidelines for customizing a number format'); a fifth makes the code "
                                           "invalid, #VALUE! in TEXT; LibreOffice ignores the format")),
    "numfmt.reject_unclosed_quote": (VALUE, ("Excel refuses a code with an unclosed quote (the Format Cells dialog "
                                            "rejects it), so TEXT is #VALUE!; LibreOffice prints the quote")),
    # --- date, financial, statistical and database functions ---------------------------------------------------
    "weeknum.dec31_53": (53, _WEEKNUM),
    "weeknum.dec31_54": (54, _WEEKNUM),
    "weeknum.serial": (53, _WEEKNUM),
    "weeknum.bad_type": (NUM, _ERR502_NUM),
    "yearfrac.basis_bad": (NUM, _ERR502_NUM),
    "yearfrac.basis_negative": (NUM, _ERR502_NUM),
    "yearfrac.negative_date": (NUM, _DATE_1900),
    "networkdaysintl.doc_code7_holidays": (22, _HOLIDAY_TEXT),
    "networkdaysintl.bad_code": (NUM, _ERR502_NUM),
    "workdayintl.doc_code0": (NUM, _WEEKEND_CODE),
    "datetext.datevalue_slashes_iso": (45322, _DATEVALUE),
    "datetext.datevalue_day_month_name": (45322, _DATEVALUE),
    "finloan.ipmt_per_zero": (NUM, _ERR502_NUM),
    "finloan.ipmt_per_too_big": (NUM, _ERR502_NUM),
    "finloan.cumipmt_bad_type": (NUM, _ERR502_NUM),
    "finloan.cumipmt_start_after_end": (NUM, _ERR502_NUM),
    "finloan.cumipmt_negative_pv": (NUM, _ERR502_NUM),
    "finloan.cumprinc_zero_rate": (NUM, _ERR502_NUM),
    "finloan.ispmt_zero_nper": (DIV0, _ISPMT_DIV0),
    "finrate.effect_bad_rate": (NUM, _DOC_NUM),
    "finrate.effect_bad_periods": (NUM, _ERR502_NUM),
    "finrate.nominal_bad": (NUM, _ERR502_NUM),
    "finrate.rri_zero_nper": (NUM, _ERR502_NUM),
    "finrate.pduration_bad": (NUM, _ERR502_NUM),
    "finrate.pduration_negative_pv": (NUM, _ERR502_NUM),
    "finrate.fvschedule_text": (VALUE, _FVSCHEDULE_TEXT),
    "finrate.dollarde_zero": (DIV0, _DOLLARDE_DIV0),
    "finrate.dollarde_negative_fraction": (NUM, _ERR502_NUM),
    "fincash.mirr_no_negative": (DIV0, _MIRR_DIV0),
    "fincash.xnpv_size_mismatch": (NUM, _ERR502_NUM),
    "fincash.xnpv_date_before_first": (NUM, _DOC_NUM),
    "fincash.xirr_no_sign_change": (NUM, _ERR502_NUM),
    "fincash.xirr_doc": (0.3733625322580337, _XIRR_SEARCH),
    "fincash.xirr_guess": (0.3733625300228596, _XIRR_SEARCH),
    "fincash.xirr_unsorted": (0.14464314430952074, _XIRR_SEARCH),
    "fincash.xirr_guess_above_root": (0.3733625300228596, _XIRR_SEARCH),
    "depr.db_bad_month": (NUM, _ERR502_NUM),
    "depr.ddb_period_too_big": (NUM, _ERR502_NUM),
    "depr.vdb_start_after_end": (NUM, _ERR502_NUM),
    "depr.amordegrc_bad_life": (NUM, _AMORDEGRC_LIFE),
    "coupon.bad_frequency": (NUM, _ERR502_NUM),
    "coupon.bad_basis": (NUM, _ERR502_NUM),
    "coupon.settlement_after_maturity": (NUM, _ERR502_NUM),
    "bond.accrint_doc_method": (15.555555555555555, _ACCRINT_METHOD),
    "bond.accrint_doc_true": (15.555555555555555, _ACCRINT_METHOD),
    "bond.accrint_basis1": (16.57608695652174, _ACCRINT),
    "bond.accrint_quarterly": (16.944444444444446, _ACCRINT),
    "bond.accrint_bad_rate": (NUM, _ERR502_NUM),
    "bond.accrint_settle_before_issue": (NUM, _ERR502_NUM),
    "bond.accrintm_basis1": (120.38303693570451, _EXCEL_VERIFIED),
    "bond.accrintm_bad_par": (NUM, _ERR502_NUM),
    "bond.price_annual_basis3": (94.67277235835417, _EXCEL_VERIFIED),
    "bond.price_last_period": (99.71007178933158, _EXCEL_VERIFIED),
    "bond.price_negative_yield": (NUM, _ERR502_NUM),
    "bond.yield_last_period": (0.07076673057828843, _YIELD_LAST),
    "bond.yield_bad_price": (NUM, _ERR502_NUM),
    "bond.duration_doc": (10.919145281591923, _DURATION_DOC),
    "bond.mduration_doc": (5.735669813918835, _DURATION_DOC),
    "bond.duration_negative_coupon": (NUM, _ERR502_NUM),
    "oddbond.oddfprice_doc": (113.59771747407883, _ODDF),
    "oddbond.oddfprice_short_basis0": (113.59920582823823, _ODDF),
    "oddbond.oddfprice_long": (113.48894083961049, _ODDF),
    "oddbond.oddfprice_long_annual": (113.24601518091507, _ODDF),
    "oddbond.oddfyield_doc": (0.07724554159781746, _ODDF),
    "oddbond.oddfprice_bad_dates": (NUM, _ERR502_NUM),
    "oddbond.oddlprice_basis1": (99.87916768152911, _EXCEL_VERIFIED),
    "oddbond.oddlprice_long": (99.55373797741314, _EXCEL_VERIFIED),
    "oddbond.oddlprice_bad_order": (NUM, _ERR502_NUM),
    "discsec.disc_bad_price": (NUM, _ERR502_NUM),
    "discsec.intrate_basis1": (0.07584727472527474, _EXCEL_VERIFIED),
    "discsec.received_basis4": (1017056.891619875, _EXCEL_VERIFIED),
    "discsec.pricedisc_basis1": (94.55608755129958, _EXCEL_VERIFIED),
    "discsec.pricemat_basis1": (99.98459776456947, _EXCEL_VERIFIED),
    "discsec.yieldmat_bad_order": (NUM, _ERR502_NUM),
    "discsec.tbillprice_year": (94.93055555555556, _EXCEL_VERIFIED),
    "discsec.tbillprice_too_long": (NUM, _DOC_NUM),
    "discsec.tbilleq_long": (0.0980248327880431, _EXCEL_VERIFIED),
    "discsec.tbilleq_bad_discount": (NUM, _ERR502_NUM),
    "astats.averagea_direct": (1.6666666666666667, _DIRECT_TEXT_A),
    "astats.maxa_direct_text": (5, _DIRECT_TEXT_A),
    "orderstat.percentile_inc_bad_k": (NUM, _ERR502_NUM),
    "orderstat.percentile_inc_empty": (NUM, _EMPTY_NUM),
    "orderstat.percentile_exc_out_of_range": (NUM, _ERR502_NUM),
    "orderstat.percentile_exc_zero": (NUM, _ERR502_NUM),
    "orderstat.quartile_inc_bad": (NUM, _ERR502_NUM),
    "orderstat.quartile_exc_bad": (NUM, _ERR502_NUM),
    "orderstat.percentrank_inc_digits": (0.66, _PERCENTRANK_TRUNCATES),
    "orderstat.percentrank_outside": (NA, _DOC_NA),
    "orderstat.percentrank_exc_digits": (0.3, _PERCENTRANK_TRUNCATES),
    "orderstat.percentrank_bad_digits": (NUM, _ERR502_NUM),
    "orderstat.rank_avg_missing": (NA, _DOC_NA),
    "orderstat.mode_mult_none": (NA, _DOC_NA),
    "orderstat.trimmean_bad": (NUM, _ERR502_NUM),
    "spread.geomean_zero": (NUM, _DOC_NUM),
    "spread.harmean_negative": (NUM, _ERR502_NUM),
    "spread.skew_no_spread": (DIV0, _DOC_DIV0),
    "spread.standardize_bad_sd": (NUM, _DOC_NUM),
    "regress.correl_size_mismatch": (NA, _DOC_NA),
    "regress.steyx_two_points": (DIV0, _DOC_DIV0),
    "regress.covariance_s_one": (DIV0, _DOC_DIV0),
    "regress.logest_negative": (NUM, _ERR502_NUM),
    "normal.norm_dist_bad_sd": (NUM, _ERR502_NUM),
    "normal.norm_inv_bad_p": (NUM, _ERR502_NUM),
    "normal.norm_s_inv_bad": (NUM, _DOC_NUM),
    "normal.lognorm_dist_bad_x": (NUM, _DOC_NUM),
    "normal.lognorm_inv_bad": (NUM, _ERR502_NUM),
    "gammafam.gamma_zero": (NUM, _ERR502_NUM),
    "gammafam.gamma_negative_integer": (NUM, _ERR502_NUM),
    "gammafam.gammaln_bad": (NUM, _ERR502_NUM),
    "gammafam.gamma_dist_bad": (NUM, _ERR502_NUM),
    "gammafam.gamma_inv_bad": (NUM, _ERR502_NUM),
    "gammafam.expon_dist_bad_lambda": (NUM, _ERR502_NUM),
    "gammafam.weibull_bad": (NUM, _ERR502_NUM),
    "gammafam.fisher_bad": (NUM, _ERR502_NUM),
    "chisq.dist_bad_x": (NUM, _ERR502_NUM),
    "chisq.dist_bad_df": (NUM, _ERR502_NUM),
    "chisq.inv_bad": (NUM, _ERR502_NUM),
    "chisq.inv_rt_bad": (NUM, _ERR502_NUM),
    "betadist.dist_outside": (NUM, _ERR502_NUM),
    "betadist.dist_bad_shape": (NUM, _ERR502_NUM),
    "betadist.inv_bad_p": (NUM, _ERR502_NUM),
    "tdist.dist_bad_df": (NUM, _ERR502_NUM),
    "tdist.dist_2t_negative": (NUM, _ERR502_NUM),
    "tdist.tdist_bad_tails": (NUM, _ERR502_NUM),
    "tdist.tdist_negative": (NUM, _ERR502_NUM),
    "tdist.inv_extreme": (-131.5947369406236, _T_INV_TAIL),
    "tdist.inv_bad": (NUM, _ERR502_NUM),
    "tdist.inv_2t_bad": (NUM, _ERR502_NUM),
    "fdist.dist_bad_x": (NUM, _ERR502_NUM),
    "fdist.dist_bad_df": (NUM, _ERR502_NUM),
    "fdist.inv_bad": (NUM, _ERR502_NUM),
    "discrete.binom_bad_k": (NUM, _ERR502_NUM),
    "discrete.binom_bad_p": (NUM, _ERR502_NUM),
    "discrete.binom_range_doc": (0.08397496742904742, _BINOM_RANGE),
    "discrete.binom_range_doc2": (0.5236297934718873, _BINOM_RANGE),
    "discrete.binom_range_bad": (NUM, _BINOM_RANGE),
    "discrete.binom_inv_bad": (NUM, _ERR502_NUM),
    "discrete.poisson_bad": (NUM, _ERR502_NUM),
    "discrete.hypgeom_bad": (NUM, _ERR502_NUM),
    "discrete.negbinom_bad": (NUM, _ERR502_NUM),
    "discrete.prob_bad_sum": (NUM, _DOC_NUM),
    "htest.ttest_bad_tails": (NUM, _ERR502_NUM),
    "htest.ttest_bad_type": (NUM, _ERR502_NUM),
    "htest.ttest_paired_size_mismatch": (NA, _DOC_NA),
    "htest.ftest_too_few": (DIV0, _DOC_DIV0),
    "htest.chisq_test_shape_mismatch": (NA, _DOC_NA),
    "htest.confidence_norm_bad": (NUM, _ERR502_NUM),
    "dbfn.dget_several": (NUM, _DOC_NUM),
    "critfix.ne_number_counts_numeric_text": (6, _CORPUS_CRITERIA),
    "critfix.eq_number_matches_numeric_text": (2, _CORPUS_CRITERIA),
    "critfix.error_criterion": (2, _CORPUS_CRITERIA),
    "critfix.error_criterion_cell": (1, _CORPUS_CRITERIA),
    "critfix.countifs_error_criterion": (1, _CORPUS_CRITERIA),
    "critfix.averageif_error_criterion": (4, _CORPUS_CRITERIA),
    "atpdates.edate_logical_start": (VALUE, _ATP_LOGICALS),
    "atpdates.edate_logical_months": (VALUE, _ATP_LOGICALS),
    "atpdates.eomonth_logical": (VALUE, _ATP_LOGICALS),
    "atpdates.weeknum_logical": (VALUE, _ATP_LOGICALS),
    "atpdates.yearfrac_logical_basis": (VALUE, _ATP_LOGICALS),
    "atpdates.yearfrac_error_of_last_argument": (NA, _YEARFRAC_ERRORS),
    "fincash.xnpv_zero_rate": (NUM, _XNPV_RATE),
    "depr.vdb_fraction": (2784.0, _VDB_FRACTIONAL_START),
    "measured.criteria_lone_operator": (0, _MEASURED_LONE_OPERATOR),
    "measured.db_fractional_period": (0.48879979875, _MEASURED_DB_PERIOD),
    "measured.vdb_fractional_start_straight_line": (0.06872629045468406, _VDB_FRACTIONAL_START),
    "measured.vdb_fractional_start_declining": (0.07074765193864536, _VDB_FRACTIONAL_START),
    "measured.vdb_fractional_start_end_of_life": (0.03436314522734203, _VDB_FRACTIONAL_START),
    "measured.binom_inv_alpha_zero": (NUM, _MEASURED_DEGENERATE),
    "measured.binom_inv_alpha_one": (NUM, _MEASURED_DEGENERATE),
    "measured.binom_inv_probability_one": (NUM, _MEASURED_DEGENERATE),
    "measured.negbinom_probability_zero": (NUM, _MEASURED_DEGENERATE),
    "measured.negbinom_probability_one": (NUM, _MEASURED_DEGENERATE),
    "measured.accrint_after_first_interest": (93.23770491803279, _MEASURED_ACCRINT),
    "measured.accrint_after_first_interest_basis2": (9.416666666666666, _MEASURED_ACCRINT),
    "measured.accrint_on_coupon_date": (125.513698630137, _MEASURED_ACCRINT),
    "measured.xnpv_negative_rate": (NUM, _XNPV_RATE),
    "measured.mirr_only_outflows": (-1.0, _MEASURED_MIRR),
    "measured.database_logical_label": (2.0, _MEASURED_DB_LABEL),
    "measured.database_without_records": (VALUE, _MEASURED_DB_EMPTY),
}

# LibreOffice matches Excel here and IronCalc 0.9 does not.
_IC_NUM_TEXT = "Excel converts numbers to text with up to 15 significant digits; IronCalc uses the shortest repr"

_IC_REF_END = (
    "A range whose end is a function returning a reference (A1:INDEX(...), A1:A2:A4) spans both; IronCalc gives "
    "#VALUE! (it does not take references from functions as range ends)"
)
_IC_UNION = "The union operator (A1:A2,A4:A5) lists areas; IronCalc does not parse it (#ERROR!)"
_IC_NAME = "IronCalc's .xlsx import does not resolve this defined name (#NAME?); Excel and LibreOffice do"
_IC_TABLE = "IronCalc does not resolve this structured reference; Excel and LibreOffice do"
_IC_SECTIONS = (
    "Format sections as Excel reads them: an empty section hides the value, '@' or a fourth section formats text, "
    "conditions choose the section, a third section holding '@' is the text section; IronCalc 0.9 misreads them"
)
_IC_ROUNDING = "Number formats round half away from zero on 15 significant digits; IronCalc rounds the binary double"
_IC_ENGINEERING = "'##0.0E+0' keeps exponents multiples of three (12.3E+3); IronCalc ignores the grouping"
_IC_FRACTIONS = "Fraction formats (# ?/?, ?/4) show the closest fraction; IronCalc 0.9 does not render them"
_IC_TIME_CODES = "IronCalc 0.9 rejects this time code (a/p, m before ss, fractions of a second)"
_IC_TIME_TEXT = (
    "Excel-cached: TEXT converts time text whose last field overflows ('0:0:9999', '23:59.012345') to a number; "
    "IronCalc returns the text"
)
_IC_LOCALE = "IronCalc 0.9 rejects language codes ([$-407], [$-F800], [$-D07041E]) and [DBNum1]"

LO_IRONCALC_DISAGREEMENTS: dict[str, str] = {
    "op.concat_third": _IC_NUM_TEXT,
    "op.concat_float_noise": _IC_NUM_TEXT,
    "len.third": _IC_NUM_TEXT,
    "isect.explicit_operator": "The space operator intersects A1:A5 and A3:C3 in A3; IronCalc does not parse it",
    "isect.explicit_single": (
        "@ of B2:C3 (a range sharing no row/column with Z1) is #VALUE!; IronCalc does not parse the space operator"
    ),
    "countif.ne_text": "\"<>apple\" counts every cell that is not 'apple', numbers included (5); IronCalc counts 1",
    "countifs.size_mismatch": "Excel: criteria ranges of different sizes are #VALUE!; IronCalc evaluates them",
    "sumifs.size_mismatch": "Excel: criteria ranges of a different size from sum_range are #VALUE!",
    "averageifs.size_mismatch": "Excel: criteria ranges of a different size from average_range are #VALUE!",
    "sumif.short_sum_range": "Excel resizes sum_range to the shape of range (B1 becomes B1:B6); IronCalc #VALUE!",
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
    "getpivotdata.not_a_pivot": (
        "GETPIVOTDATA of a cell outside every pivot table is #REF! in Excel; IronCalc 0.9 has no GETPIVOTDATA (#NAME?)"
    ),
    # --- number formats (TEXT) ---------------------------------------------------------------------------------
    "numfmt.zero_empty_section": _IC_SECTIONS,
    "numfmt.hide_text": _IC_SECTIONS,
    "numfmt.empty_code_positive": _IC_SECTIONS,
    "numfmt.third_section_text": _IC_SECTIONS,
    "numfmt.third_section_zero": _IC_SECTIONS,
    "numfmt.text_section": _IC_SECTIONS,
    "numfmt.text_twice": _IC_SECTIONS,
    "numfmt.text_literal_section": _IC_SECTIONS,
    "numfmt.number_with_at_only": "A number with the text format '@' shows in General (1.5); IronCalc rounds it",
    "numfmt.condition_false": _IC_SECTIONS,
    "numfmt.two_conditions_mid": _IC_SECTIONS,
    "numfmt.two_conditions_else": _IC_SECTIONS,
    "numfmt.condition_spaces": _IC_SECTIONS,
    "numfmt.general_in_section": _IC_SECTIONS,
    "numfmt.fill": "'*x' fills the cell's width, which TEXT does not have: nothing shows; IronCalc writes a space",
    "numfmt.accounting_zero": "'* ' fills nothing in TEXT (' $-   '); IronCalc writes a space",
    "numfmt.currency_after": "[$€-40C] shows '€' where it stands, after the number; IronCalc moves it first",
    "numfmt.round_1005": _IC_ROUNDING,
    "numfmt.round_2675": _IC_ROUNDING,
    "numfmt.round_half_negative": _IC_ROUNDING,
    "numfmt.big_integer": "Excel shows 15 significant digits and zeros after them; IronCalc shows 17",
    "numfmt.leading_point": "With no integer placeholder the integer digits still show before the point; IronCalc "
                            "drops them",
    "numfmt.leading_point_small": "'.##' of 0.56 is '.56'; IronCalc rounds to one decimal",
    "numfmt.thousands_padded": "Thousands separators run through padding zeros ('0,005'); IronCalc drops them",
    "numfmt.question_grouping": "'?' pads and their separators are spaces ('    1,234,567'); IronCalc misplaces them",
    "numfmt.sci_engineering": _IC_ENGINEERING,
    "numfmt.sci_engineering_small": _IC_ENGINEERING,
    "numfmt.fraction_half": _IC_FRACTIONS,
    "numfmt.fraction_mixed": _IC_FRACTIONS,
    "numfmt.fraction_whole": _IC_FRACTIONS,
    "numfmt.fraction_zero": _IC_FRACTIONS,
    "numfmt.fraction_pi": _IC_FRACTIONS,
    "numfmt.fraction_three_digits": _IC_FRACTIONS,
    "numfmt.fraction_improper": _IC_FRACTIONS,
    "numfmt.fraction_fixed_quarters": _IC_FRACTIONS,
    "numfmt.fraction_fixed_hundredths": _IC_FRACTIONS,
    "numfmt.fraction_fixed_sixteenths": _IC_FRACTIONS,
    "numfmt.fraction_negative": _IC_FRACTIONS,
    "numfmt.general_1e9": "Excel-cached: General shows 1E-09 as 0.000000001 (it fits 11 characters); IronCalc "
                          "writes 1E-09",
    "numfmt.date_text_value": "TEXT converts date text to its serial before formatting ('Wednesday'); IronCalc "
                              "returns the text",
    "numfmt.time_ap_lower": _IC_TIME_CODES,
    "numfmt.minutes_before_seconds": _IC_TIME_CODES,
    "numfmt.time_hundredths": _IC_TIME_CODES,
    "numfmt.time_milliseconds": _IC_TIME_CODES,
    "numfmt.elapsed_fraction": _IC_TIME_CODES,
    "numfmt.time_carries_to_next_day": "Excel rounds a date-time to the precision shown, carrying into the next "
                                       "day; IronCalc truncates",
    "numfmt.time_text_overflow": _IC_TIME_TEXT,
    "numfmt.time_text_minutes_seconds": _IC_TIME_TEXT,
    "numfmt.lang_english": _IC_LOCALE,
    "numfmt.lang_german": _IC_LOCALE,
    "numfmt.lang_french": _IC_LOCALE,
    "numfmt.lang_french_short": _IC_LOCALE,
    "numfmt.lang_spanish": _IC_LOCALE,
    "numfmt.lang_italian": _IC_LOCALE,
    "numfmt.lang_portuguese": _IC_LOCALE,
    "numfmt.lang_dutch": _IC_LOCALE,
    "numfmt.lang_chinese": _IC_LOCALE,
    "numfmt.lang_chinese_ampm": _IC_LOCALE,
    "numfmt.system_long_date": _IC_LOCALE,
    "numfmt.system_time": _IC_LOCALE,
    "numfmt.dbnum_chinese": _IC_LOCALE,
    "numfmt.dbnum_financial": _IC_LOCALE,
    "numfmt.thai_digits": _IC_LOCALE,
    "numfmt.thai_buddhist_year": _IC_LOCALE,
    # --- date, financial, statistical and database functions ---------------------------------------------------
    "datetext.datevalue_month_name_first": _IC_DATE_TEXT,
    "datetext.datevalue_month_year": _IC_DATE_TEXT,
    "minmaxifs.maxifs_size_mismatch": "Excel: criteria ranges of a different size from max_range are #VALUE!; IronCalc evaluates them",
    "astats.mina_empty": "MINA over empty cells is 0, like MIN; IronCalc gives #VALUE!",
    "spread.avedev_empty": "AVEDEV without numbers is #NUM!, as in LibreOffice; IronCalc gives #DIV/0!",
    "regress.linest_slope": _IC_ARRAY_INDEX,
    "regress.linest_intercept": _IC_ARRAY_INDEX,
    "regress.linest_no_const": _IC_ARRAY_INDEX,
    "regress.logest_doc_m": _IC_ARRAY_INDEX,
    "regress.logest_doc_b": _IC_ARRAY_INDEX,
    "regress.trend_doc": _IC_ARRAY_INDEX,
    "regress.trend_no_const": _IC_ARRAY_INDEX,
    "regress.growth_doc": _IC_ARRAY_INDEX,
    "chisq.inv_rt_tiny": "CHISQ.DIST.RT(58.9197556832, 3) is 1E-12 to full precision; IronCalc's inverse stops early (58.91968779)",
    "dbfn.dget_none": "Excel: DGET without a matching record is #VALUE!; IronCalc gives #NUM!",
    "dbfn.dcount_no_field": "DCOUNT with the field omitted counts the matching records (3); IronCalc gives #VALUE!",
    "dbfn.dmax_no_match": _IC_DB_EMPTY,
    "dbfn.daverage_no_match": _IC_DB_EMPTY,
    "critfix.countifs_whole_columns": (
        "Whole columns include every empty cell below the data: 1,048,574 rows are empty in column B and not 'x' in "
        "column A (measured in Excel workbooks for COUNTIF); IronCalc counts 0"
    ),
    "atpdates.edate_serial_zero": "Serial 0 is 1900-01-00; a month later is 1900-01-31 (serial 31); IronCalc #NUM!",
    "atpdates.edate_serial_zero_same_month": "EDATE(0, 0) is serial 0 (1900-01-00), as Excel caches it; IronCalc #NUM!",
    "atpdates.yearfrac_1900_has_365_days": (
        "Excel's actual/actual YEARFRAC averages real year lengths (1900 has 365 days): 4.4965769, as cached in an Excel "
        "workbook; IronCalc rejects dates before 1900-03-01"
    ),
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


# =============================================================================================================
# Arrays: legacy array formulas, matrices, dynamic arrays and LAMBDA
# =============================================================================================================
def _lacks(function: str, page: str, computed: str) -> str:
    """Reason for a case LibreOffice 7.4 cannot evaluate: the function came with Excel's dynamic arrays."""
    return (
        f"LibreOffice 7.4 has no {function} (it gives #NAME?); Excel's documented behaviour ({page}), the value "
        f"computed by hand: {computed}"
    )


_SPILLS = (
    "Excel with dynamic arrays spills the array and the formula cell shows its first element; LibreOffice 7.4 has "
    "no dynamic arrays and implicitly intersects the range with the formula's row (#VALUE! outside it)"
)
_NO_SPILL_REFERENCE = "LibreOffice 7.4 has no spill reference A1# (_xlfn.ANCHORARRAY in files) and gives #NAME?"
_LAMBDA_CALL = "LibreOffice 7.4 cannot parse a call of a LAMBDA value, LAMBDA(...)(...) (Err:509, operator missing)"

KNOWN_DIFFERENCES.update({
    "arrayformula.compare_elementwise": (
        True,
        "Excel's comparison gives a logical in every element of an array; LibreOffice's array formula results "
        "lose the logical type (1). " + _BOOL,
    ),
    "matrix.minverse_singular": (
        NUM, "Microsoft's MINVERSE page: a matrix that cannot be inverted gives #NUM!; LibreOffice gives Err:502",
    ),
    "dynamic.range_spills_first_element": (4, _SPILLS + "; 1*4 is the first element"),
    "dynamic.lifted_function_first_element": (4, _SPILLS + "; ABS(1-5) is the first element"),
    "dynamic.spill_reference_sum": (6, _NO_SPILL_REFERENCE + "; D1 spills 1, 2, 3"),
    "dynamic.spill_reference_count": (6, _NO_SPILL_REFERENCE + "; D1 spills the six numbers of A1:B3"),
    "dynamic.anchorarray_computed_anchor": (
        6, _NO_SPILL_REFERENCE + "; OFFSET(C1,0,1) is D1, which spills 1, 2, 3 (IronCalc's spill_operator.xlsx "
        "caches Excel's value of SUM(ANCHORARRAY(OFFSET(A1,1,1))))",
    ),
    "dynamic.anchorarray_rows": (4, _NO_SPILL_REFERENCE + "; D1 spills four rows of two"),
    "dynamic.anchorarray_no_spill": (REF, _NO_SPILL_REFERENCE + "; D1 holds a value, so there is no spill to name"),
    "dynamic.anchorarray_of_a_range": (
        REF, _NO_SPILL_REFERENCE + "; an anchor is one cell, as in A1#, so a two-cell reference names no spill",
    ),
    "dynamic.implicit_intersection_of_spill": (
        2,
        _NO_SPILL_REFERENCE + "; D1# is a range, so @ takes its cell in the formula's row, D2 (Microsoft's "
        "implicit intersection page: a range gives the cell on the formula's row or column; IronCalc takes the "
        "first cell instead)",
    ),
    "dynamic.spill_blocked": (
        SPILL, "LibreOffice 7.4 has no SEQUENCE or spilling; in Excel a non-empty cell (D2) in the way is #SPILL!",
    ),
    "dynamic.filter": (30, _lacks("FILTER", "Microsoft's FILTER page", "30 is the first of 30, 40, 50")),
    "dynamic.filter_no_match": (CALC, _lacks("FILTER", "FILTER: an empty result is #CALC!", "no value > 99")),
    "dynamic.filter_if_empty": ("none", _lacks("FILTER", "FILTER's if_empty", "no value > 99")),
    "dynamic.filter_two_conditions": (
        140, _lacks("FILTER", "FILTER with OR criteria written as a sum", "10 + 30 (red) + 40 + 60 (brown)"),
    ),
    "dynamic.sort_descending": (50, _lacks("SORT", "SORT with sort_order -1", "the largest of 10..50")),
    "dynamic.sort_text": (
        "Apple pie", _lacks("SORT", "SORT", "text sorts without regard to case: apple, Apple pie, apricot, ..."),
    ),
    "dynamic.sort_by_second_column": (3, _lacks("SORT", "SORT by sort_index 2", "the row with the largest B, 6")),
    "dynamic.sortby": ("cc", _lacks("SORTBY", "SORTBY", "C by B descending: the row with B = 6")),
    "dynamic.unique_count": (3, _lacks("UNIQUE", "UNIQUE", "1, 2, 3 are distinct")),
    "dynamic.unique_exactly_once": (2, _lacks("UNIQUE", "UNIQUE with exactly_once", "only 2 occurs once")),
    "dynamic.unique_case_insensitive": (2, _lacks("UNIQUE", "UNIQUE compares text without regard to case", "a, b")),
    "dynamic.sequence_sum": (70, _lacks("SEQUENCE", "SEQUENCE", "10 + 15 + 20 + 25")),
    "dynamic.sequence_element": (7, _lacks("SEQUENCE", "SEQUENCE fills row by row", "row 2, column 3 of 1..12")),
    "dynamic.sequence_zero": (
        CALC,
        "LibreOffice 7.4 has no SEQUENCE (#NAME?); Microsoft's page does not say what 0 rows gives; Excel shows "
        "#CALC! (an empty array): IronCalc's SEQUENCE.xlsx test file records SEQUENCE(0,0) and SEQUENCE(0.3) as "
        "#VALUE! with a rich value of error type #CALC!, how files store the errors that came with dynamic arrays",
    ),
    "dynamic.randarray_fixed": (9, _lacks("RANDARRAY", "RANDARRAY", "nine whole numbers between 1 and 1")),
    "dynamic.take_last": (90, _lacks("TAKE", "Microsoft's TAKE page", "40 + 50")),
    "dynamic.take_zero": (CALC, _lacks("TAKE", "TAKE: 0 rows is #CALC!", "an empty array")),
    "dynamic.drop_first": (90, _lacks("DROP", "Microsoft's DROP page", "40 + 50 remain")),
    "dynamic.vstack_pads": (NA, _lacks("VSTACK", "VSTACK pads with #N/A", "row 2 has one value")),
    "dynamic.hstack": (4, _lacks("HSTACK", "HSTACK", "row 2, column 2")),
    "dynamic.choosecols_last": (15, _lacks("CHOOSECOLS", "CHOOSECOLS with a negative number", "4 + 5 + 6")),
    "dynamic.chooserows": (6, _lacks("CHOOSEROWS", "CHOOSEROWS", "row 3 first: B3")),
    "dynamic.chooserows_zero": (VALUE, _lacks("CHOOSEROWS", "CHOOSEROWS: 0 is #VALUE!", "row 0")),
    "dynamic.expand": (0, _lacks("EXPAND", "EXPAND with pad_with", "the added row holds the pad value 0")),
    "dynamic.expand_smaller": (VALUE, _lacks("EXPAND", "EXPAND cannot shrink: #VALUE!", "1 row < 2")),
    "dynamic.wraprows_pads": (NA, _lacks("WRAPROWS", "WRAPROWS pads with #N/A", "1..5 in rows of 2")),
    "dynamic.wrapcols": (5, _lacks("WRAPCOLS", "WRAPCOLS", "1..5 in columns of 2: 5 starts column 3")),
    "dynamic.wraprows_zero": (
        NUM, _lacks("WRAPROWS", "WRAPROWS: wrap_count below 1 is #NUM!", "IronCalc gives #VALUE! instead"),
    ),
    "dynamic.tocol": (21, _lacks("TOCOL", "TOCOL", "1 + ... + 6")),
    "dynamic.torow_by_column": (4, _lacks("TOROW", "TOROW scanning by column", "1, 2, 3, 4, ...")),
    "dynamic.textsplit": ("c", _lacks("TEXTSPLIT", "Microsoft's TEXTSPLIT page", "row 2 is c, d")),
    "dynamic.textsplit_pads": (NA, _lacks("TEXTSPLIT", "TEXTSPLIT pads with #N/A", "row 2 has one piece")),
    "dynamic.trimrange_rows": (3, _lacks("TRIMRANGE", "Microsoft's TRIMRANGE page", "B2:C4 is left of A1:D9")),
    "dynamic.trimrange_cols": (2, _lacks("TRIMRANGE", "Microsoft's TRIMRANGE page", "columns B and C are left")),
    "dynamic.trimrange_trailing_rows": (
        4, _lacks("TRIMRANGE", "trim_rows 2 trims trailing rows only", "rows 1 to 4 are left"),
    ),
    "dynamic.trimrange_whole_column": (6, _lacks("TRIMRANGE", "TRIMRANGE of a whole column", "A3:A5 sums to 6")),
    "dynamic.trimrange_empty": (
        REF, _lacks("TRIMRANGE", "Excel's cached value for an empty range in formulas' test.xlsx", "nothing left"),
    ),
    "dynamic.trimrange_mode_fraction": (
        VALUE, _lacks("TRIMRANGE", "Excel's cached value for TRIMRANGE(G135:H139,2.3,2) in test.xlsx", "2.3"),
    ),
    "lambda.let": (10, _lacks("LET", "Microsoft's LET page", "5 * 2")),
    "lambda.let_chain": (6, _lacks("LET", "LET", "2 * 3")),
    "lambda.let_range": (14, _lacks("LET", "LET", "1 + 4 + 9")),
    "lambda.lambda_call": (3, _LAMBDA_CALL + "; Microsoft's LAMBDA page: 2 + 1"),
    "lambda.lambda_in_let": (12, _lacks("LAMBDA", "a LAMBDA named by LET", "3 * 4")),
    "lambda.lambda_uncalled": (CALC, _lacks("LAMBDA", "a LAMBDA left uncalled in a cell is #CALC!", "no call")),
    "lambda.isomitted": ("missing", _LAMBDA_CALL + "; Microsoft's ISOMITTED page: b is omitted"),
    "lambda.map": (14, _lacks("MAP", "Microsoft's MAP page", "1 + 4 + 9")),
    "lambda.map_two_arrays": (18, _lacks("MAP", "MAP over two arrays", "3 * 6")),
    "lambda.reduce": (6, _lacks("REDUCE", "Microsoft's REDUCE page", "1 + 2 + 3")),
    "lambda.scan": (6, _lacks("SCAN", "Microsoft's SCAN page", "the running total 1, 3, 6")),
    "lambda.byrow": (15, _lacks("BYROW", "Microsoft's BYROW page", "4 + 5 + 6")),
    "lambda.bycol": (15, _lacks("BYCOL", "Microsoft's BYCOL page", "4 + 5 + 6")),
    "lambda.makearray": (9, _lacks("MAKEARRAY", "Microsoft's MAKEARRAY page", "1 + 2 + 2 + 4")),
    "lambda.map_wrong_arity": (VALUE, _lacks("MAP", "a LAMBDA with the wrong number of parameters", "#VALUE!")),
    "lambda.byrow_function_name": (9, _lacks("BYROW", "SUM standing for LAMBDA(r,SUM(r))", "3 + 6")),
    "lambda.reduce_function_name": (6, _lacks("REDUCE", "MAX(accumulator, value) at each step", "the largest, 6")),
    "lambda.map_function_name_wrong_arity": (
        VALUE, _lacks("MAP", "PERCENTOF takes two arguments, MAP passes one", "#VALUE!"),
    ),
    "groupby.groupby_first_key": (
        "East", _lacks("GROUPBY", "headers detected (text over a number) and not shown", "East sorts first"),
    ),
    "groupby.groupby_total": (45, _lacks("GROUPBY", "Microsoft's GROUPBY page: a Total row", "18 + 27")),
    "groupby.groupby_header_shown": ("Sales", _lacks("GROUPBY", "field_headers 3: yes and show", "the header")),
    "groupby.groupby_lambda": (13.5, _lacks("GROUPBY", "an explicit LAMBDA", "West: (20 + 7) / 2")),
    "groupby.groupby_sort_by_value_descending": (
        "West", _lacks("GROUPBY", "sort_order -2: the values column, descending", "West 27 before East 18"),
    ),
    "groupby.groupby_subtotal": (18, _lacks("GROUPBY", "total_depth 2: subtotals", "East: 5 + 13")),
    "groupby.groupby_grand_total_label": (
        "Grand Total", _lacks("GROUPBY", "with subtotals the last row is Grand Total", "4 groups, 2 subtotals"),
    ),
    "groupby.groupby_filter": (20, _lacks("GROUPBY", "filter_array", "West's Pens only")),
    "groupby.groupby_percentof": (0.4, _lacks("GROUPBY", "PERCENTOF of each group in all", "18 / 45")),
    "groupby.groupby_sort_past_the_columns": (
        VALUE, _lacks("GROUPBY", "a sort column past the last values column", "#VALUE!"),
    ),
    "groupby.pivotby_column_key": ("Ink", _lacks("PIVOTBY", "Microsoft's PIVOTBY page", "Ink sorts first")),
    "groupby.pivotby_cell": (13, _lacks("PIVOTBY", "Microsoft's PIVOTBY page", "East's Pens: 10 + 3")),
    "groupby.pivotby_grand_total": (45, _lacks("PIVOTBY", "row and column totals", "all sales")),
    "groupby.pivotby_percent_of_row": (
        7 / 27, _lacks("PIVOTBY", "PERCENTOF relative to the row totals (relative_to 1)", "West's Ink: 7 / 27"),
    ),
    "groupby.pivotby_depth_past_the_fields": (
        VALUE, _lacks("PIVOTBY", "subtotals need two row field columns", "#VALUE!"),
    ),
})

_IC_NO_LEGACY_ARRAYS = (
    "IronCalc has no legacy array formulas: the oracle script enters the formula as a dynamic-array formula, "
    "whose spill covers only the result's own shape; Excel fits the result to the array formula's range "
    "(a one-row or one-column result repeats, cells beyond it are #N/A)"
)
LO_IRONCALC_DISAGREEMENTS.update({
    "arrayformula.row_repeats_down": _IC_NO_LEGACY_ARRAYS,
    "arrayformula.beyond_the_result": _IC_NO_LEGACY_ARRAYS,
    "arrayformula.column_repeats_right": _IC_NO_LEGACY_ARRAYS,
    "arrayformula.column_beyond_the_result": _IC_NO_LEGACY_ARRAYS,
    "arrayformula.single_value_fills": _IC_NO_LEGACY_ARRAYS,
    "arrayformula.countif_array_criteria": (
        "COUNTIF with an array of criteria counts each one (1 and 3 once each); IronCalc gives 0"
    ),
})


# ===============================================================================================================
# The function library: math and trigonometry, engineering, text, information and logical functions
# ===============================================================================================================
_ANGLE = (
    "Excel refuses to reduce angles of magnitude 2^27 or more (SIN, COS, TAN and the reciprocal functions) and "
    "answers #NUM!; LibreOffice computes them"
)
_POLE = (
    "Excel documents COT(0) as #DIV/0!; CSC, COTH and CSCH at 0 are the same division by zero (IronCalc agrees). "
    "LibreOffice reports #NUM!"
)
_ATP_LOGICAL = (
    "Excel's Analysis ToolPak functions (base conversions, DELTA, GESTEP, ERF, BESSEL*) refuse a logical argument "
    "with #VALUE! (IronCalc agrees). " + _BOOL
)
_CONVERT_FACTOR = (
    "Excel converts with the units' exact definitions (a pound is 0.45359237 kg, an inch 0.0254 m, an "
    "atmosphere 101325 Pa; IronCalc agrees); LibreOffice's conversion table carries about 7 significant digits"
)
_CONVERT_NA = (
    "Excel documents an unknown unit, a prefix on a unit that takes none, and units of different categories as "
    "#N/A; LibreOffice gives Err:502 (#VALUE!)"
)
_DOLLAR = (
    "Excel documents DOLLAR with its currency format, negative amounts in parentheses: DOLLAR(-1234.567,-2) is "
    "\"($1,200)\"; LibreOffice uses its en-US currency format, \"-$1,200\""
)
_NUMBERVALUE = (
    "Excel documents NUMBERVALUE with the locale's separators when they are omitted (NUMBERVALUE(\"3.5%\") is "
    "0.035); LibreOffice 7.4 answers #VALUE! unless both separators are given"
)


_MEASURED = (
    "measured on workbooks Excel calculated (IronCalc's test suite); Excel's documentation says otherwise or "
    "nothing"
)
_BESSEL_IK = (
    "Excel computes BESSELI and BESSELK with the Abramowitz & Stegun polynomial approximations 9.8.1-9.8.8 "
    "(relative error about 1e-7; its results match them to the last digit, " + _MEASURED + "); LibreOffice sums "
    "the exact series for BESSELI and uses the polynomials with an exact I_0 inside BESSELK"
)

_BESSEL_JY = (
    "Excel computes BESSELJ and BESSELY with the Numerical Recipes routines bessj0/bessj1/bessy0/bessy1/bessj/bessy "
    "(rational approximations from Hart for x < 8, short Hankel polynomials for x >= 8, Miller's recurrence; two "
    "coefficients of J_0 and J_1 for x >= 8 differ from the book), accurate to about 1e-8 and at x >= 8 for J_1 only "
    "to about 1e-5: all 162 numeric BESSELJ/BESSELY cells of three workbooks Excel calculated agree with them within "
    "5e-16 (IronCalc's ENGINEERING/BESSEL.xlsx, e.g. BESSELJ(0,0) = 1.00000000283141, BESSELJ(1,0) = "
    "0.7651976837548592, BESSELY(1,0) = 0.08825697139770806; SheetJS formula_stress_test.xlsx; vinci1it2000 "
    "test.xlsx), and Excel documents BESSELJ(1.9,2) as 0.329925829 (exact 0.329925728); LibreOffice computes the "
    "exact functions"
)


def _lacks_function(name: str) -> str:
    return (
        f"LibreOffice 7.4 does not know {name} in an .xlsx file (it answers #NAME?); the value follows Excel's "
        "documentation"
    )


KNOWN_DIFFERENCES.update({
    "trig.sin_too_large": (NUM, _ANGLE),
    "trig.cos_too_large": (NUM, _ANGLE),
    "trig.tan_too_large": (NUM, _ANGLE),
    "trig.atan2_origin": (DIV0, "Excel documents ATAN2(0,0) as #DIV/0!; LibreOffice returns 0"),
    "trig.acosh_below_one": (NUM, _ERR502_NUM),
    "trig.atanh_one": (NUM, _ERR502_NUM),
    "trig.cot_zero": (DIV0, _POLE),
    "trig.cot_too_large": (NUM, _ANGLE),
    "trig.coth_zero": (DIV0, _POLE),
    "trig.csc_zero": (DIV0, _POLE),
    "trig.csch_zero": (DIV0, _POLE),
    "trig.acoth_inside": (NUM, _ERR502_NUM),
    "trig.acoth_one": (NUM, _ERR502_NUM),
    "intfn.fact_negative": (NUM, _ERR502_NUM),
    "intfn.fact_171": (NUM, "Excel: FACT of a number whose factorial overflows is #NUM!; LibreOffice says #VALUE!"),
    "intfn.factdouble_negative": (NUM, _ERR502_NUM),
    "intfn.factdouble_overflow": (NUM, _ERR502_NUM),
    "intfn.combin_too_many": (NUM, _ERR502_NUM),
    "intfn.combin_negative": (NUM, _ERR502_NUM),
    "intfn.combina_negative": (NUM, _ERR502_NUM),
    "intfn.combina_chosen_above": (21, "Excel computes COMBINA(3,5) = C(7,5) = 21 although its documentation asks "
                                   "for chosen <= number (" + _MEASURED + "); LibreOffice gives Err:502"),
    "intfn.combina_zero": (1, "Excel: COMBINA(0,0) is 1 (" + _MEASURED + "); LibreOffice returns 0"),
    "intfn.permut_too_many": (NUM, _ERR502_NUM),
    "intfn.permut_negative": (NUM, _ERR502_NUM),
    "intfn.permutationa_negative": (NUM, _ERR502_NUM),
    "intfn.gcd_negative": (NUM, _ERR502_NUM),
    "intfn.gcd_huge": (NUM, "Excel documents GCD and LCM arguments of 2^53 or more as #NUM!; LibreOffice computes"),
    "intfn.lcm_negative": (NUM, _ERR502_NUM),
    "intfn.multinomial_negative": (NUM, _ERR502_NUM),
    "rnd.mround_doc_signs": (NUM, "Excel documents MROUND(5,-2) as #NUM! (number and multiple of different signs); LibreOffice returns 6"),
    "rnd.quotient_zero": (DIV0, "Excel: QUOTIENT by 0 is #DIV/0!; LibreOffice gives Err:502 (#VALUE!)"),
    "rnd.floor_negative_zero_step": (DIV0, "Excel: FLOOR with significance 0 is #DIV/0! (see floor.zero_significance); LibreOffice gives Err:502"),
    "series.sqrtpi_negative": (NUM, _ERR502_NUM),
    "series.sumsq_range": (10, _BOOL),
    "series.sumsq_direct_text": (5, _DIRECT_TEXT + " (logicals typed directly count too, as in SUM)"),
    "series.sumx2my2_size": (NA, "Excel documents arrays with different numbers of values as #N/A; LibreOffice says #VALUE!"),
    "series.sumxmy2_shape": (13, "Excel pairs the values of two arrays with the same number of values in reading order, whatever their shapes (IronCalc agrees); LibreOffice requires equal shapes"),
    "series.percentof_doc": (0.4, _lacks_function("PERCENTOF")),
    "series.percentof_scalars": (0.25, _lacks_function("PERCENTOF")),
    "series.percentof_zero_total": (DIV0, _lacks_function("PERCENTOF")),
    "series.percentof_text_in_range": (0.25, _lacks_function("PERCENTOF")),
    "series.seriessum_text_coefficient": (VALUE, "Excel documents a non-numeric argument to SERIESSUM as #VALUE! (IronCalc agrees); LibreOffice skips the text coefficient"),
    "rand.randbetween_reversed": (NUM, _ERR502_NUM),
    "numeral.roman_false": ("MIM", "Excel documents form FALSE as Simplified (form 4); LibreOffice treats FALSE as 0, Classic"),
    "numeral.arabic_negative": (-2011, "Excel documents negative Roman numerals (\"-MMXI\" is -2011); LibreOffice rejects them"),
    "numeral.arabic_spaces": (14, "Excel ignores leading and trailing spaces in ARABIC's text; LibreOffice rejects them"),
    "numeral.base_negative": (NUM, _ERR502_NUM),
    "numeral.base_bad_radix": (NUM, _ERR502_NUM),
    "numeral.base_radix_37": (NUM, _ERR502_NUM),
    "numeral.base_too_big": (NUM, "Excel documents BASE's number as 0 <= number < 2^53, else #NUM!; LibreOffice converts it"),
    "numeral.base_length_too_big": (NUM, "Excel documents BASE's min_length as at most 255, else #NUM!; LibreOffice pads to any length"),
    "numeral.decimal_bad_digit": (NUM, _ERR502_NUM),
    "numeral.decimal_bad_radix": (NUM, _ERR502_NUM),
    "numeral.decimal_space": (NUM, "Excel: a character that is not a digit of the radix (here a space) is #NUM!; LibreOffice skips leading spaces"),
    "subtotal.nested_only": (0, "Excel leaves out every cell holding SUBTOTAL or AGGREGATE, also when it is the whole reference; LibreOffice counts a single nested SUBTOTAL"),
    "subtotal.aggregate_large_k_too_big": (NUM, "Excel: LARGE with k beyond the count is #NUM! (stats.large_too_big); LibreOffice says #VALUE!"),
    "subtotal.aggregate_quartile_exc_bad": (NUM, _ERR502_NUM),
    "subtotal.aggregate_percentile_inc_bad": (NUM, _ERR502_NUM),
    "baseconv.bin2dec_too_long": (NUM, _ERR502_NUM),
    "baseconv.bin2dec_bad_digit": (NUM, _ERR502_NUM),
    "baseconv.bin2dec_fraction": (NUM, _ERR502_NUM),
    "baseconv.bin2dec_bool": (VALUE, _ATP_LOGICAL),
    "baseconv.bin2hex_places_short": (NUM, _ERR502_NUM),
    "baseconv.bin2hex_places_zero": (NUM, _ERR502_NUM),
    "baseconv.bin2hex_places_eleven": (NUM, _ERR502_NUM),
    "baseconv.dec2bin_too_big": (NUM, _ERR502_NUM),
    "baseconv.dec2bin_too_small": (NUM, _ERR502_NUM),
    "baseconv.dec2bin_negative_places": (NUM, _ERR502_NUM),
    "baseconv.dec2hex_too_big": (NUM, _ERR502_NUM),
    "baseconv.dec2hex_places_short": (NUM, _ERR502_NUM),
    "baseconv.dec2oct_too_big": (NUM, _ERR502_NUM),
    "baseconv.hex2bin_below_min": (NUM, _ERR502_NUM),
    "baseconv.hex2bin_too_big": (NUM, _ERR502_NUM),
    "baseconv.hex2dec_bad": (NUM, _ERR502_NUM),
    "baseconv.hex2oct_below_min": (NUM, _ERR502_NUM),
    "baseconv.oct2bin_too_big": (NUM, _ERR502_NUM),
    "baseconv.oct2dec_bad_digit": (NUM, _ERR502_NUM),
    "bits.bitand_fraction": (NUM, "Excel documents non-integer BITAND arguments as #NUM!; LibreOffice truncates"),
    "bits.bitand_negative": (NUM, _ERR502_NUM),
    "bits.bitand_too_big": (NUM, _ERR502_NUM),
    "bits.bitlshift_overflow": (NUM, "Excel: a BITLSHIFT result of 2^48 or more is #NUM! (IronCalc agrees); LibreOffice returns it"),
    "bits.bitlshift_shift_too_big": (NUM, "Excel documents shift amounts beyond 53 as #NUM!; LibreOffice shifts"),
    "erf.delta_bool": (VALUE, _ATP_LOGICAL),
    "convert.doc_lbm_kg": (0.45359237, _CONVERT_FACTOR),
    "convert.doc_tsp_tbs": (NA, _CONVERT_NA),
    "convert.g_ozm": (3.5273961949580412, _CONVERT_FACTOR),
    "convert.sg_kg": (14.593902937206366, _CONVERT_FACTOR),
    "convert.grain_g": (1, _CONVERT_FACTOR),
    "convert.cwt_lbm": (100, _CONVERT_FACTOR),
    "convert.shweight_lbm": (100, _CONVERT_FACTOR),
    "convert.lcwt_lbm": (112, _CONVERT_FACTOR),
    "convert.stone_kg": (6.35029318, _CONVERT_FACTOR),
    "convert.ton_kg": (907.18474, _CONVERT_FACTOR),
    "convert.uk_ton_lbm": (2240, _CONVERT_FACTOR),
    "convert.ell_in": (45, _CONVERT_FACTOR),
    "convert.ly_km": (9460730472580.8, _CONVERT_FACTOR),
    "convert.parsec_ly": (3.261563776971214, _CONVERT_FACTOR),
    "convert.pica_points": (72, "Excel names the 1/72-inch pica point Picapt or Pica; LibreOffice 7.4 does not know Picapt"),
    "convert.atm_pa": (101325, _CONVERT_FACTOR),
    "convert.psi_kpa": (6.894757293168361, _CONVERT_FACTOR),
    "convert.torr_pa": (101325, _CONVERT_FACTOR),
    "convert.lbf_n": (4.4482216152605, _CONVERT_FACTOR),
    "convert.pond_n": (9.80665, _CONVERT_FACTOR),
    "convert.cal_j": (4.1868, _CONVERT_FACTOR),
    "convert.c_j": (4.184, _CONVERT_FACTOR),
    "convert.hph_j": (2684519.5376961725, _CONVERT_FACTOR),
    "convert.kwh_btu": (3412.141633127942, _CONVERT_FACTOR),
    "convert.flb_j": (1.3558179483314001, "Excel's foot-pound is the foot-pound-force, 1.3558179483314 J ("
                      + _MEASURED + ", IronCalc agrees); LibreOffice's flb is the foot-poundal, 0.04214 J"),
    "convert.atm_mmhg": (760.0021001785152, "Excel's mmHg is 133.322 Pa, so an atmosphere is 760.0021 mmHg ("
                         + _MEASURED + ", IronCalc agrees); LibreOffice uses 101325/760 Pa"),
    "convert.btu_j": (1055.05585262, _CONVERT_FACTOR),
    "convert.hp_w": (745.6998715822701, _CONVERT_FACTOR),
    "convert.ps_w": (735.49875, _CONVERT_FACTOR),
    "convert.kw_hp": (1.341022089595028, _CONVERT_FACTOR),
    "convert.bushel_l": (35.23907016688, _CONVERT_FACTOR),
    "convert.ly3_m3": (8.467866646237152e+47, _CONVERT_FACTOR),
    "convert.pica3_m3": (4.3903956618655683e-11, "Excel names the cubic pica point Picapt3 or Pica3; LibreOffice 7.4 does not know Picapt3"),
    "convert.grt_ft3": (100, _CONVERT_FACTOR),
    "convert.mton_ft3": (40, "Excel: a measurement ton is 40 cubic feet; LibreOffice inverts the factor (0.025)"),
    "convert.ly2_m2": (8.950542107481893e+31, _CONVERT_FACTOR),
    "convert.admkn_kn": (1.0006393088552914, "An admiralty knot is 6080 feet per hour, 1.00064 knots; LibreOffice treats it as a knot"),
    "convert.prefix_not_allowed": (NA, _CONVERT_NA),
    "convert.binary_prefix_not_allowed": (NA, _CONVERT_NA),
    "convert.unknown_unit": (NA, _CONVERT_NA),
    "convert.case_sensitive": (NA, _CONVERT_NA),
    "convert.different_categories": (NA, _CONVERT_NA),
    "convert.number_unit": (NA, _CONVERT_NA),
    "complex.complex_small": ("1E-20+3i", "Excel writes numbers in complex text with a capital E (1E-20); LibreOffice writes 1e-20"),
    "complex.imabs_bad": (NUM, _ERR502_NUM),
    "complex.imabs_space": (NUM, _ERR502_NUM),
    "complex.imabs_reversed": (NUM, _ERR502_NUM),
    "complex.imargument_zero": (DIV0, "Excel: the argument of 0 is #DIV/0!; LibreOffice gives Err:502 (#VALUE!)"),
    "complex.imsum_mixed_suffix": (VALUE, "Excel: mixing the suffixes i and j in one calculation is #VALUE! (IronCalc agrees); LibreOffice accepts it"),
    "complex.imdiv_zero": (NUM, _ERR502_NUM),
    "complex.impower_zero_negative": (NUM, _ERR502_NUM),
    "complex.imsqrt_negative": ("1.22464679914735E-16+2i", "Excel computes IMSQRT in polar form (cos(pi/2) is not "
                                "exactly 0) and writes a part in E notation when its positional form would be wider "
                                "than 21 characters (" + _MEASURED + "); LibreOffice returns \"2i\""),
    "bessel.besseli_zero_order": (3.2898391723912908, _BESSEL_IK),
    "bessel.besseli_high_order": (0.09120647727223455, _BESSEL_IK),
    "bessel.besseli_negative_x": (-0.21273995970273565, _BESSEL_IK),
    "bessel.besseli_large_x": (2.816429805453311e20, _BESSEL_IK),
    "bessel.besselk_zero_order": (0.9244190350213235, _BESSEL_IK),
    "bessel.besselj_doc": (0.3299258286697852, _BESSEL_JY),
    "bessel.besselj_zero_order": (0.7651976837548592, _BESSEL_JY),
    "bessel.besselj_high_order": (-0.2340616862675523, _BESSEL_JY),
    "bessel.besselj_large_x": (0.07845124624902855, _BESSEL_JY),
    "bessel.bessely_doc": (0.14591813750831284, _BESSEL_JY),
    "bessel.bessely_zero_order": (0.08825697139770806, _BESSEL_JY),
    "bessel.bessely_small_x": (-1.5342386613496624, _BESSEL_JY),
    "bessel.bessely_large_x": (-0.005793505920253247, _BESSEL_JY),
    "bessel.besselj_zero_x_zero_order": (1.00000000283141, _BESSEL_JY),
    "bessel.besselj_first_x_ten": (0.04347224965225415, _BESSEL_JY),
    "complex.imln_zero": (NUM, _ERR502_NUM),
    "complex.imcot_zero": (NUM, _ERR502_NUM),
    "complex.imcsc_zero": (NUM, _ERR502_NUM),
    "bessel.besseli_negative_order": (NUM, _ERR502_NUM),
    "bessel.besselk_zero_x": (NUM, _ERR502_NUM),
    "bessel.besselk_negative_x": (NUM, _ERR502_NUM),
    "bessel.bessely_zero_x": (NUM, _ERR502_NUM),
    "bessel.bessely_negative_order": (NUM, _ERR502_NUM),
    "chars.char_zero": (VALUE, "Excel documents CHAR's number as 1 to 255, so 0 is #VALUE!; LibreOffice returns the NUL character"),
    "chars.code_empty": (VALUE, "Excel: CODE of empty text is #VALUE!; LibreOffice returns 0"),
    "chars.code_bool": (84, _BOOL),
    "chars.code_blank": (VALUE, "Excel: CODE of an empty cell (empty text) is #VALUE!; LibreOffice returns 0"),
    "chars.unichar_zero": (VALUE, "Excel: UNICHAR(0) is #VALUE!; LibreOffice returns the NUL character"),
    "chars.dbcs_ascii": ("ＡＢＣ　１２３", _lacks_function("DBCS")),
    "chars.dbcs_katakana": ("カタカナ", _lacks_function("DBCS")),
    "chars.phonetic_text": ("東京", _lacks_function("PHONETIC")),
    "textnum.dollar_doc_negative": ("($1,200)", _DOLLAR),
    "textnum.dollar_doc_negative2": ("($0.1230)", _DOLLAR),
    "textnum.numbervalue_doc2": (0.035, _NUMBERVALUE),
    "textnum.numbervalue_empty": (0, "Excel documents NUMBERVALUE(\"\") as 0; LibreOffice says #VALUE!"),
    "textnum.numbervalue_groups": (1234567.5, _NUMBERVALUE),
    "textnum.numbervalue_negative": (-12.5, _NUMBERVALUE),
    "textnum.numbervalue_first_char": (1.5, "Excel documents that only the first character of a separator argument is used; LibreOffice rejects longer separators"),
    "textnum.numbervalue_exponent": (1500, _NUMBERVALUE),
    "textdelim.textbefore_doc": ("Little ", _lacks_function("TEXTBEFORE")),
    "textdelim.textbefore_doc2": ("", _lacks_function("TEXTBEFORE")),
    "textdelim.textbefore_instance": ("a-b", _lacks_function("TEXTBEFORE")),
    "textdelim.textbefore_from_end": ("a-b", _lacks_function("TEXTBEFORE")),
    "textdelim.textbefore_missing": (NA, _lacks_function("TEXTBEFORE")),
    "textdelim.textbefore_if_not_found": ("none", _lacks_function("TEXTBEFORE")),
    "textdelim.textbefore_case": ("aXb", _lacks_function("TEXTBEFORE")),
    "textdelim.textbefore_ignore_case": ("a", _lacks_function("TEXTBEFORE")),
    "textdelim.textbefore_match_end": ("abc", _lacks_function("TEXTBEFORE")),
    "textdelim.textbefore_zero_instance": (VALUE, _lacks_function("TEXTBEFORE")),
    "textdelim.textbefore_too_many": (VALUE, _lacks_function("TEXTBEFORE")),
    "textdelim.textbefore_delimiters": ("a", _lacks_function("TEXTBEFORE")),
    "textdelim.textafter_doc": (" Riding Hood", _lacks_function("TEXTAFTER")),
    "textdelim.textafter_doc2": ("Little Red Riding Hood", _lacks_function("TEXTAFTER")),
    "textdelim.textafter_from_end": ("c", _lacks_function("TEXTAFTER")),
    "textdelim.textafter_second": ("c", _lacks_function("TEXTAFTER")),
    "textdelim.textafter_missing": (NA, _lacks_function("TEXTAFTER")),
    "textdelim.textafter_match_end_negative": ("abc", _lacks_function("TEXTAFTER")),
    "textdelim.textafter_number": ("5", _lacks_function("TEXTAFTER")),
    "regex.test_doc": (True, _lacks_function("REGEXTEST")),
    "regex.test_no_match": (False, _lacks_function("REGEXTEST")),
    "regex.test_case": (False, _lacks_function("REGEXTEST")),
    "regex.test_ignore_case": (True, _lacks_function("REGEXTEST")),
    "regex.test_digits": (True, _lacks_function("REGEXTEST")),
    "regex.test_invalid": (VALUE, _lacks_function("REGEXTEST")),
    "regex.test_number": (True, _lacks_function("REGEXTEST")),
    "regex.extract_doc": ("Dylan", _lacks_function("REGEXEXTRACT")),
    "regex.extract_all": ("Dylan", _lacks_function("REGEXEXTRACT")),
    "regex.extract_groups": ("Sonia", _lacks_function("REGEXEXTRACT")),
    "regex.extract_none": (NA, _lacks_function("REGEXEXTRACT")),
    "regex.extract_named_group": ("42", _lacks_function("REGEXEXTRACT")),
    "regex.extract_bad_mode": (VALUE, _lacks_function("REGEXEXTRACT")),
    "regex.replace_doc": ("Brown, Sonia", _lacks_function("REGEXREPLACE")),
    "regex.replace_all": ("a#b#c#", _lacks_function("REGEXREPLACE")),
    "regex.replace_second": ("a1b#c333", _lacks_function("REGEXREPLACE")),
    "regex.replace_last": ("a1b22c#", _lacks_function("REGEXREPLACE")),
    "regex.replace_ignore_case": ("xxx", _lacks_function("REGEXREPLACE")),
    "regex.replace_dollar": ("$5", _lacks_function("REGEXREPLACE")),
    "regex.replace_no_match": ("abc", _lacks_function("REGEXREPLACE")),
    "valtext.valuetotext_text": ("abc", _lacks_function("VALUETOTEXT")),
    "valtext.valuetotext_strict": ("\"abc\"", _lacks_function("VALUETOTEXT")),
    "valtext.valuetotext_number": ("1.5", _lacks_function("VALUETOTEXT")),
    "valtext.valuetotext_bool": ("TRUE", _lacks_function("VALUETOTEXT")),
    "valtext.valuetotext_error": ("#DIV/0!", "VALUETOTEXT returns an error value as its text (Excel, IronCalc); LibreOffice 7.4 has no VALUETOTEXT and propagates the argument's error"),
    "valtext.valuetotext_bad_format": (VALUE, _lacks_function("VALUETOTEXT")),
    "valtext.arraytotext_concise": ("1, a, TRUE, 2.5", _lacks_function("ARRAYTOTEXT")),
    "valtext.arraytotext_strict": ("{1,\"a\";TRUE,2.5}", _lacks_function("ARRAYTOTEXT")),
    "valtext.arraytotext_range": ("1, x, FALSE, 3", _lacks_function("ARRAYTOTEXT")),
    "valtext.arraytotext_scalar": ("5", _lacks_function("ARRAYTOTEXT")),
    "info.type_bool": (4, _BOOL),
    "info.error_type_null": (1, "Excel documents ERROR.TYPE(#NULL!) as 1; LibreOffice does not map the #NULL! literal and gives #N/A"),
    "info.error_type_num": (6, "SQRT(-1) is #NUM! in Excel (sqrt.negative), whose ERROR.TYPE is 6; LibreOffice's Err:502 has no ERROR.TYPE number"),
    "info.sheet_unknown_name": (NA, "Excel documents SHEET of a name that is no sheet as #N/A; LibreOffice says #VALUE!"),
    "info.cell_format_general": ("G", "Excel documents CELL(\"format\") of a General cell as \"G\"; LibreOffice answers \"F0\""),
    "info.cell_width": (8, "Excel's default column width is 8.43 characters, so CELL(\"width\") is 8; LibreOffice's default column is 7 characters wide"),
    "info.cell_prefix_number": ("", "Excel: CELL(\"prefix\") of a number is \"\"; LibreOffice returns a NUL character"),
    "switch.text_vs_number": ("text", "SWITCH compares as = does: the text \"1\" is not the number 1 (IronCalc agrees); LibreOffice converts"),
    "switch.bool_vs_number": ("true", _BOOL),
    "switch.blank_vs_zero": ("zero", "SWITCH compares as = does, and an empty cell equals 0 (IronCalc agrees); LibreOffice does not match it"),

})

_CONVERT_MEASURED = "measured on a workbook Excel calculated that converts 150 unit names with every decimal prefix"
_DIRECT_TEXT_SKIPPED = (
    "Excel skips a direct text argument of AND/OR/XOR other than TRUE/FALSE, as it skips text in ranges "
    "(AND(TRUE,\"0\") is TRUE, AND(TRUE,\"x\",#REF!) is #REF!, measured on workbooks Excel calculated; IronCalc "
    "agrees; Excel 2003 answered #VALUE!); LibreOffice rejects it with #VALUE!"
)
_ATP_OMITTED = (
    "Excel's Analysis ToolPak functions answer an argument left empty in the formula with #N/A (MROUND(,2), GCD(,4), "
    + _MEASURED + "); LibreOffice reads it as 0 or as absent"
)
_ATP_LOGICAL_MEASURED = "Excel refuses logicals in Analysis ToolPak functions with #VALUE! (" + _MEASURED + "). " + _BOOL
_ECMA_CEILING = _lacks_function("ECMA.CEILING") + " (Excel 2007's CEILING: #NUM! when the signs differ, per MS-OI29500)"

KNOWN_DIFFERENCES.update({
    "intfn.lcm_blank_cell_skipped": (30, "Excel skips an empty cell given on its own to LCM/GCD (" + _MEASURED
                                     + ", IronCalc agrees); LibreOffice counts it as 0"),
    "intfn.lcm_blank_in_range": (0, "Excel counts an empty cell inside a range as 0 in LCM/GCD (" + _MEASURED
                                 + ", IronCalc agrees); LibreOffice skips it"),
    "intfn.gcd_only_blanks": (VALUE, "Excel: GCD/LCM with no number at all is #VALUE! (" + _MEASURED + "); LibreOffice 0"),
    "intfn.gcd_omitted": (NA, _ATP_OMITTED),
    "logic.and_bad_text": (True, _DIRECT_TEXT_SKIPPED),
    "logictext.and_numeric_text": (True, _DIRECT_TEXT_SKIPPED),
    "logictext.or_other_text": (False, _DIRECT_TEXT_SKIPPED),
    "convert.pc_parsec": (3.26156377694566, _CONVERT_FACTOR),
    "convert.pc_picocalorie": (4.184e-12, "Excel reads \"pc\" beside an energy unit as a picocalorie ("
                               + _CONVERT_MEASURED + "); LibreOffice reads only the parsec, another category: Err:502"),
    "convert.bool_number": (VALUE, "Excel refuses a logical in CONVERT, an Analysis ToolPak function, with #VALUE! "
                            "(CONVERT(TRUE,\"C\",\"F\") is #VALUE! in a workbook Excel calculated). " + _BOOL),
    "intfn.combina_from_nothing": (NUM, "Excel: COMBINA(0,5) is #NUM! (" + _MEASURED + "). " + _ERR502_NUM),
    "intfn.combina_chosen_far_above": (66, "Excel computes COMBINA(3,10) = 66 (" + _MEASURED + "); LibreOffice Err:502"),
    "rnd.ecma_ceiling_positive": (3, _ECMA_CEILING),
    "rnd.ecma_ceiling_negative": (-4, _ECMA_CEILING),
    "rnd.ecma_ceiling_signs_differ": (NUM, _ECMA_CEILING),
    "rnd.floor_date_text_spaces": (VALUE, "Excel does not read a date written with surrounding spaces as a number (\" "
                                   "2024-01-10 \" is #VALUE! in FLOOR, EXP, INT ..., " + _MEASURED + "); LibreOffice does"),
    "rnd.floor_text_error_order": (VALUE, "Excel converts arguments in order, so the first argument's #VALUE! wins over "
                                   "the second's #DIV/0! (" + _MEASURED + "); LibreOffice reports the error value first"),
    "rnd.mround_logical": (VALUE, _ATP_LOGICAL_MEASURED),
    "rnd.mround_omitted": (NA, _ATP_OMITTED),
    "rnd.quotient_logicals": (VALUE, _ATP_LOGICAL_MEASURED),
    "series.seriessum_zero_to_zero": (NUM, "Excel: SERIESSUM with 0^0 is #NUM! (" + _MEASURED + "). " + _ERR502_NUM),
    "series.seriessum_logical_x": (VALUE, _ATP_LOGICAL_MEASURED),
    "baseconv.bin2hex_negative_bad_places": (NUM, "Excel checks places even for a negative number, whose ten digits "
                                             "then ignore it (" + _MEASURED + "). " + _ERR502_NUM),
    "baseconv.dec2bin_blank_places": (NUM, "Excel reads an empty cell as places 0: #NUM! (" + _MEASURED + "). "
                                      + _ERR502_NUM),
    "baseconv.dec2bin_omitted_places": (NA, _ATP_OMITTED + ". Excel's answer for an empty optional argument is "
                                        "inferred from the required ones; IronCalc says #NUM!"),
    "convert.prefix_mph": (1788.16, "Excel accepts prefixes on mph (" + _CONVERT_MEASURED + ", IronCalc agrees); "
                           "LibreOffice does not"),
    "convert.prefix_uk_pt": (0.11365225, "Excel accepts prefixes on uk_pt (" + _CONVERT_MEASURED + ", IronCalc "
                             "agrees); LibreOffice does not"),
    "complex.complex_positional_small": ("0.0000000000000001+i", "Excel writes a complex part without an exponent "
                                         "while that takes at most 21 characters (" + _MEASURED + ", IronCalc "
                                         "agrees); LibreOffice writes 1e-16"),
    "textdelim.textafter_instance_rounds_down": (" b the c", _lacks_function("TEXTAFTER") + "; Excel rounds instance_num down "
                                                 "(-1.2 is -2), " + _MEASURED),
    "textdelim.textafter_long_delimiter": (NA, _lacks_function("TEXTAFTER")),
    "textdelim.textafter_long_delimiter_instance": (VALUE, _lacks_function("TEXTAFTER") + "; with instance_num given, a delimiter "
                                                    "longer than the text is #VALUE! in Excel, " + _MEASURED),
    "info.and_empty_text_skipped": (True, "Excel skips empty text typed as an AND/OR/XOR argument: AND(\"\",TRUE) is "
                                    "TRUE (" + _MEASURED + ", IronCalc agrees); LibreOffice says #VALUE!"),
    "info.sheet_of_number": (NA, "Excel: SHEET(0) is #N/A, as for a name that is no sheet (" + _MEASURED + "); "
                             "LibreOffice says #VALUE!"),
})

_IC_AGGREGATE = (
    "IronCalc 0.9 has no AGGREGATE (#NAME?), so it fails on AGGREGATE and on SUBTOTALs whose range holds an "
    "AGGREGATE cell"
)
_IC_BESSEL = (
    "IronCalc's Bessel approximations differ from the series (BESSELI) and Abramowitz & Stegun polynomial "
    "(BESSELK) values that LibreOffice and Excel share, from the eighth digit on"
)
_IC_BAHTTEXT = "IronCalc 0.9 has no BAHTTEXT (#NAME?)"
_IC_CELL = "IronCalc 0.9 answers this CELL info_type with #VALUE!"

_IC_SECOND_PREFIXES = (
    "Excel accepts prefixes on seconds (CONVERT(1,\"Ysec\",\"sec\") is 1E+24, " + _CONVERT_MEASURED + "); IronCalc "
    "does not"
)
LO_IRONCALC_DISAGREEMENTS.update({
    "rnd.quotient_noise": "QUOTIENT(0.3,0.1) is 3: Excel divides on 15 significant digits (2.9999999999999996 is 3); IronCalc truncates the binary quotient to 2",
    "series.sumsq_bad_text": "Non-numeric text typed directly is #VALUE!, as in SUM; IronCalc ignores it",
    "series.sumx2my2_ranges": "A pair with a text value is left out of SUMX2MY2; IronCalc counts the text as 0",
    "series.sumx2py2_blank": "A pair with an empty cell is left out of SUMX2PY2; IronCalc counts the empty cell as 0",
    "series.sumxmy2_scalars": "Two numbers are two one-value arrays: SUMXMY2(3,1) is 4; IronCalc says #VALUE!",
    "series.seriessum_zero_x": "SERIESSUM(0,1,1,{1,2}) is 0 (every power of 0 is 0); IronCalc says #NUM!",
    "matrix.mdeterm_blank": "Excel documents an empty cell in MDETERM's array as #VALUE!; IronCalc reads it as 0",
    "numeral.arabic_blank": "Excel documents ARABIC of empty text as 0; IronCalc says #VALUE!",
    "numeral.decimal_empty": "DECIMAL of empty text is 0; IronCalc says #VALUE!",
    "subtotal.sum_skips_nested": _IC_AGGREGATE,
    "subtotal.sum_hidden_variant": _IC_AGGREGATE,
    "subtotal.average": _IC_AGGREGATE,
    "subtotal.counta": _IC_AGGREGATE,
    "subtotal.max": _IC_AGGREGATE,
    "subtotal.min": _IC_AGGREGATE,
    "subtotal.product": _IC_AGGREGATE,
    "subtotal.error_propagates": _IC_AGGREGATE,
    "subtotal.aggregate_sum_ignore_nested": _IC_AGGREGATE,
    "subtotal.aggregate_sum_keep_nested": _IC_AGGREGATE,
    "subtotal.aggregate_sum_errors": _IC_AGGREGATE,
    "subtotal.aggregate_ignore_errors": _IC_AGGREGATE,
    "subtotal.aggregate_ignore_both": _IC_AGGREGATE,
    "subtotal.aggregate_average": _IC_AGGREGATE,
    "subtotal.aggregate_count": _IC_AGGREGATE,
    "subtotal.aggregate_counta": _IC_AGGREGATE,
    "subtotal.aggregate_max": _IC_AGGREGATE,
    "subtotal.aggregate_min": _IC_AGGREGATE,
    "subtotal.aggregate_product": _IC_AGGREGATE,
    "subtotal.aggregate_stdev_s": _IC_AGGREGATE,
    "subtotal.aggregate_stdev_p": _IC_AGGREGATE,
    "subtotal.aggregate_var_s": _IC_AGGREGATE,
    "subtotal.aggregate_var_p": _IC_AGGREGATE,
    "subtotal.aggregate_median": _IC_AGGREGATE,
    "subtotal.aggregate_mode": _IC_AGGREGATE,
    "subtotal.aggregate_large": _IC_AGGREGATE,
    "subtotal.aggregate_small": _IC_AGGREGATE,
    "subtotal.aggregate_percentile_inc": _IC_AGGREGATE,
    "subtotal.aggregate_quartile_inc": _IC_AGGREGATE,
    "subtotal.aggregate_percentile_exc": _IC_AGGREGATE,
    "subtotal.aggregate_quartile_exc": _IC_AGGREGATE,
    "subtotal.aggregate_large_error_kept": _IC_AGGREGATE,
    "subtotal.aggregate_array_expression": _IC_AGGREGATE,
    "subtotal.aggregate_bad_function": _IC_AGGREGATE,
    "subtotal.aggregate_bad_option": _IC_AGGREGATE,
    "subtotal.aggregate_several_refs": _IC_AGGREGATE,
    "baseconv.bin2dec_empty": "BIN2DEC of empty text is 0; IronCalc says #VALUE!",
    "convert.ms_s": _IC_SECOND_PREFIXES,
    "convert.prefix_femto": _IC_SECOND_PREFIXES,
    "convert.prefix_seconds": _IC_SECOND_PREFIXES,
    "convert.prefix_seconds_yotta": _IC_SECOND_PREFIXES,
    "convert.doc_f_c": "Excel documents CONVERT(68,\"F\",\"C\") as 20; IronCalc's 19.65 comes from an imprecise offset",
    "convert.rank_c": "491.67 Rankine is 0 Celsius; IronCalc's Rankine offset is imprecise",
    "complex.imsum_range": "IMSUM adds the complex numbers of a range cell by cell; IronCalc fails",
    "complex.imsum_real_and_j": "A real number carries no suffix, so it mixes with a j number; IronCalc says #VALUE!",
    "complex.imtan_doc": "Excel documents IMTAN(\"4+3i\") as 0.00490825806749606+1.00070953606723i; IronCalc differs in the last digit",
    "complex.imsec_doc": "Excel documents IMSEC(\"4+3i\") as -0.0652940278579471-0.0752249603027732i; IronCalc differs in the last digit",
    "complex.imcot_doc": "The 15-digit text of IMCOT(\"4+3i\") ends in 447 with Excel's one-division formula; IronCalc rounds differently",
    "chars.asc_katakana": "ASC turns full-width katakana into half-width forms; IronCalc leaves them",
    "chars.jis_ascii": "JIS (DBCS) makes Latin letters full-width; IronCalc 0.9 has no JIS",
    "textnum.dollar_too_many_places": "Excel limits DOLLAR's decimals to 127; IronCalc accepts 128",
    "textnum.fixed_negative_small": "-0.004 rounds to 0, written 0.00 without a sign; IronCalc writes -0.00",
    "textnum.fixed_too_many_places": "Excel limits FIXED's decimals to 127; IronCalc accepts 128",
    "textnum.numbervalue_spaces": "Excel documents that NUMBERVALUE ignores spaces, even inside the number; IronCalc says #VALUE!",
    "textnum.numbervalue_group_after_decimal": "Excel documents a group separator after the decimal separator as #VALUE!; IronCalc reads 1.2345",
    "textnum.bahttext_doc": _IC_BAHTTEXT,
    "textnum.bahttext_zero": _IC_BAHTTEXT,
    "textnum.bahttext_satang": _IC_BAHTTEXT,
    "textnum.bahttext_only_satang": _IC_BAHTTEXT,
    "textnum.bahttext_eleven": _IC_BAHTTEXT,
    "textnum.bahttext_hundred_one": _IC_BAHTTEXT,
    "textnum.bahttext_million": _IC_BAHTTEXT,
    "textnum.bahttext_negative": _IC_BAHTTEXT,
    "textnum.bahttext_large": _IC_BAHTTEXT,
    "textnum.bahttext_text": _IC_BAHTTEXT,
    "info.sheet_own_is_refs": "IronCalc 0.9 answers SHEET with a reference as #N/A",
    "info.sheet_ref_same_sheet": "IronCalc 0.9 answers SHEET with a reference as #N/A",
    "info.sheets_ref": "SHEETS of a one-sheet reference is 1; IronCalc 0.9 does not implement it",
    "info.cell_protect": _IC_CELL,
    "info.cell_parentheses": _IC_CELL,
    "info.cell_color": _IC_CELL,

})


# ===============================================================================================================
# The Analysis ToolPak functions refuse a multi-cell range where they take one value (sheet/functions/__init__.py)
# ===============================================================================================================
_TOOLPAK_RANGE = (
    "An Analysis ToolPak function given a range of several cells where it takes one value is #VALUE!, also in an "
    "array formula (Excel's cached results in the corpus file vinci1it2000/formulas test.xlsx; Microsoft's "
    "workaround is an array, EOMONTH(+A2:A9,0)); LibreOffice applies it to each cell"
)
KNOWN_DIFFERENCES.update({
    "toolpak.edate_range_in_array": (VALUE, _TOOLPAK_RANGE),
    "toolpak.quotient_range_in_array": (VALUE, _TOOLPAK_RANGE),
    "toolpak.imreal_range_in_array": (VALUE, _TOOLPAK_RANGE),
    "toolpak.weeknum_range_in_array": (VALUE, _TOOLPAK_RANGE),
    "toolpak.sum_of_eomonth_range": (VALUE, _TOOLPAK_RANGE),
})
LO_IRONCALC_DISAGREEMENTS.update({
    "toolpak.edate_array_in_array": _IC_NO_LEGACY_ARRAYS,
    "info.isformula_range_each_cell": (
        "ISFORMULA over a range answers per cell (two of the three cells hold formulas); IronCalc looks at the "
        "first cell only"
    ),
})
KNOWN_DIFFERENCES.update({
    "switch.blank_vs_empty_text": (
        "other",
        "SWITCH compares an empty cell as the number 0: it matches 0 but not \"\" or FALSE (Excel's cached results "
        "in pycel's logical.xlsx, rows 36-39); LibreOffice uses the = operator, where an empty cell also equals \"\"",
    ),
})


# ===============================================================================================================
# FORECAST.ETS and its family (sheet/functions/forecasting.py)
# ===============================================================================================================
_ETS_WORKBOOK = "Excel's cached results in the corpus file vinci1it2000/formulas test.xlsx (sheet STATISTICAL, rows 38-41)"
_ETS_FIT = (
    "Excel's optimiser and initial state for the AAA model are not published, and LibreOffice's (nested bisections "
    "over the parameters, its own initial state) finds another fit. The expected value is the engine's own textbook "
    "fit (described in forecasting.py), NOT a value Excel computed: it guards against regressions only"
)
_ETS_INTERVAL = (
    "The engine uses the AAA model's analytic prediction interval, z * RMSE * sqrt(1 + sum of c_j^2); LibreOffice's "
    "interval without seasonality puts the confidence level where its formula takes a smoothing constant, so it "
    "grows with the level. The expected value is the engine's own, NOT a value Excel computed"
)
_ETS_SIZES = "Microsoft's pages: timeline and values of different sizes are #N/A; LibreOffice gives Err:502 (#VALUE!)"
_ETS_STEP = (
    "Microsoft's pages: 'If a constant step can't be identified in the provided timeline', the result is #NUM!; "
    "LibreOffice gives #VALUE!"
)
_ETS_OPTION = (
    "An option outside its documented values is #NUM! in Excel (data_completion 2, 3 or -1 and statistic_type 0 "
    "are #NUM! in " + _ETS_WORKBOOK + "); LibreOffice gives Err:502 (#VALUE!)"
)
_IC_NO_ETS = "IronCalc 0.9 does not implement the FORECAST.ETS functions (#N/IMPL!)"
KNOWN_DIFFERENCES.update({
    "ets.season_ignored": (22.769496015963433, _ETS_FIT),
    "ets.noisy": (32.835757575757576, _ETS_FIT),
    "ets.gap_zero": (30.369696969696964, _ETS_FIT),
    "ets.duplicates_sum_pairs": (8.399999999999999, _ETS_FIT),
    "ets.stat_noisy_alpha": (0, _ETS_FIT),
    "ets.stat_noisy_beta": (0, _ETS_FIT),
    "ets.stat_noisy_mase": (0.22727501256913057, _ETS_FIT),
    "ets.stat_noisy_smape": (0.03695311123467412, _ETS_FIT),
    "ets.stat_noisy_mae": (0.45661616161616236, _ETS_FIT),
    "ets.stat_noisy_rmse": (0.5232210813503136, _ETS_FIT),
    "ets.confint_noisy": (1.0254944753987163, _ETS_INTERVAL),
    "ets.confint_noisy_far": (0.8606220933565343, _ETS_INTERVAL),
    "ets.aggregation_zero": (
        23, "Microsoft's FORECAST.ETS.STAT page: 'The default value of 0 will use AVERAGE'; LibreOffice accepts 1 to 7",
    ),
    "ets.excel_workbook_before_start": (
        0.7,
        "Excel computes targets before the end of the timeline despite its documentation: the series of "
        + _ETS_WORKBOOK + " starts at 1, and targets 0.1, 0.7 and 1 give 0.1, 0.7 and 1 (the values interpolated "
        "from 0 one step before the first point), 0 and -1 #NUM!; LibreOffice refuses targets before the start",
    ),
    "ets.size_mismatch": (NA, _ETS_SIZES),
    "ets.confint_size_mismatch": (NA, _ETS_SIZES),
    "ets.stat_size_mismatch": (NA, _ETS_SIZES),
    "ets.irregular_timeline": (NUM, _ETS_STEP),
    "ets.seasonality_irregular": (NUM, _ETS_STEP),
    "ets.too_many_missing": (
        NUM,
        "More missing points than the 30 % Microsoft says FORECAST.ETS supports: no constant step can be identified, "
        "which Microsoft documents as #NUM! (the exact code Excel gives here is not verified); LibreOffice #VALUE!",
    ),
    "ets.seasonality_too_large": (
        NUM,
        "Microsoft's pages: 'Any seasonality above that number [8,760] will result in the #NUM! error'; LibreOffice "
        "tries the cycle and fails with #VALUE!",
    ),
    "ets.completion_invalid": (NUM, _ETS_OPTION),
    "ets.seasonality_completion_invalid": (NUM, _ETS_OPTION),
    "ets.aggregation_invalid": (NUM, _ETS_OPTION + "; for aggregation this is inferred, not observed"),
    "ets.stat_type_zero": (NUM, _ETS_OPTION),
    "ets.stat_type_nine": (
        NUM,
        "Microsoft's pages: statistic_type is 1 to 8 (and 60, out of range, is #NUM! in " + _ETS_WORKBOOK + "); "
        "LibreOffice adds 9, the number of points per cycle",
    ),
    "ets.target_text": (
        VALUE, "Text that is not a number is #VALUE! as a numeric argument; LibreOffice gives #NUM!",
    ),
    "ets.confint_level_too_high": (
        NUM,
        "Microsoft's pages: confidence_level lies strictly between 0 and 1, else #NUM! (10, 100, -1 and TRUE are "
        "#NUM! in " + _ETS_WORKBOOK + "); LibreOffice gives Err:502 (#VALUE!)",
    ),
    "ets.confint_level_one": (
        NUM, "A confidence level of 1 is #NUM! (TRUE, i.e. 1, in " + _ETS_WORKBOOK + "); LibreOffice accepts it",
    ),
    "ets.confint_level_zero": (
        NUM, "Microsoft's pages: confidence_level lies strictly between 0 and 1; LibreOffice accepts 0 (an interval of 0)",
    ),
    "ets.seasonality_line": (
        0, "FORECAST.ETS.SEASONALITY is 0 when no cycle is found (as in " + _ETS_WORKBOOK + "); LibreOffice says 1",
    ),
    "ets.seasonality_short_cycle": (
        0,
        "Excel finds no seasonality in this series, two and a quarter cycles of four points (" + _ETS_WORKBOOK + "); "
        "LibreOffice's detection always picks a cycle (4)",
    ),
})
LO_IRONCALC_DISAGREEMENTS.update({
    "ets.line_next": _IC_NO_ETS,
    "ets.line_far": _IC_NO_ETS,
    "ets.line_between_steps": _IC_NO_ETS,
    "ets.line_unsorted_timeline": _IC_NO_ETS,
    "ets.line_inside_timeline": _IC_NO_ETS,
    "ets.line_before_start": _IC_NO_ETS,
    "ets.season_next": _IC_NO_ETS,
    "ets.season_far": _IC_NO_ETS,
    "ets.season_detected": _IC_NO_ETS,
    "ets.gap_average": _IC_NO_ETS,
    "ets.duplicates_average": _IC_NO_ETS,
    "ets.duplicates_median": _IC_NO_ETS,
    "ets.duplicates_count": _IC_NO_ETS,
    "ets.duplicates_counta": _IC_NO_ETS,
    "ets.duplicates_sum": _IC_NO_ETS,
    "ets.duplicates_max": _IC_NO_ETS,
    "ets.duplicates_min": _IC_NO_ETS,
    "ets.excel_workbook_next": _IC_NO_ETS,
    "ets.excel_workbook_far_max": _IC_NO_ETS,
    "ets.text_in_values": _IC_NO_ETS,
    "ets.error_in_values": _IC_NO_ETS,
    "ets.seasonality_negative": _IC_NO_ETS,
    "ets.confint_line": _IC_NO_ETS,
    "ets.confint_season_exact": _IC_NO_ETS,
    "ets.confint_before_end": _IC_NO_ETS,
    "ets.seasonality_detects_four": _IC_NO_ETS,
    "ets.stat_line_alpha": _IC_NO_ETS,
    "ets.stat_line_beta": _IC_NO_ETS,
    "ets.stat_line_gamma": _IC_NO_ETS,
    "ets.stat_line_mase": _IC_NO_ETS,
    "ets.stat_line_smape": _IC_NO_ETS,
    "ets.stat_line_mae": _IC_NO_ETS,
    "ets.stat_line_rmse": _IC_NO_ETS,
    "ets.stat_line_step": _IC_NO_ETS,
    "ets.stat_gap_step": _IC_NO_ETS,
    "ets.stat_step_half": _IC_NO_ETS,
    "ets.stat_season_alpha": _IC_NO_ETS,
    "ets.stat_season_rmse": _IC_NO_ETS,
})

# Excel's values read from the files it calculated (benchmarks/xlsx_corpus.py); IronCalc agrees with each of them.
KNOWN_DIFFERENCES.update({
    "sumif.error_criterion": (
        6,
        "an error criterion selects the cells holding that error, as COUNTIF's does: Excel's SUMIF(K73:L73,K73,"
        "M73:N73) with K73 #VALUE! adds M73 (the formulas library's test.xlsx caches its #DIV/0!); LibreOffice "
        "returns the criterion's error; IronCalc adds B1 and B3 too",
    ),
    "sumif.ifs_error_criterion": (
        5,
        "as SUMIF: Excel's SUMIFS(M74:N74,K74:L74,K74) selects the cell holding K74's error (test.xlsx); "
        "LibreOffice returns the criterion's error",
    ),
    "text.era_year": (
        "1977-07-07",
        "the format code e is the year of the era, the year in the Gregorian calendar: Excel's TEXT(date,\"ee-mm-dd\")"
        " in SheetJS's formula_stress_test.xlsx caches 1977-07-07; LibreOffice reads ee otherwise, IronCalc refuses",
    ),
    "depr.ddb_empty_factor": (
        NUM,
        "an empty cell as DDB's factor is 0, not the default 2, and a factor of 0 is #NUM!: Excel's cached "
        "DDB(A14,B14,C14,D14,F14) with F14 empty in IronCalc's DB_DDB.xlsx; LibreOffice gives #VALUE!",
    ),
    "betadist.inv_p_one": (
        NUM,
        "Excel computes #NUM! for a probability of exactly 1 (BETA.INV(1,2,2.5,0.234,1.2) and BETA.INV(1,1,1) in "
        "IronCalc's BETADIST_BETAINV.xlsx and BETA_GAMMA.xlsx), although Microsoft's page allows 1; LibreOffice "
        "returns the upper bound",
    ),
    "discrete.binom_range_empty_upper": (
        NUM,
        "an empty cell as BINOM.DIST.RANGE's number_s2 is 0, below number_s, so #NUM! (Excel's cached "
        "BINOM.DIST.RANGE(B12,C12,A12,D12) with D12 empty in IronCalc's BINOM.xlsx); LibreOffice 7.4 answers #NAME?",
    ),
    "arrayformula.isblank_beyond_the_argument": (
        False,
        "Excel computes a legacy array formula cell by cell of its range, the argument #N/A beyond its size, so an "
        "IS* test there answers for #N/A: ISBLANK(D6:Q6) over 15 cells caches FALSE in the fifteenth (the formulas "
        "library's test.xlsx, INFORMATION sheet); LibreOffice fills the cells beyond the result with #N/A",
    ),
    "arrayformula.isna_beyond_the_argument": (
        True,
        "as ISBLANK beyond its argument: ISNA(C12:Q12) over a larger range caches TRUE in the cells beyond (test.xlsx);"
        " LibreOffice fills them with #N/A",
    ),
})
