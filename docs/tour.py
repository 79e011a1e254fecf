"""The README's tour as a new user meets it: each `$ disputes ...` line of the README's
console blocks run in turn on a fresh store, in an 80-column terminal (a pty), the way the
quick start leaves a user. `--write` puts the real output back into the README; without it
the differences are printed and the exit status is 1 (tests/test_house.py runs this check).

    python docs/tour.py            # where the README and the program differ
    python docs/tour.py --write    # the README's outputs as the program prints them today

Record ids are random, so the check reads any word of 4 or 10 characters of the ids'
alphabet as an id; the temporary home is written as /home/analyst.
"""

from __future__ import annotations

import difflib
import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import tempfile
import termios
from pathlib import Path

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCK = re.compile(r"```console\n(.*?)```", re.S)
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07")
AN_ID = re.compile(r"\b(?:[0-9a-hjkmnp-tv-z]{10}|[0-9a-hjkmnp-tv-z]{4})\b")  # core/ids.py's alphabet
HOME = "/home/analyst"
WIDTH = 80


def commands(text: str) -> list[str]:
    return [line[2:] for block in BLOCK.findall(text) for line in block.splitlines() if line.startswith("$ ")]


def run(command: str, home: str) -> str:
    """One command in a pty of WIDTH columns, as a shell runs it; its output as the screen shows it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DISPUTES_", "XDG_", "GIT_"))}
    env.update(HOME=home, COLUMNS=str(WIDTH), LINES="50", TERM="xterm", DISPUTES_PAGER="cat", DISPUTES_AUTHOR="analyst")
    main, child = pty.openpty()
    fcntl.ioctl(child, termios.TIOCSWINSZ, struct.pack("HHHH", 50, WIDTH, 0, 0))
    process = subprocess.Popen(["sh", "-c", command], stdin=child, stdout=child, stderr=child, env=env, cwd=home)
    os.close(child)
    chunks = []
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # the child's end closed: all read
            break
        if not chunk:
            break
        chunks.append(chunk)
    process.wait()
    os.close(main)
    text = ANSI.sub("", b"".join(chunks).decode("utf-8", "replace")).replace("\r\n", "\n")
    return "\n".join(line.rstrip() for line in text.replace(home, HOME).splitlines()).strip("\n")


def tour(text: str) -> str:
    """The README with each console block's outputs as the program prints them now."""
    with tempfile.TemporaryDirectory() as home:
        outputs = iter([run(command, home) for command in commands(text)])

        def rewritten(block: re.Match[str]) -> str:
            parts = []
            for line in block.group(1).splitlines():
                if line.startswith("$ "):
                    said = next(outputs)
                    parts.append(line + ("\n" + said if said else "") + "\n")
            return "```console\n" + "\n".join(parts) + "```"

        return BLOCK.sub(rewritten, text)


def main() -> int:
    text = README.read_text(encoding="utf-8")
    now = tour(text)
    if "--write" in sys.argv[1:]:
        README.write_text(now, encoding="utf-8")
        return 0
    before, after = (AN_ID.sub("<id>", each).splitlines() for each in (text, now))
    differences = list(difflib.unified_diff(before, after, "README.md", "as run", lineterm=""))
    print("\n".join(differences) or "The README's tour prints as the program does.")
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
