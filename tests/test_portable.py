"""Works where users are: no POSIX-only import on any command's path, Windows files in."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from conftest import assert_one_error_line, disputes_command

# Runs the CLI in a child process where `import fcntl` fails, as it does on Windows (and
# `import isal`, as where it has no wheel: the store's checksums fall back to zlib's).
WITHOUT_FCNTL = """
import sys

class NoFcntl:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("fcntl", "termios", "pwd", "grp", "resource", "isal"):
            raise ImportError(f"No module named {name!r} (as on Windows)")

sys.meta_path.insert(0, NoFcntl())
for name in ("fcntl", "termios", "pwd", "grp", "resource", "isal"):
    sys.modules.pop(name, None)
sys.argv[0] = "disputes"
from disputes.cli import main
main()
"""


def without_fcntl(*args: str, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", WITHOUT_FCNTL, *args], capture_output=True, text=True, timeout=120, env=env
    )


COMMANDS = [
    ["--help"],
    ["--version"],
    ["seed"],
    ["add", "Transit fees for potash", "-p", "Belarus", "-p", "Lithuania", "--ref", "POTASH"],
    ["list", "--all"],
    ["show", "vfb3"],
    ["edit", "POTASH", "--priority", "high"],
    ["status", "POTASH", "negotiating", "--date", "2016-07-01"],
    ["event", "add", "POTASH", "--date", "2016-07-02", "--title", "Talks in Vilnius", "--code", "036"],
    ["event", "list"],
    ["timeline"],
    ["link", "POTASH", "vfb3"],
    ["history"],
    ["report", "--as-of", "2016-06-30"],
    ["report", "--format", "html", "--output", "{tmp}/report.html"],
    ["export", "--output", "{tmp}/export.json"],
    ["--db", "{tmp}/copy.json", "import", "{tmp}/export.json"],
    ["doctor"],
    ["undo"],
    ["conflicts"],
]


@pytest.mark.slow
def test_every_command_runs_without_fcntl(tmp_path, store_path):
    for command in COMMANDS:
        args = [part.replace("{tmp}", str(tmp_path)) for part in command]
        done = without_fcntl(*args)
        assert done.returncode == 0, (args, done.stderr)
        assert "Traceback" not in done.stderr and "Warning" not in done.stderr, (args, done.stderr)
    assert json.loads(without_fcntl("doctor", "--json").stdout)["problems"] == []


@pytest.mark.slow
def test_concurrent_adds_all_land_without_fcntl(store_path):
    script = [sys.executable, "-c", WITHOUT_FCNTL]
    writers = [
        subprocess.Popen([*script, "add", f"parallel {n}"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(16)
    ]
    results = []
    for writer in writers:
        _, errors = writer.communicate(timeout=120)  # reads and closes its pipes
        results.append((writer.returncode, errors))
    assert all(code == 0 for code, _ in results), results
    titles = {d["title"] for d in json.loads(without_fcntl("list", "--json").stdout)}
    assert titles == {f"parallel {n}" for n in range(16)}


def test_a_csv_from_a_windows_tool_imports(cli, tmp_path):
    """Excel on Windows writes a byte-order mark and CRLF line ends."""
    source = tmp_path / "cases.csv"
    source.write_bytes(
        "\ufeffCase,Title,Complainant\r\nDS1,Gas — price,Belarus; Russia\r\nDS2,Milk,Belarus\r\n".encode("utf-8")
    )
    cli(
        "import",
        str(source),
        "--map",
        "Case=ref",
        "--map",
        "Title=title",
        "--map",
        "Complainant=parties",
        "--split",
        "parties=; ",
    )
    found = cli.json("show", "DS1")
    assert (found["title"], found["parties"]) == ("Gas — price", ["Belarus", "Russia"])
    assert cli.json("show", "DS2")["title"] == "Milk"  # no stray "\r" kept anywhere


def test_a_json_file_from_a_windows_tool_imports(cli, tmp_path):
    source = tmp_path / "hand.json"
    text = (
        '{\r\n  "disputes": [{"id": "gas", "title": "Gas price"}],\r\n'
        '  "events": [{"date": "2016", "title": "Talks", "disputes": ["gas"]}]\r\n}\r\n'
    )
    source.write_bytes("\ufeff".encode() + text.encode("utf-8"))
    cli("import", str(source))
    assert [d["title"] for d in cli.json("list")] == ["Gas price"]
    assert [e["title"] for e in cli.json("event", "list")] == ["Talks"]


def test_the_store_keeps_lf_and_utf8_whatever_came_in(cli, tmp_path, store_path):
    source = tmp_path / "cases.csv"
    source.write_bytes("\ufeffTitle\r\nПраздник «газ»\r\n".encode())
    cli("import", str(source), "--map", "Title=title")
    payload = store_path.read_bytes()
    assert b"\r" not in payload and "Праздник «газ»".encode() in payload


def test_a_json_file_in_another_encoding_is_refused_in_one_line(cli, tmp_path, store_path):
    source = tmp_path / "latin.json"
    source.write_bytes('{"disputes": [{"title": "Caf\xe9"}]}'.encode("latin-1"))
    result = cli("import", str(source), expect=2)
    assert_one_error_line(result, str(source))
    assert not store_path.exists()


def complete(cli, words: str, shell: str = "bash") -> list[str]:
    """What the shell would offer after `words` (the completion protocol Typer speaks)."""
    if shell == "bash":
        parts = words.split()
        current = len(parts) if words.endswith(" ") else len(parts) - 1
        env = {"_DISPUTES_COMPLETE": "complete_bash", "COMP_WORDS": words, "COMP_CWORD": str(current)}
    else:
        env = {"_DISPUTES_COMPLETE": "complete_zsh", "_TYPER_COMPLETE_ARGS": words}
    return [line for line in cli(env=env).stdout.splitlines() if line]


def test_completion_offers_dispute_ids_and_references(cli):
    cli("seed")
    potash = cli.add("Transit fees for potash", "--ref", "POTASH-1")["id"]
    offered = complete(cli, "disputes show ")
    assert {"vfb3nbqd37", "fr45z4r7dr", "3zp0pdgwa5", potash, "POTASH-1"} <= set(offered)
    assert complete(cli, "disputes status vf") == ["vfb3nbqd37"]
    assert complete(cli, "disputes edit POT") == ["POTASH-1"]
    zsh = "\n".join(complete(cli, "disputes show vf", shell="zsh"))
    assert '"vfb3nbqd37":"Price of Russian gas supplies to Belarus"' in zsh  # the title as help


def test_completion_offers_statuses_priorities_parties_topics_and_events(cli):
    cli("seed")
    assert complete(cli, "disputes status vfb3 ne") == ["negotiating"]
    assert complete(cli, "disputes list --priority h") == ["high"]
    assert "Belarus" in complete(cli, "disputes list --party Bel")
    assert complete(cli, "disputes report --topic ener") == ["energy"]
    events = complete(cli, "disputes event show ")
    assert len(events) == 6 and all(len(e) == 10 for e in events)


def test_completion_never_writes_and_reads_only_what_it_needs(cli, store_path):
    assert complete(cli, "disputes show ") == []
    assert not store_path.exists() and not store_path.parent.exists()
    cli("seed")
    text = store_path.read_text()
    # damage a byte of the events table: completing disputes does not even read it
    start = text.index('"events": {\n') + len('"events": {\n')
    store_path.write_text(text[:start] + "#" + text[start + 1 :])
    before = sorted(p.name for p in store_path.parent.iterdir())
    payload = store_path.read_bytes()
    assert "vfb3nbqd37" in complete(cli, "disputes show v")
    assert complete(cli, "disputes event show ") == []  # unreadable: nothing offered, no error
    assert store_path.read_bytes() == payload
    assert sorted(p.name for p in store_path.parent.iterdir()) == before


def _on_a_terminal(tmp_path, *args: str, pager: str | None = "record", rows: int = 10):
    """Run the real command with stdout on a pseudo-terminal; return what reached the
    terminal and what a fake pager received (None if no pager ran)."""
    import os
    import pty

    received = tmp_path / "paged.txt"
    received.unlink(missing_ok=True)
    env = {**os.environ, "LINES": str(rows), "COLUMNS": "100", "TERM": "xterm"}
    env.pop("DISPUTES_PAGER", None)
    if pager == "record":
        env["PAGER"] = f"{sys.executable} -c \"import sys; open({str(received)!r}, 'w').write(sys.stdin.read())\""
    primary, secondary = pty.openpty()
    child = subprocess.Popen([*disputes_command(), *args], stdout=secondary, stderr=subprocess.PIPE, env=env)
    os.close(secondary)
    shown = b""
    while True:
        try:
            chunk = os.read(primary, 65536)
        except OSError:
            break
        if not chunk:
            break
        shown += chunk
    assert child.wait(timeout=60) == 0, child.stderr.read()
    os.close(primary)
    return shown.decode(errors="replace"), (received.read_text() if received.exists() else None)


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_long_output_on_a_terminal_goes_through_the_pager(cli, tmp_path):
    for n in range(30):
        cli.add(f"Dispute number {n}")
    shown, paged = _on_a_terminal(tmp_path, "list")
    assert paged is not None and all(f"Dispute number {n}" in paged for n in range(30))
    assert "Dispute number" not in shown  # the terminal got it through the pager only
    shown, paged = _on_a_terminal(tmp_path, "--no-pager", "list")
    assert paged is None and all(f"Dispute number {n}" in shown for n in range(30))
    shown, paged = _on_a_terminal(tmp_path, "list", "--limit", "3")  # shorter than the screen
    assert paged is None and "Dispute number" in shown
    shown, paged = _on_a_terminal(tmp_path, "report")  # the report too
    assert paged is not None and "Unresolved disputes (30)" in paged


def test_piped_output_never_goes_through_the_pager(cli, tmp_path, monkeypatch):
    received = tmp_path / "paged.txt"
    monkeypatch.setenv("PAGER", f"{sys.executable} -c \"open({str(received)!r}, 'w').write('paged')\"")
    for n in range(60):
        cli.add(f"Dispute number {n}")
    assert len(cli("list").stdout.splitlines()) == 61
    assert not received.exists()
