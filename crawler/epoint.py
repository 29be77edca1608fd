"""The adapter of the district site (武昌区人大, Epoint WebBuilder): list pages and article pages.

List pages are ``/{col}/{cat}/N.html`` with items as ``li > a[href]`` plus a date ``span`` and a pager
showing ``1/7``. Article links take three forms, one with a double slash that is kept as it is. An
article states its publish time under the title (the URL's date folder is not the publish date); its
body sits in ``#infoContentM``, often a whole Word-exported HTML document. A page without the
expected parts is returned with a warning, never guessed at. It must never fetch anything.
"""

from __future__ import annotations

import re

from crawler import extract, urls
from crawler.extract import Link, Listing
from crawler.records import Page

LIST_ITEMS = "li"
LIST_LINK = "a[href]"
LIST_DATE = "span"
PAGER = ".ewb-page, #index, .pagination, .pages"
PAGER_NEXT = ".ewb-page a, .pagination a, .pages a"
TITLE = "h3.ewb-article-tt, .ewb-article h3, .ewb-article-title, h3"
SOURCES = ".ewb-article-sources, .ewb-article-info-title, .info-sources"
BODY = "#infoContentM, #infoContent, .ewb-article-info"
CATEGORY = "#cate"
# Files attached in the body (附件：…) or under it; Epoint serves them by path or through a download script.
ATTACHMENTS = "#infoContentM a[href], #infoContent a[href], .ewb-article-info a[href], .ewb-article-attach a[href]"
# A district site: a street is one of the district's 14 (crawler.domain.STREETS).
ANY_STREET = False

_LIST_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_PAGE_COUNT = re.compile(r"(\d+)\s*/\s*(\d+)")
_NEXT_WORDS = ("下页", "下一页", "下一頁", ">")
_PUBLISHED = re.compile(r"发布(?:时间|日期)\s*[:：]\s*(.+)")
_NUMBERED = re.compile(r"/(\d+)\.html$")


def list_url(base_url: str, list_path: str) -> str:
    """First list page of ``zyfb/003005``, ``/zyfb/003005/``, ``…/1.html`` or ``moreinfo.html``."""
    path = "/" + list_path.strip().lstrip("/")
    if not path.endswith(".html"):
        path = path.rstrip("/") + "/1.html"
    return base_url.rstrip("/") + path


def category(list_path: str) -> str | None:
    """The category code of a list (``003005`` of ``zyfb/003005/1.html``), or its folder name."""
    codes = re.findall(r"(?<![\d])\d{6,}(?![\d])", list_path)
    if codes:
        return codes[-1]
    folders = [part for part in list_path.split("/") if part and not part.endswith(".html")]
    return folders[-1] if folders else None


def parse_list(html: str, url: str) -> Listing:
    """The article links of a list page and the next list page's URL (from the pager), if any."""
    tree, warnings = extract.parse(html, url)
    links = []
    for item in tree.css(LIST_ITEMS):
        anchor = item.css_first(LIST_LINK)
        dated = [span for span in item.css(LIST_DATE) if _LIST_DATE.search(extract.text_of(span))]
        if anchor is None or not dated or not urls.is_page_link(href := anchor.attributes.get("href")):
            continue  # pager and menu items carry no date; script and mail links are no articles
        title = (anchor.attributes.get("title") or "").strip() or extract.text_of(anchor)
        links.append(Link(urls.join(url, href), title, _LIST_DATE.search(extract.text_of(dated[0]))[0]))
    return Listing(tuple(links), *_next_page(tree, url), warnings=tuple(warnings))


def _next_page(tree, url: str) -> tuple[str | None, int | None]:
    count = None
    current = None
    for node in tree.css(PAGER):
        match = _PAGE_COUNT.search(extract.text_of(node))
        if match:
            current, count = int(match[1]), int(match[2])
            break
    for anchor in tree.css(PAGER_NEXT):
        if extract.text_of(anchor) in _NEXT_WORDS and urls.is_page_link(href := anchor.attributes.get("href")):
            return urls.join(url, href), count
    if current is not None and count is not None and current < count and _NUMBERED.search(url):
        return _NUMBERED.sub(f"/{current + 1}.html", url), count
    return None, count


def continuation(html: str, url: str) -> str | None:
    """Epoint articles are never split over several pages."""
    return None


def parse_article(html: str, url: str, site: str, category: str | None) -> Page:
    """The ``Page`` read off an article page; a layout not recognised gives a page with a warning."""
    tree, warnings = extract.parse(html, url)
    title_node, body_node = tree.css_first(TITLE), tree.css_first(BODY)
    if title_node is None or body_node is None:
        missing = "title h3" if title_node is None else BODY
        return extract.unrecognised(url, site, category, tree, missing, warnings)
    title = extract.text_of(title_node)
    published = None
    sources = tree.css_first(SOURCES)
    stated = _PUBLISHED.search(extract.text_of(sources)) if sources else None
    if stated:
        published = extract.parse_datetime(stated[1])
    if published is None:
        warnings.append(f"No publish date in '{url}'; expected 发布时间：YYYY-MM-DD under the title")
    if category is None:
        category = extract.text_of(tree.css_first(CATEGORY)) or None
    body = extract.paragraphs(body_node.html or "")
    if body and body[0] == title:
        body = body[1:]  # some pages repeat the title as the body's first line
    return extract.finish(url, site, category, title, published, body, warnings)
