"""Import profiles as text: each one's name and the command line its options give."""

from __future__ import annotations

import shlex

from disputes.core import profile
from disputes.render.layout import cells, command_lines
from disputes.render.output import done, terminal_width, verbatim


def profiles(records: list[dict]) -> None:
    """Each profile: its name, then its options as the command line that gives them, wrapped
    between options (never inside one, nor between an option and its value) with ` \\`."""
    if not records:
        done("No import profiles yet: save one with `disputes import FILE ... --save-profile NAME`.")
        return
    width = terminal_width()
    lines: list[str] = []
    for record in records:
        words = profile.command_line(record["options"])
        pairs = [" ".join(shlex.quote(w) for w in words[i : i + 2]) for i in range(0, len(words), 2)]
        lines += [*([""] if lines else []), f"{record['name']}  (saved {record['updated'][:10]})"]
        room = None if width is None else max(width - 4, 20)
        packed = command_lines(pairs, room, 4)  # indented by 4, less where an option alone needs the room
        inset = [4 if width is None else max(0, min(4, width - cells(line))) for line in packed]
        lines += [" " * n + line for n, line in zip(inset, packed, strict=True)] if pairs else ["    (no options)"]
    verbatim("\n".join(lines))  # packed to the width already: a wider option is folded by the terminal, whole
