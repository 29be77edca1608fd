"""The HTML data-quality report: an overview with the document table, and one page per document.

The input is plain data, the dict ``reports.json.run_to_dict(run, include_text=True)`` makes (the
file ``wrqa validate --format json`` writes), so a report can be written again from a saved run.
The output is a folder of static, self-contained files: inline CSS, a little inline JavaScript on the
overview only, charts as inline SVG. Opened from the file system or any static server, a page makes
no request of any kind; a Content-Security-Policy says so to the browser as well.

Every piece of scraped text reaches the page through Jinja2's autoescape or ``markupsafe.escape``;
this module must never mark text of a document as safe without escaping it first. The document
table's rows travel as JSON inside a ``<script type="application/json">`` block with ``<``, ``>``
and ``&`` escaped, and the JavaScript puts them on the page with ``textContent`` only.

Layout of ``out_dir``::

    index.html              overview, changes since the previous run, expectations, document table
    documents/00001.html    one page per document: metadata, statistics, highlighted text, findings
    .wrqa-manifest.json     what wrqa wrote there: each file's digest and, for a page, its inputs' digest

The folder is written through ``reports.folder.ReportFolder`` and nothing else: it is refused unless it
is wrqa's, and every file is replaced by rename.

A document page depends only on its document, its place in the list, the links of its duplicates, the
engines and tool version, and the templates; not on the time of the run, so a run that changed nothing
leaves the page files as they were.
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
from collections import Counter
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup, escape

from reports.folder import ReportFolder
from reports.rules import SEVERITIES, rule_explanation, rule_ids, rule_name, severity_name
from reports.times import BEIJING, local_time

TEMPLATES = Path(__file__).parent / "templates"
DOCUMENT_DIR = "documents"
SEVERITY_ORDER = ("error", "warning", "info")
UNKNOWN_COMMITTEE = "（未识别）"
UNKNOWN_YEAR = "（未知）"
# How many new or resolved findings the overview lists before it only counts the rest.
CHANGES_LISTED = 200

# Reports of this many documents or more are written by forked processes, at most MAX_WORKERS of them.
PARALLEL_FROM = 1000
MAX_WORKERS = 4

_environment: Environment | None = None
_job: tuple[list[dict], ReportFolder, dict, dict, list[str]] | None = None  # what forked page writers inherit


def write_report(
    report: dict,
    out_dir: Path,
    previous: dict | None = None,
    history: list[dict] | None = None,
    page_size: int = 200,
    timezone: str = BEIJING,
) -> Path:
    """Write the report of the run ``report`` into ``out_dir`` and return the path of its ``index.html``.

    previous: the dict of an earlier run, to list findings new and resolved since it (by fingerprint).
    history: summaries of past runs, oldest first (``started_at``, ``documents``, ``findings``,
        ``by_severity``), drawn as a trend with this run as the last point.
    page_size: rows per page of the document table; timezone: the zone times are shown in (``schedule.timezone``).
    Raises ``FolderError`` for a folder wrqa must not write into (see ``reports.folder``), ``OSError``
    for one it cannot.
    """
    out_dir = Path(out_dir)
    with ReportFolder(out_dir, (DOCUMENT_DIR,)) as folder:
        environment = _templates()
        documents = [_DocumentView.of(index, data) for index, data in enumerate(report.get("documents", []))]
        run = {**report.get("run", {}), "timezone": timezone}
        tool = report.get("tool", {})

        _write_all_pages(report.get("documents", []), folder, run, tool)

        script = environment.get_template("table.js").render()
        overview = _overview(report, documents, previous, history)
        html = environment.get_template("index.html").render(
            overview=overview,
            run=run,
            tool=tool,
            rows=_rows_json(documents),
            page_size=page_size,
            script=Markup(script),
            csp=_csp(scripts=(script,)),
        )
        folder.write("index.html", html.encode("utf-8"))
    return out_dir / "index.html"


def _write_all_pages(documents: list[dict], folder: ReportFolder, run: dict, tool: dict) -> None:
    """Write the document pages whose inputs changed, in forked processes when there are many.

    The pages of documents no longer in the report are not written again, so closing the folder removes them.
    """
    page_of = _page_links(documents)
    digests = [_page_digest(index, documents, run, tool, page_of) for index in range(len(documents))]
    stale = [index for index, digest in enumerate(digests) if not folder.reuse(_page_name(index), digest)]
    workers = _workers(len(stale))
    if workers == 1:
        _write_pages(documents, folder, run, tool, digests, stale)
        return
    global _job
    _job = (documents, folder, run, tool, digests)
    try:
        chunk = -(-len(stale) // (workers * 4))
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            pending = [pool.submit(_write_job_pages, stale[start:start + chunk])
                       for start in range(0, len(stale), chunk)]
            for done in pending:
                for name, entry in done.result():
                    folder.record(name, entry)
    finally:
        _job = None


def _page_links(documents: list[dict]) -> dict[tuple, str]:
    # A duplicate-report finding names the other document by path and line: link to its page.
    return {(document.get("path"), document.get("line")): _page_file(index)
            for index, document in enumerate(documents)}


def _page_digest(index: int, documents: list[dict], run: dict, tool: dict, page_of: dict[tuple, str]) -> str:
    """A digest of everything the page of document ``index`` is rendered from."""
    document = documents[index]
    others = [(finding.get("data") or {}).get("duplicate_of") for finding in document.get("findings") or ()
              if isinstance(finding, dict) and isinstance(finding.get("data"), dict)]
    links = [page_of.get((other.get("path"), other.get("line"))) if isinstance(other.get("path"), str) else None
             for other in others if isinstance(other, dict)]
    inputs = [_template_version(), index, index + 1 < len(documents), document, links, run.get("engines"), tool]
    text = json.dumps(inputs, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


@functools.cache
def _template_version() -> str:
    """A digest of the templates and of this module: a change to either renders every page again."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
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


