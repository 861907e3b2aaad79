"""Tokens -> syntax tree, by precedence climbing.

Excel precedence, tightest first: the reference operators (range ``:``, intersection `` ``, union ``,`` inside
parentheses), unary ``-``/``+``, ``%``, ``^``, ``* /``, ``+ -``, ``&``, comparisons. ``A1:B2`` is one REF token;
the range operator between anything else (``A1:INDEX(B1:B9,3)``, ``Name1:Name2``) is a :class:`RangeOp` node, an
intersection a :class:`Chain` of ``' '`` operators, a union a :class:`Union`. All binary operators are
left-associative (``2^3^2`` is 64 and ``-2^2`` is 4, as in Excel). Nesting (parentheses, calls, unary signs) is limited
to :data:`MAX_NESTING` levels so that neither parsing nor evaluation can exhaust the interpreter's stack; deeper text
gets a clear FormulaSyntaxError.
"""

from __future__ import annotations

from collections import OrderedDict

from sheetrl.sheet.address import MAX_COLS, MAX_ROWS, column_index, split_sheet
from sheetrl.sheet.errors import AddressError, FormulaSyntaxError
from sheetrl.sheet.lexer import Token, tokenize
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
    Text,
    Unary,
    Union,
)
from sheetrl.sheet.tables import StructuredRefError, parse_structured_reference

MAX_NESTING = 64  # Excel's limit on nested functions; it also bounds stack use everywhere downstream

# binary precedence levels, loosest first
_LEVELS: tuple[frozenset[str], ...] = (
    frozenset({"=", "<>", "<", "<=", ">", ">="}),
    frozenset({"&"}),
    frozenset({"+", "-"}),
    frozenset({"*", "/"}),
    frozenset({"^"}),
)
_LEVEL_OF = {op: level for level, ops in enumerate(_LEVELS) for op in ops}
_POSTFIX_OR_REFERENCE_OPERATORS = frozenset({"%", ":", " "})  # what binds to an operand tighter than any level


def parse_reference(text: str) -> Node:
    """Turn a REF token's text ('A1', '$A$1:B2', 'Sheet2!A:A', "'My s'!1:3", 'S!#REF!') into a reference node."""
    sheet, body = split_sheet(text)
    if body == "#REF!":
        return RefError(sheet)
    if ":" not in body:
        return _parse_cell_ref(sheet, body)
    first, _, last = body.partition(":")
    a, b = first.replace("$", ""), last.replace("$", "")
    if a.isalpha() and b.isalpha():
        c1, c2 = column_index(a), column_index(b)
        abs1, abs2 = first.startswith("$"), last.startswith("$")
        if c1 > c2:
            c1, c2, abs1, abs2 = c2, c1, abs2, abs1
        return RangeRef(sheet, 0, c1, MAX_ROWS - 1, c2, False, abs1, False, abs2, whole_cols=True)
    if a.isdigit() and b.isdigit():
        r1, r2 = int(a) - 1, int(b) - 1
        if not (0 <= r1 < MAX_ROWS and 0 <= r2 < MAX_ROWS):
            raise AddressError(f"row in {text!r} is outside 1..{MAX_ROWS}")
        abs1, abs2 = first.startswith("$"), last.startswith("$")
        if r1 > r2:
            r1, r2, abs1, abs2 = r2, r1, abs2, abs1
        return RangeRef(sheet, r1, 0, r2, MAX_COLS - 1, abs1, False, abs2, False, whole_rows=True)
    p = _parse_cell_ref(sheet, first)
    q = _parse_cell_ref(sheet, last)
    # Normalize corners as Excel does (B2:A1 is A1:B2), keeping each coordinate's own $ flag.
    (r1, r1a), (r2, r2a) = sorted(((p.row, p.row_abs), (q.row, q.row_abs)), key=lambda x: x[0])
    (c1, c1a), (c2, c2a) = sorted(((p.col, p.col_abs), (q.col, q.col_abs)), key=lambda x: x[0])
    return RangeRef(sheet, r1, c1, r2, c2, r1a, c1a, r2a, c2a)


def _parse_cell_ref(sheet: str | None, body: str) -> CellRef:
    col_abs = body.startswith("$")
    rest = body[1:] if col_abs else body
    letters = ""
    while rest and rest[0].isalpha():
        letters += rest[0]
        rest = rest[1:]
    row_abs = rest.startswith("$")
    digits = rest[1:] if row_abs else rest
    row = int(digits) - 1
    if not 0 <= row < MAX_ROWS:
        raise AddressError(f"row {digits} is outside 1..{MAX_ROWS}")
    return CellRef(sheet, row, column_index(letters), row_abs, col_abs)


