"""Regenerate the README's pictures from the seed: the HTML briefing as of 2016-06-30 and
the escalation chart, as files in docs/ and a PNG screenshot of the briefing.

    python docs/screenshot.py

Needs the test extra (Playwright) and a Chromium: Debian's `chromium` package, or the path
in $CHROMIUM. Nothing here touches your own store: it works in a temporary one.
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


def main() -> None:
    chromium = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(chromium).exists():
        sys.exit("no Chromium found: apt install chromium, or set $CHROMIUM")
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as folder:
        store = Path(folder) / "seed.json"
        disputes("seed", store=store)
        disputes("report", "--as-of", AS_OF, "--format", "html", "--output", str(HERE / "briefing.html"), store=store)
        disputes("chart", "--as-of", AS_OF, "--format", "svg", "--output", str(HERE / "escalation.svg"), store=store)
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=flags)
        page = browser.new_page(viewport={"width": 1100, "height": 1400})
        page.goto((HERE / "briefing.html").as_uri())
        page.screenshot(path=str(HERE / "briefing.png"))  # the first screen: header, table and the first brief
        browser.close()
    print(f"wrote {HERE / 'briefing.html'}, {HERE / 'briefing.png'} and {HERE / 'escalation.svg'}")


if __name__ == "__main__":
    main()
