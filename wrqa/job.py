"""The main job: crawl every source, validate what is new or changed, store, waive, alert, report.

``run_once(config)`` is the one function behind ``wrqa run`` and every run of the daemon. One run:

1. takes ``<store>.run.lock`` before anything heavy is imported, so that a second run is refused at
   once; marks runs a crash left ``running`` as ``interrupted`` (the crawler resumes from its store,
   so nothing fetched is lost);
2. crawls every configured source (``crawler.crawl.crawl``); a stop request ends the crawl within
   seconds, the page under way recorded as failed for the next run, and the run is recorded ``stopped``,
   with nothing half-written;
3. validates the stored documents whose source is new or changed since it was last validated
   (all of them with ``validate_all``), and merges them into the previous run's report data, so the
   report always shows every document;
4. applies the waivers in force, marks findings new since the last complete run, and stores the
   findings, the validated digests and the report data with the run in one transaction;
5. alerts about new findings at or above ``alerts.min_severity`` (at least once: a failed delivery
   is retried by the next run), and writes the HTML report to ``report.dir``.

The exit code is that of ``wrqa validate``: 0 clean, 1 a finding at or above ``validate.fail_on``
that no waiver covers, 2 an input that could not be read. A run that cannot go on (a full or read-only
store, validation that cannot complete) raises ``JobError``, one line with exit code 2; a crash (a
bug) keeps its exception, which ends ``wrqa run`` with exit code 1. The history records either as
``failed`` with the exit code the process ends with. This module has no scheduling of its own.
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from collections.abc import Callable, Iterable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from checks.records import SEVERITIES
from crawler.errors import CrawlerError
from reports.folder import FolderError
from wrqa import history
from wrqa.alerts import Alert, due, send_alerts
from wrqa.waivers import Waiver, WaiverError, in_force, load_waivers

HISTORY_RUNS = 30  # runs drawn in the report's trend


class JobError(Exception):
    """A run that cannot start or go on: a bad waivers file, a store in use, a store that cannot be read or
    written, validation that cannot complete. The message is one line; ``wrqa run`` exits ``exit_code``."""

    exit_code = 2


@dataclass(frozen=True)
class RunOutcome:
    """What one run did.

    run_id, trigger, status (``clean``, ``findings``, ``errors``, ``stopped``), exit_code: as stored.
    fetched: pages the crawl fetched; crawl_errors: its one-line failures.
    documents: documents in the report; validated: how many this run judged.
    findings: unwaived findings; new: of those, new since the last complete run; waived: findings waived.
    alerted: findings alerts went out about; alert_channels, alert_failures: where they went, what failed.
    report: the HTML report's index.html, when one was written; interrupted: runs found cut short.
    problems: what went wrong after the findings were stored (the report could not be written).
    """

    run_id: int
    trigger: str
    status: str
    exit_code: int
    fetched: int = 0
    crawl_errors: tuple[str, ...] = ()
    documents: int = 0
    validated: int = 0
    findings: int = 0
    new: int = 0
    waived: int = 0
    alerted: int = 0
    alert_channels: tuple[str, ...] = ()
    alert_failures: tuple[str, ...] = ()
    report: Path | None = None
    interrupted: int = 0
    by_severity: dict[str, int] = field(default_factory=dict)
    problems: tuple[str, ...] = ()

    def summary(self) -> str:
        """The one line ``wrqa run`` prints and the history keeps."""
        if self.status == "stopped":
            return (f"run {self.run_id} stopped on request after {self.fetched} pages; "
                    "the next run picks up where it stopped")
        parts = [f"run {self.run_id}: fetched {self.fetched} pages"]
        if self.crawl_errors:
            parts.append(f"{len(self.crawl_errors)} could not be fetched")
        parts.append(f"validated {self.validated} of {self.documents} documents")
        severities = ", ".join(
            f"{self.by_severity[s]} {s}" for s in reversed(SEVERITIES) if self.by_severity.get(s)
        )
        parts.append(f"{self.findings} findings" + (f" ({severities})" if severities else ""))
        parts.append(f"{self.new} new")
        if self.waived:
            parts.append(f"{self.waived} waived")
        if self.alerted:
            parts.append(f"alerted {self.alerted} via {'+'.join(self.alert_channels) or 'nothing'}")
        if self.alert_failures:
            parts.append(f"{len(self.alert_failures)} alert channel(s) failed")
        line = ", ".join(parts)
        return line + (f"; report: {self.report}" if self.report else "")

    def counts(self) -> dict[str, Any]:
        return {"fetched": self.fetched, "crawl_errors": len(self.crawl_errors), "documents": self.documents,
                "validated": self.validated, "findings": self.findings, "new": self.new,
                "waived": self.waived, "alerted": self.alerted, "by_severity": self.by_severity,
                "report": str(self.report) if self.report else None}


def digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def exit_code(findings: Iterable[dict], errors: int, fail_on: str) -> int:
    """0, 1 or 2 as ``wrqa validate`` exits: errors first, then unwaived findings at or above ``fail_on``."""
    if errors:
        return 2
    if fail_on == "never":
        return 0
    floor = SEVERITIES.index(fail_on)
    failing = any(
        not f.get("waived") and SEVERITIES.index(f.get("severity", "info")) >= floor for f in findings
    )
    return 1 if failing else 0


def apply_waivers(report: dict[str, Any], waivers: dict[str, Waiver]) -> int:
    """Mark the report's findings that a waiver in force covers (and unmark the rest); how many are waived."""
    count = 0
    for document in report.get("documents", []):
        for finding in document.get("findings", []):
            waiver = waivers.get(finding.get("fingerprint", ""))
            finding["waived"] = waiver is not None
            finding.pop("waiver", None)
            if waiver is not None:
                finding["waiver"] = {"reason": waiver.reason, "expires": waiver.expires.isoformat()}
                count += 1
    return count


