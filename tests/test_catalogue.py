"""The catalogue keeps every rule's word: its example is flagged, its counter-example is not, the README agrees."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crawler.files import source_from_text
from crawler.normalize import documents_from_source
from reports.rules import rules_table
from validators import validate
from validators.catalogue import RULES

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _rules_found(texts: str | tuple[str, ...]) -> set[str]:
    texts = (texts,) if isinstance(texts, str) else texts
    documents = [document for number, text in enumerate(texts)
                 for document in documents_from_source(source_from_text(f"{number}.txt", text))]
    last = f"{len(texts) - 1}.txt"
    return {finding.rule for finding in validate(documents).findings if finding.path == last}


@pytest.mark.parametrize("rule", sorted(RULES))
def test_a_rule_flags_its_example_and_leaves_its_counter_example_alone(rule):
    assert (True, False) == (rule in _rules_found(RULES[rule].example), rule in _rules_found(RULES[rule].counter_example))


def test_the_readme_rule_table_is_the_catalogue():
    table = re.search(r"^\| id \| severity \|.*?\n(?=\n)", README, re.MULTILINE | re.DOTALL)
    assert table is not None and rules_table() == table.group(0)
