"""Each view is one content object that every format lays out (issue 43): the content is
built once from the store, and the renderers read nothing else."""

from __future__ import annotations

from disputes.core.content import EventsListed
from disputes.ops import selection, showing
from disputes.render import exports
from disputes.store.database import open_store


def _twins(cli) -> None:
    for ref in ("DS462", "DS463"):
        cli.add("Russian Federation — Recycling Fee on Motor Vehicles", "--ref", ref, "--opened", "2013-07-09")
    cli("event", "add", "DS462", "DS463", "--title", "Panel established", "--date", "2026-12-01")
    cli("event", "add", "DS463", "--title", "Consultations requested", "--date", "2013-07-09")


def test_timeline_and_event_list_are_laid_out_from_one_content_whose_rows_stream(cli, store_path):
    _twins(cli)
    with open_store(store_path) as store:
        listed = showing.events_listed(store, selection.choose(store, selection.Wanted()))
    read: list[str] = []

    def streamed():  # rows handed over one at a time, never as a list
        for row in listed.rows:
            read.append(row["title"])
            yield row

    markdown = exports.timeline_markdown(EventsListed(streamed(), listed.names, listed.short, listed.view))
    assert read == ["Consultations requested", "Panel established"]
    assert "Panel established [DS462, DS463]" in markdown
    assert "Consultations requested [DS463]" in markdown
    assert next(listed.rows, None) is None  # read once: the renderer has nothing to read again


def test_agenda_json_names_each_item_s_dispute_by_its_ref_and_title(cli):
    _twins(cli)
    cli("deadline", "add", "DS463", "--date", "2026-12-20", "--title", "Reply due")
    (item,) = cli.json("agenda", "--as-of", "2026-12-10", "--within", "30")
    assert {k: item[k] for k in ("kind", "date", "title", "overdue", "opens")} == {
        "kind": "deadline",
        "date": "2026-12-20",
        "title": "Reply due",
        "overdue": False,
        "opens": False,
    }
    assert item["dispute_ref"] == "DS463"
    assert item["dispute_title"] == "Russian Federation — Recycling Fee on Motor Vehicles"
