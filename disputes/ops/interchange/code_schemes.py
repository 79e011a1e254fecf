"""Party codes of other schemes, read for one import: the Correlates of War's state
abbreviations (`--code-scheme cow`) through countrycode, a maintained library.

Never global aliases: COW's AUS is Austria, ISO's (and so every actor's code here) is
Australia. A COW code turns into the ISO 3166 alpha-3 code of its state, which the actors'
directory knows, or, for a historical state that has none (AUH, Austria-Hungary; BAV,
Bavaria), the state's English name; a code the scheme does not have stays as written.
countrycode is the optional `codes` extra (it ships its code list, 2.5 MB, as a pickle
that takes about a second to load), so only an import that asks for it pays.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from disputes.core.errors import InvalidValue


@functools.cache
def _cow() -> dict[str, str]:
    try:
        from countrycode.countrycode import prepare_codelist
    except ImportError:
        raise InvalidValue(
            "--code-scheme cow reads codes through the countrycode library: "
            "pip install 'disputes[codes]' (or pip install countrycode)"
        ) from None
    columns = prepare_codelist(None)
    return {
        code.casefold(): iso or name
        for code, iso, name in zip(columns["cowc"], columns["iso3c"], columns["country.name.en"], strict=True)
        if code and (iso or name)
    }


def translator(scheme: str) -> Callable[[str], str]:
    """A function from a party as the file writes it to the name or ISO code it stands for."""
    if not scheme:
        return lambda name: name
    table = {"cow": _cow}[scheme]()
    return lambda name: table.get(name.strip().casefold(), name)
