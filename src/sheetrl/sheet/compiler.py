"""Syntax tree -> a Python closure for one formula cell.

Each formula cell gets its own closure tree with every reference already resolved to integer keys, so evaluating
``=SUM(B2:K2)`` is a list comprehension over ten precomputed keys and a loop: no parsing, no address arithmetic,
no dispatch on node types at run time. A closure takes the workbook's ``values`` dict (key -> value) and returns the
formula's value. Syntax trees are shared between cells; closures are cheap to build (microseconds).

Formulas evaluate as in Excel with dynamic arrays (*array mode*): a range stays whole wherever it appears,
operators and scalar functions apply element-wise to arrays, and a formula whose result is an array spills it
(the workbook places it). The implicit-intersection operator ``@`` takes one value where a range or an array would
be: the cell of a range in the formula's row or column, the top-left element of an array. Formulas from files
written without dynamic arrays get their ``@`` where Excel implied it (:mod:`sheetrl.sheet.legacy`). *Scalar mode*
(``array_mode=False``) compiles a reference for implicit intersection.

Names bound by LET and LAMBDA resolve first, through :class:`~sheetrl.sheet.lambdas.LocalScope`; any other name is
looked up after them.

References computed at run time (INDEX, OFFSET, INDIRECT, ``A1:INDEX(...)``, unions) are
:class:`~sheetrl.sheet.evaluation.Reference` values: :meth:`FormulaCompiler.reference` compiles an expression
where a reference is wanted (a range operand, ROW's argument), and values are read from a Reference only where
values are needed (:meth:`FormulaCompiler.dereferenced`, :meth:`FormulaCompiler.reference_or_value`).

Names, structured references and computed references are compiled by the base class
:class:`~sheetrl.sheet.reference_compiler.ReferenceCompiler`. Names resolve innermost scope first: LET/LAMBDA
names, the formula's sheet's defined names, the workbook's, then table names; an unknown name is #NAME?. A defined
name is compiled in place of its use, so the formula depends directly on the cells the name refers to; the workbook
recompiles a formula when a name it uses changes.
"""

from __future__ import annotations

import itertools
import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache, partial
from typing import Any

from sheetrl.sheet.address import MAX_COLS, MAX_ROWS, ROW_SHIFT, SHEET_SHIFT, make_key, range_keys
from sheetrl.sheet.errors import (
    CALC,
    DIV0,
    NA,
    NUM,
    REF,
    VALUE,
    ExcelError,
    FormulaSyntaxError,
    error_from_code,
)
from sheetrl.sheet.evaluation import (
    STATE,
    Area,
    Reference,
    area_matrix,
    extent_key,
    record_read,
    spill_key,
)
from sheetrl.sheet.functions import FUNCTIONS, MAX_ARGS, FunctionSpec
from sheetrl.sheet.fused import CELL_VALUE, ChainFusion
from sheetrl.sheet.lambdas import (
    ETA_PREFIX,
    LAMBDA_ARGUMENTS,
    SPECIAL_FORMS,
    LambdaValue,
    LocalScope,
    compile_function_value,
    compile_invocation,
    eta_function,
    read_binding,
)
from sheetrl.sheet.nodes import (
    ArrayLiteral,
    Bool,
    Call,
    CellRef,
    Chain,
    ErrorLiteral,
    ImplicitIntersection,
    Invoke,
    Missing,
    Name,
    Node,
    Number,
    Paren,
    Percent,
    RangeOp,
    RangeRef,
    RefError,
    SheetSpan,
    SpillRef,
    StructuredRef,
    Text,
    Unary,
    Union,
    render,
)
from sheetrl.sheet.reference_compiler import (
    SHEET_SPAN_FUNCTIONS,
    Evaluator,
    NameCatalog,
    ReferenceCompiler,
    propagating,
    read_references,
    tracking_reads,
)
from sheetrl.sheet.reference_compiler import constant as _constant
from sheetrl.sheet.reference_compiler import node_bounds as _bounds
from sheetrl.sheet.values import (
    Matrix,
    RangeValues,
    check_number,
    compare,
    fit_to_range,
    to_number,
    to_text,
)

# Ranges up to this many cells get their keys precomputed; larger ones (whole columns) are clamped to the sheet's
# used extent at evaluation time.
PRECOMPUTED_RANGE_CELLS = 65_536
_LISTED_KEYS_LIMIT = 1024  # a longer single row or column keeps its keys as a range object
NESTED_OPERATORS = 2  # a chain of more operators of one level (A1+A2+A3+A4) is evaluated by a loop (stack depth)


# Key under which the values dict holds the workbook itself, for the functions that read it (ISFORMULA, SHEET,
# CELL ...). The values dict is the only thing a compiled formula receives: clones share compiled closures, so a
# closure cannot hold on to one workbook, but each workbook's values dict is its own.
WORKBOOK_KEY = -(1 << 61)


_UNKNOWN_NAME = ErrorLiteral("#NAME?")  # what ReferenceCompiler.name_definition gives for a name nothing defines


@dataclass
class CompiledFormula:
    """What the workbook needs to know about one formula cell."""

    fn: Evaluator
    cells: set[int] = field(default_factory=set)  # keys of single cells read
    ranges: list[tuple[int, int, int, int, int]] = field(default_factory=list)  # (sheet, r1, c1, r2, c2) read
    # ranges nested by the formulas of a fill, one end fixed and the other relative (A$1:A5, a running total), and
    # ranges likely shared by them, both rows fixed ($A$1:$D$500, a lookup table): candidates for the range index
    # instead of per-cell edges (ReferenceCompiler.note_range)
    anchored: list[tuple[int, int, int, int, int]] = field(default_factory=list)
    shared_ranges: list[tuple[int, int, int, int, int]] = field(default_factory=list)
    volatile: bool = False
    unresolved_sheets: bool = False  # references a sheet that does not exist (yet), or reads the sheet list
    dynamic: bool = False  # reads through references computed at run time: its reads are tracked per evaluation
    names: set[str] = field(default_factory=set)  # upper-case defined/table names looked up (found or not)
    template: FormulaTemplate | None = None  # how to compile the same formula moved to another cell, when known