class _Parser:
    def __init__(self, formula: str, tokens: list[Token], top_level_union: bool = False) -> None:
        self.formula = formula
        self.tokens = tokens
        self.index = 0
        self.depth = 0
        self.top_level_union = top_level_union  # a defined name may be a reference list without parentheses

    def error(self, reason: str, token: Token | None = None) -> FormulaSyntaxError:
        if token is None:
            token = self.peek()
        position = token.position if token is not None else len(self.formula)
        return FormulaSyntaxError(self.formula, position, reason)

    def peek(self) -> Token | None:
        return self.tokens[self.index] if self.index < len(self.tokens) else None

    def take(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def sheet_span(self, prefix: Token) -> SheetSpan | RefError:
        """A 3-D reference: the ``Sheet1:Sheet3!`` prefix just taken, then a cell or range without a sheet
        (``Sheet1:Sheet3!#REF!`` is a deleted reference, #REF!)."""
        following = self.peek()
        if (
            following is not None and following.kind == "ERROR" and following.text == "#REF!"
            and following.position == prefix.position + len(prefix.text)
        ):
            self.take()
            return RefError()
        if (
            following is None or following.kind != "REF" or "!" in following.text.replace("#REF!", "")
            or following.position != prefix.position + len(prefix.text)
        ):
            raise self.error("expected a cell or range after the sheets of a 3-D reference", following or prefix)
        self.take()
        try:
            ref = parse_reference(following.text)
        except AddressError as exc:
            raise self.error(str(exc), following) from None
        names = prefix.text[:-1]
        if names.startswith("'"):
            names = names[1:-1].replace("''", "'")
        first, _, last = names.partition(":")
        return SheetSpan(first, last, ref)

    def enter(self) -> None:
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise self.error(f"formula is nested more than {MAX_NESTING} levels deep")

    def parse(self) -> Node:
        if not self.tokens:
            raise FormulaSyntaxError(self.formula, 0, "formula is empty")
        node = self.expression(0)
        token = self.peek()
        if self.top_level_union and token is not None and token.kind == "COMMA":
            node = self.union(node)
            token = self.peek()
        if token is not None:
            raise self.error(f"unexpected {token.text!r} after a complete expression")
        return node

    def union(self, first: Node) -> Union:
        """The rest of a reference list after its first operand: ``,B1,C1:C3``."""
        operands = [first]
        while (token := self.peek()) is not None and token.kind == "COMMA":
            self.take()
            operands.append(self.expression(0))
        return Union(tuple(operands))

    def expression(self, level: int) -> Node:
        """The expression from here whose operators are all of ``level`` or above (0: the whole expression).

        Precedence climbing: each operand is parsed once, then operators join it into chains, one flat
        :class:`Chain` per run of operators of one level (``1+2*3-4`` is ``Chain(1, Chain(2*3), 4)``)."""
        return self.climb(self.unary(), level)

    def climb(self, left: Node, level: int) -> Node:
        """``left`` (an operand just parsed) joined with the operators that follow it of ``level`` or above."""
        while True:
            token = self.peek()
            if token is None or token.kind != "OP":
                return left
            at = _LEVEL_OF.get(token.text)
            if at is None or at < level:
                return left
            operands = [left]
            operators: list[str] = []
            while token is not None and token.kind == "OP" and _LEVEL_OF.get(token.text) == at:
                self.take()
                operators.append(token.text)
                operands.append(self.climb(self.unary(), at + 1))
                token = self.peek()
            left = Chain(tuple(operands), tuple(operators))

    def unary(self) -> Node:
        token = self.peek()
        if token is not None and (token.kind == "REF" or token.kind == "NUMBER"):
            # a cell, range or number that no postfix, intersection or range operator follows (most operands) is
            # its primary: taken without descending through them
            following = self.tokens[self.index + 1] if self.index + 1 < len(self.tokens) else None
            if following is None or following.kind != "OP" or following.text not in _POSTFIX_OR_REFERENCE_OPERATORS:
                return self.primary()
        if token is not None and token.kind == "OP" and token.text in "+-@":
            self.take()
            self.enter()
            operand = self.unary()
            self.depth -= 1
            if token.text == "@":
                return ImplicitIntersection(operand)
            return Unary(token.text, operand)
        return self.postfix()

    def postfix(self) -> Node:
        node = self.intersection()
        while True:
            token = self.peek()
            if token is not None and token.kind == "OP" and token.text == "%":
                self.take()
                node = Percent(node)
            elif token is not None and token.kind == "LPAREN" and type(node) in (Call, Invoke):
                # a function value called in place: LAMBDA(x,x+1)(2), or a LAMBDA returned by a call: f(1)(2)
                self.take()
                self.enter()
                node = Invoke(node, self.arguments("the function value"))
            else:
                return node

    def intersection(self) -> Node:
        """Range expressions joined by the intersection operator (a space the lexer marked as an operator)."""
        node = self.range_expression()
        operands = [node]
        while (token := self.peek()) is not None and token.kind == "OP" and token.text == " ":
            self.take()
            operands.append(self.range_expression())
        if len(operands) == 1:
            return node
        return Chain(tuple(operands), (" ",) * (len(operands) - 1))

    def range_expression(self) -> Node:
        """Primaries joined by the range operator ``:`` (left to right: ``A1:B2:C3`` spans all three)."""
        node = self.primary()
        while (token := self.peek()) is not None and token.kind == "OP" and token.text == ":":
            self.take()
            if self.peek() is None:
                raise self.error("expected a reference after the range operator ':'")
            node = RangeOp(node, self.primary())
        return node

    def primary(self) -> Node:
        token = self.peek()
        if token is None:
            raise self.error("formula ends where a value was expected")
        kind = token.kind
        if kind == "NUMBER":
            self.take()
            value = float(token.text)
            if value == float("inf"):
                raise self.error("number is too large", token)
            return Number(value, token.text)
        if kind == "STRING":
            self.take()
            if len(token.text) > 255:
                raise self.error("text literals are limited to 255 characters", token)
            return Text(token.text)
        if kind == "BOOL":
            self.take()
            return Bool(token.text == "TRUE")
        if kind == "ERROR":
            self.take()
            return ErrorLiteral(token.text)
        if kind == "REF":
            self.take()
            try:
                return parse_reference(token.text)
            except AddressError as exc:
                raise self.error(str(exc), token) from None
        if kind == "SHEETS3D":
            return self.sheet_span(self.take())
        if kind == "SPILL":
            self.take()
            try:
                anchor = parse_reference(token.text[:-1])
            except AddressError as exc:
                raise self.error(str(exc), token) from None
            return SpillRef(anchor)
        if kind == "NAME":
            self.take()
            if "!" in token.text:
                sheet, name = split_sheet(token.text)
                return Name(name, sheet)
            return Name(token.text)
        if kind == "STRUCT":
            self.take()
            try:
                return parse_structured_reference(token.text)
            except StructuredRefError as exc:
                raise self.error(str(exc), token) from None
        if kind == "FUNC":
            return self.call()
        if kind == "LPAREN":
            self.take()
            self.enter()
            inner = self.expression(0)
            closing = self.peek()
            if closing is not None and closing.kind == "COMMA":
                inner = self.union(inner)
                closing = self.peek()
            self.depth -= 1
            if closing is None or closing.kind != "RPAREN":
                raise self.error("missing closing parenthesis", closing)
            self.take()
            return Paren(inner)
        if kind == "LBRACE":
            return self.array()
        raise self.error(f"unexpected {token.text!r}")

    def call(self) -> Node:
        name_token = self.take()
        written = name_token.text
        for prefix in ("_XLFN._XLWS.", "_XLFN.", "_XLWS.", "_XLPM."):
            if written.upper().startswith(prefix):
                written = written[len(prefix) :]
        name = _function_name(written)
        self.take()  # '('
        self.enter()
        args = self.arguments(name)
        if len(args) > 255:
            raise self.error(f"{name} has more than 255 arguments", name_token)
        # How files spell the implicit-intersection and spill operators (Excel shows them as @ and #).
        if name == "SINGLE" and len(args) == 1:
            return ImplicitIntersection(args[0])
        if name == "ANCHORARRAY" and len(args) == 1 and type(args[0]) in (CellRef, RefError):
            return SpillRef(args[0])
        return Call(name, tuple(args))

    def arguments(self, name: str) -> tuple[Node, ...]:
        """The arguments after an opening '(' up to and including the closing ')'; leaves one nesting level."""
        args: list[Node] = []
        token = self.peek()
        if token is not None and token.kind == "RPAREN":
            self.take()
            self.depth -= 1
            return ()
        while True:
            token = self.peek()
            if token is not None and token.kind in ("COMMA", "RPAREN"):
                args.append(Missing())
            else:
                args.append(self.expression(0))
            token = self.peek()
            if token is None:
                raise self.error(f"missing ')' to close {name}(")
            if token.kind == "COMMA":
                self.take()
                continue
            if token.kind == "RPAREN":
                self.take()
                break
            raise self.error(f"expected ',' or ')' in the arguments of {name}", token)
        self.depth -= 1
        return tuple(args)

    def array(self) -> Node:
        start = self.take()  # '{'
        rows: list[list[Node]] = [[]]
        while True:
            token = self.peek()
            if token is None:
                raise self.error("array constant has no closing '}'", start)
            element = self.array_element()
            rows[-1].append(element)
            token = self.peek()
            if token is None:
                raise self.error("array constant has no closing '}'", start)
            if token.kind == "COMMA":
                self.take()
            elif token.kind == "SEMI":
                self.take()
                rows.append([])
            elif token.kind == "RBRACE":
                self.take()
                break
            else:
                raise self.error("expected ',' ';' or '}' in an array constant", token)
        if len({len(r) for r in rows}) != 1:
            raise self.error("rows of an array constant must have the same length", start)
        return ArrayLiteral(tuple(tuple(r) for r in rows))

    def array_element(self) -> Node:
        token = self.peek()
        sign = None
        if token is not None and token.kind == "OP" and token.text in "+-":
            sign = self.take().text
            token = self.peek()
        if token is None:
            raise self.error("array constant ends early")
        if token.kind == "NUMBER":
            self.take()
            node: Node = Number(float(token.text), token.text)
            return Unary(sign, node) if sign else node
        if sign is None:
            if token.kind == "STRING":
                self.take()
                return Text(token.text)
            if token.kind == "BOOL":
                self.take()
                return Bool(token.text == "TRUE")
            if token.kind == "ERROR":
                self.take()
                return ErrorLiteral(token.text)
        raise self.error("array constants may hold only numbers, text, booleans and errors", token)


def _function_name(written: str) -> str:
    """A called name as the tree keeps it: library functions in upper case (Excel shows them so), any other name
    (a LAMBDA bound by LET, an unknown function) as written."""
    # imported here: the function library is not needed to tokenize
    from sheetrl.sheet.functions import FUNCTIONS
    from sheetrl.sheet.lambdas import SPECIAL_FORMS

    upper = written.upper()
    return upper if upper in FUNCTIONS or upper in SPECIAL_FORMS or upper in _FILE_OPERATORS else written


_FILE_OPERATORS = frozenset({"SINGLE", "ANCHORARRAY"})  # how files spell @ and #


_CACHE: OrderedDict[str, Node] = OrderedDict()
_CACHE_SIZE = 20_000


def parse_name_definition(text: str) -> Node:
    """Parse what a defined name refers to (``=Sheet1!$A$1:$A$9``, ``=0.05``, ``=Sheet1!$A$1,Sheet1!$C$1``): a
    formula that may also be a reference list without parentheses. Raises FormulaSyntaxError."""
    try:
        return _Parser(text, tokenize(text), top_level_union=True).parse()
    except RecursionError:
        raise FormulaSyntaxError(text, 0, "formula is nested too deeply") from None


def is_parsed(formula: str) -> bool:
    """True when :func:`parse` has this text's tree at hand (parsing it again costs a dictionary lookup)."""
    return formula in _CACHE


def remember(formula: str, tree: Node) -> None:
    """Keep ``tree`` as the parse of ``formula`` (a loader that had the tree from a formula of the same relative
    shape, moved: :func:`~sheetrl.sheet.lexer.relative_shape`), so that parsing the text again is a lookup."""
    if formula not in _CACHE:
        _CACHE[formula] = tree
        if len(_CACHE) > _CACHE_SIZE:
            _CACHE.popitem(last=False)


def parse(formula: str) -> Node:
    """Parse formula text (leading '=' optional) into a syntax tree; cached by text. Raises FormulaSyntaxError."""
    node = _CACHE.get(formula)
    if node is not None:
        return node
    try:
        node = _Parser(formula, tokenize(formula)).parse()
    except RecursionError:  # only reachable when the caller is already deep in its own stack
        raise FormulaSyntaxError(formula, 0, "formula is nested too deeply") from None
    _CACHE[formula] = node
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return node
