"""A committee's figures across its reports: judged in the main job over reports the run did not all judge again."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from crawler.replica import site
from crawler.replica.server import serve
from wrqa import history
from wrqa.config import parse_config
from wrqa.job import run_once


def config_for(tmp_path, replica, factor: float):
    return parse_config({
        "store": {"path": str(tmp_path / "var" / "store.sqlite3"), "warc_dir": str(tmp_path / "var" / "warc")},
        "report": {"dir": str(tmp_path / "report")},
        "crawl": {"delay": 0, "retries": 0},
        "validate": {"suite": "pandera", "trend_factor": factor},
        "sources": [{"name": "wcrd", "kind": "epoint", "base_url": replica.base_urls["epoint"],
                     "lists": ["zyfb/003005"]}],
    }, tmp_path / "config.toml")


def next_years_report(suggestions: str) -> site.Article:
    """白沙洲's 2023 report, written over its 2022 one, stating ``suggestions`` where 2022 said 34条."""
    model = next(a for a in site.epoint_articles() if a.title == "人大白沙洲街道工委2022年工作报告")
    title = model.title.replace("2022", "2023")
    paragraphs = tuple(p.replace("形成代表建议34条", f"形成代表建议{suggestions}") for p in model.paragraphs)
    published = model.published + timedelta(days=365)
    return replace(model, path="/zyfb/003005/20240110/baishazhou-2023.html", title=title, published=published,
                   paragraphs=paragraphs, expected={**model.expected, "title": title, "year": 2023})


@pytest.mark.parametrize(("suggestions", "factor", "expected"), [
    ("340条", 5.0, [("340条", True)]),  # ten times last year's 34
    ("340条", 12.0, []),  # within a factor set wider
    ("60条", 5.0, []),
])
def test_a_new_report_is_set_beside_last_years_report_that_the_run_did_not_judge_again(
        tmp_path, suggestions, factor, expected):
    with serve() as own:
        config = config_for(tmp_path, own, factor)
        run_once(config)
        fresh = next_years_report(suggestions)
        own.add("epoint", fresh)
        second = run_once(config)
    with history.opened(config.path_of("store.path")) as conn:
        trends = [(f.excerpt, f.new) for f in history.findings_of(conn, second.run_id) if f.rule == "stat-trend"
                  and f.source.endswith(fresh.path)]
    assert (expected, 1) == (trends, second.validated)


def _report(title: str, suggestions: int, meeting: str = "") -> str:
    lead = f"{meeting}\n" if meeting else ""
    return (f"{title}\n{lead}主任、副主任、各位委员：\n一、主要工作完成情况\n"
            f"组织代表走访选民，收集选民意见52条，形成代表建议{suggestions}条。\n二、存在的不足\n正文。\n"
            "三、下一步工作打算\n正文。\n")


# Two committees called 新华街道, of two districts, and one 新华街道 report naming no district, which could be
# either's; 紫阳's two reports, of which only the first names its district (in its meeting line).
NAMESAKES = {
    "a.txt": _report("芙蓉区新华街道人大工委2021年工作报告", 30),
    "b.txt": _report("江岸区新华街道人大工委2022年工作报告", 300),
    "c.txt": _report("人大新华街道工委2023年工作报告", 3000),
    "d.txt": _report("人大紫阳街道工委2021年工作报告", 30, "——2021年12月20日在武汉市武昌区第十六届人大常委会第二次会议上"),
    "e.txt": _report("人大紫阳街道工委2022年工作报告", 300),
}


def test_committees_of_one_name_in_two_districts_are_not_compared_with_each_other(tmp_path):
    """A run is set beside itself only by committee: of a name its reports give two districts, each district's
    reports are one committee and a report naming none is compared with none; a name of one district stays
    one committee whether or not each report names it. The same in a run (the figures paired on disk) and in
    the job's trends over stored reports."""
    from checks.batch import map_chunks
    from crawler.files import source_from_text
    from crawler.normalize import documents_from_source
    from reports.jsonl import Streamed
    from validators.chunks import ChunkJudge, died
    from validators.judge import judge_chunks, options_of
    from validators.trends import judge_trends

    for name, text in NAMESAKES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    files = sorted(str(path) for path in tmp_path.glob("*.txt"))
    options = options_of(engines=("pandera",), keep_lines=False)
    out = tmp_path / "run.json"
    judge_chunks(map_chunks(files, ChunkJudge(options, 10**8), died, workers=1), options,
                 Streamed("json", str(out)))
    run = json.loads(out.read_text(encoding="utf-8"))
    in_run = [(Path(d["path"]).name, f["excerpt"]) for d in run["documents"] for f in d["findings"]
              if f["rule"] == "stat-trend"]
    documents = [document for name, text in NAMESAKES.items()
                 for document in documents_from_source(source_from_text(name, text))]
    findings, _ = judge_trends(documents)
    in_job = [(f.path, f.excerpt) for f in findings if f.rule == "stat-trend"]
    assert [("e.txt", "300条")] == [(name, excerpt[-4:]) for name, excerpt in in_run]
    assert [("e.txt", "300条")] == [(name, excerpt[-4:]) for name, excerpt in in_job]
