"""The JSON report is a codec: what it writes reads back as the same run, texts, waivers and job marks included."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

import pytest
from seeds import SEEDS

from crawler.local import load_documents
from reports.json import ResultsError, run_from_dict, run_to_dict
from validators import validate
from validators.records import Waiver


@pytest.fixture(scope="module")
def run():
    documents, _ = load_documents([str(path) for path in sorted(SEEDS.glob("*.txt"))], 10**8)
    judged = validate(documents, engines=("pandera", "gx"))
    fingerprint = judged.findings[0].fingerprint
    waived = judged.waive({fingerprint: Waiver(fingerprint, "已知悉", date(2027, 6, 30))}).mark_new([fingerprint])
    return replace(waived, run_id=7, trigger="schedule", validated=3)


@pytest.mark.parametrize("include_text", [True, False])
def test_a_run_written_and_read_back_writes_the_same_json(run, include_text):
    data = json.loads(json.dumps(run_to_dict(run, include_text=include_text), ensure_ascii=False))
    assert data == run_to_dict(run_from_dict(data), include_text=include_text)


def test_a_run_read_back_keeps_its_summary_and_exit_code(run):
    copy = run_from_dict(json.loads(json.dumps(run_to_dict(run, include_text=True))))
    assert (run.summary, run.exit_code(None), [f.waived for f in run.findings], copy.documents[0].lines) == (
        copy.summary, copy.exit_code(None), [f.waived for f in copy.findings], run.documents[0].lines)


@pytest.mark.parametrize(("data", "message"), [
    ([], "the results must be an object with 'documents', not list"),
    ({"documents": {}}, "'documents' must be a list of objects"),
    ({"documents": [{"title": "x"}]}, "document #1 has no 'path'"),
    ({"documents": [{"path": "a.txt", "findings": [{"severity": "fatal"}]}]},
     "document #1, finding #1: unknown severity 'fatal'; use one of info, warning, error"),
    ({"documents": [{"path": "a.txt", "published_at": "yesterday"}]},
     "document #1: 'published_at' is 'yesterday', not an ISO date or time"),
])
def test_data_that_is_not_a_run_is_refused_with_what_is_wrong(data, message):
    with pytest.raises(ResultsError) as caught:
        run_from_dict(data)
    assert message == str(caught.value)
