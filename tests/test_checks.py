"""The checks: what figures, relations, headings and committees they find in a document."""

from __future__ import annotations

import random
import re
import tempfile

import numpy as np
import pytest
from seeds import VOLUME

from checks import duplicates as duplicates_module
from checks import statistics as statistics_module
from checks.duplicates import (
    BANDS,
    PERMUTATIONS,
    RECENT,
    ROWS,
    NearCopyIndex,
    band_keys,
    document_signature,
    near_duplicates,
)
from checks.sections import headings, sections_of
from checks.statistics import classify_percent, relations, statistics
from crawler.domain import STREETS, committee_key, document_kind
from crawler.files import read_source, source_from_text
from crawler.normalize import documents_from_source


def document(body: str, title: str = "人大紫阳街道工委2022年工作报告"):
    [found] = documents_from_source(source_from_text("t.txt", f"{title}\n{body}\n"))
    return found


@pytest.mark.parametrize(
    ("clause", "kind"),
    [
        ("选民满意度测评达", "rate"),
        ("实现了选民参与率", "rate"),
        ("其中初任代表12名,占代表总数", "rate"),
        ("办复率", "rate"),
        ("同比增长", "growth"),
        ("较上年提高了", "growth"),
        ("参与率提高到", "rate"),
        ("完成目标的", "fulfilment"),
        ("超额完成年度任务,完成率", "fulfilment"),
        ("达到", "percent"),
    ],
)
def test_a_percentage_is_classified_by_the_words_before_it(clause, kind):
    assert kind == classify_percent(clause)[0]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("选民满意度测评达百分之一百零五。", [("rate", 105.0)]),
        ("参与率８２．０１％。", [("rate", 82.01)]),
        ("营业收入增长126%。", [("growth", 126.0)]),
    ],
)
def test_percentages_are_read_in_arabic_full_width_and_chinese_numerals(body, expected):
    found = [(s.kind, s.value) for s in statistics(document(body)) if s.unit == "%"]
    assert expected == found


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("区人大代表19名，其中初任代表12名，占代表总数63%。", [("part", 12, 19, None), ("share", 12, 19, 63)]),
        ("共开展活动22场，其中，进企业6场、进社区11场、进选区5场，收集意见70余条。",
         [("part", 6, 22, None), ("part", 11, 22, None), ("part", 5, 22, None), ("parts-sum", 22, 22, None)]),
        ("共提出口头建议11件、书面建议12件，其中：属于街职权范围14件、区职权范围6件、市职权范围3个。",
         [("part", 14, 23, None), ("part", 6, 23, None), ("parts-sum", 20, 23, None)]),
        ("共收集意见30余条，其中解决20条。", []),
        ("解决民生问题18件，其中理工大社区加装电梯等问题得以解决。", []),
    ],
)
def test_part_whole_relations_come_from_gong_qizhong_sentences_and_shares(body, expected):
    found_document = document(body)
    found = [(r.relation, r.part, r.whole, r.stated)
             for r in relations(found_document, statistics(found_document))]
    assert expected == found


def test_the_three_parts_are_found_even_when_worded_differently():
    body = "一、围绕中心，服务大局\n（一）抓学习\n二、需要改进的短板\n三、下一步的努力方向"
    assert ("work", "shortcomings", "plans") == sections_of(headings(document(body)))


def test_a_report_without_its_shortcomings_has_only_two_parts():
    body = "一、2022年工作完成情况\n正文。\n二、2023年工作思路\n正文。"
    assert ("work", "plans") == sections_of(headings(document(body)))


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("人大紫阳街工委", "紫阳"), ("人大紫阳街道工委", "紫阳"), ("区人大紫阳街道工委", "紫阳"),
        ("武昌区人大常委会紫阳街道工委", "紫阳"), ("人大粮道街道工委", "粮道街"), ("人大粮道街街道工委", "粮道街"),
        ("人大杨园街街道工委", "杨园"), ("人大紫阳街道人大工委", "紫阳"), ("人大赋予人大街道工委的各项任务", None),
        ("推动紫阳街道人大工委开展工作", "紫阳"), ("紫阳街道党工委", None),
    ],
)
def test_every_spelling_of_a_committee_has_the_same_street_key(text, key):
    assert key == committee_key(text)


