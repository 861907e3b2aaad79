"""Test-wide settings: internal errors inside formula functions fail the test instead of becoming #VALUE!."""

import sheetrl.sheet.workbook as workbook_module

workbook_module.STRICT = True
