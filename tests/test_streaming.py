"""Validating chunk by chunk: the same results whatever the chunks and workers, written a document at a time."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from seeds import SEEDS

from checks.batch import map_chunks
from reports.jsonl import Streamed, read_jsonl
from validators.chunks import ChunkJudge, died
from validators.judge import TREND_SLICE, judge_chunks, options_of

CORPUS = Path(__file__).parent / "corpus"
TIMES = re.compile(r'"(?:started|finished)_at":"[^"]*"')


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> list[str]:
    """About a hundred varied files: the labelled corpus, the seeds, and the seeds' reports varied as the bench
    varies them (paragraphs shuffled, characters replaced), so that near-copies and trends cross chunks."""
    sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
    from validate_corpus import build

    folder = tmp_path_factory.mktemp("mixed")
    for path in [*CORPUS.glob("*.txt"), *SEEDS.glob("*.txt")]:
        shutil.copy(path, folder / path.name)
    build(folder / "varied", 60)
    build(folder / "copies", 12, near_copies=True)
    return sorted(str(path) for path in folder.rglob("*.txt"))


def _written(files: list[str], out: Path, output_format: str, workers: int, size: int, gx_batch: int = 10_000,
             trend_slice: int = TREND_SLICE) -> str:
    options = options_of(engines=("pandera", "gx"), keep_lines=False)
    chunks = map_chunks(files, ChunkJudge(options, 10**8), died, workers=workers, size=size)
    judge_chunks(chunks, options, Streamed(output_format, str(out)), gx_batch=gx_batch, trend_slice=trend_slice)
    return TIMES.sub('"at":null', out.read_text(encoding="utf-8"))


def test_runs_chunked_differently_write_byte_identical_json_apart_from_times(files, tmp_path):
    written = {(workers, size): _written(files, tmp_path / f"{workers}-{size}.json", "json", workers, size)
               for workers, size in [(1, 7), (1, 64), (2, 16)]}
    assert [written[(1, 7)]] * 3 == list(written.values())
    assert 90 <= len(json.loads(written[(1, 7)])["documents"])


@pytest.mark.parametrize("trend_slice", [1, 5], ids=["a-document-a-slice", "five-rows-a-slice"])
def test_trends_judged_a_slice_of_rows_at_a_time_write_the_json_of_the_trends_judged_at_once(files, tmp_path,
                                                                                         trend_slice):
    """A slice is cut between documents and each row keeps its number within it: the same findings, counts and
    observed values as one frame of every trend."""
    whole = _written(files, tmp_path / "whole.json", "json", 1, 32)
    trends = [e for e in json.loads(whole)["expectations"] if e["frame"] == "trends"]
    assert {("pandera", True), ("gx", True)} == {(e["engine"], e["element_count"] > 10) for e in trends}
    assert 0 < trends[0]["unexpected_count"]
    assert whole == _written(files, tmp_path / "sliced.json", "json", 1, 32, trend_slice=trend_slice)


@pytest.mark.parametrize("gx_batch", [10_000, 16], ids=["one-batch", "near-copies-found-in-batches"])
def test_the_json_a_run_streams_is_the_json_its_whole_run_renders(files, tmp_path, gx_batch):
    """The findings across documents reach the streamed documents wherever they come from: the near-copies of
    each batch, the trends at the end, merged in document order."""
    from reports.json import render_json
    from validators.judge import Collected

    options = options_of(engines=("pandera", "gx"), keep_lines=False)
    whole = judge_chunks(map_chunks(files, ChunkJudge(options, 10**8), died, workers=1, size=32), options,
                         Collected(), gx_batch=gx_batch)
    assert {"duplicate-report", "stat-trend"} <= set(whole.summary.by_rule)
    assert TIMES.sub('"at":null', render_json(whole) + "\n") == _written(
        files, tmp_path / "r.json", "json", 1, 32, gx_batch)


def test_jsonl_holds_a_document_a_line_then_the_run_and_reads_back_as_the_json_does(files, tmp_path):
    from reports.json import run_from_dict, run_to_dict

    lines = _written(files, tmp_path / "r.jsonl", "jsonl", 1, 64).splitlines()
    as_json = json.loads(_written(files, tmp_path / "r.json", "json", 1, 64))
    read = read_jsonl("\n".join(lines))
    assert (len(as_json["documents"]) + 1, ["tool", "run", "errors", "expectations", "summary"]) == (
        len(lines), list(json.loads(lines[-1])))
    assert run_to_dict(run_from_dict(as_json)) == run_to_dict(read)


def test_wrqa_report_reads_the_jsonl_validate_wrote(files, tmp_path):
    results = tmp_path / "results.jsonl"
    validate = subprocess.run([sys.executable, "-m", "wrqa", "validate", "--format", "jsonl", "-o", str(results),
                               *files[:20]], capture_output=True, text=True)
    report = subprocess.run([sys.executable, "-m", "wrqa", "report", "-i", str(results), "-o", str(tmp_path / "out")],
                            capture_output=True, text=True)
    assert (1, 0, True) == (validate.returncode, report.returncode, (tmp_path / "out" / "index.html").is_file()), (
        validate.stderr + report.stderr)


def test_documents_encoded_by_the_workers_that_judged_them_write_the_json_the_writer_would(files, tmp_path):
    """The workers make each document's line of JSON (waivers marked) and the main process only writes it: the
    same report, waived findings and counts as when the writer encodes every document itself."""
    from reports.jsonl import Encoded, Encoder
    from validators.records import Waiver

    plain = json.loads(_written(files, tmp_path / "plain.json", "json", 1, 64))
    fingerprints = sorted({f["fingerprint"] for d in plain["documents"] for f in d["findings"]})[::5]
    waivers = {fingerprint: Waiver(fingerprint, "已核实", date(2099, 1, 1)) for fingerprint in fingerprints}

    def written(encode: bool, workers: int) -> str:
        out = tmp_path / f"{encode}-{workers}.json"
        options = options_of(engines=("pandera", "gx"), keep_lines=False, encode=Encoder(waivers) if encode else None)
        sink = Streamed("json", str(out), waivers)
        chunks = map_chunks(files, ChunkJudge(options, 10**8), died, workers=workers, size=16)
        judge_chunks(chunks, options, sink)
        return TIMES.sub('"at":null', out.read_text(encoding="utf-8"))

    by_writer = written(False, 1)
    summary = json.loads(by_writer)["summary"]
    assert 0 < summary["waived"] == plain["summary"]["findings"] - summary["findings"]
    assert by_writer == written(True, 2) == written(True, 1)
    chunk = ChunkJudge(options_of(encode=Encoder(waivers)), 10**8)(files[:3])
    assert all(isinstance(result, Encoded) for result in chunk.results)


def test_a_document_its_worker_cannot_encode_is_named_and_the_others_are_written(files, tmp_path):
    from reports.jsonl import Encoder

    class Refusing(Encoder):
        def __call__(self, result):
            if result.path == files[3]:
                raise ValueError("cannot encode")
            return super().__call__(result)

    options = options_of(keep_lines=False, encode=Refusing())
    out = tmp_path / "r.json"
    run = judge_chunks(map_chunks(files[:8], ChunkJudge(options, 10**8), died, workers=1, size=4), options,
                       Streamed("json", str(out)))
    written = json.loads(out.read_text(encoding="utf-8"))
    assert [files[3]] == [error.path for error in run.errors]
    assert "cannot encode" in run.errors[0].message
    assert [path for path in files[:8] if path != files[3]] == [d["path"] for d in written["documents"]]


@pytest.mark.parametrize(("lines", "message"), [
    ('{"path": "a.txt"}\n', "has no line with the run"),
    ('{"path": "a.txt"}\nnot json\n', "line 2 is not JSON"),
])
def test_jsonl_cut_short_or_broken_is_refused_naming_the_line(lines, message):
    from reports.json import ResultsError

    with pytest.raises(ResultsError) as refused:
        read_jsonl(lines)
    assert message in str(refused.value)


def test_later_findings_are_put_among_a_documents_own_whatever_its_words(tmp_path):
    """A later error fails a document that passed, a later finding a waiver covers is marked waived, and a
    title or a finding's data holding the very keys the findings lie between does not misplace them: the
    JSON streamed is the JSON of the whole run amended."""
    from crawler.local import load_documents
    from reports.json import render_json
    from validators import validate
    from validators.judge import amended
    from validators.records import Finding, Severity, Waiver

    documents, _ = load_documents([str(path) for path in sorted(SEEDS.glob("*.txt"))], 10**8)
    run = validate(documents)
    first, second = run.documents[:2]
    tricky = replace(first.findings[0], data={"words": [1], "truncated": 1, "title": '],"truncated":0'})
    first = replace(first, title='人大紫阳街工委,"findings":[],"truncated":1 报告',
                    findings=(tricky, *first.findings[1:]))
    later = {0: [Finding("stat-trend", Severity.ERROR, first.path, 2, 1, "16篇", "较上年", fingerprint="a")],
             1: [Finding("duplicate-report", Severity.WARNING, second.path, 1, 1, "题", "相似", fingerprint="b"),
                 Finding("stat-trend", Severity.INFO, second.path, 10**6, 1, "尾", "末", fingerprint="c")]}
    waivers = {"b": Waiver("b", "已知悉", date(2099, 1, 1))}
    assert first.passed
    streamed = Streamed("json", str(tmp_path / "r.json"), waivers)
    for doc, result in enumerate([first, second, *run.documents[2:]]):
        streamed.add(doc, result)
    for doc, findings in later.items():
        streamed.amend(doc, findings)
    whole = replace(run, documents=(amended(first, later[0]), amended(second, later[1]), *run.documents[2:]))
    streamed.close(run)
    expected = render_json(replace(whole.waive(waivers), skipped=())) + "\n"
    assert json.loads(expected)["summary"]["failed"] == run.summary.failed + 1
    assert TIMES.sub("", expected) == TIMES.sub("", (tmp_path / "r.json").read_text(encoding="utf-8"))


def test_a_chunk_is_judged_with_the_collector_off_and_it_is_on_again_after(monkeypatch):
    """A chunk's millions of small objects live until it is done: the collector does not go over them meanwhile
    (one full collection before it), and is back on once the chunk is made."""
    import gc

    seen = []
    judge = ChunkJudge.judge

    def watched(self, *args, **kwargs):
        seen.append(gc.isenabled())
        return judge(self, *args, **kwargs)

    monkeypatch.setattr(ChunkJudge, "judge", watched)
    chunk = ChunkJudge(options_of(), 10**8)([str(SEEDS / "wcrd-2018-ziyang-report.txt")])
    assert ([False], True, 1) == (seen, gc.isenabled(), len(chunk.results))
