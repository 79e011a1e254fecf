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


def test_the_command_map_is_read_off_the_registry_and_one_declaration_of_views():
    from disputes import cli
    from disputes.core.kinds import ENTRIES

    for entry in ENTRIES:
        for command in entry.commands:
            assert cli.MODULE_OF[command] == entry.module, command
    declared = {command for commands in cli.VIEWS_OF.values() for command in commands}
    assert set(cli.MODULE_OF) == declared | {c for entry in ENTRIES for c in entry.commands}


def test_show_gives_each_registered_section_in_every_format(cli):
    from disputes.core.kinds import SHOWN

    _twins(cli)
    cli("deadline", "add", "DS463", "--date", "2026-12-20", "--title", "Reply due")
    cli("comment", "DS463", "Gazprom says no", "--date", "2026-12-02")
    cli("watch", "add", "DS463", "--actors", "RUS")
    cli("document", "add", "DS463", "https://example.org/panel.pdf", "--date", "2026-12-05", "--title", "Panel report")
    shown = cli.json("show", "DS463")
    terminal = cli("show", "DS463").stdout
    markdown = cli("show", "DS463", "--format", "md").stdout
    for entry in SHOWN:
        assert len(shown[entry.table]) == 1, entry.table
        assert entry.shown in terminal, entry.table
        assert f"## {entry.shown}" in markdown, entry.table
    assert "- **2026-12-20** Reply due" in markdown
    assert "Gazprom says no" in terminal


def test_a_bulk_change_listed_ds462_and_ds463_as_if_duplicates(cli):
    _twins(cli)
    said = cli("edit", "--match", "dispute=DS462", "--match", "dispute=DS463", "--add-tag", "desk", "--yes").stdout
    lines = [line for line in said.splitlines() if "Recycling Fee" in line]
    assert len(lines) == 2
    assert any("DS462" in line for line in lines) and any("DS463" in line for line in lines)
    (latest,) = cli.json("history", "--limit", "1")
    assert "DS462" in latest["summary"] and "DS463" in latest["summary"]


def test_view_show_listed_ds462_and_ds463_as_if_duplicates(cli):
    _twins(cli)
    cli("view", "save", "russia", "--dispute", "DS462", "--dispute", "DS463")
    shown = cli("view", "show", "russia").stdout
    assert any("DS462" in line and "Recycling Fee" in line for line in shown.splitlines())
    assert any("DS463" in line and "Recycling Fee" in line for line in shown.splitlines())


def test_list_wrote_parties_otherwise_than_the_report(cli):
    cli.add("Steel", "--ref", "DS600", "--complainant", "European Union", "--respondent", "Russia", "--party", "Japan")
    listed = cli("list", env={"COLUMNS": "200"}).stdout
    report = cli("report", "--format", "md").stdout
    assert "European Union v. Russia, with Japan" in report
    assert "European Union v. Russia, with Japan" in listed


