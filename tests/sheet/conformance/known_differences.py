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
}

# LibreOffice matches Excel here and IronCalc 0.9 does not.
_IC_ISECT = (
    "Excel (implicit intersection, as in files without dynamic arrays) takes the cell of the range in the formula's "
    "row or column, or #VALUE! if there is none; IronCalc takes the first cell or ignores the operator"
)
_IC_NUM_TEXT = "Excel converts numbers to text with up to 15 significant digits; IronCalc uses the shortest repr"

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
}


# Cases where the engine knowingly disagrees with the oracle: each is a documented limitation, counted as a
# mismatch in the agreement figure. The per-case test expects the mismatch (and fails once the engine agrees, so
# the entry gets removed).
ENGINE_LIMITATIONS: dict[str, str] = {
    "index.range_result_in_sum": (
        "a range whose corner is a function returning a reference (A1:INDEX(...)) is not supported: the engine's "
        "references are static, which keeps the dependency graph exact; the formula is rejected with a clear error"
    ),
    "datedif.yd": (
        "DATEDIF 'YD' across a leap day: the engine moves the end date into the start date's year (Excel's "
        "behaviour for the classic 1988-06-22..2012-05-11 example, 323, which LibreOffice's own source notes); "
        "LibreOffice uses the end date's year here and gives 54 instead of 55"
    ),
}


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


