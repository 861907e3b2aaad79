"""Operator chains compiled to one generated function (sheet.fused): the values must be exactly those of the
closure per operator they replace, whatever the operands hold."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sheetrl.sheet import Workbook, compiler, fused
from sheetrl.sheet.errors import DIV0, NUM, VALUE
from sheetrl.sheet.nodes import Chain, Paren

INPUTS = ["A1", "A2", "A3", "A4", "B1"]
WATCHED = [f"{col}{row}" for col in "CDE" for row in range(1, 5)]  # the formula at C1 and where it may spill

leaves = st.sampled_from(
    ["A1", "A2", "$A$3", "A4", "B1", "0", "1", "0.1", "0.2", "0.3", "3", "2.5", "1E+308", "1E-300", '"2"', '"x"',
     '""', "TRUE", "FALSE", "#N/A", "A1:A3", "A1:B1", "SUM(A1:A3)", "IF(A1>A2,A3,A4)", "B9", "Nowhere!A1"]
)
OPERATORS = ["+", "-", "*", "/", "^", "&", "=", "<>", "<", "<=", ">", ">="]


def operator_expressions(leaf: st.SearchStrategy[str], max_leaves: int, signs: bool = True) -> st.SearchStrategy[str]:
    """Expressions of ``leaf`` texts joined by the binary operators, in parentheses, negated, and with ``signs``
    also with a unary + and a %."""
    def forms(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        extra = [inner.map(lambda e: f"+{e}"), inner.map(lambda e: f"{e}%")] if signs else []
        return st.one_of(
            st.tuples(inner, st.sampled_from(OPERATORS), inner).map(lambda t: f"{t[0]}{t[1]}{t[2]}"),
            inner.map(lambda e: f"({e})"),
            inner.map(lambda e: f"-{e}"),
            *extra,
        )

    return st.recursive(leaf, forms, max_leaves=max_leaves)


expressions = operator_expressions(leaves, 12)
contents = st.one_of(
    st.floats(-1e6, 1e6, allow_nan=False).map(lambda x: round(x, 3)),
    st.sampled_from([0.1, 0.2, 0.3, -0.1, 1e16, -1e16, 1.7e308, -1.7e308, 1e-300, -0.0, 0.0, 1.0, 2.0]),
    st.sampled_from(["2", "x", "", "1e400", True, False, None, "=1/0", "=NA()", "=SEQUENCE(2)"]),
)


@pytest.fixture(autouse=True)
def _generate_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every chain generated the first time it is met (normally only once several formulas share its structure)."""
    monkeypatch.setattr(fused, "uses_before_generating", lambda program: 1)