@dataclass(frozen=True, slots=True)
class FormulaTemplate:
    """A formula that is one generated chain (:mod:`sheetrl.sheet.fused`) of cells and numbers, written so that it
    can be compiled at any cell without its syntax tree: what a loader does for formulas filled down a column.

    ``parameters`` are the chain's arguments in order: a number, or a cell as (sheet id, row fixed, row, column
    fixed, column) where a relative row or column is the offset from the formula's own cell (R1C1 style) and the
    sheet id is None for a reference without a sheet name (the formula's own sheet)."""

    program: tuple[str, ...]
    parameters: tuple[Any, ...]

    def instantiate(self, sheet_id: int, row: int, col: int) -> CompiledFormula | None:
        """The formula compiled at (``row``, ``col``) (0-based) of the sheet ``sheet_id``, as
        :meth:`FormulaCompiler.compile` would compile its tree moved there; None when a reference would leave the
        sheet or the chain is no longer generated (the caller compiles the tree)."""
        arguments: list[Any] = []
        cells: set[int] = set()
        for parameter in self.parameters:
            if type(parameter) is float:
                arguments.append(parameter)
                continue
            sheet, row_fixed, r, col_fixed, c = parameter
            r = r if row_fixed else row + r
            c = c if col_fixed else col + c
            if not (0 <= r < MAX_ROWS and 0 <= c < MAX_COLS):
                return None
            key = make_key(sheet_id if sheet is None else sheet, r, c)
            arguments.append(key)
            cells.add(key)
        if not _FUSION.ready(self.program):
            return None
        return CompiledFormula(fn=_FUSION.evaluator(self.program, arguments), cells=cells, template=self)

    def fixed_at(self, row: int, col: int) -> FormulaTemplate | None:
        """The template of this formula's text as it reads at (``row``, ``col``), with every coordinate fixed: it
        compiles that same text at any cell (a text means the same cells wherever it is written). None when a
        reference names a sheet (its id belongs to one workbook)."""
        parameters: list[Any] = []
        for parameter in self.parameters:
            if type(parameter) is float:
                parameters.append(parameter)
                continue
            sheet, row_fixed, r, col_fixed, c = parameter
            if sheet is not None:
                return None
            parameters.append((None, True, r if row_fixed else row + r, True, c if col_fixed else col + c))
        return FormulaTemplate(self.program, tuple(parameters))


