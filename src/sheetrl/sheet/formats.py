"""Cell formats: font, number format, fill, borders, alignment.

A :class:`CellFormat` is immutable and hashable, so identical formats are shared between cells and clones.
Number formats use Excel's format codes (``0.00``, ``$#,##0.00``, ``0%``, ``yyyy-mm-dd``); the named presets below
are what the environment's ``format`` command offers. Rendering a value with a format code is
:func:`sheetrl.sheet.number_format.format_value`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

NUMBER_FORMAT_PRESETS: dict[str, str] = {
    "general": "General",
    "integer": "0",
    "number": "0.00",
    "thousands": "#,##0",
    "currency": '"$"#,##0.00',
    "accounting": '_("$"* #,##0.00_)',
    "percent": "0%",
    "percent2": "0.00%",
    "date": "yyyy-mm-dd",
    "scientific": "0.00E+00",
    "text": "@",
}

HORIZONTAL_ALIGNMENTS = ("general", "left", "center", "right")
BORDER_STYLES = ("none", "thin", "medium", "thick", "double")


@dataclass(frozen=True, slots=True)
class CellFormat:
    """The formatting of one cell. Colours are ``RRGGBB`` hex strings or None."""

    bold: bool = False
    italic: bool = False
    underline: bool = False
    number_format: str = "General"
    font_color: str | None = None
    fill_color: str | None = None
    horizontal: str = "general"
    border_top: str = "none"
    border_bottom: str = "none"
    border_left: str = "none"
    border_right: str = "none"

    def with_changes(self, **changes: Any) -> CellFormat:
        """A copy with some attributes changed (validated)."""
        updated = replace(self, **changes)
        updated.validate()
        return updated

    def validate(self) -> None:
        """Raise ValueError naming the bad attribute."""
        if self.horizontal not in HORIZONTAL_ALIGNMENTS:
            raise ValueError(f"horizontal alignment must be one of {HORIZONTAL_ALIGNMENTS}, not {self.horizontal!r}")
        for side in ("border_top", "border_bottom", "border_left", "border_right"):
            if getattr(self, side) not in BORDER_STYLES:
                raise ValueError(f"{side} must be one of {BORDER_STYLES}, not {getattr(self, side)!r}")
        for attr in ("font_color", "fill_color"):
            colour = getattr(self, attr)
            if colour is not None and not _is_hex_colour(colour):
                raise ValueError(f"{attr} must be an RRGGBB hex colour, not {colour!r}")
        if not isinstance(self.number_format, str) or not self.number_format:
            raise ValueError("number_format must be a non-empty format code such as '0.00'")

    @property
    def is_default(self) -> bool:
        return self == DEFAULT_FORMAT


def _is_hex_colour(text: str) -> bool:
    return isinstance(text, str) and len(text) == 6 and all(c in "0123456789abcdefABCDEF" for c in text)


def resolve_number_format(name_or_code: str) -> str:
    """A preset name ('currency') or an Excel format code ('0.0%') to a format code."""
    return NUMBER_FORMAT_PRESETS.get(name_or_code.lower(), name_or_code) if name_or_code else "General"


DEFAULT_FORMAT = CellFormat()
