"""The HTML report, parsed node by node: counts, highlights, escaping, changes, trend and ``wrqa report``."""

from __future__ import annotations

import base64
import copy
import hashlib
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from selectolax.lexbor import LexborHTMLParser as HTMLParser

from reports.html import highlight, write_report
from reports.json import run_from_dict
from reports.rules import rule_explanation, rule_name
from tests.seeds import SEEDS
from validators.catalogue import RULES
from wrqa.cli import main

REPORT = Path(__file__).parent / "data" / "html-report.json"
HISTORY = [
    {"started_at": "2026-11-19T06:30:00+08:00", "documents": 2, "findings": 11, "by_severity": {"error": 4}},
    {"started_at": "2026-11-20T06:30:00+08:00", "documents": 3, "findings": 9, "by_severity": {"error": 3}},
]
HAN = re.compile(r"[\u4e00-\u9fff]")


def load() -> dict:
    return json.loads(REPORT.read_text(encoding="utf-8"))


def write(report: dict, out: Path, previous: dict | None = None, **options) -> Path:
    """Write the report of the run ``report`` (results as JSON data), as ``wrqa report`` reads them back."""
    return write_report(run_from_dict(report), out, previous=run_from_dict(previous) if previous else None, **options)


def previous_of(report: dict) -> dict:
    """An earlier run: the placeholder finding not yet there, and a finding since resolved."""
    previous = copy.deepcopy(report)
    ziyang = previous["documents"][0]
    ziyang["findings"] = [f for f in ziyang["findings"] if f["rule"] != "placeholder"]
    ziyang["findings"].append({"rule": "year-mismatch", "severity": "error", "line": 7, "column": 3,
                               "excerpt": "2019", "message": "年份不符。", "fingerprint": "fp-resolved"})
    previous["run"]["started_at"] = "2026-11-20T06:30:00+08:00"
    return previous


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    report = load()
    out = tmp_path_factory.mktemp("report")
    index = write(report, out, previous=previous_of(report), history=HISTORY, page_size=2)
    assert out / "index.html" == index
    return out


def parse(path: Path) -> HTMLParser:
    return HTMLParser(path.read_text(encoding="utf-8"))


def marked(tree: HTMLParser, finding: int) -> str:
    """The text of every mark that carries finding number ``finding``, in page order."""
    return "".join(node.text() for node in tree.css("mark.hl") if str(finding) in node.attributes["data-f"].split())


def test_the_overview_counts_documents_results_findings_and_changes(written):
    counts = {node.attributes["data-count"]: node.text() for node in parse(written / "index.html").css("[data-count]")}
    expected = {"documents": "3", "passed": "1", "failed": "2", "findings": "8", "error": "2", "warning": "5",
                "info": "1", "errors": "1", "missing": "68", "new": "1", "resolved": "1"}
    assert expected == counts


@pytest.mark.parametrize(("section", "expected"), [
    ("by-source", [("wcrd<script>window.pwned=5</script>", "1", "0", "4"), ("本地文件", "1", "0", "4"),
                   ("湖北人大网", "1", "1", "0")]),
    ("by-committee", [("徐家棚", "1", "1", "0"), ("粮道街", "1", "0", "4"), ("紫阳", "1", "0", "4")]),
    ("by-year", [("2018", "1", "0", "4"), ("2022", "1", "0", "4"), ("2024", "1", "1", "0")]),
    ("by-kind", [("年度工作报告", "2", "0", "8"), ("新闻", "1", "1", "0")]),
])
def test_the_overview_breaks_documents_down_with_passes_and_findings(written, section, expected):
    rows = parse(written / "index.html").css(f"#{section} tbody tr")
    assert expected == [tuple(cell.text() for cell in row.css("td")) for row in rows]


def test_the_rule_chart_has_a_bar_per_rule_split_by_severity(written):
    bars = parse(written / "index.html").css("#rules svg g.bar")
    actual = {bar.attributes["data-rule"]: sorted(rect.attributes["class"] for rect in bar.css("rect")) for bar in bars}
    expected = {"artifact": ["sev-warning"], "committee-name": ["sev-warning"], "future-rule": ["sev-info"],
                "placeholder": ["sev-warning"], "section-numbering": ["sev-warning"],
                "stat-part-whole": ["sev-error"], "stat-rate-range": ["sev-error"]}
    assert expected == actual


def test_the_rule_table_lists_every_known_rule_and_the_unknown_one_found(written):
    rows = parse(written / "index.html").css("#rules table tbody tr")
    assert set(RULES) | {"future-rule"} == {row.attributes["data-rule"] for row in rows}


@pytest.mark.parametrize("rule", sorted(RULES))
def test_every_rule_of_the_validators_has_a_chinese_name_and_explanation(rule):
    assert (True, True) == (bool(HAN.search(rule_name(rule))), bool(HAN.search(rule_explanation(rule))))


def test_an_unknown_rule_is_shown_by_its_id():
    assert ("future-rule", "") == (rule_name("future-rule"), rule_explanation("future-rule"))


def test_the_expectations_are_folded_at_the_end_failures_first_with_rows_and_observed_values(written):
    tree = parse(written / "index.html")
    rows = tree.css("details#technical #expectations tbody tr")
    actual = [(row.attributes["class"], row.css("td")[0].text(), row.css("td")[6].text(),
               [span.text() for span in row.css("td.observed span")]) for row in rows]
    expected = [("failed", "GX", "1", ["120", "<script>window.pwned=9</script>"]),
                ("failed", "pandera", "1", ["150"]),
                ("ok", "GX", "0", [])]
    assert (expected, "technical") == (actual, tree.css("main > .card")[-1].attributes.get("id"))


