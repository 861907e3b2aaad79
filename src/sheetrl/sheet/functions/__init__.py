"""The function library: one registry, functions grouped by the categories users know.

Each category module registers its functions with :func:`register`. A :class:`FunctionSpec` tells the compiler how
to pass arguments, which is where most of Excel's coercion rules live:

- arguments listed in ``refs`` receive a :class:`~sheetrl.sheet.values.Matrix` when the argument is a reference
  (even a single cell) or an array, so the function can apply the range rules (text in a range is skipped by SUM,
  but ``SUM("3")`` counts 3); other arguments receive scalars (a range there is implicitly intersected);
- with ``propagate_errors`` (the default) an error value in any scalar argument is the result, before the function
  runs;
- ``lazy`` functions (IF, IFERROR, CHOOSE ...) receive zero-argument callables and evaluate only what they need;
- ``array_args`` evaluates the arguments in array mode, so operators work element-wise over ranges
  (``SUMPRODUCT((A1:A9>2)*B1:B9)``);
- an omitted argument (``IF(A1,,2)``) arrives as None, like an empty cell;
- arguments listed in ``reference_args`` receive the reference itself, a
  :class:`~sheetrl.sheet.evaluation.Reference`, when the argument is a reference (``ROW(B5)``, ``OFFSET(A1,1,0)``,
  ``INDEX(A1:C9,2,3)``), and its value otherwise (an array, a number ...); with ``reads_references=False`` those
  references do not make the formula depend on their cells (ROW, COLUMNS and ISREF look at the address only);
- ``returns_reference`` functions (INDEX, OFFSET, INDIRECT, CHOOSE) may return a Reference: the compiler turns it
  into values where values are needed and keeps it where a reference is (a range operand ``A1:INDEX(...)``);
- ``dynamic`` functions (OFFSET, INDIRECT) compute references the compiler cannot bound: formulas using them are
  tracked at run time (see :mod:`sheetrl.sheet.evaluation`);
- ``caller`` functions receive the formula cell's position ``(sheet_id, row, col)`` first (ROW() and COLUMN()
  without a reference describe the formula's own cell, as CELL and SHEET do; INDIRECT's relative R1C1 references
  start there);
- ``reads_workbook`` functions receive the workbook (a :class:`~sheetrl.sheet.functions.context.WorkbookView`, or
  None when called outside a workbook) before their arguments, after the caller's position: ISFORMULA reads
  formulas, SHEET the tab order, CELL formats, SUBTOTAL which cells hold subtotals. They handle error arguments
  themselves (``propagate_errors=False``);
- ``omitted_is_na``: an argument left empty in the formula (``MROUND(,2)``) is #N/A rather than an empty value, as
  for the functions that came from Excel's Analysis ToolPak (an empty *cell* is still empty);
- ``refuses_ranges``: a reference to more than one cell where the function takes one value is #VALUE!, in an
  array formula as in a plain one, while an array there is taken element by element (``EDATE(A1:A3,1)`` is
  #VALUE!, ``EDATE(+A1:A3,1)`` spills three dates). Excel does this for the functions that came from its Analysis
  ToolPak add-in and their later relatives (:data:`ANALYSIS_TOOLPAK`); it is set from that list;
- ``structural`` functions depend on the workbook's list of sheets (SHEET, SHEETS): their formulas are recompiled
  and recalculated when a sheet is added, renamed or removed.

To add a function: write it in the module of its category, decorate it with ``@register(...)``, add cases to the
conformance suite.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

MAX_ARGS = 255

# The functions that came from Excel's Analysis ToolPak add-in (built in since Excel 2007), and the ones Excel
# 2010-2013 added to the same families (ERF.PRECISE, the complex trigonometry). Excel hands them a reference
# argument as a reference, and they refuse one of more than one cell with #VALUE! where they take a single value,
# in array formulas too: Microsoft's documented workaround is an array instead (EOMONTH(+A2:A9,0)). Observed in
# Excel's own results (the corpus file vinci1it2000/formulas test.xlsx computes each of them over ranges).
ANALYSIS_TOOLPAK = frozenset({
    "ACCRINT", "ACCRINTM", "AMORDEGRC", "AMORLINC", "BESSELI", "BESSELJ", "BESSELK", "BESSELY", "BIN2DEC",
    "BIN2HEX", "BIN2OCT", "COMPLEX", "CONVERT", "COUPDAYBS", "COUPDAYS", "COUPDAYSNC", "COUPNCD", "COUPNUM",
    "COUPPCD", "CUMIPMT", "CUMPRINC", "DEC2BIN", "DEC2HEX", "DEC2OCT", "DELTA", "DISC", "DOLLARDE", "DOLLARFR",
    "DURATION", "EDATE", "EFFECT", "EOMONTH", "ERF", "ERF.PRECISE", "ERFC", "ERFC.PRECISE", "FACTDOUBLE",
    "FVSCHEDULE", "GCD", "GESTEP", "HEX2BIN", "HEX2DEC", "HEX2OCT", "IMABS", "IMAGINARY", "IMARGUMENT",
    "IMCONJUGATE", "IMCOS", "IMCOSH", "IMCOT", "IMCSC", "IMCSCH", "IMDIV", "IMEXP", "IMLN", "IMLOG10", "IMLOG2",
    "IMPOWER", "IMPRODUCT", "IMREAL", "IMSEC", "IMSECH", "IMSIN", "IMSINH", "IMSQRT", "IMSUB", "IMSUM", "IMTAN",
    "INTRATE", "ISEVEN", "ISODD", "LCM", "MDURATION", "MROUND", "MULTINOMIAL", "NETWORKDAYS", "NOMINAL", "OCT2BIN",
    "OCT2DEC", "OCT2HEX", "ODDFPRICE", "ODDFYIELD", "ODDLPRICE", "ODDLYIELD", "PRICE", "PRICEDISC", "PRICEMAT",
    "QUOTIENT", "RANDBETWEEN", "RECEIVED", "SERIESSUM", "SQRTPI", "TBILLEQ", "TBILLPRICE", "TBILLYIELD", "WEEKNUM",
    "WORKDAY", "XIRR", "XNPV", "YEARFRAC", "YIELD", "YIELDDISC", "YIELDMAT",
})


@dataclass(frozen=True, slots=True)
class FunctionSpec:
    """How the compiler calls one spreadsheet function."""

    name: str
    impl: Callable[..., Any]
    min_args: int
    max_args: int
    refs: frozenset[int] | None  # argument positions passed as Matrix for references/arrays; None means all
    lazy: bool = False
    volatile: bool = False
    array_args: bool = False
    propagate_errors: bool = True
    resize_like: tuple[tuple[int, int], ...] = ()  # (arg, like_arg): stretch a reference arg to another's shape
    reference_args: frozenset[int] = frozenset()  # argument positions that receive a Reference itself
    reads_references: bool = True  # whether the cells of reference_args are read (dependencies)
    returns_reference: bool = False  # the result may be a Reference
    dynamic: bool = False  # computes references the compiler cannot bound (tracked at run time)
    caller: bool = False  # receives the formula cell's (sheet_id, row, col) as its first argument
    reads_workbook: bool = False  # receives the WorkbookView (or None) before the arguments
    omitted_is_na: bool = False  # an argument left empty in the formula is #N/A (Analysis ToolPak functions)
    structural: bool = False  # reads the workbook's sheet list: recompiled when sheets are added or removed
    on_numbers: Callable[[list[float]], Any] | None = None  # the result from its ranges' numbers (see register)
    refuses_ranges: bool = False  # a multi-cell reference where it takes one value is #VALUE! (ANALYSIS_TOOLPAK)

    def takes_reference(self, position: int) -> bool:
        return self.refs is None or position in self.refs


FUNCTIONS: dict[str, FunctionSpec] = {}


def register(
    name: str,
    min_args: int,
    max_args: int | None = None,
    *,
    refs: Collection[int] | str = (),
    lazy: bool = False,
    volatile: bool = False,
    array_args: bool = False,
    propagate_errors: bool = True,
    aliases: Collection[str] = (),
    resize_like: Collection[tuple[int, int]] = (),
    reference_args: Collection[int] = (),
    reads_references: bool = True,
    returns_reference: bool = False,
    dynamic: bool = False,
    caller: bool = False,
    reads_workbook: bool = False,
    omitted_is_na: bool = False,
    structural: bool = False,
    on_numbers: Callable[[list[float]], Any] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator registering a spreadsheet function.

    :param name: upper-case function name.
    :param min_args: fewest arguments accepted.
    :param max_args: most arguments accepted (default: same as ``min_args``; use ``MAX_ARGS`` for variadic).
    :param refs: argument positions that receive references/arrays as Matrix, or ``"all"``.
    :param lazy: pass zero-argument callables instead of values.
    :param volatile: recomputed on every full recalculation (TODAY).
    :param array_args: evaluate arguments in array mode.
    :param propagate_errors: return the first error among scalar arguments without calling the function.
    :param aliases: other names for the same function (e.g. ``STDEV.S``).
    :param resize_like: pairs (argument, model argument): a reference argument is stretched from its top-left
        cell to the model argument's shape, as SUMIF does with a short sum_range.
    :param reference_args: argument positions that receive the reference itself (a Reference) when given one.
    :param reads_references: False when the function only looks at where ``reference_args`` point, not at their
        values (no dependency on those cells).
    :param returns_reference: the function may return a Reference.
    :param dynamic: the function builds references the compiler cannot bound (OFFSET, INDIRECT).
    :param caller: pass the formula cell's ``(sheet_id, row, col)`` before the arguments.
    :param reads_workbook: pass the workbook (a ``WorkbookView``, or None) before the arguments, after the caller's
        position; requires ``propagate_errors=False`` and no laziness.
    :param omitted_is_na: an argument left empty in the formula is #N/A (Analysis ToolPak functions).
    :param structural: the result depends on the workbook's sheet list (recompiled when it changes).
    :param on_numbers: the function's result from the numbers of its arguments, for a call whose arguments are all
        ranges holding only numbers and empty cells (``SUM(A1:A9)``): the compiler reads the cells and calls it,
        skipping the general argument handling; any other content takes ``impl``. It must give what ``impl``
        gives on those ranges.
    """

    if reads_workbook and (lazy or propagate_errors):
        raise ValueError(f"{name}: a reads_workbook function handles its arguments itself (propagate_errors=False)")

    def decorate(impl: Callable[..., Any]) -> Callable[..., Any]:
        spec = FunctionSpec(
            name=name,
            impl=impl,
            min_args=min_args,
            max_args=min_args if max_args is None else max_args,
            refs=None if refs == "all" else frozenset(refs),  # type: ignore[arg-type]
            lazy=lazy,
            volatile=volatile,
            array_args=array_args,
            propagate_errors=propagate_errors,
            resize_like=tuple(resize_like),
            reference_args=frozenset(reference_args),
            reads_references=reads_references,
            returns_reference=returns_reference,
            dynamic=dynamic,
            caller=caller,
            reads_workbook=reads_workbook,
            omitted_is_na=omitted_is_na,
            structural=structural,
            on_numbers=on_numbers,
            refuses_ranges=name in ANALYSIS_TOOLPAK,
        )
        for key in (name, *aliases):
            if key in FUNCTIONS:
                raise ValueError(f"function {key} is registered twice")
            FUNCTIONS[key] = spec
        return impl

    return decorate


def _load_categories() -> None:
    # Imported for their registrations; the order does not matter.
    from sheetrl.sheet.functions import (  # noqa: F401
        aggregate,
        array_shape,
        bessel,
        bond_schedule,
        bonds,
        cash_flows,
        combinatorics,
        complex_numbers,
        database,
        date_periods,
        date_time,
        depreciation,
        descriptive,
        discount_securities,
        discrete_distributions,
        distributions,
        dynamic_array,
        engineering,
        financial,
        forecasting,
        grouping,
        hypothesis_tests,
        information,
        lambda_,
        linear_algebra,
        logical,
        lookup,
        math,
        matrix,
        numerals,
        odd_bonds,
        order_statistics,
        random_numbers,
        reference,
        regression,
        rounding,
        series,
        statistical,
        text,
        text_characters,
        text_numbers,
        text_search,
        text_split,
        trigonometry,
        units,
        workbook_info,
        workdays,
    )


_load_categories()
