"""Screenshots of the HTML report for reviewers: the overview and one document page, as PNG files.

Renders the report of a results file (``wrqa validate --format json``) or, by default, of the seeds
in ``tests/data/seeds``, then opens it in Debian's headless Chromium via Playwright.
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
SEEDS = (Path(__file__).resolve().parent.parent / "tests" / "data" / "seeds",)


def seed_report(engines: tuple[str, ...] = ("pandera", "gx")):
    """The run, texts included, of a validation over the seed texts."""
    from checks.batch import analyze_paths
    from validators import validate_analyses
    from validators.records import InputError

    folder = next(folder for folder in SEEDS if any(folder.glob("*.txt")))
    analyses, failures = analyze_paths([str(path) for path in sorted(folder.glob("*.txt"))], 20 * 1024 * 1024)
    errors = [InputError(path=failure.path, message=str(failure)) for failure in failures]
    return validate_analyses(analyses, engines=engines, errors=errors)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--input", type=Path, help="results JSON written by `wrqa validate --format json`")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"), help="folder for the PNG files")
    parser.add_argument("--document", type=int, default=None,
                        help="number of the document page to shoot [default: the one with most findings]")
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"No {CHROMIUM}; run `make browser` (as root) to install Debian's chromium.", file=sys.stderr)
        return 2
    from playwright.sync_api import sync_playwright

    from reports.html import write_report
    from reports.json import run_from_dict

    report = run_from_dict(json.loads(args.input.read_text(encoding="utf-8"))) if args.input else seed_report()
    findings = [len(document.findings) for document in report.documents]
    number = args.document or 1 + max(range(len(findings)), key=findings.__getitem__, default=0)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        index = write_report(report, Path(folder))
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(index.as_uri())
        page.screenshot(path=args.out / "overview.png", full_page=True)
        page.goto((index.parent / "documents" / f"{number:05d}.html").as_uri())
        page.screenshot(path=args.out / "document.png", full_page=True)
        browser.close()
    print(f"Wrote {args.out / 'overview.png'} and {args.out / 'document.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
