"""The command line: parse, call the operations, hand the result to rendering. Nothing else.

Each module registers one group of commands on the app of `cli/app.py`. A run loads only
the module of the command it was given (each one costs 5-10 ms of start-up to register its
commands); `--help`, completion, anything unknown, and `from disputes.cli import app`
load them all, so every command is listed and found.
"""

import importlib
import os
import sys

# The module that registers each command (a test checks this against what they register).
MODULE_OF = {
    **dict.fromkeys(("export", "import", "doctor"), "data"),
    **dict.fromkeys(("deadline", "review", "agenda"), "deadlines"),
    **dict.fromkeys(
        ("add", "list", "show", "edit", "status", "resolve", "close", "reopen", "delete", "seed"), "disputes"
    ),
    **dict.fromkeys(("event", "timeline"), "events"),
    **dict.fromkeys(("history", "undo"), "history"),
    **dict.fromkeys(("link", "unlink"), "relations"),
    **dict.fromkeys(("report", "chart", "digest"), "report"),
    **dict.fromkeys(("git-setup", "sync", "merge-file", "conflicts"), "sharing"),
    "watch": "watches",
}
_TAKES_A_VALUE = ("--db", "--lock-timeout")  # the global options followed by their value


def load(modules=None) -> None:
    """Register the commands of these modules (all of them by default) on the app."""
    for module in sorted(set(MODULE_OF.values()) if modules is None else modules):
        importlib.import_module(f"disputes.cli.{module}")


def _command_in(args: list[str]) -> str | None:
    """The command word of a command line, skipping the global options before it."""
    words = iter(args)
    for word in words:
        if word in _TAKES_A_VALUE:
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def __getattr__(name: str):
    if name == "app":  # the app with every command on it
        load()
        from disputes.cli.app import app

        globals()["app"] = app  # importing the module `cli/app.py` had set this name to the module
        return app
    raise AttributeError(name)


def main() -> None:
    """Entry point of the `disputes` command."""
    from disputes.cli.app import app

    args = sys.argv[1:]
    command = _command_in(args)
    if any(name.endswith("_COMPLETE") for name in os.environ) or (command is None and "--version" not in args):
        load()  # completion, --help, a bare `disputes`: every command
    elif command in MODULE_OF:
        load([MODULE_OF[command]])
    elif command is not None:
        load()  # a mistyped command: Click names the ones it might be
    app(prog_name="disputes")
