"""Reading a CSV file of someone else's making: UTF-8 text (a BOM allowed), its header and
its non-blank rows with their line numbers, and a column found by its header or its place
(`#N`). A cut file, text that is not UTF-8 and a header named twice are refused here."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from disputes.core.csv_cells import read_back
from disputes.core.errors import InvalidValue
from disputes.ops.inputs import named, no_rows, read_input


def read(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    try:
        text = read_input(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidValue(f"{path} is not UTF-8 text: convert it first (e.g. iconv -f cp1252 -t utf-8)") from None
    if text.count('"') % 2 and _ends_inside_quotes(text):
        raise InvalidValue(
            f"{path} ends inside a quoted field: the file was cut (an interrupted download or copy); "
            "nothing was imported"
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
        if header is None:
            raise no_rows(named(path))
        # a cell our own CSV export kept from being a formula (csv_cells) reads as it was
        return header, [(reader.line_num, [*map(read_back, row)]) for row in reader if any(c.strip() for c in row)]
    except csv.Error as problem:
        raise InvalidValue(
            f"{path}, line {reader.line_num} is not readable CSV ({problem}); nothing was imported"
        ) from None


def _ends_inside_quotes(text: str) -> bool:
    """Whether CSV text stops in the middle of a quoted field (asked only of text with an odd
    number of quotes: a stray quote inside an unquoted field is read as it is, as before)."""
    try:
        for _row in csv.reader(io.StringIO(text, newline=""), strict=True):
            pass
    except csv.Error as problem:
        return "unexpected end of data" in str(problem)
    return False


def column_index(spec: str, header: list[str], option: str = "--map") -> int:
    if spec.startswith("#") and spec[1:].isdigit():
        index = int(spec[1:]) - 1
        if 0 <= index < len(header):
            return index
        raise InvalidValue(f"{option}: the file has {len(header)} columns, so {spec} does not exist")
    folded = [h.strip().casefold() for h in header]
    if spec.strip().casefold() in folded:
        places = [n + 1 for n, name in enumerate(folded) if name == spec.strip().casefold()]
        if len(places) > 1:  # the first was taken without a word
            numbered = " or ".join(f"#{n}" for n in places)
            raise InvalidValue(
                f"{option}: the file has {len(places)} columns named {header[places[0] - 1].strip()!r} (columns "
                f"{', '.join(map(str, places))}): name the one to read by its place, {numbered}; nothing was imported"
            )
        return places[0] - 1
    named = ", ".join(repr(h) for h in header if h.strip())
    raise InvalidValue(f"{option}: no column {spec!r} in the file (columns: {named}; use #N for unnamed ones)")
