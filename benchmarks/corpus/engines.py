"""The three engines behind one interface, and the worker subprocesses that run them.

An engine adapter loads a (poisoned) workbook, calculates it, and reports the value of given cells as tagged values
(see :mod:`.cells`). Each engine runs in a worker subprocess of its own (``xlsx_corpus.py --worker ENGINE``) that
takes one job per line on stdin and answers one JSON line; the parent gives every job a time limit and watches the
worker's resident memory, and kills and restarts a worker that crashes, hangs or grows past the limit, so such a
file is counted (``crash``, ``timeout``, ``memory``) instead of ending the run.

Loading and calculating are timed together (``load_s``): the engines differ in where they do the work (sheetrl
calculates while loading, ironcalc and formualizer on ``evaluate``).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import resource
import select
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from corpus.compare import tag

ENGINES = ("sheetrl", "ironcalc", "formualizer")
_FORMUALIZER_ERRORS = {
    "Div": "#DIV/0!", "Na": "#N/A", "Name": "#NAME?", "Value": "#VALUE!", "Ref": "#REF!", "Num": "#NUM!",
    "Null": "#NULL!", "Spill": "#SPILL!", "Calc": "#CALC!", "Circ": "#CIRC!", "NImpl": "#N/IMPL!",
    "GettingData": "#GETTING_DATA", "Error": "#ERROR!",
}
_EPOCH = _dt.datetime(1899, 12, 30)
_ADDRESS_SPACE_ENV = "SHEETRL_CORPUS_ADDRESS_SPACE"
Cell = tuple[int, int, int]  # (sheet index, row, col), 1-based row and col


class Adapter:
    """Load + calculate a workbook, then read cells. Subclasses wrap one engine."""

    name = ""

    def version(self) -> str:
        raise NotImplementedError

    def load(self, path: str) -> Any:
        raise NotImplementedError

    def values(self, handle: Any, sheets: list[str], cells: list[Cell]) -> list[tuple[str, Any]]:
        raise NotImplementedError

    def probe(self, names: list[str]) -> dict[str, bool]:
        """Which of ``names`` the engine knows as functions: ``=NAME()`` or ``=NAME(1)`` gives something but #NAME?."""
        raise NotImplementedError


class SheetrlAdapter(Adapter):
    name = "sheetrl"

    def __init__(self) -> None:
        from sheetrl.sheet import Workbook
        from sheetrl.sheet.address import quote_sheet_name

        self.Workbook = Workbook
        self.quote = quote_sheet_name

    def version(self) -> str:
        from importlib.metadata import version

        return version("sheetrl")

    def load(self, path: str) -> Any:
        return self.Workbook.load(path)

    def probe(self, names: list[str]) -> dict[str, bool]:
        from sheetrl.sheet.functions import FUNCTIONS
        from sheetrl.sheet.lambdas import SPECIAL_FORMS  # LET, LAMBDA, ISOMITTED: compiled, not in the library

        return {name: name in FUNCTIONS or name in SPECIAL_FORMS for name in names}

    def addresses(self, wb: Any, cells: list[Cell]) -> list[str | None]:
        """sheetrl addresses of file cells (the loader may rename a sheet whose name it cannot take)."""
        names = wb.sheet_names
        quoted = [self.quote(name) for name in names]
        from corpus.cells import column_letters

        return [
            f"{quoted[sheet]}!{column_letters(col)}{row}" if sheet < len(names) else None for sheet, row, col in cells
        ]

    def values(self, handle: Any, sheets: list[str], cells: list[Cell]) -> list[tuple[str, Any]]:
        from sheetrl.sheet import ExcelError

        out: list[tuple[str, Any]] = []
        for address in self.addresses(handle, cells):
            if address is None:
                out.append(("missing", None))
                continue
            value = handle.value(address)
            out.append(("e", str(value)) if isinstance(value, ExcelError) else tag(value))
        return out


class IroncalcAdapter(Adapter):
    name = "ironcalc"

    def __init__(self) -> None:
        import ironcalc

        self.ic = ironcalc

    def version(self) -> str:
        return str(getattr(self.ic, "__version__", "?"))

    def load(self, path: str) -> Any:
        model = self.ic.load_from_xlsx(path, "en", "UTC")
        model.evaluate()
        return model

    def probe(self, names: list[str]) -> dict[str, bool]:
        model = self.ic.create("probe", "en", "UTC")
        for row, name in enumerate(names, start=1):
            for col, formula in enumerate((f"={name}()", f"={name}(1)"), start=1):
                with contextlib.suppress(Exception):  # an engine that rejects the text does not know the name
                    model.set_user_input(0, row, col, formula)
        model.evaluate()
        return {
            name: any(str(model.get_cell_value(0, row, col)) != "#NAME?" for col in (1, 2))
            for row, name in enumerate(names, start=1)
        }

    def values(self, handle: Any, sheets: list[str], cells: list[Cell]) -> list[tuple[str, Any]]:
        index = {p["name"].upper(): n for n, p in enumerate(handle.get_worksheets_properties())}
        error_type = self.ic.CellType.ErrorValue
        out: list[tuple[str, Any]] = []
        for sheet, row, col in cells:
            position = index.get(sheets[sheet].upper()) if sheet < len(sheets) else None
            if position is None:
                out.append(("missing", None))
                continue
            value = handle.get_cell_value(position, row, col)
            if handle.get_cell_type(position, row, col) == error_type:
                out.append(("e", str(value)))
            else:
                out.append(tag(value))
        return out


