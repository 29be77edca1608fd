"""The HTTP client: politeness, conditional GETs, status handling, charset decisions and challenge pages."""

from __future__ import annotations

import codecs
import socket
import threading
import time

import pytest

from crawler.errors import ChallengeError, FetchError
from crawler.http import Client, Settings, decide_charset, decode, is_challenge, mojibake
from crawler.replica import site

TEXT = "人大紫阳街工委2018年度工作报告，主任、副主任、各位委员："


@pytest.mark.parametrize(("content", "header", "expected"), [
    (TEXT.encode("utf-8"), None, "utf-8"),
    (TEXT.encode("utf-8"), "text/html; charset=gbk", "utf-8"),
    (TEXT.encode("gbk"), "text/html; charset=gbk", "gb18030"),
    (TEXT.encode("gb2312"), "text/html; charset=GB2312", "gb18030"),
    (b'<meta charset="gbk">' + TEXT.encode("gbk"), None, "gb18030"),
    (b'<meta http-equiv="Content-Type" content="text/html; charset=gb2312">' + TEXT.encode("gbk"), "text/html",
     "gb18030"),
    (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "text/html; charset=gbk", "utf-8-sig"),
    (("<html><body>" + TEXT * 20 + "</body></html>").encode("gb18030"), None, "gb18030"),
])
def test_charset_is_decided_from_the_bytes(content, header, expected):
    """BOM, valid UTF-8, header, <meta> and detection, in that order; gb2312 and gbk widen to gb18030."""
    assert expected == decide_charset(content, header)


@pytest.mark.parametrize(("text", "expected"), [
    (site.challenge_page(), True),
    ("<html><head><meta content=\"{qtABC\"></head></html>", True),
    ("<html><script r='m'>x()</script></html>", True),
    ("<html><head><meta name='keywords' content='人大'></head><body><script src='/js/ewb.js'></script></body>",
     False),
])
def test_challenge_pages_are_recognised(text, expected):
    """The Epoint anti-bot page has a {qt… meta token or a script tagged r='m'; ordinary pages have neither."""
    assert expected == is_challenge(text)


def test_requests_to_one_host_are_spaced_by_the_delay_and_carry_the_user_agent(replica):
    """Three pages fetched in a row arrive at least crawl.delay apart, each with the configured User-Agent."""
    base = replica.base_urls["epoint"]
    with Client(Settings(delay=0.2, user_agent="wrqa-test/1"), [base]) as client:
        for number in (1, 2, 3):
            client.get(f"{base}/zyfb/003005/{number}.html")

    pages = [r for r in replica.requests if r.path != "/robots.txt"]
    gaps = [later.at - earlier.at for earlier, later in zip(pages, pages[1:], strict=False)]
    assert ([True, True], {"wrqa-test/1"}) == ([gap >= 0.19 for gap in gaps], {r.headers["user-agent"] for r in pages})


def test_conditional_get_answers_304_with_no_body(replica):
    """A page asked for with its ETag comes back 304 and empty."""
    base = replica.base_urls["epoint"]
    url = base + site.epoint_articles()[0].path
    with Client(Settings(delay=0), [base]) as client:
        first = client.get(url)
        again = client.get(url, etag=first.etag, last_modified=first.last_modified)

    assert (200, 304, b"") == (first.status, again.status, again.content)


def test_last_modified_alone_gives_a_conditional_get(replica):
    """The provincial site offers only Last-Modified; If-Modified-Since with it answers 304."""
    base = replica.base_urls["hppc"]
    url = base + site.hppc_articles()[0].path
    with Client(Settings(delay=0), [base]) as client:
        first = client.get(url)
        again = client.get(url, last_modified=first.last_modified)

    assert (None, 304) == (first.etag, again.status)


def test_a_404_is_a_fetch_error_and_is_not_retried(replica):
    """A missing page fails once, with a message naming the URL and the status."""
    base = replica.base_urls["epoint"]
    with Client(Settings(delay=0, retries=3, backoff=0.01), [base]) as client, pytest.raises(FetchError) as raised:
        client.get(f"{base}/zyfb/003005/nothing.html")

    assert (["/zyfb/003005/nothing.html"], True) == (
        [p for p in replica.paths("epoint") if p != "/robots.txt"], "HTTP 404" in str(raised.value))


def test_a_host_not_configured_is_never_asked(replica):
    """A URL on another host fails before any request, naming the URL and the fix."""
    with Client(Settings(delay=0), [replica.base_urls["epoint"]]) as client, pytest.raises(FetchError) as raised:
        client.get(replica.base_urls["hppc"] + "/list.php?catid=8&page=1")

    assert ([], True) == (replica.paths("hppc"), "not on a configured host" in str(raised.value))


def test_a_url_urllib_cannot_read_is_a_fetch_error_naming_it(replica):
    with Client(Settings(delay=0), [replica.base_urls["epoint"]]) as client, pytest.raises(FetchError) as raised:
        client.get("http://[x/zyfb/1.html")
    assert str(raised.value).startswith("'http://[x/zyfb/1.html' is not a URL that can be fetched (")


