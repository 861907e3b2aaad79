"""Totals and tables from the results JSONL: the BENCHMARKS.md section and the plain-text summary of causes.

The JSONL holds one ``run`` line (versions, options), then per workbook one ``file`` line (the formula cells, the
functions they call) and one ``engine`` line per engine (status, cells compared and agreeing, and for sheetrl the
disagreeing cells per cause with a few examples).
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from corpus.engines import ENGINES
from corpus.files import PEER_SOURCES

EXAMPLES_PER_DETAIL = 8
FAILURES = ("load-error", "read-error", "crash", "timeout", "memory", "unreadable", "unavailable")
MARKER_START = "<!-- xlsx-corpus:start -->"
MARKER_END = "<!-- xlsx-corpus:end -->"
_SCRATCH_PATH = re.compile(r"/\S*?/poisoned\.xls[xm]")


def clean_message(message: str) -> str:
    """An engine's message without the scratch copy's path (it differs run to run)."""
    return _SCRATCH_PATH.sub("the workbook", message)


@dataclass
class EngineTotals:
    files: int = 0
    cells: int = 0
    agree: int = 0
    cells_without_peers: int = 0
    agree_without_peers: int = 0
    files_all_agree: int = 0
    failures: Counter[str] = field(default_factory=Counter)
    per_source: dict[str, list[int]] = field(default_factory=lambda: defaultdict(lambda: [0, 0]))
    locale_agree: int = 0
    load_s: float = 0.0

    def share(self, without_peers: bool = False) -> float:
        cells = self.cells_without_peers if without_peers else self.cells
        agree = self.agree_without_peers if without_peers else self.agree
        return agree / cells if cells else 0.0


@dataclass
class Results:
    run: dict[str, Any]
    files: list[dict[str, Any]]
    engines: dict[str, list[dict[str, Any]]]

    @classmethod
    def read(cls, path: Path) -> Results:
        run: dict[str, Any] = {}
        files: list[dict[str, Any]] = []
        engines: dict[str, list[dict[str, Any]]] = defaultdict(list)
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                if not line.strip():
                    continue
                record = json.loads(line)
                kind = record.get("kind")
                if kind == "run":
                    run = record
                elif kind == "file":
                    files.append(record)
                elif kind == "engine":
                    engines[record["engine"]].append(record)
        return cls(run, files, dict(engines))

    def engine_names(self) -> list[str]:
        return [name for name in ENGINES if name in self.engines]

    def totals(self) -> dict[str, EngineTotals]:
        out: dict[str, EngineTotals] = {}
        for name in self.engine_names():
            totals = EngineTotals()
            for record in self.engines[name]:
                totals.files += 1
                compared, agree = record["compared"], record["agree"]
                totals.cells += compared
                totals.agree += agree
                if record["source"] not in PEER_SOURCES:
                    totals.cells_without_peers += compared
                    totals.agree_without_peers += agree
                if agree == compared and record["status"] == "ok":
                    totals.files_all_agree += 1
                if record["status"] != "ok":
                    totals.failures[record["status"]] += 1
                source = totals.per_source[record["source"]]
                source[0] += compared
                source[1] += agree
                totals.locale_agree += record.get("locale_agree", 0)
                totals.load_s += record.get("load_s") or 0.0
            out[name] = totals
        return out


def _percent(part: int, whole: int) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "—"


def _cause_tables(results: Results) -> tuple[Counter[str], dict[str, set[str]], Counter[str], dict[str, set[str]],
                                              dict[str, list[list[Any]]]]:
    """sheetrl's disagreeing cells per cause and per cause+detail, with the files each touches and examples."""
    by_cause: Counter[str] = Counter()
    cause_files: dict[str, set[str]] = defaultdict(set)
    by_detail: Counter[str] = Counter()
    detail_files: dict[str, set[str]] = defaultdict(set)
    examples: dict[str, list[list[Any]]] = defaultdict(list)
    for record in results.engines.get("sheetrl", []):
        label = f"{record['source']}:{record['path']}"
        if record["status"] != "ok":
            cause = f"file not calculated ({record['status']})"
            by_cause[cause] += record["compared"]
            cause_files[cause].add(label)
            detail = f"{cause}|{clean_message(record.get('message', ''))[:160]}"
            by_detail[detail] += record["compared"]
            detail_files[detail].add(label)
            if len(examples[detail]) < 3:
                examples[detail].append([label, "", "", "", ""])
            continue
        for key, count in record.get("causes", {}).items():
            cause = key.split("|", 1)[0]
            by_cause[cause] += count
            cause_files[cause].add(label)
            by_detail[key] += count
            detail_files[key].add(label)
        for example in record.get("examples", []):
            key = example[0]
            if len(examples[key]) < EXAMPLES_PER_DETAIL and all(e[0] != label for e in examples[key]):
                examples[key].append([label, *example[1:]])
    return by_cause, cause_files, by_detail, detail_files, examples


