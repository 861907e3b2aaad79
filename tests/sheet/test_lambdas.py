"""LET and LAMBDA: local names, function values, closures, recursion, ISOMITTED."""

from __future__ import annotations

import pytest

from sheetrl.sheet import Workbook
from sheetrl.sheet.errors import CALC, NAME, NUM, VALUE, FormulaSyntaxError


def value(formula: str, **cells: object) -> object:
    wb = Workbook()
    for address, content in cells.items():
        wb.set(address, content)
    wb.set("Z1", formula)
    return wb.value("Z1")


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("=LET(x,5,x+1)", 6),  # Microsoft's LET example
        ("=LET(x,1,y,x+1,x*10+y)", 12),  # a name's value may use the names before it
        ("=LET(X,2,x*x)", 4),  # names are case-insensitive
        ("=LET(x,2,LET(x,3,x)+x)", 5),  # an inner LET shadows an outer name
        ("=LAMBDA(x,x+1)(2)", 3),
        ("=LAMBDA(x,y,x*y)(3,4)", 12),
        ("=LAMBDA(7)()", 7),  # no parameters
        ("=LET(f,LAMBDA(x,x^2),f(3)+f(4))", 25),  # a LAMBDA bound by LET, called by its name
        ("=LET(a,10,f,LAMBDA(x,x+a),f(1))", 11),  # the LAMBDA uses an outer name
        ("=LET(a,1,LAMBDA(x,x+a))(5)", 6),  # ... and keeps it after LET has finished (a closure)
        ("=LET(add,LAMBDA(a,LAMBDA(b,a+b)),add(2)(3))", 5),  # a LAMBDA returning a LAMBDA
        ("=LET(twice,LAMBDA(f,x,f(f(x))),twice(LAMBDA(y,y*3),2))", 18),  # a LAMBDA as an argument
        ("=LAMBDA(a,b,IF(ISOMITTED(b),a,a+b))(1,)", 1),  # Microsoft's ISOMITTED example: b omitted
        ("=LAMBDA(a,b,IF(ISOMITTED(b),a,a+b))(1,2)", 3),
        ("=LAMBDA(a,b,a+b)(1,)", 1),  # an omitted argument reads as empty
        ("=LAMBDA(a,b,a+b)(1)", VALUE),  # fewer arguments than required parameters
        ("=LAMBDA(a,_xlop.b,ISOMITTED(b))(1)", True),  # an optional parameter (Excel's [b]) may be left out
        ("=LAMBDA(a,_xlop.b,IF(ISOMITTED(b),a/2,a*b))(12,3)", 36),
        ("=ISOMITTED(1)", False),
        ("=LAMBDA(x,x)(1,2)", VALUE),  # more arguments than parameters
        ("=LAMBDA(x,x+1)", CALC),  # a LAMBDA left uncalled in a cell
        ("=LET(x,LAMBDA(y,y),x)", CALC),
        ("=LET(x,1/0,5)", 5),  # an error in an unused name does not matter
        ("=LET(x,1/0,x+1)", ZeroDivisionError),
        ("=unknown+1", NAME),
        ("=LET(x,2,y)", NAME),  # a name outside its LET is not bound
        ("=SUM(1,2)(3)", VALUE),  # calling something that is not a LAMBDA
    ],
)
def test_let_and_lambda(formula: str, expected: object) -> None:
    if expected is ZeroDivisionError:
        assert str(value(formula)) == "#DIV/0!"
    else:
        assert value(formula) == expected


def test_let_names_keep_references():
    wb = Workbook()
    wb.set_range("A1", [[1], [2], [3]])
    wb.set("B1", "=LET(r,A1:A3,SUM(r)+COUNT(r))")
    wb.set("B2", "=LET(r,A1:A3,INDEX(r,2))")
    wb.set("B3", '=LET(r,A1:A3,COUNTIF(r,">1"))')
    assert [wb.value(a) for a in ("B1", "B2", "B3")] == [9, 2, 2]
    wb.set("A2", 20)
    assert wb.value("B1") == 27  # the formula depends on the cells its names refer to


def test_let_result_can_spill():
    wb = Workbook()
    wb.set("A1", "=LET(n,3,SEQUENCE(n)*2)")
    assert wb.values("A1:A3") == [[2], [4], [6]]


def test_recursion_through_a_parameter_and_its_limit():
    factorial = "=LET(f,LAMBDA(self,n,IF(n<=1,1,n*self(self,n-1))),f(f,{n}))"
    assert value(factorial.format(n=10)) == 3628800
    assert value("=LET(f,LAMBDA(self,n,self(self,n+1)),f(f,1))") is NUM  # never ends: #NUM!, not a crash


