#!/usr/bin/env python3
"""Check relative-shape sharing on real workbooks: every corpus file loaded with it and with every text parsed alone.

Run from the repository root, after ``benchmarks/xlsx_corpus.py`` has fetched the corpus into its cache::

    python3 benchmarks/xlsx_shapes.py [--cache DIR] [--max-mb 3]

For each workbook the two loads must give every formula cell the same syntax tree and shown text, and (in
workbooks without volatile functions) the same value; the differences are printed, then the count of files and
the load CPU time of both ways. The loader is the package's own (``sheetrl.sheet.xlsx``); parsing alone is had by
making ``relative_shape`` answer None, as it does for text it cannot share.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cache", type=Path,
                        default=Path(os.environ.get("SHEETRL_CORPUS_CACHE", "~/.cache/sheetrl-corpus")).expanduser())
    parser.add_argument("--max-mb", type=float, default=3.0, help="skip files larger than this")
    args = parser.parse_args()

    from sheetrl.sheet import Workbook, xlsx

    warnings.filterwarnings("ignore")
    files = sorted(p for p in args.cache.rglob("*") if p.suffix.lower() in (".xlsx", ".xlsm"))
    if not files:
        raise SystemExit(f"no workbooks under {args.cache}; fetch the corpus with benchmarks/xlsx_corpus.py first")
    shaped = xlsx.relative_shape
    differing = skipped = checked = 0
    cpu_shared = cpu_alone = 0.0
    for path in files:
        if path.stat().st_size > args.max_mb * 1e6:
            skipped += 1
            continue
        try:
            xlsx.relative_shape = shaped
            start = time.process_time()
            shared = Workbook.load(path)
            cpu_shared += time.process_time() - start
            xlsx.relative_shape = lambda text, row, col: None  # type: ignore[assignment]
            start = time.process_time()
            alone = Workbook.load(path)
            cpu_alone += time.process_time() - start
        except Exception:  # a file the loader refuses: refused both ways alike
            skipped += 1
            continue
        finally:
            xlsx.relative_shape = shaped
        checked += 1
        cells_shared, cells_alone = shared._formulas, alone._formulas
        if cells_shared.keys() != cells_alone.keys():
            differing += 1
            print(f"{path.name}: {len(cells_shared)} formula cells against {len(cells_alone)}")
            continue
        volatile = any(cell.volatile for cell in cells_shared.values())
        for key, cell in cells_shared.items():
            other = cells_alone[key]
            value, other_value = shared._values.get(key), alone._values.get(key)
            same_value = volatile or value == other_value or (value != value and other_value != other_value)
            if cell.node != other.node or cell.text != other.text or not same_value:
                differing += 1
                print(f"{path.name} {shared.address(key)}: {cell.text} -> {value!r}; alone {other.text} -> "
                      f"{other_value!r}")
                break
    print(f"{checked} workbooks compared ({skipped} skipped), {differing} differing; load CPU {cpu_shared:.1f} s "
          f"with shapes, {cpu_alone:.1f} s parsing every text")


if __name__ == "__main__":
    main()
