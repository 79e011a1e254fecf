"""Domain errors: each class's docstring says what it means; the CLI maps them to exit codes."""

FAILED = 1  # the command could not be done: not found, store problem
BAD_USAGE = 2  # the user gave a value or option we cannot accept


class DisputesError(Exception):
    """Something the user should hear about in one line."""

    exit_code = FAILED


class InvalidValue(DisputesError):
    """A value given on the command line or in a file is not acceptable."""

    exit_code = BAD_USAGE


class InvalidTransition(InvalidValue):
    """A status change the lifecycle does not allow."""


class BothSides(InvalidValue):
    """One actor would be complainant and respondent of one dispute: `<actor> would be on both
    sides of <dispute(s)> (complainant and respondent): <what to do>`."""


class NotFound(DisputesError):
    """No record matches the id, prefix or reference given."""


class NoRows(DisputesError):
    """Every file of an import holds no row: `<file> holds no rows (<what that may mean>);
    nothing was imported`. Exit 1: an import of nothing from all it was given is a failure
    a backfill script must see, not a success."""


class Ambiguous(DisputesError):
    """A prefix matches more than one record."""

    exit_code = BAD_USAGE


class StoreError(DisputesError):
    """The store file cannot be read or written."""


class StoreCorrupt(StoreError):
    """The store file exists but is not a readable disputes store."""


class NotAStore(StoreCorrupt):
    """The file is another tool's (a CSV given to --db, foreign JSON), or no file at all (a
    pipe, a device, a folder): nothing to repair or restore."""


class StoreConflicted(StoreCorrupt):
    """The store file holds git conflict markers: a merge done without the merge driver."""


class StoreTooNew(StoreError):
    """The store was written by a newer disputes: "store P was written by a newer disputes
    (schema N, this one knows M): upgrade disputes". Nothing in it is damaged: neither a fix
    nor the backup is the answer."""


class StoreLocked(StoreError):
    """Another process held the store's lock for longer than we would wait."""


class ReadOnly(InvalidValue):
    """A write through a read-only view of the register (its TinyDB tables): changes go through
    the register's operations, so that each is checked, recorded in history and undoable."""


class DisputesWarning(UserWarning):
    """What was done, and what the user should check about it (a date before the dispute
    opened): the CLI says it in one `Warning:` line on stderr, the library as a Python warning."""
