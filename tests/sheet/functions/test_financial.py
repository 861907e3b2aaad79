"""Financial functions: PMT FV PV NPER NPV IRR RATE (expected values checked against LibreOffice Calc)."""

from __future__ import annotations

import pytest

from sheetrl.sheet.workbook import Workbook


def calc(formula: str, cells: dict[str, object] | None = None) -> object:
    """Value of a formula in a fresh workbook, with optional input cells."""
    wb = Workbook()
    for address, value in (cells or {}).items():
        wb.set(address, value)
    wb.set("Z1", formula)
    return wb.value("Z1")


def approx(value: float) -> object:
    return pytest.approx(value, rel=1e-9, abs=1e-9)


# ================================================================================================ PMT
def test_pmt_monthly_mortgage_payment() -> None:
    assert calc("=PMT(0.05/12,360,200000)") == approx(-1073.64324602428)
    assert calc("=PMT(0.08/12,10,10000)") == approx(-1037.03208935915)


def test_pmt_with_future_value_and_payments_in_advance() -> None:
    assert calc("=PMT(0.08/12,10,10000,0,1)") == approx(-1030.16432717797)
    assert calc("=PMT(0.06/12,18*12,0,50000)") == approx(-129.081160867991)
    assert calc("=PMT(0.1,5,-1000,500,1)") == approx(165.362491270339)
    assert calc("=PMT(0.1,2,100,0,2)") == calc("=PMT(0.1,2,100,0,1)")  # any non-zero type means "in advance"


def test_pmt_zero_rate_divides_evenly() -> None:
    assert calc("=PMT(0,12,1200)") == -100
    assert calc("=PMT(0,12,1200,300)") == -125
    assert calc("=PMT(0,4,1000,0,1)") == -250


def test_pmt_errors() -> None:
    assert str(calc("=PMT(0.1,0,100)")) == "#NUM!"
    assert str(calc('=PMT("abc",10,100)')) == "#VALUE!"
    assert str(calc("=PMT(1/0,10,100)")) == "#DIV/0!"
    assert calc("=PMT(-0.05,10,1000)") == approx(-74.6065359345489)


# ================================================================================================ FV
def test_fv_of_savings() -> None:
    assert calc("=FV(0.06/12,10,-200,-500,1)") == approx(2581.40337406014)
    assert calc("=FV(0.12/12,12,-1000)") == approx(12682.503013197)
    assert calc("=FV(0.11/12,35,-2000,,1)") == approx(82846.2463719006)


def test_fv_zero_rate_and_lump_sum() -> None:
    assert calc("=FV(0,10,-100,-1000)") == 2000
    assert calc("=FV(0.05,10,0,-1000)") == approx(1628.89462677744)
    assert calc("=FV(-0.5,3,-100)") == approx(175)


def test_fv_reads_cells_and_propagates_errors() -> None:
    assert calc("=FV(A1,A2,A3)", {"A1": 0.01, "A2": 12, "A3": -1000}) == approx(12682.503013197)
    assert str(calc("=FV(A1,12,-100)", {"A1": "rate"})) == "#VALUE!"
    assert str(calc("=FV(0.1,12,-100,#N/A)")) == "#N/A"
    assert str(calc("=FV(1E+300,1E+300,-1)")) == "#NUM!"


# ================================================================================================ PV
def test_pv_of_annuity() -> None:
    assert calc("=PV(0.08/12,240,500)") == approx(-59777.1458511878)
    assert calc("=PV(0.05,10,-100,1000,1)") == approx(196.868914023647)


def test_pv_zero_rate_and_lump_sum() -> None:
    assert calc("=PV(0,10,-100,-500)") == 1500
    assert calc("=PV(0.1,3,0,1000)") == approx(-751.314800901578)


def test_pv_inverts_fv() -> None:
    fv = calc("=FV(0.07,8,-250,-3000)")
    assert calc(f"=PV(0.07,8,-250,{fv})") == approx(-3000)
    assert str(calc('=PV("x",1,1)')) == "#VALUE!"


# ================================================================================================ NPER
def test_nper_number_of_payments() -> None:
    assert calc("=NPER(0.12/12,-100,-1000,10000,1)") == approx(59.6738656742946)
    assert calc("=NPER(0.01,-100,1000)") == approx(10.5886444594232)
    assert calc("=NPER(0.01,100,1000)") == approx(-9.57859403981317)


def test_nper_zero_rate() -> None:
    assert calc("=NPER(0,-100,1000)") == 10
    assert calc("=NPER(0,-100,1000,-500)") == 5
    assert calc("=NPER(0,-100,1000,500)") == 15


def test_nper_errors() -> None:
    assert str(calc("=NPER(0,0,1000)")) == "#NUM!"
    assert str(calc("=NPER(0.05,-50,1000)")) == "#NUM!"  # interest alone exceeds the payment
    assert str(calc("=NPER(0.1,-10,1000)")) == "#NUM!"


