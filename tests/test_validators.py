"""The validators: each rule fires where it must, at the right place; both engines agree; engines fail loudly."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from accuracy import CORPUS
from seeds import SEEDS, VOLUME

from checks.analyze import analyze
from checks.duplicates import near_duplicates
from checks.frames import DTYPES, Frames, build_frames
from checks.marks import PatternMarker
from crawler.files import source_from_text
from crawler.local import load_documents
from crawler.normalize import documents_from_source
from validators import engines_for, validate
from validators.catalogue import RULES, Bounds
from validators.errors import ExpectationError, FrameContractError
from validators.plan import markers, plan
from validators.schemas import judge
from validators.suite import run_suite

REPORT = """人大紫阳街道工委2022年工作报告
一、2022年工作完成情况
{work}
二、存在不足
一是学习不够。
三、2023年工作思路
{plans}
"""


def findings(text: str):
    documents = documents_from_source(source_from_text("r.txt", text))
    return [(f.rule, f.line, f.column, f.excerpt) for f in validate(documents).findings]


@pytest.mark.parametrize(
    ("work", "expected"),
    [
        ("人大***街道工委组织完成*位代表述职。", [("placeholder", 3, 3, "***"), ("placeholder", 3, 14, "*")]),
        ("XX街道于X月X日召开会议，××次。", [("placeholder", 3, 1, "XX"), ("placeholder", 3, 6, "X月X日"),
                                       ("placeholder", 3, 15, "××")]),
        ("打造“1+4+16+N”平台，开展X光机检查，3×4方阵。", []),
        ("选民满意度测评达105%。", [("stat-rate-range", 3, 9, "105%")]),
        ("参与率为百分之一百零五。", [("stat-rate-range", 3, 5, "百分之一百零五")]),
        ("产值同比增长126%，完成目标的135%，满意度100%。", []),
        ("区人大代表19名，其中初任代表12名，占代表总数83%。", [("stat-part-whole", 3, 16, "12名，占代表总数83%")]),
        ("区人大代表19名，其中初任代表12名，占代表总数63%。", []),
        ("共开展活动12场，其中进企业6场、进社区11场。", [("stat-part-whole", 3, 6, "12场，其中进企业6场、进社区11场")]),
        ("共开展活动22场，其中进企业6场、进社区11场。", []),
        ("##paidbegin##第 3 页 共 5 页&nbsp;锟斤拷", [("artifact", 3, 1, "##paidbegin##"), ("artifact", 3, 14, "第 3 页 共 5 页"),
                                               ("artifact", 3, 25, "&nbsp;"), ("artifact", 3, 31, "锟斤拷")]),
        ("\u3000\u3000正文缩进不是残留。", []),
        ("人大紫阳街街道工委召开会议，粮道街街道办事处参加。", [("committee-name", 3, 5, "街街道")]),
        ("自2021年换届以来，工作稳步推进。", []),
    ],
)
def test_each_rule_fires_at_the_words_and_stays_silent_on_look_alikes(work, expected):
    assert expected == findings(REPORT.format(work=work, plans="继续努力。"))


def test_a_wrong_year_in_the_plans_heading_is_a_year_mismatch_at_the_heading():
    text = REPORT.format(work="正文。", plans="正文。").replace("三、2023年工作思路", "三、2022年工作思路")
    assert [("year-mismatch", 6, 1, "三、2022年工作思路")] == findings(text)


def test_a_missing_part_is_reported_once_at_the_title_line_with_the_part_named():
    text = "人大紫阳街道工委2022年工作报告\n一、2022年工作完成情况\n正文。\n二、存在不足\n正文。\n"
    documents = documents_from_source(source_from_text("r.txt", text))
    [finding] = validate(documents).findings
    assert ("section-missing", 1, 1, {"section": "plans"}) == (
        finding.rule, finding.line, finding.column, {k: finding.data[k] for k in ("section",)})


def test_articles_are_not_held_to_the_three_parts_of_a_report():
    text = "武汉市武昌区人大徐家棚街道工委凝聚代表力量\n近年来，街道工委积极践行全过程人民民主。\n"
    assert [] == findings(text)


def test_fingerprints_are_stable_across_runs_and_distinct_for_repeated_words():
    text = REPORT.format(work="组织完成*位代表，另有*位代表。", plans="正文。")
    first = [f.fingerprint for f in validate(documents_from_source(source_from_text("a.txt", text))).findings]
    second = [f.fingerprint for f in validate(documents_from_source(source_from_text("b.txt", text))).findings]
    assert (first, 2) == (second, len(set(first)))


def corpus_frames():
    paths = sorted(str(path) for path in CORPUS.glob("*.txt")) + sorted(str(path) for path in SEEDS.glob("*.txt"))
    documents, errors = load_documents(paths, 10**8)
    assert [] == errors
    analyses = [analyze(document) for document in documents]
    return build_frames(analyses, near_duplicates([analysis.signature for analysis in analyses]), markers(plan()))


@pytest.fixture(scope="module")
def gx_run():
    frames = corpus_frames()
    planned = plan()
    return frames, planned, judge(frames, planned), run_suite(frames, planned)


def test_gx_and_pandera_fail_the_same_rows_of_the_labelled_corpus(gx_run):
    _, _, (pandera_failures, _), (gx_failures, _, _) = gx_run
    assert set(pandera_failures) == set(gx_failures)


def test_every_gx_expectation_fails_on_some_real_input(gx_run):
    _, planned, _, (_, results, worst) = gx_run
    failed = {result.name for result in results if not result.success}
    assert ({item.name for item in planned}, "critical") == (failed, worst)


def test_an_expectation_that_raises_is_a_tool_error_not_a_data_failure():
    frames = Frames({"statistics": pd.DataFrame({"doc": [0], "kind": ["rate"], "offset": [0], "end": [1]})}, (), [])
    with pytest.raises(ExpectationError, match="on the statistics frame"):
        run_suite(frames, plan())


def test_a_frame_that_breaks_its_contract_is_a_tool_error():
    frames = corpus_frames()
    frames.tables["statistics"].loc[0, "kind"] = "ratio"
    with pytest.raises(FrameContractError, match="statistics frame breaks its contract"):
        judge(frames, plan())


@pytest.mark.parametrize(("suite", "inputs", "engines"), [
    ("auto", 1, ("pandera",)), ("auto", 2, ("pandera", "gx")), ("pandera", 5, ("pandera",)), ("gx", 1, ("pandera", "gx")),
])
def test_gx_runs_on_batches_and_on_demand(suite, inputs, engines):
    assert engines == engines_for(suite, inputs)


def test_every_rule_of_the_catalogue_has_checks_a_severity_and_a_chinese_name_and_explanation():
    han = re.compile(r"[\u4e00-\u9fff]")
    assert [] == [rule.id for rule in RULES.values()
                  if not (rule.checks(Bounds()) and han.search(rule.name) and han.search(rule.explanation))]


def test_the_volume_findings_are_the_real_defects_it_holds():
    documents, _ = load_documents([str(VOLUME)], 10**8)
    found = [(f.rule, f.line, f.excerpt) for f in validate(documents).findings]
    assert [("committee-name", 38, "街街道"), ("artifact", 40, "##paidbegin##"), ("artifact", 464, "##paidend##")] == found


def test_the_engines_judge_alike_whether_pandera_runs_in_a_forked_child_or_beside_other_threads():
    import threading

    documents, _ = load_documents([str(VOLUME), str(SEEDS / "wcrd-2018-ziyang-report.txt")], 10**8)
    forked = validate(documents, engines=("pandera", "gx"))
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        in_process = validate(documents, engines=("pandera", "gx"))
    finally:
        release.set()
        other.join()
    summary = lambda run: ([f.fingerprint for f in run.findings], [(e.engine, e.name, e.unexpected_count) for e in run.expectations])  # noqa: E731
    assert summary(forked) == summary(in_process)


@pytest.mark.parametrize(("meeting", "expected"), [
    ("(2022年12月20日在武汉市武昌区第十五届人大常委会第8次会议上)", ["meeting-term"]),
    ("(2022年12月20日在武汉市武昌区第十六届人大常委会第8次会议上)", []),
    ("(2023年12月20日在湖北省第十四届人大常委会第7次会议上)", []),  # the province's term, not the district's
    ("(2023年12月20日在洪山区第十四届人大常委会第7次会议上)", []),  # a congress whose terms wrqa does not know
])
def test_a_meeting_is_judged_only_against_the_terms_of_the_congress_it_names(meeting, expected):
    text = REPORT.format(work="正文。", plans="正文。").replace("\n", f"\n{meeting}\n", 1)
    assert expected == [rule for rule, *_ in findings(text)]


@pytest.mark.parametrize(("work", "expected"), [
    ("中科武大?智谷建成投用。", [("artifact", 3, 5, "?")]),
    ("这项工作有没有成效？群众说了算。", []),
    ("全年受理来信共件，召开第次会议，组织代表人次。", [("placeholder", 3, 7, "共件"), ("placeholder", 3, 12, "第次"),
                                       ("placeholder", 3, 19, "代表人次")]),
    ("共有代表32名，第三次会议召开，接待人次同比增长。", []),
    ("收集问题X条，已完成X条，X街道参与。", [("placeholder", 3, 5, "X"), ("placeholder", 3, 11, "X"), ("placeholder", 3, 14, "X")]),
    ("开展X光检查，拍摄X射线片，摆出3×4方阵。", []),
    ("在本次……街道选举中，制定《……实施方案》。", [("placeholder", 3, 4, "……"), ("placeholder", 3, 15, "……")]),
    ("学习宣传、调研视察……等工作有序开展。", []),
    ("围绕'十四五“规划开展监督,,取得成效。", [("artifact", 3, 3, "'"), ("artifact", 3, 14, ",,")]),
])
def test_template_leftovers_and_copy_damage_are_caught_and_their_look_alikes_are_not(work, expected):
    assert expected == findings(REPORT.format(work=work, plans="继续努力。"))


@pytest.mark.parametrize(("body", "expected"), [
    # A numbering that starts again under a new part is not a gap.
    ("第一部分 回顾\n一、主要工作\n正文。\n二、存在不足\n正文。\n第二部分 打算\n一、2023年工作思路\n正文。\n", []),
    ("一、主要工作\n（一）学习\n（二）视察\n二、存在不足\n（一）一是\n三、2023年工作思路\n正文。\n附件1\n一、名单\n", []),
    # A heading whose bracket extraction left on the line above is damage there, not a gap one heading later.
    ("一、主要工作\n（一）学习\n（二）视察\n(\n三）监督\n二、存在不足\n正文。\n三、2023年工作思路\n正文。\n",
     [("artifact", 5, 1, "(")]),
    ("一、主要工作\n（一）学习\n（三）视察\n二、存在不足\n正文。\n三、2023年工作思路\n正文。\n",
     [("section-numbering", 4, 1, "（三）视察")]),
])
def test_numbering_restarts_under_a_new_part_and_a_split_heading_is_damage(body, expected):
    assert expected == findings("人大紫阳街道工委2022年工作报告\n" + body)


def test_the_lines_frame_counts_each_mark_on_the_line_it_starts_on():
    """A mark is counted on its line, one at a line's end too; an empty line counts none."""
    [document] = documents_from_source(source_from_text("m.txt", "标题示例标记\n\n\n一段示例标记示例标记。\n示例标记"))
    marker = PatternMarker(re.compile("示例标记|(?<=标记)$", re.M), "toy")
    frames = build_frames([analyze(document)], [(None, 0.0)], {"toy": marker})
    assert [(0, "标题示例标记", 2), (7, "一段示例标记示例标记。", 2), (19, "示例标记", 2)] == list(
        frames.tables["lines"][["offset", "text", "toy"]].itertuples(index=False, name=None))


def test_every_frame_holds_the_types_its_columns_are_declared_with():
    """Text columns stay objects (pandas would infer strings), however many rows a frame has, none too."""
    for frames in (corpus_frames(), build_frames([], [], markers(plan()))):
        declared = {name: {**DTYPES[name], **({rule: "int64" for rule in frames.text_rules} if name == "lines" else {})}
                    for name in DTYPES}
        assert declared == {name: {column: str(dtype) for column, dtype in table.dtypes.items()}
                            for name, table in frames.tables.items()}
