"""Deadlines and reviews as an RFC 5545 calendar (`export --format ics`), written with icalendar.

Every item is an all-day event whose UID comes from the record it stands for, so that a
calendar importing the file again updates its events instead of adding them twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from disputes._version import __version__
from disputes.core.content import AgendaShown


def calendar(items: list[dict], *, stamp: str) -> bytes:
    """An .ics file of agenda items (open deadlines and next reviews), one VEVENT each."""
    from icalendar import Calendar, Event  # only this command pays for the library

    cal = Calendar()
    cal.add("prodid", f"-//disputes {__version__}//disputes deadlines and reviews//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "Disputes: deadlines and reviews")
    moment = dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    for item in items:
        day = dt.date.fromisoformat(item["date"])
        entry = Event()
        entry.add("uid", f"{item['kind']}-{item['uid']}@disputes")
        entry.add("dtstamp", moment)
        entry.add("dtstart", day)
        if day < dt.date.max:  # an all-day event without an end lasts its day (RFC 5545 3.6.1)
            entry.add("dtend", day + dt.timedelta(days=1))
        entry.add("summary", item["summary"])
        entry.add("description", item["description"])
        entry.add("categories", [item["kind"]])
        if item.get("cancelled"):  # superseded by a later stage of the case: calendars strike it out
            entry.add("status", "CANCELLED")
        cal.add_component(entry)
    return cal.to_ical()


def agenda_items(shown: AgendaShown) -> list[dict[str, Any]]:
    """`agenda --format ics`: each item of the agenda as a calendar event, titled with its
    dispute's ref (else id) and title, its uid from the record it stands for."""
    found = []
    for item in shown.items:
        named = item.get("dispute_ref") or item["dispute"]
        what = item["title"] if item["kind"] == "review" else f"{item['title']} — {item['dispute_title']}"
        found.append(
            {
                "kind": item["kind"],
                "uid": f"{item.get('id') or item['dispute']}-{item['date']}",
                "date": item["date"],
                "summary": f"{named} {what}",
                "description": f"{item['kind']} of dispute {named}" + (" (overdue)" if item["overdue"] else ""),
            }
        )
    return found
