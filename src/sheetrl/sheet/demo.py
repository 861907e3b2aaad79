"""A small, realistic workbook that exercises the engine: used by ``sheetrl sheet demo`` and the docs."""

from __future__ import annotations

from sheetrl.sheet.workbook import Workbook

PRODUCTS = [
    ("Widget", "East", 120, 2.5),
    ("Gadget", "West", 35, 19.99),
    ("Doohickey", "East", 60, 7.25),
    ("Gizmo", "North", 12, 120.0),
    ("Thingamajig", "West", 80, 4.1),
    ("Whatsit", "North", 45, 11.0),
]


def build_demo_workbook() -> Workbook:
    """A sales table with row formulas filled down, totals, a share-of-total column, formats and a pivot."""
    wb = Workbook(["Sales"])
    wb.set_range("Sales!A1", [["Product", "Region", "Units", "Price", "Revenue", "Share", "Band"]])
    for offset, (product, region, units, price) in enumerate(PRODUCTS):
        wb.set_range(f"Sales!A{offset + 2}", [[product, region, units, price]])
    last = len(PRODUCTS) + 1
    wb.set("Sales!E2", "=C2*D2")
    wb.fill("Sales!E2", f"Sales!E3:E{last}")
    wb.set("Sales!F2", f"=E2/$E${last + 1}")
    wb.fill("Sales!F2", f"Sales!F3:F{last}")
    wb.set("Sales!G2", '=IF(E2>=500,"high",IF(E2>=250,"mid","low"))')
    wb.fill("Sales!G2", f"Sales!G3:G{last}")
    wb.set(f"Sales!A{last + 1}", "Total")
    wb.set(f"Sales!C{last + 1}", f"=SUM(C2:C{last})")
    wb.set(f"Sales!E{last + 1}", f"=SUM(E2:E{last})")
    wb.set(f"Sales!F{last + 1}", f"=SUM(F2:F{last})")
    wb.set_format("Sales!A1:G1", bold=True)
    wb.set_format(f"Sales!A{last + 1}:G{last + 1}", bold=True)
    wb.set_format(f"Sales!D2:E{last + 1}", number_format="currency")
    wb.set_format(f"Sales!F2:F{last + 1}", number_format="percent")
    wb.set_column_width("A", 14)
    wb.add_pivot(f"Sales!A1:E{last}", rows="Region", values="Revenue", aggregation="sum", anchor="Sales!I1")
    return wb