def test_changes_list_the_new_and_the_resolved_finding(written):
    tree = parse(written / "index.html")
    new = [row.css("td")[1].text() for row in tree.css("#changes table.changes-new tbody tr")]
    resolved = [row.css("td")[1].text() for row in tree.css("#changes table.changes-resolved tbody tr")]
    assert (["占位符未替换 placeholder"], ["年份不一致 year-mismatch"]) == (new, resolved)


def test_the_trend_draws_each_past_run_and_this_one(written):
    tree = parse(written / "index.html")
    points = tree.css_first("#history polyline.line-findings").attributes["points"].split()
    rows = [row.css("td")[2].text() for row in tree.css("#history tbody tr")]
    assert (3, ["8", "9", "11"]) == (len(points), rows)


def test_the_document_table_rows_travel_as_json_with_a_link_to_each_page(written):
    rows = json.loads(parse(written / "index.html").css_first("script#rows").text())
    assert [("documents/00001.html", "紫阳", 2018, 1, 2, 1, ["future-rule", "placeholder", "section-numbering",
                                                              "stat-part-whole"], False),
            ("documents/00002.html", "粮道街", 2022, 1, 3, 0, ["artifact", "committee-name", "stat-rate-range"], False),
            ("documents/00003.html", "徐家棚", 2024, 0, 0, 0, [], True)] == [
        (r["href"], r["committee"], r["year"], r["error"], r["warning"], r["info"], r["rules"], r["passed"])
        for r in rows]
    assert ["00001.html", "00002.html", "00003.html"] == sorted(p.name for p in (written / "documents").iterdir())


@pytest.mark.parametrize(("page", "finding", "expected"), [
    ("00001.html", 0, "*"),
    ("00001.html", 1, "150人次"),
    ("00001.html", 2, "二、存在不足四、"),  # over two lines, and overlapping the next finding
    ("00001.html", 3, "四"),
    ("00002.html", 0, "街街道"),
    ("00002.html", 1, '<script>document.title="pwned"</script>'),
    ("00002.html", 2, "</textarea>"),
    ("00002.html", 3, "120%"),
])
def test_a_document_page_highlights_each_finding_at_its_characters(written, page, finding, expected):
    tree = parse(written / "documents" / page)
    assert expected == marked(tree, finding)
    assert tree.css_first(f"#f-{finding}") is not None


def test_a_document_page_lists_findings_with_expected_and_stated_numbers(written):
    items = parse(written / "documents" / "00001.html").css("#findings li.finding")
    actual = [(item.attributes["data-rule"], item.css_first(".expected").text() if item.css_first(".expected") else None,
               item.css_first(".stated").text() if item.css_first(".stated") else None) for item in items]
    expected = [("placeholder", None, None), ("stat-part-whole", "≤120", "150"), ("future-rule", None, None),
                ("section-numbering", "三", "四")]
    assert expected == actual


def test_a_document_page_shows_its_statistics_and_part_whole_check(written):
    tree = parse(written / "documents" / "00001.html")
    statistics = [tuple(cell.text() for cell in row.css("td")) for row in tree.css("table.statistics tbody tr")]
    relation = [cell.text().strip() for cell in tree.css_first("table.relations tbody tr").css("td")]
    assert [("120人次", "120", "人次", "数量", "接待选民", "5:6"),
            ("150人次", "150", "人次", "数量", "社区代表接待站接待", "5:23")] == statistics
    assert ["部分与整体", "150人次", "120人次", "", "125.0%", "✗ 不符", "5:1"] == relation[1:]


@pytest.mark.parametrize(("finding", "expected_marks", "outside"), [
    ({"line": 2, "column": 3, "end_line": 2, "end_column": 3}, ["c"], set()),  # a point marks its character
    ({"line": 2, "column": 3}, ["cd"], set()),  # no end and no excerpt: the rest of the line
    ({"line": 2, "column": 2, "excerpt": "bc"}, ["bc"], set()),  # no end: the excerpt where it stands
    ({"line": 2, "column": 2, "excerpt": "zz"}, ["bcd"], set()),  # no end, excerpt elsewhere: rest of line
    ({"line": 1, "column": 1, "end_line": 1, "end_column": 3}, [], {0}),  # before the document
    ({"line": 9, "column": 1, "end_line": 9, "end_column": 3}, [], {0}),  # after it
    ({"line": 2, "column": 4, "end_line": 3, "end_column": 2}, ["d", "x"], set()),
    ({"line": 3, "column": 9, "end_line": 3, "end_column": 12}, [], set()),  # past the line's end: anchor only
])
def test_highlight_places_marks_and_reports_findings_outside_the_text(finding, expected_marks, outside):
    html, actual_outside = highlight("abcd\nxyz", 2, [finding])
    tree = HTMLParser(html)
    assert (expected_marks, outside) == ([node.text() for node in tree.css("mark")], actual_outside)
    assert (not outside) == (tree.css_first("#f-0") is not None)


