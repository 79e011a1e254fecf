"""Escalation curves in the terminal: one Unicode sparkline per dispute, a month a character.

Each line is scaled between its own lowest and highest month (0 always inside), so the
shape of a quiet dispute still shows; the worst month is printed beside it. A month
without events is a dot. Colour (red below 0, green above) only on a colour terminal.
"""

from __future__ import annotations

from disputes.core.escalation import kind_of
from disputes.render.output import console, text
from disputes.render.svg import month_label, number

BLOCKS = "▁▂▃▄▅▆▇█"
QUIET = "·"


def sparkline(values: list[float], counts: list[int]) -> list[tuple[str, str]]:
    """(character, style) per month: low blocks for the escalating months."""
    low, high = min([0.0, *values]), max([0.0, *values])
    span = (high - low) or 1.0
    marks = []
    for value, count in zip(values, counts, strict=True):
        if not count:
            marks.append((QUIET, "dim"))
            continue
        level = round((value - low) / span * (len(BLOCKS) - 1)) if high != low else len(BLOCKS) // 2 - 1
        marks.append((BLOCKS[level], "red" if value < 0 else "green" if value > 0 else ""))
    return marks


def spark_text(values: list[float], counts: list[int]):
    line = text()
    for mark, style in sparkline(values, counts):
        line.append(mark, style=style)
    return line


def worst(values: list[float], counts: list[int], months: list[str]) -> str:
    """The most escalating month (or quarter, or year), or the note that there was none."""
    found = [(v, m) for v, c, m in zip(values, counts, months, strict=True) if c and v < 0]
    if not found:
        return f"no escalating {kind_of(months[0]) if months else 'month'}"
    value, month = min(found)
    return f"worst {month_label(month)} ({number(value)})"


def terminal(series: list[tuple[str, str, list[float], list[int]]], months: list[str]) -> None:
    """(short id, title, values, counts) per dispute, with the months under the lines."""
    from rich.table import Table

    out = console()
    out.print(
        text(
            f"Escalation by {kind_of(months[0])}, {month_label(months[0])} to {month_label(months[-1])}", style="bold"
        ),
    )
    out.print(text(f"lower is more escalation; {QUIET} no events; each line on its own scale", style="dim"))
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(max_width=40)  # a long title wraps; it is never cut
    grid.add_column(no_wrap=True)
    grid.add_column(no_wrap=True)
    for short, title, values, counts in series:
        grid.add_row(short, text(title), spark_text(values, counts), text(worst(values, counts, months), style="dim"))
    first, last = months[0][:7], months[-1][:7]
    axis = first + last.rjust(max(len(months) - len(first), len(last) + 1)) if len(months) > 1 else first
    grid.add_row("", "", text(axis, style="dim"), "")
    out.print(grid)
