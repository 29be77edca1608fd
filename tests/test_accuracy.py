"""Accuracy gates: every rule's precision and recall on the labelled corpus stay at or above its floor."""

from __future__ import annotations

import json

import pytest
from accuracy import CORPUS, precision, recall, score

from validators.catalogue import RULES

FLOORS = {rule: floor for rule, floor in json.loads((CORPUS / "floors.json").read_text()).items()
          if not rule.startswith("_")}


@pytest.fixture(scope="module")
def scored():
    return score()


def test_every_rule_has_a_floor_and_labelled_cases():
    assert set(RULES) == set(FLOORS)


@pytest.mark.parametrize("rule", sorted(FLOORS))
def test_precision_and_recall_stay_above_their_floors(scored, rule):
    counts, notes = scored
    tally = counts.get(rule)
    assert tally is not None and tally["tp"] > 0, f"no labelled case of {rule} was found"
    measured = (precision(tally), recall(tally))
    floor = (FLOORS[rule]["precision"], FLOORS[rule]["recall"])
    below = measured[0] < floor[0] or measured[1] < floor[1]
    assert not below, f"{rule}: precision, recall {measured} < floors {floor}\n" + "\n".join(
        note for note in notes if f"'{rule}'" in note)
