"""Patterns searched for by the characters their matches can start with: ``opened``.

Python's re searches a pattern that opens on a class of characters for that class alone, in C; one that opens
on a lookahead or on ``^`` it tries at every character. ``opened`` turns such a pattern (a body of named
alternatives behind a gate of where they can start) into one that opens on a class, and finds what the body
finds. The text rules (``checks.patterns``) and the chrome's phrases (``crawler.chrome``) are searched so.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass


@dataclass(frozen=True)
class Opened:
    """A pattern searched for by the characters its body's matches can start with (``opened``): ``matches``
    finds what ``re.finditer`` of the body, compiled ``re.MULTILINE``, finds. ``line_starts``: the body has
    alternatives anchored at a line's start (``^``), which may start with any character."""

    pattern: re.Pattern[str]
    line_starts: bool

    def matches(self, text: str) -> Iterator[tuple[str, int, int]]:
        """Each match of the body in ``text``: the name of its group, its start and its end."""
        # A match is the one character the body's match starts at (or the line end before it): the search
        # goes on from the next, so a match inside the last one is passed over. A text's first line has no
        # line end before it: one is put there.
        shift = int(self.line_starts)
        end = 0
        for match in self.pattern.finditer("\n" + text if shift else text):
            kind = match.lastgroup
            start, stop = match.span(kind)
            if start >= end:
                yield kind, start - shift, stop - shift
                end = stop

    def first(self, text: str) -> tuple[str, int, int] | None:
        """The first of ``matches``, or None: one search."""
        shift = int(self.line_starts)
        match = self.pattern.search("\n" + text if shift else text)
        if match is None:
            return None
        start, stop = match.span(match.lastgroup)
        return match.lastgroup, start - shift, stop - shift


def opened(body: str, first: str, gate: str, *, line_starts: bool = False) -> Opened:
    """``body`` (an alternation of named groups, none within another) searched for by ``first``, the class of
    characters its matches can start with, and tried where ``gate`` (a lookahead's pattern) holds there and,
    with ``line_starts``, at every line's start. The class is consumed; behind it, a lookahead matches the
    body from that character, or from the one after a line end."""
    opener = f"[{first}\n]" if line_starts else f"[{first}]"
    gate = rf"\n|{gate}" if line_starts else gate
    return Opened(re.compile(rf"{opener}(?<=(?={gate})(?=\n?+(?:{body}))(?s:.))", re.MULTILINE), line_starts)