class FormulaCompiler(ReferenceCompiler):
    """Compiles syntax trees for one formula position. ``sheet_ids`` maps upper-case sheet names to ids;
    ``catalog`` supplies defined names and tables (without one, every name is unknown: #NAME?)."""

    def __init__(
        self, sheet_ids: dict[str, int], sheet_id: int, row: int, col: int, catalog: NameCatalog | None = None
    ) -> None:
        self.sheet_ids = sheet_ids
        self.sheet_id = sheet_id
        self.row = row
        self.col = col
        self.catalog = catalog
        self.expanding: list[str] = []
        self.result = CompiledFormula(fn=_constant(None))
        self.scope = LocalScope()
        self.fused: tuple[Node, FormulaTemplate] | None = None  # the last chain generated of cells and numbers only

    def compile(self, node: Node, array_shape: tuple[int, int] | None = None) -> CompiledFormula:
        """Compile a formula; its closure returns a cell value, or a Matrix of cell values to spill or place.
        ``array_shape``: the range of a legacy array formula (see :func:`_padded_with_the_function_of_na`)."""
        whole = node
        while type(whole) is Paren:
            whole = whole.inner
        fn = None
        if _scalar_chain(whole):
            fn = self.scalar(whole, array_mode=True)
        elif FUSED_CHAINS and type(whole) is Chain and whole.ops[0] != " ":
            fn = self.fused_chain(whole, True, cell_result=True)
        if fn is None:
            fn = _top_level(self.scalar(whole, array_mode=True))
        if array_shape is not None and type(whole) is Call and whole.name in _PER_CELL_OF_THE_RANGE \
                and len(whole.args) == 1:
            fn = _padded_with_the_function_of_na(fn, FUNCTIONS[whole.name].impl(NA), array_shape)
        if self.result.dynamic:
            fn = tracking_reads(make_key(self.sheet_id, self.row, self.col), fn)
        elif self.fused is not None and self.fused[0] is whole and array_shape is None:
            self.result.template = self.fused[1]
        self.result.fn = fn
        return self.result

    # ----------------------------------------------------------------------------------------------- references
    def resolve_sheet(self, name: str | None) -> int | None:
        if name is None:
            return self.sheet_id
        sid = self.sheet_ids.get(name.upper())
        if sid is None:
            self.result.unresolved_sheets = True
        return sid

    def cell_key(self, node: CellRef) -> int | None:
        sid = self.resolve_sheet(node.sheet)
        if sid is None:
            return None
        key = make_key(sid, node.row, node.col)
        self.result.cells.add(key)
        return key

    def range_matrix(self, node: RangeRef, array_mode: bool = True) -> Evaluator:
        """Closure giving a Matrix (is_reference=True) of the range's current values.

        With ``array_mode`` (where operators index every element) the values are a plain list; without, a lazy
        :class:`RangeValues` view (functions taking a reference often read a fraction of it).
        """
        sid = self.resolve_sheet(node.sheet)
        if sid is None:
            return _constant(REF)
        r1, c1, r2, c2 = node.row1, node.col1, node.row2, node.col2
        self.note_range(node, (sid, r1, c1, r2, c2))
        rows, cols = r2 - r1 + 1, c2 - c1 + 1
        origin = (sid, r1, c1)
        if rows * cols <= PRECOMPUTED_RANGE_CELLS:
            keys = _range_keys(sid, r1, c1, r2, c2)  # shared by every formula reading the same range

            if array_mode:
                return lambda v: Matrix(rows, cols, list(map(v.get, keys)), True, origin)
            # A lazy view that reads like a list (values.RangeValues), read only as far as the function needs.
            return lambda v: Matrix(rows, cols, RangeValues(keys, v), True, origin)  # type: ignore[arg-type]
        area = Area(sid, r1, c1, r2, c2)

        def clamped(v: dict) -> Matrix:
            # A whole column or row: clamped to the used extent, its keys shared by every formula reading the same
            # area; read lazily (VLOOKUP reads one column of it) unless every element is read.
            matrix = area_matrix(area, v)
            if array_mode and type(matrix.values) is not list:
                matrix.values = list(matrix.values)
            return matrix

        return clamped

    def implicit_intersection(self, node: RangeRef) -> Evaluator:
        """A range where one value is expected: the cell in the formula's row (or column), else #VALUE!."""
        sid = self.resolve_sheet(node.sheet)
        if sid is None:
            return _constant(REF)
        self.result.ranges.append((sid, node.row1, node.col1, node.row2, node.col2))
        if node.row1 == node.row2 and node.col1 == node.col2:
            target = (node.row1, node.col1)
        elif node.col1 == node.col2 and node.row1 <= self.row <= node.row2:
            target = (self.row, node.col1)
        elif node.row1 == node.row2 and node.col1 <= self.col <= node.col2:
            target = (node.row1, self.col)
        else:
            return _constant(VALUE)
        key = make_key(sid, *target)
        return lambda v: v.get(key)

    def spill_matrix(self, node: SpillRef) -> Evaluator:
        """``A1#``: a reference Matrix over the cells the formula at A1 spills now; #REF! when it spills nothing.

        The formula depends on the anchor cell only: the spilled cells change only when the anchor is evaluated.
        """
        anchor = node.anchor
        if type(anchor) is not CellRef:
            return _constant(REF)
        key = self.cell_key(anchor)
        if key is None:
            return _constant(REF)
        sid, row, col = key >> 34, anchor.row, anchor.col
        extent = spill_key(key)
        origin = (sid, row, col)

        def spilled(v: dict) -> Any:
            shape = v.get(extent)
            if shape is None:
                return REF
            rows, cols = shape
            get = v.get
            values = [get(make_key(sid, r, c)) for r in range(row, row + rows) for c in range(col, col + cols)]
            return Matrix(rows, cols, values, True, origin)

        return spilled

    def implicit(self, node: ImplicitIntersection, as_reference: bool = False) -> Evaluator:
        """``@operand``: the cell of a range in the formula's row or column, the top-left element of an array.

        With ``as_reference`` (a function argument that takes references) the chosen cell stays a 1x1 reference.
        """
        operand = node.operand
        while type(operand) is Paren:
            operand = operand.inner
        if type(operand) is Chain and operand.ops[0] == " ":
            operand = self.static_intersection(operand) or operand
        elif (type(operand) is Name and self.local_binding(operand) is None) or type(operand) is StructuredRef:
            operand = self.static_node(operand) or operand  # @Data, @Table1[Col]: the fixed range they name
        if type(operand) is RangeRef and not as_reference:
            return self.implicit_intersection(operand)
        if type(operand) is RangeRef or type(operand) is CellRef or type(operand) is SpillRef:
            inner = self.reference_or_value(operand, False)
        else:
            inner = self.scalar(operand, True)
        row, col = self.row, self.col
        if as_reference:
            return lambda v: intersect_reference(inner(v), row, col)
        return lambda v: intersect_value(inner(v), row, col)

    def local_binding(self, node: Name) -> Any:
        """The LET/LAMBDA binding of a name around the expression being compiled, or None (sheet-qualified names
        are never local)."""
        if node.sheet is not None or not self.scope:
            return None
        return self.scope.lookup(node.name)

    # ------------------------------------------------------------------------------------------------ compiling
    def scalar(self, node: Node, array_mode: bool) -> Evaluator:
        """Compile an expression whose value is one scalar (or, in array mode, possibly a Matrix)."""
        # The node classes do not overlap: the most common ones are tested first.
        if isinstance(node, CellRef):
            key = self.cell_key(node)
            if key is None:
                return _constant(REF)
            return lambda v: v.get(key)
        if isinstance(node, Number):
            return _constant(node.value)
        if isinstance(node, Chain) and node.ops[0] != " ":
            return self.chain(node, array_mode)
        if isinstance(node, Text):
            return _constant(node.value)
        if isinstance(node, Bool):
            return _constant(node.value)
        if isinstance(node, ErrorLiteral):
            return _constant(error_from_code(node.code))
        if isinstance(node, RangeRef):
            if array_mode:
                return self.range_matrix(node)
            return self.implicit_intersection(node)
        if isinstance(node, RefError):
            return _constant(REF)
        if isinstance(node, Name):
            binding = self.local_binding(node)
            if binding is not None:
                return read_binding(binding)
            function = eta_function(node.name) if node.sheet is None else None
            if function is not None:
                return compile_function_value(self, function)
            return self.in_name(node, lambda definition: self.scalar(definition, array_mode))
        if isinstance(node, StructuredRef):
            return self.scalar(self.structured(node), array_mode)
        if isinstance(node, (RangeOp, Union)):
            return self.dereferenced(self.reference(node, array_mode=array_mode), array_mode)
        if isinstance(node, ImplicitIntersection):
            return self.implicit(node)
        if isinstance(node, SpillRef):
            return self.spill_matrix(node)
        if isinstance(node, Invoke):
            return compile_invocation(self, self.scalar(node.callee, True), node.args)
        if isinstance(node, Missing):
            return _constant(None)
        if isinstance(node, Paren):
            return self.scalar(node.inner, array_mode)
        if isinstance(node, SheetSpan):
            return _constant(VALUE)  # a 3-D reference outside the functions that take one (SHEET_SPAN_FUNCTIONS)
        if isinstance(node, Unary):
            inner = self.scalar(node.operand, array_mode)
            if node.op == "+":
                return inner
            return lambda v: _negate(inner(v))
        if isinstance(node, Percent):
            inner = self.scalar(node.operand, array_mode)
            return lambda v: _percent(inner(v))
        if isinstance(node, Chain):
            if node.ops[0] == " ":
                fixed = self.static_intersection(node)
                if fixed is not None:
                    return self.scalar(fixed, array_mode)
                return self.dereferenced(self.reference(node, array_mode=array_mode), array_mode)
            return self.chain(node, array_mode)
        if isinstance(node, ArrayLiteral):
            matrix = _array_constant(node)
            return lambda v: matrix
        if isinstance(node, Call):
            fn = self.call(node, array_mode)
            spec = FUNCTIONS.get(node.name)
            if spec is not None and spec.returns_reference:
                return self.dereferenced(fn, array_mode)
            return fn
        raise TypeError(f"cannot compile {node!r}")

    def reference_or_value(self, node: Node, array_mode: bool, materialize: bool | None = None) -> Evaluator:
        """Compile a function argument that may be a reference: references become Matrix (single cells too).

        A range's values are a plain list with ``materialize`` (default: ``array_mode``), else a lazy view.
        """
        while isinstance(node, Paren):
            node = node.inner
        if isinstance(node, Name):
            binding = self.local_binding(node)
            if binding is not None:
                return read_binding(binding)
            function = eta_function(node.name) if node.sheet is None else None
            if function is not None:
                return compile_function_value(self, function)
            return self.in_name(
                node, lambda definition: self.reference_or_value(definition, array_mode, materialize)
            )
        if isinstance(node, StructuredRef):
            node = self.structured(node)
        elif isinstance(node, Chain) and node.ops[0] == " ":
            fixed = self.static_intersection(node)
            if fixed is None:
                return read_references(self.reference(node, array_mode=array_mode))
            node = fixed
        elif isinstance(node, (RangeOp, Union)):
            return read_references(self.reference(node, array_mode=array_mode))
        elif isinstance(node, Call):
            spec = FUNCTIONS.get(node.name)
            if spec is not None and spec.returns_reference:
                return read_references(self.call(node, array_mode))
        if isinstance(node, CellRef):
            key = self.cell_key(node)
            if key is None:
                return _constant(REF)
            sid = key >> 34
            origin = (sid, node.row, node.col)
            return lambda v: Matrix(1, 1, [v.get(key)], True, origin)
        if isinstance(node, RangeRef):
            return self.range_matrix(node, array_mode if materialize is None else materialize)
        if isinstance(node, ImplicitIntersection):
            return self.implicit(node, as_reference=True)
        if isinstance(node, SpillRef):
            return self.spill_matrix(node)
        return self.scalar(node, array_mode)

    def chain(self, node: Chain, array_mode: bool) -> Evaluator:
        """Operators of one precedence level, applied left to right: one closure per operator, each reading a
        cell or a constant operand itself (the commonest formulas are chains of cells and numbers, and a closure
        call per operand was most of their cost)."""
        if FUSED_CHAINS:
            fused = self.fused_chain(node, array_mode)
            if fused is not None:
                return fused
        operands = [self.operand(o, array_mode) for o in node.operands]
        ops = [_BINARY[op] for op in node.ops]
        if len(ops) > NESTED_OPERATORS:  # a long chain: one loop (nested closures would run out of stack)
            first = operands[0][0]
            steps = [(op, operand[0]) for op, operand in zip(ops, operands[1:])]

            def run(v: dict) -> Any:
                acc = first(v)
                for op, operand in steps:
                    acc = op(acc, operand(v))
                return acc

            return run
        acc = operands[0]
        for op, right in zip(ops, operands[1:]):
            acc = (_binary(op, acc, right), None, None)
        return acc[0]

    def fused_chain(self, node: Chain, array_mode: bool, cell_result: bool = False) -> Evaluator | None:
        """The chain, with the chains, cells, numbers and signs inside it, as one generated function
        (:mod:`sheetrl.sheet.fused`), giving its value as a cell stores it with ``cell_result``; None when it has
        more than FUSED_OPERATORS operators, or while its structure has not been met often enough to be worth
        generating (the caller compiles it as closures)."""
        postfix: list[tuple[str, Node | None]] = []
        if not _postfix(node, postfix, [0]):
            return None
        program: list[str] = []
        parameters: list[Any] = []
        calls: list[tuple[int, Node]] = []  # compiled only once the chain is fused (compiling records its ranges)
        relative: list[Any] | None = []  # the parameters as a FormulaTemplate holds them (None: it cannot)
        for token, operand in postfix:
            if operand is None:
                program.append(token)
            elif type(operand) is CellRef:
                key = self.cell_key(operand)
                program.append("value" if key is None else "cell")
                parameters.append(REF if key is None else key)
                if key is None or relative is None:
                    relative = None
                else:
                    sheet = None if operand.sheet is None else key >> SHEET_SHIFT
                    row = operand.row if operand.row_abs else operand.row - self.row
                    col = operand.col if operand.col_abs else operand.col - self.col
                    relative.append((sheet, operand.row_abs, row, operand.col_abs, col))
            elif type(operand) is Number and type(operand.value) is float:
                program.append("float")
                parameters.append(operand.value)
                if relative is not None:
                    relative.append(operand.value)
            else:
                program.append("call")
                calls.append((len(parameters), operand))
                parameters.append(None)
                relative = None
        if cell_result:
            program.append(CELL_VALUE)
        shape = tuple(program)
        if not _FUSION.ready(shape):
            return None
        for position, operand in calls:
            parameters[position] = self.scalar(operand, array_mode)
        if relative is not None:
            self.fused = (node, FormulaTemplate(shape, tuple(relative)))
        return _FUSION.evaluator(shape, parameters)

    def operand(self, node: Node, array_mode: bool) -> tuple[Evaluator, int | None, Any]:
        """An operator's operand: (its closure, the key of the cell it reads or None, the constant it is or None)."""
        if type(node) is CellRef:
            key = self.cell_key(node)
            if key is not None:
                return (lambda v: v.get(key)), key, None
            return _constant(REF), None, REF
        if type(node) is Number:
            return _constant(node.value), None, node.value
        return self.scalar(node, array_mode), None, None

    def call(self, node: Call, array_mode: bool) -> Evaluator:
        if self.scope:
            binding = self.scope.lookup(node.name)
            if binding is not None:  # a LAMBDA bound by LET or passed as a parameter, called by its name
                return compile_invocation(self, read_binding(binding), node.args)
        special = SPECIAL_FORMS.get(node.name)
        if special is not None:
            return special(self, node)
        spec = FUNCTIONS.get(node.name)
        if spec is None:
            # Not a library function: a defined name holding a LAMBDA (``=Dbl(3)``), or #NAME? (an unknown name,
            # recompiled when a name of that spelling is defined).
            return compile_invocation(self, self.scalar(Name(node.name), True), node.args)
        count = len(node.args)
        if count < spec.min_args or count > spec.max_args:
            expected = (
                f"{spec.min_args}" if spec.min_args == spec.max_args else f"{spec.min_args} to {spec.max_args}"
            )
            raise FormulaSyntaxError(
                render(node), 0, f"{node.name} takes {expected} arguments, got {count}"
            )
        if spec.volatile:
            self.result.volatile = True
        if spec.structural:
            self.result.unresolved_sheets = True  # recompiled (and recalculated) whenever a sheet is added
        if spec.caller:
            spec = replace(spec, impl=partial(spec.impl, (self.sheet_id, self.row, self.col)))
        if spec.dynamic:
            self.result.dynamic = True
        mode = array_mode or spec.array_args
        arg_nodes = list(node.args)
        if node.name == "SHEETS" and len(arg_nodes) == 1:
            span = self.sheet_span_of(arg_nodes[0])
            if span is not None:  # SHEETS(Sheet2:Sheet3!A1): the number of sheets spanned (Microsoft's example)
                sheets = self.spanned_sheets(span)
                return _constant(REF if sheets is None else float(len(sheets)))
        if node.name in SHEET_SPAN_FUNCTIONS:
            arg_nodes = [self.spread_sheet_span(arg) for arg in arg_nodes]  # Sheet1:Sheet3!A1: one area per sheet
        takes_lambda = LAMBDA_ARGUMENTS.get(node.name)
        if takes_lambda is not None:
            arg_nodes = [
                self.function_name_as_lambda(a) if takes_lambda(i, count) else a for i, a in enumerate(arg_nodes)
            ]
        if spec.refs is None and spec.max_args == MAX_ARGS:
            arg_nodes = self.spliced_unions(arg_nodes)
        for target, source in spec.resize_like:
            if target < len(arg_nodes):
                like = self.static_node(arg_nodes[source]) or arg_nodes[source]
                arg_nodes[target] = _resized(self.static_node(arg_nodes[target]) or arg_nodes[target], like)
        # References stay lazy views unless the function reads every element (array_args).
        args = [self.argument(spec, i, arg, mode) for i, arg in enumerate(arg_nodes)]
        guarded = self.reference_errors_propagate(spec, arg_nodes, args)
        if isinstance(guarded, ExcelError):
            return _constant(guarded)  # #REF! (a deleted reference) where the function reads a range
        fn = _make_call(spec, args, mode)
        if guarded:
            return propagating(fn)
        if spec.on_numbers is not None:
            groups = self.listed_range_keys(arg_nodes)
            if groups is not None:
                fn = _on_numbers(spec.on_numbers, groups, fn)
                fold = _RUNNING_FOLDS.get(node.name) if RUNNING_TOTALS and len(arg_nodes) == 1 else None
                if fold is not None and (node.name != "SUM" or PLAIN_FLOAT_SUM):
                    running = self.running_direction(arg_nodes[0])
                    if running is not None:
                        fn = _running_total(node.name, fold, self.range_bounds(arg_nodes[0]), running, fn)
        return fn

    def function_name_as_lambda(self, node: Node) -> Node:
        """A LAMBDA argument that is the bare name of a library function (``SUM`` in ``BYROW(A1:C3, SUM)``), and
        neither a LET/LAMBDA name nor a defined name or table, as the function value ``_xleta.SUM``; any other
        argument as it is."""
        if (
            type(node) is Name and node.sheet is None and node.name.upper() in FUNCTIONS
            and self.local_binding(node) is None and self.name_definition(node) == _UNKNOWN_NAME
        ):
            return Name(ETA_PREFIX + node.name.upper())
        return node

    @staticmethod
    def running_direction(node: Node) -> bool | None:
        """For a range whose start is fixed and whose end is relative, whether it grows downwards (True: its first
        row is anchored, ``B$1:B9``) or across a single row (False: ``$B2:J2``); None for any other range (nothing to
        share). A range of several rows growing across is not shared: SUM adds row by row, so the columns it gains
        are not added last, and adding them to a shorter range's sum would change the order of the additions."""
        if type(node) is not RangeRef:
            return None
        if node.row1_abs and not node.row2_abs:
            return True
        if node.col1_abs and not node.col2_abs and node.row1 == node.row2:
            return False
        return None

    def range_bounds(self, node: Node) -> tuple[int, int, int, int, int]:
        """(sheet id, row1, col1, row2, col2) of a range on an existing sheet (``listed_range_keys`` checked it)."""
        assert type(node) is RangeRef
        sid = self.resolve_sheet(node.sheet)
        assert sid is not None
        return sid, node.row1, node.col1, node.row2, node.col2

    def listed_range_keys(self, nodes: list[Node]) -> list[Sequence[int]] | None:
        """The keys of the cells of each of ``nodes`` (tuples shared by every formula reading the same range) when
        every node is a range on an existing sheet small enough to list its keys, else None."""
        groups = []
        for node in nodes:
            if type(node) is not RangeRef:
                return None
            sid = self.resolve_sheet(node.sheet)
            r1, c1, r2, c2 = node.row1, node.col1, node.row2, node.col2
            if sid is None or (r2 - r1 + 1) * (c2 - c1 + 1) > PRECOMPUTED_RANGE_CELLS:
                return None
            groups.append(_range_keys(sid, r1, c1, r2, c2))
        return groups


