"""The weekly brief, built from an open store, and the marks that say it was sent."""

from __future__ import annotations

from disputes.core import brief as rules
from disputes.core import ids, scoring
from disputes.core.brief import Brief, BriefMark, Line, Section
from disputes.core.dates import days_between, now, plus_days, today
from disputes.core.model import FINAL
from disputes.ops import assessments, deadlines, forecasts, reports, selection
from disputes.ops import disputes as register
from disputes.store.author import author_of, checked
from disputes.store.database import Store


def all_marks(store: Store) -> list[BriefMark]:
    """Every brief mark, oldest first."""
    found = [BriefMark.from_dict(r) for r in store.records(rules.TABLE).values()]
    return sorted(found, key=lambda m: (m.date, m.created, m.id))


def build(
    store: Store, chosen: selection.Chosen, *, as_of: str | None = None, since: str | None = None, author: str = ""
) -> Brief:
    """The brief of `as_of` (default today) covering the days after `since` (default the
    author's last marked brief, else a week)."""
    as_of = as_of or today()
    author = checked(author) if author.strip() else author_of(store.path)
    since_from = "option" if since else "default"
    if not since:
        mark = rules.last_mark(all_marks(store), author, as_of)
        if mark is not None and mark.date < as_of:
            since, since_from = mark.date, "mark"
        else:
            since = plus_days(as_of, -rules.DEFAULT_DAYS) or as_of
    window = max(1, days_between(since, as_of))
    data, _ = reports.status_report(store, chosen, as_of=as_of, window=window)
    covered = {d.id: d for d in register.all_disputes(store)}
    rows = {row["id"]: row for row in data["unresolved"]}
    shown = {key for key, d in covered.items() if key in rows or chosen.filters.with_ended().test()(d)}
    short = ids.short_forms(covered)

    def line(date: str, key: str, text: str, mark: str = "") -> Line:
        dispute = covered[key]
        return Line(date, key, dispute.ref or short[key], dispute.title, text, mark)

    def within(date: str) -> bool:
        return since < date[:10] <= as_of if len(date) >= 10 else False

    judged = [a for a in assessments.all_assessments(store) if a.dispute in shown and within(a.date)]
    bottom_lines = [
        line(
            a.date,
            a.dispute,
            a.text,
            " · ".join(x for x in (a.confidence and f"{a.confidence} confidence", a.author) if x),
        )
        for a in sorted(judged, key=lambda a: (a.date, a.id), reverse=True)
    ]
    changed: list[Line] = []
    opened: list[Line] = []
    closed: list[Line] = []
    for key in sorted(shown):
        dispute = covered[key]
        if dispute.opened and within(dispute.opened):
            opened.append(line(dispute.opened, key, f"opened, {dispute.status}"))
        for step in dispute.status_history[1:]:
            if within(step["date"]):
                target = closed if step["status"] in FINAL else changed
                target.append(line(step["date"], key, step.get("note") or "", step["status"]))
        row = rows.get(key)
        if row and row["trend"] == "deteriorated" and not any(c.dispute == key for c in changed):
            changed.append(
                line(row["last_event"] or as_of, key, "escalating events since the last brief", "deteriorated")
            )
    ahead = plus_days(as_of, rules.AHEAD_DAYS) or as_of
    met_or_missed: list[Line] = []
    due: list[Line] = []
    later: list[Line] = []  # due after the fortnight: the first of these is said when nothing is due sooner
    for deadline in deadlines.all_deadlines(store):
        if deadline.dispute not in shown or deadline.kind != "due":
            continue
        if within(deadline.date):
            done = deadline.done and deadline.done <= as_of
            met_or_missed.append(line(deadline.date, deadline.dispute, deadline.title, "met" if done else "missed"))
        elif as_of < deadline.date[:10] and not deadline.done:
            target = due if deadline.date[:10] <= ahead else later
            target.append(line(deadline.date, deadline.dispute, deadline.title, "deadline"))
    stated = forecasts.all_forecasts(store)
    revised = forecasts.all_revisions(store)
    for open_one in scoring.open_on(stated, revised, as_of, shown):
        if as_of < open_one["by"][:10]:
            text = f"{open_one['question']} ({open_one['said']}, {open_one['author']})"
            target = due if open_one["by"][:10] <= ahead else later
            target.append(line(open_one["by"], open_one["dispute"], text, "forecast"))
    ended = [f for f in stated if f.dispute in shown and f.resolved and within(f.resolved)]
    scored = [
        line(s.resolved, s.dispute, f"{s.question}: {s.outcome}, Brier {s.brier:.2f} ({s.author})", s.outcome)
        for s in scoring.scores(ended, revised)
    ]
    sections = {
        "bottom_lines": bottom_lines,
        "changed": sorted(changed, key=lambda x: x.date, reverse=True),
        "opened": opened,
        "closed": closed,
        "deadlines": sorted(met_or_missed, key=lambda x: x.date),
        "forecasts": scored,
        "due": sorted(due, key=lambda x: x.date),
    }
    return Brief(
        as_of,
        since,
        since_from,
        author,
        chosen.said,
        tuple(Section(key, heading, tuple(sections[key])) for key, heading in rules.SECTIONS),
        next_due=tuple(sorted(later, key=lambda x: (x.date, x.dispute))[:1]),
    )


def mark(store: Store, brief: Brief) -> BriefMark:
    """Record that the brief was sent, by its author: their next brief starts from its day."""
    made = BriefMark(
        id=ids.new_id(store.ids(rules.TABLE)), author=brief.author, date=brief.as_of, since=brief.since, created=now()
    )
    store.put(rules.TABLE, made.id, made.to_dict())
    store.describe("brief", f"marked the brief of {brief.as_of} as sent", date=brief.as_of)
    return made
