"""The command line: parse, call the operations, hand the result to rendering. Nothing else.

Each module registers one group of commands on the app of `cli/app.py`. A run loads only
the module of the command it was given (each one costs 5-10 ms of start-up to register its
commands); `--help`, completion, anything unknown, and `from disputes.cli import app`
load them all, so every command is listed and found.
"""

import contextlib
import gc
import importlib
import os
import sys

from disputes.core.kinds import COMMANDS

# The module that registers each command (a test checks this against what they register):
# a record type's commands are declared with it in the registry (core.kinds); these are the
# views and the commands over the whole store, declared here, once.
VIEWS_OF = {
    "data": ("export", "import", "doctor", "seed"),
    "editing": ("edit",),
    "lifecycle": ("status", "resolve", "close", "reopen"),
    "report": ("report", "chart", "digest"),
    "sharing": ("git-setup", "sync", "merge-file", "conflicts"),
    "cameo": ("cameo",),
}
MODULE_OF = {**COMMANDS, **{command: module for module, commands in VIEWS_OF.items() for command in commands}}
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


GLOBAL_FLAGS = ("--no-pager",)  # the global options that take no value


class MissingValue(Exception):
    """A global option typed last, without its value."""


def globals_first(args: list[str]) -> list[str]:
    """The command line with global options typed after the command (`disputes show DS626
    --no-pager`, `disputes import wto.csv --db x.json`) moved before it, where Click reads
    them. Nothing after `--` moves."""
    command = _command_in(args)
    if command is None:
        return args
    at = args.index(command)
    moved, rest = [], []
    words = iter(args[at + 1 :])
    for word in words:
        if word == "--":
            rest += [word, *words]
        elif word in _TAKES_A_VALUE:
            value = next(words, None)
            if value is None:
                raise MissingValue(word)
            moved += [word, value]
        elif word in GLOBAL_FLAGS or word.split("=", 1)[0] in _TAKES_A_VALUE:
            moved.append(word)
        else:
            rest.append(word)
    return [*args[:at], *moved, command, *rest]


def drop_output() -> None:
    """Send what is left of stdout nowhere, so that Python's last flush at exit says nothing more."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        from disputes.cli.app import _Closed

        sys.stdout = _Closed("output")


def blamed_on_the_store(opened) -> str:
    """What to say when a command failed in a way no rule foresaw, on a store doctor finds
    damaged (a record a hand edit or a buggy writer left): that, and the remedy, rather than
    an internal error; "" when the store is sound (then it is a bug of ours)."""
    if not opened:
        return ""
    try:
        from disputes.ops import doctor

        checkup = doctor.run(opened[-1])
    except Exception:  # the store cannot even be checked: the bug report says more than a guess
        return ""
    if checkup.healthy or not checkup.problems:
        return ""
    more = f" (and {len(checkup.problems) - 1} more)" if len(checkup.problems) > 1 else ""
    return f"{opened[-1]} has a record this version cannot read: {checkup.problems[0]}{more}; run `disputes doctor`"


def mind_warnings() -> None:
    """A DisputesWarning an operation gives (what it did, and what to check) is one
    `Warning:` line on stderr, each time it is given; other warnings are Python's."""
    import warnings

    from disputes.core.errors import DisputesWarning

    shown = warnings.showwarning
    if getattr(shown, "ours", False):
        return

    def show(message, category, filename, lineno, file=None, line=None):
        if issubclass(category, DisputesWarning):
            from disputes.render.output import warn

            warn(str(message))
        else:
            shown(message, category, filename, lineno, file, line)

    show.ours = True  # type: ignore[attr-defined]
    warnings.showwarning = show
    warnings.simplefilter("always", DisputesWarning)


def _mind_narrow_streams() -> None:
    """What stdout or stderr cannot hold (`Ü` under PYTHONIOENCODING=ascii or LC_ALL=POSIX) is
    written as an escape (`\\xdc`), as control characters are: `add` failed with an internal
    error after its write, and a script retrying it added the dispute twice."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)  # a TextIOWrapper's; not a closed stream's
        if callable(reconfigure):
            reconfigure(errors="backslashreplace")


class NotText(Exception):
    """An argument whose bytes are not UTF-8, and that names no file."""


def _as_typed(arg: str) -> str:
    """An argument as it was typed: a locale that says ASCII (LC_ALL=POSIX) hands Python the
    UTF-8 bytes of `Ü` as two lone surrogates, which no store or lookup can hold. Bytes that
    are not UTF-8 are refused (NotText), unless they name a file (a path is bytes)."""
    if arg.isascii() or not any("\udc80" <= c <= "\udcff" for c in arg):
        return arg
    try:
        return os.fsencode(arg).decode("utf-8")
    except (UnicodeError, ValueError):
        if os.path.lexists(arg):
            return arg
        raise NotText(arg) from None


@contextlib.contextmanager
def _only(app, command: str | None):
    """While a command runs, the app holds only that one (None: every command). Typer turns
    every registered command's signature into Click options (twice) before it runs one:
    `list` built the other four commands of its module too. Put back after the run, for the
    next one in the same process (the tests, a program that calls `main`)."""
    commands, groups = app.registered_commands, app.registered_groups
    if command is not None:
        named = {(c.name or c.callback.__name__.replace("_", "-")): c for c in commands}
        app.registered_commands = [named[command]] if command in named else []
        app.registered_groups = [g for g in groups if g.name == command]
    try:
        yield
    finally:
        app.registered_commands, app.registered_groups = commands, groups


def main() -> None:
    """Entry point of the `disputes` command."""
    from disputes.cli.app import app

    _mind_narrow_streams()
    try:
        args = globals_first([_as_typed(arg) for arg in sys.argv[1:]])
    except MissingValue as missing:
        from disputes.cli.app import error

        error(f"{missing} needs a value, e.g. {missing} {'store.json' if str(missing) == '--db' else '30'}")
        sys.exit(2)
    except NotText as problem:
        from disputes.cli.app import error

        typed = str(os.fsencode(problem.args[0]))[1:]  # its bytes: '\\xff\\xfe'
        error(f"{typed} is not UTF-8 text: set your terminal to UTF-8 (e.g. LC_ALL=C.UTF-8); nothing was done")
        sys.exit(2)
    sys.argv[1:] = args
    command, kept = _command_in(args), None
    if any(name.endswith("_COMPLETE") for name in os.environ) or (command is None and "--version" not in args):
        load()  # completion, --help, a bare `disputes`: every command
    elif command in MODULE_OF:
        load([MODULE_OF[command]])
        kept = command
    elif command is not None:
        load()  # a mistyped command: Click names the ones it might be
    # A command is one short process that builds many records and frees them by reference
    # counting. The collector's defaults (a pass every 700 new containers, now and then one
    # over every live record) cost `list` on 10,000 disputes a sixth of its time: it looks
    # rarely, and never at what the imports made.
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
    with _only(app, kept):
        app(prog_name="disputes")
