"""The HTTP client of the crawler: the only module that imports httpx.

It is polite to small government servers and wary of what they send back:
- one request at a time per host by default (``crawl.concurrency``), a pause between requests
  (``crawl.delay``, or the robots.txt Crawl-delay when longer), a clear User-Agent;
- robots.txt honoured through Protego; ``Retry-After`` on 429/503 obeyed;
- retries with exponential backoff on timeouts, connection errors, 5xx, 408 and 429, never on other 4xx;
- every request bounded: ``crawl.timeout`` of silence per read, ``crawl.max_page_seconds`` in all, from the
  connect to the last byte; a stop (``threading.Event``) interrupts a request or a pause within half a second;
- bodies streamed with a size cap (``crawl.max_page_bytes``, an attachment's ``crawl.max_attachment_bytes``),
  gzip/deflate decompressed here with the same cap (httpx alone would
  expand a small gzip bomb without limit); a body is a page only when it came whole: the compressed
  stream ended, the bytes on the connection match the framing (or the connection is closed before another
  request can read them), and a body without a length ends its HTML;
- the charset decided from the bytes; gb2312 and gbk decoded as gb18030; a declared UTF-8 trusted over a
  few invalid bytes, which are replaced and reported in ``Response.warnings``;
- only configured hosts fetched, redirects to any other host refused;
- an anti-bot JavaScript challenge page raised as ``ChallengeError``, never returned as content.

Pages are fetched through httpcore, httpx's own engine, over ``crawler.network``: the network backend
every wait on a socket passes through, so that a deadline and a stop can cut any of them short.

It must never parse pages or touch the store.
"""

from __future__ import annotations

import codecs
import email.utils
import re
import threading
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx
from charset_normalizer import from_bytes
from protego import Protego

from crawler.errors import ChallengeError, FetchError, UnreachableError
from crawler.network import Exchange, Network, stopped

RETRY_STATUSES = frozenset({408, 429, 500, 502, 503, 504})
MAX_REDIRECTS = 5
UTF8_TOLERANCE = 1000  # bytes per invalid UTF-8 sequence up to which UTF-8 bytes are still read as UTF-8

_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w.:-]+)""", re.I)
# The challenge of some Epoint sites: a meta tag holding an encoded token and a script tagged r='m'.
_CHALLENGE = re.compile(r"""<meta[^>]+content\s*=\s*["']\{qt|<script[^>]+\br\s*=\s*["']m["']""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_GB = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "gb_2312-80": "gb18030"}
_NOT_ASCII = re.compile(r"[^\x00-\x7f]{3,}")
_WIDE = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+")  # CJK punctuation, ideographs, full-width forms
_TRANSIENT = (httpcore.TimeoutException, httpcore.NetworkError, httpcore.ProtocolError)


@dataclass(frozen=True)
class Settings:
    """How the client behaves; ``from_config`` reads them off ``wrqa.config.Config``.

    delay: seconds between requests to one host; concurrency: requests under way at once per host;
    retries and backoff: attempts after a transient failure and the first pause (doubled each time);
    max_retry_after: the longest Retry-After obeyed before the page is given up for this run;
    timeout: the longest silence of a server within a request; max_page_seconds: the longest request in all.
    """

    user_agent: str = "wrqa/0.1"
    delay: float = 2.0
    timeout: float = 20.0
    max_page_seconds: float = 30.0
    retries: int = 3
    backoff: float = 1.0
    max_retry_after: float = 300.0
    max_page_bytes: int = 5 * 1024 * 1024
    max_attachment_bytes: int = 20 * 1024 * 1024
    concurrency: int = 1
    obey_robots: bool = True

    @classmethod
    def from_config(cls, config) -> Settings:
        return cls(
            user_agent=config["crawl.user_agent"],
            delay=float(config["crawl.delay"]),
            timeout=float(config["crawl.timeout"]),
            max_page_seconds=float(config["crawl.max_page_seconds"]),
            retries=config["crawl.retries"],
            backoff=float(config["crawl.backoff"]),
            max_retry_after=float(config["crawl.max_retry_after"]),
            max_page_bytes=config["crawl.max_page_bytes"],
            max_attachment_bytes=config["crawl.max_attachment_bytes"],
            concurrency=config["crawl.concurrency"],
            obey_robots=config["crawl.obey_robots"],
        )