def test_text_of_the_hostile_document_is_shown_and_runs_nothing(written):
    raw = (written / "documents" / "00002.html").read_text(encoding="utf-8")
    tree = HTMLParser(raw)
    handlers = [name for node in tree.css("*") for name in node.attributes if name.lower().startswith("on")]
    hrefs = [node.attributes.get("href") or "" for node in tree.css("a")]
    assert ([], [], [], []) == (tree.css("script"), tree.css("img"), handlers,
                                [href for href in hrefs if "javascript" in href.lower()])
    text = tree.css_first("#text").text()
    for written_text in ('<script>document.title="pwned"</script>', "</textarea></script><script>window.pwned=2",
                         "{{ 7*7 }}{% raw %}${7*7}", '<a href="javascript:window.pwned=3">'):
        assert written_text in text
    assert "人大粮道街街道工委2022年工作报告<script>window.pwned=1</script>" == tree.css_first("h1").text()


@pytest.mark.parametrize("page", ["index.html", "documents/00001.html", "documents/00002.html"])
def test_no_page_holds_markup_from_scraped_text(written, page):
    raw = (written / page).read_text(encoding="utf-8")
    assert [] == re.findall(r"<script>window\.pwned|<img src=x|<b>|</textarea>", raw)


def test_the_policy_allows_only_the_overview_script_by_its_hash(written):
    tree = parse(written / "index.html")
    scripts = [node for node in tree.css("script") if node.attributes.get("type") != "application/json"]
    policy = tree.css_first('meta[http-equiv="Content-Security-Policy"]').attributes["content"]
    digest = base64.b64encode(hashlib.sha256(scripts[0].text().encode()).digest()).decode()
    page_policy = parse(written / "documents/00001.html").css_first("meta[http-equiv]").attributes["content"]
    assert (1, True, True) == (len(scripts), f"'sha256-{digest}'" in policy, "script-src 'none'" in page_policy)


@pytest.mark.parametrize("page", ["index.html", "documents/00001.html", "documents/00003.html", "committees/07.html"])
def test_pages_refer_to_nothing_outside_the_report_but_the_source_link(written, page):
    tree = parse(written / page)
    references = [node.attributes.get(name) or "" for node in tree.css("[src], [href]") for name in ("src", "href")
                  if "source-url" not in (node.attributes.get("class") or "")]
    external = [reference for reference in references if re.match(r"[a-z]+:", reference) and
                not reference.startswith("data:")]
    assert ([], [], []) == (external, tree.css("link[rel=stylesheet]"),
                            re.findall(r"@import|url\(", tree.css_first("style").text()))


def test_the_source_url_of_a_stored_page_is_a_link(written):
    link = parse(written / "documents" / "00003.html").css_first("a.source-url")
    assert "http://www.hppc.gov.cn/2024/0103/1.html" == link.attributes["href"]


@pytest.fixture(scope="module")
def seeds_report() -> dict:
    from checks.batch import analyze_paths
    from reports.json import run_to_dict
    from validators import validate_analyses

    analyses, failures = analyze_paths([str(path) for path in sorted(SEEDS.glob("*.txt"))], 20 * 1024 * 1024)
    assert [] == failures
    return run_to_dict(validate_analyses(analyses, engines=("pandera",)), include_text=True)


def test_the_seeds_report_has_a_page_per_document_and_marks_each_excerpt(seeds_report, tmp_path):
    write(seeds_report, tmp_path)
    documents = seeds_report["documents"]
    counts = {node.attributes["data-count"]: node.text() for node in parse(tmp_path / "index.html").css("[data-count]")}
    assert (str(len(documents)), str(seeds_report["summary"]["failed"])) == (counts["documents"], counts["failed"])
    assert len(documents) == len(list((tmp_path / "documents").iterdir()))
    checked = 0
    for number, document in enumerate(documents, 1):
        tree = parse(tmp_path / "documents" / f"{number:05d}.html")
        findings = sorted(document["findings"], key=lambda f: (f["line"], f["column"], f["rule"]))
        for index, finding in enumerate(findings):
            if finding["excerpt"] and finding["line"] == finding["end_line"]:
                assert finding["excerpt"] == marked(tree, index), (document["title"], finding)
                checked += 1
    assert checked >= 3


def test_report_writes_the_report_of_saved_results_reading_texts_from_their_files(tmp_path):
    source = tmp_path / "ziyang.txt"
    source.write_text("首页\n人大紫阳街工委2018年度工作报告\n组织完成*位代表\n", encoding="gb18030")
    document = {"path": str(source), "line": 2, "end_line": 3, "title": "人大紫阳街工委2018年度工作报告",
                "committee": "紫阳", "year": 2018, "kind": "report", "source": "file", "findings": [
                    {"rule": "placeholder", "severity": "warning", "line": 3, "column": 5, "end_line": 3,
                     "end_column": 6, "excerpt": "*", "message": "占位符", "fingerprint": "x"}]}
    results = tmp_path / "run.json"
    results.write_text(json.dumps({"documents": [document]}), encoding="utf-8")
    result = CliRunner().invoke(main, ["report", "--input", str(results), "--out", str(tmp_path / "out")])
    tree = parse(tmp_path / "out" / "documents" / "00001.html")
    assert (0, f"HTML report: {tmp_path / 'out' / 'index.html'}\n") == (result.exit_code, result.output)
    assert ("人大紫阳街工委2018年度工作报告\n组织完成*位代表", "*") == (
        "\n".join(node.text() for node in tree.css("#text .src > div > span")), marked(tree, 0))


