"""The replica's HTTP server: two real servers on 127.0.0.1, one per site, with a fault mode per route.

``serve()`` starts them in background threads and returns a ``Replica`` holding their base URLs, a log
of every request, and ``change()`` to edit an article between crawls. Faults are keyed by request path
(with its query for the provincial site; ``*`` for every path of a site) and written ``kind[:n[:s]]``:

    slow:S        answer after S seconds            reset:N     drop the connection N times, then answer
    429:N:S       N times 429 with Retry-After S     503:N       N times 503, then answer
    gzipbomb      a tiny gzip body that inflates to 64 MiB
    oversized     a 12 MiB body without Content-Length (read until close); oversized:declared with it
    redirect      302 to a host that is not configured
    moved         301 to the same path on the same host, with ?from=moved
    gzip, deflate, rawdeflate    the page compressed so (rawdeflate: deflate without its zlib wrapper)
    challenge[:S]  the anti-bot JavaScript challenge page, with status S (200, or 412 as some sites send)
    trickle:S     the whole answer, status line first, one byte every S seconds
    cut:gzip      the page gzipped and cut in half, with a Content-Length of the half that is sent
    cut:close     half the page without Content-Length, then the connection closed cleanly
    overlong:chars  a Content-Length counting characters, not bytes: the page's tail stays on the connection
    overlong:twice  the answer sent twice on the kept-alive connection, the copy beyond its Content-Length
    badbyte       the page with one byte that is not UTF-8 (0xFF) in its body, still declared UTF-8
    mojibake      the page as a CMS that read its UTF-8 as GB18030 serves it (浜哄ぇ…), itself valid UTF-8

Every article and attachment answers conditional GETs: ETag and Last-Modified on the district site,
Last-Modified only on the provincial one. Attachments (``site.Attachment``) are served from ``data/`` under the
path and query they are linked with, so a fault keyed by that path breaks them as it breaks a page.
It must never be reachable from anything but loopback.
"""

from __future__ import annotations

import gzip
import hashlib
import socket
import struct
import sys
import threading
import time
import zlib
from dataclasses import dataclass, field, replace
from email.utils import format_datetime
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from crawler.replica import site

DEFAULT_ROBOTS = "User-agent: *\nDisallow: /admin/\n"
BOMB_SIZE = 64 * 1024 * 1024


@dataclass
class Request:
    """One request the replica answered: which site, the raw path, the request headers, and when it
    arrived (``time.monotonic()``)."""

    site: str
    path: str
    headers: dict[str, str]
    at: float = 0.0


@dataclass
class _Site:
    name: str
    articles: dict[str, site.Article]
    robots: str
    faults: dict[str, str]
    delay: float
    page_size: int = site.EPOINT_PAGE_SIZE
    counts: dict[str, int] = field(default_factory=dict)
    files: dict[str, tuple[bytes, str, site.Article]] = field(default_factory=dict)


class Replica:
    """The running replica: ``base_urls`` by site (``epoint``, ``hppc``), ``requests`` seen, ``close()``."""

    def __init__(self, servers: list[ThreadingHTTPServer], sites: dict[str, _Site]) -> None:
        self.servers = servers
        self.sites = sites
        self.requests: list[Request] = []
        self.lock = threading.Lock()
        self.base_urls = {
            name: f"http://127.0.0.1:{server.server_address[1]}"
            for name, server in zip(sites, servers, strict=True)
        }

    def __enter__(self) -> Replica:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        for server in self.servers:
            server.shutdown()
            server.server_close()

    def paths(self, site_name: str) -> list[str]:
        """The paths requested of ``site_name``, in order."""
        with self.lock:
            return [request.path for request in self.requests if request.site == site_name]

    def clear(self) -> None:
        with self.lock:
            self.requests.clear()

    def add(self, site_name: str, article: site.Article) -> None:
        """Publishes ``article`` on ``site_name``: it appears first in its list."""
        self.sites[site_name].articles[article.path] = article

    def change(self, site_name: str, path: str, paragraph: str) -> None:
        """Appends ``paragraph`` to the article at ``path``, as an editor correcting a page would."""
        articles = self.sites[site_name].articles
        article = articles[path]
        articles[path] = replace(article, paragraphs=(*article.paragraphs, paragraph))


class _Server(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], ConnectionError):  # a client hanging up on a broken answer is fine
            super().handle_error(request, client_address)


