"""One answer in every format, for the views besides the report (issue 43): for random
registers, each format of `show`, `timeline`, `event list`, `agenda` and `digest` names the
same disputes (by ref, else short id), statuses with their detail, bottom lines, events with
their disputes, and the view in force. Markdown is read through markdown-it, HTML through
html5lib, the terminal through pyte at 60, 80 and 120 columns."""

from __future__ import annotations

import contextlib
import csv
import io
import os
from functools import partial

import orjson
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_one_answer import _html_text, _markdown_text, registers

from disputes.store.database import open_store

WIDTHS = (60, 80, 120)


class _Terminal(io.StringIO):
    """A stdout that says it is a terminal, so that the renderers fit their width to it."""

    def isatty(self) -> bool:
        return True


def _on_terminal(draw, width: int) -> str:
    """What `draw()` writes on a terminal `width` columns wide, as the screen shows it (pyte)."""
    import pyte

    saved = {name: os.environ.get(name) for name in ("COLUMNS", "LINES", "NO_COLOR")}
    os.environ.update(COLUMNS=str(width), LINES="500", NO_COLOR="1")
    out = _Terminal()
    try:
        with contextlib.redirect_stdout(out):
            draw()
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    text = out.getvalue().replace("\r\n", "\n").replace("\n", "\r\n")
    screen = pyte.Screen(width, text.count("\n") + 5)
    pyte.Stream(screen).feed(text)
    return "\n".join(row.rstrip() for row in screen.display)


def _piped(draw) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        draw()
    return out.getvalue()


def _words(text: str) -> set[str]:
    return set(text.replace(",", " ").replace("[", " ").replace("]", " ").split())