def merge(previous: dict[str, Any] | None, fresh: dict[str, Any] | None, judged: set[str],
          present: set[str]) -> dict[str, Any]:
    """The report of every present source: ``fresh`` documents for ``judged`` ones, earlier ones for the rest.

    ``judged`` and ``present`` hold source keys (a document's ``path``). The expectations and input
    errors are this run's when it judged anything, else the previous run's.
    """
    base = dict(fresh or previous or {"documents": [], "expectations": [], "errors": []})
    kept = [
        document for document in (previous or {}).get("documents", [])
        if document.get("path") not in judged and document.get("path") in present
    ]
    base["documents"] = kept + list((fresh or {}).get("documents", []))
    base["documents"].sort(key=lambda d: (str(d.get("path", "")), d.get("line") or 0))
    return base


def stored_findings(report: dict[str, Any], judged: set[str]) -> list[history.StoredFinding]:
    """The report's findings as history rows; those of documents not judged this run are ``carried``."""
    rows = []
    for document in report.get("documents", []):
        source = str(document.get("path", ""))
        for f in document.get("findings", []):
            rows.append(history.StoredFinding(
                source=source, fingerprint=str(f.get("fingerprint", "")), rule=str(f.get("rule", "")),
                severity=str(f.get("severity", "info")), path=str(f.get("path") or source),
                line=int(f.get("line") or 0), column=int(f.get("column") or 0),
                message=str(f.get("message", "")), excerpt=str(f.get("excerpt", "")),
                waived=bool(f.get("waived")), new=bool(f.get("new")), carried=source not in judged,
            ))
    return rows


def _crawl(config, stop: threading.Event | None,
           progress: Callable[..., Any] | None) -> tuple[int, tuple[str, ...]]:
    """Crawl every source; the number of pages fetched and the failures' messages."""
    from crawler.crawl import crawl

    result = crawl(config, progress=progress, stop=stop)
    return int(getattr(result, "fetched", 0)), tuple(str(error) for error in getattr(result, "errors", ()))


def _stored_documents(config) -> list:
    """Every document the store holds, normalized."""
    from crawler.store import stored_documents

    return list(stored_documents(config))


def _validate(documents: list, config) -> dict[str, Any]:
    from reports.json import run_to_dict
    from validators import ValidatorError, engines_for, validate

    sources = len({document.path for document in documents})
    try:
        run = validate(documents, engines=engines_for(config["validate.suite"], sources),
                       duplicate_threshold=float(config["validate.duplicate_threshold"]),
                       rate_tolerance=float(config["validate.rate_tolerance"]))
    except ValidatorError as error:
        raise JobError(f"validation could not be completed: {error}") from None
    return run_to_dict(run, include_text=True)