class FormualizerAdapter(Adapter):
    name = "formualizer"

    def __init__(self) -> None:
        import formualizer

        self.fz = formualizer

    def version(self) -> str:
        from importlib.metadata import version

        return version("formualizer")

    def load(self, path: str) -> Any:
        workbook = self.fz.load_workbook(path)
        workbook.evaluate_all()
        return workbook

    def probe(self, names: list[str]) -> dict[str, bool]:
        workbook = self.fz.Workbook()
        workbook.add_sheet("Probe")
        for row, name in enumerate(names, start=1):
            for col, formula in enumerate((f"={name}()", f"={name}(1)"), start=1):
                with contextlib.suppress(Exception):  # an engine that rejects the text does not know the name
                    workbook.set_formula("Probe", row, col, formula)
        workbook.evaluate_all()
        return {
            name: any(_formualizer_value(workbook.get_value("Probe", row, col)) != ("e", "#NAME?") for col in (1, 2))
            for row, name in enumerate(names, start=1)
        }

    def values(self, handle: Any, sheets: list[str], cells: list[Cell]) -> list[tuple[str, Any]]:
        present = {name.upper(): name for name in handle.sheet_names}
        out: list[tuple[str, Any]] = []
        for sheet, row, col in cells:
            name = present.get(sheets[sheet].upper()) if sheet < len(sheets) else None
            if name is None:
                out.append(("missing", None))
                continue
            out.append(_formualizer_value(handle.get_value(name, row, col)))
        return out


def _formualizer_value(value: Any) -> tuple[str, Any]:
    if isinstance(value, dict) and value.get("type") == "Error":
        kind = str(value.get("kind"))
        return ("e", _FORMUALIZER_ERRORS.get(kind, f"#{kind.upper()}"))
    if isinstance(value, _dt.datetime):
        return ("n", (value - _EPOCH).total_seconds() / 86400)
    if isinstance(value, _dt.date):
        return ("n", float((value - _EPOCH.date()).days))
    if isinstance(value, _dt.time):
        return ("n", (value.hour * 3600 + value.minute * 60 + value.second + value.microsecond / 1e6) / 86400)
    if isinstance(value, _dt.timedelta):
        return ("n", value.total_seconds() / 86400)
    return tag(value)


ADAPTERS: dict[str, Callable[[], Adapter]] = {
    "sheetrl": SheetrlAdapter, "ironcalc": IroncalcAdapter, "formualizer": FormualizerAdapter,
}


# ================================================================================================ worker side
def worker_main(engine: str) -> None:
    """Serve jobs for one engine: one JSON job per stdin line, one JSON answer per line on the original stdout."""
    limit = int(os.environ.get(_ADDRESS_SPACE_ENV, "0") or 0)
    if limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    protocol = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)  # whatever an engine prints goes to stderr, not into the protocol
    try:
        adapter = ADAPTERS[engine]()
        hello: dict[str, Any] = {"status": "ready", "version": adapter.version()}
    except Exception as exc:  # the engine is not installed: every job reports it
        adapter = None
        hello = {"status": "unavailable", "message": f"{type(exc).__name__}: {exc}"}
    protocol.write(json.dumps(hello) + "\n")
    protocol.flush()
    for line in sys.stdin:
        if not line.strip():
            continue
        job = json.loads(line)
        answer: dict[str, Any]
        if adapter is None:
            answer = hello
        elif "probe" in job:
            try:
                answer = {"status": "ok", "known": adapter.probe(job["probe"])}
            except Exception as exc:  # any failure of an engine is a result to report
                answer = {"status": "probe-error", "message": _one_line(exc)}
        else:
            answer = run_job(adapter, job)
        protocol.write(json.dumps(answer) + "\n")
        protocol.flush()


