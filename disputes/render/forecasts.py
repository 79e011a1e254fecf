"""Forecasts for people: the listing, the scorecard with its calibration table, and the
calibration chart (SVG, with the diagonal a perfectly calibrated analyst would sit on)."""

from __future__ import annotations

from html import escape

from disputes.core import ids
from disputes.core.forecast import Forecast, percent, said
from disputes.render.layout import Column
from disputes.render.output import done, printable, table


def state(forecast: Forecast, current: float) -> str:
    """Where a forecast stands: its probability in words and number, or how it came out."""
    if forecast.outcome:
        return f"resolved {forecast.outcome} on {forecast.resolved}"
    return said(current)


def listing(found: list[tuple[Forecast, float]], dispute_refs: dict[str, str]) -> None:
    """Forecasts as plain columns, the soonest `by` first."""
    if not found:
        done('No forecasts. State one with `disputes forecast DISPUTE "QUESTION" --by DATE --probability P`.')
        return
    short = ids.short_forms(f.id for f, _ in found)
    dispute_short = ids.short_forms(dispute_refs)
    rows = [
        (
            short[f.id],
            f.by,
            printable(state(f, current)),
            printable(dispute_refs.get(f.dispute) or dispute_short.get(f.dispute, f.dispute)),
            printable(f.question),
            printable(f.author),
        )
        for f, current in found
    ]
    header = [
        Column("ID", heading=True),
        Column("BY", priority=0),
        Column("WHERE IT STANDS", wrap=True, least=12),
        Column("DISPUTE"),
        Column("QUESTION", wrap=True, least=20, heading=True),
        Column("AUTHOR", priority=1),
    ]
    table(header, rows)


def scorecard(card: dict) -> None:
    """Each resolved forecast's Brier score, each analyst's mean, and the calibration table."""
    if not card["forecasts"]:
        done("No resolved forecasts to score. Resolve one with `disputes forecast resolve ID yes|no --date DATE`.")
        return
    short = ids.short_forms(s["forecast"] for s in card["forecasts"])
    table(
        [
            Column("ID", heading=True),
            Column("RESOLVED", priority=1),
            Column("OUTCOME"),
            Column("LAST SAID", wrap=True, least=10, priority=2),
            Column("BRIER", right=True),
            Column("QUESTION", wrap=True, least=20, heading=True),
            Column("AUTHOR", priority=1),
        ],
        [
            (
                short[s["forecast"]],
                s["resolved"],
                s["outcome"],
                said(s["final"]),
                f"{s['brier']:.4f}",
                printable(s["question"]),
                printable(s["author"]),
            )
            for s in card["forecasts"]
        ],
    )
    done("\nBy analyst (Brier: 0 is perfect, 0.25 is always saying 50 %, 1 is always wrong):")
    table(
        [Column("AUTHOR", wrap=True, least=10), Column("FORECASTS", right=True), Column("MEAN BRIER", right=True)],
        [(printable(a["author"]), str(a["forecasts"]), f"{a['mean']:.4f}") for a in card["analysts"]],
    )
    done("\nCalibration (by the ICD 203 band of the last probability before resolution):")
    table(
        [
            Column("BAND", wrap=True, least=10),
            Column("RANGE", priority=1),
            Column("FORECASTS", right=True),
            Column("CAME TRUE", right=True),
        ],
        [
            (b["band"], f"{percent(b['low'])}–{percent(b['high'])}", str(b["forecasts"]), calibration_share(b))
            for b in card["calibration"]
        ],
    )


def calibration_share(row: dict) -> str:
    """`2 of 3 (67 %)`: how many of a band's forecasts came true."""
    return f"{row['happened']} of {row['forecasts']} ({percent(round(row['share'], 2))})"


