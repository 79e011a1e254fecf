"""Briefings as PDF: the HTML page laid out for A4 by WeasyPrint (the optional `pdf` extra)."""

from __future__ import annotations

import logging

from disputes.core.errors import InvalidValue

EXTRA = "pip install '.[pdf]' in a clone of disputes (an installed package: 'disputes[pdf]')"


def from_html(html: str) -> bytes:
    """The page as a PDF, paginated for A4 with page numbers (the print styles of the page)."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as problem:  # OSError: WeasyPrint without its system libraries (Pango)
        raise InvalidValue(
            f"PDF needs WeasyPrint, the optional extra: {EXTRA} ({problem.__class__.__name__})"
        ) from None
    for name in ("weasyprint", "fontTools"):  # their warnings (an unsupported CSS property) are not the user's
        logging.getLogger(name).setLevel(logging.ERROR)
    return HTML(string=html).write_pdf()