# each command that takes a dispute, run with a ref (DS463) where it takes one
BY_REF = {
    "assess": ("assess", "DS463", "Russia will drop the fee"),
    "report": ("report", "--dispute", "DS463"),
    "chart": ("chart", "DS463", "--dispute", "DS463", "--json"),
    "digest": ("digest", "--dispute", "DS463", "--month", "2026-11"),
    "brief": ("brief", "--dispute", "DS463"),
    "export": ("export", "--dispute", "DS463", "--format", "json"),
    "review": ("review", "DS463"),
    "agenda": ("agenda", "--dispute", "DS463"),
    "stage": ("stage", "DS463", "consultations", "--date", "2026-12-01"),
    "list": ("list", "--dispute", "DS463"),
    "show": ("show", "DS463"),
    "edit": ("edit", "DS463", "--priority", "high"),
    "timeline": ("timeline", "--dispute", "DS463"),
    "history": ("history", "DS463"),
    "status": ("status", "DS463", "negotiating"),
    "link": ("link", "DS463", "DS462"),
    "unlink": ("unlink", "DS463", "DS462"),
    "comment add": ("comment", "add", "DS463", "Asked Geneva"),
    "comment list": ("comment", "list", "DS463"),
    "document add": ("document", "add", "DS463", "https://example.org/ds463.pdf"),
    "document list": ("document", "list", "DS463"),
    "deadline add": ("deadline", "add", "DS463", "--date", "2026-12-20", "--title", "Reply due"),
    "deadline list": ("deadline", "list", "--dispute", "DS463"),
    "event add": ("event", "add", "DS463", "--date", "2026-12-02", "--title", "Talks"),
    "event list": ("event", "list", "--dispute", "DS463"),
    "event link": ("event", "link", "--", "-", "DS462"),  # the event: filled in below
    "event unlink": ("event", "unlink", "--", "-", "DS462"),
    "forecast add": ("forecast", "add", "DS463", "Will it settle?", "--by", "2027-06-30", "--probability", "0.3"),
    "forecast list": ("forecast", "list", "--dispute", "DS463"),
    "view save": ("view", "save", "fees", "--dispute", "DS463"),
    "view add": ("view", "add", "fees", "DS462"),
    "view remove": ("view", "remove", "fees", "DS462"),
    "watch add": ("watch", "add", "DS463", "--actors", "RUS"),
    "resolve": ("resolve", "DS463"),
    "reopen": ("reopen", "DS463"),
    "close": ("close", "DS463"),
    "delete": ("delete", "DS463", "--yes", "--cascade"),
}


def _taking_a_dispute() -> set[str]:
    import typer

    from disputes import cli

    def walk(command, path=()):
        if hasattr(command, "commands"):
            for name, sub in command.commands.items():
                yield from walk(sub, (*path, name))
        else:
            yield " ".join(path), command

    def takes(param) -> bool:
        if param.param_type_name == "argument":
            return "dispute" in param.name or param.name in ("first", "second")
        return "--dispute" in getattr(param, "opts", ())

    return {path for path, command in walk(typer.main.get_command(cli.app)) if any(map(takes, command.params))}


def test_every_command_that_takes_a_dispute_finds_it_by_its_ref(cli):
    assert set(BY_REF) == _taking_a_dispute()  # a new command that takes a dispute is tried here too
    _twins(cli)
    talks = cli.json("event", "add", "DS463", "--date", "2026-12-03", "--title", "More talks")["id"]
    for args in BY_REF.values():
        cli(*(talks if arg == "-" else arg for arg in args if arg != "--"))
    assert [d["ref"] for d in cli.json("list", "--all")] == ["DS462"]


# ---- documents: a record type added through the registry ----------------------------------


def _documented(cli) -> dict:
    _twins(cli)
    return cli.json(
        "document", "add", "DS463", "https://docs.wto.org/ds463/panel.pdf", "--date", "2015-03-01", "--title", "Panel"
    )


def test_a_dispute_had_nowhere_to_keep_its_dated_documents(cli):
    made = _documented(cli)
    assert {k: made[k] for k in ("date", "title", "location")} == {
        "date": "2015-03-01",
        "title": "Panel",
        "location": "https://docs.wto.org/ds463/panel.pdf",
    }
    untitled = cli.json("document", "add", "DS463", "notes/memo 2015.docx")
    assert untitled["title"] == "memo 2015.docx"
    listed = cli("document", "list").stdout
    assert ["2015-03-01", "DS463", "Panel", "https://docs.wto.org/ds463/panel.pdf"] in [
        line.split()[1:] for line in listed.splitlines()
    ]
    shown = cli.json("show", "DS463")
    assert [d["title"] for d in shown["documents"]] == ["Panel", "memo 2015.docx"]
    assert "- **2015-03-01** Panel: https://docs.wto.org/ds463/panel.pdf" in cli("show", "DS463", "-f", "md").stdout
    cli("document", "rm", made["id"])
    assert [d["title"] for d in cli.json("document", "list", "DS463")] == ["memo 2015.docx"]
    cli("undo")
    assert len(cli.json("document", "list", "DS463")) == 2


