"""``python -m sheetrl`` and the ``sheetrl`` command.

Ctrl-C is handled from the first line: importing the command line (numpy, torch, typer, the engine) takes about a
second, and an interrupt in that second would otherwise end in Python's traceback instead of one line and exit
status 130. Once :func:`sheetrl.cli.main` runs, its own handling takes over.
"""

from __future__ import annotations

import signal
import sys
import threading

INTERRUPTED = 130  # the shell's status for a command ended by SIGINT


def _interrupted_while_starting(signum: int, frame: object) -> None:
    sys.stderr.write("interrupted\n")
    raise SystemExit(INTERRUPTED)


def main() -> int:
    """Run the command line with Ctrl-C handled while it is still being imported."""
    if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, _interrupted_while_starting)
    from sheetrl.cli import main as run_command_line

    return run_command_line()


if __name__ == "__main__":
    sys.exit(main())
