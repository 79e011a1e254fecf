"""The weekly brief in every format: terminal, Markdown, HTML, PDF and JSON, from one `Brief`.

Page one holds the brief's sections in their order as far as they fit; what does not fit
goes to an annex, which page one names at its foot. A renderer never reads the store.
"""

from __future__ import annotations

import orjson

from disputes.core.brief import Brief, Line, Section
from disputes.core.errors import InvalidValue
from disputes.render.svg import safe

FORMATS = ("terminal", "md", "html", "pdf", "json")
SINCE_SAID = {"mark": "your last marked brief", "option": "--since", "default": "a week before"}


def _head(brief: Brief) -> tuple[str, str]:
    title = f"Weekly brief as of {brief.as_of}"
    said = f"Changes since {brief.since} ({SINCE_SAID[brief.since_from]})"
    said += f" · prepared by {brief.author}" if brief.author else ""
    said += f" · {brief.chosen}" if brief.chosen else " · the whole register"
    return title, said


def _annex_note(annex: tuple[Section, ...]) -> str:
    hidden = sum(len(s.lines) for s in annex)
    if not hidden:
        return ""
    return f"{hidden} more in the annex: " + ", ".join(f"{s.heading.lower()} ({len(s.lines)})" for s in annex)


def _checked(brief: Brief) -> list[str]:
    """What was checked and found empty since the brief's start, in the brief's order, and what
    falls due next: one line each on a quiet week (nothing on page one), else a line at its foot."""
    empty = brief.found_empty()
    if not empty:
        return []
    after = f"next due {_plain(brief.next_due[0])}" if brief.next_due else "nothing dated after it"
    due = brief.sections[-1].heading
    if not any(section.lines for section in brief.sections):
        lines = [f"Nothing since {brief.since}. Checked, in this order:"]
        return lines + [f"  {heading}: none" + (f"; {after}" if heading == due else "") for heading in empty]
    others = [heading.lower() for heading in empty if heading != due]
    said = f"Nothing since {brief.since}: {'; '.join(others)}." if others else ""
    if due in empty:
        said += f" Nothing due in the next fortnight; {after}."
    return [said.strip()]


def _plain(line: Line) -> str:
    mark = f"[{line.mark}] " if line.mark else ""
    text = f": {line.text}" if line.text else ""
    return f"{line.date}  {mark}{line.ref} {line.title}{text}"


def terminal(brief: Brief, width: int | None = None) -> list[str]:
    """The brief as plain lines wrapped at words to `width` (default 80): page one, the
    annex note, then the annex."""
    import textwrap

    def wrapped(line: str) -> list[str]:
        indent = " " * (len(line) - len(line.lstrip()) + 2) if line.startswith("  ") else ""
        return textwrap.wrap(line, width or 80, subsequent_indent=indent, break_long_words=False) or [""]

    return [piece for line in _terminal_lines(brief) for piece in wrapped(line)]


def _terminal_lines(brief: Brief) -> list[str]:
    title, said = _head(brief)
    first, annex = brief.page_one()
    out = [title, said, ""]
    for section in first:
        out += [section.heading, *("  " + _plain(line) for line in section.lines), ""]
    checked = _checked(brief)
    out += [*checked, ""] if checked else []
    note = _annex_note(annex)
    if note:
        out += [note, "", "Annex", ""]
        for section in annex:
            out += [section.heading, *("  " + _plain(line) for line in section.lines), ""]
    return out


def markdown(brief: Brief) -> str:
    title, said = _head(brief)
    first, annex = brief.page_one()

    def md(text: str) -> str:
        return text.replace("\\", "\\\\").replace("*", "\\*").replace("_", "\\_").replace("[", "\\[")

    out = [f"# {title}", "", f"_{md(said)}_", ""]
    for part, sections in (("", first), ("Annex", annex)):
        if part:
            checked = _checked(brief)
            items = [f"- {md(line.strip())}" if line.startswith("  ") else md(line) for line in checked]
            out += [*items, ""] if checked else []
        if part and sections:
            out += [f"**{md(_annex_note(annex))}**", "", f"## {part}", ""]
        for section in sections:
            out += [f"{'###' if part else '##'} {section.heading}", ""]
            out += [f"- {md(_plain(line))}" for line in section.lines]
            out.append("")
    return "\n".join(out)


STYLE = """
.brief-line .mark { font-weight: 600 } .brief-line .ref { font-family: monospace; white-space: nowrap }
.annex-note { border-top: 1px solid var(--rule); margin-top: 1rem; padding-top: .3rem; font-weight: 600 }
section.annex { break-before: page } .checked { margin-top: .8rem; color: var(--muted) }
@media print { ul.brief-lines { margin: .1rem 0; padding-left: 1rem } ul.brief-lines li { margin: 0 } }
"""


def _html_line(line: Line) -> str:
    mark = f'<span class="mark">{safe(line.mark)}</span> ' if line.mark else ""
    text = f": {safe(line.text)}" if line.text else ""
    return (
        f'<li class="brief-line"><time>{safe(line.date)}</time> {mark}'
        f'<span class="ref">{safe(line.ref)}</span> <strong>{safe(line.title)}</strong>{text}</li>'
    )


def _html_sections(sections: tuple[Section, ...], level: int) -> list[str]:
    out = []
    for section in sections:
        out += [f"<h{level}>{safe(section.heading)}</h{level}>", '<ul class="brief-lines">']
        out += [_html_line(line) for line in section.lines]
        out.append("</ul>")
    return out


def html(brief: Brief, paper: str = "a4") -> str:
    from disputes.render.html_page import page

    title, said = _head(brief)
    first, annex = brief.page_one()
    body = [f"<style>{STYLE}</style>", "<header>", f"<h1>{safe(title)}</h1>", f'<p class="meta">{safe(said)}</p>']
    body.append("</header>")
    body.append('<section id="page-one">')
    body += _html_sections(first, 2)
    checked = _checked(brief)
    if checked:
        items = [f"<li>{safe(line.strip())}</li>" for line in checked[1:]]
        body.append(f'<p class="checked">{safe(checked[0])}</p>' + (f"<ul>{''.join(items)}</ul>" if items else ""))
    note = _annex_note(annex)
    if note:
        body.append(f'<p class="annex-note">{safe(note)}</p>')
    body.append("</section>")
    if annex:
        body += ['<section class="annex" id="annex">', "<h2>Annex</h2>", *_html_sections(annex, 3), "</section>"]
    return page(title, body, paper)


def render(brief: Brief, fmt: str, paper: str = "a4") -> str | bytes:
    """The brief in one of the file formats."""
    if fmt == "json":
        return orjson.dumps(brief.to_dict(), option=orjson.OPT_INDENT_2) + b"\n"
    if fmt == "md":
        return markdown(brief)
    if fmt in ("html", "pdf"):
        page = html(brief, paper)
        if fmt == "pdf":
            from disputes.render import pdf

            return pdf.from_html(page)
        return page
    raise InvalidValue(f"unknown format {fmt!r}: choose one of {', '.join(FORMATS)}")
