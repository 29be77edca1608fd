"""Accuracy on real published texts (../shared/real: pages saved from the web, mirrors, other people's scrapes),
scored by the set's own scorer against its hand labels: precision and recall stay above pinned floors.

The texts are third-party: they are read where they lie, never copied into the repository. Where the folder
is absent (a clone outside this workspace) the tests skip and say so.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REAL = Path(__file__).resolve().parents[2] / "shared" / "real"
FLOORS = json.loads((Path(__file__).parent / "corpus" / "real-floors.json").read_text(encoding="utf-8"))
WRQA = f"{sys.executable} -m wrqa"

pytestmark = pytest.mark.skipif(not (REAL / "score.py").is_file(),
                                reason=f"no labelled real texts at {REAL} (a clone outside the workspace)")


@pytest.fixture(scope="module")
def scored(tmp_path_factory) -> dict:
    out = tmp_path_factory.mktemp("real") / "scored.json"
    result = subprocess.run([sys.executable, str(REAL / "score.py"), "--cmd", WRQA, "--json", str(out)],
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stderr[-2000:]
    data = json.loads(out.read_text(encoding="utf-8"))
    return {"stats": data["stats"], "fps": data["fps"], "output": result.stdout}


def _precision_recall(tp: int, fp: int, fn: int) -> tuple[float, float]:
    return (tp / (tp + fp) if tp + fp else 1.0, tp / (tp + fn) if tp + fn else 1.0)


def test_overall_precision_and_recall_on_real_texts_stay_above_their_floors(scored):
    totals = [sum(values[i] for values in scored["stats"].values()) for i in range(3)]
    precision, recall = _precision_recall(*totals)
    floor = FLOORS["all"]
    assert (True, True) == (precision >= floor["precision"], recall >= floor["recall"]), scored["output"]


@pytest.mark.parametrize("rule", sorted(rule for rule in FLOORS if rule != "all" and not rule.startswith("_")))
def test_each_labelled_rule_stays_above_its_floor_on_real_texts(scored, rule):
    precision, recall = _precision_recall(*scored["stats"].get(rule, [0, 0, 0]))
    floor = FLOORS[rule]
    assert (True, True) == (precision >= floor["precision"], recall >= floor["recall"]), scored["output"]


def test_no_false_error_on_a_government_report(scored):
    """A government's work report is not a street committee's: no error may stand on one but a real defect."""
    from validators.catalogue import RULES

    sources = [json.loads(line) for line in (REAL / "sources.jsonl").read_text(encoding="utf-8").splitlines() if line]
    reports = {source["file"] for source in sources if source["kind"] == "gov-report"}
    false_errors = [(fp["file"], fp["rule"], fp["line"]) for fp in scored["fps"]
                    if fp["file"] in reports and fp["rule"] in RULES and RULES[fp["rule"]].severity.value == "error"]
    assert (True, []) == (len(reports) >= 5, false_errors)