def recount(report: dict[str, Any]) -> dict[str, Any]:
    """The report's summary, counted over all its documents (unwaived findings only)."""
    every = [f for d in report.get("documents", []) for f in d.get("findings", [])]
    active = [f for f in every if not f.get("waived")]
    failed = sum(
        1 for d in report.get("documents", [])
        if any(f.get("severity") == "error" and not f.get("waived") for f in d.get("findings", []))
    )
    documents = len(report.get("documents", []))
    return {
        "documents": documents, "findings": len(active),
        "by_rule": dict(Counter(f.get("rule", "") for f in active)),
        "by_severity": dict(Counter(f.get("severity", "info") for f in active)),
        "passed": documents - failed, "failed": failed, "errors": len(report.get("errors", [])),
        "waived": len(every) - len(active),
    }


def _write_report(report: dict[str, Any], out_dir: Path, previous: dict[str, Any] | None,
                  trend: list[dict[str, Any]], page_size: int) -> Path:
    from reports.html import write_report

    return write_report(report, out_dir, previous=previous, history=trend, page_size=page_size)


def run_once(config, *, validate_all: bool = False, stop: threading.Event | None = None,
             trigger: str = "manual", progress: Callable[..., Any] | None = None) -> RunOutcome:
    """Run the main job once over ``config``; see the module docstring for the steps."""
    store = config.path_of("store.path")
    try:
        with history.exclusive(history.beside(store, "run.lock")):
            waivers = load_waivers(config.path_of("waivers.path") if config["waivers.path"] else None)
            with history.opened(store) as conn:
                return _Run(config, conn, waivers, trigger, stop, progress, validate_all)()
    except history.Held as held:
        raise JobError(
            f"Another run of the main job is under way on the store {store} ({held}); let it finish first"
        ) from None
    except (WaiverError, history.HistoryError) as error:
        raise JobError(str(error)) from None


