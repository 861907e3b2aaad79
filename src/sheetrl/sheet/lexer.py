"""Formula text -> tokens.

Token kinds: NUMBER, STRING, BOOL, ERROR, REF (a cell, range, whole-column or whole-row reference, with optional
sheet), SHEETS3D (the ``Sheet1:Sheet3!`` or ``'My sheet:Other'!`` that starts a 3-D reference; a REF follows),
SPILL (a cell reference followed by the spill operator, ``A1#``), FUNC (an identifier directly followed by '('),
NAME (any other identifier, optionally sheet-qualified: ``Sheet2!Total``), STRUCT (a structured table reference
with its brackets: ``Table1[[#This Row],[Col]]``, ``[@Col]``), OP (operators: the range operator ``:`` between
things that are not plain addresses and the implicit-intersection prefix ``@`` included), and the punctuation kinds
LPAREN RPAREN COMMA SEMI LBRACE RBRACE. Whitespace separates tokens; between two reference-like
operands it is Excel's intersection operator and becomes an OP token ``' '``. Names may use any letters
(``Umsatz_März``), digits, ``_``, ``.`` and ``\\``, as Excel allows.
"""

from __future__ import annotations

import re
from typing import NamedTuple, NoReturn

from sheetrl.sheet.address import MAX_COLS, MAX_ROWS
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
# The references relative_shape rewrites: a cell or a cell range, whole columns, whole rows. In formula text that
# lexes, a reference token never starts right after an identifier character, '.', '\\' or '$' (identifiers and
# numbers are read whole, and a number running into letters is an error), so the look-behind finds exactly the
# lexer's references outside strings; what may follow is the lexer's rule (not an identifier character, nor '(' or
# whitespace then '(', which make a function name). Groups: 1-4 the first cell ($, letters, $, digits), 5-8 the
# second; 9-12 columns, 13-16 rows.
_REFERENCE_START = r"(?<![\w.\\$])"
_REFERENCE_END = r"(?![\w.(\\]|[ \t\r\n]*\()"
_SHAPE_TOKEN = re.compile(
    _REFERENCE_START
    + r"(?:(\$?)([A-Za-z]{1,3})(\$?)([1-9][0-9]{0,6})(?::(\$?)([A-Za-z]{1,3})(\$?)([1-9][0-9]{0,6}))?"
    + _REFERENCE_END
    + r"|(\$?)([A-Za-z]{1,3}):(\$?)([A-Za-z]{1,3})" + _REFERENCE_END
    + r"|(\$?)([0-9]{1,7}):(\$?)([0-9]{1,7})" + _REFERENCE_END + ")"
)
# After a reference-like match, '!' or ':' and a name then '!' make it (part of) a sheet's name: a sheet called AB1
# (AB1!A1), a 3-D span (A:B!C1, AB3:Data!A1). Such text is parsed on its own (kept as written, the name would read
# alike at every cell; rewritten, two sheets would share a shape), and so is A$1:Data!B1, which the check cannot
# tell from a span: rare, and never wrong.
_SHEET_NAME_END = re.compile(r"!|:[^\W\d][\w.]*!")
# Whitespace then '(' after what may end a reference: the shape keeps a reference there as written (A1 (B1) calls a
# function named A1), but $A$1 (B1) and A1:C3 (B1) are intersections, whose relative coordinates must move
_SPACE_THEN_PARENTHESIS = re.compile(r"[\w$.\\][ \t\r\n]+\(")
_ORDER = ("=", ">", "<")  # indexed by the sign of first - last


