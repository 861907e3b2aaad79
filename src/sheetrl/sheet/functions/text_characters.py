"""Character functions: CHAR, CODE, UNICODE, UNICHAR, CLEAN, T, ASC, DBCS (JIS), PHONETIC.

CHAR and CODE use the workbook's character set (:mod:`sheetrl.sheet.character_sets`): Windows-1252 ("ANSI"), as
Excel on Windows does (CHAR(128) is the euro sign), or Mac OS Roman for a workbook made by Excel for Mac (CHAR(128) is
"Ä"); CODE of a character outside the set is 63 (the code of "?"). UNICODE and UNICHAR use Unicode code points.

ASC and DBCS convert between the full-width (double-byte) and half-width forms of Latin letters, digits,
punctuation and katakana, as they do in a Japanese locale.
"""

from __future__ import annotations

import math
import unicodedata
from typing import Any

from sheetrl.sheet import character_sets
from sheetrl.sheet.errors import NA, VALUE, ExcelError
from sheetrl.sheet.functions import register
from sheetrl.sheet.values import Matrix, scalar_of, to_number, to_text

_MAX_CODE_POINT = 0x10FFFF
_SURROGATES = range(0xD800, 0xE000)


@register("CHAR", 1)
def char(number: Any) -> Any:
    """The character with code ``number`` (1 to 255, truncated) in the workbook's character set."""
    value = to_number(number)
    if type(value) is ExcelError:
        return value
    if not 1 <= value < 256:
        return VALUE
    return character_sets.character(int(value))


@register("CODE", 1)
def code(text: Any) -> Any:
    """The code of the first character in the workbook's character set (63, "?", for characters outside it);
    #VALUE! for ""."""
    source = to_text(text)
    if type(source) is ExcelError:
        return source
    if not source:
        return VALUE
    return float(character_sets.code_of(source[0]))


@register("UNICODE", 1)
def unicode_(text: Any) -> Any:
    """The Unicode code point of the first character; #VALUE! for ""."""
    source = to_text(text)
    if type(source) is ExcelError:
        return source
    if not source:
        return VALUE
    return float(ord(source[0]))


@register("UNICHAR", 1)
def unichar(number: Any) -> Any:
    """The character with Unicode code point ``number`` (truncated); #VALUE! outside 1..0x10FFFF, #N/A for a
    surrogate code point (half of a UTF-16 pair, not a character)."""
    value = to_number(number)
    if type(value) is ExcelError:
        return value
    if not 1 <= value < _MAX_CODE_POINT + 1:
        return VALUE
    point = math.trunc(value)
    if point in _SURROGATES:
        return NA
    return chr(point)


@register("CLEAN", 1)
def clean(text: Any) -> Any:
    """The text without the non-printing characters 0 to 31 (Excel's CLEAN leaves 127 and above alone)."""
    source = to_text(text)
    if type(source) is ExcelError:
        return source
    return "".join(c for c in source if c >= " ")


@register("T", 1)
def t(value: Any) -> Any:
    """The value if it is text, else "" (an error stays an error)."""
    value = scalar_of(value)
    if type(value) is str or type(value) is ExcelError:
        return value
    return ""


# ------------------------------------------------------------------------------------- full and half width
def _half_width_katakana() -> dict[str, str]:
    """Full-width katakana (and marks) -> half-width forms, read from the Unicode compatibility decompositions."""
    table: dict[str, str] = {}
    for code in range(0xFF61, 0xFFA0):  # the half-width katakana block
        half = chr(code)
        name = unicodedata.name(half, "")
        if not name.startswith("HALFWIDTH"):
            continue
        full = unicodedata.normalize("NFKC", half)
        table.setdefault(full, half)
    for full in list(table):  # voiced and semi-voiced syllables: base syllable + half-width mark
        for mark, half_mark in (("\u3099", "\uff9e"), ("\u309a", "\uff9f")):
            composed = unicodedata.normalize("NFC", full + mark)
            if len(composed) == 1 and composed not in table:
                table[composed] = table[full] + half_mark
    table["\u309b"] = "\uff9e"  # KATAKANA-HIRAGANA VOICED SOUND MARK
    table["\u309c"] = "\uff9f"
    return table


_TO_HALF = {chr(code): chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)}
_TO_HALF["\u3000"] = " "  # ideographic space
_TO_HALF["\uffe5"] = "\\"  # fullwidth yen sign: the backslash position of Japanese single-byte code pages
_TO_HALF.update(_half_width_katakana())
_TO_HALF_TRANSLATION = str.maketrans({k: v for k, v in _TO_HALF.items() if len(v) == 1})
_TWO_CHARACTER_HALVES = {k: v for k, v in _TO_HALF.items() if len(v) > 1}
_TO_FULL_SINGLE = {v: k for k, v in _TO_HALF.items() if len(v) == 1 and k != "\u309b" and k != "\u309c"}
_TO_FULL_SINGLE["\uff9e"] = "\u309b"
_TO_FULL_SINGLE["\uff9f"] = "\u309c"
_TO_FULL_PAIRS = {v: k for k, v in _TWO_CHARACTER_HALVES.items()}


@register("ASC", 1)
def asc(text: Any) -> Any:
    """Full-width (double-byte) letters, digits, punctuation and katakana changed to their half-width forms."""
    source = to_text(text)
    if type(source) is ExcelError:
        return source
    if all(c < "\u3000" for c in source):
        return source
    out = source.translate(_TO_HALF_TRANSLATION)
    if any(c in _TWO_CHARACTER_HALVES for c in out):
        out = "".join(_TWO_CHARACTER_HALVES.get(c, c) for c in out)
    return out


@register("DBCS", 1, aliases=("JIS",))
def dbcs(text: Any) -> Any:
    """Half-width (single-byte) letters, digits, punctuation and katakana changed to their full-width forms."""
    source = to_text(text)
    if type(source) is ExcelError:
        return source
    out = []
    index = 0
    while index < len(source):
        pair = source[index : index + 2]
        if len(pair) == 2 and pair in _TO_FULL_PAIRS:  # a katakana syllable with its voicing mark
            out.append(_TO_FULL_PAIRS[pair])
            index += 2
            continue
        char_ = source[index]
        out.append("\u3000" if char_ == " " else _TO_FULL_SINGLE.get(char_, char_))
        index += 1
    return "".join(out)


@register("PHONETIC", 1, refs=(0,))
def phonetic(reference: Any) -> Any:
    """The phonetic (furigana) reading of the text in the referenced cell (top-left of a range).

    Cells hold no furigana here, so this is the cell's text; a number, logical or empty cell gives "".
    """
    value = reference.values[0] if type(reference) is Matrix and reference.values else reference
    if type(value) is ExcelError or type(value) is str:
        return value
    return ""