class _Run:
    """One run, step by step, over an open store connection."""

    def __init__(self, config, conn, waivers: tuple[Waiver, ...], trigger: str,
                 stop: threading.Event | None, progress: Callable[..., Any] | None,
                 validate_all: bool) -> None:
        self.config = config
        self.conn = conn
        self.waivers = in_force(waivers, date.today())
        self.trigger = trigger
        self.stop = stop
        self.progress = progress
        self.validate_all = validate_all

    def __call__(self) -> RunOutcome:
        interrupted = history.mark_interrupted(self.conn)
        run_id = history.start_run(self.conn, self.trigger)
        try:
            return self._run(run_id, interrupted)
        except (JobError, CrawlerError, history.HistoryError) as error:
            self._failed(run_id, error, JobError.exit_code)
            raise JobError(str(error)) from None
        except BaseException as error:
            self._failed(run_id, error, 1)  # a crash: Python ends the process with 1 and the traceback
            raise

    def _failed(self, run_id: int, error: BaseException, exit_code: int) -> None:
        """Record the run as failed; a history that cannot take it (a full disk) leaves the run
        ``running``, for the next run to mark ``interrupted``, and must not hide ``error``."""
        message = f"failed: {type(error).__name__}: {error}".splitlines()[0]
        with suppress(history.HistoryError):
            history.fail_run(self.conn, run_id, message, exit_code)

    def _run(self, run_id: int, interrupted: int) -> RunOutcome:
        fetched, crawl_errors = _crawl(self.config, self.stop, self.progress)
        if self.stop is not None and self.stop.is_set():
            outcome = RunOutcome(run_id, self.trigger, "stopped", 0, fetched=fetched,
                                 crawl_errors=crawl_errors, interrupted=interrupted)
            history.end_run(self.conn, run_id, "stopped", 0, outcome.summary(), outcome.counts())
            return outcome

        last = history.last_complete(self.conn, before=run_id)
        previous = history.report_of(self.conn, last.id) if last else None
        report, judged, digests = self._judge(run_id, previous)
        waived = apply_waivers(report, self.waivers)
        report["summary"] = recount(report)

        before = history.findings_of(self.conn, last.id) if last else []
        seen = {f.fingerprint for f in before}
        pending = {f.fingerprint for f in before if f.new and not f.alerted and not f.waived}
        every = [f for document in report.get("documents", []) for f in document.get("findings", [])]
        for finding in every:
            finding["new"] = finding.get("fingerprint", "") not in seen
        active = [f for f in every if not f.get("waived")]
        input_errors = len(report.get("errors", [])) if judged else 0  # those of earlier runs were told then
        code = exit_code(every, input_errors, self.config["validate.fail_on"])
        outcome = RunOutcome(
            run_id, self.trigger, "errors" if code == 2 else "findings" if code == 1 else "clean", code,
            fetched=fetched, crawl_errors=crawl_errors, documents=len(report.get("documents", [])),
            validated=report["run"]["validated"], findings=len(active),
            new=sum(1 for f in active if f["new"]), waived=waived, interrupted=interrupted,
            by_severity=dict(Counter(f.get("severity", "info") for f in active)),
        )
        rows = stored_findings(report, judged)
        history.finish_run(self.conn, run_id, outcome.status, code, outcome.summary(), outcome.counts(), rows,
                           digests, report)
        alerted = self._alert(outcome, due(rows, self.config["alerts.min_severity"], pending))
        outcome = RunOutcome(**{**outcome.__dict__, **alerted, **self._write(report, previous)})
        history.set_summary(self.conn, run_id, outcome.summary(), outcome.counts())
        return outcome

    def _judge(self, run_id: int, previous: dict[str, Any] | None) -> tuple[dict[str, Any], set[str], dict]:
        """The report of every stored document, those new or changed judged afresh; the sources judged
        and their digests."""
        documents = _stored_documents(self.config)
        texts: dict[str, list[str]] = {}
        for document in documents:
            texts.setdefault(document.path, []).append(document.source.text)
        digests = {source: digest("\f".join(parts)) for source, parts in texts.items()}
        if self.validate_all or previous is None:
            judged = set(digests)
        else:
            known = history.digests(self.conn)
            reported = {document.get("path") for document in previous.get("documents", [])}
            judged = {source for source, value in digests.items()
                      if known.get(source) != value or source not in reported}
        chosen = [document for document in documents if document.path in judged]
        report = merge(previous, _validate(chosen, self.config) if chosen else None, judged, set(digests))
        started_at = history.runs(self.conn, 1)[0].started_at  # the trend's key for this run
        report.setdefault("run", {}).update({"id": run_id, "trigger": self.trigger, "started_at": started_at,
                                             "finished_at": history.now(), "validated": len(chosen)})
        return report, judged, {source: digests[source] for source in judged}

    def _alert(self, outcome: RunOutcome, findings: list[history.StoredFinding]) -> dict[str, Any]:
        """Send the alerts due; a failed delivery leaves them pending, for the next run to send again."""
        alert = Alert(outcome.run_id, outcome.summary(), tuple(findings), str(self._report_index()))
        channels, failures = send_alerts(self.config, alert)
        if not failures:
            history.mark_alerted(self.conn, outcome.run_id, [f.fingerprint for f in findings])
        return {"alerted": len(findings) if channels else 0, "alert_channels": tuple(channels),
                "alert_failures": tuple(failures)}

    def _write(self, report: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, Any]:
        """Write the HTML report, with the trend of the complete runs and the changes since the last."""
        trend = [{"started_at": r.started_at, "documents": r.counts.get("documents", 0),
                  "findings": r.counts.get("findings", 0), "by_severity": r.counts.get("by_severity", {})}
                 for r in reversed(history.runs(self.conn, HISTORY_RUNS)) if r.status in history.COMPLETE]
        out_dir = self.config.path_of("report.dir")
        try:
            index = _write_report(report, out_dir, previous, trend, self.config["report.page_size"])
        except FolderError as error:  # a folder that is not wrqa's: the findings are stored all the same
            return {"report": None, "problems": (f"Cannot write the HTML report: {error}; check 'report.dir'",)}
        except OSError as error:  # the findings are stored; the next run writes the report again
            return {"report": None, "problems": (
                f"Cannot write the HTML report to {out_dir} ({error.strerror}); check 'report.dir'",)}
        return {"report": index, "problems": ()}

    def _report_index(self) -> Path:
        return self.config.path_of("report.dir") / "index.html"
