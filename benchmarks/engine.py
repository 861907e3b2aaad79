#!/usr/bin/env python3
"""Spreadsheet engine benchmark: ``sheetrl.sheet`` against ironcalc, formualizer, pycel and formulas.

Run from the repository root::

    python3 benchmarks/engine.py [--quick] [--engines sheetrl,ironcalc,formualizer,pycel,formulas]
                                 [--json OUT] [--markdown] [--skip-memory]
    python3 benchmarks/engine.py --load-rounds N [--baseline-src DIR] [--markdown]   # xlsx load only
    python3 benchmarks/engine.py --edit-rounds N [--baseline-src DIR] [--markdown]   # edits only

``--load-rounds`` measures only xlsx load + evaluate, sheetrl, ironcalc and formualizer taking turns (see
``run_load_round_robin``); ``--edit-rounds`` only the edits, the same way (``run_edit_round_robin``);
``--baseline-src`` adds a sheetrl imported from another checkout's ``src``.

Every engine is measured in the same run on the same two workbooks (generated here from a seeded RNG,
identical for every engine, and saved once with openpyxl -- formulas included, no cached values -- for the
xlsx measures). An engine that cannot be imported is skipped with a one-line note.

Workbook (a) -- small table, sheet ``Sheet1``, footprint A1:J20, 103 data cells, 30 formulas
------------------------------------------------------------------------------------------------
* ``A1:A12``  row keys: the integers 101..112 in a shuffled order (data).
* ``B1:H12``  7 x 12 numbers, ``round(uniform(0, 100), 2)`` (data).
* ``I1:I12``  row totals ``=SUM(Br:Hr)``                                          (12 formulas)
* ``B13:I13`` column averages ``=AVERAGE(X1:X12)`` for X = B..I                     (8 formulas)
* ``J1:J5``   IFs on the row totals ``=IF(Ir>$I$13+$B$19,(Ir-$I$13)*$B$20,0)``    (5 formulas)
* ``A14:A18`` lookup keys: the keys of rows 1, 4, 7, 10, 12 (data).
* ``B14:B18`` ``=VLOOKUP(Ar,$A$1:$I$12,k,FALSE)`` with k = 9, 2, 5, 9, 8            (5 formulas)
* ``B19`` margin 20, ``B20`` rate 0.5 (data).
* Edited input: ``B1``, alternating between 5 and 95 (flips the IF in J1); the 30 formula values are read.

Workbook (b) -- chained model, sheet ``Sheet1``, 8,000 data cells, 2,000 formulas
---------------------------------------------------------------------------------
* ``A1:H1000`` 8 x 1000 numbers, ``round(uniform(0, 100), 2)`` (data).
* ``I1:I500``  running total of A: ``I1=A1``, ``Ir=I(r-1)+Ar``                      (500, chain of 500)
* ``J1:J500``  damped chain with a cross-column term:
  ``J1=B1-I1*0.001``, ``Jr=J(r-1)*0.99+Br-Ir*0.001``                             (500, chain of 500)
* ``K1:K500``  independent chain ``K1=C1-D1``, ``Kr=K(r-1)+Cr-Dr``                  (500, chain of 500)
* ``L1:L100``  block sums ``Lk=SUM(A(10k-9):H(10k))`` (10 x 8 blocks)                  (100)
* ``M1:M100``  block averages of the chains ``Mk=AVERAGE(I(5k-4):J(5k))``             (100)
* ``N1:N100``  running total of the block sums ``Nk=SUM($L$1:Lk)``                    (100)
* ``O1:O200``  ``Or=IF(J(2r)>K(2r),I(2r)-K(2r),K(2r)-J(2r))+Fr``                    (200)
* Edited input: ``A1`` (top of the I chain), alternating between 1.5 and 98.5. Its transitive dependents
  are computed once from the formula texts (I1:I500, J1:J500, L1, M1:M100, N1:N100, O1:O200 = 1,401
  formulas); that same list is read back in every engine.

Measures (median of adaptive repeats, microseconds per operation)
-----------------------------------------------------------------
* ``build``  create the workbook from scratch through the engine API: data cells first (row-major), then
  formulas in dependency order, ending with current values (sheetrl: ``set()`` keeps values current;
  ironcalc: one ``evaluate()`` at the end; formualizer: ``set_value``/``set_formula`` then
  ``evaluate_all()``). pycel and formulas can only load files: ``n/a``.
* ``load``   load the openpyxl-saved xlsx and read every formula value (the file carries no cached values,
  so this includes the first calculation). sheetrl ``Workbook.load`` + ``value()``; ironcalc
  ``load_from_xlsx`` + ``evaluate`` + ``get_cell_value``; formualizer ``load_workbook`` + ``evaluate_all`` +
  ``get_value``; pycel ``ExcelCompiler`` + ``evaluate`` of every
  formula; formulas ``ExcelModel().loads().finish()`` + ``calculate()``.
* ``recalc`` full recalculation of every formula: ``wb.recalculate()``, ``Model.evaluate()``,
  ``ExcelCompiler.recalculate()``, ``ExcelModel.calculate()``.
* ``edit``   set the edited input to its next value, recalculate, and read the formula values listed above:
  sheetrl ``set`` + ``value`` per cell (or one ``values(list)`` call when the Workbook offers that bulk
  read; the output says which); ironcalc ``update_cell_with_number`` + ``evaluate`` + ``get_cell_value``;
  pycel ``set_value`` + ``evaluate(list)``; formulas ``calculate(inputs=..., outputs=...)``.
* ``clone``  independent copy: ``wb.clone()``; ironcalc ``load_from_bytes(model.to_bytes())``; pycel
  ``copy.deepcopy(compiler)``; formulas ``copy.deepcopy(model)``.
* memory (workbook (b) only) RSS of a fresh subprocess per engine: baseline after imports and an untimed
  pass over workbook (a) (so lazily imported modules are not counted), then build (or load for
  pycel/formulas) + full recalc + one edit; peak (VmHWM, reset before the work) and retained (VmRSS
  after) deltas. RSS covers native allocations too (ironcalc's Rust heap), unlike tracemalloc.

Correctness is checked once per engine and workbook against reference values computed here in plain
Python: every formula value after build/load, the read values after an edit, and a clone edited
independently of its original (relative tolerance 1e-9, absolute below 1). Any mismatch prints a WARNING
row.

Timing: ``time.perf_counter_ns``; warm-up calls first; operations shorter than 20 us are timed in
batches; the number of samples is chosen so one measurement takes about 0.5 s (0.1 s with ``--quick``),
with at least 3 samples (1 with ``--quick``; 2 for formulas, whose operations on (b) take seconds).
``--quick`` skips formulas on workbook (b) and times an operation that takes over a second by one call.
Each engine runs in a fresh subprocess of its own (only its modules and objects on the heap), which
first makes one untimed pass over workbook (a) (build or load, recalc, edit, clone) so lazily imported code
is loaded. The garbage collector stays enabled (collected before each measurement). Ratios are ``engine time / sheetrl
time`` (above 1 means sheetrl is faster).
"""

from __future__ import annotations

import argparse
import copy
import datetime as _dt
import gc
import json
import math
import os
import platform
import random
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
_SRC = ROOT / "src"
if _SRC.is_dir() and str(_SRC) not in sys.path:
    sys.path.insert(0, str(_SRC))
os.environ.setdefault("TQDM_DISABLE", "1")  # formulas draws progress bars otherwise

ENGINES = ("sheetrl", "ironcalc", "formualizer", "pycel", "formulas")
MEASURES = ("build", "load", "recalc", "edit", "edit_local", "clone")
SHEET = "Sheet1"
REL_TOL = 1e-9

# --------------------------------------------------------------------------------------------------
# A1 helpers
# --------------------------------------------------------------------------------------------------


def col_letters(col: int) -> str:
    """1-based column number to letters (1 -> A)."""
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


