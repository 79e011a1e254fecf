"""What doctor found in a store and did about it, one list per kind of finding."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Checkup:
    """What doctor found and did."""

    path: Path
    problems: list[str] = field(default_factory=list)
    fixable: list[str] = field(default_factory=list)
    done: list[str] = field(default_factory=list)
    leftovers: list[Path] = field(default_factory=list)  # what killed writers left beside the store
    unreadable: bool = False  # the file itself is damaged: only a restore can help
    conflicted: bool = False  # git left conflict markers: --fix merges both sides
    foreign: str = ""  # why the file is another tool's: nothing to fix or restore
    newer: bool = False  # written by a newer disputes: upgrade, neither fix nor restore
    wrong_indexes: list[str] = field(default_factory=list)  # tables whose index disagrees with them
    invalid: dict[str, list[str]] = field(default_factory=dict)  # table -> records --fix removes (registry.on_invalid)
    orphans: dict[str, list[str]] = field(default_factory=dict)  # table -> records whose `parent` is missing
    stale_view: bool = False  # the view in use in this copy no longer exists: --fix stops using it
    reformed: list[tuple[str, str, str, object]] = field(default_factory=list)  # (table, key, field, value) to write
    lost_segments: dict[str, int] = field(default_factory=dict)  # segment -> records it held: --fix drops it
    adopted: dict[str, Path] = field(default_factory=dict)  # segment -> the renamed file --fix puts back
    strays: list[Path] = field(default_factory=list)  # segment files the register does not name: --fix sets aside
    copies: dict[str, tuple[str, str, dict[str, object]]] = field(
        default_factory=dict
    )  # key -> (table, kept in, record)
    missing_folder: str = ""  # the register names segments and has no folder beside it: --fix refuses

    @property
    def healthy(self) -> bool:
        return not self.problems