def _handler(replica_ref: list[Replica], state: _Site) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        server_version = "ReplicaHTTP/1.0"
        # Headers and body leave in one segment: without this, Nagle and delayed ACKs stall each answer.
        disable_nagle_algorithm = True
        wbufsize = 64 * 1024

        def log_message(self, format, *args) -> None:  # noqa: A002 - the base class names it so
            pass

        def do_GET(self) -> None:
            replica = replica_ref[0]
            headers = {name.lower(): value for name, value in self.headers.items()}
            with replica.lock:
                replica.requests.append(Request(state.name, self.path, headers, time.monotonic()))
                count = state.counts[self.path] = state.counts.get(self.path, 0) + 1
            if state.delay:
                time.sleep(state.delay)
            fault = state.faults.get(self.path) or state.faults.get("*")
            if fault and self._fault(fault, count):
                return
            if self.path == "/robots.txt":
                return self._send(200, state.robots.encode(), "text/plain")
            page = _route(state, self.path)
            if page is None:
                return self._send(404, "<html><body>404 页面不存在</body></html>".encode(), "text/html")
            body, content_type, validators = page
            if validators:
                etag, modified = validators
                if etag and self.headers.get("If-None-Match") == etag:
                    return self._send(304, b"", None, validators)
                if not etag and modified and self.headers.get("If-Modified-Since") == modified:
                    return self._send(304, b"", None, validators)
            self._send(200, body, content_type, validators)

        def _send(
            self,
            status: int,
            body: bytes,
            content_type: str | None,
            validators: tuple[str | None, str | None] | None = None,
            extra: dict | None = None,
        ) -> None:
            self.send_response(status)
            if content_type:
                self.send_header("Content-Type", content_type)
            if validators:
                etag, modified = validators
                if etag:
                    self.send_header("ETag", etag)
                if modified:
                    self.send_header("Last-Modified", modified)
            for name, value in (extra or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if body:
                self.wfile.write(body)

        def _fault(self, fault: str, count: int) -> bool:
            """Acts out ``fault`` on this request; False when the request should be answered normally."""
            kind, *args = fault.split(":")
            if kind == "slow":
                time.sleep(float(args[0]))
                return False
            if kind == "reset" and count <= int(args[0]):
                # SO_LINGER 0 makes close() send RST: the client sees a reset, not a clean close.
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                self.close_connection = True
                self.connection.close()
                return True
            if kind == "429" and count <= int(args[0]):
                self._send(429, b"Too Many Requests", "text/plain", extra={"Retry-After": args[1]})
                return True
            if kind == "503" and count <= int(args[0]):
                self._send(503, b"Service Unavailable", "text/plain")
                return True
            if kind == "gzipbomb":
                self._send(
                    200,
                    gzip.compress(b"\0" * BOMB_SIZE, 9),
                    "text/html; charset=utf-8",
                    extra={"Content-Encoding": "gzip"},
                )
                return True
            if kind == "oversized":
                self.send_response(200)
                chunk = b"<p>" + b"x" * 65530 + b"</p>"
                self.send_header("Content-Type", "text/html; charset=utf-8")
                if args and args[0] == "declared":
                    self.send_header("Content-Length", str(len(chunk) * 12 * 16))
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                try:
                    for _ in range(12 * 16):
                        self.wfile.write(chunk)
                except OSError:
                    pass  # the client hung up at its size cap, as it should
                return True
            if kind == "redirect":
                self._send(302, b"", None, extra={"Location": "http://mirror.example.invalid/spam.html"})
                return True
            if kind == "challenge":
                status = int(args[0]) if args else 200
                self._send(status, site.challenge_page().encode(), "text/html; charset=utf-8")
                return True
            if kind == "moved":
                self._send(301, b"", None, extra={"Location": self.path + "?from=moved"})
                return True
            if kind in ("trickle", "cut", "overlong", "badbyte", "mojibake"):
                return self._broken(state, kind, args)
            if kind in ("gzip", "deflate", "rawdeflate"):
                page = _route(state, self.path)
                body = page[0] if page else b""
                if kind == "gzip":
                    packed, encoding = gzip.compress(body), "gzip"
                elif kind == "deflate":
                    packed, encoding = zlib.compress(body), "deflate"
                else:  # what some servers send as "deflate": the stream without its zlib wrapper
                    packer = zlib.compressobj(wbits=-zlib.MAX_WBITS)
                    packed, encoding = packer.compress(body) + packer.flush(), "deflate"
                self._send(200, packed, "text/html; charset=utf-8", extra={"Content-Encoding": encoding})
                return True
            return False

        def _broken(self, state: _Site, kind: str, args: list[str]) -> bool:
            """The faults that break the bytes of an answer, written by hand so nothing tidies them up."""
            page = _route(state, self.path)
            if page is None:
                return False
            body, content_type, _ = page
            headers = {"Content-Type": content_type}
            if kind == "badbyte":
                middle = body.index(b"<", len(body) // 2)  # before a tag, so no character is split
                body = body[:middle] + b"\xff" + body[middle:]
            elif kind == "mojibake":
                body = body.decode("gb18030", "replace").encode("utf-8")
            elif kind == "cut" and args[0] == "gzip":
                body = gzip.compress(body)
                body = body[: len(body) // 2]
                headers["Content-Encoding"] = "gzip"
            if kind == "cut" and args[0] == "close":
                headers["Connection"] = "close"
                self.close_connection = True
                body = body[: len(body) // 2]
            elif kind == "overlong" and args[0] == "chars":
                headers["Content-Length"] = str(len(body.decode("utf-8")))
            else:
                headers["Content-Length"] = str(len(body))
            answer = _raw(200, headers, body)
            if kind == "overlong" and args[0] == "twice":
                answer += answer
            try:
                if kind == "trickle":
                    for at in range(len(answer)):
                        self.wfile.write(answer[at : at + 1])
                        self.wfile.flush()
                        time.sleep(float(args[0]))
                else:
                    self.wfile.write(answer)
                    self.wfile.flush()
            except OSError:
                self.close_connection = True  # the client hung up, as it should on a page that never ends
            return True

    return Handler


def _raw(status: int, headers: dict[str, str], body: bytes) -> bytes:
    """An HTTP/1.1 answer as bytes on the wire."""
    lines = [f"HTTP/1.1 {status} {HTTPStatus(status).phrase}", *(f"{name}: {value}" for name, value in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


def _validators(body: bytes, article: site.Article, etag: bool) -> tuple[str | None, str]:
    modified = format_datetime(article.published.astimezone(site.timezone.utc), usegmt=True)
    return (f'"{hashlib.sha1(body).hexdigest()[:16]}"' if etag else None), modified


def _route(state: _Site, raw_path: str) -> tuple[bytes, str, tuple | None] | None:
    if raw_path in state.files:  # an attachment, by its path and query as linked
        body, content_type, article = state.files[raw_path]
        return body, content_type, _validators(body, article, etag=state.name == "epoint")
    parts = urlsplit(raw_path)
    if state.name == "epoint":
        article = state.articles.get(parts.path)
        if article is not None:
            body = site.epoint_page(article).encode("utf-8")
            return body, "text/html; charset=utf-8", _validators(body, article, etag=True)
        segments = parts.path.strip("/").split("/")
        if len(segments) == 3 and segments[2].removesuffix(".html").isdigit():
            listing = site.epoint_list(
                segments[1], int(segments[2].removesuffix(".html")), state.articles, state.page_size
            )
            if listing:
                return listing[0].encode("utf-8"), "text/html; charset=utf-8", None
        return None
    if parts.path == "/list.php":
        query = parse_qs(parts.query)
        page = site.hppc_list(query.get("catid", [""])[0], int(query.get("page", ["1"])[0]), state.articles)
        return (page.encode("utf-8"), "text/html", None) if page else None
    path, part = parts.path, 1
    stem = path.removesuffix(".html")
    if "_" in stem.rsplit("/", 1)[-1]:
        stem, number = stem.rsplit("_", 1)
        path, part = stem + ".html", int(number)
    article = state.articles.get(path)
    if article is None or not 1 <= part <= article.parts:
        return None
    body = site.hppc_page(article, part).encode("utf-8")
    return body, article.charset_header, _validators(body, article, etag=False)


def _files(articles: dict[str, site.Article]) -> dict[str, tuple[bytes, str, site.Article]]:
    """The attachments a site serves, by the path (and query) they are linked with: bytes, type, their article."""
    from crawler.replica.attachments import CONTENT_TYPES, DATA

    return {attachment.href: ((DATA / attachment.file).read_bytes(), CONTENT_TYPES[Path(attachment.file).suffix],
                              article)
            for article in articles.values() for attachment in article.attachments if attachment.file}


def serve(
    port: int = 0,
    faults: dict[str, dict[str, str]] | None = None,
    delay: float = 0.0,
    robots: dict[str, str] | None = None,
    bulk: int = 0,
    host: str = "127.0.0.1",
    page_size: int = site.EPOINT_PAGE_SIZE,
) -> Replica:
    """Starts the two replica sites on ``host`` (ports ``port`` and ``port + 1``, or free ones with 0).

    faults: by site name, a path → fault table (see the module docstring); delay: seconds added to every
    answer; robots: robots.txt text by site name; bulk: extra generated district articles in category
    003006 (benchmarks); page_size: articles a district list page shows.
    """
    faults = faults or {}
    robots = robots or {}
    epoint = {a.path: a for a in site.epoint_articles() + site.extra_articles("epoint") + site.bulk_articles(bulk)}
    hppc = {a.path: a for a in site.hppc_articles() + site.extra_articles("hppc")}
    sites = {
        name: _Site(name, articles, robots.get(name, DEFAULT_ROBOTS), dict(faults.get(name, {})), delay, page_size,
                    files=_files(articles))
        for name, articles in (("epoint", epoint), ("hppc", hppc))
    }
    holder: list[Replica] = []
    servers = []
    for offset, state in enumerate(sites.values()):
        server = _Server((host, port + offset if port else 0), _handler(holder, state))
        server.daemon_threads = True
        servers.append(server)
    replica = Replica(servers, sites)
    holder.append(replica)
    for server in servers:
        threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    return replica