def col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def a1(row: int, col: int) -> str:
    return f"{col_letters(col)}{row}"


_CELL_RE = re.compile(r"^([A-Z]+)(\d+)$")
_REF_RE = re.compile(r"(?<![A-Za-z_])\$?([A-Z]{1,3})\$?(\d+)(?::\$?([A-Z]{1,3})\$?(\d+))?")


def rc(addr: str) -> tuple[int, int]:
    """'B3' -> (3, 2), 1-based."""
    m = _CELL_RE.match(addr)
    assert m, addr
    return int(m.group(2)), col_number(m.group(1))


def expand(first: str, last: str) -> list[str]:
    r1, c1 = rc(first)
    r2, c2 = rc(last)
    return [a1(r, c) for r in range(min(r1, r2), max(r1, r2) + 1) for c in range(min(c1, c2), max(c1, c2) + 1)]


def formula_refs(text: str) -> list[str]:
    """Cells a formula text refers to (ranges expanded, $ dropped)."""
    out: list[str] = []
    for m in _REF_RE.finditer(text):
        first = f"{m.group(1)}{m.group(2)}"
        if m.group(3):
            out.extend(expand(first, f"{m.group(3)}{m.group(4)}"))
        else:
            out.append(first)
    return out


# --------------------------------------------------------------------------------------------------
# Workbook specifications with a plain-Python reference evaluator
# --------------------------------------------------------------------------------------------------


@dataclass
class Spec:
    name: str
    title: str
    data: list[tuple[str, float]] = field(default_factory=list)  # (address, value), insertion order
    formulas: list[tuple[str, str, Callable[[dict], float]]] = field(default_factory=list)  # (addr, "=...", fn)
    edit_cell: str = ""
    edit_values: tuple[float, float] = (0.0, 0.0)
    reads: list[str] = field(default_factory=list)  # formula values read after an edit
    local_edit_cell: str = ""  # a second, typical edit: an input few formulas depend on ("edit_local")

    @property
    def formula_cells(self) -> list[str]:
        return [f[0] for f in self.formulas]

    def reference(self, overrides: dict[str, float] | None = None) -> dict[str, float]:
        """Values of every cell computed in plain Python (formulas are listed in dependency order)."""
        v: dict[str, float] = dict(self.data)
        if overrides:
            v.update(overrides)
        for addr, _text, fn in self.formulas:
            v[addr] = fn(v)
        return v

    def dependents(self, cell: str) -> list[str]:
        """Formulas that depend on ``cell`` directly or transitively, in formula order."""
        changed = {cell}
        out = []
        for addr, text, _fn in self.formulas:  # dependency order: one pass suffices
            if any(r in changed for r in formula_refs(text)):
                changed.add(addr)
                out.append(addr)
        return out

    def check_order(self) -> None:
        seen = {a for a, _ in self.data}
        for addr, text, _fn in self.formulas:
            for r in formula_refs(text):
                assert r in seen, f"{addr} refers to {r} before it is defined"
            seen.add(addr)


def _sum(v: dict, cells: list[str]) -> float:
    return sum(v.get(c, 0.0) for c in cells)


def _avg(v: dict, cells: list[str]) -> float:
    return sum(v[c] for c in cells) / len(cells)


def workbook_a(seed: int = 20240501) -> Spec:
    rng = random.Random(seed)
    s = Spec("a", "(a), 20×10 table")
    keys = list(range(101, 113))
    rng.shuffle(keys)
    for r in range(1, 13):
        s.data.append((f"A{r}", float(keys[r - 1])))
        for c in range(2, 9):
            s.data.append((a1(r, c), round(rng.uniform(0, 100), 2)))
    lookup_rows = [1, 4, 7, 10, 12]
    for i, r in enumerate(lookup_rows):
        s.data.append((f"A{14 + i}", float(keys[r - 1])))
    s.data.append(("B19", 20.0))
    s.data.append(("B20", 0.5))

    for r in range(1, 13):
        cells = expand(f"B{r}", f"H{r}")
        s.formulas.append((f"I{r}", f"=SUM(B{r}:H{r})", lambda v, cs=cells: _sum(v, cs)))
    for c in range(2, 10):
        L = col_letters(c)
        cells = expand(f"{L}1", f"{L}12")
        s.formulas.append((f"{L}13", f"=AVERAGE({L}1:{L}12)", lambda v, cs=cells: _avg(v, cs)))
    for r in range(1, 6):
        def f_if(v, r=r):
            return (v[f"I{r}"] - v["I13"]) * v["B20"] if v[f"I{r}"] > v["I13"] + v["B19"] else 0.0

        s.formulas.append((f"J{r}", f"=IF(I{r}>$I$13+$B$19,(I{r}-$I$13)*$B$20,0)", f_if))
    for i, k in enumerate([9, 2, 5, 9, 8]):
        r = 14 + i

        def f_vl(v, r=r, k=k):
            for row in range(1, 13):
                if v[f"A{row}"] == v[f"A{r}"]:
                    return v[a1(row, k)]
            raise LookupError

        s.formulas.append((f"B{r}", f"=VLOOKUP(A{r},$A$1:$I$12,{k},FALSE)", f_vl))
    s.edit_cell = "B1"
    s.edit_values = (5.0, 95.0)
    s.reads = s.formula_cells
    return s


def workbook_b(seed: int = 20240502) -> Spec:
    rng = random.Random(seed)
    s = Spec("b", "(b), chained model")
    for r in range(1, 1001):
        for c in range(1, 9):
            s.data.append((a1(r, c), round(rng.uniform(0, 100), 2)))
    F = s.formulas
    F.append(("I1", "=A1", lambda v: v["A1"]))
    for r in range(2, 501):
        F.append((f"I{r}", f"=I{r-1}+A{r}", lambda v, r=r: v[f"I{r-1}"] + v[f"A{r}"]))
    F.append(("J1", "=B1-I1*0.001", lambda v: v["B1"] - v["I1"] * 0.001))
    for r in range(2, 501):
        F.append((f"J{r}", f"=J{r-1}*0.99+B{r}-I{r}*0.001",
                  lambda v, r=r: v[f"J{r-1}"] * 0.99 + v[f"B{r}"] - v[f"I{r}"] * 0.001))
    F.append(("K1", "=C1-D1", lambda v: v["C1"] - v["D1"]))
    for r in range(2, 501):
        F.append((f"K{r}", f"=K{r-1}+C{r}-D{r}", lambda v, r=r: v[f"K{r-1}"] + v[f"C{r}"] - v[f"D{r}"]))
    for k in range(1, 101):
        cells = expand(f"A{10*k-9}", f"H{10*k}")
        F.append((f"L{k}", f"=SUM(A{10*k-9}:H{10*k})", lambda v, cs=cells: _sum(v, cs)))
    for k in range(1, 101):
        cells = expand(f"I{5*k-4}", f"J{5*k}")
        F.append((f"M{k}", f"=AVERAGE(I{5*k-4}:J{5*k})", lambda v, cs=cells: _avg(v, cs)))
    for k in range(1, 101):
        cells = [f"L{i}" for i in range(1, k + 1)]
        F.append((f"N{k}", f"=SUM($L$1:L{k})", lambda v, cs=cells: _sum(v, cs)))
    for r in range(1, 201):
        q = 2 * r

        def f_o(v, q=q, r=r):
            i, j, k = v[f"I{q}"], v[f"J{q}"], v[f"K{q}"]
            return (i - k if j > k else k - j) + v[f"F{r}"]

        F.append((f"O{r}", f"=IF(J{q}>K{q},I{q}-K{q},K{q}-J{q})+F{r}", f_o))
    s.edit_cell = "A1"
    s.edit_values = (1.5, 98.5)
    s.reads = s.dependents("A1")
    s.local_edit_cell = "H995"  # read only by its block sum L100 and the running total N100
    return s


