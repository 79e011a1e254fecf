"""Who is making a change: the name git signs commits with where the store lives in a
repository ($GIT_AUTHOR_NAME, else `user.name`), else $DISPUTES_AUTHOR, else the login name.
Git's configuration is read as files (the repository's, then the user's), so a command pays
no git process for it."""

from __future__ import annotations

import os
import re
from pathlib import Path

from disputes.core.errors import InvalidValue
from disputes.core.fields import one_line
from disputes.core.patterns import Pattern

ENV_VAR = "DISPUTES_AUTHOR"
_SECTION = Pattern(r"^\s*\[\s*([^\]\s]+)(?:\s+\"[^\"]*\")?\s*\]")
_NAME = Pattern(r"^\s*name\s*=\s*(.*?)\s*$", re.IGNORECASE)


def author_of(store: Path) -> str:
    """The name a change to `store` is recorded under, checked as records check their author
    (one line, not too long), so that what is written can be read back (doctor, import)."""
    name, source, remedy = _found(store)
    return checked(name, source, remedy)


def checked(name: str, source: str = "--author", remedy: str = "give --author one line of text") -> str:
    """`name` as an author, or InvalidValue naming where it came from and how to fix it."""
    try:
        return one_line(name, f"the author name from {source}")
    except InvalidValue as error:
        raise InvalidValue(f"{error}: {remedy}") from None


_FIX = "to one line of at most 300 characters"


def _found(store: Path) -> tuple[str, str, str]:
    """The author's name, where it was found, and how to change it there."""
    repository = _repository(store.parent)
    if repository is not None:
        if os.environ.get("GIT_AUTHOR_NAME", "").strip():  # what git itself would sign a commit with
            return os.environ["GIT_AUTHOR_NAME"], "$GIT_AUTHOR_NAME", f"set $GIT_AUTHOR_NAME {_FIX}"
        for config in (repository / "config", *_user_configs()):
            name = _user_name(config)
            if name:
                return name, f"git's user.name ({config})", "set it with `git config user.name NAME`"
    if os.environ.get(ENV_VAR, "").strip():
        return os.environ[ENV_VAR], f"${ENV_VAR}", f"set ${ENV_VAR} {_FIX}"
    return _login_name(), "the login name", f"set ${ENV_VAR} {_FIX}"


def _login_name() -> str:
    """The login name, found as getpass.getuser finds it (the environment, then the password
    database) without loading getpass and the terminal module its password prompt needs."""
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):
        if os.environ.get(name):
            return os.environ[name]
    try:
        import pwd

        return pwd.getpwuid(os.getuid()).pw_name
    except (OSError, KeyError, ImportError):  # no login name (a container without a passwd entry, no pwd)
        return "unknown"


def _repository(folder: Path) -> Path | None:
    """The git directory of the repository holding `folder`, if any."""
    for candidate in (folder, *folder.parents):
        git = candidate / ".git"
        if git.is_dir():
            return git
        if git.is_file():  # a worktree or submodule: "gitdir: PATH"
            pointed = git.read_text(encoding="utf-8", errors="replace").partition("gitdir:")[2].strip()
            return (candidate / pointed).resolve() if pointed else None
    return None


def _user_configs() -> list[Path]:
    if os.environ.get("GIT_CONFIG_GLOBAL"):  # as git reads it
        return [Path(os.environ["GIT_CONFIG_GLOBAL"])]
    home = Path.home()
    xdg = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    return [home / ".gitconfig", xdg / "git" / "config"]


def _user_name(config: Path) -> str:
    """`user.name` as one git config file sets it (the last setting wins, as in git)."""
    try:
        lines = config.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    section, name = "", ""
    for line in lines:
        header = _SECTION.match(line)
        if header:
            section = header.group(1).lower()
            continue
        found = _NAME.match(line) if section == "user" else None
        if found:
            name = found.group(1).strip('"')
    return name
