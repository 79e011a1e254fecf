"""The one Typer app every command registers on, its global options, and its error gate.

Global options reach commands through Typer's context (`ctx.obj`, an `Options`), so the
path of `--db` from the command line to the store can be followed: `store_of(ctx)`.
"""

import errno
import functools
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer

from disputes._version import __version__
from disputes.cli import blamed_on_the_store, complete, drop_output, mind_warnings, usage_said
from disputes.core import vocabulary
from disputes.core.errors import FAILED, DisputesError, InvalidValue
from disputes.core.frozen import Frozen
from disputes.store import DEFAULT_TIMEOUT

# Typer reads a command's signature twice before it runs it, and a completion function's once
# for every option that names it: 0.7 ms of `report`'s start-up went to reading its signature
# a second time. What it reads depends on the function alone, so the first reading serves.
typer.main.get_params_from_function = functools.cache(typer.main.get_params_from_function)


def _is_usage_problem(problem: Exception) -> bool:
    """A command-line parsing error of Typer's bundled Click (bad option, missing argument)."""
    return callable(getattr(problem, "format_message", None)) and isinstance(getattr(problem, "exit_code", None), int)


class _Group(typer.core.TyperGroup):
    """Turns every failure into one line on stderr and a documented exit code; lists commands A to Z."""

    def list_commands(self, ctx) -> list[str]:
        return sorted(self.commands)

    def main(self, args=None, prog_name=None, complete_var=None, standalone_mode=True, **extra):
        _mind_closed_streams()
        mind_warnings()
        OPENED.clear()
        try:
            code = super().main(
                args=args, prog_name=prog_name, complete_var=complete_var, standalone_mode=False, **extra
            )
            sys.stdout.flush()
        except DisputesError as problem:
            error(str(problem))
            sys.exit(problem.exit_code)
        except (typer.Abort, KeyboardInterrupt, EOFError):
            error("aborted; nothing was changed")
            sys.exit(FAILED)
        except SystemExit as leaving:  # Click ends a broken pipe (`| head`, `| true`) itself, with 1
            if isinstance(leaving.__context__, BrokenPipeError) and SAVED:
                sys.exit(0)  # but a change saved exits 0 all the same, so that a retry adds nothing twice
            raise
        except BrokenPipeError:  # the reader went away: not an error worth a word
            drop_output()
            sys.stderr.close()
            sys.exit(0 if SAVED else FAILED)
        except OSError as problem:
            if problem.errno not in OUTPUT_ERRORS:  # not the output's fault: a bug, said as one
                error(f"internal error ({type(problem).__name__}: {problem}); please report this")
                sys.exit(FAILED)
            # the output could not be written (`> /dev/full`, a closed stdout): every other
            # failure to read or write a file is a DisputesError by now
            drop_output()
            why = problem.strerror or str(problem)
            if SAVED:  # the store was written: say so, and exit 0, so that a retry adds nothing twice
                from disputes.render.output import warn

                warn(f"the change was saved ({SAVED[-1]}), but its output could not be written: {why}")
                sys.exit(0)
            error(f"cannot write the output: {why}")
            sys.exit(FAILED)
        except Exception as problem:
            if _is_usage_problem(problem):
                error(usage_said(problem) + _usage_hint(problem))
                sys.exit(problem.exit_code)
            # a bug: still one line, never a traceback (unless asked for, to report it)
            if os.environ.get("DISPUTES_DEBUG"):
                import traceback

                traceback.print_exc()
            error(
                blamed_on_the_store(OPENED)
                or f"internal error ({type(problem).__name__}: {problem}); please report this"
            )
            sys.exit(FAILED)
        sys.exit(code if isinstance(code, int) else 0)


OUTPUT_ERRORS = {errno.EPIPE, errno.ENOSPC, errno.EBADF, errno.EIO, errno.EFBIG, errno.EDQUOT}
SAVED: list[str] = []  # the stores this run changed, for the one line said if the output then fails
OPENED: list[Path] = []  # the stores this run read, to look at when a command fails unexpectedly


class _Closed:
    """Stands for a standard stream that was closed before the run (`disputes list >&-`)."""

    def __init__(self, name: str):
        self.name = name

    def write(self, text) -> int:
        raise OSError(errno.EBADF, f"standard {self.name} is closed")

    def read(self, size: int = -1) -> str:
        return ""  # a closed stdin reads as empty

    readline = read

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def fileno(self) -> int:
        import io

        raise io.UnsupportedOperation(f"standard {self.name} is closed")


