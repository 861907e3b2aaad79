"""Local names: LET and LAMBDA, function values, and calling them.

LET and LAMBDA bind names for the expression inside them, so they are compiled here, next to the compiler, rather
than called like the functions of :mod:`sheetrl.sheet.functions`.

Binding model. Every name that LET or LAMBDA binds is one :class:`Binding`, created when the formula is compiled;
a use of the name compiles to a read of its binding (``binding.value``), resolved at compile time through
:class:`LocalScope` (innermost binding first, before any defined name). At run time a LET or a LAMBDA call saves the
current values of its bindings, sets them, evaluates its body and restores them, so recursion and re-entrant calls
(MAP calling the same LAMBDA many times, a LAMBDA calling itself through a parameter) each see their own values.
A LAMBDA that is used after the expression that made it has finished (returned by LET, passed to MAP) keeps the
values of the outer names it uses: :class:`LambdaValue` snapshots them when it is created (a closure).

Excel's rules kept here: LET takes name/value pairs and a final calculation; LAMBDA takes parameter names and a
final calculation; names are case-insensitive and must be plain names (not cell references); a LAMBDA called with
more arguments than parameters, or fewer than its required ones, is #VALUE!; an argument left empty (``f(1,)``) or an
optional parameter not given is *omitted* (ISOMITTED is TRUE for it and it reads as empty); a LAMBDA left uncalled
in a cell shows #CALC!. Optional parameters are written ``[b]`` in Excel and stored as ``_xlop.b`` in files; the
engine keeps the file form (``LAMBDA(a,_xlop.b,...)``), which it reads and writes as Excel does.

Function names as LAMBDAs ("eta-reduced" lambdas). Where a LAMBDA is expected (BYROW's, MAP's, REDUCE's ...
GROUPBY's and PIVOTBY's function argument: :data:`LAMBDA_ARGUMENTS`), Excel takes the name of a library function
alone: ``BYROW(A1:C3, SUM)`` means ``BYROW(A1:C3, LAMBDA(row, SUM(row)))``. Files store such a name with the prefix
``_xleta.`` (``BYROW(A1:C3,_xleta.SUM)``), and a name with that prefix is a function value wherever it appears
(``TYPE(_xleta.SUM)`` is 128). A bare name is a function value only in those argument positions, and only when no
defined name or table of that spelling exists (a defined name comes first, as everywhere); elsewhere a bare ``SUM`` is
an ordinary name (``#NAME?`` unless defined), which is how Excel reads files that spell it so. The value is a
:class:`FunctionLambda`: it takes as many arguments as the function does (``SUM`` one or more, ``PERCENTOF`` exactly
two), so BYROW(..., IF) is ``#VALUE!`` like a LAMBDA with the wrong number of parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sheetrl.sheet.errors import NAME, NUM, VALUE, ExcelError, FormulaSyntaxError
from sheetrl.sheet.nodes import Call, Missing, Name, Node, Paren, render

if TYPE_CHECKING:
    from sheetrl.sheet.compiler import FormulaCompiler

Evaluator = Callable[[dict], Any]

# How files mark an optional LAMBDA parameter (Excel shows it as [name]).
OPTIONAL_PREFIX = "_XLOP."
# How files mark a library function's name used as a LAMBDA (``_xleta.SUM``).
ETA_PREFIX = "_XLETA."
# The arguments that take a LAMBDA, where a function's bare name stands for one: function -> test of (argument index,
# number of arguments).
LAMBDA_ARGUMENTS: dict[str, Callable[[int, int], bool]] = {
    "MAP": lambda i, n: n >= 2 and i == n - 1,
    "REDUCE": lambda i, n: i == 2,
    "SCAN": lambda i, n: i == 2,
    "BYROW": lambda i, n: i == 1,
    "BYCOL": lambda i, n: i == 1,
    "MAKEARRAY": lambda i, n: i == 2,
    "GROUPBY": lambda i, n: i == 2,
    "PIVOTBY": lambda i, n: i == 3,
}
# Nested LAMBDA calls beyond this depth give #NUM! (a recursion that never ends must not exhaust Python's stack).
MAX_CALL_DEPTH = 120


class _Omitted:
    """The value of a LAMBDA parameter whose argument was left out (reads as an empty cell)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "OMITTED"