def function_usage(results: Results) -> tuple[Counter[str], dict[str, int]]:
    """Cells and files per function name over the corpus (a formula counts once per name it calls)."""
    cells: Counter[str] = Counter()
    files: Counter[str] = Counter()
    for record in results.files:
        for name, count in record.get("functions", {}).items():
            cells[name] += count
            files[name] += 1
    return cells, dict(files)


def missing_with_peer_support(results: Results) -> list[tuple[str, int, int, str]]:
    """Function names the corpus uses that ironcalc or formualizer supports and sheetrl does not."""
    support = results.run.get("function_support", {})
    cells, files = function_usage(results)
    rows = []
    for name, count in cells.most_common():
        known = support.get(name, {})
        if known.get("sheetrl", True):
            continue
        peers = [engine for engine in ("ironcalc", "formualizer") if known.get(engine)]
        if peers:
            rows.append((name, files[name], count, ", ".join(peers)))
    return rows


def markdown(results: Results, command: str) -> str:
    """The BENCHMARKS.md section (between the markers, which it includes)."""
    run = results.run
    totals = results.totals()
    names = results.engine_names()
    lines = [MARKER_START, "## Real workbooks (benchmarks/xlsx_corpus.py)", ""]
    lines.append(
        f"`{command}` — {run.get('date', '?')} — {run.get('machine', '')} — "
        + ", ".join(f"{name} {run.get('versions', {}).get(name, '?')}" for name in names)
    )
    lines.append("")
    corpus = run.get("corpus", {})
    lines.append(
        f"Corpus: **{corpus.get('files', 0):,} workbooks** from {corpus.get('sources', 0)} public repositories "
        f"(`benchmarks/corpus/manifest.tsv`; {corpus.get('missing', 0)} listed files could not be obtained), "
        f"**{corpus.get('cells', 0):,} formula cells** with a cached value. Left out for every engine: "
        f"{corpus.get('excluded_volatile', 0):,} volatile cells (NOW/TODAY/RAND and what depends on them), "
        f"{corpus.get('excluded_locale', 0):,} TEXT results cached by an Excel in another language "
        f"(matched by: " + ", ".join(f"{n} {totals[n].locale_agree:,}" for n in names) + "). "
        "Every engine loads a copy whose cached formula values were replaced by a sentinel text, so a value is only "
        "right if the engine calculated it. Numbers agree within 1e-9 relative (1e-12 absolute), text exactly, "
        "booleans and error codes by value."
    )
    lines.append("")
    lines.append("| engine | cells agreeing | without the peers' own test files | files where every cell agrees "
                 "| files not calculated |")
    lines.append("|---|---:|---:|---:|---|")
    for name in names:
        t = totals[name]
        failed = ", ".join(f"{count} {status}" for status, count in sorted(t.failures.items())) or "0"
        bold = "**" if name == "sheetrl" else ""
        lines.append(
            f"| {bold}{name}{bold} | {bold}{_percent(t.agree, t.cells)}{bold} ({t.agree:,} / {t.cells:,}) "
            f"| {_percent(t.agree_without_peers, t.cells_without_peers)} | {t.files_all_agree} / {t.files} | {failed} |"
        )
    lines.append("")
    lines.append("Per source repository (cells compared; share agreeing):")
    lines.append("")
    lines.append("| source | files | cells | " + " | ".join(names) + " |")
    lines.append("|---|---:|---:|" + "---:|" * len(names))
    sources = Counter(record["source"] for record in results.files)
    for source, count in sorted(sources.items(), key=lambda item: (-item[1], item[0])):
        compared = totals[names[0]].per_source[source][0] if names else 0
        shares = [_percent(totals[n].per_source[source][1], totals[n].per_source[source][0]) for n in names]
        lines.append(f"| {source} | {count} | {compared:,} | " + " | ".join(shares) + " |")
    if "sheetrl" in totals:
        by_cause, cause_files, by_detail, _, _ = _cause_tables(results)
        disagree = sum(by_cause.values())
        lines += ["", (f"Why sheetrl disagrees ({disagree:,} cells; the first cause that applies, see "
                       "`benchmarks/corpus/causes.py`):"), "", "| cause | cells | files | top details |",
                  "|---|---:|---:|---|"]
        for cause, count in by_cause.most_common():
            details = [
                (key.split("|", 1)[1], n) for key, n in by_detail.most_common()
                if key.split("|", 1)[0] == cause and key.split("|", 1)[1]
            ][:6]
            shown = "; ".join(f"{_md(detail)} {n:,}" for detail, n in details)
            lines.append(f"| {cause} | {count:,} | {len(cause_files[cause])} | {shown} |")
        missing = missing_with_peer_support(results)
        shown = ", ".join(f"{name} ({files} files, {cells:,} cells)" for name, files, cells, _ in missing[:40])
        more = f" and {len(missing) - 40} more" if len(missing) > 40 else ""
        lines += ["", f"Functions the files call that ironcalc or formualizer has and sheetrl lacks: **{len(missing)}**"
                  + (f" (by cells that call them): {shown}{more}." if missing else "."), ""]
    lines.append(MARKER_END)
    return "\n".join(lines) + "\n"


