"""The crawler's commands: crawl, export, reextract and demo-sites, as a user runs them."""

from __future__ import annotations

import json
import re
import signal
import subprocess
import sys
import time
from datetime import datetime
from urllib.parse import urlsplit

import httpx
import pytest
from click.testing import CliRunner

from crawler import domain
from crawler.replica import site
from crawler.store import Store
from wrqa.cli import main

WANTED = [a for a in site.epoint_articles() + site.hppc_articles() if domain.document_kind(a.title) != "other"]


def write_config(tmp_path, replica, extra: str = "") -> str:
    path = tmp_path / "config.toml"
    path.write_text(
        f'[store]\npath = "{tmp_path}/var/store.sqlite3"\nwarc_dir = "{tmp_path}/var/warc"\n'
        f"[crawl]\ndelay = 0.0\n{extra}"
        f'[[sources]]\nname = "wcrd"\nkind = "epoint"\nbase_url = "{replica.base_urls["epoint"]}"\n'
        'lists = ["zyfb/003005", "dbgz/004002"]\n'
        f'[[sources]]\nname = "hppc"\nkind = "hppc"\nbase_url = "{replica.base_urls["hppc"]}"\n'
        'lists = ["list.php?catid=8"]\n', encoding="utf-8")
    return str(path)


def test_crawl_ends_with_one_summary_line_and_exit_code_0(replica, tmp_path):
    """A clean crawl prints 'N pages fetched, N new, … seconds' and nothing else on standard output, counting
    the pages read and judged no committee's and the attachments on hosts not configured."""
    config = write_config(tmp_path, replica)

    result = CliRunner().invoke(main, ["crawl", "--config", config, "--once"])

    summary = re.fullmatch(r"(\d+) pages fetched, (\d+) new, 0 changed, 0 unchanged, 0 failed, (\d+) judged unwanted, "
                           r"(\d+) skipped, \d+ bytes, [\d.]+ s\n", result.stdout)
    counts = tuple(int(summary[n]) for n in (2, 3, 4)) if summary else None
    with Store(tmp_path / "var" / "store.sqlite3", read_only=True) as store:
        unwanted = len(store.judged_unwanted("wcrd") | store.judged_unwanted("hppc"))
    skipped = result.stderr.count("is not on a configured host")
    assert (0, (len(WANTED), unwanted, skipped)) == (result.exit_code, counts)


def test_crawl_of_one_source_and_failed_pages_give_exit_code_1(make_replica, tmp_path):
    """--source limits the crawl; a page that failed makes the exit code 1 and is named on standard error."""
    replica = make_replica(faults={"hppc": {site.hppc_articles()[0].path: "503:9"}})
    config = write_config(tmp_path, replica, extra="retries = 0\n")

    result = CliRunner().invoke(main, ["crawl", "--config", config, "--source", "hppc"])

    assert (1, [], True) == (result.exit_code, replica.paths("epoint"), "HTTP 503" in result.stderr)


@pytest.mark.parametrize(("text", "words"), [
    ("[crawl]\ndelay = -1\n", "'crawl.delay' is -1"),
    ("[crawl]\nspeed = 3\n", "unknown key 'crawl.speed'"),
    ('[[sources]]\nname = "x"\nkind = "drupal"\nbase_url = "http://a"\n', "'kind' is 'drupal'"),
])
def test_a_bad_config_is_one_line_naming_the_key_and_file(tmp_path, text, words):
    """Exit code 2 and one sentence naming the file and the key, no traceback."""
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")

    result = CliRunner().invoke(main, ["crawl", "--config", str(path)])

    assert (2, True, True, 1) == (result.exit_code, words in result.stderr, str(path) in result.stderr,
                                  len(result.stderr.strip().splitlines()))


def test_export_writes_one_json_object_a_line_with_the_documented_fields(replica, tmp_path):
    """Every stored document is a JSON line with url, site, category, title, ISO +08:00 time, committee, …"""
    config = write_config(tmp_path, replica)
    CliRunner().invoke(main, ["crawl", "--config", config])

    result = CliRunner().invoke(main, ["export", "--config", config, "--format", "jsonl"])

    rows = [json.loads(line) for line in result.stdout.splitlines()]
    fields = {"url", "site", "category", "title", "published_at", "committee", "year", "kind", "text"}
    report = next(row for row in rows if row["title"] == "人大紫阳街工委2018年度工作报告")
    assert (0, len(WANTED), True) == (result.exit_code, len(rows), all(fields <= set(row) for row in rows))
    assert (("wcrd", "003005", "紫阳", 2018, "report"), "2018-12-27T15:41:00+08:00") == (
        (report["site"], report["category"], report["committee"], report["year"], report["kind"]),
        report["published_at"])
    assert datetime.fromisoformat(report["published_at"]).utcoffset().total_seconds() == 8 * 3600


