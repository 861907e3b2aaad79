"""When an engine's value agrees with the value a workbook cached, and which cells are left out of the comparison.

Rules (``agrees``):

- **numbers** agree when ``|a - b| <= REL_TOL * max(|a|, |b|)`` or ``|a - b| <= ABS_TOL``. REL_TOL = 1e-9 is below
  what any display of the value shows (Excel's General format shows at most 11 significant digits) and above the
  last-bit differences that summation order or a different but correct algorithm produce; ABS_TOL = 1e-12 accepts
  a result Excel rounded to exactly 0 where an engine leaves 1e-17 (``=0.1*3-0.3``).
- **text** agrees only when identical (case, spaces and line ends included);
- **booleans** agree when equal; a boolean never agrees with a number (TRUE is not 1);
- **errors** agree when the error code is the same (``#N/A`` and ``#VALUE!`` differ);
- an engine's **empty** result agrees only with cached empty text ("" is what Excel caches for a formula that
  returns an empty string, and some engines report it as an empty cell).

Left out of the comparison, for every engine alike (``exclusion``), and counted on their own:

- cells without a cached value (nothing to compare with);
- **volatile** formulas (NOW, TODAY, RAND, RANDBETWEEN, RANDARRAY) and every formula that depends on one: the file
  caches the value of the moment it was saved;
- **locale-cached TEXT**: a formula whose TEXT/DOLLAR/FIXED result was cached by an Excel running in another language
  (``TEXT(A2,"mmm")`` cached as "9月", "sept."); the file does not record that language, so no engine can know it.
  Recognised by a cached text containing a letter outside ASCII where the formula calls TEXT with a date or time
  format (month, day or AM/PM names), or DOLLAR (currency symbol).
"""

from __future__ import annotations

import math
import re
from typing import Any

REL_TOL = 1e-9
ABS_TOL = 1e-12
VOLATILE_FUNCTIONS = frozenset({"NOW", "TODAY", "RAND", "RANDBETWEEN", "RANDARRAY"})

# Function names in formula text: a name followed by "(", outside string literals; prefixes _xlfn./_xlws. dropped.
_STRING_LITERAL = re.compile(r'"(?:[^"]|"")*"')
_FUNCTION_CALL = re.compile(r"(?<![\w.$!\]])((?:_xlfn\.|_xlws\.)*)([A-Za-z_][A-Za-z0-9_.]*)\s*\(")
_TEXT_FORMAT_CALL = re.compile(r'\b(?:_xlfn\.)?TEXT\s*\(', re.IGNORECASE)
_DATE_FORMAT_CODES = re.compile(r'"[^"]*(?:m{3,}|d{3,}|a{3,}|AM/PM|A/P)[^"]*"', re.IGNORECASE)
_DOLLAR_CALL = re.compile(r"\bDOLLAR\s*\(", re.IGNORECASE)


def agrees(expected: tuple[str, Any], got: tuple[str, Any]) -> bool:
    """True when ``got`` (an engine's tagged value) agrees with ``expected`` (the cached one); rules above."""
    kind, value = expected
    got_kind, got_value = got
    if kind == "n":
        if got_kind != "n":
            return False
        difference = abs(value - got_value)
        return difference <= ABS_TOL or difference <= REL_TOL * max(abs(value), abs(got_value))
    if got_kind == "empty":
        return kind == "s" and value == ""
    return bool(kind == got_kind and value == got_value)


def function_names(formula: str) -> list[str]:
    """Upper-case names of the functions a formula calls, in order of appearance, without _xlfn./_xlws. prefixes."""
    stripped = _STRING_LITERAL.sub('""', formula)
    return [match.group(2).upper() for match in _FUNCTION_CALL.finditer(stripped)]


def is_volatile(formula: str) -> bool:
    return any(name in VOLATILE_FUNCTIONS for name in function_names(formula))


def is_locale_cached_text(formula: str, expected: tuple[str, Any] | None) -> bool:
    """A TEXT/DOLLAR result whose cached text shows another language's month/day names or currency (see above)."""
    if expected is None or expected[0] != "s" or not isinstance(expected[1], str):
        return False
    text = expected[1]
    if all(ord(char) < 128 for char in text):
        return False
    if _TEXT_FORMAT_CALL.search(formula) and _DATE_FORMAT_CODES.search(formula):
        return True
    return bool(_DOLLAR_CALL.search(formula))


def tag(value: Any) -> tuple[str, Any]:
    """A Python value of an engine as a tagged value (errors must be tagged by the engine adapter)."""
    if value is None:
        return ("empty", None)
    if isinstance(value, bool):
        return ("b", value)
    if isinstance(value, (int, float)):
        number = float(value)
        return ("n", number) if math.isfinite(number) else ("e", "#NUM!")
    return ("s", str(value))
