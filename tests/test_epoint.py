"""The district site's adapter reads every replica page back to the fields the replica wrote into it."""

from __future__ import annotations

import re

import pytest

from crawler import epoint, extract, urls
from crawler.replica import site

BASE = "http://wcrd.example"
ARTICLES = site.epoint_articles()


def expected_paragraphs(article: site.Article) -> tuple[str, ...]:
    """What a reader sees as the body: meeting line(s), author, salutation, then the text, spaces collapsed."""
    lines = [*article.meeting, *([article.author] if article.author else []),
             *([site.SALUTATION] if article.salutation else []), *article.paragraphs]
    return tuple(re.sub(" +", " ", line) for line in lines)


@pytest.mark.parametrize("article", [a for a in (*ARTICLES, *site.extra_articles("epoint")) if a.layout != "unknown"],
                         ids=lambda a: a.path[-12:])
def test_article_fields_and_body_are_read_off_the_page(article):
    """Title, publish time (not the URL folder), meeting, 届次, author, committee, year, kind and body match."""
    page = epoint.parse_article(site.epoint_page(article), BASE + article.path, "wcrd", article.list)

    actual = dict(title=page.title, published_at=page.published_at, committee=page.committee, year=page.year,
                  kind=page.kind, meeting_date=page.meeting_date, session=page.session, author=page.author,
                  category=page.category)
    assert (article.expected, expected_paragraphs(article), ()) == (actual, page.paragraphs, page.warnings)


def test_unrecognised_layout_is_kept_with_a_warning_and_no_guessed_body():
    """A redesigned page gives its <title>, no body and a warning that names the URL."""
    article = next(a for a in ARTICLES if a.layout == "unknown")
    url = BASE + article.path

    page = epoint.parse_article(site.epoint_page(article), url, "wcrd", "004002")

    assert (article.title, (), None, 1) == (page.title, page.paragraphs, page.published_at, len(page.warnings))
    assert url in page.warnings[0] and "not recognised" in page.warnings[0]


def test_missing_publish_date_is_a_warning_not_the_url_folder():
    """Without 发布时间 the page has no publish time and says so; the 20190531 folder is not used."""
    article = next(a for a in ARTICLES if "20190531" in a.path)
    html = site.epoint_page(article).replace("发布时间：", "")

    page = epoint.parse_article(html, BASE + article.path, "wcrd", "003005")

    assert (None, True) == (page.published_at, any("No publish date" in w for w in page.warnings))


@pytest.mark.parametrize("number", [1, 2, 3, 4])
def test_list_pages_give_links_in_all_url_forms_and_the_next_page(number):
    """Each list page gives its articles' absolute URLs (double slash kept) and the next page until the last."""
    articles = {a.path: a for a in ARTICLES}
    html, count = site.epoint_list("003005", number, articles)
    url = f"{BASE}/zyfb/003005/{number}.html"

    listing = epoint.parse_list(html, url)

    shown = [a for a in sorted(articles.values(), key=lambda a: a.published, reverse=True) if a.list == "003005"]
    shown = shown[(number - 1) * site.EPOINT_PAGE_SIZE: number * site.EPOINT_PAGE_SIZE]
    expected_next = f"{BASE}/zyfb/003005/{number + 1}.html" if number < count else None
    assert ([BASE + a.path for a in shown], [a.title for a in shown], expected_next, count) == (
        [link.url for link in listing.links], [link.title for link in listing.links], listing.next_url,
        listing.pages)


def test_legacy_double_slash_url_is_kept_as_linked():
    """The migrated page /zyfb/003005//1818808.html is linked with its double slash intact."""
    articles = {a.path: a for a in ARTICLES}
    urls = [link.url for n in range(1, 5) for link in epoint.parse_list(
        site.epoint_list("003005", n, articles)[0], f"{BASE}/zyfb/003005/{n}.html").links]

    assert f"{BASE}/zyfb/003005//1818808.html" in urls


def test_pager_without_next_link_is_followed_by_number():
    """A pager that shows only 2/5 leads to 3.html."""
    html = ('<ul><li><a href="/a/1.html">人大紫阳街工委2018年度工作报告</a><span>2019-01-02</span></li></ul>'
            '<div class="ewb-page"><span id="index">2/5</span></div>')

    listing = epoint.parse_list(html, f"{BASE}/zyfb/003005/2.html")

    assert (f"{BASE}/zyfb/003005/3.html", 5) == (listing.next_url, listing.pages)