def relative_shape(formula: str, row: int, col: int) -> str | None:
    """The formula's text with every relative coordinate of its references written as an offset from (``row``,
    ``col``) (0-based), or None when the text must be parsed on its own.

    Two formulas with the same shape parse to trees that differ only by the move between their cells (what Excel
    stores as one shared formula, and what filling a formula down a column makes), so a loader parses one and moves
    it to the others (:func:`sheetrl.sheet.references.shift`). Everything but the references' coordinates is kept
    as written: strings, names, functions, numbers, spacing. None for text with quoted sheet names or brackets
    (structured and external references), sheets named like cells (``AB1!A1``) or 3-D spans, references off the
    grid and text too long (they do not parse), whitespace then '(' after a name or reference, and text holding the
    character the shape uses as a separator. A range whose corners mix ``$`` and relative coordinates in one
    direction keeps its corners' order in the shape (a move may swap them).
    """
    if "'" in formula or "[" in formula or "\0" in formula or len(formula) > MAX_FORMULA_LENGTH:
        return None  # (a text too long for the lexer must be refused, not handed a shorter text's tree)
    if _SPACE_THEN_PARENTHESIS.search(formula):
        return None  # A1:C3 (B1) intersects a range the shape would keep as written (A1 (B1) calls A1)
    if '"' not in formula:
        return _shape_outside_strings(formula, row, col)
    # Split at the quotes: the even pieces are outside string literals (an escaped quote "" leaves an empty piece).
    pieces = formula.split('"')
    for index in range(0, len(pieces), 2):
        shaped = _shape_outside_strings(pieces[index], row, col)
        if shaped is None:
            return None
        pieces[index] = shaped
    return '"'.join(pieces)


def _shape_outside_strings(text: str, row: int, col: int) -> str | None:
    parts: list[str] = []
    last = 0
    for found in _SHAPE_TOKEN.finditer(text):
        parts.append(text[last:found.start()])
        last = found.end()
        index = found.lastindex
        groups = found.groups()
        if index is None or _SHEET_NAME_END.match(text, last):
            return None
        if index <= 8:  # a cell, or a cell range
            c1, r1 = _column_number(groups[1]), int(groups[3])
            if r1 > MAX_ROWS or c1 > MAX_COLS:
                return None
            first = _shape_column(groups[0], c1, col) + _shape_row(groups[2], r1, row)
            if index <= 4:
                parts.append(f"\0{first}\0")
                continue
            c2, r2 = _column_number(groups[5]), int(groups[7])
            if r2 > MAX_ROWS or c2 > MAX_COLS:
                return None
            order = _corner_order(groups[0], groups[4], c1, c2) + _corner_order(groups[2], groups[6], r1, r2)
            parts.append(f"\0{first}:{_shape_column(groups[4], c2, col)}{_shape_row(groups[6], r2, row)}{order}\0")
        elif index <= 12:  # whole columns
            c1, c2 = _column_number(groups[9]), _column_number(groups[11])
            if c1 > MAX_COLS or c2 > MAX_COLS:
                return None
            parts.append(f"\0{_shape_column(groups[8], c1, col)}:{_shape_column(groups[10], c2, col)}"
                         f"{_corner_order(groups[8], groups[10], c1, c2)}\0")
        else:  # whole rows
            r1, r2 = int(groups[13]), int(groups[15])
            if not (1 <= r1 <= MAX_ROWS and 1 <= r2 <= MAX_ROWS):
                return None
            parts.append(f"\0{_shape_row(groups[12], r1, row)}:{_shape_row(groups[14], r2, row)}"
                         f"{_corner_order(groups[12], groups[14], r1, r2)}\0")
    if not parts:
        return text
    parts.append(text[last:])
    return "".join(parts)


# In a shape a coordinate reads C7 (column 7, fixed), c-2 (two columns left of the cell), R3 or r1: a whole-column
# range and a whole-row range never read alike.
def _shape_column(dollar: str, number: int, col: int) -> str:
    return f"C{number}" if dollar else f"c{number - 1 - col}"


def _shape_row(dollar: str, number: int, row: int) -> str:
    return f"R{number}" if dollar else f"r{number - 1 - row}"


def _corner_order(first_dollar: str, last_dollar: str, first: int, last: int) -> str:
    """A range is kept with its corners in order; where one corner is $-fixed and the other moves, a move can swap
    them: then the corners' order is part of the shape (both formulas swap alike, or neither does)."""
    if first_dollar == last_dollar:
        return ""
    return _ORDER[(first > last) - (first < last)]


_COLUMN_NUMBERS: dict[str, int] = {}


def _column_number(letters: str) -> int:
    """1-based column number of letters (above the grid's last column for what is not one)."""
    number = _COLUMN_NUMBERS.get(letters)
    if number is None:
        number = 0
        for ch in letters.upper():
            number = number * 26 + ord(ch) - 64
        if len(_COLUMN_NUMBERS) < 65_536:
            _COLUMN_NUMBERS[letters] = number
    return number


