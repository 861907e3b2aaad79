"""Formula text -> tokens.

Token kinds: NUMBER, STRING, BOOL, ERROR, REF (a cell, range, whole-column or whole-row reference, with optional
sheet), SPILL (a cell reference followed by the spill operator, ``A1#``), FUNC (an identifier directly followed by
'('), NAME (any other identifier, optionally sheet-qualified: ``Sheet2!Total``), STRUCT (a structured table
reference with its brackets: ``Table1[[#This Row],[Col]]``, ``[@Col]``), OP (operators: the range operator ``:``
between things that are not plain addresses and the implicit-intersection prefix ``@`` included), and the
punctuation kinds LPAREN RPAREN COMMA SEMI LBRACE RBRACE. Whitespace separates tokens; between two reference-like
operands it is Excel's intersection operator and becomes an OP token ``' '``. Names may use any letters
(``Umsatz_März``), digits, ``_``, ``.`` and ``\\``, as Excel allows.
"""

from __future__ import annotations

import re
from typing import NamedTuple, NoReturn

from sheetrl.sheet.errors import FormulaSyntaxError

MAX_FORMULA_LENGTH = 8192  # Excel's limit on formula text


class Token(NamedTuple):
    """One token: its kind, its text (string literals unquoted), and its 0-based offset in the formula."""

    kind: str
    text: str
    position: int


_CELL = r"\$?[A-Za-z]{1,3}\$?[1-9][0-9]{0,6}"  # no row 0: A0 is a name, as in Excel
_COLS = r"\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}"
_ROWS = r"\$?[0-9]{1,7}:\$?[0-9]{1,7}"
_IDENTIFIER = r"(?:[^\W\d]|\\)[\w.\\]*"  # a letter (any script), '_' or '\' first; then letters, digits, _ . \
_SHEET = r"(?:'(?:[^']|'')+'|[^\W\d][\w.]*)!"
# One master pattern, alternatives tried in order at each position. A function name is an identifier followed by
# '(' (so LOG10( is a call, LOG10 a cell); a reference must not run into more identifier characters or '('. A
# structured reference starts with an optional table name and '['; the lexer scans to its matching ']'.
_TOKEN = re.compile(
    r"""
    (?P<SPACE>[ \t\r\n]+)
  | (?P<STRING>"(?:[^"]|"")*")
  | (?P<ERROR>\#(?:DIV/0!|N/A|NAME\?|NULL!|NUM!|REF!|VALUE!|CYCLE!|SPILL!|CALC!))
  | (?P<SHEETS3D>(?:'(?:[^']|'')+:(?:[^']|'')+'|[^\W\d][\w.]*:[^\W\d][\w.]*)!)
  | (?P<STRUCT>(?:%(identifier)s)?\[)
  | (?P<FUNC>%(identifier)s(?=[ \t\r\n]*\())
  | (?P<SPILL>(?:%(sheet)s)?%(cell)s\#)(?![\w.(!?/])
  | (?P<REF>(?:%(sheet)s)?(?:%(cell)s(?::%(cell)s)?|%(cols)s|%(rows)s|\#REF!)(?![\w.(\\]))
  | (?P<NUMBER>(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)
  | (?P<QNAME>%(sheet)s%(identifier)s)
  | (?P<NAME>%(identifier)s)
  | (?P<OP><=|>=|<>|[-+*/^&=<>%%:@])
  | (?P<PUNCT>[(),;{}])
    """  # noqa: UP031 -- %-substitution keeps the braces of the regex literal
    % {"sheet": _SHEET, "cell": _CELL, "cols": _COLS, "rows": _ROWS, "identifier": _IDENTIFIER},
    re.VERBOSE,
)
# Token kinds that can end / begin a reference operand: a space between two of them is the intersection operator.
_ENDS_REFERENCE = frozenset({"REF", "NAME", "RPAREN", "STRUCT", "SPILL"})
_STARTS_REFERENCE = frozenset({"REF", "NAME", "LPAREN", "FUNC", "STRUCT", "QNAME", "SPILL"})
_EXTERNAL_BOOK = re.compile(r"\[\d+\]")
_PUNCT_KINDS = {"(": "LPAREN", ")": "RPAREN", ",": "COMMA", ";": "SEMI", "{": "LBRACE", "}": "RBRACE"}