def _resized(target: Node, like: Node) -> Node:
    """``target`` reference stretched to the shape of ``like`` from its top-left cell (SUMIF's sum_range rule)."""
    t, s = _bounds(target), _bounds(like)
    if t is None or s is None:
        return target
    rows, cols = s[3] - s[1], s[4] - s[2]
    if (t[3] - t[1], t[4] - t[2]) == (rows, cols) or t[1] + rows >= MAX_ROWS or t[2] + cols >= MAX_COLS:
        return target
    return RangeRef(t[0], t[1], t[2], t[1] + rows, t[2] + cols)


def _make_call(spec: FunctionSpec, args: list[Evaluator], array_mode: bool) -> Evaluator:
    impl = spec.impl
    if spec.reads_workbook:  # the workbook first; such functions handle error arguments themselves
        return lambda v: impl(v.get(WORKBOOK_KEY), *[a(v) for a in args])
    if spec.lazy:
        if spec.name == "IF":
            return _if(impl, *args)
        # zero-argument callables made with partial (a C-level object): far cheaper than lambdas per evaluation
        if len(args) == 2:
            b0, b1 = args
            return lambda v: impl(partial(b0, v), partial(b1, v))
        if len(args) == 3:
            b0, b1, b2 = args
            return lambda v: impl(partial(b0, v), partial(b1, v), partial(b2, v))
        return lambda v: impl(*[partial(a, v) for a in args])
    scalars = [
        i for i in range(len(args)) if not spec.takes_reference(i) and i not in spec.reference_args
    ]
    # Errors in scalar arguments are the result before the function runs (unless the function wants to see them,
    # as COUNTIF does with an error criterion); in array mode an array in a scalar argument applies the function
    # element-wise either way (COUNTIF(A1:A3,{1,3}) counts each criterion).
    checked = scalars if spec.propagate_errors else []
    lifted = scalars if array_mode else []
    n = len(args)
    if not checked and not lifted:
        if n == 1:
            a0 = args[0]
            return lambda v: impl(a0(v))
        return lambda v: impl(*[a(v) for a in args])
    all_checked = len(checked) == n
    lift = array_mode  # scalar functions applied element-wise to arrays in array mode
    propagate = spec.propagate_errors

    if n == 1 and all_checked:
        a0 = args[0]

        def call1(v: dict) -> Any:
            x = a0(v)
            if type(x) is ExcelError:
                return x
            if lift and type(x) is Matrix:
                return _map_matrix(impl, x)
            return impl(x)

        return call1

    def call_n(v: dict) -> Any:
        values = [a(v) for a in args]
        for i in checked:
            x = values[i]
            if type(x) is ExcelError:
                if any(type(values[j]) is str for j in checked if j < i):
                    break  # an earlier text argument may fail to convert first: FLOOR("x",1/0) is #VALUE!
                return x
        if lift and any(type(values[i]) is Matrix for i in lifted):
            return _lift_call(impl, values, lifted, propagate)
        return impl(*values)

    return call_n


