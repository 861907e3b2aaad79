"""The character set that CHAR and CODE use: Windows' or the Macintosh's, as the Excel that calculates does.

Microsoft documents CHAR and CODE as platform-dependent: Excel for Windows uses the ANSI character set (Windows-1252
in Western locales), Excel for Mac the Macintosh character set (Mac OS Roman). Files keep the values their author's
Excel computed, so a workbook made on a Mac caches ``CHAR(128)`` as "Ä" where Windows gives "€", and ``CHAR(240)``
as the Apple logo (U+F8FF) where Windows gives "ð". A workbook records which application wrote it
(``docProps/app.xml``: "Microsoft Macintosh Excel"), and the loader takes the character set from there, so that
recalculating reproduces what the author saw (:attr:`~sheetrl.sheet.workbook.Workbook.character_set`).

Codes 1 to 31 and 127 are the ASCII control characters in both sets. The five codes Windows-1252 leaves undefined
(129, 141, 143, 144, 157) map to the control characters with the same numbers, as Windows' own conversion does.
A character outside the set has CODE 63, the code of "?".

The set in use is the one of the workbook being recalculated (:func:`activate`, called around each recalculation
as the date system is), per thread, as the rest of the evaluation state; outside a recalculation it is Windows'.
"""

from __future__ import annotations

import threading

WINDOWS = "windows"
MACINTOSH = "macintosh"
CHARACTER_SETS = (WINDOWS, MACINTOSH)

_UNDEFINED_IN_1252 = frozenset({0x81, 0x8D, 0x8F, 0x90, 0x9D})


def _windows_character(code: int) -> str:
    if code in _UNDEFINED_IN_1252:
        return chr(code)
    return bytes([code]).decode("cp1252")


def _macintosh_character(code: int) -> str:
    return bytes([code]).decode("mac_roman")


# index = code (1 to 255; index 0 unused)
_CHARACTERS = {
    WINDOWS: ("", *(_windows_character(code) for code in range(1, 256))),
    MACINTOSH: ("", *(_macintosh_character(code) for code in range(1, 256))),
}
_CODES = {name: {char: code for code, char in enumerate(table) if code} for name, table in _CHARACTERS.items()}


class _Active(threading.local):
    """The character set of the workbook this thread evaluates (threads recalculating different workbooks each
    have their own)."""

    def __init__(self) -> None:
        self.name = WINDOWS


_ACTIVE = _Active()


def activate(name: str) -> str:
    """Make ``name`` (:data:`WINDOWS` or :data:`MACINTOSH`) the set CHAR and CODE use in this thread; returns the
    previous one."""
    if name not in _CHARACTERS:
        raise ValueError(f"unknown character set {name!r}; expected one of {', '.join(CHARACTER_SETS)}")
    previous = _ACTIVE.name
    _ACTIVE.name = name
    return previous


def character(code: int) -> str:
    """The character with ``code`` (1 to 255) in the active set."""
    return _CHARACTERS[_ACTIVE.name][code]


def code_of(char: str) -> int:
    """The code of one character in the active set; 63 ("?") for a character outside it."""
    return _CODES[_ACTIVE.name].get(char, 63)


def from_application(application: str | None) -> str:
    """The character set of the Excel that wrote a file, from ``docProps/app.xml``'s ``Application`` (Windows' for
    anything but Excel for Mac, including a missing name)."""
    return MACINTOSH if application is not None and "macintosh" in application.lower() else WINDOWS
