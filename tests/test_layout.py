"""The code map (docs/architecture.md) matches the tree: every module it names exists, and
every module of the package is named, one line each."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _mapped() -> list[str]:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    section = text.split("## The code map", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^- `(disputes/[\w/]+\.py)`: \S", section, re.M)


def test_every_module_named_in_the_code_map_exists():
    mapped = _mapped()
    assert len(mapped) == len(set(mapped)), "a module named twice"
    for path in mapped:
        assert (ROOT / path).is_file(), path


def test_every_module_is_named_in_the_code_map():
    mapped = set(_mapped())
    for module in sorted((ROOT / "disputes").rglob("*.py")):
        path = module.relative_to(ROOT).as_posix()
        if module.name != "__init__.py" or module.parent == ROOT / "disputes":
            assert path in mapped, f"{path} has no line in docs/architecture.md's code map"


def test_every_command_is_mapped_to_the_module_that_registers_it():
    """A run loads only its command's module (cli/__init__.py): the map must be whole and true."""
    from disputes import cli

    app = cli.app  # every module loaded
    registered = {(c.name or c.callback.__name__): c.callback.__module__ for c in app.registered_commands}
    registered |= {g.name: g.typer_instance.registered_commands[0].callback.__module__ for g in app.registered_groups}
    assert {name: module.rsplit(".", 1)[1] for name, module in registered.items()} == cli.MODULE_OF


def test_a_run_loads_only_the_module_of_its_command():
    import subprocess
    import sys

    probe = (
        "import sys; sys.argv = ['disputes', '--db', 'add', 'list', '--help']\n"
        "from disputes import cli\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.startswith('disputes.cli.')))"
    )
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    expected = ["disputes.cli.app", "disputes.cli.complete", "disputes.cli.disputes", "disputes.cli.filters"]
    assert loaded.strip().splitlines()[-1] == repr(expected)


def test_a_run_puts_back_the_commands_it_left_aside(tmp_path, monkeypatch, capsys):
    """A run keeps only its command on the app while it runs; the next run in the same
    process (a program calling main) finds every command there again."""
    import sys

    from disputes import cli

    def registered():
        return [c.callback for c in cli.app.registered_commands], [g.name for g in cli.app.registered_groups]

    everything = registered()
    for command in (["seed"], ["list"], ["event", "list"], ["show", "vfb3"]):
        monkeypatch.setattr(sys, "argv", ["disputes", "--db", str(tmp_path / "store.json"), *command])
        try:
            cli.main()
        except SystemExit as ended:
            assert ended.code in (0, None), capsys.readouterr().err
    assert registered() == everything


def test_the_record_type_registry_describes_every_table():
    """Issue 21: one description per table, read by the store, doctor, history, import, delete and merges."""
    from disputes.core import registry
    from disputes.core.vocabulary import TABLES

    kinds = registry.types()
    assert tuple(kinds) == TABLES
    # what the registry states without loading each type's rules is what the types say
    assert tuple(name for name, kind in kinds.items() if kind.refers and name != "disputes") == registry.REFERRING
    assert {name: f"{name}.index" for name, kind in kinds.items() if kind.index} == registry.INDEXED
    assert tuple(name for name, kind in kinds.items() if kind.kind is not None) == registry.ATTACHED
    assert registry.of("unknown").table == "unknown" and registry.of("events") is kinds["events"]
    events = registry.of("events")
    assert list(events.names({"disputes": ["a", "b"]})) == ["a", "b"]
    assert events.renamed({"disputes": ["a", "b"]}, {"a": "z"}) == {"disputes": ["z", "b"]}
    assert list(registry.of("relations").names({"from": "a", "to": "b", "type": "blocks"})) == ["a", "b"]
    assert {t for t in registry.REFERRING if registry.of(t).on_delete == "cascade"} == {
        "relations",
        "deadlines",
        "watches",
        "assessments",
        "forecasts",
        "forecast_revisions",
        "comments",
        "documents",
    }
    assert registry.of("watches").set_fields == ("actors", "codes", "parties")


def test_the_everyday_views_load_no_table_library(tmp_path):
    """`list`, `show`, `event show` and `report` draw under the layout rule (render/layout.py)
    and write through output.write_lines: none of them pays for importing Rich."""
    import subprocess
    import sys

    store = str(tmp_path / "store.json")
    probe = (
        "import sys; sys.argv = ['disputes', '--db', sys.argv[1], *sys.argv[2:]]\n"
        "from disputes import cli\n"
        "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'rich'))"
    )
    subprocess.run([sys.executable, "-c", probe, store, "seed"], capture_output=True, check=True)
    for command in (["list"], ["show", "fr45"], ["event", "show", "8cyz"], ["report"], ["report", "--limit", "1"]):
        shown = subprocess.run([sys.executable, "-c", probe, store, *command], capture_output=True, text=True)
        assert shown.returncode == 0, shown.stderr
        assert shown.stdout.splitlines()[-1] == "[]", command


def test_no_module_says_more_than_400_lines():
    """A module over 400 lines holds two things (issue 50): split it by what it says."""
    long = {
        str(path.relative_to(ROOT)): lines
        for path in (ROOT / "disputes").rglob("*.py")
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > 400
    }
    assert not long, long
