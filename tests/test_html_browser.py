"""The HTML report opened in a real headless Chromium (Debian's, driven by Playwright): what a reader sees.

Every page is watched: console errors, uncaught exceptions, dialogs and every request it makes.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from pathlib import Path

import pytest

from reports.html import write_report
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
    write_report(json.loads(REPORT.read_text(encoding="utf-8")), out, page_size=2)
    return out


def counts(page) -> dict[str, str]:
    return page.eval_on_selector_all(
        "[data-count]", "nodes => Object.fromEntries(nodes.map(n => [n.dataset.count, n.textContent]))")


def table_titles(page) -> list[str]:
    return page.eval_on_selector_all("#doc-table tbody tr td:nth-child(2)", "cells => cells.map(c => c.textContent)")


def marked(page, finding: int) -> str:
    return page.eval_on_selector_all(
        "mark.hl", "(marks, i) => marks.filter(m => m.dataset.f.split(' ').includes(String(i)))"
        ".map(m => m.textContent).join('')", finding)


TITLES = ["人大紫阳街工委2018年工作报告", "人大粮道街街道工委2022年工作报告<script>window.pwned=1</script>",
          "武汉市武昌区人大徐家棚街道工委凝聚代表力量 缔造幸福生活"]


def test_the_overview_shows_the_counts_and_the_first_page_of_the_table(watched, report_dir):
    page = watched.open((report_dir / "index.html").as_uri())
    expected = {"documents": "3", "passed": "1", "failed": "2", "findings": "8", "error": "2", "warning": "5",
                "info": "1", "errors": "1"}
    assert (expected, TITLES[:2], "第 1 / 2 页") == (counts(page), table_titles(page), page.inner_text("#page"))
    page.click("#next")
    assert (TITLES[2:], []) == (table_titles(page), watched.problems)


@pytest.mark.parametrize(("control", "value", "expected"), [
    ("#f-committee", "粮道街", [TITLES[1]]),
    ("#f-year", "2024", [TITLES[2]]),
    ("#f-source", "store", TITLES[1:]),
    ("#f-rule", "placeholder", [TITLES[0]]),
    ("#f-severity", "error", TITLES[:2]),
    ("#f-status", "passed", [TITLES[2]]),
    ("#q", "徐家棚", [TITLES[2]]),
    ("#q", "ziyang", [TITLES[0]]),  # the search also reads the path
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
    assert (TITLES[0], "*", [], []) == (page.inner_text("h1"), marked(page, 0), outside, watched.problems)


@pytest.fixture(scope="module")
def seeds_dir(tmp_path_factory) -> tuple[Path, dict]:
    from checks.batch import analyze_paths
    from reports.json import run_to_dict
    from validators import validate_analyses

    analyses, _ = analyze_paths([str(path) for path in sorted(SEEDS.glob("*.txt"))], 20 * 1024 * 1024)
    report = run_to_dict(validate_analyses(analyses, engines=("pandera",)), include_text=True)
    out = tmp_path_factory.mktemp("seeds")
    write_report(report, out)
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
    page.select_option("#f-source", "store")
    page.fill("#q", "粮道")
    page.reload()
    after_reload = (table_titles(page), page.input_value("#f-source"), page.input_value("#q"))
    page.click("#doc-table tbody a")
    page.wait_for_load_state()
    page.go_back()
    page.wait_for_selector("#doc-table tbody tr")
    assert ([TITLES[1]], "store", "粮道") == after_reload
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

    write_report(waived_report(), tmp_path)
    page = watched.open((tmp_path / "index.html").as_uri())
    page.select_option("#f-status", "passed")
    overview = (table_titles(page), page.inner_text("#doc-table tbody .waived-count"), counts(page)["waived"])
    page.click("#doc-table tbody a")
    page.wait_for_load_state()
    waiver = page.inner_text('#findings li.waived .waiver')
    assert (["人大紫阳街工委2018年工作报告"], "已豁免 1", "1") == overview
    assert ("豁免理由：原文如此，已向街道核实<b>；有效期至 2027-06-30", True, []) == (
        waiver, page.is_visible("#findings li.waived .waived-badge"), watched.problems)
