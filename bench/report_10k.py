"""How long the HTML report of 10,000 documents takes to write, and its first page to open in Chromium.

The documents are the seeds' (validated by pandera), copied round-robin with the committee, year and
fingerprints varied, so every page has real text, statistics and findings. Goals: written in under
10 s, index.html painting its first screen (the verdict and the failing documents) in under 1 s and its
table in under 2 s. The report is then written again unchanged, as a run
that found nothing new does: once with the page digests, once without them.
Usage: ``python bench/report_10k.py [--documents N]``.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import platform
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

SEEDS = Path(__file__).resolve().parents[1] / "tests" / "data" / "seeds"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
STREETS = ("积玉桥", "杨园", "徐家棚", "粮道街", "中华路", "黄鹤楼", "紫阳", "白沙洲", "首义路", "中南路",
           "水果湖", "珞珈山", "石洞", "南湖")


def seeds_report() -> dict:
    from checks.batch import analyze_paths
    from reports.json import run_to_dict
    from validators import validate_analyses

    analyses, _ = analyze_paths([str(path) for path in sorted(SEEDS.glob("*.txt"))], 20 * 1024 * 1024)
    return run_to_dict(validate_analyses(analyses, engines=("pandera",)), include_text=True)


def synthesize(report: dict, count: int) -> dict:
    """``report`` with ``count`` documents, copied from its own with committee, year and fingerprints varied."""
    seeds = report["documents"]
    documents = []
    for index in range(count):
        document = copy.deepcopy(seeds[index % len(seeds)])
        document["committee"] = STREETS[index % len(STREETS)]
        document["year"] = 2018 + index % 8
        document["path"] = f"corpus/{index:05d}-{Path(document['path']).name}"
        for finding in document["findings"]:
            finding["fingerprint"] = f"{finding['fingerprint']}-{index}"
        documents.append(document)
    findings = [f for d in documents for f in d["findings"]]
    failed = sum(any(f["severity"] == "error" for f in d["findings"]) for d in documents)
    return dict(report, documents=documents, summary={
        "documents": count, "findings": len(findings), "passed": count - failed, "failed": failed})


def open_in_browser(index: Path) -> tuple[float, float, float]:
    """Seconds until index.html paints its first screen (the verdict and the failing documents, which need no
    script), until it shows its first table page, and until a document page has loaded."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto("about:blank")
        start = time.perf_counter()
        page.goto(index.as_uri())
        page.wait_for_selector("#doc-table tbody tr")
        overview = time.perf_counter() - start
        painted = page.evaluate("performance.getEntriesByName('first-contentful-paint')[0].startTime") / 1000
        start = time.perf_counter()
        page.goto((index.parent / "documents" / "00002.html").as_uri())
        page.wait_for_selector("#text .src > div")
        document = time.perf_counter() - start
        browser.close()
    return painted, overview, document


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=10_000)
    parser.add_argument("--keep", type=Path, default=None, help="write the report here and keep it")
    args = parser.parse_args()

    from reports.folder import MANIFEST
    from reports.html import write_report
    from reports.json import run_from_dict

    report = synthesize(seeds_report(), args.documents)
    size = len(json.dumps(report, ensure_ascii=False).encode())
    run = run_from_dict(report)
    with tempfile.TemporaryDirectory() as folder:
        out = args.keep or Path(folder)
        start = time.perf_counter()
        index = write_report(run, out)
        written = time.perf_counter() - start
        total = sum(path.stat().st_size for path in out.rglob("*.html"))
        print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}")
        print(f"documents: {args.documents:,}; input JSON {size / 1e6:.1f} MB; "
              f"output {total / 1e6:.1f} MB, index.html {index.stat().st_size / 1e6:.2f} MB")
        print(f"written in {written:.2f} s (goal: under 10 s)")
        # A later run that changed nothing: the digests say so and no page is rendered or written.
        again = replace(run, started_at=datetime.now(UTC))
        start = time.perf_counter()
        write_report(again, out)
        print(f"written again unchanged in {time.perf_counter() - start:.2f} s (pages skipped by digest)")
        # Without the digests every page is rendered and compared with the file there, but none written.
        (out / MANIFEST).write_text("{}", encoding="utf-8")
        start = time.perf_counter()
        write_report(again, out)
        print(f"written again unchanged without digests in {time.perf_counter() - start:.2f} s "
              "(pages rendered, compared, not written)")
        if Path(CHROMIUM).exists():
            painted, overview, document = open_in_browser(index)
            print(f"index.html paints its first screen in {painted:.2f} s (goal: under 1 s), shows its table in "
                  f"{overview:.2f} s (goal: under 2 s); a document page loads in {document:.2f} s")
        else:
            print(f"no {CHROMIUM}: run `make browser` to measure opening the report")
    return 0 if written < 10 else 1


if __name__ == "__main__":
    sys.exit(main())
