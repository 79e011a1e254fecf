"""The `cameo` group: look the CAMEO codebook up (the codes watch rules and events use)."""

from typing import Annotated

import typer

from disputes.cli.app import JsonOption, group

cameo_app = group(
    "cameo",
    "The CAMEO codebook: `cameo search WORD...` finds codes by name, `cameo show CODE` shows one.",
)


def _record(code: str) -> dict:
    from disputes.core import cameo

    name, score = cameo.codes()[code]
    return {"code": code, "name": name, "goldstein": score, "description": cameo.descriptions()[code]}


@cameo_app.command("search")
def cameo_search(
    words: Annotated[list[str], typer.Argument(help="Words every match must hold (any case).", show_default=False)],
    as_json: JsonOption = False,
) -> None:
    """Codes whose name or description holds every word, with their Goldstein weights.

    Example: disputes cameo search sanction
    """
    from disputes.core import cameo
    from disputes.render import listings, output

    found = [_record(code) for code in cameo.search(words)]
    if as_json:
        output.as_json(found)
    else:
        listings.cameo_codes(found, " ".join(words))


@cameo_app.command("show")
def cameo_show(
    code: Annotated[str, typer.Argument(help="A CAMEO code, leading zeros kept (e.g. 042, 163).", show_default=False)],
    as_json: JsonOption = False,
) -> None:
    """A code's name, Goldstein weight, description, the codes above it and those under it.

    Example: disputes cameo show 16
    """
    from disputes.core import cameo
    from disputes.render import listings, output

    wanted, _, _ = cameo.lookup(code)
    parents, children = cameo.family(wanted)
    record = {**_record(wanted), "parents": [_record(c) for c in parents], "children": [_record(c) for c in children]}
    if as_json:
        output.as_json(record)
    else:
        listings.cameo_code(record)
