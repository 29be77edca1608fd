"""One call that runs every check of ``checks/`` over a document. It judges nothing."""

from __future__ import annotations

from checks.records import Analysis, Mention
from checks.sections import headings, sections_of
from checks.statistics import relations, statistics
from crawler.committee import KNOWN_COMMITTEE, street_key
from crawler.records import Document


def mentions(document: Document) -> tuple[Mention, ...]:
    """The known street committees named in the text of ``document``."""
    return tuple(
        Mention(street_key(match["name"], match["suffix"]), match.start(), match.end(), match.group(0))
        for match in KNOWN_COMMITTEE.finditer(document.text)
    )


def analyze(document: Document) -> Analysis:
    """Headings, sections, statistics, relations and committee mentions of ``document``."""
    found_headings = headings(document)
    found_statistics = statistics(document)
    return Analysis(
        document=document,
        headings=found_headings,
        sections=sections_of(found_headings),
        statistics=found_statistics,
        relations=relations(document, found_statistics),
        mentions=mentions(document),
    )