def _mind_closed_streams() -> None:
    if sys.stdin is None:
        sys.stdin = _Closed("input")
    if sys.stdout is None:
        sys.stdout = _Closed("output")
    if sys.stderr is None:
        sys.stderr = _Closed("error")


def error(message: str) -> None:
    """One line on stderr: user text in it made printable, an over-long value cut."""
    from disputes.render.output import cut, printable

    sys.stderr.write(f"Error: {cut(printable(message))}\n")
    sys.stderr.flush()


def _usage_hint(problem: Exception) -> str:
    context = getattr(problem, "ctx", None)
    return f" (see `{context.command_path} --help`)" if context is not None else ""


def help_when_bare(ctx: typer.Context) -> None:
    """A group called without a command prints its help on stdout and exits 0 (as git does)."""
    if ctx.invoked_subcommand is None and not ctx.resilient_parsing:
        typer.echo(ctx.get_help())
        raise typer.Exit()


app = typer.Typer(
    cls=_Group,
    help="Track open disputes between parties: status, history and status reports.\n\n"
    "Start with `disputes seed` and `disputes report`.",
    invoke_without_command=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def group(name: str, help: str, **settings) -> typer.Typer:
    """A group of commands on the app (`disputes NAME ...`); called bare, it prints its help."""
    commands = typer.Typer(help=help, invoke_without_command=True, rich_markup_mode=None, **settings)
    app.add_typer(commands, name=name)
    if "callback" not in settings:
        commands.callback()(help_when_bare)
    return commands


class Options(Frozen):
    """The global options of one run, kept on the context for every command."""

    db: Optional[Path] = None
    lock_timeout: float = DEFAULT_TIMEOUT
    pager: bool = True

    @property
    def path(self) -> Path:
        """The store file: --db, else $DISPUTES_DB, else the user's data folder."""
        from disputes.store.database import default_path

        if self.db is not None and not str(self.db).strip():
            raise InvalidValue(f"--db is blank ({str(self.db)!r}): give a store file")
        return self.db or default_path()


def _seconds(value: float) -> float:
    if value != value or value == float("inf"):  # nan and infinity pass Click's min=0
        raise typer.BadParameter(f"{value} is not a number of seconds")
    return value


def _version(value: bool) -> None:
    if value:
        typer.echo(f"disputes {__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    ctx: typer.Context,
    db: Annotated[
        Optional[Path],
        typer.Option("--db", help="Store file (default: $DISPUTES_DB, else your data folder).", show_default=False),
    ] = None,
    lock_timeout: Annotated[
        float,
        typer.Option(help="Seconds to wait for another command writing the store.", min=0, callback=_seconds),
    ] = DEFAULT_TIMEOUT,
    no_pager: Annotated[bool, typer.Option("--no-pager", help="Print long output straight to the terminal.")] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    ctx.obj = Options(db=db, lock_timeout=lock_timeout, pager=not no_pager)
    help_when_bare(ctx)


def options(ctx: typer.Context) -> Options:
    """The global options given to this run."""
    return ctx.find_root().obj or Options()


def deliver(ctx: typer.Context, content, output_file: Optional[Path], message: str) -> None:
    """A rendered file into `output_file` (then `message`), or to stdout: bytes, and pieces of
    bytes as they come, as they are; text as printable lines. A file is written whole or not
    at all, and never onto the store or a file kept beside it."""
    from disputes.render import output

    if output_file:
        from disputes.store.files import write_output
        from disputes.store.paths import StoreFiles

        if StoreFiles(options(ctx).path).is_beside(output_file):
            raise InvalidValue(
                f"--output {output_file} is the store or a file kept beside it: choose another file; "
                "nothing was written"
            )
        pieces = (
            [content.encode()] if isinstance(content, str) else [content] if isinstance(content, bytes) else content
        )
        write_output(output_file, pieces)
        output.done(message)
    elif isinstance(content, str):
        output.verbatim(content.rstrip("\n"))
    elif isinstance(content, bytes):
        output.write_bytes(content)
    else:
        output.write_chunks(content)


def chosen_format(fmt: str, formats: tuple[str, ...], output_file: Optional[Path] = None) -> str:
    """The --format asked for, checked the same way by every command: one of `formats` (any
    case), and `terminal` (the screen) never into an --output file. One wording everywhere."""
    name = fmt.strip().lower()
    if name not in formats:
        raise InvalidValue(f"unknown format {fmt!r}: choose one of {', '.join(formats)}")
    if name == "terminal" and output_file:
        files = " or ".join(f for f in formats if f != "terminal")
        raise InvalidValue(f"--output needs a file format: --format {files}")
    if name in BINARY_FORMATS and not output_file:
        raise InvalidValue(f"--format {name} writes a file: give --output FILE.{name}")
    return name


BINARY_FORMATS = ("pdf",)  # never to a terminal


def paged(ctx: typer.Context):
    """Long output on a terminal through the pager, unless --no-pager was given."""
    from disputes.render.pager import paged as through_pager

    return through_pager(options(ctx).pager)


def store_of(ctx: typer.Context, write: bool = False):
    """Open the store the global options name: read-only, or locked for one command's change."""
    from disputes.store.database import open_store

    given = options(ctx)
    OPENED.append(given.path)
    if not write:
        return open_store(given.path, lock_timeout=given.lock_timeout)
    return _noting_the_save(given)


@contextmanager
def _noting_the_save(given: Options):
    from disputes.store.database import open_store

    with open_store(given.path, write=True, lock_timeout=given.lock_timeout) as store:
        yield store
    SAVED.append(str(given.path))


# Options shared by many commands, declared once.
StaleAfterOption = Annotated[
    int, typer.Option("--stale-after", help="Days of quiet that make a dispute stale (0: never stale).", min=0)
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the records as JSON.")]
NoteOption = Annotated[str, typer.Option("--note", "-n", help="Why; kept in the history.")]
DateOption = Annotated[
    Optional[str],
    typer.Option(
        "--date", "-d", help="When it happened (YYYY, YYYY-MM or YYYY-MM-DD; default today).", show_default=False
    ),
]
PartyOption = Annotated[
    list[str],
    typer.Option(
        "--party", "-p", help="A party (repeat for several).", show_default=False, autocompletion=complete.parties
    ),
]


def _role_option(flag: str, role: str) -> typer.models.OptionInfo:
    return typer.Option(
        flag, help=f"A party that is the {role} (repeatable).", show_default=False, autocompletion=complete.parties
    )


ComplainantOption = Annotated[list[str], _role_option("--complainant", "complainant")]
RespondentOption = Annotated[list[str], _role_option("--respondent", "respondent")]
ThirdPartyOption = Annotated[list[str], _role_option("--third-party", "third party")]


def roles_given(complainant, respondent, third_party) -> list[tuple[str, str]]:
    """Parties with a role, as the role options gave them: (name, role) pairs, one name
    possibly twice (the operation decides what that means, not the last option given)."""
    return [
        (name, role)
        for names, role in ((complainant, "complainant"), (respondent, "respondent"), (third_party, "third-party"))
        for name in names
    ]


TagOption = Annotated[list[str], typer.Option("--tag", "-t", help="A tag (repeat for several).", show_default=False)]
TopicOption = Annotated[
    list[str],
    typer.Option("--topic", help="Only this topic (repeatable).", show_default=False, autocompletion=complete.topics),
]
SourceOption = Annotated[
    list[str], typer.Option("--source", help="A source: text or URL (repeat for several).", show_default=False)
]
DisputeArg = Annotated[
    str,
    typer.Argument(
        help="Dispute id, unique id prefix, or external reference.",
        show_default=False,
        autocompletion=complete.disputes,
    ),
]
DisputesArg = Annotated[
    list[str],
    typer.Argument(
        help="Disputes (ids, prefixes or references).", show_default=False, autocompletion=complete.disputes
    ),
]
DisputeFilter = Annotated[
    Optional[str],
    typer.Option(
        "--dispute", help="Only events of this dispute.", show_default=False, autocompletion=complete.disputes
    ),
]
STATUS_HELP = "Statuses: " + vocabulary.status_help() + "."
StatusFilter = Annotated[
    list[str],
    typer.Option(
        "--status",
        help="Only this status (repeatable). " + STATUS_HELP,
        show_default=False,
        autocompletion=complete.statuses,
    ),
]
PriorityFilter = Annotated[
    list[str],
    typer.Option(help="Only this priority (repeatable).", show_default=False, autocompletion=complete.priorities),
]
ALERT_HELP = "An alert shown in reports: " + " or ".join(vocabulary.ALERTS) + " (repeatable)."


def confirm_or_refuse(yes: bool, what: str) -> None:
    """Ask before deleting; without a terminal to ask, --yes is required."""
    if yes:
        return
    if not sys.stdin.isatty():
        raise InvalidValue(f"not deleting {what} without --yes (no terminal to ask)")
    if not typer.confirm(f"Delete {what}?", default=False):
        raise typer.Abort()