def save_xlsx(spec: Spec, path: Path) -> None:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = SHEET
    for addr, value in spec.data:
        ws[addr] = value
    for addr, text, _fn in spec.formulas:
        ws[addr] = text
    wb.save(path)


# --------------------------------------------------------------------------------------------------
# Engine adapters
# --------------------------------------------------------------------------------------------------


class Engine:
    """One engine behind a uniform interface. Handles are engine-specific objects."""

    name = "?"
    can_build = True
    persistent_edits = True  # an edit stays in the workbook (False: formulas, whose calculate() is stateless)
    min_samples: int | None = None  # fewer samples for very slow engines (None: the run's default)

    def setup(self) -> str:
        """Import the engine; return its version string. Raise to skip the engine."""
        raise NotImplementedError

    def build(self, spec: Spec) -> Any:
        raise NotImplementedError

    def load(self, spec: Spec, path: Path) -> Any:
        raise NotImplementedError

    def recalc(self, h: Any) -> None:
        raise NotImplementedError

    def clone(self, h: Any) -> Any:
        raise NotImplementedError

    def read(self, h: Any, spec: Spec, cells: list[str]) -> list[Any]:
        raise NotImplementedError

    def make_edit(self, h: Any, spec: Spec) -> Callable[[float], list[Any]]:
        """Return f(value): set the edited input, recalculate, return the values of ``spec.reads``."""
        raise NotImplementedError


class SheetrlEngine(Engine):
    name = "sheetrl"
    read_path = "value() per cell"

    def setup(self) -> str:
        import sheetrl
        from sheetrl.sheet import Workbook

        self.Workbook = Workbook
        return getattr(sheetrl, "__version__", "?")

    def build(self, spec):
        wb = self.Workbook()
        st = wb.set
        for addr, value in spec.data:
            st(addr, value)
        for addr, text, _ in spec.formulas:
            st(addr, text)
        return wb

    def load(self, spec, path):
        wb = self.Workbook.load(str(path))
        val = wb.value
        for addr in spec.formula_cells:
            val(addr)
        return wb

    def recalc(self, h):
        h.recalculate()

    def clone(self, h):
        return h.clone()

    def read(self, h, spec, cells):
        return [h.value(a) for a in cells]

    def make_edit(self, h, spec):
        cell, reads, st = spec.edit_cell, spec.reads, h.set
        bulk = getattr(h, "values", None)
        if callable(bulk):  # optional bulk read: wb.values(list_of_addresses) -> list of values
            self.read_path = "values(list)"

            def edit(x):
                st(cell, x)
                return bulk(reads)

            return edit
        self.read_path = "value() per cell"
        val = h.value

        def edit(x):
            st(cell, x)
            return [val(a) for a in reads]

        return edit


class IroncalcEngine(Engine):
    name = "ironcalc"

    def setup(self) -> str:
        import ironcalc

        self.ic = ironcalc
        return ironcalc.__version__

    def build(self, spec):
        m = self.ic.create("bench")
        num, fml = m.update_cell_with_number, m.update_cell_with_formula
        for addr, value in spec.data:
            r, c = rc(addr)
            num(0, r, c, float(value))
        for addr, text, _ in spec.formulas:
            r, c = rc(addr)
            fml(0, r, c, text)
        m.evaluate()
        return m

    def load(self, spec, path):
        m = self.ic.load_from_xlsx(str(path))
        m.evaluate()
        get = m.get_cell_value
        for r, c in [rc(a) for a in spec.formula_cells]:
            get(0, r, c)
        return m

    def recalc(self, h):
        h.evaluate()

    def clone(self, h):
        return self.ic.load_from_bytes(h.to_bytes())

    def read(self, h, spec, cells):
        return [h.get_cell_value(0, *rc(a)) for a in cells]

    def make_edit(self, h, spec):
        er, ec = rc(spec.edit_cell)
        coords = [rc(a) for a in spec.reads]
        num, ev, get = h.update_cell_with_number, h.evaluate, h.get_cell_value

        def edit(x):
            num(0, er, ec, x)
            ev()
            return [get(0, r, c) for r, c in coords]

        return edit


class PycelEngine(Engine):
    name = "pycel"
    can_build = False

    def setup(self) -> str:
        from importlib.metadata import version

        from pycel import ExcelCompiler

        self.ExcelCompiler = ExcelCompiler
        return version("pycel")

    def load(self, spec, path):
        c = self.ExcelCompiler(filename=str(path))
        c.evaluate([f"{SHEET}!{a}" for a in spec.formula_cells])
        return c

    def recalc(self, h):
        h.recalculate()

    def clone(self, h):
        return copy.deepcopy(h)

    def read(self, h, spec, cells):
        return list(h.evaluate([f"{SHEET}!{a}" for a in cells]))

    def make_edit(self, h, spec):
        cell = f"{SHEET}!{spec.edit_cell}"
        reads = [f"{SHEET}!{a}" for a in spec.reads]
        setv, ev = h.set_value, h.evaluate

        def edit(x):
            setv(cell, x)
            return ev(reads)

        return edit


class _FormulasHandle:
    """A formulas ExcelModel plus the solution keys of our cells ("'[book.xlsx]SHEET1'!B1")."""

    def __init__(self, model, keys: dict[str, str]):
        self.model = model
        self.keys = keys


class FormulasEngine(Engine):
    name = "formulas"
    can_build = False
    persistent_edits = False
    min_samples = 2

    def setup(self) -> str:
        import formulas

        self.fm = formulas
        return formulas.__version__

    def load(self, spec, path):
        model = self.fm.ExcelModel().loads(str(path)).finish()
        sol = model.calculate()
        keys = {}
        for k in sol:
            tail = k.rsplit("!", 1)[-1]
            if ":" not in tail:
                keys[tail] = k
        for a in spec.formula_cells:
            sol[keys[a]].value[0, 0]
        return _FormulasHandle(model, keys)

    def recalc(self, h):
        h.model.calculate()

    def clone(self, h):
        return _FormulasHandle(copy.deepcopy(h.model), h.keys)

    def read(self, h, spec, cells):
        sol = h.model.calculate(outputs=[h.keys[a] for a in cells])
        return [sol[h.keys[a]].value[0, 0] for a in cells]

    def make_edit(self, h, spec):
        key = h.keys[spec.edit_cell]
        outs = [h.keys[a] for a in spec.reads]
        calc = h.model.calculate

        def edit(x):
            sol = calc(inputs={key: x}, outputs=outs)
            return [sol[k].value[0, 0] for k in outs]

        return edit


class FormualizerEngine(Engine):
    name = "formualizer"

    def setup(self) -> str:
        from importlib.metadata import version

        import formualizer

        self.fz = formualizer
        return version("formualizer")

    def build(self, spec):
        wb = self.fz.Workbook()
        wb.add_sheet(SHEET)
        setv, setf = wb.set_value, wb.set_formula
        for addr, value in spec.data:
            setv(SHEET, *rc(addr), float(value))
        for addr, text, _ in spec.formulas:
            setf(SHEET, *rc(addr), text)
        wb.evaluate_all()
        return wb

    def load(self, spec, path):
        wb = self.fz.load_workbook(str(path))
        wb.evaluate_all()
        get = wb.get_value
        for r, c in [rc(a) for a in spec.formula_cells]:
            get(SHEET, r, c)
        return wb

    full_recalc = False  # evaluate_all() recomputes only what an edit made dirty: nothing to time as "recalc"

    def recalc(self, h):
        h.evaluate_all()

    def clone(self, h):
        copy_ = self.fz.Workbook.from_bytes(h.to_xlsx_bytes())
        copy_.evaluate_all()
        return copy_

    def read(self, h, spec, cells):
        return [h.get_value(SHEET, *rc(a)) for a in cells]

    def make_edit(self, h, spec):
        er, ec = rc(spec.edit_cell)
        coords = [rc(a) for a in spec.reads]
        setv, ev, get = h.set_value, h.evaluate_all, h.get_value

        def edit(x):
            setv(SHEET, er, ec, float(x))
            ev()
            return [get(SHEET, r, c) for r, c in coords]

        return edit


