"""Page chrome is told by its shape and vocabulary, as blocks; a sentence that mentions 打印 is text."""

from __future__ import annotations

import random
import re

import pytest

from crawler import chrome
from crawler.chrome import DATELINE, blocks, classify, line_kind
from crawler.files import source_from_text
from crawler.normalize import documents_from_source


@pytest.mark.parametrize(("line", "kind"), [
    ("打印本页 关闭窗口", "toolbar"),
    ("【字号：大 中 小】【打印】【关闭】", "toolbar"),
    ("发布日期：2024-03-01 09:12  浏览次数：", "toolbar"),
    ("首页 > 人大工作 > 代表风采", "breadcrumb"),
    ("您所在的位置：首页 > 新闻中心", "breadcrumb"),
    ("分享到：微信 微博 QQ空间", "share"),
    ("设为首页 | 加入收藏 | 联系我们", "nav"),
    ("某某区人大网 首页", "nav"),
    ("主办单位：某某区人大常委会办公室 技术支持：某某公司", "footer"),
    ("版权所有 © 2024 某某区人民代表大会常务委员会", "footer"),
    ("责任编辑：王某", "footer"),
    ("上一篇：某某街道召开代表座谈会", "related"),
    ("相关阅读", "related"),
    ("第03版：要闻", "epaper"),
    ("图为代表们在社区察看路面", "caption"),
    ("以下是小编为大家收集的工作报告范文，仅供参考", "docsite"),
    ("索引号 000014348/2024-00012  发布机构 区政府办", "meta"),
    ("|||| |", "table"),
    ("来源：某某日报", DATELINE),
    ("时间：2024-03-01  作者：李某", DATELINE),
    # Text that merely mentions chrome words is text.
    ("代表们打印了学习材料，下载了履职手册。", None),
    ("会议关闭了旧的议事通道，开通了网上平台。", None),
    ("首页是代表之家的介绍，第二页是活动安排。", None),
    ("二、存在不足", None),
    ("人大紫阳街道工委2022年工作报告", None),
])
def test_a_line_is_chrome_only_when_all_its_words_are(line, kind):
    assert kind == line_kind(line)


def test_a_toolbar_written_one_word_a_line_is_one_block_and_the_title_after_it_is_text():
    lines = ["下载", "打印", "收藏", "【字号：", "大", "中", "小", "】", "某某区2024年政府工作报告", "各位代表："]
    assert [(0, 7, "toolbar")] == blocks(classify(lines))


def test_a_breadcrumb_split_at_its_separators_and_the_foot_of_a_page_are_blocks():
    lines = ["首页", ">", "信息公开", ">", "工作报告", "某某街道人大工委2023年工作报告", "一、主要工作", "正文一句。",
             "上一条：某某活动", "下一条：另一个活动", "与我们联系", "电话：0000-0000000"]
    assert [(0, 4, "breadcrumb"), (8, 9, "related"), (10, 11, "footer")] == blocks(classify(lines))


def test_headline_links_closing_a_page_are_related_links():
    lines = ["某某街道代表接待日", "代表们认真听取群众意见。", "某某区召开经济工作会议", "某某路改造工程全面完工"]
    assert [(2, 3, "related")] == blocks(classify(lines))


def test_chrome_is_kept_out_of_the_text_reported_once_a_block_and_the_headline_found_after_it():
    text = "打印\n关闭\n\n某某街道人大工委2023年工作报告\n\n来源：某某日报\n正文一句。\n责任编辑：王某\n"
    [document] = documents_from_source(source_from_text("page.txt", text))
    notes = [(note.kind, note.line, note.end_line) for note in document.notes]
    assert ("某某街道人大工委2023年工作报告", [("toolbar", 1, 2), ("footer", 8, 8)]) == (document.title, notes)
    assert "打印" not in document.text and "来源：某某日报".replace("：", ":") in document.text