@pytest.mark.parametrize(("content", "option", "message"), [
    (None, "--input", "no such file; give --input the JSON"),
    ("{not json", "--input", "is not JSON (line 1, column 2"),
    ("[1, 2]", "--input", "the results must be an object with 'documents', not list"),
    ('{"documents": [1]}', "--input", "'documents' must be a list of objects"),
    ('{"documents": [{"findings": ["x"]}]}', "--input", "document #1 has no 'path'"),
    ('{"documents": [{"path": "a.txt", "findings": ["x"]}]}', "--input", "document #1: 'findings' must be a list"),
    ('{"documents": []}', "--history", "--history must hold a list of run summaries, not dict"),
    ('{"documents": [], "coverage": []}', "--input", "'coverage' must be an object, not list"),
    ('{"documents": [], "coverage": {"reports": [{"reports": [{"published_at": "soon"}]}]}}', "--input",
     "coverage report #1: 'published_at' is 'soon', not an ISO date or time"),
])
def test_report_refuses_bad_input_in_one_line(tmp_path, content, option, message):
    path = tmp_path / "given.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    good = tmp_path / "good.json"
    good.write_text('{"documents": []}', encoding="utf-8")
    args = ["report", "--input", str(path if option == "--input" else good), "--out", str(tmp_path / "out")]
    if option != "--input":
        args += [option, str(path)]
    result = CliRunner().invoke(main, args)
    assert (2, 1, True) == (result.exit_code, len(result.output.splitlines()), message in result.output), result.output


def test_a_large_report_has_every_page_however_many_processes_write_it(tmp_path):
    from reports.html import PARALLEL_FROM

    documents = [{"path": f"r{n}.txt", "line": 1, "end_line": 1, "title": f"报告{n}", "text": f"第{n}份报告",
                  "findings": [{"rule": "placeholder", "severity": "warning", "line": 1, "column": 2,
                                "end_line": 1, "end_column": 2 + len(str(n)), "excerpt": str(n)}]}
                 for n in range(PARALLEL_FROM + 7)]
    write({"documents": documents}, tmp_path)
    pages = sorted((tmp_path / "documents").iterdir())
    sample = [(parse(page).css_first("h1").text(), marked(parse(page), 0)) for page in pages[::250]]
    assert (len(documents), [(f"报告{n}", str(n)) for n in range(0, len(documents), 250)]) == (len(pages), sample)


def test_a_duplicate_links_to_the_page_of_the_document_it_copies(tmp_path):
    original = {"path": "a.txt", "line": 3, "title": "人大紫阳街工委2018年度工作报告", "text": "正文"}
    duplicate = {"path": "b.txt", "line": 1, "title": "人大杨园街工委2018年工作报告", "text": "正文", "findings": [
        {"rule": "duplicate-report", "severity": "warning", "line": 1, "column": 1, "message": "几乎相同",
         "data": {"duplicate_of": {"path": "a.txt", "line": 3, "title": original["title"]}, "similarity": 0.934}},
        {"rule": "stat-part-whole", "severity": "error", "line": 1, "column": 1, "message": "部分大于总数",
         "data": {"part": 29.0, "whole": 16.0, "relation": "parts-sum"}}]}
    write({"documents": [original, duplicate]}, tmp_path)
    tree = parse(tmp_path / "documents" / "00002.html")
    link = tree.css_first("#findings .duplicate a")
    numbers = [node.text() for node in tree.css("#findings .numbers strong")]
    assert ("00001.html", "《人大紫阳街工委2018年度工作报告》", True, ["29", "16"]) == (
        link.attributes["href"], link.text(), "相似度 93%" in tree.css_first("#findings .duplicate").text(), numbers)


def test_writing_a_smaller_report_into_the_same_folder_removes_the_pages_left_over(tmp_path):
    documents = [{"path": f"r{n}.txt", "line": 1, "title": f"报告{n}", "text": "正文"} for n in range(3)]
    write({"documents": documents}, tmp_path)
    (tmp_path / "documents" / "notes.txt").write_text("kept", encoding="utf-8")
    write({"documents": documents[:1]}, tmp_path)
    assert ["00001.html", "notes.txt"] == sorted(path.name for path in (tmp_path / "documents").iterdir())


def test_a_new_finding_links_to_its_place_in_the_document(written):
    link = parse(written / "index.html").css_first("#changes table.changes-new a")
    assert "documents/00001.html#f-0" == link.attributes["href"]


def test_findings_of_odd_shapes_are_listed_without_failing(tmp_path):
    findings = [{"rule": "placeholder", "line": "3", "column": None}, {"line": 1, "column": 2}, {}]
    write({"documents": [{"path": "a.txt", "title": "标题", "text": "正文", "findings": findings}]}, tmp_path)
    items = parse(tmp_path / "documents" / "00001.html").css("#findings li.finding")
    assert ["", "", "placeholder"] == [item.attributes["data-rule"] for item in items]


def test_columns_count_code_points_beyond_the_basic_plane():
    html, _ = highlight("𠀀𠀁ab", 1, [{"line": 1, "column": 3, "end_line": 1, "end_column": 4}])
    assert ["a"] == [node.text() for node in HTMLParser(html).css("mark")]


