"""Scoring the rules on the labelled corpus: per rule, true and false positives and misses.

Findings and labels are compared as (file, rule, line) sets: two findings of one rule on one line
count once, as a reader fixing that line would count them.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from seeds import SEEDS

from crawler.local import load_documents
from validators import validate

CORPUS = Path(__file__).parent / "corpus"


def _findings(paths: list[Path], engines: tuple[str, ...]) -> set[tuple[str, str, int]]:
    documents, errors = load_documents([str(path) for path in paths], 10**8)
    assert not errors, errors
    run = validate(documents, engines=engines)
    return {(Path(f.path).name, f.rule, f.line) for f in run.findings}


def score(engines: tuple[str, ...] = ("pandera",)) -> tuple[dict[str, Counter], list[str]]:
    """Per rule, Counter(tp=, fp=, fn=) over the corpus; and a line per disagreement, to read on failure."""
    labels = json.loads((CORPUS / "labels.json").read_text(encoding="utf-8"))
    runs = []
    for case in labels["cases"].values():
        companions = [SEEDS / name.removeprefix("seed:") for name in case["runs_with"]]
        name = Path(case["file"]).name
        expected = {(name, item["rule"], item["line"]) for item in case["expected"]}
        runs.append(([*companions, CORPUS / case["file"]], name, expected))
    for name, found in labels["seeds"].items():
        runs.append(([SEEDS / name], name, {(name, item["rule"], item["line"]) for item in found}))
    counts: dict[str, Counter] = {}
    notes = []
    for paths, judged, expected in runs:
        actual = {item for item in _findings(paths, engines) if item[0] == judged}
        for item in actual | expected:
            tally = counts.setdefault(item[1], Counter())
            if item in actual and item in expected:
                tally["tp"] += 1
            elif item in actual:
                tally["fp"] += 1
                notes.append(f"false positive: {item}")
            else:
                tally["fn"] += 1
                notes.append(f"missed: {item}")
    return counts, notes


def precision(tally: Counter) -> float:
    return tally["tp"] / (tally["tp"] + tally["fp"]) if tally["tp"] + tally["fp"] else 1.0


def recall(tally: Counter) -> float:
    return tally["tp"] / (tally["tp"] + tally["fn"]) if tally["tp"] + tally["fn"] else 1.0