@pytest.mark.parametrize("fault", ["challenge", "challenge:412"])
def test_a_challenge_page_raises_challenge_error(make_replica, fault):
    """A site answering with the JavaScript challenge, as 200 or as 412, gives ChallengeError, never a page."""
    replica = make_replica(faults={"epoint": {"*": fault}})
    base = replica.base_urls["epoint"]
    with Client(Settings(delay=0), [base]) as client, pytest.raises(ChallengeError):
        client.get(f"{base}/zyfb/003005/1.html")


@pytest.mark.parametrize("fault", ["gzip", "deflate", "rawdeflate"])
def test_compressed_bodies_are_inflated_to_the_same_page(make_replica, fault):
    """gzip, zlib deflate and raw deflate bodies all give the bytes of the uncompressed page."""
    path = site.epoint_articles()[0].path
    replica = make_replica(faults={"epoint": {path: fault}})
    base = replica.base_urls["epoint"]
    with Client(Settings(delay=0), [base]) as client:
        packed = client.get(base + path)
        plain = client.get(base + path + "?plain")

    assert plain.content == packed.content and len(packed.content) > 1000


def test_a_redirect_on_the_same_host_is_followed(make_replica):
    """A 301 to another path of the configured host is followed; the response keeps the URL asked for."""
    path = site.epoint_articles()[0].path
    replica = make_replica(faults={"epoint": {path: "moved"}})
    base = replica.base_urls["epoint"]
    with Client(Settings(delay=0), [base]) as client:
        response = client.get(base + path)

    assert (200, base + path, base + path + "?from=moved") == (response.status, response.url, response.final_url)


def test_robots_crawl_delay_spaces_requests_when_longer_than_the_configured_delay(make_replica):
    """Crawl-delay: 0.3 in robots.txt holds requests 0.3 s apart even with crawl.delay = 0."""
    replica = make_replica(robots={"epoint": "User-agent: *\nCrawl-delay: 0.3\nDisallow: /admin/\n"})
    base = replica.base_urls["epoint"]
    with Client(Settings(delay=0), [base]) as client:
        for number in (1, 2):
            client.get(f"{base}/zyfb/003005/{number}.html")

    pages = [r.at for r in replica.requests if r.path != "/robots.txt"]
    assert pages[1] - pages[0] >= 0.29


def test_a_robots_txt_that_cannot_be_read_forbids_the_host(make_replica):
    """robots.txt answering 503 after its retries means nothing else is asked of that host (RFC 9309)."""
    replica = make_replica(faults={"epoint": {"/robots.txt": "503:99"}})
    base = replica.base_urls["epoint"]
    with Client(Settings(delay=0, retries=1, backoff=0.01), [base]) as client, pytest.raises(FetchError) as raised:
        client.get(f"{base}/zyfb/003005/1.html")

    assert ({"/robots.txt"}, True) == (set(replica.paths("epoint")), "HTTP 503" in str(raised.value))


# --- every wait bounded, and cut short by a stop ----------------------------------------------------

ZIYANG = site.epoint_articles()[0].path


@pytest.fixture
def full_backlog():
    """A server on 127.0.0.1 that never accepts: its listen queue is full, so a new connect waits for ever."""
    with socket.socket() as server, socket.socket() as queued:
        server.bind(("127.0.0.1", 0))
        server.listen(0)
        queued.connect(server.getsockname())
        yield f"http://127.0.0.1:{server.getsockname()[1]}"


def test_a_page_trickling_in_fails_at_crawl_max_page_seconds(make_replica):
    """A server sending one byte every 0.05 s never falls silent for crawl.timeout, yet the request ends at its
    deadline with a message naming the setting, and is not retried."""
    replica = make_replica(faults={"epoint": {ZIYANG: "trickle:0.05"}})
    base = replica.base_urls["epoint"]
    started = time.monotonic()
    with Client(Settings(delay=0, timeout=5, max_page_seconds=1, retries=2), [base]) as client, \
            pytest.raises(FetchError) as raised:
        client.get(base + ZIYANG)

    assert (True, True, 1) == (time.monotonic() - started < 3, "crawl.max_page_seconds=1" in str(raised.value),
                               replica.paths("epoint").count(ZIYANG))


@pytest.mark.parametrize("wait", ["connect", "answer", "pause"])
def test_a_stop_interrupts_a_request_in_any_of_its_waits(make_replica, full_backlog, wait):
    """A stop 0.5 s into a connect that never completes, an answer trickling in, or a Retry-After pause of 30 s
    ends the request within 2 s with a FetchError saying it was interrupted."""
    faults = {"answer": "trickle:0.05", "pause": "429:1:30"}
    replica = make_replica(faults={"epoint": {ZIYANG: faults[wait]}} if wait in faults else {})
    url = full_backlog + ZIYANG if wait == "connect" else replica.base_urls["epoint"] + ZIYANG
    stop = threading.Event()
    threading.Timer(0.5, stop.set).start()
    started = time.monotonic()
    with Client(Settings(delay=0, timeout=20, obey_robots=False), [url], stop) as client, \
            pytest.raises(FetchError) as raised:
        client.get(url)

    assert (True, True) == (time.monotonic() - started < 2, "interrupted by a stop request" in str(raised.value))


