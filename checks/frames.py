"""The frames the validators judge: documents, lines, headings, statistics, relations, mentions.

One row per thing, with ``doc`` (the document's index in the run), its ``kind`` where a rule may apply to
some kinds only, and, where it has one, its span (``offset``, ``end``) in that document's normalized text,
so that every failed row can be traced back to a position in the source file; a note (what normalization
took out of the text, placed in the source) is a row of its own. Optional numbers are floats
with NaN for "not stated". The lines frame holds, per text rule, how many marks its marker left on the line:
each pattern runs once, and the engines judge the counts. The trends frame is the one made over the whole
run: a committee's figure in a report beside the same figure in its latest earlier report. It judges nothing.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from itertools import accumulate, repeat

import pandas as pd

from checks.figures import BY_ID, key_figures
from checks.marks import Marker
from checks.records import Analysis, Mark, Statistic
from checks.sections import expected_ordinals, expected_year
from crawler.domain import district_of
from crawler.domain import term as term_of
from crawler.records import Document

NAN = math.nan
FRAMES = ("documents", "lines", "notes", "headings", "statistics", "relations", "mentions", "trends")


def _day(value) -> float:
    return float(value.year * 10000 + value.month * 100 + value.day) if value else NAN


@dataclass(frozen=True)
class Frames:
    """A run's frames by name, the text rules whose counts the lines frame holds, and each document's marks
    (``marks[doc][rule]``, in text order), from which findings are placed."""

    tables: dict[str, pd.DataFrame]
    text_rules: tuple[str, ...]
    marks: list[dict[str, list[Mark]]]


def build_frames(
    analyses: Sequence[Analysis], duplicates: Sequence[tuple[int | None, float]],
    markers: Mapping[str, Marker] | None = None, on_error: Callable[[int, Exception], None] | None = None,
    trends: bool = True,
) -> Frames:
    """The frames of a run's ``analyses``; ``duplicates`` gives each document's nearest earlier copy and
    ``markers`` the text rules to count per line (rule id → marker).

    A document whose rows cannot be made is left out of every frame and handed to ``on_error`` with the
    exception (without ``on_error``, it raises). Without ``trends``, the trends frame is left empty: a chunk
    of a run cannot set a report beside its committee's other years (``validators.corpus`` does).
    """
    markers = dict(markers or {})
    rows: dict[str, list[tuple]] = {name: [] for name in FRAMES}
    marks: list[dict[str, list[Mark]]] = []
    left_out: set[int] = set()
    for doc, (analysis, duplicate) in enumerate(zip(analyses, duplicates, strict=True)):
        try:
            found, marked = document_rows(doc, analysis, duplicate, markers)
        except Exception as error:
            if on_error is None:
                raise
            on_error(doc, error)
            marks.append({})
            left_out.add(doc)
            continue
        marks.append(marked)
        for name, values in found.items():
            rows[name].extend(values)
    rows["trends"] = trend_rows(analyses, left_out) if trends else []
    tables = {}
    for name in FRAMES:
        columns = COLUMNS[name] + (tuple(markers) if name == "lines" else ())
        types = {**DTYPES[name], **({rule: "int64" for rule in markers} if name == "lines" else {})}
        tables[name] = _frame(rows[name], columns, types)
    return Frames(tables, tuple(markers), marks)


def _frame(rows: Sequence[tuple], columns: tuple[str, ...], types: Mapping[str, str]) -> pd.DataFrame:
    """The frame of ``rows``, made a column at a time of its type: what ``from_records`` then ``astype``
    make, in a third of the time (an ``object`` column stays one: pandas is not left to infer strings)."""
    values = zip(*rows, strict=True) if rows else [()] * len(columns)
    return pd.DataFrame({column: pd.Series(column_values, dtype=types[column])
                         for column, column_values in zip(columns, values, strict=True)}, copy=False)


def document_rows(
    doc: int, analysis: Analysis, duplicate: tuple[int | None, float], markers: Mapping[str, Marker]
) -> tuple[dict[str, list[tuple]], dict[str, list[Mark]]]:
    """The rows one document adds to each frame, as ``doc`` (its index in the run), and its marks by rule."""
    duplicate_of, similarity = duplicate
    rows: dict[str, list[tuple]] = {name: [] for name in FRAMES}
    document = analysis.document
    kind = document.kind
    term = term_of(document.congress, document.session) or (None, None)
    rows["documents"].append((
        doc, kind, document.committee or "", float(document.year) if document.year else NAN,
        document.title, "work" in analysis.sections, "shortcomings" in analysis.sections,
        "plans" in analysis.sections, similarity, float(duplicate_of) if duplicate_of is not None else NAN,
        _day(document.meeting_date), _day(term[0]), _day(term[1]), analysis.truncated is not None,
    ))
    marks = {rule: sorted(marker(document), key=lambda mark: mark.offset) for rule, marker in markers.items()}
    lines = document.text.split("\n")
    starts = list(accumulate((len(line) + 1 for line in lines[:-1]), initial=0))
    counts = []
    for found in marks.values():  # a mark is counted on the line it starts on
        per_line = [0] * len(lines)
        for mark in found:
            per_line[bisect_right(starts, mark.offset) - 1] += 1
        counts.append(per_line)
    rows["lines"].extend(zip(repeat(doc), starts, lines, *counts))
    for index, note in enumerate(document.notes):
        rows["notes"].append((doc, kind, note.rule, note.kind, index))
    for heading, ordinal in zip(analysis.headings, expected_ordinals(analysis.headings), strict=True):
        expected = expected_year(heading, document.year)
        rows["headings"].append((
            doc, kind, heading.level, heading.ordinal, ordinal, heading.section,
            float(heading.year) if heading.year else NAN, float(expected) if expected else NAN,
            heading.offset, heading.end,
        ))
    for statistic in analysis.statistics:
        rows["statistics"].append((
            doc, statistic.kind, statistic.value, statistic.unit, statistic.label, statistic.offset, statistic.end,
        ))
    for relation in analysis.relations:
        gap = abs(relation.stated - 100 * relation.part / relation.whole) if (
            relation.stated is not None and relation.whole) else NAN
        rows["relations"].append((
            doc, kind, relation.relation, relation.part, relation.whole,
            relation.stated if relation.stated is not None else NAN, gap, relation.unit,
            relation.offset, relation.end,
        ))
    for mention in analysis.mentions:
        rows["mentions"].append((
            doc, kind, document.committee or "", mention.committee, mention.offset, mention.end,
        ))
    return rows, marks


COLUMNS: dict[str, tuple[str, ...]] = {
    "documents": ("doc", "kind", "committee", "year", "title", "has_work", "has_shortcomings", "has_plans",
                  "similarity", "duplicate_of", "meeting_day", "term_start", "term_end", "truncated"),
    "lines": ("doc", "offset", "text"),
    "notes": ("doc", "kind", "rule", "form", "index"),
    "headings": ("doc", "kind", "level", "ordinal", "expected_ordinal", "section", "year", "expected_year",
                 "offset", "end"),
    "statistics": ("doc", "kind", "value", "unit", "label", "offset", "end"),
    "relations": ("doc", "kind", "relation", "part", "whole", "stated", "gap", "unit", "offset", "end"),
    "mentions": ("doc", "kind", "committee", "mentioned", "offset", "end"),
    "trends": ("doc", "kind", "committee", "figure", "year", "value", "unit", "previous_year", "previous_value",
               "ratio", "offset", "end"),
}
_TYPES = {"doc": "int64", "index": "int64", "offset": "int64", "end": "int64", "level": "int64", "ordinal": "int64",
          "expected_ordinal": "int64", "has_work": "bool", "has_shortcomings": "bool", "has_plans": "bool",
          "truncated": "bool"}
_FLOATS = {"year", "similarity", "duplicate_of", "meeting_day", "term_start", "term_end", "expected_year",
           "value", "part", "whole", "stated", "gap", "previous_year", "previous_value", "ratio"}
DTYPES: dict[str, dict[str, str]] = {
    name: {column: _TYPES.get(column, "float64" if column in _FLOATS else "object") for column in columns}
    for name, columns in COLUMNS.items()
}


def report_district(document: Document) -> str | None:
    """The district a report names itself of in its title or meeting line (``crawler.domain.district_of``)."""
    return district_of(document.title, document.text.split("\n", 6)[1:6])


def trend_rows(analyses: Sequence[Analysis], left_out: set[int] = frozenset()) -> list[tuple]:
    """The rows of the trends frame: each figure a committee's report states (``checks.figures``, the figures
    judged across years) beside the same figure in the committee's latest earlier report of the run, with
    the ratio of the larger to the smaller. A report with no earlier one, or documents in ``left_out``, add none.

    A committee is its name, unless the run's reports of that name name two districts or more (城关镇 of two
    counties): then each district's are one committee, and a report that names none is compared with none.
    """
    reports = {}
    for doc, analysis in enumerate(analyses):
        document = analysis.document
        if doc not in left_out and document.kind == "report" and document.committee and document.year:
            reports[doc] = (document.committee, report_district(document))
    districts: dict[str, set[str]] = {}
    for committee, district in reports.values():
        if district is not None:
            districts.setdefault(committee, set()).add(district)
    stated: dict[tuple[str, str | None, str], list[tuple[int, int, Statistic]]] = {}
    for doc, (committee, district) in reports.items():
        split = len(districts.get(committee, ())) > 1
        if split and district is None:
            continue
        for figure, statistic in key_figures(analyses[doc].statistics).items():
            if BY_ID[figure].trend and statistic.value > 0:  # a ratio needs two positive numbers
                key = (committee, district if split else None, figure)
                stated.setdefault(key, []).append((analyses[doc].document.year, doc, statistic))
    rows = []
    for (committee, _, figure), entries in stated.items():
        # Each year's first report in the run stands for the year; linear in the reports once sorted.
        first: dict[int, Statistic] = {}
        for year, _, statistic in sorted(entries, key=lambda entry: (entry[0], entry[1])):
            first.setdefault(year, statistic)
        years = sorted(first)
        latest_before = dict(zip(years[1:], years, strict=False))
        for year, doc, statistic in entries:
            if year not in latest_before:
                continue
            previous_year = latest_before[year]
            previous = first[previous_year]
            ratio = max(statistic.value, previous.value) / min(statistic.value, previous.value)
            rows.append((doc, "report", committee, figure, float(year), statistic.value, statistic.unit,
                         float(previous_year), previous.value, ratio, statistic.offset, statistic.end))
    return sorted(rows, key=lambda row: (row[0], row[10]))
