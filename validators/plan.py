"""What a run judges: the checks of the selected rules, each with the severity it is judged at.

``plan`` reads the catalogue once per run: the rules ``RuleSelection`` keeps, their checks built for the
run's ``Bounds``, and for each the pandera predicate and GX condition that restrict it to the document
kinds its rule applies to. Both engines judge the same plan; the finding maker reads it back by check name.
A check ``across`` documents is judged once over the corpus (``validators.corpus``); the others chunk by chunk.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from validators.catalogue import RULES, Bounds, Check, Rule, condition
from validators.records import Severity


@dataclass(frozen=True)
class RuleSelection:
    """Which rules a run judges and at what severity: ruff's controls, for wrqa's rules.

    select: the rule ids judged (empty: every rule); ignore: ids left out even when selected;
    severity: a severity per rule id, instead of its default; per_path: glob → rule ids not reported for
    files whose path matches (``drafts/*`` → ``section-missing``).
    Unknown ids are refused where the selection is read (config, flags), with the key and the file named.
    """

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    per_path: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def judges(self, rule_id: str) -> bool:
        return (not self.select or rule_id in self.select) and rule_id not in self.ignore

    def severity_of(self, rule: Rule) -> Severity:
        return self.severity.get(rule.id, rule.severity)

    def reports(self, rule_id: str, path: str) -> bool:
        """Whether a finding of ``rule_id`` in ``path`` is reported (not ignored for its path)."""
        return not any(rule_id in ids and fnmatch.fnmatch(path, glob) for glob, ids in self.per_path.items())


def unknown_rules(ids: Iterable[str]) -> list[str]:
    """The ids among ``ids`` that the catalogue does not know."""
    return [rule_id for rule_id in ids if rule_id not in RULES]


@dataclass(frozen=True)
class Planned:
    """A check as a run judges it: its rule, the check, its severity, and how it is held to its rule's kinds."""

    rule: Rule
    check: Check
    severity: Severity

    @property
    def name(self) -> str:
        return self.check.name

    @property
    def frame(self) -> str:
        return self.check.frame

    @property
    def across(self) -> bool:
        """Whether the check compares documents (near-copies, a committee's years): judged over the corpus, not a
        chunk. The catalogue says so of its rule by giving it examples of several documents."""
        return isinstance(self.rule.example, tuple)

    def holds(self, frame):
        """The pandera predicate: the check's, true by default for documents of kinds the rule does not judge."""
        passes = self.check.holds(frame)
        if self.rule.kinds is None:
            return passes
        return ~frame["kind"].isin(list(self.rule.kinds)) | passes

    def expectation(self, gx):
        """The GX expectation, restricted to the rule's kinds by a row condition."""
        applies = condition("kind").is_in(list(self.rule.kinds)) if self.rule.kinds is not None else None
        return self.check.expect(gx, applies)


def plan(selection: RuleSelection | None = None, bounds: Bounds | None = None) -> tuple[Planned, ...]:
    """The checks a run judges, in catalogue order."""
    selection = selection or RuleSelection()
    bounds = bounds or Bounds()
    return tuple(
        Planned(rule, check, selection.severity_of(rule))
        for rule in RULES.values() if selection.judges(rule.id)
        for check in rule.checks(bounds)
    )


def markers(planned: Iterable[Planned]) -> dict[str, object]:
    """The markers of the text rules among ``planned``, by rule id: what the lines frame counts."""
    return {item.rule.id: item.rule.marker for item in planned if item.rule.marker is not None}
