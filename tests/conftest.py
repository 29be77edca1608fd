"""Fixtures shared by the tests: the replica of the two sites on loopback, crawl configs pointing at it,
and the receivers of alerts (a webhook and an SMTP server)."""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from crawler.replica import serve
from wrqa.config import parse_config

DISTRICT_LISTS = ["zyfb/003005", "dbgz/004002"]
PROVINCIAL_LISTS = ["list.php?catid=8"]


@pytest.fixture
def replica():
    """Both replica sites without faults, on free ports of 127.0.0.1."""
    with serve() as running:
        yield running


@pytest.fixture
def make_replica():
    """A factory of replicas with faults (``make_replica(faults={"epoint": {path: "503:2"}})``), closed after."""
    started = []

    def make(**options):
        running = serve(**options)
        started.append(running)
        return running

    yield make
    for running in started:
        running.close()


@pytest.fixture
def crawl_config(tmp_path):
    """A factory of validated configs that crawl a replica into ``tmp_path``, politely but without pauses."""
    return lambda replica, **options: config_for(tmp_path, replica, **options)


def config_for(tmp_path, replica, sources=("epoint", "hppc"), crawl=None, seeds=()):
    tables = []
    if "epoint" in sources:
        tables.append({"name": "wcrd", "kind": "epoint", "base_url": replica.base_urls["epoint"],
                       "lists": DISTRICT_LISTS, "seeds": list(seeds)})
    if "hppc" in sources:
        tables.append({"name": "hppc", "kind": "hppc", "base_url": replica.base_urls["hppc"],
                       "lists": PROVINCIAL_LISTS})
    settings = {"delay": 0.0, "backoff": 0.05, "timeout": 5.0, **(crawl or {})}
    data = {"store": {"path": str(tmp_path / "store.sqlite3"), "warc_dir": str(tmp_path / "warc")},
            "crawl": settings, "sources": tables}
    return parse_config(data)


# --- receivers of alerts: a webhook and an SMTP server on loopback ----------------------------------


class _Hook(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - the name http.server calls
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((self.path, self.headers.get("Content-Type", ""), json.loads(body)))
        self.send_response(500 if self.server.failing or self.path == "/broken" else 204)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def webhook():
    """A webhook on 127.0.0.1: ``received`` holds (path, content type, JSON body); /broken, or any path
    while ``failing`` is set, answers 500."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Hook)
    server.received, server.failing = [], False
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


@dataclass
class Mailbox:
    """An SMTP server's ``port`` and the ``messages`` it took: (sender, recipients, parsed message)."""

    port: int
    messages: list = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - the name aiosmtpd calls
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.messages.append((envelope.mail_from, envelope.rcpt_tos, message))
        return "250 OK"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def unused_port() -> int:
    """A port of 127.0.0.1 where nothing listens."""
    return free_port()


@pytest.fixture
def smtp():
    """An SMTP server (aiosmtpd) on 127.0.0.1; yields its ``Mailbox``."""
    from aiosmtpd.controller import Controller

    mailbox = Mailbox(free_port())
    controller = Controller(mailbox, hostname="127.0.0.1", port=mailbox.port)
    controller.start()
    yield mailbox
    controller.stop()
