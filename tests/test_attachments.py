"""Attachments and the articles judged by their words, crawled from the replica over loopback: each stored once,
validated with findings placed as in the file, never fetched again for nothing."""

from __future__ import annotations

import json
import sqlite3
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from crawler import domain
from crawler.crawl import crawl, reextract
from crawler.office import converter
from crawler.replica import site
from crawler.replica.attachments import read_lines
from crawler.store import Store
from validators import validate
from wrqa.config import parse_config

PAGE = next(a for a in site.extra_articles("epoint") if a.attachments)
NEWS = site.extra_articles("hppc")[0]
DOCX, PDF, DOC, MIRRORED = (attachment.href for attachment in PAGE.attachments)
PROVINCIAL_DOCX = NEWS.attachments[0].href
DISTRICT_LISTS, PROVINCIAL_LISTS = ["zyfb/003005", "dbgz/004002"], ["list.php?catid=8"]
NEEDS_OFFICE = pytest.mark.skipif(converter() is None, reason="LibreOffice is not installed here (make office)")


def config_of(tmp_path, replica, **crawl_settings):
    """A config that crawls both replica sites with the lists of attachments."""
    return parse_config({
        "store": {"path": str(tmp_path / "store.sqlite3"), "warc_dir": str(tmp_path / "warc")},
        "crawl": {"delay": 0.0, "backoff": 0.05, "timeout": 5.0, **crawl_settings},
        "sources": [
            {"name": "wcrd", "kind": "epoint", "base_url": replica.base_urls["epoint"],
             "lists": [*DISTRICT_LISTS, *site.EXTRA_LISTS["epoint"]]},
            {"name": "hppc", "kind": "hppc", "base_url": replica.base_urls["hppc"],
             "lists": [*PROVINCIAL_LISTS, *site.EXTRA_LISTS["hppc"]]},
        ]})


def path_of(url: str) -> str:
    """A URL's path, with its query when it has one (a download script's)."""
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def attachments(config) -> dict[str, tuple]:
    """Per stored attachment: its page, its versions, how it was read and its lines."""
    with Store(config.path_of("store.path")) as store:
        counts = store.version_counts()
        return {path_of(stored.page.url): (
            path_of(stored.attachment_of), counts[stored.page.url],
            stored.reading.source.encoding if stored.reading else None, stored.page.paragraphs)
            for stored in store.stored() if stored.attachment_of}


@pytest.mark.parametrize(("href", "page", "encoding", "file"), [
    (DOCX, PAGE.path, "docx", "石洞-2019.docx"),
    (PDF, PAGE.path, "pdf", "石洞-2021.pdf"),
    pytest.param(DOC, PAGE.path, "doc", "石洞-2020.doc", marks=NEEDS_OFFICE),
    (PROVINCIAL_DOCX, NEWS.path, "docx", "石洞-2023.docx"),
])
def test_an_attachment_of_a_wanted_page_is_stored_once_linked_to_its_page_with_its_readers_lines(
        replica, tmp_path, href, page, encoding, file):
    """A .docx, a .pdf, a .doc behind a download script, each a document of its own: one version, attachment_of its
    page, its text the lines its reader reads, as for the same file given to wrqa validate."""
    config = config_of(tmp_path, replica)

    crawl(config)

    assert (page, 1, encoding, read_lines(file)) == attachments(config)[href]


def test_findings_in_attachments_are_placed_by_paragraph_and_by_page_and_line(replica, tmp_path):
    """The template's ** of the Word file stands in its paragraph 5, the XX of the PDF on page 2, line 4, the share
    over 100% of the provincial Word file in its paragraph 8: the same places as for the files read locally."""
    config = config_of(tmp_path, replica)
    crawl(config)
    with Store(config.path_of("store.path")) as store:
        documents = store.documents()

    run = validate(documents)

    placed = {(path_of(document.path), f.rule, f.page, f.line, f.excerpt) for document in run.documents
              for f in document.findings if f.rule in ("placeholder", "stat-rate-range")}
    assert {(DOCX, "placeholder", None, 5, "**"), (PDF, "placeholder", 2, 4, "XX"),
            (PROVINCIAL_DOCX, "stat-rate-range", None, 8, "105%")} == {
        item for item in placed if item[0] in (DOCX, PDF, PROVINCIAL_DOCX)}


