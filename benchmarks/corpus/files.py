"""The corpus manifest and the local cache of its workbooks.

The manifest (``benchmarks/corpus/manifest.tsv``) names every workbook by the public Git repository it comes from,
the commit, the path inside that commit and the file's SHA-256; the files themselves are never part of this
repository. They are kept in a content-addressed cache outside it (``~/.cache/sheetrl-corpus`` or
``$SHEETRL_CORPUS_CACHE``) and obtained in one of two ways:

- ``--fetch-from DIR``: DIR holds Git mirrors of the source repositories (a bare repository or a checkout per
  source, named ``owner+name``, ``owner+name/repo``, ``owner/name`` or ``name``); each file is read with
  ``git cat-file blob COMMIT:PATH``;
- ``--clone``: a blob-less bare clone of ``https://github.com/owner/name`` per source (network needed), from which
  Git fetches exactly the blobs the manifest names.

Every file is checked against its SHA-256 before it enters the cache; a file that cannot be found or does not
match is skipped and counted.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import subprocess
import tempfile
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST_COLUMNS = ("source", "commit", "path", "sha256", "size", "formula_cells", "application")
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm")
# The peers' own test suites: measured like every other source, and also left out of one headline figure so that
# the comparison does not rest on files the peers were tuned against.
PEER_SOURCES = frozenset({"ironcalc/IronCalc", "PSU3D0/formualizer"})

_FORMULA_WITH_VALUE = re.compile(rb"<(?:\w+:)?f[\s>/][^<]*(?:</(?:\w+:)?f>)?\s*<(?:\w+:)?v>")
_APPLICATION = re.compile(rb"<(?:\w+:)?Application>([^<]*)</(?:\w+:)?Application>")


@dataclass(frozen=True, slots=True)
class Entry:
    """One workbook of the corpus."""

    source: str  # GitHub owner/name
    commit: str
    path: str  # inside the repository at that commit
    sha256: str
    size: int  # bytes
    formula_cells: int  # formula cells with a cached value (as counted when the manifest was made)
    application: str  # docProps/app.xml <Application>: what computed the cached values

    @property
    def suffix(self) -> str:
        return ".xlsm" if self.path.lower().endswith(".xlsm") else ".xlsx"

    @property
    def label(self) -> str:
        return f"{self.source}:{self.path}"


def read_manifest(path: Path) -> list[Entry]:
    """The entries of a manifest TSV (header row first); raises ValueError naming a malformed line."""
    entries: list[Entry] = []
    with open(path, newline="", encoding="utf-8") as handle:
        reader = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader, None)
        if header is None or tuple(header[: len(MANIFEST_COLUMNS)]) != MANIFEST_COLUMNS:
            raise ValueError(f"{path}: the first line must be the header {' '.join(MANIFEST_COLUMNS)}")
        for number, row in enumerate(reader, start=2):
            if not row or row[0].startswith("#"):
                continue
            if len(row) < len(MANIFEST_COLUMNS) or not re.fullmatch(r"[0-9a-f]{64}", row[3]):
                raise ValueError(f"{path}:{number}: expected {len(MANIFEST_COLUMNS)} tab-separated columns")
            entries.append(Entry(row[0], row[1], row[2], row[3], int(row[4]), int(row[5]), row[6]))
    return entries


def write_manifest(path: Path, entries: Iterable[Entry]) -> None:
    rows = sorted(entries, key=lambda e: (e.source.lower(), e.path))
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter="\t", quoting=csv.QUOTE_NONE, lineterminator="\n", escapechar="\\")
        writer.writerow(MANIFEST_COLUMNS)
        for e in rows:
            writer.writerow((e.source, e.commit, e.path, e.sha256, e.size, e.formula_cells, e.application))


def default_cache_dir() -> Path:
    return Path(os.environ.get("SHEETRL_CORPUS_CACHE") or Path.home() / ".cache" / "sheetrl-corpus")


def cached_file(cache: Path, entry: Entry) -> Path:
    """Where the verified file lives in the cache (content-addressed, the original suffix kept)."""
    return cache / "files" / entry.sha256[:2] / f"{entry.sha256}{entry.suffix}"


@dataclass
class ObtainReport:
    """What ``obtain`` found: files already cached, newly fetched, and those it could not get (with why)."""

    cached: int = 0
    fetched: int = 0
    missing: list[tuple[Entry, str]] = field(default_factory=list)


def obtain(
    entries: list[Entry],
    cache: Path,
    fetch_from: list[Path],
    clone: bool = False,
    log: Callable[[str], None] = print,
) -> ObtainReport:
    """Put every entry's file into the cache, verified by SHA-256; entries that cannot be obtained are listed."""
    report = ObtainReport()
    pending: dict[str, list[Entry]] = {}
    for entry in entries:
        if cached_file(cache, entry).is_file():
            report.cached += 1
        else:
            pending.setdefault(entry.source, []).append(entry)
    for source, wanted in sorted(pending.items()):
        git_dirs = [d for base in fetch_from for d in _mirror_candidates(base, source)]
        if clone:
            cloned = _blobless_clone(source, cache, log)
            if cloned is not None:
                git_dirs.append(cloned)
        if not git_dirs:
            report.missing.extend((e, "no mirror of the repository (use --fetch-from DIR or --clone)") for e in wanted)
            continue
        for entry in wanted:
            data = None
            for git_dir in git_dirs:
                data = _git_blob(git_dir, entry.commit, entry.path)
                if data is not None:
                    break
            if data is None:
                report.missing.append((entry, f"{entry.commit[:12]}:{entry.path} is not in the mirror"))
                continue
            digest = hashlib.sha256(data).hexdigest()
            if digest != entry.sha256:
                report.missing.append((entry, f"sha256 is {digest[:12]}..., the manifest says {entry.sha256[:12]}..."))
                continue
            _write_atomically(cached_file(cache, entry), data)
            report.fetched += 1
    return report


