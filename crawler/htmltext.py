"""Text of a saved HTML page, every character with its line and column in the HTML file.

A parser tree forgets where its text stood, so this reads the markup with a small tokenizer instead:
block elements and ``<br>`` end a line, ``<script>``/``<style>``/``<head>`` are skipped, entities are
decoded, and each run of text remembers its source position. Where the page has a known content
element (the district site's ``#infoContentM``, the provincial site's ``#endtext``…) only the title and
that element are read; otherwise the whole body. As in a browser, a comment, script or tag left open
runs to the end of the file, so no malformed page makes it read the same text twice: it reads in linear
time. It must never execute or fetch anything.
"""

from __future__ import annotations

import html
import re
from bisect import bisect_right

from crawler.markup import ATTRIBUTES, COMMENT, DECLARATION
from crawler.normalize import Piece

TOKEN = re.compile(
    rf"{COMMENT}|<(script|style)(?=[\s/>]|\Z)(?:{ATTRIBUTES})(?:>(?:.*?</\1\s*>|.*))?|{DECLARATION}"
    rf"|<(/?)([A-Za-z][\w:.-]*)({ATTRIBUTES})>?",
    re.S | re.I,
)
# Elements whose content is no text when they are closed; left open, they are read as ordinary tags.
SKIPPED = ("noscript", "head", "xml", "template")
CLOSER = {name: re.compile(rf"</{name}\s*>", re.I) for name in SKIPPED}
_CLOSERS = re.compile(rf"</({'|'.join(SKIPPED)})\s*>", re.I)
ENTITY = re.compile(r"&(?:#\d{1,7}|#[xX][0-9A-Fa-f]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
BLOCK = frozenset(
    "p div br li ul ol tr td th table tbody thead h1 h2 h3 h4 h5 h6 section article header footer "
    "dd dt dl blockquote pre hr form nav center address figure figcaption caption title body html".split()
)
HEADING = frozenset("h1 h2 h3".split())
# The content element of each known layout: the district site (Epoint), the provincial site (PHPCMS).
CONTENT = re.compile(
    r"""\b(?:id\s*=\s*["']?(?:infoContentM|endtext|zoom|info_content)\b"""
    r"""|class\s*=\s*["'][^"']*\b(?:ewb-article-info|article-content)\b)""",
    re.I,
)
LINE_START = re.compile(r"\r\n|\r|\n")


class _Positions:
    """Offsets in the file's text to 1-based (line, column)."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [match.end() for match in LINE_START.finditer(text)]

    def __call__(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def _pieces(text: str, offset: int, position: _Positions) -> list[tuple[str, int, int]]:
    """The runs of a text node: split at line ends and at entities, each with its source position."""
    runs = []
    cursor = 0
    for match in [*ENTITY.finditer(text), None]:
        stop = match.start() if match else len(text)
        chunk = text[cursor:stop]
        chunk_offset = offset + cursor
        for part in LINE_START.split(chunk):
            if part:
                line, column = position(chunk_offset)
                runs.append((part, line, column))
            chunk_offset += len(part)
            newline = LINE_START.match(text, chunk_offset - offset)
            chunk_offset += len(newline.group(0)) if newline else 0
        if match:
            line, column = position(offset + match.start())
            runs.append((html.unescape(match.group(0)), line, column))
            cursor = match.end()
    return runs


def html_lines(text: str) -> tuple[list[list[Piece]], str | None]:
    """The logical lines of the page's text (as pieces with source positions), and its title if it has one."""
    position = _Positions(text)
    lines: list[list[Piece]] = [[]]
    title: str | None = None
    heading_depth = 0
    heading_text: list[str] = []
    content_tag: str | None = None
    content_depth = 0
    has_content = bool(CONTENT.search(text))
    reading = not has_content
    last_closer = {match[1].lower(): match.start() for match in _CLOSERS.finditer(text)}
    cursor = 0
    while True:
        match = TOKEN.search(text, cursor)
        stop = match.start() if match else len(text)
        if stop > cursor:
            chunk = text[cursor:stop]
            if heading_depth:
                heading_text.append(html.unescape(chunk))
            if reading or heading_depth:
                for run, line, column in _pieces(chunk, cursor, position):
                    lines[-1].append(Piece(run, line, column))
        if match is None:
            break
        cursor = match.end()
        name = (match.group(3) or "").lower()
        if not name:
            continue
        closing = match.group(2) == "/"
        if name in SKIPPED and not closing and last_closer.get(name, -1) >= cursor:
            cursor = CLOSER[name].search(text, cursor).end()  # found: the last closer lies ahead
            continue
        if name in HEADING and title is None:
            if not closing:
                heading_depth += 1
                heading_text = []
            elif heading_depth:
                heading_depth -= 1
                candidate = re.sub(r"\s+", "", "".join(heading_text))
                if len(candidate) >= 6:
                    title = candidate
                    if not reading:
                        lines.append([])
        if content_tag is None and has_content and not closing and CONTENT.search(match.group(4) or ""):
            content_tag, content_depth, reading = name, 1, True
            lines.append([])
            continue
        if content_tag == name:
            content_depth += -1 if closing else 1
            if content_depth == 0:
                reading = False
                content_tag = ""  # read one content element only
        if name in BLOCK and lines[-1]:
            lines.append([])
    return [line for line in lines if line], title
