"""Markup bounded before a parser sees it, so that no page can make the parse take more than linear time.

An HTML tree builder walks its stack of open elements at many tags (is a ``<p>`` open? where does this
end tag close?), so markup that leaves elements open — 200,000 unclosed ``<div>`` — costs it the square
of their number, and so do thousands of attributes on one tag. ``bound`` reads the markup once, in linear
time, following the parser's own rules for the common cases (a ``<p>`` closed by the next block, ``<li>``
by the next item, cells and rows by the next cell and row, void and ignored tags, text of ``<script>``,
``<style>``, ``<title>``…, comments and tags left open at the end), and counts how deep the elements
nest. Beyond ``MAX_DEPTH`` (real pages nest fewer than 50 deep) a start tag and its end tag are
flattened: a block becomes a ``<br>``, so lines still break where they did, and an inline tag goes; past
``MAX_ATTRIBUTES`` the rest of a tag's attributes go. Text is never dropped, and markup within the
limits is returned as it came, the very same string.

The patterns ``COMMENT``, ``DECLARATION`` and ``ATTRIBUTES`` never fail once they have begun, so a
scanner built of them never reads the same characters twice. It must never parse a tree or judge content.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

MAX_DEPTH = 256
MAX_ATTRIBUTES = 256

# An unclosed comment runs to the end, as in a browser; a doctype, <?xml…?> or </ …> to the next '>'.
COMMENT = r"<!--(?:.*?-->|.*)"
DECLARATION = r"<(?:[!?]|/(?![A-Za-z]))[^>]*>?"
# A tag's attributes up to its '>' (or the end): quotes count only after '=', and an unclosed one runs to the end.
ATTRIBUTES = r"""(?:[^>="']++|=\s*+"[^"]*+"?|=\s*+'[^']*+'?|[="'])*+"""
# Elements whose text is not markup (RAWTEXT and RCDATA in the HTML standard); unclosed, they run to the end.
RAW_TEXT = "script style textarea title xmp iframe noembed noframes plaintext".split()

TOKEN = re.compile(
    rf"{COMMENT}|<({'|'.join(RAW_TEXT)})(?=[\s/>]|\Z)({ATTRIBUTES})(?:>(?:.*?</\1\s*>|.*))?|{DECLARATION}"
    rf"|<(/?)([A-Za-z][^\s/>]*)({ATTRIBUTES})>?",
    re.S | re.I,
)
_ATTRIBUTE = re.compile(r"""[^\s/>][^\s/>=]*(?:\s*=\s*(?:"[^"]*"?|'[^']*'?|[^\s>]*))?""")

VOID = frozenset("area base basefont bgsound br col embed frame hr image img input keygen link meta param source "
                 "track wbr".split())
FORMATTING = frozenset("a b big code em font i nobr s small strike strong tt u".split())
# html, head and body merge into the document's own.
IGNORED = frozenset("html head body".split())
# A start tag of these closes an open <p> (unless a scope boundary stands between).
CLOSES_P = frozenset("address article aside blockquote center details dialog dir div dl fieldset figcaption figure "
                     "footer form header hgroup hr main menu nav ol p search section summary ul h1 h2 h3 h4 h5 h6 pre "
                     "listing li dd dt plaintext xmp".split())
# Where a search for an open element stops ("has an element in scope" of the HTML standard).
SCOPE = frozenset("applet caption html table td th marquee object template".split())
# The special elements other than address, div and p: where <li>, <dd>, <dt> stop looking for one to close,
# and where an end tag of an ordinary element stops looking for its element.
STOPS = frozenset("applet area article aside base basefont bgsound blockquote body br button caption center col "
                  "colgroup dd details dir dl dt embed fieldset figcaption figure footer form frame frameset h1 h2 "
                  "h3 h4 h5 h6 head header hgroup hr html iframe img input keygen li link listing main marquee menu "
                  "meta nav noembed noframes noscript object ol param plaintext pre script search section select "
                  "source style summary table tbody td template textarea tfoot th thead title tr track ul wbr "
                  "xmp".split())
SPECIAL = STOPS | {"address", "div", "p"}
HEADINGS = frozenset("h1 h2 h3 h4 h5 h6".split())
CELLS = ("td", "th")
SECTIONS = ("tbody", "thead", "tfoot")
# A list box holds options; these tags end it, any other is dropped.
IN_SELECT = frozenset("option optgroup select script template".split())
ENDS_SELECT = frozenset("input keygen textarea caption table tbody tfoot thead tr td th".split())
# HTML elements that end an SVG or MathML element they appear in, unless inside an integration point.
BREAKOUT = frozenset("b big blockquote body br center code dd div dl dt em embed h1 h2 h3 h4 h5 h6 head hr i img "
                     "li listing menu meta nobr ol p pre ruby s small span strong strike sub sup table tt u ul "
                     "var".split())