def test_documents_go_with_their_dispute_and_come_back_with_undo(cli):
    _documented(cli)
    cli("delete", "DS463", "--yes", "--cascade")
    assert cli.json("document", "list") == []
    assert "Problem" not in cli("doctor").stdout
    cli("undo")
    assert [d["title"] for d in cli.json("document", "list")] == ["Panel"]


def test_documents_survive_export_and_import_and_the_library_reads_them(cli, tmp_path):
    _documented(cli)
    exported = tmp_path / "out.json"
    cli("export", "--format", "json", "--output", str(exported))
    other = tmp_path / "other.json"
    cli("--db", str(other), "import", str(exported))
    [back] = cli.json("--db", str(other), "document", "list", "DS463")
    assert (back["title"], back["date"], back["location"]) == (
        "Panel",
        "2015-03-01",
        "https://docs.wto.org/ds463/panel.pdf",
    )

    import disputes

    register = disputes.open(other)
    made = register.document("DS462", "https://example.org/a.pdf", date="2016-01-02")
    assert made["title"] == "a.pdf"
    assert sorted(register.frame("documents")["title"]) == ["Panel", "a.pdf"]
    register.remove_document(made["id"])
    assert list(register.frame("documents")["title"]) == ["Panel"]


def test_a_document_without_location_or_on_no_dispute_is_refused_and_changes_nothing(cli, store_path):
    from conftest import assert_one_error_line

    _twins(cli)
    before = store_path.read_bytes()
    assert_one_error_line(cli("document", "add", "DS463", "  ", expect=2), "path or web address")
    assert_one_error_line(cli("document", "add", "nosuch", "a.pdf", expect=1), "nosuch")
    assert_one_error_line(cli("document", "add", "DS463", "a.pdf", "--date", "someday", expect=2), "document date")
    assert store_path.read_bytes() == before


def test_doctor_names_a_damaged_document(cli, store_path):
    import json

    made = _documented(cli)
    data = json.loads(store_path.read_bytes())
    data["documents"][made["id"]]["location"] = 5
    store_path.write_text(json.dumps(data, indent=1))
    assert f"document {made['id']}" in json.loads(cli("doctor", "--json", expect=None).stdout)["problems"][0]


def test_a_schema_17_store_opens_with_an_empty_documents_table(cli, store_path):
    import json

    from disputes.store.migrations import SCHEMA

    _twins(cli)
    data = json.loads(store_path.read_bytes())
    del data["documents"]
    data["_meta"]["schema"] = 17
    store_path.write_text(json.dumps(data, indent=1))
    assert cli.json("document", "list") == []
    cli("document", "add", "DS463", "a.pdf")
    assert json.loads(store_path.read_bytes())["_meta"]["schema"] == SCHEMA


def test_two_analysts_documents_merge_record_by_record(cli, store_path, tmp_path):
    import shutil

    _twins(cli)
    base, theirs = tmp_path / "base.json", tmp_path / "theirs.json"
    shutil.copy(store_path, base)
    shutil.copy(store_path, theirs)
    cli("document", "add", "DS463", "ours.pdf", "--date", "2015-01-01")
    cli("--db", str(theirs), "document", "add", "DS463", "theirs.pdf", "--date", "2015-02-01")
    cli("merge-file", str(base), str(store_path), str(theirs))
    assert [d["title"] for d in cli.json("document", "list", "DS463")] == ["ours.pdf", "theirs.pdf"]
    assert "Problem" not in cli("doctor").stdout


def test_event_list_had_no_csv_naming_each_event_s_disputes_by_ref(cli):
    import csv
    import io

    _twins(cli)
    rows = list(csv.DictReader(io.StringIO(cli("event", "list", "--format", "csv").stdout)))
    assert [(r["date"], r["title"], r["dispute_refs"]) for r in rows] == [
        ("2013-07-09", "Consultations requested", "DS463"),
        ("2026-12-01", "Panel established", "DS462; DS463"),
    ]
    ids = {d["ref"]: d["id"] for d in cli.json("list", "--all")}
    assert rows[1]["disputes"] == f"{ids['DS462']}; {ids['DS463']}"
    assert cli("event", "list", "--format", "csv", "--since", "2030").stdout.splitlines() == [
        "id,date,kind,effect,score,disputes,dispute_refs,title"
    ]


