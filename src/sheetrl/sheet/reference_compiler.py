"""Compiling references: defined names, structured references and references computed at run time.

:class:`ReferenceCompiler` is the part of :class:`~sheetrl.sheet.compiler.FormulaCompiler` that decides what a
reference expression stands for. Names are resolved innermost scope first: a name bound by LET or LAMBDA
(:meth:`local_binding`), then a defined name of the formula's sheet, then a workbook-level defined name, then a
table name (its data rows); any other name is #NAME?. A defined name is compiled in place of its use (relative
references shifted to the using cell); a structured reference becomes the cells its table holds now. Expressions whose
cells are known only when they run (``A1:INDEX(...)``, unions, intersections, OFFSET/INDIRECT results) compile to
evaluators returning :class:`~sheetrl.sheet.evaluation.Reference` values; the evaluator wrappers at the end of the
module read them, record what a tracked formula read, and carry errors out of range arguments.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Protocol

from sheetrl.sheet.address import make_key
from sheetrl.sheet.errors import (
    CYCLE,
    NA,
    NAME,
    NULL,
    REF,
    VALUE,
    ExcelError,
    error_from_code,
)
from sheetrl.sheet.evaluation import (
    STATE,
    Area,
    Reference,
    bounding_area,
    intersect_areas,
    record_read,
    reference_matrix,
    reference_value,
)
from sheetrl.sheet.functions import FUNCTIONS, MAX_ARGS, FunctionSpec
from sheetrl.sheet.nodes import (
    Call,
    CellRef,
    Chain,
    ErrorLiteral,
    Missing,
    Name,
    Node,
    Paren,
    RangeOp,
    RangeRef,
    RefError,
    SheetSpan,
    SpillRef,
    StructuredRef,
    Union,
)
from sheetrl.sheet.references import shift_wrapped
from sheetrl.sheet.tables import resolve_structured_reference
from sheetrl.sheet.values import Matrix

if TYPE_CHECKING:
    from sheetrl.sheet.compiler import CompiledFormula
    from sheetrl.sheet.names import DefinedName
    from sheetrl.sheet.tables import Table

Evaluator = Callable[[dict], Any]

MAX_NAME_NESTING = 64  # names defined through other names, deeper than this, give #NAME?
# Recorded in CompiledFormula.names by a structured reference without a table name outside every table: the formula
# is recompiled whenever any table changes.
ANY_TABLE = "[]"
# The functions that take 3-D references (``SUM(Sheet1:Sheet3!A1)``), as Microsoft lists them in "Create a 3-D
# reference to the same cell range on multiple worksheets" (with the older names of STDEV.S, STDEV.P, VAR.S, VAR.P).
# Anywhere else a 3-D reference is #VALUE!.
SHEET_SPAN_FUNCTIONS = frozenset({
    "SUM", "AVERAGE", "AVERAGEA", "COUNT", "COUNTA", "MAX", "MAXA", "MIN", "MINA", "PRODUCT",
    "STDEV", "STDEV.S", "STDEV.P", "STDEVP", "STDEVA", "STDEVPA", "VAR", "VAR.S", "VAR.P", "VARP", "VARA", "VARPA",
})


class NameCatalog(Protocol):
    """Where the compiler looks up defined names and tables (implemented by ``Workbook``)."""

    def defined_name(self, name: str, sheet_id: int | None) -> DefinedName | None:
        """The name visible from ``sheet_id`` (its sheet-scoped name first, then the workbook's), or None."""

    def table_named(self, name: str) -> Table | None:
        """The table called ``name`` (case-insensitive), or None."""

    def table_containing(self, sheet_id: int, row: int, col: int) -> Table | None:
        """The table whose range holds a cell, or None."""

    def sheet_name_of(self, sheet_id: int) -> str | None:
        """Name of a sheet id, or None."""

    @property
    def sheet_names(self) -> list[str]:
        """Sheet names in tab order (the sheets a 3-D reference spans)."""


class ReferenceCompiler:
    """Names, tables and computed references for one formula position (the state is FormulaCompiler's)."""

    sheet_ids: dict[str, int]
    sheet_id: int
    row: int
    col: int
    catalog: NameCatalog | None
    expanding: list[str]  # names being compiled in place, innermost last (cycle guard)
    result: CompiledFormula

    # Compiled by FormulaCompiler.
    def scalar(self, node: Node, array_mode: bool) -> Evaluator:
        raise NotImplementedError

    def call(self, node: Call, array_mode: bool) -> Evaluator:
        raise NotImplementedError

    def reference_or_value(self, node: Node, array_mode: bool, materialize: bool | None = None) -> Evaluator:
        raise NotImplementedError

    def local_binding(self, node: Name) -> Any:
        """The LET/LAMBDA binding of ``node`` around the expression being compiled, or None."""
        raise NotImplementedError

    def resolve_sheet(self, name: str | None) -> int | None:
        raise NotImplementedError

    # -------------------------------------------------------------------------------------- names and tables
    def name_definition(self, node: Name) -> Node:
        """What a name stands for at this formula's position: a defined name's formula (relative references
        shifted here), a table's data rows, or an error literal (#NAME? for an unknown name)."""
        upper = node.name.upper()
        self.result.names.add(upper)
        if self.catalog is None:
            return ErrorLiteral("#NAME?")
        scope = self.sheet_id
        if node.sheet is not None:
            scope = self.sheet_ids.get(node.sheet.upper(), -1)
        defined = self.catalog.defined_name(node.name, scope)
        if defined is not None:
            if defined.relative:
                return shift_wrapped(defined.node, self.row, self.col)
            return defined.node
        table = self.catalog.table_named(node.name) if node.sheet is None else None
        if table is not None:
            return self.table_area(table, StructuredRef(table.name, (), None, None, table.name))
        return ErrorLiteral("#NAME?")

    def structured(self, node: StructuredRef) -> Node:
        """The cells a structured reference means now: a CellRef/RangeRef of the table's sheet, or an error."""
        catalog = self.catalog
        if node.table is None:
            table = catalog.table_containing(self.sheet_id, self.row, self.col) if catalog is not None else None
            self.result.names.add(table.name.upper() if table is not None else ANY_TABLE)
        else:
            self.result.names.add(node.table.upper())
            table = catalog.table_named(node.table) if catalog is not None else None
        if table is None:
            return ErrorLiteral("#REF!")
        return self.table_area(table, node)

    def table_area(self, table: Table, node: StructuredRef) -> Node:
        assert self.catalog is not None
        sheet = self.catalog.sheet_name_of(table.sheet)
        found = resolve_structured_reference(node, table, self.sheet_id, self.row, self.col)
        if sheet is None or type(found) is ExcelError:
            return ErrorLiteral(str(found) if type(found) is ExcelError else "#REF!")
        r1, c1, r2, c2 = found
        if r1 == r2 and c1 == c2:
            return CellRef(sheet, r1, c1, True, True)
        return RangeRef(sheet, r1, c1, r2, c2, True, True, True, True)

    def in_name(self, node: Name, compile_definition: Callable[[Node], Evaluator]) -> Evaluator:
        """Compile a name in place of its use, guarding against names defined through themselves."""
        key = f"{node.sheet or ''}!{node.name}".upper()
        if key in self.expanding:
            return constant(CYCLE)
        if len(self.expanding) >= MAX_NAME_NESTING:
            return constant(NAME)
        definition = self.name_definition(node)
        self.expanding.append(key)
        try:
            return compile_definition(definition)
        finally:
            self.expanding.pop()

    def static_node(self, node: Node) -> CellRef | RangeRef | None:
        """The CellRef/RangeRef an expression always stands for (through parentheses, names and structured
        references), or None when it is not a fixed reference."""
        seen = 0
        while True:
            t = type(node)
            if t is CellRef or t is RangeRef:
                return node  # type: ignore[return-value]
            if t is Paren:
                node = node.inner  # type: ignore[attr-defined]
            elif t is Name:
                seen += 1
                if seen > MAX_NAME_NESTING or self.local_binding(node) is not None:  # type: ignore[arg-type]
                    return None
                node = self.name_definition(node)  # type: ignore[arg-type]
            elif t is StructuredRef:
                node = self.structured(node)  # type: ignore[arg-type]
            else:
                return None

    def static_extent(self, node: Node, depth: int = 0) -> Area | None:
        """An area that holds every cell the reference expression can ever point to, or None if unbounded."""
        if depth > MAX_NAME_NESTING:
            return None
        while type(node) is Paren:
            node = node.inner
        fixed = self.static_node(node)
        if fixed is not None:
            bounds = node_bounds(fixed)
            assert bounds is not None
            sid = self.sheet_id if bounds[0] is None else self.sheet_ids.get(bounds[0].upper())
            return None if sid is None else Area(sid, *bounds[1:])
        t = type(node)
        if t is Name:
            if self.local_binding(node) is not None:  # type: ignore[arg-type]
                return None
            return self.static_extent(self.name_definition(node), depth + 1)  # type: ignore[arg-type]
        parts: list[Node]
        if t is RangeOp:
            parts = [node.left, node.right]  # type: ignore[attr-defined]
        elif t is Call and node.name in ("INDEX", "TRIMRANGE") and node.args:  # type: ignore[attr-defined]
            parts = [node.args[0]]  # type: ignore[attr-defined]
        elif t is Call and node.name == "CHOOSE" and len(node.args) > 1:  # type: ignore[attr-defined]
            parts = list(node.args[1:])  # type: ignore[attr-defined]
        elif t is Chain and node.ops[0] == " ":  # type: ignore[attr-defined]
            parts = [node.operands[0]]  # type: ignore[attr-defined]
        else:
            return None
        extent: Area | None = None
        for part in parts:
            area = self.static_extent(part, depth + 1)
            if area is None:
                return None
            extent = area if extent is None else bounding_area(extent, area)
            if extent is None:
                return None
        return extent

    # ------------------------------------------------------------------------------------------- 3-D references
    def sheet_span_of(self, node: Node) -> SheetSpan | None:
        """The 3-D reference an argument is (through parentheses and a defined name standing for one), or None."""
        while type(node) is Paren:
            node = node.inner
        if type(node) is Name and self.local_binding(node) is None and len(self.expanding) < MAX_NAME_NESTING:
            node = self.name_definition(node)  # records the name: redefining it recompiles the formula
            while type(node) is Paren:
                node = node.inner
        return node if type(node) is SheetSpan else None

    def spanned_sheets(self, span: SheetSpan) -> list[str] | None:
        """The names of the sheets from the span's first end to its last in tab order now (ends in either order),
        or None when an end names no sheet. The formula is recompiled whenever sheets are added, renamed or
        removed, so the sheets spanned stay current."""
        self.result.unresolved_sheets = True
        order = self.catalog.sheet_names if self.catalog is not None else []
        upper = [name.upper() for name in order]
        first, last = span.first.upper(), span.last.upper()
        if first not in upper or last not in upper:
            return None
        start, end = upper.index(first), upper.index(last)
        return order[min(start, end) : max(start, end) + 1]

    def spread_sheet_span(self, node: Node) -> Node:
        """A 3-D reference argument (or a defined name standing for one) as the union of its reference on each sheet
        it spans (one reference for a span of one sheet); #REF! when an end names no sheet. Any other argument is
        returned as it is."""
        span = self.sheet_span_of(node)
        if span is None:
            return node
        sheets = self.spanned_sheets(span)
        ref = span.ref
        if sheets is None or type(ref) not in (CellRef, RangeRef):
            return RefError()
        parts = tuple(replace(ref, sheet=name) for name in sheets)  # type: ignore[type-var]
        return parts[0] if len(parts) == 1 else Union(parts)

    def note_range(self, node: RangeRef, area: tuple[int, int, int, int, int]) -> None:
        """Record that the formula reads the range ``area`` written as ``node``, and whether its ``$`` signs make it
        a candidate for the workbook's range index instead of one dependency edge per cell (mid-size ranges only,
        see ``workbook.GRAPH_EXPANDED_RANGE_CELLS``):

        - ``anchored``: one end fixed and the other relative (``B$1:B5``, ``B5:B$100``), a running total or a range
          growing by a row per formula of a fill. Nested ranges: indexed as soon as they are mid-size.
        - ``shared_ranges``: otherwise both rows fixed (``$A$1:$D$500``, ``A$1:D$500``, a table's column), the
          same range in every formula of a column, such as a lookup table. Indexed once several formulas read it;
          a range that only one formula reads stays expanded (cheaper than an index entry when every formula
          has its own).

        A range with relative rows (``B5:B104``, ``$B5:$B104``) filled down is a moving window, a distinct range
        per formula: cheap as edges and costly as index entries, so it stays expanded.
        """
        self.result.ranges.append(area)
        if node.row1_abs != node.row2_abs or node.col1_abs != node.col2_abs:
            self.result.anchored.append(area)
        elif node.row1_abs:  # and row2_abs
            self.result.shared_ranges.append(area)

    # ------------------------------------------------------------------------------------ computed references
    def reference(self, node: Node, reads: bool = True, array_mode: bool = False) -> Evaluator:
        """Compile an expression where a reference is wanted: its evaluator returns a Reference when the
        expression is one (a fixed or computed reference), else its value (in array mode: arrays stay whole).

        With ``reads`` the cells referred to count as read (dependencies); without, only the address is used.
        """
        while type(node) is Paren:
            node = node.inner
        t = type(node)
        if t is CellRef or t is RangeRef:
            sid = self.resolve_sheet(node.sheet)  # type: ignore[attr-defined]
            if sid is None:
                return constant(REF)
            bounds = node_bounds(node)
            assert bounds is not None
            area = Area(sid, *bounds[1:])
            if reads:
                if t is CellRef:
                    self.result.cells.add(make_key(sid, area.row1, area.col1))
                else:
                    self.note_range(node, tuple(area))  # type: ignore[arg-type]
            ref = Reference((area,))
            return lambda v: ref
        if t is Name:
            if self.local_binding(node) is not None:  # type: ignore[arg-type]
                return self.scalar(node, array_mode=True)  # a LET/LAMBDA value: a reference's values, or a value
            return self.in_name(node, lambda definition: self.reference(definition, reads, array_mode))  # type: ignore[arg-type]
        if t is StructuredRef:
            return self.reference(self.structured(node), reads, array_mode)  # type: ignore[arg-type]
        if t is RangeOp:
            return self.range_operator(node, reads, array_mode)  # type: ignore[arg-type]
        if t is Union:
            parts = [self.reference(o, reads, array_mode) for o in node.operands]  # type: ignore[attr-defined]
            return lambda v: _union([part(v) for part in parts])
        if t is Chain and node.ops[0] == " ":  # type: ignore[attr-defined]
            fixed = self.static_intersection(node)  # type: ignore[arg-type]
            if fixed is not None:
                return self.reference(fixed, reads, array_mode)
            parts = [self.reference(o, reads, array_mode) for o in node.operands]  # type: ignore[attr-defined]
            return lambda v: _intersect([part(v) for part in parts])
        if t is Call:
            spec = FUNCTIONS.get(node.name)  # type: ignore[attr-defined]
            if spec is not None and spec.returns_reference:
                return self.call(node, array_mode)  # type: ignore[arg-type]
        return self.scalar(node, array_mode=True)

    def fixed_areas(self, nodes: tuple[Node, ...] | list[Node]) -> list[tuple[CellRef | RangeRef, Area]] | None:
        """Each expression's fixed reference with its area, or None if one is not fixed or names no known sheet."""
        out = []
        for item in nodes:
            fixed = self.static_node(item)
            if fixed is None:
                return None
            bounds = node_bounds(fixed)
            assert bounds is not None
            sid = self.sheet_id if bounds[0] is None else self.sheet_ids.get(bounds[0].upper())
            if sid is None:
                return None
            out.append((fixed, Area(sid, *bounds[1:])))
        return out

    def range_operator(self, node: RangeOp, reads: bool, array_mode: bool) -> Evaluator:
        """``left:right``: the smallest range holding both references."""
        fixed = self.fixed_areas((node.left, node.right))
        if fixed is not None:
            (first, left_area), (_, right_area) = fixed
            box = bounding_area(left_area, right_area)
            if box is None:
                return constant(REF)
            return self.reference(RangeRef(first.sheet, *box[1:]), reads, array_mode)
        left = self.reference(node.left, reads, array_mode)
        right = self.reference(node.right, reads, array_mode)
        if reads:
            extent = self.static_extent(node)
            if extent is not None:
                self.result.ranges.append(tuple(extent))  # type: ignore[arg-type]
            else:
                self.result.dynamic = True
        return lambda v: _span(left(v), right(v))

    def static_intersection(self, node: Chain) -> Node | None:
        """The fixed reference (or #NULL!/#VALUE! literal) an intersection of fixed references stands for."""
        fixed = self.fixed_areas(node.operands)
        if fixed is None:
            return None
        if len({area.sheet for _, area in fixed}) > 1:
            return ErrorLiteral("#VALUE!")
        shared: Area | None = fixed[0][1]
        for _, area in fixed[1:]:
            shared = intersect_areas(shared, area) if shared is not None else None
        if shared is None:
            return ErrorLiteral("#NULL!")
        sheet = fixed[0][0].sheet
        if shared.row1 == shared.row2 and shared.col1 == shared.col2:
            return CellRef(sheet, shared.row1, shared.col1, False, False)
        return RangeRef(sheet, *shared[1:])

    def dereferenced(self, fn: Evaluator, array_mode: bool) -> Evaluator:
        """Values where ``fn`` may return a Reference.

        A single cell gives its value. In array mode a larger reference gives all its values (a Matrix; a list of
        several areas is #VALUE!); outside it, a larger reference is implicitly intersected with the formula's row or
        column, as a written range is (``=INDEX(A1:C9,0,2)`` in row 4 is C4, elsewhere #VALUE!).
        """
        if array_mode:

            def read_all(v: dict) -> Any:
                value = fn(v)
                if type(value) is not Reference:
                    return value
                if len(value.areas) > 1:
                    return VALUE  # a reference list is no array: (A1,A2)+1 is #VALUE!
                area = value.areas[0]
                if area.row1 == area.row2 and area.col1 == area.col2:
                    record_read(area)
                    return v.get(make_key(area.sheet, area.row1, area.col1))
                return reference_matrix(value, v)

            return read_all
        row, col = self.row, self.col

        def read_one(v: dict) -> Any:
            value = fn(v)
            return reference_value(value, v, row, col) if type(value) is Reference else value

        return read_one

    def reference_errors_propagate(
        self, spec: FunctionSpec, arg_nodes: list[Node], args: list[Evaluator]
    ) -> bool | ExcelError:
        """Make an error where a range argument is a reference (a deleted one, #REF!, or a computed reference that
        failed: INDIRECT of bad text, OFFSET off the grid) the function's result, as in Excel
        (COUNTIF(#REF!,1) and COUNTIF(INDIRECT("?"),1) are #REF!).

        Returns the error when an argument is an error literal or a deleted reference (the call's result), True
        when some arguments were wrapped to raise their error, False when there is nothing to guard.
        """
        if not spec.propagate_errors or spec.lazy:
            return False
        guarded = False
        for i, node in enumerate(arg_nodes):
            if i in spec.reference_args or not spec.takes_reference(i):
                continue
            while type(node) is Paren:
                node = node.inner
            t = type(node)
            if t is RefError:
                return REF
            if t is ErrorLiteral:
                return error_from_code(node.code) or REF  # type: ignore[attr-defined]
            spec_of = FUNCTIONS.get(node.name) if t is Call else None  # type: ignore[attr-defined]
            is_intersection = t is Chain and node.ops[0] == " "  # type: ignore[attr-defined]
            if t is RangeOp or is_intersection or (spec_of is not None and spec_of.returns_reference):
                args[i] = _raising(args[i])
                guarded = True
        return guarded

    def argument(self, spec: FunctionSpec, position: int, node: Node, array_mode: bool) -> Evaluator:
        """Compile one argument the way ``spec`` takes it: a reference, a Matrix of a reference's values, or a
        value."""
        if spec.omitted_is_na and type(node) is Missing:
            return constant(NA)  # ROUNDDOWN(,2) is 0, MROUND(,2) #N/A
        if position in spec.reference_args:
            fn = self.reference(node, spec.reads_references, array_mode)
            if spec.reads_references and self.static_node(node) is None:
                return _noting_reads(fn)  # FORMULATEXT(INDIRECT(...)) reads the cell INDIRECT names
            return fn
        if spec.takes_reference(position):
            # references stay lazy views unless the function reads every element (array_args)
            return self.reference_or_value(node, array_mode, spec.array_args)
        if spec.refuses_ranges:  # EDATE(A1:A3,1): an Analysis ToolPak function takes no range for a value
            if self.is_multi_cell_reference(node):
                return constant(VALUE)
            if self.may_compute_reference(node):
                return self.one_cell_only(self.reference(node, True, array_mode), array_mode)
        return self.scalar(node, array_mode)

    def may_compute_reference(self, node: Node) -> bool:
        """Whether an expression may stand for a reference that only evaluation knows: a reference-returning
        function (INDEX, OFFSET, INDIRECT, CHOOSE ...), a range operator or intersection over them, a spill
        reference, or a LET/LAMBDA name (which may be bound to a range)."""
        while type(node) is Paren:
            node = node.inner
        t = type(node)
        if t is Call:
            spec = FUNCTIONS.get(node.name)  # type: ignore[attr-defined]
            return spec is not None and spec.returns_reference
        if t is Name:
            return self.local_binding(node) is not None  # type: ignore[arg-type]
        is_intersection = t is Chain and node.ops[0] == " "  # type: ignore[attr-defined]
        return t is RangeOp or t is SpillRef or t is Union or is_intersection

    def one_cell_only(self, fn: Evaluator, array_mode: bool) -> Evaluator:
        """``fn``'s value where a reference to more than one cell (or a LET/LAMBDA value bound to one) is
        #VALUE! and a one-cell reference is that cell's value."""
        row, col = self.row, self.col

        def checked(v: dict) -> Any:
            value = fn(v)
            if type(value) is Reference:
                area = value.areas[0]
                if len(value.areas) > 1 or area.row1 != area.row2 or area.col1 != area.col2:
                    return VALUE
                return reference_value(value, v, row, col)
            if type(value) is Matrix and value.is_reference and value.rows * value.cols > 1:
                return VALUE
            return value

        return checked

    def is_multi_cell_reference(self, node: Node) -> bool:
        """Whether an expression always stands for a fixed reference to more than one cell on a known sheet
        (``A1:A3``, a name or table column defined as such a range)."""
        fixed = self.static_node(node)
        return (type(fixed) is RangeRef and (fixed.row1 != fixed.row2 or fixed.col1 != fixed.col2)
                and self.resolve_sheet(fixed.sheet) is not None)

    def spliced_unions(self, arg_nodes: list[Node]) -> list[Node]:
        """Arguments with every union replaced by its operands: SUM((A1:A3,C1:C3)) is SUM(A1:A3,C1:C3)."""
        out: list[Node] = []
        pending = list(reversed(arg_nodes))
        budget = MAX_ARGS * 4  # bounds the expansion of names defined as unions of names
        while pending:
            arg = pending.pop()
            inner = arg
            while type(inner) is Paren:
                inner = inner.inner
            if (
                type(inner) is Name and budget > 0 and self.local_binding(inner) is None
                and f"{inner.sheet or ''}!{inner.name}".upper() not in self.expanding
            ):
                definition = self.name_definition(inner)
                while type(definition) is Paren:
                    definition = definition.inner
                if type(definition) is Union:
                    inner = definition
            if type(inner) is Union and budget > 0:
                budget -= 1
                pending.extend(reversed(inner.operands))
            else:
                out.append(arg)
        return out


def constant(value: Any) -> Evaluator:
    return lambda v: value


def node_bounds(node: Node) -> tuple[str | None, int, int, int, int] | None:
    if type(node) is CellRef:
        return node.sheet, node.row, node.col, node.row, node.col
    if type(node) is RangeRef:
        return node.sheet, node.row1, node.col1, node.row2, node.col2
    return None


def tracking_reads(key: int, fn: Evaluator) -> Evaluator:
    """``fn`` recording the areas it reads through computed references (the formula at ``key`` is dynamic)."""
    state = STATE

    def tracked(v: dict) -> Any:
        outer = state.reads
        reads: list[Area] = []
        state.reads = reads
        try:
            return fn(v)
        finally:
            state.reads = outer
            if state.context is not None:  # inside a recalculation: report what was read
                if state.observed is None:
                    state.observed = {}
                state.observed[key] = reads

    return tracked


class _ArgumentError(Exception):
    """Carries an error value out of a range argument to the call that propagates it (see ``_raising``)."""

    def __init__(self, error: ExcelError) -> None:
        super().__init__(str(error))
        self.error = error


def _raising(fn: Evaluator) -> Evaluator:
    def run(v: dict) -> Any:
        value = fn(v)
        if type(value) is ExcelError:
            raise _ArgumentError(value)
        return value

    return run


def propagating(fn: Evaluator) -> Evaluator:
    def run(v: dict) -> Any:
        try:
            return fn(v)
        except _ArgumentError as raised:
            return raised.error

    return run


def _noting_reads(fn: Evaluator) -> Evaluator:
    """``fn`` noting the areas of a Reference it returns as read (for a tracked formula's dependencies)."""

    def noting(v: dict) -> Any:
        value = fn(v)
        if type(value) is Reference:
            for area in value.areas:
                record_read(area)
        return value

    return noting


def read_references(fn: Evaluator) -> Evaluator:
    """``fn`` with a Reference result read into a Matrix (what functions taking ranges receive)."""

    def read(v: dict) -> Any:
        value = fn(v)
        return reference_matrix(value, v) if type(value) is Reference else value

    return read


def _as_reference(value: Any) -> Reference | ExcelError:
    if type(value) is Reference:
        return value
    return value if type(value) is ExcelError else VALUE


def _span(left: Any, right: Any) -> Reference | ExcelError:
    """The range operator on computed references: the smallest area holding every area of both."""
    first, second = _as_reference(left), _as_reference(right)
    if type(first) is ExcelError:
        return first
    if type(second) is ExcelError:
        return second
    areas = first.areas + second.areas
    box: Area | None = areas[0]
    for area in areas[1:]:
        box = bounding_area(box, area)  # type: ignore[arg-type]
        if box is None:
            return REF  # a range cannot span two sheets
    return Reference((box,))  # type: ignore[arg-type]


def _union(parts: list[Any]) -> Reference | ExcelError:
    areas: list[Area] = []
    for part in parts:
        ref = _as_reference(part)
        if type(ref) is ExcelError:
            return ref
        areas.extend(ref.areas)
    return Reference(tuple(areas))


def _intersect(parts: list[Any]) -> Reference | ExcelError:
    """The intersection operator on computed references: the cells every operand holds. A union distributes:
    ``(A1:B2,D1:E2) B1:D9`` is ``(B1:B2,D1:D2)``. #NULL! when no cell is shared."""
    shared: list[Area] | None = None
    for part in parts:
        ref = _as_reference(part)
        if type(ref) is ExcelError:
            return ref
        areas = list(ref.areas)
        if shared is None:
            shared = areas
            continue
        shared = [c for a in shared for b in areas if (c := intersect_areas(a, b)) is not None]
        if not shared:
            return NULL
    return Reference(tuple(shared or ()))
