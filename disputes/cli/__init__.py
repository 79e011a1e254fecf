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
import typing

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
    _keep_examples_whole()
    _option_names_whole()
    _numbers_without_underscores()
    _no_blank_dates()
    for module in sorted(set(MODULE_OF.values()) if modules is None else modules):
        importlib.import_module(f"disputes.cli.{module}")


def _keep_examples_whole() -> None:
    """Every command's and group's help (Click's `format_help_text`, under Typer's classes)
    with its examples as blocks Click does not rewrap: it broke an example anywhere, in the
    middle of an option or a quoted value (render.layout.examples_kept_whole)."""
    import typer.core

    click_command: typing.Any = typer.core.TyperCommand.__mro__[1]
    said = click_command.format_help_text
    if getattr(said, "keeps_examples_whole", False):
        return

    def format_help_text(self, ctx, formatter) -> None:
        from disputes.render.layout import examples_kept_whole

        self.help = examples_kept_whole(self.help) if self.help else self.help
        said(self, ctx, formatter)

    format_help_text.keeps_examples_whole = True  # type: ignore[attr-defined]
    setattr(click_command, "format_help_text", format_help_text)  # noqa: B010


def _option_names_whole() -> None:
    """Help text wrapped at spaces only: Click also broke at hyphens, so `--all-of` came out
    as `--all-` and `of` on two lines."""
    import typer._click._textwrap as click_textwrap

    wrapper: typing.Any = click_textwrap.TextWrapper
    if getattr(wrapper, "keeps_option_names_whole", False):
        return

    class TextWrapper(wrapper):
        keeps_option_names_whole = True

        def __init__(self, *args: typing.Any, **kwargs: typing.Any) -> None:
            super().__init__(*args, **{**kwargs, "break_on_hyphens": False})

    setattr(click_textwrap, "TextWrapper", TextWrapper)  # noqa: B010


def _numbers_without_underscores() -> None:
    """Every number option (Click's int and float types) refuses an underscore: Python reads
    `1_0` as 10, and `--months 1_2` drew a year."""
    import typer._click.types as click_types

    number: typing.Any = click_types._NumberParamTypeBase
    converted = number.convert
    if getattr(converted, "refuses_underscores", False):
        return

    def convert(self, value, param, ctx):
        if isinstance(value, str) and "_" in value:
            self.fail(f"{value!r} has an underscore: write the number with digits only", param, ctx)
        return converted(self, value, param, ctx)

    convert.refuses_underscores = True  # type: ignore[attr-defined]
    setattr(number, "convert", convert)  # noqa: B010


# Every option that takes a date, known by its flag (the parameter behind `--opened-since` is
# `filter_opened_since`): blank, each was taken as not given (`forecast score --since ""`
# scored every forecast, `list --opened-since ""` filtered nothing, `status --date ""` was
# today). The forms each takes, where they are fewer than a date's three. (`add --opened ""`
# is not among them: a dispute may have no known opening date, and blank says so.)
_ANY_DATE = "YYYY, YYYY-MM or YYYY-MM-DD"
DATE_FLAGS = {
    "--date": _ANY_DATE,
    "--as-of": "YYYY-MM-DD",
    "--since": _ANY_DATE,
    "--until": _ANY_DATE,
    "--opened-since": _ANY_DATE,
    "--opened-before": _ANY_DATE,
    "--month": "YYYY-MM",
    "--by": _ANY_DATE,
    "--status-date": _ANY_DATE,
}
_FORMS_IN = {("brief", "--since"): "YYYY-MM-DD"}  # a command where one takes fewer forms


def date_forms(option: typing.Any, command: str) -> str | None:
    """The date forms `option` of `command` takes, or None if it takes no date."""
    for flag in option.opts:
        if flag in DATE_FLAGS:
            return _FORMS_IN.get((command, flag), DATE_FLAGS[flag])
    return None


def _no_blank_dates() -> None:
    """A date option typed blank is refused (Click's usage error: one line, exit 2); a blank
    default stands for none."""
    import typer._click.core as click_core

    parameter: typing.Any = click_core.Parameter
    processed = parameter.process_value
    if getattr(processed, "refuses_blank_dates", False):
        return

    def process_value(self, ctx, value):
        typed = ctx.get_parameter_source(self.name) == click_core.ParameterSource.COMMANDLINE  # not a default
        if typed and isinstance(value, str) and not value.strip():
            forms = date_forms(self, ctx.info_name or "")
            if forms:
                raise click_core.BadParameter(f"{value!r} is blank: give a date ({forms})", ctx, self)
        return processed(self, ctx, value)

    process_value.refuses_blank_dates = True  # type: ignore[attr-defined]
    setattr(parameter, "process_value", process_value)  # noqa: B010


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


def usage_said(problem) -> str:
    """Click's one line for a usage error; for a mistyped option, a hint that leads somewhere.
    Click listed whatever difflib found, A to Z: `--tags` offered --stage and --status before
    --tag, `--s` offered --json. The hint names a short option typed with two dashes, else
    the options the typed one begins or is a beginning of, else the close ones, closest
    first; none when nothing is close."""
    name, told = getattr(problem, "option_name", None), getattr(problem, "possibilities", None)
    if not name or told is None or not name.startswith("-"):
        return problem.format_message()
    from difflib import SequenceMatcher

    command = getattr(getattr(problem, "ctx", None), "command", None)
    known = sorted({o for p in getattr(command, "params", []) for o in (*p.opts, *p.secondary_opts)} | set(told))
    one_dash = "-" + name[2:]
    if len(name) == 3 and one_dash in known:
        guesses = [one_dash]
    else:
        guesses = [o for o in known if len(o) > 2 and (o.startswith(name) or name.startswith(o))]
        if not guesses:
            close = sorted((-SequenceMatcher(None, name, o).ratio(), o) for o in known if o.startswith("--"))
            guesses = [o for ratio, o in close if -ratio >= 0.75][:3]
    said = ", ".join(guesses[:-1]) + " or " * (len(guesses) > 1) + guesses[-1] if 0 < len(guesses) <= 5 else ""
    hint = f"; did you mean {said}?" if said else ""
    return f"No such option: {name}{hint}"


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
