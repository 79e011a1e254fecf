"""CSV cells a spreadsheet will not run: a cell starting with `=`, `+`, `-`, `@`, a tab or a
carriage return is a formula to Excel, LibreOffice and Google Sheets (`=HYPERLINK(...)`), so
every CSV we write starts such a cell with `'`, as OWASP recommends ("CSV injection"); a
number (`-3.5`, a Goldstein score) is left as it is, as no formula. Our CSV import takes the
`'` off again, so that a file we wrote reads back as it was."""

from __future__ import annotations

from disputes.core.patterns import Pattern

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = Pattern(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def neutral(cell: object) -> object:
    """A cell as a CSV we write holds it: text a spreadsheet would run starts with `'`."""
    if isinstance(cell, str) and cell.lstrip("'").startswith(TRIGGERS) and not _NUMBER.fullmatch(cell):
        return "'" + cell  # also before `'=...` typed so: read back, it is what was typed
    return cell


def read_back(cell: str) -> str:
    """A cell of a CSV file as imported: the `'` `neutral` put before a formula's first sign, taken off."""
    return cell[1:] if cell.startswith("'") and cell.lstrip("'").startswith(TRIGGERS) else cell
