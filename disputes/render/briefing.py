"""The status report as a standalone HTML page, the briefing (its page shell and styles are
html_page.py's, shared with the digest and the weekly brief).

Built from the report's data, not from a terminal: the same bytes whatever TERM, COLUMNS
or NO_COLOR say. One file, styles inline, charts as inline SVG, no script and no request
to anywhere; light, dark and A4 print styles. User text is always escaped, and a source
becomes a link only when it is an http(s) URL.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from pathlib import Path

from disputes.core import model
from disputes.core import report as reporting
from disputes.core.escalation import kind_of, period_of
from disputes.core.vocabulary import counted
from disputes.render import forecasts, svg
from disputes.render.common import bottom_line_said, shortened, status_said, titled, versus, with_roles
from disputes.render.html_page import bottom_line, page, source
from disputes.render.listings import EFFECT_MARK, TREND_MARK, agenda_rows
from disputes.render.paper import table, table_or_cards
from disputes.render.svg import safe


def _alerts(alerts) -> str:
    return "".join(f' <span class="alert">⚑ {safe(a)}</span>' for a in alerts)


def _due_cell(value: str) -> str:
    return '<span class="overdue">overdue</span>' if value == "overdue" else safe(value)


def _trend(name: str) -> str:
    return f'<span class="{name.replace(" ", "-")}">{TREND_MARK[name]}</span>'


def _event(event: dict, titles: dict[str, str] | None = None, briefed: AbstractSet[str] = frozenset()) -> str:
    """An event as a list item; with `titles`, naming its disputes (linked to their briefs)."""
    score = "" if event.get("score") is None else f" ({svg.number(event['score'])})"
    sources = event.get("sources") or []
    links = f' <span class="note">— {", ".join(source(s) for s in sources)}</span>' if sources else ""
    named = ""
    if titles:
        named = " · ".join(_linked(key, titles[key], briefed) for key in event["disputes"] if key in titles)
        named = f' <span class="note">[{named}]</span>' if named else ""
    recent = ' class="recent"' if event.get("recent") else ""
    mark = ' <span class="window">(in the window)</span>' if event.get("recent") else ""
    return (
        f'<li{recent}><time datetime="{safe(event["date"])}">{safe(event["date"])}</time> '
        f'<span class="{event["effect"]}">{EFFECT_MARK[event["effect"]]}{score}</span> '
        f"{safe(event['title'])}{mark}{named}{links}</li>"
    )


def _events(events: list[dict], titles: dict[str, str] | None = None, briefed: AbstractSet[str] = frozenset()) -> str:
    if not events:
        return '<p class="note">None.</p>'
    return '<ul class="events">\n' + "\n".join(_event(e, titles, briefed) for e in events) + "\n</ul>"


def _contents(data: dict, briefs: list[dict]) -> str:
    """The table of contents: every section, and under Briefs every full brief (a compact
    entry is a few lines, reached from its row of the table), each by its ref and its whole
    title, wrapped at words (cut, DS462's and DS463's read alike: `…Recycling Fee on Motor…`)."""
    listed = "".join(
        f'<li><a href="#d-{safe(b["id"])}">{safe(titled(b["ref"], b["title"]))}</a></li>' for b in briefs if _full(b)
    )
    sections = [("judgements", "Key judgements", ""), ("status", "Disputes by status", "")]
    sections += [("unresolved", "Unresolved disputes", "")]
    sections += [("due", "Due", "")] if data.get("due") else []
    sections += [("briefs", "Briefs", f"<ol>{listed}</ol>")] if briefs else []
    sections += [("recent", "Recent events", ""), ("breakdowns", "By party and topic", "")]
    items = "".join(f'<li><a href="#{key}">{heading}</a>{under}</li>' for key, heading, under in sections)
    return f'<nav id="contents" aria-label="Contents"><h2>Contents</h2><ol>{items}</ol></nav>'


def _judgements(rows: list[dict]) -> str:
    """The bottom lines of the unresolved disputes, highest priority first."""
    judged = reporting.judgements(rows)
    listed = [
        f'<li class="judgement"><a href="#d-{safe(r["id"])}">{safe(titled(r["ref"], r["title"]))}</a> '
        f'<span class="note">({safe(r["priority"])} priority)</span>: {safe(r["assessment"]["text"], multiline=True)} '
        f'<span class="note">— {safe(bottom_line_said(r["assessment"]))}</span></li>'
        for r in judged
    ]
    body = "<ul>" + "".join(listed) + "</ul>" if listed else '<p class="note">No bottom line recorded yet.</p>'
    return f'<section id="judgements"><h2>Key judgements</h2>{body}</section>'


ESCALATION_SAID = (
    '<p class="note">Each brief\'s chart sums its event scores by period, escalation drawn upward (without a score '
    "an event counts −1 escalating, +1 de-escalating, 0 neutral); ▲ marks its key events, dated.</p>"
)
UNRESOLVED_HEADINGS = [
    "ID",
    "Ref",
    "Title",
    "Status",
    "Priority",
    "Parties",
    "Age (days)",
    "Last event",
    "Quiet (days)",
    "Trend",
]


def _more(hidden: int, what: str) -> str:
    return f'<p class="note">… and {hidden:,} more {what}.</p>' if hidden else ""


def report(data: dict, briefs: list[dict], limit: int = 0, paper: str = "a4") -> str:
    """The status report as a standalone briefing page."""
    store = Path(data["store"]).name if data["store"] else ""
    rows = data["unresolved"][:limit] if limit else data["unresolved"]
    body = [
        "<header>",
        f"<h1>Status report as of <time>{safe(data['as_of'])}</time></h1>",
        '<p class="meta">'
        + (f"Prepared by {safe(data['author'])} · " if data.get("author") else "")
        + f"{counted(data['total'], 'disputes')}, {data['unresolved_total']:,} unresolved · "
        + (
            f'<span class="chosen">Disputes: {safe(data["chosen"])}</span>'
            if data.get("chosen")
            else "the whole register"
        )
        + "</p>",
        f'<p class="meta">Window {data["window_days"]} days · stale after {data["stale_after_days"]} days quiet'
        + (f" · store <code>{safe(store)}</code>" if store else "")
        + "</p>",
        "</header>",
        _contents(data, briefs),
        _judgements(rows),
        '<section id="status">',
        "<h2>Disputes by status</h2>",
        '<div class="counts">',
        table(
            ["Status", "Count"],
            [
                *([safe(s), f"{c:,}"] for s, c in data["counts"].items()),
                ["<strong>total</strong>", f"{data['total']:,}"],
            ],
            {1},
        ),
        svg.bars(
            [(s, c, "#009E73" if s in model.FINAL else "#0072B2") for s, c in data["counts"].items()],
            label="Disputes by status",
        ),
        "</div>",
        "</section>",
    ]
    short = shortened(data)
    body += ['<section id="unresolved">', f"<h2>Unresolved disputes ({data['unresolved_total']:,})</h2>"]
    if rows:
        body.append(
            table_or_cards(
                UNRESOLVED_HEADINGS,
                [
                    [
                        f'<code title="{safe(r["id"])}">{safe(short[r["id"]])}</code>',
                        safe(r["ref"]),
                        f'<a href="#d-{safe(r["id"])}">{safe(r["title"])}</a>{_alerts(r["alerts"])}',
                        safe(status_said(r)),
                        safe(r["priority"]),
                        safe(versus(r["parties"], r.get("roles", {}))),
                        "" if r["age_days"] is None else f"{r['age_days']:,}",
                        f"<time>{safe(r['last_event'])}</time>" if r["last_event"] else "—",
                        ("" if r["days_quiet"] is None else f"{r['days_quiet']:,}")
                        + (' <span class="stale">stale</span>' if r["stale"] else ""),
                        _trend(r.get("trend_shown", r["trend"])),
                    ]
                    for r in rows
                ],
                {6, 8},
                paper,
                wide=2,
            )
        )
        body.append(_more(data["unresolved_total"] - len(rows), "unresolved disputes (listed highest priority first)"))
    else:
        body.append("<p>No unresolved disputes.</p>")
    body.append("</section>")
    if data.get("due"):
        due = data["due"][:limit] if limit else data["due"]
        body += [
            '<section id="due">',
            f"<h2>Due ({len(data['due']):,})</h2>",
            table(
                ["Date", "Kind", "When", "Dispute", "What"],
                [[f"<time>{safe(r[0])}</time>", *(_due_cell(c) for c in r[1:])] for r in agenda_rows(due)],
                wide=4,
            ),
            _more(len(data["due"]) - len(due), "items"),
            "</section>",
        ]
    if briefs:
        briefed = {b["id"] for b in briefs}
        open_ = data.get("forecasts", [])
        body += ['<section id="briefs">', "<h2>Briefs</h2>", ESCALATION_SAID]
        full = [b for b in briefs if _full(b)]
        body += [_brief({**b, "forecasts": [f for f in open_ if f["dispute"] == b["id"]]}, briefed) for b in full]
        quiet = [b for b in briefs if not _full(b)]
        if quiet:  # a few lines each, side by side on paper
            body += [f"<h3>No events and no bottom line ({len(quiet):,})</h3>", '<div class="compacts">']
            body += [_compact(b) for b in quiet]
            body.append("</div>")
        body.append("</section>")
    body.append(forecasts.scores_html(data.get("forecast_scores", {})))
    recent = data["recent_events"][:limit] if limit else data["recent_events"]
    briefed = {b["id"] for b in briefs}
    body += [
        '<section id="recent">',
        f"<h2>Recent events (last {data['window_days']} days)</h2>",
        _events(recent, {k: titled(data.get("refs", {}).get(k, ""), t) for k, t in data["titles"].items()}, briefed),
        _more(len(data["recent_events"]) - len(recent), "earlier events"),
        "</section>",
        '<section id="breakdowns" class="side-by-side">',
    ]
    for key, heading in (("by_party", "Party"), ("by_topic", "Topic")):
        body += [
            f"<div><h2>By {heading.lower()}</h2>",
            table([heading, "Unresolved"], [[safe(i["name"]), f"{i['count']:,}"] for i in data[key]], {1}),
            "</div>",
        ]
    body.append("</section>")
    return page(f"Status report as of {data['as_of']}", body, paper)


def _linked(key: str, title: str, briefed: AbstractSet[str]) -> str:
    """A dispute's title, linked to its brief when the page has one."""
    return f'<a href="#d-{safe(key)}">{safe(title)}</a>' if key in briefed else safe(title)


