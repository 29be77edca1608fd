"""A committee's figures across its reports: judged in the main job over reports the run did not all judge again."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

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
