"""Sharing a store through git: the merge driver and its setup, and `sync` (commit, pull, push).

Git does the moving; the merge driver (`disputes merge-file`, rules in core/record_merge.py)
merges the store record by record, so two analysts' changes meet without conflict markers.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from disputes.core.errors import DisputesError, StoreError
from disputes.core.jsontypes import JsonRecord
from disputes.ops import driver
from disputes.store import file_merge
from disputes.store.author import author_of
from disputes.store.database import open_store
from disputes.store.files import write_atomically
from disputes.store.lock import StoreLock
from disputes.store.paths import ignore_patterns

DRIVER = "disputes"


class GitError(DisputesError):
    """A git command failed; the message carries git's own words."""


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    try:
        done = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True)
    except FileNotFoundError:
        raise GitError("git is not installed: install it to share a store") from None
    if check and done.returncode != 0:
        raise GitError(f"git {args[0]} failed: {said_by(done)}")
    return done


def said_by(done: subprocess.CompletedProcess[str]) -> str:
    """What git said went wrong, in one line: its `fatal:` and `error:` lines (the cause),
    not the advice that follows them."""
    lines = [line.strip() for line in (done.stderr or done.stdout).splitlines() if line.strip()]
    causes = [line.split(":", 1)[1].strip() for line in lines if line.startswith(("fatal:", "error:"))]
    return "; ".join(dict.fromkeys(causes)) or (lines[0] if lines else "no message")


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


def _glob_escaped(text: str) -> str:
    """A path as a git pattern matching only itself: glob characters escaped."""
    return "".join("\\" + ch if ch in "\\*?[" else ch for ch in text)


def attributes_line(relative: str) -> str:
    """The .gitattributes line that gives the store the merge driver, whatever its name.

    Spaces and quotes need git's C-style quoting there, glob characters a backslash.
    """
    pattern = _glob_escaped(relative)
    if any(ch in pattern for ch in ' \t"'):
        pattern = '"' + pattern.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{pattern} merge={DRIVER}"


def segments_attributes_line(relative: str) -> str:
    """The .gitattributes line that gives each of the store's segment files the merge driver."""
    pattern = _glob_escaped(relative + ".d") + "/**/*.json"
    if any(ch in pattern for ch in ' \t"'):
        pattern = '"' + pattern.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return f"{pattern} merge={DRIVER}"


def ignore_lines(relative: str) -> list[str]:
    """.gitignore lines for every file the store keeps beside itself (see store/paths.py)."""
    folder, _, name = relative.rpartition("/")
    prefix = f"{folder}/" if folder else ""
    store, hidden = _glob_escaped(relative), prefix + "." + _glob_escaped(name)
    lines = ignore_patterns(store, hidden)
    return ["\\" + line if line[0] in "#!" else line for line in lines]


def setup(store: Path) -> list[str]:
    """Install the record-level merge driver for the store in its repository; say what was done."""
    repo = repository_of(store)
    relative = store.resolve().relative_to(repo).as_posix()
    _, command = driver.install(repo)  # a launcher in .git that finds disputes wherever it is now
    done = []
    if git(repo, "config", "--get", f"merge.{DRIVER}.driver", check=False).stdout.strip() != command:
        git(repo, "config", f"merge.{DRIVER}.name", "disputes record-level merge")
        git(repo, "config", f"merge.{DRIVER}.driver", command)
        done.append(f"git config merge.{DRIVER}.driver = {command}")
    done += _add_lines(repo / ".gitattributes", [attributes_line(relative), segments_attributes_line(relative)])
    done += _add_lines(repo / ".gitignore", ignore_lines(relative))
    return done


def driver_problem(store: Path) -> str | None:
    """What is wrong with the store's git merge driver, if it is set up and cannot run."""
    if not store.parent.is_dir():
        return None
    try:
        repo = repository_of(store)
        command = git(repo, "config", "--get", f"merge.{DRIVER}.driver", check=False).stdout.strip()
    except DisputesError:  # not in a repository, or no git: nothing to check
        return None
    if command and not driver.runs(command):
        return (
            f"the git merge driver ({command}) cannot run disputes any more (a moved or rebuilt virtual "
            "environment?): run `disputes git-setup` in the repository to set it up again"
        )
    return None