# Token kinds that can end / begin a reference operand: a space between two of them is the intersection operator.
_ENDS_REFERENCE = frozenset({"REF", "NAME", "RPAREN", "STRUCT", "SPILL"})
_STARTS_REFERENCE = frozenset({"REF", "NAME", "FUNC", "STRUCT", "QNAME", "SPILL", "SHEETS3D"})
# ... and '(' (the master pattern's PUNCT) after a reference that cannot be called: A1:C3 (B2:B4), (A1:C3) (B2).
# After the ')' of a call it stays the call of the function value that call returned (LAMBDA(x,x+1) (2)); after a
# name it is a function call (x (1)).
_CANNOT_BE_CALLED = frozenset({"REF", "STRUCT", "SPILL"})
_EXTERNAL_BOOK = re.compile(r"\[\d+\]")
_PUNCT_KINDS = {"(": "LPAREN", ")": "RPAREN", ",": "COMMA", ";": "SEMI", "{": "LBRACE", "}": "RBRACE"}
# A cell address with nothing after it that would make it part of a longer token: a range (':'), a sheet name
# ('!'), a 3-D span, a spill ('#'), a function or structured reference name ('(', '['), a longer identifier. Where
# this matches, the master pattern's first matching alternative is REF with the same text.
_CELL_ALONE = re.compile(_CELL + r"(?![\w.(\\!:#\[]|[ \t\r\n]*\()")
_SINGLE_KINDS = {**_PUNCT_KINDS, **dict.fromkeys("-+*/^&=<>%:@", "OP")}
_TWO_CHARACTER_OPERATORS = frozenset({"<=", ">=", "<>"})


def tokenize(formula: str, max_length: int = MAX_FORMULA_LENGTH) -> list[Token]:
    """Split formula text (with or without the leading '=') into tokens; raises FormulaSyntaxError. ``max_length``
    is for text as a file stores it, which its function prefixes (``_xlfn.``) may make longer than Excel's limit."""
    if len(formula) > max_length:
        raise FormulaSyntaxError(formula[:60] + "...", max_length, f"formula is longer than {max_length} characters")
    position = 1 if formula.startswith("=") else 0
    end = len(formula)
    tokens: list[Token] = []
    append = tokens.append
    match = _TOKEN.match
    lone_cell = _CELL_ALONE.match
    while position < end:
        # An operator or a punctuation mark starts no other token: taken without the master pattern (about half
        # of a formula's tokens)
        single = _SINGLE_KINDS.get(formula[position])
        if single is not None:
            if single == "OP" and formula[position : position + 2] in _TWO_CHARACTER_OPERATORS:
                append(Token("OP", formula[position : position + 2], position))
                position += 2
            else:
                append(Token(single, formula[position], position))
                position += 1
            continue
        # A lone cell address (the commonest operand): what the master pattern would read as a REF
        found = lone_cell(formula, position)
        if found is not None:
            append(Token("REF", found.group(), position))
            position = found.end()
            continue
        found = match(formula, position)
        if found is None:
            _explain(formula, position)
        kind = found.lastgroup or ""
        text = found.group()
        if kind == "SPACE":
            # a space between two references is Excel's intersection operator
            if tokens and tokens[-1].kind in _ENDS_REFERENCE:
                after = match(formula, found.end())
                if after is not None and (
                    after.lastgroup in _STARTS_REFERENCE
                    or (after.group() == "(" and (tokens[-1].kind in _CANNOT_BE_CALLED or _closes_a_group(tokens)))
                ):
                    append(Token("OP", " ", position))
        elif kind == "STRUCT":
            closing = _structured_end(formula, position, found.end() - 1)
            append(Token("STRUCT", formula[position:closing], position))
            position = closing
            continue
        elif kind == "SHEETS3D":
            append(Token("SHEETS3D", text, position))
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


def _closes_a_group(tokens: list[Token]) -> bool:
    """Whether the last token, a ')', closes parentheses that group (``(A1:C3)``), not the arguments of a call
    (``SUM(A1)``, ``LAMBDA(x,x)(1)``)."""
    depth = 0
    for index in range(len(tokens) - 1, -1, -1):
        kind = tokens[index].kind
        if kind == "RPAREN":
            depth += 1
        elif kind == "LPAREN":
            depth -= 1
            if depth == 0:
                return index == 0 or tokens[index - 1].kind not in ("FUNC", "RPAREN")
    return False


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
