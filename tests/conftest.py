"""Every test gets its own empty store through $DISPUTES_DB; nothing touches the real home."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import typer.main
import typer.testing
from typer.testing import CliRunner

import disputes
from disputes.cli import app

# The CLI runs in child processes too (ptys, pipes, two processes at once). A user's install
# has its bytecode compiled by pip; a source checkout under PYTHONDONTWRITEBYTECODE has none,
# and every child would compile each module again: compile them once, as pip would.
__import__("compileall").compile_dir(Path(disputes.__file__).parent, quiet=1)

# Typer's runner builds the whole command tree on every invoke (8.5 of 10.6 ms a call):
# build ours once for the run, and hand that to the runner.
COMMAND = typer.main.get_command(app)
typer.testing._get_command = lambda typer_app: COMMAND if typer_app is app else typer.main.get_command(typer_app)


@pytest.fixture(autouse=True)
def store_path(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "store" / "disputes.json"
    monkeypatch.setenv("DISPUTES_DB", str(path))
    monkeypatch.delenv("NO_COLOR", raising=False)
    return path


class Cli:
    """Runs the real CLI in-process, as a user would type it."""

    def __init__(self):
        self.runner = CliRunner()

    def __call__(self, *args: str, input: str | None = None, expect: int | None = 0, env: dict | None = None):
        result = self.runner.invoke(app, list(args), input=input, env=env, prog_name="disputes")
        if expect is not None:
            assert result.exit_code == expect, (
                f"exit {result.exit_code}, expected {expect}\nstdout: {result.stdout}\nstderr: {result.stderr}"
            )
        return result

    def json(self, *args: str):
        return json.loads(self(*args, "--json").stdout)

    def add(self, title: str, *options: str) -> dict:
        return self.json("add", title, *options)


def later(monkeypatch, seconds: int = 2) -> None:
    """Move the store's clock forward (the next stamps are newer), instead of sleeping."""
    from disputes.core import dates

    moved = dates.utc() + __import__("datetime").timedelta(seconds=seconds)
    monkeypatch.setattr(dates, "utc", lambda: moved)


@pytest.fixture
def cli() -> Cli:
    return Cli()


def disputes_command() -> list[str]:
    """The installed `disputes` command, or the module when only the source is at hand."""
    found = shutil.which("disputes")
    return [found] if found else [sys.executable, "-m", "disputes"]


def run(
    *args: str, cwd: Path | None = None, env: dict | None = None, timeout: float = 60
) -> subprocess.CompletedProcess:
    """Run the real `disputes` command in a child process."""
    return subprocess.run(
        [*disputes_command(), *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        timeout=timeout,
    )


def assert_one_error_line(result, *fragments: str) -> None:
    """A failed command says what went wrong in one line on stderr, and no traceback."""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, f"expected one error line, got: {result.stderr!r}"
    assert lines[0].startswith("Error: "), lines[0]
    assert "Traceback" not in result.stderr + result.stdout
    for fragment in fragments:
        assert fragment in lines[0], f"{fragment!r} not in {lines[0]!r}"


def on_terminal(*args: str, env: dict, width: int = 200, answer: bytes = b"", expect: int | None = 0) -> str:
    """What the real command writes on a terminal `width` columns wide (a pty), as text;
    `answer` is typed to it, and its exit status is `expect` (None: any)."""
    import fcntl
    import pty
    import struct
    import termios

    leader, follower = pty.openpty()
    fcntl.ioctl(follower, termios.TIOCSWINSZ, struct.pack("HHHH", 500, width, 0, 0))
    quiet = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    process = subprocess.Popen(
        [*disputes_command(), "--no-pager", *args],
        stdin=follower,
        stdout=follower,
        stderr=follower,
        env={**quiet, "TERM": "xterm-256color", "PAGER": "cat", **env},
    )
    os.close(follower)
    if answer:
        os.write(leader, answer)
    chunks = []
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed: all was read
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait(timeout=60)
    os.close(leader)
    written = b"".join(chunks).decode("utf-8", "replace")
    assert expect is None or process.returncode == expect, written
    return written


def git(folder: Path, *args: str) -> str:
    """A git command in a repository, its output (failing the test if git fails)."""
    return subprocess.run(["git", "-C", str(folder), *args], check=True, capture_output=True, text=True).stdout


NEEDS_GIT = pytest.mark.skipif(
    subprocess.run(["git", "--version"], capture_output=True).returncode != 0, reason="git is not installed"
)


WTO = Path(__file__).parent / "data" / "wto_disputes.csv"  # the real list, see data/SOURCE.md
# The documented mapping of the WTO list (see docs/data-in-and-out.md): the source's status phrase is kept in
# status_detail, and mapped to our states, first matching pattern wins.
WTO_STATUS_MAP = [
    ("IN CONSULTATIONS", "negotiating"),
    ("SETTLED OR TERMINATED*", "resolved"),
    ("IMPLEMENTATION NOTIFIED*", "resolved"),
    ("MUTUALLY ACCEPTABLE SOLUTION*", "resolved"),
    ("*NO FURTHER ACTION REQUIRED", "resolved"),
    ("*WITHOUT FINDING OF NON-COMPLIANCE", "resolved"),
    ("*LAPSED", "closed"),
    ("*RETALIATE*", "escalated"),
    ("PANEL*", "escalated"),
    ("COMPLIANCE*", "escalated"),
]
WTO_ARGS = [
    "import",
    str(WTO),
    "--map",
    "#1=ref",
    "--map",
    "title=title",
    "--map",
    "complainant=complainant",
    "--split",
    "complainant=; ",
    "--derive",
    "respondent=title:^(.+?) — ",
    "--status-date",
    "2018-02",
    "--map",
    "consultation_requested=opened",
    "--map",
    "curr_stat=status_detail",
    "--set",
    "topic=trade",
    "--set",
    "tags=wto",
    *[arg for pattern, state in WTO_STATUS_MAP for arg in ("--status-map", f"{pattern}={state}")],
]


def whole_store(path: Path) -> dict:
    """A store as one JSON object: the register's tables and, for the tables that grow with
    time, the records of its segment files (`<register>.d/`, docs/storage.md) merged in."""
    data = json.loads(Path(path).read_bytes())
    folder = Path(str(path) + ".d")
    for file in sorted(folder.glob("*/[!.]*.json")) if folder.is_dir() else ():
        segment = json.loads(file.read_bytes())
        table = file.parent.name
        data.setdefault(table, {}).update(segment.get(table, {}))
    for table in ("events", "history"):
        data.setdefault(table, {})
    return data