def test_report_reads_the_text_of_a_stored_page_from_the_store(tmp_path):
    from crawler.records import Page
    from crawler.store import Store, stored_documents
    from reports.json import run_to_dict
    from validators import validate
    from wrqa.config import load_config

    (tmp_path / "config.toml").write_text('[store]\npath = "var/store.sqlite3"\n', encoding="utf-8")
    config = load_config(tmp_path / "config.toml")
    page = Page(url="http://wcrd.example/zyfb/a.html", site="wcrd", category="003005", published_at=None,
                title="人大紫阳街工委2018年度工作报告", kind="report", committee="紫阳", year=2018,
                paragraphs=("人大紫阳街工委", "组织完成*位代表参加学习。"))
    with Store(config.path_of("store.path")) as store:
        store.save(page, "wcrd", 1)
    results = run_to_dict(validate(stored_documents(config)))
    (tmp_path / "run.json").write_text(json.dumps(results), encoding="utf-8")
    result = CliRunner().invoke(main, ["report", "--config", str(tmp_path / "config.toml"),
                                       "-i", str(tmp_path / "run.json"), "-o", str(tmp_path / "out")])
    tree = parse(tmp_path / "out" / "documents" / "00001.html")
    placeholder = [i for i, f in enumerate(sorted(results["documents"][0]["findings"],
                                                  key=lambda f: (f["line"], f["column"], f["rule"])))
                   if f["rule"] == "placeholder"]
    assert (0, "store", True, ["*"]) == (result.exit_code, results["documents"][0]["source"],
                                         "组织完成*位代表参加学习。" in tree.css_first("#text").text(),
                                         [marked(tree, i) for i in placeholder])


def stamps(folder: Path) -> dict[str, tuple[int, int]]:
    return {path.name: (path.stat().st_ino, path.stat().st_mtime_ns) for path in sorted(folder.iterdir())}


def test_writing_the_same_report_again_leaves_the_pages_untouched_and_rewrites_a_changed_one(tmp_path):
    report = load()
    write(report, tmp_path)
    before = stamps(tmp_path / "documents")
    later = copy.deepcopy(report)
    later["run"]["started_at"] = "2026-11-22T06:30:00+08:00"  # another run, the same documents
    write(later, tmp_path)
    unchanged = stamps(tmp_path / "documents")
    later["documents"][1]["title"] = "人大粮道街街道工委2022年工作报告（修订）"
    write(later, tmp_path)
    after = stamps(tmp_path / "documents")
    changed = [name for name in before if after[name] != before[name]]
    assert (before, ["00002.html"]) == (unchanged, changed)
    assert "人大粮道街街道工委2022年工作报告（修订）" == parse(tmp_path / "documents" / "00002.html").css_first("h1").text()


@pytest.mark.parametrize("tamper", ["edit", "remove", "manifest"])
def test_a_page_changed_or_removed_by_hand_is_written_again(tmp_path, tamper):
    report = load()
    write(report, tmp_path)
    page = tmp_path / "documents" / "00001.html"
    expected = page.read_bytes()
    if tamper == "edit":
        page.write_text("<p>edited</p>", encoding="utf-8")
    elif tamper == "remove":
        page.unlink()
    else:
        page.write_text("<p>edited</p>", encoding="utf-8")
        (tmp_path / ".wrqa-manifest.json").write_text("{not json", encoding="utf-8")
    write(report, tmp_path)
    assert expected == page.read_bytes()


def test_a_page_whose_next_document_is_added_gets_its_next_link(tmp_path):
    documents = [{"path": f"r{n}.txt", "line": 1, "title": f"报告{n}", "text": "正文"} for n in range(3)]
    write({"documents": documents[:2]}, tmp_path)
    first = stamps(tmp_path / "documents")["00001.html"]
    write({"documents": documents}, tmp_path)
    links = [a.attributes["href"] for a in parse(tmp_path / "documents" / "00002.html").css(".docnav a")]
    assert (first, ["../index.html#documents", "00001.html", "00003.html"]) == (
        stamps(tmp_path / "documents")["00001.html"], links)


def test_each_rule_with_findings_can_be_picked_from_the_chart_and_the_table(written):
    tree = parse(written / "index.html")
    bars = [node.attributes["data-rule"] for node in tree.css("#rules svg g.pick")]
    rows = [node.attributes["data-rule"] for node in tree.css("#rules table tr.pick")]
    options = [node.attributes["value"] for node in tree.css("#f-rule option") if node.attributes["value"]]
    assert (options, options) == (bars, rows)


def waived_report() -> dict:
    """Two documents: the first's only error waived (so it passes), the second with an error in force."""
    waiver = {"reason": "原文如此，已向街道核实<b>", "expires": "2027-06-30"}
    return {"documents": [
        {"path": "a.txt", "line": 1, "title": "人大紫阳街工委2018年度工作报告", "text": "接待选民150人次，共120人次",
         "findings": [
             {"rule": "stat-part-whole", "severity": "error", "line": 1, "column": 5, "end_line": 1,
              "end_column": 11, "message": "部分大于整体", "fingerprint": "fp-a", "waived": True, "waiver": waiver},
             {"rule": "placeholder", "severity": "warning", "line": 1, "column": 13, "end_line": 1,
              "end_column": 14, "message": "占位符", "fingerprint": "fp-b", "waived": False}]},
        {"path": "b.txt", "line": 1, "title": "人大杨园街工委2018年工作报告", "text": "接待选民150人次",
         "findings": [{"rule": "stat-part-whole", "severity": "error", "line": 1, "column": 5, "end_line": 1,
                       "end_column": 11, "message": "部分大于整体", "fingerprint": "fp-c"}]},
    ]}


