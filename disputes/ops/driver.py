"""The merge driver's launcher: a small script in the repository's git folder that finds
`disputes` wherever it is installed now, so that a moved or rebuilt virtual environment
does not break merges (git's config would otherwise hold one interpreter's path)."""

from __future__ import annotations

import shlex
import subprocess
import sys
from pathlib import Path

NAME = "disputes-merge-driver"

SCRIPT = r"""#!/bin/sh
# The disputes merge driver, written by `disputes git-setup`. It runs disputes from where it
# was installed when the driver was set up, else from PATH, else from python3; `--check`
# only says whether it found one. `disputes git-setup` writes it again.
recorded={python}
if [ -x "$recorded" ] && "$recorded" -c 'import disputes' >/dev/null 2>&1; then
  set -- "$recorded" -m disputes merge-file "$@"
elif command -v disputes >/dev/null 2>&1; then
  set -- disputes merge-file "$@"
elif command -v python3 >/dev/null 2>&1 && python3 -c 'import disputes' >/dev/null 2>&1; then
  set -- python3 -m disputes merge-file "$@"
else
  echo "disputes merge driver: disputes is not installed where git can find it; run disputes git-setup again" >&2
  exit 1
fi
case "$*" in *merge-file\ --check) exit 0 ;; esac
exec "$@"
"""


def git_dir(repo: Path) -> Path:
    """The repository's git folder (`.git`, or a worktree's common one)."""
    done = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "--git-common-dir"], capture_output=True, text=True, check=True
    )
    folder = Path(done.stdout.strip())
    return folder if folder.is_absolute() else (repo / folder).resolve()


def install(repo: Path) -> tuple[Path, str]:
    """Write the launcher into the git folder; the driver command git's config should hold."""
    script = git_dir(repo) / NAME
    script.write_text(SCRIPT.format(python=shlex.quote(sys.executable)), encoding="utf-8", newline="\n")
    script.chmod(0o755)
    return script, f"sh {shlex.quote(str(script))} %O %A %B"


def runs(command: str) -> bool:
    """Whether a configured driver command can run disputes now (the launcher's own check,
    or, for an older setup, the interpreter its command names)."""
    words = shlex.split(command)
    try:
        if len(words) >= 2 and words[0] == "sh" and words[1].endswith(NAME):
            return (
                Path(words[1]).exists()
                and subprocess.run(["sh", words[1], "--check"], capture_output=True).returncode == 0
            )
        if words and words[0] != "disputes":  # `<python> -m disputes merge-file ...`, as older versions wrote
            return subprocess.run([words[0], "-c", "import disputes"], capture_output=True).returncode == 0
    except OSError:  # the program it names is gone
        return False
    return True
