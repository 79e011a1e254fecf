"""Print as a medium: the paper sizes, the print styles, and tables that become cards when
their columns cannot fit the page.

WeasyPrint runs no script and knows no container query, so whether a table fits is decided
here, when the page is written: a column is never narrower than its longest word (titles
wrap between words, never inside one; ids, dates and marks never wrap), and a table whose
columns cannot all have that width is written as one card per row instead.
"""

from __future__ import annotations

import re
from collections.abc import Set as AbstractSet
from html import unescape

from disputes.core.errors import InvalidValue

# the CSS name of each paper, and the characters of 9-point text a line of its printed
# width holds (A4: 210 mm less 2 × 12 mm of margin; US Letter: 216 mm less the same)
PAPERS = {"a4": ("A4", 104), "letter": ("letter", 107)}
PADDING = 2  # a cell's horizontal padding (.5rem each side), in characters


def paper_of(name: str) -> str:
    """The paper asked for (any case), refused with the choices when it is not one of ours."""
    paper = name.strip().lower()
    if paper not in PAPERS:
        raise InvalidValue(f"unknown paper {name!r}: choose one of {', '.join(PAPERS)}")
    return paper


def print_style(paper: str = "a4") -> str:
    """The print styles of a page for `paper`: sizes, breaks, and what stays together."""
    size = PAPERS[paper][0]
    return f"""
@media print {{
  @page {{ size: {size} portrait; margin: 12mm 12mm 16mm;
    @bottom-center {{ content: "Page " counter(page) " of " counter(pages); font: 8pt system-ui, sans-serif;
      color: #444 }} }}
  :root {{ --fg: #000; --bg: #fff; --muted: #444; --rule: #999; --link: #000 }}
  body {{ max-width: none; margin: 0; padding: 0; font-size: 9pt; line-height: 1.25 }}
  h1 {{ font-size: 15pt }} h2 {{ font-size: 12pt; margin: 1rem 0 .3rem }}
  h3 {{ font-size: 10.5pt; margin: .6rem 0 .2rem }}
  h4 {{ margin: .4rem 0 .1rem }} p {{ margin: .25rem 0 }}
  th, td {{ padding: .1rem .4rem }} table.titled {{ font-size: 8pt; table-layout: fixed }}
  tr, li, figure, .counts, .card, .bottom-line, article.compact {{ break-inside: avoid }}
  thead {{ display: table-header-group }}
  h1, h2, h3, h4 {{ break-after: avoid }}
  nav ol ol {{ columns: 2; column-gap: 2rem }}
  article.brief {{ margin-top: .8rem }} article.compact {{ margin-top: .2rem; padding-top: .1rem }}
  article.compact p {{ margin: 0 }} .on-screen {{ display: none }} .on-screen + .cards {{ display: block }}
  article.compact h3 {{ font-size: 9pt; margin: 0 }} .compacts {{ columns: 2; column-gap: 1.5rem }}
  /* a card's fields: the label in small bold capitals, each field whole, a clear gap between */
  .card {{ padding: .1rem 0 .15rem; line-height: 1.2 }} .card p.card-head {{ font-size: 9pt }}
  .card dl {{ display: flex; flex-wrap: wrap; gap: 0 1em; font-size: 8.5pt }} .card dl > div::after {{ content: none }}
  .card dt {{ font-size: 6.5pt; font-weight: 700; text-transform: uppercase; letter-spacing: .04em }}
  .card dt::after {{ content: "\\00a0" }}
  figcaption {{ font-size: 8pt }} ul.events li {{ margin: 0 }}
  .side-by-side, .counts {{ gap: 1.5rem }}
  /* WeasyPrint sizes an SVG with max-width and height:auto as if it were square (measured:
     a 760 × 170 chart took 551 px of height); a full width scales it right */
  svg {{ max-width: none }} figure svg {{ width: 100% }}
}}
"""


# cells' text that never wraps: ids, dates, and the marks in spans
_UNBROKEN = re.compile(r"<(code|time|span)\b[^>]*>(.*?)</\1>", re.S)
_TAG = re.compile(r"<[^>]+>")


