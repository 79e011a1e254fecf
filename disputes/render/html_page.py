"""What every standalone HTML page shares (the briefing, the digest, the weekly brief): the
page shell, its styles (light, dark, and the print styles of its paper size), sources as
links only when they are http(s) URLs, and a bottom line as a paragraph. One file, styles
inline, no script and no request to anywhere; user text is always escaped."""

from __future__ import annotations

import re

from disputes.render.common import bottom_line_said
from disputes.render.paper import print_style
from disputes.render.svg import safe

STYLE = """
:root { color-scheme: light dark; --fg: #1b1b1b; --bg: #fff; --muted: #5f5f5f; --rule: #d5d5d5;
  --bad: #b3261e; --good: #1b7f3b; --warn: #8a5a00; --link: #0b57d0; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e8e8e8; --bg: #141414; --muted: #a9a9a9; --rule: #3b3b3b;
    --bad: #ff8a80; --good: #80d99a; --warn: #ffcc66; --link: #8ab4f8; } }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg);
  background: var(--bg); max-width: 72rem; margin: 2rem auto; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 } h2 { font-size: 1.25rem; margin-top: 2rem }
h3 { font-size: 1.1rem; margin-bottom: .3rem }
a { color: var(--link) } a.url { overflow-wrap: anywhere }
td { overflow-wrap: normal; word-break: normal; hyphens: manual }
.meta, .note, figcaption { color: var(--muted) }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid var(--rule); vertical-align: top }
th { font-weight: 600; border-bottom-width: 2px }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums }
code { font-size: .9em }
.deteriorated, .escalating, .overdue { color: var(--bad) } .improved, .de-escalating { color: var(--good) }
.alert, .stale { color: var(--warn); font-weight: 600 }
.counts { display: flex; flex-wrap: wrap; gap: 3rem; align-items: center }
.counts table { width: auto; min-width: 14rem }
time, code, td span { white-space: nowrap }
.side-by-side { display: flex; flex-wrap: wrap; gap: 3rem } .side-by-side table { width: auto; min-width: 16rem }
article.brief { border-top: 2px solid var(--rule); margin-top: 1.5rem }
ul.events { padding-left: 1.2rem } ul.events li { margin: .2rem 0 }
figure { margin: .5rem 0 } svg { max-width: 100%; height: auto }
nav ol { padding-left: 1.2rem } .judgement { margin: .4rem 0 }
.bottom-line { border-left: 4px solid var(--link); padding: .2rem .8rem; margin: .6rem 0 }
.cards { display: grid; gap: .5rem; margin: .5rem 0 }
.on-screen + .cards { display: none }
@media screen and (max-width: 1000px) { .on-screen { display: none } .on-screen + .cards { display: grid } }
.card { border-bottom: 1px solid var(--rule); padding: .2rem 0 } .card p.card-head { margin: 0; font-weight: 600 }
.card dl { margin: 0 } .card dt::after { content: " " }
.card dt, .card dd, .card dl > div { display: inline; margin: 0 } .card dt { color: var(--muted) }
.card dl > div::after { content: " · " } .card dl > div:last-child::after { content: "" }
article.compact { border-top: 1px solid var(--rule); margin-top: .6rem }
article.compact h3 { font-size: 1rem; margin: .3rem 0 .1rem }
li.recent { font-weight: 600 } .window { color: var(--muted); font-weight: normal; font-size: .85em }
"""

_URL = re.compile(r"https?://[^\s<>\"']+\Z", re.IGNORECASE)


def source(value: str) -> str:
    """A source as HTML: a link when it is an http(s) URL, else text."""
    if _URL.match(value):
        return f'<a class="url" href="{safe(value)}">{safe(value)}</a>'
    return safe(value)


def page(title: str, body: list[str], paper: str = "a4") -> str:
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html lang="en">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            '<meta name="generator" content="disputes">',
            f"<title>{safe(title)}</title>",
            f"<style>{STYLE}{print_style(paper)}</style>",
            "</head>",
            "<body>",
            *body,
            "</body>",
            "</html>",
            "",
        ]
    )


def bottom_line(made: dict | None) -> str:
    if not made:
        return ""
    said = f'<span class="note">({safe(bottom_line_said(made))})</span>'
    return f'<p class="bottom-line"><strong>Bottom line</strong> {said}: {safe(made["text"], multiline=True)}</p>'
