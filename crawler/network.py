"""The network under the HTTP client: its connections, where every wait on a socket is bounded and can be
cut short.

httpcore (httpx's own engine) lets a client bring its own network backend, as public API. ``Network`` is
the one place the client's connects, reads and writes go through, so each waits in ``STOP_CHECK`` slices
and between them looks at the request's deadline (``crawl.max_page_seconds``) and at the stop: a server
trickling a byte a second, or a stop, ends a request within the slice, where httpx's own timeouts bound
each read only. It also counts the raw bytes of each answer, so the client can tell an answer overrunning
its framing. A name lookup is the one wait it cannot cut short.

It must never speak HTTP itself, nor know pages, charsets or the store.
"""

from __future__ import annotations

import errno
import math
import os
import re
import select
import socket
import ssl
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpcore

from crawler.errors import FetchError

STOP_CHECK = 0.5  # seconds a wait on the network or a pause runs before it looks at the stop and the deadline
HEAD_BYTES = 128 * 1024  # raw bytes kept of each answer to measure its head (h11 refuses heads over 100 KiB)

_HEAD_END = re.compile(rb"\n\r?\n")
_INTERIM = re.compile(rb"HTTP/\d\.\d 1(?!01)\d\d")  # httpcore skips interim answers, but stops at 101
_IN_PROGRESS = {errno.EINPROGRESS, errno.EWOULDBLOCK, getattr(errno, "WSAEWOULDBLOCK", errno.EWOULDBLOCK)}


def stopped(url: str) -> FetchError:
    """The error of a request or pause that a stop interrupted."""
    return FetchError(f"'{url}' was interrupted by a stop request; it is fetched again on the next run")


class Exchange:
    """One request under way in one thread: its URL, when it must be over, the stop, and the raw bytes the
    network gave it (their count, and the first ``HEAD_BYTES`` to measure its head)."""

    def __init__(self, url: str, seconds: float, stop: threading.Event) -> None:
        self.url, self.seconds, self.stop = url, seconds, stop
        self.deadline = time.monotonic() + seconds
        self.stream: Stream | None = None
        self.received = 0
        self.head = bytearray()

    def slice(self, until: float) -> float:
        """Seconds the next wait may last, up to ``until`` (0 when it has passed) and ``STOP_CHECK``;
        raises ``FetchError`` once a stop is asked for or the deadline passed."""
        if self.stop.is_set():
            raise stopped(self.url)
        now = time.monotonic()
        if now >= self.deadline:
            raise FetchError(
                f"'{self.url}' did not arrive whole within crawl.max_page_seconds={self.seconds:g}; not stored, it "
                "is fetched again on the next run (raise crawl.max_page_seconds if the server is only slow)"
            )
        return max(min(STOP_CHECK, until - now, self.deadline - now), 0.0)

    def bounded(self, timeout: float | None) -> float | None:
        """``timeout`` cut to what is left before the deadline."""
        left = max(self.deadline - time.monotonic(), 0.001)
        return min(timeout, left) if timeout is not None else (left if left < math.inf else None)

    def took(self, data: bytes) -> None:
        self.received += len(data)
        if len(self.head) < HEAD_BYTES:
            self.head += data[: HEAD_BYTES - len(self.head)]

    def unframed(self, body: int) -> int:
        """Bytes read for this answer beyond its head and its ``body`` bytes (negative: bytes of it read before)."""
        return self.received - _head_length(bytes(self.head)) - body


def _head_length(raw: bytes) -> int:
    """Where the head of the final answer in ``raw`` ends, after any interim 1xx answers."""
    at = 0
    while (end := _HEAD_END.search(raw, at)) is not None:
        if not _INTERIM.match(raw, at):
            return end.end()
        at = end.end()
    return len(raw)


def _waiting(exchange: Exchange, timeout: float | None, act: Callable[[float], object],
             timed_out: type[Exception], failed: type[Exception]):
    """``act(seconds)`` repeated in slices (a slice ends with ``TimeoutError``) until it returns; ``timed_out``
    after ``timeout`` seconds in all, ``failed`` on a socket error; a stop or the deadline ends it sooner."""
    until = time.monotonic() + timeout if timeout is not None else math.inf
    while True:
        seconds = exchange.slice(until)
        if seconds <= 0:
            raise timed_out(f"the server was silent for {timeout:g} s")
        try:
            return act(seconds)
        except TimeoutError:
            continue
        except OSError as error:
            raise failed(str(error)) from error


