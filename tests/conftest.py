"""Fixtures shared by the tests: the replica of the two sites on loopback, and crawl configs pointing at it."""

from __future__ import annotations

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