# --- a body is a page only when it came whole ---------------------------------------------------------


@pytest.mark.parametrize(("fault", "words"), [
    ("cut:gzip", "compressed body that stops before its end"),
    ("cut:close", "before its closing </html>"),
])
def test_a_body_cut_short_is_a_fetch_error(make_replica, fault, words):
    """A gzip stream that stops early (its Content-Length matching the cut) and a body without a length that
    stops before </html> are refused, with a message saying how they were cut."""
    replica = make_replica(faults={"epoint": {ZIYANG: fault}})
    base = replica.base_urls["epoint"]
    with Client(Settings(delay=0), [base]) as client, pytest.raises(FetchError) as raised:
        client.get(base + ZIYANG)

    assert words in str(raised.value)


@pytest.mark.parametrize("fault", ["overlong:chars", "overlong:twice"])
def test_bytes_beyond_the_content_length_are_never_read_as_the_next_answer(make_replica, fault):
    """The page whose server sends more than its Content-Length fails, and the next page asked for on the same
    kept-alive connection is its own page, not the bytes left over."""
    replica = make_replica(faults={"epoint": {ZIYANG: fault}})
    base = replica.base_urls["epoint"]
    other = site.epoint_articles()[1].path
    with Client(Settings(delay=0), [base]) as client:
        with pytest.raises(FetchError) as raised:
            client.get(base + ZIYANG)
        answer = client.get(base + other)

    assert (True, site.epoint_page(site.epoint_articles()[1]).encode()) == (
        "more than its Content-Length" in str(raised.value), answer.content)


# --- the stored text is the text that was served -----------------------------------------------------

PAGE = ("<html><head><meta charset='utf-8'></head><body><p>" + TEXT * 40 + "</p></body></html>").encode("utf-8")
AT = PAGE.index("，".encode(), 500)
ONE_BAD = PAGE[:AT] + b"\xff" + PAGE[AT:]  # a stray byte between two characters, in 4 KB of UTF-8


@pytest.mark.parametrize(("content", "header", "expected"), [
    (ONE_BAD, "text/html; charset=utf-8", "utf-8"),
    (ONE_BAD.replace(b"<meta charset='utf-8'>", b""), "text/html; charset=UTF-8", "utf-8"),
    (ONE_BAD, "text/html", "utf-8"),  # <meta> only
    (ONE_BAD, "text/html; charset=gbk", "utf-8"),  # the wrong header some servers send
    (ONE_BAD.replace(b"<meta charset='utf-8'>", b""), None, "utf-8"),  # nothing declared, no guess
    (PAGE.replace(TEXT.encode(), TEXT.encode("gbk")), "text/html; charset=utf-8", "gb18030"),  # not UTF-8 at all
])
def test_a_few_invalid_bytes_do_not_turn_utf8_into_gb18030(content, header, expected):
    """UTF-8 bytes with at most one invalid sequence per 1,000 bytes are read as UTF-8, above all when a header
    or <meta> declares it; bytes that are mostly not UTF-8 are not."""
    assert expected == decide_charset(content, header)


def test_bytes_the_charset_cannot_read_are_replaced_and_named_in_a_warning():
    """The stray byte becomes U+FFFD, the text around it is intact, and one warning gives the count and offset."""
    text, warnings = decode(ONE_BAD, "utf-8", "http://wcrd.example/a.html")

    assert (PAGE[:AT].decode() + "\ufffd" + PAGE[AT:].decode(), (
        f"'http://wcrd.example/a.html' has 1 byte sequence that utf-8 cannot read, the first at byte {AT}; "
        "each was replaced by U+FFFD (\ufffd) and the rest read as utf-8",)) == (text, warnings)


@pytest.mark.parametrize(("text", "expected"), [
    ("人大紫阳街工委2018年度工作报告".encode().decode("gb18030", "replace"), ("浜哄ぇ绱\ue0a6槼琛楀伐濮\ufffd", "人大紫阳街工姄")),
    ("主任、副主任、各位委员：".encode().decode("gb18030", "replace"), ("涓讳换銆佸壇涓讳换銆佸悇", "主任、副主任、各")),
    ("人大紫阳街工委2018年度工作报告，主任、副主任、各位委员：", None),
    ("徐家棚街道工委凝聚代表力量 缔造幸福生活", None),
    ("Report 2018", None),
])
def test_mojibake_is_told_from_chinese(text, expected):
    """UTF-8 read as GB18030 (浜哄ぇ for 人大) is found, with what it should read; real Chinese and ASCII are not."""
    assert expected == mojibake(text)
