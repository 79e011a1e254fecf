"""Commands for sharing a store through git: git-setup, sync, conflicts, and the merge driver."""

import sys
from pathlib import Path
from typing import Annotated

import typer

from disputes.cli import JsonOption, Settings, _store, app


@app.command("git-setup")
def git_setup() -> None:
    """Install the record-level merge driver for the store's git repository.

    Writes the driver into the repository's config and the store's line into .gitattributes,
    and keeps the lock and backup files out of git. `sync` runs it when needed.

    Example: disputes --db team/disputes.json git-setup
    """
    from disputes import gitsync, render
    from disputes.store import default_path

    for line in gitsync.setup(Settings.db or default_path()) or ["already set up"]:
        render.done(line)


@app.command()
def sync(push: Annotated[bool, typer.Option("--push/--no-push", help="Push after merging (--no-push: a local merge only).")] = True) -> None:
    """Share the store through its git repository: commit pending changes, pull and merge, push.

    Example: disputes --db team/disputes.json sync
    """
    from disputes import gitsync, render
    from disputes.lock import StoreLock
    from disputes.store import default_path, open_store

    path = Settings.db or default_path()
    with open_store(path) as store:
        message = gitsync.commit_message(path, store.records("history"))
    with StoreLock(path, timeout=Settings.lock_timeout):
        said = gitsync.sync(path, message, push=push)
    for line in said:
        render.done(line)


@app.command("merge-file", hidden=True)
def merge_file(base: Path, ours: Path, theirs: Path) -> None:
    """The git merge driver: merge THEIRS into OURS record by record, with BASE as ancestor."""
    from disputes import merge
    from disputes.storage import write_atomically

    merged, decisions = merge.merge_files(base.read_bytes(), ours.read_bytes(), theirs.read_bytes())
    write_atomically(ours, merged, backup=False)
    if decisions:
        sys.stderr.write(f"disputes: the merge decided {len(decisions)} conflict(s): see `disputes conflicts`\n")


@app.command()
def conflicts(as_json: JsonOption = False) -> None:
    """List what merges had to decide (fields changed on both sides, deletes against changes).

    Example: disputes conflicts
    """
    from disputes import history, render

    with _store() as store:
        found = history.decisions(store)
    if as_json:
        render.as_json(found)
    elif not found:
        render.done("No merge has had to decide anything.")
    else:
        for d in found:
            what = f"{d['table'][:-1]} {d['id']}" + (f" field {d['field']}" if d["field"] else "")
            render.done(f"{d['at'].replace('T', ' ')[:16]}  {what}: {d['why']} "
                        f"(kept {d['kept']!r}, dropped {d['dropped']!r})")
