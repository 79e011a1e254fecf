"""Writing to the terminal: plain lines, JSON, laid-out lines (render/layout.py) with their
styles as terminal escapes, a Rich console (charts and the digest), a progress bar.

Rich is imported on first use: the everyday views (list, show, report) never load it.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import sys
from typing import TYPE_CHECKING, Any

import orjson

from disputes.core.patterns import Pattern

if TYPE_CHECKING:
    from disputes.render.layout import Line

# Characters that would act on a terminal instead of showing: C0 and C1 controls (ANSI and
# OSC escapes start with one), the bidirectional overrides that reorder what is shown, the
# line and paragraph separators (U+2028, U+2029) that break a line where none should be;
# and what no XML or HTML document may hold: lone surrogates and the noncharacters.
_NONCHARACTERS = "\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff" + "".join(
    chr(plane << 16 | 0xFFFE) + chr(plane << 16 | 0xFFFF) for plane in range(1, 17)
)
_ACTING = "\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069" + _NONCHARACTERS
# what each use escapes: multi-line text keeps its newlines and tabs; JSON, whose encoder
# escapes C0 itself, only the rest. Compiled when text first needs them: the class of
# noncharacters cost every command 4 ms of start-up to compile, and most never use it.
_UNSAFE = Pattern("[\x00-\x08\x0b-\x1f" + _ACTING + "]")
_UNSAFE_LINE = Pattern("[\x00-\x1f" + _ACTING + "]")
_UNSAFE_IN_JSON = Pattern("[" + _ACTING + "]")


LONGEST_MESSAGE = 1000
PIPED_WIDTH = 4000  # what Rich lays piped output out in: wide enough that nothing wraps


def paragraph(text: str, width: int | None, style: str = "", *, multiline: bool = False) -> list[Line]:
    """User text as styled lines wrapped to `width` (render/layout.py), shown as `printable` shows it."""
    from disputes.render import layout

    return layout.paragraph(printable(text, multiline=multiline), width, style)


def printable(value: str, *, multiline: bool = False) -> str:
    """User text made safe to show on a terminal: control and bidi characters written as
    escapes (`\\x1b`, `\\u202e`); newlines and tabs kept only in multi-line text. The
    data itself is never changed: this is for showing it."""
    if value.isprintable():  # no control or format character at all: the common case, at C speed
        return value
    if multiline and value.replace("\n", "").replace("\t", "").isprintable():  # lines of plain text
        return value
    return (_UNSAFE if multiline else _UNSAFE_LINE).sub(_escaped, value)


def _escaped(match) -> str:
    return match.group().encode("unicode_escape").decode("ascii")


def cut(message: str, limit: int = LONGEST_MESSAGE) -> str:
    """A message no longer than `limit`: the middle of an over-long value gives way, so that
    the start (what happened) and the end (what to do) stay."""
    if len(message) <= limit:
        return message
    keep = (limit - 3) // 2
    return message[:keep] + " … " + message[-keep:]


def text(value: str = "", style: str = "", *, multiline: bool = False):
    """A Rich Text of user text, shown as it is (never read as markup) and made printable."""
    from rich.text import Text

    return Text(printable(value, multiline=multiline), style=style)


def console():
    from rich.console import Console

    # user text reaches Rich as Text, never as markup: no `:flag_by:` in it becomes an emoji
    # (nor is Rich's table of emoji codes loaded)
    if sys.stdout.isatty():
        return Console(highlight=False, emoji=False)
    # Piped or redirected: one record a line -- a line as long as its text (a URL, a summary
    # paragraph) is never broken for a script -- and no padding left at line ends.
    return Console(file=_TrimmedLines(), width=PIPED_WIDTH, highlight=False, emoji=False)


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
    """Print records as JSON in the one style of every command: a listing is an array with
    one record a line (as `json_lines` streams it), one record or a document is indented."""
    if isinstance(value, list):
        json_lines([orjson.dumps(record, option=orjson.OPT_NON_STR_KEYS) for record in value])
        return
    write_bytes(for_terminal(orjson.dumps(value, option=orjson.OPT_INDENT_2 | orjson.OPT_NON_STR_KEYS) + b"\n"))


def for_terminal(encoded: bytes) -> bytes:
    """JSON bound for a terminal with every character that would act on it written as a
    JSON escape (the same JSON, shown safely); JSON for a pipe or a file is left as it is,
    unless stdout cannot hold UTF-8 (PYTHONIOENCODING=ascii, LC_ALL=POSIX): then every
    character beyond ASCII is written as its JSON escape."""
    if not encoded.isascii() and not _holds_utf8():
        return _BEYOND_ASCII.sub(_json_escape, encoded.decode("utf-8", "surrogatepass")).encode()
    if not sys.stdout.isatty():
        return encoded
    text = encoded.decode("utf-8", "surrogatepass")
    if text.isascii() or not _UNSAFE_IN_JSON.search(text):
        return encoded
    return _UNSAFE_IN_JSON.sub(_json_escape, text).encode()


_BEYOND_ASCII = Pattern("[^\x00-\x7f]")


def _holds_utf8() -> bool:
    encoding = (getattr(sys.stdout, "encoding", None) or "utf-8").lower().replace("-", "").replace("_", "")
    return encoding in ("utf8", "utf8sig", "cp65001")


def _json_escape(match) -> str:
    point = ord(match.group())
    if point < 0x10000:
        return f"\\u{point:04x}"
    point -= 0x10000
    return f"\\u{0xD800 + (point >> 10):04x}\\u{0xDC00 + (point & 0x3FF):04x}"


def json_lines(encoded: list[bytes]) -> None:
    """A JSON list written record by record (each already encoded): one record a line, so a
    listing of 100,000 never becomes one string in memory."""
    out = getattr(sys.stdout, "buffer", None)
    write = out.write if out is not None else (lambda chunk: sys.stdout.write(chunk.decode()))
    sys.stdout.flush()
    write(b"[\n" if encoded else b"[")
    for number, record in enumerate(encoded):
        write(for_terminal(record) + (b",\n" if number < len(encoded) - 1 else b"\n"))
    write(b"]\n")
    if out is not None:
        out.flush()


def write_chunks(pieces) -> None:
    """Bytes to stdout piece by piece, as they are produced."""
    sys.stdout.flush()
    out = getattr(sys.stdout, "buffer", None)
    for piece in pieces:
        if out is None:
            _write(piece.decode())
        else:
            out.write(piece)
    if out is not None:
        out.flush()


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


def warn(message: str) -> None:
    """Something the user should know although the command did what was asked: on stderr."""
    sys.stderr.write(f"Warning: {cut(printable(message))}\n")
    sys.stderr.flush()


def done(message: str) -> None:
    """What a command did or found, in lines of user text made printable; on a terminal each
    line is wrapped at spaces to its width (render/layout.py), where the terminal would cut
    a word, or a command to copy, anywhere. An indented line (an item under a heading)
    goes on two spaces further in."""
    text = printable(message, multiline=True)
    width = terminal_width()
    if width:
        from disputes.render.layout import wrap

        lines = text.split("\n")
        text = "\n".join(part for line in lines for part in wrap(line, width, _hanging(line)))
    _write(text + "\n")


def _hanging(line: str) -> int:
    inset = len(line) - len(line.lstrip(" "))
    return inset + 2 if inset else 0


def verbatim(text: str) -> None:
    """Text to copy or keep (Markdown, CSV, a calendar) as it is, never wrapped: made printable."""
    _write(printable(text, multiline=True) + "\n")


def terminal_width() -> int | None:
    """The terminal's width in columns, or None when stdout is not a terminal (no wrapping)."""
    if not sys.stdout.isatty():
        return None
    return shutil.get_terminal_size().columns


