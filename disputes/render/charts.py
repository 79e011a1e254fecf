"""Escalation curves in the terminal: one Unicode sparkline per dispute, a month a character.

Escalation is drawn upward: the taller the block, the worse the month, on one scale shared by
every line of a chart (a tall mark on a calm dispute once meant its calmest month). A neutral
month is the midline `─`, never a block; a de-escalating one `▿`; a month without events a
dot. The data keeps its sign (negative is escalation); only the drawing turns. Colour (red
for escalation, green for de-escalation) only on a colour terminal.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from disputes.core.escalation import kind_of
from disputes.render.output import console, text
from disputes.render.svg import month_label, number

BLOCKS = "▁▂▃▄▅▆▇█"  # escalation: taller is worse
NEUTRAL = "─"
CALMER = "▿"
QUIET = "·"
KEY = "▲"
LEGEND_ITEMS = (
    f"{BLOCKS} escalation, taller is worse",
    f"{NEUTRAL} neutral",
    f"{CALMER} de-escalation",
    f"{QUIET} no events",
    f"{KEY} key event",
)
SEPARATOR = " | "  # not a glyph of the chart: `·` is its mark of a period without events
LEGEND = SEPARATOR.join(LEGEND_ITEMS)


def legend(width: int | None) -> list[str]:
    """The legend in lines of at most `width` columns (None: one line), wrapped between its
    items, never inside one, into as few lines as fit and those of even length (no item
    left alone on a line of its own)."""
    if width is None:
        return [LEGEND]
    fewest = len(_packed(width))
    even = math.ceil(len(LEGEND) / fewest)
    return next(lines for room in range(even, width + 1) if len(lines := _packed(room)) == fewest)


def _packed(width: int) -> list[str]:
    """The items a line after another, each line as full as `width` lets it be."""
    lines = [LEGEND_ITEMS[0]]
    for item in LEGEND_ITEMS[1:]:
        if len(lines[-1] + SEPARATOR + item) > width:
            lines.append(item)
        else:
            lines[-1] += SEPARATOR + item
    return lines


def worst_of(values: list[float], counts: list[int]) -> float:
    """The largest escalation (as a positive number) of a line's periods with events, or 0."""
    return max((-value for value, count in zip(values, counts, strict=True) if count and value < 0), default=0.0)


def sparkline(values: list[float], counts: list[int], scale: float = 0.0) -> list[tuple[str, str]]:
    """(character, style) per period: a block as tall as the escalation on `scale` (the
    largest escalation of the chart; default this line's), the midline for neutral."""
    scale = scale or worst_of(values, counts) or 1.0
    marks = []
    for value, count in zip(values, counts, strict=True):
        if not count:
            marks.append((QUIET, "dim"))
        elif value < 0:
            level = min(len(BLOCKS) - 1, max(0, math.ceil(-value / scale * len(BLOCKS)) - 1))
            marks.append((BLOCKS[level], "red"))
        elif value > 0:
            marks.append((CALMER, "green"))
        else:
            marks.append((NEUTRAL, ""))
    return marks


def spark_text(values: list[float], counts: list[int], scale: float = 0.0):
    line = text()
    for mark, style in sparkline(values, counts, scale):
        line.append(mark, style=style)
    return line


def worst(values: list[float], counts: list[int], months: list[str]) -> str:
    """The most escalating month (or quarter, or year), or the note that there was none."""
    found = [(v, m) for v, c, m in zip(values, counts, months, strict=True) if c and v < 0]
    if not found:
        return f"no escalating {kind_of(months[0]) if months else 'month'}"
    value, month = min(found)
    return f"worst {month_label(month)} ({number(value)})"


def key_marks(keys: Sequence[dict[str, Any]], months: list[str]) -> str:
    """The row under a sparkline: a mark under each period holding a key event, blank elsewhere."""
    marked = {key["period"] for key in keys}
    return "".join(KEY if month in marked else " " for month in months).rstrip()


def keys_said(keys: Sequence[dict[str, Any]]) -> str:
    """The key events' dates and scores, worst first: "2016-06-07 (−9.2), 2016-05-01 (−1)"."""
    worst_first = sorted(keys, key=lambda key: key["score"])
    return ", ".join(f"{key['date']} ({number(key['score'])})" for key in worst_first)


def terminal(
    series: list[tuple[str, str, list[float], list[int]]],
    months: list[str],
    keys: Sequence[Sequence[dict[str, Any]]] = (),
    left_out: str = "",
) -> None:
    """(short id, title, values, counts) per dispute, with the months under the lines; `keys`,
    per dispute in the same order, the key events marked under its line with their dates;
    `left_out` said under the chart."""
    from rich.table import Table

    out = console()
    out.print(
        text(
            f"Escalation by {kind_of(months[0])}, {month_label(months[0])} to {month_label(months[-1])}, one scale",
            style="bold",
        ),
    )
    for line in legend(out.width if out.is_terminal else None):
        out.print(text(line, style="dim"), overflow="ignore", crop=False)
    scale = max((worst_of(values, counts) for _, _, values, counts in series), default=0.0)
    # the title on a line of its own (wrapped at words, never cut), the curve under it
    grid = Table.grid(padding=(0, 2))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for place, (short, title, values, counts) in enumerate(series):
        grid.add_row(short, text(title))
        curve = spark_text(values, counts, scale) if any(counts) else text("no events", style="dim")
        curve.append("  " + worst(values, counts, months) if any(counts) else "", style="dim")
        grid.add_row("", curve)
        marked = keys[place] if place < len(keys) else ()
        if marked:  # under the line, a mark at each key event's period, then their dates
            row = text(key_marks(marked, months), style="red")
            row.append(f"  key event{'s' * (len(marked) > 1)}: " + keys_said(marked), style="dim")
            grid.add_row("", row)
    first, last = months[0][:7], months[-1][:7]
    axis = first + last.rjust(max(len(months) - len(first), len(last) + 1)) if len(months) > 1 else first
    grid.add_row("", text(axis, style="dim"))
    out.print(grid)
    if left_out:
        out.print(text(left_out, style="dim"))


def left_out_said(short_ids: list[str], drawn: int) -> str:
    """What a chart drawn from the filters left out (the unresolved disputes with fewer events),
    and how to draw them: by name when they are few, else by narrowing the choice."""
    count = len(short_ids)
    said = f"{count} more unresolved dispute{'s' * (count != 1)} with fewer events not drawn (a chart draws {drawn})"
    if count <= drawn:
        return f"{said}: draw them by name, disputes chart {' '.join(short_ids)}"
    return f"{said}: narrow the choice with a filter (--tag, --party, --status...) or name the disputes to draw"
