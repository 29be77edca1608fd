"""Any text is an input with an answer: validating scrambled report fragments never raises.

The fragments are the pieces real reports and pages are made of (titles, headings, figures, meeting
lines, markup, placeholders, odd line ends), shuffled by a seeded generator so a failure is repeatable.
"""

from __future__ import annotations

import json
import random
from dataclasses import replace

import pytest

from crawler.files import source_from_text
from crawler.htmltext import html_lines
from crawler.normalize import documents_from_source
from crawler.records import SourceMap
from reports.json import render_json
from validators import validate

PIECES = [
    "人大紫阳街道工委2022年工作报告", "人大***街道工委2099年工作报告", "一、", "二、存在不足", "三、2023年工作思路",
    "三、1919年", "一、2099年工作", "（一）", "(二)", "共", "其中", "名", "件", "%", "百分之", "一百零五", "二十六",
    "点", "占", "满意度", "参与率", "增长", "12", "19", "0", "-5", "3.5", "，", "。", "；", "\n", "\n\n", "\r\n", "\r",
    "\t", "\u3000", "&nbsp;", "&#x", "&#12345;", "<p>", "</p>", '<div id="infoContentM">', "<div id='endtext'>",
    "</div>", "<h3>", "</h3>", "<script>", "</script>", "<!--", "-->", "##paidbegin##", "***", "XX", "X月X日",
    "(2018年12月25日在武昌区第十五届人民代表大会常务委员会第十六次会议上)", "——20201126日在", "——2019123日在", "会议上",
    "第十六届", "目录", "目\t录", "\t1", "发布时间:2018-12-27 15:41", "时间:", "人大杨园街街道工委", "紫阳街道人大工委",
    "粮道街", "&#", "<", ">", "&", "\ufffd", "?", "(qū)", "某某", "×", "*", "第 3 页 共 5 页", "a", "\x0c", "\u2028",
    "一是", "届", "年", "月", "日", "1900", "2099", "🙂", "共0名", "其中1名占100%", "0件", "占0%",
]
REGRESSIONS = [
    "人大紫阳街道工委2022年工作报告\n满意度达百分之二十六二十六。\n",  # two numerals run together: none
    "人大紫阳街道工委2022年工作报告\n三、1919年的传统\n",  # a heading year outside the frame contract
    "人大***街道工委2099年工作报告\n三、2100年工作思路\n",
]


def scrambled(count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    return ["".join(rng.choice(PIECES) for _ in range(rng.randint(0, 120))) for _ in range(count)]


@pytest.mark.parametrize("text", REGRESSIONS + scrambled(200, 2022))
def test_validating_any_text_as_a_file_or_a_page_returns_findings_and_never_raises(text):
    source = source_from_text("scrambled.txt", text)
    documents = documents_from_source(source) + documents_from_source(source, html_lines(text)[0])
    run = validate(documents)
    assert len(documents) == len(run.documents)


REGRESSIONS_JSON = [
    "人大紫阳街道工委2022年工作报告\n共0名，其中1名占100%。\n",  # a whole of 0 divided by
    "人大紫阳街道工委2022年工作报告\n共0件，其中0件占0%。\n",
]


def _excerpts_stand_at_their_positions(report: dict, sources: dict[str, tuple[str, ...]]) -> list[str]:
    misplaced = []
    for document in report["documents"]:
        lines = sources[document["path"]]
        for finding in document["findings"]:
            line = lines[finding["line"] - 1] if 0 < finding["line"] <= len(lines) else ""
            if not line[finding["column"] - 1:].startswith(finding["excerpt"]):
                misplaced.append(f"{finding['rule']} {finding['line']}:{finding['column']} {finding['excerpt']!r}")
    return misplaced


@pytest.mark.parametrize("text", REGRESSIONS_JSON + scrambled(150, 8))
def test_any_text_gives_valid_json_whose_excerpts_stand_where_they_say(text):
    source = source_from_text("scrambled.txt", text)
    run = validate(documents_from_source(source))
    report = json.loads(render_json(run))
    assert ([], []) == (report["errors"], _excerpts_stand_at_their_positions(report, {source.path: source.lines}))


def test_a_document_the_checks_fail_on_is_a_named_tool_error_and_the_others_are_judged():
    good = documents_from_source(source_from_text("good.txt", "人大紫阳街道工委2022年工作报告\n组织完成*位代表述职。\n"))
    [broken] = documents_from_source(source_from_text("broken.txt", "人大杨园街道工委2022年工作报告\n共12件，其中3件。\n"))
    broken = replace(broken, origin=SourceMap((), (), ()))  # a document whose positions cannot be read
    run = validate([*good, broken])
    assert (["good.txt"], ["broken.txt"]) == ([r.path for r in run.documents], [e.path for e in run.errors])
    assert run.errors[0].message.startswith("broken.txt:1: wrqa failed on this document (IndexError")
    assert "placeholder" in {f.rule for f in run.findings}


def test_a_long_list_of_parts_writes_a_report_in_proportion_to_its_text():
    text = "人大紫阳街道工委2022年工作报告\n" + "共12件，其中3件，" * 2000 + "。\n"
    report = render_json(validate(documents_from_source(source_from_text("list.txt", text))))
    relations = json.loads(report)["documents"][0]["relations"]
    assert (True, True) == (len(relations) > 2000, len(report) < 60 * len(text))
    assert max(len(r["text"]) for r in relations) <= 60
