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
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from crawler.errors import CrawlerError
from reports.folder import FolderError
from validators.records import RunResult, Severity, tool_version
from wrqa import history
from wrqa.alerts import Alert, due, send_alerts
from wrqa.waivers import Waiver, WaiverError, in_force, load_waivers

HISTORY_RUNS = 365  # runs of the report's history: the last 60 drawn, the others summed up


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
        severities = ", ".join(f"{count} {severity}" for severity, count in self.by_severity.items() if count)
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


def stored_findings(run: RunResult, judged: set[str]) -> list[history.StoredFinding]:
    """The run's findings as history rows; those of documents not judged this run are ``carried``."""
    return [
        history.StoredFinding(
            source=document.path, fingerprint=f.fingerprint, rule=f.rule, severity=f.severity.value, path=f.path,
            line=f.line, column=f.column, message=f.message, excerpt=f.excerpt, waived=f.waived, new=bool(f.new),
            carried=document.path not in judged,
        )
        for document in run.documents for f in document.findings
    ]


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


def _with_coverage(run: RunResult, config) -> RunResult:
    """``run`` with the coverage of its documents, each page's versions read from the store."""
    from crawler.store import Store
    from reports.coverage import coverage_of

    path = config.path_of("store.path")
    versions = {}
    if path.exists():
        with Store(path, read_only=True) as store:
            versions = store.version_counts()
    return replace(run, coverage=coverage_of(run.documents, versions, config["report.late_after_days"]))


def _engines(documents: list, config) -> tuple[str, ...]:
    from validators import engines_for

    return engines_for(config["validate.suite"], len({document.path for document in documents}))


def _bounds(config):
    from validators.catalogue import Bounds

    return Bounds(float(config["validate.duplicate_threshold"]), float(config["validate.rate_tolerance"]),
                  float(config["validate.trend_factor"]))


def _validate(documents: list, config) -> RunResult:
    from wrqa.commands import loading

    with loading():  # pandas, pandera and the analysis, once a process: a daemon's collections pass them by
        from validators import ValidatorError, validate

    bounds = _bounds(config)
    try:
        return validate(documents, engines=_engines(documents, config),
                        duplicate_threshold=bounds.duplicate_threshold, rate_tolerance=bounds.rate_tolerance,
                        trend_factor=bounds.trend_factor, selection=config.rule_selection())
    except ValidatorError as error:
        raise JobError(f"validation could not be completed: {error}") from None


def _judge_trends(run: RunResult, documents: list, touched: set[str], config) -> RunResult:
    """``run`` with the trends of the committees ``touched`` judged again over all their stored reports: a
    new report is set beside the earlier ones, which this run did not judge again."""
    from validators import ValidatorError
    from validators.trends import judge_trends, with_trends

    reports = [document for document in documents if document.kind == "report" and document.committee in touched]
    try:
        findings, expectations = judge_trends(reports, engines=_engines(reports, config),
                                              selection=config.rule_selection(), bounds=_bounds(config))
    except ValidatorError as error:
        raise JobError(f"validation could not be completed: {error}") from None
    return with_trends(run, touched, findings, expectations)


def _write_report(run: RunResult, out_dir: Path, previous: RunResult | None, trend: list[dict[str, Any]],
                  config) -> Path:
    from reports.html import write_report

    return write_report(run, out_dir, previous=previous, history=trend, **config.report_settings())


def _encoded(run: RunResult) -> dict[str, Any]:
    from reports.json import run_to_dict

    return run_to_dict(run, include_text=True)