def _brief(brief: dict, briefed: AbstractSet[str]) -> str:
    parts = [
        f'<article class="brief" id="d-{safe(brief["id"])}">',
        f"<h3>{safe(titled(brief['ref'], brief['title']))}{_alerts(brief['alerts'])}</h3>",
        f'<p class="meta"><code>{safe(brief["id"])}</code>'
        + (f" · {safe(brief['ref'])}" if brief["ref"] else "")
        + f" · {safe(brief['status'])} · {safe(brief['priority'])} priority"
        + (f" · owner {safe(brief['owner'])}" if brief.get("owner") else "")
        + (f" · stage {safe(brief['stage'])}" if brief.get("stage") else "")
        + f" · trend {_trend(brief.get('trend_shown', brief['trend']))}"
        + (f" · opened {safe(brief['opened'])}" if brief["opened"] else "")
        + "</p>",
        bottom_line(brief.get("assessment")),
    ]
    if brief["summary"]:
        parts += [f"<p>{p}</p>" for p in safe(brief["summary"], multiline=True).split("\n\n") if p.strip()]
    if brief["status_detail"]:
        parts.append(f'<p class="note">{safe(brief["status_detail"])}</p>')
    parts.append(f"<p><strong>Parties:</strong> {safe(with_roles(brief['parties'], brief['roles'])) or '—'}</p>")
    if brief["sources"]:
        parts.append('<p><strong>Sources:</strong></p><ul class="events">')
        parts += [f"<li>{source(s)}</li>" for s in brief["sources"]]
        parts.append("</ul>")
    parts += ["<h4>Key events</h4>", _key_events(brief["key_events"])]
    if brief["deadlines"]:
        parts += ["<h4>Deadlines ahead</h4>", '<ul class="events">']
        parts += [
            f"<li><time>{safe(d['date'])}</time> {safe(d['title'])}{' (opens)' if d['kind'] == 'opens' else ''}</li>"
            for d in brief["deadlines"]
        ]
        parts.append("</ul>")
    parts.append(forecasts.brief_html(brief.get("forecasts", [])))
    if brief["relations"]:
        parts += ["<h4>Related disputes</h4>", '<ul class="events">']
        parts += [f"<li>{safe(r['reads'])} {_linked(r['id'], r['title'], briefed)}</li>" for r in brief["relations"]]
        parts.append("</ul>")
    curve, months = brief["curve"], brief["months"]
    parts += [
        "<figure>",
        svg.curves(
            [(brief["title"], curve["values"], curve["events"])],
            months,
            height=146,  # a plot of 86 px (at 130 with its legend, 52: a thin strip on paper)
            standalone=False,
            legend=False,  # the brief's heading names its one line
            marks=tuple((period_of(s["date"], kind_of(months[0])), s["status"]) for s in brief["status_history"][1:]),
            keys=[brief.get("chart_keys", [])],
        ),
        f"<figcaption>Escalation, {svg.month_label(months[0])} to {svg.month_label(months[-1])}, "
        f"by {kind_of(months[0])}: {counted(sum(curve['events']), 'events')} dated to a {kind_of(months[0])}."
        "</figcaption>",
        "</figure>",
        "</article>",
    ]
    return "\n".join(parts)