def table(columns, rows, measured=None) -> None:
    """Rows under the layout rule (render/layout.py): fitted to the terminal's width, or one
    record a line when piped; written a screenful at a time as they come."""
    from disputes.render import layout

    write_lines(layout.table(columns, rows, terminal_width(), measured))


def write_lines(lines) -> None:
    """Lines of (text, style) segments (render/layout.py) to stdout, a thousand at a time:
    with their styles where stdout is a terminal that shows them, else as plain text."""
    from disputes.render import layout

    styled = _styling()
    draw = layout.plain if styled is None else functools.partial(_styled, colours=styled)
    chunk = []
    for line in lines:
        chunk.append(draw(line))
        if len(chunk) >= 1000:
            _write("\n".join(chunk) + "\n")
            chunk = []
    if chunk:
        _write("\n".join(chunk) + "\n")


def _styling() -> bool | None:
    """How stdout shows styles, as Rich decides it: None, not at all (a pipe, a file, TERM=dumb,
    a Windows console that does not say it reads escapes); False, bold and dim without
    colours (NO_COLOR); True, in colour. FORCE_COLOR styles a pipe."""
    environ = os.environ
    if not (sys.stdout.isatty() or environ.get("FORCE_COLOR")) or environ.get("TERM", "") in ("dumb", "unknown"):
        return None
    if os.name == "nt" and not (environ.get("WT_SESSION") or environ.get("TERM") or environ.get("FORCE_COLOR")):
        return None  # the old console host shows escapes as text; Windows Terminal sets WT_SESSION
    return not environ.get("NO_COLOR")


# the styles render/ uses, as terminal escapes (SGR); a style is words ("bold red"), or
# "link URL" (an OSC 8 hyperlink, where the terminal shows one)
_SGR = {"bold": "1", "dim": "2", "italic": "3", "underline": "4"}
_COLOURS = {"red": "31", "green": "32", "yellow": "33", "blue": "34", "magenta": "35", "cyan": "36"}


def _styled(line: list[tuple[str, str]], *, colours: bool) -> str:
    """A line of (text, style) segments (layout.Line) as terminal escapes."""
    out = []
    for value, style in line:
        if not style or not value:
            out.append(value)
        elif style.startswith("link "):
            out.append(f"\x1b]8;;{style[5:]}\x1b\\{value}\x1b]8;;\x1b\\")
        else:
            codes = [_SGR.get(word) or (_COLOURS.get(word) if colours else None) for word in style.split()]
            sgr = ";".join(code for code in codes if code)
            out.append(f"\x1b[{sgr}m{value}\x1b[0m" if sgr else value)
    return "".join(out).rstrip()


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
        self._bar: Any = None  # a rich.progress.Progress, made only when the work turns out slow
        self._task: Any = None

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