def _evaluated(formula: str, cells: dict[str, object], fuse: bool, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    with monkeypatch.context() as patch:
        patch.setattr(compiler, "FUSED_CHAINS", fuse)
        wb = Workbook()
        with wb.batch():
            for address, value in cells.items():
                wb.set(address, value)
            wb.set("C1", "=" + formula)
        before = [repr(wb.value_at(wb.key(a))) for a in WATCHED]
        wb.set("A1", 0.5)  # recalculated by the same compiled function
        return before + [repr(wb.value_at(wb.key(a))) for a in WATCHED]


@settings(max_examples=400, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(expressions, st.fixed_dictionaries(dict.fromkeys(INPUTS, contents)))
def test_a_fused_chain_equals_its_closures(formula: str, cells: dict[str, object]) -> None:
    monkeypatch = pytest.MonkeyPatch()
    monkeypatch.setattr(fused, "uses_before_generating", lambda program: 1)  # (fixtures do not reach examples)
    try:
        closures = _evaluated(formula, cells, False, monkeypatch)
    except Exception as error:  # a formula the parser rejects is rejected with or without fusion
        with pytest.raises(type(error)):
            _evaluated(formula, cells, True, monkeypatch)
        return
    assert _evaluated(formula, cells, True, monkeypatch) == closures, formula


@pytest.mark.parametrize(
    ("formula", "expected"),
    [
        ("=0.1+0.2-0.3", 0.0),  # cancels to 0 as in Excel, not 5.55e-17
        ("=1E+308*10", NUM),
        ("=1E+308+1E+308", NUM),
        ("=A1/0", DIV0),
        ("=A1/B1", DIV0),  # an empty cell divides as 0
        ("=A1*2+1", 7.0),
        ("=A2+1", 3.0),  # text that reads as a number
        ("=A3+1", VALUE),
        ('=A1&"!"', "3!"),
        ("=0.1+0.2=0.3", True),  # equal to 15 digits
        ("=A1>=3", True),
        ("=-A1^2", 9.0),  # the sign binds before ^
        ("=A1%*100", 3.0),
        ("=(A1+1)*(A1-1)/-A1", -8.0 / 3.0),
    ],
)
def test_hand_computed_values(formula: str, expected: object) -> None:
    wb = Workbook()
    wb.set("A1", 3.0)
    wb.set("A2", "2")
    wb.set("A3", "x")
    wb.set("C1", formula)
    assert wb.value_at(wb.key("C1")) == expected


def test_a_structure_is_generated_once_enough_formulas_share_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # the real threshold
    monkeypatch.setattr(compiler, "_FUSION", fused.ChainFusion(
        compiler._BINARY, compiler._negate, compiler._percent, compiler._stored, compiler._CANCEL, NUM, DIV0))
    program = ("cell", "float", "*", "float", "+")
    threshold = fused.uses_before_generating(program)
    assert threshold == 6  # two operators
    wb = Workbook()
    rows = range(1, threshold + 4)
    for row in rows:
        wb.set(f"A{row}", float(row))
        wb.set(f"B{row}", f"=A{row}*2+1")
    codes = [wb._formulas[wb.key(f"B{row}")].fn.__code__ for row in rows]
    generated = [code.co_filename == "<fused operator chain>" for code in codes]
    assert generated == [False] * (threshold - 1) + [True] * 4  # closures until the structure is common enough
    assert len({code for code, fused_code in zip(codes, generated) if fused_code}) == 1  # one shared factory
    assert [wb.value(f"B{row}") for row in rows] == [2 * row + 1 for row in rows]
    assert fused.uses_before_generating(("cell", "cell", "+", fused.CELL_VALUE)) == 4


def test_a_chain_longer_than_the_limit_keeps_its_closures() -> None:
    wb = Workbook()
    wb.set("A1", 1.0)
    long_sum = "=" + "+".join(["A1"] * (compiler.FUSED_OPERATORS + 2))
    wb.set("B1", long_sum)
    assert wb.value("B1") == compiler.FUSED_OPERATORS + 2
    assert wb._formulas[wb.key("B1")].fn.__code__.co_filename != "<fused operator chain>"


def test_generated_source_tests_types_only_where_an_operand_may_not_be_a_float() -> None:
    fusion = compiler._FUSION
    source = fusion.source(("cell", "float", "*", "float", "+"))
    assert source.count("type(") == 2  # the cell's value and the product (#NUM! on overflow); not the constants
    assert "MUL(" in source and "ADD(" in source  # the general operators, for anything else
    with pytest.raises(ValueError, match="malformed"):
        fusion.source(("cell", "cell"))


def test_the_unary_and_cell_value_steps() -> None:
    source = fused.ChainFusion({}, abs, abs, abs, 1.0, NUM, DIV0).source(("cell", "neg", fused.CELL_VALUE))
    assert "NEG(" in source and "TO_CELL(" in source


# ------------------------------------------------------------------------------------------------ FormulaTemplate
# A chain of cells and numbers compiled once is compiled at any other cell by its template (a loader's filled-down
# column): the function, and the cells the workbook links it to, must be those of compiling the moved tree.
template_leaves = st.sampled_from(["A1", "$A$3", "B$2", "$C4", "D7", "0.5", "3", "1E+308", "Other!B2", "Other!$A$1"])
template_chains = operator_expressions(template_leaves, 8, signs=False).filter(
    lambda text: any(op in text for op in OPERATORS)
)


@settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(template_chains, st.integers(0, 40), st.integers(0, 20), st.sampled_from([1, 2]))
def test_a_template_compiles_a_chain_at_another_cell_as_its_moved_tree(
    text: str, row: int, col: int, sheet: int
) -> None:
    from sheetrl.sheet.compiler import FormulaCompiler
    from sheetrl.sheet.parser import parse
    from sheetrl.sheet.references import shift

    sheet_ids = {"DATA": 1, "OTHER": 2}
    tree = parse("=" + text)
    first = FormulaCompiler(sheet_ids, 1, 10, 5).compile(tree)
    whole = tree
    while type(whole) is Paren:
        whole = whole.inner
    if type(whole) is not Chain:  # (a sign or a lone operand around the chain: compiled by itself)
        assert first.template is None
        return
    assert first.template is not None, text
    moved = shift(tree, row - 10, col - 5)
    expected = FormulaCompiler(sheet_ids, sheet, row, col).compile(moved)
    instantiated = first.template.instantiate(sheet, row, col)
    if instantiated is None:  # a reference left the sheet: the moved tree holds #REF!, compiled by itself
        assert "RefError" in repr(moved)
        return
    assert instantiated.cells == expected.cells
    assert instantiated.template == expected.template
    values = {key: float(index % 7) - 2.5 for index, key in enumerate(sorted(expected.cells))}
    assert repr(instantiated.fn(values)) == repr(expected.fn(values))


def test_a_chain_with_anything_but_cells_and_numbers_has_no_template() -> None:
    from sheetrl.sheet.compiler import FormulaCompiler
    from sheetrl.sheet.parser import parse

    for text in ("=A1+SUM(B1:B2)", '=A1&"x"', "=A1+Nowhere!B1", "=A1+TRUE", "=SUM(A1:A2)", "=A1"):
        assert FormulaCompiler({"DATA": 1}, 1, 3, 3).compile(parse(text)).template is None, text


@settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
@given(template_chains, st.integers(0, 40), st.integers(0, 20), st.sampled_from([1, 2]))
def test_a_template_fixed_at_its_cell_compiles_the_same_text_anywhere(text: str, row: int, col: int,
                                                                      sheet: int) -> None:
    from sheetrl.sheet.compiler import FormulaCompiler
    from sheetrl.sheet.parser import parse

    sheet_ids = {"DATA": 1, "OTHER": 2}
    tree = parse("=" + text)
    first = FormulaCompiler(sheet_ids, 1, 10, 5).compile(tree)
    if first.template is None:  # (not a chain as a whole)
        return
    fixed = first.template.fixed_at(10, 5)
    if "!" in text:  # a sheet's id belongs to one workbook: such a text keeps no template of its own
        assert fixed is None
        return
    assert fixed is not None
    expected = FormulaCompiler(sheet_ids, sheet, row, col).compile(tree)  # the same text, at another cell
    instantiated = fixed.instantiate(sheet, row, col)
    assert instantiated is not None
    assert instantiated.cells == expected.cells
    values = {key: float(index % 5) + 0.5 for index, key in enumerate(sorted(expected.cells))}
    assert repr(instantiated.fn(values)) == repr(expected.fn(values))
