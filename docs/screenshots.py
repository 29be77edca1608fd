"""Screenshots of the HTML report for reviewers and the README: the overview's first screen, a document page
and a committee page, as PNG files.

By default the report is the one ``make demo`` writes, the main job's over the bundled replica of the two
sites; ``--input RESULTS.json`` shoots the report of saved results
(``wrqa validate --format json``) instead. Opened in Debian's headless Chromium via Playwright, in a window
1280 pixels wide and 900 high: the overview's shot is what a reader sees before scrolling.
Usage: ``python docs/screenshots.py [--input RESULTS.json] [--out docs/screenshots]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
WINDOW = {"width": 1280, "height": 900}
DEMO_CONFIG = Path(__file__).resolve().parents[1] / "examples" / "demo-config.toml"


def demo_report(folder: Path) -> Path:
    """The report ``make demo`` writes (the main job over the replica sites, with examples/demo-config.toml),
    written under ``folder``; its ``index.html``."""
    from crawler.replica import serve
    from wrqa.config import load_config
    from wrqa.job import run_once

    with serve() as replica:
        text = DEMO_CONFIG.read_text(encoding="utf-8")
        for kind, default in (("epoint", "http://127.0.0.1:8001"), ("hppc", "http://127.0.0.1:8002")):
            text = text.replace(default, replica.base_urls[kind])
        (folder / "config.toml").write_text(text, encoding="utf-8")
        return run_once(load_config(folder / "config.toml")).report


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, help="results JSON written by `wrqa validate --format json`")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"), help="folder for the PNG files")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"No {CHROMIUM}; run `make browser` (as root) to install Debian's chromium.", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    from reports.html import write_report
    from reports.json import run_from_dict

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        if args.input:
            index = write_report(run_from_dict(json.loads(args.input.read_text(encoding="utf-8"))), Path(folder))
        else:
            index = demo_report(Path(folder))
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport=WINDOW)
        page.goto(index.as_uri())
        page.screenshot(path=args.out / "overview.png")
        first = page.get_attribute("#failing li.failing-doc a.title", "href") or "documents/00001.html"
        # The committee with the most years of reports shows its figures side by side best.
        committee = page.evaluate("""() => { const rows = [...document.querySelectorAll('#coverage tbody tr')];
            rows.sort((a, b) => a.querySelectorAll('td[data-status=missing]').length
                              - b.querySelectorAll('td[data-status=missing]').length);
            return rows.length ? rows[0].querySelector('th a').getAttribute('href') : null; }""")
        page.goto((index.parent / first.split("#")[0]).as_uri())
        page.screenshot(path=args.out / "document.png", full_page=True)
        shots = ["overview.png", "document.png"]
        if committee:
            page.goto((index.parent / committee).as_uri())
            page.screenshot(path=args.out / "committee.png", full_page=True)
            shots.append("committee.png")
        browser.close()
    print("Wrote " + ", ".join(str(args.out / name) for name in shots))
    return 0


if __name__ == "__main__":
    sys.exit(main())
