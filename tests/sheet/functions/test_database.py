"""Database functions and Excel's criteria ranges."""

from __future__ import annotations

from typing import Any

import pytest

from .cases import case, run

# Records in A1:C7 (Name, Region, Sales); criteria blocks further right.
SALES = {
    "A1": "Name", "B1": "Region", "C1": "Sales",
    "A2": "Davolio", "B2": "East", "C2": 100,
    "A3": "David", "B3": "West", "C3": 250,
    "A4": "Dav", "B4": "East", "C4": 75,
    "A5": "Buchanan", "B5": "East", "C5": "n/a",
    "A6": "Suyama", "B6": "West",
    "A7": "davis", "B7": "North", "C7": 40,
    "E1": "Name", "E2": "Dav",
    "F1": "Name", "F2": '="=Dav"',
    "G1": "Region", "G2": "East", "G3": "West", "H1": "Sales", "H2": ">80",
    "I1": "Sales", "I2": ">=50", "J1": "Sales", "J2": "<=100",
    "K1": "Region", "K2": "<>East",
    "L1": "Bonus", "L2": ">0",
    "M1": "Region",
}  # fmt: skip


@pytest.mark.parametrize(
    ("formula", "expected", "cells"),
    [
        case("text-without-operator-matches-a-prefix", '=DSUM(A1:C7,"Sales",E1:E2)', 100 + 250 + 75 + 40, SALES),
        case("equals-text-matches-whole-value", '=DSUM(A1:C7,"Sales",F1:F2)', 75, SALES),
        case("rows-are-or", '=DCOUNTA(A1:C7,"Name",G1:G3)', 5, SALES),
        case("columns-are-and", '=DSUM(A1:C7,"Sales",G1:H2)', 100, SALES),
        case("same-field-twice-in-a-row-is-and", '=DSUM(A1:C7,"Sales",I1:J2)', 100 + 75, SALES),
        case("not-equal", '=DCOUNTA(A1:C7,"Name",K1:K2)', 3, SALES),
        case("unknown-label-never-matches", '=DCOUNTA(A1:C7,"Name",L1:L2)', 0, SALES),
        case("empty-condition-row-matches-all", '=DCOUNTA(A1:C7,"Name",M1:M2)', 6, SALES),
        case("dcount-counts-numbers-only", '=DCOUNT(A1:C7,"Sales",M1:M2)', 4, SALES),
        case("dcount-without-field-counts-records", "=DCOUNT(A1:C7,,G1:G2)", 3, SALES),
        case("daverage-skips-text", '=DAVERAGE(A1:C7,"Sales",G1:G2)', 87.5, SALES),
        case("dget-one-record", '=DGET(A1:C7,"Region",F1:F2)', "East", SALES),
        case("dget-empty-value-is-zero", '=DGET(A1:C7,"Sales",N1:N2)', 0, {**SALES, "N1": "Name", "N2": "Suyama"}),
        case("dget-no-record", '=DGET(A1:C7,"Sales",N1:N2)', "#VALUE!", {**SALES, "N1": "Name", "N2": "Zed"}),
        case("dget-several-records", '=DGET(A1:C7,"Sales",G1:G2)', "#NUM!", SALES),
        case("field-position", "=DSUM(A1:C7,3,F1:F2)", 75, SALES),
        case("field-position-zero", "=DSUM(A1:C7,0,F1:F2)", "#VALUE!", SALES),
        case("field-unknown-label", '=DSUM(A1:C7,"Profit",F1:F2)', "#VALUE!", SALES),
        case("dmax-no-numbers-is-zero", '=DMAX(A1:C7,"Name",G1:G2)', 0, SALES),
        case("dproduct", '=DPRODUCT(A1:C7,"Sales",G1:G2)', 7500, SALES),
        case("dstdev-one-value-is-div0", '=DSTDEV(A1:C7,"Sales",F1:F2)', "#DIV/0!", SALES),
        case("dvarp-one-value", '=DVARP(A1:C7,"Sales",F1:F2)', 0, SALES),
        case("database-must-be-a-range", '=DSUM(5,"Sales",F1:F2)', "#VALUE!", SALES),
        case("text-field-sums-to-zero", '=DSUM(A1:B3,"Region",E1:E2)', 0, SALES),
        # Measured in workbooks Excel calculated:
        # two columns labelled Qty: the field and the criteria both use the first (B), so 2 rather than 10 + 20
        case("first-of-equal-labels-is-the-field", '=DSUM(A1:C3,"Qty",E1:E2)', 2,
             {"A1": "Name", "B1": "Qty", "C1": "Qty", "A2": "ant", "B2": 1, "C2": 10, "A3": "bee", "B3": 2, "C3": 20,
              "E1": "Qty", "E2": ">1"}),
        case("label-compared-as-text", '=DCOUNTA(A1:C7,"Name",N1:N2)', 2,
             {**SALES, "B1": True, "N1": "true", "N2": "West"}),
        case("logical-field-is-a-position", "=DCOUNTA(A1:C7,TRUE,G1:G2)", 3, SALES),
        case("database-without-records", '=DCOUNT(A1:C1,"Sales",G1:G2)', "#VALUE!", SALES),
        case("dcount-without-records-or-field", "=DCOUNT(A1:C1,,G1:G2)", "#VALUE!", SALES),
        case("error-value-propagates", '=DSUM(A1:C3,"Sales",E1:E2)', "#DIV/0!", {**SALES, "C3": "=1/0"}),
    ],
)
def test_database_functions(formula: str, expected: Any, cells: dict[str, Any] | None) -> None:
    run(formula, expected, cells)
