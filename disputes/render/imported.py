"""What an import did (or a dry run would do), and what watch rules take from a file, as the terminal says it."""

from __future__ import annotations

from disputes.core.imported import CsvImport, EventDataImport, RuleTried, StoreImport
from disputes.render.layout import hanging
from disputes.render.output import done, terminal_width


def events_imported(result: EventDataImport, name: str) -> None:
    """What an import of event data did (or, with --dry-run, would do), in a few lines."""
    if result["dry_run"]:
        head = f"Would add {result['added']:,} and update {result['updated']:,} events from {name} ({result['format']})"
    else:
        head = (
            f"Imported from {name} ({result['format']}): {result['added']:,} new "
            f"{'event' if result['added'] == 1 else 'events'}, {result['updated']:,} updated"
        )
    lines = [head + f", {result['unchanged']:,} unchanged; {result['rows']:,} rows read."]
    lines.append(f"{result['unmatched']:,} row{'s' * (result['unmatched'] != 1)} matched no watch rule.")
    if result["bad"]:
        lines.append(f"Skipped {result['bad']:,} bad row{'s' * (result['bad'] != 1)}:")
        lines += [f"  line {p['line']}: {p['problem']}" for p in result["problems"]]
        if result["bad"] > len(result["problems"]):
            lines.append(f"  … and {result['bad'] - len(result['problems']):,} more")
    for dispute, count in result["by_dispute"].items():
        lines.append(f"  {dispute}  {count:,} event{'s' * (count != 1)}")
    if result["dry_run"]:
        shown = result["events"][:50]
        for event in shown:
            mark = "new    " if event["new"] else "update "
            lines.append(f"  {mark}{event['date']}  {event['title']}  [{', '.join(event['disputes'])}]")
        if len(result["events"]) > len(shown):
            lines.append(f"  … and {len(result['events']) - len(shown):,} more (--json lists them all)")
        lines.append("Nothing was written (--dry-run).")
    done("\n".join(lines))


def export_imported(result: StoreImport, name: str) -> None:
    """What an import of a JSON export did or, with --dry-run, would do: the records of each table."""
    from disputes.core.vocabulary import TABLES, counted

    counts = ", ".join(counted(n, table) for table, n in result.items() if table in TABLES)
    lines = hanging(f"{'Would import' if result['dry_run'] else 'Imported'} {counts} from {name}.", terminal_width(), 2)
    if result["dry_run"]:
        lines.append("Nothing was written (--dry-run).")
    done("\n".join(lines))


def csv_imported(result: CsvImport, name: str) -> None:
    """What an import of a CSV file did or, with --dry-run, would do: the disputes, updates and
    conflicts, the rows merged and skipped; for a dry run its first rows and every status phrase."""
    from disputes.core.vocabulary import counted

    told = [f"{result[key]:,} {key}" for key in ("updated", "unchanged") if key in result]
    if result.get("conflicts"):
        told.append(counted(result["conflicts"], "conflict"))
    width = terminal_width()
    verb = "Would import" if result["dry_run"] else "Imported"
    head = f"{verb} {counted(result['disputes'], 'disputes')} from {name}"
    lines = hanging(head + (f" ({', '.join(told)})" if told else "") + ".", width, 2)
    if result.get("conflicts"):
        lines += hanging(
            "Fields changed both here and in the source keep this store's value: `disputes conflicts` lists "
            "the source's, `disputes conflicts restore ID` takes one.",
            width,
            2,
        )
    if "merged" in result:  # --merge-rows
        merged = result["merged"]
        lines += hanging(f"{merged['rows']:,} rows went into {counted(merged['disputes'], 'disputes')}.", width, 2)
        for ref, names in merged["both_sides"].items():
            lines += hanging(f"{ref}: {', '.join(names)} in opposite roles across its rows: plain parties.", width, 2)
    if "statuses" in result:  # --dry-run
        lines += _csv_preview(result, width)
    verb = "Would skip" if result["dry_run"] else "Skipped"
    for row in result["skipped"]:
        lines += hanging(f"{verb} line {row['line']}: {row['problem']}", width, 2)
    if result["dry_run"]:
        lines.append("Nothing was written (--dry-run).")
    done("\n".join(lines))


def _csv_preview(preview: CsvImport, width: int | None) -> list[str]:
    """What a CSV import makes of a file: its first rows, every status phrase and its status."""
    from disputes.render.common import with_roles

    lines = ["", f"{preview['rows']:,} rows read; the first {len(preview['first'])}:"]
    for row in preview["first"]:
        lines += ["", *hanging(f"line {row['line']}: {row.get('ref') or '(no ref)'}  {row['title']}", width, 4)]
        facts = [
            f"status {row['status']} on {row['status_date']}"
            + (f" ({row['status_detail']})" if row.get("status_detail") else ""),
            f"opened {row['opened']}" if row.get("opened") else "",
            f"parties {with_roles(row.get('parties', ()), row.get('roles', {}))}" if row.get("parties") else "",
        ]
        lines += hanging("    " + "; ".join(fact for fact in facts if fact), width, 4)
    lines += ["", "Status phrases (rows: phrase → status):"]
    lines += [
        line
        for entry in preview["statuses"]
        for line in hanging(f"  {entry['rows']:>5,}  {entry['phrase'] or '(none)'} → {entry['status']}", width, 9)
    ]
    if not preview["status_date"]:
        lines += ["", "Statuses would be dated today: --status-date DAY dates them on the day the list was true."]
    return [*lines, ""]


def watch_tried(found: list[RuleTried], name: str) -> None:
    """What each watch rule takes from an event-data file: its count of rows, and examples."""
    width = terminal_width()
    lines: list[str] = []
    for tried in found:
        head = (
            f"Rule {tried['rule']} ({tried['watching']}, dispute {tried['dispute']}) matches "
            f"{tried['matched']:,} of {tried['rows']:,} rows of {name}: {tried['events']:,} events"
            + (f"; {tried['bad']:,} bad rows" if tried["bad"] else "")
        )
        lines += [*([""] if lines else []), *hanging(head, width, 2)]
        lines += [line for ex in tried["examples"] for line in hanging(f"  {ex['date']}  {ex['title']}", width, 14)]
    done("\n".join(lines))