def _full(brief: dict) -> bool:
    """Whether a dispute gets a whole brief: it has dated events or a bottom line."""
    return bool(sum(brief["curve"]["events"]) or brief.get("assessment"))


def _compact(brief: dict) -> str:
    """A dispute with neither events nor a bottom line: a few lines, and no empty chart."""
    said = [safe(brief["ref"])] if brief["ref"] else []
    said += [safe(brief["status"]), f"{safe(brief['priority'])} priority"]
    said += [f"owner {safe(brief['owner'])}"] if brief.get("owner") else []
    said += [f"stage {safe(brief['stage'])}"] if brief.get("stage") else []
    said += [f"opened {safe(brief['opened'])}"] if brief["opened"] else []
    said += [safe(with_roles(brief["parties"], brief["roles"]))] if brief["parties"] else []
    detail = f'<p class="note">{safe(brief["status_detail"])}</p>' if brief["status_detail"] else ""
    return (
        f'<article class="compact" id="d-{safe(brief["id"])}">'
        f"<h3>{safe(brief['title'])}{_alerts(brief['alerts'])}</h3>"
        f'<p class="meta"><code>{safe(brief["id"])}</code> · {" · ".join(said)}</p>'  # the heading says "no events"
        f"{detail}</article>"
    )


def _key_events(lines: list[dict]) -> str:
    """A dispute's life: its status changes and strongest events, those of the window marked."""
    if not lines:
        return '<p class="note">None recorded.</p>'
    items = []
    for line in lines:
        if line["kind"] == "event":
            items.append(_event(line))
        else:
            mark = ' <span class="window">(in the window)</span>' if line["recent"] else ""
            items.append(
                f'<li><time datetime="{safe(line["date"])}">{safe(line["date"])}</time> '
                f"<strong>status {safe(line['title'])}</strong>{mark}</li>"
            )
    return '<ul class="events">\n' + "\n".join(items) + "\n</ul>"