def _map_matrix(fn: Callable[[Any], Any], m: Matrix) -> Matrix:
    return Matrix(m.rows, m.cols, [x if type(x) is ExcelError else _element(fn(x)) for x in m.values])


# The one-argument functions that answer for an error as for any other value (the IS* tests). Excel computes a
# legacy array formula cell by cell of its range, the argument taken at that cell's place and #N/A beyond its
# size, so where such a function's argument is smaller than the range the cells beyond hold the function's answer
# for #N/A (FALSE for ISBLANK, TRUE for ISNA), not #N/A: Excel's cached values for ISBLANK(D6:Q6) entered over 15
# cells, and ISERR/ISERROR/ISLOGICAL/ISNA/ISNONTEXT/ISNUMBER/ISTEXT alike, in the formulas library's test.xlsx.
_PER_CELL_OF_THE_RANGE = frozenset(
    {"ISBLANK", "ISERR", "ISERROR", "ISLOGICAL", "ISNA", "ISNONTEXT", "ISNUMBER", "ISTEXT"}
)


def _padded_with_the_function_of_na(fn: Evaluator, pad: Any, shape: tuple[int, int]) -> Evaluator:
    """``fn`` (a legacy array formula of ``shape``) with an array result laid over the range as Excel does for the
    functions of ``_PER_CELL_OF_THE_RANGE``: a one-row or one-column array repeats along the other axis, cells
    beyond the array get ``pad``."""
    rows, cols = shape

    def padded(v: dict) -> Any:
        value = fn(v)
        if type(value) is not Matrix or (value.rows >= rows and value.cols >= cols):
            return value
        return Matrix(rows, cols, fit_to_range(value, rows, cols, pad))

    return padded


def _lift_call(impl: Callable[..., Any], values: list[Any], lifted: list[int], propagate: bool = True) -> Matrix:
    """``impl`` applied element-wise over the arrays in the ``lifted`` positions (broadcast to their largest
    shape); with ``propagate`` an error element is the result at its place without calling ``impl``."""
    checked = lifted
    shapes = [(values[i].rows, values[i].cols) for i in checked if type(values[i]) is Matrix]
    rows = max(s[0] for s in shapes)
    cols = max(s[1] for s in shapes)
    out = []
    for r in range(rows):
        for c in range(cols):
            call_args = list(values)
            error = None
            for i in checked:
                x = values[i]
                if type(x) is Matrix:
                    x = _broadcast_at(x, r, c)
                    if propagate and type(x) is ExcelError:
                        error = x
                        break
                    call_args[i] = x
            out.append(error if error is not None else _element(impl(*call_args)))
    return Matrix(rows, cols, out)


