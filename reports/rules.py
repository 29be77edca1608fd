"""The writers' view of the rule catalogue: a rule's Chinese name and explanation by id, severities in Chinese.

Everything here is read from ``validators.catalogue`` when asked, so a rule added there appears in every
report; an id the catalogue does not know (results written by another version) is shown by its id alone.
"""

from __future__ import annotations

from validators.catalogue import RULES
from validators.records import Severity

SEVERITIES: dict[str, str] = {severity.value: severity.label for severity in sorted(Severity, reverse=True)}


def rule_ids() -> list[str]:
    """Every rule id, in catalogue order."""
    return list(RULES)


def rule_name(rule: str) -> str:
    """The Chinese name of ``rule``, or the id itself for a rule the catalogue does not know."""
    return RULES[rule].name if rule in RULES else rule


def rule_explanation(rule: str) -> str:
    """The one-line Chinese explanation of ``rule``, or an empty string for an unknown rule."""
    return RULES[rule].explanation if rule in RULES else ""


def severity_name(severity: str) -> str:
    """The Chinese word for ``severity`` (错误, 警告, 提示), or the severity itself when unknown."""
    return SEVERITIES.get(severity, severity)


def rules_table() -> str:
    """The README's table of rules, in Markdown: id, severity, what each catches and what it stays silent on."""
    rows = ["| id | severity | catches | stays silent on |", "|---|---|---|---|"]
    rows += [f"| `{rule.id}` | {rule.severity.value} | {rule.catches} | {rule.silent_on} |" for rule in RULES.values()]
    return "\n".join(rows) + "\n"
