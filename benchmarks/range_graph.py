"""Large ranges in the dependency graph: build, edit and memory for the layouts that made them quadratic.

Five workbooks, built in one ``batch()`` through the engine's API:

- **running total**: ``B{i}`` data, ``C{i} = SUM(B$1:B{i})`` for ``i`` in 1..ROWS. Editing ``B1`` changes every
  sum (ROWS * (ROWS + 1) / 2 cell reads, which no graph avoids); editing ``B{ROWS}`` changes one.
- **lookups**: a table ``A1:D{ROWS}`` and ROWS formulas ``=VLOOKUP(i, $A$1:$D$ROWS, 3, FALSE)``; editing a cell of
  the table's third column recomputes every lookup.
- **xlookups**: the same table and ROWS formulas ``=XLOOKUP(i, $A$1:$A$ROWS, $C$1:$C$ROWS)``.
- **approximate lookups**: the same table and ROWS formulas ``=VLOOKUP(i + 0.5, $A$1:$D$ROWS, 3)`` (sorted keys,
  approximate match: a binary search each).
- **conditional sums**: the same table and ROWS formulas ``=COUNTIF($A$1:$A$ROWS, A{i}) + SUMIF($B$1:$B$ROWS, B{i},
  $C$1:$C$ROWS)`` (unique keys in A, five groups in B).

Each measurement runs in a fresh process (peak RSS is the process's own); with ``--baseline-src DIR`` a second
sheetrl imported from another checkout's ``src`` takes turns with this one, round by round, the first rotating.

    python3 benchmarks/range_graph.py --rows 8000 --rounds 3 [--baseline-src OTHER/src]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent

_WORKER = r"""
import json, resource, sys, time
from sheetrl.sheet import Workbook

layout, rows = sys.argv[1], int(sys.argv[2])
clock = time.process_time
start = clock()
wb = Workbook()
with wb.batch():
    for i in range(1, rows + 1):
        if layout == "running_total":
            wb.set(f"B{i}", i % 7)
            wb.set(f"C{i}", f"=SUM(B$1:B{i})")
        else:
            wb.set_range(f"A{i}", [[float(i), i % 5, i * 2.0, "x"]])
            if layout == "lookups":
                wb.set(f"F{i}", f"=VLOOKUP({i},$A$1:$D${rows},3,FALSE)")
            elif layout == "approximate_lookups":
                wb.set(f"F{i}", f"=VLOOKUP({i}.5,$A$1:$D${rows},3)")
            elif layout == "conditional_sums":
                wb.set(f"F{i}", f"=COUNTIF($A$1:$A${rows},A{i})+SUMIF($B$1:$B${rows},B{i},$C$1:$C${rows})")
            else:
                wb.set(f"F{i}", f"=XLOOKUP({i},$A$1:$A${rows},$C$1:$C${rows})")
built = clock()
first = "B1" if layout == "running_total" else f"C{rows // 2}"
wb.set(first, 1000)
wide = clock()
last = f"B{rows}" if layout == "running_total" else f"A{rows}"
wb.set(last, 3)
local = clock()
if layout == "running_total":
    expected = 1000 + sum(i % 7 for i in range(2, rows)) + 3
    assert wb.value(f"C{rows}") == expected, (wb.value(f"C{rows}"), expected)
elif layout == "conditional_sums":
    group = (rows // 2) % 5
    expected = 1 + sum(1000 if i == rows // 2 else i * 2.0 for i in range(1, rows + 1) if i % 5 == group)
    assert wb.value(f"F{rows // 2}") == expected, (wb.value(f"F{rows // 2}"), expected)
else:
    assert wb.value(f"F{rows // 2}") == 1000, wb.value(f"F{rows // 2}")
print(json.dumps({"build_s": built - start, "wide_edit_s": wide - built, "local_edit_s": local - wide,
                  "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


LAYOUTS = ("running_total", "lookups", "xlookups", "approximate_lookups", "conditional_sums")


def _measure(src: Path, layout: str, rows: int) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(src))
    done = subprocess.run([sys.executable, "-c", _WORKER, layout, str(rows)], env=env, capture_output=True,
                          text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"error: the {layout} worker failed with {src}: {done.stderr.strip().splitlines()[-1:]}")
    result: dict[str, float] = json.loads(done.stdout)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=8000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline-src", type=Path, help="another checkout's src, measured in alternation")
    parser.add_argument("--layouts", default=",".join(LAYOUTS), help=f"comma list from {','.join(LAYOUTS)}")
    args = parser.parse_args()
    if not 1 <= args.rows <= 200_000 or not 1 <= args.rounds <= 100:
        raise SystemExit("error: --rows must be 1..200000 and --rounds 1..100")
    layouts = [name.strip() for name in args.layouts.split(",") if name.strip()]
    unknown = sorted(set(layouts) - set(LAYOUTS))
    if unknown or not layouts:
        raise SystemExit(f"error: --layouts takes names from {','.join(LAYOUTS)}, not {args.layouts!r}")
    engines = {"sheetrl": _ROOT / "src"}
    if args.baseline_src is not None:
        if not (args.baseline_src / "sheetrl").is_dir():
            raise SystemExit(f"error: --baseline-src {args.baseline_src} holds no sheetrl package")
        engines["sheetrl (baseline)"] = args.baseline_src
    names = list(engines)
    results: dict[tuple[str, str], list[dict[str, float]]] = {}
    for layout in layouts:
        for round_index in range(args.rounds):
            order = names[round_index % len(names):] + names[:round_index % len(names)]
            for name in order:
                results.setdefault((layout, name), []).append(_measure(engines[name], layout, args.rows))
            print(f"  {layout} round {round_index + 1} done", file=sys.stderr)
    print(f"`python3 benchmarks/range_graph.py --rows {args.rows} --rounds {args.rounds} --layouts {','.join(layouts)}"
          f"{' --baseline-src DIR' if args.baseline_src else ''}` — CPU seconds (minimum over rounds), peak RSS\n")
    print("| layout | engine | build s | wide edit s | local edit ms | peak MB |")
    print("|---|---|---:|---:|---:|---:|")
    for (layout, name), runs in results.items():
        best = {key: min(run[key] for run in runs) for key in runs[0]}
        print(f"| {layout.replace('_', ' ')} ({args.rows:,} rows) | {name} | {best['build_s']:.2f} | "
              f"{best['wide_edit_s']:.2f} | {best['local_edit_s'] * 1000:.1f} | {best['peak_mb']:.0f} |")


if __name__ == "__main__":
    main()
