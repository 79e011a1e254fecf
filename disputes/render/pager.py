"""Long output on a terminal goes through a pager, as git and gh do.

The pager is `$DISPUTES_PAGER`, else `$PAGER`, else `less -FRX`. It is used only when
stdout is a terminal, and only once the output turns out longer than the screen: the
first screenful is held back, and when more comes the pager starts and takes it all, so
short output prints as usual and long output appears as soon as a screen is ready.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from contextlib import contextmanager, suppress
from typing import Any

DEFAULT = "less -FRX"


def pager_command() -> list[str]:
    """The pager to run, as an argument list (empty: no pager)."""
    import shlex  # here: only output to a terminal is paged

    text = os.environ.get("DISPUTES_PAGER") or os.environ.get("PAGER") or DEFAULT
    try:
        words = shlex.split(text, posix=os.name != "nt")
    except ValueError:
        return []
    return [] if words in ([], ["cat"]) else words


@contextmanager
def paged(enabled: bool = True):
    """Send what is printed inside the block through the pager, when that is wanted."""
    command = pager_command() if enabled and sys.stdout.isatty() else []
    if not command:
        yield
        return
    real = sys.stdout
    stream = _PagedStream(real, command, shutil.get_terminal_size().lines)
    sys.stdout = stream
    try:
        yield
    finally:
        sys.stdout = real
        stream.close()


class _PagedStream:
    """A text stream that holds back one screenful, then hands everything to the pager."""

    def __init__(self, terminal, command: list[str], rows: int):
        self._terminal = terminal
        self._command = command
        self._rows = max(rows - 1, 1)
        self._held: list[str] = []
        self._lines = 0
        self._pager: Any = None  # the pager's process, or _Direct when there is none (both have stdin)
        self._gone = False  # the reader quit the pager: the rest is not wanted
        self.encoding = getattr(terminal, "encoding", "utf-8")

    def write(self, text: str) -> int:
        if self._gone:
            return len(text)
        if self._pager is None:
            self._held.append(text)
            self._lines += text.count("\n")
            if self._lines > self._rows:
                self._start()
            return len(text)
        self._send(text)
        return len(text)

    def _start(self) -> None:
        env = {**os.environ}
        env.setdefault("LESS", "FRX")
        env.setdefault("LV", "-c")
        try:
            self._pager = subprocess.Popen(
                self._command, stdin=subprocess.PIPE, env=env, encoding=self.encoding, errors="replace"
            )
        except OSError:  # no such pager here (e.g. no `less` on Windows): print as usual
            self._command = []
            self._flush_held_to(self._terminal)
            self._pager = _Direct(self._terminal)
            return
        self._flush_held_to(self._pager.stdin)

    def _flush_held_to(self, target) -> None:
        held, self._held = "".join(self._held), []
        try:
            target.write(held)
        except OSError:
            self._gone = True

    def _send(self, text: str) -> None:
        try:
            self._pager.stdin.write(text)
        except OSError:
            self._gone = True

    def flush(self) -> None:
        if self._pager is not None and not self._gone:
            try:
                self._pager.stdin.flush()
            except OSError:
                self._gone = True

    def isatty(self) -> bool:
        return True  # what is written is meant for the screen (colours included)

    def fileno(self) -> int:
        return self._terminal.fileno()

    def close(self) -> None:
        if self._pager is None:
            self._terminal.write("".join(self._held))
            self._terminal.flush()
            return
        if isinstance(self._pager, _Direct):
            self._terminal.flush()
            return
        with suppress(OSError):
            self._pager.stdin.close()
        while True:
            try:
                self._pager.wait()
                return
            except KeyboardInterrupt:  # Ctrl-C belongs to the pager while it runs, as in git
                continue


class _Direct:
    """Stands in for a pager that could not start: writes go to the terminal."""

    def __init__(self, terminal):
        self.stdin = terminal