@pytest.mark.parametrize(
    ("formula", "reason"),
    [
        ("=LET(x,1)", "name, value pairs"),
        ("=LET(1,2,3)", "must be a name"),
        ("=LET(x,1,x,2,x)", "twice"),
        ("=LAMBDA(x,x,1)", "two parameters"),
        ("=LAMBDA(1,2)", "must be a name"),
        ("=LAMBDA()", "needs a calculation"),
        ("=LAMBDA(_xlop.a,b,1)", "optional parameters must come after"),
    ],
)
def test_malformed_let_and_lambda_are_rejected_when_entered(formula: str, reason: str) -> None:
    wb = Workbook()
    wb.set("A1", 5)
    with pytest.raises(FormulaSyntaxError, match=reason):
        wb.set("A1", formula)
    assert wb.value("A1") == 5


def test_lambda_names_are_saved_with_the_xlpm_prefix(tmp_path):
    import openpyxl

    wb = Workbook()
    wb.set("A1", "=LET(x,2,f,LAMBDA(y,y*x),f(3))")
    path = tmp_path / "let.xlsx"
    wb.save(path)
    stored = openpyxl.load_workbook(path)["Sheet1"]["A1"].value
    assert stored == "=_xlfn.LET(_xlpm.x,2,_xlpm.f,_xlfn.LAMBDA(_xlpm.y,_xlpm.y*_xlpm.x),_xlpm.f(3))"
    loaded = Workbook.load(path)
    assert loaded.formula("A1") == "=LET(x,2,f,LAMBDA(y,y*x),f(3))" and loaded.value("A1") == 6
    assert loaded.warnings == []


def test_optional_lambda_parameters_are_read_and_written_as_excel_stores_them(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet["A5"] = 12
    sheet["A6"] = "=_xlfn.LAMBDA(_xlpm.a,_xlop.b,IF(_xlfn.ISOMITTED(_xlpm.b),_xlpm.a/2,_xlpm.a*_xlpm.b))(A5)"
    path = tmp_path / "optional.xlsx"
    book.save(path)
    loaded = Workbook.load(path)
    assert loaded.value("A6") == 6 and loaded.warnings == []
    loaded.save(path)
    stored = openpyxl.load_workbook(path)["Sheet1"]["A6"].value
    assert stored == "=_xlfn.LAMBDA(_xlpm.a,_xlop.b,IF(_xlfn.ISOMITTED(_xlpm.b),_xlpm.a/2,_xlpm.a*_xlpm.b))(A5)"


# ---------------------------------------------------------------------------------- function names as LAMBDAs
ROWS = {"A1": 1, "B1": 2, "C1": 3, "A2": 4, "B2": -5, "C2": 6}


def spilled(formula: str, cells: dict[str, object]) -> object:
    wb = Workbook()
    for address, content in cells.items():
        wb.set(address, content)
    wb.set("Z1", formula)
    area = wb.spill_range("Z1")
    return wb.values(area) if area is not None else wb.value("Z1")


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("=BYROW(A1:C2,SUM)", [[6], [5]]),  # Excel's eta-reduced lambda: SUM stands for LAMBDA(r,SUM(r))
        ("=BYROW(A1:C2,_xleta.SUM)", [[6], [5]]),  # as files store it
        ("=BYCOL(A1:C2,MAX)", [[4, 2, 6]]),
        ("=MAP(A1:C2,ABS)", [[1, 2, 3], [4, 5, 6]]),
        ("=MAP(A1:B1,C1:C2,POWER)", "#VALUE!"),  # MAP's arrays must match, whatever the function
        ("=MAP(A1:B2,A1:B2,POWER)", [[1, 4], [256, (-5) ** -5]]),  # two arrays: POWER(x, y)
        ("=REDUCE(0,A1:C2,SUM)", 11),  # SUM(accumulator, value) at each step
        ("=SCAN(0,A1:C1,SUM)", [[1, 3, 6]]),
        ("=MAKEARRAY(2,3,PRODUCT)", [[1, 2, 3], [2, 4, 6]]),
        ("=BYROW(A1:C2,IF)", "#VALUE!"),  # IF takes 2 or 3 arguments, BYROW passes 1 (wrong number of parameters)
        ("=MAP(A1:C2,PERCENTOF)", "#VALUE!"),  # PERCENTOF takes exactly 2
        ("=BYROW(A1:C2,_xleta.NOSUCHFUNCTION)", "#NAME?"),
        ("=TYPE(_xleta.SUM)", 128),  # a function value: TYPE 128, as Excel caches it
        ("=_xleta.SUM", "#CALC!"),  # a function left uncalled in a cell
        ("=LET(f,_xleta.SUM,f(1,2,3))", 6),  # called with any number of arguments SUM takes
        ("=LET(f,_xleta.SUM,f())", "#VALUE!"),  # ... and not with fewer
        ("=SUM", "#NAME?"),  # elsewhere a bare function name is an ordinary name (none is defined)
        ("=TYPE(SUM)", 16),
    ],
)
def test_function_names_stand_for_lambdas(formula: str, expected: object) -> None:
    got = spilled(formula, ROWS)
    if isinstance(expected, str):
        assert str(got) == expected
    else:
        assert got == expected