ENGINE_CLASSES = {"sheetrl": SheetrlEngine, "ironcalc": IroncalcEngine, "pycel": PycelEngine,
                  "formulas": FormulasEngine, "formualizer": FormualizerEngine}


# --------------------------------------------------------------------------------------------------
# Correctness
# --------------------------------------------------------------------------------------------------


def _close(got: Any, want: float) -> bool:
    try:
        g = float(got)
    except (TypeError, ValueError):
        return False
    return abs(g - want) <= REL_TOL * max(abs(g), abs(want), 1.0)


def compare(got: list[Any], cells: list[str], ref: dict[str, float]) -> str | None:
    """None when every value matches, else a short description of the mismatches."""
    bad = [(a, g, ref[a]) for a, g in zip(cells, got) if not _close(g, ref[a])]
    if len(got) != len(cells):
        return f"{len(got)} values returned for {len(cells)} cells"
    if not bad:
        return None
    a, g, w = bad[0]
    return f"{len(bad)} of {len(cells)} values differ (first: {a} = {g!r}, expected {w!r})"


# --------------------------------------------------------------------------------------------------
# Timing
# --------------------------------------------------------------------------------------------------


@dataclass
class Timing:
    median_ns: float
    samples: int
    inner: int
    min_ns: float
    total_s: float


def measure(op: Callable[[], Any], target_s: float, min_samples: int) -> Timing:
    """Median time of ``op`` in ns. Warm up, then pick batch size and sample count so the whole
    measurement takes about ``target_s``; never fewer than ``min_samples`` samples."""
    pc = time.perf_counter_ns
    gc.collect()
    start = pc()
    warm: list[int] = []
    # warm-up: 2-3 calls (one first call may include one-time costs); a single call for multi-second ops
    while len(warm) < 3 and (
        not warm
        or (len(warm) == 1 and warm[0] < 2 * target_s * 1e9)
        or pc() - start < 0.1 * target_s * 1e9
    ):
        t0 = pc()
        op()
        warm.append(pc() - t0)
    if min_samples == 1 and warm[0] >= max(1e9, 5 * target_s * 1e9):
        # --quick and an operation of seconds: the one call made is the measurement
        return Timing(float(warm[0]), 1, 1, float(warm[0]), (pc() - start) / 1e9)
    est = max(min(warm), 50)
    inner = max(1, math.ceil(20_000 / est))  # every sample lasts >= ~20 us
    n = int(target_s * 1e9 / (est * inner))
    n = max(n, min_samples)
    samples: list[float] = []
    t_begin = pc()
    deadline = t_begin + 3 * target_s * 1e9
    rng = range(inner)
    for _ in range(n):
        t0 = pc()
        for _ in rng:
            op()
        samples.append((pc() - t0) / inner)
        if len(samples) >= min_samples and pc() > deadline:
            break
    return Timing(statistics.median(samples), len(samples), inner, min(samples), (pc() - start) / 1e9)


# --------------------------------------------------------------------------------------------------
# Memory (subprocess per engine)
# --------------------------------------------------------------------------------------------------


def _proc_status_kib(field_name: str) -> int | None:
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def memory_child(engine_name: str, tmp: str) -> dict:
    eng = ENGINE_CLASSES[engine_name]()
    eng.setup()
    warm_pass(eng, tmp)  # so lazily imported modules are not counted as workbook memory
    spec = workbook_b()
    xlsx = Path(tmp) / "bench_b.xlsx"
    gc.collect()
    base = _proc_status_kib("VmRSS")
    reset = False
    try:
        with open("/proc/self/clear_refs", "w") as fh:
            fh.write("5")  # reset VmHWM to the current RSS
        reset = True
    except OSError:
        pass
    h = eng.build(spec) if eng.can_build else eng.load(spec, xlsx)
    eng.recalc(h)
    eng.make_edit(h, spec)(spec.edit_values[1])
    gc.collect()
    hwm = _proc_status_kib("VmHWM")
    rss = _proc_status_kib("VmRSS")
    return {
        "engine": engine_name,
        "how": "build" if eng.can_build else "load",
        "baseline_mib": base / 1024 if base else None,
        "peak_delta_mib": (hwm - base) / 1024 if (hwm and base) else None,
        "retained_delta_mib": (rss - base) / 1024 if (rss and base) else None,
        "peak_reset": reset,
    }


def run_memory(engine_name: str, tmp: str) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--_memory-child", engine_name, "--_dir", tmp]
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        return {"engine": engine_name, "error": "timed out"}
    lines = [ln for ln in p.stdout.splitlines() if ln.startswith("{")]
    if p.returncode != 0 or not lines:
        tail = (p.stderr.strip().splitlines() or ["?"])[-1]
        return {"engine": engine_name, "error": f"exit {p.returncode}: {tail}"}
    return json.loads(lines[-1])


# --------------------------------------------------------------------------------------------------
# xlsx load + evaluate, engines alternated round-robin (--load-rounds)
# --------------------------------------------------------------------------------------------------

LOAD_ENGINES = ("sheetrl", "ironcalc", "formualizer")
LOAD_MODES = ("first", "again")


def load_child(name: str, tmp: str, src: str | None) -> None:
    """Serve timed loads for one engine: one "WORKBOOK MODE" line in, one JSON line out per load.

    Mode ``first``: the file is met for the first time (sheetrl's cache of parsed formula texts is emptied
    first); ``again``: the same file loaded again (that cache is warm). ironcalc and formualizer keep nothing
    between loads, so both modes measure the same thing for them.
    """
    if src:
        sys.path.insert(0, src)
    eng = ENGINE_CLASSES[name]()
    version = eng.setup()
    specs = {s.name: s for s in (workbook_a(), workbook_b())}
    warm_pass(eng, tmp)
    print(json.dumps({"version": version}), flush=True)
    checked: set[str] = set()
    for line in sys.stdin:
        wb_name, mode = line.split()
        spec = specs[wb_name]
        if mode == "first" and name == "sheetrl":
            from sheetrl.sheet import parser, xlsx

            parser._CACHE.clear()
            for name in ("_PARSED_TEXTS", "_TEXT_TEMPLATES"):  # (an older checkout as the baseline has neither)
                remembered = getattr(xlsx, name, None)
                if remembered is not None:
                    remembered.clear()
        gc.collect()
        t0 = time.perf_counter_ns()
        h = eng.load(spec, Path(tmp) / f"bench_{wb_name}.xlsx")
        elapsed = time.perf_counter_ns() - t0
        problem = None
        if wb_name not in checked:
            checked.add(wb_name)
            problem = compare(eng.read(h, spec, spec.formula_cells), spec.formula_cells, spec.reference())
        del h
        print(json.dumps({"ns": elapsed, "problem": problem}), flush=True)


def _start_lanes(child_flag: str, tmp: str, baseline_src: str | None,
                 problems: list[str]) -> tuple[dict[str, subprocess.Popen[str]], dict[str, str]]:
    """One child process per engine (and one more sheetrl from ``baseline_src``), each past its start-up line."""
    lanes = [("sheetrl", "sheetrl", None)]
    if baseline_src:
        lanes.append(("sheetrl (baseline)", "sheetrl", baseline_src))
    lanes += [(name, name, None) for name in LOAD_ENGINES[1:]]
    procs: dict[str, subprocess.Popen[str]] = {}
    versions: dict[str, str] = {}
    for label, engine, src in lanes:
        cmd = [sys.executable, str(Path(__file__).resolve()), child_flag, engine, "--_dir", tmp]
        if src:
            cmd += ["--_src", src]
        proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        hello = proc.stdout.readline()
        if not hello.startswith("{"):
            proc.kill()
            problems.append(f"note: {label} skipped (its process did not start)")
            continue
        procs[label] = proc
        greeting = json.loads(hello)
        versions[label] = greeting["version"]
        problems += [f"WARNING: {label} {p}" for p in greeting.get("problems", [])]
    return procs, versions


