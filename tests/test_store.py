"""The SQLite store: versions only on change, failures that keep what was stored, pending links, runs."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import date, datetime

import pytest

from crawler.errors import StoreError
from crawler.extract import CHINA
from crawler.records import Page
from crawler.store import Store, page_from_json, page_to_json

PAGE = Page(
    url="http://wcrd.example/zyfb/003005/20190531/a.html", site="wcrd", category="003005",
    title="人大紫阳街工委2018年工作报告", published_at=datetime(2018, 12, 27, 15, 41, tzinfo=CHINA),
    paragraphs=("（2018年12月25日在武汉市武昌区第十五届人大常委会第16次会议上）", "人大紫阳街工委", "正文。"),
    committee="紫阳", year=2018, kind="report", meeting_date=date(2018, 12, 25), session="第十五届",
    author="人大紫阳街工委", warnings=("a warning",),
)


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "var" / "store.sqlite3") as opened:
        yield opened


def test_page_survives_the_round_trip_through_json():
    """Every Page field, dates and tuples included, comes back equal."""
    assert PAGE == page_from_json(page_to_json(PAGE))


def test_saving_again_adds_a_version_only_when_the_content_changed(store):
    """new, unchanged, changed: two versions, the current one holding the edit."""
    edited = replace(PAGE, paragraphs=(*PAGE.paragraphs, "更正。"))

    outcomes = [store.save(PAGE, "wcrd", 1, etag='"a"'), store.save(PAGE, "wcrd", 2, etag='"a"'),
                store.save(edited, "wcrd", 3, etag='"b"')]

    assert (["new", "unchanged", "changed"], {PAGE.url: 2}, [edited], '"b"') == (
        outcomes, store.version_counts(), store.pages(), store.state(PAGE.url).etag)


def test_a_failure_keeps_the_stored_version_and_a_first_failure_is_pending(store):
    """A stored page that fails later stays stored; a link that never worked is pending for the next run."""
    store.add_links("wcrd", "003005", [(PAGE.url, PAGE.title, True), ("http://wcrd.example/b.html", "b", True)], 1)
    store.save(PAGE, "wcrd", 1)

    store.record_failure(PAGE.url, "wcrd", "003005", "'x' answered HTTP 503")
    store.record_failure("http://wcrd.example/b.html", "wcrd", "003005", "'b' timed out")

    assert ([PAGE], "stored", [("http://wcrd.example/b.html", "003005")]) == (
        store.pages(), store.state(PAGE.url).status, store.pending("wcrd"))


def test_unwanted_links_are_remembered_but_never_pending(store):
    """Links the include pattern rejects count as seen, so paging stops on them, but are not fetched."""
    added = store.add_links("wcrd", "003005", [("http://wcrd.example/c.html", "区人大常委会2023年工作要点", False)], 1)
    again = store.add_links("wcrd", "003005", [("http://wcrd.example/c.html", "区人大常委会2023年工作要点", False)], 2)

    assert (1, 0, []) == (added, again, store.pending("wcrd"))


def test_a_run_left_running_by_a_dead_process_becomes_interrupted(store):
    """A run whose process is gone (here: pid 2**22+1, beyond any pid) is marked interrupted at the next start."""
    first = store.start_run(["wcrd"])
    store.db.execute("UPDATE runs SET pid = ? WHERE id = ?", (2**22 + 1, first))

    second = store.start_run(["wcrd"])
    store.finish_run(second, "done", {"new": 0})

    assert [("interrupted", None), ("done", {"new": 0})] == [(run["status"], run["stats"]) for run in store.runs()]


def test_a_file_that_is_not_sqlite_is_a_store_error_naming_it(tmp_path):
    """Opening garbage as the store fails with a message naming the path and the key to fix."""
    path = tmp_path / "store.sqlite3"
    path.write_bytes(b"this is not a database" * 100)

    with pytest.raises(StoreError) as raised:
        Store(path)

    assert str(path) in str(raised.value) and "store.path" in str(raised.value)


def test_the_store_is_plain_sqlite_readable_by_other_tools(store):
    """The tables a researcher would query are there under their documented names."""
    store.save(PAGE, "wcrd", 1)
    query = "SELECT name FROM sqlite_master WHERE type = 'table'"
    tables = {row[0] for row in sqlite3.connect(store.path).execute(query)}

    assert {"runs", "lists", "links", "documents", "versions"} <= tables


def test_stored_pages_become_documents_through_normalize(store):
    """documents() rebuilds each stored page as a Document carrying the crawler's fields."""
    store.save(PAGE, "wcrd", 1)

    (document,) = store.documents()

    assert (PAGE.url, "wcrd", "003005", "紫阳", 2018, "report", PAGE.published_at) == (
        document.url, document.site, document.category, document.committee, document.year, document.kind,
        document.published_at)