def _add_lines(path: Path, lines: list[str]) -> list[str]:
    existing = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
    missing = [line for line in lines if line not in existing]
    if missing:
        with path.open("a", encoding="utf-8", newline="\n") as handle:
            handle.write("".join(f"{line}\n" for line in missing))
        return [f"added to {path.name}: {', '.join(missing)}"]
    return []


def is_set_up(store: Path) -> bool:
    """Whether git will use the merge driver for this store (asked of git itself)."""
    repo = repository_of(store)
    relative = store.resolve().relative_to(repo).as_posix()
    command = git(repo, "config", "--get", f"merge.{DRIVER}.driver", check=False).stdout.strip()
    configured = bool(command) and driver.runs(command)
    attribute = git(repo, "check-attr", "merge", "--", relative, check=False).stdout.strip()
    return configured and attribute.endswith(f": merge: {DRIVER}")


def sync_store(store: Path, *, push: bool = True, remote: str | None = None, lock_timeout: float) -> list[str]:
    """`sync` for a store: its pending changes described in the commit, git run under its lock."""

    from disputes.core.record_merge import decided_said

    with open_store(store) as opened:
        message = commit_message(store, opened.records("history"))
        before = set(opened.records("history"))
    with StoreLock(store, timeout=lock_timeout):
        said = sync(store, message, push=push, remote=remote)
        theirs = _their_history(store)
    with open_store(store) as opened:
        # the merge entries this sync's own merge wrote: new here, and not pulled in from theirs
        ours = [e for key, e in opened.records("history").items() if key not in before and key not in theirs]
    new = sum(len(entry.get("decisions", ())) for entry in ours if entry.get("action") == "merge")
    if new > 0:
        said.append(f"the {decided_said(new)}; see `disputes conflicts`")
    return said


def _their_history(store: Path) -> set[str]:
    """The keys of the history entries of the side a pull merged in (none after a fast-forward)."""
    repo = repository_of(store)
    relative = store.resolve().relative_to(repo).as_posix()
    theirs = subprocess.run(["git", "-C", str(repo), "show", f"HEAD^2:{relative}"], capture_output=True)
    if theirs.returncode != 0:
        return set()
    import tempfile

    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / store.name
        copy.write_bytes(theirs.stdout)
        with open_store(copy) as opened:
            return set(opened.records("history"))


def sync(store: Path, message: str, *, push: bool = True, remote: str | None = None) -> list[str]:
    """Commit the store's pending changes, pull (merging record by record) and push.

    With no upstream branch, the one remote (or `remote`) is used and becomes the
    upstream: a fresh clone of an empty shared repository is published this way. All
    or nothing: on any git failure the repository is put back as it was before.
    """
    repo = repository_of(store)
    said = [] if is_set_up(store) else setup(store)
    relative = store.resolve().relative_to(repo).as_posix()
    shared = [relative, ".gitattributes", ".gitignore"]
    if (repo / f"{relative}.d").is_dir():  # the segments: the folder is the register (docs/storage.md)
        shared.insert(1, f"{relative}.d")
    before = git(repo, "rev-parse", "-q", "--verify", "HEAD", check=False).stdout.strip()
    if not before:  # a clone made before anything was published: take what was, then add ours
        said += _join(repo, shared, remote=remote, push=push)
        before = git(repo, "rev-parse", "-q", "--verify", "HEAD", check=False).stdout.strip()
    git(repo, "add", "--", *(path for path in shared if (repo / path).exists()))
    committed = git(repo, "diff", "--cached", "--quiet", check=False).returncode != 0
    if committed:
        git(repo, "commit", "-q", "-m", message)
        said.append(f"committed: {message.splitlines()[0]}")
    else:
        said.append("nothing to commit")
    try:
        said += _exchange(repo, push=push, remote=remote)
    except GitError:
        _put_back(repo, before, committed, shared)
        raise
    return said