def _mirror_candidates(base: Path, source: str) -> list[Path]:
    owner, name = source.split("/", 1)
    found = []
    for candidate in (base / f"{owner}+{name}" / "repo", base / f"{owner}+{name}", base / owner / name, base / name):
        if (candidate / "objects").is_dir() or (candidate / ".git").exists():
            found.append(candidate / ".git" if (candidate / ".git").exists() else candidate)
    return found


def _git_blob(git_dir: Path, commit: str, path: str) -> bytes | None:
    result = subprocess.run(
        ["git", f"--git-dir={git_dir}", "cat-file", "blob", f"{commit}:{path}"],
        capture_output=True, check=False,
    )
    return result.stdout if result.returncode == 0 else None


def _blobless_clone(source: str, cache: Path, log: Callable[[str], None]) -> Path | None:
    target = cache / "git" / source.replace("/", "+")
    if (target / "objects").is_dir():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    log(f"cloning https://github.com/{source} (blob-less) into {target}")
    result = subprocess.run(
        ["git", "clone", "--quiet", "--bare", "--filter=blob:none", f"https://github.com/{source}.git", str(target)],
        capture_output=True, text=True, check=False,
    )
    if result.returncode != 0:
        log(f"  clone failed: {' '.join(result.stderr.split())[:200]}")
        return None
    return target


def _write_atomically(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, suffix=".part")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


# ================================================================================================ scanning
def describe_workbook(data: bytes) -> tuple[int, str] | None:
    """(formula cells that carry a cached value, authoring application) of an .xlsx, or None if it is not one."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
        with_values = 0
        for name in names:
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                with_values += len(_FORMULA_WITH_VALUE.findall(archive.read(name)))
        application = ""
        if "docProps/app.xml" in names:
            match = _APPLICATION.search(archive.read("docProps/app.xml"))
            application = match.group(1).decode("utf-8", "replace").strip() if match else ""
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, NotImplementedError, EOFError):
        return None
    return with_values, application


def scan_repository(git_dir: Path, source: str, commit: str = "HEAD") -> list[Entry]:
    """Every .xlsx/.xlsm at ``commit`` of a Git mirror (bare or a checkout) with formula cells that cache values."""
    if (git_dir / ".git").exists():
        git_dir = git_dir / ".git"
    resolved = subprocess.run(
        ["git", f"--git-dir={git_dir}", "rev-parse", commit], capture_output=True, text=True, check=True
    ).stdout.strip()
    listing = subprocess.run(
        ["git", f"--git-dir={git_dir}", "ls-tree", "-r", "-z", resolved], capture_output=True, check=True
    ).stdout
    entries = []
    for item in listing.split(b"\0"):
        if not item:
            continue
        _meta, path_bytes = item.split(b"\t", 1)
        path = path_bytes.decode("utf-8", "replace")
        if not path.lower().endswith(WORKBOOK_SUFFIXES) or "\t" in path or "\n" in path:
            continue
        data = _git_blob(git_dir, resolved, path)
        if data is None or not data.startswith(b"PK"):
            continue  # a large file the mirror left out, or a Git LFS pointer
        described = describe_workbook(data)
        if described is None or described[0] == 0:
            continue
        entries.append(
            Entry(source, resolved, path, hashlib.sha256(data).hexdigest(), len(data), described[0], described[1])
        )
    return entries