@pytest.mark.parametrize("edited", [False, True])
def test_a_recrawl_fetches_no_attachment_again(replica, tmp_path, edited):
    """Run two fetches no attachment: its page answers 304; or, edited, is fetched again and its attachments are
    asked for with their validators and answer 304. Nothing new is stored."""
    config = config_of(tmp_path, replica)
    crawl(config)
    if edited:
        replica.change("epoint", PAGE.path, "（本页有更新）")
    replica.clear()

    stats = crawl(config)

    asked = [r for r in replica.requests if r.path in (DOCX, PDF, DOC, PROVINCIAL_DOCX)]
    conditional = all("if-none-match" in r.headers or "if-modified-since" in r.headers for r in asked)
    expected = ([DOCX, PDF, DOC] if edited else [], True, 0, int(edited))
    assert expected == (sorted((r.path for r in asked), key=[DOCX, PDF, DOC].index), conditional, stats.new,
                        stats.changed)


def test_an_attachment_on_another_host_is_skipped_with_one_notice_and_never_fetched(replica, tmp_path):
    """The copy on files.wuchang.example.invalid is no document and no failure: one notice names it, its page and
    the fix; the crawl fails nothing."""
    config = config_of(tmp_path, replica)

    stats = crawl(config)

    with Store(config.path_of("store.path")) as store:
        keys = store.urls()
    notices = [notice for notice in stats.notices if MIRRORED in notice]
    assert (1, 1, 0, False) == (stats.skipped, len(notices), stats.failed, MIRRORED in keys)
    assert PAGE.path in notices[0] and "not on a configured host" in notices[0] and "[[sources]]" in notices[0]


def test_an_attachment_that_failed_is_fetched_by_itself_next_run_though_its_page_is_unchanged(make_replica,
                                                                                              tmp_path):
    """A .docx answering 503 fails in run one, its page stored; run two gets a 304 for the page and fetches the .docx
    alone, once, storing it."""
    replica = make_replica(faults={"epoint": {DOCX: "503:99"}})
    config = config_of(tmp_path, replica, retries=0)
    first = crawl(config)
    replica.sites["epoint"].faults.clear()
    replica.clear()

    second = crawl(config)

    assert (1, 0, [DOCX], 1) == (first.failed, second.failed, [r.path for r in replica.requests if r.path == DOCX],
                                 attachments(config)[DOCX][1])


def test_an_attachment_larger_than_its_cap_fails_naming_crawl_max_attachment_bytes(replica, tmp_path):
    """With crawl.max_attachment_bytes at 8 KiB the 40 KB .docx fails with the key and the fix; the 5 KB PDF is
    stored, and the pages are still held to crawl.max_page_bytes alone."""
    config = config_of(tmp_path, replica, max_attachment_bytes=8 * 1024)

    stats = crawl(config)

    failed = [message for message in stats.messages if "shidong-2019.docx" in message]
    assert (1, True, True) == (len(failed), "more than crawl.max_attachment_bytes=8192" in failed[0],
                               PDF in attachments(config))


def test_an_attachment_no_reader_can_read_is_kept_without_text_and_its_readers_sentence(make_replica, tmp_path):
    """A .docx cut in half on the way (the server closed the connection, no length) is stored as it came: a
    document of its link's words alone whose warning names the file, says it is damaged and that reextract reads
    it again."""
    replica = make_replica(faults={"epoint": {DOCX: "cut:close"}})
    config = config_of(tmp_path, replica)
    crawl(config)

    with Store(config.path_of("store.path")) as store:
        [document] = [d for d in store.documents() if path_of(d.path) == DOCX]

    warning = document.warnings[0]
    assert (PAGE.attachments[0].name, True, True, True) == (document.text.strip(), replica.base_urls["epoint"] + DOCX in warning,
                                      "damaged" in warning, "wrqa reextract" in warning)


def test_reextract_reads_the_attachments_again_from_the_archive_without_fetching(replica, tmp_path):
    """Re-extraction finds every page and attachment unchanged and asks the servers for nothing."""
    config = config_of(tmp_path, replica)
    stats = crawl(config)
    replica.clear()

    counts = reextract(config)

    assert ({"changed": 0, "unchanged": stats.new, "missing": 0}, []) == (counts, replica.requests)


def test_export_names_the_page_of_each_attachment(replica, tmp_path):
    """wrqa export gives attachment_of: the page's URL for an attachment, null for a page."""
    from wrqa.cli import main

    config = config_of(tmp_path, replica)
    crawl(config)
    toml = tmp_path / "config.toml"
    toml.write_text(f'[store]\npath = "{tmp_path}/store.sqlite3"\nwarc_dir = "{tmp_path}/warc"\n', encoding="utf-8")

    result = CliRunner().invoke(main, ["export", "--config", str(toml)])

    rows = {path_of(row["url"]): row["attachment_of"] for row in map(json.loads, result.stdout.splitlines())}
    assert (0, replica.base_urls["epoint"] + PAGE.path, None) == (result.exit_code, rows[DOCX], rows[PAGE.path])