@pytest.mark.parametrize(("list_path", "url", "category"), [
    ("zyfb/003005", f"{BASE}/zyfb/003005/1.html", "003005"),
    ("/dbgz/004002/", f"{BASE}/dbgz/004002/1.html", "004002"),
    ("zyfb/003005/moreinfo.html", f"{BASE}/zyfb/003005/moreinfo.html", "003005"),
])
def test_list_path_gives_first_page_and_category(list_path, url, category):
    """A configured list becomes the URL of its first page and the category code of its documents."""
    assert (url, category) == (epoint.list_url(BASE, list_path), epoint.category(list_path))


def test_a_seed_page_takes_its_category_from_the_hidden_cate_div():
    """Fetched as a seed (no list), the 2018 report's category comes from <div id="cate">003005</div>."""
    article = next(a for a in ARTICLES if "20190531" in a.path)

    page = epoint.parse_article(site.epoint_page(article), BASE + article.path, "wcrd", None)

    assert "003005" == page.category


def test_one_article_linked_many_ways_gives_one_url_and_script_links_none():
    """a0.html, a0.html#top, %61%30.html and HTTP://HOST/… make one URL; JAVASCRIPT:, javascript: and mailto: none."""
    article = site.linked_many_ways("epoint", BASE)
    articles = {a.path: a for a in (*ARTICLES, article)}
    html, _ = site.epoint_list("003005", 1, articles)

    listing = epoint.parse_list(html, f"{BASE}/zyfb/003005/1.html")

    shown = sorted((a for a in articles.values() if a.list == "003005"), key=lambda a: a.published, reverse=True)
    expected = [BASE + article.path] * 5 + [BASE + a.path for a in shown[1:site.EPOINT_PAGE_SIZE]]
    assert expected == [link.url for link in listing.links]


def test_a_report_under_thousands_of_nested_divs_reads_as_without_them_with_a_warning():
    """A body that opens 3,000 nested <div> gives the fields and paragraphs of the plain page, and one warning
    naming the URL."""
    article = next(a for a in ARTICLES if "20190531" in a.path)
    url = BASE + article.path
    plain = epoint.parse_article(site.epoint_page(article), url, "wcrd", "003005")
    hostile = site.epoint_page(article).replace('<div id="infoContentM">',
                                                '<div id="infoContentM">' + "<div>" * 3000 + "</div>" * 3000)

    page = epoint.parse_article(hostile, url, "wcrd", "003005")

    assert (plain.paragraphs, plain.published_at, 1, True) == (
        page.paragraphs, page.published_at, len(page.warnings), url in page.warnings[0])


def test_the_attachments_of_a_page_are_its_file_links_in_order_a_download_script_and_another_host_included():
    """The .docx, the .pdf, the .doc behind downloadZtreeAttach.jspx (named by its words) and the copy on another
    host, as linked, with the words of their links."""
    article = next(a for a in site.extra_articles("epoint") if a.attachments)
    url = BASE + article.path

    found = extract.attachments(site.epoint_page(article), url, epoint.ATTACHMENTS)

    assert [(urls.join(url, a.href), a.name) for a in article.attachments] == [(link.url, link.title) for link in found]


@pytest.mark.parametrize(("anchor", "expected"), [
    ('<a href="/uploadfile/a.DOCX">报告</a>', [f"{BASE}/uploadfile/a.DOCX"]),
    ('<a href="/download.jspx?guid=1">报告.wps</a>', [f"{BASE}/download.jspx?guid=1"]),
    ('<a href="/uploadfile/a.pdf">报告</a><a href="/uploadfile/a.pdf#page=2">再次</a>', [f"{BASE}/uploadfile/a.pdf"]),
    ('<a href="/zyfb/003005/b.html">通知</a>', []),
    ('<a href="/uploadfile/1.jpg">图片</a>', []),
    ('<a href="javascript:void(0)">报告.doc</a>', []),
])
def test_a_link_is_an_attachment_when_its_path_or_its_words_end_in_a_readers_suffix(anchor, expected):
    """A file a reader reads (.docx in any case, .wps behind a script) is an attachment, once; a page, a picture or
    a script link is not."""
    html = f'<div class="ewb-article-info"><div id="infoContentM"><p>附件：{anchor}</p></div></div>'

    found = extract.attachments(html, f"{BASE}/xxgk/005001/a.html", epoint.ATTACHMENTS)

    assert expected == [link.url for link in found]