def _if(impl: Callable[..., Any], condition: Evaluator, if_true: Evaluator, if_false: Evaluator | None = None
        ) -> Evaluator:
    """IF: a condition that is TRUE or FALSE (a comparison's result) picks its branch here; any other (a number,
    text, an error, an array) goes to the function with the condition as evaluated, so it is not evaluated twice."""
    if if_false is None:
        def one_branch(v: dict) -> Any:
            test = condition(v)
            if test is True:
                return if_true(v)
            if test is False:
                return False
            return impl(partial(_given, test), partial(if_true, v))

        return one_branch

    def two_branches(v: dict) -> Any:
        test = condition(v)
        if test is True:
            return if_true(v)
        if test is False:
            return if_false(v)
        return impl(partial(_given, test), partial(if_true, v), partial(if_false, v))

    return two_branches


def _given(value: Any) -> Any:
    return value


def _element(value: Any) -> Any:
    """One element of a function applied element-wise: where the function returns an array for an element, Excel
    keeps its first value (``TEXTSPLIT(A1:A3," ")`` gives the first word of each cell); a Reference result (INDEX
    over an array of positions) becomes the value of its cell."""
    if type(value) is Matrix:
        return value.values[0] if value.values else CALC
    if type(value) is not Reference:
        return value
    area = value.areas[0]
    values = STATE.values
    if values is None or len(value.areas) != 1 or area.row1 != area.row2 or area.col1 != area.col2:
        return VALUE
    record_read(area)
    return values.get(make_key(area.sheet, area.row1, area.col1))


def _broadcast_at(m: Matrix, r: int, c: int) -> Any:
    rr = 0 if m.rows == 1 else r
    cc = 0 if m.cols == 1 else c
    if rr >= m.rows or cc >= m.cols:
        return NA
    return m.values[rr * m.cols + cc]


def _binary(
    op: Callable[[Any, Any], Any], left: tuple[Evaluator, int | None, Any], right: tuple[Evaluator, int | None, Any]
) -> Evaluator:
    """``left op right`` as one closure; a cell operand is read and a constant taken in place (left first)."""
    f, fkey, fconst = left
    g, gkey, gconst = right
    if fkey is not None:
        if gkey is not None:
            return lambda v: op(v.get(fkey), v.get(gkey))
        if gconst is not None:
            return lambda v: op(v.get(fkey), gconst)
        return lambda v: op(v.get(fkey), g(v))
    if fconst is not None:
        if gkey is not None:
            return lambda v: op(fconst, v.get(gkey))
        return lambda v: op(fconst, g(v))
    if gkey is not None:
        return lambda v: op(f(v), v.get(gkey))
    if gconst is not None:
        return lambda v: op(f(v), gconst)
    return lambda v: op(f(v), g(v))


def _on_numbers(
    reduce: Callable[[list[float]], Any], groups: list[Sequence[int]], general: Evaluator
) -> Evaluator:
    """A call over ranges (the cells ``groups``, one tuple of keys per range): ``reduce`` of their numbers when the
    cells hold only numbers and empty cells, else the ``general`` call (text, booleans, errors: the function's own
    rules)."""

    def finish(values: list[Any], v: dict) -> Any:
        numbers = [x for x in values if type(x) is float]
        if len(numbers) != len(values) and len(numbers) + values.count(None) != len(values):
            return general(v)
        return reduce(numbers)

    if len(groups) == 1:
        keys = groups[0]

        def one_range(v: dict) -> Any:  # finish, inlined: this is the commonest formula there is
            values = list(map(v.get, keys))
            numbers = [x for x in values if type(x) is float]
            if len(numbers) != len(values) and len(numbers) + values.count(None) != len(values):
                return general(v)
            return reduce(numbers)

        return one_range
    return lambda v: finish(list(itertools.chain.from_iterable([map(v.get, keys) for keys in groups])), v)


# Whether ``sum`` adds floats one after another, as Excel's SUM does (Python 3.12 made it compensated; the running
# totals below add the same numbers in the same order one at a time, which then would differ in the last bits).
PLAIN_FLOAT_SUM = sum([1e100, 1.0, -1e100]) == 0.0
FUSED_CHAINS = True  # operator chains as one generated function each (off: a closure per operator, for tests)
FUSED_OPERATORS = 32  # the most operators fused into one function; a longer chain keeps its closures
RUNNING_TOTALS = True  # share running totals' work within a recalculation (off: each computed alone, for tests)


def _larger(best: float | None, x: float) -> float:
    return x if best is None or x > best else best  # the first of equal values, as max() keeps (0.0 / -0.0)


def _smaller(best: float | None, x: float) -> float:
    return x if best is None or x < best else best


def _zero_if_none(best: float | None) -> Any:
    return 0.0 if best is None else best  # MAX and MIN of no numbers are 0


# SUM, MAX and MIN of a range as a fold over its numbers in row order: (start, combine, finish).
_RUNNING_FOLDS: dict[str, tuple[Any, Callable[[Any, float], Any], Callable[[Any], Any]]] = {
    "SUM": (0.0, operator.add, check_number),
    "MAX": (None, _larger, _zero_if_none),
    "MIN": (None, _smaller, _zero_if_none),
}


