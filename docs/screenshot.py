"""Regenerate the README's pictures: the seed's HTML and PDF briefing as of 2016-06-30
(with two bottom lines recorded), the escalation chart, a PNG screenshot of the briefing,
images of the PDF's first two pages, and a portfolio view's briefing inside the WTO register.

    python docs/screenshot.py

Needs the test extra (Playwright, WeasyPrint), a Chromium (Debian's `chromium` package, or
the path in $CHROMIUM) and pypdfium2 for the PDF page image. Nothing here touches your own
store: it works in a temporary one.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
AS_OF = "2016-06-30"


def disputes(*args: str, store: Path) -> None:
    subprocess.run([sys.executable, "-m", "disputes", *args], check=True, env={**os.environ, "DISPUTES_DB": str(store)})


WTO = HERE.parent / "tests" / "data" / "wto_disputes.csv"
MAPPING = [
    "--map", "#1=ref", "--map", "title=title", "--map", "complainant=complainant", "--split", "complainant=; ",
    "--derive", "respondent=title:^(.+?) — ", "--map", "consultation_requested=opened",
    "--map", "curr_stat=status_detail", "--set", "topic=trade", "--set", "monitored=no", "--status-date", "2018-02",
    "--status-map", "IN CONSULTATIONS=negotiating", "--status-map", "SETTLED OR TERMINATED*=resolved",
    "--status-map", "PANEL*=escalated",
]  # fmt: skip


def portfolio(store: Path) -> None:
    """The seed inside the WTO register: a portfolio of the seed's disputes and the cases
    between Russia and Ukraine, briefed through a view as of the list's day."""
    disputes("import", str(WTO), *MAPPING, store=store)
    for dispute in ("fr45", "vfb3", "3zp0", "DS512", "DS532"):
        disputes("edit", dispute, "--add-tag", "desk", "--monitored", store=store)
    judgement = "Russia will rest its case on the security exception (GATT Art. XXI); expect a long panel"
    disputes("assess", "DS512", judgement, "--date", "2018-02-20", "--confidence", "medium", store=store)
    disputes("view", "save", "desk", "--tag", "desk", store=store)
    disputes("report", "--view", "desk", "--as-of", "2018-02-28", "--author", "A. Analyst", "--format", "html",
             "--output", str(HERE / "portfolio.html"), store=store)  # fmt: skip


def main() -> None:
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        sys.exit("no Chromium found: apt install chromium, or set $CHROMIUM")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "seed.json"
        disputes("seed", store=store)
        for dispute, line, confidence in (
            ("vfb3", "Talks stalled: no agreed 2016 price before winter; Minsk keeps paying the old one.", "high"),
            ("fr45", "Seizures will continue while re-exports pay; no political fix in sight.", "medium"),
        ):
            disputes("assess", dispute, line, "--date", "2016-06-28", "--confidence", confidence, store=store)
        signed = ("--as-of", AS_OF, "--author", "A. Analyst")
        disputes("report", *signed, "--format", "html", "--output", str(HERE / "briefing.html"), store=store)
        disputes("report", *signed, "--format", "pdf", "--output", str(HERE / "briefing.pdf"), store=store)
        disputes("chart", "--as-of", AS_OF, "--format", "svg", "--output", str(HERE / "escalation.svg"), store=store)
        disputes("brief", *signed, "--since", "2016-06-01", "--format", "pdf", "--output", str(HERE / "brief.pdf"),
                 store=store)  # fmt: skip
        portfolio(store)
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=flags)
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        page.goto((HERE / "briefing.html").as_uri())
        page.screenshot(path=str(HERE / "briefing.png"))  # the first screen: header, table and the first brief
        page.goto((HERE / "portfolio.html").as_uri())
        page.screenshot(path=str(HERE / "portfolio.png"))
        browser.close()
    import pypdfium2

    document = pypdfium2.PdfDocument(str(HERE / "briefing.pdf"))
    document[0].render(scale=1.4).to_pil().save(HERE / "briefing-pdf.png")
    document[1].render(scale=1.4).to_pil().save(HERE / "briefing-pdf-2.png")
    pypdfium2.PdfDocument(str(HERE / "brief.pdf"))[0].render(scale=1.4).to_pil().save(HERE / "brief-pdf.png")
    print(f"wrote the briefings (seed: html, pdf, two pictures; a portfolio in the WTO register) in {HERE}")


if __name__ == "__main__":
    main()