def _write_pages(documents: list[dict], folder: ReportFolder, run: dict, tool: dict, digests: list[str],
                 indices: list[int]) -> list[tuple[str, dict]]:
    """Write the pages of ``indices``; the manifest entry of each, for the process that owns the folder."""
    page = _templates().get_template("document.html")
    policy = _csp(scripts=())
    page_of = _page_links(documents)
    # Creating thousands of files waits on the file system more than on Python: write while rendering.
    with ThreadPoolExecutor(max_workers=4) as writers:
        writes = []
        for index in indices:
            view = _DocumentView.of(index, documents[index])
            before = _page_file(index - 1) if index else None
            after = _page_file(index + 1) if index + 1 < len(documents) else None
            html = page.render(doc=view, before=before, after=after, run=run, tool=tool, csp=policy,
                               page_of=page_of)
            name = _page_name(index)
            writes.append((name, writers.submit(folder.write, name, html.encode("utf-8"), digests[index])))
        return [(name, write.result()) for name, write in writes]


def _page_file(index: int) -> str:
    return f"{index + 1:05d}.html"


def _page_name(index: int) -> str:
    """The page of document ``index`` as its report folder names it."""
    return f"{DOCUMENT_DIR}/{_page_file(index)}"


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
        _environment.filters["when"] = local_time
        _environment.globals.update(
            SEVERITIES=SEVERITIES, SEVERITY_ORDER=SEVERITY_ORDER, DOCUMENT_DIR=DOCUMENT_DIR,
            rule_name=rule_name, rule_explanation=rule_explanation, severity_name=severity_name,
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


# --- one document ---------------------------------------------------------------------------------------


@dataclass
class _Span:
    """The part of a document's text a finding covers: 1-based lines, 0-based code-point columns."""

    line: int
    column: int
    end_line: int
    end_column: int


@dataclass
class _DocumentView:
    """A document of the report as its page and its table row need it."""

    number: int
    file: str
    data: dict
    findings: list[dict]
    counts: Counter

    @classmethod
    def of(cls, index: int, data: dict) -> _DocumentView:
        findings = sorted(data.get("findings") or [], key=_finding_order)
        counts = Counter(f.get("severity", "info") for f in findings if not f.get("waived"))
        return cls(index + 1, _page_file(index), data, findings, counts)

    @functools.cached_property
    def highlighted(self) -> tuple[Markup, set[int]]:
        return highlight(self.data.get("text") or "", self.data.get("line") or 1, self.findings)

    @property
    def text_html(self) -> Markup:
        return self.highlighted[0]

    @property
    def outside(self) -> set[int]:
        return self.highlighted[1]

    @property
    def title(self) -> str:
        return self.data.get("title") or self.data.get("path") or f"#{self.number}"

    @property
    def statistics(self) -> list[tuple]:
        """Rows of the statistics table: text, value, unit, kind, label, line, column."""
        return [(s.get("text", ""), s.get("value", ""), s.get("unit", ""), s.get("kind", ""), s.get("label", ""),
                 s.get("line", ""), s.get("column", "")) for s in self.data.get("statistics") or ()]

    @property
    def relations(self) -> list[dict]:
        """Rows of the part/whole table, with the share the two values make where both are numbers."""
        rows = []
        for relation in self.data.get("relations") or ():
            part, whole = relation.get("part"), relation.get("whole")
            numbers = isinstance(part, (int, float)) and isinstance(whole, (int, float)) and whole
            rows.append(dict(relation, share=f"{part / whole * 100:.1f}%" if numbers else ""))
        return rows

    @property
    def link(self) -> str | None:
        """The source URL when it is a web address; anything else (``javascript:``) is shown, not linked."""
        url = self.data.get("url") or ""
        return url if url.lower().startswith(("http://", "https://")) else None

    @property
    def passed(self) -> bool:
        return not self.counts.get("error")

    @property
    def rules(self) -> list[str]:
        return sorted({f.get("rule", "") for f in self.findings if not f.get("waived")})

    @property
    def waived(self) -> int:
        return sum(1 for f in self.findings if f.get("waived"))


def _finding_order(finding: dict) -> tuple[int, int, str]:
    line, column = finding.get("line"), finding.get("column")
    return (line if isinstance(line, int) else 0, column if isinstance(column, int) else 0,
            str(finding.get("rule", "")))


def highlight(text: str, first_line: int, findings: list[dict]) -> tuple[Markup, set[int]]:
    """The text as HTML lines with each finding's characters in ``<mark>``, and the findings outside it.

    Each source line is ``<div id="L12"><a href="#L12">12</a><span>…</span></div>`` (kept short: a report
    of 10,000 documents writes these lines a few hundred thousand times).
    Finding ``i`` (its index in ``findings``) marks every character from (line, column) up to
    (end_line, end_column), exclusive; the marks carry ``data-f="i …"`` for every finding covering
    them, and an empty ``<span id="f-i">`` stands where finding ``i`` begins. Overlapping findings
    split the text into segments, so marks never nest.
    """
    lines = text.split("\n")
    last_line = first_line + len(lines) - 1
    cuts: dict[int, list[tuple[int, int, int]]] = {}
    outside: set[int] = set()
    for index, finding in enumerate(findings):
        span = _span(finding, lines, first_line)
        if span is None or span.line > last_line or span.end_line < first_line:
            outside.add(index)
            continue
        for number in range(max(span.line, first_line), min(span.end_line, last_line) + 1):
            line = lines[number - first_line]
            start = span.column if number == span.line else 0
            end = span.end_column if number == span.end_line else len(line)
            cuts.setdefault(number, []).append((min(start, len(line)), min(end, len(line)), index))
    severities = [f.get("severity", "info") for f in findings]
    waived = {index for index, f in enumerate(findings) if f.get("waived")}
    begun: set[int] = set()
    out = []
    for offset, line in enumerate(lines):
        number = first_line + offset
        body = (_marked(line, cuts[number], severities, findings, begun, waived) if number in cuts
                else escape(line))
        out.append(f'<div id="L{number}"><a href="#L{number}">{number}</a><span>{body}</span></div>')
    return Markup('<div class="src">' + "\n".join(out) + "</div>"), outside


def _span(finding: dict, lines: list[str], first_line: int) -> _Span | None:
    line, column = finding.get("line"), finding.get("column")
    if not isinstance(line, int):
        return None
    column = column if isinstance(column, int) and column > 0 else 1
    end_line, end_column = finding.get("end_line"), finding.get("end_column")
    source = lines[line - first_line] if 0 <= line - first_line < len(lines) else ""
    has_end = isinstance(end_line, int) and isinstance(end_column, int)
    if not has_end or (end_line, end_column) < (line, column):
        # No end given: the excerpt where it stands, else the rest of the line.
        excerpt = finding.get("excerpt") or ""
        end_line = line
        if excerpt and source[column - 1 : column - 1 + len(excerpt)] == excerpt:
            end_column = column + len(excerpt)
        else:
            end_column = len(source) + 1
    if (end_line, end_column) == (line, column):
        end_column = column + 1  # a point finding still marks the character it points at
    return _Span(line, column - 1, end_line, end_column - 1)


def _marked(line: str, cuts: list[tuple[int, int, int]], severities: list[str], findings: list[dict],
            begun: set[int], waived: set[int]) -> str:
    """One line as HTML with its findings' marks; ``begun``: the findings whose anchor is placed.

    A mark takes the worst severity of the unwaived findings covering it; one covered by waived findings
    only is of class ``waived``.
    """
    points = sorted({0, len(line)} | {start for start, _, _ in cuts} | {end for _, end, _ in cuts})
    parts = []
    for start, end in zip(points, points[1:], strict=False):
        covering = [index for first, last, index in cuts if first <= start and end <= last and first < last]
        for index in covering:
            if index not in begun:
                begun.add(index)
                parts.append(f'<span class="anchor" id="f-{index}"></span>')
        piece = escape(line[start:end])
        if not covering:
            parts.append(str(piece))
            continue
        active = [index for index in covering if index not in waived]
        worst = min((severities[index] for index in active or covering), key=_severity_rank)
        tip = escape("；".join(f"{rule_name(findings[i].get('rule', ''))}：{findings[i].get('message', '')}"
                              for i in covering))
        ids = " ".join(str(index) for index in covering)
        kind = f"hl sev-{escape(worst)}" + ("" if active else " waived")
        parts.append(f'<mark class="{kind}" data-f="{ids}" title="{tip}">{piece}</mark>')
    # Findings that start at the very end of the line (or on an empty one) still get their anchor.
    for _, _, index in cuts:
        if index not in begun:
            begun.add(index)
            parts.append(f'<span class="anchor" id="f-{index}"></span>')
    return "".join(parts)


def _severity_rank(severity: str) -> int:
    return SEVERITY_ORDER.index(severity) if severity in SEVERITY_ORDER else len(SEVERITY_ORDER)


# --- the overview ---------------------------------------------------------------------------------------


def _key(finding: dict, document: dict) -> str:
    """A finding's identity across runs: its fingerprint, or where it stands when it has none."""
    return finding.get("fingerprint") or "|".join(
        str(part) for part in (document.get("path"), finding.get("rule"), finding.get("line"),
                               finding.get("column"), finding.get("excerpt"))
    )


def _overview(report: dict, documents: list[_DocumentView], previous: dict | None,
              history: list[dict] | None) -> dict[str, Any]:
    summary = report.get("summary", {})
    active = [(view, f) for view in documents for f in view.findings if not f.get("waived")]
    by_rule: dict[str, Counter] = {}
    for _, finding in active:
        by_rule.setdefault(finding.get("rule", ""), Counter())[finding.get("severity", "info")] += 1
    by_severity = Counter(finding.get("severity", "info") for _, finding in active)
    passed = sum(view.passed for view in documents)
    overview: dict[str, Any] = {
        "documents": len(documents),
        "passed": summary.get("passed", passed),
        "failed": summary.get("failed", len(documents) - passed),
        "findings": len(active),
        "waived": sum(view.waived for view in documents),
        "by_severity": [(severity, by_severity.get(severity, 0)) for severity in SEVERITY_ORDER],
        "by_source": _breakdown(documents, lambda view: view.data.get("source") or "file"),
        "by_committee": _breakdown(documents, lambda view: view.data.get("committee") or UNKNOWN_COMMITTEE),
        "by_year": _breakdown(documents, lambda view: str(view.data.get("year") or UNKNOWN_YEAR), by_name=True),
        "by_kind": _breakdown(documents, lambda view: view.data.get("kind") or "other"),
        "rule_chart": _rule_chart(by_rule),
        "rule_rows": _rule_rows(by_rule, Counter(f.get("rule", "") for view in documents for f in view.findings
                                                 if f.get("waived"))),
        "expectations": sorted(
            report.get("expectations", []),
            key=lambda e: (bool(e.get("success")), e.get("engine", ""), e.get("frame", "")),
        ),
        "errors": report.get("errors", []),
        "changes": _changes(documents, previous) if previous is not None else None,
        "trend": _trend(history, report, len(documents), by_severity) if history else None,
    }
    return overview


def _breakdown(documents: list[_DocumentView], key, by_name: bool = False) -> list[tuple[str, int, int, int]]:
    """(name, documents, passed, findings) per value of ``key``: most documents first, or by name."""
    groups: dict[str, list[int]] = {}
    for view in documents:
        group = groups.setdefault(key(view), [0, 0, 0])
        group[0] += 1
        group[1] += view.passed
        group[2] += sum(view.counts.values())
    order = sorted(groups) if by_name else sorted(groups, key=lambda name: (-groups[name][0], name))
    return [(name, *groups[name]) for name in order]


def _rule_chart(by_rule: dict[str, Counter]) -> dict[str, Any]:
    """Bars of findings per rule, each split by severity, as SVG geometry (x and width in pixels)."""
    width, label_width, row = 460, 250, 26
    largest = max((sum(counts.values()) for counts in by_rule.values()), default=0)
    bars = []
    for rule, counts in sorted(by_rule.items(), key=lambda item: (-sum(item[1].values()), item[0])):
        x, segments = 0.0, []
        for severity in SEVERITY_ORDER + tuple(sorted(set(counts) - set(SEVERITY_ORDER))):
            if counts.get(severity):
                length = counts[severity] / largest * width
                segments.append({"severity": severity, "x": round(x, 1), "width": round(max(length, 1), 1),
                                 "count": counts[severity]})
                x += length
        bars.append({"rule": rule, "total": sum(counts.values()), "segments": segments, "end": round(x, 1)})
    return {"bars": bars, "label_width": label_width, "width": label_width + width + 60, "row": row,
            "height": row * len(bars) + 4}


def _rule_rows(by_rule: dict[str, Counter], waived: Counter) -> list[dict[str, Any]]:
    """Rows of the rule table: rules with findings, most first, then the other known rules and waived ones."""
    found = sorted(by_rule, key=lambda rule: (-sum(by_rule[rule].values()), rule))
    known = rule_ids()
    rest = [rule for rule in known if rule not in by_rule] + sorted(set(waived) - set(known) - set(by_rule))
    return [{"rule": rule, "counts": [by_rule.get(rule, Counter()).get(severity, 0) for severity in SEVERITY_ORDER],
             "total": sum(by_rule.get(rule, Counter()).values()), "waived": waived.get(rule, 0)}
            for rule in found + rest]


def _changes(documents: list[_DocumentView], previous: dict) -> dict[str, Any]:
    current = {
        _key(f, view.data): (view, f) for view in documents for f in view.findings if not f.get("waived")
    }
    before = {
        _key(f, document): (document, f)
        for document in previous.get("documents", [])
        for f in document.get("findings", [])
        if not f.get("waived")
    }
    new = [current[key] for key in current if key not in before]
    resolved = [before[key] for key in before if key not in current]
    return {
        "new_count": len(new),
        "resolved_count": len(resolved),
        "new": new[:CHANGES_LISTED],
        "resolved": resolved[:CHANGES_LISTED],
        "previous_started_at": previous.get("run", {}).get("started_at", ""),
    }


def _trend(history: list[dict], report: dict, documents: int, by_severity: Counter) -> dict[str, Any]:
    """Lines of findings and errors per run, oldest first, this run last, as SVG points."""
    runs = [dict(run) for run in history]
    started_at = report.get("run", {}).get("started_at", "")
    if not any(run.get("started_at") == started_at for run in runs):
        runs.append({"started_at": started_at, "documents": documents, "findings": sum(by_severity.values()),
                     "by_severity": dict(by_severity)})
    width, height, pad = 520, 140, 24
    largest = max([run.get("findings", 0) for run in runs] + [run.get("documents", 0) for run in runs] + [1])
    step = (width - 2 * pad) / max(len(runs) - 1, 1)

    def point(index: int, value: float) -> tuple[float, float]:
        return round(pad + index * step, 1), round(height - pad - value / largest * (height - 2 * pad), 1)

    series = []
    for name, label, value in (
        ("findings", "发现问题", lambda run: run.get("findings", 0)),
        ("errors", "错误", lambda run: (run.get("by_severity") or {}).get("error", 0)),
        ("documents", "文档", lambda run: run.get("documents", 0)),
    ):
        points = [point(index, value(run)) for index, run in enumerate(runs)]
        series.append({"name": name, "label": label, "points": points,
                       "path": " ".join(f"{x},{y}" for x, y in points),
                       "values": [value(run) for run in runs]})
    return {"runs": runs, "series": series, "width": width, "height": height, "pad": pad, "largest": largest}


def _rows_json(documents: list[_DocumentView]) -> Markup:
    """The document table's rows as JSON safe inside a ``<script type="application/json">`` block."""
    rows = [
        {
            "n": view.number,
            "href": f"{DOCUMENT_DIR}/{view.file}",
            "title": view.title,
            "path": view.data.get("path") or "",
            "committee": view.data.get("committee") or UNKNOWN_COMMITTEE,
            "year": view.data.get("year") or "",
            "kind": view.data.get("kind") or "",
            "source": view.data.get("source") or "file",
            "error": view.counts.get("error", 0),
            "warning": view.counts.get("warning", 0),
            "info": view.counts.get("info", 0),
            "rules": view.rules,
            "waived": view.waived,
            "passed": view.passed,
        }
        for view in documents
    ]
    text = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    return Markup(text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e"))
