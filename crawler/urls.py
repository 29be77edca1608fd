"""URLs as keys: one spelling for every way a link to the same page can be written.

A URL becomes a key (of the store, of the crawl's queue, of the pages a list was read from) only through
``normal``: the fragment dropped, scheme and host in lower case, the default port (:80 for http, :443 for
https) dropped, an empty path made ``/``, percent-encoded unreserved characters (RFC 3986 §2.3: letters,
digits, ``-._~``) decoded and the hex of every other escape in upper case, characters a URL cannot hold
(spaces, non-ASCII) percent-encoded in UTF-8 as a browser sends them; the path otherwise as written,
double slashes included (the district site's legacy ``/zyfb/003004//1818808.html`` is fetched as it is),
and the query as written. ``is_page_link`` tells a link to a page from one that is none (``javascript:``,
``mailto:``, ``tel:``, ``data:``, ``#top``…). Pure functions of strings: it must never fetch anything.
"""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit, urlunsplit

DEFAULT_PORTS = {"http": "80", "https": "443"}
# What a browser strips from both ends of an href: spaces and the C0 control characters.
_EDGES = "".join(map(chr, range(0x21)))
_UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
# An escape, or a character that must be escaped to be sent (controls, space, non-ASCII, "<>\^`{|}).
_ESCAPABLE = re.compile(r"%[0-9A-Fa-f]{2}|[^\x21-\x7e]|[\"<>\\^`{|}]")
_HOST_PORT = re.compile(r"(?P<host>\[[^\]]*\]|[^:]*)(?::(?P<port>\d*))?")


def normal(url: str) -> str:
    """The key of ``url``: ``HTTP://Host:80/%61%30.html#top`` and ``http://host/a0.html`` give the same."""
    url = url.strip(_EDGES)
    try:
        parts = urlsplit(url)
    except ValueError:  # a broken IPv6 host such as http://[x/: no spelling of it is better than another
        return url
    netloc = _netloc(parts.scheme, parts.netloc)
    path = _escaped(parts.path)
    if netloc and not path:
        path = "/"
    return urlunsplit((parts.scheme, netloc, path, _escaped(parts.query), ""))


def is_page_link(href: str | None) -> bool:
    """Whether an ``href`` may lead to a page: relative, http or https; never a script, mail, phone or data
    link, nor one to a place in the same page, in whatever case or with whatever spaces it is written."""
    href = (href or "").strip(_EDGES)
    if not href or href.startswith("#"):
        return False
    try:
        return urlsplit(href).scheme in ("", *DEFAULT_PORTS)
    except ValueError:  # a broken IPv6 host: nothing a client could fetch
        return False


def join(page_url: str, href: str) -> str:
    """The key of the page an ``href`` on ``page_url`` links to."""
    return normal(urljoin(page_url, href.strip(_EDGES)))


def _netloc(scheme: str, netloc: str) -> str:
    userinfo, at, host_port = netloc.rpartition("@")
    match = _HOST_PORT.fullmatch(host_port)
    if match is None:
        return netloc.lower()  # not host[:port]: left for the client to refuse
    host, port = match["host"].lower(), match["port"]
    if port:
        port = str(int(port))
    if port and port != DEFAULT_PORTS.get(scheme):
        host += ":" + port
    return userinfo + at + host


def _escaped(text: str) -> str:
    return _ESCAPABLE.sub(_escape, text)


def _escape(match: re.Match) -> str:
    found = match[0]
    if len(found) == 3:  # an escape
        character = chr(int(found[1:], 16))
        return character if character in _UNRESERVED else found.upper()
    return "".join(f"%{byte:02X}" for byte in found.encode("utf-8", "surrogatepass"))