@pytest.mark.parametrize(
    ("title", "author", "kind"),
    [
        ("人大紫阳街工委2018年度工作报告", "人大紫阳街工委", "report"),
        ("人大紫阳街工委2018年度工作报告", "区人大常委会办公室", "other"),
        ("武汉市武昌区人大徐家棚街道工委凝聚代表力量 缔造幸福生活", None, "article"),
        ("关于2019年区级预算的报告", None, "other"),
        ("紫阳街道人大工委2022年工作报告", None, "report"),
        ("武昌区紫阳街道人大工委2022年度工作报告", "紫阳街道人大工委", "report"),
        ("人大***街道工委2022年工作报告", "人大***街道工委", "report"),
        ("紫阳街道工委2022年工作报告", None, "other"),
    ],
)
def test_a_report_is_known_by_its_title_and_author_line_not_by_its_words(title, author, kind):
    assert kind == document_kind(title, author)


def test_reports_of_different_streets_are_not_near_copies_but_a_reused_template_is():
    reports = documents_from_source(read_source(str(VOLUME), 10**8))
    copy_text = "\n".join(reports[0].source.lines[16:51]).replace("杨园", "石洞").replace("30余", "25余")
    copy = documents_from_source(source_from_text("copy.txt", copy_text))
    result = near_duplicates([document_signature(document) for document in [*reports, *copy]])
    assert [None] * 13 == [other for other, _ in result[:13]]
    assert max(similarity for _, similarity in result[:13]) < 0.3
    assert (0, True) == (result[13][0], result[13][1] > 0.9)


def _nearest_by_rereading(signatures):
    """The index's answer worked out from scratch for each document: the earlier ones sharing one of its bands,
    the latest ``RECENT`` of each band, and of those the one most alike (the first of equals)."""
    keys = [band_keys(signature) for signature in signatures]
    answers = []
    for index, signature in enumerate(signatures):
        candidates = set()
        for band in range(BANDS):
            sharing = [other for other in range(index) if keys[other][band] == keys[index][band]]
            candidates.update(sharing[-RECENT:])
        best = (None, 0.0)
        for other in sorted(candidates):
            similarity = float(np.mean(signatures[other].astype(np.uint32) == signature.astype(np.uint32)))
            if similarity > best[1] or best[0] is None:
                best = (other, similarity)
        answers.append(best)
    return answers