def longest_word(cell: str) -> int:
    """The width, in characters, below which a cell of HTML would have to break a word."""
    joined = _UNBROKEN.sub(lambda m: re.sub(r"\s", "\u00a0", _TAG.sub("", m.group(2))), cell)
    words = unescape(_TAG.sub(" ", joined)).split()
    return max((len(word) for word in words), default=0)


def widths(headings: list[str], rows: list[list[str]]) -> list[int]:
    """Each column's longest word, in characters (its heading's included)."""
    found = [longest_word(heading) for heading in headings]
    for row in rows:
        found = [max(width, longest_word(cell)) for width, cell in zip(found, row, strict=False)]
    return found


def fits(headings: list[str], rows: list[list[str]], characters: int, wide: int | None = None) -> bool:
    """Whether every column can be as wide as its longest word within `characters`, and the
    `wide` one (a title) keep a third of the line (below that a title of five words takes
    a dozen lines: a card says it in two)."""
    needed = [width + PADDING for width in widths(headings, rows)]
    if wide is not None:
        needed[wide] = max(needed[wide], characters // 3)
    return sum(needed) <= characters


EM_PER_CHARACTER = 0.62  # a generous average for 9-point sans-serif, bold headings included


def _columns(headings: list[str], rows: list[list[str]], wide: int) -> str:
    """Fixed widths, each column as wide as its longest word and the `wide` one what is left:
    the automatic layouts (WeasyPrint's and browsers') gave a title a few letters beside
    roomy columns of short words."""
    cols = [f'<col style="width:{width * EM_PER_CHARACTER + 1:.1f}em">' for width in widths(headings, rows)]
    cols[wide] = "<col>"
    return "<colgroup>" + "".join(cols) + "</colgroup>"


def table(
    headings: list[str], rows: list[list[str]], numeric: AbstractSet[int] = frozenset(), wide: int | None = None
) -> str:
    """A table of cells that are HTML already; the columns in `numeric` align right, and the
    `wide` one (a title) takes the room the others leave."""

    def cls(i: int) -> str:
        return ' class="num"' if i in numeric else ""

    def heading_cls(i: int) -> str:
        return ' class="wide"' if i == wide else cls(i)

    head = "".join(f'<th scope="col"{heading_cls(i)}>{h}</th>' for i, h in enumerate(headings))
    body = "\n".join("<tr>" + "".join(f"<td{cls(i)}>{c}</td>" for i, c in enumerate(row)) + "</tr>" for row in rows)
    columns = f' class="titled">{_columns(headings, rows, wide)}' if wide is not None else ">"
    return f"<table{columns}\n<thead><tr>{head}</tr></thead>\n<tbody>\n{body}\n</tbody>\n</table>"


def cards(headings: list[str], rows: list[list[str]], wide: int | None = None) -> str:
    """One card a row, for a table the page cannot hold: the `wide` cell (a title) as its
    head, then every other cell after its heading, a field each (label and value, kept
    together), the fields running on as a paragraph."""
    items = [
        '<div class="card">'
        + (f'<p class="card-head">{row[wide]}</p>' if wide is not None else "")
        + "<dl>"
        + "".join(
            f'<div class="field"><dt>{heading}</dt><dd>{cell or "—"}</dd></div>'
            for i, (heading, cell) in enumerate(zip(headings, row, strict=False))
            if i != wide
        )
        + "</dl></div>"
        for row in rows
    ]
    return '<div class="cards">\n' + "\n".join(items) + "\n</div>"


def table_or_cards(
    headings: list[str],
    rows: list[list[str]],
    numeric: AbstractSet[int] = frozenset(),
    paper: str = "a4",
    wide: int | None = None,
) -> str:
    """A table when its columns fit the paper; else the table for screens and the cards for
    print (a browser's window is as wide as its reader wants; a page is not)."""
    if fits(headings, rows, PAPERS[paper][1], wide):
        return table(headings, rows, numeric, wide)
    return f'<div class="on-screen">{table(headings, rows, numeric, wide)}</div>\n{cards(headings, rows, wide)}'