def test_export_without_a_store_says_to_crawl_first(tmp_path):
    """No store yet: exit code 2 and a sentence naming the path and 'wrqa crawl'."""
    path = tmp_path / "c.toml"
    path.write_text(f'[store]\npath = "{tmp_path}/none.sqlite3"\n', encoding="utf-8")

    result = CliRunner().invoke(main, ["export", "--config", str(path)])

    assert (2, True) == (result.exit_code, "wrqa crawl" in result.stderr)


def test_reextract_reports_counts_without_fetching(replica, tmp_path):
    """After a crawl, reextract finds every document unchanged and makes no request."""
    config = write_config(tmp_path, replica)
    CliRunner().invoke(main, ["crawl", "--config", config])
    replica.clear()

    result = CliRunner().invoke(main, ["reextract", "--config", config])

    assert (0, f"0 changed, {len(WANTED)} unchanged, 0 without archive or adapter\n", []) == (
        result.exit_code, result.stdout, replica.requests)


@pytest.mark.parametrize("command", ["crawl", "export", "reextract", "demo-sites"])
def test_every_command_has_help(command):
    """--help describes the command."""
    result = CliRunner().invoke(main, [command, "--help"])

    assert (0, True) == (result.exit_code, "Usage:" in result.output and len(result.stdout) > 200)


@pytest.mark.parametrize(("stop", "started_with"), [
    (signal.SIGINT, signal.SIG_DFL), (signal.SIGTERM, signal.SIG_DFL),
    # A shell starts a background job (make test &, a CI runner's script) with Ctrl-C ignored.
    (signal.SIGINT, signal.SIG_IGN),
], ids=["ctrl-c", "sigterm", "ctrl-c-in-a-background-job"])
def test_demo_sites_serves_both_sites_until_interrupted(stop, started_with):
    """demo-sites prints two base URLs that answer list pages, and ends cleanly on Ctrl-C or SIGTERM, however
    the shell that started it left Ctrl-C."""
    process = subprocess.Popen([sys.executable, "-c", "from wrqa.cli import main; main()", "demo-sites", "--port",
                                "0"], stdout=subprocess.PIPE, text=True,
                               preexec_fn=lambda: signal.signal(signal.SIGINT, started_with))
    try:
        lines = [process.stdout.readline() for _ in range(2)]
        urls = [re.search(r"http://127\.0\.0\.1:\d+", line)[0] for line in lines]
        statuses = [httpx.get(urls[0] + "/zyfb/003005/1.html").status_code,
                    httpx.get(urls[1] + "/list.php?catid=8&page=1").status_code]
    finally:
        process.send_signal(stop)
        code = process.wait(timeout=10)
    assert ([200, 200], 0) == (statuses, code)


def test_sigterm_interrupts_the_page_under_way_and_the_next_crawl_fetches_it(make_replica, tmp_path):
    """One SIGTERM while a page trickles in (a byte a second) ends 'wrqa crawl' within 10 s with exit code 1 and
    the page named as interrupted; the store records it as failed, and the next crawl stores it."""
    ziyang = site.epoint_articles()[0].path
    replica = make_replica(faults={"epoint": {ziyang: "trickle:1"}})
    config = write_config(tmp_path, replica)
    process = subprocess.Popen([sys.executable, "-c", "from wrqa.cli import main; main()", "crawl", "--config",
                                config, "--once"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while ziyang not in replica.paths("epoint") and time.monotonic() < deadline:
            time.sleep(0.1)
        started = time.monotonic()
        process.send_signal(signal.SIGTERM)
        _, stderr = process.communicate(timeout=30)
        seconds = time.monotonic() - started
    finally:
        process.kill()
    with Store(tmp_path / "var" / "store.sqlite3") as store:
        failed = {urlsplit(url).path: error for url, error in store.failures()}
    replica.sites["epoint"].faults.clear()
    again = CliRunner().invoke(main, ["crawl", "--config", config, "--once"])
    with Store(tmp_path / "var" / "store.sqlite3") as store:
        stored = {urlsplit(page.url).path for page in store.pages()}

    assert (1, True, True, True) == (process.returncode, seconds < 10, "interrupted by a stop request" in stderr,
                                     "interrupted by a stop request" in failed.get(ziyang, ""))
    assert (0, True) == (again.exit_code, ziyang in stored)