def test_a_defined_name_comes_before_the_function_of_that_name():
    wb = Workbook()
    for address, content in ROWS.items():
        wb.set(address, content)
    wb.set("E1", "=BYROW(A1:C2,MAX)")
    assert wb.values(wb.spill_range("E1")) == [[3], [6]]
    wb.define_name("Max", "=LAMBDA(row,99)")
    assert wb.values(wb.spill_range("E1")) == [[99], [99]]  # recompiled: the defined LAMBDA
    assert wb.value("E1") == 99
    wb.delete_name("Max")
    assert wb.value("E1") == 3


def test_a_parameter_named_like_a_function_stays_the_parameter():
    assert spilled("=LET(sum,LAMBDA(r,100),BYROW(A1:C2,sum))", ROWS) == [[100], [100]]


def test_function_names_as_lambdas_are_saved_with_the_xleta_prefix(tmp_path):
    import openpyxl

    wb = Workbook()
    for address, content in ROWS.items():
        wb.set(address, content)
    wb.set("E1", "=BYROW(A1:C2,SUM)")
    wb.set("F1", "=REDUCE(0,A1:C2,MAX)")
    wb.set("G1", "=TYPE(_xleta.SUM)")
    wb.set("H1", "=LET(max,LAMBDA(x,x),SUM(MAP(A1:A2,max)))")  # max is LET's name here
    wb.define_name("RowTotals", "=BYROW(Sheet1!$A$1:$C$2,SUM)")
    wb.set("I1", "=SUM(RowTotals)")
    path = tmp_path / "eta.xlsx"
    wb.save(path)
    book = openpyxl.load_workbook(path)
    stored = {address: book["Sheet1"][address].value for address in ("E1", "F1", "G1", "H1")}
    assert stored["E1"].text == "=_xlfn.BYROW(A1:C2,_xleta.SUM)"
    assert stored["F1"].text == "=_xlfn.REDUCE(0,A1:C2,_xleta.MAX)"
    assert stored["G1"] == "=TYPE(_xleta.SUM)"
    assert stored["H1"] == "=_xlfn.LET(_xlpm.max,_xlfn.LAMBDA(_xlpm.x,_xlpm.x),SUM(_xlfn.MAP(A1:A2,_xlpm.max)))"
    assert book.defined_names["RowTotals"].attr_text == "_xlfn.BYROW(Sheet1!$A$1:$C$2,_xleta.SUM)"
    loaded = Workbook.load(path)
    assert loaded.warnings == []
    for address in ("E1", "F1", "G1", "H1", "I1"):
        assert loaded.formula(address) == wb.formula(address)  # shown as typed: the prefix only in the file
    assert loaded.values(loaded.spill_range("E1")) == [[6], [5]]
    assert loaded.value("F1") == 6 and loaded.value("G1") == 128 and loaded.value("H1") == 5
    assert loaded.value("I1") == 11


def test_the_xleta_prefix_stays_where_a_bare_name_would_read_differently(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Sheet1"
    sheet["A1"], sheet["A2"] = 10, 100
    sheet["B1"] = "=SUM(_xlfn.BYROW(A1:A2,_xleta.LOG10))"  # LOG10 alone would be a cell
    sheet["B3"] = "=TYPE(_xleta.SUM)"  # outside a LAMBDA argument SUM alone would be a defined name
    path = tmp_path / "kept.xlsx"
    book.save(path)
    loaded = Workbook.load(path)
    assert loaded.formula("B1") == "=SUM(BYROW(A1:A2,_xleta.LOG10))" and loaded.value("B1") == 3
    assert loaded.formula("B3") == "=TYPE(_xleta.SUM)" and loaded.value("B3") == 128