OMITTED = _Omitted()


class Binding:
    """One name bound by LET or LAMBDA; ``value`` is its value in the evaluation under way."""

    __slots__ = ("name", "value")

    def __init__(self, name: str) -> None:
        self.name = name
        self.value: Any = None

    def __repr__(self) -> str:
        return f"Binding({self.name!r})"


class LambdaValue:
    """A LAMBDA as a value: call it with argument values to get its result (a cell value or an array).

    Functions such as MAP receive one and call it like a Python function.
    """

    __slots__ = ("body", "captured", "cells", "parameters", "required")

    def __init__(
        self,
        parameters: tuple[Binding, ...],
        body: Evaluator,
        captured: tuple[tuple[Binding, Any], ...],
        cells: dict,
        required: int | None = None,
    ) -> None:
        self.parameters = parameters
        self.required = len(parameters) if required is None else required  # the ones not marked optional
        self.body = body
        self.captured = captured  # outer names the body uses, with their values when the LAMBDA was made
        self.cells = cells  # the workbook's values, which the body's references read

    @property
    def arity(self) -> int:
        return len(self.parameters)

    def __call__(self, *args: Any) -> Any:
        if len(args) > len(self.parameters) or len(args) < self.required:
            return VALUE
        return _run(self.parameters, self.body, self.captured, self.cells, args)

    def __repr__(self) -> str:
        return f"LambdaValue({', '.join(b.name for b in self.parameters)})"


class FunctionLambda(LambdaValue):
    """A library function as a LAMBDA (``SUM`` in ``BYROW(A1:C3, SUM)``): a call passes its arguments to the function.

    It takes from ``required`` to ``arity`` arguments, the function's own range. ``bodies`` gives, for a number of
    arguments, the parameters and the compiled call of the function on them (compiled once per formula and count).
    """

    __slots__ = ("bodies", "most", "name")

    def __init__(
        self,
        name: str,
        fewest: int,
        most: int,
        bodies: Callable[[int], tuple[tuple[Binding, ...], Evaluator] | None],
        cells: dict,
    ) -> None:
        super().__init__((), _no_body, (), cells, fewest)
        self.name = name
        self.most = most
        self.bodies = bodies

    @property
    def arity(self) -> int:
        return self.most

    def __call__(self, *args: Any) -> Any:
        if not self.required <= len(args) <= self.most:
            return VALUE
        compiled = self.bodies(len(args))
        if compiled is None:
            return VALUE
        parameters, body = compiled
        return _run(parameters, body, (), self.cells, args)

    def __repr__(self) -> str:
        return f"FunctionLambda({self.name})"


def _no_body(v: dict) -> Any:
    return VALUE


_depth = 0


def _run(
    parameters: tuple[Binding, ...], body: Evaluator, captured: tuple[tuple[Binding, Any], ...], cells: dict,
    args: tuple[Any, ...],
) -> Any:
    """Evaluate a LAMBDA's body with its parameters bound to ``args`` (the rest omitted) and its captured names
    restored, then put every binding back as it was."""
    global _depth
    if _depth >= MAX_CALL_DEPTH:
        return NUM
    saved = [b.value for b in parameters]
    saved_outer = [b.value for b, _ in captured]
    for binding, value in captured:
        binding.value = value
    for index, binding in enumerate(parameters):
        binding.value = args[index] if index < len(args) else OMITTED
    _depth += 1
    try:
        return body(cells)
    except RecursionError:
        return NUM
    finally:
        _depth -= 1
        for binding, value in zip(parameters, saved):
            binding.value = value
        for (binding, _), value in zip(captured, saved_outer):
            binding.value = value


