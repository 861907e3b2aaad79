"""Reading and writing a user's files without hanging, following a link or leaving half a file.

Every file sheetrl reads or writes on a user's behalf (workbooks, task files, demonstrations, metrics, plots) goes
through these helpers:

- :func:`open_input` opens a file for reading only if it is a regular file: reading a named pipe would wait for a
  writer forever, and a device such as ``/dev/zero`` never ends.
- :func:`check_output` refuses a path that is a symbolic link (writing would replace the file it points to, or the
  link) or that exists and is not a regular file (a folder, a device, a named pipe).
- :func:`write_atomic` writes through a temporary file in the same folder and renames it over the target, so a
  crash or a full disk never leaves half a file, and a target that is not a regular file is never replaced.
- :func:`loads_json` is :func:`json.loads` that reports nesting too deep to read, and integers too long to
  convert, as a :class:`json.JSONDecodeError` (``json.loads`` itself raises RecursionError, ValueError).
- :func:`printable` escapes control characters, so that text from a file or the command line keeps a message on
  one line.

The refusals raise :class:`UnsafeFileError`, an :class:`OSError` whose message is one sentence naming the path.
"""

from __future__ import annotations

import errno
import json
import os
import secrets
import stat
import sys
import unicodedata
from collections.abc import Callable
from typing import IO, Any

MAX_JSON_DEPTH = 100  # levels of nested arrays and objects a JSON document read from a user's file may have

_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISLNK, "a symbolic link"))


class UnsafeFileError(OSError):
    """A path refused before reading or writing it: not a regular file, or (for writing) a symbolic link."""

    def __init__(self, path: str | os.PathLike[str], reason: str) -> None:
        super().__init__(errno.EINVAL, reason, os.fspath(path))

    def __str__(self) -> str:
        return f"{printable(str(self.filename))} {self.strerror}"


def file_kind(mode: int) -> str:
    """What a file of this ``st_mode`` is, in words ("a named pipe", "a folder", ...)."""
    for test, name in _KINDS:
        if test(mode):
            return name
    return "a special file"


def _not_regular(path: str | os.PathLike[str], mode: int) -> UnsafeFileError:
    return UnsafeFileError(path, f"is not a regular file (it is {file_kind(mode)})")


def open_input(path: str | os.PathLike[str]) -> IO[bytes]:
    """Open a file for reading in binary mode; raises :class:`UnsafeFileError` when it is not a regular file.

    A named pipe is opened without waiting for a writer and refused; a device is refused before it is opened.
    Other problems (a missing file, no permission) raise the usual :class:`OSError`."""
    name = os.fspath(path)
    mode = os.stat(name).st_mode
    if not stat.S_ISREG(mode):
        raise _not_regular(name, mode)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0) | getattr(os, "O_CLOEXEC", 0)
    fd = os.open(name, flags)
    try:
        mode = os.fstat(fd).st_mode  # the file opened, which may have been swapped since the check above
        if not stat.S_ISREG(mode):
            raise _not_regular(name, mode)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_input_bytes(path: str | os.PathLike[str]) -> bytes:
    """The contents of a regular file (see :func:`open_input`)."""
    with open_input(path) as handle:
        return handle.read()


def check_output(path: str | os.PathLike[str]) -> None:
    """Refuse to write ``path`` when it is a symbolic link or exists and is not a regular file (raises
    :class:`UnsafeFileError`); a missing path or a regular file is fine."""
    try:
        mode = os.lstat(path).st_mode
    except (FileNotFoundError, NotADirectoryError):  # nothing there (yet)
        return
    if stat.S_ISLNK(mode):
        raise UnsafeFileError(path, "is a symbolic link; sheetrl does not write through links (give the path of "
                                    "the file itself, or a new name)")
    if not stat.S_ISREG(mode):
        raise UnsafeFileError(path, f"is {file_kind(mode)}, not a regular file; sheetrl writes only regular files")


