"""Excel error values and the exceptions the engine raises for bad input.

Error *values* (``#DIV/0!`` ...) are ordinary cell values: formulas produce and propagate them. Exceptions are for
misuse of the API (a malformed address, an unparsable formula, an unreadable file) and always carry a sentence that
names the problem.
"""

from __future__ import annotations

from typing import ClassVar, final


@final  # no subclasses: lets type checkers narrow ``type(x) is ExcelError`` tests, the engine's idiom
class ExcelError:
    """An Excel error value such as ``#DIV/0!``. Instances are interned: compare with ``is`` or ``==``."""

    __slots__ = ("code",)
    code: str
    _interned: ClassVar[dict[str, ExcelError]] = {}

    def __new__(cls, code: str) -> ExcelError:
        existing = cls._interned.get(code)
        if existing is not None:
            return existing
        instance = super().__new__(cls)
        instance.code = code
        cls._interned[code] = instance
        return instance

    def __str__(self) -> str:
        return self.code

    def __repr__(self) -> str:
        return f"ExcelError({self.code!r})"

    def __reduce__(self) -> tuple[type, tuple[str]]:
        return (ExcelError, (self.code,))


DIV0 = ExcelError("#DIV/0!")
NA = ExcelError("#N/A")
NAME = ExcelError("#NAME?")
NULL = ExcelError("#NULL!")
NUM = ExcelError("#NUM!")
REF = ExcelError("#REF!")
VALUE = ExcelError("#VALUE!")
# A cell that is part of a circular reference. Excel shows a warning and 0, LibreOffice shows Err:522; an explicit
# error value is safer for agents (a cycle is never mistaken for a correct zero) and is documented in docs/.
CYCLE = ExcelError("#CYCLE!")
# A dynamic-array formula whose result cannot spill: a cell it would cover is not empty, or it runs off the sheet.
SPILL = ExcelError("#SPILL!")
# A calculation Excel cannot represent: an empty array (FILTER with no match), an array of arrays, a LAMBDA left
# uncalled in a cell.
CALC = ExcelError("#CALC!")

ERROR_CODES: dict[str, ExcelError] = {
    e.code: e for e in (DIV0, NA, NAME, NULL, NUM, REF, VALUE, CYCLE)
}
# The errors that came with dynamic arrays. Kept apart from ERROR_CODES, whose order other layers number (the
# environment's token vocabulary), but read and written like the others.
ARRAY_ERROR_CODES: dict[str, ExcelError] = {e.code: e for e in (SPILL, CALC)}
_ALL_ERROR_CODES = {**ERROR_CODES, **ARRAY_ERROR_CODES}


def error_from_code(code: str) -> ExcelError | None:
    """Return the error value spelled ``code`` (case-insensitive), or None if it is not an error literal."""
    return _ALL_ERROR_CODES.get(code.upper())


class SheetError(ValueError):
    """Base class for every error the engine raises on bad input."""


class AddressError(SheetError):
    """A cell or range address that cannot be parsed or lies outside the grid."""


class FormulaSyntaxError(SheetError):
    """Formula text that cannot be parsed; ``position`` is the 0-based character offset of the problem."""

    def __init__(self, formula: str, position: int, reason: str) -> None:
        self.formula = formula
        self.position = position
        self.reason = reason
        pointer = formula[max(0, position - 20) : position + 20]
        super().__init__(f"cannot parse formula {formula!r} at position {position}: {reason} (near {pointer!r})")


class WorkbookFileError(SheetError):
    """An .xlsx file that cannot be read or written (missing, corrupt, encrypted, too large, not xlsx)."""
