"""The SQLite store: versions only on change, failures that keep what was stored, pending links, runs."""

from __future__ import annotations

import sqlite3
from contextlib import closing
from dataclasses import replace
from datetime import date, datetime

import pytest

from crawler.errors import StoreError
from crawler.extract import CHINA
from crawler.records import Page
from crawler.store import Store, page_from_json, page_to_json

PAGE = Page(
    url="http://wcrd.example/zyfb/003005/20190531/a.html", site="wcrd", category="003005",
    title="人大紫阳街工委2018年度工作报告", published_at=datetime(2018, 12, 27, 15, 41, tzinfo=CHINA),
    paragraphs=("（2018年12月25日在武昌区第十五届人民代表大会常务委员会第十六次会议上）", "人大紫阳街工委", "正文。"),
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

    assert ([PAGE], "stored", [("http://wcrd.example/b.html", "003005", "b")]) == (
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


def capped(store: Store, spare_pages: int) -> None:
    """Let the store's file grow by ``spare_pages`` pages only: SQLite then answers SQLITE_FULL, as on a full disk.

    SQLite keeps ``max_page_count`` per connection, so it is set on the store's own.
    """
    (pages,) = store.db.execute("PRAGMA page_count").fetchone()
    store.db.execute(f"PRAGMA max_page_count = {pages + spare_pages}")


def numbered(number: int) -> Page:
    return replace(PAGE, url=f"http://wcrd.example/zyfb/003005/{number:03d}.html",
                   paragraphs=(*PAGE.paragraphs, "正文。" * 400 + str(number)))


def test_a_full_disk_keeps_every_document_stored_before_it_whole_and_once(store):
    """Saving into a full store ends with one sentence naming the file; the pages saved before stay whole, once."""
    pages = [numbered(number) for number in range(40)]
    capped(store, 8)
    saved = []
    with pytest.raises(StoreError) as raised:
        for page in pages:
            store.save(page, "wcrd", 1)
            saved.append(page)
    with Store(store.path) as reopened:
        kept, versions = reopened.pages(), reopened.version_counts()

    expected = (f"disk full: cannot write '{store.path}'; free space on the disk holding "
                f"'{store.path.parent}' or move store.path", saved, {page.url: 1 for page in saved}, True)
    assert expected == (str(raised.value), kept, versions, 0 < len(saved) < len(pages))


def fill_up(store: Store) -> None:
    capped(store, 0)
    store.save(numbered(1), "wcrd", 1)


def write_while_another_process_writes(store: Store) -> None:
    other = sqlite3.connect(store.path, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        store.db.execute("PRAGMA busy_timeout = 0")  # the store waits 30 s; the test has no such patience
        store.start_run(["wcrd"])
    finally:
        other.close()


def write_a_store_opened_read_only(store: Store) -> None:
    with Store(store.path, read_only=True) as reader:
        reader.save(PAGE, "wcrd", 1)


@pytest.mark.parametrize(("fault", "expected"), [
    pytest.param(fill_up, "disk full: cannot write '{path}'; free space on the disk holding '{folder}' "
                 "or move store.path", id="full"),
    pytest.param(write_while_another_process_writes, "locked: '{path}' is being written by another process; "
                 "let it finish (see 'wrqa status') and try again", id="locked"),
    pytest.param(write_a_store_opened_read_only, "read-only: cannot write '{path}' (attempt to write a readonly "
                 "database); make '{folder}' writable for this user or move store.path", id="read-only"),
])
def test_a_store_that_cannot_be_written_says_why_in_one_sentence(store, fault, expected):
    """A full disk, a store another process holds and a read-only store each end with the file and the fix."""
    with pytest.raises(StoreError) as raised:
        fault(store)

    assert expected.format(path=store.path, folder=store.path.parent) == str(raised.value)


def test_a_store_opened_read_only_creates_no_table_and_holds_nothing(tmp_path):
    """Another program's SQLite file, opened read-only, gains no table and reads as a store with no documents."""
    path = tmp_path / "notes.sqlite3"
    with closing(sqlite3.connect(path)) as other:
        other.execute("CREATE TABLE notes (text TEXT)")

    with Store(path, read_only=True) as reader:
        documents, runs = reader.documents(), reader.runs()
    with closing(sqlite3.connect(path)) as other:
        tables = [row[0] for row in other.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]

    assert ([], [], ["notes"]) == (documents, runs, tables)


# The schema of the stores written before attachments and judged links: what a user upgrading has on disk.
OLD_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY,
    started_at TEXT NOT NULL,
    finished_at TEXT,
    pid INTEGER,
    sources TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'running',
    stats TEXT
);
CREATE TABLE IF NOT EXISTS lists (
    source TEXT NOT NULL,
    list TEXT NOT NULL,
    caught_up INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (source, list)
);
CREATE TABLE IF NOT EXISTS links (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    category TEXT,
    title TEXT NOT NULL,
    wanted INTEGER NOT NULL,
    first_run INTEGER
);
CREATE TABLE IF NOT EXISTS documents (
    url TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    category TEXT,
    status TEXT NOT NULL CHECK (status IN ('stored', 'failed')),
    version INTEGER NOT NULL DEFAULT 0,
    content_hash TEXT,
    etag TEXT,
    last_modified TEXT,
    error TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    checked_at TEXT
);
CREATE TABLE IF NOT EXISTS versions (
    url TEXT NOT NULL,
    version INTEGER NOT NULL,
    content_hash TEXT NOT NULL,
    fetched_at TEXT NOT NULL,
    run_id INTEGER,
    page TEXT NOT NULL,
    warc TEXT NOT NULL DEFAULT '[]',
    PRIMARY KEY (url, version)
);
"""


def old_store(path) -> None:
    """A store as the first schema wrote it: one stored page, one link, one run."""
    with closing(sqlite3.connect(path)) as db:
        db.executescript(OLD_SCHEMA)
        db.execute("INSERT INTO runs (started_at, sources, status) VALUES ('2024-01-01T00:00:00+00:00', '[]', 'done')")
        db.execute("INSERT INTO links (url, source, category, title, wanted, first_run) VALUES (?, 'wcrd', '003005', ?, 1, 1)",
                   (PAGE.url, PAGE.title))
        db.execute("INSERT INTO documents (url, source, category, status, version, content_hash) "
                   "VALUES (?, 'wcrd', '003005', 'stored', 1, 'h')", (PAGE.url,))
        db.execute("INSERT INTO versions (url, version, content_hash, fetched_at, run_id, page) "
                   "VALUES (?, 1, 'h', '2024-01-01T00:00:00+00:00', 1, ?)", (PAGE.url, page_to_json(PAGE)))
        db.commit()


def columns(path) -> dict[str, list[str]]:
    with closing(sqlite3.connect(path)) as db:
        return {table: [row[1] for row in db.execute(f"PRAGMA table_info({table})")]
                for table in ("links", "documents", "versions")}


def test_a_store_of_the_old_schema_gets_the_new_columns_on_first_open_and_keeps_its_document_once(tmp_path):
    """Opened for writing, an old store gains links.judged, documents.attachment_of and versions.reading; its page
    is still one document of one version, a page (no attachment), and an attachment can then be saved beside it."""
    path = tmp_path / "store.sqlite3"
    old_store(path)

    with Store(path) as store:
        [stored] = store.stored()
        store.save(replace(PAGE, url=PAGE.url + ".docx"), "wcrd", 2, attachment_of=PAGE.url)
        attached = {s.page.url: s.attachment_of for s in store.stored()}
        versions = store.version_counts()

    added = {table: names[-1] for table, names in columns(path).items()}
    assert ({"links": "judged", "documents": "attachment_of", "versions": "reading"}, PAGE, None,
            {PAGE.url: None, PAGE.url + ".docx": PAGE.url}, {PAGE.url: 1, PAGE.url + ".docx": 1}) == (
        added, stored.page, stored.attachment_of, attached, versions)


def test_a_store_of_the_old_schema_opened_read_only_reads_its_documents_and_is_left_as_it_was(tmp_path):
    """Read-only, an old store is read through views that add the new columns as NULL: its page is a document,
    and not one column is added to the file."""
    path = tmp_path / "store.sqlite3"
    old_store(path)
    before = columns(path)

    with Store(path, read_only=True) as store:
        documents, stored, pending = store.documents(), list(store.stored()), store.pending_attachments("wcrd")

    assert ([PAGE.title], [None], [], before) == (
        [document.title for document in documents], [s.attachment_of for s in stored], pending, columns(path))


def test_a_page_saved_with_its_attachments_leaves_them_pending_until_stored_and_counts_no_failure(store):
    """The attachments a page names are recorded with it, in its transaction: pending (a run cut short loses
    none), not failures; stored, they are pending no more."""
    attachment = PAGE.url.replace(".html", ".docx")
    store.save(PAGE, "wcrd", 1, attachments=[attachment])
    before = store.pending_attachments("wcrd")

    store.save(replace(PAGE, url=attachment), "wcrd", 1, attachment_of=PAGE.url)

    assert ([(attachment, "003005", PAGE.url)], [], [], []) == (
        before, store.failures(), store.pending_attachments("wcrd"), store.pending("wcrd"))


def test_a_page_judged_unwanted_is_pending_no_more_and_its_earlier_failure_is_no_document(store):
    """A link whose first fetch failed, then judged no committee's, leaves no document row and no pending link."""
    url = "http://wcrd.example/dbgz/004002/trees.html"
    store.add_links("wcrd", "004002", [(url, "区人大常委会机关开展植树活动", None)], 1)
    store.record_failure(url, "wcrd", "004002", "'trees' timed out")
    before = store.pending("wcrd")

    store.mark_unwanted(url, "wcrd", "004002", "区人大常委会机关开展植树活动")

    assert ([(url, "004002", "区人大常委会机关开展植树活动")], [], None, {url}) == (
        before, store.pending("wcrd"), store.state(url), store.judged_unwanted("wcrd"))