def _round_robin(procs: dict[str, subprocess.Popen[str]], requests: list[str], rounds: int,
                 problems: list[str]) -> dict[str, list[float]]:
    """Send each request ``rounds`` times to every lane, one lane after another, the first lane of a round rotating;
    collect the answers' ``ns`` under ``"<lane>/<request words joined by />"``. Closes the lanes."""
    times: dict[str, list[float]] = {}
    order = list(procs)
    for request in requests:
        for r in range(rounds):
            for label in order[r % len(order):] + order[: r % len(order)]:
                proc = procs[label]
                assert proc.stdin is not None and proc.stdout is not None
                proc.stdin.write(request + "\n")
                proc.stdin.flush()
                answer = json.loads(proc.stdout.readline())
                times.setdefault("/".join([label, *request.split()]), []).append(answer["ns"])
                if answer.get("problem"):
                    problems.append(f"WARNING: {label} {request}: {answer['problem']}")
        log(f"  round-robin ({request}) done")
    for proc in procs.values():
        assert proc.stdin is not None
        proc.stdin.close()
        proc.wait()
    return times


def run_load_round_robin(tmp: str, rounds: int, baseline_src: str | None) -> dict[str, Any]:
    """Median load + evaluate time per engine, workbook and mode; the engines take turns, one load each, the
    first engine of a round rotating, each in its own process (a second sheetrl from ``baseline_src``)."""
    problems: list[str] = []
    procs, versions = _start_lanes("--_load-child", tmp, baseline_src, problems)
    lanes = list(procs)
    requests = [f"{wb_name} {mode}" for wb_name in ("a", "b") for mode in LOAD_MODES]
    times = _round_robin(procs, requests, rounds, problems)
    return {"versions": versions, "times": times, "problems": problems, "lanes": lanes, "rounds": rounds}


# --------------------------------------------------------------------------------------------------
# edits, engines alternated round-robin (--edit-rounds)
# --------------------------------------------------------------------------------------------------

EDIT_MEASURES = (("a", "edit"), ("b", "edit"), ("b", "edit_local"))
EDIT_SAMPLE_SECONDS = 0.3  # each request times single edits for about this long (at least EDIT_MIN_SAMPLES)
EDIT_MIN_SAMPLES = 5


def edit_child(name: str, tmp: str, src: str | None) -> None:
    """Serve timed edits for one engine: both workbooks loaded once from their xlsx files and their values checked
    after one edit of each kind; then one "WORKBOOK KIND" line in, one JSON line out: the median ns of the single
    edits (set the input, recalculate, read the dependent formulas) timed for about EDIT_SAMPLE_SECONDS."""
    if src:
        sys.path.insert(0, src)
    eng = ENGINE_CLASSES[name]()
    version = eng.setup()
    warm_pass(eng, tmp)
    problems: list[str] = []
    edits: dict[tuple[str, str], tuple[Callable[[float], list[Any]], tuple[float, float]]] = {}
    for spec in (workbook_a(), workbook_b()):
        h = eng.load(spec, Path(tmp) / f"bench_{spec.name}.xlsx")
        kinds = [("edit", spec)]
        if spec.local_edit_cell:
            kinds.append(("edit_local", replace(spec, edit_cell=spec.local_edit_cell,
                                                reads=spec.dependents(spec.local_edit_cell))))
        for kind, edited in kinds:
            edit = eng.make_edit(h, edited)
            value = edited.edit_values[1]
            problem = compare(list(edit(value)), edited.reads, edited.reference({edited.edit_cell: value}))
            if problem:
                problems.append(f"workbook {spec.name} values after {kind} {edited.edit_cell}={value:g}: {problem}")
            edit(dict(spec.data)[edited.edit_cell])  # back to the file's value, so the next check's reference holds
            edits[(spec.name, kind)] = (edit, edited.edit_values)
    print(json.dumps({"version": version, "problems": problems}), flush=True)
    pc = time.perf_counter_ns
    for line in sys.stdin:
        wb_name, kind = line.split()
        edit, (v0, v1) = edits[(wb_name, kind)]
        gc.collect()
        samples: list[int] = []
        start = pc()
        while len(samples) < EDIT_MIN_SAMPLES or pc() - start < EDIT_SAMPLE_SECONDS * 1e9:
            value = v1 if len(samples) % 2 == 0 else v0
            t0 = pc()
            edit(value)
            samples.append(pc() - t0)
        print(json.dumps({"ns": statistics.median(samples)}), flush=True)


def run_edit_round_robin(tmp: str, rounds: int, baseline_src: str | None) -> dict[str, Any]:
    """Median edit time per engine, workbook and kind of edit; the engines take turns as in the load rounds."""
    problems: list[str] = []
    procs, versions = _start_lanes("--_edit-child", tmp, baseline_src, problems)
    lanes = list(procs)
    times = _round_robin(procs, [f"{wb} {kind}" for wb, kind in EDIT_MEASURES], rounds, problems)
    return {"versions": versions, "times": times, "problems": problems, "lanes": lanes, "rounds": rounds}


def render_edit(result: dict[str, Any], argv: list[str], as_markdown: bool) -> str:
    """The edit table: per engine, µs per edit (median over rounds of each round's median) and time / sheetrl's."""
    times = result["times"]
    cols = ["Engine"] + [f"({wb}) {kind}" for wb, kind in EDIT_MEASURES]
    rows = []
    for label in result["lanes"]:
        row = [label]
        for wb, kind in EDIT_MEASURES:
            got = times.get(f"{label}/{wb}/{kind}")
            base = times.get(f"sheetrl/{wb}/{kind}")
            if not got:
                row.append("—")
                continue
            t = statistics.median(got)
            cell = f"{t / 1e3:,.1f} ({min(got) / 1e3:,.1f}–{max(got) / 1e3:,.1f})"
            if label != "sheetrl" and base:
                cell += f" [{fmt_ratio(t, statistics.median(base))}]"
            row.append(cell)
        rows.append(row)
    lines = [_header(argv, result["versions"]), "", *_table(cols, rows, as_markdown), ""]
    note = (f"µs per edit (set the input, recalculate, read the formulas that depend on it): the median over "
            f"{result['rounds']} rounds of each round's median single edit (range of the rounds in brackets); "
            "engines alternated round-robin (one request each per round, the first engine rotating), each in its "
            "own process, workbooks loaded from the same xlsx files; [k×] = engine time / sheetrl time (above 1: "
            "sheetrl is faster). edit: workbook (a) sets B1 (13 of 30 formulas depend on it), (b) sets A1 (1,401 "
            "of 2,000); edit_local: (b) sets H995 (2 formulas).")
    return "\n".join(lines + _notes([note, *result["problems"]], as_markdown))


def _notes(notes: list[str], as_markdown: bool) -> list[str]:
    return [f"- {n}" if as_markdown else n for n in notes]


def _header(argv: list[str], versions: dict[str, str]) -> str:
    cmd = "python3 benchmarks/engine.py " + shlex.join(argv)
    now = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    return (f"`{cmd}` — {now} — Python {platform.python_version()} — CPU: {cpu_model()} — "
            + ", ".join(f"{k} {v}" for k, v in versions.items()))


