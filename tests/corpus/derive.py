"""Derive the labelled corpus from the seeds: copies of real reports with defects put in by hand.

Each case names a seed report, the edits made to it, and for each edit the rules that must fire on the
line the edit lands on (an empty tuple: a look-alike that no rule may flag). The labels are the edits'
intent, written here, never the tool's output. Run it to rebuild ``tests/corpus/`` after changing a case:

    .venv/bin/python tests/corpus/derive.py

Files are written with the encodings and line ends users send, so positions are tested across them.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
EXAMPLES = HERE.parents[1] / "examples" / "reports"

# (start line, end line) of each report in the compiled volume, 1-based, inclusive.
VOLUME_REPORTS = {
    "杨园": (17, 51), "徐家棚": (52, 84), "积玉桥": (85, 118), "中华路": (119, 151), "粮道街": (152, 183),
    "黄鹤楼": (184, 216), "紫阳": (217, 253), "白沙洲": (254, 286), "首义路": (287, 317), "中南路": (318, 366),
    "水果湖": (367, 412), "珞珈山": (413, 440), "南湖": (441, 465),
}

# name: (seed report, encoding, line end, [(old, new, rules expected on new's line)], extra runs-with)
CASES: dict[str, tuple[str, str, str, list[tuple[str, str, tuple[str, ...]]]]] = {
    "placeholder-title": ("杨园", "utf-8", "\n", [
        ("人大杨园街道工委2022年工作报告", "人大***街道工委2022年工作报告", ("placeholder",)),
        ("4名人大代表的补选工作", "×× 名人大代表的补选工作", ("placeholder",)),
        ("组织代表远程学习", "组织代表远程学习（X光机操作规程除外，1+4+16+N）", ()),
    ]),
    "placeholder-body": ("徐家棚", "gb18030", "\r\n", [
        ("组织完成6位代表回原选区述职", "组织完成*位代表回原选区述职", ("placeholder",)),
        ("街道及16个社区代表", "XX街道及**社区代表", ("placeholder",)),
        ("9 月6日在金沙社区", "X月X日在某某社区", ("placeholder",)),
        ("自换届以来，代表们踊跃建言", "自20XX年换届以来，代表们踊跃建言", ("placeholder",)),
        ("提交大会建议17条", "提交大会建议17条（含QQ群、Excel表收集的3×4类意见）", ()),
    ]),
    "placeholder-fullwidth": ("积玉桥", "utf-16", "\r\n", [
        ("12个社区代表联络站", "＊＊个社区代表联络站", ("placeholder",)),
        ("发出2封《致人大代表的一封信》", "发出２封《致人大代表的一封信》", ()),
    ]),
    "section-missing-shortcomings": ("中华路", "utf-8-sig", "\n", [
        ("二、工作中的不足", "", ("section-missing",)),
    ]),
    "section-missing-plans": ("粮道街", "utf-8", "\r", [
        ("三、2023年主要工作打算", "", ("section-missing",)),
    ]),
    "section-missing-work": ("首义路", "utf-8", "\n", [
        ("一、2022年主要工作完成情况及特色亮点", "", ("section-missing",)),
    ]),
    "section-worded-differently": ("黄鹤楼", "utf-8", "\n", [
        ("一、2022年主要工作完成情况", "一、围绕中心，服务大局", ()),
        ("二、存在不足", "二、需要改进的地方和短板", ()),
        ("三、2023年工作思路", "三、下一步的努力方向", ()),
    ]),
    "rate-range": ("白沙洲", "utf-8", "\n", [
        ("实现了选民参与率82.01%", "实现了选民参与率182.01%", ("stat-rate-range",)),
        ("候选人得票率99.39%", "候选人得票率百分之一百零五", ("stat-rate-range",)),
        ("组织初任代表进行集中培训", "组织初任代表进行集中培训，培训人次同比增长126%，完成目标的135%，覆盖率100%", ()),
    ]),
    "rate-range-satisfaction": ("徐家棚", "utf-8", "\n", [
        ("代表建议满意度最终测评达100%", "代表建议满意度最终测评达105%", ("stat-rate-range",)),
    ]),
    "part-whole-share": ("白沙洲", "utf-8", "\n", [
        ("占代表总数63%", "占代表总数83%", ("stat-part-whole",)),
    ]),
    "part-whole-part": ("白沙洲", "utf-8", "\n", [
        ("其中初任代表12名，占代表总数63%", "其中初任代表21名，占代表总数63%", ("stat-part-whole",)),
    ]),
    "part-whole-sum": ("粮道街", "gb18030", "\n", [
        ("共开展“三进”活动22场", "共开展“三进”活动12场", ("stat-part-whole",)),
    ]),
    "part-whole-consistent": ("珞珈山", "utf-8", "\n", [
        ("其中：属于街职权范围14件、区职权范围6件", "其中：属于街职权范围9件、区职权范围6件", ()),
    ]),
    "year-mismatch-plans": ("杨园", "utf-8", "\n", [
        ("三、2023年工作打算", "三、2022年工作打算", ("year-mismatch",)),
        ("完成街道2022年度人大代表学习计划", "完成街道2022年度人大代表学习计划，自2021年换届以来持续推进", ()),
    ]),
    "year-mismatch-work": ("积玉桥", "utf-8", "\n", [
        ("一、2022年主要工作完成情况", "一、2021年主要工作完成情况", ("year-mismatch",)),
    ]),
    "artifact-conversion": ("首义路", "utf-8", "\n", [
        ("二、工作中存在的不足", "第 3 页 共 5 页\n二、工作中存在的不足", ("artifact",)),
        ("一是加强培训学习。", "一是加强培训学习锟斤拷。", ("artifact",)),
        ("（二）积极建言献策，视察调研求实效", "（二）积极建言献策&nbsp;视察调研求实效", ("artifact",)),
        ("（三）发挥主体作用，助力发展有实效", "　　（三）发挥主体作用，助力发展有实效", ()),
    ]),
    "artifact-scrape": ("中南路", "utf-8", "\n", [
        ("一、", "扫一扫在手机打开当前页\n一、", ("artifact",)),
        ("二、", "[图片]\n二、", ("artifact",)),
        ("。", "。<br>", ("artifact",)),
    ]),
    "section-numbering": ("水果湖", "utf-8", "\n", [
        ("三、2023年工作思路", "四、2023年工作思路", ("section-numbering",)),
    ]),
    "committee-name": ("南湖", "utf-8", "\n", [
        ("人大南湖街道工委结合街情实际", "人大南湖街街道工委结合街情实际", ("committee-name",)),
    ]),
    "committee-name-street-ending-in-jie": ("粮道街", "utf-8", "\n", [
        ("人大粮道街工委", "人大粮道街街道工委", ()),
    ]),
    "committee-mismatch": ("紫阳", "utf-8", "\n", [
        ("2022年，人大紫阳街道工委", "2022年，人大水果湖街道工委", ("committee-mismatch",)),
    ]),
    "duplicate-copy": ("杨园", "utf-8", "\n", [
        ("人大石洞街道工委2022年工作报告", "人大石洞街道工委2022年工作报告", ("duplicate-report",)),
    ]),
    "meeting-term": ("seed:wcrd-2018-ziyang-report.txt", "utf-8", "\r\n", [
        ("第十五届人民代表大会常务委员会第十六次会议上", "第十六届人民代表大会常务委员会第十六次会议上", ("meeting-term",)),
    ]),
    "meeting-term-after": ("seed:wcrd-2018-ziyang-report.txt", "utf-8", "\n", [
        ("(2018年12月25日在武昌区第十五届", "(2022年12月25日在武昌区第十五届", ("meeting-term",)),
    ]),
    # The next year's report of a street, written over last year's: one count ten times what it was, one close.
    "stat-trend": ("白沙洲", "utf-8", "\n", [
        ("人大白沙洲街道工委2022年工作报告", "人大白沙洲街道工委2023年工作报告", ()),
        ("三、2023年工作思路", "三、2024年工作思路", ()),
        ("形成代表建议34条", "形成代表建议340条", ("stat-trend",)),
    ]),
    "stat-trend-steady": ("白沙洲", "gb18030", "\r\n", [
        ("人大白沙洲街道工委2022年工作报告", "人大白沙洲街道工委2023年工作报告", ()),
        ("三、2023年工作思路", "三、2024年工作思路", ()),
        ("形成代表建议34条", "形成代表建议60条", ()),
        ("区人大代表19名", "区人大代表19名", ()),
    ]),
    "rate-look-alikes": ("seed:wcrd-2018-ziyang-report.txt", "gb18030", "\n", [
        ("全年向人大代表发放", "全年组织活动同比增长126%，超额完成年度任务，完成率135%，参与率提高到95%，向人大代表发放", ()),
        ("接待选民129人", "接待选民129人，选民满意率达百分之九十八", ()),
    ]),
}
# A copy is a near-duplicate only beside its original: this case runs with the volume.
RUNS_WITH = {"duplicate-copy": ["seed:wuchang-2022-street-reports-volume.txt"],
             # A change across years needs the year before: last year's reports are in the volume.
             "stat-trend": ["seed:wuchang-2022-street-reports-volume.txt"],
             "stat-trend-steady": ["seed:wuchang-2022-street-reports-volume.txt"]}
# Edits applied to every occurrence in the copy, not only the first (a template reused for another street).
REPLACE_ALL = {"duplicate-copy": [("杨园", "石洞")]}

# The real defects the seeds hold, found by reading them, carried into every copy that keeps them.
VOLUME_DEFECTS = (
    ("committee-name", "街街道工委充分践行"), ("artifact", "##paidbegin##"), ("artifact", "##paidend##"),
    # The 2018 report's 其中 list sums to 29 of 16 submissions.
    ("stat-part-whole", "目前投稿数16篇"),
    # The 2018 report was saved with the district site's breadcrumb and its toolbar on the date line.
    ("artifact", "首页 > 重要发布 > 会议文件"), ("artifact", "发布时间:2018-12-27 15:41"),
)
# Findings that follow from an edit elsewhere: removing 二、 leaves 一、 then 三、.
CONSEQUENCES = {
    "section-missing-shortcomings": [("section-numbering", "三、2023年工作打算")],
    "section-missing-work": [("section-numbering", "二、工作中存在的不足")],
    # A report written over last year's is a near-copy of it, beside it in the run.
    "stat-trend": [("duplicate-report", "人大白沙洲街道工委2023年工作报告")],
    "stat-trend-steady": [("duplicate-report", "人大白沙洲街道工委2023年工作报告")],
}

# The real defects the seeds hold, found by reading them: (rule, line).
SEED_LABELS = {
    "wuchang-2022-street-reports-volume.txt": [("committee-name", 38), ("artifact", 40), ("artifact", 464)],
    "wcrd-2018-ziyang-report.txt": [("artifact", 1), ("artifact", 3), ("stat-part-whole", 63)],
    # The article was saved with the provincial site's login bar, breadcrumb, toolbar on the source line,
    # and editor footer.
    "hppc-2024-xujiapeng-article.txt": [("artifact", 1), ("artifact", 3), ("artifact", 7), ("artifact", 43)],
}


def district_page(seeds: Path) -> tuple[str, list[dict]]:
    """The 2018 report as the district site serves it (Epoint markup, Word-exported paragraphs), with
    ``*条`` blanked into it; labels point into the HTML file itself."""
    body = (seeds / "wcrd-2018-ziyang-report.txt").read_text(encoding="utf-8").split("\n")
    paragraphs = [line.replace("6条区十五届", "*条区十五届") for line in body[5:] if line.strip()]
    rows = "\n".join(
        f'<p class="MsoNormal" style="text-indent:2em"><span style="font-family:仿宋">{p}</span></p>'
        for p in paragraphs)
    page = (
        '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>人大紫阳街工委2018年度工作报告-武昌区人大</title>\n'
        "<style>.ewb-article { margin: 0 auto; }</style></head>\n<body>\n"
        '<div class="ewb-location">首页 &gt; 重要发布 &gt; 会议文件</div>\n'
        '<div class="ewb-article">\n<h3>人大紫阳街工委2018年度工作报告</h3>\n'
        '<div class="ewb-article-sources">发布时间：2018-12-27 15:41 &nbsp; 打印 &nbsp; 阅读次数：'
        '<span id="infoViewCount"></span></div>\n<div class="ewb-article-info"><div id="infoContentM">\n'
        '<p align="center">(2018年12月25日在武昌区第十五届人民代表大会常务委员会第十六次会议上)</p>\n'
        f"{rows}\n</div></div></div>\n</body></html>\n"
    )
    lines = page.split("\n")
    labels = [{"rule": "placeholder", "line": next(n for n, text in enumerate(lines, 1) if "*条" in text)},
              {"rule": "stat-part-whole", "line": next(n for n, text in enumerate(lines, 1) if "目前投稿数16篇" in text)}]
    return page, labels


def report_lines(volume: list[str], street: str, seeds: Path) -> list[str]:
    if street.startswith("seed:"):
        return (seeds / street.removeprefix("seed:")).read_text(encoding="utf-8").split("\n")
    start, end = VOLUME_REPORTS[street]
    return volume[start - 1 : end]


def derive(seeds: Path) -> dict:
    volume = (seeds / "wuchang-2022-street-reports-volume.txt").read_text(encoding="utf-8").split("\n")
    labels: dict = {"cases": {}}
    for name, (street, encoding, line_end, edits) in CASES.items():
        text = "\n".join(report_lines(volume, street, seeds)).rstrip("\n") + "\n"
        for old, new in REPLACE_ALL.get(name, []):
            text = text.replace(old, new)
        expected = []
        for old, new, rules in edits:
            if old not in text:
                raise SystemExit(f"{name}: {old!r} is not in the {street} report")
            if new == "":
                # Remove the heading and the paragraphs under it, up to the next level-1 heading.
                lines = text.split("\n")
                start = lines.index(old)
                end = next((i for i in range(start + 1, len(lines))
                            if lines[i][:2] in ("一、", "二、", "三、", "四、")), len(lines))
                text = "\n".join(lines[:start] + lines[end:])
                expected.extend({"rule": rule, "line": 1} for rule in rules)
                continue
            position = text.index(old)
            text = text[:position] + new + text[position + len(old):]
            # The defect stands on the line where the edit's first line lands.
            line = text[:position].count("\n") + 1
            expected.extend({"rule": rule, "line": line} for rule in rules)
        for rule, words in (*VOLUME_DEFECTS, *CONSEQUENCES.get(name, ())):
            if words in text:
                expected.append({"rule": rule, "line": text[: text.index(words)].count("\n") + 1})
        path = HERE / f"{name}.txt"
        path.write_bytes(text.replace("\n", line_end).encode(encoding))
        labels["cases"][name] = {"file": path.name, "encoding": encoding, "expected": expected,
                                 "runs_with": RUNS_WITH.get(name, [])}
    # The saved page is also an example for `wrqa validate examples/reports/`: one file serves both.
    page, expected = district_page(seeds)
    (EXAMPLES / "district-page-2018.html").write_text(page, encoding="utf-8")
    labels["cases"]["district-page-2018"] = {"file": "../../examples/reports/district-page-2018.html",
                                              "encoding": "utf-8", "expected": expected, "runs_with": []}
    labels["seeds"] = {name: [{"rule": r, "line": n} for r, n in found] for name, found in SEED_LABELS.items()}
    (HERE / "labels.json").write_text(json.dumps(labels, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return labels


if __name__ == "__main__":
    derive(Path(sys.argv[1] if len(sys.argv) > 1 else HERE.parent / "data" / "seeds"))
