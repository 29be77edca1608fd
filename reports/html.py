"""The HTML data-quality report: an overview a clerk reads first, a page per document and per committee, and
the run's findings and results to download.

The input is the typed run (``validators.records.RunResult``, read back with ``reports.json.run_from_dict``
when written again from a saved run), with the earlier run to compare with. The output is a folder of
static, self-contained files: inline CSS, a little inline JavaScript on the overview only, charts as inline
SVG. Opened from the file system or any static server, a page makes no request of any kind; a
Content-Security-Policy says so to the browser as well.

Every piece of scraped text reaches the page through Jinja2's autoescape or ``markupsafe.escape``;
this module must never mark text of a document as safe without escaping it first. The document
table's rows travel as JSON inside a ``<script type="application/json">`` block with ``<``, ``>``
and ``&`` escaped, and the JavaScript puts them on the page with ``textContent`` only.

Layout of ``out_dir``::

    index.html              the verdict, the failing documents, coverage, rules, changes, history, the table
    documents/00001.html    one page per document: metadata, statistics, highlighted text, findings by rule
    committees/01.html      one page per committee: its reports across the years and their figures
    findings.csv            the findings, for Excel (UTF-8 with BOM, Chinese headers)
    results.json            the run as ``wrqa validate --format json`` writes it, with its coverage
    .wrqa-manifest.json     what wrqa wrote there: each file's digest and, for a page, its inputs' digest

The folder is written through ``reports.folder.ReportFolder`` and nothing else: it is refused unless it
is wrqa's, and every file is replaced by rename.

A document page depends only on its document, its place in the list, the links of its duplicates and its
committee, the engines and tool version, and the templates; not on the time of the run, so a run that
changed nothing leaves the page files as they were.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import multiprocessing
import os
import re
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from reports import overview as views_of_run
from reports.committees import COMMITTEE_DIR, committee_links, committee_pages
from reports.coverage import LATE_AFTER_DAYS, coverage_of
from reports.folder import ReportFolder
from reports.json import dumps, run_to_dict
from reports.rules import SEVERITIES, rule_explanation, rule_name, severity_name
from reports.table import render_csv
from reports.times import BEIJING, report_day, report_time
from reports.views import SEVERITY_ORDER, DocumentView, highlight, page_file
from reports.words import ENGINE_NOTES, ENGINES, RELATIONS, SECTIONS, STATISTIC_KINDS, kind_name, number, source_name
from validators.records import RunResult

__all__ = ["write_report", "highlight", "PARALLEL_FROM"]

TEMPLATES = Path(__file__).parent / "templates"
DOCUMENT_DIR = "documents"
# Modules whose code shapes a document page besides the templates: a change to one renders every page again.
PAGE_MODULES = ("html.py", "views.py", "words.py")

# Reports of this many documents or more are written by forked processes, at most MAX_WORKERS of them.
PARALLEL_FROM = 1000
MAX_WORKERS = 4

_environment: Environment | None = None
_job: tuple[list[dict], ReportFolder, _Context, list[str]] | None = None  # what forked page writers inherit


@dataclass(frozen=True)
class _Context:
    """What every page of one report is rendered with besides its document: the run's times and engines
    (``run``: ``started_at``, ``engines``, ``timezone``), the tool, each committee's page and the sites' names."""

    run: dict
    tool: dict
    committees: dict[str, str] = field(default_factory=dict)
    sites: Mapping[str, str] = field(default_factory=dict)


def write_report(
    run: RunResult,
    out_dir: Path,
    previous: RunResult | None = None,
    history: list[dict] | None = None,
    page_size: int = 200,
    timezone: str = BEIJING,
    sites: Mapping[str, str] | None = None,
    late_after_days: int = LATE_AFTER_DAYS,
) -> Path:
    """Write the report of ``run`` into ``out_dir`` and return the path of its ``index.html``.

    previous: an earlier run, to list findings new and resolved since it (by fingerprint).
    history: summaries of past runs, oldest first (``started_at``, ``documents``, ``findings``,
        ``by_severity``), drawn as a trend with this run as the last point.
    page_size: rows per page of the document table; timezone: the zone times are shown in (``schedule.timezone``);
    sites: the name readers know each source by, by its configured name (``reports.words.site_names``).
    The coverage is the run's own, or worked out from its documents when it carries none (a report published
    more than ``late_after_days`` after its meeting is late: ``report.late_after_days``).
    Raises ``FolderError`` for a folder wrqa must not write into (see ``reports.folder``), ``OSError``
    for one it cannot.
    """
    out_dir = Path(out_dir)
    sites = dict(sites or {})
    if run.coverage is None:
        run = replace(run, coverage=coverage_of(run.documents, late_after=late_after_days))
    coverage = run.coverage
    report = run_to_dict(run)
    # The pages show each text; the results to download leave them out, as 'wrqa validate' does.
    documents = [dict(entry, text="\n".join(result.lines)) if result.lines is not None else entry
                 for entry, result in zip(report["documents"], run.documents, strict=True)]
    context = _Context({**report["run"], "timezone": timezone}, report["tool"],
                       committee_links(coverage) if coverage.years else {}, sites)
    with ReportFolder(out_dir, (DOCUMENT_DIR, COMMITTEE_DIR)) as folder:
        def the_rest() -> None:
            _write_overview(run, report, documents, folder, context, previous, history, page_size)

        _write_all_pages(documents, folder, context, meanwhile=the_rest)
    return out_dir / "index.html"


def _write_overview(run: RunResult, report: dict, documents: list[dict], folder: ReportFolder, context: _Context,
                    previous: RunResult | None, history: list[dict] | None, page_size: int) -> None:
    """Write everything but the document pages: the committees' pages, the downloads and ``index.html``."""
    environment = _templates()
    coverage = run.coverage
    views = [DocumentView.of(index, data, result.lines)
             for index, (data, result) in enumerate(zip(documents, run.documents, strict=True))]
    if coverage.years:
        page = environment.get_template("committee.html")
        for committee in committee_pages(coverage, run, views, context.sites):
            html = page.render(c=committee, run=context.run, tool=context.tool, csp=_csp(scripts=()),
                               coverage=coverage)
            folder.write(f"{COMMITTEE_DIR}/{committee['file']}", html.encode("utf-8"))
    folder.write("findings.csv", render_csv(run).encode("utf-8"))
    folder.write("results.json", (dumps(report) + "\n").encode("utf-8"))
    script = environment.get_template("table.js").render()
    html = environment.get_template("index.html").render(
        o=_overview(run, views, previous, history, context), run=context.run, tool=context.tool,
        rows=views_of_run.rows_json(views, context.sites), page_size=page_size, script=Markup(script),
        csp=_csp(scripts=(script,)), coverage=coverage, committees=context.committees,
    )
    folder.write("index.html", html.encode("utf-8"))