def _md(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def update_benchmarks(path: Path, section: str) -> None:
    """Replace the corpus section of BENCHMARKS.md (between the markers), or append it."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmarks\n"
    if MARKER_START in text and MARKER_END in text:
        head, rest = text.split(MARKER_START, 1)
        _, tail = rest.split(MARKER_END, 1)
        text = head + section.rstrip("\n") + tail
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text, encoding="utf-8")


def summary(results: Results, command: str) -> str:
    """A plain-text account of what sheetrl gets wrong, with example formulas, for the people fixing it."""
    totals = results.totals()
    out = [f"# Real-workbook corpus: where sheetrl disagrees ({results.run.get('date', '?')})", "",
           f"Command: {command}", f"sheetrl commit: {results.run.get('commit', '?')}", ""]
    for name, t in totals.items():
        out.append(
            f"- {name}: {_percent(t.agree, t.cells)} of {t.cells:,} cells agree "
            f"({_percent(t.agree_without_peers, t.cells_without_peers)} without ironcalc's and formualizer's own "
            f"test files); every cell agrees in {t.files_all_agree}/{t.files} files; not calculated: "
            + (", ".join(f"{c} {s}" for s, c in sorted(t.failures.items())) or "none")
        )
    if "sheetrl" not in totals:
        return "\n".join(out) + "\n"
    by_cause, cause_files, by_detail, detail_files, examples = _cause_tables(results)
    out += ["", "## sheetrl's disagreeing cells by cause", ""]
    for cause, count in by_cause.most_common():
        out.append(f"- {cause}: {count:,} cells in {len(cause_files[cause])} files")
    missing = [row for row in by_detail.most_common() if row[0].startswith("missing function|")]
    out += ["", "## Missing functions (cells whose formula calls them, files)", ""]
    names: Counter[str] = Counter()
    name_files: dict[str, set[str]] = defaultdict(set)
    for key, count in missing:
        for name in key.split("|", 1)[1].split(","):
            names[name] += count
            name_files[name] |= detail_files[key]
    support = results.run.get("function_support", {})
    for name, count in names.most_common():
        peers = [e for e in ("ironcalc", "formualizer") if support.get(name, {}).get(e)]
        out.append(f"- {name}: {count:,} cells, {len(name_files[name])} files"
                   + (f" (supported by {', '.join(peers)})" if peers else " (neither peer has it)"))
    peer_missing = missing_with_peer_support(results)
    out += ["", f"Function names used by the corpus that a peer supports and sheetrl lacks: {len(peer_missing)}",
            "  " + ", ".join(name for name, *_ in peer_missing), ""]
    for cause in [c for c, _ in by_cause.most_common() if c != "missing function"]:
        out += [f"## {cause}", ""]
        rows = [(key, n) for key, n in by_detail.most_common() if key.split("|", 1)[0] == cause][:25]
        for key, n in rows:
            detail = key.split("|", 1)[1]
            out.append(f"- {detail or '(no detail)'}: {n:,} cells, {len(detail_files[key])} files")
            shown = examples.get(key, [])[: 3 if detail else EXAMPLES_PER_DETAIL]
            for label, address, formula, expected, got in shown:
                if formula:
                    out.append(f"    {label} {address}: {formula}  cached {expected}  sheetrl {got}")
                else:
                    out.append(f"    {label}")
        out.append("")
    return "\n".join(out) + "\n"