def _decoded(data: dict[str, Any] | None) -> RunResult | None:
    """The run the history kept, read back; a report an older version kept in another shape is no report."""
    if data is None:
        return None
    from reports.json import ResultsError, run_from_dict

    try:
        return run_from_dict(data)
    except ResultsError:
        return None


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
        previous = _decoded(history.report_of(self.conn, last.id)) if last else None
        run, judged, digests = self._judge(run_id, previous)
        before = history.findings_of(self.conn, last.id) if last else []
        pending = {f.fingerprint for f in before if f.new and not f.alerted and not f.waived}
        run = _with_coverage(run.waive(self.waivers).mark_new(f.fingerprint for f in before), self.config)
        code = run.exit_code(Severity.threshold(self.config["validate.fail_on"]))
        summary = run.summary
        outcome = RunOutcome(
            run_id, self.trigger, "errors" if code == 2 else "findings" if code == 1 else "clean", code,
            fetched=fetched, crawl_errors=crawl_errors, documents=summary.documents, validated=run.validated or 0,
            findings=summary.findings, new=sum(1 for f in run.findings if f.new and not f.waived),
            waived=summary.waived, interrupted=interrupted, by_severity=summary.by_severity,
        )
        rows = stored_findings(run, judged)
        history.finish_run(self.conn, run_id, outcome.status, code, outcome.summary(), outcome.counts(), rows,
                           digests, _encoded(run))
        alerted = self._alert(outcome, due(rows, self.config["alerts.min_severity"], pending))
        outcome = RunOutcome(**{**outcome.__dict__, **alerted, **self._write(run, previous)})
        history.set_summary(self.conn, run_id, outcome.summary(), outcome.counts())
        return outcome

    def _judge(self, run_id: int, previous: RunResult | None) -> tuple[RunResult, set[str], dict]:
        """The run over every stored document, those new or changed judged afresh, the others carried from
        ``previous``; the sources judged and their digests."""
        documents = _stored_documents(self.config)
        texts: dict[str, list[str]] = {}
        for document in documents:
            texts.setdefault(document.path, []).append(document.source.text)
        digests = {source: digest("\f".join(parts)) for source, parts in texts.items()}
        if self.validate_all or previous is None:
            judged = set(digests)
        else:
            known = history.digests(self.conn)
            reported = {document.path for document in previous.documents}
            judged = {source for source, value in digests.items()
                      if known.get(source) != value or source not in reported}
        chosen = [document for document in documents if document.path in judged]
        fresh = _validate(chosen, self.config) if chosen else RunResult(documents=(), tool_version=tool_version())
        run = fresh.merge(previous, judged, set(digests))
        if previous is not None and len(judged) < len(digests):
            # A committee whose report changed, or went, has its figures set beside its other reports again.
            touched = {document.committee for document in chosen if document.kind == "report"} | {
                result.committee for result in previous.documents
                if result.kind == "report" and (result.path in judged or result.path not in digests)}
            touched.discard(None)
            if touched:
                run = _judge_trends(run, documents, touched, self.config)
        started_at = datetime.fromisoformat(history.runs(self.conn, 1)[0].started_at)  # the trend's key
        run = replace(run, run_id=run_id, trigger=self.trigger, started_at=started_at,
                      finished_at=datetime.fromisoformat(history.now()), validated=len(chosen))
        return run, judged, {source: digests[source] for source in judged}

    def _alert(self, outcome: RunOutcome, findings: list[history.StoredFinding]) -> dict[str, Any]:
        """Send the alerts due; a failed delivery leaves them pending, for the next run to send again."""
        alert = Alert(outcome.run_id, outcome.summary(), tuple(findings), str(self._report_index()))
        channels, failures = send_alerts(self.config, alert)
        if not failures:
            history.mark_alerted(self.conn, outcome.run_id, [f.fingerprint for f in findings])
        return {"alerted": len(findings) if channels else 0, "alert_channels": tuple(channels),
                "alert_failures": tuple(failures)}

    def _write(self, run: RunResult, previous: RunResult | None) -> dict[str, Any]:
        """Write the HTML report, with the trend of the complete runs and the changes since the last."""
        trend = [{"started_at": r.started_at, "documents": r.counts.get("documents", 0),
                  "findings": r.counts.get("findings", 0), "by_severity": r.counts.get("by_severity", {})}
                 for r in reversed(history.runs(self.conn, HISTORY_RUNS)) if r.status in history.COMPLETE]
        out_dir = self.config.path_of("report.dir")
        try:
            index = _write_report(run, out_dir, previous, trend, self.config)
        except FolderError as error:  # a folder that is not wrqa's: the findings are stored all the same
            return {"report": None, "problems": (f"Cannot write the HTML report: {error}; check 'report.dir'",)}
        except OSError as error:  # the findings are stored; the next run writes the report again
            return {"report": None, "problems": (
                f"Cannot write the HTML report to {out_dir} ({error.strerror}); check 'report.dir'",)}
        return {"report": index, "problems": ()}

    def _report_index(self) -> Path:
        return self.config.path_of("report.dir") / "index.html"
