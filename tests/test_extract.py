"""What adapters share: paragraphs out of Word-exported HTML, dates, and the meeting line in both styles."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from crawler import domain, extract
from crawler.markup import MAX_DEPTH

PUBLISHED = datetime(2019, 2, 1, tzinfo=extract.CHINA)


@pytest.mark.parametrize(("title", "lines", "district"), [
    ("人大紫阳街工委2018年度工作报告", ["（2018年12月25日在武昌区第十五届人民代表大会常务委员会第十六次会议上）"], "武昌区"),
    ("人大紫阳街道工委2022年工作报告", ["——2022年12月20日在武汉市", "武昌区第十六届人大常委会第五次会议上"], "武昌区"),
    ("城关镇人大主席团2022年工作报告", ["——2023年1月5日在某某县第十八届人大常委会第九次会议上"], "某某县"),
    ("武昌区紫阳街道人大工委2022年度工作报告", [], "武昌区"),
    ("上海市徐汇区长桥街道人大工委2022年工作报告", ["主任、副主任、各位委员："], "徐汇区"),
    ("湖北省仙桃市沙嘴街道人大工委2022年工作报告", [], "仙桃市"),
    ("钟祥市胡集镇人大主席团2022年工作报告", [], "钟祥市"),
    ("区人大紫阳街道工委2022年工作报告", ["——2022年12月20日在区第十六届人大常委会第五次会议上"], None),
    ("人大紫阳街道工委2022年工作报告", ["主任、副主任、各位委员："], None),
    # A place of sixty 市 has no unit; cut every way it could be, it would take hours.
    ("人大紫阳街道工委2022年工作报告", ["——2022年12月20日在" + "市" * 60 + "第十六届人大常委会第五次会议上"], None),
])
def test_a_report_names_its_district_by_its_meeting_line_or_the_place_its_title_puts_first(title, lines, district):
    assert district == domain.district_of(title, lines)


@pytest.mark.parametrize(("lines", "expected"), [
    (["(2018年12月25日在武昌区第十五届人民代表大会常务委员会第十六次会议上)"], (date(2018, 12, 25), "第十五届", 1)),
    (["（2018年12月25日在武昌区第十五届人民代表大会常务委员会第十六次会议上）"], (date(2018, 12, 25), "第十五届", 1)),
    (["——2019年1月16日在武汉市武昌区第十五届人大常委会第二十六次会议上"], (date(2019, 1, 16), "第十五届", 1)),
    (["——2019年1月16日在武汉市武昌区", "第十五届人大常委会第二十六次会议上", "人大紫阳街工委"],
     (date(2019, 1, 16), "第十五届", 2)),
    (["——20190126日在武汉市武昌区第十五届人大常委会第二十六次会议上"], (date(2019, 1, 26), "第十五届", 1)),
    (["——2019123日在武汉市武昌区第十五届人大常委会第二十次会议上"], (date(2019, 1, 23), "第十五届", 1)),
    (["——加强学习，提高代表素质。", "——在会议上发言"], (None, None, 0)),
    (["主任、副主任、各位委员："], (None, None, 0)),
])
def test_meeting_line_in_every_style(lines, expected):
    """Parenthesised, dashed, split, glyph-lost and ambiguous lines are read; dash bullets are not meetings."""
    day, session, _, taken, warnings = domain.meeting_of(lines, PUBLISHED)

    assert (expected, []) == ((day, session, taken), warnings)


def test_ambiguous_lost_glyph_date_without_publish_date_is_a_warning():
    """——2019123日 with no publish date could be 1-23 or 12-3: no date, and a warning saying both."""
    day, _, _, _, warnings = domain.meeting_of(["——2019123日在武汉市武昌区第十五届人大常委会第二十次会议上"], None)

    assert (None, 1, True) == (day, len(warnings), "2019-01-23 or 2019-12-03" in warnings[0])


@pytest.mark.parametrize(("markup", "expected"), [
    ("<p class=MsoNormal><span>第一段<o:p></o:p></span></p><p class=MsoNormal><span lang=EN-US>&nbsp;<o:p></o:p>"
     "</span></p><p>第二段</p>", ["第一段", "第二段"]),
    ('<html><head><style><!-- p.MsoNormal {margin:0} --></style></head><body><p>'
     '<st1:chsdate Year="2020" Month="11" Day="26">20201126</st1:chsdate>日</p></body></html>', ["20201126日"]),
    ("\u3000\u3000第一段<br>\u3000\u3000第二段<br><br> <br>第三段", ["第一段", "第二段", "第三段"]),
    ("第一段。&nbsp;&nbsp;第二段", ["第一段。", "第二段"]),
    ("<table><tr><td>社区</td><td>代表</td></tr></table>", ["社区", "代表"]),
    ('第一段。<br><img src="a.jpg"><br>代表活动现场<br>第二段。', ["第一段。", "第二段。"]),
    ('<p><img src="a.jpg"></p><p>二、存在不足</p><p>正文。</p>', ["二、存在不足", "正文。"]),
    ('<p><img src="a.jpg"></p><p>会后，代表们围绕社区治理提出了建议。</p>', ["会后，代表们围绕社区治理提出了建议。"]),
])
def test_paragraphs_split_at_blocks_breaks_blank_lines_and_indents(markup, expected):
    """Word bodies, <br> bodies, indents and tables give a paragraph a line; a caption after an image goes,
    a heading or a sentence after one stays."""
    assert expected == extract.paragraphs(markup)


@pytest.mark.parametrize(("text", "expected"), [
    ("发布时间：2018-12-27 15:41", datetime(2018, 12, 27, 15, 41, tzinfo=extract.CHINA)),
    ("时间:2024-01-03", datetime(2024, 1, 3, tzinfo=extract.CHINA)),
    ("2023年1月5日", datetime(2023, 1, 5, tzinfo=extract.CHINA)),
    ("阅读次数：", None),
])
def test_dates_are_read_in_china_time(text, expected):
    """Publish times are +08:00 whether or not a time of day is written."""
    assert expected == extract.parse_datetime(text)


URL = "http://wcrd.example/zyfb/003005/a.html"


def test_a_page_nested_too_deep_is_parsed_flat_with_a_warning_naming_it():
    """5,000 unclosed <div> give a tree no deeper than the limit, every text kept, and one warning with the URL."""
    tree, warnings = extract.parse("<body>" + "<div>正文。" * 5000, URL)

    levels = {}
    for node in tree.root.traverse(include_text=False):
        levels[node.mem_id] = levels.get(node.parent.mem_id, 0) + 1 if node.parent is not None else 1
    assert (True, "正文。" * 5000, 1, True) == (
        max(levels.values()) <= MAX_DEPTH + 4, tree.body.text(), len(warnings), URL in warnings[0])


def test_a_well_formed_page_parses_without_warnings():
    """A page within the limits gives no warning."""
    assert [] == extract.parse("<body><div><p>正文。</p></div></body>", URL)[1]


def test_blocks_flattened_past_the_limit_still_end_their_paragraphs():
    """600 unclosed <div>, each with a paragraph, read as 600 paragraphs although most were flattened."""
    tree, _ = extract.parse("<body>" + "".join(f"<div>第{n}段" for n in range(600)), URL)

    assert [f"第{n}段" for n in range(600)] == extract.paragraphs(tree.body.html)
