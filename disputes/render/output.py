"""Writing to the terminal: plain lines, JSON, aligned plain columns, a Rich console, a progress bar.

Rich is imported on first use, so that commands which print a line or two start fast.
"""

from __future__ import annotations

import re
import shutil
import sys

import orjson


def console():
    from rich.console import Console

    if sys.stdout.isatty():
        return Console(highlight=False)
    # Piped or redirected: a fixed, roomy width, and no padding left at line ends.
    width = shutil.get_terminal_size((120, 24)).columns
    return Console(file=_TrimmedLines(), width=width, highlight=False)


class _TrimmedLines:
    """A text stream that drops the spaces Rich pads table lines with."""

    def write(self, text: str) -> int:
        return sys.stdout.write(re.sub(r"[ \t]+\n", "\n", text))

    def flush(self) -> None:
        sys.stdout.flush()

    def isatty(self) -> bool:
        return False


def _write(text: str) -> None:
    sys.stdout.write(text)
    sys.stdout.flush()


def as_json(value) -> None:
    """Print records (a dict or a list of them) as indented JSON."""
    write_bytes(orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS) + b"\n")


def write_bytes(payload: bytes) -> None:
    """Bytes to stdout, straight to its buffer where it has one."""
    sys.stdout.flush()
    out = getattr(sys.stdout, "buffer", None)
    if out is None:
        _write(payload.decode())
    else:
        out.write(payload)
        out.flush()


def result(record, json_wanted: bool, message: str) -> None:
    """What a command did: its record(s) as JSON, or a one-line message for people."""
    if json_wanted:
        as_json(record)
    else:
        done(message)


def done(message: str) -> None:
    """A short confirmation of what a command did."""
    _write(message + "\n")


def _terminal_width() -> int | None:
    if not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns


def columns(header: tuple[str, ...], rows: list[tuple[str, ...]], widest: dict[str, int] | None = None) -> None:
    """Rows as aligned plain columns; the last column is free, lines are cut to a terminal's width."""
    widths = [max(len(header[i]), *(len(row[i]) for row in rows)) for i in range(len(header))]
    for name, limit in (widest or {}).items():
        widths[header.index(name)] = min(widths[header.index(name)], limit)
    width = _terminal_width()
    lines = []
    for row in (header, *rows):
        cells = [_fit(cell, widths[i]).ljust(widths[i]) for i, cell in enumerate(row[:-1])] + [row[-1]]
        line = "  ".join(cells)
        if width and len(line) > width:
            line = line[: width - 1] + "…"
        lines.append(line.rstrip())
    _write("\n".join(lines) + "\n")


def _fit(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


class Progress:
    """A progress bar on stderr for work that turns out to take more than a second.

    Nothing is drawn when stderr is not a terminal, or when the work is quick.
    """

    DELAY = 1.0

    def __init__(self, label: str):
        import time

        self._label = label
        self._clock = time.monotonic
        self._started = self._clock()
        self._bar = None
        self._task = None

    def __call__(self, done: int, total: int) -> None:
        if self._bar is None:
            if not sys.stderr.isatty() or self._clock() - self._started < self.DELAY:
                return
            from rich.console import Console
            from rich.progress import Progress as Bar

            self._bar = Bar(console=Console(stderr=True), transient=True)
            self._bar.start()
            self._task = self._bar.add_task(self._label, total=total)
        self._bar.update(self._task, completed=done, total=total)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.stop()