class Network(httpcore.NetworkBackend):
    """Opens the connections of one client; each wait on them belongs to the exchange under way in its thread
    (httpcore runs a request and reads its body in the thread that asked)."""

    def __init__(self, stop: threading.Event) -> None:
        self.stop = stop
        self._local = threading.local()

    @contextmanager
    def exchange(self, url: str, seconds: float) -> Iterator[Exchange]:
        exchange = self._local.exchange = Exchange(url, seconds, self.stop)
        try:
            yield exchange
        finally:
            self._local.exchange = None

    def current(self, stream: Stream | None = None) -> Exchange:
        exchange = getattr(self._local, "exchange", None) or Exchange("a connection", math.inf, self.stop)
        if stream is not None:
            exchange.stream = stream
        return exchange

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None) -> Stream:
        exchange = self.current()
        try:
            # The name lookup is the one wait that cannot be cut short: the resolver has no timeout to give.
            addresses = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
        except OSError as error:
            raise httpcore.ConnectError(str(error)) from error
        failure: Exception = httpcore.ConnectError(f"no address for {host}")
        for family, kind, protocol, _, address in addresses:
            sock = socket.socket(family, kind, protocol)
            try:
                if local_address:
                    sock.bind((local_address, 0))
                # Connect without blocking, so the wait for the server's answer can be sliced like a read.
                sock.setblocking(False)
                code = sock.connect_ex(address)
                if code and code not in _IN_PROGRESS:
                    raise httpcore.ConnectError(os.strerror(code))
                _waiting(exchange, timeout, lambda seconds, sock=sock: _connected(sock, seconds),
                         httpcore.ConnectTimeout, httpcore.ConnectError)
                for option in socket_options or ():
                    sock.setsockopt(*option)
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                return Stream(sock, self)
            except httpcore.ConnectError as error:
                sock.close()
                failure = error
            except BaseException:
                sock.close()
                raise
        raise failure


def _connected(sock: socket.socket, seconds: float) -> None:
    _, writable, failed = select.select([], [sock], [sock], seconds)
    if not writable and not failed:
        raise TimeoutError
    if code := sock.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR):
        raise OSError(code, os.strerror(code))


class Stream(httpcore.NetworkStream):
    """A TCP (or TLS) connection whose reads and writes wait in ``STOP_CHECK`` slices of the exchange under way
    and count what they read for it."""

    def __init__(self, sock: socket.socket, network: Network) -> None:
        self.sock, self.network = sock, network

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        exchange = self.network.current(self)
        data = _waiting(exchange, timeout, lambda seconds: self._recv(max_bytes, seconds),
                        httpcore.ReadTimeout, httpcore.ReadError)
        exchange.took(data)
        return data

    def _recv(self, max_bytes: int, seconds: float) -> bytes:
        self.sock.settimeout(seconds)
        return self.sock.recv(max_bytes)

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        exchange = self.network.current(self)
        while buffer:
            sent = _waiting(exchange, timeout, lambda seconds, buffer=buffer: self._send(buffer, seconds),
                            httpcore.WriteTimeout, httpcore.WriteError)
            buffer = buffer[sent:]

    def _send(self, buffer: bytes, seconds: float) -> int:
        self.sock.settimeout(seconds)
        return self.sock.send(buffer)

    def close(self) -> None:
        self.sock.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> Stream:
        # The handshake runs in one go, bounded by the timeout and the deadline: a stop waits for it.
        self.sock.settimeout(self.network.current(self).bounded(timeout))
        try:
            self.sock = ssl_context.wrap_socket(self.sock, server_hostname=server_hostname)
        except OSError as error:
            self.sock.close()
            raise (httpcore.ConnectTimeout if isinstance(error, TimeoutError) else httpcore.ConnectError)(
                str(error)) from error
        return self

    def get_extra_info(self, info: str):
        if info == "ssl_object":
            return self.sock if isinstance(self.sock, ssl.SSLSocket) else None
        if info == "socket":
            return self.sock
        if info == "client_addr":
            return self.sock.getsockname()
        if info == "server_addr":
            return self.sock.getpeername()
        if info == "is_readable":  # how httpcore sees a kept-alive connection the server closed, or this one did
            return self.sock.fileno() < 0 or bool(select.select([self.sock], [], [], 0)[0])
        return None
