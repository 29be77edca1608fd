"""Any text is an input with an answer: validating scrambled report fragments never raises.

The fragments are the pieces real reports and pages are made of (titles, headings, figures, meeting
lines, markup, placeholders, odd line ends), shuffled by a seeded generator so a failure is repeatable.
"""

from __future__ import annotations

import random

import pytest

from crawler.files import source_from_text
from crawler.htmltext import html_lines
from crawler.normalize import documents_from_source
from validators import validate

PIECES = [
    "人大紫阳街道工委2022年工作报告", "人大***街道工委2099年工作报告", "一、", "二、存在不足", "三、2023年工作思路",
    "三、1919年", "一、2099年工作", "（一）", "(二)", "共", "其中", "名", "件", "%", "百分之", "一百零五", "二十六",
    "点", "占", "满意度", "参与率", "增长", "12", "19", "0", "-5", "3.5", "，", "。", "；", "\n", "\n\n", "\r\n", "\r",
    "\t", "\u3000", "&nbsp;", "&#x", "&#12345;", "<p>", "</p>", '<div id="infoContentM">', "<div id='endtext'>",
    "</div>", "<h3>", "</h3>", "<script>", "</script>", "<!--", "-->", "##paidbegin##", "***", "XX", "X月X日",
    "(2018年12月25日在武汉市武昌区第十五届人大常委会第16次会议上)", "——20201126日在", "——2019123日在", "会议上",
    "第十六届", "目录", "目\t录", "\t1", "发布时间:2018-12-27 15:41", "时间:", "人大杨园街街道工委", "紫阳街道人大工委",
    "粮道街", "&#", "<", ">", "&", "\ufffd", "?", "(qū)", "某某", "×", "*", "第 3 页 共 5 页", "a", "\x0c", "\u2028",
    "一是", "届", "年", "月", "日", "1900", "2099", "🙂",
]
REGRESSIONS = [
    "人大紫阳街道工委2022年工作报告\n满意度达百分之二十六二十六。\n",  # cn2an raised KeyError
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
