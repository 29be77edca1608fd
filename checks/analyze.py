"""Running every check of ``checks/`` over a document: headings, sections, figures, relations, mentions, signature.

It judges nothing, and reads no file (``checks.batch`` reads files on every core).
"""

from __future__ import annotations

from collections.abc import Sequence

from checks.completeness import cut_at
from checks.duplicates import document_signature
from checks.records import Analysis, Mention
from checks.sections import headings, sections_of
from checks.statistics import relations, statistics
from crawler.domain import KNOWN_COMMITTEE, street_key
from crawler.errors import InputError
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
        signature=document_signature(document),
        truncated=cut_at(document),
    )


def unexpected(path: str, error: BaseException, line: int | None = None) -> InputError:
    """The tool error of a document wrqa failed on: named, so the others are still judged."""
    where = f"{path}:{line}" if line else path
    detail = f"{type(error).__name__}: {error}".splitlines()[0][:200]
    return InputError(path, f"{where}: wrqa failed on this document ({detail}); please report it with the file")


def analyze_all(documents: Sequence[Document]) -> tuple[list[Analysis], list[InputError]]:
    """The analyses of ``documents``; a document the checks fail on becomes a tool error, the rest go on."""
    analyses, errors = [], []
    for document in documents:
        try:
            analyses.append(analyze(document))
        except Exception as error:  # noqa: BLE001 - one document's failure must not stop the batch
            errors.append(unexpected(document.path, error, document.line))
    return analyses, errors