def test_the_near_copy_index_finds_what_rereading_every_earlier_document_finds(tmp_path, monkeypatch):
    """Copies of copies, a template copied more often than a bucket's chain is followed, documents alike in one
    band only: the index on disk answers each as reading every earlier document would, and leaves no file."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    rng = np.random.default_rng(2022)
    signatures = list(rng.integers(0, 2**63, size=(600, PERMUTATIONS), dtype=np.uint64))
    for index in range(100, 600, 3):  # a copy of an earlier document, a few minimums changed
        signatures[index] = signatures[int(rng.integers(0, index))].copy()
        signatures[index][rng.integers(0, PERMUTATIONS, size=6)] ^= np.uint64(77)
    for index in range(300, 600, 10):  # one template copied thirty times: its bands' chains run long
        signatures[index] = signatures[300].copy()
        signatures[index][rng.integers(0, PERMUTATIONS, size=40)] ^= np.uint64(index)
    for index in range(500, 600, 7):  # alike in their first band alone
        signatures[index][:ROWS] = signatures[index - 1][:ROWS]
    # Nine documents alike in their first band: the ninth is most like the first, which only the band's chain
    # followed its whole length (``RECENT`` members) reaches (a row of each other band differs).
    group = list(range(201, 300, 11))[:RECENT + 1]
    band = rng.integers(0, 2**63, size=ROWS, dtype=np.uint64)  # of none of the copies made above
    for index in group:
        signatures[index][:ROWS] = band
    signatures[group[-1]][ROWS:] = signatures[group[0]][ROWS:]
    signatures[group[-1]][ROWS::ROWS] ^= np.uint64(5)
    index = NearCopyIndex()
    try:
        assert [] == list(tmp_path.iterdir())  # the database is open, its file already unnamed
        found = [index.add(signature) for signature in signatures]
    finally:
        index.close()
    assert _nearest_by_rereading(signatures) == found
    assert (group[0], 1 - (BANDS - 1) / PERMUTATIONS) == found[group[-1]]
    assert 150 < sum(other is not None for other, _ in found)
    assert [] == list(tmp_path.iterdir())


def test_a_malformed_chinese_numeral_is_no_figure_rather_than_a_crash():
    assert [] == [s for s in statistics(document("满意度达百分之二十六二十六。")) if s.unit == "%"]


def _relations(body: str) -> list[tuple[str, float, float, float | None]]:
    [document] = documents_from_source(source_from_text("r.txt", "人大紫阳街道工委2022年工作报告\n" + body + "\n"))
    return [(r.relation, r.part, r.whole, r.stated) for r in relations(document, statistics(document))]


@pytest.mark.parametrize(("body", "expected"), [
    # Siblings after 其中 are summed.
    ("共接待选民30人次，其中来访12人次、来电10人次。", [("part", 12, 30, None), ("part", 10, 30, None),
                                            ("parts-sum", 22, 30, None)]),
    # A part naming a range holds the parts after it: no sum.
    ("辖区共有居民5000人，其中年满18周岁的4000人，已登记选民3500人。", [("part", 4000, 5000, None),
                                                  ("part", 3500, 5000, None)]),
    # Ratings of the closed cases are summed apart from the other parts.
    ("共受理来信100件，其中办结70件、转办20件、满意60件、基本满意8件、不满意2件。",
     [("part", 70, 100, None), ("part", 20, 100, None), ("part", 60, 100, None), ("part", 8, 100, None),
      ("part", 2, 100, None), ("parts-sum", 90, 100, None), ("parts-sum", 70, 100, None)]),
    # The parentheses break one part down; they are not its siblings.
    ("共登记选民900人，其中本辖区800人，外来人员100人（务工60人，经商40人）。",
     [("part", 800, 900, None), ("part", 100, 900, None), ("part", 60, 900, None), ("part", 40, 900, None),
      ("parts-sum", 900, 900, None)]),
    # 其中 opening a sentence breaks down the last count of the sentence before.
    ("全年收到建议50件。其中交通类12件，教育类8件。", [("part", 12, 50, None), ("part", 8, 50, None),
                                        ("parts-sum", 20, 50, None)]),
    # A share stated after a count is checked against the total an earlier sentence gives.
    ("全年共收到建议40件。已办结的30件，占75%；正在办理的10件，占25%。",
     [("share", 30, 40, 75.0), ("share", 10, 40, 25.0)]),
    # A count with a share of its own is a part, not the whole of the next share.
    ("一类信件共50件，占总量的25%；二类信件共40件，占总量的20%。", []),
])
def test_parts_are_summed_only_when_they_are_siblings_of_one_whole(body, expected):
    assert expected == _relations(body)


@pytest.mark.parametrize(("body", "expected"), [
    ("共组织视察十二次，其中专题视察十五次。", [("count", 12.0, "次"), ("count", 15.0, "次")]),
    ("全年接待选民二十五名，走访一百二十户。", [("count", 25.0, "名"), ("count", 120.0, "户")]),
    ("召开第三次会议，每两次检查一次，落实两个维护，几名代表和数十件建议。", []),
])
def test_counts_in_chinese_numerals_are_read_and_ordinals_are_not(body, expected):
    [document] = documents_from_source(source_from_text("r.txt", "人大紫阳街道工委2022年工作报告\n" + body + "\n"))
    assert expected == [(s.kind, s.value, s.unit) for s in statistics(document) if s.unit != "%"]


def test_a_copy_with_its_names_and_figures_blanked_is_a_near_copy_of_its_original():
    reports = documents_from_source(read_source(str(VOLUME), 10**8))
    original = "\n".join(reports[0].source.lines[16:51])
    template = re.sub(r"\d+", "*", original.replace("杨园", "***"))  # every figure blanked
    template = re.sub(r"[\u4e00-\u9fff]{2}社区", "某某社区", template)  # and every community's name
    copy = documents_from_source(source_from_text("template.txt", template))
    result = near_duplicates([document_signature(document) for document in [reports[0], *copy]])
    assert (0, True) == (result[1][0], result[1][1] > 0.9)


# The count patterns as one would write them plainly; the module's open on their first character instead.
_NUMERALS = "一二两三四五六七八九十百千"
PLAIN = {
    "COUNT": rf"(?<![\d.])(?P<value>\d+)\s*(?P<approx>余|多)?\s*(?P<unit>{statistics_module.UNITS})(?!(?:月|日|年|号))",
    "CHINESE_COUNT": rf"(?<![第每再这那哪某同单上下前后几数多第零〇{_NUMERALS}万])(?P<value>[{_NUMERALS}]{{2,6}}|[二两三四五六七八九十])"
                     + statistics_module.CHINESE_COUNT.pattern[statistics_module.CHINESE_COUNT.pattern.index(r"\s*"):],
}


def _count_texts() -> list[str]:
    from pathlib import Path

    tests = Path(__file__).resolve().parent
    texts = [read_source(str(path), 10**8).text for path in sorted(tests.glob("corpus/**/*.txt"))
             + sorted((tests / "data" / "seeds").glob("*.txt"))]
    rng = random.Random("counts")
    pieces = [*_NUMERALS, *"0123456789.. 第每几数多万余个名次件人月日%", "百分之", "人次", "十二", "3.5", "12名"]
    return texts + ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 12))) for _ in range(30_000)]


@pytest.mark.parametrize("name", sorted(PLAIN))
def test_a_count_pattern_finds_what_its_plain_form_finds(name):
    """Opening on its first character's class changes nothing of what a count pattern finds, or where."""
    texts = _count_texts()
    plain, pattern = re.compile(PLAIN[name]), getattr(statistics_module, name)
    assert [[(m.span(), m.groupdict()) for m in plain.finditer(text)] for text in texts] == [
        [(m.span(), m.groupdict()) for m in pattern.finditer(text)] for text in texts]


