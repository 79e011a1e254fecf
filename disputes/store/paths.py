"""Every file a store keeps beside itself, named in one place.

The store, the lock, `git-setup` (what git must ignore), `doctor` (what an interrupted write
left) and the output check (what a report must never overwrite) all read this module, so a
file added beside the store is added here once and known to all of them.
"""

from __future__ import annotations

import os
from pathlib import Path

from disputes.core.frozen import Frozen

ENV_VAR = "DISPUTES_DB"  # names the store when --db is not given

# Copies of the whole store set aside under `<store>.<why>-<time>-<n>`, by why they were kept.
ASIDE = ("damaged", "conflicted", "before-fix", "stray")  # stray: a segment file the register does not name


class StoreFiles(Frozen):
    """The store file and the files beside it, for one store path."""

    store: Path

    def _beside(self, suffix: str) -> Path:
        return self.store.with_name(self.store.name + suffix)

    @property
    def backup(self) -> Path:
        """The previous good version of the store."""
        return self._beside(".bak")

    @property
    def segments(self) -> Path:
        """The folder of the register's segments (docs/storage.md): what grows with time."""
        return self._beside(".d")

    @property
    def undo(self) -> Path:
        """The ids of this copy's own history entries, for undo: never shared through git, so
        a teammate's undo never reaches your commands."""
        return self._beside(".undo")

    @property
    def view(self) -> Path:
        """The view in use in this copy (`view use`): like the undo log, never shared."""
        return self._beside(".view")

    @property
    def lock(self) -> Path:
        return self._beside(".lock")

    @property
    def holder(self) -> Path:
        """Who holds the lock (pid, host, since), for messages only."""
        return self._beside(".lock.holder")

    def temporary(self) -> Path:
        """A new file to write the next version into before it is renamed over the store."""
        return self.store.with_name(f".{self.store.name}.{os.getpid()}.{os.urandom(4).hex()}.tmp")

    def staging(self) -> Path:
        """Where the next backup is linked before it replaces the old one."""
        return self.store.with_name(f".{self.store.name}.bak.{os.getpid()}.{os.urandom(4).hex()}")

    def aside(self, why: str, stamp: str, number: int) -> Path:
        assert why in ASIDE, why
        return self._beside(f".{why}-{stamp}-{number}")

    def own(self) -> tuple[Path, ...]:
        """The files that hold the store's state: never to be overwritten by an output."""
        return (self.store, self.backup, self.undo, self.view, self.lock, self.holder)

    def leftover_globs(self) -> tuple[str, ...]:
        """Globs (in the store's folder) of what an interrupted write can leave behind."""
        return (f".{self.store.name}.*.tmp", f".{self.store.name}.bak.*")

    def is_beside(self, path: Path) -> bool:
        """Whether `path` is the store or one of the files kept beside it (aside copies too)."""
        target = Path(os.path.realpath(path))
        if target in {Path(os.path.realpath(p)) for p in self.own()}:
            return True
        name = target.name
        return target.parent == Path(os.path.realpath(self.store.parent)) and (
            any(name.startswith(f"{self.store.name}.{why}-") for why in ASIDE)
            or any(Path(name).match(glob) for glob in self.leftover_globs())
        )


def named_by(path: Path) -> str:
    """Where the user named the store at `path`, for messages that say what to change: "in
    $DISPUTES_DB" when that names it, else "with --db" (a folder named by $DISPUTES_DB was
    blamed on a --db never given)."""
    given = os.environ.get(ENV_VAR, "")
    if given.strip() and os.path.realpath(Path(given).expanduser()) == os.path.realpath(path):
        return f"in ${ENV_VAR}"
    return "with --db"


def ignore_patterns(name_glob: str, hidden_glob: str) -> list[str]:
    """What git must not track beside a store: `name_glob` is the store's path in the repository
    as a glob, `hidden_glob` the same with the file name's leading dot (temporary files)."""
    return [
        f"{name_glob}.bak",
        f"{name_glob}.undo",
        f"{name_glob}.view",
        f"{name_glob}.lock",
        f"{name_glob}.lock.holder",
        *(f"{name_glob}.{why}-*" for why in ASIDE),
        f"{hidden_glob}.*.tmp",
        f"{hidden_glob}.bak.*",
        f"{name_glob}.d/**/.*.json.new",
        f"{name_glob}.d/**/.*.json.old",
        f"{name_glob}.d/**/*.damaged-*",
        f"{name_glob}.d/**/.*.tmp",
        f"{name_glob}.d/.moving/",
    ]
