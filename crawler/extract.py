"""What the site adapters share: HTML to paragraphs, dates, the meeting line, and the finished ``Page``.

An adapter finds the parts of a page with its own selectors; this module turns those parts into text
and fields the same way for every site. Every parse goes through ``crawler.markup.bound`` first, so a
page that nests too deep is flattened, with a warning, rather than parsed for hours. Pure functions of
strings and parsed nodes; it must never fetch anything or know a site's markup.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from urllib.parse import urlsplit

from selectolax.lexbor import LexborHTMLParser, LexborNode

from crawler import domain, urls
from crawler.domain import CHINA, meeting_of
from crawler.markup import COMMENT, MAX_ATTRIBUTES, MAX_DEPTH, bound
from crawler.records import Page

# Each runs to the end when left open, as a parser reads it, so no pattern scans the same text twice.
_SCRIPTS = re.compile(r"<(style|script|title)\b(?:.*?</\1\s*>|.*)", re.S | re.I)
_COMMENTS = re.compile(COMMENT, re.S)
_BLOCKS = re.compile(
    r"<br\s*/?>|</?(?:p|div|li|ul|ol|tr|td|th|table|h[1-6]|section|article|blockquote)\b[^>]*+>?", re.I
)
# An indent inside a run of text (two full-width spaces or non-breaking spaces) starts a paragraph.
_INDENT = re.compile(r"[\u3000\xa0]{2,}")
_SPACES = " \t\r\n\u3000\xa0\u200b\ufeff"
_IMAGE = re.compile(r"<img\b[^>]*+>?", re.I)
_IMAGE_MARK = "\ufffc"  # the object replacement character stands for an image while text is split
_SENTENCE_END = re.compile(r"[。！？；!?;]")
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+[.、．])")
CAPTION_MAX = 40
# What the readers of crawler.local read: Word 2007+, Word 97–2003, PDF, WPS, RTF.
ATTACHMENT_SUFFIXES = (".docx", ".doc", ".pdf", ".wps", ".rtf")
_DATETIME = re.compile(
    r"(\d{4})\s*[-/年.]\s*(\d{1,2})\s*[-/月.]\s*(\d{1,2})\s*日?(?:\s*(\d{1,2})\s*[:：]\s*(\d{2}))?"
)



@dataclass(frozen=True)
class Link:
    """An article linked from a list page: its absolute URL, the title the list shows, and the date."""

    url: str
    title: str
    listed: str = ""


@dataclass(frozen=True)
class Listing:
    """A parsed list page: its article links, the URL of the next list page if any, the count of pages
    when the pager shows it, and warnings about its markup."""

    links: tuple[Link, ...]
    next_url: str | None
    pages: int | None = None
    warnings: tuple[str, ...] = ()


def parse(html: str, url: str) -> tuple[LexborHTMLParser, list[str]]:
    """The tree of the page at ``url``, and a warning when its markup had to be flattened to be parsed."""
    bounded = bound(html)
    warnings = []
    if bounded.flattened:
        warnings.append(
            f"Markup of '{url}' nests deeper than {MAX_DEPTH} elements: {bounded.flattened} tags were "
            "flattened so that it parses in linear time, its text kept; check its paragraphs against the page"
        )
    if bounded.trimmed:
        warnings.append(
            f"Markup of '{url}' has {bounded.trimmed} tags with more than {MAX_ATTRIBUTES} attributes; "
            "the rest of their attributes were dropped so that it parses in linear time"
        )
    return LexborHTMLParser(bounded.text), warnings


def attachments(html: str, url: str, selector: str) -> tuple[Link, ...]:
    """The files the article at ``url`` attaches (附件：…), each once, in the order they stand: the links
    ``selector`` finds whose path, or whose words (a download script shown as ``报告.doc``), end in a suffix
    of ``ATTACHMENT_SUFFIXES``. Foreign hosts included: the crawl says why it leaves them."""
    found: dict[str, Link] = {}
    for anchor in parse(html, url)[0].css(selector):
        href = anchor.attributes.get("href")
        if not urls.is_page_link(href):
            continue
        words = text_of(anchor)
        path = urlsplit(urls.join(url, href)).path.lower()
        if path.endswith(ATTACHMENT_SUFFIXES) or words.lower().endswith(ATTACHMENT_SUFFIXES):
            link = urls.join(url, href)
            found.setdefault(link, Link(link, (anchor.attributes.get("title") or "").strip() or words))
    return tuple(found.values())


def text_of(node: LexborNode | None) -> str:
    """The text of ``node`` on one line, spaces collapsed; empty for None."""
    if node is None:
        return ""
    return re.sub(r"\s+", " ", node.text(deep=True, separator="")).strip(_SPACES)


def paragraphs(markup: str) -> list[str]:
    """The paragraphs of an HTML fragment: split at blocks, ``<br>``, blank lines and indents.

    Word-exported documents nested in the fragment are handled alike: their head, styles and
    ``<o:p>``/``<st1:…>`` tags carry no text of their own. An image's caption (the short line right
    after it, with no sentence in it) is dropped with the image.
    """
    markup = _COMMENTS.sub("", _SCRIPTS.sub("", markup))
    markup = _IMAGE.sub(f"\n{_IMAGE_MARK}\n", markup)
    markup = _BLOCKS.sub("\n", markup)
    text = LexborHTMLParser(bound(f"<body>{markup}</body>").text).body.text(deep=True, separator="")
    found = []
    after_image = False
    for line in text.split("\n"):
        for piece in _INDENT.split(line):
            piece = re.sub(r"[ \t]+", " ", piece).strip(_SPACES)
            if piece == _IMAGE_MARK:
                after_image = True
            elif piece:
                if not (after_image and is_caption(piece)):
                    found.append(piece)
                after_image = False
    return found


def is_caption(line: str) -> bool:
    """Whether ``line`` reads like an image caption: short, not a sentence, not a numbered heading."""
    return len(line) <= CAPTION_MAX and not _SENTENCE_END.search(line) and not _HEADING.match(line)


def parse_datetime(text: str) -> datetime | None:
    """The first date (and time, when written) in ``text``, in China time; None when there is none."""
    match = _DATETIME.search(text)
    if not match:
        return None
    year, month, day, hour, minute = (int(group) if group else 0 for group in match.groups())
    try:
        return datetime(year, month, day, hour, minute, tzinfo=CHINA)
    except ValueError:
        return None


def author_of(lines: list[str], start: int) -> str | None:
    """The author line (人大紫阳街工委) at ``lines[start]``, when that line names a committee and no more."""
    if start < len(lines):
        line = lines[start]
        if len(line) <= 24 and (
            domain.COMMITTEE.fullmatch(line) or domain.KNOWN_COMMITTEE.fullmatch(line)
        ):
            return line
    return None


def finish(
    url: str,
    site: str,
    category: str | None,
    title: str,
    published: datetime | None,
    body: Iterable[str],
    warnings: Iterable[str] = (),
) -> Page:
    """The ``Page`` of an article: meeting, author, committee, year and kind read off title and body."""
    lines = list(body)
    warnings = list(warnings)
    meeting_date, session, _, taken, meeting_warnings = meeting_of(lines, published)
    warnings += meeting_warnings
    author = author_of(lines, taken)
    if author is None and taken == 0:
        author = author_of(lines, 0)
    kind = domain.document_kind(title, author)
    match = domain.report_title(title)
    year = int(match["year"]) if match else domain.title_year(title)
    key = domain.committee_key(title) or (domain.committee_key(author) if author else None)
    if not lines and not warnings:
        warnings.append(f"No body text found in '{url}'")
    return Page(
        url=url,
        site=site,
        category=category,
        title=title,
        published_at=published,
        paragraphs=tuple(lines),
        committee=key,
        year=year,
        kind=kind,
        meeting_date=meeting_date,
        session=session,
        author=author,
        warnings=tuple(warnings),
    )


def unrecognised(
    url: str, site: str, category: str | None, tree: LexborHTMLParser, missing: str, warnings: Iterable[str] = ()
) -> Page:
    """A page whose layout the adapter does not know: kept with a warning, its body not guessed at."""
    title = text_of(tree.css_first("title"))
    warning = (
        f"Layout of '{url}' not recognised ({missing} not found); stored without body, "
        "re-extract it once the adapter knows the layout"
    )
    return Page(
        url=url,
        site=site,
        category=category,
        title=title,
        published_at=None,
        paragraphs=(),
        committee=domain.committee_key(title),
        year=domain.title_year(title),
        kind=domain.document_kind(title),
        warnings=(*warnings, warning),
    )


def merge(first: Page, *parts: Page) -> Page:
    """One page of an article read in parts: the first part's fields, every part's paragraphs and warnings."""
    paragraphs = first.paragraphs + tuple(line for part in parts for line in part.paragraphs)
    warnings = first.warnings + tuple(
        warning for part in parts for warning in part.warnings if warning not in first.warnings
    )
    return replace(first, paragraphs=paragraphs, warnings=warnings)
