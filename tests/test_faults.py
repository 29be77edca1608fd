"""Each fault of the replica, and what the crawl must do about it."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from crawler import domain
from crawler.crawl import crawl
from crawler.replica import site
from crawler.store import Store

ZIYANG = "/zyfb/003005/20190531/bd41259e-860a-4f08-81e1-a8a0d2257ca8.html"
WANTED_DISTRICT = {a.path for a in site.epoint_articles() if domain.document_kind(a.title) != "other"}
PUBLISHED = {a.path: a.title for a in site.epoint_articles()}


def stored(config) -> set[str]:
    with Store(config.path_of("store.path")) as store:
        return {urlsplit(page.url).path for page in store.pages()}


def titles(config) -> dict[str, str]:
    with Store(config.path_of("store.path")) as store:
        return {urlsplit(page.url).path: page.title for page in store.pages()}


def failures(config) -> dict[str, str]:
    with Store(config.path_of("store.path")) as store:
        return {urlsplit(url).path: error for url, error in store.failures()}


@pytest.mark.parametrize(("fault", "requests"), [
    ("reset:2", 3),
    ("503:2", 3),
    ("429:1:0", 2),
])
def test_transient_faults_are_retried_until_the_page_is_stored(make_replica, crawl_config, fault, requests):
    """Resets, 503 bursts and 429 are retried with backoff; the page is stored and nothing fails."""
    replica = make_replica(faults={"epoint": {ZIYANG: fault}})
    config = crawl_config(replica, sources=("epoint",))

    stats = crawl(config)

    assert (requests, 0, True) == (replica.paths("epoint").count(ZIYANG), stats.failed, ZIYANG in stored(config))


def test_retry_after_is_obeyed_even_when_backoff_is_shorter(make_replica, crawl_config):
    """A 429 with Retry-After: 1 delays the next request to that host by a second, not by the 0.05 s backoff."""
    replica = make_replica(faults={"epoint": {ZIYANG: "429:1:1"}})
    config = crawl_config(replica, sources=("epoint",), crawl={"backoff": 0.05})

    crawl(config)

    times = [r.at for r in replica.requests if r.path == ZIYANG]
    assert (2, True) == (len(times), times[1] - times[0] >= 0.95)


def test_a_retry_after_beyond_the_limit_leaves_the_page_for_the_next_run(make_replica, crawl_config):
    """Retry-After: 3600 above crawl.max_retry_after fails the page at once, with a message saying so."""
    replica = make_replica(faults={"epoint": {ZIYANG: "429:1:3600"}})
    config = crawl_config(replica, sources=("epoint",), crawl={"max_retry_after": 60})

    crawl(config)

    assert (1, True) == (replica.paths("epoint").count(ZIYANG), "max_retry_after" in failures(config)[ZIYANG])


@pytest.mark.parametrize(("fault", "settings", "words"), [
    ("slow:1.5", {"timeout": 0.3, "retries": 1}, "timed out"),
    # a byte every 0.05 s: never silent for crawl.timeout, and the deadline is not retried
    ("trickle:0.05", {"max_page_seconds": 1, "retries": 2}, "crawl.max_page_seconds=1"),
])
def test_a_slow_page_fails_at_its_bound_and_is_stored_by_a_later_run(make_replica, crawl_config, fault, settings,
                                                                     words):
    """A page silent for longer than crawl.timeout (after its retries), or trickling in for longer than
    crawl.max_page_seconds, fails within seconds naming the bound; once the server is quick it is stored."""
    replica = make_replica(faults={"epoint": {ZIYANG: fault}})
    config = crawl_config(replica, sources=("epoint",), crawl=settings)

    first = crawl(config)
    error = failures(config)[ZIYANG]
    replica.sites["epoint"].faults.clear()
    crawl(config)

    assert (1, True, True, WANTED_DISTRICT - {ZIYANG}) == (
        first.failed, first.seconds < 5, words in error, stored(config) - {ZIYANG})
    assert ZIYANG in stored(config) and ZIYANG not in failures(config)


@pytest.mark.parametrize(("fault", "words"), [
    ("gzipbomb", "expands beyond crawl.max_page_bytes"),
    ("oversized", "larger than crawl.max_page_bytes"),
    ("oversized:declared", "more than crawl.max_page_bytes"),
    ("redirect", "redirects to the foreign host 'mirror.example.invalid'"),
    ("cut:gzip", "compressed body that stops before its end"),
    ("cut:close", "before its closing </html>"),
    ("overlong:chars", "more than its Content-Length"),
    ("overlong:twice", "more than its Content-Length"),
])
def test_a_refused_page_fails_with_its_cause_and_every_other_page_is_its_own(make_replica, crawl_config, fault,
                                                                            words):
    """A bomb, an oversized page, a foreign redirect, a body cut short or one overrunning its Content-Length
    fails with a message naming the cause; every other page is stored with its own title (never bytes left on
    the connection by the refused one); once the server is fixed, the next run stores the page."""
    replica = make_replica(faults={"epoint": {ZIYANG: fault}})
    config = crawl_config(replica, sources=("epoint",), crawl={"max_page_bytes": 1024 * 1024})

    stats = crawl(config)
    error = failures(config)[ZIYANG]
    before = titles(config)
    replica.sites["epoint"].faults.clear()
    crawl(config)

    assert (1, True, {path: PUBLISHED[path] for path in WANTED_DISTRICT - {ZIYANG}}) == (
        stats.failed, words in error, before)
    assert (PUBLISHED[ZIYANG], False) == (titles(config).get(ZIYANG), ZIYANG in failures(config))


def test_robots_wildcard_rules_are_honoured(make_replica, crawl_config):
    """Disallow: /dbgz/*/2023030* keeps the crawler off those articles; Allow of a longer path lets one through."""
    robots = "User-agent: *\nDisallow: /dbgz/*/2023030*\nAllow: /dbgz/*/20230305/\n"
    replica = make_replica(robots={"epoint": robots})
    config = crawl_config(replica, sources=("epoint",))

    crawl(config)

    blocked = {p for p in WANTED_DISTRICT if p.startswith("/dbgz/") and "/2023030" in p and "/20230305/" not in p}
    requested = set(replica.paths("epoint"))
    assert (set(), WANTED_DISTRICT - blocked, True) == (
        blocked & requested, stored(config), all("robots.txt" in failures(config)[p] for p in blocked))
    assert blocked and any("/20230305/" in p for p in stored(config))


def test_unchanged_pages_are_answered_304_to_their_validators(replica, crawl_config):
    """Run two sends each stored page's ETag back and counts every 304 as unchanged."""
    config = crawl_config(replica, sources=("epoint",))
    crawl(config)
    with Store(config.path_of("store.path")) as store:
        etags = {page.url: store.state(page.url).etag for page in store.pages()}
    replica.clear()

    stats = crawl(config)

    sent = {replica.base_urls["epoint"] + r.path: r.headers.get("if-none-match") for r in replica.requests
            if replica.base_urls["epoint"] + r.path in etags}
    assert ({url: etags[url] for url in sent}, len(sent), 0) == (sent, stats.unchanged, stats.new)


def test_a_challenge_page_is_reported_for_its_source_and_the_other_source_goes_on(make_replica, crawl_config):
    """A district site answering with a JS challenge stores nothing, says so, and stops asking it."""
    replica = make_replica(faults={"epoint": {"*": "challenge"}})
    config = crawl_config(replica)

    stats = crawl(config)

    pages = stored(config)
    wanted_provincial = {a.path for a in site.hppc_articles() if domain.document_kind(a.title) != "other"}
    assert (wanted_provincial, True, True) == (
        pages, any("wcrd" in m and "challenge" in m for m in stats.messages), len(replica.paths("epoint")) <= 2)


def test_a_site_whose_robots_txt_fails_is_skipped_with_one_message(make_replica, crawl_config):
    """robots.txt answering 503 leaves the district site alone this run, in one message; the other site goes on."""
    replica = make_replica(faults={"epoint": {"/robots.txt": "503:99"}})
    config = crawl_config(replica, crawl={"retries": 1, "backoff": 0.01})

    stats = crawl(config)

    wanted_provincial = {a.path for a in site.hppc_articles() if domain.document_kind(a.title) != "other"}
    district = [m for m in stats.messages if m.startswith("wcrd:")]
    assert (wanted_provincial, 1, {"/robots.txt"}) == (stored(config), len(district), set(replica.paths("epoint")))


@pytest.mark.parametrize(("fault", "title", "words"), [
    ("badbyte", PUBLISHED[ZIYANG], "has 1 byte sequence that utf-8 cannot read, the first at byte "),
    ("mojibake", "浜哄ぇ绱\ue0a6槼琛楀伐濮\ufffd2018骞村害宸ヤ綔鎶ュ憡", "reads as UTF-8 decoded as GB18030"),
])
def test_a_page_with_bytes_wrong_is_stored_as_served_and_says_so(make_replica, crawl_config, fault, title, words):
    """One invalid byte in a UTF-8 page leaves its title as published, with a warning naming the byte; a page
    served as mojibake is stored as served, with a warning that it is."""
    replica = make_replica(faults={"epoint": {ZIYANG: fault}})
    config = crawl_config(replica, sources=("epoint",))

    crawl(config)

    with Store(config.path_of("store.path")) as store:
        page = next(page for page in store.pages() if urlsplit(page.url).path == ZIYANG)
    assert (title, 1) == (page.title, sum(words in warning for warning in page.warnings))