# --- articles judged by their words -----------------------------------------------------------------------------

DISTRICT = {a.path: a for a in site.epoint_articles() + site.extra_articles("epoint")}
PROVINCIAL = {a.path: a for a in site.hppc_articles() + site.extra_articles("hppc")}
TREES = next(a.path for a in site.epoint_articles() if a.title == "区人大常委会机关开展植树活动")


@pytest.mark.parametrize(("name", "path", "committee"), [
    ("a street with 街, no committee", next(p for p, a in DISTRICT.items() if a.title.startswith("积玉桥街组织")), "积玉桥"),
    ("a street with 街道, no committee", next(p for p, a in DISTRICT.items() if a.title.startswith("黄鹤楼街道组织")),
     "黄鹤楼"),
    ("no street: the body names it", next(p for p, a in DISTRICT.items() if a.title.startswith("区人大代表进社区")),
     "白沙洲"),
    ("no kind: a street of another district in the body", "/2023/1102/53380.html", "大智"),
    ("the committee's own news", next(p for p, a in DISTRICT.items() if "紫阳街道工委组织" in a.title), "紫阳"),
    ("no street anywhere", TREES, None),
    ("the district's deputies, a title like a street's", next(p for p, a in DISTRICT.items() if a.title.startswith("区人大代表走进社区")),
     None),
    ("the province's own news", next(p for p, a in PROVINCIAL.items() if a.title == "湖北省人大常委会召开党组会议"), None),
])
def test_an_article_is_kept_as_the_article_of_the_street_its_title_or_first_paragraphs_name(replica, tmp_path,
                                                                                           name, path, committee):
    """A page whose title or first paragraphs name a street with its deputies or committee is stored as that
    street's article; one that names none is not stored."""
    config = config_of(tmp_path, replica)

    crawl(config)

    with Store(config.path_of("store.path")) as store:
        kept = {urlsplit(page.url).path: (page.kind, page.committee) for page in store.pages()}
    assert (("article", committee) if committee else None) == kept.get(path)


def test_an_article_judged_unwanted_is_fetched_once_never_stored_and_not_fetched_again(replica, tmp_path):
    """The tree-planting news (a title that does not decide, a body naming no street) is fetched in run one,
    recorded as judged in links, no document; run two does not ask for it."""
    config = config_of(tmp_path, replica)
    first = crawl(config)
    asked_first = replica.paths("epoint").count(TREES)
    replica.clear()

    crawl(config)

    with sqlite3.connect(config.path_of("store.path")) as db:
        judged = db.execute("SELECT wanted, judged IS NOT NULL FROM links WHERE url LIKE ?", (f"%{TREES}",)).fetchall()
        documents = db.execute("SELECT COUNT(*) FROM documents WHERE url LIKE ?", (f"%{TREES}",)).fetchone()[0]
    assert (1, 0, [(0, 1)], 0, True) == (asked_first, replica.paths("epoint").count(TREES), judged, documents,
                                         first.unwanted >= 1)


@pytest.mark.parametrize(("title", "paragraphs", "anywhere", "street"), [
    ("南湖街组织区人大代表向原选区选民述职", (), False, "南湖"),
    ("首义路街道组织区人大代表开展会前集中调研视察及监督评议", (), False, "首义路"),
    ("武昌人大代表进社区，“选民接待”架好民生“连心桥”", ("近日，中南路街道组织辖区人大代表接待选民。",), False, "中南路"),
    ("践行全过程人民民主", ("洪山区珞南街道组织辖区人大代表走访企业。",), True, "珞南"),
    ("践行全过程人民民主", ("洪山区珞南街道组织辖区人大代表走访企业。",), False, None),
    ("完成街道人大代表补选工作", (), True, None),
    ("南湖街道开展垃圾分类宣传", (), False, None),
    ("区人大常委会机关开展植树活动", (), True, None),
])
def test_a_page_is_a_streets_article_when_its_title_or_first_paragraphs_name_the_street_with_its_deputies(
        title, paragraphs, anywhere, street):
    """A street of the district (or, anywhere, of any district) named with 人大/代表/工委 makes the page its article;
    a street without deputies, a verb before 街道, or no street make it none."""
    assert street == domain.street_article(title, paragraphs, anywhere)
