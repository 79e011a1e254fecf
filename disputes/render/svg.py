"""Charts as SVG text: escalation curves and small bar charts, written by hand.

A short writer of our own rather than a charting library: the charts are two shapes
(lines over months, horizontal bars), they must be byte-for-byte the same on every
machine, carry no script and make no request, and inline into the HTML briefing.
Drawing colours follow `currentColor` so the page's light and dark styles apply; a
standalone file gets a white background. Every piece of text is escaped.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from typing import Any

from disputes.core.dates import MONTH_NAMES
from disputes.core.escalation import kind_of
from disputes.render.output import printable

# Okabe and Ito's palette: told apart by readers with any colour vision.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
FONT = "font-family:system-ui,sans-serif"


def safe(value: str, *, multiline: bool = False) -> str:
    """User text for SVG or HTML: control characters shown as escapes, markup escaped."""
    from html import escape  # here: `show` draws its sparkline without SVG

    return escape(printable(value, multiline=multiline), quote=True)


def number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".").replace("-", "−") or "0"


def _ticks(low: float, high: float, most: int = 5) -> list[float]:
    """Round steps (1, 2 or 5 × 10ⁿ) covering low..high, at most about `most` of them."""
    span = high - low
    step = 10 ** math.floor(math.log10(span / most))
    for factor in (1, 2, 5, 10):
        if span / (step * factor) <= most:
            step *= factor
            break
    first = math.floor(low / step) * step
    return [round(first + i * step, 10) for i in range(math.ceil((high - first) / step) + 1)]


def _open(width: int, height: int, label: str, standalone: bool) -> list[str]:
    namespace = ' xmlns="http://www.w3.org/2000/svg"' if standalone else ""
    parts = [
        f'<svg{namespace} viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'role="img" aria-label="{safe(label)}" style="{FONT}">',
        f"<title>{safe(label)}</title>",
    ]
    if standalone:
        parts.append(f'<rect width="{width}" height="{height}" fill="#fff"/>')
        parts.append('<g fill="#222" stroke="#222">')
    else:
        parts.append('<g fill="currentColor" stroke="currentColor">')
    return parts


def month_label(month: str, *, long: bool = False) -> str:
    """ "Jun 2016" (or "June 2016") for a YYYY-MM month; "Q2 2016" for a quarter, "2016" a year."""
    if len(month) == 4:
        return month
    if month[5] == "Q":
        return f"{month[5:]} {month[:4]}"
    name = MONTH_NAMES[int(month[5:7]) - 1]
    return f"{name if long else name[:3]} {month[:4]}"


MOST_LINES = 4  # beyond this many curves, one small chart per dispute (small multiples)


def curves(
    series: list[tuple[str, list[float], list[int]]],
    months: list[str],
    *,
    title: str = "",
    width: int = 760,
    height: int = 320,
    standalone: bool = True,
    marks: tuple[tuple[str, str], ...] = (),
    keys: Sequence[Sequence[dict[str, Any]]] = (),
    footer: str = "",
    legend: bool = True,
) -> str:
    """Lines per series (label, values, event counts per period of `months`: months,
    quarters or years), with a y axis of round steps, zero on the midline, period labels and
    a legend. Escalation (a negative score: the data keeps its sign) is drawn upward, on one
    scale for every line and every small chart. A period without events is a gap, not a
    zero, and a series with no events says so in words; `marks` (period, label), such as
    status changes, are dashed lines across the plot. `keys`, per series in its order, are its
    key events (escalation.key_events): a triangle on the line at each one's period, its
    date beside it and its title and description in the triangle's `<title>`. Beyond
    MOST_LINES series, one small chart per series, stacked, on a shared time and value axis.
    `footer` (what the chart left out) is said under it, wrapped at words; without `legend`,
    no line is named under the plot (a brief's one line is named by its heading)."""
    top = 34 if title else 12
    # wrapped at words, what was left out apart from how to draw it (a command kept whole when it fits)
    what, _, how = footer.partition(": ")
    room = int((width - 64) / CHARACTER_PX)
    said = textwrap.wrap(what + (":" if how else ""), room) + textwrap.wrap(how, room)
    under = 8 + 14 * len(said) if said else 0
    label = title or f"Escalation: sum of event scores by {kind_of(months[0])}"
    scale = _scale(series)
    if len(series) > MOST_LINES:
        panel = 130
        top += 16  # the axis said once, for every small chart
        total = top + panel * len(series) + 10 + under
        parts = _open(width, total, label, standalone)
        if title:
            parts.append(f'<text x="56" y="20" font-size="15" font-weight="bold" stroke="none">{safe(title)}</text>')
        parts.append(f'<text x="56" y="{top - 4}" font-size="11" stroke="none">{axis_said(months)}</text>')
        for place, one in enumerate(series):
            mine = [keys[place]] if place < len(keys) else []
            parts += _panel(
                [one], months, top + panel * place, width, panel, marks, scale, mine, colour_from=place, named=True
            )
    else:
        total = height + under
        parts = _open(width, total, label, standalone)
        if title:
            parts.append(f'<text x="56" y="20" font-size="15" font-weight="bold" stroke="none">{safe(title)}</text>')
        parts += _panel(series, months, top, width, height - top, marks, scale, keys, legend=legend)
    if said:
        lines = "".join(f'<tspan x="56" dy="{14 if n else 0}">{safe(line)} </tspan>' for n, line in enumerate(said))
        parts.append(f'<text class="left-out" y="{total - under + 14}" font-size="11" stroke="none">{lines}</text>')
    parts.append("</g></svg>")
    return "\n".join(parts) + "\n"


def axis_said(months: list[str]) -> str:
    kind = kind_of(months[0])
    return f"score per {kind}: escalation (below 0) drawn upward, 0 the midline; no mark: no events; ▲ key event"


def _scale(series) -> float:
    """The largest score, either way, of every series' periods with events: one scale for all."""
    values = [abs(v) for _, line, counts in series for v, c in zip(line, counts, strict=True) if c]
    return max(values, default=0.0) or 1.0


HEADROOM = 9  # pixels between the largest score's point and the plot's top line
Box = tuple[float, float, float, float]  # a label's room: left, top, right, bottom
CHARACTER_PX = 6.6  # the width of an 11-px character of a sans-serif, generously


def _panel(
    series,
    months,
    top: int,
    width: int,
    height: int,
    marks,
    scale: float,
    keys: Sequence[Sequence[dict[str, Any]]] = (),
    *,
    legend=False,
    colour_from=0,
    named=False,
) -> list[str]:
    """One plot: axes, ticks, labels, marks and the lines of `series`, within `top`..`top + height`;
    zero is the midline, escalation (below 0) up to `scale` at the top."""
    left, right = 56, 36
    head = 24  # the axis label (and a small chart's name) above the plot, clear of the top tick's number
    bottom = 24 + (18 * len(series) if legend else 0)
    plot_top, plot_w = top + head, width - left - right
    plot_h = max(height - head - bottom, 40)
    ticks = _ticks(-scale, scale, most=3 if named or plot_h < 80 else 5)  # a short plot: fewer numbers
    # the scale with a margin: the worst point's key-event triangle (5 px above it) under the plot's top, not on it
    high = max(-ticks[0], ticks[-1], scale * (plot_h / 2) / max(plot_h / 2 - HEADROOM, plot_h / 4))
    low = -high

    def x(index: int) -> float:
        return left + (plot_w * index / (len(months) - 1) if len(months) > 1 else plot_w / 2)

    def y(value: float) -> float:  # escalation (negative) drawn upward
        return plot_top + plot_h * (value - low) / (high - low)

    if named:  # a small chart's name, shortened at a word to fit (the axis is said once above)
        name = series[0][0]
        shown = safe(shortened(name, int((width - left) / (CHARACTER_PX * 1.1))))  # bold
        said = f'<tspan font-weight="bold"><title>{safe(name)}</title>{shown}</tspan>'
    else:
        said = axis_said(months)
    # what a key event's label must not cover: the panel's name (or axis line) and the marks' labels
    taken: list[Box] = [(left, top, left + CHARACTER_PX * 1.1 * len(_shown_text(said)), top + 14)]
    parts = [
        '<g font-size="11" stroke="none">',
        f'<text x="{left}" y="{top + 12}" class="panel-title">{said}</text>',
    ]
    if not any(count for _, _, counts in series for count in counts):
        parts.append(
            f'<text x="{left + plot_w / 2:.1f}" y="{plot_top + plot_h / 2 - 6:.1f}" text-anchor="middle" '
            'font-size="13">no events</text>'
        )
    for tick in ticks:
        parts.append(
            f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{number(tick)}</text>'
            f'<line x1="{left}" x2="{left + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" '
            f'stroke="currentColor" stroke-opacity="{0.6 if tick == 0 else 0.15}"/>'
        )
    taken.append((left, y(0) - 1, left + plot_w, y(0) + 1))  # a key event's date never struck through by the midline
    for index in _labelled(months, plot_w):
        parts.append(
            f'<text class="period" x="{x(index):.1f}" y="{plot_top + plot_h + 16}" text-anchor="middle">'
            f"{month_label(months[index])}</text>"
        )
    where = {month: index for index, month in enumerate(months)}
    for period, text in marks:
        if period in where:
            at = x(where[period])
            late = at > left + plot_w * 0.8  # a label near the right edge reads leftwards, never cut
            anchor = "end" if late else "start"
            said_width = KEY_PX * len(_short(text, 24))
            start = at - 3 - said_width if late else at + 3
            taken.append((start, plot_top, start + said_width, plot_top + 12))  # its label, and its line
            taken.append((at - 1, plot_top, at + 1, plot_top + plot_h))
            parts.append(
                f'<line x1="{at:.1f}" x2="{at:.1f}" y1="{plot_top}" y2="{plot_top + plot_h}" stroke="currentColor" '
                f'stroke-opacity="0.5" stroke-dasharray="3 3"><title>{safe(text)}</title></line>'
                f'<text x="{at + (-3 if late else 3):.1f}" y="{plot_top + 10}" font-size="10" fill-opacity="0.7"'
                f' text-anchor="{anchor}">{safe(_short(text, 24))}</text>'
            )
    parts.append("</g>")
    parts.append(
        f'<line x1="{left}" x2="{left}" y1="{plot_top}" y2="{plot_top + plot_h}" stroke-width="1"/>'
        f'<line x1="{left}" x2="{left + plot_w}" y1="{plot_top + plot_h}" y2="{plot_top + plot_h}" stroke-width="1"/>'
    )
    for place, (name, line, counts) in enumerate(series):
        colour = PALETTE[(colour_from + place) % len(PALETTE)]
        for run in _runs(counts):  # periods in a row with events: a line; a gap where there were none
            if len(run) > 1:
                points = " ".join(f"{x(i):.1f},{y(line[i]):.1f}" for i in run)
                parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for index, (value, count) in enumerate(zip(line, counts, strict=True)):
            if count:
                tip = f"{safe(name)}, {month_label(months[index])}: {number(value)} ({count} event{'s' * (count != 1)})"
                parts.append(
                    f'<circle cx="{x(index):.1f}" cy="{y(value):.1f}" r="3" fill="{colour}" stroke="none">'
                    f"<title>{tip}</title></circle>"
                )
        for key in keys[place] if place < len(keys) else ():
            if key["period"] in where:
                index = where[key["period"]]
                parts += _key_event(
                    key, x(index), y(line[index]), colour, taken, (0, plot_top, width, plot_top + plot_h)
                )
        if legend:
            lx, ly = left, plot_top + plot_h + 36 + 18 * place
            parts.append(
                f'<line x1="{lx:.1f}" x2="{lx + 18:.1f}" y1="{ly - 4}" y2="{ly - 4}" '
                f'stroke="{colour}" stroke-width="3"/>'
                f'<text class="legend" x="{lx + 24:.1f}" y="{ly}" font-size="12" stroke="none">'
                f"<title>{safe(name)}</title>"
                f"{safe(shortened(name, int((width - lx - 24) / 7.2)))}</text>"
            )
    return parts


KEY_PX = 6.0  # the width of a 10-px character, generously


def _labelled(months: list[str], plot_w: float) -> list[int]:
    """The periods the axis names: the first, then one every few (at most 8), and the last;
    a label that would come closer to the one before it than its own width is left out (the
    last quarter beside the one before it read `Q4 2018  Q2 2019`)."""
    if len(months) == 1:
        return [0]
    step = plot_w / (len(months) - 1)
    wide = CHARACTER_PX * max(len(month_label(month)) for month in months)
    every = max(1, math.ceil(len(months) / 8), math.ceil(2 * wide / step))  # a label, then its width of room
    kept: list[int] = []
    for index in [*range(0, len(months), every), len(months) - 1]:
        if not kept or (index - kept[-1]) * step >= 2 * wide + 0.1:  # positions are written to 0.1 px
            kept.append(index)
    return kept


def _shown_text(markup: str) -> str:
    """The characters a text element shows (its `<title>` tooltip left out), entities counted once."""
    import re
    from html import unescape

    return unescape(re.sub(r"<title>.*?</title>|<[^>]+>", "", markup))


def _key_event(
    key: dict[str, Any],
    at_x: float,
    at_y: float,
    colour: str,
    taken: list[Box],
    room: Box,
) -> list[str]:
    """A key event: a triangle on its period's point (the event's date, score, title and
    description in its `<title>`) and its date beside it, placed where it covers neither the
    canvas's edge nor a label already `taken` (and then taken itself); left out when no
    place is free (the triangle's tooltip still says it)."""
    said = f"{key['date']} ({number(key['score'])}) {key.get('title', '')}".strip()
    if key.get("description"):
        said += f": {key['description']}"
    parts = [
        f'<path class="key-event" d="M{at_x:.1f},{at_y - 5:.1f} l5,9 h-10 z" fill="{colour}" stroke="#fff" '
        f'stroke-width="1"><title>{safe(_short(said, 400))}</title></path>'
    ]
    label, wide, high = key["date"], KEY_PX * len(key["date"]), 12.0
    # beside the point (right, then left, then centred under it), then a line further down or up
    places = [
        (x, at_y + dy) for dy in (-7, 6, -19, 18, 30, -31, 42) for x in (at_x + 7, at_x - 7 - wide, at_x - wide / 2)
    ]
    for left, upper in places:
        box = (left, upper, left + wide, upper + high)
        inside = room[0] <= box[0] and box[2] <= room[2] and room[1] <= box[1] and box[3] <= room[3]
        if inside and not any(_overlap(box, other) for other in taken):
            taken.append(box)
            parts.append(
                f'<text class="key-label" x="{left:.1f}" y="{upper + high - 2:.1f}" font-size="10" '
                f'stroke="none">{safe(label)}</text>'
            )
            break
    return parts


def _overlap(one: Box, other: Box) -> bool:
    return one[0] < other[2] and other[0] < one[2] and one[1] < other[3] and other[1] < one[3]


def _runs(counts: list[int]) -> list[list[int]]:
    """The indexes of periods with events, in runs of neighbours."""
    runs: list[list[int]] = []
    for index, count in enumerate(counts):
        if count:
            if runs and runs[-1][-1] == index - 1:
                runs[-1].append(index)
            else:
                runs.append([index])
    return runs


def bars(items: list[tuple[str, int, str]], *, label: str, width: int = 360, standalone: bool = False) -> str:
    """Horizontal bars (name, count, colour), one row each, scaled to the largest count."""
    row_height, name_width = 20, 110
    height = row_height * len(items) + 4
    most = max([count for _, count, _ in items] + [1])
    parts = _open(width, height, label, standalone)
    parts.append('<g font-size="12" stroke="none">')
    for index, (name, count, colour) in enumerate(items):
        top = 2 + index * row_height
        length = (width - name_width - 50) * count / most
        parts.append(
            f'<text x="0" y="{top + 14}">{safe(name)}</text>'
            f'<rect x="{name_width}" y="{top + 3}" width="{length:.1f}" height="{row_height - 6}" fill="{colour}"/>'
            f'<text x="{name_width + length + 6:.1f}" y="{top + 14}">{count:,}</text>'
        )
    parts.append("</g></g></svg>")
    return "\n".join(parts) + "\n"


def _short(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


def shortened(value: str, limit: int) -> str:
    """A title cut at a word to at most `limit` characters, "…" saying so (a word longer than
    the room is cut where it must be)."""
    if len(value) <= limit:
        return value
    cut = value[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:—-")
    return (cut if cut and len(cut) > limit // 2 else value[: limit - 1]) + "…"