def render_load(result: dict[str, Any], argv: list[str], as_markdown: bool) -> str:
    """The load table: median (min) ms per engine, workbook and mode, and each engine's time / sheetrl's."""
    lines = [_header(argv, result["versions"]), ""]
    times = result["times"]

    def median(label: str, wb: str, mode: str) -> float | None:
        got = times.get(f"{label}/{wb}/{mode}")
        return statistics.median(got) if got else None

    cols = ["Engine"] + [f"({wb}) {mode}" for wb in ("a", "b") for mode in LOAD_MODES]
    rows = []
    for label in result["lanes"]:
        row = [label]
        for wb in ("a", "b"):
            for mode in LOAD_MODES:
                t = median(label, wb, mode)
                base = median("sheetrl", wb, mode)
                got = times.get(f"{label}/{wb}/{mode}", [])
                cell = "—" if t is None else f"{t / 1e6:,.1f} (min {min(got) / 1e6:,.1f})"
                if t is not None and label != "sheetrl" and base:
                    cell += f" [{fmt_ratio(t, base)}]"
                row.append(cell)
        rows.append(row)
    lines += _table(cols, rows, as_markdown)
    lines.append("")
    note = (f"ms per load + evaluate + read of every formula value, median of {result['rounds']} rounds; "
            "engines alternated round-robin (one load each per round, the first engine rotating), each in its "
            "own process; [k×] = engine time / sheetrl time (above 1: sheetrl is faster). first: sheetrl's "
            "cache of parsed formula texts emptied before each load (a file met for the first time); again: "
            "the same file loaded again.")
    return "\n".join(lines + _notes([note, *result["problems"]], as_markdown))


# --------------------------------------------------------------------------------------------------
# Driver
# --------------------------------------------------------------------------------------------------


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


class EngineRun:
    """One engine on one workbook: its measures, its working copy and its correctness warnings."""

    def __init__(self, eng: Engine, spec: Spec, xlsx: Path, opts: argparse.Namespace):
        self.eng, self.spec, self.xlsx = eng, spec, xlsx
        self.target = 0.1 if opts.quick else 0.5
        self.min_samples = 1 if opts.quick else 3
        if eng.min_samples is not None:
            self.min_samples = min(self.min_samples, eng.min_samples)
        self.res: dict[str, Timing | None] = dict.fromkeys(MEASURES)
        self.warns: list[str] = []
        self.ref = spec.reference()
        self.built: Any = None
        self.loaded: Any = None
        self.h: Any = None  # the workbook recalc/edit/clone run on: the last one built, else the last loaded
        self.edit: Callable[[float], list[Any]] | None = None

    def _fail(self, what: str, exc: Exception) -> None:
        first = (str(exc).splitlines() or [""])[0]
        self.warns.append(f"WARNING: {self.eng.name} workbook {self.spec.name} {what} failed: "
                          f"{type(exc).__name__}: {first}")

    def _warn(self, what: str, problem: str | None) -> None:
        if problem:
            self.warns.append(f"WARNING: {self.eng.name} workbook {self.spec.name} {what}: {problem}")

    def _measure(self, label: str, op: Callable[[], Any]) -> bool:
        t0 = time.perf_counter()
        try:
            self.res[label] = measure(op, self.target, self.min_samples)
            return True
        except Exception as exc:  # an engine bug must not stop the other engines
            self._fail(label, exc)
            return False
        finally:
            log(f"  {self.eng.name:9s} ({self.spec.name}) {label:7s} {time.perf_counter() - t0:6.2f} s")

    def run(self, label: str) -> None:
        getattr(self, "m_" + label)()

    def m_build(self) -> None:
        eng, spec = self.eng, self.spec
        if not eng.can_build:
            return

        def op() -> None:
            self.built = None
            self.built = eng.build(spec)

        if self._measure("build", op):
            self.h = self.built
            cells = spec.formula_cells
            self._warn("values after build", compare(eng.read(self.h, spec, cells), cells, self.ref))
        self.built = None

    def m_load(self) -> None:
        eng, spec = self.eng, self.spec

        def op() -> None:
            self.loaded = None
            self.loaded = eng.load(spec, self.xlsx)

        if self._measure("load", op):
            cells = spec.formula_cells
            self._warn("values after load", compare(eng.read(self.loaded, spec, cells), cells, self.ref))
            if not eng.can_build:
                self.h = self.loaded
        self.loaded = None
        if self.h is not None:
            self.check()

    def check(self) -> None:
        """Edit values and clone independence against the reference (once, before the timed edits)."""
        eng, spec, h = self.eng, self.spec, self.h
        v0, v1 = spec.edit_values
        try:
            edit = eng.make_edit(h, spec)
            ref1 = spec.reference({spec.edit_cell: v1})
            self._warn(f"values after edit {spec.edit_cell}={v1:g}", compare(list(edit(v1)), spec.reads, ref1))
            ref0 = spec.reference({spec.edit_cell: v0})
            self._warn(f"values after edit {spec.edit_cell}={v0:g}", compare(list(edit(v0)), spec.reads, ref0))
            self.edit = edit
            # clone independence: edit the clone; the original must keep its own values
            c = eng.clone(h)
            self._warn("clone after edit", compare(list(eng.make_edit(c, spec)(v1)), spec.reads, ref1))
            del c
            expect = ref0 if eng.persistent_edits else self.ref
            self._warn("original after editing its clone",
                       compare(eng.read(h, spec, spec.reads), spec.reads, expect))
        except Exception as exc:
            self._fail("correctness check", exc)

    def m_recalc(self) -> None:
        if self.h is not None and getattr(self.eng, "full_recalc", True):
            h, eng = self.h, self.eng
            self._measure("recalc", lambda: eng.recalc(h))

    def m_edit(self) -> None:
        if self.edit is None:
            return
        edit = self.edit
        v0, v1 = self.spec.edit_values
        state = [0]

        def op():
            state[0] ^= 1
            return edit(v1 if state[0] else v0)

        self._measure("edit", op)

    def m_edit_local(self) -> None:
        """The typical edit: an input that few formulas read (incremental engines only redo those)."""
        spec = self.spec
        if self.h is None or not spec.local_edit_cell:
            return
        local = replace(spec, edit_cell=spec.local_edit_cell, reads=spec.dependents(spec.local_edit_cell))
        eng, h = self.eng, self.h
        v0, v1 = local.edit_values
        try:
            original = dict(spec.data)[spec.edit_cell]  # undo the main edit so the reference applies
            eng.make_edit(h, spec)(original)
            edit = eng.make_edit(h, local)
            self._warn(f"values after edit {local.edit_cell}={v1:g}",
                       compare(list(edit(v1)), local.reads, local.reference({local.edit_cell: v1})))
        except Exception as exc:
            self._fail("local edit", exc)
            return
        state = [0]

        def op():
            state[0] ^= 1
            return edit(v1 if state[0] else v0)

        self._measure("edit_local", op)

    def m_clone(self) -> None:
        if self.h is not None:
            h, eng = self.h, self.eng
            self._measure("clone", lambda: eng.clone(h))

    def close(self) -> None:
        self.h = self.edit = None


def warm_pass(eng: Engine, tmp: str) -> None:
    """One untimed pass over workbook (a): loads lazily imported code, pays first-use costs."""
    small = workbook_a()
    try:
        h = eng.build(small) if eng.can_build else eng.load(small, Path(tmp) / "bench_a.xlsx")
        eng.recalc(h)
        eng.make_edit(h, small)(small.edit_values[1])
        eng.clone(h)
        del h
    except Exception:
        pass  # the measures report the failure
    gc.collect()