class LocalScope:
    """The names bound around the expression being compiled: a stack of frames, innermost last.

    While a LAMBDA body is compiled, every binding it reads from outside its own frames is recorded as captured.
    """

    def __init__(self) -> None:
        self.frames: list[dict[str, Binding]] = []
        self.lambdas: list[tuple[int, dict[Binding, None]]] = []  # (index of the LAMBDA's frame, captured bindings)

    def lookup(self, name: str) -> Binding | None:
        """The innermost binding of ``name`` (case-insensitive), or None when no LET/LAMBDA around binds it."""
        upper = name.upper()
        for depth in range(len(self.frames) - 1, -1, -1):
            binding = self.frames[depth].get(upper)
            if binding is not None:
                for start, captured in self.lambdas:
                    if depth < start:
                        captured[binding] = None
                return binding
        return None

    def __bool__(self) -> bool:
        return bool(self.frames)


def _name_of(node: Node, function: str, what: str) -> str:
    while type(node) is Paren:
        node = node.inner
    if type(node) is not Name:
        raise FormulaSyntaxError(
            render(node) or "(empty)", 0, f"{function} {what} must be a name (such as x or total), not {render(node)!r}"
        )
    return node.name


def read_binding(binding: Binding) -> Evaluator:
    """Evaluator of a use of a bound name (an omitted LAMBDA argument reads as an empty cell)."""

    def read(v: dict) -> Any:
        value = binding.value
        return None if value is OMITTED else value

    return read


def compile_let(compiler: FormulaCompiler, node: Call) -> Evaluator:
    """``LET(name1, value1, [name2, value2, ...], calculation)``."""
    args = node.args
    if len(args) < 3 or len(args) % 2 == 0:
        raise FormulaSyntaxError(render(node), 0, "LET takes name, value pairs followed by a calculation")
    frame: dict[str, Binding] = {}
    compiler.scope.frames.append(frame)
    try:
        bindings: list[tuple[Binding, Evaluator]] = []
        for index in range(0, len(args) - 1, 2):
            name = _name_of(args[index], "LET", "names")
            if name.upper() in frame:
                raise FormulaSyntaxError(render(node), 0, f"LET binds the name {name} twice")
            value = compiler.reference_or_value(args[index + 1], True)
            binding = Binding(name)
            frame[name.upper()] = binding  # after its value is compiled: a name's value cannot use the name itself
            bindings.append((binding, value))
        body = compiler.reference_or_value(args[-1], True)
    finally:
        compiler.scope.frames.pop()

    def let(v: dict) -> Any:
        saved = [binding.value for binding, _ in bindings]
        try:
            for binding, value in bindings:
                binding.value = value(v)
            return body(v)
        finally:
            for (binding, _), old in zip(bindings, saved):
                binding.value = old

    return let


def compile_lambda(compiler: FormulaCompiler, node: Call) -> Evaluator:
    """``LAMBDA([parameter1, ...], calculation)``: evaluates to a :class:`LambdaValue`."""
    args = node.args
    if not args:
        raise FormulaSyntaxError(render(node), 0, "LAMBDA needs a calculation")
    frame: dict[str, Binding] = {}
    required = 0
    for parameter in args[:-1]:
        name = _name_of(parameter, "LAMBDA", "parameters")
        optional = name.upper().startswith(OPTIONAL_PREFIX)
        if optional:
            name = name[len(OPTIONAL_PREFIX) :]
        elif len(frame) > required:
            raise FormulaSyntaxError(render(node), 0, "LAMBDA's optional parameters must come after the others")
        else:
            required += 1
        if name.upper() in frame:
            raise FormulaSyntaxError(render(node), 0, f"LAMBDA has two parameters named {name}")
        frame[name.upper()] = Binding(name)
    scope = compiler.scope
    captured: dict[Binding, None] = {}
    scope.lambdas.append((len(scope.frames), captured))
    scope.frames.append(frame)
    try:
        body = compiler.reference_or_value(args[-1], True)
    finally:
        scope.frames.pop()
        scope.lambdas.pop()
    parameters = tuple(frame.values())
    outer = tuple(captured)
    if not outer:
        return lambda v: LambdaValue(parameters, body, (), v, required)
    return lambda v: LambdaValue(parameters, body, tuple((b, b.value) for b in outer), v, required)


