"""Formula text -> tokens.

Token kinds: NUMBER, STRING, BOOL, ERROR, REF (a cell, range, whole-column or whole-row reference, with optional
sheet), FUNC (an identifier directly followed by '('), NAME (any other identifier), OP (operators), and the
punctuation kinds LPAREN RPAREN COMMA SEMI LBRACE RBRACE. Whitespace separates tokens and is otherwise ignored
(the intersection operator is not supported).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sheetrl.sheet.errors import ERROR_CODES, FormulaSyntaxError

MAX_FORMULA_LENGTH = 8192  # Excel's limit on formula text


@dataclass(frozen=True, slots=True)
class Token:
    kind: str
    text: str
    position: int


_NUMBER = re.compile(r"(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_CELL = r"\$?[A-Za-z]{1,3}\$?[0-9]{1,7}"
_COLS = r"\$?[A-Za-z]{1,3}:\$?[A-Za-z]{1,3}"
_ROWS = r"\$?[0-9]{1,7}:\$?[0-9]{1,7}"
_REF_BODY = re.compile(rf"(?:{_CELL}(?::{_CELL})?|{_COLS}|{_ROWS})")
_ROW_RANGE_AT_START = re.compile(_ROWS)
_IDENT = re.compile(r"[A-Za-z_\\][A-Za-z0-9_.]*")
_SHEET_UNQUOTED = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*!")
_ERROR = re.compile(r"#(?:DIV/0!|N/A|NAME\?|NULL!|NUM!|REF!|VALUE!|CYCLE!)", re.IGNORECASE)
_IDENT_CHAR = re.compile(r"[A-Za-z0-9_.]")
_TWO_CHAR_OPS = ("<=", ">=", "<>")
_ONE_CHAR = {
    "+": "OP", "-": "OP", "*": "OP", "/": "OP", "^": "OP", "&": "OP", "=": "OP", "<": "OP", ">": "OP", "%": "OP",
    "(": "LPAREN", ")": "RPAREN", ",": "COMMA", ";": "SEMI", "{": "LBRACE", "}": "RBRACE",
}


def _next_nonspace(text: str, index: int) -> str:
    while index < len(text) and text[index] in " \t\r\n":
        index += 1
    return text[index] if index < len(text) else ""


def tokenize(formula: str) -> list[Token]:
    """Split formula text (with or without the leading '=') into tokens; raises FormulaSyntaxError."""
    if len(formula) > MAX_FORMULA_LENGTH:
        raise FormulaSyntaxError(
            formula[:60] + "...", MAX_FORMULA_LENGTH, f"formula is longer than {MAX_FORMULA_LENGTH} characters"
        )
    text = formula
    i = 1 if text.startswith("=") else 0
    tokens: list[Token] = []
    n = len(text)
    while i < n:
        ch = text[i]
        if ch in " \t\r\n":
            i += 1
            continue
        start = i
        if ch == '"':
            i += 1
            parts = []
            while True:
                close = text.find('"', i)
                if close < 0:
                    raise FormulaSyntaxError(formula, start, "text literal has no closing quote")
                parts.append(text[i:close])
                if text[close + 1 : close + 2] == '"':
                    parts.append('"')
                    i = close + 2
                    continue
                i = close + 1
                break
            tokens.append(Token("STRING", "".join(parts), start))
            continue
        if ch == "#":
            match = _ERROR.match(text, i)
            if match is None:
                raise FormulaSyntaxError(formula, start, "unknown error literal")
            code = match.group(0).upper()
            if code not in ERROR_CODES:
                raise FormulaSyntaxError(formula, start, "unknown error literal")
            tokens.append(Token("ERROR", code, start))
            i = match.end()
            continue
        if ch.isdigit() or (ch == "." and i + 1 < n and text[i + 1].isdigit()) or ch == "$":
            row_range = _ROW_RANGE_AT_START.match(text, i)
            if row_range and not _IDENT_CHAR.match(text, row_range.end()) and not (
                row_range.end() < n and text[row_range.end()] == "."
            ):
                tokens.append(Token("REF", row_range.group(0), start))
                i = row_range.end()
                continue
            if ch != "$":
                match = _NUMBER.match(text, i)
                assert match is not None
                if _IDENT_CHAR.match(text, match.end()) and not text[match.end() - 1] in "eE":
                    # e.g. "3A" is not a number followed by a name
                    if text[match.end()].isalpha() or text[match.end()] == "_":
                        raise FormulaSyntaxError(formula, start, "a number runs into letters")
                tokens.append(Token("NUMBER", match.group(0), start))
                i = match.end()
                continue
        if ch == "'":
            # quoted sheet name: 'My Sheet'!A1 ('' inside is a quote)
            j = i + 1
            while True:
                close = text.find("'", j)
                if close < 0:
                    raise FormulaSyntaxError(formula, start, "quoted sheet name has no closing quote")
                if text[close + 1 : close + 2] == "'":
                    j = close + 2
                    continue
                break
            if text[close + 1 : close + 2] != "!":
                raise FormulaSyntaxError(formula, close + 1, "expected '!' after a quoted sheet name")
            ref_start = close + 2
            match = _REF_BODY.match(text, ref_start)
            if match is None or _IDENT_CHAR.match(text, match.end()):
                if text.startswith("#REF!", ref_start):
                    tokens.append(Token("REF", text[start : ref_start + 5], start))
                    i = ref_start + 5
                    continue
                raise FormulaSyntaxError(formula, ref_start, "expected a cell or range after the sheet name")
            tokens.append(Token("REF", text[start : match.end()], start))
            i = match.end()
            continue
        if ch.isalpha() or ch in "_\\$":
            sheet = _SHEET_UNQUOTED.match(text, i)
            if sheet is not None:
                ref_start = sheet.end()
                match = _REF_BODY.match(text, ref_start)
                if match is None or _IDENT_CHAR.match(text, match.end()):
                    if text.startswith("#REF!", ref_start):
                        tokens.append(Token("REF", text[start : ref_start + 5], start))
                        i = ref_start + 5
                        continue
                    raise FormulaSyntaxError(formula, ref_start, "expected a cell or range after the sheet name")
                tokens.append(Token("REF", text[start : match.end()], start))
                i = match.end()
                continue
            match = _REF_BODY.match(text, i)
            if (
                match is not None
                and not _IDENT_CHAR.match(text, match.end())
                and _next_nonspace(text, match.end()) != "("
            ):
                tokens.append(Token("REF", match.group(0), start))
                i = match.end()
                continue
            ident = _IDENT.match(text, i)
            if ident is None:
                raise FormulaSyntaxError(formula, start, f"unexpected character {ch!r}")
            word = ident.group(0)
            i = ident.end()
            if _next_nonspace(text, i) == "(":
                tokens.append(Token("FUNC", word, start))
            elif word.upper() in ("TRUE", "FALSE"):
                tokens.append(Token("BOOL", word.upper(), start))
            else:
                tokens.append(Token("NAME", word, start))
            continue
        if text.startswith(_TWO_CHAR_OPS, i):
            tokens.append(Token("OP", text[i : i + 2], start))
            i += 2
            continue
        kind = _ONE_CHAR.get(ch)
        if kind is None:
            raise FormulaSyntaxError(formula, start, f"unexpected character {ch!r}")
        tokens.append(Token(kind, ch, start))
        i += 1
    return tokens
