"""Folders the training commands write into: made when missing, refused with one line when they cannot be.

A path that must be a folder but is a file (or lies under one) used to reach the user as ``[Errno 17] File
exists``; :func:`make_folder` says which path is the file instead.
"""

from __future__ import annotations

from pathlib import Path

from sheetrl.train.config import TrainError


def blocking_file(path: Path) -> Path | None:
    """The first of ``path`` and its parents that exists and is not a folder (None: the path can be a folder)."""
    return next((p for p in (path, *path.parents) if p.exists() and not p.is_dir()), None)


def check_folder(path: str | Path, role: str) -> Path:
    """Raise :class:`TrainError` when ``path`` cannot become a folder because it, or a folder above it, is a file;
    ``role`` says what the folder is for ("the sweep folder"). Returns the path."""
    path = Path(path)
    blocking = blocking_file(path)
    if blocking is not None:
        where = "it is a file" if blocking == path else f"{blocking} is a file"
        raise TrainError(f"cannot use {path} as {role}: {where}, not a folder")
    return path


def make_folder(path: str | Path, role: str) -> Path:
    """Create ``path`` (and its parents) as a folder for ``role``, with a one-line :class:`TrainError` when it is,
    or lies under, a file, or cannot be created."""
    path = check_folder(path, role)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TrainError(f"cannot create {role} {path}: {exc.strerror or exc}") from None
    return path