def _lacks(name: str) -> str:
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
    "series.percentof_doc": (0.4, _lacks("PERCENTOF")),
    "series.percentof_scalars": (0.25, _lacks("PERCENTOF")),
    "series.percentof_zero_total": (DIV0, _lacks("PERCENTOF")),
    "series.percentof_text_in_range": (0.25, _lacks("PERCENTOF")),
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
    "chars.dbcs_ascii": ("ＡＢＣ　１２３", _lacks("DBCS")),
    "chars.dbcs_katakana": ("カタカナ", _lacks("DBCS")),
    "chars.phonetic_text": ("東京", _lacks("PHONETIC")),
    "textnum.dollar_doc_negative": ("($1,200)", _DOLLAR),
    "textnum.dollar_doc_negative2": ("($0.1230)", _DOLLAR),
    "textnum.numbervalue_doc2": (0.035, _NUMBERVALUE),
    "textnum.numbervalue_empty": (0, "Excel documents NUMBERVALUE(\"\") as 0; LibreOffice says #VALUE!"),
    "textnum.numbervalue_groups": (1234567.5, _NUMBERVALUE),
    "textnum.numbervalue_negative": (-12.5, _NUMBERVALUE),
    "textnum.numbervalue_first_char": (1.5, "Excel documents that only the first character of a separator argument is used; LibreOffice rejects longer separators"),
    "textnum.numbervalue_exponent": (1500, _NUMBERVALUE),
    "textdelim.textbefore_doc": ("Little ", _lacks("TEXTBEFORE")),
    "textdelim.textbefore_doc2": ("", _lacks("TEXTBEFORE")),
    "textdelim.textbefore_instance": ("a-b", _lacks("TEXTBEFORE")),
    "textdelim.textbefore_from_end": ("a-b", _lacks("TEXTBEFORE")),
    "textdelim.textbefore_missing": (NA, _lacks("TEXTBEFORE")),
    "textdelim.textbefore_if_not_found": ("none", _lacks("TEXTBEFORE")),
    "textdelim.textbefore_case": ("aXb", _lacks("TEXTBEFORE")),
    "textdelim.textbefore_ignore_case": ("a", _lacks("TEXTBEFORE")),
    "textdelim.textbefore_match_end": ("abc", _lacks("TEXTBEFORE")),
    "textdelim.textbefore_zero_instance": (VALUE, _lacks("TEXTBEFORE")),
    "textdelim.textbefore_too_many": (VALUE, _lacks("TEXTBEFORE")),
    "textdelim.textbefore_delimiters": ("a", _lacks("TEXTBEFORE")),
    "textdelim.textafter_doc": (" Riding Hood", _lacks("TEXTAFTER")),
    "textdelim.textafter_doc2": ("Little Red Riding Hood", _lacks("TEXTAFTER")),
    "textdelim.textafter_from_end": ("c", _lacks("TEXTAFTER")),
    "textdelim.textafter_second": ("c", _lacks("TEXTAFTER")),
    "textdelim.textafter_missing": (NA, _lacks("TEXTAFTER")),
    "textdelim.textafter_match_end_negative": ("abc", _lacks("TEXTAFTER")),
    "textdelim.textafter_number": ("5", _lacks("TEXTAFTER")),
    "regex.test_doc": (True, _lacks("REGEXTEST")),
    "regex.test_no_match": (False, _lacks("REGEXTEST")),
    "regex.test_case": (False, _lacks("REGEXTEST")),
    "regex.test_ignore_case": (True, _lacks("REGEXTEST")),
    "regex.test_digits": (True, _lacks("REGEXTEST")),
    "regex.test_invalid": (VALUE, _lacks("REGEXTEST")),
    "regex.test_number": (True, _lacks("REGEXTEST")),
    "regex.extract_doc": ("Dylan", _lacks("REGEXEXTRACT")),
    "regex.extract_all": ("Dylan", _lacks("REGEXEXTRACT")),
    "regex.extract_groups": ("Sonia", _lacks("REGEXEXTRACT")),
    "regex.extract_none": (NA, _lacks("REGEXEXTRACT")),
    "regex.extract_named_group": ("42", _lacks("REGEXEXTRACT")),
    "regex.extract_bad_mode": (VALUE, _lacks("REGEXEXTRACT")),
    "regex.replace_doc": ("Brown, Sonia", _lacks("REGEXREPLACE")),
    "regex.replace_all": ("a#b#c#", _lacks("REGEXREPLACE")),
    "regex.replace_second": ("a1b#c333", _lacks("REGEXREPLACE")),
    "regex.replace_last": ("a1b22c#", _lacks("REGEXREPLACE")),
    "regex.replace_ignore_case": ("xxx", _lacks("REGEXREPLACE")),
    "regex.replace_dollar": ("$5", _lacks("REGEXREPLACE")),
    "regex.replace_no_match": ("abc", _lacks("REGEXREPLACE")),
    "valtext.valuetotext_text": ("abc", _lacks("VALUETOTEXT")),
    "valtext.valuetotext_strict": ("\"abc\"", _lacks("VALUETOTEXT")),
    "valtext.valuetotext_number": ("1.5", _lacks("VALUETOTEXT")),
    "valtext.valuetotext_bool": ("TRUE", _lacks("VALUETOTEXT")),
    "valtext.valuetotext_error": ("#DIV/0!", "VALUETOTEXT returns an error value as its text (Excel, IronCalc); LibreOffice 7.4 has no VALUETOTEXT and propagates the argument's error"),
    "valtext.valuetotext_bad_format": (VALUE, _lacks("VALUETOTEXT")),
    "valtext.arraytotext_concise": ("1, a, TRUE, 2.5", _lacks("ARRAYTOTEXT")),
    "valtext.arraytotext_strict": ("{1,\"a\";TRUE,2.5}", _lacks("ARRAYTOTEXT")),
    "valtext.arraytotext_range": ("1, x, FALSE, 3", _lacks("ARRAYTOTEXT")),
    "valtext.arraytotext_scalar": ("5", _lacks("ARRAYTOTEXT")),
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
_ECMA_CEILING = _lacks("ECMA.CEILING") + " (Excel 2007's CEILING: #NUM! when the signs differ, per MS-OI29500)"

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
    "textdelim.textafter_instance_rounds_down": (" b the c", _lacks("TEXTAFTER") + "; Excel rounds instance_num down "
                                                 "(-1.2 is -2), " + _MEASURED),
    "textdelim.textafter_long_delimiter": (NA, _lacks("TEXTAFTER")),
    "textdelim.textafter_long_delimiter_instance": (VALUE, _lacks("TEXTAFTER") + "; with instance_num given, a delimiter "
                                                    "longer than the text is #VALUE! in Excel, " + _MEASURED),
    "info.and_empty_text_skipped": (True, "Excel skips empty text typed as an AND/OR/XOR argument: AND(\"\",TRUE) is "
                                    "TRUE (" + _MEASURED + ", IronCalc agrees); LibreOffice says #VALUE!"),
    "info.sheet_of_number": (NA, "Excel: SHEET(0) is #N/A, as for a name that is no sheet (" + _MEASURED + "); "
                             "LibreOffice says #VALUE!"),
})

_IC_ISECT_LIBRARY = _IC_ISECT
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
    "trig.sin_range_intersection": _IC_ISECT_LIBRARY,
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
    "info.n_range_first": "N of a multi-cell range outside an array formula is implicitly intersected; Z5 shares no row with A1:A2, so #VALUE!; IronCalc does not implement it",
    "info.sheet_own_is_refs": "IronCalc 0.9 answers SHEET with a reference as #N/A",
    "info.sheet_ref_same_sheet": "IronCalc 0.9 answers SHEET with a reference as #N/A",
    "info.sheets_ref": "SHEETS of a one-sheet reference is 1; IronCalc 0.9 does not implement it",
    "info.cell_protect": _IC_CELL,
    "info.cell_parentheses": _IC_CELL,
    "info.cell_color": _IC_CELL,
    "switch.range_expression": _IC_ISECT_LIBRARY,

})
