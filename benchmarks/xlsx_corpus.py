#!/usr/bin/env python3
"""Recalculate real public workbooks with sheetrl, ironcalc and formualizer; compare with the values Excel cached.

Run from the repository root::

    python3 benchmarks/xlsx_corpus.py --fetch-from DIR        # obtain the files from Git mirrors, then measure
    python3 benchmarks/xlsx_corpus.py --clone                 # or clone the source repositories (network)
    python3 benchmarks/xlsx_corpus.py --jobs 2 --update-benchmarks
    python3 benchmarks/xlsx_corpus.py --sources poi,SheetJS --limit 50 --engines sheetrl
    python3 benchmarks/xlsx_corpus.py --report-only --summary corpus-report.md   # tables from the last results
    python3 benchmarks/xlsx_corpus.py --scan owner/name=GIT_DIR   # manifest rows for a repository's workbooks

The corpus is ``benchmarks/corpus/manifest.tsv``: source repository, commit, path and SHA-256 of every workbook
(formula cells with cached values; the authoring application). The files are not part of this repository; they are
cached outside it (``--cache``, default ``$SHEETRL_CORPUS_CACHE`` or ``~/.cache/sheetrl-corpus``) after their
SHA-256 is checked, and a file that cannot be obtained is skipped and counted (see :mod:`corpus.files`).

For every workbook: the formula cells and their cached values are read from the sheet XML, a *poisoned* copy is
written in which each of those cached values is a sentinel text (:mod:`corpus.cells`), and each engine loads that
copy in a worker subprocess of its own, with a time limit (``--timeout``) and a memory limit (``--memory-mb``),
calculates it and reports every formula cell. A crash, hang or memory blow-up is counted for that file and engine.
Values are compared by the rules in :mod:`corpus.compare`; volatile and locale-cached cells are left out for every
engine. For sheetrl each disagreeing cell gets a cause (:mod:`corpus.causes`).

Output: ``benchmarks/results/xlsx_corpus.jsonl`` (one line per workbook and engine, see :mod:`corpus.report`), the
tables on stdout, with ``--update-benchmarks`` the section in BENCHMARKS.md, with ``--summary PATH`` a plain-text
account of sheetrl's disagreements with example formulas.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
for _path in (ROOT / "src", ROOT / "benchmarks"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))
os.environ.setdefault("TQDM_DISABLE", "1")

from corpus.causes import text_only_exclusions
from corpus.cells import NotAWorkbook, WorkbookCells, write_poisoned
from corpus.compare import agrees, function_names
from corpus.engines import ENGINES, Worker, worker_main
from corpus.files import (
    Entry,
    cached_file,
    default_cache_dir,
    obtain,
    read_manifest,
    scan_repository,
)
from corpus.report import Results, markdown, summary, update_benchmarks

MANIFEST = ROOT / "benchmarks" / "corpus" / "manifest.tsv"
RESULTS = ROOT / "benchmarks" / "results" / "xlsx_corpus.jsonl"
EXAMPLES_PER_FILE = 40


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--manifest", type=Path, default=MANIFEST)
    parser.add_argument("--cache", type=Path, default=None, help="where the workbooks are cached")
    parser.add_argument("--fetch-from", type=Path, action="append", default=[], metavar="DIR",
                        help="a directory of Git mirrors of the source repositories (repeatable)")
    parser.add_argument("--clone", action="store_true", help="clone missing source repositories from GitHub")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--sources", default="", help="comma-separated substrings of source repositories to keep")
    parser.add_argument("--limit", type=int, default=0, help="at most this many workbooks (after --sources)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per workbook and engine (a hang guard)")
    parser.add_argument("--memory-mb", type=int, default=3072, help="resident memory limit per worker")
    parser.add_argument("--results", type=Path, default=RESULTS)
    parser.add_argument("--report-only", action="store_true", help="tables from --results, without running")
    parser.add_argument("--update-benchmarks", action="store_true", help="rewrite the section in BENCHMARKS.md")
    parser.add_argument("--summary", type=Path, default=None, help="write the plain-text account of causes here")
    parser.add_argument("--scan", default=None, metavar="OWNER/NAME=GIT_DIR",
                        help="print manifest rows for the workbooks of a Git mirror and exit")
    parser.add_argument("--worker", default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.worker:
        worker_main(args.worker)
        return 0
    if args.scan:
        return _scan(args.scan)
    if not args.report_only:
        engines = [e.strip() for e in args.engines.split(",") if e.strip()]
        unknown = sorted(set(engines) - set(ENGINES))
        if unknown:
            parser.error(f"unknown engine(s) {', '.join(unknown)}; choose from {', '.join(ENGINES)}")
        code = run(args, engines, _shown_command(argv if argv is not None else sys.argv[1:]))
        if code:
            return code
    if not args.results.exists():
        print(f"no results at {args.results}; run without --report-only first", file=sys.stderr)
        return 1
    results = Results.read(args.results)
    command = results.run.get("command", "python3 benchmarks/xlsx_corpus.py")
    section = markdown(results, command)
    print(section)
    if args.update_benchmarks:
        update_benchmarks(ROOT / "BENCHMARKS.md", section)
        print("BENCHMARKS.md updated")
    if args.summary:
        args.summary.write_text(summary(results, command), encoding="utf-8")
        print(f"summary written to {args.summary}")
    return 0


_PATH_OPTIONS = {"--fetch-from": "DIR", "--cache": "DIR", "--results": "FILE", "--summary": "FILE",
                 "--manifest": "FILE"}


def _shown_command(argv: list[str]) -> str:
    """The command line as the report shows it: local paths replaced by what they stand for."""
    shown: list[str] = []
    placeholder = None
    for arg in argv:
        if placeholder is not None:
            shown.append(placeholder)
            placeholder = None
            continue
        name, equals, _ = arg.partition("=")
        if name in _PATH_OPTIONS:
            shown.append(f"{name}={_PATH_OPTIONS[name]}" if equals else name)
            placeholder = None if equals else _PATH_OPTIONS[name]
        elif arg not in ("--update-benchmarks", "--report-only"):
            shown.append(shlex.quote(arg))
    return " ".join(["python3 benchmarks/xlsx_corpus.py", *shown])


def _scan(spec: str) -> int:
    source, _, git_dir = spec.partition("=")
    if not git_dir or "/" not in source:
        print("--scan wants OWNER/NAME=GIT_DIR", file=sys.stderr)
        return 2
    for entry in scan_repository(Path(git_dir), source):
        print("\t".join(str(v) for v in (entry.source, entry.commit, entry.path, entry.sha256, entry.size,
                                         entry.formula_cells, entry.application)))
    return 0


# ==================================================================================================== run
def run(args: argparse.Namespace, engines: list[str], command: str) -> int:
    entries = read_manifest(args.manifest)
    if args.sources:
        wanted = [s.strip().lower() for s in args.sources.split(",") if s.strip()]
        entries = [e for e in entries if any(w in e.source.lower() for w in wanted)]
    if args.limit:
        entries = entries[: args.limit]
    cache = args.cache or default_cache_dir()
    obtained = obtain(entries, cache, args.fetch_from, clone=args.clone, log=_log)
    missing = {e.sha256 for e, _ in obtained.missing}
    if obtained.missing:
        _log(f"{len(obtained.missing)} of {len(entries)} workbooks could not be obtained and are skipped "
             f"(first: {obtained.missing[0][0].label}: {obtained.missing[0][1]})")
        if len(obtained.missing) == len(entries):
            _log("nothing to measure: pass --fetch-from DIR (Git mirrors) or --clone (network)")
            return 1
    todo = sorted((e for e in entries if e.sha256 not in missing), key=lambda e: -e.size)
    _log(f"{len(todo)} workbooks, engines {', '.join(engines)}, {args.jobs} jobs, cache {cache}")

    records: list[dict[str, Any]] = []
    lock = threading.Lock()
    versions: dict[str, str] = {}
    started = time.monotonic()
    done = Counter[str]()
    with tempfile.TemporaryDirectory(prefix="sheetrl-corpus-") as temp:
        slots = [_Slot(Path(temp) / f"slot{n}", engines, args) for n in range(max(1, args.jobs))]
        free = list(slots)

        def measure(entry: Entry) -> None:
            with lock:
                slot = free.pop()
            try:
                lines = slot.measure(entry, cached_file(cache, entry))
            finally:
                with lock:
                    free.append(slot)
            with lock:
                records.extend(lines)
                done["files"] += 1
                for worker in slot.workers.values():
                    if worker.version:
                        versions[worker.engine] = worker.version
                count = done["files"]
                if count % 25 == 0 or count == len(todo):
                    _log(f"{count}/{len(todo)} workbooks, {time.monotonic() - started:.0f} s")

        with ThreadPoolExecutor(max_workers=len(slots)) as pool:
            for future in [pool.submit(measure, entry) for entry in todo]:
                future.result()
        support = slots[0].probe_functions(records)
        for slot in slots:
            slot.close()
    elapsed = time.monotonic() - started
    run_record = {
        "kind": "run",
        "command": command,
        "date": _dt.datetime.now(_dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _git_commit(),
        "machine": f"Python {platform.python_version()}, {os.cpu_count()} CPUs, {args.jobs} jobs",
        "versions": versions,
        "seconds": round(elapsed, 1),
        "options": {"timeout": args.timeout, "memory_mb": args.memory_mb, "sources": args.sources,
                    "limit": args.limit, "engines": engines},
        "corpus": _corpus_counts(records, len(obtained.missing)),
        "function_support": support,
    }
    args.results.parent.mkdir(parents=True, exist_ok=True)
    order = {name: n for n, name in enumerate(ENGINES)}
    records.sort(key=lambda r: (r["source"], r["path"], r["kind"] != "file", order.get(r.get("engine", ""), 0)))
    with open(args.results, "w", encoding="utf-8") as handle:
        handle.writelines(_json_line(record) for record in [run_record, *records])
    _log(f"done in {elapsed:.0f} s; results in {args.results}")
    return 0


def _corpus_counts(records: list[dict[str, Any]], missing: int) -> dict[str, int]:
    files = [r for r in records if r["kind"] == "file"]
    return {
        "files": len(files),
        "sources": len({r["source"] for r in files}),
        "missing": missing,
        "cells": sum(r["cells"] for r in files),
        "excluded_volatile": sum(r["excluded_volatile"] for r in files),
        "excluded_locale": sum(r["excluded_locale"] for r in files),
    }


class _Slot:
    """One parallel lane: a worker per engine and a scratch directory; measures one workbook at a time."""

    def __init__(self, directory: Path, engines: list[str], args: argparse.Namespace) -> None:
        directory.mkdir(parents=True)
        self.directory = directory
        self.args = args
        self.workers = {e: Worker(e, Path(__file__).resolve(), args.memory_mb, directory) for e in engines}

    def close(self) -> None:
        for worker in self.workers.values():
            worker.stop()

    def measure(self, entry: Entry, path: Path) -> list[dict[str, Any]]:
        base = {"source": entry.source, "path": entry.path}
        described = {**base, "sha256": entry.sha256, "application": entry.application}
        poisoned = self.directory / f"poisoned{entry.suffix}"
        listing_path = self.directory / "cells.json"
        try:
            workbook = write_poisoned(path, poisoned)
        except (NotAWorkbook, OSError, ValueError) as exc:
            file_record = {"kind": "file", **described, "cells": 0, "excluded_volatile": 0, "excluded_locale": 0,
                           "no_cached": 0, "functions": {}, "unreadable": str(exc)}
            return [file_record] + [
                {"kind": "engine", **base, "engine": e, "status": "unreadable", "message": str(exc),
                 "compared": 0, "agree": 0} for e in self.workers
            ]
        cells = _listing(workbook)
        listing_path.write_text(json.dumps({"sheets": workbook.sheets, "cells": cells}), encoding="utf-8")
        job = {"workbook": str(poisoned), "cells": str(listing_path)}
        answers: dict[str, dict[str, Any]] = {}
        for engine, worker in self.workers.items():
            answers[engine] = worker.run({**job, "classify": engine == "sheetrl"}, self.args.timeout)
        sheetrl = answers.get("sheetrl", {})
        if sheetrl.get("status") == "ok":
            excluded = {int(i): reason for i, reason in sheetrl["excluded"]}
        else:
            excluded = text_only_exclusions(cells)
        comparable = [i for i, c in enumerate(cells) if c[5] is not None and i not in excluded]
        functions: Counter[str] = Counter()
        for c in cells:
            for name in set(function_names(c[3])):
                functions[name] += 1
        file_record = {
            "kind": "file", **described, "sheets": len(workbook.sheets),
            "cells": sum(1 for c in cells if c[5] is not None),
            "excluded_volatile": sum(1 for r in excluded.values() if r == "volatile"),
            "excluded_locale": sum(1 for r in excluded.values() if r == "locale"),
            "no_cached": sum(1 for c in cells if c[5] is None),
            "array_cells": sum(1 for c in cells if c[4].startswith("array")),
            "functions": dict(functions),
        }
        lines: list[dict[str, Any]] = [file_record]
        locale = [i for i, reason in excluded.items() if reason == "locale"]
        for engine, answer in answers.items():
            record: dict[str, Any] = {"kind": "engine", **base, "engine": engine, "status": answer["status"],
                                      "compared": len(comparable), "agree": 0,
                                      "load_s": round(answer.get("load_s", answer.get("wall_s", 0.0)), 4)}
            if answer["status"] != "ok":
                record["message"] = answer.get("message", "")
            else:
                values = answer["values"]
                record["agree"] = sum(1 for i in comparable if agrees(tuple(cells[i][5]), tuple(values[i])))
                record["locale_agree"] = sum(1 for i in locale if agrees(tuple(cells[i][5]), tuple(values[i])))
                if engine == "sheetrl":
                    record.update(_causes(answer["causes"], cells, values))
            lines.append(record)
        return lines

    def probe_functions(self, records: list[dict[str, Any]]) -> dict[str, dict[str, bool]]:
        """Which of the function names the corpus uses each engine knows (an unknown one gives #NAME?)."""
        names = sorted({name for r in records if r["kind"] == "file" for name in r.get("functions", {})})
        support: dict[str, dict[str, bool]] = {name: {} for name in names}
        for engine, worker in self.workers.items():
            answer = worker.run({"probe": names}, self.args.timeout)
            for name, known in answer.get("known", {}).items():
                support[name][engine] = bool(known)
        return support


def _listing(workbook: WorkbookCells) -> list[list[Any]]:
    return [
        [c.sheet, c.row, c.col, c.formula, c.kind, list(c.expected) if c.expected is not None else None, c.dynamic]
        for c in workbook.cells
    ]


def _causes(causes: list[list[Any]], cells: list[list[Any]], values: list[Any]) -> dict[str, Any]:
    counts: Counter[str] = Counter()
    examples: list[list[Any]] = []
    seen: set[str] = set()
    for index, cause, detail, formula in causes:
        key = f"{cause}|{detail}"
        counts[key] += 1
        if key not in seen and len(examples) < EXAMPLES_PER_FILE:
            seen.add(key)
            sheet, row, col = cells[index][0], cells[index][1], cells[index][2]
            from corpus.cells import column_letters

            examples.append([key, f"sheet{sheet + 1}!{column_letters(col)}{row}", formula,
                             _show(cells[index][5]), _show(values[index])])
    return {"causes": dict(counts), "examples": examples}


def _show(tagged: Any) -> str:
    if tagged is None:
        return "(none)"
    kind, value = tagged
    if kind == "n":
        return repr(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(value)
    if kind == "s":
        return json.dumps(value, ensure_ascii=False)[:80]
    if kind == "b":
        return "TRUE" if value else "FALSE"
    return str(value) if value is not None else kind


def _json_line(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n"


def _git_commit() -> str:
    result = subprocess.run(
        ["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    )
    return result.stdout.strip() or "?"


def _log(message: str) -> None:
    print(f"[xlsx_corpus] {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    sys.exit(main())
