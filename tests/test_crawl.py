"""The crawl against the replica: everything wanted stored once, incremental runs, stops, kills, re-extraction."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import timedelta
from urllib.parse import urlsplit

import pytest

from crawler import domain
from crawler.crawl import crawl, reextract
from crawler.records import Page
from crawler.replica import site
from crawler.store import Store

WANTED = {a.path for a in site.epoint_articles() + site.hppc_articles() if domain.document_kind(a.title) != "other"}


def stored_paths(config) -> dict[str, int]:
    """Versions stored per URL path."""
    with Store(config.path_of("store.path")) as store:
        counts = store.version_counts()
    return {urlsplit(url).path: count for url, count in counts.items()}


def test_first_crawl_stores_every_wanted_article_once_and_nothing_else(replica, crawl_config):
    """Reports and committee news of both sites are stored once; other committee documents are not fetched."""
    config = crawl_config(replica)

    stats = crawl(config)

    counts = stored_paths(config)
    assert (WANTED, {1}, len(WANTED), 0) == (set(counts), set(counts.values()), stats.new, stats.failed)


def test_the_two_hosts_are_crawled_at_the_same_time_each_with_its_own_pause(replica, crawl_config):
    """With a pause of 0.1 s a host, the requests to the district and the provincial site overlap in time (the
    crawl takes the longer host's time, not the sum), and no host is asked twice within its pause."""
    config = crawl_config(replica, crawl={"delay": 0.1, "concurrency": 1})

    stats = crawl(config)

    times = {name: [r.at for r in replica.requests if r.site == name] for name in ("epoint", "hppc")}
    overlap = min(max(t) for t in times.values()) > max(min(t) for t in times.values())
    closest = min(later - earlier for t in times.values() for earlier, later in zip(t, t[1:], strict=False))
    assert (len(WANTED), True, True) == (stats.new, overlap, closest >= 0.1 * 0.95)


def test_second_crawl_of_an_unchanged_site_stores_nothing_and_only_lists_and_checks(replica, crawl_config):
    """Run two reads page 1 of each list, asks for the listed articles conditionally, and gets 304s."""
    config = crawl_config(replica)
    crawl(config)
    replica.clear()

    stats = crawl(config)

    articles = [r for r in replica.requests if r.path != "/robots.txt" and "list.php" not in r.path
                and not r.path.endswith(("/1.html",))]
    conditional = all("if-none-match" in r.headers or "if-modified-since" in r.headers for r in articles)
    lists = sorted(r.path for r in replica.requests if "list.php" in r.path or r.path.endswith("/1.html"))
    assert ((0, 0, len(articles)), True, ["/dbgz/004002/1.html", "/list.php?catid=8&page=1", "/zyfb/003005/1.html"]) \
        == ((stats.new, stats.changed, stats.unchanged), conditional, lists)


def test_a_changed_article_gets_a_second_version(replica, crawl_config):
    """An article edited on the site is stored again as version 2; the others stay at version 1."""
    config = crawl_config(replica)
    crawl(config)
    newest = max((a for a in site.epoint_articles() if a.path in WANTED), key=lambda a: a.published)
    replica.change("epoint", newest.path, "（本文有更正）")

    stats = crawl(config)

    counts = stored_paths(config)
    assert (1, {newest.path: 2}) == (stats.changed, {p: c for p, c in counts.items() if c > 1})


def test_a_new_article_is_fetched_and_paging_stops_where_nothing_is_new(replica, crawl_config):
    """A report published after run one is stored in run two, which reads no list page beyond the second."""
    config = crawl_config(replica, sources=("epoint",))
    crawl(config)
    model = next(a for a in site.epoint_articles() if a.expected["kind"] == "report")
    fresh = replace(model, path="/zyfb/003005/20240110/new-report.html", title="人大南湖街道工委2023年工作报告",
                    published=model.published + timedelta(days=365))
    replica.add("epoint", fresh)
    replica.clear()

    stats = crawl(config)

    list_pages = sorted(p for p in replica.paths("epoint") if re.fullmatch(r"/\w+/\d{6}/\d+\.html", p))
    assert (1, ["/dbgz/004002/1.html", "/zyfb/003005/1.html", "/zyfb/003005/2.html"]) == (stats.new, list_pages)


def test_stop_ends_the_crawl_after_the_page_under_way_and_the_next_run_completes(replica, crawl_config):
    """A stop set after the first page (stored, or judged no committee's) ends the run early: each host, crawled at
    the same time as the other, ends after the one page it had under way; the next run stores the rest, once each."""
    from collections import Counter

    config = crawl_config(replica)
    stop = threading.Event()

    def progress(source, done, total):
        if done >= 1:
            stop.set()

    first = crawl(config, progress=progress, stop=stop)
    with Store(config.path_of("store.path")) as store:
        kept = Counter(urlsplit(url).netloc for url in store.version_counts())
        kept.update(urlsplit(url).netloc for source in ("wcrd", "hppc") for url in store.judged_unwanted(source))
    second = crawl(config)

    counts = stored_paths(config)
    assert (True, first.new + first.unwanted, 1, WANTED, {1}) == (
        first.stopped, sum(kept.values()), max(kept.values()), set(counts), set(counts.values()))
    assert len(WANTED) - first.new == second.new


def test_a_crawl_killed_midway_is_completed_by_the_next_with_every_document_once(make_replica, crawl_config, tmp_path):
    """SIGKILL during a slowed crawl, then a new run: every wanted article stored exactly once."""
    replica = make_replica(delay=0.05)
    config = crawl_config(replica)
    toml = tmp_path / "config.toml"
    toml.write_text(
        f'[store]\npath = "{config.path_of("store.path")}"\nwarc_dir = "{config.path_of("store.warc_dir")}"\n'
        '[crawl]\ndelay = 0.0\n'
        f'[[sources]]\nname = "wcrd"\nkind = "epoint"\nbase_url = "{replica.base_urls["epoint"]}"\n'
        'lists = ["zyfb/003005", "dbgz/004002"]\n'
        f'[[sources]]\nname = "hppc"\nkind = "hppc"\nbase_url = "{replica.base_urls["hppc"]}"\n'
        'lists = ["list.php?catid=8"]\n', encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-c", "from wrqa.cli import main; main()", "crawl", "--config",
                                str(toml)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if config.path_of("store.path").exists() and len(stored_paths(config)) >= 5:
            break
        time.sleep(0.02)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    before = stored_paths(config)

    crawl(config)

    counts = stored_paths(config)
    assert (True, WANTED, {1}) == (5 <= len(before) < len(WANTED), set(counts), set(counts.values()))
    with Store(config.path_of("store.path")) as store:
        assert ["interrupted", "done"] == [run["status"] for run in store.runs()]


def test_reextract_reads_the_archive_without_fetching(replica, crawl_config):
    """Re-extraction after a crawl finds every page unchanged and asks the server for nothing."""
    config = crawl_config(replica)
    crawl(config)
    replica.clear()

    counts = reextract(config)

    assert ({"changed": 0, "unchanged": len(WANTED), "missing": 0}, []) == (counts, replica.requests)


@pytest.mark.parametrize(("names", "message"), [
    (["nope"], "No source named 'nope'"),
])
def test_an_unknown_source_name_is_a_clear_error(replica, crawl_config, names, message):
    """Asking for a source the config does not have names it and lists the known ones."""
    from crawler.errors import CrawlerError

    with pytest.raises(CrawlerError) as raised:
        crawl(crawl_config(replica), sources=names)

    assert message in str(raised.value) and "wcrd, hppc" in str(raised.value)


def versions_of_a0(store: Store) -> dict[str, int]:
    """Versions stored per key of the article a0.html, however the key is spelled."""
    spellings = ("a0.html", "a0.html#top", "%61%30.html")
    return {url: count for url, count in store.version_counts().items() if url.rsplit("/", 1)[1] in spellings}


def write_config(tmp_path, replica) -> str:
    """A config file that crawls the district replica into ``tmp_path``."""
    path = tmp_path / "config.toml"
    path.write_text(
        f'[store]\npath = "{tmp_path}/store.sqlite3"\nwarc_dir = "{tmp_path}/warc"\n[crawl]\ndelay = 0.0\n'
        f'[[sources]]\nname = "wcrd"\nkind = "epoint"\nbase_url = "{replica.base_urls["epoint"]}"\n'
        'lists = ["zyfb/003005", "dbgz/004002"]\n', encoding="utf-8")
    return str(path)


def test_an_article_linked_many_ways_is_one_document_and_script_links_fail_nothing(replica, tmp_path):
    """a0.html, a0.html#top, %61%30.html and HTTP://127.0.0.1:PORT/… store one document; JAVASCRIPT:alert(1),
    '  javascript:void(0)' and mailto: are no documents and no failures: exit 0, and a second crawl stores nothing."""
    from click.testing import CliRunner

    from wrqa.cli import main

    article = site.linked_many_ways("epoint", replica.base_urls["epoint"])
    replica.add("epoint", article)
    config = write_config(tmp_path, replica)

    runs = [CliRunner().invoke(main, ["crawl", "--config", config, "--once"]) for _ in range(2)]

    with Store(tmp_path / "store.sqlite3") as store:
        documents = versions_of_a0(store)
        failures = store.failures()
    news = [re.search(r", (\d+) new, (\d+) changed, \d+ unchanged, (\d+) failed", run.stdout).groups() for run in runs]
    assert ([0, 0], {replica.base_urls["epoint"] + article.path: 1}, [], "0", ("0", "0", "0")) == (
        [run.exit_code for run in runs], documents, failures, news[0][2], news[1])


@pytest.mark.parametrize("spelling", ["{base}/zyfb/003005/a0.html#top", "{base}/zyfb/003005/%61%30.html"])
def test_a_document_an_older_store_keyed_otherwise_is_not_stored_twice(replica, crawl_config, spelling):
    """A store that keyed a0.html as it was linked (a fragment, escaped letters) keeps that one document on a
    recrawl: the new version goes under the old key."""
    article = site.linked_many_ways("epoint", replica.base_urls["epoint"])
    replica.add("epoint", article)
    config = crawl_config(replica, sources=("epoint",))
    key = spelling.format(base=replica.base_urls["epoint"])
    with Store(config.path_of("store.path")) as store:
        store.add_links("wcrd", "003005", [(key, article.title, True)], None)
        store.save(Page(url=key, site="wcrd", category="003005", title=article.title, published_at=None,
                        paragraphs=("旧的正文。",)), "wcrd", None)

    crawl(config)

    with Store(config.path_of("store.path")) as store:
        documents = versions_of_a0(store)
    assert {key: 2} == documents


def test_a_script_link_an_older_store_recorded_as_failed_is_not_fetched_again(replica, crawl_config):
    """A javascript: link a store recorded as a failed document is left alone: the crawl fails nothing."""
    config = crawl_config(replica, sources=("epoint",))
    with Store(config.path_of("store.path")) as store:
        store.add_links("wcrd", "003005", [("javascript:alert(1)", "人大南湖街道工委2022年工作报告", True)], None)
        store.record_failure("javascript:alert(1)", "wcrd", "003005", "'javascript:alert(1)' is not on a configured host")

    stats = crawl(config)

    assert (0, ()) == (stats.failed, stats.messages)