# ================================================================================================ NPV
def test_npv_of_cash_flows() -> None:
    assert calc("=NPV(0.1,-10000,3000,4200,6800)") == approx(1188.44341233522)
    assert calc("=NPV(0.08,8000,9200,10000,12000,14500)+(-40000)") == approx(1922.06155493236)
    assert calc("=NPV(0,100,200)") == 300


def test_npv_takes_ranges_and_arrays() -> None:
    cells = {"A1": 100, "A2": 200, "A3": 300}
    assert calc("=NPV(0.1,A1:A3)", cells) == approx(481.592787377911)
    assert calc("=NPV(0.1,{100,200,300})") == approx(481.592787377911)
    assert calc("=NPV(0.1,A1,A2:A3)", cells) == approx(481.592787377911)


def test_npv_skips_text_and_empty_cells_in_ranges() -> None:
    cells = {"A1": 100, "A2": "note", "A4": 200, "A5": True}
    # Only the numbers count and they take consecutive periods.
    assert calc("=NPV(0.1,A1:A5)", cells) == approx(100 / 1.1 + 200 / 1.1**2)


def test_npv_direct_arguments_and_errors() -> None:
    assert calc('=NPV(0.1,"100",TRUE)') == approx(100 / 1.1 + 1 / 1.1**2)  # Excel counts these; LibreOffice errs
    assert str(calc('=NPV(0.1,"abc")')) == "#VALUE!"
    assert str(calc("=NPV(0.1,A1:A2)", {"A1": 5, "A2": "=1/0"})) == "#DIV/0!"
    assert str(calc("=NPV(-1,100)")) == "#DIV/0!"


# ================================================================================================ IRR
def test_irr_of_investment() -> None:
    assert calc("=IRR({-70000,12000,15000,18000,21000,26000})") == approx(0.0866309480365316)
    assert calc("=IRR({-70000,12000,15000,18000,21000})") == approx(-0.021244848273411)
    assert calc("=IRR({-100,110})") == approx(0.1)
    assert calc("=IRR({-100,0,0,0,200})") == approx(0.189207115002721)


def test_irr_reads_ranges_skipping_text() -> None:
    cells = {"A1": -1000, "A2": 300, "A3": "x", "A4": 400, "A5": 500}
    assert calc("=IRR(A1:A5)", cells) == approx(calc("=IRR({-1000,300,400,500})"))
    assert calc("=IRR(A1:A5,0.2)", cells) == approx(calc("=IRR({-1000,300,400,500})"))


def test_irr_with_guess() -> None:
    assert calc("=IRR({-70000,12000,15000},-0.1)") == approx(-0.443506941334741)
    assert calc("=IRR({-70000,12000,15000},-0.4)") == approx(-0.443506941334741)
    assert calc("=IRR({-10,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,1,100})") == approx(
        0.130222816600774
    )


def test_irr_without_solution_is_num_error() -> None:
    assert str(calc("=IRR({100,200})")) == "#NUM!"  # no negative flow
    assert str(calc("=IRR({-1000,3000,-2500})")) == "#NUM!"  # NPV never reaches zero
    assert str(calc("=IRR({-1000,3000,-2500},0.5)")) == "#NUM!"
    assert str(calc("=IRR(5)")) == "#NUM!"


def test_irr_error_in_range_is_value() -> None:
    # As Excel caches it in real workbooks: any error among the flows is #VALUE!, and so is a guess of -1 or below.
    assert str(calc("=IRR(A1:A3)", {"A1": -100, "A2": "=1/0", "A3": 120})) == "#VALUE!"
    assert str(calc("=IRR({-100,110},-1)")) == "#VALUE!"


# ================================================================================================ RATE
def test_rate_of_loan() -> None:
    assert calc("=RATE(48,-200,8000)") == approx(0.00770147248820185)
    assert calc("=RATE(4*12,-200,8000)*12") == approx(0.0924176698584222)
    assert calc("=RATE(360,-1073.64,200000)") == pytest.approx(0.00416664453636, rel=1e-8)


def test_rate_with_future_value_type_and_guess() -> None:
    assert calc("=RATE(10,0,-1000,2000)") == approx(0.0717734625362932)
    assert calc("=RATE(10,-100,1000,-200)") == approx(0.0303176032634246)
    assert calc("=RATE(12,-100,1000,0,0,0.5)") == approx(0.0292285407691339)
    assert calc("=RATE(1,0,-100,110)") == approx(0.1)


def test_rate_zero_and_negative_solutions() -> None:
    assert calc("=RATE(10,-100,1000)") == pytest.approx(0, abs=1e-9)
    assert calc("=RATE(10,-100,1000,0,1)") == pytest.approx(0, abs=1e-9)
    assert calc("=RATE(10,-10,1000)") == approx(-0.287788013118089)


def test_rate_without_solution_is_num_error() -> None:
    assert str(calc("=RATE(10,-100,-1000)")) == "#NUM!"
    assert str(calc("=RATE(0,-100,1000)")) == "#NUM!"
    assert str(calc("=RATE(10,-100,1000,0,0,-2)")) == "#NUM!"
    assert str(calc('=RATE(10,"x",1000)')) == "#VALUE!"