def compile_isomitted(compiler: FormulaCompiler, node: Call) -> Evaluator:
    """``ISOMITTED(parameter)``: TRUE when a LAMBDA was called without that argument."""
    if len(node.args) != 1:
        raise FormulaSyntaxError(render(node), 0, f"ISOMITTED takes 1 argument, got {len(node.args)}")
    argument = node.args[0]
    while type(argument) is Paren:
        argument = argument.inner
    binding = compiler.scope.lookup(argument.name) if type(argument) is Name else None
    if binding is None:  # not a parameter: never omitted (an error in the argument is the result)
        inner = compiler.scalar(argument, True)

        def not_omitted(v: dict) -> Any:
            value = inner(v)
            return value if type(value) is ExcelError else False

        return not_omitted
    return lambda v: binding.value is OMITTED


def compile_invocation(compiler: FormulaCompiler, callee: Evaluator, arg_nodes: tuple[Node, ...]) -> Evaluator:
    """A call of a function value: omitted arguments stay omitted, references stay references."""
    args = [
        (lambda v: OMITTED) if type(a) is Missing else compiler.reference_or_value(a, True) for a in arg_nodes
    ]

    def invoke(v: dict) -> Any:
        function = callee(v)
        if not isinstance(function, LambdaValue):
            return function if type(function) is ExcelError else VALUE
        return function(*[a(v) for a in args])

    return invoke


def eta_function(name: str) -> str | None:
    """The library function a name marked with ``_xleta.`` stands for (upper case), or None for another name."""
    if name[: len(ETA_PREFIX)].upper() != ETA_PREFIX:
        return None
    upper = name[len(ETA_PREFIX) :].upper()
    for prefix in ("_XLFN._XLWS.", "_XLFN.", "_XLWS."):
        if upper.startswith(prefix):
            return upper[len(prefix) :]
    return upper


def compile_function_value(compiler: FormulaCompiler, name: str) -> Evaluator:
    """A library function's name as a LAMBDA: evaluates to a :class:`FunctionLambda` (#NAME? for an unknown name).

    The call of the function on bound parameters is compiled the way the compiler compiles ``NAME(a, b)`` inside a
    LAMBDA, once per number of arguments: the smallest count at once (so that a volatile function makes the formula
    volatile), others when first called.
    """
    from sheetrl.sheet.functions import FUNCTIONS  # here: the function library imports this module

    spec = FUNCTIONS.get(name)
    if spec is None:
        return lambda v: NAME
    bodies: dict[int, tuple[tuple[Binding, ...], Evaluator] | None] = {}

    def body(count: int) -> tuple[tuple[Binding, ...], Evaluator] | None:
        if count in bodies:
            return bodies[count]
        parameters = tuple(Binding(f"_eta{index}") for index in range(count))
        scope = compiler.scope
        scope.frames.append({b.name.upper(): b for b in parameters})
        try:
            call = Call(name, tuple(Name(b.name) for b in parameters))
            compiled: tuple[tuple[Binding, ...], Evaluator] | None = (
                parameters, compiler.reference_or_value(call, True)
            )
        except FormulaSyntaxError:
            compiled = None
        finally:
            scope.frames.pop()
        bodies[count] = compiled
        return compiled

    fewest, most = spec.min_args, spec.max_args
    body(max(fewest, min(1, most)))
    return lambda v: FunctionLambda(name, fewest, most, body, v)


# Functions whose arguments bind names: compiled by the functions above, not called like library functions.
SPECIAL_FORMS: dict[str, Callable[[FormulaCompiler, Call], Evaluator]] = {
    "LET": compile_let,
    "LAMBDA": compile_lambda,
    "ISOMITTED": compile_isomitted,
}

__all__ = [
    "ETA_PREFIX", "LAMBDA_ARGUMENTS", "OMITTED", "SPECIAL_FORMS", "Binding", "FunctionLambda", "LambdaValue",
    "LocalScope", "compile_function_value", "compile_invocation", "eta_function", "read_binding",
]
