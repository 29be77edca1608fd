"""The provincial site's adapter: lists, articles in parts, captions, bylines, footers and bad charset headers."""

from __future__ import annotations

import re

import pytest

from crawler import extract, hppc
from crawler.http import Client, Settings
from crawler.replica import site

BASE = "http://hppc.example"
ARTICLES = site.hppc_articles()


def read(article: site.Article) -> tuple:
    """The page of ``article`` as the crawl reads it: every part parsed, then merged."""
    parts = [hppc.parse_article(site.hppc_page(article, part), f"{BASE}{article.path}", "hppc", article.list)
             for part in range(1, article.parts + 1)]
    return extract.merge(parts[0], *parts[1:])


@pytest.mark.parametrize("article", (*ARTICLES, *site.extra_articles("hppc")), ids=lambda a: a.path)
def test_article_fields_and_body_without_captions_byline_or_footer(article):
    """Fields match the replica and the body is the text alone: no captions, no （李丰 陈琳）, no 责任编辑."""
    page = read(article)

    actual = dict(title=page.title, published_at=page.published_at, committee=page.committee, year=page.year,
                  kind=page.kind, meeting_date=page.meeting_date, session=page.session, author=page.author,
                  category=page.category)
    expected_body = tuple(re.sub(" +", " ", line) for line in article.paragraphs)
    assert (article.expected, expected_body, ()) == (actual, page.paragraphs, page.warnings)


def test_long_article_names_its_continuation_until_the_last_part():
    """Part 1 points at {id}_2.html; the last part points nowhere."""
    article = next(a for a in ARTICLES if a.parts == 2)
    url = BASE + article.path

    assert (url.replace(".html", "_2.html"), None) == (
        hppc.continuation(site.hppc_page(article, 1), url),
        hppc.continuation(site.hppc_page(article, 2), url.replace(".html", "_2.html")))


def test_list_pages_give_relative_links_made_absolute_and_the_next_page():
    """list.php pages give /{yyyy}/{mmdd}/{id}.html links and the next page until the last."""
    articles = {a.path: a for a in ARTICLES}
    first = hppc.parse_list(site.hppc_list("8", 1, articles), f"{BASE}/list.php?catid=8&page=1")
    last = hppc.parse_list(site.hppc_list("8", 2, articles), f"{BASE}/list.php?catid=8&page=2")

    urls = [link.url for link in first.links + last.links]
    assert ([BASE + a.path for a in ARTICLES], f"{BASE}/list.php?catid=8&page=2", None) == (
        urls, first.next_url, last.next_url)


@pytest.mark.parametrize(("list_path", "url", "category"), [
    ("list.php?catid=8", f"{BASE}/list.php?catid=8&page=1", "8"),
    ("/list.php?catid=12&page=3", f"{BASE}/list.php?catid=12&page=1", "12"),
])
def test_list_path_gives_first_page_and_category(list_path, url, category):
    """The category is the list's catid: the breadcrumb never names it."""
    assert (url, category) == (hppc.list_url(BASE, list_path), hppc.category(list_path))


@pytest.mark.parametrize("header", ["text/html", "text/html; charset=gbk", "text/html; charset=utf-8"])
def test_utf8_pages_decode_whatever_charset_header_the_server_sends(replica, header):
    """Missing, wrong (gbk) and right headers on UTF-8 bytes all give the right title through the client."""
    article = next(a for a in ARTICLES if a.charset_header == header)
    url = replica.base_urls["hppc"] + article.path

    with Client(Settings(delay=0), [replica.base_urls["hppc"]]) as client:
        response = client.get(url)
    page = hppc.parse_article(response.text, url, "hppc", "8")

    assert ("utf-8", article.title) == (response.encoding, page.title)


def test_full_width_and_ascii_publish_lines_are_both_read():
    """时间：2024-01-03 10:58 and 时间:2024-01-03 10:58 give the same publish time."""
    article = ARTICLES[0]
    html = site.hppc_page(article, 2)

    pages = [hppc.parse_article(text, BASE + article.path, "hppc", "8") for text in (html, html.replace("：", ":"))]

    assert pages[0].published_at == pages[1].published_at == article.published


def test_one_article_linked_many_ways_gives_one_url_and_script_links_none():
    """Relative, fragment, escaped and HTTP://HOST/… links to 53600.html make one URL; script and mail links none."""
    article = site.linked_many_ways("hppc", BASE)
    articles = {a.path: a for a in (*ARTICLES, article)}

    listing = hppc.parse_list(site.hppc_list("8", 1, articles), f"{BASE}/list.php?catid=8&page=1")

    expected = [BASE + article.path] * 5 + [BASE + a.path for a in ARTICLES[:site.HPPC_PAGE_SIZE - 1]]
    assert expected == [link.url for link in listing.links]


def test_the_attachment_of_an_article_is_read_off_its_link_in_endtext():
    """The provincial news links its report as /uploadfile/…docx, relative to the site."""
    article = site.extra_articles("hppc")[0]

    found = extract.attachments(site.hppc_page(article), BASE + article.path, hppc.ATTACHMENTS)

    assert [(BASE + article.attachments[0].href, article.attachments[0].name)] == [(link.url, link.title) for link in found]
