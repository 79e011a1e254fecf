"""Import profiles as text: each one's name and the command line its options give."""

from __future__ import annotations

import shlex

from disputes.core import profile
from disputes.render.layout import hanging
from disputes.render.output import done, terminal_width


def profiles(records: list[dict]) -> None:
    """Each profile: its name, then its options as the command line that gives them, wrapped."""
    if not records:
        done("No import profiles yet: save one with `disputes import FILE ... --save-profile NAME`.")
        return
    width = terminal_width()
    lines: list[str] = []
    for record in records:
        words = profile.command_line(record["options"])
        pairs = [" ".join(shlex.quote(w) for w in words[i : i + 2]) for i in range(0, len(words), 2)]
        lines += [*([""] if lines else []), f"{record['name']}  (saved {record['updated'][:10]})"]
        lines += hanging("    " + " ".join(pairs), width, 4) if pairs else ["    (no options)"]
    done("\n".join(lines))
