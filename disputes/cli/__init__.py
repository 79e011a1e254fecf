"""The command line: parse, call the operations, hand the result to rendering. Nothing else.

Each module registers one group of commands on the app of `cli/app.py`; importing them
here, in the order `disputes --help` lists them, is what puts them on it.
"""

from disputes.cli import data, deadlines, disputes, events, history, relations, report, sharing, watches  # noqa: F401
from disputes.cli.app import app


def main() -> None:
    """Entry point of the `disputes` command."""
    app(prog_name="disputes")