@dataclass(frozen=True)
class Response:
    """A fetched page: the URL asked for and the one answered (after same-host redirects), status,
    headers (lower-case names), the decompressed body, its text and the charset it was decoded with, and
    warnings about the text (bytes the charset could not read). ``content`` and ``text`` are empty for a 304."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    content: bytes
    text: str
    encoding: str
    http_version: str = "HTTP/1.1"
    warnings: tuple[str, ...] = ()

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")


@dataclass
class _Host:
    """Per-host politeness: a semaphore of requests under way and the earliest next start."""

    slots: threading.Semaphore
    lock: threading.Lock = field(default_factory=threading.Lock)
    next_start: float = 0.0
    robots: Protego | None = None
    robots_loaded: bool = False
    robots_unreachable: str | None = None
    robots_lock: threading.Lock = field(default_factory=threading.Lock)


def decide_charset(content: bytes, header: str | None = None) -> str:
    """The codec to decode ``content`` with, decided from the bytes.

    Order: a BOM; bytes that are valid UTF-8 (legacy encodings hardly ever produce it by chance, and
    servers send wrong headers); a UTF-8 that the HTTP header or ``<meta charset>`` declares, when the bytes
    are overwhelmingly valid UTF-8 (at most one invalid sequence per ``UTF8_TOLERANCE`` bytes: a stray byte
    must not turn the whole page into GB18030 mojibake); another declared charset that reads every byte;
    overwhelmingly valid UTF-8 again, declared or not; detection. gb2312 and gbk are widened to gb18030,
    of which they are subsets.
    """
    for bom, codec in _BOMS:
        if content.startswith(bom):
            return codec
    invalid = _invalid_utf8(content)
    if invalid == 0:
        return "utf-8"
    mostly_utf8 = invalid * UTF8_TOLERANCE <= len(content)
    declared = []
    if header and (match := _HEADER_CHARSET.search(header)):
        declared.append(match[1])
    if match := _META_CHARSET.search(content[:4096]):
        declared.append(match[1].decode("ascii", "replace"))
    named = [codec for codec in map(_codec, declared) if codec]
    if mostly_utf8 and "utf-8" in named:
        return "utf-8"
    for codec in named:
        if codec != "utf-8":
            try:
                content.decode(codec)
                return codec
            except UnicodeDecodeError:
                continue
    if mostly_utf8:
        return "utf-8"  # no declared charset reads the bytes, and they are UTF-8 but for a few: a guess does worse
    best = from_bytes(content[:200_000]).best()
    if best is not None:
        return _codec(best.encoding) or "gb18030"
    return "gb18030"


def _invalid_utf8(content: bytes) -> int:
    """How many invalid UTF-8 sequences ``content`` holds (the decoder puts one U+FFFD for each)."""
    return content.decode("utf-8", "replace").count("\ufffd") - content.count("\ufffd".encode())


def decode(content: bytes, encoding: str, url: str) -> tuple[str, tuple[str, ...]]:
    """The text of ``content`` in ``encoding``, bytes it cannot read replaced by U+FFFD, and a warning naming
    their count and the offset of the first, so a replaced character is never silent."""
    try:
        return content.decode(encoding), ()
    except UnicodeDecodeError as error:
        first = error.start
    text = content.decode(encoding, errors="replace")
    count = text.count("\ufffd") - content.decode(encoding, errors="ignore").count("\ufffd")
    return text, (
        f"'{url}' has {count} byte sequence{'s' if count > 1 else ''} that {encoding} cannot read, the first at "
        f"byte {first}; each was replaced by U+FFFD (\ufffd) and the rest read as {encoding}",
    )


def mojibake(text: str) -> tuple[str, str] | None:
    """The first stretch of ``text`` that reads as UTF-8 bytes decoded as GB18030 (``浜哄ぇ`` for ``人大``),
    with what it reads as once re-encoded; None when there is none.

    A stretch is mojibake when its GB18030 bytes, read as UTF-8, give more than twice as many Chinese
    characters as invalid sequences: genuine Chinese text gives almost only invalid ones (none of the
    replica's and the corpus's texts has such a stretch; every one of them, so garbled, has).
    """
    for stretch in _NOT_ASCII.findall(text):
        fixed = stretch.encode("gb18030", errors="replace").decode("utf-8", errors="replace")
        readable = sum(map(len, _WIDE.findall(fixed)))
        if readable >= 2 and readable > 2 * fixed.count("\ufffd"):
            return stretch[:12], _WIDE.search(fixed)[0][:8]
    return None


def _codec(name: str) -> str | None:
    name = name.strip().lower().replace("_", "-")
    try:
        return codecs.lookup(_GB.get(name, name)).name
    except LookupError:
        return None


def is_challenge(text: str) -> bool:
    """Whether ``text`` is an anti-bot JavaScript challenge page rather than content."""
    return bool(_CHALLENGE.search(text[:20_000]))


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - time.time(), 0.0)


class _Inflater:
    """Decompresses a gzip or deflate stream chunk by chunk, refusing to grow past ``limit`` bytes."""

    def __init__(self, encoding: str, limit: int, url: str, key: str = "crawl.max_page_bytes") -> None:
        self.limit, self.url, self.size, self.key = limit, url, 0, key
        self.raw_deflate = False
        if encoding in ("gzip", "x-gzip"):
            self.inflater = zlib.decompressobj(zlib.MAX_WBITS | 16)
        else:
            self.inflater = zlib.decompressobj()
            self.raw_deflate = encoding == "deflate"
        self.started = False

    def feed(self, chunk: bytes) -> bytes:
        if self.raw_deflate and not self.started:
            self.started = True
            # "deflate" is zlib-wrapped by the standard but raw deflate in practice on some servers.
            if chunk and (chunk[0] & 0x0F) != 8:
                self.inflater = zlib.decompressobj(-zlib.MAX_WBITS)
        out = bytearray()
        data = chunk
        while data:
            room = self.limit - self.size + 1
            try:
                piece = self.inflater.decompress(data, room)
            except zlib.error as error:
                raise FetchError(f"'{self.url}' sent a corrupt compressed body ({error})") from None
            self._grow(len(piece))
            out += piece
            data = self.inflater.unconsumed_tail
        return bytes(out)

    def finish(self) -> None:
        """Raises ``FetchError`` unless the compressed stream reached its end: a body cut short is no page."""
        if not self.inflater.eof:
            raise FetchError(
                f"'{self.url}' sent a compressed body that stops before its end (cut short on the way); "
                "not stored, it is fetched again on the next run"
            )

    def _grow(self, count: int) -> None:
        self.size += count
        if self.size > self.limit:
            raise FetchError(
                f"'{self.url}' expands beyond {self.key}={self.limit} when decompressed; "
                f"skipped (raise {self.key} if the page is genuine)"
            )


class Client:
    """Fetches pages from a fixed set of hosts, politely; thread-safe, one per crawl.

    ``hosts`` are the base URLs (or netlocs) of the configured sources; any other host is refused.
    ``stop``, when set, interrupts the requests and pauses under way: they raise ``FetchError``.
    Use as a context manager, or call ``close``.
    """

    def __init__(self, settings: Settings, hosts: Iterable[str], stop: threading.Event | None = None) -> None:
        self.settings = settings
        self.allowed = {urlsplit(h).netloc.lower() if "//" in h else h.lower() for h in hosts}
        self.stop = stop or threading.Event()
        self._hosts: dict[str, _Host] = {}
        self._hosts_lock = threading.Lock()
        self.requests = 0
        self.bytes = 0
        self._count_lock = threading.Lock()
        self._crawl_delays: dict[str, float] = {}
        self._network = Network(self.stop)
        self._headers = [("User-Agent", settings.user_agent), ("Accept", "*/*"),
                         ("Accept-Encoding", "gzip, deflate")]
        self._timeouts = dict.fromkeys(("connect", "read", "write", "pool"), settings.timeout)
        self._pool = httpcore.ConnectionPool(
            max_connections=max(settings.concurrency * 4, 10),
            max_keepalive_connections=max(settings.concurrency * 4, 10),
            keepalive_expiry=5.0,  # httpx's default: a kept-alive connection older than this is not reused
            network_backend=self._network,
        )

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        self._pool.close()

    def get(self, url: str, etag: str | None = None, last_modified: str | None = None, *,
            attachment: bool = False) -> Response:
        """The page at ``url``; with ``etag``/``last_modified`` a conditional GET that may answer 304.

        ``attachment``: a file linked from a page (.docx, .pdf…), capped at ``crawl.max_attachment_bytes`` and
        returned as bytes, its ``text`` empty: only a reader of its format can tell what it says.

        Raises ``FetchError`` (robots, foreign host, status, size, network after retries),
        ``ChallengeError`` (an anti-bot page) or ``UnreachableError`` (the host's robots.txt cannot be read).
        """
        netloc = self._check_host(url, url)
        if self.settings.obey_robots and not self._robots_allow(netloc, url):
            raise FetchError(f"robots.txt of {netloc} disallows '{url}'; skipped (crawl.obey_robots)")
        headers = {}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        cap = (self.settings.max_attachment_bytes, "crawl.max_attachment_bytes") if attachment else None
        current = url
        for _ in range(MAX_REDIRECTS + 1):
            response = self._fetch_with_retries(current, headers, cap)
            if response.status in (301, 302, 303, 307, 308) and "location" in response.headers:
                target = urljoin(current, response.headers["location"])
                self._check_host(target, url)
                if self.settings.obey_robots and not self._robots_allow(urlsplit(target).netloc, target):
                    raise FetchError(f"'{url}' redirects to '{target}', which robots.txt disallows")
                current = target
                continue
            if response.status == 304:
                return Response(url, current, 304, response.headers, b"", "", "")
            if attachment:  # a challenge is HTML whatever the link said, and its marks are ASCII
                encoding, (text, warnings) = "", (response.content[:20_000].decode("latin-1"), ())
            else:
                encoding = decide_charset(response.content, response.headers.get("content-type"))
                text, warnings = decode(response.content, encoding, url)
            # Challenge pages come with 200 or with an error status such as 412: look before judging the status.
            if is_challenge(text):
                raise ChallengeError(
                    f"'{url}' answered with an anti-bot JavaScript challenge page instead of content; "
                    "the site blocks crawlers, ask its webmaster or fetch the pages by hand and use seeds"
                )
            if response.status >= 400:
                raise FetchError(f"'{url}' answered HTTP {response.status}")
            return Response(
                url,
                current,
                response.status,
                response.headers,
                response.content,
                "" if attachment else text,
                encoding,
                response.http_version,
                warnings,
            )
        raise FetchError(f"'{url}' redirects more than {MAX_REDIRECTS} times; skipped")

    def _check_host(self, target: str, asked: str) -> str:
        try:
            parts = urlsplit(target)
        except ValueError as error:  # a host urllib cannot read, such as the broken IPv6 of http://[x/
            raise FetchError(f"'{target}' is not a URL that can be fetched ({error}); correct it") from None
        netloc = parts.netloc.lower()
        if parts.scheme not in ("http", "https") or netloc not in self.allowed:
            if target == asked:
                raise FetchError(f"'{target}' is not on a configured host; add its site to [[sources]]")
            raise FetchError(f"'{asked}' redirects to the foreign host '{netloc}'; refused")
        return netloc

    def _host(self, netloc: str) -> _Host:
        with self._hosts_lock:
            if netloc not in self._hosts:
                self._hosts[netloc] = _Host(threading.Semaphore(self.settings.concurrency))
            return self._hosts[netloc]

    def _robots_allow(self, netloc: str, url: str) -> bool:
        host = self._host(netloc)
        with host.robots_lock:
            if not host.robots_loaded:
                host.robots = self._load_robots(urlsplit(url).scheme, netloc)
                host.robots_loaded = True
        if host.robots_unreachable:
            raise UnreachableError(host.robots_unreachable)
        return host.robots is None or host.robots.can_fetch(url, self.settings.user_agent)

    def _load_robots(self, scheme: str, netloc: str) -> Protego | None:
        """The rules of ``netloc``; None when it publishes none (a 4xx). As RFC 9309 asks, a robots.txt
        that cannot be read (5xx, network) forbids the whole host for this client's run."""
        url = f"{scheme}://{netloc}/robots.txt"
        try:
            response = self._fetch_with_retries(url, {})
        except FetchError as error:
            self._host(netloc).robots_unreachable = (
                f"{netloc} cannot be reached: {error}; nothing is fetched from it this run"
            )
            return None
        if response.status >= 500:
            self._host(netloc).robots_unreachable = (
                f"{netloc} answered HTTP {response.status} for its robots.txt; nothing is fetched from it this run"
            )
            return None
        if response.status != 200:
            return None
        robots = Protego.parse(response.content.decode("utf-8", errors="replace"))
        crawl_delay = robots.crawl_delay(self.settings.user_agent)
        if crawl_delay:
            self._crawl_delays[netloc] = float(crawl_delay)
        return robots

    def _fetch_with_retries(self, url: str, headers: dict[str, str], cap: tuple[int, str] | None = None) -> Response:
        netloc = urlsplit(url).netloc.lower()
        host = self._host(netloc)
        attempts = self.settings.retries + 1
        for attempt in range(attempts):
            last = attempt == attempts - 1
            try:
                response = self._polite_fetch(host, netloc, url, headers, cap)
            except _TRANSIENT as error:
                if last:
                    kind = "timed out" if isinstance(error, httpcore.TimeoutException) else "failed"
                    detail = f": {error}" if str(error) else ""
                    raise FetchError(
                        f"'{url}' {kind} after {attempts} attempt{'s' if attempts > 1 else ''} "
                        f"({type(error).__name__}{detail})"
                    ) from None
                self._pause(host, self.settings.backoff * 2**attempt)
                continue
            if response.status not in RETRY_STATUSES or last:
                return response
            wait = self.settings.backoff * 2**attempt
            if response.status in (429, 503):
                retry_after = _retry_after(response.headers.get("retry-after"))
                if retry_after is not None:
                    if retry_after > self.settings.max_retry_after:
                        raise FetchError(
                            f"'{url}' asks to retry after {retry_after:.0f} s, more than "
                            f"crawl.max_retry_after={self.settings.max_retry_after:.0f}; left for next run"
                        )
                    wait = retry_after
            self._pause(host, wait)
        raise AssertionError("unreachable")

    def _pause(self, host: _Host, seconds: float) -> None:
        """Holds back every request to ``host`` for ``seconds`` (backoff, Retry-After)."""
        with host.lock:
            host.next_start = max(host.next_start, time.monotonic() + seconds)

    def _polite_fetch(self, host: _Host, netloc: str, url: str, headers: dict[str, str],
                      cap: tuple[int, str] | None = None) -> Response:
        delay = max(self.settings.delay, self._crawl_delays.get(netloc, 0.0))
        with host.slots:
            while True:
                with host.lock:
                    now = time.monotonic()
                    if now >= host.next_start:
                        host.next_start = now + delay
                        break
                    wait = host.next_start - now
                if self.stop.wait(wait):
                    raise stopped(url)
            try:
                return self._fetch(url, headers, cap)
            finally:
                with host.lock:
                    # The pause runs from the end of a request, so a slow server is not pressed harder.
                    host.next_start = max(host.next_start, time.monotonic() + delay)

    def _fetch(self, url: str, headers: dict[str, str], cap: tuple[int, str] | None = None) -> Response:
        """One GET of ``url``, its body held to ``cap`` (bytes, and the key that sets them; a page's by default)."""
        limit, key = cap or (self.settings.max_page_bytes, "crawl.max_page_bytes")
        with self._network.exchange(url, self.settings.max_page_seconds) as exchange, self._pool.stream(
            "GET", _target(url), headers=[*self._headers, *headers.items()], extensions={"timeout": self._timeouts}
        ) as response:
            names = _header_table(response.headers)
            declared = names.get("content-length", "")
            encoding = names.get("content-encoding", "identity").strip().lower()
            if encoding in ("identity", ""):
                inflater = None
                if declared.isdigit() and int(declared) > limit:
                    raise FetchError(
                        f"'{url}' is {declared} bytes, more than {key}={limit}; skipped"
                    )
            elif encoding in ("gzip", "x-gzip", "deflate"):
                inflater = _Inflater(encoding, limit, url, key)
            else:
                raise FetchError(f"'{url}' uses the unsupported content encoding '{encoding}'; skipped")
            body = bytearray()
            received = 0
            for chunk in response.iter_stream():
                received += len(chunk)
                if inflater is not None:
                    body += inflater.feed(chunk)
                else:
                    body += chunk
                if len(body) > limit:
                    raise FetchError(f"'{url}' is larger than {key}={limit}; skipped")
            _check_framing(url, names, exchange, received)
            if 200 <= response.status < 300:  # the bodies that are stored; an error page may be cut for all it matters
                _check_ended(url, names, inflater, received, body)
            with self._count_lock:
                self.requests += 1
                self.bytes += received
            for name in ("content-encoding", "transfer-encoding", "content-length"):
                names.pop(name, None)
            version = response.extensions.get("http_version", b"HTTP/1.1").decode("ascii", "replace")
            return Response(url, url, response.status, names, bytes(body), "", "", version)


def _target(url: str) -> httpcore.URL:
    """``url`` for httpcore, its path and query percent-encoded as httpx encodes them."""
    parts = httpx.URL(url)
    return httpcore.URL(scheme=parts.raw_scheme, host=parts.raw_host, port=parts.port, target=parts.raw_path)


def _header_table(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """Response headers by lower-case name, repeated ones joined by ', ' (as httpx's ``Headers`` does)."""
    table: dict[str, str] = {}
    for name, value in raw:
        key, text = name.decode("latin-1").lower(), value.decode("latin-1")
        table[key] = f"{table[key]}, {text}" if key in table else text
    return table


def _check_framing(url: str, names: dict[str, str], exchange: Exchange, received: int) -> None:
    """Closes the connection and raises ``FetchError`` when the network gave this answer more (or fewer)
    bytes than its head and body. h11 already refuses a body shorter than its Content-Length or its chunks."""
    if "chunked" in names.get("transfer-encoding", "").lower():
        return  # chunk sizes are bytes h11 does not yield, so the count cannot tell; h11 checks the chunks
    extra = exchange.unframed(received)
    if extra and exchange.stream is not None:
        # The bytes beyond sit in h11's buffer; on a kept-alive connection they would be read as the answer to
        # the next request. Closed, the connection is dropped by the pool before it is used again.
        exchange.stream.close()
    if extra > 0:
        raise FetchError(
            f"'{url}' sent {extra} bytes more than its Content-Length of {names.get('content-length')}; "
            "the page may be cut, so it is not stored and is fetched again on the next run"
        )
    if extra < 0:
        raise FetchError(
            f"'{url}' was answered with {-extra} bytes left on the connection by the previous answer; "
            "not stored, it is fetched again on the next run"
        )


def _check_ended(url: str, names: dict[str, str], inflater: _Inflater | None, received: int,
                 body: bytearray) -> None:
    """Raises ``FetchError`` unless the body reached its end: a compressed stream its last block, and a body
    without a length or chunks the closing tag of its HTML."""
    if inflater is not None and received:
        inflater.finish()
    # Without a length or chunks, a body ends where the server closed the connection, and a cut on the way does
    # the same: that cannot be proven at the HTTP level, so an HTML page must at least reach its end tag.
    if "content-length" not in names and "chunked" not in names.get("transfer-encoding", "").lower() \
            and b"<html" in body[:2048].lower() and b"</html" not in body[-4096:].lower():
        raise FetchError(
            f"'{url}' ended when the server closed the connection, before its closing </html> and with no "
            "Content-Length to say how long it is: probably cut; not stored, it is fetched again on the next run"
        )


def post_json(url: str, payload: object, *, user_agent: str, timeout: float) -> int:
    """POST ``payload`` as JSON to ``url`` (an alert's webhook); the status code. No redirects followed."""
    response = httpx.post(
        url, json=payload, headers={"User-Agent": user_agent}, timeout=timeout, follow_redirects=False
    )
    return response.status_code
