"""The adapter of the provincial site (湖北人大网, PHPCMS): list pages and article pages.

Lists are ``/list.php?catid=N&page=P`` with items ``div.list1 > a[href]`` (relative) and a date
``span``. Articles live at ``/{yyyy}/{mmdd}/{id}.html`` and may continue at ``{id}_2.html``. The
breadcrumb always reads ``当前位置: 首页 >> 文章详情``, so the category is the list the link came from.
The body is ``#endtext``; image captions, the trailing byline ``（李丰 陈琳）`` and the ``责任编辑`` footer
are removed. It must never fetch anything.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

from crawler import extract, urls
from crawler.extract import Link, Listing
from crawler.records import Page

LIST_ITEMS = "div.list1"
LIST_LINK = "a[href]"
LIST_DATE = "span"
PAGER_LINKS = "#pages a"
TITLE = "h1.title, .main h1, h1"
INFO = "div.info, .info, .source"
BODY = "div#endtext, #endtext"
BODY_PARAGRAPHS = "p"
ATTACHMENTS = "#endtext a[href], .attachment a[href]"
# The province's site: its news names streets of every district (洪山区珞南街道…), not only the 14 of 武昌区.
ANY_STREET = True

_NEXT_WORDS = ("下一页", "下页")
_PUBLISHED = re.compile(r"时间\s*[:：]\s*(\d{4}-\d{1,2}-\d{1,2}(?:\s+\d{1,2}:\d{2})?)")
# A byline closing the last paragraph: names in parentheses, e.g. （李丰 陈琳） or (通讯员 王敏).
_BYLINE = re.compile(
    r"(?<=[。！？”])\s*[（(]\s*(?:通讯员|记者)?\s*[\u4e00-\u9fff]{2,4}(?:[\s、，,]+[\u4e00-\u9fff]{2,4})*\s*[)）]\s*$"
)
_FOOTER = re.compile(r"^(?:责任编辑|编辑|来源)\s*[:：]")


def list_url(base_url: str, list_path: str) -> str:
    """The first page of a list given as ``list.php?catid=8`` (a page number is set to 1)."""
    parts = urlsplit(urljoin(base_url.rstrip("/") + "/", list_path.strip().lstrip("/")))
    query = parse_qs(parts.query)
    query["page"] = ["1"]
    return urlunsplit(parts._replace(query=urlencode({k: v[0] for k, v in query.items()})))


def category(list_path: str) -> str | None:
    """The ``catid`` of a list URL, which is all the site says of an article's category."""
    return parse_qs(urlsplit(list_path).query).get("catid", [None])[0]


def parse_list(html: str, url: str) -> Listing:
    """The article links of a list page and the next list page's URL, if the pager offers one."""
    tree, warnings = extract.parse(html, url)
    links = []
    for item in tree.css(LIST_ITEMS):
        anchor = item.css_first(LIST_LINK)
        if anchor is None or not urls.is_page_link(href := anchor.attributes.get("href")):
            continue  # script and mail links are no articles
        date = item.css_first(LIST_DATE)
        title = (anchor.attributes.get("title") or "").strip() or extract.text_of(anchor)
        links.append(Link(urls.join(url, href), title, extract.text_of(date)))
    return Listing(tuple(links), _next(tree, url), warnings=tuple(warnings))


def _next(tree, url: str) -> str | None:
    for anchor in tree.css(PAGER_LINKS):
        if extract.text_of(anchor) in _NEXT_WORDS and urls.is_page_link(href := anchor.attributes.get("href")):
            return urls.join(url, href)
    return None


def continuation(html: str, url: str) -> str | None:
    """The URL of the next part of a long article (``{id}_2.html``), or None on its last part."""
    return _next(extract.parse(html, url)[0], url)


def _strip_images_and_captions(body) -> None:
    """Removes paragraphs holding only images, and captions set apart by centring; an uncentred caption
    right after an image is left to ``extract.paragraphs``."""
    for node in body.css(BODY_PARAGRAPHS):
        text = extract.text_of(node)
        centred = "center" in (node.attributes.get("style") or "") or node.attributes.get("align") == "center"
        if (not text and node.css_first("img") is not None) or (text and centred and extract.is_caption(text)):
            node.decompose()


def parse_article(html: str, url: str, site: str, category: str | None) -> Page:
    """The ``Page`` of one part of an article; ``extract.merge`` joins the parts of a long one."""
    tree, warnings = extract.parse(html, url)
    title_node, body_node = tree.css_first(TITLE), tree.css_first(BODY)
    if title_node is None or body_node is None:
        missing = "h1 title" if title_node is None else "#endtext"
        return extract.unrecognised(url, site, category, tree, missing, warnings)
    info = _PUBLISHED.search(extract.text_of(tree.css_first(INFO)))
    published = extract.parse_datetime(info[1]) if info else None
    if published is None:
        warnings.append(f"No publish date in '{url}'; expected 时间：YYYY-MM-DD HH:MM under the title")
    _strip_images_and_captions(body_node)
    body = [line for line in extract.paragraphs(body_node.html or "") if not _FOOTER.match(line)]
    if body and _next(tree, url) is None:  # the byline closes the last part only
        body[-1] = _BYLINE.sub("", body[-1]).rstrip()
    return extract.finish(url, site, category, extract.text_of(title_node), published, body, warnings)
