"""Sharing a store through git: the merge driver and its setup, and `sync` (commit, pull, push).

Git does the moving; the merge driver (`disputes merge-file`, rules in core/merge.py)
merges the store record by record, so two analysts' changes meet without conflict markers.
"""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

from disputes.core import merge
from disputes.core.errors import DisputesError, StoreError
from disputes.store import migrations
from disputes.store.database import open_store
from disputes.store.fileformat import FORMAT, META, decode, encode
from disputes.store.files import write_atomically
from disputes.store.lock import StoreLock

DRIVER = "disputes"
IGNORED = (".bak", ".lock", ".damaged-*", ".*.tmp")


class GitError(DisputesError):
    """A git command failed; the message carries git's own words."""


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    except FileNotFoundError:
        raise GitError("git is not installed: install it to share a store") from None
    if check and done.returncode != 0:
        words = (done.stderr or done.stdout).strip().splitlines()
        raise GitError(f"git {args[0]} failed: {words[-1] if words else 'no message'}")
    return done


def repository_of(store: Path) -> Path:
    """The top folder of the git repository holding the store, or a clear error."""
    folder = store.resolve().parent
    done = git(folder, "rev-parse", "--show-toplevel", check=False) if folder.is_dir() else None
    if done is None or done.returncode != 0:
        raise StoreError(
            f"store {store} is not in a git repository: run `git init` in {folder}, "
            "or keep the store in a clone of your team's repository"
        )
    return Path(done.stdout.strip())


def setup(store: Path) -> list[str]:
    """Install the record-level merge driver for the store in its repository; say what was done."""
    repo = repository_of(store)
    relative = store.resolve().relative_to(repo).as_posix()
    command = f"{shlex.quote(sys.executable)} -m disputes merge-file %O %A %B"
    done = []
    if git(repo, "config", "--get", f"merge.{DRIVER}.driver", check=False).stdout.strip() != command:
        git(repo, "config", f"merge.{DRIVER}.name", "disputes record-level merge")
        git(repo, "config", f"merge.{DRIVER}.driver", command)
        done.append(f"git config merge.{DRIVER}.driver = {command}")
    done += _add_lines(repo / ".gitattributes", [f"{relative} merge={DRIVER}"])
    done += _add_lines(repo / ".gitignore", [f"{relative}{suffix}" for suffix in IGNORED])
    return done


def _add_lines(path: Path, lines: list[str]) -> list[str]:
    existing = path.read_text().splitlines() if path.exists() else []
    missing = [line for line in lines if line not in existing]
    if missing:
        with path.open("a") as handle:
            handle.write("".join(f"{line}\n" for line in missing))
        return [f"added to {path.name}: {', '.join(missing)}"]
    return []


def is_set_up(store: Path) -> bool:
    repo = repository_of(store)
    relative = store.resolve().relative_to(repo).as_posix()
    attributes = repo / ".gitattributes"
    configured = git(repo, "config", "--get", f"merge.{DRIVER}.driver", check=False).returncode == 0
    return configured and attributes.exists() and f"{relative} merge={DRIVER}" in attributes.read_text()


def sync_store(store: Path, *, push: bool = True, lock_timeout: float) -> list[str]:
    """`sync` for a store: its pending changes described in the commit, git run under its lock."""
    with open_store(store) as opened:
        message = commit_message(store, opened.records("history"))
    with StoreLock(store, timeout=lock_timeout):
        return sync(store, message, push=push)


def sync(store: Path, message: str, *, push: bool = True) -> list[str]:
    """Commit the store's pending changes, pull (merging), and push; say what happened."""
    repo = repository_of(store)
    said = [] if is_set_up(store) else setup(store)
    relative = store.resolve().relative_to(repo).as_posix()
    git(repo, "add", "--", relative, ".gitattributes", ".gitignore")
    if git(repo, "diff", "--cached", "--quiet", check=False).returncode != 0:
        git(repo, "commit", "-q", "-m", message)
        said.append(f"committed: {message.splitlines()[0]}")
    else:
        said.append("nothing to commit")
    remote = git(repo, "rev-parse", "--abbrev-ref", "--symbolic-full-name", "@{u}", check=False)
    if remote.returncode != 0:
        said.append("no upstream branch: nothing pulled or pushed (set one with `git push -u origin HEAD`)")
        return said
    pulled = git(repo, "pull", "-q", "--no-rebase", "--no-edit", check=False)
    if pulled.returncode != 0:
        git(repo, "merge", "--abort", check=False)
        words = (pulled.stderr or pulled.stdout).strip().splitlines()
        raise GitError(f"git pull failed, nothing was merged: {words[-1] if words else 'no message'}")
    said.append(f"pulled from {remote.stdout.strip()}")
    if push:
        git(repo, "push", "-q")
        said.append(f"pushed to {remote.stdout.strip()}")
    return said


def commit_message(store: Path, history: dict[str, dict]) -> str:
    """A commit message listing the changes made since the store was last committed."""
    repo = repository_of(store)
    done = git(repo, "log", "-1", "--format=%ct", "--", str(store.resolve()), check=False)
    since = ""
    if done.stdout.strip():
        import datetime as dt

        since = dt.datetime.fromtimestamp(int(done.stdout.strip()), dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    entries = [history[key] for key in sorted(history) if history[key].get("at", "") >= since]
    if not entries:
        return "disputes: update the register"
    lines = [
        f"- {e['action']}: {e['summary']}" + (f" ({e['note'].splitlines()[0]})" if e.get("note") else "")
        for e in entries[-30:]
    ]
    more = [f"- … and {len(entries) - 30} earlier changes"] if len(entries) > 30 else []
    return f"disputes: {len(entries)} change(s): {entries[-1]['summary'][:60]}\n\n" + "\n".join(more + lines)


def merge_files(base_bytes: bytes, ours_bytes: bytes, theirs_bytes: bytes) -> tuple[bytes, list[dict]]:
    """Merge three store files' bytes (an empty base means the file is new on both sides)."""

    def load(payload: bytes, label: str) -> dict:
        if not payload.strip():
            return {META: {"format": FORMAT, "schema": migrations.SCHEMA}}
        tables = decode(payload, Path(label)).load_all()
        migrations.upgrade(tables, Path(label))
        return {META: tables.meta, **tables}

    merged, decisions = merge.merge_stores(
        load(base_bytes, "base"), load(ours_bytes, "ours"), load(theirs_bytes, "theirs")
    )
    return encode(merged), decisions


def merge_file(base: Path, ours: Path, theirs: Path) -> list[dict]:
    """The merge driver: merge THEIRS into OURS in place, record by record; return the decisions."""
    merged, decisions = merge_files(base.read_bytes(), ours.read_bytes(), theirs.read_bytes())
    write_atomically(ours, merged, backup=False)
    return decisions
