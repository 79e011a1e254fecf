"""The layout rule of every table view, written once: which columns a width can hold, how
text wraps, and when a table becomes a stacked list.

Each column has a priority and a least useful width. The essentials (priority 0: an id, a
title, the parties) are never dropped and never cut: text wraps at word boundaries within
its column. When the width cannot hold every column, the least valuable go first (the
highest priority number); when it cannot hold even the essentials side by side, each
record becomes a heading line (its id and title) with indented `key  value` lines under
it, as gh and Taskwarrior do on narrow terminals. No line is ever wider than the width.

Lines are lists of (text, style) segments, so that the same layout prints as plain text
or through Rich with colours. Cells are plain strings, or (text, style) pairs.
"""

from __future__ import annotations

import functools
import operator
import unicodedata
from collections.abc import Iterable, Iterator

from disputes.core.frozen import Frozen
from disputes.core.patterns import Pattern

GAP = 2  # spaces between columns
BESIDE_GAP = 4  # spaces between blocks laid side by side (`beside`)
COMFORT = 50  # cells the wrapping columns together should have before a low-value column is kept
LOW_VALUE = 3  # columns of this priority number or more give way to comfort, not only to need
STACK_INDENT = 4


# a line as it is drawn: (text, style) segments; the style is words ("bold red") or "link URL"
Line = list[tuple[str, str]]


class Column(Frozen):
    name: str
    priority: int = 0  # 0: essential, never dropped; higher numbers are dropped first
    least: int = 0  # the narrowest a wrapping column may be; 0: as wide as its widest cell
    wrap: bool = False  # free text (a title, parties) that wraps at word boundaries
    right: bool = False  # numbers, aligned on the right
    heading: bool = False  # in a stacked list, part of the record's heading line
    size: int = 0  # the width of every cell, when known (dates, counts): not measured
    comfort: int = 0  # a wrapping column's width before a low-value column may take room (titles first)


def cells(text: str) -> int:
    """How many terminal cells `text` takes: wide East Asian characters two, combining marks none.
    Only the non-ASCII characters are looked up (an em dash in 40,000 agenda lines cost a second
    when every character of them was)."""
    if text.isascii():
        return len(text)
    odd = _NON_ASCII.findall(text)
    return len(text) - len(odd) + sum(map(_char_cells, odd))


_NON_ASCII = Pattern(r"[^\x00-\x7f]")


@functools.cache
def _char_cells(char: str) -> int:
    if unicodedata.combining(char) or unicodedata.category(char) in ("Mn", "Me", "Cf"):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def _cut_to(text: str, width: int) -> tuple[str, str]:
    """The longest start of `text` that fits `width` cells, and the rest."""
    if text.isascii():
        return text[:width], text[width:]
    used = 0
    for index, char in enumerate(text):
        used += cells(char)
        if used > width:
            return text[:index], text[index:]
    return text, ""