def _overview(run: RunResult, views: list[DocumentView], previous: RunResult | None, history: list[dict] | None,
              context: _Context) -> dict[str, Any]:
    zone = context.run["timezone"]
    counts = views_of_run.by_rule(run)
    return {
        "verdict": views_of_run.verdict(run, views), "tiles": views_of_run.tiles(run, run.coverage),
        "coverage_line": views_of_run.coverage_line(run.coverage),
        "failing": views_of_run.failing(views, context.sites), "failed": run.summary.failed,
        "rule_chart": views_of_run.rule_chart(counts), "rule_rows": views_of_run.rule_rows(counts, run),
        "changes": views_of_run.changes(views, previous) if previous is not None else None,
        "trend": views_of_run.trend(history, run, zone) if history else None,
        "expectations": views_of_run.expectations(run), "breakdowns": views_of_run.breakdowns(views, context.sites),
        "errors": run.errors, "committees": sorted({v.data.get("committee") for v in views if v.data.get("committee")}),
        "years": sorted({str(v.data.get("year")) for v in views if v.data.get("year")}),
        "sources": sorted({source_name(v.data, context.sites) for v in views}),
        "kinds": sorted({kind_name(v.data.get("kind")) for v in views}),
    }


def _write_all_pages(documents: list[dict], folder: ReportFolder, context: _Context,
                     meanwhile: Callable[[], None]) -> None:
    """Write the document pages whose inputs changed, in forked processes when there are many, and run
    ``meanwhile`` here while they do (the rest of the report).

    The pages of documents no longer in the report are not written again, so closing the folder removes them.
    """
    page_of = _page_links(documents)
    digests = [_page_digest(index, documents, context, page_of) for index in range(len(documents))]
    stale = [index for index, digest in enumerate(digests) if not folder.reuse(_page_name(index), digest)]
    workers = _workers(len(stale))
    if workers == 1:
        _write_pages(documents, folder, context, digests, stale)
        meanwhile()
        return
    global _job
    _job = (documents, folder, context, digests)
    try:
        chunk = -(-len(stale) // (workers * 4))
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            pending = [pool.submit(_write_job_pages, stale[start:start + chunk])
                       for start in range(0, len(stale), chunk)]
            meanwhile()  # the workers were forked at the first submit: what this process does now is its own
            for done in pending:
                for name, entry in done.result():
                    folder.record(name, entry)
    finally:
        _job = None


def _page_links(documents: list[dict]) -> dict[tuple, str]:
    # A duplicate-report finding names the other document by path and line: link to its page.
    return {(document.get("path"), document.get("line")): page_file(index)
            for index, document in enumerate(documents)}


def _page_digest(index: int, documents: list[dict], context: _Context, page_of: dict[tuple, str]) -> str:
    """A digest of everything the page of document ``index`` is rendered from."""
    document = documents[index]
    others = [(finding.get("data") or {}).get("duplicate_of") for finding in document.get("findings") or ()
              if isinstance(finding, dict) and isinstance(finding.get("data"), dict)]
    links = [page_of.get((other.get("path"), other.get("line"))) if isinstance(other.get("path"), str) else None
             for other in others if isinstance(other, dict)]
    inputs = [_template_version(), index, index + 1 < len(documents), document, links, context.run.get("engines"),
              context.run.get("timezone"), context.tool, context.committees.get(document.get("committee") or ""),
              source_name(document, context.sites)]
    text = json.dumps(inputs, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@functools.cache
def _template_version() -> str:
    """A digest of the templates and of the modules that shape a page: a change to one renders every page again."""
    digest = hashlib.sha256()
    for name in PAGE_MODULES:
        digest.update((Path(__file__).parent / name).read_bytes())
    for path in sorted(TEMPLATES.iterdir()):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _workers(documents: int) -> int:
    """How many processes write the pages: one for a small report, or where forking could deadlock."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    forkable = "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
    return min(cpus, MAX_WORKERS) if documents >= PARALLEL_FROM and forkable else 1


def _write_job_pages(indices: list[int]) -> list[tuple[str, dict]]:
    # Runs in a forked child: the report came along with the fork, so nothing large is pickled.
    assert _job is not None
    return _write_pages(*_job, indices)


def _write_pages(documents: list[dict], folder: ReportFolder, context: _Context, digests: list[str],
                 indices: list[int]) -> list[tuple[str, dict]]:
    """Write the pages of ``indices``; the manifest entry of each, for the process that owns the folder."""
    page = _templates().get_template("document.html")
    policy = _csp(scripts=())
    page_of = _page_links(documents)
    # Creating thousands of files waits on the file system more than on Python: write while rendering.
    with ThreadPoolExecutor(max_workers=4) as writers:
        writes = []
        for index in indices:
            view = DocumentView.of(index, documents[index])
            before = page_file(index - 1) if index else None
            after = page_file(index + 1) if index + 1 < len(documents) else None
            committee = context.committees.get(view.data.get("committee") or "")
            html = page.render(doc=view, before=before, after=after, run=context.run, tool=context.tool, csp=policy,
                               page_of=page_of, committee_page=committee,
                               source=source_name(view.data, context.sites))
            name = _page_name(index)
            writes.append((name, writers.submit(folder.write, name, html.encode("utf-8"), digests[index])))
        return [(name, write.result()) for name, write in writes]


def _page_name(index: int) -> str:
    """The page of document ``index`` as its report folder names it."""
    return f"{DOCUMENT_DIR}/{page_file(index)}"


def _templates() -> Environment:
    global _environment
    if _environment is None:
        _environment = Environment(
            loader=FileSystemLoader(TEMPLATES),
            autoescape=True,
            undefined=StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        _environment.globals["css"] = _stylesheet
        _environment.filters.update(when=report_time, day=report_day, number=number, kind=kind_name)
        _environment.globals.update(
            SEVERITIES=SEVERITIES, SEVERITY_ORDER=SEVERITY_ORDER, DOCUMENT_DIR=DOCUMENT_DIR,
            COMMITTEE_DIR=COMMITTEE_DIR, rule_name=rule_name, rule_explanation=rule_explanation,
            severity_name=severity_name, ENGINES=ENGINES, ENGINE_NOTES=ENGINE_NOTES, SECTIONS=SECTIONS,
            STATISTIC_KINDS=STATISTIC_KINDS, RELATIONS=RELATIONS,
        )
    return _environment


@functools.cache
def _stylesheet(*names: str) -> Markup:
    """The stylesheets ``names`` from the templates folder, blank space squeezed, for a ``<style>`` element."""
    text = "\n".join((TEMPLATES / name).read_text(encoding="utf-8") for name in names)
    return Markup(re.sub(r"\s*\n\s*", "\n", re.sub(r"[ \t]+", " ", text)).strip())


def _csp(scripts: tuple[str, ...]) -> str:
    """A policy allowing inline styles, data: images and exactly the given inline scripts, nothing else."""
    digests = (base64.b64encode(hashlib.sha256(script.encode()).digest()).decode() for script in scripts)
    hashes = " ".join(f"'sha256-{digest}'" for digest in digests)
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src {hashes or chr(39) + 'none' + chr(39)}; base-uri 'none'; form-action 'none'"
    )