def calibration_chart(rows: list[dict], size: int = 260) -> str:
    """The calibration chart as inline SVG: stated probability across, the share that came
    true up, the diagonal of perfect calibration, one dot per band sized by its forecasts."""
    pad, top = 44, 12
    inner = size - pad - 24  # room on the right for the last label, centred on its tick

    def x(value: float) -> float:
        return round(pad + value * inner, 1)

    def y(value: float) -> float:
        return round(top + (1 - value) * inner, 1)

    parts = [
        f'<svg class="calibration" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {size} {size}" '
        f'width="{size}" height="{size}" role="img" aria-label="Calibration: stated probability against the '
        'share that came true">',
        f'<rect x="{pad}" y="{top}" width="{inner}" height="{inner}" fill="none" stroke="currentColor" '
        'stroke-opacity="0.4"/>',
        f'<line class="diagonal" x1="{x(0)}" y1="{y(0)}" x2="{x(1)}" y2="{y(1)}" stroke="currentColor" '
        'stroke-dasharray="4 3" stroke-opacity="0.6"/>',
    ]
    for tick in (0, 0.5, 1):
        parts.append(
            f'<text x="{x(tick)}" y="{top + inner + 14}" font-size="10" text-anchor="middle" '
            f'fill="currentColor">{percent(tick)}</text>'
        )
        parts.append(
            f'<text x="{pad - 4}" y="{y(tick) + 3}" font-size="10" text-anchor="end" '
            f'fill="currentColor">{percent(tick)}</text>'
        )
    parts.append(
        f'<text x="{x(0.5)}" y="{size - 2}" font-size="10" text-anchor="middle" fill="currentColor">stated</text>'
    )
    parts.append(
        f'<text x="10" y="{y(0.5)}" font-size="10" text-anchor="middle" fill="currentColor" '
        f'transform="rotate(-90 10 {y(0.5)})">came true</text>'
    )
    most = max((row["forecasts"] for row in rows), default=1)
    for row in rows:
        radius = round(3 + 5 * (row["forecasts"] / most) ** 0.5, 1)
        parts.append(
            f'<circle class="band" cx="{x(row["stated"])}" cy="{y(row["share"])}" r="{radius}" fill="currentColor" '
            f'fill-opacity="0.7"><title>{escape(row["band"])}: {escape(calibration_share(row))}</title></circle>'
        )
    parts.append("</svg>")
    return "".join(parts)


# The report's forecasts, in each of its formats (the content is the report's: data["forecasts"]
# open on its day, soonest `by` first, and data["forecast_scores"], a scorecard).


def _by_and_author(item: dict) -> str:
    return f"by {item['by']}" + (f", {item['author']}" if item["author"] else "")


def brief_html(items: list[dict]) -> str:
    """A brief's open forecasts: each question with its probability in words and number."""
    from disputes.render.svg import safe

    if not items:
        return ""
    rows = [
        f'<li>{safe(f["question"])}: <strong class="forecast">{safe(f["said"])}</strong> '
        f'<span class="note">({safe(_by_and_author(f))})</span></li>'
        for f in items
    ]
    return "\n".join(["<h4>Open forecasts</h4>", '<ul class="events">', *rows, "</ul>"])


def scores_html(card: dict) -> str:
    """The forecast record of a briefing: each analyst's mean Brier score, the calibration
    table and its chart."""
    from disputes.render.svg import safe

    if not card.get("forecasts"):
        return ""
    analysts = "".join(
        f'<tr><td>{safe(a["author"])}</td><td class="num">{a["forecasts"]}</td>'
        f'<td class="num">{a["mean"]:.4f}</td></tr>'
        for a in card["analysts"]
    )
    bands = "".join(
        f"<tr><td>{safe(b['band'])}</td><td>{percent(b['low'])}–{percent(b['high'])}</td>"
        f'<td class="num">{b["forecasts"]}</td><td class="num">{safe(calibration_share(b))}</td></tr>'
        for b in card["calibration"]
    )
    return "\n".join(
        [
            '<section id="forecasts">',
            f"<h2>Forecast record ({len(card['forecasts'])} resolved)</h2>",
            "<p>Brier score: the mean of (p − o)² over the days each probability stood; 0 is perfect, "
            "0.25 is always saying 50 %, 1 is always wrong.</p>",
            '<table><thead><tr><th>Analyst</th><th class="num">Forecasts</th><th class="num">Mean Brier</th>'
            f"</tr></thead><tbody>{analysts}</tbody></table>",
            '<div class="side-by-side"><div>',
            '<table><thead><tr><th>Band (ICD 203)</th><th>Range</th><th class="num">Forecasts</th>'
            f'<th class="num">Came true</th></tr></thead><tbody>{bands}</tbody></table>',
            "</div><figure>",
            calibration_chart(card["calibration"]),
            "<figcaption>Calibration: the mean probability stated in each band (across) against the share "
            "that came true (up); a well-calibrated analyst's dots sit on the dashed diagonal.</figcaption>",
            "</figure></div>",
            "</section>",
        ]
    )


def report_lines(items: list[dict]) -> list[tuple[str, str, str, str]]:
    """The report's open forecasts as rows: by, dispute (by ref, else short id), question,
    probability in words."""
    short = ids.short_forms({f["dispute"] for f in items})
    return [
        (
            f["by"],
            f.get("dispute_ref") or short[f["dispute"]],
            f["question"] + (f" ({f['author']})" if f["author"] else ""),
            f["said"],
        )
        for f in items
    ]
