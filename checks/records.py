"""The records the checks make of a document: headings, figures, relations, mentions, marks, its analysis.

Frozen dataclasses only; nothing here judges anything (findings are the validators', ``validators.records``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Heading:
    """A numbered heading of a document.

    level: 0 for a part above the numbering (``第二部分``, ``附件1``), 1 for ``一、…``, 2 for ``（一）…``.
    ordinal: the number it carries (``三、`` → 3).
    section: ``work``, ``shortcomings``, ``plans`` for a level-1 heading of the three parts, else ``other``.
    year: a year the heading names (``三、2023年工作思路`` → 2023), or None.
    offset, end: the heading's span in the document's normalized text.
    text: the heading as normalized.
    """

    level: int
    ordinal: int
    section: str
    year: int | None
    offset: int
    end: int
    text: str


@dataclass(frozen=True)
class Statistic:
    """A figure stated in a document.

    kind: ``rate`` (a rate or share in percent), ``growth``, ``fulfilment``, ``percent`` (a percentage of
        no known kind), ``count``.
    value: the parsed number (a percentage as its number of percent).
    unit: the measure word of a count (``名``, ``件``…), ``%`` for percentages.
    label: the words that say what it measures (``满意度``, ``参与率``, ``初任代表``).
    offset, end: its span in the normalized text; text: the figure as written there.
    """

    kind: str
    value: float
    unit: str
    label: str
    offset: int
    end: int
    text: str


@dataclass(frozen=True)
class PartWhole:
    """A relation between figures that must hold: parts within their whole, a share matching them.

    relation: ``part`` (one part of a whole), ``parts-sum`` (the parts listed after 其中, summed), or
        ``share`` (a stated percentage of the whole that ``part`` is).
    part, whole: the two values compared; stated: the stated share in percent for ``share``, else None.
    offset, end: the span of the sentence that states them; text: that sentence.
    """

    relation: str
    part: float
    whole: float
    stated: float | None
    unit: str
    offset: int
    end: int
    text: str


@dataclass(frozen=True)
class Mention:
    """A street committee named in a document's text: its key, and its span in the normalized text."""

    committee: str
    offset: int
    end: int
    text: str


@dataclass(frozen=True)
class Analysis:
    """What the checks made of one document, ready to become rows of the frames.

    document: the document; headings, sections: see ``checks.sections``; statistics, relations: see
    ``checks.statistics``; mentions: the street committees its text names.
    signature: its MinHash signature for near-copy detection (None when too short to judge).
    truncated: the offset in its text of the paragraph where it stops mid-sentence, or None when it is whole.
    """

    document: Any
    headings: tuple[Heading, ...]
    sections: tuple[str, ...]
    statistics: tuple[Statistic, ...]
    relations: tuple[PartWhole, ...]
    mentions: tuple[Mention, ...]
    signature: Any = None
    truncated: int | None = None


@dataclass(frozen=True)
class Mark:
    """A span of a document's normalized text that a text rule flags (a placeholder, an artifact…).

    kind: which form it takes (``stars``, ``chrome``…), as the rule's pattern names it.
    offset, end: its span in the normalized text; text: the words.
    """

    kind: str
    offset: int
    end: int
    text: str
