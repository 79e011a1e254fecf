"""Two versions of a store made one: git's merge driver (`disputes merge-file`, with the
store's segment folders beside it) and a store left holding git's conflict markers, which
doctor --fix merges record by record (rules in core/record_merge.py, files in
store/file_merge.py). Setting the driver up, and `sync`, are ops/sharing.py's."""

from __future__ import annotations

import contextlib
import subprocess
from pathlib import Path

from disputes.core.errors import DisputesError, StoreError
from disputes.core.jsontypes import JsonRecord
from disputes.ops.sharing import repository_of
from disputes.store import file_merge
from disputes.store.author import author_of
from disputes.store.files import read_mapped, set_aside, write_atomically
from disputes.store.paths import StoreFiles


def merge_file(base: Path, ours: Path, theirs: Path) -> list[JsonRecord]:
    """The merge driver: merge THEIRS into OURS in place, record by record; return the decisions."""
    versions = []
    for path in (base, ours, theirs):
        try:
            versions.append(read_mapped(path))
        except OSError as error:
            raise StoreError(f"cannot read {path} to merge: {error.strerror or error}") from None
    base_bytes, ours_bytes, theirs_bytes = versions
    merged, decisions = file_merge.merge_files(base_bytes, ours_bytes, theirs_bytes, author=author_of(ours.resolve()))
    write_atomically(ours, merged, backup=False)
    decisions += _merge_folders(base, ours, theirs)
    return decisions


def _merge_folders(base: Path, ours: Path, theirs: Path) -> list[JsonRecord]:
    """Stores named by path with their segment folders beside them (not git's temporary
    copies: git calls the driver once per segment file): each segment file changed on both
    sides merged record by record into OURS's folder, one changed on one side taken."""
    folders = [StoreFiles(path).segments for path in (base, ours, theirs)]
    if not folders[2].is_dir():
        return []
    decisions: list[JsonRecord] = []
    names = {p.relative_to(folders[2]) for p in folders[2].glob("*/[!.]*.json")}
    names |= {p.relative_to(folders[1]) for p in folders[1].glob("*/[!.]*.json")}
    for name in sorted(names):
        b, o, t = (folder / name for folder in folders)
        sides = [p.read_bytes() if p.is_file() else b"" for p in (b, o, t)]
        if sides[1] == sides[2] or sides[2] == sides[0]:
            continue
        if sides[1] == sides[0] and not sides[2]:  # emptied on their side
            o.unlink(missing_ok=True)
            continue
        if sides[1] == sides[0]:
            merged: list[bytes] = [sides[2]]
        else:
            merged, found = file_merge.merge_files(sides[0], sides[1], sides[2], author=author_of(ours.resolve()))
            decisions += found
        o.parent.mkdir(parents=True, exist_ok=True)
        write_atomically(o, merged, backup=False)
    return decisions


def split_conflict(payload: bytes) -> tuple[bytes | None, bytes, bytes]:
    """The base (when git wrote it, as with merge.conflictStyle=diff3), ours and theirs of a
    file holding git conflict markers: each side is that side's whole file."""
    sides: dict[str, list[bytes]] = {"base": [], "ours": [], "theirs": []}
    state, had_base = None, False
    for line in payload.splitlines(keepends=True):
        if line.startswith(b"<<<<<<<") and state is None:
            state = "ours"
        elif line.startswith(b"|||||||") and state == "ours":
            state, had_base = "base", True
        elif line.startswith(b"=======") and state in ("ours", "base"):
            state = "theirs"
        elif line.startswith(b">>>>>>>") and state == "theirs":
            state = None
        elif state is None:
            for lines in sides.values():
                lines.append(line)
        else:
            sides[state].append(line)
    if state is not None:
        raise StoreError("the conflict markers in the store are not complete: restore it with `doctor --restore`")
    base = b"".join(sides["base"]) if had_base else None
    return base, b"".join(sides["ours"]), b"".join(sides["theirs"])


def resolve_conflict_markers(store: Path) -> list[str]:
    """Merge the two sides a plain `git merge` left in the store, record by record, as the
    merge driver would have; the conflicted file is kept aside. Say what was done."""
    payload = store.read_bytes()
    base, ours, theirs = split_conflict(payload)
    said = []
    from_git = _base_from_git(store)
    if from_git is not None:
        base, origin = from_git, "the common ancestor from git"
    elif base is not None:
        origin = "the common ancestor in the markers"
    else:
        base, origin = b"", "no common ancestor (records deleted on one side come back; review them)"
    merged, decisions = file_merge.merge_files(base, ours, theirs, author=author_of(store))
    aside = set_aside(store, "conflicted")
    write_atomically(store, merged, backup=False)
    said.append(f"kept the conflicted store as {aside}")
    said.append(
        f"merged both sides of the git conflict markers record by record, with {origin}; "
        f"{len(decisions)} decision(s), see `disputes conflicts`"
    )
    with contextlib.suppress(DisputesError):
        if repository_of(store):
            said.append("now `git add` the store and commit the merge; `disputes git-setup` avoids this next time")
    return said


def _base_from_git(store: Path) -> bytes | None:
    try:
        repo = repository_of(store)
    except DisputesError:
        return None
    relative = store.resolve().relative_to(repo).as_posix()
    done = subprocess.run(["git", "-C", str(repo), "show", f":1:{relative}"], capture_output=True)
    return done.stdout if done.returncode == 0 else None