def create_temp(target: str) -> tuple[int, str]:
    """A new hidden file next to ``target``, created with the default permissions (0o666 less the umask);
    returns its descriptor and path. Its name starts with at most 32 characters of ``target``'s (at most 128 bytes
    in UTF-8), so that it is not too long for the file system where ``target``'s own name is not."""
    directory, base = os.path.split(target)
    for _ in range(100):
        temp = os.path.join(directory, f".{base[:32]}.{secrets.token_hex(6)}.tmp")
        try:
            flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0) | getattr(os, "O_NOFOLLOW", 0)
            return os.open(temp, flags, 0o666), temp
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "could not find a free temporary file name")


def sync_directory(directory: str) -> None:
    """Make a rename in ``directory`` durable (best effort: not every platform can open a directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_atomic(path: str | os.PathLike[str], write: Callable[[IO[bytes]], Any]) -> None:
    """Write a file through ``write(handle)`` atomically: into a temporary file in the same folder, flushed to
    disk, then renamed over ``path`` (which keeps its permissions if it existed). If anything fails, the temporary
    file is removed and ``path`` is unchanged. ``path`` must pass :func:`check_output` (checked again just before
    the rename); its folder must exist. Raises :class:`OSError` (:class:`UnsafeFileError` for a refused path)."""
    target = os.path.abspath(os.fspath(path))
    check_output(target)
    try:
        existing_mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        existing_mode = None
    directory = os.path.dirname(target)
    try:
        fd, temp = create_temp(target)
    except OSError as exc:
        reason = (exc.strerror or str(exc)).lower()
        raise OSError(exc.errno, f"cannot create a file in {directory} ({reason})", target) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
            handle.flush()
            os.fsync(handle.fileno())
        if existing_mode is not None:
            os.chmod(temp, existing_mode)
        check_output(target)  # a link or a pipe put there while the file was being written is not replaced
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except OSError:
            pass
        raise
    sync_directory(directory)


def loads_json(text: str | bytes, max_depth: int = MAX_JSON_DEPTH) -> Any:
    """:func:`json.loads`, raising :class:`json.JSONDecodeError` also for arrays and objects nested more than
    ``max_depth`` levels deep (the parser would raise RecursionError, or code walking the result would) and for
    an integer too long to convert (the parser would raise ValueError)."""
    try:
        document = json.loads(text)
    except json.JSONDecodeError:
        raise
    except RecursionError:
        document = None
        too_deep = True
    except ValueError:  # an integer of more digits than Python converts (4,300 by default)
        shown = text if isinstance(text, str) else text.decode("utf-8", "replace")
        raise json.JSONDecodeError(f"an integer of more than {sys.get_int_max_str_digits():,} digits", shown,
                                   0) from None
    else:  # (a document with few brackets cannot be deep: most are not walked at all)
        opening = text.count("[") + text.count("{") if isinstance(text, str) else text.count(b"[") + text.count(b"{")
        too_deep = opening > max_depth and _deeper_than(document, max_depth)
    if too_deep:
        shown = text if isinstance(text, str) else text.decode("utf-8", "replace")
        raise json.JSONDecodeError(f"arrays and objects nested more than {max_depth} levels deep", shown, 0)
    return document


def _deeper_than(document: Any, max_depth: int) -> bool:
    if not isinstance(document, (list, dict)):
        return False
    stack: list[tuple[Any, int]] = [(document, 1)]
    while stack:
        node, depth = stack.pop()
        if depth > max_depth:
            return True
        children = node.values() if isinstance(node, dict) else node
        stack.extend((child, depth + 1) for child in children if isinstance(child, (list, dict)))
    return False


def printable(text: str, keep: str = "") -> str:
    """``text`` with control characters, line and paragraph separators and format characters (except those in
    ``keep``) escaped as Python writes them in a string literal (``\\n``, ``\\x1b``, ``\\u2028``): what a message shows
    of a user's text stays on one line and cannot move the terminal's cursor or change its colours."""
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch in keep or unicodedata.category(ch) == "Zs" else repr(ch)[1:-1]
                   for ch in text)


__all__ = ["MAX_JSON_DEPTH", "UnsafeFileError", "check_output", "create_temp", "file_kind", "loads_json",
           "open_input", "printable", "read_input_bytes", "sync_directory", "write_atomic"]
