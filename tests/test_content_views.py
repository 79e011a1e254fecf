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


def _table_lists(source: str) -> list[tuple[int, list[str]]]:
    """The constant collections of a module's source that name three tables or more: a list
    of tables kept by hand."""
    import ast

    from disputes.core.kinds import TABLES

    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            items = node.elts
        elif isinstance(node, ast.Dict) and all(isinstance(v, ast.Constant) for v in node.values):
            items = [key for key in node.keys if key is not None]
        else:
            continue
        named = [item.value for item in items if isinstance(item, ast.Constant) and item.value in TABLES]
        if len(named) >= 3:
            found.append((node.lineno, named))
    return found


def test_no_list_of_tables_is_kept_by_hand_outside_the_registry():
    from pathlib import Path

    package = Path(__file__).resolve().parent.parent / "disputes"
    # the registry's list itself; a migration names the tables of its day's schema
    allowed = {"core/kinds.py", "core/registry.py", "store/migrations.py"}
    kept = {}
    for module in package.rglob("*.py"):
        name = module.relative_to(package).as_posix()
        if name not in allowed and (found := _table_lists(module.read_text(encoding="utf-8"))):
            kept[name] = found
    assert kept == {}


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
    shown = cli.json("show", "DS463")
    terminal = cli("show", "DS463").stdout
    markdown = cli("show", "DS463", "--format", "md").stdout
    for entry in SHOWN:
        assert len(shown[entry.table]) == 1, entry.table
        assert entry.shown in terminal, entry.table
        assert f"## {entry.shown}" in markdown, entry.table
    assert "- **2026-12-20** Reply due" in markdown
    assert "Gazprom says no" in terminal