INTEGRATION_POINTS = ("foreignobject", "desc", "title", "mi", "mo", "mn", "ms", "mtext", "annotation-xml")
TABLE_PARTS = frozenset({*CELLS, *SECTIONS, "tr", "caption", "colgroup", "table"})
# Start tags with a rule of their own; any other is simply pushed.
RULED = (IGNORED | CLOSES_P | HEADINGS | VOID | TABLE_PARTS
         | {"li", "dd", "dt", "option", "optgroup", "a", "nobr", "button", "form", "select"})
# A flattened block still ends its line: it becomes a <br>.
BREAKS = frozenset("p div li ul ol dl dt dd tr td th table tbody thead tfoot caption h1 h2 h3 h4 h5 h6 section "
                   "article aside header footer nav blockquote pre address center figure figcaption form hr "
                   "main".split())


@dataclass(frozen=True)
class Bounded:
    """Markup as a parser may take it: ``text``; how many tags nesting deeper than ``MAX_DEPTH`` were
    ``flattened``, and how many tags lost attributes past ``MAX_ATTRIBUTES`` (``trimmed``)."""

    text: str
    flattened: int = 0
    trimmed: int = 0


def bound(markup: str, max_depth: int = MAX_DEPTH, max_attributes: int = MAX_ATTRIBUTES) -> Bounded:
    """``markup`` with its nesting and attributes kept within the limits; itself when they already are."""
    stack = _Stack(max_depth)
    edits: list[tuple[int, int, str]] = []
    flattened = trimmed = 0
    dropped: dict[str, int] = defaultdict(int)
    for match in TOKEN.finditer(markup):
        name = match[4]
        if name is None:
            continue  # a comment, a declaration or an element of raw text
        name, closing, attributes = name.lower(), match[3] == "/", match[5]
        if closing:
            if dropped[name]:
                dropped[name] -= 1
                edits.append((match.start(), match.end(), "<br>" if name in BREAKS else ""))
            else:
                stack.end(name)
            continue
        if len(attributes) > 2 * max_attributes:  # shorter, it cannot hold that many
            cut = _cut(attributes, max_attributes)
            if cut < len(attributes):
                trimmed += 1
                attributes = attributes[:cut]
                edits.append((match.start(), match.end(), f"<{match[4]}{attributes}>"))
        if stack.start(name, attributes.rstrip().endswith("/")):
            continue
        flattened += 1
        dropped[name] += 1
        if edits and edits[-1][0] == match.start():
            edits.pop()
        edits.append((match.start(), match.end(), "<br>" if name in BREAKS else ""))
    if not edits:
        return Bounded(markup)
    pieces, cursor = [], 0
    for start, end, replacement in edits:
        pieces += [markup[cursor:start], replacement]
        cursor = end
    pieces.append(markup[cursor:])
    return Bounded("".join(pieces), flattened, trimmed)


def _cut(attributes: str, limit: int) -> int:
    """Where a tag's ``attributes`` are cut to keep ``limit`` of them: the end of the last one kept, or
    the end of them all when there are no more than ``limit``."""
    for count, match in enumerate(_ATTRIBUTE.finditer(attributes), 1):
        if count == limit and _ATTRIBUTE.search(attributes, match.end()):
            return match.end()
    return len(attributes)


