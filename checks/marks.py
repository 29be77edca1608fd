"""Marks: the spans a text rule flags in a document, each pattern run once over the text, ``^`` and ``$``
those of each line (a text rule's pattern never matches a line end: ``checks.patterns``).

A marker is a callable from a document to its marks; the rule catalogue names the marker of each text rule,
and the frames count each rule's marks per line for the engines to judge. Plain functions; they judge nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from checks.patterns import ARTIFACT, DOUBLED_STREET, PLACEHOLDER
from checks.records import Mark
from crawler.opened import Opened
from crawler.records import Document

Marker = Callable[[Document], Iterable[Mark]]
"""A text rule's marks in a document, in order."""


class PatternMarker:
    """The marks of a pattern whose alternatives are named groups (the group names the kind), or of an
    ``Opened`` one (``crawler.opened``); picklable."""

    def __init__(self, pattern: re.Pattern[str] | Opened, kind: str = "") -> None:
        self.pattern = pattern
        self.kind = kind
        # The patterns anchor on a line's start and end (a page number alone on its line) and never match a
        # line end: one pass over the text finds what a pass over each line finds, at a third of the cost.
        # ``checks.patterns`` compiles them so; another is compiled again (a big one costs milliseconds).
        self._over_lines = (pattern if isinstance(pattern, Opened) or pattern.flags & re.MULTILINE
                            else re.compile(pattern.pattern, pattern.flags | re.MULTILINE))

    def __call__(self, document: Document) -> list[Mark]:
        text = document.text
        if isinstance(self._over_lines, Opened):
            return [Mark(kind, start, end, text[start:end]) for kind, start, end in self._over_lines.matches(text)]
        return [Mark(match.lastgroup or self.kind, match.start(), match.end(), match.group(0))
                for match in self._over_lines.finditer(text)]

    def __reduce__(self):
        return PatternMarker, (self.pattern, self.kind)


class RepeatedLines:
    """Marks a paragraph that repeats an earlier one word for word (a page's header and its article's header
    both saved): the copy, from its first character to its last. Short lines (headings, salutations) repeat
    in good texts and are left alone."""

    MIN_LENGTH = 10

    def __call__(self, document: Document) -> list[Mark]:
        seen: set[str] = set()
        marks = []
        offset = 0
        for line in document.text.split("\n"):
            key = line.strip()
            if len(key) >= self.MIN_LENGTH:
                if key in seen:
                    marks.append(Mark("repeated", offset, offset + len(line), line))
                seen.add(key)
            offset += len(line) + 1
        return marks


class Markers:
    """The marks of several markers of one rule, in text order."""

    def __init__(self, *markers: Marker) -> None:
        self.markers = markers

    def __call__(self, document: Document) -> list[Mark]:
        return sorted((mark for marker in self.markers for mark in marker(document)), key=lambda mark: mark.offset)


placeholders = PatternMarker(PLACEHOLDER)
artifacts = Markers(PatternMarker(ARTIFACT), RepeatedLines())
doubled_streets = PatternMarker(DOUBLED_STREET, "doubled")
