"""Crawl speed: ``wrqa crawl`` (through the library) against a Scrapy spider doing the same parsing.

Serves the replica district site with 2,000 generated article pages (100 a list page) from a separate
process on loopback, then crawls it with politeness off (no delay, no robots.txt) at concurrency 16:
once with ``crawler.crawl.crawl`` into a fresh store and WARC archive, once with a Scrapy spider that
parses list and article pages with the same selectolax adapter and keeps the pages in memory. Prints
pages/s of both and the ratio. Needs the bench extra: ``.venv/bin/pip install -e '.[bench]'``.

    .venv/bin/python bench/crawl_vs_scrapy.py [--pages 2000] [--concurrency 16] [--rounds 3]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIST = "zyfb/003006"
PAGE_SIZE = 100

SERVER = """
import sys, time
from crawler.replica import serve
replica = serve(bulk=int(sys.argv[1]), page_size=int(sys.argv[2]))
print(replica.base_urls["epoint"], flush=True)
while True:
    time.sleep(3600)
"""

SPIDER = """
import json, sys, time
import scrapy
from scrapy.crawler import CrawlerProcess
from crawler import epoint

base, concurrency = sys.argv[1], int(sys.argv[2])
pages = []
list_pages = []

class Replica(scrapy.Spider):
    name = "replica"
    custom_settings = {
        "CONCURRENT_REQUESTS": concurrency, "CONCURRENT_REQUESTS_PER_DOMAIN": concurrency,
        "DOWNLOAD_DELAY": 0, "ROBOTSTXT_OBEY": False, "AUTOTHROTTLE_ENABLED": False,
        "LOG_LEVEL": "WARNING", "TELNETCONSOLE_ENABLED": False, "COOKIES_ENABLED": False,
        "RETRY_ENABLED": True, "HTTPCACHE_ENABLED": False,
    }

    start_urls = [epoint.list_url(base, "__LIST__")]

    def parse(self, response):
        list_pages.append(response.url)
        listing = epoint.parse_list(response.text, response.url)
        for link in listing.links:
            yield scrapy.Request(link.url, callback=self.parse_article, cb_kwargs={"category": "003006"})
        if listing.next_url:
            yield scrapy.Request(listing.next_url, callback=self.parse)

    def parse_article(self, response, category):
        page = epoint.parse_article(response.text, response.url, "bench", category)
        pages.append(page)

process = CrawlerProcess()
process.crawl(Replica)
started = time.perf_counter()
process.start()
seconds = time.perf_counter() - started
print(json.dumps({"pages": len(list_pages) + len(pages), "articles": len(pages), "seconds": seconds}))
""".replace("__LIST__", LIST)


def start_server(pages: int) -> tuple[subprocess.Popen, str]:
    process = subprocess.Popen([sys.executable, "-c", SERVER, str(pages), str(PAGE_SIZE)], cwd=ROOT,
                               stdout=subprocess.PIPE, text=True)
    return process, process.stdout.readline().strip()


def run_wrqa(base: str, pages: int, concurrency: int) -> dict:
    from crawler.crawl import crawl
    from wrqa.config import parse_config

    with tempfile.TemporaryDirectory() as folder:
        config = parse_config({
            "store": {"path": f"{folder}/store.sqlite3", "warc_dir": f"{folder}/warc"},
            "crawl": {"delay": 0.0, "concurrency": concurrency, "obey_robots": False,
                      "max_list_pages": pages // PAGE_SIZE + 2},
            "sources": [{"name": "bench", "kind": "epoint", "base_url": base, "lists": [LIST]}],
        })
        started = time.perf_counter()
        stats = crawl(config)
        seconds = time.perf_counter() - started
    return {"pages": stats.fetched, "articles": stats.new, "seconds": seconds, "failed": stats.failed}


def run_scrapy(base: str, concurrency: int) -> dict:
    # Scrapy reads its callbacks' source, so the spider must live in a file rather than in -c.
    with tempfile.TemporaryDirectory() as folder:
        script = Path(folder) / "replica_spider.py"
        script.write_text(SPIDER, encoding="utf-8")
        result = subprocess.run([sys.executable, str(script), base, str(concurrency)], cwd=ROOT, capture_output=True,
                                text=True, check=False, env={**os.environ, "PYTHONPATH": str(ROOT)})
    if result.returncode != 0:
        raise SystemExit(f"the Scrapy spider failed:\n{result.stderr[-2000:]}")
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000, help="article pages served (default 2000)")
    parser.add_argument("--concurrency", type=int, default=16, help="requests under way at once (default 16)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each crawler; the best is kept")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    server, base = start_server(args.pages)
    try:
        wrqa_runs, scrapy_runs = [], []
        for _ in range(args.rounds):
            wrqa_runs.append(run_wrqa(base, args.pages, args.concurrency))
            scrapy_runs.append(run_scrapy(base, args.concurrency))
    finally:
        server.terminate()
        server.wait()
    best_wrqa = max(wrqa_runs, key=lambda run: run["pages"] / run["seconds"])
    best_scrapy = max(scrapy_runs, key=lambda run: run["pages"] / run["seconds"])
    wrqa_rate = best_wrqa["pages"] / best_wrqa["seconds"]
    scrapy_rate = best_scrapy["pages"] / best_scrapy["seconds"]
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}")
    print(f"{args.pages} article pages + list pages of {PAGE_SIZE}, concurrency {args.concurrency}, "
          f"best of {args.rounds}")
    print(f"wrqa crawl: {best_wrqa['pages']} pages ({best_wrqa['articles']} stored) in {best_wrqa['seconds']:.2f} s"
          f" = {wrqa_rate:.0f} pages/s (parse + SQLite + WARC)")
    print(f"scrapy:     {best_scrapy['pages']} pages ({best_scrapy['articles']} parsed) in "
          f"{best_scrapy['seconds']:.2f} s = {scrapy_rate:.0f} pages/s (parse, kept in memory)")
    print(f"ratio wrqa/scrapy: {wrqa_rate / scrapy_rate:.2f}")


if __name__ == "__main__":
    main()