def wrap(text: str, width: int, indent: int = 0) -> list[str]:
    """`text` in lines of at most `width` cells, broken at spaces (runs of spaces inside a
    line kept, so aligned columns stay aligned); lines after the first are indented by
    `indent`. A command quoted in backticks stays on one line where a line holds it (a hint
    to copy, `disputes deadline add DISPUTE --date DATE`, is not broken after its `--`). A
    word longer than a line is broken where it must be: it is never cut short."""
    width = max(width, 1)
    if cells(text) <= width:
        return [text]
    indent = min(indent, width // 2)
    lines: list[str] = []
    line, used = "", 0  # the line so far, and its cells
    tokens = _TOKEN.findall(text)
    tokens.reverse()  # taken from the end: a quoted command too long for any line is put back in words
    while tokens:
        token = tokens.pop()
        size = cells(token)
        if size > width - indent and len(words := _WORD.findall(token)) > 1:
            tokens += reversed(words)
            continue
        if used + size <= width:
            line, used = line + token, used + size
            continue
        if token.isspace():  # a break: the spaces go
            lines.append(line.rstrip())
            line, used = " " * indent, indent
            continue
        if line.strip():
            lines.append(line.rstrip())
            line, used = " " * indent, indent
        while used + cells(token) > width:  # a word longer than a whole line
            head, token = _cut_to(token, width - used)
            lines.append(line + head)
            line, used = " " * indent, indent
        line, used = line + token, used + cells(token)
    if line.strip():
        lines.append(line.rstrip())
    return lines


# a word, a run of spaces, or a command quoted in backticks with what touches it ("(`disputes list`).");
# a number and its percent sign are one word ("(32.5 %)" never wraps before its "%")
_TOKEN = Pattern(r"[^\s`]*`[^`\n]+`[^\s`]*|\S*\d %\S*|\S+|\s+")
_UNBROKEN = Pattern(r"\S*\d %\S*|\S+")  # the words a line is never broken inside
_WORD = Pattern(r"\S+|\s+")


def hanging(text: str, width: int | None, indent: int) -> list[str]:
    """A free-text line wrapped to `width` (None: not at all), its following lines indented by `indent`."""
    return [text] if width is None else wrap(text, width, indent)


def command_lines(pieces: list[str], width: int | None, indent: int) -> list[str]:
    """A command line to copy, made of `pieces` never split (a command and its arguments, then
    each option with its value), packed into lines of at most `width` cells (None: one line);
    each line but the last ends with a shell continuation ` \\`, and the next is indented by
    `indent` (none where a wide piece needs the room). A piece wider than the room has a
    line of its own, whole: the terminal folds it, and a copy of it still runs."""
    if width is None:
        return [" ".join(pieces)]
    lines: list[str] = []
    for piece in pieces:
        if lines and cells(lines[-1]) + 1 + cells(piece) + 2 <= width:
            lines[-1] += " " + piece
        else:
            fits = cells(piece) + indent + 2 <= width
            lines.append(" " * (indent if lines and fits else 0) + piece)
    return [line + " \\" for line in lines[:-1]] + lines[-1:]


_SHELL_WORD = Pattern(r"""(?:'[^']*'|"[^"]*"|[^\s'"])+""")  # a shell word, quotes and all
_SHELL_OPTION = Pattern(r"-{1,2}[A-Za-z]")
_REMARK = Pattern(r"(.*?) \(([^()'\"]*)\)")  # a command's closing remark in parentheses
HELP_ROOM = 76  # an example's lines in `--help`: 80 columns less Click's indent and ours
RECIPE_LINES = 6  # an example longer than this, packed, is written one option a line


def examples_kept_whole(help: str) -> str:
    """A command's help with each "Example: COMMAND (remark)" paragraph made a block that Click
    does not rewrap (`\\b`): Click broke an example anywhere, in the middle of an option or
    a quoted value. The command is packed into lines of HELP_ROOM cells that break only
    between options (`command_lines`), a closing remark in parentheses said above it as a
    shell comment, so that what is copied runs."""
    from inspect import cleandoc

    out = []
    for paragraph in cleandoc(help).split("\n\n"):
        flat = " ".join(paragraph.split())
        if not flat.startswith("Example: disputes "):
            out.append(paragraph)
            continue
        command, remark = flat[len("Example: ") :], ""
        ending = _REMARK.fullmatch(command)
        if ending:
            command, remark = ending.groups()
        pieces: list[str] = []
        for word in _SHELL_WORD.findall(command):
            if (pieces and not _SHELL_OPTION.match(word)) or (len(pieces) == 1 and not pieces[0].count(" ")):
                pieces[-1] += " " + word
            else:
                pieces.append(word)
        packed = command_lines(pieces, HELP_ROOM, 4)
        if len(packed) > RECIPE_LINES:  # a recipe (the WTO import's): one option a line, as the docs write it
            packed = [piece + " \\" for piece in pieces[:1]] + [f"    {piece} \\" for piece in pieces[1:]]
            packed[-1] = packed[-1][:-2]
        lines = (["# " + remark] if remark else []) + packed
        out.append("\b\nExample:\n" + "\n".join("  " + line for line in lines))
    return "\n\n".join(out)


def _text(cell) -> tuple[str, str]:
    return (cell, "") if isinstance(cell, str) else cell


def _widest(rows: list[tuple], i: int) -> int:
    """The cells of the widest value in column `i` (all-ASCII columns, the common case, by len)."""
    values = list(map(operator.itemgetter(i), rows))
    try:
        joined = "".join(values)
    except TypeError:  # styled cells, (text, style)
        values = [_text(cell)[0] for cell in values]
        joined = "".join(values)
    return max(map(len if joined.isascii() else cells, values), default=0)


def _longest_word(rows: list[tuple], i: int) -> int:
    """The cells of the longest word in column `i`: a wrapping column is never narrower (the
    WTO list's "Netherlands–Turkey" was broken after its "Turke")."""
    text = " ".join(_text(row[i])[0] for row in rows)
    words = _UNBROKEN.findall(text) if " %" in text else text.split()
    joined = "".join(words)
    return max(map(len if joined.isascii() else cells, words), default=0)


def fit(columns: list[Column], rows: list[tuple], width: int, header: bool = True) -> dict[int, int] | None:
    """The width of each column kept (by index), or None when the essentials do not fit side
    by side; the columns' names count only under a `header`."""
    names = [cells(column.name) if header else 0 for column in columns]
    natural = [
        max(names[i], column.size) if column.size else max(names[i], _widest(rows, i))
        for i, column in enumerate(columns)
    ]
    kept = list(range(len(columns)))
    words = {i: _longest_word(rows, i) for i, column in enumerate(columns) if column.wrap}
    while True:
        gaps = GAP * (len(kept) - 1)
        fixed = sum(natural[i] for i in kept if not columns[i].wrap)
        wrapping = [i for i in kept if columns[i].wrap]
        least = {i: min(natural[i], max(columns[i].least, names[i], words[i])) for i in wrapping}
        spare = width - gaps - fixed - sum(least.values())
        room = spare + sum(least.values())
        low_value = [i for i in kept if columns[i].priority >= LOW_VALUE]
        comfort = max(COMFORT, sum(max(columns[i].comfort, least[i]) for i in wrapping))
        if spare >= 0 and low_value and room < min(comfort, sum(natural[i] for i in wrapping)):
            # the text would be squeezed for columns few people read: those go first
            kept.remove(max(low_value, key=lambda i: (columns[i].priority, i)))
            continue
        if spare >= 0:
            widths = {i: natural[i] for i in kept if not columns[i].wrap}
            for i in wrapping:  # first a column's comfort (a title before the others)
                lifted = min(spare, max(0, min(natural[i], columns[i].comfort) - least[i]))
                least[i], spare = least[i] + lifted, spare - lifted
            wanted = {i: natural[i] - least[i] for i in wrapping}
            total = sum(wanted.values())
            for i in wrapping:  # what is left is shared by how much more each would take
                share = spare if total <= spare else spare * wanted[i] // total
                widths[i] = least[i] + min(wanted[i], share)
            return dict(sorted(widths.items()))
        droppable = [i for i in kept if columns[i].priority > 0]
        if not droppable:
            return None
        kept.remove(max(droppable, key=lambda i: (columns[i].priority, i)))


def table(
    columns: list[Column],
    rows: Iterable[tuple],
    width: int | None,
    measured: list[tuple] | None = None,
    *,
    header: bool = True,
) -> Iterator[Line]:
    """A table's lines at `width` (None: unbounded, one record a line, as for a pipe); without
    `header`, a grid of rows under no column names.

    Column widths come from `measured` (default: every row, which must then be a list): a
    long listing streams after measuring its first rows, its wrapping columns still wrap."""
    sample = measured if measured is not None else rows
    assert isinstance(sample, list)
    widths = fit(columns, sample, 10**9 if width is None else width, header)
    if widths is None:
        assert width is not None
        yield from stacked(columns, rows, width)
        return
    kept = list(widths)
    kept_widths, kept_columns = [widths[i] for i in kept], [columns[i] for i in kept]
    if header:
        yield _line([(columns[i].name, "bold") for i in kept], kept_widths, kept_columns)
    right = [column.right for column in kept_columns]
    # the common line, ASCII text without style that fits (or is piped): padded by one format
    formats = [("{:>%d}" if at_right else "{:<%d}") % size for at_right, size in zip(right, kept_widths, strict=True)]
    ascii_line = "  ".join(formats)
    for row in rows:
        parts = [row[i] for i in kept]
        try:
            ascii_only = "".join(parts).isascii()
        except TypeError:  # a part with a style
            ascii_only = None
        if ascii_only is not None:  # no style, and (piped) no wrapping
            if ascii_only and (width is None or all(map(operator.le, map(len, parts), kept_widths))):
                yield [(ascii_line.format(*parts).rstrip(), "")]
                continue
            sizes = [len(part) if part.isascii() else cells(part) for part in parts]
            if width is None or all(size <= limit for size, limit in zip(sizes, kept_widths, strict=True)):
                yield [(_plain_line(parts, sizes, kept_widths, right), "")]
                continue
        parts = [_text(part) for part in parts]
        wrapped = [
            wrap(value, widths[i]) if width is not None and cells(value) > widths[i] else [value]
            for i, (value, _) in zip(kept, parts, strict=True)
        ]
        for depth in range(max(len(lines) for lines in wrapped)):
            shown = [(lines[depth] if depth < len(lines) else "", style) for lines, (_, style) in zip(wrapped, parts)]  # noqa: B905
            yield _line(shown, kept_widths, kept_columns)


def _plain_line(parts: list[str], sizes: list[int], widths: list[int], right: list[bool]) -> str:
    cells_ = [
        " " * (width - size) + part if at_right else part + " " * (width - size)
        for part, size, width, at_right in zip(parts, sizes, widths, right, strict=True)
    ]
    return "  ".join(cells_).rstrip()


def _line(parts: list[tuple[str, str]], widths: list[int], columns: list[Column]) -> Line:
    segments: Line = []
    last = max((n for n, (value, _) in enumerate(parts) if value), default=-1)
    for n, ((value, style), width, column) in enumerate(zip(parts, widths, columns, strict=True)):
        if n > last:
            break
        pad = " " * max(width - cells(value), 0)
        if column.right:
            segments += [(pad, ""), (value, style)]
        else:
            segments.append((value, style))
            if n < last:
                segments.append((pad, ""))
        if n < last:
            segments.append((" " * GAP, ""))
    return segments


def stacked(columns: list[Column], rows: Iterable[tuple], width: int) -> Iterator[Line]:
    """Each record as a heading line (its heading columns) and indented `name  value` lines."""
    named = [(i, column) for i, column in enumerate(columns) if not column.heading]
    label = max((cells(column.name) for _, column in named), default=0)
    for number, row in enumerate(rows):
        if number:
            yield []
        parts = [_text(row[i])[0] for i, column in enumerate(columns) if column.heading and _text(row[i])[0]]
        indent = min(cells(parts[0]) + GAP, width // 3) if len(parts) > 1 else STACK_INDENT
        for line in hanging("  ".join(parts), width, indent):
            yield [(line, "bold")]
        for i, column in named:
            value, style = _text(row[i])
            value = value.strip()  # a value's own leading space took a cell from its first word
            if not value:
                continue
            lead = " " * STACK_INDENT + column.name.lower().ljust(label) + "  "
            if width - cells(lead) < 10:  # too narrow for values beside their names: each under its name
                yield [(lead.rstrip(), "dim")]
                lead = " " * min(STACK_INDENT + 2, width // 3)
            for depth, part in enumerate(wrap(value, width - cells(lead))):
                yield [(lead if depth == 0 else " " * cells(lead), "dim" if depth == 0 else ""), (part, style)]


def paragraph(text: str, width: int | None, style: str = "") -> list[Line]:
    """Text of one or more lines, each wrapped to `width` (None: as it is), as styled lines."""
    return [[(part, style)] for line in text.expandtabs().split("\n") for part in hanging(line, width, 0)]


def beside(blocks: list[list[Line]], width: int | None, gap: int = BESIDE_GAP) -> list[Line]:
    """Blocks of lines side by side, `gap` cells apart, when the width holds them; else one under another."""
    widths = list(map(width_of, blocks))
    if width is not None and sum(widths) + gap * (len(blocks) - 1) > width:
        gap_line: list[Line] = [[]]
        return [line for number, block in enumerate(blocks) for line in (gap_line if number else []) + block]
    lines: list[Line] = []
    for depth in range(max(map(len, blocks), default=0)):
        line: Line = []
        for block, size in zip(blocks, widths, strict=True):
            part: Line = block[depth] if depth < len(block) else []
            line += [*part, (" " * (size - cells(plain(part)) + gap), "")]
        lines.append(line)
    return lines


def width_of(lines: list[Line]) -> int:
    """The cells of the widest of some lines."""
    return max((cells(plain(line)) for line in lines), default=0)


def plain(line: Line) -> str:
    return "".join(value for value, _ in line).rstrip()


def rich_text(line: Line):
    """A line as Rich Text with its styles (user text is never read as markup)."""
    from rich.text import Text

    out = Text()
    for value, style in line:
        out.append(value, style=style or None)
    return out