def test_a_body_line_is_never_joined_to_a_dateline_above_it():
    text = "某某街道人大工委开展代表活动\n发布时间：2024-03-01  来源：某某网  发布单位：某某街道\n" \
           "近日，某某街道人大工委组织辖区各级人大代表开展集中视察活动，察看了老旧小区改造项目\n的进展情况。\n"
    [document] = documents_from_source(source_from_text("page.txt", text))
    assert "组织辖区各级人大代表开展集中视察活动" in document.text


def _chrome_test_lines() -> list[str]:
    """The lines of every text the tests hold, as read and as folded, and short random strings of the
    characters the phrases and words are written in, with pieces of real chrome mixed in."""
    from pathlib import Path

    from crawler.normalize import fold

    tests = Path(__file__).resolve().parent
    lines = []
    for path in sorted(tests.glob("corpus/**/*.txt")) + sorted((tests / "data").glob("**/*.txt")):
        text = path.read_text(encoding="utf-8", errors="replace")
        lines += [*text.splitlines(), *fold(text).splitlines()]
    written = "".join(phrase.pattern for phrase in chrome.PHRASES.values()) + "".join(
        word for words in chrome.WORDS.values() for word in words)
    alphabet = sorted({c for c in written if not c.isspace()} | set("的了在和年月日 :|>aAİıſ"))
    pieces = ["打印", "关闭窗口", "首页", " > ", "分享到", "版权所有", "Copyright", "ICP备", "快照", "Wayback Machine",
              "当前位置:", "的位置:", "您现在所在的位置：", "责任编辑:", "2024-03-01", "10:58", "某某区人大网", "第03版:", "图为", "VIP", "【", "】"]
    rng = random.Random("chrome")
    lines += ["".join(rng.choice(pieces + alphabet) for _ in range(rng.randint(1, 10))) for _ in range(30_000)]
    return lines


def test_the_gate_before_the_phrases_keeps_every_match():
    """The gated search for any phrase finds what the phrases alone find, where they find it."""
    lines = _chrome_test_lines()
    body = re.compile(chrome._ANY_PHRASE_BODY)
    lines += [f"{line}\n{other}" for line, other in zip(lines[::97], lines[1::97], strict=False)]
    assert [(m.span() if (m := body.search(line)) else None) for line in lines] == [
        chrome.any_phrase(line) for line in lines]


def test_the_phrases_are_searched_for_by_every_character_they_can_start_with():
    """The class the phrases are searched for by holds every character a phrase's first character matches,
    of any case where its case is ignored, and every character a phrase is found to start with after a line's start."""
    first = set(chrome._PHRASE_FIRST)
    folded = re.compile(r"(?i:[aciosw])")
    assert {chr(c) for c in range(0x110000) if folded.match(chr(c))} <= first
    body = re.compile(chrome._ANY_PHRASE_BODY)
    lines = [line for line in _chrome_test_lines() if len(line) <= 80]
    found = [line[at] for line in lines for at in range(1, len(line)) if body.match(line, at)]
    assert (len(found) > 100, sorted(set(found) - first)) == (True, [])


def test_every_line_one_kind_of_words_makes_up_is_made_up_of_the_words_of_all():
    lines = _chrome_test_lines()
    made_up = [line for line in lines if any(pattern.match(line) for pattern in chrome._WORD_LINE.values())]
    assert ([True] * len(made_up), True) == ([bool(chrome._ANY_WORD_LINE.match(line)) for line in made_up],
                                             len(made_up) > 100)


def test_every_line_an_archive_phrase_is_found_in_holds_one_of_their_marks():
    lines = [*_chrome_test_lines(), "ORIGINAL URL: x", "archived FROM y", "WAYBACK machine", "saved from URL"]
    found = [line for line in lines if chrome.PHRASES["archive"].search(line)]
    assert ([True] * len(found), True) == (
        ["a" in line or "A" in line or "快照" in line for line in found], len(found) > 4)


def test_every_line_with_key_value_pairs_holds_a_colon():
    found = [line for line in _chrome_test_lines() if chrome._pairs(line) is not None]
    assert ([True] * len(found), True) == ([":" in line or "：" in line for line in found], len(found) > 100)