def _running_total(name: str, fold: tuple[Any, Callable[[Any, float], Any], Callable[[Any], Any]],
                   bounds: tuple[int, int, int, int, int], downwards: bool, whole: Evaluator) -> Evaluator:
    """SUM, MAX or MIN of a range whose start is fixed and whose end is relative (``SUM(B$1:B9)``, a running total
    filled down; ``MAX($B2:J2)`` filled across a row), sharing its work with the other ranges of its family that
    the plan running now computes: a longer range folds its extra rows (columns, across) into the longest result
    known, a shorter one reads the result at its last row, kept for every row once a shorter range was asked for.
    A family of n running totals then costs about 2n rows in a recalculation instead of n²/2, whichever order the
    plan takes them in.

    Exact, not approximate: SUM adds a range's numbers in row order from 0, so the sum at the end of row k is the
    shorter range's SUM, bit for bit, and MAX and MIN keep the first of equal values as they do; empty cells, text
    and booleans, which the three skip in a range, are skipped. Extending stops at a cell holding anything else (an
    error): ``whole`` computes that range. Results are trusted only while the plan that computed them runs: every
    cell of a range is final when its formula runs (they are its precedents, earlier in dependency order) and a
    plan computes each formula once, so none changes after; the workbook withdraws them (``STATE.shared``) when cells
    change any other way: an array placed, an iterative calculation, the plan's end.
    """
    start, combine, finish = fold
    sid, r1, c1, r2, c2 = bounds
    if downwards:
        family: tuple[Any, ...] = (name, sid, r1, c1, c2, 0)
        width, stride, length, step = c2 - c1 + 1, 1 << ROW_SHIFT, r2 - r1 + 1, 1
    else:
        family = (name, sid, r1, c1, r2, 1)
        width, stride, length, step = r2 - r1 + 1, 1, c2 - c1 + 1, 1 << ROW_SHIFT
    first = make_key(sid, r1, c1)
    # SUM's result is its total; MAX's and MIN's 0 may be "no numbers", which no longer range may start from
    trusted = (lambda result: True) if name == "SUM" else (lambda result: result != 0.0)

    def fold_lines(v: dict, total: Any, lines: range, partial: list[Any] | None) -> tuple[bool, Any]:
        """(True, ``total`` folded with the numbers of ``lines`` (first keys of rows, or of columns across)), each
        line's result appended to ``partial``; (False, None) at a cell that is neither a number nor skipped."""
        for line in lines:
            for key in range(line, line + width * step, step):
                x: Any = v.get(key)
                t = type(x)
                if t is float:
                    total = combine(total, x)
                elif x is not None and t is not str and t is not bool:
                    return False, None
            if partial is not None:
                partial.append(total)
        return True, total

    def run(v: dict) -> Any:
        held = STATE.shared
        if held is None or held[0] is not v:
            return whole(v)
        sums = held[1]
        known = sums.get(family)
        if known is None:  # the first of its family in this plan: as fast as a lone call
            result = whole(v)
            if type(result) is float and trusted(result):
                sums[family] = ([], length, result)
            return result
        partial, longest, longest_total = known
        if length <= len(partial):
            return finish(partial[length - 1])
        if length == longest:
            return finish(longest_total)
        if length > longest:
            keep = partial if len(partial) == longest else None
            ok, total = fold_lines(v, longest_total, range(first + longest * stride, first + length * stride, stride),
                                   keep)
            if not ok:
                return whole(v)
            sums[family] = (partial, length, total)
            return finish(total)
        done = len(partial)
        ok, total = fold_lines(v, partial[-1] if done else start,
                               range(first + done * stride, first + length * stride, stride), partial)
        return finish(total) if ok else whole(v)

    return run


def _postfix(node: Node, out: list[tuple[str, Node | None]], count: list[int]) -> bool:
    """Append a fusable expression to ``out`` in postfix order: (operator, None) for an operator, (``operand``,
    node) for a cell, number or any other operand (compiled by itself); False once more than FUSED_OPERATORS
    operators are met."""
    while type(node) is Paren:
        node = node.inner
    if type(node) is Chain and node.ops[0] != " ":
        count[0] += len(node.ops)
        if count[0] > FUSED_OPERATORS or not _postfix(node.operands[0], out, count):
            return False
        for op, operand in zip(node.ops, node.operands[1:]):
            if type(operand) is CellRef or type(operand) is Number:  # the commonest operands: no recursion
                out.append(("operand", operand))
            elif not _postfix(operand, out, count):
                return False
            out.append((op, None))
        return True
    if type(node) is Unary and node.op == "+":
        return _postfix(node.operand, out, count)
    if type(node) is Unary or type(node) is Percent:
        count[0] += 1
        if count[0] > FUSED_OPERATORS or not _postfix(node.operand, out, count):
            return False
        out.append(("neg" if type(node) is Unary else "pct", None))
        return True
    out.append(("operand", node))
    return True


def _scalar_chain(node: Node) -> bool:
    """Whether a formula is operators over cells and numbers only: its value is always one cell value (a number,
    text, boolean or error; an empty cell reads as 0 in it), so it needs no conversion for the cell."""
    while type(node) is Paren:
        node = node.inner
    if type(node) is not Chain or node.ops[0] == " ":
        return False
    for operand in node.operands:
        while type(operand) is Paren:
            operand = operand.inner
        if type(operand) is not CellRef and type(operand) is not Number and not _scalar_chain(operand):
            return False
    return True


@lru_cache(maxsize=4096)
def _range_keys(sid: int, r1: int, c1: int, r2: int, c2: int) -> Sequence[int]:
    """The cell keys of a range, row by row. A long single row or column is a ``range`` of keys (constant memory:
    a running total's 8,000 ranges would otherwise hold 32 million keys); other ranges are a tuple, which is a
    little faster to read."""
    if (c1 == c2 or r1 == r2) and (r2 - r1 + 1) * (c2 - c1 + 1) > _LISTED_KEYS_LIMIT:
        first = make_key(sid, r1, c1)
        return range(first, make_key(sid, r2, c2) + 1, 1 << ROW_SHIFT if c1 == c2 else 1)
    return tuple(range_keys(sid, r1, c1, r2, c2))


def _top_level(fn: Evaluator) -> Evaluator:
    """A formula's result as the workbook stores it: a cell value (an empty reference reads as 0), or, for an
    array of more than one element, a list-backed Matrix of cell values that the workbook spills."""

    def top(v: dict) -> Any:
        value = fn(v)
        t = type(value)
        if t is float or t is str or t is bool or t is ExcelError:
            return value
        return _stored(value)

    return top


def _stored(value: Any) -> Any:
    """A formula's result that is not a float, text, boolean or error, as the workbook stores it."""
    if type(value) is Matrix:
        return array_result(value)
    return cell_value(value)


def cell_value(value: Any) -> Any:
    """A computed value as one cell holds it: empty reads as 0, a function value or an array inside it is #CALC!."""
    t = type(value)
    if t is float or t is str or t is bool or t is ExcelError:
        return value
    if value is None:
        return 0.0
    if t is int:
        return float(value)
    if t is Matrix or isinstance(value, LambdaValue):
        return CALC
    return VALUE


def array_result(value: Matrix) -> Any:
    """An array result: its only element as a cell value, #CALC! when empty, else a Matrix of cell values."""
    count = value.rows * value.cols
    if count == 1:
        return cell_value(value.values[0])
    if count == 0 or len(value.values) != count:
        return CALC
    values = list(value.values)
    if not all(type(x) is float for x in values):
        values = [cell_value(x) for x in values]
    return Matrix(value.rows, value.cols, values)


def intersect_value(value: Any, row: int, col: int) -> Any:
    """Excel's implicit intersection of a computed value at a formula in (row, col): a reference gives its cell in
    that row or column (#VALUE! if none), an array its top-left element, a single value itself."""
    if type(value) is not Matrix:
        return value
    if value.rows * value.cols == 1:
        return value.values[0]
    if value.is_reference and value.origin is not None:
        _, top, left = value.origin
        if value.cols == 1 and top <= row < top + value.rows:
            return value.values[row - top]
        if value.rows == 1 and left <= col < left + value.cols:
            return value.values[col - left]
        return VALUE
    return value.values[0] if value.values else CALC


def intersect_reference(value: Any, row: int, col: int) -> Any:
    """:func:`intersect_value` keeping a reference's chosen cell as a 1x1 reference Matrix."""
    if type(value) is not Matrix or not value.is_reference or value.origin is None:
        return intersect_value(value, row, col)
    sid, top, left = value.origin
    if value.rows * value.cols == 1:
        return value
    if value.cols == 1 and top <= row < top + value.rows:
        return Matrix(1, 1, [value.values[row - top]], True, (sid, row, left))
    if value.rows == 1 and left <= col < left + value.cols:
        return Matrix(1, 1, [value.values[col - left]], True, (sid, top, col))
    return VALUE