def _stored(path, drawn, deadlines: list[tuple[int, str]], view: bool) -> None:
    disputes, assessments, events, _ = drawn
    with open_store(path, write=True) as store:
        for dispute in disputes:
            store.put("disputes", dispute.id, dispute.to_dict())
        for made in assessments:
            store.put("assessments", made["id"], made)
        for event in events:
            store.put("events", event["id"], event)
        for n, (which, day) in enumerate(deadlines):
            key = f"dl{n}x8r2m"
            on = disputes[which % len(disputes)].id
            store.put("deadlines", key, {"id": key, "dispute": on, "date": day, "title": f"Reply {n} due"})
        if view:
            members = sorted(d.id for d in disputes)[: max(1, len(disputes) // 2)]
            record = {"name": "desk", "filters": {"dispute": members}, "created": "2019-01-01T00:00:00Z"}
            store.put("views", "desk", record)
        store.describe("add", "a register drawn by hypothesis")


@st.composite
def desks(draw):
    """A register (test_one_answer's), deadlines on some of its disputes, and maybe a view."""
    drawn = draw(registers())
    deadlines = draw(st.lists(st.tuples(st.integers(0, 4), st.sampled_from(("2016-07-05", "2019-07-10"))), max_size=3))
    return drawn, deadlines, draw(st.booleans())


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(desk=desks())
def test_every_format_of_each_view_names_the_same_facts(desk, tmp_path_factory):
    from disputes.core import ids
    from disputes.core.steps import said
    from disputes.ops import reports, selection, showing
    from disputes.render import details, exports, listings
    from disputes.render import digest as digesting

    drawn, deadlines, view = desk
    disputes, _, _, as_of = drawn
    path = tmp_path_factory.mktemp("views") / "store.json"
    _stored(path, drawn, deadlines, view)
    short = ids.short_forms(d.id for d in disputes)
    name = {d.id: d.ref or short[d.id] for d in disputes}
    wanted = selection.Wanted(view="desk") if view else selection.Wanted()

    with open_store(path) as store:
        chosen = selection.choose(store, wanted)
        shown = {d.id: showing.dispute_shown(store, d.id, as_of=as_of) for d in disputes}
        lists = [showing.events_listed(store, chosen) for _ in range(2 + 2 * len(WIDTHS))]
        whole = showing.events_listed(store, chosen, whole=True)
        agendas = [
            showing.agenda_shown(store, chosen, as_of=as_of, within=30, stale_after=90) for _ in range(1 + len(WIDTHS))
        ]
        digest = reports.digest(store, chosen, as_of[:7])

    # show: the ref, every status step with its own detail, the bottom line in force, the events
    for dispute in disputes:
        content = shown[dispute.id]
        as_json = orjson.loads(orjson.dumps(content.to_json()))
        markdown, md_items = _markdown_text(exports.dispute_markdown(content))
        steps = [said(step) for step in content.status_steps]
        kept = [step.get("detail", "") for step in content.status_steps]
        assert [step.get("detail", "") for step in as_json["status_history"]] == kept
        facts = [*steps, *(a.text for a in content.judged), *(e.title for e in content.events)]
        facts += [dispute.ref] if dispute.ref else []
        for fact in facts:
            assert fact in markdown, (fact, "md")
        for width in WIDTHS:
            drawn_text = _on_terminal(partial(details.dispute_detail, content), width)
            flat = " ".join(drawn_text.split())
            for fact in facts:
                assert _words(fact) <= _words(drawn_text), (fact, width)
            for step in steps:
                assert step in flat or _words(step) <= _words(flat), (step, width)
        assert (as_json["assessment"] or {}).get("text") == (content.assessment.text if content.assessment else None)

    # timeline and event list (terminal, Markdown, CSV): each event with its disputes, named alike
    admitted = {e["id"]: e for e in orjson.loads(b"[" + b",".join(whole.rows) + b"]")}
    links = {e["title"]: sorted(name[key] for key in e["disputes"]) for e in admitted.values()}
    csv_rows = list(csv.DictReader(io.StringIO("".join(exports.events_csv(lists[-1])))))
    assert {r["title"]: sorted(r["dispute_refs"].split("; ")) for r in csv_rows} == links
    markdown = exports.timeline_markdown(lists[0])
    _, md_items = _markdown_text(markdown)
    for title, names in links.items():
        assert any(title in item and all(n in item for n in names) for item in md_items), (title, names, "md")
    for number, width in enumerate(WIDTHS):
        for drawn_text in (
            _on_terminal(partial(listings.timeline, lists[1 + 2 * number]), width),
            _on_terminal(partial(listings.event_listing, lists[2 + 2 * number]), width),
        ):
            for title, names in links.items():
                assert _words(title) | set(names) <= _words(drawn_text), (title, names, width)
            assert ("Disputes: view desk" in " ".join(drawn_text.split())) == view, width
    assert ("Disputes: view desk" in markdown) == view

    # agenda: each item's dispute by ref, else short id, in JSON, Markdown and on the terminal
    items = agendas[0].to_json()
    for item in items:
        assert item["dispute_ref"] == next(d.ref for d in disputes if d.id == item["dispute"])
    markdown, _ = _markdown_text(exports.agenda_markdown(agendas[0]))
    for item in items:
        assert _words(f"{name[item['dispute']]} {item['title']}") <= _words(markdown), (item, "md")
    assert ("Disputes: view desk" in markdown) == view
    for number, width in enumerate(WIDTHS):
        drawn_text = _on_terminal(partial(listings.agenda, agendas[1 + number]), width)
        for item in items:
            assert {name[item["dispute"]]} | _words(item["title"]) <= _words(drawn_text), (item, width)

    # digest: each dispute it names and each bottom line, in every format
    from disputes.render.common import shown as listed_in
    from disputes.render.common import status_said  # a quiet month's quiet disputes are only counted

    entries = [e for trend in ("deteriorated", "improved", "unchanged") for e in listed_in(digest, trend)[0]]
    facts = [f"[{e['ref'] or e['id']}]" for e in entries if e["ref"]]
    facts += [e["assessment"]["text"] for e in entries if e.get("assessment")]
    facts += [status_said(e) for e in entries]  # the status and its detail at the month's end
    markdown, _ = _markdown_text(digesting.render(digest, "md"))
    html, _ = _html_text(digesting.render(digest, "html"))
    for fact in facts:
        assert fact.strip("[]") in markdown and fact.strip("[]") in html, fact
    for width in WIDTHS:
        drawn_text = " ".join(_on_terminal(partial(digesting.terminal, digest), width).split())
        for fact in facts:
            assert _words(fact.strip("[]")) <= _words(drawn_text), (fact, width)
