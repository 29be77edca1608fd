"""Normalization: volumes split into reports, cut paragraphs joined, positions kept in the source."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from seeds import VOLUME, XUJIAPENG_2024, ZIYANG_2018

from crawler import normalize
from crawler.files import read_source, source_from_text
from crawler.normalize import FOLD, Piece, document_from_page, documents_from_source, parse_meeting, parse_published
from crawler.records import Page

VOLUME_REPORTS = [
    (17, "杨园"), (52, "徐家棚"), (85, "积玉桥"), (119, "中华路"), (152, "粮道街"), (184, "黄鹤楼"), (217, "紫阳"),
    (254, "白沙洲"), (287, "首义路"), (318, "中南路"), (367, "水果湖"), (413, "珞珈山"), (441, "南湖"),
]


def documents(path):
    return documents_from_source(read_source(str(path), 10**8))


def test_the_volume_splits_into_its_13_reports_with_committees_years_and_title_lines():
    found = documents(VOLUME)
    assert [(line, street, 2022, "report") for line, street in VOLUME_REPORTS] == [
        (d.line, d.committee, d.year, d.kind) for d in found
    ]


def test_the_district_page_is_one_report_with_its_publish_time_and_meeting():
    [document] = documents(ZIYANG_2018)
    assert ("人大紫阳街工委2018年度工作报告", 2, "紫阳", 2018, "report") == (
        document.title, document.line, document.committee, document.year, document.kind)
    assert (datetime.fromisoformat("2018-12-27T15:41:00+08:00"), date(2018, 12, 25), "第十五届") == (
        document.published_at, document.meeting_date, document.session)


def test_the_provincial_article_is_an_article_without_the_site_chrome():
    [document] = documents(XUJIAPENG_2024)
    assert ("徐家棚", "article", 5) == (document.committee, document.kind, document.line)
    assert ("当前位置" not in document.text, "责任编辑" not in document.text) == (True, True)


def test_a_paragraph_cut_at_a_page_end_is_joined_again():
    [yangyuan] = [d for d in documents(VOLUME) if d.committee == "杨园"]
    assert "和杨园西路破损道路翻新等问题" in yangyuan.text


def test_every_character_kept_maps_back_to_the_same_character_in_the_source():
    for path in (VOLUME, ZIYANG_2018, XUJIAPENG_2024):
        source = read_source(str(path), 10**8)
        for document in documents_from_source(source):
            mismatched = [
                offset for offset, char in enumerate(document.text)
                if char != "\n" and source.lines[document.origin.position(offset)[0] - 1][
                    document.origin.position(offset)[1] - 1].translate(FOLD) != char
            ]
            assert [] == mismatched


@pytest.mark.parametrize("line_end", ["\n", "\r\n", "\r"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_positions_are_the_same_whatever_the_encoding_and_line_ends(tmp_path, encoding, line_end):
    text = "人大***街道工委2022年工作报告\n\n\u3000\u3000一、2022年工作完成情况\n组织完成*位代表述职，满意度达105%。\n"
    path = tmp_path / "r.txt"
    path.write_bytes(text.replace("\n", line_end).encode(encoding))
    [document] = documents(path)
    offset = document.text.index("*位")
    assert (4, 5) == document.origin.position(offset)
    assert (3, 3) == document.origin.position(document.text.index("一、"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("(2018年12月25日在武昌区第十五届人民代表大会常务委员会第十六次会议上)", (date(2018, 12, 25), "第十五届")),
        ("——2019年12月16日在武汉市武昌区第十五届人大常委会第二十六次会议上", (date(2019, 12, 16), "第十五届")),
        ("——20201126日在武汉市武昌区第十五届人大常委会第三十五次会议上", (date(2020, 11, 26), "第十五届")),
        ("——2019123日在武汉市武昌区第十五届人大常委会第十八次会议上", (None, "第十五届")),
        ("(2022年12月20日在武汉市武昌区第十六届人大常委会\n第八次会议上)", (date(2022, 12, 20), "第十六届")),
        ("——积极参与社区治理", (None, None)),
    ],
)
def test_both_meeting_line_styles_are_read_even_with_lost_glyphs_or_split(text, expected):
    assert expected == parse_meeting(text)[:2]


def test_a_date_that_lost_its_glyphs_is_read_against_the_publish_date():
    published = datetime.fromisoformat("2019-02-20T10:00:00+08:00")
    line = "——2019123日在武汉市武昌区第十五届人大常委会第十八次会议上"
    assert (date(2019, 1, 23), "第十五届", "武昌区") == parse_meeting(line, published)[:3]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("发布时间:2018-12-27 15:41    打印", "2018-12-27T15:41:00+08:00"),
        ("来源:湖北人大网   时间:2024-01-03 10:58   [收藏]", "2024-01-03T10:58:00+08:00"),
        ("发布时间：2020-2-3", "2020-02-03T00:00:00+08:00"),
    ],
)
def test_the_publish_time_is_read_from_the_page_header(text, expected):
    assert datetime.fromisoformat(expected) == parse_published(text.translate(FOLD))


def test_a_stored_page_becomes_a_document_whose_lines_are_those_of_its_stored_text():
    page = Page(url="http://wcrd.wuchang.gov.cn/zyfb/003005/20190531/x.html", site="district", category="003005",
                title="人大紫阳街工委2018年度工作报告", published_at=None,
                paragraphs=("主任、副主任、各位委员:", "一、主要工作完成情况", "组织完成*位代表述职。"),
                committee="紫阳", year=2018, kind="report")
    document = document_from_page(page)
    assert ("紫阳", 2018, "report", page.url) == (document.committee, document.year, document.kind, document.path)
    assert (4, 5) == document.origin.position(document.text.index("*"))


def test_a_text_without_any_title_still_becomes_one_document():
    [document] = documents_from_source(source_from_text("notes.txt", "\n\n只有一段很长的正文，没有标题也没有任何章节结构的文字内容。\n"))
    assert ("other", 3) == (document.kind, document.line)


def test_traditional_characters_are_read_as_simplified_and_positions_stay_those_of_the_source():
    text = "人大紫陽街道工委2022年工作報告\n一、2022年工作完成情況\n選民滿意度達105%。\n二、存在的問題\n三、2023年工作計劃\n"
    [document] = documents_from_source(source_from_text("t.txt", text))
    from checks.analyze import analyze

    assert ("紫阳", "report", ("work", "shortcomings", "plans")) == (
        document.committee, document.kind, analyze(document).sections)
    assert ("选民满意度达105%" in document.text, (3, 7)) == (True, document.origin.position(document.text.index("105%")))


@pytest.mark.parametrize(("first_line", "shown"), [
    ("人大紫陽街道工委2022年工作報告", "人大紫陽街道工委2022年工作報告"),  # traditional, as written
    ("人大紫阳街道工委２０２２年工作报告", "人大紫阳街道工委２０２２年工作报告"),  # full-width digits, as written
    ("\u3000人大紫阳街道工委2022年\u00a0工作报告", "人大紫阳街道工委2022年 工作报告"),  # its spaces as read
    ("人大紫阳街道工委2022年工作报告", "人大紫阳街道工委2022年工作报告"),
])
def test_a_title_is_shown_as_its_source_writes_it_and_read_folded(first_line, shown):
    from checks.analyze import analyze
    from validators.judge import result_of

    [document] = documents_from_source(source_from_text("t.txt", f"{first_line}\n一、主要工作\n正文。\n"))
    result = result_of(analyze(document), (), None)
    assert ("紫阳", 2022, "report", shown) == (document.committee, document.year, document.kind, result.title)


# Texts whose lines fold, strip and join in every way a line can: full-width forms and odd spaces around and
# inside a line, a tab indent, a line of spaces only, traditional characters, a paragraph cut at a page end.
ODD_LINES = [
    "人大紫陽街道工委2022年工作報告\n\u3000\u3000一、２０２２年工作完成情況\n選民滿意度達105%。\n",
    "\ufeff标题\n\t组织代表（１２名）开展视察\u00a0活动，收集意见\u200b建议３６条，\n全部转交办理。\u3000\n",
    "\u3000\u2002\u2003\n\n\n　 一段很长的正文被页末截断了而没有任何句末标点符号在这\n里继续写完。\n　\n",
    "",
    "   \n\t\n",
    "ＡＢＣ：ｘｙｚ？！\r\n第二行\r第三行",
]


@pytest.mark.parametrize("text", ODD_LINES)
def test_a_text_read_whole_gives_the_documents_its_lines_give_read_one_piece_each(text):
    """A text is folded at once, not line by line: its documents, characters and places are the same."""
    source = source_from_text("odd.txt", text)
    pieces = [[Piece(line, number, 1)] for number, line in enumerate(source.lines, start=1)]
    assert documents_from_source(source, pieces) == documents_from_source(source)


@pytest.mark.parametrize("path", [VOLUME, ZIYANG_2018, XUJIAPENG_2024])
def test_a_file_read_whole_gives_the_documents_its_lines_give_read_one_piece_each(path):
    source = read_source(str(path), 10**8)
    pieces = [[Piece(line, number, 1)] for number, line in enumerate(source.lines, start=1)]
    assert documents_from_source(source, pieces) == documents_from_source(source)


@pytest.mark.parametrize("text", [*ODD_LINES, "".join(map(chr, FOLD)), "臺灣選舉　ｘ\t"])
def test_folding_a_text_folds_each_of_its_characters_alone(text):
    assert "".join(normalize.fold(character) for character in text) == normalize.fold(text)


def test_the_table_of_traditional_characters_is_opencc_s_conversion():
    """``crawler/data/traditional.txt`` pairs each character as OpenCC's t2s converts it (``make traditional``)."""
    pytest.importorskip("opencc", reason="OpenCC (a test dependency) is what the table is made from")
    from traditional import TABLE, opencc_text

    def pairs(text):
        return [line for line in text.splitlines() if not line.startswith("#")]

    assert pairs(opencc_text()) == pairs(TABLE.read_text(encoding="utf-8")), "the table is stale: run make traditional"
