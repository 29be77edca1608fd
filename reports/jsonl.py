"""The results as they are judged: the JSON and JSON Lines reports written a document at a time, and read back.

``Streamed`` is the sink (``validators.judge.Sink``) of ``wrqa validate --format json|jsonl``: each document,
once judged, is written to a spool file beside the output, as ``reports.json`` writes it (never its source
lines); the findings of the rules across documents that come later go to a second spool, in runs in document
order (a batch's near-copies, the run's trends). When the run closes, one pass merges them into their
documents (a third spool; of a changed document only its findings are read back and written again, and the
later ones counted) and the report is written from it: one JSON object, the very one ``render_json`` writes,
or JSON Lines — a document a line, then one line with the run (``tool``, ``run``, ``errors``,
``expectations``, ``summary``…). Memory holds a few counts a rule and where each run of later findings
starts, never the documents nor their findings. ``read_jsonl`` reads the lines back through the same codec
(``reports.json``). It must never hold every document at once.
"""

from __future__ import annotations

import heapq
import json
import os
import pickle
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import IO, Any, NamedTuple

from reports.json import (
    ResultsError,
    document_from_dict,
    document_to_dict,
    dumps,
    finding_from_dict,
    finding_to_dict,
    run_from_dict,
    run_to_dict,
)
from validators.records import DocumentResult, Finding, RunResult, Severity, SummaryCounts, Waiver


class Tally(NamedTuple):
    """What the summary counts of a finding (``validators.records.SummaryCounts``), without the finding."""

    rule: str
    severity: Severity
    waived: bool
    line: int
    column: int


@dataclass(frozen=True)
class Encoded:
    """A document's result as ``Streamed`` writes it: its ``line`` of JSON (``document_to_dict``, waivers
    marked, no source lines), whether it ``passed`` and its findings' ``Tally``s, which the summary counts."""

    line: str
    passed: bool
    findings: tuple[Tally, ...]


class Encoder:
    """A result made ``Encoded`` with ``waivers`` (by fingerprint) marked on its findings; picklable, so the
    worker that judged a document encodes it (``validators.chunks.Options.encode``) and the main process,
    which writes every document, only writes the line."""

    def __init__(self, waivers: Mapping[str, Waiver] | None = None) -> None:
        self.waivers = dict(waivers or {})

    def waived(self, findings: Sequence[Finding]) -> tuple[Finding, ...]:
        if not self.waivers and not any(f.waiver for f in findings):  # the common run: nothing to mark
            return tuple(findings)
        return tuple(replace(f, waiver=self.waivers.get(f.fingerprint)) for f in findings)

    def __call__(self, result: DocumentResult) -> Encoded:
        result = replace(result, findings=self.waived(result.findings), lines=None)
        return Encoded(dumps(document_to_dict(result)), result.passed,
                       tuple(Tally(f.rule, f.severity, f.waived, f.line, f.column) for f in result.findings))


