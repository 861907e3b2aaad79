"""Test-wide settings: internal errors inside formula functions fail the test instead of becoming #VALUE!.

Fixture ``named_pipe``: makes named pipes for tests of code that must refuse them (reading one waits for a writer
forever)."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

import sheetrl.sheet.workbook as workbook_module

workbook_module.STRICT = True

PIPE_PATIENCE = 10.0  # seconds a reader of a test's named pipe waits before it is let go with an empty read


@pytest.fixture
def named_pipe() -> Iterator[Callable[[Path], Path]]:
    """``named_pipe(path)`` makes a named pipe at ``path`` and returns it. Code that opens it for reading (and would
    wait for a writer forever) is let go after :data:`PIPE_PATIENCE` seconds with an empty read, so a test of code
    that should refuse a pipe fails instead of hanging."""
    done = threading.Event()
    threads: list[threading.Thread] = []

    def let_go(path: Path) -> None:
        if done.wait(PIPE_PATIENCE):
            return
        while not done.is_set():
            try:
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))  # fails while nobody is reading
            except OSError:
                done.wait(0.1)

    def make(path: Path) -> Path:
        os.mkfifo(path)
        thread = threading.Thread(target=let_go, args=(path,), daemon=True)
        thread.start()
        threads.append(thread)
        return path

    yield make
    done.set()
    for thread in threads:
        thread.join()
