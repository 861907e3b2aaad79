"""Operator chains compiled to one Python function each.

A formula such as ``=J4*0.99+B5-I5*0.001`` is, as closures, one closure per operator and one call of the operator's
function per operator: eight Python calls for four operations. This module turns such a chain into the source of
one function that reads its cells and does the arithmetic on floats inline, calling the operator's function only
when an operand is not a float (text, a boolean, an empty cell, an error, an array), so the result is the operator
function's in every case, to the bit.

A chain is described by a *program*: its operands and operators in postfix order, e.g. ``("cell", "float", "*",
"cell", "+")``, and the values its operands need (cell keys, constants, closures of other sub-expressions), passed
as parameters. Every formula of one program shares one generated factory (the source is compiled once per
program); a formula's function is the factory called with that formula's parameters, which costs one call.
Compiling source is slow next to building closures, so a program is generated only once several formulas have
asked for it (:func:`uses_before_generating`); until then they keep their closures.

Operands: ``cell`` reads a key from the values dict, ``float`` is a number constant, ``value`` a constant of any
other type (an error), ``call`` runs a closure on the values dict. Unary operators: ``neg`` (``-x``), ``pct``
(``x%``), and ``cell_value`` (the value as a cell stores it). Binary operators: Excel's ``+ - * / ^ & = <> < <= > >=``.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Mapping, Sequence
from typing import Any

OPERANDS = ("cell", "float", "value", "call")
UNARY = ("neg", "pct")
CELL_VALUE = "cell_value"
_COMPARISONS = {"=": "==", "<>": "!=", "<": "<", "<=": "<=", ">": ">", ">=": ">="}
_EQUAL_RESULT = {"=": True, "<>": False, "<": False, "<=": True, ">": False, ">=": True}  # when equal to 15 digits
_OPERATOR_NAMES = {
    "+": "ADD", "-": "SUB", "*": "MUL", "/": "DIV", "^": "POW", "&": "CONCAT",
    "=": "EQ", "<>": "NE", "<": "LT", "<=": "LE", ">": "GT", ">=": "GE",
}
_FACTORIES_KEPT = 4096


class ChainFusion:
    """Builds the function of an operator chain from its program (see the module docstring).

    ``operators`` maps each binary operator to the function closures would call for it, ``negate`` and ``percent``
    are the unary ones; ``to_cell`` makes any other result a cell value (the postfix ``cell_value`` step, last in
    the program of a formula's whole expression: floats, text, booleans and errors are cell values already);
    ``cancel`` is the relative tolerance under which a sum or difference of two numbers of
    opposite effect is exactly 0 (and two numbers compare equal); ``overflow`` and ``divide_by_zero`` are the
    errors of a result beyond the float range and of a division by zero. The inline float code repeats what those
    functions do for two floats; anything else goes to the function.
    """

    def __init__(
        self,
        operators: Mapping[str, Callable[[Any, Any], Any]],
        negate: Callable[[Any], Any],
        percent: Callable[[Any], Any],
        to_cell: Callable[[Any], Any],
        cancel: float,
        overflow: Any,
        divide_by_zero: Any,
    ) -> None:
        self._namespace: dict[str, Any] = {
            _OPERATOR_NAMES[op]: fn for op, fn in operators.items() if op in _OPERATOR_NAMES
        }
        self._namespace.update(
            NEG=negate, PCT=percent, TO_CELL=to_cell, ERROR=type(overflow), CANCEL=cancel, NUM=overflow,
            DIV0=divide_by_zero, abs=abs,
        )
        # a program's factory once generated, else how many times it was asked for (least recently used first)
        self._factories: OrderedDict[tuple[str, ...], Any] = OrderedDict()

    def ready(self, program: tuple[str, ...]) -> bool:
        """Whether ``program`` is generated: True once it has been asked for :func:`uses_before_generating` times
        (it is then compiled, once). Compiling the source costs about 0.1 ms per operator, dozens of times what
        closures cost, so a structure is generated only once enough formulas share it; until then, and for a
        structure met once, the caller keeps closures (the same values)."""
        entry = self._factories.get(program)
        if entry is not None and type(entry) is not int:
            self._factories.move_to_end(program)
            return True
        uses = 1 if entry is None else entry + 1
        if uses < uses_before_generating(program):
            self._keep(program, uses)
            return False
        self._keep(program, self._factory(program))
        return True

    def evaluator(self, program: tuple[str, ...], parameters: Sequence[Any]) -> Callable[[dict], Any]:
        """The chain's function: ``program``'s factory called with ``parameters`` (generated now if it is not)."""
        factory = self._factories.get(program)
        if factory is None or type(factory) is int:
            factory = self._factory(program)
            self._keep(program, factory)
        return factory(*parameters)

    def _keep(self, program: tuple[str, ...], entry: Any) -> None:
        """Remember a program's factory, or how often it was asked for; the least recently used are forgotten."""
        self._factories[program] = entry
        self._factories.move_to_end(program)
        if len(self._factories) > _FACTORIES_KEPT:
            self._factories.popitem(last=False)

    def source(self, program: tuple[str, ...]) -> str:
        """The Python source of ``program``'s factory (``make``)."""
        lines: list[str] = []
        stack: list[tuple[str, bool]] = []  # (expression, known to be a float)
        parameters: list[str] = []
        reads_cells = False

        def fresh() -> str:
            return f"x{len(lines)}"

        for token in program:
            if token in OPERANDS:
                name = f"p{len(parameters)}"
                parameters.append(name)
                if token == "cell":
                    reads_cells = True
                    var = fresh()
                    lines.append(f"{var} = get({name})")
                    stack.append((var, False))
                elif token == "call":
                    var = fresh()
                    lines.append(f"{var} = {name}(v)")
                    stack.append((var, False))
                else:
                    stack.append((name, token == "float"))
            elif token == CELL_VALUE:
                operand, _ = stack.pop()
                var = fresh()
                lines.append(f"t = type({operand})")
                lines.append(
                    f"{var} = {operand} if t is float or t is str or t is bool or t is ERROR else TO_CELL({operand})"
                )
                stack.append((var, False))
            elif token in UNARY:
                operand, is_float = stack.pop()
                var = fresh()
                fast = f"-{operand}" if token == "neg" else f"{operand} / 100.0"
                if is_float:
                    lines.append(f"{var} = {fast}")
                else:
                    slow = "NEG" if token == "neg" else "PCT"
                    lines.append(f"{var} = {fast} if type({operand}) is float else {slow}({operand})")
                stack.append((var, False))
            else:
                right, right_float = stack.pop()
                left, left_float = stack.pop()
                var = fresh()
                lines.extend(_binary_lines(token, var, left, left_float, right, right_float))
                stack.append((var, False))
        if len(stack) != 1:
            raise ValueError(f"malformed operator program {program!r}")
        result = stack[0][0]
        body = (["get = v.get"] if reads_cells else []) + lines + [f"return {result}"]
        return "\n".join(
            [f"def make({', '.join(parameters)}):", "    def fused(v):"]
            + [f"        {line}" for line in body]
            + ["    return fused"]
        )

    def _factory(self, program: tuple[str, ...]) -> Callable[..., Callable[[dict], Any]]:
        namespace = dict(self._namespace)
        exec(compile(self.source(program), "<fused operator chain>", "exec"), namespace)
        factory: Callable[..., Callable[[dict], Any]] = namespace["make"]
        return factory


def uses_before_generating(program: tuple[str, ...]) -> int:
    """How many formulas must share a program before it is generated: 2 per operator, plus 2. A chain filled down a
    column is generated from its fourth to tenth row on (for one to four operators); a long chain that few formulas
    share keeps its closures."""
    operators = sum(1 for token in program if token not in OPERANDS and token != CELL_VALUE)
    return 2 * operators + 2


def _binary_lines(op: str, var: str, left: str, left_float: bool, right: str, right_float: bool) -> list[str]:
    """Statements setting ``var`` to ``left op right``: inline for two floats, the operator's function otherwise."""
    slow = f"{var} = {_OPERATOR_NAMES[op]}({left}, {right})"
    if op == "+" or op == "-":
        sign = "!=" if op == "+" else "=="
        fast = [
            f"{var} = {left} {op} {right}",
            f"if ({left} < 0.0) {sign} ({right} < 0.0) and abs({var}) < CANCEL * abs({left}) and {var} != 0.0:",
            f"    {var} = 0.0",
            f"elif not -1.8e308 < {var} < 1.8e308:",
            f"    {var} = NUM",
        ]
    elif op == "*":
        fast = [f"{var} = {left} * {right}", f"if not -1.8e308 < {var} < 1.8e308:", f"    {var} = NUM"]
    elif op == "/":
        fast = [
            f"if {right} == 0.0:",
            f"    {var} = DIV0",
            "else:",
            f"    {var} = {left} / {right}",
            f"    if not -1.8e308 < {var} < 1.8e308:",
            f"        {var} = NUM",
        ]
    elif op in _COMPARISONS:
        gap = f"abs({left} - {right})"
        fast = [
            f"if {left} != {right} and {left} != 0.0 and {right} != 0.0 and {gap} < CANCEL * abs({left}) "
            f"and {gap} < CANCEL * abs({right}):",
            f"    {var} = {_EQUAL_RESULT[op]}",
            "else:",
            f"    {var} = {left} {_COMPARISONS[op]} {right}",
        ]
    else:  # ^ and &: no inline form
        return [slow]
    tests = [f"type({name}) is float" for name, known in ((left, left_float), (right, right_float)) if not known]
    if not tests:
        return fast
    return [f"if {' and '.join(tests)}:"] + [f"    {line}" for line in fast] + ["else:", f"    {slow}"]


__all__ = ["CELL_VALUE", "OPERANDS", "UNARY", "ChainFusion", "uses_before_generating"]