def _join(repo: Path, shared: list[str], *, remote: str | None, push: bool) -> list[str]:
    """A branch with no commit yet, in a clone of a repository someone has published to
    since: set our store and setup files aside, pull what was published, then merge ours in
    (the store record by record, as two stores with no common past; the setup files line by
    line). Without a published branch there is nothing to join."""
    branch = git(repo, "symbolic-ref", "--short", "HEAD").stdout.strip()
    remote = remote or _only_remote(repo, push)
    if remote is None or not _has_branch(repo, remote, branch):
        return []
    ours = {path: (repo / path).read_bytes() for path in shared if (repo / path).is_file()}
    for path in ours:
        (repo / path).unlink()
    try:
        _pull(repo, [remote, branch])
    except GitError:
        for path, content in ours.items():
            (repo / path).write_bytes(content)
        raise
    git(repo, "branch", f"--set-upstream-to={remote}/{branch}", check=False)
    for path, content in ours.items():
        target = repo / path
        if path == shared[0] and target.exists():
            merged, _ = file_merge.merge_files(b"", target.read_bytes(), content, author=author_of(target))
            write_atomically(target, merged, backup=False)
        elif path == shared[0]:
            target.write_bytes(content)
        else:
            _add_lines(target, content.decode("utf-8", "replace").splitlines())
    return [f"joined {remote}/{branch}: pulled what was published, and merged this clone's own changes in"]


def _exchange(repo: Path, *, push: bool, remote: str | None) -> list[str]:
    branch = git(repo, "symbolic-ref", "--short", "HEAD").stdout.strip()
    configured = git(repo, "config", "--get", f"branch.{branch}.remote", check=False).stdout.strip()
    remote = remote or configured or _only_remote(repo, push)
    if remote is None:
        return ["no remote: the change is committed here only (--no-push)"]
    said = []
    if _has_branch(repo, remote, branch):
        _pull(repo, [remote, branch])
        said.append(f"pulled from {remote}/{branch}")
    if push:
        tracked = git(repo, "rev-parse", "--abbrev-ref", f"{branch}@{{u}}", check=False).stdout.strip()
        git(repo, "push", "-q", "--set-upstream", remote, branch)
        new = "" if tracked == f"{remote}/{branch}" else f", now the upstream of {branch}"
        said.append(f"pushed to {remote}/{branch}{new}")
    return said


def _has_branch(repo: Path, remote: str, branch: str) -> bool:
    found = git(repo, "ls-remote", "--exit-code", "--heads", remote, branch, check=False)
    if found.returncode not in (0, 2):  # 2: reached, no such branch yet
        raise GitError(f"cannot reach the remote {remote!r}: {said_by(found)}")
    return found.returncode == 0


def _only_remote(repo: Path, push: bool) -> str | None:
    remotes = git(repo, "remote").stdout.split()
    if len(remotes) == 1:
        return remotes[0]
    if not remotes:
        if not push:
            return None
        raise GitError(
            "the repository has no remote to share with: add one with `git remote add origin URL`, "
            "or use `sync --no-push` to commit here only"
        )
    raise GitError(f"the repository has several remotes ({', '.join(remotes)}): choose one with `sync --remote NAME`")


def _pull(repo: Path, where: list[str]) -> None:
    pulled = git(repo, "pull", "-q", "--no-rebase", "--no-edit", "--allow-unrelated-histories", *where, check=False)
    if pulled.returncode != 0:
        raise GitError(f"git pull failed, nothing was merged: {said_by(pulled)}")


def _put_back(repo: Path, before: str, committed: bool, paths: list[str]) -> None:
    """Undo a half-done sync: abort the merge, and take back the commit it made."""
    git(repo, "merge", "--abort", check=False)
    if before:
        git(repo, "reset", "-q", "--mixed", before, "--", *paths, check=False)
        if committed:
            git(repo, "reset", "-q", "--soft", before, check=False)
    elif committed:  # the first commit of the branch: back to an unborn branch, changes unstaged
        git(repo, "update-ref", "-d", "HEAD", check=False)
        git(repo, "rm", "-q", "--cached", "--ignore-unmatch", "--", *paths, check=False)


def commit_message(store: Path, history: dict[str, JsonRecord]) -> str:
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
    from disputes.core.changes import cut_at_word

    subject = cut_at_word(entries[-1]["summary"], 60)
    return f"disputes: {len(entries)} change(s): {subject}\n\n" + "\n".join(more + lines)
