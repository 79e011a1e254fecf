"""Checking a store for damage and inconsistency, and repairing what is safe to repair."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from disputes import model
from disputes.dates import parse_date
from disputes.errors import DisputesError, InvalidValue, StoreError
from disputes.storage import backup_path, decode, encode, read_file, write_atomically


@dataclass
class Checkup:
    """What doctor found and did."""

    path: Path
    problems: list[str] = field(default_factory=list)
    fixable: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)

    @property
    def healthy(self) -> bool:
        return not self.problems


def examine(path: Path) -> tuple[Checkup, dict | None]:
    """Check the store at `path`; return the findings and the data when it could be read."""
    checkup = Checkup(path)
    try:
        data = read_file(path)
    except DisputesError as problem:
        checkup.problems.append(str(problem))
        return checkup, None
    if data is None:
        return checkup, None
    from disputes import migrations

    try:
        data.load_all()
    except DisputesError as problem:
        checkup.problems.append(str(problem))
        return checkup, None
    try:
        migrations.upgrade(data, path)
    except StoreError as problem:
        checkup.problems.append(str(problem))
        return checkup, None
    refs: dict[str, str] = {}
    for key, record in data.get("disputes", {}).items():
        checkup.problems.extend(_record_problems(key, record, checkup))
        ref = str(record.get("ref", "")).casefold()
        if ref and ref in refs:
            checkup.problems.append(f"disputes {refs[ref]} and {key} share the reference {record['ref']!r}")
        elif ref:
            refs[ref] = key
    disputes = data.get("disputes", {})
    for key, event in data.get("events", {}).items():
        checkup.problems.extend(_event_problems(key, event, disputes, checkup))
    for key, link in data.get("relations", {}).items():
        missing = [d for d in (link.get("from"), link.get("to")) if d not in disputes] if isinstance(link, dict) else [key]
        if missing:
            checkup.problems.append(f"relation {key} names a missing dispute {missing[0]}")
            checkup.fixable.append(f"remove relation {key}")
    for key, entry in data.get("history", {}).items():
        if not isinstance(entry, dict) or not isinstance(entry.get("changes"), list):
            checkup.problems.append(f"history entry {key} is malformed")
    return checkup, data


def _record_problems(key: str, record, checkup: Checkup) -> list[str]:
    if not isinstance(record, dict):
        return [f"dispute {key} is not an object"]
    problems = []
    if record.get("id") != key:
        problems.append(f"dispute {key} carries the id {record.get('id')!r}")
        checkup.fixable.append(f"dispute {key}: set its id field to {key}")
    checks = {
        "title": lambda v: model.one_line(v, "title", required=True),
        "status": model.status,
        "priority": model.priority,
        "opened": lambda v: v and parse_date(v),
    }
    for name, check in checks.items():
        try:
            check(record.get(name, ""))
        except (InvalidValue, AttributeError, TypeError):
            problems.append(f"dispute {key} has an invalid {name}: {record.get(name)!r}")
    for step in record.get("status_history", []):
        try:
            parse_date(step["date"])
            model.status(step["status"])
        except (InvalidValue, KeyError, TypeError, AttributeError):
            problems.append(f"dispute {key} has an invalid status history step: {step!r}")
    return problems


def _event_problems(key: str, event, disputes: dict, checkup: Checkup) -> list[str]:
    from disputes import events

    if not isinstance(event, dict):
        return [f"event {key} is not an object"]
    problems = []
    fields = {k: event[k] for k in ("date", "title", "kind", "effect", "code") if k in event}
    try:
        events.clean_fields(fields)
        events.clean_fields({"score": event.get("score")})
    except (InvalidValue, AttributeError, TypeError) as problem:
        problems.append(f"event {key}: {problem}")
    dangling = [d for d in event.get("disputes", []) if d not in disputes]
    if dangling:
        problems.append(f"event {key} is linked to missing dispute(s) {', '.join(dangling)}")
        checkup.fixable.append(f"unlink event {key} from missing disputes")
    if len(dangling) == len(event.get("disputes", [])):
        problems.append(f"event {key} is linked to no existing dispute")
    return problems


def fix(path: Path, data: dict, checkup: Checkup) -> None:
    """Apply the safe fixes found by `examine`, write the store, and check it again."""
    disputes = data.get("disputes", {})
    for key, record in disputes.items():
        if isinstance(record, dict) and record.get("id") != key:
            record["id"] = key
            checkup.done.append(f"set the id field of dispute {key}")
    for key, event in data.get("events", {}).items():
        if isinstance(event, dict) and any(d not in disputes for d in event.get("disputes", [])):
            kept = [d for d in event["disputes"] if d in disputes]
            if kept:
                event["disputes"] = kept
                checkup.done.append(f"unlinked event {key} from missing disputes")
    for key in [k for k, r in data.get("relations", {}).items()
                if not isinstance(r, dict) or r.get("from") not in disputes or r.get("to") not in disputes]:
        del data["relations"][key]
        checkup.done.append(f"removed relation {key} to a missing dispute")
    if checkup.done:
        data.rewrite_all()
        write_atomically(path, encode(data))
        checkup.problems = examine(path)[0].problems


def restore(path: Path, checkup: Checkup) -> None:
    """Put the backup in place of a damaged store, keeping the damaged file aside."""
    backup = backup_path(path)
    try:
        payload = backup.read_bytes()
    except FileNotFoundError:
        raise StoreError(f"there is no backup {backup} to restore from") from None
    decode(payload, backup)  # refuse to restore a backup that is itself damaged
    if path.exists():
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        aside = path.with_name(f"{path.name}.damaged-{stamp}")
        shutil.copy2(path, aside)
        checkup.done.append(f"kept the damaged store as {aside}")
    write_atomically(path, payload, backup=False)
    checkup.done.append(f"restored {path} from the backup {backup}")


def run(path: Path, *, repair: bool = False, from_backup: bool = False, lock_timeout: float = 10.0) -> Checkup:
    """Check a store and, when asked, fix it or restore its backup, under the store's lock."""
    from disputes.lock import StoreLock

    if not (repair or from_backup):
        return examine(path)[0]
    with StoreLock(path, timeout=lock_timeout):
        checkup, data = examine(path)
        if from_backup:
            restore(path, checkup)
            done = checkup.done
            checkup = examine(path)[0]
            checkup.done = done
        elif data is not None:
            fix(path, data, checkup)
    return checkup