def engine_child(name: str, tmp: str, quick: bool) -> dict:
    """Run every measure of one engine on both workbooks (in a fresh interpreter: only this engine's
    modules and objects are on the heap, so garbage collection costs are its own)."""
    eng = ENGINE_CLASSES[name]()
    try:
        version = eng.setup()
    except Exception as exc:
        first = (str(exc).splitlines() or [""])[0]
        return {"engine": name, "skipped": f"cannot import it ({type(exc).__name__}: {first})"}
    opts = argparse.Namespace(quick=quick)
    out: dict[str, Any] = {"engine": name, "version": version, "results": {}, "warnings": []}
    warm_pass(eng, tmp)
    for spec in (workbook_a(), workbook_b()):
        if quick and name == "formulas" and spec.name == "b":
            continue  # one pass of formulas on (b) takes about a minute
        run = EngineRun(eng, spec, Path(tmp) / f"bench_{spec.name}.xlsx", opts)
        for label in MEASURES:
            run.run(label)
        out["results"][spec.name] = {k: (None if v is None else v.__dict__) for k, v in run.res.items()}
        out["warnings"] += run.warns
        for line in run.warns:
            log(line)
        run.close()
        del run
        gc.collect()
    out["read_path"] = getattr(eng, "read_path", None)
    return out


def run_engine(name: str, tmp: str, quick: bool) -> dict:
    cmd = [sys.executable, str(Path(__file__).resolve()), "--_engine-child", name, "--_dir", tmp]
    if quick:
        cmd.append("--quick")
    p = subprocess.run(cmd, stdout=subprocess.PIPE, text=True)  # progress lines go to our stderr
    lines = [ln for ln in p.stdout.splitlines() if ln.startswith("{")]
    if p.returncode != 0 or not lines:
        return {"engine": name, "skipped": f"its benchmark process failed (exit code {p.returncode}, "
                                           "see the messages above)"}
    return json.loads(lines[-1])


def fmt_us(ns: float | None) -> str:
    if ns is None:
        return "n/a"
    us = ns / 1000
    if us < 10:
        return f"{us:.2f}"
    if us < 100:
        return f"{us:.1f}"
    return f"{us:,.0f}"


def fmt_ratio(x: float | None, base: float | None) -> str:
    if x is None or base is None or base <= 0:
        return "—"
    r = x / base
    return f"{r:.2f}×" if r < 10 else f"{r:,.0f}×" if r >= 100 else f"{r:.1f}×"


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as fh:
            for line in fh:
                if line.startswith("model name"):
                    name = line.split(":", 1)[1].strip()
                    return f"{name} ({os.cpu_count()} logical CPUs)"
    except OSError:
        pass
    return f"{platform.processor() or platform.machine()} ({os.cpu_count()} logical CPUs)"


def package_versions(versions: dict[str, str]) -> str:
    from importlib.metadata import PackageNotFoundError, version

    out = dict(versions)
    for pkg in ("openpyxl", "numpy"):
        try:
            out[pkg] = version(pkg)
        except PackageNotFoundError:
            pass
    return ", ".join(f"{k} {v}" for k, v in out.items())


def render(results, specs, engines, versions, skipped, memory, warnings, opts, as_markdown: bool) -> str:
    cmd = "python3 benchmarks/engine.py" + ("" if not opts.argv else " " + shlex.join(opts.argv))
    now = _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = []
    header = (f"`{cmd}` — {now} — Python {platform.python_version()} — CPU: {cpu_model()} — "
              f"{package_versions(versions)}")
    lines.append(header if as_markdown else header.replace("`", ""))
    lines.append("")
    for s in skipped:
        lines.append(f"- {s}" if as_markdown else s)
    if skipped:
        lines.append("")
    names = [e.name for e in engines]
    can_build = {e.name: e.can_build for e in engines}

    def status(engine: str, wb: str, meas: str) -> str:
        if (engine, wb) not in results:
            return "skipped"
        if meas == "build" and not can_build[engine]:
            return "n/a"
        if meas == "recalc" and not getattr(ENGINE_CLASSES[engine], "full_recalc", True):
            return "n/a"
        if meas == "edit_local" and not next(s for s in specs if s.name == wb).local_edit_cell:
            return "—"  # workbook (a) has no separate local edit
        return "failed"

    has_base = "sheetrl" in names
    for spec in specs:
        what = (f"all {len(spec.reads)} formulas" if spec.reads == spec.formula_cells
                else f"the {len(spec.reads)} formulas that depend on it")
        title = (f"Workbook {spec.title}: {len(spec.data):,} data cells, {len(spec.formulas):,} formulas; "
                 f"edit = set {spec.edit_cell}, recalculate, read {what}. µs per operation"
                 + (" (engine / sheetrl)" if has_base else "") + ":")
        lines.append(f"**{title}**" if as_markdown else title)
        lines.append("")
        rows = []
        for n in names:
            base_t = results.get(("sheetrl", spec.name), {})
            row = [n]
            for meas in MEASURES:
                t = results.get((n, spec.name), {}).get(meas)
                if t is None:
                    row.append(status(n, spec.name, meas))
                    continue
                cell = fmt_us(t.median_ns)
                base = base_t.get(meas)
                if n != "sheetrl" and base is not None:
                    cell += f" ({fmt_ratio(t.median_ns, base.median_ns)})"
                row.append(cell)
            rows.append(row)
        lines += _table(["Engine", *MEASURES], rows, as_markdown)
        lines.append("")
    notes = []
    sheetrl = next((e for e in engines if e.name == "sheetrl"), None)
    if sheetrl is not None:
        notes.append(f"sheetrl edit reads through {sheetrl.read_path}.")
    notes.append("median of repeats"
                 + ("; (k×) = engine time / sheetrl time, above 1: sheetrl is faster" if has_base else "")
                 + "; n/a: the engine cannot build a workbook through its API (it only loads files), or (recalc)"
                 " has no full recalculation (formualizer's evaluate_all recomputes only what an edit made dirty).")
    for n in notes:
        lines.append(f"- {n}" if as_markdown else n)
    if memory:
        lines.append("")
        mcols = ["Engine", "Workbook (b) made by", "peak RSS Δ MiB", "retained RSS Δ MiB", "peak / sheetrl"]
        base_mem = next((x.get("peak_delta_mib") for x in memory if x.get("engine") == "sheetrl"), None)
        mrows = []
        for x in memory:
            if "error" in x:
                mrows.append([x["engine"], "—", "error", x["error"], "—"])
                continue
            pk, rt = x.get("peak_delta_mib"), x.get("retained_delta_mib")
            ratio = "—" if not base_mem or pk is None or x["engine"] == "sheetrl" else f"{pk / base_mem:.1f}×"
            mrows.append([x["engine"], x["how"] + " + recalc + edit",
                          "—" if pk is None else f"{pk:.1f}", "—" if rt is None else f"{rt:.1f}", ratio])
        if not base_mem:
            mcols, mrows = mcols[:-1], [r[:-1] for r in mrows]
        lines += _table(mcols, mrows, as_markdown, left=2)
        note = ("memory: RSS of one fresh subprocess per engine, baseline after imports and one pass over "
                "workbook (a); includes native (Rust) allocations.")
        if any(not x.get("peak_reset", True) for x in memory if "error" not in x):
            note += " VmHWM could not be reset: peak includes start-up."
        lines.append("")
        lines.append(f"- {note}" if as_markdown else note)
    if "sheetrl" in names:
        lines.append("")
        lines += goals(results, names, as_markdown)
    lines.append("")
    if warnings:
        for w in warnings:
            lines.append(f"- **{w}**" if as_markdown else w)
    else:
        ok = (f"correctness: every engine matches the reference values (rel. {REL_TOL:g}) after build/load, "
              "after edits, and on an edited clone.")
        lines.append(f"- {ok}" if as_markdown else ok)
    return "\n".join(lines)