def tokenize(formula: str) -> list[Token]:
    """Split formula text (with or without the leading '=') into tokens; raises FormulaSyntaxError."""
    if len(formula) > MAX_FORMULA_LENGTH:
        raise FormulaSyntaxError(
            formula[:60] + "...", MAX_FORMULA_LENGTH, f"formula is longer than {MAX_FORMULA_LENGTH} characters"
        )
    position = 1 if formula.startswith("=") else 0
    end = len(formula)
    tokens: list[Token] = []
    append = tokens.append
    match = _TOKEN.match
    while position < end:
        found = match(formula, position)
        if found is None:
            _explain(formula, position)
        kind = found.lastgroup or ""
        text = found.group()
        if kind == "SPACE":
            # a space between two references is Excel's intersection operator
            if tokens and tokens[-1].kind in _ENDS_REFERENCE:
                after = match(formula, found.end())
                if after is not None and after.lastgroup in _STARTS_REFERENCE:
                    append(Token("OP", " ", position))
        elif kind == "STRUCT":
            closing = _structured_end(formula, position, found.end() - 1)
            append(Token("STRUCT", formula[position:closing], position))
            position = closing
            continue
        elif kind == "SHEETS3D":
            raise FormulaSyntaxError(
                formula, position, "3-D references across sheets (Sheet1:Sheet3!A1) are not supported"
            )
        elif kind == "QNAME":
            append(Token("NAME", text, position))
        elif kind == "STRING":
            append(Token("STRING", text[1:-1].replace('""', '"'), position))
        elif kind == "NAME":
            if formula[found.end() : found.end() + 1] == "!":
                raise FormulaSyntaxError(formula, found.end() + 1, "expected a cell or range after the sheet name")
            upper = text.upper()
            if upper == "TRUE" or upper == "FALSE":
                append(Token("BOOL", upper, position))
            else:
                append(Token("NAME", text, position))
        elif kind == "NUMBER":
            following = formula[found.end() : found.end() + 1]
            if following.isalpha() or following == "_":
                raise FormulaSyntaxError(formula, position, "a number runs into letters")
            append(Token("NUMBER", text, position))
        elif kind == "PUNCT":
            append(Token(_PUNCT_KINDS[text], text, position))
        elif kind == "ERROR":
            append(Token("ERROR", text.upper(), position))
        else:
            append(Token(kind, text, position))
        position = found.end()
    return tokens


def _structured_end(formula: str, start: int, bracket: int) -> int:
    """End offset of the structured reference whose first '[' is at ``bracket`` (nested brackets balanced, a
    quote escaping the next character); raises FormulaSyntaxError when it is not closed."""
    if bracket == start and _EXTERNAL_BOOK.match(formula, bracket):
        raise FormulaSyntaxError(formula, start, "references to other workbooks ([1]Sheet1!A1) are not supported")
    depth = 0
    index = bracket
    end = len(formula)
    while index < end:
        ch = formula[index]
        if ch == "'":
            index += 2
            continue
        if ch == "[":
            depth += 1
        elif ch == "]":
            depth -= 1
            if depth == 0:
                return index + 1
        index += 1
    raise FormulaSyntaxError(formula, start, "structured reference has no closing ']'")


def _explain(formula: str, position: int) -> NoReturn:
    """Raise the most helpful error for text that no token matches."""
    ch = formula[position]
    if ch == '"':
        raise FormulaSyntaxError(formula, position, "text literal has no closing quote")
    if ch == "#":
        raise FormulaSyntaxError(formula, position, "unknown error literal")
    if ch == "'":
        close = formula.find("'", position + 1)
        if close < 0:
            raise FormulaSyntaxError(formula, position, "quoted sheet name has no closing quote")
        if formula[close + 1 : close + 2] != "!":
            raise FormulaSyntaxError(formula, close + 1, "expected '!' after a quoted sheet name")
        raise FormulaSyntaxError(formula, close + 2, "expected a cell or range after the sheet name")
    if re.match(_SHEET, formula[position:]):
        raise FormulaSyntaxError(formula, position, "expected a cell or range after the sheet name")
    raise FormulaSyntaxError(formula, position, f"unexpected character {ch!r}")
