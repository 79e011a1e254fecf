"""Regular expressions compiled when first used, not when their module is imported.

Compiling a pattern costs a third of a million instructions (callgrind); the fifteen that
modules compiled at import were 2% of every command's start-up, and most commands use none
of them. `Pattern(...)` takes what `re.compile` takes; its first `.match`, `.search`, `.sub`
(...) compiles it and puts the compiled pattern's methods on it, so later calls cost what
the compiled pattern's do.
"""

from __future__ import annotations

import re
from typing import Any


class Pattern:
    def __init__(self, pattern: str | bytes, flags: int = 0):
        self._given: tuple[Any, int] = (pattern, flags)

    def __getattr__(self, name: str) -> Any:  # only for a name not set yet: before the first use
        compiled = re.compile(*self._given)
        for method in ("match", "fullmatch", "search", "sub", "findall", "finditer", "split"):
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)
