"""Reading and writing a user's files: only regular files are read (a named pipe would block forever), writing
never follows a symbolic link or replaces anything but a regular file, writes are atomic, JSON nested too deeply
is a decoding error, and messages keep a user's text on one line."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from sheetrl.sheet.fileio import (
    MAX_JSON_DEPTH,
    UnsafeFileError,
    check_output,
    loads_json,
    open_input,
    printable,
    read_input_bytes,
    write_atomic,
)


def test_open_input_reads_a_regular_file_and_refuses_a_named_pipe_without_waiting(tmp_path: Path) -> None:
    (tmp_path / "data.txt").write_bytes(b"hello")
    assert read_input_bytes(tmp_path / "data.txt") == b"hello"
    os.mkfifo(tmp_path / "pipe")  # no writer: opening it for reading would wait forever
    with pytest.raises(UnsafeFileError) as info:
        open_input(tmp_path / "pipe")
    assert str(info.value) == f"{tmp_path / 'pipe'} is not a regular file (it is a named pipe)"
    with pytest.raises(UnsafeFileError, match=r"is not a regular file \(it is a folder\)"):
        open_input(tmp_path)
    with pytest.raises(UnsafeFileError, match=r"is not a regular file \(it is a character device\)"):
        open_input(os.devnull)  # a device such as /dev/zero would never end
    with pytest.raises(FileNotFoundError):
        open_input(tmp_path / "missing.txt")


def test_open_input_follows_a_link_to_a_regular_file_but_not_to_a_pipe(tmp_path: Path) -> None:
    (tmp_path / "data.txt").write_bytes(b"x")
    (tmp_path / "link").symlink_to(tmp_path / "data.txt")
    assert read_input_bytes(tmp_path / "link") == b"x"
    os.mkfifo(tmp_path / "pipe")
    (tmp_path / "pipe_link").symlink_to(tmp_path / "pipe")
    with pytest.raises(UnsafeFileError, match="named pipe"):
        open_input(tmp_path / "pipe_link")


def test_check_output_refuses_links_and_anything_that_is_not_a_regular_file(tmp_path: Path) -> None:
    check_output(tmp_path / "new.txt")
    (tmp_path / "old.txt").write_text("old")
    check_output(tmp_path / "old.txt")
    (tmp_path / "link.txt").symlink_to(tmp_path / "old.txt")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    os.mkfifo(tmp_path / "pipe.txt")
    for path, kind in [(tmp_path / "link.txt", "is a symbolic link"), (tmp_path / "dangling.txt", "is a symbolic link"),
                       (tmp_path / "pipe.txt", "is a named pipe, not a regular file"),
                       (tmp_path, "is a folder, not a regular file"),
                       (Path(os.devnull), "is a character device, not a regular file")]:
        with pytest.raises(UnsafeFileError, match=kind):
            check_output(path)


def test_write_atomic_replaces_a_regular_file_keeping_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "out.bin"
    write_atomic(path, lambda handle: handle.write(b"first"))
    assert path.read_bytes() == b"first"
    path.chmod(0o640)
    write_atomic(path, lambda handle: handle.write(b"second"))
    assert path.read_bytes() == b"second" and stat.S_IMODE(path.stat().st_mode) == 0o640
    assert os.listdir(tmp_path) == ["out.bin"]


def test_write_atomic_writes_a_file_whose_name_is_near_the_length_limit(tmp_path: Path) -> None:
    # the temporary file's name held the whole name and more: 255 bytes is the usual limit, so a valid 250-byte
    # name could not be written ("file name too long")
    for name in ("b" * 245 + ".xlsx", "\u00e9" * 122 + ".xlsx", "\U0001f600" * 62 + ".x"):
        path = tmp_path / name
        write_atomic(path, lambda handle: handle.write(b"data"))
        assert path.read_bytes() == b"data"
    assert len(os.listdir(tmp_path)) == 3


def test_write_atomic_leaves_the_old_file_when_writing_fails(tmp_path: Path) -> None:
    path = tmp_path / "out.bin"
    path.write_bytes(b"kept")

    def failing(handle: object) -> None:
        handle.write(b"half")  # type: ignore[attr-defined]
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError, match="No space left"):
        write_atomic(path, failing)
    assert path.read_bytes() == b"kept" and os.listdir(tmp_path) == ["out.bin"]
    with pytest.raises(OSError, match="cannot create a file in"):
        write_atomic(tmp_path / "no" / "such" / "folder.bin", lambda handle: handle.write(b"x"))


def test_write_atomic_never_replaces_a_link_or_what_it_points_to(tmp_path: Path) -> None:
    target = tmp_path / "target.txt"
    target.write_text("precious")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    with pytest.raises(UnsafeFileError, match="is a symbolic link"):
        write_atomic(link, lambda handle: handle.write(b"overwritten"))
    assert target.read_text() == "precious" and link.is_symlink()
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(UnsafeFileError, match="is a named pipe"):
        write_atomic(tmp_path / "pipe", lambda handle: handle.write(b"x"))
    assert stat.S_ISFIFO(os.lstat(tmp_path / "pipe").st_mode)
    assert sorted(os.listdir(tmp_path)) == ["link.txt", "pipe", "target.txt"]


def test_write_atomic_does_not_replace_a_link_put_in_place_while_writing(tmp_path: Path) -> None:
    target = tmp_path / "target.txt"
    target.write_text("precious")
    path = tmp_path / "out.txt"

    def swap(handle: object) -> None:
        path.symlink_to(target)

    with pytest.raises(UnsafeFileError, match="is a symbolic link"):
        write_atomic(path, swap)
    assert target.read_text() == "precious" and path.is_symlink()
    assert sorted(os.listdir(tmp_path)) == ["out.txt", "target.txt"]


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() != 0, reason="creating a device node needs root")
def test_write_atomic_never_replaces_a_device_node(tmp_path: Path) -> None:
    node = tmp_path / "null.xlsx"
    os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # the null device's numbers, in a test folder
    with pytest.raises(UnsafeFileError, match="is a character device"):
        write_atomic(node, lambda handle: handle.write(b"x"))
    assert stat.S_ISCHR(os.lstat(node).st_mode)


def test_loads_json_reports_nesting_too_deep_as_a_decoding_error() -> None:
    assert loads_json('{"a": [1, {"b": 2}]}') == {"a": [1, {"b": 2}]}
    assert loads_json(b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH) is not None
    for text in ["[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1),  # read by json.loads, too deep to walk
                 "[" * 100_000 + "]" * 100_000,  # json.loads raises RecursionError
                 "[" * 100_000]:
        with pytest.raises(json.JSONDecodeError, match="nested more than 100 levels deep"):
            loads_json(text)
    with pytest.raises(json.JSONDecodeError):
        loads_json("{not json")


def test_loads_json_reports_an_integer_too_long_to_convert_as_a_decoding_error() -> None:
    """json.loads raised a plain ValueError for an integer of 5,000 digits (an internal error of the readers)."""
    assert loads_json('{"n": ' + "9" * 4000 + "}")["n"] > 0
    with pytest.raises(json.JSONDecodeError, match="an integer of more than 4,300 digits"):
        loads_json('{"n": ' + "9" * 5000 + "}")


def test_printable_escapes_what_would_break_a_line_or_drive_the_terminal() -> None:
    assert printable("plain text, ünïcode € and\u00a0spaces") == "plain text, ünïcode € and\u00a0spaces"
    assert printable("a\nb\r\tc\x1b[31m\u2028\u202e") == "a\\nb\\r\\tc\\x1b[31m\\u2028\\u202e"
    assert printable("two\nlines\x07", keep="\n") == "two\nlines\\x07"
