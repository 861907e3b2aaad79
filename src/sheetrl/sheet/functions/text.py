"""text functions."""

from __future__ import annotations

from sheetrl.sheet.functions import register  # noqa: F401
