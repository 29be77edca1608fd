"""How long the main job takes: a first run, a run with nothing changed, and a run after one change.

Runs ``wrqa.job.run_once`` against the bundled replica on loopback with ``--bulk`` extra district
articles (crawl.delay 0, so the figures are the tool's own cost, not the politeness pauses).
Usage: .venv/bin/python bench/job.py [--bulk 200] [--suite auto]
"""

from __future__ import annotations

import argparse
import os
import platform
import tempfile
import time
from pathlib import Path

from crawler.replica.server import serve
from wrqa.config import parse_config
from wrqa.job import run_once


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bulk", type=int, default=200, help="extra generated district articles")
    parser.add_argument("--suite", default="auto", choices=("auto", "pandera", "gx"))
    options = parser.parse_args()
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}; bulk={options.bulk}, suite={options.suite}")
    with tempfile.TemporaryDirectory() as folder, serve(bulk=options.bulk) as replica:
        root = Path(folder)
        config = parse_config({
            "store": {"path": str(root / "store.sqlite3"), "warc_dir": str(root / "warc")},
            "report": {"dir": str(root / "report")},
            "crawl": {"delay": 0, "max_list_pages": 1000},
            "validate": {"suite": options.suite},
            "sources": [
                {"name": "wcrd", "kind": "epoint", "base_url": replica.base_urls["epoint"],
                 "lists": ["zyfb/003005", "dbgz/004002", "zyfb/003006"]},
                {"name": "hppc", "kind": "hppc", "base_url": replica.base_urls["hppc"],
                 "lists": ["list.php?catid=8"]},
            ],
        }, root / "config.toml")
        for label in ("first run", "nothing changed", "one article changed"):
            if label == "one article changed":
                replica.clear()
                run_once(config)  # find an article the crawl asks for again
                path = next(p for p in replica.paths("epoint") if p in replica.sites["epoint"].articles)
                replica.change("epoint", path, "（三）组织代表培训XX次。")
            started = time.perf_counter()
            outcome = run_once(config)
            seconds = time.perf_counter() - started
            print(f"{label:>20}: {seconds:6.2f} s  ({outcome.summary()})")


if __name__ == "__main__":
    main()