# The near-copy mask as one would write it plainly; the module's opens on each alternative's first character.
PLAIN_MASK = ("|".join(sorted(STREETS, key=len, reverse=True))
              + r"|\d+(?:\.\d+)?|\s+|\*+|[Xx×]{2,}|[Xx×](?=[\u4e00-\u9fff])|(?:某某)+|_{2,}|…+")


def test_the_near_copy_mask_masks_what_its_plain_form_masks():
    """Opening on its first characters' class changes nothing of what the mask replaces: the same texts out."""
    rng = random.Random("mask")
    pieces = [*STREETS, *"中南路湖石洞 \n\t\u300012.3某X×x_…*，。a", "某某某", "XX", "×份", "街道", "中心"]
    texts = _count_texts()[:200] + ["".join(rng.choice(pieces) for _ in range(rng.randint(1, 40)))
                                    for _ in range(20_000)]
    plain = re.compile(PLAIN_MASK)
    assert [plain.sub("#", text) for text in texts] == [duplicates_module._MASK.sub("#", text) for text in texts]


def test_every_percentage_is_written_with_a_percent_sign_or_in_words():
    found = [m.group() for text in _count_texts() for m in statistics_module.PERCENT.finditer(text)]
    assert ([True] * len(found), True) == (["%" in text or "百分之" in text for text in found], len(found) > 100)


@pytest.mark.parametrize("sentence_break", list(";；。!！?？\n"))
def test_a_list_after_any_sentence_break_breaks_down_the_count_before_it(sentence_break):
    text = f"人大紫阳街道工委2022年工作报告\n共收到建议20件{sentence_break}其中采纳12件，办理8件。另有3件。\n"
    [document] = documents_from_source(source_from_text("r.txt", text))
    assert [("part", 12.0, 20.0), ("part", 8.0, 20.0), ("parts-sum", 20.0, 20.0)] == [
        (r.relation, r.part, r.whole) for r in relations(document, statistics(document))]


@pytest.mark.parametrize(("body", "expected"), [
    ("共立案71件；办结20件，占29.8%。\n另立案9件，其中采纳3件。", [("share", 20.0, 71.0, 27), ("part", 3.0, 9.0, 49)]),
    ("共立案71件；办结20件，满意率98%。\n另立案9件。", []),
])
def test_only_the_sentences_with_a_list_or_a_share_give_relations(body, expected):
    [document] = documents_from_source(source_from_text("r.txt", f"人大紫阳街道工委2022年工作报告\n{body}\n"))
    assert expected == [(r.relation, r.part, r.whole, r.offset) for r in relations(document, statistics(document))]