def test_the_digest_gave_no_status_detail_where_the_report_gives_the_one_in_force(cli):
    cli.add("Poultry", "--ref", "DS475", "--opened", "2014-04-08", "--status-detail", "IN CONSULTATIONS")
    cli("status", "DS475", "escalated", "--date", "2018-01-10", "--detail", "AUTHORIZATION TO RETALIATE REQUESTED")
    cli("event", "add", "DS475", "--title", "Talks", "--date", "2016-06-10")
    (entry,) = cli.json("digest", "--month", "2016-06")["unchanged"]
    assert (entry["status"], entry["status_detail"]) == ("open", "IN CONSULTATIONS")
    for fmt in ("terminal", "md", "html"):
        out = " ".join(cli("digest", "--month", "2016-06", "--format", fmt).stdout.split())
        assert "open (IN CONSULTATIONS)" in out, fmt
        assert "AUTHORIZATION" not in out, fmt


def test_the_library_reads_the_views_from_the_content_the_cli_lays_out(cli, store_path):
    import disputes

    _twins(cli)
    cli("deadline", "add", "DS463", "--date", "2026-12-20", "--title", "Reply due")
    register = disputes.open(store_path)
    assert register.show("DS463") == cli.json("show", "DS463")
    assert register.agenda(as_of="2026-12-10", within=30) == cli.json(
        "agenda", "--as-of", "2026-12-10", "--within", "30"
    )
    rows = list(register.timeline(dispute="DS462"))
    assert [(r["title"], r["dispute_names"]) for r in rows] == [("Panel established", ["DS462", "DS463"])]


def test_agenda_had_no_markdown_or_calendar_though_the_issue_lists_both(cli):
    from markdown_it import MarkdownIt

    _twins(cli)
    cli("deadline", "add", "DS463", "--date", "2026-12-20", "--title", "Reply due")
    cli("deadline", "add", "DS462", "--date", "2026-12-05", "--title", "Panel request")
    markdown = cli("agenda", "--as-of", "2026-12-10", "--within", "30", "--format", "md").stdout
    cells = [t.content for t in MarkdownIt("commonmark").enable("table").parse(markdown) if t.type == "inline"]
    assert cells[:1] == ["Agenda as of 2026-12-10"]
    assert cells[cells.index("2026-12-05") :][:4] == ["2026-12-05", "deadline", "overdue", "DS462"]
    assert cells[cells.index("2026-12-20") :][:4] == ["2026-12-20", "deadline", "due", "DS463"]
    ics = cli("agenda", "--as-of", "2026-12-10", "--within", "30", "--format", "ics").stdout
    from icalendar import Calendar

    summaries = [str(e["summary"]) for e in Calendar.from_ical(ics).walk("VEVENT")]
    assert summaries == [
        "DS462 Panel request — Russian Federation — Recycling Fee on Motor Vehicles",
        "DS463 Reply due — Russian Federation — Recycling Fee on Motor Vehicles",
    ]


def test_comment_list_watch_list_and_show_s_relations_named_disputes_by_random_ids(cli):
    _twins(cli)
    cli("comment", "DS463", "Asked Geneva")
    cli("watch", "add", "DS463", "--actors", "RUS")
    cli("link", "DS463", "DS462")
    assert "DS463" in cli("comment", "list").stdout
    assert "DS463" in cli("watch", "list").stdout
    related = cli("show", "DS463").stdout.split("Relations")[1].split("\n\n")[0]
    assert "DS462" in related
    markdown = cli("show", "DS463", "--format", "md").stdout
    assert "DS462" in markdown.split("## Related disputes")[1]
    (link,) = cli.json("show", "DS463")["relations"]
    assert link["ref"] == "DS462"