def _array_constant(node: ArrayLiteral) -> Matrix:
    rows: list[list[Any]] = []
    for row in node.rows:
        out: list[Any] = []
        for element in row:
            if isinstance(element, Number):
                out.append(element.value)
            elif isinstance(element, Unary):
                value = element.operand.value  # type: ignore[attr-defined]
                out.append(-value if element.op == "-" else value)
            elif isinstance(element, (Text, Bool)):
                out.append(element.value)
            elif isinstance(element, ErrorLiteral):
                out.append(error_from_code(element.code))
        rows.append(out)
    return Matrix.from_rows(rows)


# --------------------------------------------------------------------------------------------- operators
def _elementwise(fn: Callable[[Any, Any], Any], a: Any, b: Any) -> Matrix:
    """A scalar binary operator applied element-wise (broadcasting 1-row/1-column arrays, #N/A padding)."""
    ma = a if type(a) is Matrix else Matrix(1, 1, [a])
    mb = b if type(b) is Matrix else Matrix(1, 1, [b])
    rows = max(ma.rows, mb.rows)
    cols = max(ma.cols, mb.cols)
    out = [fn(_broadcast_at(ma, r, c), _broadcast_at(mb, r, c)) for r in range(rows) for c in range(cols)]
    return Matrix(rows, cols, out)


def _numbers(a: Any, b: Any) -> tuple[float, float] | ExcelError | None:
    """Both operands coerced to numbers, the first error, or None when an operand is an array (lift instead)."""
    ta, tb = type(a), type(b)
    if ta is Matrix or tb is Matrix:
        return None
    if ta is not float:
        if ta is ExcelError:
            return a
        a = to_number(a)
        if type(a) is ExcelError:
            return a
    if tb is not float:
        if tb is ExcelError:
            return b
        b = to_number(b)
        if type(b) is ExcelError:
            return b
    return a, b


# Excel and LibreOffice return exactly 0 when adding two numbers that cancel to within ~15 significant digits
# (so =0.1+0.2-0.3 is 0, not 5.55E-17). The relative tolerance is 2^-48, as in LibreOffice's approxAdd/approxSub.
_CANCEL = 2.0**-48


def _add(a: Any, b: Any) -> Any:
    if type(a) is not float or type(b) is not float:
        p = _numbers(a, b)
        if p is None:
            return _elementwise(_add, a, b)
        if type(p) is ExcelError:
            return p
        a, b = p
    r = a + b
    if (a < 0.0) != (b < 0.0) and abs(r) < _CANCEL * abs(a) and r != 0.0:
        return 0.0
    return r if -1.8e308 < r < 1.8e308 else NUM


def _sub(a: Any, b: Any) -> Any:
    if type(a) is not float or type(b) is not float:
        p = _numbers(a, b)
        if p is None:
            return _elementwise(_sub, a, b)
        if type(p) is ExcelError:
            return p
        a, b = p
    r = a - b
    if (a < 0.0) == (b < 0.0) and abs(r) < _CANCEL * abs(a) and r != 0.0:
        return 0.0
    return r if -1.8e308 < r < 1.8e308 else NUM


def _mul(a: Any, b: Any) -> Any:
    if type(a) is float and type(b) is float:
        r = a * b
    else:
        p = _numbers(a, b)
        if p is None:
            return _elementwise(_mul, a, b)
        if type(p) is ExcelError:
            return p
        r = p[0] * p[1]
    return r if -1.8e308 < r < 1.8e308 else NUM


def _div(a: Any, b: Any) -> Any:
    p = _numbers(a, b)
    if p is None:
        return _elementwise(_div, a, b)
    if type(p) is ExcelError:
        return p
    if p[1] == 0:
        return DIV0
    r = p[0] / p[1]
    return r if -1.8e308 < r < 1.8e308 else NUM


def _pow(a: Any, b: Any) -> Any:
    p = _numbers(a, b)
    if p is None:
        return _elementwise(_pow, a, b)
    if type(p) is ExcelError:
        return p
    x, y = p
    if x == 0 and y == 0:
        return NUM  # Excel: 0^0 is #NUM!
    if x == 0 and y < 0:
        return DIV0
    try:
        r = math.pow(x, y)
    except (OverflowError, ValueError):
        return NUM
    return r if -1.8e308 < r < 1.8e308 else NUM


def _concat(a: Any, b: Any) -> Any:
    if type(a) is Matrix or type(b) is Matrix:
        return _elementwise(_concat, a, b)
    if type(a) is ExcelError:
        return a
    if type(b) is ExcelError:
        return b
    ta = a if type(a) is str else to_text(a)
    tb = b if type(b) is str else to_text(b)
    if type(ta) is ExcelError:
        return ta
    if type(tb) is ExcelError:
        return tb
    joined = ta + tb
    return joined if len(joined) <= 32767 else VALUE  # Excel's limit on text in a cell


def _comparison(fast: Callable[[Any, Any], bool], test: Callable[[int], bool]) -> Callable[[Any, Any], Any]:
    """A comparison operator: ``fast`` compares two floats directly, ``test`` reads Excel's compare() result."""

    def op(a: Any, b: Any) -> Any:
        ta, tb = type(a), type(b)
        if ta is float and tb is float:
            if a != b and a != 0.0 and b != 0.0:
                gap = abs(a - b)
                if gap < _CANCEL * abs(a) and gap < _CANCEL * abs(b):
                    return test(0)  # equal to 15 digits: 0.1+0.2=0.3 is TRUE, as in Excel and LibreOffice
            return fast(a, b)
        if ta is Matrix or tb is Matrix:
            return _elementwise(op, a, b)
        if ta is ExcelError:
            return a
        if tb is ExcelError:
            return b
        return test(compare(a, b))

    return op


def _negate(x: Any) -> Any:
    if type(x) is float:
        return -x
    if type(x) is Matrix:
        return _map_matrix(_negate, x)
    n = to_number(x)
    return n if type(n) is ExcelError else -n


def _percent(x: Any) -> Any:
    if type(x) is Matrix:
        return _map_matrix(_percent, x)
    n = to_number(x)
    return n if type(n) is ExcelError else n / 100.0


_BINARY: dict[str, Callable[[Any, Any], Any]] = {
    "+": _add,
    "-": _sub,
    "*": _mul,
    "/": _div,
    "^": _pow,
    "&": _concat,
    "=": _comparison(operator.eq, lambda c: c == 0),
    "<>": _comparison(operator.ne, lambda c: c != 0),
    "<": _comparison(operator.lt, lambda c: c < 0),
    "<=": _comparison(operator.le, lambda c: c <= 0),
    ">": _comparison(operator.gt, lambda c: c > 0),
    ">=": _comparison(operator.ge, lambda c: c >= 0),
}

_FUSION = ChainFusion(_BINARY, _negate, _percent, _stored, _CANCEL, NUM, DIV0)

__all__ = [
    "MAX_COLS", "MAX_ROWS", "WORKBOOK_KEY", "CompiledFormula", "FormulaCompiler", "array_result", "cell_value",
    "extent_key", "intersect_value", "spill_key",
]
