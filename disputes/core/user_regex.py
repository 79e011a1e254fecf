"""Regular expressions a user writes (`import --derive`): compiled by RE2, never by `re`.

Python's `re` backtracks: `^(a+)+$` against a title of thirty letters and a "b" runs for
minutes. RE2 matches in time linear in the text, whatever the pattern, and so refuses what
needs backtracking (look-around, back-references); such a pattern is refused in one line.
RE2's syntax: https://github.com/google/re2/wiki/Syntax
"""

from __future__ import annotations

from typing import Any

from disputes.core.errors import InvalidValue

SYNTAX = "RE2 syntax (as Python's re, without look-around or back-references)"


def compiled(pattern: str, what: str) -> Any:
    """`pattern` compiled by RE2 (its `search` and `groups` are re's), or InvalidValue
    naming `what` (the option) when RE2 does not take it."""
    import re2  # google-re2: loaded by the commands that take a user's pattern, only

    options = re2.Options()
    options.log_errors = False  # RE2 would log its own line on stderr: ours says it once
    try:
        return re2.compile(pattern, options=options)
    except (re2.error, TypeError, ValueError) as problem:
        why = problem.args[0] if problem.args else problem
        why = why.decode("utf-8", "replace") if isinstance(why, bytes) else str(why)
        raise InvalidValue(
            f"{what}: the pattern {pattern!r} does not compile as RE2 ({why}); write it in {SYNTAX}"
        ) from None