def goals(results, names, as_markdown) -> list[str]:
    def t(engine, wb, meas):
        x = results.get((engine, wb), {}).get(meas)
        return x.median_ns if x else None

    checks = []
    for wb, need in (("a", 1.5), ("b", 20.0)):
        checks.append((f"edit ({wb}): ironcalc / sheetrl ≥ {need:g}×", "ironcalc", wb, need, "edit"))
        checks.append((f"edit ({wb}): pycel / sheetrl ≥ 10×", "pycel", wb, 10.0, "edit"))
    checks.append(("edit_local (b): ironcalc / sheetrl ≥ 20×", "ironcalc", "b", 20.0, "edit_local"))
    checks.append(("edit_local (b): pycel / sheetrl ≥ 10×", "pycel", "b", 10.0, "edit_local"))
    rows = []
    for label, other, wb, need, measure in checks:
        a, b = t(other, wb, measure), t("sheetrl", wb, measure)
        if a is None or b is None:
            rows.append([label, "—", "not measured"])
        else:
            rows.append([label, f"{a / b:.2f}×", "PASS" if a / b >= need else "FAIL"])
    c = t("sheetrl", "a", "clone")
    rows.append(["clone (a) ≤ 20 µs", "—" if c is None else f"{c / 1000:.2f} µs",
                 "not measured" if c is None else ("PASS" if c <= 20_000 else "FAIL")])
    return _table(["Goal", "measured", "status"], rows, as_markdown, left=1)


def _table(cols: list[str], rows: list[list[str]], md: bool, left: int = 1) -> list[str]:
    """A markdown or plain-text table; the first ``left`` columns are left-aligned, the rest right."""
    if md:
        rule = "|" + "|".join("---" if i < left else "---:" for i in range(len(cols))) + "|"
        out = ["| " + " | ".join(cols) + " |", rule]
        out += ["| " + " | ".join(r) + " |" for r in rows]
        return out
    widths = [max(len(c), *(len(r[i]) for r in rows)) for i, c in enumerate(cols)]
    def fmt(r: list[str]) -> str:
        return "  ".join(x.ljust(w) if i < left else x.rjust(w) for i, (x, w) in enumerate(zip(r, widths)))
    return [fmt(cols), "  ".join("-" * w for w in widths)] + [fmt(r) for r in rows]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="short measurements (about a minute in all)")
    ap.add_argument("--engines", default=",".join(ENGINES), help="comma list from " + ",".join(ENGINES))
    ap.add_argument("--json", metavar="OUT", help="write raw results as JSON to OUT")
    ap.add_argument("--markdown", action="store_true", help="print markdown tables (for BENCHMARKS.md)")
    ap.add_argument("--skip-memory", action="store_true", help="skip the RSS subprocess measurements")
    ap.add_argument("--_memory-child", dest="memory_child", help=argparse.SUPPRESS)
    ap.add_argument("--_engine-child", dest="engine_child", help=argparse.SUPPRESS)
    ap.add_argument("--load-rounds", type=int, default=0, metavar="N",
                    help="only the xlsx load comparison: N rounds of sheetrl, ironcalc and formualizer alternated")
    ap.add_argument("--baseline-src", metavar="DIR",
                    help="with --load-rounds: also load with the sheetrl package found in DIR (another checkout's src)")
    ap.add_argument("--_dir", dest="dir", help=argparse.SUPPRESS)
    ap.add_argument("--_load-child", dest="load_child", help=argparse.SUPPRESS)
    ap.add_argument("--edit-rounds", type=int, default=0, metavar="N",
                    help="measure only edits (set an input, recalculate, read), sheetrl, ironcalc and formualizer "
                         "taking turns for N rounds")
    ap.add_argument("--_edit-child", dest="edit_child", help=argparse.SUPPRESS)
    ap.add_argument("--_src", dest="src", help=argparse.SUPPRESS)
    opts = ap.parse_args(argv)
    opts.argv = argv

    if opts.load_child:
        load_child(opts.load_child, opts.dir, opts.src)
        return 0
    if opts.edit_child:
        edit_child(opts.edit_child, opts.dir, opts.src)
        return 0
    if opts.load_rounds or opts.edit_rounds:
        with tempfile.TemporaryDirectory(prefix="sheetrl-bench-") as tmp:
            for s in (workbook_a(), workbook_b()):
                save_xlsx(s, Path(tmp) / f"bench_{s.name}.xlsx")
            if opts.load_rounds:
                result = run_load_round_robin(tmp, opts.load_rounds, opts.baseline_src)
                text = render_load(result, argv, opts.markdown)
            else:
                result = run_edit_round_robin(tmp, opts.edit_rounds, opts.baseline_src)
                text = render_edit(result, argv, opts.markdown)
        print(text)
        if opts.json:
            Path(opts.json).write_text(json.dumps(result, indent=2) + "\n")
        return 0

    if opts.memory_child:
        print(json.dumps(memory_child(opts.memory_child, opts.dir)))
        return 0
    if opts.engine_child:
        print(json.dumps(engine_child(opts.engine_child, opts.dir, opts.quick)))
        return 0

    wanted = [e.strip() for e in opts.engines.split(",") if e.strip()]
    unknown = [e for e in wanted if e not in ENGINE_CLASSES]
    if unknown:
        ap.error(f"unknown engine(s): {', '.join(unknown)}; choose from {', '.join(ENGINES)}")
    wanted = list(dict.fromkeys(wanted))

    specs = [workbook_a(), workbook_b()]
    for s in specs:
        s.check_order()
    log(f"workbook (a): {len(specs[0].data)} data cells, {len(specs[0].formulas)} formulas; edit "
        f"{specs[0].edit_cell}, reads {len(specs[0].reads)}")
    log(f"workbook (b): {len(specs[1].data)} data cells, {len(specs[1].formulas)} formulas; edit "
        f"{specs[1].edit_cell}, {len(specs[1].reads)} dependent formulas read")

    t_start = time.perf_counter()
    engines: list[Engine] = []
    versions: dict[str, str] = {}
    skipped: list[str] = []
    results: dict[tuple[str, str], dict] = {}
    warnings: list[str] = []
    memory: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="sheetrl-bench-") as tmp:
        for s in specs:
            save_xlsx(s, Path(tmp) / f"bench_{s.name}.xlsx")
        for name in wanted:  # one fresh process per engine
            out = run_engine(name, tmp, opts.quick)
            if "skipped" in out:
                note = f"note: engine {name} skipped: {out['skipped']}"
                skipped.append(note)
                log(note)
                continue
            eng = ENGINE_CLASSES[name]()
            eng.read_path = out.get("read_path")
            engines.append(eng)
            versions[name] = out["version"]
            warnings += out["warnings"]
            for wb, res in out["results"].items():
                results[(name, wb)] = {k: (None if v is None else Timing(**v)) for k, v in res.items()}
        if opts.quick and any(e.name == "formulas" for e in engines):
            skipped.append("note: --quick runs formulas on workbook (a) only (one pass on (b) takes about "
                           "a minute) and measures no memory for it")
        if not opts.skip_memory:
            for eng in engines:
                if opts.quick and eng.name == "formulas":
                    continue
                t0 = time.perf_counter()
                memory.append(run_memory(eng.name, tmp))
                log(f"  {eng.name:9s} (b) memory  {time.perf_counter() - t0:6.2f} s")
    log(f"total {time.perf_counter() - t_start:.1f} s")
    if not engines:
        log("no engine could be measured")
        return 1

    print(render(results, specs, engines, versions, skipped, memory, warnings, opts, opts.markdown))

    if opts.json:
        out = {
            "command": ["python3", "benchmarks/engine.py", *argv],
            "date": _dt.datetime.now(_dt.UTC).isoformat(timespec="seconds"),
            "python": platform.python_version(),
            "cpu": cpu_model(),
            "versions": versions,
            "skipped": skipped,
            "sheetrl_read_path": next((e.read_path for e in engines if e.name == "sheetrl"), None),
            "workbooks": {s.name: {"data_cells": len(s.data), "formulas": len(s.formulas),
                                   "edit_cell": s.edit_cell, "edit_values": list(s.edit_values),
                                   "reads": len(s.reads)} for s in specs},
            "results": {f"{e}/{w}": {k: (None if v is None else v.__dict__) for k, v in r.items()}
                        for (e, w), r in results.items()},
            "memory": memory,
            "warnings": warnings,
        }
        Path(opts.json).write_text(json.dumps(out, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