def run_job(adapter: Adapter, job: dict[str, Any]) -> dict[str, Any]:
    """Load and calculate ``job["workbook"]``, read the cells listed in ``job["cells"]`` (a JSON file)."""
    with open(job["cells"], encoding="utf-8") as handle:
        listing = json.load(handle)
    sheets: list[str] = listing["sheets"]
    cells: list[Cell] = [(c[0], c[1], c[2]) for c in listing["cells"]]
    start = time.perf_counter()
    try:
        workbook = adapter.load(job["workbook"])
    except Exception as exc:  # any failure of an engine is a result to report
        return {"status": "load-error", "message": _one_line(exc), "load_s": time.perf_counter() - start}
    load_s = time.perf_counter() - start
    try:
        values = adapter.values(workbook, sheets, cells)
    except Exception as exc:  # any failure of an engine is a result to report
        return {"status": "read-error", "message": _one_line(exc), "load_s": load_s,
                "trace": traceback.format_exc(limit=4)[-600:]}
    answer: dict[str, Any] = {"status": "ok", "load_s": load_s, "values": values}
    if adapter.name == "sheetrl" and job.get("classify"):
        from corpus.causes import analyse

        answer.update(analyse(adapter, workbook, listing, values))
    return answer


def _one_line(exc: BaseException) -> str:
    text = " ".join(f"{type(exc).__name__}: {exc}".split())
    return text if len(text) <= 300 else text[:297] + "..."


# ================================================================================================ parent side
class Worker:
    """One engine's worker subprocess, driven by the parent; restarted after a crash, timeout or memory kill."""

    def __init__(self, engine: str, script: Path, memory_mb: int, log_dir: Path) -> None:
        self.engine = engine
        self.script = script
        self.memory_kib = memory_mb * 1024
        self.log_path = log_dir / f"{engine}-{os.getpid()}-{id(self)}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.version = ""
        self.unavailable: str | None = None
        self._buffer = b""

    def _start(self) -> None:
        env = dict(os.environ, PYTHONHASHSEED="0", RAYON_NUM_THREADS="1", OMP_NUM_THREADS="1")
        env[_ADDRESS_SPACE_ENV] = str(self.memory_kib * 1024 * 4)  # a backstop; the RSS watch is the real limit
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                [sys.executable, str(self.script), "--worker", self.engine],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, env=env,
            )
        self._buffer = b""
        hello = self._read(time.monotonic() + 120)
        if hello.get("status") == "ready":
            self.version = hello.get("version", "")
        elif hello.get("status") == "unavailable":
            self.unavailable = hello.get("message", "unavailable")
        else:
            raise RuntimeError(f"{self.engine} worker did not start: {hello}")

    def run(self, job: dict[str, Any], timeout: float) -> dict[str, Any]:
        """The worker's answer to ``job``, or a status saying how it failed (crash, timeout, memory)."""
        if self.process is None or self.process.poll() is not None:
            try:
                self._start()
            except RuntimeError as exc:
                self.stop()
                return {"status": "crash", "message": str(exc)}
        if self.unavailable:
            return {"status": "unavailable", "message": self.unavailable}
        assert self.process is not None and self.process.stdin is not None
        started = time.monotonic()
        try:
            self.process.stdin.write((json.dumps(job) + "\n").encode())
            self.process.stdin.flush()
        except BrokenPipeError:
            self.stop()
            return {"status": "crash", "message": "the worker exited before the job was sent"}
        answer = self._read(started + timeout)
        answer.setdefault("wall_s", time.monotonic() - started)
        if answer["status"] in ("crash", "timeout", "memory"):
            self.stop()
        elif self._rss_kib() > self.memory_kib // 2:
            self.stop()  # start the next file with a fresh heap
        return answer

    def _read(self, deadline: float) -> dict[str, Any]:
        assert self.process is not None and self.process.stdout is not None
        fd = self.process.stdout.fileno()
        while b"\n" not in self._buffer:
            now = time.monotonic()
            if now > deadline:
                return {"status": "timeout", "message": "no answer within the time limit"}
            ready, _, _ = select.select([fd], [], [], min(0.2, deadline - now))
            if ready:
                chunk = os.read(fd, 1 << 20)
                if not chunk:
                    code = self.process.wait()
                    return {"status": "crash", "message": f"worker exited with code {code}: {self._log_tail()}"}
                self._buffer += chunk
                continue
            if self._rss_kib() > self.memory_kib:
                return {"status": "memory", "message": f"resident memory above {self.memory_kib // 1024} MiB"}
        line, self._buffer = self._buffer.split(b"\n", 1)
        return json.loads(line)

    def _rss_kib(self) -> int:
        if self.process is None:
            return 0
        try:
            with open(f"/proc/{self.process.pid}/status", encoding="ascii") as status:
                for line in status:
                    if line.startswith("VmRSS:"):
                        return int(line.split()[1])
        except (OSError, ValueError):
            pass
        return 0

    def _log_tail(self) -> str:
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        lines = [line for line in text.splitlines() if line.strip()]
        return " | ".join(lines[-3:])[-300:]

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGKILL)
            self.process.wait()
            for stream in (self.process.stdin, self.process.stdout):
                if stream is not None:
                    stream.close()
        self.process = None