@pytest.fixture(scope="module")
def waived_written(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("waived")
    write(waived_report(), out)
    return out


def test_a_waived_finding_is_shown_with_its_reason_and_expiry(waived_written):
    tree = parse(waived_written / "documents" / "00001.html")
    items = tree.css("#findings li.finding")
    actual = [("waived" in item.attributes["class"].split(), item.css_first(".waived-badge") is not None,
               item.css_first(".waiver .reason").text() if item.css_first(".waiver") else None,
               item.css_first(".waiver .expires").text() if item.css_first(".waiver") else None) for item in items]
    assert [(True, True, "原文如此，已向街道核实<b>", "2027-06-30"), (False, False, None, None)] == actual
    assert (["waived"], ["sev-warning"]) == (
        [c for c in tree.css_first('mark[data-f="0"]').attributes["class"].split() if c == "waived"],
        [c for c in tree.css_first('mark[data-f="1"]').attributes["class"].split() if c.startswith("sev-")])


def test_a_document_whose_only_error_is_waived_passes_and_says_how_many_are_waived(waived_written):
    meta = parse(waived_written / "documents" / "00001.html").css_first("#meta dl")
    result = meta.css("dd")[-1]
    assert ("通过", "已豁免 1（不计入结果）", "发现的问题（2，其中已豁免 1）") == (
        result.css_first(".pass").text(), result.css_first(".waived-count").text(),
        parse(waived_written / "documents" / "00001.html").css_first("#findings h2").text())


def test_the_overview_counts_waived_findings_apart(waived_written):
    tree = parse(waived_written / "index.html")
    counts = {node.attributes["data-count"]: node.text() for node in tree.css("#summary [data-count]")}
    rule = tree.css_first('#rules table tr[data-rule="stat-part-whole"]')
    rows = json.loads(tree.css_first("script#rows").text())
    assert {"documents": "2", "passed": "1", "failed": "1", "findings": "2", "error": "1", "warning": "1",
            "info": "0", "errors": "0", "waived": "1"} == counts
    assert (["1", "0", "0", "1", "1"], 1) == ([cell.text() for cell in rule.css("td.num")],
                                              len(tree.css('#rules svg rect.sev-error')))
    assert [(1, 0, ["placeholder"], True), (0, 1, ["stat-part-whole"], False)] == [
        (r["waived"], r["error"], r["rules"], r["passed"]) for r in rows]


def test_a_rule_whose_findings_are_all_waived_is_listed_with_them_but_cannot_be_picked(tmp_path):
    report = waived_report()
    report["documents"][0]["findings"][0]["rule"] = "future-rule"
    write(report, tmp_path)
    row = parse(tmp_path / "index.html").css_first('#rules table tr[data-rule="future-rule"]')
    assert ("muted", ["0", "0", "0", "0", "1"]) == (row.attributes["class"], [cell.text() for cell in row.css("td.num")])


@pytest.mark.parametrize(("zone", "shown"), [("Asia/Shanghai", "运行于 2026年12月1日 16:32（北京时间）"),
                                             ("UTC", "运行于 2026年12月1日 08:32（UTC）")])
def test_the_report_shows_the_run_time_in_the_configured_zone_to_the_minute(tmp_path, zone, shown):
    report = load()
    report["run"]["started_at"] = "2026-12-01T08:32:05.123456+00:00"
    write(report, tmp_path, timezone=zone)
    assert shown in parse(tmp_path / "index.html").css_first("header .run").text()


# --- the overview a clerk reads first ------------------------------------------------------------------------


def placeholder_document(path: str, title: str, stars: int = 1, line: int = 1) -> dict:
    """A document whose line 2 holds ``stars`` blanks (``*``), each an error of the placeholder rule."""
    text = f"{title}\n" + "，".join(f"组织完成*位代表第{n}次" for n in range(stars))
    findings = [{"rule": "placeholder", "severity": "error", "line": line + 1, "column": 5 + n * 12,
                 "end_line": line + 1, "end_column": 6 + n * 12, "excerpt": "*", "message": "模板占位符未填写：“*”",
                 "fingerprint": f"{path}-{n}"} for n in range(stars)]
    return {"path": path, "line": line, "end_line": line + 1, "title": title, "committee": "紫阳", "year": 2022,
            "kind": "report", "text": text, "findings": findings}


@pytest.mark.parametrize(("documents", "expected"), [
    (None, "3 份文档，2 份未通过：1 份比率超出范围，1 份部分与整体不符"),
    ([{"path": "a.txt", "title": "人大紫阳街道工委2022年工作报告", "text": "正文"}], "1 份文档，全部通过"),
    ([], "没有可校验的文档"),
    ([placeholder_document("a.txt", "报告甲"), placeholder_document("b.txt", "报告乙"),
      {"path": "c.txt", "title": "报告丙", "text": "正文"}], "3 份文档，2 份未通过：2 份占位符未替换"),
])
def test_the_verdict_says_how_many_documents_fail_and_for_what(tmp_path, documents, expected):
    write(load() if documents is None else {"documents": documents}, tmp_path)
    assert expected == parse(tmp_path / "index.html").css_first("#summary h1.verdict").text()


def test_the_failing_documents_come_worst_first_with_their_place_rule_and_words(written):
    items = parse(written / "index.html").css("#failing li.failing-doc")
    actual = [(item.css_first("a.title").attributes["href"], item.css_first("code.where").text(),
               item.css_first(".first strong").text(), item.css_first(".first mark").text()) for item in items]
    assert [("documents/00002.html#f-3", "javascript:window.pwned=4", "比率超出范围", "120%"),
            ("documents/00001.html#f-1", "reports/ziyang-2018.txt", "部分与整体不符", "150人次")] == actual


def test_two_documents_with_the_same_title_are_told_apart_by_their_path_and_words(tmp_path):
    write({"documents": [placeholder_document("2022/紫阳.txt", "人大紫阳街道工委2022年工作报告", stars=2),
                         placeholder_document("草稿/紫阳.txt", "人大紫阳街道工委2022年工作报告")]}, tmp_path)
    tree = parse(tmp_path / "index.html")
    listed = [(item.css_first("code.where").text(), item.css_first(".first").text().split("：")[-1])
              for item in tree.css("#failing li.failing-doc")]
    rows = [(row["path"], row["first"][1:4]) for row in json.loads(tree.css_first("script#rows").text())]
    assert [("2022/紫阳.txt", "组织完成*位代表第0次，组织完成*位代表第…"), ("草稿/紫阳.txt", "组织完成*位代表第0次")] == listed
    assert [("2022/紫阳.txt", ["组织完成", "*", "位代表第0次，组织完成*位代表第…"]),
            ("草稿/紫阳.txt", ["组织完成", "*", "位代表第0次"])] == rows


def test_the_document_table_opens_with_the_failing_documents_first_the_worst_first(written):
    rows = json.loads(parse(written / "index.html").css_first("script#rows").text())
    assert ["粮道街", "紫阳", "徐家棚"] == [row["committee"] for row in sorted(rows, key=lambda row: row["rank"])]


def test_each_count_under_the_verdict_stands_for_a_filter_of_the_table(written):
    tiles = parse(written / "index.html").css("#summary button.tile")
    assert [("documents", ""), ("failed", "status=failed"), ("passed", "status=passed"), ("error", "severity=error"),
            ("warning", "severity=warning"), ("info", "severity=info")] == [
        (tile.css_first("[data-count]").attributes["data-count"], tile.attributes["data-filter"]) for tile in tiles]


@pytest.mark.parametrize(("select", "expected"), [
    ("f-kind", ["年度工作报告", "新闻"]),
    ("f-source", ["wcrd<script>window.pwned=5</script>", "本地文件", "湖北人大网"]),
    ("f-severity", ["错误", "警告", "提示"]),
])
def test_the_filters_name_kinds_sources_and_severities_in_chinese(written, select, expected):
    options = parse(written / "index.html").css(f"#{select} option")
    assert expected == [option.text() for option in options if option.attributes.get("value") != ""]


def test_the_coverage_marks_each_committee_and_year_present_failed_or_missing(written):
    tree = parse(written / "index.html")
    cells = {(row.attributes["data-committee"], cell.attributes["data-year"]): cell.attributes["data-status"]
             for row in tree.css("#coverage tbody tr") for cell in row.css("td[data-year]")}
    assert (14 * 5, "failed", "failed", "missing", "14 个街道工委 × 5 年（2018–2022）应有 70 份年度报告：已有 2 份，缺 68 份") == (
        len(cells), cells[("粮道街", "2022")], cells[("紫阳", "2018")], cells[("石洞", "2022")],
        tree.css_first("#summary .coverage-line").text())


def test_a_document_page_groups_repeated_findings_of_a_rule_and_lists_each_place(tmp_path):
    document = placeholder_document("a.txt", "人大紫阳街道工委2022年工作报告", stars=6)
    document["findings"].append({"rule": "artifact", "severity": "warning", "line": 1, "column": 1, "end_line": 1,
                                 "end_column": 3, "excerpt": "人大", "message": "残留", "fingerprint": "art"})
    write({"documents": [document]}, tmp_path)
    groups = parse(tmp_path / "documents" / "00001.html").css("#findings li.group")
    actual = [(group.attributes["data-rule"], group.css_first(".times").text() if group.css_first(".times") else "",
               len(group.css(".explanation")), [place.css_first(".where a").attributes["href"]
                                                for place in group.css("li.finding")]) for group in groups]
    assert [("artifact", "", 1, ["#f-0"]), ("placeholder", "×6", 1, [f"#f-{n}" for n in range(1, 7)])] == actual


@pytest.mark.parametrize(("columns", "value", "units", "expected"), [
    (("part", "whole", "stated"), [29.0, 16.0, None], {(29.0, 16.0): "篇"}, "部分 29 篇，整体 16 篇"),
    (("part", "whole", "stated"), [12.0, 19.0, 83.0], {(12.0, 19.0): "名"}, "部分 12 名，整体 19 名，所述占比 83%"),
    (("label", "value"), ["选民满意度", 105.0], {("选民满意度", 105.0): "%"}, "指标 选民满意度，数值 105%"),
    (("meeting_day", "term_end"), [20221220.0, 20211231.0], {}, "会议日期 2022年12月20日，任期结束 2021年12月31日"),
    (("title", "similarity"), ["人大杨园街道工委2022年工作报告", 0.934], {}, "标题 人大杨园街道工委2022年工作报告，相似度 93%"),
    (("figure", "previous_value", "value", "unit"), ["deputies", 42.0, 420.0, "名"], {},
     "数字 代表人数，上一份报告 42 名，数值 420 名"),
    (("has_work",), False, {}, "has_work 否"),
    ((), [4.3, "文字"], {}, "4.3，文字"),  # results of an older wrqa name no columns
])
def test_observed_values_read_as_words_and_numbers_with_their_units(columns, value, units, expected):
    from reports.words import observed_text

    assert expected == observed_text(columns, value, units)


def test_the_technical_details_show_what_an_engine_observed_with_units(tmp_path):
    from validators.records import DocumentResult, ExpectationResult, PlacedRelation, RunResult

    relation = PlacedRelation("parts-sum", 29.0, 16.0, None, "篇", 21, 28, "目前投稿数16篇，其中…", ok=False)
    run = RunResult(documents=(DocumentResult("a.txt", 1, 9, "报告", "紫阳", 2018, "report", relations=(relation,)),),
                    expectations=(ExpectationResult("pandera", "relations", "stat-part-whole/part", "stat-part-whole",
                                                    False, 3, 1, ([29.0, 16.0, None],), "Check",
                                                    ("part", "whole", "stated")),))
    write_report(run, tmp_path)
    assert ["部分 29 篇，整体 16 篇"] == [span.text() for span in parse(tmp_path / "index.html").css(
        "#technical td.observed span")]


def runs(count: int) -> list[dict]:
    return [{"started_at": f"2026-{1 + n // 28:02d}-{1 + n % 28:02d}T06:30:00+08:00", "documents": 3,
             "findings": 10 + n % 7, "by_severity": {"error": 2}} for n in range(count)]


@pytest.mark.parametrize(("history", "expected"), [
    ([], (0, True, None, 1)),  # this run alone: told in a sentence, not drawn
    (runs(5), (6, False, None, 6)),
    (runs(150), (60, False, "另有更早的 91 次运行（2026年1月1日 至 2026年4月7日）未画出：每次 10–16 个问题。", 60)),
])
def test_the_history_is_drawn_for_the_last_sixty_runs_and_sums_up_the_older_ones(tmp_path, history, expected):
    report = load()
    report["run"]["started_at"] = "2026-12-01T06:30:00+08:00"
    write(report, tmp_path, history=history or [{"started_at": "2026-12-01T06:30:00+08:00", "documents": 3,
                                                   "findings": 8, "by_severity": {"error": 2}}])
    tree = parse(tmp_path / "index.html")
    older = tree.css_first("#older-runs")
    assert expected == (len(tree.css("#history circle.line-findings")), tree.css_first("#one-run") is not None,
                        older.text() if older else None, len(tree.css("#history tbody tr")) or 1)


def test_a_committee_page_sets_its_figures_side_by_side_and_flags_a_jump(tmp_path):
    from crawler.files import source_from_text
    from crawler.normalize import documents_from_source
    from validators import validate

    texts = RULES["stat-trend"].example  # 白沙洲's deputies: 42 in 2022, 420 in 2023
    run = validate([d for n, text in enumerate(texts) for d in documents_from_source(source_from_text(f"{n}.txt", text))])
    write_report(run, tmp_path)
    index = parse(tmp_path / "index.html")
    page = index.css_first('#coverage tr[data-committee="白沙洲"] th a').attributes["href"]
    tree = parse(tmp_path / page)
    cells = [(cell.css_first("a").text(), cell.css_first(".flag") is not None, cell.css_first("a").attributes["href"])
             for cell in tree.css('#figures tr[data-figure="deputies"] td')]
    years = [(row.attributes["data-year"], row.css_first("a").text()) for row in tree.css("#reports tbody tr")]
    assert [("42名", False, "../documents/00001.html#L3"), ("420名", True, "../documents/00002.html#f-0")] == cells
    assert [("2022", "人大白沙洲街道工委2022年工作报告"), ("2023", "人大白沙洲街道工委2023年工作报告")] == years


def test_the_findings_and_the_results_can_be_downloaded_from_the_report(written):
    import csv

    links = {a.attributes["id"]: a.attributes["href"] for a in parse(written / "index.html").css(".downloads a")}
    raw = (written / "findings.csv").read_bytes()
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    findings = [(d["path"], f["rule"], str(f["line"]), f["excerpt"]) for d in load()["documents"] for f in d["findings"]]
    results = json.loads((written / "results.json").read_text(encoding="utf-8"))
    assert ({"download-csv": "findings.csv", "download-json": "results.json"}, True) == (links, raw.startswith(b"\xef\xbb\xbf"))
    assert sorted(findings) == sorted((row["文件"], row["规则"], row["行"], row["原文"]) for row in rows)
    assert (3, 68) == (len(results["documents"]), results["coverage"]["counts"]["missing"])


def test_the_report_of_the_demo_sites_opens_on_the_headline_defects(tmp_path):
    from tests.test_coverage import two_runs_with_a_report_replaced

    tree = parse(two_runs_with_a_report_replaced(tmp_path) / "index.html")
    failing = [(item.css_first("a.title").text(), item.css_first(".first strong").text(),
                item.css_first(".first mark").text()) for item in tree.css("#failing li.failing-doc")]
    assert ("25 份文档，3 份未通过：1 份占位符未替换，1 份缺少必备部分，1 份比率超出范围，1 份部分与整体不符", [
        ("人大石洞街道工委2022年工作报告", "占位符未替换", "***"),
        ("人大中南路街工委2016年工作报告", "缺少必备部分", "人大中南路街工委2016年工作报告"),
        ("人大紫阳街工委2018年度工作报告", "部分与整体不符", "16篇，其中《人民意志》录用稿件数1篇，《长江日报》录用稿件数1篇，《武汉晚报》…"),
    ]) == (tree.css_first("#verdict").text(), failing)
