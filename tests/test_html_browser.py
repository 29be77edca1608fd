"""The HTML report opened in a real headless Chromium (Debian's, driven by Playwright): what a reader sees.

Every page is watched: console errors, uncaught exceptions, dialogs and every request it makes.
"""

from __future__ import annotations

import functools
import http.server
import json
import re
import shutil
import threading
from pathlib import Path

import pytest

from reports.html import write_report
from reports.json import run_from_dict
from tests.seeds import SEEDS

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
REPORT = Path(__file__).parent / "data" / "html-report.json"


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip(f"no {CHROMIUM}: run `make browser` as root to install Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Watched:
    """A page with everything it did recorded: console errors, page errors, dialogs, request URLs."""

    def __init__(self, browser):
        self.page = browser.new_page()
        self.problems: list[str] = []
        self.requests: list[str] = []
        self.page.on("console", lambda message: message.type in ("error", "warning") and self.problems.append(
            f"console {message.type}: {message.text}"))
        self.page.on("pageerror", lambda error: self.problems.append(f"page error: {error}"))
        self.page.on("dialog", lambda dialog: (self.problems.append(f"dialog: {dialog.message}"), dialog.dismiss()))
        self.page.on("request", lambda request: self.requests.append(request.url))

    def open(self, url: str):
        self.page.goto(url)
        return self.page


@pytest.fixture
def watched(browser):
    page = Watched(browser)
    yield page
    page.page.close()


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("report")
    write_report(run_from_dict(json.loads(REPORT.read_text(encoding="utf-8"))), out, page_size=2)
    return out


def counts(page) -> dict[str, str]:
    return page.eval_on_selector_all(
        "[data-count]", "nodes => Object.fromEntries(nodes.map(n => [n.dataset.count, n.textContent]))")


def table_titles(page) -> list[str]:
    return page.eval_on_selector_all("#doc-table tbody tr td:nth-child(2) a", "links => links.map(a => a.textContent)")


def marked(page, finding: int) -> str:
    return page.eval_on_selector_all(
        "mark.hl", "(marks, i) => marks.filter(m => m.dataset.f.split(' ').includes(String(i)))"
        ".map(m => m.textContent).join('')", finding)


TITLES = ["人大紫阳街工委2018年度工作报告", "人大粮道街街道工委2022年工作报告<script>window.pwned=1</script>",
          "武汉市武昌区人大徐家棚街道工委凝聚代表力量 缔造幸福生活"]


def test_the_overview_shows_the_counts_and_the_first_page_of_the_table(watched, report_dir):
    page = watched.open((report_dir / "index.html").as_uri())
    expected = {"documents": "3", "passed": "1", "failed": "2", "findings": "8", "error": "2", "warning": "5",
                "info": "1", "errors": "1", "missing": "68"}
    # The failing documents first, the worst first.
    assert (expected, [TITLES[1], TITLES[0]], "第 1 / 2 页") == (counts(page), table_titles(page), page.inner_text("#page"))
    page.click("#next")
    assert (TITLES[2:], []) == (table_titles(page), watched.problems)


@pytest.mark.parametrize(("control", "value", "expected"), [
    ("#f-committee", "粮道街", [TITLES[1]]),
    ("#f-year", "2024", [TITLES[2]]),
    ("#f-source", "湖北人大网", [TITLES[2]]),
    ("#f-kind", "新闻", [TITLES[2]]),
    ("#f-rule", "placeholder", [TITLES[0]]),
    ("#f-severity", "error", [TITLES[1], TITLES[0]]),
    ("#f-status", "passed", [TITLES[2]]),
    ("#q", "徐家棚", [TITLES[2]]),
    ("#q", "ziyang", [TITLES[0]]),  # the search also reads the path
    ("#q", "hppc.gov.cn", [TITLES[2]]),  # and the address of a stored page
])
def test_a_filter_narrows_the_table(watched, report_dir, control, value, expected):
    page = watched.open((report_dir / "index.html").as_uri())
    page.select_option(control, value) if control.startswith("#f-") else page.fill(control, value)
    shown = f"显示 {len(expected)} / 3 份文档"
    assert (expected, shown, []) == (table_titles(page), page.inner_text("#shown"), watched.problems)


def test_a_column_header_sorts_the_table_both_ways(watched, report_dir):
    page = watched.open((report_dir / "index.html").as_uri())
    page.select_option("#f-status", "")  # all rows, over two pages of two
    page.click('th[data-sort="year"]')
    ascending = table_titles(page)
    page.click('th[data-sort="year"]')
    assert (TITLES[:2], [TITLES[2], TITLES[1]]) == (ascending, table_titles(page))


def test_a_row_links_to_the_document_page(watched, report_dir):
    page = watched.open((report_dir / "index.html").as_uri())
    page.fill("#q", "粮道街")
    page.click("#doc-table tbody a")
    page.wait_for_load_state()
    assert (TITLES[1], "documents/00002.html") == (page.inner_text("h1"), "/".join(page.url.split("/")[-2:]))


@pytest.mark.parametrize(("page_name", "expected"), [
    ("00001.html", ["*", "150人次", "二、存在不足四、", "四"]),
    ("00002.html", ["街街道", '<script>document.title="pwned"</script>', "</textarea>", "120%"]),
])
def test_a_document_page_highlights_each_finding_at_its_text(watched, report_dir, page_name, expected):
    page = watched.open((report_dir / "documents" / page_name).as_uri())
    visible = page.eval_on_selector_all("mark.hl", "marks => marks.every(m => m.getBoundingClientRect().width > 0)")
    listed = page.eval_on_selector_all("#findings li.finding", "items => items.length")
    assert (expected, True, len(expected), []) == (
        [marked(page, index) for index in range(len(expected))], visible, listed, watched.problems)


def test_a_finding_in_the_list_jumps_to_its_place_in_the_text(watched, report_dir):
    page = watched.open((report_dir / "documents" / "00001.html").as_uri())
    page.click('#findings li[data-rule="stat-part-whole"] a[href="#f-1"]')
    assert page.url.endswith("#f-1")
    assert page.evaluate("document.querySelector('#f-1').nextElementSibling.textContent") == "150人次"


@pytest.mark.parametrize("page_name", ["index.html", "documents/00002.html"])
def test_the_hostile_document_runs_no_script(watched, report_dir, page_name):
    page = watched.open((report_dir / page_name).as_uri())
    page.wait_for_timeout(100)
    state = page.evaluate("[typeof window.pwned, document.title === 'pwned', document.images.length]")
    assert (["undefined", False, 0], []) == (state, watched.problems)


def test_the_hostile_source_url_is_not_a_link(watched, report_dir):
    page = watched.open((report_dir / "documents" / "00002.html").as_uri())
    assert (0, "javascript:window.pwned=4") == (
        page.locator("a.source-url").count(), page.inner_text("#meta dd:has-text('javascript')"))


def test_no_request_leaves_the_report_folder(watched, report_dir):
    for page_name in ["index.html", "documents/00001.html", "documents/00002.html", "documents/00003.html"]:
        watched.open((report_dir / page_name).as_uri())
    outside = [url for url in watched.requests if not url.startswith(report_dir.as_uri() + "/")]
    assert ([], []) == (outside, watched.problems)


@pytest.fixture(scope="module")
def served(report_dir):
    """The report folder behind Python's static file server on a free port of 127.0.0.1."""
    handler = functools.partial(QuietHandler, directory=str(report_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's signature
        pass


def test_the_report_opens_from_a_static_web_server(watched, served):
    page = watched.open(f"{served}/index.html")
    page.click("#doc-table tbody a >> nth=0")
    page.wait_for_load_state()
    outside = [url for url in watched.requests if not url.startswith(served + "/")]
    assert (TITLES[1], "街街道", [], []) == (page.inner_text("h1"), marked(page, 0), outside, watched.problems)


@pytest.fixture(scope="module")
def seeds_dir(tmp_path_factory) -> tuple[Path, dict]:
    from checks.batch import analyze_paths
    from reports.json import run_to_dict
    from validators import validate_analyses

    analyses, _ = analyze_paths([str(path) for path in sorted(SEEDS.glob("*.txt"))], 20 * 1024 * 1024)
    run = validate_analyses(analyses, engines=("pandera",))
    report = run_to_dict(run, include_text=True)
    out = tmp_path_factory.mktemp("seeds")
    write_report(run, out)
    yield out, report
    shutil.rmtree(out, ignore_errors=True)


def test_the_seeds_report_shows_its_counts_and_every_excerpt_highlighted(watched, seeds_dir):
    out, report = seeds_dir
    page = watched.open((out / "index.html").as_uri())
    summary = report["summary"]
    assert ({"documents": str(summary["documents"]), "passed": str(summary["passed"]),
             "findings": str(summary["findings"])}, len(report["documents"])) == (
        {key: counts(page)[key] for key in ("documents", "passed", "findings")},
        page.locator("#doc-table tbody tr").count())
    for number, document in enumerate(report["documents"], 1):
        findings = sorted(document["findings"], key=lambda f: (f["line"], f["column"], f["rule"]))
        if not findings:
            continue
        page = watched.open((out / "documents" / f"{number:05d}.html").as_uri())
        expected = [f["excerpt"] for f in findings if f["line"] == f["end_line"]]
        actual = [marked(page, index) for index, f in enumerate(findings) if f["line"] == f["end_line"]]
        assert expected == actual, document["title"]
    assert [] == watched.problems


def test_the_filters_survive_a_reload_and_the_way_back_from_a_document(watched, report_dir):
    page = watched.open((report_dir / "index.html").as_uri())
    page.select_option("#f-status", "failed")
    page.fill("#q", "粮道")
    page.reload()
    after_reload = (table_titles(page), page.input_value("#f-status"), page.input_value("#q"))
    page.click("#doc-table tbody a")
    page.wait_for_load_state()
    page.go_back()
    page.wait_for_selector("#doc-table tbody tr")
    assert ([TITLES[1]], "failed", "粮道") == after_reload
    assert ([TITLES[1]], []) == (table_titles(page), watched.problems)


@pytest.mark.parametrize(("address", "expected"), [
    ("#documents?sort=-year", [TITLES[2], TITLES[1]]),
    ("#documents?committee=紫阳&sort=bogus\"]", [TITLES[0]]),
    ("#documents?q=<img src=x onerror=window.pwned=10>", []),
])
def test_an_address_opens_the_table_filtered_and_sorted(watched, report_dir, address, expected):
    page = watched.open((report_dir / "index.html").as_uri() + address)
    assert (expected, "undefined", []) == (table_titles(page), page.evaluate("typeof window.pwned"), watched.problems)


@pytest.mark.parametrize("target", ['#rules g.bar[data-rule="placeholder"] rect', '#rules tr[data-rule="placeholder"]'])
def test_clicking_a_rule_in_the_chart_or_its_table_filters_the_documents_to_it(watched, report_dir, target):
    page = watched.open((report_dir / "index.html").as_uri())
    page.click(target)
    clicked = (table_titles(page), page.input_value("#f-rule"), page.url.split("#", 1)[1])
    page.reload()
    assert ([TITLES[0]], "placeholder", "documents?rule=placeholder") == clicked
    assert ([TITLES[0]], "placeholder", []) == (table_titles(page), page.input_value("#f-rule"), watched.problems)


def test_a_rule_chosen_with_the_keyboard_filters_the_documents(watched, report_dir):
    page = watched.open((report_dir / "index.html").as_uri())
    page.focus('#rules tr[data-rule="stat-rate-range"]')
    page.keyboard.press("Enter")
    assert ([TITLES[1]], "stat-rate-range", []) == (table_titles(page), page.input_value("#f-rule"), watched.problems)


def test_a_waived_finding_is_shown_as_waived_and_its_document_passes(watched, tmp_path):
    from tests.test_html import waived_report

    write_report(run_from_dict(waived_report()), tmp_path)
    page = watched.open((tmp_path / "index.html").as_uri())
    page.select_option("#f-status", "passed")
    overview = (table_titles(page), page.inner_text("#doc-table tbody .waived-count"), counts(page)["waived"])
    page.click("#doc-table tbody a")
    page.wait_for_load_state()
    waiver = page.inner_text('#findings li.waived .waiver')
    assert (["人大紫阳街工委2018年度工作报告"], "已豁免 1", "1") == overview
    assert ("豁免理由：原文如此，已向街道核实<b>；有效期至 2027-06-30", True, []) == (
        waiver, page.is_visible("#findings li.waived .waived-badge"), watched.problems)


# --- the first screen, and what an editor needs beyond one run ----------------------------------------------

SCREEN = {"width": 1280, "height": 900}


def failing_report(failing: int) -> dict:
    """``failing`` reports with a blank left in (an error each, the later ones worse), and two that pass."""
    documents = []
    for n in range(failing + 2):
        text = f"人大紫阳街道工委{2000 + n}年工作报告\n" + "组织完成*位代表述职。" * (n % 3 + 1 if n < failing else 0)
        findings = [{"rule": "placeholder", "severity": "error", "line": 2, "column": 5 + 11 * k, "end_line": 2,
                     "end_column": 6 + 11 * k, "excerpt": "*", "message": "模板占位符未填写：“*”",
                     "fingerprint": f"{n}-{k}"} for k in range(n % 3 + 1 if n < failing else 0)]
        documents.append({"path": f"reports/{n:02d}.txt", "line": 1, "end_line": 2, "title": text.split("\n")[0],
                          "committee": "紫阳", "year": 2000 + n, "kind": "report", "text": text, "findings": findings})
    return {"documents": documents}


@pytest.mark.parametrize("failing", [2, 12])
def test_the_verdict_and_the_failing_documents_are_on_the_first_screen(browser, tmp_path, failing):
    write_report(run_from_dict(failing_report(failing)), tmp_path)
    page = browser.new_page(viewport=SCREEN)
    try:
        page.goto((tmp_path / "index.html").as_uri())
        bottoms = page.eval_on_selector_all(
            "#verdict, #failing li.failing-doc, #failing button.more",
            "nodes => nodes.map(n => n.getBoundingClientRect().bottom + window.scrollY)")
        verdict = page.inner_text("#verdict")
    finally:
        page.close()
    listed = min(failing, 8) + (failing > 8)
    assert (f"{failing + 2} 份文档，{failing} 份未通过：{failing} 份占位符未替换", 1 + listed, True) == (
        verdict, len(bottoms), max(bottoms) <= SCREEN["height"])


@pytest.fixture(scope="module")
def overview_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("overview")
    write_report(run_from_dict(json.loads(REPORT.read_text(encoding="utf-8"))), out)
    return out


@pytest.mark.parametrize(("tile", "expected"), [
    ("failed", [TITLES[1], TITLES[0]]),
    ("passed", [TITLES[2]]),
    ("info", [TITLES[0]]),
    ("documents", [TITLES[1], TITLES[0], TITLES[2]]),
])
def test_clicking_a_count_filters_the_table_to_exactly_its_documents(watched, overview_dir, tile, expected):
    page = watched.open((overview_dir / "index.html").as_uri() + "#documents?q=2")  # a filter the click replaces
    page.click(f'#summary button.tile:has([data-count="{tile}"])')
    shown = f"显示 {len(expected)} / 3 份文档"
    assert (expected, shown, []) == (table_titles(page), page.inner_text("#shown"), watched.problems)


@pytest.fixture(scope="module")
def job_report(tmp_path_factory):
    """The main job's report over the replica of the two sites, one report replaced between two runs."""
    from tests.test_coverage import two_runs_with_a_report_replaced

    folder = tmp_path_factory.mktemp("job")
    return two_runs_with_a_report_replaced(folder), folder / "store.sqlite3"


def stored_reports(store: Path) -> dict[tuple[str, str], list[tuple[int, int | None]]]:
    """The annual reports the store holds, by (committee, year): each one's versions and days from meeting to publication."""
    import sqlite3
    from datetime import date, datetime

    with sqlite3.connect(store) as db:
        rows = db.execute("SELECT v.page, (SELECT COUNT(*) FROM versions w WHERE w.url = d.url) FROM documents d "
                          "JOIN versions v ON v.url = d.url AND v.version = d.version").fetchall()
    found: dict[tuple[str, str], list[tuple[int, int | None]]] = {}
    for text, versions in rows:
        page = json.loads(text)
        if page["kind"] == "report" and page["committee"] and page["year"]:
            days = None
            if page["meeting_date"] and page["published_at"]:
                published = datetime.fromisoformat(page["published_at"]).date()
                days = (published - date.fromisoformat(page["meeting_date"])).days
            found.setdefault((page["committee"], str(page["year"])), []).append((versions, days))
    return found


def test_the_coverage_table_shows_what_the_store_holds(watched, job_report):
    out, store = job_report
    page = watched.open((out / "index.html").as_uri())
    cells = page.eval_on_selector_all("#coverage td[data-year]", "cells => cells.map(c => "
                                      "[c.parentElement.dataset.committee, c.dataset.year, c.dataset.status])")
    held = stored_reports(store)
    late_after = json.loads((out / "results.json").read_text(encoding="utf-8"))["coverage"]["late_after_days"]
    expected = {(committee, year): ("missing" if (committee, year) not in held else "present",
                                    any(days is not None and days > late_after
                                        for _, days in held.get((committee, year), [])),
                                    any(versions > 1 for versions, _ in held.get((committee, year), [])))
                for committee, year, _ in cells}
    actual = {(committee, year): ("missing" if status == "missing" else "present", "late" in status.split(),
                                  "replaced" in status.split()) for committee, year, status in cells}
    assert (expected, True, True, []) == (actual, actual[("南湖", "2022")][2], actual[("中南路", "2016")][1],
                                          watched.problems)


ENGLISH_IDS = re.compile(r"\b(report|article|other|file|store|error|warning|info|wcrd|hppc|epoint)\b")


def test_the_overview_shows_kinds_sources_and_severities_only_in_chinese(watched, job_report):
    out, _ = job_report
    page = watched.open((out / "index.html").as_uri())
    page.click("#breakdowns summary")
    page.click("#technical summary")
    page.eval_on_selector_all("code", "codes => codes.forEach(c => c.remove())")  # ids shown aside, in <code>
    visible = page.inner_text("body")
    assert ([], True, True) == (sorted(set(ENGLISH_IDS.findall(visible))), "武昌区人大网" in visible,
                                "湖北人大网" in visible)


def test_the_findings_download_parses_back_to_the_findings_of_the_run(watched, job_report):
    import csv

    out, _ = job_report
    page = watched.open((out / "index.html").as_uri())
    with page.expect_download() as download:
        page.click("#download-csv")
    data = Path(download.value.path()).read_bytes()
    rows = list(csv.DictReader(data.decode("utf-8-sig").splitlines()))
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    findings = sorted((f["rule"], d["path"], f["line"], f["column"], f["excerpt"])
                      for d in results["documents"] for f in d["findings"])
    assert (True, findings) == (data.startswith(b"\xef\xbb\xbf"), sorted(
        (row["规则"], row["文件"], int(row["行"]), int(row["列"]), row["原文"]) for row in rows))