class _Stack:
    """The open elements as a tree builder would hold them, kept in linear time: every lookup is the last
    position of a name or of a kind of element, so nothing walks the stack.

    It follows the standard's rules for what pages do (implied ends, scopes, tables, list boxes, SVG, a
    formatting element closed over a block), not every corner of its adoption agency: an element the
    parser moves elsewhere stays counted here, so the depth errs on the deep side. A formatting element
    popped by another's end stays active (three of a name at most), and the parser opens it again at the
    next text: it counts towards the depth until its own end tag.
    """

    def __init__(self, max_depth: int) -> None:
        self.max_depth = max_depth
        self.names: list[str] = []
        self.where: dict[str, list[int]] = defaultdict(list)
        self.scopes: list[int] = []  # positions of the default scope's boundaries
        self.stops: list[int] = []
        self.specials: list[int] = []
        self.afe: dict[str, int] = defaultdict(int)
        self.reopened = 0

    def start(self, name: str, self_closing: bool) -> bool:
        """Takes a start tag; False when it would nest deeper than ``max_depth`` and must be flattened."""
        where = self.where
        if name not in RULED and not where["select"] and not where["svg"] and not where["math"]:
            return self._push(name)
        select = self._last("select")
        if select >= 0 and name not in IN_SELECT:
            if name not in ENDS_SELECT:
                return True  # a list box holds options only: the parser drops the rest
            self._pop_to(select)
        foreign = max(self._last("svg"), self._last("math"))
        if foreign >= 0:
            if self_closing:
                return True  # <path/> in SVG closes itself
            if name in BREAKOUT and max(map(self._last, INTEGRATION_POINTS)) < foreign:
                self._pop_to(foreign)  # HTML inside SVG or MathML ends them
        if name in IGNORED or (name == "form" and where[name]):
            return True  # merged into the document's own, or dropped inside a form
        if name in CLOSES_P:
            self._pop_in_scope("p")
        names = self.names
        if name in ("li", "dd", "dt") and self.stops:
            if names[self.stops[-1]] in (("li",) if name == "li" else ("dd", "dt")):
                self._pop_to(self.stops[-1])
        elif name in HEADINGS and names and names[-1] in HEADINGS:
            self._pop_to(len(names) - 1)
        elif name in ("option", "optgroup") and names and names[-1] == "option":
            self._pop_to(len(names) - 1)
        elif name in ("a", "nobr"):
            self._end_formatting(name)  # a link inside a link ends the first one
        elif name == "button":
            self._pop_in_scope(name)
        if name in VOID or (name == "select" and select >= 0):
            return True  # a list box inside a list box only ends the first
        if name in TABLE_PARTS:
            return self._table_part(name)
        return self._push(name)

    def end(self, name: str) -> None:
        """Takes an end tag: pops to its element where the parser would, and ignores it where it would."""
        if self.names and self.names[-1] == name:
            self._pop_to(len(self.names) - 1, closing=name)
            return
        select = self._last("select")
        if select >= 0 and name not in IN_SELECT:
            if name in TABLE_PARTS and self._last(name) > self._boundary(name) >= 0:
                self._pop_to(select)
            return
        if name in HEADINGS:
            index = max(map(self._last, HEADINGS))
            if index >= 0 and self._boundary(name) <= index:
                self._pop_to(index)
        elif name == "form":
            index = self._last(name)
            if index >= 0 and self._boundary(name) <= index:
                self._forget(index)  # the parser takes the form out and leaves what it holds open
        elif name in FORMATTING:
            self._end_formatting(name)
        elif name in SPECIAL:
            self._pop_in_scope(name)
        else:
            index = self._last(name)
            if index >= 0 and (self.specials[-1] if self.specials else -1) < index:
                self._pop_to(index)

    def _last(self, name: str) -> int:
        positions = self.where[name]
        return positions[-1] if positions else -1

    def _boundary(self, name: str) -> int:
        """Where the last element stands that a search for an open ``name`` stops at (its scope)."""
        if name in TABLE_PARTS:
            return max(self._last("template"), -1 if name == "table" else self._last("table"))
        boundary = self.scopes[-1] if self.scopes else -1
        if name == "p":
            return max(boundary, self._last("button"))
        if name == "li":
            return max(boundary, self._last("ol"), self._last("ul"))
        return boundary

    def _pop_in_scope(self, name: str) -> None:
        index = self._last(name)
        if index >= 0 and self._boundary(name) <= index:
            self._pop_to(index, closing=name)

    def _end_formatting(self, name: str) -> None:
        index = self._last(name)
        if index < 0:
            if self.afe[name]:
                self.afe[name] -= 1
                self.reopened -= 1
        elif (self.specials[-1] if self.specials else -1) < index:
            self._pop_to(index, closing=name)
        else:
            self._forget(index)  # the parser takes it out from under the block

    def _forget(self, index: int) -> None:
        """An element the parser took out of the stack from under others: counted still, never closed."""
        self.where[self.names[index]].pop()
        self.names[index] = ""

    def _table_part(self, name: str) -> bool:
        table = max(self._last("table"), self._last("template"))
        if name == "table":
            if table >= 0 and max(self._last("td"), self._last("th"), self._last("caption")) < table:
                self._pop_to(table)  # a table straight inside a table ends the first one
            return self._push(name)
        if table < 0:
            return True  # a cell, row or section outside any table is dropped
        cell = max(self._last("td"), self._last("th"))
        if cell > table:
            self._pop_to(cell)
        if name in CELLS or name == "tr":
            row = self._last("tr")
            if row > table:
                self._pop_to(row + 1 if name in CELLS else row)
            if self._last("tr") < table:
                section = max(map(self._last, SECTIONS))
                self._pop_to(section + 1 if section > table else table + 1)
                if section < table and not self._push("tbody"):
                    return False
                if name in CELLS and not self._push("tr"):
                    return False
        else:
            self._pop_to(table + 1)
        return self._push(name)

    def _push(self, name: str) -> bool:
        index = len(self.names)
        if index + self.reopened >= self.max_depth:
            return False
        self.names.append(name)
        self.where[name].append(index)
        if name in SPECIAL:
            self.specials.append(index)
            if name in STOPS:
                self.stops.append(index)
            if name in SCOPE:
                self.scopes.append(index)
        return True

    def _pop_to(self, index: int, closing: str = "") -> None:
        """Pops the elements from ``index`` up; a formatting one other than ``closing`` stays active."""
        names, where = self.names, self.where
        while len(names) > index:
            name = names.pop()
            top = len(names)
            if self.specials and self.specials[-1] == top:
                self.specials.pop()
                if self.stops and self.stops[-1] == top:
                    self.stops.pop()
                if self.scopes and self.scopes[-1] == top:
                    self.scopes.pop()
            if not name:
                continue
            where[name].pop()
            if name in FORMATTING and name != closing and self.afe[name] < 3:
                self.afe[name] += 1
                self.reopened += 1