class Streamed:
    """The sink writing ``output_format`` (``json`` or ``jsonl``) to ``output`` (None: standard output) as the
    documents are judged; ``waivers`` (by fingerprint) are applied to each, ``skipped`` goes in the run."""

    def __init__(self, output_format: str, output: str | None, waivers: Mapping[str, Waiver] | None = None,
                 skipped: Sequence[str] = ()) -> None:
        self.output_format, self.output = output_format, output
        self.encoder = Encoder(waivers)
        self.skipped = tuple(skipped)
        self.counts = SummaryCounts()
        self.dropped: set[int] = set()
        self.spool = self._spool()
        # The later findings, pickled (doc, findings) one after another; a run starts where a doc is not above the last.
        self.later = self._spool()
        self.runs: list[int] = []
        self.last = -1

    def _spool(self) -> IO[bytes]:
        # Beside the output, so the report is written where it is meant to be; gone when closed.
        folder = os.path.dirname(os.path.abspath(self.output)) if self.output else None
        return tempfile.TemporaryFile(dir=folder, prefix=".wrqa-spool-")

    def add(self, doc: int, result: DocumentResult | Encoded | None) -> None:
        """Write document ``doc``: its result, or the result already ``Encoded`` where it was judged."""
        if result is None:
            return
        if not isinstance(result, Encoded):
            result = self.encoder(result)
        self.counts.add(doc, result)
        self.spool.write(f"{doc}\t{result.line}\n".encode())

    def amend(self, doc: int, findings: Sequence[Finding]) -> None:
        if doc <= self.last:
            self.runs.append(self.later.tell())
        elif not self.runs:
            self.runs.append(0)
        self.last = doc
        pickle.dump((doc, self.encoder.waived(findings)), self.later, protocol=pickle.HIGHEST_PROTOCOL)

    def drop(self, doc: int) -> None:
        self.dropped.add(doc)

    def close(self, run: RunResult) -> RunResult:
        """Write the report of ``run`` (its documents from the spool) and return the run without documents."""
        run = replace(run, skipped=self.skipped)
        try:
            settled = self._settle()
            try:
                self._write(run, settled)
            finally:
                settled.close()
        finally:
            self.spool.close()
            self.later.close()
        return run

    def _settle(self) -> IO[bytes]:
        """The documents' lines as the report holds them, in a spool of their own: the later findings put in
        among each document's own (those alone read back and written again), the dropped documents left out
        and counted out."""
        settled = self._spool()
        for doc, line, later in self._documents():
            if doc in self.dropped:
                self.counts.add(doc, document_from_dict(json.loads(line), f"document #{doc + 1}"), -1)
                continue
            if later:
                line = self._amended(doc, line, later)
            settled.write(f"{line}\n".encode())
        settled.seek(0)
        return settled

    def _amended(self, doc: int, line: str, later: Sequence[Finding]) -> str:
        """A document's ``line`` with the ``later`` findings among its own, by position, and counted."""
        from validators.judge import among

        head, listed, tail = _around_findings(line)
        own = [finding_from_dict(data, "", f"document #{doc + 1}, finding #{number + 1}")
               for number, data in enumerate(json.loads(listed))]
        self.counts.amend(doc, own, later)
        return head + dumps([finding_to_dict(finding) for finding in among(own, later)]) + tail

    def _write(self, run: RunResult, settled: IO[bytes]) -> None:
        head = run_to_dict(run, summary=self.counts.summary(len(run.errors)))
        handle = open(self.output, "w", encoding="utf-8", newline="") if self.output else sys.stdout
        try:
            first = True
            for key, value in head.items():
                if key == "documents":
                    handle.write("" if self.output_format == "jsonl" else ("," if not first else "") + '"documents":[')
                    self._write_documents(handle, settled)
                    if self.output_format != "jsonl":
                        handle.write("]")
                    continue
                part = dumps({key: value})[1:-1]
                if self.output_format == "jsonl":
                    continue
                handle.write(("{" if first else ",") + part)
                first = False
            if self.output_format == "jsonl":
                handle.write(dumps({key: value for key, value in head.items() if key != "documents"}))
            else:
                handle.write("}")
            handle.write("\n")
        finally:
            if self.output:
                handle.close()
            else:
                handle.flush()

    def _write_documents(self, handle: IO[str], settled: IO[bytes]) -> None:
        for number, raw in enumerate(settled):
            line = raw.decode().rstrip("\n")
            if self.output_format == "jsonl":
                handle.write(line + "\n")
            else:
                handle.write(("," if number else "") + line)

    def _documents(self) -> Iterator[tuple[int, str, list[Finding]]]:
        """Each spooled document in order: (doc, its line, the later findings of it)."""
        later = self._later()
        upcoming = next(later, None)
        for doc, line in self._spooled():
            findings: list[Finding] = []
            while upcoming is not None and upcoming[0] <= doc:
                if upcoming[0] == doc:
                    findings.extend(upcoming[1])
                upcoming = next(later, None)
            yield doc, line, findings

    def _later(self) -> Iterator[tuple[int, tuple[Finding, ...]]]:
        """The later findings of each document, in document order: the runs of the spool merged."""
        if not self.runs:
            return iter(())
        ends = [*self.runs[1:], self.later.seek(0, os.SEEK_END)]
        return heapq.merge(*(self._run(start, end) for start, end in zip(self.runs, ends, strict=True)),
                           key=lambda item: item[0])

    def _run(self, start: int, end: int) -> Iterator[tuple[int, tuple[Finding, ...]]]:
        position = start
        while position < end:
            self.later.seek(position)
            item = pickle.load(self.later)
            position = self.later.tell()
            yield item

    def _spooled(self) -> Iterator[tuple[int, str]]:
        self.spool.seek(0)
        for raw in self.spool:
            number, _, line = raw.decode().rstrip("\n").partition("\t")
            yield int(number), line

    @property
    def worst(self) -> Severity | None:
        """The most severe unwaived finding written, or None."""
        return self.counts.worst


# A document's findings as ``document_to_dict`` writes them, between these keys: neither can stand inside a
# string (its quotation marks would be escaped), and "truncated" is the last key its line ends with but "pages".
_FINDINGS, _AFTER_FINDINGS = ',"findings":[', '],"truncated":'


def _around_findings(line: str) -> tuple[str, str, str]:
    """A document's line cut into what comes before its list of findings, the list, and what comes after."""
    start = line.index(_FINDINGS) + len(_FINDINGS) - 1
    end = line.rindex(_AFTER_FINDINGS) + 1
    return line[:start], line[start:end], line[end:]


def render_jsonl(run: RunResult) -> str:
    """The JSON Lines report of a run held whole: what ``Streamed`` writes of it."""
    data = run_to_dict(run)
    lines = [dumps(document) for document in data.pop("documents")]
    return "".join(f"{line}\n" for line in [*lines, dumps(data)])


def read_jsonl(text: str, where: str = "the results") -> RunResult:
    """The run JSON Lines results hold (a document a line, then the run's line); ``ResultsError`` naming the
    line otherwise."""
    documents: list[dict[str, Any]] = []
    run: dict[str, Any] | None = None
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        try:
            data = json.loads(line)
        except json.JSONDecodeError as error:
            raise ResultsError(f"line {number} is not JSON ({error.msg})") from None
        if not isinstance(data, dict):
            raise ResultsError(f"line {number} must be an object, not {type(data).__name__}")
        if "tool" in data:
            run = data
        else:
            documents.append(data)
    if run is None:
        raise ResultsError(f"{where} has no line with the run ('tool', 'run', 'summary'); the file was cut short")
    return run_from_dict({**run, "documents": documents})
