"""The rules: one row each, saying which frame it judges, how pandera says it and how GX says it.

The pandera predicate (True where a row passes) and the GX expectation state the same rule twice, in
the two engines' words; tests run both over the labelled texts and require the same failed rows.
GX is imported only inside ``expectation`` builders, so that a run judged by pandera alone never pays
for its import.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from validators.patterns import ARTIFACT, DOUBLED_STREET, PLACEHOLDER

Predicate = Callable[[pd.DataFrame], pd.Series]
SEVERITY = {
    "placeholder": "error",
    "section-missing": "error",
    "stat-rate-range": "error",
    "stat-part-whole": "error",
    "year-mismatch": "error",
    "artifact": "warning",
    "duplicate-report": "warning",
    "section-numbering": "warning",
    "committee-name": "warning",
    "committee-mismatch": "warning",
    "meeting-term": "warning",
}
GX_SEVERITY = {"error": "critical", "warning": "warning", "info": "info"}


@dataclass(frozen=True)
class Rule:
    """One check of a rule.

    id: the rule id findings carry; name: this check's unique name (a rule may have several checks).
    frame: the frame it judges; severity: of its findings.
    holds: the pandera predicate over the frame, True where a row passes.
    expectation: builds the equivalent GX expectation (called with GX imported).
    data: fixed details every finding of this check carries (``section`` for section-missing).
    """

    id: str
    name: str
    frame: str
    holds: Predicate
    expectation: Callable[[Any], Any]
    data: dict[str, Any] = field(default_factory=dict)

    @property
    def severity(self) -> str:
        return SEVERITY[self.id]


# What a report shows of a failed row: the columns the rule reads (frame default, or the check's own).
_OBSERVE_BY_FRAME = {
    "lines": ("text",), "documents": ("title",), "headings": ("ordinal", "expected_ordinal"),
    "statistics": ("label", "value"), "relations": ("part", "whole", "stated"), "mentions": ("committee", "mentioned"),
}
_OBSERVE_BY_CHECK = {
    "year-mismatch": ("year", "expected_year"), "duplicate-report": ("title", "similarity"),
    "meeting-term/start": ("meeting_day", "term_start"), "meeting-term/end": ("meeting_day", "term_end"),
}


def observed_columns(rule: Rule) -> tuple[str, ...]:
    """The columns of a failed row worth showing for ``rule``."""
    return _OBSERVE_BY_CHECK.get(rule.name, _OBSERVE_BY_FRAME[rule.frame])


def plain(pattern: re.Pattern[str]) -> str:
    """``pattern`` without its named groups: the engines match whole rows, the findings name the groups."""
    return re.sub(r"\(\?P<\w+>", "(?:", pattern.pattern)


def _not_matching(pattern: re.Pattern[str]) -> Predicate:
    regex = plain(pattern)
    return lambda frame: ~frame["text"].str.contains(regex, regex=True)


def _regex_expectation(pattern: re.Pattern[str]) -> Callable[[Any], Any]:
    return lambda gx: gx.expectations.ExpectColumnValuesToNotMatchRegex(column="text", regex=plain(pattern))


def _column(name: str):
    """A GX row-condition column (GX 1.9+ conditions replace the deprecated condition strings)."""
    from great_expectations.expectations.row_conditions import Column

    return Column(name)


def _section_rule(section: str) -> Rule:
    column = f"has_{section}"
    return Rule(
        "section-missing", f"section-missing/{section}", "documents",
        lambda frame: (frame["kind"] != "report") | frame[column],
        lambda gx: gx.expectations.ExpectColumnValuesToBeInSet(
            column=column, value_set=[True], row_condition=_column("kind") == "report"),
        {"section": section},
    )


def build_rules(duplicate_threshold: float = 0.8, rate_tolerance: float = 1.0) -> tuple[Rule, ...]:
    """Every check, with the two tunable bounds from the configuration."""
    return (
        Rule("placeholder", "placeholder", "lines", _not_matching(PLACEHOLDER), _regex_expectation(PLACEHOLDER)),
        Rule("artifact", "artifact", "lines", _not_matching(ARTIFACT), _regex_expectation(ARTIFACT)),
        Rule("committee-name", "committee-name", "lines", _not_matching(DOUBLED_STREET),
             _regex_expectation(DOUBLED_STREET)),
        _section_rule("work"),
        _section_rule("shortcomings"),
        _section_rule("plans"),
        Rule(
            "stat-rate-range", "stat-rate-range", "statistics",
            lambda frame: (frame["kind"] != "rate") | frame["value"].between(0, 100),
            lambda gx: gx.expectations.ExpectColumnValuesToBeBetween(
                column="value", min_value=0, max_value=100, row_condition=_column("kind") == "rate"),
        ),
        Rule(
            "stat-part-whole", "stat-part-whole/part", "relations",
            lambda frame: (frame["relation"] == "share") | (frame["part"] <= frame["whole"]),
            lambda gx: gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="whole", column_B="part", or_equal=True,
                row_condition=_column("relation") != "share"),
        ),
        Rule(
            "stat-part-whole", "stat-part-whole/share", "relations",
            lambda frame: (frame["relation"] != "share") | frame["gap"].isna() | (frame["gap"] <= rate_tolerance),
            lambda gx: gx.expectations.ExpectColumnValuesToBeBetween(
                column="gap", min_value=0, max_value=rate_tolerance,
                row_condition=_column("relation") == "share"),
        ),
        Rule(
            "year-mismatch", "year-mismatch", "headings",
            lambda frame: frame["year"].isna() | frame["expected_year"].isna()
            | (frame["year"] == frame["expected_year"]),
            lambda gx: gx.expectations.ExpectColumnPairValuesToBeEqual(
                column_A="year", column_B="expected_year", ignore_row_if="either_value_is_missing"),
        ),
        Rule(
            "section-numbering", "section-numbering", "headings",
            lambda frame: (frame["ordinal"] == 0) | (frame["ordinal"] == frame["expected_ordinal"]),
            lambda gx: gx.expectations.ExpectColumnPairValuesToBeEqual(
                column_A="ordinal", column_B="expected_ordinal", row_condition=_column("ordinal") > 0),
        ),
        Rule(
            "duplicate-report", "duplicate-report", "documents",
            lambda frame: frame["similarity"] < duplicate_threshold,
            lambda gx: gx.expectations.ExpectColumnValuesToBeBetween(
                column="similarity", min_value=0, max_value=duplicate_threshold, strict_max=True),
        ),
        Rule(
            "committee-mismatch", "committee-mismatch", "mentions",
            lambda frame: (frame["kind"] != "report") | (frame["committee"] == "")
            | (frame["committee"] == frame["mentioned"]),
            lambda gx: gx.expectations.ExpectColumnPairValuesToBeEqual(
                column_A="committee", column_B="mentioned",
                row_condition=(_column("kind") == "report") & (_column("committee") != "")),
        ),
        Rule(
            "meeting-term", "meeting-term/start", "documents",
            lambda frame: frame["meeting_day"].isna() | frame["term_start"].isna()
            | (frame["meeting_day"] >= frame["term_start"]),
            lambda gx: gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="meeting_day", column_B="term_start", or_equal=True, ignore_row_if="either_value_is_missing"),
        ),
        Rule(
            "meeting-term", "meeting-term/end", "documents",
            lambda frame: frame["meeting_day"].isna() | frame["term_end"].isna()
            | (frame["meeting_day"] <= frame["term_end"]),
            lambda gx: gx.expectations.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="term_end", column_B="meeting_day", or_equal=True, ignore_row_if="either_value_is_missing"),
        ),
    )
